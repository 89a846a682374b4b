"""Issue 13 on the e2e test data: a wave without ``members_listed`` is read as
fully listed, so its results are those the pipeline gave before the column
existed; writing the column out as true changes nothing, and writing it false
turns every "no MNE" into "unknown" and leaves the tests nothing to compare."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from mne_clusters.analysis import association, exhibits
from mne_clusters.analysis import step as analysis_step
from mne_clusters.classify import presence
from mne_clusters.classify import step as classify_step
from mne_clusters.ingest.step import ingest_reference, ingest_wave
from mne_clusters.names.matching import match_relations

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "tests/data/config.yaml").read_text(encoding="utf-8"))


def _classified(clusters_csv: Path, wave: str = "w2019") -> tuple[pd.DataFrame, pd.DataFrame]:
    w, ref = CONFIG["waves"][wave], CONFIG["reference"]
    regions = ingest_reference("regions", ROOT / ref["regions"])
    c, r, log = ingest_wave(
        clusters=clusters_csv,
        relations=ROOT / w["relations"],
        wave_year=int(w["year"]),
        region_codes=set(regions["region_iso"]),
    )
    registry = ingest_reference("mne_registry", ROOT / ref["mne_registry"])
    ranks = {
        k: ingest_reference(f"{k}_rank", ROOT / ref[f"{k}_rank"])
        for k in ("innovation", "investment")
    }
    rel, _ = match_relations(r, registry, CONFIG, file="relations.csv")
    rel = presence.flag_duplicates(rel)
    out = classify_step.classify_clusters(
        c, rel, regions, ranks, ranks_year=w["ranks_year"], config=CONFIG
    )
    return out, rel


def _with_column(tmp_path: Path, value: str) -> Path:
    src = ROOT / CONFIG["waves"]["w2019"]["clusters"]
    frame = pd.read_csv(src, dtype=str, keep_default_na=False)
    frame.insert(frame.columns.get_loc("source") + 1, "members_listed", value)
    out = tmp_path / f"clusters_{value or 'blank'}.csv"
    frame.to_csv(out, index=False)
    return out


@pytest.fixture(scope="module")
def absent() -> tuple[pd.DataFrame, pd.DataFrame]:
    return _classified(ROOT / CONFIG["waves"]["w2019"]["clusters"])


def test_without_the_column_every_cluster_is_listed_and_presence_is_yes_or_no(absent):
    clusters, _ = absent
    assert clusters["members_listed"].tolist() == [True] * len(clusters)
    # the hand-worked e2e answer: every cluster but these three has an MNE
    no_mne = set(clusters.loc[clusters["mne_presence"] == "no", "cluster_id"])
    assert no_mne == {"ta-it", "klu-activemol", "len-auto"}
    assert set(clusters["mne_presence"]) == {"yes", "no"}
    assert clusters["has_mne"].notna().all()
    assert "unknown" not in set(clusters["status"])


def test_writing_the_column_as_true_changes_no_table_or_test(absent, tmp_path):
    listed, rel = _classified(_with_column(tmp_path, "true"))
    base, base_rel = absent
    for name in ("mne_presence", "mne_by_status", "emergence_types", "foreign_member_share"):
        got = analysis_step.compute_table(name, {"clusters": listed, "relations": rel}, CONFIG)
        want = analysis_step.compute_table(name, {"clusters": base, "relations": base_rel}, CONFIG)
        pd.testing.assert_frame_equal(got, want)
    pd.testing.assert_frame_equal(
        association.association_tests(listed, min_known=1),
        association.association_tests(base, min_known=1),
    )


@pytest.mark.parametrize("value", ["false", ""])
def test_not_listed_or_blank_makes_no_mne_unknown_and_no_test_compares_it(tmp_path, value):
    clusters, rel = _classified(_with_column(tmp_path, value))
    assert set(clusters["mne_presence"]) == {"yes", "unknown"}
    unknown = set(clusters.loc[clusters["mne_presence"] == "unknown", "cluster_id"])
    assert unknown == {"ta-it", "klu-activemol", "len-auto"}
    by_status = exhibits.mne_by_status(clusters, rel, config=CONFIG).set_index("status")
    assert by_status.loc["all", ["n_with_mne", "n_without_mne", "n_mne_unknown"]].tolist() == [
        7,
        0,
        3,
    ]
    assoc = association.association_tests(clusters, min_known=1)
    # only clusters with an MNE are known: nothing to compare, no p-value anywhere
    assert assoc["p_value"].isna().all()
    assert (assoc["n_presence_unknown"] == 3).all()
