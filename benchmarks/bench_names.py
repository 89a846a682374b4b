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
- ``shipped``: exact, then the token rule, then fuzzy;
- ``legal forms: …``: the shipped matcher with legal forms removed by
  ``cleanco.basename`` or ``rigour.names.remove_org_types`` instead of (only)
  or before :data:`mne_clusters.names.normalise.LEGAL_FORMS`;
- ``translit: …``: the shipped matcher with PyICU's transliterators
  (``Russian-Latin/BGN``, ``Cyrillic-Latin`` ≈ ISO 9) in place of
  ``unidecode``.

The library methods are skipped, and say so, when the library is not
importable: none is a dependency of the project (README, dependency table).
To measure them, install them next to the project, e.g.
``pip install --target /tmp/libs cleanco rigour pyicu-wheels`` and run with
``PYTHONPATH=/tmp/libs``.

A name counts as *accepted* when it resolves to a group; precision is the
share of accepted names whose group is the expected one, recall the share of
the benchmark's group variants resolved to their expected group, and review
share the share of all names left for a person (``review_reason`` set: every
unresolved name and every ambiguous one).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import re
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from mne_clusters.names import normalise
from mne_clusters.names.matching import MatchingConfig, build_index, resolve

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


@contextlib.contextmanager
def _variant(transliterate: Callable[[str], str] | None = None, legal: bool = True):
    """Run the shipped matcher with another transliteration or legal-form step.

    Patches, for the duration only, the module globals that
    :func:`mne_clusters.names.normalise.normalise` reads (``unidecode``,
    ``_LEGAL_RE``) and the word lists keyed through it.
    """
    saved = {k: getattr(normalise, k) for k in _PATCHED}
    try:
        if transliterate is not None:
            normalise.unidecode = transliterate
        if not legal:
            normalise._LEGAL_RE = re.compile(r"(?!x)x")  # matches nothing
        keys = normalise._keys_of
        normalise._STOP_KEYS = keys(normalise.STOPWORDS)
        normalise._PLACE_KEYS = keys(normalise.PLACES) - normalise._STOP_KEYS
        normalise._INDUSTRY_OF_KEY = {
            k: fits for words, fits in normalise.INDUSTRY_DESCRIPTORS.values() for k in keys(words)
        }
        normalise._DESCRIPTOR_KEYS = (
            keys(normalise.DESCRIPTORS) | set(normalise._INDUSTRY_OF_KEY)
        ) - (normalise._STOP_KEYS | normalise._PLACE_KEYS)
        normalise._LONG_DESCRIPTORS = sorted(k for k in normalise._DESCRIPTOR_KEYS if len(k) >= 6)
        (
            normalise._INDUSTRY_OF_GENERIC,
            normalise._GENERIC_KEYS,
            normalise._GENERIC_BY_TRANSCRIPTION,
            normalise._LONG_GENERIC,
        ) = normalise._generic_tables(
            normalise._STOP_KEYS | normalise._PLACE_KEYS, normalise._DESCRIPTOR_KEYS
        )
        yield
    finally:
        for k, v in saved.items():
            setattr(normalise, k, v)


_PATCHED = (
    "unidecode",
    "_LEGAL_RE",
    "_STOP_KEYS",
    "_PLACE_KEYS",
    "_DESCRIPTOR_KEYS",
    "_INDUSTRY_OF_KEY",
    "_LONG_DESCRIPTORS",
    "_INDUSTRY_OF_GENERIC",
    "_GENERIC_KEYS",
    "_GENERIC_BY_TRANSCRIPTION",
    "_LONG_GENERIC",
)


def _icu(system: str) -> Callable[[str], str] | None:
    try:
        import icu
    except ImportError:
        return None
    tr = icu.Transliterator.createInstance(f"{system}; Latin-ASCII")
    return tr.transliterate


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
    quotes = str.maketrans({c: " " for c in '«»„“”"'})
    return lambda name: remove_org_types(name.casefold().translate(quotes), replacement=" ")


Method = Callable[[pd.Series], pd.DataFrame]


def methods(registry: pd.DataFrame) -> dict[str, Method | None]:
    """Each method: names → :func:`mne_clusters.names.matching.resolve` output."""
    settings = MatchingConfig()

    def run(
        pre: Callable[[str], str] | None = None,
        transliterate: Callable[[str], str] | None = None,
        legal: bool = True,
        tokens: bool = True,
    ) -> Method:
        def go(names: pd.Series) -> pd.DataFrame:
            with _variant(transliterate, legal):
                reg = registry
                if pre is not None:
                    reg = registry.assign(
                        name=registry["name"].map(pre),
                        aliases=registry["aliases"].map(
                            lambda a: "|".join(pre(x) for x in a.split("|"))
                        ),
                    )
                    names = names.map(pre)
                index = build_index(reg)
                if not tokens:
                    index = dataclasses.replace(index, tokens=None)
                return resolve(names, index, settings)

        return go

    cleanco, rigour = _cleanco(), _rigour()
    bgn, iso9 = _icu("Russian-Latin/BGN"), _icu("Cyrillic-Latin")
    return {
        "exact+fuzzy (before issue 12)": run(tokens=False),
        "shipped: exact+token+fuzzy": run(),
        "legal forms: cleanco only": run(pre=cleanco, legal=False) if cleanco else None,
        "legal forms: cleanco + LEGAL_FORMS": run(pre=cleanco) if cleanco else None,
        "legal forms: rigour only": run(pre=rigour, legal=False) if rigour else None,
        "legal forms: rigour + LEGAL_FORMS": run(pre=rigour) if rigour else None,
        "translit: ICU BGN/PCGN": run(transliterate=bgn) if bgn else None,
        "translit: ICU Cyrillic-Latin (ISO 9)": run(transliterate=iso9) if iso9 else None,
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
        f"| {'method':<36} | precision | recall | review share | false MNE | accepted | seconds |"
    )
    print(f"| {'-' * 36} | --------: | -----: | -----------: | --------: | -------: | ------: |")
    shipped = None
    for label, fn in methods(registry).items():
        if fn is None:
            print(f"| {label:<36} | (library not installed: skipped) |")
            continue
        start = time.perf_counter()
        out = fn(names)
        secs = time.perf_counter() - start
        r = score(bench, out)
        results[label] = r
        if label.startswith("shipped"):
            shipped = out
        print(
            f"| {label:<36} | {100 * r['precision']:>8.2f}% | {100 * r['recall']:>5.2f}% | "
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
