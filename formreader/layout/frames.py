"""Bold boxes found by the paper they enclose. A row of boxes drawn in bold lines (or in
double lines that ran together) a few pixels apart defeats the line finder: the line
mask's closing joins neighbouring sides into bars as long as a line, so tops, sides and
bottoms become one piece with no clean line in it, and whole rows were lost. Each box
still encloses a rectangle of paper walled on all four sides by solid ink at least as
thick as the thickest box line; that is looked for where no field lies (after the line finders, before
separate boxes are grouped into rows). A digit's loop is too small, a bold printed O is
round, and a thin-lined table cell has no bold walls.

Boxes of a row found by their outline (frames_in_rows): where the line finders found
some boxes of a row and not the others (a dithered fax's light rounded boxes, blurred
back to grey), each other box is still a closed frame of the row's size beside them."""

from __future__ import annotations

import cv2
import numpy as np

from .box_rows import same_row
from .lines import shape_bounds
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


def frames_in_rows(binary: np.ndarray, fields: list[Field], config: LayoutConfig) -> list[Field]:
    """The fields, each row of separate boxes (before they are grouped) grown a box at a
    time by every closed frame (is_frame) of the row's box size, level with the row and
    within its gap of one of its boxes. On a dithered fax the line finders found five
    boxes of a row of ten: the digits in the others, touching their frames, were taken for
    ticked checkboxes and read by no one, without a word. A box of the row found at another
    size (a third wider, from the middle of one box to the next) gives way to the frames
    over it (a 3 in the box under it was lost); so does a box found smaller both ways
    within such a frame (smaller_within). A checkbox of another size, or off the
    row, stays what it is. Two frames whose lines touch (rounded boxes a few pixels
    apart) are one shape: each end of it two boxes wide or more may be a frame (a 4
    against its box's side kept the line finders from it, its frame ran into the next
    box's, and it was lost without a word)."""
    singles = sorted((f for f in fields if f.kind == "boxes" and len(f.cells) == 1), key=lambda f: f.rect.x)
    rows: list[list[Field]] = []
    for f in singles:
        for row in rows:
            if same_row(row[0].rect, f.rect):
                row.append(f)
                break
        else:
            rows.append([f])
    grown_all: list[Field] = []
    dropped: set[int] = set()
    for row in rows:
        w, h = float(np.median([f.rect.w for f in row])), float(np.median([f.rect.h for f in row]))
        line = float(np.median([f.line for f in row]))
        middle = float(np.median([f.rect.y + f.rect.h / 2 for f in row]))
        y0 = max(0, int(middle - h))
        band = binary[y0 : int(middle + h) + 1]
        frames = []
        size = round(w + line)
        for x, y, fw, fh in shape_bounds(band).tolist():
            # a frame's bounds run round its lines: the box (from line to line) and a line's width
            if abs(fh - line - h) > max(3.0, 0.15 * h) or abs(y0 + y + fh / 2 - middle) > 0.15 * h:
                continue
            # (a shape of two frames or more: each end)
            ends = [(x, fw)] if abs(fw - line - w) <= max(3.0, 0.15 * w) else [(x, size), (x + fw - size, size)] if fw >= 1.8 * w else []
            frames += [Rect(ex + ew / 2 - w / 2, y0 + y + fh / 2 - h / 2, w, h) for ex, ew in ends if is_frame(band[y : y + fh, ex : ex + ew])]
        misfits = {id(f) for f in row if abs(f.rect.w - w) > 0.15 * w or abs(f.rect.h - h) > 0.15 * h}
        misfits |= {id(f) for f in singles if smaller_within(f.rect, w, h, frames)}
        taken = [f.rect for f in fields if id(f) not in misfits]
        cells = [f.rect for f in row if id(f) not in misfits]
        grown: list[Rect] = []
        while True:  # a box at a time, from the boxes the row has
            more = [c for c in frames if c not in grown and all(apart(c, o) for o in taken + grown)
                    and any(max(c.x - o.x - o.w, o.x - c.x - c.w) <= config.group_gap * w for o in cells + grown)]
            if not more:
                break
            grown.append(more[0])
        grown_all += [Field("boxes", [c], line) for c in grown]
        dropped |= {id(f) for f in singles if id(f) in misfits and any(not apart(c, f.rect) for c in grown)}
    return [f for f in fields if id(f) not in dropped] + grown_all


def smaller_within(r: Rect, w: float, h: float, frames: list[Rect]) -> bool:
    """Whether a box found smaller both ways by a tenth than a row's (`w`, `h`) lies within
    one of its frames: its top or side was a digit's stroke (a 7's bar taken for a hairline
    box's top line), and so small it may stand in a row of its own."""
    return r.w < 0.9 * w and r.h < 0.9 * h and any(
        c.x - 2 <= r.x and r.x + r.w <= c.x + c.w + 2 and c.y - 2 <= r.y and r.y + r.h <= c.y + c.h + 2 for c in frames)


def is_frame(shape: np.ndarray) -> bool:
    """A small box (a checkbox, ticked or not): a straight line along each of its four
    sides, within the outer quarter of its bounds (a tick may stick out beyond them)."""
    inked = shape > 0
    h, w = inked.shape
    a, b = max(1, h // 4), max(1, w // 4)
    rows, cols = inked.mean(axis=1), inked.mean(axis=0)
    return min(rows[:a].max(), rows[-a:].max(), cols[:b].max(), cols[-b:].max()) >= 0.85
