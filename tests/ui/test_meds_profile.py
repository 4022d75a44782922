"""Pilot tests of Meds & visits: editing, deleting (with undo), upcoming visits, the profile form,
reloading, and a footer that fits in 80 columns.

The clock is frozen at 2025-03-05 20:00 in Berlin (see ``conftest.py``); the diary is seeded
through the same facade the app uses, before the app starts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, SelectionList, Static

from diary.tui.app import TwitchApp
from diary.tui.data import Diary
from diary.tui.screens.forms import ConfirmScreen
from diary.tui.screens.meds import CourseEditForm, MedsScreen, VisitEditForm
from diary.tui.screens.profile import ProfileForm
from tests.ui.conftest import settle

pytestmark = pytest.mark.asyncio


@pytest.fixture
def diary_path(tmp_path: Path) -> Path:
    """A diary with one course, one past visit and one upcoming visit."""
    path = tmp_path / "d.sqlite3"
    diary = Diary(path)
    diary.add_medication(
        {"name": "magnesium", "drug_class": "supplement", "dose": "300 mg",
         "started_on": date(2025, 2, 1), "note": "with food"}
    )  # fmt: skip
    diary.add_visit({"date": date(2025, 3, 1), "kind": "gp", "tests": ["electrolytes"]})
    diary.add_visit({"date": date(2025, 3, 20), "kind": "neurologist", "tests": ["emg"]})
    diary.close()
    return path


async def open_meds(app: TwitchApp, pilot: Pilot[None]) -> MedsScreen:
    await app.switch_mode("meds")
    await settle(pilot)
    assert isinstance(app.screen, MedsScreen)
    return app.screen


def rows(app: TwitchApp, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def status(app: TwitchApp) -> str:
    return str(app.screen.query_one("#hm-status", Static).render())


async def test_a_visit_still_to_come_is_marked_upcoming(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meds(app, pilot)
        assert rows(app, "#visits") == [
            ["2025-03-20 upcoming", "neurologist", "emg", ""],
            ["2025-03-01", "gp", "electrolytes", ""],
        ]


async def test_edit_a_course_sends_only_changed_fields(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meds(app, pilot)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, CourseEditForm)
        assert form.query_one("#f-dose", Input).value == "300 mg"
        # Meanwhile the command line changes the note; the form does not touch the note.
        other = Diary(diary_path)
        other.update_medication("magnesium", {"note": "at night"})
        form.query_one("#f-dose", Input).value = "400 mg"
        form.query_one("#f-stopped", Input).value = "2025-03-04"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MedsScreen)
        (course,) = other.medications()
        assert (course.dose, course.stopped_on, course.note) == (
            "400 mg",
            date(2025, 3, 4),
            "at night",
        )
        assert rows(app, "#courses") == [
            ["magnesium", "supplement", "400 mg", "2025-02-01", "2025-03-04"]
        ]
        other.close()


async def test_edit_conflict_saves_nothing_and_shows_what_is_stored(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meds(app, pilot)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, CourseEditForm)
        other = Diary(diary_path)
        other.update_medication("magnesium", {"dose": "200 mg"})
        form.query_one("#f-dose", Input).value = "400 mg"
        form.query_one("#f-note", Input).value = "after dinner"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        error = str(form.query_one("#f-error", Static).render())
        assert "Not saved: dose was changed elsewhere" in error
        assert form.query_one("#f-dose", Input).value == "200 mg"
        assert form.query_one("#f-note", Input).value == "after dinner"  # kept for another try
        (course,) = other.medications()
        assert (course.dose, course.note) == ("200 mg", "with food")
        await pilot.press("ctrl+s")  # now against what is stored: the note goes in
        await settle(pilot)
        (course,) = other.medications()
        assert (course.dose, course.note) == ("200 mg", "after dinner")
        other.close()


async def test_edit_a_visit_from_the_visits_table(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meds(app, pilot)
        app.screen.query_one("#visits", DataTable).focus()
        await pilot.press("down", "enter")  # the gp visit of 2025-03-01
        form = app.screen
        assert isinstance(form, VisitEditForm)
        assert form.query_one("#f-date", Input).value == "2025-03-01"
        tests = form.query_one("#f-tests", SelectionList)
        assert list(tests.selected) == ["electrolytes"]
        tests.select("ck")
        form.query_one("#f-outcome", Input).value = "normal"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MedsScreen)
        visit = next(v for v in app.diary.visits() if v.kind == "gp")
        assert (visit.tests, visit.outcome) == ("electrolytes;ck", "normal")
        assert rows(app, "#visits")[1] == ["2025-03-01", "gp", "electrolytes, ck", "normal"]


async def test_delete_asks_first_and_ctrl_z_puts_it_back(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meds(app, pilot)
        app.screen.query_one("#visits", DataTable).focus()
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # declined: nothing deleted
        await settle(pilot)
        assert len(app.diary.visits()) == 2
        await pilot.press("d", "y")
        await settle(pilot)
        assert [v.kind for v in app.diary.visits()] == ["gp"]
        assert "Deleted the neurologist visit of 2025-03-20" in status(app)
        assert len(rows(app, "#visits")) == 1
        app.screen.query_one("#courses", DataTable).focus()
        await pilot.press("d", "y")
        await settle(pilot)
        assert app.diary.medications() == []
        await pilot.press("ctrl+z")
        await settle(pilot)
        (course,) = app.diary.medications()
        assert (course.name, course.dose, course.note) == ("magnesium", "300 mg", "with food")
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert sorted(v.kind for v in app.diary.visits()) == ["gp", "neurologist"]
        assert len(rows(app, "#visits")) == 2
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "Nothing to undo." in status(app)


async def test_profile_form_sets_name_family_history_and_onset(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meds(app, pilot)
        assert "Profile: not set yet" in str(app.screen.query_one("#profile-line").render())
        await pilot.press("f")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProfileForm)
        form.query_one("#f-name", Input).value = "Sam Doe"
        form.query_one("#f-born", Input).value = "1988"
        form.query_one("#f-family", SelectionList).select("ms")
        form.query_one("#f-onset", Input).value = "2025-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MedsScreen)
        assert app.diary.profile() == {
            "name": "Sam Doe",
            "birth_year": "1988",
            "family_history": "ms",
            "onset": "2025-01-01",
        }
        line = str(app.screen.query_one("#profile-line").render())
        assert "Sam Doe · born 1988 · family history: ms" in line
        assert "twitching since around Wed 01 Jan 2025" in line


async def test_profile_form_refuses_a_bad_onset_and_keeps_other_changes(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meds(app, pilot)
        await pilot.press("f")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProfileForm)
        # Set elsewhere while the form is open: not touched here, so kept.
        other = Diary(diary_path)
        other.update_profile({"birth_year": "1980"})
        form.query_one("#f-name", Input).value = "Sam"
        form.query_one("#f-onset", Input).value = "next week"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "onset must be a date like 2026-10-15" in str(
            form.query_one("#f-error", Static).render()
        )
        assert other.profile() == {"birth_year": "1980"}
        form.query_one("#f-onset", Input).value = "2024-11-15"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert other.profile() == {"birth_year": "1980", "name": "Sam", "onset": "2024-11-15"}
        other.close()


async def test_meds_reads_again_when_it_becomes_active(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meds(app, pilot)
        await app.switch_mode("history")
        await settle(pilot)
        other = Diary(diary_path)  # the command line, while the app shows another area
        other.add_visit({"date": date(2025, 3, 4), "kind": "physiotherapist"})
        other.update_profile({"onset": "2025-02"})
        other.close()
        await open_meds(app, pilot)
        assert [row[1] for row in rows(app, "#visits")] == ["neurologist", "physiotherapist", "gp"]
        assert "twitching since around Sat 01 Feb 2025" in str(
            app.screen.query_one("#profile-line").render()
        )


async def test_single_letters_write_nothing(diary_path: Path) -> None:
    """Stray typing on the screen opens forms at most; a form's letters go into its fields."""
    app = TwitchApp(diary_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meds(app, pilot)
        before = (app.diary.medications(), app.diary.visits(), app.diary.profile())
        for key in "abcdefgjklnoqrsuvwxyz":
            await pilot.press(key)
            await settle(pilot)
            while len(app.screen_stack) > 1:  # a form or a question opened: leave it
                await pilot.press("escape")
                await settle(pilot)
            if app.current_mode != "meds":
                await open_meds(app, pilot)
        assert (app.diary.medications(), app.diary.visits(), app.diary.profile()) == before


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_footer_fits(diary_path: Path, size: tuple[int, int]) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=size) as pilot:
        screen = await open_meds(app, pilot)
        keys = list(screen.query("FooterKey"))
        assert keys, "no footer keys shown"
        width = size[0]
        for key in keys:
            region = key.region
            assert region.width > 0 and region.right <= width, (key.key, region)


async def test_the_command_palette_opens_the_profile_from_any_screen(diary_path: Path) -> None:
    other = Diary(diary_path)
    other.update_profile({"name": "Sam Doe", "onset": "2025-01-10"})
    other.close()
    app = TwitchApp(diary_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.switch_mode("history")
        await settle(pilot)
        await pilot.press("ctrl+p", *"Profile")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProfileForm)
        assert form.query_one("#f-name", Input).value == "Sam Doe"
        assert form.query_one("#f-onset", Input).value == "2025-01-10"
        form.query_one("#f-onset", Input).value = ""  # cleared: unknown again
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.diary.profile() == {"name": "Sam Doe"}


async def test_a_bad_course_edit_stores_nothing(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meds(app, pilot)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, CourseEditForm)
        form.query_one("#f-stopped", Input).value = "2025-01-01"  # before it started
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "on or after the start of the course" in str(
            form.query_one("#f-error", Static).render()
        )
        form.query_one("#f-started", Input).value = ""
        form.query_one("#f-stopped", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "started must be a date" in str(form.query_one("#f-error", Static).render())
        (course,) = app.diary.medications()
        assert (course.started_on, course.stopped_on) == (date(2025, 2, 1), None)


async def test_profile_conflict_saves_nothing_and_shows_what_is_stored(diary_path: Path) -> None:
    app = TwitchApp(diary_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meds(app, pilot)
        await pilot.press("f")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProfileForm)
        other = Diary(diary_path)
        other.update_profile({"onset": "2024-12-01"})  # `twitch profile --onset` meanwhile
        form.query_one("#f-onset", Input).value = "2025-01"
        form.query_one("#f-name", Input).value = "Sam"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "Not saved: twitching since changed elsewhere" in str(
            form.query_one("#f-error", Static).render()
        )
        assert form.query_one("#f-onset", Input).value == "2024-12-01"
        assert form.query_one("#f-name", Input).value == "Sam"
        assert other.profile() == {"onset": "2024-12-01"}
        other.close()
