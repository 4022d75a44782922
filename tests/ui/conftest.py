"""Pilot-test fixtures: a frozen clock, no waiting on timers, and an app on a temporary diary."""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.app import App
from textual.pilot import Pilot
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


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check-in saves at once instead of after a pause in typing, and the app does not start
    the Insights analysis by itself (the tests that look at it turn it back on)."""
    from diary.tui.app import TwitchApp
    from diary.tui.widgets.checkin_form import CheckInForm

    monkeypatch.setattr(CheckInForm, "SAVE_DELAY", 0)
    monkeypatch.setattr(TwitchApp, "ANALYSE_EARLY", False)


@dataclass(frozen=True)
class Notice:
    """One notification the app showed."""

    severity: str
    message: str
    title: str


_RECORDED: weakref.WeakKeyDictionary[App[object], list[Notice]] = weakref.WeakKeyDictionary()


def record_notices(app: App[object]) -> list[Notice]:
    """Record what ``app`` tells the person in toasts, oldest first, as its public ``notify`` and
    ``clear_notifications`` say it (a clear empties the record as it removes the toasts). Call it
    before the app runs; ``notices(app)`` reads the record."""
    shown: list[Notice] = []
    _RECORDED[app] = shown
    notify, clear = app.notify, app.clear_notifications

    def recording_notify(message, *, title="", severity="information", **kwargs):  # type: ignore[no-untyped-def]
        shown.append(Notice(severity, message, title))
        notify(message, title=title, severity=severity, **kwargs)

    def recording_clear() -> None:
        shown.clear()
        clear()

    app.notify = recording_notify  # type: ignore[method-assign]
    app.clear_notifications = recording_clear  # type: ignore[method-assign]
    return shown


def notices(app: App[object]) -> list[Notice]:
    """The notifications recorded for ``app`` (see ``record_notices``)."""
    return _RECORDED[app]


@pytest.fixture
def app(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The app on a fresh diary in the test's temporary folder."""
    from diary.tui.app import TwitchApp

    app = TwitchApp(tmp_path / "d.sqlite3")
    record_notices(app)
    return app


async def settle(pilot: Pilot[object]) -> None:
    """Let the app's workers finish and the messages they post be handled, until it is quiet.

    A finished worker's message may start another worker (a save, then a reload): so wait for the
    workers, let the screen handle what they posted (``pilot.pause``), and go round again only
    while that started more. Most calls take one round, where a fixed number of rounds paid for
    every one of them each time.
    """
    app = pilot.app
    for _ in range(20):
        await wait_for_workers(app)
        await pilot.pause()
        if all(worker.is_finished for worker in app.workers):
            return
    raise AssertionError("the app kept starting workers")


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
