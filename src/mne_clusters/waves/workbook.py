"""The panel workbook ``panel.xlsx``: one sheet per stacked table, written as
the XML openpyxl writes (once per distinct value, not cell by cell), with fixed
zip times so that two runs write the same bytes; a table over
``panel.xlsx_max_rows`` rows is left out and named on the first sheet.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from mne_clusters.core import config as cfgmod
from mne_clusters.core import outputs

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

#: Excel sheet names: at most 31 characters, none of ``[]:*?/\``.
SHEET_NAME_MAX = 31


#: Most data rows a table may have to be a sheet of the workbook, unless the
#: config says otherwise (``panel.xlsx_max_rows``; the default is the schema's).
#: A spreadsheet is for reading and filtering a table; a larger one (a wave of
#: 10^5 relations and more) is read from its CSV, parquet or .dta, which hold
#: every row.
XLSX_MAX_ROWS: int = cfgmod.default("panel.xlsx_max_rows")


#: Excel's own limit: 1,048,576 rows a sheet, the header row included.
EXCEL_MAX_ROWS = 1_048_576


#: The sheet that lists the tables left out of the workbook (only when any is).
NOTES_SHEET = "not_in_workbook"


def sheet_names(names: Sequence[str]) -> dict[str, str]:
    """Excel sheet names for table names: cut to 31 characters, made unique."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        sheet = re.sub(r"[\[\]:*?/\\]", "_", name)[:SHEET_NAME_MAX]
        base, n = sheet, 2
        while sheet.lower() in taken:
            ending = f"~{n}"
            sheet = base[: SHEET_NAME_MAX - len(ending)] + ending
            n += 1
        taken.add(sheet.lower())
        out[name] = sheet
    return out


def _cell_value(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float):
        if value != value:
            return None
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"  # a spreadsheet has no infinite number
    return value


def write_xlsx(sheets: Mapping[str, pd.DataFrame], path: str | os.PathLike[str]) -> None:
    """Write one workbook, a sheet per table, atomically and byte-for-byte reproducibly.

    Text is stored as text cells (type ``s``) even when it begins with ``=``,
    ``+``, ``-`` or ``@``, so a spreadsheet never runs it as a formula; numbers
    and booleans are stored as such; a gap is an empty cell; an infinite
    number is the text ``inf`` / ``-inf``. The header row is
    bold and frozen. Zip entry times and the document's dates are fixed
    (``SOURCE_DATE_EPOCH``), so reruns give the same bytes.

    openpyxl writes the workbook with each sheet's header row; the data rows
    are then written by :func:`_rows_xml`, the same XML openpyxl writes for
    them (text, whole and decimal numbers, booleans, gaps) at a fraction of its
    cost per cell. A sheet holding a value of any other type is written by
    openpyxl cell by cell.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(cast("Worksheet", wb.active))  # a new workbook's one empty worksheet
    bold = Font(bold=True)
    fast_rows: dict[int, tuple[str, str]] = {}  # sheet number -> (dimension, rows XML)
    for number, (sheet_name, df) in enumerate(sheets.items(), start=1):
        ws = wb.create_sheet(sheet_name)
        ws.append([str(c) for c in df.columns])
        for cell in ws[1]:
            cell.font = bold
            cell.data_type = "s"
        ws.freeze_panes = "A2"
        rows = _rows_xml(df) if len(df) and len(df.columns) else None
        if rows is not None:
            last = get_column_letter(len(df.columns))
            fast_rows[number] = (f"A1:{last}{len(df) + 1}", rows)
            continue
        # Row numbers are counted here: ``ws.max_row`` scans every cell, which
        # made this loop quadratic (minutes for 10^4 rows).
        for row_number, row in enumerate(df.itertuples(index=False, name=None), start=2):
            values = [_cell_value(v) for v in row]
            ws.append(values)
            for column, value in enumerate(values, start=1):
                if isinstance(value, str):
                    ws.cell(row=row_number, column=column).data_type = "s"  # never a formula
    when = outputs.fixed_time()
    wb.properties.created = when
    wb.properties.modified = when
    wb.properties.creator = "mne-clusters"

    buffer = io.BytesIO()
    # openpyxl's save_workbook stamps the current time; its writer, given our
    # dates, does not (the archive is closed by save()). Stored, not deflated:
    # the archive is rewritten (and compressed once) below.
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED)).save()

    def fill(name: str, data: bytes) -> bytes:
        match = re.fullmatch(r"xl/worksheets/sheet([0-9]+)\.xml", name)
        if not match or int(match.group(1)) not in fast_rows:
            return data
        dimension, rows = fast_rows[int(match.group(1))]
        text = data.decode("utf-8")
        head, found, tail = text.partition("</row></sheetData>")
        head, n = re.subn(r'<dimension ref="[^"]*" />', f'<dimension ref="{dimension}" />', head)
        if not found or n != 1:  # a layout this code does not know: fail, never guess
            raise RuntimeError(f"unexpected worksheet XML from openpyxl in {name}")
        return (head + "</row>" + rows + "</sheetData>" + tail).encode("utf-8")

    def write(tmp: Path) -> None:
        tmp.write_bytes(_fixed_zip_times(buffer.getvalue(), fill))

    outputs.write_with(write, path)


#: Characters a worksheet cannot hold (openpyxl refuses them; so does :func:`_rows_xml`).
_ILLEGAL_XML = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


#: Longest text a cell holds; openpyxl cuts longer text to this length.
CELL_TEXT_MAX = 32767


def _text_xml(value: str) -> str:
    value = value[:CELL_TEXT_MAX]
    if value == "":
        return ' t="inlineStr" />'
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    stripped = value.strip()
    space = ' xml:space="preserve"' if stripped and stripped != value else ""
    return f' t="inlineStr"><is><t{space}>{escaped}</t></is></c>'


def _value_xml(value: Any) -> str | None:
    """A data cell's XML after its ``<c r="A2"``, as openpyxl writes it; ``""``: no cell."""
    value = _cell_value(value)
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        if _ILLEGAL_XML.search(value):
            return None  # openpyxl raises the error that names the value
        return _text_xml(value)
    if kind is bool:
        return f' t="b"><v>{int(value)}</v></c>'
    if kind is int or kind is float:
        return f' t="n"><v>{"%.16g" % value}</v></c>'  # noqa: UP031 (openpyxl's safe_string)
    return None


def _rows_xml(df: pd.DataFrame) -> str | None:
    """The ``<row>`` elements of ``df``'s data rows (sheet rows 2, 3, ...), as openpyxl writes them.

    ``None`` when a value is of a type this writer does not know (openpyxl
    then writes the sheet). Each distinct value of a column is turned into XML
    once.
    """
    from openpyxl.utils import get_column_letter

    numbers = [str(n) for n in range(2, len(df) + 2)]
    columns: list[list[str]] = []
    for position in range(len(df.columns)):
        letter = get_column_letter(position + 1)
        memo: dict[tuple[type, Any], str | None] = {}
        cells = []
        for number, value in zip(numbers, df.iloc[:, position].tolist(), strict=True):
            try:
                key = (type(value), value)
                xml = memo[key] if key in memo else memo.setdefault(key, _value_xml(value))
            except TypeError:  # an unhashable value
                xml = _value_xml(value)
            if xml is None:
                return None
            cells.append(f'<c r="{letter}{number}"{xml}' if xml else "")
        columns.append(cells)
    return "".join(
        f'<row r="{number}">{"".join(cells)}</row>'
        for number, *cells in zip(numbers, *columns, strict=True)
    )


def _fixed_zip_times(data: bytes, fill: Any = None) -> bytes:
    """The zip ``data`` rewritten with every entry dated 1 Jan 1980 (a reproducible archive).

    ``fill(name, content)``, when given, returns each entry's content to write.
    """
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            content = src.read(info.filename)
            dst.writestr(entry, fill(info.filename, content) if fill else content)
    return out.getvalue()


def xlsx_max_rows(config: Mapping[str, Any]) -> int:
    """Most data rows of a workbook sheet: ``panel.xlsx_max_rows``, else :data:`XLSX_MAX_ROWS`."""
    value = int((config.get("panel") or {}).get("xlsx_max_rows", XLSX_MAX_ROWS))
    return min(value, EXCEL_MAX_ROWS - 1)


def left_out_note(tables: Mapping[str, int], max_rows: int) -> pd.DataFrame:
    """The rows of the workbook's :data:`NOTES_SHEET`: one per table left out.

    Parameters
    ----------
    tables
        Name -> rows of each table too large for the workbook, in panel order.
    max_rows
        The limit in force.
    """
    return pd.DataFrame(
        {
            "table": pd.array(list(tables), dtype="string"),
            "rows": pd.array(list(tables.values()), dtype="Int64"),
            "xlsx_max_rows": pd.array([max_rows] * len(tables), dtype="Int64"),
            "why": pd.array(
                [
                    f"{rows} rows, more than panel.xlsx_max_rows ({max_rows}): "
                    "not a sheet of this workbook"
                    for rows in tables.values()
                ],
                dtype="string",
            ),
            "every_row_in": pd.array(
                [f"{name}.csv, {name}.parquet, {name}.dta" for name in tables], dtype="string"
            ),
        }
    )
