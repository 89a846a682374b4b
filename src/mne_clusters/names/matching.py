"""Organisation name -> MNE group of the registry: the matching steps after
normalisation (:mod:`.normalise`).

2. **Exact** match of the key (a dictionary look-up). A key that belongs to
   the names or aliases of two groups is *not* a match: it goes to review.
3. **Token** rule (:mod:`.token_rule`) for the keys left over.
4. **Fuzzy** match, against every registry key, of the keys in which no
   group's name is wholly found. The score is the larger of ``rapidfuzz``'s ``ratio`` (normalised Indel
   similarity of the two keys, 0–100) and ``token_sort_ratio`` (the same after
   sorting the words): ``token_sort_ratio`` forgives word order (``Nordisk
   Novo``) but, by re-sorting, loses a name whose first letter carries the
   typo (``folksvagen grup rus`` sorts as ``grup rus folksvagen``), which
   ``ratio`` keeps at 94.7. Neither rewards a name for merely containing a
   short alias, as ``WRatio``'s partial matching does (it scores ``volkswagen``
   inside ``volkswagen grupp rus`` at 90): that is how two different firms
   sharing a word would be joined.
   Scores at or above ``fuzzy_threshold`` are accepted; scores in
   ``[review_min_score, fuzzy_threshold)`` are near misses for a person to
   confirm (``review.csv``).

Each distinct name is normalised once and each distinct key is matched once:
real relation tables repeat names heavily, so cost grows with the number of
distinct names, not rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from mne_clusters.core import config as cfgmod
from mne_clusters.core import vocabulary as vocab
from mne_clusters.core.errors import DataError, Problem
from mne_clusters.names.normalise import normalise
from mne_clusters.names.token_rule import TokenIndex

#: Match methods, in order of precedence.
MATCH_METHODS = vocab.MATCH_METHODS


#: Number of candidates shown to a reviewer.
N_CANDIDATES = 3


@dataclass(frozen=True)
class MatchingConfig:
    """Settings of name resolution (config section ``matching``)."""

    fuzzy_threshold: float = float(cfgmod.default("matching.fuzzy_threshold"))
    review_min_score: float = float(cfgmod.default("matching.review_min_score"))
    home_country: str = str(cfgmod.default("matching.home_country"))
    token_threshold: float = float(cfgmod.default("matching.token_threshold"))

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> MatchingConfig:
        """Read ``config["matching"]``, with the defaults above for absent keys."""
        section = dict((config or {}).get("matching") or {})
        return cls(
            fuzzy_threshold=float(section.get("fuzzy_threshold", cls.fuzzy_threshold)),
            review_min_score=float(section.get("review_min_score", cls.review_min_score)),
            home_country=str(section.get("home_country", cls.home_country)).upper(),
            token_threshold=float(section.get("token_threshold", cls.token_threshold)),
        )


@dataclass(frozen=True)
class RegistryIndex:
    """The registry's matching keys, ready for look-ups.

    Attributes
    ----------
    exact
        Key → sorted tuple of the ``mne_id`` of every group that has a name or
        alias with this key (more than one: ambiguous).
    keys
        Every distinct (key, group) pair's key, sorted by group then key.
    key_group
        For each entry of ``keys``, the position of its group in ``groups``.
    groups
        ``mne_id`` of every group, sorted.
    group_names
        ``mne_id`` → the group's usual name.
    group_starts
        Position in ``keys`` where each group's keys begin.
    """

    exact: dict[str, tuple[str, ...]]
    keys: list[str]
    key_group: np.ndarray
    groups: list[str]
    group_names: dict[str, str]
    group_starts: np.ndarray
    tokens: TokenIndex | None = None


def registry_names(registry: pd.DataFrame) -> pd.DataFrame:
    """Every name and alias of the registry, one row each.

    Returns
    -------
    pandas.DataFrame
        Columns ``mne_id``, ``name`` (as written), ``key`` (:func:`normalise`);
        names whose key is empty are left out.
    """
    rows: list[tuple[str, str]] = []
    for mne_id, name, aliases in registry[["mne_id", "name", "aliases"]].itertuples(index=False):
        rows.append((str(mne_id), str(name)))
        if isinstance(aliases, str):
            rows.extend((str(mne_id), a.strip()) for a in aliases.split("|") if a.strip())
    out = pd.DataFrame(rows, columns=["mne_id", "name"], dtype="string")
    out["key"] = out["name"].map(normalise).astype("string")
    return out[out["key"] != ""].reset_index(drop=True)


def build_index(registry: pd.DataFrame) -> RegistryIndex:
    """Index the registry's names and aliases by matching key.

    Parameters
    ----------
    registry
        The ``mne_registry`` reference frame (``mne_id``, ``name``, ``aliases``).
    """
    names = registry_names(registry).drop_duplicates(["mne_id", "key"])
    names = names.sort_values(["mne_id", "key"], kind="stable").reset_index(drop=True)
    exact: dict[str, tuple[str, ...]] = {
        str(key): tuple(sorted(set(ids))) for key, ids in names.groupby("key")["mne_id"]
    }
    groups = sorted(registry["mne_id"].astype(str).unique())
    group_pos = {g: i for i, g in enumerate(groups)}
    key_group = names["mne_id"].map(group_pos).to_numpy(dtype=np.int64)
    present = np.unique(key_group)
    # every group has at least its name; a group whose name normalises to ""
    # has no keys and is simply never matched by name
    starts = np.searchsorted(key_group, present)
    return RegistryIndex(
        exact=exact,
        keys=names["key"].tolist(),
        key_group=key_group,
        groups=groups,
        group_names=dict(
            zip(registry["mne_id"].astype(str), registry["name"].astype(str), strict=True)
        ),
        group_starts=np.stack([present, starts], axis=1) if len(present) else np.empty((0, 2)),
        tokens=TokenIndex.build(
            names["mne_id"].tolist(),
            names["key"].tolist(),
            dict(zip(registry["mne_id"].astype(str), registry["industry"].astype(str), strict=True))
            if "industry" in registry
            else None,
        ),
    )


def _fuzzy_scores(queries: list[str], index: RegistryIndex, cutoff: float) -> np.ndarray:
    """Best score of each query against each group: shape (queries, groups).

    Scores below ``cutoff`` are 0. Computed in chunks so that memory stays
    bounded (chunk × registry keys bytes).
    """
    n_groups = len(index.groups)
    out = np.zeros((len(queries), n_groups), dtype=np.float32)
    if not queries or not index.keys:
        return out
    present, starts = index.group_starts[:, 0], index.group_starts[:, 1]
    # float scores (uint8 would round 91.7 up to the default threshold of 92)
    chunk = max(1, 4_000_000 // max(1, len(index.keys)))
    for lo in range(0, len(queries), chunk):
        scores = np.maximum(
            *(
                process.cdist(
                    queries[lo : lo + chunk],
                    index.keys,
                    scorer=scorer,
                    processor=None,
                    score_cutoff=cutoff,
                    dtype=np.float32,
                    workers=-1,
                )
                for scorer in (fuzz.ratio, fuzz.token_sort_ratio)
            )
        )
        # max over each group's run of keys (keys are sorted by group)
        out[lo : lo + chunk, present] = np.maximum.reduceat(scores, starts, axis=1)
    return out


def resolve_names(
    names: Iterable[str], index: RegistryIndex, settings: MatchingConfig
) -> pd.DataFrame:
    """Resolve each distinct name to a group, with the evidence.

    Parameters
    ----------
    names
        Organisation names as written (repeats allowed; each is resolved once).
    index
        :func:`build_index` of the registry.
    settings
        Thresholds.

    Returns
    -------
    pandas.DataFrame
        One row per distinct name, in first-seen order: ``name``, ``key``,
        ``mne_id`` (``<NA>`` when unresolved), ``match_method``
        (``exact``/``fuzzy``/``none``), ``match_score`` (100 for exact, the
        score for fuzzy, NaN for none), ``review_reason`` (``<NA>`` unless a
        person should look: ``ambiguous``, ``near_miss``, ``fuzzy_tie`` or
        ``no_match``) and the best :data:`N_CANDIDATES` candidates
        ``candidate_<i>_mne_id``, ``candidate_<i>_name``,
        ``candidate_<i>_score``.
    """
    distinct = pd.Series(
        pd.unique(pd.Series(list(names), dtype="string").fillna("")), dtype="string"
    )
    key_of_name = distinct.map(normalise)
    keys = pd.unique(key_of_name)
    n = len(keys)
    mne_id: list[str | None] = [None] * n
    method = ["none"] * n
    score = np.full(n, np.nan)
    reason: list[str | None] = [None] * n
    cands: list[list[tuple[str, str, float]]] = [[] for _ in range(n)]

    tokens = index.tokens
    threshold = settings.token_threshold / 100.0
    to_token: list[int] = []
    for i, key in enumerate(keys):
        hit = index.exact.get(key) if key else None
        if hit is None:
            if key:
                to_token.append(i)
            else:
                reason[i] = "no_match"
            continue
        if len(hit) == 1:
            mne_id[i], method[i], score[i] = hit[0], "exact", 100.0
        else:
            reason[i] = "ambiguous"
        cands[i] = [(g, index.group_names[g], 100.0) for g in hit[:N_CANDIDATES]]

    to_fuzzy: list[int] = []
    token_cands: dict[int, list[tuple[str, float]]] = {}
    for i in to_token:
        if tokens is None:
            to_fuzzy.append(i)
            continue
        group, sc, why, found, _how = tokens.decide(keys[i], threshold)
        if group is not None:
            mne_id[i], method[i], score[i] = group, "token", sc
            cands[i] = [(g, index.group_names[g], c) for g, c in found[:N_CANDIDATES]]
        elif why is not None:
            # a group's words are found, with other distinctive words or in two
            # groups' names: a person decides, the fuzzy score may not
            reason[i] = why
            cands[i] = [(g, index.group_names[g], c) for g, c in found[:N_CANDIDATES]]
        else:
            to_fuzzy.append(i)
            token_cands[i] = found

    if to_fuzzy:
        cutoff = min(settings.review_min_score, settings.fuzzy_threshold)
        grid = _fuzzy_scores([keys[i] for i in to_fuzzy], index, cutoff)
        k = min(N_CANDIDATES + 1, grid.shape[1])
        for row, i in enumerate(to_fuzzy):
            scores = grid[row]
            # best groups by score, then by mne_id (groups are sorted): stable
            order = np.argsort(-scores, kind="stable")[:k]
            best = [(index.groups[g], round(float(scores[g]), 4)) for g in order if scores[g] > 0]
            if not best:
                # no fuzzy candidate: show the groups sharing a word, if any
                partial = token_cands.get(i, [])
                cands[i] = [(g, index.group_names[g], c) for g, c in partial[:N_CANDIDATES]]
                reason[i] = "no_match"
                continue
            cands[i] = [(g, index.group_names[g], s) for g, s in best[:N_CANDIDATES]]
            if best[0][1] >= settings.fuzzy_threshold:
                if len(best) > 1 and best[1][1] == best[0][1]:
                    reason[i] = "fuzzy_tie"
                else:
                    mne_id[i], method[i], score[i] = best[0][0], "fuzzy", best[0][1]
            else:
                reason[i] = "near_miss"

    by_key = pd.DataFrame(
        {
            # pandas-stubs: pd.array takes no ExtensionArray (pd.unique's result) here.
            "key": pd.array(keys, dtype="string"),  # type: ignore[call-overload]
            "mne_id": pd.array(mne_id, dtype="string"),
            "match_method": pd.array(method, dtype="string"),
            "match_score": score,
            "review_reason": pd.array(reason, dtype="string"),
        }
    )
    for c in range(N_CANDIDATES):
        by_key[f"candidate_{c + 1}_mne_id"] = pd.array(
            [x[c][0] if len(x) > c else None for x in cands], dtype="string"
        )
        by_key[f"candidate_{c + 1}_name"] = pd.array(
            [x[c][1] if len(x) > c else None for x in cands], dtype="string"
        )
        by_key[f"candidate_{c + 1}_score"] = np.array(
            [x[c][2] if len(x) > c else np.nan for x in cands], dtype=float
        )
    out = pd.DataFrame({"name": distinct, "key": key_of_name.astype("string")})
    return out.merge(by_key, on="key", how="left", validate="many_to_one")


def resolve(
    names: pd.Series,
    index: RegistryIndex,
    settings: MatchingConfig,
    resolved: list[pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Resolve a column of names row by row (each distinct name once).

    ``resolved``, when given, carries the names already resolved against the
    same index and settings from one call to the next (the chunks of one wave):
    only names not in it are resolved, and they are added to it. A name's
    resolution depends on nothing but the name, the index and the settings.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`resolve_names` except ``name``, one row per
        element of ``names``, on the same index. A missing name resolves to
        nothing (``no_match``).
    """
    text = names.astype("string").fillna("")
    if resolved is None:
        table = resolve_names(text, index, settings)
    elif not resolved:
        table = resolve_names(text, index, settings)
        resolved.append(table)
    else:
        table = resolved[0]
        new = text[~text.isin(table["name"])]
        if len(new):
            fresh = resolve_names(new, index, settings)
            table = pd.concat([table, fresh], ignore_index=True).astype(fresh.dtypes.to_dict())
            resolved[0] = table
    codes = pd.Index(table["name"]).get_indexer(text)
    out: pd.DataFrame = table.drop(columns="name").iloc[codes].reset_index(drop=True)
    out.index = names.index
    return out


#: Columns of ``review.csv``, in order.
REVIEW_COLUMNS = (
    "cluster_id",
    "relations_row",
    "organisation",
    "relation",
    "hq_country_given",
    "match_key",
    "review_reason",
    *(
        f"candidate_{i}_{part}"
        for i in range(1, N_CANDIDATES + 1)
        for part in ("mne_id", "name", "score")
    ),
    "confirm_mne_id",
)


def _blank_to_na(values: pd.Series) -> pd.Series:
    """Text with empty or white-space cells as ``<NA>``."""
    text = values.astype("string").str.strip()
    return text.mask(text == "")


def match_relations(
    relations: pd.DataFrame,
    registry: pd.DataFrame,
    config: Mapping[str, Any] | None = None,
    *,
    file: str = "relations",
    index: RegistryIndex | None = None,
    resolved: list[pd.DataFrame] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Resolve every relation's organisation to an MNE group, and say how.

    Precedence: an ``mne_id`` written in the relations file (``explicit``)
    always wins over name resolution; then ``exact``, then ``fuzzy``; else
    ``none``. ``hq_country`` and ``industry`` written in the file override the
    registry's.

    ``is_mne`` is true when the row resolves to a registry group. A row that
    resolves to no group is not an MNE (``is_mne`` false) — with one
    exception: when the file itself states a ``hq_country`` outside the home
    country, the organisation is foreign-owned and operates in Russia, so it
    operates in at least two countries and is counted as an MNE (``is_mne``
    true, ``mne_id`` empty) and listed in review so that a person adds it to
    the registry. A domestic firm stated so (Niarmedic: ``hq_country`` RU, no
    ``mne_id``) is not an MNE and needs no review. A row with no group and no
    stated country is not counted as an MNE and is listed in review
    (``no_match``); its ``is_foreign`` is false because nothing says it is.

    Parameters
    ----------
    relations
        Ingested relations (``cluster_id``, ``organisation``, ``relation``,
        ``mne_id``, ``hq_country``, ``industry``, ``source_row`` …).
    registry
        The ``mne_registry`` reference frame.
    config
        The workflow configuration (section ``matching``; defaults if absent).
    file
        Name of the relations file, for error messages.
    index, resolved
        For the chunks of one wave (:func:`mne_clusters.names.chunking.match_in_chunks`):
        the registry's :func:`build_index`, built once, and the names resolved
        so far (see :func:`resolve`). ``None``: built and resolved here.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The relations with ``mne_id``, ``mne_name``, ``hq_country``,
        ``industry``, ``is_mne``, ``is_foreign``, ``match_method`` and
        ``match_score`` set (every other column unchanged, same row order);
        and the review table (:data:`REVIEW_COLUMNS`; ``relations_row`` is the
        relation's spreadsheet row), sorted by cluster, organisation and row,
        with an empty ``confirm_mne_id`` for :func:`mne_clusters.review.apply_review`.

    Raises
    ------
    DataError
        When an explicit ``mne_id`` is not in the registry (every such row).
    """
    settings = MatchingConfig.from_config(config)
    given_id = _blank_to_na(relations["mne_id"])
    given_hq = _blank_to_na(relations["hq_country"]).str.upper()
    given_industry = _blank_to_na(relations["industry"])
    known = set(registry["mne_id"].astype(str))
    unknown_ids = given_id.notna() & ~given_id.isin(known).fillna(False)
    rows = relations["source_row"] if "source_row" in relations else relations.index + 2
    DataError.collect(
        Problem(
            file=file,
            row=int(row),
            column="mne_id",
            value=str(value),
            expected="an mne_id of the MNE registry",
            fix="correct the mne_id, add the group to the registry, or leave the cell "
            "empty to resolve the organisation by name",
            rule="registry",
        )
        for row, value in zip(rows[unknown_ids], given_id[unknown_ids], strict=True)
    )

    index = build_index(registry) if index is None else index
    explicit = given_id.notna()
    by_name = resolve(relations.loc[~explicit, "organisation"], index, settings, resolved)
    by_name = by_name.reindex(relations.index)

    mne_id = given_id.fillna(by_name["mne_id"]).astype("string")
    method = by_name["match_method"].astype("string").mask(explicit, "explicit")
    score = by_name["match_score"].astype(float).mask(explicit, 100.0)
    reg = registry.assign(mne_id=registry["mne_id"].astype("string")).set_index("mne_id")
    reg_hq = mne_id.map(reg["hq_country"].astype("string")).astype("string")
    reg_industry = mne_id.map(reg["industry"].astype("string")).astype("string")
    hq = given_hq.fillna(reg_hq).astype("string")
    is_foreign = (hq.notna() & (hq != settings.home_country)).fillna(False).astype(bool)
    foreign_unlisted = mne_id.isna() & given_hq.notna() & is_foreign
    is_mne = (mne_id.notna() | foreign_unlisted).astype(bool)

    out = relations.assign(
        mne_id=mne_id,
        mne_name=mne_id.map(reg["name"].astype("string")).astype("string"),
        hq_country=hq,
        industry=given_industry.fillna(reg_industry).astype("string"),
        is_mne=is_mne,
        is_foreign=is_foreign,
        match_method=method.astype("string"),
        match_score=score.astype(float),
    )

    reason = by_name["review_reason"].astype("string")
    # a stated domestic firm is settled by the researcher; a stated foreign one
    # still needs a registry entry
    reason = reason.mask((reason == "no_match") & given_hq.notna() & ~is_foreign)
    reason = reason.mask(foreign_unlisted, "foreign_not_in_registry")
    reason = reason.mask(explicit)
    needs = reason.notna()
    review = pd.DataFrame(
        {
            "cluster_id": relations.loc[needs, "cluster_id"].astype("string"),
            # pandas-stubs: pd.array takes no Series or Index for dtype Int64.
            "relations_row": pd.array(rows[needs], dtype="Int64"),  # type: ignore[call-overload]
            "organisation": relations.loc[needs, "organisation"].astype("string"),
            "relation": relations.loc[needs, "relation"].astype("string"),
            "hq_country_given": given_hq[needs],
            "match_key": by_name.loc[needs, "key"].astype("string"),
            "review_reason": reason[needs],
        }
    )
    for c in REVIEW_COLUMNS[7:-1]:
        review[c] = by_name.loc[needs, c]
    review["confirm_mne_id"] = pd.array([""] * int(needs.sum()), dtype="string")
    review = review.sort_values(
        ["cluster_id", "organisation", "relations_row"], kind="stable"
    ).reset_index(drop=True)
    return out, review[list(REVIEW_COLUMNS)]
