"""Commands that depend on the clock, run in-process with the clock frozen."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from diary import when
from tests.conftest import table_dump

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        ((2025, 3, 5, 1, 30), "2025-03-04"),
        ((2025, 3, 5, 4, 30), "2025-03-05"),
        ((2025, 3, 5, 23, 0), "2025-03-05"),
    ],
)
def test_check_in_without_a_date_is_for_the_day_just_lived(
    cli, db_path: Path, monkeypatch: pytest.MonkeyPatch, clock: tuple[int, ...], expected: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(when, "now_local", lambda zone=None: datetime(*clock, tzinfo=BERLIN))
    result = cli("day", "--sleep", "7h")
    assert result.code == 0, result.err
    assert [row[0] for row in table_dump(db_path)["day"]] == [expected]


def test_clock_times_are_today_and_refused_when_later(
    cli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        when, "now_local", lambda zone=None: datetime(2025, 3, 5, 8, 0, tzinfo=BERLIN)
    )
    assert cli("log", "calf", "--at", "07:15").code == 0
    assert table_dump(db_path)["episode"][0][1] == "2025-03-05 06:15:00.000000"
    late = cli("log", "calf", "--at", "21:00")
    assert late.code == 2 and "yesterday" in late.err


def test_episode_logged_across_dst_keeps_each_offset(
    cli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        when, "now_local", lambda zone=None: datetime(2025, 3, 31, 12, 0, tzinfo=BERLIN)
    )
    assert cli("log", "calf", "--at", "2025-03-29 22:00").code == 0
    assert cli("log", "calf", "--at", "2025-03-30 22:00").code == 0
    offsets = sorted(row[2] for row in table_dump(db_path)["episode"])
    assert offsets == [60, 120]
