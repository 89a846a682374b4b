# The report's front page: data sources, replication, and each wave's findings.
# `snakemake --report report.html` then gathers every table and figure with its caption.


rule report_front:
    input:
        findings=all_findings,
        replication=replication_table,
        reconciliations=all_reconciliations,
    output:
        "data/processed/report/front.html",
    log:
        "logs/report_front.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        waves=WAVES,
        code=script_code("report_front.py"),
    script:
        "../scripts/report_front.py"
