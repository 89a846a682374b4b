"""Synthetic waves for the matching benchmark (seeded, no real firms).

A registry of ``n_groups`` invented groups, each with a Latin name and
``n_aliases`` aliases (a Cyrillic spelling, a local-entity name with a Russian
legal form, a foreign legal form, an abbreviation, a subsidiary name), and a
relations table whose organisation names are *noisy variants* of those names:
legal forms added (ООО, ЗАО, LLC, GmbH, A/S, S.p.A. …), quotes of several
kinds, case changes, one-letter typos, Latin names written in Cyrillic, plus
names of firms that are in no registry.

Real relation tables repeat names heavily, and so does this one: the rows draw
(uniformly, seeded) from a finite pool of ``pool_size`` noisy variants. The
cost of resolution grows with the number of distinct names, so a benchmark on
this data measures the realistic case, not the worst case of a million
distinct misspellings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SYLLABLES = [
    "ar",
    "bel",
    "cor",
    "dan",
    "el",
    "fer",
    "gal",
    "han",
    "ir",
    "jor",
    "kal",
    "lin",
    "mar",
    "nor",
    "or",
    "pal",
    "quin",
    "ros",
    "sal",
    "tor",
    "ul",
    "val",
    "wes",
    "xen",
    "yor",
    "zan",
    "bra",
    "cle",
    "dro",
    "fla",
    "gri",
    "kro",
    "mon",
    "pra",
    "ste",
    "tri",
    "vor",
]
SUFFIXES = ["Group", "Industries", "Pharma", "Motors", "Systems", "Technologies", "Holding"]
RU_FORMS = ["ООО", "ЗАО", "АО", "ПАО", "ОАО"]
FOREIGN_FORMS = ["LLC", "Inc.", "Corp.", "GmbH", "AG", "A/S", "S.p.A.", "SA", "Ltd", "PLC", "B.V."]
QUOTES = [("«", "»"), ('"', '"'), ("„", "“"), ("'", "'"), ("", "")]

#: Latin → Cyrillic, longest first: how a Russian source writes a foreign name.
TO_CYRILLIC = [
    ("sh", "ш"), ("ch", "ч"), ("kh", "х"), ("ya", "я"), ("yu", "ю"), ("th", "т"),
    ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"), ("e", "е"), ("f", "ф"),
    ("g", "г"), ("h", "х"), ("i", "и"), ("j", "дж"), ("k", "к"), ("l", "л"),
    ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"),
    ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "в"), ("x", "кс"),
    ("y", "й"), ("z", "з"),
]  # fmt: skip


def to_cyrillic(name: str) -> str:
    """A Russian-style spelling of a Latin name (letter by letter)."""
    out, i, low = [], 0, name.lower()
    while i < len(low):
        for lat, cyr in TO_CYRILLIC:
            if low.startswith(lat, i):
                out.append(cyr.capitalize() if name[i].isupper() else cyr)
                i += len(lat)
                break
        else:
            out.append(name[i])
            i += 1
    return "".join(out)


def _word(rng: np.random.Generator) -> str:
    return "".join(rng.choice(SYLLABLES, size=rng.integers(2, 4))).capitalize()


def make_registry(n_groups: int = 2000, n_aliases: int = 5, seed: int = 1) -> pd.DataFrame:
    """Registry of invented groups: ``mne_id``, ``name``, ``aliases``, ``hq_country``, ``industry``."""
    rng = np.random.default_rng(seed)
    rows = []
    for g in range(n_groups):
        base = f"{_word(rng)} {_word(rng)}"
        name = f"{base} {rng.choice(SUFFIXES)}"
        aliases = [
            to_cyrillic(base),
            f"{rng.choice(RU_FORMS)} «{to_cyrillic(base)} Рус»",
            f"{base} {rng.choice(FOREIGN_FORMS)}",
            "".join(w[0] for w in base.split()).upper() + f" {_word(rng)}",
            f"{base} Russia",
        ][:n_aliases]
        rows.append(
            (f"g{g:05d}", name, "|".join(aliases), rng.choice(["DE", "US", "FR", "JP", "RU"]),
             "other")
        )  # fmt: skip
    return pd.DataFrame(rows, columns=["mne_id", "name", "aliases", "hq_country", "industry"])


def _typo(rng: np.random.Generator, text: str) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    i = int(rng.choice(letters))
    kind = rng.integers(3)
    if kind == 0:  # substitution
        return text[:i] + rng.choice(list("aeiourstln")) + text[i + 1 :]
    if kind == 1:  # deletion
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]  # doubled letter


def noisy_variant(rng: np.random.Generator, registry: pd.DataFrame) -> str:
    """One organisation name as a source might write it."""
    row = registry.iloc[int(rng.integers(len(registry)))]
    names = [row["name"], *row["aliases"].split("|")]
    text = str(rng.choice(names))
    roll = rng.random()
    if roll < 0.25:
        text = to_cyrillic(text)
    if rng.random() < 0.4:
        text = f"{text} {rng.choice(FOREIGN_FORMS)}"
    if rng.random() < 0.4:
        left, right = QUOTES[int(rng.integers(len(QUOTES)))]
        text = f"{rng.choice(RU_FORMS)} {left}{text}{right}"
    if rng.random() < 0.2:
        text = text.upper()
    if rng.random() < 0.3:
        text = _typo(rng, text)
    return text


def make_pool(registry: pd.DataFrame, pool_size: int, seed: int = 2) -> list[str]:
    """``pool_size`` distinct-ish noisy names, 5 % of them firms in no registry."""
    rng = np.random.default_rng(seed)
    pool = []
    for _ in range(pool_size):
        if rng.random() < 0.05:
            pool.append(f"{rng.choice(RU_FORMS)} «{to_cyrillic(_word(rng))} {_word(rng)}»")
        else:
            pool.append(noisy_variant(rng, registry))
    return pool


def make_relations(
    n_rows: int, registry: pd.DataFrame, *, pool_size: int = 20_000, seed: int = 3
) -> pd.DataFrame:
    """A relations table of ``n_rows`` rows in the ingested frame contract."""
    rng = np.random.default_rng(seed)
    pool = np.array(make_pool(registry, pool_size, seed + 1), dtype=object)
    organisation = pool[rng.integers(len(pool), size=n_rows)]
    n_clusters = max(1, n_rows // 20)
    return pd.DataFrame(
        {
            "cluster_id": pd.array(
                [f"c{i:06d}" for i in rng.integers(n_clusters, size=n_rows)], dtype="string"
            ),
            "organisation": pd.array(organisation, dtype="string"),
            "relation": pd.array(
                rng.choice(["member", "partner", "unknown"], size=n_rows), dtype="string"
            ),
            "mne_id": pd.array([None] * n_rows, dtype="string"),
            "hq_country": pd.array([None] * n_rows, dtype="string"),
            "industry": pd.array([None] * n_rows, dtype="string"),
            "source_row": pd.array(np.arange(2, n_rows + 2), dtype="Int64"),
        }
    )
