"""Adapter: the report's front page (see mne_clusters.report.front.run_front_page)."""

from mne_clusters.core.adapter import run
from mne_clusters.report.front import run_front_page

if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    run(
        run_front_page,
        log_path=sm.log[0],
        outputs=sm.output,
        waves=list(sm.params.waves),
        findings=list(sm.input.findings),
        replication=sm.input.replication,
        reconciliations=list(sm.input.reconciliations),
        out=sm.output[0],
        config=dict(sm.config),
    )
