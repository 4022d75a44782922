"""How twitching goes on over time: for weeks, for half an hour at a time, more often, stronger,
more after a new medicine; and the reassuring opposite, a short burst after exercise, now over.

The statistical rules (``frequency_rising``, ``intensity_rising``, ``medication_onset``) compute
their findings in ``diary.analysis.trends``; here they get their severity and guidance.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pandas as pd

from diary import thresholds as T
from diary import wording as W
from diary.analysis import count_trend, trends
from diary.analysis.episode_index import EpisodeIndex, distinct_days
from diary.analysis.flags.context import Context, exercise_dates, longest, runs
from diary.analysis.flags.model import Flag, make_flag
from diary.guidance import GUIDANCE


def persistence(ctx: Context) -> Flag | None:
    """The latest run of F-episode days spans ≥ 14 days with ≥ 6 distinct days, recent."""
    ix = ctx.index
    found = runs(distinct_days(ix.day[ix.f]))
    if not found:
        return None
    run = found[-1]
    span = (run[-1] - run[0]).days + 1
    if (
        span < T.PERSISTENCE_MIN_SPAN_DAYS
        or len(run) < T.PERSISTENCE_MIN_DISTINCT_DAYS
        or (ctx.as_of - run[-1]).days > T.PERSISTENCE_MAX_DAYS_SINCE_LAST
    ):
        return None
    where = _places(ix, ix.f & ix.within(run[0], run[-1]))
    places = ", ".join(W.location(site, side) for site, side in where.index[:3])
    longest_gap = max(((b - a).days for a, b in zip(run, run[1:], strict=False)), default=0)
    weeks = span // 7
    over = W.plural(weeks, "week") if weeks >= 2 else W.plural(span, "day")
    return make_flag(
        "persistence",
        "soon",
        f"Twitching on {len(run)} days over {over}",
        f"mostly {places}; first {run[0]}, last {run[-1]}, "
        f"longest gap {W.plural(longest_gap, 'day')}",
        run,
    )


def _places(ix: EpisodeIndex, rows: np.ndarray) -> pd.Series:
    """Episodes per (site, side) among ``rows``, most first: what
    ``groupby(["body_site", "side"], dropna=False).size().sort_values(ascending=False)`` gives,
    counted on the codes (the groups in the same order, a missing side last, so that
    ``sort_values`` breaks ties in the same way).
    """
    sides = len(ix.side.values) + 1  # side code + 1: 0 for a missing side
    pairs, counts = np.unique(
        ix.site.codes[rows] * sides + ix.side.codes[rows] + 1, return_counts=True
    )
    keys = [
        (ix.site.values[pair // sides], ix.side.values[pair % sides - 1] if pair % sides else None)
        for pair in pairs
    ]
    order = sorted(range(len(keys)), key=lambda i: (keys[i][0], keys[i][1] is None, keys[i][1]))
    grouped = pd.Series(
        counts[order], index=pd.Index([keys[i] for i in order], tupleize_cols=False)
    )
    return grouped.sort_values(ascending=False)


def continuous_twitching(ctx: Context) -> Flag | None:
    """An F-episode lasting 30 minutes or more."""
    long = ctx.episodes[ctx.index.f & (ctx.index.duration >= T.CONTINUOUS_TWITCH_MIN_S)]
    if long.empty:
        return None
    return make_flag(
        "continuous_twitching",
        "soon",
        "Twitching went on for 30 minutes or more",
        f"{W.plural(len(long), 'episode')} of 30 min or more; {longest(long)}",
        long["diary_day"],
    )


def _from_finding(rule: str, severity: str, finding: trends.Finding | None) -> Flag | None:
    """A statistical finding as a flag, with its tests kept for the doctor."""
    if finding is None:
        return None
    guidance, source = GUIDANCE[rule]
    return Flag(
        rule=rule,
        severity=severity,
        title=finding.title,
        evidence=finding.evidence,
        guidance=guidance,
        source=source,
        first_date=finding.first_date,
        last_date=finding.last_date,
        statistics=finding.statistics,
        p_value=finding.p_value,
    )


def frequency_rising(ctx: Context) -> Flag | None:
    """Twitches more frequent: in the episodes logged, or in the timed counts, or both.

    The episodes, seen at ``as_of`` and at ``as_of`` − 7 days: on each 42-day window, with ≥ 30
    logged days and ≥ 20 F-episodes, the Poisson trend (HAC errors) and the Hamed–Rao
    Mann–Kendall test decide; otherwise, only with 24–41 logged days, the last 14 vs prior 14 days
    (exact Poisson test, ratio ≥ 2, p < 0.01); otherwise no test (``trends.frequency_test``).
    The timed counts are the second series (``count_trend.counts_rising``). ``evaluate`` raises
    the flag to ``soon`` alongside ``RAISES_TRENDS``.
    """
    flag = _from_finding(
        "frequency_rising", "discuss", trends.frequency_rising(ctx.frames, ctx.as_of)
    )
    counted = count_trend.counts_rising(ctx.frames.checks.counts, ctx.as_of)
    if counted is None:
        return flag
    if flag is None:
        return _from_finding("frequency_rising", "discuss", counted)
    first, last = flag.first_date or counted.first_date, flag.last_date or counted.last_date
    return replace(
        flag,
        evidence=f"{flag.evidence} Also {counted.evidence[0].lower()}{counted.evidence[1:]}",
        statistics=f"{flag.statistics} {counted.statistics}",
        first_date=min(first, counted.first_date),
        last_date=max(last, counted.last_date),
    )


def intensity_rising(ctx: Context) -> Flag | None:
    """Twitches stronger (Hamed–Rao Mann–Kendall on daily medians, Sen slope, a 2-point rise)."""
    return _from_finding(
        "intensity_rising", "discuss", trends.intensity_rising(ctx.frames, ctx.as_of)
    )


def medication_onset(ctx: Context) -> Flag | None:
    """More episodes after a medicine started (exact conditional Poisson test)."""
    finding = trends.medication_onset(ctx.frames, ctx.as_of)
    flag = _from_finding("medication_onset", "soon", finding)
    if flag is None or finding is None:
        return None
    if finding.drug_class in trends.NAMED_DRUG_CLASSES:
        kind = finding.drug_class.replace("_", " ")
        named = f"Guidance: some medicines, {kind}s among them, can cause cramps or twitching; "
    else:
        named = "Guidance: a new medicine can sometimes cause cramps or twitching; "
    guidance = (
        named + "discuss it with the doctor who prescribed it. "
        "Do not stop a prescribed medicine without medical advice."
    )
    return replace(flag, guidance=guidance)


def short_post_exercise_burst(ctx: Context) -> Flag | None:
    """Reassurance: a short burst after hard exercise, over, with quiet before it.

    ``evaluate`` drops it when any other flag above ``info`` is active.
    """
    ix = ctx.index
    found = runs(distinct_days(ix.day))
    if not found:
        return None
    run = found[-1]
    start, end = run[0], run[-1]
    exercise = exercise_dates(ctx.frames)
    quiet_from = start - timedelta(days=T.BURST_QUIET_BEFORE_DAYS)
    if (
        (end - start).days + 1 > T.BURST_MAX_SPAN_DAYS
        or not ({start, start - timedelta(days=1)} & exercise)
        or (ctx.as_of - end).days < T.BURST_MIN_DAYS_SINCE_END
        or ix.within(quiet_from, start - timedelta(days=1)).any()
    ):
        return None
    if not ctx.covered("short_post_exercise_burst", quiet_from, ctx.as_of):
        return None
    return make_flag(
        "short_post_exercise_burst",
        "info",
        "A short burst of twitching after hard exercise, now settled",
        f"{W.plural(int(ix.within(start, end).sum()), 'episode')} from {start} "
        f"to {end}, after exercise; none in the {T.BURST_QUIET_BEFORE_DAYS} days before, none "
        f"since ({(ctx.as_of - end).days} days)",
        run,
    )
