"""The ingest steps of the workflow: a reference table, or a wave's clusters and
relations files, read, checked (:mod:`.check`) and written as typed parquet
with the row log that classify's reconciliation accounts for.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping

import pandas as pd

from mne_clusters.core import outputs
from mne_clusters.core.errors import DataError, Problem
from mne_clusters.ingest import schemas
from mne_clusters.ingest.check import _check_industry_map, _log_reading, check_table
from mne_clusters.ingest.readers import read_table

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------
# Reference tables
# --------------------------------------------------------------------------


def ingest_reference(
    table: str,
    path: str | os.PathLike[str],
    *,
    region_codes: Iterable[str] | None = None,
    sheet: str | None = None,
    max_file_mb: float = 50,
) -> pd.DataFrame:
    """Read, validate and type one reference table.

    Parameters
    ----------
    table
        ``mne_registry``, ``regions``, ``innovation_rank`` or ``investment_rank``.
    path
        The file (CSV or .xlsx), named in messages as given.
    region_codes
        For rank tables: the known region codes (``None`` skips the check).
    sheet, max_file_mb
        Passed to :func:`~mne_clusters.readers.read_table`.

    Returns
    -------
    pandas.DataFrame
        The typed table (see ``docs/ARCHITECTURE.md``, "Reference").

    Raises
    ------
    DataError
        Every problem of the file.
    """
    if table not in schemas.REFERENCE_TABLES:
        raise ValueError(f"not a reference table: {table!r}")
    file = os.fspath(path)
    raw = read_table(path, sheet=sheet, max_file_mb=max_file_mb, display_name=file)
    _log_reading(file, raw)
    typed, blank, problems = check_table(
        table,
        raw,
        file=file,
        region_codes=region_codes if table in ("innovation_rank", "investment_rank") else None,
    )
    DataError.collect(problems)
    if blank.any():
        log.info("%s: skipped %d blank row(s)", file, int(blank.sum()))
    log.info("%s: %d %s rows valid", file, len(typed), table)
    return typed


def run_reference(
    *,
    table: str,
    path: str,
    out: str,
    regions: str | None = None,
    sheet: str | None = None,
    max_file_mb: float = 50,
) -> None:
    """Validate a reference table and write it as parquet (atomically).

    Parameters
    ----------
    table
        ``mne_registry``, ``regions``, ``innovation_rank`` or ``investment_rank``.
    path
        The input file (CSV or .xlsx).
    out
        The parquet file to write.
    regions
        For rank tables: the processed regions parquet whose ``region_iso``
        codes a ranking may use (``None`` skips the check).
    sheet, max_file_mb
        Passed to :func:`~mne_clusters.readers.read_table`.

    Raises
    ------
    DataError
        Every problem of the file; nothing is written.
    """
    codes = None
    if regions is not None and table in ("innovation_rank", "investment_rank"):
        codes = _region_codes(regions)
    frame = ingest_reference(table, path, region_codes=codes, sheet=sheet, max_file_mb=max_file_mb)
    outputs.write_parquet(frame, out)


def _region_codes(regions_parquet: str) -> frozenset[str]:
    frame = pd.read_parquet(regions_parquet, columns=["region_iso"])
    return frozenset(frame["region_iso"].dropna().astype(str))


# --------------------------------------------------------------------------
# Waves
# --------------------------------------------------------------------------


def _row_log(table: str, file: str, raw: pd.DataFrame, blank: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "table": pd.array([table] * len(raw), dtype="string"),
            "file": pd.array([file] * len(raw), dtype="string"),
            "source_row": raw["source_row"].astype("Int64").to_numpy(),
            "outcome": pd.array(["excluded" if b else "kept" for b in blank], dtype="string"),
            "reason": pd.array(["blank row" if b else pd.NA for b in blank], dtype="string"),
        }
    )


def ingest_wave(
    *,
    clusters: str | os.PathLike[str],
    relations: str | os.PathLike[str],
    wave_year: int,
    region_codes: Iterable[str] | None,
    industry_map: Mapping[str, str] | None = None,
    max_file_mb: float = 50,
    clusters_sheet: str | None = None,
    relations_sheet: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read, validate and type a wave's clusters and relations files.

    Both files are checked in full; the problems of both are raised together.

    Parameters
    ----------
    clusters, relations
        The wave's files (CSV or .xlsx), named in messages as given.
    wave_year
        Survey year: founding and entry years after it are errors.
    region_codes
        Known ``region_iso`` codes (``None`` skips the check).
    industry_map
        Extra industry spellings mapped onto the vocabulary (config
        ``ingest.industry_map``).
    max_file_mb, clusters_sheet, relations_sheet
        Passed to :func:`~mne_clusters.readers.read_table`.

    Returns
    -------
    clusters, relations, row_log : pandas.DataFrame
        Typed tables and the row log (see ``docs/ARCHITECTURE.md``).

    Raises
    ------
    DataError
        Every problem of both files.
    ConfigError
        ``industry_map`` maps onto a value outside the vocabulary.
    """
    _check_industry_map(industry_map)
    problems: list[Problem] = []
    clusters_file, relations_file = os.fspath(clusters), os.fspath(relations)

    raws: dict[str, pd.DataFrame | None] = {}
    for table, path, file, sheet in (
        ("clusters", clusters, clusters_file, clusters_sheet),
        ("relations", relations, relations_file, relations_sheet),
    ):
        try:
            raw = read_table(path, sheet=sheet, max_file_mb=max_file_mb, display_name=file)
            raws[table] = raw
            _log_reading(file, raw)
        except DataError as exc:
            problems.extend(exc.problems)
            raws[table] = None

    results: dict[str, tuple[pd.DataFrame, pd.Series]] = {}
    raw_clusters = raws["clusters"]
    cluster_ids = None
    if raw_clusters is not None:
        typed, blank, found = check_table(
            "clusters",
            raw_clusters,
            file=clusters_file,
            wave_year=wave_year,
            industry_map=industry_map,
            region_codes=region_codes,
        )
        problems.extend(found)
        results["clusters"] = (typed, blank)
        if "cluster_id" in raw_clusters.columns:
            cluster_ids = set(raw_clusters["cluster_id"]) - {""}
    raw_relations = raws["relations"]
    if raw_relations is not None:
        typed, blank, found = check_table(
            "relations",
            raw_relations,
            file=relations_file,
            wave_year=wave_year,
            industry_map=industry_map,
            cluster_ids=cluster_ids,
            clusters_file=clusters_file,
        )
        problems.extend(found)
        results["relations"] = (typed, blank)

    DataError.collect(problems)
    assert raw_clusters is not None and raw_relations is not None
    row_log = pd.concat(
        [
            _row_log("clusters", clusters_file, raw_clusters, results["clusters"][1]),
            _row_log("relations", relations_file, raw_relations, results["relations"][1]),
        ],
        ignore_index=True,
    )
    schemas.RowLog.validate(row_log)
    for table, file in (("clusters", clusters_file), ("relations", relations_file)):
        typed, blank = results[table]
        log.info("%s: %d rows kept, %d blank rows excluded", file, len(typed), int(blank.sum()))
    return results["clusters"][0], results["relations"][0], row_log


def run_wave(
    *,
    wave: str,
    wave_year: int,
    clusters: str,
    relations: str,
    regions: str,
    out_clusters: str,
    out_relations: str,
    out_row_log: str,
    industry_map: Mapping[str, str] | None = None,
    max_file_mb: float = 50,
    clusters_sheet: str | None = None,
    relations_sheet: str | None = None,
) -> None:
    """Validate a wave's two files and write them, typed, with the row log.

    Parameters
    ----------
    wave
        Wave id (for messages).
    wave_year
        Survey year: founding and entry years after it are errors.
    clusters, relations
        The wave's input files, as named in config.
    regions
        The processed regions parquet (``region_iso`` codes in force).
    out_clusters, out_relations, out_row_log
        Parquet files to write (atomically; nothing is written on error).
    industry_map, max_file_mb, clusters_sheet, relations_sheet
        See :func:`ingest_wave`.

    Raises
    ------
    DataError
        Every problem of both files.
    """
    clusters_frame, relations_frame, row_log = ingest_wave(
        clusters=clusters,
        relations=relations,
        wave_year=wave_year,
        region_codes=_region_codes(regions),
        industry_map=industry_map,
        max_file_mb=max_file_mb,
        clusters_sheet=clusters_sheet,
        relations_sheet=relations_sheet,
    )
    outputs.write_parquet(clusters_frame, out_clusters)
    outputs.write_parquet(relations_frame, out_relations)
    outputs.write_parquet(row_log, out_row_log)
    log.info(
        "wave %s: %d clusters, %d relations ingested",
        wave,
        len(clusters_frame),
        len(relations_frame),
    )
