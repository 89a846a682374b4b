"""The plotting step of the workflow: read a wave's finished tables with their
provenance and draw every figure the catalogue (:mod:`mne_clusters.core.catalogue`)
lists for the step ``charts`` - the charts and the chicken-or-egg timeline - in
one job (the map is drawn by :mod:`.map_step`, in a job of its own).

A figure whose inputs are as when it was last drawn is copied from the
output cache (:mod:`mne_clusters.core.cache`) instead; the key of a figure is
:func:`mne_clusters.plotting.figure_cache.figure_parts`. The drawing modules
(matplotlib, seaborn) are imported only when something is drawn, so a job with
nothing new to draw takes a fraction of a second.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from mne_clusters.core import cache, catalogue
from mne_clusters.core.fingerprint import closure_fingerprint
from mne_clusters.plotting.figure_cache import figure_parts
from mne_clusters.plotting.record import figure_record


@functools.lru_cache(maxsize=1)
def _code() -> str:
    """Fingerprint of the package code this step runs (drawing modules included)."""
    return closure_fingerprint("plotting.step")


def _produce(
    figure: str,
    wave: str,
    table: str,
    rec: Mapping[str, Any] | None,
    dpi: int,
    config: Mapping[str, Any],
    out: list[str],
    draw: Callable[[], None],
) -> None:
    """Copy figure ``figure`` of ``wave`` from the cache, or ``draw`` it and keep it."""
    parts = figure_parts(
        figure=figure,
        wave=wave,
        inputs=[table],
        record=rec,
        dpi=dpi,
        config=config,
        out=out,
        code=_code(),
    )
    cache.produce(f"figures/{wave}/{figure}", parts, out, draw)


def run_chart(
    *, wave: str, chart: str, table: str, out: list[str], dpi: int, config: Mapping[str, Any]
) -> None:
    """Draw one chart of one wave from its table and write it to every path in ``out``
    (or copy it from the output cache if nothing it depends on changed).

    Parameters
    ----------
    wave
        Wave id (the table's provenance record names it on the figure).
    chart
        The name of a chart of the catalogue's step ``charts``.
    table
        ``data/processed/<wave>/tables/<chart>.csv`` (its ``.meta.json`` beside it).
    out
        Output files, one per format (``figures/<wave>/<chart>.png``, ``.svg``).
    dpi
        Resolution of PNG output.
    config
        The workflow configuration (``classify.top_n``,
        ``classify.status_precedence``, ``waves.<wave>.ranks_year``: terms the
        charts name when the table's record lacks them).
    """
    rec = figure_record(chart, table, wave, config)

    def draw() -> None:
        from mne_clusters.plotting import style
        from mne_clusters.plotting.charts import read_output

        frame, _ = read_output(table)
        function = catalogue.resolve(catalogue.figure(chart).function)
        style.save_figure(function(frame, rec), out, dpi=dpi)

    _produce(chart, wave, table, rec, dpi, config, out, draw)


def run_timeline(
    *, wave: str, table: str, out: list[str], dpi: int, config: Mapping[str, Any]
) -> None:
    """Draw the chicken-or-egg timeline of one wave from its table (or copy it from
    the output cache).

    Parameters
    ----------
    wave
        Wave id.
    table
        ``data/processed/<wave>/tables/chicken_or_egg.csv`` (its ``.meta.json``
        beside it gives the source line).
    out
        Output files, one per format.
    dpi
        Resolution of PNG output.
    config
        The workflow configuration (``stats.timeline_max_clusters``: most
        clusters drawn, default
        :data:`mne_clusters.plotting.timeline.DEFAULT_TIMELINE_MAX_CLUSTERS`).
    """
    rec = figure_record("chicken_or_egg", table, wave, config)

    def draw() -> None:
        from mne_clusters.plotting import style
        from mne_clusters.plotting.charts import read_output
        from mne_clusters.plotting.timeline import (
            DEFAULT_TIMELINE_MAX_CLUSTERS,
            chicken_or_egg_figure,
        )

        frame, _ = read_output(table)
        stats = (config or {}).get("stats") or {}
        max_clusters = int(stats.get("timeline_max_clusters", DEFAULT_TIMELINE_MAX_CLUSTERS))
        fig = chicken_or_egg_figure(frame, rec or {}, max_clusters=max_clusters)
        style.save_figure(fig, sorted(out), dpi=dpi)

    _produce("chicken_or_egg", wave, table, rec, dpi, config, out, draw)


def run_charts(
    *,
    wave: str,
    tables: Mapping[str, str],
    out: Mapping[str, Sequence[str]],
    dpi: int,
    config: Mapping[str, Any],
) -> None:
    """Draw figure ``name`` from the table ``tables[name]`` to the files ``out[name]``
    (the timeline by :func:`run_timeline`, every other chart by :func:`run_chart`)."""
    for name, table in tables.items():
        if name == "chicken_or_egg":
            run_timeline(wave=wave, table=table, out=list(out[name]), dpi=dpi, config=config)
        else:
            run_chart(
                wave=wave, chart=name, table=table, out=list(out[name]), dpi=dpi, config=config
            )
