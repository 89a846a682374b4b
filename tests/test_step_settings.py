"""Each step gets only the settings its catalogue entry declares: only those are
hashed into its provenance and its rerun trigger, and reading another is an error."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from workflow_runs import copy_run, snakemake

from mne_clusters.core import provenance, steps
from mne_clusters.core import settings as step_settings

CONFIG = {
    "waves": {"a": {"year": 2019, "ranks_year": 2015}, "b": {"year": 2023, "ranks_year": 2021}},
    "classify": {"top_n": 15, "status_precedence": ["innovative"], "after_survey": "keep"},
    "stats": {"alpha": 0.05, "seed": 1},
    "figures": {"dpi": 200, "formats": ["png"]},
    "maps": {"zoom": [1, 2, 3, 4]},
}


def test_a_step_gets_its_declared_sections_and_keys_and_only_its_own_wave():
    assert step_settings.select(CONFIG, "charts", "a") == {
        "classify": {"top_n": 15, "status_precedence": ["innovative"]},
        "waves": {"a": {"ranks_year": 2015}},
        "figures": {"dpi": 200},
    }
    assert step_settings.select(CONFIG, "tables", "b") == {
        "classify": CONFIG["classify"],
        "waves": {"b": {"ranks_year": 2021}},
    }
    # a declared key the configuration lacks is left out, not invented
    assert step_settings.select({"stats": {"seed": 1}}, "findings", "a") == {}
    assert step_settings.select(CONFIG, "report_front") == CONFIG


def test_a_changed_setting_moves_the_hash_of_exactly_the_steps_that_declare_it():
    changed = {**CONFIG, "figures": {"dpi": 300, "formats": ["png"]}}
    moved = {
        s.name
        for s in steps.STEPS
        if provenance.config_hash(step_settings.select(CONFIG, s.name, "a"))
        != provenance.config_hash(step_settings.select(changed, s.name, "a"))
    }
    assert moved == {s.name for s in steps.STEPS if any("figures" in k for k in s.settings)} | {
        "report_front"
    }
    assert moved == {"charts", "map", "comparison", "report_front"}


def test_reading_an_undeclared_setting_is_an_error_that_names_it():
    got = step_settings.settings("charts", step_settings.select(CONFIG, "charts", "a"), "a")
    assert got["classify"]["top_n"] == 15
    assert got.get("waves").get("a").get("ranks_year") == 2015
    assert json.loads(json.dumps(got)) == step_settings.select(CONFIG, "charts", "a")
    with pytest.raises(step_settings.UndeclaredSetting, match="'maps'"):
        got.get("maps")
    with pytest.raises(step_settings.UndeclaredSetting, match="'classify.after_survey'"):
        got["classify"].get("after_survey", "keep")
    with pytest.raises(step_settings.UndeclaredSetting, match="'waves.a.year'"):
        _ = "year" in got["waves"]["a"]
    # a whole section declared: every key of it reads
    classify = step_settings.settings(
        "classify_wave", step_settings.select(CONFIG, "classify_wave", "a"), "a"
    )
    assert classify["classify"].get("not_set", 7) == 7
    # a declared key the configuration lacks reads as absent
    stats = step_settings.settings("stats", step_settings.select(CONFIG, "stats", "a"), "a")
    assert stats["stats"].get("min_known", 5) == 5
    with pytest.raises(step_settings.UndeclaredSetting, match="'stats.timeline_max_clusters'"):
        stats["stats"].get("timeline_max_clusters")


def _jobs(proc) -> set[str]:
    """Jobs of a dry run, from Snakemake's job stats (``all`` left out)."""
    jobs = set()
    block = proc.stdout.split("Job stats:", 1)[1] if "Job stats:" in proc.stdout else ""
    for line in block.splitlines()[3:]:
        match = re.match(r"^(\w+)\s+\d+$", line)
        if not match:
            break
        jobs.add(match.group(1))
    return jobs - {"all", "total"}


def _set(work: Path, section: str, key: str, value) -> None:
    cfg = yaml.safe_load((work / "config.yaml").read_text(encoding="utf-8"))
    cfg[section][key] = value
    (work / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")


@pytest.mark.e2e
def test_a_setting_change_reruns_only_the_steps_that_use_it(run_w2019, tmp_path):
    work = copy_run(run_w2019, tmp_path / "work")
    assert _jobs(snakemake(work, "-n")) == set()
    _set(work, "figures", "dpi", 150)
    dpi = _jobs(snakemake(work, "-n"))
    # the job that draws a wave's figures, and the study job (its front page
    # shows the whole config's hash); no table or statistic is recomputed
    assert dpi == {"plotting", "map", "study"}
    _set(work, "figures", "dpi", 200)
    _set(work, "stats", "alpha", 0.1)
    alpha = _jobs(snakemake(work, "-n"))
    # the statistics (with the tables and findings of their job), and what reads
    # the job's tables: the figures, the map, the panel and the front page
    assert alpha == {"analysis", "plotting", "map", "study"}
    assert {"reference", "wave"}.isdisjoint(alpha)
