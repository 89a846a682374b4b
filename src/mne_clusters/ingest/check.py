"""Read, validate and type a wave's tables and the reference tables.

Every cell is checked and every problem collected: a run that finds problems
raises one :class:`~mne_clusters.errors.DataError` listing all of them (for a
wave, the problems of both files together), so a researcher fixes a file in
one pass. Which columns a table has, their types, which may be blank and their
value ranges and vocabularies come from the models in
:mod:`mne_clusters.schemas`; the typed frame is validated against its model
before it is returned.

Decisions worth knowing
-----------------------
- A column whose values are required must be present in the header; a column
  whose values may be blank (the contract's "required: no") may be left out
  and then reads as blank, without a message. A missing required column is
  reported with the nearest extra header as a hint (``did you mean 'nmae_ru'``)
  when one resembles it; an extra header that resembles a missing contract
  column (``hq_contry``) is refused, so that a misspelt optional header does
  not pass through as an extra column while the real column reads as blank.
- Integer counts and years accept digits grouped by spaces, no-break spaces or
  thin spaces in threes (``1 500``, ``1\u00a0500``), as Excel in a Russian
  locale writes them. Commas and dots are refused, since ``1,500`` means 1.5
  in that locale. Only ASCII digits 0-9 count as digits.
- Whole numbers are bounded, so that a typo is reported rather than overflowing
  the ``Int64`` columns: counts from 0 to 1,000,000,000, years from 1900 to the
  survey year (to 2100 where no survey year is known, e.g. a ranking's
  ``year``), ranks from 1 to 10,000 (see ``schemas.MAX_*``).
- A rank table's ``rank_low`` and ``rank_high`` are derived from ``rank``; a
  file holding columns of those names is refused rather than overwritten.
- Vocabulary values (industry, org_level, relation) are matched regardless of
  case and stored in their canonical spelling; ``ingest.industry_map`` keys too
  (a key YAML reads as a number, such as ``21``, is matched as its text).
- A blank row (every cell empty) is excluded and logged with reason
  ``blank row``; every other row is kept or the run fails.
- Relations' ``mne_id`` values are not checked against the registry here: the
  registry in force depends on the wave's reference overrides, and matching
  (classify) reports an unknown ``mne_id``. ``run_wave`` checks that every
  relation points at a cluster of the same wave.
- Extra columns pass through as text (``<NA>`` where blank), after the
  contract's columns, in file order.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

import pandas as pd
import pandera.pandas as pa

from mne_clusters.core.errors import ConfigError, Problem
from mne_clusters.core.hints import pair_headers
from mne_clusters.ingest import schemas
from mne_clusters.ingest.cells import (
    _CHECKS,
    _DTYPES,
    _check_year_range,
    _Context,
    _founding_bounds,
)

log = logging.getLogger(__name__)


#: Columns whose values must be unique in their table.
_UNIQUE = {"clusters": "cluster_id", "mne_registry": "mne_id", "regions": "region_iso"}


# --------------------------------------------------------------------------
# Whole-table checks
# --------------------------------------------------------------------------


def _check_duplicates(ctx: _Context, frame: pd.DataFrame, keys: list[str]) -> None:
    first: dict[tuple[str, ...], int] = {}
    for values, row in zip(
        frame[keys].itertuples(index=False, name=None), frame["source_row"], strict=True
    ):
        if any(v == "" for v in values):
            continue
        if values in first:
            shown = " ".join(values)
            what = keys[0] if len(keys) == 1 else "one rank per region and year"
            expected = (
                f"a {what} unique in the table; '{shown}' is also in row {first[values]}"
                if len(keys) == 1
                else f"{what}; '{shown}' is also in row {first[values]}"
            )
            ctx.add(
                int(row),
                keys[0],
                shown,
                expected,
                "delete the duplicate row, or correct the value",
                "duplicate",
            )
        else:
            first[values] = int(row)


def _blank_mask(frame: pd.DataFrame) -> pd.Series:
    data = frame.drop(columns=["source_row"])
    if data.shape[1] == 0:
        return pd.Series(True, index=frame.index)
    return (data == "").all(axis=1).astype(bool)


def _type_table(ctx: _Context, raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Check and type the non-blank rows of a string frame.

    Returns the typed frame (problems are left in ``ctx``) and the blank mask.
    """
    table = ctx.table
    contract = schemas.contract_columns(table)
    extras = [c for c in raw.columns if c not in contract and c != "source_row"]
    missing = [c for c in schemas.required_columns(table) if c not in raw.columns]
    absent = [c for c in schemas.file_columns(table) if c not in raw.columns]
    hints = pair_headers(absent, extras)
    for col in missing:
        hint = hints.get(col)
        ctx.add(
            None,
            col,
            None,
            f"a column named '{col}' in the header row"
            + (f" (did you mean '{hint}'?)" if hint else ""),
            f"rename the column '{hint}' to '{col}'" if hint else f"add a column named '{col}'",
            "missing-column",
        )
    for col in absent:
        hint = hints.get(col)
        if hint is None or col in missing:
            continue
        ctx.add(
            1,
            hint,
            hint,
            f"'{col}' (the header '{hint}' is not a contract column; did you mean '{col}'?)",
            f"rename the column to '{col}', or to a name unlike any contract column "
            "if it is meant as an extra column",
            "header",
        )
    for col in schemas.DERIVED_COLUMNS.get(table, ()):
        if col in raw.columns:
            source = schemas.DERIVED_FROM.get(col, "rank")
            ctx.add(
                1,
                col,
                col,
                f"no column '{col}': the pipeline derives '{col}' from '{source}'",
                "rename or delete the column",
                "header",
            )
    blank = _blank_mask(raw)
    rows = raw.loc[~blank]
    if table in ("clusters", "regions") and len(rows) == 0:
        ctx.add(
            None,
            None,
            None,
            "at least one data row below the header",
            "add the table's rows",
            "empty",
        )

    typed: dict[str, pd.Series] = {}
    year_ranges: dict[int, tuple[int, int]] = {}  # row position -> founding range
    for col in schemas.file_columns(table):
        kind = schemas.column_kind(table, col)
        if col not in rows.columns:
            # an optional column left out of the file reads as blank, or as the
            # contract's default for an absent column (members_listed: true)
            default = schemas.ABSENT_COLUMN_DEFAULTS.get((table, col), pd.NA)
            typed[col] = pd.Series(default, index=rows.index, dtype=_DTYPES[kind])
            continue
        required = schemas.value_required(table, col)
        check = _CHECKS[kind]
        values: list[object] = []
        # Plain lists: iterating an arrow-backed column cell by cell is 4 us a cell.
        for value, row in zip(rows[col].tolist(), rows["source_row"].tolist(), strict=True):
            if value == "":
                if required:
                    ctx.add(
                        int(row),
                        col,
                        "",
                        "a value (this column may not be blank)",
                        "fill in the cell",
                        "required",
                    )
                values.append(pd.NA)
            elif col == "founded_year" and schemas.YEAR_RANGE_PATTERN.fullmatch(value):
                bounds = _check_year_range(ctx, int(row), col, value)
                if bounds is not None:
                    year_ranges[len(values)] = bounds
                values.append(pd.NA)  # a range is not one year
            else:
                values.append(check(ctx, int(row), col, value))
        dtype = _DTYPES[kind]
        if kind == "bool":
            series = pd.Series(values, index=rows.index, dtype="boolean")
            typed[col] = series.fillna(False).astype(bool) if not series.isna().any() else series
        else:
            typed[col] = pd.Series(values, index=rows.index, dtype=dtype)

    if "founded_year_low" in schemas.DERIVED_COLUMNS.get(table, ()):
        typed.update(_founding_bounds(typed["founded_year"], year_ranges, rows))
    if "rank" in typed:
        bands = [schemas.parse_rank(v) if isinstance(v, str) else None for v in typed["rank"]]
        typed["rank_low"] = pd.Series(
            [b[0] if b else pd.NA for b in bands], index=rows.index, dtype="Int64"
        )
        typed["rank_high"] = pd.Series(
            [b[1] if b else pd.NA for b in bands], index=rows.index, dtype="Int64"
        )
        if "year" in rows.columns and "region_iso" in rows.columns:
            _check_duplicates(ctx, rows, ["region_iso", "year"])
    if table in _UNIQUE and _UNIQUE[table] in rows.columns:
        _check_duplicates(ctx, rows, [_UNIQUE[table]])

    frame = pd.DataFrame({c: typed[c] for c in contract}, index=rows.index)
    for col in extras:
        frame[col] = rows[col].astype("string").replace({"": pd.NA})
    frame["source_row"] = rows["source_row"].astype("Int64")
    return frame.reset_index(drop=True), blank


def _validate_model(ctx: _Context, frame: pd.DataFrame) -> pd.DataFrame:
    """Validate a typed frame against its pandera model (a last guard)."""
    model = schemas.INPUT_MODELS[ctx.table]
    try:
        return model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        for case in cases.itertuples(index=False):
            index = getattr(case, "index", None)
            row = (
                int(frame["source_row"].iloc[int(index)])
                if index is not None and not pd.isna(index)
                else None
            )
            ctx.add(
                row,
                None if pd.isna(case.column) else str(case.column),
                None if pd.isna(case.failure_case) else str(case.failure_case),
                f"to pass the contract check {case.check}",
                "correct the value",
                "schema",
            )
        return frame


def _log_reading(file: str, raw: pd.DataFrame) -> None:
    n_rows = raw.attrs.get("trailing_empty_rows", 0)
    n_cols = raw.attrs.get("trailing_empty_columns", 0)
    if n_rows:
        log.info("%s: dropped %d empty row(s) at the end of the table", file, n_rows)
    if n_cols:
        log.info("%s: dropped %d empty unnamed column(s) at the right of the table", file, n_cols)
    inner = raw.attrs.get("empty_unnamed_columns", [])
    if inner:
        log.info("%s: dropped empty unnamed column(s) %s", file, ", ".join(inner))


def check_table(
    table: str,
    raw: pd.DataFrame,
    *,
    file: str,
    wave_year: int | None = None,
    industry_map: Mapping[str, str] | None = None,
    region_codes: Iterable[str] | None = None,
    cluster_ids: Iterable[str] | None = None,
    clusters_file: str = "",
) -> tuple[pd.DataFrame, pd.Series, list[Problem]]:
    """Check and type one table read by :func:`~mne_clusters.readers.read_table`.

    Parameters
    ----------
    table
        One of ``clusters``, ``relations``, ``mne_registry``, ``regions``,
        ``innovation_rank``, ``investment_rank``.
    raw
        The string frame (with ``source_row``); not modified.
    file
        The file as messages name it.
    wave_year
        Latest year accepted for founding and entry years (``None``: unbounded).
    industry_map
        Extra industry spellings mapped onto the vocabulary.
    region_codes
        Known ``region_iso`` codes; ``None`` skips the check.
    cluster_ids
        For relations: the wave's cluster ids; ``None`` skips the check.
    clusters_file
        For relations: the clusters file, named in messages.

    Returns
    -------
    typed : pandas.DataFrame
        The typed non-blank rows (meaningful only when ``problems`` is empty).
    blank : pandas.Series
        Boolean mask over ``raw``'s rows: True for a blank row.
    problems : list of Problem
        Every problem found.
    """
    if table not in schemas.INPUT_MODELS:
        raise ValueError(f"unknown table {table!r}")
    ctx = _Context(
        table=table,
        file=file,
        wave_year=wave_year,
        industry_map={str(k).strip().casefold(): v for k, v in (industry_map or {}).items()},
        region_codes=None if region_codes is None else frozenset(region_codes),
        cluster_ids=None if cluster_ids is None else frozenset(cluster_ids),
        clusters_file=clusters_file,
    )
    typed, blank = _type_table(ctx, raw)
    if not ctx.problems:
        typed = _validate_model(ctx, typed)
    return typed, blank, ctx.problems


def _check_industry_map(industry_map: Mapping[str, str] | None) -> None:
    for key, target in (industry_map or {}).items():
        if target not in schemas.INDUSTRIES:
            raise ConfigError(
                f"config.yaml: ingest.industry_map: '{key}' maps to '{target}', which is not "
                f"in the industry vocabulary ({', '.join(schemas.INDUSTRIES)})"
            )
