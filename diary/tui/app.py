"""``TwitchApp``: the screens, the keys that switch between them, and the diary they share.

The app receives its diary path from outside (``twitch`` passes the user's, tests a temporary
one) and opens it once. Each area is a Textual *mode* with its own screen stack. F1–F6 switch
between them from anywhere, and the header names them with their keys, the current one marked; the
letters t h m i p c do the same only while nothing that takes typing has focus (a list, a chart),
so stray typing on a form never jumps away. The footer keeps its room for each screen's own keys,
the command palette (ctrl+p) lists every action, and ``?`` explains keys and words.

The first frame comes before anything heavy: Today reads through plain ``sqlite3``, and once the
frame is shown the app starts the Insights analysis in a thread (pandas is imported there), so the
results are ready, or nearly, when the person opens Insights. Report loads matplotlib when used.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from pathlib import Path
from threading import Thread
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, ListView, OptionList, Select, SelectionList, Tree

from diary.tui.data import Diary, now
from diary.tui.insights_view import LatestInsights
from diary.tui.messages import FirstFrame


def _today() -> Screen:
    from diary.tui.screens.today import TodayScreen

    return TodayScreen()


def _history() -> Screen:
    from diary.tui.screens.history import HistoryScreen

    return HistoryScreen()


def _meds() -> Screen:
    from diary.tui.screens.meds import MedsScreen

    return MedsScreen()


def _insights() -> Screen:
    from diary.tui.screens.insights import InsightsScreen

    return InsightsScreen()


def _report() -> Screen:
    from diary.tui.screens.report import ReportScreen

    return ReportScreen()


def _checks() -> Screen:
    from diary.tui.screens.checks import ChecksScreen

    return ChecksScreen()


def _profile() -> Screen:
    from diary.tui.screens.profile import ProfileForm

    return ProfileForm()


#: The areas in the order of their keys: (mode, F-key, letter, name).
AREAS: tuple[tuple[str, str, str, str], ...] = (
    ("today", "f1", "t", "Today"),
    ("history", "f2", "h", "History"),
    ("meds", "f3", "m", "Meds"),
    ("insights", "f4", "i", "Insights"),
    ("report", "f5", "p", "Report"),
    ("checks", "f6", "c", "Checks"),
)
#: Widgets where a letter cannot have been meant as text: reading and choosing from a list.
#: (Help's Markdown is read in a modal screen, where letters never switch areas: it is not listed,
#: which keeps Textual's Markdown, 30 ms to import, off the way to the first frame.)
READING_WIDGETS = (DataTable, ListView, OptionList, Tree)
#: Lists that are fields of a form, where a letter may well have been meant as typing.
FORM_LISTS = (Select, SelectionList)


class TwitchApp(App[None]):
    """Twitch Diary in the terminal."""

    TITLE = "Twitch Diary"
    CSS_PATH = "app.tcss"
    MODES = {
        "today": _today,
        "history": _history,
        "meds": _meds,
        "insights": _insights,
        "report": _report,
        "checks": _checks,
    }
    DEFAULT_MODE = "today"
    # The header shows the area keys, so the footer keeps its room for the screens' own keys.
    BINDINGS = [
        *(Binding(f, f"switch_mode('{mode}')", name, show=False) for mode, f, _, name in AREAS),
        *(Binding(letter, f"area('{mode}')", name, show=False) for mode, _, letter, name in AREAS),
        Binding("question_mark", "help", "Help"),
        # Quit is in the palette and the help.
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
    ]

    #: Start the Insights analysis once the first frame is shown (tests of other screens turn it
    #: off, so their waits for workers do not include an analysis they do not look at).
    ANALYSE_EARLY = True

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.diary = Diary(db_path)
        #: The newest Insights view, shared by the early analysis and the Insights screen.
        self.insights = LatestInsights(self.diary)
        #: Whether the first frame is out (screens then add at once what they would hold back).
        self.first_frame_shown = False
        if not gc.get_freeze_count():
            # What is loaded by now (Textual, Rich, the diary's modules) lives as long as the
            # process: moved out of the collector's sight, it is not walked again and again while
            # the first frame is built (a tenth of the time to it). Once per process.
            gc.freeze()

    def on_ready(self) -> None:
        """The first frame is shown: the screen may add what it held back, and the diary is
        analysed now, off the UI thread.

        A daemon thread rather than a thread worker: quitting must not wait for an analysis nobody
        asked for (the executor behind workers is joined at exit), and it only reads the diary.
        """
        self.first_frame_shown = True
        self.screen.post_message(FirstFrame())
        if self.ANALYSE_EARLY:
            Thread(
                target=self.insights.prepare, args=(now().date(),), name="insights", daemon=True
            ).start()

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header: every area with its key, the current one highlighted (a tab bar)."""
        parts: list[Content | str | tuple[str, str]] = []
        for mode, key, _, name in AREAS:
            if parts:
                parts.append(" ")
            label = f" {key.upper()} {name} "
            style = "bold reverse" if mode == self.current_mode else "dim"
            link = f"[@click=app.switch_mode('{mode}')]$label[/]"
            parts.append(Content.from_markup(link, label=label).stylize(style))
        return Content.assemble(*parts)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The letter keys for the areas act only where no typing could have been meant."""
        if action != "area":
            return True
        if isinstance(self.screen, ModalScreen):
            return False
        focused = self.focused
        if focused is None:
            return True
        for node in focused.ancestors_with_self:
            if isinstance(node, FORM_LISTS):  # lists that are form fields (tick boxes, drop-downs)
                return False
        return isinstance(focused, (*READING_WIDGETS, ScrollableContainer))

    def action_area(self, mode: str) -> None:
        """Switch area by letter (enabled by ``check_action`` only outside forms)."""
        self.switch_mode(mode)

    def on_unmount(self) -> None:
        """Release the database when the app closes."""
        self.diary.close()

    def action_help(self) -> None:
        """Show the help screen (keys and vocabulary)."""
        from diary.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette: every screen and action, plus Textual's own (theme, quit)."""
        yield from super().get_system_commands(screen)
        for mode, title, help_text in (
            ("today", "Today", "Log an episode and today's check-in"),
            ("history", "History", "All episodes: filter, edit, delete"),
            ("meds", "Medications and visits", "Courses and doctor's visits: add, edit, delete"),
            ("insights", "Insights", "What your diary shows"),
            ("report", "Report and export", "The doctor's PDF and the CSV export"),
            ("checks", "Self-checks", "The weekly warning signs, strength per side, a timed count"),
        ):
            yield SystemCommand(title, help_text, lambda m=mode: self.switch_mode(m))
        yield SystemCommand(
            "Profile",
            "Your name, birth year, family history and when the twitching started",
            lambda: self.push_screen(_profile()),
        )
        yield SystemCommand("Help", "Keys and what the words mean", self.action_help)


def twitch_app(app: App[Any]) -> TwitchApp:
    """``app`` as the ``TwitchApp`` it is: a screen's ``self.app`` is typed as any Textual app, and
    this gives the screens typed access to the diary and the app's shared state."""
    if not isinstance(app, TwitchApp):
        raise TypeError(f"the screens of Twitch Diary run in TwitchApp, not {type(app).__name__}")
    return app


def diary_of(app: App[Any]) -> Diary:
    """The diary that the running ``TwitchApp`` opened."""
    return twitch_app(app).diary
