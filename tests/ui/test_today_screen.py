"""Pilot tests of the Today screen as a whole: it reloads when shown again, its toasts say the day
and leave the list visible, and at 80×24 every field fits and no footer is cut off (issue 10,
items 6, 13 and 14)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import DataTable, Footer, Input, Select

from diary.tui.app import AREAS
from diary.tui.screens.today import TodayScreen, day_and_time
from tests.conftest import twitch_process
from tests.ui.conftest import FROZEN_NOW, notices, settle

TODAY = date(2025, 3, 5)


def seed(app, hour: int, intensity: int) -> str:  # type: ignore[no-untyped-def]
    episode = app.diary.add_episode(
        {
            "started_at": FROZEN_NOW.replace(hour=hour),
            "body_site": "calf",
            "intensity": intensity,
            "duration_s": 5,
        }
    )
    return episode.id


async def test_today_reloads_after_a_change_made_elsewhere(app) -> None:  # type: ignore[no-untyped-def]
    gone = seed(app, 8, 2)
    kept = seed(app, 9, 3)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#today-list", DataTable)
        assert table.row_count == 2
        assert "● 2 episodes" in str(table.border_title)
        # History (or a shell) deletes one and edits the other while Today is not shown
        await pilot.press("f2")
        await settle(pilot)
        path = app.diary.path
        for args in (("delete", gone[:8], "--yes"), ("edit", kept[:8], "--intensity", "7")):
            done = twitch_process(*args, db=path)
            assert done.returncode == 0, done.stderr
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert table.row_count == 1
        assert str(table.get_row_at(0)[4]) == "7"
        assert "● 1 episode" in str(table.border_title)


def test_day_and_time_names_the_day() -> None:
    evening = FROZEN_NOW.replace(hour=23, minute=30)
    assert day_and_time(FROZEN_NOW, TODAY) == "today at 20:00"
    assert day_and_time(evening - timedelta(days=1), TODAY) == "yesterday at 23:30"
    assert day_and_time(evening - timedelta(days=3), TODAY) == "on Sun 2 Mar at 23:30"
    assert day_and_time(evening - timedelta(days=365), TODAY) == "on Tue 5 Mar 2024 at 23:30"


async def test_toast_says_yesterday_and_leaves_the_list_visible(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("c", "a", "l", "enter", "tab", "tab", "c", "5")
        screen.query_one("#duration", Input).value = "2m"
        screen.query_one("#when", Input).value = "yesterday 23:30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        (episode,) = app.diary.episodes(since=TODAY - timedelta(days=1))
        assert episode.started_at.day == 4
        messages = [n.message for n in notices(app)]
        assert any(m.startswith("Logged: cramp") and "yesterday at 23:30" in m for m in messages)
        table = screen.query_one("#today-list", DataTable).region
        toasts = list(screen.query("Toast"))
        assert toasts, "the confirmation is shown"
        for toast in toasts:
            assert not toast.region.overlaps(table)
        # more messages replace it rather than stacking up over the list
        await pilot.press("ctrl+s", "ctrl+z", "ctrl+z")
        await settle(pilot)
        assert [n.message for n in notices(app)] == ["Nothing to undo."]
        toasts = list(screen.query("Toast"))
        assert len(toasts) == 1 and not toasts[0].region.overlaps(table)


async def test_check_in_says_saved(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#stress", Input).value = "4"
        await settle(pilot)  # the check-in saves at once here (no pause in typing to wait for)
        assert app.diary.day(TODAY).stress == 4
        checkin = app.screen.query_one("#checkin")
        assert checkin.border_subtitle == "saved ✓"


async def test_every_field_of_today_fits_at_80_by_24(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        for panel in ("#episode-form", "#checkin"):
            form = screen.query_one(panel)
            assert form.max_scroll_y == 0, f"{panel} needs scrolling"
            for ident in ("#note", "#save", "#day-note"):
                for widget in form.query(ident):
                    assert form.content_region.contains_region(widget.region), ident
        # the check-in's choices show their words in full
        effort = screen.query_one("#exercise_intensity", Select)
        effort.value = "moderate"
        quality = screen.query_one("#sleep_quality", Select)
        quality.value = 5
        await pilot.pause()
        for select, shown in ((effort, "moderate"), (quality, "5 very well")):
            assert shown in str(select.query_one("SelectCurrent Static").render())
            assert select.content_region.width >= len(shown) + 2  # the words and the ▼


@pytest.mark.parametrize(("key", "mode"), [(f, mode) for mode, f, _, _ in AREAS])
async def test_no_footer_is_cut_off_at_80_columns(app, key: str, mode: str) -> None:  # type: ignore[no-untyped-def]
    seed(app, 8, 2)  # History and Meds show their row keys only with a row to act on
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert app.current_mode == mode
        footer = app.screen.query_one(Footer)
        keys = [k for k in footer.query("FooterKey") if k.display]
        assert keys, "the footer shows keys"
        for item in keys:
            assert item.region.right <= footer.region.right, f"{item.description!r} is cut off"
        assert footer.virtual_size.width <= footer.size.width


async def test_the_first_frame_shows_site_and_the_rest_follows_once(app) -> None:  # type: ignore[no-untyped-def]
    """Site alone is composed for the first frame; the other fields and the check-in are added
    right after it, once, even when Today is shown again."""
    from textual import events

    from diary.tui.widgets.checkin_form import CheckInForm
    from diary.tui.widgets.episode_form import EpisodeForm

    at_first_frame: dict[str, object] = {}

    def hook(message: object) -> None:
        if isinstance(message, events.Ready) and not at_first_frame:
            form = app.screen.query_one(EpisodeForm)
            at_first_frame["site"] = bool(form.query("#site"))
            at_first_frame["complete"] = form.complete

    async with app.run_test(size=(100, 32), message_hook=hook) as pilot:
        await settle(pilot)
        assert at_first_frame == {"site": True, "complete": False}
        for _ in range(2):
            await pilot.press("f2")
            await settle(pilot)
            await pilot.press("f1")
            await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        assert len(screen.query(CheckInForm)) == 1
        assert len(screen.query("#note")) == 1 and len(screen.query("#symptoms")) == 1
        assert screen.query_one(EpisodeForm).complete
