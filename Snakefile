# mne-clusters: MNEs in Russian cluster initiatives, from desk-research files to a report.
#
# Path scheme (every rule follows it):
#   data/raw/...                                         inputs named in config.yaml (never written)
#   data/processed/reference/<table>.parquet             validated reference tables
#   data/processed/<wave>/reference/<table>.parquet      a wave's override of a reference table
#   data/processed/<wave>/ingest/<table>.parquet         validated input rows and the row log
#   data/processed/<wave>/{clusters,relations}.parquet   classified clusters and relations
#   data/processed/<wave>/review.csv                     organisation names for a person to confirm
#   data/processed/<wave>/tables/<table>.csv             study tables (+ <table>.csv.meta.json)
#   data/processed/<wave>/findings.html                  plain-language findings of the wave
#   figures/<wave>/<figure>.<ext>                        charts and the map
#   data/processed/comparison/<table>.csv                changes between consecutive waves
#   data/processed/panel/<table>.{csv,parquet,dta}, panel.xlsx   every wave stacked (long format)
#   figures/comparison/<figure>.<ext>
#   data/processed/report/front.html                     the report's front page
#   logs/<rule>[/<wave>].log                             one log per job

from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


include: "workflow/rules/common.smk"


wildcard_constraints:
    wave="|".join(map(re.escape, WAVES)),
    table="|".join(REFERENCE_TABLES),
    ext="|".join(FORMATS),


report: "workflow/report/workflow.rst"


include: "workflow/rules/ingest.smk"
include: "workflow/rules/analysis.smk"
include: "workflow/rules/plotting.smk"
include: "workflow/rules/study.smk"


rule all:
    default_target: True
    input:
        all_outputs(),


# A run that has ended exits at once, not a second later: Snakemake's scheduler
# leaves a wake-up timer behind (mne_clusters.core.workflow_exit).
onsuccess:
    cancel_idle_timers()


onerror:
    cancel_idle_timers()
