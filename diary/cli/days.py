"""``twitch day``: the day's check-in, on the quick path like ``log``.

Given measures replace what the day had; symptoms add to those already noted (a day's symptoms
accumulate as you notice them); ``twitch day`` alone records "I checked in today", which the
analysis counts as a logged day with no episodes.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from diary import rules
from diary.cli.common import db_path, format_date, mark_saved, subcommand, words
from diary.cli.episodes import show_alerts

#: A day's check-in without a date belongs to the day just lived until this hour.
DIARY_DAY_SHIFT = timedelta(hours=4)

EXAMPLES = f"""\
  twitch day                                       "checked in today, nothing to report"
                                                   (before 04:00 this means yesterday)
  twitch day --water 1.5l --caffeine 200mg --sleep 6.5h --stress 7
  twitch day yesterday --exercise 45m --exercise-intensity moderate --alcohol 2
  twitch day 2025-03-04 --caffeine 3cups --symptom tingling --note "long day"

units: water in ml or l (1500, 1500ml, 1.5l); caffeine in mg or cups
(1 cup = {rules.MG_PER_CUP} mg); exercise in minutes or hours (45, 45m, 1h30m); sleep in hours
(6.5, 6.5h, 6h30m) for the night before; alcohol in units; sleep quality 1 (very bad) to
5 (very good); stress 0 (none) to 10.
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``day``."""
    day = subcommand(
        sub, "day", "Check in for a day: water, caffeine, exercise, sleep, stress.", EXAMPLES
    )
    day.add_argument(
        "date", nargs="?", metavar="DATE", help="YYYY-MM-DD, today or yesterday (default today)"
    )
    day.add_argument("--water", help="water drunk: 1.5l or 1500ml")
    day.add_argument("--caffeine", help=f"caffeine: 200mg or 2cups ({rules.MG_PER_CUP} mg a cup)")
    day.add_argument("--alcohol", help="units of alcohol")
    day.add_argument("--exercise", help="exercise: 45m or 1h30m")
    day.add_argument("--exercise-intensity", help="none, light, moderate or vigorous")
    day.add_argument("--sleep", help="hours slept the night before: 6.5h")
    day.add_argument("--sleep-quality", help="1 (very bad) to 5 (very good)")
    day.add_argument("--stress", help="0 (none) to 10 (the most)")
    day.add_argument(
        "--symptom",
        action="append",
        metavar="S",
        help="a symptom noticed that day (repeat for more)",
    )
    day.add_argument("-n", "--note", help="a note about the day")
    day.set_defaults(run=run_day)


def run_day(args: argparse.Namespace) -> int:
    """Validate, merge into the day's row in one transaction, show what the day now holds."""
    from diary import when
    from diary.db import quick

    now = when.now_local()
    today = now.date()
    # Without a date, check in for the diary day: until 04:00 that is still yesterday, the day
    # just lived (the same convention the analysis uses for episodes after midnight).
    diary_day = (now - DIARY_DAY_SHIFT).date()
    chosen = when.parse_date(args.date, today=today) if args.date else diary_day
    day = rules.day_date(chosen, today=today)
    measures: dict[str, Any] = {
        "water_ml": rules.water_ml(args.water),
        "caffeine_mg": rules.caffeine_mg(args.caffeine),
        "alcohol_units": rules.alcohol_units(args.alcohol),
        "exercise_min": rules.exercise_min(args.exercise),
        "exercise_intensity": rules.optional_choice(
            "exercise_intensity", "exercise_intensity", args.exercise_intensity
        ),
        "sleep_h": rules.sleep_h(args.sleep),
        "sleep_quality": rules.sleep_quality(args.sleep_quality),
        "stress": rules.stress(args.stress),
    }
    symptoms = rules.word_set(
        "symptoms", "symptom", [p for s in args.symptom or [] for p in s.split(",")]
    )
    note = rules.text("note", args.note)
    conn = quick.open_current(db_path(args))
    try:
        row = quick.upsert_day(conn, day, measures, add_symptoms=symptoms, note=note)
        mark_saved(args)
    finally:
        conn.close()
    print(f"Checked in for {format_date(day)}: {summarise(row)}")
    if symptoms:
        from diary.guidance import day_alerts

        show_alerts(day_alerts(rules.split_set(symptoms), event_day=day, today=diary_day))
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
        parts.append(words(row["symptoms"]))
    if row.get("note"):
        parts.append("note")
    return " · ".join(parts) if parts else "nothing else noted"
