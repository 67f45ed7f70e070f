"""Fields from a pair of lines with sides between them (band_fields; the pairs come from
bands.py): one cell of box proportions is a separate box, several equal cells a comb,
one wide cell a string box. Separate boxes are grouped in rows after (box_rows.py);
string boxes so faint that no side is seen are found from their two lines
(faint_string_boxes). A box is measured by its outside where its lines are bold and
long (bands.outside_height)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .combs import comb_dividers, dividers_line_to_line, dividers_under_ink, ink_through, on_a_line, whole_cells
from .short_dividers import short_dividers
from .lines import cover
from .model import Field, Rect, Segment


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
        parts = np.split(np.asarray(xs), [k + 1 for k in apart])
        for part in parts:
            # the lines over this part only: where the band's lines end is no side of it (a
            # part's grid was sought to the band's end and made cells over the next boxes)
            part_top, part_bottom = (replace(s, a0=max(s.a0, part[0]), a1=min(s.a1, part[-1])) for s in (top, bottom))
            found = []
            for f in band_fields(part_top, part_bottom, list(part), line, binary, config) if len(part) >= 2 else []:
                found += [Field("boxes", [c], f.line) for c in f.cells] if f.kind == "comb" else [f]
            boxes = row_boxes_in_part(part, parts, line + 2, height)
            if boxes and (len(found) != len(boxes) or any(f.kind != "boxes" for f in found)):
                # as many boxes of the row's width as the part holds: the strokes between them are digits'
                found = [Field("boxes", [cell_between(top, bottom, a, b)], line) for a, b in boxes]
            fields += found
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
                    for x in [*xs[1:-1], *(s for s in sides if xs[0] + 2 < s < xs[-1] - 2)])
            and not divider_on_paper(xs, sides, top, bottom, binary)):
        return [Field("comb", cells, line)]
    if (xs[-1] - xs[0]) / height >= config.string_aspect:
        # a closed box whose strokes from line to line make no comb (a light comb's broken
        # ticks hidden by bold digits that touch its lines): read as one string, not lost
        return [Field("string", [cell_between(top, bottom, xs[0], xs[-1])], line)]
    return []


def row_boxes_in_part(part: np.ndarray, parts: list[np.ndarray], tol: float, height: float) -> list[tuple[float, float]]:
    """The (left, right) of each box in a part of a row of boxes standing apart that is as
    wide as two of the row's boxes or more with the row's gaps between them (the median
    width of its parts that are one box, two at least, and of the gaps between parts),
    where at each gap inside it one of its two sides was seen; else empty. A dashed box's
    right side went unseen where a bold 0 stood against it, the gap to the next box was no
    paper, and the two boxes' part was cut at the 0's side and the next box's 4's stem:
    three cells for two, a 0 and a 4 cut across (third 1302 p22). Where no two parts are
    one box, the row's box width is one of box proportions (to `height`) that every part
    holds a whole number of, with the row's gaps (part_box_widths): a dithered fax's
    rounded boxes, paper seen in two of their gaps of seven, made parts of four, two and
    two boxes, each cut as a comb at a third less than the boxes' step, a blank box's
    side read as a sure 1 (fax 1394 p0)."""
    if len(part) <= 2 or len(parts) < 2:
        return []
    singles = [p[-1] - p[0] for p in parts if len(p) == 2]
    g = float(np.median([b[0] - a[-1] for a, b in zip(parts, parts[1:])]))
    widths = [float(np.median(singles))] if len(singles) >= 2 else part_box_widths(parts, g, height)
    for w in widths:
        if boxes := boxes_at_step(part, w, g, tol):
            return boxes
    return []


def part_box_widths(parts: list[np.ndarray], g: float, height: float) -> list[float]:
    """The box widths of box proportions (0.55 to 1.7 of `height`) that make every part a
    whole number of boxes with gaps `g` between (within a tenth of a box), widest first:
    each from a count of boxes in the narrowest part, fitted to all parts."""
    out = []
    spans = np.array([p[-1] - p[0] for p in parts], float)
    for k in range(1, int((spans.min() + g) / (0.55 * height + g)) + 1):
        n = np.maximum(1, np.round((spans + g) / ((spans.min() - (k - 1) * g) / k + g)))
        w = float((spans - (n - 1) * g).sum() / n.sum())
        if 0.55 * height <= w <= 1.7 * height and np.all(np.abs(spans - (n * w + (n - 1) * g)) <= 0.1 * w):
            out.append(w)
    return out


def boxes_at_step(part: np.ndarray, w: float, g: float, tol: float) -> list[tuple[float, float]]:
    """The boxes `w` wide, `g` apart, that make up `part` (two at least), where at each
    gap inside it one of its two sides was seen (within `tol`); else empty."""
    span = part[-1] - part[0]
    k = round((span + g) / (w + g))
    if k < 2 or abs(span - (k * w + (k - 1) * g)) > 0.1 * w:
        return []
    # each box's sides where a side was seen near its place, else where the row's step puts them
    seen = lambda x: bool((np.abs(part - x) <= tol).any())  # noqa: E731
    side = lambda x: float(part[np.abs(part - x).argmin()]) if seen(x) else x  # noqa: E731
    rights = [part[0] + i * (w + g) + w for i in range(k - 1)]
    if not all(seen(x) or seen(x + g) for x in rights):
        return []
    return list(zip([part[0], *(side(x + g) for x in rights)], [*(side(x) for x in rights), part[-1]]))


def divider_on_paper(xs: list[float], seen: list[float], top, bottom, binary) -> bool:
    """Whether a grid put a divider where no stroke was seen and paper lies from line to
    line, while none of the strokes seen between the sides runs from line to line: no
    printed divider is hidden under paper, and the strokes were a string's digits. On a
    dithered fax at 150 dpi, a string box's 3 and 6 touched both lines once made grey
    again, a comb's grid was fitted to them with a third divider in a blank, and 73067
    was read as 707 in four boxes, accepted (fax 1314 p0)."""
    height = bottom.c - top.c
    invented = [x for x in xs[1:-1] if min(abs(x - s) for s in seen) > 0.1 * height]
    return bool(invented) and all(ink_through(top, bottom, binary, x, reach=2) < 0.1 for x in invented) \
        and all(ink_through(top, bottom, binary, x, reach=1) < 0.97 for x in seen[1:-1])


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
