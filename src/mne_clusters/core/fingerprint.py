"""Code fingerprints: which package code a workflow job runs, as a short hash.

A rule passes :func:`closure_fingerprint` of its script as a Snakemake
``params`` value, so a change to any package module the job imports - a shared
plotting helper two imports away too - or to a package data file reruns the
rule, and nothing else does. Sources are read as syntax trees, never imported,
so the Snakefile parses fast.

Module keys are dotted paths inside the package (``"analysis.exact"``); a
package's ``__init__`` is ``"<package>.__init__"`` (the root's is
``"__init__"``). Python runs every parent package's ``__init__`` before a
module, so they are in every closure.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path


def _package_dir() -> Path:
    """The package's folder (``src/mne_clusters``)."""
    return Path(__file__).resolve().parents[1]


def _file_of(key: str, package: Path) -> Path:
    return package.joinpath(*key.split(".")).with_suffix(".py")


def _key_of(parts: list[str], package: Path) -> str | None:
    """Key of the module or package that dotted ``parts`` name, if it is in the package."""
    if not parts:
        return "__init__"
    if package.joinpath(*parts).with_suffix(".py").is_file():
        return ".".join(parts)
    if (package.joinpath(*parts) / "__init__.py").is_file():
        return ".".join([*parts, "__init__"])
    return None


def _parents(key: str) -> set[str]:
    """The ``__init__`` keys Python runs before module ``key``."""
    parts = key.split(".")[:-1]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return {"__init__"} | {".".join([*parts[:i], "__init__"]) for i in range(1, len(parts) + 1)}


def imported_modules(source: str, current: str = "__init__") -> set[str]:
    """Keys of the package modules that Python ``source`` imports, anywhere in it.

    ``current`` is the key of the module the source belongs to, for relative
    imports (a script outside the package uses the default).
    """
    return set(_imported_modules(source, current, str(_package_dir())))


#: A line that may start an import statement (a parenthesised list runs on).
_IMPORT_LINE = re.compile(
    r"^[ \t]*(?:from[ \t]+[.\w]+[ \t]+import[ \t]*(?:\([^)]*\)|[^\n]*)|import[ \t]+[^\n]*)",
    flags=re.M,
)


def _import_nodes(source: str) -> Iterable[ast.AST]:
    """The import statements of ``source``, as syntax nodes.

    Only the lines that can hold an import are parsed (parsing whole modules
    was most of the Snakefile's parse time): each candidate is parsed alone,
    and one that is not Python (prose in a docstring) is skipped. An import in
    a string that happens to be valid Python counts too, which can only widen
    a fingerprint, never narrow it.
    """
    for match in _IMPORT_LINE.finditer(source):
        try:
            tree = ast.parse(match.group(0).strip())
        except SyntaxError:
            continue
        yield from (n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)))


@functools.lru_cache(maxsize=512)
def _imported_modules(source: str, current: str, package_dir: str) -> frozenset[str]:
    """See :func:`imported_modules`: ``import mne_clusters.x.y``,
    ``from mne_clusters.x import y``, ``from mne_clusters.x.y import z`` and the
    relative forms, also inside functions (a late import is still an import).
    A name imported from a module (not itself a module) counts as that module.
    """
    package = Path(package_dir)
    here = current.split(".")[:-1]  # the package that holds ``current``
    found: set[str] = set()

    def add(parts: list[str], names: Iterable[str] = ()) -> None:
        for name in names:
            key = _key_of([*parts, name], package)
            if key is not None:
                found.add(key)
        key = _key_of(parts, package)
        if key is not None:
            found.add(key)

    for node in _import_nodes(source):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "mne_clusters":
                    add(parts[1:])
        elif isinstance(node, ast.ImportFrom):
            module = (node.module or "").split(".") if node.module else []
            if node.level:
                base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                parts = [*base, *module]
            elif module and module[0] == "mne_clusters":
                parts = module[1:]
            else:
                continue
            add(parts, [a.name for a in node.names])
    return frozenset(found)


def module_closure(*modules: str, files: Iterable[str | os.PathLike[str]] = ()) -> list[str]:
    """Keys of every package module that importing ``modules`` (and running ``files``) loads.

    The package's ``__init__`` files on the way are always in. Sorted, so the
    result does not depend on the order of discovery.
    """
    package = _package_dir()
    todo = set(modules) | {"__init__"}
    for f in files:
        todo |= imported_modules(Path(f).read_text(encoding="utf-8"))
    seen: set[str] = set()
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        todo |= _parents(key) - seen
        path = _file_of(key, package)
        if path.is_file():
            todo |= imported_modules(path.read_text(encoding="utf-8"), key) - seen
    return sorted(seen)


def closure_fingerprint(*modules: str, files: Iterable[str | os.PathLike[str]] = ()) -> str:
    """Short hash of all the package code a job runs, and of the package's data files.

    Covers each module of :func:`module_closure` (so a change to a shared
    helper, e.g. in ``plotting.style``, reruns every rule whose job imports it)
    and every non-Python file shipped in the package (vocabularies, word lists,
    the config schema), which any module may read.
    """
    package = _package_dir()
    digest = hashlib.sha256()
    for key in module_closure(*modules, files=files):
        path = _file_of(key, package)
        digest.update(f"{key}\0".encode())
        digest.update(path.read_bytes() if path.is_file() else b"absent")
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".yml", ".json"):
            digest.update(f"{path.relative_to(package).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
