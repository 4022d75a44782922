"""The statistics behind the trend, medication and factor rules, as small numeric functions.

Kept apart from the rules so each can be tested against published values:

- ``mann_kendall_hamed_rao``: the Mann–Kendall trend test with the Hamed & Rao (1998) variance
  correction for autocorrelated series (a diary's counts are: bad weeks cluster). Written from the
  paper, following the widely used ``pymannkendall`` implementation (all lags, significant ones
  only, detrended by Sen's slope); the tests compare it with values that package publishes.
- ``sen_slope``: Theil–Sen slope, optionally against real x positions (days with gaps).
- ``poisson_rate_test``: the exact conditional test of two Poisson rates (statsmodels).
- ``poisson_trend``: Poisson regression of counts on a day index with Newey–West (HAC) errors.
- ``quasi_poisson_effect``: the factor model, count ~ exposure + log(lagged count + 0.5) + trend.
- ``holm``: Holm's step-down adjustment across the factors tested.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

#: One-sided 95% normal quantile (for lower confidence bounds).
Z_ONE_SIDED_95 = 1.6448536269514722
#: Two-sided 95% normal quantile (for confidence intervals).
Z_TWO_SIDED_95 = 1.959963984540054


@dataclass(frozen=True)
class TrendTest:
    """A Mann–Kendall result: the score, its corrected variance, two-sided p, Sen's slope."""

    s: float
    var_s: float
    z: float
    p: float
    slope: float


def sen_slope(values: Sequence[float], positions: Sequence[float] | None = None) -> float:
    """Median of the pairwise slopes (Theil–Sen); positions default to 0, 1, 2, …"""
    y = np.asarray(values, dtype=float)
    x = np.arange(len(y), dtype=float) if positions is None else np.asarray(positions, dtype=float)
    if len(y) < 2:
        return 0.0
    i, j = np.triu_indices(len(y), k=1)
    dx = x[j] - x[i]
    keep = dx != 0
    return float(np.median((y[j] - y[i])[keep] / dx[keep])) if keep.any() else 0.0


def _mk_score(y: np.ndarray) -> float:
    i, j = np.triu_indices(len(y), k=1)
    return float(np.sign(y[j] - y[i]).sum())


def _mk_variance(y: np.ndarray) -> float:
    n = len(y)
    _, ties = np.unique(y, return_counts=True)
    return float((n * (n - 1) * (2 * n + 5) - np.sum(ties * (ties - 1) * (2 * ties + 5))) / 18)


def _acf(x: np.ndarray, nlags: int) -> np.ndarray:
    centred = x - x.mean()
    n = len(x)
    acov = np.correlate(centred, centred, "full")[n - 1 :] / n
    if acov[0] == 0:
        return np.zeros(nlags + 1)
    return acov[: nlags + 1] / acov[0]


def mann_kendall_hamed_rao(values: Sequence[float], alpha: float = 0.05) -> TrendTest:
    """Mann–Kendall with the Hamed–Rao autocorrelation correction (two-sided p)."""
    y = np.asarray(values, dtype=float)
    n = len(y)
    if n < 3:
        return TrendTest(0.0, 0.0, 0.0, 1.0, 0.0)
    s = _mk_score(y)
    var_s = _mk_variance(y)
    slope = sen_slope(y)
    ranks = sps.rankdata(y - np.arange(1, n + 1) * slope)
    acf = _acf(ranks, n - 1)
    bound = sps.norm.ppf(1 - alpha / 2) / math.sqrt(n)
    lags = np.arange(1, n)
    significant = np.abs(acf[1:]) > bound
    weights = (n - lags) * (n - lags - 1) * (n - lags - 2)
    correction = 1 + 2 / (n * (n - 1) * (n - 2)) * float(
        np.sum(weights[significant] * acf[1:][significant])
    )
    var_s *= correction
    if var_s <= 0:
        return TrendTest(s, var_s, 0.0, 1.0, slope)
    z = (s - 1) / math.sqrt(var_s) if s > 0 else (s + 1) / math.sqrt(var_s) if s < 0 else 0.0
    p = float(2 * (1 - sps.norm.cdf(abs(z))))
    return TrendTest(s, var_s, float(z), p, slope)


def poisson_rate_test(count: int, exposure: float, base_count: int, base_exposure: float) -> float:
    """One-sided exact conditional p that the first rate exceeds the second."""
    from statsmodels.stats.rates import test_poisson_2indep

    if exposure <= 0 or base_exposure <= 0 or count + base_count == 0:
        return 1.0
    with np.errstate(divide="ignore", invalid="ignore"):  # a zero baseline is a valid input
        result = test_poisson_2indep(
            count, exposure, base_count, base_exposure, method="exact-cond", alternative="larger"
        )
    return float(result.pvalue)


@dataclass(frozen=True)
class Slope:
    """A regression coefficient with its standard error (log scale)."""

    beta: float
    se: float


def poisson_trend(counts: Sequence[int], day_index: Sequence[float], hac_lags: int) -> Slope | None:
    """Poisson regression of daily counts on the day, Newey–West errors; None if it fails."""
    import statsmodels.api as sm

    y = np.asarray(counts, dtype=float)
    x = sm.add_constant(np.asarray(day_index, dtype=float), has_constant="add")
    if y.sum() == 0 or np.ptp(x[:, 1]) == 0:
        return None
    try:
        fit = sm.GLM(y, x, family=sm.families.Poisson()).fit(
            cov_type="HAC", cov_kwds={"maxlags": hac_lags}
        )
    except (ValueError, np.linalg.LinAlgError):
        return None
    beta, se = float(fit.params[1]), float(fit.bse[1])
    if not (math.isfinite(beta) and math.isfinite(se)) or se <= 0:
        return None
    return Slope(beta, se)


@dataclass(frozen=True)
class Effect:
    """A factor's rate ratio with its 95% CI and one-sided p (larger on exposed days)."""

    rate_ratio: float
    ci_low: float | None
    ci_high: float | None
    p_one_sided: float
    method: str


def quasi_poisson_effect(
    counts: Sequence[int], exposed: Sequence[bool], lagged: Sequence[int], trend: Sequence[float]
) -> Effect | None:
    """``count ~ exposure + log(lagged + 0.5) + trend``, quasi-Poisson; None if not estimable."""
    import statsmodels.api as sm

    y = np.asarray(counts, dtype=float)
    design = np.column_stack(
        [
            np.ones(len(y)),
            np.asarray(exposed, dtype=float),
            np.log(np.asarray(lagged, dtype=float) + 0.5),
            np.asarray(trend, dtype=float),
        ]
    )
    if y.sum() == 0 or np.linalg.matrix_rank(design) < design.shape[1]:
        return None
    try:
        fit = sm.GLM(y, design, family=sm.families.Poisson()).fit(scale="X2")
    except (ValueError, np.linalg.LinAlgError):
        return None
    beta, se = float(fit.params[1]), float(fit.bse[1])
    if not (math.isfinite(beta) and math.isfinite(se)) or se <= 0 or abs(beta) > 20:
        return None
    df = max(len(y) - design.shape[1], 1)
    p = float(sps.t.sf(beta / se, df))
    return Effect(
        math.exp(beta),
        math.exp(beta - Z_TWO_SIDED_95 * se),
        math.exp(beta + Z_TWO_SIDED_95 * se),
        p,
        "quasi-Poisson regression",
    )


def fisher_effect(counts: Sequence[int], exposed: Sequence[bool]) -> Effect:
    """Fallback: days with any episode vs exposure, Fisher's exact test (one-sided)."""
    y = np.asarray(counts, dtype=float)
    e = np.asarray(exposed, dtype=bool)
    table = [
        [int(((y > 0) & e).sum()), int(((y == 0) & e).sum())],
        [int(((y > 0) & ~e).sum()), int(((y == 0) & ~e).sum())],
    ]
    p = float(sps.fisher_exact(table, alternative="greater").pvalue)
    exposed_mean = y[e].mean() if e.any() else 0.0
    other_mean = y[~e].mean() if (~e).any() else 0.0
    ratio = exposed_mean / other_mean if other_mean > 0 else math.inf if exposed_mean > 0 else 1.0
    return Effect(float(ratio), None, None, p, "Fisher's exact test on days with episodes")


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the input order."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted
