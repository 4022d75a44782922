"""Pilot tests of History and Medications & visits: keys in, rows and database rows out.

The clock is frozen at 2025-03-05 20:00 in Berlin so that "today" in the forms is a known date;
the diary is seeded through the same facade the app uses, before the app starts.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, SelectionList, Static

from diary.tui.app import TwitchApp
from diary.tui.data import Diary
from diary.tui.screens.episode_edit import EpisodeEditForm
from diary.tui.screens.forms import ConfirmScreen, MedicationForm, VisitForm
from tests.ui.conftest import settle

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 3, 5, 20, 0, tzinfo=BERLIN)
SIZE = (100, 40)

pytestmark = pytest.mark.asyncio


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every "now" and "today" the app asks for is 2025-03-05 20:00 in Berlin."""
    monkeypatch.setattr("diary.when.now_local", lambda zone=None: NOW)


@pytest.fixture
def diary_path(tmp_path: Path) -> Path:
    """A diary with three episodes on two sites over three days."""
    path = tmp_path / "d.sqlite3"
    diary = Diary(path)
    for day, hour, site, side, intensity in (
        (3, 8, "eyelid", "right", 2),
        (4, 17, "calf", "left", 3),
        (5, 19, "calf", "left", 4),
    ):
        diary.add_episode(
            {
                "started_at": datetime(2025, 3, day, hour, 0, tzinfo=BERLIN),
                "body_site": site,
                "side": side,
                "intensity": intensity,
                "duration_s": 30,
            }
        )
    diary.close()
    return path


async def open_area(app: TwitchApp, pilot: Pilot[None], key: str, mode: str) -> None:
    """Switch area with its key and wait for the screen to load."""
    await pilot.press(key)
    await settle(pilot)
    assert app.current_mode == mode


def rows(app: TwitchApp, selector: str) -> list[list[str]]:
    """The cells of a table on the current screen, as text."""
    table = app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def status(app: TwitchApp) -> str:
    """The status line of the current screen."""
    return str(app.screen.query_one("#hm-status", Static).render())


async def test_history_lists_episodes_newest_first(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_area(app, pilot, "f2", "history")
        shown = rows(app, "#history-table")
        assert [r[0] for r in shown] == ["2025-03-05 19:00", "2025-03-04 17:00", "2025-03-03 08:00"]
        assert shown[0][1:6] == ["calf", "left", "twitch", "4", "30 s"]
        assert "3 episodes" in status(app)


async def test_edit_changes_intensity(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_area(app, pilot, "f2", "history")
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, EpisodeEditForm)
        assert form.query_one("#f-when", Input).value == "2025-03-05 19:00"
        form.query_one("#f-intensity", Input).value = "7"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EpisodeEditForm)
        assert rows(app, "#history-table")[0][4] == "7"
        stored = app.diary.episodes()[0]
        assert stored.intensity == 7
        assert stored.started_at == datetime(2025, 3, 5, 19, 0, tzinfo=BERLIN)
        assert "Saved" in status(app)


async def test_edit_with_bad_values_stores_nothing(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_area(app, pilot, "f2", "history")
        await pilot.press("enter")  # Enter on a row opens the form too
        form = app.screen
        assert isinstance(form, EpisodeEditForm)
        form.query_one("#f-intensity", Input).value = "11"
        form.query_one("#f-when", Input).value = "2025-03-01 12:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        error = str(form.query_one("#f-error", Static).render())
        assert error.startswith("intensity must be a whole number 1–10")
        assert "\n" not in error
        stored = app.diary.episodes()[0]
        assert (stored.intensity, stored.started_at.day) == (4, 5)
        await pilot.press("escape")
        await settle(pilot)
        assert rows(app, "#history-table")[0][4] == "4"


async def test_delete_after_confirmation_and_undo(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_area(app, pilot, "f2", "history")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # declined: nothing happens
        await settle(pilot)
        assert len(app.diary.episodes()) == 3
        await pilot.press("down", "d", "y")  # the middle one
        await settle(pilot)
        assert len(app.diary.episodes()) == 2
        assert [r[0] for r in rows(app, "#history-table")] == [
            "2025-03-05 19:00",
            "2025-03-03 08:00",
        ]
        assert app.screen.query_one("#history-table", DataTable).cursor_row == 1
        assert "ctrl+z to undo" in status(app)
        await pilot.press("u")  # a stray letter changes nothing: undo is ctrl+z
        await settle(pilot)
        assert len(app.diary.episodes()) == 2
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert len(app.diary.episodes()) == 3
        assert [r[0] for r in rows(app, "#history-table")][1] == "2025-03-04 17:00"
        assert "Restored" in status(app)


async def test_filter_by_site_and_date(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_area(app, pilot, "f2", "history")
        app.screen.query_one("#filter-site", Select).value = "eyelid"
        await settle(pilot)
        assert [r[1] for r in rows(app, "#history-table")] == ["eyelid"]
        assert "1 episode" in status(app)
        app.screen.query_one("#filter-site", Select).value = "all"
        await pilot.click("#filter-since")
        await pilot.press(*"2025-03-04", "enter")
        await settle(pilot)
        assert len(rows(app, "#history-table")) == 2
        await pilot.press("ctrl+a", "backspace", *"03/04", "enter")  # not a date
        await settle(pilot)
        assert "from must be a date" in status(app)
        assert len(rows(app, "#history-table")) == 2


async def test_medication_add_stop_and_visit(tmp_path: Path) -> None:
    app = TwitchApp(tmp_path / "d.sqlite3")
    async with app.run_test(size=SIZE) as pilot:
        await open_area(app, pilot, "f3", "meds")
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, MedicationForm)
        assert form.query_one("#f-started", Input).value == "2025-03-05"
        await pilot.press("ctrl+s")  # no name yet
        await settle(pilot)
        assert "name must be non-empty text" in str(form.query_one("#f-error", Static).render())
        form.query_one("#f-name", Input).value = "magnesium"
        form.query_one("#f-drug_class", Select).value = "supplement"
        form.query_one("#f-dose", Input).value = "300 mg"
        form.query_one("#f-started", Input).value = "2025-02-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(app, "#courses") == [
            ["magnesium", "supplement", "300 mg", "2025-02-01", "ongoing"]
        ]
        await pilot.press("s", "ctrl+s")  # stop today
        await settle(pilot)
        (course,) = app.diary.medications()
        assert course.stopped_on == date(2025, 3, 5)
        assert rows(app, "#courses")[0][4] == "2025-03-05"

        await pilot.press("v")
        visit_form = app.screen
        assert isinstance(visit_form, VisitForm)
        tests = visit_form.query_one("#f-tests", SelectionList)
        tests.select("electrolytes")
        tests.select("thyroid")
        visit_form.query_one("#f-outcome", Input).value = "normal"
        await pilot.press("ctrl+s")
        await settle(pilot)
        (visit,) = app.diary.visits()
        assert (visit.date, visit.kind, visit.tests) == (
            date(2025, 3, 5),
            "gp",
            "electrolytes;thyroid",
        )
        assert rows(app, "#visits") == [["2025-03-05", "gp", "electrolytes, thyroid", "normal"]]
