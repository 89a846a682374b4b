"""Adapter: long-format exports across waves (see mne_clusters.waves.panel.run_panel)."""

import os

from mne_clusters.core.adapter import run
from mne_clusters.waves.panel import run_panel

if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    run(
        run_panel,
        log_path=sm.log[0],
        outputs=sm.output,
        waves=list(sm.params.waves),
        years=[int(y) for y in sm.params.years],
        clusters=list(sm.input.clusters),
        relations=list(sm.input.relations),
        tables={name: list(sm.input[f"table_{name}"]) for name in sm.params.tables},
        # The folder comes from the rule's outputs: the path scheme is written once.
        out_dir=os.path.dirname(sm.output[0]),
        config=dict(sm.config),
    )
