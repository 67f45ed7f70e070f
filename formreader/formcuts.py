"""Training digits as the scan sees them: cut from generated form pages.

MNIST digits are clean. On a scanned form the scan's own cutting leaves its
marks: a remnant of a box line, a stroke clipped where it crossed a side, a
digit shrunk and re-sampled, JPEG and blur. The recognizer learns those from
pages made by formgen with the digits it is given (MNIST *training* digits,
never test ones), cut by the very code that cuts real scans (layout + digits),
and labelled by the page's truth.
"""

from __future__ import annotations

import multiprocessing

import numpy as np

from .digits import cut_fields
from .formgen import generate_page
from .layout import find_layout
from .negatives import NOT_A_DIGIT
from .scoring import iou

DPIS = (150, 200, 300)
MATCH_IOU = 0.5  # a cut taken for a truth box; less is a mis-cut, not a label


def form_digits(x: np.ndarray, y: np.ndarray, pages: int, seed: int, workers: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(images, labels) of the digits cut from `pages` generated pages filled with `x`/`y`,
    made in `workers` processes (a page takes about a second)."""
    if workers <= 1 or pages < 2:
        return _form_digits(x, y, pages, seed)
    shares = [pages // workers + (k < pages % workers) for k in range(workers)]
    # spawn: the trainer's process holds TensorFlow's threads, which a fork would copy half-way
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        parts = pool.starmap(_form_digits, [(x, y, n, seed * 100 + k) for k, n in enumerate(shares) if n])
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _form_digits(x: np.ndarray, y: np.ndarray, pages: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """One process's share of form_digits.

    A cut that lands on a blank box (a smudge or remnant the blank test let through)
    is labelled "not a digit"; cuts that match no truth box well are left out."""
    images, labels = [], []
    rng = np.random.default_rng([seed, 77])
    for k in range(pages):
        page = generate_page(rng, x, y, dpi=DPIS[k % len(DPIS)])
        truth = [((b.x, b.y, b.width, b.height), b.digit) for b in page.boxes]
        for field in cut_fields(page.image, find_layout(page.image, page.dpi)):
            for box in field.boxes:
                if box.image is None or not truth:
                    continue
                overlap, digit = max(((iou(box.rect, rect), digit) for rect, digit in truth), key=lambda t: t[0])
                if overlap >= MATCH_IOU:
                    images.append(box.image)
                    labels.append(NOT_A_DIGIT if digit is None else digit)
    if not images:
        return np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.int64)
    return np.stack(images), np.asarray(labels, np.int64)
