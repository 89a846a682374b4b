# Figures: all charts of a wave in one job - one Python start and one import of
# matplotlib instead of one per chart - each chart still its own report item
# with its caption and theme. The job's code fingerprint covers every package
# module it imports, so a change to one chart or to a shared plotting helper
# reruns the charts (of every wave), and nothing else.


rule charts:
    input:
        **{name: f"data/processed/{{wave}}/tables/{name}.csv" for name in CHARTS},
    output:
        # one named list per chart: its first format is the report item
        **{
            name: [
                report(
                    f"figures/{{wave}}/{name}.{FORMATS[0]}",
                    caption=f"../report/captions/{name}.rst",
                    category="Wave {wave}",
                    subcategory=THEME[name],
                    labels={"name": name, "kind": "chart"},
                ),
                *[f"figures/{{wave}}/{name}.{ext}" for ext in FORMATS[1:]],
            ]
            for name in CHARTS
        },
    log:
        "logs/charts/{wave}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    params:
        charts=CHARTS,
        dpi=config["figures"]["dpi"],
        code=script_code("charts.py"),
    script:
        "../scripts/charts.py"


rule map:
    input:
        table="data/processed/{wave}/tables/mne_by_region.csv",
        boundaries=wave_boundaries,
    output:
        report(
            f"figures/{{wave}}/map_mne_by_region.{FORMATS[0]}",
            caption="../report/captions/map_mne_by_region.rst",
            category="Wave {wave}",
            subcategory=THEME["map_mne_by_region"],
            labels={"name": "map_mne_by_region", "kind": "map"},
        ),
        [f"figures/{{wave}}/map_mne_by_region.{ext}" for ext in FORMATS[1:]],
    log:
        "logs/map/{wave}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1500,
        runtime=15,
    params:
        dpi=config["figures"]["dpi"],
        code=script_code("map.py"),
        settings={"maps": config["maps"], "top_n": config["classify"]["top_n"]},
    script:
        "../scripts/map.py"
