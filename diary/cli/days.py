"""``twitch day``: the day's check-in, on the quick path like ``log``.

Given measures replace what the day had; symptoms add to those already noted (a day's symptoms
accumulate as you notice them); ``twitch day`` alone records "I checked in today", which the
analysis counts as a logged day with no episodes.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from diary import validation, wording
from diary.cli.common import db_path, mark_saved, subcommand
from diary.cli.episodes import show_alerts
from diary.errors import UserError
from diary.wording import format_date, stored_words

#: A day's check-in without a date belongs to the day just lived until this hour.
DIARY_DAY_SHIFT = timedelta(hours=4)

EXAMPLES = f"""\
  twitch day                                       "checked in today, nothing to report"
                                                   (before 04:00 this means yesterday)
  twitch day --water 1.5l --caffeine 200mg --sleep 6.5h --stress 7
  twitch day yesterday --exercise 45m --exercise-intensity moderate --alcohol 2
  twitch day 2025-03-04 --caffeine 3cups --symptom tingling --note "long day"

units: water in ml or l (1500, 1500ml, 1.5l, 2 litres); caffeine in mg or cups
(1 cup = {validation.MG_PER_CUP} mg); exercise in minutes or hours (45m, 1h30m); sleep in hours
(6.5, 6.5h, 6h30m) for the night before; alcohol in units; sleep quality 1 (very bad) to
5 (very good); stress 0 (none) to 10. A number without a unit that is implausible for a day
(water 2, caffeine 3, exercise 1) is asked about: "did you mean 2 l?".
"""


#: Unit words that may follow an amount as a separate argument (``--water 2 litres``).
UNIT_WORDS = frozenset(
    {
        *("l", "lt", "ltr", "litre", "litres", "liter", "liters", "ml"),
        *("mg", "cup", "cups", "u", "unit", "units"),
        *("h", "hr", "hrs", "hour", "hours", "m", "min", "mins", "minute", "minutes"),
    }
)


class Amount(argparse.Action):
    """An amount whose unit may come as the next word: ``--water 2 litres`` is ``2 litres``.

    Words after the amount that are not units (a date: ``--water 2l yesterday``) are kept in
    ``stray`` for ``run_day`` to read as the date, as if given before the option.
    """

    def __call__(self, parser, namespace, values, option_string=None):  # untyped, as argparse
        if not values:  # ``--water=--``: argparse took the "--" as the end of the options
            parser.error(f"argument {option_string}: expected an amount, e.g. {option_string} 2l")
        amount, *rest = values
        while rest and rest[0].strip().lower() in UNIT_WORDS:
            amount += " " + rest.pop(0)
        setattr(namespace, self.dest, amount)
        namespace.stray = [*getattr(namespace, "stray", []), *rest]


def _amount_option(parser: argparse.ArgumentParser, name: str, help_text: str) -> None:
    parser.add_argument(name, nargs="+", action=Amount, metavar=("AMOUNT", "UNIT"), help=help_text)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``day``."""
    day = subcommand(
        sub, "day", "Check in for a day: water, caffeine, exercise, sleep, stress.", EXAMPLES
    )
    day.add_argument(
        "date",
        nargs="?",
        metavar="DATE",
        help="YYYY-MM-DD, today, yesterday, '3 days ago', '10 Nov' (default today)",
    )
    _amount_option(day, "--water", "water drunk: 1.5l, '2 litres' or 1500ml")
    _amount_option(
        day, "--caffeine", f"caffeine: 200mg or 2cups ({validation.MG_PER_CUP} mg a cup)"
    )
    _amount_option(day, "--alcohol", "units of alcohol")
    _amount_option(day, "--exercise", "exercise: 45m, 1h30m or '45 minutes'")
    day.add_argument("--exercise-intensity", help="none, light, moderate or vigorous")
    _amount_option(day, "--sleep", "hours slept the night before: 6.5h")
    day.add_argument("--sleep-quality", help="1 (very bad) to 5 (very good)")
    day.add_argument("--stress", help="0 (none) to 10 (the most)")
    day.add_argument(
        "--symptom",
        action="append",
        metavar="S",
        help="a symptom noticed that day (repeat for more)",
    )
    day.add_argument("-n", "--note", help="a note about the day")
    day.set_defaults(run=run_day, stray=[])


def run_day(args: argparse.Namespace) -> int:
    """Validate, merge into the day's row in one transaction, show what the day now holds."""
    from diary import when
    from diary.db import quick
    from diary.db.open import open_current

    now = when.now_local()
    today = now.date()
    # Without a date, check in for the diary day: until 04:00 that is still yesterday, the day
    # just lived (the same convention the analysis uses for episodes after midnight).
    diary_day = (now - DIARY_DAY_SHIFT).date()
    named = [d for d in (args.date, *args.stray) if d]
    if len(named) > 1:
        raise UserError(
            f"one date per check-in, got {' and '.join(repr(d) for d in named)} (write an amount "
            "and its unit together or in quotes: --water 2l, --water '2 litres')"
        )
    chosen = when.parse_date(named[0], today=today) if named else diary_day
    day = validation.day_date(chosen, today=today)
    measures: dict[str, Any] = {
        "water_ml": validation.water_ml(args.water),
        "caffeine_mg": validation.caffeine_mg(args.caffeine),
        "alcohol_units": validation.alcohol_units(args.alcohol),
        "exercise_min": validation.exercise_min(args.exercise),
        "exercise_intensity": validation.optional_choice(
            "exercise_intensity", "exercise_intensity", args.exercise_intensity
        ),
        "sleep_h": validation.sleep_h(args.sleep),
        "sleep_quality": validation.sleep_quality(args.sleep_quality),
        "stress": validation.stress(args.stress),
    }
    symptoms = validation.word_set(
        "symptoms", "symptom", [p for s in args.symptom or [] for p in s.split(",")]
    )
    note = validation.text("note", args.note)
    conn = open_current(db_path(args))
    try:
        row = quick.upsert_day(conn, day, measures, add_symptoms=symptoms, note=note)
        mark_saved(args)
    finally:
        conn.close()
    print(f"Checked in for {format_date(day)}: {summarise(row)}")
    if symptoms:
        from diary.guidance import day_alerts

        show_alerts(day_alerts(wording.split_set(symptoms), event_day=day, today=diary_day))
    return 0


def _number(value: float) -> str:
    return f"{value:g}"


def summarise(row: dict[str, Any]) -> str:
    """The day's row in words: ``water 1.5 l · caffeine 200 mg · …`` or ``nothing else noted``."""
    parts = []
    if row.get("water_ml") is not None:
        parts.append(f"water {_number(row['water_ml'] / 1000)} l")
    if row.get("caffeine_mg") is not None:
        parts.append(f"caffeine {row['caffeine_mg']} mg")
    if row.get("alcohol_units") is not None:
        parts.append(f"alcohol {_number(row['alcohol_units'])} units")
    if row.get("exercise_min") is not None:
        intensity = f" ({row['exercise_intensity']})" if row.get("exercise_intensity") else ""
        parts.append(f"exercise {row['exercise_min']} min{intensity}")
    elif row.get("exercise_intensity"):
        parts.append(f"exercise {row['exercise_intensity']}")
    if row.get("sleep_h") is not None:
        parts.append(f"sleep {_number(row['sleep_h'])} h")
    if row.get("sleep_quality") is not None:
        parts.append(f"sleep quality {row['sleep_quality']}/5")
    if row.get("stress") is not None:
        parts.append(f"stress {row['stress']}/10")
    if row.get("symptoms"):
        parts.append(stored_words(row["symptoms"]))
    if row.get("note"):
        parts.append("note")
    return " · ".join(parts) if parts else "nothing else noted"
