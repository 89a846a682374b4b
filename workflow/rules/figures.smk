# Figures: all charts of a wave in one job - one Python start and one import of
# matplotlib instead of one per chart - each chart still its own report item
# with its caption and theme. The job's code fingerprint covers every package
# module it imports, so a change to one chart or to a shared plotting helper
# reruns the charts (of every wave), and nothing else.


rule charts:
    input:
        **{f.name: cat.table(f.inputs[0]).path() for f in cat.figures("charts")},
    output:
        **figure_outputs("charts"),
    params:
        charts=step_figures("charts"),
        code=script_code("charts.py"),
        settings=settings_of("charts"),
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    conda:
        ENV
    log:
        "logs/charts/{wave}.log",
    script:
        "../scripts/charts.py"


rule map:
    input:
        table="data/processed/{wave}/tables/mne_by_region.csv",
        boundaries=wave_boundaries,
    output:
        **figure_outputs("map"),
    params:
        code=script_code("map.py"),
        settings=settings_of("map"),
    threads: 1
    resources:
        mem_mb=1500,
        runtime=15,
    conda:
        ENV
    log:
        "logs/map/{wave}.log",
    script:
        "../scripts/map.py"
