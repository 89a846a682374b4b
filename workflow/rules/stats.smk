# Statistics: association tests, the Firth model of MNE presence, the chicken-or-egg timeline,
# and the plain-language findings built from them.


rule stats:
    input:
        clusters="data/processed/{wave}/clusters.parquet",
        relations="data/processed/{wave}/relations.parquet",
    output:
        association=report(
            "data/processed/{wave}/tables/association_tests.csv",
            caption="../report/captions/association_tests.rst",
            category="Wave {wave}",
            subcategory=THEME["association_tests"],
            labels={"name": "association_tests", "kind": "table"},
        ),
        model=report(
            "data/processed/{wave}/tables/presence_model.csv",
            caption="../report/captions/presence_model.rst",
            category="Wave {wave}",
            subcategory=THEME["presence_model"],
            labels={"name": "presence_model", "kind": "table"},
        ),
        chicken=report(
            "data/processed/{wave}/tables/chicken_or_egg.csv",
            caption="../report/captions/chicken_or_egg_table.rst",
            category="Wave {wave}",
            subcategory=THEME["chicken_or_egg"],
            labels={"name": "chicken_or_egg", "kind": "table"},
        ),
        figure=report(
            f"figures/{{wave}}/chicken_or_egg.{FORMATS[0]}",
            caption="../report/captions/chicken_or_egg.rst",
            category="Wave {wave}",
            subcategory=THEME["chicken_or_egg"],
            labels={"name": "chicken_or_egg", "kind": "chart"},
        ),
        figure_other=[f"figures/{{wave}}/chicken_or_egg.{ext}" for ext in FORMATS[1:]],
        meta=expand("data/processed/{{wave}}/tables/{name}.csv.meta.json", name=STATS_TABLES),
    log:
        "logs/stats/{wave}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        dpi=config["figures"]["dpi"],
        code=script_code("stats.py"),
        settings=config["stats"],
    script:
        "../scripts/stats.py"


rule findings:
    input:
        findings_inputs,
    output:
        "data/processed/{wave}/findings.html",
    log:
        "logs/findings/{wave}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        tables_dir="data/processed/{wave}/tables",
        code=script_code("findings.py"),
    script:
        "../scripts/findings.py"
