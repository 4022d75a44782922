"""``twitch checks``: the recent self-checks as tables; and what the check commands share.

Three short tables (weekly sign checks, strength per side, timed counts), oldest first, with "—"
wherever a sign was not asked or a test not done: a gap is never shown as "no" or as a failure.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from diary.check_wording import answered, count_result, per_minute, strength_parts
from diary.cli.common import (
    Parser,
    confirm,
    db_path,
    delete_command,
    diary_exists,
    mark_saved,
    open_engine,
    print_table,
    subcommand,
)
from diary.errors import InvalidValue, StoreError, UserError
from diary.wording import UNKNOWN, format_date, format_when, plural, word

#: ``twitch checks`` without ``--since`` shows this many days back.
DEFAULT_DAYS = 90


@contextmanager
def options_named(options: Mapping[str, str]) -> Iterator[None]:
    """A field's message names the option it was typed in (``--grip-left``, not ``grip_left_kg``).

    The models name their fields; a person typed an option. Other errors pass unchanged, and so
    does a message already worded for its field (an unknown word with its suggestions).
    """
    try:
        yield
    except InvalidValue as exc:
        if type(exc) is not InvalidValue or exc.field not in options:
            raise
        raise InvalidValue(options[exc.field], exc.value, exc.allowed) from None


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``checks``."""
    checks = subcommand(
        sub,
        "checks",
        f"Show the recent self-checks: weekly signs, strength, counts (default: {DEFAULT_DAYS} "
        "days).",
        "  twitch checks\n  twitch checks --since 2025-01-01\n  twitch checks --all\n",
    )
    checks.add_argument(
        "--since",
        metavar="DATE",
        help="first date to show: YYYY-MM-DD, '4 weeks ago', '10 Nov'",
    )
    checks.add_argument("--all", action="store_true", help="every check ever recorded")
    checks.set_defaults(run=run_checks)
    actions = checks.add_subparsers(title="checks commands", metavar="ACTION", parser_class=Parser)
    delete_command(
        actions,
        "a sign check, strength check or count",
        "  twitch checks delete 3f2a5c1e\n  twitch checks delete 3f2a5c1e --yes\n",
        ("id", "ID", "the check's id, as `twitch checks` shows it (8 characters do)"),
        run_delete,
    )


def run_checks(args: argparse.Namespace) -> int:
    """Print the three tables for the period (or one line when there is nothing to show)."""
    from diary import when

    today = when.now_local().date()
    since: date | None = today - timedelta(days=DEFAULT_DAYS - 1)
    if args.since:
        since = when.parse_date(args.since, today=today, field="--since")
    elif args.all:
        since = None
    period = f"{since or 'the start'} to {today}"
    signs, strength, counts = _rows(args, since) if diary_exists(args) else ([], [], [])
    if not (signs or strength or counts):
        print(
            f"No self-checks from {period}. Record one with `twitch signs`, "
            "`twitch strength` or `twitch count`."
        )
        return 0
    sections = [
        ("Weekly sign checks", signs, sign_table),
        ("Strength checks (left / right)", strength, strength_table),
        ("Timed twitch counts", counts, count_table),
    ]
    first = True
    for title, rows, table in sections:
        if not rows:
            continue
        if not first:
            print()
        first = False
        print(title)
        table(rows)
    print(
        f"\n{plural(len(signs), 'sign check')}, {plural(len(strength), 'strength check')} and "
        f"{plural(len(counts), 'count')}, {period}."
    )
    return 0


def _rows(args: argparse.Namespace, since: date | None) -> tuple[list[Any], list[Any], list[Any]]:
    """The stored checks from ``since`` on, read in one transaction."""
    from diary.db import checks, store

    with store.read_session(open_engine(args)) as session:
        return (
            checks.list_sign_checks(session=session, since=since),
            checks.list_strength_checks(session=session, since=since),
            checks.list_twitch_counts(session=session, since=since),
        )


def sign_table(rows: list[Any]) -> None:
    """Date, how many of the signs were asked, and the yes answers by name."""
    cells = []
    for row in rows:
        answers = row.answers()
        asked = [sign for sign, value in answers.items() if value is not None]
        yes = [word(sign) for sign in asked if answers[sign]]
        cells.append(
            [
                row.date.isoformat(),
                f"{len(asked)} of {len(answers)}",
                ", ".join(yes) if yes else "none",
                row.id[:8],
            ]
        )
    print_table(["date", "asked", "yes", "id"], cells)


def _value(value: float | None) -> str:
    """A measure as shown: a number, pass or fail for a walk, — when not done."""
    if value is None:
        return UNKNOWN
    if isinstance(value, bool):
        return "pass" if value else "fail"
    return f"{value:g}"


def _pair(row: Any, left: str, right: str) -> str:
    return f"{_value(getattr(row, left))} / {_value(getattr(row, right))}"


def strength_table(rows: list[Any]) -> None:
    """Each test per side as ``left / right``; — where it was not done."""
    cells = [
        [
            row.date.isoformat(),
            _pair(row, "heel_raises_left", "heel_raises_right"),
            _pair(row, "heel_walk_left", "heel_walk_right"),
            _pair(row, "toe_walk_left", "toe_walk_right"),
            _value(row.chair_stands),
            _pair(row, "grip_left_kg", "grip_right_kg"),
            row.id[:8],
        ]
        for row in rows
    ]
    print_table(
        ["date", "heel raises", "heel walk", "toe walk", "chair stands", "grip kg", "id"], cells
    )


def count_table(rows: list[Any]) -> None:
    """When, where, how many in how long, and the rate per minute."""
    cells = [
        [
            row.counted_at.strftime("%Y-%m-%d %H:%M"),
            word(row.body_site),
            row.side or UNKNOWN,
            str(row.twitches),
            f"{row.seconds} s",
            per_minute(row.twitches, row.seconds),
            row.id[:8],
        ]
        for row in rows
    ]
    print_table(["when", "site", "side", "twitches", "time", "per minute", "id"], cells)


def describe(row: Any) -> str:
    """A stored check in words, for the delete prompt and its confirmation."""
    from diary.db.check_models import SignCheck, StrengthCheck

    if isinstance(row, SignCheck):
        return f"the weekly sign check of {format_date(row.date)}: {answered(row.answers())}"
    if isinstance(row, StrengthCheck):
        measured = " · ".join(strength_parts(row.model_dump()))
        return f"the strength check of {format_date(row.date)}: {measured}"
    counted = count_result(row.twitches, row.seconds, row.body_site, row.side)
    return f"the count of {format_when(row.counted_at)}: {counted}"


def run_delete(args: argparse.Namespace) -> int:
    """Find the one check whose id starts with ``ID`` (of any kind), confirm, delete it."""
    from diary.db import checks, store
    from diary.db.rows import MIN_ID_PREFIX

    key = args.id.strip().lower()
    if len(key) < MIN_ID_PREFIX:
        raise InvalidValue("id", args.id, f"at least {MIN_ID_PREFIX} characters of an id")
    if not diary_exists(args):  # nothing to delete, and nothing to create
        raise StoreError(f"no self-check has id {args.id!r}: there is no diary at {db_path(args)}")
    engine = open_engine(args)
    removers = {
        "sign_check": checks.delete_sign_check,
        "strength_check": checks.delete_strength_check,
        "twitch_count": checks.delete_twitch_count,
    }
    with store.read_session(engine) as session:
        found = [
            row
            for listing in (
                checks.list_sign_checks,
                checks.list_strength_checks,
                checks.list_twitch_counts,
            )
            for row in listing(session=session)
            if row.id.startswith(key)
        ]
        shown = [describe(row) for row in found]
    if not found:
        raise StoreError(f"no self-check has id {args.id!r} (see `twitch checks --all`)")
    if len(found) > 1:
        raise StoreError(
            f"more than one self-check has an id starting {args.id!r}; give more of it"
        )
    row = found[0]
    if not args.yes and not confirm(f"Delete {shown[0]}?"):
        raise UserError("not deleted (confirm at the prompt, or pass --yes)")
    with store.write_session(engine) as session:
        removers[row.__tablename__](session=session, ident=row.id)
    mark_saved(args)
    print(f"Deleted {shown[0]} — id {row.id[:8]}")
    return 0
