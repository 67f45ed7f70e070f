"""Digit strings made from single training digits, for the string reader.

Real strings differ from a row of MNIST digits in how digits meet: they touch,
overlap and break; spacing, size and baseline vary along the string; slant and
width are the writer's; 1s and 7s come in continental shapes too; dots and dashes
stand between and after them (amounts), dashes part a date; remnants of
box lines, underlines and a neighbour's strokes reach in, a cheque's amount box has
lines over and under it; paper may be printed with a pattern (cheques). Each is drawn here at random, then the string goes
through the same normalisation as a field cut from a page (strings.normalise_string).
"""

from __future__ import annotations

import cv2
import numpy as np

from .augment import continental, draw_stroke
from .negatives import make_letter
from .strings import HEIGHT, MAX_DIGITS, NOT_DIGIT, WIDTH, normalise_string

CANVAS_H = 96
GLYPH_SHARE = 0.12  # strings holding a letter or mark
CONTINENTAL_SHARE = 0.3  # 1s and 7s written the continental way (see `continental`)
DATE_SHARE = 0.08  # strings written as a date, 8-3-89
BITONAL_SHARE = 0.15  # strings thresholded to black and white, as bilevel scanners and faxes give them


def _crop(image: np.ndarray) -> np.ndarray:
    mask = image > 30
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if len(rows) == 0:
        return image[:1, :1].astype(np.float32)
    return image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1].astype(np.float32)


def _length(rng: np.random.Generator) -> int:
    # the lengths of numbers on forms and cheques: mostly 2-6, up to 10
    return int(rng.choice(np.arange(1, 11), p=[0.05, 0.14, 0.15, 0.15, 0.14, 0.13, 0.08, 0.06, 0.05, 0.05]))


def _paste(canvas: np.ndarray, piece: np.ndarray, x: int, y: int) -> None:
    h, w = piece.shape
    y0, x0 = max(0, y), max(0, x)
    y1, x1 = min(canvas.shape[0], y + h), min(canvas.shape[1], x + w)
    if y1 > y0 and x1 > x0:
        region = canvas[y0:y1, x0:x1]
        np.maximum(region, piece[y0 - y : y1 - y, x0 - x : x1 - x], out=region)


def synth_string(pool_x: np.ndarray, pool_y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, list[int]]:
    """One random string: (float ink canvas, white on black; its digits)."""
    n = _length(rng)
    picks = rng.integers(0, len(pool_x), n)
    height = rng.uniform(26, 40)  # digit height on the canvas
    canvas = np.zeros((CANVAS_H, int(height * 1.3 * n + 120)), np.float32)
    base = CANVAS_H / 2 + height / 2
    slope = rng.normal(0, 0.03)
    spacing = rng.uniform(-0.08, 0.35)  # this writer's usual gap, in digit heights; < 0 overlaps
    x = int(rng.uniform(5, 30))
    thickness = rng.choice([-1, 0, 1, 2], p=[0.15, 0.35, 0.4, 0.1])  # pen: thinner, as is, bolder
    # this writer's digit width: MNIST's writers wrote narrow; cheque writers often wide
    # (too narrow a training hand reads one wide 0 as two)
    width = float(np.exp(rng.uniform(np.log(0.8), np.log(1.7))))
    marks = []  # where punctuation may go: after each digit
    # now and then a letter or mark among the digits (a name's initial, a crossed-out stroke):
    # the reader must say "not a digit" there, not read it as one, nor pass over it
    glyphs = set(rng.choice(n, size=rng.integers(1, 3), replace=True).tolist()) if rng.random() < GLYPH_SHARE else set()
    # a date now and then: groups of digits parted by dashes, which are not read
    separators = {int(rng.integers(0, 2)), int(rng.integers(2, 4))} if n >= 5 and rng.random() < DATE_SHARE else set()
    labels = []
    for k, i in enumerate(picks):
        label = NOT_DIGIT if k in glyphs else int(pool_y[i])
        if k in glyphs:
            digit = _crop(make_letter(rng))
        else:
            digit = _crop(continental(pool_x[i], label, rng, longest_flag=0.8) if rng.random() < CONTINENTAL_SHARE else pool_x[i])
        labels.append(label)
        s = height / 20.0 * rng.uniform(0.88, 1.12)
        digit = cv2.resize(digit, (max(1, round(digit.shape[1] * s * width * rng.uniform(0.85, 1.15))), max(1, round(digit.shape[0] * s))))
        if thickness > 0:
            digit = cv2.dilate(digit, np.ones((thickness + 1, thickness + 1), np.uint8))
        elif thickness < 0 and min(digit.shape) > 8:
            digit = cv2.erode(digit, np.ones((2, 2), np.uint8))
        h, w = digit.shape
        y = int(base + slope * x - h + rng.normal(0, 0.04 * height))
        _paste(canvas, digit * rng.uniform(0.75, 1.0), x, y)
        gap = max(-0.15, spacing + rng.normal(0, 0.06))
        if rng.random() < 0.06:
            gap += rng.uniform(0.4, 1.2)  # a wide space
        marks.append((x + w, int(base + slope * (x + w))))
        x += int(w + gap * height)
        if k in separators:
            x = _separator(canvas, x, int(base + slope * x), height, rng)
    _punctuation(canvas, marks, height, rng)
    _remnants(canvas, x, base, height, rng)
    canvas = _shear(canvas, rng.normal(0, 0.12))
    return _paper(canvas, rng), labels


def _separator(canvas, x: int, base: int, height: float, rng) -> int:
    """A date's dash at x; returns where the next digit may start. (Slashes were tried:
    a reader taught to pass over them dropped slanted 1s, 14 read as 4 on a real form.)"""
    width = max(1, int(height * rng.uniform(0.05, 0.1)))
    y, length = base - int(height * rng.uniform(0.35, 0.6)), height * rng.uniform(0.2, 0.45)
    draw_stroke(canvas, [(x, y), (int(x + length), y + int(rng.normal(0, 1.5)))], width, 255)
    return int(x + length + height * rng.uniform(0.0, 0.3))


def _punctuation(canvas, marks, height, rng) -> None:
    """Thousands dots and commas between digits, a dash or '=' after an amount."""
    if rng.random() < 0.4 and len(marks) >= 2:
        for k in rng.choice(len(marks) - 1, size=min(len(marks) - 1, rng.integers(1, 3)), replace=False):
            mx, my = marks[k]
            r = max(1, int(height * rng.uniform(0.04, 0.09)))
            cx = mx + int(rng.uniform(0.02, 0.15) * height)
            if rng.random() < 0.7:
                cv2.circle(canvas, (cx, my - r), r, 255.0, -1, cv2.LINE_AA)
            else:
                draw_stroke(canvas, [(cx, my - r), (cx - r, my + 2 * r)], max(1, r), 255)
    if rng.random() < 0.15:  # a full stop after the amount
        mx, my = marks[-1]
        r = max(1, int(height * rng.uniform(0.04, 0.09)))
        cv2.circle(canvas, (mx + int(rng.uniform(0.05, 0.3) * height), my - r), r, 255.0, -1, cv2.LINE_AA)
    if rng.random() < 0.3:
        mx, my = marks[-1]
        x0, length, y = mx + int(rng.uniform(0.05, 0.4) * height), int(rng.uniform(0.2, 0.6) * height), my - int(rng.uniform(0.2, 0.6) * height)
        width = max(1, int(height * 0.07))
        draw_stroke(canvas, [(x0, y), (x0 + length, y + int(rng.normal(0, 2)))], width, 255)
        if rng.random() < 0.3:
            draw_stroke(canvas, [(x0, y - int(0.2 * height)), (x0 + length, y - int(0.2 * height))], width, 255)


def _remnants(canvas, right, base, height, rng) -> None:
    """What reaches into a field from around it: a box side, a line under or over it, a
    stroke of a neighbour or of a printed prompt."""
    h, w = canvas.shape
    if rng.random() < 0.15:  # a piece of a box side, left or right of the digits
        x = int(rng.uniform(0, 8)) if rng.random() < 0.5 else min(w - 1, right + int(rng.uniform(2, 12)))
        length = height * rng.uniform(0.3, 1.3)
        y0 = int(base - height * rng.uniform(0.0, 1.2))
        draw_stroke(canvas, [(x, y0), (x, int(y0 + length))], int(rng.integers(1, 4)), 255 * rng.uniform(0.5, 1))
    if rng.random() < 0.12:  # an underline the line removal left, whole or in part
        y = int(base + rng.uniform(1, 0.2 * height))
        x0 = int(rng.uniform(0, 0.5) * right)
        draw_stroke(canvas, [(x0, y), (int(x0 + rng.uniform(0.2, 1.0) * right), y)], int(rng.integers(1, 3)), 255 * rng.uniform(0.5, 1))
    for over in (True, False):  # the lines of a cheque's amount box, over and under it all
        if rng.random() < 0.12:
            y = int(base - height * rng.uniform(1.05, 1.4)) if over else int(base + height * rng.uniform(0.02, 0.3))
            x0, x1 = int(rng.uniform(0, 0.15) * right), int(right + rng.uniform(-0.1, 0.5) * height)
            draw_stroke(canvas, [(x0, y), (x1, y + int(rng.normal(0, 1.5)))], int(rng.integers(1, 3)), 255 * rng.uniform(0.4, 1))
    if rng.random() < 0.1:  # the tail of a stroke from above or below
        x = int(rng.uniform(0, right))
        top = rng.random() < 0.5
        y0 = int(base - height * 1.05) if top else int(base + 0.05 * height)
        y1 = y0 + int((-1 if top else 1) * rng.uniform(0.1, 0.3) * height)
        draw_stroke(canvas, [(x, y0), (x + int(rng.normal(0, 5)), y1)], int(rng.integers(1, 4)), 255)
    if rng.random() < 0.1:  # specks
        for _ in range(rng.integers(1, 5)):
            cv2.circle(canvas, (int(rng.uniform(0, right)), int(rng.uniform(base - height * 1.2, base + 0.2 * height))), 1, 255.0 * rng.uniform(0.4, 1), -1)


def _shear(canvas: np.ndarray, shear: float) -> np.ndarray:
    h, w = canvas.shape
    m = np.float32([[1, -shear, shear * h / 2], [0, 1, 0]])
    return cv2.warpAffine(canvas, m, (w, h), flags=cv2.INTER_LINEAR)


def _paper(canvas: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Blur, a printed background pattern (as the ink map of a cheque leaves it), noise."""
    if rng.random() < 0.3:
        canvas = cv2.GaussianBlur(canvas, (0, 0), rng.uniform(0.5, 1.2))
    if rng.random() < 0.2:
        h, w = canvas.shape
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        f, a = rng.uniform(0.05, 0.4), rng.uniform(0, np.pi)
        pattern = (np.sin(f * (xx * np.cos(a) + yy * np.sin(a)) + rng.uniform(0, 6)) > rng.uniform(0.6, 0.95)) * rng.uniform(15, 35)
        canvas = np.maximum(canvas, pattern.astype(np.float32))
    if rng.random() < BITONAL_SHARE:  # the level relative to the ink's own: faint thin strings keep their strokes
        return np.where(canvas >= rng.uniform(0.25, 0.6) * canvas.max(), 255.0, 0.0).astype(np.float32)
    if rng.random() < 0.3:
        canvas = canvas + rng.normal(0, rng.uniform(3, 12), canvas.shape).astype(np.float32)
    return np.clip(canvas, 0, 255)


def synth_batch(pool_x, pool_y, size: int, rng: np.random.Generator):
    """(strips (size, HEIGHT, WIDTH) uint8, labels (size, MAX_DIGITS) int32 padded with 0, lengths (size,))."""
    strips = np.zeros((size, HEIGHT, WIDTH), np.uint8)
    labels = np.zeros((size, MAX_DIGITS), np.int32)
    lengths = np.zeros(size, np.int32)
    for k in range(size):
        strip = None
        while strip is None:  # a canvas with no ink left (never seen, but a crash would end a training)
            canvas, digits = synth_string(pool_x, pool_y, rng)
            strip = normalise_string(canvas)
        strips[k] = strip.image
        labels[k, : len(digits)] = digits
        lengths[k] = len(digits)
    return strips, labels, lengths
