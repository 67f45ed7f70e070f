"""Digit images -> MNIST-style 28x28 inputs.

MNIST was made by fitting each digit's ink into a 20x20 box, keeping its
aspect ratio, with anti-aliasing, then centring it by its centre of mass in a
28x28 frame; ink is white (255) on black (0). Every digit formreader reads goes
through the same steps so the recognizer sees what it was trained on.

The cut (cut_fields): each field of a page's layout becomes its digits' images, a
separate box's from the ink written in it (box_ink.py, less the box's lines found by
box_lines.py), a string field's split into its marks (string_marks.py) and read as a
string (strings.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from .box_ink import bar_on_top_line, cell_ink, crop_deskewed, faint_mark, is_blank, window_ink, window_to_page
from .layout import Field, Layout, Rect, draw_on_gray, rect_moved
from .review import FieldView
from .string_marks import left_out, lines_across, marks_within, ruled, split_string
from .strings import STRIDE, Strip, StringRead, normalise_string

MNIST_SIZE = 28
MNIST_BOX = 20


def ink_map(gray: np.ndarray) -> np.ndarray:
    """Any grey image of one digit -> float32 ink map, white on black, paper at 0.

    The polarity is detected from the border: paper is what surrounds the digit.
    """
    img = gray.astype(np.float32)
    border = np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]])
    if np.median(border) > 127:  # dark ink on light paper
        img, border = 255.0 - img, 255.0 - border
    img -= np.median(border)
    np.clip(img, 0, None, out=img)
    # Stretch faint ink to full strength, but never paper noise: the gain is capped.
    img *= 255.0 / max(np.percentile(img, 99.5), 64.0)
    return np.clip(img, 0, 255)


def has_ink(ink: np.ndarray, min_pixels: int = 3, level: float = 128.0) -> bool:
    """True when at least a few pixels are clearly ink."""
    return int((ink >= level).sum()) >= min_pixels


def to_mnist(ink: np.ndarray, threshold: float = 40.0) -> np.ndarray:
    """Fit the ink into 20x20 keeping its aspect, centre by mass in 28x28 (uint8).

    >>> import numpy as np
    >>> ink = np.zeros((90, 60), np.float32); ink[10:80, 25:35] = 255
    >>> out = to_mnist(ink)
    >>> out.shape, int(out.max()), (out > 0).any(axis=1).sum()
    ((28, 28), 255, 20)
    """
    ink = np.asarray(ink, dtype=np.float32)
    inked = ink > threshold
    rows, cols = np.flatnonzero(inked.any(axis=1)), np.flatnonzero(inked.any(axis=0))
    frame = np.zeros((MNIST_SIZE, MNIST_SIZE), np.float32)
    if len(rows) == 0:
        return frame.astype(np.uint8)
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    h, w = crop.shape
    scale = MNIST_BOX / max(h, w)
    new_w, new_h = max(1, round(w * scale)), max(1, round(h * scale))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    small = cv2.resize(crop, (new_w, new_h), interpolation=interp)
    if small.max() > 0:
        small *= 255.0 / small.max()
    mass = small.sum()
    cy = (small.sum(axis=1) @ np.arange(new_h)) / mass
    cx = (small.sum(axis=0) @ np.arange(new_w)) / mass
    top = min(max(round(MNIST_SIZE / 2 - cy), 0), MNIST_SIZE - new_h)  # (not np.clip: slow on numbers)
    left = min(max(round(MNIST_SIZE / 2 - cx), 0), MNIST_SIZE - new_w)
    frame[top : top + new_h, left : left + new_w] = small
    return np.clip(frame, 0, 255).astype(np.uint8)


# --- Cutting digits out of a page -------------------------------------------------

# why every digit of a string field is flagged (FieldCut.doubt; the results' reason)
BOX_SIDES = "box sides in string"  # a row of boxes read as a string: its sides may read as 1s
LEFT_OUT = "mark left out of string"  # a mark no digit took (a faint digit broken into dots)
# free handwriting's cell is its row's height and half again: a level line this many times as long
# is no digit's stroke but a frame's the layout took for none (a dithered fax's string box)
FREE_LINE = 1.5
FAINT_MARK = "faint mark in blank box"  # a box whose ink is too light to count as a digit, yet holds a mark (BoxCut.doubt)
TWO_MARKS = "two marks in one box"  # a box of a row WIDE_CELL times as wide as its narrowest, two marks side by side in it (BoxCut.doubt)
BAR_ON_LINE = "stroke on the box line"  # ink on the top line beside the digit (box_ink.bar_on_top_line): flagged where read as a 1
WIDE_CELL = 1.5  # a box of a row this many times as wide as its narrowest may be two boxes whose side went unseen


@dataclass
class BoxCut:
    rect: tuple[int, int, int, int]  # x, y, width, height in the pixels of the page as read
    image: np.ndarray | None  # MNIST-style 28x28 uint8; None for a blank box
    doubt: str = ""  # why its read is doubtful whatever the recognizer says (FAINT_MARK, TWO_MARKS; BAR_ON_LINE where read as a 1), or ""

    def moved(self, matrix: np.ndarray) -> "BoxCut":
        return BoxCut(rect_moved(matrix, Rect(*self.rect)), self.image, self.doubt)


@dataclass
class StringCut:
    """A field's ink as one digit string, for the string reader (strings.py)."""

    strip: Strip
    ink: np.ndarray  # uint8 ink of the field's window, box lines removed (paper 0)
    to_page: np.ndarray  # 2x3: window pixels -> pixels of the page as read

    def boxes(self, read: StringRead) -> list[BoxCut]:
        """One BoxCut per digit the reader found, cut where its columns put it."""
        inked_rows = np.flatnonzero((self.ink > 90).any(axis=1))
        height = inked_rows[-1] + 1 - inked_rows[0] if len(inked_rows) else self.ink.shape[0]
        profile = (self.ink > 90).sum(axis=0)
        spans = read.ink_spans(self.strip)
        # a digit ends where the next one's peak is (its left edge): cut at the thinnest ink
        # nearest that, from just after this digit's own peak to a little into the next digit
        cuts = [_thinnest(profile, a + STRIDE / self.strip.scale, b, b + 0.25 * height) for a, b in spans[:-1]]
        first, last = _ends(profile, (spans[0][0], spans[-1][0]), cuts, 0.5 * height)
        bounds = [first, *cuts, last]
        boxes = []
        for x0, x1 in zip(bounds[:-1], bounds[1:]):
            a, b = max(0, int(np.floor(x0))), min(self.ink.shape[1], int(np.ceil(x1)))
            part = np.zeros(self.ink.shape, np.float32)
            part[:, a:b] = self.ink[:, a:b]
            inked = part > 90
            rows, cols = np.flatnonzero(inked.any(axis=1)), np.flatnonzero(inked.any(axis=0))
            # the box is the digit's ink, not the whole span the reader gave it
            rect = Rect(cols[0], rows[0], cols[-1] + 1 - cols[0], rows[-1] + 1 - rows[0]) if len(rows) else Rect(a, 0, max(1, b - a), self.ink.shape[0])
            boxes.append(BoxCut(rect_moved(self.to_page, rect), to_mnist(part)))
        return boxes


def _ends(profile: np.ndarray, peaks: tuple[float, float], cuts: list[float], gap: float) -> tuple[float, float]:
    """Where a string's first digit begins and its last ends: at the ends of their own
    runs of ink (inked columns no `gap` of paper apart), not at the window's ends. A
    digit's run is the one its `peaks` (the first digit's and the last's) fall in or
    before, where that lies on its side of the `cuts` between digits, else the nearest
    run there (a 9 read with its peak past its ink, HSF f0000_14: the 8's run); a string
    of one digit, its run with the most ink. A sliver of a box's side 180 px beyond a
    string's last 6 (a dithered fax, fax 1404 p13), read as no digit, made that 6's box
    210 px wide."""
    inked = np.flatnonzero(profile > 0)
    if not len(inked):
        return 0.0, float(len(profile))
    breaks = np.flatnonzero(np.diff(inked) > gap)
    starts, ends = np.r_[inked[0], inked[breaks + 1]], np.r_[inked[breaks], inked[-1]] + 1
    if not cuts:
        k = int(np.argmax([profile[a:b].sum() for a, b in zip(starts, ends)]))
        return float(starts[k]), float(ends[k])
    # (a digit's ink starts 0-2 columns after its peak)
    first, last = (min(int(np.searchsorted(ends, p - 2, side="right")), len(ends) - 1) for p in peaks)
    begin, end = float(starts[first]), float(ends[last])
    if begin >= cuts[0]:  # (no strong ink before the cut at all: the window's edge, as ever)
        begin = float(starts[starts < cuts[0]].max()) if (starts < cuts[0]).any() else 0.0
    if end <= cuts[-1]:
        end = float(ends[ends > cuts[-1]].min()) if (ends > cuts[-1]).any() else float(len(profile))
    return begin, end


def _thinnest(profile: np.ndarray, lo: float, at: float, hi: float) -> float:
    """The column of lo..hi with the least ink, of those the nearest to `at`."""
    lo, hi = max(0, int(lo)), min(len(profile), int(np.ceil(hi)) + 1)
    if hi <= lo:
        return at
    part = profile[lo:hi]
    least = np.flatnonzero(part == part.min()) + lo
    return float(least[np.argmin(np.abs(least - at))])


def string_cut(ink: np.ndarray, to_page: np.ndarray) -> StringCut | None:
    strip = normalise_string(ink)
    return None if strip is None else StringCut(strip, np.clip(ink, 0, 255).astype(np.uint8), to_page)


@dataclass
class FieldCut:
    kind: str
    rect: tuple[int, int, int, int]
    boxes: list[BoxCut]
    view: FieldView | None = None  # the field as scanned, for the review report
    # other ways to cut a digit string: boxes[start:stop] may instead be these boxes;
    # the recognizer chooses (see choose_cuts), as only it can tell "0" from "12"
    options: list[tuple[int, int, list[BoxCut]]] = field(default_factory=list)
    # the field's ink as one string: read by the string reader, where there is one, in place of
    # `boxes` (strings), or for a lone box, whose ink may hold two digits (see pipeline.read_digits)
    string: StringCut | None = None
    # why every digit read in a string field is doubtful, or "": its ink holds box sides (BOX_SIDES, see
    # `ruled`) or a mark no digit took (LEFT_OUT, see `left_out`); each of its digits is flagged so
    doubt: str = ""

    @property
    def digits(self) -> int:
        """How many of its boxes hold a digit (blank boxes hold none): its rows of reads."""
        return sum(b.image is not None for b in self.boxes)

    def moved(self, matrix: np.ndarray) -> "FieldCut":
        """The field with every rectangle moved by the 2x3 `matrix` (a page cut turned, given
        in the pixels of the page as it lies: orientation.py)."""
        to_page = None if self.string is None else np.vstack([matrix, [0, 0, 1]]) @ np.vstack([self.string.to_page, [0, 0, 1]])
        return FieldCut(self.kind, rect_moved(matrix, Rect(*self.rect)), [b.moved(matrix) for b in self.boxes], self.view,
                        [(start, stop, [b.moved(matrix) for b in boxes]) for start, stop, boxes in self.options],
                        None if self.string is None else StringCut(self.string.strip, self.string.ink, to_page[:2]), self.doubt)


def cut_fields(gray: np.ndarray, layout: Layout) -> list[FieldCut]:
    """Every field of the layout, its boxes cut out and normalised like MNIST."""
    gray = draw_on_gray(gray, layout.dashes)
    cuts = []
    for f in layout.fields:
        doubt = ""
        if f.kind in ("string", "underline", "free"):
            boxes, options, string, doubt = _cut_string(gray, layout, f)
        elif f.kind == "boxes" and len(f.cells) == 1:
            (boxes, string), options = _cut_lone_box(gray, layout, f), []
        else:
            inner = short_divided(gray, layout, f)
            boxes, options, string = [_cut_row_cell(gray, layout, f, k, inner) for k in range(len(f.cells))], [], None
        cuts.append(FieldCut(f.kind, layout.to_original(f.rect), boxes, options=options, string=string, doubt=doubt))
    return cuts


def _padded_window(gray: np.ndarray, layout: Layout, cell: Rect, pad: float):
    x, y = cell.x - pad, cell.y - pad
    window = crop_deskewed(gray, layout.to_page, x, y, cell.w + 2 * pad, cell.h + 2 * pad)
    inner = (int(round(pad)), int(round(pad)), int(round(pad + cell.w)), int(round(pad + cell.h)))
    return window, inner


SHORT_ABOVE = (0.15, 0.4)  # rows of a comb's cells (shares of their height) above a short divider's top
SHORT_EMPTY, FULL_DIVIDER = 0.3, 0.8  # a divider with less ink than this share along them stops short; with more, it runs on


def short_divided(gray: np.ndarray, layout: Layout, f: Field) -> bool:
    """Whether a comb's inner dividers stop short of its top line (half-height dividers,
    ticks under a full top line): paper above two of them at least, and ink running on
    up above no more than one in three (digits' strokes cross some). Asked of the comb
    as a whole: in its cell, a digit's upright stroke rising beside a short divider (a
    0's or a 6's side) looked like a full side, was cut away with it and the rest read
    surely as a 7 or a 0."""
    if f.kind != "comb" or len(f.cells) < 3:
        return False
    r = f.rect
    pad = f.line + 4
    window, (wx, wy, _, _) = _padded_window(gray, layout, r, pad)
    inked = window_ink(window) > 25
    reach = int(f.line / 2 + 3)
    fills = []
    for left, right in zip(f.cells, f.cells[1:]):
        x = int(round((left.x + left.w + right.x) / 2 - r.x + wx))
        top = right.y - r.y + wy + max(SHORT_ABOVE[0] * right.h, f.line)
        rows = slice(int(top), int(right.y - r.y + wy + SHORT_ABOVE[1] * right.h) + 1)
        columns = inked[rows, max(0, x - reach) : x + reach + 1]
        fills.append(float(columns.mean(axis=0).max()) if columns.size else 1.0)
    fills = np.array(fills)
    return (fills < SHORT_EMPTY).sum() >= 2 and (fills >= FULL_DIVIDER).sum() <= len(fills) / 3


def _cut_cell(gray: np.ndarray, layout: Layout, cell: Rect, f: Field,
              low_sides: tuple[bool, bool] = (False, False)) -> tuple[BoxCut, np.ndarray, float]:
    """The cell's BoxCut, its ink and the window's margin."""
    # a margin around the box: digits cross their box's border
    pad = 0.2 * min(cell.w, cell.h)
    window, inner = _padded_window(gray, layout, cell, pad)
    ink = cell_ink(window, inner, f.line, open_top=f.kind == "ticks", ticks=f.kind in ("ticks", "comb"), low_sides=low_sides)
    if not is_blank(ink, cell.w * cell.h):
        on_line = f.kind != "ticks" and bar_on_top_line(window, inner, f.line, ink)
        return BoxCut(layout.to_original(cell), to_mnist(ink), BAR_ON_LINE if on_line else ""), ink, pad
    mark = faint_mark(window, inner, f.line, ink)
    if mark is None:
        return BoxCut(layout.to_original(cell), None), ink, pad
    return BoxCut(layout.to_original(cell), to_mnist(mark), FAINT_MARK), mark, pad


def _cut_row_cell(gray: np.ndarray, layout: Layout, f: Field, k: int, short: bool) -> BoxCut:
    """The BoxCut of a row's `k`th cell (`short`: the comb's inner dividers stop short). A
    cell far wider than the row's narrowest, holding two marks side by side, is doubted:
    a pale comb whose dividers went unseen in places had cells two wide, and a 4 and a 3
    written in one, squeezed into one digit, were read as a sure 3 (pale 1318 p11)."""
    cell = f.cells[k]
    box, ink, _ = _cut_cell(gray, layout, cell, f, (k > 0 and short, k < len(f.cells) - 1 and short))
    if box.image is None or box.doubt == FAINT_MARK or cell.w < WIDE_CELL * min(c.w for c in f.cells):
        return box
    return BoxCut(box.rect, box.image, TWO_MARKS) if len(split_string(ink)) >= 2 else box


def _cut_lone_box(gray: np.ndarray, layout: Layout, f: Field) -> tuple[list[BoxCut], StringCut | None]:
    """A box alone: one digit, or a number written small (the reader decides from the ink)."""
    cell = f.cells[0]
    box, ink, pad = _cut_cell(gray, layout, cell, f)
    if box.image is None or box.doubt == FAINT_MARK:
        return [box], None
    return [box], string_cut(ink, window_to_page(layout.to_page, cell.x - pad, cell.y - pad))


def _cut_string(gray: np.ndarray, layout: Layout, f: Field):
    """A box holding a digit string: one BoxCut per digit found in it, the other ways to
    cut its doubtful stretches (see FieldCut.options), the whole string for the string
    reader (a StringCut, or None when the box is blank), and why every digit read in it is
    doubtful, or "" (FieldCut.doubt)."""
    cell = f.cells[0]
    pad = 0.1 * cell.h
    window, inner = _padded_window(gray, layout, cell, pad)
    ink = cell_ink(window, inner, f.line)
    if f.kind == "free":
        ink[lines_across(ink, int(FREE_LINE * cell.h))] = 0

    def cut(ranges: list[tuple[int, int]]) -> list[BoxCut]:
        boxes = []
        for x0, x1 in ranges:
            part = np.zeros_like(ink)
            part[:, x0:x1] = ink[:, x0:x1]
            rows = np.flatnonzero((part > 90).any(axis=1))
            if len(rows) == 0 or is_blank(part, (x1 - x0) * cell.h):
                continue
            y0, y1 = rows[0], rows[-1] + 1
            rect = Rect(cell.x - pad + x0, cell.y - pad + y0, x1 - x0, y1 - y0)
            boxes.append(BoxCut(layout.to_original(rect), to_mnist(part)))
        return boxes

    boxes, options = [], []
    groups = split_string(ink)
    for first, *others in groups:
        start = len(boxes)
        boxes += cut(first)
        options += [(start, len(boxes), alt) for alt in map(cut, others) if alt]
    string = string_cut(ink, window_to_page(layout.to_page, cell.x - pad, cell.y - pad)) if boxes else None
    # (left_out looks too at the specks cell_ink drops: a faint 1 broken into dots, each smaller
    # than a speck of a box this wide, other 1232 p5: `29285` for `292851`, accepted)
    marks = np.maximum(ink, marks_within(window, inner, f.line))
    doubt = BOX_SIDES if boxes and ruled(ink) else LEFT_OUT if boxes and left_out(marks, [r for first, *_ in groups for r in first]) else ""
    return boxes, options, string, doubt
