"""`formreader predict`: images that each hold one digit (or, with --fields, one digit string) -> CSV of reads."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from functools import partial
from typing import Iterable

import click
import cv2
import numpy as np

from .digits import has_ink, ink_map, to_mnist
from .errors import InputFileError
from .pages import find_inputs, read_pages
from .recognizer import BLANK, DEFAULT_BATCH, LOW_CONFIDENCE, NOT_DIGIT, Recognizer
from .strings import StringReader, normalise_string

NO_DIGITS = "no digits"  # ink, but nothing the string reader takes for a digit

COLUMNS = ["file", "digit", "confidence", "needs_review", "reason"]
FIELD_COLUMNS = ["file", "value", "digits", "min_confidence", "needs_review", "reason"]


def digit_image(gray: np.ndarray) -> np.ndarray | None:
    """One digit of any size and polarity -> MNIST-style 28x28, or None when blank."""
    ink = ink_map(gray)
    return to_mnist(ink) if has_ink(ink) else None


def field_strip(gray: np.ndarray) -> np.ndarray | None:
    """One digit string of any size and polarity, on any background -> the string reader's
    strip, or None when blank. A printed background pattern (a cheque's) is lighter than
    the ink: what is fainter than half of the ink's Otsu level goes."""
    ink = ink_map(gray)
    if not has_ink(ink):
        return None
    level, _ = cv2.threshold(ink.astype(np.uint8), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink[ink < 0.5 * level] = 0
    strip = normalise_string(ink)
    return None if strip is None else strip.image


def predict_files(paths: Iterable[Path], out: Path | None, model: Path | None = None, fields: bool = False) -> int:
    """Write one CSV row per readable file (with `fields`, each file is one digit string);
    return how many files could not be read."""
    if fields:
        reader = StringReader.load(model)
        columns, prepare, write = FIELD_COLUMNS, field_strip, partial(_write_field_rows, reader=reader)
    else:
        recognizer = Recognizer.load(model)
        columns, prepare, write = COLUMNS, digit_image, partial(_write_rows, recognizer=recognizer)
    handle = open(out, "w", newline="") if out else sys.stdout
    failed = 0
    try:
        writer = csv.writer(handle)
        writer.writerow(columns)
        pending: list[tuple[str, np.ndarray | None]] = []
        for path in find_inputs(paths):
            try:
                page = next(read_pages(path))
            except InputFileError as exc:
                click.echo(f"formreader: {exc}", err=True)
                failed += 1
                continue
            pending.append((str(path), prepare(page.image)))
            if len(pending) >= DEFAULT_BATCH:
                write(writer, pending=pending)
                pending = []
        write(writer, pending=pending)
    finally:
        if out:
            handle.close()
    return failed


def _write_field_rows(writer, reader: StringReader, pending: list[tuple[str, np.ndarray | None]]) -> None:
    inked = [image for _, image in pending if image is not None]
    reads = iter(reader.read(inked) if inked else [])
    for name, image in pending:
        if image is None:
            writer.writerow([name, "", 0, "", "true", BLANK])
            continue
        read = next(reads)
        reason = NO_DIGITS if not read.digits else NOT_DIGIT if any(read.not_digit) else LOW_CONFIDENCE if read.confidence < reader.review_below else ""
        lowest = min([read.confidence, *read.digit_confidence])
        writer.writerow([name, read.value, len(read.digits), f"{lowest:.4f}", str(bool(reason)).lower(), reason])


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
