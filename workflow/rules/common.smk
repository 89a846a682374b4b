# Helpers shared by the rules: config validation, wave lists and input functions.
# Rules call these by name; no lambdas in rules.

import json
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
from mne_clusters.core.atomic import atomic_path
from mne_clusters.core.errors import ConfigError
from mne_clusters.core.fingerprint import closure_fingerprint
from mne_clusters.core.workflow_exit import cancel_idle_timers

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


def settings_of(job, wave=None):
    """The settings each step of ``job`` uses (its catalogue entry's), by step:
    only these reach the job, its steps' provenance hashes and its rerun trigger."""
    return {step: step_settings.select(config, step, wave) for step in steps.job(job).steps}


# Each job's spec: the settings its steps use, the fingerprint of the package code
# it runs and the few other values it needs (sheet names, the list of waves), in a
# small JSON file per job under .snakemake/mne-clusters/specs/, written here when
# its content changes. It is an input of the job, so a changed setting or changed
# code reruns the job (the file is newer than the outputs and its checksum differs
# from the one Snakemake recorded), and nothing else does. Snakemake's `params`
# would do the same, but comparing params makes Snakemake import pandas, a third
# of a second of every call, dry runs too (benchmarks/README.md).
SPEC_DIR = Path(".snakemake") / "mne-clusters" / "specs"


def write_spec(path, content):
    """Write ``content`` (JSON) to ``path`` unless the file already holds it; the path."""
    # Key order kept: a setting's order (the reference tables') is the config's.
    text = json.dumps(content, indent=1, ensure_ascii=False, default=str) + "\n"
    path = Path(path)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        with atomic_path(path) as tmp:
            tmp.write_text(text, encoding="utf-8")
    return str(path)


def job_spec(job, script, args=None):
    """Input of a job: its spec file (see above). ``args(wave)`` gives the job's other
    values (``wave`` is None for a job across waves). For a job per wave, an input
    function; the spec of every wave is written at once."""
    code = script_code(script)

    def content(wave):
        spec = {"job": job, "code": code, "settings": settings_of(job, wave)}
        spec["args"] = args(wave) if args else {}
        return spec

    if steps.job(job).scope != "wave":
        return write_spec(SPEC_DIR / f"{job}.json", content(None))
    paths = {w: write_spec(SPEC_DIR / job / f"{w}.json", content(w)) for w in WAVES}

    def of_wave(wildcards):
        return paths[wildcards.wave]

    return of_wave


def override_spec(wildcards):
    """Spec of a wave's override of a reference table (written on first use)."""
    spec = {
        "job": "reference_override",
        "code": script_code("ingest_reference.py"),
        "settings": settings_of("reference"),
        "args": {"sheet": reference_sheet(wildcards)},
    }
    path = SPEC_DIR / "reference_override" / wildcards.wave / f"{wildcards.table}.json"
    return write_spec(path, spec)


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
    """Fingerprint of all the package code a rule's job runs, for its spec.

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


def reference_args(wave):
    """What the reference job needs besides settings: the tables, each file's sheet."""
    sheets = {t: cfgmod.file_sheet(config["reference"][t]) for t in REFERENCE_TABLES}
    return {"tables": REFERENCE_TABLES, "sheets": sheets}


def wave_args(wave):
    """What a wave job needs besides settings: its files' sheets, its ranks' year."""
    waves = config["waves"]
    return {
        "clusters_sheet": cfgmod.file_sheet(waves[wave]["clusters"]),
        "relations_sheet": cfgmod.file_sheet(waves[wave]["relations"]),
        "ranks_year": int(waves[wave]["ranks_year"]),
    }


def plotting_args(wave):
    """The figures of the plotting job, in catalogue order."""
    return {"charts": step_figures("charts")}


def study_args(wave):
    """The waves in order, their survey years, the stacked tables, the figure formats."""
    return {
        "waves": WAVES,
        "years": [cfgmod.wave_year(config, w) for w in WAVES],
        "tables": [t.name for t in cat.tables(scope="wave")],
        "formats": FORMATS,
    }


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
