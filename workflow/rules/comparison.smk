# Comparison of consecutive waves (only when config lists two or more waves).


rule comparison:
    input:
        clusters=comparison_clusters,
        relations=comparison_relations,
    output:
        **{
            name: report(
                f"data/processed/comparison/{name}.csv",
                caption=f"../report/captions/comparison_{name}.rst",
                category="Comparison of waves",
                labels={"name": name, "kind": "table"},
            )
            for name in COMPARISON_TABLES
        },
        meta=expand("data/processed/comparison/{name}.csv.meta.json", name=COMPARISON_TABLES),
        figures=[
            report(
                f"figures/comparison/{name}.{FORMATS[0]}",
                caption=f"../report/captions/comparison_{name}_figure.rst",
                category="Comparison of waves",
                labels={"name": name, "kind": "chart"},
            )
            for name in COMPARISON_FIGURES
        ],
        figures_other=[
            f"figures/comparison/{name}.{ext}"
            for name in COMPARISON_FIGURES
            for ext in FORMATS[1:]
        ],
    log:
        "logs/comparison.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        waves=WAVES,
        formats=FORMATS,
        dpi=config["figures"]["dpi"],
        code=script_code("comparison.py"),
    script:
        "../scripts/comparison.py"
