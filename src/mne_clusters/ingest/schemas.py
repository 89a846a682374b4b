"""The tables of the data contract, declared once, and their vocabularies.

Each table is a pandera :class:`~pandera.api.pandas.model.DataFrameModel` of the
*typed* frame that ingest produces (and later stages read): column names,
dtypes, which values may be blank (``nullable``), and value checks (ranges,
vocabularies). Ingest derives from these models which columns are required and
how each column is typed, checks every cell with a message a person can act on,
and then validates the typed frame against the model as a last guard.
Processed-side models (classified clusters and relations, the row log) state
what later stages promise to write.

Vocabularies are facts of the contract; they live in
``mne_clusters/data/vocabularies.yaml`` and are loaded here, once.

Conventions of the typed frames
-------------------------------
- text: pandas ``string`` dtype, ``<NA>`` for a blank cell;
- bool: numpy ``bool`` (a blank required boolean is a data error);
- status flags (``is_innovative``, ``is_industrial``, ``is_cdc_supported``,
  ``is_leading``) and ``members_listed``: pandas ``boolean``, ``<NA>`` (unknown)
  for a blank cell or one of :data:`UNKNOWN_SPELLINGS`;
- ``founded_year``: a year, or a range ``a-b`` (split into
  ``founded_year_low``/``founded_year_high``; ``founded_year`` itself is
  ``<NA>`` for a range, and ``founded_year_text`` keeps the cell as written);
- years and counts: pandas ``Int64``, ``<NA>`` for a blank cell; years from
  :data:`MIN_YEAR` to :data:`MAX_YEAR` (ingest bounds them by the survey year
  when one is known), counts up to :data:`MAX_COUNT`, ranks up to :data:`MAX_RANK`;
- ``source_row``: ``Int64``, the row as the spreadsheet shows it (header = 1);
- columns outside the contract pass through as ``string``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pycountry
import yaml
from pandera.typing import Series

from mne_clusters.core import vocabulary as vocab

_VOCAB_FILE = Path(__file__).parents[1] / "data" / "vocabularies.yaml"


@cache
def _vocabularies() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(_VOCAB_FILE.read_text(encoding="utf-8"))
    return data


#: The contract's industry vocabulary, in contract order.
INDUSTRIES: tuple[str, ...] = tuple(_vocabularies()["industry"])
#: Organisational development levels.
ORG_LEVELS: tuple[str, ...] = tuple(_vocabularies()["org_level"])
#: Canonical relation values.
RELATIONS: tuple[str, ...] = tuple(_vocabularies()["relation"])
#: Accepted relation spelling (case-folded) -> canonical value.
RELATION_SYNONYMS: dict[str, str] = {
    spelling.casefold(): canonical
    for canonical, spellings in _vocabularies()["relation"].items()
    for spelling in spellings
}
#: Accepted boolean spelling (case-folded) -> value.
BOOLEAN_SPELLINGS: dict[str, bool] = {
    str(spelling).casefold(): bool(value)
    for value, spellings in _vocabularies()["boolean"].items()
    for spelling in spellings
}

#: Spellings (case-folded) of an explicitly unknown value in a nullable boolean
#: column (a blank cell means the same).
UNKNOWN_SPELLINGS: frozenset[str] = frozenset({"unknown", "неизвестно", "?"})

#: A founding-year range (``2006-2012``; an en dash and spaces around it accepted).
YEAR_RANGE_PATTERN = re.compile(r"^([0-9]{4})\s*[-\u2013]\s*([0-9]{4})$")

#: Earliest year accepted for founding, entry and data years.
MIN_YEAR = 1900
#: Latest year accepted where no survey year bounds it (e.g. a ranking's ``year``).
MAX_YEAR = 2100
#: Largest count accepted (members, employees): no cluster is larger, and a
#: bound keeps a typo such as a pasted phone number out of the ``Int64`` columns.
MAX_COUNT = 10**9
#: Largest rank or band end accepted (Russia has fewer than 100 regions).
MAX_RANK = 10_000

#: A rank: a place (``7``) or a band (``4-10``; an en dash is accepted too).
#: ASCII digits only: ``int()`` would also read Arabic-Indic or full-width digits.
RANK_PATTERN = re.compile(r"^([0-9]+)(?:\s*[-\u2013]\s*([0-9]+))?$")

#: Tables a wave holds and reference tables shared by waves.
WAVE_TABLES = ("clusters", "relations")
REFERENCE_TABLES = ("mne_registry", "regions", "innovation_rank", "investment_rank")


def boolean_spellings_text() -> str:
    """The accepted boolean spellings, for messages."""
    trues = [s for s, v in BOOLEAN_SPELLINGS.items() if v]
    falses = [s for s, v in BOOLEAN_SPELLINGS.items() if not v]
    return "/".join(trues) + " or " + "/".join(falses) + " (any case)"


def is_country_alpha2(code: str) -> bool:
    """True when ``code`` is an ISO 3166-1 alpha-2 code written in capitals."""
    return (
        len(code) == 2
        and code.isascii()
        and code.isupper()
        and pycountry.countries.get(alpha_2=code) is not None
    )


def is_subdivision_code(code: str) -> bool:
    """True when ``code`` is an ISO 3166-2 subdivision code such as ``RU-KLU``."""
    return (
        code.isascii()
        and code == code.upper()
        and pycountry.subdivisions.get(code=code) is not None
    )


def parse_rank(text: str) -> tuple[int, int] | None:
    """Return ``(low, high)`` of a rank or band, or ``None`` if malformed.

    ``"7"`` gives ``(7, 7)``; ``"4-10"`` gives ``(4, 10)``. A band whose low end
    exceeds its high end, a rank below 1 or above :data:`MAX_RANK` is malformed.
    """
    match = RANK_PATTERN.fullmatch(text.strip())
    if match is None:
        return None
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) is not None else low
    if low < 1 or low > high or high > MAX_RANK:
        return None
    return low, high


# --------------------------------------------------------------------------
# Input-side models: the typed frames ingest writes.
# --------------------------------------------------------------------------

_TEXT = pd.StringDtype


class _Base(pa.DataFrameModel):
    source_row: Series[pd.Int64Dtype] = pa.Field(ge=1, unique=True)

    class Config:
        strict = False  # extra columns pass through untouched
        coerce = False


class Clusters(_Base):
    """One row per cluster initiative of a wave."""

    cluster_id: Series[_TEXT] = pa.Field(unique=True)
    name_ru: Series[_TEXT]
    name_en: Series[_TEXT] = pa.Field(nullable=True)
    region_iso: Series[_TEXT]
    specialization: Series[_TEXT] = pa.Field(nullable=True)
    industry: Series[_TEXT] = pa.Field(nullable=True, isin=list(INDUSTRIES))
    is_innovative: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    is_leading: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    is_industrial: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    is_cdc_supported: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    founded_year: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=MIN_YEAR, le=MAX_YEAR)
    org_level: Series[_TEXT] = pa.Field(nullable=True, isin=list(ORG_LEVELS))
    n_members: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, le=MAX_COUNT)
    n_employees: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, le=MAX_COUNT)
    source: Series[_TEXT] = pa.Field(nullable=True)
    # [EXT] optional: absent column = true for every cluster (a full survey)
    members_listed: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    # derived from founded_year (a year or a range a-b)
    founded_year_low: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=MIN_YEAR, le=MAX_YEAR)
    founded_year_high: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=MIN_YEAR, le=MAX_YEAR)
    founded_year_text: Series[_TEXT] = pa.Field(nullable=True)

    @pa.dataframe_check
    @classmethod
    def founding_range_is_ordered(cls, df: pd.DataFrame) -> pd.Series[bool]:
        """``founded_year_low <= founded_year_high`` wherever both are known."""
        return (df["founded_year_low"] <= df["founded_year_high"]).fillna(True).astype(bool)


class Relations(_Base):
    """One row per organisation related to a cluster of the wave."""

    cluster_id: Series[_TEXT]
    organisation: Series[_TEXT]
    relation: Series[_TEXT] = pa.Field(isin=list(RELATIONS))
    mne_id: Series[_TEXT] = pa.Field(nullable=True)
    hq_country: Series[_TEXT] = pa.Field(nullable=True, str_matches=r"^[A-Z]{2}$")
    industry: Series[_TEXT] = pa.Field(nullable=True, isin=list(INDUSTRIES))
    entry_year: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=MIN_YEAR, le=MAX_YEAR)
    source: Series[_TEXT] = pa.Field(nullable=True)


class MneRegistry(_Base):
    """One row per multinational group."""

    mne_id: Series[_TEXT] = pa.Field(unique=True)
    name: Series[_TEXT]
    aliases: Series[_TEXT] = pa.Field(nullable=True)
    hq_country: Series[_TEXT] = pa.Field(str_matches=r"^[A-Z]{2}$")
    industry: Series[_TEXT] = pa.Field(isin=list(INDUSTRIES))


class Regions(_Base):
    """The federal subjects: ISO 3166-2 code, names, federal district."""

    region_iso: Series[_TEXT] = pa.Field(unique=True, str_matches=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
    name_en: Series[_TEXT]
    name_ru: Series[_TEXT]
    federal_district: Series[_TEXT]


class Ranks(_Base):
    """A regional ranking: a place or band per region and data year."""

    region_iso: Series[_TEXT]
    year: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=MIN_YEAR, le=MAX_YEAR)
    rank: Series[_TEXT] = pa.Field(nullable=True)
    rank_low: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, le=MAX_RANK)
    rank_high: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, le=MAX_RANK)
    score: Series[_TEXT] = pa.Field(nullable=True)
    group: Series[_TEXT] = pa.Field(nullable=True)
    source: Series[_TEXT] = pa.Field(nullable=True)

    @pa.dataframe_check
    @classmethod
    def band_is_ordered(cls, df: pd.DataFrame) -> pd.Series[bool]:
        """``rank_low <= rank_high`` wherever both are known."""
        return (df["rank_low"] <= df["rank_high"]).fillna(True).astype(bool)


#: Model of each input table, by table name.
INPUT_MODELS: dict[str, type[_Base]] = {
    "clusters": Clusters,
    "relations": Relations,
    "mne_registry": MneRegistry,
    "regions": Regions,
    "innovation_rank": Ranks,
    "investment_rank": Ranks,
}

#: Columns a rank table's file must hold; ``rank_low``/``rank_high`` are derived.
DERIVED_COLUMNS: dict[str, tuple[str, ...]] = {
    "innovation_rank": ("rank_low", "rank_high"),
    "investment_rank": ("rank_low", "rank_high"),
    "clusters": ("founded_year_low", "founded_year_high", "founded_year_text"),
}

#: The column each derived column is computed from (for messages).
DERIVED_FROM: dict[str, str] = {
    "rank_low": "rank",
    "rank_high": "rank",
    "founded_year_low": "founded_year",
    "founded_year_high": "founded_year",
    "founded_year_text": "founded_year",
}

#: Value of an optional column a file leaves out, per table and column (a
#: column absent here is filled blank). An absent ``members_listed`` means the
#: relations list every cluster's members, as in the Observatory's own files.
ABSENT_COLUMN_DEFAULTS: dict[tuple[str, str], object] = {
    ("clusters", "members_listed"): True,
}


def parse_year_range(text: str) -> tuple[int, int] | None:
    """``(low, high)`` of a founding-year range such as ``2006-2012``, else ``None``.

    Only the range's shape is checked here (two four-digit years, ``low <= high``);
    the years' bounds are checked by ingest.
    """
    match = YEAR_RANGE_PATTERN.fullmatch(text.strip())
    if match is None:
        return None
    low, high = int(match.group(1)), int(match.group(2))
    return (low, high) if low <= high else None


def contract_columns(table: str) -> list[str]:
    """The contract's columns of ``table`` in contract order (no ``source_row``)."""
    schema = INPUT_MODELS[table].to_schema()
    return [c for c in schema.columns if c != "source_row"]


def file_columns(table: str) -> list[str]:
    """The columns a file of ``table`` is read from (derived columns excluded)."""
    derived = DERIVED_COLUMNS.get(table, ())
    return [c for c in contract_columns(table) if c not in derived]


#: Columns a file must hold although single cells may be blank: a ranking
#: without its ``year`` or ``rank`` column says nothing at all, so a file that
#: lacks them is refused rather than read as wholly unknown.
HEADER_REQUIRED: dict[str, tuple[str, ...]] = {
    # The contract's required status flags accept a blank cell as unknown, but a
    # file without the column would make every cluster's status unknown unseen.
    "clusters": tuple(vocab.FLAG_COLUMNS[s] for s in vocab.STATUSES),
    "innovation_rank": ("year", "rank"),
    "investment_rank": ("year", "rank"),
}


def required_columns(table: str) -> list[str]:
    """Columns that must be present in a file of ``table``.

    A column is required in the header exactly when its values are required
    (the contract's "required: yes"), or it is in :data:`HEADER_REQUIRED`. A column whose values may be blank may be
    left out of the file altogether and then reads as blank: a spreadsheet user
    leaves out the columns they do not use. A misspelt optional header is
    caught by ingest instead (an extra column resembling a missing contract
    column is an error), so nothing passes silently as an extra column.
    """
    always = HEADER_REQUIRED.get(table, ())
    return [c for c in file_columns(table) if value_required(table, c) or c in always]


def optional_columns(table: str) -> list[str]:
    """Columns a file of ``table`` may leave out (they read as blank)."""
    required = set(required_columns(table))
    return [c for c in file_columns(table) if c not in required]


def value_required(table: str, column: str) -> bool:
    """True when a cell of ``column`` may not be blank."""
    return not INPUT_MODELS[table].to_schema().columns[column].nullable


def column_kind(table: str, column: str) -> str:
    """How a column is typed: ``text``, ``bool``, ``boolean`` or ``int``."""
    dtype = str(INPUT_MODELS[table].to_schema().columns[column].dtype)
    if dtype == "bool":
        return "bool"
    if dtype == "boolean":
        return "boolean"
    if dtype == "Int64":
        return "int"
    return "text"


def check_statistic(table: str, column: str, check: str) -> Any:
    """The statistic of a built-in check on a column (e.g. ``min_value`` of ``ge``)."""
    for c in INPUT_MODELS[table].to_schema().columns[column].checks:
        if c.name == check:
            return next(iter(c.statistics.values()))
    return None


# --------------------------------------------------------------------------
# Processed-side models: what later stages write.
# --------------------------------------------------------------------------

_OUTCOMES = ["kept", "excluded"]


class RowLog(pa.DataFrameModel):
    """One row per input row read by ingest, with what happened to it."""

    table: Series[_TEXT] = pa.Field(isin=list(WAVE_TABLES))
    file: Series[_TEXT]
    source_row: Series[pd.Int64Dtype] = pa.Field(ge=2)
    outcome: Series[_TEXT] = pa.Field(isin=_OUTCOMES)
    reason: Series[_TEXT] = pa.Field(nullable=True)

    class Config:
        strict = True
        unique = ["table", "source_row"]


class ClassifiedClusters(Clusters):
    """Clusters after classification (``<wave>/clusters.parquet``)."""

    status: Series[_TEXT] = pa.Field(isin=list(vocab.STATUS_VALUES))
    founding_period: Series[_TEXT]
    mne_presence: Series[_TEXT] = pa.Field(isin=list(vocab.PRESENCE))
    has_mne: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    has_mne_member: Series[bool]
    has_mne_partner: Series[bool]
    has_mne_unknown_role: Series[bool]
    n_mne_relations: Series[int] = pa.Field(ge=0)
    n_foreign_groups: Series[int] = pa.Field(ge=0)
    region_name_en: Series[_TEXT] = pa.Field(nullable=True)
    federal_district: Series[_TEXT] = pa.Field(nullable=True)
    innovation_rank: Series[_TEXT] = pa.Field(nullable=True)
    innovation_rank_low: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    innovation_rank_high: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    innovation_top: Series[_TEXT] = pa.Field(isin=["yes", "no", "unknown"])
    investment_rank: Series[_TEXT] = pa.Field(nullable=True)
    investment_rank_low: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    investment_rank_high: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    investment_top: Series[_TEXT] = pa.Field(isin=["yes", "no", "unknown"])


class ClassifiedRelations(Relations):
    """Relations after matching to MNE groups (``<wave>/relations.parquet``)."""

    mne_name: Series[_TEXT] = pa.Field(nullable=True)
    is_mne: Series[bool]
    is_foreign: Series[bool]
    match_method: Series[_TEXT] = pa.Field(isin=["explicit", "exact", "token", "fuzzy", "none"])
    match_score: Series[float] = pa.Field(nullable=True)
    is_duplicate: Series[bool]
    after_survey: Series[bool]
