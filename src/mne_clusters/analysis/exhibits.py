"""The study's exhibits of MNE presence (issue 4): presence, foreign members,
home countries, status, industry and key MNEs, as tidy counts and shares of a
classified wave (the context exhibits are in :mod:`.context`).

Every function here takes the *classified* frames of one wave (see "Frame
contracts" in ``docs/ARCHITECTURE.md``) and returns a new, tidy frame with an
explicit row order. Counts come with shares and with the number they are shares
of; a gap is shown as an explicit ``unknown`` row or as an n/a count, never
dropped. :func:`mne_clusters.analysis.step.run_tables` writes all of them, each with a provenance sidecar.

Terms used throughout:

MNE relation
    A relation row matched to an MNE group (``is_mne``) that is not a repeat of
    an earlier row for the same cluster and group (``is_duplicate`` false).
Foreign MNE relation
    An MNE relation whose group is headquartered abroad (``is_foreign``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from mne_clusters.classify.presence import mne_pairs, presence_of
from mne_clusters.core import config as cfgmod
from mne_clusters.core import vocabulary as vocab

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
DEFAULT_KEY_MNES_PER_INDUSTRY: int = cfgmod.default("tables.key_mnes_per_industry")


UNKNOWN = vocab.UNKNOWN


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
    order = list(classify.get("status_precedence", vocab.STATUSES))
    return [*order, "none", UNKNOWN]


def _period_order(config: Mapping[str, Any] | None, observed: pd.Series) -> list[str]:
    """Founding period labels in config order, then any others seen, then ``unknown``."""
    classify = (config or {}).get("classify", {}) or {}
    bins = classify.get("founding_periods", [{"label": "old"}, {"label": "new"}])
    order = [str(b["label"]) for b in bins]
    extra = sorted(set(observed.dropna().astype(str)) - set(order) - {UNKNOWN})
    return [*order, *extra, UNKNOWN]


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
    state = presence_of(clusters)
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
    mne = mne_pairs(relations)
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
    mne = mne_pairs(relations).assign(hq=lambda d: _text_or_unknown(d["hq_country"]))
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
    frame = pd.DataFrame({"status": clusters["status"].astype(str), "p": presence_of(clusters)})
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
    mne = mne_pairs(relations).assign(
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
    mne = mne_pairs(relations).assign(
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


__all__ = [
    "foreign_member_share",
    "hq_countries",
    "key_mnes",
    "mne_by_industry",
    "mne_by_status",
    "mne_presence",
]
