"""The study's charts: one function per table, each returning a Figure.

Every chart function is named after the table it draws (``mne_presence`` draws
``tables/mne_presence.csv``), takes that table as a frame and the table's
provenance record, and returns a :class:`~matplotlib.figure.Figure` in house
style (:mod:`mne_clusters.plotting.style`): sorted bars with counts on them, *n* in the
subtitle, gaps (``unknown``) in grey, the source line at the foot.
:func:`read_output` reads a table the workflow wrote, with its provenance;
:func:`mne_clusters.plotting.step.run_chart` draws a chart from it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any, cast

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from mne_clusters.core import vocabulary as vocab
from mne_clusters.plotting import style
from mne_clusters.plotting.record import read_record
from mne_clusters.plotting.style import ACCENT, MAIN, UNKNOWN_COLOUR, label, percent

Record = Mapping[str, Any] | None


#: Label of clusters without an MNE relation: no MNE is recorded, which is not
#: "no MNE" where a cluster's members were not listed (issue 13).

#: Bars per industry in the key-MNE chart that name one group each; a tie that
#: does not fit in the bars left is one bar ("N groups tied at rank r").
KEY_MNES_SHOWN = 5


def _colours(codes: pd.Series, main: str = MAIN) -> list[str]:
    """Main colour per bar, grey for ``unknown`` and ``none``-type gaps."""
    return [UNKNOWN_COLOUR if str(c) == "unknown" else main for c in codes]


def _hbar(
    ax: Axes, labels: list[str], values: list[float], colours: list[str], texts: list[str]
) -> BarContainer:
    """Horizontal bars top-down in the given order, with ``texts`` at their ends."""
    y = np.arange(len(labels))
    bars = ax.barh(y, values, color=colours, height=0.7)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    style.bar_labels(ax, bars, texts)
    ax.grid(axis="y", visible=False)
    top = max(values) if len(values) and max(values) > 0 else 1
    ax.set_xlim(0, top * 1.25)
    return bars


def _rank_terms(rec: Record) -> tuple[str, str]:
    """The top-N cut-off and " (<year> data)" from a region table's record."""
    rec = rec or {}
    top_n = str(rec.get("top_n") or "N")
    year = f" ({rec['ranks_year']} data)" if rec.get("ranks_year") else ""
    return top_n, year


def _statuses(rec: Record) -> list[str]:
    """Cluster statuses in precedence order, then ``none``: ``rec["statuses"]``
    when the record has them (:func:`with_statuses`), else the default order."""
    listed = (rec or {}).get("statuses")
    return [str(s) for s in listed] if listed else list(vocab.STATUS_ORDER)


def _clusters(n: int) -> str:
    """``1 cluster``, ``2 clusters``."""
    return f"{n} cluster" + ("" if n == 1 else "s")


def _count_share(n: int, share: float) -> str:
    return f"{n} ({percent(share)})" if pd.notna(share) else f"{n}"


# --------------------------------------------------------------------------- charts


#: Bar labels of the presence categories that are not an MNE role: "none" is
#: a surveyed cluster without MNEs; "unknown" one whose members nobody listed.
PRESENCE_LABELS = {
    "none": "No MNEs (members listed)",
    "unknown": "No MNE recorded (members not listed)",
}


def mne_presence(table: pd.DataFrame, rec: Record = None) -> Figure:
    """Clusters by MNE role: members only, partners only, both, role unknown,
    none (members listed), no MNE recorded (members not listed)."""
    t = table.sort_values(["n_clusters", "presence"], ascending=[False, True], kind="stable")
    total = int(table["n_clusters_total"].iloc[0]) if len(table) else 0
    also = int(table["n_also_unknown_role"].sum())
    fig, ax = style.new_figure(
        "MNEs in cluster initiatives, by role",
        f"Cluster initiatives by the roles in which MNEs take part (n = {total} clusters)",
        rec,
        note="\n".join(
            n
            for n in (
                f"{_clusters(also)} with a known MNE role also have MNEs of unknown role"
                if also
                else "",
                "No MNE recorded: nobody listed the cluster's members; its MNE presence "
                "is unknown, not no"
                if (table["presence"] == "unknown").any()
                and int(table.loc[table["presence"] == "unknown", "n_clusters"].sum())
                else "",
            )
            if n
        ),
    )
    colours = [
        UNKNOWN_COLOUR
        if p in ("unknown_role_only", "unknown")
        else ("#9bb7cc" if p == "none" else MAIN)
        for p in t["presence"]
    ]
    _hbar(
        ax,
        [PRESENCE_LABELS.get(str(p), label(p)) for p in t["presence"]],
        t["n_clusters"].tolist(),
        colours,
        [_count_share(n, s) for n, s in zip(t["n_clusters"], t["share"], strict=True)],
    )
    ax.set_xlabel("Cluster initiatives")
    return fig


def foreign_member_share(table: pd.DataFrame, rec: Record = None) -> Figure:
    """Foreign MNE members in all members of clusters with a known member count."""
    all_row = table.loc[table["group"] == "all"].iloc[0]
    t = table.loc[table["group"] != "all"].copy()
    t = pd.concat([table.loc[table["group"] == "all"], t], ignore_index=True)
    excluded = int(all_row["foreign_members_excluded"])
    fig, ax = style.new_figure(
        "Foreign MNE members in all members",
        f"Clusters with a known member count: {int(all_row['n_clusters_members_known'])} of "
        f"{int(all_row['n_clusters'])}; {int(all_row['n_clusters_members_unknown'])} "
        "with the count unknown are left out",
        rec,
        note=f"{excluded} foreign MNE members sit in clusters without a member count "
        "and are left out"
        if excluded
        else "",
    )
    values = (100 * t["share"].fillna(0)).tolist()
    texts = [
        f"{percent(s)}  ({int(f)} of {int(m)} members; {_clusters(int(k))})"
        if pd.notna(s)
        else f"n/a (no member count known; {_clusters(int(u))})"
        for s, f, m, k, u in zip(
            t["share"],
            t["foreign_members"],
            t["total_members"],
            t["n_clusters_members_known"],
            t["n_clusters_members_unknown"],
            strict=True,
        )
    ]
    colours = [ACCENT if g == "all" else MAIN for g in t["group"]]
    _hbar(ax, [label(g) for g in t["group"]], values, colours, texts)
    ax.set_xlim(0, max(max(values) * 2.2, 1.0))
    ax.set_xlabel("Foreign MNE members, % of all members")
    return fig


def hq_countries(table: pd.DataFrame, rec: Record = None) -> Figure:
    """MNE groups by headquarters country (country names), sorted."""
    total = int(table["n_groups_total"].iloc[0]) if len(table) else 0
    n_rel = int(table["n_relations"].sum())
    fig, ax = style.new_figure(
        "Home countries of the MNEs' headquarters",
        f"MNE groups by headquarters country (n = {total} groups in {n_rel} relations)",
        rec,
    )
    _hbar(
        ax,
        [label(c) for c in table["country"]],
        table["n_groups"].tolist(),
        _colours(table["hq_country"]),
        [f"{g}  ({r} rel.)" for g, r in zip(table["n_groups"], table["n_relations"], strict=True)],
    )
    ax.set_xlabel("MNE groups")
    ax.tick_params(axis="y", labelsize=9 if len(table) > 14 else 10)
    return fig


def mne_by_status(table: pd.DataFrame, rec: Record = None) -> Figure:
    """Share of clusters with MNEs per cluster status, over clusters whose MNE
    presence is known; clusters not surveyed are counted beside the bar."""
    all_row = table.loc[table["status"] == "all"].iloc[0]
    known = "n_known" in table.columns
    t = table.loc[table["status"] != "all"]
    # an empty "status unknown" row adds nothing; every real status stays, even at 0
    t = t.loc[~((t["status"] == "unknown") & (t["n_clusters"] == 0))]
    t = t.sort_values(
        ["share_with_mne", "n_clusters", "status"], ascending=[False, False, True], kind="stable"
    )
    t = pd.concat([t, table.loc[table["status"] == "all"]], ignore_index=True)
    n_unknown_presence = int(all_row["n_mne_unknown"]) if known else 0
    fig, ax = style.new_figure(
        "Clusters with MNEs, by cluster status",
        "Share with MNEs, of the clusters whose MNE presence is known "
        f"(n = {int(all_row['n_clusters'])} clusters"
        + (f"; not surveyed: {n_unknown_presence}" if n_unknown_presence else "")
        + ")",
        rec,
        note="Not surveyed: nobody listed the members and no MNE was found (no MNE recorded "
        "is not no MNE);\nleft out of the share. Status unknown: a status flag is blank or "
        "an unverified default."
        if n_unknown_presence or "unknown" in set(t["status"])
        else "",
    )
    values = (100 * t["share_with_mne"].fillna(0)).tolist()
    denominators = t["n_known"] if known else t["n_clusters"]
    texts = []
    for i, (w, n, sh) in enumerate(
        zip(t["n_with_mne"], denominators, t["share_with_mne"], strict=True)
    ):
        text = f"{int(w)} of {int(n)}" + (f" ({percent(sh)})" if pd.notna(sh) else " known")
        if known and int(t["n_mne_unknown"].iloc[i]):
            text += f"; {int(t['n_mne_unknown'].iloc[i])} not surveyed"
        texts.append(text)
    colours = [
        ACCENT if s == "all" else (UNKNOWN_COLOUR if s == "unknown" else MAIN) for s in t["status"]
    ]
    labels = ["Status unknown" if s == "unknown" else label(s) for s in t["status"]]
    _hbar(ax, labels, values, colours, texts)
    ax.set_xlim(0, max(max(values) * 1.6, 10))
    ax.set_xticks([t for t in range(0, 101, 20) if t <= max(max(values), 10)])
    ax.set_xlabel("Clusters with MNEs, % of the status's clusters with MNE presence known")
    return fig


def mne_by_industry(table: pd.DataFrame, rec: Record = None) -> Figure:
    """MNE groups by industry (bars) and by status × industry (a table of counts)."""
    overall = table.loc[table["status"] == "all"]
    total = int(overall["n_groups_total"].iloc[0]) if len(overall) else 0
    fig, (ax, heat) = style.new_figure(
        "MNEs in clusters, by industry",
        f"MNE groups by industry, overall and by the status of their host clusters "
        f"(n = {total} groups)",
        rec,
        ncols=2,
        width_ratios=[1.0, 1.15],
    )
    _hbar(
        ax,
        [label(i) for i in overall["industry"]],
        overall["n_groups"].tolist(),
        _colours(overall["industry"]),
        [str(n) for n in overall["n_groups"]],
    )
    ax.set_xlabel("MNE groups")
    ax.set_title("All clusters", loc="left")
    by_status = table.loc[table["status"] != "all"]
    industries = overall["industry"].tolist()
    # Every status gets a column, a status without MNE groups a column of zeros:
    # the table has no rows for it, so the statuses come from the record.
    statuses = list(dict.fromkeys([*_statuses(rec), *by_status["status"]]))
    totals = by_status.groupby("status")["n_groups_total"].first()
    grid = (
        by_status.pivot(index="industry", columns="status", values="n_groups")
        .reindex(index=industries, columns=statuses)
        .fillna(0)
        .astype(int)
    )
    heat.imshow(grid.to_numpy(), cmap="Blues", aspect="auto", vmin=0)
    for (i, j), value in np.ndenumerate(grid.to_numpy()):
        strong = value > grid.to_numpy().max() / 2
        heat.text(j, i, str(value), ha="center", va="center", color="white" if strong else "black")
    heat.set_xticks(
        range(len(statuses)),
        [label(s).replace(" ", "\n") + f"\n(n = {int(totals.get(s, 0))})" for s in statuses],
    )
    heat.set_yticks(range(len(industries)), [])
    heat.grid(False)
    heat.set_title("MNE groups by host cluster status", loc="left")
    return fig


def _key_mne_rows(part: pd.DataFrame, shown: int) -> list[tuple[str, float, str, bool]]:
    """Bars of one industry: (label, clusters, bar text, is a tie collapsed to one bar).

    Groups are taken rank by rank. A rank's groups are listed one bar each while
    they all fit within ``shown`` bars; a rank whose tied groups do not all fit
    becomes one bar, "N groups tied at rank r", so that no tied group is
    preferred to another (the table lists them all).
    """
    rows: list[tuple[str, float, str, bool]] = []
    part = part.sort_values(["rank", "mne_name", "mne_id"], kind="stable")
    rank: Any  # a groupby key: the rank column's value (the stubs allow any scalar)
    for rank, tied in part.groupby("rank", sort=True):
        if len(tied) == 1 or len(rows) + len(tied) <= shown:
            rows.extend(
                (f"{r.mne_name} ({r.hq_country})", r.n_clusters, str(r.n_clusters), False)
                # itertuples' fields are the table's columns, untyped
                for r in cast(Iterable[Any], tied.itertuples(index=False))
            )
        else:
            k = int(tied["n_clusters"].iloc[0])
            rows.append(
                (f"{len(tied)} groups tied at rank {int(rank)}", k, f"{_clusters(k)} each", True)
            )
    return rows


def key_mnes(table: pd.DataFrame, rec: Record = None) -> Figure:
    """The leading MNE groups per industry by number of host clusters.

    Every group of the table is on the chart: up to :data:`KEY_MNES_SHOWN` bars
    per industry name one group each, and a tie too large to list in the bars
    left is one bar stating how many groups share the rank (see
    :func:`_key_mne_rows`).
    """
    rows: list[tuple[str, float, str, bool, str]] = []
    industries = list(dict.fromkeys(table["industry"]))
    palette = dict(zip(industries, sns.color_palette("tab10", len(industries)), strict=True))
    for industry in industries:
        part = table.loc[table["industry"] == industry]
        rows += [(*r, industry) for r in _key_mne_rows(part, KEY_MNES_SHOWN)]
    collapsed = sum(r[3] for r in rows)
    fig, ax = style.new_figure(
        "Key MNEs in cluster initiatives, by industry",
        f"MNE groups present in the most clusters per industry "
        f"(n = {table['mne_id'].nunique()} groups in the table; ties at the cut-off kept)",
        rec,
        figsize=(9.0, max(5.0, 1.6 + 0.28 * len(rows))),
        note="A hatched bar stands for several groups tied at one rank; the table names them"
        if collapsed
        else "",
    )
    colours = [palette[r[4]] for r in rows]
    bars = _hbar(ax, [r[0] for r in rows], [r[1] for r in rows], colours, [r[2] for r in rows])
    for bar, row in zip(bars, rows, strict=True):
        if row[3]:
            bar.set(hatch="///", alpha=0.55, edgecolor="white")
    for tick, row in zip(ax.get_yticklabels(), rows, strict=True):
        if row[3]:
            tick.set_fontstyle("italic")
    ax.set_xlabel("Cluster initiatives the group takes part in")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.tick_params(axis="y", labelsize=9)
    ax.legend(
        handles=[Patch(color=palette[i], label=label(i)) for i in industries],
        loc="lower right",
        title="Industry",
        frameon=True,
    )
    return fig


def mne_by_region(table: pd.DataFrame, rec: Record = None) -> Figure:
    """Regions with MNEs: MNE groups, with the region's top-15 flags beside them."""
    t = table.loc[table["n_mne_groups"] > 0]
    top_n, year = _rank_terms(rec)
    with_data = int((table["has_cluster_data"] == "yes").sum())
    fig, ax = style.new_figure(
        "MNEs by region, and the regions' innovation and investment ranks",
        f"MNE groups in the clusters of each region ({len(t)} regions with MNEs; "
        f"{with_data} regions with cluster data, {len(table)} regions in all)",
        rec,
        figsize=(9.0, max(5.0, 2.0 + 0.32 * len(t))),
        note=f"★ yes: in the top {top_n} of the ranking{year}; no: ranked below; "
        f"?: rank unknown, or a band across place {top_n}",
        right=0.78,
    )
    _hbar(
        ax,
        t["region_name_en"].tolist(),
        t["n_mne_groups"].tolist(),
        [MAIN] * len(t),
        [str(n) for n in t["n_mne_groups"]],
    )
    ax.set_xlabel("MNE groups")
    marks = {"yes": "★ yes", "no": "no", "unknown": "?"}
    for col, x, head in (
        ("innovation_top", 1.1, f"Innovation\ntop {top_n}"),
        ("investment_top", 1.3, f"Investment\ntop {top_n}"),
    ):
        ax.text(x, 1.0, head, transform=ax.transAxes, ha="center", va="bottom", fontsize=9)
        for i, flag in enumerate(t[col]):
            ax.text(
                x,
                i,
                marks.get(str(flag), str(flag)),
                transform=ax.get_yaxis_transform(),
                ha="center",
                va="center",
                fontsize=9.5,
                color=ACCENT if flag == "yes" else "#555555",
            )
    return fig


#: Stacks of the emergence chart, with colours and labels.
EMERGENCE_STACKS = (
    ("with_mne", MAIN, "With MNEs"),
    ("without_mne", "#9bb7cc", "Without MNEs (members listed)"),
    ("mne_unknown", UNKNOWN_COLOUR, "No MNE recorded (members not listed)"),
)


def emergence_types(table: pd.DataFrame, rec: Record = None) -> Figure:
    """Clusters by founding period, split by MNE presence (stacked bars)."""
    periods = list(dict.fromkeys(table["founding_period"]))
    wide = table.pivot(index="founding_period", columns="mne_presence", values="n_clusters")
    stacks = [s for s in EMERGENCE_STACKS if s[0] in wide.columns]
    wide = wide.reindex(index=periods, columns=[s[0] for s in stacks]).fillna(0).astype(int)
    total = int(wide.to_numpy().sum())
    # the periods are unique, so a period's row is a Series (the stubs allow a frame)
    n_unknown = (
        int(cast("pd.Series[int]", wide.loc["unknown"]).sum()) if "unknown" in wide.index else 0
    )
    fig, ax = style.new_figure(
        "Types of clusters by time of emergence and MNE presence",
        f"Cluster initiatives by founding period (n = {total} clusters; "
        f"founding year unknown for {n_unknown})",
        rec,
        note="No MNE recorded: nobody listed the cluster's members; its MNE presence is "
        "unknown, not no"
        if "mne_unknown" in wide.columns and int(wide["mne_unknown"].sum())
        else "",
    )
    y = np.arange(len(periods))
    left = np.zeros(len(periods))
    for presence, colour, text in stacks:
        values = wide[presence].to_numpy()
        bars = ax.barh(y, values, left=left, color=colour, height=0.65, label=text)
        ax.bar_label(
            bars, labels=[str(v) if v else "" for v in values], label_type="center", fontsize=10
        )
        left = left + values
    for i, n in enumerate(left):
        ax.text(n, i, f"  n = {int(n)}", va="center", fontsize=10)
    ax.set_yticks(y, [label(p) for p in periods])
    for tick, period in zip(ax.get_yticklabels(), periods, strict=True):
        if period == "unknown":
            tick.set_color("#777777")
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, max(left.max(), 1) * 1.3)
    ax.set_xlabel("Cluster initiatives")
    ax.legend(loc="upper right", frameon=True)
    return fig


def org_levels(table: pd.DataFrame, rec: Record = None) -> Figure:
    """Clusters by organisational development level (ordered levels, unknown last)."""
    total = int(table["n_clusters_total"].iloc[0]) if len(table) else 0
    fig, ax = style.new_figure(
        "Organisational development level of the clusters",
        f"Cluster initiatives by level (n = {total} clusters)",
        rec,
    )
    _hbar(
        ax,
        [label(v) for v in table["org_level"]],
        table["n_clusters"].tolist(),
        _colours(table["org_level"]),
        [_count_share(n, s) for n, s in zip(table["n_clusters"], table["share"], strict=True)],
    )
    ax.set_xlabel("Cluster initiatives")
    return fig


def policy_programmes(table: pd.DataFrame, rec: Record = None) -> Figure:
    """Clusters and host regions per policy programme (paired bars)."""
    t = table.sort_values(["n_clusters", "programme"], ascending=[False, True], kind="stable")
    total = int(table["n_clusters_total"].iloc[0]) if len(table) else 0
    unknown = table.loc[table["n_unknown"] > 0]
    note = "; ".join(
        f"{label(p).lower()} status unknown for {int(u)}"
        for p, u in zip(unknown["programme"], unknown["n_unknown"], strict=True)
    )
    fig, ax = style.new_figure(
        "Clusters in federal cluster policy programmes",
        f"Clusters and distinct host regions per programme (n = {total} clusters"
        + (f"; {note}" if note else "")
        + ")",
        rec,
    )
    y = np.arange(len(t))
    h = 0.38
    clusters = ax.barh(y - h / 2, t["n_clusters"], height=h, color=MAIN, label="Clusters")
    regions = ax.barh(y + h / 2, t["n_regions"], height=h, color=ACCENT, label="Regions")
    ax.bar_label(clusters, labels=[str(v) for v in t["n_clusters"]], padding=3, fontsize=10)
    ax.bar_label(regions, labels=[str(v) for v in t["n_regions"]], padding=3, fontsize=10)
    ax.set_yticks(y, [label(p) for p in t["programme"]])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, max(t["n_clusters"].max(), t["n_regions"].max(), 1) * 1.2)
    ax.set_xlabel("Count")
    ax.legend(loc="lower right", frameon=True)
    return fig


# --------------------------------------------------------------------------- running


def read_output(path: str | os.PathLike[str]) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    """A table the workflow wrote (a CSV and its ``.meta.json``), and its provenance.

    Only an empty cell is read as missing: ``none``, ``NA`` and ``n/a`` stay text.
    """
    table = pd.read_csv(path, keep_default_na=False, na_values=[""], encoding="utf-8")
    return table, read_record(path)
