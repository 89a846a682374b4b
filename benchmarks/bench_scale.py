"""Benchmark: a synthetic wave of many clusters and relations through the whole workflow.

Writes, in a temporary folder, a raw wave in the data contract: ``--clusters``
invented cluster initiatives spread over the real regions, and relations whose
organisation names are noisy variants of an invented registry of 2,000 groups
(benchmarks/generate.py), then runs the whole workflow (``snakemake --cores N``)
on it and reports wall time and peak memory (the largest resident set of any
job, ``ru_maxrss`` of the waited-for children), for each relation count.

Usage: ``.venv/bin/python benchmarks/bench_scale.py --relations 10000 100000 1000000``.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
import generate  # noqa: E402

INDUSTRIES = ["pharma_biotech", "automotive", "ict", "chemicals", "machinery_equipment"]


def write_wave(folder: Path, n_clusters: int, n_relations: int, seed: int = 7) -> dict:
    """Raw clusters.csv, relations.csv and mne_registry.csv; returns the config's wave entry."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    with open(ROOT / "data/raw/reference/regions.csv", encoding="utf-8") as fh:
        regions = [r["region_iso"] for r in csv.DictReader(fh)]
    flags = lambda p: np.where(rng.random(n_clusters) < p, "true", "false")  # noqa: E731
    with open(folder / "clusters.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(
            ["cluster_id", "name_ru", "name_en", "region_iso", "specialization", "industry"]
            + ["is_innovative", "is_leading", "is_industrial", "is_cdc_supported"]
            + ["founded_year", "org_level", "n_members", "n_employees", "source"]
        )
        inn, lead, ind, cdc = flags(0.2), flags(0.05), flags(0.3), flags(0.1)
        years = rng.integers(1995, 2019, size=n_clusters)
        members = rng.integers(5, 200, size=n_clusters)
        for i in range(n_clusters):
            w.writerow(
                [
                    f"c{i:06d}",
                    f"Кластер {i}",
                    f"Cluster {i}",
                    regions[i % len(regions)],
                    "synthetic",
                ]
                + [INDUSTRIES[i % len(INDUSTRIES)], inn[i], lead[i], ind[i], cdc[i]]
                + [int(years[i]), "", int(members[i]), "", "synthetic"]
            )
    registry = generate.make_registry(n_groups=2000, seed=1)
    registry.to_csv(folder / "mne_registry.csv", index=False)
    pool = generate.make_pool(registry, max(1000, n_relations // 50), seed=4)
    orgs = rng.integers(len(pool), size=n_relations)
    cids = rng.integers(n_clusters, size=n_relations)
    with open(folder / "relations.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(
            ["cluster_id", "organisation", "relation", "mne_id", "hq_country", "industry"]
            + ["entry_year", "source"]
        )
        for o, c in zip(orgs, cids, strict=True):
            w.writerow([f"c{c:06d}", pool[o], "member", "", "", "", "", "synthetic"])
    return {
        "year": 2019,
        "clusters": str(folder / "clusters.csv"),
        "relations": str(folder / "relations.csv"),
        "ranks_year": 2015,
        "reference": {"mne_registry": str(folder / "mne_registry.csv")},
    }


def child(workdir: str, cores: int) -> None:
    """Run the workflow; print wall seconds and the largest job's peak RSS (MB)."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", workdir]
    proc = subprocess.run(
        [*cmd, "--cores", str(cores), "--quiet"], env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(proc.returncode)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{wall:.1f} {peak:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=10_000)
    parser.add_argument("--relations", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    rows = []
    for n in args.relations:
        with tempfile.TemporaryDirectory(prefix="mnec-scale-") as tmp:
            work = Path(tmp)
            cfg = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
            for key in ("published_figures",):
                cfg[key] = str(ROOT / cfg[key])
            for table, spec in cfg["reference"].items():
                cfg["reference"][table] = str(ROOT / spec) if isinstance(spec, str) else spec
            cfg["waves"] = {"2019": write_wave(work / "raw", args.clusters, n)}
            cfg["ingest"] = {**cfg.get("ingest", {}), "max_file_mb": 2000}
            (work / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), "utf-8")
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(work), str(args.cores)],
                capture_output=True,
                text=True,
            )
            if out.returncode != 0:
                print(f"{n:>9,} relations: workflow failed\n{out.stderr[-3000:]}")
                continue
            wall, peak = map(float, out.stdout.split()[-2:])
            rows.append((n, wall, peak))
            print(
                f"{n:>9,} relations, {args.clusters:,} clusters: {wall:.1f} s, peak {peak:.0f} MB"
            )
    print("\n| relations | clusters | seconds | peak MB |\n| --: | --: | --: | --: |")
    for n, wall, peak in rows:
        print(f"| {n:,} | {args.clusters:,} | {wall:.1f} | {peak:.0f} |")
    if len(rows) >= 2:
        x = [math.log10(n) for n, _, _ in rows]
        for label, column in (("seconds", 1), ("peak MB", 2)):
            y = [math.log10(r[column]) for r in rows]
            print(f"log-log slope of {label} against relations: {loglog_slope(x, y):.2f}")
    target = [wall for n, wall, _ in rows if n == 1_000_000]
    if target:
        verdict = "met" if target[0] < 300 else "NOT met"
        print(f"10^6 relations in {target[0]:.1f} s: target (under 300 s on 2 cores) {verdict}")


def loglog_slope(x: list[float], y: list[float]) -> float:
    """Least-squares slope of ``y`` on ``x`` (1: time or memory grows in proportion)."""
    mx, my = sum(x) / len(x), sum(y) / len(y)
    return sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / sum(
        (a - mx) ** 2 for a in x
    )


if __name__ == "__main__":
    main()
