# Figures of a wave: every chart and the chicken-or-egg timeline in one job - one
# Python start and one import of matplotlib - and the map in another, so that on two
# cores both draw at once (mne_clusters.plotting), from the finished tables. Each figure
# is still its own report item with its caption and theme. The code fingerprint covers
# every module a job imports, so a change to one chart or to a shared plotting helper
# redraws the figures, and nothing else.


rule plotting:
    input:
        **{f.name: cat.table(f.inputs[0]).path() for f in cat.figures("charts")},
        spec=job_spec("plotting", "plotting.py", plotting_args),
    output:
        **job_outputs("plotting"),
    log:
        "logs/plotting/{wave}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1500,
        runtime=30,
    script:
        "../scripts/plotting.py"


rule map:
    input:
        table=cat.table(cat.figure("map_mne_by_region").inputs[0]).path(),
        boundaries=wave_boundaries,
        spec=job_spec("map", "map.py"),
    output:
        **job_outputs("map"),
    log:
        "logs/map/{wave}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1500,
        runtime=15,
    script:
        "../scripts/map.py"
