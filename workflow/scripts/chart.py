"""Adapter: draw one chart of one wave (see mne_clusters.figures.run_chart)."""

from mne_clusters.adapter import run
from mne_clusters.figures import run_chart

if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    run(
        run_chart,
        log_path=sm.log[0],
        outputs=sm.output,
        wave=sm.wildcards.wave,
        chart=sm.params.chart,
        table=sm.input.table,
        out=list(sm.output),
        dpi=sm.params.dpi,
        config=dict(sm.config),
    )
