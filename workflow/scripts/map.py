"""Adapter: the choropleth of MNEs by region of one wave (see
mne_clusters.plotting.map_step.run_map; the only job that imports geopandas, and only to draw)."""

from mne_clusters.core.adapter import job_spec, run
from mne_clusters.core.settings import settings
from mne_clusters.plotting.map_step import run_map

if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    wave = sm.wildcards.wave
    given = job_spec(sm.input.spec)["settings"]["map"]
    run(
        run_map,
        log_path=sm.log[0],
        outputs=sm.output,
        wave=wave,
        table=sm.input.table,
        boundaries=sm.input.boundaries,
        out=list(sm.output.map_mne_by_region_figure),
        dpi=given["figures"]["dpi"],
        config=settings("map", given, wave),
    )
