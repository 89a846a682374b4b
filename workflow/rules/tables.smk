# Tables: the study's eleven tables per wave, each with a provenance sidecar.


rule tables:
    input:
        clusters="data/processed/{wave}/clusters.parquet",
        relations="data/processed/{wave}/relations.parquet",
        regions=wave_regions,
        innovation_rank=wave_innovation_rank,
        investment_rank=wave_investment_rank,
        published=config["published_figures"],
    output:
        **{
            name: report(
                f"data/processed/{{wave}}/tables/{name}.csv",
                caption=f"../report/captions/{name}.rst",
                category="Wave {wave}",
                subcategory=THEME[name],
                labels={"name": name, "kind": "table"},
            )
            for name in TABLES
        },
        meta=expand("data/processed/{{wave}}/tables/{name}.csv.meta.json", name=TABLES),
    log:
        "logs/tables/{wave}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        out_dir="data/processed/{wave}/tables",
        code=script_code("tables.py"),
        settings={"tables": config["tables"], "top_n": config["classify"]["top_n"]},
    script:
        "../scripts/tables.py"
