"""Adapter: association tests, Firth model, chicken-or-egg (see mne_clusters.analysis.step.run_stats)."""

from mne_clusters.analysis.step import run_stats
from mne_clusters.core.adapter import run

if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    run(
        run_stats,
        log_path=sm.log[0],
        outputs=sm.output,
        wave=sm.wildcards.wave,
        clusters=sm.input.clusters,
        relations=sm.input.relations,
        out_association=sm.output.association,
        out_model=sm.output.model,
        out_chicken=sm.output.chicken,
        out_figure=[sm.output.figure, *sm.output.figure_other],
        dpi=sm.params.dpi,
        config=dict(sm.config),
    )
