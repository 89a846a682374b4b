"""Stata ``.dta`` files of the panel: column names made legal and unique for
Stata, text cut to Stata's ``strL``-free limit with a note, and a fixed
timestamp so that two runs write the same bytes.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.errors import InvalidColumnName

from mne_clusters.core import outputs

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
            cells = each_distinct(values, str, "")  # each distinct text once
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
            time_stamp=outputs.fixed_time(),
            data_label=label[:80],
            convert_strl=long_text,
        )

    with warnings.catch_warnings():
        outputs.write_with(write, path)
    return renamed, infinite


def each_distinct(values: pd.Series, func: Any, gap: Any) -> np.ndarray | None:
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
