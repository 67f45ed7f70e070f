"""Boxes from pairs of horizontal lines with sides between them (find_bands): one cell
of box proportions is a separate box, several equal cells a comb, one wide cell a
string box (band_fields). Rows of a table share lines and are left out (stacked);
separate boxes are grouped in rows after (box_rows.py); string boxes so faint that no
side is seen are found from their two lines (faint_string_boxes). A box is measured by
its outside where its lines are bold and long (outside_height)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import replace

import numpy as np

from .combs import comb_dividers, dividers_line_to_line, dividers_under_ink, ink_through, on_a_line, short_dividers, whole_cells
from .lines import cover, ink_all_across, line_to_line
from .model import Field, Rect, Segment


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
    for i, j in line_pairs(hs, mode, px(config.min_box), px(config.max_box), ends):
        top, bottom = hs[i], hs[j]
        if i == closed and bottom.c > closed_at:
            continue
        height = bottom.c - top.c
        x0, x1 = max(top.a0, bottom.a0), min(top.a1, bottom.a1)
        if mode != "strict":
            if mode == "broken":
                long = longer_line(top, bottom)
                x0, x1 = long.a0, long.a1
            # (a line broken in pieces pairs with the longer once: the band runs along the longer)
            if overlaps_band(top, bottom, x0, x1, [*taken, *bands] if mode == "broken" else taken):
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
                if corner is not None:  # the side is the box's end: round the corner, or where the lines' ink runs on to it
                    sides.append(corner)
                    x0, x1 = (corner.c, x1) if k == 0 else (x0, corner.c)
                    ending += 1
        if sides_run_on_below(sides, hs, hcs, top, bottom, x0, x1, tol, gap) or table_row_below(sides, hs, hcs, top, bottom, x0, x1, tol, gap):
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
        bands = [band for band in bands if max(shared[id(band[0])], shared[id(band[1])]) >= 2]
    return bands


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


def stepped_end(vs, top, bottom, end: float, outward: int, tol: float, kernel: float, binary):
    """The side of a box a little beyond one end of its top and bottom lines, from line to
    line, where the page's ink runs on along both lines' rows (a row either way) from
    their ends to it, or None. A thin line deskewed by nearest pixels steps a row up or
    down; a last step shorter than the line mask's kernel is lost from the mask, and the
    lines end short of their side (a faint comb's first divider was then lost)."""
    if binary is None:
        return None
    best = None
    for v in vs:
        across = (v.c - end) * outward
        if not (tol < across <= kernel and line_to_line(v, top, bottom)):
            continue
        x0, x1 = sorted((int(round(end)), int(round(v.c))))
        if all(ink_all_across(binary, int(s.c - s.t / 2) - 1, int(s.c + s.t / 2) + 2, x0, x1) for s in (top, bottom)):
            if best is None or across < (best.c - end) * outward:
                best = v
    return best


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
    double line's reach, and stop at another line below it (within half the band's
    height) that runs the band's length: the bottom line is then a digit's stroke from side
    to side (a bold 8's lower bowl touching both sides, the 8's own strokes ending on it
    as sides would), and the box runs on to that line. Taken as the bottom, it made the
    box a third too short, out of line with its row: the row was cut in two there and
    the 8 read as free handwriting (turned, seed 995, page 11)."""
    height = bottom.c - top.c
    lower = [s for s in hs[bisect_right(hcs, bottom.c + gap + 2) : bisect_right(hcs, bottom.c + 0.5 * height)]
             if s.a0 <= x0 + tol and s.a1 >= x1 - tol]
    at_ends = [[v for v in sides if abs(v.c - end) <= tol] for end in (x0, x1)]
    return any(all(any(abs(v.a1 - line.at(v.c)) <= tol + 2 for v in side) for side in at_ends) for line in lower)


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


def stacked(bands, hs, px, config) -> set[int]:
    """Bands that are rows of a table, not digit fields: they share a line with
    another band, overlap another band, or (when wide) have a long line inside (not
    the inner line of a double top or bottom line, `config.double_gap` from it)."""
    tops = {id(b[0]): k for k, b in enumerate(bands)}
    gap = px(config.double_gap)
    out = set()
    for k, (top, bottom, xs, _) in enumerate(bands):
        if id(bottom) in tops:
            out.update((k, tops[id(bottom)]))
        for j, (top2, bottom2, xs2, _) in enumerate(bands[k + 1 :], start=k + 1):
            if top.c < bottom2.c - 2 and top2.c < bottom.c - 2 and xs[0] < xs2[-1] - 2 and xs2[0] < xs[-1] - 2:
                inside = lambda a0, a1, b0, b1: b0 - 3 <= a0 and a1 <= b1 + 3  # noqa: E731
                # a band inside another: strokes of a digit that look like a box inside a box,
                # unless it is the box within the outer line of a double line
                if inside(top2.c, bottom2.c, top.c, bottom.c) and inside(xs2[0], xs2[-1], xs[0], xs[-1]):
                    out.add(k if within_double_line(bands[j], bands[k], gap) else j)
                elif inside(top.c, bottom.c, top2.c, bottom2.c) and inside(xs[0], xs[-1], xs2[0], xs2[-1]):
                    out.add(j if within_double_line(bands[k], bands[j], gap) else k)
                elif inner_run_on(bands[j], bands[k], gap):
                    out.add(k)
                elif inner_run_on(bands[k], bands[j], gap):
                    out.add(j)
                else:
                    out.update((k, j))
        width, height = xs[-1] - xs[0], bottom.c - top.c
        if width >= config.string_aspect * height:  # a digit stroke never runs across most of a wide box
            tol = max(top.t, bottom.t) + 2
            # a table's lines are drawn alike, from side to side; the feet of a row of digits (666)
            # join into a far thinner "line", the bars of 4s written alike into a shorter one
            ruled = 0.5 * min(top.t, bottom.t)
            inner = max(tol, gap + 1)
            if any(top.c + inner < s.c < bottom.c - inner and s.t >= ruled and min(s.a1, xs[-1]) - max(s.a0, xs[0]) >= 0.85 * width
                   and within_lines(s, top, bottom, tol) for s in hs):
                out.add(k)
    return out


def within_lines(line, top, bottom, tol: float) -> bool:
    """Whether a line inside a band ends where the band's lines end (to `tol`), as a table's
    inner line does. Strokes of a row of digits that ran together into a line (a date's
    slashes, a 3's and a 4's bars, on a dithered page made grey again) ran on out of the
    band through the gap before its first box: as a table's line, they dropped two boxes
    holding a 4 and a 9, lost without a word."""
    return line.a0 >= min(top.a0, bottom.a0) - tol and line.a1 <= max(top.a1, bottom.a1) + tol


def within_double_line(inner, outer, gap: float) -> bool:
    """Whether band `inner` is `outer` less the outer line of a double top or bottom line:
    they share one line, and the other two lie parallel at most `gap` apart. (Where the
    double line's two lines run equally long, the outer one is not dropped as such: the
    outer frame's side joins them at the corners.) Read from the outer line, the box is
    too tall for its cells, and a comb loses dividers. The inner line is drawn as the outer
    one is and within its ends; a digit's bar under the top line (a 7's) is a pen's stroke,
    often bolder, and may cross the box's side."""
    (top, bottom, _, _), (top2, bottom2, _, _) = inner, outer
    if top is top2:
        return 0 < bottom2.c - bottom.c <= gap and drawn_within(bottom, bottom2)
    return bottom is bottom2 and 0 < top.c - top2.c <= gap and drawn_within(top, top2)


def inner_run_on(inner, outer, gap: float) -> bool:
    """Whether band `inner` holds the inner lines of double boxes standing a little apart,
    one of which `outer` is from its outer lines: each inner line lies at most `gap`
    inside the outer one, and an end of `outer` falls in the gap between two boxes in
    `inner` (two of its sides closer together than a cell can be). On a turned page the
    inner lines, run on to the outer sides, met across the gap in the line mask, so the
    inner band holds two boxes; overlapping only in part, both bands were left out as a
    table's rows and the boxes went unfound."""
    (top, bottom, xs, _), (top2, bottom2, xs2, _) = inner, outer
    if not (0 <= top.c - top2.c <= gap and 0 <= bottom2.c - bottom.c <= gap and top.c - top2.c + bottom2.c - bottom.c > 0):
        return False
    height = bottom.c - top.c
    pairs = [(a, b) for a, b in zip(xs[:-1], xs[1:]) if b - a < 0.45 * height]
    return any(a - 3 <= end <= b + 3 for a, b in pairs for end in (xs2[0], xs2[-1]) if xs[0] + 3 < end < xs[-1] - 3)


def drawn_within(line, outer) -> bool:
    """Whether `line` may be the inner line of a double line whose outer line is `outer`:
    as thick (a pixel or a quarter more at most) and not past its ends (by two pixels)."""
    return line.t <= max(outer.t + 1, 1.25 * outer.t) and line.a0 >= outer.a0 - 2 and line.a1 <= outer.a1 + 2


def cell_between(top: Segment, bottom: Segment, x0: float, x1: float) -> Rect:
    """The cell from x0 to x1 between two lines, where they are in its middle (lines a
    little aslant of the page's rows, as on a page photographed at a slant)."""
    middle = (x0 + x1) / 2
    return Rect(x0, top.at(middle), x1 - x0, bottom.at(middle) - top.at(middle))


def band_fields(top, bottom, xs, line, binary, config) -> list[Field]:
    height = bottom.c - top.c
    sides = list(xs)
    apart = gaps_between_boxes(xs, top, bottom, binary, height, (xs[0], xs[-1]))
    if apart:  # boxes standing a little apart, whose lines the mask closed across the gaps:
        # each cell a box of its own (a gap whose paper the blur closed leaves two as a comb)
        fields = []
        for part in np.split(np.asarray(xs), [k + 1 for k in apart]):
            # the lines over this part only: where the band's lines end is no side of it (a
            # part's grid was sought to the band's end and made cells over the next boxes)
            part_top, part_bottom = (replace(s, a0=max(s.a0, part[0]), a1=min(s.a1, part[-1])) for s in (top, bottom))
            for f in band_fields(part_top, part_bottom, list(part), line, binary, config) if len(part) >= 2 else []:
                fields += [Field("boxes", [c], f.line) for c in f.cells] if f.kind == "comb" else [f]
        return fields
    # a divider stands on a line; where two strokes do, those on neither are digits' (a 1, a
    # 9's stem in a bold-framed comb made a grid of their own, 9 cells for 7)
    standing = [on_a_line(top, bottom, binary, x) for x in xs[1:-1]]
    if sum(standing) >= 2:
        xs = [xs[0], *(x for x, s in zip(xs[1:-1], standing) if s), xs[-1]]
    xs = whole_cells(comb_dividers(xs, height), top, bottom, binary)
    xs = dividers_line_to_line(xs, top, bottom, binary) or xs
    widths = np.diff(xs)
    if len(xs) > 2 and widths.max() >= config.string_aspect * height:
        xs = dividers_under_ink(xs, top, bottom, binary) or xs
        widths = np.diff(xs)
    if len(xs) > 2 and widths.max() >= config.string_aspect * height:
        xs = [xs[0], xs[-1]]  # a tall stroke inside a string box is no divider
        widths = np.diff(xs)
    cells = [cell_between(top, bottom, x0, x1) for x0, x1 in own_sides(xs, sides, height)]
    if not cells:
        return []
    if len(cells) == 1:
        aspect = widths[0] / height
        if aspect >= config.string_aspect:
            return [Field("string", cells, line)]
        if 0.55 <= aspect <= 1.7:
            return [Field("boxes", cells, line)]
        return []
    # a printed comb's cells are one width; strokes of a string's digits that came near both
    # lines (blurred into them) make cells of any
    # and one of the strokes seen stands on a line (digits close to both lines, small in a
    # string box, make strokes that the line mask joins to them, but the page does not)
    if (all(0.45 <= w / height <= 1.7 for w in widths) and (len(widths) < 3 or np.ptp(widths) <= 0.8 * np.median(widths))
            and any(on_a_line(top, bottom, binary, x) or double_divider(top, bottom, binary, x)
                    for x in [*xs[1:-1], *(s for s in sides if xs[0] + 2 < s < xs[-1] - 2)])):
        return [Field("comb", cells, line)]
    if (xs[-1] - xs[0]) / height >= config.string_aspect:
        # a closed box whose strokes from line to line make no comb (a light comb's broken
        # ticks hidden by bold digits that touch its lines): read as one string, not lost
        return [Field("string", [cell_between(top, bottom, xs[0], xs[-1])], line)]
    return []


def double_divider(top, bottom, binary, x: float) -> bool:
    """Whether two sides merged into one divider at x (find_bands: boxes whose lines ran on
    across the gap between them) stand on the lines: paper lies at x, between them, but ink
    runs from line to line within the merge's reach. Two dashed boxes whose lines were drawn
    solid across their gap, the first two of a row, came out as a string box of two digits,
    and the string reader read the sides between them as a sure 1 (59 read 519)."""
    return ink_through(top, bottom, binary, x, reach=int(max(top.t, bottom.t)) + 3) >= 0.97


def own_sides(xs: list[float], sides: list[float], height: float) -> list[tuple[float, float]]:
    """Each cell's (left, right) between the dividers `xs`. Where every inner divider has
    one other side beside it, a little way off and as far off at each (boxes a little
    apart whose lines run on across the gaps, a divider drawn double), each cell ends at
    its own side of the pair: cut at the far one, a blank box held its near side, and read
    it as a sure 1."""
    edges = list(zip(xs[:-1], xs[1:]))
    pairs = []
    for x in xs[1:-1]:
        near = [s for s in sides if 2 <= abs(s - x) <= 0.35 * height]
        if len(near) != 1:
            return edges
        pairs.append(sorted((x, near[0])))
    if not pairs or np.ptp([b - a for a, b in pairs]) > 2:
        return edges
    return list(zip([xs[0]] + [b for _, b in pairs], [a for a, _ in pairs] + [xs[-1]]))


def beyond_own_sides(xs: list[float], x0: float, x1: float, tol: float) -> list[float]:
    """The sides less those beyond an end of the band that has a side of its own: a
    neighbour's side a few pixels on (boxes a little apart) merged with the end's own,
    and the band reached into the gap. A digit's bar over the bottom line so made a band
    no longer inside its box's (stacked drops those as strokes), and both were dropped."""
    if any(x0 - 1 <= x <= x0 + tol for x in xs):
        xs = [x for x in xs if x >= x0 - 1]
    if any(x1 - tol <= x <= x1 + 1 for x in xs):
        xs = [x for x in xs if x <= x1 + 1]
    return xs


def gaps_between_boxes(xs, top, bottom, binary, height: float, inside: tuple[float, float]) -> list[int]:
    """Where two sides (xs[k], xs[k + 1]) stand too close for a cell between them, `inside`
    the band's ends, with paper between them across both lines, or across the whole gap on
    one: the sides of two boxes a little apart (a gap of a sixth of a box closes up in the
    line mask, and their lines pass for one; the scan may run one of the two lines on
    across the gap), not a divider drawn double, whose lines both run on across its gap,
    nor a neighbour's side beyond the band's end. (A speck of paper in one thin line is
    no gap: a digit's stroke beside a side would pass for one.)"""
    def paper(line, a: float, b: float) -> np.ndarray:  # for each column from a to b, whether the line has a break there
        rows = binary[max(0, int(line.c - line.t / 2)) : int(line.c + line.t / 2) + 1, max(0, int(a)) : int(b) + 1]
        return (rows == 0).all(axis=0) if rows.size else np.zeros(0, bool)

    def apart(a: float, b: float) -> bool:
        x = (a + b) / 2
        if paper(top, x - 1, x + 1).any() and paper(bottom, x - 1, x + 1).any():
            return True
        between = (a + 0.5 * top.t + 1, b - 0.5 * top.t - 1)  # clear of the sides' own strokes (as thick as the lines)
        return between[1] >= between[0] and any(paper(line, *between).mean() >= 0.6 for line in (top, bottom))
    if binary is None:
        return []
    gaps = [k for k in range(len(xs) - 1) if 2 < xs[k + 1] - xs[k] < 0.45 * height]
    return [k for k in gaps if inside[0] < (xs[k] + xs[k + 1]) / 2 < inside[1] and apart(xs[k], xs[k + 1])]


def _ink_share(region: np.ndarray) -> float:
    return float(region.mean()) / 255 if region.size else 0.0


def faint_string_boxes(lines, hs, vs, binary, px, config) -> list[Field]:
    """String boxes drawn so faint and thin that no side is seen: two thin lines, one
    above the other a box's height apart, that end together and are far wider than
    tall, with paper outside them (a table's rows are found, and left out, before
    this; the baselines of two rows of printed text have letters outside), and no row
    of a table: no line of `hs` (every horizontal line piece) runs a row's height above or
    below along most of it (`ruled_beside`; the other rows of a faint table were found as
    boxes and left out, or not at all), nor between them (`ruled_between`), and neither line
    runs on past the box's end (`runs_past`: a table's cell). Where short
    dividers rise from the lower line on an even grid (two seen at least, the others
    hidden under ink that rises as high: `short_dividers` with the page), the box is a comb."""
    fields = []
    ends = px(config.line_end)
    strip = max(2, int(round(px(0.04))))
    thin = sorted((s for s in lines if s.t <= 2), key=lambda s: s.c)
    for i, top in enumerate(thin):
        for bottom in thin[i + 1 :]:
            height = bottom.c - top.c
            if height > px(config.max_box):
                break
            if height < px(config.min_box) or abs(top.a0 - bottom.a0) > ends or abs(top.a1 - bottom.a1) > ends:
                continue
            x0, x1 = max(top.a0, bottom.a0), min(top.a1, bottom.a1)
            if x1 - x0 >= config.string_aspect * height:
                above = binary[max(0, int(top.c - top.t / 2) - 1 - strip) : max(0, int(top.c - top.t / 2) - 1), int(x0) : int(x1)]
                below = binary[int(bottom.c + bottom.t / 2) + 2 : int(bottom.c + bottom.t / 2) + 2 + strip, int(x0) : int(x1)]
                next_row = (top, -height), (bottom, height)
                if any(ruled_beside(hs, line, d, ends) for line, d in next_row) or ruled_between(hs, top, bottom, x0, x1) \
                        or any(runs_past(hs, line, height) for line in (top, bottom)):
                    break
                if max(_ink_share(above), _ink_share(below)) <= 0.2:  # a row of letters standing on a baseline: about 0.4
                    xs = [x0, *short_dividers(vs, top, bottom, x0, x1, max(top.t, bottom.t) + 2, binary=binary), x1]
                    cells = [cell_between(top, bottom, a, b) for a, b in zip(xs[:-1], xs[1:])]
                    fields.append(Field("comb" if len(cells) > 1 else "string", cells, (top.t + bottom.t) / 2))
                break
    return fields


def ruled_between(hs, top, bottom, x0: float, x1: float) -> bool:
    """Whether a line of `hs` runs along 80% of x0..x1 in the middle half between `top` and
    `bottom`: two rows of a table whose middle line came out thicker than a faint line."""
    height = bottom.c - top.c
    middle = {s.c for s in hs if top.c + 0.25 * height < s.c < bottom.c - 0.25 * height}
    return any(cover(hs, y, x0, x1, 2) >= 0.8 * (x1 - x0) for y in middle)


def ruled_beside(hs, line, distance: float, ends: float) -> bool:
    """Whether line pieces of `hs` lie `distance` (a quarter of it either way) from `line`,
    on that side, along 80% of it and not beyond its ends: the next row of a table (its
    line may be broken, as a bitonal scan breaks a grey one; a rule across the page runs on)."""
    for y in {s.c for s in hs if abs(s.c - line.c - distance) <= 0.25 * abs(distance)}:
        near = [s for s in hs if abs(s.c - y) <= 2 and s.a0 < line.a1 and line.a0 < s.a1]
        if all(line.a0 - ends <= s.a0 and s.a1 <= line.a1 + ends for s in near) and cover(near, y, line.a0, line.a1, 2) >= 0.8 * (line.a1 - line.a0):
            return True
    return False


def runs_past(hs, line, height: float) -> bool:
    """Whether a piece of `hs` in line with `line` begins or ends within half a box's
    `height` of the line's ends and runs on away from it a box's height at least: the row's
    line runs on past the box, as a table's does past each of its cells. A faint printed
    table turned in perspective (slant, seed 1169 page 4) had only its top right cell's
    lines paired (the other lines broken where they step), its next row's line too broken
    to be seen beside it; its top line ran on to the left after a gap at the column line:
    the cell's printed number was read as a sure digit string."""
    near = [s for s in hs if abs(s.c - line.c) <= line.t / 2 + 2 and s.a1 - s.a0 >= height]
    return any(abs(s.a1 - line.a0) <= height / 2 and s.a0 <= line.a0 - height for s in near) or \
        any(abs(s.a0 - line.a1) <= height / 2 and s.a1 >= line.a1 + height for s in near)
