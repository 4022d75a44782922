"""Reading amounts as people type them: ``1,5 l``, ``2cups``, ``45 minutes``, ``1h30m``, ``6.5``.

The reading lives here: a number (a decimal comma is fine) with a unit from a table or none,
durations in hours, minutes and seconds, and the question asked about a bare number that surely
lacks its unit ("2" litres of water typed as ``2``). What each amount may be (its range, when a
bare number is implausible) is a rule of ``diary.validation``, which calls these. A value that
cannot be read raises ``InvalidValue`` with the field and the ``allowed`` text the caller gives.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from diary.errors import InvalidValue, show

_NUMBER = r"(\d+(?:[.,]\d+)?|[.,]\d+)"
_AMOUNT = re.compile(rf"^{_NUMBER}\s*([a-z]*)$")
_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?:in)?)?(?:(\d+(?:\.\d+)?)s)?$")
#: Unit words people type, folded to the letters the duration pattern reads.
_UNIT_WORDS = re.compile(r"(?<=[\d\s])(hours?|hrs?|minutes?|mins|seconds?|secs?)\b")
_UNIT_LETTERS = {
    **dict.fromkeys(("hour", "hours", "hr", "hrs"), "h"),
    **dict.fromkeys(("minute", "minutes", "mins"), "m"),
    **dict.fromkeys(("second", "seconds", "sec", "secs"), "s"),
}


def number(field: str, value: object, allowed: str) -> float:
    """A finite number, from a number or from text (``1,5`` is 1.5); never a bool."""
    if isinstance(value, bool):
        raise InvalidValue(field, value, allowed)
    if isinstance(value, int | float):
        found = float(value)
    elif isinstance(value, str):
        try:
            found = float(value.strip().replace(",", "."))
        except ValueError:
            raise InvalidValue(field, value, allowed) from None
    else:
        raise InvalidValue(field, value, allowed)
    if not math.isfinite(found):
        raise InvalidValue(field, value, allowed)
    return found


def amount(
    field: str, value: object, units: Mapping[str, float], allowed: str
) -> tuple[float, bool]:
    """A number with an optional unit from ``units`` ('' is the unit of a bare number), in the
    base unit, and whether a unit was typed."""
    if isinstance(value, str):
        match = _AMOUNT.match(value.strip().lower())
        if not match or match.group(2) not in units:
            raise InvalidValue(field, value, allowed)
        found = float(match.group(1).replace(",", "."))
        return found * units[match.group(2)], match.group(2) != ""
    return number(field, value, allowed) * units[""], False


def has_letters(value: object) -> bool:
    """Whether ``value`` is text with a letter in it (a unit), not a bare number."""
    return isinstance(value, str) and re.search(r"[a-z]", value.lower()) is not None


def _unit_words(text: str) -> str:
    """``2 hours 30 minutes`` -> ``2h30m``: the words people type for h, m and s, spaces removed."""
    folded = _UNIT_WORDS.sub(lambda m: _UNIT_LETTERS[m.group(1)], text.strip().lower())
    return folded.replace(" ", "")


def hours_minutes_seconds(field: str, text: str, allowed: str) -> tuple[float, float, float]:
    """The parts of a duration written with units: ``45s``, ``2m``, ``1h30m``, ``2 minutes``."""
    match = _DURATION.match(_unit_words(text))
    if not match or not any(match.groups()):
        raise InvalidValue(field, text, allowed)
    h, m, s = (float(g or 0) for g in match.groups())
    return h, m, s


def minutes(field: str, value: object, allowed: str) -> float:
    """Minutes: a duration with units (``1h30m``, ``45 minutes``) or a bare number of minutes."""
    if isinstance(value, str) and has_letters(value):
        h, m, s = hours_minutes_seconds(field, value, allowed)
        return h * 60 + m + s / 60
    return number(field, value, allowed)


class Implausible(InvalidValue):
    """A bare number (no unit) that is far more likely another unit: asked about, not stored."""

    def __init__(
        self, field: str, value: object, as_read: str, meant: tuple[str, str] | None
    ) -> None:
        typed, unit = str(value).strip(), as_read.split()[-1]
        super().__init__(field, value, f"an amount with its unit, e.g. {typed}{unit}")
        if meant:
            advice = f"did you mean {meant[0]}? Type {meant[1]}, or {typed}{unit} if {as_read}"
        else:
            advice = f"give the unit: {typed}{unit} if {as_read}"
        self.args = (f"{field} {show(value)} would be {as_read}: {advice} is right",)


def question_bare(
    field: str,
    value: object,
    found: float,
    low: float,
    as_read: str,
    meant: tuple[str, str] | None,
) -> None:
    """Refuse a bare number ``found`` below ``low`` (0 is fine: "none"), asking what was meant."""
    if 0 < found < low:
        raise Implausible(field, value, as_read, meant)
