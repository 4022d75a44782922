"""Pilot tests of the Today form: unknown is never a default, the form resets after a save, and
the side choice names what is chosen (issue 10, items 1, 2 and 12)."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable, Input, SelectionList

from diary.tui.screens.today import TodayScreen
from diary.tui.widgets.alert import AlertModal
from diary.tui.widgets.choice import WordChoice
from diary.tui.widgets.intensity import IntensityScale
from tests.ui.conftest import notices, settle

TODAY = date(2025, 3, 5)

pytestmark = pytest.mark.asyncio


def notifications(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in notices(app)]


async def test_fields_left_alone_are_stored_as_unknown(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.query_one(IntensityScale).value is None  # starts unselected
        assert screen.query_one("#side", WordChoice).value is None
        duration = screen.query_one("#duration", Input)
        assert duration.value == ""
        assert "unknown" in duration.placeholder  # the hint says nothing is assumed
        await pilot.press("c", "a", "l", "enter")  # the site, and nothing else
        await pilot.press("ctrl+s")
        await settle(pilot)
        (episode,) = app.diary.episodes_on(TODAY)
        assert episode.body_site == "calf"
        assert (episode.intensity, episode.duration_s, episode.side) == (None, None, None)
        row = screen.query_one("#today-list", DataTable).get_row_at(0)
        assert [str(cell) for cell in row[2:6]] == ["—", "twitch", "—", "—"]


async def test_after_a_save_only_the_site_is_kept(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("c", "a", "l", "enter")
        await pilot.press("tab", "l", "tab", "c", "tab", "7")  # left, cramp, intensity 7
        screen.query_one("#duration", Input).value = "12m"
        screen.query_one("#symptoms", SelectionList).select("pain")
        screen.query_one("#context", SelectionList).select("rest")
        screen.query_one("#note", Input).value = "woke me"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AlertModal)  # a 12-minute cramp: urgent guidance
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        (first,) = app.diary.episodes_on(TODAY)
        assert (first.kind, first.duration_s, first.intensity) == ("cramp", 720, 7)
        # everything but the site is back to unknown (kind to twitch), focus on Site
        assert screen.query_one("#site").value == "calf"
        assert screen.query_one("#side", WordChoice).value is None
        assert screen.query_one("#kind", WordChoice).value == "twitch"
        assert screen.query_one(IntensityScale).value is None
        assert screen.query_one("#duration", Input).value == ""
        assert screen.query_one("#when", Input).value == "now"
        assert screen.query_one("#symptoms", SelectionList).selected == []
        assert screen.query_one("#context", SelectionList).selected == []
        assert screen.query_one("#note", Input).value == ""
        assert app.focused is screen.query_one("#site")
        # a second ctrl+s stores nothing more and raises no alert again
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert [e.id for e in app.diary.episodes_on(TODAY)] == [first.id]
        assert any(m.startswith("Already saved") for m in notifications(app))
        # any change makes it a new episode again
        await pilot.press("tab", "r", "ctrl+s")
        await settle(pilot)
        (second,) = [e for e in app.diary.episodes_on(TODAY) if e.id != first.id]
        assert (second.side, second.kind, second.duration_s) == ("right", "twitch", None)


async def test_side_names_the_choice_and_arrows_stop_at_the_ends(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        side = app.screen.query_one("#side", WordChoice)
        side.focus()
        await pilot.press("left")  # already at "unknown": stays there, no wrap to midline
        assert side.value is None
        assert "[unknown]" in side.render().plain
        await pilot.press("right", "right")
        assert side.value == "right"
        assert "[right]" in side.render().plain and "[unknown]" not in side.render().plain
        await pilot.press("right", "right", "right", "right")  # past the end: stays on midline
        assert side.value == "midline"
        await pilot.press("delete")
        assert side.value is None
        # the whole row is on screen at 80 columns, "midline" included
        assert side.render().plain.rstrip().endswith("midline")
        assert side.content_region.width >= len(side.render().plain.rstrip())


async def test_intensity_arrows_stop_at_unknown_and_ten(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        scale = app.screen.query_one(IntensityScale)
        scale.focus()
        await pilot.press("left")
        assert scale.value is None
        await pilot.press("right")
        assert scale.value == 1
        await pilot.press("0")  # the form's digit keys: 0 = 10
        await pilot.press("right")
        assert scale.value == 10
        await pilot.press("backspace")
        assert scale.value is None
