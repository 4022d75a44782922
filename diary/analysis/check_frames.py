"""The self-checks read into DataFrames for the rules, already cut at ``as_of``.

Three small frames beside the diary's (``diary.analysis.frames``), built the same way: from rows
shaped like the tables (``make_check_frames``, which tests use directly) or read from the database
in one consistent snapshot (``load_check_frames``; ``read_check_rows`` when the caller already
holds a read transaction). An answer that was not asked and a test not done are missing (``<NA>``
or NaN), never "no", a failure or 0: a rule that skips missing values cannot read silence as
reassurance. A frame with nothing stored is empty with the same columns.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from diary import thresholds as T
from diary.analysis.snapshot import read_snapshot
from diary.vocab import SIGNS

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

SIGN_COLUMNS = ("date", *SIGNS)
#: Strength measures that are numbers (counts, kg): float, NaN when not done.
STRENGTH_NUMBERS = (
    "heel_raises_left",
    "heel_raises_right",
    "chair_stands",
    "grip_left_kg",
    "grip_right_kg",
)
#: Heel and toe walks: True passed, False failed, <NA> not done.
STRENGTH_WALKS = ("heel_walk_left", "heel_walk_right", "toe_walk_left", "toe_walk_right")
#: The strength frame's columns, in the table's order.
STRENGTH_COLUMNS = (
    "date",
    "heel_raises_left",
    "heel_raises_right",
    *STRENGTH_WALKS,
    "chair_stands",
    "grip_left_kg",
    "grip_right_kg",
)
#: What a count row is read as (the table's columns the rules need).
COUNT_ROW = ("counted_at_utc", "utc_offset_min", "body_site", "side", "seconds", "twitches")
COUNT_COLUMNS = ("local", "diary_day", "body_site", "side", "seconds", "twitches", "per_minute")


@dataclass(frozen=True)
class CheckFrames:
    """The self-checks as the rules see them, each sorted in time order.

    - ``signs``: one row per weekly sign check; ``date`` (datetime64, the day), then one pandas
      nullable ``"boolean"`` column per sign of ``vocab.SIGNS`` (True yes, False no, <NA> not
      asked).
    - ``strength``: one row per strength check; ``date`` (datetime64), the heel raises, chair
      stands and grips as float (NaN: not done), the walks as nullable ``"boolean"``.
    - ``counts``: one row per timed count; ``local`` (naive local wall-clock time, as the
      episodes' ``local``), ``diary_day`` (``datetime.date``, as the episodes'), ``body_site``,
      ``side`` (str or None), ``seconds`` and ``twitches`` (int), ``per_minute`` (float).
    """

    signs: pd.DataFrame
    strength: pd.DataFrame
    counts: pd.DataFrame


def _frame(rows: Iterable[Any], columns: Sequence[str]) -> pd.DataFrame:
    """Rows (tuples in ``columns`` order, or mappings) as a frame of plain objects."""
    listed = list(rows)
    if listed and isinstance(listed[0], Mapping):
        listed = [tuple(row.get(c) for c in columns) for row in listed]
    return pd.DataFrame(listed, columns=list(columns), dtype=object)


def _answers(values: pd.Series) -> pd.Series:
    """Stored 0/1/NULL (or bools) as a nullable boolean column: NULL stays <NA>, never False."""
    return pd.Series(
        pd.array([pd.NA if v is None or v is pd.NA else bool(v) for v in values], dtype="boolean"),
        index=values.index,
    )


def _days(values: pd.Series) -> pd.Series:
    """Dates (``datetime.date`` or ISO text) as datetime64 days."""
    return pd.Series(
        pd.to_datetime([str(v)[:10] for v in values], format="%Y-%m-%d"), index=values.index
    ).astype("datetime64[ns]")


def _until(frame: pd.DataFrame, days: pd.Series, as_of: date | None) -> pd.DataFrame:
    """The rows whose day is on or before ``as_of`` (all without one), sorted by it, renumbered."""
    if as_of is not None:
        frame = frame.loc[(days <= pd.Timestamp(as_of)).to_numpy()]
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def signs_frame(rows: Iterable[Any], as_of: date | None = None) -> pd.DataFrame:
    """Sign-check rows in ``SIGN_COLUMNS`` order as the ``signs`` frame."""
    raw = _frame(rows, SIGN_COLUMNS)
    frame = pd.DataFrame({"date": _days(raw["date"])})
    for sign in SIGNS:
        frame[sign] = _answers(raw[sign])
    return _until(frame, frame["date"], as_of)


def strength_frame(rows: Iterable[Any], as_of: date | None = None) -> pd.DataFrame:
    """Strength-check rows in ``STRENGTH_COLUMNS`` order as the ``strength`` frame."""
    raw = _frame(rows, STRENGTH_COLUMNS)
    frame = pd.DataFrame({"date": _days(raw["date"])})
    for column in STRENGTH_COLUMNS[1:]:
        if column in STRENGTH_WALKS:
            frame[column] = _answers(raw[column])
        else:
            frame[column] = pd.to_numeric(raw[column], errors="coerce").astype("float64")
    return _until(frame, frame["date"], as_of)


def counts_frame(rows: Iterable[Any], as_of: date | None = None) -> pd.DataFrame:
    """Count rows in ``COUNT_ROW`` order as the ``counts`` frame; with ``as_of``, the counts
    made on or before it by their local date (as episodes are cut)."""
    raw = _frame(rows, COUNT_ROW)
    utc = pd.to_datetime(raw["counted_at_utc"], utc=True, format="mixed")
    offsets = pd.to_timedelta(raw["utc_offset_min"].astype("int64"), unit="min")
    local = (utc.dt.tz_localize(None) + offsets).astype("datetime64[ns]")
    seconds = raw["seconds"].astype("int64")
    twitches = raw["twitches"].astype("int64")
    frame = pd.DataFrame(
        {
            "local": local,
            "diary_day": pd.Series(
                [t.date() for t in local - pd.Timedelta(hours=T.DIARY_DAY_SHIFT_H)], dtype=object
            ),
            "body_site": raw["body_site"].astype(object),
            "side": raw["side"].astype(object).where(raw["side"].notna(), None),
            "seconds": seconds,
            "twitches": twitches,
            "per_minute": (twitches * 60 / seconds).astype("float64"),
        },
        columns=list(COUNT_COLUMNS),
    )
    if as_of is not None:
        frame = frame.loc[(local.dt.normalize() <= pd.Timestamp(as_of)).to_numpy()]
    order = np.argsort(frame["local"].to_numpy(), kind="stable")
    return frame.iloc[order].reset_index(drop=True)


def make_check_frames(
    *,
    signs: Iterable[Any] = (),
    strength: Iterable[Any] = (),
    counts: Iterable[Any] = (),
    as_of: date | None = None,
) -> CheckFrames:
    """The three frames from plain rows shaped like the tables (see each ``*_frame``)."""
    return CheckFrames(
        signs=signs_frame(signs, as_of),
        strength=strength_frame(strength, as_of),
        counts=counts_frame(counts, as_of),
    )


def _select(conn: Any, table: str, columns: Sequence[str], order: str) -> list[tuple[Any, ...]]:
    quoted = ", ".join(f'"{c}"' for c in columns)
    return list(conn.execute(f'SELECT {quoted} FROM "{table}" ORDER BY {order}').fetchall())


def read_check_rows(conn: Any) -> dict[str, list[tuple[Any, ...]]]:
    """The three tables' rows through a DB-API connection (inside the caller's transaction, so
    they are read in the same snapshot as the rest of the diary); ``make_check_frames`` input.

    A diary at an older revision has not got the tables yet: it has no checks.
    """
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    wanted = {
        "signs": ("sign_check", SIGN_COLUMNS, "date, created_at, id"),
        "strength": ("strength_check", STRENGTH_COLUMNS, "date, created_at, id"),
        "counts": ("twitch_count", COUNT_ROW, "counted_at_utc, id"),
    }
    return {
        key: _select(conn, table, columns, order) if table in names else []
        for key, (table, columns, order) in wanted.items()
    }


def load_check_frames(
    source: Engine | Path | str | sqlite3.Connection, as_of: date | None
) -> CheckFrames:
    """Read the self-checks (an engine, the diary file's path, or an open ``sqlite3``
    connection) in one read transaction, as ``snapshot.read_snapshot`` reads, and cut them at
    ``as_of``."""
    return make_check_frames(**read_snapshot(source, read_check_rows), as_of=as_of)
