"""readers.read_table: encodings, delimiters, Excel quirks, unsafe and broken files."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from mne_clusters.core.errors import DataError
from mne_clusters.ingest.readers import MAX_CELL_CHARS, read_table

ROWS = [
    ["cluster_id", "name_ru", "n_members"],
    ["klu-pharma", "Калужский фармацевтический кластер", "25"],
    ["ta-innokam", "ИННОКАМ «Камский»", ""],
]


def _csv_text(rows: list[list[str]], delimiter: str) -> str:
    return "".join(delimiter.join(r) + "\r\n" for r in rows)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _expected() -> pd.DataFrame:
    frame = pd.DataFrame(
        {c: pd.array([r[i] for r in ROWS[1:]], dtype="string") for i, c in enumerate(ROWS[0])}
    )
    frame["source_row"] = pd.array([2, 3], dtype="Int64")
    return frame


def _problems(exc: pytest.ExceptionInfo[DataError]) -> list[str]:
    return [p.format() for p in exc.value.problems]


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize(
    ("encoding", "prefix"), [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1251", b"")]
)
def test_each_encoding_and_delimiter_reads_like_utf8_comma(tmp_path, delimiter, encoding, prefix):
    data = prefix + _csv_text(ROWS, delimiter).encode(encoding)
    frame = read_table(_write(tmp_path, "t.csv", data))
    assert_frame_equal(frame, _expected())


def test_encoding_is_recorded_in_attrs(tmp_path):
    data = _csv_text(ROWS, ";").encode("cp1251")
    assert read_table(_write(tmp_path, "t.csv", data)).attrs["encoding"] == "cp1251"


def test_cells_and_column_names_are_trimmed(tmp_path):
    data = " a ,b\n  x\u00a0, y \n".encode()
    frame = read_table(_write(tmp_path, "t.csv", data))
    assert list(frame.columns) == ["a", "b", "source_row"]
    assert frame.loc[0, "a"] == "x" and frame.loc[0, "b"] == "y"


def test_single_column_file_needs_no_delimiter(tmp_path):
    frame = read_table(_write(tmp_path, "t.csv", b"cluster_id\nx\ny\n"))
    assert frame["cluster_id"].tolist() == ["x", "y"]


def test_comma_inside_quotes_does_not_decide_the_delimiter(tmp_path):
    data = b'a;"b, c"\n1;2\n'
    frame = read_table(_write(tmp_path, "t.csv", data))
    assert list(frame.columns) == ["a", "b, c", "source_row"]


def test_header_with_as_many_commas_as_semicolons_is_refused(tmp_path):
    with pytest.raises(DataError) as exc:
        read_table(_write(tmp_path, "t.csv", b"a,b;c\n1,2;3\n"))
    assert exc.value.problems[0].rule == "delimiter"


def test_multiline_cell_counts_as_one_spreadsheet_row(tmp_path):
    data = b'a,b\n"line 1\nline 2",x\ny,z\n'
    frame = read_table(_write(tmp_path, "t.csv", data))
    assert frame["source_row"].tolist() == [2, 3]
    assert frame.loc[0, "a"] == "line 1\nline 2"


def test_trailing_empty_rows_and_unnamed_columns_are_dropped_and_counted(tmp_path):
    data = b"a,b,,\n1,2,,\n3,4,,\n,,,\n\n"
    frame = read_table(_write(tmp_path, "t.csv", data))
    assert list(frame.columns) == ["a", "b", "source_row"]
    assert len(frame) == 2
    assert frame.attrs["trailing_empty_rows"] == 2
    assert frame.attrs["trailing_empty_columns"] == 2


def test_blank_row_in_the_middle_is_kept_with_its_row_number(tmp_path):
    frame = read_table(_write(tmp_path, "t.csv", b"a,b\n1,2\n,\n3,4\n"))
    assert frame["source_row"].tolist() == [2, 3, 4]
    assert frame.loc[1, "a"] == ""


def test_short_rows_are_padded_with_empty_cells(tmp_path):
    frame = read_table(_write(tmp_path, "t.csv", b"a,b,c\n1\n"))
    assert frame.loc[0, ["a", "b", "c"]].tolist() == ["1", "", ""]


def test_csv_row_with_more_cells_than_the_header_is_reported_at_that_row(tmp_path):
    # Row 3 has an unquoted comma in its name; row 4 only trailing empty cells (fine).
    data = "id,name,region\na,Alpha,RU-KLU\nb,Beta, Gamma,RU-TA\nc,Gamma,RU-YAR,,\n"
    with pytest.raises(DataError) as exc:
        read_table(_write(tmp_path, "t.csv", data.encode()), display_name="t.csv")
    assert _problems(exc) == [
        "t.csv, row 3: value 'b,Beta, Gamma,RU-TA' — expected at most 3 cells, as the header "
        "has 3 columns; this row has 4 cells (a ',' inside a value moves every later cell one "
        "column to the right). Fix: put the value that contains ',' in double quotes "
        '("..."), or remove the extra delimiter; if the column is really needed, give it a '
        "name in row 1"
    ]


def test_semicolon_csv_row_with_an_extra_cell_names_the_semicolon(tmp_path):
    data = b"id;name\na;x;y;z\n"
    with pytest.raises(DataError) as exc:
        read_table(_write(tmp_path, "t.csv", data), display_name="t.csv")
    (problem,) = exc.value.problems
    assert (problem.row, problem.rule) == (2, "row-width")
    assert "this row has 4 cells" in problem.expected and "';'" in problem.expected


def test_duplicate_column_names_are_an_error(tmp_path):
    with pytest.raises(DataError) as exc:
        read_table(_write(tmp_path, "t.csv", b"a,b,a\n1,2,3\n"), display_name="t.csv")
    assert _problems(exc) == [
        "t.csv, row 1, column 'a': value 'a' — expected unique column names; 'a' is also "
        "column A. Fix: rename or delete one of the two columns"
    ]


def test_empty_file_is_an_error(tmp_path):
    with pytest.raises(DataError) as exc:
        read_table(_write(tmp_path, "t.csv", b""), display_name="t.csv")
    assert exc.value.problems[0].rule == "empty"


def test_bom_only_file_is_empty(tmp_path):
    with pytest.raises(DataError) as exc:
        read_table(_write(tmp_path, "t.csv", b"\xef\xbb\xbf\r\n"))
    assert exc.value.problems[0].rule == "empty"


def test_empty_first_row_is_a_missing_header(tmp_path):
    with pytest.raises(DataError) as exc:
        read_table(_write(tmp_path, "t.csv", b",,\na,b,c\n"))
    assert exc.value.problems[0].rule == "header"
    assert exc.value.problems[0].row == 1


def test_file_above_size_limit_is_refused(tmp_path):
    path = _write(tmp_path, "t.csv", b"a\n" + b"x\n" * 600)
    with pytest.raises(DataError) as exc:
        read_table(path, max_file_mb=0.001, display_name="t.csv")
    assert _problems(exc) == [
        "t.csv: expected a file of at most 0.001 MB; this one is 0.0 MB. Fix: split the "
        "file, or raise ingest.max_file_mb in config.yaml if the size is expected"
    ]


def test_byte_invalid_in_utf8_and_cp1251_names_line_and_offset(tmp_path):
    path = _write(tmp_path, "t.csv", b"a,b\nok,x\xc0\x98\n")
    with pytest.raises(DataError) as exc:
        read_table(path, display_name="t.csv")
    assert _problems(exc) == [
        "t.csv: value '\\x98\\x0a' — expected text in UTF-8 or Windows-1251; the byte at "
        "line 2 (byte offset 9) is valid in neither. Fix: save the file as 'CSV UTF-8' "
        "(or Windows-1251 CSV) from your spreadsheet"
    ]


def test_file_mixing_utf8_and_cp1251_lines_is_refused(tmp_path):
    data = "a\nКалуга\n".encode() + "Казань\n".encode("cp1251")
    with pytest.raises(DataError) as exc:
        read_table(_write(tmp_path, "t.csv", data))
    assert "line 2 is UTF-8 but line 3" in exc.value.problems[0].expected


def test_utf16_file_is_refused(tmp_path):
    data = "a,b\n1,2\n".encode("utf-16")
    with pytest.raises(DataError) as exc:
        read_table(_write(tmp_path, "t.csv", data))
    assert "UTF-16" in exc.value.problems[0].expected


def test_cell_longer_than_excel_allows_is_an_error(tmp_path):
    data = b"a,b\n1," + b"x" * (MAX_CELL_CHARS + 1) + b"\n"
    with pytest.raises(DataError) as exc:
        read_table(_write(tmp_path, "t.csv", data))
    problem = exc.value.problems[0]
    assert (problem.row, problem.column, problem.rule) == (2, "b", "cell-size")


def test_unclosed_quote_is_an_error_not_a_crash(tmp_path):
    with pytest.raises(DataError) as exc:
        read_table(_write(tmp_path, "t.csv", b'a,b\n"1,2\n'))
    assert exc.value.problems[0].rule == "csv"


def test_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError):
        read_table(tmp_path / "nope.csv")


def test_source_row_column_in_input_is_refused(tmp_path):
    with pytest.raises(DataError):
        read_table(_write(tmp_path, "t.csv", b"a,source_row\n1,2\n"))


# --------------------------------------------------------------------------- xlsx


def _workbook(tmp_path: Path, rows: list[list[object]], name: str = "t.xlsx") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def _patch_sheet(path: Path, old: bytes, new: bytes) -> None:
    """Rewrite bytes inside the first sheet's XML (to craft cached formula values)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert old in data
                data = data.replace(old, new)
            dst.writestr(info, data)
    path.write_bytes(buffer.getvalue())


def test_xlsx_numbers_come_back_as_plain_text(tmp_path):
    path = _workbook(tmp_path, [["year", "share", "flag", "name"], [2010, 12.5, True, " Калуга "]])
    frame = read_table(path)
    assert frame.loc[0, ["year", "share", "flag", "name"]].tolist() == [
        "2010",
        "12.5",
        "true",
        "Калуга",
    ]


def test_xlsx_integral_float_has_no_decimal_part(tmp_path):
    path = _workbook(tmp_path, [["n"], [2010.0]])
    assert read_table(path).loc[0, "n"] == "2010"


def test_xlsx_reads_like_the_csv(tmp_path):
    frame = read_table(_workbook(tmp_path, ROWS))
    assert_frame_equal(frame, _expected())


def test_xlsx_named_sheet_is_read(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["wrong"])
    other = wb.create_sheet("Wave")
    other.append(["a"])
    other.append(["x"])
    wb.save(tmp_path / "t.xlsx")
    assert read_table(tmp_path / "t.xlsx", sheet="Wave")["a"].tolist() == ["x"]


def test_xlsx_unknown_sheet_is_an_error(tmp_path):
    with pytest.raises(DataError) as exc:
        read_table(_workbook(tmp_path, ROWS), sheet="Nope")
    assert exc.value.problems[0].rule == "sheet"


def test_xlsx_formula_with_cached_value_uses_value_and_warns(tmp_path, caplog):
    path = _workbook(tmp_path, [["a", "b"], [1, "=A2+1"]])
    _patch_sheet(path, b"<f>A2+1</f><v />", b"<f>A2+1</f><v>2</v>")
    with caplog.at_level(logging.WARNING, logger="mne_clusters.ingest"):
        frame = read_table(path, display_name="t.xlsx")
    assert frame.loc[0, "b"] == "2"
    assert "t.xlsx: cell B2 holds the formula '=A2+1'; using its saved value '2'" in caplog.text


def test_xlsx_formula_without_cached_value_is_an_error(tmp_path):
    path = _workbook(tmp_path, [["a", "b"], [1, "=A2+1"]])
    with pytest.raises(DataError) as exc:
        read_table(path, display_name="t.xlsx")
    problem = exc.value.problems[0]
    assert (problem.row, problem.value, problem.rule) == (2, "=A2+1", "formula")


def test_xlsx_merged_header_cells_are_an_error_naming_them(tmp_path):
    path = _workbook(tmp_path, [["a", "b", ""], [1, 2, 3]])
    wb = openpyxl.load_workbook(path)
    wb.active.merge_cells("B1:C1")
    wb.save(path)
    with pytest.raises(DataError) as exc:
        read_table(path, display_name="t.xlsx")
    assert _problems(exc) == [
        "t.xlsx, row 1: value 'B1:C1' — expected no merged cells; cells B1:C1 in the header "
        "row are merged, so only the first of them holds a value. Fix: unmerge the cells "
        "and write the value (or column name) into each cell"
    ]


def test_xlsx_trailing_empty_rows_are_dropped(tmp_path):
    path = _workbook(tmp_path, [["a"], ["x"]])
    wb = openpyxl.load_workbook(path)
    wb.active["A6"] = ""  # a touched but empty cell far below the data
    wb.active["A6"].number_format = "0.00"
    wb.save(path)
    frame = read_table(path)
    assert frame["a"].tolist() == ["x"]


def test_xlsx_with_entity_declarations_is_refused(tmp_path):
    path = _workbook(tmp_path, [["a"], ["x"]])
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = laughs + data
            dst.writestr(info, data)
    path.write_bytes(buffer.getvalue())
    with pytest.raises(DataError) as exc:
        read_table(path)
    assert exc.value.problems[0].rule == "xlsx-unsafe"
    assert "xl/workbook.xml" in exc.value.problems[0].expected


def test_text_file_named_xlsx_is_a_data_error(tmp_path):
    with pytest.raises(DataError) as exc:
        read_table(_write(tmp_path, "t.xlsx", b"a,b\n1,2\n"))
    assert exc.value.problems[0].rule == "xlsx"


def test_xlsx_renamed_to_csv_is_a_data_error(tmp_path):
    data = _workbook(tmp_path, ROWS).read_bytes()
    with pytest.raises(DataError) as exc:
        read_table(_write(tmp_path, "t.csv", data))
    assert "zip archive" in exc.value.problems[0].expected


def test_utf8_and_cp1251_text_on_one_line_is_refused(tmp_path):
    line = "c1,Калужский кластер ".encode() + "«Фарм»".encode("cp1251")
    path = _write(tmp_path, "t.csv", b"a,b\n" + line + b"\nc2,x\n")
    with pytest.raises(DataError) as exc:
        read_table(path, display_name="t.csv")
    (problem,) = exc.value.problems
    assert problem.rule == "encoding"
    assert problem.expected.startswith("one encoding for the whole file; line 2 holds UTF-8")


def test_xlsx_first_chart_sheet_is_skipped_and_a_named_one_is_a_sheet_error(tmp_path):
    from openpyxl.chart import BarChart, Reference

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["a"])
    ws.append([1])
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=2))
    wb.create_chartsheet("Chart", 0).add_chart(chart)
    path = tmp_path / "t.xlsx"
    wb.save(path)
    assert read_table(path)["a"].tolist() == ["1"]
    with pytest.raises(DataError) as exc:
        read_table(path, sheet="Chart", display_name="t.xlsx")
    assert _problems(exc) == [
        "t.xlsx: value 'Chart' — expected a worksheet ('Chart' is a chart sheet; "
        "worksheets: Data). Fix: name the sheet that holds the table in config"
    ]


def test_xlsx_malformed_cell_in_sheet_xml_is_a_data_error(tmp_path):
    path = _workbook(tmp_path, [["a", "b"], [1, 2]])
    _patch_sheet(path, b'<c r="B2" t="n"><v>2</v>', b'<c r="B2" t="n"><v>1 500</v>')
    with pytest.raises(DataError) as exc:
        read_table(path, display_name="t.xlsx")
    (problem,) = exc.value.problems
    assert (problem.file, problem.rule) == ("t.xlsx", "xlsx")
    assert problem.expected.startswith("a readable .xlsx workbook (ValueError: ")
    assert problem.fix == "re-save it from Excel or LibreOffice"


def test_xlsx_float_comes_back_with_15_significant_digits(tmp_path):
    path = _workbook(tmp_path, [["score"], [0.46 - 1e-16], [0.1 + 0.2]])
    assert read_table(path)["score"].tolist() == ["0.46", "0.3"]


def test_empty_unnamed_middle_column_is_dropped_and_recorded(tmp_path):
    frame = read_table(_write(tmp_path, "t.csv", b"a,,b\n1,,3\n"))
    assert list(frame.columns) == ["a", "b", "source_row"]
    assert frame.attrs["empty_unnamed_columns"] == ["B"]
    with pytest.raises(DataError) as exc:
        read_table(_write(tmp_path, "u.csv", b"a,,b\n1,2,3\n"), display_name="u.csv")
    assert exc.value.problems[0].expected == "a name for column B, which holds values"


@pytest.mark.parametrize("name", ["Пётр", "ООО «ФАРМ»", "«ИНТЕРНЕТ»", "АЁ"])
def test_cp1251_text_whose_bytes_happen_to_be_valid_utf8_is_read_as_cp1251(tmp_path, name):
    path = tmp_path / "t.csv"
    path.write_bytes(f"a;b\nx;{name}\ny;Калуга\n".encode("cp1251"))
    df = read_table(path)
    assert df["b"].tolist() == [name, "Калуга"]
