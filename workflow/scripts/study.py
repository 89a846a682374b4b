"""Adapter: across waves in one job - the comparison of consecutive waves (two or
more waves; mne_clusters.waves.step.run_comparison), the long-format panel
(mne_clusters.waves.panel.run_panel) and the report's front page
(mne_clusters.report.front.run_front_page)."""

import os

from mne_clusters.core.adapter import job_spec, run
from mne_clusters.core.settings import settings
from mne_clusters.report.front import run_front_page
from mne_clusters.waves.panel import run_panel
from mne_clusters.waves.step import run_comparison


def across_waves(*, comparison: dict | None, panel: dict, front: dict) -> None:
    """The comparison (when there are two or more waves), the panel, the front page."""
    if comparison is not None:
        run_comparison(**comparison)
    run_panel(**panel)
    run_front_page(**front)


if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    spec = job_spec(sm.input.spec)
    given, args = spec["settings"], spec["args"]
    out = sm.output
    waves = list(args["waves"])
    comparison = None
    if len(waves) > 1:
        comparison = {
            "waves": waves,
            "clusters": list(sm.input.clusters),
            "relations": list(sm.input.relations),
            # The folders come from the rule's outputs: the path scheme is written once.
            "out_tables": os.path.dirname(out.relation_changes),
            "out_figures": os.path.dirname(out.headline_indicators_figure[0]),
            "formats": list(args["formats"]),
            "dpi": given["comparison"]["figures"]["dpi"],
            "config": settings("comparison", given["comparison"]),
        }
    run(
        across_waves,
        log_path=sm.log[0],
        outputs=out,
        comparison=comparison,
        panel={
            "waves": waves,
            "years": [int(y) for y in args["years"]],
            "clusters": list(sm.input.clusters),
            "relations": list(sm.input.relations),
            "tables": {name: list(sm.input[f"table_{name}"]) for name in args["tables"]},
            "out_dir": os.path.dirname(out.panel[0]),
            "config": settings("panel", given["panel"]),
        },
        front={
            "waves": waves,
            "findings": list(sm.input.findings),
            "replication": sm.input.replication,
            "reconciliations": list(sm.input.reconciliations),
            "out": out.report_front_front,
            "config": settings("report_front", given["report_front"]),
        },
    )
