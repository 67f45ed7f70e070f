"""Crash safety for real: a scan killed with SIGKILL or stopped with Ctrl-C, then resumed."""

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from formreader.pipeline import ScanOptions, run_scan, scan_inputs
from formreader.results import ResultWriter
from tests.conftest import ROOT, link_samples

KEY = ["file", "page", "field", "box"]


def read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def sorted_rows(frame):
    return frame.sort_values(KEY).reset_index(drop=True)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Ten files (fourteen pages): copies of the sample forms under other names."""
    return link_samples(tmp_path_factory.mktemp("backlog"), 10)


@pytest.fixture(scope="module")
def reference(inputs, shipped_model, tmp_path_factory):
    """The same files scanned in one uninterrupted run."""
    out = tmp_path_factory.mktemp("reference")
    files, _ = scan_inputs([inputs])
    writer = ResultWriter(out / "results.csv", out / "fields.csv", out / "errors.csv")
    run_scan(files, shipped_model, writer, ScanOptions(workers=1))
    writer.close()
    return read(out / "results.csv"), read(out / "fields.csv")


def held_open(folder):
    """A named pipe nobody writes to, given as the last input: reading it blocks for good,
    so a scan that has it cannot end before the test stops it (no race to lose)."""
    fifo = folder / "never-written.png"
    if not fifo.exists():
        os.mkfifo(fifo)
    return fifo


def start_scan(inputs, out, model, *extra, hold=None):
    """The scan as a user runs it; with `hold` (a pipe from held_open) as its last input."""
    command = [sys.executable, "-m", "formreader.cli", "scan", str(inputs), *([str(hold)] if hold else []), "--out", str(out),
               "--model", str(model), "--workers", "2", "--batch-size", "64", "--quiet", *extra]
    # a session of its own: a signal can go to the scan and its workers, as from a terminal;
    # Ctrl-C as a terminal gives it, also where the tests run as a background job (which
    # starts with SIGINT ignored, and the scan would inherit that and never stop)
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def wait_for_done(process, done_file, files: int, limit: float = 120):
    """Wait until at least `files` file names are in the .done list (the run is midway)."""
    start = time.time()
    while time.time() - start < limit and process.poll() is None:
        if done_file.is_file() and done_file.read_text().count("\n") >= files:
            return
        time.sleep(0.05)
    raise AssertionError(f"the scan did not reach {files} files done (exit {process.poll()})")


def test_kill_9_at_any_moment_then_resume_gives_every_box_once(inputs, reference, shipped_model, tmp_path):
    out = tmp_path / "results.csv"
    done = out.with_name("results.csv.done")
    # killed in the first run, killed again while resuming, at different points, then resumed to the end
    for after_files, resume in ((1, False), (4, True), (7, True)):
        process = start_scan(inputs, out, shipped_model, *(["--resume"] if resume else []), hold=held_open(tmp_path))
        wait_for_done(process, done, after_files)
        process.kill()  # SIGKILL to the scan itself: no chance to flush or clean up
        process.wait()
        os.killpg(process.pid, signal.SIGKILL)  # and its orphaned workers
        assert process.returncode == -signal.SIGKILL
    process = start_scan(inputs, out, shipped_model, "--resume")
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    results, fields = read(out), read(out.with_name("fields.csv"))
    assert not results.duplicated(KEY).any() and not fields.duplicated(["file", "page", "field"]).any()
    pd.testing.assert_frame_equal(sorted_rows(results), sorted_rows(reference[0]))
    assert len(done.read_text().splitlines()) == 10


def test_ctrl_c_flushes_what_is_done_and_says_how_to_resume(inputs, reference, shipped_model, tmp_path):
    out = tmp_path / "results.csv"
    hold = held_open(tmp_path)
    process = start_scan(inputs, out, shipped_model, hold=hold)
    wait_for_done(process, out.with_name("results.csv.done"), 2)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
    # as long as a resumed run may take: once (2026-11-22) a scan on a machine loaded by two
    # other scans was still shutting down after 60 s; not seen again in nine runs under load
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "--resume" in stderr
    done = out.with_name("results.csv.done").read_text().splitlines()
    assert 2 <= len(done) <= 10 and str(hold) not in done
    results = read(out)
    kept = results[results.file.isin(done)]
    expect = reference[0][reference[0].file.isin(done)]
    pd.testing.assert_frame_equal(sorted_rows(kept), sorted_rows(expect))
    process = start_scan(inputs, out, shipped_model, "--resume")
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    pd.testing.assert_frame_equal(sorted_rows(read(out)), sorted_rows(reference[0]))
