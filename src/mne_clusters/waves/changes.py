"""Comparison of consecutive survey waves.

Every function here takes the *classified* frames of waves (see "Frame
contracts" in ``docs/ARCHITECTURE.md``) and returns a new frame with an
explicit row order.

Terms used throughout:

MNE relation
    A (cluster, MNE group) pair: relation rows matched to an MNE group
    (``is_mne``) of the same cluster and group are one relation, however many
    rows name it (the contract's ``is_duplicate`` rows are counted once).
Role of an MNE relation
    The most specific role any of its rows states: ``member`` before
    ``partner`` before ``unknown``. A group written once as a member and once
    with an unknown role is a member; no role is guessed where none is stated.
Entered / exited / unchanged
    An MNE relation of a cluster surveyed in both waves, present in the later
    wave only / in the earlier wave only / in both: MNE entries and exits.
Cluster entered / cluster left
    A relation present in one wave only because its cluster is: the cluster
    entered the survey (``cluster_entered``) or left it (``cluster_left``).
    These are never counted as MNE entries or exits.

Waves are compared in chronological order (survey year, then id), each with
the next later one, whatever order the config lists them in.

A cluster whose name or host region changed between waves keeps its
``cluster_id`` (the contract says the id is stable): the change is reported
in :func:`cluster_changes` and logged as a warning, never treated as an error.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mne_clusters.classify.presence import mne_pairs
from mne_clusters.core import vocabulary as vocab

log = logging.getLogger(__name__)


#: Columns of the classified clusters frame this module reads.
CLUSTER_COLUMNS = ("cluster_id", "name_ru", "status", "has_mne")


#: Columns of the classified relations frame this module reads.
RELATION_COLUMNS = (
    "cluster_id",
    "organisation",
    "relation",
    "mne_id",
    "mne_name",
    "industry",
    "is_mne",
    "is_foreign",
    "entry_year",
    "source_row",
)


#: Kinds of relation change, in table order. ``entered`` / ``exited`` are MNE
#: entries and exits in a cluster present in both waves; ``cluster_entered`` /
#: ``cluster_left`` are relations that appear or disappear with their cluster.
RELATION_CHANGES = ("entered", "exited", "unchanged", "cluster_entered", "cluster_left")


#: ``change`` of a cluster_changes row per compared column (others: ``<column>_changed``).
CHANGE_NAMES = {"name_ru": "renamed", "region_iso": "region_changed"}


#: Columns of the classified clusters that cluster_changes does not compare:
#: the key and bookkeeping (where the row sits in the file, the citation), and
#: what is looked up from reference tables by region (the region's names and
#: its ranks, which change with the ranking, not with the cluster).
NOT_COMPARED = frozenset(
    {"cluster_id", "source_row", "source", "region_name_en", "federal_district"}
)


#: Endings of the per-ranking columns classify adds (``<ranking>_rank``, ...).
RANK_SUFFIXES = ("_rank", "_rank_low", "_rank_high", "_top")


#: Headline indicators, in table order.
INDICATORS = (
    "clusters",
    "clusters_with_mne",
    "clusters_mne_unknown",
    "share_with_mne",
    "foreign_groups",
)


UNKNOWN = vocab.UNKNOWN


def _require(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Fail clearly when a frame does not follow its contract (a bug upstream)."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s) {', '.join(missing)} of the classified contract")


# --------------------------------------------------------------------------- helpers


def _text(values: pd.Series) -> pd.Series:
    """Values as nullable text; empty or blank cells become ``<NA>``."""
    out = values.astype("string").str.strip()
    return out.mask(out == "")


def _is_gap(value: Any) -> bool:
    """A value nobody recorded: empty, ``<NA>``, or the text ``unknown``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return True
    return isinstance(value, str) and value.strip().lower() in ("", UNKNOWN)


def _as_text(value: Any) -> Any:
    """A compared value as text: ``true``/``false``, whole numbers without ``.0``."""
    if _is_gap(value):
        return pd.NA
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _mne_relations(relations: pd.DataFrame) -> pd.DataFrame:
    """One row per (cluster, MNE group) of a wave: :func:`classify.mne_pairs`.

    Returns a frame indexed by ``cluster_id``, ``mne_group`` (the registry id,
    or ``name:<normalised name>`` for an MNE outside the registry) with
    columns ``mne_id``, ``relation`` (the most specific role), ``mne_name``,
    ``industry``, ``is_foreign``.
    """
    _require(relations, RELATION_COLUMNS, "relations frame")
    pairs = mne_pairs(relations)
    rel = pd.DataFrame(
        {
            "cluster_id": _text(pairs["cluster_id"]),
            "mne_group": _text(pairs["group"]),
            "mne_id": _text(pairs["mne_id"]),
            "relation": _text(pairs["relation"]).fillna(UNKNOWN),
            "mne_name": _text(pairs["mne_name"]),
            "industry": _text(pairs["industry"]),
            "is_foreign": pairs["is_foreign"].astype("boolean").fillna(False).astype(bool),
        }
    )
    return rel.sort_values(["cluster_id", "mne_group"], kind="mergesort").set_index(
        ["cluster_id", "mne_group"]
    )


def _cluster_ids(clusters: pd.DataFrame) -> set[str]:
    _require(clusters, CLUSTER_COLUMNS, "clusters frame")
    return set(_text(clusters["cluster_id"]).dropna())


# --------------------------------------------------------------------------- comparisons


def relation_changes(
    prev_clusters: pd.DataFrame,
    prev_relations: pd.DataFrame,
    next_clusters: pd.DataFrame,
    next_relations: pd.DataFrame,
    *,
    prev_wave: str,
    next_wave: str,
) -> pd.DataFrame:
    """MNE relations that entered, exited or stayed between two waves.

    A relation is a (cluster, MNE group) pair counted once
    (:func:`mne_clusters.classify.mne_pairs`). Its ``change`` tells apart an
    MNE that came or went from a cluster surveyed in both waves (``entered`` /
    ``exited``) from a relation that came or went with its cluster: the
    cluster entered the survey (``cluster_entered``) or left it
    (``cluster_left``). Only ``entered`` and ``exited`` are MNE entries and
    exits.

    Parameters
    ----------
    prev_clusters, prev_relations
        Classified clusters and relations of the earlier wave.
    next_clusters, next_relations
        Classified clusters and relations of the later wave.
    prev_wave, next_wave
        The two wave ids, written into every row.

    Returns
    -------
    pandas.DataFrame
        One row per (cluster, MNE group) present in either wave, sorted by
        ``cluster_id`` and ``mne_group``, with columns ``prev_wave``,
        ``next_wave``, ``cluster_id``, ``cluster_presence`` (``both`` /
        ``added`` / ``dropped``: whether the cluster itself is in both waves),
        ``mne_group`` (the registry id, or ``name:<normalised name>`` for an
        MNE outside the registry), ``mne_id`` (``<NA>`` outside the registry),
        ``mne_name``, ``industry`` (``unknown`` when not known),
        ``is_foreign``, ``change`` (:data:`RELATION_CHANGES`),
        ``prev_relation`` and ``next_relation`` (the role in each wave, ``<NA>``
        where the relation is absent) and ``role_changed`` (``<NA>`` unless the
        relation is in both waves).
    """
    prev = _mne_relations(prev_relations)
    nxt = _mne_relations(next_relations)
    prev_ids = _cluster_ids(prev_clusters)
    next_ids = _cluster_ids(next_clusters)

    both = prev.merge(
        nxt, how="outer", left_index=True, right_index=True, suffixes=("_prev", "_next")
    ).sort_index()
    in_prev = both["relation_prev"].notna().to_numpy()
    in_next = both["relation_next"].notna().to_numpy()
    cluster_ids = both.index.get_level_values("cluster_id")
    stays = cluster_ids.isin(list(prev_ids & next_ids))
    change = np.select(
        [in_prev & in_next, in_next & stays, in_next, stays],
        ["unchanged", "entered", "cluster_entered", "exited"],
        "cluster_left",
    )

    def latest(col: str) -> pd.Series:
        # The later wave's registry view wins; an exited relation keeps its last one.
        return both[f"{col}_next"].where(in_next, both[f"{col}_prev"])

    presence = np.select(
        [stays, cluster_ids.isin(list(next_ids))],
        ["both", "added"],
        "dropped",
    )
    role_changed = pd.array(
        [
            (p != n) if (ip and inn) else pd.NA
            for p, n, ip, inn in zip(
                both["relation_prev"], both["relation_next"], in_prev, in_next, strict=True
            )
        ],
        dtype="boolean",
    )
    out = pd.DataFrame(
        {
            "prev_wave": prev_wave,
            "next_wave": next_wave,
            "cluster_id": cluster_ids.astype("string"),
            "cluster_presence": presence,
            "mne_group": both.index.get_level_values("mne_group").astype("string"),
            "mne_id": latest("mne_id").to_numpy(),
            "mne_name": latest("mne_name").to_numpy(),
            "industry": latest("industry").fillna(UNKNOWN).to_numpy(),
            "is_foreign": latest("is_foreign").astype(bool).to_numpy(),
            "change": change,
            "prev_relation": both["relation_prev"].to_numpy(),
            "next_relation": both["relation_next"].to_numpy(),
            "role_changed": role_changed,
        }
    )
    text = [c for c in out.columns if c not in ("is_foreign", "role_changed")]
    return out.astype({c: "string" for c in text}).reset_index(drop=True)


def compared_columns(prev_clusters: pd.DataFrame, next_clusters: pd.DataFrame) -> list[str]:
    """Columns :func:`cluster_changes` compares, in the later wave's column order.

    Every column both waves have except :data:`NOT_COMPARED` and the ranking
    columns (:data:`RANK_SUFFIXES`); a column a later version of the pipeline
    adds is compared without any change here.
    """
    return [
        c
        for c in next_clusters.columns
        if c in prev_clusters.columns
        and c not in NOT_COMPARED
        and not str(c).endswith(RANK_SUFFIXES)
    ]


def cluster_changes(
    prev_clusters: pd.DataFrame,
    next_clusters: pd.DataFrame,
    *,
    prev_wave: str,
    next_wave: str,
) -> pd.DataFrame:
    """Clusters added, dropped or changed between two waves: one row per change.

    A cluster in both waves gets one row per column whose value differs
    (:func:`compared_columns`: status flags and status, leading, founding
    year and period, organisational level, members, employees, host region,
    names, industry, MNE presence flags and counts, pass-through columns,
    ...). A value nobody recorded (blank, or ``unknown``) is a gap, never
    compared with a known one as if it were a value: a gap in both waves is no
    change; a gap in one wave only is reported with ``both_known`` false. A
    renamed cluster or one whose host region changed keeps its
    ``cluster_id``; such a change is also logged as a warning, never raised.

    Parameters
    ----------
    prev_clusters, next_clusters
        Classified clusters of the earlier and the later wave.
    prev_wave, next_wave
        The two wave ids, written into every row.

    Returns
    -------
    pandas.DataFrame
        Columns ``prev_wave``, ``next_wave``, ``cluster_id``, ``name_ru`` (the
        later wave's name, or the last one of a dropped cluster), ``change``
        (``added`` / ``dropped`` / ``renamed`` / ``region_changed`` /
        ``<column>_changed``), ``column`` (the column compared; ``<NA>`` for
        added and dropped), ``old_value`` and ``new_value`` (as text:
        ``true``/``false`` for flags; ``<NA>`` for a gap), ``both_known``
        (``<NA>`` for added and dropped); sorted by ``cluster_id`` and then in
        column order.
    """
    _require(prev_clusters, CLUSTER_COLUMNS, "clusters frame")
    _require(next_clusters, CLUSTER_COLUMNS, "clusters frame")
    columns = compared_columns(prev_clusters, next_clusters)
    prev = prev_clusters.assign(cluster_id=_text(prev_clusters["cluster_id"])).set_index(
        "cluster_id"
    )
    nxt = next_clusters.assign(cluster_id=_text(next_clusters["cluster_id"])).set_index(
        "cluster_id"
    )
    rows: list[dict[str, Any]] = []
    for cid in sorted(set(prev.index) | set(nxt.index)):
        if cid not in prev.index:
            rows.append({"cluster_id": cid, "name_ru": nxt.at[cid, "name_ru"], "change": "added"})
            continue
        if cid not in nxt.index:
            rows.append(
                {"cluster_id": cid, "name_ru": prev.at[cid, "name_ru"], "change": "dropped"}
            )
            continue
        for column in columns:
            old, new = _as_text(prev.at[cid, column]), _as_text(nxt.at[cid, column])
            if pd.isna(old) and pd.isna(new):
                continue
            if not pd.isna(old) and not pd.isna(new) and old == new:
                continue
            rows.append(
                {
                    "cluster_id": cid,
                    "name_ru": nxt.at[cid, "name_ru"],
                    "change": CHANGE_NAMES.get(column, f"{column}_changed"),
                    "column": column,
                    "old_value": old,
                    "new_value": new,
                    "both_known": not (pd.isna(old) or pd.isna(new)),
                }
            )
            if column in CHANGE_NAMES:
                log.warning(
                    "cluster %s: %s changed between waves %s and %s: %r -> %r "
                    "(same cluster_id, so treated as the same cluster; see cluster_changes.csv)",
                    cid,
                    column,
                    prev_wave,
                    next_wave,
                    old,
                    new,
                )
    cols = ["cluster_id", "name_ru", "change", "column", "old_value", "new_value", "both_known"]
    out = pd.DataFrame(rows, columns=cols)
    out.insert(0, "next_wave", next_wave)
    out.insert(0, "prev_wave", prev_wave)
    known = pd.array(out["both_known"].tolist(), dtype="boolean")
    out = out.drop(columns="both_known").astype("string").assign(both_known=known)
    return out.reset_index(drop=True)


def headline_indicators(
    waves: Mapping[str, tuple[pd.DataFrame, pd.DataFrame]],
    *,
    status_order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The headline indicators of every wave, side by side.

    For all clusters and for each status: the number of clusters, the number
    with an MNE (``mne_presence`` yes), the number whose MNE presence is
    unknown (members not listed, no MNE found), the share with an MNE among the
    clusters whose presence is known (yes or no: an unknown is never counted
    as "no"), and the number of distinct foreign MNE groups related to those
    clusters.

    Parameters
    ----------
    waves
        Wave id -> (classified clusters, classified relations), in config
        order; the columns of the result follow this order.
    status_order
        Status labels in row order (default: ``innovative``, ``industrial``,
        ``cdc_supported``, ``none``); statuses seen in the data but not listed
        follow, sorted.

    Returns
    -------
    pandas.DataFrame
        Columns ``group`` (``all`` or a status), ``indicator`` (``clusters``,
        ``clusters_with_mne``, ``clusters_mne_unknown``, ``share_with_mne``,
        ``foreign_groups``), then one float column per wave. A share with no
        cluster of known presence is ``NaN`` (written as an empty cell), not 0.
    """
    order = list(status_order or vocab.STATUS_ORDER)
    seen: set[str] = set()
    for clusters, _ in waves.values():
        _require(clusters, CLUSTER_COLUMNS, "clusters frame")
        seen |= set(_text(clusters["status"]).fillna(UNKNOWN))
    groups = ["all", *order, *sorted(seen - set(order))]

    columns: dict[str, list[float]] = {}
    for wave, (clusters, relations) in waves.items():
        status = _text(clusters["status"]).fillna(UNKNOWN)
        cid = _text(clusters["cluster_id"])
        has_mne = clusters["has_mne"].astype("boolean")
        has = has_mne.fillna(False).astype(bool)
        unknown = has_mne.isna()
        mne = _mne_relations(relations).reset_index()
        foreign = mne.loc[mne["is_foreign"], ["cluster_id", "mne_group"]]
        values: list[float] = []
        for group in groups:
            in_group = pd.Series(True, index=clusters.index) if group == "all" else status == group
            n = int(in_group.sum())
            k = int((in_group & has).sum())
            u = int((in_group & unknown).sum())
            known = n - u
            ids = set(cid[in_group])
            n_groups = foreign.loc[foreign["cluster_id"].isin(list(ids)), "mne_group"].nunique()
            values += [
                float(n),
                float(k),
                float(u),
                k / known if known else np.nan,
                float(n_groups),
            ]
        columns[wave] = values
    out = pd.DataFrame(
        {
            "group": [g for g in groups for _ in INDICATORS],
            "indicator": list(INDICATORS) * len(groups),
            **columns,
        }
    )
    return out.astype({"group": "string", "indicator": "string"})
