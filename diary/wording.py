"""The words every front end uses: vocabulary ids, durations, dates, plurals, unknown values.

One module for the command line, the TUI, the flags and the report, so that a duration reads the
same everywhere ("1 h 30 min", never "90 min" here and "1m30s" there) and an unknown value is
always "—". Flags are read by a worried person at home: they must say "redness or warmth", "both
calves" and "10 min 1 s", never ``redness_warmth``, "both calfs" or a duration rounded down below
the threshold it crossed. Standard library only: the quick-logging path uses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

#: How a value the person never gave is shown (intensity, duration, side): unknown, not 0.
UNKNOWN = "—"

#: Symptom and context ids whose words differ from the id with spaces.
_WORDS = {
    "redness_warmth": "redness or warmth",
    "muscle_loss": "loss of muscle size",
    "tripping_falls": "tripping or falls",
    "coordination_change": "a change in coordination",
    "hand_clumsiness": "clumsy hands",
    "loss_of_consciousness": "loss of consciousness",
    "saddle_numbness": "numbness around the buttocks or groin",
    "bladder_bowel_change": "a change in bladder or bowel control",
    "sudden_onset": "sudden onset",
    "gradual_onset": "gradual onset",
    "upper_arm": "upper arm",
    "back_pain": "back pain",
}
#: Plurals that are not the word plus "s".
_PLURALS = {"calf": "calves", "foot": "feet", "other": "other places"}
#: Regions as people name them (the analysis groups sites by region, RULES.md).
_REGIONS = {
    "eyelid": "eyelid",
    "head": "face or lips",
    "bulbar": "tongue, throat or jaw",
    "upper_limb": "arm or hand",
    "trunk": "neck, chest, belly, back or buttocks",
    "lower_limb": "leg or foot",
    "other": "another place",
}


def word(vocab_id: str) -> str:
    """A symptom, context or site id in plain words (``redness_warmth`` -> "redness or warmth")."""
    return _WORDS.get(vocab_id, vocab_id.replace("_", " "))


def words(vocab_ids: Iterable[str]) -> str:
    """Several ids in plain words, sorted and joined: "pain, redness or warmth and swelling"."""
    return joined(sorted(word(w) for w in vocab_ids))


def joined(items: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: a list as a sentence says it."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def site_plural(site: str) -> str:
    """The plural of a body site: calf -> calves, foot -> feet, upper_arm -> upper arms."""
    return _PLURALS.get(site, f"{word(site)}s")


def region(region_id: str) -> str:
    """A region in plain words: ``bulbar`` -> "tongue, throat or jaw", ``lower_limb`` -> "leg or
    foot"."""
    return _REGIONS.get(region_id, word(region_id))


def location(site: str, side: object) -> str:
    """A site with its side, e.g. "calf (left)"; the site alone when no side was given."""
    return f"{word(site)} ({side})" if isinstance(side, str) and side else word(site)


def known(value: object) -> str:
    """A stored value as text, ``UNKNOWN`` when it was never given."""
    return UNKNOWN if value is None or value == "" else str(value)


def duration(seconds: float | None) -> str:
    """A duration to the second, never rounded across a threshold: 601 -> "10 min 1 s".

    ``None`` (never given) is ``—``; a stored 0 stays "0 s": it was given.
    """
    if seconds is None:
        return UNKNOWN
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    if minutes:
        parts.append(f"{minutes} min")
    if secs or not parts:
        parts.append(f"{secs} s")
    return " ".join(parts)


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``n`` with its noun: "1 day", "2 days" (``many`` for irregular nouns)."""
    return f"{n} {noun if n == 1 else many or noun + 's'}"


def split_set(stored: str | None) -> list[str]:
    """A stored set (``weakness;numbness``) as its words; empty or NULL is no words."""
    return [w for w in (stored or "").split(";") if w]


def stored_words(stored: str | None) -> str:
    """A stored set in plain words: ``weakness, redness or warmth`` (never a raw id)."""
    return ", ".join(word(w) for w in split_set(stored))


def format_when(moment: datetime) -> str:
    """A local time as people read it, with its UTC offset: ``Sun 22 Nov 2026 14:03 (+01:00)``."""
    offset = moment.strftime("%z")
    return f"{moment.strftime('%a %d %b %Y %H:%M')} ({offset[:3]}:{offset[3:]})"


def format_date(day: date) -> str:
    """``Sun 22 Nov 2026``."""
    return day.strftime("%a %d %b %Y")
