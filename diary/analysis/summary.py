"""What the analysis says in words that every front end shows the same way.

``twitch flags`` and the terminal app's Insights screen both list the daily factors; building
the lines here keeps the two from drifting apart (the report words its factor lines for a doctor,
with the numbers, in ``diary.report.content``).
"""

from __future__ import annotations

from collections.abc import Sequence

from diary.analysis.associations import INSUFFICIENT, Association
from diary.thresholds import (
    ASSOC_MIN_DAYS_EACH,
    ASSOC_MIN_EPISODES,
    ASSOC_MIN_LOGGED_DAYS,
    ASSOC_MIN_WEEKS,
)


def not_enough_factors(exposures: Sequence[str]) -> str:
    """The sentence for the factors still waiting for data, naming what each one needs."""
    return (
        f"Not enough data yet for: {', '.join(exposures)}. Each needs {ASSOC_MIN_LOGGED_DAYS} "
        f"logged days with {ASSOC_MIN_EPISODES} twitches in all, and at least "
        f"{ASSOC_MIN_DAYS_EACH} days with and {ASSOC_MIN_DAYS_EACH} without the factor, "
        f"spread over {ASSOC_MIN_WEEKS} weeks."
    )


def factor_lines(associations: Sequence[Association]) -> list[str]:
    """One sentence per factor with an estimate, then one naming those without enough data."""
    lines = [a.sentence for a in associations if a.claim != INSUFFICIENT]
    waiting = [a.exposure for a in associations if a.claim == INSUFFICIENT]
    if waiting:
        lines.append(not_enough_factors(waiting))
    return lines
