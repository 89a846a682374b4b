"""Organisation name → MNE group of the registry.

A relation names an organisation as its source writes it: any script, with or
without a legal form, in quotes or not (``ООО «Ново Нордиск»``, ``Novo Nordisk
A/S``). This module turns every such name into a *matching key* and looks the
key up among the keys of the registry's names and ``|``-separated aliases:

1. **Normalise** (:func:`normalise`): acronyms spelled in Russian letter
   names become Latin (:func:`spell_acronyms`); Unicode NFKC, case-fold,
   ``ё`` → ``е``; drop quotes (``«» "" '' „“ ‹›``, apostrophes); transliterate Cyrillic to
   Latin with ``unidecode`` (``Ново Нордиск`` → ``novo nordisk``); remove legal
   forms, Russian (``ООО``, ``ЗАО``, ``АО``, ``ПАО``, ``ОАО``, ``НП`` … and
   their spelled-out forms) and foreign (``LLC``, ``Inc``, ``Corp``, ``GmbH``,
   ``AG``, ``A/S``, ``S.p.A.``, ``SA``, ``Ltd``, ``PLC``, ``B.V.``, ``N.V.``,
   ``K.K.``, ``Co.`` …, see :data:`LEGAL_FORMS`); turn punctuation into
   spaces; then *fold* the spellings on which a transliterated Russian name and
   its Latin original differ (:data:`FOLDS`: ``kh``→``h``, ``ph``→``f``,
   ``c``→``k``, ``w``→``v``, ``y``→``i``, doubled letters once …), so that
   ``Континентал`` meets ``Continental`` and ``ЯПП РУС`` meets ``YAPP RUS``.
   The fold is applied to both sides alike, so it can only join spellings,
   never tell them apart; a key shared by two groups is caught as ambiguous.
2. **Exact** match of the key (a dictionary look-up). A key that belongs to
   the names or aliases of two groups is *not* a match: it goes to review.
3. **Token** rule (:class:`TokenIndex`) for the keys left over: subsidiaries
   are named by the group's brand plus descriptors, a plant's town and a
   legal form (``Ниссан Мэнуфэкчуринг Рус``, ``Ford Sollers Elabuga``). Each
   word of a name is a descriptor (weight 0.2), a generic dictionary word of
   business or industry (0.2: ``Technologies``, ``Завод``, and their Russian
   transcriptions, :func:`generic_of`), a place (0.1), a joining word (0) or a
   distinctive word, weighted by its rarity among the registry's groups (IDF);
   the word lists are ``data/name_words.yaml``. A registry name of generic
   words only (``General Motors``) needs every one of them. A name's word
   stands for a registry word when equal, when their consonant skeletons are
   (``Майкрософт``/``Microsoft``) or as a typo. A group is accepted when every
   distinctive word of one of its names or aliases is found and the weighted
   overlap reaches ``token_threshold``; a group's name found beside another
   distinctive word (``Toyota Tsusho``) goes to review (``extra_words``), and
   so does a name whose words two groups share (``ambiguous``).
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

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from unidecode import unidecode

from mne_clusters.errors import DataError, Problem

#: Quote characters removed before transliteration (``unidecode`` would turn
#: ``«`` into ``<<``). Double quotes become a space, apostrophes vanish.
_DOUBLE_QUOTES = '«»‹›„“”‟"〝〞＂'
_APOSTROPHES = "'‘’‚‛`´ʼʹ"
_QUOTE_TABLE = str.maketrans({**{c: " " for c in _DOUBLE_QUOTES}, **{c: "" for c in _APOSTROPHES}})

#: Legal forms removed from a name, as regular expressions over the
#: transliterated, lower-case name (whole words only). Russian forms appear as
#: ``unidecode`` writes them (``ООО`` → ``ooo``, ``ЗАО`` → ``zao``).
LEGAL_FORMS: tuple[str, ...] = (
    # Russian, spelled out (longest first)
    r"obshchestvo s ogranichennoi otvetstvennostiu",
    r"(?:zakrytoe |otkrytoe |publichnoe |nepublichnoe )?aktsionernoe obshchestvo",
    r"nekommercheskoe partnerstvo",
    r"avtonomnaia nekommercheskaia organizatsiia",
    # Russian abbreviations
    r"ooo",
    r"zao",
    r"oao",
    r"pao",
    r"ao",
    r"np",
    r"ano",
    r"nko",
    r"fgup",
    r"gup",
    r"mup",
    r"ip",
    # foreign, as written in Latin
    r"s\.?\s?p\.?\s?a\.?",
    r"s\.?\s?r\.?\s?l\.?",
    r"s\.?\s?a\.?\s?s\.?",
    r"a/s",
    r"a\.s\.",
    r"b\.\s?v\.?",
    r"bv",
    r"n\.\s?v\.?",
    r"nv",
    r"k\.\s?k\.?",
    r"kk",
    r"s\.\s?a\.?",
    r"sa",
    r"gmbh",
    r"ag",
    r"kgaa",
    r"kg",
    r"se",
    r"l\.\s?l\.\s?c\.?",
    r"llc",
    r"inc\.?",
    r"incorporated",
    r"corp\.?",
    r"corporation",
    r"ltd\.?",
    r"limited",
    r"plc",
    r"co\.?",
    r"oyj",
    r"oy",
    r"ab",
    r"pte",
    r"pty",
    r"jsc",
    r"ojsc",
    r"cjsc",
    # foreign, as transliterated from their Russian spelling (Инк., Корп.,
    # ГмбХ, ПЛС, Лтд, Корпорейшн, Лимитед, АГ and СЕ come out as the Latin ones)
    r"ink\.?",
    r"korp\.?",
    r"korporeishn",
    r"korporeishen",
    r"gmbkh",
    r"pls",
    r"limitid",
)
_LEGAL_RE = re.compile(r"(?<![a-z0-9])(?:" + "|".join(LEGAL_FORMS) + r")(?![a-z0-9])")

#: Spelling folds applied, in order, to the Latin key of every name (registry
#: and relations alike). Each joins a Latin spelling with the way ``unidecode``
#: writes the same sound from Cyrillic (or two romanisations of one Japanese
#: or German sound): ``ph``/``ф`` (``f``), ``j``/``дж``,``дз``,``цз``
#: (``Baoji``/``Баоцзи``), German ``st``,``sp``/``шт``,``шп`` (``STADA``/``Штада``),
#: (``Johnson``/``Джонсон``, ``Fujitsu``/``Фудзицу``), ``ce``,``ci``/``се``,``си``
#: (``Mercedes``/``Мерседес``), ``c``/``к`` (``k``), ``w``/``в`` (``v``),
#: ``x``/``кс`` (``ks``), ``kh``/``х`` (``h``), ``y``/``й``,``ы`` (``i``),
#: ``ou``/``у`` (``u``), ``ts``,``tz``,``z``/``ц``,``з`` (``s``: ``Benz``/``Бенц``),
#: ``shi``/``си`` (``Mitsubishi``/``Мицубиси``), ``chs``/``кс`` (``Fuchs``/``Фукс``),
#: ``wh``/``у`` (``Whirlpool``/``Уирлпул``), and the English long ``i`` and German
#: ``ei`` that Russian writes ``ай``/``эй`` (``Pfizer``/``Пфайзер``,
#: ``Schneider``/``Шнайдер``: ``ai``, ``ei`` → ``i``); doubled letters are kept
#: once (``Hadassah``/``Хадасса``).
FOLDS: tuple[tuple[str, str], ...] = (
    ("ph", "f"),
    ("tsz", "j"),
    ("dzh", "j"),
    ("dz", "j"),
    ("sch", "sh"),
    ("sht", "st"),
    ("shp", "sp"),
    ("chs", "ks"),
    ("ck", "k"),
    ("ce", "se"),
    ("ci", "si"),
    ("cy", "si"),
    ("c", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("kh", "h"),
    ("wh", "u"),
    ("w", "v"),
    ("y", "i"),
    ("ai", "i"),
    ("ei", "i"),
    ("ou", "u"),
    ("ts", "s"),
    ("tz", "s"),
    ("z", "s"),
    ("shi", "si"),
)
_DOUBLE_RE = re.compile(r"([a-z])\1+")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")

_WORDS = yaml.safe_load(
    (Path(__file__).parent / "data" / "name_words.yaml").read_text(encoding="utf-8")
)

#: Words that describe *what* a subsidiary is or does rather than *whose* it
#: is: a group's name plus these still names the group (``Nissan Manufacturing
#: Rus``). Written as sources write them, in both scripts and the common
#: transcriptions; they are keyed through :func:`normalise`, so a spelling
#: variant that folds to the same key is covered too, and
#: :func:`word_class` also accepts a one- or two-letter typo of the longer ones.
DESCRIPTORS: tuple[str, ...] = tuple(_WORDS["descriptors"])

#: Descriptors that name an industry: in a group of another industry they are
#: a contradiction, not a descriptor (``Cisco Pharma`` is not Cisco's), and
#: count as an unknown distinctive word. Industry → (its words, the registry
#: industries they fit).
INDUSTRY_DESCRIPTORS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    k: (tuple(v["words"]), tuple(v["fits"])) for k, v in _WORDS["industry_descriptors"].items()
}

#: Towns and regions that subsidiaries add to a name (a plant's town: ``Ford
#: Sollers Elabuga``, ``Continental Kaluga``); they count as little as a
#: descriptor. The federal subjects' names of the ``regions`` reference table
#: would add few words a firm uses, so this is a list of plant and office towns.
PLACES: tuple[str, ...] = tuple(_WORDS["places"])

#: Ordinary dictionary words of business, industry and function
#: (``Technologies``, ``Solutions``, ``Завод``, ``Engineering``): any firm of
#: any owner may add them, so they weigh :data:`GENERIC_WEIGHT` and never count
#: as a group's distinctive word. English words and Russian translations are
#: listed in ``data/name_words.yaml``; the Russian transcriptions of the English
#: words are recognised by :func:`transcription_key`.
GENERIC: tuple[str, ...] = tuple(_WORDS["generic"])

#: Generic words that name an industry (``Electric``, ``Chemicals``, ``Steel``):
#: in a group of another industry they count against it, as
#: :data:`INDUSTRY_DESCRIPTORS` do (``Nissan Chemical`` is not Nissan's).
INDUSTRY_GENERIC: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    k: (tuple(v["words"]), tuple(v["fits"])) for k, v in _WORDS["industry_generic"].items()
}

#: Words that join names and carry no identity (``Johnson & Johnson`` →
#: ``johnson johnson``; ``and``, ``энд``, ``und`` …).
STOPWORDS: tuple[str, ...] = tuple(_WORDS["stopwords"])

#: Weights of the token rule: a descriptor and a place count this much, a
#: distinctive word its inverse document frequency over the registry's
#: groups (``1 + ln((groups + 1) / (groups using the word + 1))``, 1.0 to
#: about 5; a word no group uses counts as the rarest).
DESCRIPTOR_WEIGHT = 0.2
PLACE_WEIGHT = 0.1
GENERIC_WEIGHT = DESCRIPTOR_WEIGHT

#: Match methods, in order of precedence.
MATCH_METHODS = ("explicit", "exact", "token", "fuzzy", "none")

#: Number of candidates shown to a reviewer.
N_CANDIDATES = 3


#: Russian names of the Latin letters, as a Russian source spells out an
#: acronym (``Джи Эм`` for GM, ``СиЭнЭйч`` for CNH, ``Би Эм Дабл Ю`` for BMW).
LETTER_NAMES: dict[str, str] = {
    "эй": "a", "би": "b", "си": "c", "ди": "d", "эф": "f", "джи": "g", "эйч": "h",
    "эйчь": "h", "ай": "i", "джей": "j", "кей": "k", "эл": "l", "эль": "l", "эм": "m",
    "эн": "n", "оу": "o", "пи": "p", "кью": "q", "ар": "r", "эс": "s", "ти": "t", "ю": "u",
    "ви": "v", "дабл ю": "w", "дабл-ю": "w", "дабью": "w", "экс": "x", "уай": "y",
    "зед": "z", "зи": "z",
}  # fmt: skip
_LETTER_ALT = "|".join(sorted(map(re.escape, LETTER_NAMES), key=len, reverse=True))
# two or more letter names as separate words (``Джи Эм``) ...
_LETTER_RUN_RE = re.compile(
    rf"(?<![\w-])(?:(?:{_LETTER_ALT})\.?[\s-]+)+(?:{_LETTER_ALT})\.?(?![\w])", re.IGNORECASE
)
# ... or glued, each capitalised (``СиЭнЭйч``); the one-letter ``Ю`` is left out
# there, so that ``ООО``-like capitals are never read as letters
_GLUED_ALT = "|".join(
    sorted((n[0].upper() + n[1:] for n in LETTER_NAMES if " " not in n and len(n) > 1),
           key=len, reverse=True)
)  # fmt: skip
_LETTER_GLUED_RE = re.compile(rf"(?<!\w)(?:{_GLUED_ALT}){{2,}}(?!\w)")
_LETTER_PIECE_RE = re.compile(
    "|".join(sorted(map(re.escape, LETTER_NAMES), key=len, reverse=True)), re.IGNORECASE
)


def spell_acronyms(name: str) -> str:
    """Write acronyms spelled out in Russian letter names as Latin letters.

    >>> spell_acronyms("ООО «Джи Эм Рус»")
    'ООО «GM Рус»'
    >>> spell_acronyms("СиЭнЭйч Индастриал")
    'CNH Индастриал'
    >>> spell_acronyms("Пфайзер Эйч. Си. Пи. Корпорэйшн")
    'Пфайзер HCP Корпорэйшн'
    """

    def letters(m: re.Match[str]) -> str:
        text = m.group(0)
        out = []
        for piece in _LETTER_PIECE_RE.findall(re.sub(r"[\s.-]+", " ", text)):
            out.append(LETTER_NAMES[piece.lower().replace("-", " ")])
        return "".join(out).upper()

    name = _LETTER_GLUED_RE.sub(letters, name)
    return _LETTER_RUN_RE.sub(letters, name)


def normalise(name: str) -> str:
    """Matching key of an organisation name.

    Parameters
    ----------
    name
        The name as written, any script.

    Returns
    -------
    str
        Lower-case ASCII words separated by single spaces; ``""`` when
        nothing but a legal form or punctuation was written.

    Examples
    --------
    >>> normalise("ООО «Ново Нордиск»")
    'novo nordisk'
    >>> normalise("Novo Nordisk A/S")
    'novo nordisk'
    """
    text = spell_acronyms(unicodedata.normalize("NFKC", name))
    text = text.casefold().replace("ё", "е")
    text = text.translate(_QUOTE_TABLE)
    text = unidecode(text).lower().replace("'", "")
    text = _LEGAL_RE.sub(" ", text)
    text = _NON_ALNUM_RE.sub(" ", text)
    for old, new in FOLDS:
        text = text.replace(old, new)
    text = _DOUBLE_RE.sub(r"\1", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class MatchingConfig:
    """Settings of name resolution (config section ``matching``)."""

    fuzzy_threshold: float = 92.0
    review_min_score: float = 75.0
    home_country: str = "RU"
    token_threshold: float = 80.0

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


_VOWELS_H = str.maketrans("", "", "aeiouh")


def skeleton(token: str) -> str:
    """Consonant skeleton of a folded word: vowels and ``h`` dropped.

    Russian practical transcription changes a foreign name's vowels and its
    ``h`` (``Microsoft``/``Майкрософт``: ``mikrosoft``/``maikrosoft``;
    ``Pfizer``/``Пфайзер``) far more than its consonants, which the folds of
    :func:`normalise` already join; both skeletons are ``mkrsft``.
    """
    return token.translate(_VOWELS_H)


def _keys_of(words: Iterable[str]) -> frozenset[str]:
    return frozenset(t for w in words for t in normalise(w).split())


#: Sound correspondences of English-to-Russian practical transcription that
#: :data:`FOLDS` leave apart, applied by :func:`transcription_key` only:
#: ``-tion``/``-sion`` is ``-шн`` (``Solutions``/``Солюшнс``), a soft ``g`` and
#: ``zh`` are ``дж``/``ж`` (``Technologies``/``Технолоджис``,
#: ``Engineering``/``Инжиниринг``).
_TRANSCRIPTION_FOLDS: tuple[tuple[str, str], ...] = (
    ("tion", "shn"),
    ("sion", "shn"),
    ("zh", "j"),
    ("ge", "je"),
    ("gi", "ji"),
)


def transcription_key(token: str) -> str:
    """Loose key of a folded word for recognising a Russian transcription of
    an English dictionary word: the transcription folds above, then the
    consonant :func:`skeleton` with doubled consonants once and a final
    plural ``s`` dropped.

    >>> transcription_key(normalise("Технолоджис")) == transcription_key("tehnologies")
    True
    >>> transcription_key(normalise("Солюшнс")), transcription_key(normalise("Solutions"))
    ('slsn', 'slsn')
    """
    for old, new in _TRANSCRIPTION_FOLDS:
        token = token.replace(old, new)
    sk = _DOUBLE_RE.sub(r"\1", skeleton(token))
    return sk[:-1] if len(sk) > 3 and sk.endswith("s") else sk


_STOP_KEYS = _keys_of(STOPWORDS)
_PLACE_KEYS = _keys_of(PLACES) - _STOP_KEYS
_INDUSTRY_OF_KEY = {
    k: fits for words, fits in INDUSTRY_DESCRIPTORS.values() for k in _keys_of(words)
}
_DESCRIPTOR_KEYS = (_keys_of(DESCRIPTORS) | set(_INDUSTRY_OF_KEY)) - _STOP_KEYS - _PLACE_KEYS
_LONG_DESCRIPTORS = sorted(k for k in _DESCRIPTOR_KEYS if len(k) >= 6)


def _generic_tables(
    other: frozenset[str] | set[str], descriptor_keys: frozenset[str] | set[str]
) -> tuple[dict[str, tuple[str, ...]], frozenset[str], dict[str, str], list[str]]:
    """Keys of the generic words (given the stop and place keys ``other`` and
    the descriptor keys): industry of each industry word, the generic keys,
    transcription key → the generic or descriptor key it stands for, and the
    generic keys of six letters or more (typo look-up)."""
    industry = {k: fits for words, fits in INDUSTRY_GENERIC.values() for k in _keys_of(words)}
    keys = frozenset((_keys_of(GENERIC) | set(industry)) - set(other) - set(descriptor_keys))
    by_transcription: dict[str, str] = {}
    for k in sorted(keys | set(descriptor_keys)):
        if len(transcription_key(k)) >= 3:
            by_transcription.setdefault(transcription_key(k), k)
    return industry, keys, by_transcription, sorted(k for k in keys if len(k) >= 6)


_INDUSTRY_OF_GENERIC, _GENERIC_KEYS, _GENERIC_BY_TRANSCRIPTION, _LONG_GENERIC = _generic_tables(
    _STOP_KEYS | _PLACE_KEYS, _DESCRIPTOR_KEYS
)


def generic_of(token: str) -> str | None:
    """The listed generic or descriptor key a word stands for: itself, the
    word its :func:`transcription_key` shares (``tehnolojis`` →
    ``tehnologies``), or a typo (:func:`_is_typo`) of a generic word of six
    letters or more; ``None`` when it is no generic word."""
    if token in _GENERIC_KEYS or token in _DESCRIPTOR_KEYS:
        return token
    tk = transcription_key(token)
    # three consonants say enough only in a long word (``eplaensis``/``pln``)
    hit = _GENERIC_BY_TRANSCRIPTION.get(tk) if len(tk) >= 4 or len(token) >= 7 else None
    if hit is not None:
        return hit
    if len(token) >= 6:
        return next((g for g in _LONG_GENERIC if _is_typo(token, g)), None)
    return None


def industry_fits(token: str) -> tuple[str, ...] | None:
    """Registry industries an industry word (descriptor or generic) fits;
    ``None`` for a word that names no industry."""
    key = generic_of(token) or token
    return _INDUSTRY_OF_KEY.get(key) or _INDUSTRY_OF_GENERIC.get(key)


def _max_edits(length: int) -> int:
    """Typos forgiven in a word of this many letters: none below 5, one (only a
    swap of two neighbours at five letters) up to 9, two from 10."""
    return 0 if length < 5 else 1 if length < 10 else 2


def _is_typo(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by a typo :func:`_max_edits` forgives."""
    n = min(len(a), len(b))
    edits = _max_edits(n)
    if edits == 0 or OSA.distance(a, b, score_cutoff=edits) > edits:
        return False
    # five letters: only two neighbours swapped (``rtuks``/``truks``); one letter
    # changed would join too many short words (``skeda``/``skoda``, ``baier``/``haier``)
    return n > 5 or sorted(a) == sorted(b)


def word_class(token: str) -> str:
    """``stop``, ``descriptor``, ``place``, ``generic`` or ``word`` (a distinctive word).

    A ``generic`` word (:data:`GENERIC`) is a dictionary word of business or
    industry, or a Russian transcription of one (:func:`generic_of`).

    A single letter (an initial: ``Берлин-Хеми/А. Менарини``) is a ``stop``.

    A word of six letters or more that is a typo (:func:`_is_typo`) of a
    descriptor is a descriptor too (``motous``/``motors``).
    """
    if token in _STOP_KEYS or len(token) == 1:
        return "stop"
    if token in _PLACE_KEYS:
        return "place"
    if token in _DESCRIPTOR_KEYS:
        return "descriptor"
    if token in _GENERIC_KEYS:
        return "generic"
    if len(token) >= 6 and any(_is_typo(token, d) for d in _LONG_DESCRIPTORS):
        return "descriptor"
    if generic_of(token) is not None:
        return "generic"
    return "word"


_CLASS_WEIGHT = {
    "required": 1.0,
    "descriptor": DESCRIPTOR_WEIGHT,
    "generic": GENERIC_WEIGHT,
    "place": PLACE_WEIGHT,
    "stop": 0.0,
}


@dataclass(frozen=True)
class _Alias:
    group: int
    tokens: tuple[str, ...]
    classes: tuple[str, ...]
    weights: tuple[float, ...]


@dataclass
class TokenIndex:
    """The registry's names and aliases as weighted words (the ``token`` rule).

    Attributes
    ----------
    aliases
        Every name or alias that holds at least one distinctive word.
    groups
        ``mne_id`` of each group position used in ``aliases``.
    idf
        Weight of every distinctive registry word (see :data:`DESCRIPTOR_WEIGHT`).
    unknown_weight
        Weight of a word no registry name holds: the rarest there is.
    by_word
        Distinctive word → positions in ``aliases`` of the names holding it.
    by_skeleton
        :func:`skeleton` (four consonants or more) → the words that have it.
    by_length
        Word length → the distinctive words of that length (typo look-up).
    by_required
        :func:`transcription_key` of a dictionary word → positions in
        ``aliases`` of the names made of dictionary words only (``General
        Motors``), which need every one of their words, each found as itself
        or its transcription (``Дженерал``).
    """

    aliases: list[_Alias]
    groups: list[str]
    idf: dict[str, float]
    unknown_weight: float
    by_word: dict[str, list[int]]
    by_skeleton: dict[str, list[str]]
    by_length: dict[int, list[str]]
    by_required: dict[str, list[int]]
    group_words: list[frozenset[str]]
    group_industry: list[str]
    _word_cache: dict[str, tuple[tuple[str, str], ...]]
    _class_cache: dict[str, str]

    @classmethod
    def build(
        cls, mne_ids: list[str], keys: list[str], industry: Mapping[str, str] | None = None
    ) -> TokenIndex:
        """Index ``(mne_id, key)`` pairs of :func:`registry_names`.

        ``industry`` (``mne_id`` → the registry's industry) lets an industry
        descriptor that contradicts a group's industry count against it.
        """
        groups = sorted(set(mne_ids))
        pos = {g: i for i, g in enumerate(groups)}
        class_cache: dict[str, str] = {}

        def klass(t: str) -> str:
            if t not in class_cache:
                class_cache[t] = word_class(t)
            return class_cache[t]

        users: dict[str, set[int]] = {}
        parsed: list[tuple[int, list[str], list[str]]] = []
        for mne_id, key in zip(mne_ids, keys, strict=True):
            toks = [t for t in key.split() if klass(t) != "stop"]
            classes = [klass(t) for t in toks]
            if "word" not in classes:
                if "generic" not in classes:
                    continue
                # a name made of dictionary words only (``General Motors``):
                # every one of them is required, and found only as itself
                classes = ["required" if c in ("generic", "descriptor") else c for c in classes]
            parsed.append((pos[mne_id], toks, classes))
            for t, c in zip(toks, classes, strict=True):
                if c == "word":
                    users.setdefault(t, set()).add(pos[mne_id])
        n = len(groups)
        idf = {t: 1.0 + float(np.log((n + 1) / (len(g) + 1))) for t, g in users.items()}
        aliases: list[_Alias] = []
        seen: set[tuple[int, tuple[str, ...]]] = set()
        for group, toks, classes in parsed:
            if (group, tuple(toks)) in seen:
                continue
            seen.add((group, tuple(toks)))
            weights = tuple(
                idf[t] if c == "word" else _CLASS_WEIGHT[c]
                for t, c in zip(toks, classes, strict=True)
            )
            aliases.append(_Alias(group, tuple(toks), tuple(classes), weights))
        by_word: dict[str, list[int]] = {}
        for i, a in enumerate(aliases):
            for t in dict.fromkeys(
                t for t, c in zip(a.tokens, a.classes, strict=True) if c == "word"
            ):
                by_word.setdefault(t, []).append(i)
        by_required: dict[str, list[int]] = {}
        for i, a in enumerate(aliases):
            for t in dict.fromkeys(
                t for t, c in zip(a.tokens, a.classes, strict=True) if c == "required"
            ):
                by_required.setdefault(transcription_key(t), []).append(i)
        by_skeleton: dict[str, list[str]] = {}
        by_length: dict[int, list[str]] = {}
        for t in sorted(users):
            for sk in dict.fromkeys((skeleton(t), transcription_key(t))):
                if len(sk) >= 4:
                    by_skeleton.setdefault(sk, []).append(t)
            by_length.setdefault(len(t), []).append(t)
        return cls(
            aliases=aliases,
            groups=groups,
            idf=idf,
            unknown_weight=1.0 + float(np.log(n + 1)),
            by_word=by_word,
            by_skeleton=by_skeleton,
            by_length=by_length,
            by_required=by_required,
            group_words=[
                frozenset(t for t, u in users.items() if g in u) for g in range(len(groups))
            ],
            group_industry=[str((industry or {}).get(g, "")) for g in groups],
            _word_cache={},
            _class_cache=class_cache,
        )

    def word_class(self, token: str) -> str:
        """:func:`word_class`, except that a registry word is always a ``word``."""
        if token in self.idf:
            return "word"
        if token not in self._class_cache:
            klass = word_class(token)
            if klass == "generic" and token not in _GENERIC_KEYS and self.words_like(token):
                # a derived generic word that also spells a registry brand is
                # the brand: the registry's own words come first
                klass = "word"
            self._class_cache[token] = klass
        return self._class_cache[token]

    def words_like(self, token: str) -> tuple[tuple[str, str], ...]:
        """Registry words a query word stands for, each with how: ``exact``,
        ``phonetic`` (same :func:`skeleton`, four consonants or more, lengths
        within three letters) or ``typo`` (:func:`_is_typo`)."""
        hit = self._word_cache.get(token)
        if hit is not None:
            return hit
        if token in self.idf:
            found: tuple[tuple[str, str], ...] = ((token, "exact"),)
        else:
            out: dict[str, str] = {}
            for w in self.by_skeleton.get(skeleton(token), ()):
                if abs(len(w) - len(token)) <= 3:
                    out[w] = "phonetic"
            tk = transcription_key(token)
            for w in self.by_skeleton.get(tk, ()) if len(tk) >= 4 else ():
                # the same consonants once -tion/-шн and soft g/дж are joined
                # (``spedition``/``Шпедицион``); the skeleton index holds these too
                if abs(len(w) - len(token)) <= 3:
                    out[w] = "phonetic"
            edits = _max_edits(len(token))
            if edits:
                for length in range(len(token) - edits, len(token) + edits + 1):
                    pool = self.by_length.get(length)
                    if not pool:
                        continue
                    for w, _dist, _ in process.extract(
                        token, pool, scorer=OSA.distance, score_cutoff=edits, limit=None
                    ):
                        if _is_typo(token, w):
                            out.setdefault(w, "typo")
            if len(out) > 1:
                # a word stands for its nearest registry spellings only
                # (``jonson`` is ``johnson``, one letter off, not ``jansen``)
                dist = {w: OSA.distance(token, w) for w in out}
                out = {w: k for w, k in out.items() if dist[w] == min(dist.values())}
            found = tuple(sorted(out.items()))
        self._word_cache[token] = found
        return found

    def score(self, key: str) -> list[tuple[int, float, bool, frozenset[str], str]]:
        """Score every registry name that shares a distinctive word with ``key``.

        The score of a name is its *weighted overlap* with the query: the
        weight of the name's words found in the query, divided by the weight
        of the name's words plus that of the query's words left over. A
        descriptor or town left over costs little, an unknown distinctive
        word (``Tsusho`` in ``Toyota Tsusho``) as much as the group's own.

        Returns
        -------
        list
            One entry per candidate name: (alias position, weighted overlap
            0-1, whether every distinctive word of the name was found, the
            registry words found, the most lenient way a word was found:
            ``exact`` < ``phonetic`` < ``typo``).
        """
        toks = [t for t in key.split() if self.word_class(t) != "stop"]
        classes = [self.word_class(t) for t in toks]
        likes = [
            self.words_like(t) if c == "word" else () for t, c in zip(toks, classes, strict=True)
        ]
        weights = []
        for c, like in zip(classes, likes, strict=True):
            if c != "word":
                weights.append(_CLASS_WEIGHT[c])
            elif like:
                weights.append(max(self.idf[w] for w, _ in like))
            else:
                weights.append(self.unknown_weight)
        candidates = sorted(
            {i for like in likes for w, _ in like for i in self.by_word.get(w, ())}
            | {
                i
                for t, c in zip(toks, classes, strict=True)
                if c in ("generic", "descriptor")
                for i in self.by_required.get(transcription_key(t), ())
            }
        )
        rank = {"exact": 0, "phonetic": 1, "typo": 2}
        out = []
        for i in candidates:
            a = self.aliases[i]
            used: set[int] = set()
            matched = 0.0
            complete = True
            found: set[str] = set()
            how = "exact"
            for t, c, w in zip(a.tokens, a.classes, a.weights, strict=True):
                j_hit = None
                for j, q in enumerate(toks):
                    if j in used:
                        continue
                    if c == "word":
                        kind = next((k for r, k in likes[j] if r == t), None)
                        if kind is not None:
                            j_hit = j
                            if rank[kind] > rank[how]:
                                how = kind
                            break
                    elif q == t or (
                        c == "required" and transcription_key(q) == transcription_key(t)
                    ):
                        j_hit = j
                        break
                if j_hit is None:
                    if c in ("word", "required"):
                        complete = False
                    continue
                used.add(j_hit)
                matched += w
                found.add(t)
            extra = 0.0
            own = self.group_words[a.group]
            industry = self.group_industry[a.group]
            for j, w in enumerate(weights):
                if j in used:
                    continue
                if classes[j] == "word" and any(r in own for r, _ in likes[j]):
                    # another word of the same group (``Peugeot Citroen``): support
                    matched += w
                elif industry and industry not in (industry_fits(toks[j]) or (industry,)):
                    w = self.unknown_weight  # an industry this group is not in
                extra += w
            union = sum(a.weights) + extra
            out.append((i, matched / union if union else 0.0, complete, frozenset(found), how))
        return out

    def decide(
        self, key: str, threshold: float
    ) -> tuple[str | None, float, str | None, list[tuple[str, float]], str]:
        """The token rule's verdict on one key.

        Returns
        -------
        (mne_id, score, review_reason, candidates, how)
            ``mne_id`` when one group's name is wholly found in ``key`` with
            a weighted overlap ≥ ``threshold`` (0-1) and no other group's name
            holds every word that was found (``Mitsubishi`` alone is both
            ``Mitsubishi Motors`` and Daimler's ``Mitsubishi Fuso``: review).
            Otherwise ``None`` and a reason: ``ambiguous`` (two groups), or
            ``extra_words`` (a group's name is found but the key holds other
            distinctive words: ``Toyota Tsusho``); the reason is ``None`` when
            no group's name is wholly found (the fuzzy rule may still
            decide). ``candidates``: (mne_id, score 0-100) best first.
        """
        entries = self.score(key)
        best: dict[int, float] = {}
        full: dict[int, tuple[float, int, frozenset[str], str]] = {}
        strict: dict[int, tuple[float, int, frozenset[str], str]] = {}
        for i, sc, complete, found, how in entries:
            g = self.aliases[i].group
            best[g] = max(best.get(g, 0.0), sc)
            if complete and (g not in full or sc > full[g][0]):
                full[g] = (sc, i, found, how)
            if complete and how != "typo" and (g not in strict or sc > strict[g][0]):
                strict[g] = (sc, i, found, how)
        cands = sorted(best.items(), key=lambda x: (-x[1], x[0]))
        candidates = [(self.groups[g], round(100.0 * sc, 4)) for g, sc in cands]
        if not full:
            return None, float("nan"), None, candidates, ""
        ok = sorted((g for g, v in full.items() if v[0] >= threshold), key=lambda g: -full[g][0])
        if not ok:
            return None, float("nan"), "extra_words", candidates, ""
        if len(ok) > 1:
            return None, float("nan"), "ambiguous", candidates, ""
        g = ok[0]
        sc, i, found, how = full[g]
        own = set(self.aliases[i].tokens)
        if how == "typo" and any(
            self.word_class(t) == "generic" and t not in own for t in key.split()
        ):
            # a word one letter off a brand beside ordinary business words is
            # how a domestic firm is named (Данфор Инжиниринг): not the token
            # rule's to decide unless another name of the group is found
            # without a typo; else the fuzzy score may
            if g not in strict or strict[g][0] < threshold:
                return None, float("nan"), None, candidates, ""
            sc, i, found, how = strict[g]
        words = {w for w in found if w in self.idf}
        bare = any(
            self.aliases[j].group == g and set(self.aliases[j].tokens) == words
            for w in words
            for j in self.by_word.get(w, ())
        )
        # the registry lists the words found as a name of this group by
        # themselves (``АвтоВАЗ``): its own decision, whoever else uses them
        rivals = set() if bare else {j for w in words for j in self.by_word.get(w, ())}
        for j in rivals:
            other = self.aliases[j]
            if other.group != g and found <= set(other.tokens):
                return None, float("nan"), "ambiguous", candidates, ""
        return self.groups[g], round(100.0 * sc, 4), None, candidates, how


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
        key: tuple(sorted(set(ids))) for key, ids in names.groupby("key")["mne_id"]
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
            "key": pd.array(keys, dtype="string"),
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
    out = table.drop(columns="name").iloc[codes].reset_index(drop=True)
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
        For the chunks of one wave (:func:`mne_clusters.chunking.match_in_chunks`):
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
            "relations_row": pd.array(rows[needs], dtype="Int64"),
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
