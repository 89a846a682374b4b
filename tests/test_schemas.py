"""schemas: vocabularies, code checks, rank parsing and the pandera models."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from mne_clusters.ingest import schemas


def test_industry_vocabulary_is_the_contracts_fifteen_terms_in_order():
    assert schemas.INDUSTRIES == (
        "pharma_biotech",
        "medical",
        "machinery_equipment",
        "automotive",
        "aerospace",
        "ict",
        "electronics",
        "chemicals",
        "energy",
        "materials",
        "food_agri",
        "construction",
        "transport_logistics",
        "tourism_creative",
        "other",
    )


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [("member", "member"), ("участник", "member"), ("партнер", "partner"), ("партнёр", "partner")],
)
def test_relation_synonyms_map_russian_spellings(spelling, canonical):
    assert schemas.RELATION_SYNONYMS[spelling] == canonical


@pytest.mark.parametrize(
    ("spelling", "value"),
    [("true", True), ("1", True), ("yes", True), ("y", True), ("да", True)]
    + [("false", False), ("0", False), ("no", False), ("n", False), ("нет", False)],
)
def test_contract_boolean_spellings_are_known(spelling, value):
    assert schemas.BOOLEAN_SPELLINGS[spelling] is value


@pytest.mark.parametrize(
    ("code", "valid"), [("DE", True), ("GB", True), ("de", False), ("XX", False), ("DEU", False)]
)
def test_country_code_must_be_iso_alpha2_in_capitals(code, valid):
    assert schemas.is_country_alpha2(code) is valid


@pytest.mark.parametrize(
    ("code", "valid"), [("RU-KLU", True), ("UA-43", True), ("RU-XYZ", False), ("ru-klu", False)]
)
def test_region_code_must_be_iso_3166_2(code, valid):
    assert schemas.is_subdivision_code(code) is valid


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("7", (7, 7)),
        ("4-10", (4, 10)),
        ("4 - 10", (4, 10)),
        ("4\u201310", (4, 10)),
        ("5-5", (5, 5)),
        ("10-4", None),
        ("0", None),
        ("abc", None),
        ("4-", None),
        ("2015-04-10", None),
    ],
)
def test_parse_rank_reads_places_and_ordered_bands(text, bounds):
    assert schemas.parse_rank(text) == bounds


def test_rank_tables_may_omit_score_group_and_source_columns():
    assert schemas.required_columns("investment_rank") == ["region_iso", "year", "rank"]
    assert schemas.optional_columns("investment_rank") == ["score", "group", "source"]


def test_only_columns_with_required_values_are_required_in_the_header():
    assert schemas.required_columns("relations") == ["cluster_id", "organisation", "relation"]
    assert "n_employees" not in schemas.required_columns("clusters")
    assert "n_employees" in schemas.optional_columns("clusters")


def test_blank_values_allowed_only_where_the_contract_says():
    assert not schemas.value_required("clusters", "is_leading")
    # status flags may be blank: unknown (issue 13), never read as false
    assert not schemas.value_required("clusters", "is_innovative")
    assert schemas.value_required("clusters", "cluster_id")
    assert schemas.column_kind("clusters", "is_leading") == "boolean"
    assert schemas.column_kind("clusters", "n_members") == "int"


def test_registry_model_rejects_industry_outside_vocabulary():
    frame = pd.DataFrame(
        {
            "mne_id": pd.array(["x"], dtype="string"),
            "name": pd.array(["X"], dtype="string"),
            "aliases": pd.array([pd.NA], dtype="string"),
            "hq_country": pd.array(["DE"], dtype="string"),
            "industry": pd.array(["pharma"], dtype="string"),
            "source_row": pd.array([2], dtype="Int64"),
        }
    )
    with pytest.raises(pa.errors.SchemaError):
        schemas.MneRegistry.validate(frame)


def test_ranks_model_rejects_a_reversed_band():
    frame = pd.DataFrame(
        {
            "region_iso": pd.array(["RU-TA"], dtype="string"),
            "year": pd.array([2015], dtype="Int64"),
            "rank": pd.array(["9-4"], dtype="string"),
            "rank_low": pd.array([9], dtype="Int64"),
            "rank_high": pd.array([4], dtype="Int64"),
            "score": pd.array([pd.NA], dtype="string"),
            "group": pd.array([pd.NA], dtype="string"),
            "source": pd.array([pd.NA], dtype="string"),
            "source_row": pd.array([2], dtype="Int64"),
        }
    )
    with pytest.raises(pa.errors.SchemaError):
        schemas.Ranks.validate(frame)
