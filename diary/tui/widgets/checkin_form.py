"""Today's check-in: the day's amounts, sleep, stress, symptoms and a note, saved as typed.

The form posts ``Changed`` after a short pause in typing; the Today screen sends only what the
person changed (``DayEdit``), measured against the day as the diary last confirmed it
(``day_values``), so a check-in made from the command line meanwhile is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Select, SelectionList, Static

from diary import validation, vocab, wording
from diary.errors import UserError
from diary.tui.widgets.choice import UNKNOWN
from diary.tui.widgets.field_row import field_row

#: The check-in's text fields: field name -> (label, placeholder, parser).
DAY_INPUTS: dict[str, tuple[str, str, Callable[[object], Any]]] = {
    "water_ml": ("Water", "e.g. 1.5l", validation.water_ml),
    "caffeine_mg": ("Caffeine", "e.g. 2cups", validation.caffeine_mg),
    "exercise_min": ("Exercise", "e.g. 45m", validation.exercise_min),
    "sleep_h": ("Sleep", "e.g. 6.5h", validation.sleep_h),
    "stress": ("Stress", "0–10", validation.stress),
}
#: The check-in's choices, each on its own row under the amount it describes: (label, prompt).
DAY_CHOICE_ROWS = {
    "exercise_min": ("exercise_intensity", "Effort"),
    "sleep_h": ("sleep_quality", "Quality"),
}
#: The unit a stored number is shown with, so it reads back as the same value.
DAY_UNITS = {"water_ml": "ml", "caffeine_mg": "mg", "exercise_min": "m", "sleep_h": "h"}
DAY_CHOICES = ("exercise_intensity", "sleep_quality")
#: Every field the check-in form shows (alcohol is not among them: the command line logs it).
DAY_FIELDS = (*DAY_INPUTS, *DAY_CHOICES, "symptoms", "note")
SLEEP_QUALITY = ("very badly", "badly", "so-so", "well", "very well")


def _number_text(value: float | None, unit: str = "") -> str:
    """A stored number back as the text a person would type (``1500`` -> ``1500ml``)."""
    if value is None:
        return ""
    shown = f"{value:g}"
    return f"{shown}{unit}"


def _symptom_list(words: list[str]) -> list[str]:
    """Symptoms in vocabulary order, so two selections compare equal whatever the click order."""
    chosen = set(words)
    return [s for s in vocab.SYMPTOMS if s in chosen]


def day_values(day: Any) -> dict[str, Any]:
    """What the check-in form reads back after showing ``day`` (None: an empty form).

    Stored numbers go through the same text the form shows, so an untouched field compares
    equal to what the form reads and is never sent as a change.
    """
    values: dict[str, Any] = {}
    for field, (_, _, parse) in DAY_INPUTS.items():
        stored = getattr(day, field, None)
        try:
            values[field] = parse(_number_text(stored, DAY_UNITS.get(field, "")))
        except UserError:
            values[field] = stored
    for field in DAY_CHOICES:
        values[field] = getattr(day, field, None)
    values["symptoms"] = _symptom_list(wording.split_set(getattr(day, "symptoms", None)))
    values["note"] = getattr(day, "note", None)
    return values


@dataclass(frozen=True)
class DayEdit:
    """What the person changed in the check-in since the diary last confirmed it."""

    changes: dict[str, Any]
    added: list[str]
    removed: list[str]

    @classmethod
    def between(cls, base: dict[str, Any], values: dict[str, Any]) -> DayEdit:
        """The fields of ``values`` that differ from ``base``; symptoms word by word."""
        changes = {
            field: value
            for field, value in values.items()
            if field != "symptoms" and value != base.get(field)
        }
        added = [s for s in values["symptoms"] if s not in base["symptoms"]]
        removed = [s for s in base["symptoms"] if s not in values["symptoms"]]
        return cls(changes, added, removed)

    def __bool__(self) -> bool:
        return bool(self.changes or self.added or self.removed)


class CheckInForm(VerticalScroll, can_focus=False):
    """Today's check-in. Posts ``Changed`` after a short pause in typing; the screen stores it."""

    class Changed(Message):
        """The fields settled; ``values`` is every shown field, ``errors`` maps field -> message."""

        def __init__(self, values: dict[str, Any], errors: dict[str, str]) -> None:
            super().__init__()
            self.values = values
            self.errors = errors

    class Shown(Message):
        """The form is mounted with its fields: Today adds it just after the app's first frame,
        so a check-in read before then is shown now."""

    #: Seconds of quiet after the last change before ``Changed`` is posted. Tests set 0: then it
    #: is posted once the changes already queued are handled, with no timer to wait for.
    SAVE_DELAY = 0.8

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._timer: Timer | None = None
        self._settling = False  # with no delay: a ``_settled`` call is queued
        #: Whether the fields are there to show a check-in (from ``on_mount`` on: the children
        #: are mounted before it runs, but the form is in the DOM as soon as it is added).
        self.shown = False

    def on_mount(self) -> None:
        self.border_title = "Today's check-in"
        self.shown = True
        self.post_message(self.Shown())

    def compose(self) -> ComposeResult:
        for field, (label, placeholder, _) in DAY_INPUTS.items():
            yield field_row(
                label,
                Input(placeholder=placeholder, id=field, compact=True),
                Static("", id=f"{field}-status", classes="field-status"),
            )
            if field in DAY_CHOICE_ROWS:
                # Its own row, so "moderate" and "3 so-so" are readable at 80 columns.
                choice, choice_label = DAY_CHOICE_ROWS[field]
                options = (
                    [(w, w) for w in vocab.EXERCISE_INTENSITIES]
                    if choice == "exercise_intensity"
                    else [(f"{n} {w}", n) for n, w in enumerate(SLEEP_QUALITY, start=1)]
                )
                yield field_row(
                    choice_label,
                    Select(options, prompt=UNKNOWN, id=choice, compact=True),
                    classes="choice-row",
                )
        # Errors show right under the fields they concern, visible even at 80×24.
        yield Static("", id="day-status")
        yield field_row(
            "Symptoms",
            SelectionList[str](
                *((s.replace("_", " "), s) for s in vocab.SYMPTOMS), id="day-symptoms", compact=True
            ),
            id="day-symptom-row",
        )
        yield field_row("Note", Input(placeholder="optional", id="day-note", compact=True))

    def load(self, day: Any, fields: list[str] | None = None) -> None:
        """Show a stored check-in (or nothing), in every field or only in ``fields``."""
        if day is None:
            return
        chosen = set(DAY_FIELDS if fields is None else fields)
        for field in DAY_INPUTS.keys() & chosen:
            value = getattr(day, field)
            self.query_one(f"#{field}", Input).value = _number_text(value, DAY_UNITS.get(field, ""))
        for field in set(DAY_CHOICES) & chosen:
            value = getattr(day, field)
            self.query_one(f"#{field}", Select).value = Select.NULL if value is None else value
        if "symptoms" in chosen:
            symptoms = self.query_one("#day-symptoms", SelectionList)
            stored = set(wording.split_set(day.symptoms))
            for word in set(symptoms.selected) - stored:
                symptoms.deselect(word)
            for word in stored - set(symptoms.selected):
                symptoms.select(word)
        if "note" in chosen:
            self.query_one("#day-note", Input).value = day.note or ""

    def read(self) -> tuple[dict[str, Any], dict[str, str]]:
        """Every shown field as a stored value, and a one-line error for each field that is wrong.

        The form does not show every column (alcohol is logged from the command line); those are
        never sent, so the diary keeps them.
        """
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for field, (_, _, parse) in DAY_INPUTS.items():
            try:
                values[field] = parse(self.query_one(f"#{field}", Input).value)
            except UserError as exc:
                errors[field] = str(exc)
        for field in DAY_CHOICES:
            value = self.query_one(f"#{field}", Select).value
            values[field] = None if value is Select.NULL else value
        values["symptoms"] = _symptom_list(self.query_one("#day-symptoms", SelectionList).selected)
        try:
            values["note"] = validation.text("note", self.query_one("#day-note", Input).value)
        except UserError as exc:
            errors["day-note"] = str(exc)
        return values, errors

    def show_result(self, errors: dict[str, str], saved: bool) -> None:
        """Mark each field: its one-line error, and "saved ✓" when the day was stored."""
        for field in DAY_INPUTS:
            status = self.query_one(f"#{field}-status", Static)
            status.update("✗" if field in errors else "")
            status.set_class(field in errors, "-error")
        status = self.query_one("#day-status", Static)
        status.update(" · ".join(errors.values()) + " — not saved" if errors else "")
        status.set_class(bool(errors), "-error")
        self.border_subtitle = "not saved" if errors else "saved ✓" if saved else ""
        self.set_class(bool(errors), "-error")

    @on(Input.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _changed(self) -> None:
        self.settle_later()

    def settle_later(self) -> None:
        """Post ``Changed`` after the next pause (restarting the wait if one is running)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.SAVE_DELAY > 0:
            self._timer = self.set_timer(self.SAVE_DELAY, self._settled)
        elif not self._settling:
            self._settling = True
            self.call_later(self._settled)

    def _settled(self) -> None:
        self._timer = None
        self._settling = False
        values, errors = self.read()
        self.post_message(self.Changed(values, errors))
