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

A panel table whose inputs did not change since it was last written (one
wave's edit leaves the other tables as they were) is not stacked again: its
``.parquet`` and ``.dta`` are copied from the output cache
(:mod:`mne_clusters.core.cache`, :func:`_typed_files`).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mne_clusters.core import cache, catalogue, outputs, provenance
from mne_clusters.core.fingerprint import closure_fingerprint

if TYPE_CHECKING:
    pass
from mne_clusters.waves.stata import each_distinct, write_stata
from mne_clusters.waves.workbook import (
    NOTES_SHEET,
    left_out_note,
    sheet_names,
    write_xlsx,
    xlsx_max_rows,
)

log = logging.getLogger(__name__)


#: Leading columns of every panel table.
KEYS = ("wave", "wave_year")


#: The panel workbook's file name.
WORKBOOK = "panel.xlsx"


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


def read_table_text(path: str | os.PathLike[str]) -> pd.DataFrame:
    """A table a wave wrote as CSV, every cell as text (``<NA>`` for an empty cell)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    df = df.astype(object)
    for column in df.columns:  # each distinct text once: tables of 10^6 rows repeat their text
        cells = each_distinct(df[column], unguard, np.nan)
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


def _stacked_description(name: str) -> str:
    """The provenance sentence of the stacked table ``name`` (the catalogue's)."""
    try:
        return catalogue.table(name, scope="panel").description
    except KeyError:  # a table the catalogue does not list: the same sentence
        return f"The study table {name} of every wave, stacked (see the per-wave table)."


def _typed_files(
    name: str, build: Callable[[], pd.DataFrame], out: Path, parts: Mapping[str, Any]
) -> tuple[pd.DataFrame, tuple[dict[str, str], list[str]]]:
    """The stacked table ``name`` with its ``.parquet`` and ``.dta`` written: built by
    ``build`` and written, or - when ``parts`` (its inputs' bytes, the waves,
    settings, code and library versions) are as when it was last built - copied
    from the output cache (:mod:`mne_clusters.core.cache`). Either way the frame
    returned is read back from the parquet file, so the CSV and the workbook
    written from it are the same bytes whether it was built or copied.

    Returns the frame and what the Stata writer renamed and wrote as missing.
    """
    parquet, dta = out / f"{name}.parquet", out / f"{name}.dta"
    with tempfile.TemporaryDirectory() as tmp:
        info = Path(tmp) / "stata.json"

        def make() -> None:
            frame = build()
            renamed, infinite = write_stata(frame, dta, label=f"mne-clusters {name}")
            outputs.write_parquet(frame, parquet)
            info.write_text(json.dumps({"renamed": renamed, "infinite": infinite}), "utf-8")

        cache.produce(f"panel/{name}", parts, [parquet, dta, info], make, label=f"{parquet}, {dta}")
        written = json.loads(info.read_text(encoding="utf-8"))
    return pd.read_parquet(parquet), (written["renamed"], written["infinite"])


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

    out = Path(out_dir)
    code = closure_fingerprint("waves.panel")

    def of_waves(paths: Sequence[str]) -> Any:
        return zip(waves, years, paths, strict=True)

    builds: dict[str, tuple[Callable[[], pd.DataFrame], list[str], str]] = {
        "clusters_panel": (
            lambda: stack_frames([(w, y, pd.read_parquet(p)) for w, y, p in of_waves(clusters)]),
            clusters,
            catalogue.table("clusters_panel", scope="panel").description,
        ),
        "relations_panel": (
            lambda: stack_frames([(w, y, pd.read_parquet(p)) for w, y, p in of_waves(relations)]),
            relations,
            catalogue.table("relations_panel", scope="panel").description,
        ),
    }
    for name, paths in tables.items():
        builds[name] = (
            functools.partial(
                lambda ps: stack_tables([(w, y, read_table_text(p)) for w, y, p in of_waves(ps)]),
                paths,
            ),
            paths,
            _stacked_description(name),
        )
    panels: dict[str, tuple[pd.DataFrame, list[str], str]] = {}
    stata: dict[str, tuple[dict[str, str], list[str]]] = {}
    for name, (build, inputs, description) in builds.items():
        parts = {
            "panel": name,
            "inputs": [provenance.sha256_file(p) for p in inputs],
            "waves": waves,
            "years": years,
            "settings": dict(config),
            "code": code,
            "libraries": cache.library_versions(("pandas", "numpy", "pyarrow")),
        }
        frame, stata[name] = _typed_files(name, build, out, parts)
        panels[name] = (frame, inputs, description)

    max_rows = xlsx_max_rows(config)
    left_out = {name: len(frame) for name, (frame, _, _) in panels.items() if len(frame) > max_rows}
    sheets = sheet_names(list(panels) + ([NOTES_SHEET] if left_out else []))
    renamed_all: dict[str, dict[str, str]] = {}
    for name, (frame, inputs, description) in panels.items():
        renamed, infinite = stata[name]
        if renamed:
            renamed_all[name] = renamed
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
