"""Keeping the diary safe: snapshots, automatic daily backups, restoring and checking a file.

Every copy is made with SQLite's online backup API, so it is consistent even while another process
is writing (in WAL mode the copy reads one snapshot and never blocks the writer). Copies are
stand-alone files (rollback journal, no ``-wal`` beside them), mode 0600, in a ``backups/`` folder
(0700) beside the database, and each is verified with ``PRAGMA integrity_check`` after writing.

``daily_backup(path)`` runs on every write path and costs one ``stat`` when today's copy exists.
It must never make a command fail, and it imports nothing but the standard library (not even
``dataclasses``, hence the NamedTuples): the quick logging path calls it. Restoring (which
needs Alembic to know the schema revisions) lives here too but imports Alembic only inside
``restore``.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

from diary.db import sqlite
from diary.db.schema import HEAD_REVISION
from diary.db.sqlite import USER_TABLES, holds_data
from diary.errors import DatabaseBusy, StoreError
from diary.paths import DIR_MODE, FILE_MODE, create_private_file, ensure_private_dir

BACKUP_DIR = "backups"
AUTO_PREFIX = "auto-"
AUTO_KEEP = 7
SQLITE_HEADER = b"SQLite format 3\x00"
LOCK_TIMEOUT_S = 0.2


def backups_dir(path: Path) -> Path:
    """The ``backups/`` folder beside the database."""
    return path.parent / BACKUP_DIR


def utc_today() -> date:
    """Today's UTC date (one function, so tests can move the clock)."""
    return datetime.now(UTC).date()


def stamp() -> str:
    """A UTC time stamp for file names: ``20261122T043329Z``."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def default_backup_path(path: Path, prefix: str = "diary-backup") -> Path:
    """``backups/<prefix>-<UTC stamp>.sqlite3`` beside the database (a free name)."""
    base = f"{prefix}-{stamp()}"
    candidate = backups_dir(path) / f"{base}.sqlite3"
    number = 1
    while candidate.exists():
        number += 1
        candidate = backups_dir(path) / f"{base}-{number}.sqlite3"
    return candidate


# --- copies -------------------------------------------------------------------------------------


def integrity(conn: sqlite3.Connection) -> str:
    """``ok``, or SQLite's first complaints joined on one line."""
    rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(5)").fetchall()]
    return "; ".join(rows) if rows else "no answer"


def copy_into(source: sqlite3.Connection, target: Path) -> None:
    """Copy ``source`` into the new file ``target`` (0600, created here), verified; else no file."""
    if not create_private_file(target):
        raise StoreError(f"file already exists: {target}")
    try:
        dest = sqlite3.connect(str(target), isolation_level=None)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")  # a single stand-alone file
            verdict = integrity(dest)
        finally:
            dest.close()
        if verdict != "ok":
            raise StoreError(f"the copy at {target} failed its integrity check: {verdict}")
        os.chmod(target, FILE_MODE)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def snapshot(path: Path, target: Path) -> Path:
    """A consistent, verified copy of the database ``path`` at ``target`` (0600)."""
    if not path.is_file():
        raise StoreError(f"no database at {path}")
    ensure_private_dir(target.parent)
    if target.exists():
        raise StoreError(f"file already exists: {target}")
    # Written beside the target and renamed into place once verified: a crash (even SIGKILL)
    # leaves either no backup or a complete one, never a half-written file under its name.
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    conn = sqlite.connect(path)
    try:
        copy_into(conn, partial)
    except sqlite3.Error as exc:
        raise sqlite.translate(exc, path) from None
    finally:
        conn.close()
    os.replace(partial, target)
    return target


def auto_name(day: date) -> str:
    return f"{AUTO_PREFIX}{day.isoformat()}.sqlite3"


def daily_backup(path: Path) -> Path | None:
    """Today's automatic backup, unless it exists or the diary is empty; keeps the newest 7.

    Never raises for a file-system or SQLite problem: a backup must not cost the user an entry.
    """
    try:
        folder = backups_dir(path)
        target = folder / auto_name(utc_today())
        if target.exists():
            return None
        return _write_daily(path, folder, target)
    except (OSError, sqlite3.Error, StoreError):
        return None


def _write_daily(path: Path, folder: Path, target: Path) -> Path | None:
    conn = sqlite.connect(path)
    try:
        if not holds_data(conn):
            return None
        ensure_private_dir(folder)
        partial = folder / f".{target.name}.{os.getpid()}.partial"
        partial.unlink(missing_ok=True)
        copy_into(conn, partial)
    finally:
        conn.close()
    os.replace(partial, target)  # another process racing us writes the same day's copy
    prune(folder)
    return target


def prune(folder: Path, keep: int = AUTO_KEEP) -> list[Path]:
    """Remove all but the newest ``keep`` automatic backups; the removed ones."""
    autos = sorted(folder.glob(f"{AUTO_PREFIX}????-??-??.sqlite3"), key=lambda p: p.name)
    removed = autos[:-keep] if keep > 0 else autos
    for old in removed:
        old.unlink(missing_ok=True)
    return removed


# --- restore ------------------------------------------------------------------------------------


class RestoreResult(NamedTuple):
    """What ``restore`` did."""

    source: Path
    revision: str
    safety: Path | None
    migrated: bool
    counts: dict[str, int]


def known_revisions() -> set[str]:
    """Every revision in the migration scripts (imports Alembic)."""
    from alembic.script import ScriptDirectory

    from diary.db.migrate import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


def inspect_file(source: Path) -> str:
    """Check ``source`` can be restored; its schema revision. A ``StoreError`` says why not."""
    if not source.exists():
        raise StoreError(f"no such file: {source}")
    if not source.is_file():
        raise StoreError(f"not a file: {source}")
    try:
        with source.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read {source}: {exc.strerror}") from None
    if header != SQLITE_HEADER:
        raise StoreError(f"{source} is not an SQLite database; nothing was restored")
    conn = _open_read_only(source)
    try:
        verdict = integrity(conn)
        if verdict != "ok":
            raise StoreError(f"{source} is damaged (integrity check: {verdict}); nothing restored")
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in names:
            raise StoreError(f"{source} is not a Twitch Diary database (no schema version)")
        revision = sqlite.schema_revision(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{source} is not a Twitch Diary database or is damaged: {exc}") from None
    finally:
        conn.close()
    if revision is None:
        raise StoreError(f"{source} is not a Twitch Diary database (empty schema version)")
    if revision not in known_revisions():
        raise StoreError(
            f"{source} was written by a newer version of Twitch Diary (schema {revision}); "
            "upgrade the app to restore it"
        )
    missing = [t for t in USER_TABLES if t not in names]
    if missing:
        raise StoreError(
            f"{source} is not a Twitch Diary database (missing tables: {', '.join(missing)})"
        )
    return revision


def _open_read_only(source: Path) -> sqlite3.Connection:
    uri = f"file:{source.resolve().as_posix()}?mode=ro"
    try:
        return sqlite3.connect(uri, uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {source}: {exc}") from None


def lock_exclusively(path: Path) -> sqlite3.Connection:
    """A connection that alone holds ``path``; ``DatabaseBusy`` while anyone else has it open.

    In WAL mode every open connection keeps a shared lock on the file, so taking the exclusive
    lock in exclusive locking mode succeeds only when no other connection exists; it is then kept
    until this connection closes, so nobody can open the file in between.
    """
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=LOCK_TIMEOUT_S)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(LOCK_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseBusy(
                f"the diary {path} is open in another program (the app, or a command still "
                "running); close it and try again — nothing was changed"
            ) from None
        raise sqlite.translate(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return conn


def restore(source: Path, path: Path) -> RestoreResult:
    """Replace the diary at ``path`` with the copy ``source``, after a safety backup of it."""
    from diary.paths import prepare_db_file

    revision = inspect_file(source)
    if source.resolve() == path.resolve():
        raise StoreError(f"{source} is the diary itself; choose a backup file to restore")
    prepare_db_file(path)
    live = lock_exclusively(path)
    safety = None
    try:
        if holds_data(live) or sqlite.schema_revision(live) is not None:
            ensure_private_dir(backups_dir(path))
            safety = default_backup_path(path, "before-restore")
            copy_into(live, safety)
        incoming = _open_read_only(source)
        try:
            incoming.backup(live)  # page by page into the live file, under our exclusive lock
        finally:
            incoming.close()
        verdict = integrity(live)
        if verdict != "ok":
            raise StoreError(f"the restored diary failed its integrity check: {verdict}")
    except sqlite3.Error as exc:
        raise StoreError(f"restore failed, the diary is unchanged: {exc}") from None
    finally:
        live.close()
    os.chmod(path, FILE_MODE)
    migrated = revision != HEAD_REVISION
    if migrated:
        from diary.db.migrate import ensure_current

        ensure_current(path)
    conn = sqlite.connect(path)
    try:
        counts = table_counts(conn)
    finally:
        conn.close()
    return RestoreResult(source, revision, safety, migrated, counts)


# --- check --------------------------------------------------------------------------------------


class CheckLine(NamedTuple):
    """One line of ``twitch check``: what, what was found, and whether it is fine."""

    name: str
    value: str
    ok: bool = True


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per diary table (tables that are missing are left out)."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return {
        t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
        for t in USER_TABLES
        if t in names
    }


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def check(path: Path, *, own_folder: Path | None = None) -> list[CheckLine]:
    """Everything ``twitch check`` reports about the diary at ``path`` (which must exist)."""
    if not path.exists():
        raise StoreError(f"no database at {path}; nothing to check")
    if not path.is_file():
        raise StoreError(f"database path is not a file: {path}")
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
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            lines.append(CheckLine("file", "not an SQLite database", False))
            return lines
    conn = sqlite.connect(path)
    try:
        lines.extend(_check_connection(conn))
    except sqlite3.DatabaseError as exc:
        lines.append(CheckLine("database", f"cannot be read: {exc}", False))
    finally:
        conn.close()
    return lines


def _check_connection(conn: sqlite3.Connection) -> list[CheckLine]:
    lines = []
    verdict = integrity(conn)
    lines.append(CheckLine("integrity", verdict, verdict == "ok"))
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
    found = sqlite.pragmas(conn)
    expected = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}
    for name, want in expected.items():
        value = found[name]
        ok = str(value).lower() == str(want)
        lines.append(CheckLine(name, f"{value}" + ("" if ok else f" (should be {want})"), ok))
    timeout = int(found["busy_timeout"])  # type: ignore[call-overload]
    lines.append(
        CheckLine(
            "busy_timeout",
            f"{timeout} ms" + ("" if timeout >= 5000 else " (should be at least 5000)"),
            timeout >= 5000,
        )
    )
    for table, count in table_counts(conn).items():
        lines.append(CheckLine(f"rows {table}", str(count)))
    return lines
