"""Adapter: validate and type a wave's own version of one reference table
(see mne_clusters.ingest.step.run_reference)."""

from mne_clusters.core.adapter import job_spec, run
from mne_clusters.ingest.step import run_reference

if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    spec = job_spec(sm.input.spec)
    run(
        run_reference,
        log_path=sm.log[0],
        outputs=sm.output,
        table=sm.wildcards.table,
        path=sm.input.raw,
        out=sm.output[0],
        regions=sm.input.regions or None,
        sheet=spec["args"]["sheet"],
        max_file_mb=spec["settings"]["reference"]["ingest"]["max_file_mb"],
    )
