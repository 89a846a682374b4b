"""What a figure shows of its table's provenance record, and nothing more.

A table's ``.meta.json`` sidecar (:func:`mne_clusters.core.provenance.record`)
lists, besides the wave, generator and configuration hash that a figure's
source line names, the SHA-256 of every input file: editing one founding year
changes every sidecar of the wave. A figure is drawn from the keys in
:data:`SHOWN` only (:func:`figure_record`), so its bytes depend on its table and
on those keys, and the output cache (:mod:`mne_clusters.core.cache`) can key
on exactly them. A chart that needs another key must add it to :data:`SHOWN`
(``tests/test_output_cache.py`` draws every figure from the whole record and
from this part of it and compares the bytes).

No matplotlib here: the plotting job reads records before it knows whether it
has anything to draw.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mne_clusters.core import vocabulary as vocab

Record = Mapping[str, Any] | None

#: Keys of a table's provenance record that figures show: the source line's
#: (wave, generator, configuration hash, data credit), the rank terms of the
#: region charts and the status order of the industry chart.
SHOWN = (
    "wave",
    "generator",
    "config_sha256_12",
    "data_credit",
    "top_n",
    "ranks_year",
    "statuses",
)

#: Figures that name the regions' rank terms (top N, the ranks' year).
WITH_RANK_TERMS = frozenset({"mne_by_region", "map_mne_by_region"})

#: Figures that list every status, with or without rows.
WITH_STATUSES = frozenset({"mne_by_industry"})


def read_record(table: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The provenance record beside a table the workflow wrote (``None`` if absent)."""
    meta = Path(f"{os.fspath(table)}.meta.json")
    return json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else None


def with_rank_terms(rec: Record, wave: str, config: Mapping[str, Any] | None) -> Record:
    """``rec`` with ``top_n`` and ``ranks_year`` taken from config where it lacks them."""
    if rec is None:
        return None
    config = config or {}
    wave_cfg = ((config.get("waves", {}) or {}).get(wave, {})) or {}
    top_n = (config.get("classify", {}) or {}).get("top_n")
    return {"top_n": top_n, "ranks_year": wave_cfg.get("ranks_year"), **dict(rec)}


def with_statuses(rec: Record, config: Mapping[str, Any] | None) -> Record:
    """``rec`` with ``statuses`` (config ``classify.status_precedence``, then
    ``none``) where it lacks them, so a chart shows statuses without rows."""
    if rec is None:
        return None
    classify = (config or {}).get("classify", {}) or {}
    order = [str(s) for s in classify.get("status_precedence", vocab.STATUSES)]
    return {"statuses": [*order, "none"], **dict(rec)}


def shown(rec: Record) -> dict[str, Any] | None:
    """The keys of ``rec`` in :data:`SHOWN` (``None`` stays ``None``)."""
    if rec is None:
        return None
    return {k: rec[k] for k in SHOWN if k in rec}


def figure_record(
    figure: str, table: str | os.PathLike[str], wave: str, config: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """What figure ``figure`` shows of the record of ``table``: the record, with the
    rank terms or the status order from config where the figure names them, cut
    to :data:`SHOWN`."""
    rec: Record = read_record(table)
    if figure in WITH_RANK_TERMS:
        rec = with_rank_terms(rec, wave, config)
    if figure in WITH_STATUSES:
        rec = with_statuses(rec, config)
    return shown(rec)
