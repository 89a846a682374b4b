"""The report's front page: data sources, replication, data accounting, findings.

``snakemake --report report.html`` renders ``workflow/report/workflow.rst``,
which embeds the HTML fragment written here. Everything on the page is read
from the workflow's own outputs and from ``config.yaml``: no number is typed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from mne_clusters import __version__
from mne_clusters.core import config as cfgmod
from mne_clusters.core.outputs import write_text
from mne_clusters.core.provenance import config_hash, sha256_file

#: What each reference table is and under which terms it is used.
SOURCES = {
    "mne_registry": "MNE groups named in the relations: name, aliases, headquarters country "
    "(cross-checked with Forbes Global 2000, 2018) and industry.",
    "regions": "The 85 federal subjects: ISO 3166-2 codes (pycountry), names (Constitution, "
    "Art. 65), federal districts as of 2019.",
    "innovation_rank": "HSE Russian Regional Innovation Index (RRII) ranks; partial, with bands "
    "where the source gives a range.",
    "investment_rank": "ASI National Investment Climate Rating places; partial.",
    "boundaries": "Region polygons: geoBoundaries gbOpen RUS ADM1 (2017), simplified. "
    "© OpenStreetMap contributors; geoBoundaries — Runfola et al. 2020, PLoS ONE 15(4): "
    "e0231866. Licence: ODbL 1.0.",
}

# Snakemake centres the front page vertically, so a page taller than the window
# (findings, replication table) would have its top cut off: start it at the top.
# Its column (the text, with the rule graph beside it) must be allowed to shrink
# (min-width:0), the rule graph wraps below it when both do not fit, and the
# page stays within the window, so that wide tables wrap their text instead of
# running off the right edge; columns of long text get a readable least width, and long
# snake_case codes and paths may break after "_" and "/" (<wbr>). The fragment
# is part of the report's page, so these rules apply however
# `snakemake --report` is called.
_STYLE = """<style>
div.h-screen.overflow-auto.items-center{align-items:flex-start;justify-content:flex-start;min-width:0}
div.h-screen.overflow-auto.items-center>div{min-width:0;max-width:100%;flex-wrap:wrap}
div.h-screen.overflow-auto.items-center>div>div.py-2{min-width:0;flex:1 1 36rem}
div.prose.max-w-lg{max-width:min(72rem,100%);min-width:0}
.mnec-front{max-width:100%}
.mnec-front table{display:table;width:100%;table-layout:auto}
.mnec-front table{border-collapse:collapse;margin:0.5em 0 1.2em 0;font-size:0.9em}
.mnec-front th,.mnec-front td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top;overflow-wrap:break-word}
.mnec-front th.long,.mnec-front td.long{min-width:9em}
.mnec-front th{background:#f2f2f2}
.mnec-front td.num{text-align:right}
.mnec-front h2{margin-top:1.2em}
</style>"""

#: A column whose longest text has more characters than this gets a least width.
LONG_TEXT = 60


def _cell_text(text: str) -> str:
    """Escaped cell text; a single code or path (no spaces) may break after
    ``_`` and ``/``, while prose breaks between words as usual."""
    escaped = html.escape(text)
    return escaped if re.search(r"\s", text) else re.sub(r"([_/])", r"\1<wbr>", escaped)


def _table_html(df: pd.DataFrame) -> str:
    """A plain HTML table, numbers right-aligned, every cell escaped.

    Columns of long text (more than :data:`LONG_TEXT` characters in a cell)
    carry ``class="long"``, which gives them a least width so that they wrap
    into lines of readable length rather than into a narrow strip.
    """
    long = {
        c
        for c in df.columns
        if max((len(str(v)) for v in df[c] if not pd.isna(v)), default=0) > LONG_TEXT
    }
    wide = ' class="long"'
    head = "".join(f"<th{wide if c in long else ''}>{_cell_text(str(c))}</th>" for c in df.columns)
    rows = []
    for _, row in df.iterrows():
        cells = []
        for column, value in row.items():
            text = "" if pd.isna(value) else str(value)
            is_num = isinstance(value, (int, float)) and not isinstance(value, bool)
            classes = [c for c, on in (("num", is_num), ("long", column in long)) if on]
            cls = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{cls}>{_cell_text(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _body_of(fragment: str) -> str:
    """The inside of <body> if ``fragment`` is a whole HTML document; styles kept."""
    styles = "".join(re.findall(r"<style[^>]*>.*?</style>", fragment, flags=re.S | re.I))
    match = re.search(r"<body[^>]*>(.*)</body>", fragment, flags=re.S | re.I)
    return styles + (match.group(1) if match else fragment)


def sources_html(config: Mapping[str, Any], waves: Sequence[str]) -> str:
    """Input files of every wave and reference table, with SHA-256 and a description."""
    researcher = "Researcher's desk-research file; every row cites its source."
    entries = []
    for wave in waves:
        entries += [
            (f"wave {wave}: {table}", config["waves"][wave][table], researcher)
            for table in cfgmod.WAVE_TABLES
        ]
        entries += [
            (f"wave {wave}: {table} (override)", spec, SOURCES.get(table, ""))
            for table, spec in cfgmod.overrides(config, wave).items()
        ]
    entries += [
        (f"reference: {table}", spec, SOURCES.get(table, ""))
        for table, spec in config["reference"].items()
    ]
    rows = [
        {
            "input": label,
            "file": cfgmod.file_path(spec),
            "sha256 (first 12)": sha256_file(cfgmod.file_path(spec))[:12],
            "what it is": what,
        }
        for label, spec, what in entries
    ]
    return _table_html(pd.DataFrame(rows))


def accounting_html(reconciliations: Sequence[str], waves: Sequence[str]) -> str:
    """Per wave and input table: rows read and what became of them."""
    frames = []
    for wave, path in zip(waves, reconciliations, strict=True):
        rec = pd.read_csv(path, dtype=str, keep_default_na=False)
        counts = rec.groupby(["table", "outcome"], sort=True).size().rename("rows").reset_index()
        counts.insert(0, "wave", wave)
        frames.append(counts)
    if not frames:
        return "<p>No wave.</p>"
    return _table_html(pd.concat(frames, ignore_index=True))


def front_page(
    *,
    waves: Sequence[str],
    findings: Sequence[str],
    replication: str,
    reconciliations: Sequence[str],
    config: Mapping[str, Any],
) -> str:
    """The front page as an HTML fragment (no scripts)."""
    rep_wave = config.get("replication_wave") or waves[0]
    replication_df = pd.read_csv(replication, dtype=str, keep_default_na=False)
    parts = [
        '<div class="mnec-front">',
        _STYLE,
        "<h2>Findings</h2>",
        "<p>Each claim of the 2019 slides, the test that addresses it, the result in plain "
        "words with its numbers (read from this run's tables), and what the data cannot say.</p>",
    ]
    for wave, path in zip(waves, findings, strict=True):
        parts.append(f"<h3>Wave {html.escape(wave)}</h3>")
        parts.append(_body_of(Path(path).read_text(encoding="utf-8")))
    parts += [
        f"<h2>Replication of the published figures (wave {html.escape(str(rep_wave))})</h2>",
        _table_html(replication_df),
        "<h2>Data sources</h2>",
        sources_html(config, waves),
        "<h2>Every input row accounted for</h2>",
        accounting_html(reconciliations, waves),
        "<h2>Provenance</h2>",
        f"<p>Generated by mne-clusters {html.escape(__version__)} with configuration hash "
        f"<code>{config_hash(config)}</code>. Tables carry a <code>.meta.json</code> sidecar; "
        "figures a source line.</p>",
        "</div>",
    ]
    return "\n".join(parts) + "\n"


def run_front_page(
    *,
    waves: Sequence[str],
    findings: Sequence[str],
    replication: str,
    reconciliations: Sequence[str],
    out: str,
    config: Mapping[str, Any],
) -> None:
    """Write the report's front page (see :func:`front_page`)."""
    write_text(
        front_page(
            waves=waves,
            findings=findings,
            replication=replication,
            reconciliations=reconciliations,
            config=config,
        ),
        out,
    )
