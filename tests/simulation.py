"""Simulated diaries for the factor associations: no true effect, or a known one.

Shared by the test suite (a few dozen seeds) and ``benchmarks/bench_associations.py`` (the full
200-seed run). The "no effect" diaries are deliberately awkward: the twitch rate waxes and wanes
slowly (an AR(1) process on the log scale) and stress drifts, so a naive comparison would often
find a factor "guilty" that merely drifted along with the counts.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from diary.analysis.associations import POSSIBLE, associations
from diary.analysis.frames import Frames, make_frames

START = date(2025, 1, 6)


def simulated_diary(seed: int, *, days: int = 90, caffeine_effect: float = 1.0) -> Frames:
    """A diary of ``days`` logged days; high-caffeine days multiply the rate by ``caffeine_effect``."""
    rng = np.random.default_rng(seed)
    level = 0.0
    stress = 5.0
    episode_rows = []
    day_rows = []
    for i in range(days):
        day = START + timedelta(days=i)
        level = 0.85 * level + rng.normal(0, 0.25)
        stress = float(np.clip(stress + rng.normal(0, 0.6), 0, 10))
        caffeine = int(rng.choice([100, 200, 450, 500], p=[0.35, 0.35, 0.15, 0.15]))
        rate = 1.5 * np.exp(level) * (caffeine_effect if caffeine >= 400 else 1.0)
        for k in range(int(rng.poisson(rate))):
            episode_rows.append(
                {
                    "id": f"{seed}-{i}-{k}",
                    "started_at_utc": f"{day.isoformat()} {10 + k % 10:02d}:00:00.000000",
                    "utc_offset_min": 60,
                    "body_site": "calf",
                    "side": "left",
                    "intensity": 3,
                    "duration_s": 5,
                    "kind": "twitch",
                    "symptoms": "",
                    "context": "",
                }
            )
        day_rows.append(
            {
                "date": day,
                "water_ml": int(rng.choice([1200, 1800, 2200])),
                "caffeine_mg": caffeine,
                "alcohol_units": 0,
                "exercise_min": int(rng.choice([0, 20, 75], p=[0.4, 0.4, 0.2])),
                "exercise_intensity": "moderate",
                "sleep_h": float(rng.choice([6.0, 7.5, 8.0])),
                "sleep_quality": 3,
                "stress": round(stress),
                "symptoms": "",
            }
        )
    return make_frames(episodes=episode_rows, days=day_rows)


def claims(seed: int, *, caffeine_effect: float = 1.0, days: int = 90) -> set[str]:
    """The factors claimed ``possible`` on one simulated diary."""
    frames = simulated_diary(seed, days=days, caffeine_effect=caffeine_effect)
    as_of = START + timedelta(days=days - 1)
    return {a.factor for a in associations(frames, as_of) if a.claim == POSSIBLE}
