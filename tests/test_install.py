"""A non-editable install works: ``pip install .`` into a fresh environment.

The wheel is built from a copy of the package sources (nothing is written into
the repository), installed without dependencies into a new virtual
environment that borrows this environment's third-party packages, and its
``mne-clusters`` command validates the two-wave test data from a folder outside
the repository, so the package cannot be imported from ``src/``.
"""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=600
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel of this package installed; its bin/."""
    tmp = tmp_path_factory.mktemp("install")
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "src", source / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
    )
    wheels = tmp / "wheels"
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        wheels,
        source,
    )
    (wheel,) = wheels.glob("mne_clusters-*.whl")

    venv = tmp / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    (purelib,) = (venv / "lib").glob("python3.*/site-packages")
    # Third-party packages come from this environment (a path line, so that the
    # editable install's own .pth, which points at src/, is not read).
    (purelib / "borrowed.pth").write_text(
        "\n".join(p for p in site.getsitepackages() if Path(p).is_dir()) + "\n", encoding="utf-8"
    )
    # pip (borrowed) run by the new environment's python installs into it, and
    # writes that python into the command's first line. --ignore-installed: pip
    # must not uninstall this environment's own (editable) mne-clusters.
    run(
        venv / "bin" / "python", "-m", "pip", "install", "--no-deps", "--no-index",
        "--ignore-installed", wheel,
    )  # fmt: skip
    return venv / "bin"


def test_installed_package_is_not_the_source_tree(installed, tmp_path) -> None:
    where = run(
        installed / "python", "-c", "import mne_clusters; print(mne_clusters.__file__)",
        cwd=tmp_path,
    )  # fmt: skip
    assert str(ROOT / "src") not in where.stdout
    assert "site-packages" in where.stdout


def test_installed_command_prints_its_version(installed, tmp_path) -> None:
    out = run(installed / "mne-clusters", "--version", cwd=tmp_path).stdout
    assert out.strip() == "mne-clusters 0.1.0"


def test_installed_command_validates_a_wave_with_the_packaged_schema(installed, tmp_path) -> None:
    shutil.copytree(ROOT / "tests" / "data", tmp_path / "tests" / "data")
    shutil.copy(ROOT / "tests" / "data" / "config.yaml", tmp_path / "config.yaml")
    proc = run(installed / "mne-clusters", "validate", "w2021", cwd=tmp_path)
    assert "Traceback" not in proc.stderr
    assert proc.stdout.splitlines()[-2:] == [
        "OK: tests/data/waves/w2021/clusters.csv: 10 rows, valid",
        "OK: tests/data/waves/w2021/relations.csv: 14 rows, valid",
    ]
    # A config error is still one line naming the key, from the packaged schema.
    (tmp_path / "config.yaml").write_text(
        (tmp_path / "config.yaml").read_text(encoding="utf-8").replace("top_n: 15", "top_n: many"),
        encoding="utf-8",
    )
    bad = subprocess.run(
        [str(installed / "mne-clusters"), "validate", "w2021"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "mne-clusters validate: config.yaml: classify.top_n: 'many' is not of type 'integer'"
    )
