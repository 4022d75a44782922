"""``twitch restore``: put a backup copy back in the diary's place, never losing what was there.

The copy named is first copied to a private file, and that private file is both checked and
restored: a sync tool renaming a new file over the named one in between cannot slip in something
unchecked. The diary about to be replaced is saved to ``backups/before-restore-…`` first (even when
damaged: what can still be read from it may matter). The restore writes page by page into the live
file under an exclusive lock, refused while any other program has the diary open. A copy from an
older version of the app is migrated afterwards; knowing which revisions exist takes Alembic, which
is why this lives apart from the lean backup code the quick logging path uses.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from alembic.script import ScriptDirectory

from diary.db import migrate, sqlite
from diary.db.backups import (
    backups_dir,
    copy_pages,
    default_backup_path,
    private_temp,
    publish,
    write_copy,
)
from diary.db.check import schema_problems, table_counts
from diary.db.schema import HEAD_REVISION
from diary.db.sqlite import (
    SQLITE_HEADER,
    ForeignDatabase,
    holds_data,
    integrity,
    one_line,
    open_read_only,
)
from diary.errors import DatabaseBusy, StoreError
from diary.paths import FILE_MODE, ensure_private_dir, prepare_db_file

LOCK_TIMEOUT_S = 0.2


class RestoreResult(NamedTuple):
    """What ``restore`` did."""

    source: Path
    revision: str
    safety: Path | None
    migrated: bool
    counts: dict[str, int]


def known_revisions() -> set[str]:
    """Every revision in the migration scripts."""
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
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
        migrate.ensure_current(path)
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
            shutil.copyfile(path, partial)  # beyond SQLite's reach: keep the bytes as they are
        publish(partial, target, replace=False)
    finally:
        partial.unlink(missing_ok=True)
    return target
