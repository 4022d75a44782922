"""What the doctor's report says, as plain data: computed once, then laid out by ``pdf``.

Everything here is derived from ``Insights`` (the same object ``twitch flags`` prints) and the
report's period, so the report and the command line can never disagree. No drawing, no files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from diary.analysis.associations import INSUFFICIENT, POSSIBLE, Association
from diary.analysis.flags import Flag
from diary.analysis.insights import Insights

#: Days in the default period (the last 90 days up to ``as_of``).
DEFAULT_PERIOD_DAYS = 90
SEVERITY_LABELS = {
    "urgent": "URGENT — get medical help today",
    "soon": "SOON — book an appointment in the coming days",
    "discuss": "DISCUSS — at the next appointment",
    "info": "INFO — for the record",
}
DISCLAIMER = "From a personal diary kept by the patient; not a diagnosis."


@dataclass(frozen=True)
class Period:
    """The dates the report covers, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        """Number of calendar days in the period."""
        return (self.end - self.start).days + 1

    def label(self) -> str:
        """``1 Dec 2025 – 14 Mar 2026``."""
        return f"{_day(self.start)} – {_day(self.end)}"


def _day(value: date) -> str:
    return f"{value.day} {value.strftime('%b %Y')}"


@dataclass
class ReportContent:
    """Every sentence and table row of the report, ready to lay out."""

    period: Period
    as_of: date
    person: str
    coverage: str
    logged: str
    flags: dict[str, list[Flag]]
    medications: list[str]
    visits: list[str]
    factors: list[str]
    episode_rows: list[list[str]] = field(default_factory=list)
    week_rows: list[list[str]] = field(default_factory=list)
    empty: bool = False


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def _logged_line(episodes: pd.DataFrame) -> str:
    if episodes.empty:
        return "No episodes were logged in this period."
    days = episodes["diary_day"].nunique()
    places = (
        episodes.groupby(["body_site", "side"], dropna=False).size().sort_values(ascending=False)
    )
    top = []
    for (site, side), n in places.head(3).items():
        where = site.replace("_", " ") + (f" {side[0].upper()}" if isinstance(side, str) else "")
        top.append(f"{where} {_share(int(n), len(episodes))}")
    kinds = episodes["kind"].value_counts()
    kind_text = ", ".join(f"{kind} {n}" for kind, n in kinds.items())
    intensity = episodes["intensity"]
    return (
        f"{len(episodes)} episode{'s' if len(episodes) != 1 else ''} on {days} "
        f"day{'s' if days != 1 else ''} · {', '.join(top)} · {kind_text} · median intensity "
        f"{intensity.median():g} (range {intensity.min()}–{intensity.max()})"
    )


def _medications(insights: Insights, period: Period) -> list[str]:
    lines = []
    for course in insights.frames.medications.sort_values("started_on").itertuples():
        stopped = course.stopped_on if isinstance(course.stopped_on, date) else None
        if stopped is not None and stopped < period.start:
            continue
        what = course.name + (
            f" ({course.drug_class.replace('_', ' ')}" if course.drug_class else ""
        )
        what += f", {course.dose})" if isinstance(course.dose, str) and course.dose else ")"
        if stopped is None or stopped > insights.as_of:
            when = f"since {_day(course.started_on)}"
        else:
            when = f"{_day(course.started_on)} – {_day(stopped)}"
        if course.started_on >= period.start:
            when += " (started in this period)"
        lines.append(f"{what} {when}")
    return lines


def _visits(insights: Insights, period: Period) -> list[str]:
    visits = insights.frames.visits
    if visits.empty:
        return []
    shown = visits[visits["date"] <= period.end].sort_values("date")
    lines = []
    for visit in shown.itertuples():
        tests = ", ".join(sorted(t.replace("_", " ") for t in visit.tests))
        outcome = visit.outcome if isinstance(visit.outcome, str) and visit.outcome else ""
        parts = [f"{_day(visit.date)} {visit.kind.replace('_', ' ')}"]
        if tests:
            parts.append(f"tests: {tests}")
        if outcome:
            parts.append(outcome)
        lines.append(" — ".join(parts))
    return lines[-6:]  # the latest few: the summary page has room for a handful


def factor_line(association: Association) -> str:
    """``caffeine >= 400 mg that day: 2.1× (95% CI 1.3–3.4), possible association``."""
    exposure = association.exposure.replace(">=", "≥")
    if association.claim == INSUFFICIENT or association.rate_ratio is None:
        return f"{exposure}: not enough data"
    ci = (
        f" (95% CI {association.ci_low:.1f}–{association.ci_high:.1f})"
        if association.ci_low is not None and association.ci_high is not None
        else ""
    )
    verdict = "possible association" if association.claim == POSSIBLE else "no clear association"
    return f"{exposure}: {association.rate_ratio:.1f}×{ci}, {verdict}"


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    return f"{minutes} min" + (f" {secs} s" if secs else "")


def _episode_rows(episodes: pd.DataFrame) -> list[list[str]]:
    rows = []
    for e in episodes.sort_values("local").itertuples():
        rows.append(
            [
                pd.Timestamp(e.local).strftime("%Y-%m-%d %H:%M"),
                e.body_site.replace("_", " "),
                e.side or "",
                e.kind,
                str(e.intensity),
                _duration(int(e.duration_s)),
                ", ".join(sorted(s.replace("_", " ") for s in e.symptoms)),
            ]
        )
    return rows


def _mean(values: pd.Series, fmt: str) -> str:
    clean = values.dropna()
    return format(clean.mean(), fmt) if len(clean) else "–"


def _week_rows(insights: Insights, period: Period, episodes: pd.DataFrame) -> list[list[str]]:
    days = insights.frames.days
    days = days[(days["date"] >= period.start) & (days["date"] <= period.end)]
    rows = []
    week = period.start - timedelta(days=period.start.weekday())
    while week <= period.end:
        end = week + timedelta(days=6)
        in_week = days[(days["date"] >= week) & (days["date"] <= end)]
        count = int(((episodes["diary_day"] >= week) & (episodes["diary_day"] <= end)).sum())
        span = min(end, period.end) - max(week, period.start)
        rows.append(
            [
                f"{_day(max(week, period.start))}",
                f"{len(in_week)}/{span.days + 1}",
                str(count),
                _mean(in_week["water_ml"] / 1000, ".1f"),
                _mean(in_week["caffeine_mg"], ".0f"),
                _mean(in_week["sleep_h"], ".1f"),
                _mean(in_week["stress"], ".1f"),
                f"{in_week['exercise_min'].dropna().sum():.0f}" if len(in_week) else "–",
            ]
        )
        week += timedelta(days=7)
    return rows


def build_content(insights: Insights, period: Period) -> ReportContent:
    """Everything the report shows for ``period`` (flags and factors as of ``insights.as_of``)."""
    episodes = insights.frames.episodes
    in_period = episodes[
        (episodes["diary_day"] >= period.start) & (episodes["diary_day"] <= period.end)
    ]
    logged_dates = [d for d in insights.frames.logged_dates if period.start <= d <= period.end]
    profile = insights.frames.profile
    person_bits = [profile.get("name", "")]
    if profile.get("birth_year"):
        person_bits.append(f"born {profile['birth_year']}")
    grouped: dict[str, list[Flag]] = {}
    for flag in insights.flags:
        grouped.setdefault(flag.severity, []).append(flag)
    return ReportContent(
        period=period,
        as_of=insights.as_of,
        person=" · ".join(b for b in person_bits if b),
        coverage=(
            f"Logged {len(logged_dates)} of {period.days} days "
            f"({_share(len(logged_dates), period.days)})"
        ),
        logged=_logged_line(in_period),
        flags=grouped,
        medications=_medications(insights, period),
        visits=_visits(insights, period),
        factors=[factor_line(a) for a in insights.associations],
        episode_rows=_episode_rows(in_period),
        week_rows=_week_rows(insights, period, in_period),
        empty=in_period.empty and not logged_dates,
    )
