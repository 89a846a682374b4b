"""Long-format exports (panel.py): stacking, Stata and Excel files, and the workflow's panel.

The unit tests use small hand-made frames; the end-to-end test runs the
workflow up to the panel on the two-wave test data and reads the ``.dta`` and
``.xlsx`` files back against the CSVs.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook
from pandas.testing import assert_frame_equal

from mne_clusters.core import outputs
from mne_clusters.waves import panel, stata, workbook

ROOT = Path(__file__).resolve().parents[1]
NA = pd.NA


def test_stacking_puts_wave_and_year_first_and_keeps_a_column_one_wave_lacks() -> None:
    w1 = pd.DataFrame({"cluster_id": ["a", "b"], "n": pd.array([1, NA], dtype="Int64")})
    w2 = pd.DataFrame({"cluster_id": ["a"], "n": pd.array([3], dtype="Int64"), "notes": ["x"]})
    out = panel.stack_frames([("w1", 2019, w1), ("w2", 2021, w2)])
    expected = pd.DataFrame(
        {
            "wave": pd.array(["w1", "w1", "w2"], dtype="string"),
            "wave_year": pd.array([2019, 2019, 2021], dtype="Int64"),
            "cluster_id": ["a", "b", "a"],
            "n": pd.array([1, NA, 3], dtype="Int64"),
            "notes": [None, None, "x"],
        }
    )
    assert_frame_equal(out.astype({"notes": object}), expected.astype({"notes": object}))


def test_a_wave_column_the_table_already_has_is_replaced_not_doubled() -> None:
    table = pd.DataFrame({"wave": ["w1"], "k": ["1"]})
    out = panel.stack_tables([("w1", 2019, table)])
    assert list(out.columns) == ["wave", "wave_year", "k"]


@pytest.mark.parametrize(
    ("values", "dtype", "expected"),
    [
        (["1", "2", None], "Int64", [1, 2, NA]),
        (["1", "2.5", None], "float64", [1.0, 2.5, math.nan]),
        (["True", None, "False"], "boolean", [True, NA, False]),
        # a rank written as a band in one wave and a number in another stays text
        (["3", "4-10"], "string", ["3", "4-10"]),
        (["inf", "0.5"], "float64", [math.inf, 0.5]),
    ],
)
def test_each_stacked_column_gets_one_type_for_all_waves(values, dtype, expected) -> None:
    out = panel.infer_column(pd.Series(values, dtype=object))
    assert str(out.dtype) == dtype
    assert_frame_equal(
        out.to_frame("v").reset_index(drop=True),
        pd.Series(expected, dtype=dtype).to_frame("v"),
    )


def test_text_guarded_in_the_csv_is_read_back_as_written() -> None:
    assert panel.unguard("'=HYPERLINK(1)") == "=HYPERLINK(1)"
    assert panel.unguard("'@home") == "@home"
    assert panel.unguard("'-3") == "'-3"  # the guard never touches a number
    assert panel.unguard("'tis") == "'tis"
    assert panel.unguard(5) == 5


def test_a_table_read_back_unguards_each_cell_and_keeps_an_empty_column_numeric(
    tmp_path,
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "wave,name,note,empty\n2019,'=A,x,\n2019,'=A,'@b,\n2019,'tis,,\n", encoding="utf-8"
    )
    df = panel.read_table_text(path)
    assert df["name"].tolist() == ["=A", "=A", "'tis"]
    assert df["note"].tolist()[:2] == ["x", "@b"] and pd.isna(df["note"].iloc[2])
    assert df["empty"].isna().all() and df["empty"].dtype == "float64"  # as read_csv types it
    frame, _, _, _ = stata.to_stata_frame(df)
    assert frame["note"].tolist() == ["x", "@b", ""]  # Stata: a text gap is ""


def test_stata_names_are_valid_unique_and_at_most_32_characters() -> None:
    names = stata.stata_names(
        ["ok_name", "2019", "share (%)", "a" * 40, "a" * 40 + "b", "Share__", "in"]
    )
    assert names == {
        "ok_name": "ok_name",
        "2019": "_2019",
        "share (%)": "share____",
        "a" * 40: "a" * 32,
        "a" * 40 + "b": "a" * 30 + "_2",
        "Share__": "Share__",
        "in": "_in",
    }


def frame_with_every_type() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "wave": pd.array(["w1", "w2", "w2"], dtype="string"),
            "name": pd.array(["Ново Нордиск", '=HYPERLINK("x")', NA], dtype="string"),
            "note": ["+7 495", "-", "@mention"],
            "n": pd.array([1, NA, 3], dtype="Int64"),
            "flag": [True, False, True],
            "maybe": pd.array([True, NA, False], dtype="boolean"),
            "odds ratio": [0.5, math.inf, math.nan],
            "long": ["я" * 1500, "", "x"],
        }
    )


def test_stata_file_holds_the_values_with_documented_conversions(tmp_path) -> None:
    df = frame_with_every_type()
    renamed, infinite = stata.write_stata(df, tmp_path / "t.dta", label="t")
    assert renamed == {"odds ratio": "odds_ratio", "long": "_long"}
    assert infinite == ["odds_ratio"]
    back = pd.read_stata(tmp_path / "t.dta")
    assert list(back.columns) == [
        "wave",
        "name",
        "note",
        "n",
        "flag",
        "maybe",
        "odds_ratio",
        "_long",
    ]
    assert back["name"].tolist() == ["Ново Нордиск", '=HYPERLINK("x")', ""]  # no missing text
    assert back["note"].tolist() == ["+7 495", "-", "@mention"]
    assert back["n"].tolist()[0] == 1 and math.isnan(back["n"].tolist()[1])
    assert back["flag"].tolist() == [1, 0, 1]
    assert back["maybe"].tolist()[::2] == [1.0, 0.0] and math.isnan(back["maybe"][1])
    assert back["odds_ratio"].tolist()[0] == 0.5
    assert back["odds_ratio"].isna().tolist() == [False, True, True]
    assert back["_long"][0] == "я" * 1500  # 3000 bytes: stored as strL


def test_stata_and_excel_files_are_byte_identical_on_rewrite(tmp_path) -> None:
    df = frame_with_every_type()
    digests = []
    for sub in ("one", "two"):
        stata.write_stata(df, tmp_path / sub / "t.dta", label="t")
        workbook.write_xlsx({"t": df}, tmp_path / sub / "t.xlsx")
        digests.append(
            [
                hashlib.sha256((tmp_path / sub / f).read_bytes()).hexdigest()
                for f in ("t.dta", "t.xlsx")
            ]
        )
    assert digests[0] == digests[1]


def test_workbook_stores_formula_like_text_as_text_cells(tmp_path) -> None:
    workbook.write_xlsx({"t": frame_with_every_type()}, tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx")["t"]
    rows = list(ws.iter_rows(min_row=2))
    formula_cell = rows[1][1]
    assert formula_cell.value == '=HYPERLINK("x")'
    assert formula_cell.data_type == "s"
    for cell, text in zip(
        (rows[0][2], rows[1][2], rows[2][2]), ("+7 495", "-", "@mention"), strict=True
    ):
        assert (cell.value, cell.data_type) == (text, "s")
    assert (rows[0][3].value, rows[0][3].data_type) == (1, "n")
    assert rows[1][3].value is None  # a gap is an empty cell
    assert (rows[0][4].value, rows[0][4].data_type) == (True, "b")
    assert rows[1][6].value == "inf"


def tricky_frame() -> pd.DataFrame:
    """Every kind of value the fast row writer handles, with the edge cases of openpyxl's XML."""
    return pd.DataFrame(
        {
            "text": pd.array(
                ["x", " padded ", "", None, "a&b<c>\"'\n\r\t", "\t", "=1+2", "é ü 中"],
                dtype="string",
            ),
            "whole": pd.array([1, None, 3, 4, 10**17, -5, 0, 2019], dtype="Int64"),
            "decimal": [0.1, float("nan"), math.inf, 1e-20, 2.0, -math.inf, 1 / 3, -0.0],
            "flag": pd.array([True, None, False, True, False, None, True, False], dtype="boolean"),
            "gap": [None] * 8,
            # an object column mixing types (True and 1 must stay a boolean and a number)
            "mixed": ["x" * 40000, 1, 2.5, True, None, 3, "@x", False],
        }
    )


def test_fast_rows_are_the_bytes_openpyxl_writes_cell_by_cell(tmp_path, monkeypatch) -> None:
    sheets = {
        "t": tricky_frame(),
        "empty": tricky_frame().iloc[:0],
        "other": frame_with_every_type(),
    }
    workbook.write_xlsx(sheets, tmp_path / "fast.xlsx")
    # The same workbook with every sheet written by openpyxl, cell by cell.
    monkeypatch.setattr(workbook, "_rows_xml", lambda df: None)
    workbook.write_xlsx(sheets, tmp_path / "openpyxl.xlsx")
    assert (tmp_path / "fast.xlsx").read_bytes() == (tmp_path / "openpyxl.xlsx").read_bytes()
    ws = load_workbook(tmp_path / "fast.xlsx")["t"]
    assert ws.max_row == 9
    assert [c.value for c in ws[3]][:4] == [" padded ", None, None, None]
    assert len(ws["F2"].value) == workbook.CELL_TEXT_MAX  # longer text is cut, as openpyxl cuts it
    assert (ws["F5"].value, ws["F5"].data_type) == (True, "b")
    assert (ws["F3"].value, ws["F3"].data_type) == (1, "n")


def test_a_value_of_another_type_falls_back_to_openpyxl(tmp_path) -> None:
    df = pd.DataFrame({"when": [pd.Timestamp("2019-06-20"), None]})
    assert workbook._rows_xml(df) is None
    workbook.write_xlsx({"t": df}, tmp_path / "t.xlsx")
    assert load_workbook(tmp_path / "t.xlsx")["t"]["A2"].value.year == 2019


def test_a_table_above_the_row_limit_is_named_on_a_note_sheet_not_dropped(tmp_path) -> None:
    clusters = pd.DataFrame({"cluster_id": ["c1", "c2"], "n_members": [3, 4]})
    relations = pd.DataFrame({"cluster_id": ["c1", "c1", "c2"], "organisation": ["A", "B", "=C"]})
    clusters.to_parquet(tmp_path / "clusters.parquet")
    relations.to_parquet(tmp_path / "relations.parquet")
    small = tmp_path / "small.csv"
    small.write_text("wave,level,n\n2019,x,1\n", encoding="utf-8")
    out = tmp_path / "panel"
    panel.run_panel(
        waves=["2019"],
        years=[2019],
        clusters=[str(tmp_path / "clusters.parquet")],
        relations=[str(tmp_path / "relations.parquet")],
        tables={"small": [str(small)]},
        out_dir=str(out),
        config={"panel": {"xlsx_max_rows": 2}},
    )
    wb = load_workbook(out / "panel.xlsx")
    # clusters (2 rows) and the small table fit; relations (3 rows) does not.
    assert wb.sheetnames == ["not_in_workbook", "clusters_panel", "small"]
    note = [[c.value for c in row] for row in wb["not_in_workbook"].iter_rows()]
    assert note[0] == ["table", "rows", "xlsx_max_rows", "why", "every_row_in"]
    assert note[1][:3] == ["relations_panel", 3, 2]
    assert note[1][4] == "relations_panel.csv, relations_panel.parquet, relations_panel.dta"
    assert len(note) == 2
    # Every row is still in the other formats.
    assert pd.read_parquet(out / "relations_panel.parquet")["organisation"].tolist() == [
        "A",
        "B",
        "=C",
    ]
    assert len(pd.read_csv(out / "relations_panel.csv")) == 3
    meta = json.loads((out / "relations_panel.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["formats"] == ["csv", "parquet", "dta"]
    assert meta["not_in_xlsx"].startswith("3 rows, more than panel.xlsx_max_rows (2)")
    book = json.loads((out / "panel.xlsx.meta.json").read_text(encoding="utf-8"))
    assert book["not_in_xlsx"] == {"relations_panel": 3}
    assert "relations_panel" not in book["sheets"]


def test_the_row_limit_defaults_to_100000_and_never_exceeds_excels() -> None:
    assert workbook.xlsx_max_rows({}) == workbook.XLSX_MAX_ROWS == 100_000
    assert workbook.xlsx_max_rows({"panel": {"xlsx_max_rows": 5}}) == 5
    # Excel's own limit caps any setting: 1,048,576 rows, the header included.
    assert workbook.xlsx_max_rows({"panel": {"xlsx_max_rows": 2_000_000}}) == 1_048_575


def test_sheet_names_are_cut_to_31_characters_and_unique() -> None:
    names = workbook.sheet_names(["short", "x" * 40, "x" * 35, "a/b"])
    assert names == {"short": "short", "x" * 40: "x" * 31, "x" * 35: "x" * 29 + "~2", "a/b": "a_b"}


# --------------------------------------------------------------------------- end to end


def canon(value, *, infinite_is_gap: bool = False):
    """A cell as comparable text: gaps None, flags 1/0, numbers to 6 significant digits."""
    if value is None or value is pd.NA or value == "":
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is True or value == "True":
        return "1"
    if value is False or value == "False":
        return "0"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isinf(number):
        return None if infinite_is_gap else ("inf" if number > 0 else "-inf")
    return f"{number:.6g}"


def canon_frame(df: pd.DataFrame, infinite: tuple[str, ...] = ()) -> list[list]:
    return [
        [canon(v, infinite_is_gap=c in infinite) for c, v in zip(df.columns, row, strict=True)]
        for row in df.itertuples(index=False, name=None)
    ]


@pytest.fixture(scope="session")
def panel_run(run_a) -> Path:
    """The session's shared run of both waves of tests/data (read only): the
    whole workflow, the panel included, run once for every end-to-end test."""
    return run_a


PANEL_TABLES = [
    "clusters_panel",
    "relations_panel",
    "mne_by_status",
    "association_tests",
    "replication",
]


@pytest.mark.e2e
def test_panel_stacks_both_waves_with_wave_and_year(panel_run) -> None:
    out = panel_run / "data/processed/panel"
    clusters = pd.read_parquet(out / "clusters_panel.parquet")
    assert list(clusters.columns[:3]) == ["wave", "wave_year", "cluster_id"]
    assert clusters.groupby("wave").size().to_dict() == {"w2019": 10, "w2021": 10}
    assert clusters.groupby("wave")["wave_year"].first().to_dict() == {"w2019": 2019, "w2021": 2021}
    w2021 = pd.read_parquet(panel_run / "data/processed/w2021/clusters.parquet")
    assert_frame_equal(
        clusters.loc[clusters["wave"] == "w2021"]
        .drop(columns=["wave", "wave_year"])
        .reset_index(drop=True),
        w2021,
    )
    relations = pd.read_parquet(out / "relations_panel.parquet")
    assert relations.groupby("wave").size().to_dict() == {"w2019": 13, "w2021": 14}
    status = pd.read_csv(out / "mne_by_status.csv")
    per_wave = pd.read_csv(panel_run / "data/processed/w2019/tables/mne_by_status.csv")
    assert list(per_wave.columns[:1]) == ["wave"]  # every per-wave table leads with its wave
    assert_frame_equal(
        status.loc[status["wave"] == "w2019"].drop(columns="wave_year").reset_index(drop=True),
        per_wave,
    )
    meta = json.loads((out / "mne_by_status.csv.meta.json").read_text("utf-8"))
    assert meta["waves"] == ["w2019", "w2021"]
    assert meta["wave_years"] == {"w2019": 2019, "w2021": 2021}


@pytest.mark.e2e
@pytest.mark.parametrize("name", PANEL_TABLES)
def test_stata_and_excel_files_equal_the_csv(panel_run, name) -> None:
    out = panel_run / "data/processed/panel"
    csv = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False, na_values=[""])
    csv = csv.astype(object).map(panel.unguard, na_action="ignore")
    meta = json.loads((out / f"{name}.csv.meta.json").read_text("utf-8"))

    sheets = json.loads((out / "panel.xlsx.meta.json").read_text("utf-8"))["sheets"]
    xlsx = pd.read_excel(out / "panel.xlsx", sheet_name=sheets[name], dtype=object)
    assert list(xlsx.columns) == list(csv.columns)
    assert canon_frame(xlsx) == canon_frame(csv)

    dta = pd.read_stata(out / f"{name}.dta", convert_categoricals=False)
    renamed = meta["stata_renamed"]
    assert list(dta.columns) == [renamed.get(c, c) for c in csv.columns]
    infinite = tuple(meta["stata_infinite_as_missing"])
    assert canon_frame(dta, infinite) == canon_frame(
        csv.set_axis(list(dta.columns), axis=1), infinite
    )


@pytest.mark.e2e
def test_every_panel_table_is_a_sheet_of_the_workbook(panel_run) -> None:
    out = panel_run / "data/processed/panel"
    workbook = load_workbook(out / "panel.xlsx", read_only=True)
    csvs = sorted(p.name.removesuffix(".csv") for p in out.glob("*.csv"))
    sheets = json.loads((out / "panel.xlsx.meta.json").read_text("utf-8"))["sheets"]
    assert sorted(sheets) == csvs
    assert sorted(workbook.sheetnames) == sorted(sheets.values())
    for name in csvs:
        for ext in ("parquet", "dta", "csv.meta.json"):
            assert (out / f"{name}.{ext}").is_file(), f"{name}.{ext}"


def test_write_csv_adds_the_wave_column_panel_relies_on(tmp_path) -> None:
    outputs.write_csv(pd.DataFrame({"k": ["x"]}), tmp_path / "t.csv", provenance={"wave": "w1"})
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == "wave,k\nw1,x\n"
    assert yaml.safe_load((tmp_path / "t.csv.meta.json").read_text("utf-8"))["wave"] == "w1"
