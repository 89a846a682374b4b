"""The charts step of the workflow: read a wave's tables with their provenance
and draw every chart of :data:`mne_clusters.plotting.charts.FIGURES` in one
job.
"""

from __future__ import annotations

from mne_clusters.plotting import style
from mne_clusters.plotting.charts import FIGURES, read_output, with_rank_terms, with_statuses


def run_chart(*, wave: str, chart: str, table: str, out: list[str], dpi: int, config: dict) -> None:
    """Draw one chart of one wave from its table and write it to every path in ``out``.

    Parameters
    ----------
    wave
        Wave id (the table's provenance record names it on the figure).
    chart
        A key of :data:`FIGURES`.
    table
        ``data/processed/<wave>/tables/<chart>.csv`` (its ``.meta.json`` beside it).
    out
        Output files, one per format (``figures/<wave>/<chart>.png``, ``.svg``).
    dpi
        Resolution of PNG output.
    config
        The workflow configuration (unused so far; kept for a uniform signature).
    """
    frame, rec = read_output(table)
    if chart == "mne_by_region":
        rec = with_rank_terms(rec, wave, config)
    if chart == "mne_by_industry":
        rec = with_statuses(rec, config)
    style.save_figure(FIGURES[chart](frame, rec), out, dpi=dpi)
