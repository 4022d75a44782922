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


def test_hand_written_quasi_poisson_equals_statsmodels() -> None:
    import statsmodels.api as sm

    rng = np.random.default_rng(11)
    for n, effect in ((60, 1.0), (90, 2.0), (300, 1.3)):
        exposed = rng.random(n) < 0.35
        counts = rng.poisson(np.where(exposed, 2.0 * effect, 2.0) * np.exp(rng.normal(0, 0.4, n)))
        lagged = np.r_[1, counts[:-1]]
        trend = np.arange(n) / 7
        ours = stats.quasi_poisson_effect(counts, exposed, lagged, trend)
        design = np.column_stack([np.ones(n), exposed.astype(float), np.log(lagged + 0.5), trend])
        theirs = sm.GLM(counts, design, family=sm.families.Poisson()).fit(scale="X2")
        assert ours is not None
        assert math.log(ours.rate_ratio) == pytest.approx(theirs.params[1], rel=1e-8)
        se = theirs.bse[1]
        assert math.log(ours.ci_high) == pytest.approx(
            theirs.params[1] + stats.Z_TWO_SIDED_95 * se, rel=1e-7
        )
        assert ours.p_one_sided == pytest.approx(
            theirs.pvalues[1] / 2 if theirs.params[1] > 0 else 1 - theirs.pvalues[1] / 2, rel=1e-6
        )


@pytest.mark.parametrize(
    ("x1", "t1", "x0", "t0"),
    [(12, 28, 1, 28), (5, 20, 3, 28), (40, 14, 25, 14), (300, 28, 250, 26), (0, 10, 4, 10)],
)
def test_exact_rate_test_equals_statsmodels(x1: int, t1: float, x0: int, t0: float) -> None:
    from statsmodels.stats.rates import test_poisson_2indep

    expected = test_poisson_2indep(x1, t1, x0, t0, method="exact-cond", alternative="larger").pvalue
    assert stats.poisson_rate_test(x1, t1, x0, t0) == pytest.approx(expected, rel=1e-9, abs=1e-15)


def test_ranks_and_quantiles_equal_scipy() -> None:
    from scipy.stats import norm, rankdata

    values = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0])
    assert stats._average_ranks(values).tolist() == rankdata(values).tolist()
    for q in (0.5, 0.95, 0.975, 0.999):
        assert stats._normal_quantile(q) == pytest.approx(norm.ppf(q), abs=1e-9)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_hand_written_hac_trend_equals_statsmodels(seed: int) -> None:
    import statsmodels.api as sm

    rng = np.random.default_rng(seed)
    days = np.sort(rng.choice(42, size=34, replace=False)).astype(float)
    counts = rng.poisson(np.exp(0.5 + 0.03 * days + rng.normal(0, 0.3, len(days))))
    ours = stats.poisson_trend(counts, days, 7)
    design = np.column_stack([np.ones(len(days)), days])
    theirs = sm.GLM(counts, design, family=sm.families.Poisson()).fit(
        cov_type="HAC", cov_kwds={"maxlags": 7}
    )
    assert ours is not None
    assert ours.beta == pytest.approx(theirs.params[1], rel=1e-8)
    assert ours.se == pytest.approx(theirs.bse[1], rel=1e-6)
