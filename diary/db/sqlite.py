"""Opening the diary with the standard library's ``sqlite3``: the pragmas every connection needs.

Both routes to the database start here: the quick command-line path uses these connections directly,
and the SQLAlchemy engine gets them through its ``creator`` hook: the pragmas live in one place.

- ``journal_mode=WAL``: readers never block the writer and a crash mid-write leaves the last commit
  intact. The pragma answers with the mode in force; anything but ``wal`` is an error, not a shrug.
- ``synchronous=FULL``: a commit that returned is on disk, even after a power cut.
- ``foreign_keys=ON``: except during migrations (see ``diary.db.migrate``).
- ``busy_timeout``: wait for another writer instead of failing at once.
- Autocommit mode at the driver (``isolation_level=None``) so that transactions are opened by us
  with ``BEGIN IMMEDIATE``: a deferred ``BEGIN`` that reads and then writes fails with "database is
  locked" when another process wrote in between, whatever the busy timeout.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from diary.errors import DatabaseBusy, StoreError

BUSY_TIMEOUT_MS = 10_000
#: The diary's own tables (Alembic's ``alembic_version`` aside).
USER_TABLES = ("episode", "day", "medication", "visit", "profile")


def connect(path: Path | str, *, foreign_keys: bool = True) -> sqlite3.Connection:
    """A connection with the diary's pragmas in force (the file must already be prepared)."""
    try:
        conn = sqlite3.connect(
            str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the database {path}: {exc}") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"the database {path} cannot use write-ahead logging (mode {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise translate(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return conn


def translate(exc: sqlite3.Error, path: Path | str) -> StoreError:
    """Turn SQLite's errors about the file into messages a person can act on."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return DatabaseBusy(
            f"the database is busy (another program is writing to {path}); try again"
        )
    if "not a database" in text or "malformed" in text:
        return StoreError(f"{path} is not a Twitch Diary database (or it is damaged): {text}")
    if "readonly" in text or "unable to open" in text:
        return StoreError(f"cannot write to the database {path}: {text}")
    return StoreError(f"database error in {path}: {text}")


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One ``BEGIN IMMEDIATE`` … ``COMMIT``; anything raised rolls it all back."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def schema_revision(conn: sqlite3.Connection) -> str | None:
    """The Alembic revision the file is at, read without importing Alembic (None: unversioned)."""
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise
    return row[0] if row else None


def pragmas(conn: sqlite3.Connection) -> dict[str, object]:
    """The pragmas in force, for checks and tests."""
    return {
        name: conn.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
    }


def holds_data(conn: sqlite3.Connection) -> bool:
    """True when any diary table has a row (an empty new file needs no backup)."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return any(
        conn.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchone()[0]
        for table in USER_TABLES
        if table in names
    )
