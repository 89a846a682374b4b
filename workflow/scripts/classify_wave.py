"""Adapter: resolve MNE groups and classify clusters (see mne_clusters.classify.step.run_classify)."""

from mne_clusters.classify.step import run_classify
from mne_clusters.core.adapter import run

if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    run(
        run_classify,
        log_path=sm.log[0],
        outputs=sm.output,
        wave=sm.wildcards.wave,
        clusters=sm.input.clusters,
        relations=sm.input.relations,
        row_log=sm.input.row_log,
        registry=sm.input.registry,
        regions=sm.input.regions,
        innovation_rank=sm.input.innovation_rank,
        investment_rank=sm.input.investment_rank,
        ranks_year=sm.params.ranks_year,
        out_clusters=sm.output.clusters,
        out_relations=sm.output.relations,
        out_review=sm.output.review,
        out_reconciliation=sm.output.reconciliation,
        config=dict(sm.config),
    )
