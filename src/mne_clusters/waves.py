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
from pathlib import Path
from typing import Any

import matplotlib.ticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from mne_clusters import config as cfgmod
from mne_clusters import outputs, provenance, style
from mne_clusters.classify import mne_pairs
from mne_clusters.errors import ConfigError

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

#: Status labels in the default precedence order; ``none`` comes last.
DEFAULT_STATUS_ORDER = ("innovative", "industrial", "cdc_supported", "none")

#: Headline indicators, in table order.
INDICATORS = (
    "clusters",
    "clusters_with_mne",
    "clusters_mne_unknown",
    "share_with_mne",
    "foreign_groups",
)

#: Output names (tables and figures) of :func:`run_comparison`.
TABLES = ("relation_changes", "cluster_changes", "headline_indicators")
FIGURES = ("headline_indicators", "entries_exits")

UNKNOWN = "unknown"


# --------------------------------------------------------------------------- checks


def check_wave_id(wave_id: str) -> None:
    """Raise :class:`ConfigError` unless ``wave_id`` is a safe folder name.

    A wave id names output folders (``data/processed/<id>/``,
    ``figures/<id>/``), so it must match ``^[A-Za-z0-9][A-Za-z0-9_-]*$`` and
    not be one of the reserved folder names ``reference`` and ``comparison``.
    The rule is the one :mod:`mne_clusters.config` enforces on ``config.yaml``.

    Parameters
    ----------
    wave_id
        The wave id as written under ``waves:`` in ``config.yaml``.

    Raises
    ------
    ConfigError
        One line naming the key ``waves.<id>`` and the fix.
    """
    cfgmod.check_wave_id(wave_id)


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
    order = list(status_order or DEFAULT_STATUS_ORDER)
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


# --------------------------------------------------------------------------- charts


def _wave_colours(n: int) -> list[Any]:
    """One colour per wave: lighter for earlier waves, the house colour for the last."""
    return list(sns.light_palette(style.MAIN, n_colors=n + 1))[1:]


def headline_figure(df: pd.DataFrame, provenance: Mapping[str, Any]) -> Figure:
    """Headline indicators over waves: share of clusters with MNEs, foreign groups.

    Parameters
    ----------
    df
        The frame :func:`headline_indicators` returns.
    provenance
        The provenance record of the figure (:func:`mne_clusters.provenance.record`).

    Returns
    -------
    matplotlib.figure.Figure
        Two panels of grouped bars (all clusters and each status on the x
        axis, one bar per wave): the share with an MNE of the clusters whose
        MNE presence is known, labelled ``k/n`` (n = clusters with presence
        known; ``n/a`` when there are none), and the number of distinct foreign
        MNE groups.
    """
    waves = [c for c in df.columns if c not in ("group", "indicator")]
    groups = list(dict.fromkeys(df["group"].astype(str)))

    def values(indicator: str) -> pd.DataFrame:
        sub = df.loc[df["indicator"] == indicator].set_index("group")
        return sub.loc[groups, waves].astype("float64")

    share, with_mne = values("share_with_mne"), values("clusters_with_mne")
    total, foreign = values("clusters"), values("foreign_groups")
    # tables written before the unknown count existed read as "none unknown"
    unknown = (
        values("clusters_mne_unknown")
        if "clusters_mne_unknown" in set(df["indicator"].astype(str))
        else total * 0
    )
    known = total - unknown

    n_text = ", ".join(f"{w}: n = {int(total.at['all', w])}" for w in waves if "all" in groups)
    fig, (ax_share, ax_groups) = style.new_figure(
        "Clusters with MNEs, by survey wave",
        f"All clusters and by status ({n_text} clusters)",
        provenance,
        ncols=2,
    )
    x = np.arange(len(groups))
    width = 0.8 / max(len(waves), 1)
    for i, (wave, colour) in enumerate(zip(waves, _wave_colours(len(waves)), strict=True)):
        offset = x - 0.4 + width * (i + 0.5)
        bars = ax_share.bar(offset, share[wave].fillna(0.0), width, label=wave, color=colour)
        texts = [
            "n/a" if t == 0 else f"{int(k)}/{int(t)}"
            for k, t in zip(with_mne[wave], known[wave], strict=True)
        ]
        ax_share.bar_label(bars, labels=texts, fontsize=8, padding=2)
        bars = ax_groups.bar(offset, foreign[wave], width, label=wave, color=colour)
        ax_groups.bar_label(
            bars, labels=[f"{int(v)}" for v in foreign[wave]], fontsize=8, padding=2
        )
    for ax, title in (
        (ax_share, "Share with an MNE, of clusters with MNE presence known"),
        (ax_groups, "Distinct foreign MNE groups"),
    ):
        ax.set_xticks(x, [style.label(g) for g in groups], rotation=25, ha="right")
        ax.set_title(title, loc="left")
        ax.grid(axis="x", visible=False)
    ax_share.set_ylim(0, 1.15)
    ax_share.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    top = float(np.nanmax(foreign.to_numpy(), initial=0.0))
    ax_groups.set_ylim(0, max(1.0, top) * 1.15)
    ax_groups.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax_groups.legend(title="wave", frameon=False)
    return fig


#: Bars of the entries/exits chart: change, side (+1 right, -1 left), legend label.
ENTRY_EXIT_BARS = (
    ("entered", 1, "MNE entered a continuing cluster"),
    ("cluster_entered", 1, "came with a cluster that entered the survey"),
    ("exited", -1, "MNE exited a continuing cluster"),
    ("cluster_left", -1, "went with a cluster that left the survey"),
)


def entries_exits_figure(df: pd.DataFrame, provenance: Mapping[str, Any]) -> Figure:
    """MNE entries and exits, by industry, for each pair of waves.

    MNE entries and exits in clusters surveyed in both waves are drawn in full
    colour next to zero; relations that came or went with a cluster entering
    or leaving the survey are stacked beyond them, pale and hatched, so that a
    cluster leaving is never read as MNEs leaving.

    Parameters
    ----------
    df
        The frame :func:`relation_changes` returns (one or more pairs of waves).
    provenance
        The provenance record of the figure.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per pair of consecutive waves: horizontal bars per industry
        (sorted by code), entries to the right and exits to the left of zero.
    """
    pairs = list(
        dict.fromkeys(zip(df["prev_wave"].astype(str), df["next_wave"].astype(str), strict=True))
    ) or [("", "")]
    kinds = [kind for kind, _, _ in ENTRY_EXIT_BARS]
    moved = df.loc[df["change"].isin(kinds)]
    industries = sorted(set(moved["industry"].astype(str)))

    def count(prev: str, kind: str) -> int:
        return int(((moved["prev_wave"] == prev) & (moved["change"] == kind)).sum())

    counts_text = "; ".join(
        f"{p} → {n}: {count(p, 'entered')} entries, {count(p, 'exited')} exits; "
        f"with clusters +{count(p, 'cluster_entered')} / −{count(p, 'cluster_left')}"
        for p, n in pairs
        if p
    )
    fig, axes = style.new_figure(
        "MNE entries and exits, apart from clusters entering or leaving the survey",
        f"(cluster, MNE group) pairs by industry ({counts_text})",
        provenance,
        ncols=len(pairs),
    )
    axes = np.atleast_1d(axes)
    y = np.arange(len(industries))
    colours = {
        "entered": style.MAIN,
        "exited": style.ACCENT,
        "cluster_entered": sns.light_palette(style.MAIN, n_colors=3)[1],
        "cluster_left": sns.light_palette(style.ACCENT, n_colors=3)[1],
    }
    for ax, (prev_wave, next_wave) in zip(axes, pairs, strict=True):
        sub = moved.loc[(moved["prev_wave"] == prev_wave) & (moved["next_wave"] == next_wave)]
        counts = (
            sub.groupby(["industry", "change"]).size().unstack(fill_value=0)
            if len(sub)
            else pd.DataFrame()
        )
        counts = counts.reindex(index=industries, columns=kinds, fill_value=0)
        inner = {1: counts["entered"], -1: counts["exited"]}
        for kind, side, label in ENTRY_EXIT_BARS:
            values = counts[kind]
            start = 0 if kind in ("entered", "exited") else inner[side]
            ax.barh(
                y,
                side * values,
                left=side * start,
                color=colours[kind],
                hatch=None if kind in ("entered", "exited") else "//",
                edgecolor="white",
                linewidth=0.5,
                label=label,
            )
        for yi in range(len(industries)):
            right = (counts["entered"].iloc[yi], counts["cluster_entered"].iloc[yi])
            left = (counts["exited"].iloc[yi], counts["cluster_left"].iloc[yi])
            for sign, (mne, with_cluster), ha in (("+", right, "left"), ("−", left, "right")):
                parts = [f"{sign}{mne}"] if mne else []
                parts += [f"({sign}{with_cluster} with clusters)"] if with_cluster else []
                if parts:
                    x = sum(right) if sign == "+" else -sum(left)
                    ax.text(x, yi, f" {' '.join(parts)} ", va="center", ha=ha, fontsize=8)
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_yticks(y, [style.label(i) for i in industries])
        ax.invert_yaxis()
        totals = [*(counts["entered"] + counts["cluster_entered"])]
        totals += [*(counts["exited"] + counts["cluster_left"])]
        limit = max(1, int(max(totals, default=0))) + 2
        ax.set_xlim(-limit, limit)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{abs(v):g}"))
        ax.set_title(f"{prev_wave} → {next_wave}" if prev_wave else "", loc="left")
        ax.grid(axis="y", visible=False)
        if not industries:
            ax.text(
                0.5,
                0.5,
                "no MNE relation entered or exited",
                transform=ax.transAxes,
                ha="center",
                va="center",
                color="#555555",
            )
    axes[0].legend(frameon=False, loc="upper left", bbox_to_anchor=(0.0, -0.1), ncol=2, fontsize=8)
    return fig


# --------------------------------------------------------------------------- run


def _years(waves: Sequence[str], config: Mapping[str, Any]) -> dict[str, int | None]:
    """Survey year of each wave as the config gives it (``None`` when it does not)."""
    entries = (config or {}).get("waves") or {}
    out: dict[str, int | None] = {}
    for wave in waves:
        year = (entries.get(wave) or {}).get("year")
        out[wave] = int(year) if year is not None else None
    return out


def _chronological(
    waves: Sequence[str],
    clusters: Sequence[str],
    relations: Sequence[str],
    config: Mapping[str, Any],
) -> tuple[list[str], list[str], list[str]]:
    """The waves and their files ordered by survey year, then id.

    The workflow passes them in this order already; sorting here again makes
    the comparison run earlier → later whoever calls it.

    Raises
    ------
    ConfigError
        Two waves with the same survey year.
    """
    years = _years(waves, config)
    seen: dict[int, str] = {}
    for wave in sorted(waves):
        year = years[wave]
        if year is not None and year in seen:
            raise ConfigError(
                f"waves.{seen[year]} and waves.{wave}: both have survey year {year}; "
                "give each wave its own year"
            )
        if year is not None:
            seen[year] = wave
    order = sorted(
        range(len(waves)), key=lambda i: (years[waves[i]] is None, years[waves[i]] or 0, waves[i])
    )
    return (
        [waves[i] for i in order],
        [clusters[i] for i in order],
        [relations[i] for i in order],
    )


def run_comparison(
    *,
    waves: list[str],
    clusters: list[str],
    relations: list[str],
    out_tables: str,
    out_figures: str,
    formats: list[str],
    dpi: int,
    config: dict,
) -> None:
    """Compare consecutive waves and write the comparison tables and charts.

    Writes ``<out_tables>/{relation_changes,cluster_changes,headline_indicators}.csv``
    (each with a ``.meta.json`` provenance sidecar) and
    ``<out_figures>/{headline_indicators,entries_exits}.<format>``.

    Parameters
    ----------
    waves
        Wave ids (at least two); compared in chronological order (survey year
        from ``config``, then id), whatever order they are given in.
    clusters, relations
        Classified ``clusters.parquet`` / ``relations.parquet`` of each wave,
        in the order of ``waves``.
    out_tables, out_figures
        Output folders (``data/processed/comparison``, ``figures/comparison``).
    formats
        Figure formats, e.g. ``["png", "svg"]``.
    dpi
        Resolution of PNG files.
    config
        The workflow configuration (hashed into the provenance; the status
        order is ``classify.status_precedence`` then ``none``).

    Raises
    ------
    ConfigError
        Fewer than two waves, lists of different lengths, or an unsafe wave id.
    """
    if len(waves) < 2:
        raise ConfigError("waves: the comparison needs at least two waves in config.yaml")
    if not len(waves) == len(clusters) == len(relations):
        raise ConfigError(
            f"waves: {len(waves)} wave(s) but {len(clusters)} clusters and "
            f"{len(relations)} relations files were given to the comparison"
        )
    for wave in waves:
        check_wave_id(wave)
    waves, clusters, relations = _chronological(waves, clusters, relations, config)
    years = _years(waves, config)
    pairs = [
        f"{p} ({years[p]}) → {n} ({years[n]})" if years[p] is not None else f"{p} → {n}"
        for p, n in zip(waves, waves[1:], strict=False)
    ]
    direction = {
        "waves": list(waves),
        "direction": "earlier → later: each wave is compared with the next later one "
        "(waves ordered by survey year, then id)",
        "pairs": pairs,
    }

    frames = {
        wave: (pd.read_parquet(c), pd.read_parquet(r))
        for wave, c, r in zip(waves, clusters, relations, strict=True)
    }
    rel_parts, cl_parts = [], []
    for prev_wave, next_wave in zip(waves, waves[1:], strict=False):
        (pc, pr), (nc, nr) = frames[prev_wave], frames[next_wave]
        rel_parts.append(relation_changes(pc, pr, nc, nr, prev_wave=prev_wave, next_wave=next_wave))
        cl_parts.append(cluster_changes(pc, nc, prev_wave=prev_wave, next_wave=next_wave))
    rel = pd.concat(rel_parts, ignore_index=True)
    cl = pd.concat(cl_parts, ignore_index=True)
    precedence = (config.get("classify") or {}).get("status_precedence")
    order = [*precedence, "none"] if precedence else None
    head = headline_indicators(frames, status_order=order)

    inputs = [*clusters, *relations]
    descriptions = {
        "relation_changes": "MNE relations (cluster, MNE group) entered, exited or unchanged "
        "between consecutive waves, with the MNE's industry and any change of role.",
        "cluster_changes": "Clusters added, dropped, renamed, or with a changed host region, "
        "status or organisational level between consecutive waves.",
        "headline_indicators": "Clusters, clusters with MNEs, their share and distinct foreign "
        "MNE groups, overall and by status, for every wave side by side.",
    }
    for name, frame in (
        ("relation_changes", rel),
        ("cluster_changes", cl),
        ("headline_indicators", head),
    ):
        rec = provenance.record(
            wave=None,
            inputs=inputs,
            config=config,
            description=f"{descriptions[name]} Compared earlier → later: {'; '.join(pairs)}.",
            extra=direction,
        )
        outputs.write_csv(frame, Path(out_tables) / f"{name}.csv", provenance=rec)
        log.info("wrote %s/%s.csv (%d rows)", out_tables, name, len(frame))

    rec = provenance.record(
        wave=None,
        inputs=inputs,
        config=config,
        description=f"comparison of waves, earlier → later: {'; '.join(pairs)}",
        extra=direction,
    )
    for name, fig in (
        ("headline_indicators", headline_figure(head, rec)),
        ("entries_exits", entries_exits_figure(rel, rec)),
    ):
        style.save_figure(fig, [Path(out_figures) / f"{name}.{ext}" for ext in formats], dpi=dpi)
        log.info("wrote %s/%s.{%s}", out_figures, name, ",".join(formats))
