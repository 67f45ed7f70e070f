"""A box's own lines in a window cut round it (box_lines): its four sides found where
they are, thick, thin, double, aslant or broken, so that what is left is what was
written in it; and a second frame drawn within the box (inner_frame_lines). Used by
box_ink.cell_ink."""

from __future__ import annotations

import numpy as np


def box_lines(ink: np.ndarray, cell: tuple[int, int, int, int], line: float, open_top: bool = False, short_sides: bool = False,
              low_sides: tuple[bool, bool] = (False, False)) -> np.ndarray:
    """Mask of the box's own lines around `cell` (window coordinates).

    Each side is looked for near where the layout put it: the rows (columns) that
    ink fills along most of the side. Where a stroke crosses the top or bottom
    line, ink on both sides of it, the line's pixels there stay: they belong to
    the digit (sides are not mended so: in a comb, that would join neighbours). A
    grey line's pixels darker than it are a stroke's too, on any side (darker_than_line).
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
            mask |= drifted_out(inked, a, b, line)
            mask[a:b, x0:x1] &= ~in_double_line(ink[a:b, x0:x1], inward_down=at == y0)
            mask[a:b, x0:x1] &= ~darker_than_line(ink[a:b, x0:x1], along=1)
            rails[at] = (a, b)
        else:
            if span is whole and len(rails) == 2:
                twin = own_side(inked, fill, wide.start, (a, b), 1 if at == x0 else -1, rails.values(), line)
                if twin is not None:
                    mask[:, twin[0] : twin[1]] |= inked[:, twin[0] : twin[1]]
            rows = slice(y0 + (y1 - y0) // 2, h) if span is low else slice(0, h)
            mask[rows, a:b] |= inked[rows, a:b] & ~darker_than_line(ink[rows, a:b], along=0)
    return mask


def darker_than_line(band: np.ndarray, along: int) -> np.ndarray:
    """Mask of the pixels of a grey line's band (ink; the line runs along axis `along`)
    darker than the line's core by LINE_DARKER at least: a digit's stroke written over it
    in darker ink. Taken with the line, a 9's loop drawn over a grey box's top line was cut
    away, read as a sure 7 (variants 1711 p19). The core is the median, along the inked
    stretch of the line, of its darkest pixel across it (its soft edges are lighter; a
    short divider's band runs on past its end); a black line has no darker ink than its own."""
    darkest = band.max(axis=1 - along) if band.size else band
    darkest = darkest[darkest > 25]
    if darkest.size == 0:
        return np.zeros(band.shape, bool)
    return band >= float(np.median(darkest)) + LINE_DARKER


LINE_DARKER = 90  # levels of ink (of 255) a stroke over a grey line is darker than it at least
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


def drifted_out(inked: np.ndarray, a: int, b: int, line: float) -> np.ndarray:
    """Mask of a top or bottom line's pixels that lie out of its rows [a, b): a line a
    little aslant (a page photographed at a slant) drifts a few rows across a box, and at
    the box's end it stood half out of them, left in the digit's ink as a bar (a 2 read as
    a sure 5, slant 1289 p8). Where the line drifts so (DRIFT), in each column the run of ink
    through its rows is the line's where it is no thicker than the line: a stroke that
    touches the line makes a longer run and stays. A level line is left to its rows: a
    stroke's thin end lying against it is the digit's."""
    h = inked.shape[0]
    lo, hi = max(0, a - int(line) - 3), min(h, b + int(line) + 3)  # (a run that reaches these rows is too long)
    near = inked[lo:hi]
    index = np.arange(hi - lo)[:, None]
    run_to = lambda ink: index - np.maximum.accumulate(np.where(ink, -1, index), axis=0)  # noqa: E731  (the run of ink down to each pixel, 0 on paper)
    up, down = run_to(near), run_to(near[::-1])[::-1]  # each pixel's run of ink up to it, down from it, itself included
    rows = np.arange(lo, hi)[:, None]
    through = (down >= a - rows + 1) & (up >= rows - b + 2)  # the run reaches into the band (rows [a, b))
    line_run = near & through & (up + down - 1 <= line + 2) & (up < rows - lo + 1) & (down < hi - rows)
    out = np.zeros(inked.shape, bool)
    cols = np.flatnonzero(line_run.any(axis=0))
    if len(cols) < 2:
        return out
    run = line_run[:, cols]
    middles = (run * rows).sum(axis=0) / run.sum(axis=0)
    across = cols - cols.mean()
    slope = float(across @ (middles - middles.mean())) / float(across @ across)  # (least squares)
    if abs(slope) * (cols[-1] - cols[0]) < DRIFT:
        return out  # a level line: its rows hold it, and what touches it is a digit's
    out[lo:hi] = line_run
    return out


DRIFT = 2.0  # rows a line drifts across a box, end to end, before it is followed out of its rows


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


def found_line(lines: np.ndarray, cell: tuple[int, int, int, int], horizontal: bool, far: bool, band: int) -> int:
    """The middle of the box line found (`lines`) along one side of the cell, within `band`
    of the cell's edge there (where the layout put the line's middle); the cell's edge
    where none is. The layout's cell may lie a few pixels off its lines (a 200 dpi page's
    box placed at 150 dpi): a double checkbox's inner side lay 9 px in from the cell's
    edge, deeper than the fifth of the box looked at, was left and read as a sure 1
    (variants 1361 p13)."""
    fill, edge = along_side(lines, cell, horizontal, far)
    on = np.flatnonzero(fill[max(0, edge - band) : edge + band + 1] >= 0.5) + max(0, edge - band)
    return int(round(on.mean())) if len(on) else edge


def along_side(mask: np.ndarray, cell: tuple[int, int, int, int], horizontal: bool, far: bool) -> tuple[np.ndarray, int]:
    """How much of each row (`horizontal`) or column of `mask` across the cell is set, and
    the cell's edge on that side (`far`: its bottom or right)."""
    x0, y0, x1, y1 = cell
    fill = mask[:, x0:x1].mean(axis=1) if horizontal else mask[y0:y1, :].mean(axis=0)
    return fill, (y1 if far else y0) if horizontal else (x1 if far else x0)


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
        fill, edge = along_side(inked, cell, horizontal, far)
        # (and as deep in from the box line found, where that lies inside the edge)
        line_at = found_line(lines, cell, horizontal, far, band)
        lo, hi = (min(edge, line_at) - depth, edge + band) if far else (edge - band, max(edge, line_at) + depth)  # (a line may lie across the edge)
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
            lines_here = [kept for kept, full, d in zip(lines_here, fullest, inward)
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
