"""The report's charts: each draws on the demo diary and on an empty one without raising, with a
title and labelled axes; PNGs come out at the printed size and private; pyplot is never imported;
the style in code and the style file agree.
"""

from __future__ import annotations

import stat
import struct
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib
import numpy as np
import pytest

from diary.analysis.associations import INSUFFICIENT, POSSIBLE, Association
from diary.analysis.frames import dates_between, make_frames
from diary.analysis.insights import Insights, insights
from diary.report.charts.factors import plot_factors
from diary.report.charts.figures import (
    ChartFunction,
    figure_png_bytes,
    new_figure,
    render,
    save_png,
)
from diary.report.charts.intensity import plot_intensity
from diary.report.charts.shared import EMPTY_TEXT
from diary.report.charts.sites import plot_sites
from diary.report.charts.style import STYLE, STYLE_PATH
from diary.report.charts.timeline import AVERAGE_LABEL, plot_timeline, timeline_height_cm
from diary.report.charts.when import plot_when

NOW = datetime(2025, 6, 30, 20, 0, tzinfo=ZoneInfo("Europe/Berlin"))
AS_OF = NOW.date()
START = AS_OF - timedelta(days=89)
FRAME_CHARTS = (plot_timeline, plot_intensity, plot_sites, plot_when)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Insights:
    """The 120-day sample diary, analysed (built once for the module: it takes a second)."""
    from diary import demo as sample
    from diary.db.open import make_engine

    path = tmp_path_factory.mktemp("demo") / "d.sqlite3"
    engine = make_engine(path)
    try:
        sample.fill(engine, days=120, seed=7, now=NOW)
    finally:
        engine.dispose()
    return insights(path, AS_OF)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _assert_labelled(figure: matplotlib.figure.Figure) -> None:
    ax = figure.axes[0]
    assert ax.get_title(loc="left").strip()  # the style puts titles on the left
    assert ax.get_xlabel().strip()
    if ax.get_yticks().size and ax.get_yticklabels():
        assert ax.get_ylabel().strip() or any(t.get_text() for t in ax.get_yticklabels())


@pytest.mark.parametrize("chart", FRAME_CHARTS, ids=lambda f: f.__name__)
def test_frame_charts_draw_the_demo_diary(demo: Insights, chart: ChartFunction) -> None:
    figure = render(chart, demo.frames, START, AS_OF, width_cm=17, height_cm=8)
    _assert_labelled(figure)
    assert figure.axes[0].get_ylabel().strip()
    assert len(figure_png_bytes(figure, dpi=72)) > 1000


def test_timeline_shows_medication_visit_and_legend(demo: Insights) -> None:
    figure = render(plot_timeline, demo.frames, START, AS_OF)
    ax = figure.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "cramp" in legend and AVERAGE_LABEL in legend
    assert "doctor visit" in legend and any(t.startswith("taking ") for t in legend)
    assert any("GP" in t.get_text() for t in ax.texts)


def test_factors_chart_draws_the_demo_associations(demo: Insights) -> None:
    figure = render(plot_factors, demo.associations, height_cm=6.5)
    _assert_labelled(figure)
    ax = figure.axes[0]
    assert ax.get_xscale() == "log"
    assert len(ax.get_yticklabels()) == len(demo.associations)


def test_factors_chart_says_when_there_is_not_enough_data() -> None:
    rows = [
        Association(
            "caffeine", "caffeine >= 400 mg that day", None, None, None, None, INSUFFICIENT, 2, 3
        ),
        Association("stress", "stress >= 7/10", 2.0, 1.5, 2.8, 0.01, POSSIBLE, 20, 20),
    ]
    ax = render(plot_factors, rows).axes[0]
    assert "not enough data" in [t.get_text() for t in ax.texts]
    assert ax.get_yticklabels()[0].get_text() == "Caffeine ≥ 400 mg that day"


@pytest.mark.parametrize("chart", FRAME_CHARTS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("period", ["empty", "one", "reversed"])
def test_frame_charts_handle_an_empty_or_nearly_empty_period(
    chart: ChartFunction, period: str
) -> None:
    episode = {
        "id": "1",
        "started_at_utc": datetime(2025, 6, 1, 21, 30),
        "utc_offset_min": 120,
        "body_site": "tongue",
        "side": None,
        "intensity": 10,
        "duration_s": 5,
        "kind": "cramp",
        "symptoms": "",
        "context": "",
    }
    frames = make_frames(episodes=[episode] if period == "one" else [])
    start, end = (AS_OF, START) if period == "reversed" else (START, AS_OF)
    figure = render(chart, frames, start, end)
    _assert_labelled(figure)
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert (EMPTY_TEXT in texts) == (period != "one")
    figure_png_bytes(figure, dpi=50)


def test_factors_chart_handles_no_associations() -> None:
    figure = render(plot_factors, [])
    _assert_labelled(figure)
    figure_png_bytes(figure, dpi=50)


@pytest.mark.parametrize(("width_cm", "height_cm", "dpi"), [(17, 8, 150), (12.5, 6.5, 100)])
def test_save_png_has_the_printed_size_and_is_private(
    tmp_path: Path, width_cm: float, height_cm: float, dpi: int
) -> None:
    frames = make_frames()
    figure = render(plot_timeline, frames, START, AS_OF, width_cm=width_cm, height_cm=height_cm)
    target = tmp_path / "timeline.png"
    target.write_bytes(b"old")
    target.chmod(0o644)  # an existing file must not keep a wider mode
    save_png(figure, target, dpi=dpi)
    width, height = _png_size(target.read_bytes())
    assert abs(width - width_cm / 2.54 * dpi) <= 2
    assert abs(height - height_cm / 2.54 * dpi) <= 2
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _png_size(figure_png_bytes(figure, dpi=dpi)) == (width, height)


def test_style_file_matches_the_style_in_code() -> None:
    from_file = matplotlib.rc_params_from_file(
        STYLE_PATH, fail_on_error=True, use_default_template=False
    )
    assert dict(from_file) == dict(matplotlib.RcParams(STYLE))


def test_charts_leave_the_global_style_alone() -> None:
    before = dict(matplotlib.rcParams)
    figure_png_bytes(render(plot_when, make_frames(), START, AS_OF), dpi=30)
    assert dict(matplotlib.rcParams) == before


def test_charts_never_import_pyplot(tmp_path: Path) -> None:
    code = f"""
import sys
from datetime import date
from pathlib import Path
from diary.analysis.frames import make_frames
from diary.report.charts.factors import plot_factors
from diary.report.charts.figures import figure_png_bytes, render, save_png
from diary.report.charts.intensity import plot_intensity
from diary.report.charts.sites import plot_sites
from diary.report.charts.timeline import plot_timeline
from diary.report.charts.when import plot_when
frames = make_frames()
for chart in (plot_timeline, plot_intensity, plot_sites, plot_when):
    figure = render(chart, frames, date(2025, 1, 1), date(2025, 3, 31))
    figure_png_bytes(figure, dpi=30)
save_png(render(plot_factors, []), Path({str(tmp_path / "f.png")!r}), dpi=30)
assert "matplotlib.pyplot" not in sys.modules, "pyplot was imported"
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


def test_render_uses_the_given_printed_size() -> None:
    figure = new_figure(17, 8)
    assert figure.get_size_inches() == pytest.approx((17 / 2.54, 8 / 2.54))


def test_timeline_cost_follows_the_data_not_the_period() -> None:
    """Nine episodes over ten years: nine bars and a few no-check-in runs, not one per day."""
    from datetime import date

    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Rectangle

    years = range(2016, 2025)
    episodes = [
        {
            "id": str(year),
            "started_at_utc": datetime(year, 3, 4, 9, 0),
            "utc_offset_min": 60,
            "body_site": "calf",
            "side": "left",
            "intensity": 3,
            "duration_s": 5,
            "kind": "twitch",
            "symptoms": "",
            "context": "",
        }
        for year in years
    ]
    days = [{"date": date(year, 3, 4), "symptoms": ""} for year in years]
    frames = make_frames(episodes=episodes, days=days)
    start, end = date(2016, 1, 1), date(2025, 12, 31)
    ax = render(plot_timeline, frames, start, end).axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height() > 0]
    assert len(bars) == len(years)
    strips = [c for c in ax.collections if isinstance(c, PolyCollection)]  # "no check-in"
    # the gaps between check-ins, and the days of the period before the first one
    assert len(strips) == 1 and len(strips[0].get_paths()) == len(years) + 1


# --- issue 10: labels and legends stay on the page; an unlogged day is no 0 --------------------

END = AS_OF
LONG_NAME = "bendroflumethiazide with a very long brand name"


def _busy_frames():  # type: ignore[no-untyped-def]
    """A year of episodes and check-ins with four courses (one starting on the last day, one with
    a very long name and dose) and two visits near the end: the labels most likely to run off."""
    episodes, days = [], []
    for i in range(400):
        day = END - timedelta(days=i)
        if i % 7 != 3:
            days.append({"date": day, "symptoms": ""})
        for k in range(i % 4):
            episodes.append(
                {
                    "id": f"{i}-{k}",
                    "started_at_utc": datetime(day.year, day.month, day.day, 8 + k),
                    "utc_offset_min": 120,
                    "body_site": ("calf", "thigh", "eyelid")[k % 3],
                    "side": ("left", "right", None)[i % 3],
                    "intensity": 1 + (i + k) % 8,
                    "duration_s": 5,
                    "kind": ("twitch", "cramp")[k % 2],
                    "symptoms": "",
                    "context": "",
                }
            )
    medications = [
        {"id": "1", "name": LONG_NAME, "drug_class": "diuretic",
         "dose": "2.5 mg once daily in the morning with food", "started_on": END - timedelta(days=300),
         "stopped_on": None},
        {"id": "2", "name": "magnesium citrate", "drug_class": "supplement", "dose": "300 mg",
         "started_on": END - timedelta(days=20), "stopped_on": END - timedelta(days=3)},
        {"id": "3", "name": "atorvastatin", "drug_class": "statin", "dose": "20 mg",
         "started_on": END - timedelta(days=2), "stopped_on": None},
        {"id": "4", "name": "salbutamol inhaler", "drug_class": "beta_agonist",
         "dose": "100 µg as needed", "started_on": END, "stopped_on": None},
    ]  # fmt: skip
    visits = [
        {"id": "v1", "date": END - timedelta(days=1), "kind": "neurologist", "tests": "emg",
         "outcome": ""},
        {"id": "v2", "date": END - timedelta(days=40), "kind": "gp", "tests": "", "outcome": ""},
    ]  # fmt: skip
    return make_frames(episodes=episodes, days=days, medications=medications, visits=visits)


def _renderer(figure: matplotlib.figure.Figure):  # type: ignore[no-untyped-def]
    """A renderer to measure the laid-out figure with (the Agg canvas, no pyplot)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    return FigureCanvasAgg(figure).get_renderer()


@pytest.mark.parametrize("period_days", [7, 30, 90, 365])
@pytest.mark.parametrize("height_cm", [5.5, 8.5])  # the summary page's and the chart page's
def test_timeline_labels_and_legend_stay_inside_at_any_period_length(
    period_days: int, height_cm: float
) -> None:
    """Before: a course started near the period's end ran off the right edge, the labels pushed
    the plot into a sliver, and a four-column legend was wider than the figure."""
    frames = _busy_frames()
    start = END - timedelta(days=period_days - 1)
    height = timeline_height_cm(frames, start, END, height_cm)  # grows with the rows of labels
    figure = render(plot_timeline, frames, start, END, height_cm=height)
    figure_png_bytes(figure, dpi=60)  # lays the figure out as the report does
    renderer = _renderer(figure)
    ax = figure.axes[0]
    box = ax.get_window_extent(renderer)
    labels = [t for t in ax.texts if t.get_text().strip() and t.get_text() != "▼"]
    names = " ".join(t.get_text() for t in labels)
    assert "salbutamol inhaler" in names and "neurologist" in names  # the cases are there
    for label in labels:
        extent = label.get_window_extent(renderer)
        assert box.x0 - 1 <= extent.x0 and extent.x1 <= box.x1 + 1, label.get_text()
        assert box.y0 - 1 <= extent.y0 and extent.y1 <= box.y1 + 1, label.get_text()
    assert box.width > figure.bbox.width * 0.7  # the plot keeps its width
    legend = ax.get_legend().get_window_extent(renderer)
    assert figure.bbox.x0 <= legend.x0 and legend.x1 <= figure.bbox.x1
    assert figure.bbox.y0 <= legend.y0


@pytest.mark.parametrize("period_days", [7, 30, 90, 365])
@pytest.mark.parametrize("chart", FRAME_CHARTS[1:], ids=lambda f: f.__name__)
def test_other_charts_keep_their_legend_inside(chart: ChartFunction, period_days: int) -> None:
    """A guard (these legends fit before too): no legend of any chart is cut at the sides."""
    figure = render(chart, _busy_frames(), END - timedelta(days=period_days - 1), END)
    figure_png_bytes(figure, dpi=60)
    legend = figure.axes[0].get_legend()
    if legend is not None:
        extent = legend.get_window_extent(_renderer(figure))
        assert figure.bbox.x0 <= extent.x0 and extent.x1 <= figure.bbox.x1
        assert figure.bbox.y0 <= extent.y0


def test_the_average_line_is_missing_where_nothing_was_logged() -> None:
    """Ten logged days, three weeks with no check-in and no episode, ten logged days: the line
    has a gap over the unlogged weeks instead of falling to 0 episodes a day."""
    from datetime import date

    first = date(2025, 6, 1)
    logged = [first + timedelta(days=i) for i in (*range(10), *range(31, 41))]
    episodes = [
        {
            "id": str(n),
            "started_at_utc": datetime(d.year, d.month, d.day, 10),
            "utc_offset_min": 120,
            "body_site": "calf",
            "side": "left",
            "intensity": 3,
            "duration_s": 5,
            "kind": "twitch",
            "symptoms": "",
            "context": "",
        }
        for n, d in enumerate(logged)
        for _ in range(2)
    ]
    frames = make_frames(episodes=episodes, days=[{"date": d, "symptoms": ""} for d in logged])
    end = logged[-1]
    ax = render(plot_timeline, frames, first, end).axes[0]
    (line,) = [ln for ln in ax.get_lines() if ln.get_label().startswith("7-day average")]
    values = dict(zip(dates_between(first, end), line.get_ydata(), strict=True))
    assert values[first + timedelta(days=9)] == pytest.approx(2.0)
    gap = [values[first + timedelta(days=i)] for i in range(17, 31)]
    assert all(np.isnan(v) for v in gap), gap  # before: 0.0, "no episodes" on unlogged days
    assert values[end] == pytest.approx(2.0)
