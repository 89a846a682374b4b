"""Chicken or egg: did the MNE come before the cluster, or after it?

Computation only; the timeline figure is :mod:`mne_clusters.plotting.timeline`.

* **Chicken or egg.** Pairs are distinct (cluster, MNE group) pairs of MNE
  relations (:func:`mne_clusters.classify.mne_pairs`): a pair described by
  several rows takes the earliest entry year any of them gives, and a group
  outside the registry counts by its organisation's name. ``timing`` is
  ``before`` (entry year < founding year), ``same_year``, ``after`` or
  ``unknown`` (either year missing, never dropped). Summaries are by the
  cluster's status and by the *cluster's* industry.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mne_clusters.classify.presence import mne_pairs
from mne_clusters.core import vocabulary as vocab

UNKNOWN = vocab.UNKNOWN
STATUS_ORDER = list(vocab.STATUS_ORDER)
TIMINGS = list(vocab.TIMINGS)


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


__all__ = [
    "chicken_or_egg",
    "chicken_or_egg_pairs",
]
