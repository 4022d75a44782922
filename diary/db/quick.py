"""The quick-logging door: ``twitch log`` and ``twitch day`` write through plain ``sqlite3``.

Importing SQLAlchemy, SQLModel or Alembic costs more than half a second, which is the difference
between "instant" and "sluggish" at a shell. So these two commands open the diary with
``diary.db.open.open_current`` (which reads ``alembic_version`` directly and imports the migration
machinery only when the file is new or behind), validate with ``diary.validation`` (the same
functions the SQLModel models call), and write here in one ``BEGIN IMMEDIATE`` transaction.

The rows written here are exactly what the SQLModel store would write; a test holds them equal.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from diary import validation, wording
from diary.db import sqlite
from diary.db.schema import DAY_COLUMNS, EPISODE_COLUMNS


@contextmanager
def _writing(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``write_transaction``, with SQLite's errors as one line naming the file (damage included)."""
    try:
        with sqlite.write_transaction(conn):
            yield conn
    except sqlite3.DatabaseError as exc:
        try:
            row = conn.execute("PRAGMA database_list").fetchone()
        except sqlite3.Error:
            row = None
        raise sqlite.translate(exc, row[2] if row else "the database") from None


def insert_episode(conn: sqlite3.Connection, episode: Mapping[str, Any]) -> str:
    """Store one validated episode (``started_at`` aware); returns its id."""
    started: datetime = episode["started_at"]
    offset = started.utcoffset()
    assert offset is not None
    row = {
        "id": episode.get("id") or str(uuid.uuid4()),
        "started_at_utc": validation.db_timestamp(started),
        "utc_offset_min": int(offset.total_seconds() // 60),
        "body_site": episode["body_site"],
        "side": episode.get("side"),
        "intensity": episode.get("intensity"),  # None: not given, stored as unknown (NULL)
        "duration_s": episode.get("duration_s"),
        "kind": episode["kind"],
        "symptoms": episode.get("symptoms") or "",
        "context": episode.get("context") or "",
        "note": episode.get("note"),
        "created_at": validation.db_timestamp(datetime.now(UTC).replace(microsecond=0)),
    }
    columns = ", ".join(EPISODE_COLUMNS)
    marks = ", ".join(f":{c}" for c in EPISODE_COLUMNS)
    with _writing(conn):
        conn.execute(f"INSERT INTO episode ({columns}) VALUES ({marks})", row)
    return row["id"]


def upsert_day(
    conn: sqlite3.Connection,
    day: date,
    measures: Mapping[str, Any],
    *,
    add_symptoms: str = "",
    note: str | None = None,
) -> dict[str, Any]:
    """Merge a check-in into the day's row: given measures replace, symptoms add up.

    Returns the row as stored. A call with nothing in it still creates the row: "I checked in".
    """
    with _writing(conn):
        conn.row_factory = sqlite3.Row
        found = conn.execute("SELECT * FROM day WHERE date = ?", (day.isoformat(),)).fetchone()
        conn.row_factory = None
        row: dict[str, Any] = dict(found) if found else dict.fromkeys(DAY_COLUMNS)
        row["date"] = day.isoformat()
        row.update({k: v for k, v in measures.items() if v is not None})
        existing = wording.split_set(row.get("symptoms"))
        row["symptoms"] = validation.word_set(
            "symptoms", "symptom", existing + wording.split_set(add_symptoms)
        )
        if note is not None:
            row["note"] = note
        columns = ", ".join(DAY_COLUMNS)
        marks = ", ".join(f":{c}" for c in DAY_COLUMNS)
        conn.execute(f"INSERT OR REPLACE INTO day ({columns}) VALUES ({marks})", row)
    return row


def leg_sides_on_diary_day(
    conn: sqlite3.Connection, started: datetime, *, exclude: str
) -> set[str]:
    """Sides of other leg episodes with numbness or weakness on the same diary day (local t − 4 h).

    Feeds the at-entry check for "numbness or weakness in both legs on the same day".
    """
    from diary.vocab import LEG_SITES

    local = started.replace(tzinfo=None) - timedelta(hours=4)
    marks = ", ".join("?" for _ in LEG_SITES)
    rows = conn.execute(
        f"""SELECT side, symptoms FROM episode
            WHERE id != ? AND side IS NOT NULL AND body_site IN ({marks})
              AND date(started_at_utc, printf('%+d minutes', utc_offset_min), '-4 hours') = ?""",
        (exclude, *sorted(LEG_SITES), local.date().isoformat()),
    ).fetchall()
    return {
        side
        for side, symptoms in rows
        if {"numbness", "weakness"} & set(wording.split_set(symptoms))
    }
