"""Tests of mne_clusters.analysis.findings: every number comes from the tables given."""

from __future__ import annotations

import pandas as pd
import pytest

from mne_clusters.analysis import findings as analysis_findings
from mne_clusters.report import findings as report_findings

METHOD = "two-sided Fisher exact test; Holm correction over 4 tests (alpha 0.05)"


def _assoc_row(variable, level, cells, p, p_holm, or_c, low, high, n_excluded=0, test="fisher_2x2"):
    a, b, c, d = cells
    return {
        "test": test,
        "variable": variable,
        "level": level,
        "n": a + b + c + d,
        "n_excluded": n_excluded,
        "n_level_mne": a,
        "n_level_no_mne": b,
        "n_rest_mne": c,
        "n_rest_no_mne": d,
        "odds_ratio_conditional": or_c,
        "or_ci_low": low,
        "or_ci_high": high,
        "p_value": p,
        "p_holm": p_holm,
        "method": METHOD,
        "note": "",
    }


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    assoc = pd.DataFrame(
        [
            _assoc_row("status", "innovative", (7, 4, 2, 20), 0.0021, 0.0084, 15.9, 2.4, 140.2),
            _assoc_row("status", "none", (1, 12, 8, 12), 0.027, 0.081, 0.13, 0.003, 1.1),
            {
                **_assoc_row("status", "all: innovative / none", (0, 0, 0, 0), 0.0031, 0.0093, None, None, None),
                "test": "fisher_freeman_halton",
                "n": 33,
            },
            _assoc_row("industry_group", "high_tech", (5, 6, 4, 15), 0.21, 0.42, 3.0, 0.6, 16.0, n_excluded=3),
            _assoc_row("founding_period", "new", (3, 2, 1, 4), 0.52, 1.0, 5.0, 0.2, 400.0, n_excluded=23),
            _assoc_row("innovation_or_investment_top", "yes", (6, 3, 1, 9), 0.019, 0.076, 14.2, 1.2, 800.0, n_excluded=14),
            _assoc_row("innovation_top", "yes", (4, 3, 2, 10), 0.12, 0.36, 6.0, 0.6, 80.0, n_excluded=14),
            _assoc_row("investment_top", "yes", (5, 2, 2, 12), 0.011, 0.055, 13.0, 1.4, 200.0, n_excluded=12),
        ]
    )  # fmt: skip
    model = pd.DataFrame(
        [
            {"term": "(Intercept)", "odds_ratio": 0.1, "ci_low": 0.01, "ci_high": 0.5, "p_value": 0.004, "note": ""},
            {"term": "status=innovative (vs none)", "odds_ratio": 12.34, "ci_low": 1.56, "ci_high": 210.9, "p_value": 0.013, "note": ""},
            {"term": "(model)", "odds_ratio": None, "ci_low": None, "ci_high": None, "p_value": None,
             "note": "thin data: 9 events for 6 parameters (1.5 per parameter, fewer than 10); the model cannot support conclusions"},
        ]
    )  # fmt: skip
    chicken = pd.DataFrame(
        [
            {"section": "pair", "level": "a/m1", "n_pairs": None, "n_before": None, "n_same_year": None, "n_after": None, "n_unknown": None},
            {"section": "total", "level": "all", "n_pairs": 11, "n_before": 4, "n_same_year": 1, "n_after": 2, "n_unknown": 4},
            {"section": "by_status", "level": "innovative", "n_pairs": 9, "n_before": 3, "n_same_year": 1, "n_after": 2, "n_unknown": 3},
            {"section": "by_status", "level": "industrial", "n_pairs": 0, "n_before": 0, "n_same_year": 0, "n_after": 0, "n_unknown": 0},
            {"section": "by_status", "level": "none", "n_pairs": 2, "n_before": 1, "n_same_year": 0, "n_after": 0, "n_unknown": 1},
        ]
    )  # fmt: skip
    by_status = pd.DataFrame(
        {
            "status": ["innovative", "none", "all"],
            "n_clusters": [11, 13, 33],
            "n_with_mne": [7, 1, 9],
        }
    )
    by_region = pd.DataFrame(
        {
            "region_iso": ["RU-A", "RU-B", "RU-C", "RU-D", "RU-E"],
            "n_mne_groups": [5, 3, 1, 2, 0],
            "innovation_top": ["yes", "no", "unknown", "no", "yes"],
            "investment_top": ["unknown", "yes", "no", "no", "yes"],
        }
    )
    return {
        "association_tests": assoc,
        "presence_model": model,
        "chicken_or_egg": chicken,
        "mne_by_status": by_status,
        "mne_by_region": by_region,
    }


def _by_id(items: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {f["id"]: f for f in items}


def test_every_claim_has_test_result_and_limits(tables):
    items = analysis_findings.build_findings(tables, wave="2019")
    assert [f["id"] for f in items] == [
        "innovative_clusters",
        "no_status_clusters",
        "programme_kpis",
        "new_industries",
        "attractive_regions",
        "chicken_or_egg",
    ]
    assert all(f["claim"] and f["test"] and f["result"] and f["cannot_say"] for f in items)


def test_innovative_finding_reads_counts_and_tests_from_the_tables(tables):
    result = _by_id(analysis_findings.build_findings(tables, wave="2019"))["innovative_clusters"][
        "result"
    ]
    assert result.startswith("Wave 2019: 7 of 11 pilot innovative clusters have an MNE")
    assert "against 2 of 22 other clusters" in result
    assert "p = 0.0021, Holm-adjusted p = 0.0084" in result
    assert "conditional odds ratio 15.90, exact confidence interval 2.40 to 140.20" in result
    assert "significant after the Holm correction at 0.05" in result
    assert "mne_by_status.csv counts 7 of 11 with an MNE" in result


def test_no_status_finding_says_not_significant_when_holm_p_exceeds_alpha(tables):
    result = _by_id(analysis_findings.build_findings(tables, wave="2019"))["no_status_clusters"][
        "result"
    ]
    assert "1 of 13 clusters without any status" in result
    assert "against 8 of 20 other clusters" in result
    assert "not significant after the Holm correction at 0.05" in result


def test_findings_change_when_the_tables_change(tables):
    before = _by_id(analysis_findings.build_findings(tables, wave="2019"))["innovative_clusters"][
        "result"
    ]
    changed = dict(tables)
    assoc = tables["association_tests"].copy()
    assoc.loc[0, ["n_level_mne", "n_level_no_mne", "p_value", "p_holm"]] = [8, 3, 0.2, 0.6]
    changed["association_tests"] = assoc
    after = _by_id(analysis_findings.build_findings(changed, wave="2019"))["innovative_clusters"][
        "result"
    ]
    assert before != after
    assert "8 of 11 pilot innovative clusters" in after
    assert "p = 0.200, Holm-adjusted p = 0.600" in after
    assert "not significant after the Holm correction" in after


def test_programme_finding_quotes_the_overall_test_and_the_model(tables):
    result = _by_id(analysis_findings.build_findings(tables, wave="2019"))["programme_kpis"][
        "result"
    ]
    assert "Across all 33 clusters" in result
    assert "Fisher-Freeman-Halton p = 0.0031 (Holm-adjusted p = 0.0093" in result
    assert (
        "status=innovative (vs none): odds ratio 12.34 (profile-likelihood CI 1.56 to 210.90, p = 0.013)"
        in result
    )
    assert "the model cannot support conclusions" in result


def test_industry_finding_counts_excluded_clusters(tables):
    result = _by_id(analysis_findings.build_findings(tables, wave="2019"))["new_industries"][
        "result"
    ]
    assert "5 of 11 high-tech clusters" in result
    assert "3 clusters were left out because the value is unknown" in result
    assert "3 of 5 clusters founded in the new period" in result
    assert "23 clusters were left out" in result


def test_region_finding_reads_flags_and_region_table(tables):
    item = _by_id(analysis_findings.build_findings(tables, wave="2019", top_n=15))[
        "attractive_regions"
    ]
    result = item["result"]
    assert "6 of 9 clusters in regions in the top 15 of either ranking" in result
    assert "against 1 of 10 clusters in regions below the top 15 in both" in result
    # regions with MNEs: A (yes/unknown -> either), B (no/yes -> either),
    # C (unknown/no -> unknown), D (no/no -> below); E has none.
    assert "Of the 4 regions with MNEs" in result
    assert (
        "2 are in the top 15 of either ranking, 1 are below it in both, and for 1 a rank is unknown"
        in result
    )


def test_chicken_finding_reads_totals_and_skips_empty_statuses(tables):
    result = _by_id(analysis_findings.build_findings(tables, wave="2019"))["chicken_or_egg"][
        "result"
    ]
    assert "Of 11 distinct cluster-MNE pairs" in result
    assert (
        "before the cluster was founded in 4, in the same year in 1, and after it in 2; 4 pairs lack"
        in result
    )
    assert "pilot innovative clusters: 3 before, 1 same year, 2 after, 3 unknown" in result
    assert "industrial clusters:" not in result


def test_a_row_without_a_test_says_why_instead_of_giving_numbers(tables):
    changed = dict(tables)
    assoc = tables["association_tests"].copy()
    founding = assoc["variable"] == "founding_period"
    assoc.loc[founding, ["n_rest_mne", "n_rest_no_mne", "p_value", "p_holm"]] = [0, 0, None, None]
    assoc.loc[founding, "note"] = (
        "1 excluded (x); not enough data: every known cluster is at this level: no comparison "
        "group; no test"
    )
    changed["association_tests"] = assoc
    result = _by_id(analysis_findings.build_findings(changed, wave="2019"))["new_industries"][
        "result"
    ]
    assert (
        "3 of 5 clusters founded in the new period have an MNE as member, partner or of unstated "
        "role, against 0 of 0 older clusters; not enough data for a test (every known cluster "
        "is at this level: no comparison group). 23 clusters were left out"
    ) in result


def test_unknown_presence_and_unverified_status_are_named_in_the_status_findings(tables):
    changed = dict(tables)
    assoc = tables["association_tests"].copy()
    assoc["n_presence_unknown"] = 0
    none = (assoc["variable"] == "status") & (assoc["level"] == "none")
    assoc.loc[none, ["p_value", "p_holm", "n_excluded", "n_presence_unknown"]] = [
        None,
        None,
        92,
        90,
    ]
    assoc.loc[none, "note"] = (
        "92 excluded (2 no status; 90 MNE presence unknown (members not listed)); not enough "
        "data: every known cluster has an MNE: no known cluster without one; no test"
    )
    changed["association_tests"] = assoc
    changed["mne_by_status"] = pd.DataFrame(
        {
            "status": ["innovative", "none", "unknown", "all"],
            "n_clusters": [11, 13, 78, 125],
            "n_with_mne": [7, 1, 12, 20],
            "n_without_mne": [0, 0, 0, 0],
            "n_mne_unknown": [4, 12, 66, 105],
        }
    )
    result = _by_id(analysis_findings.build_findings(changed, wave="2019"))["no_status_clusters"][
        "result"
    ]
    assert (
        "not enough data for a test (every known cluster has an MNE: no known cluster without one)"
    ) in result
    assert (
        "92 clusters were left out because a value is unknown, 90 of them because nobody "
        "listed their members (MNE presence unknown, not no)."
    ) in result
    assert "counts 1 of 13 with an MNE, 0 without one and 12 whose MNE presence is unknown" in (
        result
    )
    assert (
        "Warning: the status of 78 of 125 clusters is unknown because a status flag is blank "
        "or an unverified default"
    ) in result


def test_stratified_result_is_quoted_beside_the_pooled_one(tables):
    changed = dict(tables)
    assoc = tables["association_tests"].copy()
    assoc["p_stratified"] = None
    assoc["p_holm_stratified"] = None
    row = (assoc["variable"] == "status") & (assoc["level"] == "innovative")
    assoc.loc[row, ["p_stratified", "p_holm_stratified", "odds_ratio_common", "n_strata"]] = [
        0.0312,
        0.0936,
        7.25,
        4,
    ]
    changed["association_tests"] = assoc
    result = _by_id(analysis_findings.build_findings(changed, wave="2019"))["innovative_clusters"]
    assert (
        "Within federal districts (exact conditional test over 4 informative districts): "
        "p = 0.031, Holm-adjusted p = 0.094, common odds ratio 7.25; not significant after "
        "the Holm correction at 0.05."
    ) in result["result"]


def test_chicken_finding_gives_the_bounds_of_undetermined_pairs(tables):
    changed = dict(tables)
    chicken = tables["chicken_or_egg"].copy()
    chicken["n_undetermined"] = [None, 1, 1, 0, 0]
    chicken = pd.concat(
        [
            chicken,
            pd.DataFrame(
                [
                    {"section": "pair", "level": "klu-pharma/novo", "cluster_id": "klu-pharma",
                     "mne_name": "Novo Nordisk", "timing": "undetermined",
                     "founded_year_low": 2006, "founded_year_high": 2012, "entry_year": 2010},
                ]
            ),
        ],
        ignore_index=True,
    )  # fmt: skip
    changed["chicken_or_egg"] = chicken
    result = _by_id(analysis_findings.build_findings(changed, wave="2019"))["chicken_or_egg"][
        "result"
    ]
    assert (
        "1 pairs are undetermined: the cluster's founding year is known only as a range that "
        "holds the MNE's entry year (klu-pharma founded 2006-2012, Novo Nordisk entered 2010)."
    ) in result
    assert "innovative clusters: 3 before, 1 same year, 2 after, 1 undetermined, 3 unknown" in (
        result.replace("pilot innovative clusters", "innovative clusters")
    )


def test_missing_tables_make_the_figures_unavailable_not_invented():
    items = _by_id(analysis_findings.build_findings({}, wave="2019"))
    assert "Unavailable" in items["innovative_clusters"]["result"]
    assert "mne_by_status.csv is unavailable" in items["innovative_clusters"]["result"]
    assert "presence model is unavailable" in items["programme_kpis"]["result"]
    assert "mne_by_region.csv is unavailable" in items["attractive_regions"]["result"]
    assert "Unavailable" in items["chicken_or_egg"]["result"]


def test_html_is_self_contained_and_escapes_text(tables):
    items = analysis_findings.build_findings(tables, wave="2019")
    items[0] = {**items[0], "claim": "<script>alert(1)</script>"}
    page = report_findings.render_findings_html(items, wave="2019")
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page and "<script" not in page
    assert "&lt;script&gt;" in page
    assert "7 of 11 pilot innovative clusters" in page


def test_run_findings_reads_csv_tables_and_writes_html(tables, tmp_path):
    tables_dir = tmp_path / "tables"
    tables_dir.mkdir()
    for name, frame in tables.items():
        frame.to_csv(tables_dir / f"{name}.csv", index=False)
    out = tmp_path / "analysis_findings.html"
    report_findings.run_findings(
        wave="2019", tables_dir=str(tables_dir), out=str(out), config={"classify": {"top_n": 15}}
    )
    page = out.read_text(encoding="utf-8")
    assert "7 of 11 pilot innovative clusters" in page
    assert "in the top 15 of either ranking" in page
    assert "Of 11 distinct cluster-MNE pairs" in page


def test_p_values_are_written_with_three_decimals_or_two_significant_digits():
    assert [analysis_findings.fmt_p(p) for p in (0.2, 0.0021, 0.000012, float("nan"))] == [
        "0.200",
        "0.0021",
        "0.000012",
        "n/a",
    ]


def test_programme_finding_says_why_there_is_no_test_across_statuses(tables):
    changed = dict(tables)
    assoc = tables["association_tests"]
    changed["association_tests"] = assoc.loc[assoc["test"] != "fisher_freeman_halton"]
    result = _by_id(analysis_findings.build_findings(changed, wave="2019"))["programme_kpis"][
        "result"
    ]
    assert (
        "No test across statuses: the 33 clusters with status and MNE presence known hold "
        "fewer than three statuses."
    ) in result
