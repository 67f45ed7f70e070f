"""Generated "not a digit" images for the recognizer's extra class.

A digit reader on real forms meets letters, ticks, crosses, scribbles, smudges,
dashes and bits of box border. These are drawn with fonts that ship with the
dependencies (OpenCV's Hershey fonts, which include two script hands, and
matplotlib's DejaVu family), as handwritten letters (a pen following each
letter's strokes with a writer's wobble, slant and proportions: people write
letters into digit boxes, and printed shapes alone taught the model too little
of them) and with random pen strokes, then normalised like MNIST, so that the
scan can flag them for review instead of reading H as 4.

Shapes that people really write as digits are left out on purpose: O, o, D, Q
(0), I, l, i, |, / (1), Z, z (2), S, s (5), b, G (6), T (7), B (8), g, q (9).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .digits import to_mnist

NOT_A_DIGIT = 10  # the recognizer's eleventh class
LETTERS = "ACEFHKLMNPRUVWXYacefhkmnprtuvwxy#%&@+*?!=<>$"
CANVAS = 64
HERSHEY = [
    cv2.FONT_HERSHEY_SIMPLEX,
    cv2.FONT_HERSHEY_DUPLEX,
    cv2.FONT_HERSHEY_COMPLEX,
    cv2.FONT_HERSHEY_TRIPLEX,
    cv2.FONT_HERSHEY_SCRIPT_SIMPLEX,
    cv2.FONT_HERSHEY_SCRIPT_COMPLEX,
]


def make_negatives(count: int, seed: int) -> np.ndarray:
    """`count` 28x28 uint8 non-digit images, white on black, reproducible from `seed`.

    >>> make_negatives(3, seed=0).shape
    (3, 28, 28)
    """
    rng = np.random.default_rng(seed)
    drawers = [_hershey_char, _font_char, _pen_letter, _tick_or_cross, _scribble, _smudge, _dash, _border_only]
    weights = np.array([0.2, 0.12, 0.25, 0.1, 0.12, 0.06, 0.05, 0.1])
    kinds = rng.choice(len(drawers), size=count, p=weights / weights.sum())
    return np.stack([drawers[k](rng) for k in kinds]) if count else np.zeros((0, 28, 28), np.uint8)


def make_letter(rng: np.random.Generator) -> np.ndarray:
    """One letter, printed or handwritten, or a scribble or tick: a mark among digits that
    is none (dashes, dots and border bits are not: in amounts they are punctuation)."""
    drawers = [_hershey_char, _font_char, _pen_letter, _pen_letter, _scribble, _tick_or_cross]
    return drawers[rng.integers(len(drawers))](rng)


def make_pen_letters(count: int, seed: int) -> np.ndarray:
    """`count` handwritten-style letters only (28x28 uint8): the figure "letters flagged"."""
    rng = np.random.default_rng(seed)
    return np.stack([_pen_letter(rng) for _ in range(count)]) if count else np.zeros((0, 28, 28), np.uint8)


def _canvas() -> np.ndarray:
    return np.zeros((CANVAS, CANVAS), np.uint8)


def _hershey_char(rng: np.random.Generator) -> np.ndarray:
    img = _canvas()
    font = int(rng.choice(HERSHEY)) | (cv2.FONT_ITALIC if rng.random() < 0.3 else 0)
    char = LETTERS[rng.integers(len(LETTERS))]
    cv2.putText(img, char, (12, 48), font, rng.uniform(1.2, 1.8), 255, int(rng.integers(2, 6)), cv2.LINE_AA)
    return to_mnist(img)


@lru_cache(maxsize=None)
def _font_files() -> tuple[Path, ...]:
    try:
        import matplotlib

        return tuple(sorted(p for p in Path(matplotlib.get_data_path(), "fonts", "ttf").glob("DejaVu*.ttf") if "Display" not in p.name))
    except ImportError:
        return ()


def _font_char(rng: np.random.Generator) -> np.ndarray:
    files = _font_files()
    if not files:
        return _hershey_char(rng)
    font = ImageFont.truetype(str(files[rng.integers(len(files))]), int(rng.integers(36, 52)))
    img = Image.new("L", (CANVAS, CANVAS), 0)
    ImageDraw.Draw(img).text((10, 2), LETTERS[rng.integers(len(LETTERS))], fill=255, font=font)
    return to_mnist(np.asarray(img))


# Strokes of handwritten letters in a unit box (x right, y down), as a pen draws them.
PEN_LETTERS = {
    "A": [[(0, 1), (0.5, 0), (1, 1)], [(0.25, 0.6), (0.75, 0.6)]],
    "C": [[(0.9, 0.15), (0.5, 0), (0.1, 0.2), (0, 0.5), (0.1, 0.8), (0.5, 1), (0.9, 0.85)]],
    "E": [[(0.9, 0), (0, 0), (0, 1), (0.9, 1)], [(0, 0.5), (0.7, 0.5)]],
    "F": [[(0.9, 0), (0, 0), (0, 1)], [(0, 0.5), (0.7, 0.5)]],
    "H": [[(0, 0), (0, 1)], [(1, 0), (1, 1)], [(0, 0.5), (1, 0.5)]],
    "K": [[(0, 0), (0, 1)], [(0.9, 0), (0, 0.55), (0.9, 1)]],
    "M": [[(0, 1), (0.05, 0), (0.5, 0.65), (0.95, 0), (1, 1)]],
    "N": [[(0, 1), (0, 0), (1, 1), (1, 0)]],
    "P": [[(0, 1), (0, 0), (0.7, 0), (0.95, 0.2), (0.7, 0.45), (0, 0.45)]],
    "R": [[(0, 1), (0, 0), (0.7, 0), (0.95, 0.2), (0.7, 0.45), (0, 0.45)], [(0.35, 0.45), (1, 1)]],
    "U": [[(0, 0), (0, 0.75), (0.25, 1), (0.75, 1), (1, 0.75), (1, 0)]],
    "V": [[(0, 0), (0.5, 1), (1, 0)]],
    "W": [[(0, 0), (0.25, 1), (0.5, 0.35), (0.75, 1), (1, 0)]],
    "X": [[(0, 0), (1, 1)], [(1, 0), (0, 1)]],
    "Y": [[(0, 0), (0.5, 0.5), (1, 0)], [(0.5, 0.5), (0.5, 1)]],
    "e": [[(0.1, 0.5), (0.9, 0.5), (0.75, 0.15), (0.45, 0), (0.15, 0.2), (0.05, 0.55), (0.25, 0.9), (0.6, 1), (0.9, 0.85)]],
    "h": [[(0, 0), (0, 1)], [(0, 0.65), (0.3, 0.45), (0.7, 0.45), (0.9, 0.65), (0.9, 1)]],
    "k": [[(0, 0), (0, 1)], [(0.8, 0.4), (0.05, 0.75), (0.8, 1)]],
    "m": [[(0, 1), (0, 0.3)], [(0, 0.45), (0.2, 0.3), (0.45, 0.4), (0.47, 1)], [(0.47, 0.45), (0.7, 0.3), (0.95, 0.4), (1, 1)]],
    "n": [[(0, 1), (0, 0.3)], [(0, 0.5), (0.35, 0.3), (0.75, 0.3), (0.95, 0.5), (0.95, 1)]],
    "r": [[(0, 1), (0, 0.3)], [(0, 0.6), (0.35, 0.35), (0.8, 0.3)]],
    "u": [[(0, 0.3), (0, 0.85), (0.25, 1), (0.7, 1), (0.95, 0.8)], [(0.95, 0.3), (0.95, 1)]],
    "v": [[(0, 0.3), (0.5, 1), (1, 0.3)]],
    "w": [[(0, 0.3), (0.25, 1), (0.5, 0.5), (0.75, 1), (1, 0.3)]],
    "x": [[(0, 0.3), (1, 1)], [(1, 0.3), (0, 1)]],
    "y": [[(0, 0), (0.5, 0.55)], [(1, 0), (0.35, 1)]],
}


def _pen_letter(rng: np.random.Generator) -> np.ndarray:
    """A letter as a hand writes it: the strokes' points wobble, the letter slants and is
    narrow or wide, the pen is thin or bold, and the lines are smoothed like a pen's."""
    strokes = PEN_LETTERS[list(PEN_LETTERS)[rng.integers(len(PEN_LETTERS))]]
    img = _canvas()
    width, slant, turn = rng.uniform(0.55, 1.1), rng.uniform(-0.35, 0.15), rng.uniform(-0.15, 0.15)
    matrix = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]]) @ np.array([[width, slant], [0, 1.0]])
    pen = _pen(rng)
    for stroke in strokes:
        points = np.asarray(stroke, np.float64) + rng.normal(0, 0.05, (len(stroke), 2))
        fine = np.linspace(0, len(points) - 1, 12 * len(points))
        path = np.stack([np.interp(fine, np.arange(len(points)), points[:, k]) for k in (0, 1)], axis=1)
        if len(points) > 2:  # round the corners a little, as a moving pen does
            path = cv2.GaussianBlur(path.reshape(-1, 1, 2), (1, 7), 0).reshape(-1, 2)
        path = (path - 0.5) @ matrix.T * 40 + 32
        cv2.polylines(img, [path.astype(np.int32)], False, 255, pen, cv2.LINE_AA)
    return to_mnist(img)


def _pen(rng: np.random.Generator) -> int:
    return int(rng.integers(3, 8))


def _tick_or_cross(rng: np.random.Generator) -> np.ndarray:
    img = _canvas()
    if rng.random() < 0.5:  # a tick: short stroke down, long stroke up
        a = (rng.integers(8, 20), rng.integers(28, 40))
        b = (rng.integers(22, 30), rng.integers(46, 56))
        c = (rng.integers(44, 58), rng.integers(6, 18))
        cv2.polylines(img, [np.array([a, b, c], np.int32)], False, 255, _pen(rng), cv2.LINE_AA)
    else:  # a cross
        lo, hi = rng.integers(6, 16, 4), rng.integers(48, 58, 4)
        cv2.line(img, (lo[0], lo[1]), (hi[0], hi[1]), 255, _pen(rng), cv2.LINE_AA)
        cv2.line(img, (hi[2], lo[2]), (lo[3], hi[3]), 255, _pen(rng), cv2.LINE_AA)
    return to_mnist(img)


def _scribble(rng: np.random.Generator) -> np.ndarray:
    """A smooth random pen path: a loop of squiggles, a crossed-out mark."""
    img = _canvas()
    anchors = rng.uniform(8, 56, (int(rng.integers(6, 11)), 2))  # many turns: no accidental 7 or 2
    t = np.linspace(0, 1, len(anchors))
    fine = np.linspace(0, 1, 80)
    path = np.stack([np.interp(fine, t, anchors[:, 0]), np.interp(fine, t, anchors[:, 1])], axis=1)
    path = cv2.GaussianBlur(path.reshape(-1, 1, 2), (1, 9), 0).reshape(-1, 2)
    cv2.polylines(img, [path.astype(np.int32)], False, 255, _pen(rng), cv2.LINE_AA)
    return to_mnist(img)


def _smudge(rng: np.random.Generator) -> np.ndarray:
    """A roundish ink blot; never a thin streak, which would be a 1."""
    img = _canvas()
    axes = (int(rng.integers(10, 22)), int(rng.integers(10, 22)))
    cv2.ellipse(img, (32, 32), axes, float(rng.uniform(0, 180)), 0, 360, 255, -1, cv2.LINE_AA)
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(2, 5))
    return to_mnist(img, threshold=100)


def _dash(rng: np.random.Generator) -> np.ndarray:
    """A dash or an equals sign: what people write in a box they mean to leave empty."""
    img = _canvas()
    y = int(rng.integers(26, 38))
    lines = 1 if rng.random() < 0.7 else 2
    for k in range(lines):
        x0, x1 = rng.integers(6, 20), rng.integers(44, 58)
        dy = int(rng.integers(-4, 5))
        cv2.line(img, (int(x0), y + 12 * k), (int(x1), y + 12 * k + dy), 255, _pen(rng), cv2.LINE_AA)
    return to_mnist(img)


def _border_only(rng: np.random.Generator) -> np.ndarray:
    """Bits of box border along the edges and a few specks, as cut (not normalised)."""
    img = np.zeros((28, 28), np.uint8)
    for _ in range(rng.integers(1, 4)):
        edge, offset, width = rng.integers(4), int(rng.integers(0, 3)), int(rng.integers(1, 3))
        band = slice(offset, offset + width) if edge < 2 else slice(28 - offset - width, 28 - offset)
        if edge % 2 == 0:
            img[band, :] = rng.integers(120, 256)
        else:
            img[:, band] = rng.integers(120, 256)
    k = rng.integers(0, 5)
    img[rng.integers(0, 28, k), rng.integers(0, 28, k)] = 255
    return img
