"""``twitch export`` and ``twitch import``: the CSV contract (see ``diary.csvio``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from diary.cli.common import confirm, mark_saved, open_engine, subcommand
from diary.errors import UserError, printable
from diary.wording import plural

if TYPE_CHECKING:
    from diary.csvio import ImportFailed, ImportSummary, ParsedFile


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``export`` and ``import``."""
    export = subcommand(
        sub,
        "export",
        "Write everything as CSV files: episodes, days, medications, visits, profile, self-checks.",
        "  twitch export                        into ./twitch-export-<today>\n"
        "  twitch export --out ~/diary-backup\n",
    )
    export.add_argument(
        "-o", "--out", metavar="DIR", help="folder to write into (created if needed)"
    )
    export.set_defaults(run=run_export)

    imp = subcommand(
        sub,
        "import",
        "Import CSV files in the export format: all rows or none; importing twice adds nothing.",
        "  twitch import ~/diary-backup           a folder written by `twitch export`\n"
        "  twitch import episodes.csv             one file, recognised by its header\n"
        "  twitch import old-export --replace     let the files overwrite rows that differ\n",
    )
    imp.add_argument("path", metavar="PATH", help="a folder of CSV files, or one CSV file")
    imp.add_argument(
        "--replace",
        action="store_true",
        help="overwrite stored rows whose values differ from the files' (backed up first); "
        "without it such an import is refused, or asked about on a terminal",
    )
    imp.set_defaults(run=run_import)


def run_export(args: argparse.Namespace) -> int:
    """Export and say where and how much."""
    from diary import csvio, when

    folder = (
        Path(args.out).expanduser()
        if args.out
        else Path(f"twitch-export-{when.now_local().date().isoformat()}")
    )
    counts = csvio.export_all(open_engine(args), folder)
    nouns = {
        "episodes.csv": "episode",
        "days.csv": "day",
        "medications.csv": "medication course",
        "visits.csv": "visit",
        "profile.csv": "profile item",
        "sign_checks.csv": "sign check",
        "strength_checks.csv": "strength check",
        "twitch_counts.csv": "twitch count",
    }
    detail = ", ".join(plural(n, nouns[name]) for name, n in counts.items())
    mark_saved(args)
    print(f"Exported to {printable(folder)}: {detail}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Import, or explain every problem and change nothing."""
    from diary import csvio

    path = Path(args.path).expanduser()
    progress = TerminalProgress() if sys.stderr.isatty() else None
    try:
        # every problem is found before any database is opened
        parsed = csvio.read_import(path, progress=progress)
        summary = _write(args, parsed, progress)
    except csvio.ImportFailed as failed:
        if progress:
            progress.clear()
        _list_problems(failed)
        return failed.exit_code
    finally:  # whatever happens, the next line printed starts on a clean line
        if progress:
            progress.clear()
    mark_saved(args)  # committed: a failure to print the summary must not invite a retry
    print(f"Imported {printable(path)}:")
    for line in summary.lines():
        print(f"  {line}")
    if summary.backup:
        print(f"The diary as it was before is saved in {printable(summary.backup)}")
    return 0


def _write(
    args: argparse.Namespace, parsed: list[ParsedFile], progress: TerminalProgress | None
) -> ImportSummary:
    """Write the rows; replacing stored rows needs ``--replace`` or a yes at the terminal."""
    from diary import csvio

    engine = open_engine(args)
    try:
        return csvio.write_import(
            engine, parsed, allow_replace=None if args.replace else 0, progress=progress
        )
    except csvio.WouldReplace as refused:
        if progress:
            progress.clear()
        rows = plural(refused.count, "stored row")
        if not confirm(f"Replace {rows} with the file's values (the diary is backed up first)?"):
            raise _refusal(refused) from None
        confirmed = refused.count
    try:  # at most the rows confirmed: if the diary changed meanwhile, refuse rather than guess
        return csvio.write_import(engine, parsed, allow_replace=confirmed, progress=progress)
    except csvio.WouldReplace as refused:
        raise _refusal(refused) from None


def _list_problems(failed: ImportFailed) -> None:
    """The refusal, then one indented line per problem, each escaped on its own.

    The problems quote cells and file names, which may hold terminal controls or line breaks.
    """
    first, *rest = failed.lines()
    sys.stderr.write(f"twitch: {printable(first)}\n")
    for line in rest:
        sys.stderr.write(f"  {printable(line)}\n")


def _refusal(refused: Exception) -> UserError:
    return UserError(
        f"{refused}; if the file's values should win, run it again with --replace "
        "(the diary is backed up first)"
    )


class TerminalProgress:
    """Progress on one rewritten line of stderr (used only when stderr is a terminal)."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, text: str) -> None:
        sys.stderr.write(f"\r{printable(text)}\x1b[K")  # the text names a file: escape it
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        """Wipe the progress line (idempotent), so what follows starts on a clean line."""
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.shown = False
