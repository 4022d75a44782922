"""Medications, visits and the profile: what a doctor will ask about, with forms to change it.

The screen reads the courses, the visits and the profile in one worker and shows them in two
tables under a profile line; it reads them again whenever it becomes active and after each write.
Adding, editing and stopping open a form (nothing is written until its ctrl+s); deleting asks
first and can be undone with ctrl+z, as in History. Edits send only the changed fields, and only
if nobody changed them elsewhere since the form loaded.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Static

from diary.db.models import Medication, Visit
from diary.errors import UserError
from diary.tui import data
from diary.tui.app import diary_of
from diary.tui.messages import Failed
from diary.tui.screens.forms import ConfirmScreen, MedicationForm, StopCourseForm, VisitForm
from diary.tui.screens.meds_edit import CourseEditForm, VisitEditForm
from diary.tui.screens.profile import ProfileForm, profile_summary
from diary.wording import stored_words

COURSE_COLUMNS = ("Name", "Class", "Dose", "Started", "Stopped")
VISIT_COLUMNS = ("Date", "Kind", "Tests", "Outcome")
#: How a visit still to come is marked (CLI ``visit list`` says the same).
UPCOMING = "upcoming"


def course_row(course: Medication) -> tuple[str, ...]:
    """A course as the table shows it."""
    return (
        course.name,
        course.drug_class.replace("_", " "),
        course.dose or "",
        course.started_on.isoformat(),
        course.stopped_on.isoformat() if course.stopped_on else "ongoing",
    )


def visit_row(visit: Visit, today: date) -> tuple[str, ...]:
    """A visit as the table shows it; one after today is marked upcoming."""
    shown = visit.date.isoformat()
    return (
        f"{shown} {UPCOMING}" if visit.date > today else shown,
        visit.kind.replace("_", " "),
        stored_words(visit.tests),
        visit.outcome or "",
    )


def describe_course(course: Medication) -> str:
    """``magnesium from 2025-02-01``: how messages name a course."""
    return f"{course.name} from {course.started_on.isoformat()}"


def describe_visit(visit: Visit) -> str:
    """``the gp visit of 2025-03-05``: how messages name a visit."""
    return f"the {visit.kind.replace('_', ' ')} visit of {visit.date.isoformat()}"


# --- the screen -----------------------------------------------------------------------------------


class MedsScreen(Screen[None]):
    """Medication courses, doctor's visits and the profile."""

    CSS_PATH = "meds.tcss"
    SUB_TITLE = "Medications, visits, profile"
    # Letters only open a form or a confirmation: nothing is written by one key. The footer
    # shows the common ones (80 columns are shared with the app's keys); Help lists them all,
    # and the panels and the status line name the others where they apply.
    BINDINGS = [
        Binding("a", "add_medication", "+Med"),
        Binding("v", "add_visit", "+Visit"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        Binding("f", "edit_profile", "Profile"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("s", "stop_medication", "Stop the course", show=False),
    ]

    class RecordsLoaded(Message):
        """Courses, visits and the profile were read."""

        def __init__(
            self, courses: list[Medication], visits: list[Visit], profile: dict[str, str]
        ) -> None:
            super().__init__()
            self.courses = courses
            self.visits = visits
            self.profile = profile

    class RecordDeleted(Message):
        """A course or visit was deleted; ``values`` put it back."""

        def __init__(self, table: str, values: dict[str, Any], label: str) -> None:
            super().__init__()
            self.table = table
            self.values = values
            self.label = label

    class RecordRestored(Message):
        """A deleted course or visit was put back."""

        def __init__(self, label: str) -> None:
            super().__init__()
            self.label = label

    def __init__(self) -> None:
        super().__init__()
        self.courses: dict[str, Medication] = {}
        self.visits: dict[str, Visit] = {}
        self.profile: dict[str, str] | None = None
        #: Deleted records, newest last: (table, values, label) for ctrl+z.
        self.deleted: list[tuple[str, dict[str, Any], str]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="profile-line")
        with Vertical(classes="panel", id="courses-panel"):
            yield Label("Medication courses   (s stops the one selected)", classes="panel-title")
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
        """Coming back from another area or a form: read everything again."""
        if self.is_mounted and self.query("#courses"):
            self.load()

    # --- loading --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        """Read courses, visits and the profile (worker thread)."""
        diary = diary_of(self.app)
        try:
            courses = diary.medications()
            visits = list(reversed(diary.visits()))  # newest first, like History
            profile = diary.profile()
        except UserError as exc:
            self.post_message(Failed(str(exc)))
            return
        self.post_message(self.RecordsLoaded(courses, visits, profile))

    @on(RecordsLoaded)
    def _loaded(self, event: RecordsLoaded) -> None:
        today = data.now().date()
        self._fill(self.query_one("#courses", DataTable), event.courses, course_row)
        self.courses = {course.id: course for course in event.courses}
        self._fill(
            self.query_one("#visits", DataTable), event.visits, lambda v: visit_row(v, today)
        )
        self.visits = {visit.id: visit for visit in event.visits}
        self.profile = event.profile
        summary = profile_summary(event.profile)
        self.query_one("#profile-line", Static).update(
            f"Profile: {summary}   (f to change)"
            if summary
            else "Profile: not set yet. f adds your name, birth year, family history "
            "and when the twitching started."
        )
        if not event.courses and not event.visits and not self.deleted:
            self.show_status("Nothing recorded yet: a adds a medication, v a visit.")

    @staticmethod
    def _fill(table: DataTable, rows: list[Any], shown: Any) -> None:
        """Replace a table's rows, keeping the cursor on the same record (or row) if it is there."""
        keep = None
        if table.row_count:
            keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        row = table.cursor_row
        table.clear()
        for record in rows:
            table.add_row(*shown(record), key=record.id)
        ids = [record.id for record in rows]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        elif rows:
            table.move_cursor(row=min(row, len(rows) - 1))

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.show_status(event.text, error=True)

    def show_status(self, message: str, *, error: bool = False) -> None:
        """One line of news under the tables."""
        status = self.query_one("#hm-status", Static)
        status.update(message)
        status.set_class(error, "-error")

    # --- which record -------------------------------------------------------------------------

    def _current(self, table_id: str, records: dict[str, Any]) -> Any:
        table = self.query_one(table_id, DataTable)
        if not records or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return records.get(key or "")

    def current_course(self) -> Medication | None:
        """The course under the cursor of the courses table."""
        return self._current("#courses", self.courses)

    def current_visit(self) -> Visit | None:
        """The visit under the cursor of the visits table."""
        return self._current("#visits", self.visits)

    def _focused_table(self) -> str:
        """``courses`` or ``visits``: the table the person is in."""
        focused = self.focused
        return "visits" if focused is not None and focused.id == "visits" else "courses"

    # --- add, stop, edit, profile -------------------------------------------------------------

    def _stored(self, what: Any) -> Any:
        """A form's callback: on a stored row, say so (``what(row)``) and read everything again."""

        def done(row: Any) -> None:
            if row is not None:
                self.show_status(what(row))
                self.load()

        return done

    def action_add_medication(self) -> None:
        """Open the form for a new course."""
        self.app.push_screen(MedicationForm(), self._stored(lambda r: f"Added {r.name}."))

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
            StopCourseForm(course.name),
            self._stored(lambda r: f"Stopped {r.name} on {r.stopped_on}."),
        )

    def action_add_visit(self) -> None:
        """Open the form for a new visit."""
        self.app.push_screen(VisitForm(), self._stored(lambda r: f"Added {describe_visit(r)}."))

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        """Open the edit form for the course or visit under the cursor of the focused table."""
        if self._focused_table() == "visits":
            visit = self.current_visit()
            if visit is None:
                self.show_status("No visit to edit.")
                return
            done = self._stored(lambda r: f"Saved {describe_visit(r)}.")
            self.app.push_screen(VisitEditForm(visit), done)
            return
        course = self.current_course()
        if course is None:
            self.show_status("No course to edit.")
            return
        done = self._stored(lambda r: f"Saved {describe_course(r)}.")
        self.app.push_screen(CourseEditForm(course), done)

    def action_edit_profile(self) -> None:
        """Open the profile form (name, birth year, family history, onset)."""
        self.app.push_screen(
            ProfileForm(self.profile), self._stored(lambda r: "Saved the profile.")
        )

    # --- delete and undo ------------------------------------------------------------------------

    def action_delete(self) -> None:
        """Ask, then delete the course or visit under the cursor of the focused table."""
        table = self._focused_table()
        record: Medication | Visit | None
        if table == "visits":
            record = visit = self.current_visit()
            label = "" if visit is None else describe_visit(visit)
        else:
            record = course = self.current_course()
            label = "" if course is None else describe_course(course)
        if record is None:
            self.show_status(f"No {'visit' if table == 'visits' else 'course'} to delete.")
            return
        ident = record.id

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete(table, ident, label)

        self.app.push_screen(ConfirmScreen(f"Delete {label}?"), answered)

    @work(thread=True, group="write")
    def delete(self, table: str, ident: str, label: str) -> None:
        """Delete one course or visit (worker thread)."""
        diary = diary_of(self.app)
        try:
            if table == "visits":
                values = diary.delete_visit(ident)
            else:
                values = diary.delete_medication(ident)
        except UserError as exc:
            self.post_message(Failed(str(exc)))
            return
        self.post_message(self.RecordDeleted(table, values, label))

    @on(RecordDeleted)
    def _deleted(self, event: RecordDeleted) -> None:
        self.deleted.append((event.table, event.values, event.label))
        self.show_status(f"Deleted {event.label}. ctrl+z puts it back.")
        self.load()

    def action_undo(self) -> None:
        """Put back the most recently deleted course or visit."""
        if not self.deleted:
            self.show_status("Nothing to undo.")
            return
        table, values, label = self.deleted.pop()
        self.restore(table, values, label)

    @work(thread=True, group="write")
    def restore(self, table: str, values: dict[str, Any], label: str) -> None:
        """Put back a deleted record (worker thread)."""
        diary = diary_of(self.app)
        try:
            if table == "visits":
                diary.restore_visit(values)
            else:
                diary.restore_medication(values)
        except UserError as exc:
            self.post_message(Failed(str(exc)))
            return
        self.post_message(self.RecordRestored(label))

    @on(RecordRestored)
    def _restored(self, event: RecordRestored) -> None:
        self.show_status(f"Restored {event.label}.")
        self.load()
