"""Benchmark: wall time of the whole workflow on the default data.

Runs, in a temporary copy of the inputs (the repository's outputs are not
touched):

1. the whole workflow from raw data (environment set-up excluded),
2. the same command again (nothing to do),
3. the rerun after one reference table's bytes change (everything downstream),
4. ``snakemake --report``.

Usage: ``.venv/bin/python benchmarks/bench_workflow.py [--cores N] [--repeat K]``.
Prints one row per step with the median of K repeats; record the table in
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _snakemake(workdir: Path, cores: int, *args: str) -> float:
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(workdir)]
    start = time.perf_counter()
    subprocess.run(
        [*cmd, "--cores", str(cores), "--quiet", *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    return time.perf_counter() - start


def _jobs(workdir: Path, cores: int) -> int:
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(workdir)]
    out = subprocess.run(
        [*cmd, "--cores", str(cores), "-n", "--forceall"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for line in out.splitlines():
        if line.startswith("total"):
            return int(line.split()[1])
    return -1


def one_round(cores: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="mnec-bench-") as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "data" / "raw", work / "data" / "raw")
        shutil.copy(ROOT / "config.yaml", work / "config.yaml")
        times = {"full run from raw data": _snakemake(work, cores)}
        times["rerun, nothing changed"] = _snakemake(work, cores)
        regions = work / "data/raw/reference/regions.csv"
        regions.write_bytes(regions.read_bytes() + b"\n")
        times["rerun after the regions table changed"] = _snakemake(work, cores)
        times["snakemake --report"] = _snakemake(work, cores, "--report", "report.html")
        times["jobs in the full run"] = float(_jobs(work, cores))
        return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rounds = [one_round(args.cores) for _ in range(args.repeat)]
    print(f"cores: {args.cores}, repeats: {args.repeat} (median shown)")
    print(f"| {'step':<40} | {'seconds':>8} |")
    print(f"| {'-' * 40} | {'-' * 8}: |")
    for step in rounds[0]:
        value = statistics.median(r[step] for r in rounds)
        shown = f"{value:.0f}" if step.startswith("jobs") else f"{value:.1f}"
        print(f"| {step:<40} | {shown:>8} |")


if __name__ == "__main__":
    main()
