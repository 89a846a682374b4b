"""A content-addressed cache of outputs, so that a job remakes only what changed.

Snakemake reruns a job when any of its inputs changed, and deletes the job's
outputs before it runs: editing one cell of clusters.csv reruns the plotting,
map and study jobs although most of their inputs come out byte for byte as
before. So the outputs that are costly to make - each figure
(:mod:`mne_clusters.plotting.figure_cache`) and each panel table's typed files
(:mod:`mne_clusters.waves.panel`) - are also kept here, under a key that hashes
everything their bytes can depend on (:func:`key`): the bytes of their inputs,
the part of the inputs' provenance record they show, the step's settings, the
code fingerprint of the step (every package module it imports), the versions
of the libraries that write them and of Python, and the file names. A job
whose key is found copies the kept files into place instead of making them;
any other job makes them and keeps what it made. A kept file is checked
against the checksum recorded when it was kept before it is used, and a cache
that cannot be read or written is skipped with a warning, never an error: the
cache can make a run faster, never different.

Where it lives: ``.snakemake/mne-clusters/cache/`` in the working directory
(``make clean`` removes it), or the folder named by the environment variable
``MNE_CLUSTERS_CACHE``; ``MNE_CLUSTERS_CACHE=off`` makes everything afresh. It
keeps the :data:`KEEP` most recently used entries of each output (a slot).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import platform
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from mne_clusters.core.atomic import atomic_path
from mne_clusters.core.provenance import sha256_file

log = logging.getLogger(__name__)

#: The environment variable naming the cache folder (or ``off``).
ENV = "MNE_CLUSTERS_CACHE"

#: Default folder, relative to the working directory of the job.
DEFAULT_DIR = ".snakemake/mne-clusters/cache"

#: Values of :data:`ENV` that turn the cache off.
OFF = frozenset({"off", "0", "false", "no", "none"})

#: Entries kept per slot (one figure of one wave, one panel table): the most recently used.
KEEP = 4

#: Outputs larger than this together are not kept (a panel of millions of rows):
#: copying them would cost about what making them does, and the disk they fill.
MAX_ENTRY_BYTES = 256 * 2**20

#: Bumped when the layout of an entry or the meaning of a key changes.
FORMAT = 1

#: Name of the file in each entry that records its key and file checksums.
ENTRY_RECORD = "entry.json"


def location() -> Path | None:
    """The cache folder, or ``None`` when :data:`ENV` turns the cache off."""
    value = os.environ.get(ENV, "").strip()
    if value.lower() in OFF:
        return None
    return Path(value or DEFAULT_DIR)


def library_versions(distributions: Iterable[str]) -> dict[str, str]:
    """Installed version of each distribution (``absent`` if not installed), and Python's.

    Read from the installed metadata, so nothing is imported; each distribution
    is looked up once per process (a lookup scans the installed packages, about
    1.5 ms, and every figure's key asks for eight).
    """
    return {"python": platform.python_version()} | {name: _version(name) for name in distributions}


@functools.cache
def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


def key(parts: Mapping[str, Any]) -> str:
    """The cache key of ``parts``: SHA-256 of their canonical JSON (sorted keys)."""
    text = json.dumps(
        {"cache_format": FORMAT, **parts},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _slot_dir(root: Path, slot: str) -> Path:
    return root.joinpath(*[p for p in slot.split("/") if p not in ("", ".", "..")])


def _copy_into_place(source: Path, target: Path) -> None:
    """Copy ``source`` onto ``target`` through a temporary file and a rename."""
    with atomic_path(target) as tmp:
        shutil.copyfile(source, tmp)


def restore(slot: str, entry_key: str, paths: Sequence[str | os.PathLike[str]]) -> bool:
    """Copy the kept files of ``entry_key`` onto ``paths``; ``False`` if there is no
    sound entry (none kept, a file missing, or a checksum that does not match).

    A file is matched to a path by its name (``mne_presence.png``); the key
    covers the list of names.
    """
    root = location()
    if root is None:
        return False
    entry = _slot_dir(root, slot) / entry_key
    try:
        recorded = json.loads((entry / ENTRY_RECORD).read_text(encoding="utf-8"))
        files: dict[str, str] = recorded["files"]
        sources = [entry / Path(p).name for p in paths]
        if sorted(files) != sorted(s.name for s in sources) or any(
            sha256_file(s) != files[s.name] for s in sources
        ):
            log.warning("cache entry %s is damaged: removed, made afresh", entry)
            shutil.rmtree(entry, ignore_errors=True)  # the fresh result takes its place
            return False
        for source, path in zip(sources, paths, strict=True):
            _copy_into_place(source, Path(path))
        os.utime(entry)  # most recently used: kept longest
    except FileNotFoundError:
        return False
    except (OSError, ValueError, KeyError, TypeError) as err:
        log.warning("cache entry %s could not be read (%s): made afresh", entry, err)
        return False
    return True


def store(
    slot: str,
    entry_key: str,
    paths: Sequence[str | os.PathLike[str]],
    parts: Mapping[str, Any] | None = None,
) -> None:
    """Keep copies of the files ``paths`` under ``entry_key`` (with ``parts``, the
    key's ingredients, for whoever wonders why an entry was or was not used),
    then drop the slot's entries beyond the :data:`KEEP` most recently used."""
    root = location()
    if root is None:
        return
    slot_dir = _slot_dir(root, slot)
    try:
        size = sum(os.path.getsize(p) for p in paths)
        if size > MAX_ENTRY_BYTES:
            log.info(
                "%s: %d MB, not kept in the cache (over %d MB)",
                slot,
                size >> 20,
                MAX_ENTRY_BYTES >> 20,
            )
            return
        slot_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".new-", dir=slot_dir))
        try:
            files = {}
            for p in paths:
                shutil.copyfile(p, tmp / Path(p).name)
                files[Path(p).name] = sha256_file(tmp / Path(p).name)
            record = {"files": files, "key": entry_key, "parts": parts or {}}
            (tmp / ENTRY_RECORD).write_text(
                json.dumps(record, sort_keys=True, indent=1, default=str), encoding="utf-8"
            )
            # An entry kept meanwhile by another job holds the same bytes: keep it.
            with contextlib.suppress(OSError):
                os.rename(tmp, slot_dir / entry_key)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        _prune(slot_dir)
    except OSError as err:
        log.warning("could not keep %s in the cache %s (%s)", slot, root, err)


def _prune(slot_dir: Path) -> None:
    entries = [p for p in slot_dir.iterdir() if p.is_dir() and not p.name.startswith(".")]
    entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)


def produce(
    slot: str,
    parts: Mapping[str, Any],
    paths: Sequence[str | os.PathLike[str]],
    make: Callable[[], None],
    *,
    label: str | None = None,
) -> bool:
    """Put the files ``paths`` in place: from the cache if an entry for ``parts`` is
    kept, else by calling ``make`` (which writes them) and keeping the result.
    ``label`` names them in the log (default: the paths).

    Returns ``True`` if the files came from the cache.
    """
    entry_key = key(parts)
    if restore(slot, entry_key, paths):
        shown = label or ", ".join(map(str, paths))
        log.info("%s: inputs unchanged, reused from the cache", shown)
        return True
    make()
    store(slot, entry_key, paths, parts)
    return False
