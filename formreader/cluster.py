"""The scan on a Dask cluster (`--dask ADDRESS` or `--dask local`).

Each task takes a few files: a worker reads and cuts their pages and classifies
all their digits in one batch with its own copy of the model. The model files
travel inside a worker plugin, so workers need no copy of it, and each worker
loads it once, on its first task. The input files must be readable by the
workers at the same paths (a shared file system). Results come back in input
order and are written by the scan as on one machine. A task whose worker dies
is run again by the scheduler on another worker; nothing is lost.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from distributed import Client, LocalCluster, WorkerPlugin, get_worker

from .errors import ClusterError
from .pipeline import FileCut, ScanOptions, cut_file, in_order, read_digits
from .recognizer import Reads, Recognizer
from .runtime import model_files
from .strings import string_model_path

DIGITS_PER_PAGE = 64  # about: sizes a task so that it holds about one batch of digits


class ModelPlugin(WorkerPlugin):
    """A worker plugin carrying the models' files (digits, and strings where there is a
    string model; each with its LiteRT copy where there is one); the worker loads them once."""

    name = "formreader-model"
    idempotent = False  # a new scan's plugin replaces the last one's (another model maybe)

    def __init__(self, model: Path, strings: Path | None = None):
        self.files = {"digits": _carried(model), "strings": _carried(strings) if strings else None}
        self.folder: Path | None = None
        self.loaded: Recognizer | None = None
        self.lock = threading.Lock()

    def __getstate__(self):  # only the bytes travel, not a loaded model or a lock
        return {"files": self.files}

    def __setstate__(self, state):
        self.files = state["files"]
        self.folder, self.loaded, self.lock = None, None, threading.Lock()

    def setup(self, worker=None):
        import cv2

        cv2.setNumThreads(1)  # one task per worker thread: threads inside would compete
        self.folder = Path(tempfile.mkdtemp(prefix="formreader-"))
        for kind, files in self.files.items():
            for name, data in (files or {}).items():
                (self.folder / kind).mkdir(exist_ok=True)
                (self.folder / kind / name).write_bytes(data)

    def teardown(self, worker=None):
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _path(self, kind: str) -> Path | None:
        files = self.files[kind]
        return self.folder / kind / next(n for n in files if n.endswith(".keras")) if files else None

    def recognizer(self) -> Recognizer:
        with self.lock:
            if self.loaded is None:
                self.loaded = Recognizer.load(self._path("digits"), self._path("strings"))
            return self.loaded


def _carried(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in model_files(path)}


def read_files(files: list[str], views: bool, review_below: float | None, batch_size: int) -> tuple[list[FileCut], Reads, float]:
    """A task: cut the files' pages and read all their digits. Runs on a worker."""
    recognizer = get_worker().plugins[ModelPlugin.name].recognizer()
    cuts = [cut_file(f, views) for f in files]
    return cuts, *read_digits(recognizer, cuts, review_below, batch_size)


@contextmanager
def connect(address: str, workers: int):
    """A Client of the cluster at `address`, or of a LocalCluster of `workers` processes for "local"."""
    if address == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, silence_logs=logging.ERROR)
        with cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {str(exc).splitlines()[0][:200]}") from None
    with client:
        yield client


def cluster_batches(client, files: list[str], model: Path, options: ScanOptions) -> Iterator[tuple[list[FileCut], Reads, float]]:
    """(cuts, reads, threshold) per task, in input order, with a bounded number of tasks in flight."""
    client.register_plugin(ModelPlugin(model, string_model_path()))
    per_task = max(1, options.batch_size // DIGITS_PER_PAGE)
    chunks = (files[i : i + per_task] for i in range(0, len(files), per_task))
    window = 2 * max(1, len(client.scheduler_info()["workers"])) + 2

    def submit(chunk):
        return client.submit(read_files, chunk, options.views, options.review_below, options.batch_size, pure=False)

    def collect(future):
        result = future.result()
        future.release()  # the scheduler may drop it now: memory stays bounded
        return result

    yield from in_order(submit, chunks, window, collect)
