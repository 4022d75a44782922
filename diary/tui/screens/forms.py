"""Small modal forms shared by History and Meds: confirm, add a course or a visit; the edit base.

Each form reads its fields on the UI thread, then hands them to a worker thread that parses the
text and calls the ``Diary`` facade, which validates through the same rules as the command line.
A ``UserError`` comes back as one line under the fields and nothing is stored; on success the form
dismisses itself with the stored row, so the screen that opened it can refresh and say so.

``EditForm`` is what every edit form shares (an episode's in ``episode_edit``, a course's and a
visit's in ``meds_edit``): only the fields the person changed are sent, and only if nobody changed
them elsewhere since the form loaded; a conflict shows what is stored now instead of overwriting it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult, CSSPathType
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from diary import vocab, when
from diary.db.models import Medication
from diary.db.store import EditConflict
from diary.errors import UserError
from diary.tui import data
from diary.tui.app import diary_of


def word_options(vocabulary: tuple[str, ...]) -> list[tuple[str, str]]:
    """Select options for a vocabulary, with underscores shown as spaces."""
    return [(word.replace("_", " "), word) for word in vocabulary]


def word_select(vocabulary: tuple[str, ...], value: str, ident: str) -> Select[str]:
    """A compact Select of a vocabulary's words with one always chosen (no blank)."""
    return Select(word_options(vocabulary), value=value, allow_blank=False, compact=True, id=ident)


def field(label: str, widget: Any) -> Horizontal:
    """One labelled row of a form."""
    return Horizontal(Label(label, classes="rf-label"), widget, classes="rf-row")


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; ``y`` or Enter on Yes confirms, ``n`` or Escape declines."""

    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="rf-dialog -confirm"):
            yield Static(self.question, classes="rf-question")
            with Horizontal(classes="rf-buttons"):
                yield Button("Yes  y", id="f-yes", variant="error", compact=True)
                yield Button("No  n", id="f-no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#f-no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        """Close with the answer."""
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "f-yes")


class RecordForm(ModalScreen[Any]):
    """A form that stores one record through the diary; dismisses with it, or None on cancel."""

    CSS_PATH: ClassVar[CSSPathType | None] = "forms.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]
    #: The dialog's title.
    TITLE_TEXT = "Form"
    #: The form's widgets by the field they hold (what ``values`` reads).
    WIDGETS: ClassVar[dict[str, str]] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="rf-dialog"):
            yield Static(self.TITLE_TEXT, classes="rf-title")
            with VerticalScroll(classes="rf-fields", can_focus=False):
                yield from self.fields()
            yield Static("", id="f-error", classes="rf-error")
            with Horizontal(classes="rf-buttons"):
                yield Button("Save ctrl+s", id="f-save", variant="primary", compact=True)
                yield Button("Cancel esc", id="f-cancel", compact=True)

    def on_mount(self) -> None:
        # Start in the first field, not on the scrolling container around the fields.
        self.query(".rf-row > *").exclude(".rf-label").first().focus()

    def fields(self) -> ComposeResult:
        """The form's labelled rows."""
        yield from ()

    def values(self) -> dict[str, Any]:
        """What the fields hold, read on the UI thread."""
        return {name: read_value(self.query_one(ident)) for name, ident in self.WIDGETS.items()}

    def store(self, diary: data.Diary, values: dict[str, Any]) -> Any:
        """Parse ``values`` and store them (runs in a worker thread; may raise ``UserError``)."""
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        """Show one line saying what is wrong; the form stays open."""
        error = self.query_one("#f-error", Static)
        error.update(message)
        error.set_class(bool(message), "-shown")

    def action_cancel(self) -> None:
        """Close without storing anything."""
        self.dismiss(None)

    def action_save(self) -> None:
        """Validate and store in a worker."""
        self.show_error("")
        self._save(self.values())

    @on(Button.Pressed, "#f-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#f-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def refused(self, error: UserError) -> None:
        """The diary refused the values (on the UI thread): say why, keep the form open."""
        self.show_error(str(error))

    @work(thread=True, exclusive=True, group="save")
    def _save(self, values: dict[str, Any]) -> None:
        diary = diary_of(self.app)
        try:
            stored = self.store(diary, values)
        except UserError as exc:
            self.app.call_from_thread(self.refused, exc)
            return
        self.app.call_from_thread(self.dismiss, stored)


def text_of(screen: ModalScreen[Any], selector: str) -> str:
    """What the Input ``selector`` of ``screen`` holds."""
    return screen.query_one(selector, Input).value


def choice_of(screen: ModalScreen[Any], selector: str) -> str | None:
    """What the Select ``selector`` of ``screen`` has chosen (None: nothing)."""
    value = screen.query_one(selector, Select).value
    return None if value is Select.NULL else str(value)


def read_value(widget: Any) -> Any:
    """What an Input holds, what a Select has chosen (None: nothing) or the words a SelectionList
    has ticked (``show_value`` the other way round)."""
    if isinstance(widget, Select):
        return None if widget.value is Select.NULL else str(widget.value)
    if isinstance(widget, SelectionList):
        return list(widget.selected)
    return widget.value


def show_value(widget: Any, value: Any) -> None:
    """Show ``value`` in an Input, a Select (empty: none chosen) or a SelectionList (the words
    ticked, exactly)."""
    if isinstance(widget, Select):
        widget.value = value if value else Select.NULL
    elif isinstance(widget, SelectionList):
        widget.deselect_all()
        for item in value:
            widget.select(item)
    else:
        widget.value = value


def clear_emptied(changes: dict[str, Any], names: tuple[str, ...]) -> None:
    """Make each of the text fields ``names`` that the person emptied None: cleared, unknown from
    now on (never stored as '' or 0)."""
    for name in names:
        if name in changes and not changes[name].strip():
            changes[name] = None


def conflict_text(names: list[str]) -> str:
    """What an edit form says when fields it would change were changed elsewhere meanwhile."""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    verb = "was" if len(names) == 1 else "were"
    return f"Not saved: {listed} {verb} changed elsewhere; showing what is stored now."


class EditForm(RecordForm):
    """A form that edits one stored record: measures the changes against the record as loaded,
    sends only those with a compare-and-set, and shows a conflict instead of overwriting it."""

    #: Stored fields named as the form labels them, for messages.
    LABELS: ClassVar[dict[str, str]] = {}
    #: Stored fields the form shows under another name (an episode's ``started_at`` in "when").
    SHOWN_AS: ClassVar[dict[str, str]] = {}

    def __init__(self, record: Any) -> None:
        super().__init__()
        self.record = record  # as loaded: the base that changes are measured against

    def texts(self, record: Any) -> dict[str, Any]:
        """The record as the form shows it: what ``values`` reads when untouched."""
        raise NotImplementedError

    def touched(self, values: dict[str, Any]) -> dict[str, Any]:
        """The fields whose value the person changed since the form loaded."""
        loaded = self.texts(self.record)
        return {name: value for name, value in values.items() if value != loaded[name]}

    def as_loaded(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Each changed field as the record held it when the form loaded: the compare-and-set's
        expectation (the store refuses the edit if one of them was changed elsewhere since)."""
        return {name: getattr(self.record, name) for name in changes}

    def fill(self, record: Any, only: set[str] | None = None) -> None:
        """Show ``record`` in the fields (all, or those named in ``only``)."""
        shown = self.texts(record)
        for name, ident in self.WIDGETS.items():
            if only is None or name in only:
                show_value(self.query_one(ident), shown[name])

    def refused(self, error: UserError) -> None:
        """On a conflict, show what is stored now and say so; any other refusal as one line."""
        if isinstance(error, EditConflict):
            self.conflict(error)
        else:
            super().refused(error)

    def conflict(self, error: EditConflict) -> str:
        """Show what is stored now in the conflicting fields and in those the person left alone
        (their other edits stay), say so under the fields, and return what was said."""
        mine = set(self.touched(self.values()))
        conflicting = {self.SHOWN_AS.get(name, name) for name in error.fields}
        self.record = error.current
        self.fill(error.current, only=conflicting | (set(self.WIDGETS) - mine))
        text = conflict_text([self.LABELS.get(name, name) for name in error.fields])
        self.show_error(text)
        return text


class MedicationForm(RecordForm):
    """Record a course of a medicine or supplement."""

    TITLE_TEXT = "Add a medication"
    WIDGETS: ClassVar[dict[str, str]] = {
        "name": "#f-name",
        "drug_class": "#f-drug_class",
        "dose": "#f-dose",
        "started_on": "#f-started",
        "stopped_on": "#f-stopped",
        "note": "#f-note",
    }

    def fields(self) -> ComposeResult:
        today = data.now().date().isoformat()
        yield field("Name", Input(compact=True, id="f-name"))
        yield field("Class", word_select(vocab.DRUG_CLASSES, "other", "f-drug_class"))
        yield field("Dose", Input(placeholder="e.g. 2.5 mg", compact=True, id="f-dose"))
        yield field("Started", Input(today, placeholder="YYYY-MM-DD", compact=True, id="f-started"))
        yield field(
            "Stopped", Input(placeholder="blank while ongoing", compact=True, id="f-stopped")
        )
        yield field("Note", Input(compact=True, id="f-note"))

    def store(self, diary: data.Diary, values: dict[str, Any]) -> Medication:
        today = data.now().date()
        parsed = dict(values)
        parsed["started_on"] = when.parse_date(
            values["started_on"] or "today", today=today, field="started_on"
        )
        if values["stopped_on"].strip():
            parsed["stopped_on"] = when.parse_date(
                values["stopped_on"], today=today, field="stopped_on"
            )
        else:
            parsed["stopped_on"] = None
        return diary.add_medication(parsed)


class StopCourseForm(RecordForm):
    """Stop an ongoing course on a date (today unless changed)."""

    WIDGETS: ClassVar[dict[str, str]] = {"on": "#f-on"}

    def __init__(self, name: str) -> None:
        super().__init__()
        self.course_name = name
        self.TITLE_TEXT = f"Stop {name}"

    def fields(self) -> ComposeResult:
        today = data.now().date().isoformat()
        yield field("Stopped on", Input(today, placeholder="YYYY-MM-DD", compact=True, id="f-on"))

    def store(self, diary: data.Diary, values: dict[str, Any]) -> Medication:
        on_day = when.parse_date(values["on"] or "today", today=data.now().date(), field="date")
        return diary.stop_medication(self.course_name, on_day)


class VisitForm(RecordForm):
    """Record a doctor's appointment or test and what came of it."""

    TITLE_TEXT = "Add a visit"
    WIDGETS: ClassVar[dict[str, str]] = {
        "date": "#f-date",
        "kind": "#f-kind",
        "tests": "#f-tests",
        "outcome": "#f-outcome",
        "note": "#f-note",
    }

    def fields(self) -> ComposeResult:
        today = data.now().date().isoformat()
        yield field("Date", Input(today, placeholder="YYYY-MM-DD", compact=True, id="f-date"))
        yield field("Kind", word_select(vocab.VISIT_KINDS, "gp", "f-kind"))
        yield field(
            "Tests",
            SelectionList[str](*word_options(vocab.VISIT_TESTS), compact=True, id="f-tests"),
        )
        yield field("Outcome", Input(placeholder="e.g. normal", compact=True, id="f-outcome"))
        yield field("Note", Input(compact=True, id="f-note"))

    def store(self, diary: data.Diary, values: dict[str, Any]) -> Any:
        parsed = dict(values)
        parsed["date"] = when.parse_date(values["date"] or "today", today=data.now().date())
        return diary.add_visit(parsed)
