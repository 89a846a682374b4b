"""Statistics that answer the study's question: association tests, a Firth
logistic model of MNE presence, and the chicken-or-egg timeline.

Inputs are the *classified* frames of a wave (see ``docs/ARCHITECTURE.md``,
"Classified clusters/relations"). Every function here is pure: it returns new
frames and never changes its arguments. Outputs are deterministic: levels are
sorted explicitly, the only random step (a Monte Carlo p-value, used only when
exact enumeration would be too large) is seeded, and floats are written in a
fixed format by :mod:`mne_clusters.outputs`.

Design decisions (documented here once, and repeated in the output's ``method``
and ``note`` columns):

* **Association tests.** MNE presence (``has_mne``) is set against each level
  of a variable with a two-sided Fisher exact test of the 2x2 table *level vs
  the rest* (``scipy.stats.fisher_exact``), reporting the sample
  (unconditional) odds ratio ``ad/bc`` and the conditional maximum-likelihood
  odds ratio with its exact confidence interval
  (the method of ``scipy.stats.contingency.odds_ratio``, on a vectorised pmf; as R's ``fisher.test``). A variable
  with three or more levels also gets one Fisher–Freeman–Halton test of the
  whole ``levels x has_mne`` table by exact enumeration of every table with the
  observed margins (probabilities from ``scipy.stats.multivariate_hypergeom``);
  two-sided p-value = total probability of the tables no more probable than the
  observed one. When the enumeration would exceed ``max_exact_tables``, a seeded
  Monte Carlo test (``scipy.stats.MonteCarloMethod``) is used and the method
  column says so. A variable with exactly two known levels gets a single 2x2
  row (the two "each vs the rest" tables would be the same test). Unknown
  values (founding period ``unknown``, top-15 flag ``unknown``, no industry) are
  excluded from the test and counted in ``n_excluded``. The Holm correction
  (``statsmodels.stats.multitest.multipletests``, ``method='holm'``) runs over
  every row with a p-value.
* **Industry groups.** Cluster industries are grouped by technology intensity
  following the OECD classification of manufacturing industries (Galindo-Rueda
  & Verger 2016, OECD STI Working Paper 2016/04), with ICT and medical services
  counted as knowledge-intensive: see :data:`INDUSTRY_GROUPS`.
* **Presence model.** ``has_mne ~ status + founding_period + innovation_top +
  investment_top`` with treatment dummies; ``unknown`` is its own level (a gap
  is not read as a low rank). Reference levels: status ``none``, founding
  period ``old``, top-15 flags ``no`` (the first level present in
  :data:`MODEL_LEVELS`). Fitted by Firth's penalised likelihood
  (:func:`firth_logit`), with profile penalised-likelihood confidence intervals
  and penalised likelihood-ratio p-values, as R's ``logistf`` does.
* **Chicken or egg.** Pairs are distinct (cluster, MNE group) pairs of MNE
  relations (:func:`mne_clusters.classify.mne_pairs`): a pair described by
  several rows takes the earliest entry year any of them gives, and a group
  outside the registry counts by its organisation's name. ``timing`` is
  ``before`` (entry year < founding year), ``same_year``, ``after`` or
  ``unknown`` (either year missing, never dropped). Summaries are by the
  cluster's status and by the *cluster's* industry.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats
from statsmodels.stats.multitest import multipletests

from mne_clusters import outputs, provenance
from mne_clusters.classify import mne_pairs
from mne_clusters.errors import DataError, Problem

#: Seed of every random step (the Monte Carlo fallback of the r x c test).
DEFAULT_SEED = 20190620
#: Monte Carlo resamples when exact enumeration is too large.
DEFAULT_RESAMPLES = 100_000
#: Fewest known clusters in each compared group for a test (``stats.min_known``).
DEFAULT_MIN_KNOWN = 5
#: Largest number of tables the exact r x 2 enumeration visits.
DEFAULT_MAX_EXACT_TABLES = 1_000_000

#: Technology-intensity groups of the contract's industry vocabulary (OECD
#: technology intensity of manufacturing; ICT and medical as knowledge-intensive).
INDUSTRY_GROUPS: dict[str, str] = {
    "pharma_biotech": "high_tech",
    "electronics": "high_tech",
    "aerospace": "high_tech",
    "ict": "high_tech",
    "medical": "high_tech",
    "chemicals": "medium_high_tech",
    "machinery_equipment": "medium_high_tech",
    "automotive": "medium_high_tech",
    "energy": "other_sectors",
    "materials": "other_sectors",
    "food_agri": "other_sectors",
    "construction": "other_sectors",
    "transport_logistics": "other_sectors",
    "tourism_creative": "other_sectors",
    "other": "other_sectors",
}
INDUSTRY_GROUP_ORDER = ["high_tech", "medium_high_tech", "other_sectors"]

STATUS_ORDER = ["innovative", "industrial", "cdc_supported", "none"]
UNKNOWN = "unknown"

#: Level order of the model's factors; the first level present is the reference.
MODEL_LEVELS: dict[str, list[str]] = {
    "status": ["none", "innovative", "industrial", "cdc_supported", UNKNOWN],
    "founding_period": ["old", "new", UNKNOWN],
    "innovation_top": ["no", "yes", UNKNOWN],
    "investment_top": ["no", "yes", UNKNOWN],
}

#: For a variable with two known levels, the level reported against the other.
_FOCUS_LEVELS = ("yes", "new", "innovative", "high_tech")

#: Profile intervals are searched this many log-odds units from the estimate.
PROFILE_LIMIT = 40.0

#: Events per parameter below which a logistic model cannot support conclusions.
MIN_EVENTS_PER_PARAMETER = 10

ASSOCIATION_COLUMNS = [
    "test",
    "variable",
    "level",
    "n",
    "n_excluded",
    "n_presence_unknown",
    "n_level_mne",
    "n_level_no_mne",
    "n_rest_mne",
    "n_rest_no_mne",
    "odds_ratio_sample",
    "odds_ratio_conditional",
    "or_ci_low",
    "or_ci_high",
    "table_probability",
    "p_value",
    "p_holm",
    "reject_holm",
    "n_strata",
    "odds_ratio_common",
    "or_common_ci_low",
    "or_common_ci_high",
    "p_stratified",
    "p_holm_stratified",
    "reject_holm_stratified",
    "method",
    "note",
]

MODEL_COLUMNS = [
    "term",
    "log_odds",
    "se",
    "odds_ratio",
    "ci_low",
    "ci_high",
    "p_value",
    "n",
    "n_events",
    "method",
    "note",
]

TIMINGS = ["before", "same_year", "after", "undetermined", UNKNOWN]

#: Columns of one cluster-MNE pair in the chicken-or-egg table.
PAIR_COLUMNS = [
    "cluster_id",
    "cluster_name",
    "mne_id",
    "mne_name",
    "status",
    "industry",
    "founded_year",
    "founded_year_low",
    "founded_year_high",
    "entry_year",
    "lag_years",
    "timing",
    "unknown_because",
]

CHICKEN_COLUMNS = [
    "section",
    "level",
    *PAIR_COLUMNS,
    "n_pairs",
    "n_before",
    "n_same_year",
    "n_after",
    "n_undetermined",
    "n_unknown",
]


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def _stats_config(config: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if not config:
        return {}
    return config.get("stats", {}) or {}


def _as_flag(values: pd.Series) -> pd.Series:
    """``has_mne`` as a nullable boolean (a blank stays missing)."""
    return values.astype("boolean")


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

    def pmf(nc: float) -> np.ndarray:
        w = log_h + kf * math.log(nc)
        w = np.exp(w - w.max())
        return w / w.sum()

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
    probs = stats.multivariate_hypergeom.pmf(xs, m=rows, n=col)
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

    def moments(log_psi: float) -> np.ndarray:
        w = log_d + support * log_psi
        w = np.exp(w - w.max())
        return w / w.sum()

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


# ---------------------------------------------------------------------------
# Association tests
# ---------------------------------------------------------------------------


def _industry_group(industry: pd.Series, groups: Mapping[str, str]) -> pd.Series:
    text = industry.astype("string")
    return text.map(lambda v: groups.get(v, UNKNOWN) if isinstance(v, str) else UNKNOWN).astype(
        "string"
    )


def _either_top(innovation: pd.Series, investment: pd.Series) -> pd.Series:
    """``yes`` if either flag is yes, ``no`` if both are no, else ``unknown``."""
    inn = innovation.astype("string").fillna(UNKNOWN)
    inv = investment.astype("string").fillna(UNKNOWN)
    out = np.where(
        (inn == "yes") | (inv == "yes"),
        "yes",
        np.where((inn == "no") & (inv == "no"), "no", UNKNOWN),
    )
    return pd.Series(out, index=innovation.index, dtype="string")


def _variables(
    clusters: pd.DataFrame, groups: Mapping[str, str]
) -> list[tuple[str, pd.Series, list[str], str]]:
    """(name, values, level order, what unknown means) for each tested variable."""
    group_order = [g for g in INDUSTRY_GROUP_ORDER if g in set(groups.values())] + sorted(
        set(groups.values()) - set(INDUSTRY_GROUP_ORDER)
    )
    out = [
        ("status", clusters["status"].astype("string").fillna(UNKNOWN), STATUS_ORDER, "no status"),
        (
            "founding_period",
            clusters["founding_period"].astype("string").fillna(UNKNOWN),
            sorted(set(clusters["founding_period"].dropna().astype(str)) - {UNKNOWN}),
            "founding year unknown",
        ),
        (
            "industry_group",
            _industry_group(clusters["industry"], groups),
            group_order,
            "industry unknown or outside the grouping",
        ),
    ]
    for key in ("innovation", "investment"):
        out.append(
            (
                f"{key}_top",
                clusters[f"{key}_top"].astype("string").fillna(UNKNOWN),
                ["yes", "no"],
                f"region's {key} rank unknown: absent, or a band straddling the top-N cut-off",
            )
        )
    out.append(
        (
            "innovation_or_investment_top",
            _either_top(clusters["innovation_top"], clusters["investment_top"]),
            ["yes", "no"],
            "neither flag is yes and at least one is unknown",
        )
    )
    return out


def _presence_flag(clusters: pd.DataFrame) -> pd.Series:
    """MNE presence as a nullable boolean: ``mne_presence`` yes/no, else ``has_mne``."""
    if "mne_presence" in clusters.columns:
        text = clusters["mne_presence"].astype("string")
        out = pd.Series(pd.NA, index=clusters.index, dtype="boolean")
        return out.mask(text == "yes", True).mask(text == "no", False).astype("boolean")
    return _as_flag(clusters["has_mne"])


def _strata(clusters: pd.DataFrame) -> pd.Series:
    """The stratum of each cluster: its federal district (``unknown`` if none)."""
    if "federal_district" not in clusters.columns:
        return pd.Series("all", index=clusters.index, dtype=str)
    return clusters["federal_district"].astype("string").fillna(UNKNOWN).astype(str)


def _not_enough(cells: Sequence[int], min_known: int) -> str:
    """Why a 2x2 comparison cannot be tested; empty when it can."""
    level, rest = cells[0] + cells[1], cells[2] + cells[3]
    if level == 0:
        return "no cluster at this level"
    if rest == 0:
        return "every known cluster is at this level: no comparison group"
    if cells[0] + cells[2] == 0:
        return "every known cluster has no MNE"
    if cells[1] + cells[3] == 0:
        return "every known cluster has an MNE: no known cluster without one"
    if min(level, rest) < min_known:
        return (
            f"{min(level, rest)} known clusters in the smaller group, fewer than "
            f"stats.min_known ({min_known})"
        )
    return ""


def association_tests(
    clusters: pd.DataFrame,
    *,
    alpha: float = 0.05,
    industry_groups: Mapping[str, str] | None = None,
    seed: int = DEFAULT_SEED,
    n_resamples: int = DEFAULT_RESAMPLES,
    max_exact_tables: int = DEFAULT_MAX_EXACT_TABLES,
    min_known: int = DEFAULT_MIN_KNOWN,
) -> pd.DataFrame:
    """Fisher tests of MNE presence against cluster status, founding period,
    industry group and the host region's top-15 flags, Holm-corrected, each
    2x2 comparison also stratified by federal district.

    Only clusters whose MNE presence is known (yes or no) and whose value of
    the variable is known enter a test; the others are counted
    (``n_excluded``, of which ``n_presence_unknown``), never compared.

    Parameters
    ----------
    clusters
        Classified clusters: ``status``, ``founding_period``, ``industry``,
        ``mne_presence`` (or ``has_mne``), ``innovation_top``,
        ``investment_top``; ``federal_district`` for the stratified test
        (without it, one stratum).
    alpha
        Confidence intervals are ``1 - alpha``; Holm rejects at ``alpha``.
    industry_groups
        Industry -> group mapping (default :data:`INDUSTRY_GROUPS`).
    seed, n_resamples, max_exact_tables
        Control the Monte Carlo fallback of the r x c test (rarely used).
    min_known
        Fewest known clusters in each compared group (each level for the r x 2
        test) for a test to be run; fewer gives "not enough data" and no p-value.

    Returns
    -------
    pandas.DataFrame
        One row per test, columns :data:`ASSOCIATION_COLUMNS`. The cells are
        ``n_level_mne`` (clusters at the level with an MNE), ``n_level_no_mne``,
        ``n_rest_mne``, ``n_rest_no_mne`` (the other known levels). ``p_holm``
        is over every row with a p-value, ``p_holm_stratified`` over every row
        with a stratified p-value.
    """
    groups = dict(INDUSTRY_GROUPS if industry_groups is None else industry_groups)
    has = _presence_flag(clusters)
    strata = _strata(clusters)
    rows: list[dict[str, Any]] = []
    for name, values, order, unknown_means in _variables(clusters, groups):
        value_known = values.ne(UNKNOWN) & values.notna()
        known = value_known & has.notna()
        n_excluded = int((~known).sum())
        n_presence_unknown = int(has.isna().sum())
        v = values[known].astype(str)
        h = has[known].astype(bool)
        z = strata[known]
        levels = [lvl for lvl in order if lvl in set(v)] + sorted(set(v) - set(order))
        parts = []
        if int((~value_known).sum()):
            parts.append(f"{int((~value_known).sum())} {unknown_means}")
        if n_presence_unknown:
            parts.append(f"{n_presence_unknown} MNE presence unknown (members not listed)")
        excl_note = f"{n_excluded} excluded ({'; '.join(parts)})" if n_excluded else ""
        if len(levels) == 2:
            focus = next((lvl for lvl in _FOCUS_LEVELS if lvl in levels), levels[-1])
            tested = [focus]
        else:
            tested = [lvl for lvl in order if lvl in levels or name == "status"] + [
                lvl for lvl in levels if lvl not in order
            ]
        for level in tested:
            inside = v == level
            cells = [
                int((inside & h).sum()),
                int((inside & ~h).sum()),
                int((~inside & h).sum()),
                int((~inside & ~h).sum()),
            ]
            other = [lvl for lvl in levels if lvl != level]
            rest = f"vs {other[0]}" if len(levels) == 2 and len(other) == 1 else "vs the rest"
            row: dict[str, Any] = {
                "test": "fisher_2x2",
                "variable": name,
                "level": level,
                "n": int(known.sum()),
                "n_excluded": n_excluded,
                "n_presence_unknown": n_presence_unknown,
                "n_level_mne": cells[0],
                "n_level_no_mne": cells[1],
                "n_rest_mne": cells[2],
                "n_rest_no_mne": cells[3],
                "method": f"two-sided Fisher exact test, {level} {rest}; conditional MLE odds "
                f"ratio with exact {100 * (1 - alpha):g}% CI; stratified by federal district: "
                "exact conditional test of a common odds ratio (as R mantelhaen.test, exact)",
            }
            notes = [excl_note] if excl_note else []
            why = _not_enough(cells, min_known)
            if why:
                row.update(p_value=math.nan, table_probability=math.nan, p_stratified=math.nan)
                notes.append(f"not enough data: {why}; no test")
            else:
                res = fisher_2x2(np.array(cells).reshape(2, 2), alpha=alpha)
                row.update(
                    p_value=res.p_value,
                    odds_ratio_sample=res.odds_ratio_sample,
                    odds_ratio_conditional=res.odds_ratio_conditional,
                    or_ci_low=res.ci_low,
                    or_ci_high=res.ci_high,
                    table_probability=res.table_probability,
                )
                tabs = [
                    np.array(
                        [
                            [int((inside[z == k] & h[z == k]).sum()),
                             int((inside[z == k] & ~h[z == k]).sum())],
                            [int((~inside[z == k] & h[z == k]).sum()),
                             int((~inside[z == k] & ~h[z == k]).sum())],
                        ]
                    )
                    for k in sorted(set(z))
                ]  # fmt: skip
                st = exact_stratified_2x2(tabs, alpha=alpha)
                row.update(
                    n_strata=st.n_strata,
                    p_stratified=st.p_value,
                    odds_ratio_common=st.odds_ratio,
                    or_common_ci_low=st.ci_low,
                    or_common_ci_high=st.ci_high,
                )
                if st.n_strata == 0:
                    notes.append(
                        "no federal district holds both groups and both outcomes: "
                        "no stratified test"
                    )
                if 0 in cells:
                    notes.append("a zero cell: sample odds ratio is 0 or infinite")
            row["note"] = "; ".join(notes)
            rows.append(row)
        if len(levels) >= 3:
            table = np.array(
                [[int((h[v == lvl]).sum()), int((~h[v == lvl]).sum())] for lvl in levels]
            )
            small = [lvl for lvl, r in zip(levels, table.sum(axis=1), strict=True) if r < min_known]
            constant = int(table[:, 0].sum()) in (0, int(table.sum()))
            why = (
                "MNE presence is constant among the known clusters"
                if constant
                else (
                    f"level(s) {', '.join(small)} with fewer than stats.min_known "
                    f"({min_known}) known clusters"
                    if small
                    else ""
                )
            )
            res_rc = (
                None
                if why
                else fisher_freeman_halton(
                    table, seed=seed, n_resamples=n_resamples, max_exact_tables=max_exact_tables
                )
            )
            rows.append(
                {
                    "test": "fisher_freeman_halton",
                    "variable": name,
                    "level": "all: " + " / ".join(levels),
                    "n": int(known.sum()),
                    "n_excluded": n_excluded,
                    "n_presence_unknown": n_presence_unknown,
                    "table_probability": math.nan if res_rc is None else res_rc.table_probability,
                    "p_value": math.nan if res_rc is None else res_rc.p_value,
                    "p_stratified": math.nan,
                    "method": (
                        "Fisher-Freeman-Halton exact test" if res_rc is None else res_rc.method
                    )
                    + f", {len(levels)} levels x MNE presence (not stratified)",
                    "note": "; ".join(
                        n for n in (excl_note, f"not enough data: {why}; no test" * bool(why)) if n
                    ),
                }
            )
    out = pd.DataFrame(rows).reindex(columns=ASSOCIATION_COLUMNS)
    padj, reject = holm_adjust(out["p_value"].to_numpy(dtype=float), alpha=alpha)
    out["p_holm"] = padj
    out["reject_holm"] = np.where(np.isnan(padj), "", np.where(reject, "yes", "no"))
    sadj, sreject = holm_adjust(out["p_stratified"].to_numpy(dtype=float), alpha=alpha)
    out["p_holm_stratified"] = sadj
    out["reject_holm_stratified"] = np.where(np.isnan(sadj), "", np.where(sreject, "yes", "no"))
    n_family = int((~np.isnan(padj)).sum())
    n_strat = int((~np.isnan(sadj)).sum())
    out["method"] = (
        out["method"]
        + f"; Holm correction over {n_family} tests (alpha {alpha:g})"
        + f", stratified: over {n_strat}"
    )
    out["note"] = out["note"].fillna("")
    for col in ["n", "n_excluded", "n_presence_unknown"]:
        out[col] = out[col].astype("int64")
    for col in ["n_level_mne", "n_level_no_mne", "n_rest_mne", "n_rest_no_mne", "n_strata"]:
        out[col] = out[col].astype("Int64")
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------
# Firth's penalised-likelihood logistic regression
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FirthResult:
    """A Firth logistic fit: estimates, Wald SEs, profile CIs and LR tests."""

    coef: np.ndarray
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    chi2: np.ndarray
    p_value: np.ndarray
    loglik: float
    n_iter: int
    converged: bool
    profile_converged: bool = True


def _sigmoid(eta: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -eta))


def _penalised(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, beta: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray]:
    """Penalised log-likelihood, its gradient (Firth's modified score) and Fisher information."""
    eta = X @ beta
    pi = _sigmoid(eta)
    # log pi = -log(1+e^-eta), log(1-pi) = -log(1+e^eta): stable for large |eta|
    loglik = float(np.sum(w * (y * -np.logaddexp(0.0, -eta) + (1 - y) * -np.logaddexp(0.0, eta))))
    v = w * pi * (1 - pi)
    info = X.T @ (X * v[:, None])
    sign, logdet = np.linalg.slogdet(info)
    if sign <= 0:
        return -math.inf, np.zeros_like(beta), info
    cov = np.linalg.inv(info)
    h = v * np.einsum("ij,jk,ik->i", X, cov, X)
    score = X.T @ (w * (y - pi) + h * (0.5 - pi))
    return loglik + 0.5 * logdet, score, info


def _firth_newton(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    beta0: np.ndarray,
    free: np.ndarray,
    *,
    max_iter: int = 100,
    max_halfstep: int = 30,
    max_step: float = 5.0,
    tol: float = 1e-6,
    gtol: float = 1e-7,
) -> tuple[np.ndarray, float, int, bool]:
    """Maximise the penalised likelihood over the ``free`` coefficients (others fixed)."""
    beta = beta0.astype(float).copy()
    ll, score, info = _penalised(X, y, w, beta)
    for it in range(1, max_iter + 1):
        idx = np.flatnonzero(free)
        step = np.zeros_like(beta)
        step[idx] = np.linalg.solve(info[np.ix_(idx, idx)], score[idx])
        biggest = np.max(np.abs(step)) if len(idx) else 0.0
        if biggest > max_step:
            step *= max_step / biggest
        new = beta + step
        new_ll, new_score, new_info = _penalised(X, y, w, new)
        # Halve the step while the penalised likelihood falls (logistf) and,
        # beyond that, while a half step does better: Fisher scoring is not the
        # penalised Hessian, and along a direction the penalty alone decides
        # (a level with no events) the full step overshoots to a mirror point.
        for _ in range(max_halfstep):
            half = step / 2
            half_ll, half_score, half_info = _penalised(X, y, w, beta + half)
            if np.isfinite(new_ll) and new_ll >= ll - 1e-12 and not half_ll > new_ll:
                break
            step, new, new_ll, new_score, new_info = (
                half,
                beta + half,
                half_ll,
                half_score,
                half_info,
            )
        beta, ll, score, info = new, new_ll, new_score, new_info
        if np.max(np.abs(step)) < tol and np.max(np.abs(score[free])) < gtol:
            return beta, ll, it, True
    return beta, ll, max_iter, False


def firth_logit(
    X: np.ndarray,
    y: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    alpha: float = 0.05,
    profile: bool = True,
) -> FirthResult:
    """Logistic regression by Firth's penalised likelihood (Jeffreys prior).

    Maximises ``l(b) + 0.5 log det I(b)`` by Newton–Raphson on Firth's modified
    score ``X'(y - pi + h (1/2 - pi))`` (``h``: diagonal of the weighted hat
    matrix), with steps capped at 5 and halved while the penalised likelihood
    falls (Heinze & Schemper 2002; the algorithm of R's ``logistf``).

    Parameters
    ----------
    X
        Design matrix, ``n x p``, including the intercept column.
    y
        0/1 outcomes.
    weights
        Frequency weights (a row standing for ``w`` identical observations).
    alpha
        Confidence intervals are ``1 - alpha``.
    profile
        Compute profile penalised-likelihood intervals and penalised
        likelihood-ratio tests (one constrained fit per coefficient and bound).

    Returns
    -------
    FirthResult
        Coefficients (log odds), Wald standard errors (from the inverse Fisher
        information at the estimate), profile-likelihood interval bounds
        (``nan`` if ``profile`` is false; ``±inf`` if a bound is not reached
        within :data:`PROFILE_LIMIT` log-odds units), the penalised LR chi-square of ``b_j = 0`` and
        its p-value (1 df), the maximised penalised log-likelihood, iterations,
        and whether the fit and every constrained (profile) fit converged.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    p = X.shape[1]
    all_free = np.ones(p, dtype=bool)
    beta, ll, n_iter, converged = _firth_newton(
        X, y, w, np.zeros(p), all_free, max_iter=200, tol=1e-8, gtol=1e-10
    )
    _, _, info = _penalised(X, y, w, beta)
    se = np.sqrt(np.diag(np.linalg.inv(info)))
    nan = np.full(p, np.nan)
    if not profile:
        return FirthResult(beta, se, nan, nan.copy(), nan.copy(), nan.copy(), ll, n_iter, converged)
    crit = float(stats.chi2.ppf(1 - alpha, 1))

    # Warm starts: each constrained fit begins at the nearest solution found so far.
    solved: dict[int, list[tuple[float, np.ndarray]]] = {j: [(beta[j], beta)] for j in range(p)}
    profile_ok = [True]

    def profile_ll(j: int, value: float) -> float:
        free = all_free.copy()
        free[j] = False
        start = min(solved[j], key=lambda item: abs(item[0] - value))[1].copy()
        start[j] = value
        b, ll_j, _, ok = _firth_newton(X, y, w, start, free)
        solved[j].append((value, b))
        profile_ok[0] = profile_ok[0] and ok
        return ll_j

    lows, highs, chi2s = nan.copy(), nan.copy(), nan.copy()
    for j in range(p):
        chi2s[j] = max(0.0, 2 * (ll - profile_ll(j, 0.0)))

        def excess(value: float, j: int = j) -> float:
            return 2 * (ll - profile_ll(j, value)) - crit

        for sign, target in ((-1, lows), (1, highs)):
            width = max(se[j], 0.1)
            bound = beta[j] + sign * width
            while excess(bound) < 0 and abs(bound - beta[j]) < PROFILE_LIMIT:
                width *= 2
                bound = beta[j] + sign * width
            if excess(bound) < 0:
                target[j] = sign * math.inf
                continue
            lo, hi = sorted((beta[j], bound))
            target[j] = optimize.brentq(excess, lo, hi, xtol=1e-9)
    p_values = stats.chi2.sf(chi2s, 1)
    return FirthResult(beta, se, lows, highs, chi2s, p_values, ll, n_iter, converged, profile_ok[0])


def _model_design(clusters: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Treatment-coded design of the presence model, and notes on dropped terms."""
    notes: list[str] = []
    cols: dict[str, np.ndarray] = {"(Intercept)": np.ones(len(clusters))}
    for factor, order in MODEL_LEVELS.items():
        values = clusters[factor].astype("string").fillna(UNKNOWN).astype(str)
        present = [lvl for lvl in order if lvl in set(values)]
        extra = sorted(set(values) - set(order))
        levels = present + extra
        if len(levels) < 2:
            notes.append(
                f"{factor} left out: every cluster has the same value ({levels[0] if levels else 'none'})"
            )
            continue
        ref = levels[0]
        for lvl in levels[1:]:
            cols[f"{factor}={lvl} (vs {ref})"] = (values == lvl).to_numpy(dtype=float)
    design = pd.DataFrame(cols, index=clusters.index)
    # Drop columns that add nothing (collinear with earlier ones), in order.
    kept: list[str] = []
    for col in design.columns:
        trial = design[[*kept, col]].to_numpy()
        if np.linalg.matrix_rank(trial) == len(kept) + 1:
            kept.append(col)
        else:
            notes.append(f"{col} left out: collinear with other terms")
    return design[kept], notes


def _unknown_term(term: str) -> bool:
    """Whether a model term is the dummy of an ``unknown`` level."""
    return f"={UNKNOWN} (vs " in term or term.endswith(f"(vs {UNKNOWN})")


def presence_model(
    clusters: pd.DataFrame, *, alpha: float = 0.05, min_known: int = DEFAULT_MIN_KNOWN
) -> pd.DataFrame:
    """Firth logistic model of MNE presence on status, founding period and region flags.

    ``has_mne ~ status + founding_period + innovation_top + investment_top``,
    treatment-coded (references: the first level present in
    :data:`MODEL_LEVELS`; ``unknown`` is a level of its own), fitted with
    :func:`firth_logit`. Clusters whose MNE presence is unknown are left out
    and counted in the note; with fewer than ``min_known`` clusters with, or
    without, an MNE the model is not fitted ("not enough data"). A term of an
    ``unknown`` level is a missing-data indicator, not a comparison of known
    values: its estimate is shown, its p-value is not.

    Parameters
    ----------
    clusters
        Classified clusters.
    alpha
        Intervals are ``1 - alpha`` profile penalised-likelihood intervals.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`MODEL_COLUMNS`: one row per term (odds ratios; the
        intercept's is the odds at the reference levels), then a ``(model)``
        row whose note says whether the data can support conclusions (fewer than
        :data:`MIN_EVENTS_PER_PARAMETER` events per parameter, or no events, cannot).
    """
    has = _presence_flag(clusters)
    n_missing = int(has.isna().sum())
    data = clusters.loc[has.notna()]
    y = has[has.notna()].astype(bool).to_numpy(dtype=float)
    n, n_events = len(y), int(y.sum())
    method = (
        "Firth penalised-likelihood logistic regression (Jeffreys prior); "
        f"profile penalised-likelihood {100 * (1 - alpha):g}% CI and penalised "
        "likelihood-ratio test, as R logistf"
    )
    design, notes = _model_design(data)
    if n_missing:
        notes.append(f"{n_missing} clusters left out: MNE presence unknown (members not listed)")
    n_par = design.shape[1]
    minority = min(n_events, n - n_events)
    if minority < min_known:
        which = "with" if n_events < min_known else "without"
        verdict = (
            f"not enough data: not fitted: {minority} known clusters {which} an MNE "
            f"({n_events} of {n} with), fewer than stats.min_known ({min_known}); the data "
            "cannot support any conclusion"
        )
        return (
            pd.DataFrame(
                [
                    {
                        "term": "(model)",
                        "n": n,
                        "n_events": n_events,
                        "method": method,
                        "note": "; ".join([verdict, *notes]),
                    }
                ]
            )
            .reindex(columns=MODEL_COLUMNS)
            .astype({"n": "int64", "n_events": "int64"})
        )
    epp = minority / n_par
    if epp < MIN_EVENTS_PER_PARAMETER:
        verdict = (
            f"thin data: {minority} events for {n_par} parameters ({epp:.1f} per parameter, "
            f"fewer than {MIN_EVENTS_PER_PARAMETER}); the model cannot support conclusions, "
            "read it as description only"
        )
    else:
        verdict = f"{minority} events for {n_par} parameters ({epp:.1f} per parameter)"
    fit = firth_logit(design.to_numpy(), y, alpha=alpha)
    if not fit.converged:
        notes.append("the penalised Newton-Raphson did not converge: estimates unreliable")
    if not fit.profile_converged:
        notes.append(
            "some profile-likelihood fits did not converge: intervals and p-values approximate"
        )
    term_note = "thin data: description only" if epp < MIN_EVENTS_PER_PARAMETER else ""
    rows = [
        {
            "term": term,
            "log_odds": fit.coef[j],
            "se": fit.se[j],
            "odds_ratio": math.exp(fit.coef[j]),
            "ci_low": math.exp(fit.ci_low[j])
            if np.isfinite(fit.ci_low[j])
            else (0.0 if fit.ci_low[j] < 0 else math.inf),
            "ci_high": math.exp(fit.ci_high[j]) if np.isfinite(fit.ci_high[j]) else math.inf,
            "p_value": math.nan if _unknown_term(term) else fit.p_value[j],
            "n": n,
            "n_events": n_events,
            "method": method,
            "note": ("odds at the reference levels; " + term_note).rstrip("; ")
            if term == "(Intercept)"
            else (
                "; ".join(
                    [
                        "unknown level: a missing-data indicator, not a comparison of known "
                        "values; no p-value",
                        term_note,
                    ]
                ).rstrip("; ")
                if _unknown_term(term)
                else term_note
            ),
        }
        for j, term in enumerate(design.columns)
    ]
    rows.append(
        {
            "term": "(model)",
            "n": n,
            "n_events": n_events,
            "method": method,
            "note": "; ".join([verdict, *notes]),
        }
    )
    out = pd.DataFrame(rows).reindex(columns=MODEL_COLUMNS)
    return out.astype({"n": "int64", "n_events": "int64"})


# ---------------------------------------------------------------------------
# Chicken or egg
# ---------------------------------------------------------------------------


def _timing(low: Any, high: Any, entry: Any) -> tuple[str, str]:
    """Timing of an MNE's entry against a founding year or range ``[low, high]``.

    ``before``/``after`` only when the entry year is before/after the whole
    range; ``same_year`` only for a single founding year equal to it;
    ``undetermined`` when the range holds the entry year but is not that year
    alone; ``unknown`` when a year is missing.
    """
    f_missing, e_missing = pd.isna(low) or pd.isna(high), pd.isna(entry)
    if f_missing and e_missing:
        return UNKNOWN, "no founding year and no entry year"
    if f_missing:
        return UNKNOWN, "no founding year"
    if e_missing:
        return UNKNOWN, "no entry year"
    if entry < low:
        return "before", ""
    if entry > high:
        return "after", ""
    if low == high == entry:
        return "same_year", ""
    return "undetermined", f"founded {int(low)}-{int(high)}: the range holds the entry year"


def _cluster_name(clusters: pd.DataFrame) -> pd.Series:
    """English name, else Russian name, else the id."""
    name = clusters["name_en"].astype("string") if "name_en" in clusters else None
    ru = clusters["name_ru"].astype("string") if "name_ru" in clusters else None
    out = clusters["cluster_id"].astype("string")
    for alt in (ru, name):
        if alt is not None:
            out = alt.where(alt.notna() & (alt.str.strip() != ""), out)
    return out.astype(str)


def chicken_or_egg_pairs(clusters: pd.DataFrame, relations: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct cluster–MNE pair, with whether the MNE came first.

    Parameters
    ----------
    clusters
        Classified clusters (``cluster_id``, ``status``, ``industry``, ``founded_year``).
    relations
        Classified relations (``cluster_id``, ``mne_id``, ``mne_name``,
        ``is_mne``, ``is_duplicate``, ``entry_year``).

    Returns
    -------
    pandas.DataFrame
        ``cluster_id``, ``mne_id``, ``mne_name``, ``status``, ``industry``
        (the cluster's; ``unknown`` if blank), ``founded_year``, ``entry_year``
        (Int64), ``lag_years`` (entry minus founding year, for a single
        founding year), ``timing`` (before/same_year/after/undetermined/
        unknown) and ``unknown_because``; also ``cluster_name`` and the
        founding bounds ``founded_year_low``/``_high``; sorted by
        cluster then MNE.
    """
    # One pair per cluster and group, with the earliest entry year any of its
    # rows gives; a group outside the registry is named by its organisation.
    pairs_in = mne_pairs(relations)
    rel = pd.DataFrame(
        {
            "cluster_id": pairs_in["cluster_id"].astype(str),
            "mne_id": pairs_in["mne_id"].astype("string").fillna(pairs_in["group"]).astype(str),
            "mne_name": pairs_in["mne_name"]
            .astype("string")
            .fillna(pairs_in["organisation"].astype("string")),
            "entry_year": pairs_in["entry_year"].astype("Int64"),
        }
    )
    year = clusters["founded_year"].astype("Int64")
    low = (
        clusters["founded_year_low"].astype("Int64").fillna(year)
        if "founded_year_low" in clusters.columns
        else year
    )
    high = (
        clusters["founded_year_high"].astype("Int64").fillna(year)
        if "founded_year_high" in clusters.columns
        else year
    )
    info = pd.DataFrame(
        {
            "cluster_id": clusters["cluster_id"].astype(str),
            "cluster_name": _cluster_name(clusters),
            "status": clusters["status"].astype("string").fillna(UNKNOWN),
            "industry": clusters["industry"].astype("string").fillna(UNKNOWN),
            "founded_year": year,
            "founded_year_low": low.astype("Int64"),
            "founded_year_high": high.astype("Int64"),
        }
    )
    pairs = rel.merge(info, on="cluster_id", how="left", validate="many_to_one")
    pairs["status"] = pairs["status"].fillna(UNKNOWN)
    pairs["industry"] = pairs["industry"].fillna(UNKNOWN)
    decided: dict[tuple[Any, Any, Any], tuple[str, str]] = {}  # one call per distinct triple
    timing = [
        decided[k] if k in decided else decided.setdefault(k, _timing(*k))
        for k in zip(
            pairs["founded_year_low"].tolist(),
            pairs["founded_year_high"].tolist(),
            pairs["entry_year"].tolist(),
            strict=True,
        )
    ]
    pairs["timing"] = [t for t, _ in timing]
    pairs["unknown_because"] = [r for _, r in timing]
    pairs["lag_years"] = (pairs["entry_year"] - pairs["founded_year"]).astype("Int64")
    return pairs[PAIR_COLUMNS].sort_values(["cluster_id", "mne_id"]).reset_index(drop=True)


def _summary(pairs: pd.DataFrame, by: str | None, levels: list[str], section: str) -> pd.DataFrame:
    rows = []
    for level in levels:
        part = pairs if by is None else pairs.loc[pairs[by] == level]
        counts = part["timing"].value_counts()
        rows.append(
            {
                "section": section,
                "level": level,
                "n_pairs": len(part),
                **{f"n_{t}": int(counts.get(t, 0)) for t in TIMINGS},
            }
        )
    return pd.DataFrame(rows)


def chicken_or_egg(clusters: pd.DataFrame, relations: pd.DataFrame) -> pd.DataFrame:
    """Pairs and summaries of the chicken-or-egg question in one tidy table.

    Rows with ``section == "pair"`` are the pairs of
    :func:`chicken_or_egg_pairs` (``level`` = ``cluster_id/mne_id``); then
    ``section == "total"`` (one row, ``level`` = ``all``), ``"by_status"``
    (every status of the wave, in :data:`STATUS_ORDER`, with zero rows kept) and
    ``"by_industry"`` (the cluster's industry, alphabetical, ``unknown`` last),
    carrying ``n_pairs``, ``n_before``, ``n_same_year``, ``n_after``,
    ``n_unknown``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CHICKEN_COLUMNS`.
    """
    pairs = chicken_or_egg_pairs(clusters, relations)
    pair_rows = pairs.assign(section="pair", level=pairs["cluster_id"] + "/" + pairs["mne_id"])
    wave_status = set(clusters["status"].astype("string").fillna(UNKNOWN)) | set(pairs["status"])
    status_levels = [s for s in STATUS_ORDER if s in wave_status] + sorted(
        wave_status - set(STATUS_ORDER)
    )
    industries = sorted(set(pairs["industry"]) - {UNKNOWN}) + (
        [UNKNOWN] if UNKNOWN in set(pairs["industry"]) else []
    )
    summary = pd.concat(
        [
            _summary(pairs, None, ["all"], "total"),
            _summary(pairs, "status", status_levels, "by_status"),
            _summary(pairs, "industry", industries, "by_industry"),
        ],
        ignore_index=True,
    )
    out = pd.concat([pair_rows, summary], ignore_index=True).reindex(columns=CHICKEN_COLUMNS)
    for col in ["n_pairs", "n_before", "n_same_year", "n_after", "n_undetermined", "n_unknown"]:
        out[col] = out[col].astype("Int64")
    for col in ["founded_year", "founded_year_low", "founded_year_high", "entry_year", "lag_years"]:
        out[col] = out[col].astype("Int64")
    return out


_TIMING_COLOURS = {
    "before": "#1b9e77",
    "same_year": "#7570b3",
    "after": "#d95f02",
    "undetermined": "#e6ab02",
}

#: Longest cluster name shown on the timeline's axis.
_NAME_CHARS = 48

#: Most clusters drawn on the timeline (``stats.timeline_max_clusters``): one
#: row each, 0.4 inch high; beyond this the chart is unreadable and, in PNG,
#: larger than a raster image can be. The table keeps every pair.
DEFAULT_TIMELINE_MAX_CLUSTERS = 150


def _short(name: str) -> str:
    return name if len(name) <= _NAME_CHARS else name[: _NAME_CHARS - 1].rstrip() + "…"


def chicken_or_egg_figure(
    pairs: pd.DataFrame,
    provenance: Mapping[str, Any],
    *,
    max_clusters: int = DEFAULT_TIMELINE_MAX_CLUSTERS,
) -> Any:
    """Timeline per cluster: the founding year (black bar, or a grey span for a
    range) and each MNE's entry (dots).

    Parameters
    ----------
    pairs
        Pairs as from :func:`chicken_or_egg_pairs`, or the whole table of
        :func:`chicken_or_egg` (only ``section == "pair"`` rows are used).
    provenance
        The record of :func:`mne_clusters.provenance.record`; its source line is
        written at the foot of the figure.
    max_clusters
        Most clusters drawn. With more clusters that have a pair, the
        ``max_clusters`` with the most pairs are drawn (ties: by cluster id),
        and the subtitle says how many are not shown and that the table lists
        every pair; the subtitle's counts are always of all pairs.

    Returns
    -------
    matplotlib.figure.Figure
        House style (:mod:`mne_clusters.style`). One row per cluster with at
        least one MNE pair, named by its cluster name, sorted by founding year
        (unknown last) then cluster id. Dots are coloured by timing; undated
        entries and an unknown founding year are written as text at the
        right ("cluster founding year unknown"), never dropped.
    """
    from matplotlib.lines import Line2D

    from mne_clusters import style

    if "section" in pairs.columns:
        pairs = pairs.loc[pairs["section"] == "pair"]
    pairs = pairs.copy()
    for col in ("founded_year_low", "founded_year_high"):
        if col not in pairs.columns:
            pairs[col] = pairs["founded_year"]
    if "cluster_name" not in pairs.columns:
        pairs["cluster_name"] = pairs["cluster_id"]
    per_cluster = (
        pairs.groupby("cluster_id", sort=True)
        .agg(low=("founded_year_low", "first"), name=("cluster_name", "first"))
        .reset_index()
    )
    per_cluster["low"] = per_cluster["low"].astype("Int64")
    per_cluster["_unknown"] = per_cluster["low"].isna()
    per_cluster = per_cluster.sort_values(["_unknown", "low", "cluster_id"], kind="stable")
    n_clusters = len(per_cluster)
    if n_clusters > max_clusters:
        sizes = pairs.groupby("cluster_id", sort=True).size()
        ranked = sorted(sizes.items(), key=lambda item: (-item[1], item[0]))
        shown = {cid for cid, _ in ranked[:max_clusters]}
        per_cluster = per_cluster.loc[per_cluster["cluster_id"].isin(shown)]
    clusters_sorted = per_cluster["cluster_id"].tolist()
    names = [_short(str(n)) for n in per_cluster["name"]]
    n_pairs = len(pairs)
    decided = pairs["timing"].isin(["before", "same_year", "after"])
    n_dated = int(decided.sum()) if n_pairs else 0
    n_undet = int((pairs["timing"] == "undetermined").sum()) if n_pairs else 0
    fig, ax = style.new_figure(
        "Which came first: the cluster or the MNE?",
        f"{n_pairs} cluster–MNE pairs in {n_clusters} clusters; "
        f"order known for {n_dated}"
        + (f", undetermined for {n_undet} (founding year only known as a range)" if n_undet else "")
        + (
            f"; drawn: the {len(clusters_sorted)} clusters with most pairs, "
            f"{n_clusters - len(clusters_sorted)} more are listed in chicken_or_egg.csv"
            if n_clusters > len(clusters_sorted)
            else ""
        ),
        provenance,
        figsize=(
            style.FIGSIZE[0] + 5.0,
            max(style.FIGSIZE[1], 0.4 * len(clusters_sorted) + 2.4),
        ),
        note="Bar: cluster founded (grey span: founding year known only as a range). "
        "Dot: the MNE set up in the region. Missing years are listed at the right, "
        "not dropped.",
        right=0.7,
    )
    years = pd.concat(
        [pairs["founded_year_low"], pairs["founded_year_high"], pairs["entry_year"]]
    ).dropna()
    years = years.astype(int)
    x_min, x_max = (int(years.min()) - 2, int(years.max()) + 2) if len(years) else (2000, 2020)
    # Split only the drawn clusters' pairs (at most timeline_max_clusters), not every cluster's.
    drawn = pairs.loc[pairs["cluster_id"].isin(clusters_sorted)]
    by_cluster = {cid: part for cid, part in drawn.groupby("cluster_id", sort=False)}
    for i, cid in enumerate(clusters_sorted):
        part = by_cluster[cid].sort_values("mne_id")
        low, high = part["founded_year_low"].iloc[0], part["founded_year_high"].iloc[0]
        texts = []
        if pd.notna(low) and pd.notna(high) and low != high:
            ax.fill_betweenx(
                [i - 0.3, i + 0.3], int(low), int(high), color="#bbbbbb", linewidth=0, zorder=1
            )
            texts.append(f"founded {int(low)}–{int(high)}")
        elif pd.notna(low):
            ax.plot([low, low], [i - 0.35, i + 0.35], color="black", linewidth=2.5)
        else:
            texts.append("cluster founding year unknown")
        dated = part.loc[part["entry_year"].notna()]
        for k, (_, row) in enumerate(dated.iterrows()):
            colour = _TIMING_COLOURS.get(str(row["timing"]), style.UNKNOWN_COLOUR)
            y = i + (k - (len(dated) - 1) / 2) * 0.12
            ax.plot(
                int(row["entry_year"]), y, marker="o", markersize=6, color=colour, linestyle="",
                zorder=3,
            )  # fmt: skip
        undated = int(part["entry_year"].isna().sum())
        if undated:
            texts.append(f"{undated} MNE{'s' if undated != 1 else ''}: entry year unknown")
        if texts:
            note = ax.annotate(
                "; ".join(texts),
                xy=(1.01, i),
                xycoords=("axes fraction", "data"),
                va="center",
                fontsize=8,
                color="#444444",
                annotation_clip=False,
            )
            note.set_in_layout(False)  # drawn in the margin right of the axes
    ax.set_yticks(range(len(clusters_sorted)), names)
    ax.tick_params(axis="y", labelsize=8.5)
    ax.set_ylim(len(clusters_sorted) - 0.5, -0.5)
    ax.set_xlim(x_min, x_max)
    ax.set_xlabel("year")
    handles = [
        Line2D([], [], color="black", linewidth=2.5, label="cluster founded"),
        Line2D([], [], color="#bbbbbb", linewidth=6, label="founding year range"),
        *[
            Line2D([], [], marker="o", linestyle="", color=c, label=f"MNE {t.replace('_', ' ')}")
            for t, c in _TIMING_COLOURS.items()
        ],
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color=style.UNKNOWN_COLOUR,
            label="MNE, cluster founding year unknown",
        ),
    ]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, frameon=False)
    return fig


# ---------------------------------------------------------------------------
# Snakemake entry point
# ---------------------------------------------------------------------------

_REQUIRED_CLUSTERS = [
    "cluster_id",
    "status",
    "founding_period",
    "industry",
    "founded_year",
    "has_mne",
    "innovation_top",
    "investment_top",
]
_REQUIRED_RELATIONS = [
    "cluster_id",
    "organisation",
    "relation",
    "mne_id",
    "mne_name",
    "is_mne",
    "entry_year",
    "is_duplicate",
    "source_row",
]


def _check_columns(frame: pd.DataFrame, required: list[str], file: str) -> list[Problem]:
    return [
        Problem(
            file=file,
            row=None,
            column=col,
            value=None,
            expected=f"column '{col}' of the classified table",
            fix="rerun the classify step (the file is out of date or was not written by it)",
            rule="columns",
        )
        for col in required
        if col not in frame.columns
    ]


def run_stats(
    *,
    wave: str,
    clusters: str,
    relations: str,
    out_association: str,
    out_model: str,
    out_chicken: str,
    out_figure: list[str],
    dpi: int,
    config: dict,
) -> None:
    """Compute and write a wave's statistics tables and the chicken-or-egg figure.

    Parameters
    ----------
    wave
        Wave id.
    clusters, relations
        Classified parquet files of the wave.
    out_association, out_model, out_chicken
        CSV paths (each gets a ``.meta.json`` provenance sidecar).
    out_figure
        Figure paths, one per format (extension gives the format).
    dpi
        Resolution of raster figures.
    config
        Workflow configuration; reads ``stats.alpha``, ``stats.seed``,
        ``stats.monte_carlo_resamples``, ``stats.industry_groups``,
        ``stats.min_known``.

    Raises
    ------
    DataError
        If an input lacks a column the statistics need.
    """
    cl = pd.read_parquet(clusters)
    rel = pd.read_parquet(relations)
    DataError.collect(
        _check_columns(cl, _REQUIRED_CLUSTERS, os.fspath(clusters))
        + _check_columns(rel, _REQUIRED_RELATIONS, os.fspath(relations))
    )
    sc = _stats_config(config)
    alpha = float(sc.get("alpha", 0.05))
    groups = sc.get("industry_groups") or INDUSTRY_GROUPS
    min_known = int(sc.get("min_known", DEFAULT_MIN_KNOWN))
    inputs = [clusters, relations]
    assoc = association_tests(
        cl,
        alpha=alpha,
        industry_groups=groups,
        seed=int(sc.get("seed", DEFAULT_SEED)),
        n_resamples=int(sc.get("monte_carlo_resamples", DEFAULT_RESAMPLES)),
        min_known=min_known,
    )
    outputs.write_csv(
        assoc,
        out_association,
        provenance=provenance.record(
            wave=wave,
            inputs=[clusters],
            config=config,
            description="Fisher tests of MNE presence against cluster status, founding period, "
            "industry group and regional top-15 flags, Holm-corrected.",
        ),
    )
    model = presence_model(cl, alpha=alpha, min_known=min_known)
    outputs.write_csv(
        model,
        out_model,
        provenance=provenance.record(
            wave=wave,
            inputs=[clusters],
            config=config,
            description="Firth logistic model of MNE presence (odds ratios, profile-likelihood CIs).",
        ),
    )
    chicken = chicken_or_egg(cl, rel)
    rec = provenance.record(
        wave=wave,
        inputs=inputs,
        config=config,
        description="Chicken or egg: MNE entry year against cluster founding year, "
        "per cluster-MNE pair and summarised by status and industry.",
    )
    outputs.write_csv(chicken, out_chicken, provenance=rec)
    from mne_clusters import style

    max_clusters = int(sc.get("timeline_max_clusters", DEFAULT_TIMELINE_MAX_CLUSTERS))
    style.save_figure(
        chicken_or_egg_figure(chicken, rec, max_clusters=max_clusters), sorted(out_figure), dpi=dpi
    )


__all__ = [
    "INDUSTRY_GROUPS",
    "association_tests",
    "chicken_or_egg",
    "chicken_or_egg_figure",
    "chicken_or_egg_pairs",
    "firth_logit",
    "fisher_2x2",
    "fisher_freeman_halton",
    "holm_adjust",
    "presence_model",
    "run_stats",
]
