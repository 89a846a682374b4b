# Helpers shared by the rules: config validation, wave lists and input functions.
# Rules call these by name; no lambdas in rules.

import os
import re
import sys
from pathlib import Path

# The package is importable here and in every job even when it is not installed
# (people running `snakemake` in their own environment, or with --use-conda).
_SRC = str(Path(workflow.basedir) / "src")
if _SRC not in sys.path:
    sys.path.insert(0, _SRC)
_PATHS = [_SRC, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
os.environ.update(PYTHONPATH=os.pathsep.join(dict.fromkeys(_PATHS)))

from mne_clusters.core import config as cfgmod
from mne_clusters.core.errors import ConfigError
from mne_clusters.core.fingerprint import closure_fingerprint

# The files merged into `config`, in merge order: config.yaml, then each
# --configfile overlay; an error names the file that sets the key.
_OVERLAYS = [str(p) for p in workflow.overwrite_configfiles]
_MAIN = [] if workflow.config_settings.replace_workflow_config else [
    str(p) for p in workflow.configfiles if str(p) not in _OVERLAYS
]
try:
    _layers = [(f, cfgmod.read_config_file(f)) for f in dict.fromkeys(_MAIN + _OVERLAYS)]
    _checked = cfgmod.validate_config(
        config,
        source=(_MAIN + _OVERLAYS + ["config.yaml"])[0],
        sources=cfgmod.source_finder(_layers),
    )
except ConfigError as exc:
    sys.stderr.write(f"Config error: {exc}\n")
    sys.exit(1)
config.clear()
config.update(_checked)

# Chronological (survey year, then id), whatever the order of keys or files:
# the comparison runs from each wave to the next later one.
WAVES = cfgmod.wave_ids(config)
# Every rule runs in the environment pinned by requirements.lock; with --use-conda,
# Snakemake builds the same from this file.
ENV = "../envs/mne-clusters.yaml"
REFERENCE_TABLES = list(cfgmod.REFERENCE_TABLES)

# Study tables (issue 4) and the charts drawn from them (all but replication).
TABLES = [
    "mne_presence",
    "foreign_member_share",
    "hq_countries",
    "mne_by_status",
    "mne_by_industry",
    "key_mnes",
    "mne_by_region",
    "emergence_types",
    "org_levels",
    "policy_programmes",
    "replication",
]
CHARTS = [t for t in TABLES if t != "replication"]
STATS_TABLES = ["association_tests", "presence_model", "chicken_or_egg"]
COMPARISON_TABLES = ["relation_changes", "cluster_changes", "headline_indicators"]
COMPARISON_FIGURES = ["headline_indicators", "entries_exits"]
FORMATS = list(config["figures"]["formats"])

# Report grouping: theme of each table/figure.
THEME = {
    "mne_presence": "1 MNE presence",
    "foreign_member_share": "1 MNE presence",
    "mne_by_status": "1 MNE presence",
    "hq_countries": "2 Home countries and industries",
    "mne_by_industry": "2 Home countries and industries",
    "key_mnes": "2 Home countries and industries",
    "mne_by_region": "3 Regions",
    "map_mne_by_region": "3 Regions",
    "emergence_types": "4 Emergence",
    "chicken_or_egg": "4 Emergence",
    "org_levels": "5 Cluster organisation and programmes",
    "policy_programmes": "5 Cluster organisation and programmes",
    "replication": "0 Replication and data accounting",
    "reconciliation": "0 Replication and data accounting",
    "association_tests": "6 Statistics",
    "presence_model": "6 Statistics",
}



def raw_reference(wildcards):
    """Raw file of a default reference table."""
    return cfgmod.file_path(config["reference"][wildcards.table])


def raw_override(wildcards):
    """Raw file of a wave's override of a reference table."""
    return cfgmod.file_path(cfgmod.overrides(config, wildcards.wave)[wildcards.table])


def reference(table, wave=None):
    """Processed reference ``table`` in force for ``wave`` (its override, else the default)."""
    if wave is not None and table in cfgmod.overrides(config, wave):
        return f"data/processed/{wave}/reference/{table}.parquet"
    return f"data/processed/reference/{table}.parquet"


def regions_for_reference(wildcards):
    """Regions table that a rank table is checked against (none for other tables)."""
    if wildcards.table not in ("innovation_rank", "investment_rank"):
        return []
    return reference("regions", getattr(wildcards, "wave", None))


def wave_file(wildcards, table):
    return cfgmod.file_path(config["waves"][wildcards.wave][table])


def wave_clusters(wildcards):
    return wave_file(wildcards, "clusters")


def wave_relations(wildcards):
    return wave_file(wildcards, "relations")


def wave_regions(wildcards):
    return reference("regions", wildcards.wave)


def wave_registry(wildcards):
    return reference("mne_registry", wildcards.wave)


def wave_innovation_rank(wildcards):
    return reference("innovation_rank", wildcards.wave)


def wave_investment_rank(wildcards):
    return reference("investment_rank", wildcards.wave)


def wave_boundaries(wildcards):
    return cfgmod.reference_spec(config, "boundaries", wildcards.wave)


SCRIPTS = Path(workflow.basedir) / "workflow" / "scripts"


def script_code(script):
    """Fingerprint of all the package code a rule's job runs, for its ``params``.

    ``script`` is the rule's file under workflow/scripts; the fingerprint covers
    every package module it imports, and what those import in turn (read from
    the source, nothing imported here), plus the package's data files. A change
    to any of them - a shared plotting helper too - reruns the rule.
    """
    return closure_fingerprint(files=[SCRIPTS / script])


def all_outputs():
    """Everything the target `all` asks for - per wave, the comparison, the front page."""
    out = []
    for wave in WAVES:
        out += [
            f"data/processed/{wave}/clusters.parquet",
            f"data/processed/{wave}/relations.parquet",
            f"data/processed/{wave}/review.csv",
            f"data/processed/{wave}/tables/reconciliation.csv",
            f"data/processed/{wave}/findings.html",
        ]
        out += [f"data/processed/{wave}/tables/{t}.csv" for t in TABLES + STATS_TABLES]
        out += [
            f"figures/{wave}/{f}.{ext}"
            for f in CHARTS + ["map_mne_by_region", "chicken_or_egg"]
            for ext in FORMATS
        ]
    out += [f"data/processed/reference/{t}.parquet" for t in REFERENCE_TABLES]
    if len(WAVES) > 1:
        out += [f"data/processed/comparison/{t}.csv" for t in COMPARISON_TABLES]
        out += [f"figures/comparison/{f}.{ext}" for f in COMPARISON_FIGURES for ext in FORMATS]
    out.append("data/processed/report/front.html")
    return out


def reference_sheet(wildcards):
    """Sheet of a reference table's .xlsx file (None for CSV or the first sheet)."""
    wave = getattr(wildcards, "wave", None)
    return cfgmod.file_sheet(cfgmod.reference_spec(config, wildcards.table, wave))


def wave_sheet(wildcards, table):
    return cfgmod.file_sheet(config["waves"][wildcards.wave][table])


def clusters_sheet(wildcards):
    return wave_sheet(wildcards, "clusters")


def relations_sheet(wildcards):
    return wave_sheet(wildcards, "relations")


def wave_year_of(wildcards):
    return cfgmod.wave_year(config, wildcards.wave)


def ranks_year_of(wildcards):
    return int(config["waves"][wildcards.wave]["ranks_year"])


def wave_classified(wave):
    return {
        "clusters": f"data/processed/{wave}/clusters.parquet",
        "relations": f"data/processed/{wave}/relations.parquet",
    }


def findings_inputs(wildcards):
    """Tables the findings of a wave read their numbers from."""
    names = STATS_TABLES + ["mne_by_status", "mne_by_region", "mne_presence", "mne_by_industry"]
    return [f"data/processed/{wildcards.wave}/tables/{n}.csv" for n in names]


def replication_table(wildcards):
    wave = config.get("replication_wave") or WAVES[0]
    return f"data/processed/{wave}/tables/replication.csv"


def all_findings(wildcards):
    return [f"data/processed/{w}/findings.html" for w in WAVES]


def all_reconciliations(wildcards):
    return [f"data/processed/{w}/tables/reconciliation.csv" for w in WAVES]


def comparison_clusters(wildcards):
    return [wave_classified(w)["clusters"] for w in WAVES]


def comparison_relations(wildcards):
    return [wave_classified(w)["relations"] for w in WAVES]


# Panel exports (issue 16, see panel.smk) - what is stacked and written.
PANEL_TABLES = ["clusters_panel", "relations_panel", *TABLES, *STATS_TABLES, "reconciliation"]
PANEL_STACKED = [*TABLES, *STATS_TABLES, "reconciliation"]


def panel_outputs():
    """Every file the panel rule writes."""
    out = [
        f"data/processed/panel/{name}.{ext}"
        for name in PANEL_TABLES
        for ext in ("csv", "csv.meta.json", "parquet", "dta")
    ]
    return out + ["data/processed/panel/panel.xlsx", "data/processed/panel/panel.xlsx.meta.json"]


def panel_table_inputs(wildcards):
    """Each stacked table's CSV of every wave."""
    return {
        f"table_{name}": [f"data/processed/{w}/tables/{name}.csv" for w in WAVES]
        for name in PANEL_STACKED
    }
