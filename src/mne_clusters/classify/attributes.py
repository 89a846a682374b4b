"""A cluster's attributes from its flags and the reference tables: status,
founding period, regional ranks and top-N flags, and the one rule for a flag
that is not known (:func:`flag_unknown`).

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
* Top-N flags: ``yes`` when the rank (or the worst end of its band) is
  ``<= N``; ``no`` when the best end of the band is ``> N``; otherwise
  ``unknown`` — the band straddles N, the rank cell is empty, or the region is
  absent from the ranking of that year. Absence stays ``unknown`` even when a
  ranking looks complete: the reference tables carry no statement that a
  ranking lists every region, and the rankings of the default data are known
  to be partial, so reading absence as "not in the top N" would invent a fact.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from mne_clusters.classify.settings import FoundingBin
from mne_clusters.core import vocabulary as vocab
from mne_clusters.core.errors import ConfigError, DataError, Problem

#: Ranking reference tables joined to clusters, as ``<key>_rank`` etc.
RANKINGS = ("innovation", "investment")


#: Status flags an ``unverified_fields`` entry turns into unknown.
STATUS_FLAG_COLUMNS = tuple(vocab.FLAG_COLUMNS.values())


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


def unverified_mask(clusters: pd.DataFrame, column: str) -> pd.Series:
    """Clusters whose optional ``unverified_fields`` lists ``column`` (a default, not a fact)."""
    if "unverified_fields" not in clusters.columns:
        return pd.Series(False, index=clusters.index)
    fields = clusters["unverified_fields"].astype("string").fillna("")
    return fields.map(lambda s: column in [p.strip() for p in s.split("|")]).astype(bool)


def flag_unknown(clusters: pd.DataFrame, column: str) -> pd.Series:
    """Clusters whose flag ``column`` is not known: the one rule for every flag.

    A blank flag, one named in ``unverified_fields`` (a default, not a fact),
    or one that a true ``<column>_unknown`` marks as read from a blank (e.g.
    ``is_leading``, whose blank the contract reads as false: classify keeps it
    visible in ``is_leading_unknown``).
    """
    unknown = clusters[column].astype("boolean").isna() | unverified_mask(clusters, column)
    if f"{column}_unknown" in clusters.columns:
        unknown = unknown | clusters[f"{column}_unknown"].astype("boolean").fillna(False)
    return unknown.astype(bool)


def flag_true(clusters: pd.DataFrame, column: str) -> pd.Series:
    """Clusters whose flag ``column`` is known true (see :func:`flag_unknown`)."""
    return clusters[column].astype("boolean").fillna(False).astype(bool) & ~flag_unknown(
        clusters, column
    )


def cluster_status(clusters: pd.DataFrame, precedence: Sequence[str]) -> pd.Series:
    """One status per cluster from its flags, unknown flags kept unknown.

    Parameters
    ----------
    clusters
        Frame with a boolean column ``is_<label>`` for each label; a flag is
        unknown by :func:`flag_unknown`.
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
        unknown = flag_unknown(clusters, f"is_{label}")
        true = flag_true(clusters, f"is_{label}")
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
    found: dict[object, str] = {}
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
        values = pd.Series(found, dtype=out.dtype)
        out.loc[values.index] = values
    if uncovered:
        raise ConfigError(
            "classify.founding_periods covers no bin for founding year(s) "
            + ", ".join(map(str, sorted(uncovered)))
            + ": add or widen a bin (first/last) so every year has a period"
        )
    return out


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
