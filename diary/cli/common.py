"""What every command shares: the parser pieces, finding the database, and printing things plainly.

Nothing heavy at import: the quick-logging commands load this module.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from diary.paths import resolve_db_path

if TYPE_CHECKING:
    from sqlalchemy import Engine


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one line and exit 2."""

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[no-untyped-def,override]
        # Bytes that are not UTF-8 reach Python as lone surrogates, which SQLite cannot store.
        for arg in args or ():
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError:
                self.error(f"argument {arg!r} is not UTF-8 text")
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        # argparse quotes the offending argument as typed: escape line breaks and other
        # unprintable characters so the message stays one line (and encodable).
        shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
        sys.stderr.write(f"{self.prog}: {shown} (see `{self.prog} --help`)\n")
        sys.exit(2)


def help_formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=34, width=100)


def add_db_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """``--db PATH`` on the main command and on every subcommand (either place works)."""
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=None if top else argparse.SUPPRESS,
        help="the diary file (default: $TWITCH_DIARY_DB, else diary.sqlite3 in your data folder)",
    )


def subcommand(
    sub: argparse._SubParsersAction, name: str, summary: str, examples: str = ""
) -> argparse.ArgumentParser:
    """A subcommand with a summary, an examples section and the ``--db`` option."""
    epilog = f"examples:\n{examples}" if examples else None
    parser = sub.add_parser(
        name, help=summary, description=summary, epilog=epilog, formatter_class=help_formatter
    )
    add_db_option(parser)
    return parser


def db_path(args: argparse.Namespace) -> Path:
    """The database this command works on."""
    return resolve_db_path(getattr(args, "db", None))


def open_engine(args: argparse.Namespace) -> Engine:
    """The SQLAlchemy engine on this command's database (created and migrated when needed)."""
    from diary.db.engine import make_engine

    return make_engine(db_path(args))


def format_duration(seconds: int) -> str:
    """``45 s``, ``2 min``, ``1 h 30 min``."""
    if seconds < 60:
        return f"{seconds} s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    if minutes:
        parts.append(f"{minutes} min")
    if secs:
        parts.append(f"{secs} s")
    return " ".join(parts)


def format_when(moment: datetime) -> str:
    """A local time as people read it, with its UTC offset: ``Sun 22 Nov 2026 14:03 (+01:00)``."""
    offset = moment.strftime("%z")
    return f"{moment.strftime('%a %d %b %Y %H:%M')} ({offset[:3]}:{offset[3:]})"


def format_date(day: date) -> str:
    """``Sun 22 Nov 2026``."""
    return day.strftime("%a %d %b %Y")


def words(stored: str | None) -> str:
    """A stored set for display: ``weakness, numbness`` (underscores as spaces)."""
    return ", ".join(w.replace("_", " ") for w in (stored or "").split(";") if w)


def plural(count: int, noun: str) -> str:
    """``1 episode``, ``2 episodes``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    """A plain, aligned table (no colours, so it pipes and copies cleanly)."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line.rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def confirm(question: str) -> bool:
    """Ask yes/no on the terminal; refuse (False) when there is no terminal to ask on."""
    if not sys.stdin.isatty():
        return False
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")
