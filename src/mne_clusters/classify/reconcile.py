"""The reconciliation table: every row ingest read, accounted for (kept,
excluded with a reason, or duplicate), so that nothing is lost silently.
"""

from __future__ import annotations

import pandas as pd

from mne_clusters.core.errors import DataError, Problem

#: Outcomes of the reconciliation table.
OUTCOMES = ("kept", "merged_duplicate", "excluded")


RECONCILIATION_COLUMNS = (
    "table",
    "file",
    "source_row",
    "cluster_id",
    "organisation",
    "outcome",
    "reason",
)


def _founding_bounds(clusters: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Low and high founding year of each cluster (a year is its own range).

    Frames from before founding ranges (no ``founded_year_low``/``_high``)
    use ``founded_year`` for both ends.
    """
    year = clusters["founded_year"].astype("Int64")
    if "founded_year_low" not in clusters.columns:
        return year, year
    low = clusters["founded_year_low"].astype("Int64").fillna(year)
    high = clusters["founded_year_high"].astype("Int64").fillna(year)
    return low.astype("Int64"), high.astype("Int64")


def _relation_problems(clusters: pd.DataFrame, relations: pd.DataFrame, file: str) -> list[Problem]:
    """Relations naming a cluster the wave does not have."""
    orphan = relations[~relations["cluster_id"].isin(set(clusters["cluster_id"]))]
    return [
        Problem(
            file=file,
            row=int(r["source_row"]),
            column="cluster_id",
            value=str(r["cluster_id"]),
            expected="a cluster_id of the same wave's clusters table",
            fix="correct the cluster_id or add the cluster",
            rule="reference",
        )
        for _, r in orphan.iterrows()
    ]


def reconcile(
    row_log: pd.DataFrame, clusters: pd.DataFrame, relations: pd.DataFrame
) -> pd.DataFrame:
    """Account for every input row: kept, merged as a duplicate, or excluded.

    Parameters
    ----------
    row_log
        Ingest's row log (``table``, ``file``, ``source_row``, ``outcome``,
        ``reason``; ``cluster_id``/``organisation`` used when present).
    clusters, relations
        Classified clusters and relations (relations with ``is_duplicate``,
        ``duplicate_of_row``, ``mne_id``).

    Returns
    -------
    pandas.DataFrame
        :data:`RECONCILIATION_COLUMNS`, one row per row of ``row_log``, sorted
        by table and row.

    Raises
    ------
    DataError
        When a row is logged twice, a kept row is missing from its table, a
        table row is missing from the log, or an outcome is not kept/excluded.
    """
    log_file = "ingest row log"
    problems: list[Problem] = []
    rl = row_log.assign(source_row=row_log["source_row"].astype("Int64"))

    def log_problem(r: pd.Series, file: str, column: str | None, expected: str) -> Problem:
        """A row-log entry that breaks the bookkeeping (always a bug upstream)."""
        return Problem(
            file=file,
            row=int(r["source_row"]),
            column=column,
            value=None if column is None else str(r[column]),
            expected=expected,
            fix="a bug in ingest: report it",
            rule="reconciliation",
        )

    for _, r in rl[rl.duplicated(["table", "source_row"], keep="first")].iterrows():
        problems.append(
            log_problem(r, str(r["file"]), None, f"one row-log entry per row of table {r['table']}")
        )
    for _, r in rl[~rl["outcome"].isin(["kept", "excluded"])].iterrows():
        problems.append(log_problem(r, log_file, "outcome", "kept or excluded"))
    frames = {"clusters": clusters, "relations": relations}
    parts = []
    for table, frame in frames.items():
        logged = rl[rl["table"] == table]
        kept_rows = set(logged.loc[logged["outcome"] == "kept", "source_row"].astype(int))
        frame_rows = set(frame["source_row"].astype(int))
        file = str(logged["file"].iloc[0]) if len(logged) else table
        gaps = [
            (row, f"the row, logged as kept, in the ingested {table} table", "a row was lost")
            for row in sorted(kept_rows - frame_rows)
        ] + [
            (row, f"a 'kept' entry in the row log for this {table} row", "a row is unaccounted for")
            for row in sorted(frame_rows - kept_rows)
        ]
        problems += [
            Problem(
                file=file,
                row=row,
                column=None,
                value=None,
                expected=expected,
                fix=f"rerun ingest; if it persists, report it ({what})",
                rule="reconciliation",
            )
            for row, expected, what in gaps
        ]
        info = frame.set_index(frame["source_row"].astype(int))
        rows = logged["source_row"].astype(int)
        kept = (logged["outcome"] == "kept").to_numpy()
        cluster_id = rows.map(info["cluster_id"].astype("string")).astype("string")
        if "cluster_id" in logged.columns:
            cluster_id = cluster_id.fillna(logged["cluster_id"].astype("string"))
        organisation = pd.Series(pd.NA, index=logged.index, dtype="string")
        if table == "relations":
            organisation = rows.map(info["organisation"].astype("string")).astype("string")
        if "organisation" in logged.columns:
            organisation = organisation.fillna(logged["organisation"].astype("string"))
        outcome = logged["outcome"].astype("string")
        reason = logged["reason"].astype("string") if "reason" in logged else pd.NA
        reason = pd.Series(reason, index=logged.index, dtype="string")
        if table == "relations" and len(info):
            is_dup = rows.map(info["is_duplicate"]).fillna(False).astype(bool) & kept
            dup_of = rows.map(info["duplicate_of_row"]).astype("Int64")
            group = rows.map(info["mne_id"].astype("string")).astype("string")
            dup_reason = (
                "same cluster and MNE group ("
                + group.fillna(organisation.fillna(""))
                + ") as row "
                + dup_of.astype("string")
                + "; counted once"
            )
            outcome = outcome.mask(is_dup, "merged_duplicate")
            reason = reason.mask(is_dup, dup_reason)
        parts.append(
            pd.DataFrame(
                {
                    "table": table,
                    "file": logged["file"].astype("string"),
                    "source_row": logged["source_row"],
                    "cluster_id": cluster_id,
                    "organisation": organisation,
                    "outcome": outcome,
                    "reason": reason,
                }
            )
        )
    other = rl[~rl["table"].isin(list(frames))]
    for _, r in other.iterrows():
        problems.append(log_problem(r, log_file, "table", "clusters or relations"))
    DataError.collect(problems)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    out = out.astype({"table": "string", "source_row": "Int64"})
    return out.sort_values(["table", "source_row"], kind="stable").reset_index(drop=True)[
        list(RECONCILIATION_COLUMNS)
    ]
