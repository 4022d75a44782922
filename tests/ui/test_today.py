"""Pilot tests of the Today screen: log by keys, repeat and undo, the check-in, alerts, help."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input, SelectionList

from diary.tui.screens.help import HelpScreen
from diary.tui.screens.today import TodayScreen
from diary.tui.widgets.alert import AlertModal
from diary.tui.widgets.intensity import IntensityScale
from tests.ui.conftest import FROZEN_NOW, notices, settle

TODAY = date(2025, 3, 5)

pytestmark = pytest.mark.asyncio


def notifications(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(n.severity, n.message) for n in notices(app)]


def seed(app, **changes) -> None:  # type: ignore[no-untyped-def]
    """One earlier episode today, stored through the facade."""
    values = {
        "started_at": FROZEN_NOW.replace(hour=8, minute=40),
        "body_site": "eyelid",
        "side": "right",
        "intensity": 2,
        "duration_s": 5,
        "kind": "twitch",
        "symptoms": [],
        "context": ["rest"],
        "note": None,
        **changes,
    }
    app.diary.add_episode(values)


async def test_log_an_episode_by_keys(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        assert app.focused.id == "site"
        await pilot.press("c", "a", "l", "enter")  # a letter opens the list and searches
        await pilot.press("tab", "right", "right")  # side: unknown -> left -> right
        assert screen.query_one("#side").value == "right"
        await pilot.press("tab", "tab", "5")  # past kind (twitch), intensity 5 by digit
        assert screen.query_one(IntensityScale).value == 5
        await pilot.press("tab", "3", "0", "s")  # duration
        assert app.focused.id == "duration"
        await pilot.press("tab", "tab", "space")  # past "when", first symptom: weakness
        assert app.focused.id == "symptoms"
        await pilot.press("ctrl+s")
        await settle(pilot)
        episodes = app.diary.episodes_on(TODAY)
        assert len(episodes) == 1
        e = episodes[0]
        assert (e.body_site, e.side, e.kind, e.intensity, e.duration_s) == (
            "calf",
            "right",
            "twitch",
            5,
            30,
        )
        assert e.symptoms == "weakness"
        assert e.started_at == FROZEN_NOW
        assert screen.query_one("#today-list").row_count == 1
        assert "● 1 episode" in str(screen.query_one("#today-list").border_title)
        # the details are cleared for the next one, the site kept
        assert not screen.query_one("#symptoms", SelectionList).selected
        assert screen.query_one("#site").value == "calf"


async def test_repeat_last_then_undo(app) -> None:  # type: ignore[no-untyped-def]
    seed(app)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#site").value == "eyelid"  # the recent site comes first
        await pilot.press("ctrl+r")
        await settle(pilot)
        episodes = app.diary.episodes_on(TODAY)
        assert len(episodes) == 2
        new, old = episodes  # newest first
        assert new.started_at == FROZEN_NOW
        fields = ("body_site", "side", "kind", "intensity")
        assert [getattr(new, f) for f in fields] == [getattr(old, f) for f in fields]
        assert any("Repeated" in m and "ctrl+z" in m for _, m in notifications(app))
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [e.id for e in app.diary.episodes_on(TODAY)] == [old.id]
        assert app.screen.query_one("#today-list").row_count == 1


async def test_r_while_typing_is_text_not_repeat(app) -> None:  # type: ignore[no-untyped-def]
    seed(app)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one("#note", Input).focus()
        await pilot.press("r", "u", "n")
        await settle(pilot)
        assert app.screen.query_one("#note", Input).value == "run"
        assert len(app.diary.episodes_on(TODAY)) == 1


async def test_bad_duration_shows_error_and_stores_nothing(app) -> None:  # type: ignore[no-untyped-def]
    seed(app)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        duration = app.screen.query_one("#duration", Input)
        duration.focus()
        await pilot.press("a", "b", "c", "enter")
        await settle(pilot)
        assert len(app.diary.episodes_on(TODAY)) == 1  # only the seeded one
        errors = [m for s, m in notifications(app) if s == "error"]
        assert len(errors) == 1
        assert errors[0].startswith("duration must be") and "\n" not in errors[0]


async def test_check_in_is_saved_as_typed(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        # Each value arrives in one go (as a paste would): the tests save without the pause in
        # typing that the form waits for, so key by key each keystroke would be saved on its own.
        await pilot.click("#water_ml")
        app.screen.query_one("#water_ml", Input).insert_text_at_cursor("1.5l")
        await pilot.press("tab")
        app.screen.query_one("#caffeine_mg", Input).insert_text_at_cursor("2cups")
        await settle(pilot)
        day = app.diary.day(TODAY)
        assert day is not None
        assert (day.water_ml, day.caffeine_mg, day.sleep_h) == (1500, 190, None)
        assert app.screen.query_one("#checkin").border_subtitle == "saved ✓"
        # a wrong value is shown next to the field and not stored
        app.screen.query_one("#water_ml", Input).value = "lots"
        await settle(pilot)
        assert app.diary.day(TODAY).water_ml == 1500
        assert "water must be" in str(app.screen.query_one("#day-status").render())


async def test_stored_check_in_is_shown(app) -> None:  # type: ignore[no-untyped-def]
    app.diary.save_day({"date": TODAY, "water_ml": 2000, "stress": 4, "symptoms": ["pain"]})
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#water_ml", Input).value == "2000ml"
        assert app.screen.query_one("#stress", Input).value == "4"
        assert app.screen.query_one("#day-symptoms", SelectionList).selected == ["pain"]
        await settle(pilot)
        assert app.diary.day(TODAY).stress == 4  # loading did not change anything


async def test_chest_pain_opens_the_alert(app) -> None:  # type: ignore[no-untyped-def]
    seed(app)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one("#symptoms", SelectionList).select("chest_pain")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AlertModal)
        assert [a.rule for a in app.screen.alerts] == ["emergency_symptoms"]
        await pilot.press("ctrl+r")  # not a way out, and not a repeat behind the modal
        await settle(pilot)
        assert isinstance(app.screen, AlertModal)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert len(app.diary.episodes_on(TODAY)) == 2


async def test_help_opens_and_closes(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)


async def test_today_composes_at_80_by_24(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        for ident in ("#site", "#save", "#water_ml", "#today-list"):
            assert screen.query_one(ident).region.width > 0
