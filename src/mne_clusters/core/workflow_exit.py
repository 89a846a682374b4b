"""Let a finished Snakemake run exit at once.

After a run that executed jobs, Snakemake (9.x) keeps a ``threading.Timer`` of
its job-rate limiter running: each pass of its scheduler starts one that wakes
the scheduler again after ``--max-jobs-per-timespan``'s span (1 s by default).
The timer is not a daemon thread, so the finished process waits for the last
one before it can exit: every ``snakemake`` call that ran a job ended one second
late, about a seventh of a rerun after one edited cell (benchmarks/README.md).
Once the run has ended (the Snakefile's ``onsuccess`` and ``onerror`` handlers)
the scheduler no longer waits for that wake-up, so :func:`cancel_idle_timers`
cancels those timers, and only those. A later Snakemake that names them
otherwise makes this a no-op; it never changes what a run computes.
"""

from __future__ import annotations

import threading

#: Where Snakemake's rate-limiter timers come from (module, qualified name).
SCHEDULER_MODULE = "snakemake.scheduling.job_scheduler"
SCHEDULER_FUNCTION = "JobScheduler._schedule_reevalutation."


def cancel_idle_timers() -> int:
    """Cancel the pending wake-up timers of Snakemake's job scheduler; how many."""
    cancelled = 0
    for thread in threading.enumerate():
        function = getattr(thread, "function", None)
        if (
            isinstance(thread, threading.Timer)
            and getattr(function, "__module__", "") == SCHEDULER_MODULE
            and getattr(function, "__qualname__", "").startswith(SCHEDULER_FUNCTION)
        ):
            thread.cancel()
            cancelled += 1
    return cancelled
