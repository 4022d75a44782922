"""``TwitchApp``: the screens, the keys that switch between them, and the diary they share.

The app receives its diary path from outside (``twitch`` passes the user's, tests a temporary
one) and opens it once. Each area is a Textual *mode* with its own screen stack; the footer shows
the keys, the command palette (ctrl+p) lists every action, and ``?`` explains keys and words.
Insights and Report load pandas and matplotlib only when first opened.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from diary.tui.data import Diary


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
    }
    DEFAULT_MODE = "today"
    BINDINGS = [
        Binding("t", "switch_mode('today')", "Today"),
        Binding("h", "switch_mode('history')", "History"),
        Binding("m", "switch_mode('meds')", "Meds"),
        Binding("i", "switch_mode('insights')", "Insights"),
        Binding("p", "switch_mode('report')", "Report"),
        Binding("question_mark", "help", "Help"),
        # Quit is in the palette and the help; the footer keeps its room for the screens.
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
    ]

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.diary = Diary(db_path)

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
            ("meds", "Medications and visits", "Courses, stopping a course, doctor's visits"),
            ("insights", "Insights", "What your diary shows"),
            ("report", "Report and export", "The doctor's PDF and the CSV export"),
        ):
            yield SystemCommand(title, help_text, lambda m=mode: self.switch_mode(m))
        yield SystemCommand("Help", "Keys and what the words mean", self.action_help)
