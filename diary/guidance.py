"""What each flag rule's guidance says, and the symptoms the urgent rules look for.

Light on purpose (no pandas): ``twitch log`` and ``twitch day`` check what was just stored against
the urgent rules and print the same guidance the full analysis would, without loading the analysis
stack. ``diary.analysis.flags`` takes its wording from here too, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from diary.thresholds import LONG_CRAMP_MIN_S, URGENT_CURRENT_DAYS
from diary.vocab import LEG_SITES

SEVERITIES: tuple[str, ...] = ("info", "discuss", "soon", "urgent")
SEVERITY_RANK: Mapping[str, int] = {s: i for i, s in enumerate(SEVERITIES)}

EMERGENCY_ALWAYS = frozenset({"seizure", "loss_of_consciousness", "breathlessness", "chest_pain"})
EMERGENCY_IF_SUDDEN = frozenset(
    {"slurred_speech", "facial_droop", "arm_weakness", "difficulty_swallowing"}
)
PROGRESSIVE_IF_GRADUAL = frozenset({"slurred_speech", "difficulty_swallowing"})
PROGRESSIVE_ALWAYS = frozenset(
    {"difficulty_walking", "tripping_falls", "coordination_change", "hand_clumsiness"}
)
#: Symptoms logged after a visit that make the reviewed rules count again (tingling does not).
REARMING_SYMPTOMS = (
    frozenset({"weakness", "muscle_loss", "numbness"})
    | EMERGENCY_ALWAYS
    | EMERGENCY_IF_SUDDEN
    | PROGRESSIVE_IF_GRADUAL
    | PROGRESSIVE_ALWAYS
)
_NHS_TWITCH = "NHS — Twitching eyes and muscles"
_NHS_CRAMP = "NHS — Leg cramps"
_NICE = "NICE NG42 — Motor neurone disease: recognition and referral"
_MEDLINE = "MedlinePlus — Muscle twitching"

#: rule -> (guidance, source), after the table in RULES.md.
GUIDANCE: Mapping[str, tuple[str, str]] = {
    "emergency_symptoms": (
        "Guidance: get immediate medical help — call the emergency number for sudden face, arm or "
        "speech changes, a seizure, fainting, chest pain or breathlessness.",
        "NHS — Stroke (FAST); NHS — First seizure; MedlinePlus — Muscle twitching",
    ),
    "both_legs_or_bladder": (
        "Guidance: get medical help the same day — changes in bladder or bowel control, numbness "
        "around the buttocks, or numbness or weakness in both legs need urgent assessment.",
        "NHS — Sciatica (red flags)",
    ),
    "long_cramp": (
        "Guidance: get medical advice the same day for a cramp that lasts longer than 10 minutes.",
        _NHS_CRAMP,
    ),
    "swollen_red_calf": (
        "Guidance: get medical help the same day for a swollen, red or warm, painful calf or "
        "thigh.",
        "NHS — Deep vein thrombosis",
    ),
    "weakness": (
        "Guidance: see a doctor about muscle weakness that comes with twitching or cramps.",
        f"{_NHS_TWITCH}; {_MEDLINE}",
    ),
    "muscle_loss": (
        "Guidance: see a doctor about a muscle that looks smaller (loss of muscle size).",
        f"{_MEDLINE}; {_NHS_CRAMP}",
    ),
    "progressive_neuro_symptoms": (
        "Guidance: book a doctor's appointment in the coming days about gradual changes in speech, "
        "swallowing, walking, balance or hand use.",
        f"{_MEDLINE}; {_NICE}",
    ),
    "continuous_twitching": (
        "Guidance: see a doctor if twitches are continuous.",
        _MEDLINE,
    ),
    "bulbar_twitching": (
        "Guidance: see a doctor about twitching of the tongue, throat or jaw.",
        _NICE,
    ),
    "family_history": (
        "Guidance: tell your doctor about a family history of neurological conditions. On its own "
        "this is not a reason for alarm.",
        _MEDLINE,
    ),
    "persistence": (
        "Guidance: see a doctor if a twitch lasts more than 2 weeks.",
        _NHS_TWITCH,
    ),
    "multiple_sites": (
        "Guidance: see a doctor if twitching happens in more than one place.",
        _NHS_TWITCH,
    ),
    "new_region": (
        "Guidance: mention at your next appointment that twitching has appeared in a new area.",
        _NICE,
    ),
    "bilateral": (
        "For your doctor: the same place on both sides has been logged.",
        _MEDLINE,
    ),
    "sensory_symptoms": (
        "Guidance: see a doctor about numbness or tingling that comes with twitching or cramps.",
        f"{_MEDLINE}; {_NHS_CRAMP}",
    ),
    "sleep_disruption": (
        "Guidance: see a doctor if cramps or twitching regularly disturb your sleep.",
        _NHS_CRAMP,
    ),
    "cold_trigger": (
        "Insight: episodes came mostly with cold; keeping the muscles warm at night may help. "
        "Mention it to your doctor.",
        _MEDLINE,
    ),
    "frequent_painful_cramps": (
        "Guidance: see a doctor about cramps that are frequent and severely painful.",
        f"{_NHS_CRAMP}; Mayo Clinic — Muscle cramp",
    ),
    "unexplained_cramps": (
        "Guidance: mention at your next appointment cramps that have no obvious cause.",
        "Mayo Clinic — Muscle cramp",
    ),
    "urge_to_move_pattern": (
        "Guidance: mention at your next appointment an evening urge to move that moving relieves.",
        _MEDLINE,
    ),
    "walking_pain": (
        "Guidance: see a doctor about leg pain or cramps that come on with walking and ease "
        "with rest.",
        "Merck Manual — Muscle cramps",
    ),
    "frequency_rising": (
        "Guidance: twitches that become more frequent are worth discussing with a doctor "
        "(a neurologist's advice to patients: if the frequency increases, consult a doctor).",
        f"{_MEDLINE}; patient guides",
    ),
    "intensity_rising": (
        "Guidance: if symptoms persist or get worse, discuss them with a doctor.",
        f"{_MEDLINE}; patient guides",
    ),
    "medication_onset": (
        "Guidance: a new medicine can sometimes cause cramps or twitching; discuss it with the "
        "doctor who prescribed it. Do not stop a prescribed medicine without medical advice.",
        "NHS — Twitching eyes and muscles; Merck Manual — Muscle cramps",
    ),
    "strength_change": (
        "Guidance: see a doctor about strength that has fallen on your own checks, or a walk "
        "that no longer works: weakness that comes with twitching should be examined.",
        f"{_NHS_TWITCH}; {_MEDLINE}",
    ),
    "strength_steady": (
        "Insight: your own strength checks held steady. They do not replace an examination: see a "
        "doctor about any new weakness.",
        f"{_NHS_TWITCH}; the tests after Lunsford & Perry 1995 and Rikli & Jones 2013",
    ),
    "short_post_exercise_burst": (
        "Insight: twitching after intense exercise is common and usually stops in a few days or "
        "weeks.",
        _NHS_TWITCH,
    ),
}


#: rule -> the pattern's name as people read it (where a rule id would otherwise show).
RULE_NAMES: Mapping[str, str] = {
    "emergency_symptoms": "Symptoms that need immediate attention",
    "both_legs_or_bladder": "Both legs, or bladder or bowel changes",
    "long_cramp": "A cramp longer than 10 minutes",
    "swollen_red_calf": "A swollen or red, painful calf or thigh",
    "weakness": "Weakness",
    "muscle_loss": "Loss of muscle size",
    "progressive_neuro_symptoms": "Gradual changes in movement, speech or swallowing",
    "continuous_twitching": "Twitching for 30 minutes or more",
    "bulbar_twitching": "Twitching of the tongue, throat or jaw",
    "family_history": "Family history",
    "persistence": "Twitching that lasts",
    "multiple_sites": "Twitching in several places",
    "new_region": "Twitching in a new area of the body",
    "bilateral": "The same place on both sides",
    "sensory_symptoms": "Numbness or tingling in the same limb",
    "sleep_disruption": "Sleep disturbed by episodes",
    "cold_trigger": "Episodes with cold",
    "frequent_painful_cramps": "Frequent, painful cramps",
    "unexplained_cramps": "Cramps without an obvious cause",
    "urge_to_move_pattern": "An evening urge to move",
    "walking_pain": "Leg pain or cramps while walking",
    "frequency_rising": "Twitches more frequent",
    "intensity_rising": "Twitches stronger",
    "medication_onset": "More episodes after a new medicine",
    "strength_change": "Strength fell on your own checks",
    "strength_steady": "Strength steady on your own checks",
    "short_post_exercise_burst": "A short burst after hard exercise",
}

_VISIT_KINDS = {
    "gp": "GP",
    "neurologist": "neurologist",
    "physiotherapist": "physiotherapist",
    "urgent_care": "urgent care",
    "emergency": "emergency",
}


def reviewed_guidance(visit: date, kinds: Iterable[str] = ()) -> str:
    """The guidance of a pattern a doctor has seen: when, and what would be new (what re-arms it).

    The "see a doctor if …" of the unreviewed pattern no longer applies: the visit happened. What
    makes the rule count again is RULES.md's list (a new area, or weakness, muscle loss, numbness,
    or the urgent and progressive symptoms logged after the visit).
    """
    named = sorted({_VISIT_KINDS[k] for k in kinds if k in _VISIT_KINDS})
    where = f"the {' and '.join(named)} visit" if named else "a visit"
    return (
        f"Reviewed at {where} on {visit}; follow what was advised there. What would be new "
        "after that visit: twitching in a new area of the body, or weakness, loss of muscle size, "
        "numbness, or changes in speech, swallowing, walking, balance, coordination or hand use "
        "— if you log any of these, the diary flags them again."
    )


#: For an urgent event logged days before today: what to do if it is still present, and if not.
_PAST_URGENT: Mapping[str, str] = {
    "emergency_symptoms": (
        "Guidance: these were logged on {day}. If any of them is still present or comes back, get "
        "immediate medical help — call the emergency number. If they have passed, still get "
        "urgent medical advice (a same-day appointment or a medical helpline): sudden face, arm "
        "or speech changes, a seizure, fainting, chest pain or breathlessness need checking even "
        "after they stop."
    ),
    "both_legs_or_bladder": (
        "Guidance: these were logged on {day}. If they are still present, get medical help the "
        "same day — changes in bladder or bowel control, numbness around the buttocks or groin, "
        "or numbness or weakness in both legs need urgent assessment. If they have passed, book "
        "an urgent appointment to have them checked."
    ),
    "long_cramp": (
        "Guidance: the cramp was on {day}. If the leg is still painful, or a cramp longer than 10 "
        "minutes comes back, get medical advice the same day; if it has settled, book a doctor's "
        "appointment to mention it."
    ),
    "swollen_red_calf": (
        "Guidance: this was logged on {day}. If the calf or thigh is still swollen, red or warm, "
        "or painful, get medical help the same day; if it has fully settled, mention it to a "
        "doctor soon."
    ),
}


def urgent_guidance(rule: str, event_day: date, today: date) -> str:
    """An urgent rule's guidance for an event on ``event_day``, read on ``today``.

    Up to ``URGENT_CURRENT_DAYS`` days back (a night cramp belongs to the previous diary day) the
    event is current and the same-day guidance stands; older, the guidance says what to do if it
    is still present, rather than asking for help "today" for something that may have passed.
    """
    guidance, _ = GUIDANCE[rule]
    if rule not in _PAST_URGENT or (today - event_day).days <= URGENT_CURRENT_DAYS:
        return guidance
    return _PAST_URGENT[rule].format(day=event_day.isoformat())


# --- the check at entry ---------------------------------------------------------------------------

#: Body sites of the legs, for "numbness or weakness in both legs" (the lower_limb region).
BLADDER_SYMPTOMS = frozenset({"saddle_numbness", "bladder_bowel_change"})


class Alert:
    """An urgent rule that what was just stored makes fire, with the guidance to show at once.

    A plain class rather than a dataclass: ``dataclasses`` costs ~10 ms to import on the path
    that must feel instant.
    """

    __slots__ = ("guidance", "rule", "source", "title")

    def __init__(self, rule: str, title: str, guidance: str, source: str) -> None:
        self.rule = rule
        self.title = title
        self.guidance = guidance
        self.source = source

    def __repr__(self) -> str:
        return f"Alert({self.rule!r})"

    def lines(self) -> list[str]:
        """How the command line shows it: calm, clear, once."""
        return [f"Important — {self.title}.", f"  {self.guidance}", f"  Source: {self.source}"]


_TITLES = {
    "emergency_symptoms": "you logged a symptom that needs immediate attention",
    "both_legs_or_bladder": "you logged a symptom that needs medical help today",
    "long_cramp": "a cramp that lasts longer than 10 minutes needs medical advice today",
    "swollen_red_calf": "a swollen, red or warm, painful calf or thigh needs medical help today",
}


#: The same, for an event logged days after it happened (``URGENT_CURRENT_DAYS``).
_PAST_TITLES = {
    "emergency_symptoms": "you logged a symptom that needs immediate attention",
    "both_legs_or_bladder": "you logged a symptom that needs urgent assessment",
    "long_cramp": "you logged a cramp that lasted longer than 10 minutes",
    "swollen_red_calf": "you logged a swollen, red or warm, painful calf or thigh",
}


def _alert(rule: str, event_day: date | None = None, today: date | None = None) -> Alert:
    guidance, source = GUIDANCE[rule]
    if event_day is None or today is None or (today - event_day).days <= URGENT_CURRENT_DAYS:
        return Alert(rule, _TITLES[rule], guidance, source)
    return Alert(rule, _PAST_TITLES[rule], urgent_guidance(rule, event_day, today), source)


def is_gradual(symptoms: Iterable[str]) -> bool:
    """Onset stated as gradual (and not also as sudden); no onset given counts as sudden."""
    words = set(symptoms)
    return "gradual_onset" in words and "sudden_onset" not in words


def _emergency(symptoms: set[str]) -> bool:
    return bool(symptoms & EMERGENCY_ALWAYS) or (
        bool(symptoms & EMERGENCY_IF_SUDDEN) and not is_gradual(symptoms)
    )


def episode_alerts(
    *,
    kind: str,
    body_site: str,
    side: str | None,
    duration_s: int | None,
    symptoms: Iterable[str],
    same_day_leg_sides: Iterable[str] = (),
    event_day: date | None = None,
    today: date | None = None,
) -> list[Alert]:
    """The urgent rules one new episode fires. ``same_day_leg_sides``: sides of other leg episodes
    with numbness or weakness on the same diary day (both legs = left and right, or ``both``).

    With ``event_day`` (the episode's diary day) and ``today``, an episode logged days after it
    happened gets the guidance for "if it is still present" instead of "today". A duration not
    given (None) is unknown: it never makes a cramp "long".
    """
    words = set(symptoms)
    found = []
    when = {"event_day": event_day, "today": today}
    if _emergency(words):
        found.append(_alert("emergency_symptoms", **when))
    # Only this episode can make "both legs" fire now: it must be a leg with numbness or weakness.
    legs: set[str] = set()
    if body_site in LEG_SITES and words & {"numbness", "weakness"} and side:
        legs = {side, *same_day_leg_sides}
    if words & BLADDER_SYMPTOMS or "both" in legs or {"left", "right"} <= legs:
        found.append(_alert("both_legs_or_bladder", **when))
    if kind == "cramp" and duration_s is not None and duration_s > LONG_CRAMP_MIN_S:
        found.append(_alert("long_cramp", **when))
    if (
        body_site in ("calf", "thigh")
        and words & {"swelling", "redness_warmth"}
        and (kind == "cramp" or "pain" in words)
    ):
        found.append(_alert("swollen_red_calf", **when))
    return found


def day_alerts(
    symptoms: Iterable[str], event_day: date | None = None, today: date | None = None
) -> list[Alert]:
    """The urgent rules a day's symptoms fire (a day has no body site or side); ``event_day`` and
    ``today`` as for ``episode_alerts``."""
    words = set(symptoms)
    found = []
    if _emergency(words):
        found.append(_alert("emergency_symptoms", event_day, today))
    if words & BLADDER_SYMPTOMS:
        found.append(_alert("both_legs_or_bladder", event_day, today))
    return found


#: What each severity asks of the person, as the heading over its flags (CLI and app alike).
HEADINGS: Mapping[str, str] = {
    "urgent": "Get medical help today",
    "soon": "Book a doctor's appointment in the coming days",
    "discuss": "Worth discussing at your next appointment",
    "info": "For your information",
}
#: The urgent heading when every urgent event was days ago: its guidance says what to do if it is
#: still present, so the heading must not ask for help "today" either.
URGENT_PAST_HEADING = "Needs medical attention — what to do if it is still present"


def severity_heading(severity: str, last_dates: Iterable[date | None], as_of: date) -> str:
    """The heading over the flags of one severity, given their last dates (urgent depends on how
    recent the events are)."""
    dates = list(last_dates)
    if (
        severity == "urgent"
        and dates
        and all(d is not None and (as_of - d).days > URGENT_CURRENT_DAYS for d in dates)
    ):
        return URGENT_PAST_HEADING
    return HEADINGS[severity]
