"""The diary's vocabularies: every word the app stores, and how to look up what people type.

One module so that the command line, the CSV import, the TUI and the analysis all agree on what
"calf" or "tingly" means. Lookups are case-insensitive and treat spaces, hyphens and underscores
alike (``Upper arm`` = ``upper-arm`` = ``upper_arm``). This module imports nothing heavy: it sits on
the quick-logging path.

Regions follow the flag rules (``shared/RULES.md``): eyelid twitching is kept apart from the rest of
the head because it is very common and almost always benign; tongue, throat and jaw form the bulbar
region that the guidance singles out.
"""

from __future__ import annotations

from collections.abc import Mapping

from diary.synonyms import SYNONYMS
from diary.wording import word

#: body site -> region (the order is the order shown to people: head to toe).
SITE_REGIONS: Mapping[str, str] = {
    "eyelid": "eyelid",
    "face": "head",
    "lip": "head",
    "tongue": "bulbar",
    "jaw": "bulbar",
    "throat": "bulbar",
    "neck": "trunk",
    "shoulder": "upper_limb",
    "upper_arm": "upper_limb",
    "forearm": "upper_limb",
    "hand": "upper_limb",
    "finger": "upper_limb",
    "chest": "trunk",
    "abdomen": "trunk",
    "back": "trunk",
    "buttock": "trunk",
    "thigh": "lower_limb",
    "hamstring": "lower_limb",
    "knee": "lower_limb",
    "calf": "lower_limb",
    "shin": "lower_limb",
    "ankle": "lower_limb",
    "foot": "lower_limb",
    "toe": "lower_limb",
    "other": "other",
}
BODY_SITES: tuple[str, ...] = tuple(SITE_REGIONS)
#: The sites of the legs: one-sided leg numbness or weakness is a red flag of its own (RULES.md).
LEG_SITES = frozenset(site for site, region in SITE_REGIONS.items() if region == "lower_limb")
REGIONS: tuple[str, ...] = (
    "eyelid",
    "head",
    "bulbar",
    "upper_limb",
    "trunk",
    "lower_limb",
    "other",
)

SIDES: tuple[str, ...] = ("left", "right", "both", "midline")

#: twitch, spasm and jerk count as fasciculation-like ("F") episodes; cramp is its own ("C").
KINDS: tuple[str, ...] = ("twitch", "cramp", "spasm", "jerk")
KIND_DESCRIPTIONS: Mapping[str, str] = {
    "twitch": "a small, brief flicker of part of a muscle, often visible under the skin",
    "cramp": "a sudden, painful tightening of a whole muscle that lasts seconds to minutes",
    "spasm": "a stronger involuntary contraction of a muscle, longer than a twitch",
    "jerk": "a sudden jump of a limb or the body, as when falling asleep",
}

SYMPTOMS: tuple[str, ...] = (
    "weakness",
    "numbness",
    "tingling",
    "pain",
    "muscle_loss",
    "difficulty_walking",
    "tripping_falls",
    "coordination_change",
    "hand_clumsiness",
    "slurred_speech",
    "facial_droop",
    "arm_weakness",
    "difficulty_swallowing",
    "seizure",
    "loss_of_consciousness",
    "breathlessness",
    "chest_pain",
    "swelling",
    "redness_warmth",
    "discoloration",
    "saddle_numbness",
    "bladder_bowel_change",
    "back_pain",
    "sudden_onset",
    "gradual_onset",
)

CONTEXTS: tuple[str, ...] = (
    "rest",
    "sitting",
    "standing",
    "while_walking",
    "after_exercise",
    "during_sleep",
    "sleep_disrupted",
    "cold_exposure",
    "stressed",
    "urge_to_move",
    "relieved_by_movement",
    "not_relieved_by_movement",
    "relieved_by_warmth",
    "relieved_by_rest",
)

EXERCISE_INTENSITIES: tuple[str, ...] = ("none", "light", "moderate", "vigorous")

DRUG_CLASSES: tuple[str, ...] = (
    "diuretic",
    "corticosteroid",
    "beta_agonist",
    "antipsychotic",
    "statin",
    "stimulant",
    "calcium_channel_blocker",
    "supplement",
    "other",
)

VISIT_KINDS: tuple[str, ...] = (
    "gp",
    "neurologist",
    "physiotherapist",
    "urgent_care",
    "emergency",
    "other",
)
VISIT_TESTS: tuple[str, ...] = (
    "blood_test",
    "electrolytes",
    "thyroid",
    "ck",
    "vitamin_d",
    "emg",
    "ncs",
    "mri",
    "other",
)

FAMILY_HISTORY: tuple[str, ...] = (
    "als",
    "ms",
    "muscular_dystrophy",
    "huntingtons",
    "parkinsons",
    "epilepsy",
    "other",
)

#: The weekly warning-sign check: sign -> its yes/no question about the past week. A sign left
#: unanswered is "not asked", never "no" (the report and the flags keep the two apart).
SIGN_QUESTIONS: Mapping[str, str] = {
    "weakness": "Weakness in an arm, hand, leg or foot",
    "clumsiness": "Loss of dexterity or clumsiness (dropping things, fiddly buttons)",
    "tripping_falls": "Tripping or falls",
    "slurred_speech": "Slurred speech",
    "difficulty_swallowing": "Difficulty swallowing",
    "muscle_loss": "A muscle that looks smaller (visible muscle loss)",
    "numbness": "Numbness",
    "tingling": "Tingling or pins and needles",
    "spreading": "Twitching that has spread to new places",
    "night_cramps": "Cramps that woke you",
    "breathlessness": "Breathlessness",
}
SIGNS: tuple[str, ...] = tuple(SIGN_QUESTIONS)
#: sign -> the symptom whose flag a "yes" raises. ``spreading`` and ``night_cramps`` have rules
#: of their own (new_region, sleep_disruption), so they map to no symptom.
SIGN_SYMPTOMS: Mapping[str, str] = {
    "weakness": "weakness",
    "clumsiness": "hand_clumsiness",
    "tripping_falls": "tripping_falls",
    "slurred_speech": "slurred_speech",
    "difficulty_swallowing": "difficulty_swallowing",
    "muscle_loss": "muscle_loss",
    "numbness": "numbness",
    "tingling": "tingling",
    "breathlessness": "breathlessness",
}

#: Profile keys the app knows; anything else is refused so a typo cannot hide data.
PROFILE_KEYS: tuple[str, ...] = ("name", "birth_year", "family_history", "onset")

VOCABULARIES: Mapping[str, tuple[str, ...]] = {
    "body_site": BODY_SITES,
    "side": SIDES,
    "kind": KINDS,
    "symptom": SYMPTOMS,
    "context": CONTEXTS,
    "exercise_intensity": EXERCISE_INTENSITIES,
    "drug_class": DRUG_CLASSES,
    "visit_kind": VISIT_KINDS,
    "test": VISIT_TESTS,
    "family_history": FAMILY_HISTORY,
}


def normalise(text: str) -> str:
    """Fold case, apostrophes, spaces and hyphens so that people's spellings meet the vocabulary."""
    folded = text.strip().lower().replace("'", "").replace("’", "")
    return "_".join(folded.replace("-", " ").replace("_", " ").split())


def lookup(vocabulary: str, text: str) -> str | None:
    """The canonical word for ``text`` in ``vocabulary``, or None when it is not a known word.

    The plain words a message shows (``label``: "redness or warmth") are accepted too.
    """
    key = normalise(text)
    if key in VOCABULARIES[vocabulary]:
        return key
    return SYNONYMS.get(vocabulary, {}).get(key) or _labels(vocabulary).get(key)


def _labels(vocabulary: str) -> dict[str, str]:
    """normalised label -> word, for the words whose label is not just the id with spaces."""
    found = _LABELS.get(vocabulary)
    if found is None:
        found = _LABELS[vocabulary] = {normalise(word(w)): w for w in VOCABULARIES[vocabulary]}
    return found


_LABELS: dict[str, dict[str, str]] = {}

#: Vocabularies longer than this are not listed whole in a message: a few close words instead.
SHORT_LIST = 10
#: What a message offers when nothing typed is close: the commonest words of long vocabularies.
COMMON: Mapping[str, tuple[str, ...]] = {
    "body_site": ("calf", "eyelid", "thigh", "foot", "hand", "upper_arm", "other"),
    "symptom": ("weakness", "numbness", "tingling", "pain"),
    "context": ("rest", "after_exercise", "during_sleep", "stressed"),
}


def suggestions(vocabulary: str, text: str, limit: int = 3) -> list[str]:
    """Words of ``vocabulary`` close to what was typed (misspelt, or the start of a word).

    Synonyms and labels count as spellings of their word, so ``calff`` and ``calvs`` both
    suggest calf.
    """
    import difflib

    key = normalise(text)
    spellings: dict[str, str] = {w: w for w in VOCABULARIES[vocabulary]}
    spellings.update(SYNONYMS.get(vocabulary, {}))
    spellings.update(_labels(vocabulary))
    found: list[str] = []
    starts = [w for s, w in spellings.items() if len(key) >= 2 and s.startswith(key)]
    close = difflib.get_close_matches(key, list(spellings), n=limit * 2, cutoff=0.7)
    for found_word in [*starts, *(spellings[c] for c in close)]:
        if found_word not in found:
            found.append(found_word)
    return found[:limit]


def region_of(body_site: str) -> str:
    """The region a (canonical) body site belongs to, as the flag rules define regions."""
    return SITE_REGIONS[body_site]
