"""What page 1 says about the self-checks: "Asked weekly" and the measured strength and counts.

Worded from ``analysis.check_summary`` for a doctor reading in a minute: the signs answered yes
come first with their dates, then every other sign with its noes; "not asked" is counted apart and
never read as no, and a period without a check says so in one line (no answer is not a "no").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from diary import wording
from diary.analysis.check_frames import CheckFrames
from diary.analysis.check_summary import (
    BASELINE_CHECKS,
    STRENGTH_SIDES,
    WALKS,
    Measure,
    SignAnswers,
    StrengthSummary,
    count_series,
    sign_summary,
    strength_summary,
)
from diary.report.text import day_text

#: Each sign as a doctor would say it, short enough for half a line.
SIGN_LABELS = {
    "weakness": "weakness",
    "clumsiness": "clumsiness",
    "tripping_falls": "tripping or falls",
    "slurred_speech": "slurred speech",
    "difficulty_swallowing": "difficulty swallowing",
    "muscle_loss": "visible muscle loss",
    "numbness": "numbness",
    "tingling": "tingling",
    "spreading": "twitching that has spread",
    "night_cramps": "cramps that woke them",
    "breathlessness": "breathlessness",
}
NO_CHECKS = (
    "No weekly warning-sign check was recorded in this period, so no answer is known "
    "(neither yes nor no)."
)
#: Yes dates listed in full up to this many; more are counted.
LISTED_DATES = 5


@dataclass
class CheckContent:
    """Page 1's self-check lines: the intro, the yes lines, the other signs, then the measures."""

    intro: str = ""
    positives: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    measured: list[str] = field(default_factory=list)

    def texts(self) -> Iterator[str]:
        """Every line, for font coverage."""
        yield from (self.intro, *self.positives, *self.others, *self.measured)


def short_day(value: date) -> str:
    """``7 Mar``: a date inside the period line's years."""
    return f"{value.day} {value:%b}"


def answer_line(answers: SignAnswers) -> str:
    """``weakness: no on 8 of 8 checks``; ``numbness: no on 6 of 8 checks, not asked on 2``;
    ``twitching that has spread: yes on 2 of 13 checks (24 Nov, 1 Dec), no on 11``."""
    label = SIGN_LABELS.get(answers.sign, wording.word(answers.sign))
    total = answers.checks
    if answers.yes:
        shown = [short_day(d) for d in answers.yes_dates[:LISTED_DATES]]
        more = answers.yes - len(shown)
        when = ", ".join(shown) + (f" and {more} more" if more else "")
        parts = [f"yes on {answers.yes} of {wording.plural(total, 'check')} ({when})"]
        if answers.no:
            parts.append(f"no on {answers.no}")
    elif answers.no:
        parts = [f"no on {answers.no} of {wording.plural(total, 'check')}"]
    else:
        return f"{label}: not asked on any of {wording.plural(total, 'check')}"
    if answers.not_asked:
        parts.append(f"not asked on {answers.not_asked}")
    return f"{label}: {', '.join(parts)}"


def _value(number: float) -> str:
    return f"{number:g}"


def _against_baseline(measure: Measure) -> str:
    """``25 (baseline 26)``, or the count alone while there is no baseline yet."""
    if measure.baseline is None:
        return _value(measure.latest)
    return f"{_value(measure.latest)} (baseline {_value(measure.baseline)})"


def _walks(summary: StrengthSummary) -> str:
    """Which walks failed on which side and when; else that those done all passed."""
    failed = []
    for prefix, words in WALKS:
        for side in STRENGTH_SIDES:
            dates = summary.walk_failures.get(f"{prefix}_{side}")
            if dates:
                listed = ", ".join(short_day(d) for d in dates[:LISTED_DATES])
                failed.append(f"{words} failed on the {side} ({listed})")
    if failed:
        return "; ".join(failed)
    return "heel and toe walks all passed" if summary.walks_passed else ""


def strength_line(summary: StrengthSummary) -> str:
    """Latest heel raises per side against each side's baseline, the walks, chair stands, grip."""
    if not summary.checks or summary.last is None:
        return ""
    measures = summary.measures
    parts = []
    raises = [
        f"{side} {_against_baseline(measures[f'heel_raises_{side}'])}"
        for side in STRENGTH_SIDES
        if f"heel_raises_{side}" in measures
    ]
    if raises:
        parts.append("single-leg heel raises to fatigue " + ", ".join(raises))
    walks = _walks(summary)
    if walks:
        parts.append(walks)
    if "chair_stands" in measures:
        parts.append(f"30-second chair stands {_against_baseline(measures['chair_stands'])}")
    grips = [
        f"{side} {_value(measures[f'grip_{side}_kg'].latest)} kg"
        for side in STRENGTH_SIDES
        if f"grip_{side}_kg" in measures
    ]
    if grips:
        parts.append("grip " + ", ".join(grips))
    checks = wording.plural(summary.checks, "check")
    text = f"Strength ({checks}, latest {day_text(summary.last)}): " + "; ".join(parts) + "."
    if any(m.baseline is not None for m in measures.values()):
        text += f" Baseline = the median of the first {BASELINE_CHECKS} checks."
    return text


def _rate(per_minute: float) -> str:
    """A rate as the command line shows it: 12, 9.3 (one decimal at most)."""
    return f"{per_minute:.1f}".removesuffix(".0")


def counts_line(checks: CheckFrames, start: date, end: date) -> str:
    """The timed counts per place: how many, their range, median and the latest."""
    places = count_series(checks.counts, start, end)
    if not places:
        return ""
    described = []
    for place in places:
        rates, where = place.per_minute, wording.location(place.body_site, place.side)
        latest = _rate(rates[-1])
        if len(rates) == 1:
            described.append(f"{where} 1 count, {latest} per minute on {day_text(place.days[0])}")
            continue
        described.append(
            f"{where} {len(rates)} counts, {_rate(min(rates))}–{_rate(max(rates))} per minute "
            f"(median {_rate(median(rates))}), latest {latest} on {day_text(place.days[-1])}"
        )
    return "Timed twitch counts at rest: " + "; ".join(described) + "."


def check_content(
    checks: CheckFrames, start: date, end: date, onset: date | None = None
) -> CheckContent:
    """Page 1's self-check lines for [start, end]; ``onset`` is the profile's onset date."""
    summary = sign_summary(checks.signs, start, end)
    began = f"Twitching started around {day_text(onset)}. " if onset is not None else ""
    content = CheckContent()
    if not summary.checks or summary.first is None or summary.last is None:
        content.intro = began + NO_CHECKS
    else:
        since = f" from {day_text(summary.first)}" if summary.checks > 1 else ""
        content.intro = (
            f"{began}{wording.plural(summary.checks, 'weekly check')}{since}; last check "
            f"{day_text(summary.last)}. Each asks yes or no about the past week; a question not "
            "asked is never counted as no."
        )
        for answers in summary.positives_first():
            (content.positives if answers.yes else content.others).append(answer_line(answers))
    strength = strength_line(strength_summary(checks.strength, start, end))
    counts = counts_line(checks, start, end)
    content.measured = [line for line in (strength, counts) if line]
    return content
