"""End to end: waves added in any order, through config.yaml or a --configfile overlay.

However a later wave is added - listed before the earlier one in config.yaml,
or merged over config.yaml by ``snakemake --configfile`` - the workflow
compares the two waves earlier → later and says so in each comparison table's
provenance. Runs only up to the comparison tables, on tests/data.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from workflow_runs import shared_folder

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile")]
COMPARISON = ["relation_changes", "cluster_changes", "headline_indicators"]

pytestmark = pytest.mark.e2e


def data_config() -> dict:
    return yaml.safe_load((ROOT / "tests/data/config.yaml").read_text(encoding="utf-8"))


def run_comparison(work: Path, main: dict, overlay: dict | None) -> subprocess.CompletedProcess:
    shutil.copytree(ROOT / "tests" / "data", work / "tests" / "data")
    return run_comparison_in(work, main, overlay)


def run_comparison_in(
    work: Path, main: dict, overlay: dict | None = None
) -> subprocess.CompletedProcess:
    """Run the workflow up to the comparison tables in ``work`` (tests/data already there)."""
    (work / "config.yaml").write_text(yaml.safe_dump(main, sort_keys=False), encoding="utf-8")
    args = []
    if overlay is not None:
        (work / "my-config.yaml").write_text(
            yaml.safe_dump(overlay, sort_keys=False), encoding="utf-8"
        )
        args = ["--configfile", "my-config.yaml"]
    targets = [f"data/processed/comparison/{t}.csv" for t in COMPARISON]
    proc = subprocess.run(
        [*SNAKEMAKE, "-d", str(work), "--cores", "2", *targets, *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=work,  # --configfile is relative to the working directory
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return proc


def layouts() -> dict[str, tuple[dict, dict | None]]:
    """Ways of adding the later wave w2021 to a project of the earlier w2019."""
    cfg = data_config()
    early, late = cfg["waves"]["w2019"], cfg["waves"]["w2021"]
    later_first = dict(cfg, waves={"w2021": late, "w2019": early})
    only_early = dict(cfg, waves={"w2019": early})
    only_late = dict(cfg, waves={"w2021": late}, replication_wave="w2021")
    return {
        "config.yaml, later wave listed first": (later_first, None),
        "config.yaml, later wave listed last": (cfg, None),
        "--configfile adds the later wave": (only_early, {"waves": {"w2021": late}}),
        # config.yaml lists the later wave; the overlay adds the earlier one after it.
        "--configfile adds the earlier wave": (
            only_late,
            {"waves": {"w2019": early}, "replication_wave": "w2019"},
        ),
    }


@pytest.fixture(scope="session")
def runs(tmp_path_factory, run_a) -> dict[str, Path]:
    """Each layout run up to the comparison tables, once per session whichever
    worker asks first (:func:`shared_folder`). The layout that is
    tests/data's own config.yaml is the session's shared run of both waves
    (run once for every end-to-end test, read only here)."""
    out = {}
    for i, (name, (main, overlay)) in enumerate(layouts().items()):
        if overlay is None and main == data_config():
            out[name] = run_a
            continue
        out[name] = shared_folder(
            tmp_path_factory,
            f"layout{i}",
            lambda work, main=main, overlay=overlay: run_comparison(work, main, overlay),
        )
    return out


@pytest.mark.xdist_group("e2e-wave-layouts")
def test_every_layout_compares_earlier_to_later(runs):
    for name, work in runs.items():
        changes = pd.read_csv(work / "data/processed/comparison/relation_changes.csv")
        assert set(changes["prev_wave"]) == {"w2019"}, name
        assert set(changes["next_wave"]) == {"w2021"}, name
        head = pd.read_csv(work / "data/processed/comparison/headline_indicators.csv")
        assert list(head.columns[-2:]) == ["w2019", "w2021"], name


@pytest.mark.xdist_group("e2e-wave-layouts")
def test_every_layout_gives_the_same_comparison_bytes(runs):
    first, *others = runs.values()
    for name in COMPARISON:
        expected = (first / f"data/processed/comparison/{name}.csv").read_bytes()
        for work in others:
            assert (work / f"data/processed/comparison/{name}.csv").read_bytes() == expected


@pytest.mark.xdist_group("e2e-wave-layouts")
def test_cluster_that_left_is_dropped_not_added(runs):
    # tests/data: 'ta-it' is in w2019 only and 'niz-auto-industrial' in w2021 only.
    for name, work in runs.items():
        changes = pd.read_csv(work / "data/processed/comparison/cluster_changes.csv")
        kinds = changes.groupby("cluster_id")["change"].agg(set)
        assert kinds["ta-it"] == {"dropped"}, name
        assert kinds["niz-auto-industrial"] == {"added"}, name


@pytest.mark.xdist_group("e2e-wave-layouts")
def test_provenance_of_each_comparison_table_states_the_direction(runs):
    for work in runs.values():
        for name in COMPARISON:
            meta = json.loads(
                (work / f"data/processed/comparison/{name}.csv.meta.json").read_text("utf-8")
            )
            assert meta["waves"] == ["w2019", "w2021"]
            assert meta["pairs"] == ["w2019 (2019) → w2021 (2021)"]
            assert meta["direction"].startswith("earlier → later")
            assert "earlier → later: w2019 (2019) → w2021 (2021)" in meta["description"]


def test_ranks_year_missing_from_a_ranking_is_a_warning_on_the_terminal_of_both_commands(
    tmp_path,
):
    cfg = data_config()
    cfg["waves"]["w2021"]["ranks_year"] = 2016
    work = tmp_path
    shutil.copytree(ROOT / "tests" / "data", work / "tests" / "data")
    # Investment gets a 2016 row (a copy of a 2015 row); innovation has 2015 and 2017 only.
    investment = work / "tests/data/reference/investment_rank.csv"
    lines = investment.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.append(lines[1].replace(",2015,", ",2016,", 1))
    investment.write_text("".join(lines), encoding="utf-8")
    (work / "config.yaml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    expected = (
        "waves.w2021.ranks_year: 2016 has no rows in innovation_rank "
        "(tests/data/reference/innovation_rank.csv), which has 2015, 2017: every region's "
        "innovation rank and top-N flag in wave w2021 will be unknown"
    )

    validate = subprocess.run(
        [sys.executable, "-m", "mne_clusters.cli", "validate", "w2021"],
        capture_output=True,
        text=True,
        cwd=work,
        timeout=300,
    )
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert f"WARNING: {expected}" in validate.stderr

    proc = subprocess.run(
        [*SNAKEMAKE, "-d", str(work), "--cores", "1", "data/processed/w2021/clusters.parquet"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    # Snakemake shows the classify job's stderr on the terminal (stderr).
    assert f"WARNING mne_clusters.classify.step: {expected}" in proc.stderr
    investment_rank = pd.read_parquet(work / "data/processed/w2021/clusters.parquet")
    assert investment_rank["innovation_top"].eq("unknown").all()
    assert investment_rank["investment_top"].ne("unknown").any()


def test_cluster_with_mne_relations_that_leaves_the_survey_is_no_mne_exit(tmp_path):
    # In this copy yar-pharma (two rows tied to Takeda in w2019) is not surveyed in w2021.
    work = tmp_path
    shutil.copytree(ROOT / "tests" / "data", work / "tests" / "data")
    for table in ("clusters", "relations"):
        path = work / f"tests/data/waves/w2021/{table}.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith("yar-pharma,")]
        assert len(kept) < len(lines)
        path.write_text("".join(kept), encoding="utf-8")
    proc = run_comparison_in(work, data_config())
    assert proc.returncode == 0
    rel = pd.read_csv(work / "data/processed/comparison/relation_changes.csv")
    yar = rel.loc[rel["cluster_id"] == "yar-pharma"]
    assert yar[["mne_group", "change", "cluster_presence"]].values.tolist() == [
        ["takeda", "cluster_left", "dropped"]
    ]
    # The only MNE exit is pfizer leaving klu-pharma, which stays in the survey.
    exits = rel.loc[rel["change"] == "exited", ["cluster_id", "mne_group"]]
    assert exits.values.tolist() == [["klu-pharma", "pfizer"]]
    changes = pd.read_csv(work / "data/processed/comparison/cluster_changes.csv")
    assert changes.loc[changes["cluster_id"] == "yar-pharma", "change"].tolist() == ["dropped"]
