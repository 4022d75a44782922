"""Pilot-test fixtures: a frozen clock and an app on a temporary diary."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.worker import WorkerCancelled

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


async def wait_for_workers(app) -> None:  # type: ignore[no-untyped-def]
    """Wait for the app's workers to finish.

    ``wait_for_complete`` raises ``WorkerCancelled`` when an exclusive worker it waits on is
    replaced by a newer one (a reload started while another was running): that is normal
    operation, so wait again for the ones still running.
    """
    for _ in range(100):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            await asyncio.sleep(0)  # let the manager drop the cancelled worker
            continue
        return
    raise AssertionError("workers kept being cancelled")
