# Ingest: read the researcher's files, check them against the contract, type them.
# A data problem stops the job with every problem listed (file, row, column, value, fix).


rule reference:
    input:
        raw=raw_reference,
        regions=regions_for_reference,
    output:
        "data/processed/reference/{table}.parquet",
    log:
        "logs/reference/{table}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        sheet=reference_sheet,
        max_file_mb=config["ingest"]["max_file_mb"],
        code=script_code("ingest_reference.py"),
    script:
        "../scripts/ingest_reference.py"


use rule reference as reference_override with:
    input:
        raw=raw_override,
        regions=regions_for_reference,
    output:
        "data/processed/{wave}/reference/{table}.parquet",
    log:
        "logs/reference/{wave}/{table}.log",
    conda:
        ENV


rule ingest_wave:
    input:
        clusters=wave_clusters,
        relations=wave_relations,
        regions=wave_regions,
    output:
        clusters="data/processed/{wave}/ingest/clusters.parquet",
        relations="data/processed/{wave}/ingest/relations.parquet",
        row_log="data/processed/{wave}/ingest/row_log.parquet",
    log:
        "logs/ingest/{wave}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    params:
        wave_year=wave_year_of,
        clusters_sheet=clusters_sheet,
        relations_sheet=relations_sheet,
        industry_map=config["ingest"]["industry_map"],
        max_file_mb=config["ingest"]["max_file_mb"],
        code=script_code("ingest_wave.py"),
    script:
        "../scripts/ingest_wave.py"
