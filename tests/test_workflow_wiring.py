"""Each rule's code fingerprint follows the script it runs (so a code change
reruns what it touches), and each rule declares what its job needs on a cluster.
The lists of outputs are checked in tests/test_catalogue.py."""

import re
from pathlib import Path

COMMON = Path(__file__).resolve().parents[1] / "workflow" / "rules" / "common.smk"


def test_every_rule_fingerprints_the_code_of_its_own_script():
    """A rule's spec (an input file) holds the fingerprint of the script it runs,
    so the import closure (and thus a rerun on a code change) follows that script."""
    rules = 0
    for smk in sorted(COMMON.parent.glob("*.smk")):
        text = smk.read_text(encoding="utf-8")
        for block in re.split(r"^(?:rule|checkpoint) ", text, flags=re.M)[1:]:
            script = re.search(r'script:\s*"\.\./scripts/([^"]+)"', block)
            if script is None:
                continue
            rules += 1
            name = block.split(":")[0]
            own = f'spec=job_spec("{name}", "{script.group(1)}"' in block
            override = "spec=override_spec," in block and (
                f'script_code("{script.group(1)}")' in COMMON.read_text(encoding="utf-8")
            )
            assert own or override, f"{smk.name}: rule {name}"
    assert rules >= 5


def test_every_job_fingerprints_the_modules_its_catalogue_entries_name():
    """The catalogue names functions by dotted path (resolved when run): the code
    fingerprint of the job that runs a step must cover the module of the step's
    function and of every table and figure function of the step, or editing one
    would rerun nothing (and the output cache would copy a stale figure)."""
    from mne_clusters.core import catalogue, steps
    from mne_clusters.core.fingerprint import module_closure

    scripts = {}
    for smk in sorted(COMMON.parent.glob("*.smk")):
        text = smk.read_text(encoding="utf-8")
        for block in re.split(r"^(?:rule|checkpoint) ", text, flags=re.M)[1:]:
            script = re.search(r'script:\s*"\.\./scripts/([^"]+)"', block)
            if script is not None:
                scripts[block.split(":")[0]] = COMMON.parents[1] / "scripts" / script.group(1)
    checked = 0
    for job in steps.JOBS:
        closure = set(module_closure(files=[scripts[job.name]]))
        for name in job.steps:
            outputs = [*catalogue.tables(name), *catalogue.figures(name)]
            for dotted in [steps.step(name).function, *(o.function for o in outputs)]:
                module = dotted.removeprefix("mne_clusters.").rsplit(".", 1)[0]
                assert module in closure, f"job {job.name}: {dotted}"
                checked += 1
    assert checked > 30


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
