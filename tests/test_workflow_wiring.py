"""The workflow's lists of outputs agree with the package, and each rule's code
fingerprint follows the script it runs (so a code change reruns what it touches)."""

import ast
import re
from pathlib import Path

from mne_clusters.analysis import step as analysis_step
from mne_clusters.plotting import charts

COMMON = Path(__file__).resolve().parents[1] / "workflow" / "rules" / "common.smk"


def smk_list(name: str) -> list[str]:
    """A list literal assigned at the top of common.smk (e.g. ``TABLES = [...]``)."""
    text = COMMON.read_text(encoding="utf-8")
    match = re.search(rf"^{name} = (\[.*?\])$", text, flags=re.S | re.M)
    assert match, f"{name} not found in common.smk"
    return ast.literal_eval(match.group(1))


def test_the_workflow_asks_for_every_table_the_package_writes():
    assert smk_list("TABLES") == list(analysis_step.TABLES)


def test_every_chart_of_the_package_has_a_rule():
    assert set(charts.FIGURES) == set(smk_list("TABLES")) - {"replication"}


def test_every_rule_fingerprints_the_code_of_its_own_script():
    """A rule's ``code`` param is the fingerprint of the script it runs, so the
    import closure (and thus a rerun on a code change) follows that script."""
    rules = 0
    for smk in sorted(COMMON.parent.glob("*.smk")):
        text = smk.read_text(encoding="utf-8")
        for block in re.split(r"^(?:rule|checkpoint) ", text, flags=re.M)[1:]:
            script = re.search(r'script:\s*"\.\./scripts/([^"]+)"', block)
            if script is None:
                continue
            rules += 1
            name = block.split(":")[0]
            assert f'code=script_code("{script.group(1)}")' in block, f"{smk.name}: rule {name}"
    assert rules >= 10


def test_every_rule_declares_what_its_job_needs_on_a_cluster():
    """threads, mem_mb and runtime on every rule that runs a job (profiles/slurm submits them)."""
    for smk in sorted(COMMON.parent.glob("*.smk")):
        text = smk.read_text(encoding="utf-8")
        for block in re.split(r"^(?:rule|checkpoint) ", text, flags=re.M)[1:]:
            if "script:" not in block:
                continue
            name = block.split(":")[0]
            assert re.search(r"^    threads: \d+$", block, flags=re.M), f"{smk.name}: {name}"
            for key in ("mem_mb", "runtime"):
                assert re.search(rf"^        {key}=\d+,$", block, flags=re.M), f"{name}: {key}"
