"""Exhibits of a cluster's context: MNEs by region beside the regions' innovation
and investment-climate ranks, by time of emergence, by the cluster
organisation's level and by the policy programmes that support clusters.

Same conventions as :mod:`.exhibits` (tidy frames, explicit row order,
unknowns as their own rows).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import numpy as np
import pandas as pd

from mne_clusters.analysis.exhibits import (
    EMERGENCE_PRESENCE,
    ORG_LEVELS,
    PROGRAMMES,
    UNKNOWN,
    _period_order,
    _share,
    _text_or_unknown,
)
from mne_clusters.classify.attributes import flag_true, flag_unknown, top_flag
from mne_clusters.classify.presence import mne_pairs, presence_of


def _ranks_by_region(ranking: pd.DataFrame, year: int | None, top_n: int) -> pd.DataFrame:
    """Rank text and top-N flag per region for one data year (regions absent: none)."""
    if year is None:
        return pd.DataFrame(columns=["rank", "top"], index=pd.Index([], name="region_iso"))
    part = ranking.loc[ranking["year"].astype("Int64") == int(year)].sort_values(
        ["region_iso", "rank_low"]
    )
    part = part.drop_duplicates("region_iso")
    flags = top_flag(part["rank_low"], part["rank_high"], top_n)
    return pd.DataFrame(
        {"rank": part["rank"].astype("string").to_numpy(), "top": flags.to_numpy(dtype=object)},
        index=pd.Index(part["region_iso"].astype(str).to_numpy(), name="region_iso"),
    )


def mne_by_region(
    clusters: pd.DataFrame,
    relations: pd.DataFrame,
    regions: pd.DataFrame,
    innovation_rank: pd.DataFrame,
    investment_rank: pd.DataFrame,
    *,
    ranks_year: int | None,
    top_n: int = 15,
) -> pd.DataFrame:
    """MNEs per region beside the region's innovation and investment ranks.

    Every region of the ``regions`` reference appears. Ranks and top-N flags of
    regions with clusters are those the classify step gave their clusters;
    regions without clusters get them from the ranking tables of ``ranks_year``
    by the same rule (``yes`` if the rank band is within the top N, ``no`` if
    below, else ``unknown``; absent from the ranking: ``unknown``).

    Returns
    -------
    pandas.DataFrame
        ``region_iso``, ``region_name_en``, ``federal_district``,
        ``has_cluster_data`` (yes/no), ``n_clusters``, ``n_clusters_with_mne``
        (presence yes), ``n_clusters_mne_unknown`` (presence unknown), ``n_mne_groups``, ``n_mne_relations``, ``innovation_rank``,
        ``innovation_top``, ``investment_rank``, ``investment_top``; sorted by
        MNE groups, clusters with MNEs, clusters (descending), then region code.
    """
    mne = mne_pairs(relations)
    region_of = clusters.set_index("cluster_id")["region_iso"].astype(str)
    mne = mne.assign(region_iso=mne["cluster_id"].map(region_of))
    by_cluster = clusters.assign(
        region_iso=clusters["region_iso"].astype(str), _presence=presence_of(clusters)
    ).groupby("region_iso")
    counts = pd.DataFrame(
        {
            "n_clusters": by_cluster.size(),
            "n_clusters_with_mne": by_cluster["_presence"].agg(lambda s: int((s == "yes").sum())),
            "n_clusters_mne_unknown": by_cluster["_presence"].agg(
                lambda s: int((s == UNKNOWN).sum())
            ),
        }
    )
    by_region = mne.groupby("region_iso")
    counts = counts.join(
        pd.DataFrame(
            {"n_mne_groups": by_region["mne_id"].nunique(), "n_mne_relations": by_region.size()}
        )
    )
    out = (
        regions[["region_iso", "name_en", "federal_district"]]
        .astype(str)
        .rename(columns={"name_en": "region_name_en"})
    )
    out = out.join(counts, on="region_iso")
    out["has_cluster_data"] = np.where(out["n_clusters"].notna(), "yes", "no")
    for col in [
        "n_clusters",
        "n_clusters_with_mne",
        "n_clusters_mne_unknown",
        "n_mne_groups",
        "n_mne_relations",
    ]:
        out[col] = out[col].fillna(0).astype("int64")
    for key, ranking in (("innovation", innovation_rank), ("investment", investment_rank)):
        from_ref = _ranks_by_region(ranking, ranks_year, top_n)
        first = clusters.assign(region_iso=clusters["region_iso"].astype(str)).drop_duplicates(
            "region_iso"
        )
        from_clusters = pd.DataFrame(
            {
                "rank": first[f"{key}_rank"].astype("string").to_numpy(),
                "top": first[f"{key}_top"].astype(str).to_numpy(),
            },
            index=pd.Index(first["region_iso"].to_numpy(), name="region_iso"),
        )
        with_data = out["region_iso"].isin(from_clusters.index)
        rank = out["region_iso"].map(from_ref["rank"]).astype("string")
        top = out["region_iso"].map(from_ref["top"]).astype("string")
        rank = rank.mask(with_data, out["region_iso"].map(from_clusters["rank"]).astype("string"))
        top = top.mask(with_data, out["region_iso"].map(from_clusters["top"]).astype("string"))
        out[f"{key}_rank"] = rank.fillna(UNKNOWN).replace("", UNKNOWN).astype(str)
        out[f"{key}_top"] = top.fillna(UNKNOWN).astype(str)
    out = out.sort_values(
        ["n_mne_groups", "n_clusters_with_mne", "n_clusters", "region_iso"],
        ascending=[False, False, False, True],
    )
    cols = [
        "region_iso",
        "region_name_en",
        "federal_district",
        "has_cluster_data",
        "n_clusters",
        "n_clusters_with_mne",
        "n_clusters_mne_unknown",
        "n_mne_groups",
        "n_mne_relations",
        "innovation_rank",
        "innovation_top",
        "investment_rank",
        "investment_top",
    ]
    return out[cols].reset_index(drop=True)


def emergence_types(
    clusters: pd.DataFrame, relations: pd.DataFrame, *, config: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Clusters by founding period and whether MNEs take part in them.

    Returns
    -------
    pandas.DataFrame
        ``founding_period`` (config order, then ``unknown``), ``mne_presence``
        (``with_mne`` / ``without_mne`` / ``mne_unknown``: members not listed,
        none found), ``n_clusters``, ``share_of_period``,
        ``n_clusters_period``; every combination, zero counts included.
    """
    period = _text_or_unknown(clusters["founding_period"])
    has = presence_of(clusters).map(
        {"yes": "with_mne", "no": "without_mne", UNKNOWN: "mne_unknown"}
    )
    counts = pd.crosstab(period.to_numpy(), has.to_numpy())
    periods = _period_order(config, period)
    counts = counts.reindex(index=periods, columns=list(EMERGENCE_PRESENCE), fill_value=0)
    # flat columns: stack gives a Series (the stubs say a frame)
    long = cast("pd.Series[int]", counts.stack()).rename("n_clusters").reset_index()
    long.columns = ["founding_period", "mne_presence", "n_clusters"]
    per_period = long.groupby("founding_period", sort=False)["n_clusters"].transform("sum")
    return long.assign(
        n_clusters=long["n_clusters"].astype("int64"),
        share_of_period=_share(long["n_clusters"], per_period).to_numpy(),
        n_clusters_period=per_period.astype("int64"),
    ).reset_index(drop=True)


def org_levels(clusters: pd.DataFrame, relations: pd.DataFrame) -> pd.DataFrame:
    """Clusters by organisational development level (``unknown`` when blank).

    Returns
    -------
    pandas.DataFrame
        ``org_level`` (initial, medium, high, unknown), ``n_clusters``,
        ``share``, ``n_clusters_total``.
    """
    level = _text_or_unknown(clusters["org_level"])
    n = level.value_counts().reindex(list(ORG_LEVELS), fill_value=0)
    total = len(clusters)
    return pd.DataFrame(
        {
            "org_level": list(ORG_LEVELS),
            "n_clusters": n.astype("int64").to_numpy(),
            "share": _share(n, total).to_numpy(),
            "n_clusters_total": np.full(len(ORG_LEVELS), total, dtype="int64"),
        }
    )


def _host_regions(clusters: pd.DataFrame) -> pd.Series:
    """The set of regions of each cluster: host region plus, when the wave
    carries the optional ``region_iso_other`` column, the other host regions."""
    host = clusters["region_iso"].astype(str)
    if "region_iso_other" not in clusters.columns:
        return host.map(lambda r: frozenset([r]))
    other = clusters["region_iso_other"].astype("string").fillna("")
    return pd.Series(
        [
            frozenset([h, *(p.strip() for p in o.split("|") if p.strip())])
            for h, o in zip(host, other, strict=True)
        ],
        index=clusters.index,
    )


def policy_programmes(clusters: pd.DataFrame, relations: pd.DataFrame) -> pd.DataFrame:
    """Clusters and distinct host regions per policy programme.

    Regions count the host region and, where the wave has the optional
    ``region_iso_other`` column, the other regions of an interregional cluster.
    ``n_clusters`` counts clusters whose flag is known true; ``n_unknown``
    those whose flag is not known (blank, ``unknown``, an unverified default,
    or a blank ``is_leading`` read as false by the contract's default).

    Returns
    -------
    pandas.DataFrame
        ``programme``, ``n_clusters``, ``n_regions``, ``n_unknown``,
        ``n_clusters_total``.
    """
    regions = _host_regions(clusters)
    rows = []
    for programme, column in PROGRAMMES:
        member = flag_true(clusters, column)
        unknown = flag_unknown(clusters, column)
        region_set = frozenset().union(*regions.loc[member]) if member.any() else frozenset()
        rows.append(
            {
                "programme": programme,
                "n_clusters": int(member.sum()),
                "n_regions": len(region_set),
                "n_unknown": int(unknown.sum()),
                "n_clusters_total": len(clusters),
            }
        )
    return pd.DataFrame(rows)


__all__ = [
    "emergence_types",
    "mne_by_region",
    "org_levels",
    "policy_programmes",
]
