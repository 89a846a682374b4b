"""Adapter: one wave's tables, statistics and findings in one job (see
mne_clusters.analysis.step.run_tables / run_stats, mne_clusters.report.findings.run_findings)."""

import os

from mne_clusters.analysis.step import run_stats, run_tables
from mne_clusters.core.adapter import job_spec, run
from mne_clusters.core.settings import settings
from mne_clusters.report.findings import run_findings


def analyse(*, tables: dict, stats: dict, findings: dict) -> None:
    """The study's tables, then the statistics, then the findings that read both."""
    run_tables(**tables)
    run_stats(**stats)
    run_findings(**findings)


if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    wave = sm.wildcards.wave
    given = job_spec(sm.input.spec)["settings"]
    out = sm.output
    # The folder comes from the rule's outputs: the path scheme is written once.
    tables_dir = os.path.dirname(out.mne_presence)
    run(
        analyse,
        log_path=sm.log[0],
        outputs=out,
        tables={
            "wave": wave,
            "clusters": sm.input.clusters,
            "relations": sm.input.relations,
            "regions": sm.input.regions,
            "innovation_rank": sm.input.innovation_rank,
            "investment_rank": sm.input.investment_rank,
            "published": sm.input.published,
            "out_dir": tables_dir,
            "config": settings("tables", given["tables"], wave),
        },
        stats={
            "wave": wave,
            "clusters": sm.input.clusters,
            "relations": sm.input.relations,
            "out_association": out.association_tests,
            "out_model": out.presence_model,
            "out_chicken": out.chicken_or_egg,
            "config": settings("stats", given["stats"], wave),
        },
        findings={
            "wave": wave,
            "tables_dir": tables_dir,
            "out": out.findings_findings,
            "config": settings("findings", given["findings"], wave),
        },
    )
