"""Pilot tests of the Insights screen at 80×24 on a young diary (issue 10, items 6 and 13).

A person three days into the diary, with twitches in eight places on one day: every word of the
screen must be readable beside the scrollbar, counts must be in good English ("1 day"), every
place must be named, and the analysis must run again only when the diary changed.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Static

from diary.tui.app import TwitchApp
from diary.tui.data import Diary
from diary.tui.screens.insights import InsightsScreen
from diary.tui.widgets.sparkline import BarList, spark
from tests.conftest import twitch_process
from tests.ui.conftest import settle

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 3, 5, 20, 0, tzinfo=BERLIN)
SMALL = (80, 24)
SITES = ("calf", "eyelid", "thigh", "hand", "forearm", "foot", "back", "shoulder")


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every "now" and "today" the app asks for is 2025-03-05 20:00 in Berlin."""
    monkeypatch.setattr("diary.when.now_local", lambda zone=None: NOW)


@pytest.fixture
def diary_path(tmp_path: Path) -> Path:
    """Nine calf twitches and one in each of seven other places, all today; no check-in."""
    path = tmp_path / "d.sqlite3"
    diary = Diary(path)
    for minute in range(9):
        diary.add_episode(
            {
                "started_at": datetime(2025, 3, 5, 18, minute, tzinfo=BERLIN),
                "body_site": "calf",
                "side": "left",
                "intensity": 4,
                "duration_s": 5,
            }
        )
    for n, site in enumerate(SITES[1:]):
        diary.add_episode(
            {
                "started_at": datetime(2025, 3, 5, 19, n, tzinfo=BERLIN),
                "body_site": site,
                "side": "right",
                "intensity": 3,
                "duration_s": 5,
            }
        )
    diary.close()
    return path


async def open_insights(app: TwitchApp, pilot: Pilot[None]) -> InsightsScreen:
    """Switch to Insights and wait for the analysis."""
    app.switch_mode("insights")
    await settle(pilot)
    assert isinstance(app.screen, InsightsScreen)
    assert app.screen.query("#insights-heading"), screen_text(app)
    return app.screen


def screen_text(app: TwitchApp) -> str:
    """The text of every Static on the current screen."""
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


async def test_text_wraps_beside_the_scrollbar(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_insights(app, pilot)
        body = screen.query_one("#insights-body", VerticalScroll)
        assert body.show_vertical_scrollbar  # the case: the screen is longer than 24 lines
        edge = body.region.right - body.styles.scrollbar_size_vertical
        texts = [w for w in body.query(Static) if str(w.render()).strip()]
        assert any("Not enough data yet for" in str(w.render()) for w in texts)
        for widget in texts:
            assert widget.region.right <= edge, (str(widget.render())[:40], widget.region, edge)


async def test_counts_are_in_good_english_and_every_place_is_named(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_insights(app, pilot)
        text = screen_text(app)
        assert "16 episodes on 1 day; at most 16 a day" in text
        assert "1 days" not in text
        assert "(5 Mar, 0 of 1 day logged)" in text
        assert "Episodes per day, 5 Mar\n" in text + "\n"  # one day, not "5 Mar – 5 Mar"
        assert "0 of 1 day checked in" in text
        assert "ranged 4–4" not in text
        bars = app.screen.query_one("#sites", BarList)
        labels = [label for label, _ in bars.items]
        assert len(labels) == len(SITES)
        assert not [label for label in labels if "other" in label]
        assert {label.split(" (")[0] for label in labels} == set(SITES)


async def test_analysis_runs_again_only_when_the_diary_changed(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    calls: list[object] = []
    async with app.run_test(size=SMALL) as pilot:
        analyse = app.diary.insights

        def counted(as_of):  # type: ignore[no-untyped-def]
            calls.append(as_of)
            return analyse(as_of)

        app.diary.insights = counted  # type: ignore[method-assign]
        await open_insights(app, pilot)
        assert len(calls) == 1
        heading = app.screen.query_one("#insights-heading")
        app.switch_mode("history")
        await settle(pilot)
        await open_insights(app, pilot)
        assert len(calls) == 1, "analysed again although nothing changed"
        assert app.screen.query_one("#insights-heading") is heading  # the view was kept

        done = twitch_process("log", "calf", "--at", "2025-03-05 19:30", db=diary_path)
        assert done.returncode == 0, done.stderr
        app.switch_mode("history")
        await settle(pilot)
        await open_insights(app, pilot)
        assert len(calls) == 2
        assert "17 episodes on 1 day" in screen_text(app)


async def test_unknown_intensities_are_left_out_of_the_chart(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    diary = Diary(path)
    for minute in range(3):
        diary.add_episode(
            {
                "started_at": datetime(2025, 3, 5, 18, minute, tzinfo=BERLIN),
                "body_site": "calf",
                "intensity": None,
                "duration_s": None,
            }
        )
    diary.close()
    app = TwitchApp(path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_insights(app, pilot)
        text = screen_text(app)
        assert "3 episodes on 1 day" in text
        assert "No intensity given in these days." in text
        assert "nan" not in text
        assert set(str(app.screen.query_one("#intensity").render())) <= {" "}


def test_an_unknown_value_is_a_gap_in_a_sparkline() -> None:
    nan = float("nan")
    assert spark([1, nan, 10], 3, low=1, high=10) == "▁ █"
    assert spark([nan, nan, 4, 4], 2) == " █"


def test_a_diary_of_weekly_checks_only_says_so_and_shows_their_flags() -> None:
    from datetime import date

    from diary.analysis.frames import make_frames
    from diary.analysis.insights import analyse_frames
    from diary.tui.insights_view import build_view

    as_of = date(2025, 3, 5)
    frames = make_frames(signs=[{"date": "2025-03-03", "weakness": 1}], as_of=as_of)
    view = build_view(analyse_frames(frames, as_of))
    assert view.heading == "What your diary shows (only weekly checks so far)"
    assert view.coverage_note.startswith("Only weekly checks so far.")
    assert [line.title for line in view.flags] == ["Weakness was logged"]
