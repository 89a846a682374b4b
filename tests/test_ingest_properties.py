"""Property-based tests: any table of strings is either ingested or refused with a DataError."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mne_clusters.core.errors import DataError
from mne_clusters.ingest import schemas
from mne_clusters.ingest.cells import parse_integer
from mne_clusters.ingest.check import check_table
from mne_clusters.ingest.readers import read_table

TABLES = list(schemas.INPUT_MODELS)
CONTRACT_NAMES = sorted({c for t in TABLES for c in schemas.file_columns(t)})

# Cells likely to hit the parsers' edges: contract spellings, numbers with
# separators, Cyrillic, quotes, delimiters and line breaks.
EDGE_CELLS = st.sampled_from(
    ["", " ", "true", "ДА", "нет", "0", "-1", "1 500", "1\u00a0500", "12.5", "2019", "1899",
     "4-10", "10-4", "RU-KLU", "RU-TA", "DE", "de", "member", "партнёр", "pharma_biotech",
     "medium", "«Бош»", '"', ";", ",", "a\nb", "x"]
)  # fmt: skip
CELLS = st.one_of(EDGE_CELLS, st.text(max_size=12))
NAMES = st.one_of(st.sampled_from(CONTRACT_NAMES), st.text(min_size=0, max_size=8))


@st.composite
def string_tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    header = draw(st.lists(NAMES, min_size=1, max_size=8))
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=len(header) + 1), max_size=5))
    return header, rows


@settings(max_examples=1000, deadline=None)
@given(table=st.sampled_from(TABLES), data=string_tables(), year=st.integers(1890, 2030))
def test_any_string_frame_is_typed_or_reported_never_crashes(table, data, year):
    header, rows = data
    names = list(dict.fromkeys(h.strip() for h in header if h.strip() and h != "source_row"))
    frame = pd.DataFrame(
        {
            n: pd.array([(r[i] if i < len(r) else "").strip() for r in rows], dtype="string")
            for i, n in enumerate(names)
        }  # fmt: skip
    )
    frame["source_row"] = pd.array(range(2, len(rows) + 2), dtype="Int64")
    before = frame.copy()
    typed, blank, problems = check_table(
        table, frame, file="t.csv", wave_year=year, region_codes={"RU-KLU", "RU-TA"}
    )
    pd.testing.assert_frame_equal(frame, before)
    assert len(blank) == len(frame)
    if not problems:
        schemas.INPUT_MODELS[table].validate(typed)
        assert len(typed) == int((~blank).sum())


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # fmt: skip
@given(
    table=st.sampled_from(TABLES),
    data=string_tables(),
    delimiter=st.sampled_from([",", ";"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]),
)
def test_any_csv_file_is_read_and_checked_or_refused_with_data_error(
    table, data, delimiter, encoding
):
    header, rows = data
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    try:
        payload = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        payload = buffer.getvalue().encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(payload)
        try:
            raw = read_table(path, display_name="t.csv")
        except DataError:
            return
        check_table(table, raw, file="t.csv", wave_year=2019, region_codes={"RU-KLU"})


@settings(max_examples=500, deadline=None)
@given(n=st.integers(-(10**12), 10**12), sep=st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_integers_grouped_in_threes_parse_back(n, sep):
    digits = f"{abs(n):,}".replace(",", sep)
    assert parse_integer(("-" if n < 0 else "") + digits) == n


@settings(max_examples=300, deadline=None)
@given(low=st.integers(1, 500), width=st.integers(0, 100))
def test_ordered_bands_parse_to_their_bounds(low, width):
    assert schemas.parse_rank(f"{low}-{low + width}") == (low, low + width)
