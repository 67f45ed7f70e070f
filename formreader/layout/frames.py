"""Bold boxes found by the paper they enclose. A row of boxes drawn in bold lines (or in
double lines that ran together) a few pixels apart defeats the line finder: the line
mask's closing joins neighbouring sides into bars as long as a line, so tops, sides and
bottoms become one piece with no clean line in it, and whole rows were lost. Each box
still encloses a rectangle of paper walled on all four sides by solid ink at least as
thick as the thickest box line; that is looked for where no field lies (after the line finders, before
separate boxes are grouped into rows). A digit's loop is too small, a bold printed O is
round, and a thin-lined table cell has no bold walls."""

from __future__ import annotations

import cv2
import numpy as np

from .model import Field, LayoutConfig, Rect, apart


def bold_frames(binary: np.ndarray, fields: list[Field], px, config: LayoutConfig) -> list[Field]:
    """A separate box (kind boxes) for each bold-walled rectangle of paper of a digit box's
    size and proportions that lies apart from every field found."""
    contours, hierarchy = cv2.findContours(binary, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    thick, bold = px(config.max_line), px(config.bold_line)
    room, tallest = 0.6 * px(config.min_box), px(config.max_box)
    taken = [f.rect for f in fields]
    out = []
    for contour, (_, _, _, parent) in zip(contours, hierarchy[0]):
        if parent < 0:
            continue  # an outline of ink, not a hole in it
        x, y, w, h = cv2.boundingRect(contour)
        x, y, w, h = x + 1, y + 1, w - 2, h - 2  # a hole's contour runs on the ink around it
        if not (room <= h <= tallest and room <= w <= tallest and 0.5 <= w / h <= 1.6):
            continue
        if not all(apart(Rect(x, y, w, h), r) for r in taken):
            continue  # (most holes of a box's size are boxes found already)
        corners = [(x + 2, y + 2), (x + w - 3, y + 2), (x + 2, y + h - 3), (x + w - 3, y + h - 3)]
        if sum(cv2.pointPolygonTest(contour, (float(cx), float(cy)), False) >= 0 for cx, cy in corners) < 3:
            continue  # round (a bold letter's counter), not a box's inside (a digit may touch a wall, seldom a corner)
        walls = wall_thickness(binary, x, y, w, h, int(2 * bold) + 2)
        top, bottom, left, right = walls
        if min(walls) < thick or max(top, bottom) > 1.5 * bold:
            continue  # a thin wall (thin-lined boxes are the line finder's), or a blot of ink
        cell = Rect(x - left / 2, y - top / 2, w + (left + right) / 2, h + (top + bottom) / 2)
        if min(cell.w, cell.h) < px(config.min_box):
            continue  # smaller from wall to wall than any digit box (line_pairs): a checkbox in double lines run together
        if all(apart(cell, r) for r in taken):
            out.append(Field("boxes", [cell], float(min(walls))))
            taken.append(cell)
    return out


def wall_thickness(binary: np.ndarray, x: int, y: int, w: int, h: int, most: int) -> tuple[int, int, int, int]:
    """How many rows above and below the rectangle, and columns left and right of it, are
    ink along nine tenths of its side, counting outwards (up to `most`)."""
    def count(strips) -> int:
        n = 0
        for strip in strips:
            if strip.size == 0 or np.count_nonzero(strip) < 0.9 * strip.size:
                break
            n += 1
        return n
    rows, cols = binary.shape
    top = count(binary[r, x : x + w] for r in range(y - 1, max(-1, y - 1 - most), -1))
    bottom = count(binary[r, x : x + w] for r in range(y + h, min(rows, y + h + most)))
    left = count(binary[y : y + h, c] for c in range(x - 1, max(-1, x - 1 - most), -1))
    right = count(binary[y : y + h, c] for c in range(x + w, min(cols, x + w + most)))
    return top, bottom, left, right
