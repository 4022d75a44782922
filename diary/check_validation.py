"""The rules of the three self-checks: the weekly warning signs, the strength tests, the count.

Kept beside ``diary.validation`` (whose readers they use) so that its rules for episodes and days
stay one module a person can read. As there, every function takes what a person, a form or a
spreadsheet might hand over and returns the canonical value, or raises ``InvalidValue`` naming the
field, the value and what is allowed; the ranges are also the ``CHECK`` constraints of the tables
(``diary.db.check_models``).

An answer left out is ``None``: a sign that was not asked, a test that was not done. It is never
read as "no" or as a failed test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from diary import units, validation
from diary.errors import InvalidValue

#: Single-leg heel raises to fatigue, per side (the clinical standard is about 25; 300 is plenty).
HEEL_RAISES_MAX = 300
#: Stands in the 30-second chair stand test.
CHAIR_STANDS_MAX = 100
#: Grip strength per hand, in kg, on a hand dynamometer.
GRIP_KG_MAX = 150
#: A timed twitch count lasts 10 s to 10 min (the standard count is 60 s).
COUNT_SECONDS_MIN, COUNT_SECONDS_MAX = 10, 600
COUNT_SECONDS_DEFAULT = 60
TWITCHES_MAX = 2000

_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})
_PASS = frozenset({"pass", "passed", "p", *_YES})
_FAIL = frozenset({"fail", "failed", "f", *_NO})


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _answer(
    field: str, value: object, true: frozenset[str], false: frozenset[str], allowed: str
) -> bool | None:
    """True, False or None (blank) from a bool, 0/1 or one of the words."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in true:
            return True
        if word in false:
            return False
    raise InvalidValue(field, value, allowed)


def yes_no(field: str, value: object) -> bool | None:
    """An answer to one warning-sign question: yes, no, or None (not asked)."""
    return _answer(field, value, _YES, _NO, "yes or no (empty: not asked)")


def pass_fail(field: str, value: object) -> bool | None:
    """A heel or toe walk: passed (True), failed (False), or None (not done)."""
    return _answer(field, value, _PASS, _FAIL, "pass or fail (empty: not done)")


def check_date(value: object, *, today: date | None = None) -> date:
    """The local date of a check: a calendar date that has begun."""
    return validation.calendar_date("date", value, latest=today or date.today())


def heel_raises(field: str, value: object) -> int | None:
    """Single-leg heel raises on one side, counted to fatigue (None: not done)."""
    return validation.optional_integer(field, value, 0, HEEL_RAISES_MAX)


def chair_stands(value: object) -> int | None:
    """Full stands in 30 seconds from a chair, arms folded (None: not done)."""
    return validation.optional_integer("chair_stands", value, 0, CHAIR_STANDS_MAX)


_KG = {"": 1.0, "kg": 1.0, "kgs": 1.0}


def grip_kg(field: str, value: object) -> float | None:
    """Grip strength of one hand in kg, ``32.5`` or ``32,5 kg`` (None: not measured)."""
    if _blank(value):
        return None
    allowed = f"a weight in kg 0–{GRIP_KG_MAX}, like 32.5"
    kg, _ = units.amount(field, value, _KG, allowed)
    if not 0 <= kg <= GRIP_KG_MAX:
        raise InvalidValue(field, value, allowed)
    return round(kg, 1)


def count_seconds(value: object) -> int:
    """How long a twitch count lasted: seconds (``60``, ``60s``, ``1m``), 10 s to 10 min."""
    allowed = f"a whole number of seconds {COUNT_SECONDS_MIN}–{COUNT_SECONDS_MAX}, like 60 or 1m"
    if units.has_letters(value):
        h, m, s = units.hours_minutes_seconds("seconds", str(value), allowed)
        seconds = h * 3600 + m * 60 + s
    else:
        seconds = units.number("seconds", value, allowed)
    if not seconds.is_integer() or not COUNT_SECONDS_MIN <= seconds <= COUNT_SECONDS_MAX:
        raise InvalidValue("seconds", value, allowed)
    return int(seconds)


def twitches(value: object) -> int:
    """How many twitches were felt during the count."""
    return validation.integer("twitches", value, 0, TWITCHES_MAX)


def counted_at(value: object, *, now: datetime | None = None) -> datetime:
    """When a count was made: aware, to the second, not in the future (as an episode's start)."""
    return validation.started_at(value, now=now, field="counted_at")


def some_answer(answers: Iterable[bool | None]) -> None:
    """A sign check must answer at least one question (all "not asked" says nothing)."""
    if all(answer is None for answer in answers):
        raise InvalidValue("signs", "none answered", "at least one sign answered yes or no")


#: The measures of a strength check, as its fields are named, with the words messages use.
STRENGTH_MEASURES: Mapping[str, str] = {
    "heel_raises_left": "heel raises",
    "heel_raises_right": "heel raises",
    "heel_walk_left": "heel walk",
    "heel_walk_right": "heel walk",
    "toe_walk_left": "toe walk",
    "toe_walk_right": "toe walk",
    "chair_stands": "chair stands",
    "grip_left_kg": "grip",
    "grip_right_kg": "grip",
}


def some_measure(values: Mapping[str, object]) -> None:
    """A strength check must hold at least one measure."""
    if all(values.get(name) is None for name in STRENGTH_MEASURES):
        raise InvalidValue(
            "strength check",
            "no measure",
            "at least one of heel raises, heel walk, toe walk, chair stands or grip",
        )
