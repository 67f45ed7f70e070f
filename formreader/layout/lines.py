"""Line evidence: the page reduced to horizontal and vertical line segments (pieces of
one broken line joined; its light and skew come first, from light.py). Also the small
questions the finders ask of lines: how much of a span they run along, whether a
vertical line runs into a horizontal one."""

from __future__ import annotations

import math

import cv2
import numpy as np

from .model import LayoutConfig, Segment


def components(mask: np.ndarray):
    """8-connected components with stats and centroids. OpenCV's default algorithm took
    about 16 ms on a 150 dpi page here, the block-based Grana one 6 ms, same result."""
    return cv2.connectedComponentsWithStatsWithAlgorithm(mask, 8, cv2.CV_32S, cv2.CCL_GRANA)


def shape_bounds(mask: np.ndarray) -> np.ndarray:
    """(n, 4) x, y, w, h of every 8-connected shape of a mask, those inside another's
    holes too: the same boxes as labelling (`components`), six times faster on a page,
    as contours visit only the shapes' borders."""
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return np.zeros((0, 4), np.int64)
    outer = np.flatnonzero(hierarchy[0][:, 3] < 0)  # the second level holds the holes' borders
    return np.array([cv2.boundingRect(contours[i]) for i in outer], np.int64)


def pieces(mask: np.ndarray, wanted=lambda w, h: True):
    """(x, y, w, h, own) for each 8-connected piece of a sparse mask whose bounding box is
    `wanted`, `own` its pixels within that box (uint8, 1 where its own). Outer contours find
    them several times faster than labelling the whole page; a piece's own pixels are its
    filled outline less its holes (the mask's zeros)."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if not wanted(w, h):
            continue
        own = np.zeros((h, w), np.uint8)
        cv2.drawContours(own, [contour], 0, 1, -1, offset=(-x, -y))
        yield x, y, w, h, cv2.bitwise_and(own, mask[y : y + h, x : x + w])


def line_mask(binary: np.ndarray, kernel: tuple[int, int], box: int = 0) -> np.ndarray:
    """Straight runs at least `kernel` long; faint dotted lines are closed up first. Given
    `box` (the smallest box's height), a horizontal mask's closing fills the gaps along a
    line, not the paper between upright lines as tall as a box (less its ends, where the
    lines across run: the top lines of two boxes a little apart stay joined there): the
    double sides of two boxes a little apart, run into one block as wide as a line piece
    is long, joined a row's top and bottom lines into one piece, its bottom lost in it.
    (Shorter such paper, beside a digit's strokes, is left: a digit's pieces are how some
    finders tell it from a box.)"""
    gap = 5  # the closing's width: gaps in a dotted line narrower than this are mended
    closed = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1) if kernel[0] > 1 else (1, gap)))
    if box and kernel[0] > 1:
        between = cv2.morphologyEx(cv2.subtract(closed, binary), cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, box)))
        closed = cv2.subtract(closed, cv2.erode(between, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 2 * gap + 1))))  # (its ends stay)
    return cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))


def line_segments(mask: np.ndarray, horizontal: bool, max_thickness: float, min_length: float = 0, double_gap: float = 0,
                  bold: float = 0, max_tilt: float = LayoutConfig.max_tilt, binary: np.ndarray | None = None) -> list[Segment]:
    """Line pieces of a mask opened along one direction; the outer lines of double box
    lines (at most `double_gap` apart) dropped before the pieces of broken lines are
    joined (the outer lines of a row of double boxes would join into one). Pieces
    thicker than `max_thickness` and at most `bold` thick come too, joined apart from
    the thin ones (bold frames; double lines that ran together at a low resolution):
    the caller tells them by their thickness.

    Thickness and position come from the line itself, not from ink touching it:
    the rows (or columns) that run along most of the piece's length. A curved
    stroke has none and is no line; ink hugging a short box side adds none.
    """
    out, thick = [], []
    for x, y, w, h, own in pieces(mask, lambda w, h: (w if horizontal else h) >= min_length):
        a0, length = (x, w) if horizontal else (y, h)
        profile = own.sum(axis=1 if horizontal else 0)  # how much of the length each row/column fills
        core = np.flatnonzero(profile >= 0.6 * length)
        if len(core) > max_thickness:  # ink hugging the line: only what runs (nearly) all along
            most = core
            core = np.flatnonzero(profile >= 0.9 * length)
            out += shorter_beside(most, core, own, horizontal, a0, y if horizontal else x, max_thickness)
        runs = runs_of(core) if len(core) > max_thickness else []
        if len(runs) > 1 and max(map(len, runs)) <= max(max_thickness, bold):
            # parallel lines the mask's closing joined with a cross bar (the dividers of a
            # comb drawn with double lines; the sides of boxes close together): each run
            # is a line of its own
            for run in runs:
                c = (y if horizontal else x) + (run[0] + run[-1]) / 2 + 0.5
                (out if len(run) <= max_thickness else thick).append(Segment(float(a0), float(a0 + length), float(c), float(len(run))))
            continue
        if len(core) == 0:
            out += tilted_line(own, horizontal, a0, y if horizontal else x, max_thickness, max_tilt)
            continue
        if len(core) > max(max_thickness, bold):
            continue
        thickness = float(len(core))
        c = (y if horizontal else x) + (core[0] + core[-1]) / 2 + 0.5
        slope, pivot = 0.0, 0.0
        if horizontal and length * max_tilt >= 2:  # (a side aslant is short: its drift is a pixel or two)
            slope, pivot, drifting = drift(own, core, max_thickness, a0, c - y, max_tilt)
            thickness = max(thickness, drifting)
        (out if thickness <= max_thickness else thick).append(Segment(float(a0), float(a0 + length), float(c), thickness, slope, pivot))
    return join_collinear(inner_of_doubles(out, double_gap, binary, horizontal) if double_gap else out) + join_collinear(thick)


def drift(across: np.ndarray, core: np.ndarray, reach: float, a0: int, c: float, max_tilt: float) -> tuple[float, float, float]:
    """(slope, pivot, thickness) of a line whose middle rows (`core`, in `across`: a row for
    each row of the piece) run along most of it but which drifts across by two pixels or
    more from one half of it to the other (a thicker line a little aslant: one row holds
    60% of it where its middle crosses, and that row is not its thickness); (0, 0, 0) for
    a line square to the page. Each half's position is the median of its columns' middles
    within `reach` of the core, so a digit's stroke touching the line moves it little; its
    thickness, the median of its columns'. The slope passes through `c` (relative to the
    piece) at the pivot."""
    top = max(0, int(core[0] - reach))
    band = across[top : int(core[-1] + reach) + 1]
    if band.shape[0] <= len(core) + 1:
        return 0.0, 0.0, 0.0
    band = band.astype(np.float32)
    counts = np.ones(band.shape[0], np.float32) @ band
    if not counts.all():
        return 0.0, 0.0, 0.0
    middles = top + (np.arange(band.shape[0], dtype=np.float32) @ band) / counts
    half = len(middles) // 2
    left, right = float(np.median(middles[:half])), float(np.median(middles[half:]))
    slope = (right - left) / half  # the halves' medians lie half the length apart
    if abs(right - left) < 2 or abs(slope) > max_tilt:  # (a digit's stroke slants far more)
        return 0.0, 0.0, 0.0
    fitted = (left + right) / 2 + 0.5  # where it is in its middle
    return slope, float(a0 + len(middles) / 2 + (c - fitted) / slope), float(np.median(counts))


def tilted_line(own: np.ndarray, horizontal: bool, a0: int, c0: int, max_thickness: float, max_tilt: float) -> list[Segment]:
    """A thin straight line a little aslant of the deskewed page (a field printed turned a
    fraction of a degree from the rest, a page not quite flat): 8-connected, it steps a
    row (column) at a time, so no row runs along most of it, and it had no core. It is a
    line where ink stands at nearly every place along it, no thicker across than a box
    line, and it drifts across by at most `max_tilt` of its length (a digit's thin bar
    slants far more): one segment through its middle. A 1 px tick comb's baseline
    0.5 degrees off was lost so, and the comb with it; and the rows of a page photographed
    at a slant, which converge (1.7 degrees at its top and bottom under a keystone of 3%),
    when `max_tilt` was 0.02; at 0.035, those of such a page turned 3 degrees as well. It
    keeps its slope (see Segment.at)."""
    across = own if horizontal else own.T  # a row of it for each row (column) of the piece
    depth, length = across.shape
    counts = across.sum(axis=0)  # how thick it is at each place along it
    if np.mean(counts > 0) < 0.95 or not counts.any():
        return []
    thickness = float(np.median(counts[counts > 0]))
    if thickness > max_thickness or depth - thickness > max_tilt * length:
        return []
    m = cv2.moments(across.astype(np.uint8), binaryImage=True)
    slope = m["mu11"] / m["mu20"]  # the least-squares line through its pixels
    return [Segment(float(a0), float(a0 + length), c0 + m["m01"] / m["m00"] + 0.5, thickness, slope, a0 + m["m10"] / m["m00"] + 0.5)]


def shorter_beside(most: np.ndarray, core: np.ndarray, own: np.ndarray, horizontal: bool, a0: int, c0: int,
                   max_thickness: float, gap: int = 3) -> list[Segment]:
    """The thin straight lines, apart from the piece's `core`, that run along most of it but
    not all: a comb's tick fused at its foot with a longer stroke of a digit beside it (at
    a tick's height, the digit's stroke is the line; the tick ran 0.7 of the piece and was
    lost). Each runs along its own stretch, every row (column) of it filled nearly all
    along that, and stands `gap` clear of the rest of `most` (a wobbly stroke's columns
    come in runs a pixel apart). `most`: the rows (columns) that fill 0.6 of the piece."""
    if most[-1] - most[0] + 1 == len(most):
        return []  # one run, the core's own: most pieces (asked of every thick one, this must be cheap)
    breaks = np.flatnonzero(np.diff(most) > 1) + 1
    firsts, lasts = [int(most[0]), *most[breaks].tolist()], [*most[breaks - 1].tolist(), int(most[-1])]
    out = []
    across = own if horizontal else own.T  # a row of it for each row (column) of the piece
    for k, (first, last) in enumerate(zip(firsts, lasts)):
        clear = (k == 0 or first - lasts[k - 1] > gap) and (k == len(firsts) - 1 or firsts[k + 1] - last > gap)
        if last - first + 1 > max_thickness or not clear or ((core >= first) & (core <= last)).any():
            continue  # too thick, too near other ink, or the core's own
        lines = across[first : last + 1]
        stretch = max(runs_of(np.flatnonzero(lines.any(axis=0))), key=len)
        if lines[:, stretch[0] : stretch[-1] + 1].sum(axis=1).min() < 0.9 * len(stretch):
            continue  # not straight along its stretch: a digit's stroke
        c = c0 + (first + last) / 2 + 0.5
        out.append(Segment(float(a0 + stretch[0]), float(a0 + stretch[-1] + 1), float(c), float(last - first + 1)))
    return out


def runs_of(indices: np.ndarray) -> list[np.ndarray]:
    """Sorted indices split where they stop being consecutive."""
    return np.split(indices, np.flatnonzero(np.diff(indices) > 1) + 1)


def inner_of_doubles(segments: list[Segment], max_gap: float, binary: np.ndarray | None = None, horizontal: bool = True) -> list[Segment]:
    """Double box lines (an outer line a little outside the inner one, as some forms draw
    boxes): each outer line is dropped, so the box is read from its inner lines. The outer
    one is parallel, at most `max_gap` away, and as much longer at each end as it lies
    apart; a stroke beside a line is not so placed. Given the page's ink (`binary`), the
    outer box's line across must also close the gap at one end of it at least: the sides
    of two boxes a few pixels apart, one drawn a little shorter (a dashed box's), are so
    placed too, with paper between their ends."""
    order = sorted(segments, key=lambda s: s.c)
    outer = set()
    for i, a in enumerate(order):
        for b in order[i + 1 :]:
            d = b.c - a.c
            if d > max_gap:
                break
            short, long = (a, b) if a.a1 - a.a0 < b.a1 - b.a0 else (b, a)
            tol = max(2.0, 0.5 * d)
            if d > 0 and abs(short.a0 - long.a0 - d) <= tol and abs(long.a1 - short.a1 - d) <= tol:
                if binary is None or cornered(long, short, binary, horizontal):
                    outer.add(id(long))
    return [s for s in segments if id(s) not in outer]


def cornered(outer: Segment, inner: Segment, binary: np.ndarray, horizontal: bool) -> bool:
    """Whether ink closes the gap between two parallel lines at one end of the outer one
    at least, at most as far in as the inner one begins (the outer box's corner)."""
    ink = binary.T if horizontal else binary  # rows along the lines, columns across them
    for end, inward in ((outer.a0, inner.a0), (outer.a1, inner.a1)):
        c0, c1 = sorted((outer.at(end), inner.at(end)))
        lo, hi = int(c0 + 1.5), int(c1 - 0.5)  # strictly between the two lines
        if hi <= lo or ink_all_across(ink, int(min(end, inward)) - 1, int(max(end, inward)) + 2, lo, hi):
            return True
    return False


def join_collinear(segments: list[Segment], gap: float = 4.0, offset: float = 2.5) -> list[Segment]:
    """Join pieces of one broken line (light or faded scans); gaps between boxes are wider."""
    joined: list[Segment] = []
    rows: dict[int, list[Segment]] = {}  # joined lines by the row they lie on: only near rows can join
    for s in sorted(segments, key=lambda s: s.a0):
        near = (j for r in range(int(s.c - offset) - 1, int(s.c + offset) + 2) for j in rows.get(r, ()))
        for j in near:
            if abs(j.c - s.c) <= offset and s.a0 - j.a1 <= gap and s.a1 >= j.a0 - gap:
                j.a0, j.a1 = min(j.a0, s.a0), max(j.a1, s.a1)
                break
        else:
            joined.append(Segment(s.a0, s.a1, s.c, s.t, s.slope, s.pivot))
            rows.setdefault(int(s.c), []).append(joined[-1])
    return joined


def bridge_jogs(lines: list[Segment], binary: np.ndarray, max_gap: float) -> list[Segment]:
    """Horizontal lines joined across gaps shorter than the line mask's kernel where ink runs
    unbroken across the gap within a pixel of the lines' rows: a thin line deskewed by
    nearest pixels steps a row up or down, and a step shorter than the kernel is lost from
    the mask (a faint comb's bottom line broke so, and its cell went unfound). Boxes a little
    apart have paper in the gap."""
    out: list[Segment] = []
    rows: dict[int, list[Segment]] = {}  # the lines so far by the row they lie on
    for s in sorted(lines, key=lambda s: s.a0):
        near = (j for r in range(int(s.c) - 2, int(s.c) + 3) for j in rows.get(r, ()))
        for j in near:
            if abs(j.c - s.c) <= 1.5 and 0 < s.a0 - j.a1 <= max_gap:
                if ink_all_across(binary, *rows_of_both(j, s), int(j.a1), int(s.a0)):
                    j.a1, j.t = s.a1, max(j.t, s.t)
                    break
        else:
            out.append(Segment(s.a0, s.a1, s.c, s.t, s.slope, s.pivot))
            rows.setdefault(int(s.c), []).append(out[-1])
    return out


def rows_of_both(a: Segment, b: Segment) -> tuple[int, int]:
    """The rows two pieces of one horizontal line lie in, a row more above and two below
    (whole pixels): where the line's ink runs on between them, a step up or down."""
    return int(min(a.c - a.t / 2, b.c - b.t / 2)) - 1, int(max(a.c + a.t / 2, b.c + b.t / 2)) + 2


def run_on(vs: list[Segment], hs: list[Segment], binary: np.ndarray, reach: int, beyond: float = 0.0) -> list[Segment]:
    """Box sides run on to their line: a vertical line whose ends both lie within `reach`
    rows of a horizontal line (one of `hs`) across it, and whose ink goes on from one end
    towards that line's near edge within a column either side of it (to 3 px of it: a
    rounded corner's arc turns out of those columns there), now ends at that edge. A thin
    side deskewed by nearest pixels steps a column over, and a step near its end shorter
    than the line mask's kernel is lost from the mask (the right sides of a turned page's
    rounded boxes stopped 8 px short of their bottom line, no longer a box's: two boxes
    went unfound, a 2 lost without a word). Ticks and digits' strokes stop far from one
    line at least, and stay as they are (a digit's foot run on to a tick comb's line made
    it one more tick). A side may stand up to `beyond` past a line's end where the line's
    ink runs on to it along its rows: the line's own last step lost so (stepped_end in
    find_bands takes such a side as the box's end). A rounded corner's arc turns away from
    the line's rows: its side stays as it is (find_bands' rounded_side takes it)."""
    if not vs or not hs:
        return list(vs)
    a0, a1, c, t, slope, pivot = np.array([(h.a0, h.a1, h.c, h.t, h.slope, h.pivot) for h in hs]).T
    vc, va0, va1 = (np.array([getattr(v, k) for v in vs])[:, None] for k in ("c", "a0", "a1"))
    across = (a0 - t - 2 <= vc) & (vc <= a1 + t + 2)  # (find_bands' reach of a line's end)
    at = c + slope * (vc - pivot)
    below_edge, above_edge = at - t / 2, at + t / 2  # each line's near edge, for a line below and one above
    # (an end already at its line, within it or a row past it where the line steps, counts:
    # a divider reaching its top line whose last step down was lost stopped 7 px short of
    # the bottom, and was taken for a digit's stroke)
    to_below = (va1 <= above_edge + 1) & (below_edge - va1 <= reach)
    to_above = (va0 >= below_edge - 1) & (va0 - above_edge <= reach)
    if beyond:
        past_end = ~across & (a0 - t - 2 - beyond <= vc) & (vc <= a1 + t + 2 + beyond) & (to_below | to_above)
        for k, m in zip(*np.nonzero(past_end)):
            end = a0[m] if vc[k, 0] < a0[m] else a1[m]
            x0, x1 = sorted((int(round(end)), int(round(vc[k, 0]))))
            across[k, m] = ink_all_across(binary, int(at[k, m] - t[m] / 2) - 1, int(at[k, m] + t[m] / 2) + 2, x0, x1)
    below, above = across & to_below, across & to_above
    out = list(vs)
    columns = binary.T  # (ink_all_across asks every row of a side's reach, within its columns)
    for k in np.flatnonzero(below.any(axis=1) & above.any(axis=1)):  # (all at once: a page has hundreds of each)
        v = vs[k]
        x0, x1 = max(0, int(round(v.c - v.t / 2)) - 1), int(round(v.c + v.t / 2)) + 1
        bottom, top = float(below_edge[k][below[k]].min()), float(above_edge[k][above[k]].max())
        # (an end within 3 px of its line reaches it already; rounding takes that much off a side)
        runs_down = bottom - v.a1 > 3 and ink_all_across(columns, x0, x1, int(v.a1), math.ceil(bottom - 3))
        runs_up = v.a0 - top > 3 and ink_all_across(columns, x0, x1, math.floor(top + 3), int(v.a0))
        out[k] = Segment(top if runs_up else v.a0, bottom if runs_down else v.a1, v.c, v.t, v.slope, v.pivot)
    return out


def ink_all_across(binary: np.ndarray, y0: int, y1: int, x0: int, x1: int) -> bool:
    """Whether ink stands in every column from x0 to x1 somewhere in the rows y0 to y1: a
    line's ink running on unbroken, a row up or down, where the line mask lost it."""
    region = binary[max(0, y0) : y1, max(0, x0) : x1]
    return bool(region.size) and bool(region.any(axis=0).all())


def faint_lines(pieces, used, px, config) -> list[Segment]:
    """Lines not used by any field, with a faint line's pieces joined across wider gaps
    than a box line's; the pieces must cover most of it (the feet of bold digits standing
    in a row are no line)."""
    free = [s for s in pieces if id(s) not in used]
    lines = join_collinear(free, gap=px(config.line_gap), offset=1.5)
    out = []
    for line in lines:
        cover = sum(p.a1 - p.a0 for p in free if abs(p.c - line.c) <= 1.5 and line.a0 <= p.a0 and p.a1 <= line.a1)
        if cover >= 0.8 * (line.a1 - line.a0):
            out.append(line)
    return out


def outside(lines, fields) -> list[Segment]:
    """The lines that lie inside no field (a string box's digits, a tick comb's baseline)."""
    rects = [f.rect for f in fields]
    return [s for s in lines if not any(r.x <= s.a0 and s.a1 <= r.x + r.w and r.y <= s.c <= r.y + r.h for r in rects)]


def cover(lines, y: float, x0: float, x1: float, tol: float) -> float:
    """How much of x0..x1 the lines within `tol` of height y run along."""
    return sum(max(0.0, min(s.a1, x1) - max(s.a0, x0)) for s in lines if abs(s.c - y) <= tol)


def line_at(lines, y: float, x0: float, x1: float, tol: float) -> Segment | None:
    """The line running along 80% of x0..x1 near height y, its pieces taken together, or None."""
    if cover(lines, y, x0, x1, tol) < 0.8 * (x1 - x0):
        return None
    near = [s for s in lines if abs(s.c - y) <= tol and s.a0 < x1 and x0 < s.a1]
    return Segment(x0, x1, float(np.median([s.c for s in near])), float(np.median([s.t for s in near])))


def line_to_line(v: Segment, top: Segment, bottom: Segment) -> bool:
    """The vertical line runs from the top line to the bottom one (to within 2 px of each)."""
    return v.a0 <= top.at(v.c) + top.t / 2 + 2 and v.a1 >= bottom.at(v.c) - bottom.t / 2 - 2


def reaches(v: Segment, base: Segment) -> bool:
    """The vertical line runs down into the horizontal one, as a box side or tick does
    (a digit's stroke may end just above it)."""
    at = base.at(v.c)
    return at - base.t / 2 - 1.5 <= v.a1 <= at + base.t + 3
