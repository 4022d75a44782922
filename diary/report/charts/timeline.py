"""The timeline: episodes per day, the average per logged day, medication courses and visits.

The chart a doctor reads first: twitches and cramps as stacked bars, an average line over the days
with a check-in, each medication course as a named band, each visit as a marker, and the days
without a check-in as a grey strip, so that a day not logged never looks like a quiet day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Annotation
from matplotlib.ticker import MaxNLocator

from diary.analysis.frames import Frames, dates_between
from diary.report.charts.shared import (
    daily_counts,
    date_axis,
    empty_note,
    figure_of,
    lay_out,
    legend_below,
    period_episodes,
    period_text,
    renderer_of,
    shortened,
)
from diary.report.charts.style import C_COLOUR, F_COLOUR, MED_COLOURS, NOT_LOGGED, VISIT_COLOUR

#: The timeline's average line: over the days with a check-in only (a day not logged is no 0).
AVERAGE_LABEL = "7-day average per day with a check-in"
#: The share of the value range kept below the zero line for the "not logged" strip.
_BELOW = 0.06
#: The height of one row of labels (visits, medication courses) at the top of the timeline.
_ROW_PT = 11
_VISIT_LABELS = {
    "gp": "GP",
    "neurologist": "neurologist",
    "physiotherapist": "physio",
    "urgent_care": "urgent care",
    "emergency": "emergency",
    "other": "visit",
}


def plot_timeline(ax: Axes, frames: Frames, start: date, end: date) -> Axes:
    """Episodes per diary day in [start, end]: twitches and cramps as stacked bars, the average
    per day with a check-in over the last 7 days, medication courses as shaded bands, doctor
    visits as triangles at the top and days without a check-in as a grey strip along the bottom.

    A day without a check-in is missing, not a day of 0 episodes: the strip marks it, and the
    average counts only the days with a check-in (RULES.md's logged days)."""
    ax.set_title(f"Episodes per day, {period_text(start, end)}")
    ax.set_xlabel("Date (a diary day runs until 4 am)")
    ax.set_ylabel("Episodes per day")
    date_axis(ax, start, end)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    period = period_episodes(frames, start, end)
    if period.empty:
        ax.set_ylim(0, 5)
        empty_note(ax)
        return ax

    days = dates_between(start, end)
    x = mdates.date2num(days)
    twitches = daily_counts(period[period["fc"] == "F"], days).to_numpy()
    cramps = daily_counts(period[period["fc"] == "C"], days).to_numpy()
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
            color=F_COLOUR,
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
            color=C_COLOUR,
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
            facecolors=NOT_LOGGED,
            linewidth=0,
        )
        strip.set_transform(ax.get_xaxis_transform())
        handles.append(Patch(facecolor=NOT_LOGGED, label="no check-in: not logged"))
    ax.axhline(0, color="#555555", linewidth=0.6)
    legend_below(ax, handles, ncols=min(len(handles), 4))
    _make_headroom(ax, top, label_rows)
    _fit_labels(ax, labels)
    return ax


def timeline_height_cm(frames: Frames, start: date, end: date, base_cm: float) -> float:
    """The timeline's height: ``base_cm``, taller by a row of labels for each medication course
    or row of visits beyond two, so that their names never cover the bars."""
    if period_episodes(frames, start, end).empty:
        return base_cm
    rows = _label_rows([v.date for v in _visits(frames, start, end)], start, end)
    label_rows = (max(rows) + 1 if rows else 0) + len(_courses(frames, start, end))
    return base_cm + max(0, label_rows - 2) * _ROW_PT * 2.54 / 72 * 1.6


def _make_headroom(ax: Axes, top: int, label_rows: int) -> None:
    """Room above the tallest bar for the rows of medication and visit labels.

    The labels are a fixed number of points tall, so the room depends on how tall the plotting
    area turns out once title, ticks and legend are placed: measured after a layout pass.
    """
    figure = figure_of(ax)
    lay_out(figure)
    axes_pt = ax.get_window_extent(renderer_of(figure)).height * 72 / figure.dpi
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
    counts = daily_counts(frames.episodes, window).to_numpy(dtype=float) * logged
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
    figure = figure_of(ax)
    lay_out(figure)
    renderer = renderer_of(figure)
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


def _visits(frames: Frames, start: date, end: date) -> list[Any]:
    """The doctor visits in [start, end]."""
    return [
        v
        for v in frames.visits.itertuples(index=False)
        if v.date is not None and start <= v.date <= end
    ]


def _row_offset(row: int) -> float:
    """Points below the top of the axes for label row ``row``."""
    return -(6 + _ROW_PT * row)


def _top_note(
    ax: Axes, text: str, x: float, row: int, *, right: float = 0, **style: Any
) -> Annotation:
    """``text`` at ``x`` (in data, moved ``right`` points) in label row ``row`` below the top of
    the axes; left out of the layout (``_fit_labels`` keeps the labels inside the axes)."""
    note = ax.annotate(
        text,
        (x, 1.0),
        xycoords=ax.get_xaxis_transform(),  # x in data, y in axes fractions
        xytext=(right, _row_offset(row)),
        textcoords="offset points",
        va="center",
        annotation_clip=False,
        **style,
    )
    note.set_in_layout(False)
    return note


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
    for index, row in enumerate(courses):
        colour = MED_COLOURS[index % len(MED_COLOURS)]
        left = max(row.started_on, start)
        right = min(row.stopped_on or end, end)
        x0, x1 = mdates.date2num(left) - 0.5, mdates.date2num(right) + 0.5
        ax.axvspan(x0, x1, color=colour, alpha=0.13, linewidth=0, zorder=0)
        if left == row.started_on:
            ax.axvline(x0, color=colour, linewidth=1.0, zorder=0.5)
        name = shortened(str(row.name))
        dose = row.dose if isinstance(row.dose, str) and row.dose.strip() else ""
        since = _short_date(row.started_on, end)
        when = f"{since}–{_short_date(row.stopped_on, end)}" if row.stopped_on else f"from {since}"
        label = _top_note(
            ax,
            # The name isolated (U+2068..U+2069) in a left-to-right line: a name in Arabic must
            # neither turn the label right to left nor pull the dose's number into its run.
            f"\u200e\u2068{name}\u2069 {shortened(dose, 24)}".strip() + f" ({when})",
            x0,
            first_row + index,
            right=4,
            color=colour,
            fontsize=8,
            fontweight="bold",
            ha="left",
            # a visit's dotted line may cross the name: keep the name readable
            bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 0.5},
            zorder=4,
        )
        labels.append(label)
        handles.append(Patch(facecolor=colour, alpha=0.3, label=f"taking {name}"))
    return handles


def _visit_markers(
    ax: Axes, visits: Sequence[Any], rows: Sequence[int], end: date, labels: list[Annotation]
) -> list[Line2D]:
    """Doctor visits as a dotted line with a triangle and the kind and date of the visit."""
    if not visits:
        return []
    for visit, row in zip(visits, rows, strict=True):
        x = mdates.date2num(visit.date)
        ax.axvline(x, color=VISIT_COLOUR, linewidth=0.8, linestyle=(0, (2, 2)), zorder=1)
        _top_note(ax, "▼", x, row, color=VISIT_COLOUR, fontsize=9, ha="center")
        kind = _VISIT_LABELS.get(str(visit.kind), str(visit.kind))
        label = _top_note(
            ax,
            f"{kind} {_short_date(visit.date, end)}",
            x,
            row,
            right=7,
            color=VISIT_COLOUR,
            fontsize=8,
            ha="left",
        )
        labels.append(label)
    marker = Line2D(
        [], [], marker="v", linestyle="", markersize=7, color=VISIT_COLOUR, label="doctor visit"
    )
    return [marker]
