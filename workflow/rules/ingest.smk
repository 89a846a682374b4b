# Ingest: read the researcher's files, check them against the contract, type them.
# A data problem stops the job with every problem listed (file, row, column, value, fix).


rule reference:
    input:
        raw=raw_reference,
        regions=regions_for_reference,
    output:
        "data/processed/reference/{table}.parquet",
    params:
        sheet=reference_sheet,
        settings=settings_of("reference"),
        code=script_code("ingest_reference.py"),
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    log:
        "logs/reference/{table}.log",
    script:
        "../scripts/ingest_reference.py"


use rule reference as reference_override with:
    input:
        raw=raw_override,
        regions=regions_for_reference,
    output:
        "data/processed/{wave}/reference/{table}.parquet",
    conda:
        ENV
    log:
        "logs/reference/{wave}/{table}.log",


rule ingest_wave:
    input:
        clusters=wave_clusters,
        relations=wave_relations,
        regions=wave_regions,
    output:
        clusters="data/processed/{wave}/ingest/clusters.parquet",
        relations="data/processed/{wave}/ingest/relations.parquet",
        row_log="data/processed/{wave}/ingest/row_log.parquet",
    params:
        clusters_sheet=clusters_sheet,
        relations_sheet=relations_sheet,
        settings=settings_of("ingest_wave"),
        code=script_code("ingest_wave.py"),
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    conda:
        ENV
    log:
        "logs/ingest/{wave}.log",
    script:
        "../scripts/ingest_wave.py"
