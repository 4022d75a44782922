"""The intensity chart: how strong each day's episodes were, on the diary's 1–10 scale."""

from __future__ import annotations

from datetime import date

import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator

from diary.analysis.frames import Frames
from diary.report.charts.shared import date_axis, empty_note, legend_below, period_episodes
from diary.report.charts.style import F_COLOUR


def plot_intensity(ax: Axes, frames: Frames, start: date, end: date) -> Axes:
    """How strong the episodes were: each day's median intensity (twitches and cramps together) as
    a dot, the day's weakest to strongest episode as a vertical line, on the diary's 1–10 scale."""
    ax.set_title("Intensity per day (all episodes): median and range")
    ax.set_xlabel("Date (a diary day runs until 4 am)")
    ax.set_ylabel("Intensity (1–10)")
    date_axis(ax, start, end)
    ax.set_ylim(0, 10.5)
    ax.yaxis.set_major_locator(FixedLocator([0, 2, 4, 6, 8, 10]))
    period = period_episodes(frames, start, end)
    if period.empty:
        empty_note(ax)
        return ax
    # An intensity not given is missing, not 0: only the given ones are drawn.
    period = period.assign(intensity=pd.to_numeric(period["intensity"], errors="coerce"))
    period = period[period["intensity"].notna()]
    if period.empty:
        empty_note(ax, "No intensity was given in this period")
        return ax
    daily = period.groupby("diary_day")["intensity"].agg(["median", "min", "max"]).sort_index()
    x = mdates.date2num(list(daily.index))
    ax.vlines(x, daily["min"], daily["max"], color=F_COLOUR, alpha=0.55, linewidth=1.6)
    ax.plot(
        x,
        daily["median"],
        linestyle="",
        marker="o",
        markersize=3.5,
        color=F_COLOUR,
        markeredgecolor="white",
        markeredgewidth=0.4,
    )
    handles = [
        Line2D([], [], marker="o", linestyle="", color=F_COLOUR, label="median of the day"),
        Line2D([], [], color=F_COLOUR, alpha=0.55, linewidth=1.6, label="lowest – highest"),
    ]
    legend_below(ax, handles, ncols=2)
    return ax
