"""The Today screen: log an episode in seconds, fill in the day's check-in, see today's episodes.

The screen owns the state (today's date, the episode to undo, what the check-in last stored) and
does every database call in a thread worker, which posts a message back. The two forms only read
their fields and post what was entered; they never write to the diary themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
)

from diary import guidance, validation, vocab, when, wording
from diary.errors import UserError
from diary.guidance import Alert
from diary.tui.widgets.alert import AlertModal
from diary.tui.widgets.choice import UNKNOWN, WordChoice
from diary.tui.widgets.site_select import SiteSelect, site_name, site_options

#: Seconds of quiet after the last change before the check-in is stored.
DAY_SAVE_DELAY = 0.8

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
#: What the Duration box says while empty: an empty box stores "unknown", never 0 s.
DURATION_HINT = "unknown, e.g. 30s"
#: Shown in the list for a value the person did not give.
#: The columns of today's list.
LIST_COLUMNS = ("Time", "Site", "Side", "Kind", "Int.", "Duration", "Symptoms, context")
#: The unit a stored number is shown with, so it reads back as the same value.
DAY_UNITS = {"water_ml": "ml", "caffeine_mg": "mg", "exercise_min": "m", "sleep_h": "h"}
DAY_CHOICES = ("exercise_intensity", "sleep_quality")
#: Every field the check-in form shows (alcohol is not among them: the command line logs it).
DAY_FIELDS = (*DAY_INPUTS, *DAY_CHOICES, "symptoms", "note")
SLEEP_QUALITY = ("very badly", "badly", "so-so", "well", "very well")


def day_and_time(moment: datetime, today: date) -> str:
    """``today at 20:00``, ``yesterday at 23:30``, ``on Mon 3 Mar at 08:15`` (year if not this one).

    A confirmation that only said "at 23:30" hid that "yesterday 23:30" went to another day.
    """
    day = moment.date()
    clock = f"at {moment:%H:%M}"
    if day == today:
        return f"today {clock}"
    if day == today - timedelta(days=1):
        return f"yesterday {clock}"
    if day == today + timedelta(days=1):
        return f"tomorrow {clock}"
    shown = f"{moment:%a} {day.day} {moment:%b}"
    if day.year != today.year:
        shown += f" {day.year}"
    return f"on {shown} {clock}"


def describe(episode: Any, today: date) -> str:
    """One line for a toast: ``cramp · calf (left) · intensity 5 · 2 min, yesterday at 23:30``.

    Only what was given is named: an unknown intensity or duration is left out, not shown as 0.
    """
    place = site_name(episode.body_site) + (f" ({episode.side})" if episode.side else "")
    parts = [episode.kind, place]
    if episode.intensity is not None:
        parts.append(f"intensity {episode.intensity}")
    if episode.duration_s is not None:
        parts.append(wording.duration(episode.duration_s))
    return " · ".join(parts) + ", " + day_and_time(episode.started_at, today)


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


# --- messages ----------------------------------------------------------------------------------


class EpisodeSaved(Message):
    """An episode was stored (logged or repeated)."""

    def __init__(self, episode: Any, alerts: list[Alert], *, repeated: bool) -> None:
        super().__init__()
        self.episode = episode
        self.alerts = alerts
        self.repeated = repeated


class EpisodeUndone(Message):
    """The last logged or repeated episode was deleted again."""

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__()
        self.values = values


class DaySaved(Message):
    """The person's changes to the check-in were stored; ``day`` is the row as stored now."""

    def __init__(self, day: Any, sent: dict[str, Any], seq: int, alerts: list[Alert]) -> None:
        super().__init__()
        self.day = day
        self.sent = sent  # the form's values when the save was asked for
        self.seq = seq
        self.alerts = alerts


class TodayLoaded(Message):
    """Today's episodes, the recent sites and the stored check-in, as the diary holds them now."""

    def __init__(self, episodes: list[Any], recent: list[str], day: Any) -> None:
        super().__init__()
        self.episodes = episodes
        self.recent = recent
        self.day = day


class StoreFailed(Message):
    """A worker's write was refused; ``text`` is the one-line reason."""

    def __init__(self, text: str, *, day: bool = False) -> None:
        super().__init__()
        self.text = text
        self.day = day


# --- widgets -----------------------------------------------------------------------------------


class IntensityScale(Widget, can_focus=True):
    """ "unknown", then 1 to 10 in a row, the chosen one bracketed; it starts at "unknown".

    Digit keys set it (the form binds them); ←/→ step and stop at the ends, the left end being
    "unknown"; Delete goes back there. A click on a number picks it.
    """

    BINDINGS = [
        Binding("left,down", "step(-1)", "Less", show=False),
        Binding("right,up", "step(1)", "More", show=False),
        Binding("delete,backspace", "clear", "Unknown", show=False),
    ]

    value: reactive[int | None] = reactive(None)
    """The chosen intensity, 1 (barely noticeable) to 10 (the worst imaginable); None: unknown."""

    def render(self) -> Text:
        """ "unknown" then 1 … 10; the chosen one bracketed."""
        text = Text()
        self._spans: list[tuple[int, int, int | None]] = []
        for n in [None, *range(validation.INTENSITY_MIN, validation.INTENSITY_MAX + 1)]:
            shown = UNKNOWN if n is None else str(n)
            start = len(text)
            if n == self.value:
                text.append(f"[{shown}]", style="bold reverse")
            else:
                text.append(f" {shown} " if n is None else shown, style="dim")
            self._spans.append((start, len(text), n))
            text.append(" ")
        return text

    def action_step(self, delta: int) -> None:
        """Move within "unknown", 1 … 10, without wrapping round."""
        stops: list[int | None] = [
            None,
            *range(validation.INTENSITY_MIN, validation.INTENSITY_MAX + 1),
        ]
        index = stops.index(self.value) + delta
        if 0 <= index < len(stops):
            self.value = stops[index]
        else:
            self.app.bell()

    def action_clear(self) -> None:
        """Back to "unknown"."""
        self.value = None

    def on_click(self, event: events.Click) -> None:
        """A click on a number (or on "unknown") picks it."""
        for start, end, n in getattr(self, "_spans", []):
            if start <= event.x < end:
                self.value = n
                return


def _row(label: str, *widgets: Widget, id: str | None = None, classes: str = "") -> Horizontal:
    return Horizontal(
        Label(label, classes="field-label"), *widgets, classes=f"field-row {classes}", id=id
    )


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
        yield _row("Site", SiteSelect(site_options(), prompt="choose", id="site", compact=True))
        yield _row("Side", WordChoice(vocab.SIDES, id="side"))
        yield _row("Kind", WordChoice(vocab.KINDS, value="twitch", optional=False, id="kind"))
        yield _row("Intensity", IntensityScale(id="intensity"))
        yield Horizontal(
            Label("Duration", classes="field-label"),
            Input(placeholder=DURATION_HINT, id="duration", compact=True),
            Label("When", classes="field-label-short"),
            Input(value="now", placeholder="now, -2h, 22:15", id="when", compact=True),
            classes="field-row",
        )
        yield _row(
            "Symptoms",
            SelectionList[str](
                *((s.replace("_", " "), s) for s in vocab.SYMPTOMS), id="symptoms", compact=True
            ),
            id="symptom-row",
        )
        yield _row(
            "Context",
            SelectionList[str](
                *((c.replace("_", " "), c) for c in vocab.CONTEXTS), id="context", compact=True
            ),
            id="context-row",
        )
        yield Horizontal(
            Label("Note", classes="field-label"),
            Input(placeholder="optional", id="note", compact=True),
            Button("Save ⏎", id="save", variant="primary", compact=True),
            classes="field-row",
            id="note-row",
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
        self.query_one(IntensityScale).value = value

    def action_submit(self) -> None:
        """Read and check every field, then post ``Submitted``."""
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


class CheckInForm(VerticalScroll, can_focus=False):
    """Today's check-in. Posts ``Changed`` after a short pause in typing; the screen stores it."""

    class Changed(Message):
        """The fields settled; ``values`` is every shown field, ``errors`` maps field -> message."""

        def __init__(self, values: dict[str, Any], errors: dict[str, str]) -> None:
            super().__init__()
            self.values = values
            self.errors = errors

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        for field, (label, placeholder, _) in DAY_INPUTS.items():
            yield _row(
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
                yield _row(
                    choice_label,
                    Select(options, prompt=UNKNOWN, id=choice, compact=True),
                    classes="choice-row",
                )
        # Errors show right under the fields they concern, visible even at 80×24.
        yield Static("", id="day-status")
        yield _row(
            "Symptoms",
            SelectionList[str](
                *((s.replace("_", " "), s) for s in vocab.SYMPTOMS), id="day-symptoms", compact=True
            ),
            id="day-symptom-row",
        )
        yield _row("Note", Input(placeholder="optional", id="day-note", compact=True))

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
        self._timer = self.set_timer(DAY_SAVE_DELAY, self._settled)

    def _settled(self) -> None:
        self._timer = None
        values, errors = self.read()
        self.post_message(self.Changed(values, errors))


# --- the screen --------------------------------------------------------------------------------


class TodayScreen(Screen[None]):
    """Log an episode, fill in today's check-in, see what was logged today.

    What it shows is read again whenever it becomes the active screen and after every write, so an
    edit or a delete made in History (or by ``twitch`` in a shell) shows here at once.
    """

    CSS_PATH = "today.tcss"
    # Writes need ctrl: a stray letter typed outside a text box must never log or delete.
    BINDINGS = [
        Binding("ctrl+r", "repeat_last", "Repeat"),
        Binding("ctrl+z", "undo", "Undo"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.today: date = when.now_local().date()
        self._undo_id: str | None = None
        self._saving = False  # an episode from the form is being stored: a second ctrl+s waits
        self._rows_shown: list[tuple[str, ...]] = []
        # The check-in as the diary last confirmed it (loaded or saved): what the person changed
        # is measured against it, so only those fields are sent.
        self._day_base: dict[str, Any] = day_values(None)
        self._day_loaded = False
        self._day_sent = 0  # saves asked for; a confirmation older than the newest shown is dropped
        self._day_confirmed = 0
        self._day_alerted: set[str] = set()
        self._day_saved_once = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="top"):
            yield EpisodeForm(id="episode-form", classes="panel")
            yield CheckInForm(id="checkin", classes="panel")
        yield DataTable(id="today-list", classes="panel", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#episode-form").border_title = "Log an episode"
        self.query_one("#checkin").border_title = "Today's check-in"
        self._show_rows([])
        self._show_count(0)
        self.query_one("#site", Select).focus()

    def on_screen_resume(self) -> None:
        """Read the diary again each time this screen is shown (History may have changed it)."""
        self.load_today()

    def _show_count(self, count: int) -> None:
        noun = "episode" if count == 1 else "episodes"
        title = f"Today · {self.today:%a} {self.today.day} {self.today:%b %Y} · ● {count} {noun}"
        self.query_one("#today-list", DataTable).border_title = title

    # --- workers (no widgets touched here) ---------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load_today(self) -> None:
        """Today's episodes, the recent sites and the stored check-in."""
        diary = self.app.diary  # type: ignore[attr-defined]
        episodes = diary.episodes_on(self.today)
        self.post_message(TodayLoaded(episodes, diary.recent_sites(), diary.day(self.today)))

    @work(thread=True, group="write")
    def store_episode(self, values: dict[str, Any]) -> None:
        """Store one episode from the form."""
        self._store(values, repeated=False)

    def _store(self, values: dict[str, Any], *, repeated: bool) -> None:
        """(In a worker.) Store an episode and work out which urgent guidance it triggers."""
        diary = self.app.diary  # type: ignore[attr-defined]
        try:
            episode = diary.add_episode(values)
        except UserError as exc:
            self.post_message(StoreFailed(str(exc)))
            return
        leg_sides = [
            e.side
            for e in diary.episodes_on(episode.started_at.date())
            if e.id != episode.id
            and e.side
            and e.body_site in vocab.LEG_SITES
            and {"numbness", "weakness"} & set(wording.split_set(e.symptoms))
        ]
        alerts = guidance.episode_alerts(
            kind=episode.kind,
            body_site=episode.body_site,
            side=episode.side,
            # An unknown duration cannot make a cramp "longer than 10 minutes".
            duration_s=episode.duration_s or 0,
            symptoms=wording.split_set(episode.symptoms),
            same_day_leg_sides=leg_sides,
        )
        self.post_message(EpisodeSaved(episode, alerts, repeated=repeated))

    @work(thread=True, group="write")
    def repeat_last(self) -> None:
        """Log the newest episode (by time) again, now: its site, side, kind and intensity.

        Duration, symptoms, context and note belong to that one episode, so they are not copied.
        """
        diary = self.app.diary  # type: ignore[attr-defined]
        last = diary.last_episode()
        if last is None:
            self.post_message(StoreFailed("Nothing to repeat yet: log an episode first."))
            return
        values = {
            "started_at": when.now_local(),
            "body_site": last.body_site,
            "side": last.side,
            "kind": last.kind,
            "intensity": last.intensity,
            "duration_s": None,
            "symptoms": [],
            "context": [],
            "note": None,
        }
        self._store(values, repeated=True)

    @work(thread=True, group="write")
    def delete_episode(self, ident: str) -> None:
        """Delete an episode just stored (undo)."""
        try:
            values = self.app.diary.delete_episode(ident)  # type: ignore[attr-defined]
        except UserError as exc:
            self.post_message(StoreFailed(str(exc)))
            return
        self.post_message(EpisodeUndone(values))

    @work(thread=True, exclusive=True, group="day")
    def store_day(self, edit: DayEdit, sent: dict[str, Any], seq: int) -> None:
        """Store only what the person changed, against the day as stored now."""
        try:
            day = self.app.diary.update_day(  # type: ignore[attr-defined]
                self.today, edit.changes, add_symptoms=edit.added, remove_symptoms=edit.removed
            )
        except UserError as exc:
            self.post_message(StoreFailed(str(exc), day=True))
            return
        self.post_message(DaySaved(day, sent, seq, guidance.day_alerts(sent["symptoms"])))

    # --- actions -----------------------------------------------------------------------------

    def action_repeat_last(self) -> None:
        """Log the newest episode's site, side, kind and intensity again, now."""
        self.repeat_last()

    def action_undo(self) -> None:
        """Delete the episode logged or repeated last in this session."""
        if self._undo_id is None:
            self.say("Nothing to undo.", timeout=3)
            return
        ident, self._undo_id = self._undo_id, None
        self.delete_episode(ident)

    def say(self, message: str, **kwargs: Any) -> None:
        """Show one confirmation or error in place of the previous one: stacked up, they would
        reach down over today's list that they are about."""
        self.app.clear_notifications()
        self.notify(message, **kwargs)

    # --- message handlers --------------------------------------------------------------------

    @on(TodayLoaded)
    def _loaded(self, message: TodayLoaded) -> None:
        self.query_one(EpisodeForm).set_sites(message.recent)
        self._show_day(message.day)
        rows = [
            (
                e.id,
                f"{e.started_at:%H:%M}",
                site_name(e.body_site),
                e.side or wording.UNKNOWN,
                e.kind,
                wording.UNKNOWN if e.intensity is None else str(e.intensity),
                wording.duration(e.duration_s),
                ", ".join(
                    x
                    for x in (wording.stored_words(e.symptoms), wording.stored_words(e.context))
                    if x
                ),
            )
            for e in message.episodes
        ]
        if rows != self._rows_shown:  # a reload that changes nothing keeps the cursor
            self._show_rows(rows)
        self._show_count(len(message.episodes))

    def _show_rows(self, rows: list[tuple[str, ...]]) -> None:
        """Fill the list, each column as wide as its widest cell.

        The widths are measured here rather than left to the table: its own measuring runs later
        and a reload was sometimes drawn before it, cutting "01:07" to "01:0".
        """
        self._rows_shown = rows
        table = self.query_one("#today-list", DataTable)
        table.clear(columns=True)
        for index, label in enumerate(LIST_COLUMNS, start=1):
            width = max([len(label), *(len(row[index]) for row in rows)])
            table.add_column(label, width=width)
        for ident, *cells in rows:
            table.add_row(*cells, key=ident)

    def _show_day(self, day: Any) -> None:
        """Show the stored check-in: every field the first time, later only the fields the
        person has not changed since (their typing is never overwritten by a reload)."""
        form = self.query_one(CheckInForm)
        stored = day_values(day)
        if not self._day_loaded:
            self._day_loaded = True
            form.load(day)
        else:
            current, _ = form.read()
            form.load(day, [f for f in stored if current.get(f) == self._day_base.get(f)])
        self._day_base = stored

    @on(EpisodeForm.Submitted)
    def _submitted(self, message: EpisodeForm.Submitted) -> None:
        if message.error is not None or message.values is None:
            self.say(message.error or "Not saved.", severity="error", title="Not saved")
            return
        if self._saving:
            return  # the same form is being stored already
        self._saving = True
        self.store_episode(message.values)

    @on(EpisodeSaved)
    def _episode_saved(self, message: EpisodeSaved) -> None:
        e = message.episode
        self._undo_id = e.id
        verb = "Repeated" if message.repeated else "Logged"
        self.say(f"{verb}: {describe(e, self.today)}. ctrl+z undoes it.", timeout=8)
        if not message.repeated:
            self._saving = False
            self.query_one(EpisodeForm).reset()
        self.load_today()
        if message.alerts:
            self.app.push_screen(AlertModal(message.alerts))

    @on(EpisodeUndone)
    def _episode_undone(self, message: EpisodeUndone) -> None:
        self.say("Undone: the episode was deleted.", timeout=4)
        self.load_today()

    @on(StoreFailed)
    def _store_failed(self, message: StoreFailed) -> None:
        if message.day:
            # The base is unchanged, so the same changes are sent again after the next edit.
            self.query_one(CheckInForm).show_result({"day": message.text}, saved=False)
        else:
            self._saving = False
            self.say(message.text, severity="error", title="Not saved")

    @on(CheckInForm.Changed)
    def _day_changed(self, message: CheckInForm.Changed) -> None:
        form = self.query_one(CheckInForm)
        if message.errors:
            form.show_result(message.errors, saved=False)
            return
        edit = DayEdit.between(self._day_base, message.values)
        if not edit:
            # Nothing new (the fields were just filled from the diary, or an error was undone).
            form.show_result({}, saved=self._day_saved_once)
            return
        self._day_sent += 1
        self.store_day(edit, message.values, self._day_sent)

    @on(DaySaved)
    def _day_saved(self, message: DaySaved) -> None:
        if message.seq < self._day_confirmed:
            return  # a newer save was already confirmed and shown
        self._day_confirmed = message.seq
        self._day_saved_once = True
        form = self.query_one(CheckInForm)
        stored = day_values(message.day)
        current, _ = form.read()
        # Fields the person has not touched since asking to save now show what is stored (a
        # check-in made from the command line meanwhile); fields being typed in are left alone.
        untouched = [f for f in stored if f in current and current[f] == message.sent.get(f)]
        form.load(message.day, untouched)
        self._day_base = stored
        if any(current.get(f) != stored[f] for f in stored if f not in untouched):
            form.settle_later()  # typed on during the save: send that too
        form.show_result({}, saved=True)
        fresh = [a for a in message.alerts if a.rule not in self._day_alerted]
        self._day_alerted |= {a.rule for a in message.alerts}
        if fresh:
            self.app.push_screen(AlertModal(fresh))
