"""Adapter: one wave's ingest and classification in one job
(see mne_clusters.ingest.step.run_wave and mne_clusters.classify.step.run_classify)."""

from mne_clusters.classify.step import run_classify
from mne_clusters.core.adapter import job_spec, run
from mne_clusters.core.settings import settings
from mne_clusters.ingest.step import run_wave


def ingest_and_classify(*, ingest: dict, classify: dict) -> None:
    """Ingest the wave's files, then classify what was ingested."""
    run_wave(**ingest)
    run_classify(**classify)


if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    wave = sm.wildcards.wave
    spec = job_spec(sm.input.spec)
    given, args = spec["settings"], spec["args"]
    out = sm.output
    run(
        ingest_and_classify,
        log_path=sm.log[0],
        outputs=out,
        ingest={
            "wave": wave,
            "wave_year": int(given["ingest_wave"]["waves"][wave]["year"]),
            "clusters": sm.input.clusters,
            "relations": sm.input.relations,
            "regions": sm.input.regions,
            "out_clusters": out.ingest_wave_clusters,
            "out_relations": out.ingest_wave_relations,
            "out_row_log": out.ingest_wave_row_log,
            "industry_map": dict(given["ingest_wave"]["ingest"]["industry_map"]),
            "max_file_mb": given["ingest_wave"]["ingest"]["max_file_mb"],
            "clusters_sheet": args["clusters_sheet"],
            "relations_sheet": args["relations_sheet"],
        },
        classify={
            "wave": wave,
            "clusters": out.ingest_wave_clusters,
            "relations": out.ingest_wave_relations,
            "row_log": out.ingest_wave_row_log,
            "registry": sm.input.registry,
            "regions": sm.input.regions,
            "innovation_rank": sm.input.innovation_rank,
            "investment_rank": sm.input.investment_rank,
            "ranks_year": args["ranks_year"],
            "out_clusters": out.classify_wave_clusters,
            "out_relations": out.classify_wave_relations,
            "out_review": out.classify_wave_review,
            "out_reconciliation": out.reconciliation,
            "config": settings("classify_wave", given["classify_wave"], wave),
        },
    )
