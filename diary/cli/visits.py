"""``twitch visit``: appointments and tests (add, list, edit, delete) and what came of them."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from diary.cli import records
from diary.cli.common import subcommand
from diary.wording import format_date, stored_words


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``visit`` and its actions."""
    actions = records.command_group(sub, "visit", "Doctor's appointments and tests: add, list.")

    add = subcommand(
        actions,
        "add",
        "Record an appointment or a test and what came of it.",
        "  twitch visit add --kind gp --test blood_test --test electrolytes --outcome normal\n"
        "  twitch visit add 2025-02-20 --kind neurologist --test emg --outcome 'benign findings'\n",
    )
    add.add_argument("date", nargs="?", metavar="DATE", help="YYYY-MM-DD (default today)")
    add.add_argument(
        "-k",
        "--kind",
        required=True,
        help="gp, neurologist, physiotherapist, urgent_care, emergency or other",
    )
    add.add_argument(
        "-t",
        "--test",
        action="append",
        metavar="T",
        help="a test done (repeat for more): blood_test, electrolytes, thyroid, ck, vitamin_d, "
        "emg, ncs, mri, other",
    )
    add.add_argument("-o", "--outcome", help="what the doctor said or the result")
    add.add_argument("-n", "--note", help="a note")
    add.set_defaults(run=run_add)
    listing = subcommand(
        actions,
        "list",
        "Show all visits, oldest first (one still to come is marked upcoming).",
        "  twitch visit list\n",
    )
    listing.set_defaults(run=run_list)

    edit = records.add_edit_command(
        actions,
        VISITS,
        "Change a visit: give only what changes (--test replaces the tests; '' clears text).",
        "  twitch visit edit 3f2a5c1e --outcome 'normal, review in 3 months'\n"
        "  twitch visit edit 3f2a5c1e --date 2025-03-12 --test emg --test ncs\n"
        "  twitch visit edit 3f2a5c1e --no-tests\n",
    )
    edit.add_argument("--date", metavar="DATE", help="a new date (YYYY-MM-DD)")
    edit.add_argument("-k", "--kind", help="a new kind (see `visit add --help`)")
    edit.add_argument("-t", "--test", action="append", metavar="T", help="the tests done (repeat)")
    edit.add_argument("--no-tests", action="store_true", help="remove all tests")
    edit.add_argument("-o", "--outcome", help="what the doctor said ('' clears it)")
    edit.add_argument("-n", "--note", help="a note ('' clears it)")
    edit.set_defaults(run=run_edit)

    records.add_delete_command(
        actions,
        VISITS,
        "a visit",
        "  twitch visit delete 3f2a5c1e\n  twitch visit delete 3f2a5c1e --yes\n",
    )


def describe_visit(row: Any, today: date) -> str:
    """``gp visit on Thu 20 Mar 2025 (upcoming) — tests: electrolytes, thyroid``."""
    text = f"{row.kind.replace('_', ' ')} visit on {format_date(row.date)}"
    if row.date > today:
        text += " (upcoming)"
    if row.tests:
        text += f" — tests: {stored_words(row.tests)}"
    return text


def _described(row: Any) -> str:
    return describe_visit(row, records.today())


#: Visits, as ``add``, ``edit`` and ``delete`` handle them (described as of today).
VISITS = records.Kind(
    table="visit",
    missing="no visit has id {ident!r}",
    example="--outcome normal",
    describe=_described,
    ident=("id", "ID", "the visit's id (the first 8 characters will do)"),
    article="the ",
)


def run_add(args: argparse.Namespace) -> int:
    """Validate the visit and store it."""
    from diary.db.models import VisitCreate

    values = {
        "date": records.typed_date(args.date, "date") or records.today(),
        "kind": args.kind,
        "tests": records.split_words(args.test),
        "outcome": args.outcome,
        "note": args.note,
    }
    return records.add(args, VISITS, VisitCreate, values)


def run_list(args: argparse.Namespace) -> int:
    """Print every visit."""
    from diary.db import store

    today = records.today()
    return records.show(
        args,
        store.list_visits,
        "No visits recorded. Add one with `twitch visit add --kind gp`.",
        ["date", "kind", "tests", "outcome", "id"],
        lambda r: [
            r.date.isoformat() + (" (upcoming)" if r.date > today else ""),
            r.kind.replace("_", " "),
            stored_words(r.tests),
            r.outcome or "",
            r.id[:8],
        ],
    )


def run_edit(args: argparse.Namespace) -> int:
    """Apply the given changes to one visit; the whole visit is validated again."""
    from diary import validation

    changes: dict[str, Any] = {}
    if args.date is not None:
        changes["date"] = records.required_date(args.date, "date", "a visit")
    if args.kind is not None:
        changes["kind"] = validation.choice("kind", "visit_kind", args.kind)
    if args.test is not None or args.no_tests:
        changes["tests"] = records.split_words(args.test)
    if args.outcome is not None:
        changes["outcome"] = records.text_change(args.outcome)
    if args.note is not None:
        changes["note"] = records.text_change(args.note)
    return records.edit(args, VISITS, args.id, changes)
