"""The diary read once from the database into DataFrames, already cut at ``as_of``.

This is the only module of the analysis that does I/O. Everything the rules need that is a matter
of convention (local time, diary day, region, F/C kind, night) is computed once, when the frames
are made (the episodes in ``diary.analysis.episodes``), so each rule reads a column instead of
re-deriving it — and so tests can build ``Frames`` directly.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from diary.analysis.check_frames import CheckFrames, make_check_frames, read_check_rows
from diary.analysis.episode_index import EpisodeIndex
from diary.analysis.episodes import EPISODE_COLUMNS, coded_episodes, word_set
from diary.analysis.snapshot import read_snapshot
from diary.db import schema

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

#: The columns the rules read (notes are not analysed).
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
    - ``checks``: the weekly sign checks, strength checks and timed counts
      (``check_frames.CheckFrames``), read in the same snapshot and cut at the same ``as_of``.
    """

    episodes: pd.DataFrame
    days: pd.DataFrame
    medications: pd.DataFrame
    visits: pd.DataFrame
    profile: Mapping[str, str] = field(default_factory=dict)
    checks: CheckFrames = field(default_factory=make_check_frames)
    #: The episodes' coded columns when whoever built ``episodes`` coded them on the way.
    prepared_index: EpisodeIndex | None = field(default=None, repr=False, compare=False)

    @cached_property
    def index(self) -> EpisodeIndex:
        """The episodes' columns coded for fast masks, shared by every rule of one analysis."""
        prepared = self.prepared_index
        if prepared is not None and prepared.episodes is self.episodes:
            return prepared
        return EpisodeIndex(self.episodes)

    @cached_property
    def first_day(self) -> date | None:
        """The first day the diary covers: the earliest logged day or episode diary day."""
        candidates = []
        if not self.days.empty:
            candidates.append(min(self.days["date"]))
        if not self.episodes.empty:
            candidates.append(date.fromordinal(int(self.index.day.min())))
        return min(candidates) if candidates else None

    @cached_property
    def logged_dates(self) -> frozenset[date]:
        """Dates with a ``day`` row (an explicit "nothing today" counts)."""
        return frozenset(self.days["date"]) if not self.days.empty else frozenset()

    @property
    def has_checks(self) -> bool:
        """Whether any weekly sign check, strength check or timed count was made."""
        checks = self.checks
        return not (checks.signs.empty and checks.strength.empty and checks.counts.empty)

    def family_history(self) -> frozenset[str]:
        """The neurological conditions the profile lists for the family."""
        return word_set(self.profile.get("family_history", ""))


def _as_date(value: object) -> date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def days_frame(rows: Iterable[Any], as_of: date | None = None) -> pd.DataFrame:
    """Day rows (the ``day`` table's columns), dates as ``datetime.date``, symptoms as sets; with
    ``as_of``, only the days on or before it."""
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
    return _until(frame.sort_values("date", kind="stable"), "date", as_of)


def medications_frame(rows: Iterable[Any], as_of: date | None = None) -> pd.DataFrame:
    """Medication rows with ``started_on``/``stopped_on`` as ``datetime.date`` (or None); with
    ``as_of``, a course started after it is dropped and one stopped after it is still taken."""
    frame = pd.DataFrame(list(rows), columns=list(MEDICATION_COLUMNS))
    frame["started_on"] = [_as_date(v) for v in frame["started_on"]]
    frame["stopped_on"] = pd.Series([_as_date(v) for v in frame["stopped_on"]], dtype=object)
    frame = _until(frame.sort_values("started_on", kind="stable"), "started_on", as_of)
    if as_of is not None:
        frame["stopped_on"] = pd.Series(
            [s if s is not None and s <= as_of else None for s in frame["stopped_on"]],
            dtype=object,
        )
    return frame


def visits_frame(rows: Iterable[Any], as_of: date | None = None) -> pd.DataFrame:
    """Visit rows with ``date`` as ``datetime.date`` and ``tests`` as a frozenset; with ``as_of``,
    only the visits on or before it."""
    frame = pd.DataFrame(list(rows), columns=list(VISIT_COLUMNS))
    frame["date"] = [_as_date(v) for v in frame["date"]]
    frame["tests"] = [word_set(v) for v in frame["tests"]]
    return _until(frame.sort_values("date", kind="stable"), "date", as_of)


def _until(frame: pd.DataFrame, column: str, as_of: date | None) -> pd.DataFrame:
    """The rows whose ``column`` date is on or before ``as_of`` (all without one), renumbered."""
    if as_of is not None:
        frame = frame.loc[np.asarray([d <= as_of for d in frame[column]], dtype=bool)]
    return frame.reset_index(drop=True)


def make_frames(
    *,
    episodes: Sequence[Any] = (),
    days: Sequence[Any] = (),
    medications: Sequence[Any] = (),
    visits: Sequence[Any] = (),
    profile: Mapping[str, str] | None = None,
    signs: Sequence[Any] = (),
    strength: Sequence[Any] = (),
    counts: Sequence[Any] = (),
    as_of: date | None = None,
) -> Frames:
    """Frames from plain rows shaped like the tables (tuples in the column order, or mappings),
    only what was logged on or before ``as_of`` when one is given (the checks' rows as
    ``check_frames.make_check_frames`` takes them)."""
    index = coded_episodes(episodes, as_of)
    return Frames(
        episodes=index.episodes,
        days=days_frame(days, as_of),
        medications=medications_frame(medications, as_of),
        visits=visits_frame(visits, as_of),
        profile=dict(profile or {}),
        checks=make_check_frames(signs=signs, strength=strength, counts=counts, as_of=as_of),
        prepared_index=index,
    )


def _read_rows(
    conn: sqlite3.Connection, table: str, columns: Sequence[str]
) -> list[tuple[Any, ...]]:
    # Tuples in column order, as they come (no dict per row): the frames split them by column.
    quoted = ", ".join(f'"{c}"' for c in columns)
    return list(conn.execute(f'SELECT {quoted} FROM "{table}"').fetchall())


def _read_all(conn: sqlite3.Connection) -> dict[str, Any]:
    return {
        "episodes": _read_rows(conn, "episode", EPISODE_COLUMNS),
        "days": _read_rows(conn, "day", DAY_COLUMNS),
        "medications": _read_rows(conn, "medication", MEDICATION_COLUMNS),
        "visits": _read_rows(conn, "visit", VISIT_COLUMNS),
        "profile": dict(conn.execute('SELECT "key", "value" FROM "profile"').fetchall()),
        **read_check_rows(conn),
    }


def load_frames(source: Engine | Path | str, as_of: date) -> Frames:
    """Read the whole diary with its self-checks (the path of its SQLite file, or an engine) in
    one read transaction, and cut it at ``as_of``."""
    return make_frames(**read_snapshot(source, _read_all), as_of=as_of)


def dates_between(start: date, end: date) -> list[date]:
    """Every date from ``start`` to ``end``, both included (empty when ``end`` < ``start``)."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
