"""Pairs of horizontal lines that enclose boxes (find_bands): the top and bottom of a
row of boxes, with sides standing between them. Strict pairs end together; others are
taken where one line runs past the other (boxes whose lines ran into their neighbours'),
where a side is rounded or stepped, or where a double line's inner line closes the box.
What lies between a band's lines is made into fields in boxes.py (band_fields); bands
that are rows of a table are left out in tables.py (stacked)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict

import numpy as np

from .boxes import beyond_own_sides, gaps_between_boxes
from .combs import on_a_line
from .short_dividers import short_dividers
from .lines import cover, ink_all_across, line_to_line
from .tables import drawn_within


def find_bands(hs, vs, px, config, mode: str = "strict", taken=(), binary=None):
    """(top, bottom, divider xs, line thickness) for each pair of lines that encloses boxes.

    "strict": top and bottom of a box end together; a digit's stroke does not. The
    other modes take pairs where they do not, away from the bands `taken` already:
    "joined": boxes so close together that one of their lines ran into the next
    box's. The lines overlap by one or two boxes, with sides at both ends of the
    overlap, and one of them closes two such boxes at least (the shorter lies within
    the longer, or they are staggered: a row of double boxes at 150 dpi whose lines ran
    on into the next box's here at the top and there at the bottom, none found).
    "broken": one line of a comb faded or broke off. The shorter covers half the longer
    at least, within it (or its line broke in pieces that run from end to end of the
    longer), and sides stand at both ends of the longer; a single box holds `min_box`
    between its lines' inner edges; the longer makes one band, whichever piece pairs
    with it first.
    `binary` (the page's ink) lets short dividers fused with digits be seen (short_dividers)."""
    bands = []
    hs = sorted(hs, key=lambda s: s.c)
    vs = sorted(vs, key=lambda v: v.c)  # by x: a band looks only at the sides within its span
    vcs, hcs = [v.c for v in vs], [s.c for s in hs]
    ends, gap = px(config.line_end), px(config.double_gap)
    # a top line whose band is found, and that band's bottom: its farther bottom lines are not
    # looked at (those as high are: the bottoms of boxes whose top lines ran into one)
    closed, closed_at = -1, 0.0
    pairs = line_pairs(hs, mode, px(config.min_box), px(config.max_box), ends)
    bottoms = defaultdict(list)
    for i, j in pairs:
        bottoms[i].append(j)
    for i, j in pairs:
        top, bottom = hs[i], hs[j]
        if i == closed and bottom.c > closed_at:
            continue
        if mode == "strict" and bottom.t > top.t and one_far_bolder(top, bottom) \
                and any(hs[k].c > bottom.c and not one_far_bolder(top, hs[k]) for k in bottoms[i]):
            # a bold digit's foot ending with the top line, the box's own bottom line, printed
            # as the top is, below it: the box is that (turned 1565 p16: a bold 0's foot closed
            # a box half as wide, and the box was lost, the 0 read as a flagged 6)
            continue
        height = bottom.c - top.c
        x0, x1 = max(top.a0, bottom.a0), min(top.a1, bottom.a1)
        if mode != "strict":
            if mode == "broken":
                long = longer_line(top, bottom)
                x0, x1 = long.a0, long.a1
            # (a line broken in pieces pairs with the longer once: the band runs along the longer)
            others = [band for band in ([*taken, *bands] if mode == "broken" else taken) if not digit_inside(band, top, bottom, x0, x1)]
            if overlaps_band(top, bottom, x0, x1, others):
                continue
        if double_checkbox(hs, top, bottom, px, config, hcs):  # (after the cheap tests: most pairs fail those)
            continue
        tol = max(top.t, bottom.t) + 2
        # sides and dividers run into both lines; a digit's stroke that nearly spans the box
        # does not. (At the lines' ends, a faint side may have faded at the corners.)
        sides = []
        below_top, above_bottom = top.c + top.t / 2, bottom.c - bottom.t / 2
        for v in vs[bisect_left(vcs, x0 - tol) : bisect_right(vcs, x1 + tol)]:
            slack = 0.15 * height if min(abs(v.c - x0), abs(v.c - x1)) <= tol else 3
            # (Segment.at written out: this runs some ten thousand times a page)
            if v.a0 <= below_top + top.slope * (v.c - top.pivot) + slack and v.a1 >= above_bottom + bottom.slope * (v.c - bottom.pivot) - slack:
                sides.append(v)
        for k, end in enumerate((x0, x1)):
            beyond = side_past_stroke(vs[bisect_left(vcs, end - 0.3 * height) : bisect_right(vcs, end + 0.3 * height)],
                                      sides, top, bottom, end, -1 if k == 0 else 1, tol, binary)
            if beyond is not None:  # what stood at the lines' end is a digit's stroke
                sides = [v for v in sides if abs(v.c - end) > tol] + [beyond]
                x0, x1 = (beyond.c, x1) if k == 0 else (x0, beyond.c)
        # at least two sides end at this bottom line: a digit's stroke across the box is no bottom
        # (or run on to the outer line of a double bottom line, just under it, where it meets them;
        # a bold digit's bar just above the bottom line, run on past its end, is no inner line)
        below = [s.c - bottom.c for s in lines_near(hs, hcs, bottom, gap, 1) if drawn_within(bottom, s)]
        ending = sum(any(abs(v.a1 - bottom.at(v.c) - d) <= tol + 2 for d in [0.0, *below]) for v in sides)
        for k, end in enumerate((x0, x1)):
            if not any(abs(v.c - end) <= tol for v in sides):
                near = vs[bisect_left(vcs, end - 0.3 * height) : bisect_right(vcs, end + 0.3 * height)]
                outward = -1 if k == 0 else 1
                corner = rounded_side(near, top, bottom, end, outward, tol) \
                    or stepped_end(near, top, bottom, end, outward, tol, px(config.line_kernel), binary)
                if corner is None and (seen := run_on_end(binary, top, bottom, end, outward, height)) != end:
                    # a rounded corner beyond the lines' last steps, lost from their mask
                    beyond = vs[bisect_left(vcs, seen - 0.3 * height) : bisect_right(vcs, seen + 0.3 * height)]
                    corner = rounded_side(beyond, top, bottom, seen, outward, tol)
                if corner is not None:  # the side is the box's end: round the corner, or where the lines' ink runs on to it
                    sides.append(corner)
                    x0, x1 = (corner.c, x1) if k == 0 else (x0, corner.c)
                    ending += 1
        if sides_run_on_below(sides, hs, hcs, top, bottom, x0, x1, tol, gap) or table_row_below(sides, hs, hcs, top, bottom, x0, x1, tol, gap):
            continue
        if mode == "strict" and top.a1 - top.a0 > bottom.a1 - bottom.a0 and box_round_stroke(vs, vcs, hs, hcs, top, bottom, tol, gap):
            continue
        xs = beyond_own_sides(sorted(v.c for v in sides), x0, x1, tol)
        # (lines that end together are a box's, unless one is a pen's stroke: see one_far_bolder)
        if (mode != "strict" or one_far_bolder(top, bottom)) and not ends_closed(sides, top, bottom, x0, x1, tol, gap):
            continue
        if len(xs) >= 2 and ending >= 2:  # the ends of the lines are the box's sides, even where ink hides them
            xs = sorted([*xs, x0, x1])
            # sides close together merge into one divider (a double line, a side and a
            # stroke beside it), but never across paper: two boxes a little apart
            cuts = [k + 1 for k in gaps_between_boxes(xs, top, bottom, binary, height, (x0 + tol, x1 - tol))]
            xs = [x for a, b in zip([0, *cuts], [*cuts, len(xs)]) for x in merge_close(xs[a:b], tol + 3, (x0, x1))]
            if len(xs) < 2:
                continue  # sides as thick as the box is wide: a bar, no box
            # (strokes standing on neither line are digits' however close they stand: a 0's and an
            # 8's from line to line in a comb of half-height dividers hid its wide cells; band_fields drops them)
            standing = [xs[0], *(x for x in xs[1:-1] if binary is None or on_a_line(top, bottom, binary, x)), xs[-1]]
            if max((b - a for a, b in zip(standing, standing[1:])), default=0) >= config.string_aspect * height:  # a wide box, or a comb of short dividers
                # the grid runs from side to side: a double line's outer ends stand off its step
                short = short_dividers(vs[bisect_left(vcs, x0) : bisect_right(vcs, x1)], top, bottom, xs[0], xs[-1], tol, gap, binary)
                if short:  # strokes from line to line off the ticks' grid are digits' (a 1 touching both lines)
                    xs = merge_close(sorted([xs[0], *short, xs[-1]]), tol + 3)
            # a lone box with a broken line has a digit's room between its lines: a bold 0's top
            # and bottom strokes, its sides between, make one less (a tick comb's 0 at 150 dpi)
            if mode == "broken" and len(xs) == 2 and bottom.c - top.c - (top.t + bottom.t) / 2 < px(config.min_box):
                continue
            bands.append((top, bottom, xs, (top.t + bottom.t) / 2))
            closed, closed_at = i, bottom.c + bottom.t / 2  # the nearest bottom line that closes boxes
    if mode == "joined":  # a line runs into the next box's only where boxes stand in a row: two at least
        shared = Counter(id(s) for t, b, _, _ in bands for s in (t, b))
        bands = [band for band in bands if max(shared[id(band[0])], shared[id(band[1])]) >= 2 or runs_into_band(band, taken)]
    return bands


def runs_into_band(band, taken) -> bool:
    """Whether one of a joined band's lines runs on, half the band's height at least, into
    a band found already at its height: the row's boxes before it, whose lines broke elsewhere
    (turned 1555 p11: rounded boxes 4 px apart at 150 dpi, the top line broken after the
    sixth box, the bottom after the fifth; the two boxes after them made one joined band,
    which no other shared a line with: the 8's box was lost, the 8 read as free handwriting)."""
    top, bottom, xs, line = band
    width = 0.5 * (bottom.c - top.c)
    return any(abs(t.c - top.c) <= line + 2 and abs(b.c - bottom.c) <= line + 2
               and any(min(s.a1, x[-1]) - max(s.a0, x[0]) >= width for s in (top, bottom))
               for t, b, x, _ in taken)


def line_pairs(hs, mode: str, min_box: float, max_box: float, ends: float) -> list[tuple[int, int]]:
    """(top, bottom) indices into `hs` (sorted by height on the page) of the pairs of lines
    find_bands looks at, each top's bottoms nearest first: a box's height apart, and (mode
    "strict") ending together, or (the other modes) not so: "joined", overlapping by a box's
    proportions; "broken", the shorter within the longer, half of it at least (or its
    line's pieces together from end to end of it).
    Tested for all pairs at once (most pairs fail): one by one, the tests took 1-1.5 ms of
    a page's 41-45 ms of layout."""
    c, a0, a1, t = (np.array([getattr(s, k) for s in hs], float) for k in ("c", "a0", "a1", "t"))
    first = np.arange(1, len(hs) + 1)
    counts = np.maximum(np.searchsorted(c, c + max_box + 1, "right") - first, 0)  # a margin; the test below is exact
    i = np.repeat(np.arange(len(hs)), counts)
    j = i + 1 + np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    height = c[j] - c[i]
    long = np.minimum(a1[i], a1[j]) - np.maximum(a0[i], a0[j]) >= 2 * min_box
    outside = height + np.where(long, np.maximum(0.0, (t[i] + t[j]) / 2 - 2), 0.0)  # a box's size is its outside (outside_height)
    boxed = (outside >= min_box) & (height <= max_box)
    i, j, height = i[boxed], j[boxed], height[boxed]
    together = (np.abs(a0[i] - a0[j]) <= ends) & (np.abs(a1[i] - a1[j]) <= ends)
    if mode == "strict":
        keep = together
    elif mode == "joined":  # (their overlap)
        aspect = (np.minimum(a1[i], a1[j]) - np.maximum(a0[i], a0[j])) / height
        keep = ~together & (0.55 <= aspect) & (aspect <= 3.6)
    else:  # "broken"
        top_longer = a1[i] - a0[i] > a1[j] - a0[j]  # (equal: the bottom is the longer, as find_bands takes it)
        s0, s1 = np.where(top_longer, a0[j], a0[i]), np.where(top_longer, a1[j], a1[i])
        l0, l1 = np.where(top_longer, a0[i], a0[j]), np.where(top_longer, a1[i], a1[j])
        within = ~together & (l0 - ends <= s0) & (s1 <= l1 + ends)
        keep = within & ~(s1 - s0 < 0.5 * (l1 - l0))
        # or the shorter is one piece of a line broken in several, which together run from the
        # longer's one end to its other, along most of it: a row of pairs of boxes on a fax
        # whose top line broke between the fourth and fifth box of eight, its bottom joined by
        # the slashes of a date (157 px and 152 px of 315). (Pieces that run on past the
        # longer's ends, or stop short of them, are the lines of separate boxes in a tint,
        # broken and joined here and there: joined mode's; so are two pieces under a line two
        # boxes long, each a box's own: a row of line pieces is three boxes long at least.)
        for k in np.flatnonzero(within & ~keep & (s1 - s0 >= 0.25 * (l1 - l0)) & (l1 - l0 >= 3 * height)):  # (a short piece: most pairs)
            row = (np.abs(c - c[j[k] if top_longer[k] else i[k]]) <= 2.0) & (a0 < l1[k]) & (a1 > l0[k])
            covered = np.clip(np.minimum(a1[row], l1[k]) - np.maximum(a0[row], l0[k]), 0.0, None).sum()
            keep[k] = abs(a0[row].min() - l0[k]) <= ends and abs(a1[row].max() - l1[k]) <= ends and covered >= 0.8 * (l1[k] - l0[k])
    return list(zip(i[keep].tolist(), j[keep].tolist()))


def longer_line(top, bottom):
    """The longer of a band's two lines (the bottom one when they are alike)."""
    return top if top.a1 - top.a0 > bottom.a1 - bottom.a0 else bottom


def double_checkbox(hs, top, bottom, px, config, cs) -> bool:
    """Whether the box between these lines is a checkbox drawn with double lines: what
    matters is the room inside its inner lines, under a digit box's (`hs` sorted by
    height on the page, `cs` their heights); or, drawn with single lines, too small
    outside for a digit box (as line_pairs measures it)."""
    gap = px(config.double_gap)
    return bottom.c - top.c < px(config.min_box) + 2 * gap and inner_height(hs, top, bottom, gap, cs, px(config.min_box)) < px(config.min_box)


def outside_height(top, bottom, min_box: float) -> float:
    """A box's height from its lines' middles, and, where the lines run two boxes long at
    least, what bold lines take beyond a thin line's 2 px: the outside of a bold-framed
    comb, whose lines' middles are 0.19 in apart where it is 0.23 in tall. (A bold digit's
    loop has bold strokes too, never so long.)"""
    long = min(top.a1, bottom.a1) - max(top.a0, bottom.a0) >= 2 * min_box
    return bottom.c - top.c + (max(0.0, (top.t + bottom.t) / 2 - 2) if long else 0.0)


def inner_height(hs, top, bottom, gap: float, cs, min_box: float) -> float:
    """The height between the inner lines of a box drawn with double lines (a parallel line
    at most `gap` from its top line and one from its bottom line, along the same span, on
    either side: a pair of lines may be the outer top line and the inner bottom one, as a
    box found from its sides' ends is); the box's own height (outside_height) when it has
    none. A line half as thick again as the other's pair, plus a pixel, is a double line
    run together (a turned page's, shrunk), its inner line at its inner edge. `hs` sorted
    by height on the page, `cs` their heights, so only lines within `gap` are looked at."""
    tops = double_near(hs, cs, top, gap, 1) + double_near(hs, cs, top, gap, -1)
    bottoms = double_near(hs, cs, bottom, gap, -1) + double_near(hs, cs, bottom, gap, 1)
    if bool(tops) != bool(bottoms):
        run_together, other = (bottom, top) if tops else (top, bottom)
        if run_together.t >= 1.5 * other.t + 1:
            inner_edge = run_together.c + (run_together.t - other.t) / 2 * (1 if run_together is top else -1)
            (bottoms if tops else tops).append(inner_edge)
    if not (tops and bottoms):
        return outside_height(top, bottom, min_box)
    return min([bottom.c, *(c for c in bottoms if c < bottom.c)]) - max([top.c, *(c for c in tops if c > top.c)])


DOUBLED = 0.5  # of a line's length that the lines beside it run along, for it to be a double line


def double_near(hs, cs, line, gap: float, direction: int) -> list[float]:
    """The heights of lines_near's lines, where together they run along half the line or
    more: a double line's other line. Digits' strokes along a bold comb's lines, a cell or
    two long, are none (taken for one, they made the comb a double-lined checkbox, and it was lost)."""
    near = lines_near(hs, cs, line, gap, direction)
    return [s.c for s in near] if cover(near, line.c, line.a0, line.a1, gap) >= DOUBLED * (line.a1 - line.a0) else []


def lines_near(hs, cs, line, gap: float, direction: int) -> list:
    """The lines at most `gap` below (direction 1) or above (-1) `line` along the same
    span (`hs` sorted by height on the page, `cs` their heights)."""
    near = hs[bisect_right(cs, line.c) : bisect_right(cs, line.c + gap)] if direction > 0 else hs[bisect_left(cs, line.c - gap) : bisect_left(cs, line.c)]
    return [s for s in near if s.a0 < line.a1 and line.a0 < s.a1]


def rounded_side(vs, top, bottom, end: float, outward: int, tol: float):
    """The side of a box with rounded corners beyond one end of its top and bottom lines,
    or None. Rounding takes a corner's radius off the ends of the lines, and as much off
    the side's ends: the side stands that far beyond the lines' end and stops that far
    short of the lines (a neighbour's side stands farther off than its own corner). One
    end may meet its line: the arc may run on into the side in the line mask."""
    corner = 0.3 * (bottom.c - top.c)  # corners are rounded by up to a quarter of the box
    if abs(top.t - bottom.t) > 2:
        return None  # one pen drew a box's lines; a digit's strokes differ
    best = None
    for v in vs:
        across = (v.c - end) * outward
        gaps = (v.a0 - (top.c + top.t / 2), (bottom.c - bottom.t / 2) - v.a1)
        # as far beyond as short of the lines, give or take what the line masks keep of the arcs
        if tol < across <= corner and all(0 <= g <= corner for g in gaps) and across <= 2 * max(gaps) + tol and max(gaps) <= 2 * across + tol \
                and v.a1 - v.a0 >= 0.4 * (bottom.c - top.c) and abs(v.t - top.t) <= 2 and abs(v.t - bottom.t) <= 2:
            if best is None or across < (best.c - end) * outward:
                best = v
    return best


def stepped_end(vs, top, bottom, end: float, outward: int, tol: float, reach: float, binary):
    """The side of a box a little beyond one end of its top and bottom lines (`reach` at
    most), from line to line, where the page's ink runs on along both lines' rows (a row
    either way) from their ends to it, or None. A thin line deskewed by nearest pixels
    steps a row up or down; a last step shorter than the line mask's kernel (the reach
    find_bands gives) is lost from the mask, and the lines end short of their side (a
    faint comb's first divider was then lost)."""
    if binary is None:
        return None
    best = None
    for v in vs:
        across = (v.c - end) * outward
        if not (tol < across <= reach and line_to_line(v, top, bottom)):
            continue
        x0, x1 = sorted((int(round(end)), int(round(v.c))))
        if all(ink_all_across(binary, int(s.c - s.t / 2) - 1, int(s.c + s.t / 2) + 2, x0, x1) for s in (top, bottom)):
            if best is None or across < (best.c - end) * outward:
                best = v
    return best


def run_on_end(binary, top, bottom, end: float, outward: int, reach: float) -> float:
    """Where both lines' ink runs on unbroken (a row up or down) from `end`, outward, at most
    `reach`; `end` where there is no page to look at. A thin line deskewed by nearest pixels
    steps a row, and a last step shorter than the line mask's kernel is lost: a rounded
    box's lines ended 18 and 25 px short of its side at 150 dpi, beyond the reach of its
    corner (variants 1481 p11: the box's two end cells left out, a 6 in one lost unflagged)."""
    if binary is None:
        return end
    runs = []
    for s in (top, bottom):
        x = int(round(end))
        rows = binary[max(0, int(s.c - s.t / 2) - 1) : int(s.c + s.t / 2) + 2]
        span = rows[:, max(0, x - int(reach)) : x][:, ::-1] if outward < 0 else rows[:, x + 1 : x + 1 + int(reach)]
        inked = span.any(axis=0)
        runs.append(int(inked.argmin()) if not inked.all() else inked.size)
    return end + outward * min(runs)


def side_past_stroke(vs, sides, top, bottom, end: float, outward: int, tol: float, binary):
    """The side of a box a little beyond a pen's stroke that stands at one end of its top
    and bottom lines, or None. A pale box's lines, 1 px at the layout's scale, broke off
    where a 1 was written near its left side, 6 px thick; the 1 was taken for the side,
    the box was a third too narrow, and the 1, taken off as its side, read blank (pale
    1330 p2). One pen drew a box's lines: where every side at the end is more than 2 px
    thicker than both lines, a side as thin as they, from line to line, within 0.3 of the
    box's height beyond, with the lines' ink running on to it (a row up or down), is the
    box's end (found as stepped_end finds one)."""
    thin = lambda v: abs(v.t - top.t) <= 2 and abs(v.t - bottom.t) <= 2  # noqa: E731
    at_end = [v for v in sides if abs(v.c - end) <= tol]
    if not at_end or any(thin(v) for v in at_end):
        return None
    return stepped_end([v for v in vs if thin(v)], top, bottom, end, outward, tol, 0.3 * (bottom.c - top.c), binary)


def ends_closed(sides, top, bottom, x0: float, x1: float, tol: float, double_gap: float) -> bool:
    """Whether a side stands at each end of a band whose lines do not end together (or
    one of whose lines is far bolder: one_far_bolder), and stops at its lines: a side
    that runs on far past the shorter line shows that line to be a digit's stroke inside
    a faint box (a 5's bar half the box wide, taken for a broken top line, cut the digits
    in two), not the box's own line."""
    height = bottom.c - top.c
    past = max(tol + 3, double_gap + 2, 0.2 * height)  # a double line's outer line may close it
    closing = [v for v in sides if v.a0 >= top.c - past and v.a1 <= bottom.c + past]
    return any(abs(v.c - x0) <= tol + 3 for v in closing) and any(abs(v.c - x1) <= tol + 3 for v in closing)


def sides_run_on_below(sides, hs, hcs, top, bottom, x0: float, x1: float, tol: float, gap: float) -> bool:
    """Whether the sides at both ends of a band run on past its bottom line, beyond a
    double line's reach, and stop at another line below it (within three quarters of the
    band's height: a table's next row is as tall) that runs the band's length: the bottom
    line is then a digit's stroke from side to side (a bold 8's lower bowl touching both
    sides, the 8's own strokes ending on it as sides would), and the box runs on to that
    line. Taken as the bottom, it made the box a third too short, out of line with its
    row: the row was cut in two there and the 8 read as free handwriting (turned, seed
    995, page 11). A 3's foot two thirds down its box, against both sides, stood 0.7 of
    such a band above the box's bottom (third 1453 p16: the 3 read as two flagged marks)."""
    height = bottom.c - top.c
    lower = [s for s in hs[bisect_right(hcs, bottom.c + gap + 2) : bisect_right(hcs, bottom.c + 0.75 * height)]
             if s.a0 <= x0 + tol and s.a1 >= x1 - tol]
    at_ends = [[v for v in sides if abs(v.c - end) <= tol] for end in (x0, x1)]
    return any(all(any(abs(v.a1 - line.at(v.c)) <= tol + 2 for v in side) for side in at_ends) for line in lower)


def box_round_stroke(vs, vcs, hs, hcs, top, bottom, tol: float, gap: float) -> bool:
    """Whether sides at the ends of the top line, which runs on past the bottom's, stand
    from it past the bottom to another line below (sides_run_on_below): the bottom is a
    digit's stroke in that box. A bold 0 touching a rounded box's top line, its foot
    ending with the line within `line_end`, made a box with its own strokes for sides,
    inside the box's, which were too far out to be looked at: the box was lost, the 0 read
    as a flagged 2 of free handwriting (variants 1649 p19)."""
    around = [v for v in vs[bisect_left(vcs, top.a0 - tol) : bisect_right(vcs, top.a1 + tol)] if v.a0 <= top.at(v.c) + top.t / 2 + tol]
    return sides_run_on_below(around, hs, hcs, top, bottom, top.a0, top.a1, tol, gap)


def table_row_below(sides, hs, hcs, top, bottom, x0: float, x1: float, tol: float, gap: float) -> bool:
    """Whether the sides at both ends of a band, and every upright line between them, run
    on up past its top line, beyond a double line's reach, to another line above it that
    runs the band's length, as far above as the band is tall (within half): the band is a
    table's last row. Its rows above are never bands (their sides run on through their
    bottom lines); taken alone, the last row of a printed table on a fax was read as a
    string of five flagged "digits" (fax 1154 p10). (A box with a label over a comb in it
    has sides that run on up; the comb's dividers stop at its top line.)"""
    height = bottom.c - top.c
    upper = [s for s in hs[bisect_left(hcs, top.c - 1.5 * height) : bisect_left(hcs, top.c - max(gap + 2, 0.5 * height))]
             if s.a0 <= x0 + tol and s.a1 >= x1 - tol]
    at_ends = [[v for v in sides if abs(v.c - end) <= tol] for end in (x0, x1)]
    between = [v for v in sides if x0 + tol < v.c < x1 - tol]
    return bool(between) and any(all(any(v.a0 <= line.at(v.c) + tol + 2 for v in side) for side in at_ends)
                                 and all(v.a0 <= line.at(v.c) + tol + 2 for v in between) for line in upper)


def one_far_bolder(top, bottom) -> bool:
    """Whether one of a band's lines is twice as thick as the other and 3 px more: a box's
    lines are printed alike, a digit's bar is a pen's stroke. A bold 7's bar from its box's
    left side nearly to its right, over the box's bottom line, ended with it and made a box
    half as tall in strict mode; it took the row's place, and the 7 was cut away as its top
    line, the box reported blank. Such a band, like those of the other modes, must have
    sides that stop at its lines (ends_closed): the box's sides run on to its top line."""
    thin, bold = sorted((top.t, bottom.t))
    return bold >= max(2 * thin, thin + 3)


def digit_inside(band, top, bottom, x0: float, x1: float) -> bool:
    """Whether a band found already lies wholly inside the box between these lines, from
    x0 to x1, clear of its lines, and is no wider than a box: a bold digit's bar and foot,
    ending together, its strokes standing between them (lit 1567 p6: a bold 2 made a box
    inside its dashed box, which was lost, and the 2 was read as a flagged 1). Such a box
    does not keep the box round it from being found (page.not_within_others drops it)."""
    t, b, xs, _ = band
    return (t.c - t.t / 2 > top.c + top.t / 2 and b.c + b.t / 2 < bottom.c - bottom.t / 2 and x0 <= xs[0] and xs[-1] <= x1
            and xs[-1] - xs[0] <= bottom.c - top.c)


def overlaps_band(top, bottom, x0: float, x1: float, bands) -> bool:
    """Whether the box between these lines, from x0 to x1, overlaps any of the bands."""
    return any(t.c < bottom.c and top.c < b.c and xs[0] < x1 and x0 < xs[-1] for t, b, xs, _ in bands)


def merge_close(xs: list[float], tol: float, ends: tuple[float, ...] = ()) -> list[float]:
    """The sorted xs, each within `tol` of the one before in its group merged into their
    mean (a double line's two sides and the band's end beside them). The band's `ends`
    join a group but carry it no farther: a box's side, its line's end a pixel on and a 1
    written 11 px in from them were merged one after the next into one side in the 1's
    stroke, and the box was read blank, its 1 lost."""
    merged: list[list[float]] = []
    reach = 0.0
    for x in xs:
        if merged and x - reach <= tol:
            merged[-1].append(x)
        else:
            merged.append([x])
        if x not in ends or len(merged[-1]) == 1:
            reach = x
    return [float(np.mean(m)) for m in merged]


