"""The analysis steps of the workflow: read a wave's classified files, compute,
write each table with its provenance sidecar.

:func:`run_tables` writes the study's exhibit tables and the replication
check (:mod:`.exhibits`, :mod:`.context`, :mod:`.replication`);
:func:`run_stats` writes the association tests, the presence model and the
chicken-or-egg table (:mod:`.association`, :mod:`.model`, :mod:`.chicken_egg`)
and draws the chicken-or-egg timeline (:mod:`mne_clusters.plotting.timeline`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from mne_clusters.analysis.association import (
    DEFAULT_MIN_KNOWN,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    INDUSTRY_GROUPS,
    _stats_config,
    association_tests,
)
from mne_clusters.analysis.chicken_egg import chicken_or_egg
from mne_clusters.analysis.context import (
    emergence_types,
    mne_by_region,
    org_levels,
    policy_programmes,
)
from mne_clusters.analysis.exhibits import (
    foreign_member_share,
    hq_countries,
    key_mnes,
    mne_by_industry,
    mne_by_status,
    mne_presence,
)
from mne_clusters.analysis.model import presence_model
from mne_clusters.analysis.replication import check_published, replication
from mne_clusters.core import config as cfgmod
from mne_clusters.core import outputs, provenance
from mne_clusters.core.errors import DataError, Problem
from mne_clusters.plotting.timeline import DEFAULT_TIMELINE_MAX_CLUSTERS, chicken_or_egg_figure

# --------------------------------------------------------------------------- running


def _top_n(config: Mapping[str, Any]) -> int:
    return int((config.get("classify", {}) or {}).get("top_n", cfgmod.default("classify.top_n")))


def _wave_setting(config: Mapping[str, Any], wave: str, key: str) -> Any:
    return ((config.get("waves", {}) or {}).get(wave, {}) or {}).get(key)


#: The study's tables in order: name -> function of the run's frames.
TABLES: dict[str, Callable[..., pd.DataFrame]] = {
    "mne_presence": lambda f, cfg: mne_presence(f["clusters"], f["relations"]),
    "foreign_member_share": lambda f, cfg: foreign_member_share(
        f["clusters"], f["relations"], config=cfg
    ),
    "hq_countries": lambda f, cfg: hq_countries(f["clusters"], f["relations"]),
    "mne_by_status": lambda f, cfg: mne_by_status(f["clusters"], f["relations"], config=cfg),
    "mne_by_industry": lambda f, cfg: mne_by_industry(f["clusters"], f["relations"], config=cfg),
    "key_mnes": lambda f, cfg: key_mnes(f["clusters"], f["relations"], config=cfg),
    "mne_by_region": lambda f, cfg: mne_by_region(
        f["clusters"],
        f["relations"],
        f["regions"],
        f["innovation_rank"],
        f["investment_rank"],
        ranks_year=f["ranks_year"],
        top_n=_top_n(cfg),
    ),
    "emergence_types": lambda f, cfg: emergence_types(f["clusters"], f["relations"], config=cfg),
    "org_levels": lambda f, cfg: org_levels(f["clusters"], f["relations"]),
    "policy_programmes": lambda f, cfg: policy_programmes(f["clusters"], f["relations"]),
    "replication": lambda f, cfg: replication(f["clusters"], f["relations"], f["published"]),
}


#: One sentence per table for its provenance record.
DESCRIPTIONS: dict[str, str] = {
    "mne_presence": "Clusters by the roles in which MNEs take part (member, partner, unknown role).",
    "foreign_member_share": "Foreign MNE members in all members, overall and by cluster status.",
    "hq_countries": "MNE groups and relations by headquarters country.",
    "mne_by_status": "Clusters and clusters with MNEs per cluster status.",
    "mne_by_industry": "MNE groups by industry, overall and by cluster status.",
    "key_mnes": "The leading MNE groups per industry by number of host clusters.",
    "mne_by_region": "MNEs per region beside the region's innovation and investment ranks.",
    "emergence_types": "Clusters by founding period and MNE presence.",
    "org_levels": "Clusters by organisational development level.",
    "policy_programmes": "Clusters and host regions per policy programme.",
    "replication": "Each figure the 2019 slides publish beside the value reproduced from the wave.",
}


#: Inputs each table is computed from (keys of run_tables' path arguments).
TABLE_INPUTS: dict[str, tuple[str, ...]] = {
    "mne_by_region": ("clusters", "relations", "regions", "innovation_rank", "investment_rank"),
    "replication": ("clusters", "relations", "published"),
}


def run_tables(
    *,
    wave: str,
    clusters: str,
    relations: str,
    regions: str,
    innovation_rank: str,
    investment_rank: str,
    published: str,
    out_dir: str,
    config: dict,
) -> None:
    """Write the study's tables of one wave as ``<out_dir>/<name>.csv`` + sidecar.

    Parameters
    ----------
    wave
        Wave id.
    clusters, relations
        Classified parquet files of the wave.
    regions, innovation_rank, investment_rank
        Processed reference parquet files in force for the wave.
    published
        The published-figures CSV (``data/raw/published/2019-bremen-slides.csv``).
    out_dir
        ``data/processed/<wave>/tables``.
    config
        The workflow configuration (uses ``classify.*``,
        ``waves.<wave>.ranks_year`` and the optional
        ``tables.key_mnes_per_industry``).

    Raises
    ------
    DataError
        When the published-figures file is malformed.
    """
    paths = {
        "clusters": clusters,
        "relations": relations,
        "regions": regions,
        "innovation_rank": innovation_rank,
        "investment_rank": investment_rank,
        "published": published,
    }
    raw_published = pd.read_csv(published, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frames: dict[str, Any] = {
        "clusters": pd.read_parquet(clusters),
        "relations": pd.read_parquet(relations),
        "regions": pd.read_parquet(regions),
        "innovation_rank": pd.read_parquet(innovation_rank),
        "investment_rank": pd.read_parquet(investment_rank),
        "published": check_published(raw_published, file=provenance._relative(published)),
        "ranks_year": _wave_setting(config, wave, "ranks_year"),
    }
    for name, make in TABLES.items():
        table = make(frames, config)
        inputs = [paths[k] for k in TABLE_INPUTS.get(name, ("clusters", "relations"))]
        extra = None
        if name == "mne_by_region":
            # The chart and map say which ranking year and cut-off the flags use.
            extra = {"ranks_year": frames["ranks_year"], "top_n": _top_n(config)}
        rec = provenance.record(
            wave=wave, inputs=inputs, config=config, description=DESCRIPTIONS[name], extra=extra
        )
        outputs.write_csv(table, Path(out_dir) / f"{name}.csv", provenance=rec)


# ---------------------------------------------------------------------------
# Snakemake entry point
# ---------------------------------------------------------------------------

_REQUIRED_CLUSTERS = [
    "cluster_id",
    "status",
    "founding_period",
    "industry",
    "founded_year",
    "has_mne",
    "innovation_top",
    "investment_top",
]


_REQUIRED_RELATIONS = [
    "cluster_id",
    "organisation",
    "relation",
    "mne_id",
    "mne_name",
    "is_mne",
    "entry_year",
    "is_duplicate",
    "source_row",
]


def _check_columns(frame: pd.DataFrame, required: list[str], file: str) -> list[Problem]:
    return [
        Problem(
            file=file,
            row=None,
            column=col,
            value=None,
            expected=f"column '{col}' of the classified table",
            fix="rerun the classify step (the file is out of date or was not written by it)",
            rule="columns",
        )
        for col in required
        if col not in frame.columns
    ]


def run_stats(
    *,
    wave: str,
    clusters: str,
    relations: str,
    out_association: str,
    out_model: str,
    out_chicken: str,
    out_figure: list[str],
    dpi: int,
    config: dict,
) -> None:
    """Compute and write a wave's statistics tables and the chicken-or-egg figure.

    Parameters
    ----------
    wave
        Wave id.
    clusters, relations
        Classified parquet files of the wave.
    out_association, out_model, out_chicken
        CSV paths (each gets a ``.meta.json`` provenance sidecar).
    out_figure
        Figure paths, one per format (extension gives the format).
    dpi
        Resolution of raster figures.
    config
        Workflow configuration; reads ``stats.alpha``, ``stats.seed``,
        ``stats.monte_carlo_resamples``, ``stats.industry_groups``,
        ``stats.min_known``.

    Raises
    ------
    DataError
        If an input lacks a column the statistics need.
    """
    cl = pd.read_parquet(clusters)
    rel = pd.read_parquet(relations)
    DataError.collect(
        _check_columns(cl, _REQUIRED_CLUSTERS, os.fspath(clusters))
        + _check_columns(rel, _REQUIRED_RELATIONS, os.fspath(relations))
    )
    sc = _stats_config(config)
    alpha = float(sc.get("alpha", cfgmod.default("stats.alpha")))
    groups = sc.get("industry_groups") or INDUSTRY_GROUPS
    min_known = int(sc.get("min_known", DEFAULT_MIN_KNOWN))
    inputs = [clusters, relations]
    assoc = association_tests(
        cl,
        alpha=alpha,
        industry_groups=groups,
        seed=int(sc.get("seed", DEFAULT_SEED)),
        n_resamples=int(sc.get("monte_carlo_resamples", DEFAULT_RESAMPLES)),
        min_known=min_known,
    )
    outputs.write_csv(
        assoc,
        out_association,
        provenance=provenance.record(
            wave=wave,
            inputs=[clusters],
            config=config,
            description="Fisher tests of MNE presence against cluster status, founding period, "
            "industry group and regional top-15 flags, Holm-corrected.",
        ),
    )
    model = presence_model(cl, alpha=alpha, min_known=min_known)
    outputs.write_csv(
        model,
        out_model,
        provenance=provenance.record(
            wave=wave,
            inputs=[clusters],
            config=config,
            description="Firth logistic model of MNE presence (odds ratios, profile-likelihood CIs).",
        ),
    )
    chicken = chicken_or_egg(cl, rel)
    rec = provenance.record(
        wave=wave,
        inputs=inputs,
        config=config,
        description="Chicken or egg: MNE entry year against cluster founding year, "
        "per cluster-MNE pair and summarised by status and industry.",
    )
    outputs.write_csv(chicken, out_chicken, provenance=rec)
    from mne_clusters.plotting import style

    max_clusters = int(sc.get("timeline_max_clusters", DEFAULT_TIMELINE_MAX_CLUSTERS))
    style.save_figure(
        chicken_or_egg_figure(chicken, rec, max_clusters=max_clusters), sorted(out_figure), dpi=dpi
    )


__all__ = [
    "TABLES",
    "run_stats",
    "run_tables",
]
