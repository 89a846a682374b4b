"""Name resolution of a large wave in chunks of relation rows.

:func:`match_in_chunks` cuts a relations frame into consecutive chunks of at
most ``chunk_rows`` rows, resolves each with the public
:func:`mne_clusters.names.matching.match_relations`, and puts the pieces back
together in the input's row order (relations) and in the review table's own
sort order, so that the result is byte-identical to resolving the whole frame
at once. Memory then grows with the chunk, not the wave: the fuzzy matcher's
score matrices are built per chunk. The registry is indexed once for all
chunks, and a name met in an earlier chunk is not resolved again.

Resolution of one row depends only on its own cells and on the registry, never
on the other rows, so chunks can be resolved independently (one after another
here, or in parallel jobs on a cluster).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from mne_clusters.core import config as cfgmod
from mne_clusters.core.errors import DataError
from mne_clusters.names.matching import build_index, match_relations

#: Relations resolved together when the config does not say (``scale.chunk_rows``).
DEFAULT_CHUNK_ROWS: int = cfgmod.default("scale.chunk_rows")

#: Sort order of ``review.csv`` (as :func:`mne_clusters.names.matching.match_relations` writes it).
REVIEW_ORDER = ["cluster_id", "organisation", "relations_row"]


def chunk_rows(config: Mapping[str, Any]) -> int:
    """Chunk size in force: ``scale.chunk_rows`` of the config, else the default."""
    return int((config.get("scale") or {}).get("chunk_rows", DEFAULT_CHUNK_ROWS))


def chunks(frame: pd.DataFrame, size: int) -> list[pd.DataFrame]:
    """Consecutive slices of ``frame`` of at most ``size`` rows (one empty slice if empty)."""
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, got {size}")
    if len(frame) == 0:
        return [frame]
    return [frame.iloc[start : start + size] for start in range(0, len(frame), size)]


def match_in_chunks(
    relations: pd.DataFrame,
    registry: pd.DataFrame,
    config: Mapping[str, Any],
    *,
    file: str,
    size: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`~mne_clusters.names.matching.match_relations`, ``size`` rows at a time.

    Returns the same two frames as one call on the whole of ``relations``:
    the relations in input order with their index, and the review table in
    its stable sort order with a fresh index. Data problems of every chunk are
    collected before any is raised, so one run lists them all.
    """
    size = chunk_rows(config) if size is None else size
    parts = chunks(relations, size)
    if len(parts) == 1:
        return match_relations(relations, registry, dict(config), file=file)
    # The registry is indexed once, and each distinct name resolved once, for
    # all chunks (names repeat across a wave's chunks).
    index = build_index(registry)
    names: list[pd.DataFrame] = []
    resolved, reviews, problems = [], [], []
    for part in parts:
        try:
            out, review = match_relations(
                part, registry, dict(config), file=file, index=index, resolved=names
            )
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        resolved.append(out)
        reviews.append(review)
    if problems:
        raise DataError(problems)
    out = pd.concat(resolved)
    review = pd.concat(reviews, ignore_index=True)
    review = review.sort_values(REVIEW_ORDER, kind="stable").reset_index(drop=True)
    return out, review
