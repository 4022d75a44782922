"""``twitch flags`` and ``twitch demo``: what the diary shows, and a sample diary to see it on.

The text is written for a worried person reading it at home: most severe first, each pattern with
its numbers and what the guidance says to do, plain "not enough data" where that is the truth, and
never the name of a disease.
"""

from __future__ import annotations

import argparse
import textwrap
from datetime import datetime
from typing import TYPE_CHECKING

from diary.cli.common import db_path, loading, mark_saved, open_engine, subcommand
from diary.errors import InvalidValue
from diary.guidance import severity_heading
from diary.wording import format_date

if TYPE_CHECKING:
    from diary.analysis.insights import Insights

WIDTH = 96


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``flags`` and ``demo``."""
    flags = subcommand(
        sub,
        "flags",
        "What your diary shows: patterns the guidance asks a doctor to look at, and daily factors.",
        "  twitch flags\n  twitch flags --as-of 2025-05-11\n  twitch flags --json > flags.json\n",
    )
    flags.add_argument("--as-of", metavar="DATE", help="analyse as of this date (default today)")
    flags.add_argument("--json", action="store_true", help="print the machine-readable contract")
    flags.set_defaults(run=run_flags)

    demo = subcommand(
        sub,
        "demo",
        "Fill a diary with a realistic sample (for trying the app; refuses a diary in use).",
        "  twitch --db /tmp/demo.sqlite3 demo\n"
        "  twitch --db /tmp/demo.sqlite3 demo --days 180 --seed 3\n"
        "  twitch --db /tmp/demo.sqlite3 flags\n",
    )
    demo.add_argument(
        "--days", default="120", help="how many days to fill, ending today (default 120)"
    )
    demo.add_argument(
        "--seed", default="7", help="the random seed: the same seed gives the same diary"
    )
    demo.add_argument(
        "--end",
        metavar="DATE",
        help="the sample's last day (default today); with --seed it makes the same diary again",
    )
    demo.add_argument(
        "--force",
        action="store_true",
        help="replace what the diary holds (a backup is written beside it first)",
    )
    demo.set_defaults(run=run_demo)


def run_flags(args: argparse.Namespace) -> int:
    """Analyse and print text or JSON."""
    from diary import when
    from diary.db.open import ensure_ready

    today = when.now_local().date()
    as_of = when.parse_date(args.as_of, today=today, field="as_of") if args.as_of else today
    path = db_path(args)
    ensure_ready(path)  # plain sqlite3: no SQLAlchemy or Alembic import on this path
    with loading("analyse the diary"):  # pandas and NumPy need about 200 MB of address space
        from diary.analysis.insights import insights

        result = insights(path, as_of)
    if args.json:
        import json

        print(json.dumps(result.as_json(), indent=1, ensure_ascii=False))
    else:
        print(render(result))
    return 0


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def _bullet(text: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent="  • ", subsequent_indent="    ")


def render(result: Insights) -> str:
    """The insights as calm, readable text, most severe first."""
    out = [
        f"What your diary shows — as of {format_date(result.as_of)}",
        "Patterns in your own records and what public guidance says about them; not a diagnosis.",
    ]
    if not result.flags:
        out += ["", "No pattern that the guidance asks a doctor to look at."]
    for severity in ("urgent", "soon", "discuss", "info"):
        flags = [f for f in result.flags if f.severity == severity]
        if not flags:
            continue
        out += ["", severity_heading(severity, [f.last_date for f in flags], result.as_of)]
        for flag in flags:
            out.append(_bullet(flag.title))
            out.append(_wrap(flag.evidence, "    "))
            out.append(_wrap(f"{flag.guidance} ({flag.source})", "    "))
    if result.not_enough_data:
        out += ["", "Not enough data to judge"]
        for note in result.not_enough_data:
            out.append(_bullet(note.message))
    from diary.analysis.summary import factor_lines  # loaded with the analysis already

    out += ["", "Daily factors (associations, not causes)"]
    out.extend(_bullet(line) for line in factor_lines(result.associations))
    cov = result.coverage
    out.append("")
    if cov.first_day is None:
        logged = "Only weekly checks so far" if result.frames.has_checks else "Nothing logged yet"
        out.append(f"{logged}. Start with `twitch log SITE` and a daily `twitch day`.")
    else:
        logging = (
            f"Logging: {cov.logged_days} of {cov.days} days checked in since "
            f"{format_date(cov.first_day)} ({cov.share:.0%}). Days without a check-in count as "
            "missing, not as quiet days."
        )
        out.append(_wrap(logging, ""))
    return "\n".join(out)


def run_demo(args: argparse.Namespace) -> int:
    """Fill the diary with the sample."""
    from diary import demo, validation, when

    days = validation.integer("days", args.days, demo.MIN_DAYS, demo.MAX_DAYS)
    seed = validation.integer("seed", args.seed, 0, 2**31 - 1)
    engine = open_engine(args)
    now = when.now_local()
    if args.end:
        end = when.parse_date(args.end, today=now.date(), field="end")
        if end > now.date():
            raise InvalidValue("end", end.isoformat(), f"a date up to today ({now.date()})")
        if end < now.date():  # a past sample ends that evening
            now = when.localize(datetime(end.year, end.month, end.day, 21, 0), when.local_zone())
    summary = demo.fill(engine, days=days, seed=seed, now=now, force=args.force)
    mark_saved(args)
    print(
        f"Filled the diary with a {days}-day sample (seed {seed}): "
        f"{summary['episodes']} episodes, {summary['days']} check-ins, "
        f"{summary['medications']} medication course, {summary['visits']} visit; "
        f"{summary['sign_checks']} weekly sign checks, {summary['strength_checks']} strength "
        f"checks and {summary['twitch_counts']} timed counts."
    )
    if summary.get("backup"):
        print(f"The previous contents were saved to {summary['backup']}.")
    print("Try `twitch flags`, `twitch checks`, `twitch list` or `twitch export`.")
    return 0
