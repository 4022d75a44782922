"""Reading the times and dates people type, in their own time zone.

A diary counts days in the user's local calendar, so every time is kept with its UTC offset. A local
wall-clock time that does not exist (the hour skipped when clocks go forward) or exists twice (the
hour repeated when they go back) is refused with a clear message: shifting it silently would put an
episode on the wrong side of midnight or the wrong hour of the night.

Light on purpose: the quick-logging path imports it.
"""

from __future__ import annotations

import os
import re
import sys
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache

from diary.errors import InvalidValue, printable

#: How far in the future a start may lie before it counts as a typo (clocks drift; people round).
FUTURE_TOLERANCE = timedelta(minutes=5)
#: The dates a diary can hold: a human life's span, and far from where date arithmetic overflows.
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
DATE_RANGE = f"from {EARLIEST} to {LATEST}"
#: The system's zone file, used when ``TZ`` names a zone the lookup cannot read.
SYSTEM_ZONE_FILE = "/etc/localtime"

_REL = re.compile(
    r"^-\s*(?:(\d+)\s*w)?\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?$"
)
#: ``3 weeks ago``, ``an hour ago``, ``2 days ago 14:00``: a count, a unit, "ago", maybe a clock.
_AGO = re.compile(
    r"^(\d+|an?)\s*(weeks?|w|days?|d|hours?|hrs?|h|minutes?|mins?|m)\s+ago(?:\s+(?:at\s+)?(.+))?$"
)
_AGO_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2}))?\s*(am|pm)?$")
#: ``10 Nov``, ``10 November 2025``, ``Nov 10``: a day and a month name, maybe a year.
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?(?:\s+(\d{4}))?$")
_MONTH_DAY = re.compile(r"^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$")
#: The clock time given to a day named without one: the middle of the day, so the episode lands
#: on that diary day whatever the hour convention (a diary day runs until 04:00).
NOON = (12, 0)
WHEN_FORMS = (
    "a time like 22:15, 'yesterday 23:30', '10 Nov 20:00', 2025-03-04, '2 days ago 14:00', "
    "'3 weeks ago', -2h or 'now'"
)
DATE_FORMS = "a date like 2025-03-04, '10 Nov', 'yesterday', 'today' or '3 days ago'"


def local_zone() -> tzinfo:
    """The machine's IANA time zone (honours ``TZ``), so DST rules are known, not just an offset.

    A ``TZ`` the zone lookup cannot read (a POSIX rule like ``CET-1CEST,M3.5.0,M10.5.0/3``, a
    misspelt name) falls back to the system zone file, then UTC, with one warning: refusing to
    log because of a shell setting would lose the entry.
    """
    import tzlocal

    try:
        return tzlocal.get_localzone()
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return _fallback_zone(os.environ.get("TZ", ""))


@lru_cache(maxsize=4)
def _fallback_zone(setting: str) -> tzinfo:
    """The system zone (else UTC) in place of an unreadable ``TZ``; warns once per setting."""
    zone = _system_zone()
    sys.stderr.write(
        f"twitch: warning: TZ={printable(setting)} is not a time zone this app can read "
        f"(use a name like Europe/Berlin); using {zone} instead\n"
    )
    return zone


def _system_zone() -> tzinfo:
    """The zone in the system's zone file, by its IANA name when the file is a link to one."""
    from zoneinfo import ZoneInfo

    real = os.path.realpath(SYSTEM_ZONE_FILE)
    name = real.split("/zoneinfo/", 1)[1] if "/zoneinfo/" in real else ""
    try:
        if name:
            return ZoneInfo(name)
        with open(SYSTEM_ZONE_FILE, "rb") as handle:
            return ZoneInfo.from_file(handle, key="the system zone")
    except (KeyError, ValueError, OSError):
        return UTC


def _within_range(moment: datetime | date, text: str, field: str) -> None:
    """Refuse dates outside ``EARLIEST``..``LATEST`` before any arithmetic can overflow."""
    day = moment.date() if isinstance(moment, datetime) else moment
    if not EARLIEST <= day <= LATEST:
        raise InvalidValue(field, text, f"a date {DATE_RANGE}")


def now_local(zone: tzinfo | None = None) -> datetime:
    """The current time in the local zone, to the second."""
    return datetime.now(zone or local_zone()).replace(microsecond=0)


def localize(naive: datetime, zone: tzinfo, *, field: str = "started_at") -> datetime:
    """Attach ``zone`` to a wall-clock time, refusing times a DST change skips or repeats."""
    earlier = naive.replace(tzinfo=zone, fold=0)
    later = naive.replace(tzinfo=zone, fold=1)
    if earlier.utcoffset() != later.utcoffset():
        # Two readings differ: either the hour repeats (fold) or it does not exist (gap).
        roundtrip = earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        shown = naive.isoformat(sep=" ", timespec="minutes")
        if roundtrip != naive:
            raise InvalidValue(
                field,
                shown,
                f"a time that exists in {zone} (clocks skip that hour; add a UTC offset)",
            )
        raise InvalidValue(
            field,
            shown,
            f"an unambiguous time in {zone} (that hour happens twice; add a UTC offset)",
        )
    return earlier


def parse_iso_datetime(text: str, zone: tzinfo, *, field: str = "started_at") -> datetime:
    """An ISO 8601 date-time; one without an offset is read as local wall-clock time."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(field, text, "an ISO date-time like 2025-03-04T22:15:00+01:00") from None
    _within_range(value, text, field)
    if value.tzinfo is None:
        value = localize(value, zone, field=field)
    return value


def parse_when(text: str, *, now: datetime, field: str = "started_at") -> datetime:
    """Turn what someone typed after ``--at`` into an aware time (``now`` carries the zone)."""
    return read_when(text, now=now, field=field)[0]


def read_when(text: str, *, now: datetime, field: str = "started_at") -> tuple[datetime, str]:
    """Like ``parse_when``, with a note for the confirmation when the time was not typed.

    A day named without a clock time (``2026-11-10``, ``yesterday``, ``10 Nov``) is taken at noon
    (``NOON``) and the note says so ("no time given: 12:00"); a past day at midnight would land on
    the diary day before. Today named alone is now. The note is '' when the time was given.
    """
    zone = now.tzinfo
    assert zone is not None, "now must be aware"
    raw = " ".join(text.strip().lower().split())
    if raw in ("", "now"):
        return now, ""
    relative = _relative(raw, text, now, field)
    if relative is not None:
        return relative, ""
    if re.match(r"^\d{4}-\d{2}-\d{2}[t ]\d", raw):  # ISO date-time, perhaps with an offset
        try:
            value = datetime.fromisoformat(text.strip())
        except ValueError:
            raise InvalidValue(field, text, WHEN_FORMS) from None
        _within_range(value, text, field)
        return (value if value.tzinfo is not None else localize(value, zone, field=field)), ""
    day, clock = _split_day_and_clock(raw, text, now, field)
    if clock:
        hour, minute, second = _clock(clock, text, field)
        naive = datetime(day.year, day.month, day.day, hour, minute, second)
        return localize(naive, zone, field=field), ""
    if day == now.date():
        return now, ""
    naive = datetime(day.year, day.month, day.day, *NOON)
    return localize(naive, zone, field=field), f"no time given: {NOON[0]:02d}:{NOON[1]:02d}"


def _count(digits: str, text: str, field: str) -> int:
    """A typed count (``a``/``an`` is 1); more digits than any date range needs is out of range."""
    if digits in ("a", "an"):
        return 1
    if len(digits) > 7:  # 10 million days is far beyond 1900–2100; int() would also choke
        raise InvalidValue(field, text, f"a time {DATE_RANGE}")
    return int(digits)


def _relative(raw: str, text: str, now: datetime, field: str) -> datetime | None:
    """``-2h``, ``-3w``, ``3 weeks ago``, ``an hour ago`` (no clock): ``now`` minus that much."""
    parts: dict[str, int] = {}
    rel = _REL.match(raw)
    if rel and any(rel.groups()):
        names = ("weeks", "days", "hours", "minutes", "seconds")
        parts = {n: _count(g, text, field) for n, g in zip(names, rel.groups(), strict=True) if g}
    else:
        ago = _AGO.match(raw)
        if not ago or ago.group(3):
            return None
        parts = {_AGO_UNITS[ago.group(2)[0]]: _count(ago.group(1), text, field)}
    try:
        moment = now.astimezone(UTC) - timedelta(**parts)
    except (OverflowError, ValueError):  # ValueError: more digits than int() accepts
        raise InvalidValue(field, text, f"a time {DATE_RANGE}") from None
    _within_range(moment, text, field)
    return moment.astimezone(now.tzinfo)


def _split_day_and_clock(raw: str, text: str, now: datetime, field: str) -> tuple[date, str]:
    """The day named at the start of ``raw`` (today when none) and the clock text after it."""
    today = now.date()
    if _CLOCK.match(raw) or raw in ("noon", "midday"):
        return today, raw
    ago = _AGO.match(raw)
    if ago:  # "2 days ago 14:00": a clock on a day counted back
        unit = ago.group(2)[0]
        if unit not in ("w", "d"):
            raise InvalidValue(field, text, WHEN_FORMS)
        days = _count(ago.group(1), text, field) * (7 if unit == "w" else 1)
        return _days_back(today, days, text, field), ago.group(3)
    for size in (4, 3, 2, 1):  # the longest run of leading words that names a day
        words = raw.split(" ")
        if len(words) < size:
            continue
        head = " ".join(words[:size])
        if size < len(words) and words[size] == "at":
            rest = " ".join(words[size + 1 :])
        else:
            rest = " ".join(words[size:])
        day = day_from_words(head, today, text, field)
        if day is not None:
            return day, rest
    raise InvalidValue(field, text, WHEN_FORMS)


def _clock(clock: str, text: str, field: str) -> tuple[int, int, int]:
    """Hours, minutes and seconds of ``22:15``, ``22.15``, ``10pm``, ``10:30am`` or ``noon``."""
    if clock in ("noon", "midday"):
        return NOON[0], NOON[1], 0
    match = _CLOCK.match(clock)
    if not match:
        raise InvalidValue(field, text, WHEN_FORMS)
    hour, minute, second = (int(g or 0) for g in match.groups()[:3])
    half = match.group(4)
    if half:
        if not 1 <= hour <= 12:
            raise InvalidValue(field, text, WHEN_FORMS)
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match.group(2) is None:  # a bare "22" is not a time anyone types on purpose
        raise InvalidValue(field, text, WHEN_FORMS)
    if hour > 23 or minute > 59 or second > 59:
        raise InvalidValue(field, text, WHEN_FORMS)
    return hour, minute, second


def _days_back(today: date, days: int, text: str, field: str) -> date:
    try:
        day = today - timedelta(days=days)
    except (OverflowError, ValueError):
        raise InvalidValue(field, text, f"a date {DATE_RANGE}") from None
    _within_range(day, text, field)
    return day


def _month(name: str) -> int | None:
    """1–12 for an English month name or its start (``nov``, ``sept``, ``november``)."""
    for number, full in enumerate(_FULL_MONTHS, start=1):
        if len(name) >= 3 and full.startswith(name):
            return number
    return None


#: Month names in English (not the locale's: the diary reads the same on every machine).
_FULL_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def day_from_words(raw: str, today: date, text: str, field: str) -> date | None:
    """The day ``raw`` names, or None when it names none.

    ``today``, ``yesterday``, ``YYYY-MM-DD``, ``3 days ago``, ``2 weeks ago``, ``-3d``/``-2w``,
    ``10 Nov``, ``Nov 10``, ``10 November 2025``. A day and month without a year is the latest
    such day that is not after today (``10 Nov`` typed on 5 November is last year's).
    """
    if raw == "today":
        return today
    if raw == "yesterday":
        return today - timedelta(days=1)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise InvalidValue(field, text, DATE_FORMS) from None
        _within_range(day, text, field)
        return day
    back = re.fullmatch(r"-\s*(\d+)\s*([dw])", raw) or re.fullmatch(
        r"(\d+|an?)\s*(weeks?|w|days?|d)\s+ago", raw
    )
    if back:
        count = _count(back.group(1), text, field)
        return _days_back(today, count * (7 if back.group(2)[0] == "w" else 1), text, field)
    named = _DAY_MONTH.match(raw)
    month_day = _MONTH_DAY.match(raw)
    if named:
        day_text, month_text, year_text = named.groups()
    elif month_day:
        month_text, day_text, year_text = month_day.groups()
    else:
        return None
    month = _month(month_text)
    if month is None:
        return None
    return _calendar_day(_count(day_text, text, field), month, year_text, today, text, field)


def _calendar_day(
    day: int, month: int, year_text: str | None, today: date, text: str, field: str
) -> date:
    """A named day and month, in ``year_text`` or else the latest year not after ``today``."""
    years = [int(year_text)] if year_text else [today.year, today.year - 1]
    for year in years:
        try:
            found = date(year, month, day)
        except ValueError:
            continue  # 29 February in a year without one: try the year before
        if year_text or found <= today:
            _within_range(found, text, field)
            return found
    raise InvalidValue(field, text, DATE_FORMS)


def parse_date(text: str, *, today: date, field: str = "date") -> date:
    """A calendar date: ``YYYY-MM-DD``, ``today``, ``yesterday``, ``10 Nov``, ``3 days ago``."""
    raw = " ".join(text.strip().lower().split())
    day = day_from_words(raw, today, text, field)
    if day is None:
        raise InvalidValue(field, text, DATE_FORMS)
    return day


def offset_minutes(value: datetime) -> int:
    """The UTC offset of an aware time in whole minutes (east positive)."""
    delta = value.utcoffset()
    assert delta is not None, "value must be aware"
    return int(delta.total_seconds() // 60)


def format_offset(minutes: int) -> str:
    """``+01:00`` style, as ISO 8601 writes offsets."""
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"
