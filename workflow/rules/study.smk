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
    output:
        **(job_outputs("study") if len(WAVES) > 1 else step_files("report_front")),
        panel=cat.panel_files(),
    log:
        "logs/study.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=4000,
        runtime=90,
    params:
        waves=WAVES,
        years=[cfgmod.wave_year(config, w) for w in WAVES],
        tables=[t.name for t in cat.tables(scope="wave")],
        formats=FORMATS,
        code=script_code("study.py"),
        settings=settings_of("study"),
    script:
        "../scripts/study.py"
