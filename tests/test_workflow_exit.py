"""A finished run exits at once: the Snakefile cancels the idle wake-up timers that
Snakemake's scheduler leaves behind (mne_clusters.core.workflow_exit), and only those."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from mne_clusters.core import workflow_exit

ROOT = Path(__file__).resolve().parents[1]


def _timer(module: str, qualname: str) -> threading.Timer:
    def wake() -> None:  # what the scheduler's timer would call
        pass

    wake.__module__ = module
    wake.__qualname__ = qualname
    timer = threading.Timer(60, wake)
    timer.start()
    return timer


def test_only_the_schedulers_wake_up_timers_are_cancelled():
    scheduler = _timer(
        workflow_exit.SCHEDULER_MODULE, "JobScheduler._schedule_reevalutation.<locals>.<lambda>"
    )
    other = _timer("somebody.else", "JobScheduler._schedule_reevalutation.<locals>.<lambda>")
    look_alike = _timer(workflow_exit.SCHEDULER_MODULE, "JobScheduler.other.<locals>.<lambda>")
    try:
        assert workflow_exit.cancel_idle_timers() == 1
        scheduler.join(timeout=5)
        assert not scheduler.is_alive()
        assert other.is_alive() and look_alike.is_alive()
    finally:
        for t in (scheduler, other, look_alike):
            t.cancel()


def test_the_snakefile_cancels_them_when_a_run_ends_either_way():
    text = (ROOT / "Snakefile").read_text(encoding="utf-8")
    for handler in ("onsuccess", "onerror"):
        assert re.search(rf"^{handler}:\n    cancel_idle_timers\(\)$", text, flags=re.M), handler


def test_snakemake_still_names_its_timers_as_expected():
    """If Snakemake renames the function, the cancelling silently stops: fail here instead."""
    from snakemake.scheduling import job_scheduler

    source = Path(job_scheduler.__file__).read_text(encoding="utf-8")
    assert "def _schedule_reevalutation(" in source
    assert "threading.Timer(" in source
