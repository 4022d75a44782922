"""The report's charts: one function per chart, each drawing on an ``Axes`` it is given.

Why this shape: the report runs inside a long-lived app and in worker threads, where pyplot's
global figure registry leaks figures and is not thread-safe, so only the object-oriented API is
used (``Figure`` + the Agg canvas through ``savefig``). The charts are meant for a doctor reading a
printed A4 page: colours are the colour-blind-safe Okabe–Ito palette, and every pair of series
that must be told apart also differs in hatch or marker, so a grayscale print still reads. Each
chart draws its axes even for an empty period (with a short note) instead of raising, so a new
diary still gets a report. The style lives in ``STYLE`` (the installed wheel has no ``reports/``
folder); ``reports/twitch.mplstyle`` is the same settings as a file, for people and for tests.
Nothing here does I/O except ``save_png``.
"""

from __future__ import annotations

import io
import textwrap
import warnings
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Annotation
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator
from matplotlib.transforms import ScaledTranslation

from diary import vocab
from diary.analysis.associations import INSUFFICIENT, POSSIBLE, Association
from diary.analysis.frames import Frames, dates_between
from diary.paths import write_private

#: The sample style file beside the package in the repository (absent from an installed wheel).
STYLE_PATH = Path(__file__).resolve().parents[2] / "reports" / "twitch.mplstyle"

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
#: deficiency. Hex without '#' so the same strings work in an .mplstyle file.
OKABE_ITO = {
    "black": "000000",
    "orange": "E69F00",
    "sky_blue": "56B4E9",
    "green": "009E73",
    "yellow": "F0E442",
    "blue": "0072B2",
    "vermillion": "D55E00",
    "purple": "CC79A7",
}
_CYCLE = ", ".join(f"'{OKABE_ITO[n]}'" for n in ("blue", "orange", "green", "vermillion", "purple"))

#: The report's matplotlib settings; ``reports/twitch.mplstyle`` holds the same, as a file.
#: Sizes suit a 17 cm wide chart printed on A4 (9 pt text, as in the PDF's small print).
STYLE: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 8,
    "axes.labelsize": 9,
    "axes.labelcolor": "333333",
    "axes.edgecolor": "555555",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "axes.prop_cycle": f"cycler('color', [{_CYCLE}])",
    "grid.color": "DDDDDD",
    "grid.linewidth": 0.6,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "xtick.color": "333333",
    "ytick.color": "333333",
    "legend.fontsize": 8,
    "legend.frameon": False,
    "legend.handlelength": 1.6,
    "legend.columnspacing": 1.2,
    "hatch.linewidth": 0.6,
    "image.cmap": "Blues",
    "figure.facecolor": "FFFFFF",
    "savefig.facecolor": "FFFFFF",
    "pdf.fonttype": 42,
}

EMPTY_TEXT = "No episodes in this period"
#: The timeline's average line: over the days with a check-in only (a day not logged is no 0).
AVERAGE_LABEL = "7-day average per day with a check-in"

_F_COLOUR = "#" + OKABE_ITO["blue"]
_C_COLOUR = "#" + OKABE_ITO["orange"]
_VISIT_COLOUR = "#" + OKABE_ITO["vermillion"]
_MED_COLOURS = ("#" + OKABE_ITO["green"], "#" + OKABE_ITO["purple"], "#" + OKABE_ITO["sky_blue"])
_NOT_LOGGED = "#C8C8C8"

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
_VISIT_LABELS = {
    "gp": "GP",
    "neurologist": "neurologist",
    "physiotherapist": "physio",
    "urgent_care": "urgent care",
    "emergency": "emergency",
    "other": "visit",
}
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

ChartFunction = Callable[..., Axes]


# --- figures and files ----------------------------------------------------------------------------


def _style(fallback_families: Sequence[str] = ()) -> dict[str, Any]:
    """The style, with fonts to fall back to (glyph by glyph) for text DejaVu cannot draw."""
    if not fallback_families:
        return STYLE
    return {**STYLE, "font.family": [STYLE["font.sans-serif"], *fallback_families]}


def new_figure(width_cm: float, height_cm: float) -> Figure:
    """A blank figure of that printed size, with constrained layout, under the report's style."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), layout="constrained")
    # The Agg canvas (no pyplot) so that charts can measure their text and keep it on the page.
    FigureCanvasAgg(figure)
    return figure


def render(
    chart_fn: ChartFunction,
    *args: Any,
    width_cm: float = 17.0,
    height_cm: float = 8.0,
    fallback_families: Sequence[str] = (),
    **kw: Any,
) -> Figure:
    """A figure with one Axes on which ``chart_fn(ax, *args, **kw)`` has drawn, under the style.

    ``fallback_families`` are matplotlib font families (``fonts.register_with_matplotlib``) for
    names in other scripts; text keeps the fonts it was given here when it is saved later.
    """
    with matplotlib.rc_context(_style(fallback_families)):
        figure = new_figure(width_cm, height_cm)
        ax = figure.add_subplot()
        chart_fn(ax, *args, **kw)
        figure.canvas.draw_idle()
    return figure


def figure_png_bytes(fig: Figure, dpi: int = 200) -> bytes:
    """The figure as PNG bytes (for embedding in the PDF), exactly its size times ``dpi``."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE), warnings.catch_warnings():
        # The report names characters no font has in one line of its own (fonts.describe_missing).
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def save_png(fig: Figure, path: Path, dpi: int = 150) -> None:
    """Write the figure to ``path`` as a PNG readable by its owner only (mode 0600), atomically."""
    write_private(path, figure_png_bytes(fig, dpi=dpi))


# --- shared helpers -------------------------------------------------------------------------------


def period_episodes(frames: Frames, start: date, end: date) -> pd.DataFrame:
    """The episodes whose diary day falls in [start, end]."""
    episodes = frames.episodes
    if episodes.empty or end < start:
        return episodes.iloc[0:0]
    days = episodes["diary_day"]
    mask = np.fromiter((start <= d <= end for d in days), dtype=bool, count=len(days))
    return episodes.loc[mask]


def _empty(ax: Axes, message: str = EMPTY_TEXT) -> None:
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


def _date_axis(ax: Axes, start: date, end: date) -> None:
    lo, hi = (start, end) if start <= end else (end, start)
    ax.set_xlim(mdates.date2num(lo) - 0.6, mdates.date2num(hi) + 0.6)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    # No offset text ("2026-Nov") under the axis: the title already names the period.
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))


def _legend_below(ax: Axes, handles: Sequence[Any], ncols: int, title: str | None = None) -> None:
    """A legend under the x-axis label, a fixed printed distance below the axes, never wider
    than the figure.

    An offset in points (not in axes fractions) clears the tick labels and the axis label whatever
    the chart's height; constrained layout then makes room for its height, but not for its width:
    a legend wider than the figure is cut at both sides, so it gets fewer columns until it fits.
    """
    below = ax.transAxes + ScaledTranslation(0, -34 / 72, ax.figure.dpi_scale_trans)
    figure = ax.figure
    renderer = figure.canvas.get_renderer()
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


def _short(text: str, limit: int = 32) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (a long medicine name)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def has_estimate(association: Association) -> bool:
    """Whether the factor chart draws a ratio for ``association`` (not "not enough data")."""
    ratio = association.rate_ratio
    return (
        association.claim != INSUFFICIENT
        and ratio is not None
        and bool(np.isfinite(ratio))
        and ratio > 0
    )


def _period_text(start: date, end: date) -> str:
    return f"{start:%d %b %Y} – {end:%d %b %Y}".replace(" 0", " ").lstrip("0")


def _daily_counts(episodes: pd.DataFrame, days: list[date]) -> pd.Series:
    counts = pd.Series(0, index=pd.Index(days, dtype=object), dtype="int64")
    if not episodes.empty:
        observed = episodes["diary_day"].value_counts()
        counts = counts.add(observed.reindex(counts.index, fill_value=0), fill_value=0)
    return counts.astype("int64")


# --- 1. timeline ----------------------------------------------------------------------------------


def plot_timeline(ax: Axes, frames: Frames, start: date, end: date) -> Axes:
    """Episodes per diary day in [start, end]: twitches and cramps as stacked bars, the average
    per day with a check-in over the last 7 days, medication courses as shaded bands, doctor
    visits as triangles at the top and days without a check-in as a grey strip along the bottom.

    A day without a check-in is missing, not a day of 0 episodes: the strip marks it, and the
    average counts only the days with a check-in (RULES.md's logged days)."""
    ax.set_title(f"Episodes per day, {_period_text(start, end)}")
    ax.set_xlabel("Date (a diary day runs until 4 am)")
    ax.set_ylabel("Episodes per day")
    _date_axis(ax, start, end)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    period = period_episodes(frames, start, end)
    if period.empty:
        ax.set_ylim(0, 5)
        _empty(ax)
        return ax

    days = dates_between(start, end)
    x = mdates.date2num(days)
    twitches = _daily_counts(period[period["fc"] == "F"], days).to_numpy()
    cramps = _daily_counts(period[period["fc"] == "C"], days).to_numpy()
    top = max(int((twitches + cramps).max()), 1)
    courses = _courses(frames, start, end)
    visits = _visits(frames, start, end)
    visit_rows = _label_rows([v.date for v in visits], start, end)
    label_rows = (max(visit_rows) + 1 if visit_rows else 0) + len(courses)
    ax.set_ylim(-_BELOW * top, top)  # provisional: ``_make_headroom`` sets the top

    # Bars only where there is one: a bar per day of a sparse ten-year period cost 20 s to draw.
    has_f, has_c = twitches > 0, cramps > 0
    handles: list[Any] = []
    handles.append(
        ax.bar(
            x[has_f],
            twitches[has_f],
            width=0.85,
            color=_F_COLOUR,
            linewidth=0,
            label="twitch / spasm / jerk",
        )
    )
    handles.append(
        ax.bar(
            x[has_c],
            cramps[has_c],
            bottom=twitches[has_c],
            width=0.85,
            color=_C_COLOUR,
            edgecolor="#6B4A00",
            hatch="////",
            linewidth=0,
            label="cramp",
        )
    )

    shown = _logged_average(frames, days)
    if np.isfinite(shown).any():
        (line,) = ax.plot(x, shown, color="black", linewidth=1.6, label=AVERAGE_LABEL)
        handles.append(line)

    first_course_row = max(visit_rows) + 1 if visit_rows else 0
    labels: list[Annotation] = []
    handles.extend(_medication_bands(ax, courses, start, end, first_course_row, labels))
    handles.extend(_visit_markers(ax, visits, visit_rows, end, labels))

    gaps = _runs_without_check_in(days, frames.logged_dates)
    if gaps:
        strip = ax.broken_barh(
            [(mdates.date2num(a) - 0.5, (b - a).days + 1.0) for a, b in gaps],
            (0.006, 0.04),  # in axes fractions: under the zero line whatever the scale
            facecolors=_NOT_LOGGED,
            linewidth=0,
        )
        strip.set_transform(ax.get_xaxis_transform())
        handles.append(Patch(facecolor=_NOT_LOGGED, label="no check-in: not logged"))
    ax.axhline(0, color="#555555", linewidth=0.6)
    _legend_below(ax, handles, ncols=min(len(handles), 4))
    _make_headroom(ax, top, label_rows)
    _fit_labels(ax, labels)
    return ax


#: The share of the value range kept below the zero line for the "not logged" strip.
_BELOW = 0.06


def _make_headroom(ax: Axes, top: int, label_rows: int) -> None:
    """Room above the tallest bar for the rows of medication and visit labels.

    The labels are a fixed number of points tall, so the room depends on how tall the plotting
    area turns out once title, ticks and legend are placed: measured after a layout pass.
    """
    figure = ax.figure
    figure.get_layout_engine().execute(figure)  # the layout alone, not a full draw
    axes_pt = ax.get_window_extent(figure.canvas.get_renderer()).height * 72 / figure.dpi
    needed = (_ROW_PT * label_rows + 8) / max(axes_pt, 1.0) if label_rows else 0.04
    reserved = min(0.7, needed)
    ceiling = top / ((1 + _BELOW) * (1 - reserved) - _BELOW)
    ax.set_ylim(-_BELOW * ceiling, ceiling)


def _logged_average(frames: Frames, days: Sequence[date]) -> np.ndarray:
    """For each of ``days``: episodes per day with a check-in over that day and the 6 before,
    NaN where fewer than 3 of those 7 days had a check-in.

    Why not a plain rolling mean of the daily counts: a day nobody logged would count as 0 and
    pull the line down exactly where nothing is known. Episodes on days without a check-in are
    drawn as bars but left out here, as the analysis leaves them out of its rates.
    """
    if not days:
        return np.zeros(0)
    first = days[0] - timedelta(days=6)
    window = dates_between(first, days[-1])
    logged = np.array([d in frames.logged_dates for d in window], dtype=float)
    counts = _daily_counts(frames.episodes, window).to_numpy(dtype=float) * logged
    kernel = np.ones(7)
    logged_7 = np.convolve(logged, kernel)[6 : len(window)]
    counts_7 = np.convolve(counts, kernel)[6 : len(window)]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(logged_7 >= 3, counts_7 / logged_7, np.nan)


def _fit_labels(ax: Axes, labels: Sequence[Annotation]) -> None:
    """Keep every medication and visit label inside the plotting area, whatever the period.

    A label starts just right of its date; one that would run past the right edge (a course
    started near the period's end) ends at its date instead, and one too long for either side
    sits against the right edge, shortened with an ellipsis if even that is too narrow. Measured
    after a layout pass: the plotting area's width depends on the tick labels and the legend.
    """
    if not labels:
        return
    figure = ax.figure
    figure.get_layout_engine().execute(figure)  # the layout alone, not a full draw
    renderer = figure.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    gap = 3 * figure.dpi / 72
    right_edge = ax.get_xlim()[1]
    for label in labels:
        if label.get_window_extent(renderer).x1 <= box.x1 - gap:
            continue
        dx, dy = label.xyann
        label.set_horizontalalignment("right")
        label.xyann = (-abs(dx), dy)
        if label.get_window_extent(renderer).x0 >= box.x0 + gap:
            continue
        label.xy = (right_edge, label.xy[1])
        label.xyann = (-3, dy)
        text = label.get_text()
        while label.get_window_extent(renderer).x0 < box.x0 + gap and len(text) > 4:
            text = text[:-2].rstrip() + "…"
            label.set_text(text)


def _runs_without_check_in(
    days: Sequence[date], logged: frozenset[date]
) -> list[tuple[date, date]]:
    """Consecutive days without a check-in as (first, last) runs.

    Every day of the period counts, also those before the diary's first entry (a period may
    start at the onset date the patient gave): none of them was logged. One rectangle per run
    rather than per day keeps the strip's cost to the number of gaps.
    """
    runs: list[tuple[date, date]] = []
    for day in days:
        if day in logged:
            continue
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


#: The height of one row of labels (visits, medication courses) at the top of the timeline.
_ROW_PT = 11


def _visits(frames: Frames, start: date, end: date) -> list[Any]:
    """The doctor visits in [start, end]."""
    return [
        v
        for v in frames.visits.itertuples(index=False)
        if v.date is not None and start <= v.date <= end
    ]


def timeline_height_cm(frames: Frames, start: date, end: date, base_cm: float) -> float:
    """The timeline's height: ``base_cm``, taller by a row of labels for each medication course
    or row of visits beyond two, so that their names never cover the bars."""
    if period_episodes(frames, start, end).empty:
        return base_cm
    rows = _label_rows([v.date for v in _visits(frames, start, end)], start, end)
    label_rows = (max(rows) + 1 if rows else 0) + len(_courses(frames, start, end))
    return base_cm + max(0, label_rows - 2) * _ROW_PT * 2.54 / 72 * 1.6


def _row_offset(row: int) -> float:
    """Points below the top of the axes for label row ``row``."""
    return -(6 + _ROW_PT * row)


def _label_rows(dates: Sequence[date], start: date, end: date) -> list[int]:
    """A row per label so that labels of nearby dates (within 15% of the period) do not overlap."""
    near = max(1, round(((end - start).days + 1) * 0.15))
    rows: list[int] = []
    for i, day in enumerate(dates):
        taken = {rows[j] for j in range(i) if abs((day - dates[j]).days) < near}
        rows.append(next(r for r in range(len(dates) + 1) if r not in taken))
    return rows


def _courses(frames: Frames, start: date, end: date) -> list[Any]:
    """The medication courses that overlap [start, end], in order of starting."""
    return [
        row
        for row in frames.medications.itertuples(index=False)
        if row.started_on is not None
        and row.started_on <= end
        and (row.stopped_on is None or row.stopped_on >= start)
    ]


def _short_date(day: date, end: date) -> str:
    """``18 May``, with the year when it is not the period's last year (``18 May 2025``)."""
    text = f"{day.day} {day:%b}"
    return text if day.year == end.year else f"{text} {day.year}"


def _medication_bands(
    ax: Axes,
    courses: Sequence[Any],
    start: date,
    end: date,
    first_row: int,
    labels: list[Annotation],
) -> list[Patch]:
    """Each medication course as a translucent band, named (with dose and dates) at its top."""
    handles: list[Patch] = []
    top = ax.get_xaxis_transform()  # x in data, y in axes fractions
    for index, row in enumerate(courses):
        colour = _MED_COLOURS[index % len(_MED_COLOURS)]
        left = max(row.started_on, start)
        right = min(row.stopped_on or end, end)
        x0, x1 = mdates.date2num(left) - 0.5, mdates.date2num(right) + 0.5
        ax.axvspan(x0, x1, color=colour, alpha=0.13, linewidth=0, zorder=0)
        if left == row.started_on:
            ax.axvline(x0, color=colour, linewidth=1.0, zorder=0.5)
        name = _short(str(row.name))
        dose = row.dose if isinstance(row.dose, str) and row.dose.strip() else ""
        since = _short_date(row.started_on, end)
        when = f"{since}–{_short_date(row.stopped_on, end)}" if row.stopped_on else f"from {since}"
        label = ax.annotate(
            # The name isolated (U+2068..U+2069) in a left-to-right line: a name in Arabic must
            # neither turn the label right to left nor pull the dose's number into its run.
            f"\u200e\u2068{name}\u2069 {_short(dose, 24)}".strip() + f" ({when})",
            (x0, 1.0),
            xycoords=top,
            xytext=(4, _row_offset(first_row + index)),
            textcoords="offset points",
            color=colour,
            fontsize=8,
            fontweight="bold",
            ha="left",
            va="center",
            annotation_clip=False,
            # a visit's dotted line may cross the name: keep the name readable
            bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 0.5},
            zorder=4,
        )
        label.set_in_layout(False)  # kept inside the axes by ``_fit_labels``
        labels.append(label)
        handles.append(Patch(facecolor=colour, alpha=0.3, label=f"taking {name}"))
    return handles


def _visit_markers(
    ax: Axes, visits: Sequence[Any], rows: Sequence[int], end: date, labels: list[Annotation]
) -> list[Line2D]:
    """Doctor visits as a dotted line with a triangle and the kind and date of the visit."""
    if not visits:
        return []
    top = ax.get_xaxis_transform()
    for visit, row in zip(visits, rows, strict=True):
        x = mdates.date2num(visit.date)
        ax.axvline(x, color=_VISIT_COLOUR, linewidth=0.8, linestyle=(0, (2, 2)), zorder=1)
        ax.annotate(
            "▼",
            (x, 1.0),
            xycoords=top,
            xytext=(0, _row_offset(row)),
            textcoords="offset points",
            color=_VISIT_COLOUR,
            fontsize=9,
            ha="center",
            va="center",
            annotation_clip=False,
        ).set_in_layout(False)
        kind = _VISIT_LABELS.get(str(visit.kind), str(visit.kind))
        label = ax.annotate(
            f"{kind} {_short_date(visit.date, end)}",
            (x, 1.0),
            xycoords=top,
            xytext=(7, _row_offset(row)),
            textcoords="offset points",
            color=_VISIT_COLOUR,
            fontsize=8,
            ha="left",
            va="center",
            annotation_clip=False,
        )
        label.set_in_layout(False)
        labels.append(label)
    marker = Line2D(
        [], [], marker="v", linestyle="", markersize=7, color=_VISIT_COLOUR, label="doctor visit"
    )
    return [marker]


# --- 2. intensity ---------------------------------------------------------------------------------


def plot_intensity(ax: Axes, frames: Frames, start: date, end: date) -> Axes:
    """How strong the episodes were: each day's median intensity (twitches and cramps together) as
    a dot, the day's weakest to strongest episode as a vertical line, on the diary's 1–10 scale."""
    ax.set_title("Intensity per day (all episodes): median and range")
    ax.set_xlabel("Date (a diary day runs until 4 am)")
    ax.set_ylabel("Intensity (1–10)")
    _date_axis(ax, start, end)
    ax.set_ylim(0, 10.5)
    ax.yaxis.set_major_locator(FixedLocator([0, 2, 4, 6, 8, 10]))
    period = period_episodes(frames, start, end)
    if period.empty:
        _empty(ax)
        return ax
    # An intensity not given is missing, not 0: only the given ones are drawn.
    period = period.assign(intensity=pd.to_numeric(period["intensity"], errors="coerce"))
    period = period[period["intensity"].notna()]
    if period.empty:
        _empty(ax, "No intensity was given in this period")
        return ax
    daily = period.groupby("diary_day")["intensity"].agg(["median", "min", "max"]).sort_index()
    x = mdates.date2num(list(daily.index))
    ax.vlines(x, daily["min"], daily["max"], color=_F_COLOUR, alpha=0.55, linewidth=1.6)
    ax.plot(
        x,
        daily["median"],
        linestyle="",
        marker="o",
        markersize=3.5,
        color=_F_COLOUR,
        markeredgecolor="white",
        markeredgewidth=0.4,
    )
    handles = [
        Line2D([], [], marker="o", linestyle="", color=_F_COLOUR, label="median of the day"),
        Line2D([], [], color=_F_COLOUR, alpha=0.55, linewidth=1.6, label="lowest – highest"),
    ]
    _legend_below(ax, handles, ncols=2)
    return ax


# --- 3. body sites --------------------------------------------------------------------------------


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
        _empty(ax)
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
    _legend_below(ax, handles, ncols=len(handles))
    return ax


# --- 4. time of day -------------------------------------------------------------------------------


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
        _empty(ax)
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


# --- 5. factors -----------------------------------------------------------------------------------


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


_FINE_TICKS = (0.5, 0.75, 1, 1.5, 2, 3)
_COARSE_TICKS = (1 / 16, 0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 32)


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
        _empty(ax, "No factors to show: the daily check-ins are needed for this")
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
        colour = _VISIT_COLOUR if possible else _F_COLOUR
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
            Line2D([], [], marker="s", linestyle="", color=_VISIT_COLOUR, label="possible link")
        )
    if "other" in drawn_claims:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color=_F_COLOUR,
                markerfacecolor="white",
                markeredgewidth=1.5,
                label="no clear link",
            )
        )
    if handles:
        _legend_below(ax, handles, ncols=len(handles), title="Associations, not proof of cause")
    return ax
