# Classify: resolve organisations to MNE groups; status, founding period, ranks per cluster.


rule classify_wave:
    input:
        clusters="data/processed/{wave}/ingest/clusters.parquet",
        relations="data/processed/{wave}/ingest/relations.parquet",
        row_log="data/processed/{wave}/ingest/row_log.parquet",
        registry=wave_registry,
        regions=wave_regions,
        innovation_rank=wave_innovation_rank,
        investment_rank=wave_investment_rank,
    output:
        **step_files("classify_wave"),
        **table_outputs("classify_wave"),
    params:
        ranks_year=ranks_year_of,
        code=script_code("classify_wave.py"),
        settings=settings_of("classify_wave"),
    threads: 1
    resources:
        mem_mb=4000,
        runtime=120,
    conda:
        ENV
    log:
        "logs/classify/{wave}.log",
    script:
        "../scripts/classify_wave.py"
