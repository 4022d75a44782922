"""What each flag rule's guidance says, and the symptoms the urgent rules look for.

Light on purpose (no pandas): ``twitch log`` and ``twitch day`` check what was just stored against
the urgent rules and print the same guidance the full analysis would, without loading the analysis
stack. ``diary.analysis.flags`` takes its wording from here too, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from diary.analysis.thresholds import LONG_CRAMP_MIN_S
from diary.vocab import SITE_REGIONS

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
    "short_post_exercise_burst": (
        "Insight: twitching after intense exercise is common and usually stops in a few days or "
        "weeks.",
        _NHS_TWITCH,
    ),
}


# --- the check at entry ---------------------------------------------------------------------------

#: Body sites of the legs, for "numbness or weakness in both legs" (the lower_limb region).
LEG_SITES = frozenset(site for site, region in SITE_REGIONS.items() if region == "lower_limb")
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


def _alert(rule: str) -> Alert:
    guidance, source = GUIDANCE[rule]
    return Alert(rule, _TITLES[rule], guidance, source)


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
    duration_s: int,
    symptoms: Iterable[str],
    same_day_leg_sides: Iterable[str] = (),
) -> list[Alert]:
    """The urgent rules one new episode fires. ``same_day_leg_sides``: sides of other leg episodes
    with numbness or weakness on the same diary day (both legs = left and right, or ``both``)."""
    words = set(symptoms)
    found = []
    if _emergency(words):
        found.append(_alert("emergency_symptoms"))
    # Only this episode can make "both legs" fire now: it must be a leg with numbness or weakness.
    legs: set[str] = set()
    if body_site in LEG_SITES and words & {"numbness", "weakness"} and side:
        legs = {side, *same_day_leg_sides}
    if words & BLADDER_SYMPTOMS or "both" in legs or {"left", "right"} <= legs:
        found.append(_alert("both_legs_or_bladder"))
    if kind == "cramp" and duration_s > LONG_CRAMP_MIN_S:
        found.append(_alert("long_cramp"))
    if (
        body_site in ("calf", "thigh")
        and words & {"swelling", "redness_warmth"}
        and (kind == "cramp" or "pain" in words)
    ):
        found.append(_alert("swollen_red_calf"))
    return found


def day_alerts(symptoms: Iterable[str]) -> list[Alert]:
    """The urgent rules a day's symptoms fire (a day has no body site or side)."""
    words = set(symptoms)
    found = []
    if _emergency(words):
        found.append(_alert("emergency_symptoms"))
    if words & BLADDER_SYMPTOMS:
        found.append(_alert("both_legs_or_bladder"))
    return found
