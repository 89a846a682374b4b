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
