"""The Today screen: log an episode in seconds, fill in the day's check-in, see today's episodes.

The screen owns the state (today's date, the episode to undo, what the check-in last stored) and
does every database call in a thread worker, which posts a message back. The two forms only read
their fields and post what was entered; they never write to the diary themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text
from textual import on, work
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
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
)

from diary import guidance, rules, vocab, when
from diary.errors import UserError
from diary.guidance import Alert
from diary.tui.widgets.alert import AlertModal

#: Seconds of quiet after the last change before the check-in is stored.
DAY_SAVE_DELAY = 0.8

#: The check-in's text fields: field name -> (label, placeholder, parser).
DAY_INPUTS: dict[str, tuple[str, str, Callable[[object], Any]]] = {
    "water_ml": ("Water", "1.5l", rules.water_ml),
    "caffeine_mg": ("Caffeine", "2cups", rules.caffeine_mg),
    "exercise_min": ("Exercise", "45m", rules.exercise_min),
    "sleep_h": ("Sleep", "6.5h", rules.sleep_h),
    "stress": ("Stress", "0–10", rules.stress),
}
#: The unit a stored number is shown with, so it reads back as the same value.
DAY_UNITS = {"water_ml": "ml", "caffeine_mg": "mg", "exercise_min": "m", "sleep_h": "h"}
DAY_CHOICES = ("exercise_intensity", "sleep_quality")
#: Every field the check-in form shows (alcohol is not among them: the command line logs it).
DAY_FIELDS = (*DAY_INPUTS, *DAY_CHOICES, "symptoms", "note")
SLEEP_QUALITY = ("very badly", "badly", "so-so", "well", "very well")


def _words(stored: str | None) -> str:
    """A stored set for display: ``weakness, numbness``."""
    return ", ".join(w.replace("_", " ") for w in rules.split_set(stored))


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds}s"
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}m{secs:02d}s" if secs else f"{minutes}m"


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
    values["symptoms"] = _symptom_list(rules.split_set(getattr(day, "symptoms", None)))
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
    """Today's episodes (and, the first time, the recent sites and the stored check-in)."""

    def __init__(
        self, episodes: list[Any], recent: list[str] | None = None, day: Any = None
    ) -> None:
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
    """1 to 10 in a row with the chosen value bracketed; arrows or digit keys change it."""

    BINDINGS = [
        Binding("left,down", "step(-1)", "Less", show=False),
        Binding("right,up", "step(1)", "More", show=False),
    ]

    value: reactive[int] = reactive(3)
    """The chosen intensity, 1 (barely noticeable) to 10 (the worst imaginable)."""

    def render(self) -> Text:
        text = Text()
        for n in range(rules.INTENSITY_MIN, rules.INTENSITY_MAX + 1):
            if n > rules.INTENSITY_MIN:
                text.append(" ")
            if n == self.value:
                text.append(f"[{n}]", style="bold reverse")
            else:
                text.append(str(n), style="dim")
        return text

    def action_step(self, delta: int) -> None:
        """Move the value by ``delta`` within 1–10."""
        self.value = max(rules.INTENSITY_MIN, min(rules.INTENSITY_MAX, self.value + delta))


class Choice(RadioButton):
    """A radio button without the half-block sides, so four fit on one row at 80 columns."""

    BUTTON_LEFT = ""
    BUTTON_RIGHT = ""


def _row(label: str, *widgets: Widget, id: str | None = None) -> Horizontal:
    return Horizontal(Label(label, classes="field-label"), *widgets, classes="field-row", id=id)


class EpisodeForm(VerticalScroll, can_focus=False):
    """The "Log an episode" form. Digits 1–9 and 0 (=10) set the intensity while it has focus."""

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

    def compose(self) -> ComposeResult:
        sites = [(site.replace("_", " "), site) for site in vocab.BODY_SITES]
        yield _row("Site", Select(sites, prompt="choose", id="site", compact=True))
        yield _row(
            "Side",
            RadioSet(*(Choice(s, name=s) for s in vocab.SIDES), id="side", compact=True),
        )
        yield _row(
            "Kind",
            RadioSet(
                *(Choice(k, name=k, value=k == "twitch") for k in vocab.KINDS),
                id="kind",
                compact=True,
            ),
        )
        yield _row("Intensity", IntensityScale(id="intensity"))
        yield Horizontal(
            Label("Duration", classes="field-label"),
            Input(placeholder="30s", id="duration", compact=True),
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
        yield _row("Note", Input(placeholder="optional", id="note", compact=True))
        yield Button("Save  ⏎", id="save", variant="primary", compact=True)

    def set_sites(self, recent: list[str]) -> None:
        """Offer the recently used sites first and pre-select the latest one."""
        rest = [s for s in vocab.BODY_SITES if s not in recent]
        options = [(f"{s.replace('_', ' ')} · recent", s) for s in recent]
        options += [(s.replace("_", " "), s) for s in rest]
        select = self.query_one("#site", Select)
        current = select.value
        select.set_options(options)
        if current is not Select.NULL:
            select.value = current
        elif recent:
            select.value = recent[0]

    def action_intensity(self, value: int) -> None:
        """Set the intensity from a digit key."""
        self.query_one(IntensityScale).value = value

    def action_submit(self) -> None:
        """Read and check every field, then post ``Submitted``."""
        try:
            values = self._read()
        except UserError as exc:
            self.post_message(self.Submitted(None, str(exc)))
        else:
            self.post_message(self.Submitted(values, None))

    def _read(self) -> dict[str, Any]:
        site = self.query_one("#site", Select).value
        if site is Select.NULL:
            raise UserError("site must be chosen (the list starts with your recent sites)")
        side = self.query_one("#side", RadioSet).pressed_button
        kind = self.query_one("#kind", RadioSet).pressed_button
        now = when.now_local()
        started = when.parse_when(self.query_one("#when", Input).value, now=now)
        return {
            "started_at": rules.started_at(started, now=now),
            "body_site": site,
            "side": side.name if side else None,
            "kind": kind.name if kind else "twitch",
            "intensity": self.query_one(IntensityScale).value,
            "duration_s": rules.duration_s(self.query_one("#duration", Input).value or 0),
            "symptoms": list(self.query_one("#symptoms", SelectionList).selected),
            "context": list(self.query_one("#context", SelectionList).selected),
            "note": rules.text("note", self.query_one("#note", Input).value),
        }

    def clear_details(self) -> None:
        """After a save: keep site, side, kind and intensity (the next one is often alike)."""
        self.query_one("#when", Input).value = "now"
        self.query_one("#note", Input).value = ""
        self.query_one("#symptoms", SelectionList).deselect_all()
        self.query_one("#context", SelectionList).deselect_all()

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
            extra: list[Widget] = []
            if field == "exercise_min":
                extra.append(
                    Select(
                        [(w, w) for w in vocab.EXERCISE_INTENSITIES],
                        prompt="intensity",
                        id="exercise_intensity",
                        compact=True,
                    )
                )
            if field == "sleep_h":
                extra.append(
                    Select(
                        [(f"{n} {w}", n) for n, w in enumerate(SLEEP_QUALITY, start=1)],
                        prompt="quality",
                        id="sleep_quality",
                        compact=True,
                    )
                )
            yield _row(
                label,
                Input(placeholder=placeholder, id=field, compact=True),
                *extra,
                Static("", id=f"{field}-status", classes="field-status"),
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
            stored = set(rules.split_set(day.symptoms))
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
            values["note"] = rules.text("note", self.query_one("#day-note", Input).value)
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
    """Log an episode, fill in today's check-in, see what was logged today."""

    CSS_PATH = "today.tcss"
    BINDINGS = [
        Binding("r", "repeat_last", "Repeat"),
        Binding("u", "undo", "Undo"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.today: date = when.now_local().date()
        self._undo_id: str | None = None
        # The check-in as the diary last confirmed it (loaded or saved): what the person changed
        # is measured against it, so only those fields are sent.
        self._day_base: dict[str, Any] = day_values(None)
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
        table = self.query_one("#today-list", DataTable)
        table.border_title = "Today"
        table.add_columns("Time", "Site", "Side", "Kind", "Int.", "Duration", "Symptoms, context")
        self._show_count(0)
        self.query_one("#site", Select).focus()
        self.load_today(first=True)

    def _show_count(self, count: int) -> None:
        self.sub_title = f"{self.today:%a %d %b %Y}  ● {count} today"

    # --- workers (no widgets touched here) ---------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load_today(self, first: bool = False) -> None:
        """Today's episodes; on the first load also the recent sites and the stored check-in."""
        diary = self.app.diary  # type: ignore[attr-defined]
        episodes = diary.episodes_on(self.today)
        if first:
            self.post_message(TodayLoaded(episodes, diary.recent_sites(), diary.day(self.today)))
        else:
            self.post_message(TodayLoaded(episodes))

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
            and e.body_site in guidance.LEG_SITES
            and {"numbness", "weakness"} & set(rules.split_set(e.symptoms))
        ]
        alerts = guidance.episode_alerts(
            kind=episode.kind,
            body_site=episode.body_site,
            side=episode.side,
            duration_s=episode.duration_s,
            symptoms=rules.split_set(episode.symptoms),
            same_day_leg_sides=leg_sides,
        )
        self.post_message(EpisodeSaved(episode, alerts, repeated=repeated))

    @work(thread=True, group="write")
    def repeat_last(self) -> None:
        """Store the last episode again, now."""
        diary = self.app.diary  # type: ignore[attr-defined]
        last = diary.last_episode()
        if last is None:
            self.post_message(StoreFailed("Nothing to repeat yet: log an episode first."))
            return
        values = {
            "started_at": when.now_local(),
            "body_site": last.body_site,
            "side": last.side,
            "intensity": last.intensity,
            "duration_s": last.duration_s,
            "kind": last.kind,
            "symptoms": last.symptoms,
            "context": last.context,
            "note": last.note,
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
        """Log the last episode again at the current time."""
        self.repeat_last()

    def action_undo(self) -> None:
        """Delete the episode logged or repeated last in this session."""
        if self._undo_id is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        ident, self._undo_id = self._undo_id, None
        self.delete_episode(ident)

    # --- message handlers --------------------------------------------------------------------

    @on(TodayLoaded)
    def _loaded(self, message: TodayLoaded) -> None:
        if message.recent is not None:  # the first load, which brings the stored check-in
            self.query_one(EpisodeForm).set_sites(message.recent)
            self._day_base = day_values(message.day)
            self.query_one(CheckInForm).load(message.day)
        table = self.query_one("#today-list", DataTable)
        table.clear()
        for e in message.episodes:
            extra = ", ".join(x for x in (_words(e.symptoms), _words(e.context)) if x)
            table.add_row(
                f"{e.started_at:%H:%M}",
                e.body_site.replace("_", " "),
                e.side or "",
                e.kind,
                str(e.intensity),
                _duration(e.duration_s),
                extra,
                key=e.id,
            )
        self._show_count(len(message.episodes))

    @on(EpisodeForm.Submitted)
    def _submitted(self, message: EpisodeForm.Submitted) -> None:
        if message.error is not None or message.values is None:
            self.notify(message.error or "Not saved.", severity="error", title="Not saved")
            return
        self.store_episode(message.values)

    @on(EpisodeSaved)
    def _episode_saved(self, message: EpisodeSaved) -> None:
        e = message.episode
        self._undo_id = e.id
        what = f"{e.kind} · {e.body_site.replace('_', ' ')}"
        if e.side:
            what += f" ({e.side})"
        what += f" · {e.intensity} · {_duration(e.duration_s)} at {e.started_at:%H:%M}"
        verb = "Repeated" if message.repeated else "Logged"
        self.notify(f"{verb}: {what}. Press u to undo.", timeout=8)
        if not message.repeated:
            self.query_one(EpisodeForm).clear_details()
        self.load_today()
        if message.alerts:
            self.app.push_screen(AlertModal(message.alerts))

    @on(EpisodeUndone)
    def _episode_undone(self, message: EpisodeUndone) -> None:
        self.notify("Undone: the episode was deleted.", timeout=4)
        self.load_today()

    @on(StoreFailed)
    def _store_failed(self, message: StoreFailed) -> None:
        if message.day:
            # The base is unchanged, so the same changes are sent again after the next edit.
            self.query_one(CheckInForm).show_result({"day": message.text}, saved=False)
        else:
            self.notify(message.text, severity="error", title="Not saved")

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
