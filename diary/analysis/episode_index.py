"""The episodes' columns coded as NumPy arrays, so a rule's test over 100,000 episodes is one mask.

The episodes frame holds Python objects (dates, words, sets of words), and comparing such a column
runs a Python comparison on every row. A diary has far fewer distinct values than rows: a few
thousand days, a few dozen sites, a handful of sets. So each column is coded once — days as
ordinals (``date.toordinal``), words and sets as codes into their distinct values — and a test
runs once per distinct value, then spreads to every row through the codes. The rules select rows
with these masks and read the frame only for the few rows they name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd


class Coded:
    """One column as codes into its distinct values (a value may be on no row: coded before rows
    were left out); a missing value (None) has code -1."""

    def __init__(self, codes: np.ndarray, values: list[object]) -> None:
        self.codes = codes
        self.values = values

    @classmethod
    def of(cls, column: pd.Series | np.ndarray) -> Coded:
        """Code a column (None and NaN are missing)."""
        codes, uniques = pd.factorize(np.asarray(column, dtype=object))
        return cls(codes, list(uniques))

    @classmethod
    def taken(cls, table: np.ndarray, at: np.ndarray) -> Coded:
        """Code the column ``table[at]`` (``at`` -1: the last entry) from the few values in
        ``table`` alone, without reading a row."""
        coded = cls.of(table)
        return cls(coded.codes[at], coded.values)

    def where(self, test: Callable[[object], bool]) -> np.ndarray:
        """Which rows pass ``test`` (asked once per distinct value, and once for None)."""
        # The verdict for missing goes last, where code -1 indexes it.
        verdicts = np.array([bool(test(v)) for v in self.values] + [bool(test(None))], dtype=bool)
        return verdicts[self.codes]

    def isin(self, wanted: Iterable[object]) -> np.ndarray:
        """Which rows hold one of ``wanted``."""
        chosen = frozenset(wanted)
        return self.where(lambda v: v in chosen)

    def has(self, words: Iterable[str]) -> np.ndarray:
        """Which rows' sets share at least one word with ``words`` (for the set columns)."""
        wanted = frozenset(words)
        return self.where(lambda s: isinstance(s, frozenset) and bool(s & wanted))


def ordinals(column: pd.Series) -> np.ndarray:
    """A column of ``datetime.date`` as ordinals (``date.toordinal``), one conversion per day."""
    codes, uniques = pd.factorize(column.to_numpy(dtype=object))
    per_day = np.array([d.toordinal() for d in uniques], dtype=np.int64)
    return per_day[codes] if len(per_day) else np.zeros(len(codes), dtype=np.int64)


def to_dates(days: np.ndarray) -> list[date]:
    """Ordinals back to ``datetime.date``, in order."""
    return [date.fromordinal(int(d)) for d in days]


def distinct_days(days: np.ndarray) -> list[date]:
    """The distinct ordinals in ``days`` as sorted dates (what ``sorted(set(dates))`` gives)."""
    return to_dates(np.unique(days))


def _coded(column: str, doc: str) -> cached_property[Coded]:
    """An ``EpisodeIndex`` attribute: ``column`` coded on first use."""

    def code(index: EpisodeIndex) -> Coded:
        return Coded.of(index.episodes[column])

    code.__doc__ = doc
    return cached_property(code)


def _ordinals(column: str, doc: str) -> cached_property[np.ndarray]:
    """An ``EpisodeIndex`` attribute: the dates of ``column`` as ordinals, on first use."""

    def convert(index: EpisodeIndex) -> np.ndarray:
        return ordinals(index.episodes[column])

    convert.__doc__ = doc
    return cached_property(convert)


def _array(column: str, dtype: type, doc: str) -> cached_property[np.ndarray]:
    """An ``EpisodeIndex`` attribute: ``column`` as a NumPy array of ``dtype``, on first use."""

    def convert(index: EpisodeIndex) -> np.ndarray:
        return index.episodes[column].to_numpy(dtype=dtype)

    convert.__doc__ = doc
    return cached_property(convert)


class EpisodeIndex:
    """The coded columns of one episodes frame, each computed on first use and kept."""

    day = _ordinals("diary_day", "The diary day of each episode, as an ordinal.")
    local_day = _ordinals("local_date", "The local calendar date of each episode, as an ordinal.")
    night_of = _ordinals("night_of", "The evening that dates each episode's night, as an ordinal.")
    night = _array("night", bool, "Episodes at night (by the clock, or logged during sleep).")
    duration = _array("duration_s", float, "Durations in seconds (NaN when not given).")
    intensity = _array("intensity", float, "Intensities (NaN when not given).")
    fc = _coded("fc", "'F' or 'C'.")
    kind = _coded("kind", "twitch, cramp, spasm, jerk.")
    site = _coded("body_site", "The body site.")
    side = _coded("side", "The side (None when not given).")
    region = _coded("region", "The region of the body site.")
    symptoms = _coded("symptoms", "The symptoms logged with each episode (sets).")
    context = _coded("context", "The context of each episode (sets).")

    def __init__(self, episodes: pd.DataFrame, known: Mapping[str, object] | None = None) -> None:
        """``known``: columns already coded by whoever built ``episodes`` (attribute -> value,
        as this class would compute them), so they are not coded twice."""
        self.episodes = episodes
        self.__dict__.update(known or {})

    @cached_property
    def f(self) -> np.ndarray:
        """Twitch-like episodes (fasciculation class ``F``)."""
        return self.fc.isin(["F"])

    @cached_property
    def cramp(self) -> np.ndarray:
        """Cramps."""
        return self.kind.isin(["cramp"])

    def within(self, start: date | None, end: date | None) -> np.ndarray:
        """Episodes whose diary day falls in [start, end] (None = open end)."""
        keep = np.ones(len(self.day), dtype=bool)
        if start is not None:
            keep &= self.day >= start.toordinal()
        if end is not None:
            keep &= self.day <= end.toordinal()
        return keep

    @cached_property
    def f_per_day(self) -> dict[date, int]:
        """How many F-episodes fall on each diary day that has any."""
        return self.per_day(self.f)

    def per_day(self, mask: np.ndarray | None = None) -> dict[date, int]:
        """How many episodes (those in ``mask``, or all) fall on each diary day that has any."""
        days = self.day if mask is None else self.day[mask]
        found, counts = np.unique(days, return_counts=True)
        return dict(zip(to_dates(found), (int(n) for n in counts), strict=True))
