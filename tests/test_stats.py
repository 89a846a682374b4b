"""Tests of mne_clusters.analysis.association: exact tests, Holm, Firth, chicken or egg.

Expected values are worked out by hand (hypergeometric counts written out in
the comments) or taken from published sources cited at each test.
"""

from __future__ import annotations

import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from mne_clusters.analysis import association, chicken_egg, exact
from mne_clusters.analysis import model as firth_model
from mne_clusters.plotting import timeline

# ---------------------------------------------------------------------------
# Fisher 2x2 and r x c
# ---------------------------------------------------------------------------


def test_tea_tasting_fisher_p_value_and_both_odds_ratios():
    # Fisher's tea-tasting table (Agresti 2002, Categorical Data Analysis, 2nd ed.,
    # sec. 3.5.1; R ?fisher.test "TeaTasting"): R reports the conditional MLE
    # odds ratio 6.408309 and lower 95% limit 0.2117329. By hand: with margins
    # 4/4, P(x) = C(4,x)C(4,4-x)/70 = 1,16,36,16,1 /70; the observed x=3 has
    # 16/70, so the two-sided p = (1+16+16+1)/70 = 0.4857; sample OR = 3*3/(1*1) = 9.
    res = exact.fisher_2x2(np.array([[3, 1], [1, 3]]))
    assert res.p_value == pytest.approx(34 / 70, rel=1e-12)
    assert res.odds_ratio_sample == 9.0
    assert res.odds_ratio_conditional == pytest.approx(6.408309, rel=1e-5)
    assert res.ci_low == pytest.approx(0.2117329, rel=2e-5)  # R uniroot tolerance
    assert res.table_probability == pytest.approx(16 / 70, rel=1e-12)


def test_fisher_2x2_sample_odds_ratio_is_infinite_with_a_zero_off_diagonal():
    res = exact.fisher_2x2(np.array([[4, 0], [1, 3]]))
    assert math.isinf(res.odds_ratio_sample)
    assert math.isfinite(res.odds_ratio_conditional) or math.isinf(res.odds_ratio_conditional)


def test_freeman_halton_exact_p_value_of_a_3x2_table_by_hand():
    # rows (MNE, no MNE): A 2/0, B 0/2, C 1/1; N=6, 3 with MNE, row totals 2,2,2.
    # Tables are the x=(xA,xB,xC) summing to 3: the 6 permutations of (2,1,0)
    # have weight C(2,2)C(2,1)C(2,0)=2 each and (1,1,1) has 8, out of C(6,3)=20.
    # Observed (2,0,1) has 2/20 = 0.1; tables no more probable: the six -> p = 0.6.
    res = exact.fisher_freeman_halton(np.array([[2, 0], [0, 2], [1, 1]]))
    assert res.p_value == pytest.approx(0.6, rel=1e-12)
    assert res.table_probability == pytest.approx(0.1, rel=1e-12)
    assert res.method.startswith("exact")


def test_freeman_halton_on_a_2x2_table_equals_fisher_two_sided():
    res = exact.fisher_freeman_halton(np.array([[3, 1], [1, 3]]))
    assert res.p_value == pytest.approx(34 / 70, rel=1e-12)


def test_freeman_halton_falls_back_to_seeded_monte_carlo_reproducibly():
    table = np.array([[2, 0], [0, 2], [1, 1]])
    a = exact.fisher_freeman_halton(table, max_exact_tables=1, n_resamples=2000, seed=7)
    b = exact.fisher_freeman_halton(table, max_exact_tables=1, n_resamples=2000, seed=7)
    assert a.method.startswith("Monte Carlo") and "seed 7" in a.method
    assert a.p_value == b.p_value
    assert abs(a.p_value - 0.6) < 0.05


# ---------------------------------------------------------------------------
# Holm
# ---------------------------------------------------------------------------


def test_holm_adjusted_values_by_hand_and_missing_rows_kept_out_of_the_family():
    # sorted 0.01, 0.03, 0.04 times 3, 2, 1 = 0.03, 0.06, 0.04 -> monotone 0.03, 0.06, 0.06
    adjusted, reject = exact.holm_adjust([0.01, 0.04, 0.03, np.nan], alpha=0.05)
    np.testing.assert_allclose(adjusted[:3], [0.03, 0.06, 0.06], rtol=1e-12)
    assert np.isnan(adjusted[3])
    assert reject.tolist() == [True, False, False, False]


# ---------------------------------------------------------------------------
# association_tests on a hand-made classified clusters frame
# ---------------------------------------------------------------------------


def _clusters(rows: list[tuple]) -> pd.DataFrame:
    cols = [
        "cluster_id",
        "status",
        "founding_period",
        "industry",
        "founded_year",
        "has_mne",
        "innovation_top",
        "investment_top",
    ]
    df = pd.DataFrame(rows, columns=cols)
    return df.astype(
        {
            "cluster_id": "string",
            "status": "string",
            "founding_period": "string",
            "industry": "string",
            "founded_year": "Int64",
            "has_mne": bool,
            "innovation_top": "string",
            "investment_top": "string",
        }
    )


@pytest.fixture
def eight_clusters() -> pd.DataFrame:
    return _clusters(
        [
            ("a", "innovative", "new", "pharma_biotech", 2010, True, "yes", "yes"),
            ("b", "innovative", "new", "automotive", 2005, True, "yes", "unknown"),
            ("c", "innovative", "old", "ict", 1995, False, "no", "no"),
            ("d", "industrial", "unknown", "automotive", None, False, "no", "no"),
            ("e", "industrial", "unknown", None, None, False, "unknown", "no"),
            ("f", "none", "new", "food_agri", 2012, True, "no", "yes"),
            ("g", "none", "old", "food_agri", 1990, False, "unknown", "unknown"),
            ("h", "none", "unknown", "construction", None, False, "no", "no"),
        ]
    )


def _row(table: pd.DataFrame, variable: str, level: str) -> pd.Series:
    hit = table.loc[(table["variable"] == variable) & (table["level"] == level)]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def test_status_level_vs_rest_cells_and_fisher_p_by_hand(eight_clusters):
    # innovative 2 MNE / 1 not; rest 1 / 4. Margins 3 of 8 at the level, 3 with MNE:
    # P(x) = C(3,x)C(5,3-x)/56 = 10, 30, 15, 1 /56; observed x=2 (15/56);
    # two-sided p = (10+15+1)/56; sample OR = 2*4/(1*1) = 8.
    table = association.association_tests(eight_clusters, min_known=1)
    row = _row(table, "status", "innovative")
    assert [row["n_level_mne"], row["n_level_no_mne"], row["n_rest_mne"], row["n_rest_no_mne"]] == [
        2,
        1,
        1,
        4,
    ]
    assert row["p_value"] == pytest.approx(26 / 56, rel=1e-12)
    assert row["odds_ratio_sample"] == 8.0
    assert row["n"] == 8 and row["n_excluded"] == 0


def test_status_absent_from_the_wave_is_a_row_without_a_test(eight_clusters):
    row = _row(association.association_tests(eight_clusters), "status", "cdc_supported")
    assert np.isnan(row["p_value"]) and np.isnan(row["p_holm"])
    assert "no cluster at this level" in row["note"]


def test_status_freeman_halton_p_value_by_hand(eight_clusters):
    # rows innovative 2/1, industrial 0/2, none 1/2; totals 3,2,3; 3 with MNE of 8.
    # Weights C(3,x1)C(2,x2)C(3,x3) over C(8,3)=56: x2=0: 1,9,9,1; x2=1: 6,18,6;
    # x2=2: 3,3. Observed (2,0,1) = 9; tables with weight <= 9 sum to 38 -> p = 38/56.
    row = _row(
        association.association_tests(eight_clusters, min_known=1),
        "status",
        "all: innovative / industrial / none",
    )
    assert row["test"] == "fisher_freeman_halton"
    assert row["p_value"] == pytest.approx(38 / 56, rel=1e-12)


def test_unknown_founding_period_is_excluded_counted_and_one_row_reported(eight_clusters):
    table = association.association_tests(eight_clusters)
    rows = table.loc[table["variable"] == "founding_period"]
    assert rows["level"].tolist() == ["new"]
    row = rows.iloc[0]
    # known: a,b,f new (all MNE); c,g old (none): cells 3,0,0,2
    assert (row["n"], row["n_excluded"]) == (5, 3)
    assert [row["n_level_mne"], row["n_level_no_mne"], row["n_rest_mne"], row["n_rest_no_mne"]] == [
        3,
        0,
        0,
        2,
    ]
    assert "3 excluded" in row["note"]


def test_industry_group_excludes_blank_industry_and_groups_by_technology(eight_clusters):
    table = association.association_tests(eight_clusters)
    row = _row(table, "industry_group", "high_tech")
    # high tech: a (pharma, MNE), c (ict, no); e has no industry
    assert (row["n"], row["n_excluded"]) == (7, 1)
    assert [row["n_level_mne"], row["n_level_no_mne"]] == [1, 1]


def test_a_single_known_level_gets_a_row_without_a_test(eight_clusters):
    data = eight_clusters.assign(innovation_top=["yes"] * 4 + ["unknown"] * 4)
    row = _row(association.association_tests(data), "innovation_top", "yes")
    assert (row["n"], row["n_excluded"]) == (4, 4)
    assert np.isnan(row["p_value"]) and np.isnan(row["p_holm"])
    assert (
        "not enough data: every known cluster is at this level: no comparison group"
        in (row["note"])
    )


def test_constant_mne_presence_gives_rows_without_tests(eight_clusters):
    table = association.association_tests(eight_clusters.assign(has_mne=False))
    assert table["p_value"].isna().all()
    assert "every known cluster has no an MNE" not in " ".join(table["note"])
    assert "every known cluster has no MNE" in _row(table, "status", "innovative")["note"]


def test_either_top_flag_is_yes_if_one_is_yes_and_unknown_only_without_a_yes(eight_clusters):
    row = _row(association.association_tests(eight_clusters), "innovation_or_investment_top", "yes")
    # yes: a, b, f (all MNE); no: c, d, h; unknown: e (unknown+no), g (both unknown)
    assert (row["n"], row["n_excluded"]) == (6, 2)
    assert [row["n_level_mne"], row["n_level_no_mne"], row["n_rest_mne"], row["n_rest_no_mne"]] == [
        3,
        0,
        0,
        3,
    ]


def test_holm_column_adjusts_over_every_tested_row(eight_clusters):
    table = association.association_tests(eight_clusters, min_known=1)
    tested = table["p_value"].notna()
    assert tested.sum() >= 3
    expected, _ = exact.holm_adjust(table.loc[tested, "p_value"].to_numpy())
    np.testing.assert_allclose(table.loc[tested, "p_holm"].to_numpy(), expected)
    assert table["method"].str.contains(f"Holm correction over {int(tested.sum())} tests").all()


def test_too_few_known_cases_say_not_enough_data_instead_of_a_p_value(eight_clusters):
    # innovative 3 vs rest 5: with min_known 4 the smaller group is too small
    row = _row(association.association_tests(eight_clusters, min_known=4), "status", "innovative")
    assert np.isnan(row["p_value"]) and np.isnan(row["p_stratified"])
    assert "not enough data: 3 known clusters in the smaller group, fewer than " in row["note"]
    assert "stats.min_known (4)" in row["note"]
    ok = _row(association.association_tests(eight_clusters, min_known=3), "status", "innovative")
    assert ok["p_value"] == pytest.approx(26 / 56, rel=1e-12)
    rc = _row(
        association.association_tests(eight_clusters, min_known=3),
        "status",
        "all: innovative / industrial / none",
    )
    assert np.isnan(rc["p_value"]) and "level(s) industrial with fewer than" in rc["note"]


def test_unknown_presence_is_excluded_counted_and_never_compared(eight_clusters):
    # c and h not surveyed: presence unknown, whatever has_mne says
    data = eight_clusters.assign(
        mne_presence=["yes", "yes", "unknown", "no", "no", "yes", "no", "unknown"]
    )
    row = _row(association.association_tests(data, min_known=1), "status", "innovative")
    # innovative known: a, b (yes); rest known: d, e, g (no), f (yes)
    assert [row["n_level_mne"], row["n_level_no_mne"], row["n_rest_mne"], row["n_rest_no_mne"]] == [
        2,
        0,
        1,
        3,
    ]
    assert (row["n"], row["n_excluded"], row["n_presence_unknown"]) == (6, 2, 2)
    assert "2 MNE presence unknown (members not listed)" in row["note"]
    # C(3,2)C(3,0)/C(6,2) = 3/15 observed; tables x=0: 3/15, 1: 9/15, 2: 3/15 -> p = 6/15
    assert row["p_value"] == pytest.approx(6 / 15, rel=1e-12)


def test_only_unknown_or_yes_presence_gives_no_test_anywhere():
    # the default wave's shape: every surveyed cluster has an MNE, the rest unknown
    data = _clusters(
        [
            (c, st, "new", "ict", 2010, True, "yes", "no")
            for c, st in zip("abcdefgh", "iiinnnnn", strict=True)
        ]
    ).assign(
        status=["innovative"] * 3 + ["none"] * 5,
        mne_presence=["yes", "yes", "unknown", "yes", "unknown", "unknown", "yes", "unknown"],
    )
    table = association.association_tests(data, min_known=1)
    assert table["p_value"].isna().all() and table["p_stratified"].isna().all()
    assert "no known cluster without one" in _row(table, "status", "innovative")["note"]


# Agresti (1990, pp. 231-237), "Penicillin and Rabbits", the example of R's
# ?mantelhaen.test: rows immediate / 1.5 h delayed injection, columns cured / died,
# one stratum per penicillin level. R's help page reports the exact conditional
# test (mantelhaen.test(Rabbits, exact = TRUE)) as "S = 16, p-value = 0.03994".
RABBITS = [
    [[0, 6], [0, 5]],
    [[3, 3], [0, 6]],
    [[6, 0], [2, 4]],
    [[5, 1], [6, 0]],
    [[2, 0], [5, 0]],
]


def test_exact_stratified_test_reproduces_r_mantelhaen_exact_on_the_rabbits_data():
    res = exact.exact_stratified_2x2([np.array(t) for t in RABBITS])
    assert res.statistic == 16
    assert res.p_value == pytest.approx(0.03994, abs=5e-6)
    assert res.n_strata == 3  # the first and last strata have an empty column
    # conditional MLE: E[S | psi] equals the observed S (checked by brute force below)
    assert res.odds_ratio == pytest.approx(10.36, rel=1e-3)
    assert res.ci_low < res.odds_ratio < res.ci_high


def test_exact_stratified_p_value_and_estimate_by_brute_force_enumeration():
    import itertools

    tabs = [np.array(t) for t in RABBITS[1:4]]
    ranges, probs = [], []
    for t in tabs:
        m, r, c = int(t.sum()), int(t[0].sum()), int(t[:, 0].sum())
        xs = list(range(max(0, r + c - m), min(r, c) + 1))
        ranges.append(xs)
        probs.append({x: math.comb(c, x) * math.comb(m - c, r - x) / math.comb(m, r) for x in xs})
    dist: dict[int, float] = {}
    for combo in itertools.product(*ranges):
        p = math.prod(probs[k][x] for k, x in enumerate(combo))
        dist[sum(combo)] = dist.get(sum(combo), 0.0) + p
    observed = sum(int(t[0, 0]) for t in tabs)
    p_two = sum(p for p in dist.values() if p <= dist[observed] * (1 + 1e-7))
    res = exact.exact_stratified_2x2(tabs)
    assert res.p_value == pytest.approx(p_two, rel=1e-10)
    psi = res.odds_ratio
    weights = {k: v * psi**k for k, v in dist.items()}
    mean = sum(k * w for k, w in weights.items()) / sum(weights.values())
    assert mean == pytest.approx(observed, rel=1e-8)


def test_exact_stratified_test_with_one_stratum_is_fishers_test():
    one = exact.exact_stratified_2x2([np.array([[3, 1], [1, 3]])])
    fisher = exact.fisher_2x2(np.array([[3, 1], [1, 3]]))
    assert one.p_value == pytest.approx(fisher.p_value, rel=1e-12)
    assert one.odds_ratio == pytest.approx(fisher.odds_ratio_conditional, rel=1e-6)
    assert one.ci_low == pytest.approx(fisher.ci_low, rel=1e-5)


def test_association_is_stratified_by_federal_district():
    # Two districts; within each, MNE presence does not depend on the level,
    # but district A has more innovative clusters and more MNEs (confounding).
    rows = []
    spec = {"A": [("innovative", True)] * 4 + [("innovative", False)] * 1
            + [("none", True)] * 1 + [("none", False)] * 0,
            "B": [("innovative", True)] * 0 + [("innovative", False)] * 1
            + [("none", True)] * 1 + [("none", False)] * 4}  # fmt: skip
    for district, items in spec.items():
        for i, (status, has) in enumerate(items):
            rows.append((f"{district}{i}", status, "new", "ict", 2010, has, "yes", "no"))
    data = _clusters(rows).assign(federal_district=[r[0][0] for r in rows])
    row = _row(association.association_tests(data, min_known=1), "status", "innovative")
    # pooled: innovative 4 MNE / 2 not; rest 2 / 4 -> Fisher p = 0.5671...
    assert [row["n_level_mne"], row["n_level_no_mne"], row["n_rest_mne"], row["n_rest_no_mne"]] == [
        4,
        2,
        2,
        4,
    ]
    # strata: A [[4,1],[1,0]] (S_A in {4, 5}), B [[0,1],[1,4]] (S_B in {0, 1});
    # hypergeometric: A P(4)=5/6*... computed by hand below
    pa = {4: math.comb(5, 4) * math.comb(1, 1) / math.comb(6, 5),
          5: math.comb(5, 5) * math.comb(1, 0) / math.comb(6, 5)}  # fmt: skip
    pb = {0: math.comb(1, 0) * math.comb(5, 1) / math.comb(6, 1),
          1: math.comb(1, 1) * math.comb(5, 0) / math.comb(6, 1)}  # fmt: skip
    dist: dict[int, float] = {}
    for a, p1 in pa.items():
        for b, p2 in pb.items():
            dist[a + b] = dist.get(a + b, 0.0) + p1 * p2
    p_two = sum(p for p in dist.values() if p <= dist[4] * (1 + 1e-7))
    assert row["p_stratified"] == pytest.approx(p_two, rel=1e-10)
    assert row["p_stratified"] == pytest.approx(1.0)
    assert row["n_strata"] == 2
    assert row["p_value"] == pytest.approx(exact.fisher_2x2(np.array([[4, 2], [2, 4]])).p_value)


def test_association_tests_do_not_mutate_their_input(eight_clusters):
    before = eight_clusters.copy()
    association.association_tests(eight_clusters)
    pd.testing.assert_frame_equal(eight_clusters, before)


# ---------------------------------------------------------------------------
# Firth
# ---------------------------------------------------------------------------

# logistf's `sex2` data (urinary tract infection; Cytel LogXact manual), 239 rows,
# as covariate patterns: "case age oc vic vicl vis dia" -> count.
# Transcribed from a stored copy of the public CSV. The first transcription was
# two rows off; the counts below are the only correction that reproduces
# logistf's printed coefficients, so the coefficient check partly depends on
# them. The profile intervals and likelihood-ratio chi-squares were not used for
# that correction and match logistf's printed values independently.
SEX2_PATTERNS = [
    ("0000010", 1), ("0001000", 2), ("0001010", 1), ("0001100", 8), ("0001110", 18),
    ("0010000", 42), ("0010010", 1), ("0011000", 1), ("0011100", 5), ("0011110", 6),
    ("0101100", 2), ("0101110", 4), ("0110000", 14), ("0110010", 1), ("0111000", 1),
    ("0111110", 2), ("1000010", 1), ("1001000", 14), ("1001010", 3), ("1001100", 10),
    ("1001110", 12), ("1001111", 1), ("1010000", 44), ("1010001", 3), ("1011000", 15),
    ("1011001", 1), ("1011010", 2), ("1011100", 7), ("1011110", 3), ("1101000", 2),
    ("1101010", 1), ("1101011", 1), ("1101100", 1), ("1101111", 1), ("1110000", 5),
    ("1111000", 3),
]  # fmt: skip


def _sex2(expand: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pats = np.array([[int(ch) for ch in p] for p, _ in SEX2_PATTERNS], dtype=float)
    counts = np.array([c for _, c in SEX2_PATTERNS], dtype=float)
    if expand:
        pats = np.repeat(pats, counts.astype(int), axis=0)
        counts = np.ones(len(pats))
    X = np.column_stack([np.ones(len(pats)), pats[:, 1:]])
    return X, pats[:, 0], counts


def test_sex2_data_has_the_published_size():
    _, y, w = _sex2(expand=False)
    assert w.sum() == 239 and (w * y).sum() == 130


def test_firth_reproduces_logistf_sex2_coefficients_and_profile_intervals():
    # R logistf: logistf(case ~ age + oc + vic + vicl + vis + dia, data = sex2)
    # (Heinze & Ploner; coefficients as printed by summary(), and the profile
    # likelihood limits recorded from logistf in the firthlogist test-suite;
    # easystats/parameters' logistf snapshot agrees to 2 decimals).
    X, y, w = _sex2(expand=False)
    fit = firth_model.firth_logit(X, y, weights=w)
    published = [
        0.12025405,
        -1.10598131,
        -0.06881673,
        2.26887464,
        -2.11140817,
        -0.78831694,
        3.09601166,
    ]
    np.testing.assert_allclose(fit.coef, published, atol=5e-7)
    low = [-0.8185591, -1.9737884, -0.9414363, 1.2730216, -3.2608611, -1.6080879, 0.7745682]
    high = [1.07315122, -0.30742514, 0.78920202, 3.43543273, -1.11773495, 0.01518468, 8.03029352]
    np.testing.assert_allclose(fit.ci_low, low, atol=1e-6)
    np.testing.assert_allclose(fit.ci_high, high, atol=1e-6)
    assert fit.converged


def test_firth_penalised_lr_chi_square_matches_logistf_sex2():
    # logistf's penalised likelihood-ratio chi-squares (easystats snapshot, 2 decimals).
    X, y, w = _sex2(expand=False)
    fit = firth_model.firth_logit(X, y, weights=w)
    np.testing.assert_allclose(fit.chi2, [0.06, 7.51, 0.02, 22.93, 19.10, 3.70, 7.90], atol=0.006)


def test_firth_frequency_weights_equal_expanded_rows():
    Xa, ya, wa = _sex2(expand=False)
    Xb, yb, _ = _sex2(expand=True)
    a = firth_model.firth_logit(Xa, ya, weights=wa, profile=False)
    b = firth_model.firth_logit(Xb, yb, profile=False)
    np.testing.assert_allclose(a.coef, b.coef, atol=1e-8)


def test_firth_is_finite_on_separated_data_where_ordinary_logit_diverges():
    # x=1: 5 events, 0 non-events (quasi-complete separation); x=0: 2 events, 3 not.
    # With one binary covariate Firth's estimate equals the log odds ratio of the
    # table with 1/2 added to every cell (Firth 1993; Heinze & Schemper 2002):
    # slope = log(5.5*3.5 / (0.5*2.5)), intercept = log(2.5/3.5).
    x = np.array([1] * 5 + [0] * 5, dtype=float)
    y = np.array([1] * 5 + [1, 1, 0, 0, 0], dtype=float)
    X = np.column_stack([np.ones(10), x])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            ml = sm.Logit(y, X).fit(disp=0)
            diverged = (not ml.mle_retvals["converged"]) or abs(ml.params[1]) > 10
        except Exception:  # PerfectSeparationError in some statsmodels versions
            diverged = True
    assert diverged or caught
    fit = firth_model.firth_logit(X, y)
    assert fit.coef[1] == pytest.approx(math.log(5.5 * 3.5 / (0.5 * 2.5)), rel=1e-8)
    assert fit.coef[0] == pytest.approx(math.log(2.5 / 3.5), rel=1e-8)
    assert np.isfinite(fit.ci_low).all() and np.isfinite(fit.ci_high).all()


# ---------------------------------------------------------------------------
# presence_model
# ---------------------------------------------------------------------------


def test_presence_model_flags_thin_data_and_reports_one_row_per_term(eight_clusters):
    # Founding period and flags made constant: only status enters the model.
    data = eight_clusters.assign(founding_period="new", innovation_top="no", investment_top="no")
    table = firth_model.presence_model(data, min_known=1)
    assert table["term"].tolist() == [
        "(Intercept)",
        "status=innovative (vs none)",
        "status=industrial (vs none)",
        "(model)",
    ]
    model = table.iloc[-1]
    assert model["note"].startswith(
        "thin data: 3 events for 3 parameters (1.0 per parameter, fewer than 10); "
        "the model cannot support conclusions"
    )
    assert "founding_period left out: every cluster has the same value (new)" in model["note"]
    assert (table["n"] == 8).all() and (table["n_events"] == 3).all()
    terms = table.iloc[:-1]
    assert np.isfinite(terms["odds_ratio"]).all()
    assert (terms["ci_low"] <= terms["odds_ratio"]).all()
    assert (terms["odds_ratio"] <= terms["ci_high"]).all()


def test_presence_model_status_odds_ratio_is_the_half_corrected_table(eight_clusters):
    # One binary covariate after dropping constant factors and industrial rows:
    # innovative 2 MNE / 1 not, none 1 / 2 -> Firth OR = (2.5*2.5)/(1.5*1.5).
    data = eight_clusters.loc[eight_clusters["status"] != "industrial"].assign(
        founding_period="new", innovation_top="no", investment_top="no"
    )
    table = firth_model.presence_model(data, min_known=1)
    row = table.loc[table["term"] == "status=innovative (vs none)"].iloc[0]
    assert row["odds_ratio"] == pytest.approx(2.5 * 2.5 / (1.5 * 1.5), rel=1e-8)


def test_presence_model_without_events_is_not_fitted_and_says_so(eight_clusters):
    none = eight_clusters.assign(has_mne=False)
    table = firth_model.presence_model(none, min_known=1)
    assert table["term"].tolist() == ["(model)"]
    assert table.loc[0, "note"].startswith(
        "not enough data: not fitted: 0 known clusters with an MNE (0 of 8 with), fewer than "
        "stats.min_known (1)"
    )


def test_presence_model_leaves_out_unknown_presence_and_needs_min_known(eight_clusters):
    data = eight_clusters.assign(
        mne_presence=["yes", "yes", "no", "no", "unknown", "yes", "no", "unknown"]
    )
    table = firth_model.presence_model(data, min_known=4)
    # 6 known: 3 with, 3 without; fewer than 4 of each -> not fitted
    assert table["term"].tolist() == ["(model)"]
    assert table.loc[0, ["n", "n_events"]].tolist() == [6, 3]
    assert "2 clusters left out: MNE presence unknown" in table.loc[0, "note"]
    assert table.loc[0, "note"].startswith("not enough data: not fitted: 3 known clusters")


def test_presence_model_unknown_level_term_has_no_p_value(eight_clusters):
    data = eight_clusters.assign(innovation_top="no", investment_top="no")
    table = firth_model.presence_model(data, min_known=1)
    unknown = table.loc[table["term"] == "founding_period=unknown (vs old)"].iloc[0]
    assert np.isnan(unknown["p_value"]) and np.isfinite(unknown["odds_ratio"])
    assert unknown["note"].startswith("unknown level: a missing-data indicator")
    known = table.loc[table["term"] == "founding_period=new (vs old)"].iloc[0]
    assert np.isfinite(known["p_value"])


# ---------------------------------------------------------------------------
# chicken or egg
# ---------------------------------------------------------------------------


@pytest.fixture
def timeline_inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    clusters = _clusters(
        [
            ("A", "innovative", "new", "pharma_biotech", 2010, True, "yes", "yes"),
            ("B", "none", "unknown", None, None, True, "no", "no"),
            ("C", "industrial", "new", "automotive", 2008, True, "no", "no"),
            ("D", "none", "old", "food_agri", 1990, False, "no", "no"),
        ]
    )
    relations = pd.DataFrame(
        [
            ("A", "m1", "M One", True, False, 2006),
            ("A", "m1", "M One", True, True, 2001),  # duplicate row: one pair, earliest year
            ("A", "m2", "M Two", True, False, 2010),
            ("A", "m3", "M Three", True, False, None),
            ("A", None, None, False, False, 1999),  # not an MNE: ignored
            ("B", "m4", "M Four", True, False, 2012),
            ("C", "m5", "M Five", True, False, 2016),
            ("C", "m5", "M Five", True, False, 2015),  # same pair again: earliest kept
        ],
        columns=["cluster_id", "mne_id", "mne_name", "is_mne", "is_duplicate", "entry_year"],
    ).astype({"entry_year": "Int64"})
    relations = relations.assign(
        organisation=relations["mne_name"].fillna("ООО «Местная фирма»"),
        relation="member",
        source_row=range(2, 2 + len(relations)),
    )
    return clusters, relations


def test_chicken_or_egg_pairs_timing_by_hand(timeline_inputs):
    pairs = chicken_egg.chicken_or_egg_pairs(*timeline_inputs)
    got = list(zip(pairs["cluster_id"], pairs["mne_id"], pairs["timing"], strict=True))
    assert got == [
        ("A", "m1", "before"),
        ("A", "m2", "same_year"),
        ("A", "m3", "unknown"),
        ("B", "m4", "unknown"),
        ("C", "m5", "after"),
    ]
    assert pairs["unknown_because"].tolist() == ["", "", "no entry year", "no founding year", ""]
    assert pairs["lag_years"].tolist()[:2] == [-9, 0]  # m1: the duplicate row's 2001
    assert pairs.loc[4, "entry_year"] == 2015


def test_chicken_or_egg_keeps_two_unregistered_mnes_of_one_cluster_apart(timeline_inputs):
    clusters, relations = timeline_inputs
    extra = pd.DataFrame(
        {
            "cluster_id": ["A", "A"],
            "mne_id": pd.array([None, None], dtype="string"),
            "mne_name": pd.array([None, None], dtype="string"),
            "is_mne": [True, True],
            "is_duplicate": [False, False],
            "entry_year": pd.array([2005, 2015], dtype="Int64"),
            "organisation": ["Foo GmbH", "Bar Ltd"],
            "relation": ["member", "member"],
            "source_row": [20, 21],
        }
    )
    pairs = chicken_egg.chicken_or_egg_pairs(
        clusters, pd.concat([relations, extra], ignore_index=True)
    )
    unregistered = pairs.loc[pairs["mne_id"].str.startswith("name:")]
    assert sorted(zip(unregistered["mne_name"], unregistered["timing"], strict=True)) == [
        ("Bar Ltd", "after"),
        ("Foo GmbH", "before"),
    ]


def test_chicken_or_egg_summaries_count_unknowns(timeline_inputs):
    table = chicken_egg.chicken_or_egg(*timeline_inputs)
    summary = table.loc[table["section"] != "pair"].set_index(["section", "level"])
    counts = ["n_pairs", "n_before", "n_same_year", "n_after", "n_unknown"]
    assert summary.loc[("total", "all"), counts].tolist() == [5, 1, 1, 1, 2]
    assert summary.loc[("by_status", "innovative"), counts].tolist() == [3, 1, 1, 0, 1]
    assert summary.loc[("by_status", "industrial"), counts].tolist() == [1, 0, 0, 1, 0]
    assert summary.loc[("by_status", "none"), counts].tolist() == [1, 0, 0, 0, 1]
    assert summary.loc["by_industry"].index.tolist() == ["automotive", "pharma_biotech", "unknown"]


def test_chicken_or_egg_figure_has_one_row_per_cluster_with_pairs(timeline_inputs):
    table = chicken_egg.chicken_or_egg(*timeline_inputs)
    rec = {"wave": "t", "generator": "g", "config_sha256_12": "0", "data_credit": "d"}
    fig = timeline.chicken_or_egg_figure(table, rec)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    texts = [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
    assert labels == ["C", "A", "B"]  # by founding year, unknown last
    # gaps shown, not dropped, in words a reader understands
    assert texts == ["1 MNE: entry year unknown", "cluster founding year unknown"]


def _ranged(timeline_inputs):
    clusters, relations = timeline_inputs
    clusters = clusters.assign(
        name_en=pd.array(["Alpha Pharma Cluster", None, "Gamma Auto", None], dtype="string"),
        name_ru=["Альфа", "Бета", "Гамма", "Дельта"],
        # A founded some time in 2006-2012; C in 2008 exactly
        founded_year=pd.array([None, None, 2008, 1990], dtype="Int64"),
        founded_year_low=pd.array([2006, None, 2008, 1990], dtype="Int64"),
        founded_year_high=pd.array([2012, None, 2008, 1990], dtype="Int64"),
    )
    return clusters, relations


def test_chicken_or_egg_with_a_founding_range_decides_only_what_the_whole_range_decides(
    timeline_inputs,
):
    pairs = chicken_egg.chicken_or_egg_pairs(*_ranged(timeline_inputs))
    got = list(zip(pairs["cluster_id"], pairs["mne_id"], pairs["timing"], strict=True))
    # A (2006-2012): m1 entered 2001 -> before the whole range; m2 2010 -> inside it
    assert got == [
        ("A", "m1", "before"),
        ("A", "m2", "undetermined"),
        ("A", "m3", "unknown"),
        ("B", "m4", "unknown"),
        ("C", "m5", "after"),
    ]
    assert pairs.loc[1, "unknown_because"] == "founded 2006-2012: the range holds the entry year"
    # no lag for a range: it is not one year
    assert pairs["lag_years"].isna().tolist()[:2] == [True, True]
    assert pairs.loc[0, ["founded_year_low", "founded_year_high"]].tolist() == [2006, 2012]
    assert pairs["cluster_name"].tolist() == ["Alpha Pharma Cluster"] * 3 + ["Бета", "Gamma Auto"]
    table = chicken_egg.chicken_or_egg(*_ranged(timeline_inputs)).set_index(["section", "level"])
    counts = ["n_pairs", "n_before", "n_same_year", "n_after", "n_undetermined", "n_unknown"]
    assert table.loc[("total", "all"), counts].tolist() == [5, 1, 0, 1, 1, 2]


def test_chicken_or_egg_figure_names_clusters_and_shows_ranges(timeline_inputs):
    table = chicken_egg.chicken_or_egg(*_ranged(timeline_inputs))
    rec = {"wave": "t", "generator": "g", "config_sha256_12": "0", "data_credit": "d"}
    fig = timeline.chicken_or_egg_figure(table, rec)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    texts = [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
    # English name, else Russian; sorted by (low) founding year, unknown last
    assert labels == ["Alpha Pharma Cluster", "Gamma Auto", "Бета"]
    assert texts == [
        "founded 2006–2012; 1 MNE: entry year unknown",
        "cluster founding year unknown",
    ]


@pytest.mark.parametrize("fmt", ["svg", "png"])
@pytest.mark.parametrize("ranged", [False, True])
def test_the_timeline_drawn_from_the_written_table_has_the_bytes_of_one_drawn_in_memory(
    timeline_inputs, tmp_path, fmt, ranged
):
    """The plotting step reads chicken_or_egg.csv back (years become floats beside
    blanks, Int64 becomes float64); the figure must not notice."""
    from mne_clusters.core import outputs, provenance
    from mne_clusters.plotting import step as plotting_step
    from mne_clusters.plotting import style

    inputs = _ranged(timeline_inputs) if ranged else timeline_inputs
    table = chicken_egg.chicken_or_egg(*inputs)
    rec = provenance.record(wave="t", inputs=[], config={"stats": {}}, description="d")
    csv = tmp_path / "chicken_or_egg.csv"
    outputs.write_csv(table, csv, provenance=rec)
    direct, via_csv = tmp_path / f"direct.{fmt}", tmp_path / f"step.{fmt}"
    style.save_figure(timeline.chicken_or_egg_figure(table, rec), [direct], dpi=60)
    plotting_step.run_timeline(wave="t", table=str(csv), out=[str(via_csv)], dpi=60, config={})
    assert via_csv.read_bytes() == direct.read_bytes()


def test_firth_converges_when_a_level_has_one_cluster_and_no_event():
    # x=1: one observation, no event; x=0: 4 events, 6 not. Half-corrected table:
    # slope = log((0+0.5)*(6+0.5) / ((1+0.5)*(4+0.5))).
    x = np.array([1] + [0] * 10, dtype=float)
    y = np.array([0] + [1] * 4 + [0] * 6, dtype=float)
    fit = firth_model.firth_logit(np.column_stack([np.ones(11), x]), y, profile=False)
    assert fit.converged
    assert fit.coef[1] == pytest.approx(math.log(0.5 * 6.5 / (1.5 * 4.5)), rel=1e-8)


# --- issue 14: faster algorithms give the old results ----------------------------------


def _n_tables_brute(row_totals, total):
    """The old count: every partial sum, one row at a time (Python loops)."""
    ways = [1] + [0] * total
    for r in row_totals:
        new = [0] * (total + 1)
        for s_, w in enumerate(ways):
            for x in range(0, min(r, total - s_) + 1):
                new[s_ + x] += w
        ways = new
    return ways[total]


def test_n_tables_matches_brute_force_and_enumeration():
    rng = np.random.default_rng(14)
    for _ in range(200):
        rows = [int(x) for x in rng.integers(0, 9, size=int(rng.integers(1, 6)))]
        col = int(rng.integers(0, sum(rows) + 1))
        brute = _n_tables_brute(rows, col)
        assert exact._n_tables(rows, col) == brute
        assert brute == len(exact._compositions(rows, col))
        for cap in (1, 5, 50, 10**6):
            assert exact._n_tables(rows, col, cap=cap) == min(brute, cap + 1)


def test_n_tables_capped_is_fast_and_saturates_on_large_margins():
    # 2,500 + 2,500 + 2,500 + 2,500 clusters: ~1e10 tables, far over the cap
    assert exact._n_tables([2500] * 4, 5831, cap=1_000_000) == 1_000_001
    # hand-worked: rows (1, 1), one MNE: 2 tables; rows (2, 1), two MNEs: 2 tables
    assert exact._n_tables([1, 1], 1) == 2
    assert exact._n_tables([2, 1], 2) == 2
    assert exact._n_tables([2, 1], 2, cap=1) == 2


def test_conditional_odds_ratio_matches_scipy_on_random_tables():
    from scipy.stats.contingency import odds_ratio

    rng = np.random.default_rng(2019)
    checked = 0
    for _ in range(300):
        t = rng.integers(0, 12, size=(2, 2))
        if (t.sum(axis=0) == 0).any() or (t.sum(axis=1) == 0).any():
            continue
        est, low, high = exact._conditional_odds_ratio(t, 0.05)
        ref = odds_ratio(t, kind="conditional")
        ci = ref.confidence_interval(confidence_level=0.95)
        for mine, theirs in ((est, ref.statistic), (low, ci.low), (high, ci.high)):
            if theirs == 0 or math.isinf(theirs):
                assert mine == theirs
            else:
                assert mine == pytest.approx(theirs, rel=1e-9)
        checked += 1
    assert checked > 250


def test_fisher_2x2_large_table_matches_scipy():
    from scipy.stats.contingency import odds_ratio

    t = np.array([[900, 1100], [4931, 3069]])
    res = exact.fisher_2x2(t)
    ref = odds_ratio(t, kind="conditional")
    ci = ref.confidence_interval(confidence_level=0.95)
    assert res.odds_ratio_conditional == pytest.approx(ref.statistic, rel=1e-9)
    assert res.ci_low == pytest.approx(ci.low, rel=1e-9)
    assert res.ci_high == pytest.approx(ci.high, rel=1e-9)


def test_chicken_or_egg_figure_draws_at_most_max_clusters_and_says_so(timeline_inputs):
    table = chicken_egg.chicken_or_egg(*timeline_inputs)
    rec = {"wave": "t", "generator": "g", "config_sha256_12": "0", "data_credit": "d"}
    fig = timeline.chicken_or_egg_figure(table, rec, max_clusters=2)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    words = " ".join(t.get_text() for t in fig.texts)
    plt.close(fig)
    # A has 3 pairs; B and C 1 each, the tie goes to the smaller id (B); drawn in the usual order
    assert labels == ["A", "B"]
    assert "5 cluster–MNE pairs in 3 clusters" in words  # counts stay those of every pair
    assert "drawn: the 2 clusters with most pairs, 1 more are listed in chicken_or_egg.csv" in words
    fig = timeline.chicken_or_egg_figure(table, rec, max_clusters=3)
    words = " ".join(t.get_text() for t in fig.texts)
    plt.close(fig)
    assert "drawn:" not in words
