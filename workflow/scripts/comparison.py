"""Adapter: changes between consecutive waves (see mne_clusters.waves.step.run_comparison)."""

import os

from mne_clusters.core.adapter import run
from mne_clusters.waves.step import run_comparison

if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    run(
        run_comparison,
        log_path=sm.log[0],
        outputs=sm.output,
        waves=list(sm.params.waves),
        clusters=list(sm.input.clusters),
        relations=list(sm.input.relations),
        # The folders come from the rule's outputs: the path scheme is written once.
        out_tables=os.path.dirname(sm.output.relation_changes),
        out_figures=os.path.dirname(sm.output.figures[0]),
        formats=list(sm.params.formats),
        dpi=sm.params.dpi,
        config=dict(sm.config),
    )
