"""The chicken-or-egg timeline: per cluster, its founding year and each MNE's
entry, drawn from the finished chicken-or-egg table
(:mod:`mne_clusters.analysis.chicken_egg`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from mne_clusters.core import config as cfgmod

_TIMING_COLOURS = {
    "before": "#1b9e77",
    "same_year": "#7570b3",
    "after": "#d95f02",
    "undetermined": "#e6ab02",
}


#: Longest cluster name shown on the timeline's axis.
_NAME_CHARS = 48


#: Most clusters drawn on the timeline (``stats.timeline_max_clusters``): one
#: row each, 0.4 inch high; beyond this the chart is unreadable and, in PNG,
#: larger than a raster image can be. The table keeps every pair.
DEFAULT_TIMELINE_MAX_CLUSTERS: int = cfgmod.default("stats.timeline_max_clusters")


def _short(name: str) -> str:
    return name if len(name) <= _NAME_CHARS else name[: _NAME_CHARS - 1].rstrip() + "…"


def chicken_or_egg_figure(
    pairs: pd.DataFrame,
    provenance: Mapping[str, Any],
    *,
    max_clusters: int = DEFAULT_TIMELINE_MAX_CLUSTERS,
) -> Any:
    """Timeline per cluster: the founding year (black bar, or a grey span for a
    range) and each MNE's entry (dots).

    Parameters
    ----------
    pairs
        Pairs as from :func:`chicken_or_egg_pairs`, or the whole table of
        :func:`chicken_or_egg` (only ``section == "pair"`` rows are used).
    provenance
        The record of :func:`mne_clusters.provenance.record`; its source line is
        written at the foot of the figure.
    max_clusters
        Most clusters drawn. With more clusters that have a pair, the
        ``max_clusters`` with the most pairs are drawn (ties: by cluster id),
        and the subtitle says how many are not shown and that the table lists
        every pair; the subtitle's counts are always of all pairs.

    Returns
    -------
    matplotlib.figure.Figure
        House style (:mod:`mne_clusters.style`). One row per cluster with at
        least one MNE pair, named by its cluster name, sorted by founding year
        (unknown last) then cluster id. Dots are coloured by timing; undated
        entries and an unknown founding year are written as text at the
        right ("cluster founding year unknown"), never dropped.
    """
    from matplotlib.lines import Line2D

    from mne_clusters.plotting import style

    if "section" in pairs.columns:
        pairs = pairs.loc[pairs["section"] == "pair"]
    pairs = pairs.copy()
    for col in ("founded_year_low", "founded_year_high"):
        if col not in pairs.columns:
            pairs[col] = pairs["founded_year"]
    if "cluster_name" not in pairs.columns:
        pairs["cluster_name"] = pairs["cluster_id"]
    per_cluster = (
        pairs.groupby("cluster_id", sort=True)
        .agg(low=("founded_year_low", "first"), name=("cluster_name", "first"))
        .reset_index()
    )
    per_cluster["low"] = per_cluster["low"].astype("Int64")
    per_cluster["_unknown"] = per_cluster["low"].isna()
    per_cluster = per_cluster.sort_values(["_unknown", "low", "cluster_id"], kind="stable")
    n_clusters = len(per_cluster)
    if n_clusters > max_clusters:
        sizes = pairs.groupby("cluster_id", sort=True).size()
        ranked = sorted(sizes.items(), key=lambda item: (-item[1], item[0]))
        shown = {cid for cid, _ in ranked[:max_clusters]}
        per_cluster = per_cluster.loc[per_cluster["cluster_id"].isin(shown)]
    clusters_sorted = per_cluster["cluster_id"].tolist()
    names = [_short(str(n)) for n in per_cluster["name"]]
    n_pairs = len(pairs)
    decided = pairs["timing"].isin(["before", "same_year", "after"])
    n_dated = int(decided.sum()) if n_pairs else 0
    n_undet = int((pairs["timing"] == "undetermined").sum()) if n_pairs else 0
    fig, ax = style.new_figure(
        "Which came first: the cluster or the MNE?",
        f"{n_pairs} cluster–MNE pairs in {n_clusters} clusters; "
        f"order known for {n_dated}"
        + (f", undetermined for {n_undet} (founding year only known as a range)" if n_undet else "")
        + (
            f"; drawn: the {len(clusters_sorted)} clusters with most pairs, "
            f"{n_clusters - len(clusters_sorted)} more are listed in chicken_or_egg.csv"
            if n_clusters > len(clusters_sorted)
            else ""
        ),
        provenance,
        figsize=(
            style.FIGSIZE[0] + 5.0,
            max(style.FIGSIZE[1], 0.4 * len(clusters_sorted) + 2.4),
        ),
        note="Bar: cluster founded (grey span: founding year known only as a range). "
        "Dot: the MNE set up in the region. Missing years are listed at the right, "
        "not dropped.",
        right=0.7,
    )
    years = pd.concat(
        [pairs["founded_year_low"], pairs["founded_year_high"], pairs["entry_year"]]
    ).dropna()
    years = years.astype(int)
    x_min, x_max = (int(years.min()) - 2, int(years.max()) + 2) if len(years) else (2000, 2020)
    # Split only the drawn clusters' pairs (at most timeline_max_clusters), not every cluster's.
    drawn = pairs.loc[pairs["cluster_id"].isin(clusters_sorted)]
    by_cluster = {cid: part for cid, part in drawn.groupby("cluster_id", sort=False)}
    for i, cid in enumerate(clusters_sorted):
        part = by_cluster[cid].sort_values("mne_id")
        low, high = part["founded_year_low"].iloc[0], part["founded_year_high"].iloc[0]
        texts = []
        if pd.notna(low) and pd.notna(high) and low != high:
            ax.fill_betweenx(
                [i - 0.3, i + 0.3], int(low), int(high), color="#bbbbbb", linewidth=0, zorder=1
            )
            texts.append(f"founded {int(low)}–{int(high)}")
        elif pd.notna(low):
            # int: the same line whether the table was read back from CSV
            # (float years beside blanks) or comes straight from the step
            ax.plot([int(low), int(low)], [i - 0.35, i + 0.35], color="black", linewidth=2.5)
        else:
            texts.append("cluster founding year unknown")
        dated = part.loc[part["entry_year"].notna()]
        for k, (_, row) in enumerate(dated.iterrows()):
            colour = _TIMING_COLOURS.get(str(row["timing"]), style.UNKNOWN_COLOUR)
            y = i + (k - (len(dated) - 1) / 2) * 0.12
            ax.plot(
                int(row["entry_year"]), y, marker="o", markersize=6, color=colour, linestyle="",
                zorder=3,
            )  # fmt: skip
        undated = int(part["entry_year"].isna().sum())
        if undated:
            texts.append(f"{undated} MNE{'s' if undated != 1 else ''}: entry year unknown")
        if texts:
            note = ax.annotate(
                "; ".join(texts),
                xy=(1.01, i),
                xycoords=("axes fraction", "data"),
                va="center",
                fontsize=8,
                color="#444444",
                annotation_clip=False,
            )
            note.set_in_layout(False)  # drawn in the margin right of the axes
    ax.set_yticks(range(len(clusters_sorted)), names)
    ax.tick_params(axis="y", labelsize=8.5)
    ax.set_ylim(len(clusters_sorted) - 0.5, -0.5)
    ax.set_xlim(x_min, x_max)
    ax.set_xlabel("year")
    handles = [
        Line2D([], [], color="black", linewidth=2.5, label="cluster founded"),
        Line2D([], [], color="#bbbbbb", linewidth=6, label="founding year range"),
        *[
            Line2D([], [], marker="o", linestyle="", color=c, label=f"MNE {t.replace('_', ' ')}")
            for t, c in _TIMING_COLOURS.items()
        ],
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color=style.UNKNOWN_COLOUR,
            label="MNE, cluster founding year unknown",
        ),
    ]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, frameon=False)
    return fig


__all__ = [
    "chicken_or_egg_figure",
]
