# Comparison of consecutive waves (only when config lists two or more waves).


rule comparison:
    input:
        clusters=comparison_clusters,
        relations=comparison_relations,
    output:
        **table_outputs("comparison"),
        **figure_outputs("comparison"),
    params:
        waves=WAVES,
        formats=FORMATS,
        code=script_code("comparison.py"),
        settings=settings_of("comparison"),
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        ENV
    log:
        "logs/comparison.log",
    script:
        "../scripts/comparison.py"
