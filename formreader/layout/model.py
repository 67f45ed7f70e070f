"""The layout's records and its one place for tunables: LayoutConfig (every length in
inches), Rect, Field (a kind and its cells), Layout (the fields and the deskewing
transform), and the geometry of line segments and rectangles the finders share."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import cv2
import numpy as np


TICK_CELL_ASPECT = 1.25  # tick combs have no top line: their cells are taken this tall per width


@dataclass(frozen=True)
class LayoutConfig:
    work_dpi: float = 150.0  # layout runs at this resolution at most: faster, same boxes
    paper_share: float = 0.9  # darker than this share of the local paper is ink or line
    pale_ink: float = 0.35  # a page whose darkest ink is lighter than this share of its paper is a pale scan ...
    pale_most: float = 0.85  # ... unless lighter than this (no ink at all, only faint marks)
    deep_ink: float = 0.2  # a pale page's darkest ink is stretched to this share of its paper
    # tinted bands with white boxes in them (tint.py): a tint lies between these shares of the paper
    tint_darkest: float = 0.70
    tint_lightest: float = 0.955
    tint_faintest: float = 0.975  # a band's faint parts, looked at where it is broken at tint_lightest (see with_faint_holes)
    tint_min_width: float = 0.04  # a tint is this broad (a light line is thinner) ...
    tint_min_length: float = 0.3  # ... along this length somewhere (a light pen's stroke is shorter)
    tint_flat: float = 0.03  # ... or, so broad only across a turned page's rows, its middle half of shades spans this share
    # of the paper at most (a light line blurred as broad, a dithered fax's, spans a tenth)
    tint_min_area: float = 0.3  # square inches of tint on a page before it is looked at
    tint_box_min: float = 0.12  # a white box in a tint: its sides, inches
    tint_box_max: float = 1.5
    tint_field_max: float = 4.0  # on a dithered page, a white field of a box's height this long (a comb's, a string box's)
    tint_shared_side: float = 0.04  # white boxes closer than this share one side
    tint_stroke: float = 0.12  # a digit written across a tint (its strokes and the paper between them) parts it at most this wide
    tint_in_box: float = 0.2  # at most this share of a white box's inside is shade (a faint digit's strokes may
    # be: 16% at most on 2,300 boxes; a white letter's counters were 26-35% of it)
    tint_box_fill: float = 0.85  # of its rectangle, once strokes that run out of it are opened away
    tint_bitten_fill: float = 0.8  # ... and where a digit's soft edge bit into it, its strokes counted in, beside a box found whole
    tint_bitten_white: float = 0.2  # such a box is white over this share at least (a box found whole: a quarter)
    dash_min: float = 0.015  # a dash of a dashed line is this long at least, inches (dashes.py) ...
    dash_max: float = 0.1  # ... and at most
    min_box: float = 0.2  # smallest digit box side, inches (checkboxes are smaller)
    max_box: float = 0.62  # tallest digit box, inches (signature boxes are taller)
    line_kernel: float = 0.12  # shortest horizontal line piece, inches
    vertical_kernel: float = 0.06  # shortest vertical line piece (comb ticks are short)
    max_line: float = 0.04  # thickest box line, inches
    thin_line: float = 0.02  # a bitonal page whose lines are this thin or thinner is softened before it is shrunk
    fax_turn: float = 0.25  # degrees: a fax turned this much or more has stepped lines (softened); less, straight ones
    bold_line: float = 0.075  # thicker lines are taken only as closed boxes all drawn so (bold frames, merged double lines)
    double_gap: float = 0.05  # the lines of a double box line lie at most this far apart, inches
    two_sides: float = 1.6  # a bar this many times as thick as its box's lines at least is two boxes' sides run together, with the gap
    line_gap: float = 0.08  # widest gap in a faint line (underlines, tick baselines, string boxes), inches
    line_end: float = 0.06  # how far the ends of a box's top and bottom lines may differ, inches
    max_skew_deg: float = 6.0
    max_tilt: float = 0.06  # a line may drift across by this share of its length (3.4 degrees) aslant of the
    # deskewed page (a page photographed at a slant, not flat); a digit's thin bar slants far more
    min_tick_baseline: float = 0.8  # shortest tick-comb baseline, inches
    max_tick: float = 0.5  # ticks rise at most this share of the cell height
    tick_cell_aspect: float = TICK_CELL_ASPECT  # tick combs have no top: cells are this tall per width
    string_aspect: float = 1.8  # one cell wider than this many heights holds a digit string
    group_gap: float = 1.2  # separate boxes closer than this many box widths form one field
    separator_gap: float = 2.5  # or this close, with a printed mark alone between them (a date's slash)
    min_underline: float = 0.8  # an underlined field's line is this long at least, inches
    max_underline: float = 6.0  # and at most (a page frame is longer)
    min_digit_height: float = 0.15  # handwriting on an underline is this tall (printed text is smaller)
    printed_least: float = 0.05  # a printed character is this tall at least (smaller marks are specks)
    free_gap: float = 1.0  # marks outside any field this many heights apart or closer are one row
    # type on a form is shorter than this (a 24 pt heading's capitals stand 0.23 in): a row as
    # tall on one baseline and cap height is digits written where dropout boxes were
    type_max_height: float = 0.25


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float

    def scaled(self, k: float) -> "Rect":
        return Rect(self.x * k, self.y * k, self.w * k, self.h * k)


@dataclass
class Field:
    kind: str  # boxes, comb, ticks, string, underline, free
    cells: list[Rect]  # in deskewed page pixels; a string field has one cell, its inside
    line: float = 1.0  # box line thickness, pixels

    @property
    def rect(self) -> Rect:
        x0 = min(c.x for c in self.cells)
        y0 = min(c.y for c in self.cells)
        x1 = max(c.x + c.w for c in self.cells)
        y1 = max(c.y + c.h for c in self.cells)
        return Rect(x0, y0, x1 - x0, y1 - y0)


@dataclass
class Layout:
    angle: float  # degrees the page was turned to deskew it
    to_deskewed: np.ndarray  # 2x3: original page pixels -> deskewed page pixels
    fields: list[Field] = field(default_factory=list)
    dashes: list = field(default_factory=list)  # (x0, y0, x1, y1) of the dashed lines drawn solid, in the page's pixels (dashes.py)

    @cached_property
    def to_page(self) -> np.ndarray:
        """2x3: deskewed page pixels -> original page pixels (inverted once per page)."""
        return cv2.invertAffineTransform(self.to_deskewed)

    def to_original(self, rect: Rect) -> tuple[int, int, int, int]:
        """A deskewed rectangle as (x, y, w, h) in the pixels of the page as read."""
        return rect_moved(self.to_page, rect)


def quarter_turn(shape: tuple[int, ...], turns: int) -> np.ndarray:
    """2x3: the pixels of an image of `shape` -> those of np.rot90(image, turns) (a quarter
    turn is anticlockwise)."""
    h, w = shape[:2]
    return {0: np.array([[1, 0, 0], [0, 1, 0]]), 1: np.array([[0, 1, 0], [-1, 0, w - 1]]),
            2: np.array([[-1, 0, w - 1], [0, -1, h - 1]]), 3: np.array([[0, -1, h - 1], [1, 0, 0]])}[turns % 4].astype(np.float64)


def rect_moved(matrix: np.ndarray, rect: Rect) -> tuple[int, int, int, int]:
    """The bounding (x, y, w, h) of `rect` moved by a 2x3 affine `matrix`."""
    corners = np.array([[rect.x, rect.y, 1], [rect.x + rect.w, rect.y, 1], [rect.x, rect.y + rect.h, 1], [rect.x + rect.w, rect.y + rect.h, 1]])
    moved = corners @ matrix.T
    x0, y0 = moved.min(axis=0)
    x1, y1 = moved.max(axis=0)
    return int(round(x0)), int(round(y0)), int(round(x1 - x0)), int(round(y1 - y0))


@dataclass
class Segment:
    a0: float  # start along the line
    a1: float  # end along the line
    c: float  # position across the line (at `pivot`, for a line aslant)
    t: float  # thickness
    slope: float = 0.0  # drift across per pixel along: a line a little aslant of the deskewed page (lines.drift, tilted_line)
    pivot: float = 0.0  # where along it it lies at `c`

    def at(self, a):
        """Its position across where it is at `a` along (c, for a line square to the page);
        `a` a number or a NumPy array of them."""
        return self.c + self.slope * (a - self.pivot)


def apart(r: Rect, o: Rect) -> bool:
    return r.x + r.w <= o.x or o.x + o.w <= r.x or r.y + r.h <= o.y or o.y + o.h <= r.y


def overlap(r: Rect, o: Rect) -> float:
    """The area two rectangles share."""
    return max(0.0, min(r.x + r.w, o.x + o.w) - max(r.x, o.x)) * max(0.0, min(r.y + r.h, o.y + o.h) - max(r.y, o.y))


def along(line: Segment, r: Rect) -> bool:
    """The line is the top or bottom of the box."""
    return min(abs(line.c - r.y), abs(line.c - r.y - r.h)) <= line.t + 3 and line.a0 < r.x + r.w and r.x < line.a1


def in_a_row(r: Rect, others: list[Rect]) -> bool:
    """Another box of about its height stands on the same line."""
    return any(o is not r and abs((o.y + o.h) - (r.y + r.h)) <= 4 and 0.8 <= o.h / r.h <= 1.25 for o in others)
