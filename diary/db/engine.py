"""``engine_for(path)``: the SQLAlchemy engine on a diary file that is already prepared.

Connections come from ``diary.db.sqlite.connect`` (one place for the pragmas), and every transaction
is opened with ``BEGIN IMMEDIATE`` — SQLAlchemy's documented recipe for pysqlite, which otherwise
leaves transaction control to the driver. SQLite saying the file is damaged becomes one
``DatabaseDamaged`` line (naming ``twitch check`` and ``twitch restore``) on every command that
reads through the engine. Nothing here migrates: ``diary.db.open.make_engine`` does that before it
asks for an engine, and the migrations themselves run on one of these engines.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, pool
from sqlalchemy.engine import ExceptionContext

from diary.db import sqlite


def engine_for(path: Path, *, foreign_keys: bool = True, pooled: bool = True) -> Engine:
    """An engine on an already prepared file, without migrating it (migrations use this too)."""
    engine = create_engine(
        f"sqlite:///{path}",
        creator=lambda: sqlite.connect(path, foreign_keys=foreign_keys),
        poolclass=pool.QueuePool if pooled else pool.NullPool,
    )

    @event.listens_for(engine, "begin")
    def _begin_immediate(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "handle_error")
    def _damaged(context: ExceptionContext) -> BaseException | None:
        # A damaged file must read as one line that says what to do, not as SQLAlchemy's wrapped
        # error (whose text may quote undecodable bytes from the damaged page).
        original = context.original_exception
        if sqlite.is_damage(original):
            return sqlite.translate(original, path)
        return None

    return engine
