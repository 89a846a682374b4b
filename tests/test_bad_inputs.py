"""The bad-input corpus (tests/bad_inputs/): exact messages, exit status, no outputs.

Each case of ``cases.yaml`` is validated through ``cli.main`` from a copy of the
corpus folder; the printed lines must equal the manifest's. Every failing case
is also run through ``run_wave`` or ``run_reference``, which must raise a
DataError and write nothing.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
import yaml

from mne_clusters import cli
from mne_clusters.core.config import file_path
from mne_clusters.core.errors import DataError
from mne_clusters.ingest.step import run_reference, run_wave

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
FAILING = [c for c in CASES if c["exit"] != 0]


def _make_cases():
    spec = importlib.util.spec_from_file_location("make_cases", CORPUS / "make_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad_inputs")
    shutil.copytree(CORPUS, folder, dirs_exist_ok=True)
    _make_cases().build(folder)
    run_reference(
        table="regions",
        path=str(folder / "ref" / "regions.csv"),
        out=str(folder / "regions.parquet"),
    )
    return folder


def _argv(case: dict) -> list[str]:
    argv = ["validate", case["target"], "--config", "config.yaml"]
    if "table" in case:
        argv += ["--table", case["table"]]
    if "wave_year" in case:
        argv += ["--wave-year", str(case["wave_year"])]
    return argv


def test_every_committed_case_file_is_in_the_manifest_or_a_wave():
    committed = {p.name for p in CORPUS.glob("*.csv")}
    config = yaml.safe_load((CORPUS / "config.yaml").read_text(encoding="utf-8"))
    in_waves = {
        file_path(w[t]) for w in config["waves"].values() for t in ("clusters", "relations")
    }
    assert committed - in_waves <= {c["target"] for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_validate_prints_the_expected_lines_and_exit_status(case, corpus, monkeypatch, capsys):
    monkeypatch.chdir(corpus)
    status = cli.main(_argv(case))
    captured = capsys.readouterr()
    assert captured.out.splitlines() == case["lines"]
    assert status == case["exit"]
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("case", FAILING, ids=[c["id"] for c in FAILING])
def test_failing_case_raises_data_error_and_writes_nothing(case, corpus, monkeypatch, tmp_path):
    monkeypatch.chdir(corpus)
    out = tmp_path / "out"
    table = case.get("table")
    with pytest.raises(DataError):
        if table in (None, "clusters", "relations"):
            if table is None:
                config = yaml.safe_load(Path("config.yaml").read_text(encoding="utf-8"))
                wave = config["waves"][case["target"]]
                clusters, relations = file_path(wave["clusters"]), file_path(wave["relations"])
            elif table == "clusters":
                clusters, relations = case["target"], "good/relations.csv"
            else:
                clusters, relations = "good/clusters.csv", case["target"]
            run_wave(
                wave="bad",
                wave_year=2019,
                clusters=clusters,
                relations=relations,
                regions="regions.parquet",
                out_clusters=str(out / "clusters.parquet"),
                out_relations=str(out / "relations.parquet"),
                out_row_log=str(out / "row_log.parquet"),
            )
        else:
            run_reference(
                table=table,
                path=case["target"],
                out=str(out / f"{table}.parquet"),
                regions="regions.parquet",
            )
    assert not out.exists() or sorted(out.iterdir()) == []
