"""The catalogue of outputs: every table and figure the workflow writes, once.

Each entry says what an output is (name, kind, scope), which workflow step
(:mod:`.steps`) writes it, which package function computes or draws it,
its report caption and theme, what it is computed from, and the sentence its
provenance record carries.

The workflow (``workflow/rules/*.smk``) builds its rules' outputs, the report
items, ``rule all`` and the panel's stacked tables from this module; the
package's steps read their tables, descriptions and inputs from it. Functions
are named as dotted text and resolved by the step that calls them, so this
module is pure data on the standard library: the Snakefile imports it at
parse time and stays light.

Signatures a catalogued function has (``tests/test_catalogue.py`` checks them):

* a *wave table*: the frames its ``inputs`` name, as positional parameters of
  those names in that order; any other parameter keyword-only, and one without
  a default is among its step's ``keywords`` (the step passes those by name);
* a *figure*: the frames of its ``inputs`` then the provenance record,
  positional; any other parameter keyword-only with a default;
* a *comparison table*: the frames of its ``inputs`` of the earlier wave, then
  of the later one (``prev_<input>``, ``next_<input>``), or one mapping of every
  wave to its frames (``waves``); other parameters keyword-only;
* a *panel table*: one parameter ``frames``, the (wave, year, frame) of each wave.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mne_clusters.core.steps import STEPS, step

#: Kinds of output (the report's ``kind`` label).
KINDS = ("table", "chart", "map")

#: Scopes: one wave, the comparison of consecutive waves, every wave stacked.
SCOPES = ("wave", "comparison", "panel")

#: Where each scope's tables and figures go (``{wave}`` and ``{ext}`` filled in).
TABLE_PATHS = {
    "wave": "data/processed/{wave}/tables/{name}.csv",
    "comparison": "data/processed/comparison/{name}.csv",
    "panel": "data/processed/panel/{name}.csv",
}
FIGURE_PATHS = {
    "wave": "figures/{wave}/{name}.{ext}",
    "comparison": "figures/comparison/{name}.{ext}",
}

#: The formats each panel table is written in (beside the one workbook).
PANEL_FORMATS = ("csv", "csv.meta.json", "parquet", "dta")
PANEL_WORKBOOK = "data/processed/panel/panel.xlsx"

#: The report's category of each scope (``{wave}`` filled in by Snakemake).
CATEGORIES = {"wave": "Wave {wave}", "comparison": "Comparison of waves"}

#: Caption files, relative to workflow/rules/ (where the rules name them).
CAPTION_DIR = "../report/captions"

#: The report's themes (subcategories of a wave), in reading order.
THEMES = (
    "0 Replication and data accounting",
    "1 MNE presence",
    "2 Home countries and industries",
    "3 Regions",
    "4 Emergence",
    "5 Cluster organisation and programmes",
    "6 Statistics",
)


@dataclass(frozen=True)
class Output:
    """One table or figure."""

    name: str
    #: ``table``, ``chart`` or ``map``.
    kind: str
    #: ``wave``, ``comparison`` or ``panel``.
    scope: str
    #: The step (job) that writes it.
    step: str
    #: Dotted path of the function that computes (table) or draws (figure) it.
    function: str
    #: What it is computed from: for a table, the frames the step reads
    #: (``clusters``, ``relations``, ``regions``, ...); for a figure, the tables
    #: it draws (and ``boundaries`` for the map).
    inputs: tuple[str, ...]
    #: One sentence for its provenance record.
    description: str
    #: Report caption file (under :data:`CAPTION_DIR`); ``None``: not a report item.
    caption: str | None = None
    #: Report theme (subcategory); ``None``: none.
    theme: str | None = None
    #: Extra labels (none so far); kept for symmetry with Snakemake's report().
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_figure(self) -> bool:
        return self.kind != "table"

    def path(self, wave: str | None = None, ext: str | None = None) -> str:
        """The output's file (a figure's in format ``ext``)."""
        if self.is_figure:
            template = FIGURE_PATHS[self.scope]
            return template.format(wave=wave or "{wave}", name=self.name, ext=ext)
        return TABLE_PATHS[self.scope].format(wave=wave or "{wave}", name=self.name)


# --------------------------------------------------------------------------- outputs

_EXHIBITS = "mne_clusters.analysis.exhibits"
_CONTEXT = "mne_clusters.analysis.context"
_CHARTS = "mne_clusters.plotting.charts"
_CL_REL = ("clusters", "relations")
_PRESENCE = "1 MNE presence"
_HOME = "2 Home countries and industries"
_REGIONS = "3 Regions"
_EMERGENCE = "4 Emergence"
_ORGANISATION = "5 Cluster organisation and programmes"
_ACCOUNTING = "0 Replication and data accounting"
_STATISTICS = "6 Statistics"


def _exhibit(
    name: str, module: str, theme: str, description: str, inputs: tuple[str, ...] = _CL_REL
) -> Output:
    return Output(
        name, "table", "wave", "tables", f"{module}.{name}", tuple(inputs), description,
        f"{name}.rst", theme,
    )  # fmt: skip


def _chart(name: str, theme: str, description: str) -> Output:
    return Output(
        name, "chart", "wave", "charts", f"{_CHARTS}.{name}", (name,), description,
        f"{name}.rst", theme,
    )  # fmt: skip


#: The study's exhibit tables and the replication check, in the order written.
EXHIBIT_TABLES: tuple[Output, ...] = (
    _exhibit(
        "mne_presence",
        _EXHIBITS,
        _PRESENCE,
        "Clusters by the roles in which MNEs take part (member, partner, unknown role).",
    ),
    _exhibit(
        "foreign_member_share",
        _EXHIBITS,
        _PRESENCE,
        "Foreign MNE members in all members, overall and by cluster status.",
    ),
    _exhibit("hq_countries", _EXHIBITS, _HOME, "MNE groups and relations by headquarters country."),
    _exhibit(
        "mne_by_status",
        _EXHIBITS,
        _PRESENCE,
        "Clusters and clusters with MNEs per cluster status.",
    ),
    _exhibit(
        "mne_by_industry",
        _EXHIBITS,
        _HOME,
        "MNE groups by industry, overall and by cluster status.",
    ),
    _exhibit(
        "key_mnes",
        _EXHIBITS,
        _HOME,
        "The leading MNE groups per industry by number of host clusters.",
    ),
    _exhibit(
        "mne_by_region",
        _CONTEXT,
        _REGIONS,
        "MNEs per region beside the region's innovation and investment ranks.",
        inputs=("clusters", "relations", "regions", "innovation_rank", "investment_rank"),
    ),
    _exhibit(
        "emergence_types", _CONTEXT, _EMERGENCE, "Clusters by founding period and MNE presence."
    ),
    _exhibit(
        "org_levels", _CONTEXT, _ORGANISATION, "Clusters by organisational development level."
    ),
    _exhibit(
        "policy_programmes",
        _CONTEXT,
        _ORGANISATION,
        "Clusters and host regions per policy programme.",
    ),
    _exhibit(
        "replication",
        "mne_clusters.analysis.replication",
        _ACCOUNTING,
        "Each figure the 2019 slides publish beside the value reproduced from the wave.",
        inputs=("clusters", "relations", "published"),
    ),
)

#: The statistics of a wave.
STATS_TABLES: tuple[Output, ...] = (
    Output(
        "association_tests",
        "table",
        "wave",
        "stats",
        "mne_clusters.analysis.association.association_tests",
        ("clusters",),
        "Fisher tests of MNE presence against cluster status, founding period, "
        "industry group and regional top-15 flags, Holm-corrected.",
        "association_tests.rst",
        _STATISTICS,
    ),
    Output(
        "presence_model",
        "table",
        "wave",
        "stats",
        "mne_clusters.analysis.model.presence_model",
        ("clusters",),
        "Firth logistic model of MNE presence (odds ratios, profile-likelihood CIs).",
        "presence_model.rst",
        _STATISTICS,
    ),
    Output(
        "chicken_or_egg",
        "table",
        "wave",
        "stats",
        "mne_clusters.analysis.chicken_egg.chicken_or_egg",
        _CL_REL,
        "Chicken or egg: MNE entry year against cluster founding year, "
        "per cluster-MNE pair and summarised by status and industry.",
        "chicken_or_egg_table.rst",
        _EMERGENCE,
    ),
)

#: The accounting of every input row (written by classify, beside the classified files).
RECONCILIATION = Output(
    "reconciliation",
    "table",
    "wave",
    "classify_wave",
    "mne_clusters.classify.reconcile.reconcile",
    ("row_log", "clusters", "relations"),
    "Every input row of the wave's clusters and relations tables: kept, "
    "merged as a duplicate (counted once) or excluded, with the reason.",
    "reconciliation.rst",
    _ACCOUNTING,
)

#: The charts of a wave, one per exhibit table (all but the replication check).
CHARTS: tuple[Output, ...] = tuple(
    _chart(t.name, t.theme or "", f"Chart of the table {t.name}: {t.description}")
    for t in EXHIBIT_TABLES
    if t.name != "replication"
)

MAP = Output(
    "map_mne_by_region",
    "map",
    "wave",
    "map",
    "mne_clusters.plotting.maps.map_mne_by_region",
    ("mne_by_region", "boundaries"),
    "Choropleth of MNEs per region, with the regions in the innovation and investment top-N.",
    "map_mne_by_region.rst",
    _REGIONS,
)

TIMELINE = Output(
    "chicken_or_egg",
    "chart",
    "wave",
    "charts",
    "mne_clusters.plotting.timeline.chicken_or_egg_figure",
    ("chicken_or_egg",),
    "Timeline per cluster: founding year and each MNE's entry.",
    "chicken_or_egg.rst",
    _EMERGENCE,
)

_CHANGES = "mne_clusters.waves.changes"
COMPARISON_TABLES: tuple[Output, ...] = (
    Output(
        "relation_changes",
        "table",
        "comparison",
        "comparison",
        f"{_CHANGES}.relation_changes",
        _CL_REL,
        "MNE relations (cluster, MNE group) entered, exited or unchanged "
        "between consecutive waves, with the MNE's industry and any change of role.",
        "comparison_relation_changes.rst",
    ),
    Output(
        "cluster_changes",
        "table",
        "comparison",
        "comparison",
        f"{_CHANGES}.cluster_changes",
        ("clusters",),
        "Clusters added, dropped, renamed, or with a changed host region, "
        "status or organisational level between consecutive waves.",
        "comparison_cluster_changes.rst",
    ),
    Output(
        "headline_indicators",
        "table",
        "comparison",
        "comparison",
        f"{_CHANGES}.headline_indicators",
        _CL_REL,
        "Clusters, clusters with MNEs, their share and distinct foreign "
        "MNE groups, overall and by status, for every wave side by side.",
        "comparison_headline_indicators.rst",
    ),
)
COMPARISON_FIGURES: tuple[Output, ...] = (
    Output(
        "headline_indicators",
        "chart",
        "comparison",
        "comparison",
        "mne_clusters.plotting.comparison.headline_figure",
        ("headline_indicators",),
        "Headline indicators of every wave side by side.",
        "comparison_headline_indicators_figure.rst",
    ),
    Output(
        "entries_exits",
        "chart",
        "comparison",
        "comparison",
        "mne_clusters.plotting.comparison.entries_exits_figure",
        ("relation_changes",),
        "MNE relations entered and exited between consecutive waves.",
        "comparison_entries_exits_figure.rst",
    ),
)

#: Every table of one wave, in the order the panel stacks them.
WAVE_TABLES: tuple[Output, ...] = (*EXHIBIT_TABLES, *STATS_TABLES, RECONCILIATION)

#: Every table across waves: the classified frames and each wave table, stacked.
PANEL_TABLES: tuple[Output, ...] = (
    Output(
        "clusters_panel",
        "table",
        "panel",
        "panel",
        "mne_clusters.waves.panel.stack_frames",
        ("clusters",),
        "Classified clusters of every wave, one row per wave and cluster, every column.",
    ),
    Output(
        "relations_panel",
        "table",
        "panel",
        "panel",
        "mne_clusters.waves.panel.stack_frames",
        ("relations",),
        "Classified relations of every wave, one row per wave and input relation row.",
    ),
    *(
        Output(
            t.name,
            "table",
            "panel",
            "panel",
            "mne_clusters.waves.panel.stack_tables",
            (t.name,),
            f"The study table {t.name} of every wave, stacked (see the per-wave table).",
        )
        for t in WAVE_TABLES
    ),
)

WAVE_FIGURES: tuple[Output, ...] = (*CHARTS, MAP, TIMELINE)

#: Every catalogued output.
OUTPUTS: tuple[Output, ...] = (
    *WAVE_TABLES,
    *WAVE_FIGURES,
    *COMPARISON_TABLES,
    *COMPARISON_FIGURES,
    *PANEL_TABLES,
)


def tables(step_name: str | None = None, scope: str | None = None) -> tuple[Output, ...]:
    """Tables (of one step, of one scope), in catalogue order."""
    return tuple(
        o
        for o in OUTPUTS
        if not o.is_figure
        and (step_name is None or o.step == step_name)
        and (scope is None or o.scope == scope)
    )


def figures(step_name: str | None = None, scope: str | None = None) -> tuple[Output, ...]:
    """Figures (charts and maps; of one step, of one scope), in catalogue order."""
    return tuple(
        o
        for o in OUTPUTS
        if o.is_figure
        and (step_name is None or o.step == step_name)
        and (scope is None or o.scope == scope)
    )


def table(name: str, scope: str = "wave") -> Output:
    """The table ``name`` of ``scope``."""
    for o in tables(scope=scope):
        if o.name == name:
            return o
    raise KeyError(f"no {scope} table {name!r} in the catalogue")


def figure(name: str, scope: str = "wave") -> Output:
    """The figure ``name`` of ``scope``."""
    for o in figures(scope=scope):
        if o.name == name:
            return o
    raise KeyError(f"no {scope} figure {name!r} in the catalogue")


def panel_files() -> list[str]:
    """Every file the panel step writes."""
    out = [f"data/processed/panel/{t.name}.{ext}" for t in PANEL_TABLES for ext in PANEL_FORMATS]
    return [*out, PANEL_WORKBOOK, f"{PANEL_WORKBOOK}.meta.json"]


def wave_files(wave: str, formats: Sequence[str]) -> list[str]:
    """Every catalogued table and figure of one wave, and its steps' other files
    (the wave's ingest files excepted: they are intermediate)."""
    out: list[str] = []
    for s in STEPS:
        if s.scope == "wave" and s.name != "ingest_wave":
            out += [f.format(wave=wave) for f in s.files]
    out += [t.path(wave) for t in tables(scope="wave")]
    out += [f.path(wave, ext) for f in figures(scope="wave") for ext in formats]
    return out


def targets(
    waves: Sequence[str], formats: Sequence[str], reference_tables: Iterable[str]
) -> list[str]:
    """Every file a full run writes (what ``rule all`` asks for), in a stable order."""
    out: list[str] = []
    for wave in waves:
        out += wave_files(wave, formats)
    out += [step("reference").files[0].format(table=t) for t in reference_tables]
    if len(waves) > 1:
        out += [t.path() for t in tables(scope="comparison")]
        out += [f.path(ext=ext) for f in figures(scope="comparison") for ext in formats]
    for s in STEPS:
        if s.scope == "study":
            out += list(s.files)
    out += panel_files()
    return out


def resolve(dotted: str) -> Any:
    """The object a catalogue entry names by dotted path, imported on first use."""
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def written_files(
    waves: Sequence[str], formats: Sequence[str], reference_tables: Iterable[str]
) -> list[str]:
    """Every file a full run writes: :func:`targets`, the tables' provenance
    sidecars and the intermediate files of each wave."""
    out = targets(waves, formats, reference_tables)
    scopes = ("wave", "comparison") if len(waves) > 1 else ("wave",)
    for wave in waves:
        out += [f"{t.path(wave)}.meta.json" for t in tables(scope="wave")]
        out += [f.format(wave=wave) for f in step("ingest_wave").files]
    if "comparison" in scopes:
        out += [f"{t.path()}.meta.json" for t in tables(scope="comparison")]
    return out


__all__ = [
    "OUTPUTS",
    "Output",
    "figure",
    "figures",
    "panel_files",
    "resolve",
    "table",
    "tables",
    "targets",
    "written_files",
]
