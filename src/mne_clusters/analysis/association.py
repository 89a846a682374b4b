"""Association tests: is MNE presence associated with a cluster's status,
founding period, industry group or its region's ranks?

Inputs are the *classified* frames of a wave (see ``docs/ARCHITECTURE.md``,
"Classified clusters/relations"). Every function here is pure: it returns new
frames and never changes its arguments. Outputs are deterministic: levels are
sorted explicitly, the only random step (a Monte Carlo p-value, used only when
exact enumeration would be too large) is seeded, and floats are written in a
fixed format by :mod:`mne_clusters.outputs`.

Design decisions (documented here once, and repeated in the output's ``method``
and ``note`` columns; the exact tests themselves are in :mod:`.exact`):

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
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mne_clusters.analysis.exact import (
    DEFAULT_MAX_EXACT_TABLES,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    exact_stratified_2x2,
    fisher_2x2,
    fisher_freeman_halton,
    holm_adjust,
)
from mne_clusters.classify.presence import presence_flag
from mne_clusters.core import config as cfgmod
from mne_clusters.core import vocabulary as vocab

#: Fewest known clusters in each compared group for a test (``stats.min_known``).
DEFAULT_MIN_KNOWN: int = cfgmod.default("stats.min_known")


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


STATUS_ORDER = list(vocab.STATUS_ORDER)


UNKNOWN = vocab.UNKNOWN


#: For a variable with two known levels, the level reported against the other.
_FOCUS_LEVELS = ("yes", "new", "innovative", "high_tech")


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


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def _stats_config(config: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if not config:
        return {}
    return config.get("stats", {}) or {}


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
    has = presence_flag(clusters)
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


__all__ = [
    "INDUSTRY_GROUPS",
    "association_tests",
]
