"""The white boxes in a tint (tint.py): holes of a box's size and shape in the tinted
shade, less the lines the form printed round them; a hole the fainter look parts, a
frame's inside; a box a row lacks put back; the strips between boxes that share a side.
Rotated rectangles of the boxes' insides, found at the layout's resolution."""

from __future__ import annotations

from itertools import combinations

import cv2
import numpy as np

from .model import LayoutConfig, Rect, apart, overlap


def shades_up_to(ratio: np.ndarray, lightest: float, config: LayoutConfig) -> np.ndarray:
    """Where the page (`ratio`: as a share of its paper) is a shade between ink and
    `lightest`, less a stroke's soft edge."""
    ink = cv2.compare(ratio, 255 * config.tint_darkest, cv2.CMP_LT)
    tint = cv2.inRange(ratio, 255 * config.tint_darkest, 255 * lightest)
    tint = cv2.subtract(tint, cv2.dilate(ink, np.ones((3, 3), np.uint8)))
    return cv2.morphologyEx(tint, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))


def tinted_holes(tint: np.ndarray, shade: np.ndarray, white: np.ndarray, ink: np.ndarray, ratio: np.ndarray, dpi: float,
                 config: LayoutConfig, dithered: bool = False) -> tuple[list, list]:
    """Rotated rectangles of the white insides of boxes in the tint: holes of a box's size
    and shape with no shade inside (a white letter printed in a tinted header holds its
    counters' tint), less any line the form printed round them, a hole parted where the
    form's printed lines part it (`ink`: parted_by_lines); and the strips between boxes
    that share a side (square_to). A digit's stroke that runs out of its box into the tint
    is opened away first. Where the tint is broken, a fainter look at the page (`ratio`, as
    a share of its paper) finds more (with_faint_holes). `dithered`: the tint may be a 1-bit
    page's paper, its dots made grey again, round a comb's or a string box's long white: a
    white a box's height and up to tint_field_max long is a field's inside there (a comb of
    light short dividers 2 in long was no hole, and lost with the tint: fax 1634 p12)."""
    lo, hi = config.tint_box_min * dpi, config.tint_box_max * dpi
    longest = config.tint_field_max * dpi if dithered else hi
    # a break in the tint of a pixel or two (a coarse JPEG's blocks in a tint near paper's
    # brightness) would let a box's hole run into its neighbour's
    tint = cv2.morphologyEx(tint, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    holes = [(hole, False) for hole in holes_in(tint)]
    # a digit written out of its box across the tint parts the tint round the box, whose white
    # then runs out to the paper: looked at again with the tint whole where ink crosses it, the
    # holes found only so are added (their ink-bitten edges tell no tilt while others do)
    k = max(3, round(config.tint_stroke * dpi)) | 1
    near_ink = cv2.dilate(ink, np.ones((3, 3), np.uint8))
    crossed = cv2.bitwise_and(cv2.morphologyEx(tint, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8)), near_ink)
    found = [r for r in (Rect(*cv2.boundingRect(hole)) for hole, _ in holes) if max(r.w, r.h) <= hi or is_field_long(r, hi, longest)]  # (a frame's inside holds boxes)
    holes += [(hole, True) for hole in holes_in(cv2.bitwise_or(tint, crossed)) if all(apart(Rect(*cv2.boundingRect(hole)), r) for r in found)]
    holes, faint_holes, frame_rows = with_faint_holes(holes, ratio, tint, lo, hi, config)
    clear = cv2.bitwise_or(white, near_ink)
    strokes = cv2.dilate(ink, np.ones((5, 5), np.uint8))  # a light digit's soft edge is tint's shade
    insides, tilts, added_tilts, bitten = [], [], [], []
    for contour, added in ((part, added) for hole, added in holes for part in parted_by_lines(hole, ink, lo)):
        hull = white_inside(contour, shade, white, clear, lo, hi, config, longest=longest)
        if hull is None:
            # a pale digit's soft edge, tint to the eye, bit into its box's white where it
            # came near a side (a dithered fax made grey again): a box, where its strokes
            # fill the bite, only beside boxes found whole (the white of a tick comb's
            # several cells, their digits filled in, would pass for one box)
            hull = white_inside(contour, shade, white, clear, lo, hi, config, strokes)
            bitten += [] if hull is None else [hull]
            continue
        if not longer_than(hull, hi):  # (a field's long inside keeps its own tilt: below)
            (added_tilts if added else tilts).append(tilt_of(hull))
        insides.append(hull)
    faint = [white_inside(part, shade, white, clear, lo, hi, config) for hole in faint_holes for part in parted_by_lines(hole, ink, lo)]
    maybe = [hull for hull in bitten + faint if hull is not None]
    insides += like_a_row(maybe, insides)
    # a frame's boxes: like a box found whole, or three alike side by side at least (each is like itself)
    row = [hull for hull in (white_inside(part, shade, white, clear, lo, hi, config) for part in frame_rows) if hull is not None]
    row = [hull for hull in row if any(like_beside(hull, whole) for whole in insides) or sum(like_beside(hull, other) for other in row) >= 3]
    insides += row
    # and the boxes beyond a frame's, found faint, like them (third 1593 p21: the tint round a
    # row's last two boxes was one hole, parted by the fainter look only; the frame's eight
    # boxes were found after, so those two were like none, and their 2 and 4 were lost)
    insides += [hull for hull in maybe if not any(hull is whole for whole in insides) and any(like_beside(hull, whole) for whole in row)]
    insides += missing_from_rows(insides, cv2.subtract(shade, strokes), clear, config)
    tilts = tilts or added_tilts or [tilt_of(hull) for hull in row]
    # a field's long inside is outlined at its own tilt, which it tells to a hundredth of a
    # degree: drawn at the boxes' (0 under half a degree), its lines, the page's longest,
    # turned the page's skew by 0.4 degrees (fax 1474 p12: a pale 6 lost from a string)
    fields = [hull for hull in insides if longer_than(hull, hi)]
    insides = [hull for hull in insides if not longer_than(hull, hi)]
    shared = config.tint_shared_side * dpi
    rects = [square_to([hull], tilt_of(hull), shared)[0][0] for hull in fields]
    if not tilts:
        return rects, []
    # a hole's hull is whole pixels: a small box turned less than about a pixel across its
    # width reads exactly 0 (a 0.3 in box at 1.5 degrees), and when most do, a row of them,
    # middle to middle, shows the turn. Under half a degree the outlines still go straight:
    # drawn so little turned, a line steps a row mid-box, and the layout lost such lines
    tilt = float(np.median(tilts))
    if tilt == 0.0:
        tilt = row_tilt(insides) or 0.0
        tilt = tilt if abs(tilt) >= 0.5 else 0.0
    boxes, between = square_to(insides, tilt, shared)
    return boxes + rects, between


def like_a_row(maybe: list[np.ndarray], insides: list[np.ndarray]) -> list[np.ndarray]:
    """The hulls of `maybe` like a box found whole beside them (like_beside), or like one
    so taken, and so on: a turned row's boxes drift off the level of a box found whole far
    along it (third 1753 p9, turned 1.5 degrees: its first three boxes, parted by the
    fainter look, lay 9-18 px off the level of the row's only box found whole, 330 px on,
    and were lost, their digits read as free handwriting)."""
    taken: list[np.ndarray] = []
    while True:
        more = [hull for hull in maybe if not any(hull is t for t in taken) and any(like_beside(hull, whole) for whole in insides + taken)]
        if not more:
            return taken
        taken += more


def missing_from_rows(insides: list[np.ndarray], shade: np.ndarray, clear: np.ndarray, config: LayoutConfig) -> list[np.ndarray]:
    """The insides of boxes a row of alike boxes lacks, each one step from two found: its
    white ran out through the tint where a digit written low crossed its line (variants
    1491 p12), or its hole was missed in a dithered fax's textured paper (fax 1504 p0), and
    the tint round it was made paper with its printed lines: the box was lost, its digit
    too. Where the tint's shade (`shade`, less a digit's soft edges) is hardly inside it and
    white or strokes fill half of it (as white_inside asks), it is a box: its neighbour's
    inside moved there. A gap in a tinted band holds its shade. Boxes only, near square: a
    table's cells in a dithered fax's textured paper are no row of boxes (fax 1314 p14)."""
    added = []
    for a in (a for a in insides if max(np.ptp(a, axis=0)) <= 1.6 * min(np.ptp(a, axis=0))):
        row = sorted((h for h in insides if like_beside(h, a) and like_beside(a, h)), key=lambda h: h[:, 0].mean())
        xs = [h[:, 0].mean() for h in row]
        k = next(k for k, h in enumerate(row) if h is a)
        if k + 1 == len(row):
            continue
        steps = ([xs[k] - xs[k - 1]] if k > 0 else []) + ([xs[k + 2] - xs[k + 1]] if k + 2 < len(row) else [])
        if not any(abs(xs[k + 1] - xs[k] - 2 * step) <= 0.1 * step for step in steps):
            continue
        hull = a + (row[k + 1].mean(axis=0) - a.mean(axis=0)) / 2
        x, y, w, h = cv2.boundingRect(np.round(hull).astype(np.int32))
        if x < 0 or y < 0:
            continue
        box = cv2.fillConvexPoly(np.zeros((h, w), np.uint8), np.round(hull - [x, y]).astype(np.int32), 255)
        within = cv2.erode(box, np.ones((5, 5), np.uint8))
        if cv2.countNonZero(within & shade[y : y + h, x : x + w]) <= config.tint_in_box * cv2.countNonZero(within) \
                and cv2.countNonZero(box & clear[y : y + h, x : x + w]) >= 0.5 * cv2.countNonZero(box):
            added.append(hull)
    return added


def tilt_of(hull: np.ndarray) -> float:
    """A box's tilt in degrees from its inside's hull, whichever side OpenCV measured from."""
    return (cv2.minAreaRect(hull.astype(np.float32))[2] + 45) % 90 - 45


def with_faint_holes(holes: list, ratio: np.ndarray, tint: np.ndarray, lo: float, hi: float,
                     config: LayoutConfig) -> tuple[list, list, list]:
    """(`holes`, (contour, added) pairs, less any that gives way; the contours of holes a
    fainter look at the tint finds; those of holes that part a frame's inside). A tint
    barely darker than paper (a pale yellow, 0.95 of it) on a page lit unevenly is broken
    in places at tint_lightest: three boxes' white ran into one another and out through the
    band's edge to the paper, their digits read as free handwriting (lit 1227 p9), or two
    boxes' white ran into one hole, taken for one box.
    Within each band's span the tint is looked at again up to tint_faintest: the holes found
    only so, and those side by side that part a hole found before (which gives way to them),
    are boxes where they are near square and like a box found whole beside them (tinted_holes).
    A tinted frame round a comb whose dividers are all faint (third 1303 p9, 150 dpi: 3 px of
    tint 0.96 after the blur) is one hole too long for a box: the faint holes that part it
    are boxes where three or more alike stand side by side (nine boxes' digits were read as
    free handwriting)."""
    faint = cv2.morphologyEx(shades_up_to(ratio, config.tint_faintest, config), cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    faint = cv2.bitwise_and(faint, bands_spans(tint))  # (paper darkened by uneven light beside a band is no part of it)
    # (a digit's box, near square: the cells of a table of printed numbers on paper shaded by
    # uneven light are alike too, and were read as strings)
    fainter = [(hole, r) for hole, r in ((hole, Rect(*cv2.boundingRect(hole))) for hole in holes_in(faint))
               if min(r.w, r.h) >= lo and max(r.w, r.h) <= 1.6 * min(r.w, r.h)]
    kept, parting, frame = [], [], []
    for hole, added in holes:
        r = Rect(*cv2.boundingRect(hole))
        parts = [(part, p) for part, p in fainter if r.x - 1 <= p.x and p.x + p.w <= r.x + r.w + 1 and r.y - 1 <= p.y and p.y + p.h <= r.y + r.h + 1]
        # (side by side: a hole's holes, one within another, part nothing; each about as tall
        # as the hole, as boxes run into one are: a box's white made faint in places by the
        # light falling off breaks into bits a third of it, and the box was lost, lit 1467 p9)
        if len(parts) >= 2 and max(r.w, r.h) <= hi and all(apart(p, q) for (_, p), (_, q) in combinations(parts, 2)) \
                and all(min(p.w, p.h) >= PART_OF_HOLE * min(r.w, r.h) for _, p in parts):
            parting += [part for part, _ in parts]
            continue
        # a frame's inside is its boxes and the strips between them (a page lit unevenly, read
        # as one tint, holds a title's letters' spaces alike side by side); a turned row's
        # rectangles round its boxes share a pixel or two
        side_by_side = len(parts) >= 2 and all(share_little(p, q) for (_, p), (_, q) in combinations(parts, 2))
        filled = max(r.w, r.h) > hi and side_by_side and sum(cv2.contourArea(part) for part, _ in parts) >= FRAME_FILLED * cv2.contourArea(hole)
        if filled and not any(part is other for part, _ in parts for other in frame):  # (once: the hole may come again, added)
            frame += [part for part, _ in parts]
        kept.append((hole, added))  # (a frame's inside, no box itself, stays)
    found = [r for r in (Rect(*cv2.boundingRect(hole)) for hole, _ in kept) if max(r.w, r.h) <= hi]
    # (a box's white beside a box found, the tint between them a pixel or two, may share a row of pixels with it)
    new = [hole for hole, r in fainter if all(share_little(r, f) for f in found) and not in_shaded_paper(r, ratio)]
    return kept, parting + [hole for hole in new if not any(hole is part for part in parting + frame)], frame


FRAME_FILLED = 0.7  # of a frame's inside, its boxes' holes fill this share at least
PART_OF_HOLE = 0.6  # a box's white parting a hole is at least this share of the hole's breadth
SHADE_STEP = 3  # levels (of 255) a band's tint lies below the paper beyond it at least


def in_shaded_paper(r: Rect, ratio: np.ndarray) -> bool:
    """Whether the shade just above and just below a hole the fainter look found is no
    darker than the page a box's height beyond it, both ways (SHADE_STEP): a lighter patch
    in paper that uneven light shaded beyond a band's end, no box of a band, whose tint
    stands darker than the paper round it (lit 1384 p4, 1389 p9: a blank box invented
    before a tinted row's first)."""
    x = slice(max(0, r.x), r.x + r.w)
    margin = max(2, int(0.15 * r.h))
    def level(y0: float, y1: float) -> float | None:
        rows = ratio[max(0, int(y0)) : max(0, int(y1)), x]
        return float(np.median(rows)) if rows.size else None
    steps = []
    for near, far in (((r.y - margin, r.y), (r.y - 2 * r.h, r.y - r.h)), ((r.y + r.h, r.y + r.h + margin), (r.y + 2 * r.h, r.y + 3 * r.h))):
        a, b = level(*near), level(*far)
        if a is None or b is None:
            return False
        steps.append(b - a)
    return max(steps) < SHADE_STEP


def share_little(r: Rect, o: Rect) -> bool:
    """Whether two rectangles share a fifth of the smaller one's area at most: side by side
    (a row of pixels or two in common), not one within the other."""
    return overlap(r, o) <= 0.2 * min(r.w * r.h, o.w * o.h)


def bands_spans(tint: np.ndarray) -> np.ndarray:
    """A mask of the rotated rectangle round each part of the tint mask, run on at both
    ends by its breadth: a band in a shadow along the page's side, its tint paler there,
    ended at tint_lightest a box short (lit 1327 p5: each row's first box lost, its digit
    read as free handwriting)."""
    contours, _ = cv2.findContours(tint, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    spans = np.zeros_like(tint)
    for c in contours:
        centre, (w, h), angle = cv2.minAreaRect(c)
        longer = (w + 2 * h, h) if w >= h else (w, h + 2 * w)
        cv2.fillConvexPoly(spans, np.round(cv2.boxPoints((centre, longer, angle))).astype(np.int32), 255)
    return spans


def white_inside(contour: np.ndarray, shade, white, clear, lo: float, hi: float, config: LayoutConfig,
                 strokes: np.ndarray | None = None, longest: float = 0) -> np.ndarray | None:
    """The convex hull (page points, float) of the white inside a hole of the tint where
    it is a box's (tinted_holes), else None; `strokes`: ink taken as the hole's own too;
    `longest`: a field's inside, a box's height and up to this long, is one too."""
    x, y, w, h = cv2.boundingRect(contour)
    if min(w, h) < lo or not (max(w, h) <= hi or is_field_long(Rect(x, y, w, h), hi, longest)):
        return None
    hole = np.zeros((h + 2, w + 2), np.uint8)
    cv2.drawContours(hole, [contour], -1, 255, -1, offset=(1 - x, 1 - y))
    if strokes is not None:
        hole[1:-1, 1:-1] |= strokes[y : y + h, x : x + w]
    k = max(3, min(w, h) // 5)
    hole = cv2.morphologyEx(hole, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    outer, _ = cv2.findContours(hole, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not outer:
        return None
    _, (rw, rh), _ = cv2.minAreaRect(max(outer, key=cv2.contourArea))
    # (a box whose strokes fill a bite, beside one found whole, may be a little less box-like:
    # a bold 5 blotted over a dithered fax's box, a 6's soft edge in the next one's corner,
    # and both boxes' lines were made paper with the tint, the 5 lost without a word: fax 1654 p6)
    bitten = strokes is not None
    if min(rw, rh) < lo or cv2.countNonZero(hole) < (config.tint_bitten_fill if bitten else config.tint_box_fill) * rw * rh:
        hole = within_printed_lines(hole, np.pad(white[y : y + h, x : x + w], 1), np.pad(clear[y : y + h, x : x + w], 1), lo, config)
        if hole is None:
            return None
        _, (rw, rh), _ = cv2.minAreaRect(cv2.findNonZero(hole))
    within = cv2.erode(hole, np.ones((5, 5), np.uint8))  # clear of the edge, where tint and white mix
    if cv2.countNonZero(within & np.pad(shade[y : y + h, x : x + w], 1)) > config.tint_in_box * cv2.countNonZero(within):
        return None
    # white, or a digit's strokes, over half of it, and a quarter white at least (on a
    # dithered fax, made grey again, a digit's blurred strokes cover up to 70% of its
    # box; in a shadow, paper as dark as ink is no box's white)
    if cv2.countNonZero(hole & np.pad(clear[y : y + h, x : x + w], 1)) < 0.5 * rw * rh:
        return None
    # the box's own white, within it: the rectangle a digit's strokes only cross
    hole &= np.pad(white[y : y + h, x : x + w], 1)  # (the opening may leave the pad's edge set)
    inside = cv2.findNonZero(hole)
    if inside is None or len(inside) < (config.tint_bitten_white if bitten else 0.25) * rw * rh:
        return None
    return (cv2.convexHull(inside) + np.int32([x - 1, y - 1])).reshape(-1, 2).astype(np.float64)


def longer_than(hull: np.ndarray, hi: float) -> bool:
    """Whether a hull (page points) runs longer than `hi` either way: a field's inside."""
    return bool(max(np.ptp(hull, axis=0)) > hi)


def is_field_long(r: Rect, hi: float, longest: float) -> bool:
    """Whether a hole is a box's height (at most `hi`) and longer, up to `longest`: a comb's
    or a string box's inside, lying along the page."""
    return r.h <= hi < r.w <= longest


def within_printed_lines(hole: np.ndarray, white: np.ndarray, clear: np.ndarray, lo: float, config: LayoutConfig) -> np.ndarray | None:
    """A hole whose edge is no box's shape may still hold one, inside thin printed lines
    (third 1213 p0, turned 1.7 degrees: each line's soft edge as light as the tint, so the
    tint bit into the hole along it, and the hole ran out into the band's narrow margin,
    filling 80% of its rectangle; eight boxes lost, their digits dropped as a row of too
    few digits): the convex hull of the white in it, where that is a box's size and white
    or a digit's strokes (`clear`) fill it. Returns the hull as a mask like `hole`, or None."""
    white = cv2.morphologyEx(hole & white, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))  # (specks of a tint near paper's brightness)
    points = cv2.findNonZero(white)
    if points is None:
        return None
    _, (rw, rh), _ = cv2.minAreaRect(points)
    inside = cv2.fillConvexPoly(np.zeros_like(hole), cv2.convexHull(points), 255)
    if min(rw, rh) < lo or cv2.countNonZero(inside & clear) < config.tint_box_fill * rw * rh:
        return None
    return inside


def like_beside(hull: np.ndarray, whole: np.ndarray) -> bool:
    """Whether a box's inside (a hull) is level with another's, as tall within 15% and at
    most 15% wider (a digit's bite may narrow it): the next box of a row."""
    (x0, y0), (x1, y1) = hull.min(axis=0), hull.max(axis=0)
    (a0, b0), (a1, b1) = whole.min(axis=0), whole.max(axis=0)
    h, w = b1 - b0, a1 - a0
    return abs((y0 + y1) / 2 - (b0 + b1) / 2) <= 0.2 * h and abs((y1 - y0) - h) <= 0.15 * h and x1 - x0 <= 1.15 * w


def holes_in(tint: np.ndarray) -> list[np.ndarray]:
    """The contours of the holes in the tint mask."""
    contours, hierarchy = cv2.findContours(tint, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    return [] if hierarchy is None else [c for c, (_, _, _, parent) in zip(contours, hierarchy[0]) if parent >= 0]


def parted_by_lines(hole: np.ndarray, ink: np.ndarray, lo: float) -> list[np.ndarray]:
    """The contour of a hole in the tint, or where straight lines of `ink` (a box's side
    long, `lo`) part it into two pieces or more, the pieces' contours. The tint between
    two boxes' printed sides, a few pixels wide, is lost with the ink beside it: their holes
    ran into one, and a row of such boxes was one hole too wide for a box."""
    x, y, w, h = cv2.boundingRect(hole)
    region = np.zeros((h + 2, w + 2), np.uint8)
    cv2.drawContours(region, [hole], -1, 255, -1, offset=(1 - x, 1 - y))
    window = np.zeros_like(region)
    window[1:-1, 1:-1] = ink[y : y + h, x : x + w]
    k = max(3, int(lo))
    lines = cv2.bitwise_or(*(cv2.morphologyEx(window, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel)) for kernel in ((k, 1), (1, k))))
    region &= ~cv2.dilate(lines, np.ones((3, 3), np.uint8))  # (a turned line's straight runs leave a pixel out at the steps)
    parts, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE, offset=(x - 1, y - 1))
    parts = [p for p in parts if min(cv2.boundingRect(p)[2:]) >= lo]
    # lines that cut a part off and leave the rest as wide and tall as the hole are a digit's
    # strokes, not a side between boxes (a bold 7's bar and stem cut its corner off: the box lost)
    whole = any(pw >= 0.9 * w and ph >= 0.9 * h for _, _, pw, ph in map(cv2.boundingRect, parts))
    return parts if len(parts) >= 2 and not whole else [hole]


def row_tilt(insides: list[np.ndarray]) -> float | None:
    """The tilt of the rows the boxes stand in, in degrees as minAreaRect's (the median over
    each box and its nearest neighbour to the right within two box widths, level with it
    within a fifth of that distance), or None when no box has one."""
    # each hull's own middle: the mean of its corners leans to its rounder side
    moments = [cv2.moments(own.astype(np.float32)) for own in insides]
    middles = np.array([(m["m10"] / m["m00"], m["m01"] / m["m00"]) if m["m00"] else (np.nan, np.nan) for m in moments])
    widths = np.array([np.ptp(own[:, 0]) for own in insides])
    angles = []
    for (x, y), w in zip(middles, widths):
        dx, dy = middles[:, 0] - x, middles[:, 1] - y
        right = np.flatnonzero((dx > 0.5 * w) & (dx < 2 * w) & (np.abs(dy) < 0.2 * dx))
        if len(right):
            k = right[np.argmin(dx[right])]
            angles.append(np.degrees(np.arctan2(dy[k], dx[k])))
    return float(np.median(angles)) if angles else None


def square_to(insides: list[np.ndarray], tilt: float, shared: float) -> tuple[list, list]:
    """Each box's sides as a rectangle at the page's one tilt (every box on a page is turned
    alike; each box's own estimate wavers by a degree, and a row of boxes whose lines do not
    line up is no row to the layout). A side goes a pixel and a half out of the white (whose
    last pixels, half tint, were not taken for white). Boxes less than `shared` pixels apart
    share one side, half way between: two lines so close are one thick line to the layout,
    and what the cut leaves of it reads as a 1. Returns the rectangles, and for each shared
    side the strip between the two whites (to be made paper but for that side)."""
    a = np.deg2rad(tilt)
    turn = np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]])  # page -> the boxes' own axes
    sides = np.array([np.concatenate([own.min(axis=0) - 1.5, own.max(axis=0) + 1.5]) for own in (p @ turn.T for p in insides)])
    between = []
    for axis in (0, 1):  # x0 y0 x1 y1: neighbours side by side, then one above the other
        lo, hi, across_lo, across_hi = (0, 2, 1, 3) if axis == 0 else (1, 3, 0, 2)
        gaps = sides[None, :, lo] - sides[:, None, hi]  # [a, b]: from a's end to b's start
        for a, b in zip(*np.nonzero((gaps >= 0) & (gaps < shared))):
            overlap = min(sides[a, across_hi], sides[b, across_hi]) - max(sides[a, across_lo], sides[b, across_lo])
            if overlap > 0.5 * min(sides[a, across_hi] - sides[a, across_lo], sides[b, across_hi] - sides[b, across_lo]):
                strip = np.zeros(4)
                strip[[lo, hi]] = sides[a, hi] - 1, sides[b, lo] + 1  # the whites' last pixels to the other's first
                strip[[across_lo, across_hi]] = max(sides[a, across_lo], sides[b, across_lo]), min(sides[a, across_hi], sides[b, across_hi])
                between.append(strip)
                sides[a, hi] = sides[b, lo] = (sides[a, hi] + sides[b, lo]) / 2
    return [as_rect(s, turn, tilt) for s in sides], [as_rect(s, turn, tilt) for s in between]


def as_rect(side: np.ndarray, turn: np.ndarray, tilt: float):
    """x0 y0 x1 y1 in the boxes' own axes -> a rotated rectangle on the page."""
    x0, y0, x1, y1 = side
    cx, cy = np.array([(x0 + x1) / 2, (y0 + y1) / 2]) @ turn  # back to the page
    return (cx, cy), (x1 - x0, y1 - y0), tilt
