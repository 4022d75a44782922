"""Opening the diary: create the file, bring it to the newest schema, make today's backup.

Every command opens its diary through here, by one of two doors: ``open_current`` hands the quick
commands (``twitch log``, ``twitch day``) a plain ``sqlite3`` connection, and ``make_engine`` hands
everything else a SQLAlchemy engine. Both read the file's revision with a plain connection first
and import Alembic only when the file is new or behind: importing SQLAlchemy, SQLModel or Alembic
costs more than half a second, the difference between "instant" and "sluggish" at a shell. For the
same reason ``make_engine`` imports ``diary.db.engine`` (SQLAlchemy) only when it is called, so the
quick path can import this module.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from diary.db import sqlite
from diary.db.backups import daily_backup
from diary.db.schema import HEAD_REVISION
from diary.paths import prepare_db_file

if TYPE_CHECKING:
    from sqlalchemy import Engine


def open_current(path: Path) -> sqlite3.Connection:
    """A connection to a database at the newest schema, creating or migrating it when needed."""
    prepare_db_file(path)
    conn = sqlite.connect(path)
    try:
        current = sqlite.schema_revision(conn) == HEAD_REVISION
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise sqlite.translate(exc, path) from None
    if not current:
        conn.close()
        from diary.db.migrate import ensure_current  # rare: first run or after an upgrade

        ensure_current(path)
        conn = sqlite.connect(path)
    try:
        daily_backup(path)  # one stat when today's copy exists; fails only on a damaged diary
    except BaseException:
        conn.close()
        raise
    return conn


def ensure_ready(path: Path) -> None:
    """Create or migrate the diary if needed, without keeping a connection (for readers)."""
    open_current(path).close()


def make_engine(path: Path | str) -> Engine:
    """Create the database if needed, migrate it to the newest schema, and return its engine."""
    db_path = Path(path)
    ensure_ready(db_path)
    from diary.db.engine import engine_for  # SQLAlchemy: only for the commands that need it

    return engine_for(db_path)
