"""The charts step of the workflow: read a wave's tables with their provenance
and draw every chart the catalogue (:mod:`mne_clusters.core.catalogue`) lists
for the step ``charts``, in one job.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from mne_clusters.core import catalogue
from mne_clusters.plotting import style
from mne_clusters.plotting.charts import read_table, with_rank_terms, with_statuses


def run_chart(*, wave: str, chart: str, table: str, out: list[str], dpi: int, config: dict) -> None:
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
    frame, rec = read_table(table)
    if chart == "mne_by_region":
        rec = with_rank_terms(rec, wave, config)
    if chart == "mne_by_industry":
        rec = with_statuses(rec, config)
    style.save_figure(draw(frame, rec), out, dpi=dpi)


def run_charts(
    *,
    wave: str,
    tables: Mapping[str, str],
    out: Mapping[str, Sequence[str]],
    dpi: int,
    config: dict,
) -> None:
    """Draw chart ``name`` from the table ``tables[name]`` to the files ``out[name]``."""
    for name, table in tables.items():
        run_chart(wave=wave, chart=name, table=table, out=list(out[name]), dpi=dpi, config=config)


def run_figures(
    *, wave: str, tables_dir: str, out_dir: str, formats: list[str], dpi: int, config: dict
) -> None:
    """Draw every chart of the step ``charts`` as ``<out_dir>/<name>.<fmt>``.

    Parameters
    ----------
    wave
        Wave id.
    tables_dir
        ``data/processed/<wave>/tables``.
    out_dir
        ``figures/<wave>``.
    formats
        File formats, e.g. ``["png", "svg"]``.
    dpi
        Resolution of PNG output.
    config
        The workflow configuration.
    """
    for entry in catalogue.figures("charts"):
        run_chart(
            wave=wave,
            chart=entry.name,
            table=str(Path(tables_dir) / f"{entry.inputs[0]}.csv"),
            out=[str(Path(out_dir) / f"{entry.name}.{fmt}") for fmt in formats],
            dpi=dpi,
            config=config,
        )
