"""Fixtures shared by the test modules: workflow runs made once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from workflow_runs import shared_run


@pytest.fixture(autouse=True)
def _output_cache(tmp_path, monkeypatch) -> Path:
    """Each test its own output cache (mne_clusters.core.cache), never the
    repository's: a drawing function called in the test process, or a workflow
    run the test starts, keeps its figures in the test's folder."""
    folder = tmp_path / "output-cache"
    monkeypatch.setenv("MNE_CLUSTERS_CACHE", str(folder))
    return folder


@pytest.fixture(scope="session")
def run_a(tmp_path_factory) -> Path:
    """The whole workflow, both waves of tests/data, run once per session. Read only."""
    return shared_run(tmp_path_factory, "both-waves")


@pytest.fixture(scope="session")
def run_w2019(tmp_path_factory) -> Path:
    """The workflow with wave w2019 alone, run once per session. Read only: copy to change."""
    return shared_run(tmp_path_factory, "w2019", waves=["w2019"])


def pytest_collection_modifyitems(config, items):
    """End-to-end tests first: they are the longest, so they start while the
    many short tests fill the other worker (stable: the order is otherwise kept)."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is None)
