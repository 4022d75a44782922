"""What the doctor's report says, as plain data: computed once, then laid out by ``pdf``.

Everything here is derived from ``Insights`` (the same object ``twitch flags`` prints) and the
report's period, so the report and the command line can never disagree. No drawing, no files.
This module words the summary page; the appendix tables come from ``tables``, and the date style
and the mark for unknown values shared by both from ``text``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from diary import wording
from diary.analysis.associations import INSUFFICIENT, POSSIBLE, Association
from diary.analysis.check_frames import CheckFrames, make_check_frames
from diary.analysis.flags.model import Flag
from diary.analysis.insights import Insights
from diary.report.check_content import CheckContent, check_content
from diary.report.tables import episode_rows, week_rows
from diary.report.text import dated, day_text, one_line

#: Days in the default period (the last 90 days up to ``as_of``).
DEFAULT_PERIOD_DAYS = 90
SEVERITY_LABELS = {
    "urgent": "URGENT — get medical help today",
    "soon": "SOON — book an appointment in the coming days",
    "discuss": "DISCUSS — at the next appointment",
    "info": "INFO — for the record",
}
DISCLAIMER = "From a personal diary kept by the patient; not a diagnosis."
#: Symptoms a doctor reads as sensory (asked about on page 1 even when none was logged).
SENSORY_SYMPTOMS = ("numbness", "tingling", "saddle_numbness")
#: How the guidance the app showed the patient is introduced on the doctor's copy: the text is
#: addressed to the patient, so the report quotes it as what the patient was told (item 25).
_GUIDANCE_KINDS = {
    "Guidance": "Guidance shown to the patient",
    "Insight": "Information shown to the patient",
    "For your doctor": "Note shown to the patient",
}


@dataclass(frozen=True)
class Period:
    """The dates the report covers, both included."""

    start: date
    end: date
    #: True when ``start`` was moved to where the diary's story begins (see ``clamp``).
    clamped: bool = False
    #: True when that beginning is the onset date the patient gave, not the first entry.
    from_onset: bool = False

    @property
    def days(self) -> int:
        """Number of calendar days in the period."""
        return (self.end - self.start).days + 1

    def label(self) -> str:
        """``1 Dec 2025 – 14 Mar 2026``, saying so when the start is where the diary begins."""
        note = ""
        if self.clamped:
            note = (
                " (from the onset date)" if self.from_onset else " (from the diary's first entry)"
            )
        return f"{day_text(self.start)} – {day_text(self.end)}{note}"

    def clamp(self, first_day: date | None, onset: date | None = None) -> Period:
        """The period starting no earlier than the diary's story: its first entry, or the onset
        date the patient gave when that is earlier.

        Why: days before the diary began were never recorded, and a report asked ``--from 1900``
        (or the default 90 days of a three-week-old diary) would otherwise draw and tabulate
        months of nothing. From an earlier onset on, the days before the first entry are shown
        as not logged: that is the course of the complaint, told truthfully. A diary with no
        entry in the period keeps the period as asked.
        """
        begins = min(d for d in (first_day, onset) if d is not None) if first_day else None
        if begins is None or not self.start < begins <= self.end:
            return self
        return replace(self, start=begins, clamped=True, from_onset=begins != first_day)


def onset_date(profile: Mapping[str, str]) -> date | None:
    """The onset date the patient gave (profile key ``onset``, ``YYYY-MM-DD``), if readable."""
    value = str(profile.get("onset") or "").strip()
    if len(value) == 7:  # a month alone, should one ever be stored so
        value += "-01"
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def quoted_guidance(guidance: str, source: str) -> str:
    """The guidance the app showed the patient, quoted as such for the doctor's copy.

    Why quoting rather than rewording ("the patient should…"): the words are exactly what the
    patient read, which is itself useful to the doctor, and no rewording can drift from them.
    """
    label, text = "Shown to the patient", guidance.strip()
    for prefix, name in _GUIDANCE_KINDS.items():
        if text.startswith(prefix + ":"):
            label, text = name, text[len(prefix) + 1 :].strip()
            break
    text = text[:1].upper() + text[1:]
    where = f" ({source})" if source else ""
    return f"{label}{where}: “{dated(text)}”"


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
    symptoms: str = ""
    statistics: list[str] = field(default_factory=list)
    episode_rows: list[list[str]] = field(default_factory=list)
    week_rows: list[list[str]] = field(default_factory=list)
    empty: bool = False
    #: "Asked weekly" and the measured strength and counts (``check_content``).
    checks: CheckContent = field(default_factory=CheckContent)

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
        for line in (self.coverage, self.logged, self.symptoms, *self.factors, *self.statistics):
            yield "summary", line
        for line in self.checks.texts():
            yield "self-checks", line
        for row in self.episode_rows:
            for cell in row:
                yield "episode", cell
        for row in self.week_rows:
            for cell in row:
                yield "daily log", cell


def _share(part: int, whole: int) -> str:
    if not whole:
        return "0%"
    share = 100 * part / whole
    return "<1%" if 0 < share < 0.5 else f"{round(share)}%"


def _known(values: pd.Series) -> pd.Series:
    """The values that were given (an unknown intensity or duration is missing, not 0)."""
    return pd.to_numeric(values, errors="coerce").dropna()


def _intensity_text(episodes: pd.DataFrame) -> str:
    known = _known(episodes["intensity"])
    if known.empty:
        return "intensity not given"
    text = f"median intensity {known.median():g} (range {known.min():g}–{known.max():g}"
    missing = len(episodes) - len(known)
    return text + (f"; not given for {missing})" if missing else ")")


def _logged_line(episodes: pd.DataFrame) -> str:
    """Counts, every site and side with its share (none left unnamed), kinds and intensity."""
    if episodes.empty:
        return "No episodes were logged in this period."
    days = episodes["diary_day"].nunique()
    sides = episodes["side"].where(episodes["side"].notna(), "")
    places = (
        pd.DataFrame({"site": episodes["body_site"], "side": sides})
        .groupby(["site", "side"])
        .size()
        .sort_values(ascending=False, kind="stable")
    )
    where = [
        f"{wording.location(site, side or 'side not given')} {_share(int(n), len(episodes))}"
        for (site, side), n in places.items()
    ]
    kinds = episodes["kind"].value_counts()
    kind_text = ", ".join(f"{kind} {n}" for kind, n in kinds.items())
    return (
        f"{wording.plural(len(episodes), 'episode')} on {wording.plural(days, 'day')} · "
        f"{', '.join(where)} · {kind_text} · {_intensity_text(episodes)}"
    )


def _symptom_line(episodes: pd.DataFrame, days: pd.DataFrame) -> str:
    """The symptoms logged in the period (with episodes or in check-ins), sensory ones first,
    and a plain statement when no sensory symptom was logged (a doctor asks about them)."""
    on_days: dict[str, set[date]] = {}
    for day, symptoms in zip(episodes["diary_day"], episodes["symptoms"], strict=True):
        for symptom in symptoms:
            on_days.setdefault(symptom, set()).add(day)
    for day, symptoms in zip(days["date"], days["symptoms"], strict=True):
        for symptom in symptoms:
            on_days.setdefault(symptom, set()).add(day)
    on_days.pop("sudden_onset", None)  # how a symptom began, not a symptom of its own
    on_days.pop("gradual_onset", None)
    sensory = [s for s in SENSORY_SYMPTOMS if s in on_days]
    others = sorted((s for s in on_days if s not in SENSORY_SYMPTOMS), key=wording.word)
    listed = [
        f"{wording.word(s)} on {wording.plural(len(on_days[s]), 'day')}" for s in sensory + others
    ]
    if not listed:
        return "Symptoms logged: none (no numbness or tingling)."
    text = "; ".join(listed)
    return f"Symptoms logged: {text}" + ("." if sensory else "; no numbness or tingling.")


def _medications(insights: Insights, period: Period) -> list[str]:
    lines = []
    for course in insights.frames.medications.sort_values("started_on").itertuples():
        stopped = course.stopped_on if isinstance(course.stopped_on, date) else None
        if stopped is not None and stopped < period.start:
            continue
        what = course.name + (
            f" ({course.drug_class.replace('_', ' ')}" if course.drug_class else ""
        )
        if isinstance(course.dose, str) and course.dose:
            what += f", {course.dose})" if course.drug_class else f" ({course.dose})"
        elif course.drug_class:
            what += ")"
        if stopped is None or stopped > insights.as_of:
            when = f"since {day_text(course.started_on)}"
        else:
            when = f"{day_text(course.started_on)} – {day_text(stopped)}"
        if course.started_on >= period.start:
            when += " (started in this period)"
        lines.append(f"{what} {when}")
    return lines


def _visits(insights: Insights, period: Period, notes: Mapping[str, str]) -> list[str]:
    """The latest visits up to the period's end: date, kind, tests, outcome and the note."""
    visits = insights.frames.visits
    if visits.empty:
        return []
    shown = visits[visits["date"] <= period.end].sort_values("date")
    lines = []
    for visit in shown.itertuples():
        tests = ", ".join(sorted(wording.word(t) for t in visit.tests))
        outcome = visit.outcome if isinstance(visit.outcome, str) and visit.outcome else ""
        kind = str(visit.kind)
        parts = [f"{day_text(visit.date)} {'GP' if kind == 'gp' else wording.word(kind)}"]
        if tests:
            parts.append(f"tests: {tests}")
        if outcome:
            parts.append(outcome)
        note = one_line(notes.get(str(visit.id), ""))
        if note:
            parts.append(f"note: {note}")
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


def p_text(p: float) -> str:
    """A p-value as a statistician writes it: ``p = 0.012``, ``p < 0.001``."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def _statistics(insights: Insights) -> list[str]:
    """The doctor's statistics lines: the tests behind the patterns and factors, with p-values.

    Taken from the numbers on the flag and association objects, never parsed from their text
    (which, for the patient, carries no p-values).
    """
    lines = []
    for flag in insights.flags:
        stats = flag.statistics
        if stats:
            lines.append(f"{flag.title}: {dated(str(stats))}")
    for a in insights.associations:
        if a.claim == INSUFFICIENT or a.p_adjusted is None or a.rate_ratio is None:
            continue
        method = f"{a.method}, " if a.method else ""
        lines.append(
            f"{a.exposure.replace('>=', '≥')}: rate ratio {a.rate_ratio:.2f} "
            f"({method}{a.exposed_days} exposed vs {a.unexposed_days} unexposed logged days), "
            f"Holm-adjusted {p_text(a.p_adjusted)}"
        )
    return lines


def _person(profile: Mapping[str, str]) -> str:
    """Name, year of birth and when the twitching started, as far as the patient gave them."""
    bits = [profile.get("name", "")]
    if profile.get("birth_year"):
        bits.append(f"born {profile['birth_year']}")
    onset = onset_date(profile)
    if onset is not None:
        bits.append(f"twitching started around {day_text(onset)}")
    return " · ".join(b for b in bits if b)


def build_content(
    insights: Insights,
    period: Period,
    *,
    episode_notes: Mapping[str, str] | None = None,
    visit_notes: Mapping[str, str] | None = None,
    checks: CheckFrames | None = None,
) -> ReportContent:
    """Everything the report shows for ``period`` (flags and factors as of ``insights.as_of``).

    ``episode_notes`` and ``visit_notes`` map ids to the notes (the analysis frames carry none);
    ``checks`` are the self-checks cut at ``as_of`` (none recorded when not given).
    """
    episodes = insights.frames.episodes
    in_period = episodes[
        (episodes["diary_day"] >= period.start) & (episodes["diary_day"] <= period.end)
    ]
    days = insights.frames.days
    days_in = days.loc[np.array([period.start <= d <= period.end for d in days["date"]], bool)]
    logged_dates = [d for d in insights.frames.logged_dates if period.start <= d <= period.end]
    grouped: dict[str, list[Flag]] = {}
    for flag in insights.flags:
        grouped.setdefault(flag.severity, []).append(flag)
    return ReportContent(
        period=period,
        as_of=insights.as_of,
        person=_person(insights.frames.profile),
        coverage=(
            f"Logged {len(logged_dates)} of {period.days} days "
            f"({_share(len(logged_dates), period.days)})"
        ),
        logged=_logged_line(in_period),
        symptoms=_symptom_line(in_period, days_in),
        flags=grouped,
        medications=_medications(insights, period),
        visits=_visits(insights, period, visit_notes or {}),
        factors=[factor_line(a) for a in insights.associations],
        statistics=_statistics(insights),
        episode_rows=episode_rows(in_period, episode_notes or {}),
        week_rows=week_rows(insights.frames.days, period.start, period.end, in_period),
        empty=in_period.empty and not logged_dates,
        checks=check_content(
            checks if checks is not None else make_check_frames(),
            period.start,
            period.end,
            onset_date(insights.frames.profile),
        ),
    )
