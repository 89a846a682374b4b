"""Adapter: validate and type a wave's two files (see mne_clusters.ingest.step.run_wave)."""

from mne_clusters.core.adapter import run
from mne_clusters.ingest.step import run_wave

if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    run(
        run_wave,
        log_path=sm.log[0],
        outputs=sm.output,
        wave=sm.wildcards.wave,
        wave_year=sm.params.wave_year,
        clusters=sm.input.clusters,
        relations=sm.input.relations,
        regions=sm.input.regions,
        out_clusters=sm.output.clusters,
        out_relations=sm.output.relations,
        out_row_log=sm.output.row_log,
        industry_map=dict(sm.params.industry_map),
        max_file_mb=sm.params.max_file_mb,
        clusters_sheet=sm.params.clusters_sheet,
        relations_sheet=sm.params.relations_sheet,
    )
