""" "Did you mean ...?" hints: the one place that guesses what a person meant.

A researcher who types ``KLU-PHARMA`` for the cluster id ``klu-pharma``, or
``RU-KLG`` for the region ``RU-KLU``, is told the likely intended code in the
problem's fix (:func:`closest`); a header ``nmae_ru`` where the contract wants
``name_ru`` is offered as that column (:func:`pair_headers`). Never corrected
silently: the data stays as written until the person fixes it. Similarity is
``rapidfuzz``'s ``ratio`` (normalised Indel similarity, 0-100) throughout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

#: Least similarity (0-100) for a fuzzy suggestion.
MIN_SCORE = 75


def _fold(text: str) -> str:
    """Case, spaces, ``_`` and ``-`` folded away: ``KLU_Pharma `` -> ``klupharma``."""
    return re.sub(r"[\s_\-–—.]+", "", text.strip().casefold())


def closest(value: str, choices: Iterable[str]) -> str | None:
    """The one code of ``choices`` that ``value`` most likely means, or ``None``.

    First a code equal to ``value`` but for case, spaces, ``_``, ``-`` and
    dots; then the single best fuzzy match scoring at least :data:`MIN_SCORE`
    (a tie between two codes gives no hint: a hint must not guess).
    """
    options = sorted({str(c) for c in choices if c is not None and str(c) != ""})
    if not value or not options:
        return None
    folded = _fold(value)
    same = [c for c in options if _fold(c) == folded]
    if len(same) == 1:
        return same[0]
    if same:
        return None
    matches = process.extract(
        folded,
        {c: _fold(c) for c in options},
        scorer=fuzz.ratio,
        limit=2,
        score_cutoff=MIN_SCORE,
    )
    if not matches:
        return None
    if len(matches) > 1 and matches[0][1] == matches[1][1]:
        return None
    return str(matches[0][2])


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """``"did you mean 'x'? "`` for the closest code, or ``""`` when there is none."""
    hint = closest(value, choices)
    return f"did you mean '{hint}'? " if hint is not None and hint != value else ""


#: Least similarity (0-100) for offering an extra header as a missing column.
HEADER_MIN_SCORE = 75


def pair_headers(absent: Iterable[str], extras: Iterable[str]) -> dict[str, str]:
    """Each absent contract column -> the extra header that resembles it, if any.

    Scores are ``ratio`` over lower-case, trimmed headers (``nmae_ru``/``name_ru``
    86, ``hq_contry``/``hq_country`` 95, ``notes``/``name_ru`` 33); a pair
    needs :data:`HEADER_MIN_SCORE`. Each extra header is offered once, to the
    absent column it resembles most (best pairs first; ties by column, then
    header, so the result does not depend on the order of the file).
    """
    pairs = sorted(
        (-fuzz.ratio(col, extra.strip().lower()), col, extra) for col in absent for extra in extras
    )
    hints: dict[str, str] = {}
    taken: set[str] = set()
    for neg, col, extra in pairs:
        if -neg < HEADER_MIN_SCORE or col in hints or extra in taken:
            continue
        hints[col] = extra
        taken.add(extra)
    return hints
