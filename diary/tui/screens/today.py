"""The Today screen: log an episode in seconds, fill in the day's check-in, see today's episodes.

The screen owns the state (today's date, the episode to undo, what the check-in last stored) and
does every database call in a thread worker, which posts a message back. The two forms
(``diary.tui.widgets.episode_form`` and ``checkin_form``) only read their fields and post what was
entered; they never write to the diary themselves. What it reads and logs goes through plain
``sqlite3``: this is the screen the app opens on, at the moment a twitch happens.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header

from diary import guidance, vocab, when, wording
from diary.errors import UserError
from diary.guidance import Alert
from diary.tui.app import diary_of
from diary.tui.messages import Failed, FirstFrame
from diary.tui.widgets.alert import AlertModal
from diary.tui.widgets.checkin_form import CheckInForm, DayEdit, day_values
from diary.tui.widgets.episode_form import EpisodeForm
from diary.tui.widgets.site_select import site_name
from diary.tui.widgets.today_list import TodayList

#: Today's offer of the weekly sign check when none was recorded in the last 7 days.
WEEKLY_OFFER = "Weekly sign check due · F6 opens Checks"


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
    """Today's episodes, the recent sites and the stored check-in, as the diary holds them now;
    ``check_due``: no weekly sign check in the last 7 days."""

    def __init__(self, episodes: list[Any], recent: list[str], day: Any, check_due: bool) -> None:
        super().__init__()
        self.episodes = episodes
        self.recent = recent
        self.day = day
        self.check_due = check_due


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
        # The check-in as the diary last confirmed it (loaded or saved): what the person changed
        # is measured against it, so only those fields are sent.
        self._day_base: dict[str, Any] = day_values(None)
        self._day_loaded = False
        self._day_pending: tuple[Any] | None = None  # a check-in read before its form was shown
        self._day_sent = 0  # saves asked for; a confirmation older than the newest shown is dropped
        self._day_confirmed = 0
        self._day_alerted: set[str] = set()
        self._day_saved_once = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="top"):
            # The check-in, below the fold of attention, is added just after the app's first
            # frame (``_add_held_back``), with the log form's fields after Site: Site, where a
            # person opening the app mid-twitch starts, is there sooner.
            yield EpisodeForm(id="episode-form", classes="panel")
        yield TodayList(id="today-list", classes="panel", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        # Site, the first field, takes the focus as the screen is shown (Textual's AUTO_FOCUS):
        # focusing it here as well made the footer work out its keys twice before the first frame.
        self.query_one("#episode-form").border_title = "Log an episode"
        self.query_one(TodayList).show([], self.today)
        if getattr(self.app, "first_frame_shown", True):
            self._add_held_back()

    @on(FirstFrame)
    def _add_held_back(self) -> None:
        """Add what the first frame held back (once): the log form's fields after Site, and the
        check-in beside the form."""
        self.query_one(EpisodeForm).add_fields()
        if not self.query(CheckInForm):
            self.query_one("#top").mount(CheckInForm(id="checkin", classes="panel"))

    def on_screen_resume(self) -> None:
        """Read the diary again each time this screen is shown (History may have changed it)."""
        self.load_today()

    # --- workers (no widgets touched here) ---------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load_today(self) -> None:
        """Today's episodes, the recent sites, the stored check-in, and whether the weekly check
        is due."""
        diary = diary_of(self.app)
        episodes = diary.episodes_on(self.today)
        due = diary.sign_check_due(self.today)
        self.post_message(TodayLoaded(episodes, diary.recent_sites(), diary.day(self.today), due))

    @work(thread=True, group="write")
    def store_episode(self, values: dict[str, Any]) -> None:
        """Store one episode from the form."""
        self._store(values, repeated=False)

    def _store(self, values: dict[str, Any], *, repeated: bool) -> None:
        """(In a worker.) Store an episode and work out which urgent guidance it triggers."""
        diary = diary_of(self.app)
        try:
            episode = diary.add_episode(values)
        except UserError as exc:
            self.post_message(Failed(str(exc)))
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
        diary = diary_of(self.app)
        last = diary.last_episode()
        if last is None:
            self.post_message(Failed("Nothing to repeat yet: log an episode first."))
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
            values = diary_of(self.app).delete_episode(ident)
        except UserError as exc:
            self.post_message(Failed(str(exc)))
            return
        self.post_message(EpisodeUndone(values))

    @work(thread=True, exclusive=True, group="day")
    def store_day(self, edit: DayEdit, sent: dict[str, Any], seq: int) -> None:
        """Store only what the person changed, against the day as stored now."""
        try:
            day = diary_of(self.app).update_day(
                self.today, edit.changes, add_symptoms=edit.added, remove_symptoms=edit.removed
            )
        except UserError as exc:
            self.post_message(Failed(str(exc), what="day"))
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
        today_list = self.query_one(TodayList)
        today_list.show(message.episodes, self.today)
        # A quiet line in the list's frame, not a dialog: gone once a check is recorded.
        today_list.border_subtitle = WEEKLY_OFFER if message.check_due else ""

    @on(CheckInForm.Shown)
    def _checkin_shown(self) -> None:
        if self._day_pending is not None:
            self._show_day(self._day_pending[0])

    def _show_day(self, day: Any) -> None:
        """Show the stored check-in: every field the first time, later only the fields the
        person has not changed since (their typing is never overwritten by a reload)."""
        forms = self.query(CheckInForm)
        if not forms or not forms.first().shown:  # not there yet: shown by ``_checkin_shown``
            self._day_pending = (day,)
            return
        self._day_pending = None
        form = forms.first()
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

    @on(Failed)
    def _store_failed(self, message: Failed) -> None:
        if message.what == "day":
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
