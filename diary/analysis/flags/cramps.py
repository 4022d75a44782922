"""The cramp and leg rules, with the nights and conditions episodes come with.

A cramp that lasts, a swollen red calf, frequent painful or unexplained cramps, an evening urge
to move, leg pain on walking eased by rest; and the nights: sleep disturbed by episodes, and
episodes that come mostly with cold (``cold_trigger``, raised by ``interactions``).
"""

from __future__ import annotations

from datetime import date, timedelta

from diary import thresholds as T
from diary import wording as W
from diary.analysis.episode_index import distinct_days
from diary.analysis.flags.context import (
    Context,
    between,
    day_values,
    exercise_dates,
    has,
    longest,
    two_windows,
    windows,
)
from diary.analysis.flags.model import Flag, make_flag
from diary.analysis.flags.signs import night_cramp_run, with_checks


def long_cramp(ctx: Context) -> Flag | None:
    """A cramp lasting longer than 10 minutes."""
    ix = ctx.index
    long = ctx.episodes[ix.cramp & (ix.duration > T.LONG_CRAMP_MIN_S)]
    if long.empty:
        return None
    return make_flag(
        "long_cramp",
        "urgent",
        "A cramp lasted longer than 10 minutes",
        f"{W.plural(len(long), 'cramp')} over 10 min; {longest(long)}",
        long["diary_day"],
    )


def swollen_red_calf(ctx: Context) -> Flag | None:
    """A calf/thigh episode with swelling or redness/warmth that is a cramp or comes with pain."""
    ix = ctx.index
    hits = ctx.episodes[
        ix.site.isin(["calf", "thigh"])
        & ix.symptoms.has({"swelling", "redness_warmth"})
        & (ix.cramp | ix.symptoms.has({"pain"}))
    ]
    if hits.empty:
        return None
    last = hits.iloc[-1]
    return make_flag(
        "swollen_red_calf",
        "urgent",
        "A swollen or red, painful calf or thigh was logged",
        f"{W.plural(len(hits), 'episode')}; latest {W.location(last['body_site'], last['side'])} "
        f"on {last['local_date']} with {W.words(last['symptoms'])}",
        hits["diary_day"],
    )


def _disrupted_nights(ctx: Context) -> list[date]:
    """Nights (dated by their evening) with an episode that woke or followed a poor night."""
    ix = ctx.index
    morning = day_values(ctx.frames.days, "sleep_quality", ix.night_of + 1)
    poor = morning <= T.POOR_SLEEP_MAX_QUALITY  # NaN (not logged, or not given) is not poor
    disrupted = ix.night & (ix.context.has({"sleep_disrupted"}) | poor)
    return distinct_days(ix.night_of[disrupted])


def sleep_disruption(ctx: Context) -> Flag | None:
    """Disrupted nights in the episodes (``_disrupted_logged``), or cramps that woke the person
    said yes on consecutive weekly checks close together (``signs.night_cramp_run``)."""
    return with_checks(
        _disrupted_logged(ctx),
        "sleep_disruption",
        "soon",
        "Cramps woke you, by weekly checks in a row",
        "cramps that woke you",
        night_cramp_run(ctx),
    )


def _disrupted_logged(ctx: Context) -> Flag | None:
    """≥ 3 disrupted nights in each of two consecutive 7-day windows."""
    nights = _disrupted_nights(ctx)
    pair = two_windows(
        nights, T.SLEEP_DISRUPTION_WINDOW_DAYS, T.SLEEP_DISRUPTION_MIN_NIGHTS, ctx.as_of
    )
    if pair is None:
        return None
    start, end, inside = pair
    return make_flag(
        "sleep_disruption",
        "soon",
        "Episodes disturbed your sleep on many nights",
        f"{len(inside)} disrupted nights between {start} and {end} "
        f"({W.plural(len(nights), 'night')} in all)",
        inside,
    )


def cold_trigger(ctx: Context) -> Flag | None:
    """Cold-exposure episodes on ≥ 3 days and ≥ 50% of night episodes (info; see ``evaluate``)."""
    ix = ctx.index
    cold = ix.context.has({"cold_exposure"})
    days = distinct_days(ix.day[cold])
    nights = int(ix.night.sum())
    if len(days) < T.COLD_MIN_DAYS or not nights:
        return None
    cold_nights = int((cold & ix.night).sum())
    if cold_nights / nights < T.COLD_MIN_NIGHT_SHARE:
        return None
    return make_flag(
        "cold_trigger",
        "info",
        "Episodes came mostly with cold",
        f"cold exposure on {len(days)} days; {cold_nights} of {nights} night episodes",
        days,
    )


def frequent_painful_cramps(ctx: Context) -> Flag | None:
    """≥ 3 bad cramp days (intensity ≥ 7 or sleep disrupted) in each of two consecutive weeks."""
    ix = ctx.index
    bad = ix.cramp & (
        (ix.intensity >= T.PAINFUL_CRAMP_MIN_INTENSITY) | ix.context.has({"sleep_disrupted"})
    )
    days = distinct_days(ix.day[bad])
    pair = two_windows(days, T.PAINFUL_CRAMP_WINDOW_DAYS, T.PAINFUL_CRAMP_MIN_BAD_DAYS, ctx.as_of)
    if pair is None:
        return None
    start, end, inside = pair
    return make_flag(
        "frequent_painful_cramps",
        "soon",
        "Frequent, painful cramps two weeks running",
        f"{len(inside)} days with a severe or sleep-disturbing cramp between {start} and {end}",
        inside,
    )


def unexplained_cramps(ctx: Context) -> Flag | None:
    """≥ 4 cramp days within 14 with no long or vigorous exercise that day or the day before."""
    exercise = exercise_dates(ctx.frames)
    days = [
        d
        for d in distinct_days(ctx.index.day[ctx.index.cramp])
        if d not in exercise and d - timedelta(days=1) not in exercise
    ]
    found = windows(
        days, T.UNEXPLAINED_CRAMPS_WINDOW_DAYS, T.UNEXPLAINED_CRAMPS_MIN_DAYS, ctx.as_of
    )
    if not found:
        return None
    for start, end, count in found:
        logged, total = ctx.coverage(start, end)
        if total and logged / total >= T.MIN_COVERAGE:
            return make_flag(
                "unexplained_cramps",
                "discuss",
                "Cramps without an obvious cause",
                f"cramps on {count} days {between(d for d in days if start <= d <= end)} with "
                f"no exercise of {T.EXERCISE_MIN_MINUTES} min or more (or vigorous) that day or "
                "the day before",
                [d for d in days if start <= d <= end],
            )
    start, end, _ = found[0]
    ctx.covered("unexplained_cramps", start, end)  # records the note
    return None


def urge_to_move_pattern(ctx: Context) -> Flag | None:
    """≥ 5 urge-to-move episodes, ≥ 80% relieved by movement, ≥ 75% between 18:00 and 06:00."""
    urge = ctx.episodes[ctx.index.context.has({"urge_to_move"})]
    if len(urge) < T.URGE_MIN_EPISODES:
        return None
    relieved = has(urge["context"], {"relieved_by_movement"}).mean()
    minutes = urge["local"].dt.hour * 60 + urge["local"].dt.minute
    evening = (
        (minutes >= T.URGE_EVENING_START_H * 60) | (minutes <= T.URGE_EVENING_END_H * 60)
    ).mean()
    if relieved < T.URGE_MIN_RELIEVED_SHARE or evening < T.URGE_MIN_EVENING_SHARE:
        return None
    return make_flag(
        "urge_to_move_pattern",
        "discuss",
        "An evening urge to move, eased by moving",
        f"{len(urge)} episodes with an urge to move: {relieved:.0%} relieved by movement, "
        f"{evening:.0%} between 18:00 and 06:00",
        urge["diary_day"],
    )


def walking_pain(ctx: Context) -> Flag | None:
    """Cramp or pain while walking, relieved by rest, on ≥ 3 days within 28."""
    ix = ctx.index
    hits = ctx.episodes[
        (ix.cramp | ix.symptoms.has({"pain"}))
        & ix.context.has({"while_walking"})
        & ix.context.has({"relieved_by_rest"})
    ]
    found = windows(
        hits["diary_day"], T.WALKING_PAIN_WINDOW_DAYS, T.WALKING_PAIN_MIN_DAYS, ctx.as_of
    )
    if not found:
        return None
    start, end, count = found[0]
    inside = [d for d in hits["diary_day"] if start <= d <= end]
    return make_flag(
        "walking_pain",
        "soon",
        "Leg pain or cramps while walking, eased by rest",
        f"on {count} days {between(inside)}",
        inside,
    )
