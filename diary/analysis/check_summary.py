"""The self-checks of a period summed up as plain data: what each weekly question was answered,
each side's heel raises against its own baseline, the walks, the chair stands and the counts.

Pure functions of the frames ``check_frames`` builds (already cut at ``as_of``), shared by every
front end that lists the checks (the report's page 1, a JSON summary). Three answers are kept
apart throughout: yes, no and not asked. A question left unanswered is counted as "not asked" and
never added to the noes, so a summary can never turn silence into reassurance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import median

import pandas as pd

from diary import thresholds as T
from diary.vocab import SIGNS

#: A side's baseline is the median of its first this many checks with a count (as the
#: ``strength_change`` rule has it); fewer than that and there is no baseline yet.
BASELINE_CHECKS = T.STRENGTH_BASELINE_CHECKS
#: The sides a strength measure is taken on, in the order the report names them.
STRENGTH_SIDES = ("left", "right")
#: The walks, as (frame column prefix, words).
WALKS = (("heel_walk", "heel walk"), ("toe_walk", "toe walk"))


@dataclass(frozen=True)
class SignAnswers:
    """One sign's answers over the period's checks."""

    sign: str
    yes_dates: tuple[date, ...]
    no: int
    not_asked: int

    @property
    def yes(self) -> int:
        """Checks answered yes."""
        return len(self.yes_dates)

    @property
    def checks(self) -> int:
        """Every check of the period, whatever it answered for this sign."""
        return self.yes + self.no + self.not_asked

    def as_json(self) -> dict[str, object]:
        """The counts and the yes dates (ISO), for a machine-readable summary."""
        return {
            "sign": self.sign,
            "yes": self.yes,
            "no": self.no,
            "not_asked": self.not_asked,
            "yes_dates": [d.isoformat() for d in self.yes_dates],
        }


@dataclass(frozen=True)
class SignSummary:
    """The weekly sign checks of a period: how many, when, and each sign's answers (``SIGNS``
    order)."""

    checks: int
    first: date | None
    last: date | None
    answers: tuple[SignAnswers, ...]

    def positives_first(self) -> list[SignAnswers]:
        """The signs answered yes at least once (most yeses first), then the rest in ``SIGNS``
        order (stable: equal counts keep the vocabulary's order)."""
        return sorted(self.answers, key=lambda a: -a.yes)


def _in_period(frame: pd.DataFrame, start: date | None, end: date | None) -> pd.DataFrame:
    """The rows whose ``date`` (datetime64 day) lies in [start, end] (open ends allowed)."""
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= frame["date"] >= pd.Timestamp(start)
    if end is not None:
        keep &= frame["date"] <= pd.Timestamp(end)
    return frame.loc[keep.to_numpy(dtype=bool)]


def _day(value: object) -> date:
    return pd.Timestamp(value).date()


def sign_summary(
    signs: pd.DataFrame, start: date | None = None, end: date | None = None
) -> SignSummary:
    """Each sign's yes dates, noes and not-asked over the sign checks in [start, end]."""
    period = _in_period(signs, start, end)
    dates = [_day(d) for d in period["date"]]
    answers = []
    for sign in SIGNS:
        column = period[sign]
        asked = column.notna().to_numpy(dtype=bool)
        said_yes = column.fillna(False).to_numpy(dtype=bool) & asked
        answers.append(
            SignAnswers(
                sign=sign,
                yes_dates=tuple(d for d, y in zip(dates, said_yes, strict=True) if y),
                no=int(asked.sum() - said_yes.sum()),
                not_asked=int((~asked).sum()),
            )
        )
    return SignSummary(
        checks=len(period),
        first=min(dates) if dates else None,
        last=max(dates) if dates else None,
        answers=tuple(answers),
    )


def series(strength: pd.DataFrame, column: str) -> list[tuple[date, float]]:
    """One strength measure over time: (date, value) for every check that has it, oldest first."""
    given = strength[strength[column].notna()]
    return [(_day(d), float(v)) for d, v in zip(given["date"], given[column], strict=True)]


def baseline(values: list[tuple[date, float]]) -> float | None:
    """The median of the first ``BASELINE_CHECKS`` values; None while there are fewer."""
    if len(values) < BASELINE_CHECKS:
        return None
    return float(median(v for _, v in values[:BASELINE_CHECKS]))


@dataclass(frozen=True)
class Measure:
    """A strength measure in a period: its latest value and date, how many checks had it in the
    period, and its baseline (from the diary's first checks, which may precede the period)."""

    latest: float
    on: date
    checks: int
    baseline: float | None


@dataclass(frozen=True)
class StrengthSummary:
    """The strength checks of a period.

    ``measures`` maps a frame column (``heel_raises_left``, ``chair_stands``, …) to its
    ``Measure``, for the measures given in the period; ``walk_failures`` maps a walk column
    (``heel_walk_left``, …) to the dates it failed in the period, ``walks_passed`` counts the
    walks done and passed.
    """

    checks: int
    last: date | None
    measures: dict[str, Measure]
    walk_failures: dict[str, tuple[date, ...]]
    walks_passed: int


def strength_summary(
    strength: pd.DataFrame, start: date | None = None, end: date | None = None
) -> StrengthSummary:
    """The strength checks in [start, end]; baselines from every check (cut at ``as_of``)."""
    period = _in_period(strength, start, end)
    measures: dict[str, Measure] = {}
    numbers = ("heel_raises_left", "heel_raises_right", "chair_stands")
    for column in (*numbers, "grip_left_kg", "grip_right_kg"):
        inside = series(period, column)
        if inside:
            on, latest = inside[-1]
            measures[column] = Measure(
                latest=latest,
                on=on,
                checks=len(inside),
                baseline=baseline(series(strength, column)) if column in numbers else None,
            )
    failures: dict[str, tuple[date, ...]] = {}
    passed = 0
    for prefix, _ in WALKS:
        for side in STRENGTH_SIDES:
            column = period[f"{prefix}_{side}"]
            done = column.notna().to_numpy(dtype=bool)
            ok = column.fillna(False).to_numpy(dtype=bool) & done
            passed += int(ok.sum())
            failed = [_day(d) for d, f in zip(period["date"], done & ~ok, strict=True) if f]
            if failed:
                failures[f"{prefix}_{side}"] = tuple(failed)
    return StrengthSummary(
        checks=len(period),
        last=_day(period["date"].max()) if len(period) else None,
        measures=measures,
        walk_failures=failures,
        walks_passed=passed,
    )


@dataclass(frozen=True)
class CountSeries:
    """The timed counts of one place (site and side) in a period, oldest first."""

    body_site: str
    side: str | None
    days: tuple[date, ...]
    per_minute: tuple[float, ...]


def count_series(counts: pd.DataFrame, start: date, end: date) -> list[CountSeries]:
    """The counts whose diary day is in [start, end], one series per site and side (the place
    counted most often first)."""
    if counts.empty:
        return []
    inside = counts[[start <= d <= end for d in counts["diary_day"]]]
    places: dict[tuple[str, str | None], list[tuple[date, float]]] = {}
    for site, side, day, rate in zip(
        inside["body_site"], inside["side"], inside["diary_day"], inside["per_minute"], strict=True
    ):
        key = (str(site), side if isinstance(side, str) and side else None)
        places.setdefault(key, []).append((day, float(rate)))
    ordered = sorted(places.items(), key=lambda item: -len(item[1]))
    return [
        CountSeries(site, side, tuple(d for d, _ in rows), tuple(r for _, r in rows))
        for (site, side), rows in ordered
    ]
