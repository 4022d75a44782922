"""The Checks area: the weekly warning signs, the strength tests, the timed count, recent checks.

One tab each. The forms (``diary.tui.widgets.sign_form``, ``strength_form`` and ``count_pad``)
read and check their fields and post what was entered; this screen stores it in a thread worker,
which posts ``CheckSaved`` or ``Failed`` back, and it never touches SQL: everything goes through
the ``Diary`` facade. A "yes" on the weekly check shows the same urgent guidance a logged symptom
would. The recent checks are read again whenever the screen becomes active and after each write;
deleting one asks first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from diary import guidance, when
from diary.check_wording import answered, count_result, strength_parts
from diary.errors import UserError
from diary.guidance import Alert
from diary.tui.app import diary_of
from diary.tui.check_data import RecentChecks
from diary.tui.messages import Failed
from diary.tui.screens.forms import ConfirmScreen
from diary.tui.widgets.alert import AlertModal
from diary.tui.widgets.check_form import CheckForm
from diary.tui.widgets.count_pad import TimedCount
from diary.tui.widgets.sign_form import SignForm
from diary.tui.widgets.strength_form import StrengthForm
from diary.vocab import SIGN_SYMPTOMS, SIGNS

#: How far back the list of recent checks goes (as ``twitch checks`` without ``--since``).
RECENT_DAYS = 90
RECENT_COLUMNS = ("Date", "Check", "What")
#: kind -> how the list names it.
KIND_NAMES = {"signs": "weekly signs", "strength": "strength", "count": "timed count"}
#: What the recent checks say while there are none.
NOTHING_YET = f"No self-checks in the last {RECENT_DAYS} days yet."


@dataclass(frozen=True)
class CheckLine:
    """One row of the recent checks: which kind, its id, its day and what it holds in words."""

    kind: str
    ident: str
    shown_date: str
    what: str

    @property
    def key(self) -> str:
        """The row's key in the table: kind and id, since ids are unique only within a kind."""
        return f"{self.kind}:{self.ident}"

    @property
    def label(self) -> str:
        """How the confirmation names it: ``the weekly signs check of 2025-03-05``."""
        return f"the {KIND_NAMES[self.kind]} check of {self.shown_date}"


def check_lines(recent: RecentChecks) -> list[CheckLine]:
    """Every check as a row, newest day first (on one day: signs, strength, then counts)."""
    dated: list[tuple[date, CheckLine]] = []
    for sign in recent.signs:
        line = CheckLine("signs", sign.id, sign.date.isoformat(), answered(sign.answers()))
        dated.append((sign.date, line))
    for test in recent.strength:
        parts = " · ".join(strength_parts(test.model_dump()))
        dated.append((test.date, CheckLine("strength", test.id, test.date.isoformat(), parts)))
    for count in recent.counts:
        what = count_result(count.twitches, count.seconds, count.body_site, count.side)
        shown = f"{count.counted_at:%Y-%m-%d %H:%M}"
        dated.append((count.counted_at.date(), CheckLine("count", count.id, shown, what)))
    dated.sort(key=lambda pair: pair[0], reverse=True)  # stable: each kind stays newest first
    return [line for _, line in dated]


def signs_saved_text(answers: dict[str, bool | None]) -> str:
    """What the weekly check's save says: how many were asked, and the yes answers by name."""
    text = f"Weekly check saved: {answered(answers)}"
    if any(answers.values()):
        text += " — Insights and the report show what the guidance says about it"
    return text


class ChecksScreen(Screen[None]):
    """The three self-checks and the list of recent ones."""

    CSS_PATH = "checks.tcss"
    #: The area opens on the first question of the weekly check: ``n`` ``n`` ``n``… and ctrl+s.
    AUTO_FOCUS = "#sign-weakness"
    # Each key acts only on the tab it belongs to (``check_action``), wherever the focus is in it.
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+n", "all_no", "No to all"),
        Binding("d", "delete", "Delete"),
    ]
    #: action -> the tabs where it acts.
    ACTION_TABS = {
        "save": ("tab-signs", "tab-strength"),
        "all_no": ("tab-signs",),
        "delete": ("tab-recent",),
    }

    class ChecksLoaded(Message):
        """The recent checks were read."""

        def __init__(self, recent: RecentChecks) -> None:
            super().__init__()
            self.recent = recent

    class CheckSaved(Message):
        """A check was stored; ``kind`` says which form it came from, ``text`` what to say."""

        def __init__(self, kind: str, text: str, alerts: list[Alert] | None = None) -> None:
            super().__init__()
            self.kind = kind
            self.text = text
            self.alerts = alerts or []

    class CheckDeleted(Message):
        """A check was deleted."""

        def __init__(self, label: str) -> None:
            super().__init__()
            self.label = label

    def __init__(self) -> None:
        super().__init__()
        self.today: date = when.now_local().date()
        self.lines: dict[str, CheckLine] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="check-tabs"):
            with TabPane("Weekly signs", id="tab-signs"):
                yield SignForm(self.today, id="signs")
            with TabPane("Strength", id="tab-strength"):
                yield StrengthForm(self.today, id="strength")
            with TabPane("Timed count", id="tab-count"):
                yield TimedCount(id="count")
            with TabPane("Recent checks", id="tab-recent"):
                yield DataTable(id="recent", cursor_type="row", zebra_stripes=True)
                yield Static("", id="recent-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#recent", DataTable).add_columns(*RECENT_COLUMNS)

    def on_screen_resume(self) -> None:
        """Read the recent checks again each time the area is shown."""
        self.load()

    # --- workers (no widgets touched here) ---------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        """The checks of the last ``RECENT_DAYS`` days."""
        since = self.today - timedelta(days=RECENT_DAYS - 1)
        try:
            recent = diary_of(self.app).recent_checks(since)
        except UserError as exc:
            self.post_message(Failed(str(exc), what="recent"))
            return
        self.post_message(self.ChecksLoaded(recent))

    @work(thread=True, group="write")
    def store_signs(self, values: dict[str, Any]) -> None:
        """Store a weekly check; work out the urgent guidance its yes answers call for."""
        try:
            diary_of(self.app).add_sign_check(values)
        except UserError as exc:
            self.post_message(Failed(str(exc), what="signs"))
            return
        answers = {sign: values[sign] for sign in SIGNS}
        symptoms = [SIGN_SYMPTOMS[s] for s, yes in answers.items() if yes and s in SIGN_SYMPTOMS]
        alerts = guidance.day_alerts(symptoms, event_day=values["date"], today=self.today)
        self.post_message(self.CheckSaved("signs", signs_saved_text(answers), alerts))

    @work(thread=True, group="write")
    def store_strength(self, values: dict[str, Any]) -> None:
        """Store a strength check."""
        try:
            row = diary_of(self.app).add_strength_check(values)
        except UserError as exc:
            self.post_message(Failed(str(exc), what="strength"))
            return
        parts = " · ".join(strength_parts(row.model_dump()))
        self.post_message(self.CheckSaved("strength", f"Strength check saved: {parts}"))

    @work(thread=True, group="write")
    def store_count(self, values: dict[str, Any]) -> None:
        """Store a timed count."""
        try:
            row = diary_of(self.app).add_twitch_count(values)
        except UserError as exc:
            self.post_message(Failed(str(exc), what="count"))
            return
        result = count_result(row.twitches, row.seconds, row.body_site, row.side)
        self.post_message(self.CheckSaved("count", f"Saved: {result}."))

    @work(thread=True, group="write")
    def delete(self, line: CheckLine) -> None:
        """Delete one check."""
        diary = diary_of(self.app)
        remove = {
            "signs": diary.delete_sign_check,
            "strength": diary.delete_strength_check,
            "count": diary.delete_twitch_count,
        }[line.kind]
        try:
            remove(line.ident)
        except UserError as exc:
            self.post_message(Failed(str(exc), what="recent"))
            return
        self.post_message(self.CheckDeleted(line.label))

    # --- what the forms post -----------------------------------------------------------------

    @on(CheckForm.Submitted)
    def _submitted(self, event: CheckForm.Submitted) -> None:
        event.form.say("Saving…")
        if isinstance(event.form, SignForm):
            self.store_signs(event.values)
        else:
            self.store_strength(event.values)

    @on(TimedCount.Counted)
    def _counted(self, event: TimedCount.Counted) -> None:
        self.query_one(TimedCount).show_result("Saving…")
        self.store_count(event.values)

    @on(CheckSaved)
    def _saved(self, event: CheckSaved) -> None:
        if event.kind == "count":
            self.query_one(TimedCount).show_result(event.text)
        else:
            form = self.query_one(f"#{event.kind}", CheckForm)
            form.reset()
            form.say(event.text)
            form.focus_first()
        self.load()
        if event.alerts:
            self.app.push_screen(AlertModal(event.alerts))

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        if event.what == "count":
            self.query_one(TimedCount).show_result(f"{event.text} — not saved", error=True)
        elif event.what in ("signs", "strength"):
            self.query_one(f"#{event.what}", CheckForm).show_errors({"form": event.text})
        else:
            self.show_status(event.text, error=True)

    # --- the recent checks -------------------------------------------------------------------

    @on(ChecksLoaded)
    def _loaded(self, event: ChecksLoaded) -> None:
        table = self.query_one("#recent", DataTable)
        lines = check_lines(event.recent)
        row = table.cursor_row
        table.clear()
        for line in lines:
            table.add_row(line.shown_date, KIND_NAMES[line.kind], line.what, key=line.key)
        if lines:
            table.move_cursor(row=min(row, len(lines) - 1))
        self.lines = {line.key: line for line in lines}
        if not lines:
            self.show_status(NOTHING_YET)
        elif str(self.query_one("#recent-status", Static).content) == NOTHING_YET:
            self.show_status("")

    def show_status(self, text: str, *, error: bool = False) -> None:
        """One line under the recent checks."""
        status = self.query_one("#recent-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    def current_line(self) -> CheckLine | None:
        """The check under the cursor of the recent list."""
        table = self.query_one("#recent", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.lines.get(key or "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Save on the two forms, No to all on the weekly check, delete on the recent checks."""
        if action in self.ACTION_TABS:
            return self.query_one(TabbedContent).active in self.ACTION_TABS[action]
        return True

    def action_save(self) -> None:
        """Check and save the form on show (the weekly signs or the strength tests)."""
        tab = self.query_one(TabbedContent).active
        self.query_one(f"#{tab.removeprefix('tab-')}", CheckForm).action_submit()

    def action_all_no(self) -> None:
        """Answer no to every weekly question still not asked."""
        self.query_one(SignForm).action_all_no()

    def action_delete(self) -> None:
        """Ask, then delete the check under the cursor."""
        line = self.current_line()
        if line is None:
            self.show_status("No check to delete.")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.delete(line)

        self.app.push_screen(ConfirmScreen(f"Delete {line.label}?\n{line.what}"), confirmed)

    @on(CheckDeleted)
    def _deleted(self, event: CheckDeleted) -> None:
        self.show_status(f"Deleted {event.label}.")
        self.load()

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()  # the footer shows the keys of the tab on show
