# Analysis of a wave in one job: the study's tables, the statistics and the
# plain-language findings built from them (mne_clusters.analysis, mne_clusters.report).
# Each table is its own report item, with its caption and theme.


rule analysis:
    input:
        clusters="data/processed/{wave}/clusters.parquet",
        relations="data/processed/{wave}/relations.parquet",
        regions=wave_regions,
        innovation_rank=wave_innovation_rank,
        investment_rank=wave_investment_rank,
        published=config["published_figures"],
        spec=job_spec("analysis", "analysis.py"),
    output:
        **job_outputs("analysis"),
    log:
        "logs/analysis/{wave}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=90,
    script:
        "../scripts/analysis.py"
