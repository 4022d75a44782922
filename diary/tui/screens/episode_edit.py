"""The dialog that edits one episode (History's ``e`` or Enter).

It shows the episode as stored, sends only the fields the person changed, and only if nobody
changed them elsewhere since it loaded (``twitch edit`` may run while the app is open): see
``EditForm``. An emptied intensity or duration becomes unknown, never 0.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Input, Select, SelectionList

from diary import vocab, when, wording
from diary.db.models import Episode
from diary.db.store import EditConflict
from diary.tui import data
from diary.tui.screens.forms import (
    EditForm,
    choice_of,
    clear_emptied,
    field,
    text_of,
    word_options,
    word_select,
)
from diary.tui.widgets.site_select import SiteSelect, site_options
from diary.wording import duration

#: How episode times are shown and typed in the TUI (local wall-clock time).
WHEN_FORMAT = "%Y-%m-%d %H:%M"
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
    """An episode as the edit form shows it: what ``EpisodeEditForm.values`` reads when untouched.

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


class EpisodeEditForm(EditForm):
    """Edit one episode: only the fields the person changed are sent, and only if nobody else
    changed them since the form loaded (the command line may edit while the app is open)."""

    TITLE_TEXT = "Edit episode"
    WIDGETS = EDIT_WIDGETS
    LABELS = FIELD_LABELS
    SHOWN_AS = {"started_at": "when"}

    def __init__(self, episode: Episode) -> None:
        super().__init__(episode)

    def texts(self, record: Any) -> dict[str, Any]:
        return episode_texts(record)

    def fields(self) -> ComposeResult:
        episode = self.record
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
        yield field("Kind", word_select(vocab.KINDS, episode.kind, "f-kind"))
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
                values[name] = (choice_of if name in choices else text_of)(self, ident)
        return values

    def store(self, diary: data.Diary, values: dict[str, Any]) -> Episode:
        changes = self.touched(values)
        clear_emptied(changes, OPTIONAL_TEXTS)
        when_text = changes.pop("when", None)
        # An untouched time keeps its seconds and its original UTC offset.
        if when_text is not None and when_text.strip() != episode_texts(self.record)["when"]:
            changes["started_at"] = when.parse_when(when_text.strip(), now=data.now())
        # Compare-and-set: each changed field must still hold what this form loaded.
        return diary.update_episode(self.record.id, changes, self.as_loaded(changes))

    def conflict(self, error: EditConflict) -> str:
        """As every edit form, and a toast too: the time may be off screen below the fields."""
        text = super().conflict(error)
        self.notify(text, severity="warning", title="Changed elsewhere")
        return text
