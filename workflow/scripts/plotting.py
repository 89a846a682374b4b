"""Adapter: every chart and the chicken-or-egg timeline of one wave in one job
(see mne_clusters.plotting.step.run_charts)."""

from mne_clusters.core.adapter import job_spec, run
from mne_clusters.core.settings import settings
from mne_clusters.plotting.step import run_charts

if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    wave = sm.wildcards.wave
    spec = job_spec(sm.input.spec)
    given = spec["settings"]["charts"]
    names = list(spec["args"]["charts"])
    run(
        run_charts,
        log_path=sm.log[0],
        outputs=sm.output,
        wave=wave,
        tables={name: sm.input[name] for name in names},
        out={name: list(sm.output[f"{name}_figure"]) for name in names},
        dpi=given["figures"]["dpi"],
        config=settings("charts", given, wave),
    )
