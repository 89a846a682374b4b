"""Writing outputs: atomically, deterministically, with provenance.

Every writer here writes to a temporary file in the target folder and renames it
into place, so an interrupted or failed step never leaves a half-written output
behind. Bytes are deterministic: rows and columns are written in the order
given (callers sort explicitly), floats in a fixed format, no timestamps.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

# One way to put a file in place, for every writer here, the output cache and the
# workflow's job specs (a module of its own: those must not import pandas).
from mne_clusters.core.atomic import atomic_path as atomic_path

#: Characters that make a spreadsheet program read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@")


def write_parquet(df: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write ``df`` as parquet, atomically, without the pandas index."""
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False, engine="pyarrow", compression="zstd")


def _guard_formula(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe.

    A number such as ``-3`` stays a number; only strings are guarded, so that
    ``=HYPERLINK(...)`` in a researcher's note is shown as text when a table is
    opened in Excel or LibreOffice (OWASP "CSV injection").
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def safe_for_spreadsheet(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``df`` whose text cells cannot be read as formulas."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = _guard_column(out[col])
    return out


def _guard_column(values: pd.Series) -> pd.Series:
    """:func:`_guard_formula` of a text column, decided once per distinct value.

    Only the cells that need an apostrophe are replaced (a wave of 10^6
    relations repeats its names: one call per cell took seconds per column).
    A column holding anything but text is guarded cell by cell.
    """
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # unhashable cells
        return values.map(_guard_formula, na_action="ignore")
    distinct = list(uniques)
    if not all(isinstance(u, str) for u in distinct):
        return values.map(_guard_formula, na_action="ignore")
    guarded = [_guard_formula(u) for u in distinct]
    changed = np.array([g is not u for g, u in zip(guarded, distinct, strict=True)], dtype=bool)
    if not changed.any():
        return values
    hit = (codes >= 0) & changed[np.maximum(codes, 0)]
    replacement = np.array(guarded, dtype=object)[np.maximum(codes, 0)]
    return values.mask(hit, pd.Series(replacement, index=values.index))


def write_csv(
    df: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    provenance: Mapping[str, Any] | None = None,
) -> None:
    """Write a tidy table as UTF-8 CSV (``\\n`` line ends), atomically.

    Text cells are guarded against formula injection. When ``provenance`` is
    given, it is written beside the table as ``<path>.meta.json``; when it
    names a wave (a table of one wave), the table gains a leading ``wave``
    column holding that wave id, so that tables of several waves stack into a
    long panel as they are (see :mod:`mne_clusters.waves.panel`).
    """
    wave = (provenance or {}).get("wave")
    if wave is not None:
        df = with_wave_column(df, str(wave))
    with atomic_path(path) as tmp:
        safe_for_spreadsheet(df).to_csv(
            tmp, index=False, encoding="utf-8", lineterminator="\n", float_format="%.6g"
        )
    if provenance is not None:
        write_json(dict(provenance), f"{os.fspath(path)}.meta.json")


def with_wave_column(df: pd.DataFrame, wave: str) -> pd.DataFrame:
    """``df`` with a leading text column ``wave`` (replaced if it is there already)."""
    out = df.drop(columns="wave") if "wave" in df.columns else df.copy()
    # pandas-stubs leave ExtensionArray out of insert's value (pandas takes any array-like).
    out.insert(0, "wave", pd.array([wave] * len(out), dtype="string"))  # type: ignore[arg-type]
    return out


def write_json(data: Mapping[str, Any], path: str | os.PathLike[str]) -> None:
    """Write ``data`` as indented, key-sorted JSON, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(
            json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n",
            encoding="utf-8",
        )


def write_text(text: str, path: str | os.PathLike[str]) -> None:
    """Write ``text`` (UTF-8), atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_with(writer: Callable[[Path], object], path: str | os.PathLike[str]) -> None:
    """Call ``writer(tmp_path)`` and move the result onto ``path`` atomically.

    For writers this module does not know (figures, geodata): the writer must
    write exactly the file it is given.
    """
    with atomic_path(path) as tmp:
        writer(tmp)


def fixed_time() -> datetime:
    """The fixed time written into file headers (Stata, xlsx): ``SOURCE_DATE_EPOCH``,
    or 1 Jan 1980, so that reruns give the same bytes."""
    seconds = os.environ.get("SOURCE_DATE_EPOCH")
    if seconds and seconds.isdigit():
        return datetime.fromtimestamp(int(seconds), tz=UTC).replace(tzinfo=None)
    return datetime(1980, 1, 1)
