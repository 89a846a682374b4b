# Figures: one rule per chart (generated below), so that a change to one chart's
# code reruns only that chart, and each chart sits under its theme in the report.

for _chart in CHARTS:

    rule:
        name:
            f"chart_{_chart}"
        input:
            table=f"data/processed/{{wave}}/tables/{_chart}.csv",
        output:
            report(
                f"figures/{{wave}}/{_chart}.{FORMATS[0]}",
                caption=f"../report/captions/{_chart}.rst",
                category="Wave {wave}",
                subcategory=THEME[_chart],
                labels={"name": _chart, "kind": "chart"},
            ),
            [f"figures/{{wave}}/{_chart}.{ext}" for ext in FORMATS[1:]],
        params:
            chart=_chart,
            dpi=config["figures"]["dpi"],
            code=chart_code(_chart),
        conda:
            ENV
        log:
            f"logs/chart/{{wave}}/{_chart}.log",
        script:
            "../scripts/chart.py"


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
    params:
        dpi=config["figures"]["dpi"],
        code=module_code("maps", "style"),
        settings={"maps": config["maps"], "top_n": config["classify"]["top_n"]},
    conda:
        ENV
    log:
        "logs/map/{wave}.log",
    script:
        "../scripts/map.py"
