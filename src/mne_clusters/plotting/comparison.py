"""Charts of the comparison between waves: the headline indicators side by side
and MNE entries and exits, drawn from the finished comparison tables
(:mod:`mne_clusters.waves.changes`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import matplotlib.ticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from mne_clusters.plotting import style

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

    # total is a float64 frame (values() above): each cell is a float
    n_text = ", ".join(
        f"{w}: n = {int(cast(float, total.at['all', w]))}" for w in waves if "all" in groups
    )
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
