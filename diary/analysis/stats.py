"""The statistics behind the trend, medication and factor rules, as small numeric functions.

Kept apart from the rules so each can be tested against published values:

- ``mann_kendall_hamed_rao``: the Mann–Kendall trend test with the Hamed & Rao (1998) variance
  correction for autocorrelated series (a diary's counts are: bad weeks cluster). Written from the
  paper, following the widely used ``pymannkendall`` implementation (all lags, significant ones
  only, detrended by Sen's slope); the tests compare it with values that package publishes.
- ``sen_slope``: Theil–Sen slope, optionally against real x positions (days with gaps).
- ``poisson_rate_test``: the exact conditional test of two Poisson rates — given the total, the
  first count is binomial — computed as an exact binomial tail.
- ``poisson_trend``: Poisson regression of counts on a day index with Newey–West (HAC) errors.
- ``quasi_poisson_effect``: the factor model, count ~ exposure + log(lagged count + 0.5) + trend,
  fitted by iteratively reweighted least squares with the Pearson scale.
- ``fisher_effect``: the day-level fallback, Fisher's exact test (scipy).
- ``holm``: Holm's step-down adjustment across the factors tested.

Speed: ``twitch flags`` should answer in well under a second, and importing statsmodels and
scipy.stats costs about a second on its own. So the regressions and the exact rate test are written
here in a few lines of NumPy (IRLS for the Poisson fits, a Bartlett-weighted sandwich for the
Newey–West errors, an exact binomial tail for the rate test), and the tests hold every one of them
equal to statsmodels — ``GLM(..., scale="X2")``, ``GLM(...).fit(cov_type="HAC")`` and
``test_poisson_2indep(..., method="exact-cond")`` — to many decimals: statsmodels is the reference,
not a run-time import. scipy is imported only for the rare Fisher fallback. Wald tests use the
normal distribution, as statsmodels' GLM does by default.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

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


def sen_slope(values: ArrayLike, positions: ArrayLike | None = None) -> float:
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


def mann_kendall_hamed_rao(values: ArrayLike, alpha: float = 0.05) -> TrendTest:
    """Mann–Kendall with the Hamed–Rao autocorrelation correction (two-sided p)."""
    y = np.asarray(values, dtype=float)
    n = len(y)
    if n < 3:
        return TrendTest(0.0, 0.0, 0.0, 1.0, 0.0)
    s = _mk_score(y)
    var_s = _mk_variance(y)
    slope = sen_slope(y)
    ranks = _average_ranks(y - np.arange(1, n + 1) * slope)
    acf = _acf(ranks, n - 1)
    bound = _normal_quantile(1 - alpha / 2) / math.sqrt(n)
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
    p = math.erfc(abs(z) / math.sqrt(2))  # two-sided normal p
    return TrendTest(s, var_s, float(z), p, slope)


def poisson_rate_test(count: int, exposure: float, base_count: int, base_exposure: float) -> float:
    """One-sided exact conditional p that the first rate exceeds the second.

    Given ``n = count + base_count`` events, ``count`` is Binomial(n, e1 / (e1 + e2)) when the rates
    are equal; the p-value is its upper tail P(X >= count).
    """
    if exposure <= 0 or base_exposure <= 0 or count + base_count == 0:
        return 1.0
    return binomial_upper_tail(count, count + base_count, exposure / (exposure + base_exposure))


def binomial_upper_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), summed exactly in log space (no scipy needed)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if p >= 1.0:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    log_n = math.lgamma(n + 1)
    terms = [
        log_n - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * log_p + (n - i) * log_q
        for i in range(k, n + 1)
    ]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


def _normal_quantile(q: float) -> float:
    """Inverse of the standard normal CDF by bisection on ``erfc`` (exact to 1e-12)."""
    low, high = -40.0, 40.0
    for _ in range(200):
        mid = (low + high) / 2
        if 0.5 * math.erfc(-mid / math.sqrt(2)) < q:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n with ties given their average rank (as ``scipy.stats.rankdata``)."""
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values), dtype=float)
    sorted_values = values[order]
    start = 0
    for end in range(1, len(values) + 1):
        if end == len(values) or sorted_values[end] != sorted_values[start]:
            ranks[order[start:end]] = (start + end + 1) / 2
            start = end
    return ranks


@dataclass(frozen=True)
class Slope:
    """A regression coefficient with its standard error (log scale)."""

    beta: float
    se: float


def poisson_trend(counts: ArrayLike, day_index: ArrayLike, hac_lags: int) -> Slope | None:
    """Poisson regression of daily counts on the day, Newey–West errors; None if it fails.

    The sandwich uses Bartlett weights over ``hac_lags`` lags without a small-sample correction,
    as statsmodels' ``GLM(...).fit(cov_type="HAC", cov_kwds={"maxlags": hac_lags})`` does.
    """
    y = np.asarray(counts, dtype=float)
    x = np.column_stack([np.ones(len(y)), np.asarray(day_index, dtype=float)])
    if y.sum() == 0 or np.ptp(x[:, 1]) == 0:
        return None
    fit = fit_poisson(y, x)
    if fit is None:
        return None
    beta, bread = fit
    scores = x * (y - np.exp(x @ beta))[:, None]
    meat = scores.T @ scores
    for lag in range(1, min(hac_lags, len(y) - 1) + 1):
        weight = 1 - lag / (hac_lags + 1)
        gamma = scores[lag:].T @ scores[:-lag]
        meat += weight * (gamma + gamma.T)
    cov = bread @ meat @ bread
    b, variance = float(beta[1]), float(cov[1, 1])
    if not (math.isfinite(b) and math.isfinite(variance)) or variance <= 0:
        return None
    return Slope(b, math.sqrt(variance))


@dataclass(frozen=True)
class Effect:
    """A factor's rate ratio with its 95% CI and one-sided p (larger on exposed days)."""

    rate_ratio: float
    ci_low: float | None
    ci_high: float | None
    p_one_sided: float
    method: str


def quasi_poisson_effect(
    counts: ArrayLike, exposed: ArrayLike, lagged: ArrayLike, trend: ArrayLike
) -> Effect | None:
    """``count ~ exposure + log(lagged + 0.5) + trend``, quasi-Poisson; None if not estimable."""
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
    fit = fit_poisson(y, design)
    if fit is None:
        return None
    beta, cov = fit
    mu = np.exp(design @ beta)
    df = len(y) - design.shape[1]
    if df <= 0:
        return None
    scale = float(np.sum((y - mu) ** 2 / mu) / df)  # Pearson chi-squared / residual df
    se = math.sqrt(cov[1, 1] * scale) if scale > 0 else 0.0
    b = float(beta[1])
    if not (math.isfinite(b) and math.isfinite(se)) or se <= 0 or abs(b) > 20:
        return None
    return Effect(
        math.exp(b),
        math.exp(b - Z_TWO_SIDED_95 * se),
        math.exp(b + Z_TWO_SIDED_95 * se),
        0.5 * math.erfc(b / se / math.sqrt(2)),  # one-sided: larger on exposed days
        "quasi-Poisson regression",
    )


def fit_poisson(
    y: np.ndarray, design: np.ndarray, *, tolerance: float = 1e-10, max_iter: int = 100
) -> tuple[np.ndarray, np.ndarray] | None:
    """Poisson GLM (log link) by IRLS: coefficients and their unscaled covariance, or None."""
    mu = y + 0.5  # the usual start: away from log(0)
    eta = np.log(mu)
    beta: np.ndarray = np.zeros(design.shape[1])
    deviance = math.inf
    for _ in range(max_iter):
        z = eta + (y - mu) / mu
        weighted = design * mu[:, None]
        try:
            beta = np.linalg.solve(design.T @ weighted, weighted.T @ z)
        except np.linalg.LinAlgError:
            return None
        eta = np.clip(design @ beta, -30, 30)
        mu = np.exp(eta)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(y > 0, y * np.log(y / mu), 0.0) - (y - mu)
        new_deviance = 2 * float(terms.sum())
        if abs(new_deviance - deviance) <= tolerance * (abs(new_deviance) + 0.1):
            break
        deviance = new_deviance
    else:
        return None
    try:
        cov = np.linalg.inv(design.T @ (design * mu[:, None]))
    except np.linalg.LinAlgError:
        return None
    return beta, cov


def fisher_effect(counts: ArrayLike, exposed: ArrayLike) -> Effect:
    """Fallback: days with any episode vs exposure, Fisher's exact test (one-sided)."""
    y = np.asarray(counts, dtype=float)
    e = np.asarray(exposed, dtype=bool)
    table = [
        [int(((y > 0) & e).sum()), int(((y == 0) & e).sum())],
        [int(((y > 0) & ~e).sum()), int(((y == 0) & ~e).sum())],
    ]
    from scipy.stats import fisher_exact  # only for the rare fallback

    p = float(fisher_exact(table, alternative="greater").pvalue)
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
