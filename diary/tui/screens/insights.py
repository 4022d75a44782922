"""Insights: what the diary shows — the flags, the daily factors and three small charts.

The analysis (pandas, statsmodels) runs in a thread worker, which also turns its result into a
plain ``InsightsView`` of strings and numbers; the screen only mounts widgets from that view.
Nothing heavy is imported at module level, so opening the app stays quick. The wording follows
``twitch flags`` so the terminal, the command line and the report say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Static

from diary.tui.data import now
from diary.tui.widgets.sparkline import BarList, SparkLine
from diary.wording import plural

if TYPE_CHECKING:
    from diary.analysis.insights import Insights

#: How many days the charts look back.
CHART_DAYS = 90
SEVERITIES = ("urgent", "soon", "discuss", "info")
NO_FLAGS = "No pattern that the guidance asks a doctor to look at."


@dataclass(frozen=True)
class FlagLine:
    """One flag as the screen shows it."""

    severity: str
    title: str
    evidence: str
    guidance: str


@dataclass
class InsightsView:
    """Everything the screen draws, already worded: no pandas past this point."""

    heading: str
    headings: dict[str, str]
    flags: list[FlagLine]
    not_enough: list[str]
    factors: list[str]
    coverage_note: str
    chart_span: str = ""
    per_day: list[float | None] = field(default_factory=list)
    per_day_note: str = ""
    intensity: list[float | None] = field(default_factory=list)
    intensity_note: str = ""
    sites: list[tuple[str, int]] = field(default_factory=list)


def short_date(day: date, *, year: bool = False) -> str:
    """``3 Mar`` (or ``3 Mar 2025``)."""
    return f"{day.day} {day:%b}" + (f" {day.year}" if year else "")


def span(start: date, end: date, *, year: bool = False) -> str:
    """``3 Mar – 11 May``, or just ``3 Mar`` when both are the same day."""
    if start == end:
        return short_date(start, year=year)
    return f"{short_date(start, year=year)} – {short_date(end, year=year)}"


def site_label(site: str, side: object) -> str:
    """``calf (right)``, or just the site when the side is unknown."""
    site = site.replace("_", " ")
    return f"{site} ({side})" if isinstance(side, str) and side else site


def build_view(result: Insights) -> InsightsView:
    """Word the analysis for the screen (runs in the worker thread; reads DataFrames)."""
    from diary.cli.insights import HEADINGS, INSUFFICIENT
    from diary.cli.insights import heading as severity_heading
    from diary.thresholds import (
        ASSOC_MIN_DAYS_EACH,
        ASSOC_MIN_EPISODES,
        ASSOC_MIN_LOGGED_DAYS,
        ASSOC_MIN_WEEKS,
    )

    as_of = result.as_of
    cov = result.coverage
    if cov.first_day is None:
        heading = "What your diary shows (nothing logged yet)"
        coverage_note = "Nothing logged yet. Log an episode and a daily check-in on Today (t)."
    else:
        year = cov.first_day.year != as_of.year
        heading = (
            f"What your diary shows ({span(cov.first_day, as_of, year=year)}, "
            f"{cov.logged_days} of {plural(cov.days, 'day')} logged)"
        )
        coverage_note = (
            f"Logging: {cov.logged_days} of {plural(cov.days, 'day')} checked in "
            f"({cov.share:.0%}). Days without a check-in count as missing, not as quiet days."
        )
    flags = [
        FlagLine(f.severity, f.title, f.evidence, f"{f.guidance} ({f.source})")
        for f in result.flags
    ]
    factors = [a.sentence for a in result.associations if a.claim != INSUFFICIENT]
    waiting = [a.exposure for a in result.associations if a.claim == INSUFFICIENT]
    if waiting:
        factors.append(
            f"Not enough data yet for: {', '.join(waiting)}. Each needs {ASSOC_MIN_LOGGED_DAYS} "
            f"logged days with {ASSOC_MIN_EPISODES} twitches in all, and at least "
            f"{ASSOC_MIN_DAYS_EACH} days with and {ASSOC_MIN_DAYS_EACH} without the factor, "
            f"spread over {ASSOC_MIN_WEEKS} weeks."
        )
    view = InsightsView(
        heading=heading,
        headings={
            s: severity_heading(s, [f for f in result.flags if f.severity == s], as_of)
            for s in HEADINGS
        },
        flags=flags,
        not_enough=[note.message for note in result.not_enough_data],
        factors=factors,
        coverage_note=coverage_note,
    )
    if cov.first_day is not None:
        _add_charts(view, result, as_of, cov.first_day)
    return view


def _add_charts(view: InsightsView, result: Insights, as_of: date, first_day: date) -> None:
    """Daily counts, daily median intensity and days by site over the last ``CHART_DAYS``.

    Every place is listed (no "3 other places"): the person needs to see where it happened, and
    there are at most a few dozen sites and sides. Unknown intensities are left out of the medians.
    """
    start = max(first_day, as_of - timedelta(days=CHART_DAYS - 1))
    days = [start + timedelta(days=n) for n in range((as_of - start).days + 1)]
    episodes = result.frames.episodes
    logged = result.frames.logged_dates
    if not episodes.empty:
        episodes = episodes[(episodes["diary_day"] >= start) & (episodes["diary_day"] <= as_of)]
    counts: dict[date, int] = {}
    medians: dict[date, float] = {}
    sites: list[tuple[str, int]] = []
    if not episodes.empty:
        by_day = episodes.groupby("diary_day")
        counts = {d: int(n) for d, n in by_day.size().items()}
        medians = {d: float(m) for d, m in by_day["intensity"].median().items() if m == m}
        pairs = zip(episodes["body_site"], episodes["side"], strict=True)
        labels = [site_label(site, side) for site, side in pairs]
        by_site = episodes.assign(_label=labels).groupby("_label")["diary_day"].nunique()
        sites = [(str(k), int(v)) for k, v in by_site.sort_values(ascending=False).items()]
    view.chart_span = span(start, as_of)
    view.per_day = [float(counts.get(d, 0)) if (d in counts or d in logged) else None for d in days]
    busiest = max(counts.values(), default=0)
    view.per_day_note = (
        f"{plural(sum(counts.values()), 'episode')} on {plural(len(counts), 'day')}; "
        f"at most {busiest} a day. Blank: no check-in and nothing logged."
    )
    view.intensity = [medians.get(d) for d in days]
    view.intensity_note = intensity_note(sorted(medians.values()), bool(counts))
    view.sites = sites


def intensity_note(medians: list[float], any_episodes: bool) -> str:
    """What the intensity line shows, in words that fit one day as well as many."""
    if not medians:
        return "No intensity given in these days." if any_episodes else "No episodes in these days."
    scale = "Median intensity of each day, scale 1–10"
    if len(medians) == 1:
        return f"{scale}: {medians[0]:g}, on the only day with an intensity given."
    if medians[0] == medians[-1]:
        return f"{scale}: {medians[0]:g} on each of the {len(medians)} days."
    return f"{scale}; days ranged {medians[0]:g}–{medians[-1]:g}."


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

    class InsightsFailed(Message):
        """The analysis raised; ``error`` is one line for the person."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

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
            version = self.app.diary.data_version()  # type: ignore[attr-defined]
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
        """Analyse in a thread and post back a plain view (never touches widgets).

        The data version is read before the analysis, so a write made while it runs is seen as a
        change next time.
        """
        try:
            version: int | None = self.app.diary.data_version()  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - the analysis below reports what is wrong
            version = None
        try:
            result = self.app.diary.insights(as_of)  # type: ignore[attr-defined]
            view = build_view(result)
        except Exception as error:  # noqa: BLE001 - shown as one line instead of crashing
            self.post_message(self.InsightsFailed(f"Could not analyse the diary: {error}"))
            return
        self.post_message(self.InsightsComputed(view, version, as_of))

    @on(InsightsFailed)
    def show_error(self, message: InsightsFailed) -> None:
        self.shown = None  # nothing valid on screen: analyse again on the next visit
        body = self.query_one("#insights-body", VerticalScroll)
        body.remove_children()
        body.mount(Static(message.error, classes="error"))

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
