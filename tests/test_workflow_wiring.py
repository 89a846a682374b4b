"""The workflow's lists of outputs agree with the package, and each chart has
its own code fingerprint (so editing one chart reruns only that chart)."""

import ast
import re
from pathlib import Path

from mne_clusters import figures, provenance, tables

COMMON = Path(__file__).resolve().parents[1] / "workflow" / "rules" / "common.smk"


def smk_list(name: str) -> list[str]:
    """A list literal assigned at the top of common.smk (e.g. ``TABLES = [...]``)."""
    text = COMMON.read_text(encoding="utf-8")
    match = re.search(rf"^{name} = (\[.*?\])$", text, flags=re.S | re.M)
    assert match, f"{name} not found in common.smk"
    return ast.literal_eval(match.group(1))


def test_the_workflow_asks_for_every_table_the_package_writes():
    assert smk_list("TABLES") == list(tables.TABLES)


def test_every_chart_of_the_package_has_a_rule():
    assert set(figures.FIGURES) == set(smk_list("TABLES")) - {"replication"}


def test_each_chart_has_its_own_code_fingerprint():
    whole_module = provenance.code_fingerprint("figures")
    per_chart = {
        name: provenance.code_fingerprint("figures", function=name) for name in figures.FIGURES
    }
    assert whole_module not in per_chart.values()
    assert len(set(per_chart.values())) == len(per_chart)
