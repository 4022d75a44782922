"""The factor chart: each daily factor's rate ratio with its 95% CI, on a log scale.

Associations, never causes: filled squares mark the ones the analysis calls possible, open dots
the rest, and a factor without enough data says so in words instead of drawing a guess.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from diary.analysis.associations import INSUFFICIENT, POSSIBLE, Association
from diary.report.charts.shared import empty_note, legend_below
from diary.report.charts.style import F_COLOUR, VISIT_COLOUR

_FINE_TICKS = (0.5, 0.75, 1, 1.5, 2, 3)
_COARSE_TICKS = (1 / 16, 0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 32)


def has_estimate(association: Association) -> bool:
    """Whether the factor chart draws a ratio for ``association`` (not "not enough data")."""
    ratio = association.rate_ratio
    return (
        association.claim != INSUFFICIENT
        and ratio is not None
        and bool(np.isfinite(ratio))
        and ratio > 0
    )


def _exposure_label(association: Association) -> str:
    text = association.exposure or association.factor.replace("_", " ")
    text = text.replace(">=", "≥").replace("<=", "≤")
    return text[0].upper() + text[1:] if text else text


def _ratio_text(association: Association) -> str:
    ratio, low, high = association.rate_ratio, association.ci_low, association.ci_high
    if ratio is None or not np.isfinite(ratio):
        return ""
    if low is None or high is None or not (np.isfinite(low) and np.isfinite(high)):
        return f"{ratio:.1f}×"
    return f"{ratio:.1f}× ({low:.1f}–{high:.1f})"


def plot_factors(ax: Axes, associations: Sequence[Association]) -> Axes:
    """Which daily factors went with more twitches: each factor's rate ratio (episodes on days
    with it / days without) with its 95% CI on a log scale; 1 means no difference. Filled dots mark
    the associations the analysis calls possible; factors without enough data say so in words."""
    ax.set_title("Daily factors: twitches on days with vs without")
    ax.set_xlabel("Rate ratio with 95% CI (log scale; 1 = no difference)")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True, which="major")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}×"))
    ax.xaxis.set_minor_locator(NullLocator())
    rows = list(associations)
    if not rows:
        ax.set_xlim(0.5, 2.0)
        ax.xaxis.set_major_locator(FixedLocator([0.5, 1, 2]))
        ax.set_yticks([])
        empty_note(ax, "No factors to show: the daily check-ins are needed for this")
        return ax

    numbers: list[float] = [0.5, 2.0]
    for a in rows:
        for value in (a.rate_ratio, a.ci_low, a.ci_high):
            if a.claim != INSUFFICIENT and value is not None and np.isfinite(value) and value > 0:
                numbers.append(float(value))
    lo, hi = min(numbers) / 1.25, max(numbers) * 1.25
    ax.set_xlim(lo, hi)
    ax.axvline(1.0, color="#555555", linewidth=1.0, zorder=1)
    text_x = ax.get_yaxis_transform()  # x in axes fractions, y in data
    drawn_claims: set[str] = set()
    for y, a in enumerate(rows):
        ratio = a.rate_ratio
        if a.claim == INSUFFICIENT or ratio is None or not np.isfinite(ratio) or ratio <= 0:
            ax.text(
                np.sqrt(lo * hi),
                y,
                "not enough data",
                ha="center",
                va="center",
                fontsize=8,
                style="italic",
                color="#555555",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
            )
            continue
        possible = a.claim == POSSIBLE
        drawn_claims.add(POSSIBLE if possible else "other")
        colour = VISIT_COLOUR if possible else F_COLOUR
        if a.ci_low is not None and a.ci_high is not None:
            ax.hlines(y, a.ci_low, a.ci_high, color=colour, linewidth=1.8, zorder=2)
        ax.plot(
            [ratio],
            [y],
            marker="s" if possible else "o",
            markersize=7,
            color=colour,
            markerfacecolor=colour if possible else "white",
            markeredgewidth=1.5,
            linestyle="",
            zorder=3,
        )
        ax.text(1.01, y, _ratio_text(a), transform=text_x, va="center", ha="left", fontsize=8)
    labels = [textwrap.fill(_exposure_label(a), 30) for a in rows]
    ax.set_yticks(range(len(rows)), labels)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    # Round ratios people read at a glance; fewer of them when the range is wide.
    candidates = _FINE_TICKS if hi / lo <= 8 else _COARSE_TICKS
    ax.xaxis.set_major_locator(FixedLocator([t for t in candidates if lo <= t <= hi]))
    handles = []
    if POSSIBLE in drawn_claims:
        handles.append(
            Line2D([], [], marker="s", linestyle="", color=VISIT_COLOUR, label="possible link")
        )
    if "other" in drawn_claims:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color=F_COLOUR,
                markerfacecolor="white",
                markeredgewidth=1.5,
                label="no clear link",
            )
        )
    if handles:
        legend_below(ax, handles, ncols=len(handles), title="Associations, not proof of cause")
    return ax
