"""Exact tests of small tables: Holm's correction, Fisher's exact test of a 2x2
table with the conditional maximum-likelihood odds ratio and its exact
interval, the Fisher-Freeman-Halton test of an r x 2 table (seeded Monte Carlo
above ``max_exact_tables``), and Zelen's exact test of a 2x2 table stratified
by federal district (as R's ``mantelhaen.test(exact = TRUE)``).

Pure functions of count arrays: nothing here knows about clusters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from scipy import optimize, stats
from statsmodels.stats.multitest import multipletests

from mne_clusters.core import config as cfgmod

#: Largest number of tables the exact r x 2 enumeration visits.
#: Seed of every random step (the Monte Carlo fallback of the r x c test).
DEFAULT_SEED: int = cfgmod.default("stats.seed")


#: Monte Carlo resamples when exact enumeration is too large.
DEFAULT_RESAMPLES: int = cfgmod.default("stats.monte_carlo_resamples")


DEFAULT_MAX_EXACT_TABLES = 1_000_000


def holm_adjust(
    p_values: Sequence[float] | np.ndarray, *, alpha: float = 0.05
) -> tuple[np.ndarray, np.ndarray]:
    """Holm step-down adjustment of a family of p-values; missing values stay missing.

    Parameters
    ----------
    p_values
        Raw p-values; ``nan`` marks a row without a test (kept out of the family).
    alpha
        Family-wise error rate.

    Returns
    -------
    tuple of numpy.ndarray
        Adjusted p-values and reject flags (``nan``/``False`` where no test).
    """
    p = np.asarray(p_values, dtype=float)
    adjusted = np.full(p.shape, np.nan)
    reject = np.zeros(p.shape, dtype=bool)
    ok = ~np.isnan(p)
    if ok.any():
        rej, padj, _, _ = multipletests(p[ok], alpha=alpha, method="holm")
        adjusted[ok] = padj
        reject[ok] = rej
    return adjusted, reject


# ---------------------------------------------------------------------------
# Contingency tests
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TwoByTwo:
    """Result of a 2x2 Fisher test with both odds ratios."""

    p_value: float
    odds_ratio_sample: float
    odds_ratio_conditional: float
    ci_low: float
    ci_high: float
    table_probability: float


def _solve_increasing(func: Any) -> float:
    """Root of an increasing ``func`` on ``(0, inf)``: bracket by doubling or halving
    from 1, then ``brentq`` (``xtol`` 1e-13), as ``scipy.stats.contingency.odds_ratio``."""
    nc = 1.0
    value = func(nc)
    if value == 0:
        return nc
    factor = 2.0
    if value > 0:
        nc /= factor
        while func(nc) > 0:
            nc /= factor
        lo, hi = nc, factor * nc
    else:
        nc *= factor
        while func(nc) < 0:
            nc *= factor
        lo, hi = nc / factor, nc
    return float(optimize.brentq(func, lo, hi, xtol=1e-13))


def _conditional_odds_ratio(t: np.ndarray, alpha: float) -> tuple[float, float, float]:
    """Conditional MLE of the odds ratio of a 2x2 table and its exact ``1 - alpha`` interval.

    The same estimator, interval and root search as
    ``scipy.stats.contingency.odds_ratio(kind="conditional")`` (and R's
    ``fisher.test``), but Fisher's noncentral hypergeometric distribution of
    cell ``a`` is computed for the whole support at once, from the central
    hypergeometric log-pmf plus ``a log(psi)``, normalised; scipy evaluates it
    value by value in Python, which takes seconds for tables of thousands.
    Margins must be non-empty.
    """
    a, b, c = int(t[0, 0]), int(t[0, 1]), int(t[1, 0])
    m, n_row, n_col = int(t.sum()), a + b, a + c
    lo, hi = max(0, n_row + n_col - m), min(n_row, n_col)
    support = np.arange(lo, hi + 1)
    log_h = stats.hypergeom.logpmf(support, m, n_row, n_col)
    kf = support.astype(float)
    i_obs = a - lo

    def pmf(nc: float) -> npt.NDArray[np.float64]:
        w = log_h + kf * math.log(nc)
        w = np.exp(w - w.max())
        p: npt.NDArray[np.float64] = w / w.sum()  # numpy's stubs type this as Any
        return p

    if a == lo:
        estimate = 0.0
    elif a == hi:
        estimate = math.inf
    else:
        estimate = _solve_increasing(lambda nc: float((kf * pmf(nc)).sum()) - a)
    half = 0.5 * alpha
    # sample odds ratio 0 (a*d == 0 < b*c) gives a lower bound 0; infinite, an upper inf
    d = int(t[1, 1])
    ci_low = (
        0.0
        if a * d == 0 and b * c > 0
        else _solve_increasing(lambda nc: float(pmf(nc)[i_obs:].sum()) - half)
    )
    ci_high = (
        math.inf
        if b * c == 0 and a * d > 0
        else _solve_increasing(lambda nc: half - float(pmf(nc)[: i_obs + 1].sum()))
    )
    return estimate, ci_low, ci_high


def fisher_2x2(table: np.ndarray, *, alpha: float = 0.05) -> TwoByTwo:
    """Two-sided Fisher exact test of a 2x2 table, with sample and conditional odds ratios.

    Parameters
    ----------
    table
        ``[[a, b], [c, d]]`` counts: rows level / rest, columns MNE / no MNE.
    alpha
        1 - confidence level of the conditional odds ratio's exact interval.

    Returns
    -------
    TwoByTwo
        p-value (``scipy.stats.fisher_exact``), sample odds ratio ``ad/bc``
        (``inf`` when ``bc = 0 < ad``, ``nan`` when a margin is empty), the
        conditional MLE odds ratio with its exact interval
        (as ``scipy.stats.contingency.odds_ratio``; see :func:`_conditional_odds_ratio`) and the hypergeometric
        probability of the observed table.
    """
    t = np.asarray(table, dtype=np.int64)
    res = stats.fisher_exact(t, alternative="two-sided")
    empty_margin = bool((t.sum(axis=0) == 0).any() or (t.sum(axis=1) == 0).any())
    if empty_margin:
        return TwoByTwo(float(res.pvalue), math.nan, math.nan, math.nan, math.nan, 1.0)
    a, b, c, d = (int(x) for x in t.ravel())
    sample = (math.inf if a * d > 0 else math.nan) if b * c == 0 else a * d / (b * c)
    cond, ci_low, ci_high = _conditional_odds_ratio(t, alpha)
    m, n_row, n_col = int(t.sum()), int(t[0].sum()), int(t[:, 0].sum())
    prob = float(stats.hypergeom.pmf(a, m, n_row, n_col))
    return TwoByTwo(float(res.pvalue), float(sample), cond, ci_low, ci_high, prob)


def _compositions(row_totals: Sequence[int], total: int) -> list[tuple[int, ...]]:
    """Every vector ``x`` with ``0 <= x_i <= row_totals[i]`` and ``sum(x) == total``."""
    out: list[tuple[int, ...]] = []
    suffix = np.concatenate([np.cumsum(row_totals[::-1])[::-1], [0]]).tolist()

    def rec(i: int, left: int, prefix: tuple[int, ...]) -> None:
        if i == len(row_totals) - 1:
            if 0 <= left <= row_totals[i]:
                out.append((*prefix, left))
            return
        lo = max(0, left - suffix[i + 1])
        hi = min(row_totals[i], left)
        for x in range(lo, hi + 1):
            rec(i + 1, left - x, (*prefix, x))

    rec(0, total, ())
    return out


def _n_tables(row_totals: Sequence[int], total: int, cap: int | None = None) -> int:
    """Number of ``r x 2`` tables with the given margins (dynamic programme).

    ``ways[s]`` counts the ways the rows seen so far sum to ``s``; adding a row
    of total ``r`` is a sliding-window sum of width ``r + 1`` (a difference of
    cumulative sums), so the count costs ``O(rows x total)`` numpy operations.
    With ``cap``, every count saturates at ``cap + 1`` (exact, since each count
    is a sum of non-negative terms: a sum reaches ``cap + 1`` exactly when the
    unsaturated one does), so the result is ``min(count, cap + 1)`` and stays
    within int64; without it, Python integers give the exact count.
    """
    if total < 0:
        return 0
    if cap is None:
        ways = np.zeros(total + 1, dtype=object)
        ways[0] = 1
        for r in row_totals:
            csum = np.concatenate([[0], np.cumsum(ways)])
            hi = np.arange(1, total + 2)
            lo = np.maximum(hi - (int(r) + 1), 0)
            ways = csum[hi] - csum[lo]
        return int(ways[total])
    limit = cap + 1
    ways = np.zeros(total + 1, dtype=np.int64)
    ways[0] = 1
    hi = np.arange(1, total + 2)
    for r in row_totals:
        csum = np.concatenate([[0], np.cumsum(ways)])  # each term <= limit: no overflow
        lo = np.maximum(hi - (int(r) + 1), 0)
        ways = np.minimum(csum[hi] - csum[lo], limit)
    return int(ways[total])


@dataclass(frozen=True)
class RxC:
    """Result of a Fisher–Freeman–Halton test."""

    p_value: float
    table_probability: float
    method: str


def fisher_freeman_halton(
    table: np.ndarray,
    *,
    seed: int = DEFAULT_SEED,
    n_resamples: int = DEFAULT_RESAMPLES,
    max_exact_tables: int = DEFAULT_MAX_EXACT_TABLES,
) -> RxC:
    """Fisher–Freeman–Halton exact test of an ``r x 2`` table.

    Every table with the observed row and column totals is enumerated; its
    probability under independence is the multivariate hypergeometric
    probability of its first column (``scipy.stats.multivariate_hypergeom``).
    The two-sided p-value is the total probability of the tables whose
    probability does not exceed the observed table's (relative tolerance
    ``1e-7``, as R's ``fisher.test``).

    Parameters
    ----------
    table
        Counts, one row per level, columns MNE / no MNE. Empty rows are dropped;
        with fewer than two rows or a constant column only one table has the
        margins and the p-value is 1.
    seed, n_resamples
        Seed and size of the Monte Carlo fallback
        (``scipy.stats.fisher_exact`` with ``MonteCarloMethod``).
    max_exact_tables
        Above this many tables the Monte Carlo fallback is used.

    Returns
    -------
    RxC
        p-value, probability of the observed table, and the method used.
    """
    t = np.asarray(table, dtype=np.int64)
    if t.ndim != 2 or t.shape[1] != 2:
        raise ValueError("fisher_freeman_halton expects an r x 2 table")
    t = t[t.sum(axis=1) > 0]
    rows = [int(x) for x in t.sum(axis=1)]
    col = int(t[:, 0].sum())
    total = int(t.sum())
    if len(rows) < 2 or col in (0, total):
        return RxC(1.0, 1.0, "exact enumeration (only one table has these margins)")
    observed = float(stats.multivariate_hypergeom.pmf(t[:, 0], m=rows, n=col))
    if _n_tables(rows, col, cap=max_exact_tables) > max_exact_tables:
        method = stats.MonteCarloMethod(n_resamples=n_resamples, rng=np.random.default_rng(seed))
        res = stats.fisher_exact(t, method=method)
        return RxC(
            float(res.pvalue),
            observed,
            f"Monte Carlo Fisher-Freeman-Halton, {n_resamples} resamples, seed {seed}",
        )
    xs = np.array(_compositions(rows, col), dtype=np.int64)
    # One probability per row of xs: an array (the stubs allow a scalar too).
    probs = cast("npt.NDArray[np.float64]", stats.multivariate_hypergeom.pmf(xs, m=rows, n=col))
    p = float(probs[probs <= observed * (1 + 1e-7)].sum())
    return RxC(min(p, 1.0), observed, "exact Fisher-Freeman-Halton (full enumeration)")


@dataclass(frozen=True)
class Stratified:
    """Exact conditional test of a common odds ratio over 2x2xK tables."""

    p_value: float
    statistic: int
    odds_ratio: float
    ci_low: float
    ci_high: float
    n_strata: int


def _stratum_pmf(table: np.ndarray) -> tuple[int, np.ndarray]:
    """Support start and hypergeometric pmf of cell ``a`` of one 2x2 table."""
    (a, b), (c, d) = (int(x) for x in table[0]), (int(x) for x in table[1])
    m, n_row, n_col = a + b + c + d, a + b, a + c
    lo, hi = max(0, n_row + n_col - m), min(n_row, n_col)
    support = np.arange(lo, hi + 1)
    return lo, stats.hypergeom.pmf(support, m, n_row, n_col)


def exact_stratified_2x2(tables: Sequence[np.ndarray], *, alpha: float = 0.05) -> Stratified:
    """Exact conditional test of independence in 2x2xK tables (as R's
    ``mantelhaen.test(..., exact = TRUE)``).

    Conditional on every stratum's margins, the sum ``S`` of the strata's
    ``a`` cells has, under a common odds ratio ``psi``, the distribution
    ``d(s) psi^s / sum d(t) psi^t``, where ``d`` is the convolution of the
    strata's hypergeometric distributions (Zelen 1971; Agresti 2002, §6.7.5).
    The two-sided p-value is the total null probability of the values of
    ``S`` no more probable than the observed one (relative tolerance ``1e-7``,
    as R). The common odds ratio is the conditional maximum-likelihood
    estimate; its ``1 - alpha`` interval inverts the two one-sided tests.

    Parameters
    ----------
    tables
        ``[[a, b], [c, d]]`` per stratum (rows level / rest, columns MNE / no
        MNE). A stratum with an empty margin has only one possible table: it
        adds a constant to ``S`` and nothing to the test (not counted in
        ``n_strata``).

    Returns
    -------
    Stratified
        p-value (``nan`` when no stratum is informative), ``S``, the
        conditional MLE of the common odds ratio (0 or ``inf`` at the ends
        of the support), its interval and the number of informative strata.
    """
    arrays = [np.asarray(t, dtype=np.int64) for t in tables]
    informative = [t for t in arrays if (t.sum(axis=0) > 0).all() and (t.sum(axis=1) > 0).all()]
    observed = sum(int(t[0, 0]) for t in arrays)
    if not informative:
        return Stratified(math.nan, observed, math.nan, math.nan, math.nan, 0)
    # an uninformative stratum has one possible table: it shifts S, as in R
    lo = observed - sum(int(t[0, 0]) for t in informative)
    dist = np.array([1.0])
    for t in informative:
        start, pmf = _stratum_pmf(t)
        lo += start
        dist = np.convolve(dist, pmf)
    dist = dist / dist.sum()
    support = np.arange(lo, lo + len(dist))
    i_obs = observed - lo
    p = float(dist[dist <= dist[i_obs] * (1 + 1e-7)].sum())
    log_d = np.log(np.where(dist > 0, dist, np.finfo(float).tiny))

    def moments(log_psi: float) -> npt.NDArray[np.float64]:
        w = log_d + support * log_psi
        w = np.exp(w - w.max())
        p: npt.NDArray[np.float64] = w / w.sum()  # numpy's stubs type this as Any
        return p

    def mean(log_psi: float) -> float:
        return float((support * moments(log_psi)).sum())

    def tail_upper(log_psi: float) -> float:  # P(S >= observed)
        return float(moments(log_psi)[i_obs:].sum())

    def tail_lower(log_psi: float) -> float:  # P(S <= observed)
        return float(moments(log_psi)[: i_obs + 1].sum())

    bound = 50.0
    if observed == support[0]:
        estimate = 0.0
    elif observed == support[-1]:
        estimate = math.inf
    else:
        estimate = math.exp(optimize.brentq(lambda x: mean(x) - observed, -bound, bound))
    half = alpha / 2
    ci_low = (
        0.0
        if observed == support[0]
        else math.exp(optimize.brentq(lambda x: tail_upper(x) - half, -bound, bound))
    )
    ci_high = (
        math.inf
        if observed == support[-1]
        else math.exp(optimize.brentq(lambda x: tail_lower(x) - half, -bound, bound))
    )
    return Stratified(min(p, 1.0), observed, estimate, ci_low, ci_high, len(informative))


__all__ = [
    "fisher_2x2",
    "fisher_freeman_halton",
    "holm_adjust",
]
