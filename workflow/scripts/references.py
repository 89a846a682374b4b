"""Adapter: validate and type every default reference table in one job
(see mne_clusters.ingest.step.run_reference); regions first, since the rank
tables are checked against it."""

from mne_clusters.core.adapter import job_spec, run
from mne_clusters.ingest.step import run_reference


def run_references(*, tables: dict, max_file_mb: float) -> None:
    """``tables``: name -> the arguments of run_reference (regions given by name)."""
    order = sorted(tables, key=lambda name: name != "regions")
    for name in order:
        args = dict(tables[name])
        if args.pop("checked_against_regions"):
            args["regions"] = tables["regions"]["out"]
        run_reference(table=name, max_file_mb=max_file_mb, **args)


if __name__ == "__main__":
    sm = snakemake  # noqa: F821 (injected by Snakemake)
    spec = job_spec(sm.input.spec)
    run(
        run_references,
        log_path=sm.log[0],
        outputs=sm.output,
        tables={
            name: {
                "path": sm.input[f"raw_{name}"],
                "out": sm.output[name],
                "sheet": spec["args"]["sheets"][name],
                "checked_against_regions": name in ("innovation_rank", "investment_rank"),
            }
            for name in spec["args"]["tables"]
        },
        max_file_mb=spec["settings"]["reference"]["ingest"]["max_file_mb"],
    )
