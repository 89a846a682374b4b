"""Provenance and referential checks on the researcher's raw tables under data/raw.

Every fact in the raw tables must say where it comes from, and the tables must
point at each other consistently: relations at clusters of the same wave, MNE ids
at the registry. The checks are small functions so that they can be shown to
catch a broken frame before they are run on the real files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"

# Tables that have no `source` column, and why that is acceptable.
NO_SOURCE_COLUMN = {
    "reference/regions.csv": (
        "regions.csv has no source column: its provenance (ISO codes from pycountry, "
        "Russian names from Art. 65 of the Constitution, federal districts as of 2019) "
        "is documented in data/raw/README.md"
    ),
    "published/2019-bremen-slides.csv": (
        "the figures the 2019 Bremen slides publish: the whole table has one source, "
        "the study, and each row names its slide in the `slide` column"
    ),
    "reference/mne_registry.csv": (
        "the registry has no source column: each group is checked instead to be "
        "referenced by at least one sourced relation"
    ),
}

WAVE_DIRS = sorted(p for p in (RAW / "waves").iterdir() if p.is_dir())
SOURCED_TABLES = sorted(
    [p for wave in WAVE_DIRS for p in wave.glob("*.csv")]
    + list((RAW / "reference").glob("innovation_rank*.csv"))
    + [RAW / "reference" / "investment_rank.csv"]
)


def _rel(path: Path) -> str:
    return path.relative_to(RAW).as_posix()


def read_raw(path: Path) -> pd.DataFrame:
    """Read a raw CSV as text, keeping empty cells as empty strings."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def rows_without_source(frame: pd.DataFrame) -> list[int]:
    """Spreadsheet row numbers (header = row 1) whose `source` is blank."""
    blank = frame["source"].str.strip() == ""
    return [int(i) + 2 for i in frame.index[blank]]


def duplicated_ids(ids: pd.Series) -> list[str]:
    """Ids that occur more than once, sorted."""
    return sorted(set(ids[ids.duplicated()]))


def unknown_references(refs: pd.Series, known: set[str]) -> list[str]:
    """Non-empty references that are not among the known ids, sorted."""
    return sorted({r for r in refs if r != "" and r not in known})


def registry_groups_without_sourced_relation(
    registry: pd.DataFrame, relations: pd.DataFrame
) -> list[str]:
    """Registry mne_ids that no relation with a non-blank source names."""
    sourced = relations[relations["source"].str.strip() != ""]
    used = set(sourced["mne_id"])
    return sorted(m for m in registry["mne_id"] if m not in used)


def _all_relations() -> pd.DataFrame:
    frames = [
        read_raw(p)[["cluster_id", "mne_id", "source"]]
        for wave in WAVE_DIRS
        for p in (wave / "relations.csv", wave / "excluded_relations.csv")
        if p.exists()
    ]
    return pd.concat(frames, ignore_index=True)


# --- the checks catch broken frames -------------------------------------------------


def test_rows_without_source_reports_blank_and_whitespace_cells_by_spreadsheet_row():
    frame = pd.DataFrame({"source": ["http://a", "", "  ", "b"]})
    assert rows_without_source(frame) == [3, 4]


def test_duplicated_ids_names_each_repeated_id_once():
    assert duplicated_ids(pd.Series(["a", "b", "a", "c", "a", "b"])) == ["a", "b"]


def test_unknown_references_ignores_blanks_and_names_missing_ids():
    refs = pd.Series(["x", "", "y", "z", "y"])
    assert unknown_references(refs, {"x"}) == ["y", "z"]


def test_registry_group_named_only_by_unsourced_relation_is_reported():
    registry = pd.DataFrame({"mne_id": ["bosch", "siemens", "teva"]})
    relations = pd.DataFrame(
        {"mne_id": ["bosch", "siemens", ""], "source": ["http://x", " ", "http://y"]}
    )
    assert registry_groups_without_sourced_relation(registry, relations) == [
        "siemens",
        "teva",
    ]


# --- the real raw tables ------------------------------------------------------------


def test_there_is_at_least_one_wave_with_clusters_and_relations():
    assert WAVE_DIRS, "no wave folder under data/raw/waves"
    for wave in WAVE_DIRS:
        assert (wave / "clusters.csv").exists(), wave
        assert (wave / "relations.csv").exists(), wave


def test_every_raw_table_has_a_source_column_or_a_stated_exemption():
    tables = sorted(RAW.rglob("*.csv"))
    lacking = [
        _rel(p)
        for p in tables
        if "source" not in read_raw(p).columns and _rel(p) not in NO_SOURCE_COLUMN
    ]
    assert lacking == []


@pytest.mark.parametrize("path", SOURCED_TABLES, ids=_rel)
def test_every_row_carries_a_non_empty_source(path):
    frame = read_raw(path)
    assert len(frame) > 0, f"{_rel(path)} has no rows"
    assert rows_without_source(frame) == [], f"{_rel(path)}: rows without source"


@pytest.mark.parametrize("wave", WAVE_DIRS, ids=lambda p: p.name)
def test_cluster_ids_are_unique_across_a_waves_kept_and_excluded_clusters(wave):
    ids = pd.concat(
        [
            read_raw(p)["cluster_id"]
            for p in (wave / "clusters.csv", wave / "excluded_clusters.csv")
            if p.exists()
        ],
        ignore_index=True,
    )
    assert duplicated_ids(ids) == []


@pytest.mark.parametrize("wave", WAVE_DIRS, ids=lambda p: p.name)
def test_relations_point_at_clusters_of_the_same_wave(wave):
    kept = set(read_raw(wave / "clusters.csv")["cluster_id"])
    refs = read_raw(wave / "relations.csv")["cluster_id"]
    assert unknown_references(refs, kept) == []


@pytest.mark.parametrize("wave", WAVE_DIRS, ids=lambda p: p.name)
def test_excluded_relations_point_at_clusters_of_the_same_wave(wave):
    path = wave / "excluded_relations.csv"
    if not path.exists():
        pytest.skip(f"{wave.name} has no excluded_relations.csv")
    known = set(read_raw(wave / "clusters.csv")["cluster_id"])
    excluded_clusters = wave / "excluded_clusters.csv"
    if excluded_clusters.exists():
        known |= set(read_raw(excluded_clusters)["cluster_id"])
    assert unknown_references(read_raw(path)["cluster_id"], known) == []


def test_registry_mne_ids_are_unique():
    registry = read_raw(RAW / "reference" / "mne_registry.csv")
    assert duplicated_ids(registry["mne_id"]) == []


def test_mne_ids_in_relations_exist_in_the_registry():
    known = set(read_raw(RAW / "reference" / "mne_registry.csv")["mne_id"])
    assert unknown_references(_all_relations()["mne_id"], known) == []


def test_every_registry_group_is_referenced_by_a_sourced_relation():
    registry = read_raw(RAW / "reference" / "mne_registry.csv")
    assert registry_groups_without_sourced_relation(registry, _all_relations()) == []
