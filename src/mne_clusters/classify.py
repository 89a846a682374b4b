"""Classify relations and clusters (issue 3), and account for every input row.

Relations are resolved to MNE groups by :mod:`mne_clusters.matching`; this
module flags duplicate relations, classifies each cluster (status, founding
period, MNE presence, regional ranks and top-N flags) and builds the
reconciliation table that accounts for every row ingest read.

Decisions
---------
* Unknown is not no. A status flag that is blank, written ``unknown``, or
  named in the row's optional ``unverified_fields`` column (a default the
  researcher did not verify) is unknown (``<NA>``), never false.
* ``status`` walks ``classify.status_precedence`` (labels ``x`` naming columns
  ``is_x``): the first flag that is known true gives the status, provided
  every flag before it is known false; ``none`` only when every flag is known
  false; ``unknown`` otherwise. A true flag behind an unknown one does not
  decide: the unknown flag, if true, would take precedence (e.g. industrial
  true but innovative unknown is ``unknown``, since the cluster may be
  innovative).
* ``is_leading`` blank (``<NA>``) is false, as the input contract says; the
  blank stays visible in ``is_leading_unknown`` and its count is logged. A
  blank that the status rule would need (``leading`` in the precedence) is
  read as unknown there.
* ``founding_period`` is the label of the ``classify.founding_periods`` bin
  holding the founding year, or the whole founding range
  (``founded_year_low``..``founded_year_high``) when the input gives a range
  (inclusive ``first``/``last``, either open); ``unknown`` when the year is
  missing or the range spans two bins. A year in no bin is a configuration
  error: the bins must cover every year that occurs.
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
* Top-N flags: ``yes`` when the rank (or the worst end of its band) is
  ``<= N``; ``no`` when the best end of the band is ``> N``; otherwise
  ``unknown`` — the band straddles N, the rank cell is empty, or the region is
  absent from the ranking of that year. Absence stays ``unknown`` even when a
  ranking looks complete: the reference tables carry no statement that a
  ranking lists every region, and the rankings of the default data are known
  to be partial, so reading absence as "not in the top N" would invent a fact.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mne_clusters import config as cfgmod
from mne_clusters import outputs, provenance, schemas
from mne_clusters.chunking import match_in_chunks
from mne_clusters.errors import ConfigError, DataError, Problem
from mne_clusters.matching import normalise

log = logging.getLogger(__name__)

#: Ranking reference tables joined to clusters, as ``<key>_rank`` etc.
RANKINGS = ("innovation", "investment")

#: Values of ``classify.after_survey``: what to do with relations whose
#: sources all date after the survey year.
AFTER_SURVEY_RULES = ("keep", "exclude")

#: Status flags an ``unverified_fields`` entry turns into unknown.
STATUS_FLAG_COLUMNS = ("is_innovative", "is_industrial", "is_cdc_supported", "is_leading")

#: Values of ``mne_presence``.
PRESENCE_VALUES = ("yes", "no", "unknown")

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


@dataclass(frozen=True)
class FoundingBin:
    """One founding period: ``label`` for years in ``[first, last]``."""

    label: str
    first: int | None = None
    last: int | None = None

    def holds(self, year: int) -> bool:
        """Whether ``year`` falls in this bin."""
        return (self.first is None or year >= self.first) and (
            self.last is None or year <= self.last
        )


@dataclass(frozen=True)
class ClassifyConfig:
    """Settings of cluster classification (config section ``classify``)."""

    status_precedence: tuple[str, ...] = ("innovative", "industrial", "cdc_supported")
    founding_periods: tuple[FoundingBin, ...] = field(
        default=(FoundingBin("old", last=1998), FoundingBin("new", first=1999))
    )
    top_n: int = 15
    after_survey: str = "keep"

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> ClassifyConfig:
        """Read ``config["classify"]``, with defaults for absent keys.

        Raises
        ------
        ConfigError
            When a founding bin has no label, ``first > last``, or two bins
            overlap.
        """
        section = dict((config or {}).get("classify") or {})
        default = cls()
        bins = default.founding_periods
        if "founding_periods" in section:
            bins = []
            for i, b in enumerate(section["founding_periods"] or []):
                if not isinstance(b, Mapping) or not b.get("label"):
                    raise ConfigError(
                        f"classify.founding_periods[{i}] needs a label (e.g. "
                        "{label: old, last: 1998})"
                    )
                first = None if b.get("first") is None else int(b["first"])
                last = None if b.get("last") is None else int(b["last"])
                if first is not None and last is not None and first > last:
                    raise ConfigError(
                        f"classify.founding_periods[{i}] ({b['label']}): first {first} "
                        f"is after last {last}"
                    )
                bins.append(FoundingBin(str(b["label"]), first, last))
            bins = tuple(bins)
            lows = [(b.first if b.first is not None else -(10**9), b) for b in bins]
            lows.sort(key=lambda t: t[0])
            for (_, a), (lo_b, b) in zip(lows, lows[1:], strict=False):
                if a.last is None or a.last >= lo_b:
                    raise ConfigError(
                        f"classify.founding_periods: bins '{a.label}' and '{b.label}' overlap"
                    )
        after = str(section.get("after_survey", default.after_survey))
        if after not in AFTER_SURVEY_RULES:
            raise ConfigError(
                f"classify.after_survey is '{after}': write one of " + ", ".join(AFTER_SURVEY_RULES)
            )
        return cls(
            status_precedence=tuple(
                str(s) for s in section.get("status_precedence", default.status_precedence)
            ),
            founding_periods=bins,
            top_n=int(section.get("top_n", default.top_n)),
            after_survey=after,
        )


def unverified_as_unknown(clusters: pd.DataFrame) -> pd.DataFrame:
    """Status flags named in a row's ``unverified_fields`` set to unknown.

    ``unverified_fields`` (optional, ``|``-separated column names) lists the
    values of a row that are defaults, not sourced facts. Those of the status
    flags (:data:`STATUS_FLAG_COLUMNS`) become ``<NA>``; other columns named
    there are left as they are. Without the column the frame is returned
    with the flags as nullable booleans.
    """
    out = clusters.copy()
    flags = [c for c in STATUS_FLAG_COLUMNS if c in out.columns]
    for col in flags:
        out[col] = out[col].astype("boolean")
    if "unverified_fields" not in out.columns:
        return out
    listed = (
        out["unverified_fields"]
        .astype("string")
        .fillna("")
        .map(lambda text: {p.strip() for p in str(text).split("|") if p.strip()})
    )
    for col in flags:
        mask = listed.map(lambda names, col=col: col in names).astype(bool)
        out.loc[mask, col] = pd.NA
    return out


def cluster_status(clusters: pd.DataFrame, precedence: Sequence[str]) -> pd.Series:
    """One status per cluster from its flags, unknown flags kept unknown.

    Parameters
    ----------
    clusters
        Frame with a boolean column ``is_<label>`` for each label (``<NA>`` =
        unknown; a true ``is_<label>_unknown`` column marks a value read from
        a blank as unknown too).
    precedence
        Labels, highest first.

    Returns
    -------
    pandas.Series
        ``string`` series: the first label whose flag is known true when every
        flag before it is known false; ``none`` when every flag is known false;
        ``unknown`` otherwise.
    """
    missing = [p for p in precedence if f"is_{p}" not in clusters.columns]
    if missing:
        raise ConfigError(
            "classify.status_precedence names "
            + ", ".join(repr(m) for m in missing)
            + ": each label must match a clusters column is_<label> (innovative, "
            "industrial, cdc_supported, leading)"
        )
    status = pd.Series(pd.NA, index=clusters.index, dtype="string")
    decided = pd.Series(False, index=clusters.index)
    blocked = pd.Series(False, index=clusters.index)  # an earlier flag is unknown
    for label in precedence:
        flag = clusters[f"is_{label}"].astype("boolean")
        unknown = flag.isna()
        if f"is_{label}_unknown" in clusters.columns:
            unknown = unknown | clusters[f"is_{label}_unknown"].astype("boolean").fillna(False)
        unknown = unknown.astype(bool)
        true = flag.fillna(False).astype(bool) & ~unknown
        status = status.mask(~decided & ~blocked & true, label)
        decided = decided | (~blocked & true)
        blocked = blocked | unknown
    status = status.mask(~decided & ~blocked, "none")
    return status.fillna("unknown").astype("string")


def founding_period(
    years: pd.Series,
    bins: Sequence[FoundingBin],
    high: pd.Series | None = None,
) -> pd.Series:
    """Founding-period label of each year or year range (``unknown`` when missing).

    Parameters
    ----------
    years
        The founding year, or the low end of a founding range.
    bins
        The founding periods.
    high
        The high end of each range (``None``: ``years`` are single years). A
        range gets a period only when both ends fall in the same bin.

    Raises
    ------
    ConfigError
        When a year falls in no bin.
    """
    out = pd.Series("unknown", index=years.index, dtype="string")
    lows = years.astype("Int64")
    highs = lows if high is None else high.astype("Int64")
    uncovered: set[int] = set()
    found: dict[Any, str] = {}
    for idx, low, top in zip(years.index, lows, highs, strict=True):
        if pd.isna(low) or pd.isna(top):
            continue
        labels = []
        for year in {int(low), int(top)}:
            label = next((b.label for b in bins if b.holds(year)), None)
            if label is None:
                uncovered.add(year)
            labels.append(label)
        if len(set(labels)) == 1 and labels[0] is not None:
            found[idx] = labels[0]
    if found:  # one assignment, not one per cluster (pandas' .loc per row is slow)
        out.loc[list(found)] = list(found.values())
    if uncovered:
        raise ConfigError(
            "classify.founding_periods covers no bin for founding year(s) "
            + ", ".join(map(str, sorted(uncovered)))
            + ": add or widen a bin (first/last) so every year has a period"
        )
    return out


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
ROLE_ORDER = ("member", "partner", "unknown")


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


def top_flag(rank_low: pd.Series, rank_high: pd.Series, top_n: int) -> pd.Series:
    """``yes`` / ``no`` / ``unknown``: is the region in the top ``top_n``?

    ``yes`` when ``rank_high <= top_n`` (the whole band is inside), ``no`` when
    ``rank_low > top_n`` (the whole band is outside), else ``unknown``
    (straddling band, empty rank, or region absent from the ranking).
    """
    low, high = rank_low.astype("Int64"), rank_high.astype("Int64")
    out = pd.Series("unknown", index=rank_low.index, dtype="string")
    out = out.mask((high <= top_n).fillna(False).astype(bool), "yes")
    return out.mask((low > top_n).fillna(False).astype(bool), "no")


def ranking_columns(
    region_iso: pd.Series,
    ranking: pd.DataFrame,
    *,
    name: str,
    ranks_year: int,
    top_n: int,
    file: str = "",
) -> pd.DataFrame:
    """Rank of each region in one ranking's data year, and its top-N flag.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``region_iso``: ``<name>_rank`` (string, as written),
        ``<name>_rank_low``, ``<name>_rank_high`` (Int64), ``<name>_top``.

    Raises
    ------
    DataError
        When a region has two rows for ``ranks_year``.
    """
    year = ranking[ranking["year"].astype("Int64") == ranks_year]
    dup = year[year["region_iso"].duplicated(keep=False)]
    DataError.collect(
        Problem(
            file=file or f"{name}_rank",
            row=int(r["source_row"]) if "source_row" in dup.columns else None,
            column="region_iso",
            value=str(r["region_iso"]),
            expected=f"one row per region for data year {ranks_year}",
            fix="keep one row per region and year",
            rule="unique",
        )
        for _, r in dup.iterrows()
    )
    table = year.set_index("region_iso")
    low = region_iso.map(table["rank_low"]).astype("Int64")
    high = region_iso.map(table["rank_high"]).astype("Int64")
    return pd.DataFrame(
        {
            f"{name}_rank": region_iso.map(table["rank"].astype("string")).astype("string"),
            f"{name}_rank_low": low,
            f"{name}_rank_high": high,
            f"{name}_top": top_flag(low, high, top_n),
        },
        index=region_iso.index,
    )


def classify_clusters(
    clusters: pd.DataFrame,
    relations: pd.DataFrame,
    regions: pd.DataFrame,
    rankings: Mapping[str, pd.DataFrame],
    *,
    ranks_year: int,
    config: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Add status, founding period, MNE presence and regional ranks to clusters.

    Parameters
    ----------
    clusters
        Ingested clusters.
    relations
        Classified relations (:func:`mne_clusters.matching.match_relations`).
    regions
        The ``regions`` reference frame.
    rankings
        ``{"innovation": frame, "investment": frame}`` reference rankings.
    ranks_year
        Data year of the rankings joined.
    config
        The workflow configuration (section ``classify``).

    Returns
    -------
    pandas.DataFrame
        ``clusters`` (same rows and order) with the classified columns of the
        frame contract, plus ``is_leading_unknown``; ``is_leading`` blanks
        read as false.
    """
    settings = ClassifyConfig.from_config(config)
    leading_blank = clusters["is_leading"].astype("boolean").isna()
    if leading_blank.any():
        log.info(
            "is_leading is blank for %d of %d clusters: read as false (input contract)",
            int(leading_blank.sum()),
            len(clusters),
        )
    flags = unverified_as_unknown(clusters)
    leading_unknown = flags["is_leading"].astype("boolean").isna()
    for col in STATUS_FLAG_COLUMNS[:3]:
        n_unknown = int(flags[col].isna().sum())
        if n_unknown:
            log.info(
                "%s unknown (blank, 'unknown' or listed in unverified_fields) for %d of %d "
                "clusters: kept unknown",
                col,
                n_unknown,
                len(flags),
            )
    out = flags.assign(
        # stays pandas "boolean" (the ingested dtype), now without blanks
        is_leading=flags["is_leading"].astype("boolean").fillna(False),
        is_leading_unknown=leading_unknown.astype(bool),
    )
    low, high = _founding_bounds(out)
    out = out.assign(
        status=cluster_status(out, settings.status_precedence),
        founding_period=founding_period(low, settings.founding_periods, high),
    )
    listed = out["members_listed"] if "members_listed" in out.columns else None
    out = out.join(mne_presence(out["cluster_id"], relations, listed))
    counts = out["mne_presence"].value_counts()
    log.info(
        "MNE presence: %d yes, %d no, %d unknown (members not listed, no MNE found)",
        *(int(counts.get(v, 0)) for v in PRESENCE_VALUES),
    )
    reg = regions.set_index("region_iso")
    out = out.assign(
        region_name_en=out["region_iso"].map(reg["name_en"].astype("string")).astype("string"),
        federal_district=out["region_iso"]
        .map(reg["federal_district"].astype("string"))
        .astype("string"),
    )
    for name in RANKINGS:
        cols = ranking_columns(
            out["region_iso"],
            rankings[name],
            name=name,
            ranks_year=ranks_year,
            top_n=settings.top_n,
        )
        out = out.join(cols)
        counts = cols[f"{name}_top"].value_counts()
        log.info(
            "%s top %d (%d data): %d yes, %d no, %d unknown",
            name,
            settings.top_n,
            ranks_year,
            int(counts.get("yes", 0)),
            int(counts.get("no", 0)),
            int(counts.get("unknown", 0)),
        )
    return out


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


def run_classify(
    *,
    wave: str,
    clusters: str,
    relations: str,
    row_log: str,
    registry: str,
    regions: str,
    innovation_rank: str,
    investment_rank: str,
    ranks_year: int,
    out_clusters: str,
    out_relations: str,
    out_review: str,
    out_reconciliation: str,
    config: dict,
) -> None:
    """Classify a wave's relations and clusters and write the four outputs.

    Reads the parquet files ingest wrote, resolves relations to MNE groups
    (:func:`mne_clusters.matching.match_relations`), flags duplicates,
    classifies clusters (:func:`classify_clusters`), accounts for every row
    read (:func:`reconcile`), then writes ``clusters.parquet``,
    ``relations.parquet``, ``review.csv`` and ``tables/reconciliation.csv``
    (with its provenance sidecar).

    Raises
    ------
    DataError
        Unknown explicit ``mne_id``, a relation to a cluster the wave lacks, a
        ranking with two rows for a region and year, or a row unaccounted for.
    ConfigError
        Invalid ``classify`` settings.
    """
    c_in = pd.read_parquet(clusters)
    r_in = pd.read_parquet(relations)
    rl = pd.read_parquet(row_log)
    reg = pd.read_parquet(registry)
    rel_file = _file_of(rl, "relations")
    DataError.collect(_relation_problems(c_in, r_in, rel_file))
    # in chunks of scale.chunk_rows relations (same result as one piece; bounded memory)
    r_out, review = match_in_chunks(r_in, reg, config, file=rel_file)
    settings = ClassifyConfig.from_config(config)
    r_out, rl = apply_after_survey(
        r_out, rl, survey_year=cfgmod.survey_year(config, wave), rule=settings.after_survey
    )
    r_out = flag_duplicates(r_out)
    rankings = {
        "innovation": pd.read_parquet(innovation_rank),
        "investment": pd.read_parquet(investment_rank),
    }
    if wave in (config.get("waves") or {}):
        # A ranks_year no ranking holds turns every rank into unknown: say so loudly.
        years = {f"{k}_rank": v["year"].dropna().tolist() for k, v in rankings.items()}
        for warning in cfgmod.check_ranks_year(config, wave, years):
            log.warning("%s", warning)
    c_out = classify_clusters(
        c_in,
        r_out,
        pd.read_parquet(regions),
        rankings,
        ranks_year=ranks_year,
        config=config,
    )
    recon = reconcile(rl, c_out, r_out)
    # the processed frames' contract (a failure here is a bug, not a data error)
    schemas.ClassifiedClusters.validate(c_out, lazy=True)
    schemas.ClassifiedRelations.validate(r_out, lazy=True)
    n_dup = int(r_out["is_duplicate"].sum())
    log.info(
        "wave %s: %d clusters, %d relations (%d MNE, %d duplicates counted once), "
        "%d names to review",
        wave,
        len(c_out),
        len(r_out),
        int(r_out["is_mne"].sum()),
        n_dup,
        len(review),
    )
    outputs.write_parquet(
        c_out.sort_values("cluster_id", kind="stable").reset_index(drop=True), out_clusters
    )
    outputs.write_parquet(
        r_out.sort_values("source_row", kind="stable").reset_index(drop=True), out_relations
    )
    outputs.write_csv(review, out_review)
    inputs = [clusters, relations, row_log, registry]
    outputs.write_csv(
        recon,
        out_reconciliation,
        provenance=provenance.record(
            wave=wave,
            inputs=inputs,
            config=config,
            description=(
                "Every input row of the wave's clusters and relations tables: kept, "
                "merged as a duplicate (counted once) or excluded, with the reason."
            ),
            extra={
                "counts": {
                    **{
                        f"{t}:{o}": int(n)
                        for (t, o), n in recon.groupby(["table", "outcome"]).size().items()
                    },
                    "relations:after_survey": int(
                        recon["reason"].astype("string").str.startswith("after_survey").sum()
                    ),
                }
            },
        ),
    )
    log.info("wrote %s, %s, %s, %s", out_clusters, out_relations, out_review, out_reconciliation)


def _file_of(row_log: pd.DataFrame, table: str) -> str:
    """The input file of ``table`` as the row log names it."""
    files = row_log.loc[row_log["table"] == table, "file"]
    return str(files.iloc[0]) if len(files) else table
