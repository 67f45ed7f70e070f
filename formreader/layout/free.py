"""Free handwriting: marks of a handwritten digit's size that no field took, in rows.

Run last, on what every other finder left. A form printed in dropout ink loses its
box lines in the scanner; a writer misses the box; a field's lines are too faint to
find: the digits are still on the page, and reading them (flagged for review) beats
losing them without a word. Each row of such marks becomes a field of kind `free`,
cut like a digit string; a shape wider than any box (a line no finder took, digits
touching it) is looked at without its long lines. Left out here: shapes smaller than
handwriting (min_digit_height) or larger than a digit (frames, signatures), checkboxes,
hairline frames and their pieces, and rows that are text: letters of two heights,
printed words run together into shapes far wider than tall, type set close on one
baseline and cap height. What is left and is no digit (handwritten words, a large
printed title) reads as "not a digit" or unsurely, and the scan drops the row
(pipeline.settle_free)."""

from __future__ import annotations

import cv2
import numpy as np

from .frames import is_frame
from .lines import components, shape_bounds
from .model import Field, Rect

OWN_SHARE = 0.25  # a mark this much of whose bounds lies on a field (with a margin) is the field's


def free_handwriting(binary: np.ndarray, fields: list[Field], px, config) -> list[Field]:
    """Rows of digit-sized ink shapes off every field, each a `free` field whose one
    cell holds the row with a margin of paper around it."""
    low, high = px(config.min_digit_height), px(config.max_box)
    # what a field reads: separate boxes take what is written in them, not what lies in the
    # gaps between them (a digit in a box whose lines were lost lies there)
    taken = [c for f in fields for c in (f.cells if f.kind == "boxes" else [f.rect])]
    gaps = [f.rect for f in fields if f.kind == "boxes" and len(f.cells) > 1]
    margin = px(0.05)
    # shapes of a digit's height, and the shorter and wider ones that tell a line of text
    x, y, w, h = _split_lines_off(binary, shape_bounds(binary), taken, margin, low, high)
    x, y, w, h = _beyond_fields(binary, np.stack([x, y, w, h], axis=1), taken, margin, low)
    sized = (0.4 * low <= h) & (h <= high) & (w <= 3 * high)
    if taken:  # in or on a field: the field reads it. A mark mostly outside every field (beside
        # a comb whose end cells were lost with their lines, touching its margin) is read by
        # none: it stays, but for a box line's remnant (a sliver)
        inside = _share_on(x, y, w, h, taken, margin)
        sliver = np.minimum(w, h) <= max(2.0, px(config.max_line))
        sized &= ~((inside >= OWN_SHARE) | (sliver & (inside > 0)))
    # a straight stroke in a gap between boxes is a printed slash (a date's), no digit
    between = _share_on(x, y, w, h, gaps, margin) >= OWN_SHARE if gaps else np.zeros(len(x), bool)
    squarish = (0.6 * h <= w) & (w <= 1.6 * h)  # a checkbox's bounds; the frame test is only asked of those
    thickness = max(2.0, px(config.max_line))
    marks = [(int(a), int(b), int(c), int(d)) for a, b, c, d, sq, gap in zip(x[sized], y[sized], w[sized], h[sized], squarish[sized], between[sized])
             if not (sq and _checkbox(binary[b : b + d, a : a + c], thickness, low)) and not (gap and _straight(binary[b : b + d, a : a + c]))
             and not _frame_part(binary[b : b + d, a : a + c], thickness)]
    found = []
    rows = [_without_remnants(row, thickness) for row in _rows(marks, config.free_gap)]
    # (three handwritten digits can line up by chance; a row as tall as digits written in a
    # box is no type, though MNIST's digits scaled to one box height stand as type does:
    # five digits of a dropout comb were lost without a word, dropout 1311 p1)
    printed = [row for row in rows if len(row) >= 4 and _printed(row) and np.median([m[3] for m in row]) < px(config.type_max_height)]
    for row in rows:
        shapes = _characters(row)
        heights, widths = np.array([m[3] for m in shapes]), np.array([m[2] for m in shapes])
        # (a line's remnant or a thin 1 makes no row tall: a printed table's small type beside
        # the side of a row whose other lines were lost was read as free handwriting)
        broad = heights[widths > thickness]
        # letters of two heights (x-height, ascenders) are a line of text; a handwritten row's
        # smaller digits are still a digit's height (a comb's bold 0 and 1 beside smaller 3s
        # in dropout ink were lost without a word)
        short = (heights < 0.75 * np.percentile(heights, 80)) & (heights < low)
        # an x-height letter stands on the baseline with the tall ones, nearer their bottom
        # than their top; bits of a faint comb's top line left beside its digits hang from
        # the top (pale 1349 p9: a 6 and a 3 lost as text so)
        tops = np.array([m[1] for m in shapes])
        if (~short).any():
            short &= np.abs(tops + heights - np.median((tops + heights)[~short])) <= np.abs(tops - np.median(tops[~short]))
        if max(broad, default=heights.max()) < low or np.mean(short) >= 0.4:
            continue  # too small, or a line of text
        wide = widths > 1.5 * heights
        if (len(row) >= 3 and wide.mean() >= 0.5) or wide.all():
            continue  # most shapes far wider than tall: printed words whose letters ran together
        if any(row is line for line in printed):  # type: one baseline and cap height
            continue
        if len(row) < 4 and any(_line_end(row, line) for line in printed):
            continue  # the end of a printed line set apart by a space (`26` of a title `FORM 2026`)
        x0, y0 = min(m[0] for m in row), min(m[1] for m in row)
        x1, y1 = max(m[0] + m[2] for m in row), max(m[1] + m[3] for m in row)
        pad = 0.25 * (y1 - y0)  # paper all round: the cut must see no box line at the edges
        found.append(Field("free", [_short_of_fields(Rect(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad), (x0, y0, x1, y1), fields,
                                                     thickness)]))
    return found


def _short_of_fields(cell: Rect, marks: tuple[int, int, int, int], fields: list[Field], gap: float) -> Rect:
    """A free row's cell, its margin stopping `gap` short of a field that lies wholly
    beyond its marks on a side: a big 2 written beside a comb, out of its lost first cell,
    had the comb's side in its margin, read as a mark that is no digit, and the row, one
    digit of two, was dropped as words (variants 1266 p6: the 2 lost without a word)."""
    x0, y0, x1, y1 = marks
    left, top, right, bottom = cell.x, cell.y, cell.x + cell.w, cell.y + cell.h
    for r in (f.rect for f in fields):
        if r.y < bottom and top < r.y + r.h:  # level with the row
            right = min(right, max(x1, r.x - gap)) if r.x >= x1 else right
            left = max(left, min(x0, r.x + r.w + gap)) if r.x + r.w <= x0 else left
        if r.x < right and left < r.x + r.w:  # above or below it
            bottom = min(bottom, max(y1, r.y - gap)) if r.y >= y1 else bottom
            top = max(top, min(y0, r.y + r.h + gap)) if r.y + r.h <= y0 else top
    return Rect(left, top, right - left, bottom - top)


def _without_remnants(row: list[tuple[int, int, int, int]], thickness: float) -> list[tuple[int, int, int, int]]:
    """The row less what is left of box lines too faint to find (a light comb in a coarse
    JPEG, a hairline rounded box): bits of sides and corners, no wider than a box line and
    shorter than the row's other marks, and bits of top and bottom lines, flat and far lower
    than they. Left in, they made a row of digits look like text (shapes of two heights)
    and it was lost without a word. A thin 1 stands as tall as its neighbours and stays.
    A frame's sides and stubs go first (_without_frame)."""
    row = _without_frame(row, thickness)
    sliver = [w <= thickness for _, _, w, _ in row]
    body = [m[3] for m, s in zip(row, sliver) if not s] or [m[3] for m in row]
    height = float(np.median(body))
    kept = [m for m, s in zip(row, sliver)
            if not (s and m[3] < 0.8 * height) and not (m[3] < 0.5 * height and m[2] > 1.5 * m[3])]
    return kept or row


def _without_frame(row: list[tuple[int, int, int, int]], thickness: float) -> list[tuple[int, int, int, int]]:
    """The row less a frame round it whose lines no finder took (a dithered fax's light
    comb, its sides blurred wider than a box line): its two sides, upright at the row's two
    ends, level with each other and a third taller than the marks between them, and the
    stubs of its short dividers, shorter than those marks, standing on its bottom in its
    lower half (or hanging from its top in its upper half). Left in, they made the row's
    digits look like text of two heights: six digits lost without a word (fax 1084 p12)."""
    if len(row) < 4:
        return row
    (_, top, wa, ha), (_, yb, wb, hb), between = row[0], row[-1], row[1:-1]
    usual = float(np.median([m[3] for m in between]))
    if min(ha, hb) < 1.3 * usual or max(wa / ha, wb / hb) > 0.3 or abs(top - yb) > 0.1 * ha or abs(ha - hb) > 0.1 * ha:
        return row
    bottom, middle = top + ha, top + ha / 2
    kept = [(x, y, w, h) for x, y, w, h in between
            if not (h < 0.75 * usual and ((y >= middle and abs(y + h - bottom) <= thickness) or (y + h <= middle and abs(y - top) <= thickness)))]
    return kept or between


def _split_lines_off(binary: np.ndarray, bounds: np.ndarray, taken: list[Rect], margin: float, low: float, high: float) -> np.ndarray:
    """The shapes' bounds, with those wider than any box but no taller, off every field, in
    pieces: their lines longer than a box taken off, and of what is left the pieces of a
    digit's height at least. A comb whose lines no finder took (a dithered fax's tick comb),
    with digits written touching its line, is one such shape: the digits in it were read by
    no one, and the wide shape made the digits beside it look like a line of text, so all
    were lost without a word. Its ticks are shorter than a digit. A solid bar, or a shape
    with no such line (type run together), stays as it is."""
    x, y, w, h = bounds.T
    wide = (w > high) & (low <= h) & (h <= high)  # (a line alone is thinner than a digit)
    if taken and wide.any():
        wide &= _share_on(x, y, w, h, taken, margin) < OWN_SHARE
    if not wide.any():
        return bounds.T
    out = [bounds[~wide]]
    line = cv2.getStructuringElement(cv2.MORPH_RECT, (int(high) + 1, 1))
    # a faint line's ink broken by gaps a few pixels wide is still a line (a light double
    # frame's lines, broken every 20-40 px at 150 dpi: the frame and the digits touching it
    # were one shape, and three digits were lost without a word, variants 1351 p11)
    bridge = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(low / 3)), 1))
    for a, b, c, d in bounds[wide].tolist():
        own = _own_pixels(binary, a, b, c, d)
        # (paper beyond the shape's bounds: by default OpenCV's opening takes the border for ink, and
        # a signature's stroke crossing a row at the bounds' edge for half a box was a line, taken
        # off; the scribble's tip left, two pieces read as flagged 1s, variants 1551 p12)
        lines = cv2.morphologyEx(cv2.morphologyEx(own, cv2.MORPH_CLOSE, bridge), cv2.MORPH_OPEN, line,
                                 borderType=cv2.BORDER_CONSTANT, borderValue=0)
        if own.mean() >= 0.5 * 255 or not lines.any():  # a solid bar (a name blacked out), or no line: as it is
            out.append(np.array([[a, b, c, d]]))
            continue
        # (the lines with their rough edges, a row each side: left, a table's line left them beside
        # a stub of a column's line, a mark as wide as a stroke, fax 1374 p13)
        taken_off = cv2.dilate(lines, np.ones((3, 1), np.uint8))
        parts = shape_bounds(cv2.subtract(own, taken_off))
        parts = parts[_against_lines(parts, taken_off) >= low] if len(parts) else parts
        if len(parts):
            out.append(parts + np.array([a, b, 0, 0]))
    return np.vstack(out).T


def _against_lines(parts: np.ndarray, taken_off: np.ndarray) -> np.ndarray:
    """Each part's height (x, y, w, h rows) with the row taken off with a line's rough
    edge above or below it, where it stands against one: that row may be a digit's own
    foot or top (a 7 written small on a dithered tick comb's line kept 22 rows of its
    23, under a digit's height, and was lost without a word, fax 1424 p6)."""
    heights = parts[:, 3].copy()
    for k, (x, y, w, h) in enumerate(parts.tolist()):
        heights[k] += int(y > 0 and taken_off[y - 1, x : x + w].any())
        heights[k] += int(y + h < taken_off.shape[0] and taken_off[y + h, x : x + w].any())
    return heights


def _share_on(x, y, w, h, rects: list[Rect], margin: float) -> np.ndarray:
    """For each shape's bounds (arrays x, y, w, h), the largest share of it on one of the
    rectangles grown by `margin`."""
    return _shares(x, y, w, h, _grown(rects, margin)).max(axis=1)


def _grown(rects: list[Rect], margin: float) -> np.ndarray:
    """(n, 4) x0, y0, x1, y1 of the rectangles grown by `margin` all round."""
    return np.array([(t.x - margin, t.y - margin, t.x + t.w + margin, t.y + t.h + margin) for t in rects])


def _shares(x, y, w, h, r: np.ndarray) -> np.ndarray:
    """(shapes, rectangles): the share of each shape's bounds on each of the `r` (_grown)."""
    across = np.clip(np.minimum((x + w)[:, None], r[:, 2]) - np.maximum(x[:, None], r[:, 0]), 0, None)
    down = np.clip(np.minimum((y + h)[:, None], r[:, 3]) - np.maximum(y[:, None], r[:, 1]), 0, None)
    return across * down / np.maximum(w * h, 1)[:, None]


def _beyond_fields(binary: np.ndarray, bounds: np.ndarray, taken: list[Rect], margin: float, low: float) -> np.ndarray:
    """(4, n) the shapes' bounds, and those of the pieces of a shape on a field that lie off
    it (its rectangle grown by `margin`) as tall as a digit (`low`). A digit written
    touching a field's box from outside is one shape with the box: on the field, it was the
    field's, and the field's cut left it out as a stroke crossing in from beyond (a dithered
    fax's comb, its lines found only over its last four cells, read as a string box; the 2
    in the cell before touched its side: lost without a word, fax 1434 p6)."""
    x, y, w, h = bounds.T
    if not taken or not len(x):
        return bounds.T
    r = _grown(taken, margin)
    shares = _shares(x, y, w, h, r)
    on = shares.argmax(axis=1)
    x0, y0, x1, y1 = (r[on, k] for k in range(4))
    beyond = (shares.max(axis=1) >= OWN_SHARE) & (h >= low) & (np.maximum.reduce([x0 - x, y0 - y, x + w - x1, y + h - y1]) >= 0.4 * low)
    out = [bounds]
    for k in np.flatnonzero(beyond):
        a, b, c, d = bounds[k].tolist()
        own = _own_pixels(binary, a, b, c, d)
        own[max(0, int(y0[k]) - b) : max(0, int(np.ceil(y1[k])) - b), max(0, int(x0[k]) - a) : max(0, int(np.ceil(x1[k])) - a)] = 0
        parts = shape_bounds(own)
        # (a piece as tall as the field is its frame's, beyond a rectangle drawn short of it:
        # a rounded string box's right side, variants 1391 p8)
        tall = y1[k] - y0[k] - 2 * margin
        if len(parts):
            out.append(parts[(parts[:, 3] >= low) & (parts[:, 3] < tall)] + np.array([a, b, 0, 0]))
    return np.vstack(out).T


def _own_pixels(binary: np.ndarray, a: int, b: int, c: int, d: int) -> np.ndarray:
    """The pixels of the shape whose bounds are a, b, c, d (x, y, w, h): not those of
    shapes in its holes (a frame round the page holds them all), 255 on 0."""
    count, labels, stats, _ = components((binary[b : b + d, a : a + c] > 0).astype(np.uint8))
    return np.isin(labels, [i for i in range(1, count) if stats[i, 2] == c and stats[i, 3] == d]).astype(np.uint8) * 255


def _checkbox(shape: np.ndarray, thickness: float, low: float) -> bool:
    """A small printed box (is_frame); where it is as tall as handwriting (`low`), its sides
    no thicker than a box line (the first and last run of ink across each of its middle
    rows and columns, by their median) and paper inside but for a tick or a cross. A bold
    handwritten 0 or 8 fills its bounds' outer quarters as a box's lines do, and was taken
    for a checkbox and lost without a word (dropout 1141 pages 2 and 5): its strokes are
    thicker, or ran into one blob. (Smaller blobs, bold printed figures run together, stay
    out: they joined a table's printed numbers into a row read as handwriting.)"""
    if not is_frame(shape):
        return False
    if shape.shape[0] < low:
        return True
    inked = shape > 0
    h, w = inked.shape
    a, b = max(1, h // 4), max(1, w // 4)
    sides = [float(np.median([_edge_run(line) for line in lines])) for lines in
             (inked[a : h - a], inked[a : h - a, ::-1], inked[:, b : w - b].T, inked[::-1, b : w - b].T)]
    return max(sides) <= thickness and float(inked[a : h - a, b : w - b].mean()) < CHECKBOX_INK


CHECKBOX_INK = 0.6  # a tick or a cross inks less of a checkbox's middle half than this


def _edge_run(line: np.ndarray) -> int:
    """How long the first run of ink along `line` is (0 where it has none)."""
    start = int(np.argmax(line))
    if not line[start]:
        return 0
    rest = line[start:]
    return int(np.argmin(rest)) if not rest.all() else len(rest)


def _straight(shape: np.ndarray) -> bool:
    """Whether the ink is one straight stroke: spread across its length a fifth of along it
    at most (a slash; a handwritten 4 or 7 spreads both ways)."""
    ys, xs = np.nonzero(shape)
    if len(xs) < 3:
        return True
    spread = np.linalg.eigvalsh(np.cov(np.vstack([xs, ys]).astype(float)))
    return bool(np.sqrt(max(spread[0], 0.0)) <= STRAIGHT * np.sqrt(max(spread[1], 1e-9)))


STRAIGHT = 0.2  # a stroke spread across its length this share of along it at most is straight


HAIRLINE = 2.0  # px across at the layout's resolution: a hairline frame's line (a pen's stroke is thicker)


def _frame_part(shape: np.ndarray, thickness: float) -> bool:
    """A hairline box frame, or a piece of one, whose lines no finder took: its ink lies along
    two of its bounds' edges or more, along 80% of each, within a line's thickness of the edge
    and 2 px across at most (a hairline, a row's jog included: deskewed, such a line steps a
    row every few pixels), and nothing of its own stands inside. Left in a row of free
    marks, empty frames and their broken halves and corners made the digits between them
    look like text of two heights, and the row was dropped: five digits lost (a hairline
    row at 300 dpi turned 1.9 degrees)."""
    h, w = shape.shape
    count, labels, stats, _ = cv2.connectedComponentsWithStats((shape > 0).astype(np.uint8), connectivity=8)
    own = [k for k in range(1, count) if tuple(stats[k, :4]) == (0, 0, w, h)]  # the shape itself (a digit may stand inside)
    if not own:
        return False
    inked = labels == own[0]
    t = int(thickness) + 2
    if h <= 2 * t or w <= 2 * t or inked[t : h - t, t : w - t].any():
        return False
    bands = (inked[:t], inked[h - t :], inked[:, :t].T, inked[:, w - t :].T)  # each edge's band, along its length
    lines = [b for b in bands if b.any(axis=0).mean() >= 0.8 and b.sum(axis=0)[b.any(axis=0)].mean() <= HAIRLINE]
    return len(lines) >= 2


def _characters(row: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """The row's marks, those one above the other (sharing half the wider one's width: not
    a digit and a line's piece under it) taken as one: a digit broken in two. A small 3
    broken so made two short marks in a row of eight digits, and with the row's two heights
    taken for a line of text, four digits were lost without a word (dropout 1291 p4).
    (Text's stacked pieces, an i's dot, a colon's, are too small to be marks.)"""
    merged: list[list[int]] = []
    for x, y, w, h in sorted(row):
        last = merged[-1] if merged else None
        if last and min(last[0] + last[2], x + w) - max(last[0], x) >= 0.5 * max(last[2], w):
            x1, y1 = max(last[0] + last[2], x + w), max(last[1] + last[3], y + h)
            last[0], last[1] = min(last[0], x), min(last[1], y)
            last[2], last[3] = x1 - last[0], y1 - last[1]
        else:
            merged.append([x, y, w, h])
    return [tuple(m) for m in merged]


def _printed(row: list[tuple[int, int, int, int]]) -> bool:
    """Type stands on one baseline and reaches one cap height to the pixel, its characters
    set close (most gaps between them under PRINTED_GAP of its height: a word's space is a third);
    a hand does not. (Four digits written in a row of boxes whose lines the scanner
    dropped stood on one line to the pixel, spaced by their boxes: lost without a word.)"""
    tops = np.array([m[1] for m in row])
    bottoms = np.array([m[1] + m[3] for m in row])
    gaps = [right[0] - (left[0] + left[2]) for left, right in zip(row, row[1:])]
    # each character on both lines at once: five handwritten digits of a tick comb, four
    # reaching one top and four one bottom but not the same four, passed for type and were
    # lost without a word (dropout 1191 p3)
    on_both = (np.abs(tops - np.median(tops)) <= 1) & (np.abs(bottoms - np.median(bottoms)) <= 1)
    return np.mean(on_both) >= 0.8 and float(np.median(gaps)) < PRINTED_GAP * float(np.median(bottoms - tops))


# type's characters stand closer than this share of their height, most of them (printed rows of
# tuning pages: 0.33 at most, but a small label's 0.36; a handwritten string, fax 1524 p19: 0.40)
PRINTED_GAP = 0.35


def _line_end(row: list[tuple[int, int, int, int]], line: list[tuple[int, int, int, int]]) -> bool:
    """Whether a row too short to tell type from a hand ends a printed `line`: on its baseline
    and reaching its cap height to the pixel (their medians), within three heights of it.
    (Single digits written in a form's separate boxes may line up so with each other, but
    they are no printed line of four characters or more.)"""
    def medians(r):
        return np.median([m[1] for m in r]), np.median([m[1] + m[3] for m in r])

    (top, bottom), (line_top, line_bottom) = medians(row), medians(line)
    gap = max(row[0][0] - max(m[0] + m[2] for m in line), min(m[0] for m in line) - max(m[0] + m[2] for m in row))
    return abs(top - line_top) <= 1 and abs(bottom - line_bottom) <= 1 and gap <= 3 * (bottom - top)


def _rows(marks: list[tuple[int, int, int, int]], gap: float) -> list[list[tuple[int, int, int, int]]]:
    """Marks side by side on one line (each overlaps the row's height by half its own,
    at most `gap` row heights from the row's right end), left to right."""
    rows: list[list[tuple[int, int, int, int]]] = []
    open_rows: list[list] = []  # [top, bottom, right, row] of the rows a later mark may still join
    for m in sorted(marks):
        x, y, w, h = m
        open_rows = [o for o in open_rows if x - o[2] <= gap * (o[1] - o[0])]  # marks come left to right
        for o in open_rows:
            top, bottom = o[0], o[1]
            if min(y + h, bottom) - max(y, top) >= 0.5 * min(h, bottom - top):
                o[0], o[1], o[2] = min(top, y), max(bottom, y + h), max(o[2], x + w)
                o[3].append(m)
                break
        else:
            rows.append([m])
            open_rows.append([y, y + h, x + w, rows[-1]])
    return rows
