"""Comparison of survey waves (changes.py) on hand-made classified frames.

The pair of waves below is small enough to work out every expected row by hand:

previous wave: a (innovative, RU-KLU, level blank), b (none, «Кластер Б», initial),
c (industrial), d (none, no MNE);
next wave: a moved to RU-LEN and got level medium, b renamed and became
industrial, c dropped, d unchanged, e added (cdc_supported).

MNE relations, previous -> next:
a-m1 member (plus a duplicate row with role unknown) -> member: unchanged;
a-m2 partner -> gone: exited; b-m3 unknown -> member: unchanged, role changed;
c-m4 member -> gone with cluster c: cluster_left (not an MNE exit); d-m5 -> partner:
entered; e-m6 (a Russian MNE group, industry blank) -> cluster_entered with e.
b's domestic firm (not an MNE) is ignored.
"""

from __future__ import annotations

import json
import logging

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from mne_clusters.core.errors import ConfigError
from mne_clusters.plotting import comparison
from mne_clusters.waves import changes
from mne_clusters.waves import step as waves_step

NA = pd.NA


def clusters_frame(rows: list[tuple]) -> pd.DataFrame:
    """Classified clusters with the columns the comparison reads (and an extra one)."""
    cols = ["cluster_id", "name_ru", "region_iso", "status", "org_level", "has_mne"]
    df = pd.DataFrame(rows, columns=cols)
    return df.astype(
        {
            "cluster_id": "string",
            "name_ru": "string",
            "region_iso": "string",
            "status": "string",
            "org_level": "string",
            "has_mne": bool,
        }
    ).assign(source_row=pd.array(range(2, len(df) + 2), dtype="Int64"))


def relations_frame(rows: list[tuple]) -> pd.DataFrame:
    """Classified relations with the columns the comparison reads."""
    cols = [
        "cluster_id",
        "organisation",
        "relation",
        "mne_id",
        "mne_name",
        "industry",
        "is_mne",
        "is_foreign",
        "is_duplicate",
    ]
    df = pd.DataFrame(rows, columns=cols)
    text = ["cluster_id", "organisation", "relation", "mne_id", "mne_name", "industry"]
    return df.astype({**{c: "string" for c in text}, "is_mne": bool, "is_foreign": bool}).assign(
        entry_year=pd.array([NA] * len(df), dtype="Int64"),
        source_row=pd.array(range(2, len(df) + 2), dtype="Int64"),
    )


PREV_CLUSTERS = clusters_frame(
    [
        ("a", "Кластер А", "RU-KLU", "innovative", NA, True),
        ("b", "Кластер Б", "RU-TA", "none", "initial", True),
        ("c", "Кластер В", "RU-SPE", "industrial", "medium", True),
        ("d", "Кластер Г", "RU-NIZ", "none", NA, False),
    ]
)
NEXT_CLUSTERS = clusters_frame(
    [
        ("a", "Кластер А", "RU-LEN", "innovative", "medium", True),
        ("b", "Кластер Б-2", "RU-TA", "industrial", "initial", True),
        ("d", "Кластер Г", "RU-NIZ", "none", NA, True),
        ("e", "Кластер Д", "RU-YAR", "cdc_supported", NA, True),
    ]
)
PREV_RELATIONS = relations_frame(
    [
        ("a", "ООО «Один»", "member", "m1", "One", "pharma_biotech", True, True, False),
        ("a", "Two AG", "partner", "m2", "Two", "pharma_biotech", True, True, False),
        ("a", "One Ltd", "unknown", "m1", "One", "pharma_biotech", True, True, True),
        ("b", "Three", "unknown", "m3", "Three", "automotive", True, True, False),
        ("b", "ПАО «Местное»", "member", NA, NA, NA, False, False, False),
        ("c", "Four", "member", "m4", "Four", "ict", True, True, False),
    ]
)
NEXT_RELATIONS = relations_frame(
    [
        ("a", "One Ltd", "member", "m1", "One", "pharma_biotech", True, True, False),
        ("b", "Three", "member", "m3", "Three", "automotive", True, True, False),
        ("d", "Five", "partner", "m5", "Five", "automotive", True, True, False),
        ("e", "ПАО «Шесть»", "unknown", "m6", "Six", NA, True, False, False),
    ]
)


def compare_relations() -> pd.DataFrame:
    return changes.relation_changes(
        PREV_CLUSTERS,
        PREV_RELATIONS,
        NEXT_CLUSTERS,
        NEXT_RELATIONS,
        prev_wave="w1",
        next_wave="w2",
    )


def test_relation_changes_counts_entries_exits_and_role_changes_by_hand() -> None:
    expected = pd.DataFrame(
        {
            "prev_wave": ["w1"] * 6,
            "next_wave": ["w2"] * 6,
            "cluster_id": ["a", "a", "b", "c", "d", "e"],
            "cluster_presence": ["both", "both", "both", "dropped", "both", "added"],
            "mne_group": ["m1", "m2", "m3", "m4", "m5", "m6"],
            "mne_id": ["m1", "m2", "m3", "m4", "m5", "m6"],
            "mne_name": ["One", "Two", "Three", "Four", "Five", "Six"],
            "industry": [
                "pharma_biotech",
                "pharma_biotech",
                "automotive",
                "ict",
                "automotive",
                "unknown",
            ],
            "is_foreign": [True, True, True, True, True, False],
            # c left the survey and e entered it: their relations are not MNE exits/entries.
            "change": [
                "unchanged",
                "exited",
                "unchanged",
                "cluster_left",
                "entered",
                "cluster_entered",
            ],
            "prev_relation": ["member", "partner", "unknown", "member", NA, NA],
            "next_relation": ["member", NA, "member", NA, "partner", "unknown"],
            "role_changed": pd.array([False, NA, True, NA, NA, NA], dtype="boolean"),
        }
    )
    text = [c for c in expected.columns if c not in ("is_foreign", "role_changed")]
    expected = expected.astype({c: "string" for c in text})
    assert_frame_equal(compare_relations(), expected)


def test_group_named_twice_in_a_cluster_counts_once_with_its_most_specific_role() -> None:
    prev = relations_frame(
        [
            ("a", "Nycomed", "unknown", "m1", "One", "pharma_biotech", True, True, False),
            ("a", "«Такеда»", "partner", "m1", "One", "pharma_biotech", True, True, True),
        ]
    )
    nxt = relations_frame(
        [("a", "«Такеда»", "partner", "m1", "One", "pharma_biotech", True, True, False)]
    )
    out = changes.relation_changes(
        PREV_CLUSTERS, prev, NEXT_CLUSTERS, nxt, prev_wave="w1", next_wave="w2"
    )
    assert out[["mne_id", "change", "prev_relation", "role_changed"]].to_dict("records") == [
        {"mne_id": "m1", "change": "unchanged", "prev_relation": "partner", "role_changed": False}
    ]


def test_relations_not_tied_to_an_mne_are_left_out() -> None:
    assert "ПАО «Местное»" not in set(compare_relations()["mne_name"].dropna())
    assert compare_relations()["mne_id"].notna().all()


def test_cluster_changes_lists_every_change_with_old_and_new_values() -> None:
    expected = pd.DataFrame(
        {
            "prev_wave": ["w1"] * 7,
            "next_wave": ["w2"] * 7,
            "cluster_id": ["a", "a", "b", "b", "c", "d", "e"],
            "name_ru": [
                "Кластер А",
                "Кластер А",
                "Кластер Б-2",
                "Кластер Б-2",
                "Кластер В",
                "Кластер Г",
                "Кластер Д",
            ],
            "change": [
                "region_changed",
                "org_level_changed",
                "renamed",
                "status_changed",
                "dropped",
                "has_mne_changed",
                "added",
            ],
            "column": ["region_iso", "org_level", "name_ru", "status", NA, "has_mne", NA],
            # a's level was not recorded in w1: a gap, not a value compared with 'medium'.
            "old_value": ["RU-KLU", NA, "Кластер Б", "none", NA, "false", NA],
            "new_value": ["RU-LEN", "medium", "Кластер Б-2", "industrial", NA, "true", NA],
        }
    ).astype("string")
    expected["both_known"] = pd.array([True, False, True, True, NA, True, NA], dtype="boolean")
    out = changes.cluster_changes(PREV_CLUSTERS, NEXT_CLUSTERS, prev_wave="w1", next_wave="w2")
    assert_frame_equal(out, expected)


def test_every_changed_field_of_a_continuing_cluster_is_a_row() -> None:
    extra = {
        "is_innovative": ([True], [False]),
        "is_leading": (pd.array([NA], dtype="boolean"), pd.array([True], dtype="boolean")),
        "founded_year": (pd.array([2010], dtype="Int64"), pd.array([2012], dtype="Int64")),
        "n_members": (pd.array([31], dtype="Int64"), pd.array([31], dtype="Int64")),
        "innovation_top": (["yes"], ["no"]),  # the region's rank: not the cluster's change
        "source_row": (pd.array([2], dtype="Int64"), pd.array([9], dtype="Int64")),
    }
    prev = PREV_CLUSTERS.iloc[[3]].reset_index(drop=True)
    nxt = prev.copy()
    for column, (old, new) in extra.items():
        prev[column], nxt[column] = old, new
    out = changes.cluster_changes(prev, nxt, prev_wave="w1", next_wave="w2")
    assert out[["change", "old_value", "new_value"]].astype(object).fillna(
        "gap"
    ).values.tolist() == [
        ["is_innovative_changed", "true", "false"],
        ["is_leading_changed", "gap", "true"],
        ["founded_year_changed", "2010", "2012"],
    ]
    assert out["both_known"].tolist() == [True, False, True]


def test_renamed_or_moved_cluster_is_logged_as_a_warning_not_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="mne_clusters.waves"):
        changes.cluster_changes(PREV_CLUSTERS, NEXT_CLUSTERS, prev_wave="w1", next_wave="w2")
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(messages) == 2
    assert (
        "cluster a: region_iso changed between waves w1 and w2: 'RU-KLU' -> 'RU-LEN'" in messages[0]
    )
    assert "cluster b: name_ru changed" in messages[1]


def test_identical_waves_have_no_cluster_changes() -> None:
    out = changes.cluster_changes(PREV_CLUSTERS, PREV_CLUSTERS, prev_wave="w1", next_wave="w2")
    assert out.empty
    assert list(out.columns) == [
        "prev_wave",
        "next_wave",
        "cluster_id",
        "name_ru",
        "change",
        "column",
        "old_value",
        "new_value",
        "both_known",
    ]


def test_comparison_does_not_modify_its_inputs() -> None:
    frames = [df.copy() for df in (PREV_CLUSTERS, PREV_RELATIONS, NEXT_CLUSTERS, NEXT_RELATIONS)]
    compare_relations()
    changes.cluster_changes(PREV_CLUSTERS, NEXT_CLUSTERS, prev_wave="w1", next_wave="w2")
    changes.headline_indicators({"w1": (PREV_CLUSTERS, PREV_RELATIONS)})
    for before, after in zip(
        frames, (PREV_CLUSTERS, PREV_RELATIONS, NEXT_CLUSTERS, NEXT_RELATIONS), strict=True
    ):
        assert_frame_equal(before, after)


def test_headline_indicators_per_wave_and_status_by_hand() -> None:
    out = changes.headline_indicators(
        {"w1": (PREV_CLUSTERS, PREV_RELATIONS), "w2": (NEXT_CLUSTERS, NEXT_RELATIONS)}
    )
    groups = ["all", "innovative", "industrial", "cdc_supported", "none"]
    indicators = [
        "clusters",
        "clusters_with_mne",
        "clusters_mne_unknown",
        "share_with_mne",
        "foreign_groups",
    ]
    # previous: 4 clusters, a b c with MNEs; foreign groups m1 m2 (a), m3 (b), m4 (c).
    # next: 4 clusters, all with MNEs; foreign groups m1 (a), m3 (b), m5 (d); m6 is Russian.
    # Every cluster's presence is known here (none unknown).
    w1 = [4, 3, 0, 0.75, 4, 1, 1, 0, 1.0, 2, 1, 1, 0, 1.0, 1, 0, 0, 0, np.nan, 0, 2, 1, 0, 0.5, 1]
    w2 = [4, 4, 0, 1.0, 3, 1, 1, 0, 1.0, 1, 1, 1, 0, 1.0, 1, 1, 1, 0, 1.0, 0, 1, 1, 0, 1.0, 1]
    expected = pd.DataFrame(
        {
            "group": [g for g in groups for _ in indicators],
            "indicator": indicators * len(groups),
            "w1": np.array(w1, dtype="float64"),
            "w2": np.array(w2, dtype="float64"),
        }
    ).astype({"group": "string", "indicator": "string"})
    assert_frame_equal(out, expected)


def test_headline_share_with_mne_counts_known_presence_only() -> None:
    # d's members were not listed and no MNE was found: unknown, not "no"
    clusters = PREV_CLUSTERS.assign(has_mne=pd.array([True, False, pd.NA, False], dtype="boolean"))
    out = changes.headline_indicators({"w1": (clusters, PREV_RELATIONS)})
    got = out.loc[out["group"] == "all"].set_index("indicator")["w1"]
    assert got["clusters"] == 4
    assert got["clusters_with_mne"] == 1
    assert got["clusters_mne_unknown"] == 1
    assert got["share_with_mne"] == 1 / 3  # 1 of the 3 known, never 1 of 4


def test_headline_indicators_follow_the_given_status_order() -> None:
    out = changes.headline_indicators(
        {"w1": (PREV_CLUSTERS, PREV_RELATIONS)},
        status_order=["industrial", "innovative", "cdc_supported", "none"],
    )
    assert list(dict.fromkeys(out["group"])) == [
        "all",
        "industrial",
        "innovative",
        "cdc_supported",
        "none",
    ]


@pytest.mark.parametrize("wave_id", ["2019", "w2021", "wave_3-b"])
def test_safe_wave_id_is_accepted(wave_id: str) -> None:
    waves_step.check_wave_id(wave_id)


@pytest.mark.parametrize("wave_id", ["2019 spring", "../2019", "-2019", "", "wave/2", "comparison"])
def test_unsafe_wave_id_is_a_config_error_naming_the_key(wave_id: str) -> None:
    with pytest.raises(ConfigError) as err:
        waves_step.check_wave_id(wave_id)
    message = str(err.value)
    assert f"waves.{wave_id}" in message
    assert "\n" not in message


def test_run_comparison_needs_two_waves(tmp_path) -> None:
    with pytest.raises(ConfigError, match="at least two waves"):
        waves_step.run_comparison(
            waves=["w1"],
            clusters=["c.parquet"],
            relations=["r.parquet"],
            out_tables=str(tmp_path / "t"),
            out_figures=str(tmp_path / "f"),
            formats=["png"],
            dpi=50,
            config={},
        )


def _run(tmp_path, out: str) -> None:
    paths = {}
    for wave, c, r in (
        ("w1", PREV_CLUSTERS, PREV_RELATIONS),
        ("w2", NEXT_CLUSTERS, NEXT_RELATIONS),
    ):
        paths[wave] = (
            tmp_path / f"{wave}_clusters.parquet",
            tmp_path / f"{wave}_relations.parquet",
        )
        c.to_parquet(paths[wave][0], index=False)
        r.to_parquet(paths[wave][1], index=False)
    waves_step.run_comparison(
        waves=["w1", "w2"],
        clusters=[str(paths[w][0]) for w in ("w1", "w2")],
        relations=[str(paths[w][1]) for w in ("w1", "w2")],
        out_tables=str(tmp_path / out / "tables"),
        out_figures=str(tmp_path / out / "figures"),
        formats=["png", "svg"],
        dpi=40,
        config={"classify": {"status_precedence": ["innovative", "industrial", "cdc_supported"]}},
    )


def test_run_comparison_writes_tables_with_provenance_and_figures(tmp_path) -> None:
    _run(tmp_path, "out")
    tables = tmp_path / "out" / "tables"
    changes = pd.read_csv(tables / "cluster_changes.csv", dtype=str, keep_default_na=False)
    assert changes[["cluster_id", "change"]].values.tolist() == [
        ["a", "region_changed"],
        ["a", "org_level_changed"],
        ["b", "renamed"],
        ["b", "status_changed"],
        ["c", "dropped"],
        ["d", "has_mne_changed"],
        ["e", "added"],
    ]
    rel = pd.read_csv(tables / "relation_changes.csv", dtype=str, keep_default_na=False)
    assert rel["change"].value_counts().to_dict() == {
        "unchanged": 2,
        "cluster_entered": 1,
        "cluster_left": 1,
        "entered": 1,
        "exited": 1,
    }
    head = pd.read_csv(tables / "headline_indicators.csv", dtype=str, keep_default_na=False)
    assert head.iloc[3].tolist() == ["all", "share_with_mne", "0.75", "1"]
    meta = json.loads((tables / "relation_changes.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["wave"] is None and meta["waves"] == ["w1", "w2"]
    assert len(meta["inputs"]) == 4
    for name in ("headline_indicators", "entries_exits"):
        for ext in ("png", "svg"):
            assert (tmp_path / "out" / "figures" / f"{name}.{ext}").stat().st_size > 0


def test_run_comparison_output_bytes_are_identical_on_rerun(tmp_path) -> None:
    _run(tmp_path, "one")
    _run(tmp_path, "two")
    for sub in ("tables", "figures"):
        first = sorted((tmp_path / "one" / sub).iterdir())
        assert first
        for path in first:
            assert path.read_bytes() == (tmp_path / "two" / sub / path.name).read_bytes(), path.name


def test_mne_outside_the_registry_is_one_relation_keyed_by_its_name() -> None:
    # Two spellings of one unregistered foreign MNE in cluster a, in both waves.
    row = ("a", "Acme GmbH", "partner", NA, NA, "ict", True, True, False)
    prev = relations_frame([row, ("a", "ACME gmbh", "member", NA, NA, "ict", True, True, True)])
    nxt = relations_frame([row])
    out = changes.relation_changes(
        PREV_CLUSTERS, prev, NEXT_CLUSTERS, nxt, prev_wave="w1", next_wave="w2"
    )
    assert len(out) == 1
    assert out.loc[0, "mne_group"].startswith("name:")
    assert pd.isna(out.loc[0, "mne_id"])
    assert out.loc[0, ["change", "prev_relation", "next_relation"]].tolist() == [
        "unchanged",
        "member",
        "partner",
    ]


def test_entries_exits_chart_keeps_clusters_that_left_apart_from_mne_exits() -> None:
    rec = {"generator": "test", "config_sha256_12": "0" * 12, "data_credit": "test"}
    fig = comparison.entries_exits_figure(compare_relations(), rec)
    texts = " ".join(t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text")))
    assert "w1 → w2: 1 entries, 1 exits; with clusters +1 / −1" in texts
    # ict: m4 went with cluster c; it is drawn beyond zero as a cluster that left.
    assert " (−1 with clusters) " in texts
    assert "−0" not in texts
