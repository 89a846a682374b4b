"""Provenance: where an output came from.

Every table gets a ``<table>.csv.meta.json`` sidecar and every figure a source
line built from the same record: the wave, the input files with their SHA-256,
a hash of the configuration in force, and the package version. No clock time
and no machine path is recorded, so the record is identical on every machine
and on every rerun.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from mne_clusters import __version__

#: Short citation of the default data, shown on every figure.
DATA_CREDIT = "Data: public sources compiled for mne-clusters (see data/raw/README.md)"


def sha256_file(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def config_hash(config: Mapping[str, Any]) -> str:
    """Short, order-independent hash of a configuration mapping."""
    text = json.dumps(config, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _relative(path: str | os.PathLike[str]) -> str:
    """The path as given if relative, else relative to the working directory."""
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix()
    try:
        return p.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return p.name


def record(
    *,
    wave: str | None,
    inputs: Iterable[str | os.PathLike[str]],
    config: Mapping[str, Any],
    description: str = "",
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Build the provenance record of one output.

    Parameters
    ----------
    wave
        Survey wave id, or ``None`` for outputs across waves.
    inputs
        Files the output was computed from; each is listed with its SHA-256.
    config
        The workflow configuration in force (hashed, not copied).
    description
        One sentence on what the output holds.
    extra
        Further keys (e.g. notes on gaps).
    """
    rec: dict[str, Any] = {
        "generator": f"mne-clusters {__version__}",
        "wave": wave,
        "description": description,
        "config_sha256_12": config_hash(config),
        "inputs": [
            {"path": _relative(p), "sha256": sha256_file(p)} for p in sorted(map(str, inputs))
        ],
        "data_credit": DATA_CREDIT,
    }
    if extra:
        rec.update(extra)
    return rec


def source_line(rec: Mapping[str, Any]) -> str:
    """One line for the foot of a figure: wave, generator, config hash, data credit."""
    wave = f"wave {rec['wave']} · " if rec.get("wave") else ""
    return f"{wave}{rec['generator']} · config {rec['config_sha256_12']} · {rec['data_credit']}"


def _module_file(module: str) -> Path:
    return Path(__file__).resolve().parent / f"{module}.py"


def _registered_function(tree: ast.Module, name: str) -> str | None:
    """Name of the function a module-level registry dict (``FIGURES = {...}``) maps ``name`` to."""
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        if not isinstance(value, ast.Dict):
            continue
        for key, val in zip(value.keys, value.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == name and isinstance(val, ast.Name):
                return val.id
    return None


def code_fingerprint(module: str, *, function: str | None = None) -> str:
    """Short hash of a package module's source, or of one function in it.

    Used as a Snakemake ``params`` value so that a change to the code behind a
    rule reruns that rule, and a change to the code of one chart reruns only
    that chart. The module is read as text, not imported, so the workflow starts
    fast. ``function`` may be a function name or a key of a registry dict that
    maps names to functions; when neither is found the whole module counts.
    """
    path = _module_file(module)
    if not path.is_file():
        return f"{module}:absent"
    source = path.read_text(encoding="utf-8")
    text = source
    if function is not None:
        tree = ast.parse(source)
        target = _registered_function(tree, function) or function
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == target:
                text = ast.get_source_segment(source, node) or source
                break
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _package_dir() -> Path:
    return _module_file("__init__").parent


def imported_modules(source: str) -> set[str]:
    """Modules of this package that Python ``source`` imports (see :func:`_imported_modules`)."""
    return set(_imported_modules(source, str(_package_dir())))


@functools.lru_cache(maxsize=256)
def _imported_modules(source: str, package_dir: str) -> frozenset[str]:
    """Modules of this package that Python ``source`` imports, anywhere in it.

    Reads the syntax tree (nothing is imported): ``import mne_clusters.x``,
    ``from mne_clusters import x``, ``from mne_clusters.x import y`` and the
    relative forms, also inside functions (a late import is still an import).
    A name imported from the package that is not a module file is ignored.
    """
    package = Path(package_dir)
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "mne_clusters" and len(parts) > 1:
                    found.add(parts[1])
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parts = module.split(".") if module else []
            elif module.split(".")[0] == "mne_clusters":
                parts = module.split(".")[1:]
            else:
                continue
            if parts:
                found.add(parts[0])
            else:
                found.update(alias.name for alias in node.names)
    return frozenset(m for m in found if (package / f"{m}.py").is_file())


def module_closure(*modules: str, files: Iterable[str | os.PathLike[str]] = ()) -> list[str]:
    """Every package module that importing ``modules`` (and running ``files``) loads.

    The package's ``__init__`` is always in: Python runs it before any module of
    the package. Sorted, so the result does not depend on the order of discovery.
    """
    package = _package_dir()
    todo = set(modules) | {"__init__"}
    for f in files:
        todo |= imported_modules(Path(f).read_text(encoding="utf-8"))
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = package / f"{name}.py"
        if path.is_file():
            todo |= imported_modules(path.read_text(encoding="utf-8")) - seen
    return sorted(seen)


def closure_fingerprint(*modules: str, files: Iterable[str | os.PathLike[str]] = ()) -> str:
    """Short hash of all the package code a job runs, and of the package's data files.

    Covers each module of :func:`module_closure` (so a change to a shared
    helper, e.g. in ``style``, reruns every rule whose job imports it) and every
    non-Python file shipped in the package (vocabularies, the config schema),
    which any module may read. A rule's job that imports ``figures`` gets a new
    fingerprint when ``figures``, ``style`` or anything they import changes.
    """
    package = _package_dir()
    digest = hashlib.sha256()
    for name in module_closure(*modules, files=files):
        path = package / f"{name}.py"
        digest.update(f"{name}\0".encode())
        digest.update(path.read_bytes() if path.is_file() else b"absent")
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".yml", ".json"):
            digest.update(f"{path.relative_to(package).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
