# Reading and checking: the default reference tables in one job, then per wave one job
# that ingests the wave's two files and classifies them (mne_clusters.ingest,
# mne_clusters.names, mne_clusters.classify). A data problem stops the job with
# every problem listed (file, row, column, value, fix) and none of its outputs left.


rule reference:
    input:
        **{f"raw_{t}": cfgmod.file_path(config["reference"][t]) for t in REFERENCE_TABLES},
    output:
        **{t: reference(t) for t in REFERENCE_TABLES},
    log:
        "logs/reference.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=20,
    params:
        tables=REFERENCE_TABLES,
        sheets={t: cfgmod.file_sheet(config["reference"][t]) for t in REFERENCE_TABLES},
        code=script_code("references.py"),
        settings=settings_of("reference"),
    script:
        "../scripts/references.py"


# A wave's own version of a reference table (config waves.<id>.reference), one job each.
rule reference_override:
    input:
        raw=raw_override,
        regions=regions_for_reference,
    output:
        "data/processed/{wave}/reference/{table}.parquet",
    log:
        "logs/reference/{wave}/{table}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        sheet=reference_sheet,
        code=script_code("ingest_reference.py"),
        settings=settings_of("reference"),
    script:
        "../scripts/ingest_reference.py"


rule wave:
    input:
        clusters=wave_clusters,
        relations=wave_relations,
        registry=wave_registry,
        regions=wave_regions,
        innovation_rank=wave_innovation_rank,
        investment_rank=wave_investment_rank,
    output:
        **job_outputs("wave"),
    log:
        "logs/wave/{wave}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=4000,
        runtime=180,
    params:
        clusters_sheet=clusters_sheet,
        relations_sheet=relations_sheet,
        ranks_year=ranks_year_of,
        code=script_code("wave.py"),
        settings=settings_of("wave"),
    script:
        "../scripts/wave.py"
