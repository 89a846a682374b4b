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

This module owns step 1 and the word classes the token rule reads
(``data/name_words.yaml``); steps 2-4 are :mod:`.matching` and
:mod:`.token_rule`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import yaml
from rapidfuzz.distance import OSA
from unidecode import unidecode

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
    (Path(__file__).parents[1] / "data" / "name_words.yaml").read_text(encoding="utf-8")
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
