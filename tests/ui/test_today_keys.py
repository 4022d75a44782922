"""Pilot tests of the keys: stray letters never write, delete or jump away from a form; writes
need ctrl; F1–F5 switch screens from anywhere (issue 10, item 7)."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Button, DataTable, SelectionList

from diary.tui.screens.today import TodayScreen
from tests.ui.conftest import FROZEN_NOW, settle

TODAY = date(2025, 3, 5)

pytestmark = pytest.mark.asyncio


def seed(app) -> str:  # type: ignore[no-untyped-def]
    episode = app.diary.add_episode(
        {
            "started_at": FROZEN_NOW.replace(hour=8),
            "body_site": "calf",
            "side": "left",
            "intensity": 3,
            "duration_s": 5,
        }
    )
    return episode.id


@pytest.mark.parametrize("target", ["#symptoms", "#save", "#kind"])
async def test_stray_letters_on_the_form_store_and_delete_nothing(app, target: str) -> None:  # type: ignore[no-untyped-def]
    ident = seed(app)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        # an episode logged in this session, so an undo would have something to delete
        app.screen.query_one("#duration").value = "10s"
        await pilot.press("5", "ctrl+s")
        await settle(pilot)
        assert len(app.diary.episodes_on(TODAY)) == 2
        app.screen.query_one(target).focus()
        await pilot.press(*"rutrhmip")
        await settle(pilot)
        assert len(app.diary.episodes_on(TODAY)) == 2
        assert ident in {e.id for e in app.diary.episodes_on(TODAY)}
        assert app.current_mode == "today"
        assert isinstance(app.screen, TodayScreen)


async def test_ctrl_keys_repeat_and_undo(app) -> None:  # type: ignore[no-untyped-def]
    seed(app)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one("#symptoms", SelectionList).focus()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert len(app.diary.episodes_on(TODAY)) == 2
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert len(app.diary.episodes_on(TODAY)) == 1


async def test_f_keys_switch_screens_from_inside_the_form(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert app.focused.id == "site"
        await pilot.press("f2")
        await settle(pilot)
        assert app.current_mode == "history"
        await pilot.press("f1")
        await settle(pilot)
        assert app.current_mode == "today"


async def test_letters_switch_screens_from_a_list(app) -> None:  # type: ignore[no-untyped-def]
    seed(app)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one("#today-list", DataTable).focus()
        await pilot.press("h")
        await settle(pilot)
        assert app.current_mode == "history"


async def test_help_names_the_keys(app) -> None:  # type: ignore[no-untyped-def]
    from diary.tui.screens.help import HelpScreen

    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one("#save", Button).focus()
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one("#help-keys").source
        for words in ("F1–F6", "ctrl+r", "ctrl+z", "Repeat", "Undo"):
            assert words in text


async def test_the_header_names_the_screens_and_takes_clicks(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        title = app.screen.query_one("HeaderTitle")
        shown = str(title.render())
        for words in ("F1 Today", "F2 History", "F3 Meds", "F4 Insights", "F5 Report", "F6 Checks"):
            assert words in shown  # all of it, at 80 columns
        await pilot.click("HeaderTitle", offset=(shown.index("F2 History") + 1, 0))
        await settle(pilot)
        assert app.current_mode == "history"
