"""Checking one cell: integers (digits grouped as a Russian-locale Excel writes
them), booleans, years and year ranges, vocabulary values; each problem is
collected with its file, row, column, value and fix (see :mod:`.check`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from mne_clusters.core.errors import Problem
from mne_clusters.core.hints import did_you_mean
from mne_clusters.ingest import schemas

#: Characters accepted between groups of three digits in a whole number.
_GROUP_SEPARATORS = " \u00a0\u202f\u2009"


# ASCII digits only: ``\d`` (and ``int()``) also accept Arabic-Indic or full-width digits.
_INTEGER = re.compile(r"^[+-]?[0-9]+$")


_GROUPED_INTEGER = re.compile(rf"^[+-]?[0-9]{{1,3}}(?:[{_GROUP_SEPARATORS}][0-9]{{3}})+$")


#: Columns holding years, checked against 1900..wave year (1900..2100 without one).
_YEAR_COLUMNS = {"founded_year", "entry_year", "year"}


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
        text = rows["founded_year"].astype("string").replace({"": pd.NA})
    else:
        text = pd.Series(pd.NA, index=rows.index, dtype="string")
    return {
        "founded_year_low": low.astype("Int64"),
        "founded_year_high": high.astype("Int64"),
        "founded_year_text": text.astype("string"),
    }


_CHECKS = {"bool": _check_bool, "boolean": _check_bool, "int": _check_int, "text": _check_text}


_DTYPES = {"bool": "boolean", "boolean": "boolean", "int": "Int64", "text": "string"}
