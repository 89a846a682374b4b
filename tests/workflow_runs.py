"""Helpers of the end-to-end tests: make a project folder, run Snakemake in it,
hash its outputs, and share a run between the tests of a session.

Most end-to-end tests only read what a workflow run wrote, so one run serves
them all (fixtures in conftest.py). With pytest-xdist each worker is its own
process with its own session; a file lock in the folder the workers share makes
the first worker run the workflow and the others wait for it and reuse it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile")]


def make_project(tmp: Path, *, waves: list[str] | None = None) -> Path:
    """A working folder with tests/data and a config.yaml that points at it."""
    shutil.copytree(ROOT / "tests" / "data", tmp / "tests" / "data")
    cfg = yaml.safe_load((ROOT / "tests" / "data" / "config.yaml").read_text(encoding="utf-8"))
    if waves is not None:
        cfg["waves"] = {w: cfg["waves"][w] for w in waves}
    (tmp / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return tmp


#: The output cache the workflow runs of a test session share (set by conftest.py):
#: its keys cover everything an output depends on, so runs of other projects on
#: the same data reuse each other's figures and panel tables, as one
#: researcher's runs would. A test that needs everything made afresh passes
#: ``cache="own"``.
SHARED_CACHE: Path | None = None


def snakemake(
    workdir: Path,
    *args: str,
    check: bool = True,
    snakefile: Path | None = None,
    cache: str = "shared",
) -> subprocess.CompletedProcess:
    """Run ``snakemake`` in ``workdir`` as a user would (2 cores), output captured.

    ``cache``: ``"shared"``, the session's output cache (:data:`SHARED_CACHE`);
    ``"own"``, the default folder inside ``workdir`` (empty for a new project,
    the run's own for a copy of a run).
    """
    cmd = [sys.executable, "-m", "snakemake", "-s", str(snakefile or ROOT / "Snakefile")]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("MNE_CLUSTERS_CACHE", None)
    if cache == "shared" and SHARED_CACHE is not None:
        env["MNE_CLUSTERS_CACHE"] = str(SHARED_CACHE)
    proc = subprocess.run(
        [*cmd, "-d", str(workdir), "--cores", "2", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake failed ({proc.returncode}):\n{proc.stderr[-6000:]}")
    return proc


def hashes(workdir: Path) -> dict[str, str]:
    """SHA-256 of every output under data/processed and figures."""
    out = {}
    for sub in ("data/processed", "figures"):
        for p in sorted((workdir / sub).rglob("*")):
            if p.is_file():
                out[p.relative_to(workdir).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every xdist worker of this session sees (the parent of their base temp)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def shared_run(
    tmp_path_factory: pytest.TempPathFactory, name: str, *, waves: list[str] | None = None
) -> Path:
    """The workflow run ``name``, made once per session whichever worker asks first.

    A run that failed is not reused: the next test that asks runs it again and
    sees the failure itself.
    """

    def build(work: Path) -> None:
        make_project(work, waves=waves)
        snakemake(work)

    return shared_folder(tmp_path_factory, name, build)


def shared_folder(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]
) -> Path:
    """A folder that ``build`` fills once per session, whichever xdist worker asks
    first; the others wait on a file lock and reuse it (pytest-xdist's
    ``xdist_group`` does not group tests under pytest 9, so sharing is done here).
    A failed build is not reused: the next test that asks builds it again.
    """
    shared = _shared_dir(tmp_path_factory)
    work, done = shared / f"shared-{name}", shared / f"shared-{name}.done"
    with _locked(shared / f"shared-{name}.lock"):
        if not done.exists():
            if work.exists():
                shutil.rmtree(work)
            work.mkdir(parents=True)
            build(work)
            done.touch()
    return work


def copy_run(run: Path, dest: Path) -> Path:
    """A copy of a finished run (outputs, times and Snakemake's records), to change freely."""
    shutil.copytree(run, dest, symlinks=True, dirs_exist_ok=True)
    return dest
