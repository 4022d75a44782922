"""The validation rules, defined once for every way data comes in.

The quick command-line path calls these functions directly (it cannot afford pydantic or
SQLAlchemy), the SQLModel ``*Create`` models call them from their validators, and the CSV import
goes through those models. The ranges here are also the database ``CHECK`` constraints
(``diary.db.models``), so nothing can bypass them. Every function takes what a person or a
spreadsheet might hand over (text with units, numbers, odd case) and returns the canonical value,
or raises ``InvalidValue`` naming the field, the value and what is allowed. How an amount with its
unit is read (``1,5 l``, ``1h30m``) is ``diary.units``; what it may be is here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from diary import units, vocab, wording
from diary.errors import C1_AND_BIDI, InvalidValue, show
from diary.when import DATE_RANGE, EARLIEST, FUTURE_TOLERANCE, LATEST

INTENSITY_MIN, INTENSITY_MAX = 1, 10
DURATION_MAX_S = 24 * 3600
WATER_ML_MAX = 20_000
CAFFEINE_MG_MAX = 5_000
#: A cup of brewed coffee, as the USDA food data lists 8 fl oz (240 ml): about 95 mg of caffeine.
MG_PER_CUP = 95
ALCOHOL_UNITS_MAX = 100
EXERCISE_MIN_MAX = 24 * 60
SLEEP_H_MAX = 24
SLEEP_QUALITY_MIN, SLEEP_QUALITY_MAX = 1, 5
STRESS_MIN, STRESS_MAX = 0, 10
UTC_OFFSET_MAX_MIN = 18 * 60
NOTE_MAX = 4000
NAME_MAX = 200

#: Refused in notes: controls but tab and line feed, and what reorders or rewrites a line.
_CONTROL = re.compile(rf"[\x00-\x08\x0b-\x1f{C1_AND_BIDI}]")
#: Refused in one-line fields: the same, plus line feeds and tabs.
_LINE_CONTROL = re.compile(rf"[\x00-\x1f{C1_AND_BIDI}]")
#: Other ways to break a line (carriage return, Unicode line and paragraph separators): notes
#: store them as ``\n``.
_LINE_BREAKS = re.compile(r"[\r\u2028\u2029]")


def _allowed_words(vocabulary: str) -> str:
    return "one of " + ", ".join(wording.word(w) for w in vocab.VOCABULARIES[vocabulary])


#: How messages name the words of the long vocabularies.
_NOUNS = {"body_site": "body site", "symptom": "symptom", "context": "context"}


class UnknownWord(InvalidValue):
    """A word outside a long vocabulary: the closest words are offered, not all 25."""

    def __init__(self, field: str, vocabulary: str, value: object) -> None:
        super().__init__(field, value, _allowed_words(vocabulary))
        close = vocab.suggestions(vocabulary, value) if isinstance(value, str) else []
        words = [wording.word(w) for w in close]
        if len(words) == 1:
            offer = f"did you mean {words[0]}?"
        elif words:
            offer = f"did you mean {', '.join(words[:-1])} or {words[-1]}?"
        else:
            common = [wording.word(w) for w in vocab.COMMON[vocabulary]]
            offer = f"for example {', '.join(common[:-1])} or {common[-1]}"
        total = len(vocab.VOCABULARIES[vocabulary])
        noun = _NOUNS[vocabulary]
        self.args = (
            f"{field} {show(value)} is not a {noun} the diary knows: {offer} "
            f"(all {total}: `twitch log --help`)",
        )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def choice(field: str, vocabulary: str, value: object) -> str:
    """One word from ``vocabulary`` (synonyms and any letter case accepted)."""
    if isinstance(value, str) and (word := vocab.lookup(vocabulary, value)):
        return word
    if len(vocab.VOCABULARIES[vocabulary]) > vocab.SHORT_LIST and vocabulary in _NOUNS:
        raise UnknownWord(field, vocabulary, value)
    raise InvalidValue(field, value, _allowed_words(vocabulary))


def optional_choice(field: str, vocabulary: str, value: object) -> str | None:
    """Like ``choice``, but blank means unknown."""
    return None if _blank(value) else choice(field, vocabulary, value)


def word_set(field: str, vocabulary: str, value: object) -> str:
    """A set of words, stored ``;``-separated in vocabulary order ('' for none).

    Accepts a list or a string separated by ``;`` or ``,`` (spreadsheets and people use both).
    """
    if _blank(value):
        return ""
    if isinstance(value, str):
        items: Iterable[object] = re.split(r"[;,]", value)
    elif isinstance(value, Iterable):
        items = value
    else:
        raise InvalidValue(field, value, "a list of " + _allowed_words(vocabulary))
    words = {choice(field, vocabulary, item) for item in items if not _blank(item)}
    order = vocab.VOCABULARIES[vocabulary]
    return ";".join(w for w in order if w in words)


def integer(field: str, value: object, low: int, high: int) -> int:
    """A whole number in ``[low, high]``."""
    allowed = f"a whole number {low}–{high}"
    number = units.number(field, value, allowed)
    if not number.is_integer() or not low <= number <= high:
        raise InvalidValue(field, value, allowed)
    return int(number)


def optional_integer(field: str, value: object, low: int, high: int) -> int | None:
    """Like ``integer``, but blank means unknown."""
    return None if _blank(value) else integer(field, value, low, high)


def intensity(value: object) -> int:
    """How strong, 1 (barely noticeable) to 10 (the worst imaginable)."""
    return integer("intensity", value, INTENSITY_MIN, INTENSITY_MAX)


def optional_intensity(value: object) -> int | None:
    """Like ``intensity``, but blank (not given) is unknown: None, never a default such as 3."""
    return None if _blank(value) else intensity(value)


def duration_s(value: object) -> int:
    """Seconds: a number of seconds, or ``45s``, ``2m``, ``1h30m`` (``2 minutes`` too)."""
    allowed = f"a duration like 45s, 2m or 1h30m (0 to {DURATION_MAX_S // 3600} h)"
    if isinstance(value, str) and not re.fullmatch(r"\s*\d+(\.\d+)?\s*", value):
        h, m, s = units.hours_minutes_seconds("duration", value, allowed)
        seconds = h * 3600 + m * 60 + s
    else:
        seconds = units.number("duration", value, allowed)
    if not 0 <= seconds <= DURATION_MAX_S:
        raise InvalidValue("duration", value, allowed)
    return round(seconds)


def optional_duration_s(value: object) -> int | None:
    """Like ``duration_s``, but blank (not given) is unknown: None, which is not 0 s."""
    return None if _blank(value) else duration_s(value)


_WATER_UNITS = {
    "": 1,
    "ml": 1,
    **dict.fromkeys(("l", "lt", "ltr", "litre", "litres", "liter", "liters"), 1000),
}
_CAFFEINE_UNITS = {"": 1, "mg": 1, "cup": MG_PER_CUP, "cups": MG_PER_CUP}
_ALCOHOL_UNITS = {"": 1, "u": 1, "units": 1, "unit": 1}
#: Below these, a number typed without a unit is asked about (2 ml of water, 3 mg of caffeine
#: and 1 minute of exercise in a day are almost always 2 l, 3 cups and 1 hour).
WATER_BARE_MIN_ML = 100
CAFFEINE_BARE_MIN_MG = 10
EXERCISE_BARE_MIN_MIN = 5


def water_ml(value: object, *, question_bare: bool = True) -> int | None:
    """Water drunk that day: ``1.5l``, ``1500ml``, ``2 litres`` or a bare number of ml.

    A bare number as a person types it (``question_bare``) must be a plausible day's amount in ml:
    ``2`` is refused with "did you mean 2 l?". Stored and imported values are taken as they are.
    """
    if _blank(value):
        return None
    allowed = f"an amount like 1.5l or 1500ml (0–{WATER_ML_MAX} ml)"
    ml, with_unit = units.amount("water", value, _WATER_UNITS, allowed)
    if question_bare and not with_unit:
        typed = str(value).strip()
        meant = (f"{typed} l", f"{typed}l") if ml <= 10 else None
        units.question_bare("water", value, ml, WATER_BARE_MIN_ML, f"{ml:g} ml", meant)
    if not 0 <= ml <= WATER_ML_MAX:
        raise InvalidValue("water", value, allowed)
    return round(ml)


def caffeine_mg(value: object, *, question_bare: bool = True) -> int | None:
    """Caffeine that day: ``200mg``, ``2cups`` (a cup of coffee = ``MG_PER_CUP`` mg) or a bare
    number of mg (below ``CAFFEINE_BARE_MIN_MG`` asked about when typed: "did you mean 3 cups?")."""
    if _blank(value):
        return None
    allowed = f"an amount like 200mg or 2cups (0–{CAFFEINE_MG_MAX} mg; 1 cup = {MG_PER_CUP} mg)"
    mg, with_unit = units.amount("caffeine", value, _CAFFEINE_UNITS, allowed)
    if question_bare and not with_unit:
        typed = str(value).strip()
        meant = (f"{typed} cup{'' if mg == 1 else 's'}", f"{typed}cups")
        units.question_bare("caffeine", value, mg, CAFFEINE_BARE_MIN_MG, f"{mg:g} mg", meant)
    if not 0 <= mg <= CAFFEINE_MG_MAX:
        raise InvalidValue("caffeine", value, allowed)
    return round(mg)


def alcohol_units(value: object) -> float | None:
    """Units of alcohol that day (one UK unit = 10 ml of pure alcohol)."""
    if _blank(value):
        return None
    allowed = f"a number of units 0–{ALCOHOL_UNITS_MAX}"
    drunk, _ = units.amount("alcohol", value, _ALCOHOL_UNITS, allowed)
    if not 0 <= drunk <= ALCOHOL_UNITS_MAX:
        raise InvalidValue("alcohol", value, allowed)
    return round(drunk, 2)


def exercise_min(value: object, *, question_bare: bool = True) -> int | None:
    """Minutes of exercise that day: ``45m``, ``1h30m``, ``45 minutes`` or a bare number of
    minutes (below ``EXERCISE_BARE_MIN_MIN`` asked about when typed: "did you mean 1 h?")."""
    if _blank(value):
        return None
    allowed = f"a duration like 45m or 1h30m (0–{EXERCISE_MIN_MAX // 60} h)"
    minutes = units.minutes("exercise", value, allowed)
    if question_bare and not units.has_letters(value):
        typed = str(value).strip()
        meant = (f"{typed} h", f"{typed}h")
        units.question_bare(
            "exercise", value, minutes, EXERCISE_BARE_MIN_MIN, f"{minutes:g} min", meant
        )
    if not 0 <= minutes <= EXERCISE_MIN_MAX:
        raise InvalidValue("exercise", value, allowed)
    return round(minutes)


def sleep_h(value: object) -> float | None:
    """Hours slept the night before: ``6.5``, ``6.5h``, ``6h30m``."""
    if _blank(value):
        return None
    allowed = f"hours like 6.5h or 6h30m (0–{SLEEP_H_MAX} h)"
    if units.has_letters(value):
        hours = units.minutes("sleep", value, allowed) / 60
    else:
        hours = units.number("sleep", value, allowed)
    if not 0 <= hours <= SLEEP_H_MAX:
        raise InvalidValue("sleep", value, allowed)
    return round(hours, 2)


def sleep_quality(value: object) -> int | None:
    """How well you slept, 1 (very badly) to 5 (very well)."""
    return optional_integer("sleep_quality", value, SLEEP_QUALITY_MIN, SLEEP_QUALITY_MAX)


def stress(value: object) -> int | None:
    """Stress that day, 0 (none) to 10 (the most)."""
    return optional_integer("stress", value, STRESS_MIN, STRESS_MAX)


def _free_text(field: str, value: object, limit: int, *, one_line: bool) -> str | None:
    """Trimmed text with line breaks normalised to ``\\n``, checked for length and controls."""
    if _blank(value):
        return None
    if not isinstance(value, str):
        raise InvalidValue(field, value, "text")
    cleaned = _LINE_BREAKS.sub("\n", value.strip().replace("\r\n", "\n"))
    if len(cleaned) > limit:
        raise InvalidValue(field, f"{len(cleaned)} characters", f"at most {limit} characters")
    if one_line and _LINE_CONTROL.search(cleaned):
        raise InvalidValue(
            field, value, "one line of text without control characters, bidi overrides or tabs"
        )
    if _CONTROL.search(cleaned):
        raise InvalidValue(
            field,
            value,
            "text without control characters or bidi overrides (line breaks and tabs are fine)",
        )
    return cleaned


def text(field: str, value: object, limit: int = NOTE_MAX) -> str | None:
    """Free text such as a note: trimmed, blank is None, line breaks and tabs but no other controls.

    C0/C1 controls and bidi overrides are refused because they can rewrite what a terminal shows
    (or reverse what a doctor reads) when the text is printed later.
    """
    return _free_text(field, value, limit, one_line=False)


def line(field: str, value: object, limit: int = NAME_MAX) -> str | None:
    """One line of text (a name, a dose, an outcome): like ``text``, without line breaks or tabs."""
    return _free_text(field, value, limit, one_line=True)


def required_line(field: str, value: object, limit: int = NAME_MAX) -> str:
    """One line of text that must be there."""
    cleaned = line(field, value, limit)
    if cleaned is None:
        raise InvalidValue(field, value if isinstance(value, str) else "", "non-empty text")
    return cleaned


def started_at(
    value: object, *, now: datetime | None = None, field: str = "started_at"
) -> datetime:
    """When an episode began: aware, to the second, not in the future (beyond clock drift).

    ``field`` names it as the person typed it (``--at`` on the command line).
    """
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValue(field, value, "a date-time with a UTC offset")
    offset = value.utcoffset()
    assert offset is not None
    if abs(offset) > timedelta(minutes=UTC_OFFSET_MAX_MIN) or offset.seconds % 60:
        raise InvalidValue(field, value.isoformat(), "a UTC offset within ±18:00")
    moment = value.replace(microsecond=0)
    current = now or datetime.now(UTC)
    if moment > current + FUTURE_TOLERANCE:
        raise InvalidValue(
            field,
            moment.isoformat(sep=" ", timespec="minutes"),
            "a time that is not in the future (for last night, say 'yesterday 23:30')",
        )
    if not EARLIEST <= moment.date() <= LATEST:
        raise InvalidValue(field, moment.isoformat(), f"a time {DATE_RANGE}")
    return moment


def calendar_date(field: str, value: object, *, latest: date | None = None) -> date:
    """A date from 1900 to 2100 (and not after ``latest`` when given)."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidValue(field, value, "a date like 2025-03-04") from None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidValue(field, value, "a date like 2025-03-04")
    if not EARLIEST <= value <= LATEST:
        raise InvalidValue(field, value.isoformat(), f"a date {DATE_RANGE}")
    if latest is not None and value > latest:
        raise InvalidValue(field, value.isoformat(), f"a date that is not in the future ({latest})")
    return value


def optional_date(field: str, value: object, *, latest: date | None = None) -> date | None:
    """Like ``calendar_date``, but blank means unknown (or, for ``stopped_on``, still ongoing)."""
    return None if _blank(value) else calendar_date(field, value, latest=latest)


def day_date(value: object, *, today: date | None = None) -> date:
    """The local date of a day's check-in: not a day that has not begun yet."""
    return calendar_date("date", value, latest=today or date.today())


def course_dates(started_on: date, stopped_on: date | None) -> None:
    """A medication course cannot stop before it started."""
    if stopped_on is not None and stopped_on < started_on:
        raise InvalidValue(
            "stopped_on",
            stopped_on.isoformat(),
            f"on or after the start of the course ({started_on.isoformat()})",
        )


def birth_year(value: object, *, this_year: int | None = None) -> int | None:
    """A year of birth from 1900 to this year."""
    return optional_integer("birth_year", value, EARLIEST.year, this_year or datetime.now(UTC).year)


def profile_value(key: str, value: object) -> str:
    """The canonical text of a profile value ('' when cleared); ``key`` is one of the profile's."""
    if key == "birth_year":
        year = birth_year(value)
        return "" if year is None else str(year)
    if key == "family_history":
        return word_set("family_history", "family_history", value)
    if key == "onset":
        return onset(value)
    return line(key, value, NAME_MAX) or ""


#: What ``onset`` accepts, for messages.
ONSET_FORMS = "a date like 2026-10-15 or a month like 2026-10, not in the future"


def onset(value: object, *, today: date | None = None) -> str:
    """When twitching started ("around …") as ``YYYY-MM-DD``; '' when cleared.

    People often remember only the month: ``2026-10`` is kept as its 1st day (the profile shows
    it as "around"), so every consumer reads one format.
    """
    if _blank(value):
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}", text):
        text += "-01"
    try:
        day = date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        day = None
    if day is None:
        raise InvalidValue("onset", value, ONSET_FORMS)
    return calendar_date("onset", day, latest=today or date.today()).isoformat()


def db_timestamp(moment: datetime) -> str:
    """A UTC instant as the database stores it (the text SQLAlchemy writes for ``DateTime``)."""
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    return utc.isoformat(sep=" ", timespec="microseconds")
