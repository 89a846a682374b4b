"""Drawing lives only in the plotting subpackage: no other module names
matplotlib, and no computing module imports a plotting module, even indirectly."""

from __future__ import annotations

from pathlib import Path

import pytest

from mne_clusters.core.fingerprint import module_closure

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
