"""Insights: what the diary shows — the flags, the daily factors and three small charts.

The analysis (pandas, statsmodels) runs in a thread worker, which also turns its result into a
plain ``InsightsView`` of strings and numbers (``diary.tui.insights_view``); the screen only mounts
widgets from that view. The app starts that analysis as soon as its first frame is shown, so the
screen usually finds the result ready, or nearly. Nothing heavy is imported at module level, so
opening the app stays quick.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Static

from diary.tui.app import twitch_app
from diary.tui.data import now
from diary.tui.insights_view import InsightsView
from diary.tui.messages import Failed
from diary.tui.widgets.sparkline import BarList, SparkLine

SEVERITIES = ("urgent", "soon", "discuss", "info")
NO_FLAGS = "No pattern that the guidance asks a doctor to look at."


def bullet(text: str) -> Horizontal:
    """A bulleted line whose wrapped lines stay indented under the text."""
    return Horizontal(
        Static("•", classes="bullet-mark"), Static(text, classes="bullet-text"), classes="bullet"
    )


class InsightsScreen(Screen[None]):
    """What your diary shows, most severe first, with the numbers behind each pattern."""

    CSS_PATH = "insights.tcss"
    BINDINGS = [Binding("r", "refresh_insights", "Refresh")]

    class InsightsComputed(Message):
        """The analysis finished; ``view`` is ready to draw, made from the diary as it was at
        ``version`` (``Diary.data_version``) on ``as_of``."""

        def __init__(self, view: InsightsView, version: int | None, as_of: date) -> None:
            super().__init__()
            self.view = view
            self.version = version
            self.as_of = as_of

    class DiaryChanged(Message):
        """Something was written to the diary (or the day turned) since the view was made."""

    def __init__(self) -> None:
        super().__init__()
        #: What the view on screen was made from: the diary's data version and the day.
        self.shown: tuple[int | None, date] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="insights-body")
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh_insights()

    def on_screen_resume(self) -> None:
        """Coming back to the screen: analyse again only if the diary changed meanwhile (a cheap
        check in a thread), so the view and its scroll position stay when nothing did."""
        if not self.is_mounted or self.query(LoadingIndicator):
            return
        if self.shown is None:  # the last analysis failed
            self.action_refresh_insights()
        else:
            self.check_for_changes(self.shown)

    @work(thread=True, exclusive=True, group="insights-check")
    def check_for_changes(self, shown: tuple[int | None, date]) -> None:
        """Compare the diary's data version and today's date with those of the view (thread)."""
        try:
            version = twitch_app(self.app).diary.data_version()
        except Exception:  # noqa: BLE001 - cannot tell: analyse again, which reports the error
            version = None
        if version is None or (version, now().date()) != shown:
            self.post_message(self.DiaryChanged())

    @on(DiaryChanged)
    def _diary_changed(self) -> None:
        if not self.query(LoadingIndicator):
            self.action_refresh_insights()

    def action_refresh_insights(self) -> None:
        """Show the spinner and analyse the diary again as of today."""
        body = self.query_one("#insights-body", VerticalScroll)
        body.remove_children()
        body.mount(LoadingIndicator())
        self.compute(now().date())

    @work(thread=True, exclusive=True, group="insights")
    def compute(self, as_of: date) -> None:
        """Analyse in a thread (or take the app's analysis of the unchanged diary) and post back
        a plain view (never touches widgets)."""
        try:
            view, version = twitch_app(self.app).insights.view(as_of)
        except Exception as error:  # noqa: BLE001 - shown as one line instead of crashing
            self.post_message(Failed(f"Could not analyse the diary: {error}"))
            return
        self.post_message(self.InsightsComputed(view, version, as_of))

    @on(Failed)
    def show_error(self, message: Failed) -> None:
        """Show why the analysis failed, in place of the results."""
        self.shown = None  # nothing valid on screen: analyse again on the next visit
        body = self.query_one("#insights-body", VerticalScroll)
        body.remove_children()
        body.mount(Static(message.text, classes="error"))

    @on(InsightsComputed)
    def show_view(self, message: InsightsComputed) -> None:
        self.shown = (message.version, message.as_of)
        body = self.query_one("#insights-body", VerticalScroll)
        body.remove_children()
        body.mount_all(list(self._widgets(message.view)))
        body.scroll_home(animate=False)

    def _widgets(self, view: InsightsView) -> list[Any]:
        """The widgets for ``view``, top to bottom."""
        out: list[Any] = [
            Static(view.heading, classes="heading", id="insights-heading"),
            Static(
                "Patterns in your own records and what public guidance says about them; "
                "not a diagnosis.",
                classes="muted intro",
            ),
        ]
        if not view.flags:
            out.append(Static(NO_FLAGS, classes="none", id="no-flags"))
        for severity in SEVERITIES:
            flags = [f for f in view.flags if f.severity == severity]
            if not flags:
                continue
            mark = "○" if severity == "info" else "●"
            out.append(
                Static(
                    f"{mark} {view.headings[severity]}",
                    classes=f"severity-heading severity-{severity}",
                )
            )
            for flag in flags:
                out.append(Static(flag.title, classes=f"flag-title severity-{severity}"))
                out.append(Static(flag.evidence, classes="flag-text"))
                out.append(Static(flag.guidance, classes="flag-text guidance"))
        if view.not_enough:
            out.append(Static("Not enough data to judge", classes="section"))
            out.extend(bullet(note) for note in view.not_enough)
        out.append(Static("Daily factors (possible associations, not causes)", classes="section"))
        out.extend(bullet(line) for line in view.factors)
        if view.chart_span:
            out += [
                Static(f"Episodes per day, {view.chart_span}", classes="section"),
                SparkLine(view.per_day, id="per-day", classes="chart"),
                Static(view.per_day_note, classes="muted item"),
                Static(f"Intensity, {view.chart_span}", classes="section"),
                SparkLine(view.intensity, low=1, high=10, id="intensity", classes="chart"),
                Static(view.intensity_note, classes="muted item"),
                Static(f"Days with episodes by place, {view.chart_span}", classes="section"),
            ]
            if view.sites:
                out.append(BarList(view.sites, id="sites", classes="chart"))
            else:
                out.append(Static("No episodes in these days.", classes="muted item"))
        out.append(Static(view.coverage_note, classes="muted coverage"))
        return out
