"""Pilot-test fixtures: a frozen clock and an app on a temporary diary."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

#: The "now" of every UI test: a Wednesday evening in Berlin (winter time, +01:00).
FROZEN_NOW = datetime(2025, 3, 5, 20, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """``diary.when.now_local`` always answers ``FROZEN_NOW`` (in the zone asked for)."""
    from diary import when

    def frozen(zone=None):  # type: ignore[no-untyped-def]
        return FROZEN_NOW.astimezone(zone) if zone else FROZEN_NOW

    monkeypatch.setattr(when, "now_local", frozen)
    return FROZEN_NOW


@pytest.fixture
def app(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The app on a fresh diary in the test's temporary folder."""
    from diary.tui.app import TwitchApp

    return TwitchApp(tmp_path / "d.sqlite3")
