"""`formreader predict`: images that each hold one digit -> CSV of reads."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Iterable

import click
import numpy as np

from .digits import has_ink, ink_map, to_mnist
from .errors import InputFileError
from .pages import find_inputs, read_pages
from .recognizer import BLANK, DEFAULT_BATCH, Recognizer

COLUMNS = ["file", "digit", "confidence", "needs_review", "reason"]


def digit_image(gray: np.ndarray) -> np.ndarray | None:
    """One digit of any size and polarity -> MNIST-style 28x28, or None when blank."""
    ink = ink_map(gray)
    return to_mnist(ink) if has_ink(ink) else None


def predict_files(paths: Iterable[Path], out: Path | None, model: Path | None = None) -> int:
    """Write one CSV row per readable file; return how many files could not be read."""
    recognizer = Recognizer.load(model)
    handle = open(out, "w", newline="") if out else sys.stdout
    failed = 0
    try:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        pending: list[tuple[str, np.ndarray | None]] = []
        for path in find_inputs(paths):
            try:
                page = next(read_pages(path))
            except InputFileError as exc:
                click.echo(f"formreader: {exc}", err=True)
                failed += 1
                continue
            pending.append((str(path), digit_image(page.image)))
            if len(pending) >= DEFAULT_BATCH:
                _write_rows(writer, recognizer, pending)
                pending = []
        _write_rows(writer, recognizer, pending)
    finally:
        if out:
            handle.close()
    return failed


def _write_rows(writer, recognizer: Recognizer, pending: list[tuple[str, np.ndarray | None]]) -> None:
    inked = [image for _, image in pending if image is not None]
    reads = recognizer.read(np.stack(inked)) if inked else None
    k = 0
    for name, image in pending:
        if image is None:
            writer.writerow([name, "", "", "true", BLANK])
            continue
        writer.writerow(
            [name, int(reads.digit[k]), f"{reads.confidence[k]:.4f}", str(bool(reads.needs_review[k])).lower(), reads.reason[k]]
        )
        k += 1
