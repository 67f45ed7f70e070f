"""Digits drawn in handwriting fonts: writers' styles that MNIST's training set lacks.

MNIST's writers were American; cheque writers and many forms' writers write continental
1s and 7s, 9s with a straight stem, 0s with a tail. Handwriting fonts (Google's
handwriting families and its Playwrite school scripts of some forty countries, OFL,
fetched by `make fonts` from npm) draw those shapes. Each digit of each font is drawn
`per_digit` times with the writer's own width, slant, turn and pen weight varied, then
stored as a digit set for `formreader train --extra-data` (where it is normalised and
augmented like any other set).

>>> images, labels = render_font_digits([], per_digit=2, seed=0)
>>> images.shape, labels.shape
((0, 64, 64), (0,))
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from .errors import DataError

SIZE = 64  # each digit on a SIZE x SIZE canvas, dark on light, as a scan gives it
FONT_SUFFIXES = {".ttf", ".otf", ".woff"}  # what PIL's FreeType reads (WOFF2 needs brotli)


def font_files(folder: Path) -> list[Path]:
    """Every font file under `folder`, in a fixed order."""
    return sorted(p for p in Path(folder).rglob("*") if p.suffix.lower() in FONT_SUFFIXES)


def render_font_digits(files: list[Path], per_digit: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(images (n, SIZE, SIZE) uint8 dark on light, labels (n,)) for every digit of every
    font, `per_digit` variants each. A file FreeType cannot read raises DataError."""
    from PIL import ImageFont

    rng = np.random.default_rng(seed)
    images, labels = [], []
    for path in files:
        try:
            font = ImageFont.truetype(str(path), 56)
        except OSError as exc:
            raise DataError(f"{path}: not a font file FreeType can read ({exc})") from None
        for digit in range(10):
            glyph = _glyph(font, str(digit))
            if glyph is None:  # a font without digits
                continue
            for _ in range(per_digit):
                images.append(_variant(glyph, rng))
                labels.append(digit)
    if not images:
        return np.zeros((0, SIZE, SIZE), np.uint8), np.zeros(0, np.int64)
    return np.stack(images), np.array(labels, np.int64)


def _glyph(font, char: str) -> np.ndarray | None:
    """The character's ink, white on black, cropped to its box."""
    from PIL import Image, ImageDraw

    img = Image.new("L", (140, 140), 0)
    ImageDraw.Draw(img).text((30, 10), char, fill=255, font=font)
    return _cropped(np.asarray(img, np.float32))


def _cropped(ink: np.ndarray) -> np.ndarray | None:
    rows, cols = np.nonzero(ink > 30)
    if len(rows) == 0:
        return None
    return ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]


def _variant(glyph: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One writer's way with the glyph: width, slant, turn and pen weight, centred on the
    canvas as a digit cut from a box would be."""
    h, w = glyph.shape
    width = float(np.exp(rng.uniform(np.log(0.75), np.log(1.35))))
    ink = np.pad(cv2.resize(glyph, (max(1, round(w * width)), h)), 20)
    hh, ww = ink.shape
    shear = rng.normal(0, 0.12)
    m = cv2.getRotationMatrix2D((ww / 2, hh / 2), rng.normal(0, 5), 1.0)
    m[0, 1] += shear
    m[0, 2] -= shear * hh / 2
    ink = cv2.warpAffine(ink, m, (ww, hh))
    pen = int(rng.choice([-1, 0, 0, 1, 2]))  # thinner, as drawn, bolder
    if pen > 0:
        ink = cv2.dilate(ink, np.ones((pen + 1, pen + 1), np.uint8))
    elif pen < 0:
        ink = cv2.erode(ink, np.ones((2, 2), np.uint8))
    ink = _cropped(ink)
    canvas = np.zeros((SIZE, SIZE), np.float32)
    if ink is not None:  # an erosion never leaves a font's digit empty, but a canvas must come back
        scale = (SIZE - 8) / max(ink.shape)
        ink = cv2.resize(ink, (max(1, round(ink.shape[1] * scale)), max(1, round(ink.shape[0] * scale))), interpolation=cv2.INTER_AREA)
        y, x = (SIZE - ink.shape[0]) // 2, (SIZE - ink.shape[1]) // 2
        canvas[y : y + ink.shape[0], x : x + ink.shape[1]] = ink
    return 255 - np.clip(canvas, 0, 255).astype(np.uint8)
