"""MNE presence: which relations tie a cluster to an MNE group, duplicates,
relations dated after the survey, and each cluster's presence yes/no/unknown.

Decisions
---------
* ``mne_presence``: ``yes`` when a relation ties the cluster to an MNE;
  ``no`` when its members are listed (``members_listed`` true; an input
  without that column lists them all) and none is an MNE; ``unknown`` when
  they are not listed (false or blank) and no MNE was found. ``has_mne`` is
  the same as a nullable boolean (``<NA>`` = unknown). ``has_mne_member``,
  ``has_mne_partner``, ``has_mne_unknown_role`` and the counts say what was
  *found*; false there is "none recorded", not "none".
* A relation is a duplicate when an earlier row (by spreadsheet row) ties the
  same cluster to the same MNE group; it is flagged, not dropped, and counted
  once. Groups are registry ``mne_id``; a foreign MNE missing from the
  registry is its normalised name.
* A relation whose sources all date after the wave's survey year is flagged
  ``after_survey`` (dates from the optional ``year_seen`` column, else from
  dates in the ``source`` text); ``classify.after_survey`` (``keep``, the
  default, or ``exclude``) decides for all of them. Excluded rows leave the
  classified relations and show in the reconciliation as ``excluded``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import numpy as np
import pandas as pd

from mne_clusters.core import vocabulary as vocab
from mne_clusters.names.normalise import normalise

log = logging.getLogger(__name__)


#: Values of ``classify.after_survey``: what to do with relations whose
#: sources all date after the survey year.
AFTER_SURVEY_RULES = ("keep", "exclude")


#: Values of ``mne_presence``.
PRESENCE_VALUES = vocab.PRESENCE


def group_key(relations: pd.DataFrame) -> pd.Series:
    """The MNE group a relation counts for: ``mne_id``, or ``name:<key>``.

    ``<NA>`` for relations that are not MNEs.
    """
    names = relations["organisation"].astype("string")
    # Normalised once per distinct name (a wave repeats names heavily), not per row.
    codes, uniques = pd.factorize(names, use_na_sentinel=True)
    normalised = np.array([normalise(u) for u in uniques] + [pd.NA], dtype=object)
    by_name = "name:" + pd.Series(normalised[codes], index=relations.index, dtype="string")
    key = relations["mne_id"].astype("string").fillna(by_name.astype("string"))
    return key.where(relations["is_mne"].astype(bool)).astype("string")


def flag_duplicates(relations: pd.DataFrame) -> pd.DataFrame:
    """Flag relations tying a cluster to a group an earlier row already ties.

    Returns
    -------
    pandas.DataFrame
        ``relations`` with ``is_duplicate`` (bool) and ``duplicate_of_row``
        (Int64: the ``source_row`` of the first such row), same row order.
    """
    key = group_key(relations)
    order = relations.assign(_key=key).sort_values("source_row", kind="stable")
    has = order["_key"].notna()
    dup = order.duplicated(["cluster_id", "_key"], keep="first") & has
    first_row = order.groupby(["cluster_id", "_key"], dropna=True)["source_row"].transform("min")
    return relations.assign(
        is_duplicate=dup.reindex(relations.index).astype(bool),
        duplicate_of_row=first_row.where(dup).reindex(relations.index).astype("Int64"),
    )


#: Roles from the most to the least specific: a group tied to a cluster by
#: several rows takes the most specific role any of them states.
ROLE_ORDER = vocab.ROLES


def mne_pairs(relations: pd.DataFrame) -> pd.DataFrame:
    """One row per (cluster, MNE group): the cluster's MNE relations counted once.

    Several rows may tie a cluster to one group (a subsidiary and its parent,
    a plant under two names). The pair keeps the columns of its first row
    (lowest ``source_row``), except that ``relation`` is the most specific
    role any of its rows states (:data:`ROLE_ORDER`) and ``entry_year`` the
    earliest year any of them gives. Groups outside the registry count by
    their normalised name (:func:`group_key`), so two unregistered firms in a
    cluster stay two pairs.

    Parameters
    ----------
    relations
        Classified relations (``cluster_id``, ``organisation``, ``mne_id``,
        ``is_mne``, ``relation``, ``entry_year``, ``source_row``).

    Returns
    -------
    pandas.DataFrame
        The first row of each pair with ``relation`` and ``entry_year`` as
        above and ``group`` (the group key), in input row order.
    """
    mne = relations.loc[relations["is_mne"].astype(bool)].assign(group=group_key(relations))
    keys = ["cluster_id", "group"]
    rank = mne["relation"].astype("string").map({r: i for i, r in enumerate(ROLE_ORDER)})
    mne = mne.assign(_rank=rank.fillna(len(ROLE_ORDER)).astype("int64"))
    best = mne.groupby(keys)["_rank"].transform("min")
    earliest = mne.groupby(keys)["entry_year"].transform("min")
    first = ~mne.sort_values("source_row", kind="stable").duplicated(keys, keep="first")
    role_of_rank = np.array([*ROLE_ORDER, pd.NA], dtype=object)  # rank len(ROLE_ORDER): none
    roles = pd.Series(role_of_rank[best.to_numpy(dtype="int64")], index=best.index)
    out = mne.assign(
        relation=roles.astype(mne["relation"].dtype),
        entry_year=earliest.astype("Int64"),
    )
    return out.loc[first.reindex(out.index)].drop(columns="_rank")


def mne_presence(
    cluster_ids: pd.Series,
    relations: pd.DataFrame,
    members_listed: pd.Series | None = None,
) -> pd.DataFrame:
    """MNE presence of each cluster (yes/no/unknown), flags and counts.

    Parameters
    ----------
    cluster_ids
        The clusters, one id each.
    relations
        Classified relations (``is_mne``, ``is_foreign``, ``relation``,
        ``mne_id``, ``organisation``, ``cluster_id``).
    members_listed
        Whether the relations list each cluster's members (nullable boolean,
        indexed like ``cluster_ids``; ``<NA>`` = not known to be listed).
        ``None``: every cluster's members are listed (a full survey).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``cluster_ids``: ``mne_presence`` (``yes``: an MNE
        relation; ``no``: members listed, none an MNE; ``unknown``: not
        listed and none found), ``has_mne`` (nullable boolean, ``<NA>`` where
        unknown), ``has_mne_member``, ``has_mne_partner``,
        ``has_mne_unknown_role`` (bool: such a relation was found),
        ``n_mne_relations`` (distinct groups) and ``n_foreign_groups``
        (distinct foreign groups) (int).
    """
    mne = relations[relations["is_mne"].astype(bool)].assign(_group=group_key(relations))

    def any_role(role: str | None) -> pd.Series:
        rows = mne if role is None else mne[mne["relation"] == role]
        return cluster_ids.isin(set(rows["cluster_id"])).astype(bool)

    def n_groups(rows: pd.DataFrame) -> pd.Series:
        counts = rows.groupby("cluster_id")["_group"].nunique()
        return cluster_ids.map(counts).fillna(0).astype("int64")

    found = any_role(None)
    if members_listed is None:
        listed = pd.Series(True, index=cluster_ids.index)
    else:
        listed = members_listed.astype("boolean").fillna(False).astype(bool)
    presence = pd.Series(
        np.where(found, "yes", np.where(listed, "no", "unknown")),
        index=cluster_ids.index,
        dtype="string",
    )
    has = pd.Series(pd.NA, index=cluster_ids.index, dtype="boolean")
    has = has.mask(presence == "yes", True).mask(presence == "no", False)
    return pd.DataFrame(
        {
            "mne_presence": presence,
            "has_mne": has.astype("boolean"),
            "has_mne_member": any_role("member"),
            "has_mne_partner": any_role("partner"),
            "has_mne_unknown_role": any_role("unknown"),
            "n_mne_relations": n_groups(mne),
            "n_foreign_groups": n_groups(mne[mne["is_foreign"].astype(bool)]),
        },
        index=cluster_ids.index,
    )


#: Dates a source text may carry: a URL path ``/2020/06/``, ``13.09.2016``,
#: ``2016-09-13``. A bare four-digit number is not read as a year (page ids).
_SOURCE_DATES = (
    re.compile(r"/((?:19|20)[0-9]{2})/(?:0?[1-9]|1[0-2])(?:/|$)"),
    re.compile(r"(?<![0-9])[0-3]?[0-9]\.[01]?[0-9]\.((?:19|20)[0-9]{2})(?![0-9])"),
    re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})-[01][0-9]-[0-3][0-9](?![0-9])"),
)


def source_years(text: Any) -> list[int | None]:
    """The year of each ``|``-separated source in ``text`` (``None``: undated).

    A source's year is the first date found in it (:data:`_SOURCE_DATES`).
    """
    if not isinstance(text, str) or not text.strip():
        return []
    years: list[int | None] = []
    for part in (p.strip() for p in text.split("|")):
        if not part:
            continue
        found = [(m.start(), int(m.group(1))) for rx in _SOURCE_DATES for m in rx.finditer(part)]
        years.append(min(found)[1] if found else None)
    return years


def after_survey(relations: pd.DataFrame, survey_year: int | None) -> pd.Series:
    """Relations whose sources all date after ``survey_year`` (bool).

    The date of a relation's evidence is its ``year_seen`` cell when the
    relations carry that optional column and the cell holds a year; else the
    dates in its ``source`` text (:func:`source_years`). A relation is after
    the survey only when every source is dated and every date is later than
    ``survey_year``; an undated source, or no source, leaves it unflagged.
    ``survey_year`` ``None``: nothing is flagged.
    """
    flags = pd.Series(False, index=relations.index)
    if survey_year is None or len(relations) == 0:
        return flags
    seen = (
        relations["year_seen"].astype("string")
        if "year_seen" in relations.columns
        else pd.Series(pd.NA, index=relations.index, dtype="string")
    )
    source = (
        relations["source"].astype("string")
        if "source" in relations.columns
        else pd.Series(pd.NA, index=relations.index, dtype="string")
    )
    decided: dict[tuple[Any, Any], bool] = {}  # one decision per distinct (year_seen, source)
    values = []
    for cell, text in zip(seen.tolist(), source.tolist(), strict=True):
        key = (cell, text)
        if key not in decided:
            cell = "" if pd.isna(cell) else str(cell).strip()
            if re.fullmatch(r"(19|20)[0-9]{2}", cell):
                years: list[int | None] = [int(cell)]
            else:
                years = source_years(None if pd.isna(text) else str(text))
            decided[key] = bool(years) and all(y is not None and y > survey_year for y in years)
        values.append(decided[key])
    return pd.Series(values, index=relations.index, dtype=bool)


def apply_after_survey(
    relations: pd.DataFrame, row_log: pd.DataFrame, *, survey_year: int | None, rule: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Flag relations dated after the survey and keep or exclude them (one rule).

    Returns
    -------
    relations, row_log
        ``relations`` with ``after_survey`` (bool), without the flagged rows
        when ``rule`` is ``exclude``; the row log with those rows' reason (and,
        when excluded, outcome ``excluded``).
    """
    flag = after_survey(relations, survey_year)
    out = relations.assign(after_survey=flag.astype(bool))
    rows = set(out.loc[flag, "source_row"].astype(int))
    rl = row_log.copy()
    if not rows:
        return out, rl
    hit = (rl["table"] == "relations") & rl["source_row"].astype("Int64").isin(rows)
    what = f"every source dated after the {survey_year} survey year"
    if rule == "exclude":
        rl.loc[hit, "outcome"] = "excluded"
        rl.loc[hit, "reason"] = f"after_survey: {what} (classify.after_survey: exclude)"
        out = out.loc[~flag].reset_index(drop=True)
    else:
        rl.loc[hit, "reason"] = f"after_survey: {what} (classify.after_survey: keep)"
    log.info(
        "%d relation(s) with every source dated after %s: %s (classify.after_survey)",
        len(rows),
        survey_year,
        "excluded" if rule == "exclude" else "kept",
    )
    return out, rl


def presence_of(clusters: pd.DataFrame) -> pd.Series:
    """A classified cluster's MNE presence as text: ``yes`` / ``no`` / ``unknown``.

    The one reader of presence for the analysis. Read from ``mne_presence``; a
    frame classified before that column existed (a saved parquet of an older
    version) gives it from ``has_mne`` (``<NA>`` = unknown).
    """
    if "mne_presence" in clusters.columns:
        return clusters["mne_presence"].astype("string").fillna(vocab.UNKNOWN).astype(str)
    has = clusters["has_mne"].astype("boolean")
    out = np.where(has.isna(), vocab.UNKNOWN, np.where(has.fillna(False), "yes", "no"))
    return pd.Series(out, index=clusters.index, dtype=str)


def presence_flag(clusters: pd.DataFrame) -> pd.Series:
    """:func:`presence_of` as a nullable boolean: ``yes`` true, ``no`` false, else ``<NA>``."""
    text = presence_of(clusters)
    out = pd.Series(pd.NA, index=clusters.index, dtype="boolean")
    return out.mask(text == "yes", True).mask(text == "no", False).astype("boolean")
