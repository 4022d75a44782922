"""Alembic's environment: the diary's tables, batch mode for SQLite, and the caller's connection.

The app runs migrations through ``diary.db.migrate``, which hands over a connection that is already
inside one ``BEGIN IMMEDIATE`` transaction with foreign keys off; then this file only configures the
context. From the ``alembic`` command line (developers), ``-x db=PATH`` names the database.
"""

from __future__ import annotations

from logging.config import fileConfig
from pathlib import Path

from alembic import context
from sqlmodel import SQLModel

from diary.db import tables  # noqa: F401  (registers every table on the metadata)

config = context.config
target_metadata = SQLModel.metadata


def _configure(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )


def run_migrations_online() -> None:
    """Migrate through the connection the app passed in, or one made from ``-x db=PATH``."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():  # joins the caller's transaction
            context.run_migrations()
        return

    from diary.db.engine import engine_for
    from diary.paths import prepare_db_file

    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    db = context.get_x_argument(as_dictionary=True).get("db")
    if not db:
        raise SystemExit("name the database: alembic -x db=PATH ...")
    path = Path(db)
    prepare_db_file(path)
    engine = engine_for(path, foreign_keys=False, pooled=False)
    with engine.begin() as conn:
        _configure(conn)
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported for the diary")
run_migrations_online()
