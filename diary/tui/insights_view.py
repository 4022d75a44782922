"""The Insights screen's content as plain words and numbers, and the latest one kept.

The analysis (pandas, statsmodels) returns DataFrames; ``build_view`` words it for the screen in
the worker thread, so no pandas passes this point and the screen only mounts widgets. The wording
follows ``twitch flags`` so the terminal, the command line and the report say the same thing.

``LatestInsights`` keeps the newest view with what it was made from (the diary's data version and
the day): the app starts an analysis as soon as its first frame is shown, and the Insights screen
takes that result, or waits for it, instead of starting a second one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from diary import wording
from diary.wording import plural

if TYPE_CHECKING:
    from diary.analysis.insights import Insights
    from diary.tui.data import Diary

#: How many days the charts look back.
CHART_DAYS = 90


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


def build_view(result: Insights) -> InsightsView:
    """Word the analysis for the screen (runs in the worker thread; reads DataFrames)."""
    from diary.analysis.summary import factor_lines
    from diary.guidance import HEADINGS, severity_heading

    as_of = result.as_of
    cov = result.coverage
    if cov.first_day is None:
        logged = "only weekly checks so far" if result.frames.has_checks else "nothing logged yet"
        heading = f"What your diary shows ({logged})"
        coverage_note = f"{logged.capitalize()}. Log an episode and a daily check-in on Today (t)."
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
    factors = factor_lines(result.associations)
    view = InsightsView(
        heading=heading,
        headings={
            s: severity_heading(s, [f.last_date for f in result.flags if f.severity == s], as_of)
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
        episodes = episodes[result.frames.index.within(start, as_of)]
    counts: dict[date, int] = {}
    medians: dict[date, float] = {}
    sites: list[tuple[str, int]] = []
    if not episodes.empty:
        by_day = episodes.groupby("diary_day")
        counts = {d: int(n) for d, n in by_day.size().items()}
        medians = {d: float(m) for d, m in by_day["intensity"].median().items() if m == m}
        pairs = zip(episodes["body_site"], episodes["side"], strict=True)
        labels = [wording.location(site, side) for site, side in pairs]
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


class LatestInsights:
    """The newest view of one diary and what it was made from; one analysis at a time.

    Thread-safe: a caller that asks while an analysis runs waits for it and gets its result when
    nothing was written meanwhile.
    """

    def __init__(self, diary: Diary) -> None:
        self.diary = diary
        self._lock = threading.Lock()
        self._made: tuple[tuple[int, date], InsightsView] | None = None

    def view(self, as_of: date) -> tuple[InsightsView, int | None]:
        """The view as of ``as_of`` of the diary as it is now, and the data version it was made
        from (None when it could not be read).

        The kept view is returned when nothing was committed since it was made; otherwise the
        diary is analysed again. The version is read before the analysis, so a write made while it
        runs is seen as a change next time.
        """
        with self._lock:
            try:
                version: int | None = self.diary.data_version()
            except Exception:  # noqa: BLE001 - cannot tell: analyse, which reports what is wrong
                version = None
            if version is not None and self._made is not None and self._made[0] == (version, as_of):
                return self._made[1], version
            made = build_view(self.diary.insights(as_of))
            self._made = None if version is None else ((version, as_of), made)
            return made, version

    def prepare(self, as_of: date) -> None:
        """Make the view the Insights screen will ask for, ahead of time; a failure is left for
        the screen's own analysis to show."""
        try:
            self.view(as_of)
        except Exception:  # noqa: BLE001 - the Insights screen analyses again and says why
            return
