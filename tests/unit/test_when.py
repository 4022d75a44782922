"""Reading times people type, and refusing wall-clock times a DST change skips or repeats."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
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


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("-3w", NOW - timedelta(weeks=3)),
        ("3 weeks ago", NOW - timedelta(weeks=3)),
        ("2 days ago", NOW - timedelta(days=2)),
        ("an hour ago", NOW - timedelta(hours=1)),
        ("2 days ago 14:00", datetime(2025, 3, 2, 14, 0, tzinfo=BERLIN)),
        ("2 days ago at 2pm", datetime(2025, 3, 2, 14, 0, tzinfo=BERLIN)),
        ("yesterday at 23:30", datetime(2025, 3, 3, 23, 30, tzinfo=BERLIN)),
        ("yesterday noon", datetime(2025, 3, 3, 12, 0, tzinfo=BERLIN)),
        ("10 Nov 20:00", datetime(2024, 11, 10, 20, 0, tzinfo=BERLIN)),  # the last 10 Nov
        ("Nov 10 20:00", datetime(2024, 11, 10, 20, 0, tzinfo=BERLIN)),
        ("1 March 2025 21:10", datetime(2025, 3, 1, 21, 10, tzinfo=BERLIN)),
        ("1 mar 9.30pm", datetime(2025, 3, 1, 21, 30, tzinfo=BERLIN)),
        ("2025-03-01 21:10:00+01:00", datetime(2025, 3, 1, 21, 10, tzinfo=BERLIN)),
    ],
)
def test_forms_people_type(typed: str, expected: datetime) -> None:
    assert when.read_when(typed, now=NOW) == (expected, "")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2025-03-01", datetime(2025, 3, 1, 12, 0, tzinfo=BERLIN)),
        ("yesterday", datetime(2025, 3, 3, 12, 0, tzinfo=BERLIN)),
        ("10 Nov", datetime(2024, 11, 10, 12, 0, tzinfo=BERLIN)),
    ],
)
def test_a_day_without_a_time_is_noon_and_says_so(typed: str, expected: datetime) -> None:
    """Midnight would put the episode on the diary day before (a diary day ends at 04:00)."""
    assert when.read_when(typed, now=NOW) == (expected, "no time given: 12:00")
    assert when.parse_when(typed, now=NOW) == expected


def test_today_without_a_time_is_now() -> None:
    assert when.read_when("today", now=NOW) == (NOW, "")
    assert when.read_when("2025-03-04", now=NOW) == (NOW, "")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3 days ago", date(2025, 3, 1)),
        ("-2w", date(2025, 2, 18)),
        ("a week ago", date(2025, 2, 25)),
        ("10 Nov", date(2024, 11, 10)),
        ("4 March", date(2025, 3, 4)),
        ("5 March", date(2024, 3, 5)),  # not yet this year: the last one
        ("29 Feb", date(2024, 2, 29)),
    ],
)
def test_dates_people_type(typed: str, expected: date) -> None:
    assert when.parse_date(typed, today=NOW.date()) == expected


def test_the_field_is_named_as_typed() -> None:
    with pytest.raises(InvalidValue, match="^--at must be a time like 22:15"):
        when.parse_when("half past ten", now=NOW, field="--at")


def test_explicit_offset_is_kept() -> None:
    moment = when.parse_when("2025-03-01T21:10:00-05:00", now=NOW)
    assert moment.utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize(
    "typed",
    [
        "tomorrow",
        "25:00",
        "yesterday lunch",
        "12:61",
        "2025-13-01 10:00",
        "-",
        "22",
        "3 hours ago 9:00",
    ],
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


@pytest.mark.parametrize(
    "typed",
    [
        "-9999999999h",
        "-99999999d",
        "-" + "9" * 5000 + "s",  # more digits than int() accepts
        "0001-01-01 00:00",
        "1899-12-31 23:59",
        "2101-01-01T00:00:00+00:00",
        "9999-12-31T23:59:59+14:00",
    ],
)
def test_times_outside_1900_to_2100_are_refused_with_the_range(typed: str) -> None:
    with pytest.raises(InvalidValue, match="from 1900-01-01 to 2100-12-31"):
        when.parse_when(typed, now=NOW)


def test_dates_outside_1900_to_2100_are_refused_with_the_range() -> None:
    today = NOW.date()
    for typed in ("0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"):
        with pytest.raises(InvalidValue, match="^as_of must be a date from 1900-01-01 to 2100"):
            when.parse_date(typed, today=today, field="as_of")
    assert str(when.parse_date("1900-01-01", today=today)) == "1900-01-01"
    assert str(when.parse_date("2100-12-31", today=today)) == "2100-12-31"
    with pytest.raises(InvalidValue, match="from 1900-01-01 to 2100-12-31"):
        when.parse_iso_datetime("0001-01-01T00:00:00", BERLIN)


@pytest.fixture
def unreadable_tz(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``TZ`` set to a POSIX rule tzlocal cannot read, with no cached zone to hide it."""
    import tzlocal.unix

    monkeypatch.setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")
    monkeypatch.setattr(tzlocal.unix, "_cache_tz", None)
    when._fallback_zone.cache_clear()
    yield
    when._fallback_zone.cache_clear()


def test_unreadable_tz_falls_back_to_the_system_zone_file_warning_once(
    unreadable_tz: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(when, "SYSTEM_ZONE_FILE", "/usr/share/zoneinfo/Asia/Tokyo")
    if not Path(when.SYSTEM_ZONE_FILE).exists():
        pytest.skip("no system zoneinfo")
    assert str(when.local_zone()) == "Asia/Tokyo"
    assert str(when.local_zone()) == "Asia/Tokyo"
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "twitch: warning: TZ=CET-1CEST,M3.5.0,M10.5.0/3 is not a time zone this app can read "
        "(use a name like Europe/Berlin); using Asia/Tokyo instead"
    ]


def test_without_a_system_zone_file_the_fallback_is_utc(
    unreadable_tz: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(when, "SYSTEM_ZONE_FILE", str(tmp_path / "no-localtime"))
    assert when.local_zone().utcoffset(None) == timedelta(0)
    assert when.now_local().utcoffset() == timedelta(0)
