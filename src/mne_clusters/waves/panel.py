"""Long-format ("panel") exports across all waves, for Stata, R and spreadsheets.

Every wave writes its own classified clusters and relations and its own study
tables. This module stacks each of them over the waves, in chronological order
(survey year, then id), with two leading columns: ``wave`` (the wave id) and
``wave_year`` (its survey year, a number a panel command can use as the time
variable). Each stacked table is written to ``data/processed/panel/`` as

* ``<name>.csv`` (UTF-8, the house CSV: text that a spreadsheet would read as
  a formula is prefixed with an apostrophe) with a ``.meta.json`` sidecar;
* ``<name>.parquet`` (typed);
* ``<name>.dta`` (Stata 14+ format, version 118: Unicode text, long text as
  strL); see :func:`to_stata_frame` for how types and names are adapted;

and all of them together as sheets of one workbook, ``panel.xlsx``, where text
is stored as text cells, never as formulas (:func:`write_xlsx`). A table of
more than ``panel.xlsx_max_rows`` rows (default :data:`XLSX_MAX_ROWS`) is not
a sheet: the workbook's first sheet, ``not_in_workbook``, then names it, its
row count and the files that hold every row, and the table's provenance says
so (never a silent drop).

Names: ``clusters_panel``, ``relations_panel``, and each study table under its
own name (``mne_by_status``, ...). Columns a wave lacks (a pass-through column
only one wave's file has) are empty in the other waves' rows: a gap stays a
gap.

Types of the stacked study tables: the per-wave CSVs are read as text and each
stacked column gets one type for all waves - ``true``/``false`` columns are
boolean, columns whose every value is a whole number are integers (``Int64``),
other all-numeric columns are floats, and anything else is text - so that a
column never changes type from one wave to the next.
"""

from __future__ import annotations

import io
import logging
import os
import re
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd
from pandas.errors import InvalidColumnName

from mne_clusters.core import catalogue, outputs, provenance
from mne_clusters.core import config as cfgmod

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

log = logging.getLogger(__name__)

#: Stata: at most 32 characters, a letter or ``_`` first, then letters, digits, ``_``.
STATA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,31}$")

#: Words Stata does not accept as variable names (as pandas' Stata writer lists them).
STATA_RESERVED = frozenset(
    [
        "aggregate",
        "array",
        "boolean",
        "break",
        "byte",
        "case",
        "catch",
        "class",
        "colvector",
        "complex",
        "const",
        "continue",
        "default",
        "delegate",
        "delete",
        "do",
        "double",
        "else",
        "eltypedef",
        "end",
        "enum",
        "explicit",
        "export",
        "external",
        "float",
        "for",
        "friend",
        "function",
        "global",
        "goto",
        "if",
        "inline",
        "int",
        "local",
        "long",
        "NULL",
        "pragma",
        "protected",
        "quad",
        "rowvector",
        "short",
        "typedef",
        "typename",
        "virtual",
        "_all",
        "_N",
        "_skip",
        "_b",
        "_pi",
        "str#",
        "in",
        "_pred",
        "strL",
        "_coef",
        "_cons",
        "_se",
        "_n",
        "_rc",
        "_weight",
    ]
)

#: Longest text Stata stores as a fixed-width str; longer text is written as strL.
STATA_STR_MAX_BYTES = 2045

#: Excel sheet names: at most 31 characters, none of ``[]:*?/\``.
SHEET_NAME_MAX = 31

#: Leading columns of every panel table.
KEYS = ("wave", "wave_year")

#: The panel workbook's file name.
WORKBOOK = "panel.xlsx"

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


# --------------------------------------------------------------------------- stacking


def _with_keys(df: pd.DataFrame, wave: str, year: int) -> pd.DataFrame:
    out = df.drop(columns=[c for c in KEYS if c in df.columns])
    # pandas-stubs leave ExtensionArray out of insert's value (pandas takes any array-like).
    out.insert(0, "wave_year", pd.array([year] * len(out), dtype="Int64"))  # type: ignore[arg-type]
    out.insert(0, "wave", pd.array([wave] * len(out), dtype="string"))  # type: ignore[arg-type]
    return out.reset_index(drop=True)


def stack_frames(frames: Sequence[tuple[str, int, pd.DataFrame]]) -> pd.DataFrame:
    """Stack typed frames of several waves (classified clusters or relations).

    Parameters
    ----------
    frames
        ``(wave, survey year, frame)`` per wave, in the order the rows are to
        come (chronological).

    Returns
    -------
    pandas.DataFrame
        ``wave``, ``wave_year``, then the union of the frames' columns in the
        order first seen; a column a wave lacks is empty in its rows.
    """
    parts = [_with_keys(df, wave, year) for wave, year, df in frames]
    if not parts:
        return pd.DataFrame({"wave": pd.array([], dtype="string"), "wave_year": []})
    return pd.concat(parts, ignore_index=True, sort=False)


def unguard(value: Any) -> Any:
    """Undo the apostrophe :func:`mne_clusters.core.outputs.write_csv` puts before formula-like text."""
    if (
        isinstance(value, str)
        and value[:1] == "'"
        and value[1:2] in outputs.FORMULA_PREFIXES
        and outputs._guard_formula(value[1:]) == value
    ):
        return value[1:]
    return value


def _each_distinct(values: pd.Series, func: Any, gap: Any) -> np.ndarray | None:
    """``func`` of each cell of a text column, called once per distinct text; ``gap`` for a gap.

    ``None`` when the column holds anything but text (hashing would then take
    ``1``, ``1.0`` and ``True`` for one value) or only gaps: the caller goes
    cell by cell.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = list(uniques)
    if not distinct or not all(isinstance(u, str) for u in distinct):
        return None
    return np.array([*(func(u) for u in distinct), gap], dtype=object)[codes]


def read_table_text(path: str | os.PathLike[str]) -> pd.DataFrame:
    """A table a wave wrote as CSV, every cell as text (``<NA>`` for an empty cell)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    df = df.astype(object)
    for column in df.columns:  # each distinct text once: tables of 10^6 rows repeat their text
        cells = _each_distinct(df[column], unguard, np.nan)
        df[column] = (
            df[column].map(unguard, na_action="ignore")
            if cells is None
            else pd.Series(cells, index=df.index)  # type inferred, as map() infers it
        )
    return df


def infer_column(values: pd.Series) -> pd.Series:
    """One type for a stacked text column: boolean, Int64, float64 or string."""
    text = values.astype("string")
    known = text.dropna()
    if known.empty:
        return text
    if known.isin(["True", "False"]).all():
        return text.map({"True": True, "False": False}, na_action="ignore").astype("boolean")
    numbers = pd.to_numeric(known, errors="coerce")
    if numbers.notna().all():
        full = pd.to_numeric(text, errors="coerce")
        is_whole = (numbers == numbers.round()).all() and not known.str.contains(
            r"[.eE]", regex=True
        ).any()
        return full.astype("Int64") if is_whole else full.astype("float64")
    return text


def stack_tables(frames: Sequence[tuple[str, int, pd.DataFrame]]) -> pd.DataFrame:
    """Stack a study table's per-wave text frames and give each column one type.

    See :func:`stack_frames` for the shape and :func:`infer_column` for types.
    """
    stacked = stack_frames(frames)
    out = stacked[list(KEYS)].copy()
    for column in stacked.columns[len(KEYS) :]:
        out[column] = infer_column(stacked[column])
    return out


# --------------------------------------------------------------------------- Stata


def stata_names(columns: Sequence[str]) -> dict[str, str]:
    """Stata variable names for ``columns``: ``{original: stata name}``.

    A name Stata accepts is kept. Otherwise every character other than a
    letter, digit or ``_`` becomes ``_``, a leading digit or a word Stata
    reserves (``long``, ``float``, ``in``, ...) gets a ``_`` before it, the name is cut to 32 characters, and a clash with another name gets a
    numeric ending (``_2``, ``_3``, ...).
    """
    out: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        name = str(column)
        if not STATA_NAME.fullmatch(name) or name in STATA_RESERVED:
            name = re.sub(r"[^A-Za-z0-9_]", "_", name)
            if not name or not re.match(r"[A-Za-z_]", name) or name in STATA_RESERVED:
                name = f"_{name}"
            name = name[:32]
        base, n = name, 2
        while name.lower() in taken:
            ending = f"_{n}"
            name = base[: 32 - len(ending)] + ending
            n += 1
        taken.add(name.lower())
        out[str(column)] = name
    return out


def to_stata_frame(
    df: pd.DataFrame,
) -> tuple[pd.DataFrame, dict[str, str], list[str], list[str]]:
    """Adapt a frame to what Stata stores.

    * booleans become 0/1 (``int8``; a column with a gap becomes a float
      0/1 with Stata's missing value ``.`` for the gap);
    * nullable integers become numbers with Stata's missing value for a gap;
    * text becomes plain text; Stata has no missing text, so a gap is the
      empty string, as Stata itself writes it;
    * an infinite number (an odds ratio with a zero cell) has no Stata value:
      it is written as missing ``.`` and its column is named in the
      provenance (the CSV, parquet and workbook keep ``inf``);
    * names are made valid (:func:`stata_names`).

    Returns
    -------
    tuple
        The adapted frame, the renamed columns ``{original: new}`` (only those
        that changed), the columns to store as strL (text longer than
        :data:`STATA_STR_MAX_BYTES` bytes), and the columns whose infinite
        values were written as missing.
    """
    out = pd.DataFrame(index=df.index)
    long_text: list[str] = []
    infinite_cols: list[str] = []
    names = stata_names(list(df.columns))
    for column in df.columns:
        values = df[column]
        name = names[str(column)]
        if pd.api.types.is_bool_dtype(values.dtype):
            if values.isna().any():
                out[name] = values.astype("Float64").astype("float64")
            else:
                out[name] = values.astype("int8")
        elif pd.api.types.is_integer_dtype(values.dtype) or pd.api.types.is_float_dtype(
            values.dtype
        ):
            if values.isna().any() or pd.api.types.is_float_dtype(values.dtype):
                numbers = values.astype("Float64").astype("float64")
                infinite = np.isinf(numbers)
                if infinite.any():
                    infinite_cols.append(name)
                out[name] = numbers.where(~infinite)
            else:
                out[name] = values.astype("int64")
        else:
            cells = _each_distinct(values, str, "")  # each distinct text once
            text = (
                values.astype(object).map(lambda v: "" if pd.isna(v) else str(v))
                if cells is None
                else pd.Series(cells, index=values.index, dtype=object)
            )
            out[name] = text.astype(object)
            longest = max((len(v.encode("utf-8")) for v in pd.unique(text)), default=0)
            if longest > STATA_STR_MAX_BYTES:
                long_text.append(name)
    renamed = {k: v for k, v in names.items() if k != v}
    return out, renamed, long_text, infinite_cols


def _epoch() -> datetime:
    """The fixed time written into file headers: ``SOURCE_DATE_EPOCH``, or 1 Jan 1980."""
    seconds = os.environ.get("SOURCE_DATE_EPOCH")
    if seconds and seconds.isdigit():
        return datetime.fromtimestamp(int(seconds), tz=UTC).replace(tzinfo=None)
    return datetime(1980, 1, 1)


def write_stata(
    df: pd.DataFrame, path: str | os.PathLike[str], *, label: str
) -> tuple[dict[str, str], list[str]]:
    """Write ``df`` as a Stata ``.dta`` (version 118), atomically and deterministically.

    Returns the renamed columns and the columns whose infinite values were
    written as missing (see :func:`to_stata_frame`).
    """
    frame, renamed, long_text, infinite = to_stata_frame(df)

    def write(tmp: Path) -> None:
        # Names are made valid above; pandas renaming one more would be a bug here.
        warnings.simplefilter("error", InvalidColumnName)
        frame.to_stata(
            tmp,
            write_index=False,
            version=118,
            time_stamp=_epoch(),
            data_label=label[:80],
            convert_strl=long_text,
        )

    with warnings.catch_warnings():
        outputs.write_with(write, path)
    return renamed, infinite


# --------------------------------------------------------------------------- Excel


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
    when = _epoch()
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


# --------------------------------------------------------------------------- size limit


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


# --------------------------------------------------------------------------- run


def _stacked_description(name: str) -> str:
    """The provenance sentence of the stacked table ``name`` (the catalogue's)."""
    try:
        return catalogue.table(name, scope="panel").description
    except KeyError:  # a table the catalogue does not list: the same sentence
        return f"The study table {name} of every wave, stacked (see the per-wave table)."


def run_panel(
    *,
    waves: list[str],
    years: list[int],
    clusters: list[str],
    relations: list[str],
    tables: Mapping[str, list[str]],
    out_dir: str,
    config: Mapping[str, Any],
) -> None:
    """Write the long-format exports of all waves to ``out_dir``.

    Parameters
    ----------
    waves, years
        Wave ids and their survey years, in chronological order.
    clusters, relations
        Each wave's classified ``clusters.parquet`` / ``relations.parquet``, in
        the order of ``waves``.
    tables
        Table name -> that table's CSV of each wave, in the order of ``waves``.
    out_dir
        ``data/processed/panel``.
    config
        The workflow configuration (hashed into the provenance).
    """
    order = sorted(range(len(waves)), key=lambda i: (years[i], waves[i]))
    waves = [waves[i] for i in order]
    years = [int(years[i]) for i in order]
    clusters = [clusters[i] for i in order]
    relations = [relations[i] for i in order]
    tables = {name: [paths[i] for i in order] for name, paths in tables.items()}

    panels: dict[str, tuple[pd.DataFrame, list[str], str]] = {
        "clusters_panel": (
            stack_frames(
                [(w, y, pd.read_parquet(p)) for w, y, p in zip(waves, years, clusters, strict=True)]
            ),
            clusters,
            catalogue.table("clusters_panel", scope="panel").description,
        ),
        "relations_panel": (
            stack_frames(
                [
                    (w, y, pd.read_parquet(p))
                    for w, y, p in zip(waves, years, relations, strict=True)
                ]
            ),
            relations,
            catalogue.table("relations_panel", scope="panel").description,
        ),
    }
    for name, paths in tables.items():
        frames = [(w, y, read_table_text(p)) for w, y, p in zip(waves, years, paths, strict=True)]
        panels[name] = (
            stack_tables(frames),
            paths,
            _stacked_description(name),
        )

    out = Path(out_dir)
    max_rows = xlsx_max_rows(config)
    left_out = {name: len(frame) for name, (frame, _, _) in panels.items() if len(frame) > max_rows}
    sheets = sheet_names(list(panels) + ([NOTES_SHEET] if left_out else []))
    renamed_all: dict[str, dict[str, str]] = {}
    for name, (frame, inputs, description) in panels.items():
        renamed, infinite = write_stata(frame, out / f"{name}.dta", label=f"mne-clusters {name}")
        if renamed:
            renamed_all[name] = renamed
        outputs.write_parquet(frame, out / f"{name}.parquet")
        rec = provenance.record(
            wave=None,
            inputs=inputs,
            config=config,
            description=description,
            extra={
                "waves": waves,
                "wave_years": dict(zip(waves, years, strict=True)),
                "formats": ["csv", "parquet", "dta"]
                + ([] if name in left_out else [f"xlsx (sheet {sheets[name]!r})"]),
                "stata_renamed": renamed,
                "stata_infinite_as_missing": infinite,
                **(
                    {
                        "not_in_xlsx": f"{len(frame)} rows, more than panel.xlsx_max_rows "
                        f"({max_rows}); listed on the workbook's sheet {sheets[NOTES_SHEET]!r}"
                    }
                    if name in left_out
                    else {}
                ),
            },
        )
        outputs.write_csv(frame, out / f"{name}.csv", provenance=rec)
        log.info("wrote %s/%s.{csv,parquet,dta} (%d rows)", out_dir, name, len(frame))

    workbook = {sheets[NOTES_SHEET]: left_out_note(left_out, max_rows)} if left_out else {}
    workbook |= {sheets[n]: frame for n, (frame, _, _) in panels.items() if n not in left_out}
    write_xlsx(workbook, out / WORKBOOK)
    if left_out:
        log.warning(
            "%s: %s not written as sheets (more than panel.xlsx_max_rows = %d rows); "
            "the sheet %r lists them, their CSV, parquet and .dta hold every row",
            WORKBOOK,
            ", ".join(f"{n} ({r} rows)" for n, r in left_out.items()),
            max_rows,
            sheets[NOTES_SHEET],
        )
    all_inputs = sorted({p for _, inputs, _ in panels.values() for p in inputs})
    outputs.write_json(
        provenance.record(
            wave=None,
            inputs=all_inputs,
            config=config,
            description=(
                "Every panel table as a sheet of one workbook"
                + (
                    f", except those of more than {max_rows} rows (listed on the first sheet)."
                    if left_out
                    else "."
                )
            ),
            extra={
                "waves": waves,
                "sheets": {n: sh for n, sh in sheets.items() if n not in left_out},
                "stata_renamed": renamed_all,
                **({"not_in_xlsx": left_out, "xlsx_max_rows": max_rows} if left_out else {}),
            },
        ),
        out / f"{WORKBOOK}.meta.json",
    )
    log.info("wrote %s/%s (%d sheets)", out_dir, WORKBOOK, len(workbook))
