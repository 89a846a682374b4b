"""Provenance: where an output came from.

Every table gets a ``<table>.csv.meta.json`` sidecar and every figure a source
line built from the same record: the wave, the input files with their SHA-256,
a hash of the configuration in force, and the package version. No clock time
and no machine path is recorded, so the record is identical on every machine
and on every rerun.
"""

from __future__ import annotations

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
