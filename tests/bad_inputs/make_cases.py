"""Build the corpus cases that are binary or large, into a given folder.

Kept as code rather than committed files: .xlsx workbooks (written with
openpyxl, some patched at the XML level to hold what only other programs
write, e.g. a formula's saved result or an entity declaration) and a CSV with
a one-megabyte cell. Run by the test fixture; ``python make_cases.py DIR``
writes them for a look by hand.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import openpyxl

HEADER = [
    "cluster_id", "name_ru", "name_en", "region_iso", "specialization", "industry",
    "is_innovative", "is_leading", "is_industrial", "is_cdc_supported", "founded_year",
    "org_level", "n_members", "n_employees", "source",
]  # fmt: skip
ROW = [
    "klu-pharma", "Калужский фармацевтический кластер", "Kaluga Pharmaceutical Cluster",
    "RU-KLU", "pharmaceuticals", "pharma_biotech", True, None, False, False, 2010, None,
    25.0, None, "https://example.org/klu",
]  # fmt: skip


def _workbook(path: Path, rows: list[list[object]]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "clusters"
    for row in rows:
        ws.append(row)
    wb.save(path)


def _patch(path: Path, part: str, old: bytes, new: bytes) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                assert old in data, (part, old)
                data = data.replace(old, new, 1)
            dst.writestr(info, data)
    path.write_bytes(buffer.getvalue())


def build(folder: Path) -> None:
    """Write every generated case into ``folder``."""
    folder = Path(folder)
    # Numbers stored as numbers (2010, 25.0) and booleans as booleans: valid.
    _workbook(folder / "ok_xlsx_numbers.xlsx", [HEADER, ROW])

    # A formula whose saved result is in the file: the value is used.
    row = list(ROW)
    row[12] = "=20+5"
    _workbook(folder / "ok_xlsx_formula_cached.xlsx", [HEADER, row])
    _patch(folder / "ok_xlsx_formula_cached.xlsx", "xl/worksheets/sheet1.xml",
           b"<f>20+5</f><v />", b"<f>20+5</f><v>25</v>")  # fmt: skip

    # The same formula as openpyxl writes it: no saved result.
    _workbook(folder / "xlsx_formula_no_value.xlsx", [HEADER, row])

    # Merged header cells (a heading spanning two columns).
    path = folder / "xlsx_merged_header.xlsx"
    _workbook(path, [HEADER, ROW])
    wb = openpyxl.load_workbook(path)
    wb.active.merge_cells("G1:J1")
    wb.save(path)

    # "Billion laughs": entity declarations in the workbook part.
    path = folder / "xlsx_entities.xlsx"
    _workbook(path, [HEADER, ROW])
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
    )
    _patch(path, "xl/workbook.xml", b"<workbook", laughs + b"<workbook")

    # A CSV whose cell holds one megabyte: far above Excel's 32,767 characters.
    csv_row = ["" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
               for v in ROW]  # fmt: skip
    csv_row[14] = "x" * 1_000_000
    (folder / "huge_cell.csv").write_text(
        ",".join(HEADER) + "\n" + ",".join(csv_row) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
