"""An intensity or duration never given is missing to the analysis: not 3, not 0 s (issue 10, item 1).

``frames`` turns the stored NULL into NaN, so a rule that needs a duration (a cramp over 10 min,
twitching for 30 min) or an intensity (painful cramps, the median) only counts episodes where the
person gave one.
"""

from __future__ import annotations

import math

from diary.analysis.frames import make_frames
from tests.unit.test_analysis_rules import AS_OF, at, ep, run


def test_frames_hold_unknown_intensity_and_duration_as_missing() -> None:
    frames = make_frames(
        episodes=[
            ep(at(-1), intensity=None, duration_s=None),  # type: ignore[arg-type]
            ep(at(-2), intensity=4, duration_s=0),
        ],
        as_of=AS_OF,
    )
    by_day = frames.episodes.set_index("local_date")
    unknown = by_day.loc[frames.episodes["local_date"].max()]
    assert math.isnan(unknown["intensity"]) and math.isnan(unknown["duration_s"])
    known = by_day.loc[frames.episodes["local_date"].min()]
    assert (known["intensity"], known["duration_s"]) == (4, 0)  # a typed 0 s stays 0 s
    assert frames.episodes["intensity"].median() == 4  # the unknown one is skipped


def test_a_cramp_of_unknown_length_is_not_a_long_cramp() -> None:
    unknown = [ep(at(-1), kind="cramp", duration_s=None)]  # type: ignore[arg-type]
    assert "long_cramp" not in run(episodes=unknown)
    assert "long_cramp" in run(episodes=[*unknown, ep(at(-2), kind="cramp", duration_s=601)])


def test_twitching_of_unknown_length_is_not_continuous() -> None:
    unknown = [ep(at(-1), duration_s=None)]  # type: ignore[arg-type]
    assert "continuous_twitching" not in run(episodes=unknown)
    assert "continuous_twitching" in run(episodes=[*unknown, ep(at(-2), duration_s=1800)])


def test_flags_run_on_a_diary_where_nothing_but_the_site_was_given() -> None:
    """Daily twitches for weeks with no intensity or duration: persistence still counts them."""
    episodes = [ep(at(-i), side=None, intensity=None, duration_s=None) for i in range(0, 30)]  # type: ignore[arg-type]
    flags = run(episodes=episodes)
    assert "persistence" in flags
    assert "intensity_rising" not in flags and "long_cramp" not in flags
