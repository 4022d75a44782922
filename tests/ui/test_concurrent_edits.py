"""The TUI and the command line changing the same day or episode while the app is open.

A real ``twitch`` process writes between the moment a form loaded its values and the moment the
person saves; the form must store only what the person changed, keep what the command line stored,
and refuse (saying so) to overwrite a field the command line changed too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, SelectionList, Static

from diary.tui.app import TwitchApp
from diary.tui.data import Diary
from diary.tui.screens.episode_edit import EpisodeEditForm
from tests.conftest import twitch_process
from tests.ui.conftest import notices, record_notices, settle

TODAY = date(2025, 3, 5)
BERLIN = ZoneInfo("Europe/Berlin")
SIZE = (100, 40)

pytestmark = pytest.mark.asyncio


async def wait_until(app: TwitchApp, pilot: Pilot[None], done: Callable[[], bool]) -> None:
    """Wait (on the app's own clock, in small steps) until ``done()``; fail after 15 s."""
    for _ in range(300):
        await settle(pilot)
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("the condition never became true")


def stored_day(path: Path) -> dict[str, object] | None:
    """The day's row as a second connection reads it (not through the app)."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        row = conn.execute("SELECT * FROM day WHERE date = ?", (TODAY.isoformat(),)).fetchone()
    finally:
        conn.close()
    return dict(row) if row else None


def stored_episode(path: Path, ident: str) -> dict[str, object]:
    """One episode's row as a second connection reads it."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT * FROM episode WHERE id = ?", (ident,)).fetchone())
    finally:
        conn.close()


def twitch(path: Path, *args: str) -> None:
    """Run ``twitch`` as its own process against the app's diary; it must succeed."""
    done = twitch_process(*args, db=path)
    assert done.returncode == 0, done.stderr


# --- the check-in form (Today) -----------------------------------------------------------------


async def test_check_in_keeps_what_the_cli_stored_meanwhile(app) -> None:  # type: ignore[no-untyped-def]
    path = app.diary.path
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        twitch(
            path, "day", TODAY.isoformat(), "--caffeine", "200mg", "--stress", "6", "--note", "x"
        )
        assert stored_day(path)["caffeine_mg"] == 200  # the CLI's check-in is in
        await pilot.click("#water_ml")
        await pilot.press(*"1.5l")
        await wait_until(app, pilot, lambda: stored_day(path)["water_ml"] == 1500)
        day = stored_day(path)
        assert (day["water_ml"], day["caffeine_mg"], day["stress"], day["note"]) == (
            1500,
            200,
            6,
            "x",
        )
        form = app.screen.query_one("#checkin")
        assert form.border_subtitle == "saved ✓"
        # the fields the person did not touch now show what is stored
        assert app.screen.query_one("#caffeine_mg", Input).value == "200mg"
        assert app.screen.query_one("#day-note", Input).value == "x"
        # ... and showing them saved nothing more
        await settle(pilot)
        assert stored_day(path) == day


async def test_cleared_field_is_stored_as_unknown_others_kept(app) -> None:  # type: ignore[no-untyped-def]
    path = app.diary.path
    app.diary.save_day({"date": TODAY, "water_ml": 2000, "sleep_h": 7, "symptoms": ["pain"]})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#water_ml", Input).value == "2000ml"
        twitch(path, "day", TODAY.isoformat(), "--stress", "6", "--symptom", "tingling")
        assert stored_day(path)["stress"] == 6
        app.screen.query_one("#water_ml", Input).value = ""  # cleared: unknown now
        app.screen.query_one("#day-symptoms", SelectionList).select("muscle_loss")
        await wait_until(app, pilot, lambda: stored_day(path)["water_ml"] is None)
        day = stored_day(path)
        assert day["sleep_h"] == 7  # untouched, kept
        assert day["stress"] == 6  # the CLI's, kept
        assert day["symptoms"] == "tingling;pain;muscle_loss"  # added to both
        # unselecting removes only that symptom
        app.screen.query_one("#day-symptoms", SelectionList).deselect("pain")
        await wait_until(app, pilot, lambda: stored_day(path)["symptoms"] == "tingling;muscle_loss")
        assert stored_day(path)["stress"] == 6


# --- the edit dialog (History) -----------------------------------------------------------------


@pytest.fixture
def diary_path(tmp_path: Path) -> Path:
    """A diary with one episode: 2025-03-05 19:00, calf, left, intensity 4."""
    path = tmp_path / "d.sqlite3"
    diary = Diary(path)
    diary.add_episode(
        {
            "started_at": datetime(2025, 3, 5, 19, 0, tzinfo=BERLIN),
            "body_site": "calf",
            "side": "left",
            "intensity": 4,
            "duration_s": 30,
            "note": "before",
        }
    )
    diary.close()
    return path


async def open_edit(app: TwitchApp, pilot: Pilot[None]) -> EpisodeEditForm:
    await pilot.press("f2")  # History (letters act only outside forms)
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(app.screen, EpisodeEditForm)
    return app.screen


async def test_edit_keeps_a_cli_edit_of_another_field(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_edit(app, pilot)
        ident = form.record.id
        twitch(diary_path, "edit", ident[:8], "--intensity", "7")
        assert stored_episode(diary_path, ident)["intensity"] == 7
        form.query_one("#f-note", Input).value = "after"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EpisodeEditForm)
        row = stored_episode(diary_path, ident)
        assert (row["intensity"], row["note"]) == (7, "after")


async def test_edit_of_a_field_changed_meanwhile_is_refused(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_edit(app, pilot)
        ident = form.record.id
        twitch(diary_path, "edit", ident[:8], "--intensity", "7")
        before = stored_episode(diary_path, ident)
        assert before["intensity"] == 7
        form.query_one("#f-intensity", Input).value = "5"
        form.query_one("#f-note", Input).value = "after"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert stored_episode(diary_path, ident) == before  # nothing overwritten, nothing saved
        assert app.screen is form  # still open, showing what is stored now
        assert form.query_one("#f-intensity", Input).value == "7"
        assert form.query_one("#f-note", Input).value == "after"  # the person's other change
        (conflict,) = [n.message for n in notices(app) if "changed elsewhere" in n.message]
        assert "intensity" in conflict and "\n" not in conflict
        assert "changed elsewhere" in str(form.query_one("#f-error", Static).render())
        # saving again now stores the other change against the fresh values
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EpisodeEditForm)
        row = stored_episode(diary_path, ident)
        assert (row["intensity"], row["note"]) == (7, "after")
        table = app.screen.query_one("#history-table", DataTable)
        assert str(table.get_row_at(0)[4]) == "7"  # the row shows what is stored
