"""Medications and visits: the courses taken and the doctor's visits, with forms to add to both.

The screen reads both lists in one worker and shows them in two tables; each form stores through
the diary facade and, when it closes with a stored row, the tables are read again.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Static

from diary.cli.common import words
from diary.db.models import Medication, Visit
from diary.errors import UserError
from diary.tui import data
from diary.tui.screens.forms import MedicationForm, StopCourseForm, VisitForm

COURSE_COLUMNS = ("Name", "Class", "Dose", "Started", "Stopped")
VISIT_COLUMNS = ("Date", "Kind", "Tests", "Outcome")


def course_row(course: Medication) -> tuple[str, ...]:
    """A course as the table shows it."""
    return (
        course.name,
        course.drug_class.replace("_", " "),
        course.dose or "",
        course.started_on.isoformat(),
        course.stopped_on.isoformat() if course.stopped_on else "ongoing",
    )


def visit_row(visit: Visit) -> tuple[str, ...]:
    """A visit as the table shows it."""
    return (
        visit.date.isoformat(),
        visit.kind.replace("_", " "),
        words(visit.tests),
        visit.outcome or "",
    )


class MedsScreen(Screen[None]):
    """Medication courses and doctor's visits."""

    CSS_PATH = "meds.tcss"
    SUB_TITLE = "Medications and visits"
    BINDINGS = [
        Binding("a", "add_medication", "Add medication"),
        Binding("s", "stop_medication", "Stop course"),
        Binding("v", "add_visit", "Add visit"),
    ]

    class RecordsLoaded(Message):
        """Courses and visits were read."""

        def __init__(self, courses: list[Medication], visits: list[Visit]) -> None:
            super().__init__()
            self.courses = courses
            self.visits = visits

    class Failed(Message):
        """Reading was refused; ``text`` is the one-line reason."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self) -> None:
        super().__init__()
        self.courses: dict[str, Medication] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="panel", id="courses-panel"):
            yield Label("Medication courses", classes="panel-title")
            yield DataTable(zebra_stripes=True, cursor_type="row", id="courses")
        with Vertical(classes="panel", id="visits-panel"):
            yield Label("Visits and tests", classes="panel-title")
            yield DataTable(zebra_stripes=True, cursor_type="row", id="visits")
        yield Static("", id="hm-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#courses", DataTable).add_columns(*COURSE_COLUMNS)
        self.query_one("#visits", DataTable).add_columns(*VISIT_COLUMNS)
        self.query_one("#courses", DataTable).focus()
        self.load()

    def on_screen_resume(self) -> None:
        """Coming back from another area: read the lists again."""
        if self.is_mounted and self.query("#courses"):
            self.load()

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        """Read courses and visits (worker thread)."""
        diary: data.Diary = self.app.diary  # type: ignore[attr-defined]
        try:
            courses = diary.medications()
            visits = list(reversed(diary.visits()))  # newest first, like History
        except UserError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.RecordsLoaded(courses, visits))

    @on(RecordsLoaded)
    def _loaded(self, event: RecordsLoaded) -> None:
        courses = self.query_one("#courses", DataTable)
        keep = self.current_course()
        courses.clear()
        self.courses = {course.id: course for course in event.courses}
        for course in event.courses:
            courses.add_row(*course_row(course), key=course.id)
        if keep is not None and keep.id in self.courses:
            courses.move_cursor(row=courses.get_row_index(keep.id))
        visits = self.query_one("#visits", DataTable)
        visits.clear()
        for visit in event.visits:
            visits.add_row(*visit_row(visit), key=visit.id)
        if not event.courses and not event.visits:
            self.show_status("Nothing recorded yet: a adds a medication, v a visit.")

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.show_status(event.text, error=True)

    def show_status(self, message: str, *, error: bool = False) -> None:
        """One line of news under the tables."""
        status = self.query_one("#hm-status", Static)
        status.update(message)
        status.set_class(error, "-error")

    def current_course(self) -> Medication | None:
        """The course under the cursor of the courses table."""
        table = self.query_one("#courses", DataTable)
        if not self.courses or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.courses.get(key or "")

    def _stored(self, what: str) -> Any:
        def done(row: Any) -> None:
            if row is not None:
                self.show_status(what.format(row=row))
                self.load()

        return done

    def action_add_medication(self) -> None:
        """Open the form for a new course."""
        self.app.push_screen(MedicationForm(), self._stored("Added {row.name}."))

    def action_stop_medication(self) -> None:
        """Stop the ongoing course under the cursor."""
        course = self.current_course()
        if course is None:
            self.show_status("Choose a course in the table first.")
            return
        if course.stopped_on is not None:
            self.show_status(f"{course.name} already stopped on {course.stopped_on}.")
            return
        self.app.push_screen(
            StopCourseForm(course.name), self._stored("Stopped {row.name} on {row.stopped_on}.")
        )

    def action_add_visit(self) -> None:
        """Open the form for a new visit."""
        self.app.push_screen(VisitForm(), self._stored("Added the visit of {row.date}."))
