"""The time-of-day chart: a heat map of episodes by hour of the day and day of the week."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from diary.analysis.frames import Frames
from diary.report.charts.shared import empty_note, period_episodes

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def plot_when(ax: Axes, frames: Frames, start: date, end: date) -> Axes:
    """When episodes happen: counts by hour of the day (local clock time) and day of the week, as
    a heat map whose darker cells hold more episodes, with the count written in each cell."""
    ax.set_title("When episodes happen: hour of day by day of week")
    ax.set_xlabel("Hour of day (local time)")
    ax.set_ylabel("Day of week")
    ax.grid(False)
    ax.set_xticks(np.arange(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
    ax.set_yticks(np.arange(7), _WEEKDAYS)
    ax.set_xlim(-0.5, 23.5)
    ax.set_ylim(6.5, -0.5)
    ax.tick_params(length=0)
    ax.spines[["left", "bottom"]].set_visible(False)
    period = period_episodes(frames, start, end)
    if period.empty:
        empty_note(ax)
        return ax
    local = pd.to_datetime(period["local"])
    grid = np.zeros((7, 24), dtype=int)
    np.add.at(grid, (local.dt.day_of_week.to_numpy(), local.dt.hour.to_numpy()), 1)
    peak = max(int(grid.max()), 1)
    image = ax.imshow(
        grid, aspect="auto", vmin=0, vmax=peak, interpolation="nearest", origin="upper"
    )
    ax.set_xlim(-0.5, 23.5)
    ax.set_ylim(6.5, -0.5)
    for (row, col), count in np.ndenumerate(grid):
        if count:
            dark = count > peak * 0.55
            ax.text(
                col,
                row,
                str(count),
                ha="center",
                va="center",
                fontsize=7,
                color="white" if dark else "#222222",
            )
    bar = ax.figure.colorbar(image, ax=ax, pad=0.01, aspect=15)
    bar.set_label("Episodes")
    bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    bar.outline.set_visible(False)
    return ax
