"""The findings page of a wave: the plain-language findings
(:mod:`mne_clusters.analysis.findings`) rendered as HTML for the report.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from mne_clusters.analysis.findings import TABLE_NAMES, build_findings
from mne_clusters.core import config as cfgmod
from mne_clusters.core import outputs

# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------

_CSS = """
.findings{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;
margin:1rem auto;color:#222;line-height:1.45}
.findings h2{font-size:1.4rem;margin:0 0 .5rem}
.findings .lead{color:#444;margin:0 0 1rem}
.findings article{border-left:4px solid #2b6a99;padding:.4rem 0 .4rem 1rem;margin:0 0 1.2rem}
.findings h3{font-size:1.05rem;margin:0 0 .4rem}
.findings dl{display:grid;grid-template-columns:10rem 1fr;gap:.25rem 1rem;margin:0}
.findings dt{font-weight:600;color:#2b6a99}
.findings dd{margin:0}
.findings .limits{color:#6a4a1a}
""".strip()


def render_findings_html(findings: Sequence[Mapping[str, str]], *, wave: str) -> str:
    """A self-contained HTML page of the findings (inline CSS, no scripts)."""
    esc = html.escape
    articles = []
    for f in findings:
        articles.append(
            f'<article id="finding-{esc(f["id"])}">\n'
            f"<h3>{esc(f['claim'])}</h3>\n<dl>\n"
            f"<dt>Test</dt><dd>{esc(f['test'])}</dd>\n"
            f"<dt>Result</dt><dd>{esc(f['result'])}</dd>\n"
            f'<dt>Cannot say</dt><dd class="limits">{esc(f["cannot_say"])}</dd>\n'
            f"<dt>Numbers from</dt><dd>{esc(f['tables'])}</dd>\n"
            "</dl>\n</article>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Findings, wave {esc(wave)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        '<section class="findings">\n'
        f"<h2>Findings, wave {esc(wave)}: MNEs and clusters</h2>\n"
        '<p class="lead">Each claim of the 2019 slides beside the test that addresses it. '
        "Every number is read from the wave's tables.</p>\n"
        + "\n".join(articles)
        + "\n</section>\n</body>\n</html>\n"
    )


def read_tables(tables_dir: str | os.PathLike[str]) -> dict[str, pd.DataFrame]:
    """Read the tables of :data:`TABLE_NAMES` that exist in ``tables_dir``."""
    out: dict[str, pd.DataFrame] = {}
    for name in TABLE_NAMES:
        path = Path(tables_dir) / f"{name}.csv"
        if path.is_file():
            out[name] = pd.read_csv(path, keep_default_na=False, na_values=[""])
    return out


def run_findings(*, wave: str, tables_dir: str, out: str, config: Mapping[str, Any]) -> None:
    """Write ``findings.html`` of a wave from the tables in ``tables_dir``.

    Parameters
    ----------
    wave
        Wave id.
    tables_dir
        Folder of the wave's tables (``data/processed/<wave>/tables``).
    out
        The HTML file to write.
    config
        Workflow configuration: ``stats.alpha`` (fallback alpha) and
        ``classify.top_n`` (the ranking cut-off named in the text).
    """
    config = config or {}
    alpha = float((config.get("stats") or {}).get("alpha", cfgmod.default("stats.alpha")))
    top_n = (config.get("classify") or {}).get("top_n")
    findings = build_findings(
        read_tables(tables_dir),
        wave=wave,
        alpha=alpha,
        top_n=int(top_n) if top_n is not None else None,
    )
    outputs.write_text(render_findings_html(findings, wave=wave), out)


__all__ = [
    "read_tables",
    "render_findings_html",
    "run_findings",
]
