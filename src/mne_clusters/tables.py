"""The study's tables (issue 4): tidy counts and shares of a classified wave.

Every function here takes the *classified* frames of one wave (see "Frame
contracts" in ``docs/ARCHITECTURE.md``) and returns a new, tidy frame with an
explicit row order. Counts come with shares and with the number they are shares
of; a gap is shown as an explicit ``unknown`` row or as an n/a count, never
dropped. :func:`run_tables` writes all of them, each with a provenance sidecar.

Terms used throughout:

MNE relation
    A relation row matched to an MNE group (``is_mne``) that is not a repeat of
    an earlier row for the same cluster and group (``is_duplicate`` false).
Foreign MNE relation
    An MNE relation whose group is headquartered abroad (``is_foreign``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mne_clusters import outputs, provenance
from mne_clusters.classify import mne_pairs
from mne_clusters.errors import DataError, Problem

#: Status labels in the default precedence order; ``none`` always comes last.
DEFAULT_STATUS_ORDER = ("innovative", "industrial", "cdc_supported")

#: MNE presence categories of a cluster, in table order: ``none`` = members
#: listed and none an MNE; ``unknown`` = members not listed and no MNE found
#: (not surveyed: "no MNE recorded", never "no MNE").
PRESENCE_ORDER = (
    "member_only",
    "partner_only",
    "member_and_partner",
    "unknown_role_only",
    "none",
    "unknown",
)

#: Organisational development levels, in table order.
ORG_LEVELS = ("initial", "medium", "high", "unknown")

#: Policy programmes: label and the clusters column that marks membership.
PROGRAMMES = (
    ("pilot_innovative", "is_innovative"),
    ("leading", "is_leading"),
    ("industrial", "is_industrial"),
    ("cdc_supported", "is_cdc_supported"),
)

#: Number of leading MNEs listed per industry in ``key_mnes`` (config
#: ``tables.key_mnes_per_industry``).
DEFAULT_KEY_MNES_PER_INDUSTRY = 5

UNKNOWN = "unknown"

#: MNE presence columns of ``emergence_types``.
EMERGENCE_PRESENCE = ("with_mne", "without_mne", "mne_unknown")


# --------------------------------------------------------------------------- helpers


def _share(num: Any, den: Any) -> Any:
    """``num / den`` as float; NaN (written as an empty cell) where ``den`` is 0.

    Either argument may be a number or a Series (element-wise division).
    """
    if isinstance(num, pd.Series) or isinstance(den, pd.Series):
        num_f = num.astype("float64") if isinstance(num, pd.Series) else float(num)
        den_f = den.astype("float64") if isinstance(den, pd.Series) else float(den)
        if isinstance(den_f, pd.Series):
            return num_f / den_f.replace(0.0, np.nan)
        return num_f / den_f if den_f else num_f * np.nan
    return float(num) / float(den) if den else np.nan


def _status_order(config: Mapping[str, Any] | None) -> list[str]:
    """Status labels in config precedence order, then ``none``, then ``unknown``."""
    classify = (config or {}).get("classify", {}) or {}
    order = list(classify.get("status_precedence", DEFAULT_STATUS_ORDER))
    return [*order, "none", UNKNOWN]


def presence(clusters: pd.DataFrame) -> pd.Series:
    """MNE presence per cluster: ``yes`` / ``no`` / ``unknown`` (text).

    Read from ``mne_presence``; a frame classified before that column existed
    gives it from ``has_mne`` (``<NA>`` = unknown).
    """
    if "mne_presence" in clusters.columns:
        return clusters["mne_presence"].astype("string").fillna(UNKNOWN).astype(str)
    has = clusters["has_mne"].astype("boolean")
    out = np.where(has.isna(), UNKNOWN, np.where(has.fillna(False), "yes", "no"))
    return pd.Series(out, index=clusters.index, dtype=str)


def _period_order(config: Mapping[str, Any] | None, observed: pd.Series) -> list[str]:
    """Founding period labels in config order, then any others seen, then ``unknown``."""
    classify = (config or {}).get("classify", {}) or {}
    bins = classify.get("founding_periods", [{"label": "old"}, {"label": "new"}])
    order = [str(b["label"]) for b in bins]
    extra = sorted(set(observed.dropna().astype(str)) - set(order) - {UNKNOWN})
    return [*order, *extra, UNKNOWN]


def _mne_relations(relations: pd.DataFrame) -> pd.DataFrame:
    """Relations matched to an MNE group, each (cluster, group) counted once.

    See :func:`mne_clusters.classify.mne_pairs`: a pair takes the most specific
    role and the earliest entry year of its rows.
    """
    return mne_pairs(relations)


def _text_or_unknown(values: pd.Series) -> pd.Series:
    """Text values with blanks and NA shown as ``unknown``."""
    out = values.astype("string").str.strip()
    return out.mask(out.isna() | (out == ""), UNKNOWN).astype(str)


def _cluster_label(clusters: pd.DataFrame) -> pd.Series:
    """A readable name per cluster: English name, else Russian name, else id."""
    label = clusters["name_en"].astype("string")
    label = label.mask(
        label.isna() | (label.str.strip() == ""), clusters["name_ru"].astype("string")
    )
    label = label.mask(label.isna() | (label.str.strip() == ""), clusters["cluster_id"])
    return label.astype(str)


# --------------------------------------------------------------------------- tables


def mne_presence(clusters: pd.DataFrame, relations: pd.DataFrame) -> pd.DataFrame:
    """Clusters by the roles in which MNEs take part in them.

    A cluster falls in exactly one category, decided by the roles that are
    known: ``member_only`` (MNE members, no MNE partner), ``partner_only``,
    ``member_and_partner``, ``unknown_role_only`` (MNEs tied to the cluster, no
    role stated for any of them), ``none`` (members listed, none an MNE) and
    ``unknown`` (members not listed and no MNE found: not surveyed). Because a relation of unknown
    role might be either, ``n_also_unknown_role`` counts the clusters of each
    category that also have such relations.

    Parameters
    ----------
    clusters
        Classified clusters (uses ``has_mne``, ``has_mne_member``,
        ``has_mne_partner``, ``has_mne_unknown_role``).
    relations
        Classified relations (unused; kept for a uniform signature).

    Returns
    -------
    pandas.DataFrame
        ``presence``, ``n_clusters``, ``share``, ``n_also_unknown_role``,
        ``n_clusters_total``; one row per category in :data:`PRESENCE_ORDER`.
    """
    member = clusters["has_mne_member"].astype(bool)
    partner = clusters["has_mne_partner"].astype(bool)
    unknown = clusters["has_mne_unknown_role"].astype(bool)
    state = presence(clusters)
    has = (state == "yes") | member | partner | unknown
    category = np.select(
        [member & partner, member, partner, has, (state == "no").to_numpy()],
        ["member_and_partner", "member_only", "partner_only", "unknown_role_only", "none"],
        default=UNKNOWN,
    )
    frame = pd.DataFrame({"presence": category, "unknown": unknown.to_numpy()})
    n = frame.groupby("presence")["unknown"].agg(["size", "sum"])
    n = n.reindex(list(PRESENCE_ORDER), fill_value=0)
    total = len(clusters)
    return pd.DataFrame(
        {
            "presence": list(PRESENCE_ORDER),
            "n_clusters": n["size"].astype("int64").to_numpy(),
            "share": _share(n["size"], total).to_numpy(),
            "n_also_unknown_role": np.where(
                np.isin(np.array(PRESENCE_ORDER), ["unknown_role_only", "none", UNKNOWN]),
                0,
                n["sum"].astype("int64"),
            ).astype("int64"),
            "n_clusters_total": np.full(len(PRESENCE_ORDER), total, dtype="int64"),
        }
    )


def foreign_member_share(
    clusters: pd.DataFrame, relations: pd.DataFrame, *, config: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Share of foreign MNE members in all members, overall and by status.

    The numerator counts foreign MNE relations with role ``member`` in clusters
    whose ``n_members`` is known; the denominator is the sum of ``n_members`` of
    those clusters. Clusters with ``n_members`` unknown are excluded and counted
    (``n_clusters_members_unknown``), as are the foreign members in them
    (``foreign_members_excluded``).

    Returns
    -------
    pandas.DataFrame
        ``group`` (``all``, then each status), ``n_clusters``,
        ``n_clusters_members_known``, ``n_clusters_members_unknown``,
        ``foreign_members``, ``foreign_members_excluded``, ``total_members``,
        ``share`` (empty when no cluster of the group has a member count).
    """
    mne = _mne_relations(relations)
    foreign_members = mne.loc[
        mne["is_foreign"].astype(bool) & (mne["relation"].astype(str) == "member")
    ]
    per_cluster = foreign_members.groupby("cluster_id").size()
    frame = pd.DataFrame(
        {
            "status": clusters["status"].astype(str).to_numpy(),
            "known": clusters["n_members"].notna().to_numpy(),
            "n_members": clusters["n_members"].astype("Float64").fillna(0).to_numpy(),
            "foreign": clusters["cluster_id"].map(per_cluster).fillna(0).astype("int64").to_numpy(),
        }
    )
    rows = []
    for group in ["all", *_status_order(config)]:
        part = frame if group == "all" else frame.loc[frame["status"] == group]
        known = part.loc[part["known"]]
        total_members = int(known["n_members"].sum())
        foreign = int(known["foreign"].sum())
        rows.append(
            {
                "group": group,
                "n_clusters": len(part),
                "n_clusters_members_known": len(known),
                "n_clusters_members_unknown": len(part) - len(known),
                "foreign_members": foreign,
                "foreign_members_excluded": int(part.loc[~part["known"], "foreign"].sum()),
                "total_members": total_members,
                "share": _share(foreign, total_members),
            }
        )
    return pd.DataFrame(rows)


def _country_name(code: str) -> str:
    """English short name of an ISO 3166-1 alpha-2 code (the code itself if unknown)."""
    import pycountry

    if code == UNKNOWN:
        return UNKNOWN
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def hq_countries(clusters: pd.DataFrame, relations: pd.DataFrame) -> pd.DataFrame:
    """MNE groups and MNE relations by headquarters country.

    Returns
    -------
    pandas.DataFrame
        ``hq_country`` (ISO code or ``unknown``), ``country`` (English name),
        ``n_groups`` (distinct MNE groups), ``share_groups``, ``n_relations``,
        ``n_clusters``, ``n_groups_total``; sorted by groups, relations
        (descending), then country name, with ``unknown`` last.
    """
    mne = _mne_relations(relations).assign(hq=lambda d: _text_or_unknown(d["hq_country"]))
    by = mne.groupby("hq")
    out = pd.DataFrame(
        {
            "n_groups": by["mne_id"].nunique(),
            "n_relations": by.size(),
            "n_clusters": by["cluster_id"].nunique(),
        }
    ).reset_index(names="hq_country")
    total = int(mne["mne_id"].nunique())
    out = out.assign(
        country=out["hq_country"].map(_country_name),
        share_groups=_share(out["n_groups"], total).to_numpy(),
        n_groups_total=total,
        _unknown=out["hq_country"] == UNKNOWN,
    )
    out = out.sort_values(
        ["_unknown", "n_groups", "n_relations", "country"], ascending=[True, False, False, True]
    )
    cols = ["hq_country", "country", "n_groups", "share_groups", "n_relations", "n_clusters"]
    return (
        out[[*cols, "n_groups_total"]]
        .astype(
            {
                "n_groups": "int64",
                "n_relations": "int64",
                "n_clusters": "int64",
                "n_groups_total": "int64",
            }
        )
        .reset_index(drop=True)
    )


def mne_by_status(
    clusters: pd.DataFrame, relations: pd.DataFrame, *, config: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Per cluster status: clusters with MNEs, without, unknown, and the share.

    The share is over clusters whose MNE presence is known (yes or no): a
    cluster whose members were not listed and where no MNE was found counts
    in ``n_mne_unknown``, never as "without MNE".

    Returns
    -------
    pandas.DataFrame
        ``status`` (each status in precedence order, ``none``, ``unknown``,
        then ``all``), ``n_clusters``, ``n_with_mne`` (presence yes),
        ``n_without_mne`` (no), ``n_mne_unknown`` (unknown), ``n_known``
        (yes + no), ``share_with_mne`` (``n_with_mne / n_known``; empty when
        no presence is known).
    """
    frame = pd.DataFrame({"status": clusters["status"].astype(str), "p": presence(clusters)})
    rows = []
    for status in [*_status_order(config), "all"]:
        part = frame if status == "all" else frame.loc[frame["status"] == status]
        yes, no = int((part["p"] == "yes").sum()), int((part["p"] == "no").sum())
        rows.append(
            {
                "status": status,
                "n_clusters": len(part),
                "n_with_mne": yes,
                "n_without_mne": no,
                "n_mne_unknown": len(part) - yes - no,
                "n_known": yes + no,
                "share_with_mne": _share(yes, yes + no),
            }
        )
    return pd.DataFrame(rows)


def mne_by_industry(
    clusters: pd.DataFrame, relations: pd.DataFrame, *, config: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """MNE groups by industry, overall and by the status of their host clusters.

    A group present in clusters of two statuses counts once in each status and
    once in ``all``.

    Returns
    -------
    pandas.DataFrame
        ``status`` (``all``, then each status), ``industry`` (``unknown`` for a
        group without one), ``n_groups``, ``share_groups`` (of the status's
        groups), ``n_relations``, ``n_groups_total`` (groups in the status);
        within a status sorted by groups (descending), then industry, with
        ``unknown`` last. Statuses without MNEs have no rows.
    """
    status = clusters.set_index("cluster_id")["status"].astype(str)
    mne = _mne_relations(relations).assign(
        industry_=lambda d: _text_or_unknown(d["industry"]),
        status=lambda d: d["cluster_id"].map(status).astype(str),
    )
    parts = []
    for group in ["all", *_status_order(config)]:
        part = mne if group == "all" else mne.loc[mne["status"] == group]
        if part.empty:
            continue
        by = part.groupby("industry_")
        table = pd.DataFrame(
            {"n_groups": by["mne_id"].nunique(), "n_relations": by.size()}
        ).reset_index(names="industry")
        total = int(part["mne_id"].nunique())
        table = table.assign(
            status=group,
            share_groups=_share(table["n_groups"], total).to_numpy(),
            n_groups_total=total,
            _unknown=table["industry"] == UNKNOWN,
        ).sort_values(["_unknown", "n_groups", "industry"], ascending=[True, False, True])
        parts.append(table)
    cols = ["status", "industry", "n_groups", "share_groups", "n_relations", "n_groups_total"]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in cols}).astype(
            {"status": str, "industry": str, "share_groups": "float64"}
        )
    out = pd.concat(parts, ignore_index=True)[cols]
    return out.astype({"n_groups": "int64", "n_relations": "int64", "n_groups_total": "int64"})


def key_mnes(
    clusters: pd.DataFrame, relations: pd.DataFrame, *, config: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """The leading MNE groups of each industry by number of host clusters.

    Within an industry, groups are ranked by the number of distinct clusters
    they are in (ties share a rank: 1, 2, 2, 4); groups ranked within the first
    ``tables.key_mnes_per_industry`` (default 5) are listed, so a tie at the
    cut-off lists every tied group.

    Returns
    -------
    pandas.DataFrame
        ``industry``, ``rank``, ``mne_id``, ``mne_name``, ``hq_country``,
        ``n_clusters``, ``clusters`` (host cluster names, ``; ``-separated,
        sorted); industries ordered by their number of groups (descending),
        then name, ``unknown`` last.
    """
    top = int(
        ((config or {}).get("tables", {}) or {}).get(
            "key_mnes_per_industry", DEFAULT_KEY_MNES_PER_INDUSTRY
        )
    )
    label = pd.Series(_cluster_label(clusters).to_numpy(), index=clusters["cluster_id"])
    mne = _mne_relations(relations).assign(
        industry_=lambda d: _text_or_unknown(d["industry"]),
        hq=lambda d: _text_or_unknown(d["hq_country"]),
        name=lambda d: _text_or_unknown(d["mne_name"]),
        cluster=lambda d: d["cluster_id"].map(label).astype(str),
    )
    by = mne.groupby(["industry_", "mne_id"])
    out = pd.DataFrame(
        {
            "mne_name": by["name"].first(),
            "hq_country": by["hq"].first(),
            "n_clusters": by["cluster_id"].nunique(),
            "clusters": by["cluster"].agg(lambda s: "; ".join(sorted(set(s)))),
        }
    ).reset_index(names=["industry", "mne_id"])
    out["rank"] = (
        out.groupby("industry")["n_clusters"].rank(method="min", ascending=False).astype("int64")
    )
    groups_per_industry = out.groupby("industry")["mne_id"].transform("size")
    out = out.assign(_size=groups_per_industry, _unknown=out["industry"] == UNKNOWN)
    out = out.loc[out["rank"] <= top].sort_values(
        ["_unknown", "_size", "industry", "rank", "mne_name", "mne_id"],
        ascending=[True, False, True, True, True, True],
    )
    cols = ["industry", "rank", "mne_id", "mne_name", "hq_country", "n_clusters", "clusters"]
    return out[cols].astype({"n_clusters": "int64", "mne_id": str}).reset_index(drop=True)


def _top_flag(low: Any, high: Any, top_n: int) -> str:
    """``yes`` when the whole rank band is within the top N, ``no`` when it is all
    below, ``unknown`` when there is no rank or the band straddles N."""
    if pd.notna(high) and int(high) <= top_n:
        return "yes"
    if pd.notna(low) and int(low) > top_n:
        return "no"
    return UNKNOWN


def _ranks_by_region(ranking: pd.DataFrame, year: int | None, top_n: int) -> pd.DataFrame:
    """Rank text and top-N flag per region for one data year (regions absent: none)."""
    if year is None:
        return pd.DataFrame(columns=["rank", "top"], index=pd.Index([], name="region_iso"))
    part = ranking.loc[ranking["year"].astype("Int64") == int(year)].sort_values(
        ["region_iso", "rank_low"]
    )
    part = part.drop_duplicates("region_iso")
    flags = [
        _top_flag(lo, hi, top_n) for lo, hi in zip(part["rank_low"], part["rank_high"], strict=True)
    ]
    return pd.DataFrame(
        {"rank": part["rank"].astype("string").to_numpy(), "top": flags},
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
    mne = _mne_relations(relations)
    region_of = clusters.set_index("cluster_id")["region_iso"].astype(str)
    mne = mne.assign(region_iso=mne["cluster_id"].map(region_of))
    by_cluster = clusters.assign(
        region_iso=clusters["region_iso"].astype(str), _presence=presence(clusters)
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
    has = presence(clusters).map({"yes": "with_mne", "no": "without_mne", UNKNOWN: "mne_unknown"})
    counts = pd.crosstab(period.to_numpy(), has.to_numpy())
    periods = _period_order(config, period)
    counts = counts.reindex(index=periods, columns=list(EMERGENCE_PRESENCE), fill_value=0)
    long = counts.stack().rename("n_clusters").reset_index()
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


# --------------------------------------------------------------------------- replication

#: Columns the published-figures file must have.
PUBLISHED_COLUMNS = ("figure_id", "description", "published_value", "unit", "slide", "note")

#: What a reproduction returns: the value (``None`` when the wave cannot give
#: it), then two notes on the data behind it: gaps that can only make the value
#: lower than the truth (missing rows, unknown cells, flags false by default for
#: the figure's own programme), and gaps that can only make it higher (flags
#: false by default that would move a cluster out of the counted status).
Reproduction = tuple[float | None, str, str]

NOT_IN_DATA = "n/a: the wave's data do not hold this figure ({what}); nothing to compare"


def _unverified(clusters: pd.DataFrame, column: str) -> int:
    """Clusters whose optional ``unverified_fields`` lists ``column`` (a default value)."""
    return int(_unverified_mask(clusters, column).sum())


def _unverified_mask(clusters: pd.DataFrame, column: str) -> pd.Series:
    if "unverified_fields" not in clusters.columns:
        return pd.Series(False, index=clusters.index)
    fields = clusters["unverified_fields"].astype("string").fillna("")
    return fields.map(lambda s: column in [p.strip() for p in s.split("|")]).astype(bool)


def flag_unknown(clusters: pd.DataFrame, column: str) -> pd.Series:
    """Clusters whose programme flag is not known.

    A blank or ``unknown`` flag, one named in ``unverified_fields`` (a default,
    not a fact); for ``is_leading`` also a blank that classify read as false
    (the contract's default) and kept visible in ``is_leading_unknown``.
    """
    unknown = clusters[column].astype("boolean").isna() | _unverified_mask(clusters, column)
    if column == "is_leading" and "is_leading_unknown" in clusters.columns:
        unknown = unknown | clusters["is_leading_unknown"].astype("boolean").fillna(False)
    return unknown.astype(bool)


def flag_true(clusters: pd.DataFrame, column: str) -> pd.Series:
    """Clusters whose programme flag is known true."""
    return clusters[column].astype("boolean").fillna(False).astype(bool) & ~flag_unknown(
        clusters, column
    )


def _flag_note(clusters: pd.DataFrame, column: str) -> str:
    """Why a flag count may fall short: flags not known (blank or unverified)."""
    unknown = int(flag_unknown(clusters, column).sum())
    if not unknown:
        return ""
    defaults = _unverified(clusters, column)
    why = f", {defaults} of them unverified defaults" if defaults else ""
    return (
        f"counted from known values only: {column} unknown for {unknown} of "
        f"{len(clusters)} clusters{why}"
    )


def _programme(column: str, what: str) -> Callable[[pd.DataFrame, pd.DataFrame], Reproduction]:
    def count(clusters: pd.DataFrame, relations: pd.DataFrame) -> Reproduction:
        flag = flag_true(clusters, column)
        if what == "regions":
            regions = _host_regions(clusters).loc[flag]
            value = len(frozenset().union(*regions)) if flag.any() else 0
        else:
            value = int(flag.sum())
        return float(value), _flag_note(clusters, column), ""

    return count


def _org_level(level: str) -> Callable[[pd.DataFrame, pd.DataFrame], Reproduction]:
    def count(clusters: pd.DataFrame, relations: pd.DataFrame) -> Reproduction:
        levels = _text_or_unknown(clusters["org_level"])
        unknown = int((levels == UNKNOWN).sum())
        note = f"org_level unknown for {unknown} of {len(clusters)} clusters" if unknown else ""
        return float((levels == level).sum()), note, ""

    return count


def _sum_of(column: str) -> Callable[[pd.DataFrame, pd.DataFrame], Reproduction]:
    def total(clusters: pd.DataFrame, relations: pd.DataFrame) -> Reproduction:
        known = clusters[column].dropna()
        if known.empty:
            return (
                None,
                f"n/a: {column} unknown for all {len(clusters)} clusters (missing data)",
                "",
            )
        missing = len(clusters) - len(known)
        note = (
            f"sum over the {len(known)} of {len(clusters)} clusters with {column} known; "
            f"{missing} unknown, so a lower bound"
            if missing
            else ""
        )
        return float(known.sum()), note, ""

    return total


def _status(status: str, *, with_mne: bool) -> Callable[[pd.DataFrame, pd.DataFrame], Reproduction]:
    def count(clusters: pd.DataFrame, relations: pd.DataFrame) -> Reproduction:
        # Known values only. A known status is final (every flag before it is
        # known false), and so is a found MNE; every unknown can only add to
        # the count, so the value is a lower bound and the notes say by how much.
        states = clusters["status"].astype(str)
        part = clusters.loc[states == status]
        unknown_status = clusters.loc[(states == UNKNOWN) & _could_be(clusters, status)]
        notes: list[str] = []
        words = STATUS_WORDS.get(status, status)
        if with_mne:
            found = presence(part) == "yes"
            value = int(found.sum())
            n_unknown = int((presence(part) == UNKNOWN).sum())
            if n_unknown:
                notes.append(
                    f"MNE presence unknown for {n_unknown} of {len(part)} {words} clusters "
                    "(members not listed, no MNE found)"
                )
            with_mne_unknown = int((presence(unknown_status) == "yes").sum())
            if with_mne_unknown:
                notes.append(
                    f"{with_mne_unknown} clusters with MNEs have status unknown and could be "
                    f"{words} (a status flag blank or an unverified default)"
                )
        else:
            value = len(part)
            if len(unknown_status):
                notes.append(
                    f"status unknown for {len(unknown_status)} of {len(clusters)} clusters "
                    f"that could be {words} (a status flag blank or an unverified default)"
                )
        if notes:
            notes.insert(0, "counted from known values only")
        return float(value), "; ".join(notes), ""

    return count


def _could_be(clusters: pd.DataFrame, status: str) -> pd.Series:
    """Clusters whose flags leave ``status`` possible: no flag before it known
    true and its own flag not known false (``none``: no flag known true)."""
    order = [x for x in DEFAULT_STATUS_ORDER if STATUS_FLAGS.get(x) in clusters.columns]
    before = order if status == "none" else order[: order.index(status)]
    possible = pd.Series(True, index=clusters.index)
    for x in before:
        possible &= ~flag_true(clusters, STATUS_FLAGS[x])
    if status != "none":
        flag = STATUS_FLAGS[status]
        known_false = ~clusters[flag].astype("boolean").fillna(True).astype(bool)
        possible &= ~(known_false & ~flag_unknown(clusters, flag))
    return possible.astype(bool)


#: The clusters flag behind each status, and the status in words.
STATUS_FLAGS = {
    "innovative": "is_innovative",
    "industrial": "is_industrial",
    "cdc_supported": "is_cdc_supported",
}
STATUS_WORDS = {"none": "no-status", "cdc_supported": "CDC-supported"}


def _initiatives(clusters: pd.DataFrame, relations: pd.DataFrame) -> Reproduction:
    return float(len(clusters)), "", ""


def _not_in_data(what: str) -> Callable[[pd.DataFrame, pd.DataFrame], Reproduction]:
    def none(clusters: pd.DataFrame, relations: pd.DataFrame) -> Reproduction:
        return None, NOT_IN_DATA.format(what=what), ""

    return none


#: How each published figure is reproduced from a wave, by ``figure_id``.
REPRODUCTIONS: dict[str, Callable[[pd.DataFrame, pd.DataFrame], Reproduction]] = {
    "initiatives_total": _initiatives,
    "members_total": _sum_of("n_members"),
    "employees_total": _sum_of("n_employees"),
    "org_level_initial": _org_level("initial"),
    "org_level_medium": _org_level("medium"),
    "org_level_high": _org_level("high"),
    "cdc_centres": _not_in_data("it records CDC-supported clusters, not the centres"),
    "cdc_regions": _programme("is_cdc_supported", "regions"),
    "cdc_funding": _not_in_data("funding"),
    "pilot_innovative_clusters": _programme("is_innovative", "clusters"),
    "pilot_innovative_regions": _programme("is_innovative", "regions"),
    "pilot_innovative_funding": _not_in_data("funding"),
    "pilot_innovative_beneficiaries": _programme("is_innovative", "clusters"),
    "pilot_innovative_beneficiary_regions": _programme("is_innovative", "regions"),
    "pilot_innovative_export_kpi": _not_in_data("exports"),
    "leading_clusters": _programme("is_leading", "clusters"),
    "leading_regions": _programme("is_leading", "regions"),
    "leading_export_kpi": _not_in_data("exports"),
    "leading_export_base": _not_in_data("exports"),
    "industrial_clusters": _programme("is_industrial", "clusters"),
    "industrial_regions": _programme("is_industrial", "regions"),
    "industrial_joint_projects": _not_in_data("joint projects"),
    "industrial_funding": _not_in_data("funding"),
    "innovative_clusters": _status("innovative", with_mne=False),
    "innovative_with_mne": _status("innovative", with_mne=True),
    "none_clusters": _status("none", with_mne=False),
    "none_with_mne": _status("none", with_mne=True),
    "interview_managers": _not_in_data("interviews"),
}


def check_published(published: pd.DataFrame, *, file: str) -> pd.DataFrame:
    """Check the published-figures table; return it with ``published_value`` as float.

    Raises
    ------
    DataError
        Listing every missing column, blank or repeated ``figure_id`` and
        non-numeric ``published_value``.
    """
    missing = [c for c in PUBLISHED_COLUMNS if c not in published.columns]
    if missing:
        raise DataError(
            [
                Problem(
                    file=file,
                    row=None,
                    column=c,
                    value=None,
                    expected=f"a column '{c}' (columns: {', '.join(PUBLISHED_COLUMNS)})",
                    fix=f"add the column '{c}'",
                )
                for c in missing
            ]
        )
    problems = []
    seen: set[str] = set()
    values = []
    for i, (fid, value) in enumerate(
        zip(published["figure_id"], published["published_value"], strict=True)
    ):
        row = i + 2
        fid = str(fid).strip()
        if not fid:
            problems.append(Problem(file, row, "figure_id", "", "an identifier", "name the figure"))
        elif fid in seen:
            problems.append(
                Problem(
                    file, row, "figure_id", fid, "a unique identifier", "keep one row per figure"
                )
            )
        seen.add(fid)
        try:
            values.append(float(str(value).replace(",", "").strip()))
        except ValueError:
            values.append(np.nan)
            problems.append(
                Problem(
                    file,
                    row,
                    "published_value",
                    str(value),
                    "a number (e.g. 3000 for 'ca. 3,000')",
                    "write the number; put 'approximate' or the quote in the note column",
                )
            )
    DataError.collect(problems)
    return published.assign(published_value=values)


def _number(value: float) -> str:
    """A number as text without trailing zeros (``118``, ``5.6``)."""
    return f"{value:.12g}"


def replication(
    clusters: pd.DataFrame, relations: pd.DataFrame, published: pd.DataFrame
) -> pd.DataFrame:
    """Each published figure beside the value reproduced from the wave.

    ``published`` is the checked published-figures table (see
    :func:`check_published`); its rows keep their order. A figure the wave
    cannot give, or whose ``figure_id`` has no reproduction in
    :data:`REPRODUCTIONS`, gets ``n/a`` and the reason.

    Returns
    -------
    pandas.DataFrame
        ``figure_id``, ``description``, ``slide``, ``unit``, ``published_value``,
        ``reproduced_value`` and ``difference`` (text: a number, or ``n/a``),
        ``published_note``, ``note`` (whether and why the figure differs).
    """
    n_published = published.loc[published["figure_id"] == "initiatives_total", "published_value"]
    short = len(clusters) < n_published.iloc[0] if len(n_published) else False
    rows = []
    for rec in published.itertuples(index=False):
        reproduce = REPRODUCTIONS.get(rec.figure_id)
        if reproduce is None:
            value, data_note, raising = (
                None,
                "n/a: no reproduction is defined for this figure_id",
                "",
            )
        else:
            value, data_note, raising = reproduce(clusters, relations)
        if value is None:
            shown, diff, note = "n/a", "n/a", data_note
        else:
            shown, d = _number(value), value - float(rec.published_value)
            diff = _number(d)
            if d == 0:
                note = f"reproduced ({data_note})" if data_note else "reproduced"
            elif d > 0:
                note = (
                    f"differs (higher); unverified defaults may inflate it: {raising}"
                    if raising
                    else "differs (higher); not explained by missing data in the wave"
                )
            else:
                causes = []
                if short and rec.unit in ("clusters", "regions", "members", "employees"):
                    causes.append(
                        f"the wave holds {len(clusters)} of the "
                        f"{_number(n_published.iloc[0])} initiatives the slides count"
                    )
                if data_note:
                    causes.append(data_note)
                note = (
                    "differs; missing data: " + "; ".join(causes)
                    if causes
                    else "differs; not explained by missing data in the wave"
                )
        rows.append(
            {
                "figure_id": rec.figure_id,
                "description": rec.description,
                "slide": rec.slide,
                "unit": rec.unit,
                "published_value": _number(float(rec.published_value)),
                "reproduced_value": shown,
                "difference": diff,
                "published_note": rec.note,
                "note": note,
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- running


def _top_n(config: Mapping[str, Any]) -> int:
    return int((config.get("classify", {}) or {}).get("top_n", 15))


def _wave_setting(config: Mapping[str, Any], wave: str, key: str) -> Any:
    return ((config.get("waves", {}) or {}).get(wave, {}) or {}).get(key)


#: The study's tables in order: name -> function of the run's frames.
TABLES: dict[str, Callable[..., pd.DataFrame]] = {
    "mne_presence": lambda f, cfg: mne_presence(f["clusters"], f["relations"]),
    "foreign_member_share": lambda f, cfg: foreign_member_share(
        f["clusters"], f["relations"], config=cfg
    ),
    "hq_countries": lambda f, cfg: hq_countries(f["clusters"], f["relations"]),
    "mne_by_status": lambda f, cfg: mne_by_status(f["clusters"], f["relations"], config=cfg),
    "mne_by_industry": lambda f, cfg: mne_by_industry(f["clusters"], f["relations"], config=cfg),
    "key_mnes": lambda f, cfg: key_mnes(f["clusters"], f["relations"], config=cfg),
    "mne_by_region": lambda f, cfg: mne_by_region(
        f["clusters"],
        f["relations"],
        f["regions"],
        f["innovation_rank"],
        f["investment_rank"],
        ranks_year=f["ranks_year"],
        top_n=_top_n(cfg),
    ),
    "emergence_types": lambda f, cfg: emergence_types(f["clusters"], f["relations"], config=cfg),
    "org_levels": lambda f, cfg: org_levels(f["clusters"], f["relations"]),
    "policy_programmes": lambda f, cfg: policy_programmes(f["clusters"], f["relations"]),
    "replication": lambda f, cfg: replication(f["clusters"], f["relations"], f["published"]),
}

#: One sentence per table for its provenance record.
DESCRIPTIONS: dict[str, str] = {
    "mne_presence": "Clusters by the roles in which MNEs take part (member, partner, unknown role).",
    "foreign_member_share": "Foreign MNE members in all members, overall and by cluster status.",
    "hq_countries": "MNE groups and relations by headquarters country.",
    "mne_by_status": "Clusters and clusters with MNEs per cluster status.",
    "mne_by_industry": "MNE groups by industry, overall and by cluster status.",
    "key_mnes": "The leading MNE groups per industry by number of host clusters.",
    "mne_by_region": "MNEs per region beside the region's innovation and investment ranks.",
    "emergence_types": "Clusters by founding period and MNE presence.",
    "org_levels": "Clusters by organisational development level.",
    "policy_programmes": "Clusters and host regions per policy programme.",
    "replication": "Each figure the 2019 slides publish beside the value reproduced from the wave.",
}

#: Inputs each table is computed from (keys of run_tables' path arguments).
TABLE_INPUTS: dict[str, tuple[str, ...]] = {
    "mne_by_region": ("clusters", "relations", "regions", "innovation_rank", "investment_rank"),
    "replication": ("clusters", "relations", "published"),
}


def run_tables(
    *,
    wave: str,
    clusters: str,
    relations: str,
    regions: str,
    innovation_rank: str,
    investment_rank: str,
    published: str,
    out_dir: str,
    config: dict,
) -> None:
    """Write the study's tables of one wave as ``<out_dir>/<name>.csv`` + sidecar.

    Parameters
    ----------
    wave
        Wave id.
    clusters, relations
        Classified parquet files of the wave.
    regions, innovation_rank, investment_rank
        Processed reference parquet files in force for the wave.
    published
        The published-figures CSV (``data/raw/published/2019-bremen-slides.csv``).
    out_dir
        ``data/processed/<wave>/tables``.
    config
        The workflow configuration (uses ``classify.*``,
        ``waves.<wave>.ranks_year`` and the optional
        ``tables.key_mnes_per_industry``).

    Raises
    ------
    DataError
        When the published-figures file is malformed.
    """
    paths = {
        "clusters": clusters,
        "relations": relations,
        "regions": regions,
        "innovation_rank": innovation_rank,
        "investment_rank": investment_rank,
        "published": published,
    }
    raw_published = pd.read_csv(published, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frames: dict[str, Any] = {
        "clusters": pd.read_parquet(clusters),
        "relations": pd.read_parquet(relations),
        "regions": pd.read_parquet(regions),
        "innovation_rank": pd.read_parquet(innovation_rank),
        "investment_rank": pd.read_parquet(investment_rank),
        "published": check_published(raw_published, file=provenance._relative(published)),
        "ranks_year": _wave_setting(config, wave, "ranks_year"),
    }
    for name, make in TABLES.items():
        table = make(frames, config)
        inputs = [paths[k] for k in TABLE_INPUTS.get(name, ("clusters", "relations"))]
        extra = None
        if name == "mne_by_region":
            # The chart and map say which ranking year and cut-off the flags use.
            extra = {"ranks_year": frames["ranks_year"], "top_n": _top_n(config)}
        rec = provenance.record(
            wave=wave, inputs=inputs, config=config, description=DESCRIPTIONS[name], extra=extra
        )
        outputs.write_csv(table, Path(out_dir) / f"{name}.csv", provenance=rec)


__all__ = [
    "TABLES",
    "check_published",
    "emergence_types",
    "foreign_member_share",
    "hq_countries",
    "key_mnes",
    "mne_by_industry",
    "mne_by_region",
    "mne_by_status",
    "mne_presence",
    "org_levels",
    "policy_programmes",
    "replication",
    "run_tables",
]
