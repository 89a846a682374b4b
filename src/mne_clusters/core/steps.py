"""The workflow's steps and jobs: which package function each step runs,
which settings of the configuration it uses, which files it writes besides the
catalogued tables and figures (:mod:`.catalogue`), and which steps one
Snakemake job runs together.

Pure data on the standard library, like the catalogue: the Snakefile imports
it at parse time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One workflow step: one Snakemake job (per wave, or once)."""

    #: The rule's name.
    name: str
    #: ``reference``, ``wave`` or ``study`` (once, across waves).
    scope: str
    #: Dotted path of the package function the job runs.
    function: str
    #: Configuration the step uses: section names (``"stats"``) or dotted keys
    #: (``"classify.top_n"``); ``"waves.{wave}"`` is the job's own wave entry,
    #: ``"*"`` the whole configuration. Only these reach the job, its provenance
    #: hash and its rerun trigger.
    settings: tuple[str, ...]
    #: Output files other than the catalogued tables and figures (templates).
    files: tuple[str, ...] = ()
    #: Tables of its wave the step reads (besides what its outputs' ``inputs`` name).
    inputs: tuple[str, ...] = ()
    #: Keyword arguments the step supplies to its tables' functions (by name).
    keywords: tuple[str, ...] = ()


_W = "waves.{wave}"

#: The statistics' settings (the timeline's cap is the charts step's).
_STATS_KEYS = (
    "stats.alpha",
    "stats.seed",
    "stats.monte_carlo_resamples",
    "stats.industry_groups",
    "stats.min_known",
)

STEPS: tuple[Step, ...] = (
    Step(
        "reference",
        "reference",
        "mne_clusters.ingest.step.run_reference",
        ("ingest.max_file_mb",),
        ("data/processed/reference/{table}.parquet",),
    ),
    Step(
        "ingest_wave",
        "wave",
        "mne_clusters.ingest.step.run_wave",
        ("ingest", f"{_W}.year"),
        (
            "data/processed/{wave}/ingest/clusters.parquet",
            "data/processed/{wave}/ingest/relations.parquet",
            "data/processed/{wave}/ingest/row_log.parquet",
        ),
    ),
    Step(
        "classify_wave",
        "wave",
        "mne_clusters.classify.step.run_classify",
        # reference: the warning about a ranks_year no ranking holds names the file
        ("matching", "classify", "scale", "reference", _W),
        (
            "data/processed/{wave}/clusters.parquet",
            "data/processed/{wave}/relations.parquet",
            "data/processed/{wave}/review.csv",
        ),
    ),
    Step(
        "tables",
        "wave",
        "mne_clusters.analysis.step.run_tables",
        ("classify", "tables", f"{_W}.ranks_year"),
        keywords=("config", "ranks_year", "top_n"),
    ),
    Step(
        "stats",
        "wave",
        "mne_clusters.analysis.step.run_stats",
        _STATS_KEYS,
        keywords=("alpha", "industry_groups", "seed", "n_resamples", "min_known"),
    ),
    Step(
        "charts",
        "wave",
        "mne_clusters.plotting.step.run_charts",
        (
            "classify.top_n",
            "classify.status_precedence",
            f"{_W}.ranks_year",
            "figures.dpi",
            "stats.timeline_max_clusters",
        ),
    ),
    Step(
        "map",
        "wave",
        "mne_clusters.plotting.map_step.run_map",
        ("maps", "classify.top_n", f"{_W}.ranks_year", "figures.dpi"),
    ),
    Step(
        "findings",
        "wave",
        "mne_clusters.report.findings.run_findings",
        ("stats.alpha", "classify.top_n"),
        ("data/processed/{wave}/findings.html",),
        ("association_tests", "presence_model", "chicken_or_egg", "mne_by_status", "mne_by_region"),
    ),
    Step(
        "comparison",
        "study",
        "mne_clusters.waves.step.run_comparison",
        ("waves", "classify.status_precedence", "figures.dpi"),
    ),
    Step(
        "panel",
        "study",
        "mne_clusters.waves.panel.run_panel",
        ("waves", "panel"),
    ),
    Step(
        "report_front",
        "study",
        "mne_clusters.report.front.run_front_page",
        ("*",),
        ("data/processed/report/front.html",),
    ),
)


@dataclass(frozen=True)
class Job:
    """One Snakemake rule: the steps one Python process runs, in order.

    Steps are grouped into few jobs because a job's cost here is mostly its
    Python start and imports (issue 14). Each step keeps its own settings: its
    outputs' provenance hashes its own, while the job reruns when any of its
    steps' settings change.
    """

    name: str
    #: ``reference`` (once), ``wave`` (once per wave) or ``study`` (once, across waves).
    scope: str
    steps: tuple[str, ...]


JOBS: tuple[Job, ...] = (
    Job("reference", "reference", ("reference",)),
    Job("wave", "wave", ("ingest_wave", "classify_wave")),
    Job("analysis", "wave", ("tables", "stats", "findings")),
    # the map apart: on two cores it is drawn beside the charts, not after them
    Job("plotting", "wave", ("charts",)),
    Job("map", "wave", ("map",)),
    Job("study", "study", ("comparison", "panel", "report_front")),
)


def job(name: str) -> Job:
    """The job called ``name``."""
    for j in JOBS:
        if j.name == name:
            return j
    raise KeyError(f"no job {name!r} in the catalogue")


def job_of(step_name: str) -> Job:
    """The job that runs step ``step_name``."""
    for j in JOBS:
        if step_name in j.steps:
            return j
    raise KeyError(f"no job runs step {step_name!r}")


# --------------------------------------------------------------------------- queries


def step(name: str) -> Step:
    """The step called ``name``."""
    for s in STEPS:
        if s.name == name:
            return s
    raise KeyError(f"no step {name!r} in the catalogue")
