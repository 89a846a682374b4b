"""Checksum manifests: reruns compared, committed table checksums checked."""

from mne_clusters.core import manifest


def test_compare_names_missing_new_and_changed_files():
    expected = {"a.csv": "1", "b.csv": "2", "c.csv": "3"}
    actual = {"a.csv": "1", "b.csv": "X", "d.csv": "4"}
    assert manifest.compare(expected, actual) == [
        "differs: b.csv",
        "missing: c.csv",
        "new, not in the manifest: d.csv",
    ]


def test_manifest_round_trips_in_sha256sum_format(tmp_path):
    entries = {"data/processed/2019/tables/b.csv": "bb", "data/processed/2019/tables/a.csv": "aa"}
    path = tmp_path / "M.sha256"
    path.write_text(manifest.format_manifest(entries), encoding="utf-8")
    assert (
        path.read_text(encoding="utf-8").splitlines()[0] == "aa  data/processed/2019/tables/a.csv"
    )
    assert manifest.read_manifest(path) == entries


def test_check_fails_when_one_table_value_is_changed_by_hand(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    table = tmp_path / "data/processed/2019/tables/mne_by_status.csv"
    table.parent.mkdir(parents=True)
    table.write_text("status,clusters\ninnovative,25\n", encoding="utf-8")
    assert manifest.main(["write"]) == 0
    assert manifest.main(["check"]) == 0
    table.write_text("status,clusters\ninnovative,26\n", encoding="utf-8")
    assert manifest.main(["check"]) == 1
    assert "differs: data/processed/2019/tables/mne_by_status.csv" in capsys.readouterr().err


def test_snapshot_covers_outputs_and_skips_placeholders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for rel in [
        "data/processed/.gitkeep",
        "data/processed/2019/clusters.parquet",
        "figures/2019/x.png",
    ]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    assert manifest.main(["snapshot", "s1"]) == 0
    assert sorted(manifest.read_manifest(tmp_path / "s1")) == [
        "data/processed/2019/clusters.parquet",
        "figures/2019/x.png",
    ]
    (tmp_path / "figures/2019/x.png").write_bytes(b"y")
    assert manifest.main(["snapshot", "s2"]) == 0
    assert manifest.main(["compare", "s1", "s2"]) == 1
