"""Run one package function for a Snakemake script, with people-friendly failure.

Scripts under ``workflow/scripts/`` call :func:`run`. It sends logging to the
rule's log file and to the terminal, and turns a :class:`DataError` or
:class:`ConfigError` into a plain message (no traceback) on the terminal and in
the log, removes any output the step may have begun, and exits with status 1.
Any other exception is a bug: its traceback goes to the log and the terminal.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from mne_clusters.core.errors import ConfigError, DataError

log = logging.getLogger("mne_clusters")


def _setup_logging(log_path: str | None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_path:
        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_path, mode="w", encoding="utf-8"))
    logging.basicConfig(
        level=logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
    )


class Terminated(Exception):
    """The job was asked to stop (SIGTERM)."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated(f"stopped by signal {signum}")


def _remove(paths: Iterable[str]) -> None:
    for p in paths:
        path = Path(p)
        if path.is_file():
            path.unlink()


def run(
    func: Callable[..., Any],
    *,
    log_path: str | None,
    outputs: Iterable[str] = (),
    **kwargs: Any,
) -> Any:
    """Call ``func(**kwargs)``; on a data or config error print it and exit 1.

    Parameters
    ----------
    func
        The package function to run.
    log_path
        The rule's log file (``snakemake.log[0]``), or ``None``.
    outputs
        The rule's output files, removed when the step fails.
    **kwargs
        Passed to ``func``.
    """
    _setup_logging(log_path)
    # Snakemake stops jobs with SIGTERM when a run is interrupted; turning it
    # into an exception lets every atomic writer remove its temporary file.
    signal.signal(signal.SIGTERM, _terminated)
    outputs = [os.fspath(o) for o in outputs]
    try:
        result = func(**kwargs)
    except Terminated:
        _remove(outputs)
        log.error("interrupted: outputs of this step removed; rerun to finish")
        logging.shutdown()
        sys.exit(143)
    except (DataError, ConfigError) as exc:
        _remove(outputs)
        message = exc.format() if isinstance(exc, DataError) else str(exc)
        log.error("%s", message)
        logging.shutdown()
        sys.exit(1)
    except Exception:
        _remove(outputs)
        log.error("unexpected failure (a bug: please report it):\n%s", traceback.format_exc())
        logging.shutdown()
        raise
    return result


def job_spec(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A job's spec (written by the workflow, an input of the job): ``settings``, the
    settings of each of its steps; ``args``, its other values; ``code``, the
    fingerprint of the package code it runs (its rerun trigger, not read here)."""
    spec: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return spec
