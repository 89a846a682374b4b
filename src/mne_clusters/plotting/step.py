"""The plotting step of the workflow: read a wave's finished tables with their
provenance and draw every figure the catalogue (:mod:`mne_clusters.core.catalogue`)
lists for the step ``charts`` - the charts and the chicken-or-egg timeline - in
one job.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mne_clusters.core import catalogue
from mne_clusters.plotting import style
from mne_clusters.plotting.charts import read_output, with_rank_terms, with_statuses
from mne_clusters.plotting.timeline import DEFAULT_TIMELINE_MAX_CLUSTERS, chicken_or_egg_figure


def run_chart(
    *, wave: str, chart: str, table: str, out: list[str], dpi: int, config: Mapping[str, Any]
) -> None:
    """Draw one chart of one wave from its table and write it to every path in ``out``.

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
    draw = catalogue.resolve(catalogue.figure(chart).function)
    frame, found = read_output(table)
    rec: Mapping[str, Any] | None = found
    if chart == "mne_by_region":
        rec = with_rank_terms(rec, wave, config)
    if chart == "mne_by_industry":
        rec = with_statuses(rec, config)
    style.save_figure(draw(frame, rec), out, dpi=dpi)


def run_timeline(
    *, wave: str, table: str, out: list[str], dpi: int, config: Mapping[str, Any]
) -> None:
    """Draw the chicken-or-egg timeline of one wave from its table.

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
        clusters drawn, default :data:`DEFAULT_TIMELINE_MAX_CLUSTERS`).
    """
    frame, rec = read_output(table)
    stats = (config or {}).get("stats") or {}
    max_clusters = int(stats.get("timeline_max_clusters", DEFAULT_TIMELINE_MAX_CLUSTERS))
    fig = chicken_or_egg_figure(frame, rec or {}, max_clusters=max_clusters)
    style.save_figure(fig, sorted(out), dpi=dpi)


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
