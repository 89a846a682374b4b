# Long-format exports across all waves (issue 16): every wave's classified
# clusters and relations and every study table, stacked with wave and wave_year,
# as CSV, parquet and Stata .dta, plus one .xlsx workbook (mne_clusters.waves.panel).

rule panel:
    input:
        unpack(panel_table_inputs),
        clusters=comparison_clusters,
        relations=comparison_relations,
    output:
        panel_outputs(),
    params:
        waves=WAVES,
        years=[cfgmod.wave_year(config, w) for w in WAVES],
        tables=PANEL_STACKED,
        code=script_code("panel.py"),
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    conda:
        ENV
    log:
        "logs/panel.log",
    script:
        "../scripts/panel.py"
