"""The Snakemake adapter: data errors are messages, interruptions leave nothing behind."""

import logging
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from mne_clusters.core.adapter import run
from mne_clusters.core.errors import DataError, Problem


@pytest.fixture(autouse=True)
def restore_logging():
    """run() configures the root logger for a job process; undo it for the next tests."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def test_data_error_is_printed_without_traceback_and_outputs_removed(tmp_path, capsys):
    out = tmp_path / "out.parquet"
    log = tmp_path / "job.log"

    def failing():
        out.write_text("partial", encoding="utf-8")
        raise DataError([Problem("clusters.csv", 3, "founded_year", "abc", "a whole number")])

    with pytest.raises(SystemExit) as exc:
        run(failing, log_path=str(log), outputs=[str(out)])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "clusters.csv, row 3, column 'founded_year': value 'abc'" in err
    assert "Traceback" not in err
    assert "row 3" in log.read_text(encoding="utf-8")
    assert not out.exists()


def test_sigterm_during_a_write_leaves_no_temporary_or_output_file(tmp_path):
    script = textwrap.dedent(
        f"""
        import time
        from mne_clusters.core.adapter import run
        from mne_clusters.core.outputs import atomic_path

        def slow():
            with atomic_path({str(tmp_path / "out.csv")!r}) as tmp:
                tmp.write_text("half", encoding="utf-8")
                print("writing", flush=True)
                time.sleep(30)

        run(slow, log_path={str(tmp_path / "job.log")!r}, outputs=[{str(tmp_path / "out.csv")!r}])
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "writing"
    os.kill(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)
    assert proc.returncode == 143
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.log"]
