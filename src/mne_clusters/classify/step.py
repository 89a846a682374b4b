"""Classify relations and clusters (issue 3), and account for every input row.

Relations are resolved to MNE groups by :mod:`mne_clusters.names`; this
module flags duplicate relations, classifies each cluster (status, founding
period, MNE presence, regional ranks and top-N flags) and builds the
reconciliation table that accounts for every row ingest read.

The decisions are documented in the modules that take them: :mod:`.attributes`
(status, founding period, ranks), :mod:`.presence` (MNE presence, duplicates,
after-survey relations) and :mod:`.reconcile`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any, cast

import pandas as pd

from mne_clusters.classify.attributes import (
    RANKINGS,
    STATUS_FLAG_COLUMNS,
    cluster_status,
    founding_period,
    ranking_columns,
    unverified_as_unknown,
)
from mne_clusters.classify.presence import (
    PRESENCE_VALUES,
    apply_after_survey,
    flag_duplicates,
    mne_presence,
)
from mne_clusters.classify.reconcile import _founding_bounds, _relation_problems, reconcile
from mne_clusters.classify.settings import ClassifyConfig
from mne_clusters.core import config as cfgmod
from mne_clusters.core import outputs, provenance
from mne_clusters.core.errors import DataError
from mne_clusters.ingest import schemas
from mne_clusters.names.chunking import match_in_chunks

log = logging.getLogger(__name__)


def classify_clusters(
    clusters: pd.DataFrame,
    relations: pd.DataFrame,
    regions: pd.DataFrame,
    rankings: Mapping[str, pd.DataFrame],
    *,
    ranks_year: int,
    config: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Add status, founding period, MNE presence and regional ranks to clusters.

    Parameters
    ----------
    clusters
        Ingested clusters.
    relations
        Classified relations (:func:`mne_clusters.matching.match_relations`).
    regions
        The ``regions`` reference frame.
    rankings
        ``{"innovation": frame, "investment": frame}`` reference rankings.
    ranks_year
        Data year of the rankings joined.
    config
        The workflow configuration (section ``classify``).

    Returns
    -------
    pandas.DataFrame
        ``clusters`` (same rows and order) with the classified columns of the
        frame contract, plus ``is_leading_unknown``; ``is_leading`` blanks
        read as false.
    """
    settings = ClassifyConfig.from_config(config)
    leading_blank = clusters["is_leading"].astype("boolean").isna()
    if leading_blank.any():
        log.info(
            "is_leading is blank for %d of %d clusters: read as false (input contract)",
            int(leading_blank.sum()),
            len(clusters),
        )
    flags = unverified_as_unknown(clusters)
    leading_unknown = flags["is_leading"].astype("boolean").isna()
    for col in STATUS_FLAG_COLUMNS[:3]:
        n_unknown = int(flags[col].isna().sum())
        if n_unknown:
            log.info(
                "%s unknown (blank, 'unknown' or listed in unverified_fields) for %d of %d "
                "clusters: kept unknown",
                col,
                n_unknown,
                len(flags),
            )
    out = flags.assign(
        # stays pandas "boolean" (the ingested dtype), now without blanks
        is_leading=flags["is_leading"].astype("boolean").fillna(False),
        is_leading_unknown=leading_unknown.astype(bool),
    )
    low, high = _founding_bounds(out)
    out = out.assign(
        status=cluster_status(out, settings.status_precedence),
        founding_period=founding_period(low, settings.founding_periods, high),
    )
    listed = out["members_listed"] if "members_listed" in out.columns else None
    out = out.join(mne_presence(out["cluster_id"], relations, listed))
    counts = out["mne_presence"].value_counts()
    log.info(
        "MNE presence: %d yes, %d no, %d unknown (members not listed, no MNE found)",
        *(int(counts.get(v, 0)) for v in PRESENCE_VALUES),
    )
    reg = regions.set_index("region_iso")
    out = out.assign(
        region_name_en=out["region_iso"].map(reg["name_en"].astype("string")).astype("string"),
        federal_district=out["region_iso"]
        .map(reg["federal_district"].astype("string"))
        .astype("string"),
    )
    for name in RANKINGS:
        cols = ranking_columns(
            out["region_iso"],
            rankings[name],
            name=name,
            ranks_year=ranks_year,
            top_n=settings.top_n,
        )
        out = out.join(cols)
        counts = cols[f"{name}_top"].value_counts()
        log.info(
            "%s top %d (%d data): %d yes, %d no, %d unknown",
            name,
            settings.top_n,
            ranks_year,
            int(counts.get("yes", 0)),
            int(counts.get("no", 0)),
            int(counts.get("unknown", 0)),
        )
    return out


def run_classify(
    *,
    wave: str,
    clusters: str,
    relations: str,
    row_log: str,
    registry: str,
    regions: str,
    innovation_rank: str,
    investment_rank: str,
    ranks_year: int,
    out_clusters: str,
    out_relations: str,
    out_review: str,
    out_reconciliation: str,
    config: Mapping[str, Any],
) -> None:
    """Classify a wave's relations and clusters and write the four outputs.

    Reads the parquet files ingest wrote, resolves relations to MNE groups
    (:func:`mne_clusters.matching.match_relations`), flags duplicates,
    classifies clusters (:func:`classify_clusters`), accounts for every row
    read (:func:`reconcile`), then writes ``clusters.parquet``,
    ``relations.parquet``, ``review.csv`` and ``tables/reconciliation.csv``
    (with its provenance sidecar).

    Raises
    ------
    DataError
        Unknown explicit ``mne_id``, a relation to a cluster the wave lacks, a
        ranking with two rows for a region and year, or a row unaccounted for.
    ConfigError
        Invalid ``classify`` settings.
    """
    c_in = pd.read_parquet(clusters)
    r_in = pd.read_parquet(relations)
    rl = pd.read_parquet(row_log)
    reg = pd.read_parquet(registry)
    rel_file = _file_of(rl, "relations")
    DataError.collect(_relation_problems(c_in, r_in, rel_file))
    # in chunks of scale.chunk_rows relations (same result as one piece; bounded memory)
    r_out, review = match_in_chunks(r_in, reg, config, file=rel_file)
    settings = ClassifyConfig.from_config(config)
    r_out, rl = apply_after_survey(
        r_out, rl, survey_year=cfgmod.survey_year(config, wave), rule=settings.after_survey
    )
    r_out = flag_duplicates(r_out)
    rankings = {
        "innovation": pd.read_parquet(innovation_rank),
        "investment": pd.read_parquet(investment_rank),
    }
    if wave in (config.get("waves") or {}):
        # A ranks_year no ranking holds turns every rank into unknown: say so loudly.
        years = {f"{k}_rank": v["year"].dropna().tolist() for k, v in rankings.items()}
        for warning in cfgmod.check_ranks_year(config, wave, years):
            log.warning("%s", warning)
    c_out = classify_clusters(
        c_in,
        r_out,
        pd.read_parquet(regions),
        rankings,
        ranks_year=ranks_year,
        config=config,
    )
    recon = reconcile(rl, c_out, r_out)
    # the processed frames' contract (a failure here is a bug, not a data error)
    schemas.ClassifiedClusters.validate(c_out, lazy=True)
    schemas.ClassifiedRelations.validate(r_out, lazy=True)
    n_dup = int(r_out["is_duplicate"].sum())
    log.info(
        "wave %s: %d clusters, %d relations (%d MNE, %d duplicates counted once), "
        "%d names to review",
        wave,
        len(c_out),
        len(r_out),
        int(r_out["is_mne"].sum()),
        n_dup,
        len(review),
    )
    outputs.write_parquet(
        c_out.sort_values("cluster_id", kind="stable").reset_index(drop=True), out_clusters
    )
    outputs.write_parquet(
        r_out.sort_values("source_row", kind="stable").reset_index(drop=True), out_relations
    )
    outputs.write_csv(review, out_review)
    inputs = [clusters, relations, row_log, registry]
    outputs.write_csv(
        recon,
        out_reconciliation,
        provenance=provenance.record(
            wave=wave,
            inputs=inputs,
            config=config,
            description=(
                "Every input row of the wave's clusters and relations tables: kept, "
                "merged as a duplicate (counted once) or excluded, with the reason."
            ),
            extra={
                "counts": {
                    **{
                        f"{t}:{o}": int(n)
                        # grouped by two columns: each key is a (table, outcome) pair
                        for (t, o), n in cast(
                            Iterable[tuple[tuple[str, str], Any]],
                            recon.groupby(["table", "outcome"]).size().items(),
                        )
                    },
                    "relations:after_survey": int(
                        recon["reason"].astype("string").str.startswith("after_survey").sum()
                    ),
                }
            },
        ),
    )
    log.info("wrote %s, %s, %s, %s", out_clusters, out_relations, out_review, out_reconciliation)


def _file_of(row_log: pd.DataFrame, table: str) -> str:
    """The input file of ``table`` as the row log names it."""
    files = row_log.loc[row_log["table"] == table, "file"]
    return str(files.iloc[0]) if len(files) else table
