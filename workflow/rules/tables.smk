# Tables: the study's tables per wave (the catalogue's step `tables`), each with a
# provenance sidecar.


rule tables:
    input:
        clusters="data/processed/{wave}/clusters.parquet",
        relations="data/processed/{wave}/relations.parquet",
        regions=wave_regions,
        innovation_rank=wave_innovation_rank,
        investment_rank=wave_investment_rank,
        published=config["published_figures"],
    output:
        **table_outputs("tables"),
    params:
        out_dir="data/processed/{wave}/tables",
        code=script_code("tables.py"),
        settings=settings_of("tables"),
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        ENV
    log:
        "logs/tables/{wave}.log",
    script:
        "../scripts/tables.py"
