"""Adapter: association tests, Firth model, chicken-or-egg (see mne_clusters.analysis.step.run_stats)."""

from mne_clusters.analysis.step import run_stats
from mne_clusters.core.adapter import run
from mne_clusters.core.catalogue import settings

if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    run(
        run_stats,
        log_path=sm.log[0],
        outputs=sm.output,
        wave=sm.wildcards.wave,
        clusters=sm.input.clusters,
        relations=sm.input.relations,
        out_association=sm.output.association_tests,
        out_model=sm.output.presence_model,
        out_chicken=sm.output.chicken_or_egg,
        config=settings("stats", sm.params.settings, sm.wildcards.wave),
    )
