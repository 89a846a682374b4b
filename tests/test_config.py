"""config.yaml validation: one line naming the key; defaults; wave years."""

from pathlib import Path

import pytest
import yaml

from mne_clusters.core import config as cfgmod
from mne_clusters.core.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def repo_config() -> dict:
    return yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))


def test_repository_config_is_valid_and_files_exist(monkeypatch):
    monkeypatch.chdir(ROOT)
    cfg = cfgmod.load_config("config.yaml")
    assert cfgmod.wave_ids(cfg) == ["2019"]
    assert cfgmod.wave_year(cfg, "2019") == 2019


def test_wrong_type_is_one_line_naming_the_key():
    cfg = repo_config()
    cfg["waves"]["2019"]["ranks_year"] = "abc"
    with pytest.raises(ConfigError) as err:
        cfgmod.validate_config(cfg, check_files=False)
    message = str(err.value)
    assert "\n" not in message
    assert message == "config.yaml: waves.2019.ranks_year: 'abc' is not of type 'integer'"


def test_unknown_key_is_named_with_the_allowed_keys():
    cfg = repo_config()
    cfg["matching"]["fuzzy_treshold"] = 90
    with pytest.raises(
        ConfigError,
        match=r"matching: unknown key 'fuzzy_treshold'; allowed keys: fuzzy_threshold, home_country, review_min_score",
    ):
        cfgmod.validate_config(cfg, check_files=False)


def test_wave_id_that_is_not_a_safe_folder_name_is_a_config_error():
    cfg = repo_config()
    cfg["waves"]["../2021"] = cfg["waves"]["2019"]
    with pytest.raises(ConfigError, match="not a safe folder name"):
        cfgmod.validate_config(cfg, check_files=False)


@pytest.mark.parametrize("wave_id", ["reference", "comparison"])
def test_reserved_wave_ids_are_refused(wave_id):
    with pytest.raises(ConfigError, match="reserved"):
        cfgmod.check_wave_id(wave_id)


def test_wave_year_defaults_to_an_id_that_is_a_year():
    cfg = repo_config()
    del cfg["waves"]["2019"]["year"]
    assert cfgmod.validate_config(cfg, check_files=False)["waves"]["2019"]["year"] == 2019


def test_wave_year_is_required_when_the_id_is_not_a_year():
    cfg = repo_config()
    wave = cfg["waves"].pop("2019")
    del wave["year"]
    cfg["waves"]["spring"] = wave
    cfg["replication_wave"] = "spring"
    with pytest.raises(ConfigError, match=r"waves\.spring\.year: missing"):
        cfgmod.validate_config(cfg, check_files=False)


def test_missing_file_names_the_key(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    cfg = repo_config()
    cfg["waves"]["2019"]["relations"] = "data/raw/waves/2019/relatons.csv"
    with pytest.raises(
        ConfigError,
        match=r"waves\.2019\.relations: file 'data/raw/waves/2019/relatons.csv' not found",
    ):
        cfgmod.validate_config(cfg)


def test_defaults_fill_omitted_sections():
    cfg = repo_config()
    for section in ("matching", "classify", "figures", "stats", "ingest"):
        cfg.pop(section)
    out = cfgmod.validate_config(cfg, check_files=False)
    assert out["classify"]["top_n"] == 15
    assert out["matching"]["home_country"] == "RU"
    assert out["figures"]["formats"] == ["png", "svg"]
    # a default the old loader did not fill in: now every default is applied at load
    assert out["stats"]["min_known"] == 5
    assert out["stats"]["timeline_max_clusters"] == 150
    assert out["classify"]["after_survey"] == "keep"


def test_every_optional_key_has_its_default_in_the_schema_alone():
    """The schema is the one place of defaults: the loader, the settings objects
    and the functions' keyword defaults all read it."""
    from mne_clusters.analysis import association, exact, exhibits
    from mne_clusters.classify.settings import ClassifyConfig
    from mne_clusters.names.chunking import DEFAULT_CHUNK_ROWS
    from mne_clusters.names.matching import MatchingConfig

    d = cfgmod.schema_defaults()
    assert d["matching"] == {
        "fuzzy_threshold": 92,
        "token_threshold": 80,
        "review_min_score": 75,
        "home_country": "RU",
    }
    assert d["stats"] == {
        "alpha": 0.05,
        "seed": 20190620,
        "monte_carlo_resamples": 100000,
        "min_known": 5,
        "timeline_max_clusters": 150,
    }
    assert MatchingConfig() == MatchingConfig.from_config({"matching": d["matching"]})
    assert ClassifyConfig() == ClassifyConfig.from_config({"classify": d["classify"]})
    assert d["stats"]["min_known"] == association.DEFAULT_MIN_KNOWN
    assert (exact.DEFAULT_SEED, exact.DEFAULT_RESAMPLES) == (20190620, 100000)
    assert d["tables"]["key_mnes_per_industry"] == exhibits.DEFAULT_KEY_MNES_PER_INDUSTRY
    assert DEFAULT_CHUNK_ROWS == d["scale"]["chunk_rows"] == 250000
    # a copy each time: a caller that changes it changes nothing else
    d["stats"]["alpha"] = 0.5
    assert cfgmod.default("stats.alpha") == 0.05
    with pytest.raises(KeyError, match="no default for 'stats.nothing'"):
        cfgmod.default("stats.nothing")


def test_the_schema_knows_the_statuses_of_the_vocabulary():
    from mne_clusters.core import vocabulary as vocab

    spec = cfgmod._schema()["properties"]["classify"]["properties"]["status_precedence"]
    assert tuple(spec["items"]["enum"]) == vocab.STATUSES
    assert tuple(spec["default"]) == vocab.STATUSES


def test_wave_override_of_a_reference_table_is_used_for_that_wave_only():
    cfg = repo_config()
    cfg["waves"]["2021"] = dict(
        cfg["waves"]["2019"],
        year=2021,
        reference={"mne_registry": "data/raw/reference/registry_2021.csv"},
    )
    out = cfgmod.validate_config(cfg, check_files=False)
    assert (
        cfgmod.reference_spec(out, "mne_registry", "2021") == "data/raw/reference/registry_2021.csv"
    )
    assert (
        cfgmod.reference_spec(out, "mne_registry", "2019") == "data/raw/reference/mne_registry.csv"
    )


def test_xlsx_sheet_entry_is_accepted():
    cfg = repo_config()
    cfg["waves"]["2019"]["clusters"] = {"path": "x.xlsx", "sheet": "Clusters"}
    out = cfgmod.validate_config(cfg, check_files=False)
    spec = out["waves"]["2019"]["clusters"]
    assert (cfgmod.file_path(spec), cfgmod.file_sheet(spec)) == ("x.xlsx", "Clusters")


def test_invalid_yaml_names_the_line(tmp_path):
    bad = tmp_path / "config.yaml"
    bad.write_text("waves:\n  2019: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config.yaml: line \d+: not valid YAML"):
        cfgmod.load_config(bad)


def test_unquoted_year_wave_id_is_read_as_text():
    cfg = repo_config()
    cfg["waves"] = {2019: cfg["waves"]["2019"]}
    assert list(cfgmod.validate_config(cfg, check_files=False)["waves"]) == ["2019"]


def test_number_as_industry_map_key_is_text_and_maps_a_cell(tmp_path):
    import pandas as pd

    from mne_clusters.ingest.check import check_table

    cfg = repo_config()
    cfg["ingest"]["industry_map"] = {21: "pharma_biotech"}  # YAML: `21: pharma_biotech`
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    assert "\n    21: pharma_biotech" in (tmp_path / "config.yaml").read_text(encoding="utf-8")
    industry_map = cfgmod.load_config(tmp_path / "config.yaml", check_files=False)["ingest"][
        "industry_map"
    ]
    assert industry_map == {"21": "pharma_biotech"}
    row = {
        "cluster_id": "c1",
        "organisation": "o",
        "relation": "member",
        "mne_id": "",
        "hq_country": "",
        "industry": "21",
        "entry_year": "",
        "source": "",
    }
    raw = pd.DataFrame([row], dtype="string")
    raw["source_row"] = pd.array([2], dtype="Int64")
    typed, _, problems = check_table("relations", raw, file="r.csv", industry_map=industry_map)
    assert problems == []
    assert typed.loc[0, "industry"] == "pharma_biotech"


@pytest.mark.parametrize(
    ("zoom", "message"),
    [
        ([30, 44, 56], r"maps\.zoom: \[30, 44, 56\] is too short"),
        ("Europe", r"maps\.zoom: 'Europe' is not of type 'array', 'null'"),
        ([30, 44, 56, "61"], r"maps\.zoom\.3: '61' is not of type 'number'"),
    ],
)
def test_map_zoom_must_be_four_degrees_or_null(zoom, message):
    cfg = repo_config()
    cfg["maps"]["zoom"] = zoom
    with pytest.raises(ConfigError, match=message):
        cfgmod.validate_config(cfg, check_files=False)


def test_map_zoom_null_switches_the_panel_off_and_omitting_it_keeps_the_default():
    cfg = repo_config()
    cfg["maps"]["zoom"] = None
    assert cfgmod.validate_config(cfg, check_files=False)["maps"]["zoom"] is None
    cfg["maps"].pop("zoom")
    default = cfgmod.validate_config(cfg, check_files=False)["maps"]["zoom"]
    assert default == [30.0, 44.0, 56.0, 61.0]


def two_wave_config(order: list[str], years: dict[str, int]) -> dict:
    cfg = repo_config()
    base = cfg["waves"]["2019"]
    cfg["waves"] = {w: dict(base, year=years[w]) for w in order}
    cfg["replication_wave"] = order[0]
    return cfg


@pytest.mark.parametrize("order", [["spring", "autumn"], ["autumn", "spring"]])
def test_waves_are_ordered_by_survey_year_whatever_the_key_order(order):
    # 'autumn' sorts before 'spring' by name, but its survey is the later one.
    cfg = two_wave_config(order, {"spring": 2019, "autumn": 2021})
    out = cfgmod.validate_config(cfg, check_files=False)
    assert list(out["waves"]) == ["spring", "autumn"]
    assert cfgmod.wave_ids(out) == ["spring", "autumn"]


def test_waves_whose_id_is_a_year_are_ordered_by_it():
    cfg = repo_config()
    cfg["waves"] = {"2023": dict(cfg["waves"]["2019"]), "2019": cfg["waves"]["2019"]}
    del cfg["waves"]["2023"]["year"]
    out = cfgmod.validate_config(cfg, check_files=False)
    assert cfgmod.wave_ids(out) == ["2019", "2023"]


def test_two_waves_of_one_survey_year_are_an_error_naming_both():
    cfg = two_wave_config(["w-b", "w-a"], {"w-a": 2021, "w-b": 2021})
    with pytest.raises(ConfigError) as err:
        cfgmod.validate_config(cfg, check_files=False)
    message = str(err.value)
    assert "waves.w-a and waves.w-b" in message
    assert "2021" in message


def write_yaml(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_overlay_merges_over_the_config_and_a_later_wave_in_it_comes_last(tmp_path):
    cfg = repo_config()
    main = write_yaml(tmp_path / "config.yaml", cfg)
    # The overlay lists the later wave; an earlier one is added in the same file.
    overlay = write_yaml(
        tmp_path / "my-config.yaml",
        {
            "waves": {
                "2021": dict(cfg["waves"]["2019"], year=2021),
                "2017": dict(cfg["waves"]["2019"], year=2017),
            }
        },
    )
    out = cfgmod.load_config(main, overlay, check_files=False)
    assert cfgmod.wave_ids(out) == ["2017", "2019", "2021"]
    # Sections the overlay does not name keep the main config's values.
    assert out["classify"]["top_n"] == cfg["classify"]["top_n"]


def test_error_in_an_overlay_names_the_overlay_and_one_in_the_main_file_names_it(tmp_path):
    cfg = repo_config()
    main = write_yaml(tmp_path / "config.yaml", cfg)
    overlay = write_yaml(
        tmp_path / "my-config.yaml",
        {"waves": {"2021": dict(cfg["waves"]["2019"], year=2021, ranks_year="2019")}},
    )
    with pytest.raises(ConfigError) as err:
        cfgmod.load_config(main, overlay, check_files=False)
    assert str(err.value).startswith(f"{overlay}: waves.2021.ranks_year:")

    cfg["matching"]["fuzzy_threshold"] = "high"
    write_yaml(main, cfg)
    write_yaml(overlay, {"waves": {"2021": dict(cfg["waves"]["2019"], year=2021)}})
    with pytest.raises(ConfigError) as err:
        cfgmod.load_config(main, overlay, check_files=False)
    assert str(err.value).startswith(f"{main}: matching.fuzzy_threshold:")


def test_missing_file_named_in_an_overlay_names_the_overlay(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    cfg = repo_config()
    main = write_yaml(tmp_path / "config.yaml", cfg)
    wave = dict(cfg["waves"]["2019"], year=2021, clusters="data/raw/waves/2021/clusters.csv")
    overlay = write_yaml(tmp_path / "my-config.yaml", {"waves": {"2021": wave}})
    with pytest.raises(ConfigError) as err:
        cfgmod.load_config(main, overlay)
    assert str(err.value) == (
        f"{overlay}: waves.2021.clusters: file 'data/raw/waves/2021/clusters.csv' not found"
    )


def ranks_config(ranks_year: int) -> dict:
    cfg = repo_config()
    cfg["waves"]["2019"]["ranks_year"] = ranks_year
    return cfgmod.validate_config(cfg, check_files=False)


def test_ranks_year_that_a_ranking_lacks_is_a_warning_naming_it_and_its_years():
    cfg = ranks_config(2019)
    years = {"innovation_rank": [2014, 2015, None, 2017, 2015], "investment_rank": [2018, 2019]}
    assert cfgmod.check_ranks_year(cfg, "2019", years) == [
        "waves.2019.ranks_year: 2019 has no rows in innovation_rank "
        "(data/raw/reference/innovation_rank.csv), which has 2014, 2015, 2017: every region's "
        "innovation rank and top-N flag in wave 2019 will be unknown; set ranks_year to a "
        "year it holds, or add that year's rows"
    ]


def test_ranks_year_held_by_every_ranking_is_quiet():
    cfg = ranks_config(2015)
    assert (
        cfgmod.check_ranks_year(
            cfg, "2019", {"innovation_rank": [2015], "investment_rank": [2015, 2016]}
        )
        == []
    )


def test_ranks_year_in_no_ranking_is_an_error_listing_the_years_of_each():
    cfg = ranks_config(2091)
    with pytest.raises(ConfigError) as err:
        cfgmod.check_ranks_year(cfg, "2019", {"innovation_rank": [2015], "investment_rank": []})
    assert str(err.value) == (
        "waves.2019.ranks_year: 2091 has no rows in any ranking (innovation_rank "
        "(data/raw/reference/innovation_rank.csv) has 2015; investment_rank "
        "(data/raw/reference/investment_rank.csv) has no years); set ranks_year to a data "
        "year the rankings hold"
    )
