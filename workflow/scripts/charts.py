"""Adapter: draw every chart of one wave in one job (see mne_clusters.plotting.step.run_chart)."""

from mne_clusters.core.adapter import run
from mne_clusters.plotting.step import run_chart


def run_charts(*, wave: str, tables: dict, out: dict, dpi: int, config: dict) -> None:
    """Chart ``name`` from the table ``tables[name]`` to the files ``out[name]``."""
    for name, table in tables.items():
        run_chart(wave=wave, chart=name, table=table, out=out[name], dpi=dpi, config=config)


if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    charts = list(sm.params.charts)
    run(
        run_charts,
        log_path=sm.log[0],
        outputs=sm.output,
        wave=sm.wildcards.wave,
        tables={name: sm.input[name] for name in charts},
        out={name: list(sm.output[name]) for name in charts},
        dpi=sm.params.dpi,
        config=dict(sm.config),
    )
