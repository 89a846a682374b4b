"""Adapter: association tests, Firth model, chicken-or-egg (see mne_clusters.stats.run_stats)."""

from mne_clusters.adapter import run
from mne_clusters.stats import run_stats

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
