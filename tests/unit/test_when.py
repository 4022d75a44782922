"""Reading times people type, and refusing wall-clock times a DST change skips or repeats."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from diary import when
from diary.errors import InvalidValue

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 3, 4, 10, 0, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("now", NOW),
        ("", NOW),
        ("08:30", datetime(2025, 3, 4, 8, 30, tzinfo=BERLIN)),
        ("yesterday 22:30", datetime(2025, 3, 3, 22, 30, tzinfo=BERLIN)),
        ("today 07:05", datetime(2025, 3, 4, 7, 5, tzinfo=BERLIN)),
        ("-2h", NOW - timedelta(hours=2)),
        ("-1h30m", NOW - timedelta(minutes=90)),
        ("-45m", NOW - timedelta(minutes=45)),
        ("-1d", NOW - timedelta(days=1)),
        ("2025-03-01 21:10", datetime(2025, 3, 1, 21, 10, tzinfo=BERLIN)),
        ("2025-03-01T21:10:05", datetime(2025, 3, 1, 21, 10, 5, tzinfo=BERLIN)),
    ],
)
def test_forms_of_when(typed: str, expected: datetime) -> None:
    assert when.parse_when(typed, now=NOW) == expected


def test_explicit_offset_is_kept() -> None:
    moment = when.parse_when("2025-03-01T21:10:00-05:00", now=NOW)
    assert moment.utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize(
    "typed", ["tomorrow", "25:00", "yesterday noon", "12:61", "2025-13-01 10:00", "-"]
)
def test_unreadable_times(typed: str) -> None:
    with pytest.raises(InvalidValue, match="^started_at must be"):
        when.parse_when(typed, now=NOW)


def test_time_skipped_by_dst_is_refused() -> None:
    with pytest.raises(InvalidValue, match="clocks skip that hour"):
        when.localize(datetime(2025, 3, 30, 2, 30), BERLIN)


def test_time_repeated_by_dst_is_refused() -> None:
    with pytest.raises(InvalidValue, match="happens twice"):
        when.localize(datetime(2025, 10, 26, 2, 30), BERLIN)


def test_offset_follows_dst() -> None:
    winter = when.localize(datetime(2025, 3, 29, 12, 0), BERLIN)
    summer = when.localize(datetime(2025, 3, 31, 12, 0), BERLIN)
    assert when.offset_minutes(winter) == 60
    assert when.offset_minutes(summer) == 120
    assert when.format_offset(-330) == "-05:30"


def test_dates() -> None:
    today = NOW.date()
    assert when.parse_date("today", today=today) == today
    assert when.parse_date("yesterday", today=today) == today - timedelta(days=1)
    assert str(when.parse_date("2025-02-28", today=today)) == "2025-02-28"
    with pytest.raises(InvalidValue, match="^date must be"):
        when.parse_date("2025-02-30", today=today)
    with pytest.raises(InvalidValue, match="^date must be"):
        when.parse_date("28/02/2025", today=today)
