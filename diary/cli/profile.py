"""``twitch profile``: who the diary belongs to, as the doctor's report shows it."""

from __future__ import annotations

import argparse
import re
from datetime import date

from diary.cli import records
from diary.cli.common import diary_exists, mark_saved, open_engine, subcommand
from diary.errors import InvalidValue, UserError, printable
from diary.wording import format_date, stored_words

#: The profile's keys as the person reads them, in the order shown.
PROFILE_LABELS = {
    "name": "Name",
    "birth_year": "Born",
    "family_history": "Family history",
    "onset": "Twitching since",
}


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``profile``."""
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


def run_profile(args: argparse.Namespace) -> int:
    """Set the given keys, then show the profile."""
    from diary.db import store
    from diary.validation import profile_value

    entries: dict[str, object] = {}
    if args.name is not None:
        entries["name"] = args.name
    if args.birth_year is not None:
        entries["birth_year"] = args.birth_year
    if args.family_history is not None:
        entries["family_history"] = records.split_words(args.family_history)
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


def profile_text(key: str, value: str) -> str:
    """A stored profile value as a person reads it (the onset as "around Thu 15 Oct 2026")."""
    if key == "family_history":
        return stored_words(value)
    if key == "onset":
        try:
            return f"around {format_date(date.fromisoformat(value))}"
        except ValueError:
            return value
    return value


def _onset(text: str) -> str:
    """``--onset`` as typed: a month or date as stored, or a relative day the clock resolves."""
    from diary.validation import ONSET_FORMS

    raw = text.strip()
    if not raw or re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", raw):
        return raw  # checked by the profile's own rule
    try:
        day = records.typed_date(raw, "onset")
    except UserError:
        raise InvalidValue("onset", text, ONSET_FORMS) from None
    assert day is not None  # raw is not blank
    return day.isoformat()
