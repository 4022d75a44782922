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

Before any pragma changes the file, ``connect`` looks at what it holds: ``--db`` pointed at another
program's SQLite file must leave that file exactly as it was (switching it to WAL or adding the
diary's tables would change it for good). SQLite's own errors are turned into one-line messages by
``translate``, by error code where SQLite gives one; a damaged file names ``twitch check`` and
``twitch restore``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeGuard

from diary.errors import DatabaseBusy, StoreError

BUSY_TIMEOUT_MS = 10_000
#: The diary's own tables (Alembic's ``alembic_version`` aside).
USER_TABLES = (
    "episode",
    "day",
    "medication",
    "visit",
    "profile",
    "sign_check",
    "strength_check",
    "twitch_count",
)
#: Tables every diary has held since its first revision: with ``alembic_version`` they mark a file
#: as a diary (a file holding other tables belongs to another program and is left alone).
CORE_TABLES = ("alembic_version", "episode", "day")
#: SQLite's primary result codes that mean the file itself is damaged or not a database.
DAMAGE_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
SQLITE_HEADER = b"SQLite format 3\x00"
#: What a damaged diary's message tells the person to do next.
DAMAGE_ADVICE = "run `twitch check` to see what is wrong, then `twitch restore` a backup copy"


class DatabaseDamaged(StoreError):
    """The diary file is damaged (SQLite reports corruption); nothing was written to it."""

    exit_code = 1


class ForeignDatabase(StoreError):
    """The file is an SQLite database of another program; it is refused and left untouched."""


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
        refuse_foreign(conn, path)  # before the first pragma that would change the file
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


def table_names(conn: sqlite3.Connection) -> set[str]:
    """The file's tables, SQLite's internal ones aside."""
    return {
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }


def foreign_tables(names: set[str]) -> list[str]:
    """The tables that make a file another program's ([] when it is, or may become, a diary).

    A file with no tables is new (or its first migration was rolled back); one holding only the
    diary's tables, or at least its core tables, is a diary (maybe damaged, maybe newer). Anything
    else belongs to another program.
    """
    ours = {*USER_TABLES, "alembic_version"}
    if names <= ours or all(table in names for table in CORE_TABLES):
        return []
    return sorted(names)


def refuse_foreign(conn: sqlite3.Connection, path: Path | str) -> None:
    """Raise ``ForeignDatabase`` when ``conn`` is on another program's database (left as it is)."""
    try:
        others = foreign_tables(table_names(conn))
    except sqlite3.DatabaseError as exc:
        raise translate(exc, path) from None
    if others:
        shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        raise ForeignDatabase(
            f"{path} is not a Twitch Diary database (it holds other tables: {shown}); "
            "nothing was changed in it. Use --db with your diary or with a new file name"
        )


def translate(exc: sqlite3.Error, path: Path | str) -> StoreError:
    """Turn SQLite's errors about the file into messages a person can act on (one line)."""
    text = one_line(str(exc))
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or (
        primary is None and ("locked" in text or "busy" in text)
    ):
        return DatabaseBusy(
            f"the database is busy (another program is writing to {path}); try again"
        )
    if text.startswith("Could not decode to UTF-8"):
        # Python quotes the undecodable bytes in its message: never show them.
        column = text.split("column ", 1)[-1].split(" with text", 1)[0]
        return DatabaseDamaged(
            f"{path} is damaged (a stored text in column {column} is not valid UTF-8); "
            f"{DAMAGE_ADVICE}"
        )
    if primary == sqlite3.SQLITE_NOTADB or (primary is None and "not a database" in text):
        if _has_sqlite_header(path) is False:
            return StoreError(
                f"{path} is not a Twitch Diary database (not an SQLite file); nothing was "
                f"changed. If it is your diary, it is damaged: {DAMAGE_ADVICE}"
            )
        return DatabaseDamaged(f"{path} is damaged ({text}); {DAMAGE_ADVICE}")
    if primary == sqlite3.SQLITE_CORRUPT or (primary is None and "malformed" in text):
        return DatabaseDamaged(f"{path} is damaged ({text}); {DAMAGE_ADVICE}")
    if "readonly" in text or "unable to open" in text:
        return StoreError(f"cannot write to the database {path}: {text}")
    return StoreError(f"database error in {path}: {text}")


def is_damage(exc: BaseException) -> TypeGuard[sqlite3.Error]:
    """True when ``exc`` is SQLite saying the file is damaged (or a text in it undecodable)."""
    if not isinstance(exc, sqlite3.Error):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in DAMAGE_CODES:
        return True
    return str(exc).startswith("Could not decode to UTF-8") or "malformed" in str(exc)


def _has_sqlite_header(path: Path | str) -> bool | None:
    """Whether the file starts like an SQLite database (None: it cannot be read)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return None


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


def open_read_only(source: Path) -> sqlite3.Connection:
    """A connection that cannot change ``source`` (``mode=ro``): no pragma, no journal switch.

    ``twitch check`` and ``twitch restore`` look into files that may be another program's, a
    backup in rollback-journal mode or damaged: looking must leave them exactly as they are.
    """
    from urllib.parse import quote  # not at import: the quick logging path never needs it

    uri = f"file:{quote(source.resolve().as_posix())}?mode=ro"
    try:
        return sqlite3.connect(uri, uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {source}: {one_line(str(exc))}") from None


def one_line(text: str) -> str:
    """SQLite's multi-line answers (integrity checks, some errors) on one line."""
    return " ".join(str(text).split())


def integrity(conn: sqlite3.Connection, pragma: str = "integrity_check") -> str:
    """``ok``, or SQLite's first complaints joined on one line (``pragma``: or ``quick_check``)."""
    rows = [one_line(r[0]) for r in conn.execute(f"PRAGMA {pragma}(5)").fetchall()]
    return "; ".join(rows) if rows else "no answer"


def pragmas(conn: sqlite3.Connection) -> dict[str, object]:
    """The pragmas in force, for checks and tests."""
    return {
        name: conn.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
    }


def holds_data(conn: sqlite3.Connection) -> bool:
    """True when any diary table has a row (an empty new file needs no backup)."""
    names = table_names(conn)
    return any(
        conn.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchone()[0]
        for table in USER_TABLES
        if table in names
    )
