"""Benchmark: wall time of the workflow on the default data, as ratios to floors.

Runs, in a temporary copy of the inputs (the repository's outputs are not
touched), each step ``--repeat`` times, and prints the median:

* **import floor**: ``python -c "import pandas, matplotlib.pyplot, seaborn, pyarrow"``,
  the least any job that reads a table and draws a chart pays;
* **bare dry run**: ``snakemake -n`` of a one-rule Snakefile with nothing to do,
  the least any Snakemake call pays;
* **full regeneration**: ``snakemake --forceall`` (target: at most 8x the import floor),
  with the output cache as a researcher has it (its figures and panel tables
  copied where their inputs are unchanged), and with the cache off
  (``MNE_CLUSTERS_CACHE=off``: everything made afresh);
* **rerun after one edited cell**: one founding year in clusters.csv changed
  (target: at most 4x the import floor);
* **no-op dry run**: ``snakemake -n`` with nothing to do (target: at most 1.3x
  the bare dry run);
* ``snakemake --report``, and the number of jobs of a full run.

The import floor is taken three times in each round (at its start, before the
rerun after one edited cell, at its end) and the median of all of them is
shown: on a shared machine a single sample of it moves by a fifth.

Usage: ``.venv/bin/python benchmarks/bench_workflow.py [--cores N] [--repeat K]``.
Record the printed table in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {
    **os.environ,
    "PYTHONHASHSEED": "0",
    "SOURCE_DATE_EPOCH": "1560988800",
    "MPLBACKEND": "Agg",
}
IMPORTS = "import pandas, matplotlib.pyplot, seaborn, pyarrow"
ONE_RULE = 'rule one:\n    output:\n        "done.txt",\n    shell:\n        "touch {output}"\n'

#: Targets: (step, floor, at most this many times the floor).
TARGETS = [
    ("full regeneration (--forceall)", "import floor", 8.0),
    ("full regeneration, cache off", "import floor", 8.0),
    ("rerun after one edited cell", "import floor", 4.0),
    ("no-op dry run", "bare dry run (one-rule Snakefile)", 1.3),
]


def _timed(cmd: list[str], cwd: Path | None = None, **env: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd,
        cwd=cwd,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**ENV, **env},
    )
    return time.perf_counter() - start


def _snakemake(workdir: Path, cores: int, *args: str, snakefile: Path | None = None) -> list[str]:
    return [
        sys.executable,
        "-m",
        "snakemake",
        "-s",
        str(snakefile or ROOT / "Snakefile"),
        "-d",
        str(workdir),
        "--cores",
        str(cores),
        "--quiet",
        *args,
    ]


def _jobs(workdir: Path, cores: int) -> int:
    cmd = _snakemake(workdir, cores, "-n", "--forceall")
    cmd.remove("--quiet")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=ENV).stdout
    for line in out.splitlines():
        if line.startswith("total"):
            return int(line.split()[1])
    return -1


def edit_one_cell(clusters_csv: Path) -> None:
    """Move the first known founding year of clusters.csv one year earlier (one cell)."""
    text = clusters_csv.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    col = rows[0].index("founded_year")
    row = next(r for r in rows[1:] if r[col].strip())
    row[col] = str(int(row[col]) - 1)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    clusters_csv.write_text(out.getvalue(), encoding="utf-8")


def one_round(cores: int) -> tuple[dict[str, float], list[float]]:
    with tempfile.TemporaryDirectory(prefix="mnec-bench-") as tmp:
        work = Path(tmp) / "work"
        shutil.copytree(ROOT / "data" / "raw", work / "data" / "raw")
        shutil.copy(ROOT / "config.yaml", work / "config.yaml")
        bare = Path(tmp) / "bare"
        bare.mkdir()
        (bare / "Snakefile").write_text(ONE_RULE, encoding="utf-8")
        _timed(_snakemake(bare, 1, snakefile=bare / "Snakefile"))  # done.txt: nothing left to do

        floor = [_timed([sys.executable, "-c", IMPORTS])]
        t: dict[str, float] = {}
        t["bare dry run (one-rule Snakefile)"] = _timed(
            _snakemake(bare, 1, "-n", snakefile=bare / "Snakefile")
        )
        t["first run from raw data"] = _timed(_snakemake(work, cores))
        t["full regeneration (--forceall)"] = _timed(_snakemake(work, cores, "--forceall"))
        t["full regeneration, cache off"] = _timed(
            _snakemake(work, cores, "--forceall"), MNE_CLUSTERS_CACHE="off"
        )
        t["no-op dry run"] = _timed(_snakemake(work, cores, "-n"))
        t["rerun, nothing changed"] = _timed(_snakemake(work, cores))
        clusters = next((work / "data/raw/waves").glob("*/clusters.csv"))
        edit_one_cell(clusters)
        floor.append(_timed([sys.executable, "-c", IMPORTS]))
        t["rerun after one edited cell"] = _timed(_snakemake(work, cores))
        t["snakemake --report"] = _timed(_snakemake(work, cores, "--report", "report.html"))
        t["jobs in a full run"] = float(_jobs(work, cores))
        floor.append(_timed([sys.executable, "-c", IMPORTS]))
        return t, floor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = [one_round(args.cores) for _ in range(args.repeat)]
    rounds = [r for r, _ in results]
    floors = [f for _, fs in results for f in fs]
    med = {"import floor": statistics.median(floors)}
    med |= {step: statistics.median(r[step] for r in rounds) for step in rounds[0]}
    print(f"cores: {args.cores}, repeats: {args.repeat} (median shown)")
    print("import floor samples: " + ", ".join(f"{f:.2f}" for f in floors))
    print(f"| {'step':<40} | {'seconds':>8} |")
    print(f"| {'-' * 40} | {'-' * 7}: |")
    for step, value in med.items():
        shown = f"{value:.0f}" if step.startswith("jobs") else f"{value:.2f}"
        print(f"| {step:<40} | {shown:>8} |")
    print()
    print(f"| {'ratio':<62} | {'measured':>8} | {'target':>6} | {'met':>3} |")
    print(f"| {'-' * 62} | {'-' * 7}: | {'-' * 5}: | {'-' * 3} |")
    for step, floor, target in TARGETS:
        ratio = med[step] / med[floor]
        name = f"{step} / {floor}"
        met = "yes" if ratio <= target else "NO"
        print(f"| {name:<62} | {ratio:>8.2f} | {target:>6.1f} | {met:>3} |")


if __name__ == "__main__":
    main()
