"""The code stays lint-clean, with the same tools and settings as `make lint`:
ruff (lint and format) on the package, tests, workflow scripts and benchmarks;
snakefmt on every Snakemake file; mypy, strict, on the package; Snakemake's own
linter on the workflow."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PY_DIRS = ["src", "tests", "workflow", "benchmarks"]


def run(*cmd: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(cmd), cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def test_ruff_finds_nothing():
    proc = run(str(BIN / "ruff"), "check", *PY_DIRS)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format_leaves_every_file_as_it_is():
    proc = run(str(BIN / "ruff"), "format", "--check", *PY_DIRS)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def snakemake_files() -> list[Path]:
    return [ROOT / "Snakefile", *sorted((ROOT / "workflow" / "rules").glob("*.smk"))]


def test_snakefmt_leaves_every_snakemake_file_as_it_is():
    files = snakemake_files()
    assert len(files) > 5, files  # the Snakefile and the rule files are all there
    proc = run(str(BIN / "snakefmt"), "--check", *map(str, files))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_snakefmt_check_fails_on_a_badly_formatted_rule(tmp_path):
    """The check is live: a rule with its directives out of snakefmt's order fails."""
    bad = tmp_path / "bad.smk"
    bad.write_text('rule x:\n    output: "a"\n    input:   "b"\n', encoding="utf-8")
    proc = run(str(BIN / "snakefmt"), "--check", str(bad))
    assert proc.returncode != 0, proc.stdout + proc.stderr


def test_mypy_strict_on_the_package_finds_nothing():
    proc = run(sys.executable, "-m", "mypy", timeout=900)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "Success: no issues found" in out, out


def test_mypy_is_strict_on_the_package():
    """pyproject.toml keeps the package strict; no module silences its own errors."""
    import tomllib

    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert cfg["strict"] is True
    assert cfg["files"] == ["src/mne_clusters"]
    for override in cfg.get("overrides", []):
        assert "ignore_errors" not in override, override
        assert "strict" not in override, override
        modules = override["module"]
        modules = [modules] if isinstance(modules, str) else modules
        assert not any(m.startswith("mne_clusters") for m in modules), override


def test_snakemake_lint_finds_nothing():
    proc = run(sys.executable, "-m", "snakemake", "--lint")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "Congratulations, your workflow is in a good condition!" in out, out
