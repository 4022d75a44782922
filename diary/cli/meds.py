"""``twitch med``: medication courses (add, stop, list, edit, delete); a doctor will ask."""

from __future__ import annotations

import argparse
from typing import Any

from diary.cli import records
from diary.cli.common import db_path, diary_exists, mark_saved, open_engine, subcommand
from diary.errors import StoreError, printable
from diary.wording import format_date


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``med`` and its actions."""
    actions = records.command_group(sub, "med", "Medication courses: add, stop, list.")

    add = subcommand(
        actions,
        "add",
        "Start a medication course (or record a past one).",
        "  twitch med add bendroflumethiazide --class diuretic --dose '2.5 mg'\n"
        "  twitch med add magnesium --class supplement --start 2025-02-01 --stop 2025-03-01\n",
    )
    add.add_argument("name", metavar="NAME", help="the medicine's name")
    add.add_argument(
        "-c",
        "--class",
        dest="drug_class",
        default="other",
        help="diuretic, corticosteroid, beta_agonist, antipsychotic, statin, stimulant, "
        "calcium_channel_blocker, supplement or other (default other)",
    )
    add.add_argument("--dose", help="the dose as prescribed, e.g. '2.5 mg daily'")
    add.add_argument("--start", metavar="DATE", help="first day taken (default today)")
    add.add_argument("--stop", metavar="DATE", help="last day taken, for a course that is over")
    add.add_argument("-n", "--note", help="a note")
    add.set_defaults(run=run_add)

    stop = subcommand(
        actions,
        "stop",
        "Stop an ongoing course.",
        "  twitch med stop bendroflumethiazide\n  twitch med stop magnesium --on 2025-03-01\n",
    )
    stop.add_argument("name", metavar="NAME", help="the medicine's name (any letter case)")
    stop.add_argument("--on", metavar="DATE", help="the last day taken (default today)")
    stop.set_defaults(run=run_stop)

    listing = subcommand(actions, "list", "Show all courses, ongoing first.", "  twitch med list\n")
    listing.set_defaults(run=run_list)

    edit = records.add_edit_command(
        actions,
        COURSES,
        "Change a course: give only what changes ('' clears a dose, note or stop date).",
        "  twitch med edit magnesium --dose '400 mg'\n"
        "  twitch med edit 3f2a5c1e --start 2025-01-20 --stop 2025-02-28\n"
        "  twitch med edit magnesium --stop ''      (ongoing again)\n",
    )
    edit.add_argument("--name", help="a new name")
    edit.add_argument("-c", "--class", dest="drug_class", help="a new class (see `med add --help`)")
    edit.add_argument("--dose", help="the dose ('' clears it)")
    edit.add_argument("--start", metavar="DATE", help="the first day taken")
    edit.add_argument("--stop", metavar="DATE", help="the last day taken ('' = still ongoing)")
    edit.add_argument("-n", "--note", help="a note ('' clears it)")
    edit.set_defaults(run=run_edit)

    records.add_delete_command(
        actions,
        COURSES,
        "a course",
        "  twitch med delete magnesium\n  twitch med delete 3f2a5c1e --yes\n",
    )


def describe_course(row: Any) -> str:
    """``bendroflumethiazide (diuretic, 2.5 mg) from Mon 31 Mar 2025, ongoing``."""
    details = ", ".join(x for x in (row.drug_class.replace("_", " "), row.dose) if x)
    until = f"to {format_date(row.stopped_on)}" if row.stopped_on else "ongoing"
    return (
        f"{printable(row.name)} ({printable(details)}) from {format_date(row.started_on)}, {until}"
    )


#: Medication courses, as ``add``, ``edit`` and ``delete`` handle them.
COURSES = records.Kind(
    table="medication",
    missing="no medication has the name or id {ident!r}",
    example="--dose '400 mg'",
    describe=describe_course,
    ident=("ident", "NAME|ID", "the medicine's name, or its id (8 characters will do)"),
)


def run_add(args: argparse.Namespace) -> int:
    """Validate the course and store it."""
    from diary.db.models import MedicationCreate

    values = {
        "name": args.name,
        "drug_class": args.drug_class,
        "dose": args.dose,
        "started_on": records.typed_date(args.start, "start") or records.today(),
        "stopped_on": records.typed_date(args.stop, "stop"),
        "note": args.note,
    }
    return records.add(args, COURSES, MedicationCreate, values)


def run_stop(args: argparse.Namespace) -> int:
    """Close the ongoing course of a medicine."""
    from diary.db import store

    on = records.typed_date(args.on, "on") or records.today()
    if not diary_exists(args):  # nothing to stop, and nothing to create
        raise StoreError(
            f"no ongoing course of {args.name!r}: there is no diary at {db_path(args)}"
        )
    with store.write_session(open_engine(args)) as session:
        row = store.stop_medication(session=session, name=args.name, on=on)
    mark_saved(args)
    print(f"Stopped {describe_course(row)}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print every course."""
    from diary.db import store

    return records.show(
        args,
        store.list_medications,
        "No medications recorded. Add one with `twitch med add NAME --class CLASS`.",
        ["name", "class", "dose", "started", "stopped", "id"],
        lambda r: [
            r.name,
            r.drug_class.replace("_", " "),
            r.dose or "",
            r.started_on.isoformat(),
            r.stopped_on.isoformat() if r.stopped_on else "ongoing",
            r.id[:8],
        ],
    )


def run_edit(args: argparse.Namespace) -> int:
    """Apply the given changes to one course; the whole course is validated again."""
    from diary import validation

    changes: dict[str, Any] = {}
    if args.name is not None:
        changes["name"] = args.name
    if args.drug_class is not None:
        changes["drug_class"] = validation.choice("class", "drug_class", args.drug_class)
    if args.dose is not None:
        changes["dose"] = records.text_change(args.dose)
    if args.start is not None:
        changes["started_on"] = records.required_date(args.start, "start", "a course")
    if args.stop is not None:
        changes["stopped_on"] = records.typed_date(args.stop.strip(), "stop")
    if args.note is not None:
        changes["note"] = records.text_change(args.note)
    return records.edit(args, COURSES, args.ident, changes)
