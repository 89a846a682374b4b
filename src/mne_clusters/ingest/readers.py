"""Read a researcher's table (CSV or .xlsx) into a frame of trimmed strings.

:func:`read_table` is the only way input files enter the pipeline. It returns
every cell as text exactly as a person sees it in a spreadsheet, trimmed of
surrounding white space ("" for an empty cell), plus ``source_row``: the row
number the spreadsheet shows (header = 1, first data row = 2). Typing and
validation are ingest's job.

CSV files may be UTF-8, UTF-8 with a byte-order mark, or Windows-1251, and
delimited by ``,`` or ``;``. The encoding is detected, not guessed: strict
UTF-8 first, then Windows-1251. Windows-1251 maps all but one byte value
(``0x98``) to a character, so almost any bytes "decode"; a file is refused
when:

- it holds a byte that is invalid in both (``0x98`` outside a UTF-8 sequence);
- some of it is valid UTF-8 with non-ASCII text and some is not, on different
  lines or on one line (the file mixes encodings, e.g. rows or cells pasted from
  another file). A Windows-1251 file is refused by this rule too in the rare
  case that its first non-ASCII letters happen to form valid UTF-8 (such as
  "Пётр": a capital letter followed by "ё"); re-saving it as UTF-8 helps;
- it starts with a UTF-16 byte-order mark or holds NUL bytes (UTF-16 or binary);
- it is a zip archive (an .xlsx file renamed to .csv).

Excel quirks handled: trailing empty rows and trailing unnamed empty columns are
dropped and counted in ``frame.attrs`` (``trailing_empty_rows``,
``trailing_empty_columns``) so ingest can log them; an unnamed column between
named ones is dropped too when all its cells are empty, its letter recorded in
``frame.attrs["empty_unnamed_columns"]`` (an unnamed column holding a value is
a data error); header names are trimmed;
numbers stored as numbers in .xlsx come back as their plain text (``2010``,
not ``2010.0``); a formula cell with a cached value gives that value (logged as
a warning naming the cell), a formula without one is a data error; merged cells
are a data error.

An .xlsx file is inspected with defusedxml before openpyxl opens it: any XML
part declaring a DTD or entities (e.g. "billion laughs") is refused.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from mne_clusters.core.errors import DataError, Problem, reader_failure, reader_problem
from mne_clusters.ingest.xlsx import _column_letter, _xlsx_records

if TYPE_CHECKING:
    pass


log = logging.getLogger(__name__)


#: Excel's own limit on the characters of one cell; a longer cell cannot come
#: from a spreadsheet (it is usually a file pasted into a cell or a broken quote).
MAX_CELL_CHARS = 32767


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


# --------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


#: A run of Cyrillic letters: what UTF-8 Russian text decodes to. Windows-1251
#: bytes that happen to form valid UTF-8 ("Пётр", "«ФАРМ»": a capital letter
#: before ё or a guillemet) decode to one odd character, not to such a run.
_CYRILLIC_RUN = re.compile(r"[\u0400-\u04ff]{3,}")


def _is_utf8_cyrillic(chunk: bytes) -> bool:
    """True when ``chunk`` is valid UTF-8 holding Russian (Cyrillic) words."""
    try:
        return _CYRILLIC_RUN.search(chunk.decode("utf-8")) is not None
    except UnicodeDecodeError:
        return False


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode CSV bytes; return ``(text, encoding)`` or raise :class:`DataError`."""
    fix_encoding = "save the file as 'CSV UTF-8' (or Windows-1251 CSV) from your spreadsheet"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise reader_failure(
            name,
            "a CSV file in UTF-8 or Windows-1251; this file is UTF-16",
            fix_encoding,
            rule="encoding",
        )
    if data.startswith(b"PK\x03\x04"):
        raise reader_failure(
            name,
            "a CSV text file; this is a zip archive (an .xlsx workbook?)",
            "name an Excel workbook with the .xlsx extension, or save it as CSV",
            rule="encoding",
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise reader_failure(
            name,
            f"text without NUL bytes; found one at line {_line_of(data, nul)} "
            f"(byte offset {nul}): UTF-16 or a binary file",
            fix_encoding,
            rule="encoding",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        try:
            return data.decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise reader_failure(
                name,
                f"UTF-8 text after the UTF-8 byte-order mark; line "
                f"{_line_of(data, exc.start)} (byte offset {exc.start + 3}) is not UTF-8",
                fix_encoding,
                rule="encoding",
                value=_show_bytes(data, exc.start),
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    # Not UTF-8. Windows-1251 leaves one byte value undefined: such a byte is
    # valid in neither encoding.
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise reader_failure(
            name,
            f"text in UTF-8 or Windows-1251; the byte at line {_line_of(data, exc.start)} "
            f"(byte offset {exc.start}) is valid in neither",
            fix_encoding,
            rule="encoding",
            value=_show_bytes(data, exc.start),
        ) from None
    # Everything before the first invalid byte is valid UTF-8. If it holds
    # non-ASCII text, that text is UTF-8 and the rest is not: decoding the whole
    # file as Windows-1251 would garble it (even when both sit on one line).
    first_non_ascii = next((i for i, b in enumerate(data[:utf8_error]) if b >= 0x80), None)
    if first_non_ascii is not None and _is_utf8_cyrillic(data[:utf8_error]):
        utf8_line = _line_of(data, first_non_ascii)
        bad_line = _line_of(data, utf8_error)
        where = (
            f"line {utf8_line} holds UTF-8 text but, further on, the byte at offset "
            f"{utf8_error} is not UTF-8"
            if utf8_line == bad_line
            else f"line {utf8_line} is UTF-8 but line {bad_line} (byte offset {utf8_error}) is not"
        )
        raise reader_failure(
            name,
            f"one encoding for the whole file; {where}",
            "re-save the whole file as 'CSV UTF-8' from your spreadsheet",
            rule="encoding",
            value=_show_bytes(data, utf8_error),
        )
    # Refuse a file in which a later line is UTF-8 with non-ASCII text:
    # decoding it all as Windows-1251 would garble that line silently.
    for number, line in enumerate(data.split(b"\n"), start=1):
        if _UTF8_MULTIBYTE.search(line):
            if not _is_utf8_cyrillic(line):
                continue
            raise reader_failure(
                name,
                f"one encoding for the whole file; line {number} is UTF-8 but line "
                f"{_line_of(data, utf8_error)} (byte offset {utf8_error}) is not",
                "re-save the whole file as 'CSV UTF-8' from your spreadsheet",
                rule="encoding",
                value=_show_bytes(data, utf8_error),
            )
    return text, "cp1251"


def _show_bytes(data: bytes, offset: int) -> str:
    return "".join(f"\\x{b:02x}" for b in data[offset : offset + 4])


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            count += 1
    return count


def _sniff_delimiter(text: str, name: str) -> str:
    header = text.split("\n", 1)[0]
    commas = _count_outside_quotes(header, ",")
    semicolons = _count_outside_quotes(header, ";")
    if commas and commas == semicolons:
        raise reader_failure(
            name,
            "a header row delimited by ',' or by ';', not both equally",
            "check the header row: column names may not contain ',' or ';'",
            rule="delimiter",
            row=1,
            value=header.strip(),
        )
    return ";" if semicolons > commas else ","


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, limit))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _csv_records(text: str, delimiter: str, name: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        with _field_limit(len(text) + 1):
            return list(reader)
    except csv.Error as exc:
        raise reader_failure(
            name,
            f"well-formed CSV; near line {reader.line_num}: {exc}",
            'check that every opening quote (") has a closing one',
            rule="csv",
        ) from None


# --------------------------------------------------------------------------
# Records -> frame
# --------------------------------------------------------------------------


def _overlong_rows(records: list[list[str]], name: str, delimiter: str) -> list[Problem]:
    """CSV rows with values beyond the header's last named column, one problem each.

    Such a row almost always holds an unquoted delimiter inside a value (a
    name with a comma): every later cell of the row has moved one column to the
    right. It is reported at that row, with its cell count against the
    header's, instead of as unnamed columns in row 1. Empty cells beyond the
    header (trailing delimiters a spreadsheet may write) are not a problem.
    """
    if not records:
        return []
    header = [c.strip() for c in records[0]]
    named = max((i + 1 for i, c in enumerate(header) if c), default=0)
    if not named:
        return []
    shown = "';'" if delimiter == ";" else "','"
    problems: list[Problem] = []
    for r, record in enumerate(records[1:], start=2):
        cells = [c.strip() for c in record]
        if not any(cells[named:]):
            continue
        n_cells = max(i + 1 for i, c in enumerate(cells) if c)
        problems.append(
            reader_problem(
                name,
                f"at most {named} cells, as the header has {named} columns; this row has "
                f"{n_cells} cells (a {shown} inside a value moves every later cell one "
                "column to the right)",
                f'put the value that contains {shown} in double quotes ("..."), or remove '
                "the extra delimiter; if the column is really needed, give it a name in row 1",
                rule="row-width",
                row=r,
                value=delimiter.join(record)[:80],
            )
        )
    return problems


def _frame(records: list[list[str]], name: str) -> pd.DataFrame:
    records = [[c.strip() for c in r] for r in records]
    if not records or not any(records[0]):
        if not any(any(r) for r in records):
            raise reader_failure(
                name,
                "a header row and data rows; the file is empty",
                "export the table again, with its header row",
                rule="empty",
            )
        raise reader_failure(
            name,
            "the header row (column names) in row 1; row 1 is empty",
            "delete the empty rows above the header",
            rule="header",
            row=1,
        )
    header = list(records[0])
    body = records[1:]
    width = max(len(header), *(len(r) for r in body)) if body else len(header)
    header += [""] * (width - len(header))
    body = [r + [""] * (width - len(r)) for r in body]

    # Trailing empty rows: Excel often keeps formatted, empty rows at the end.
    n_rows = len(body)
    while n_rows and not any(body[n_rows - 1]):
        n_rows -= 1
    trailing_rows = len(body) - n_rows
    body = body[:n_rows]

    # Trailing unnamed columns that are empty everywhere are dropped too.
    n_cols = width
    while n_cols and not header[n_cols - 1] and not any(r[n_cols - 1] for r in body):
        n_cols -= 1
    trailing_cols = width - n_cols
    header = header[:n_cols]
    body = [r[:n_cols] for r in body]

    # Unnamed columns elsewhere are dropped too when every cell is empty (a
    # spacer column); checks below still name columns by their own letters.
    empty_inner = [i for i in range(n_cols) if not header[i] and not any(r[i] for r in body)]

    problems: list[Problem] = []
    for i, col in enumerate(header, start=1):
        if not col and i - 1 not in empty_inner:
            problems.append(
                reader_problem(
                    name,
                    f"a name for column {_column_letter(i)}, which holds values",
                    "write a column name in row 1, or delete the column",
                    rule="header",
                    row=1,
                    column=f"#{i}",
                    value="",
                )
            )
    if "source_row" in header:
        problems.append(
            reader_problem(
                name,
                "column names other than 'source_row', which the pipeline adds itself",
                "rename the column 'source_row'",
                rule="header",
                row=1,
                column="source_row",
                value="source_row",
            )
        )
    seen: dict[str, int] = {}
    for i, col in enumerate(header, start=1):
        if col and col in seen:
            problems.append(
                reader_problem(
                    name,
                    f"unique column names; '{col}' is also column {_column_letter(seen[col])}",
                    "rename or delete one of the two columns",
                    rule="header",
                    row=1,
                    column=col,
                    value=col,
                )
            )
        seen.setdefault(col, i)
    for r, record in enumerate(body, start=2):
        for c, cell in enumerate(record):
            if len(cell) > MAX_CELL_CHARS:
                problems.append(
                    reader_problem(
                        name,
                        f"at most {MAX_CELL_CHARS} characters in a cell (Excel's limit); "
                        f"this cell has {len(cell)}",
                        "shorten the cell; if it holds a whole "
                        'file or many rows, a quote (") is probably not closed',
                        rule="cell-size",
                        row=r,
                        column=header[c] or f"#{c + 1}",
                        value=cell[:40],
                    )
                )
    DataError.collect(problems)

    if empty_inner:
        keep = [i for i in range(n_cols) if i not in set(empty_inner)]
        header = [header[i] for i in keep]
        body = [[r[i] for i in keep] for r in body]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    if body:
        frame = frame.astype("string")
    else:
        frame = pd.DataFrame({c: pd.array([], dtype="string") for c in header})
    frame["source_row"] = pd.array(range(2, len(body) + 2), dtype="Int64")
    frame.attrs["trailing_empty_rows"] = trailing_rows
    frame.attrs["trailing_empty_columns"] = trailing_cols
    frame.attrs["empty_unnamed_columns"] = [_column_letter(i + 1) for i in empty_inner]
    return frame


def read_table(
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    max_file_mb: float = 50,
    display_name: str | None = None,
) -> pd.DataFrame:
    """Read a CSV or .xlsx table into a frame of trimmed strings.

    Parameters
    ----------
    path
        The file: ``.xlsx`` is read as a workbook, anything else as CSV.
    sheet
        Sheet of an .xlsx workbook (default: the first). Ignored for CSV.
    max_file_mb
        Files larger than this many megabytes (10**6 bytes) are refused.
    display_name
        How messages name the file (default: ``path`` as given).

    Returns
    -------
    pandas.DataFrame
        One column per header cell (names trimmed), every cell a ``string``
        trimmed of surrounding white space ("" when empty), and ``source_row``
        (``Int64``): the row number the spreadsheet shows, header = 1.
        ``attrs["trailing_empty_rows"]``, ``attrs["trailing_empty_columns"]``,
        ``attrs["empty_unnamed_columns"]`` (letters of empty unnamed columns
        between named ones) and ``attrs["encoding"]`` say what was dropped and
        how it was read.

    Raises
    ------
    DataError
        File missing, too large, empty, in an unreadable encoding, malformed,
        or with a header problem; an .xlsx with DTDs, merged cells or formulas
        without saved values.
    """
    file = Path(path)
    name = display_name if display_name is not None else os.fspath(path)
    if not file.is_file():
        raise reader_failure(name, "an existing file", "check the path in config.yaml", rule="file")
    size = file.stat().st_size
    max_bytes = int(max_file_mb * 1_000_000)
    if size > max_bytes:
        raise reader_failure(
            name,
            f"a file of at most {max_file_mb:g} MB; this one is {size / 1_000_000:.1f} MB",
            "split the file, or raise ingest.max_file_mb in config.yaml if the size is expected",
            rule="file-size",
        )
    suffix = file.suffix.lower()
    if suffix in {".xls", ".ods", ".xlsb"}:
        raise reader_failure(
            name,
            f"CSV or .xlsx; '{suffix}' files are not read",
            "save the table as .xlsx or as CSV UTF-8",
            rule="format",
        )
    if suffix in {".xlsx", ".xlsm"}:
        records = _xlsx_records(file, name, sheet, max_bytes)
        encoding = "xlsx"
    else:
        if sheet is not None:
            log.warning("%s: a CSV file has no sheets; sheet '%s' is ignored", name, sheet)
        data = file.read_bytes()
        if not data.strip(b" \t\r\n\xef\xbb\xbf"):
            raise reader_failure(
                name,
                "a header row and data rows; the file is empty",
                "export the table again, with its header row",
                rule="empty",
            )
        text, encoding = _decode(data, name)
        delimiter = _sniff_delimiter(text, name)
        records = _csv_records(text, delimiter, name)
        DataError.collect(_overlong_rows(records, name, delimiter))
    frame = _frame(records, name)
    frame.attrs["encoding"] = encoding
    return frame
