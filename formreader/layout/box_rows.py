"""Rows of separate boxes: boxes in one row, of one size and close together, are one
field, a date's groups too, with a printed slash or dash alone between them
(group_separate_boxes); a string box among them as wide as some of them and their gaps,
with their sides running from line to line through it, is those boxes (boxes_in_string:
their sides ran together, or their lines ran on across the gaps); a row of boxes sharing
their sides, each as wide as two and halved by a faint line, is a comb (halved_boxes)."""

from __future__ import annotations

import cv2
import numpy as np

from .combs import lines_through
from .lines import runs_of
from .model import Field, LayoutConfig, Rect


def group_separate_boxes(fields: list[Field], config: LayoutConfig, binary: np.ndarray | None = None) -> list[Field]:
    """Separate boxes in one row, of one size and close together, are one field; so are
    groups of them farther apart with a printed mark alone between them (a date's
    slash or dash: DD / MM / YYYY)."""
    fields = boxes_run_together(fields, config, binary) if binary is not None else fields
    singles = sorted((f for f in fields if f.kind == "boxes"), key=lambda f: (f.rect.y, f.rect.x))
    others = [f for f in fields if f.kind != "boxes"]
    groups: list[Field] = []
    for f in sorted(singles, key=lambda f: f.rect.x):
        r = f.rect
        for g in groups:
            last = g.cells[-1]
            gap = r.x - (last.x + last.w)
            if not (same_row(last, r) and 0 <= gap):
                continue
            # the gap's ink is looked at only for boxes of one row and size (a slash between a date's groups)
            if gap <= config.group_gap * last.w or (
                    gap <= config.separator_gap * last.w and binary is not None and separator_between(binary, last, r, g.line)):
                g.cells.append(r)
                break
        else:
            groups.append(Field("boxes", [r], f.line))
    return others + [halved_boxes(g, binary) if binary is not None else g for g in groups]


def halved_boxes(f: Field, binary: np.ndarray) -> Field:
    """A row of three or more boxes that share their sides, each wider than a box usually
    is, each with a straight line from its top line to its bottom one through its middle, is
    a comb whose every other divider the line mask lost: its dividers faint hairlines
    (a light double-framed comb at 300 dpi, formgen's variants) that only every second time
    came out whole enough. A line through three quarters of the rows is enough here, as
    every box of the row must show one at its middle; a handwritten 1 is seldom so
    straight, and seldom in every box of a row."""
    cells = f.cells
    if len(cells) < 3 or any(b.x - (a.x + a.w) > 2 * f.line + 1 for a, b in zip(cells, cells[1:])):
        return f
    if any(c.w < HALVED_ASPECT * c.h for c in cells):
        return f
    halves = []
    for c in cells:
        through = lines_through(binary, c.y + f.line / 2 + 1, c.y + c.h - f.line / 2, c.x + 0.4 * c.w, c.x + 0.6 * c.w, share=0.75)
        if len(through) == 0 or through.max() - through.min() > 2 * f.line + 2:
            return f  # no line at this box's middle, or ink wider than a line
        mid = float(through.mean())
        halves += [Rect(c.x, c.y, mid - c.x, c.h), Rect(mid, c.y, c.x + c.w - mid, c.h)]
    return Field("comb", halves, f.line)


HALVED_ASPECT = 1.25  # boxes this many times as wide as tall: two cells of a comb's usual shape


def boxes_run_together(fields: list[Field], config: LayoutConfig, binary: np.ndarray) -> list[Field]:
    """A string box beside separate boxes of its row and height, as wide as two of them or
    more with their gaps (or with none: sides run together), with a straight line from
    line to line at each of their sides, is those boxes (a comb too: comb_of_boxes).
    Sides that ran together with the gap between them (boxes 0.03 in apart in a tint, the sliver of tint dark with blur,
    made a bar thicker than a box line and thinner than two), or a row's boxes whose lines
    ran on across their gap, were one string box, their sides read as 1s."""
    boxes = sorted((f.rect for f in fields if f.kind == "boxes"), key=lambda r: r.x)
    out = []
    for f in fields:
        split = []
        if f.kind in ("string", "comb"):
            cell = f.rect
            row = [r for r in boxes if same_row(cell, r)]
            if any(min(abs(r.x - cell.x - cell.w), abs(cell.x - r.x - r.w)) <= config.group_gap * r.w for r in row):
                split = boxes_in_string(cell, f.line, row, binary) if f.kind == "string" else comb_of_boxes(f, row, binary, config.two_sides)
        out += [Field("boxes", [c], f.line) for c in split] or [f]
    return out


def comb_of_boxes(f: Field, row: list[Rect], binary: np.ndarray, two_sides: float) -> list[Rect]:
    """A comb beside separate boxes of its row that is as wide as one of them, or as some
    of them (boxes_in_string), and a divider of which is no straight line from line to line:
    those boxes. A slanted 1 in a double box was taken for a divider, the box for a comb
    of two cells, and each read as a 1, surely. One of as many cells as boxes whose every
    divider is a bar `two_sides` times as thick as its lines is boxes too: their near sides
    ran together with the gap between them."""
    cell = f.rect
    w, g = box_and_gap(row)
    k = round((cell.w + g) / (w + g))
    through = lines_through(binary, cell.y + f.line / 2 + 1, cell.y + cell.h - f.line / 2, cell.x, cell.x + cell.w)
    if k == len(f.cells):
        bars = [run_at(through, c.x) for c in f.cells[1:]]
        return list(f.cells) if all(len(b) - 2 >= two_sides * f.line for b in bars) else []  # (lines_through widens a line by a pixel each way)
    if all(len(through) and np.abs(through - c.x).min() <= max(2.0, 0.1 * w) for c in f.cells[1:]):
        return []  # every divider runs from line to line: a comb of its own
    return [cell] if k == 1 else boxes_in_string(cell, f.line, row, binary)


def run_at(columns: np.ndarray, x: float) -> np.ndarray:
    """The run of consecutive `columns` (sorted) that holds the column nearest x, or none."""
    return min(runs_of(columns), key=lambda r: np.abs(r - x).min()) if len(columns) else columns


def same_row(a: Rect, b: Rect) -> bool:
    """Whether box b stands in a's row (their middles within 0.3 of b's height) and is of
    its size (heights within a quarter)."""
    return abs((a.y + a.h / 2) - (b.y + b.h / 2)) < 0.3 * b.h and 0.8 <= b.h / a.h <= 1.25


def boxes_in_string(cell: Rect, line: float, row: list[Rect], binary: np.ndarray) -> list[Rect]:
    """The boxes of the row (their median width and gap) that `cell` holds, where a
    straight line runs from line to line at each of their sides, or empty."""
    w, g = box_and_gap(row)
    k = round((cell.w + g) / (w + g))
    gap = (cell.w - k * w) / (k - 1) if k >= 2 else 0.0
    if k < 2 or not -0.15 * w <= gap <= g + 0.15 * w:
        return []
    if gap < 0:  # sides run together: the boxes share the bar between them
        w, gap = cell.w / k, 0.0
    through = lines_through(binary, cell.y + line / 2 + 1, cell.y + cell.h - line / 2, cell.x, cell.x + cell.w)
    near = lambda x: len(through) > 0 and np.abs(through - x).min() <= max(2.0, 0.1 * w)  # noqa: E731
    starts = [cell.x + i * (w + gap) for i in range(k)]
    if not all(near(x + w) and near(x + w + gap) for x in starts[:-1]):
        return []
    return [Rect(x, cell.y, w if i < k - 1 else cell.x + cell.w - x, cell.h) for i, x in enumerate(starts)]


def box_and_gap(row: list[Rect]) -> tuple[float, float]:
    """The median width of a row's boxes and of the gaps between them (0 where none)."""
    w = float(np.median([r.w for r in row]))
    gaps = [b.x - a.x - a.w for a, b in zip(row, row[1:]) if 0 < b.x - a.x - a.w < w]
    return w, float(np.median(gaps)) if gaps else 0.0


def separator_between(binary: np.ndarray, left: Rect, right: Rect, line: float) -> bool:
    """Whether one small printed mark stands alone in the gap between two boxes, clear of
    both (a slash or a dash; a digit spilling out of its box touches it)."""
    margin = int(line) + 2
    x0, x1 = int(left.x + left.w) + margin, int(right.x) - margin
    y0, y1 = int(min(left.y, right.y)), int(max(left.y + left.h, right.y + right.h))
    gap = binary[max(0, y0) : y1, max(0, x0) : x1]
    if gap.size == 0 or not gap.any():
        return False
    _, _, stats, _ = cv2.connectedComponentsWithStats((gap > 0).astype(np.uint8), connectivity=8)
    marks = [st for st in stats[1:] if st[cv2.CC_STAT_AREA] >= 3]
    if len(marks) != 1:
        return False
    x, y, w, h = marks[0][:4]
    return x > 0 and x + w < gap.shape[1] and y > 0 and y + h < gap.shape[0] and w <= 0.6 * gap.shape[1] and h <= 0.9 * left.h
