"""Pilot tests of the Checks area (F6): the weekly signs, the strength form, the timed count, the
recent checks with delete, and Today's offer of the weekly check.

The clock is frozen at Wednesday 2025-03-05 20:00 in Berlin (see ``conftest.py``). What was stored
is read back with plain ``sqlite3``, so "not asked" is seen as the NULL it is, not as a model's
None. The countdown runs on a hand-wound clock (``CountPad.clock``): the test moves the time on,
so a 60-second count takes a moment and stores 60 s, as a real one would.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Digits, Input, Static, TabbedContent

from diary.tui.app import TwitchApp
from diary.tui.data import Diary
from diary.tui.screens.checks import ChecksScreen
from diary.tui.screens.forms import ConfirmScreen
from diary.tui.screens.today import WEEKLY_OFFER
from diary.tui.widgets.alert import AlertModal
from diary.tui.widgets.choice import WordChoice
from diary.tui.widgets.count_pad import CountPad
from diary.tui.widgets.site_select import SiteSelect
from diary.tui.widgets.today_list import TodayList
from diary.vocab import SIGNS
from tests.ui.conftest import FROZEN_NOW, settle

SIZE = (100, 32)


async def open_checks(app: TwitchApp, pilot: Pilot[None], tab: str = "signs") -> ChecksScreen:
    await pilot.press("f6")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ChecksScreen)
    screen.query_one(TabbedContent).active = f"tab-{tab}"
    await pilot.pause()
    return screen


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def text(app: TwitchApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def type_into(pilot: Pilot[None], field: Input, typed: str) -> None:
    field.focus()
    await pilot.pause()
    await pilot.press(*typed)


# --- the weekly signs ---------------------------------------------------------------------------


async def test_signs_keep_yes_no_and_not_asked_apart(app: TwitchApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_checks(app, pilot)
        assert app.focused is not None and app.focused.id == "sign-weakness"
        # weakness no, clumsiness yes, tripping skipped (not asked), slurred speech no
        await pilot.press("n", "y", "tab", "n")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Weekly check saved: 3 asked (8 not asked), yes: clumsiness" in text(
            app, "#signs-status"
        )
        # the form is ready for next week: every question back to not asked, from the first
        assert all(app.screen.query_one(f"#sign-{s}", WordChoice).value is None for s in SIGNS)
        assert app.focused is not None and app.focused.id == "sign-weakness"
        # the recent checks list it (and no longer say there are none)
        app.screen.query_one(TabbedContent).active = "tab-recent"
        await pilot.pause()
        assert listed(app) == [
            ["2025-03-05", "weekly signs", "3 asked (8 not asked), yes: clumsiness"]
        ]
        assert text(app, "#recent-status") == ""
    stored = rows(tmp_path / "d.sqlite3", f"SELECT date, {', '.join(SIGNS)} FROM sign_check")
    assert stored == [("2025-03-05", 0, 1, None, 0, *[None] * 7)]


async def test_no_to_all_answers_the_rest_and_keeps_a_yes(app: TwitchApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_checks(app, pilot)
        await pilot.press("tab", "y")  # clumsiness yes
        await pilot.press("ctrl+n", "ctrl+s")
        await settle(pilot)
    (stored,) = rows(tmp_path / "d.sqlite3", f"SELECT {', '.join(SIGNS)} FROM sign_check")
    assert stored == (0, 1, *[0] * 9)


async def test_a_check_with_nothing_answered_is_refused(app: TwitchApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_checks(app, pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Answer at least one question" in text(app, "#signs-status")
        assert "not saved" in text(app, "#signs-status")
    assert rows(tmp_path / "d.sqlite3", "SELECT count(*) FROM sign_check") == [(0,)]


async def test_a_future_date_shows_beside_the_date_and_stores_nothing(
    app: TwitchApp, tmp_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_checks(app, pilot)
        await pilot.press("n")
        date_box = app.screen.query_one("#signs-date", Input)
        date_box.value = ""
        await type_into(pilot, date_box, "2025-03-09")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "not in the future" in text(app, "#signs-date-error")
    assert rows(tmp_path / "d.sqlite3", "SELECT count(*) FROM sign_check") == [(0,)]


async def test_a_yes_to_slurred_speech_shows_the_urgent_guidance(app: TwitchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_checks(app, pilot)
        await pilot.press("n", "n", "n", "y", "ctrl+s")  # slurred speech: yes
        await settle(pilot)
        assert isinstance(app.screen, AlertModal)


# --- strength -----------------------------------------------------------------------------------


async def test_a_strength_error_shows_beside_its_field_and_writes_nothing(
    app: TwitchApp, tmp_path: Path
) -> None:
    db = tmp_path / "d.sqlite3"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_checks(app, pilot, "strength")
        await type_into(pilot, screen.query_one("#heel_raises_left", Input), "400")
        await type_into(pilot, screen.query_one("#heel_raises_right", Input), "26")
        await type_into(pilot, screen.query_one("#grip_left_kg", Input), "32.5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert text(app, "#heel_raises-error") == (
            "left heel raises must be a whole number 0–300, got '400'"
        )
        assert text(app, "#grip-error") == ""
        assert "not saved" in text(app, "#strength-status")
        assert rows(db, "SELECT count(*) FROM strength_check") == [(0,)]
        # put right: stored, the error gone, the form emptied for the next time
        left = screen.query_one("#heel_raises_left", Input)
        left.value = ""
        await type_into(pilot, left, "24")
        screen.query_one("#heel_walk_left", WordChoice).focus()
        await pilot.press("p")  # pass
        screen.query_one("#toe_walk_right", WordChoice).focus()
        await pilot.press("f")  # fail
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert text(app, "#heel_raises-error") == ""
        assert text(app, "#strength-status").startswith(
            "Strength check saved: heel raises left 24, right 26 · heel walk left pass, right —"
        )
        assert screen.query_one("#heel_raises_left", Input).value == ""
    assert rows(
        db,
        "SELECT heel_raises_left, heel_raises_right, heel_walk_left, heel_walk_right, "
        "toe_walk_left, toe_walk_right, chair_stands, grip_left_kg, grip_right_kg "
        "FROM strength_check",
    ) == [(24, 26, 1, None, None, 0, None, 32.5, None)]


async def test_a_strength_check_with_no_measure_is_refused(app: TwitchApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_checks(app, pilot, "strength")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Nothing measured" in text(app, "#strength-status")
    assert rows(tmp_path / "d.sqlite3", "SELECT count(*) FROM strength_check") == [(0,)]


# --- the timed count ----------------------------------------------------------------------------


class HandClock:
    """A clock that stands still until the test moves it on."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> HandClock:
    """The countdown's clock, moved on by the test; the countdown reads it every ``TICK_S``.

    Not faster: the pilot waits after each key until the app has been idle for a moment, and a
    tick every 10 ms kept it busy, so every key of a running count waited its full second.
    """
    hand = HandClock()
    monkeypatch.setattr(CountPad, "clock", hand)
    return hand


async def start_count(app: TwitchApp, pilot: Pilot[None], side: str | None = "left") -> CountPad:
    screen = await open_checks(app, pilot, "count")
    screen.query_one("#count-site", SiteSelect).value = "calf"
    screen.query_one("#count-side", WordChoice).value = side
    pad = screen.query_one(CountPad)
    pad.focus()
    await pilot.pause()
    await pilot.press("space")
    assert pad.running
    return pad


async def until(condition: Any, seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out")


def digits(app: TwitchApp) -> str:
    return app.screen.query_one("#count-left", Digits).value


async def test_the_count_counts_every_key_and_stores_the_rate(
    app: TwitchApp, tmp_path: Path, clock: HandClock
) -> None:
    db = tmp_path / "d.sqlite3"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pad = await start_count(app, pilot)
        assert digits(app) == "60"
        # every key is one twitch, F2 included: a stray key never leaves a running count
        await pilot.press("space", "space", "x", "f2", "space")
        assert pad.counted == 5
        assert isinstance(app.screen, ChecksScreen)
        clock.now += 41.5
        await until(lambda: digits(app) == "19")
        assert pad.running and rows(db, "SELECT count(*) FROM twitch_count") == [(0,)]
        clock.now += 18.5  # the minute is up
        await until(lambda: not pad.running)
        await settle(pilot)
        assert text(app, "#count-result") == (
            "Saved: 5 twitches in 60 s (5 per minute) in the left calf."
        )
    assert rows(
        db, "SELECT body_site, side, seconds, twitches, counted_at_utc FROM twitch_count"
    ) == [("calf", "left", 60, 5, "2025-03-05 19:00:00.000000")]


async def test_enter_ends_the_count_early_and_keeps_it(
    app: TwitchApp, tmp_path: Path, clock: HandClock
) -> None:
    db = tmp_path / "d.sqlite3"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await start_count(app, pilot, side=None)
        await pilot.press("space", "space")
        clock.now += 30.2
        await pilot.press("enter")
        await settle(pilot)
        assert text(app, "#count-result") == (
            "Saved: 2 twitches in 30 s (4 per minute) in the calf."
        )
    assert rows(db, "SELECT seconds, twitches, side FROM twitch_count") == [(30, 2, None)]


async def test_escape_cancels_and_stores_nothing(
    app: TwitchApp, tmp_path: Path, clock: HandClock
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pad = await start_count(app, pilot)
        await pilot.press("space", "escape")
        await settle(pilot)
        assert not pad.running
        assert "Count cancelled. Nothing was stored." in text(app, "#count-result")
        assert isinstance(app.screen, ChecksScreen)
    assert rows(tmp_path / "d.sqlite3", "SELECT count(*) FROM twitch_count") == [(0,)]


async def test_a_count_ended_before_10_seconds_is_not_stored(
    app: TwitchApp, tmp_path: Path, clock: HandClock
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await start_count(app, pilot)
        clock.now += 9.2
        await pilot.press("space", "enter")
        await settle(pilot)
        assert text(app, "#count-result") == (
            "The count stopped after 9 s; a count needs at least 10 s. Nothing was stored."
        )
    assert rows(tmp_path / "d.sqlite3", "SELECT count(*) FROM twitch_count") == [(0,)]


async def test_the_count_needs_a_muscle_first(app: TwitchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_checks(app, pilot, "count")
        pad = screen.query_one(CountPad)
        pad.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert not pad.running
        assert "Choose the muscle first" in text(app, "#count-site-error")
        assert app.focused is screen.query_one("#count-site", SiteSelect)


# --- recent checks ------------------------------------------------------------------------------


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """A diary with a weekly check, a strength check and a count."""
    path = tmp_path / "d.sqlite3"
    diary = Diary(path)
    diary.add_sign_check({"date": date(2025, 3, 1), **dict.fromkeys(SIGNS, False)})
    diary.add_strength_check(
        {"date": date(2025, 3, 2), "heel_raises_left": 24, "heel_raises_right": 26}
    )
    diary.add_twitch_count(
        {"counted_at": datetime(2025, 3, 4, 21, 30, tzinfo=FROZEN_NOW.tzinfo),
         "body_site": "calf", "side": "left", "seconds": 60, "twitches": 12}
    )  # fmt: skip
    diary.close()
    return path


def listed(app: TwitchApp) -> list[list[str]]:
    table = app.screen.query_one("#recent", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_recent_checks_are_listed_and_deleted_after_asking(seeded: Path) -> None:
    app = TwitchApp(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_checks(app, pilot, "recent")
        assert listed(app) == [
            ["2025-03-04 21:30", "timed count", "12 twitches in 60 s (12 per minute) in the left calf"],
            ["2025-03-02", "strength", "heel raises left 24, right 26"],
            ["2025-03-01", "weekly signs", "11 asked, all no"],
        ]  # fmt: skip
        app.screen.query_one("#recent", DataTable).focus()
        await pilot.press("down", "d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # declined: nothing deleted
        await settle(pilot)
        assert len(listed(app)) == 3
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert [row[1] for row in listed(app)] == ["timed count", "weekly signs"]
        assert "Deleted the strength check of 2025-03-02." in text(app, "#recent-status")
    assert rows(seeded, "SELECT count(*) FROM strength_check") == [(0,)]
    assert rows(seeded, "SELECT count(*) FROM sign_check") == [(1,)]


async def test_d_deletes_nothing_on_the_forms(seeded: Path) -> None:
    app = TwitchApp(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_checks(app, pilot, "count")
        screen.query_one("#count-start").focus()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ChecksScreen)


# --- Today's offer and the area's keys -----------------------------------------------------------


def offer(app: TwitchApp) -> str:
    return str(app.screen.query_one(TodayList).border_subtitle or "")


async def test_today_offers_the_weekly_check_until_one_is_recorded(app: TwitchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert offer(app) == WEEKLY_OFFER
        await open_checks(app, pilot)
        await pilot.press("ctrl+n", "ctrl+s")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert offer(app) == ""


@pytest.mark.parametrize(("days_ago", "due"), [(6, False), (7, True)])
async def test_the_offer_comes_back_once_the_last_check_is_a_week_old(
    tmp_path: Path, days_ago: int, due: bool
) -> None:
    path = tmp_path / "d.sqlite3"
    diary = Diary(path)
    diary.add_sign_check({"date": FROZEN_NOW.date() - timedelta(days=days_ago), "weakness": False})
    diary.close()
    app = TwitchApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert offer(app) == (WEEKLY_OFFER if due else "")


async def test_the_letter_c_opens_checks_from_a_list(app: TwitchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "F6 Checks" in app.format_title("", "").plain
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ChecksScreen)


def test_help_names_the_checks_area_and_its_keys() -> None:
    from diary.tui.screens.help import HelpScreen, everywhere_rows, vocabulary_markdown

    assert everywhere_rows()[0][0] == "F1–F6"
    keys = HelpScreen()._keys_text(today_only=False)
    assert "**Checks**: `ctrl+s` Save · `ctrl+n` No to all · `d` Delete" in keys
    assert "## Self-checks (F6)" in vocabulary_markdown()


def test_the_report_screen_counts_the_export_files() -> None:
    from diary.csvio.contract import MODELS
    from diary.tui.screens import report

    words = {8: "eight"}
    assert f"as {words[len(MODELS)]} CSV files" in Path(report.__file__).read_text()
