"""One house style for every chart and map, and byte-for-byte reproducible saving.

Charts are drawn at 9 × 5 inches: full text width on an A4 page and a 16:9
slide, with type large enough for both. Every figure carries a title, a
subtitle stating *n*, and a source line at its foot built from the provenance
record of the table it draws (:func:`mne_clusters.core.provenance.source_line`).

:func:`save_figure` removes everything that varies between runs (dates, the
software string, random SVG ids), so that rerunning the workflow in the pinned
environment gives identical bytes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from mne_clusters.core import outputs, provenance

#: Size of every chart in inches (width, height).
FIGSIZE = (9.0, 5.0)

#: Fixed salt of SVG element ids, so ids are the same on every run.
SVG_HASHSALT = "mne-clusters"

#: Metadata written into each format; ``None`` removes an entry matplotlib
#: would otherwise add (a date, or its version string). Keys per format as the
#: ``savefig(metadata=...)`` documentation lists them.
METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}

#: Main colour, the colour of gaps (unknown, no data), and an accent.
MAIN = "#2b6a99"
ACCENT = "#d9822b"
UNKNOWN_COLOUR = "#b8b8b8"
GAP_HATCH = "///"

#: ColorBrewer YlGnBu, sequential and colour-blind safe (Brewer, colorbrewer2.org),
#: by number of classes: light to dark, every step clearly lighter than the next.
YLGNBU: dict[int, tuple[str, ...]] = {
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
    7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
}


def sequential(k: int) -> list[str]:
    """``k`` colours of a sequential scale (ColorBrewer YlGnBu), light to dark.

    Raises
    ------
    ValueError
        For fewer than 3 or more than 7 classes: a map reader cannot tell more
        shades apart (merge classes instead).
    """
    if k not in YLGNBU:
        raise ValueError(f"a sequential scale of {k} classes is not supported: use 3 to 7 classes")
    return list(YLGNBU[k])


#: Labels people read instead of the tables' codes.
LABELS: dict[str, str] = {
    # cluster status / programmes
    "innovative": "Pilot innovative",
    "industrial": "Industrial",
    "cdc_supported": "CDC-supported",
    "none": "No status",
    "all": "All clusters",
    "pilot_innovative": "Pilot innovative",
    "leading": "Leading",
    # MNE presence
    "member_only": "MNEs as members only",
    "partner_only": "MNEs as partners only",
    "member_and_partner": "MNEs as members and partners",
    "unknown_role_only": "MNEs, role unknown only",
    "with_mne": "With MNEs",
    "without_mne": "Without MNEs (members listed)",
    "mne_unknown": "No MNE recorded (members not listed)",
    # organisational levels and periods
    "initial": "Initial",
    "medium": "Medium",
    "high": "High",
    "old": "Old (founded up to 1998)",
    "new": "New (founded 1999 or later)",
    "unknown": "Unknown",
    # industries (contract vocabulary)
    "pharma_biotech": "Pharma & biotech",
    "medical": "Medical",
    "machinery_equipment": "Machinery & equipment",
    "automotive": "Automotive",
    "aerospace": "Aerospace",
    "ict": "ICT",
    "electronics": "Electronics",
    "chemicals": "Chemicals",
    "energy": "Energy",
    "materials": "Materials",
    "food_agri": "Food & agriculture",
    "construction": "Construction",
    "transport_logistics": "Transport & logistics",
    "tourism_creative": "Tourism & creative",
    "other": "Other",
}


def label(code: Any) -> str:
    """The readable label of a code (the code itself when none is defined)."""
    return LABELS.get(str(code), str(code))


def apply_style() -> None:
    """Set the house theme: seaborn white grid, readable type, fixed SVG ids."""
    sns.set_theme(style="whitegrid", context="notebook", font_scale=1.05)
    plt.rcParams.update(
        {
            "svg.hashsalt": SVG_HASHSALT,
            "svg.fonttype": "path",
            "font.family": "DejaVu Sans",
            "axes.titlesize": 12,
            "axes.titleweight": "normal",
            "axes.labelsize": 11,
            "xtick.labelsize": 10,
            "ytick.labelsize": 10,
            "legend.fontsize": 9.5,
            "figure.titlesize": 15,
            "figure.titleweight": "bold",
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )


def new_figure(
    title: str,
    subtitle: str,
    rec: Mapping[str, Any] | None,
    *,
    ncols: int = 1,
    figsize: tuple[float, float] = FIGSIZE,
    width_ratios: Sequence[float] | None = None,
    note: str = "",
    right: float = 1.0,
) -> tuple[Figure, Any]:
    """A figure in house style with title, subtitle (state *n* here) and source line.

    Parameters
    ----------
    title
        Bold headline at the top left.
    subtitle
        One line under the title: what is counted and *n*.
    rec
        Provenance record of the table drawn; its source line goes at the foot.
    ncols, figsize, width_ratios
        Layout of the axes.
    note
        An optional line above the source line (a gap, a caveat).
    right
        Right edge of the axes area (figure fraction): less than 1 leaves room
        for text drawn beside the axes.

    Returns
    -------
    tuple
        The figure and its axes (one ``Axes`` or an array of them).
    """
    apply_style()
    fig, axes = plt.subplots(
        1,
        ncols,
        figsize=figsize,
        gridspec_kw={"width_ratios": width_ratios} if width_ratios else None,
    )
    # Leave room for the title block above and the foot lines below the axes
    # (in inches, so that taller figures keep the same margins).
    height = figsize[1]
    top = 1.0 - 0.7 / height
    bottom = (0.22 + 0.17 * (note.count("\n") + 1 if note else 0)) / height
    fig.set_layout_engine("constrained", rect=(0.0, bottom, right, top - bottom))
    fig.text(0.01, 1.0 - 0.1 / height, title, ha="left", va="top", fontsize=15, fontweight="bold")
    fig.text(0.01, 1.0 - 0.42 / height, subtitle, ha="left", va="top", fontsize=11, color="#333")
    footer(fig, rec, note)
    return fig, axes


def footer(fig: Figure, rec: Mapping[str, Any] | None, extra: str = "") -> None:
    """Write the source line (and an optional note before it) at the foot of ``fig``."""
    height = fig.get_figheight()
    if rec is not None:
        line = "Source: " + provenance.source_line(rec)
        fig.text(0.01, 0.05 / height, line, ha="left", va="bottom", fontsize=7, color="#555555")
    if extra:
        fig.text(0.01, 0.2 / height, extra, ha="left", va="bottom", fontsize=9, color="#333333")


def bar_labels(ax: Axes, bars: BarContainer, texts: Sequence[str]) -> None:
    """Write ``texts`` at the end of horizontal or vertical ``bars``."""
    ax.bar_label(bars, labels=list(texts), padding=3, fontsize=10)


def percent(value: float) -> str:
    """A share as a rounded percentage (``33%``, ``2.7%`` below 10%)."""
    pct = 100.0 * value
    return f"{pct:.1f}%" if 0 < pct < 10 else f"{pct:.0f}%"


def save_figure(fig: Figure, paths: Sequence[str | os.PathLike[str]], *, dpi: int) -> None:
    """Write ``fig`` to each path (format from the extension), atomically and reproducibly.

    Parameters
    ----------
    fig
        The figure; it is closed afterwards.
    paths
        Output files; the extension (``png``, ``svg``, ``pdf``) names the format.
    dpi
        Resolution of raster formats.
    """
    plt.rcParams["svg.hashsalt"] = SVG_HASHSALT
    try:
        for path in paths:
            fmt = Path(path).suffix.lstrip(".").lower()
            metadata = METADATA.get(fmt)

            def write(
                tmp: Path, fmt: str = fmt, metadata: dict[str, Any] | None = metadata
            ) -> None:
                # The temporary name ends in ".tmp": the format must be explicit.
                fig.savefig(tmp, format=fmt, dpi=dpi, metadata=metadata)

            outputs.write_with(write, path)
    finally:
        plt.close(fig)
