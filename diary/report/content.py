"""What the doctor's report says, as plain data: computed once, then laid out by ``pdf``.

Everything here is derived from ``Insights`` (the same object ``twitch flags`` prints) and the
report's period, so the report and the command line can never disagree. No drawing, no files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
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
    #: True when ``start`` was moved forward to the diary's first entry (see ``clamp``).
    clamped: bool = False

    @property
    def days(self) -> int:
        """Number of calendar days in the period."""
        return (self.end - self.start).days + 1

    def label(self) -> str:
        """``1 Dec 2025 – 14 Mar 2026``, saying so when the start is the diary's first entry."""
        note = " (from the diary's first entry)" if self.clamped else ""
        return f"{_day(self.start)} – {_day(self.end)}{note}"

    def clamp(self, first_day: date | None) -> Period:
        """The period starting no earlier than the diary's first entry.

        Why: days before the diary began were never recorded, and a report asked ``--from 1900``
        would otherwise draw and tabulate a century of nothing (its cost followed the dates asked
        for, not the data). A diary with no entry in the period keeps the period as asked.
        """
        if first_day is None or not self.start < first_day <= self.end:
            return self
        return replace(self, start=first_day, clamped=True)


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

    def texts(self) -> Iterator[tuple[str, str]]:
        """Every text the report prints, with what it is (for font coverage and its warning)."""
        yield "name", self.person
        yield "period", self.period.label()
        for line in self.medications:
            yield "medication", line
        for line in self.visits:
            yield "visit", line
        for flags in self.flags.values():
            for flag in flags:
                for text in (flag.title, flag.evidence, flag.guidance, flag.source):
                    yield "pattern", text
        for line in (self.coverage, self.logged, *self.factors):
            yield "summary", line
        for row in self.episode_rows:
            for cell in row:
                yield "episode", cell
        for row in self.week_rows:
            for cell in row:
                yield "daily log", cell


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


def _week_index(days: pd.Series, monday: date) -> np.ndarray:
    """For each date, how many weeks after ``monday`` its week starts."""
    base = monday.toordinal()
    return np.fromiter(((d.toordinal() - base) // 7 for d in days), dtype=np.int64, count=len(days))


def _week_cells(first: date, last: date, logged: int, episodes: int) -> list[str]:
    """The first columns of a row for the days ``first``..``last``."""
    if (last - first).days < 7:
        when = _day(first)
    else:  # no-break spaces inside the dates: a narrow column breaks the range only at the dash
        when = " – ".join(_day(d).replace(" ", "\u00a0") for d in (first, last))
    return [when, f"{logged}/{(last - first).days + 1}", str(episodes)]


def _week_rows(insights: Insights, period: Period, episodes: pd.DataFrame) -> list[list[str]]:
    """One row per week with a check-in or an episode; a run of empty weeks is one row.

    Computed by grouping the rows there are (not by walking every day or week of the period), so
    a sparse diary over ten years costs what its few entries cost.
    """
    days = insights.frames.days
    days = days.loc[np.array([period.start <= d <= period.end for d in days["date"]], dtype=bool)]
    monday = date.fromordinal(period.start.toordinal() - period.start.weekday())
    logged = days.assign(week=_week_index(days["date"], monday))
    logged["water_l"] = logged["water_ml"] / 1000
    stats = logged.groupby("week").agg(
        n=("date", "size"),
        water=("water_l", "mean"),
        caffeine=("caffeine_mg", "mean"),
        sleep=("sleep_h", "mean"),
        stress=("stress", "mean"),
        exercise=("exercise_min", "sum"),
    )
    counts = pd.Series(_week_index(episodes["diary_day"], monday)).value_counts()
    weeks = sorted(set(stats.index) | set(counts.index))
    last_week = (period.end.toordinal() - monday.toordinal()) // 7

    def bounds(first_week: int, last: int) -> tuple[date, date]:
        start = date.fromordinal(max(monday.toordinal() + 7 * first_week, period.start.toordinal()))
        end = date.fromordinal(min(monday.toordinal() + 7 * last + 6, period.end.toordinal()))
        return start, end

    rows: list[list[str]] = []
    previous = -1
    for week in [*weeks, last_week + 1]:
        if week > previous + 1:  # the empty weeks between two weeks with entries
            rows.append([*_week_cells(*bounds(previous + 1, week - 1), 0, 0), *["–"] * 5])
        if week > last_week:
            break
        row = stats.loc[week] if week in stats.index else None
        cells = _week_cells(
            *bounds(week, week), int(row["n"]) if row is not None else 0, int(counts.get(week, 0))
        )
        if row is None:
            rows.append([*cells, *["–"] * 5])
        else:
            rows.append(
                [
                    *cells,
                    _fmt(row["water"], ".1f"),
                    _fmt(row["caffeine"], ".0f"),
                    _fmt(row["sleep"], ".1f"),
                    _fmt(row["stress"], ".1f"),
                    f"{row['exercise']:.0f}",
                ]
            )
        previous = week
    return rows


def _fmt(value: float, spec: str) -> str:
    return "–" if pd.isna(value) else format(value, spec)


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
