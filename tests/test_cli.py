"""mne-clusters command line: validate a wave or a file; exit statuses; the command registry."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from mne_clusters import cli

REPO = Path(__file__).resolve().parents[1]

REGIONS = (
    "region_iso,name_en,name_ru,federal_district\nRU-KLU,Kaluga Oblast,Калужская область,Central\n"
)
CLUSTERS_HEADER = (
    "cluster_id,name_ru,name_en,region_iso,specialization,industry,is_innovative,is_leading,"
    "is_industrial,is_cdc_supported,founded_year,org_level,n_members,n_employees,source\n"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a small config whose wave 'w' has survey year 2015."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "regions.csv").write_text(REGIONS, encoding="utf-8")
    (tmp_path / "clusters.csv").write_text(
        CLUSTERS_HEADER + "a,А,,RU-KLU,,,true,,false,false,2016,,,,\n", encoding="utf-8"
    )
    (tmp_path / "relations.csv").write_text(
        "cluster_id,organisation,relation,mne_id,hq_country,industry,entry_year,source\n"
        "a,X,партнер,,,,,\n",
        encoding="utf-8",
    )
    (tmp_path / "config.yaml").write_text(
        "waves:\n  w:\n    year: 2015\n    clusters: clusters.csv\n    relations: relations.csv\n"
        "    ranks_year: 2015\n"
        "reference:\n  mne_registry: x.csv\n  regions: regions.csv\n  innovation_rank: x.csv\n"
        "  investment_rank: x.csv\n  boundaries: x.geojson\n",
        encoding="utf-8",
    )
    return tmp_path


def test_default_wave_validates_clean(monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    status = cli.main(["validate", "2019"])
    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert lines[0] == "OK: data/raw/reference/regions.csv: 85 rows, valid"
    assert [line.split(":")[1].strip() for line in lines] == [
        "data/raw/reference/regions.csv",
        "data/raw/reference/mne_registry.csv",
        "data/raw/reference/innovation_rank.csv",
        "data/raw/reference/investment_rank.csv",
        "data/raw/waves/2019/clusters.csv",
        "data/raw/waves/2019/relations.csv",
    ]


def test_file_of_a_configured_wave_is_checked_against_that_waves_year(project, capsys):
    status = cli.main(["validate", "clusters.csv"])
    out = capsys.readouterr().out.splitlines()
    assert status == 1
    assert out == [
        "OK: regions.csv: 1 row, valid",
        "[year-range] clusters.csv, row 2, column 'founded_year': value '2016' — expected a "
        "year from 1900 to 2015. Fix: correct the year, or leave the cell empty if it is not "
        "known",
        "FAILED: 1 problem found",
    ]


def test_wave_year_option_overrides_the_config(project, capsys):
    assert cli.main(["validate", "clusters.csv", "--wave-year", "2016"]) == 0


def test_table_kind_is_inferred_from_the_header(project, capsys):
    assert cli.main(["validate", "relations.csv"]) == 0
    assert capsys.readouterr().out == "OK: relations.csv: 1 row, valid\n"


def test_whole_wave_reports_problems_of_missing_reference_files(project, capsys):
    status = cli.main(["validate", "w"])
    out = capsys.readouterr().out
    assert status == 1
    assert "[file] x.csv: expected an existing file" in out


def test_header_matching_no_table_is_a_usage_error(project, capsys):
    Path("odd.csv").write_text("foo,bar\n1,2\n", encoding="utf-8")
    assert cli.main(["validate", "odd.csv"]) == 2
    assert "cannot tell which table" in capsys.readouterr().err


def test_unknown_target_is_a_usage_error(project, capsys):
    assert cli.main(["validate", "nope"]) == 2
    assert capsys.readouterr().err == (
        "mne-clusters validate: 'nope' is neither a file nor a wave id of config.yaml (waves: w)\n"
    )


def test_missing_config_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["validate", "2019"]) == 2
    assert "config file not found" in capsys.readouterr().err


def test_unknown_subcommand_exits_2(capsys):
    assert cli.main(["frobnicate"]) == 2


def test_help_exits_0(capsys):
    assert cli.main(["--help"]) == 0
    assert "validate" in capsys.readouterr().out


def test_a_command_added_to_the_registry_is_dispatched(monkeypatch):
    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("n", type=int)

    command = cli.Command(help="test", add_arguments=add, run=lambda args: args.n + 10)
    monkeypatch.setitem(cli.COMMANDS, "hello", command)
    assert cli.main(["hello", "3"]) == 13


def test_apply_review_command_adds_confirmed_aliases(tmp_path, capsys):
    from mne_clusters import cli

    registry = tmp_path / "mne_registry.csv"
    registry.write_text(
        "mne_id,name,aliases,hq_country,industry\nnovo-nordisk,Novo Nordisk,,DK,pharma_biotech\n",
        encoding="utf-8",
    )
    review = tmp_path / "review.csv"
    review.write_text(
        "cluster_id,relations_row,organisation,confirm_mne_id\n"
        "klu-pharma,2,Novo Nordusk,novo-nordisk\n",
        encoding="utf-8",
    )
    assert cli.main(["apply-review", str(review), str(registry)]) == 0
    assert "1 alias added" in capsys.readouterr().out
    assert "novo-nordisk,Novo Nordisk,Novo Nordusk,DK" in registry.read_text(encoding="utf-8")


def test_apply_review_with_a_missing_file_is_a_usage_error(tmp_path):
    from mne_clusters import cli

    assert cli.main(["apply-review", str(tmp_path / "no.csv"), str(tmp_path / "r.csv")]) == 2


def test_validate_warns_on_the_terminal_when_a_ranking_lacks_the_ranks_year(
    monkeypatch, capsys, tmp_path
):
    # The real rankings: investment has 2019 rows, innovation has none.
    monkeypatch.chdir(REPO)
    overlay = tmp_path / "my-config.yaml"
    overlay.write_text('waves:\n  "2019":\n    ranks_year: 2019\n', encoding="utf-8")
    status = cli.main(["validate", "2019", "--config", "config.yaml", "--config", str(overlay)])
    captured = capsys.readouterr()
    assert status == 0
    warnings = [line for line in captured.err.splitlines() if line.startswith("WARNING")]
    assert warnings == [
        "WARNING: waves.2019.ranks_year: 2019 has no rows in innovation_rank "
        "(data/raw/reference/innovation_rank.csv), which has 2014, 2015, 2017: every region's "
        "innovation rank and top-N flag in wave 2019 will be unknown; set ranks_year to a "
        "year it holds, or add that year's rows"
    ]


def test_validate_fails_when_no_ranking_has_the_ranks_year(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(REPO)
    overlay = tmp_path / "my-config.yaml"
    overlay.write_text('waves:\n  "2019":\n    ranks_year: 2009\n', encoding="utf-8")
    status = cli.main(["validate", "2019", "--config", "config.yaml", "--config", str(overlay)])
    captured = capsys.readouterr()
    assert status == 1
    assert "ERROR: waves.2019.ranks_year: 2009 has no rows in any ranking" in captured.err
    assert "FAILED: 1 problem found" in captured.out
