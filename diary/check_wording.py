"""The words of the three self-checks: how to do each strength test safely, each check in a line.

The command line (``twitch strength --how``, ``twitch checks``) and the terminal app's Checks
screen explain a test and describe a stored check in the same words, so a person who uses both
reads one set of instructions. Plain text from plain values: no database, no terminal.

What was not asked or not done is never worded as "no" or as a failure: it reads "—" or is left
out.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

from diary.wording import UNKNOWN, joined, plural, site_plural, word

#: Said once, before any test: how to keep the tests safe.
SAFETY = (
    "Keep a hand on a wall, a worktop or a sturdy chair for balance, wear flat shoes or go "
    "barefoot on a non-slip floor, and stop at once if anything hurts. Skip a test you cannot do "
    "safely: a test left out stays unknown."
)

#: test -> (its name, how to do it): short enough for two lines of an 80-column form.
STRENGTH_TESTS: Mapping[str, tuple[str, str]] = {
    "heel_raises": (
        "Single-leg heel raises (each side)",
        "Stand on one foot, fingertips on the wall for balance; rise fully, one every 2 seconds, "
        "until you can no longer rise as high. Then the other side.",
    ),
    "heel_walk": (
        "Heel walk (each side)",
        "Walk 10 steps on your heels beside the wall, toes off the floor. A side passes if its "
        "toes stay up for all 10 steps.",
    ),
    "toe_walk": (
        "Toe walk (each side)",
        "Walk 10 steps on tiptoe beside the wall, heels off the floor. A side passes if its heel "
        "stays up for all 10 steps.",
    ),
    "chair_stands": (
        "30-second chair stand",
        "Sit on a chair against the wall, arms crossed on your chest; stand up fully and sit down "
        "as often as you can: the full stands in 30 seconds.",
    ),
    "grip": (
        "Grip (only with a grip dynamometer)",
        "Sit, elbow by your side and bent at a right angle, and squeeze as hard as you can for a "
        "few seconds. The best of 3 tries per hand.",
    ),
}

#: How to sit for a timed count, so that counts from week to week can be compared.
COUNT_HOW = (
    "Sit or lie still with the muscle relaxed, and count only the twitches you feel or see in "
    "that one muscle. The same muscle, position and time of day each time make counts comparable."
)


def how_to_text(width: int = 94) -> str:
    """Every strength test with how to do it safely, wrapped for a terminal ``width`` wide."""
    lines = ["How to do each test safely"]
    lines += textwrap.wrap(SAFETY, width, initial_indent="  ", subsequent_indent="  ")
    lines.append("")
    for name, how in STRENGTH_TESTS.values():
        lines += textwrap.wrap(
            f"{name}: {how[0].lower()}{how[1:]}",
            width,
            initial_indent="  ",
            subsequent_indent="    ",
        )
    return "\n".join(lines) + "\n"


# --- a stored check in words ----------------------------------------------------------------------


def answered(answers: Mapping[str, bool | None]) -> str:
    """A sign check's answers: ``11 asked, all no`` or ``2 asked (9 not asked), yes: night
    cramps``."""
    asked = [sign for sign, value in answers.items() if value is not None]
    yes = [sign for sign in asked if answers[sign]]
    skipped = len(answers) - len(asked)
    count = f"{len(asked)} asked" + (f" ({skipped} not asked)" if skipped else "")
    return f"{count}, yes: {joined(word(sign) for sign in yes)}" if yes else f"{count}, all no"


def _number(value: float | None) -> str:
    return UNKNOWN if value is None else f"{value:g}"


def _pass(value: bool | None) -> str:
    return UNKNOWN if value is None else ("pass" if value else "fail")


def sides(left: str, right: str) -> str:
    """``left 24, right 26``; a side not measured reads —."""
    return f"left {left}, right {right}"


def strength_parts(row: Mapping[str, Any]) -> list[str]:
    """What a strength check holds, one part per test that has a value: ``heel raises left 24,
    right —``, ``heel walk left pass, right fail``, ``chair stands 14``, ``grip left 32, right 31
    kg``."""
    parts = []
    if row.get("heel_raises_left") is not None or row.get("heel_raises_right") is not None:
        parts.append(
            "heel raises "
            + sides(_number(row.get("heel_raises_left")), _number(row.get("heel_raises_right")))
        )
    for test in ("heel_walk", "toe_walk"):
        left, right = row.get(f"{test}_left"), row.get(f"{test}_right")
        if left is not None or right is not None:
            parts.append(f"{test.replace('_', ' ')} " + sides(_pass(left), _pass(right)))
    if row.get("chair_stands") is not None:
        parts.append(f"chair stands {_number(row['chair_stands'])}")
    left, right = row.get("grip_left_kg"), row.get("grip_right_kg")
    if left is not None or right is not None:
        parts.append("grip " + sides(_number(left), _number(right)) + " kg")
    return parts


def where(site: str, side: str | None) -> str:
    """The muscle of a count in a sentence: "the left calf", "both calves", "the neck"."""
    if side in ("left", "right"):
        return f"the {side} {word(site)}"
    if side == "both":
        return f"both {site_plural(site)}"
    return f"the {word(site)}" + (" (midline)" if side == "midline" else "")


def per_minute(twitches: int, seconds: int) -> str:
    """A count's rate as people read it: 12, 9.3, 0.5 (one decimal at most)."""
    rate = twitches * 60 / seconds
    return f"{rate:.1f}".removesuffix(".0")


def count_result(twitches: int, seconds: int, site: str, side: str | None) -> str:
    """``12 twitches in 60 s (12 per minute) in the left calf``."""
    return (
        f"{plural(twitches, 'twitch', 'twitches')} in {seconds} s "
        f"({per_minute(twitches, seconds)} per minute) in {where(site, side)}"
    )
