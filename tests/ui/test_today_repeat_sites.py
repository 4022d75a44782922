"""Pilot tests of repeat (site, side, kind and intensity of the newest episode, now) and of the
site picker (start-of-word search, recent sites after every save) (issue 10, items 5 and 8)."""

from __future__ import annotations

from datetime import date

from diary.tui.widgets.site_select import SiteOverlay, SiteSelect, best_match, site_options
from tests.ui.conftest import FROZEN_NOW, settle

TODAY = date(2025, 3, 5)


async def test_repeat_copies_the_newest_episode_by_time_without_its_details(app) -> None:  # type: ignore[no-untyped-def]
    newest = app.diary.add_episode(
        {
            "started_at": FROZEN_NOW.replace(hour=19),
            "body_site": "thigh",
            "side": "left",
            "kind": "cramp",
            "intensity": 6,
            "duration_s": 720,
            "symptoms": ["pain"],
            "context": ["rest"],
            "note": "after the run",
        }
    )
    # logged afterwards, but it happened earlier: not the one to repeat
    app.diary.add_episode(
        {
            "started_at": FROZEN_NOW.replace(hour=7),
            "body_site": "eyelid",
            "side": "right",
            "intensity": 2,
            "duration_s": 5,
        }
    )
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        episodes = app.diary.episodes_on(TODAY)
        assert len(episodes) == 3
        repeated = episodes[0]
        assert repeated.id != newest.id and repeated.started_at == FROZEN_NOW
        assert (repeated.body_site, repeated.side, repeated.kind, repeated.intensity) == (
            "thigh",
            "left",
            "cramp",
            6,
        )
        assert repeated.duration_s is None
        assert (repeated.symptoms, repeated.context, repeated.note) == ("", "", None)


def test_search_matches_the_start_of_words() -> None:
    labels = [label for label, _ in site_options()]
    site = dict(site_options())
    assert site[labels[best_match(labels, "th")]] == "thigh"  # before throat
    assert site[labels[best_match(labels, "thr")]] == "throat"
    assert site[labels[best_match(labels, "arm")]] == "upper_arm"  # not forearm
    assert site[labels[best_match(labels, "f")]] == "face"
    assert best_match(labels, "xyz") is None
    recent = [label for label, _ in site_options(["toe", "calf"])]
    assert recent[:2] == ["toe · recent", "calf · recent"]
    assert dict(site_options(["toe", "calf"]))[recent[best_match(recent, "t")]] == "toe"
    assert best_match(recent, "rec") is None  # the mark is not part of the name


async def test_typing_th_on_the_site_picks_thigh(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.focused.id == "site"
        await pilot.press("t", "h", "enter")
        await settle(pilot)
        assert app.screen.query_one("#site", SiteSelect).value == "thigh"


async def test_recent_sites_update_after_every_save(app) -> None:  # type: ignore[no-untyped-def]
    app.diary.add_episode(
        {"started_at": FROZEN_NOW.replace(hour=7), "body_site": "eyelid", "intensity": 2}
    )
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        site = app.screen.query_one("#site", SiteSelect)
        overlay = site.query_one(SiteOverlay)

        def first_options() -> list[str]:
            return [str(overlay.get_option_at_index(i).prompt) for i in range(1, 3)]

        assert first_options()[0] == "eyelid · recent"
        await pilot.press("c", "a", "l", "enter", "4")
        app.screen.query_one("#duration").value = "20s"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.diary.episodes_on(TODAY)[0].body_site == "calf"
        assert first_options() == ["calf · recent", "eyelid · recent"]
        assert site.value == "calf"


async def test_slow_typing_finds_the_same_site(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t", "h")
        await pilot.pause(1.0)  # longer than Textual's own search waits before starting over
        await pilot.press("r", "enter")
        await settle(pilot)
        assert app.screen.query_one("#site", SiteSelect).value == "throat"
        # a letter that matches nothing after the rest starts a new search; Backspace steps back
        await pilot.press("c", "a", "x", "backspace", "h", "enter")  # "cax" -> "c" -> "ch"
        await settle(pilot)
        assert app.screen.query_one("#site", SiteSelect).value == "chest"
