"""The string reader: a field's ink -> its digit string, without cutting it first.

A digit string (a number written in one box, on an underline, on a cheque) is
normalised to a 28 x 224 strip (MNIST's scale) and read by a small CNN whose columns are
decoded with CTC: the network says, for each 4-pixel column, which digit, which
mark that is no digit, or nothing it sees, so touching, broken and overlapping
digits need no cut. The probability of the decoded string (summed over all
alignments, temperature-calibrated) is its confidence; a string below the
stored threshold is flagged.

>>> reader = StringReader.load()  # doctest: +SKIP
>>> [r.value for r in reader.read([normalise_string(ink).image])]  # doctest: +SKIP
['86']
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from .errors import ModelError
from .shipped import shipped_model

HEIGHT, WIDTH = 28, 224
INK_HEIGHT = 20  # the string's ink is scaled to this height, as MNIST's digits are in 28
MARGIN = 4
STRIDE = 4  # input columns per output column
FRAMES = WIDTH // STRIDE
NOT_DIGIT = 10  # a letter or mark written among the digits: read, and flagged
BLANK = 11  # CTC's "nothing here" class, the last (a model of 11 classes has no NOT_DIGIT)
CLASSES = BLANK + 1
MAX_DIGITS = 12
# The strip is read as written and also narrower, wider and slanted either way; the
# string whose probability averaged over these readings is highest is the reading. A
# writer's width and slant a single reading has not seen shift its columns; averaged,
# a misreading one view alone is sure of loses to what most views see (real cheque
# amounts, even rows: 61.7% -> 68.3% exact).
VIEWS = ((1.0, 0.0), (0.85, 0.0), (1.2, 0.0), (1.0, 0.15), (1.0, -0.15), (0.85, 0.15), (1.2, -0.15))  # (width, slant)
DEFAULT_STRING_MODEL = shipped_model("strings.keras")


@dataclass
class Strip:
    """A string normalised for the reader, and how to map its columns back."""

    image: np.ndarray  # (HEIGHT, WIDTH) uint8, white ink on black
    left: float  # ink column of the strip's column MARGIN
    scale: float  # strip pixels per ink pixel


def normalise_string(ink: np.ndarray, threshold: float = 40.0) -> Strip | None:
    """Float ink (white on black, paper 0) -> Strip: the ink's bounding box scaled to
    INK_HEIGHT rows (narrower when a long string would not fit), left-aligned, centred
    vertically. None when there is no ink."""
    ink = np.asarray(ink, np.float32)
    mask = _without_specks(ink > threshold)
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if len(rows) == 0:
        return None
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    h, w = crop.shape
    scale = min(INK_HEIGHT / h, (WIDTH - 2 * MARGIN) / w)
    new_w, new_h = max(1, round(w * scale)), max(1, round(h * scale))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    small = cv2.resize(crop, (new_w, new_h), interpolation=interp)
    if small.max() > 0:
        small *= 255.0 / small.max()
    strip = np.zeros((HEIGHT, WIDTH), np.float32)
    top = (HEIGHT - new_h) // 2
    strip[top : top + new_h, MARGIN : MARGIN + new_w] = small
    return Strip(np.clip(strip, 0, 255).astype(np.uint8), float(cols[0]), scale)


def _without_specks(mask: np.ndarray) -> np.ndarray:
    """Specks of noise far smaller than the strokes would stretch the string's box."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    if count <= 2:
        return mask
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = np.concatenate([[False], areas >= max(3, 0.03 * areas.max())])
    return keep[labels]


def as_text(symbols) -> str:
    """Symbols (0-9, NOT_DIGIT) as a string's value: digits, and "x" for a mark."""
    return "".join("x" if s == NOT_DIGIT else str(int(s)) for s in symbols)


@dataclass
class StringRead:
    """What the reader says of one strip: a symbol is a digit, or a mark that is none."""

    digits: list[int]  # each symbol's most likely digit (for a mark too)
    not_digit: list[bool]  # the symbol is a letter or mark, not a digit
    confidence: float  # calibrated probability of the whole string
    digit_confidence: list[float]  # each symbol's peak column probability of that digit
    alt_digits: list[int]  # each symbol's second choice of digit at that column
    alt_confidence: list[float]
    spans: list[tuple[float, float]]  # each symbol's columns, from its peak to the next one's, in the strip's pixels

    @property
    def value(self) -> str:
        """The string as read: its digits, with "x" for a mark that is no digit."""
        return as_text(NOT_DIGIT if n else d for d, n in zip(self.digits, self.not_digit))

    def ink_spans(self, strip: Strip) -> list[tuple[float, float]]:
        """Each digit's columns in the ink the strip was made from."""
        return [(strip.left + (a - MARGIN) / strip.scale, strip.left + (b - MARGIN) / strip.scale) for a, b in self.spans]


def greedy_decode(probs: np.ndarray) -> tuple[list[int], list[int]]:
    """Best column labels, repeats merged and blanks (the last class) dropped: (symbols,
    the column of each symbol's strongest frame)."""
    blank = probs.shape[1] - 1
    best = probs.argmax(axis=1)
    symbols, peaks = [], []
    prev = blank
    for t, label in enumerate(best):
        if label != blank and label != prev:
            symbols.append(int(label))
            peaks.append(t)
        elif label != blank and label == prev and probs[t, label] > probs[peaks[-1], label]:
            peaks[-1] = t
        prev = label
    return symbols, peaks


def string_probability(log_probs: np.ndarray, labels: list[int]) -> float | np.ndarray:
    """P(labels | columns) summed over every CTC alignment (the forward algorithm), for
    (FRAMES, classes) log probabilities, or for a stack of them (..., FRAMES, classes) at once."""
    blank = log_probs.shape[-1] - 1
    if not labels:  # nothing read: every column blank
        return np.exp(log_probs[..., blank].sum(axis=-1))
    ext = [blank]
    for label in labels:
        ext += [label, blank]
    s = len(ext)
    emit = log_probs[..., ext]  # (..., FRAMES, s)
    alpha = np.full(emit.shape[:-2] + (s,), -np.inf)
    alpha[..., 0] = emit[..., 0, 0]
    if s > 1:
        alpha[..., 1] = emit[..., 0, 1]
    # where a path may skip a blank: between two different symbols (the same in every column)
    skip = np.array([i >= 2 and ext[i] != blank and ext[i] != ext[i - 2] for i in range(s)])
    for t in range(1, emit.shape[-2]):
        prev = alpha
        alpha = prev.copy()
        alpha[..., 1:] = np.logaddexp(alpha[..., 1:], prev[..., :-1])
        alpha[..., skip] = np.logaddexp(alpha[..., skip], prev[..., :-2][..., skip[2:]])
        alpha += emit[..., t, :]
    total = alpha[..., -1] if s == 1 else np.logaddexp(alpha[..., -1], alpha[..., -2])
    return np.exp(total)


def strip_view(image: np.ndarray, width: float, slant: float) -> tuple[np.ndarray, float]:
    """The strip's ink scaled `width` times as wide (no wider than the strip holds) and
    slanted by `slant` about its middle row: (the view, the width used)."""
    ink = image[:, MARGIN:].astype(np.float32)
    cols = np.flatnonzero(ink.max(axis=0) > 0)
    width = min(width, (WIDTH - 2 * MARGIN) / (cols[-1] + 1)) if len(cols) else width
    m = np.float32([[width, -slant, slant * HEIGHT / 2], [0, 1, 0]])
    view = np.zeros_like(image)
    view[:, MARGIN:] = np.clip(cv2.warpAffine(ink, m, (ink.shape[1], HEIGHT)), 0, 255).astype(np.uint8)
    return view, width


def read_views(probs: list[np.ndarray], widths: list[float]) -> StringRead:
    """One strip's column probabilities in each view -> the string likeliest on average
    over the views, read in the first view that decodes to it (its confidence the
    average; its spans mapped back to the strip as written)."""
    decoded = [tuple(greedy_decode(p)[0]) for p in probs]
    logs = np.log(np.maximum(np.stack(probs), 1e-12))
    average = {c: float(np.mean(string_probability(logs, list(c)))) for c in dict.fromkeys(decoded)}
    best = max(average, key=average.get)  # ties: the view listed first
    view = decoded.index(best)
    read = read_columns(probs[view], confidence=average[best])
    read.spans = [(MARGIN + (a - MARGIN) / widths[view], MARGIN + (b - MARGIN) / widths[view]) for a, b in read.spans]
    return read


def read_columns(probs: np.ndarray, confidence: float | None = None) -> StringRead:
    """(FRAMES, classes) calibrated column probabilities -> StringRead; its confidence the
    string's probability in these columns unless given (read_views: the views' average)."""
    symbols, peaks = greedy_decode(probs)
    if confidence is None:
        confidence = float(string_probability(np.log(np.maximum(probs, 1e-12)), symbols))
    order = np.argsort(-probs[:, :NOT_DIGIT], axis=1)
    digits = [int(order[t, 0]) if sym >= NOT_DIGIT else sym for sym, t in zip(symbols, peaks)]
    second = [int(order[t, 1]) for t in peaks]  # a digit symbol is its column's first digit
    # each symbol's columns: from its peak to the next one's. A symbol's column peaks where
    # the reader first sees it, at its left edge (its peak is 0-2 columns before its ink)
    bounds = [t * STRIDE for t in peaks] + [float(WIDTH)]
    spans = list(zip(bounds[:-1], bounds[1:]))
    return StringRead(
        digits,
        [sym == NOT_DIGIT for sym in symbols],
        confidence,
        [float(probs[t, d]) for d, t in zip(digits, peaks)],
        second,
        [float(probs[t, a]) for a, t in zip(second, peaks)],
        spans,
    )


def string_model_path(path: str | os.PathLike | None = None) -> Path | None:
    """The string model to use, or None where there is none (the scan then cuts strings
    into digits for the digit model instead)."""
    path = Path(path or os.environ.get("FORMREADER_STRING_MODEL") or DEFAULT_STRING_MODEL)
    return path if path.is_file() else None


class StringReader:
    """A loaded string model, its temperature and review threshold."""

    def __init__(self, model, temperature: float, review_below: float, path: Path | None = None):
        self.model, self.temperature, self.review_below, self.path = model, temperature, review_below, path

    @classmethod
    def load(cls, path: str | os.PathLike | None = None) -> "StringReader":
        found = string_model_path(path)
        if found is None:
            raise ModelError(f"{path or DEFAULT_STRING_MODEL}: no such string model (train one with `formreader train --strings`)")
        from .runtime import load_model

        return cls(*load_model(found, "string model"), found)

    def probabilities(self, strips: np.ndarray, batch_size: int = 256) -> np.ndarray:
        """(n, HEIGHT, WIDTH) uint8 -> (n, FRAMES, classes) calibrated column probabilities."""
        if len(strips) == 0:
            return np.zeros((0, FRAMES, CLASSES), np.float32)
        from .recognizer import predict_batches

        return predict_batches(self.model, np.asarray(strips, np.float32)[..., None], batch_size)

    def read(self, strips: list[np.ndarray] | np.ndarray, batch_size: int = 256, expected: list | None = None) -> list[StringRead]:
        """Each strip read in every view (VIEWS) and settled by read_views. With `expected`
        (for each strip a tuple of digits, or None), a strip whose reading as written is
        the string expected there is read in that view alone: the scan passes the digits
        the digit model read surely in the field's boxes, and two readers that agree so
        settle the field without the other views (which cost six readings more)."""
        strips = np.asarray(strips, np.uint8).reshape(-1, HEIGHT, WIDTH)
        expected = expected or [None] * len(strips)
        views = [[strip_view(strip, *VIEWS[0])] for strip in strips]
        first = self.probabilities(np.array([per[0][0] for per in views]).reshape(-1, HEIGHT, WIDTH), batch_size)
        settled = [e is not None and tuple(greedy_decode(p)[0]) == tuple(e) for p, e in zip(first, expected)]
        rest = [k for k, done in enumerate(settled) if not done]
        for k in rest:
            views[k] += [strip_view(strips[k], *v) for v in VIEWS[1:]]
        more = self.probabilities(np.array([image for k in rest for image, _ in views[k][1:]]).reshape(-1, HEIGHT, WIDTH), batch_size)
        n, probs = len(VIEWS) - 1, [[p] for p in first]
        for at, k in enumerate(rest):
            probs[k] += list(more[at * n : (at + 1) * n])
        return [read_views(p, [w for _, w in per]) for p, per in zip(probs, views)]
