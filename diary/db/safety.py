"""Keeping the diary safe: snapshots, automatic daily backups, restoring and checking a file.

Every copy is made with SQLite's online backup API, so it is consistent even while another process
is writing (in WAL mode the copy reads one snapshot and never blocks the writer). Copies are
stand-alone files (rollback journal, no ``-wal`` beside them), mode 0600, in a ``backups/`` folder
(0700) beside the database, and each is verified with ``PRAGMA integrity_check`` after writing.
A copy is written to a new file under an unpredictable name beside its target (``mkstemp``:
``O_EXCL|O_NOFOLLOW``, so a planted symlink or FIFO is never written through) and renamed into
place once verified.

``daily_backup(path)`` runs on every write path and costs one ``stat`` when today's copy exists.
Its copies are named after the diary (``auto-<diary>-YYYY-MM-DD.sqlite3``), so diaries sharing a
folder never take each other's daily slot or prune each other's copies. A failed copy never makes a
command fail, with one exception: when the copy fails its check because the diary itself is
damaged, the command is refused (``DatabaseDamaged``) rather than writing into a damaged file.
It imports nothing heavy (not even ``dataclasses``, hence the NamedTuples): the quick logging path
calls it. Restoring (which needs Alembic to know the schema revisions) lives here too but imports
Alembic only inside ``restore``.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

from diary.db import sqlite
from diary.db.schema import HEAD_REVISION, TABLE_COLUMNS
from diary.db.sqlite import (
    DAMAGE_ADVICE,
    SQLITE_HEADER,
    USER_TABLES,
    DatabaseDamaged,
    ForeignDatabase,
    holds_data,
)
from diary.errors import DatabaseBusy, StoreError
from diary.paths import DB_FILENAME, DIR_MODE, FILE_MODE, ensure_private_dir

BACKUP_DIR = "backups"
AUTO_PREFIX = "auto-"
AUTO_KEEP = 7
LOCK_TIMEOUT_S = 0.2
#: Temporary copies older than this were left by a crash (a copy takes seconds): prune removes them.
STALE_PARTIAL_S = 24 * 3600
_DATE = r"(\d{4}-\d{2}-\d{2})"
#: Daily copies named before they carried the diary's name; they were the default diary's.
_LEGACY_AUTO = re.compile(rf"{AUTO_PREFIX}{_DATE}\.sqlite3")


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


class CopyFailedCheck(StoreError):
    """A copy just written failed its integrity check (removed; the source may be damaged)."""


def one_line(text: str) -> str:
    """SQLite's multi-line answers (integrity checks) on one line."""
    return " ".join(str(text).split())


def integrity(conn: sqlite3.Connection, pragma: str = "integrity_check") -> str:
    """``ok``, or SQLite's first complaints joined on one line (``pragma``: or ``quick_check``)."""
    rows = [one_line(r[0]) for r in conn.execute(f"PRAGMA {pragma}(5)").fetchall()]
    return "; ".join(rows) if rows else "no answer"


def private_temp(folder: Path, name: str) -> Path:
    """A new empty file (0600) in ``folder`` for a copy of ``name``, under an unpredictable name.

    ``mkstemp`` opens with ``O_CREAT|O_EXCL|O_NOFOLLOW``: nothing that already exists there, a
    symlink or a FIFO planted by someone else included, is ever opened or reused.
    """
    import tempfile  # not at import: the quick logging path needs it once a day at most

    fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".partial", dir=folder)
    os.close(fd)
    return Path(temp)


def copy_pages(source: sqlite3.Connection, target: Path) -> None:
    """Copy ``source`` into the empty file ``target`` as one stand-alone database (unverified)."""
    dest = sqlite3.connect(str(target), isolation_level=None)
    try:
        dest.execute("PRAGMA journal_mode = OFF")  # no rollback journal beside a file we discard
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")  # a single stand-alone file
    finally:
        dest.close()


def copy_into(source: sqlite3.Connection, target: Path) -> None:
    """Copy ``source`` into the empty private file ``target``, verified; removed on any failure."""
    try:
        copy_pages(source, target)
        dest = sqlite3.connect(str(target), isolation_level=None)
        try:
            verdict = integrity(dest)
        finally:
            dest.close()
        if verdict != "ok":
            raise CopyFailedCheck(f"the copy at {target} failed its integrity check: {verdict}")
        os.chmod(target, FILE_MODE)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def write_copy(source: sqlite3.Connection, target: Path, *, replace: bool = False) -> Path:
    """A verified copy of ``source`` at ``target``: written beside it, then renamed into place.

    A crash (even SIGKILL) leaves either no copy or a complete one, never a half-written file under
    the final name. ``replace``: overwrite an existing ``target`` (else it is refused).
    """
    partial = private_temp(target.parent, target.name)
    try:
        copy_into(source, partial)
        _publish(partial, target, replace=replace)
    finally:
        partial.unlink(missing_ok=True)  # gone after a rename; after a link, the spare name
    return target


def _publish(partial: Path, target: Path, *, replace: bool) -> None:
    if replace:
        os.replace(partial, target)
        return
    try:
        os.link(partial, target)  # never overwrites: a file made there meanwhile is kept
    except FileExistsError:
        raise StoreError(f"file already exists: {target}") from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise StoreError(f"file already exists: {target}") from None
        os.replace(partial, target)


def snapshot(path: Path, target: Path) -> Path:
    """A consistent, verified copy of the database ``path`` at ``target`` (0600).

    Safe to call while this process holds the diary's write lock on another connection: the copy
    then holds exactly what that transaction starts from (``demo --force`` and imports rely on it).
    """
    if not path.is_file():
        raise StoreError(f"no database at {path}")
    if target.exists():
        raise StoreError(f"file already exists: {target}")
    conn = sqlite.connect(path)  # refuses another program's file before any folder is made
    try:
        ensure_private_dir(target.parent)
        try:
            write_copy(conn, target)
        except CopyFailedCheck:
            _refuse_if_damaged(conn, path)  # say it is the diary that is damaged, not the copy
            raise
    except sqlite3.Error as exc:
        raise sqlite.translate(exc, path) from None
    except OSError as exc:
        raise StoreError(f"cannot write {target}: {exc.strerror}") from None
    finally:
        conn.close()
    return target


# --- daily backups ------------------------------------------------------------------------------


def diary_key(path: Path) -> str:
    """The diary's name in its backups' names: the file name without ``.sqlite3``."""
    name = path.name
    return name[: -len(".sqlite3")] if name.endswith(".sqlite3") and name != ".sqlite3" else name


def auto_name(path: Path, day: date) -> str:
    """``auto-<diary>-YYYY-MM-DD.sqlite3``: the diary's automatic copy of ``day``."""
    return f"{AUTO_PREFIX}{diary_key(path)}-{day.isoformat()}.sqlite3"


def auto_backups(folder: Path, path: Path) -> list[Path]:
    """The diary's automatic copies in ``folder``, oldest first.

    The default diary also owns the copies named before names carried the diary
    (``auto-YYYY-MM-DD.sqlite3``), so they keep counting towards its 7 and age out in turn.
    """
    own = re.compile(rf"{AUTO_PREFIX}{re.escape(diary_key(path))}-{_DATE}\.sqlite3")
    patterns = [own, _LEGACY_AUTO] if path.name == DB_FILENAME else [own]
    found = []
    for file in folder.iterdir():
        for pattern in patterns:
            match = pattern.fullmatch(file.name)
            if match:
                found.append((match.group(1), file.name, file))
                break
    return [file for _, _, file in sorted(found)]


def daily_backup(path: Path) -> Path | None:
    """Today's automatic backup, unless it exists or the diary is empty; keeps the newest 7.

    Never raises for a file-system or SQLite problem (a backup must not cost the user an entry),
    except ``DatabaseDamaged``: writing into a damaged diary would only bury the entry in it.
    """
    try:
        folder = backups_dir(path)
        target = folder / auto_name(path, utc_today())
        if target.exists():
            return None
        return _write_daily(path, folder, target)
    except DatabaseDamaged:
        raise
    except (OSError, sqlite3.Error, StoreError):
        return None


def _write_daily(path: Path, folder: Path, target: Path) -> Path | None:
    conn = sqlite.connect(path)
    try:
        if not _holds_data(conn, path):
            return None
        ensure_private_dir(folder)
        try:
            write_copy(conn, target, replace=True)  # a racing process writes the same day's copy
        except (CopyFailedCheck, sqlite3.DatabaseError):
            _refuse_if_damaged(conn, path)  # the copy failed: the diary's own check says why
            raise
    finally:
        conn.close()
    prune(folder, path)
    return target


def _holds_data(conn: sqlite3.Connection, path: Path) -> bool:
    try:
        return holds_data(conn)
    except sqlite3.DatabaseError as exc:
        raise sqlite.translate(exc, path) from None


def _refuse_if_damaged(conn: sqlite3.Connection, path: Path) -> None:
    """Raise ``DatabaseDamaged`` when the diary fails SQLite's quick check."""
    try:
        verdict = integrity(conn, "quick_check")
    except sqlite3.DatabaseError as exc:
        verdict = one_line(str(exc))
    if verdict != "ok":
        raise DatabaseDamaged(f"{path} is damaged (quick check: {verdict}); {DAMAGE_ADVICE}")


def prune(folder: Path, path: Path, keep: int = AUTO_KEEP) -> list[Path]:
    """Remove all but the newest ``keep`` automatic backups of the diary ``path``; the removed ones.

    Another diary's copies in the same folder are never touched. Temporary copies a crash left
    behind (older than a day) go too.
    """
    autos = auto_backups(folder, path)
    removed = autos[:-keep] if keep > 0 else autos
    for old in removed:
        old.unlink(missing_ok=True)
    cutoff = time.time() - STALE_PARTIAL_S
    for partial in folder.glob(".*.partial"):
        try:
            if partial.lstat().st_mtime < cutoff:
                partial.unlink()
        except OSError:
            pass
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


def require_sqlite_file(source: Path) -> None:
    """Refuse a ``source`` that is missing, not a file, unreadable or not an SQLite database."""
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


@contextmanager
def private_copy(source: Path, *, near: Path) -> Iterator[Path]:
    """A copy of ``source`` only this process can reach, beside ``near`` when its folder exists.

    Checking and restoring this copy means the file restored is the file checked, even if
    ``source`` is renamed or rewritten meanwhile (sync tools replace files by renaming).
    """
    import tempfile

    folder = near.parent if near.parent.is_dir() else None
    try:
        fd, name = tempfile.mkstemp(prefix=".restore-", suffix=".partial", dir=folder)
    except OSError as exc:
        raise StoreError(f"cannot make a private copy of {source}: {exc.strerror}") from None
    os.close(fd)
    copy = Path(name)
    try:
        conn = open_read_only(source)
        try:
            copy_pages(conn, copy)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{source} is not a Twitch Diary database or is damaged ({one_line(str(exc))}); "
                "nothing was restored"
            ) from None
        finally:
            conn.close()
        yield copy
    finally:
        copy.unlink(missing_ok=True)


def schema_problems(conn: sqlite3.Connection, *, columns: bool = True) -> list[str]:
    """What keeps the file from being a diary at this app's schema: missing tables or columns."""
    names = sqlite.table_names(conn)
    problems = []
    for table, wanted in TABLE_COLUMNS.items():
        if table not in names:
            problems.append(f"no {table} table")
            continue
        if columns:
            have = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
            missing = [c for c in wanted if c not in have]
            if missing:
                problems.append(f"{table} lacks {', '.join(missing)}")
    return problems


def inspect_file(source: Path, *, shown: Path | None = None) -> str:
    """Check ``source`` can be restored; its schema revision. A ``StoreError`` says why not.

    ``shown``: the name to use in messages (the file the person named, when ``source`` is the
    private copy of it).
    """
    shown = shown or source
    require_sqlite_file(source)
    conn = open_read_only(source)
    try:
        verdict = integrity(conn)
        if verdict != "ok":
            raise StoreError(f"{shown} is damaged (integrity check: {verdict}); nothing restored")
        names = sqlite.table_names(conn)
        if "alembic_version" not in names:
            raise StoreError(f"{shown} is not a Twitch Diary database (no schema version)")
        revision = sqlite.schema_revision(conn)
        problems = schema_problems(conn, columns=revision == HEAD_REVISION)
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{shown} is not a Twitch Diary database or is damaged: {one_line(str(exc))}"
        ) from None
    finally:
        conn.close()
    if revision is None:
        raise StoreError(f"{shown} is not a Twitch Diary database (empty schema version)")
    if revision not in known_revisions():
        raise StoreError(
            f"{shown} was written by a newer version of Twitch Diary (schema {revision}); "
            "upgrade the app to restore it"
        )
    if problems:
        raise StoreError(f"{shown} is not a Twitch Diary database ({'; '.join(problems)})")
    return revision


def open_read_only(source: Path) -> sqlite3.Connection:
    """A connection that cannot change ``source`` (``mode=ro``): no pragma, no journal switch."""
    from urllib.parse import quote

    uri = f"file:{quote(source.resolve().as_posix())}?mode=ro"
    try:
        return sqlite3.connect(uri, uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {source}: {one_line(str(exc))}") from None


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


def _refuse_foreign(path: Path) -> None:
    """Restore never overwrites another program's database that ``--db`` points at."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    conn = open_read_only(path)
    try:
        sqlite.refuse_foreign(conn, path)
    except ForeignDatabase:
        raise
    except StoreError:
        pass  # damaged or unreadable: replacing a damaged diary is what restore is for
    finally:
        conn.close()


def restore(source: Path, path: Path) -> RestoreResult:
    """Replace the diary at ``path`` with the copy ``source``, after a safety backup of it.

    ``source`` is first copied to a private file, and that copy is both checked and restored.
    """
    from diary.paths import prepare_db_file

    require_sqlite_file(source)
    if source.resolve() == path.resolve():
        raise StoreError(f"{source} is the diary itself; choose a backup file to restore")
    _refuse_foreign(path)
    with private_copy(source, near=path) as copy:
        revision = inspect_file(copy, shown=source)
        prepare_db_file(path)
        live = lock_exclusively(path)
        try:
            safety = _save_current(live, path)
            incoming = open_read_only(copy)
            try:
                incoming.backup(live)  # page by page into the live file, under our exclusive lock
            finally:
                incoming.close()
            verdict = integrity(live)
            if verdict != "ok":
                raise StoreError(f"the restored diary failed its integrity check: {verdict}")
        except sqlite3.Error as exc:
            raise StoreError(
                f"restore failed, the diary is unchanged: {one_line(str(exc))}"
            ) from None
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


def _save_current(live: sqlite3.Connection, path: Path) -> Path | None:
    """Copy the diary about to be replaced to ``backups/before-restore-…`` (None: it is empty).

    A damaged diary is saved too, unverified (``…-damaged``): what can still be read from it
    may matter, and restoring over it is the way out of the damage.
    """
    try:
        if not (holds_data(live) or sqlite.schema_revision(live) is not None):
            return None
        damaged = integrity(live, "quick_check") != "ok"
    except sqlite3.DatabaseError:
        damaged = True
    ensure_private_dir(backups_dir(path))
    if not damaged:
        return write_copy(live, default_backup_path(path, "before-restore"))
    target = default_backup_path(path, "before-restore-damaged")
    partial = private_temp(target.parent, target.name)
    try:
        try:
            copy_pages(live, partial)
        except sqlite3.Error:
            import shutil

            shutil.copyfile(path, partial)  # beyond SQLite's reach: keep the bytes as they are
        _publish(partial, target, replace=False)
    finally:
        partial.unlink(missing_ok=True)
    return target


# --- check --------------------------------------------------------------------------------------


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


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


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
