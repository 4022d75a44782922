"""Every flag rule in priority order, how the rules change each other, and ``evaluate``.

Each rule reads the ``Context`` and returns at most one flag, so "one flag per rule, at its
highest severity" holds by construction. RULES.md's interactions are applied afterwards: a
doctor's visit downgrades the reviewable patterns (unless something new re-arms them), the trend
rules rise alongside the neurological ones, ``cold_trigger`` rises with disturbed sleep, an
urgent event days ago asks "if it is still present", and the reassurance needs every other rule
silent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date

from diary.analysis.flags import cramps, persistence, red_flags, spread, strength
from diary.analysis.flags.context import Context, sign_symptoms
from diary.analysis.flags.model import Analysis, Flag
from diary.analysis.frames import Frames
from diary.guidance import REARMING_SYMPTOMS, SEVERITY_RANK, reviewed_guidance, urgent_guidance

#: rule id -> rule, in priority order (the order of RULES.md's checklist in the brief).
RULES: Mapping[str, Callable[[Context], Flag | None]] = {
    "emergency_symptoms": red_flags.emergency_symptoms,
    "both_legs_or_bladder": red_flags.both_legs_or_bladder,
    "long_cramp": cramps.long_cramp,
    "swollen_red_calf": cramps.swollen_red_calf,
    "weakness": red_flags.weakness,
    "muscle_loss": red_flags.muscle_loss,
    "strength_change": strength.strength_change,
    "progressive_neuro_symptoms": red_flags.progressive_neuro_symptoms,
    "continuous_twitching": persistence.continuous_twitching,
    "bulbar_twitching": red_flags.bulbar_twitching,
    "family_history": red_flags.family_history,
    "persistence": persistence.persistence,
    "multiple_sites": spread.multiple_sites,
    "new_region": spread.new_region,
    "bilateral": spread.bilateral,
    "sensory_symptoms": spread.sensory_symptoms,
    "sleep_disruption": cramps.sleep_disruption,
    "cold_trigger": cramps.cold_trigger,
    "frequent_painful_cramps": cramps.frequent_painful_cramps,
    "unexplained_cramps": cramps.unexplained_cramps,
    "urge_to_move_pattern": cramps.urge_to_move_pattern,
    "walking_pain": cramps.walking_pain,
    "frequency_rising": persistence.frequency_rising,
    "intensity_rising": persistence.intensity_rising,
    "medication_onset": persistence.medication_onset,
    "strength_steady": strength.strength_steady,
    "short_post_exercise_burst": persistence.short_post_exercise_burst,
}
#: Rules that drop to info once a doctor has seen the pattern (unless re-armed).
REVIEWABLE = frozenset(
    {"persistence", "multiple_sites", "bilateral", "frequency_rising", "intensity_rising"}
)
#: When any of these fire (or the profile lists a family history), the trend rules rise to soon.
RAISES_TRENDS = frozenset(
    {
        "new_region",
        "bulbar_twitching",
        "weakness",
        "muscle_loss",
        "strength_change",
        "progressive_neuro_symptoms",
    }
)


def _rearmed_after(frames: Frames, visit: date) -> bool:
    """True when an episode, a day or a weekly check ("yes") after ``visit`` carries a symptom
    that re-arms review."""
    ix = frames.index
    if (ix.symptoms.has(REARMING_SYMPTOMS) & (ix.local_day > visit.toordinal())).any():
        return True
    days = frames.days
    if any(
        d > visit and s & REARMING_SYMPTOMS
        for d, s in zip(days["date"], days["symptoms"], strict=True)
    ):
        return True
    return any(d > visit and s & REARMING_SYMPTOMS for d, s in sign_symptoms(frames))


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
    ctx = Context(frames, as_of)
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
    if all(f.rank <= SEVERITY_RANK["info"] for f in found.values()):
        burst = persistence.short_post_exercise_burst(ctx)
        if burst is not None:
            found[burst.rule] = burst
    order = list(RULES)
    flags = sorted(found.values(), key=lambda f: (-f.rank, order.index(f.rule)))
    return Analysis(flags=flags, not_enough_data=ctx.notes)


def analyse(frames: Frames, as_of: date) -> list[Flag]:
    """The flags for ``frames`` at ``as_of``, most severe first (ties in priority order)."""
    return evaluate(frames, as_of).flags
