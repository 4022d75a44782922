"""``make_engine(path)``: the SQLAlchemy engine for everything but quick logging.

Connections come from ``diary.db.sqlite.connect`` (one place for the pragmas), and every transaction
is opened with ``BEGIN IMMEDIATE`` — SQLAlchemy's documented recipe for pysqlite, which otherwise
leaves transaction control to the driver. Opening an engine migrates the file first, so no caller
ever sees an old schema. SQLite saying the file is damaged becomes one ``DatabaseDamaged`` line
(naming ``twitch check`` and ``twitch restore``) on every command that reads through the engine.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, pool

from diary.db import sqlite
from diary.db.safety import daily_backup
from diary.db.schema import HEAD_REVISION
from diary.paths import prepare_db_file


def engine_for(path: Path, *, foreign_keys: bool = True, pooled: bool = True) -> Engine:
    """An engine on an already prepared file, without migrating it (migrations use this too)."""
    engine = create_engine(
        f"sqlite:///{path}",
        creator=lambda: sqlite.connect(path, foreign_keys=foreign_keys),
        poolclass=pool.QueuePool if pooled else pool.NullPool,
    )

    @event.listens_for(engine, "begin")
    def _begin_immediate(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "handle_error")
    def _damaged(context):  # type: ignore[no-untyped-def]
        # A damaged file must read as one line that says what to do, not as SQLAlchemy's wrapped
        # error (whose text may quote undecodable bytes from the damaged page).
        original = context.original_exception
        if sqlite.is_damage(original):
            return sqlite.translate(original, path)
        return None

    return engine


def make_engine(path: Path | str) -> Engine:
    """Create the database if needed, migrate it to the newest schema, and return its engine.

    The revision is read with a plain connection first: Alembic is imported only when the file
    is new or behind, which keeps every other command half a second quicker.
    """
    db_path = Path(path)
    prepare_db_file(db_path)
    if not _is_current(db_path):
        from diary.db.migrate import ensure_current

        ensure_current(db_path)
    daily_backup(db_path)  # one stat when today's copy exists; never fails the command
    return engine_for(db_path)


def _is_current(path: Path) -> bool:
    conn = sqlite.connect(path)
    try:
        return sqlite.schema_revision(conn) == HEAD_REVISION
    except sqlite3.DatabaseError as exc:
        raise sqlite.translate(exc, path) from None
    finally:
        conn.close()
