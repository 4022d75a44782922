"""The ``twitch`` command: parse the arguments, run one command, turn user mistakes into one line.

Kept light: heavy modules (SQLAlchemy, pandas, matplotlib, Textual) are imported inside the
commands that need them, so ``twitch log calf`` starts in a few tens of milliseconds.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input, 1 other failure)."""
    from diary.cli.parser import attach_signed_values, build_parser
    from diary.errors import UserError

    os.umask(0o077)  # every file the app writes is the owner's alone, whatever the shell's umask
    parser = build_parser()
    args = parser.parse_args(attach_signed_values(list(sys.argv[1:] if argv is None else argv)))
    try:
        return int(args.run(args) or 0)
    except UserError as exc:
        print(f"twitch: {exc}", file=sys.stderr)
        return exc.exit_code
    except sqlite3.Error as exc:
        from diary.db.sqlite import translate

        error = translate(exc, getattr(args, "db", None) or "the database")
        print(f"twitch: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("twitch: interrupted; nothing was changed by the unfinished step", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``twitch list | head``); quietly stop writing.
        sys.stderr.close()
        return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
