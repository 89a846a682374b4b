"""Reading a sheet of an .xlsx file safely: the zip's parts checked before
anything is inflated (size, compression ratio, no external links), merged
cells and formulas reported, cells turned into the same text a CSV would give.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from mne_clusters.core.errors import DataError, Problem, reader_failure, reader_problem

log = logging.getLogger(__name__)
if TYPE_CHECKING:
    from openpyxl import Workbook


#: Excel shows at most this many rows; decompressed .xlsx parts are limited to
#: this multiple of the file size limit (a guard against zip bombs).
_XLSX_INFLATE_FACTOR = 20


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


# --------------------------------------------------------------------------
# xlsx
# --------------------------------------------------------------------------


def _check_xlsx_parts(path: Path, name: str, max_bytes: int) -> None:
    """Refuse a workbook whose XML declares a DTD or entities, or inflates hugely."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise reader_failure(
            name,
            "an .xlsx workbook (a zip archive); this file is not one",
            "open it in Excel or LibreOffice and save it as .xlsx (or as CSV)",
            rule="xlsx",
        ) from None
    with archive:
        infos = archive.infolist()
        if sum(i.file_size for i in infos) > max_bytes * _XLSX_INFLATE_FACTOR:
            raise reader_failure(
                name,
                "a workbook whose contents unpack to a reasonable size",
                "save the data as CSV, or split the workbook",
                rule="xlsx",
            )
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            with archive.open(info) as part:
                try:
                    # A DTD can only come before the root element: stop there.
                    for _event, _elem in DET.iterparse(part, events=("start",), forbid_dtd=True):
                        break
                except DefusedXmlException:
                    raise reader_failure(
                        name,
                        f"a workbook without XML document type or entity declarations "
                        f"(found in part {info.filename})",
                        "this file was not written by a spreadsheet program; re-save it "
                        "from Excel or LibreOffice",
                        rule="xlsx-unsafe",
                    ) from None
                except DET.ParseError as exc:
                    raise reader_failure(
                        name,
                        f"a readable workbook; part {info.filename} is not well-formed XML ({exc})",
                        "re-save it from Excel or LibreOffice",
                        rule="xlsx",
                    ) from None


def _merged_ranges(path: Path, part_name: str) -> list[str]:
    with zipfile.ZipFile(path) as archive, archive.open(part_name) as part:
        refs = []
        for _event, elem in DET.iterparse(part, events=("end",), forbid_dtd=True):
            if elem.tag == f"{_MAIN_NS}mergeCell":
                refs.append(elem.get("ref", ""))
            elif elem.tag == f"{_MAIN_NS}row":
                elem.clear()
        return refs


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # 15 significant digits, as a spreadsheet shows them: 0.46, not 0.4599999999999999.
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _xlsx_records(path: Path, name: str, sheet: str | None, max_bytes: int) -> list[list[str]]:
    import openpyxl  # imported here: CSV-only runs do not pay for it

    _check_xlsx_parts(path, name, max_bytes)
    try:
        values_wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas_wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise reader_failure(
            name,
            f"a readable .xlsx workbook ({type(exc).__name__}: {exc})",
            "open it in Excel or LibreOffice and save it again as .xlsx",
            rule="xlsx",
        ) from None
    try:
        return _sheet_records(path, name, sheet, values_wb, formulas_wb)
    except DataError:
        raise
    except Exception as exc:  # openpyxl parses cells lazily, while rows are read
        raise reader_failure(
            name,
            f"a readable .xlsx workbook ({type(exc).__name__}: {exc})",
            "re-save it from Excel or LibreOffice",
            rule="xlsx",
        ) from None
    finally:
        values_wb.close()
        formulas_wb.close()


def _sheet_records(
    path: Path, name: str, sheet: str | None, values_wb: Workbook, formulas_wb: Workbook
) -> list[list[str]]:
    """The cells of ``sheet`` (default: the first worksheet) as text, row by row."""
    worksheets = [ws.title for ws in values_wb.worksheets]
    if sheet is None:
        if not worksheets:
            raise reader_failure(
                name,
                "a workbook with a worksheet; it holds only chart sheets",
                "save the table itself as .xlsx or CSV",
                rule="sheet",
            )
        sheet = worksheets[0]  # the first worksheet: a chart sheet may come before it
    elif sheet not in values_wb.sheetnames:
        raise reader_failure(
            name,
            f"a sheet named '{sheet}' (sheets: {', '.join(values_wb.sheetnames)})",
            "name an existing sheet in config, or rename the sheet",
            rule="sheet",
            value=sheet,
        )
    elif sheet not in worksheets:
        raise reader_failure(
            name,
            f"a worksheet ('{sheet}' is a chart sheet; worksheets: "
            f"{', '.join(worksheets) or 'none'})",
            "name the sheet that holds the table in config",
            rule="sheet",
            value=sheet,
        )
    values_ws = values_wb[sheet]
    formulas_ws = formulas_wb[sheet]
    problems: list[Problem] = []
    # A read-only sheet's path inside the archive: private to openpyxl, absent from its stubs.
    merged = _merged_ranges(path, values_ws._worksheet_path)  # type: ignore[attr-defined]
    for ref in merged:
        first_row = int(re.sub(r"[A-Z$]", "", ref.split(":")[0]) or 0)
        where = "the header row" if first_row == 1 else "data rows"
        problems.append(
            reader_problem(
                name,
                f"no merged cells; cells {ref} in {where} are merged, so only the "
                f"first of them holds a value",
                "unmerge the cells and write the value (or column name) into each cell",
                rule="merged-cells",
                row=first_row,
                value=ref,
            )
        )
    values_ws.reset_dimensions()
    formulas_ws.reset_dimensions()
    records: list[list[str]] = []
    rows = zip(values_ws.iter_rows(min_row=1), formulas_ws.iter_rows(min_row=1), strict=False)
    for row_number, (value_cells, formula_cells) in enumerate(rows, start=1):
        record = []
        for col_number, cell in enumerate(value_cells, start=1):
            formula = (
                formula_cells[col_number - 1].value if col_number <= len(formula_cells) else None
            )
            ref = f"{_column_letter(col_number)}{row_number}"
            if isinstance(formula, str) and formula.startswith("="):
                if cell.value is None:
                    problems.append(
                        reader_problem(
                            name,
                            f"a value; cell {ref} holds the formula '{formula}' "
                            "with no saved result",
                            "open the file in Excel or LibreOffice "
                            "and save it (that stores each formula's result), or replace "
                            "the formula by its value",
                            rule="formula",
                            row=row_number,
                            value=formula,
                        )
                    )
                else:
                    log.warning(
                        "%s: cell %s holds the formula '%s'; using its saved value '%s'",
                        name,
                        ref,
                        formula,
                        _cell_text(cell.value),
                    )
            if getattr(cell, "data_type", None) == "e":
                problems.append(
                    reader_problem(
                        name,
                        f"a value; cell {ref} holds the Excel error {cell.value}",
                        "fix the formula or type the value",
                        rule="formula",
                        row=row_number,
                        value=str(cell.value),
                    )
                )
            record.append(_cell_text(cell.value))
        records.append(record)
    DataError.collect(problems)
    return records


def _column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
