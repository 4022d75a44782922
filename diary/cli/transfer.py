"""``twitch export`` and ``twitch import``: the CSV contract (see ``diary.csvio``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from diary.cli.common import open_engine, plural, subcommand


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``export`` and ``import``."""
    export = subcommand(
        sub,
        "export",
        "Write everything as five CSV files (episodes, days, medications, visits, profile).",
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
        "  twitch import episodes.csv             one file, recognised by its header\n",
    )
    imp.add_argument("path", metavar="PATH", help="a folder of CSV files, or one CSV file")
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
    }
    detail = ", ".join(plural(n, nouns[name]) for name, n in counts.items())
    print(f"Exported to {folder}: {detail}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Import, or explain every problem and change nothing."""
    from diary import csvio

    path = Path(args.path).expanduser()
    parsed = csvio.read_import(path)  # every problem is found before any database is opened
    summary = csvio.write_import(open_engine(args), parsed)
    print(f"Imported {path}:")
    for line in summary.lines():
        print(f"  {line}")
    return 0
