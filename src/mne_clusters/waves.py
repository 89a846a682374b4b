"""Comparison of consecutive survey waves.

Every function here takes the *classified* frames of waves (see "Frame
contracts" in ``docs/ARCHITECTURE.md``) and returns a new frame with an
explicit row order; waves are compared in config order, each with the next.

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
    An MNE relation present in the next wave only / in the previous wave only /
    in both. ``cluster_presence`` tells whether the cluster itself was in both
    waves, so that an exit caused by a cluster leaving the survey can be told
    apart from an MNE leaving a cluster that stays.

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
from mne_clusters.classify import ROLE_ORDER  # roles, most specific first
from mne_clusters.errors import ConfigError

log = logging.getLogger(__name__)

#: Columns of the classified clusters frame this module reads.
CLUSTER_COLUMNS = ("cluster_id", "name_ru", "region_iso", "status", "org_level", "has_mne")

#: Columns of the classified relations frame this module reads.
RELATION_COLUMNS = (
    "cluster_id",
    "relation",
    "mne_id",
    "mne_name",
    "industry",
    "is_mne",
    "is_foreign",
)


#: Kinds of relation change, in table order.
RELATION_CHANGES = ("entered", "exited", "unchanged")

#: Kinds of cluster change in table order, with the column each one compares.
CLUSTER_CHANGES: tuple[tuple[str, str | None], ...] = (
    ("added", None),
    ("dropped", None),
    ("renamed", "name_ru"),
    ("region_changed", "region_iso"),
    ("status_changed", "status"),
    ("org_level_changed", "org_level"),
)

#: Status labels in the default precedence order; ``none`` comes last.
DEFAULT_STATUS_ORDER = ("innovative", "industrial", "cdc_supported", "none")

#: Headline indicators, in table order.
INDICATORS = ("clusters", "clusters_with_mne", "share_with_mne", "foreign_groups")

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


def _same(old: Any, new: Any) -> bool:
    """Equal values, with two gaps counting as equal (a gap is not a change)."""
    if pd.isna(old) or pd.isna(new):
        return bool(pd.isna(old) and pd.isna(new))
    return bool(old == new)


def _mne_relations(relations: pd.DataFrame) -> pd.DataFrame:
    """One row per (cluster, MNE group) of a wave, with its most specific role.

    Returns a frame indexed by ``cluster_id``, ``mne_id`` with columns
    ``relation``, ``mne_name``, ``industry``, ``is_foreign``.
    """
    _require(relations, RELATION_COLUMNS, "relations frame")
    rel = pd.DataFrame(
        {
            "cluster_id": _text(relations["cluster_id"]),
            "mne_id": _text(relations["mne_id"]),
            "relation": _text(relations["relation"]).fillna(UNKNOWN),
            "mne_name": _text(relations["mne_name"]),
            "industry": _text(relations["industry"]),
            "is_foreign": relations["is_foreign"].astype("boolean").fillna(False).astype(bool),
            "is_mne": relations["is_mne"].astype("boolean").fillna(False).astype(bool),
        }
    )
    rel = rel.loc[rel["is_mne"] & rel["mne_id"].notna()].drop(columns="is_mne")
    rank = {role: i for i, role in enumerate(ROLE_ORDER)}
    rel = rel.assign(_rank=rel["relation"].map(rank).fillna(len(ROLE_ORDER)).astype("int64"))
    rel = rel.sort_values(["cluster_id", "mne_id", "_rank"], kind="mergesort")
    rel = rel.drop_duplicates(["cluster_id", "mne_id"], keep="first").drop(columns="_rank")
    return rel.set_index(["cluster_id", "mne_id"])


def _clusters(clusters: pd.DataFrame) -> pd.DataFrame:
    """The compared columns of a wave's clusters, indexed by ``cluster_id``."""
    _require(clusters, CLUSTER_COLUMNS, "clusters frame")
    return pd.DataFrame(
        {
            "cluster_id": _text(clusters["cluster_id"]),
            "name_ru": _text(clusters["name_ru"]),
            "region_iso": _text(clusters["region_iso"]),
            "status": _text(clusters["status"]).fillna(UNKNOWN),
            # A level nobody recorded is a gap, shown as 'unknown', never a level.
            "org_level": _text(clusters["org_level"]).fillna(UNKNOWN),
        }
    ).set_index("cluster_id")


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
        ``cluster_id`` and ``mne_id``, with columns ``prev_wave``,
        ``next_wave``, ``cluster_id``, ``cluster_presence`` (``both`` /
        ``added`` / ``dropped``: whether the cluster itself is in both waves),
        ``mne_id``, ``mne_name``, ``industry`` (``unknown`` when not known),
        ``is_foreign``, ``change`` (``entered`` / ``exited`` / ``unchanged``),
        ``prev_relation`` and ``next_relation`` (the role in each wave, ``<NA>``
        where the relation is absent) and ``role_changed`` (``<NA>`` unless the
        relation is in both waves).
    """
    prev = _mne_relations(prev_relations)
    nxt = _mne_relations(next_relations)
    prev_ids = set(_clusters(prev_clusters).index)
    next_ids = set(_clusters(next_clusters).index)

    both = prev.merge(
        nxt, how="outer", left_index=True, right_index=True, suffixes=("_prev", "_next")
    ).sort_index()
    in_prev = both["relation_prev"].notna()
    in_next = both["relation_next"].notna()
    change = np.select([in_prev & in_next, in_next], ["unchanged", "entered"], "exited")

    def latest(col: str) -> pd.Series:
        # The later wave's registry view wins; an exited relation keeps its last one.
        return both[f"{col}_next"].where(in_next, both[f"{col}_prev"])

    cluster_ids = both.index.get_level_values("cluster_id")
    presence = np.select(
        [cluster_ids.isin(list(prev_ids & next_ids)), cluster_ids.isin(list(next_ids))],
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
            "mne_id": both.index.get_level_values("mne_id").astype("string"),
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


def cluster_changes(
    prev_clusters: pd.DataFrame,
    next_clusters: pd.DataFrame,
    *,
    prev_wave: str,
    next_wave: str,
) -> pd.DataFrame:
    """Clusters added, dropped or changed between two waves: one row per change.

    A renamed cluster or one whose host region changed keeps its
    ``cluster_id``; each such change is logged as a warning and reported here,
    not raised. An ``org_level`` that was not recorded is compared as
    ``unknown``, so a level recorded for the first time is reported as a change
    from ``unknown``.

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
        ``status_changed`` / ``org_level_changed``), ``column`` (the column
        compared; ``<NA>`` for added and dropped), ``old_value`` and
        ``new_value``; sorted by ``cluster_id`` and then in that order of
        changes.
    """
    prev = _clusters(prev_clusters)
    nxt = _clusters(next_clusters)
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
        for change, column in CLUSTER_CHANGES:
            if column is None:
                continue
            old, new = prev.at[cid, column], nxt.at[cid, column]
            if _same(old, new):
                continue
            rows.append(
                {
                    "cluster_id": cid,
                    "name_ru": nxt.at[cid, "name_ru"],
                    "change": change,
                    "column": column,
                    "old_value": old,
                    "new_value": new,
                }
            )
            if column in ("name_ru", "region_iso"):
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
    cols = ["cluster_id", "name_ru", "change", "column", "old_value", "new_value"]
    out = pd.DataFrame(rows, columns=cols)
    out.insert(0, "next_wave", next_wave)
    out.insert(0, "prev_wave", prev_wave)
    return out.astype("string").reset_index(drop=True)


def headline_indicators(
    waves: Mapping[str, tuple[pd.DataFrame, pd.DataFrame]],
    *,
    status_order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The headline indicators of every wave, side by side.

    For all clusters and for each status: the number of clusters, the number
    with at least one MNE relation (``has_mne``), their share, and the number
    of distinct foreign MNE groups related to those clusters.

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
        ``clusters_with_mne``, ``share_with_mne``, ``foreign_groups``), then one
        float column per wave. A share of no clusters is ``NaN`` (written as an
        empty cell), not 0.
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
        has = clusters["has_mne"].astype("boolean").fillna(False).astype(bool)
        mne = _mne_relations(relations).reset_index()
        foreign = mne.loc[mne["is_foreign"], ["cluster_id", "mne_id"]]
        values: list[float] = []
        for group in groups:
            in_group = pd.Series(True, index=clusters.index) if group == "all" else status == group
            n = int(in_group.sum())
            k = int((in_group & has).sum())
            ids = set(cid[in_group])
            n_groups = foreign.loc[foreign["cluster_id"].isin(list(ids)), "mne_id"].nunique()
            values += [float(n), float(k), k / n if n else np.nan, float(n_groups)]
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
        axis, one bar per wave): the share of clusters with an MNE, labelled
        ``k/n`` (``n/a`` for a status no cluster has), and the number of
        distinct foreign MNE groups.
    """
    waves = [c for c in df.columns if c not in ("group", "indicator")]
    groups = list(dict.fromkeys(df["group"].astype(str)))

    def values(indicator: str) -> pd.DataFrame:
        sub = df.loc[df["indicator"] == indicator].set_index("group")
        return sub.loc[groups, waves].astype("float64")

    share, with_mne = values("share_with_mne"), values("clusters_with_mne")
    total, foreign = values("clusters"), values("foreign_groups")

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
            for k, t in zip(with_mne[wave], total[wave], strict=True)
        ]
        ax_share.bar_label(bars, labels=texts, fontsize=8, padding=2)
        bars = ax_groups.bar(offset, foreign[wave], width, label=wave, color=colour)
        ax_groups.bar_label(
            bars, labels=[f"{int(v)}" for v in foreign[wave]], fontsize=8, padding=2
        )
    for ax, title in (
        (ax_share, "Share of clusters with an MNE"),
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


def entries_exits_figure(df: pd.DataFrame, provenance: Mapping[str, Any]) -> Figure:
    """MNE relations that entered and exited, by industry, for each pair of waves.

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
    moved = df.loc[df["change"].isin(["entered", "exited"])]
    industries = sorted(set(moved["industry"].astype(str)))
    counts_text = "; ".join(
        f"{p} → {n}: {int(((moved['prev_wave'] == p) & (moved['change'] == 'entered')).sum())}"
        f" entered, {int(((moved['prev_wave'] == p) & (moved['change'] == 'exited')).sum())}"
        " exited"
        for p, n in pairs
        if p
    )
    fig, axes = style.new_figure(
        "MNE relations that entered and exited clusters",
        f"(cluster, MNE group) pairs by industry of the group ({counts_text})",
        provenance,
        ncols=len(pairs),
    )
    axes = np.atleast_1d(axes)
    y = np.arange(len(industries))
    for ax, (prev_wave, next_wave) in zip(axes, pairs, strict=True):
        sub = moved.loc[(moved["prev_wave"] == prev_wave) & (moved["next_wave"] == next_wave)]
        counts = (
            sub.groupby(["industry", "change"]).size().unstack(fill_value=0)
            if len(sub)
            else pd.DataFrame()
        )
        counts = counts.reindex(index=industries, columns=["entered", "exited"], fill_value=0)
        ax.barh(y, counts["entered"], color=style.MAIN, label="entered")
        ax.barh(y, -counts["exited"], color=style.ACCENT, label="exited")
        for yi, (entered, exited) in enumerate(
            zip(counts["entered"], counts["exited"], strict=True)
        ):
            if entered:
                ax.text(entered, yi, f" +{entered}", va="center", fontsize=9)
            if exited:
                ax.text(-exited, yi, f"−{exited} ", va="center", ha="right", fontsize=9)
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_yticks(y, [style.label(i) for i in industries])
        ax.invert_yaxis()
        limit = max(1, int(counts.to_numpy().max(initial=0))) + 1
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
    axes[0].legend(frameon=False, loc="lower right")
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
