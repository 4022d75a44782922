"""The report's appendix tables, as rows of text: every episode, and the daily log by week.

An unknown value (an intensity or duration not given, a week with nothing logged) shows as
``UNKNOWN``, never as 0: a missing measurement is not a measurement of nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from diary import wording
from diary.report.text import day_text, one_line
from diary.wording import UNKNOWN


def _number(value: object, spec: str = "g") -> str:
    """A number as text, ``UNKNOWN`` when it was not given (None or NaN)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or pd.isna(value):
        return UNKNOWN
    return format(value, spec)


def _duration(value: object) -> str:
    seconds = _number(value, ".0f")
    return UNKNOWN if seconds == UNKNOWN else wording.duration(int(seconds))


def episode_rows(episodes: pd.DataFrame, notes: Mapping[str, str]) -> list[list[str]]:
    """One row per episode, oldest first: when, where, side, kind, intensity, duration,
    symptoms, context and the note (``notes`` maps episode ids to notes)."""
    rows = []
    for e in episodes.sort_values("local").itertuples():
        when = pd.Timestamp(e.local)
        rows.append(
            [
                f"{day_text(when.date())} {when:%H:%M}",
                wording.word(e.body_site),
                e.side if isinstance(e.side, str) and e.side else UNKNOWN,
                e.kind,
                _number(e.intensity, ".0f"),
                _duration(e.duration_s),
                ", ".join(sorted(wording.word(s) for s in e.symptoms)),
                ", ".join(sorted(wording.word(c) for c in e.context)),
                one_line(notes.get(str(e.id), "")),
            ]
        )
    return rows


def _week_index(days: pd.Series, monday: date) -> np.ndarray:
    """For each date, how many weeks after ``monday`` its week starts."""
    base = monday.toordinal()
    return np.fromiter(((d.toordinal() - base) // 7 for d in days), dtype=np.int64, count=len(days))


def _week_cells(first: date, last: date, logged: int, episodes: int) -> list[str]:
    """The first columns of a row for the days ``first``..``last``.

    Weeks with neither a check-in nor an episode were not logged at all: their episode count is
    unknown (``UNKNOWN``), not 0.
    """
    if (last - first).days < 7:
        when = day_text(first)
    else:  # no-break spaces inside the dates: a narrow column breaks the range only at the dash
        when = " – ".join(day_text(d).replace(" ", "\u00a0") for d in (first, last))
    count = str(episodes) if logged or episodes else UNKNOWN
    return [when, f"{logged}/{(last - first).days + 1}", count]


def week_rows(
    days: pd.DataFrame, start: date, end: date, episodes: pd.DataFrame
) -> list[list[str]]:
    """One row per week of [start, end] with a check-in or an episode; a run of empty weeks is
    one row. ``days`` are the daily check-ins, ``episodes`` those of the period.

    Computed by grouping the rows there are (not by walking every day or week of the period), so
    a sparse diary over ten years costs what its few entries cost.
    """
    days = days.loc[np.array([start <= d <= end for d in days["date"]], dtype=bool)]
    monday = date.fromordinal(start.toordinal() - start.weekday())
    logged = days.assign(week=_week_index(days["date"], monday))
    logged["water_l"] = logged["water_ml"] / 1000
    stats = logged.groupby("week").agg(
        n=("date", "size"),
        water=("water_l", "mean"),
        caffeine=("caffeine_mg", "mean"),
        sleep=("sleep_h", "mean"),
        stress=("stress", "mean"),
        exercise=("exercise_min", "sum"),
        exercise_given=("exercise_min", "count"),
    )
    counts = pd.Series(_week_index(episodes["diary_day"], monday)).value_counts()
    weeks = sorted(set(stats.index) | set(counts.index))
    last_week = (end.toordinal() - monday.toordinal()) // 7

    def bounds(first_week: int, last: int) -> tuple[date, date]:
        first_day = date.fromordinal(max(monday.toordinal() + 7 * first_week, start.toordinal()))
        last_day = date.fromordinal(min(monday.toordinal() + 7 * last + 6, end.toordinal()))
        return first_day, last_day

    rows: list[list[str]] = []
    previous = -1
    for week in [*weeks, last_week + 1]:
        if week > previous + 1:  # the empty weeks between two weeks with entries
            rows.append([*_week_cells(*bounds(previous + 1, week - 1), 0, 0), *[UNKNOWN] * 5])
        if week > last_week:
            break
        row = stats.loc[week] if week in stats.index else None
        cells = _week_cells(
            *bounds(week, week), int(row["n"]) if row is not None else 0, int(counts.get(week, 0))
        )
        if row is None:
            rows.append([*cells, *[UNKNOWN] * 5])
        else:
            rows.append(
                [
                    *cells,
                    _fmt(row["water"], ".1f"),
                    _fmt(row["caffeine"], ".0f"),
                    _fmt(row["sleep"], ".1f"),
                    _fmt(row["stress"], ".1f"),
                    f"{row['exercise']:.0f}" if row["exercise_given"] else UNKNOWN,
                ]
            )
        previous = week
    return rows


def _fmt(value: float, spec: str) -> str:
    return UNKNOWN if pd.isna(value) else format(value, spec)
