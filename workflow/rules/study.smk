# Across waves, in one job: the comparison of consecutive waves (two or more waves),
# the long-format panel of every wave (mne_clusters.waves) and the report's front
# page (mne_clusters.report). `snakemake --report report.html` then gathers every
# table and figure with its caption.


rule study:
    input:
        unpack(panel_table_inputs),
        clusters=comparison_clusters,
        relations=comparison_relations,
        findings=all_findings,
        replication=replication_table,
        reconciliations=all_reconciliations,
        spec=job_spec("study", "study.py", study_args),
    output:
        **(job_outputs("study") if len(WAVES) > 1 else step_files("report_front")),
        panel=cat.panel_files(),
    log:
        "logs/study.log",
    # First when cores are short: after one edited cell the figures are mostly
    # copied from the output cache in a fraction of a second, and this job is
    # the one the run waits for.
    priority: 1
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=4000,
        runtime=90,
    script:
        "../scripts/study.py"
