"""``CheckForm``: what the weekly-signs form and the strength form share.

Each form reads and checks its own fields on the UI thread (the same rules as the command line,
from ``diary.check_validation``), shows what is wrong beside the field it concerns, and posts
``Submitted`` only when everything reads; the Checks screen stores the values in a worker. A refusal
from the diary comes back through ``show_errors`` and leaves the fields as typed: nothing is
stored on an error, and nothing typed is lost.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from diary import check_validation, validation, when
from diary.errors import UserError

#: The key of the error that concerns the whole form rather than one field.
WHOLE_FORM = "form"


def error_beside(field: str) -> Static:
    """The empty line beside a field where its error shows."""
    return Static("", id=f"{field}-error", classes="check-error")


def check_row(
    label: str, *widgets: Widget, field: str | None = None, classes: str = ""
) -> Horizontal:
    """A labelled row of a form; with ``field``, the place for that field's error after it."""
    tail = [error_beside(field)] if field else []
    return Horizontal(
        Label(label, classes="check-label"), *widgets, *tail, classes=f"check-row {classes}"
    )


def read_date(text: str, today: date) -> date:
    """The day a check is for: ``today`` when empty, never a day still to come."""
    day = when.parse_date(text or "today", today=today, field="date")
    return check_validation.check_date(day, today=today)


class CheckForm(VerticalScroll, can_focus=False):
    """A self-check form: fields with their errors beside them and a status line. The screen's
    ctrl+s calls ``action_submit`` of the form on show, wherever the focus is."""

    class Submitted(Message):
        """Every field read: ``values`` are what the diary is asked to store."""

        def __init__(self, form: CheckForm, values: dict[str, Any]) -> None:
            super().__init__()
            self.form = form
            self.values = values

    def date_and_note(self, today: date) -> ComposeResult:
        """The last rows of either form: the day of the check and a note."""
        yield check_row(
            "Date",
            Input(today.isoformat(), placeholder="YYYY-MM-DD or yesterday", id=f"{self.id}-date",
                  compact=True, classes="check-date"),
            field=f"{self.id}-date",
        )  # fmt: skip
        yield check_row("Note", Input(placeholder="optional", id=f"{self.id}-note", compact=True))
        yield Static("", id=f"{self.id}-status", classes="check-status")

    def read_common(self, values: dict[str, Any], errors: dict[str, str], today: date) -> None:
        """The date and the note into ``values`` (or their errors into ``errors``)."""
        try:
            values["date"] = read_date(self.query_one(f"#{self.id}-date", Input).value, today)
        except UserError as exc:
            errors[f"{self.id}-date"] = str(exc)
        try:
            values["note"] = validation.text(
                "note", self.query_one(f"#{self.id}-note", Input).value
            )
        except UserError as exc:
            errors[WHOLE_FORM] = str(exc)

    def read(self, today: date) -> tuple[dict[str, Any], dict[str, str]]:
        """The values as the diary stores them, and an error per field that does not read."""
        raise NotImplementedError

    def action_submit(self) -> None:
        """Check every field; post ``Submitted`` when all read, else show what is wrong."""
        values, errors = self.read(when.now_local().date())
        self.show_errors(errors)
        if not errors:
            self.post_message(self.Submitted(self, values))

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each field's error beside it (and cleared where there is none now); the rest, and a
        line saying nothing was stored, in the status line."""
        placed = set()
        for box in self.query(".check-error").results(Static):
            field = (box.id or "").removesuffix("-error")
            box.update(errors.get(field, ""))
            box.set_class(field in errors, "-shown")
            placed.add(field)
        rest = [text for field, text in errors.items() if field not in placed]
        if errors:
            self.say(" · ".join(rest) + (" — " if rest else "") + "not saved", error=True)
        else:
            self.say("")

    def say(self, text: str, *, error: bool = False) -> None:
        """One line under the form: what was saved, or why not."""
        status = self.query_one(f"#{self.id}-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    def reset(self) -> None:
        """Empty the fields for the next check (the date back to today)."""
        self.query_one(f"#{self.id}-date", Input).value = when.now_local().date().isoformat()
        self.query_one(f"#{self.id}-note", Input).value = ""

    def focus_first(self) -> None:
        """Focus the form's first field: after a save, the next check starts there (and
        shift+tab from it reaches the tabs)."""
        for widget in self.screen.focus_chain:
            if self in widget.ancestors:
                widget.focus()
                return
