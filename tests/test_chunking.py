"""Name resolution in chunks gives the same bytes as in one piece.

The relations of a synthetic wave (benchmarks/generate.py: noisy variants of
invented firm names, typos, names in no registry, explicit ids) are resolved
whole and in chunks of several sizes; the relations and the review table must
be equal cell for cell and write byte-identical files. The workflow's classify
step, given the chunk size through the config, writes the same files as with
one chunk.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from mne_clusters.classify import step as classify_step
from mne_clusters.core import config as cfgmod
from mne_clusters.core import outputs
from mne_clusters.core.errors import DataError
from mne_clusters.names import chunking

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

CONFIG = {"matching": {"fuzzy_threshold": 92, "review_min_score": 75, "home_country": "RU"}}


@pytest.fixture(scope="module")
def wave() -> tuple[pd.DataFrame, pd.DataFrame]:
    registry = generate.make_registry(n_groups=60, seed=11)
    relations = generate.make_relations(700, registry, pool_size=150, seed=12)
    # some rows name their group, some state a country (the other two routes of match_relations)
    relations.loc[::37, "mne_id"] = registry["mne_id"].iloc[0]
    relations.loc[5::41, "hq_country"] = "DE"
    relations.loc[9::53, "hq_country"] = "RU"
    return relations, registry


def _bytes(frame: pd.DataFrame, path: Path, kind: str) -> str:
    if kind == "parquet":
        outputs.write_parquet(frame, path)
    else:
        outputs.write_csv(frame, path)
    return hashlib.sha256(path.read_bytes()).hexdigest()


# Each chunk indexes the registry again, so the tiny chunk sizes run on the
# first 60 rows only (still dozens of chunks), the others on all 700.
@pytest.mark.parametrize(
    ("rows", "size"), [(60, 1), (60, 7), (700, 100), (700, 699), (700, 700), (700, 10_000)]
)
def test_chunked_resolution_is_byte_identical_to_one_chunk(wave, rows, size, tmp_path):
    relations, registry = wave
    relations = relations.iloc[:rows]
    whole_rel, whole_review = chunking.match_in_chunks(
        relations, registry, CONFIG, file="relations.csv", size=len(relations)
    )
    rel, review = chunking.match_in_chunks(
        relations, registry, CONFIG, file="relations.csv", size=size
    )
    # the data exercise every route: exact, fuzzy, explicit, none, and a review table
    assert set(whole_rel["match_method"].dropna()) >= {"exact", "fuzzy", "explicit"}
    assert len(whole_review) > 0
    pd.testing.assert_frame_equal(rel, whole_rel)
    pd.testing.assert_frame_equal(review, whole_review)
    assert _bytes(rel, tmp_path / "a.parquet", "parquet") == _bytes(
        whole_rel, tmp_path / "b.parquet", "parquet"
    )
    assert _bytes(review, tmp_path / "a.csv", "csv") == _bytes(
        whole_review, tmp_path / "b.csv", "csv"
    )


def test_chunks_cover_every_row_once_in_order(wave):
    relations, _ = wave
    parts = chunking.chunks(relations, 300)
    assert [len(p) for p in parts] == [300, 300, 100]
    assert pd.concat(parts).index.equals(relations.index)


def test_chunk_size_comes_from_the_config_with_a_default():
    assert chunking.chunk_rows({}) == chunking.DEFAULT_CHUNK_ROWS
    # one default, written in the schema only: the package reads it from there
    schema = yaml.safe_load(cfgmod.schema_path().read_text(encoding="utf-8"))
    in_schema = schema["properties"]["scale"]["properties"]["chunk_rows"]["default"]
    assert in_schema == cfgmod.default("scale.chunk_rows") == chunking.DEFAULT_CHUNK_ROWS
    assert chunking.chunk_rows({"scale": {"chunk_rows": 5}}) == 5
    with pytest.raises(ValueError, match="at least 1"):
        chunking.chunks(pd.DataFrame({"a": [1]}), 0)


def test_unknown_ids_in_several_chunks_are_all_reported(wave):
    relations, registry = wave
    bad = relations.copy()
    bad.loc[[3, 650], "mne_id"] = ["no-such-group", "another-unknown"]
    with pytest.raises(DataError) as err:
        chunking.match_in_chunks(bad, registry, CONFIG, file="relations.csv", size=100)
    values = sorted(p.value for p in err.value.problems)
    assert values == ["another-unknown", "no-such-group"]
    assert sorted(p.row for p in err.value.problems) == [5, 652]


@pytest.mark.e2e
@pytest.mark.xdist_group("e2e-shared-runs")
@pytest.mark.parametrize("size", [2, 5])
def test_classify_step_writes_the_same_files_with_small_chunks(run_a, size, tmp_path, monkeypatch):
    """run_classify on the shared run's ingested wave, in chunks: the same bytes as the run."""
    monkeypatch.chdir(run_a)
    cfg = cfgmod.validate_config(yaml.safe_load(Path("config.yaml").read_text(encoding="utf-8")))
    assert chunking.chunk_rows(cfg) > 13  # the run resolved the wave's 13 relations at once
    cfg["scale"] = {**cfg.get("scale", {}), "chunk_rows": size}
    wave_dir = Path("data/processed/w2019")
    ref = Path("data/processed/reference")
    names = ("clusters.parquet", "relations.parquet", "review.csv", "reconciliation.csv")
    classify_step.run_classify(
        wave="w2019",
        clusters=str(wave_dir / "ingest/clusters.parquet"),
        relations=str(wave_dir / "ingest/relations.parquet"),
        row_log=str(wave_dir / "ingest/row_log.parquet"),
        registry=str(ref / "mne_registry.parquet"),
        regions=str(ref / "regions.parquet"),
        innovation_rank=str(ref / "innovation_rank.parquet"),
        investment_rank=str(ref / "investment_rank.parquet"),
        ranks_year=int(cfg["waves"]["w2019"]["ranks_year"]),
        out_clusters=str(tmp_path / names[0]),
        out_relations=str(tmp_path / names[1]),
        out_review=str(tmp_path / names[2]),
        out_reconciliation=str(tmp_path / names[3]),
        config=cfg,
    )
    assert len(pd.read_parquet(tmp_path / "relations.parquet")) > 2 * size  # several chunks
    expected = [wave_dir / n for n in names[:3]] + [wave_dir / "tables" / names[3]]
    for name, want in zip(names, expected, strict=True):
        assert (tmp_path / name).read_bytes() == want.read_bytes(), name
