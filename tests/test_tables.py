"""The study's tables on a six-cluster wave whose answers are worked out by hand.

The wave (classified-frame contract of docs/ARCHITECTURE.md):

====  =======  ==============  ======  ==========================  =========  =====
id    region   status          period  MNE relations (role, group) n_members  level
====  =======  ==============  ======  ==========================  =========  =====
c1    RU-AAA   innovative      new     member m1, partner m2,      10         initial
                                       member m1 again (duplicate)
c2    RU-AAA   innovative      new     member m1, unknown m3       --         --
c3    RU-BBB   industrial      old     unknown m2, member m5       20         medium
c4    RU-CCC   none            --      a domestic member (no MNE)  5          high
c5    RU-BBB   none            --      partner m4                  --         --
c6    RU-CCC   cdc_supported   old     unknown m3                  40         initial
====  =======  ==============  ======  ==========================  =========  =====

Groups: m1 Alpha (DE, automotive), m2 Beta (US, pharma_biotech), m3 Gamma (no
HQ, no industry), m4 Delta (FR, automotive), m5 Epsilon (JP, automotive).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from mne_clusters.analysis import context, exhibits, replication
from mne_clusters.analysis import step as analysis_step
from mne_clusters.core import catalogue
from mne_clusters.core.errors import DataError

CONFIG = {
    "waves": {"2019": {"ranks_year": 2015}},
    "classify": {
        "status_precedence": ["innovative", "industrial", "cdc_supported"],
        "founding_periods": [{"label": "old", "last": 1998}, {"label": "new", "first": 1999}],
        "top_n": 15,
    },
}

NA = pd.NA


def make_clusters() -> pd.DataFrame:
    rows = [
        # id, name_en, name_ru, region, status, inn, lead, ind, cdc, period, mne, mem, par, unk, n_members, level, i_rank, i_top, v_rank, v_top
        ("c1", "One", "Один", "RU-AAA", "innovative", True, True, False, False, "new",
         True, True, True, False, 10, "initial", "1", "yes", "4-10", "yes"),
        ("c2", "Two", "Два", "RU-AAA", "innovative", True, NA, True, False, "new",
         True, True, False, True, NA, NA, "1", "yes", "4-10", "yes"),
        ("c3", "Three", "Три", "RU-BBB", "industrial", False, False, True, False, "old",
         True, True, False, True, 20, "medium", "12-19", "unknown", NA, "unknown"),
        ("c4", "Four", "Четыре", "RU-CCC", "none", False, NA, False, False, "unknown",
         False, False, False, False, 5, "high", "20", "no", "3", "yes"),
        ("c5", "Five", "Пять", "RU-BBB", "none", False, False, False, False, "unknown",
         True, False, True, False, NA, NA, "12-19", "unknown", NA, "unknown"),
        ("c6", NA, "Шесть", "RU-CCC", "cdc_supported", False, False, False, True, "old",
         True, False, False, True, 40, "initial", "20", "no", "3", "yes"),
    ]  # fmt: skip
    cols = [
        "cluster_id", "name_en", "name_ru", "region_iso", "status", "is_innovative",
        "is_leading", "is_industrial", "is_cdc_supported", "founding_period", "has_mne",
        "has_mne_member", "has_mne_partner", "has_mne_unknown_role", "n_members", "org_level",
        "innovation_rank", "innovation_top", "investment_rank", "investment_top",
    ]  # fmt: skip
    df = pd.DataFrame(rows, columns=cols)
    return df.astype(
        {
            "is_leading": "boolean",
            "n_members": "Int64",
            "name_en": "string",
            "org_level": "string",
            "investment_rank": "string",
        }
    ).assign(n_employees=pd.array([NA] * 6, dtype="Int64"))


def make_relations() -> pd.DataFrame:
    rows = [
        # cluster, relation, mne_id, name, hq, industry, is_mne, foreign, duplicate
        ("c1", "member", "m1", "Alpha", "DE", "automotive", True, True, False),
        ("c1", "partner", "m2", "Beta", "US", "pharma_biotech", True, True, False),
        ("c1", "member", "m1", "Alpha", "DE", "automotive", True, True, True),
        ("c2", "member", "m1", "Alpha", "DE", "automotive", True, True, False),
        ("c2", "unknown", "m3", "Gamma", NA, NA, True, True, False),
        ("c3", "unknown", "m2", "Beta", "US", "pharma_biotech", True, True, False),
        ("c3", "member", "m5", "Epsilon", "JP", "automotive", True, True, False),
        ("c4", "member", NA, NA, "RU", NA, False, False, False),
        ("c5", "partner", "m4", "Delta", "FR", "automotive", True, True, False),
        ("c6", "unknown", "m3", "Gamma", NA, NA, True, True, False),
    ]
    cols = [
        "cluster_id", "relation", "mne_id", "mne_name", "hq_country", "industry",
        "is_mne", "is_foreign", "is_duplicate",
    ]  # fmt: skip
    df = pd.DataFrame(rows, columns=cols).astype(
        {"mne_id": "string", "mne_name": "string", "hq_country": "string", "industry": "string"}
    )
    return df.assign(
        organisation=df["mne_name"].fillna("ООО «Местная фирма»"),
        entry_year=pd.array([pd.NA] * len(df), dtype="Int64"),
        source_row=range(2, 2 + len(df)),
    )


def make_regions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region_iso": ["RU-AAA", "RU-BBB", "RU-CCC", "RU-DDD"],
            "name_en": ["Aaa", "Bbb", "Ccc", "Ddd"],
            "federal_district": ["Central", "Volga", "Ural", "Central"],
        }
    )


def make_ranking(rows: list[tuple[str, int, str | None, int | None, int | None]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["region_iso", "year", "rank", "rank_low", "rank_high"])
    return df.astype({"year": "Int64", "rank": "string", "rank_low": "Int64", "rank_high": "Int64"})


def frame(data: dict) -> pd.DataFrame:
    return pd.DataFrame(data)


# ----------------------------------------------------------------- mne_presence


def test_mne_presence_puts_each_cluster_in_one_role_category_with_unknown_role_shown():
    got = exhibits.mne_presence(make_clusters(), make_relations())
    expected = frame(
        {
            "presence": [
                "member_only",
                "partner_only",
                "member_and_partner",
                "unknown_role_only",
                "none",
                "unknown",
            ],  # fmt: skip
            # every cluster's members are listed here: no presence is unknown
            "n_clusters": [2, 1, 1, 1, 1, 0],
            "share": [2 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 0.0],
            "n_also_unknown_role": [2, 0, 0, 0, 0, 0],
            "n_clusters_total": [6] * 6,
        }
    )
    assert_frame_equal(got, expected)


def test_mne_presence_does_not_mutate_its_inputs():
    clusters, relations = make_clusters(), make_relations()
    exhibits.mne_presence(clusters, relations)
    exhibits.foreign_member_share(clusters, relations, config=CONFIG)
    exhibits.key_mnes(clusters, relations, config=CONFIG)
    assert_frame_equal(clusters, make_clusters())
    assert_frame_equal(relations, make_relations())


# ----------------------------------------------------------------- foreign members


def test_foreign_member_share_excludes_and_counts_clusters_with_unknown_member_count():
    got = exhibits.foreign_member_share(make_clusters(), make_relations(), config=CONFIG)
    expected = frame(
        {
            "group": ["all", "innovative", "industrial", "cdc_supported", "none", "unknown"],
            "n_clusters": [6, 2, 1, 1, 2, 0],
            "n_clusters_members_known": [4, 1, 1, 1, 1, 0],
            "n_clusters_members_unknown": [2, 1, 0, 0, 1, 0],
            # c1: m1 member (its duplicate not counted); c3: m5 member; c4's member is domestic
            "foreign_members": [2, 1, 1, 0, 0, 0],
            # c2's m1 member is in a cluster without a member count
            "foreign_members_excluded": [1, 1, 0, 0, 0, 0],
            "total_members": [75, 10, 20, 40, 5, 0],
            "share": [2 / 75, 0.1, 0.05, 0.0, 0.0, np.nan],
        }
    )
    assert_frame_equal(got, expected)


def test_foreign_member_share_counts_a_member_role_stated_only_by_a_later_row():
    # c6 (40 members) has Gamma with role unknown; a second row for Gamma says member.
    relations = make_relations()
    later = relations.iloc[[-1]].assign(
        relation="member", is_duplicate=True, organisation="ООО «Гамма Рус»", source_row=99
    )
    got = exhibits.foreign_member_share(
        make_clusters(), pd.concat([relations, later], ignore_index=True), config=CONFIG
    ).set_index("group")
    assert got.loc["cdc_supported", "foreign_members"] == 1
    assert got.loc["all", "foreign_members"] == 3


def test_foreign_member_share_is_empty_not_zero_when_no_member_count_is_known():
    clusters = make_clusters().assign(n_members=pd.array([NA] * 6, dtype="Int64"))
    got = exhibits.foreign_member_share(clusters, make_relations(), config=CONFIG)
    assert got["share"].isna().all()
    assert got.loc[0, "n_clusters_members_unknown"] == 6


# ----------------------------------------------------------------- hq countries


def test_hq_countries_counts_groups_and_relations_with_names_and_unknown_last():
    got = exhibits.hq_countries(make_clusters(), make_relations())
    expected = frame(
        {
            "hq_country": ["DE", "US", "FR", "JP", "unknown"],
            "country": ["Germany", "United States", "France", "Japan", "unknown"],
            "n_groups": [1, 1, 1, 1, 1],
            "share_groups": [0.2] * 5,
            "n_relations": [2, 2, 1, 1, 2],
            "n_clusters": [2, 2, 1, 1, 2],
            "n_groups_total": [5] * 5,
        }
    )
    assert_frame_equal(got, expected)


# ----------------------------------------------------------------- by status / industry


def test_mne_by_status_gives_clusters_with_mnes_per_status_then_all():
    got = exhibits.mne_by_status(make_clusters(), make_relations(), config=CONFIG)
    expected = frame(
        {
            "status": ["innovative", "industrial", "cdc_supported", "none", "unknown", "all"],
            "n_clusters": [2, 1, 1, 2, 0, 6],
            "n_with_mne": [2, 1, 1, 1, 0, 5],
            "n_without_mne": [0, 0, 0, 1, 0, 1],
            "n_mne_unknown": [0, 0, 0, 0, 0, 0],
            "n_known": [2, 1, 1, 2, 0, 6],
            "share_with_mne": [1.0, 1.0, 1.0, 0.5, np.nan, 5 / 6],
        }
    )
    assert_frame_equal(got, expected)


def surveyed_in_part() -> pd.DataFrame:
    """make_clusters with c4 not surveyed (members not listed, no MNE found) and
    c5's status unknown (industrial unverified; c5 has an MNE)."""
    return make_clusters().assign(
        mne_presence=["yes", "yes", "yes", "unknown", "yes", "yes"],
        has_mne=pd.array([True, True, True, NA, True, True], dtype="boolean"),
        status=["innovative", "innovative", "industrial", "none", "unknown", "cdc_supported"],
        is_industrial=pd.array([False, True, True, False, NA, False], dtype="boolean"),
    )


def test_mne_by_status_share_is_over_known_presence_and_unknown_is_its_own_count():
    got = exhibits.mne_by_status(surveyed_in_part(), make_relations(), config=CONFIG)
    got = got.set_index("status")
    # none: c4 only, presence unknown -> no known case, no share (not 0 %)
    counts = ["n_clusters", "n_with_mne", "n_without_mne", "n_mne_unknown", "n_known"]
    assert got.loc["none", counts].tolist() == [1, 0, 0, 1, 0]
    assert np.isnan(got.loc["none", "share_with_mne"])
    assert got.loc["unknown", ["n_clusters", "n_with_mne", "n_known"]].tolist() == [1, 1, 1]
    # all: 5 yes of 5 known; c4 is not counted as "without MNE"
    assert got.loc["all", ["n_with_mne", "n_without_mne", "n_mne_unknown"]].tolist() == [5, 0, 1]
    assert got.loc["all", "share_with_mne"] == 1.0


def test_mne_presence_table_shows_not_surveyed_clusters_apart_from_none():
    got = exhibits.mne_presence(surveyed_in_part(), make_relations()).set_index("presence")
    assert got.loc["none", "n_clusters"] == 0
    assert got.loc["unknown", "n_clusters"] == 1
    assert got["n_clusters"].sum() == 6


def test_mne_by_industry_counts_distinct_groups_overall_and_per_status():
    got = exhibits.mne_by_industry(make_clusters(), make_relations(), config=CONFIG)
    expected = frame(
        {
            "status": ["all"] * 3 + ["innovative"] * 3 + ["industrial"] * 2
            + ["cdc_supported", "none"],
            "industry": [
                "automotive", "pharma_biotech", "unknown",
                "automotive", "pharma_biotech", "unknown",
                "automotive", "pharma_biotech",
                "unknown", "automotive",
            ],
            "n_groups": [3, 1, 1, 1, 1, 1, 1, 1, 1, 1],
            "share_groups": [0.6, 0.2, 0.2, 1 / 3, 1 / 3, 1 / 3, 0.5, 0.5, 1.0, 1.0],
            "n_relations": [4, 2, 2, 2, 1, 1, 1, 1, 1, 1],
            "n_groups_total": [5, 5, 5, 3, 3, 3, 2, 2, 1, 1],
        }
    )  # fmt: skip
    assert_frame_equal(got, expected)


# ----------------------------------------------------------------- key MNEs


def test_key_mnes_lists_top_groups_per_industry_with_ties_at_the_cut_off():
    config = {**CONFIG, "tables": {"key_mnes_per_industry": 2}}
    got = exhibits.key_mnes(make_clusters(), make_relations(), config=config)
    expected = frame(
        {
            "industry": ["automotive"] * 3 + ["pharma_biotech", "unknown"],
            "rank": [1, 2, 2, 1, 1],
            "mne_id": ["m1", "m4", "m5", "m2", "m3"],
            "mne_name": ["Alpha", "Delta", "Epsilon", "Beta", "Gamma"],
            "hq_country": ["DE", "FR", "JP", "US", "unknown"],
            "n_clusters": [2, 1, 1, 2, 2],
            # c6 has no English name: its Russian name stands in
            "clusters": ["One; Two", "Five", "Three", "One; Three", "Two; Шесть"],
        }
    )
    assert_frame_equal(got, expected)


def test_key_mnes_keeps_only_rank_one_when_configured_to_one():
    config = {**CONFIG, "tables": {"key_mnes_per_industry": 1}}
    got = exhibits.key_mnes(make_clusters(), make_relations(), config=config)
    assert got["mne_id"].tolist() == ["m1", "m2", "m3"]


def test_key_mnes_keeps_every_group_tied_at_the_cut_off_and_drops_the_next_rank():
    # Zeta (automotive) joins c4 and c5: 2 clusters, tied with Alpha at rank 1.
    # With a cut-off of 1 both are kept (not one picked by name); Delta and
    # Epsilon (1 cluster each, rank 3) are dropped.
    relations = make_relations()
    extra = relations.iloc[[-1, -1]].assign(
        cluster_id=["c4", "c5"], relation="member", mne_id="m6", mne_name="Zeta",
        hq_country="IT", industry="automotive", source_row=[20, 21],
    )  # fmt: skip
    relations = pd.concat([relations, extra], ignore_index=True)
    config = {**CONFIG, "tables": {"key_mnes_per_industry": 1}}
    got = exhibits.key_mnes(make_clusters(), relations, config=config)
    auto = got.loc[got["industry"] == "automotive"]
    assert auto["mne_name"].tolist() == ["Alpha", "Zeta"]
    assert auto["rank"].tolist() == [1, 1]
    assert auto["clusters"].tolist() == ["One; Two", "Five; Four"]
    config = {**CONFIG, "tables": {"key_mnes_per_industry": 2}}
    got = exhibits.key_mnes(make_clusters(), relations, config=config)
    # rank 3 is past a cut-off of 2 even though only two groups are listed
    assert got.loc[got["industry"] == "automotive", "mne_name"].tolist() == ["Alpha", "Zeta"]


# ----------------------------------------------------------------- regions


def test_mne_by_region_lists_every_region_with_ranks_and_no_data_regions():
    innovation = make_ranking(
        [("RU-DDD", 2015, "5", 5, 5), ("RU-DDD", 2014, "40", 40, 40), ("RU-AAA", 2015, "1", 1, 1)]
    )
    investment = make_ranking([("RU-DDD", 2014, "2", 2, 2)])
    got = context.mne_by_region(
        make_clusters(),
        make_relations(),
        make_regions(),
        innovation,
        investment,
        ranks_year=2015,
        top_n=15,
    )
    expected = frame(
        {
            "region_iso": ["RU-AAA", "RU-BBB", "RU-CCC", "RU-DDD"],
            "region_name_en": ["Aaa", "Bbb", "Ccc", "Ddd"],
            "federal_district": ["Central", "Volga", "Ural", "Central"],
            "has_cluster_data": ["yes", "yes", "yes", "no"],
            "n_clusters": [2, 2, 2, 0],
            "n_clusters_with_mne": [2, 2, 1, 0],
            "n_clusters_mne_unknown": [0, 0, 0, 0],
            "n_mne_groups": [3, 3, 1, 0],
            "n_mne_relations": [4, 3, 1, 0],
            "innovation_rank": ["1", "12-19", "20", "5"],
            "innovation_top": ["yes", "unknown", "no", "yes"],
            # RU-DDD is ranked only for another data year: unknown, not low
            "investment_rank": ["4-10", "unknown", "3", "unknown"],
            "investment_top": ["yes", "unknown", "yes", "unknown"],
        }
    )
    assert_frame_equal(got, expected)


@pytest.mark.parametrize(
    ("low", "high", "flag"),
    [(3, 3, "yes"), (15, 15, "yes"), (16, 16, "no"), (12, 19, "unknown"), (4, 10, "yes"),
     (None, None, "unknown")],
)  # fmt: skip
def test_top_flag_is_yes_only_when_the_whole_band_is_within_top_n(low, high, flag):
    """The region exhibit uses classify's one top-N rule (no copy of its own)."""
    from mne_clusters.classify.attributes import top_flag

    band = (pd.Series([low], dtype="Int64"), pd.Series([high], dtype="Int64"))
    assert top_flag(*band, 15).tolist() == [flag]


# ----------------------------------------------------------------- emergence, levels, policy


def test_emergence_types_crosses_founding_period_with_presence_including_unknown():
    got = context.emergence_types(make_clusters(), make_relations(), config=CONFIG)
    expected = frame(
        {
            "founding_period": ["old"] * 3 + ["new"] * 3 + ["unknown"] * 3,
            "mne_presence": ["with_mne", "without_mne", "mne_unknown"] * 3,
            "n_clusters": [2, 0, 0, 2, 0, 0, 1, 1, 0],
            "share_of_period": [1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.5, 0.5, 0.0],
            "n_clusters_period": [2] * 9,
        }
    )
    assert_frame_equal(got, expected)


def test_org_levels_counts_blank_level_as_unknown():
    got = context.org_levels(make_clusters(), make_relations())
    expected = frame(
        {
            "org_level": ["initial", "medium", "high", "unknown"],
            "n_clusters": [2, 1, 1, 2],
            "share": [2 / 6, 1 / 6, 1 / 6, 2 / 6],
            "n_clusters_total": [6, 6, 6, 6],
        }
    )
    assert_frame_equal(got, expected)


def test_policy_programmes_counts_clusters_regions_and_blank_leading_flags():
    got = context.policy_programmes(make_clusters(), make_relations())
    expected = frame(
        {
            "programme": ["pilot_innovative", "leading", "industrial", "cdc_supported"],
            "n_clusters": [2, 1, 2, 1],
            "n_regions": [1, 1, 2, 1],
            "n_unknown": [0, 2, 0, 0],
            "n_clusters_total": [6, 6, 6, 6],
        }
    )
    assert_frame_equal(got, expected)


def test_policy_programmes_counts_other_regions_of_interregional_clusters():
    clusters = make_clusters().assign(region_iso_other=["RU-BBB|RU-DDD", NA, NA, NA, NA, NA])
    got = context.policy_programmes(clusters, make_relations())
    # c1 (innovative) spans AAA, BBB and DDD; c2 is in AAA
    assert got.loc[got["programme"] == "pilot_innovative", "n_regions"].item() == 3


# ----------------------------------------------------------------- replication


def make_published(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "figure_id": [r[0] for r in rows],
            "description": [f"about {r[0]}" for r in rows],
            "published_value": [r[1] for r in rows],
            "unit": ["clusters", "clusters", "employees", "clusters", "x"],
            "slide": ["s"] * len(rows),
            "note": [""] * len(rows),
        }
    )


def test_replication_sets_each_published_figure_beside_the_reproduced_value():
    published = replication.check_published(
        make_published(
            [
                ("initiatives_total", "10"),
                ("innovative_with_mne", "2"),
                ("employees_total", "100"),
                ("org_level_initial", "3"),
                ("never_heard_of", "7"),
            ]
        ),
        file="published.csv",
    )
    got = replication.replication(make_clusters(), make_relations(), published)
    short = "the wave holds 6 of the 10 initiatives the slides count"
    expected = frame(
        {
            "figure_id": [
                "initiatives_total",
                "innovative_with_mne",
                "employees_total",
                "org_level_initial",
                "never_heard_of",
            ],  # fmt: skip
            "description": [
                "about initiatives_total",
                "about innovative_with_mne",
                "about employees_total",
                "about org_level_initial",
                "about never_heard_of",
            ],  # fmt: skip
            "slide": ["s"] * 5,
            "unit": ["clusters", "clusters", "employees", "clusters", "x"],
            "published_value": ["10", "2", "100", "3", "7"],
            "reproduced_value": ["6", "2", "n/a", "2", "n/a"],
            "difference": ["-4", "0", "n/a", "-1", "n/a"],
            "published_note": [""] * 5,
            "note": [
                f"differs; missing data: {short}",
                "reproduced",
                "n/a: n_employees unknown for all 6 clusters (missing data)",
                f"differs; missing data: {short}; org_level unknown for 2 of 6 clusters",
                "n/a: no reproduction is defined for this figure_id",
            ],
        }
    )
    assert_frame_equal(got, expected)


def test_check_published_reports_every_bad_row_at_once():
    bad = make_published([("a", "12"), ("a", "ca. 3000"), ("", "1"), ("b", "1"), ("c", "1")])
    with pytest.raises(DataError) as caught:
        replication.check_published(bad, file="published.csv")
    found = sorted((p.row, p.column) for p in caught.value.problems)
    assert found == [(3, "figure_id"), (3, "published_value"), (4, "figure_id")]


def test_every_published_figure_of_the_default_file_has_a_reproduction():
    path = Path(__file__).parents[1] / "data/raw/published/2019-bremen-slides.csv"
    published = pd.read_csv(path, dtype=str, keep_default_na=False)
    checked = replication.check_published(published, file="published.csv")
    assert set(checked["figure_id"]) <= set(replication.REPRODUCTIONS)
    assert checked.set_index("figure_id").loc["initiatives_total", "published_value"] == 118


# ----------------------------------------------------------------- run_tables


def test_run_tables_writes_every_table_with_a_provenance_sidecar(tmp_path):
    paths = {}
    for name, df in {
        "clusters": make_clusters(),
        "relations": make_relations(),
        "regions": make_regions(),
        "innovation_rank": make_ranking([("RU-DDD", 2015, "5", 5, 5)]),
        "investment_rank": make_ranking([("RU-DDD", 2015, "40", 40, 40)]),
    }.items():
        paths[name] = str(tmp_path / f"{name}.parquet")
        df.to_parquet(paths[name])
    published = tmp_path / "published.csv"
    make_published(
        [("initiatives_total", "10"), ("a", "1"), ("b", "1"), ("c", "1"), ("d", "1")]
    ).to_csv(published, index=False)
    out = tmp_path / "tables"
    analysis_step.run_tables(
        wave="2019", published=str(published), out_dir=str(out), config=CONFIG, **paths
    )
    written = catalogue.tables("tables")
    assert sorted(p.name for p in out.glob("*.csv")) == sorted(f"{t.name}.csv" for t in written)
    assert len(written) == 11
    region = pd.read_csv(out / "mne_by_region.csv", keep_default_na=False)
    assert region.loc[region["region_iso"] == "RU-DDD", "investment_top"].item() == "no"
    meta = json.loads((out / "mne_by_region.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["wave"] == "2019"
    assert {i["path"].rsplit("/", 1)[-1] for i in meta["inputs"]} == {
        "clusters.parquet", "relations.parquet", "regions.parquet",
        "innovation_rank.parquet", "investment_rank.parquet",
    }  # fmt: skip
    assert np.isclose(pd.read_csv(out / "mne_by_status.csv")["share_with_mne"].iloc[-1], 5 / 6)


def test_replication_counts_no_status_from_known_flags_and_says_how_many_are_unknown():
    rows = [("none_clusters", "1"), ("none_with_mne", "0"), ("a", "1"), ("b", "1")]
    published = replication.check_published(make_published([*rows, ("c", "1")]), file="p.csv")
    got = replication.replication(surveyed_in_part(), make_relations(), published)
    got = got.set_index("figure_id")
    # only c4 has every flag known false; c5's status is unknown, not "none"
    assert got.loc["none_clusters", "reproduced_value"] == "1"
    assert got.loc["none_clusters", "note"] == (
        "reproduced (counted from known values only; status unknown for 1 of 6 clusters "
        "that could be no-status (a status flag blank or an unverified default))"
    )
    # c4 (none) is not surveyed; c5 has an MNE but its status is unknown
    assert got.loc["none_with_mne", "reproduced_value"] == "0"
    assert got.loc["none_with_mne", "note"] == (
        "reproduced (counted from known values only; MNE presence unknown for 1 of 1 "
        "no-status clusters (members not listed, no MNE found); 1 clusters with MNEs have "
        "status unknown and could be no-status (a status flag blank or an unverified default))"
    )


def test_replication_shortfall_blames_only_unknowns_that_could_close_it():
    rows = [("innovative_clusters", "9"), ("none_clusters", "5"), ("a", "1"), ("b", "1")]
    published = replication.check_published(make_published([*rows, ("c", "1")]), file="p.csv")
    got = replication.replication(surveyed_in_part(), make_relations(), published)
    got = got.set_index("figure_id")
    # c5 (status unknown) has is_innovative known false: it cannot be innovative
    assert got.loc["innovative_clusters", "note"] == (
        "differs; not explained by missing data in the wave"
    )
    # ... but only its is_industrial is unknown, so it could be without status
    assert got.loc["none_clusters", "note"] == (
        "differs; missing data: counted from known values only; status unknown for 1 of 6 "
        "clusters that could be no-status (a status flag blank or an unverified default)"
    )


def test_replication_programme_count_uses_known_true_flags_only():
    clusters = surveyed_in_part().assign(unverified_fields=["", "is_industrial", "", "", "", ""])
    rows = [("industrial_clusters", "1"), ("a", "1"), ("b", "1"), ("c", "1"), ("d", "1")]
    published = replication.check_published(make_published(rows), file="p.csv")
    got = replication.replication(clusters, make_relations(), published).set_index("figure_id")
    # c2's true is_industrial is an unverified default, c5's is blank: only c3 counts
    assert got.loc["industrial_clusters", "reproduced_value"] == "1"
    assert got.loc["industrial_clusters", "note"] == (
        "reproduced (counted from known values only: is_industrial unknown for 2 of 6 "
        "clusters, 1 of them unverified defaults)"
    )


def test_policy_programmes_counts_blank_leading_flags_that_classify_read_as_false():
    clusters = make_clusters()
    blank = clusters["is_leading"].isna()
    classified = clusters.assign(
        is_leading=clusters["is_leading"].fillna(False).astype(bool),
        is_leading_unknown=blank.to_numpy(),
    )
    got = context.policy_programmes(classified, make_relations())
    assert got.set_index("programme").loc["leading", "n_unknown"] == 2


def test_replication_note_counts_leading_blanks_that_classify_read_as_false():
    clusters = make_clusters()
    classified = clusters.assign(
        is_leading=clusters["is_leading"].fillna(False).astype(bool),
        is_leading_unknown=clusters["is_leading"].isna().to_numpy(),
    )
    rows = [("leading_clusters", "5"), ("a", "1"), ("b", "1"), ("c", "1"), ("d", "1")]
    published = replication.check_published(make_published(rows), file="p.csv")
    got = replication.replication(classified, make_relations(), published).set_index("figure_id")
    assert "is_leading unknown for 2 of 6 clusters" in (got.loc["leading_clusters", "note"])
