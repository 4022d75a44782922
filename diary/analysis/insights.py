"""Everything the analysis says about a diary at one date, in one plain object.

``insights(engine, as_of)`` loads the diary once, runs the flag rules and the factor associations,
and measures the logging coverage. The command line, the report and the TUI all start from this
object, so they always say the same thing; ``as_json`` is RULES.md's output contract.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from diary.analysis.associations import Association, associations
from diary.analysis.flags.interactions import evaluate
from diary.analysis.flags.model import Flag, NotEnoughData
from diary.analysis.frames import Frames, load_frames

if TYPE_CHECKING:
    from sqlalchemy import Engine


@dataclass(frozen=True)
class Coverage:
    """How much of the diary's span was logged: days with a check-in, of all days."""

    first_day: date | None
    logged_days: int
    days: int

    @property
    def share(self) -> float:
        """Logged days as a fraction of all days (0 for an empty diary)."""
        return self.logged_days / self.days if self.days else 0.0


@dataclass
class Insights:
    """Flags (most severe first), associations, held-back rules, coverage, and where time went."""

    as_of: date
    coverage: Coverage
    flags: list[Flag]
    associations: list[Association]
    not_enough_data: list[NotEnoughData]
    frames: Frames
    seconds: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The output contract of ``twitch flags --json``.

        Each flag has RULES.md's keys, in order, then ``statistics`` (the tests and p-values behind
        a statistical flag, for the doctor; None for the other rules) and ``p_value``.
        """
        return {
            "as_of": self.as_of.isoformat(),
            "coverage": {
                "first_day": _iso(self.coverage.first_day),
                "logged_days": self.coverage.logged_days,
                "days": self.coverage.days,
            },
            "flags": [
                {
                    "rule": f.rule,
                    "severity": f.severity,
                    "title": f.title,
                    "evidence": f.evidence,
                    "guidance": f.guidance,
                    "source": f.source,
                    "first_date": _iso(f.first_date),
                    "last_date": _iso(f.last_date),
                    # beyond RULES.md's keys: the tests behind a statistical flag, for the doctor
                    "statistics": f.statistics or None,
                    "p_value": _p(f.p_value),
                }
                for f in self.flags
            ],
            "associations": [a.as_json() for a in self.associations],
        }


def _p(value: float | None) -> float | None:
    """A p-value for JSON: 4 significant digits (tiny values stay readable), None when absent."""
    return None if value is None else float(f"{value:.4g}")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def coverage(frames: Frames, as_of: date) -> Coverage:
    """Logged days from the diary's first day to ``as_of``."""
    first = frames.first_day
    if first is None or first > as_of:
        return Coverage(None, 0, 0)
    logged = sum(first <= d <= as_of for d in frames.logged_dates)
    return Coverage(first, logged, (as_of - first).days + 1)


def analyse_frames(frames: Frames, as_of: date) -> Insights:
    """The insights of frames already loaded (and cut at ``as_of``)."""
    started = time.perf_counter()
    result = evaluate(frames, as_of)
    ruled = time.perf_counter()
    found = associations(frames, as_of)
    done = time.perf_counter()
    return Insights(
        as_of=as_of,
        coverage=coverage(frames, as_of),
        flags=result.flags,
        associations=found,
        not_enough_data=result.not_enough_data,
        frames=frames,
        seconds={"rules": ruled - started, "associations": done - ruled},
    )


def insights(source: Engine | Path | str, as_of: date) -> Insights:
    """Load the diary and analyse it at ``as_of`` (everything logged later is ignored)."""
    started = time.perf_counter()
    frames = load_frames(source, as_of)
    loaded = time.perf_counter() - started
    result = analyse_frames(frames, as_of)
    result.seconds = {"load": loaded, **result.seconds}
    return result
