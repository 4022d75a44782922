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
import pytest

from diary.analysis.associations import INSUFFICIENT, POSSIBLE, Association
from diary.analysis.frames import make_frames
from diary.analysis.insights import Insights, insights
from diary.report import charts

NOW = datetime(2025, 6, 30, 20, 0, tzinfo=ZoneInfo("Europe/Berlin"))
AS_OF = NOW.date()
START = AS_OF - timedelta(days=89)
FRAME_CHARTS = (charts.plot_timeline, charts.plot_intensity, charts.plot_sites, charts.plot_when)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Insights:
    """The 120-day sample diary, analysed (built once for the module: it takes a second)."""
    from diary import demo as sample
    from diary.db.engine import make_engine

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
def test_frame_charts_draw_the_demo_diary(demo: Insights, chart: charts.ChartFunction) -> None:
    figure = charts.render(chart, demo.frames, START, AS_OF, width_cm=17, height_cm=8)
    _assert_labelled(figure)
    assert figure.axes[0].get_ylabel().strip()
    assert len(charts.figure_png_bytes(figure, dpi=72)) > 1000


def test_timeline_shows_medication_visit_and_legend(demo: Insights) -> None:
    figure = charts.render(charts.plot_timeline, demo.frames, START, AS_OF)
    ax = figure.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "cramp" in legend and "7-day average" in legend
    assert "doctor visit" in legend and any(t.startswith("taking ") for t in legend)
    assert any("GP" in t.get_text() for t in ax.texts)


def test_factors_chart_draws_the_demo_associations(demo: Insights) -> None:
    figure = charts.render(charts.plot_factors, demo.associations, height_cm=6.5)
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
    ax = charts.render(charts.plot_factors, rows).axes[0]
    assert "not enough data" in [t.get_text() for t in ax.texts]
    assert ax.get_yticklabels()[0].get_text() == "Caffeine ≥ 400 mg that day"


@pytest.mark.parametrize("chart", FRAME_CHARTS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("period", ["empty", "one", "reversed"])
def test_frame_charts_handle_an_empty_or_nearly_empty_period(
    chart: charts.ChartFunction, period: str
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
    figure = charts.render(chart, frames, start, end)
    _assert_labelled(figure)
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert (charts.EMPTY_TEXT in texts) == (period != "one")
    charts.figure_png_bytes(figure, dpi=50)


def test_factors_chart_handles_no_associations() -> None:
    figure = charts.render(charts.plot_factors, [])
    _assert_labelled(figure)
    charts.figure_png_bytes(figure, dpi=50)


@pytest.mark.parametrize(("width_cm", "height_cm", "dpi"), [(17, 8, 150), (12.5, 6.5, 100)])
def test_save_png_has_the_printed_size_and_is_private(
    tmp_path: Path, width_cm: float, height_cm: float, dpi: int
) -> None:
    frames = make_frames()
    figure = charts.render(
        charts.plot_timeline, frames, START, AS_OF, width_cm=width_cm, height_cm=height_cm
    )
    target = tmp_path / "timeline.png"
    target.write_bytes(b"old")
    target.chmod(0o644)  # an existing file must not keep a wider mode
    charts.save_png(figure, target, dpi=dpi)
    width, height = _png_size(target.read_bytes())
    assert abs(width - width_cm / 2.54 * dpi) <= 2
    assert abs(height - height_cm / 2.54 * dpi) <= 2
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _png_size(charts.figure_png_bytes(figure, dpi=dpi)) == (width, height)


def test_style_file_matches_the_style_in_code() -> None:
    from_file = matplotlib.rc_params_from_file(
        charts.STYLE_PATH, fail_on_error=True, use_default_template=False
    )
    assert dict(from_file) == dict(matplotlib.RcParams(charts.STYLE))


def test_charts_leave_the_global_style_alone() -> None:
    before = dict(matplotlib.rcParams)
    charts.figure_png_bytes(charts.render(charts.plot_when, make_frames(), START, AS_OF), dpi=30)
    assert dict(matplotlib.rcParams) == before


def test_charts_never_import_pyplot(tmp_path: Path) -> None:
    code = f"""
import sys
from datetime import date
from pathlib import Path
from diary.analysis.frames import make_frames
from diary.report import charts
frames = make_frames()
for chart in (charts.plot_timeline, charts.plot_intensity, charts.plot_sites, charts.plot_when):
    figure = charts.render(chart, frames, date(2025, 1, 1), date(2025, 3, 31))
    charts.figure_png_bytes(figure, dpi=30)
charts.save_png(charts.render(charts.plot_factors, []), Path({str(tmp_path / "f.png")!r}), dpi=30)
assert "matplotlib.pyplot" not in sys.modules, "pyplot was imported"
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


def test_render_uses_the_given_printed_size() -> None:
    figure = charts.new_figure(17, 8)
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
    ax = charts.render(charts.plot_timeline, frames, start, end).axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height() > 0]
    assert len(bars) == len(years)
    strips = [c for c in ax.collections if isinstance(c, PolyCollection)]  # "no check-in"
    assert len(strips) == 1 and len(strips[0].get_paths()) == len(years)  # gaps between check-ins
