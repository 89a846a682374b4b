# Reading and checking: the default reference tables in one job, then per wave one job
# that ingests the wave's two files and classifies them (mne_clusters.ingest,
# mne_clusters.names, mne_clusters.classify). A data problem stops the job with
# every problem listed (file, row, column, value, fix) and none of its outputs left.


rule reference:
    input:
        **{f"raw_{t}": cfgmod.file_path(config["reference"][t]) for t in REFERENCE_TABLES},
        spec=job_spec("reference", "references.py", reference_args),
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
    script:
        "../scripts/references.py"


# A wave's own version of a reference table (config waves.<id>.reference), one job each.
rule reference_override:
    input:
        raw=raw_override,
        regions=regions_for_reference,
        spec=override_spec,
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
        spec=job_spec("wave", "wave.py", wave_args),
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
    script:
        "../scripts/wave.py"
