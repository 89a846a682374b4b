"""Reconciliation: every input row is kept, merged as a duplicate, or excluded."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from mne_clusters.classify.reconcile import reconcile
from mne_clusters.classify.step import run_classify
from mne_clusters.core.errors import DataError
from mne_clusters.ingest.step import ingest_wave

ROOT = Path(__file__).resolve().parents[1]
CLUSTERS_CSV = "data/raw/waves/2019/clusters.csv"
RELATIONS_CSV = "data/raw/waves/2019/relations.csv"


def row_log(*rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["table", "file", "source_row", "outcome", "reason"])
    return frame.astype(
        {
            "table": "string",
            "file": "string",
            "source_row": "Int64",
            "outcome": "string",
            "reason": "string",
        }
    )


def small_clusters() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "cluster_id": pd.array(["yar-pharma"], dtype="string"),
            "source_row": pd.array([2], dtype="Int64"),
        }
    )


def small_relations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "cluster_id": pd.array(["yar-pharma"] * 2, dtype="string"),
            "organisation": pd.array(["«Такеда»", "Nycomed"], dtype="string"),
            "mne_id": pd.array(["takeda", "takeda"], dtype="string"),
            "is_duplicate": [False, True],
            "duplicate_of_row": pd.array([None, 2], dtype="Int64"),
            "source_row": pd.array([2, 3], dtype="Int64"),
        }
    )


def small_log() -> pd.DataFrame:
    return row_log(
        ("clusters", "clusters.csv", 2, "kept", None),
        ("clusters", "clusters.csv", 3, "excluded", "not a cluster initiative"),
        ("relations", "relations.csv", 2, "kept", None),
        ("relations", "relations.csv", 3, "kept", None),
    )


def test_every_logged_row_gets_one_outcome() -> None:
    out = reconcile(small_log(), small_clusters(), small_relations())
    assert out[["table", "source_row", "cluster_id", "organisation", "outcome"]].to_dict(
        "list"
    ) == {
        "table": ["clusters", "clusters", "relations", "relations"],
        "source_row": [2, 3, 2, 3],
        "cluster_id": ["yar-pharma", None, "yar-pharma", "yar-pharma"],
        "organisation": [None, None, "«Такеда»", "Nycomed"],
        "outcome": ["kept", "excluded", "kept", "merged_duplicate"],
    }


def test_excluded_row_keeps_ingests_reason() -> None:
    out = reconcile(small_log(), small_clusters(), small_relations())
    assert out.loc[1, "reason"] == "not a cluster initiative"


def test_merged_duplicate_names_the_row_it_merges_into() -> None:
    out = reconcile(small_log(), small_clusters(), small_relations())
    assert out.loc[3, "reason"] == "same cluster and MNE group (takeda) as row 2; counted once"


def test_kept_row_missing_from_its_table_is_an_error() -> None:
    relations = small_relations().iloc[:1]
    with pytest.raises(DataError) as err:
        reconcile(small_log(), small_clusters(), relations)
    assert [(p.file, p.row) for p in err.value.problems] == [("relations.csv", 3)]


def test_table_row_missing_from_the_log_is_an_error() -> None:
    log = small_log().iloc[[0, 1, 2]]
    with pytest.raises(DataError) as err:
        reconcile(log, small_clusters(), small_relations())
    assert [(p.file, p.row) for p in err.value.problems] == [("relations.csv", 3)]


def test_row_logged_twice_is_an_error() -> None:
    log = pd.concat([small_log(), small_log().iloc[[0]]], ignore_index=True)
    with pytest.raises(DataError) as err:
        reconcile(log, small_clusters(), small_relations())
    assert [(p.file, p.row) for p in err.value.problems] == [("clusters.csv", 2)]


# --- run_classify on the default data -----------------------------------------


def _read(path: str) -> pd.DataFrame:
    return pd.read_csv(ROOT / path, dtype="string", keep_default_na=False).replace("", pd.NA)


def _ranking(path: str) -> pd.DataFrame:
    table = _read(path)
    band = table["rank"].str.split("-", expand=True)
    return table.assign(
        year=table["year"].astype("Int64"),
        rank_low=band[0].astype("Int64"),
        rank_high=band[1].fillna(band[0]).astype("Int64"),
    )


@pytest.fixture(scope="module")
def default_run(tmp_path_factory) -> Path:
    """Ingest-shaped parquet of data/raw, classified once into a temporary folder."""
    d = tmp_path_factory.mktemp("classify")
    # typed as ingest types them (flags nullable, founding ranges split)
    clusters, relations, log = ingest_wave(
        clusters=ROOT / CLUSTERS_CSV,
        relations=ROOT / RELATIONS_CSV,
        wave_year=2019,
        region_codes=None,
    )
    log = log.assign(
        file=log["table"]
        .map({"clusters": CLUSTERS_CSV, "relations": RELATIONS_CSV})
        .astype("string")
    )
    frames = {
        "clusters": clusters,
        "relations": relations,
        "row_log": log,
        "registry": _read("data/raw/reference/mne_registry.csv"),
        "regions": _read("data/raw/reference/regions.csv"),
        "innovation_rank": _ranking("data/raw/reference/innovation_rank.csv"),
        "investment_rank": _ranking("data/raw/reference/investment_rank.csv"),
    }
    paths = {k: str(d / f"{k}.parquet") for k in frames}
    for k, frame in frames.items():
        frame.to_parquet(paths[k])
    for run in ("a", "b"):
        run_classify(
            wave="2019",
            ranks_year=2015,
            out_clusters=str(d / run / "clusters.parquet"),
            out_relations=str(d / run / "relations.parquet"),
            out_review=str(d / run / "review.csv"),
            out_reconciliation=str(d / run / "tables" / "reconciliation.csv"),
            config={},
            **paths,
        )
    return d


def test_default_data_every_relation_row_is_accounted_for(default_run: Path) -> None:
    recon = pd.read_csv(default_run / "a" / "tables" / "reconciliation.csv")
    relations = recon[recon["table"] == "relations"]
    n_rows = len(_read(RELATIONS_CSV))
    assert relations["source_row"].tolist() == list(range(2, n_rows + 2))
    merged = relations[relations["outcome"] == "merged_duplicate"]
    # Mitsubishi Fuso (Daimler subsidiary) after DK RUS in INNOKAM; Nycomed after «Такеда»
    assert merged[["source_row", "organisation"]].values.tolist() == [
        [24, "Mitsubishi Fuso Truck and Bus"],
        [45, "Nycomed"],
    ]
    assert (relations["outcome"] == "kept").sum() == n_rows - 2


def test_default_data_review_lists_nothing(default_run: Path) -> None:
    review = pd.read_csv(default_run / "a" / "review.csv")
    assert review.empty
    assert review.columns[-1] == "confirm_mne_id"


def test_default_data_keeps_unknown_roles_visible(default_run: Path) -> None:
    relations = pd.read_parquet(default_run / "a" / "relations.parquet")
    raw = _read(RELATIONS_CSV)
    assert (relations["relation"] == "unknown").sum() == (raw["relation"] == "unknown").sum() > 0
    clusters = pd.read_parquet(default_run / "a" / "clusters.parquet").set_index("cluster_id")
    assert clusters.loc["len-auto", ["has_mne_unknown_role", "n_mne_relations"]].tolist() == [
        True,
        4,
    ]
    assert clusters.loc["yar-pharma", "n_mne_relations"] == 2


def test_reconciliation_has_a_provenance_sidecar(default_run: Path) -> None:
    meta = json.loads(
        (default_run / "a" / "tables" / "reconciliation.csv.meta.json").read_text("utf-8")
    )
    assert meta["wave"] == "2019"
    assert meta["counts"]["relations:merged_duplicate"] == 2


def test_two_runs_write_identical_bytes(default_run: Path) -> None:
    for name in ("clusters.parquet", "relations.parquet", "review.csv"):
        assert (default_run / "a" / name).read_bytes() == (default_run / "b" / name).read_bytes()
    recon = Path("tables") / "reconciliation.csv"
    assert (default_run / "a" / recon).read_bytes() == (default_run / "b" / recon).read_bytes()


def test_default_data_flags_the_two_2020_relations_and_keeps_them(default_run: Path) -> None:
    # classify.after_survey defaults to keep: the rows stay, flagged and counted
    relations = pd.read_parquet(default_run / "a" / "relations.parquet")
    flagged = relations.loc[relations["after_survey"], ["cluster_id", "organisation"]]
    assert flagged.values.tolist() == [["sam-kapso", "Brose"], ["sam-kapso", "Sumiriko"]]
    recon = pd.read_csv(default_run / "a" / "tables" / "reconciliation.csv")
    after = recon.loc[recon["reason"].fillna("").str.startswith("after_survey")]
    assert after["outcome"].tolist() == ["kept", "kept"]
    meta = json.loads(
        (default_run / "a" / "tables" / "reconciliation.csv.meta.json").read_text("utf-8")
    )
    assert meta["counts"]["relations:after_survey"] == 2


def test_default_wave_presence_is_yes_or_unknown_never_a_false_no(default_run: Path) -> None:
    clusters = pd.read_parquet(default_run / "a" / "clusters.parquet").set_index("cluster_id")
    # no 2019 row says its full member list was read: no cluster can be "no"
    assert clusters["members_listed"].eq(False).all()
    assert clusters["mne_presence"].value_counts().to_dict() == {"unknown": 105, "yes": 20}
    assert clusters.loc[clusters["mne_presence"] == "yes", "has_mne"].all()
    assert clusters.loc[clusters["mne_presence"] == "unknown", "has_mne"].isna().all()


def test_default_wave_status_is_unknown_where_unverified_flags_could_change_it(
    default_run: Path,
) -> None:
    clusters = pd.read_parquet(default_run / "a" / "clusters.parquet").set_index("cluster_id")
    # alt-altaibio: innovative (verified true) -> innovative whatever the others say
    assert clusters.loc["alt-altaibio", "status"] == "innovative"
    # ark-shipbuilding is innovative too; klu-auto has every flag but innovative unverified
    assert clusters.loc["klu-auto", "status"] == "unknown"
    assert pd.isna(clusters.loc["klu-auto", "is_industrial"])
    # 'none' needs every flag known false: no 2019 cluster qualifies
    assert (clusters["status"] == "none").sum() == 0
    assert clusters["status"].value_counts().to_dict() == {
        "unknown": 83,
        "innovative": 25,
        "industrial": 17,
    }


def test_default_wave_founding_range_and_filled_year(default_run: Path) -> None:
    clusters = pd.read_parquet(default_run / "a" / "clusters.parquet").set_index("cluster_id")
    pharma = clusters.loc["klu-pharma"]
    assert pd.isna(pharma["founded_year"]) and pharma["founded_year_text"] == "2006-2012"
    assert (pharma["founded_year_low"], pharma["founded_year_high"]) == (2006, 2012)
    assert pharma["founding_period"] == "new"  # the whole range is after 1998
    assert clusters.loc["sam-kapso", "founded_year"] == 2016
