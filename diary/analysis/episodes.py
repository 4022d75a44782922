"""The episodes frame: stored episode rows with everything the rules derive from them, at once.

Local time, diary day, night date, region, F/C kind and night are matters of convention: they are
computed here once, so each rule reads a column instead of re-deriving it. A ten-year diary holds
over 100,000 episodes, so the frame is built a whole column at a time: what needs Python (dates,
regions, sets of words) runs once per distinct value, and the codes found on the way are kept as
the frame's ``EpisodeIndex``, which the rules would otherwise compute again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from diary import thresholds as T
from diary import vocab
from diary.analysis.episode_index import Coded, EpisodeIndex
from diary.db import schema

#: The columns the rules read (notes and creation times are not analysed).
EPISODE_COLUMNS = tuple(c for c in schema.EPISODE_COLUMNS if c not in ("note", "created_at"))
EPOCH = date(1970, 1, 1)
DIARY_DAY_SHIFT = pd.Timedelta(hours=T.DIARY_DAY_SHIFT_H)
NIGHT_DATE_SHIFT = pd.Timedelta(hours=T.NIGHT_DATE_SHIFT_H)


def word_set(text: object) -> frozenset[str]:
    """A stored ``;``-joined set as a frozenset (empty for None or blank text)."""
    if not isinstance(text, str):
        return frozenset()
    return _parse_set(text)


@lru_cache(maxsize=4096)
def _parse_set(text: str) -> frozenset[str]:
    # A diary repeats the same few sets thousands of times: parse each distinct text once.
    return frozenset(w.strip() for w in text.split(";") if w.strip())


def coded_episodes(rows: Iterable[Any], as_of: date | None = None) -> EpisodeIndex:
    """The episodes frame (``EpisodeIndex.episodes``; ``Frames`` describes its columns) of rows
    in ``EPISODE_COLUMNS`` order (tuples, or mappings), with the columns it coded on the way.

    Sorted by local time; with ``as_of``, only the episodes on or before it by their local date (an
    episode at 01:00 on the day after ``as_of`` happened after it, though its diary day is
    ``as_of``).
    """
    raw = _columns(rows, EPISODE_COLUMNS)
    utc = _utc(pd.Series(raw["started_at_utc"], dtype=object))
    offset_min = raw["utc_offset_min"].astype("int64")
    local = utc.dt.tz_localize(None) + pd.to_timedelta(offset_min, unit="min")
    local_date = _days_since_epoch(local)
    kept = np.arange(len(local))
    if as_of is not None:
        kept = np.flatnonzero(local_date <= (as_of - EPOCH).days)
    order = kept[np.argsort(local.to_numpy()[kept], kind="stable")]  # ties stay in stored order
    local = local.iloc[order].reset_index(drop=True)
    column = _Recoder(raw, order)
    days = {
        "local_date": local_date[order],
        "diary_day": _days_since_epoch(local - DIARY_DAY_SHIFT),
        "night_of": _days_since_epoch(local - NIGHT_DATE_SHIFT),
    }
    dates = _dates(days)
    coded = {
        "site": column("body_site", _same),
        "side": column("side", _same),  # None when not given
        "kind": column("kind", _same),
        "symptoms": column("symptoms", word_set),
        "context": column("context", word_set),
        "region": column("body_site", _region),
        "fc": column("kind", _fc),
    }
    hour = local.dt.hour.to_numpy()
    night_clock = (hour >= T.NIGHT_START_H) | (hour < T.NIGHT_END_H)
    asleep = coded["context"].where(lambda c: isinstance(c, frozenset) and "during_sleep" in c)
    frame = pd.DataFrame(
        {
            "id": pd.Series(raw["id"][order], dtype=object),
            "started_at_utc": utc.iloc[order].reset_index(drop=True),
            "utc_offset_min": pd.Series(offset_min[order]),
            "body_site": _objects(coded["site"]),
            "side": _objects(coded["side"]),
            "intensity": _numbers(raw["intensity"][order]),
            "duration_s": _numbers(raw["duration_s"][order]),
            "kind": _objects(coded["kind"]),
            "symptoms": _objects(coded["symptoms"]),
            "context": _objects(coded["context"]),
            "local": local,
            **{name: pd.Series(values, dtype=object) for name, values in dates.items()},
            "region": _objects(coded["region"]),
            "fc": _objects(coded["fc"]),
            "night": pd.Series(night_clock | asleep, dtype=bool),
        }
    )
    epoch = EPOCH.toordinal()
    return EpisodeIndex(
        frame,
        known={
            **coded,
            "day": days["diary_day"] + epoch,
            "local_day": days["local_date"] + epoch,
            "night_of": days["night_of"] + epoch,
        },
    )


def _columns(rows: Iterable[Any], names: Sequence[str]) -> dict[str, np.ndarray]:
    """Rows (tuples in ``names``' order, or mappings) as one object array per column.

    A long diary's episodes arrive as 100,000 tuples: one 2-D array splits them into columns in C,
    where a DataFrame built from them would infer every column's type value by value.
    """
    listed = list(rows)
    if listed and isinstance(listed[0], Mapping):
        frame = pd.DataFrame(listed, columns=list(names))
        return {n: frame[n].to_numpy(dtype=object) for n in names}
    table = np.empty((len(listed), len(names)), dtype=object)
    if listed:
        table[:] = listed
    return {n: table[:, i] for i, n in enumerate(names)}


class _Recoder:
    """Stored columns, each factorized once, converted per distinct value and put in ``order``.

    Only the codes are reordered, never the values: touching 100,000 objects scattered in memory
    costs more than the conversions, and a converted column refers to a few distinct objects.
    """

    def __init__(self, raw: Mapping[str, np.ndarray], order: np.ndarray) -> None:
        self.raw = raw
        self.order = order
        self.factorized: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def __call__(self, name: str, convert: Callable[[Any], Any]) -> Coded:
        """Column ``name`` converted (a missing value converted as None)."""
        if name not in self.factorized:
            self.factorized[name] = pd.factorize(self.raw[name])
        codes, uniques = self.factorized[name]
        converted = np.empty(len(uniques) + 1, dtype=object)
        converted[:-1] = [convert(u) for u in uniques]
        converted[-1] = convert(None)  # code -1: missing
        return Coded.taken(converted, codes[self.order])


def _objects(coded: Coded) -> pd.Series:
    """A coded column as plain Python objects (None where missing): pandas would infer its str
    dtype for text, and comparisons and lookups on plain objects are several times faster."""
    values = np.empty(len(coded.values) + 1, dtype=object)
    values[:-1] = coded.values
    values[-1] = None
    return pd.Series(values[coded.codes], dtype=object)


def _numbers(values: np.ndarray) -> pd.Series:
    """Numbers as float64, NaN where not given: unknown is missing, never 3 or 0 s, so rules skip
    it (NaN compares false, medians and maxima leave it out) instead of reading it as low.

    NumPy converts stored numbers and None at once; anything else not a number is NaN too.
    """
    try:
        return pd.Series(np.asarray(values, dtype="float64"))
    except (TypeError, ValueError):
        return pd.Series(np.asarray(pd.to_numeric(values, errors="coerce"), dtype="float64"))


def _utc(stamps: pd.Series) -> pd.Series:
    """Stored timestamps as aware UTC datetimes: ISO 8601, as the diary writes them, parsed three
    times as fast as by inferring each one's format, which stays for anything else."""
    try:
        return pd.to_datetime(stamps, utc=True, format="ISO8601")
    except ValueError:
        return pd.to_datetime(stamps, utc=True, format="mixed")


def _days_since_epoch(moments: pd.Series) -> np.ndarray:
    """The calendar days of naive datetimes, as days since 1970-01-01."""
    return np.asarray(moments.to_numpy().astype("datetime64[D]").astype(np.int64))


def _dates(columns: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Columns of days since 1970-01-01 as ``datetime.date`` objects, one object per distinct
    day across them all (an episode's local date, diary day and night are a day apart at most)."""
    codes, uniques = pd.factorize(np.concatenate(list(columns.values())))
    objects = np.empty(len(uniques), dtype=object)
    objects[:] = [EPOCH + timedelta(days=int(d)) for d in uniques]
    taken = objects[codes]
    ends = np.cumsum([len(values) for values in columns.values()])
    return dict(zip(columns, np.split(taken, ends[:-1]), strict=True))


def _same(value: object) -> object:
    return value


def _region(site: object) -> str:
    return vocab.SITE_REGIONS.get(site, "other") if isinstance(site, str) else "other"


def _fc(kind: object) -> str:
    return "C" if kind == "cramp" else "F"
