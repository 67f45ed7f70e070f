"""Scan throughput and memory from 100 to 10,000 pages: does the pipeline stay steady?

    .venv/bin/python bench/bench_scale.py [--sizes 100 1000 10000] [--distinct 50] [--workers 2] [--dask local]

Generates `--distinct` pages (200 dpi JPEG, MNIST test digits; needs --data or
FORMREADER_DATA), links them under new names to make each size, and runs a
real `formreader scan` over each with its default options (review report
included). Reports pages/s with start-up, the slowest and fastest stretch of
the run (ten equal windows, at least 15 s each), and the peak resident memory
of the scan and all its workers, sampled 5 times a second.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import tempfile
import time
from pathlib import Path

from bench_scan import ROOT, decode_floor, tree_rss

from formreader.data import load_mnist
from formreader.samples import write_form_pages


def run(pages: Path, out: Path, workers: int, dask: str | None) -> dict:
    command = [str(ROOT / ".venv" / "bin" / "formreader"), "scan", str(pages), "--out", str(out / "results.csv"),
               "--workers", str(workers), "--quiet", *(["--dask", dask] if dask else [])]
    done = out / "results.csv.done"
    total = len(list(pages.iterdir()))
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, timeline = 0, []  # (seconds, files done)
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        if done.is_file():
            timeline.append((time.perf_counter() - start, done.read_bytes().count(b"\n")))
        time.sleep(0.2)
    _, stderr = process.communicate()
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"scan failed ({process.returncode}):\n{stderr[-2000:]}")
    timeline.append((seconds, total))
    first = next(t for t, n in timeline if n > 0)
    # pages/s in equal time windows after the first page (pages come out a batch at a time,
    # so windows shorter than a few batches would only measure the batching)
    width = max(15.0, (seconds - first) / 10)
    windows = []
    for k in range(int((seconds - first) // width)):
        a, b = first + k * width, first + (k + 1) * width
        windows.append((max(n for t, n in timeline if t <= b) - max(n for t, n in timeline if t <= a)) / width)
    return {
        "pages": total, "seconds": round(seconds, 1), "pages_per_s": round(total / seconds, 2),
        "window_s": round(width, 1), "slowest_window": round(min(windows), 2) if windows else None,
        "fastest_window": round(max(windows), 2) if windows else None,
        "peak_rss_mb": round(peak / 2**20), "report_mb": round(sum(p.stat().st_size for p in out.glob("report*.html")) / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--distinct", type=int, default=50)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dask", help="a scheduler address or 'local', passed to scan --dask")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--data", default=None)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="formreader-scale-"))
    distinct = folder / "distinct"
    write_form_pages(load_mnist(args.data), distinct, [(f"p{k:03d}.jpg", [(200, k % 5 == 4)]) for k in range(args.distinct)], args.seed)
    sources = sorted(distinct.glob("*.jpg"))
    rows = []
    for size in args.sizes:
        pages = folder / f"pages-{size}"
        pages.mkdir()
        for k in range(size):
            os.link(sources[k % len(sources)], pages / f"page-{k:05d}.jpg")
        figures = {"workers": args.workers, "dask": args.dask, **run(pages, folder / f"out-{size}", args.workers, args.dask)}
        figures["decode_floor_pages_per_s"] = round(decode_floor(sorted(pages.iterdir()), args.workers), 1)
        figures["share_of_floor"] = round(figures["pages_per_s"] / figures["decode_floor_pages_per_s"], 3)
        rows.append(figures)
        print(f"{size:6d} pages: {figures['pages_per_s']:6.2f} pages/s with start-up, {figures['share_of_floor']:.3f} of the decode floor "
              f"({figures['decode_floor_pages_per_s']} pages/s), "
              f"(windows of {figures['window_s']} s: {figures['slowest_window']}-{figures['fastest_window']}), peak {figures['peak_rss_mb']} MB, "
              f"{figures['seconds']} s, report {figures['report_mb']} MB", flush=True)
    print(json.dumps({"machine": f"{platform.machine()}, {os.cpu_count()} cores", "runs": rows}))


if __name__ == "__main__":
    main()
