"""``twitch med``, ``visit`` and ``profile``: the context a doctor will ask about."""

from __future__ import annotations

import argparse
from typing import Any

from diary.cli.common import (
    Parser,
    confirm,
    db_path,
    diary_exists,
    mark_saved,
    open_engine,
    print_table,
    printable,
    subcommand,
)
from diary.errors import InvalidValue, StoreError, UserError
from diary.wording import format_date, stored_words


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

    edit = subcommand(
        med_sub,
        "edit",
        "Change a course: give only what changes ('' clears a dose, note or stop date).",
        "  twitch med edit magnesium --dose '400 mg'\n"
        "  twitch med edit 3f2a5c1e --start 2025-01-20 --stop 2025-02-28\n"
        "  twitch med edit magnesium --stop ''      (ongoing again)\n",
    )
    edit.add_argument(
        "ident", metavar="NAME|ID", help="the medicine's name, or its id (8 characters will do)"
    )
    edit.add_argument("--name", help="a new name")
    edit.add_argument("-c", "--class", dest="drug_class", help="a new class (see `med add --help`)")
    edit.add_argument("--dose", help="the dose ('' clears it)")
    edit.add_argument("--start", metavar="DATE", help="the first day taken")
    edit.add_argument("--stop", metavar="DATE", help="the last day taken ('' = still ongoing)")
    edit.add_argument("-n", "--note", help="a note ('' clears it)")
    edit.set_defaults(run=run_med_edit)

    delete = subcommand(
        med_sub,
        "delete",
        "Delete a course (asks first unless --yes).",
        "  twitch med delete magnesium\n  twitch med delete 3f2a5c1e --yes\n",
    )
    delete.add_argument(
        "ident", metavar="NAME|ID", help="the medicine's name, or its id (8 characters will do)"
    )
    delete.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(run=run_med_delete)

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
    vlist = subcommand(
        visit_sub,
        "list",
        "Show all visits, oldest first (one still to come is marked upcoming).",
        "  twitch visit list\n",
    )
    vlist.set_defaults(run=run_visit_list)

    vedit = subcommand(
        visit_sub,
        "edit",
        "Change a visit: give only what changes (--test replaces the tests; '' clears text).",
        "  twitch visit edit 3f2a5c1e --outcome 'normal, review in 3 months'\n"
        "  twitch visit edit 3f2a5c1e --date 2025-03-12 --test emg --test ncs\n"
        "  twitch visit edit 3f2a5c1e --no-tests\n",
    )
    vedit.add_argument("id", metavar="ID", help="the visit's id (the first 8 characters will do)")
    vedit.add_argument("--date", metavar="DATE", help="a new date (YYYY-MM-DD)")
    vedit.add_argument("-k", "--kind", help="a new kind (see `visit add --help`)")
    vedit.add_argument("-t", "--test", action="append", metavar="T", help="the tests done (repeat)")
    vedit.add_argument("--no-tests", action="store_true", help="remove all tests")
    vedit.add_argument("-o", "--outcome", help="what the doctor said ('' clears it)")
    vedit.add_argument("-n", "--note", help="a note ('' clears it)")
    vedit.set_defaults(run=run_visit_edit)

    vdelete = subcommand(
        visit_sub,
        "delete",
        "Delete a visit (asks first unless --yes).",
        "  twitch visit delete 3f2a5c1e\n  twitch visit delete 3f2a5c1e --yes\n",
    )
    vdelete.add_argument("id", metavar="ID", help="the visit's id (the first 8 characters will do)")
    vdelete.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    vdelete.set_defaults(run=run_visit_delete)

    profile = subcommand(
        sub,
        "profile",
        "Show or set your profile (it appears on the doctor's report).",
        "  twitch profile\n  twitch profile --name 'Sam Doe' --birth-year 1988\n"
        "  twitch profile --family-history ms\n  twitch profile --family-history ''   (clear it)\n"
        "  twitch profile --onset 2026-10       (twitching started around October 2026)\n",
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
    profile.add_argument(
        "--onset",
        metavar="DATE",
        help="when the twitching started, roughly: 2026-10-15, or a month alone, 2026-10 "
        "(kept as its 1st day); '' clears it",
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
        ["name", "class", "dose", "started", "stopped", "id"],
        [
            [
                r.name,
                r.drug_class.replace("_", " "),
                r.dose or "",
                r.started_on.isoformat(),
                r.stopped_on.isoformat() if r.stopped_on else "ongoing",
                r.id[:8],
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
    print(f"Added {describe_visit(row, _today())} — id {row.id[:8]}")
    return 0


def describe_visit(row: Any, today: Any) -> str:
    """``gp visit on Thu 20 Mar 2025 (upcoming) — tests: electrolytes, thyroid``."""
    text = f"{row.kind.replace('_', ' ')} visit on {format_date(row.date)}"
    if row.date > today:
        text += " (upcoming)"
    if row.tests:
        text += f" — tests: {stored_words(row.tests)}"
    return text


def run_visit_list(args: argparse.Namespace) -> int:
    """Print every visit."""
    from diary.db import store

    with store.read_session(open_engine(args)) as session:
        rows = store.list_visits(session=session)
    if not rows:
        print("No visits recorded. Add one with `twitch visit add --kind gp`.")
        return 0
    today = _today()
    print_table(
        ["date", "kind", "tests", "outcome", "id"],
        [
            [
                r.date.isoformat() + (" (upcoming)" if r.date > today else ""),
                r.kind.replace("_", " "),
                stored_words(r.tests),
                r.outcome or "",
                r.id[:8],
            ]
            for r in rows
        ],
    )
    return 0


def _refuse_missing_diary(args: argparse.Namespace, what: str) -> None:
    """A lookup in a diary that does not exist finds nothing, and must not create the file."""
    if not diary_exists(args):
        raise StoreError(f"{what}: there is no diary at {db_path(args)} yet")


def _confirm_delete(args: argparse.Namespace, shown: str) -> None:
    """Ask on a terminal; without one, only ``--yes`` deletes."""
    if not args.yes and not confirm(f"Delete {shown}?"):
        raise UserError("not deleted (confirm at the prompt, or pass --yes)")


def _text_change(value: str | None) -> str | None:
    """An option's new text: '' clears it (stored as unknown)."""
    return value if value and value.strip() else None


def run_med_edit(args: argparse.Namespace) -> int:
    """Apply the given changes to one course; the whole course is validated again."""
    from diary import validation
    from diary.db import store

    changes: dict[str, Any] = {}
    if args.name is not None:
        changes["name"] = args.name
    if args.drug_class is not None:
        changes["drug_class"] = validation.choice("class", "drug_class", args.drug_class)
    if args.dose is not None:
        changes["dose"] = _text_change(args.dose)
    if args.start is not None:
        if not args.start.strip():
            raise InvalidValue("start", args.start, "a date like 2025-03-04 (a course has one)")
        changes["started_on"] = _date(args.start, "start")
    if args.stop is not None:
        changes["stopped_on"] = _date(args.stop.strip(), "stop")
    if args.note is not None:
        changes["note"] = _text_change(args.note)
    if not changes:
        raise UserError("nothing to change: give a new value, e.g. --dose '400 mg'")
    _refuse_missing_diary(args, f"no medication has the name or id {args.ident!r}")
    with store.write_session(open_engine(args)) as session:
        row = store.update_medication(session=session, ident=args.ident, changes=changes)
    mark_saved(args)
    print(f"Changed {describe_course(row)} — id {row.id[:8]}")
    return 0


def run_med_delete(args: argparse.Namespace) -> int:
    """Delete one course after confirming (or with ``--yes``)."""
    from diary.db import store

    _refuse_missing_diary(args, f"no medication has the name or id {args.ident!r}")
    engine = open_engine(args)
    with store.read_session(engine) as session:
        course = store.find_medication(session=session, ident=args.ident)
        ident, shown = course.id, describe_course(course)
    _confirm_delete(args, shown)
    with store.write_session(engine) as session:
        store.delete_medication(session=session, ident=ident)
    mark_saved(args)
    print(f"Deleted {shown} — id {ident[:8]}")
    return 0


def run_visit_edit(args: argparse.Namespace) -> int:
    """Apply the given changes to one visit; the whole visit is validated again."""
    from diary import validation
    from diary.db import store

    changes: dict[str, Any] = {}
    if args.date is not None:
        if not args.date.strip():
            raise InvalidValue("date", args.date, "a date like 2025-03-04 (a visit has one)")
        changes["date"] = _date(args.date, "date")
    if args.kind is not None:
        changes["kind"] = validation.choice("kind", "visit_kind", args.kind)
    if args.test is not None or args.no_tests:
        changes["tests"] = [p for t in args.test or [] for p in t.split(",")]
    if args.outcome is not None:
        changes["outcome"] = _text_change(args.outcome)
    if args.note is not None:
        changes["note"] = _text_change(args.note)
    if not changes:
        raise UserError("nothing to change: give a new value, e.g. --outcome normal")
    _refuse_missing_diary(args, f"no visit has id {args.id!r}")
    with store.write_session(open_engine(args)) as session:
        row = store.update_visit(session=session, ident=args.id, changes=changes)
    mark_saved(args)
    print(f"Changed {describe_visit(row, _today())} — id {row.id[:8]}")
    return 0


def run_visit_delete(args: argparse.Namespace) -> int:
    """Delete one visit after confirming (or with ``--yes``)."""
    from diary.db import store

    _refuse_missing_diary(args, f"no visit has id {args.id!r}")
    engine = open_engine(args)
    with store.read_session(engine) as session:
        visit = store.find_visit(session=session, ident=args.id)
        ident, shown = visit.id, describe_visit(visit, _today())
    _confirm_delete(args, shown)
    with store.write_session(engine) as session:
        store.delete_visit(session=session, ident=ident)
    mark_saved(args)
    print(f"Deleted the {shown} — id {ident[:8]}")
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
    if args.onset is not None:
        entries["onset"] = _onset(args.onset)
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
    for key, label in PROFILE_LABELS.items():
        if key in profile:
            print(f"{label + ':':18}{printable(profile_text(key, profile[key]))}")
    return 0


#: The profile's keys as the person reads them, in the order shown.
PROFILE_LABELS = {
    "name": "Name",
    "birth_year": "Born",
    "family_history": "Family history",
    "onset": "Twitching since",
}


def profile_text(key: str, value: str) -> str:
    """A stored profile value as a person reads it (the onset as "around Thu 15 Oct 2026")."""
    if key == "family_history":
        return stored_words(value)
    if key == "onset":
        from datetime import date

        try:
            return f"around {format_date(date.fromisoformat(value))}"
        except ValueError:
            return value
    return value


def _onset(text: str) -> str:
    """``--onset`` as typed: a month or date as stored, or a relative day the clock resolves."""
    import re

    from diary.db.models import ONSET_FORMS

    raw = text.strip()
    if not raw or re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", raw):
        return raw  # checked by the profile's own rule
    try:
        return _date(raw, "onset").isoformat()
    except UserError:
        raise InvalidValue("onset", text, ONSET_FORMS) from None
