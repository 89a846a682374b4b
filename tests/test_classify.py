"""Cluster classification: status, founding period, MNE presence, ranks, top-N."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

from mne_clusters.classify.attributes import (
    cluster_status,
    founding_period,
    ranking_columns,
    top_flag,
    unverified_as_unknown,
)
from mne_clusters.classify.presence import (
    after_survey,
    apply_after_survey,
    flag_duplicates,
    mne_presence,
    source_years,
)
from mne_clusters.classify.settings import ClassifyConfig, FoundingBin
from mne_clusters.classify.step import classify_clusters
from mne_clusters.core.errors import ConfigError, DataError


def flags(**cols: list) -> pd.DataFrame:
    return pd.DataFrame({k: pd.array(v, dtype="boolean") for k, v in cols.items()})


def rels(*rows: tuple) -> pd.DataFrame:
    """Classified relations: cluster_id, organisation, relation, mne_id, is_mne, is_foreign."""
    frame = pd.DataFrame(
        rows,
        columns=["cluster_id", "organisation", "relation", "mne_id", "is_mne", "is_foreign"],
    )
    return frame.astype(
        {
            "cluster_id": "string",
            "organisation": "string",
            "relation": "string",
            "mne_id": "string",
            "is_mne": bool,
            "is_foreign": bool,
        }
    ).assign(source_row=pd.array(range(2, len(frame) + 2), dtype="Int64"))


# --- status ------------------------------------------------------------------


def test_status_takes_the_first_true_flag_in_precedence() -> None:
    frame = flags(
        is_innovative=[True, False, False, False],
        is_industrial=[True, True, False, False],
        is_cdc_supported=[True, True, True, False],
    )
    status = cluster_status(frame, ["innovative", "industrial", "cdc_supported"])
    assert status.tolist() == ["innovative", "industrial", "cdc_supported", "none"]


def test_status_precedence_order_comes_from_config() -> None:
    frame = flags(is_innovative=[True], is_industrial=[True], is_cdc_supported=[False])
    assert cluster_status(frame, ["industrial", "innovative"]).tolist() == ["industrial"]


def test_unknown_flag_before_a_true_one_leaves_the_status_unknown() -> None:
    # is_leading unknown: the cluster may be leading, which comes first
    frame = flags(is_leading=[None], is_innovative=[True])
    assert cluster_status(frame, ["leading", "innovative"]).tolist() == ["unknown"]


P3 = ["innovative", "industrial", "cdc_supported"]


@pytest.mark.parametrize(
    ("innovative", "industrial", "cdc", "expected"),
    [
        (True, None, None, "innovative"),  # first flag known true decides
        (False, True, None, "industrial"),  # earlier known false, later unknown: decided
        (None, True, False, "unknown"),  # may be innovative
        (False, None, True, "unknown"),  # may be industrial
        (False, False, None, "unknown"),  # not known to be 'none'
        (False, False, False, "none"),  # every flag known false
        (None, None, None, "unknown"),
    ],
)
def test_status_uses_known_flags_only(innovative, industrial, cdc, expected) -> None:
    frame = flags(is_innovative=[innovative], is_industrial=[industrial], is_cdc_supported=[cdc])
    assert cluster_status(frame, P3).tolist() == [expected]


def test_unverified_fields_turn_the_named_flags_unknown() -> None:
    frame = flags(
        is_innovative=[True, False, False],
        is_industrial=[False, False, True],
        is_cdc_supported=[False, False, False],
        is_leading=[None, None, None],
    ).assign(
        unverified_fields=pd.array(
            ["is_industrial|is_cdc_supported", "", "is_cdc_supported"], dtype="string"
        )
    )
    out = unverified_as_unknown(frame)
    assert out["is_industrial"].astype(object).tolist() == [pd.NA, False, True]
    assert out["is_cdc_supported"].astype(object).tolist() == [pd.NA, False, pd.NA]
    assert out["is_innovative"].tolist() == [True, False, False]
    # innovative is known true first; the second is 'none'; the third industrial
    assert cluster_status(out, P3).tolist() == ["innovative", "none", "industrial"]


def test_status_label_without_a_column_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="'pilot'"):
        cluster_status(flags(is_innovative=[True]), ["pilot"])


# --- founding periods --------------------------------------------------------


DEFAULT_BINS = ClassifyConfig().founding_periods


def test_default_bins_split_at_1998() -> None:
    years = pd.Series([1990, 1998, 1999, 2012, None], dtype="Int64")
    assert founding_period(years, DEFAULT_BINS).tolist() == [
        "old",
        "old",
        "new",
        "new",
        "unknown",
    ]


def test_founding_bins_come_from_config() -> None:
    cfg = ClassifyConfig.from_config(
        {
            "classify": {
                "founding_periods": [
                    {"label": "pre-2008", "last": 2007},
                    {"label": "2008-2011", "first": 2008, "last": 2011},
                    {"label": "pilot era", "first": 2012},
                ]
            }
        }
    )
    years = pd.Series([2007, 2008, 2011, 2012], dtype="Int64")
    assert founding_period(years, cfg.founding_periods).tolist() == [
        "pre-2008",
        "2008-2011",
        "2008-2011",
        "pilot era",
    ]


def test_year_in_no_bin_is_a_config_error_naming_it() -> None:
    bins = (FoundingBin("a", last=2000), FoundingBin("b", first=2005))
    with pytest.raises(ConfigError, match="2003"):
        founding_period(pd.Series([2003], dtype="Int64"), bins)


def test_overlapping_bins_are_a_config_error() -> None:
    with pytest.raises(ConfigError, match="overlap"):
        ClassifyConfig.from_config(
            {"classify": {"founding_periods": [{"label": "a", "last": 2000}, {"label": "b"}]}}
        )


# --- duplicates and MNE presence ---------------------------------------------


def test_same_cluster_and_group_is_a_duplicate_on_the_later_row() -> None:
    frame = rels(
        ("yar-pharma", "«Такеда»", "member", "takeda", True, True),
        ("yar-pharma", "«Тева»", "member", "teva", True, True),
        ("yar-pharma", "Nycomed", "unknown", "takeda", True, True),
        ("spe-medpharm", "Takeda", "unknown", "takeda", True, True),
    )
    out = flag_duplicates(frame)
    assert out["is_duplicate"].tolist() == [False, False, True, False]
    assert out["duplicate_of_row"].tolist() == [pd.NA, pd.NA, 2, pd.NA]


def test_non_mne_rows_are_never_duplicates() -> None:
    frame = rels(
        ("klu-pharma", "«НИАРМЕДИК Плюс»", "member", None, False, False),
        ("klu-pharma", "«НИАРМЕДИК Плюс»", "member", None, False, False),
    )
    assert flag_duplicates(frame)["is_duplicate"].tolist() == [False, False]


def test_duplicates_are_counted_once() -> None:
    frame = flag_duplicates(
        rels(
            ("yar-pharma", "«Такеда»", "member", "takeda", True, True),
            ("yar-pharma", "Nycomed", "unknown", "takeda", True, True),
            ("yar-pharma", "«Тева»", "member", "teva", True, True),
        )
    )
    counts = mne_presence(pd.Series(["yar-pharma"], dtype="string"), frame)
    assert counts.loc[0, ["n_mne_relations", "n_foreign_groups"]].tolist() == [2, 2]


def test_presence_flags_follow_the_roles_of_mne_relations() -> None:
    frame = rels(
        ("klu-pharma", "Pfizer", "partner", "pfizer", True, True),
        ("klu-pharma", "«НИАРМЕДИК Плюс»", "member", None, False, False),
        ("ta-innokam", "ZF", "unknown", "zf", True, True),
    )
    ids = pd.Series(["klu-pharma", "ta-innokam", "mos-empty"], dtype="string")
    out = mne_presence(ids, frame)
    assert out.to_dict("list") == {
        "mne_presence": ["yes", "yes", "no"],
        "has_mne": [True, True, False],
        "has_mne_member": [False, False, False],
        "has_mne_partner": [True, False, False],
        "has_mne_unknown_role": [False, True, False],
        "n_mne_relations": [1, 1, 0],
        "n_foreign_groups": [1, 1, 0],
    }


def test_domestic_mne_counts_as_mne_but_not_as_foreign_group() -> None:
    frame = rels(
        ("c", "Volkswagen", "member", "volkswagen", True, True),
        ("c", "Rosatom", "member", "rosatom", True, False),
    )
    out = mne_presence(pd.Series(["c"], dtype="string"), frame)
    assert out.loc[0, ["n_mne_relations", "n_foreign_groups"]].tolist() == [2, 1]


def test_foreign_mne_missing_from_registry_counts_by_its_name() -> None:
    frame = rels(
        ("c", "Sanofi", "member", None, True, True),
        ("c", "SANOFI LLC", "unknown", None, True, True),
    )
    out = flag_duplicates(frame)
    assert out["is_duplicate"].tolist() == [False, True]
    assert mne_presence(pd.Series(["c"], dtype="string"), out).loc[0, "n_mne_relations"] == 1


# --- ranks and top-N ---------------------------------------------------------


def test_top_flag_yes_no_unknown() -> None:
    low = pd.Series([3, 4, 12, 16, 1, None, 79], dtype="Int64")
    high = pd.Series([3, 10, 19, 16, 20, None, 83], dtype="Int64")
    assert top_flag(low, high, 15).tolist() == [
        "yes",  # rank 3
        "yes",  # band 4-10 wholly inside the top 15
        "unknown",  # band 12-19 straddles 15
        "no",  # rank 16
        "unknown",  # band 1-20 straddles 15
        "unknown",  # empty rank
        "no",  # band 79-83
    ]


def test_top_flag_boundary_is_inclusive() -> None:
    one = pd.Series([15], dtype="Int64")
    assert top_flag(one, one, 15).tolist() == ["yes"]
    assert top_flag(one, one, 14).tolist() == ["no"]


def ranking(*rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["region_iso", "year", "rank", "rank_low", "rank_high"])
    return frame.astype(
        {
            "region_iso": "string",
            "year": "Int64",
            "rank": "string",
            "rank_low": "Int64",
            "rank_high": "Int64",
        }
    )


def test_ranking_uses_only_the_waves_ranks_year_and_absence_is_unknown() -> None:
    table = ranking(
        ("RU-KLU", 2015, "4-10", 4, 10),
        ("RU-KLU", 2014, "2", 2, 2),
        ("RU-SPE", 2015, "22", 22, 22),
        ("RU-NEN", 2015, None, None, None),
        ("RU-YAR", 2014, "17", 17, 17),
    )
    regions = pd.Series(["RU-KLU", "RU-SPE", "RU-NEN", "RU-YAR"], dtype="string")
    out = ranking_columns(regions, table, name="investment", ranks_year=2015, top_n=15)
    assert out.to_dict("list") == {
        "investment_rank": ["4-10", "22", None, None],
        "investment_rank_low": [4, 22, None, None],
        "investment_rank_high": [10, 22, None, None],
        "investment_top": ["yes", "no", "unknown", "unknown"],
    }


def test_two_ranks_for_one_region_and_year_is_a_data_error() -> None:
    table = ranking(("RU-KLU", 2015, "3", 3, 3), ("RU-KLU", 2015, "4", 4, 4))
    with pytest.raises(DataError):
        ranking_columns(
            pd.Series(["RU-KLU"], dtype="string"),
            table,
            name="innovation",
            ranks_year=2015,
            top_n=15,
        )


# --- the whole cluster frame -------------------------------------------------


def clusters_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "cluster_id": pd.array(["klu-pharma", "khv-aviation"], dtype="string"),
            "region_iso": pd.array(["RU-KLU", "RU-KHA"], dtype="string"),
            "is_innovative": pd.array([True, False], dtype="boolean"),
            "is_industrial": pd.array([False, True], dtype="boolean"),
            "is_cdc_supported": pd.array([False, False], dtype="boolean"),
            "is_leading": pd.array([None, False], dtype="boolean"),
            "founded_year": pd.array([2010, None], dtype="Int64"),
            "source_row": pd.array([2, 3], dtype="Int64"),
        }
    )


def test_classify_clusters_adds_contract_columns_without_mutating_input(caplog) -> None:
    clusters = clusters_frame()
    before = clusters.copy()
    regions = pd.DataFrame(
        {
            "region_iso": ["RU-KLU", "RU-KHA"],
            "name_en": ["Kaluga Oblast", "Khabarovsk Krai"],
            "name_ru": ["Калужская область", "Хабаровский край"],
            "federal_district": ["Central", "Far Eastern"],
        },
        dtype="string",
    )
    rankings = {
        "innovation": ranking(("RU-KLU", 2015, "4-10", 4, 10)),
        "investment": ranking(("RU-KLU", 2015, "3", 3, 3), ("RU-KHA", 2015, "40", 40, 40)),
    }
    relations = flag_duplicates(
        rels(
            ("klu-pharma", "ООО «Ново Нордиск»", "member", "novo-nordisk", True, True),
            ("klu-pharma", "Pfizer", "partner", "pfizer", True, True),
        )
    )
    with caplog.at_level(logging.INFO, logger="mne_clusters.classify"):
        out = classify_clusters(clusters, relations, regions, rankings, ranks_year=2015)
    pd.testing.assert_frame_equal(clusters, before)
    assert "is_leading is blank for 1 of 2 clusters" in caplog.text
    cols = [
        "status",
        "founding_period",
        "is_leading",
        "is_leading_unknown",
        "has_mne",
        "n_mne_relations",
        "region_name_en",
        "federal_district",
        "innovation_rank",
        "innovation_top",
        "investment_rank",
        "investment_top",
    ]
    assert out[cols].to_dict("list") == {
        "status": ["innovative", "industrial"],
        "founding_period": ["new", "unknown"],
        "is_leading": [False, False],
        "is_leading_unknown": [True, False],
        "has_mne": [True, False],
        "n_mne_relations": [2, 0],
        "region_name_en": ["Kaluga Oblast", "Khabarovsk Krai"],
        "federal_district": ["Central", "Far Eastern"],
        "innovation_rank": ["4-10", None],
        "innovation_top": ["yes", "unknown"],
        "investment_rank": ["3", "40"],
        "investment_top": ["yes", "no"],
    }


# --- issue 13: presence yes/no/unknown, founding ranges -------------------------


def test_presence_is_unknown_where_members_are_not_listed() -> None:
    frame = rels(
        ("a", "Pfizer", "partner", "pfizer", True, True),
        ("b", "«НИАРМЕДИК Плюс»", "member", None, False, False),
        ("d", "ZF", "unknown", "zf", True, True),
    )
    ids = pd.Series(["a", "b", "c", "d", "e"], dtype="string")
    # a: not listed but an MNE found -> yes; b: listed, no MNE -> no;
    # c: not listed, nothing found -> unknown; d: blank (unknown), MNE -> yes;
    # e: blank listing, nothing found -> unknown (a blank is not "listed")
    listed = pd.Series(pd.array([False, True, False, None, None], dtype="boolean"))
    out = mne_presence(ids, frame, listed)
    assert out["mne_presence"].tolist() == ["yes", "no", "unknown", "yes", "unknown"]
    assert out["has_mne"].astype(object).tolist() == [True, False, pd.NA, True, pd.NA]


def test_a_wave_without_members_listed_is_read_as_fully_listed() -> None:
    frame = rels(("a", "Pfizer", "partner", "pfizer", True, True))
    ids = pd.Series(["a", "b"], dtype="string")
    out = mne_presence(ids, frame, None)
    assert out["mne_presence"].tolist() == ["yes", "no"]
    assert out["has_mne"].tolist() == [True, False]


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (2006, 2012, "new"),  # whole range after 1998
        (1990, 1995, "old"),
        (1995, 2003, "unknown"),  # spans both bins: undetermined
        (1998, 1999, "unknown"),
        (1999, 1999, "new"),
        (None, None, "unknown"),
    ],
)
def test_founding_range_gets_a_period_only_when_it_falls_in_one_bin(low, high, expected):
    bins = (FoundingBin("old", last=1998), FoundingBin("new", first=1999))
    lows = pd.Series(pd.array([low], dtype="Int64"))
    highs = pd.Series(pd.array([high], dtype="Int64"))
    assert founding_period(lows, bins, highs).tolist() == [expected]


def test_after_survey_rule_is_validated() -> None:
    assert ClassifyConfig.from_config({}).after_survey == "keep"
    assert ClassifyConfig.from_config({"classify": {"after_survey": "exclude"}}).after_survey == (
        "exclude"
    )
    with pytest.raises(ConfigError, match="keep, exclude"):
        ClassifyConfig.from_config({"classify": {"after_survey": "drop"}})


# --- issue 13: sources dated after the survey ----------------------------------


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("http://en.caisr.org/article/section/2", [None]),
        ("https://rusautonews.com/2018/10/17/kaluga-region", [2018]),
        ("a 13.09.2016 agreement | https://x.org/news/2020-06-11-brose", [2016, 2020]),
        ("https://cluster.hse.ru/news/211142163.html", [None]),  # a page id, not a year
        ("", []),
    ],
)
def test_source_years_reads_only_date_shaped_text(text, years) -> None:
    assert source_years(text) == years


def test_after_survey_needs_every_source_dated_after_the_survey_year() -> None:
    frame = pd.DataFrame(
        {
            "source": pd.array(
                [
                    "https://a.org/2020/06/x",  # one source, 2020 -> after
                    "https://a.org/2020/06/x | https://b.org/2018/01/y",  # 2018 is before
                    "https://a.org/2021/06/x | https://b.org/page",  # undated: cannot say
                    "https://a.org/2019/12/x",  # the survey year itself is not after
                    "https://a.org/page",  # year_seen decides over the text
                ],
                dtype="string",
            ),
            "year_seen": pd.array(["", "", "", "", "2021"], dtype="string"),
        }
    )
    assert after_survey(frame, 2019).tolist() == [True, False, False, False, True]
    assert after_survey(frame, None).tolist() == [False] * 5


def _log(rows: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "table": pd.array(["relations"] * len(rows), dtype="string"),
            "file": pd.array(["r.csv"] * len(rows), dtype="string"),
            "source_row": pd.array(rows, dtype="Int64"),
            "outcome": pd.array(["kept"] * len(rows), dtype="string"),
            "reason": pd.array([pd.NA] * len(rows), dtype="string"),
        }
    )


@pytest.mark.parametrize("rule", ["keep", "exclude"])
def test_one_rule_keeps_or_excludes_every_after_survey_relation(rule) -> None:
    frame = rels(
        ("a", "Brose", "member", "brose", True, True),
        ("a", "Sumiriko", "member", "sumitomo-riko", True, True),
        ("b", "ZF", "member", "zf", True, True),
    ).assign(year_seen=pd.array(["2020", "2020", "2018"], dtype="string"))
    out, log_ = apply_after_survey(frame, _log([2, 3, 4]), survey_year=2019, rule=rule)
    if rule == "keep":
        assert out["after_survey"].tolist() == [True, True, False]
        assert log_["outcome"].tolist() == ["kept"] * 3
    else:
        assert out["organisation"].tolist() == ["ZF"]
        assert log_["outcome"].tolist() == ["excluded", "excluded", "kept"]
    assert log_["reason"].fillna("").str.startswith("after_survey").tolist() == [True, True, False]
