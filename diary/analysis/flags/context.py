"""What every flag rule reads: the frames cut at ``as_of``, and helpers to find days in them.

``Context`` gathers what several rules need once (the episodes' coded columns, every dated set
of symptoms, with the weekly checks' "yes" answers among them) and records the rules held back
by coverage ("not enough data"). A rule picks its episodes with masks over ``Context.index`` (one
comparison per distinct value, not per episode) and reads the frame only for the rows it names.
The helpers find dates in a window, runs of days and windows holding enough days; each rule then
only says what pattern it looks for.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import cast

import numpy as np
import pandas as pd

from diary import thresholds as T
from diary import wording as W
from diary.analysis.check_summary import sign_summary
from diary.analysis.episode_index import EpisodeIndex, ordinals
from diary.analysis.flags.model import NotEnoughData
from diary.analysis.frames import Frames, dates_between
from diary.vocab import SIGN_SYMPTOMS


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

    @property
    def index(self) -> EpisodeIndex:
        """The episodes' columns coded for masks (``episodes[mask]`` keeps the frame's order)."""
        return self.frames.index

    @cached_property
    def sign_yes(self) -> dict[str, list[date]]:
        """Each weekly-check sign answered yes at least once -> the dates of those checks."""
        return sign_yes(self.frames)

    @cached_property
    def sign_symptoms(self) -> list[tuple[date, frozenset[str]]]:
        """The weekly checks with a "yes" that stands for a symptom: (date, those symptoms)."""
        return sign_symptoms(self.frames)

    @cached_property
    def symptom_dates(self) -> dict[frozenset[str], list[date]]:
        """Every distinct set of symptoms logged (with an episode, on a day, or as a "yes" on a
        weekly check) and the dates it was logged on, gathered once: the rules ask each set once,
        not each of thousands of records."""
        found = _symptom_dates(self.frames)
        for day, symptoms in self.sign_symptoms:
            found.setdefault(symptoms, []).append(day)
        return found

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


def _symptom_dates(frames: Frames) -> dict[frozenset[str], list[date]]:
    """Each non-empty set of symptoms with its dates: episodes' diary days, then logged days."""
    found: dict[frozenset[str], list[date]] = {}
    coded = frames.index.symptoms
    rows = np.flatnonzero(coded.where(bool))
    rows = rows[np.argsort(coded.codes[rows], kind="stable")]  # grouped by set
    codes = coded.codes[rows]
    days = frames.episodes["diary_day"].to_numpy()[rows]
    for group in np.split(np.arange(len(rows)), np.flatnonzero(np.diff(codes)) + 1):
        if len(group):
            symptoms = cast(frozenset[str], coded.values[codes[group[0]]])
            found.setdefault(symptoms, []).extend(days[group])
    for day, symptoms in zip(frames.days["date"], frames.days["symptoms"], strict=True):
        if symptoms:
            found.setdefault(symptoms, []).append(day)
    return found


def sign_yes(frames: Frames) -> dict[str, list[date]]:
    """Each sign answered yes on a weekly check -> the checks' dates, as the report counts them
    (``check_summary.sign_summary``): a sign not asked is neither yes nor no."""
    answers = sign_summary(frames.checks.signs).answers
    return {a.sign: list(a.yes_dates) for a in answers if a.yes}


def sign_symptoms(frames: Frames) -> list[tuple[date, frozenset[str]]]:
    """A "yes" is evidence of its symptom on the check's date (``vocab.SIGN_SYMPTOMS``): each
    check's symptoms, as a day's would be, oldest first. No onset is asked, so the onset rules read
    them as a symptom logged without one."""
    per_day: dict[date, set[str]] = {}
    for sign, days in sign_yes(frames).items():
        if sign in SIGN_SYMPTOMS:
            for day in days:
                per_day.setdefault(day, set()).add(SIGN_SYMPTOMS[sign])
    return [(day, frozenset(per_day[day])) for day in sorted(per_day)]


def weekly_yes(dates: Iterable[date]) -> str:
    """ "yes on the weekly check of D" (or "yes on N weekly checks, latest D"), "" for none."""
    distinct = sorted(set(dates))
    if not distinct:
        return ""
    if len(distinct) == 1:
        return f"yes on the weekly check of {distinct[0]}"
    return f"yes on {len(distinct)} weekly checks, latest {distinct[-1]}"


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


def longest(episodes: pd.DataFrame) -> str:
    """ "longest 12 min, calf (left) on 2025-03-04": the longest of ``episodes`` (the first of
    equals) for a rule's evidence."""
    worst = episodes.loc[episodes["duration_s"].idxmax()]
    return (
        f"longest {W.duration(worst['duration_s'])}, "
        f"{W.location(worst['body_site'], worst['side'])} on {worst['local_date']}"
    )


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
) -> tuple[date, date, list[date]] | None:
    """The latest pair of consecutive ``length``-day windows, ending by ``as_of``, each holding
    ≥ ``minimum`` of ``days``: (first day of the pair, last day of the pair, the days in it)."""
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
            return first, last, [d for d in distinct if first <= d <= last]
    return None


def day_values(days: pd.DataFrame, column: str, wanted: np.ndarray) -> np.ndarray:
    """``column`` of the logged days at the ordinals ``wanted``, NaN where a day is not logged.

    ``days`` is sorted by date (as ``Frames`` keeps it); were a date logged twice, its last row
    would count, as in a dict built from the rows.
    """
    logged = ordinals(days["date"])
    if not len(logged):
        return np.full(len(wanted), np.nan)
    values = days[column].to_numpy(dtype=float)
    at = np.clip(np.searchsorted(logged, wanted, side="right") - 1, 0, None)
    return np.where(logged[at] == wanted, values[at], np.nan)


def exercise_dates(frames: Frames) -> frozenset[date]:
    """The days with long (≥ 60 min) or vigorous exercise."""
    days = frames.days
    if days.empty:
        return frozenset()
    long_enough = days["exercise_min"].fillna(0) >= T.EXERCISE_MIN_MINUTES
    vigorous = days["exercise_intensity"] == T.EXERCISE_VIGOROUS
    return frozenset(days.loc[long_enough | vigorous, "date"])
