"""``twitch strength``: simple strength and function tests, per side, done at home.

Heel raises to fatigue, heel and toe walking, the 30-second chair stand and (with a dynamometer)
grip: each side measured on its own, because what a doctor looks for is a change in one side
against its own past, not a number against a norm. ``--how`` says how to do each test safely.
Only what was measured is stored; the rest stays unknown (—), never 0 or "fail".
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from diary.check_validation import pass_fail
from diary.check_wording import how_to_text, strength_parts
from diary.cli.checks import options_named
from diary.cli.common import mark_saved, open_engine, subcommand
from diary.errors import UserError
from diary.wording import format_date

EXAMPLES = """\
  twitch strength --how                            how to do each test, safely
  twitch strength --heel-raises-left 24 --heel-raises-right 26
  twitch strength --heel-walk-left pass --heel-walk-right pass --toe-walk-left pass \\
                  --toe-walk-right fail
  twitch strength --chair-stands 14 --grip-left 32kg --grip-right 34kg --date yesterday

Give what you measured; anything left out stays unknown. The same tests every week or two, at
the same time of day, show a change best.
"""

HOW = (
    how_to_text()
    + "\nThen, for example:\n"
    + "  twitch strength --heel-raises-left 24 --heel-raises-right 26 --chair-stands 14\n"
)

#: option stem -> (column, what it holds): counts and pass/fail tests per side, grip in kg.
COUNTS = {
    "heel-raises-left": "heel_raises_left",
    "heel-raises-right": "heel_raises_right",
    "chair-stands": "chair_stands",
}
WALKS = {
    "heel-walk-left": "heel_walk_left",
    "heel-walk-right": "heel_walk_right",
    "toe-walk-left": "toe_walk_left",
    "toe-walk-right": "toe_walk_right",
}
GRIPS = {"grip-left": "grip_left_kg", "grip-right": "grip_right_kg"}
#: column -> its option, so a message names what was typed.
OPTIONS = {column: f"--{stem}" for stem, column in {**COUNTS, **WALKS, **GRIPS}.items()} | {
    "date": "--date"
}

#: A pound in kilograms (grip dynamometers often show lb).
KG_PER_LB = 0.45359237
_POUNDS = re.compile(r"^(\d+(?:[.,]\d+)?|[.,]\d+)\s*(?:lb|lbs|pounds?)$")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``strength``."""
    strength = subcommand(
        sub, "strength", "Record strength and function tests, per side.", EXAMPLES
    )
    strength.add_argument(
        "--how", action="store_true", help="print how to do each test, safely, and stop"
    )
    strength.add_argument(
        "--heel-raises-left", metavar="N", help="single-leg heel raises to fatigue, left foot"
    )
    strength.add_argument(
        "--heel-raises-right", metavar="N", help="single-leg heel raises to fatigue, right foot"
    )
    for stem in WALKS:
        test, side = stem.rsplit("-", 1)
        strength.add_argument(
            f"--{stem}",
            metavar="pass|fail",
            help=f"{test.replace('-', ' ')} 10 steps, {side} side: pass or fail",
        )
    strength.add_argument(
        "--chair-stands", metavar="N", help="full stands in 30 seconds, arms crossed"
    )
    strength.add_argument(
        "--grip-left",
        metavar="KG",
        help="grip strength, left hand, in kg: 32 or 32kg (70lb works too)",
    )
    strength.add_argument(
        "--grip-right",
        metavar="KG",
        help="grip strength, right hand, in kg: 32 or 32kg (70lb works too)",
    )
    strength.add_argument(
        "--date",
        metavar="DATE",
        help="the day of the tests: YYYY-MM-DD, yesterday, '3 days ago' (default today)",
    )
    strength.add_argument("-n", "--note", help="a note in your own words")
    strength.set_defaults(run=run_strength)


def grip_kg(text: str) -> str | float:
    """Grip as typed: ``32``, ``32kg``, ``32.5 kg`` (read by the model), or ``70lb`` (made kg)."""
    match = _POUNDS.match(text.strip().lower())
    if not match:
        return text
    return round(float(match.group(1).replace(",", ".")) * KG_PER_LB, 1)


def measures(args: argparse.Namespace) -> dict[str, Any]:
    """The measures given, by column, read from what was typed (ranges are the model's)."""
    found: dict[str, Any] = {}
    for column in COUNTS.values():
        typed = getattr(args, column)
        if typed is not None:
            found[column] = typed.strip()
    for stem, column in WALKS.items():
        typed = getattr(args, column)
        if typed is not None:
            found[column] = pass_fail(f"--{stem}", typed)
    for stem, column in GRIPS.items():
        typed = getattr(args, stem.replace("-", "_"))
        if typed is not None:
            found[column] = grip_kg(typed)
    return found


def run_strength(args: argparse.Namespace) -> int:
    """Print how to do the tests, or validate and store the measures given."""
    from diary import validation, when

    found = measures(args)
    if args.how:
        if found:
            raise UserError("--how only prints how to do the tests: give the measures without it")
        print(HOW, end="")
        return 0
    if not found:
        raise UserError(
            "no measure given: give at least one, e.g. --heel-raises-left 24 "
            "--heel-raises-right 26 (`twitch strength --how` says how to do each test)"
        )
    today = when.now_local().date()
    day = today
    if args.date:
        chosen = when.parse_date(args.date, today=today, field="--date")
        day = validation.calendar_date("--date", chosen, latest=today)
    note = validation.text("note", args.note)
    stored = save(args, {"date": day, **found, "note": note})
    print(summary(day, today, stored))
    return 0


def save(args: argparse.Namespace, values: dict[str, Any]) -> dict[str, Any]:
    """Validate the check (messages name the option typed), store it in one transaction, and
    return the values as stored."""
    from diary.db import checks, store
    from diary.db.check_models import StrengthCheckCreate
    from diary.db.models import validate

    with options_named(OPTIONS):
        check = validate(StrengthCheckCreate, values)
    with store.write_session(open_engine(args)) as session:
        checks.add_strength_check(session=session, check=check)
    mark_saved(args)
    return check.model_dump()


def summary(day: date, today: date, stored: Mapping[str, Any]) -> str:
    """One line: ``Strength check saved: heel raises left 24, right 26 · chair stands 14``."""
    head = (
        "Strength check saved" if day == today else f"Strength check for {format_date(day)} saved"
    )
    return f"{head}: {' · '.join(strength_parts(stored))}"
