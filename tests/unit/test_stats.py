"""The statistics, checked against values published by pymannkendall and textbook cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from diary.analysis import stats


@pytest.mark.parametrize(
    ("series", "s", "var_s", "p", "slope"),
    [
        # Values printed by pymannkendall 1.4.3's hamed_rao_modification_test for these series.
        (
            [1, 3, 2, 5, 4, 6, 8, 7, 9, 12, 10, 11],
            56.0,
            212.66666666666666,
            0.00016227556647607777,
            1.0,
        ),
        (
            [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4],
            40.0,
            930.0,
            0.2009462268643072,
            0.16666666666666666,
        ),
    ],
)
def test_hamed_rao_matches_published_values(
    series: list[float], s: float, var_s: float, p: float, slope: float
) -> None:
    result = stats.mann_kendall_hamed_rao(series)
    assert result.s == s
    assert result.var_s == pytest.approx(var_s)
    assert result.p == pytest.approx(p)
    assert result.slope == pytest.approx(slope)


def test_hamed_rao_agrees_with_pymannkendall_when_installed() -> None:
    mk = pytest.importorskip("pymannkendall")
    rng = np.random.default_rng(1)
    for n in (8, 15, 30, 42):
        y = rng.poisson(2 + np.arange(n) * 0.05).astype(float)
        ours, theirs = stats.mann_kendall_hamed_rao(y), mk.hamed_rao_modification_test(y)
        assert ours.p == pytest.approx(theirs.p)
        assert ours.slope == pytest.approx(theirs.slope)


def test_trend_of_a_flat_or_short_series() -> None:
    assert stats.mann_kendall_hamed_rao([2, 2, 2, 2, 2]).p == 1.0
    assert stats.mann_kendall_hamed_rao([1, 2]).p == 1.0


def test_sen_slope_uses_real_positions() -> None:
    assert stats.sen_slope([1, 2, 3]) == 1.0
    assert stats.sen_slope([1, 2, 3], [0, 2, 4]) == 0.5


def test_exact_poisson_rate_test() -> None:
    # 12 on 28 days against 1 on 28 days: clearly higher; equal counts: not.
    assert stats.poisson_rate_test(12, 28, 1, 28) < 0.01
    assert stats.poisson_rate_test(5, 28, 5, 28) > 0.5
    # Conditional on 13 events, P(X >= 12) with p = 1/2 is 14 / 2**13.
    assert stats.poisson_rate_test(12, 28, 1, 28) == pytest.approx(14 / 2**13)
    assert stats.poisson_rate_test(0, 0, 3, 10) == 1.0


def test_holm() -> None:
    assert stats.holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert stats.holm([]) == []


def test_quasi_poisson_finds_a_doubling() -> None:
    rng = np.random.default_rng(3)
    exposed = rng.random(200) < 0.3
    counts = rng.poisson(np.where(exposed, 4.0, 2.0))
    lagged = np.r_[1, counts[:-1]]
    effect = stats.quasi_poisson_effect(counts, exposed, lagged, np.arange(200) / 7)
    assert effect is not None
    assert effect.rate_ratio == pytest.approx(2.0, rel=0.2)
    assert effect.ci_low is not None and effect.ci_low > 1.2
    assert effect.p_one_sided < 0.001


def test_fisher_fallback() -> None:
    effect = stats.fisher_effect([0, 0, 0, 3, 2, 4], [False, False, False, True, True, True])
    assert effect.p_one_sided == pytest.approx(0.05)
    assert math.isinf(effect.rate_ratio)
