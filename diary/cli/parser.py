"""The argument parser: every command, its options, and help with examples.

Each command's ``run`` function lives in its own module and imports what it needs when it runs, so
building this parser stays cheap. Parse errors come out as one line (``twitch log: …``) with exit
status 2, like every other mistake a person can make.
"""

from __future__ import annotations

import re

from diary import __version__
from diary.cli import (
    checks,
    count,
    days,
    episodes,
    insights,
    meds,
    profile,
    report,
    safety,
    signs,
    strength,
    transfer,
    visits,
)
from diary.cli.common import Parser, add_db_option, help_formatter

DESCRIPTION = """\
Twitch Diary keeps a private record of muscle twitches, cramps and spasms on this computer,
with the day's context (water, caffeine, exercise, sleep, stress) and your medications, so you can
show a doctor what happened instead of "it's been a while".

Quick start:
  twitch                                              open the app (log, history, insights, report)
  twitch log calf --side left --intensity 4          log a twitch that is happening now
  twitch log calf --kind cramp --duration 2m --at "yesterday 23:30"
  twitch day --water 1.5l --caffeine 2cups --sleep 6.5h --stress 6
  twitch list                                         the last 30 days
  twitch export --out ~/twitch-export                 everything, as CSV files
"""


#: Options whose values may start with a minus sign (``--at -2h``, ``--duration -5s``).
SIGNED_VALUE_OPTIONS = frozenset({"--at", "-a", "--duration", "-d"})


def attach_signed_values(argv: list[str]) -> list[str]:
    """Join ``--at -2h`` into ``--at=-2h``: argparse would otherwise read ``-2h`` as an option."""
    joined: list[str] = []
    index = 0
    while index < len(argv):
        token = argv[index]
        following = argv[index + 1] if index + 1 < len(argv) else ""
        if token in SIGNED_VALUE_OPTIONS and re.match(r"^-\d", following):
            joined.append(f"{token}={following}")
            index += 2
            continue
        joined.append(token)
        index += 1
    return joined


def build_parser() -> Parser:
    """The whole ``twitch`` command line."""
    parser = Parser(
        prog="twitch",
        description=DESCRIPTION,
        formatter_class=help_formatter,
        epilog="Run `twitch COMMAND --help` for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"twitch-diary {__version__}")
    add_db_option(parser, top=True)
    parser.set_defaults(run=None)  # no command: ``diary.__main__`` opens the terminal app
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=Parser)
    episodes.register(sub)
    days.register(sub)
    meds.register(sub)
    visits.register(sub)
    profile.register(sub)
    signs.register(sub)
    strength.register(sub)
    count.register(sub)
    checks.register(sub)
    transfer.register(sub)
    insights.register(sub)
    report.register(sub)
    safety.register(sub)
    return parser
