"""Separate boxes whose lines are too faint or uneven for the pairs of lines in
boxes.py: found from a bottom line and two sides (boxes_on_sides), from two sides of
one height and the line between them (boxes_by_sides), and by growing a row of boxes
over faint neighbours, from a line level with their bottoms or their tops (rest_of_row)."""

from __future__ import annotations

import numpy as np

from .bands import double_checkbox
from .lines import cover, line_at
from .model import Field, Rect, Segment, apart, in_a_row


def boxes_on_sides(bottoms, pieces, vs, fields, px, config) -> list[tuple[Segment, Field]]:
    """Boxes drawn so faintly that their top line broke into short pieces: a line one
    box long with a side rising from each end to the same height, and pieces of line
    along a third of that top at least. Only in rows of two or more, away from the
    fields found already. Returns (bottom line, field) pairs."""
    found = []
    vc, va1 = np.array([v.c for v in vs]), np.array([v.a1 for v in vs])
    pieces = sorted(pieces, key=lambda s: s.c)
    heights = [s.c for s in pieces]
    for b in bottoms:
        tol = b.t + 3
        width = b.a1 - b.a0
        if not px(config.min_box) * 0.55 <= width <= px(config.max_box) * 1.7:
            continue
        ending = np.abs(va1 - b.c) <= tol
        left = [vs[k] for k in np.flatnonzero(ending & (np.abs(vc - b.a0) <= tol))]
        right = [vs[k] for k in np.flatnonzero(ending & (np.abs(vc - b.a1) <= tol))]
        for lv, rv in ((lv, rv) for lv in left for rv in right):
            top = (lv.a0 + rv.a0) / 2
            height = b.c - top
            if abs(lv.a0 - rv.a0) > tol or not px(config.min_box) <= height <= px(config.max_box):
                continue
            if not 0.55 <= width / height <= 1.7:
                continue
            if double_checkbox(pieces, Segment(b.a0, b.a1, top, b.t), b, px, config, heights):
                continue
            if cover(pieces, top, b.a0, b.a1, tol) >= width / 3:
                found.append((b, Rect(b.a0, top, width, height)))
                break
    taken = [f.rect for f in fields]
    found = [(b, r) for b, r in found if all(apart(r, o) for o in taken)]
    rects = [r for _, r in found]
    return [(b, Field("boxes", [r], b.t)) for b, r in found if in_a_row(r, rects)]


def boxes_by_sides(vs, lines, fields, px, config) -> list[Field]:
    """Separate boxes found from their sides, where the top and bottom lines of boxes
    in a row ran together unevenly and no pair of lines is one box's: two straight
    sides of one height, a box's width apart, joined by line along most of the top and
    the bottom between them. Only in rows of two or more (with separate boxes found
    already, too), away from the fields found."""
    taken = [f.rect for f in fields]
    free = lambda v: not any(r.x - 3 <= v.c <= r.x + r.w + 3 and r.y <= (v.a0 + v.a1) / 2 <= r.y + r.h for r in taken)  # noqa: E731
    vs = sorted((v for v in vs if px(config.min_box) <= v.a1 - v.a0 <= px(config.max_box) * 1.2 and free(v)), key=lambda v: v.c)
    lines = sorted(lines, key=lambda s: s.c)
    heights = [s.c for s in lines]
    found = []
    for i, lv in enumerate(vs):
        for j, rv in enumerate(vs[i + 1 :], start=i + 1):
            width = rv.c - lv.c
            if width > px(config.max_box) * 1.7:
                break
            tol = max(lv.t, rv.t) + 3
            if abs(lv.a0 - rv.a0) > tol or abs(lv.a1 - rv.a1) > tol:
                continue
            if any((like_side(v, lv, tol) or cornerless_side(v, lv, tol)) and max(lv.t, rv.t) < min(v.c - lv.c, rv.c - v.c) <= 0.25 * width
                   for v in vs[i + 1 : j]):
                continue  # a side like these stands just inside one: two boxes a little apart (a 1 stands farther in)
            top, bottom = line_at(lines, (lv.a0 + rv.a0) / 2, lv.c, rv.c, tol), line_at(lines, (lv.a1 + rv.a1) / 2, lv.c, rv.c, tol)
            if top is None or bottom is None:
                continue
            if max(lv.t, rv.t, top.t, bottom.t) - min(lv.t, rv.t, top.t, bottom.t) > 2:
                continue  # one pen drew a box's four lines; a digit's strokes differ
            height = bottom.c - top.c
            if double_checkbox(lines, top, bottom, px, config, heights):
                continue
            if px(config.min_box) <= height <= px(config.max_box) and 0.55 <= width / height <= 1.7:
                found.append(Field("boxes", [Rect(lv.c, top.c, width, height)], (top.t + bottom.t) / 2))
    kept: list[Field] = []
    for f in sorted(found, key=lambda f: abs(np.log(f.rect.w / f.rect.h))):  # squarest first: a stroke beside a side is no box
        if all(apart(f.rect, o) for o in taken + [k.rect for k in kept]):
            kept.append(f)
    rects = [f.cells[0] for f in kept]
    row = rects + [c for f in fields if f.kind == "boxes" for c in f.cells]  # beside boxes found already, too
    return [f for f, r in zip(kept, rects) if in_a_row(r, row)]


def like_side(v: Segment, side: Segment, tol: float) -> bool:
    """Whether v runs as far as `side` at both ends and is drawn as thick: another box's side."""
    return abs(v.a0 - side.a0) <= tol and abs(v.a1 - side.a1) <= tol and abs(v.t - side.t) <= 2


def cornerless_side(v: Segment, side: Segment, tol: float) -> bool:
    """Whether v, drawn as thick as `side`, runs as far as it at one end and along most of
    it (0.6): another box's side whose dash at the corner was lost (dashed boxes a few
    pixels apart, lit 1607 p6: two boxes' left sides made one box with the first one's right
    side inside it, read as a 1 and accepted in a blank box)."""
    return abs(v.t - side.t) <= 2 and (abs(v.a0 - side.a0) <= tol or abs(v.a1 - side.a1) <= tol) and v.a1 - v.a0 >= 0.6 * (side.a1 - side.a0)


def rest_of_row(fields, lines, pieces, vs, config) -> list[Field]:
    """Faint boxes beside separate boxes found already: a free line as wide as they are
    (or half as wide, broken off at its far end), level with their bottoms (or their
    tops) and within the field's gap of one, closes a box of their size when a side
    runs from it most of the way to the other edge or line runs along a third of that
    edge at least. (Most of the way: a rounded corner takes a quarter of the box off a
    side's end, and as much off the line's ends, which the box is centred on.)"""
    found: list[Field] = []
    for _ in range(12):  # a row grows a box at a time from the boxes it has
        singles = [f.cells[0] for f in fields + found if f.kind == "boxes"]
        taken = [f.rect for f in fields + found]
        grown = []
        for b in lines:
            width, tol = b.a1 - b.a0, b.t + 3
            for r, below in ((r, below) for r in singles for below in (True, False)):
                # a whole bottom (top), or half of one at least, broken off at its far end
                edge = r.y + r.h if below else r.y
                if abs(edge - b.c) > tol or not 0.5 * r.w <= width <= 1.15 * r.w:
                    continue
                gap = max(b.a0 - (r.x + r.w), r.x - b.a1)
                if not 0 <= gap <= config.group_gap * r.w or nearer_level(lines, b, edge):
                    continue
                whole = abs(width - r.w) <= 0.15 * r.w
                # the line broken off at its far end, or at its near end, or, rounded, centred on the box;
                # where sides stand at the cell's edges, or else line runs along its other edge
                starts = [b.a0] if whole else [b.a0 if b.a0 > r.x else b.a1 - r.w, b.a1 - r.w if b.a0 > r.x else b.a0, b.a0 - (r.w - width) / 2]
                cells = [Rect(x0, b.c - r.h if below else b.c, width if whole else r.w, r.h) for x0 in starts]
                evidence = [closed(c, b, below, r.h, tol, vs, pieces) for c in cells]
                if not whole:  # (broken off at both ends: rounded corners, a digit across it) a cell placed
                    # on a side found near the line wins with a side at each edge, where none above has both
                    for c in (Rect(x0, cells[0].y, r.w, r.h) for x0 in side_starts(vs, b, r.w, tol)):
                        if (e := closed(c, b, below, r.h, tol, vs, pieces))[0] >= 4 and all(v[0] < 4 for v in evidence):
                            cells.append(c)
                            evidence.append(e)
                best = max(range(len(cells)), key=lambda k: evidence[k])  # (the first of equals)
                cell = cells[best]
                if evidence[best][0] > 0 and all(apart(cell, o) for o in taken + [g.cells[0] for g in grown]):
                    grown.append(Field("boxes", [cell], b.t))
                    break
        for f in (f for f in fields + found if f.kind == "boxes"):
            for cell, line in sides_beside(f.cells[0], f.line, vs, taken, config):
                if all(apart(cell, o) for o in taken + [g.cells[0] for g in grown]):
                    grown.append(Field("boxes", [cell], line))
        if not grown:
            break
        found += grown
    return found


def nearer_level(lines, b: Segment, edge: float) -> bool:
    """Whether another of `lines` runs along half of b at least, nearer the row's `edge` than
    b: that is the box's line, b a digit's stroke along it (turned 1485 p14: a 0's bold foot
    7 px above its box's bottom, its sides taken for the box's, set the box a third of a
    box aside; the 0, cut in two, read as a 6)."""
    return any(o is not b and abs(edge - o.c) < abs(edge - b.c) and min(o.a1, b.a1) - max(o.a0, b.a0) >= 0.5 * (b.a1 - b.a0) for o in lines)


def side_starts(vs, line: Segment, width: float, tol: float) -> list[float]:
    """Where a cell `width` wide holding `line` starts if a side found near it is its left
    side, or its right one."""
    return [x for v in vs for x in (v.c, v.c - width) if x - tol <= line.a0 and line.a1 <= x + width + tol]


def sides_beside(r: Rect, line: float, vs, taken, config) -> list[tuple[Rect, float]]:
    """(box, its sides' thickness) for each box of r's size beside it, within the field's
    gap, whose lines are too faint to be found at all (a light grey 1 px line at 300 dpi,
    shrunk) but whose two sides are: each from r's top to its bottom, as far apart as r is
    wide, neither a side of a box `taken` already (the gap between two boxes as wide as one
    is no box). A digit's strokes are seldom so tall, so straight, and so placed, both.
    A faded side broken into dots stands where its pieces in one column run along 85% of
    r's height (a faded box's side fell 6 px short of its bottom, the next broke in two,
    and two boxes of a row were read as free handwriting). Sides of a box with well-rounded
    corners stop short by up to a quarter of r at each end, both alike: such a pair stands
    too (rounded light boxes lost two of a row, one holding a 1 read nowhere), where they
    are drawn with the row's pen: within 2 px as thick as r's own sides (where those are too
    thick to be among `vs`, as its lines, `line`). A 1 and an 8's stem stopped short alike
    made a box over the gap between two bold boxes, which were then lost with their 1 and
    8. (Not asked of sides standing from r's top to its bottom: a dithered fax's sides vary
    from 1 px to 5; nor measured on r's lines where its sides are seen: a tinted box's
    lines, in pieces, are thinner.)"""
    tol = max(3.0, 0.1 * r.h)
    owned = [x for o in taken if o.y < r.y + r.h and r.y < o.y + o.h for x in (o.x, o.x + o.w)]
    level = [v for v in vs if v.a0 < r.y + r.h and r.y < v.a1]  # only sides level with r can stand beside it
    pens = [v.t for v in level if min(abs(v.c - r.x), abs(v.c - r.x - r.w)) <= tol and v.a1 - v.a0 >= 0.5 * r.h] or [line]
    drawn_alike = lambda v: any(abs(v.t - pen) <= 2 for pen in pens)  # noqa: E731

    def standing(v) -> bool:
        if abs(v.a0 - r.y) <= tol and abs(v.a1 - (r.y + r.h)) <= tol:
            return True
        return cover(level, v.c, r.y, r.y + r.h, 1.5) >= 0.85 * r.h

    def rounded(v) -> bool:
        return v.a1 - v.a0 >= 0.6 * r.h and r.y - tol <= v.a0 <= r.y + 0.25 * r.h and r.y + 0.75 * r.h <= v.a1 <= r.y + r.h + tol

    def pair(a, b) -> bool:  # both standing, or both rounded alike and drawn with the row's pen
        return (standing(a) and standing(b)) or (abs(a.a0 - b.a0) <= tol and abs(a.a1 - b.a1) <= tol and drawn_alike(a) and drawn_alike(b))

    tall = [v for v in level if (standing(v) or rounded(v)) and not any(abs(v.c - x) <= tol for x in owned)]
    found = []
    for left in tall:
        gap = max(left.c - (r.x + r.w), r.x - (left.c + r.w))
        rights = [v for v in tall if abs(v.c - left.c - r.w) <= tol and pair(left, v)]
        if 0 < gap <= config.group_gap * r.w and rights:
            found.append((Rect(left.c, r.y, r.w, r.h), max(left.t, rights[0].t)))
    return found


def closed(cell: Rect, line: Segment, below: bool, height: float, tol: float, vs, pieces) -> tuple[int, float]:
    """How well a box grown from `line` (its bottom when `below`, else its top) is closed:
    two points for each of its edges where a side runs from the line most of the way to
    the other edge (a rounded corner takes up to a quarter of the box off the side's end),
    one when line runs along a third of that other edge at least; and, between boxes as
    well closed, how much of that edge line runs along (a broken bottom under a whole top:
    the box the top closes, not one half over the gap beside it)."""
    x1, other = cell.x + cell.w, cell.y if below else cell.y + cell.h
    corner = max(tol, 0.3 * height)
    sides = [
        v.c for v in vs
        if abs((v.a1 if below else v.a0) - line.c) <= corner and (v.a0 <= other + corner if below else v.a1 >= other - corner)
        and v.a1 - v.a0 >= 0.5 * height
    ]
    edges = sum(any(abs(x - edge) <= tol for x in sides) for edge in (cell.x, x1))
    along = cover(pieces, other, cell.x, x1, tol)
    return 2 * edges + int(along >= cell.w / 3), round(along / cell.w, 2)
