"""Pilot tests of History's detail pane, note search, unknown values and reloading (issue 10).

History must show what the person wrote (context and note) for the highlighted row, find an
episode by the words of its note, show an unknown intensity, duration or side as "—", and show
episodes written elsewhere (another program, another screen) as soon as it becomes active again.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from diary.db.models import Episode
from diary.tui.app import TwitchApp
from diary.tui.data import Diary
from diary.tui.screens.history import HistoryScreen, episode_detail, episode_row
from tests.conftest import twitch_process
from tests.ui.conftest import settle

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 3, 5, 20, 0, tzinfo=BERLIN)
SMALL = (80, 24)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every "now" and "today" the app asks for is 2025-03-05 20:00 in Berlin."""
    monkeypatch.setattr("diary.when.now_local", lambda zone=None: NOW)


@pytest.fixture
def diary_path(tmp_path: Path) -> Path:
    """Three episodes: one with context and a note, one with another note, one with neither."""
    path = tmp_path / "d.sqlite3"
    diary = Diary(path)
    for day, hour, site, context, note in (
        (3, 8, "eyelid", "", None),
        (4, 17, "calf", "after_exercise;rest", "After a long RUN by the river"),
        (5, 19, "thigh", "during_sleep", "woke me at night"),
    ):
        diary.add_episode(
            {
                "started_at": datetime(2025, 3, day, hour, 0, tzinfo=BERLIN),
                "body_site": site,
                "side": "left",
                "intensity": 4,
                "duration_s": 30,
                "context": context,
                "note": note,
            }
        )
    diary.close()
    return path


async def open_history(app: TwitchApp, pilot: Pilot[None]) -> HistoryScreen:
    """Switch to History and wait for its table."""
    app.switch_mode("history")
    await settle(pilot)
    assert isinstance(app.screen, HistoryScreen)
    return app.screen


def sites(app: TwitchApp) -> list[str]:
    """The Site column of History's table, top to bottom."""
    table = app.screen.query_one("#history-table", DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


def detail(app: TwitchApp) -> str:
    """The text of the detail pane."""
    return str(app.screen.query_one("#history-detail", Static).render())


def status(app: TwitchApp) -> str:
    """The status line under the table."""
    return str(app.screen.query_one("#hm-status", Static).render())


async def test_detail_pane_follows_the_highlighted_row(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=SMALL) as pilot:
        await open_history(app, pilot)
        assert sites(app) == ["thigh", "calf", "eyelid"]
        shown = detail(app)
        assert "woke me at night" in shown
        assert "during sleep" in shown  # context, in words
        await pilot.press("down")
        await pilot.pause()
        shown = detail(app)
        assert "After a long RUN by the river" in shown
        assert "after exercise" in shown and "context: rest" in shown
        assert "woke me" not in shown
        await pilot.press("down")
        await pilot.pause()
        assert "Note: —" in detail(app)  # no note: said so, not left blank
        # the pane and the status line are on screen at 80×24, above the footer
        pane = app.screen.query_one("#history-detail", Static)
        assert pane.region.height >= 3
        assert pane.region.bottom <= app.screen.query_one("#hm-status").region.y


async def test_search_box_finds_note_text(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=SMALL) as pilot:
        await open_history(app, pilot)
        await pilot.press("slash")  # to the search box
        search = app.screen.query_one("#filter-text", Input)
        assert search.has_focus
        await pilot.press(*"long run")  # case does not matter
        await settle(pilot)
        assert sites(app) == ["calf"]
        assert "1 episode" in status(app) and "long run" in status(app)
        assert "After a long RUN" in detail(app)
        search.value = "during sleep"  # context words are found too
        await settle(pilot)
        assert sites(app) == ["thigh"]
        search.value = "nothing like this"
        await settle(pilot)
        assert sites(app) == []
        assert "0 episodes" in status(app)
        search.value = ""
        await settle(pilot)
        assert sites(app) == ["thigh", "calf", "eyelid"]


def unknown_episode() -> Episode:
    """An episode whose intensity, duration and side were never given."""
    return Episode(
        id="00000000-0000-4000-8000-000000000001",
        started_at_utc=datetime(2025, 3, 5, 18, 0),
        utc_offset_min=60,
        body_site="calf",
        side=None,
        intensity=None,  # type: ignore[arg-type]  # nullable since issue 10
        duration_s=None,  # type: ignore[arg-type]
        kind="twitch",
        symptoms="",
        context="",
        note=None,
        created_at=datetime(2025, 3, 5, 18, 0),
    )


def test_unknown_values_are_a_dash_in_the_row_and_the_detail() -> None:
    row = episode_row(unknown_episode())
    assert row[2:6] == ("—", "twitch", "—", "—")
    text = episode_detail(unknown_episode())
    assert "None" not in text and " 0 s" not in text
    assert "side —" in text and "Intensity —" in text and "duration —" in text


async def test_unknown_values_stored_show_as_a_dash(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    diary = Diary(path)
    diary.add_episode(
        {
            "started_at": datetime(2025, 3, 5, 19, 0, tzinfo=BERLIN),
            "body_site": "calf",
            "side": None,
            "intensity": None,
            "duration_s": None,
        }
    )
    diary.close()
    app = TwitchApp(path)
    async with app.run_test(size=SMALL) as pilot:
        await open_history(app, pilot)
        table = app.screen.query_one("#history-table", DataTable)
        assert [str(c) for c in table.get_row_at(0)][2:6] == ["—", "twitch", "—", "—"]
        assert "None" not in detail(app) and "Intensity —" in detail(app)


async def test_history_shows_an_episode_logged_by_another_program(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=SMALL) as pilot:
        await open_history(app, pilot)
        assert len(sites(app)) == 3
        done = twitch_process(
            "log", "hand", "--at", "2025-03-05 19:30", "--note", "typed at the shell", db=diary_path
        )
        assert done.returncode == 0, done.stderr
        app.switch_mode("today")
        await settle(pilot)
        await open_history(app, pilot)
        assert sites(app) == ["hand", "thigh", "calf", "eyelid"]
        assert "woke me at night" in detail(app)  # the cursor stayed on the row it was on
        await pilot.press("up")
        await pilot.pause()
        assert "typed at the shell" in detail(app)


async def test_a_note_is_shown_as_written_not_as_markup(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    diary = Diary(path)
    note = "[bold red]left[/] calf, like [link=x]this[/link]"
    diary.add_episode(
        {
            "started_at": datetime(2025, 3, 5, 19, 0, tzinfo=BERLIN),
            "body_site": "calf",
            "note": note,
        }
    )
    diary.close()
    app = TwitchApp(path)
    async with app.run_test(size=SMALL) as pilot:
        await open_history(app, pilot)
        assert f"Note: {note}" in detail(app)
