"""The body-site chart: on how many days each place had episodes, by side, head to toe.

Every pair of sides differs in colour and in hatch, so the chart still reads in grayscale.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from diary import vocab
from diary.analysis.frames import Frames
from diary.report.charts.shared import empty_note, legend_below, period_episodes
from diary.report.charts.style import OKABE_ITO

#: side -> (legend label, colour, hatch); None is "side not given".
_SIDES: tuple[tuple[str | None, str, str, str], ...] = (
    ("left", "left", "#" + OKABE_ITO["blue"], ""),
    ("right", "right", "#" + OKABE_ITO["orange"], "////"),
    ("both", "both sides", "#" + OKABE_ITO["green"], "xxx"),
    ("midline", "midline", "#" + OKABE_ITO["purple"], "..."),
    (None, "side not given", "#BBBBBB", ""),
)
_REGION_LABELS = {
    "eyelid": "Eyelid",
    "head": "Face and head",
    "bulbar": "Mouth and throat (bulbar)",
    "upper_limb": "Arm and hand",
    "trunk": "Neck and trunk",
    "lower_limb": "Leg and foot",
    "other": "Other",
}


def plot_sites(ax: Axes, frames: Frames, start: date, end: date) -> Axes:
    """Where it happens: for each body site (grouped by region, head to toe), on how many days
    there were episodes there, split by side; a day counts once per site and side."""
    ax.set_title("Days with episodes, by body site and side")
    ax.set_xlabel("Days with at least one episode there (a day counts once per side)")
    ax.set_ylabel("Body site")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    period = period_episodes(frames, start, end)
    if period.empty:
        ax.set_yticks([])
        ax.set_xlim(0, 5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        empty_note(ax)
        return ax

    sides = period["side"].where(period["side"].notna(), None)
    pairs = pd.DataFrame(
        {"site": period["body_site"], "side": sides.astype(object), "day": period["diary_day"]}
    ).drop_duplicates()
    table: dict[tuple[str, str | None], int] = {}
    for (site, side), group in pairs.groupby(["site", "side"], dropna=False):
        table[(str(site), None if pd.isna(side) else str(side))] = len(group)
    days_at = pairs.drop_duplicates(["site", "day"]).groupby("site").size()

    present = set(days_at.index)
    order = {site: i for i, site in enumerate(vocab.BODY_SITES)}
    labels: list[str] = []
    rows: list[str | None] = []  # a site, or None for a region's header row (no bar)
    bold: list[bool] = []
    positions: list[float] = []
    y_next = 0.0
    for region in vocab.REGIONS:
        sites = sorted(
            (s for s in present if vocab.SITE_REGIONS.get(s, "other") == region),
            key=lambda s: order.get(s, len(order)),
        )
        if not sites:
            continue
        heading = _REGION_LABELS.get(region, region)
        if sites == [region]:  # a region of one site of the same name (the eyelid): one row
            labels.append(heading)
            rows.append(region)
            bold.append(True)
            positions.append(y_next)
            y_next += 1.25
            continue
        labels.append(heading)
        rows.append(None)
        bold.append(True)
        positions.append(y_next)
        y_next += 0.8  # a header row is a label only: keep it close to its sites
        for site in sites:
            labels.append("   " + site.replace("_", " "))
            rows.append(site)
            bold.append(False)
            positions.append(y_next)
            y_next += 1.0
        y_next += 0.25

    y = np.array(positions)
    left = np.zeros(len(rows))
    handles = []
    for side, label, colour, hatch in _SIDES:
        widths = np.array([table.get((s, side), 0) if s else 0 for s in rows], dtype=float)
        if not widths.any():
            continue
        handles.append(
            ax.barh(
                y,
                widths,
                left=left,
                height=0.7,
                color=colour,
                hatch=hatch,
                edgecolor="white",
                hatchcolor="#333333" if hatch else None,
                linewidth=0.5,
                label=label,
            )
        )
        left += widths
    longest = max(left.max(), 1.0)
    for yi, site, total in zip(y, rows, left, strict=True):
        if site is not None:
            days = int(days_at.get(site, 0))
            unit = "day" if days == 1 else "days"
            ax.text(total + longest * 0.01, yi, f"{days} {unit}", va="center", fontsize=8)
    ax.set_yticks(y, labels)
    for tick, is_heading in zip(ax.get_yticklabels(), bold, strict=True):
        if is_heading:
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(y[-1] + 0.6, -0.6)
    ax.set_xlim(0, longest * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    legend_below(ax, handles, ncols=len(handles))
    return ax
