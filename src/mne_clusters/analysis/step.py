"""The analysis steps of the workflow: read a wave's classified files, compute,
write each table with its provenance sidecar.

:func:`run_tables` writes the study's exhibit tables and the replication
check (:mod:`.exhibits`, :mod:`.context`, :mod:`.replication`);
:func:`run_stats` writes the association tests, the presence model and the
chicken-or-egg table (:mod:`.association`, :mod:`.model`, :mod:`.chicken_egg`).
Nothing here draws: the figures are the plotting step's.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from mne_clusters.analysis.association import (
    DEFAULT_MIN_KNOWN,
    INDUSTRY_GROUPS,
    _stats_config,
    association_tests,
)
from mne_clusters.analysis.chicken_egg import chicken_or_egg
from mne_clusters.analysis.exact import DEFAULT_RESAMPLES, DEFAULT_SEED
from mne_clusters.analysis.model import presence_model
from mne_clusters.analysis.replication import check_published
from mne_clusters.core import catalogue, outputs, provenance, steps
from mne_clusters.core import config as cfgmod
from mne_clusters.core.errors import DataError, Problem

# --------------------------------------------------------------------------- running


def _top_n(config: Mapping[str, Any]) -> int:
    return int((config.get("classify", {}) or {}).get("top_n", cfgmod.default("classify.top_n")))


def _wave_setting(config: Mapping[str, Any], wave: str, key: str) -> Any:
    return ((config.get("waves", {}) or {}).get(wave, {}) or {}).get(key)


#: Keyword arguments the tables step supplies to a table's function, when the
#: function has a parameter of that name (see :func:`compute_table`).
TABLE_KEYWORDS = steps.step("tables").keywords


def table_function(name: str) -> Callable[..., pd.DataFrame]:
    """The function that computes the wave table ``name`` (from the catalogue)."""
    func: Callable[..., pd.DataFrame] = catalogue.resolve(catalogue.table(name).function)
    return func


def compute_table(name: str, frames: Mapping[str, Any], config: Mapping[str, Any]) -> pd.DataFrame:
    """Compute the wave table ``name`` from ``frames`` (keyed by the catalogue's inputs).

    The function gets the frames of the table's ``inputs`` in order, then those
    of :data:`TABLE_KEYWORDS` it names: ``config``, ``ranks_year`` (from
    ``frames``) and ``top_n`` (``classify.top_n``).
    """
    entry = catalogue.table(name)
    func = catalogue.resolve(entry.function)
    params = inspect.signature(func).parameters
    known = {"config": config, "ranks_year": frames.get("ranks_year"), "top_n": _top_n(config)}
    kwargs = {k: v for k, v in known.items() if k in params}
    table: pd.DataFrame = func(*(frames[i] for i in entry.inputs), **kwargs)
    return table


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
    config: Mapping[str, Any],
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
    for entry in catalogue.tables("tables"):
        name = entry.name
        table = compute_table(name, frames, config)
        inputs = [paths[k] for k in entry.inputs]
        extra = None
        if name == "mne_by_region":
            # The chart and map say which ranking year and cut-off the flags use.
            extra = {"ranks_year": frames["ranks_year"], "top_n": _top_n(config)}
        rec = provenance.record(
            wave=wave, inputs=inputs, config=config, description=entry.description, extra=extra
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
    config: Mapping[str, Any],
) -> None:
    """Compute and write a wave's statistics tables.

    The chicken-or-egg timeline is drawn from the written table by the
    plotting step (:func:`mne_clusters.plotting.step.run_timeline`).

    Parameters
    ----------
    wave
        Wave id.
    clusters, relations
        Classified parquet files of the wave.
    out_association, out_model, out_chicken
        CSV paths (each gets a ``.meta.json`` provenance sidecar).
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
    # Both tests read the clusters alone: one record (the file hashed once), each
    # table's with its own description.
    of_clusters = provenance.record(wave=wave, inputs=[clusters], config=config)
    rec = {**of_clusters, "description": catalogue.table("association_tests").description}
    outputs.write_csv(assoc, out_association, provenance=rec)
    model = presence_model(cl, alpha=alpha, min_known=min_known)
    rec = {**of_clusters, "description": catalogue.table("presence_model").description}
    outputs.write_csv(model, out_model, provenance=rec)
    chicken = chicken_or_egg(cl, rel)
    rec = provenance.record(
        wave=wave,
        inputs=inputs,
        config=config,
        description=catalogue.table("chicken_or_egg").description,
    )
    outputs.write_csv(chicken, out_chicken, provenance=rec)


__all__ = [
    "compute_table",
    "run_stats",
    "run_tables",
]
