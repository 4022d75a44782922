"""What every flag rule reads: the frames cut at ``as_of``, and helpers to find days in them.

``Context`` gathers what several rules need once (F-episodes, cramps, every dated set of
symptoms) and records the rules held back by coverage ("not enough data"). The helpers find
dates in a window, runs of days and windows holding enough days; each rule then only says what
pattern it looks for.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import numpy as np
import pandas as pd

from diary import thresholds as T
from diary.analysis.flags.model import NotEnoughData
from diary.analysis.frames import Frames, dates_between


@dataclass
class Context:
    """One evaluation: the frames (already cut at ``as_of``) and the notes it leaves behind."""

    frames: Frames
    as_of: date
    notes: list[NotEnoughData] = field(default_factory=list)

    @property
    def episodes(self) -> pd.DataFrame:
        """Every episode (all kinds)."""
        return self.frames.episodes

    @cached_property
    def f_episodes(self) -> pd.DataFrame:
        """The twitch-like episodes (fasciculation class ``F``)."""
        return self.frames.episodes[self.frames.episodes["fc"] == "F"]

    @cached_property
    def cramps(self) -> pd.DataFrame:
        """The cramps."""
        return self.frames.episodes[self.frames.episodes["kind"] == "cramp"]

    @cached_property
    def symptom_records(self) -> list[tuple[date, frozenset[str], str]]:
        """Every (date, symptoms, source) with symptoms, gathered once for all the rules."""
        return list(_symptom_records(self.frames))

    def coverage(self, start: date, end: date) -> tuple[int, int]:
        """(logged days, days) in [start, end], clipped to the diary's first day and as_of."""
        first = self.frames.first_day
        if first is None:
            return 0, 0
        start, end = max(start, first), min(end, self.as_of)
        window = dates_between(start, end)
        logged = self.frames.logged_dates
        return sum(d in logged for d in window), len(window)

    def covered(self, rule: str, start: date, end: date) -> bool:
        """True when [start, end] is logged on ≥ 60% of its days; else note "not enough data"."""
        logged, days = self.coverage(start, end)
        if days and logged / days >= T.MIN_COVERAGE:
            return True
        self.notes.append(NotEnoughData(rule, start, end, logged, days))
        return False


def _symptom_records(frames: Frames) -> Iterator[tuple[date, frozenset[str], str]]:
    """(date, symptoms, 'episode'|'day') for every episode and logged day carrying symptoms."""
    for day, symptoms in zip(
        frames.episodes["diary_day"], frames.episodes["symptoms"], strict=True
    ):
        if symptoms:
            yield day, symptoms, "episode"
    for day, symptoms in zip(frames.days["date"], frames.days["symptoms"], strict=True):
        if symptoms:
            yield day, symptoms, "day"


def within(days: pd.Series, start: date | None, end: date | None) -> pd.Series:
    """Which dates in ``days`` fall in [start, end] (None = open end), aligned to its index."""
    values = days.to_numpy(dtype=object)
    keep = np.ones(len(values), dtype=bool)
    # The bounds as 0-d object arrays: compared element by element with the dates.
    if start is not None:
        keep &= np.greater_equal(values, np.asarray(start, dtype=object)).astype(bool)
    if end is not None:
        keep &= np.less_equal(values, np.asarray(end, dtype=object)).astype(bool)
    return pd.Series(keep, index=days.index, dtype=bool)


def has(values: pd.Series, words: Iterable[str]) -> pd.Series:
    """Which sets in ``values`` share at least one word with ``words``."""
    wanted = frozenset(words)
    # A diary repeats a handful of distinct sets: decide each once, then map.
    sets = values.tolist()
    verdict = {s: bool(s & wanted) for s in set(sets)}
    return pd.Series([verdict[s] for s in sets], index=values.index, dtype=bool)


def gradual(symptoms: frozenset[str]) -> bool:
    """Onset qualifies the neuro symptoms logged with it; none given (or sudden) = sudden."""
    return "gradual_onset" in symptoms and "sudden_onset" not in symptoms


def runs(days: Iterable[date], gap: int = T.RUN_SPLIT_GAP_DAYS) -> list[list[date]]:
    """Distinct days split into runs wherever consecutive days are more than ``gap`` days apart."""
    result: list[list[date]] = []
    for day in sorted(set(days)):
        if result and (day - result[-1][-1]).days <= gap:
            result[-1].append(day)
        else:
            result.append([day])
    return result


def between(days: Iterable[date]) -> str:
    """ "between FIRST and LAST" of the days a window counted (never a window's unused end)."""
    distinct = sorted(set(days))
    return f"between {distinct[0]} and {distinct[-1]}"


def count_between(ordered: list[date], start: date, end: date) -> int:
    """How many of the sorted ``ordered`` dates fall in [start, end] (binary search, not a scan)."""
    return bisect_right(ordered, end) - bisect_left(ordered, start)


def windows(
    days: Iterable[date], length: int, minimum: int, as_of: date
) -> list[tuple[date, date, int]]:
    """Every window of ``length`` days, ending by ``as_of``, that holds ≥ ``minimum`` of ``days``.

    A window holding enough days always has one starting on its earliest day (moved back to end on
    ``as_of`` when it would run past it), so checking those starts finds every qualifying set.
    Returned latest first, as (start, end, count).
    """
    distinct = sorted(set(days))
    found = []
    for day in distinct:
        end = min(day + timedelta(days=length - 1), as_of)
        start = end - timedelta(days=length - 1)
        count = count_between(distinct, start, end)
        if count >= minimum:
            found.append((start, end, count))
    return sorted(found, reverse=True)


def two_windows(
    days: Iterable[date], length: int, minimum: int, as_of: date
) -> tuple[date, date] | None:
    """The latest pair of consecutive ``length``-day windows, ending by ``as_of``, each holding
    ≥ ``minimum`` of ``days``; returned as (first day of the pair, last day of the pair)."""
    distinct = sorted(set(days))
    if len(distinct) < 2 * minimum:
        return None
    last_split = min(distinct[-1], as_of - timedelta(days=length - 1))
    for split in reversed(dates_between(distinct[0], last_split)):
        first = split - timedelta(days=length)
        last = split + timedelta(days=length - 1)
        before = count_between(distinct, first, split - timedelta(days=1))
        after = count_between(distinct, split, last)
        if before >= minimum and after >= minimum:
            return first, last
    return None


def exercise_dates(frames: Frames) -> frozenset[date]:
    """The days with long (≥ 60 min) or vigorous exercise."""
    days = frames.days
    if days.empty:
        return frozenset()
    long_enough = days["exercise_min"].fillna(0) >= T.EXERCISE_MIN_MINUTES
    vigorous = days["exercise_intensity"] == T.EXERCISE_VIGOROUS
    return frozenset(days.loc[long_enough | vigorous, "date"])
