"""The strength rules: a side weaker than its own baseline, sides that drift apart, a walk that
fails where it passed; and the grounded reassurance that checks held steady.

Each side is compared with itself (the median of its first ``STRENGTH_BASELINE_CHECKS`` heel-raise
counts), never with a population norm: the published norms (Lunsford & Perry 1995; Hébert-Losier
et al. 2017) spread too widely by age and sex to tell one person's change. A change must show on
two checks a week apart, so one tired evening is not a flag. A test not done is skipped, never a
failure or 0.
"""

from __future__ import annotations

from datetime import date, timedelta
from statistics import median

import pandas as pd

from diary import thresholds as T
from diary import wording as W
from diary.analysis.check_summary import STRENGTH_SIDES, WALKS, baseline, series
from diary.analysis.flags.context import Context
from diary.analysis.flags.model import Flag, make_flag


def _apart(days: list[date], confirmed: bool = True) -> list[date]:
    """The days when at least ``STRENGTH_MIN_CHECKS`` of them span ``STRENGTH_MIN_DAYS_APART``
    days or more; else empty (a change seen once, or twice in one week, is not yet a change).
    Not ``confirmed``: every day, as a hint of a change is enough to withhold "steady"."""
    if not confirmed:
        return days
    if len(days) < T.STRENGTH_MIN_CHECKS or (days[-1] - days[0]).days < T.STRENGTH_MIN_DAYS_APART:
        return []
    return days


def _count(value: float) -> str:
    return f"{value:g}"


def _side_drops(strength: pd.DataFrame, confirmed: bool = True) -> tuple[list[str], list[date]]:
    """Each side whose heel raises fell ≥ ``STRENGTH_MIN_DROP`` below its own baseline on enough
    checks after it: (evidence parts, their dates)."""
    parts: list[str] = []
    dates: list[date] = []
    for side in STRENGTH_SIDES:
        values = series(strength, f"heel_raises_{side}")
        base = baseline(values)
        if base is None:
            continue
        limit = base * (1 - T.STRENGTH_MIN_DROP)
        low = [(d, v) for d, v in values[T.STRENGTH_BASELINE_CHECKS :] if v <= limit]
        days = _apart([d for d, _ in low], confirmed)
        if base > 0 and days:
            shown = ", ".join(f"{_count(v)} on {d}" for d, v in low[-3:])
            parts.append(
                f"{side} heel raises {shown} against a baseline of {_count(base)} "
                f"(≥ {T.STRENGTH_MIN_DROP:.0%} lower on {len(low)} checks)"
            )
            dates += days
    return parts, dates


def _gap(left: float, right: float) -> float:
    """How far apart the sides are, as a share of the stronger side (0 when both are 0)."""
    stronger = max(left, right)
    return abs(left - right) / stronger if stronger > 0 else 0.0


def _sides_apart(strength: pd.DataFrame, confirmed: bool = True) -> tuple[list[str], list[date]]:
    """Sides ≥ ``STRENGTH_MIN_SIDE_GAP`` apart on enough checks after a baseline where they were
    not: (evidence parts, their dates)."""
    both = strength[strength["heel_raises_left"].notna() & strength["heel_raises_right"].notna()]
    rows = [
        (pd.Timestamp(d).date(), float(left), float(right))
        for d, left, right in zip(
            both["date"], both["heel_raises_left"], both["heel_raises_right"], strict=True
        )
    ]
    if len(rows) < T.STRENGTH_BASELINE_CHECKS:
        return [], []
    base_rows = rows[: T.STRENGTH_BASELINE_CHECKS]
    base_left = float(median(r[1] for r in base_rows))
    base_right = float(median(r[2] for r in base_rows))
    if _gap(base_left, base_right) >= T.STRENGTH_MIN_SIDE_GAP:
        return [], []  # apart from the start: not a change (the drops rule still watches each)
    wide = [
        r for r in rows[T.STRENGTH_BASELINE_CHECKS :] if _gap(r[1], r[2]) >= T.STRENGTH_MIN_SIDE_GAP
    ]
    days = _apart([r[0] for r in wide], confirmed)
    if not days:
        return [], []
    shown = ", ".join(f"{_count(lt)} vs {_count(rt)} on {d}" for d, lt, rt in wide[-3:])
    return [
        f"left vs right heel raises {shown} (≥ {T.STRENGTH_MIN_SIDE_GAP:.0%} apart on "
        f"{len(wide)} checks; at baseline {_count(base_left)} vs {_count(base_right)})"
    ], days


def _walks_failed(strength: pd.DataFrame) -> tuple[list[str], list[date]]:
    """Heel or toe walks that failed on a side after passing on it: (evidence parts, dates)."""
    parts: list[str] = []
    dates: list[date] = []
    for prefix, words in WALKS:
        for side in STRENGTH_SIDES:
            column = strength[f"{prefix}_{side}"]
            done = column.notna().to_numpy(dtype=bool)
            days = [pd.Timestamp(d).date() for d in strength["date"][done]]
            passed = column[done].to_numpy(dtype=bool)
            first_pass = next((d for d, ok in zip(days, passed, strict=True) if ok), None)
            failed = [
                d
                for d, ok in zip(days, passed, strict=True)
                if not ok and first_pass and d > first_pass
            ]
            if failed:
                parts.append(
                    f"{words} on the {side} failed on {failed[-1]}"
                    + (f" ({len(failed)} times)" if len(failed) > 1 else "")
                    + f" after passing on {first_pass}"
                )
                dates += failed
    return parts, dates


def _changes(strength: pd.DataFrame, confirmed: bool) -> tuple[list[str], list[date]]:
    """Every change the checks show (evidence parts, dates); not ``confirmed``: seen even once."""
    parts: list[str] = []
    dates: list[date] = []
    for found_parts, found_dates in (
        _side_drops(strength, confirmed),
        _sides_apart(strength, confirmed),
        _walks_failed(strength),
    ):
        parts += found_parts
        dates += found_dates
    return parts, dates


def strength_change(ctx: Context) -> Flag | None:
    """A side ≥ 25% below its own baseline, the sides ≥ 25% apart when they were not, on two
    checks ≥ 7 days apart; or a heel or toe walk failed on a side that passed it before."""
    parts, dates = _changes(ctx.frames.checks.strength, confirmed=True)
    if not parts:
        return None
    return make_flag(
        "strength_change",
        "soon",
        "Strength fell on your own checks",
        "; ".join(parts),
        dates,
    )


def strength_steady(ctx: Context) -> Flag | None:
    """Reassurance: ≥ 4 heel-raise checks over ≥ 21 days, the latest within 28 days, and not
    even one check showing what ``strength_change`` looks for (a single low check is not yet a
    change, but "steady" would not be true either)."""
    strength = ctx.frames.checks.strength
    counted = strength[strength["heel_raises_left"].notna() | strength["heel_raises_right"].notna()]
    days = sorted(pd.Timestamp(d).date() for d in counted["date"])
    if (
        len(days) < T.STEADY_MIN_CHECKS
        or (days[-1] - days[0]).days < T.STEADY_MIN_SPAN_DAYS
        or ctx.as_of - days[-1] > timedelta(days=T.STEADY_MAX_DAYS_SINCE_LAST)
        or _changes(strength, confirmed=False)[0]
    ):
        return None
    ranges = []
    for side in STRENGTH_SIDES:
        values = [v for _, v in series(counted, f"heel_raises_{side}")]
        if values:
            ranges.append(f"{side} {_count(min(values))}–{_count(max(values))}")
    walks = strength[[f"{p}_{s}" for p, _ in WALKS for s in STRENGTH_SIDES]]
    done = walks.notna().to_numpy()
    passed = int((walks.fillna(False).to_numpy(dtype=bool) & done).sum())
    walk_note = ""
    if done.any():
        walk_note = (
            f"; all {passed} heel and toe walks passed"
            if passed == done.sum()
            else f"; heel and toe walks passed {passed} of {int(done.sum())} times, none failing "
            "after a pass"
        )
    return make_flag(
        "strength_steady",
        "info",
        "Strength steady on your own checks",
        f"{W.plural(len(days), 'strength check')} from {days[0]} to {days[-1]}: heel raises "
        f"{', '.join(ranges)}, none {T.STRENGTH_MIN_DROP:.0%} or more below its side's "
        f"baseline{walk_note}",
        days,
    )
