"""Factor associations on simulated diaries: rarely a false claim, usually a true one."""

from __future__ import annotations

from datetime import timedelta

from diary.analysis.associations import INSUFFICIENT, POSSIBLE, associations
from tests.simulation import START, claims, simulated_diary

#: The full 200-seed run lives in benchmarks/bench_associations.py; this is the CI-sized one.
NULL_SEEDS = range(100)
EFFECT_SEEDS = range(1000, 1040)


def test_no_true_effect_rarely_claims_anything() -> None:
    claimed = [claims(seed) for seed in NULL_SEEDS]
    assert sum(bool(c) for c in claimed) <= 0.10 * len(claimed)


def test_a_doubling_on_high_caffeine_days_is_usually_found() -> None:
    found = [("caffeine" in claims(seed, caffeine_effect=2.0)) for seed in EFFECT_SEEDS]
    assert sum(found) >= 0.75 * len(found)


def test_too_little_data_says_so() -> None:
    frames = simulated_diary(5, days=30, caffeine_effect=2.0)
    result = associations(frames, START + timedelta(days=29))
    assert [a.claim for a in result] == [INSUFFICIENT] * 5
    assert all(a.rate_ratio is None for a in result)
    assert "Not enough data yet" in result[0].sentence


def test_contract_fields_and_wording() -> None:
    frames = simulated_diary(1001, caffeine_effect=2.0)
    (caffeine, *_rest) = associations(frames, START + timedelta(days=89))
    data = caffeine.as_json()
    assert list(data) == [
        "factor",
        "exposure",
        "rate_ratio",
        "ci_low",
        "ci_high",
        "p_adjusted",
        "claim",
        "exposed_days",
        "unexposed_days",
    ]
    assert data["exposure"] == "caffeine >= 400 mg that day"
    assert caffeine.claim == POSSIBLE
    assert "about" in caffeine.sentence and "95% CI" in caffeine.sentence
    assert "not proof of a cause" in caffeine.sentence
    assert "causes" not in caffeine.sentence
