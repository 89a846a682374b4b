"""The comparison step of the workflow: waves put in chronological order, each
compared with the next later one (:mod:`.changes`), tables written and the
comparison charts drawn (:mod:`mne_clusters.plotting.comparison`), or copied
from the output cache (:mod:`mne_clusters.core.cache`) when the frame each is
drawn from, the part of the record it shows, the settings and the code are as
when it was last drawn.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from mne_clusters.core import cache, catalogue, outputs, provenance
from mne_clusters.core import config as cfgmod
from mne_clusters.core.errors import ConfigError
from mne_clusters.core.fingerprint import closure_fingerprint
from mne_clusters.plotting import record
from mne_clusters.plotting.figure_cache import figure_parts
from mne_clusters.waves.changes import cluster_changes, headline_indicators, relation_changes

log = logging.getLogger(__name__)


#: Output names (tables and figures) of :func:`run_comparison`, from the catalogue.
TABLES = tuple(t.name for t in catalogue.tables("comparison"))
FIGURES = tuple(f.name for f in catalogue.figures("comparison"))


# --------------------------------------------------------------------------- checks


def check_wave_id(wave_id: str) -> None:
    """Raise :class:`ConfigError` unless ``wave_id`` is a safe folder name.

    A wave id names output folders (``data/processed/<id>/``,
    ``figures/<id>/``), so it must match ``^[A-Za-z0-9][A-Za-z0-9_-]*$`` and
    not be one of the reserved folder names ``reference`` and ``comparison``.
    The rule is the one :mod:`mne_clusters.config` enforces on ``config.yaml``.

    Parameters
    ----------
    wave_id
        The wave id as written under ``waves:`` in ``config.yaml``.

    Raises
    ------
    ConfigError
        One line naming the key ``waves.<id>`` and the fix.
    """
    cfgmod.check_wave_id(wave_id)


# --------------------------------------------------------------------------- run


def _years(waves: Sequence[str], config: Mapping[str, Any]) -> dict[str, int | None]:
    """Survey year of each wave as the config gives it (``None`` when it does not)."""
    entries = (config or {}).get("waves") or {}
    out: dict[str, int | None] = {}
    for wave in waves:
        year = (entries.get(wave) or {}).get("year")
        out[wave] = int(year) if year is not None else None
    return out


def _chronological(
    waves: Sequence[str],
    clusters: Sequence[str],
    relations: Sequence[str],
    config: Mapping[str, Any],
) -> tuple[list[str], list[str], list[str]]:
    """The waves and their files ordered by survey year, then id.

    The workflow passes them in this order already; sorting here again makes
    the comparison run earlier → later whoever calls it.

    Raises
    ------
    ConfigError
        Two waves with the same survey year.
    """
    years = _years(waves, config)
    seen: dict[int, str] = {}
    for wave in sorted(waves):
        year = years[wave]
        if year is not None and year in seen:
            raise ConfigError(
                f"waves.{seen[year]} and waves.{wave}: both have survey year {year}; "
                "give each wave its own year"
            )
        if year is not None:
            seen[year] = wave
    order = sorted(
        range(len(waves)), key=lambda i: (years[waves[i]] is None, years[waves[i]] or 0, waves[i])
    )
    return (
        [waves[i] for i in order],
        [clusters[i] for i in order],
        [relations[i] for i in order],
    )


def frame_digest(frame: pd.DataFrame) -> str:
    """SHA-256 of a frame's exact content: its column names and dtypes, its index
    and every value (pandas' own hash of each row; floats to the last bit)."""
    digest = hashlib.sha256()
    digest.update(json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def run_comparison(
    *,
    waves: list[str],
    clusters: list[str],
    relations: list[str],
    out_tables: str,
    out_figures: str,
    formats: list[str],
    dpi: int,
    config: Mapping[str, Any],
) -> None:
    """Compare consecutive waves and write the comparison tables and charts.

    Writes ``<out_tables>/{relation_changes,cluster_changes,headline_indicators}.csv``
    (each with a ``.meta.json`` provenance sidecar) and
    ``<out_figures>/{headline_indicators,entries_exits}.<format>``.

    Parameters
    ----------
    waves
        Wave ids (at least two); compared in chronological order (survey year
        from ``config``, then id), whatever order they are given in.
    clusters, relations
        Classified ``clusters.parquet`` / ``relations.parquet`` of each wave,
        in the order of ``waves``.
    out_tables, out_figures
        Output folders (``data/processed/comparison``, ``figures/comparison``).
    formats
        Figure formats, e.g. ``["png", "svg"]``.
    dpi
        Resolution of PNG files.
    config
        The workflow configuration (hashed into the provenance; the status
        order is ``classify.status_precedence`` then ``none``).

    Raises
    ------
    ConfigError
        Fewer than two waves, lists of different lengths, or an unsafe wave id.
    """
    if len(waves) < 2:
        raise ConfigError("waves: the comparison needs at least two waves in config.yaml")
    if not len(waves) == len(clusters) == len(relations):
        raise ConfigError(
            f"waves: {len(waves)} wave(s) but {len(clusters)} clusters and "
            f"{len(relations)} relations files were given to the comparison"
        )
    for wave in waves:
        check_wave_id(wave)
    waves, clusters, relations = _chronological(waves, clusters, relations, config)
    years = _years(waves, config)
    pairs = [
        f"{p} ({years[p]}) → {n} ({years[n]})" if years[p] is not None else f"{p} → {n}"
        for p, n in zip(waves, waves[1:], strict=False)
    ]
    direction = {
        "waves": list(waves),
        "direction": "earlier → later: each wave is compared with the next later one "
        "(waves ordered by survey year, then id)",
        "pairs": pairs,
    }

    frames = {
        wave: (pd.read_parquet(c), pd.read_parquet(r))
        for wave, c, r in zip(waves, clusters, relations, strict=True)
    }
    rel_parts, cl_parts = [], []
    for prev_wave, next_wave in zip(waves, waves[1:], strict=False):
        (pc, pr), (nc, nr) = frames[prev_wave], frames[next_wave]
        rel_parts.append(relation_changes(pc, pr, nc, nr, prev_wave=prev_wave, next_wave=next_wave))
        cl_parts.append(cluster_changes(pc, nc, prev_wave=prev_wave, next_wave=next_wave))
    rel = pd.concat(rel_parts, ignore_index=True)
    cl = pd.concat(cl_parts, ignore_index=True)
    precedence = (config.get("classify") or {}).get("status_precedence")
    order = [*precedence, "none"] if precedence else None
    head = headline_indicators(frames, status_order=order)

    inputs = [*clusters, *relations]
    frames_out = {"relation_changes": rel, "cluster_changes": cl, "headline_indicators": head}
    # One record (every input hashed once); each table's says what it holds.
    base = provenance.record(wave=None, inputs=inputs, config=config, extra=direction)
    for name in TABLES:
        frame = frames_out[name]
        description = catalogue.table(name, scope="comparison").description
        rec = {
            **base,
            "description": f"{description} Compared earlier → later: {'; '.join(pairs)}.",
        }
        outputs.write_csv(frame, Path(out_tables) / f"{name}.csv", provenance=rec)
        log.info("wrote %s/%s.csv (%d rows)", out_tables, name, len(frame))

    # What a figure shows of the record (plotting.record: not its description):
    # its key in the output cache, with the exact content of the frame it is drawn from.
    shown = record.shown(base)
    code = closure_fingerprint("waves.step")
    for name in FIGURES:
        entry = catalogue.figure(name, scope="comparison")
        frame = frames_out[entry.inputs[0]]
        paths = [str(Path(out_figures) / f"{name}.{ext}") for ext in formats]

        def draw(
            function: str = entry.function, frame: pd.DataFrame = frame, paths: list[str] = paths
        ) -> None:
            # Imported here: a study with nothing new to draw loads no drawing module.
            # The comparison module is named too, though the catalogue resolves
            # its functions by name: so the code fingerprint covers it.
            from mne_clusters.plotting import comparison, style  # noqa: F401

            fig = catalogue.resolve(function)(frame, shown)
            style.save_figure(fig, paths, dpi=dpi)

        parts = figure_parts(
            figure=name,
            wave="comparison",
            inputs=[],
            record=shown,
            dpi=dpi,
            config=config,
            out=paths,
            code=code,
        )
        cache.produce(
            f"figures/comparison/{name}", {**parts, "frame": frame_digest(frame)}, paths, draw
        )
        log.info("wrote %s/%s.{%s}", out_figures, name, ",".join(formats))
