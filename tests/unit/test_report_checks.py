"""The self-checks in the report (issue 12): "Asked weekly" on page 1, the strength and count charts.

"Not asked" is never read as "no": it is counted apart, a sign never asked says so, and a period
without a check says no answer is known. The two sides of the strength chart differ in colour and
in marker, and a chart with nothing to draw is left out of the report.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from pypdf import PdfReader

from diary.analysis.check_frames import CheckFrames, make_check_frames
from diary.analysis.check_summary import sign_summary, strength_summary
from diary.analysis.frames import make_frames
from diary.analysis.insights import Coverage, Insights
from diary.report.build import CHARTS, _drawn_charts
from diary.report.charts.counts import has_counts, plot_counts
from diary.report.charts.figures import figure_png_bytes, render
from diary.report.charts.strength import SIDE_STYLES, has_strength, plot_strength
from diary.report.check_content import NO_CHECKS, answer_line, check_content
from diary.report.content import Period, build_content
from diary.report.pdf import build_pdf
from diary.vocab import SIGNS

START, END = date(2026, 1, 1), date(2026, 3, 31)
WEEKS = [START + timedelta(days=7 * n) for n in range(8)]


def _sign_row(day: date, **answers: bool | None) -> dict[str, object]:
    """A sign check answering no to everything except ``answers`` (None: not asked)."""
    return {"date": day, **dict.fromkeys(SIGNS, False), **answers}


def _strength_row(
    day: date, left: int | None, right: int | None, **more: object
) -> dict[str, object]:
    return {"date": day, "heel_raises_left": left, "heel_raises_right": right, **more}


def _checks(**kwargs: object) -> CheckFrames:
    return make_check_frames(as_of=END, **kwargs)  # type: ignore[arg-type]


def _eight_checks() -> CheckFrames:
    """Eight weekly checks: spreading yes twice, numbness not asked twice, tingling never asked."""
    rows = []
    for n, day in enumerate(WEEKS):
        answers: dict[str, bool | None] = {"tingling": None}
        if n in (5, 6):
            answers["spreading"] = True
        if n in (0, 1):
            answers["numbness"] = None
        rows.append(_sign_row(day, **answers))
    return _checks(signs=rows)


# --- Asked weekly -----------------------------------------------------------------------------


def test_positives_come_first_with_their_dates() -> None:
    content = check_content(_eight_checks(), START, END)
    assert content.positives == [
        "twitching that has spread: yes on 2 of 8 checks (5 Feb, 12 Feb), no on 6"
    ]
    assert content.others[0] == "weakness: no on 8 of 8 checks"
    assert len(content.positives) + len(content.others) == len(SIGNS)
    # the rest keep the vocabulary's order (weakness first, as a doctor asks)
    others = [line.split(":")[0] for line in content.others]
    assert others.index("weakness") < others.index("numbness") < others.index("breathlessness")


def test_not_asked_is_never_counted_as_no() -> None:
    summary = sign_summary(_eight_checks().signs, START, END)
    by_sign = {a.sign: a for a in summary.answers}
    assert (by_sign["numbness"].no, by_sign["numbness"].not_asked) == (6, 2)
    assert (by_sign["tingling"].no, by_sign["tingling"].not_asked) == (0, 8)
    content = check_content(_eight_checks(), START, END)
    assert "numbness: no on 6 of 8 checks, not asked on 2" in content.others
    assert "tingling: not asked on any of 8 checks" in content.others
    assert not any(line.startswith("tingling: no on") for line in content.others)


def test_a_yes_with_not_asked_keeps_all_three_apart() -> None:
    checks = _checks(
        signs=[
            _sign_row(WEEKS[0], weakness=True),
            _sign_row(WEEKS[1], weakness=None),
            _sign_row(WEEKS[2]),
        ]
    )
    weakness = sign_summary(checks.signs, START, END).answers[0]
    assert (
        answer_line(weakness) == "weakness: yes on 1 of 3 checks (1 Jan), no on 1, not asked on 1"
    )


def test_many_yes_dates_are_counted_after_a_few() -> None:
    checks = _checks(signs=[_sign_row(day, night_cramps=True) for day in WEEKS])
    line = check_content(checks, START, END).positives[0]
    assert line.startswith("cramps that woke them: yes on 8 of 8 checks (1 Jan, 8 Jan,")
    assert line.endswith("and 3 more)")


@pytest.mark.parametrize(
    "checks",
    [
        make_check_frames(),
        # checks outside the period do not count for it
        make_check_frames(signs=[_sign_row(date(2025, 6, 1))]),
    ],
)
def test_a_period_without_checks_says_no_answer_is_known(checks: CheckFrames) -> None:
    content = check_content(checks, START, END)
    assert content.intro == NO_CHECKS
    assert "neither yes nor no" in NO_CHECKS
    assert content.positives == [] and content.others == []


def test_the_onset_stands_beside_the_checks() -> None:
    with_checks = check_content(_eight_checks(), START, END, onset=date(2025, 11, 1))
    assert with_checks.intro.startswith("Twitching started around 1 Nov 2025. 8 weekly checks")
    assert "last check 19 Feb 2026" in with_checks.intro
    without = check_content(make_check_frames(), START, END, onset=date(2025, 11, 1))
    assert without.intro == "Twitching started around 1 Nov 2025. " + NO_CHECKS
    assert "started" not in check_content(_eight_checks(), START, END).intro


def _insights(profile: dict[str, str] | None = None) -> Insights:
    frames = make_frames(profile=profile or {}, as_of=END)
    return Insights(END, Coverage(None, 0, 0), [], [], [], frames)


def _pdf_text(checks: CheckFrames | None, profile: dict[str, str] | None = None) -> str:
    content = build_content(_insights(profile), Period(START, END), checks=checks)
    pdf, _ = build_pdf(content, [])
    first = PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or ""
    return " ".join(first.split())


def test_page_one_shows_asked_weekly_with_the_onset() -> None:
    text = _pdf_text(_eight_checks(), {"onset": "2025-11-01"})
    assert "Asked weekly" in text
    assert "Twitching started around 1 Nov 2025. 8 weekly checks" in text
    assert text.index("twitching that has spread: yes") < text.index("weakness: no on 8 of 8")
    assert "numbness: no on 6 of 8 checks, not asked on 2" in text


def test_page_one_of_a_diary_without_checks_says_so_once() -> None:
    text = _pdf_text(None)
    assert "Asked weekly" in text and NO_CHECKS in text
    assert "no on" not in text and "Strength (" not in text and "Timed twitch" not in text


# --- strength and counts on page 1 --------------------------------------------------------------


def test_strength_line_compares_each_side_with_its_own_baseline() -> None:
    rows = [
        _strength_row(WEEKS[0], 20, 30, chair_stands=14, heel_walk_left=True),
        _strength_row(WEEKS[1], 24, 28, heel_walk_left=True),
        _strength_row(WEEKS[2], 22, None, heel_walk_left=True),
        _strength_row(WEEKS[3], 15, 31, heel_walk_left=False),
        _strength_row(WEEKS[4], None, 29, grip_left_kg=30.5),
    ]
    checks = _checks(strength=rows)
    summary = strength_summary(checks.strength, START, END)
    assert summary.measures["heel_raises_left"].baseline == 22  # median of 20, 24, 22
    assert summary.measures["heel_raises_right"].baseline == 30  # median of 30, 28, 31
    assert summary.measures["chair_stands"].baseline is None  # one check: no baseline yet
    line = check_content(checks, START, END).measured[0]
    assert line.startswith("Strength (5 checks, latest 29 Jan 2026): ")
    assert "heel raises to fatigue left 15 (baseline 22), right 29 (baseline 30)" in line
    assert "heel walk failed on the left (22 Jan)" in line
    assert "30-second chair stands 14;" in line and "grip left 30.5 kg" in line


def test_baseline_comes_from_the_first_checks_even_before_the_period() -> None:
    early = [_strength_row(START - timedelta(days=30 - n), 25, 25) for n in range(3)]
    checks = _checks(strength=[*early, _strength_row(WEEKS[2], 18, 26)])
    line = check_content(checks, START, END).measured[0]
    assert "Strength (1 check, " in line
    assert "left 18 (baseline 25), right 26 (baseline 25)" in line


def _count(day: date, twitches: int, side: str | None = "left") -> dict[str, object]:
    return {
        "counted_at_utc": datetime(day.year, day.month, day.day, 20),
        "utc_offset_min": 60,
        "body_site": "calf",
        "side": side,
        "seconds": 30,
        "twitches": twitches,
    }


def test_counts_line_gives_per_minute_by_place() -> None:
    checks = _checks(counts=[_count(WEEKS[0], 4), _count(WEEKS[1], 6), _count(WEEKS[2], 3, None)])
    line = check_content(checks, START, END).measured[-1]
    assert line == (
        "Timed twitch counts at rest: calf (left) 2 counts, 8–12 per minute (median 10), "
        "latest 12 on 8 Jan 2026; calf 1 count, 6 per minute on 15 Jan 2026."
    )


# --- charts -------------------------------------------------------------------------------------


def _two_sides(chair: bool) -> CheckFrames:
    more = {"chair_stands": 15} if chair else {}
    return _checks(strength=[_strength_row(d, 24 + n % 2, 27, **more) for n, d in enumerate(WEEKS)])


def _data_lines(ax: Axes) -> list[Line2D]:
    """The series drawn with markers (not the baselines)."""
    return [line for line in ax.get_lines() if line.get_marker() not in ("None", "", None)]


def test_strength_chart_tells_the_sides_apart_by_colour_and_marker() -> None:
    figure = render(plot_strength, _two_sides(chair=False), START, END)
    ax = figure.axes[0]
    left, right = _data_lines(ax)
    assert left.get_color() != right.get_color()
    assert left.get_marker() != right.get_marker()
    assert left.get_markerfacecolor() != right.get_markerfacecolor()
    baselines = [line for line in ax.get_lines() if line not in (left, right)]
    assert {line.get_color() for line in baselines} == {left.get_color(), right.get_color()}
    assert all(line.get_linestyle() == "--" for line in baselines)  # dashed
    legend = ax.get_legend()
    assert legend is not None
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels == ["left", "left baseline (24)", "right", "right baseline (27)"]
    assert {s[1] for s in SIDE_STYLES.values()} == {"o", "s"}
    assert len(figure.axes) == 1  # no chair stands: no second panel
    assert len(figure_png_bytes(figure, dpi=60)) > 1000


def test_chair_stands_get_a_second_panel_only_when_counted() -> None:
    figure = render(plot_strength, _two_sides(chair=True), START, END, height_cm=10.5)
    assert len(figure.axes) == 2
    assert "chair stands" in figure.axes[1].get_title(loc="left")
    assert figure.axes[1].get_legend() is not None  # the legend sits under the lower panel


def test_count_chart_draws_one_series_per_place() -> None:
    checks = _checks(counts=[_count(d, 5, side) for d in WEEKS for side in ("left", "right")])
    figure = render(plot_counts, checks, START, END)
    first, second = _data_lines(figure.axes[0])
    assert first.get_color() != second.get_color() and first.get_marker() != second.get_marker()
    assert np.asarray(first.get_ydata()).tolist() == [10.0] * len(WEEKS)  # 5 in 30 s


def test_no_chart_without_data() -> None:
    none = make_check_frames()
    one_count = _checks(counts=[_count(WEEKS[0], 5)])
    walks_only = _checks(strength=[{"date": WEEKS[0], "heel_walk_left": True}])
    assert not has_strength(none, START, END) and not has_counts(none, START, END)
    assert not has_counts(one_count, START, END)  # a single count is no course
    assert not has_strength(walks_only, START, END)
    period = Period(START, END)
    frames = make_frames(as_of=END)
    assert _drawn_charts(frames, [], period, none) == []
    drawn = _drawn_charts(frames, [], period, _eight_checks_and_measures())
    assert [stem for stem, _, _ in drawn] == ["strength", "counts"]
    assert {stem for stem, _, _ in CHARTS} >= {"strength", "counts"}


def _eight_checks_and_measures() -> CheckFrames:
    return _checks(
        strength=[_strength_row(d, 25, 25) for d in WEEKS],
        counts=[_count(d, 5) for d in WEEKS],
    )
