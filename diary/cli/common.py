"""What every command shares: parser pieces, finding the database, and printing safely and plainly.

Nothing heavy at import: the quick-logging commands load this module. Everything printed goes
through ``GuardedOutput`` (terminal controls escaped, a failed write told apart from other errors).
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from diary.errors import OutOfMemory, printable, printable_lines
from diary.paths import resolve_db_path

if TYPE_CHECKING:
    from sqlalchemy import Engine

#: Where ``mark_saved`` records, on the command's own arguments, that its change is committed.
SAVED = "_twitch_change_saved"


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one line and exit 2."""

    def parse_known_args(self, args=None, namespace=None):  # untyped: argparse overloads it
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


def delete_command(
    sub: argparse._SubParsersAction,
    what: str,
    examples: str,
    ident: tuple[str, str, str],
    run: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    """A ``delete`` subcommand: the argument ``ident`` (name, metavar, help) naming the record,
    and ``--yes``; the same wording for every kind of record."""
    parser = subcommand(sub, "delete", f"Delete {what} (asks first unless --yes).", examples)
    name, metavar, help_text = ident
    parser.add_argument(name, metavar=metavar, help=help_text)
    parser.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    parser.set_defaults(run=run)
    return parser


class OutputFailed(Exception):
    """Standard output could not be written (a full disk, a vanished terminal)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


class GuardedOutput:
    """Standard output that escapes terminal controls and names its own write failures.

    Every ``print`` of every command goes through it, so text from the diary or from a file name
    cannot recolour or reorder the terminal, and a failed write is ``OutputFailed`` (told apart
    from other ``OSError``s): the command may already have saved its change.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            self.stream.write(printable_lines(text))
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputFailed(exc) from None
        return len(text)

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputFailed(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def never_fail_on_encoding() -> None:
    """Replace what the terminal's encoding cannot show instead of failing after a write.

    With ``PYTHONIOENCODING=latin-1`` an em dash in a confirmation raised after the episode was
    stored; a retry then stored it twice. One ``reconfigure`` call per stream: cheap enough for
    the quick path.
    """
    for stream, errors in ((sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with suppress(OSError, ValueError):  # a stream that cannot change keeps its handler
                reconfigure(errors=errors)


def discard_output() -> None:
    """Point standard output at the null device, so the final flush at exit cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, sys.stdout.fileno())  # in-process (tests) there is no file: nothing to do
        finally:
            os.close(null)
    except (OSError, ValueError):
        pass


def mark_saved(args: argparse.Namespace) -> None:
    """Record that this command's change is committed.

    From here on, failing to print the confirmation is not a failure of the command: exit 1
    would invite a retry that stores the same entry twice.
    """
    setattr(args, SAVED, True)


def was_saved(args: argparse.Namespace) -> bool:
    """Whether ``mark_saved`` was called for this command."""
    return bool(getattr(args, SAVED, False))


@contextmanager
def loading(purpose: str) -> Iterator[None]:
    """Run a heavy import (and the work using it), turning a lack of memory into one line.

    Under a memory limit (``ulimit -v``) the big libraries fail in many ways while loading:
    ``MemoryError``, an ``ImportError`` from a library that could not be mapped, even a
    ``SystemError`` from an extension module, an ``OSError`` (ENOMEM) from the import system
    listing a package folder. A missing module is a broken install and stays as it is.
    """
    _fewer_threads_under_a_memory_limit()
    try:
        yield
    except ModuleNotFoundError:
        raise
    except OSError as exc:
        if exc.errno != errno.ENOMEM:  # the import system's own "cannot allocate memory"
            raise
        raise OutOfMemory(
            f"not enough memory to {purpose} ({exc.strerror} while loading its libraries);"
            " close other programs or raise the memory limit, then try again"
        ) from None
    except (MemoryError, ImportError, SystemError) as exc:
        raise OutOfMemory(
            f"not enough memory to {purpose} ({type(exc).__name__} while loading its libraries);"
            " close other programs or raise the memory limit, then try again"
        ) from None


def _fewer_threads_under_a_memory_limit() -> None:
    """One BLAS thread when address space is capped: each thread reserves its own large buffer.

    The analysis multiplies small matrices, so one thread costs nothing, and the libraries load
    in about 40 MB less. Without a cap, or with the variable already set, nothing changes.
    """
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, AttributeError, OSError, ValueError):
        return
    if soft != resource.RLIM_INFINITY:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def db_path(args: argparse.Namespace) -> Path:
    """The database this command works on."""
    return resolve_db_path(getattr(args, "db", None))


def open_engine(args: argparse.Namespace) -> Engine:
    """The SQLAlchemy engine on this command's database (created and migrated when needed)."""
    with loading("open the diary"):
        from diary.db.open import make_engine

    return make_engine(db_path(args))


def diary_exists(args: argparse.Namespace) -> bool:
    """Whether this command's diary file is there: lookups on a missing one create nothing."""
    return db_path(args).exists()


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    """A plain, aligned table (no colours, so it pipes and copies cleanly)."""
    rows = [[printable(cell) for cell in row] for row in rows]
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
