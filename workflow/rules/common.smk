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

from mne_clusters.core import catalogue as cat
from mne_clusters.core import config as cfgmod
from mne_clusters.core import settings as step_settings
from mne_clusters.core import steps
from mne_clusters.core.errors import ConfigError
from mne_clusters.core.fingerprint import closure_fingerprint

# The files merged into `config`, in merge order: config.yaml, then each
# --configfile overlay; an error names the file that sets the key.
_OVERLAYS = [str(p) for p in workflow.overwrite_configfiles]
_MAIN = (
    []
    if workflow.config_settings.replace_workflow_config
    else [str(p) for p in workflow.configfiles if str(p) not in _OVERLAYS]
)
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

# Every table and figure, its step, caption and theme: one catalogue in the
# package (mne_clusters.core.catalogue); the rules' outputs and `rule all` come from it.
FORMATS = list(config["figures"]["formats"])


def report_item(output, path):
    """``path`` flagged as the report item of a catalogued table or figure."""
    return report(
        path,
        caption=f"{cat.CAPTION_DIR}/{output.caption}",
        category=cat.CATEGORIES[output.scope],
        subcategory=output.theme,
        labels={"name": output.name, "kind": output.kind},
    )


def table_outputs(step):
    """Named outputs of a step's tables: ``<name>`` (a report item) and ``<name>_meta``
    (the panel's tables, in several formats each, are listed by cat.panel_files)."""
    out = {}
    for t in cat.tables(step):
        if t.scope == "panel":
            continue
        out[t.name] = report_item(t, t.path())
        out[f"{t.name}_meta"] = f"{t.path()}.meta.json"
    return out


def figure_outputs(step):
    """Named outputs of a step's figures: ``<name>_figure``, one file per format,
    the first format the report item."""
    return {
        f"{f.name}_figure": [
            report_item(f, f.path(ext=FORMATS[0])),
            *[f.path(ext=ext) for ext in FORMATS[1:]],
        ]
        for f in cat.figures(step)
    }


def settings_of(job):
    """The settings each step of ``job`` uses (its catalogue entry's), by step,
    for the rule's ``params``: only these reach the job, its steps' provenance
    hashes and its rerun trigger."""
    names = steps.job(job).steps
    if steps.job(job).scope != "wave":
        return {step: step_settings.select(config, step) for step in names}

    def of_wave(wildcards):
        return {step: step_settings.select(config, step, wildcards.wave) for step in names}

    return of_wave


def step_files(step):
    """Named outputs of a step's other files, as ``<step>_<file stem>``."""
    return {f"{step}_{Path(f).name.split('.')[0]}": f for f in steps.step(step).files}


def job_outputs(job):
    """Named outputs of every step of ``job``: files, tables (+ sidecars), figures."""
    out = {}
    for step in steps.job(job).steps:
        out.update(step_files(step))
        out.update(table_outputs(step))
        out.update(figure_outputs(step))
    return out


def step_tables(step):
    """Names of a step's tables, in catalogue order (for the adapter)."""
    return [t.name for t in cat.tables(step)]


def step_figures(step):
    """Names of a step's figures, in catalogue order (for the adapter)."""
    return [f.name for f in cat.figures(step)]


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
    """Everything the target `all` asks for (the catalogue's expansion)."""
    return cat.targets(WAVES, FORMATS, REFERENCE_TABLES)


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


def ranks_year_of(wildcards):
    return int(config["waves"][wildcards.wave]["ranks_year"])


def wave_classified(wave):
    return {
        "clusters": f"data/processed/{wave}/clusters.parquet",
        "relations": f"data/processed/{wave}/relations.parquet",
    }


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


def panel_table_inputs(wildcards):
    """Each stacked table's CSV of every wave."""
    return {f"table_{t.name}": [t.path(w) for w in WAVES] for t in cat.tables(scope="wave")}
