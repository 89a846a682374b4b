"""The project's vocabulary: every categorical value the outputs use, in one place.

Status values, MNE presence, roles, match methods and chicken-or-egg timings
are spelled here once; every module that writes or reads them imports them.
A researcher who adds a status (say a new programme) adds it here and to the
config schema's ``classify.status_precedence`` enum (a test keeps the two in
step), and every table, chart and test follows.

The vocabularies of the *input* contract (industries, organisation levels,
relation roles as written in a file) are data of the contract:
``data/vocabularies.yaml``, read by :mod:`mne_clusters.ingest.schemas`.
"""

from __future__ import annotations

#: A value that is not known: never read as "no" or "none" (unknown is not no).
UNKNOWN = "unknown"

#: Cluster statuses of the study, highest first: the default
#: ``classify.status_precedence``. Each has a flag column ``is_<status>``.
STATUSES: tuple[str, ...] = ("innovative", "industrial", "cdc_supported")

#: The status of a cluster whose every status flag is known false.
NO_STATUS = "none"

#: Statuses in the order tables and charts show them (``unknown`` after these).
STATUS_ORDER: tuple[str, ...] = (*STATUSES, NO_STATUS)

#: Programme flags that are not a status: a leading cluster of its region.
LEADING = "leading"

#: Every flag column of the clusters table, by label (``is_<label>``).
FLAG_COLUMNS: dict[str, str] = {label: f"is_{label}" for label in (*STATUSES, LEADING)}

#: Values of a cluster's ``status``: a status, ``leading`` when the config's
#: precedence names it, ``none`` or ``unknown``.
STATUS_VALUES: tuple[str, ...] = (*STATUSES, LEADING, NO_STATUS, UNKNOWN)

#: A cluster's ``mne_presence``: an MNE found, members listed and none an
#: MNE, or members not listed and none found.
PRESENCE: tuple[str, ...] = ("yes", "no", UNKNOWN)

#: Roles of a relation, most specific first (a group named once as member and
#: once with an unknown role is a member).
ROLES: tuple[str, ...] = ("member", "partner", UNKNOWN)

#: How a relation's organisation was resolved to an MNE group (``match_method``).
MATCH_METHODS: tuple[str, ...] = ("explicit", "exact", "token", "fuzzy", "none")

#: Top-N flags of a region's ranks (``innovation_top``, ``investment_top``).
TOP_FLAGS: tuple[str, ...] = ("yes", "no", UNKNOWN)

#: Chicken or egg: an MNE's entry year against its cluster's founding year.
TIMINGS: tuple[str, ...] = ("before", "same_year", "after", "undetermined", UNKNOWN)
