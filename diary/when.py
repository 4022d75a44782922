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

_REL = re.compile(r"^-\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
WHEN_FORMS = "an ISO date-time, HH:MM, 'yesterday HH:MM', 'now' or a relative time like -2h or -30m"


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
    zone = now.tzinfo
    assert zone is not None, "now must be aware"
    raw = text.strip().lower()
    if raw in ("", "now"):
        return now
    rel = _REL.match(raw)
    if rel and any(rel.groups()):
        try:
            d, h, m, s = (int(g or 0) for g in rel.groups())
            moment = now.astimezone(UTC) - timedelta(days=d, hours=h, minutes=m, seconds=s)
        except (OverflowError, ValueError):  # ValueError: more digits than int() accepts
            raise InvalidValue(field, text, f"a time {DATE_RANGE}") from None
        _within_range(moment, text, field)
        return moment.astimezone(zone)
    day = now.date()
    clock = raw
    for word, offset in (("yesterday", 1), ("today", 0)):
        if raw.startswith(word):
            day = now.date() - timedelta(days=offset)
            clock = raw[len(word) :].strip()
            break
    match = _CLOCK.match(clock)
    if match:
        hour, minute, second = (int(g or 0) for g in match.groups())
        if hour > 23 or minute > 59 or second > 59:
            raise InvalidValue(field, text, WHEN_FORMS)
        naive = datetime(day.year, day.month, day.day, hour, minute, second)
        return localize(naive, zone, field=field)
    if clock != raw:  # "yesterday" followed by something that is not a clock time
        raise InvalidValue(field, text, WHEN_FORMS)
    if re.match(r"^\d{4}-\d{2}-\d{2}", raw):
        try:
            value = datetime.fromisoformat(text.strip())
        except ValueError:
            raise InvalidValue(field, text, WHEN_FORMS) from None
        _within_range(value, text, field)
        return value if value.tzinfo is not None else localize(value, zone, field=field)
    raise InvalidValue(field, text, WHEN_FORMS)


def parse_date(text: str, *, today: date, field: str = "date") -> date:
    """A calendar date: ``YYYY-MM-DD``, ``today`` or ``yesterday``."""
    raw = text.strip().lower()
    if raw == "today":
        return today
    if raw == "yesterday":
        return today - timedelta(days=1)
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise ValueError(raw)
        value = date.fromisoformat(raw)
    except ValueError:
        raise InvalidValue(field, text, "a date like 2025-03-04, 'today' or 'yesterday'") from None
    _within_range(value, text, field)
    return value


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
