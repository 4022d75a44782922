"""Today's "Log an episode" form: a site, then only what the person wants to add.

Everything but the site starts as "unknown" (kind as twitch): what the person leaves alone is stored
as unknown, never as a made-up 3 or 0 s. The form reads and checks its fields and posts
``Submitted``; the Today screen stores the episode.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, SelectionList

from diary import validation, vocab, when
from diary.errors import UserError
from diary.tui.widgets.choice import WordChoice
from diary.tui.widgets.field_row import field_row
from diary.tui.widgets.intensity import IntensityScale
from diary.tui.widgets.site_select import SiteSelect, site_options

#: What the Duration box says while empty: an empty box stores "unknown", never 0 s.
DURATION_HINT = "unknown, e.g. 30s"


class EpisodeForm(VerticalScroll, can_focus=False):
    """The "Log an episode" form. Digits 1–9 and 0 (=10) set the intensity while it has focus.

    Everything but the site starts as "unknown" (kind as twitch): what the person leaves alone
    is stored as unknown, never as a made-up 3 or 0 s.
    """

    BINDINGS = [
        *(Binding(str(n), f"intensity({n})", show=False) for n in range(1, 10)),
        Binding("0", "intensity(10)", show=False),
        Binding("ctrl+s", "submit", "Save"),
    ]

    class Submitted(Message):
        """The person asked to save; ``values`` are parsed, or ``error`` says what is wrong."""

        def __init__(self, values: dict[str, Any] | None, error: str | None) -> None:
            super().__init__()
            self.values = values
            self.error = error

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # The fields as the last reset left them: ctrl+s on an untouched form after a save
        # would store the same thing again, so it is refused with a word instead.
        self._after_save: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        # Site alone in the first frame: it has the focus, and a person opening the app mid-twitch
        # starts there. The other fields follow at once (``add_fields``, called by Today just
        # after the app's first frame), long before anyone can Tab to them.
        yield field_row(
            "Site", SiteSelect(site_options(), prompt="choose", id="site", compact=True)
        )

    @property
    def complete(self) -> bool:
        """Whether every field is mounted (``add_fields`` has run)."""
        return bool(self.query("#note-row"))

    def add_fields(self) -> None:
        """Mount every field after Site (once)."""
        if self.complete:
            return
        self.mount_all(
            [
                field_row("Side", WordChoice(vocab.SIDES, id="side")),
                field_row(
                    "Kind", WordChoice(vocab.KINDS, value="twitch", optional=False, id="kind")
                ),
                field_row("Intensity", IntensityScale(id="intensity")),
                Horizontal(
                    Label("Duration", classes="field-label"),
                    Input(placeholder=DURATION_HINT, id="duration", compact=True),
                    Label("When", classes="field-label-short"),
                    Input(value="now", placeholder="now, -2h, 22:15", id="when", compact=True),
                    classes="field-row",
                ),
                field_row(
                    "Symptoms",
                    SelectionList[str](
                        *((s.replace("_", " "), s) for s in vocab.SYMPTOMS),
                        id="symptoms",
                        compact=True,
                    ),
                    id="symptom-row",
                ),
                field_row(
                    "Context",
                    SelectionList[str](
                        *((c.replace("_", " "), c) for c in vocab.CONTEXTS),
                        id="context",
                        compact=True,
                    ),
                    id="context-row",
                ),
                Horizontal(
                    Label("Note", classes="field-label"),
                    Input(placeholder="optional", id="note", compact=True),
                    Button("Save ⏎", id="save", variant="primary", compact=True),
                    classes="field-row",
                    id="note-row",
                ),
            ]
        )

    def set_sites(self, recent: list[str]) -> None:
        """Offer the recently used sites first and pre-select the latest one if none is chosen."""
        select = self.query_one("#site", SiteSelect)
        if select.expanded:
            return  # the person is choosing: do not move the list under them
        current = select.value
        select.set_options(site_options(recent))
        if current is not Select.NULL:
            select.value = current
        elif recent:
            select.value = recent[0]
        if self._after_save is not None:
            self._after_save["body_site"] = select.value

    def action_intensity(self, value: int) -> None:
        """Set the intensity from a digit key."""
        if self.complete:
            self.query_one(IntensityScale).value = value

    def action_submit(self) -> None:
        """Read and check every field, then post ``Submitted`` (nothing while the fields are
        still being added, a few milliseconds after the app opens)."""
        if not self.complete:
            return
        if self._after_save is not None and self._fields() == self._after_save:
            self.post_message(
                self.Submitted(
                    None,
                    "Already saved: change a field first, or ctrl+r logs the last one again.",
                )
            )
            return
        try:
            values = self._read()
        except UserError as exc:
            self.post_message(self.Submitted(None, str(exc)))
        else:
            self.post_message(self.Submitted(values, None))

    def _fields(self) -> dict[str, Any]:
        """What every field holds, as shown (to tell an untouched form)."""
        return {
            "body_site": self.query_one("#site", Select).value,
            "side": self.query_one("#side", WordChoice).value,
            "kind": self.query_one("#kind", WordChoice).value,
            "intensity": self.query_one(IntensityScale).value,
            "duration": self.query_one("#duration", Input).value,
            "when": self.query_one("#when", Input).value,
            "symptoms": list(self.query_one("#symptoms", SelectionList).selected),
            "context": list(self.query_one("#context", SelectionList).selected),
            "note": self.query_one("#note", Input).value,
        }

    def _read(self) -> dict[str, Any]:
        site = self.query_one("#site", Select).value
        if site is Select.NULL:
            raise UserError("site must be chosen (the list starts with your recent sites)")
        now = when.now_local()
        started = when.parse_when(self.query_one("#when", Input).value, now=now)
        duration = self.query_one("#duration", Input).value
        return {
            "started_at": validation.started_at(started, now=now),
            "body_site": site,
            "side": self.query_one("#side", WordChoice).value,
            "kind": self.query_one("#kind", WordChoice).value or "twitch",
            "intensity": self.query_one(IntensityScale).value,
            # An empty box is "not timed": unknown, not 0 s.
            "duration_s": validation.duration_s(duration) if duration.strip() else None,
            "symptoms": list(self.query_one("#symptoms", SelectionList).selected),
            "context": list(self.query_one("#context", SelectionList).selected),
            "note": validation.text("note", self.query_one("#note", Input).value),
        }

    def reset(self) -> None:
        """After a save: everything back to "unknown" (kind to twitch) but the site, which
        the next episode often shares; focus goes back to Site."""
        self.query_one("#side", WordChoice).value = None
        self.query_one("#kind", WordChoice).value = "twitch"
        self.query_one(IntensityScale).value = None
        self.query_one("#duration", Input).value = ""
        self.query_one("#when", Input).value = "now"
        self.query_one("#note", Input).value = ""
        self.query_one("#symptoms", SelectionList).deselect_all()
        self.query_one("#context", SelectionList).deselect_all()
        self.query_one("#site", Select).focus()
        self.scroll_home(animate=False)
        self._after_save = self._fields()

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def _save_requested(self) -> None:
        self.action_submit()
