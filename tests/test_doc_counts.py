"""Counts quoted in the docs are the data's counts.

``data/raw/README.md`` describes the default data with counts of its rows; each
sentence holding one is matched here and its numbers recomputed from the raw
files, so that a data change that leaves the README behind fails with the
sentence to update. The other docs (README.md, docs/*.md, the report captions)
quote no counts of the default data at all: the outputs give them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).parents[1]
RAW = ROOT / "data/raw"
README = RAW / "README.md"


def read(rel: str) -> pd.DataFrame:
    return pd.read_csv(RAW / rel, dtype=str, keep_default_na=False, encoding="utf-8")


def clusters() -> pd.DataFrame:
    return read("waves/2019/clusters.csv")


def relations() -> pd.DataFrame:
    return read("waves/2019/relations.csv")


def n_true(column: str) -> int:
    return int((clusters()[column].str.lower() == "true").sum())


def known(column: str) -> int:
    return int((clusters()[column].str.strip() != "").sum())


def role(name: str) -> int:
    return int((relations()["relation"] == name).sum())


def with_mne() -> set[str]:
    rel = relations()
    return set(rel.loc[rel["mne_id"].str.strip() != "", "cluster_id"])


def pilot() -> set[str]:
    c = clusters()
    return set(c.loc[c["is_innovative"].str.lower() == "true", "cluster_id"])


def rows(rel: str) -> int:
    return len(read(rel))


def features(rel: str) -> int:
    return len(json.loads((RAW / rel).read_text(encoding="utf-8"))["features"])


def ranks(rel: str, year: str) -> pd.Series:
    r = read(rel)
    return r.loc[r["year"] == year, "rank"]


def flag(column: str) -> pd.Series:
    """A status flag as classify reads it: True, False or None (blank, or named in
    the row's ``unverified_fields``: a default, not a fact)."""
    c = clusters()
    unverified = c["unverified_fields"].str.split("|").apply(lambda xs: {x.strip() for x in xs})
    value = c[column].str.strip().str.lower().map({"true": True, "false": False})
    return pd.Series(
        [
            None if (column in u or pd.isna(v)) else bool(v)
            for v, u in zip(value, unverified, strict=True)
        ],
        index=c.index,
        dtype=object,
    )


def statuses() -> dict[str, int]:
    """Status by precedence, counted as classify defines it (unknown kept)."""
    order = ["innovative", "industrial", "cdc_supported"]
    flags = {k: flag(f"is_{k}") for k in order}
    counts = dict.fromkeys([*order, "none", "unknown"], 0)
    for i in clusters().index:
        result = "none"
        for k in order:
            v = flags[k][i]
            if v is True:
                result = k
                break
            if v is None:
                result = "unknown"
                break
        counts[result] += 1
    return counts


def unverified(column: str) -> int:
    names = clusters()["unverified_fields"].str.split("|")
    return int(names.apply(lambda xs: column in {x.strip() for x in xs}).sum())


def year_kinds() -> tuple[int, int, int]:
    years = clusters()["founded_year"].str.strip()
    ranges = int(years.str.fullmatch(r"\d{4}\s*[-–]\s*\d{4}").sum())
    single = int(years.str.fullmatch(r"\d{4}").sum())
    return single, ranges, int((years == "").sum())


#: A pattern of data/raw/README.md (whitespace-tolerant) and the numbers its
#: groups must hold, computed from the files.
CLAIMS: list[tuple[str, Callable[[], tuple[int, ...]]]] = [
    # the table of files
    (r"`waves/2019/clusters\.csv` \| (\d+) \|", lambda: (rows("waves/2019/clusters.csv"),)),
    (
        r"`waves/2019/relations\.csv` \| (\d+) \| .*?: (\d+) member, (\d+) partner, (\d+) of unknown role",
        lambda: (len(relations()), role("member"), role("partner"), role("unknown")),
    ),
    (
        r"`waves/2019/excluded_clusters\.csv` \| (\d+) \|",
        lambda: (rows("waves/2019/excluded_clusters.csv"),),
    ),
    (
        r"`waves/2019/excluded_relations\.csv` \| (\d+) \| .*?\((\d+) tied to the excluded "
        r"entities, (\d+) first seen in 2021\)",
        lambda: (
            rows("waves/2019/excluded_relations.csv"),
            int(
                read("waves/2019/excluded_relations.csv")["excluded_because"]
                .str.contains("not a cluster initiative")
                .sum()
            ),
            int(
                read("waves/2019/excluded_relations.csv")["excluded_because"]
                .str.contains("first seen in 2021")
                .sum()
            ),
        ),
    ),
    (r"`reference/mne_registry\.csv` \| (\d+) \|", lambda: (rows("reference/mne_registry.csv"),)),
    (
        r"`reference/regions\.csv` \| (\d+) \| The (\d+) federal subjects",
        lambda: (rows("reference/regions.csv"),) * 2,
    ),
    (
        r"`reference/innovation_rank\.csv` \| (\d+) \|",
        lambda: (rows("reference/innovation_rank.csv"),),
    ),
    (
        r"`reference/innovation_rank_undated\.csv` \| (\d+) \|",
        lambda: (rows("reference/innovation_rank_undated.csv"),),
    ),
    (
        r"`reference/investment_rank\.csv` \| (\d+) \|",
        lambda: (rows("reference/investment_rank.csv"),),
    ),
    (
        r"`reference/boundaries\.geojson` \| (\d+) features \|",
        lambda: (features("reference/boundaries.geojson"),),
    ),
    # the counts table
    (
        r"innovative (\d+), industrial (\d+), CDC-supported (\d+), none (\d+), unknown (\d+) \(",
        lambda: tuple(statuses().values()),
    ),
    (
        r"is_innovative (\d+), is_industrial (\d+), is_cdc_supported (\d+) \|",
        lambda: (
            unverified("is_innovative"),
            unverified("is_industrial"),
            unverified("is_cdc_supported"),
        ),
    ),
    (
        r"\| members listed \(`members_listed` true\) \| (\d+) of (\d+):",
        lambda: (n_true("members_listed"), len(clusters())),
    ),
    (
        r"\| founding year \| a single year for (\d+), a range for (\d+) .*?unknown for (\d+) \|",
        year_kinds,
    ),
    (r"\| cluster initiatives \| (\d+) \|", lambda: (len(clusters()),)),
    (r"\| host regions \| (\d+) \|", lambda: (clusters()["region_iso"].nunique(),)),
    (
        r"pilot innovative (\d+), leading (\d+) \((\d+) unknown\), industrial (\d+), "
        r"CDC-supported (\d+) \|",
        lambda: (
            n_true("is_innovative"),
            n_true("is_leading"),
            len(clusters()) - known("is_leading"),
            n_true("is_industrial"),
            n_true("is_cdc_supported"),
        ),
    ),
    (
        r"\| relations \| (\d+): (\d+) member, (\d+) partner, (\d+) role unknown, in (\d+) "
        r"initiatives \|",
        lambda: (
            len(relations()),
            role("member"),
            role("partner"),
            role("unknown"),
            relations()["cluster_id"].nunique(),
        ),
    ),
    (
        r"\| MNE groups \| (\d+) named in the relations \(by `mne_id`\); (\d+) in the registry \|",
        lambda: (
            relations()["mne_id"].str.strip().replace("", pd.NA).dropna().nunique(),
            rows("reference/mne_registry.csv"),
        ),
    ),
    (
        r"\| initiatives with a relation to a named MNE group \| (\d+) \((\d+) of the (\d+) pilot",
        lambda: (len(with_mne()), len(with_mne() & pilot()), len(pilot())),
    ),
    # known to be incomplete
    (
        r"\*\*Initiatives: (\d+) \(in (\d+) regions\)",
        lambda: (len(clusters()), clusters()["region_iso"].nunique()),
    ),
    (r"some of the (\d+) may not be", lambda: (len(clusters()),)),
    (r"\*\*Pilot innovative: (\d+)\*\*", lambda: (n_true("is_innovative"),)),
    (
        r"\*\*Leading \(2016\): (\d+) confirmed\*\* against 11–12; (\d+) rows unknown",
        lambda: (n_true("is_leading"), len(clusters()) - known("is_leading")),
    ),
    (
        r"\*\*Industrial \(Minpromtorg registry\): (\d+) confirmed\*\*",
        lambda: (n_true("is_industrial"),),
    ),
    (r"\*\*CDC-supported: (\d+)\*\*", lambda: (n_true("is_cdc_supported"),)),
    (
        r"`org_level` known for (\d+) clusters .*?`n_members` for (\d+), of mixed years; "
        r"`n_employees` for\s+(\d+); `founded_year` for (\d+)",
        lambda: (
            known("org_level"),
            known("n_members"),
            known("n_employees"),
            known("founded_year"),
        ),
    ),
    (
        r"\*\*Relations: (\d+), covering (\d+) initiatives\*\*, naming (\d+) MNE groups; (\d+) of "
        r"unknown role",
        lambda: (
            len(relations()),
            relations()["cluster_id"].nunique(),
            relations()["mne_id"].str.strip().replace("", pd.NA).dropna().nunique(),
            role("unknown"),
        ),
    ),
    (
        r"Of the (\d+)\s+pilot clusters only (\d+) have any MNE relation here",
        lambda: (len(pilot()), len(with_mne() & pilot())),
    ),
    (
        r"RRII: ranks 1–3 exact,\s+(\d+) regions in the band 4-10",
        lambda: (int((ranks("reference/innovation_rank.csv", "2015") == "4-10").sum()),),
    ),
    (
        r"ASI \(2016 edition\): places\s+(\d+), (\d+), (\d+), (\d+), (\d+), (\d+) and (\d+) known",
        lambda: tuple(
            sorted(int(r) for r in ranks("reference/investment_rank.csv", "2015") if r.isdigit())
        ),
    ),
]


def readme_text() -> str:
    return re.sub(r"\s+", " ", README.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("pattern", "compute"), CLAIMS, ids=[c[0][:40] for c in CLAIMS])
def test_a_count_in_the_raw_data_readme_matches_the_files(pattern, compute):
    found = re.findall(pattern.replace(" ", r"\s+"), readme_text())
    assert len(found) == 1, f"data/raw/README.md: expected one sentence matching {pattern!r}"
    quoted = tuple(int(v) for v in (found[0] if isinstance(found[0], tuple) else (found[0],)))
    assert quoted == tuple(int(v) for v in compute()), (
        f"data/raw/README.md quotes {quoted} where the files give {compute()}: "
        f"update the sentence matching {pattern!r}"
    )


#: Phrases that quoted counts of the default data and drifted (issue 13).
DRIFTED = [
    r"\b76\b",  # clusters, data dictionary
    r"\b13 events\b",  # README
    r"\(43 in 2019\)",
    r"\b125\b",
    r"\b64 relations\b",
    r"in 20 initiatives",
]


@pytest.mark.parametrize(
    "doc",
    [
        "README.md",
        "docs/data-dictionary.md",
        "docs/ARCHITECTURE.md",
        "docs/adding-a-wave.md",
        *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "workflow/report").rglob("*.rst")),
    ],
)
def test_other_docs_quote_no_count_of_the_default_data(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    # a count of the default data is the number of clusters, relations,
    # initiatives with relations or events as the files now give them
    counts = {
        len(clusters()),
        len(relations()),
        relations()["cluster_id"].nunique(),
    }
    for n in sorted(counts):
        hits = re.findall(
            rf"\b{n}\b (?:clusters|cluster initiatives|initiatives|relations|events)", text
        )
        assert not hits, f"{doc} quotes {hits}: drop the count or generate it"
    for pattern in DRIFTED:
        assert not re.search(pattern, text), f"{doc} quotes {pattern!r}: drop the count"
