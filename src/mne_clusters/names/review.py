"""Write names a person confirmed in ``review.csv`` back into the MNE registry.

Workflow
--------
1. Run the workflow. ``data/processed/<wave>/review.csv`` lists the relations
   whose organisation name could not be resolved with confidence, and says
   why in ``review_reason``: near misses of the fuzzy match (``near_miss``),
   names shared by two groups (``ambiguous``), a group's name found beside
   other distinctive words (``extra_words``: ``Toyota Tsusho`` — confirm it
   only if the firm really belongs to the group), names matching nothing
   (``no_match``), and foreign firms missing from the registry. Each row shows
   the best three candidates (``candidate_<i>_mne_id``, ``_name``, ``_score``).
2. Open it in a spreadsheet. For each row you can confirm, type the right
   group's ``mne_id`` into ``confirm_mne_id`` (often ``candidate_1_mne_id``);
   leave it empty when the name is not that of a registry group (add a new
   group to the registry by hand first if it should be one). Save (CSV; any
   encoding or delimiter the pipeline reads).
3. Run ``mne-clusters apply-review <review.csv> <registry file>``
   (:func:`apply_review`). Each confirmed organisation name is appended to its
   group's ``aliases`` in the registry file named in ``config.yaml``, in the
   file's own encoding, delimiter and line ends (or in place, for ``.xlsx``).
   Running it again adds nothing: a name whose matching key the group already
   has is skipped.
4. Run the workflow again: the confirmed names now match exactly, and leave
   ``review.csv``.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pandas as pd

from mne_clusters.core import outputs
from mne_clusters.core.errors import DataError, Problem
from mne_clusters.ingest.readers import read_table
from mne_clusters.names.normalise import normalise


def _decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of a registry CSV (UTF-8 with/without BOM, else cp1251)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1251"), "cp1251"


def _confirmed(review_csv: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows of the review file with a ``confirm_mne_id``, and problems found."""
    review = read_table(review_csv)
    needed = {"organisation", "confirm_mne_id"}
    missing = sorted(needed - set(review.columns))
    if missing:
        return review.iloc[:0], [
            Problem(
                file=review_csv,
                row=1,
                column=m,
                value=None,
                expected="the review.csv header written by the workflow",
                fix="keep the columns of review.csv; only fill in confirm_mne_id",
                rule="header",
            )
            for m in missing
        ]
    done = review[review["confirm_mne_id"].str.strip() != ""]
    return done.assign(confirm_mne_id=done["confirm_mne_id"].str.strip()), []


def _plan(
    confirmed: pd.DataFrame,
    ids: list[str],
    aliases: list[str],
    names: list[str],
    review_csv: str,
) -> tuple[dict[int, list[str]], list[Problem]]:
    """New aliases per registry row index, and problems (unknown id, clash)."""
    row_of = {mne_id: i for i, mne_id in enumerate(ids)}
    key_owner: dict[str, set[str]] = {}
    for mne_id, name, alias in zip(ids, names, aliases, strict=True):
        for text in [name, *alias.split("|")]:
            if text.strip() and normalise(text):
                key_owner.setdefault(normalise(text), set()).add(mne_id)
    added: dict[int, list[str]] = {}
    problems: list[Problem] = []
    for _, r in confirmed.iterrows():
        target, organisation = r["confirm_mne_id"], r["organisation"].strip()
        key = normalise(organisation)
        if target not in row_of:
            problems.append(
                Problem(
                    file=review_csv,
                    row=int(r["source_row"]),
                    column="confirm_mne_id",
                    value=target,
                    expected="an mne_id of the MNE registry",
                    fix="type an mne_id from the registry (e.g. a candidate's), or add "
                    "the group to the registry first",
                    rule="registry",
                )
            )
            continue
        owners = key_owner.get(key, set())
        if target in owners or not key:
            continue
        if owners:
            problems.append(
                Problem(
                    file=review_csv,
                    row=int(r["source_row"]),
                    column="confirm_mne_id",
                    value=target,
                    expected=f"a group other than the one(s) this name already matches "
                    f"({', '.join(sorted(owners))})",
                    fix="the name already belongs to another group's aliases: correct the "
                    "registry by hand",
                    rule="registry",
                )
            )
            continue
        key_owner[key] = {target}
        added.setdefault(row_of[target], []).append(organisation)
    return added, problems


def _joined(alias: str, new: list[str]) -> str:
    return "|".join([a for a in [alias.strip()] if a] + new)


def apply_review(review_csv: str, registry_csv: str) -> int:
    """Append confirmed organisation names to their groups' aliases.

    Parameters
    ----------
    review_csv
        A ``review.csv`` written by the workflow, with ``confirm_mne_id``
        filled in by a person where a name is confirmed.
    registry_csv
        The ``mne_registry`` file (CSV in UTF-8, UTF-8 with BOM or cp1251,
        ``,`` or ``;``; or ``.xlsx``, first sheet). It is rewritten
        atomically in its own encoding, delimiter and line ends.

    Returns
    -------
    int
        Number of aliases added (0 when everything confirmed is already there).

    Raises
    ------
    DataError
        A ``confirm_mne_id`` not in the registry, a confirmed name that already
        belongs to another group, or a name the registry's encoding cannot
        hold; nothing is written then.
    """
    confirmed, problems = _confirmed(review_csv)
    DataError.collect(problems)
    if Path(registry_csv).suffix.lower() == ".xlsx":
        return _apply_xlsx(confirmed, review_csv, registry_csv)

    data = Path(registry_csv).read_bytes()
    text, encoding = _decode(data)
    newline = "\r\n" if "\r\n" in text else "\n"
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = [h.strip() for h in records[0]]
    rows = [r + [""] * (len(header) - len(r)) for r in records[1:] if any(c.strip() for c in r)]
    if "aliases" not in header:
        header.append("aliases")
        records[0].append("aliases")
        rows = [r + [""] for r in rows]
    col_id, col_name, col_alias = (header.index(c) for c in ("mne_id", "name", "aliases"))
    added, problems = _plan(
        confirmed,
        [r[col_id].strip() for r in rows],
        [r[col_alias] for r in rows],
        [r[col_name] for r in rows],
        review_csv,
    )
    for i, new in added.items():
        rows[i][col_alias] = _joined(rows[i][col_alias], new)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerows([records[0], *rows])
    try:
        payload = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError as exc:
        problems.append(
            Problem(
                file=registry_csv,
                row=None,
                column="aliases",
                value=exc.object[exc.start : exc.end],
                expected=f"characters the file's encoding ({encoding}) can hold",
                fix="save the registry as UTF-8 and run apply-review again",
                rule="encoding",
            )
        )
    DataError.collect(problems)
    n = sum(len(v) for v in added.values())
    if n:
        outputs.write_with(lambda tmp: tmp.write_bytes(payload), registry_csv)
    return n


def _apply_xlsx(confirmed: pd.DataFrame, review_csv: str, registry_xlsx: str) -> int:
    """:func:`apply_review` for an ``.xlsx`` registry (first sheet, header row 1)."""
    from openpyxl import load_workbook

    book = load_workbook(registry_xlsx)
    sheet = book.worksheets[0]
    header = [str(c.value).strip() if c.value is not None else "" for c in sheet[1]]
    if "aliases" not in header:
        header.append("aliases")
        sheet.cell(row=1, column=len(header), value="aliases")
    col = {c: header.index(c) + 1 for c in ("mne_id", "name", "aliases")}

    def cell(r: int, c: str) -> str:
        v = sheet.cell(row=r, column=col[c]).value
        return "" if v is None else str(v)

    data_rows = [r for r in range(2, sheet.max_row + 1) if cell(r, "mne_id").strip()]
    added, problems = _plan(
        confirmed,
        [cell(r, "mne_id").strip() for r in data_rows],
        [cell(r, "aliases") for r in data_rows],
        [cell(r, "name") for r in data_rows],
        review_csv,
    )
    DataError.collect(problems)
    for i, new in added.items():
        r = data_rows[i]
        sheet.cell(row=r, column=col["aliases"], value=_joined(cell(r, "aliases"), new))
    n = sum(len(v) for v in added.values())
    if n:
        outputs.write_with(lambda tmp: book.save(os.fspath(tmp)), registry_xlsx)
    return n
