"""Digit images -> MNIST-style 28x28 inputs.

MNIST was made by fitting each digit's ink into a 20x20 box, keeping its
aspect ratio, with anti-aliasing, then centring it by its centre of mass in a
28x28 frame; ink is white (255) on black (0). Every digit formreader reads goes
through the same steps so the recognizer sees what it was trained on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from .layout import Field, Layout, Rect, components, draw_on_gray, rect_moved
from .review import FieldView
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

MIN_INK_SHARE = 0.01  # less ink than this share of the box is a blank box
FAINT_INK = 45  # a lightly drawn stretch of a stroke kept (cell_ink) is this dark at least
MIN_INK_PIXELS = 12
RULED_BARS = 4  # upright bars of one height with their tops in line: the sides of boxes in a string field
# why every digit of a string field is flagged (FieldCut.doubt; the results' reason)
BOX_SIDES = "box sides in string"  # a row of boxes read as a string: its sides may read as 1s
LEFT_OUT = "mark left out of string"  # a mark no digit took (a faint digit broken into dots)
# free handwriting's cell is its row's height and half again: a level line this many times as long
# is no digit's stroke but a frame's the layout took for none (a dithered fax's string box)
FREE_LINE = 1.5
FAINT_MARK = "faint mark in blank box"  # a box whose ink is too light to count as a digit, yet holds a mark (BoxCut.doubt)


def window_to_page(to_page: np.ndarray, x: float, y: float) -> np.ndarray:
    """2x3: pixels of a window whose corner is at (x, y) on the deskewed page -> page pixels as read."""
    return to_page @ np.array([[1, 0, x], [0, 1, y], [0, 0, 1]], np.float64)


def crop_deskewed(gray: np.ndarray, to_page: np.ndarray, x: float, y: float, w: float, h: float) -> np.ndarray:
    """The deskewed page's rectangle (x, y, w, h), sampled from the page as read.

    `to_page` maps deskewed page pixels to the page's own (Layout.to_page)."""
    return cv2.warpAffine(
        gray, window_to_page(to_page, x, y), (max(1, int(round(w))), max(1, int(round(h)))),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE,
    )


def percentile_u8(image: np.ndarray, q: float) -> float:
    """np.percentile(image, q) of a uint8 image from its histogram: the same value
    (linear interpolation), without sorting; the cut asks it of every box."""
    if image.dtype != np.uint8 or image.size == 0:
        return float(np.percentile(image, q))
    below = np.bincount(image.ravel(), minlength=256).cumsum()
    at = q / 100 * (image.size - 1)
    k = int(at)
    lo = int(np.searchsorted(below, k + 1, side="left"))
    hi = int(np.searchsorted(below, k + 2, side="left")) if k + 1 < image.size else lo
    return float(lo + (hi - lo) * (at - k))


def window_ink(window: np.ndarray) -> np.ndarray:
    """Grey window -> float ink (0 paper .. 255 full ink), relative to its own paper."""
    paper = percentile_u8(window, 90)
    ink = np.clip(paper - window.astype(np.float32), 0, None)
    return np.clip(ink * (255.0 / max(paper - float(window.min()), 64.0)), 0, 255)


def box_lines(ink: np.ndarray, cell: tuple[int, int, int, int], line: float, open_top: bool = False, short_sides: bool = False,
              low_sides: tuple[bool, bool] = (False, False)) -> np.ndarray:
    """Mask of the box's own lines around `cell` (window coordinates).

    Each side is looked for near where the layout put it: the rows (columns) that
    ink fills along most of the side. Where a stroke crosses the top or bottom
    line, ink on both sides of it, the line's pixels there stay: they belong to
    the digit. Sides are not mended so: in a comb, that would join neighbours.
    Tick combs have no top line (`open_top`), and their sides are short ticks; a
    comb's sides may be (`short_sides`): where no side runs the box's height, one
    rising from the bottom line is looked for; where the comb's dividers are known to be
    short (`low_sides`, left and right: see short_divided), only that one, taken up to
    the box's middle (a digit's stroke it touches is cut away with it so far, no further).
    """
    x0, y0, x1, y1 = cell
    inked = ink > 25
    mask = np.zeros(ink.shape, bool)
    reach = int(max(line / 2 + 3, 0.1 * min(x1 - x0, y1 - y0)))
    h, w = ink.shape
    edges = [(y1, True)] + ([] if open_top else [(y0, True)]) + [(x0, False), (x1, False)]
    low_only = {x0: low_sides[0], x1: low_sides[1]}
    beyond = int(line) + 1  # a line the search reaches only the edge of is taken whole, this far on
    whole, low = slice(y0, y1), slice(y0 + (y1 - y0) * 2 // 3, y1)  # the rows a side is sought along (ticks rise from the baseline)
    side_spans = [low] if open_top else [whole, low] if short_sides else [whole]
    rails = {}  # the top and bottom lines' rows, once found
    for at, horizontal in edges:
        lo, hi = max(0, at - reach), min((h if horizontal else w), at + reach + 1)
        wide = slice(max(0, lo - beyond), min((h if horizontal else w), hi + beyond))
        for span in [None] if horizontal else [low] if low_only[at] else side_spans:
            if horizontal:
                fill = inked[wide, x0:x1].mean(axis=1) if x1 > x0 else np.zeros(wide.stop - wide.start)
            else:
                fill = inked[span, wide].mean(axis=0) if y1 > y0 else np.zeros(wide.stop - wide.start)
            near = fill[lo - wide.start : hi - wide.start]
            fullest = float(near.max()) if len(near) else 0.0
            if fullest >= 0.6:
                break
        if horizontal and x1 - x0 >= ASLANT_PARTS * (y1 - y0) and fullest < ASLANT_FILL:
            aslant = aslant_line(inked, at, reach, (x0, x1), y1 - y0, line)
            if aslant.any():
                mask |= aslant
                continue
        if fullest < 0.6:
            continue  # no line here (a faded one leaves too little to matter)
        # (a side sought along the lowest third only: a digit's stroke fills that third's columns)
        a, b = line_band(fill, lo - wide.start, hi - wide.start, line, np.inf if span is low else SOLID)
        # (beside it, over what the bottom line fills everywhere: a bold line fills a fifth of the rows;
        # not asked where the comb's dividers are known short: there a digit touching one fills it)
        if span is low and not open_top and not low_only[at] and max(fill[max(0, a - 1)], fill[min(len(fill) - 1, b)]) - fill.min() >= 0.35:
            continue  # a short side aslant: taken whole or not at all (cell_ink knows a divider by its shape)
        a, b = wide.start + a, wide.start + b
        if horizontal:
            mask[a:b, :] |= uncrossed(inked, a, b, slice(0, w))
            mask[a:b, x0:x1] &= ~in_double_line(ink[a:b, x0:x1], inward_down=at == y0)
            rails[at] = (a, b)
        else:
            if span is whole and len(rails) == 2:
                twin = own_side(inked, fill, wide.start, (a, b), 1 if at == x0 else -1, rails.values(), line)
                if twin is not None:
                    mask[:, twin[0] : twin[1]] |= inked[:, twin[0] : twin[1]]
            rows = slice(y0 + (y1 - y0) // 2, h) if span is low else slice(0, h)
            mask[rows, a:b] |= inked[rows, a:b]
    return mask


GAP_PAPER = 0.6  # the paper between a double line's two lines is at most this dark against them
GAP_CROSSED = 0.5  # a stroke crosses the gap in fewer of the cell's columns than this share


def in_double_line(band: np.ndarray, inward_down: bool) -> np.ndarray:
    """Mask of where a digit's stroke lies within a double top or bottom line (`band`: the
    line's rows across the cell, ink): where a stroke lies over the paper between its two
    lines, it runs on through the inner line to the digit; those columns, from the gap
    inward (down for a top line), are the digit's. Taken whole with the line, a 3's lower
    bowl and a 9's loop drawn over a double line were cut away: read as a sure 2 and a
    sure 7."""
    out = np.zeros(band.shape, bool)
    if band.shape[0] < 3 or band.shape[1] < 3:
        return out
    level = np.median(band, axis=1)
    g = 1 + int(np.argmin(level[1:-1]))  # the palest row between the band's first and last
    line = min(level[:g].max(), level[g + 1 :].max())  # both lines, darker than the gap
    if level[g] > GAP_PAPER * line:
        return out
    crossed = band[g] >= (level[g] + line) / 2
    if crossed.mean() >= GAP_CROSSED:
        return out
    out[slice(g, None) if inward_down else slice(0, g + 1), crossed] = True  # (the line's mask holds inked pixels only)
    return out


def own_side(inked: np.ndarray, fill: np.ndarray, start: int, band: tuple[int, int], inward: int, rails, line: float) -> tuple[int, int] | None:
    """The box's own side just inside the side found (window columns [a, b) in `band`;
    `fill` holds the columns from `start` on), where the cell's edge fell between two
    boxes' sides a pixel or two apart: bold separate boxes set that close look to the
    layout like one line, and the side found first is the neighbour's. A second full
    band of columns, paper between the two, is the box's own side where it runs straight
    on into the top and bottom lines (`rails`, their rows). A double box's inner line
    does not: paper lies between it and the outer lines; `inner_frame_lines` takes it."""
    at = (band[1] if inward > 0 else band[0] - 1) - start
    k = at
    while 0 <= k < len(fill) and fill[k] < OWN_SIDE_FILL and abs(k - at) <= line:
        k += inward
    if not 0 <= k < len(fill) or fill[k] < OWN_SIDE_FILL or fill[min(k, at) : max(k, at) + 1].min() >= 0.3:
        return None  # no full band near beyond it, or no paper between
    far = k
    while 0 <= far + inward < len(fill) and fill[far + inward] >= OWN_SIDE_FILL:
        far += inward
    c, d = start + min(k, far), start + max(k, far) + 1
    if d - c > 1.5 * line + 2:
        return None  # too thick for a printed side
    for first, end in rails:  # each line's rows [first, end): the side runs on out of it, up or down
        if share_inked(inked[end : end + 2, c:d]) < 0.8 and share_inked(inked[max(0, first - 2) : first, c:d]) < 0.8:
            return None
    return c, d


def share_inked(rows: np.ndarray) -> float:
    """The share of these pixels inked; 1 where there are none (a line at the window's
    edge: nothing beyond it says the side stops there; NumPy's mean of nothing warned)."""
    return float(rows.mean()) if rows.size else 1.0


OWN_SIDE_FILL = 0.9  # a printed side fills nearly every row of the box; a digit's upright stroke seldom does


SOLID = 0.97  # a line's row (column) is inked nearly all along; a stroke beside it is not
ASLANT_PARTS = 4  # a box this many times as wide as tall (a string's) is looked at in parts of its height
ASLANT_FILL = 0.9  # where no row holds this much of its line: a straight line's row holds it nearly all


def line_band(fill: np.ndarray, lo: int, hi: int, line: float, solid: float = np.inf) -> tuple[int, int]:
    """The rows (columns) [a, b) of a line whose fill peaks in fill[lo:hi]: the fullest
    and its full neighbours; a stroke running beside it fills rows only part way, and stays."""
    peak = lo + int(np.argmax(fill[lo:hi]))
    a, b, full = peak, peak + 1, 0.8 * fill[peak]
    while a > lo and fill[a - 1] >= full:
        a -= 1
    while b < hi and fill[b] >= full:
        b += 1
    # beyond the search, only while the line is thinner than a box line (a stroke beside it
    # stays), or a pixel thicker where the row (column) is inked along `solid` of the line
    # at least (a side drawn a pixel bolder than the lines: left, its edge was read as a 1)
    grows = lambda k, width: fill[k] >= full and (width < line or (width < line + 1 and fill[k] >= solid))  # noqa: E731
    while a > 0 and grows(a - 1, b - a):
        a -= 1
    while b < len(fill) and grows(b, b - a):
        b += 1
    return a, b


def uncrossed(inked: np.ndarray, a: int, b: int, cols: slice) -> np.ndarray:
    """A horizontal line's pixels in rows [a, b) of `cols`, but where a stroke crosses it
    (ink on both sides): there they belong to the digit."""
    h = inked.shape[0]
    band = inked[a:b, cols].copy()
    band[:, inked[max(0, a - 2), cols] & inked[min(h - 1, b + 1), cols]] = False
    return band


def aslant_line(inked: np.ndarray, at: int, reach: int, cols: tuple[int, int], height: int, line: float) -> np.ndarray:
    """Mask of a string box's top or bottom line (near row `at`) that no one row holds: a
    box photographed at a slant (rows converging) runs a degree or two aslant of the page's
    rows, so across a wide box its line drifts by more than its width, and was left in the
    ink as strokes. Sought part by part, each a third as wide as the box is tall (the line
    drifts a pixel in it): near `at`, then followed from each part found into its neighbours
    (a line drifts beyond the search at the box's far end). Taken where most parts hold it,
    so that digits' flat strokes near an edge of an unlined box stay."""
    h, step = inked.shape[0], max(4, height // 3)
    parts = [slice(x, min(cols[1], x + step)) for x in range(cols[0], cols[1] - step // 2, step)]

    def band_near(part: slice, lo: int, hi: int) -> tuple[int, int] | None:
        lo, hi = max(0, lo), min(h, hi)
        fill = inked[:, part].mean(axis=1)
        return line_band(fill, lo, hi, line) if hi > lo and fill[lo:hi].max() >= 0.6 else None

    bands = [band_near(part, at - reach, at + reach + 1) for part in parts]
    drift = int(line / 2) + 3
    for order, back in ((range(1, len(parts)), -1), (range(len(parts) - 2, -1, -1), 1)):
        for i in order:
            if bands[i] is None and bands[i + back] is not None:
                a, b = bands[i + back]
                bands[i] = band_near(parts[i], a - drift, b + drift)
    mask = np.zeros(inked.shape, bool)
    if sum(band is not None for band in bands) < 0.6 * len(parts):
        return mask
    for part, band in zip(parts, bands):
        if band is not None:
            a, b = max(0, band[0] - 1), band[1] + 1  # (and the rows it drifts into across the part)
            mask[a:b, part] = uncrossed(inked, a, b, part)
    return mask


def inner_frame_lines(ink: np.ndarray, lines: np.ndarray, cell: tuple[int, int, int, int], line: float, comb: bool = False,
                      open_top: bool = False) -> np.ndarray:
    """Mask of the inner line of a double box (the layout went by the outer one, and
    box_lines took that): on three sides at least, or in a `comb`'s cell at its top and
    bottom (a comb drawn with double lines), a straight thin line within a fifth of the
    box from its edge, running along 0.7 of it (no digit has two such lines). Where a
    stroke crosses it, ink on both sides, its pixels stay. A digit that touches the inner
    line is one shape with it, so inner_frame, which drops whole rings, leaves it; left
    in, a 6 read as a 4, a 1 as a 0. A tick comb's cell (`open_top`) has no top line, so
    no inner one: a 7's bar across its top, with the baseline, passed for a double comb's."""
    x0, y0, x1, y1 = cell
    w, h = x1 - x0, y1 - y0
    inked = (ink > 25) & ~lines
    mask = np.zeros(ink.shape, bool)
    if min(w, h) < 12:
        return mask
    depth, band = int(0.2 * min(w, h)), int(line) + 2
    found = []  # (first, last, horizontal, side, how far in from the edge its inner side lies) of each line
    for side, (horizontal, far) in enumerate(((True, False), (True, True), (False, False), (False, True))[1 if open_top else 0 :]):
        fill = inked[:, x0:x1].mean(axis=1) if horizontal else inked[y0:y1, :].mean(axis=0)
        edge = (y1 if far else y0) if horizontal else (x1 if far else x0)
        lo, hi = (edge - depth, edge + band) if far else (edge - band, edge + depth)  # (a line may lie across the edge)
        lo, hi = max(0, lo), min(len(fill), hi + 1)
        lines_here = []
        full = np.flatnonzero(fill[lo:hi] >= 0.7) + lo
        for run in np.split(full, np.flatnonzero(np.diff(full) > 1) + 1) if len(full) else []:
            a, b = int(run[0]), int(run[-1])  # and the rows (columns) beside it that it half fills
            while a > 0 and fill[a - 1] >= 0.5:
                a -= 1
            while b + 1 < len(fill) and fill[b + 1] >= 0.5:
                b += 1
            if b - a + 1 <= band:
                lines_here.append((a, b, horizontal, side, edge - a if far else b - edge))
        if lines_here:  # beyond the fullest (the inner line), only what fills nearly as much: a 6's
            # stem inside the inner line, as straight and as long, was cut away too, the 6 read as a 0
            fullest = [float(fill[a : b + 1].max()) for a, b, *_ in lines_here]
            best = int(np.argmax(fullest))
            inward = [abs(a + b - 2 * edge) for a, b, *_ in lines_here]
            lines_here = [found_line for found_line, full, d in zip(lines_here, fullest, inward)
                          if d <= inward[best] or full >= 0.9 * fullest[best]]
        found += lines_here
    sides = list({side: horizontal for _, _, horizontal, side, _ in found}.values())  # (horizontal) of each side with a line
    if comb and not open_top and sum(sides) == 2:
        # a double line's two lines lie as far apart on every side: in a comb's cell, an upright
        # line far deeper in than the top and bottom lines' inner ones is a stroke (a straight 1,
        # a 4's stem beside a double comb's single divider was cut away with them: read blank,
        # or "not a digit")
        deepest = max(deep for _, _, horizontal, _, deep in found if horizontal)
        found = [(a, b, horizontal, side, deep) for a, b, horizontal, side, deep in found if horizontal or deep <= deepest + line / 2 + 3]
    if len(sides) < 3 and not (comb and sum(sides) == 2):
        return mask
    across, along = slice(max(0, x0 - band), x1 + band), slice(max(0, y0 - band), y1 + band)  # the cell's own stretch of it
    for a, b, horizontal, *_ in found:
        if horizontal:
            crossing = inked[max(0, a - 2), across] & inked[min(ink.shape[0] - 1, b + 2), across]
            mask[a : b + 1, across] = inked[a : b + 1, across] & ~crossing
        else:
            crossing = inked[along, max(0, a - 2)] & inked[along, min(ink.shape[1] - 1, b + 2)]
            mask[along, a : b + 1] = inked[along, a : b + 1] & ~crossing[:, None]
    return mask


def cell_ink(window: np.ndarray, cell: tuple[int, int, int, int], line: float, open_top: bool = False, ticks: bool = False,
             low_sides: tuple[bool, bool] = (False, False)) -> np.ndarray:
    """The ink of what was written in `cell` (window coordinates), box lines and strays
    removed; with `ticks`, a cell of a comb whose dividers may be short ticks (`low_sides`:
    its left or right side is one, see box_lines)."""
    ink = window_ink(window)
    lines = box_lines(ink, cell, line, open_top, short_sides=ticks, low_sides=low_sides)
    lines |= inner_frame_lines(ink, lines, cell, line, comb=ticks, open_top=open_top)
    inked = ink > 90
    strong = inked & ~lines
    strong &= ~edge_slivers(inked, strong, lines, cell, line)
    x0, y0, x1, y1 = cell
    w, h = x1 - x0, y1 - y0
    speck = max(4, 0.004 * min(w, h) ** 2)  # by a digit's size: in a wide string box, a thin 1 is no speck
    count, labels, stats, centroids = components(strong.astype(np.uint8))
    keep = np.zeros(count, bool)
    reach = line / 2 + 3
    pieces_of_lines = comb_ticks(stats, cell, reach) | broken_sides(stats, cell, reach)
    slivers = side_slivers(stats, lines, h, line)
    # a side inked from line to line is a full divider: no tick stands beside it to be left over
    r = int(reach)
    full = [(ink[y0:y1, max(0, x - r) : x + r + 1] > 90).any(axis=1).mean() >= 0.9 if y1 > y0 and (open_top or ticks) else False
            for x in (x0, x1)]
    stats_of, centroids_of = stats.tolist(), centroids.tolist()  # (Python numbers: the loop reads them one by one)
    for i in (np.flatnonzero(stats[1:, cv2.CC_STAT_AREA] >= speck) + 1).tolist():  # not the background, nor specks of dust or noise
        cx, cy = centroids_of[i]
        bx, by, bw, bh, area = stats_of[i]
        along_edge = ((bw <= 2 * reach and (abs(bx + bw / 2 - x0) <= reach or abs(bx + bw / 2 - x1) <= reach)) or (
            bh <= 2 * reach and (abs(by + bh / 2 - y0) <= reach or abs(by + bh / 2 - y1) <= reach)
        )) and not holed(labels, i, (bx, by, bw, bh))
        # a faint side line the line finder missed: thin, straight, most of the box's height, near a side
        # (near by the box's smaller side: a 1 in a wide string box is no side); not a 1 that bends clear
        # of a side found and taken off
        side_remnant = bw <= 2 * reach and bh >= 0.7 * h and min(abs(cx - x0), abs(cx - x1)) <= 0.2 * min(w, h) \
            and not clear_of_side(labels, i, (bx, by, bw, bh), lines, h)
        # in a tick comb (or a comb of short dividers), a tick the grid put a little off: thin (by its
        # mean width: a tick a little aslant is wider than its stroke), short, standing on the baseline
        # near a side (a bitonal scan's crisp ticks, aslant after deskewing, were read as 1s), a side
        # that is no full divider (a small 1 written low beside one was taken for a tick: read blank)
        tick_remnant = (open_top or ticks) and area <= 2 * reach * bh and bh <= 0.6 * h and by + bh >= y1 - reach \
            and min(abs(cx - x0), abs(cx - x1)) <= 0.25 * w and width_above(labels, i, (bx, by, bw, bh), y1 - reach) <= 0.2 * w \
            and not full[0 if abs(cx - x0) <= abs(cx - x1) else 1]
        # the inner line of a double top or bottom line (the layout went by the outer one): thin,
        # straight across nearly the whole cell, near the edge, touching no stroke
        inner_line = bh <= 2 * reach and bw >= 0.85 * w and min(abs(cy - y0), abs(cy - y1)) <= 0.2 * h
        along_edge |= side_remnant or tick_remnant or inner_line or corner_arc((bx, by, bw, bh), cell, reach) or i in pieces_of_lines \
            or inner_frame(labels, i, (bx, by, bw, bh), cell, line) or i in slivers \
            or hugs_edges(labels, i, (bx, by, bw, bh), cell, line, open_top)
        # what was written here has its middle in the box; a remnant of a box line lies along an edge
        keep[i] = x0 <= cx <= x1 and y0 <= cy <= y1 and not along_edge
    # the part of a digit beyond the top or bottom line, cut off by the line's removal
    kept = keep.astype(np.uint8)[labels]
    across = cv2.dilate(kept, np.ones((int(2 * reach + 1), 1), np.uint8)) > 0
    touching = np.unique(labels[across & strong & (kept == 0)])
    big = stats[touching, cv2.CC_STAT_AREA] >= speck
    keep[touching[big]] = True
    # the kept strokes with their soft (anti-aliased) edges
    soft = cv2.dilate(keep.astype(np.uint8)[labels], np.ones((3, 3), np.uint8)) > 0
    # and a pen's faint stretches that run on from them within the box (a 3's tail drawn
    # lightly, left out, made a 2, read surely): never what was dark and left out above
    faint = ((ink > FAINT_INK) & (ink <= 90) & ~lines & ~soft).astype(np.uint8)
    if keep.any() and faint.any():
        _, faint_labels, _, faint_centres = components(faint)
        near = np.unique(faint_labels[(cv2.dilate(soft.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0) & (faint > 0)])
        inside = [i for i in near if i and x0 <= faint_centres[i][0] <= x1 and y0 <= faint_centres[i][1] <= y1]
        soft |= np.isin(faint_labels, inside)
    return np.where(soft & ~lines, ink, 0).astype(np.float32)


def holed(labels: np.ndarray, i: int, bounds: tuple[int, int, int, int]) -> bool:
    """Whether piece i encloses paper: a digit's loop, never what is left of a box line (a
    narrow 9 written against a bold frame's side lay within the reach of its edge, was
    dropped as the side's remnant and the box read blank)."""
    bx, by, bw, bh = bounds
    piece = (labels[by : by + bh, bx : bx + bw] == i).astype(np.uint8)
    _, hierarchy = cv2.findContours(piece, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    return hierarchy is not None and bool((hierarchy[0][:, 3] >= 0).any())


def width_above(labels: np.ndarray, i: int, bounds: tuple[int, int, int, int], y: float) -> int:
    """How wide piece i is above height y: a tick's own width, without the stub of a
    stepped baseline (a turned fax's line, two rows of steps) left at its foot."""
    bx, by, bw, bh = bounds
    if bw <= 2 or y <= by:
        return bw
    cols = np.flatnonzero((labels[by : int(y), bx : bx + bw] == i).any(axis=0))
    return int(cols[-1] + 1 - cols[0]) if len(cols) else bw


def corner_arc(bounds: tuple[int, int, int, int], cell: tuple[int, int, int, int], reach: float) -> bool:
    """A rounded corner of the box, left when its straight sides and lines were removed:
    a piece wholly within one corner (a fifth to a quarter of the box, as such corners are
    drawn) that runs from near the side to near the top or bottom line."""
    bx, by, bw, bh = bounds
    x0, y0, x1, y1 = cell
    c = 0.3 * min(x1 - x0, y1 - y0)
    left, right = bx <= x0 + reach and bx + bw <= x0 + c, bx + bw >= x1 - reach and bx >= x1 - c
    top, bottom = by <= y0 + reach and by + bh <= y0 + c, by + bh >= y1 - reach and by >= y1 - c
    return (left or right) and (top or bottom)


def comb_ticks(stats: np.ndarray, cell: tuple[int, int, int, int], reach: float) -> set[int]:
    """In a box wide enough for a string, the short dividers of a comb the layout took for
    one string box (a rounded frame with ticks): thin straight strokes that stand on the
    bottom line or hang from the top one and rise under three fifths of the box (as the
    layout's short dividers do), two of them at least. Left in, each read as a 1, surely.
    A digit that touches a tick is one shape with it, and stays."""
    x0, y0, x1, y1 = cell
    h = y1 - y0
    if x1 - x0 < 1.5 * h:
        return set()
    bx, by, bw, bh = (stats[1:, k] for k in range(4))
    on_edge = (by + bh >= y1 - reach) | (by <= y0 + reach)
    found = np.flatnonzero((bw <= 2 * reach) & (bh >= 2 * bw) & (bh <= 0.6 * h) & on_edge) + 1
    return set(found.tolist()) if len(found) >= 2 else set()


def broken_sides(stats: np.ndarray, cell: tuple[int, int, int, int], reach: float) -> set[int]:
    """A faint side line the line finder missed, broken in pieces (a coarse JPEG): thin
    straight pieces near one side of the box that together run along most of its height,
    as one unbroken piece does (`side_remnant` in cell_ink). Left in, they read as a 1.
    Only pieces within the box count: beyond its edge a neighbour's side (double boxes set
    close) stood off the pieces, and the inner line's remnant in a blank box read as a 1 at
    0.992, accepted."""
    x0, y0, x1, y1 = cell
    w, h = x1 - x0, y1 - y0
    bx, by, bw, bh = (stats[1:, k] for k in range(4))
    cx = bx + bw / 2
    out: set[int] = set()
    upright = (x0 <= cx) & (cx <= x1) & (bw <= 2 * reach) & (bh >= 2 * bw) & (bh >= 0.15 * h)  # thin, straight, within the box
    for near in (np.abs(cx - x0) <= 0.2 * min(w, h), np.abs(cx - x1) <= 0.2 * min(w, h)):
        pieces = np.flatnonzero(near & upright)
        if len(pieces) >= 2 and bh[pieces].sum() >= 0.7 * h and np.ptp(cx[pieces]) <= reach:
            out.update((pieces + 1).tolist())
    return out


def clear_of_side(labels: np.ndarray, i: int, bounds: tuple[int, int, int, int], lines: np.ndarray, height: int, gap: int = 3) -> bool:
    """Whether piece i, thin and tall beside a side, is a 1 written there, not what is left
    of a side: the side was found and removed (`lines`), paper at least `gap` wide lies
    between the piece and it in every row, the piece is shorter than a side (a double box's
    inner line runs nearly the whole height), a pen's solid stroke (one run of ink two
    pixels wide or more in nearly every row: no dithered dots) and it leans or bends (its
    rows' middles 2 px apart or more: a printed line is straight). A 1 close beside a
    bold rounded box's side was dropped as the side's remnant: the box read blank."""
    bx, by, bw, bh = bounds
    if bh >= 0.85 * height:
        return False
    own = labels[by : by + bh, bx : bx + bw] == i
    counts = own.sum(axis=1)
    runs = (np.diff(own.astype(np.int8), axis=1) == 1).sum(axis=1) + own[:, 0]
    if np.median(counts) < 2 or np.mean(runs == 1) < 0.9:
        return False  # no pen's stroke: dots (a dithered line's remnant)
    middles = (own * np.arange(bw)).sum(axis=1) / np.maximum(counts, 1)
    if np.ptp(middles) < 2:
        return False  # straight
    for side in (slice(max(0, bx - gap), bx), slice(bx + bw, bx + bw + gap)):
        near = lines[by : by + bh, side]
        if near.size and near.any():
            return False
    # the side it stands beside (the window's nearer edge), not the box's far one: found there
    beyond = lines[by : by + bh, : max(0, bx - gap)] if bx + bw / 2 < lines.shape[1] / 2 else lines[by : by + bh, bx + bw + gap :]
    return bool(beyond.size) and beyond.any(axis=1).mean() >= 0.8


def edge_slivers(inked: np.ndarray, strong: np.ndarray, lines: np.ndarray, cell: tuple[int, int, int, int], line: float) -> np.ndarray:
    """The thin edge a removed box line left along its inner side (its soft edge on a turned
    page), where a digit touches it: one piece with the digit, so no sliver to side_slivers.
    A bold comb's 0 touching its right side kept the side's 3-4 px edge from top to bottom
    and read as a sure 9 (lid 1206 p2). Along each side, ink that runs on from the line
    inward no more than 0.7 of the line (2 px at least; a pen's stroke is wider) is the
    edge's, where ink runs along the line in 95% of its rows, such thin ink in 40% of them,
    and it is a small part (30% at most) of the cell's ink; rows where a stroke touches
    keep it all. The edge runs on into the line's ink (the mask's first pixel is inked).
    (A 7 drawn against the top and side of a small bold box, its bar and stem as thin as
    such an edge along all of them, is most of its cell's ink: it stays.) `strong`: the
    ink less the lines."""
    x0, y0, x1, y1 = cell
    written = int(strong[y0:y1, x0:x1].sum())
    thin = max(2, round(0.7 * line))
    out, inward = int(line / 2 + 3), int(line / 2 + 3 + line) + thin + 1  # the line lies within `out` of the cell's edge
    drop = np.zeros_like(strong)
    # each side as a strip of rows running from inside the cell out across its line
    sides = [(slice(y0, y1), slice(max(0, x1 - inward), x1 + out), False),
             (slice(y0, y1), slice(max(0, x0 - out), x0 + inward), True),
             (slice(max(0, y1 - inward), y1 + out), slice(x0, x1), False),
             (slice(max(0, y0 - out), y0 + inward), slice(x0, x1), True)]
    for k, (rows, cols, outward_left) in enumerate(sides):
        strips = [a[rows, cols] if k < 2 else a[rows, cols].T for a in (strong, lines, inked, drop)]
        rest, side, dark, dropped = (v[:, ::-1] if outward_left else v for v in strips)
        if not side.size:
            continue
        edge = np.argmax(side, axis=1)  # the line's first pixel from inside
        every, on_line = np.arange(len(edge)), side.any(axis=1)
        run = np.zeros(len(edge), int)  # ink left in, running inward from it, up to thin + 1
        for step in range(1, thin + 2):
            at = edge - step
            run += on_line & (at >= 0) & rest[every, np.maximum(at, 0)] & (run == step - 1)
        beside = on_line & (edge > thin) & dark[every, edge]  # rows with the line beside them, its mask's first pixel inked
        sliver = beside & (run >= 1) & (run <= thin)
        along = beside & (run >= 1)
        if beside.sum() >= 0.6 * len(edge) and along.sum() >= 0.95 * beside.sum() and sliver.sum() >= 0.4 * beside.sum() \
                and run[sliver].sum() <= 0.3 * written:
            for step in range(1, thin + 1):
                r = np.flatnonzero(sliver & (run >= step))
                dropped[r, edge[r] - step] = True
    return drop


def side_slivers(stats: np.ndarray, lines: np.ndarray, height: int, line: float) -> set[int]:
    """The edge of a box side the removal of the side left (a side a little aslant: its
    edge column was too little inked to count as the side's; a dithered fax's side, whose
    blurred dots left its inner edge in pieces): thin pieces (2 px, a quarter of a broad
    line) each with the removed side beside it along most of its length, in one column on
    the same hand of it, together half the box tall. A pen's stroke is wider, and a
    digit's stroke that touches the side was removed with it. (Dithered double sides read
    1 in blank boxes; the two edges of a 6's stem taken for a side are no one sliver.)"""
    thin = max(2, int(line / 4))
    hands: dict[bool, list[tuple[int, float, int]]] = {True: [], False: []}  # lines on the left: (piece, middle, height)
    for i, (bx, by, bw, bh, _) in enumerate(stats.tolist()):
        if i == 0 or bw > thin:
            continue
        rows = lines[by : by + bh]
        if rows[:, max(0, bx - 1) : bx + bw + 1].any(axis=1).mean() >= 0.8:
            left, right = rows[:, max(0, bx - 2) : bx].sum(), rows[:, bx + bw : bx + bw + 2].sum()
            hands[bool(left >= right)].append((i, bx + bw / 2, bh))
    return {i for pieces in hands.values() for i, middle, _ in pieces
            if sum(h for _, m, h in pieces if abs(m - middle) <= thin) >= 0.5 * height}


def hugs_edges(labels: np.ndarray, i: int, bounds: tuple[int, int, int, int], cell: tuple[int, int, int, int], line: float,
               open_top: bool = False) -> bool:
    """A piece of the inner line of a double box that broke into pieces (an L, a top and a
    side): every one of its pixels lies close along the cell's edges (a box line's width
    and a little more, at most 0.15 of the box: in a small box a digit lies near its edges
    all over), and it runs along two edges at least (a sixth of the top or bottom, half of
    a side). A digit written in the box has most of its ink away from the edges; a 1
    standing close to a side runs along that one only. (No top edge in a tick comb.)"""
    bx, by, bw, bh = bounds
    x0, y0, x1, y1 = cell
    if max(bw, bh) < 0.5 * min(x1 - x0, y1 - y0):
        return False
    band = max(4, int(line) + 3)
    if band > 0.15 * min(x1 - x0, y1 - y0):
        return False
    ys, xs = np.nonzero(labels[by : by + bh, bx : bx + bw] == i)
    ys, xs = ys + by, xs + bx
    edges = [(np.abs(xs - x) <= band, ys, 0.5 * (y1 - y0)) for x in (x0, x1)]
    edges += [(np.abs(ys - y) <= band, xs, (x1 - x0) / 6) for y in ((y1,) if open_top else (y0, y1))]
    if not np.logical_or.reduce([near for near, _, _ in edges]).all():
        return False
    runs = sum(near.any() and np.ptp(along[near]) >= length for near, along, length in edges)
    return runs >= 2


def inner_frame(labels: np.ndarray, i: int, bounds: tuple[int, int, int, int], cell: tuple[int, int, int, int], line: float) -> bool:
    """The inner line of a double box (the layout went by the outer one): a ring that runs
    close along all four sides of the cell, two of its sides at least (a scan may break
    the ring's corners: the rest are pieces of their own along the edges) straight and
    filled nearly end to end, as no handwritten 0 is, and nothing inside it (a digit that
    touches the ring is one shape with it, and stays)."""
    bx, by, bw, bh = bounds
    x0, y0, x1, y1 = cell
    near = 0.15 * min(x1 - x0, y1 - y0)
    band = max(3, int(line) + 2)
    if bx > x0 + near or by > y0 + near or bx + bw < x1 - near or by + bh < y1 - near or min(bw, bh) <= 3 * band:
        return False
    shape = labels[by : by + bh, bx : bx + bw] == i  # component i of the cell's labelled ink
    sides = [shape[:band].any(axis=0).mean(), shape[-band:].any(axis=0).mean(),
             shape[:, :band].any(axis=1).mean(), shape[:, -band:].any(axis=1).mean()]
    return sum(side >= 0.8 for side in sides) >= 2 and not shape[band:-band, band:-band].any()


def is_blank(ink: np.ndarray, cell_area: float) -> bool:
    strong = int((ink > 90).sum())
    return strong < max(MIN_INK_PIXELS, MIN_INK_SHARE * cell_area)


MARK_MIDDLE = 0.25  # a faint mark's pieces have their middles this share of the box or more within its edges
MARK_TALL = 0.4  # and with the dark ink kept cover this share of its rows
MARK_STRAY = 0.02  # light ink off the mark covers less than this share of the box


def faint_mark(window: np.ndarray, cell: tuple[int, int, int, int], line: float, ink: np.ndarray) -> np.ndarray | None:
    """In a box whose ink (cell_ink's `ink`) is too little to be a digit, a mark drawn
    lightly: its ink, or None. A pen's stroke broken into light dots, dark only in specks,
    below its one dark dot (a dotted 1 in a tinted box, third maker, seed 1163 page 21) kept
    too little dark ink: the box was read blank, accepted where a 1 was written. Some dark
    ink kept, and light pieces with their middles well within the box that, with it, cover
    a good share of its rows, on paper clean around them; never dark ink that cell_ink took
    off but for specks (box lines, their remnants) nor its soft edges."""
    if not (ink > 90).any():  # some of the mark was dark and kept (a dithered fax's blank boxes hold light dots alone)
        return None
    raw = window_ink(window)
    x0, y0, x1, y1 = cell
    w, h = x1 - x0, y1 - y0
    speck = max(4, 0.004 * min(w, h) ** 2)
    # dark pieces cell_ink took off, but for specks: a pale stroke's darkest dots are specks
    _, labels, stats, _ = components(((raw > 90) & (ink <= 90)).astype(np.uint8))
    big = np.flatnonzero(stats[1:, cv2.CC_STAT_AREA] >= speck) + 1
    dropped = cv2.dilate(np.isin(labels, big).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    edge = int(line / 2 + 3)
    light = np.zeros(raw.shape, bool)
    light[y0 + edge : y1 - edge, x0 + edge : x1 - edge] = True
    light &= (raw > FAINT_INK) & ~dropped
    count, labels, stats, centroids = components(light.astype(np.uint8))
    pieces = [i for i in range(1, count) if stats[i, cv2.CC_STAT_AREA] >= speck
              and x0 + MARK_MIDDLE * w <= centroids[i][0] <= x1 - MARK_MIDDLE * w
              and y0 + MARK_MIDDLE * h <= centroids[i][1] <= y1 - MARK_MIDDLE * h]
    mark = np.isin(labels, pieces) | (ink > 0)
    rows = np.flatnonzero(mark.any(axis=1))
    # on paper clean around it: a dithered fax's blank box holds light clumps all over
    stray = int((light & ~mark).sum())
    if not pieces or len(rows) < MARK_TALL * h or stray > MARK_STRAY * (w - 2 * edge) * (h - 2 * edge):
        return None
    return np.where(mark, raw, 0).astype(np.float32)


@dataclass
class BoxCut:
    rect: tuple[int, int, int, int]  # x, y, width, height in the pixels of the page as read
    image: np.ndarray | None  # MNIST-style 28x28 uint8; None for a blank box
    doubt: str = ""  # why its read is doubtful whatever the recognizer says (FAINT_MARK), or ""

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
        bounds = [0.0] + [_thinnest(profile, a + STRIDE / self.strip.scale, b, b + 0.25 * height) for a, b in spans[:-1]] + [float(self.ink.shape[1])]
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
            boxes, options, string = [_cut_cell(gray, layout, c, f, (k > 0 and inner, k < len(f.cells) - 1 and inner))[0]
                                      for k, c in enumerate(f.cells)], [], None
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
        return BoxCut(layout.to_original(cell), to_mnist(ink)), ink, pad
    mark = faint_mark(window, inner, f.line, ink)
    if mark is None:
        return BoxCut(layout.to_original(cell), None), ink, pad
    return BoxCut(layout.to_original(cell), to_mnist(mark), FAINT_MARK), mark, pad


def _cut_lone_box(gray: np.ndarray, layout: Layout, f: Field) -> tuple[list[BoxCut], StringCut | None]:
    """A box alone: one digit, or a number written small (the reader decides from the ink)."""
    cell = f.cells[0]
    box, ink, pad = _cut_cell(gray, layout, cell, f)
    if box.image is None or box.doubt:
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
    groups = split_string(ink, inner)
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


def lines_across(ink: np.ndarray, length: int) -> np.ndarray:
    """Mask of the straight level lines at least `length` long in `ink` (a window's),
    with their soft edges. Dark ink only: a pale page's faint ink that cell_ink keeps runs
    on from the strokes over the paper in broad patches, whose every row passed for a line."""
    inked = (ink > 90).astype(np.uint8)
    lines = cv2.morphologyEx(inked, cv2.MORPH_OPEN, np.ones((1, max(3, length)), np.uint8))
    return cv2.dilate(lines, np.ones((3, 1), np.uint8)) > 0


def marks_within(window: np.ndarray, inner: tuple[int, int, int, int], line: float) -> np.ndarray:
    """The window's ink (window_ink) of the marks that lie wholly within the box, clear of
    its lines (`line` thick): none that runs in from outside or along a side, none a pixel
    wide (a hairline's pieces: a comb's dividers within a frame taken for the box)."""
    x0, y0, x1, y1 = inner
    edge = int(line / 2 + 3)
    ink = window_ink(window[y0 + edge : y1 - edge, x0 + edge : x1 - edge])
    out = np.zeros(window.shape, np.float32)
    if ink.size == 0:
        return out
    count, labels, stats, _ = components((ink > 60).astype(np.uint8))
    h, w = ink.shape
    x, y, bw, bh = (stats[:, k] for k in range(4))
    inside = (x > 0) & (y > 0) & (x + bw < w) & (y + bh < h) & (bw >= 2)
    inside[0] = False
    out[y0 + edge : y1 - edge, x0 + edge : x1 - edge] = np.where(inside[labels], ink, 0)
    return out


def left_out(ink: np.ndarray, taken: list[tuple[int, int]]) -> bool:
    """Whether the string's ink holds a mark as tall as half its digits that none of the
    column ranges `taken` holds: a faint digit broken into dots, each dropped as a piece of
    a stroke (split_string), so the string reads a digit short, every digit sure (a pale
    1 between an 8 and a 7: `871073` for `8171073`, accepted). The dots of one mark lie
    within a digit's width; dust and noise seldom stand half a digit tall in a column."""
    strong = (ink > 90).astype(np.uint8)
    # a mark's fainter ink too: a pale digit on a dithered page made grey again is strong
    # only along a few pixels (a 6 a third as tall as its neighbours, `310` for `3106`)
    count, _, stats, _ = components((ink > 60).astype(np.uint8))
    rows = [np.flatnonzero(strong[:, x0:x1].any(axis=1)) for x0, x1 in taken]
    heights = [r[-1] - r[0] + 1 for r in rows if len(r)]
    if not heights:
        return False
    height = float(np.median(heights))
    stray = sorted((x, y, x + w, y + h) for x, y, w, h, area in stats[1:count].tolist()
                   if area >= 6 and not any(x0 <= x + w / 2 < x1 for x0, x1 in taken))
    for k, (x0, _, _, _) in enumerate(stray):
        mark = [s for s in stray[k:] if s[2] - x0 <= 0.7 * height]  # (a digit is at most about 0.7 times as wide as tall)
        if mark and max(s[3] for s in mark) - min(s[1] for s in mark) >= 0.5 * height:
            return True
    return False


def ruled(ink: np.ndarray) -> bool:
    """Whether a string's ink holds the sides of boxes: four or more thin upright bars
    (five times as tall as wide or more) of one height, their tops on one line. A row of
    boxes the layout missed (a tinted row at JPEG quality 25) came to the string reader
    so, and both readers read every side as a sure 1; handwritten 1s lean, wave and
    differ in height."""
    count, _, stats, _ = components((ink > 90).astype(np.uint8))
    bars = [s for s in stats[1:count] if s[3] >= 5 * s[2] and s[3] >= 0.5 * ink.shape[0]]
    for _, top, _, height, _ in bars:
        alike = [s for s in bars if abs(s[1] - top) <= max(2, 0.06 * height) and abs(s[3] - height) <= max(2, 0.08 * height)]
        if len(alike) >= RULED_BARS:
            return True
    return False


def split_string(ink: np.ndarray, inner: tuple[int, int, int, int]) -> list[list[list[tuple[int, int]]]]:
    """The digits of a string, as groups of ink left to right; for each group the ways
    to cut it into column ranges, the likeliest first. Connected pieces are joined when
    they overlap in x (broken strokes); a group much wider than a digit is cut at its
    thinnest columns (touching digits), into one piece more or fewer as well when its
    width leaves that open."""
    strong = (ink > 90).astype(np.uint8)
    count, _, stats, _ = components(strong)
    pieces = sorted((int(s[0]), int(s[0] + s[2]), int(s[3])) for s in stats[1:count] if s[4] >= 6)
    groups: list[list[int]] = []
    for x0, x1, h in pieces:
        if groups:
            g0, g1 = groups[-1][0], groups[-1][1]
            overlap = min(x1, g1) - max(x0, g0)
            if overlap >= 0.4 * min(x1 - x0, g1 - g0):
                groups[-1] = [min(g0, x0), max(g1, x1), max(groups[-1][2], h)]
                continue
        groups.append([x0, x1, h])
    if not groups:
        return []
    height = float(np.median([g[2] for g in groups]))
    groups = _absorb_fragments(groups, height)
    typical = 0.7 * height  # handwritten digits are about 0.5-0.8 times as wide as tall
    profile = strong.sum(axis=0)
    out = []
    for x0, x1, _ in groups:
        r = (x1 - x0) / typical
        n = int(round(r)) if r > 1.45 else 1
        counts = [n] + [m for m in (n - 1, n + 1) if m >= 1 and 0.6 <= r / m <= 1.8]
        out.append([_cut_at_thinnest(profile, x0, x1, m, typical) for m in counts])
    return out


def _cut_at_thinnest(profile: np.ndarray, x0: int, x1: int, n: int, typical: float) -> list[tuple[int, int]]:
    """x0..x1 cut into n column ranges, each cut at the thinnest column near its even share."""
    cuts = [x0]
    for k in range(1, n):
        nominal = x0 + (x1 - x0) * k / n
        lo, hi = int(nominal - 0.25 * typical), int(nominal + 0.25 * typical) + 1
        cuts.append(lo + int(np.argmin(profile[lo:hi])))
    cuts.append(x1)
    return list(zip(cuts[:-1], cuts[1:]))


def _absorb_fragments(groups: list[list[int]], height: float) -> list[list[int]]:
    """Pieces much shorter than the string's digits are bits of a broken stroke: joined to
    the neighbour they almost touch, else dropped (read alone, they come out as a sure 1)."""
    out = [list(g) for g in groups]
    k = 0
    while k < len(out):
        x0, x1, h = out[k]
        if h >= 0.45 * height or len(out) == 1:
            k += 1
            continue
        gaps = [(x0 - out[j][1], j) for j in (k - 1,) if j >= 0] + [(out[j][0] - x1, j) for j in (k + 1,) if j < len(out)]
        gap, j = min(gaps)
        if gap <= 0.25 * height:
            out[j] = [min(out[j][0], x0), max(out[j][1], x1), out[j][2]]
        del out[k]
        k = 0
    return out
