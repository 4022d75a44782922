"""Plain records of episodes and days, read (and an episode deleted) through plain ``sqlite3``.

The Today screen is opened at the moment a twitch happens: what it shows (today's episodes and
check-in, the recent sites, the last episode to repeat, whether the weekly check is due) is read
here, without SQLAlchemy or SQLModel, whose import alone costs half a second. The records carry
the same attributes as the SQLModel tables (``started_at`` included), so a screen reads either
kind alike. Writes go through ``diary.db.quick``, as ``twitch log`` does; this module adds only
the delete behind Today's undo.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from diary import validation
from diary.db import sqlite
from diary.db.schema import DAY_COLUMNS, EPISODE_COLUMNS
from diary.errors import StoreError

_EPISODE = f"SELECT {', '.join(EPISODE_COLUMNS)} FROM episode"
#: An episode's local calendar date in SQL (the UTC instant shifted by its stored offset).
_LOCAL_DATE = "date(started_at_utc, printf('%+d minutes', utc_offset_min))"


@dataclass(frozen=True)
class EpisodeRecord:
    """One episode as stored; ``started_at`` is the local time it was lived in, with its offset."""

    id: str
    started_at_utc: datetime
    utc_offset_min: int
    body_site: str
    side: str | None
    intensity: int | None
    duration_s: int | None
    kind: str
    symptoms: str
    context: str
    note: str | None
    created_at: datetime

    @property
    def started_at(self) -> datetime:
        """The start as the person lived it: local wall-clock time with its offset."""
        return self.started_at_utc.astimezone(timezone(timedelta(minutes=self.utc_offset_min)))


@dataclass(frozen=True)
class DayRecord:
    """One day's check-in as stored (unknown measures are None)."""

    date: date
    water_ml: int | None
    caffeine_mg: int | None
    alcohol_units: float | None
    exercise_min: int | None
    exercise_intensity: str | None
    sleep_h: float | None
    sleep_quality: int | None
    stress: int | None
    symptoms: str
    note: str | None


def _utc(text: str) -> datetime:
    """A stored timestamp (UTC, written without a zone) as an aware time."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _episode(row: tuple[Any, ...]) -> EpisodeRecord:
    values = dict(zip(EPISODE_COLUMNS, row, strict=True))
    values["started_at_utc"] = _utc(values["started_at_utc"])
    values["created_at"] = _utc(values["created_at"])
    return EpisodeRecord(**values)


def _file(conn: sqlite3.Connection) -> str:
    """The file ``conn`` is open on, for messages."""
    try:
        row = conn.execute("PRAGMA database_list").fetchone()
    except sqlite3.Error:
        row = None
    return str(row[2]) if row else "the database"


def _read(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """Run one query; SQLite's errors about the file become one line naming it."""
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.DatabaseError as exc:
        raise sqlite.translate(exc, _file(conn)) from None


def episodes_on(conn: sqlite3.Connection, day: date) -> list[EpisodeRecord]:
    """Episodes whose local date is ``day``, newest first.

    The range on the indexed UTC column is a day wider on each side than any offset can reach,
    so only those rows are looked at; their local dates are then compared exactly.
    """
    sql = (
        f"{_EPISODE} WHERE started_at_utc >= ? AND started_at_utc < ? AND {_LOCAL_DATE} = ? "
        "ORDER BY started_at_utc DESC, id"
    )
    wide = ((day - timedelta(days=1)).isoformat(), (day + timedelta(days=2)).isoformat())
    return [_episode(row) for row in _read(conn, sql, (*wide, day.isoformat()))]


def find_episode(conn: sqlite3.Connection, ident: str) -> EpisodeRecord | None:
    """The episode with exactly this id, if there is one."""
    rows = _read(conn, f"{_EPISODE} WHERE id = ?", (ident,))
    return _episode(rows[0]) if rows else None


def last_episode(conn: sqlite3.Connection) -> EpisodeRecord | None:
    """The most recent episode (for "repeat last")."""
    rows = _read(conn, f"{_EPISODE} ORDER BY started_at_utc DESC LIMIT 1")
    return _episode(rows[0]) if rows else None


def recent_sites(conn: sqlite3.Connection, since: date, count: int) -> list[str]:
    """Up to ``count`` body sites used since ``since`` (local dates), most recent first.

    The rows come newest first from the index on the start time and stop being read as soon as
    ``count`` sites are found: a long diary costs no more than a short one.
    """
    sql = (
        f"SELECT body_site FROM episode WHERE started_at_utc >= ? AND {_LOCAL_DATE} >= ? "
        "ORDER BY started_at_utc DESC, id"
    )
    seen: list[str] = []
    try:
        for (site,) in conn.execute(
            sql, ((since - timedelta(days=1)).isoformat(), since.isoformat())
        ):
            if site not in seen:
                seen.append(site)
                if len(seen) == count:
                    break
    except sqlite3.DatabaseError as exc:
        raise sqlite.translate(exc, _file(conn)) from None
    return seen


def day(conn: sqlite3.Connection, when: date) -> DayRecord | None:
    """The check-in of one day, if there is one."""
    sql = f"SELECT {', '.join(DAY_COLUMNS)} FROM day WHERE date = ?"
    rows = _read(conn, sql, (when.isoformat(),))
    if not rows:
        return None
    values = dict(zip(DAY_COLUMNS, rows[0], strict=True))
    values["date"] = date.fromisoformat(values["date"])
    return DayRecord(**values)


def last_sign_check(conn: sqlite3.Connection) -> date | None:
    """The date of the newest weekly sign check (Today offers the check when it is a week old)."""
    (newest,) = _read(conn, "SELECT max(date) FROM sign_check")[0]
    return None if newest is None else date.fromisoformat(newest)


def delete_episode(conn: sqlite3.Connection, ident: str) -> EpisodeRecord:
    """Remove one episode by its id; returns it as it was (to say what was undone)."""
    try:
        with sqlite.write_transaction(conn):
            rows = conn.execute(f"{_EPISODE} WHERE id = ?", (ident,)).fetchall()
            if rows:
                conn.execute("DELETE FROM episode WHERE id = ?", (ident,))
    except sqlite3.DatabaseError as exc:
        raise sqlite.translate(exc, _file(conn)) from None
    if not rows:
        raise StoreError(f"no episode has id {ident!r} (see `twitch list`)")
    return _episode(rows[0])


def episode_input(values: dict[str, Any]) -> dict[str, Any]:
    """A new episode's values checked by the rules ``EpisodeCreate`` applies (same messages), ready
    for ``quick.insert_episode``: unknown side, intensity and duration stay None."""
    return {
        "started_at": validation.started_at(values["started_at"]),
        "body_site": validation.choice("body_site", "body_site", values["body_site"]),
        "side": validation.optional_choice("side", "side", values.get("side")),
        "intensity": validation.optional_intensity(values.get("intensity")),
        "duration_s": validation.optional_duration_s(values.get("duration_s")),
        "kind": validation.choice("kind", "kind", values.get("kind") or "twitch"),
        "symptoms": validation.word_set("symptoms", "symptom", values.get("symptoms") or ""),
        "context": validation.word_set("context", "context", values.get("context") or ""),
        "note": validation.text("note", values.get("note")),
    }
