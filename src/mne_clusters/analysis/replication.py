"""Replication of the 2019 slides: each published figure beside the value the
wave reproduces, with a status (``match`` / ``differs`` / ``not in data``) and
a note that says why a count may fall short (flags not known, defaults not
verified). The recipes (:data:`REPRODUCTIONS`) say how each published figure
is recomputed; :func:`check_published` checks the published-figures file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from mne_clusters.analysis.context import _host_regions
from mne_clusters.analysis.exhibits import UNKNOWN, _text_or_unknown
from mne_clusters.classify.attributes import flag_true, flag_unknown, unverified_mask
from mne_clusters.classify.presence import presence_of
from mne_clusters.core import vocabulary as vocab
from mne_clusters.core.errors import DataError, Problem

# --------------------------------------------------------------------------- replication

#: Columns the published-figures file must have.
PUBLISHED_COLUMNS = ("figure_id", "description", "published_value", "unit", "slide", "note")


#: What a reproduction returns: the value (``None`` when the wave cannot give
#: it), then two notes on the data behind it: gaps that can only make the value
#: lower than the truth (missing rows, unknown cells, flags false by default for
#: the figure's own programme), and gaps that can only make it higher (flags
#: false by default that would move a cluster out of the counted status).
Reproduction = tuple[float | None, str, str]


NOT_IN_DATA = "n/a: the wave's data do not hold this figure ({what}); nothing to compare"


def _flag_note(clusters: pd.DataFrame, column: str) -> str:
    """Why a flag count may fall short: flags not known (blank or unverified)."""
    unknown = int(flag_unknown(clusters, column).sum())
    if not unknown:
        return ""
    defaults = int(unverified_mask(clusters, column).sum())
    why = f", {defaults} of them unverified defaults" if defaults else ""
    return (
        f"counted from known values only: {column} unknown for {unknown} of "
        f"{len(clusters)} clusters{why}"
    )


def _programme(column: str, what: str) -> Callable[[pd.DataFrame, pd.DataFrame], Reproduction]:
    def count(clusters: pd.DataFrame, relations: pd.DataFrame) -> Reproduction:
        flag = flag_true(clusters, column)
        if what == "regions":
            regions = _host_regions(clusters).loc[flag]
            value = len(frozenset().union(*regions)) if flag.any() else 0
        else:
            value = int(flag.sum())
        return float(value), _flag_note(clusters, column), ""

    return count


def _org_level(level: str) -> Callable[[pd.DataFrame, pd.DataFrame], Reproduction]:
    def count(clusters: pd.DataFrame, relations: pd.DataFrame) -> Reproduction:
        levels = _text_or_unknown(clusters["org_level"])
        unknown = int((levels == UNKNOWN).sum())
        note = f"org_level unknown for {unknown} of {len(clusters)} clusters" if unknown else ""
        return float((levels == level).sum()), note, ""

    return count


def _sum_of(column: str) -> Callable[[pd.DataFrame, pd.DataFrame], Reproduction]:
    def total(clusters: pd.DataFrame, relations: pd.DataFrame) -> Reproduction:
        known = clusters[column].dropna()
        if known.empty:
            return (
                None,
                f"n/a: {column} unknown for all {len(clusters)} clusters (missing data)",
                "",
            )
        missing = len(clusters) - len(known)
        note = (
            f"sum over the {len(known)} of {len(clusters)} clusters with {column} known; "
            f"{missing} unknown, so a lower bound"
            if missing
            else ""
        )
        return float(known.sum()), note, ""

    return total


def _status(status: str, *, with_mne: bool) -> Callable[[pd.DataFrame, pd.DataFrame], Reproduction]:
    def count(clusters: pd.DataFrame, relations: pd.DataFrame) -> Reproduction:
        # Known values only. A known status is final (every flag before it is
        # known false), and so is a found MNE; every unknown can only add to
        # the count, so the value is a lower bound and the notes say by how much.
        states = clusters["status"].astype(str)
        part = clusters.loc[states == status]
        unknown_status = clusters.loc[(states == UNKNOWN) & _could_be(clusters, status)]
        notes: list[str] = []
        words = STATUS_WORDS.get(status, status)
        if with_mne:
            found = presence_of(part) == "yes"
            value = int(found.sum())
            n_unknown = int((presence_of(part) == UNKNOWN).sum())
            if n_unknown:
                notes.append(
                    f"MNE presence unknown for {n_unknown} of {len(part)} {words} clusters "
                    "(members not listed, no MNE found)"
                )
            with_mne_unknown = int((presence_of(unknown_status) == "yes").sum())
            if with_mne_unknown:
                notes.append(
                    f"{with_mne_unknown} clusters with MNEs have status unknown and could be "
                    f"{words} (a status flag blank or an unverified default)"
                )
        else:
            value = len(part)
            if len(unknown_status):
                notes.append(
                    f"status unknown for {len(unknown_status)} of {len(clusters)} clusters "
                    f"that could be {words} (a status flag blank or an unverified default)"
                )
        if notes:
            notes.insert(0, "counted from known values only")
        return float(value), "; ".join(notes), ""

    return count


def _could_be(clusters: pd.DataFrame, status: str) -> pd.Series:
    """Clusters whose flags leave ``status`` possible: no flag before it known
    true and its own flag not known false (``none``: no flag known true)."""
    order = [x for x in vocab.STATUSES if STATUS_FLAGS.get(x) in clusters.columns]
    before = order if status == "none" else order[: order.index(status)]
    possible = pd.Series(True, index=clusters.index)
    for x in before:
        possible &= ~flag_true(clusters, STATUS_FLAGS[x])
    if status != "none":
        flag = STATUS_FLAGS[status]
        known_false = ~clusters[flag].astype("boolean").fillna(True).astype(bool)
        possible &= ~(known_false & ~flag_unknown(clusters, flag))
    return possible.astype(bool)


#: The clusters flag behind each status, and the status in words.
STATUS_FLAGS = {status: vocab.FLAG_COLUMNS[status] for status in vocab.STATUSES}


STATUS_WORDS = {"none": "no-status", "cdc_supported": "CDC-supported"}


def _initiatives(clusters: pd.DataFrame, relations: pd.DataFrame) -> Reproduction:
    return float(len(clusters)), "", ""


def _not_in_data(what: str) -> Callable[[pd.DataFrame, pd.DataFrame], Reproduction]:
    def none(clusters: pd.DataFrame, relations: pd.DataFrame) -> Reproduction:
        return None, NOT_IN_DATA.format(what=what), ""

    return none


#: How each published figure is reproduced from a wave, by ``figure_id``.
REPRODUCTIONS: dict[str, Callable[[pd.DataFrame, pd.DataFrame], Reproduction]] = {
    "initiatives_total": _initiatives,
    "members_total": _sum_of("n_members"),
    "employees_total": _sum_of("n_employees"),
    "org_level_initial": _org_level("initial"),
    "org_level_medium": _org_level("medium"),
    "org_level_high": _org_level("high"),
    "cdc_centres": _not_in_data("it records CDC-supported clusters, not the centres"),
    "cdc_regions": _programme("is_cdc_supported", "regions"),
    "cdc_funding": _not_in_data("funding"),
    "pilot_innovative_clusters": _programme("is_innovative", "clusters"),
    "pilot_innovative_regions": _programme("is_innovative", "regions"),
    "pilot_innovative_funding": _not_in_data("funding"),
    "pilot_innovative_beneficiaries": _programme("is_innovative", "clusters"),
    "pilot_innovative_beneficiary_regions": _programme("is_innovative", "regions"),
    "pilot_innovative_export_kpi": _not_in_data("exports"),
    "leading_clusters": _programme("is_leading", "clusters"),
    "leading_regions": _programme("is_leading", "regions"),
    "leading_export_kpi": _not_in_data("exports"),
    "leading_export_base": _not_in_data("exports"),
    "industrial_clusters": _programme("is_industrial", "clusters"),
    "industrial_regions": _programme("is_industrial", "regions"),
    "industrial_joint_projects": _not_in_data("joint projects"),
    "industrial_funding": _not_in_data("funding"),
    "innovative_clusters": _status("innovative", with_mne=False),
    "innovative_with_mne": _status("innovative", with_mne=True),
    "none_clusters": _status("none", with_mne=False),
    "none_with_mne": _status("none", with_mne=True),
    "interview_managers": _not_in_data("interviews"),
}


def check_published(published: pd.DataFrame, *, file: str) -> pd.DataFrame:
    """Check the published-figures table; return it with ``published_value`` as float.

    Raises
    ------
    DataError
        Listing every missing column, blank or repeated ``figure_id`` and
        non-numeric ``published_value``.
    """
    missing = [c for c in PUBLISHED_COLUMNS if c not in published.columns]
    if missing:
        raise DataError(
            [
                Problem(
                    file=file,
                    row=None,
                    column=c,
                    value=None,
                    expected=f"a column '{c}' (columns: {', '.join(PUBLISHED_COLUMNS)})",
                    fix=f"add the column '{c}'",
                )
                for c in missing
            ]
        )
    problems = []
    seen: set[str] = set()
    values = []
    for i, (fid, value) in enumerate(
        zip(published["figure_id"], published["published_value"], strict=True)
    ):
        row = i + 2
        fid = str(fid).strip()
        if not fid:
            problems.append(Problem(file, row, "figure_id", "", "an identifier", "name the figure"))
        elif fid in seen:
            problems.append(
                Problem(
                    file, row, "figure_id", fid, "a unique identifier", "keep one row per figure"
                )
            )
        seen.add(fid)
        try:
            values.append(float(str(value).replace(",", "").strip()))
        except ValueError:
            values.append(np.nan)
            problems.append(
                Problem(
                    file,
                    row,
                    "published_value",
                    str(value),
                    "a number (e.g. 3000 for 'ca. 3,000')",
                    "write the number; put 'approximate' or the quote in the note column",
                )
            )
    DataError.collect(problems)
    return published.assign(published_value=values)


def _number(value: float) -> str:
    """A number as text without trailing zeros (``118``, ``5.6``)."""
    return f"{value:.12g}"


def replication(
    clusters: pd.DataFrame, relations: pd.DataFrame, published: pd.DataFrame
) -> pd.DataFrame:
    """Each published figure beside the value reproduced from the wave.

    ``published`` is the checked published-figures table (see
    :func:`check_published`); its rows keep their order. A figure the wave
    cannot give, or whose ``figure_id`` has no reproduction in
    :data:`REPRODUCTIONS`, gets ``n/a`` and the reason.

    Returns
    -------
    pandas.DataFrame
        ``figure_id``, ``description``, ``slide``, ``unit``, ``published_value``,
        ``reproduced_value`` and ``difference`` (text: a number, or ``n/a``),
        ``published_note``, ``note`` (whether and why the figure differs).
    """
    n_published = published.loc[published["figure_id"] == "initiatives_total", "published_value"]
    short = len(clusters) < n_published.iloc[0] if len(n_published) else False
    rows = []
    rec: Any  # an itertuples row: its fields are the table's columns, untyped
    for rec in published.itertuples(index=False):
        reproduce = REPRODUCTIONS.get(rec.figure_id)
        if reproduce is None:
            value, data_note, raising = (
                None,
                "n/a: no reproduction is defined for this figure_id",
                "",
            )
        else:
            value, data_note, raising = reproduce(clusters, relations)
        if value is None:
            shown, diff, note = "n/a", "n/a", data_note
        else:
            shown, d = _number(value), value - float(rec.published_value)
            diff = _number(d)
            if d == 0:
                note = f"reproduced ({data_note})" if data_note else "reproduced"
            elif d > 0:
                note = (
                    f"differs (higher); unverified defaults may inflate it: {raising}"
                    if raising
                    else "differs (higher); not explained by missing data in the wave"
                )
            else:
                causes = []
                if short and rec.unit in ("clusters", "regions", "members", "employees"):
                    causes.append(
                        f"the wave holds {len(clusters)} of the "
                        f"{_number(n_published.iloc[0])} initiatives the slides count"
                    )
                if data_note:
                    causes.append(data_note)
                note = (
                    "differs; missing data: " + "; ".join(causes)
                    if causes
                    else "differs; not explained by missing data in the wave"
                )
        rows.append(
            {
                "figure_id": rec.figure_id,
                "description": rec.description,
                "slide": rec.slide,
                "unit": rec.unit,
                "published_value": _number(float(rec.published_value)),
                "reproduced_value": shown,
                "difference": diff,
                "published_note": rec.note,
                "note": note,
            }
        )
    return pd.DataFrame(rows)


__all__ = [
    "check_published",
    "replication",
]
