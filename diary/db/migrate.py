"""Bringing a diary file to the newest schema, without ever losing what is in it.

``diary.db.open`` calls ``ensure_current(path)`` when a file it opens is new or behind (restore does
too, after bringing back an older copy). When the file is behind:

1. if it holds any rows, a copy is written beside it with SQLite's online backup API
   (``diary.sqlite3.bak-<revision>-<UTC time>``, mode 0600) before anything changes;
2. the connection is opened with ``foreign_keys=OFF`` *before* any transaction starts (a batch table
   rebuild with foreign keys on silently cascade-deletes child rows, and the pragma is a no-op
   inside a transaction);
3. every pending migration runs inside one ``BEGIN IMMEDIATE`` transaction, so a failure anywhere
   rolls the file back to exactly what it was;
4. ``PRAGMA foreign_key_check`` must come back empty before the transaction commits.

The migration scripts are found in ``diary/_migrations`` inside an installed wheel, or in the
top-level ``migrations/`` folder of a source checkout.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from diary.db import sqlite
from diary.db.backups import backup_name, snapshot
from diary.db.engine import engine_for
from diary.db.schema import HEAD_REVISION
from diary.errors import StoreError
from diary.paths import prepare_db_file


def migrations_dir() -> Path:
    """Where the Alembic scripts are: inside the installed package, or the checkout's folder."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_migrations", package.parent / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise RuntimeError("the migration scripts are missing from this installation")


def alembic_config(script_location: Path | None = None) -> Config:
    """An Alembic configuration made in code (no alembic.ini needed at run time)."""
    config = Config()
    config.set_main_option("script_location", str(script_location or migrations_dir()))
    return config


def current_revision(path: Path) -> str | None:
    """The revision the file is at, read with the lean connection."""
    conn = sqlite.connect(path)
    try:
        return sqlite.schema_revision(conn)
    finally:
        conn.close()


def ensure_current(path: Path) -> Path | None:
    """Migrate ``path`` to the newest revision when behind; returns the backup made, if any."""
    if current_revision(path) == HEAD_REVISION:
        return None
    return upgrade(path)


def upgrade(
    path: Path, *, target: str = "head", script_location: Path | None = None
) -> Path | None:
    """Run the pending migrations in one transaction, after a backup; the backup's path or None."""
    prepare_db_file(path)
    config = alembic_config(script_location)
    scripts = ScriptDirectory.from_config(config)

    conn = sqlite.connect(path)
    try:
        revision = sqlite.schema_revision(conn)
        has_rows = sqlite.holds_data(conn)
    finally:
        conn.close()
    if revision is not None:
        try:
            scripts.get_revision(revision)
        except Exception:
            raise StoreError(
                f"{path} was written by a newer version of Twitch Diary (schema {revision}); "
                "upgrade the app to open it"
            ) from None
    wanted = scripts.get_current_head() if target == "head" else target
    if revision == wanted:
        return None

    saved = snapshot(path, backup_name(path, revision)) if has_rows else None
    _run_in_one_transaction(path, config, target)
    return saved


def _run_in_one_transaction(path: Path, config: Config, target: str) -> None:
    engine = engine_for(path, foreign_keys=False, pooled=False)
    try:
        with engine.begin() as connection:  # BEGIN IMMEDIATE; rolled back if anything raises
            config.attributes["connection"] = connection
            command.upgrade(config, target)
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise StoreError(
                    f"migration left {len(broken)} rows with broken references; nothing was changed"
                )
    finally:
        engine.dispose()
