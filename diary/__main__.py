"""The ``twitch`` command: parse the arguments, run one command, turn user mistakes into one line.

Kept light: heavy modules (SQLAlchemy, pandas, matplotlib, Textual) are imported inside the
commands that need them, so ``twitch log calf`` starts in a few tens of milliseconds.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input, 1 other failure)."""
    from diary.cli.common import GuardedOutput, OutputFailed, discard_output, never_fail_on_encoding
    from diary.cli.parser import attach_signed_values, build_parser

    never_fail_on_encoding()
    os.umask(0o077)  # every file the app writes is the owner's alone, whatever the shell's umask
    stdout = sys.stdout
    sys.stdout = GuardedOutput(stdout)
    try:
        parser = build_parser()
        args = parser.parse_args(attach_signed_values(list(sys.argv[1:] if argv is None else argv)))
        if args.run is None:  # no command: the terminal app, with the same one-line errors
            args.run = lambda args: _open_app(parser, args)
        return _run(args)
    except OutputFailed as exc:  # the help or version text could not be written
        _say(f"cannot write the output: {exc}")
        return 1
    finally:
        try:
            sys.stdout.flush()
        except (OSError, OutputFailed):
            discard_output()  # what is left would fail again at exit, as a traceback
        sys.stdout = stdout


def _open_app(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """``twitch`` alone opens the terminal app on a terminal; piped, it prints the help.

    Here rather than in ``diary.cli``: the command line and the terminal app are two front ends
    that never import each other; this entry point is the one place that knows both.
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        parser.print_help()
        return 0
    from diary.cli.common import db_path, loading

    with loading("start the app"):
        from diary.tui.app import TwitchApp

    TwitchApp(db_path(args)).run()
    return 0


def _run(args: argparse.Namespace) -> int:
    """Run the chosen command and turn every expected failure into one line on stderr."""
    from diary.cli.common import OutputFailed, discard_output, was_saved
    from diary.errors import UserError

    try:
        status = int(args.run(args) or 0)
        sys.stdout.flush()  # a full disk shows here, not at exit where it would be a traceback
        return status
    except UserError as exc:
        _say(str(exc))
        return exc.exit_code
    except sqlite3.Error as exc:
        from diary.db.sqlite import translate

        error = translate(exc, getattr(args, "db", None) or "the database")
        _say(str(error))
        return error.exit_code
    except MemoryError:
        _say("not enough memory to finish; nothing was changed by the unfinished step")
        return 1
    except KeyboardInterrupt:
        _say("interrupted; nothing was changed by the unfinished step")
        return 130
    except BrokenPipeError:
        # The reader went away (``twitch list | head``); quietly stop writing.
        discard_output()
        return 0
    except OutputFailed as exc:
        discard_output()
        if was_saved(args):
            _say(f"cannot write the output ({exc}), but the change was saved: do not repeat it")
            return 0
        _say(f"cannot write the output: {exc}")
        return 1


def _say(message: str) -> None:
    """One line on stderr, escaped (it may quote stored text or a file name); never raises."""
    from diary.errors import printable

    try:
        sys.stderr.write(f"twitch: {printable(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # stderr is gone too; the exit status still tells


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
