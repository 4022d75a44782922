"""The red-flag rules: symptoms the guidance asks a doctor to see soon, or at once.

Most read only the symptoms logged with episodes or on days, or answered yes on a weekly check
(``Context.symptom_dates``); the evidence says which days were weekly checks. A
sudden neurological symptom is urgent, the same symptom with a gradual onset is "soon". Also here:
twitching of the tongue, throat or jaw, and a family history (information, never an alarm alone).
"""

from __future__ import annotations

from datetime import date

from diary import thresholds as T
from diary import wording as W
from diary.analysis.flags.context import Context, gradual, weekly_yes
from diary.analysis.flags.model import Flag, make_flag
from diary.guidance import (
    EMERGENCY_ALWAYS,
    EMERGENCY_IF_SUDDEN,
    PROGRESSIVE_ALWAYS,
    PROGRESSIVE_IF_GRADUAL,
)


def _logged_symptoms(
    ctx: Context,
    rule: str,
    severity: str,
    title: str,
    words: tuple[frozenset[str], frozenset[str], bool],
    on: str,
) -> Flag | None:
    """The flag of a rule about symptoms: ``words`` is (the symptoms that always count, those
    that count only with one onset, and whether that onset is gradual); the evidence names them
    and says how many days they were logged ``on``."""
    always, by_onset, onset_gradual = words

    def counted(symptoms: frozenset[str]) -> frozenset[str]:
        if gradual(symptoms) == onset_gradual:
            return symptoms & (always | by_onset)
        return symptoms & always

    found: set[str] = set()
    dates: list[date] = []
    for symptoms, days in ctx.symptom_dates.items():
        logged = counted(symptoms)
        if logged:
            found |= logged
            dates.extend(days)
    if not found:
        return None
    named = ", ".join(sorted({W.word(w) for w in found}))
    checked = weekly_yes(day for day, symptoms in ctx.sign_symptoms if counted(symptoms))
    return make_flag(
        rule,
        severity,
        title,
        f"{named} — {on} {W.plural(len(set(dates)), 'day')}, latest {max(dates)}"
        + (f"; {checked}" if checked else ""),
        dates,
    )


def emergency_symptoms(ctx: Context) -> Flag | None:
    """Seizure, fainting, breathlessness, chest pain; or sudden (or unstated) FAST-type symptoms."""
    return _logged_symptoms(
        ctx,
        "emergency_symptoms",
        "urgent",
        "Symptoms that need immediate attention were logged",
        (EMERGENCY_ALWAYS, EMERGENCY_IF_SUDDEN, False),
        "logged on",
    )


def both_legs_or_bladder(ctx: Context) -> Flag | None:
    """Saddle numbness, bladder/bowel change, or numbness/weakness in both legs the same day."""
    dates: list[date] = []
    found: set[str] = set()
    for symptoms, days in ctx.symptom_dates.items():
        words = symptoms & {"saddle_numbness", "bladder_bowel_change"}
        if words:
            dates.extend(days)
            found |= words
    ix = ctx.index
    legs = ctx.episodes[ix.region.isin(["lower_limb"]) & ix.symptoms.has({"numbness", "weakness"})]
    for day, group in legs.groupby("diary_day"):
        sides = set(group["side"].dropna())
        if "both" in sides or {"left", "right"} <= sides:
            dates.append(day)
            found.add("numbness or weakness in both legs")
    if not dates:
        return None
    return make_flag(
        "both_legs_or_bladder",
        "urgent",
        "Both legs, or bladder/bowel changes, were logged",
        f"{', '.join(sorted(W.word(w) for w in found))} — latest {max(dates)}",
        dates,
    )


def _symptom_rule(ctx: Context, rule: str, word: str, title: str) -> Flag | None:
    """``word`` logged on at least one day: soon, with the first and latest day."""
    dates = [d for s, days in ctx.symptom_dates.items() if word in s for d in days]
    if not dates:
        return None
    distinct = sorted(set(dates))
    checked = weekly_yes(day for day, symptoms in ctx.sign_symptoms if word in symptoms)
    return make_flag(
        rule,
        "soon",
        title,
        f"{W.word(word)} logged on {W.plural(len(distinct), 'day')}: "
        f"first {distinct[0]}, latest {distinct[-1]}" + (f"; {checked}" if checked else ""),
        distinct,
    )


def weakness(ctx: Context) -> Flag | None:
    """``weakness`` logged on at least one day (on an episode or on the day)."""
    return _symptom_rule(ctx, "weakness", "weakness", "Weakness was logged")


def muscle_loss(ctx: Context) -> Flag | None:
    """``muscle_loss`` logged at least once."""
    return _symptom_rule(ctx, "muscle_loss", "muscle_loss", "Loss of muscle size was logged")


def progressive_neuro_symptoms(ctx: Context) -> Flag | None:
    """Gradual speech/swallowing changes, or walking, falls, coordination or hand-use changes."""
    return _logged_symptoms(
        ctx,
        "progressive_neuro_symptoms",
        "soon",
        "Gradual changes in movement, speech or swallowing were logged",
        (PROGRESSIVE_ALWAYS, PROGRESSIVE_IF_GRADUAL, True),
        "on",
    )


def bulbar_twitching(ctx: Context) -> Flag | None:
    """F-episodes at the tongue, throat or jaw on at least 2 days."""
    bulbar = ctx.episodes[ctx.index.f & ctx.index.region.isin(["bulbar"])]
    days = sorted(set(bulbar["diary_day"]))
    if len(days) < T.BULBAR_MIN_DAYS:
        return None
    sites = W.joined(s for s in ("tongue", "throat", "jaw") if s in set(bulbar["body_site"]))
    return make_flag(
        "bulbar_twitching",
        "soon",
        f"Twitching of the {sites} on {len(days)} days",
        f"{sites}: {W.plural(len(bulbar), 'episode')} on {len(days)} days, first {days[0]}, "
        f"latest {days[-1]}",
        days,
    )


def family_history(ctx: Context) -> Flag | None:
    """The profile lists a neurological condition in the family (never an alarm on its own)."""
    listed = ctx.frames.family_history()
    if not listed:
        return None
    return make_flag(
        "family_history",
        "info",
        "Family history noted",
        # The condition itself stays in the profile: a flag never names a disease.
        f"the profile lists {W.plural(len(listed), 'neurological condition')} in the family",
        [],
    )
