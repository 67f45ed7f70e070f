"""The scan on a real Dask cluster on 127.0.0.1: same rows as a local run, even when a worker dies."""

import json
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from formreader.pipeline import ScanOptions, run_scan, scan_inputs
from formreader.results import ResultWriter
from tests.conftest import ROOT, link_samples

distributed = pytest.importorskip("distributed", reason="the distributed package is not installed")
KEY = ["file", "page", "field", "box"]


def read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def scan(files, model, out, options, on_page=lambda s: None):
    writer = ResultWriter(out / "results.csv", out / "fields.csv", out / "errors.csv")
    try:
        summary = run_scan(files, model, writer, options, on_page)
    finally:
        writer.close()
    return summary, read(out / "results.csv")


def same_rows(a, b):
    """Equal rows; confidences may differ in the last printed decimal (other batch sizes)."""
    a, b = (f.sort_values(KEY).reset_index(drop=True) for f in (a, b))
    exact = [c for c in a.columns if "confidence" not in c]
    pd.testing.assert_frame_equal(a[exact], b[exact])
    for column in ("confidence", "alt_confidence"):
        x, y = (pd.to_numeric(f[column], errors="coerce") for f in (a, b))  # blanks have none
        assert ((x - y).abs().fillna(0) <= 2e-4).all(), column


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return scan_inputs([link_samples(tmp_path_factory.mktemp("pages"), 6)])[0]


@pytest.fixture(scope="module")
def local_run(files, shipped_model, tmp_path_factory):
    return scan(files, shipped_model, tmp_path_factory.mktemp("local"), ScanOptions(workers=1))[1]


def test_local_cluster_gives_the_rows_of_a_local_run(files, shipped_model, local_run, tmp_path):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster:
        summary, rows = scan(files, shipped_model, tmp_path, ScanOptions(batch_size=128, dask=cluster.scheduler_address))
    assert summary.pages == 8 and summary.files == 6
    same_rows(rows, local_run)


def test_dask_local_from_the_command_line(shipped_model, tmp_path):
    run = subprocess.run([sys.executable, "-m", "formreader.cli", "scan", ROOT / "samples" / "forms", "--out", tmp_path / "r.csv",
                          "--model", shipped_model, "--dask", "local", "--workers", "2", "--quiet"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert len(read(tmp_path / "r.csv")) > 150 and (tmp_path / "report.html").is_file()


def test_unreachable_scheduler_is_one_line(shipped_model, tmp_path):
    run = subprocess.run([sys.executable, "-m", "formreader.cli", "scan", ROOT / "samples" / "forms", "--out", tmp_path / "r.csv",
                          "--model", shipped_model, "--dask", "tcp://127.0.0.1:9", "--quiet"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 6 and "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith("formreader: cannot reach the Dask scheduler at tcp://127.0.0.1:9")


@pytest.fixture
def cluster(tmp_path):
    """`dask scheduler` and two `dask worker` processes, as on real machines (no nanny: a killed worker stays dead)."""
    info = tmp_path / "scheduler.json"
    procs = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(info)], stderr=subprocess.DEVNULL)]
    for _ in range(100):
        if info.is_file() and info.stat().st_size:
            break
        time.sleep(0.1)
    address = json.loads(info.read_text())["address"]
    workers = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1", "--no-nanny",
                                 "--no-dashboard", "--host", "127.0.0.1"], stderr=subprocess.DEVNULL) for _ in range(2)]
    procs += workers
    with distributed.Client(address) as client:
        client.wait_for_workers(2, timeout=60)
    yield address, workers
    for p in procs:
        p.kill()
        p.wait()


def test_a_worker_stopped_midway_loses_nothing(files, shipped_model, local_run, cluster, tmp_path):
    address, workers = cluster
    killed = []

    def on_page(summary):  # once rows are coming back, one worker dies (SIGKILL: no goodbye to the scheduler)
        if not killed:
            workers[0].send_signal(signal.SIGKILL)
            killed.append(summary.pages)

    # one file per task, so both workers hold tasks when one dies
    summary, rows = scan(files, shipped_model, tmp_path, ScanOptions(batch_size=64, dask=address), on_page)
    assert killed and workers[0].wait(timeout=10) == -signal.SIGKILL
    assert summary.pages == 8 and summary.failed_files == 0
    same_rows(rows, local_run)
    with distributed.Client(address) as client:
        assert len(client.scheduler_info()["workers"]) == 1
