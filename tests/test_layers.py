"""The package's layout keeps the promises of docs/ARCHITECTURE.md: drawing lives
only in the plotting subpackage (no other module names matplotlib, no computing
module imports a plotting module, even indirectly), a stage imports only from
core and earlier stages, every module says what it owns, and none grows much
over 500 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from mne_clusters.core.fingerprint import imported_modules, module_closure

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mne_clusters"


def test_only_the_plotting_subpackage_mentions_matplotlib():
    mentions = {
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if "matplotlib" in p.read_text(encoding="utf-8")
    }
    assert mentions
    assert {m.split("/")[0] for m in mentions} == {"plotting"}


COMPUTING = sorted(
    f"{p.parent.name}.{p.stem}"
    for sub in ("analysis", "classify", "ingest", "names")
    for p in (PACKAGE / sub).glob("*.py")
)


@pytest.mark.parametrize("module", COMPUTING)
def test_a_computing_module_imports_no_plotting_module(module):
    closure = module_closure(module)
    assert module in closure  # the module itself was found
    assert not [m for m in closure if m.startswith("plotting")]


#: The stages in the order data flows (docs/ARCHITECTURE.md).
STAGES = ["core", "ingest", "names", "classify", "analysis", "plotting", "waves", "report"]
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _key(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


@pytest.mark.parametrize("path", MODULES, ids=_key)
def test_every_module_belongs_to_a_stage_and_says_what_it_owns(path):
    key = _key(path)
    assert key in ("__init__", "cli") or key.split(".")[0] in STAGES, key
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert doc and len(doc) > 40, f"{key}: no docstring saying what it owns"


@pytest.mark.parametrize("path", MODULES, ids=_key)
def test_a_stage_imports_only_from_itself_core_and_earlier_stages(path):
    key = _key(path)
    stage = key.split(".")[0]
    if stage not in STAGES:
        return
    later = {
        m
        for m in imported_modules(path.read_text(encoding="utf-8"), key)
        if m.split(".")[0] in STAGES and STAGES.index(m.split(".")[0]) > STAGES.index(stage)
    }
    assert not later, f"{key} imports a later stage: {sorted(later)}"


def test_the_stage_rule_sees_a_backward_import():
    """The check above can fail: a classify module importing analysis is caught."""
    source = "from mne_clusters.analysis.exhibits import mne_presence\n"
    found = imported_modules(source, "classify.step")
    assert "analysis.exhibits" in found


@pytest.mark.parametrize("path", MODULES, ids=_key)
def test_no_module_is_much_over_500_lines(path):
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= 550, f"{_key(path)} has {n} lines: split it by concern"
