"""The map job of the workflow: the choropleth of one wave
(:func:`mne_clusters.plotting.maps.run_map`), or a copy from the output cache
(:mod:`mne_clusters.core.cache`) when nothing it depends on changed; geopandas
and matplotlib are imported only to draw. A module of its own so that the
plotting job's code fingerprint leaves the map's code out, and the other way round.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from mne_clusters.core import cache
from mne_clusters.core.fingerprint import closure_fingerprint
from mne_clusters.plotting.figure_cache import MAP_LIBRARIES, figure_parts
from mne_clusters.plotting.record import figure_record


@functools.lru_cache(maxsize=1)
def _code() -> str:
    """Fingerprint of the package code this step runs (the drawing modules included)."""
    return closure_fingerprint("plotting.map_step")


def run_map(
    *, wave: str, table: str, boundaries: str, out: list[str], dpi: int, config: Mapping[str, Any]
) -> None:
    """Draw the map of one wave (:func:`mne_clusters.plotting.maps.run_map`), or copy
    it from the output cache; geopandas is imported only to draw."""
    rec = figure_record("map_mne_by_region", table, wave, config)

    def draw() -> None:
        from mne_clusters.plotting import maps

        maps.run_map(wave=wave, table=table, boundaries=boundaries, out=out, dpi=dpi, config=config)

    parts = figure_parts(
        figure="map_mne_by_region",
        wave=wave,
        inputs=[table, boundaries],
        record=rec,
        dpi=dpi,
        config=config,
        out=out,
        code=_code(),
        libraries=MAP_LIBRARIES,
    )
    cache.produce(f"figures/{wave}/map_mne_by_region", parts, out, draw)
