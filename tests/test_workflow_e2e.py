"""End to end: the real Snakemake workflow on the small two-wave dataset (tests/data).

Each test runs `snakemake` as a user would, in a temporary folder that holds a
copy of tests/data, and checks what it wrote: content, not only existence.
Tests that only read a run's outputs share one run per session (``run_a``,
``run_w2019`` in conftest.py); a test that changes a run works on a copy.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from workflow_runs import SNAKEMAKE, copy_run, hashes, make_project, snakemake

ROOT = Path(__file__).resolve().parents[1]

# Tests that read the shared runs go to one xdist worker (--dist loadgroup, see
# pyproject.toml), so the runs are made once; the tests that make their own full
# run are groups of their own and run on the other worker meanwhile.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e-shared-runs")]


def test_every_wave_output_and_the_comparison_are_written(run_a):
    for wave in ("w2019", "w2021"):
        for rel in (
            "clusters.parquet",
            "relations.parquet",
            "review.csv",
            "findings.html",
            "tables/mne_by_status.csv",
            "tables/replication.csv",
            "tables/association_tests.csv",
            "tables/reconciliation.csv",
        ):
            assert (run_a / "data/processed" / wave / rel).is_file(), rel
        assert (run_a / f"figures/{wave}/map_mne_by_region.png").is_file()
        assert (run_a / f"figures/{wave}/chicken_or_egg.svg").is_file()
    assert (run_a / "data/processed/comparison/relation_changes.csv").is_file()
    assert (run_a / "figures/comparison/headline_indicators.png").is_file()


def test_classified_clusters_match_the_hand_worked_statuses(run_a):
    clusters = pd.read_parquet(run_a / "data/processed/w2019/clusters.parquet")
    assert len(clusters) == 10
    assert clusters["status"].value_counts().to_dict() == {
        "innovative": 4,
        "none": 4,
        "industrial": 1,
        "cdc_supported": 1,
    }
    with_mne = set(clusters.loc[clusters["has_mne"], "cluster_id"])
    assert with_mne == set(clusters["cluster_id"]) - {"ta-it", "klu-activemol", "len-auto"}
    # The extra column of the input passes through untouched.
    assert "notes" in clusters.columns


def test_relations_resolve_to_the_hand_worked_groups(run_a):
    rel = pd.read_parquet(run_a / "data/processed/w2019/relations.parquet")
    assert len(rel) == 13
    assert set(rel.loc[rel["is_mne"], "mne_id"]) == {
        "novo-nordisk",
        "astrazeneca",
        "pfizer",
        "volkswagen",
        "continental",
        "daimler",
        "novartis",
        "toyota",
        "takeda",
    }
    assert not rel.loc[rel["organisation"].str.contains("НИАРМЕДИК"), "is_mne"].any()


def test_every_input_row_is_accounted_for(run_a):
    rec = pd.read_csv(run_a / "data/processed/w2019/tables/reconciliation.csv")
    assert (rec["table"] == "clusters").sum() == 10
    assert (rec["table"] == "relations").sum() == 13
    assert (rec["outcome"] == "merged_duplicate").sum() == 1


def test_mne_by_status_table_has_the_hand_worked_counts(run_a):
    table = pd.read_csv(run_a / "data/processed/w2019/tables/mne_by_status.csv")
    by_status = table.set_index("status")
    assert by_status.loc["innovative", "n_clusters"] == 4
    assert by_status.loc["none", "n_clusters"] == 4
    assert by_status.loc["all", "n_clusters"] == 10
    assert by_status.loc["all", "n_with_mne"] == 7


def test_tables_carry_provenance_sidecars(run_a):
    meta = yaml.safe_load(
        (run_a / "data/processed/w2019/tables/mne_by_status.csv.meta.json").read_text("utf-8")
    )
    assert meta["wave"] == "w2019"
    assert meta["generator"].startswith("mne-clusters ")
    assert any(i["path"].endswith("clusters.parquet") for i in meta["inputs"])


def test_second_run_has_nothing_to_do(run_a):
    proc = snakemake(run_a, "-n")
    assert "Nothing to be done" in proc.stdout + proc.stderr


def _planned_jobs(proc: subprocess.CompletedProcess) -> dict[str, int]:
    """Rule -> job count from the "Job stats" table of a dry run ({} if nothing to do)."""
    text = proc.stdout + proc.stderr
    if "Job stats:" not in text:
        return {}
    table = text.split("Job stats:", 1)[1].split("total", 1)[0]
    return {m[1]: int(m[2]) for m in re.finditer(r"^(\w+)\s+(\d+)\s*$", table, flags=re.M)}


def _project_copy(dest: Path) -> Path:
    """A copy of the workflow and package code, to edit without touching the repository."""
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "Snakefile", dest / "Snakefile")
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for sub in ("workflow", "src", "profiles"):
        shutil.copytree(ROOT / sub, dest / sub, ignore=skip)
    return dest / "Snakefile"


def test_editing_a_shared_plotting_helper_reruns_the_charts(run_a, tmp_path):
    snakefile = _project_copy(tmp_path / "code")
    work = copy_run(run_a, tmp_path / "work")
    assert _planned_jobs(snakemake(work, "-n", snakefile=snakefile)) == {}
    # one line added inside _hbar, the bar-chart helper most charts share
    figures = tmp_path / "code/src/mne_clusters/plotting/charts.py"
    source = figures.read_text(encoding="utf-8")
    hbar = next(
        n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name == "_hbar"
    )
    lines = source.splitlines(keepends=True)
    indent = " " * hbar.body[-1].col_offset
    lines.insert(hbar.body[-1].lineno - 1, f"{indent}_edited = True  # noqa: F841\n")
    figures.write_text("".join(lines), encoding="utf-8")
    planned = _planned_jobs(snakemake(work, "-n", snakefile=snakefile))
    # the figures of both waves are redrawn (the map's job imports the charts
    # module too), then what gathers everything (the comparison charts use the
    # helper too); no table or statistic is recomputed
    assert planned.get("plotting") == 2
    assert not {"reference", "wave", "analysis"} & set(planned)


@pytest.mark.xdist_group("e2e-second-run")
def test_two_runs_give_identical_bytes(request, tmp_path):
    work = make_project(tmp_path)
    snakemake(work, cache="own")  # everything drawn afresh, in this process tree
    # the shared run is asked for only now: this run does not wait for it
    assert hashes(work) == hashes(request.getfixturevalue("run_a"))


@pytest.mark.xdist_group("e2e-interrupted-run")
def test_interrupted_run_restarted_gives_the_same_bytes(request, tmp_path):
    # one wave: the interruption and the restart do not depend on the number of waves
    work = make_project(tmp_path, waves=["w2019"])
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.Popen(
        [*SNAKEMAKE, "-d", str(work), "--cores", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    marker = work / "data/processed/w2019/clusters.parquet"
    deadline = time.monotonic() + 300
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert proc.poll() is None, "the workflow ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=120)
    assert proc.returncode != 0
    snakemake(work, "--rerun-incomplete")
    assert hashes(work) == hashes(request.getfixturevalue("run_w2019"))


def test_removing_a_wave_removes_it_from_the_outputs_and_the_report(run_w2019):
    work = run_w2019
    front = (work / "data/processed/report/front.html").read_text(encoding="utf-8")
    assert "w2019" in front
    assert "w2021" not in front
    assert not (work / "data/processed/comparison").exists()
    assert not (work / "data/processed/w2021").exists()


def test_adding_a_wave_reruns_nothing_of_the_other_wave(run_w2019, tmp_path):
    work = copy_run(run_w2019, tmp_path / "work")
    outputs = [p for p in sorted((work / "data/processed/w2019").rglob("*")) if p.is_file()]
    outputs += sorted((work / "figures/w2019").rglob("*"))
    before = {p: p.stat().st_mtime_ns for p in outputs}
    cfg = yaml.safe_load((ROOT / "tests/data/config.yaml").read_text(encoding="utf-8"))
    # The new wave also brings its own registry (a newer edition) for itself only.
    registry = work / "tests/data/reference/mne_registry_2021.csv"
    shutil.copy(work / "tests/data/reference/mne_registry.csv", registry)
    cfg["waves"]["w2021"]["reference"] = {"mne_registry": str(registry.relative_to(work))}
    (work / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    snakemake(work)
    assert {p: p.stat().st_mtime_ns for p in outputs} == before
    assert (work / "data/processed/w2021/reference/mne_registry.parquet").is_file()
    assert not (work / "data/processed/w2019/reference").exists()
    assert (work / "data/processed/w2021/clusters.parquet").is_file()
    assert (work / "data/processed/comparison/cluster_changes.csv").is_file()
    assert "w2021" in (work / "data/processed/report/front.html").read_text(encoding="utf-8")


@pytest.mark.xdist_group("e2e-five-errors")
def test_a_file_with_five_errors_lists_all_five_and_writes_nothing(tmp_path):
    work = make_project(tmp_path, waves=["w2019"])
    path = work / "tests/data/waves/w2019/clusters.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[0, "region_iso"] = "RU-XXX"  # unknown region code
    df.loc[1, "cluster_id"] = df.loc[2, "cluster_id"]  # duplicate cluster_id
    df.loc[3, "founded_year"] = "1850"  # year out of range
    df.loc[4, "n_members"] = "-5"  # negative count
    df.loc[5, "industry"] = "spaceships"  # outside the vocabulary
    df.to_csv(path, index=False)
    proc = snakemake(work, check=False)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out
    for needle in ("RU-XXX", "1850", "-5", "spaceships", df.loc[2, "cluster_id"]):
        assert needle in out, needle
    assert "row 2" in out  # spreadsheet row of the first data row
    assert not (work / "data/processed/w2019/ingest/clusters.parquet").exists()
    assert not (work / "data/processed/w2019/clusters.parquet").exists()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.browser
def test_report_opens_in_headless_chromium_and_shows_findings_and_figures(run_a):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (.ci/run does)")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    snakemake(run_a, "--report", "report.html")
    report = run_a / "report.html"
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(report.as_uri())
        page.get_by_role("heading", name="Findings", exact=True).wait_for(timeout=30_000)
        # The front page starts at the top (workflow/report/style.css): its title
        # is on screen, not cut off above a vertically centred page.
        title = page.get_by_role("heading", name="MNEs and Russian cluster initiatives")
        assert title.evaluate("e => e.getBoundingClientRect().top") >= 0
        # The front page fits the 1400 px window: its tables wrap long text (the
        # replication table's note) instead of running off the right edge.
        fits = page.evaluate(
            """() => {
              const content = document.querySelector('.mnec-front').closest('.overflow-auto');
              const cells = [...document.querySelectorAll('.mnec-front td, .mnec-front th')];
              return {
                scroll: content.scrollWidth - content.clientWidth,
                right: Math.max(...cells.map(c => c.getBoundingClientRect().right)),
                width: window.innerWidth,
              };
            }"""
        )
        assert fits["scroll"] <= 0, fits
        assert fits["right"] <= fits["width"], fits
        body = page.inner_text("body")
        # The front page: findings of both waves, the replication table, the sources.
        assert "Wave w2019" in body and "Wave w2021" in body
        assert "Replication of the published figures" in body
        assert "Data sources" in body
        # A figure: open the map of wave w2019 and check the image really renders.
        page.get_by_text("Results", exact=True).click()
        page.get_by_role("link", name="Wave w2019").click()
        page.get_by_role("link", name="3 Regions").click()
        row = page.locator("tr", has_text="map_mne_by_region")
        row.locator("a[iconname=eye]").click()
        image = page.locator("img[src^='data:image/png']").first
        image.wait_for(timeout=30_000)
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
        assert image.evaluate("img => img.naturalWidth") > 1000
        browser.close()
    assert errors == []


def test_relations_with_only_the_required_columns_run_through(tmp_path):
    """Issue 12: a relations file without the optional columns is not refused."""
    work = make_project(tmp_path, waves=["w2019"])
    path = work / "tests/data/waves/w2019/relations.csv"
    full = pd.read_csv(path, dtype=str, keep_default_na=False)
    full[["cluster_id", "organisation", "relation", "source"]].to_csv(path, index=False)
    snakemake(work)
    rel = pd.read_parquet(work / "data/processed/w2019/relations.parquet")
    assert len(rel) == len(full)
    assert rel["entry_year"].isna().all()
    # every organisation is resolved by its name now, none explicitly
    assert "explicit" not in set(rel["match_method"])
    # every row the full file tied to a group explicitly finds it by name
    named = full["mne_id"] != ""
    assert rel.loc[named, "mne_id"].tolist() == full.loc[named, "mne_id"].tolist()
    assert (work / "data/processed/w2019/tables/mne_by_status.csv").is_file()
