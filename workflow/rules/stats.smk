# Statistics: association tests, the Firth model of MNE presence, the chicken-or-egg table
# (its timeline is drawn with the charts), and the plain-language findings built from them.


rule stats:
    input:
        clusters="data/processed/{wave}/clusters.parquet",
        relations="data/processed/{wave}/relations.parquet",
    output:
        **table_outputs("stats"),
    params:
        code=script_code("stats.py"),
        settings=settings_of("stats"),
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
    conda:
        ENV
    log:
        "logs/stats/{wave}.log",
    script:
        "../scripts/stats.py"


rule findings:
    input:
        findings_inputs,
    output:
        "data/processed/{wave}/findings.html",
    params:
        tables_dir="data/processed/{wave}/tables",
        code=script_code("findings.py"),
        settings=settings_of("findings"),
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    conda:
        ENV
    log:
        "logs/findings/{wave}.log",
    script:
        "../scripts/findings.py"
