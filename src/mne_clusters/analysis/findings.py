"""The study's claims, each set against the test that addresses it, in plain words.

Every number in a finding is read from a table the workflow wrote
(``association_tests``, ``presence_model``, ``chicken_or_egg`` of
:mod:`mne_clusters.stats`, and the descriptive ``mne_by_status`` /
``mne_by_region`` of :mod:`mne_clusters.tables` when present); none is typed
here. A table or row that is missing makes the sentence say the figure is
unavailable, never a guess. The slides' own figures are set beside ours in the
replication table, so the claims are quoted here without them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, TypeGuard

import numpy as np
import pandas as pd

from mne_clusters.core import steps

#: Tables the findings read, by name (``<tables_dir>/<name>.csv``): the
#: catalogue's inputs of the findings step.
TABLE_NAMES = list(steps.step("findings").inputs)


STATUS_LABELS = {
    "innovative": "pilot innovative clusters",
    "industrial": "industrial clusters",
    "cdc_supported": "clusters supported by a cluster development centre",
    "none": "clusters without any status",
    "unknown": "clusters of unknown status",
}


# ---------------------------------------------------------------------------
# Formatting numbers read from tables
# ---------------------------------------------------------------------------


def _num(value: Any) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out


def fmt_p(value: Any) -> str:
    """A p-value for people: three decimals, or two significant digits below 0.01."""
    p = _num(value)
    if math.isnan(p):
        return "n/a"
    if p >= 0.01:
        return f"{p:.3f}"
    return np.format_float_positional(p, precision=2, unique=True, fractional=False, trim="-")


def fmt_ratio(value: Any) -> str:
    """An odds ratio: two decimals; ``infinite`` or ``n/a`` where it has no finite value."""
    x = _num(value)
    if math.isnan(x):
        return "n/a"
    if math.isinf(x):
        return "infinite"
    return f"{x:.2f}"


def _int(value: Any) -> str:
    x = _num(value)
    return "n/a" if math.isnan(x) else str(int(x))


# ---------------------------------------------------------------------------
# Reading rows
# ---------------------------------------------------------------------------


def _row(table: pd.DataFrame | None, **where: str) -> pd.Series | None:
    """The single row of ``table`` matching every ``column == value``; else ``None``."""
    if table is None or any(col not in table.columns for col in where):
        return None
    mask = pd.Series(True, index=table.index)
    for col, value in where.items():
        mask &= table[col].astype(str) == value
    hit = table.loc[mask]
    return hit.iloc[0] if len(hit) == 1 else None


def _has(table: pd.DataFrame | None, columns: Sequence[str]) -> TypeGuard[pd.DataFrame]:
    """``table`` is there and has every one of ``columns``."""
    return table is not None and all(c in table.columns for c in columns)


def _significance(row: pd.Series, alpha: float) -> str:
    p_holm = _num(row.get("p_holm"))
    if math.isnan(p_holm):
        return "no test was possible"
    if p_holm < alpha:
        return f"significant after the Holm correction at {alpha:g}"
    return f"not significant after the Holm correction at {alpha:g}"


def _level_sentence(row: pd.Series | None, what: str, rest: str, alpha: float) -> str:
    """'a of n <what> have an MNE, against c of m <rest> (test numbers).'"""
    if row is None:
        return f"Unavailable: the association table has no row for {what}."
    a, b = _num(row["n_level_mne"]), _num(row["n_level_no_mne"])
    c, d = _num(row["n_rest_mne"]), _num(row["n_rest_no_mne"])
    if any(math.isnan(x) for x in (a, b, c, d)):
        return f"Unavailable: the association table has no counts for {what}."
    text = (
        f"{int(a)} of {int(a + b)} {what} have an MNE as member, partner or of unstated role, "
        f"against {int(c)} of {int(c + d)} {rest}"
    )
    if math.isnan(_num(row.get("p_value"))):
        text += f"; {_no_test_reason(row)}."
    else:
        text += (
            f" (two-sided Fisher exact test p = {fmt_p(row['p_value'])}, Holm-adjusted "
            f"p = {fmt_p(row['p_holm'])}; conditional odds ratio "
            f"{fmt_ratio(row.get('odds_ratio_conditional'))}, {_ci_words(row)}; "
            f"{_significance(row, alpha)})."
        )
        text += _stratified_words(row, alpha)
    excluded = _num(row.get("n_excluded"))
    if not math.isnan(excluded) and excluded > 0:
        n = int(excluded)
        were = "cluster was" if n == 1 else "clusters were"
        unknown_presence = _num(row.get("n_presence_unknown"))
        if not math.isnan(unknown_presence) and unknown_presence > 0:
            text += (
                f" {n} {were} left out because a value is unknown, {int(unknown_presence)} of "
                "them because nobody listed their members (MNE presence unknown, not no)."
            )
        else:
            text += f" {n} {were} left out because the value is unknown."
    return text


def _no_test_reason(row: pd.Series) -> str:
    """'not enough data (<why>)' from a row's note."""
    note = row.get("note")
    parts = str(note).split("; ") if isinstance(note, str) and note else []
    for i, part in enumerate(parts):
        if part.startswith("not enough data"):
            why = part.removeprefix("not enough data").lstrip(": ")
            rest = [p for p in parts[i + 1 :] if p != "no test"]
            reason = "; ".join([why, *rest]) if why else "; ".join(rest)
            return f"not enough data for a test ({reason})" if reason else "not enough data"
    return "not enough data for a test"


def _stratified_words(row: pd.Series, alpha: float) -> str:
    """The test stratified by federal district, in words."""
    p = _num(row.get("p_stratified"))
    if math.isnan(p):
        return ""
    p_holm = _num(row.get("p_holm_stratified"))
    verdict = (
        "no adjusted p-value"
        if math.isnan(p_holm)
        else ("significant" if p_holm < alpha else "not significant")
        + f" after the Holm correction at {alpha:g}"
    )
    return (
        f" Within federal districts (exact conditional test over {_int(row.get('n_strata'))} "
        f"informative districts): p = {fmt_p(p)}, Holm-adjusted p = {fmt_p(p_holm)}, common "
        f"odds ratio {fmt_ratio(row.get('odds_ratio_common'))}; {verdict}."
    )


def _ci_words(row: pd.Series) -> str:
    low, high = row.get("or_ci_low"), row.get("or_ci_high")
    if math.isnan(_num(low)) or math.isnan(_num(high)):
        return "no confidence interval (a margin is empty)"
    return f"exact confidence interval {fmt_ratio(low)} to {fmt_ratio(high)}"


def _alpha(assoc: pd.DataFrame | None, default: float) -> float:
    """The alpha the association table was computed with (stated in its method column)."""
    if assoc is None or "method" not in assoc.columns or assoc.empty:
        return default
    text = str(assoc["method"].iloc[0])
    marker = "(alpha "
    if marker in text:
        try:
            return float(text.split(marker, 1)[1].split(")", 1)[0])
        except ValueError:
            return default
    return default


# ---------------------------------------------------------------------------
# The findings
# ---------------------------------------------------------------------------


def _status_descriptive(by_status: pd.DataFrame | None, status: str) -> str:
    if not _has(by_status, ["status", "n_clusters", "n_with_mne"]):
        return " The descriptive table mne_by_status.csv is unavailable."
    row = _row(by_status, status=status)
    if row is None:
        return f" The descriptive table mne_by_status.csv has no row for '{status}'."
    text = (
        f" The descriptive table mne_by_status.csv counts "
        f"{_int(row['n_with_mne'])} of {_int(row['n_clusters'])} with an MNE"
    )
    if "n_mne_unknown" in row.index and _num(row["n_mne_unknown"]) > 0:
        text += (
            f", {_int(row.get('n_without_mne'))} without one and {_int(row['n_mne_unknown'])} "
            "whose MNE presence is unknown (members not listed)"
        )
    return text + "." + _unverified_warning(by_status)


def _unverified_warning(by_status: pd.DataFrame | None) -> str:
    """A warning when status flags that are not known drive a status comparison."""
    row = _row(by_status, status="unknown") if _has(by_status, ["status"]) else None
    total = _row(by_status, status="all") if _has(by_status, ["status"]) else None
    if row is None or _num(row["n_clusters"]) <= 0:
        return ""
    of = f" of {_int(total['n_clusters'])}" if total is not None else ""
    return (
        f" Warning: the status of {_int(row['n_clusters'])}{of} clusters is unknown because a "
        "status flag is blank or an unverified default (the data's unverified_fields); they "
        "are left out of every status comparison, and the result may change when those "
        "flags are verified."
    )


def _finding_status(
    assoc: pd.DataFrame | None, by_status: pd.DataFrame | None, status: str, alpha: float
) -> str:
    row = _row(assoc, variable="status", level=status)
    return _level_sentence(
        row, STATUS_LABELS.get(status, status), "other clusters", alpha
    ) + _status_descriptive(by_status, status)


def _finding_programmes(
    assoc: pd.DataFrame | None,
    model: pd.DataFrame | None,
    alpha: float,
    by_status: pd.DataFrame | None = None,
) -> str:
    overall = None
    if _has(assoc, ["variable", "test"]):
        hit = assoc.loc[
            (assoc["variable"] == "status") & (assoc["test"] == "fisher_freeman_halton")
        ]
        overall = hit.iloc[0] if len(hit) == 1 else None
    status_rows = (
        assoc.loc[(assoc["variable"] == "status") & (assoc["test"] == "fisher_2x2")]
        if _has(assoc, ["variable", "test"])
        else None
    )
    if overall is None and status_rows is not None and len(status_rows):
        text = (
            f"No test across statuses: the {_int(status_rows['n'].iloc[0])} clusters with status "
            "and MNE presence known hold fewer than three statuses."
        )
    elif overall is None:
        text = "Unavailable: the association table has no test across all statuses."
    elif math.isnan(_num(overall.get("p_value"))):
        text = (
            f"Across the {_int(overall['n'])} clusters with status and MNE presence known: "
            f"{_no_test_reason(overall)}."
        )
    else:
        text = (
            f"Across all {_int(overall['n'])} clusters, MNE presence differs by status with "
            f"Fisher-Freeman-Halton p = {fmt_p(overall['p_value'])} (Holm-adjusted "
            f"p = {fmt_p(overall['p_holm'])}; {_significance(overall, alpha)})."
        )
    return text + " " + _model_sentence(model, "status=") + _unverified_warning(by_status)


def _model_sentence(model: pd.DataFrame | None, prefix: str) -> str:
    if not _has(model, ["term", "odds_ratio", "ci_low", "ci_high", "p_value", "note"]):
        return "The presence model is unavailable."
    summary = _row(model, term="(model)")
    terms = model.loc[model["term"].astype(str).str.startswith(prefix)]
    if terms.empty:
        parts = ["The presence model has no term for this variable"]
    else:
        parts = [
            "In the Firth model adjusted for the other variables, "
            + "; ".join(
                f"{t['term']}: odds ratio {fmt_ratio(t['odds_ratio'])} "
                f"(profile-likelihood CI {fmt_ratio(t['ci_low'])} to {fmt_ratio(t['ci_high'])}, "
                f"p = {fmt_p(t['p_value'])})"
                for _, t in terms.iterrows()
            )
        ]
    if summary is not None and isinstance(summary["note"], str) and summary["note"]:
        parts.append(f"Model: {summary['note']}")
    return ". ".join(parts) + "."


def _finding_industries(assoc: pd.DataFrame | None, alpha: float) -> str:
    high = _row(assoc, variable="industry_group", level="high_tech")
    new = _row(assoc, variable="founding_period", level="new")
    text = _level_sentence(high, "high-tech clusters", "clusters in other industries", alpha)
    text += " " + _level_sentence(
        new, "clusters founded in the new period", "older clusters", alpha
    )
    return text


def _finding_regions(
    assoc: pd.DataFrame | None, by_region: pd.DataFrame | None, alpha: float, top: str
) -> str:
    parts = [
        _level_sentence(
            _row(assoc, variable="innovation_or_investment_top", level="yes"),
            f"clusters in regions in the {top} of either ranking",
            f"clusters in regions below the {top} in both",
            alpha,
        ),
        _level_sentence(
            _row(assoc, variable="innovation_top", level="yes"),
            f"clusters in regions in the {top} of the innovation ranking",
            "clusters in regions ranked below",
            alpha,
        ),
        _level_sentence(
            _row(assoc, variable="investment_top", level="yes"),
            f"clusters in regions in the {top} of the investment ranking",
            "clusters in regions ranked below",
            alpha,
        ),
    ]
    cols = ["n_mne_groups", "innovation_top", "investment_top"]
    if not _has(by_region, cols):
        parts.append("The descriptive table mne_by_region.csv is unavailable.")
    else:
        with_mne = by_region.loc[pd.to_numeric(by_region["n_mne_groups"], errors="coerce") > 0]
        inn, inv = with_mne["innovation_top"].astype(str), with_mne["investment_top"].astype(str)
        either = (inn == "yes") | (inv == "yes")
        neither = (inn == "no") & (inv == "no")
        parts.append(
            f"Of the {len(with_mne)} regions with MNEs in their clusters (mne_by_region.csv), "
            f"{int(either.sum())} are in the {top} of either ranking, {int(neither.sum())} are "
            f"below it in both, and for {int((~either & ~neither).sum())} a rank is unknown."
        )
    return " ".join(parts)


def _finding_chicken(chicken: pd.DataFrame | None) -> str:
    cols = ["section", "level", "n_pairs", "n_before", "n_same_year", "n_after", "n_unknown"]
    total = _row(chicken, section="total", level="all") if _has(chicken, cols) else None
    if total is None or chicken is None:  # _row found no total row, or there is no table
        return "Unavailable: the chicken-or-egg table has no total row."
    text = (
        f"Of {_int(total['n_pairs'])} distinct cluster-MNE pairs, the MNE set up in the region "
        f"before the cluster was founded in {_int(total['n_before'])}, in the same year in "
        f"{_int(total['n_same_year'])}, and after it in {_int(total['n_after'])}; "
        f"{_int(total['n_unknown'])} pairs lack the founding or the entry year and stay unknown."
    )
    undetermined = _num(total.get("n_undetermined"))
    if not math.isnan(undetermined) and undetermined > 0:
        pairs = chicken.loc[chicken["section"] == "pair"]
        undet = pairs.loc[pairs["timing"].astype(str) == "undetermined"]
        bounds = "; ".join(
            f"{r['cluster_id']} founded {_int(r['founded_year_low'])}-"
            f"{_int(r['founded_year_high'])}, {r['mne_name']} entered {_int(r['entry_year'])}"
            for _, r in undet.iterrows()
            if {"founded_year_low", "founded_year_high", "entry_year"} <= set(r.index)
        )
        text += (
            f" {_int(undetermined)} pairs are undetermined: the cluster's founding year is "
            "known only as a range that holds the MNE's entry year"
            + (f" ({bounds})" if bounds else "")
            + "."
        )
    by_status = chicken.loc[chicken["section"] == "by_status"]
    shown = by_status.loc[pd.to_numeric(by_status["n_pairs"], errors="coerce") > 0]
    if len(shown):
        text += (
            " By status: "
            + "; ".join(
                f"{STATUS_LABELS.get(str(r['level']), str(r['level']))}: {_int(r['n_before'])} before, "
                f"{_int(r['n_same_year'])} same year, {_int(r['n_after'])} after, "
                + (
                    f"{_int(r['n_undetermined'])} undetermined, "
                    if _num(r.get("n_undetermined")) > 0
                    else ""
                )
                + f"{_int(r['n_unknown'])} unknown"
                for _, r in shown.iterrows()
            )
            + "."
        )
    return text


def build_findings(
    tables: Mapping[str, pd.DataFrame],
    *,
    wave: str,
    alpha: float = 0.05,
    top_n: int | None = None,
) -> list[dict[str, str]]:
    """Each claim of the slides with its test, the result in numbers, and the limits.

    Parameters
    ----------
    tables
        Tables by name (see :data:`TABLE_NAMES`); a missing one makes the
        sentences that need it say the figure is unavailable.
    wave
        Wave id, named in each result.
    alpha
        Used only when the association table does not state its alpha.
    top_n
        The ranking cut-off of the flags (config ``classify.top_n``), named in
        the sentences; ``None`` says "top-ranked group".

    Returns
    -------
    list of dict
        One dict per claim, keys ``id``, ``claim``, ``test``, ``result``,
        ``cannot_say``, ``tables`` (the tables the numbers come from).
    """
    assoc = tables.get("association_tests")
    model = tables.get("presence_model")
    chicken = tables.get("chicken_or_egg")
    by_status = tables.get("mne_by_status")
    by_region = tables.get("mne_by_region")
    a = _alpha(assoc, alpha)
    top = f"top {top_n}" if top_n is not None else "top-ranked group"
    w = f"Wave {wave}: "
    return [
        {
            "id": "innovative_clusters",
            "claim": "Most MNEs are located in innovation clusters.",
            "test": "Fisher exact test of MNE presence, pilot innovative clusters against all "
            "others with status and MNE presence known; Holm correction over the family of "
            "tests; also stratified by federal district (exact conditional test).",
            "result": w + _finding_status(assoc, by_status, "innovative", a),
            "cannot_say": "Whether the programme drew the MNEs or the MNEs helped the cluster win "
            "the programme; and, where the wave misses clusters or relations, how the full "
            "Cluster Map population would look.",
            "tables": "association_tests, mne_by_status",
        },
        {
            "id": "no_status_clusters",
            "claim": "Least MNEs are located in clusters without any status.",
            "test": "Fisher exact test of MNE presence, clusters without status against all others.",
            "result": w + _finding_status(assoc, by_status, "none", a),
            "cannot_say": "A cluster counts as without status only when every status flag is "
            "known false; clusters with a flag blank or unverified have an unknown status and "
            "are left out, so the comparison rests on the clusters whose flags were checked.",
            "tables": "association_tests, mne_by_status",
        },
        {
            "id": "programme_kpis",
            "claim": "The MNEs are embedded in clusters which have relevant KPIs induced by "
            "public programmes — ?",
            "test": "Fisher-Freeman-Halton exact test of MNE presence across all statuses "
            "(programme membership as the proxy for programme KPIs), and the status terms of the "
            "Firth logistic model.",
            "result": w + _finding_programmes(assoc, model, a, by_status),
            "cannot_say": "The data hold no KPI (exports, foreign investment targets), only "
            "programme membership; an association says nothing about whether the KPIs brought "
            "the MNEs.",
            "tables": "association_tests, presence_model",
        },
        {
            "id": "new_industries",
            "claim": "MNEs are mostly attracted to regions with clusters in new industries / "
            "technological domains — ?",
            "test": "Fisher exact tests of MNE presence for high-tech industries (OECD technology "
            "intensity) against the rest, and for clusters founded in the new period against "
            "older ones.",
            "result": w + _finding_industries(assoc, a),
            "cannot_say": "Technology intensity is a grouping of the cluster's main industry, not "
            "a measure of its technology; founding years are missing for many clusters, which "
            "are left out of the period test.",
            "tables": "association_tests",
        },
        {
            "id": "attractive_regions",
            "claim": "Most MNEs are in clusters located in regions with high innovation or/and "
            "investment attractiveness ranks.",
            "test": f"Fisher exact tests of MNE presence for clusters in regions in the {top} of "
            "the innovation ranking, the investment ranking, and either; unknown ranks excluded.",
            "result": w + _finding_regions(assoc, by_region, a, top),
            "cannot_say": f"A rank known only as a band straddling the {top} cut-off, or absent, is "
            "unknown, not low; a region's rank describes the region, not the cluster.",
            "tables": "association_tests, mne_by_region",
        },
        {
            "id": "chicken_or_egg",
            "claim": "Chicken or egg: do cluster conditions attract MNEs, or do MNEs' branches "
            "foster the cluster?",
            "test": "For each distinct cluster-MNE pair, the MNE's entry year into the region "
            "against the cluster's founding year.",
            "result": w + _finding_chicken(chicken),
            "cannot_say": "Order in time is not cause; the entry year is the first dated step of "
            "setting up in the region, not the date of joining the cluster; undated pairs could "
            "fall either way.",
            "tables": "chicken_or_egg",
        },
    ]


__all__ = [
    "build_findings",
]
