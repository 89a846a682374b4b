"""Throughput and peak memory of name resolution at 10^3 … 10^6 relation rows.

Run from the repository root::

    .venv/bin/python benchmarks/bench_matching.py            # all sizes
    .venv/bin/python benchmarks/bench_matching.py --sizes 1000 10000
    .venv/bin/python benchmarks/bench_matching.py --benchmark   # quality, not speed

Each size runs in a fresh subprocess, so that its peak resident memory
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is its own. The subprocess
generates a seeded synthetic wave (:mod:`generate`: a registry of 2,000 groups
with 5 aliases each; relations drawn from a pool of ``max(1000, n // 50)``
noisy name variants), then times
:func:`mne_clusters.names.matching.match_relations` — normalisation, exact and
token and fuzzy matching, the classified columns and the review table — on it. The
time excludes data generation and imports; the memory peak includes them (it
is the whole process). Finally the log-log slope of time against rows is
fitted: about 1 means cost grows linearly.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SIZES = (1_000, 10_000, 100_000, 1_000_000)


def pool_size(n_rows: int) -> int:
    """Distinct noisy names in a wave of ``n_rows`` rows (2 %, at least 1,000)."""
    return max(1000, n_rows // 50)


def child(n_rows: int) -> dict:
    """Generate one wave and time its resolution (runs in the subprocess)."""
    sys.path.insert(0, str(HERE))
    from generate import make_registry, make_relations

    from mne_clusters.names.matching import match_relations

    registry = make_registry(n_groups=2000, n_aliases=5, seed=1)
    relations = make_relations(n_rows, registry, pool_size=pool_size(n_rows), seed=3)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    out, review = match_relations(relations, registry, {})
    seconds = time.perf_counter() - start
    methods = out["match_method"].value_counts()
    return {
        "rows": n_rows,
        "distinct_names": int(relations["organisation"].nunique()),
        "seconds": seconds,
        "rows_per_s": n_rows / seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_before_mb": rss_before / 1024,
        "exact": int(methods.get("exact", 0)),
        "token": int(methods.get("token", 0)),
        "fuzzy": int(methods.get("fuzzy", 0)),
        "none": int(methods.get("none", 0)),
        "review_rows": len(review),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--benchmark",
        action="store_true",
        help="print precision, recall and review share on the labelled name benchmark "
        "(bench_names.py) instead of timing",
    )
    args = parser.parse_args(argv)
    if args.benchmark:
        sys.path.insert(0, str(HERE))
        from bench_names import report

        report()
        return
    if args.child:
        print(json.dumps(child(args.child)))
        return
    results = []
    print(
        f"{'rows':>9} {'distinct':>8} {'seconds':>8} {'rows/s':>10} {'peak MB':>8} "
        f"{'exact':>8} {'token':>8} {'fuzzy':>8} {'none':>8} {'review':>8}"
    )
    for n in args.sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(n)],
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(r)
        print(
            f"{r['rows']:>9,} {r['distinct_names']:>8,} {r['seconds']:>8.2f} "
            f"{r['rows_per_s']:>10,.0f} {r['peak_rss_mb']:>8,.0f} {r['exact']:>8,} {r['token']:>8,} "
            f"{r['fuzzy']:>8,} {r['none']:>8,} {r['review_rows']:>8,}",
            flush=True,
        )
    if len(results) > 1:
        rows = np.log10([r["rows"] for r in results])
        secs = np.log10([r["seconds"] for r in results])
        slope = np.polyfit(rows, secs, 1)[0]
        print(f"log-log slope of seconds against rows: {slope:.2f} (1 = linear)")


if __name__ == "__main__":
    main()
