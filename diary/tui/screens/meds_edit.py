"""The dialogs that edit a medication course or a visit (Meds ``e`` or Enter).

Each shows the record as stored, sends only the fields the person changed, and only if nobody
changed them elsewhere since it loaded (``twitch med`` may run while the app is open): see
``EditForm``. An emptied dose, note or outcome is cleared; a course and a visit keep their date.
"""

from __future__ import annotations

from typing import Any

from diary import validation, when, wording
from diary.db.models import Medication, Visit
from diary.errors import InvalidValue
from diary.tui import data
from diary.tui.screens.forms import EditForm, MedicationForm, VisitForm, clear_emptied


def course_texts(course: Medication) -> dict[str, Any]:
    """A course as the edit form shows it: what ``MedicationForm.values`` reads when untouched."""
    return {
        "name": course.name,
        "drug_class": course.drug_class,
        "dose": course.dose or "",
        "started_on": course.started_on.isoformat(),
        "stopped_on": course.stopped_on.isoformat() if course.stopped_on else "",
        "note": course.note or "",
    }


#: Fields named as the forms label them, for messages.
FIELD_LABELS = {
    "drug_class": "class",
    "started_on": "started",
    "stopped_on": "stopped",
    "tests": "tests",
}


class AddFormEdit(EditForm):
    """An edit form built on an add form, whose fields start empty: it shows the record once
    mounted."""

    def on_mount(self) -> None:
        super().on_mount()
        self.fill(self.record)


class CourseEditForm(AddFormEdit, MedicationForm):
    """Edit one medication course."""

    TITLE_TEXT = "Edit medication"
    LABELS = FIELD_LABELS

    def texts(self, record: Any) -> dict[str, Any]:
        return course_texts(record)

    def store(self, diary: data.Diary, values: dict[str, Any]) -> Medication:
        changes: dict[str, Any] = self.touched(values)
        today = data.now().date()
        if "started_on" in changes and not changes["started_on"].strip():
            raise InvalidValue("started", "", "a date like 2025-03-04 (a course has a first day)")
        for name, label in (("started_on", "started"), ("stopped_on", "stopped")):
            if name in changes:
                text = changes[name].strip()
                changes[name] = when.parse_date(text, today=today, field=label) if text else None
        clear_emptied(changes, ("dose", "note"))
        return diary.update_medication(self.record.id, changes, self.as_loaded(changes))


def visit_texts(visit: Visit) -> dict[str, Any]:
    """A visit as the edit form shows it: what ``VisitForm.values`` reads when untouched."""
    return {
        "date": visit.date.isoformat(),
        "kind": visit.kind,
        "tests": wording.split_set(visit.tests),
        "outcome": visit.outcome or "",
        "note": visit.note or "",
    }


class VisitEditForm(AddFormEdit, VisitForm):
    """Edit one visit."""

    TITLE_TEXT = "Edit visit"
    LABELS = FIELD_LABELS

    def texts(self, record: Any) -> dict[str, Any]:
        return visit_texts(record)

    def values(self) -> dict[str, Any]:
        found = super().values()
        # Ticked in any order, compared and stored in the vocabulary's order.
        found["tests"] = wording.split_set(validation.word_set("tests", "test", found["tests"]))
        return found

    def store(self, diary: data.Diary, values: dict[str, Any]) -> Visit:
        changes: dict[str, Any] = self.touched(values)
        if "date" in changes:
            if not changes["date"].strip():
                raise InvalidValue("date", "", "a date like 2025-03-04 (a visit has one)")
            changes["date"] = when.parse_date(changes["date"], today=data.now().date())
        clear_emptied(changes, ("outcome", "note"))
        return diary.update_visit(self.record.id, changes, self.as_loaded(changes))
