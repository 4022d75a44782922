"""The diary read once from the database into DataFrames, already cut at ``as_of``.

This is the only module of the analysis that does I/O. Everything the rules need that is a matter
of convention (local time, diary day, region, F/C kind, night) is computed here once, so each rule
reads a column instead of re-deriving it — and so tests can build ``Frames`` directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from diary import thresholds as T
from diary import vocab
from diary.db import schema

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

F_KINDS = frozenset({"twitch", "spasm", "jerk"})

#: The columns the rules read (notes and creation times are not analysed).
EPISODE_COLUMNS = tuple(c for c in schema.EPISODE_COLUMNS if c not in ("note", "created_at"))
DAY_COLUMNS = tuple(c for c in schema.DAY_COLUMNS if c != "note")
MEDICATION_COLUMNS = ("id", "name", "drug_class", "dose", "started_on", "stopped_on")
VISIT_COLUMNS = ("id", "date", "kind", "tests", "outcome")


@dataclass(frozen=True)
class Frames:
    """The diary as the rules see it.

    - ``episodes``: one row per episode, sorted by ``local``; columns ``id``, ``started_at_utc``
      (aware UTC), ``utc_offset_min``, ``local`` (naive local wall-clock time), ``local_date``,
      ``diary_day`` and ``night_of`` (``datetime.date``), ``body_site``, ``side`` (str or None),
      ``region``, ``intensity`` and ``duration_s`` (float, NaN when not given: unknown is
      missing, not 0), ``kind``, ``fc`` ('F' or 'C'), ``night`` (bool),
      ``symptoms`` and ``context`` (frozensets).
    - ``days``: one row per logged day, sorted by ``date`` (``datetime.date``); the day's numbers
      (NaN when not given), ``exercise_intensity`` (str or None), ``symptoms`` (frozenset).
    - ``medications``: ``id``, ``name``, ``drug_class``, ``dose``, ``started_on``, ``stopped_on``.
    - ``visits``: ``id``, ``date``, ``kind``, ``tests`` (frozenset), ``outcome``.
    - ``profile``: key -> value, with ``family_history`` as the stored ``;``-joined text.
    """

    episodes: pd.DataFrame
    days: pd.DataFrame
    medications: pd.DataFrame
    visits: pd.DataFrame
    profile: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def first_day(self) -> date | None:
        """The first day the diary covers: the earliest logged day or episode diary day."""
        candidates = []
        if not self.days.empty:
            candidates.append(min(self.days["date"]))
        if not self.episodes.empty:
            candidates.append(min(self.episodes["diary_day"]))
        return min(candidates) if candidates else None

    @cached_property
    def logged_dates(self) -> frozenset[date]:
        """Dates with a ``day`` row (an explicit "nothing today" counts)."""
        return frozenset(self.days["date"]) if not self.days.empty else frozenset()

    def family_history(self) -> frozenset[str]:
        """The neurological conditions the profile lists for the family."""
        return word_set(self.profile.get("family_history", ""))


def word_set(text: object) -> frozenset[str]:
    """A stored ``;``-joined set as a frozenset (empty for None or blank text)."""
    if not isinstance(text, str):
        return frozenset()
    return _parse_set(text)


@lru_cache(maxsize=4096)
def _parse_set(text: str) -> frozenset[str]:
    # A diary repeats the same few sets thousands of times: parse each distinct text once.
    return frozenset(w.strip() for w in text.split(";") if w.strip())


def _as_date(value: object) -> date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def episodes_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Episode rows (the ``episode`` table's columns) with the derived columns the rules read."""
    frame = pd.DataFrame(list(rows), columns=list(EPISODE_COLUMNS))
    utc = pd.to_datetime(frame["started_at_utc"], utc=True, format="mixed")
    offsets = pd.to_timedelta(frame["utc_offset_min"].astype("int64"), unit="min")
    local = utc.dt.tz_localize(None) + offsets
    frame["started_at_utc"] = utc
    frame["local"] = local
    frame["local_date"] = _dates(local)
    frame["diary_day"] = _dates(local - pd.Timedelta(hours=T.DIARY_DAY_SHIFT_H))
    frame["night_of"] = _dates(local - pd.Timedelta(hours=T.NIGHT_DATE_SHIFT_H))
    # Plain object columns: comparisons and lookups on them are several times faster than on
    # pandas' string dtype, and the rules compare these columns a lot.
    frame["region"] = [vocab.SITE_REGIONS.get(s, "other") for s in frame["body_site"].tolist()]
    frame["fc"] = np.where(frame["kind"].to_numpy() == "cramp", "C", "F")
    for column in ("id", "body_site", "side", "kind", "region", "fc"):
        frame[column] = frame[column].astype(object)  # explicit: pandas would infer its str dtype
    frame["side"] = frame["side"].where(frame["side"].notna(), None)
    frame["symptoms"] = [word_set(v) for v in frame["symptoms"].tolist()]
    contexts = [word_set(v) for v in frame["context"].tolist()]
    frame["context"] = contexts
    hour = local.dt.hour
    night_clock = (hour >= T.NIGHT_START_H) | (hour < T.NIGHT_END_H)
    asleep = np.fromiter(("during_sleep" in c for c in contexts), dtype=bool, count=len(contexts))
    frame["night"] = (night_clock.to_numpy() | asleep).astype(bool)
    # Not given is missing (NaN), never 3 or 0 s: float columns, so rules skip it (NaN compares
    # false, medians and maxima leave it out) instead of reading it as a low value.
    frame["intensity"] = pd.to_numeric(frame["intensity"], errors="coerce").astype("float64")
    frame["duration_s"] = pd.to_numeric(frame["duration_s"], errors="coerce").astype("float64")
    return frame.sort_values("local", kind="stable").reset_index(drop=True)


def _dates(moments: pd.Series) -> pd.Series:
    """The calendar dates of naive datetimes as ``datetime.date`` objects, one per distinct day.

    ``Series.dt.date`` builds a Python object per row; a diary has far fewer days than episodes.
    """
    codes, uniques = pd.factorize(moments.dt.normalize())
    as_dates = np.array([u.date() for u in uniques], dtype=object)
    return pd.Series(as_dates[codes] if len(codes) else [], index=moments.index, dtype=object)


def days_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Day rows (the ``day`` table's columns), dates as ``datetime.date``, symptoms as sets."""
    frame = pd.DataFrame(list(rows), columns=list(DAY_COLUMNS))
    frame["date"] = [_as_date(v) for v in frame["date"]]
    for column in ("water_ml", "caffeine_mg", "alcohol_units", "exercise_min", "sleep_h"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in ("sleep_quality", "stress"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame["exercise_intensity"] = (
        frame["exercise_intensity"].astype(object).where(frame["exercise_intensity"].notna(), None)
    )
    frame["symptoms"] = [word_set(v) for v in frame["symptoms"]]
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def medications_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Medication rows with ``started_on``/``stopped_on`` as ``datetime.date`` (or None)."""
    frame = pd.DataFrame(list(rows), columns=list(MEDICATION_COLUMNS))
    frame["started_on"] = [_as_date(v) for v in frame["started_on"]]
    frame["stopped_on"] = pd.Series([_as_date(v) for v in frame["stopped_on"]], dtype=object)
    return frame.sort_values("started_on", kind="stable").reset_index(drop=True)


def visits_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Visit rows with ``date`` as ``datetime.date`` and ``tests`` as a frozenset."""
    frame = pd.DataFrame(list(rows), columns=list(VISIT_COLUMNS))
    frame["date"] = [_as_date(v) for v in frame["date"]]
    frame["tests"] = [word_set(v) for v in frame["tests"]]
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def make_frames(
    *,
    episodes: Sequence[Mapping[str, Any]] = (),
    days: Sequence[Mapping[str, Any]] = (),
    medications: Sequence[Mapping[str, Any]] = (),
    visits: Sequence[Mapping[str, Any]] = (),
    profile: Mapping[str, str] | None = None,
    as_of: date | None = None,
) -> Frames:
    """Frames from plain rows shaped like the tables, cut at ``as_of`` when one is given."""
    frames = Frames(
        episodes=episodes_frame(episodes),
        days=days_frame(days),
        medications=medications_frame(medications),
        visits=visits_frame(visits),
        profile=dict(profile or {}),
    )
    return cut(frames, as_of) if as_of is not None else frames


def _keep(frame: pd.DataFrame, mask: Sequence[bool]) -> pd.DataFrame:
    """The rows where ``mask`` holds (a copy; an empty mask on an empty frame keeps the columns)."""
    return frame.loc[np.asarray(mask, dtype=bool)].copy()


def cut(frames: Frames, as_of: date) -> Frames:
    """Only what was logged on or before ``as_of``.

    Episodes are cut by their local calendar date (an episode at 01:00 on the day after ``as_of``
    happened after it, even though its diary day is ``as_of``). A medication started after
    ``as_of`` is dropped; one stopped after it is seen as still taken. Visits and days by date.
    """
    episodes = _keep(frames.episodes, [d <= as_of for d in frames.episodes["local_date"]])
    days = _keep(frames.days, [d <= as_of for d in frames.days["date"]])
    medications = _keep(frames.medications, [d <= as_of for d in frames.medications["started_on"]])
    medications["stopped_on"] = pd.Series(
        [s if s is not None and s <= as_of else None for s in medications["stopped_on"]],
        index=medications.index,
        dtype=object,
    )
    visits = _keep(frames.visits, [d <= as_of for d in frames.visits["date"]])
    return Frames(
        episodes=episodes.reset_index(drop=True),
        days=days.reset_index(drop=True),
        medications=medications.reset_index(drop=True),
        visits=visits.reset_index(drop=True),
        profile=dict(frames.profile),
    )


def _read_rows(conn: Any, table: str, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    # Tuples in column order: pandas builds the frame from them directly (no dict per row).
    quoted = ", ".join(f'"{c}"' for c in columns)
    return list(conn.execute(f'SELECT {quoted} FROM "{table}"').fetchall())


def _read_all(conn: Any) -> dict[str, Any]:
    return {
        "episodes": _read_rows(conn, "episode", EPISODE_COLUMNS),
        "days": _read_rows(conn, "day", DAY_COLUMNS),
        "medications": _read_rows(conn, "medication", MEDICATION_COLUMNS),
        "visits": _read_rows(conn, "visit", VISIT_COLUMNS),
        "profile": dict(conn.execute('SELECT "key", "value" FROM "profile"').fetchall()),
    }


def load_frames(source: Engine | Path | str, as_of: date) -> Frames:
    """Read the whole diary (the path of its SQLite file, or an engine) and cut it at ``as_of``.

    One read transaction, so the frames are a consistent snapshot even while another program
    writes. A path is read with the standard library alone (no SQLAlchemy import).
    """
    if isinstance(source, str | Path):
        from diary.db import sqlite as lean

        conn = lean.connect(Path(source))
        try:
            conn.execute("BEGIN")
            raw = _read_all(conn)
            conn.execute("COMMIT")
        finally:
            conn.close()
    else:
        with source.connect() as connection:
            raw = _read_all(connection.connection.driver_connection)
    return make_frames(**raw, as_of=as_of)


def dates_between(start: date, end: date) -> list[date]:
    """Every date from ``start`` to ``end``, both included (empty when ``end`` < ``start``)."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
