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
        clusters="data/processed/{wave}/clusters.parquet",
        relations="data/processed/{wave}/relations.parquet",
        review="data/processed/{wave}/review.csv",
        reconciliation=report(
            "data/processed/{wave}/tables/reconciliation.csv",
            caption="../report/captions/reconciliation.rst",
            category="Wave {wave}",
            subcategory=THEME["reconciliation"],
            labels={"name": "reconciliation", "kind": "table"},
        ),
        reconciliation_meta="data/processed/{wave}/tables/reconciliation.csv.meta.json",
    log:
        "logs/classify/{wave}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=4000,
        runtime=120,
    params:
        ranks_year=ranks_year_of,
        code=script_code("classify_wave.py"),
        settings={"matching": config["matching"], "classify": config["classify"]},
    script:
        "../scripts/classify_wave.py"
