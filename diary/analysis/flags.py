"""The deterministic flag rules of ``shared/RULES.md``: a pattern in the diary -> a calm ``Flag``.

A flag names a pattern, the numbers behind it and the public guidance for such a pattern; it never
names a disease. Every threshold lives in ``thresholds``; every rule reads ``Frames`` (already cut
at ``as_of``) and returns at most one flag, so "one flag per rule, at its highest severity" holds by
construction. The interactions (visit downgrades, cold_trigger's rise, the reassurance that needs
silence from every other rule) are applied afterwards in ``evaluate``.

The rules that need statistics (``frequency_rising``, ``intensity_rising``, ``medication_onset``)
compute their findings in ``trends``; this module gives them their severity and guidance.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property

import numpy as np
import pandas as pd

from diary import thresholds as T
from diary import wording as W
from diary.analysis import trends
from diary.analysis.frames import Frames, dates_between
from diary.guidance import (
    EMERGENCY_ALWAYS,
    EMERGENCY_IF_SUDDEN,
    GUIDANCE,
    PROGRESSIVE_ALWAYS,
    PROGRESSIVE_IF_GRADUAL,
    REARMING_SYMPTOMS,
    RULE_NAMES,
    SEVERITIES,
    SEVERITY_RANK,
    reviewed_guidance,
    urgent_guidance,
)

__all__ = ["SEVERITIES", "Flag", "analyse", "evaluate"]
_RANK = SEVERITY_RANK

#: Rules that drop to info once a doctor has seen the pattern (unless re-armed).
REVIEWABLE = frozenset(
    {"persistence", "multiple_sites", "bilateral", "frequency_rising", "intensity_rising"}
)
#: Rules not implemented yet (none: kept so tests can list what is pending).
NOT_IMPLEMENTED: frozenset[str] = frozenset()
#: When any of these fire (or the profile lists a family history), the trend rules rise to soon.
RAISES_TRENDS = frozenset(
    {"new_region", "bulbar_twitching", "weakness", "muscle_loss", "progressive_neuro_symptoms"}
)


@dataclass(frozen=True)
class Flag:
    """One rule's finding: the pattern, its numbers, and the guidance for such a pattern.

    ``title``, ``evidence`` and ``guidance`` are for the person and never show a p-value; the
    statistical rules put their tests for the doctor in ``statistics`` (with ``p_value``, the
    deciding test's p), which ``twitch flags --json`` and the report's statistics lines show.
    """

    rule: str
    severity: str
    title: str
    evidence: str
    guidance: str
    source: str
    first_date: date | None
    last_date: date | None
    statistics: str = ""
    p_value: float | None = None

    def __post_init__(self) -> None:
        if self.severity not in _RANK:
            raise ValueError(f"unknown severity {self.severity!r}")

    @property
    def rank(self) -> int:
        """The severity as a number: info 0 < discuss 1 < soon 2 < urgent 3."""
        return _RANK[self.severity]


@dataclass(frozen=True)
class NotEnoughData:
    """A rule whose pattern showed, in a window logged on fewer than 60% of its days."""

    rule: str
    window_start: date
    window_end: date
    logged_days: int
    days: int

    @property
    def message(self) -> str:
        """The sentence shown instead of a flag."""
        return (
            f"{RULE_NAMES[self.rule]}: not enough data — {self.logged_days} of {self.days} days "
            f"logged from {self.window_start} to {self.window_end}."
        )


@dataclass
class Analysis:
    """What ``evaluate`` found: flags most severe first, plus the rules held back by coverage."""

    flags: list[Flag] = field(default_factory=list)
    not_enough_data: list[NotEnoughData] = field(default_factory=list)


def severity_rank(severity: str) -> int:
    """The order of a severity name (info 0 … urgent 3)."""
    return _RANK[severity]


# --- helpers --------------------------------------------------------------------------------------


@dataclass
class _Context:
    frames: Frames
    as_of: date
    notes: list[NotEnoughData] = field(default_factory=list)

    @property
    def episodes(self) -> pd.DataFrame:
        return self.frames.episodes

    @cached_property
    def f_episodes(self) -> pd.DataFrame:
        return self.frames.episodes[self.frames.episodes["fc"] == "F"]

    @cached_property
    def cramps(self) -> pd.DataFrame:
        return self.frames.episodes[self.frames.episodes["kind"] == "cramp"]

    @cached_property
    def symptom_records(self) -> list[tuple[date, frozenset[str], str]]:
        """Every (date, symptoms, source) with symptoms, gathered once for all the rules."""
        return list(_symptom_records(self.frames))

    def coverage(self, start: date, end: date) -> tuple[int, int]:
        """(logged days, days) in [start, end], clipped to the diary's first day and as_of."""
        first = self.frames.first_day
        if first is None:
            return 0, 0
        start, end = max(start, first), min(end, self.as_of)
        window = dates_between(start, end)
        logged = self.frames.logged_dates
        return sum(d in logged for d in window), len(window)

    def covered(self, rule: str, start: date, end: date) -> bool:
        """True when [start, end] is logged on ≥ 60% of its days; else note "not enough data"."""
        logged, days = self.coverage(start, end)
        if days and logged / days >= T.MIN_COVERAGE:
            return True
        self.notes.append(NotEnoughData(rule, start, end, logged, days))
        return False


def _flag(rule: str, severity: str, title: str, evidence: str, days: Iterable[date]) -> Flag:
    dates = sorted(set(days))
    guidance, source = GUIDANCE[rule]
    return Flag(
        rule=rule,
        severity=severity,
        title=title,
        evidence=evidence,
        guidance=guidance,
        source=source,
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
    )


_location = W.location


def _within(days: pd.Series, start: date | None, end: date | None) -> pd.Series:
    """Which dates in ``days`` fall in [start, end] (None = open end), aligned to its index."""
    values = days.to_numpy(dtype=object)
    keep = np.ones(len(values), dtype=bool)
    if start is not None:
        keep &= np.greater_equal(values, start).astype(bool)
    if end is not None:
        keep &= np.less_equal(values, end).astype(bool)
    return pd.Series(keep, index=days.index, dtype=bool)


def _has(values: pd.Series, words: Iterable[str]) -> pd.Series:
    """Which sets in ``values`` share at least one word with ``words``."""
    wanted = frozenset(words)
    # A diary repeats a handful of distinct sets: decide each once, then map.
    sets = values.tolist()
    verdict = {s: bool(s & wanted) for s in set(sets)}
    return pd.Series([verdict[s] for s in sets], index=values.index, dtype=bool)


def _symptom_records(frames: Frames) -> Iterator[tuple[date, frozenset[str], str]]:
    """(date, symptoms, 'episode'|'day') for every episode and logged day carrying symptoms."""
    for day, symptoms in zip(
        frames.episodes["diary_day"], frames.episodes["symptoms"], strict=True
    ):
        if symptoms:
            yield day, symptoms, "episode"
    for day, symptoms in zip(frames.days["date"], frames.days["symptoms"], strict=True):
        if symptoms:
            yield day, symptoms, "day"


def _gradual(symptoms: frozenset[str]) -> bool:
    """Onset qualifies the neuro symptoms logged with it; none given (or sudden) = sudden."""
    return "gradual_onset" in symptoms and "sudden_onset" not in symptoms


def runs(days: Iterable[date], gap: int = T.RUN_SPLIT_GAP_DAYS) -> list[list[date]]:
    """Distinct days split into runs wherever consecutive days are more than ``gap`` days apart."""
    result: list[list[date]] = []
    for day in sorted(set(days)):
        if result and (day - result[-1][-1]).days <= gap:
            result[-1].append(day)
        else:
            result.append([day])
    return result


def _between(days: Iterable[date]) -> str:
    """ "between FIRST and LAST" of the days a window counted (never a window's unused end)."""
    distinct = sorted(set(days))
    return f"between {distinct[0]} and {distinct[-1]}"


def _count_between(ordered: list[date], start: date, end: date) -> int:
    """How many of the sorted ``ordered`` dates fall in [start, end] (binary search, not a scan)."""
    return bisect_right(ordered, end) - bisect_left(ordered, start)


def _windows(
    days: Iterable[date], length: int, minimum: int, as_of: date
) -> list[tuple[date, date, int]]:
    """Every window of ``length`` days, ending by ``as_of``, that holds ≥ ``minimum`` of ``days``.

    A window holding enough days always has one starting on its earliest day (moved back to end on
    ``as_of`` when it would run past it), so checking those starts finds every qualifying set.
    Returned latest first, as (start, end, count).
    """
    distinct = sorted(set(days))
    found = []
    for day in distinct:
        end = min(day + timedelta(days=length - 1), as_of)
        start = end - timedelta(days=length - 1)
        count = _count_between(distinct, start, end)
        if count >= minimum:
            found.append((start, end, count))
    return sorted(found, reverse=True)


def _two_windows(
    days: Iterable[date], length: int, minimum: int, as_of: date
) -> tuple[date, date] | None:
    """The latest pair of consecutive ``length``-day windows, ending by ``as_of``, each holding
    ≥ ``minimum`` of ``days``; returned as (first day of the pair, last day of the pair)."""
    distinct = sorted(set(days))
    if len(distinct) < 2 * minimum:
        return None
    last_split = min(distinct[-1], as_of - timedelta(days=length - 1))
    for split in reversed(dates_between(distinct[0], last_split)):
        first = split - timedelta(days=length)
        last = split + timedelta(days=length - 1)
        before = _count_between(distinct, first, split - timedelta(days=1))
        after = _count_between(distinct, split, last)
        if before >= minimum and after >= minimum:
            return first, last
    return None


def _exercise_dates(frames: Frames) -> frozenset[date]:
    days = frames.days
    if days.empty:
        return frozenset()
    long_enough = days["exercise_min"].fillna(0) >= T.EXERCISE_MIN_MINUTES
    vigorous = days["exercise_intensity"] == T.EXERCISE_VIGOROUS
    return frozenset(days.loc[long_enough | vigorous, "date"])


# --- the rules, in priority order -----------------------------------------------------------------


def emergency_symptoms(ctx: _Context) -> Flag | None:
    """Seizure, fainting, breathlessness, chest pain; or sudden (or unstated) FAST-type symptoms."""
    hits: list[tuple[date, str]] = []
    for day, symptoms, _ in ctx.symptom_records:
        words = set(symptoms & EMERGENCY_ALWAYS)
        if not _gradual(symptoms):
            words |= symptoms & EMERGENCY_IF_SUDDEN
        hits.extend((day, w) for w in words)
    if not hits:
        return None
    words = sorted({W.word(w) for _, w in hits})
    dates = [d for d, _ in hits]
    return _flag(
        "emergency_symptoms",
        "urgent",
        "Symptoms that need immediate attention were logged",
        f"{', '.join(words)} — logged on {W.plural(len(set(dates)), 'day')}, latest {max(dates)}",
        dates,
    )


def both_legs_or_bladder(ctx: _Context) -> Flag | None:
    """Saddle numbness, bladder/bowel change, or numbness/weakness in both legs the same day."""
    dates: list[date] = []
    found: set[str] = set()
    for day, symptoms, _ in ctx.symptom_records:
        words = symptoms & {"saddle_numbness", "bladder_bowel_change"}
        if words:
            dates.append(day)
            found |= words
    episodes = ctx.episodes
    legs = episodes[
        (episodes["region"] == "lower_limb") & _has(episodes["symptoms"], {"numbness", "weakness"})
    ]
    for day, group in legs.groupby("diary_day"):
        sides = set(group["side"].dropna())
        if "both" in sides or {"left", "right"} <= sides:
            dates.append(day)  # type: ignore[arg-type]
            found.add("numbness or weakness in both legs")
    if not dates:
        return None
    return _flag(
        "both_legs_or_bladder",
        "urgent",
        "Both legs, or bladder/bowel changes, were logged",
        f"{', '.join(sorted(W.word(w) for w in found))} — latest {max(dates)}",
        dates,
    )


def long_cramp(ctx: _Context) -> Flag | None:
    """A cramp lasting longer than 10 minutes."""
    long = ctx.cramps[ctx.cramps["duration_s"] > T.LONG_CRAMP_MIN_S]
    if long.empty:
        return None
    worst = long.loc[long["duration_s"].idxmax()]
    return _flag(
        "long_cramp",
        "urgent",
        "A cramp lasted longer than 10 minutes",
        f"{W.plural(len(long), 'cramp')} over 10 min; longest {W.duration(worst['duration_s'])}, "
        f"{_location(worst['body_site'], worst['side'])} on {worst['local_date']}",
        long["diary_day"],
    )


def swollen_red_calf(ctx: _Context) -> Flag | None:
    """A calf/thigh episode with swelling or redness/warmth that is a cramp or comes with pain."""
    e = ctx.episodes
    hits = e[
        e["body_site"].isin(["calf", "thigh"])
        & _has(e["symptoms"], {"swelling", "redness_warmth"})
        & ((e["kind"] == "cramp") | _has(e["symptoms"], {"pain"}))
    ]
    if hits.empty:
        return None
    last = hits.iloc[-1]
    return _flag(
        "swollen_red_calf",
        "urgent",
        "A swollen or red, painful calf or thigh was logged",
        f"{W.plural(len(hits), 'episode')}; latest {_location(last['body_site'], last['side'])} "
        f"on {last['local_date']} with {W.words(last['symptoms'])}",
        hits["diary_day"],
    )


def _symptom_rule(ctx: _Context, rule: str, word: str, title: str) -> Flag | None:
    dates = [d for d, s, _ in ctx.symptom_records if word in s]
    if not dates:
        return None
    distinct = sorted(set(dates))
    return _flag(
        rule,
        "soon",
        title,
        f"{W.word(word)} logged on {W.plural(len(distinct), 'day')}: "
        f"first {distinct[0]}, latest {distinct[-1]}",
        distinct,
    )


def weakness(ctx: _Context) -> Flag | None:
    """``weakness`` logged on at least one day (on an episode or on the day)."""
    return _symptom_rule(ctx, "weakness", "weakness", "Weakness was logged")


def muscle_loss(ctx: _Context) -> Flag | None:
    """``muscle_loss`` logged at least once."""
    return _symptom_rule(ctx, "muscle_loss", "muscle_loss", "Loss of muscle size was logged")


def progressive_neuro_symptoms(ctx: _Context) -> Flag | None:
    """Gradual speech/swallowing changes, or walking, falls, coordination or hand-use changes."""
    hits: list[tuple[date, str]] = []
    for day, symptoms, _ in ctx.symptom_records:
        words = set(symptoms & PROGRESSIVE_ALWAYS)
        if _gradual(symptoms):
            words |= symptoms & PROGRESSIVE_IF_GRADUAL
        hits.extend((day, w) for w in words)
    if not hits:
        return None
    dates = [d for d, _ in hits]
    words = sorted({W.word(w) for _, w in hits})
    return _flag(
        "progressive_neuro_symptoms",
        "soon",
        "Gradual changes in movement, speech or swallowing were logged",
        f"{', '.join(words)} — on {W.plural(len(set(dates)), 'day')}, latest {max(dates)}",
        dates,
    )


def continuous_twitching(ctx: _Context) -> Flag | None:
    """An F-episode lasting 30 minutes or more."""
    f = ctx.f_episodes
    long = f[f["duration_s"] >= T.CONTINUOUS_TWITCH_MIN_S]
    if long.empty:
        return None
    worst = long.loc[long["duration_s"].idxmax()]
    return _flag(
        "continuous_twitching",
        "soon",
        "Twitching went on for 30 minutes or more",
        f"{W.plural(len(long), 'episode')} of 30 min or more; longest "
        f"{W.duration(worst['duration_s'])}, {_location(worst['body_site'], worst['side'])} on "
        f"{worst['local_date']}",
        long["diary_day"],
    )


def bulbar_twitching(ctx: _Context) -> Flag | None:
    """F-episodes at the tongue, throat or jaw on at least 2 days."""
    f = ctx.f_episodes
    bulbar = f[f["region"] == "bulbar"]
    days = sorted(set(bulbar["diary_day"]))
    if len(days) < T.BULBAR_MIN_DAYS:
        return None
    sites = W.joined(s for s in ("tongue", "throat", "jaw") if s in set(bulbar["body_site"]))
    return _flag(
        "bulbar_twitching",
        "soon",
        f"Twitching of the {sites} on {len(days)} days",
        f"{sites}: {W.plural(len(bulbar), 'episode')} on {len(days)} days, first {days[0]}, "
        f"latest {days[-1]}",
        days,
    )


def family_history(ctx: _Context) -> Flag | None:
    """The profile lists a neurological condition in the family (never an alarm on its own)."""
    listed = ctx.frames.family_history()
    if not listed:
        return None
    return _flag(
        "family_history",
        "info",
        "Family history noted",
        # The condition itself stays in the profile: a flag never names a disease.
        f"the profile lists {W.plural(len(listed), 'neurological condition')} in the family",
        [],
    )


def persistence(ctx: _Context) -> Flag | None:
    """The latest run of F-episode days spans ≥ 14 days with ≥ 6 distinct days, recent."""
    f = ctx.f_episodes
    found = runs(f["diary_day"])
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
    in_run = f[_within(f["diary_day"], run[0], run[-1])]
    where = in_run.groupby(["body_site", "side"], dropna=False).size().sort_values(ascending=False)
    places = ", ".join(_location(site, side) for site, side in where.index[:3])
    longest_gap = max(((b - a).days for a, b in zip(run, run[1:], strict=False)), default=0)
    weeks = span // 7
    over = W.plural(weeks, "week") if weeks >= 2 else W.plural(span, "day")
    return _flag(
        "persistence",
        "soon",
        f"Twitching on {len(run)} days over {over}",
        f"mostly {places}; first {run[0]}, last {run[-1]}, "
        f"longest gap {W.plural(longest_gap, 'day')}",
        run,
    )


def multiple_sites(ctx: _Context) -> Flag | None:
    """In the last 14 days, ≥ 2 locations (site, side) each with F-episodes on ≥ 2 days."""
    start = ctx.as_of - timedelta(days=T.MULTIPLE_SITES_WINDOW_DAYS - 1)
    f = ctx.f_episodes
    recent = f[_within(f["diary_day"], start, ctx.as_of)]
    recent = recent.assign(side=recent["side"].fillna(""))  # no side given = its own location
    if recent.empty:
        return None
    per_location = recent.groupby(["body_site", "side"], dropna=False)["diary_day"].nunique()
    busy = per_location[per_location >= T.MULTIPLE_SITES_MIN_DAYS_EACH]
    if len(busy) < T.MULTIPLE_SITES_MIN_LOCATIONS:
        return None
    parts = [f"{_location(site, side)} on {n} days" for (site, side), n in busy.items()]
    keys = set(busy.index)
    used = recent[
        [(s, d) in keys for s, d in zip(recent["body_site"], recent["side"], strict=True)]
    ]
    return _flag(
        "multiple_sites",
        "soon",
        f"Twitching in {len(busy)} places in the last 14 days",
        f"{'; '.join(parts)} ({start} to {ctx.as_of})",
        used["diary_day"],
    )


def new_region(ctx: _Context) -> Flag | None:
    """With ≥ 28 days of history, a region first seen in the last 28 days, on ≥ 2 days."""
    first = ctx.frames.first_day
    window_start = ctx.as_of - timedelta(days=T.NEW_REGION_WINDOW_DAYS - 1)
    if first is None or (ctx.as_of - first).days + 1 < T.NEW_REGION_MIN_HISTORY_DAYS:
        return None
    f = ctx.f_episodes
    f = f[f["region"] != "other"]
    before = f[_within(f["diary_day"], None, window_start - timedelta(days=1))]
    if before.empty:  # nothing to compare with: the first region ever seen is not "new"
        return None
    seen = set(before["region"])
    recent = f[_within(f["diary_day"], window_start, None) & ~f["region"].isin(seen)]
    per_region = recent.groupby("region")["diary_day"].nunique()
    new = per_region[per_region >= T.NEW_REGION_MIN_DAYS]
    if new.empty:
        return None
    if not ctx.covered("new_region", first, window_start - timedelta(days=1)):
        return None
    used = recent[recent["region"].isin(new.index)]
    parts = [
        f"{W.region(region)} "
        f"(first {min(used.loc[used['region'] == region, 'diary_day'])}, {n} days)"
        for region, n in new.items()
    ]
    return _flag(
        "new_region",
        "discuss",
        "Twitching in a new area of the body",
        f"{'; '.join(parts)}; earlier only: {'; '.join(sorted(W.region(r) for r in seen))}",
        used["diary_day"],
    )


def bilateral(ctx: _Context) -> Flag | None:
    """The same site with F-episodes on the left and on the right, each on ≥ 3 days within 28.

    Windows are anchored on their last day (an episode day, so never after ``as_of``) and the
    latest qualifying one wins; the evidence names the first and last days actually counted.
    """
    f = ctx.f_episodes
    best: tuple[str, date, int, int] | None = None  # site, window end, days left, days right
    for site, group in f.groupby("body_site"):
        left = sorted(set(group.loc[group["side"].isin(["left", "both"]), "diary_day"]))
        right = sorted(set(group.loc[group["side"].isin(["right", "both"]), "diary_day"]))
        if (
            len(left) < T.BILATERAL_MIN_DAYS_EACH_SIDE
            or len(right) < T.BILATERAL_MIN_DAYS_EACH_SIDE
        ):
            continue
        for end in sorted(set(left) | set(right), reverse=True):
            start = end - timedelta(days=T.BILATERAL_WINDOW_DAYS - 1)
            n_left = _count_between(left, start, end)
            n_right = _count_between(right, start, end)
            if min(n_left, n_right) >= T.BILATERAL_MIN_DAYS_EACH_SIDE:
                if best is None or end > best[1]:
                    best = (str(site), end, n_left, n_right)
                break
    if best is None:
        return None
    site, end, n_left, n_right = best
    start = end - timedelta(days=T.BILATERAL_WINDOW_DAYS - 1)
    days = [
        d
        for s, side, d in zip(f["body_site"], f["side"], f["diary_day"], strict=True)
        if s == site and side in ("left", "right", "both") and start <= d <= end
    ]
    first, last = min(days), max(days)
    both = (
        "on both sides of the same place" if site == "other" else f"in both {W.site_plural(site)}"
    )
    return _flag(
        "bilateral",
        "info",
        f"Twitching {both}",
        f"{W.word(site)}: left on {n_left} days, right on {n_right} days between {first} and "
        f"{last}",
        days,
    )


def sensory_symptoms(ctx: _Context) -> Flag | None:
    """Numbness or tingling on episodes of the same region and side on ≥ 2 days within 14."""
    e = ctx.episodes
    sensory = e[_has(e["symptoms"], {"numbness", "tingling"})]
    for (region, side), group in sensory.groupby(["region", "side"], dropna=False):
        found = _windows(group["diary_day"], T.SENSORY_WINDOW_DAYS, T.SENSORY_MIN_DAYS, ctx.as_of)
        if found:
            start, end, count = found[0]
            inside = group[_within(group["diary_day"], start, end)]
            words = sorted(set().union(*inside["symptoms"]) & {"numbness", "tingling"})
            limb = _location(W.region(str(region)), side)
            return _flag(
                "sensory_symptoms",
                "soon",
                "Numbness or tingling in the same limb on several days",
                f"{' and '.join(words)} in the {limb} on {count} days "
                f"{_between(inside['diary_day'])}",
                inside["diary_day"],
            )
    return None


def _disrupted_nights(ctx: _Context) -> list[date]:
    """Nights (dated by their evening) with an episode that woke or followed a poor night."""
    e = ctx.episodes[ctx.episodes["night"]]
    quality = dict(zip(ctx.frames.days["date"], ctx.frames.days["sleep_quality"], strict=True))
    nights = set()
    for night, context in zip(e["night_of"], e["context"], strict=True):
        morning = quality.get(night + timedelta(days=1))
        poor = morning is not None and not pd.isna(morning) and morning <= T.POOR_SLEEP_MAX_QUALITY
        if "sleep_disrupted" in context or poor:
            nights.add(night)
    return sorted(nights)


def sleep_disruption(ctx: _Context) -> Flag | None:
    """≥ 3 disrupted nights in each of two consecutive 7-day windows."""
    nights = _disrupted_nights(ctx)
    pair = _two_windows(
        nights, T.SLEEP_DISRUPTION_WINDOW_DAYS, T.SLEEP_DISRUPTION_MIN_NIGHTS, ctx.as_of
    )
    if pair is None:
        return None
    start, end = pair
    inside = [n for n in nights if start <= n <= end]
    return _flag(
        "sleep_disruption",
        "soon",
        "Episodes disturbed your sleep on many nights",
        f"{len(inside)} disrupted nights between {start} and {end} "
        f"({W.plural(len(nights), 'night')} in all)",
        inside,
    )


def cold_trigger(ctx: _Context) -> Flag | None:
    """Cold-exposure episodes on ≥ 3 days and ≥ 50% of night episodes (info; see ``evaluate``)."""
    e = ctx.episodes
    cold = e[_has(e["context"], {"cold_exposure"})]
    days = sorted(set(cold["diary_day"]))
    night = e[e["night"]]
    if len(days) < T.COLD_MIN_DAYS or night.empty:
        return None
    cold_nights = int(_has(night["context"], {"cold_exposure"}).sum())
    if cold_nights / len(night) < T.COLD_MIN_NIGHT_SHARE:
        return None
    return _flag(
        "cold_trigger",
        "info",
        "Episodes came mostly with cold",
        f"cold exposure on {len(days)} days; {cold_nights} of {len(night)} night episodes",
        days,
    )


def frequent_painful_cramps(ctx: _Context) -> Flag | None:
    """≥ 3 bad cramp days (intensity ≥ 7 or sleep disrupted) in each of two consecutive weeks."""
    c = ctx.cramps
    bad = c[
        (c["intensity"] >= T.PAINFUL_CRAMP_MIN_INTENSITY) | _has(c["context"], {"sleep_disrupted"})
    ]
    days = sorted(set(bad["diary_day"]))
    pair = _two_windows(days, T.PAINFUL_CRAMP_WINDOW_DAYS, T.PAINFUL_CRAMP_MIN_BAD_DAYS, ctx.as_of)
    if pair is None:
        return None
    start, end = pair
    inside = [d for d in days if start <= d <= end]
    return _flag(
        "frequent_painful_cramps",
        "soon",
        "Frequent, painful cramps two weeks running",
        f"{len(inside)} days with a severe or sleep-disturbing cramp between {start} and {end}",
        inside,
    )


def unexplained_cramps(ctx: _Context) -> Flag | None:
    """≥ 4 cramp days within 14 with no long or vigorous exercise that day or the day before."""
    exercise = _exercise_dates(ctx.frames)
    days = [
        d
        for d in sorted(set(ctx.cramps["diary_day"]))
        if d not in exercise and d - timedelta(days=1) not in exercise
    ]
    found = _windows(
        days, T.UNEXPLAINED_CRAMPS_WINDOW_DAYS, T.UNEXPLAINED_CRAMPS_MIN_DAYS, ctx.as_of
    )
    if not found:
        return None
    for start, end, count in found:
        logged, total = ctx.coverage(start, end)
        if total and logged / total >= T.MIN_COVERAGE:
            return _flag(
                "unexplained_cramps",
                "discuss",
                "Cramps without an obvious cause",
                f"cramps on {count} days {_between(d for d in days if start <= d <= end)} with "
                f"no exercise of {T.EXERCISE_MIN_MINUTES} min or more (or vigorous) that day or "
                "the day before",
                [d for d in days if start <= d <= end],
            )
    start, end, _ = found[0]
    ctx.covered("unexplained_cramps", start, end)  # records the note
    return None


def urge_to_move_pattern(ctx: _Context) -> Flag | None:
    """≥ 5 urge-to-move episodes, ≥ 80% relieved by movement, ≥ 75% between 18:00 and 06:00."""
    e = ctx.episodes
    urge = e[_has(e["context"], {"urge_to_move"})]
    if len(urge) < T.URGE_MIN_EPISODES:
        return None
    relieved = _has(urge["context"], {"relieved_by_movement"}).mean()
    minutes = urge["local"].dt.hour * 60 + urge["local"].dt.minute
    evening = (
        (minutes >= T.URGE_EVENING_START_H * 60) | (minutes <= T.URGE_EVENING_END_H * 60)
    ).mean()
    if relieved < T.URGE_MIN_RELIEVED_SHARE or evening < T.URGE_MIN_EVENING_SHARE:
        return None
    return _flag(
        "urge_to_move_pattern",
        "discuss",
        "An evening urge to move, eased by moving",
        f"{len(urge)} episodes with an urge to move: {relieved:.0%} relieved by movement, "
        f"{evening:.0%} between 18:00 and 06:00",
        urge["diary_day"],
    )


def walking_pain(ctx: _Context) -> Flag | None:
    """Cramp or pain while walking, relieved by rest, on ≥ 3 days within 28."""
    e = ctx.episodes
    hits = e[
        ((e["kind"] == "cramp") | _has(e["symptoms"], {"pain"}))
        & _has(e["context"], {"while_walking"})
        & _has(e["context"], {"relieved_by_rest"})
    ]
    found = _windows(
        hits["diary_day"], T.WALKING_PAIN_WINDOW_DAYS, T.WALKING_PAIN_MIN_DAYS, ctx.as_of
    )
    if not found:
        return None
    start, end, count = found[0]
    inside = [d for d in hits["diary_day"] if start <= d <= end]
    return _flag(
        "walking_pain",
        "soon",
        "Leg pain or cramps while walking, eased by rest",
        f"on {count} days {_between(inside)}",
        inside,
    )


def _from_finding(rule: str, severity: str, finding: trends.Finding | None) -> Flag | None:
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


def frequency_rising(ctx: _Context) -> Flag | None:
    """Twitches more frequent, seen at ``as_of`` and at ``as_of`` − 7 days.

    On each 42-day window: with ≥ 30 logged days and ≥ 20 F-episodes, the Poisson trend (HAC
    errors) and the Hamed–Rao Mann–Kendall test decide; otherwise, only with 24–41 logged days,
    the last 14 vs prior 14 days (exact Poisson test, ratio ≥ 2, p < 0.01); otherwise no test
    (``trends.frequency_test``). ``evaluate`` raises it to ``soon`` alongside ``RAISES_TRENDS``.
    """
    return _from_finding(
        "frequency_rising", "discuss", trends.frequency_rising(ctx.frames, ctx.as_of)
    )


def intensity_rising(ctx: _Context) -> Flag | None:
    """Twitches stronger (Hamed–Rao Mann–Kendall on daily medians, Sen slope, a 2-point rise)."""
    return _from_finding(
        "intensity_rising", "discuss", trends.intensity_rising(ctx.frames, ctx.as_of)
    )


def medication_onset(ctx: _Context) -> Flag | None:
    """More episodes after a medicine started (exact conditional Poisson test)."""
    finding = trends.medication_onset(ctx.frames, ctx.as_of)
    flag = _from_finding("medication_onset", "soon", finding)
    if flag is None or finding is None:
        return None
    assert isinstance(finding, trends.MedicationFinding)
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


def short_post_exercise_burst(ctx: _Context) -> Flag | None:
    """Reassurance: a short burst after hard exercise, over, with quiet before it.

    ``evaluate`` drops it when any other flag above ``info`` is active.
    """
    e = ctx.episodes
    found = runs(e["diary_day"])
    if not found:
        return None
    run = found[-1]
    start, end = run[0], run[-1]
    exercise = _exercise_dates(ctx.frames)
    quiet_from = start - timedelta(days=T.BURST_QUIET_BEFORE_DAYS)
    if (
        (end - start).days + 1 > T.BURST_MAX_SPAN_DAYS
        or not ({start, start - timedelta(days=1)} & exercise)
        or (ctx.as_of - end).days < T.BURST_MIN_DAYS_SINCE_END
        or any(quiet_from <= d < start for d in e["diary_day"])
    ):
        return None
    if not ctx.covered("short_post_exercise_burst", quiet_from, ctx.as_of):
        return None
    return _flag(
        "short_post_exercise_burst",
        "info",
        "A short burst of twitching after hard exercise, now settled",
        f"{W.plural(int(_within(e['diary_day'], start, end).sum()), 'episode')} from {start} "
        f"to {end}, after exercise; none in the {T.BURST_QUIET_BEFORE_DAYS} days before, none "
        f"since ({(ctx.as_of - end).days} days)",
        run,
    )


#: rule id -> rule, in priority order (the order of RULES.md's checklist in the brief).
RULES: Mapping[str, Callable[[_Context], Flag | None]] = {
    "emergency_symptoms": emergency_symptoms,
    "both_legs_or_bladder": both_legs_or_bladder,
    "long_cramp": long_cramp,
    "swollen_red_calf": swollen_red_calf,
    "weakness": weakness,
    "muscle_loss": muscle_loss,
    "progressive_neuro_symptoms": progressive_neuro_symptoms,
    "continuous_twitching": continuous_twitching,
    "bulbar_twitching": bulbar_twitching,
    "family_history": family_history,
    "persistence": persistence,
    "multiple_sites": multiple_sites,
    "new_region": new_region,
    "bilateral": bilateral,
    "sensory_symptoms": sensory_symptoms,
    "sleep_disruption": sleep_disruption,
    "cold_trigger": cold_trigger,
    "frequent_painful_cramps": frequent_painful_cramps,
    "unexplained_cramps": unexplained_cramps,
    "urge_to_move_pattern": urge_to_move_pattern,
    "walking_pain": walking_pain,
    "frequency_rising": frequency_rising,
    "intensity_rising": intensity_rising,
    "medication_onset": medication_onset,
    "short_post_exercise_burst": short_post_exercise_burst,
}
IMPLEMENTED: frozenset[str] = frozenset(RULES) - NOT_IMPLEMENTED


def _rearmed_after(frames: Frames, visit: date) -> bool:
    """True when an episode or day after ``visit`` carries a symptom that re-arms review."""
    episodes = frames.episodes
    for day, symptoms in zip(episodes["local_date"], episodes["symptoms"], strict=True):
        if day > visit and symptoms & REARMING_SYMPTOMS:
            return True
    days = frames.days
    return any(
        d > visit and s & REARMING_SYMPTOMS
        for d, s in zip(days["date"], days["symptoms"], strict=True)
    )


def _reviewed(flag: Flag, visit: date, kinds: list[str]) -> Flag:
    """The flag once a doctor has seen the pattern: info, with when and what would be new."""
    return replace(
        flag,
        severity="info",
        title=f"{flag.title} (reviewed on {visit})",
        evidence=f"{flag.evidence}; reviewed on {visit}",
        guidance=reviewed_guidance(visit, kinds),
    )


def _as_of_now(flag: Flag, as_of: date) -> Flag:
    """An urgent flag whose event was days before ``as_of`` says what to do if it is still there."""
    if flag.severity != "urgent" or flag.last_date is None:
        return flag
    return replace(flag, guidance=urgent_guidance(flag.rule, flag.last_date, as_of))


def evaluate(frames: Frames, as_of: date) -> Analysis:
    """Run every rule on ``frames`` (already cut at ``as_of``) and apply the interactions."""
    ctx = _Context(frames, as_of)
    found: dict[str, Flag] = {}
    for rule, check in RULES.items():
        if rule == "short_post_exercise_burst":
            continue  # needs the others' final severities
        flag = check(ctx)
        if flag is not None:
            found[rule] = flag
    if RAISES_TRENDS & set(found) or frames.family_history():
        for rule in ("frequency_rising", "intensity_rising"):
            if rule in found:
                found[rule] = replace(found[rule], severity="soon")
    if "cold_trigger" in found and "sleep_disruption" in found:
        found["cold_trigger"] = replace(found["cold_trigger"], severity="discuss")
    visits = frames.visits
    if not visits.empty:
        visit = max(visits["date"])
        kinds = [str(k) for k in visits.loc[visits["date"] == visit, "kind"]]
        if "new_region" not in found and not _rearmed_after(frames, visit):
            for rule in REVIEWABLE & set(found):
                found[rule] = _reviewed(found[rule], visit, kinds)
    found = {rule: _as_of_now(flag, as_of) for rule, flag in found.items()}
    if all(f.rank <= _RANK["info"] for f in found.values()):
        burst = short_post_exercise_burst(ctx)
        if burst is not None:
            found[burst.rule] = burst
    order = list(RULES)
    flags = sorted(found.values(), key=lambda f: (-f.rank, order.index(f.rule)))
    return Analysis(flags=flags, not_enough_data=ctx.notes)


def analyse(frames: Frames, as_of: date) -> list[Flag]:
    """The flags for ``frames`` at ``as_of``, most severe first (ties in priority order)."""
    return evaluate(frames, as_of).flags
