"""Which daily factors go with more twitching — estimated with honest uncertainty, never as causes.

Five yes/no exposures per logged day (RULES.md): caffeine ≥ 400 mg that day, less than 7 h of
sleep the night before, stress ≥ 7/10, water < 1600 ml, exercise ≥ 60 min or vigorous that day or
the day before. The outcome is the day's count of F-episodes. The model,

    count_t ~ exposure_t + log(count_prev + 0.5) + trend,

is a quasi-Poisson regression: the previous logged day's count soaks up the slow waxing and waning
that would otherwise make any factor that drifts along with it look guilty, the trend absorbs a
steady rise or fall, and the quasi-likelihood scale widens the intervals when days vary more than
a Poisson count would. One-sided tests, Holm-adjusted across the factors tested. A factor is
claimed ``possible`` only when the adjusted p < 0.05 *and* the rate ratio ≥ 1.5; the ratio and
its 95% CI are reported either way. Too little data gives ``insufficient_data``, said plainly.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from diary import thresholds as T
from diary.analysis import stats
from diary.analysis.episode_index import ordinals
from diary.analysis.frames import Frames

POSSIBLE = "possible"
NO_CLEAR = "no_clear_association"
INSUFFICIENT = "insufficient_data"


@dataclass(frozen=True)
class Association:
    """One factor's estimate, in the shape of RULES.md's output contract (plus a sentence)."""

    factor: str
    exposure: str
    rate_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    p_adjusted: float | None
    claim: str
    exposed_days: int
    unexposed_days: int
    method: str = ""
    sentence: str = ""

    def as_json(self) -> dict[str, object]:
        """The contract's keys only, numbers rounded for people."""
        return {
            "factor": self.factor,
            "exposure": self.exposure,
            "rate_ratio": _round(self.rate_ratio),
            "ci_low": _round(self.ci_low),
            "ci_high": _round(self.ci_high),
            "p_adjusted": _round(self.p_adjusted, 4),
            "claim": self.claim,
            "exposed_days": self.exposed_days,
            "unexposed_days": self.unexposed_days,
        }


def _round(value: float | None, digits: int = 2) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, digits)


def _heavy_exercise(days: pd.DataFrame) -> pd.Series:
    minutes = days["exercise_min"]
    vigorous = days["exercise_intensity"] == T.EXERCISE_VIGOROUS
    known = minutes.notna() | days["exercise_intensity"].notna()
    heavy = (minutes >= T.EXERCISE_MIN_MINUTES) | vigorous
    return heavy.where(known)  # NaN where nothing about exercise was noted


def _exposed(
    column: str, compare: Callable[[pd.Series, float], pd.Series], threshold: float
) -> Callable[[pd.DataFrame], pd.Series]:
    """A reader of a factor off the day rows: ``column`` compared with ``threshold`` (NaN where
    the day's ``column`` was not given)."""
    return lambda days: compare(days[column], threshold).where(days[column].notna())


#: factor -> (the exposure in words, how to read it off the day rows: 1.0 / 0.0 / NaN unknown).
FACTORS: Mapping[str, tuple[str, Callable[[pd.DataFrame], pd.Series]]] = {
    "caffeine": (
        f"caffeine >= {T.CAFFEINE_HIGH_MG} mg that day",
        _exposed("caffeine_mg", operator.ge, T.CAFFEINE_HIGH_MG),
    ),
    "short_sleep": (
        f"less than {T.SHORT_SLEEP_H:g} h sleep the night before",
        _exposed("sleep_h", operator.lt, T.SHORT_SLEEP_H),
    ),
    "stress": (f"stress >= {T.HIGH_STRESS}/10", _exposed("stress", operator.ge, T.HIGH_STRESS)),
    "low_water": (
        f"water < {T.LOW_WATER_ML} ml",
        _exposed("water_ml", operator.lt, T.LOW_WATER_ML),
    ),
    "exercise": (
        f"exercise >= {T.EXERCISE_MIN_MINUTES} min or vigorous, that day or the day before",
        lambda d: d["_exercise_either"],
    ),
}

_SENTENCE_SUBJECT = {
    "caffeine": f"days with {T.CAFFEINE_HIGH_MG} mg of caffeine or more",
    "short_sleep": f"days after less than {T.SHORT_SLEEP_H:g} hours of sleep",
    "stress": f"days with stress of {T.HIGH_STRESS}/10 or more",
    "low_water": f"days with less than {T.LOW_WATER_ML / 1000:g} l of water",
    "exercise": f"days of (or after) {T.EXERCISE_MIN_MINUTES} minutes or more of hard exercise",
}


def daily_table(frames: Frames, as_of: date) -> pd.DataFrame:
    """One row per logged day: F-count, the previous logged day's count, the five exposures."""
    days = frames.days[frames.days["date"] <= as_of].copy()
    if days.empty:
        return pd.DataFrame(columns=["date", "count", "lagged", "trend", *FACTORS])
    counts = frames.index.f_per_day
    days["count"] = [counts.get(d, 0) for d in days["date"]]
    days["lagged"] = days["count"].shift(1)
    day = ordinals(days["date"])
    heavy = _heavy_exercise(days).astype("float64").to_numpy()  # 1, 0, NaN: not noted
    # The day before, when it was logged (its last row, were a date logged twice).
    before = np.clip(np.searchsorted(day, day - 1, side="right") - 1, 0, None)
    yesterday = np.where(day[before] == day - 1, heavy[before], np.nan)
    days["_exercise_either"] = np.where(
        np.isnan(heavy), np.nan, ((heavy == 1) | (yesterday == 1)).astype("float64")
    )
    days["trend"] = (day - day[0]) / 7
    for factor, (_, reader) in FACTORS.items():
        days[factor] = reader(days).astype("float64")
    return days[["date", "count", "lagged", "trend", *FACTORS]].reset_index(drop=True)


def _weeks(dates: pd.Series) -> dict[date, tuple[int, int]]:
    """Each date's ISO (year, week)."""
    return {d: d.isocalendar()[:2] for d in dates}


def _spans_weeks(dates: pd.Series, weeks: Mapping[date, tuple[int, int]]) -> int:
    return len({weeks[d] for d in dates})


def _sentence(
    factor: str,
    claim: str,
    ratio: float | None,
    low: float | None,
    high: float | None,
    exposed: int,
) -> str:
    subject = _SENTENCE_SUBJECT[factor]
    interval = f" (95% CI {low:.1f}–{high:.1f})" if low is not None and high is not None else ""
    if claim == INSUFFICIENT:
        return (
            f"Not enough data yet for {subject}: it needs {T.ASSOC_MIN_LOGGED_DAYS} logged days, "
            f"{T.ASSOC_MIN_EPISODES} twitches and at least {T.ASSOC_MIN_DAYS_EACH} days with and "
            f"{T.ASSOC_MIN_DAYS_EACH} without, over {T.ASSOC_MIN_WEEKS} weeks "
            f"({exposed} with so far)."
        )
    assert ratio is not None
    if claim == POSSIBLE:
        return (
            f"On {subject} you logged about {ratio:.1f}× as many twitches{interval}. This is an "
            "association, not proof of a cause: to check it, try two weeks alternating a week "
            "with and a week without."
        )
    return f"No clear difference on {subject}: {ratio:.1f}×{interval}."


def associations(frames: Frames, as_of: date) -> list[Association]:
    """The five factors, in a fixed order, each with its estimate or "not enough data"."""
    table = daily_table(frames, as_of)
    enough_overall = (
        len(table) >= T.ASSOC_MIN_LOGGED_DAYS and int(table["count"].sum()) >= T.ASSOC_MIN_EPISODES
    )
    rows = table.dropna(subset=["lagged"])
    weeks = _weeks(rows["date"])
    estimates: dict[str, stats.Effect] = {}
    counted: dict[str, tuple[int, int]] = {}
    for factor in FACTORS:
        known = rows.dropna(subset=[factor])
        exposed = known[known[factor] == 1.0]
        unexposed = known[known[factor] == 0.0]
        counted[factor] = (len(exposed), len(unexposed))
        if not (
            enough_overall
            and len(exposed) >= T.ASSOC_MIN_DAYS_EACH
            and len(unexposed) >= T.ASSOC_MIN_DAYS_EACH
            and _spans_weeks(exposed["date"], weeks) >= T.ASSOC_MIN_WEEKS
            and _spans_weeks(unexposed["date"], weeks) >= T.ASSOC_MIN_WEEKS
        ):
            continue
        effect = stats.quasi_poisson_effect(
            known["count"].to_numpy(),
            (known[factor] == 1.0).to_numpy(),
            known["lagged"].to_numpy(),
            known["trend"].to_numpy(),
        ) or stats.fisher_effect(known["count"].to_numpy(), (known[factor] == 1.0).to_numpy())
        estimates[factor] = effect
    adjusted = dict(
        zip(estimates, stats.holm([e.p_one_sided for e in estimates.values()]), strict=True)
    )
    results = []
    for factor, (label, _) in FACTORS.items():
        exposed_n, unexposed_n = counted[factor]
        estimate = estimates.get(factor)
        if estimate is None:
            claim, ratio, low, high, p = INSUFFICIENT, None, None, None, None
            method = ""
        else:
            p = adjusted[factor]
            ratio, low, high, method = (
                estimate.rate_ratio,
                estimate.ci_low,
                estimate.ci_high,
                estimate.method,
            )
            possible = p < T.ASSOC_P and ratio >= T.ASSOC_MIN_RATIO
            claim = POSSIBLE if possible else NO_CLEAR
        results.append(
            Association(
                factor,
                label,
                ratio,
                low,
                high,
                p,
                claim,
                exposed_n,
                unexposed_n,
                method,
                _sentence(factor, claim, ratio, low, high, exposed_n),
            )
        )
    return results
