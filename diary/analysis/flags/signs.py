"""What the weekly sign check adds to the spread and sleep rules.

Most signs stand for a symptom and reach the rules through ``Context.symptom_dates``. Two do not:
"twitching that has spread to new places" counts toward ``new_region`` when answered yes on a
recent check, and "cramps that woke you", answered yes on consecutive checks close together,
counts toward ``sleep_disruption``. A sign not asked on a check is skipped: the check neither
breaks a run of yeses nor adds a no.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pandas as pd

from diary import thresholds as T
from diary.analysis.flags.context import Context, weekly_yes
from diary.analysis.flags.model import Flag, make_flag


def recent_spread(ctx: Context) -> list[date]:
    """The checks of the last ``SIGN_SPREAD_WINDOW_DAYS`` days that said twitching has spread."""
    start = ctx.as_of - timedelta(days=T.SIGN_SPREAD_WINDOW_DAYS - 1)
    return [d for d in ctx.sign_yes.get("spreading", []) if d >= start]


def night_cramp_run(ctx: Context) -> list[date]:
    """The latest run of ``SIGN_NIGHT_CRAMPS_MIN_CHECKS`` consecutive answered checks that said
    cramps woke the person, each within ``SIGN_NIGHT_CRAMPS_MAX_GAP_DAYS`` of the one before;
    empty when there is none."""
    signs = ctx.frames.checks.signs
    answered = signs[signs["night_cramps"].notna().to_numpy(dtype=bool)]
    dates = [d.date() for d in pd.to_datetime(answered["date"])]
    said = answered["night_cramps"].to_numpy(dtype=bool)
    wanted = T.SIGN_NIGHT_CRAMPS_MIN_CHECKS
    for end in range(len(dates), wanted - 1, -1):
        run = range(end - wanted, end)
        close = all(
            (dates[i] - dates[i - 1]).days <= T.SIGN_NIGHT_CRAMPS_MAX_GAP_DAYS for i in run[1:]
        )
        if close and all(said[i] for i in run):
            return [dates[i] for i in run]
    return []


def with_checks(
    flag: Flag | None, rule: str, severity: str, title: str, sign_words: str, dates: list[date]
) -> Flag | None:
    """``flag`` (from the episodes) with the weekly checks that said yes to ``sign_words`` added
    to its evidence and dates, or a flag of its own from those checks when the episodes raised
    none."""
    if not dates:
        return flag
    if flag is None:
        return make_flag(rule, severity, title, f"{sign_words}: {weekly_yes(dates)}", dates)
    first = min(d for d in (flag.first_date, *dates) if d is not None)
    last = max(d for d in (flag.last_date, *dates) if d is not None)
    evidence = f"{flag.evidence}; {sign_words}: {weekly_yes(dates)}"
    return replace(flag, evidence=evidence, first_date=first, last_date=last)
