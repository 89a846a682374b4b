"""Fixtures shared by the test modules: workflow runs made once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import workflow_runs
from workflow_runs import shared_run


@pytest.fixture(scope="session", autouse=True)
def _shared_output_cache(tmp_path_factory) -> Path:
    """One output cache for every workflow run of the session, all xdist workers."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    workflow_runs.SHARED_CACHE = shared / "shared-output-cache"
    return workflow_runs.SHARED_CACHE


@pytest.fixture(autouse=True)
def _output_cache(tmp_path, monkeypatch) -> Path:
    """Each test its own output cache (mne_clusters.core.cache) for what it draws in
    its own process, never the repository's (workflow runs: workflow_runs.snakemake)."""
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
