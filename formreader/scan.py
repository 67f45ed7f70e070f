"""`formreader scan`: the command around the pipeline (progress, messages, exit code)."""

from __future__ import annotations

from pathlib import Path

import click
from tqdm import tqdm

from .errors import ExitCode
from .pipeline import ScanOptions, run_scan, scan_inputs
from .recognizer import Recognizer, model_path
from .report import write_report
from .results import ResultWriter
from .review import review_folder


def scan_command(inputs, out: Path, fields: Path, errors: Path, report: Path | None, model, review_below, batch_size, workers, resume, quiet, dask=None) -> ExitCode:
    path = model_path(model)  # a missing model stops us before any file is touched
    review = review_folder(report) if report else None
    writer = ResultWriter(out, fields, errors, resume=resume, review=review)
    files, skipped = scan_inputs(inputs, writer.done)
    bar = tqdm(total=None, unit="page", desc="scan", disable=quiet, dynamic_ncols=True, leave=True)

    def on_page(summary):
        bar.update(1)
        bar.set_postfix(digits=summary.digits, flagged=summary.flagged, refresh=False)

    def on_error(message: str):
        bar.clear()
        click.echo(f"formreader: {message}", err=True)

    options = ScanOptions(workers=min(workers, max(1, len(files))), batch_size=batch_size, review_below=review_below, views=report is not None, dask=dask)
    try:
        summary = run_scan(files, path, writer, options, on_page, on_error)
    except KeyboardInterrupt:
        click.echo(f"formreader: interrupted; rows written so far are kept in {out}. Run the same command with --resume to go on.", err=True)
        return ExitCode.ctrl_c
    finally:  # what was written stays on disk, whatever stopped the run
        bar.close()
        writer.close()
    if report:
        threshold = review_below if review_below is not None else summary.review_below or Recognizer.load(path).review_below
        figures = write_report(out, errors, review, report, threshold)
        if not quiet:
            click.echo(f"review report: {report} ({figures.flagged} digits to review)", err=True)
    if not quiet:
        click.echo(
            f"{summary.files} files ({skipped} already done), {summary.pages} pages, {summary.boxes} boxes, "
            f"{summary.digits} digits ({summary.free_digits} outside any box), {summary.flagged} flagged for review (below {summary.review_below:.4f}); "
            f"{summary.turned_pages} pages read turned upright, {summary.failed_files} files failed, {summary.pages_without_boxes} pages without digit boxes -> {out}",
            err=True,
        )
    if not files and not skipped:
        click.echo("formreader: no input files found", err=True)
        return ExitCode.input_file
    return ExitCode.input_file if summary.failed_files or summary.pages_without_boxes else ExitCode.ok
