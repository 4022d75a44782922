"""Where the diary lives, and making files only their owner can read.

The default database is ``diary.sqlite3`` in the user's data folder (``platformdirs``, app name
``twitch-diary``); ``--db`` or ``TWITCH_DIARY_DB`` point elsewhere. Folders the app creates are 0700
and files 0600: this is health data, and a shared machine should not hand it to other accounts.
"""

from __future__ import annotations

import os
from pathlib import Path

from diary.errors import StoreError

APP_NAME = "twitch-diary"
DB_FILENAME = "diary.sqlite3"
ENV_DB = "TWITCH_DIARY_DB"
DIR_MODE = 0o700
FILE_MODE = 0o600


def default_db_path() -> Path:
    """The diary in the user's data folder (created only when first written)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME


def resolve_db_path(option: str | None) -> Path:
    """``--db`` wins, then ``TWITCH_DIARY_DB``, then the default."""
    chosen = option or os.environ.get(ENV_DB)
    return Path(chosen).expanduser() if chosen else default_db_path()


def ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` and any missing parents as 0700; leave existing folders as they are."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    if current.exists() and not current.is_dir():
        raise StoreError(f"folder path is a file, not a folder: {current}")
    for path in reversed(missing):
        try:
            path.mkdir(mode=DIR_MODE)
        except FileExistsError:
            pass  # another process made it in between
        except OSError as exc:
            raise StoreError(f"cannot create folder {path}: {exc.strerror}") from None
        os.chmod(path, DIR_MODE)


def create_private_file(path: Path) -> bool:
    """Create ``path`` empty with mode 0600 unless it exists; True when it was created."""
    try:
        flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, FILE_MODE)
    except FileExistsError:
        return False
    except OSError as exc:
        raise StoreError(f"cannot create {path}: {exc.strerror}") from None
    os.close(fd)
    os.chmod(path, FILE_MODE)  # the umask may have narrowed it further; make it exactly 0600
    return True


def check_db_path(path: Path) -> None:
    """Refuse database paths that cannot be a database file, before SQLite gives a vaguer error."""
    if path.is_dir():
        raise StoreError(f"database path is a folder, not a file: {path}")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise StoreError(f"database file is not readable and writable by you: {path}")
    parent = path.parent
    if parent.exists() and not parent.is_dir():
        raise StoreError(f"database folder is a file, not a folder: {parent}")
    if parent.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise StoreError(f"database folder is not writable by you: {parent}")


def prepare_db_file(path: Path) -> bool:
    """Make sure the database file can be opened: folder 0700, file 0600. True when it is new."""
    check_db_path(path)
    ensure_private_dir(path.parent)
    return create_private_file(path)


def stage_private(target: Path, data: bytes) -> Path:
    """``data`` in a new temporary file beside ``target``, mode 0600, synced; its path.

    The temporary file is new (``O_EXCL|O_NOFOLLOW``) under an unpredictable name: in a shared
    folder a symlink or FIFO planted at a guessable name would otherwise be written through or hand
    the data to a reader. The caller renames it into place (or removes it).
    """
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, FILE_MODE)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def write_private(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically, mode 0600, synced to disk.

    Staged beside the target (``stage_private``) and renamed into place, so a crash never leaves a
    half-written file under the final name (exports, reports, PNGs all go through here).
    """
    temporary = stage_private(target, data)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
