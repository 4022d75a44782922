"""What the flag rules return: a ``Flag``, a "not enough data" note, and both together.

Plain frozen dataclasses, no pandas: the command line, the report and the TUI read them, and
``Insights.as_json`` turns them into RULES.md's output contract.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from diary.guidance import GUIDANCE, RULE_NAMES, SEVERITY_RANK


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
        if self.severity not in SEVERITY_RANK:
            raise ValueError(f"unknown severity {self.severity!r}")

    @property
    def rank(self) -> int:
        """The severity as a number: info 0 < discuss 1 < soon 2 < urgent 3."""
        return SEVERITY_RANK[self.severity]


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


def make_flag(rule: str, severity: str, title: str, evidence: str, days: Iterable[date]) -> Flag:
    """A flag with the rule's guidance and source, spanning the first to the last of ``days``."""
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
