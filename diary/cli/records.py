"""``twitch med``, ``visit`` and ``profile``: the context a doctor will ask about."""

from __future__ import annotations

import argparse
from typing import Any

from diary.cli.common import (
    Parser,
    db_path,
    diary_exists,
    format_date,
    mark_saved,
    open_engine,
    print_table,
    printable,
    subcommand,
    words,
)
from diary.errors import StoreError


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``med`` (add, stop, list), ``visit`` (add, list) and ``profile``."""
    med = subcommand(sub, "med", "Medication courses: add, stop, list.")
    med_sub = med.add_subparsers(title="med commands", metavar="ACTION", parser_class=Parser)
    med.set_defaults(run=lambda args: _usage(med))

    add = subcommand(
        med_sub,
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
    add.set_defaults(run=run_med_add)

    stop = subcommand(
        med_sub,
        "stop",
        "Stop an ongoing course.",
        "  twitch med stop bendroflumethiazide\n  twitch med stop magnesium --on 2025-03-01\n",
    )
    stop.add_argument("name", metavar="NAME", help="the medicine's name (any letter case)")
    stop.add_argument("--on", metavar="DATE", help="the last day taken (default today)")
    stop.set_defaults(run=run_med_stop)

    listing = subcommand(med_sub, "list", "Show all courses, ongoing first.", "  twitch med list\n")
    listing.set_defaults(run=run_med_list)

    visit = subcommand(sub, "visit", "Doctor's appointments and tests: add, list.")
    visit_sub = visit.add_subparsers(title="visit commands", metavar="ACTION", parser_class=Parser)
    visit.set_defaults(run=lambda args: _usage(visit))
    vadd = subcommand(
        visit_sub,
        "add",
        "Record an appointment or a test and what came of it.",
        "  twitch visit add --kind gp --test blood_test --test electrolytes --outcome normal\n"
        "  twitch visit add 2025-02-20 --kind neurologist --test emg --outcome 'benign findings'\n",
    )
    vadd.add_argument("date", nargs="?", metavar="DATE", help="YYYY-MM-DD (default today)")
    vadd.add_argument(
        "-k",
        "--kind",
        required=True,
        help="gp, neurologist, physiotherapist, urgent_care, emergency or other",
    )
    vadd.add_argument(
        "-t",
        "--test",
        action="append",
        metavar="T",
        help="a test done (repeat for more): blood_test, electrolytes, thyroid, ck, vitamin_d, "
        "emg, ncs, mri, other",
    )
    vadd.add_argument("-o", "--outcome", help="what the doctor said or the result")
    vadd.add_argument("-n", "--note", help="a note")
    vadd.set_defaults(run=run_visit_add)
    vlist = subcommand(visit_sub, "list", "Show all visits, oldest first.", "  twitch visit list\n")
    vlist.set_defaults(run=run_visit_list)

    profile = subcommand(
        sub,
        "profile",
        "Show or set your profile (it appears on the doctor's report).",
        "  twitch profile\n  twitch profile --name 'Sam Doe' --birth-year 1988\n"
        "  twitch profile --family-history ms\n  twitch profile --family-history ''   (clear it)\n",
    )
    profile.add_argument("--name", help="your name, as the report should show it ('' clears it)")
    profile.add_argument("--birth-year", help="year of birth ('' clears it)")
    profile.add_argument(
        "--family-history",
        action="append",
        metavar="COND",
        help="a neurological condition in your family (repeat for more): als, ms, "
        "muscular_dystrophy, huntingtons, parkinsons, epilepsy, other",
    )
    profile.set_defaults(run=run_profile)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 0


def _today() -> Any:
    from diary import when

    return when.now_local().date()


def _date(text: str | None, field: str) -> Any:
    from diary import when

    return when.parse_date(text, today=_today(), field=field) if text else None


def run_med_add(args: argparse.Namespace) -> int:
    """Validate the course and store it."""
    from diary.db import store
    from diary.db.models import MedicationCreate, validate

    course = validate(
        MedicationCreate,
        {
            "name": args.name,
            "drug_class": args.drug_class,
            "dose": args.dose,
            "started_on": _date(args.start, "start") or _today(),
            "stopped_on": _date(args.stop, "stop"),
            "note": args.note,
        },
    )
    with store.write_session(open_engine(args)) as session:
        row = store.add_medication(session=session, medication=course)
    mark_saved(args)
    print(f"Added {describe_course(row)} — id {row.id[:8]}")
    return 0


def run_med_stop(args: argparse.Namespace) -> int:
    """Close the ongoing course of a medicine."""
    from diary.db import store

    on = _date(args.on, "on") or _today()
    if not diary_exists(args):  # nothing to stop, and nothing to create
        raise StoreError(
            f"no ongoing course of {args.name!r}: there is no diary at {db_path(args)}"
        )
    with store.write_session(open_engine(args)) as session:
        row = store.stop_medication(session=session, name=args.name, on=on)
    mark_saved(args)
    print(f"Stopped {describe_course(row)}")
    return 0


def describe_course(row: Any) -> str:
    """``bendroflumethiazide (diuretic, 2.5 mg) from Mon 31 Mar 2025, ongoing``."""
    details = ", ".join(x for x in (row.drug_class.replace("_", " "), row.dose) if x)
    until = f"to {format_date(row.stopped_on)}" if row.stopped_on else "ongoing"
    return (
        f"{printable(row.name)} ({printable(details)}) from {format_date(row.started_on)}, {until}"
    )


def run_med_list(args: argparse.Namespace) -> int:
    """Print every course."""
    from diary.db import store

    with store.read_session(open_engine(args)) as session:
        rows = store.list_medications(session=session)
    if not rows:
        print("No medications recorded. Add one with `twitch med add NAME --class CLASS`.")
        return 0
    print_table(
        ["name", "class", "dose", "started", "stopped"],
        [
            [
                r.name,
                r.drug_class,
                r.dose or "",
                r.started_on.isoformat(),
                r.stopped_on.isoformat() if r.stopped_on else "ongoing",
            ]
            for r in rows
        ],
    )
    return 0


def run_visit_add(args: argparse.Namespace) -> int:
    """Validate the visit and store it."""
    from diary.db import store
    from diary.db.models import VisitCreate, validate

    tests = [p for t in args.test or [] for p in t.split(",")]
    visit = validate(
        VisitCreate,
        {
            "date": _date(args.date, "date") or _today(),
            "kind": args.kind,
            "tests": tests,
            "outcome": args.outcome,
            "note": args.note,
        },
    )
    with store.write_session(open_engine(args)) as session:
        row = store.add_visit(session=session, visit=visit)
    mark_saved(args)
    tests_text = f" — tests: {words(row.tests)}" if row.tests else ""
    print(f"Added {row.kind} visit on {format_date(row.date)}{tests_text} — id {row.id[:8]}")
    return 0


def run_visit_list(args: argparse.Namespace) -> int:
    """Print every visit."""
    from diary.db import store

    with store.read_session(open_engine(args)) as session:
        rows = store.list_visits(session=session)
    if not rows:
        print("No visits recorded. Add one with `twitch visit add --kind gp`.")
        return 0
    print_table(
        ["date", "kind", "tests", "outcome"],
        [[r.date.isoformat(), r.kind, words(r.tests), r.outcome or ""] for r in rows],
    )
    return 0


def run_profile(args: argparse.Namespace) -> int:
    """Set the given keys, then show the profile."""
    from diary.db import store
    from diary.db.models import profile_value

    entries: dict[str, object] = {}
    if args.name is not None:
        entries["name"] = args.name
    if args.birth_year is not None:
        entries["birth_year"] = args.birth_year
    if args.family_history is not None:
        entries["family_history"] = [p for f in args.family_history for p in f.split(",")]
    for key, value in entries.items():
        profile_value(key, value)  # refuse a bad value before a diary is created for it
    if not entries and not diary_exists(args):
        profile: dict[str, str] = {}  # shown as empty; only setting something creates a diary
    else:
        with store.write_session(open_engine(args)) as session:
            profile = (
                store.set_profile(session=session, entries=entries)
                if entries
                else store.get_profile(session=session)
            )
        if entries:
            mark_saved(args)
    if not profile:
        print("The profile is empty. Set it with `twitch profile --name NAME --birth-year YEAR`.")
        return 0
    labels = {"name": "Name", "birth_year": "Born", "family_history": "Family history"}
    for key, label in labels.items():
        if key in profile:
            value = words(profile[key]) if key == "family_history" else profile[key]
            print(f"{label + ':':16}{printable(value)}")
    return 0
