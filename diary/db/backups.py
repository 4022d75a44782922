"""Copies of the diary: snapshots on demand, automatic daily backups, and the names they go by.

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
This module imports nothing heavy (not even ``tempfile`` until a copy is made): the quick logging
path calls ``daily_backup``.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from datetime import UTC, date, datetime
from pathlib import Path

from diary.db import sqlite
from diary.db.sqlite import DAMAGE_ADVICE, DatabaseDamaged, holds_data, integrity, one_line
from diary.errors import StoreError
from diary.paths import DB_FILENAME, FILE_MODE, ensure_private_dir

BACKUP_DIR = "backups"
AUTO_PREFIX = "auto-"
AUTO_KEEP = 7
#: Temporary copies older than this were left by a crash (a copy takes seconds): prune removes them.
STALE_PARTIAL_S = 24 * 3600
_DATE = r"(\d{4}-\d{2}-\d{2})"
#: Daily copies named before they carried the diary's name; they were the default diary's.
_LEGACY_AUTO = re.compile(rf"{AUTO_PREFIX}{_DATE}\.sqlite3")


# --- names --------------------------------------------------------------------------------------


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


def backup_name(path: Path, revision: str | None) -> Path:
    """``diary.sqlite3.bak-<revision>-<UTC time>`` beside the database (before a migration)."""
    moment = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return path.with_name(f"{path.name}.bak-{revision or 'base'}-{moment}")


# --- copies -------------------------------------------------------------------------------------


class CopyFailedCheck(StoreError):
    """A copy just written failed its integrity check (removed; the source may be damaged)."""


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
        publish(partial, target, replace=replace)
    finally:
        partial.unlink(missing_ok=True)  # gone after a rename; after a link, the spare name
    return target


def publish(partial: Path, target: Path, *, replace: bool) -> None:
    """Give the finished copy ``partial`` its final name ``target`` in one step."""
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
            refuse_if_damaged(conn, path)  # say it is the diary that is damaged, not the copy
            raise
    except sqlite3.Error as exc:
        raise sqlite.translate(exc, path) from None
    except OSError as exc:
        raise StoreError(f"cannot write {target}: {exc.strerror}") from None
    finally:
        conn.close()
    return target


def refuse_if_damaged(conn: sqlite3.Connection, path: Path) -> None:
    """Raise ``DatabaseDamaged`` when the diary fails SQLite's quick check."""
    try:
        verdict = integrity(conn, "quick_check")
    except sqlite3.DatabaseError as exc:
        verdict = one_line(str(exc))
    if verdict != "ok":
        raise DatabaseDamaged(f"{path} is damaged (quick check: {verdict}); {DAMAGE_ADVICE}")


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
            refuse_if_damaged(conn, path)  # the copy failed: the diary's own check says why
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
