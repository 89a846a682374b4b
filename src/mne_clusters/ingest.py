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
  thin spaces in threes (``1 500``, ``1\\u00a0500``), as Excel in a Russian
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

import difflib
import logging
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from mne_clusters import outputs, schemas
from mne_clusters.errors import ConfigError, DataError, Problem
from mne_clusters.hints import did_you_mean
from mne_clusters.readers import read_table

log = logging.getLogger(__name__)

#: Characters accepted between groups of three digits in a whole number.
_GROUP_SEPARATORS = " \u00a0\u202f\u2009"
# ASCII digits only: ``\d`` (and ``int()``) also accept Arabic-Indic or full-width digits.
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_GROUPED_INTEGER = re.compile(rf"^[+-]?[0-9]{{1,3}}(?:[{_GROUP_SEPARATORS}][0-9]{{3}})+$")

#: Columns holding years, checked against 1900..wave year (1900..2100 without one).
_YEAR_COLUMNS = {"founded_year", "entry_year", "year"}
#: Columns whose values must be unique in their table.
_UNIQUE = {"clusters": "cluster_id", "mne_registry": "mne_id", "regions": "region_iso"}


def parse_integer(text: str) -> int | None:
    """Parse a whole number written as text; ``None`` if it is not one.

    Digits may be grouped in threes by spaces (``"1 500"``, ``"1\\u00a0500"``);
    a leading sign is allowed. Decimals, commas, letters and digits other than
    ASCII 0-9 are refused. The value is not range-checked here.
    """
    if _INTEGER.fullmatch(text) or _GROUPED_INTEGER.fullmatch(text):
        return int(re.sub(f"[{_GROUP_SEPARATORS}]", "", text))
    return None


@dataclass
class _Context:
    """What checks of one table need to know besides the table itself."""

    table: str
    file: str
    wave_year: int | None = None
    #: ``ingest.industry_map`` with keys trimmed and case-folded (built once per table).
    industry_map: Mapping[str, str] = field(default_factory=dict)
    region_codes: frozenset[str] | None = None
    cluster_ids: frozenset[str] | None = None
    clusters_file: str = ""
    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        row: int | None,
        column: str | None,
        value: str | None,
        expected: str,
        fix: str,
        rule: str,
    ) -> None:
        self.problems.append(Problem(self.file, row, column, value, expected, fix, rule))


# --------------------------------------------------------------------------
# Cell checks: each returns the typed value (or NA) and records problems.
# --------------------------------------------------------------------------


def _check_bool(ctx: _Context, row: int, col: str, value: str) -> object:
    parsed = schemas.BOOLEAN_SPELLINGS.get(value.casefold())
    unknown = parsed is None and value.casefold() in schemas.UNKNOWN_SPELLINGS
    if unknown and not schemas.value_required(ctx.table, col):
        return pd.NA  # explicitly unknown, like a blank cell
    if parsed is None:
        ctx.add(
            row,
            col,
            value,
            f"true or false: {schemas.boolean_spellings_text()}",
            "write true or false",
            "boolean",
        )
        return pd.NA
    return parsed


def _check_int(ctx: _Context, row: int, col: str, value: str) -> object:
    number = parse_integer(value)
    if number is None:
        ctx.add(
            row,
            col,
            value,
            "a whole number (e.g. 2010, 25 or 1 500)",
            "write a whole number without decimals, letters or commas, or leave the "
            "cell empty if it is not known",
            "integer",
        )
        return pd.NA
    minimum = schemas.check_statistic(ctx.table, col, "greater_than_or_equal_to")
    maximum = schemas.check_statistic(ctx.table, col, "less_than_or_equal_to")
    if col in _YEAR_COLUMNS:
        top = ctx.wave_year
        if number < minimum or (top is not None and number > top):
            span = f"from {minimum} to {top}" if top is not None else f"from {minimum} on"
        elif top is None and maximum is not None and number > maximum:
            span = f"from {minimum} to {maximum} (no survey year bounds this table)"
        else:
            return number
        ctx.add(
            row,
            col,
            value,
            f"a year {span}",
            "correct the year, or leave the cell empty if it is not known",
            "year-range",
        )
        return pd.NA
    if minimum is not None and number < minimum:
        ctx.add(
            row,
            col,
            value,
            f"a count of {minimum} or more",
            "correct the count, or leave the cell empty if it is not known",
            "negative",
        )
        return pd.NA
    if maximum is not None and number > maximum:
        ctx.add(
            row,
            col,
            value,
            f"a whole number from {minimum if minimum is not None else 0} to {maximum:,}",
            "correct the number (a pasted phone number or several numbers run together?), "
            "or leave the cell empty if it is not known",
            "too-large",
        )
        return pd.NA
    return number


def _vocabulary_match(value: str, vocabulary: Iterable[str]) -> str | None:
    folded = value.casefold()
    for term in vocabulary:
        if term.casefold() == folded:
            return term
    return None


def _check_text(ctx: _Context, row: int, col: str, value: str) -> object:
    table = ctx.table
    if col == "industry":
        term = ctx.industry_map.get(value.casefold()) or _vocabulary_match(
            value, schemas.INDUSTRIES
        )
        if term is None:
            ctx.add(
                row,
                col,
                value,
                f"one of the industry vocabulary: {', '.join(schemas.INDUSTRIES)}",
                f"use one of these values, or map '{value}' to one of them under "
                "ingest.industry_map in config.yaml"
                if table in schemas.WAVE_TABLES
                else "use one of these values",
                "vocabulary",
            )
            return pd.NA
        return term
    if col == "org_level":
        term = _vocabulary_match(value, schemas.ORG_LEVELS)
        if term is None:
            ctx.add(
                row,
                col,
                value,
                f"one of {', '.join(schemas.ORG_LEVELS)}",
                "use one of these values, or leave the cell empty",
                "vocabulary",
            )
            return pd.NA
        return term
    if col == "relation":
        term = schemas.RELATION_SYNONYMS.get(value.casefold())
        if term is None:
            others = [s for s in schemas.RELATION_SYNONYMS if s not in schemas.RELATIONS]
            ctx.add(
                row,
                col,
                value,
                f"one of {', '.join(schemas.RELATIONS)} (also {', '.join(others)})",
                "use one of these values; write unknown when the source does not state the role",
                "vocabulary",
            )
            return pd.NA
        return term
    if col == "hq_country" and not schemas.is_country_alpha2(value):
        upper = value.upper()
        fix = (
            f"write '{upper}'"
            if schemas.is_country_alpha2(upper)
            else "use the country's ISO 3166-1 alpha-2 code (e.g. DE for Germany)"
        )
        ctx.add(
            row,
            col,
            value,
            "an ISO 3166-1 alpha-2 country code in capitals, such as DE",
            fix,
            "country",
        )
        return pd.NA
    if col == "region_iso":
        if table == "regions":
            if not schemas.is_subdivision_code(value):
                ctx.add(
                    row,
                    col,
                    value,
                    "an ISO 3166-2 subdivision code such as RU-KLU",
                    "correct the code (see ISO 3166-2:RU)",
                    "region-code",
                )
        elif ctx.region_codes is not None and value not in ctx.region_codes:
            ctx.add(
                row,
                col,
                value,
                "a region_iso listed in the regions reference table",
                did_you_mean(value, ctx.region_codes)
                + "use the region's code from the regions table (e.g. RU-KLU)",
                "reference",
            )
        return value
    if col == "cluster_id" and table == "relations" and ctx.cluster_ids is not None:
        if value not in ctx.cluster_ids:
            ctx.add(
                row,
                col,
                value,
                f"a cluster_id of this wave's clusters file ({ctx.clusters_file})",
                did_you_mean(value, ctx.cluster_ids)
                + "add the cluster to the clusters file, or correct the cluster_id",
                "reference",
            )
        return value
    if col == "rank" and schemas.parse_rank(value) is None:
        match = schemas.RANK_PATTERN.fullmatch(value)
        if match and max(int(g) for g in match.groups() if g) > schemas.MAX_RANK:
            ctx.add(
                row,
                col,
                value,
                f"a rank from 1 to {schemas.MAX_RANK:,} (or a band within it)",
                "correct the rank, or leave it empty when the source states none",
                "rank",
            )
            return value
        ctx.add(
            row,
            col,
            value,
            "a rank (a whole number from 1, e.g. 7) or a band 'a-b' with a <= b (e.g. 4-10)",
            "correct the rank, or leave it empty when the source states none; if "
            "Excel turned a band into a date, format the column as text",
            "rank",
        )
    return value


def _check_year_range(ctx: _Context, row: int, col: str, value: str) -> tuple[int, int] | None:
    """A founding-year range ``a-b``: both years in range and ``a <= b``."""
    bounds = schemas.parse_year_range(value)
    top = ctx.wave_year if ctx.wave_year is not None else schemas.MAX_YEAR
    if bounds is None or bounds[0] < schemas.MIN_YEAR or bounds[1] > top:
        ctx.add(
            row,
            col,
            value,
            f"a year, or a range 'a-b' of years from {schemas.MIN_YEAR} to {top} with "
            "a <= b (e.g. 2006-2012)",
            "correct the years (earliest first), or leave the cell empty if not known",
            "year-range",
        )
        return None
    return bounds


def _founding_bounds(
    years: pd.Series, ranges: Mapping[int, tuple[int, int]], rows: pd.DataFrame
) -> dict[str, pd.Series]:
    """``founded_year_low``/``_high``/``_text`` from the years and ranges read."""
    low = years.astype("Int64").copy()
    high = years.astype("Int64").copy()
    for pos, (a, b) in ranges.items():
        low.iloc[pos], high.iloc[pos] = a, b
    if "founded_year" in rows.columns:
        text = rows["founded_year"].astype("string").replace("", pd.NA)
    else:
        text = pd.Series(pd.NA, index=rows.index, dtype="string")
    return {
        "founded_year_low": low.astype("Int64"),
        "founded_year_high": high.astype("Int64"),
        "founded_year_text": text.astype("string"),
    }


_CHECKS = {"bool": _check_bool, "boolean": _check_bool, "int": _check_int, "text": _check_text}
_DTYPES = {"bool": "boolean", "boolean": "boolean", "int": "Int64", "text": "string"}


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


def _header_hints(absent: list[str], extras: list[str]) -> dict[str, str]:
    """Each absent contract column → the extra header that resembles it, if any.

    Similarity is ``difflib``'s ratio over lower-case headers (cutoff 0.75:
    ``nmae_ru``/``name_ru`` 0.86, ``hq_contry``/``hq_country`` 0.95, while
    ``notes``/``name_ru`` is 0.33); each extra header is offered once, to the
    absent column it resembles most.
    """
    hints: dict[str, str] = {}
    taken: set[str] = set()
    pairs = sorted(
        (
            (-difflib.SequenceMatcher(None, col, extra.strip().lower()).ratio(), col, extra)
            for col in absent
            for extra in extras
        ),
    )
    for neg, col, extra in pairs:
        if -neg < 0.75 or col in hints or extra in taken:
            continue
        hints[col] = extra
        taken.add(extra)
    return hints


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
    hints = _header_hints(absent, extras)
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
        values = []
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
        bounds = [schemas.parse_rank(v) if isinstance(v, str) else None for v in typed["rank"]]
        typed["rank_low"] = pd.Series(
            [b[0] if b else pd.NA for b in bounds], index=rows.index, dtype="Int64"
        )
        typed["rank_high"] = pd.Series(
            [b[1] if b else pd.NA for b in bounds], index=rows.index, dtype="Int64"
        )
        if "year" in rows.columns and "region_iso" in rows.columns:
            _check_duplicates(ctx, rows, ["region_iso", "year"])
    if table in _UNIQUE and _UNIQUE[table] in rows.columns:
        _check_duplicates(ctx, rows, [_UNIQUE[table]])

    frame = pd.DataFrame({c: typed[c] for c in contract}, index=rows.index)
    for col in extras:
        frame[col] = rows[col].astype("string").replace("", pd.NA)
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
            raws[table] = read_table(path, sheet=sheet, max_file_mb=max_file_mb, display_name=file)
            _log_reading(file, raws[table])
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
    industry_map: dict | None = None,
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
