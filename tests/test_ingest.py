"""ingest: typing and validation of wave and reference tables, every problem at once."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from mne_clusters.core.errors import ConfigError, DataError
from mne_clusters.ingest.cells import parse_integer
from mne_clusters.ingest.check import check_table
from mne_clusters.ingest.readers import read_table
from mne_clusters.ingest.step import ingest_wave, run_reference, run_wave

REPO = Path(__file__).resolve().parents[1]

CLUSTER = {
    "cluster_id": "klu-pharma",
    "name_ru": "Калужский фармкластер",
    "name_en": "",
    "region_iso": "RU-KLU",
    "specialization": "pharmaceuticals",
    "industry": "pharma_biotech",
    "is_innovative": "true",
    "is_leading": "",
    "is_industrial": "нет",
    "is_cdc_supported": "0",
    "founded_year": "2010",
    "org_level": "medium",
    "n_members": "1 500",
    "n_employees": "",
    "source": "https://example.org",
}
RELATION = {
    "cluster_id": "klu-pharma",
    "organisation": "ООО «Ново Нордиск»",
    "relation": "участник",
    "mne_id": "novo-nordisk",
    "hq_country": "",
    "industry": "",
    "entry_year": "2010",
    "source": "",
}
REGIONS = {"RU-KLU", "RU-TA"}


def _raw(rows: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, dtype="string")
    frame["source_row"] = pd.array(range(2, len(rows) + 2), dtype="Int64")
    return frame


def _clusters(**changes: str) -> pd.DataFrame:
    return _raw([{**CLUSTER, **changes}])


def _check(table, raw, **kw):
    kw.setdefault("wave_year", 2019)
    if table in ("clusters", "innovation_rank", "investment_rank"):
        kw.setdefault("region_codes", REGIONS)
    return check_table(table, raw, file="w/clusters.csv", **kw)


def _lines(problems) -> list[str]:
    return [p.format() for p in problems]


def _one(table, raw, **kw):
    _typed, _blank, problems = _check(table, raw, **kw)
    assert len(problems) == 1, _lines(problems)
    return problems[0]


# ------------------------------------------------------------------ typing


def test_valid_cluster_row_is_typed_per_contract():
    typed, blank, problems = _check("clusters", _clusters())
    assert problems == []
    assert not blank.any()
    expected = pd.DataFrame(
        {
            "cluster_id": pd.array(["klu-pharma"], dtype="string"),
            "name_ru": pd.array(["Калужский фармкластер"], dtype="string"),
            "name_en": pd.array([pd.NA], dtype="string"),
            "region_iso": pd.array(["RU-KLU"], dtype="string"),
            "specialization": pd.array(["pharmaceuticals"], dtype="string"),
            "industry": pd.array(["pharma_biotech"], dtype="string"),
            "is_innovative": pd.array([True], dtype="boolean"),
            "is_leading": pd.array([pd.NA], dtype="boolean"),
            "is_industrial": pd.array([False], dtype="boolean"),
            "is_cdc_supported": pd.array([False], dtype="boolean"),
            "founded_year": pd.array([2010], dtype="Int64"),
            "org_level": pd.array(["medium"], dtype="string"),
            "n_members": pd.array([1500], dtype="Int64"),
            "n_employees": pd.array([pd.NA], dtype="Int64"),
            "source": pd.array(["https://example.org"], dtype="string"),
            # absent optional column: every cluster's members are listed
            "members_listed": pd.array([True], dtype="boolean"),
            "founded_year_low": pd.array([2010], dtype="Int64"),
            "founded_year_high": pd.array([2010], dtype="Int64"),
            "founded_year_text": pd.array(["2010"], dtype="string"),
            "source_row": pd.array([2], dtype="Int64"),
        }
    )
    assert_frame_equal(typed, expected)


def test_check_table_does_not_mutate_its_input():
    raw = _clusters(n_members="abc")
    before = raw.copy()
    _check("clusters", raw)
    assert_frame_equal(raw, before)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1500", 1500), ("1 500", 1500), ("1\u00a0500", 1500), ("12 500 000", 12500000), ("-3", -3)],
)
def test_parse_integer_accepts_digits_grouped_by_spaces(text, value):
    assert parse_integer(text) == value


@pytest.mark.parametrize("text", ["12.5", "1,500", "15 00", "abc", "2010.0", "1e3", ""])
def test_parse_integer_refuses_decimals_commas_and_bad_groups(text):
    assert parse_integer(text) is None


@pytest.mark.parametrize(
    ("spelling", "value"), [("TRUE", True), ("Да", True), ("Y", True), ("НЕТ", False), ("0", False)]
)
def test_boolean_spellings_are_read_in_any_case(spelling, value):
    typed, _, problems = _check("clusters", _clusters(is_innovative=spelling))
    assert problems == []
    assert typed["is_innovative"].tolist() == [value]


def test_blank_is_leading_stays_unknown_not_false():
    typed, _, _ = _check("clusters", _clusters(is_leading=""))
    assert typed["is_leading"].isna().tolist() == [True]


def test_extra_columns_pass_through_as_text_with_na_for_blank():
    raw = _raw([{**CLUSTER, "notes": " kept ", "website": ""}])
    raw["notes"] = raw["notes"].str.strip()
    typed, _, problems = _check("clusters", raw)
    assert problems == []
    assert list(typed.columns[-3:]) == ["notes", "website", "source_row"]
    assert typed.loc[0, "notes"] == "kept"
    assert typed["website"].isna().all()


def test_industry_map_maps_a_free_text_spelling():
    typed, _, problems = _check(
        "clusters",
        _clusters(industry="Фармацевтика"),
        industry_map={"фармацевтика": "pharma_biotech"},
    )
    assert problems == []
    assert typed.loc[0, "industry"] == "pharma_biotech"


def test_industry_map_onto_an_unknown_term_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError):
        ingest_wave(
            clusters=tmp_path / "c.csv",
            relations=tmp_path / "r.csv",
            wave_year=2019,
            region_codes=None,
            industry_map={"Фарма": "pharma"},
        )


# ------------------------------------------------------------------ each error


def test_missing_required_column_is_one_problem_per_column():
    raw = _clusters().drop(columns=["name_ru", "is_industrial"])
    _, _, problems = _check("clusters", raw)
    assert _lines(problems) == [
        "w/clusters.csv, column 'name_ru': expected a column named 'name_ru' in the header "
        "row. Fix: add a column named 'name_ru'",
        "w/clusters.csv, column 'is_industrial': expected a column named 'is_industrial' in "
        "the header row. Fix: add a column named 'is_industrial'",
    ]


def test_missing_required_column_suggests_the_nearest_extra_header():
    raw = _clusters().rename(columns={"name_ru": "nmae_ru"})
    _, _, problems = _check("clusters", raw)
    assert _lines(problems) == [
        "w/clusters.csv, column 'name_ru': expected a column named 'name_ru' in the header "
        "row (did you mean 'nmae_ru'?). Fix: rename the column 'nmae_ru' to 'name_ru'",
    ]


def test_missing_required_column_with_no_similar_header_gets_no_hint():
    raw = _clusters().rename(columns={"name_ru": "notes"})
    _, _, problems = _check("clusters", raw)
    assert [p.expected for p in problems] == ["a column named 'name_ru' in the header row"]


def test_optional_columns_may_be_left_out_and_read_as_blank():
    raw = _clusters().drop(
        columns=[
            "name_en",
            "specialization",
            "industry",
            "is_leading",
            "founded_year",
            "org_level",
            "n_members",
            "n_employees",
            "source",
        ]
    )
    typed, _, problems = _check("clusters", raw)
    assert problems == []
    full, _, _ = _check(
        "clusters",
        _clusters(
            name_en="",
            specialization="",
            industry="",
            is_leading="",
            founded_year="",
            org_level="",
            n_members="",
            n_employees="",
            source="",
        ),
    )
    assert_frame_equal(typed, full)


def test_relations_with_only_required_columns_and_source_are_valid():
    raw = _raw([{k: RELATION[k] for k in ("cluster_id", "organisation", "relation", "source")}])
    typed, _, problems = _check("relations", raw)
    assert problems == []
    assert list(typed.columns) == [
        "cluster_id",
        "organisation",
        "relation",
        "mne_id",
        "hq_country",
        "industry",
        "entry_year",
        "source",
        "source_row",
    ]
    assert typed[["mne_id", "hq_country", "industry", "entry_year"]].isna().all().all()
    assert str(typed["entry_year"].dtype) == "Int64"


def test_misspelt_optional_header_is_refused_not_passed_through():
    row = {("hq_contry" if k == "hq_country" else k): v for k, v in RELATION.items()}
    problem = _one("relations", _raw([row]))
    assert (problem.row, problem.column, problem.rule) == (1, "hq_contry", "header")
    assert "did you mean 'hq_country'?" in problem.expected


def test_required_value_empty_is_an_error():
    problem = _one("clusters", _clusters(name_ru=""))
    assert problem.format() == (
        "w/clusters.csv, row 2, column 'name_ru': value '' — expected a value (this column "
        "may not be blank). Fix: fill in the cell"
    )


def test_text_in_founded_year_is_a_type_error():
    problem = _one("clusters", _clusters(founded_year="abc"))
    assert (problem.row, problem.column, problem.value, problem.rule) == (
        2,
        "founded_year",
        "abc",
        "integer",
    )


def test_decimal_member_count_is_a_type_error():
    problem = _one("clusters", _clusters(n_members="12.5"))
    assert (problem.column, problem.value, problem.rule) == ("n_members", "12.5", "integer")


def test_negative_count_is_an_error():
    problem = _one("clusters", _clusters(n_employees="-3"))
    assert problem.format() == (
        "w/clusters.csv, row 2, column 'n_employees': value '-3' — expected a count of 0 or "
        "more. Fix: correct the count, or leave the cell empty if it is not known"
    )


@pytest.mark.parametrize("year", ["1899", "2020"])
def test_year_outside_1900_to_wave_year_is_an_error(year):
    problem = _one("clusters", _clusters(founded_year=year))
    assert problem.expected == "a year from 1900 to 2019"


@pytest.mark.parametrize("year", ["1900", "2019"])
def test_years_at_the_bounds_are_accepted(year):
    typed, _, problems = _check("clusters", _clusters(founded_year=year))
    assert problems == [] and typed.loc[0, "founded_year"] == int(year)


def test_unknown_boolean_spelling_is_an_error():
    problem = _one("clusters", _clusters(is_cdc_supported="maybe"))
    assert (problem.column, problem.rule) == ("is_cdc_supported", "boolean")


def test_industry_outside_vocabulary_is_an_error_suggesting_the_map():
    problem = _one("clusters", _clusters(industry="pharma"))
    assert problem.fix == (
        "use one of these values, or map 'pharma' to one of them under ingest.industry_map "
        "in config.yaml"
    )


def test_org_level_outside_vocabulary_is_an_error():
    problem = _one("clusters", _clusters(org_level="advanced"))
    assert problem.expected == "one of initial, medium, high"


def test_duplicate_cluster_id_names_both_rows():
    raw = _raw([CLUSTER, {**CLUSTER, "name_ru": "другой"}])
    problem = _one("clusters", raw)
    assert problem.format() == (
        "w/clusters.csv, row 3, column 'cluster_id': value 'klu-pharma' — expected a "
        "cluster_id unique in the table; 'klu-pharma' is also in row 2. Fix: delete the "
        "duplicate row, or correct the value"
    )


def test_region_missing_from_regions_table_is_an_error():
    problem = _one("clusters", _clusters(region_iso="RU-XX"))
    assert (problem.column, problem.value, problem.rule) == ("region_iso", "RU-XX", "reference")


def test_russian_relation_spelling_is_mapped():
    typed, _, problems = _check("relations", _raw([RELATION]), cluster_ids={"klu-pharma"})
    assert problems == []
    assert typed.loc[0, "relation"] == "member"


def test_relation_outside_vocabulary_is_an_error():
    problem = _one("relations", _raw([{**RELATION, "relation": "anchor"}]))
    assert problem.expected == "one of member, partner, unknown (also участник, партнер, партнёр)"


def test_relation_to_a_cluster_missing_from_the_wave_is_an_error():
    problem = _one(
        "relations",
        _raw([{**RELATION, "cluster_id": "klu-nope"}]),
        cluster_ids={"klu-pharma"},
        clusters_file="w/clusters.csv",
    )
    assert problem.expected == "a cluster_id of this wave's clusters file (w/clusters.csv)"


def test_lowercase_country_code_is_an_error_suggesting_capitals():
    problem = _one("relations", _raw([{**RELATION, "hq_country": "dk"}]))
    assert (problem.rule, problem.fix) == ("country", "write 'DK'")


def test_registry_duplicate_mne_id_and_bad_country_are_both_reported():
    row = {"mne_id": "x", "name": "X", "aliases": "", "hq_country": "DE", "industry": "ict"}
    raw = _raw([row, {**row, "hq_country": "Germany"}])
    _, _, problems = _check("mne_registry", raw)
    assert sorted((p.row, p.column, p.rule) for p in problems) == [
        (3, "hq_country", "country"),
        (3, "mne_id", "duplicate"),
    ]


RANK = {"region_iso": "RU-TA", "year": "2015", "rank": "4-10", "source": "s"}


def test_rank_band_is_split_into_low_and_high():
    typed, _, problems = _check("innovation_rank", _raw([RANK]))
    assert problems == []
    assert typed.loc[0, ["rank", "rank_low", "rank_high"]].tolist() == ["4-10", 4, 10]
    assert typed["score"].isna().all() and typed["group"].isna().all()


def test_blank_rank_stays_unknown():
    typed, _, problems = _check("innovation_rank", _raw([{**RANK, "rank": ""}]))
    assert problems == []
    assert typed[["rank", "rank_low", "rank_high"]].isna().all(axis=None)


def test_reversed_band_is_a_rank_error():
    problem = _one("innovation_rank", _raw([{**RANK, "rank": "10-4"}]))
    assert (problem.column, problem.value, problem.rule) == ("rank", "10-4", "rank")


def test_two_ranks_for_one_region_and_year_are_an_error():
    problem = _one("investment_rank", _raw([RANK, {**RANK, "rank": "5"}]))
    assert problem.expected == "one rank per region and year; 'RU-TA 2015' is also in row 2"


def test_region_code_not_in_iso_3166_2_is_an_error_in_regions_table():
    row = {"region_iso": "RU-ZZZ", "name_en": "Z", "name_ru": "З", "federal_district": "C"}
    problem = _one("regions", _raw([row]))
    assert (problem.rule, problem.value) == ("region-code", "RU-ZZZ")


# ------------------------------------------------------------------ waves on files


def _write_csv(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> str:
    header = header or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(c, "") for c in header])
    return str(path)


@pytest.fixture
def regions_parquet(tmp_path: Path) -> str:
    frame = pd.DataFrame({"region_iso": pd.array(sorted(REGIONS), dtype="string")})
    path = tmp_path / "regions.parquet"
    frame.to_parquet(path)
    return str(path)


def _outs(tmp_path: Path) -> dict[str, str]:
    return {
        "out_clusters": str(tmp_path / "out" / "clusters.parquet"),
        "out_relations": str(tmp_path / "out" / "relations.parquet"),
        "out_row_log": str(tmp_path / "out" / "row_log.parquet"),
    }


def test_five_errors_in_clusters_and_one_in_relations_come_in_one_data_error(
    tmp_path, regions_parquet
):
    clusters = _write_csv(
        tmp_path / "clusters.csv",
        [
            {**CLUSTER, "founded_year": "abc", "n_members": "-1"},
            {**CLUSTER, "region_iso": "RU-XX", "industry": "pharma"},
        ],
    )
    relations = _write_csv(tmp_path / "relations.csv", [{**RELATION, "cluster_id": "nope"}])
    with pytest.raises(DataError) as exc:
        run_wave(
            wave="t",
            wave_year=2019,
            clusters=clusters,
            relations=relations,
            regions=regions_parquet,
            **_outs(tmp_path),
        )
    found = sorted((Path(p.file).name, p.row, p.column, p.rule) for p in exc.value.problems)
    assert found == [
        ("clusters.csv", 2, "founded_year", "integer"),
        ("clusters.csv", 2, "n_members", "negative"),
        ("clusters.csv", 3, "cluster_id", "duplicate"),
        ("clusters.csv", 3, "industry", "vocabulary"),
        ("clusters.csv", 3, "region_iso", "reference"),
        ("relations.csv", 2, "cluster_id", "reference"),
    ]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_unreadable_clusters_file_still_reports_relations_problems(tmp_path, regions_parquet):
    clusters = tmp_path / "clusters.csv"
    clusters.write_bytes(b"")
    relations = _write_csv(tmp_path / "relations.csv", [{**RELATION, "relation": "boss"}])
    with pytest.raises(DataError) as exc:
        run_wave(
            wave="t",
            wave_year=2019,
            clusters=str(clusters),
            relations=relations,
            regions=regions_parquet,
            **_outs(tmp_path),
        )
    assert sorted(p.rule for p in exc.value.problems) == ["empty", "vocabulary"]


def test_problems_name_the_file_as_given(tmp_path, regions_parquet, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "w").mkdir()
    _write_csv(tmp_path / "w" / "clusters.csv", [{**CLUSTER, "n_members": "x"}])
    _write_csv(tmp_path / "w" / "relations.csv", [RELATION])
    with pytest.raises(DataError) as exc:
        run_wave(
            wave="t",
            wave_year=2019,
            clusters="w/clusters.csv",
            relations="w/relations.csv",
            regions=regions_parquet,
            **_outs(tmp_path),
        )
    assert [p.file for p in exc.value.problems] == ["w/clusters.csv"]


def test_blank_rows_are_excluded_and_logged(tmp_path, regions_parquet):
    blank = dict.fromkeys(CLUSTER, "")
    clusters = _write_csv(
        tmp_path / "clusters.csv", [CLUSTER, blank, {**CLUSTER, "cluster_id": "b"}]
    )
    relations = _write_csv(tmp_path / "relations.csv", [RELATION])
    outs = _outs(tmp_path)
    run_wave(
        wave="t",
        wave_year=2019,
        clusters=clusters,
        relations=relations,
        regions=regions_parquet,
        **outs,
    )
    log = pd.read_parquet(outs["out_row_log"])
    assert log[["table", "source_row", "outcome", "reason"]].astype(object).where(
        log[["table", "source_row", "outcome", "reason"]].notna(), None
    ).values.tolist() == [
        ["clusters", 2, "kept", None],
        ["clusters", 3, "excluded", "blank row"],
        ["clusters", 4, "kept", None],
        ["relations", 2, "kept", None],
    ]
    assert pd.read_parquet(outs["out_clusters"])["source_row"].tolist() == [2, 4]


def test_run_wave_output_is_byte_identical_on_rerun(tmp_path, regions_parquet):
    clusters = _write_csv(tmp_path / "clusters.csv", [CLUSTER])
    relations = _write_csv(tmp_path / "relations.csv", [RELATION])
    outs = _outs(tmp_path)
    kwargs = dict(wave="t", wave_year=2019, clusters=clusters, relations=relations)
    run_wave(**kwargs, regions=regions_parquet, **outs)
    first = {k: Path(v).read_bytes() for k, v in outs.items()}
    run_wave(**kwargs, regions=regions_parquet, **outs)
    assert first == {k: Path(v).read_bytes() for k, v in outs.items()}


# ------------------------------------------------------------------ default data


def _data_rows(path: Path) -> int:
    """Non-blank data rows of a CSV file, counted independently of the reader."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return sum(1 for r in rows[1:] if any(c.strip() for c in r))


def test_default_data_reference_tables_load(tmp_path):
    raw = REPO / "data" / "raw" / "reference"
    regions = str(tmp_path / "regions.parquet")
    run_reference(table="regions", path=str(raw / "regions.csv"), out=regions)
    assert len(pd.read_parquet(regions)) == 85  # the 85 federal subjects
    for table in ("mne_registry", "innovation_rank", "investment_rank"):
        out = tmp_path / f"{table}.parquet"
        run_reference(table=table, path=str(raw / f"{table}.csv"), out=str(out), regions=regions)
        assert len(pd.read_parquet(out)) == _data_rows(raw / f"{table}.csv")


def test_default_wave_2019_ingests_every_row(tmp_path):
    raw = REPO / "data" / "raw"
    regions = str(tmp_path / "regions.parquet")
    run_reference(table="regions", path=str(raw / "reference" / "regions.csv"), out=regions)
    outs = _outs(tmp_path)
    clusters_csv = raw / "waves" / "2019" / "clusters.csv"
    relations_csv = raw / "waves" / "2019" / "relations.csv"
    run_wave(
        wave="2019",
        wave_year=2019,
        clusters=str(clusters_csv),
        relations=str(relations_csv),
        regions=regions,
        **outs,
    )
    clusters = pd.read_parquet(outs["out_clusters"])
    relations = pd.read_parquet(outs["out_relations"])
    log = pd.read_parquet(outs["out_row_log"])
    assert len(clusters) == _data_rows(clusters_csv) >= 72
    assert len(relations) == _data_rows(relations_csv) >= 52
    assert (log["outcome"] == "kept").all()
    assert clusters["cluster_id"].is_unique


# ------------------------------------------------------------------ review fixes


@pytest.mark.parametrize(
    ("table", "row", "wave_year", "column", "expected"),
    [
        (
            "clusters",
            {**CLUSTER, "n_members": "99999999999999999999"},
            2019,
            "n_members",
            "a whole number from 0 to 1,000,000,000",
        ),
        (
            "clusters",
            {**CLUSTER, "n_employees": "1 000 000 001"},
            2019,
            "n_employees",
            "a whole number from 0 to 1,000,000,000",
        ),
        (
            "clusters",
            {**CLUSTER, "founded_year": "99999999999999999999"},
            None,
            "founded_year",
            "a year from 1900 to 2100 (no survey year bounds this table)",
        ),
        (
            "relations",
            {**RELATION, "entry_year": "99999999999999999999"},
            None,
            "entry_year",
            "a year from 1900 to 2100 (no survey year bounds this table)",
        ),
        (
            "innovation_rank",
            {**RANK, "year": "99999999999999999999"},
            None,
            "year",
            "a year from 1900 to 2100 (no survey year bounds this table)",
        ),
        (
            "innovation_rank",
            {**RANK, "rank": "99999999999999999999"},
            None,
            "rank",
            "a rank from 1 to 10,000 (or a band within it)",
        ),
        (
            "investment_rank",
            {**RANK, "rank": "3-10001"},
            None,
            "rank",
            "a rank from 1 to 10,000 (or a band within it)",
        ),
    ],
)
def test_huge_whole_number_is_a_range_problem_not_an_overflow(
    table, row, wave_year, column, expected
):
    problem = _one(table, _raw([row]), wave_year=wave_year)
    assert (problem.column, problem.value, problem.expected) == (column, row[column], expected)


def test_xlsx_number_1e20_in_a_count_is_a_range_problem(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(list(CLUSTER))
    wb.active.append([1e20 if c == "n_members" else v for c, v in CLUSTER.items()])
    wb.save(tmp_path / "c.xlsx")
    raw = read_table(tmp_path / "c.xlsx")
    problem = _one("clusters", raw)
    assert (problem.column, problem.value, problem.rule) == (
        "n_members",
        "100000000000000000000",
        "too-large",
    )


def test_non_ascii_digits_are_not_numbers():
    assert [parse_integer(t) for t in ["\u0665", "\uff12\uff10\uff11\uff10", "1 \u066500"]] == [
        None,
        None,
        None,
    ]
    problem = _one("innovation_rank", _raw([{**RANK, "rank": "\u0665"}]))
    assert (problem.column, problem.rule) == ("rank", "rank")


def test_own_rank_low_and_rank_high_columns_are_header_problems():
    raw = _raw([{**RANK, "rank_low": "7", "rank_high": "8"}])
    _typed, _blank, problems = _check("innovation_rank", raw)
    assert _lines(problems) == [
        f"w/clusters.csv, row 1, column '{c}': value '{c}' — expected no column '{c}': the "
        f"pipeline derives '{c}' from 'rank'. Fix: rename or delete the column"
        for c in ("rank_low", "rank_high")
    ]


# --------------------------------------------------------------------------- issue 13


@pytest.mark.parametrize("cell", ["", "unknown", "UNKNOWN", "неизвестно"])
def test_status_flag_blank_or_unknown_is_read_as_unknown_not_false(cell):
    typed, _, problems = _check("clusters", _clusters(is_industrial=cell, is_innovative=cell))
    assert problems == []
    assert typed["is_industrial"].isna().tolist() == [True]
    assert typed["is_innovative"].isna().tolist() == [True]
    assert str(typed["is_industrial"].dtype) == "boolean"


def test_a_flag_spelling_that_is_neither_boolean_nor_unknown_is_an_error():
    problem = _one("clusters", _clusters(is_cdc_supported="maybe"))
    assert (problem.column, problem.value, problem.rule) == ("is_cdc_supported", "maybe", "boolean")


def test_members_listed_absent_means_listed_for_every_cluster():
    raw = _raw([CLUSTER, {**CLUSTER, "cluster_id": "ta-it"}])
    typed, _, problems = _check("clusters", raw)
    assert problems == [] and typed["members_listed"].tolist() == [True, True]


def test_members_listed_present_blank_cell_is_unknown():
    raw = _raw(
        [
            {**CLUSTER, "members_listed": "yes"},
            {**CLUSTER, "cluster_id": "b", "members_listed": "нет"},
            {**CLUSTER, "cluster_id": "c", "members_listed": ""},
            {**CLUSTER, "cluster_id": "d", "members_listed": "unknown"},
        ]
    )
    typed, _, problems = _check("clusters", raw)
    assert problems == []
    assert typed["members_listed"].astype(object).tolist() == [True, False, pd.NA, pd.NA]


@pytest.mark.parametrize(
    ("cell", "low", "high", "year"),
    [
        ("2006-2012", 2006, 2012, None),
        ("2006 – 2012", 2006, 2012, None),
        ("2010-2010", 2010, 2010, None),
        ("2010", 2010, 2010, 2010),
        ("", None, None, None),
    ],
)
def test_founded_year_accepts_a_range_and_keeps_its_bounds_and_text(cell, low, high, year):
    typed, _, problems = _check("clusters", _clusters(founded_year=cell))
    assert problems == []
    got = typed.iloc[0][
        ["founded_year_low", "founded_year_high", "founded_year", "founded_year_text"]
    ].tolist()
    assert [None if pd.isna(v) else v for v in got] == [low, high, year, cell or None]


@pytest.mark.parametrize("cell", ["2012-2006", "1850-1900", "2015-2021"])
def test_bad_founding_range_names_row_column_value_and_fix(cell):
    problem = _one("clusters", _clusters(founded_year=cell))
    assert (problem.row, problem.column, problem.value, problem.rule) == (
        2,
        "founded_year",
        cell,
        "year-range",
    )
    assert "2006-2012" in problem.expected and "earliest first" in problem.fix


def test_derived_founding_columns_in_a_file_are_refused():
    raw = _clusters()
    raw["founded_year_low"] = "2000"
    problems = _check("clusters", raw)[2]
    assert any(
        p.column == "founded_year_low" and "from 'founded_year'" in p.expected for p in problems
    )


def test_misspelt_cluster_id_gets_a_did_you_mean_hint():
    problem = _one(
        "relations",
        _raw([{**RELATION, "cluster_id": "KLU-PHARMA"}]),
        cluster_ids={"klu-pharma", "klu-auto"},
        clusters_file="w/clusters.csv",
    )
    assert problem.fix == (
        "did you mean 'klu-pharma'? add the cluster to the clusters file, or correct the cluster_id"
    )


def test_misspelt_region_code_gets_a_did_you_mean_hint_and_an_unrelated_one_none():
    problem = _one("clusters", _clusters(region_iso="ru-klu"))
    assert problem.fix.startswith("did you mean 'RU-KLU'? use the region's code")
    problem = _one("clusters", _clusters(region_iso="RU-XX"))
    assert "did you mean" not in problem.fix
