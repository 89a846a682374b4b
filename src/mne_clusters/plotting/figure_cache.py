"""The key of a figure in the output cache (:mod:`mne_clusters.core.cache`):
everything a figure's bytes can depend on (:func:`figure_parts`). Used by the
plotting job (:mod:`.step`) and the map job (:mod:`.map_step`); no matplotlib
here, so a job with nothing new to draw never imports it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mne_clusters.core import cache
from mne_clusters.core.provenance import sha256_file

#: Distributions whose versions can move a chart's bytes (also the map's).
DRAWING_LIBRARIES = (
    "matplotlib",
    "seaborn",
    "numpy",
    "pandas",
    "pillow",
    "fonttools",
    "contourpy",
    "kiwisolver",
)

#: ... and the map's besides.
MAP_LIBRARIES = (*DRAWING_LIBRARIES, "geopandas", "shapely", "pyproj", "pyogrio")


def _matplotlib_rc() -> dict[str, str]:
    """The matplotlibrc files that matplotlib would read besides its own, by path,
    with the SHA-256 of each: a researcher's own file can change what is drawn.

    Where matplotlib looks (``matplotlib.matplotlib_fname``, without importing
    it): ``./matplotlibrc``, then ``$MATPLOTLIBRC`` (a file, or a folder holding
    one), then ``$MPLCONFIGDIR/matplotlibrc`` or ``~/.config/matplotlib/matplotlibrc``.
    """
    rc_env = os.environ.get("MATPLOTLIBRC", "")
    config_dir = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.path.expanduser("~"), ".config", "matplotlib"
    )
    candidates = [
        "matplotlibrc",
        os.path.join(rc_env, "matplotlibrc") if os.path.isdir(rc_env) else rc_env,
        os.path.join(config_dir, "matplotlibrc"),
    ]
    return {p: sha256_file(p) for p in candidates if p and os.path.isfile(p)}


def figure_parts(
    *,
    figure: str,
    wave: str,
    inputs: Sequence[str | os.PathLike[str]],
    record: Mapping[str, Any] | None,
    dpi: int,
    config: Mapping[str, Any],
    out: Sequence[str | os.PathLike[str]],
    code: str,
    libraries: Sequence[str] = DRAWING_LIBRARIES,
) -> dict[str, Any]:
    """Everything the bytes of figure ``figure`` can depend on: the key of the output cache.

    The bytes of its input files (the table, and the map's boundaries); the part
    of the table's provenance record it shows
    (:func:`mne_clusters.plotting.record.figure_record`); the resolution and the
    step's settings; ``code``, the fingerprint of every package module the job
    imports (:func:`mne_clusters.core.fingerprint.closure_fingerprint`, the code
    a change to which reruns the job); the versions of the drawing libraries and
    of Python; the matplotlibrc files in reach; the output file names (and so
    their formats).
    """
    return {
        "figure": figure,
        "wave": wave,
        "inputs": [sha256_file(p) for p in inputs],
        "record": dict(record) if record is not None else None,
        "dpi": dpi,
        "settings": dict(config),
        "code": code,
        "libraries": cache.library_versions(libraries),
        "matplotlibrc": _matplotlib_rc(),
        "files": [Path(p).name for p in out],
    }
