"""Precision, recall and review share of name resolution on the labelled benchmark.

Run from the repository root::

    .venv/bin/python benchmarks/bench_names.py
    .venv/bin/python benchmarks/bench_matching.py --benchmark   # the same

Reads ``benchmarks/matching_benchmark.csv`` (built by
``make_matching_benchmark.py``; columns ``name``, ``expected_mne_id`` — empty
for a name of no registry group —, ``variant_type``, ``script``, ``origin``)
and resolves every name against the shipped registry
(``data/raw/reference/mne_registry.csv``) with each *method*:

- ``exact+fuzzy``: the matcher before issue 12 (exact key, then the fuzzy
  score), with today's normalisation;
- ``exact+token+fuzzy``: the shipped matcher (the token rule between them);
- ``cleanco``, ``rigour``: the shipped matcher on names whose legal forms
  were first removed by ``cleanco.basename`` or by ``rigour``'s organisation
  type remover instead of only by :data:`mne_clusters.matching.LEGAL_FORMS`
  (skipped, and said so, when the library is not installed: neither is a
  dependency of the project, see README).

A name counts as *accepted* when it resolves to a group; precision is the
share of accepted names whose group is the expected one, recall the share of
the benchmark's group variants resolved to their expected group, and review
share the share of all names left for a person (``review_reason`` set: every
unresolved name and every ambiguous one).
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from mne_clusters.matching import MatchingConfig, build_index, resolve

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BENCHMARK = HERE / "matching_benchmark.csv"
REGISTRY = ROOT / "data" / "raw" / "reference" / "mne_registry.csv"


def load() -> tuple[pd.DataFrame, pd.DataFrame]:
    bench = pd.read_csv(BENCHMARK, dtype=str, keep_default_na=False)
    registry = pd.read_csv(REGISTRY, dtype=str, keep_default_na=False)
    return bench, registry


def score(bench: pd.DataFrame, resolved: pd.DataFrame) -> dict[str, float]:
    """Precision, recall and review share of one method's result."""
    expected = bench["expected_mne_id"].replace("", pd.NA)
    got = resolved["mne_id"].reset_index(drop=True)
    accepted = got.notna()
    correct = accepted & (got == expected).fillna(False)
    positives = expected.notna()
    return {
        "names": len(bench),
        "positives": int(positives.sum()),
        "accepted": int(accepted.sum()),
        "correct": int(correct.sum()),
        "false_mne": int((accepted & ~correct).sum()),
        "precision": float(correct.sum() / max(1, accepted.sum())),
        "recall": float(correct[positives].sum() / max(1, positives.sum())),
        "review_share": float(resolved["review_reason"].notna().mean()),
    }


def _cleanco() -> Callable[[str], str] | None:
    try:
        from cleanco import basename
    except ImportError:
        return None
    return basename


def _rigour() -> Callable[[str], str] | None:
    try:
        from rigour.names import remove_org_types
    except ImportError:
        return None
    return lambda name: remove_org_types(name, replacement="")


def methods(registry: pd.DataFrame) -> dict[str, Callable[[pd.Series], pd.DataFrame] | None]:
    index = build_index(registry)
    settings = MatchingConfig()
    old = dataclasses.replace(index, tokens=None)

    def pre(fn: Callable[[str], str] | None) -> Callable[[pd.Series], pd.DataFrame] | None:
        if fn is None:
            return None
        reg = registry.assign(
            name=registry["name"].map(fn),
            aliases=registry["aliases"].map(lambda a: "|".join(fn(x) for x in a.split("|"))),
        )
        idx = build_index(reg)
        return lambda names: resolve(names.map(fn), idx, settings)

    return {
        "exact+fuzzy": lambda names: resolve(names, old, settings),
        "exact+token+fuzzy": lambda names: resolve(names, index, settings),
        "cleanco + shipped": pre(_cleanco()),
        "rigour + shipped": pre(_rigour()),
    }


def report(verbose: bool = False) -> dict[str, dict[str, float]]:
    bench, registry = load()
    names = bench["name"]
    results: dict[str, dict[str, float]] = {}
    print(
        f"{len(bench)} names: {(bench['expected_mne_id'] != '').sum()} variants of "
        f"registry groups, {(bench['expected_mne_id'] == '').sum()} negatives\n"
    )
    print(
        f"| {'method':<20} | precision | recall | review share | false MNE | accepted | seconds |"
    )
    print(f"| {'-' * 20} | --------: | -----: | -----------: | --------: | -------: | ------: |")
    shipped = None
    for label, fn in methods(registry).items():
        if fn is None:
            print(f"| {label:<20} | (library not installed: skipped) |")
            continue
        start = time.perf_counter()
        out = fn(names)
        secs = time.perf_counter() - start
        r = score(bench, out)
        results[label] = r
        if label == "exact+token+fuzzy":
            shipped = out
        print(
            f"| {label:<20} | {100 * r['precision']:>8.2f}% | {100 * r['recall']:>5.2f}% | "
            f"{100 * r['review_share']:>11.2f}% | {r['false_mne']:>9} | {r['accepted']:>8} | "
            f"{secs:>7.2f} |"
        )
    if shipped is not None:
        frame = bench.assign(
            got=shipped["mne_id"].to_numpy(),
            method=shipped["match_method"].to_numpy(),
            reason=shipped["review_reason"].to_numpy(),
        )
        print("\nshipped matcher, by match_method:")
        print("| match_method | names | correct | wrong group | negatives accepted |")
        print("| ------------ | ----: | ------: | ----------: | -----------------: |")
        for m, part in frame.groupby("method", sort=False):
            correct = (part["got"] == part["expected_mne_id"]).sum()
            wrong = (part["got"].notna() & (part["got"] != part["expected_mne_id"])).sum()
            negs = (part["got"].notna() & (part["expected_mne_id"] == "")).sum()
            print(f"| {m:<12} | {len(part):>5} | {correct:>7} | {wrong:>11} | {negs:>18} |")
        print("\nshipped matcher, recall by variant type (negatives: share left unmatched):")
        for kind, part in frame.groupby("variant_type"):
            if kind.startswith("negative"):
                ok = part["got"].isna().mean()
            else:
                ok = (part["got"] == part["expected_mne_id"]).mean()
            print(f"  {kind:<32} {len(part):>4}  {100 * ok:6.2f}%")
        if verbose:
            bad = frame[(frame["got"].fillna("") != frame["expected_mne_id"])]
            print("\nnames not resolved to their expected group:")
            for r in bad.itertuples():
                print(
                    f"  {r.name!r:<50} expected={r.expected_mne_id or '-':<20} "
                    f"got={r.got if isinstance(r.got, str) else '-':<20} {r.reason}"
                )
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    report(parser.parse_args(argv).verbose)


if __name__ == "__main__":
    main()
