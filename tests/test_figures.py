"""Charts: each returns a Figure with the expected title, labels and bars, and
saving is byte-for-byte reproducible."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure

from mne_clusters.plotting import charts, record, style
from mne_clusters.plotting import step as plotting_step

REC = {
    "generator": "mne-clusters 0.0.0",
    "wave": "2019",
    "config_sha256_12": "abcdef123456",
    "data_credit": "Data: test",
    "top_n": 15,
    "ranks_year": 2015,
}


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.texts]


def bars(ax) -> int:
    return len(ax.patches)


def ytick_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    matplotlib.pyplot.close("all")


def presence_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "presence": [
                "member_only",
                "partner_only",
                "member_and_partner",
                "unknown_role_only",
                "none",
            ],  # fmt: skip
            "n_clusters": [2, 1, 1, 3, 5],
            "share": [2 / 12, 1 / 12, 1 / 12, 3 / 12, 5 / 12],
            "n_also_unknown_role": [1, 0, 0, 0, 0],
            "n_clusters_total": [12] * 5,
        }
    )


def test_presence_chart_sorts_bars_by_count_and_states_n_and_source():
    fig = charts.mne_presence(presence_table(), REC)
    ax = fig.axes[0]
    assert texts(fig)[0] == "MNEs in cluster initiatives, by role"
    assert "n = 12 clusters" in texts(fig)[1]
    assert ytick_labels(ax) == [
        "No MNEs (members listed)",
        "MNEs, role unknown only",
        "MNEs as members only",
        "MNEs as members and partners",
        "MNEs as partners only",
    ]
    assert bars(ax) == 5
    assert [t.get_text() for t in ax.texts if t.get_text()][:2] == ["5 (42%)", "3 (25%)"]
    assert "Source: wave 2019 · mne-clusters 0.0.0 · config abcdef123456 · Data: test" in texts(fig)


def test_presence_chart_labels_not_surveyed_clusters_no_mne_recorded_not_no_mnes():
    table = pd.concat(
        [
            presence_table(),
            pd.DataFrame(
                {
                    "presence": ["unknown"],
                    "n_clusters": [9],
                    "share": [9 / 21],
                    "n_also_unknown_role": [0],
                    "n_clusters_total": [21],
                }
            ),
        ],
        ignore_index=True,
    )
    fig = charts.mne_presence(table, REC)
    labels = ytick_labels(fig.axes[0])
    assert labels[0] == "No MNE recorded (members not listed)"
    assert "No MNEs" not in labels
    assert any("its MNE presence is unknown, not no" in t for t in texts(fig))


def test_status_chart_shares_are_over_known_presence_and_count_the_not_surveyed():
    table = pd.DataFrame(
        {
            "status": ["innovative", "industrial", "cdc_supported", "none", "unknown", "all"],
            "n_clusters": [25, 17, 5, 0, 78, 125],
            "n_with_mne": [5, 1, 1, 0, 13, 20],
            "n_without_mne": [0, 0, 0, 0, 0, 0],
            "n_mne_unknown": [20, 16, 4, 0, 65, 105],
            "n_known": [5, 1, 1, 0, 13, 20],
            "share_with_mne": [1.0, 1.0, 1.0, float("nan"), 1.0, 1.0],
        }
    )
    fig = charts.mne_by_status(table, REC)
    ax = fig.axes[0]
    labels = ytick_labels(ax)
    assert labels[-1] == "All clusters" and "Status unknown" in labels
    assert "No status" in labels  # zero clusters, shown as 0 of 0 known
    bar_texts = [t.get_text() for t in ax.texts]
    assert "5 of 5 (100%); 20 not surveyed" in bar_texts
    assert "0 of 0 known" in bar_texts
    assert "not surveyed: 105" in texts(fig)[1]


def test_presence_chart_notes_clusters_that_also_have_unknown_roles():
    fig = charts.mne_presence(presence_table(), REC)
    assert "1 cluster with a known MNE role also have MNEs of unknown role" in texts(fig)


def test_foreign_member_share_chart_shows_n_a_for_a_group_without_member_counts():
    table = pd.DataFrame(
        {
            "group": ["all", "innovative", "none"],
            "n_clusters": [5, 3, 2],
            "n_clusters_members_known": [3, 3, 0],
            "n_clusters_members_unknown": [2, 0, 2],
            "foreign_members": [2, 2, 0],
            "foreign_members_excluded": [1, 0, 1],
            "total_members": [50, 50, 0],
            "share": [0.04, 0.04, float("nan")],
        }
    )
    fig = charts.foreign_member_share(table, REC)
    ax = fig.axes[0]
    assert ytick_labels(ax) == ["All clusters", "Pilot innovative", "No status"]
    labels = [t.get_text() for t in ax.texts]
    assert "4.0%  (2 of 50 members; 3 clusters)" in labels
    assert "n/a (no member count known; 2 clusters)" in labels
    assert "3 of 5; 2 with the count unknown are left out" in texts(fig)[1]


def test_hq_chart_labels_bars_with_country_names():
    table = pd.DataFrame(
        {
            "hq_country": ["DE", "US", "unknown"],
            "country": ["Germany", "United States", "unknown"],
            "n_groups": [3, 2, 1],
            "share_groups": [0.5, 1 / 3, 1 / 6],
            "n_relations": [4, 2, 1],
            "n_clusters": [3, 2, 1],
            "n_groups_total": [6, 6, 6],
        }
    )
    fig = charts.hq_countries(table, REC)
    assert ytick_labels(fig.axes[0]) == ["Germany", "United States", "Unknown"]
    assert bars(fig.axes[0]) == 3
    assert "n = 6 groups in 7 relations" in texts(fig)[1]


def test_status_chart_puts_all_clusters_last_and_writes_k_of_n():
    table = pd.DataFrame(
        {
            "status": ["innovative", "industrial", "cdc_supported", "none", "all"],
            "n_clusters": [25, 10, 4, 29, 68],
            "n_with_mne": [15, 1, 0, 2, 18],
            "share_with_mne": [0.6, 0.1, 0.0, 2 / 29, 18 / 68],
        }
    )
    fig = charts.mne_by_status(table, REC)
    ax = fig.axes[0]
    assert ytick_labels(ax) == [
        "Pilot innovative", "Industrial", "No status", "CDC-supported", "All clusters",
    ]  # fmt: skip
    assert [t.get_text() for t in ax.texts][:1] == ["15 of 25 (60%)"]


def test_industry_chart_has_bars_and_a_status_by_industry_grid():
    table = pd.DataFrame(
        {
            "status": ["all", "all", "innovative", "none"],
            "industry": ["automotive", "unknown", "automotive", "unknown"],
            "n_groups": [3, 1, 3, 1],
            "share_groups": [0.75, 0.25, 1.0, 1.0],
            "n_relations": [4, 1, 4, 1],
            "n_groups_total": [4, 4, 3, 1],
        }
    )
    fig = charts.mne_by_industry(table, REC)
    bar_ax, grid_ax = fig.axes[:2]
    assert ytick_labels(bar_ax) == ["Automotive", "Unknown"]
    assert bars(bar_ax) == 2
    # industrial and CDC-supported clusters have no MNE groups (no rows in the
    # table): they stay as columns of zeros, in precedence order
    heads = [t.get_text() for t in grid_ax.get_xticklabels()]
    assert heads == [
        "Pilot\ninnovative\n(n = 3)",
        "Industrial\n(n = 0)",
        "CDC-supported\n(n = 0)",
        "No\nstatus\n(n = 1)",
    ]
    # row by row: automotive 3 0 0 0, unknown 0 0 0 1
    assert [t.get_text() for t in grid_ax.texts] == ["3", "0", "0", "0", "0", "0", "0", "1"]


def test_industry_chart_takes_statuses_from_config_and_keeps_others_seen():
    table = pd.DataFrame(
        {
            "status": ["all", "none", "unknown"],
            "industry": ["ict", "ict", "ict"],
            "n_groups": [2, 1, 1],
            "share_groups": [1.0, 1.0, 1.0],
            "n_relations": [2, 1, 1],
            "n_groups_total": [2, 1, 1],
        }
    )
    config = {"classify": {"status_precedence": ["industrial", "innovative"]}}
    rec = record.with_statuses(REC, config)
    assert rec["statuses"] == ["industrial", "innovative", "none"]
    grid_ax = charts.mne_by_industry(table, rec).axes[1]
    heads = [t.get_text().split("\n(")[0] for t in grid_ax.get_xticklabels()]
    assert heads == ["Industrial", "Pilot\ninnovative", "No\nstatus", "Unknown"]
    assert [t.get_text() for t in grid_ax.texts] == ["0", "0", "1", "1"]
    assert record.with_statuses(None, config) is None


def key_table(industry: str, n_clusters: list[int], ranks: list[int]) -> pd.DataFrame:
    n = len(n_clusters)
    return pd.DataFrame(
        {
            "industry": [industry] * n,
            "rank": ranks,
            "mne_id": [f"{industry}-{i}" for i in range(n)],
            "mne_name": [f"{industry[:4]} {i:02d}" for i in range(n)],
            "hq_country": ["DE"] * n,
            "n_clusters": n_clusters,
            "clusters": ["a"] * n,
        }
    )


def test_key_mnes_chart_keeps_a_tie_too_large_to_list_as_one_bar_not_a_pick():
    # Like automotive in 2019: one group in 4 clusters, three tied at rank 2,
    # then 23 groups tied at rank 5. Five bars are left per industry, so the
    # first four are named and the 23 tied ones are one bar, none picked out.
    auto = key_table("automotive", [4, 2, 2, 2] + [1] * 23, [1, 2, 2, 2] + [5] * 23)
    # A tie that fits in the bars left is listed in full (1 + 4 = 5 bars).
    pharma = key_table("pharma_biotech", [3, 1, 1, 1, 1], [1, 2, 2, 2, 2])
    fig = charts.key_mnes(pd.concat([auto, pharma], ignore_index=True), REC)
    ax = fig.axes[0]
    assert ytick_labels(ax) == [
        "auto 00 (DE)",
        "auto 01 (DE)",
        "auto 02 (DE)",
        "auto 03 (DE)",
        "23 groups tied at rank 5",
        "phar 00 (DE)",
        "phar 01 (DE)",
        "phar 02 (DE)",
        "phar 03 (DE)",
        "phar 04 (DE)",
    ]
    widths = [p.get_width() for p in ax.patches[:10]]
    assert widths == [4, 2, 2, 2, 1, 3, 1, 1, 1, 1]
    assert [p.get_hatch() for p in ax.patches[:10]] == [None] * 4 + ["///"] + [None] * 5
    assert "1 cluster each" in [t.get_text() for t in ax.texts]
    assert any("several groups tied at one rank" in t for t in texts(fig))
    assert any("ties at the cut-off kept" in t for t in texts(fig))


def test_key_mnes_chart_lists_later_ranks_after_a_collapsed_tie():
    # Cut-off 10 in config: ranks 1, 2 (x6, does not fit in the 4 bars left), 8, 9.
    table = key_table("ict", [5, 3, 3, 3, 3, 3, 3, 2, 1], [1, 2, 2, 2, 2, 2, 2, 8, 9])
    fig = charts.key_mnes(table, REC)
    assert ytick_labels(fig.axes[0]) == [
        "ict 00 (DE)",
        "6 groups tied at rank 2",
        "ict 07 (DE)",
        "ict 08 (DE)",
    ]
    assert not any("several groups" in t for t in texts(key_fig_without_ties()))


def key_fig_without_ties() -> Figure:
    return charts.key_mnes(key_table("ict", [2, 1], [1, 2]), REC)


def test_region_chart_lists_only_regions_with_mnes_and_marks_top_flags():
    table = pd.DataFrame(
        {
            "region_iso": ["RU-KLU", "RU-TA", "RU-ALT"],
            "region_name_en": ["Kaluga Oblast", "Tatarstan", "Altai Krai"],
            "federal_district": ["Central", "Volga", "Siberian"],
            "has_cluster_data": ["yes", "yes", "no"],
            "n_clusters": [2, 1, 0],
            "n_clusters_with_mne": [1, 1, 0],
            "n_mne_groups": [5, 2, 0],
            "n_mne_relations": [5, 2, 0],
            "innovation_rank": ["4-10", "1", "unknown"],
            "innovation_top": ["yes", "yes", "unknown"],
            "investment_rank": ["unknown", "20", "unknown"],
            "investment_top": ["unknown", "no", "unknown"],
        }
    )
    fig = charts.mne_by_region(table, REC)
    ax = fig.axes[0]
    assert ytick_labels(ax) == ["Kaluga Oblast", "Tatarstan"]
    assert bars(ax) == 2
    marks = [t.get_text() for t in ax.texts]
    assert marks.count("★ yes") == 2 and "no" in marks and "?" in marks
    assert "Investment\ntop 15" in marks
    assert any("top 15 of the ranking (2015 data)" in t for t in texts(fig))


def test_emergence_chart_stacks_presence_per_period_with_unknown_period():
    table = pd.DataFrame(
        {
            "founding_period": ["old"] * 3 + ["new"] * 3 + ["unknown"] * 3,
            "mne_presence": ["with_mne", "without_mne", "mne_unknown"] * 3,
            "n_clusters": [1, 2, 0, 3, 4, 0, 0, 3, 2],
            "share_of_period": [1 / 3, 2 / 3, 0, 3 / 7, 4 / 7, 0, 0.0, 0.6, 0.4],
            "n_clusters_period": [3, 3, 3, 7, 7, 7, 5, 5, 5],
        }
    )
    fig = charts.emergence_types(table, REC)
    ax = fig.axes[0]
    assert ytick_labels(ax)[-1] == "Unknown"
    assert bars(ax) == 9
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [
        "With MNEs",
        "Without MNEs (members listed)",
        "No MNE recorded (members not listed)",
    ]
    assert "founding year unknown for 5" in texts(fig)[1]
    assert "  n = 7" in [t.get_text() for t in ax.texts]


def test_org_level_chart_keeps_level_order_and_greys_unknown():
    table = pd.DataFrame(
        {
            "org_level": ["initial", "medium", "high", "unknown"],
            "n_clusters": [1, 2, 0, 5],
            "share": [1 / 8, 2 / 8, 0.0, 5 / 8],
            "n_clusters_total": [8] * 4,
        }
    )
    fig = charts.org_levels(table, REC)
    ax = fig.axes[0]
    assert ytick_labels(ax) == ["Initial", "Medium", "High", "Unknown"]
    assert matplotlib.colors.to_hex(ax.patches[3].get_facecolor()) == style.UNKNOWN_COLOUR


def test_policy_chart_pairs_clusters_and_regions_and_states_unknown_leading():
    table = pd.DataFrame(
        {
            "programme": ["pilot_innovative", "leading", "industrial", "cdc_supported"],
            "n_clusters": [25, 4, 12, 5],
            "n_regions": [20, 4, 12, 5],
            "n_unknown": [0, 69, 0, 0],
            "n_clusters_total": [76] * 4,
        }
    )
    fig = charts.policy_programmes(table, REC)
    ax = fig.axes[0]
    assert bars(ax) == 8
    assert ytick_labels(ax)[0] == "Pilot innovative"
    assert "leading status unknown for 69" in texts(fig)[1]


def test_every_table_of_the_tables_step_but_replication_has_a_chart_named_after_it():
    from mne_clusters.core import catalogue

    drawn = [(f.name, f.inputs) for f in catalogue.figures("charts") if f.name != "chicken_or_egg"]
    tables = [t.name for t in catalogue.tables("tables") if t.name != "replication"]
    assert drawn == [(t, (t,)) for t in tables]
    assert all(callable(getattr(charts, name)) for name, _ in drawn)


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_save_figure_twice_gives_identical_bytes(tmp_path, fmt):
    paths = []
    for run in ("a", "b"):
        path = tmp_path / f"{run}.{fmt}"
        style.save_figure(charts.mne_presence(presence_table(), REC), [path], dpi=50)
        paths.append(path)
    first, second = (p.read_bytes() for p in paths)
    assert first == second
    assert b"Matplotlib v" not in first  # no version string or date in the metadata
    assert not list(tmp_path.glob("*.tmp"))


def test_run_chart_reads_table_and_sidecar_and_writes_each_format(tmp_path):
    table = tmp_path / "org_levels.csv"
    pd.DataFrame(
        {
            "org_level": ["initial", "medium", "high", "unknown"],
            "n_clusters": [1, 0, 0, 0],
            "share": [1.0, 0.0, 0.0, 0.0],
            "n_clusters_total": [1] * 4,
        }
    ).to_csv(table, index=False)
    (tmp_path / "org_levels.csv.meta.json").write_text(json.dumps(REC), encoding="utf-8")
    out = [str(tmp_path / "f" / "org_levels.png"), str(tmp_path / "f" / "org_levels.svg")]
    plotting_step.run_chart(
        wave="2019", chart="org_levels", table=str(table), out=out, dpi=40, config={}
    )
    png, svg = (Path(p).read_bytes() for p in out)
    assert png.startswith(b"\x89PNG") and b"<svg" in svg
