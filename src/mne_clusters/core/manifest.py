"""Checksums of outputs: is a rerun identical, and did a published number move?

Two uses, both in CI (``make reproduce``):

* ``snapshot`` hashes every output under ``data/processed/`` and ``figures/``
  so that two runs from scratch can be compared byte for byte (``compare``).
* ``check`` compares the study tables against ``MANIFEST.sha256``, committed in
  the repository, so that a change that moves a number in a table shows up in
  review. After a deliberate change, ``write`` regenerates the manifest; commit
  it with a message that says why the numbers moved.

Run as ``python -m mne_clusters.core.manifest {snapshot,compare,check,write} ...``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from mne_clusters.core.provenance import sha256_file

#: Roots of every output the workflow writes.
OUTPUT_ROOTS = ("data/processed", "figures")

#: Files that are outputs of the study: the tables a paper would cite.
TABLE_GLOBS = ("data/processed/*/tables/*.csv", "data/processed/comparison/*.csv")

#: Never compared: placeholders and logs.
IGNORED_NAMES = {".gitkeep"}


def hash_files(paths: Iterable[Path], *, root: Path) -> dict[str, str]:
    """SHA-256 of each file, keyed by its POSIX path relative to ``root``, sorted."""
    out = {p.relative_to(root).as_posix(): sha256_file(p) for p in paths}
    return dict(sorted(out.items()))


def output_files(root: Path, roots: Sequence[str] = OUTPUT_ROOTS) -> list[Path]:
    """Every output file under ``roots`` (placeholders and temporary files left out)."""
    files: list[Path] = []
    for sub in roots:
        base = root / sub
        if base.is_dir():
            files += [
                p
                for p in base.rglob("*")
                if p.is_file() and p.name not in IGNORED_NAMES and not p.name.endswith(".tmp")
            ]
    return sorted(files)


def table_files(root: Path, globs: Sequence[str] = TABLE_GLOBS) -> list[Path]:
    """The study tables whose checksums are committed."""
    return sorted({p for g in globs for p in root.glob(g) if p.is_file()})


def read_manifest(path: Path) -> dict[str, str]:
    """Read a ``sha256sum``-format file (``<hash>  <path>`` per line)."""
    entries: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            digest, name = line.split(maxsplit=1)
            entries[name.strip().lstrip("*")] = digest
    return entries


def format_manifest(entries: Mapping[str, str]) -> str:
    """``sha256sum``-format text, sorted by path, so ``sha256sum -c`` can read it too."""
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(entries.items()))


def compare(expected: Mapping[str, str], actual: Mapping[str, str]) -> list[str]:
    """Human-readable differences between two manifests (empty when identical)."""
    problems = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            problems.append(f"missing: {name}")
        elif name not in expected:
            problems.append(f"new, not in the manifest: {name}")
        elif expected[name] != actual[name]:
            problems.append(f"differs: {name}")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Command line; see the module docstring."""
    parser = argparse.ArgumentParser(
        prog="python -m mne_clusters.core.manifest", description=__doc__
    )
    sub = parser.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snapshot", help="hash every output into FILE")
    snap.add_argument("file", type=Path)
    cmp_ = sub.add_parser("compare", help="compare two snapshots")
    cmp_.add_argument("first", type=Path)
    cmp_.add_argument("second", type=Path)
    check = sub.add_parser("check", help="compare the study tables with the committed manifest")
    check.add_argument("--manifest", type=Path, default=Path("MANIFEST.sha256"))
    write = sub.add_parser("write", help="rewrite the committed manifest from the current tables")
    write.add_argument("--manifest", type=Path, default=Path("MANIFEST.sha256"))
    args = parser.parse_args(argv)
    root = Path.cwd()

    if args.command == "snapshot":
        entries = hash_files(output_files(root), root=root)
        args.file.write_text(format_manifest(entries), encoding="utf-8")
        print(f"snapshot: {len(entries)} output files hashed into {args.file}")
        return 0
    if args.command == "compare":
        problems = compare(read_manifest(args.first), read_manifest(args.second))
        for p in problems:
            print(f"not reproduced: {p}", file=sys.stderr)
        if problems:
            print(f"{len(problems)} output file(s) differ between the two runs", file=sys.stderr)
            return 1
        print(f"reproduced: {len(read_manifest(args.first))} output files identical in both runs")
        return 0
    actual = hash_files(table_files(root), root=root)
    if args.command == "write":
        args.manifest.write_text(format_manifest(actual), encoding="utf-8")
        print(f"wrote {args.manifest}: {len(actual)} tables")
        return 0
    problems = compare(read_manifest(args.manifest), actual)
    for p in problems:
        print(f"table checksum: {p}", file=sys.stderr)
    if problems:
        print(
            f"{len(problems)} table(s) differ from {args.manifest}. If the change is intended, "
            "run 'make manifest' and commit MANIFEST.sha256 saying why the numbers moved.",
            file=sys.stderr,
        )
        return 1
    print(f"tables match {args.manifest}: {len(actual)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
