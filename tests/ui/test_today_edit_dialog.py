"""Pilot tests of the edit dialog: the same tick boxes as Today, and an emptied intensity or
duration stored as unknown (issue 10, items 1 and 11)."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, SelectionList

from diary.tui.screens.episode_edit import EpisodeEditForm
from tests.ui.conftest import FROZEN_NOW, settle

TODAY = date(2025, 3, 5)


def seed(app):  # type: ignore[no-untyped-def]
    return app.diary.add_episode(
        {
            "started_at": FROZEN_NOW.replace(hour=9),
            "body_site": "calf",
            "side": "left",
            "intensity": 4,
            "duration_s": 30,
            "symptoms": ["pain"],
            "context": ["rest"],
        }
    )


async def open_form(app, pilot, episode) -> tuple[EpisodeEditForm, list]:  # type: ignore[no-untyped-def]
    results: list = []
    app.push_screen(EpisodeEditForm(episode), results.append)
    await settle(pilot)
    assert isinstance(app.screen, EpisodeEditForm)
    return app.screen, results


async def test_edit_dialog_ticks_symptoms_and_context(app) -> None:  # type: ignore[no-untyped-def]
    episode = seed(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form, results = await open_form(app, pilot, episode)
        symptoms = form.query_one("#f-symptoms", SelectionList)
        context = form.query_one("#f-context", SelectionList)
        assert symptoms.selected == ["pain"] and context.selected == ["rest"]
        symptoms.select("numbness")
        context.deselect("rest")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert results and results[0] is not None, "the dialog saved and closed"
        (stored,) = app.diary.episodes_on(TODAY)
        assert (stored.symptoms, stored.context) == ("numbness;pain", "")
        assert (stored.intensity, stored.duration_s, stored.side) == (4, 30, "left")


async def test_untouched_tick_boxes_send_nothing(app) -> None:  # type: ignore[no-untyped-def]
    episode = seed(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form, _ = await open_form(app, pilot, episode)
        form.query_one("#f-symptoms", SelectionList).select("tingling")
        form.query_one("#f-symptoms", SelectionList).deselect("tingling")
        assert form.touched(form.values()) == {}


async def test_emptied_intensity_and_duration_are_stored_as_unknown(app) -> None:  # type: ignore[no-untyped-def]
    episode = seed(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form, results = await open_form(app, pilot, episode)
        for ident in ("#f-intensity", "#f-duration"):
            box = form.query_one(ident, Input)
            assert box.value  # shows what is stored
            assert "unknown" in box.placeholder
            box.value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert results and results[0] is not None, str(form.query_one("#f-error").render())
        (stored,) = app.diary.episodes_on(TODAY)
        assert (stored.intensity, stored.duration_s) == (None, None)
        assert stored.symptoms == "pain"  # untouched, kept
