"""What several charts draw or count the same way: the period's episodes, the date axis, the
legend under the axes, the note for an empty chart, and measuring text before it is placed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.transforms import ScaledTranslation

from diary.analysis.frames import Frames

EMPTY_TEXT = "No episodes in this period"


def period_episodes(frames: Frames, start: date, end: date) -> pd.DataFrame:
    """The episodes whose diary day falls in [start, end]."""
    episodes = frames.episodes
    if episodes.empty or end < start:
        return episodes.iloc[0:0]
    days = episodes["diary_day"]
    mask = np.fromiter((start <= d <= end for d in days), dtype=bool, count=len(days))
    return episodes.loc[mask]


def daily_counts(episodes: pd.DataFrame, days: list[date]) -> pd.Series:
    """Episodes per diary day, for exactly ``days`` (0 where none)."""
    counts = pd.Series(0, index=pd.Index(days, dtype=object), dtype="int64")
    if not episodes.empty:
        observed = episodes["diary_day"].value_counts()
        counts = counts.add(observed.reindex(counts.index, fill_value=0), fill_value=0)
    return counts.astype("int64")


def empty_note(ax: Axes, message: str = EMPTY_TEXT) -> None:
    """A calm, centred note where a chart has nothing to draw."""
    ax.text(
        0.5,
        0.5,
        message,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=10,
        color="#555555",
    )


def date_axis(ax: Axes, start: date, end: date) -> None:
    """An x-axis of dates from ``start`` to ``end``, a few concise ticks, no offset text."""
    lo, hi = (start, end) if start <= end else (end, start)
    ax.set_xlim(mdates.date2num(lo) - 0.6, mdates.date2num(hi) + 0.6)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    # No offset text ("2026-Nov") under the axis: the title already names the period.
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))


def period_text(start: date, end: date) -> str:
    """``1 Mar 2025 – 29 May 2025`` (no leading zeros)."""
    return f"{start:%d %b %Y} – {end:%d %b %Y}".replace(" 0", " ").lstrip("0")


def shortened(text: str, limit: int = 32) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (a long medicine name)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def figure_of(ax: Axes) -> Figure:
    """The figure ``ax`` is drawn on."""
    figure = ax.get_figure(root=True)
    if figure is None:
        raise ValueError("the chart's axes belong to no figure")
    return figure


def renderer_of(figure: Figure) -> RendererAgg:
    """The Agg renderer that ``new_figure`` attached, to measure text before it is placed."""
    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        raise TypeError("charts draw on figures made by figures.new_figure (an Agg canvas)")
    return canvas.get_renderer()


def lay_out(figure: Figure) -> None:
    """Place titles, ticks and legends (the layout alone, not a full draw) to measure after."""
    engine = figure.get_layout_engine()
    if engine is not None:
        engine.execute(figure)


def legend_below(ax: Axes, handles: Sequence[Any], ncols: int, title: str | None = None) -> None:
    """A legend under the x-axis label, a fixed printed distance below the axes, never wider
    than the figure.

    An offset in points (not in axes fractions) clears the tick labels and the axis label whatever
    the chart's height; constrained layout then makes room for its height, but not for its width:
    a legend wider than the figure is cut at both sides, so it gets fewer columns until it fits.
    """
    figure = figure_of(ax)
    below = ax.transAxes + ScaledTranslation(0, -34 / 72, figure.dpi_scale_trans)
    renderer = renderer_of(figure)
    room = figure.bbox.width * 0.98
    for columns in range(max(1, ncols), 0, -1):
        legend = ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            bbox_transform=below,
            ncols=columns,
            borderaxespad=0,
            title=title,
            title_fontsize=8,
        )
        if legend.get_window_extent(renderer).width <= room:
            return
