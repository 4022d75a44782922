"""The rules that need statistics: more frequent, stronger, or more episodes after a new medicine.

Each function reads ``Frames`` (already cut at ``as_of``) and returns a ``Finding`` (title,
evidence, the dates it spans) or None; ``diary.analysis.flags.persistence`` turns a finding into a
``Flag`` with the rule's guidance. Counting conventions (RULES.md): episodes belong to their diary
day; rates are per *logged* day, and only episodes on logged days are counted against them, so a
missing day never looks like a quiet one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from diary import thresholds as T
from diary import vocab
from diary.analysis import stats
from diary.analysis.frames import Frames


@dataclass(frozen=True)
class Finding:
    """What a statistical rule saw: a one-line title, the numbers, and the dates involved.

    ``evidence`` is for the person (counts, ratios and intervals; no p-values); ``statistics``
    names the tests with their p-values for the doctor, and ``p_value`` is the deciding test's p.
    """

    title: str
    evidence: str
    first_date: date
    last_date: date
    statistics: str = ""
    p_value: float | None = None


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _f_counts(frames: Frames, days: Iterable[date]) -> pd.Series:
    """F-episodes per diary day, for exactly ``days`` (0 where none)."""
    counts = frames.index.f_per_day
    wanted = list(days)
    return pd.Series([counts.get(d, 0) for d in wanted], index=wanted, dtype="int64")


def _logged_in(frames: Frames, start: date, end: date) -> list[date]:
    first = frames.first_day
    if first is None:
        return []
    logged = frames.logged_dates
    return [d for d in _days(max(start, first), end) if d in logged]


def _ratio(count: int, exposure: int, base_count: int, base_exposure: int) -> float:
    if exposure == 0 or base_exposure == 0:
        return math.nan
    if base_count == 0:
        return math.inf if count > 0 else math.nan
    return (count / exposure) / (base_count / base_exposure)


def p_text(p: float) -> str:
    """A p-value as people read it: ``p < 0.001`` rather than ``p = 0.000``."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _times(ratio: float) -> str:
    return "up from none" if math.isinf(ratio) else f"{ratio:.1f}×"


# --- frequency_rising -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _FrequencyLook:
    rising: bool
    summary: str
    statistics: str = ""
    p_value: float | None = None


def frequency_test(logged_days: int, f_episodes: int) -> str | None:
    """Which test ``frequency_rising`` runs on a 42-day window, or None for no test at all.

    - ``"trend"`` (Poisson regression with HAC errors + Hamed–Rao Mann–Kendall) when the window
      has ≥ 30 logged days and ≥ 20 F-episodes;
    - otherwise ``"fallback"`` (last 14 vs prior 14 days, exact conditional Poisson test) only
      when it has 24–41 logged days: the fallback stands in for the trend on a window with gaps;
    - otherwise None: a fully logged window (42 of 42 days) with fewer than 20 twitches, or fewer
      than 24 logged days, is no evidence of a rise (a short burst is not a trend).
    """
    if logged_days >= T.FREQUENCY_MIN_LOGGED_DAYS and f_episodes >= T.FREQUENCY_MIN_EPISODES:
        return "trend"
    if T.FREQUENCY_FALLBACK_MIN_LOGGED_DAYS <= logged_days < T.FREQUENCY_WINDOW_DAYS:
        return "fallback"
    return None


def _frequency_look(frames: Frames, end: date) -> _FrequencyLook | None:
    """The frequency test on the 42 days ending ``end``; None when no test applies
    (``frequency_test`` says which)."""
    start = end - timedelta(days=T.FREQUENCY_WINDOW_DAYS - 1)
    logged = _logged_in(frames, start, end)
    counts = _f_counts(frames, logged)
    test = frequency_test(len(logged), int(counts.sum()))
    if test == "trend":
        index = np.array([(d - start).days for d in logged], dtype=float)
        trend = stats.mann_kendall_hamed_rao(counts.to_numpy())
        sen = stats.sen_slope(counts.to_numpy(), index)
        if not (trend.p < T.TREND_P and sen > 0):
            return _FrequencyLook(False, "")  # no rise: the regression cannot change the answer
        fit = stats.poisson_trend(counts.to_numpy(), index, T.FREQUENCY_HAC_LAGS)
        if fit is None:
            return _FrequencyLook(False, "")
        weekly = math.exp(7 * fit.beta)
        lower = math.exp(7 * (fit.beta - stats.Z_ONE_SIDED_95 * fit.se))
        upper = math.exp(7 * (fit.beta + stats.Z_TWO_SIDED_95 * fit.se))
        low95 = math.exp(7 * (fit.beta - stats.Z_TWO_SIDED_95 * fit.se))
        rising = (
            weekly >= T.FREQUENCY_MIN_WEEKLY_RATIO
            and lower > T.FREQUENCY_MIN_LOWER_BOUND
            and trend.p < T.TREND_P
            and sen > 0
        )
        first_half = counts.iloc[: len(counts) // 2].mean()
        second_half = counts.iloc[len(counts) // 2 :].mean()
        summary = (
            f"about {weekly:.2f}× more per week (95% CI {low95:.2f}–{upper:.2f}); "
            f"{first_half:.1f} a day early in the {T.FREQUENCY_WINDOW_DAYS} days to {end}, "
            f"{second_half:.1f} a day lately; {len(logged)} logged days, "
            f"{int(counts.sum())} twitches"
        )
        statistics = (
            f"Poisson regression of daily twitch counts on {len(logged)} logged days, "
            f"Newey–West (HAC, {T.FREQUENCY_HAC_LAGS} lags) errors: weekly rate ratio "
            f"{weekly:.2f} (95% CI {low95:.2f}–{upper:.2f}; one-sided 95% lower bound "
            f"{lower:.2f}). Mann–Kendall trend test, Hamed–Rao correction: {p_text(trend.p)} "
            f"(two-sided); Sen slope {sen:.3f} twitches a day per day."
        )
        return _FrequencyLook(rising, summary, statistics, trend.p)
    if test == "fallback":
        recent = [d for d in logged if d > end - timedelta(days=T.FREQUENCY_FALLBACK_DAYS)]
        prior = [
            d
            for d in logged
            if end - timedelta(days=2 * T.FREQUENCY_FALLBACK_DAYS)
            < d
            <= end - timedelta(days=T.FREQUENCY_FALLBACK_DAYS)
        ]
        x1, x0 = int(_f_counts(frames, recent).sum()), int(_f_counts(frames, prior).sum())
        ratio = _ratio(x1, len(recent), x0, len(prior))
        if math.isnan(ratio):
            return _FrequencyLook(False, "")
        p = stats.poisson_rate_test(x1, len(recent), x0, len(prior))
        rising = ratio >= T.FREQUENCY_FALLBACK_MIN_RATIO and p < T.FREQUENCY_FALLBACK_P
        summary = (
            f"{x1} twitches on {len(recent)} logged days in the last {T.FREQUENCY_FALLBACK_DAYS} "
            f"days to {end} against {x0} on {len(prior)} logged days in the "
            f"{T.FREQUENCY_FALLBACK_DAYS} before: {_times(ratio)} per logged day"
        )
        statistics = (
            f"Exact conditional Poisson rate test, last {T.FREQUENCY_FALLBACK_DAYS} days against "
            f"the {T.FREQUENCY_FALLBACK_DAYS} before ({len(logged)} of "
            f"{T.FREQUENCY_WINDOW_DAYS} days logged): rate ratio {_times(ratio)}, one-sided "
            f"{p_text(p)}."
        )
        return _FrequencyLook(rising, summary, statistics, p)
    return None


def frequency_rising(frames: Frames, as_of: date) -> Finding | None:
    """Twitches more frequent, seen both now and a week ago (so one bad week is not a trend)."""
    now = _frequency_look(frames, as_of)
    before = _frequency_look(frames, as_of - timedelta(days=7))
    if now is None or before is None or not (now.rising and before.rising):
        return None
    start = as_of - timedelta(days=T.FREQUENCY_WINDOW_DAYS - 1)
    summary = now.summary[0].upper() + now.summary[1:]
    return Finding(
        "Twitches became more frequent",
        summary + ".",
        start,
        as_of,
        statistics=now.statistics,
        p_value=now.p_value,
    )


# --- intensity_rising -----------------------------------------------------------------------------


def intensity_rising(frames: Frames, as_of: date) -> Finding | None:
    """Stronger twitches: a rising daily median over 42 days, ending at least 2 points higher."""
    start = as_of - timedelta(days=T.FREQUENCY_WINDOW_DAYS - 1)
    ix = frames.index
    # An intensity not given is missing, never 0.
    f = frames.episodes[ix.f & ix.within(start, None) & ~np.isnan(ix.intensity)]
    if f.empty:
        return None
    daily = f.groupby("diary_day")["intensity"].median().sort_index()
    if len(daily) < T.INTENSITY_MIN_EPISODE_DAYS:
        return None
    index = np.array([(d - start).days for d in daily.index], dtype=float)
    trend = stats.mann_kendall_hamed_rao(daily.to_numpy())
    slope = stats.sen_slope(daily.to_numpy(), index)
    split = as_of - timedelta(days=T.INTENSITY_RECENT_DAYS)
    recent = f[f["diary_day"] > split]["intensity"]
    earlier = f[f["diary_day"] <= split]["intensity"]
    if recent.empty or earlier.empty:
        return None
    recent_median, earlier_median = float(recent.median()), float(earlier.median())
    if not (
        trend.p < T.TREND_P
        and slope >= T.INTENSITY_MIN_SLOPE_PER_DAY
        and recent_median >= earlier_median + T.INTENSITY_MIN_RISE
    ):
        return None
    evidence = (
        f"Median intensity {earlier_median:g} before {split + timedelta(days=1)} and "
        f"{recent_median:g} in the last {T.INTENSITY_RECENT_DAYS} days; rising about "
        f"{slope * 7:.1f} points a week over {len(daily)} days with twitches."
    )
    statistics = (
        f"Mann–Kendall trend test on the daily median intensity ({len(daily)} days), Hamed–Rao "
        f"correction: {p_text(trend.p)} (two-sided); Sen slope {slope:.3f} points a day."
    )
    return Finding(
        "Twitches became stronger",
        evidence,
        min(daily.index),
        max(daily.index),
        statistics=statistics,
        p_value=trend.p,
    )


# --- medication_onset -----------------------------------------------------------------------------

#: Drug classes the guidance names as possible causes of cramps or twitching.
NAMED_DRUG_CLASSES = frozenset(vocab.DRUG_CLASSES) - {"supplement", "other"}


@dataclass(frozen=True)
class MedicationFinding(Finding):
    """A medication_onset finding, with the course it concerns."""

    name: str = ""
    drug_class: str = "other"


def medication_onset(frames: Frames, as_of: date) -> MedicationFinding | None:
    """More episodes per logged day in the 28 days after a start than in the 28 days before."""
    found: list[MedicationFinding] = []
    per_day = frames.index.per_day()  # all kinds, per diary day
    for course in frames.medications.itertuples():
        start: date = course.started_on
        if start > as_of:
            continue
        before = _logged_in(
            frames, start - timedelta(days=T.MEDICATION_WINDOW_DAYS), start - timedelta(days=1)
        )
        if len(before) < T.MEDICATION_MIN_BASELINE_DAYS:
            continue
        after = _logged_in(
            frames, start, min(as_of, start + timedelta(days=T.MEDICATION_WINDOW_DAYS - 1))
        )
        with_episodes = [d for d in after if per_day.get(d, 0)]
        x1 = sum(per_day.get(d, 0) for d in after)
        x0 = sum(per_day.get(d, 0) for d in before)
        if x1 < T.MEDICATION_MIN_EPISODES or len(with_episodes) < T.MEDICATION_MIN_EPISODE_DAYS:
            continue
        ratio = _ratio(x1, len(after), x0, len(before))
        p = stats.poisson_rate_test(x1, len(after), x0, len(before))
        if math.isnan(ratio) or ratio < T.MEDICATION_MIN_RATIO or p >= T.MEDICATION_P:
            continue
        named = course.drug_class in NAMED_DRUG_CLASSES
        label = f"{course.name} (a {course.drug_class.replace('_', ' ')})" if named else course.name
        evidence = (
            f"{_count(x0, 'episode')} on {len(before)} logged days in the "
            f"{T.MEDICATION_WINDOW_DAYS} days before {label} started on {start}; "
            f"{x1} on {len(after)} logged days since: {_times(ratio)} per logged day."
        )
        statistics = (
            f"Exact conditional Poisson rate test, episodes per logged day in the "
            f"{T.MEDICATION_WINDOW_DAYS} days from {start} against the {T.MEDICATION_WINDOW_DAYS} "
            f"days before: rate ratio {_times(ratio)}, one-sided {p_text(p)}."
        )
        found.append(
            MedicationFinding(
                f"More episodes since starting {course.name}",
                evidence,
                start,
                max(with_episodes),
                statistics=statistics,
                p_value=p,
                name=course.name,
                drug_class=course.drug_class,
            )
        )
    return min(found, key=lambda f: f.p_value if f.p_value is not None else 1.0) if found else None
