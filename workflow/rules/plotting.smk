# Figures of a wave in one job: every chart, the chicken-or-egg timeline and the map
# (mne_clusters.plotting), drawn from the finished tables - one Python start and one
# import of matplotlib. Each figure is still its own report item with its caption
# and theme. The code fingerprint covers every module the job imports, so a change
# to one chart or to a shared plotting helper redraws the figures, and nothing else.


rule plotting:
    input:
        **{f.name: cat.table(f.inputs[0]).path() for f in cat.figures("charts")},
        boundaries=wave_boundaries,
    output:
        **job_outputs("plotting"),
    params:
        charts=step_figures("charts"),
        code=script_code("plotting.py"),
        settings=settings_of("plotting"),
    threads: 1
    resources:
        mem_mb=1500,
        runtime=30,
    conda:
        ENV
    log:
        "logs/plotting/{wave}.log",
    script:
        "../scripts/plotting.py"
