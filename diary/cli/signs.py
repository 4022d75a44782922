"""``twitch signs``: the weekly warning-sign check, where "no" is kept apart from "not asked".

A doctor's first questions are about weakness, speech, swallowing and the rest; a diary that
holds only what was noticed cannot tell "no weakness" from "never asked". Answers come as options
(``--all-no``, ``--weakness yes``) or, on a terminal, one question at a time; a question left
unanswered is stored as not asked (NULL), never as no. A "yes" raises the same flag a logged
symptom would, so the urgent guidance ``twitch log`` would print is printed here too.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from diary.check_validation import yes_no
from diary.check_wording import answered
from diary.cli.checks import options_named
from diary.cli.common import mark_saved, open_engine, subcommand
from diary.cli.episodes import show_alerts
from diary.errors import InvalidValue, UserError
from diary.vocab import SIGN_QUESTIONS, SIGN_SYMPTOMS, SIGNS
from diary.wording import format_date

EXAMPLES = """\
  twitch signs                                     asks each question (on a terminal)
  twitch signs --all-no                            none of them in the past week
  twitch signs --all-no --weakness yes             all no except weakness
  twitch signs --night-cramps yes --tingling no    only these two asked
  twitch signs --all-no --date yesterday --note "checked before bed"

Each question is about the past week. A question not answered is kept as "not asked", which the
diary never reads as "no". A "yes" shows in `twitch flags` and the report with what the guidance
says about it.
"""


def option(sign: str) -> str:
    """The command-line option of a sign: ``tripping_falls`` -> ``--tripping-falls``."""
    return "--" + sign.replace("_", "-")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``signs``."""
    signs = subcommand(
        sub,
        "signs",
        "The weekly check: yes or no for each warning sign, in the past week.",
        EXAMPLES,
    )
    signs.add_argument(
        "--all-no",
        action="store_true",
        help="answer no to every question (then --SIGN yes for the exceptions)",
    )
    for sign in SIGNS:
        signs.add_argument(
            option(sign),
            dest=sign,
            metavar="Y/N",
            help=f"{SIGN_QUESTIONS[sign][0].lower()}{SIGN_QUESTIONS[sign][1:]}: yes or no",
        )
    signs.add_argument(
        "--date",
        metavar="DATE",
        help="the day of the check: YYYY-MM-DD, yesterday, '3 days ago', '10 Nov' (default today)",
    )
    signs.add_argument("-n", "--note", help="a note in your own words")
    signs.set_defaults(run=run_signs)


def answers_given(args: argparse.Namespace) -> dict[str, bool | None]:
    """Every sign's answer from the options: ``--all-no`` first, each ``--SIGN`` over it."""
    answers: dict[str, bool | None] = dict.fromkeys(SIGNS, False if args.all_no else None)
    for sign in SIGNS:
        typed = getattr(args, sign)
        if typed is not None:
            answers[sign] = yes_no(option(sign), typed)
    return answers


def ask_each() -> dict[str, bool | None]:
    """Ask every question on the terminal: y, n, or Enter to skip (kept as not asked).

    Ctrl-C stops with nothing stored (``KeyboardInterrupt`` reaches the command's one line);
    the end of input (Ctrl-D) does too, as a ``UserError``.
    """
    print("Weekly check — in the past week, have you had any of these?")
    print("Answer y (yes) or n (no); Enter skips a question (kept as not asked).")
    answers: dict[str, bool | None] = {}
    for sign in SIGNS:
        answers[sign] = _ask(SIGN_QUESTIONS[sign].rstrip("?. "))
    return answers


def _ask(question: str) -> bool | None:
    """One question, asked again until the answer is y, n or nothing."""
    while True:
        try:
            typed = input(f"  {question}? [y/n] ")
        except EOFError:
            print()
            raise UserError("weekly check stopped before the end; nothing was stored") from None
        except KeyboardInterrupt:
            print()  # the one line that follows starts on a line of its own
            raise
        try:
            return yes_no("answer", typed)  # nothing typed: None, not asked
        except InvalidValue:
            print("  Please answer y or n, or press Enter to skip this question.")


def check_date(text: str | None, today: date) -> date:
    """The day the check is for: today unless ``--date`` says otherwise; never a future day."""
    from diary import validation, when

    if not text:
        return today
    chosen = when.parse_date(text, today=today, field="--date")
    return validation.calendar_date("--date", chosen, latest=today)


def run_signs(args: argparse.Namespace) -> int:
    """Read the answers (options, else the terminal), store one dated check, say what it holds."""
    from diary import validation, when

    today = when.now_local().date()
    day = check_date(args.date, today)
    note = validation.text("note", args.note)
    answers = answers_given(args)
    if all(value is None for value in answers.values()):
        if not sys.stdin.isatty():
            raise UserError(
                "no answers given: use --all-no, or --SIGN yes|no for each sign asked "
                "(e.g. --all-no --weakness yes); on a terminal, `twitch signs` asks each question"
            )
        answers = ask_each()
        if all(value is None for value in answers.values()):
            raise UserError("every question was skipped; nothing was stored")
    save(args, day, answers, note)
    print(summary(day, today, answers))
    yes = [sign for sign, value in answers.items() if value]
    symptoms = [SIGN_SYMPTOMS[sign] for sign in yes if sign in SIGN_SYMPTOMS]
    if symptoms:
        from diary.guidance import day_alerts

        show_alerts(day_alerts(symptoms, event_day=day, today=today))
    return 0


def save(
    args: argparse.Namespace, day: date, answers: dict[str, bool | None], note: str | None
) -> None:
    """Validate the check and store it in one transaction."""
    from diary.db import checks, store
    from diary.db.check_models import SignCheckCreate
    from diary.db.models import validate

    with options_named({sign: option(sign) for sign in SIGNS} | {"date": "--date"}):
        check = validate(SignCheckCreate, {"date": day, **answers, "note": note})
    with store.write_session(open_engine(args)) as session:
        checks.add_sign_check(session=session, check=check)
    mark_saved(args)


def summary(day: date, today: date, answers: dict[str, bool | None]) -> str:
    """One calm line: how many were asked, and the yes answers by name."""
    head = "Weekly check saved" if day == today else f"Weekly check for {format_date(day)} saved"
    if not any(answers.values()):
        return f"{head}: {answered(answers)}"
    return (
        f"{head}: {answered(answers)} — the report and `twitch flags` show what the guidance says"
    )
