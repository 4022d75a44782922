"""``twitch backup``, ``twitch restore`` and ``twitch check``: keeping the diary file safe."""

from __future__ import annotations

import argparse
from pathlib import Path

from diary.cli.common import db_path, mark_saved, subcommand
from diary.errors import printable


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``backup``, ``restore`` and ``check``."""
    backup = subcommand(
        sub,
        "backup",
        "Write a consistent, verified copy of the diary (safe while it is in use).",
        "  twitch backup                          into backups/ beside the diary\n"
        "  twitch backup --out ~/diary-copy.sqlite3\n"
        "\nThe app also keeps one automatic copy per day of use (the last 7 of each diary) in\n"
        "backups/, named auto-<diary>-YYYY-MM-DD.sqlite3.\n",
    )
    backup.add_argument("-o", "--out", metavar="FILE", help="where to write the copy (new file)")
    backup.set_defaults(run=run_backup)

    restore = subcommand(
        sub,
        "restore",
        "Replace the diary with a backup copy, after saving the current diary to backups/.",
        "  twitch restore ~/diary-copy.sqlite3\n"
        "  twitch restore backups/auto-diary-2026-11-20.sqlite3\n"
        "\nClose the app (and any other twitch command) first: restore refuses while the diary\n"
        "is open elsewhere. The file is copied privately first; that copy is checked and\n"
        "restored.\n",
    )
    restore.add_argument("file", metavar="FILE", help="a file written by `twitch backup`")
    restore.set_defaults(run=run_restore)

    check = subcommand(
        sub,
        "check",
        "Check the diary file (read-only): integrity, schema and tables, text, journal mode, "
        "permissions and row counts.",
        "  twitch check                           exit status 0 when all is well, 1 when not\n"
        "  twitch check --db ~/other.sqlite3\n",
    )
    check.set_defaults(run=run_check)


def _size(path: Path) -> str:
    size = path.stat().st_size
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


def run_backup(args: argparse.Namespace) -> int:
    """Copy the diary and say where, and how big the copy is."""
    from diary.db import backups
    from diary.errors import StoreError

    path = db_path(args)
    if not path.is_file():
        raise StoreError(f"no database at {path}; nothing to back up")
    target = Path(args.out).expanduser() if args.out else backups.default_backup_path(path)
    if target.exists():
        raise StoreError(f"{target} already exists; choose a new file name")
    if target.resolve() == path.resolve():
        raise StoreError("the backup cannot be the diary itself")
    backups.snapshot(path, target)
    mark_saved(args)
    print(f"Backed up {printable(path)} to {printable(target)} ({_size(target)}, integrity ok)")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Restore, and say what was saved first and what is in the diary now."""
    from diary.db.restore import restore
    from diary.wording import plural

    path = db_path(args)
    result = restore(Path(args.file).expanduser(), path)
    mark_saved(args)  # restored: a failure to print the summary must not invite a retry
    if result.safety:
        print(f"Saved the current diary to {printable(result.safety)}")
    print(f"Restored {printable(path)} from {printable(result.source)} (schema {result.revision})")
    if result.migrated:
        print("Brought the restored diary up to this version's schema")
    counts = result.counts
    print(
        f"The diary now holds {plural(counts.get('episode', 0), 'episode')} and "
        f"{plural(counts.get('day', 0), 'day')} of check-ins"
    )
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Print the report; exit 1 when anything is wrong."""
    from diary.db.check import check
    from diary.paths import default_db_path

    path = db_path(args)
    lines = check(path, own_folder=default_db_path().parent)
    width = max(len(line.name) for line in lines)
    print(f"Checking {printable(path)}")
    for line in lines:
        mark = "ok " if line.ok else "BAD"
        print(f"  {mark} {printable(line.name).ljust(width)}  {printable(line.value)}")
    problems = [line for line in lines if not line.ok]
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found")
        return 1
    print("All good")
    return 0
