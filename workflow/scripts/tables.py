"""Adapter: the study's tables of one wave (see mne_clusters.analysis.step.run_tables)."""

from mne_clusters.analysis.step import run_tables
from mne_clusters.core.adapter import run

if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    run(
        run_tables,
        log_path=sm.log[0],
        outputs=sm.output,
        wave=sm.wildcards.wave,
        clusters=sm.input.clusters,
        relations=sm.input.relations,
        regions=sm.input.regions,
        innovation_rank=sm.input.innovation_rank,
        investment_rank=sm.input.investment_rank,
        published=sm.input.published,
        out_dir=sm.params.out_dir,
        config=dict(sm.config),
    )
