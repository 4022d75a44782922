"""``twitch check``: what a diary file holds and whether it is sound, without changing a byte.

The file is opened read-only (``mode=ro``): checking never switches it to WAL, never adds a table,
whoever's file it is. The same questions (which tables, which columns, how many rows) decide
whether a file can be restored, so ``diary.db.restore`` asks them through this module.
"""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path
from typing import NamedTuple

from diary.db import sqlite
from diary.db.schema import ADDED_IN, HEAD_REVISION, TABLE_COLUMNS
from diary.db.sqlite import SQLITE_HEADER, USER_TABLES, integrity, one_line, open_read_only
from diary.errors import StoreError
from diary.paths import DIR_MODE, FILE_MODE


class CheckLine(NamedTuple):
    """One line of ``twitch check``: what, what was found, and whether it is fine."""

    name: str
    value: str
    ok: bool = True


#: The per-connection settings the app makes on every connection it opens (``diary.db.sqlite``).
#: They are not stored in the file, so ``check`` states them rather than pretending to measure them.
CONNECTION_SETTINGS = (
    ("synchronous", "FULL"),
    ("foreign_keys", "ON"),
    ("busy_timeout", f"{sqlite.BUSY_TIMEOUT_MS} ms"),
)


def schema_problems(conn: sqlite3.Connection, *, columns: bool = True) -> list[str]:
    """What keeps the file from being a diary at this app's schema: missing tables or columns.

    Without ``columns`` (a file at another revision, which migrating will bring up to date) the
    tables added by later revisions may be missing.
    """
    names = sqlite.table_names(conn)
    problems = []
    for table, wanted in TABLE_COLUMNS.items():
        if table not in names:
            if columns or table not in ADDED_IN:
                problems.append(f"no {table} table")
            continue
        if columns:
            have = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
            missing = [c for c in wanted if c not in have]
            if missing:
                problems.append(f"{table} lacks {', '.join(missing)}")
    return problems


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per diary table (tables that are missing are left out)."""
    names = sqlite.table_names(conn)
    return {
        t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
        for t in USER_TABLES
        if t in names
    }


def undecodable_texts(conn: sqlite3.Connection) -> int:
    """How many stored values in the diary's tables are not valid UTF-8 (damage SQLite ignores)."""
    names = sqlite.table_names(conn)
    conn.text_factory = bytes
    try:
        bad = 0
        for table in (t for t in USER_TABLES if t in names):
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    if isinstance(value, bytes):
                        try:
                            value.decode("utf-8")
                        except UnicodeDecodeError:
                            bad += 1
        return bad
    finally:
        conn.text_factory = str


def check(path: Path, *, own_folder: Path | None = None) -> list[CheckLine]:
    """Everything ``twitch check`` reports about the diary at ``path`` (which must exist).

    The file is opened read-only: checking never changes it, whoever's file it is.
    """
    if not path.exists():
        raise StoreError(f"no database at {path}; nothing to check")
    if not path.is_file():
        raise StoreError(f"database path is not a file: {path}")
    lines = _mode_lines(path, own_folder)
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        lines.append(CheckLine("file", f"cannot be read: {exc.strerror}", False))
        return lines
    if header != SQLITE_HEADER:
        lines.append(CheckLine("file", "not an SQLite database", False))
        return lines
    try:
        conn = open_read_only(path)
    except StoreError as exc:
        lines.append(CheckLine("database", str(exc), False))
        return lines
    try:
        _check_connection(conn, lines)
    except sqlite3.Error as exc:
        lines.append(
            CheckLine("database", f"cannot be read: {one_line(str(exc))} (damaged)", False)
        )
    finally:
        conn.close()
    return lines


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _mode_lines(path: Path, own_folder: Path | None) -> list[CheckLine]:
    lines: list[CheckLine] = []
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists():
            mode = _mode(file)
            lines.append(
                CheckLine(
                    f"mode {file.name}",
                    f"{mode:04o}"
                    + ("" if mode == FILE_MODE else " (should be 0600: chmod 600 it)"),
                    mode == FILE_MODE,
                )
            )
    folder_mode = _mode(path.parent)
    folder_ok = own_folder is None or path.parent != own_folder or folder_mode == DIR_MODE
    lines.append(
        CheckLine(
            "mode folder",
            f"{folder_mode:04o} {path.parent}" + ("" if folder_ok else " (should be 0700)"),
            folder_ok,
        )
    )
    return lines


def _check_connection(conn: sqlite3.Connection, lines: list[CheckLine]) -> None:
    """Append what the file holds to ``lines`` (partial results stay when a query fails)."""
    verdict = integrity(conn)
    lines.append(CheckLine("integrity", verdict, verdict == "ok"))
    others = sqlite.foreign_tables(sqlite.table_names(conn))
    if others:
        shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        lines.append(CheckLine("schema", f"not a Twitch Diary database (tables: {shown})", False))
        return
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    lines.append(
        CheckLine(
            "foreign keys", "ok" if not broken else f"{len(broken)} broken references", not broken
        )
    )
    revision = sqlite.schema_revision(conn)
    if revision == HEAD_REVISION:
        lines.append(CheckLine("schema", f"{revision} (current)"))
    else:
        lines.append(
            CheckLine("schema", f"{revision or 'none'} (this app expects {HEAD_REVISION})", False)
        )
    problems = schema_problems(conn, columns=revision == HEAD_REVISION)
    lines.append(
        CheckLine("tables", "; ".join(problems) if problems else "all present", not problems)
    )
    bad_text = undecodable_texts(conn)
    lines.append(
        CheckLine(
            "text",
            f"{bad_text} stored values are not valid UTF-8 (damaged)" if bad_text else "ok",
            not bad_text,
        )
    )
    mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
    lines.append(
        CheckLine(
            "journal_mode",
            f"{mode} (in the file)"
            if mode == "wal"
            else f"{mode} (in the file; the app switches a diary to wal when it opens it)",
        )
    )
    for name, value in CONNECTION_SETTINGS:
        lines.append(
            CheckLine(name, f"{value} (set by the app on every connection; not in the file)")
        )
    for table, count in table_counts(conn).items():
        lines.append(CheckLine(f"rows {table}", str(count)))
