"""Small modal forms shared by History and Meds: edit an episode, confirm, add a course or a visit.

Each form reads its fields on the UI thread, then hands them to a worker thread that parses the
text and calls the ``Diary`` facade, which validates through the same rules as the command line.
A ``UserError`` comes back as one line under the fields and nothing is stored; on success the form
dismisses itself with the stored row, so the screen that opened it can refresh and say so.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from diary import vocab, when, wording
from diary.db import store as db_store
from diary.db.models import Episode, Medication
from diary.errors import UserError
from diary.tui import data
from diary.tui.widgets.site_select import SiteSelect, site_options
from diary.wording import duration

#: How episode times are shown and typed in the TUI (local wall-clock time).
WHEN_FORMAT = "%Y-%m-%d %H:%M"


def word_options(vocabulary: tuple[str, ...]) -> list[tuple[str, str]]:
    """Select options for a vocabulary, with underscores shown as spaces."""
    return [(word.replace("_", " "), word) for word in vocabulary]


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

    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]
    #: The dialog's title.
    TITLE_TEXT = "Form"

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
        return {}

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
        diary: data.Diary = self.app.diary  # type: ignore[attr-defined]
        try:
            stored = self.store(diary, values)
        except UserError as exc:
            self.app.call_from_thread(self.refused, exc)
            return
        self.app.call_from_thread(self.dismiss, stored)


def _text(screen: ModalScreen[Any], selector: str) -> str:
    return screen.query_one(selector, Input).value


def _choice(screen: ModalScreen[Any], selector: str) -> str | None:
    value = screen.query_one(selector, Select).value
    return None if value is Select.NULL else str(value)


#: The edit form's widgets by the field they edit ("when" is the typed time of ``started_at``).
EDIT_WIDGETS = {
    "body_site": "#f-site",
    "side": "#f-side",
    "kind": "#f-kind",
    "intensity": "#f-intensity",
    "duration_s": "#f-duration",
    "when": "#f-when",
    "symptoms": "#f-symptoms",
    "context": "#f-context",
    "note": "#f-note",
}
#: Fields named as the form labels them, for messages.
FIELD_LABELS = {"body_site": "site", "started_at": "time", "duration_s": "duration"}
#: The edit form's tick-box lists (the same lists as on Today) and their vocabularies.
TICK_BOXES = {"symptoms": vocab.SYMPTOMS, "context": vocab.CONTEXTS}
#: Typed fields whose empty box means "unknown" (stored as NULL, shown as "—").
OPTIONAL_TEXTS = ("intensity", "duration_s")


def episode_texts(episode: Episode) -> dict[str, Any]:
    """An episode as the edit form shows it: what ``EpisodeForm.values`` reads when untouched.

    An unknown intensity or duration is an empty box, so saving the form untouched keeps it
    unknown instead of turning it into 0 s.
    """
    return {
        "body_site": episode.body_site,
        "side": episode.side,
        "kind": episode.kind,
        "intensity": "" if episode.intensity is None else str(episode.intensity),
        "duration_s": "" if episode.duration_s is None else duration(episode.duration_s),
        "when": episode.started_at.strftime(WHEN_FORMAT),
        "symptoms": wording.split_set(episode.symptoms),
        "context": wording.split_set(episode.context),
        "note": episode.note or "",
    }


def _ticked(screen: ModalScreen[Any], selector: str, vocabulary: tuple[str, ...]) -> list[str]:
    """The ticked words in vocabulary order, so the click order never reads as a change."""
    chosen = set(screen.query_one(selector, SelectionList).selected)
    return [word for word in vocabulary if word in chosen]


def _tick(widget: SelectionList[str], words: list[str]) -> None:
    """Tick exactly ``words``."""
    widget.deselect_all()
    for word in words:
        widget.select(word)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class EpisodeForm(RecordForm):
    """Edit one episode: only the fields the person changed are sent, and only if nobody else
    changed them since the form loaded (the command line may edit while the app is open)."""

    TITLE_TEXT = "Edit episode"

    def __init__(self, episode: Episode) -> None:
        super().__init__()
        self.episode = episode  # as loaded: the base that changes are measured against

    def fields(self) -> ComposeResult:
        episode = self.episode
        shown = episode_texts(episode)
        yield field(
            "Site",
            SiteSelect(
                site_options(),
                value=episode.body_site,
                allow_blank=False,
                compact=True,
                id="f-site",
            ),
        )
        yield field(
            "Side",
            Select(
                word_options(vocab.SIDES),
                value=episode.side or Select.NULL,
                prompt="unknown",
                compact=True,
                id="f-side",
            ),
        )
        yield field(
            "Kind",
            Select(
                word_options(vocab.KINDS),
                value=episode.kind,
                allow_blank=False,
                compact=True,
                id="f-kind",
            ),
        )
        yield field(
            "Intensity",
            Input(shown["intensity"], placeholder="unknown (1–10)", compact=True, id="f-intensity"),
        )
        yield field(
            "Duration",
            Input(
                shown["duration_s"], placeholder="unknown, e.g. 30s", compact=True, id="f-duration"
            ),
        )
        yield field("When", Input(shown["when"], compact=True, id="f-when"))
        for name, vocabulary in TICK_BOXES.items():
            ticked = set(shown[name])
            boxes = [(w.replace("_", " "), w, w in ticked) for w in vocabulary]
            yield field(
                name.capitalize(),
                SelectionList[str](*boxes, compact=True, id=EDIT_WIDGETS[name][1:]),
            )
        yield field("Note", Input(shown["note"], compact=True, id="f-note"))

    def on_mount(self) -> None:
        """Bring the first ticked box of each list into view (a tick below the visible rows
        would read as "none"). RecordForm's own on_mount, focusing the first field, runs too."""
        for name in TICK_BOXES:
            boxes = self.query_one(EDIT_WIDGETS[name], SelectionList)
            ticked = set(boxes.selected)
            first = next(
                (
                    i
                    for i in range(boxes.option_count)
                    if boxes.get_option_at_index(i).value in ticked
                ),
                None,
            )
            if first is not None:
                boxes.highlighted = first
                boxes.scroll_to_highlight(top=True)

    def values(self) -> dict[str, Any]:
        choices = ("body_site", "side", "kind")
        values: dict[str, Any] = {}
        for name, ident in EDIT_WIDGETS.items():
            if name in TICK_BOXES:
                values[name] = _ticked(self, ident, TICK_BOXES[name])
            else:
                values[name] = (_choice if name in choices else _text)(self, ident)
        return values

    def touched(self, values: dict[str, Any]) -> dict[str, Any]:
        """The fields whose text the person changed since the form loaded."""
        loaded = episode_texts(self.episode)
        return {name: value for name, value in values.items() if value != loaded[name]}

    def store(self, diary: data.Diary, values: dict[str, Any]) -> Episode:
        changes = self.touched(values)
        for name in OPTIONAL_TEXTS:
            if name in changes and not changes[name].strip():
                changes[name] = None  # emptied: unknown from now on
        when_text = changes.pop("when", None)
        # An untouched time keeps its seconds and its original UTC offset.
        if when_text is not None and when_text.strip() != episode_texts(self.episode)["when"]:
            changes["started_at"] = when.parse_when(when_text.strip(), now=data.now())
        # Compare-and-set: each changed field must still hold what this form loaded.
        loaded = db_store.episode_values(self.episode)
        expected = {name: loaded[name] for name in changes}
        return diary.update_episode(self.episode.id, changes, expected)

    def refused(self, error: UserError) -> None:
        """On a conflict, show what is stored now (keeping the person's other edits) and say so."""
        if not isinstance(error, db_store.EditConflict):
            super().refused(error)
            return
        mine = self.touched(self.values())
        conflicting = {"when" if f == "started_at" else f for f in error.fields}
        self.episode = error.current
        fresh = episode_texts(error.current)
        for name, ident in EDIT_WIDGETS.items():
            if name in conflicting or name not in mine:
                widget = self.query_one(ident)
                if isinstance(widget, Select):
                    widget.value = Select.NULL if fresh[name] is None else fresh[name]
                elif isinstance(widget, SelectionList):
                    _tick(widget, fresh[name])
                else:
                    widget.value = fresh[name]  # type: ignore[attr-defined]
        names = _and([FIELD_LABELS.get(f, f) for f in error.fields])
        verb = "was" if len(error.fields) == 1 else "were"
        text = f"Not saved: {names} {verb} changed elsewhere; showing what is stored now."
        self.show_error(text)
        self.notify(text, severity="warning", title="Changed elsewhere")


class MedicationForm(RecordForm):
    """Record a course of a medicine or supplement."""

    TITLE_TEXT = "Add a medication"

    def fields(self) -> ComposeResult:
        today = data.now().date().isoformat()
        yield field("Name", Input(compact=True, id="f-name"))
        yield field(
            "Class",
            Select(
                word_options(vocab.DRUG_CLASSES),
                value="other",
                allow_blank=False,
                compact=True,
                id="f-drug_class",
            ),
        )
        yield field("Dose", Input(placeholder="e.g. 2.5 mg", compact=True, id="f-dose"))
        yield field("Started", Input(today, placeholder="YYYY-MM-DD", compact=True, id="f-started"))
        yield field(
            "Stopped", Input(placeholder="blank while ongoing", compact=True, id="f-stopped")
        )
        yield field("Note", Input(compact=True, id="f-note"))

    def values(self) -> dict[str, Any]:
        return {
            "name": _text(self, "#f-name"),
            "drug_class": _choice(self, "#f-drug_class"),
            "dose": _text(self, "#f-dose"),
            "started_on": _text(self, "#f-started"),
            "stopped_on": _text(self, "#f-stopped"),
            "note": _text(self, "#f-note"),
        }

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

    def __init__(self, name: str) -> None:
        super().__init__()
        self.course_name = name
        self.TITLE_TEXT = f"Stop {name}"

    def fields(self) -> ComposeResult:
        today = data.now().date().isoformat()
        yield field("Stopped on", Input(today, placeholder="YYYY-MM-DD", compact=True, id="f-on"))

    def values(self) -> dict[str, Any]:
        return {"on": _text(self, "#f-on")}

    def store(self, diary: data.Diary, values: dict[str, Any]) -> Medication:
        on_day = when.parse_date(values["on"] or "today", today=data.now().date(), field="date")
        return diary.stop_medication(self.course_name, on_day)


class VisitForm(RecordForm):
    """Record a doctor's appointment or test and what came of it."""

    TITLE_TEXT = "Add a visit"

    def fields(self) -> ComposeResult:
        today = data.now().date().isoformat()
        yield field("Date", Input(today, placeholder="YYYY-MM-DD", compact=True, id="f-date"))
        yield field(
            "Kind",
            Select(
                word_options(vocab.VISIT_KINDS),
                value="gp",
                allow_blank=False,
                compact=True,
                id="f-kind",
            ),
        )
        yield field(
            "Tests",
            SelectionList[str](*word_options(vocab.VISIT_TESTS), compact=True, id="f-tests"),
        )
        yield field("Outcome", Input(placeholder="e.g. normal", compact=True, id="f-outcome"))
        yield field("Note", Input(compact=True, id="f-note"))

    def values(self) -> dict[str, Any]:
        return {
            "date": _text(self, "#f-date"),
            "kind": _choice(self, "#f-kind"),
            "tests": list(self.query_one("#f-tests", SelectionList).selected),
            "outcome": _text(self, "#f-outcome"),
            "note": _text(self, "#f-note"),
        }

    def store(self, diary: data.Diary, values: dict[str, Any]) -> Any:
        parsed = dict(values)
        parsed["date"] = when.parse_date(values["date"] or "today", today=data.now().date())
        return diary.add_visit(parsed)
