"""Adapter: the choropleth of MNEs by region (see mne_clusters.plotting.maps.run_map)."""

from mne_clusters.core.adapter import run
from mne_clusters.plotting.maps import run_map

if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    run(
        run_map,
        log_path=sm.log[0],
        outputs=sm.output,
        wave=sm.wildcards.wave,
        table=sm.input.table,
        boundaries=sm.input.boundaries,
        out=list(sm.output),
        dpi=sm.params.dpi,
        config=dict(sm.config),
    )
