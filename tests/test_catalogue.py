"""The catalogue of outputs (mne_clusters.core.catalogue) is the one list: its
functions exist with the documented signatures, its captions exist, and the
workflow asks for exactly the files it names."""

from __future__ import annotations

import inspect
import shutil
from pathlib import Path

import pytest
import yaml
from workflow_runs import ROOT, snakemake

from mne_clusters.core import catalogue as cat
from mne_clusters.core import config as cfgmod
from mne_clusters.core import steps

CAPTIONS = ROOT / "workflow" / "rules" / cat.CAPTION_DIR


def _params(output: cat.Output) -> list[inspect.Parameter]:
    return list(inspect.signature(cat.resolve(output.function)).parameters.values())


def _positional(params: list[inspect.Parameter]) -> list[inspect.Parameter]:
    return [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def test_every_function_and_step_of_the_catalogue_resolves_to_a_callable():
    for output in cat.OUTPUTS:
        assert callable(cat.resolve(output.function)), output
        assert output.step in {s.name for s in steps.STEPS}, output
    for step in steps.STEPS:
        assert callable(cat.resolve(step.function)), step


@pytest.mark.parametrize("output", cat.tables(scope="wave"), ids=lambda o: o.name)
def test_a_wave_table_function_takes_its_inputs_in_order_then_only_its_steps_keywords(output):
    params = _params(output)
    positional = _positional(params)
    assert [p.name for p in positional] == list(output.inputs)
    rest = [p for p in params if p not in positional]
    assert all(p.kind == p.KEYWORD_ONLY for p in rest), output.name
    required = {p.name for p in rest if p.default is p.empty}
    assert required <= set(steps.step(output.step).keywords), output.name


@pytest.mark.parametrize("output", cat.figures(), ids=lambda o: f"{o.scope}-{o.name}")
def test_a_figure_function_takes_its_input_frames_then_the_record(output):
    params = _params(output)
    positional = _positional(params)
    assert len(positional) == len(output.inputs) + 1, output.name
    rest = [p for p in params if p not in positional]
    assert all(p.kind == p.KEYWORD_ONLY and p.default is not p.empty for p in rest)
    # every table a figure draws is a catalogued table of its scope
    for name in output.inputs:
        if name != "boundaries":
            assert cat.table(name, scope=output.scope).name == name


@pytest.mark.parametrize("output", cat.tables(scope="comparison"), ids=lambda o: o.name)
def test_a_comparison_function_takes_both_waves_inputs_or_every_wave(output):
    names = [p.name for p in _positional(_params(output))]
    pairwise = [f"prev_{i}" for i in output.inputs] + [f"next_{i}" for i in output.inputs]
    assert names in (pairwise, ["waves"])


def test_every_step_runs_in_exactly_one_job_of_its_scope():
    ran = [step for job in steps.JOBS for step in job.steps]
    assert sorted(ran) == sorted(s.name for s in steps.STEPS)
    for job in steps.JOBS:
        assert {steps.step(s).scope for s in job.steps} == {job.scope}
    # drawing and computing never share a job: the analysis job stays free of matplotlib
    drawing = {o.step for o in cat.figures()}
    computing = {o.step for o in cat.tables(scope="wave")}
    for job in steps.JOBS:
        assert not (set(job.steps) & drawing and set(job.steps) & computing), job.name


def test_a_panel_table_stacks_each_wave_table_once_in_catalogue_order():
    panel = cat.tables(scope="panel")
    assert [p.name for p in panel] == [
        "clusters_panel",
        "relations_panel",
        *[t.name for t in cat.tables(scope="wave")],
    ]
    assert all([p.name for p in _params(t)] == ["frames"] for t in panel)


def test_every_report_item_has_a_caption_file_a_theme_and_a_known_kind():
    items = [o for o in cat.OUTPUTS if o.scope != "panel"]
    assert all(o.caption for o in items)
    for output in items:
        assert (CAPTIONS / output.caption).is_file(), output.caption
        assert output.kind in cat.KINDS
        if output.scope == "wave":
            assert output.theme in cat.THEMES, output.name
    # and no caption file lies unused
    used = {o.caption for o in items}
    assert {p.name for p in CAPTIONS.glob("*.rst")} == used


def test_names_are_unique_within_a_scope_and_kind():
    for scope in cat.SCOPES:
        for group in (cat.tables(scope=scope), cat.figures(scope=scope)):
            names = [o.name for o in group]
            assert len(names) == len(set(names)), (scope, names)


def test_the_default_wave_writes_the_hand_counted_number_of_files():
    """Wave 2019, png+svg, 4 reference tables: 4 references; per wave 3 ingest +
    3 classified files + 15 tables + 15 sidecars + 12 figures x 2 + findings;
    the front page; the panel: 17 tables x 4 formats + workbook + its sidecar."""
    files = cat.written_files(["2019"], ["png", "svg"], cfgmod.REFERENCE_TABLES)
    assert len(files) == len(set(files)) == 4 + (3 + 3 + 15 + 15 + 24 + 1) + 1 + (17 * 4 + 2)
    two = cat.written_files(["a", "b"], ["png"], cfgmod.REFERENCE_TABLES)
    # a second wave adds its own files, and the comparison's 3 tables, sidecars and 2 figures
    assert len(two) == 4 + 2 * (3 + 3 + 15 + 15 + 12 + 1) + 1 + (17 * 4 + 2) + 3 + 3 + 2


def _dag_files(workdir: Path) -> list[str]:
    """Every output file of the DAG of `rule all`, from Snakemake's own summary."""
    proc = snakemake(workdir, "--summary")
    lines = proc.stdout.strip().splitlines()
    assert lines[0].startswith("output_file")
    return [line.split("\t")[0] for line in lines[1:]]


def _dag_files_under(workdir: Path, wave: str) -> list[str]:
    return [f for f in _dag_files(workdir) if f.startswith(f"data/processed/{wave}/reference/")]


@pytest.mark.e2e
def test_snakemake_asks_for_exactly_the_catalogues_files_on_the_default_config(tmp_path):
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    shutil.copy(ROOT / "config.yaml", tmp_path / "config.yaml")
    config = cfgmod.load_config(ROOT / "config.yaml", check_files=False)
    expected = cat.written_files(
        cfgmod.wave_ids(config), config["figures"]["formats"], cfgmod.REFERENCE_TABLES
    )
    got = _dag_files(tmp_path)
    assert sorted(got) == sorted(expected)
    assert len(got) == 136


@pytest.mark.e2e
def test_snakemake_asks_for_the_catalogues_files_of_two_waves_and_one_format(tmp_path):
    work = tmp_path / "two"
    shutil.copytree(ROOT / "tests" / "data", work / "tests" / "data")
    cfg = yaml.safe_load((ROOT / "tests" / "data" / "config.yaml").read_text(encoding="utf-8"))
    cfg["figures"]["formats"] = ["svg"]
    (work / "config.yaml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    config = cfgmod.load_config(work / "config.yaml", check_files=False)
    expected = cat.written_files(cfgmod.wave_ids(config), ["svg"], cfgmod.REFERENCE_TABLES)
    # a wave's override of a reference table (data/processed/<wave>/reference/)
    # is an input in force for that wave, not a catalogued output
    overrides = [f for w in cfgmod.wave_ids(config) for f in _dag_files_under(work, w)]
    got = [f for f in _dag_files(work) if f not in overrides]
    assert sorted(got) == sorted(expected)
    assert any(f.startswith("figures/comparison/") for f in got)
