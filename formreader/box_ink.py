"""The ink written in one box: a window cut round the box from the deskewed page
(crop_deskewed), its ink as a map with the paper at 0 (window_ink), and the ink within
the box less its lines and what they leave (cell_ink: the sides' slivers, a comb's
ticks, a rounded corner's arc, an inner frame). Blank boxes and faint marks in them
(is_blank, faint_mark)."""

from __future__ import annotations

import cv2
import numpy as np

from .box_lines import box_lines, inner_frame_lines
from .layout import components

MIN_INK_SHARE = 0.01  # less ink than this share of the box is a blank box
FAINT_INK = 45  # a lightly drawn stretch of a stroke kept (cell_ink) is this dark at least
MIN_INK_PIXELS = 12


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
    pieces_of_lines = comb_ticks(stats, cell, reach, speck) | broken_sides(stats, cell, reach)
    slivers = side_slivers(stats, lines, h, line, ink)
    # a side inked from line to line is a full divider: no tick stands beside it to be left over
    r = int(reach)
    full = [(ink[y0:y1, max(0, x - r) : x + r + 1] > 90).any(axis=1).mean() >= 0.9 if y1 > y0 and (open_top or ticks) else False
            for x in (x0, x1)]
    stats_of, centroids_of = stats.tolist(), centroids.tolist()  # (Python numbers: the loop reads them one by one)
    for i in (np.flatnonzero(stats[1:, cv2.CC_STAT_AREA] >= speck) + 1).tolist():  # not the background, nor specks of dust or noise
        cx, cy = centroids_of[i]
        bx, by, bw, bh, area = stats_of[i]
        # (wider than the line itself, a remnant is solid: beside a bold frame's side, 8 px,
        # a small 3 as narrow as twice the reach was taken for one and read blank, third 1343 p3)
        solid = area >= 0.6 * bw * bh
        along_edge = ((bw <= 2 * reach and (bw <= line + 2 or solid) and (abs(bx + bw / 2 - x0) <= reach or abs(bx + bw / 2 - x1) <= reach)) or (
            bh <= 2 * reach and (bh <= line + 2 or solid) and (abs(by + bh / 2 - y0) <= reach or abs(by + bh / 2 - y1) <= reach)
        )) and not holed(labels, i, (bx, by, bw, bh))
        # a faint side line the line finder missed: thin, straight, most of the box's height, near a side
        # (near by the box's smaller side: a 1 in a wide string box is no side); not a 1 that bends clear
        # of a side found and taken off, nor a stroke broader on average than a line and its blur (a bold
        # upright 1 beside a rounded box's hairline side, 6 px on 2 px lines, read blank: variants 1631 p13)
        side_remnant = bw <= 2 * reach and bh >= 0.7 * h and min(abs(cx - x0), abs(cx - x1)) <= 0.2 * min(w, h) \
            and area <= (line + 2) * bh and not clear_of_side(labels, i, (bx, by, bw, bh), lines, h)
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


def comb_ticks(stats: np.ndarray, cell: tuple[int, int, int, int], reach: float, speck: float) -> set[int]:
    """In a box wide enough for a string, the short dividers of a comb the layout took for
    one string box (a rounded frame with ticks): thin straight strokes that stand on the
    bottom line or hang from the top one and rise under three fifths of the box (as the
    layout's short dividers do), two of them at least. Left in, each read as a 1, surely.
    A digit that touches a tick is one shape with it, and stays. Specks (under `speck`, as
    cell_ink drops them) are no ticks: a 1 written high in a string box on a slanted page,
    and a corner's 1 px sliver, made two, and "013" was read "03" without a flag (slant
    1579 p8)."""
    x0, y0, x1, y1 = cell
    h = y1 - y0
    if x1 - x0 < 1.5 * h:
        return set()
    bx, by, bw, bh = (stats[1:, k] for k in range(4))
    on_edge = (by + bh >= y1 - reach) | (by <= y0 + reach)
    found = np.flatnonzero((bw <= 2 * reach) & (bh >= 2 * bw) & (bh <= 0.6 * h) & on_edge & (stats[1:, cv2.CC_STAT_AREA] >= speck)) + 1
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


def side_slivers(stats: np.ndarray, lines: np.ndarray, height: int, line: float, ink: np.ndarray) -> set[int]:
    """The edge of a box side the removal of the side left (a side a little aslant: its
    edge column was too little inked to count as the side's; a dithered fax's side, whose
    blurred dots left its inner edge in pieces): thin pieces (2 px, a quarter of a broad
    line) each with the removed side beside it along most of its length, in one column on
    the same hand of it, together half the box tall. A pen's stroke is wider, and a
    digit's stroke that touches the side was removed with it. (Dithered double sides read
    1 in blank boxes; the two edges of a 6's stem taken for a side are no one sliver.)
    A piece counts as tall as the edge runs on in its column, fainter, beside the line: a
    side a pixel aslant after deskewing leaves an edge that fades along it, dark (> 90)
    along 33 of 79 rows and faint along 13 more, and it was read as a sure 1 after a
    string's digits (fax 1359 p19)."""
    thin = max(2, int(line / 4))
    hands: dict[bool, list[tuple[int, float, int]]] = {True: [], False: []}  # lines on the left: (piece, middle, height)
    for i, (bx, by, bw, bh, _) in enumerate(stats.tolist()):
        if i == 0 or bw > thin:
            continue
        rows = lines[by : by + bh]
        if rows[:, max(0, bx - 1) : bx + bw + 1].any(axis=1).mean() >= 0.8:
            left, right = rows[:, max(0, bx - 2) : bx].sum(), rows[:, bx + bw : bx + bw + 2].sum()
            hands[bool(left >= right)].append((i, bx + bw / 2, faint_run(ink, lines, bx, bw, by, bh)))
    return {i for pieces in hands.values() for i, middle, _ in pieces
            if sum(h for _, m, h in pieces if abs(m - middle) <= thin) >= 0.5 * height}


def faint_run(ink: np.ndarray, lines: np.ndarray, bx: int, bw: int, by: int, bh: int) -> int:
    """The rows of a thin piece at (bx, by, bw, bh) together with those above and below it
    where its columns stay inked (FAINT_INK), a removed line beside them."""
    cols = slice(bx, bx + bw)
    beside = lines[:, max(0, bx - 1) : bx + bw + 1].any(axis=1)
    on = (ink[:, cols] > FAINT_INK).any(axis=1) & ~lines[:, cols].any(axis=1) & beside  # (not into a top or bottom line)
    top, bottom = by, by + bh
    while top > 0 and on[top - 1]:
        top -= 1
    while bottom < len(on) and on[bottom]:
        bottom += 1
    return bottom - top


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


def bar_on_top_line(window: np.ndarray, cell: tuple[int, int, int, int], line: float, ink: np.ndarray) -> bool:
    """Whether ink stands on the box's top line over a tenth of the box's width or more,
    where no stroke kept (cell_ink's `ink`) runs on below it: a 7's bar drawn on the line
    goes with the line, and the stem left reads as a sure 1 (letters 1511 p7, accepted
    1.000). The line's own ink rises as high everywhere; a digit's upright stroke crossing
    it runs on below; the digit itself reaches the line (pipeline.settle_free flags such a
    box only where it reads as a 1)."""
    x0, y0, x1, y1 = cell
    w, h = x1 - x0, y1 - y0
    top = max(0, int(y0 - line / 2 - 0.25 * h))
    # the digit runs up into the line (a neighbour's stroke near the box's corner does not;
    # asked first: most digits stand clear of it, and the rest costs an ink map)
    if not top < y0 < window.shape[0] or w <= 0 or not (ink[y0 + 1 : y0 + 3, x0:x1] > 0).any():
        return False
    up = window_ink(window)[top : y0 + 1, x0:x1][::-1] > 90  # rows from the line's inner edge upward
    rise = np.where(up.all(axis=0), up.shape[0], np.argmin(up, axis=0))  # each column's ink on and above the line
    if not (rise > 0).any():
        return False
    thick = rise >= np.median(rise[rise > 0]) + max(3.0, 0.5 * line)
    below = (ink[int(y0 + line / 2 + 1) : int(y0 + line / 2 + 4), x0:x1] > 0).any(axis=0)
    return thick.sum() >= 0.1 * w and (thick & below).sum() <= 0.3 * thick.sum()


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
