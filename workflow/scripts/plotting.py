"""Adapter: every figure of one wave in one job - the charts and the timeline
(mne_clusters.plotting.step.run_charts), then the map (mne_clusters.plotting.maps.run_map,
imported only here: it brings geopandas)."""

from mne_clusters.core.adapter import run
from mne_clusters.core.catalogue import settings
from mne_clusters.plotting.step import run_charts


def draw(*, charts: dict, map_: dict) -> None:
    """The charts and the timeline, then the map."""
    run_charts(**charts)
    from mne_clusters.plotting.maps import run_map

    run_map(**map_)


if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    wave = sm.wildcards.wave
    given = sm.params.settings
    names = list(sm.params.charts)
    run(
        draw,
        log_path=sm.log[0],
        outputs=sm.output,
        charts={
            "wave": wave,
            "tables": {name: sm.input[name] for name in names},
            "out": {name: list(sm.output[f"{name}_figure"]) for name in names},
            "dpi": given["charts"]["figures"]["dpi"],
            "config": settings("charts", given["charts"], wave),
        },
        map_={
            "wave": wave,
            "table": sm.input.mne_by_region,
            "boundaries": sm.input.boundaries,
            "out": list(sm.output.map_mne_by_region_figure),
            "dpi": given["map"]["figures"]["dpi"],
            "config": settings("map", given["map"], wave),
        },
    )
