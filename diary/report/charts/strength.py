"""The strength chart: single-leg heel raises per side over time, each against its own baseline.

Left and right differ in colour, in marker and in the dash of their baseline, so the two sides
still read apart in grayscale or with any common colour-vision deficiency. The baseline is the one
the ``strength_change`` rule compares with: the median of that side's first checks. When chair
stands were counted, they get a second, smaller panel below on the same dates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from diary.analysis.check_frames import CheckFrames
from diary.analysis.check_summary import BASELINE_CHECKS, baseline, series
from diary.report.charts.shared import date_axis, empty_note, figure_of, legend_below
from diary.report.charts.style import OKABE_ITO

#: side -> (colour, marker, marker face, baseline dashes).
SIDE_STYLES: dict[str, tuple[str, str, str, tuple[float, float]]] = {
    "left": ("#" + OKABE_ITO["blue"], "o", "#" + OKABE_ITO["blue"], (6.0, 3.0)),
    "right": ("#" + OKABE_ITO["vermillion"], "s", "white", (2.0, 2.0)),
}
CHAIR_COLOUR = "#" + OKABE_ITO["black"]
EMPTY_TEXT = "No heel raises were counted in this period"


def _in(points: list[tuple[date, float]], start: date, end: date) -> list[tuple[date, float]]:
    return [(d, v) for d, v in points if start <= d <= end]


def has_strength(checks: CheckFrames, start: date, end: date) -> bool:
    """Whether the period has a heel-raise count to draw."""
    return any(_in(series(checks.strength, f"heel_raises_{s}"), start, end) for s in SIDE_STYLES)


def has_chair_stands(checks: CheckFrames, start: date, end: date) -> bool:
    """Whether the period has a chair-stand count (the chart's second panel)."""
    return bool(_in(series(checks.strength, "chair_stands"), start, end))


def _panels(ax: Axes, chair: bool) -> tuple[Axes, Axes | None]:
    """The heel-raise axes, and below it the chair-stand axes when there are chair stands."""
    if not chair:
        return ax, None
    figure = figure_of(ax)
    grid = figure.add_gridspec(2, 1, height_ratios=(3, 1.4))
    ax.set_subplotspec(grid[0])
    return ax, figure.add_subplot(grid[1], sharex=ax)


def plot_strength(ax: Axes, checks: CheckFrames, start: date, end: date) -> Axes:
    """Heel raises per side in [start, end] with each side's dashed baseline; chair stands in a
    panel below when counted. Returns the heel-raise axes."""
    ax.set_title("Single-leg heel raises to fatigue, per side, against each side's baseline")
    ax.set_ylabel("Heel raises")
    date_axis(ax, start, end)
    if not has_strength(checks, start, end):
        empty_note(ax, EMPTY_TEXT)
        ax.set_ylim(0, 30)
        return ax
    top, chair_ax = _panels(ax, has_chair_stands(checks, start, end))
    handles: list[Line2D] = []
    highest = 0.0
    for side, (colour, marker, face, dashes) in SIDE_STYLES.items():
        points = series(checks.strength, f"heel_raises_{side}")
        shown = _in(points, start, end)
        if not shown:
            continue
        x = mdates.date2num([d for d, _ in shown])
        values = [v for _, v in shown]
        highest = max(highest, *values)
        style: dict[str, Any] = {
            "color": colour,
            "marker": marker,
            "markerfacecolor": face,
            "markersize": 5,
        }
        # unclipped: a check on the period's first or last day keeps its whole marker
        top.plot(x, values, linewidth=1.4, markeredgewidth=1.2, clip_on=False, **style)
        handles.append(Line2D([], [], linewidth=1.4, label=side, **style))
        level = baseline(points)
        if level is not None:
            top.axhline(level, color=colour, linewidth=1.0, dashes=dashes, alpha=0.9)
            handles.append(
                Line2D(
                    [],
                    [],
                    color=colour,
                    linewidth=1.0,
                    dashes=dashes,
                    label=f"{side} baseline ({level:g})",
                )
            )
            highest = max(highest, level)
    top.set_ylim(0, highest * 1.15 + 1)
    top.yaxis.set_major_locator(MaxNLocator(integer=True))
    bottom = top
    if chair_ax is not None:
        _chair_stands(chair_ax, checks, start, end)
        top.tick_params(labelbottom=False)
        top.set_xlabel("")
        bottom = chair_ax
    bottom.set_xlabel(f"Date (baseline: the median of that side's first {BASELINE_CHECKS} checks)")
    legend_below(bottom, handles, ncols=len(handles))
    return top


def _chair_stands(ax: Axes, checks: CheckFrames, start: date, end: date) -> None:
    """Chair stands in 30 seconds, one series, with its baseline dashed."""
    points = series(checks.strength, "chair_stands")
    shown = _in(points, start, end)
    values = [v for _, v in shown]
    ax.plot(
        mdates.date2num([d for d, _ in shown]),
        values,
        color=CHAIR_COLOUR,
        marker="D",
        markersize=3.5,
        linewidth=1.1,
        clip_on=False,
    )
    level = baseline(points)
    title = "30-second chair stands"
    if level is not None:
        ax.axhline(level, color=CHAIR_COLOUR, linewidth=0.9, dashes=(6.0, 3.0), alpha=0.7)
        title += f" (dashed: baseline {level:g})"
    ax.set_title(title, fontsize=8.5, fontweight="normal", pad=3)
    ax.set_ylim(0, max([*values, level or 0]) * 1.25 + 1)
    ax.set_ylabel("Stands")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=3))
