"""Adapter: validate and type a wave's own version of one reference table
(see mne_clusters.ingest.step.run_reference)."""

from mne_clusters.core.adapter import run
from mne_clusters.ingest.step import run_reference

if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    run(
        run_reference,
        log_path=sm.log[0],
        outputs=sm.output,
        table=sm.wildcards.table,
        path=sm.input.raw,
        out=sm.output[0],
        regions=sm.input.regions or None,
        sheet=sm.params.sheet,
        max_file_mb=sm.params.settings["reference"]["ingest"]["max_file_mb"],
    )
