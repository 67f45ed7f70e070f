"""Page image -> digit fields and their boxes (OpenCV).

The page is normalised for uneven light, deskewed from its long horizontal
lines, and reduced to horizontal and vertical line segments. Pairs of
horizontal lines with vertical lines between them are boxes: one cell alone
(separate boxes, grouped into a field), several equal cells (a comb), or one
wide cell (a box holding a digit string). A baseline with short regular ticks
rising from it is a tick comb. Rows stacked on each other are a table, and
boxes too small (checkboxes) or too tall (signature boxes, frames) are ignored.

All lengths are in inches in LayoutConfig and turned into pixels per page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import cv2
import numpy as np

TICK_CELL_ASPECT = 1.25  # tick combs have no top line: their cells are taken this tall per width


@dataclass(frozen=True)
class LayoutConfig:
    work_dpi: float = 150.0  # layout runs at this resolution at most: faster, same boxes
    paper_share: float = 0.9  # darker than this share of the local paper is ink or line
    min_box: float = 0.2  # smallest digit box side, inches (checkboxes are smaller)
    max_box: float = 0.62  # tallest digit box, inches (signature boxes are taller)
    line_kernel: float = 0.12  # shortest horizontal line piece, inches
    vertical_kernel: float = 0.06  # shortest vertical line piece (comb ticks are short)
    max_line: float = 0.04  # thickest box line, inches
    line_gap: float = 0.08  # widest gap in a faint line (underlines, tick baselines, string boxes), inches
    line_end: float = 0.06  # how far the ends of a box's top and bottom lines may differ, inches
    max_skew_deg: float = 6.0
    min_tick_baseline: float = 0.8  # shortest tick-comb baseline, inches
    max_tick: float = 0.5  # ticks rise at most this share of the cell height
    tick_cell_aspect: float = TICK_CELL_ASPECT  # tick combs have no top: cells are this tall per width
    string_aspect: float = 1.8  # one cell wider than this many heights holds a digit string
    group_gap: float = 1.2  # separate boxes closer than this many box widths form one field
    min_underline: float = 0.8  # an underlined field's line is this long at least, inches
    max_underline: float = 6.0  # and at most (a page frame is longer)
    min_digit_height: float = 0.15  # handwriting on an underline is this tall (printed text is smaller)


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float

    def scaled(self, k: float) -> "Rect":
        return Rect(self.x * k, self.y * k, self.w * k, self.h * k)


@dataclass
class Field:
    kind: str  # boxes, comb, ticks, string, underline
    cells: list[Rect]  # in deskewed page pixels; a string field has one cell, its inside
    line: float = 1.0  # box line thickness, pixels

    @property
    def rect(self) -> Rect:
        x0 = min(c.x for c in self.cells)
        y0 = min(c.y for c in self.cells)
        x1 = max(c.x + c.w for c in self.cells)
        y1 = max(c.y + c.h for c in self.cells)
        return Rect(x0, y0, x1 - x0, y1 - y0)


@dataclass
class Layout:
    angle: float  # degrees the page was turned to deskew it
    to_deskewed: np.ndarray  # 2x3: original page pixels -> deskewed page pixels
    fields: list[Field] = field(default_factory=list)

    @cached_property
    def to_page(self) -> np.ndarray:
        """2x3: deskewed page pixels -> original page pixels (inverted once per page)."""
        return cv2.invertAffineTransform(self.to_deskewed)

    def to_original(self, rect: Rect) -> tuple[int, int, int, int]:
        """A deskewed rectangle as (x, y, w, h) in the pixels of the page as read."""
        return rect_moved(self.to_page, rect)


def rect_moved(matrix: np.ndarray, rect: Rect) -> tuple[int, int, int, int]:
    """The bounding (x, y, w, h) of `rect` moved by a 2x3 affine `matrix`."""
    corners = np.array([[rect.x, rect.y, 1], [rect.x + rect.w, rect.y, 1], [rect.x, rect.y + rect.h, 1], [rect.x + rect.w, rect.y + rect.h, 1]])
    moved = corners @ matrix.T
    x0, y0 = moved.min(axis=0)
    x1, y1 = moved.max(axis=0)
    return int(round(x0)), int(round(y0)), int(round(x1 - x0)), int(round(y1 - y0))


@dataclass
class _Segment:
    a0: float  # start along the line
    a1: float  # end along the line
    c: float  # position across the line
    t: float  # thickness


def components(mask: np.ndarray):
    """8-connected components with stats and centroids. OpenCV's default algorithm took
    about 16 ms on a 150 dpi page here, the block-based Grana one 6 ms, same result."""
    return cv2.connectedComponentsWithStatsWithAlgorithm(mask, 8, cv2.CV_32S, cv2.CCL_GRANA)


def estimate_dpi(gray: np.ndarray, dpi: float | None) -> float:
    """The file's dpi when it is plausible, else from the page width (A4 or Letter)."""
    if dpi and 70 <= dpi <= 1200:
        return float(dpi)
    return gray.shape[1] / 8.4


def _shrink_keeping_lines(gray: np.ndarray, scale: float) -> np.ndarray:
    """Downscale with a min filter first, so thin light lines stay as dark as they were."""
    if scale >= 1:
        return gray
    k = int(np.ceil(1 / scale))
    darkest = cv2.erode(gray, np.ones((k, k), np.uint8))
    return cv2.resize(darkest, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)


def normalise_background(gray: np.ndarray, dpi: float) -> np.ndarray:
    """Divide by the local paper brightness (a max filter wider than any stroke)."""
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    k = max(3, int(dpi * 0.25 * 0.12) | 1)
    paper = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    paper = cv2.GaussianBlur(paper, (0, 0), k)
    paper = cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, np.maximum(paper, 1), scale=255)


def find_skew(binary: np.ndarray, dpi: float, config: LayoutConfig) -> float:
    """Degrees to rotate by so that long lines become horizontal (0 when none are found)."""
    runs = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(5, int(dpi * 0.06)), 1)))
    count, labels, stats, _ = components(runs)
    angles, weights = [], []
    for i in range(1, count):
        x, y, w, h, area = stats[i]
        if w < dpi or w < 8 * h:
            continue
        ys, xs = np.nonzero(labels[y : y + h, x : x + w] == i)
        slope = np.polyfit(xs, ys, 1)[0]
        angles.append(np.degrees(np.arctan(slope)))
        weights.append(w)
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cumulative = np.cumsum(np.asarray(weights)[order])
    median = float(np.asarray(angles)[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
    return median if abs(median) <= config.max_skew_deg else 0.0


def _segments(mask: np.ndarray, horizontal: bool, max_thickness: float, min_length: float = 0) -> list[_Segment]:
    """Line pieces of a mask opened along one direction.

    Thickness and position come from the line itself, not from ink touching it:
    the rows (or columns) that run along most of the piece's length. A curved
    stroke has none and is no line; ink hugging a short box side adds none.
    """
    count, labels, stats, _ = components(mask)
    out = []
    for i in range(1, count):
        x, y, w, h, _ = stats[i]
        if (w if horizontal else h) < min_length:
            continue
        own = labels[y : y + h, x : x + w] == i
        a0, length = (x, w) if horizontal else (y, h)
        profile = own.sum(axis=1 if horizontal else 0)  # how much of the length each row/column fills
        core = np.flatnonzero(profile >= 0.6 * length)
        if len(core) > max_thickness:  # ink hugging the line: only what runs (nearly) all along
            core = np.flatnonzero(profile >= 0.9 * length)
        if len(core) == 0 or len(core) > max_thickness:
            continue
        thickness = float(len(core))
        c = (y if horizontal else x) + (core[0] + core[-1]) / 2 + 0.5
        out.append(_Segment(float(a0), float(a0 + length), float(c), thickness))
    return _join_collinear(out)


def _join_collinear(segments: list[_Segment], gap: float = 4.0, offset: float = 2.5) -> list[_Segment]:
    """Join pieces of one broken line (light or faded scans); gaps between boxes are wider."""
    joined: list[_Segment] = []
    rows: dict[int, list[_Segment]] = {}  # joined lines by the row they lie on: only near rows can join
    for s in sorted(segments, key=lambda s: s.a0):
        near = (j for r in range(int(s.c - offset) - 1, int(s.c + offset) + 2) for j in rows.get(r, ()))
        for j in near:
            if abs(j.c - s.c) <= offset and s.a0 - j.a1 <= gap and s.a1 >= j.a0 - gap:
                j.a0, j.a1 = min(j.a0, s.a0), max(j.a1, s.a1)
                break
        else:
            joined.append(_Segment(s.a0, s.a1, s.c, s.t))
            rows.setdefault(int(s.c), []).append(joined[-1])
    return joined


def find_layout(gray: np.ndarray, dpi: float | None = None, config: LayoutConfig | None = None) -> Layout:
    """Find the digit fields on a grey page (paper light, ink dark).

    >>> import numpy as np
    >>> find_layout(np.full((1100, 850), 255, np.uint8)).fields
    []
    """
    config = config or LayoutConfig()
    dpi = estimate_dpi(gray, dpi)
    scale = min(1.0, config.work_dpi / dpi)
    small = _shrink_keeping_lines(gray, scale)
    wdpi = dpi * scale
    norm = normalise_background(small, wdpi)
    binary = np.where(norm < 255 * config.paper_share, 255, 0).astype(np.uint8)

    angle = find_skew(binary, wdpi, config)
    h, w = gray.shape
    to_deskewed = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    if angle:
        turn = cv2.getRotationMatrix2D((binary.shape[1] / 2, binary.shape[0] / 2), angle, 1.0)
        binary = cv2.warpAffine(binary, turn, (binary.shape[1], binary.shape[0]), flags=cv2.INTER_NEAREST, borderValue=0)

    fields = _find_fields(binary, wdpi, config)
    for f in fields:  # back to the page's own resolution
        f.cells = [c.scaled(1 / scale) for c in f.cells]
        f.line /= scale
    return Layout(angle, to_deskewed, fields)


def _find_fields(binary: np.ndarray, dpi: float, config: LayoutConfig) -> list[Field]:
    px = lambda inches: inches * dpi  # noqa: E731
    h_mask = _line_mask(binary, (max(3, int(px(config.line_kernel))), 1))
    v_mask = _line_mask(binary, (1, max(3, int(px(config.vertical_kernel)))))
    max_t = max(2.0, px(config.max_line))
    pieces = _segments(h_mask, True, max_t, px(config.min_box) * 0.5)
    hs = [s for s in pieces if s.a1 - s.a0 >= px(config.min_box) * 0.8]
    vs = _segments(v_mask, False, max_t)

    bands = _bands(hs, vs, px, config)
    bands += _bands(hs, vs, px, config, "broken", taken=bands)
    whole = len(bands)  # bands before this hold both their lines; joined ones only the shorter
    bands += _bands(hs, vs, px, config, "joined", taken=bands)
    tables = _stacked(bands, hs, config)
    fields = []
    used = set()
    for k, (top, bottom, xs, line) in enumerate(bands):
        # a joined band's longer line may still be a tick comb's baseline or an underline
        used.update((id(top), id(bottom)) if k < whole else (id(min(top, bottom, key=lambda s: s.a1 - s.a0)),))
        if k in tables:
            continue
        found = _band_fields(top, bottom, xs, line, binary, config)
        if k >= whole:  # separate boxes whose lines ran together: each cell is a box of its own
            found = [Field("boxes", [c], f.line) for f in found if f.kind in ("boxes", "comb") for c in f.cells]
        fields += found
    free = [s for s in hs if id(s) not in used]
    faint = _boxes_on_sides(free, pieces, vs, fields, px, config)
    used.update(id(s) for s, _ in faint)
    fields += [f for _, f in faint]
    fields += _boxes_by_sides(vs, pieces, fields, px, config)
    fields += _rest_of_row(fields, [s for s in hs if id(s) not in used], pieces, vs, config)
    used.update(id(s) for s in hs if any(_along(s, f.rect) for f in fields if f.kind == "boxes"))
    fields = _group_separate_boxes(fields, config)
    lines = _faint_lines(pieces, used, px, config)
    fields += _new_only(_faint_string_boxes(_outside(lines, fields), px, config), fields)
    fields += _new_only(_tick_combs(_outside(lines, fields), vs, binary, px, config), fields)
    fields += _new_only(_underlines(_outside(lines, fields), vs, binary, px, config), fields)
    return _reading_order(fields)


def _boxes_on_sides(bottoms, pieces, vs, fields, px, config) -> list[tuple[_Segment, Field]]:
    """Boxes drawn so faintly that their top line broke into short pieces: a line one
    box long with a side rising from each end to the same height, and pieces of line
    along a third of that top at least. Only in rows of two or more, away from the
    fields found already. Returns (bottom line, field) pairs."""
    found = []
    vc, va1 = np.array([v.c for v in vs]), np.array([v.a1 for v in vs])
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
            if _cover(pieces, top, b.a0, b.a1, tol) >= width / 3:
                found.append((b, Rect(b.a0, top, width, height)))
                break
    taken = [f.rect for f in fields]
    found = [(b, r) for b, r in found if all(_apart(r, o) for o in taken)]
    rects = [r for _, r in found]
    return [(b, Field("boxes", [r], b.t)) for b, r in found if _in_a_row(r, rects)]


def _new_only(found: list[Field], fields: list[Field]) -> list[Field]:
    """The found fields, largest first, that lie mostly (half their area) outside the
    fields already there and each other: one line found twice, or in part, is one field."""
    kept: list[Field] = []
    for f in sorted(found, key=lambda f: -f.rect.w * f.rect.h):
        r = f.rect
        shared = (max(0.0, min(r.x + r.w, o.x + o.w) - max(r.x, o.x)) * max(0.0, min(r.y + r.h, o.y + o.h) - max(r.y, o.y)) for o in (g.rect for g in fields + kept))
        if all(area <= 0.5 * r.w * r.h for area in shared):
            kept.append(f)
    return kept


def _faint_string_boxes(lines, px, config) -> list[Field]:
    """String boxes drawn so faint and thin that no side is seen: two thin lines, one
    above the other a box's height apart, that end together and are far wider than
    tall (a table's rows are found, and left out, before this)."""
    fields = []
    ends = px(config.line_end)
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
                fields.append(Field("string", [Rect(x0, top.c, x1 - x0, height)], (top.t + bottom.t) / 2))
                break
    return fields


def _faint_lines(pieces, used, px, config) -> list[_Segment]:
    """Lines not used by any field, with a faint line's pieces joined across wider gaps
    than a box line's; the pieces must cover most of it (the feet of bold digits standing
    in a row are no line)."""
    free = [s for s in pieces if id(s) not in used]
    lines = _join_collinear(free, gap=px(config.line_gap), offset=1.5)
    out = []
    for line in lines:
        cover = sum(p.a1 - p.a0 for p in free if abs(p.c - line.c) <= 1.5 and line.a0 <= p.a0 and p.a1 <= line.a1)
        if cover >= 0.8 * (line.a1 - line.a0):
            out.append(line)
    return out


def _outside(lines, fields) -> list[_Segment]:
    """The lines that lie inside no field (a string box's digits, a tick comb's baseline)."""
    rects = [f.rect for f in fields]
    return [s for s in lines if not any(r.x <= s.a0 and s.a1 <= r.x + r.w and r.y <= s.c <= r.y + r.h for r in rects)]


def _boxes_by_sides(vs, lines, fields, px, config) -> list[Field]:
    """Separate boxes found from their sides, where the top and bottom lines of boxes
    in a row ran together unevenly and no pair of lines is one box's: two straight
    sides of one height, a box's width apart, joined by line along most of the top and
    the bottom between them. Only in rows of two or more, away from the fields found."""
    taken = [f.rect for f in fields]
    free = lambda v: not any(r.x - 3 <= v.c <= r.x + r.w + 3 and r.y <= (v.a0 + v.a1) / 2 <= r.y + r.h for r in taken)  # noqa: E731
    vs = sorted((v for v in vs if px(config.min_box) <= v.a1 - v.a0 <= px(config.max_box) * 1.2 and free(v)), key=lambda v: v.c)
    found = []
    for i, lv in enumerate(vs):
        for rv in vs[i + 1 :]:
            width = rv.c - lv.c
            if width > px(config.max_box) * 1.7:
                break
            tol = max(lv.t, rv.t) + 3
            if abs(lv.a0 - rv.a0) > tol or abs(lv.a1 - rv.a1) > tol:
                continue
            top, bottom = _line_at(lines, (lv.a0 + rv.a0) / 2, lv.c, rv.c, tol), _line_at(lines, (lv.a1 + rv.a1) / 2, lv.c, rv.c, tol)
            if top is None or bottom is None:
                continue
            if max(lv.t, rv.t, top.t, bottom.t) - min(lv.t, rv.t, top.t, bottom.t) > 2:
                continue  # one pen drew a box's four lines; a digit's strokes differ
            height = bottom.c - top.c
            if px(config.min_box) <= height <= px(config.max_box) and 0.55 <= width / height <= 1.7:
                found.append(Field("boxes", [Rect(lv.c, top.c, width, height)], (top.t + bottom.t) / 2))
    kept: list[Field] = []
    for f in sorted(found, key=lambda f: abs(np.log(f.rect.w / f.rect.h))):  # squarest first: a stroke beside a side is no box
        if all(_apart(f.rect, o) for o in taken + [k.rect for k in kept]):
            kept.append(f)
    rects = [f.cells[0] for f in kept]
    return [f for f, r in zip(kept, rects) if _in_a_row(r, rects)]


def _rest_of_row(fields, bottoms, pieces, vs, config) -> list[Field]:
    """Faint boxes beside separate boxes found already: a free line as wide as they are
    (or half as wide, broken off at its far end), level with their bottoms and within
    the field's gap of one, closes a box of their size when a side rises from it or line
    runs along a third of its top at least."""
    found: list[Field] = []
    for _ in range(12):  # a row grows a box at a time from the boxes it has
        singles = [f.cells[0] for f in fields + found if f.kind == "boxes"]
        taken = [f.rect for f in fields + found]
        grown = []
        for b in bottoms:
            width, tol = b.a1 - b.a0, b.t + 3
            for r in singles:
                # a whole bottom, or half of one at least, broken off at its far end
                if abs(r.y + r.h - b.c) > tol or not 0.5 * r.w <= width <= 1.15 * r.w:
                    continue
                gap = max(b.a0 - (r.x + r.w), r.x - b.a1)
                if not 0 <= gap <= config.group_gap * r.w:
                    continue
                whole = abs(width - r.w) <= 0.15 * r.w
                x0 = b.a0 if whole or b.a0 > r.x else b.a1 - r.w
                cell = Rect(x0, b.c - r.h, width if whole else r.w, r.h)
                if not all(_apart(cell, o) for o in taken + [g.cells[0] for g in grown]):
                    continue
                x1 = cell.x + cell.w
                side = any(abs(v.a1 - b.c) <= tol and v.a0 <= cell.y + tol and min(abs(v.c - cell.x), abs(v.c - x1)) <= tol for v in vs)
                if side or _cover(pieces, cell.y, cell.x, x1, tol) >= cell.w / 3:
                    grown.append(Field("boxes", [cell], b.t))
                    break
        if not grown:
            break
        found += grown
    return found


def _in_a_row(r: Rect, others: list[Rect]) -> bool:
    """Another box of about its height stands on the same line."""
    return any(o is not r and abs((o.y + o.h) - (r.y + r.h)) <= 4 and 0.8 <= o.h / r.h <= 1.25 for o in others)


def _cover(lines, y: float, x0: float, x1: float, tol: float) -> float:
    """How much of x0..x1 the lines within `tol` of height y run along."""
    return sum(max(0.0, min(s.a1, x1) - max(s.a0, x0)) for s in lines if abs(s.c - y) <= tol)


def _line_at(lines, y: float, x0: float, x1: float, tol: float) -> _Segment | None:
    """The line running along 80% of x0..x1 near height y, its pieces taken together, or None."""
    if _cover(lines, y, x0, x1, tol) < 0.8 * (x1 - x0):
        return None
    near = [s for s in lines if abs(s.c - y) <= tol and s.a0 < x1 and x0 < s.a1]
    return _Segment(x0, x1, float(np.median([s.c for s in near])), float(np.median([s.t for s in near])))


def _apart(r: Rect, o: Rect) -> bool:
    return r.x + r.w <= o.x or o.x + o.w <= r.x or r.y + r.h <= o.y or o.y + o.h <= r.y


def _along(line: _Segment, r: Rect) -> bool:
    """The line is the top or bottom of the box."""
    return min(abs(line.c - r.y), abs(line.c - r.y - r.h)) <= line.t + 3 and line.a0 < r.x + r.w and r.x < line.a1


def _underlines(hs, vs, binary: np.ndarray, px, config) -> list[Field]:
    """A line with handwriting standing on it and no box: a field holding a digit string.

    Only lines of field length (not a page frame) that no straight line rises from
    (box sides, dividers, ticks: a box the layout missed is no underline), with at
    least two ink shapes of digit height (not printed text) whose feet are near it."""
    fields = []
    for base in hs:
        if not (px(config.min_underline) <= base.a1 - base.a0 <= px(config.max_underline)):
            continue
        tol = base.t + 3
        rising = sum(base.a0 - tol <= v.c <= base.a1 + tol and _reaches(v, base) and v.t <= base.t + 2 for v in vs)
        if rising >= 2:  # box sides come in pairs; one digit's stroke may touch the line
            continue
        top = int(max(0, base.c - px(config.max_box)))
        above = binary[top : int(base.c - base.t / 2 - 1), int(base.a0) : int(base.a1)]
        count, _, stats, _ = components(above)
        height, width = above.shape
        tall = [
            s for s in stats[1:count]
            if s[3] >= px(config.min_digit_height)
            and height - (s[1] + s[3]) <= px(0.2)  # its foot near the line
            and s[1] > 0 and s[0] > 0 and s[0] + s[2] < width  # not the side of something taller or wider
        ]
        if len(tall) < 2:
            continue
        y0 = top + min(s[1] for s in tall) - px(0.04)
        fields.append(Field("underline", [Rect(base.a0, y0, base.a1 - base.a0, base.c - y0)], base.t))
    return fields


def _reaches(v: _Segment, base: _Segment) -> bool:
    """The vertical line runs down into the horizontal one, as a box side or tick does
    (a digit's stroke may end just above it)."""
    return base.c - base.t / 2 - 1.5 <= v.a1 <= base.c + base.t + 3


def _line_mask(binary: np.ndarray, kernel: tuple[int, int]) -> np.ndarray:
    """Straight runs at least `kernel` long; faint dotted lines are closed up first."""
    gaps = (5, 1) if kernel[0] > 1 else (1, 5)
    mask = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, gaps))
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))


def _bands(hs, vs, px, config, mode: str = "strict", taken=()):
    """(top, bottom, divider xs, line thickness) for each pair of lines that encloses boxes.

    "strict": top and bottom of a box end together; a digit's stroke does not. The
    other modes take pairs where they do not, away from the bands `taken` already:
    "joined": boxes so close together that one of their lines ran into the next
    box's. The shorter line, one or two boxes long, lies within the longer, with
    sides at both its ends, and the longer line closes two such boxes at least.
    "broken": one line of a comb faded or broke off. The shorter covers half the
    longer at least, within it, and sides stand at both ends of the longer."""
    bands = []
    hs = sorted(hs, key=lambda s: s.c)
    ends = px(config.line_end)
    for i, top in enumerate(hs):
        for bottom in hs[i + 1 :]:
            height = bottom.c - top.c
            if height < px(config.min_box):
                continue
            if height > px(config.max_box):
                break
            together = abs(top.a0 - bottom.a0) <= ends and abs(top.a1 - bottom.a1) <= ends
            x0, x1 = max(top.a0, bottom.a0), min(top.a1, bottom.a1)
            if mode != "strict":
                short, long = sorted((top, bottom), key=lambda s: s.a1 - s.a0)
                if together or not (long.a0 - ends <= short.a0 and short.a1 <= long.a1 + ends):
                    continue
                if mode == "joined" and not 0.55 <= (x1 - x0) / height <= 3.6:
                    continue
                if mode == "broken":
                    if short.a1 - short.a0 < 0.5 * (long.a1 - long.a0):
                        continue
                    x0, x1 = long.a0, long.a1
                if any(t.c < bottom.c and top.c < b.c and xs[0] < x1 and x0 < xs[-1] for t, b, xs, _ in taken):
                    continue
            elif not together:
                continue
            tol = max(top.t, bottom.t) + 2
            # sides and dividers run into both lines; a digit's stroke that nearly spans the box
            # does not. (At the lines' ends, a faint side may have faded at the corners.)
            slack = lambda v: 0.15 * height if min(abs(v.c - x0), abs(v.c - x1)) <= tol else 3  # noqa: E731
            sides = [
                v for v in vs
                if x0 - tol <= v.c <= x1 + tol and v.a0 <= top.c + top.t / 2 + slack(v) and v.a1 >= bottom.c - bottom.t / 2 - slack(v)
            ]
            # at least two sides end at this bottom line: a digit's stroke across the box is no bottom
            ending = sum(abs(v.a1 - bottom.c) <= tol + 2 for v in sides)
            xs = sorted(v.c for v in sides)
            if mode != "strict" and not (any(abs(x - x0) <= tol + 3 for x in xs) and any(abs(x - x1) <= tol + 3 for x in xs)):
                continue
            if len(xs) >= 2 and ending >= 2:  # the ends of the lines are the box's sides, even where ink hides them
                xs = _merge_close(sorted([*xs, x0, x1]), tol + 3)
                bands.append((top, bottom, xs, (top.t + bottom.t) / 2))
                break  # the nearest bottom line that closes boxes
    if mode == "joined":  # a line runs into the next box's only where boxes stand in a row: two at least
        longer = [id(max(t, b, key=lambda s: s.a1 - s.a0)) for t, b, _, _ in bands]
        bands = [band for band, key in zip(bands, longer) if longer.count(key) >= 2]
    return bands


def _merge_close(xs: list[float], tol: float) -> list[float]:
    merged: list[list[float]] = []
    for x in xs:
        if merged and x - merged[-1][-1] <= tol:
            merged[-1].append(x)
        else:
            merged.append([x])
    return [float(np.mean(m)) for m in merged]


def _stacked(bands, hs, config) -> set[int]:
    """Bands that are rows of a table, not digit fields: they share a line with
    another band, overlap another band, or (when wide) have a long line inside."""
    tops = {id(b[0]): k for k, b in enumerate(bands)}
    out = set()
    for k, (top, bottom, xs, _) in enumerate(bands):
        if id(bottom) in tops:
            out.update((k, tops[id(bottom)]))
        for j, (top2, bottom2, xs2, _) in enumerate(bands[k + 1 :], start=k + 1):
            if top.c < bottom2.c - 2 and top2.c < bottom.c - 2 and xs[0] < xs2[-1] - 2 and xs2[0] < xs[-1] - 2:
                inside = lambda a0, a1, b0, b1: b0 - 3 <= a0 and a1 <= b1 + 3  # noqa: E731
                if inside(top2.c, bottom2.c, top.c, bottom.c) and inside(xs2[0], xs2[-1], xs[0], xs[-1]):
                    out.add(j)  # strokes of a digit that look like a box inside a box
                elif inside(top.c, bottom.c, top2.c, bottom2.c) and inside(xs[0], xs[-1], xs2[0], xs2[-1]):
                    out.add(k)
                else:
                    out.update((k, j))
        width, height = xs[-1] - xs[0], bottom.c - top.c
        if width >= config.string_aspect * height:  # a digit stroke never runs across most of a wide box
            tol = max(top.t, bottom.t) + 2
            if any(top.c + tol < s.c < bottom.c - tol and min(s.a1, xs[-1]) - max(s.a0, xs[0]) >= 0.6 * width for s in hs):
                out.add(k)
    return out


def _band_fields(top, bottom, xs, line, binary, config) -> list[Field]:
    height = bottom.c - top.c
    grid = _even_comb(xs, height)  # strokes between the dividers of a regular comb are left out first
    xs = grid if grid is not xs else _even_comb(_fill_missing_dividers(_drop_stray_dividers(xs, height)), height)
    widths = np.diff(xs)
    if len(xs) > 2 and widths.max() >= config.string_aspect * height:
        xs = _dividers_under_ink(xs, top, bottom, binary) or xs
        widths = np.diff(xs)
    if len(xs) > 2 and widths.max() >= config.string_aspect * height:
        xs = [xs[0], xs[-1]]  # a tall stroke inside a string box is no divider
        widths = np.diff(xs)
    cells = [Rect(x0, top.c, x1 - x0, height) for x0, x1 in zip(xs[:-1], xs[1:])]
    if not cells:
        return []
    if len(cells) == 1:
        aspect = widths[0] / height
        if aspect >= config.string_aspect:
            return [Field("string", cells, line)]
        if 0.55 <= aspect <= 1.7:
            return [Field("boxes", cells, line)]
        return []
    if all(0.45 <= w / height <= 1.7 for w in widths):
        return [Field("comb", cells, line)]
    return []


def _dividers_under_ink(xs: list[float], top: _Segment, bottom: _Segment, binary: np.ndarray) -> list[float]:
    """A comb most of whose dividers are fused with bold digits (too thick to pass for
    lines): the dividers seen lie on a grid of cells of box proportions, and at each of
    the grid's other places ink runs from the top line to the bottom one, as a divider
    does under the ink that hides it. The grid's dividers, or empty when none fits."""
    height = bottom.c - top.c
    span = xs[-1] - xs[0]
    rows = binary[int(top.c + top.t / 2 + 1) : int(bottom.c - bottom.t / 2), :]
    reach = int(max(top.t, bottom.t)) + 1
    for n in range(max(2, int(span / (1.2 * height))), int(span / (0.5 * height)) + 1):
        step = span / n
        k = np.round((np.asarray(xs) - xs[0]) / step)
        if np.any(np.abs(np.asarray(xs) - xs[0] - k * step) > 0.08 * step):
            continue  # a divider seen off this grid
        seen = set(k.astype(int))
        hidden = [xs[0] + j * step for j in range(1, n) if j not in seen]
        if all(rows[:, max(0, int(x) - reach) : int(x) + reach + 1].any(axis=1).mean() >= 0.97 for x in hidden):
            return [xs[0] + j * step for j in range(n + 1)]
    return []


def _drop_stray_dividers(xs: list[float], height: float) -> list[float]:
    """A straight stroke from border to border (a 1) looks like a divider: drop those that
    cut a cell of box proportions into a too narrow one."""
    xs = list(xs)
    typical = float(np.median(np.diff(xs))) if len(xs) >= 4 else None
    k = 1
    while k < len(xs) - 1:
        left, right = xs[k] - xs[k - 1], xs[k + 1] - xs[k]
        too_narrow = min(left, right) < 0.6 * height and left + right <= 1.7 * height
        halves = typical is not None and abs(left + right - typical) < 0.2 * typical and min(left, right) < 0.7 * typical
        if too_narrow or halves:
            del xs[k]
        else:
            k += 1
    return xs


def _fill_missing_dividers(xs: list[float]) -> list[float]:
    """A faded divider, or one hidden under ink, leaves a cell two or three cells wide."""
    widths = np.diff(xs)
    if len(widths) < 3:
        return xs
    typical = float(np.median(widths))
    out = [xs[0]]
    for x0, x1 in zip(xs[:-1], xs[1:]):
        n = round((x1 - x0) / typical)
        if n in (2, 3) and abs((x1 - x0) / n - typical) < 0.15 * typical:
            out += [x0 + (x1 - x0) * k / n for k in range(1, n)]
        out.append(x1)
    return out


def _even_comb(xs: list[float], height: float) -> list[float]:
    """A comb's cells are one width: when a stroke stands in for a divider and the
    dividers beside it are hidden, put the dividers back on the comb's grid. Only
    when the grid runs from the first side to the last."""
    widths = np.diff(xs)
    if len(widths) < 4:
        return xs
    typical = float(np.median(widths))
    if np.all(np.abs(widths - typical) <= 0.12 * typical):
        return xs
    grid = _regular(xs, min_step=0.45 * height)
    if len(grid) > 2 and abs(grid[0] - xs[0]) <= 0.15 * typical and abs(grid[-1] - xs[-1]) <= 0.15 * typical:
        return grid
    return xs


def _group_separate_boxes(fields: list[Field], config: LayoutConfig) -> list[Field]:
    """Separate boxes in one row, of one size and close together, are one field."""
    singles = sorted((f for f in fields if f.kind == "boxes"), key=lambda f: (f.rect.y, f.rect.x))
    others = [f for f in fields if f.kind != "boxes"]
    groups: list[Field] = []
    for f in sorted(singles, key=lambda f: f.rect.x):
        r = f.rect
        for g in groups:
            last = g.cells[-1]
            same_row = abs((last.y + last.h / 2) - (r.y + r.h / 2)) < 0.3 * r.h
            same_size = 0.8 <= r.h / last.h <= 1.25
            close = 0 <= r.x - (last.x + last.w) <= config.group_gap * last.w
            if same_row and same_size and close:
                g.cells.append(r)
                break
        else:
            groups.append(Field("boxes", [r], f.line))
    return others + groups


def _tick_combs(hs, vs, binary: np.ndarray, px, config) -> list[Field]:
    """Baselines with short, evenly spaced ticks rising from them (not printed text)."""
    fields = []
    for base in hs:
        if base.a1 - base.a0 < px(config.min_tick_baseline):
            continue
        tol = base.t + 3
        ticks = sorted(
            v.c for v in vs
            if base.a0 - tol <= v.c <= base.a1 + tol
            and _reaches(v, base)
            and v.a1 - v.a0 <= px(config.max_box) * config.max_tick
        )
        candidates = _merge_close(ticks, tol)
        for grid in _grids(candidates, px(config.min_box) * 0.9):
            ticks = _ticks_on_baseline(grid, candidates, base)
            if ticks and _sits_on(binary, ticks, base) < 0.25:
                cells = []
                for x0, x1 in zip(ticks[:-1], ticks[1:]):
                    height = (x1 - x0) * config.tick_cell_aspect
                    cells.append(Rect(x0, base.c - height, x1 - x0, height))
                if px(config.min_box) <= cells[0].h <= px(config.max_box) * 1.2:
                    fields.append(Field("ticks", cells, base.t))
                break
    return fields


def _sits_on(binary: np.ndarray, ticks: list[float], base: _Segment) -> float:
    """How much of the line between the ticks has ink sitting right on it: the letters of
    a line of text do (its "baseline" is their feet), handwriting in a comb seldom does."""
    rows = binary[max(0, int(base.c - base.t / 2 - 4)) : max(0, int(base.c - base.t / 2 - 1)), int(ticks[0]) : int(ticks[-1])]
    if rows.size == 0:
        return 0.0
    inked = rows.any(axis=0)
    reach = int(base.t) + 3
    for t in ticks:  # the ticks themselves stand on it
        a = int(t - ticks[0])
        inked[max(0, a - reach) : a + reach] = False
    return float(inked.mean())


def _ticks_on_baseline(ticks: list[float], candidates: list[float], base: _Segment) -> list[float]:
    """The tick comb's ticks when `ticks`, a grid fitted to the `candidates`, makes one
    on this baseline; else empty."""
    step = (ticks[-1] - ticks[0]) / (len(ticks) - 1)
    on_grid = sum(min(abs(c - t) for t in ticks) <= 0.15 * step for c in candidates)
    if len(candidates) - on_grid > 0.5 * on_grid:
        return []  # letters standing on a line of text: many stems off any grid
    # ticks hidden under ink at the ends (up to three a side): the baseline runs on by whole cells
    ticks = list(ticks)
    for _ in range(3):
        if 0.7 * step <= ticks[0] - base.a0:
            ticks.insert(0, ticks[0] - step)
        if 0.7 * step <= base.a1 - ticks[-1]:
            ticks.append(ticks[-1] + step)
    if ticks[0] - base.a0 > 0.3 * step or base.a1 - ticks[-1] > 0.3 * step:
        return []  # a comb's baseline ends at its end ticks; a line of text does not
    if on_grid < 0.5 * len(ticks):
        return []  # half the ticks at least must be seen
    return ticks


def _regular(xs: list[float], min_step: float) -> list[float]:
    """Evenly spaced positions fitted to the candidates: dividers hidden under ink are
    put back, strokes that stand off the grid are left out. Empty when no grid fits."""
    return next(_grids(xs, min_step), [])


def _grids(xs: list[float], min_step: float):
    """Grids that fit the candidates, most likely first: one whose step is the median gap
    (most positions seen), then, for when many are hidden, the grid that puts most
    candidates on it with a step of a gap seen twice at least, or half of one."""
    if len(xs) < 3:
        return
    xs_arr = np.asarray(xs, dtype=float)
    gaps = np.diff(xs_arr)
    gaps = gaps[gaps >= min_step]
    if len(gaps) == 0:
        return
    repeated = [float(g) for g in gaps if np.sum(np.abs(gaps - g) <= 0.05 * g) >= 2]  # not a chance gap
    halves = [g / 2 for g in repeated if g / 2 >= min_step]  # every other tick hidden
    for steps in ([float(np.median(gaps))], sorted(set(repeated + halves))):
        grid = _grid(xs_arr, steps)
        if grid:
            yield grid


def _grid(xs: np.ndarray, steps: list[float]) -> list[float]:
    """The grid of one of `steps` with the most of `xs` on it (60% of its positions
    seen at least), seen positions kept and hidden ones fitted."""
    best: tuple[int, list[float]] = (0, [])
    for step in steps:
        for origin in xs:
            k = np.round((xs - origin) / step)
            on_grid = np.abs(xs - origin - k * step) <= 0.15 * step
            ks = k[on_grid].astype(int)
            if len(ks) <= best[0] or len(ks) < 3 or len(set(ks)) < 0.6 * (ks.max() - ks.min() + 1):
                continue
            fit_step, fit_origin = np.polyfit(ks, xs[on_grid], 1)  # the step the seen ones give
            snapped = {int(kk): float(x) for kk, x in zip(ks, xs[on_grid])}
            best = (len(ks), [snapped.get(kk, fit_origin + kk * fit_step) for kk in range(ks.min(), ks.max() + 1)])
    return best[1]


def _reading_order(fields: list[Field]) -> list[Field]:
    """Rows top to bottom (fields whose middles fall within each other's height), then left to right."""
    rows: list[list[Field]] = []
    for f in sorted(fields, key=lambda f: f.rect.y + f.rect.h / 2):
        r = f.rect
        mid = r.y + r.h / 2
        if rows and abs(mid - np.mean([g.rect.y + g.rect.h / 2 for g in rows[-1]])) < 0.5 * r.h:
            rows[-1].append(f)
        else:
            rows.append([f])
    return [f for row in rows for f in sorted(row, key=lambda f: f.rect.x)]
