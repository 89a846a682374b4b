"""Adapter: the plain-language findings of one wave (see mne_clusters.report.findings.run_findings)."""

from mne_clusters.core.adapter import run
from mne_clusters.report.findings import run_findings

if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    run(
        run_findings,
        log_path=sm.log[0],
        outputs=sm.output,
        wave=sm.wildcards.wave,
        tables_dir=sm.params.tables_dir,
        out=sm.output[0],
        config=dict(sm.config),
    )
