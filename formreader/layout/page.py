"""The whole page: find_layout evens the light, deskews, finds the line segments, runs
every finder in turn (each on what the ones before left), and puts the fields in
reading order. Box lines too thick for a box line (bold frames, double lines run
together) are kept apart and make closed boxes only (bold_bands)."""

from __future__ import annotations

import cv2
import numpy as np

from ..pages import bitonal
from .bands import find_bands, outside_height, overlaps_band
from .box_rows import group_separate_boxes
from .boxes import band_fields, faint_string_boxes
from .broken_rows import broken_rows_joined
from .combs import dividers_line_to_line, on_a_line, whole_cells
from .dashes import dash_angles, dashed_lines, draw_solid
from .faint_boxes import boxes_by_sides, boxes_on_sides, rest_of_row
from .frames import bold_frames, frames_in_rows
from .free import free_handwriting
from .light import estimate_dpi, find_skew, normalise_background, profile_skew, shrink_keeping_lines, thin_lines
from .lines import bridge_jogs, cover, faint_lines, line_mask, line_segments, line_to_line, outside, run_on
from .model import Field, Layout, LayoutConfig, Rect, along, overlap
from .tables import stacked
from .ticks import tick_combs
from .underlines import underlines


def find_layout(gray: np.ndarray, dpi: float | None = None, config: LayoutConfig | None = None) -> Layout:
    """Find the digit fields on a grey page (paper light, ink dark).

    >>> import numpy as np
    >>> find_layout(np.full((1100, 850), 255, np.uint8)).fields
    []
    """
    config = config or LayoutConfig()
    dpi = estimate_dpi(gray, dpi)
    scale = config.work_dpi / dpi
    scale = 1.0 if scale > 0.9 else scale  # a page of 150.01 dpi is not shrunk: the min filter would thicken its lines
    small = shrink_keeping_lines(gray, scale)
    wdpi = dpi * scale
    binary, angle, dashes = ink_and_skew(gray, small, ink_of(small, wdpi, config), scale, wdpi, config)
    h, w = gray.shape
    to_deskewed = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    if angle:
        turn = cv2.getRotationMatrix2D((binary.shape[1] / 2, binary.shape[0] / 2), angle, 1.0)
        binary = cv2.warpAffine(binary, turn, (binary.shape[1], binary.shape[0]), flags=cv2.INTER_NEAREST, borderValue=0)

    fields = find_fields(binary, wdpi, config)
    for f in fields:  # back to the page's own resolution
        f.cells = [c.scaled(1 / scale) for c in f.cells]
        f.line /= scale
    unshrunk = lambda v: (v + 0.5) / scale - 0.5  # noqa: E731  (pixel middles of the shrunk page -> the page's own)
    return Layout(angle, to_deskewed, fields, [tuple(map(unshrunk, d[:4])) for d in dashes])


def ink_and_skew(gray, small, binary, scale: float, dpi: float, config: LayoutConfig) -> tuple[np.ndarray, float, list]:
    """(the page's ink to lay out, its skew in degrees, its dashed lines drawn solid in
    it: dashes.py). A fax's hairlines are pure black,
    on a turned page stairs of steps that do not overlap as a grey scan's do: each step lies
    flat, so the skew is not seen, and deskewed by nearest pixels the steps break apart, so
    the lines are lost. Softened first (`gray` at its own resolution, then shrunk by `scale`
    as `small` was), the steps overlap. Only where the lines are thin (shrunk, by
    LayoutConfig.thin_line; unshrunk, 1 px) and the page is turned (LayoutConfig.fax_turn):
    softening thickens every stroke (bold lines grow bolder, digits run into lines). A
    fax's lines broken into dashes are its own (the softened page's rows say its skew);
    other dashed lines are drawn solid, and their tilt, fitted on all at once, is the skew
    of a page that has an inch of them."""
    if bitonal(small) and thin_lines(binary, dpi, config.thin_line * dpi if scale < 1 else 1.5):
        soft = ink_of(shrink_keeping_lines(cv2.GaussianBlur(gray, (3, 3), 0), scale) if scale < 1 else cv2.GaussianBlur(small, (3, 3), 0),
                      dpi, config)
        angle = find_skew(soft, dpi, config) or profile_skew(soft, config.max_skew_deg)
        if abs(angle) >= config.fax_turn:
            return soft, angle, []
    dashes = dashed_lines(binary, dpi, config)
    angle = find_skew(binary, dpi, config, dash_angles(dashes))  # its solid lines as they are, the dashed ones apart
    return draw_solid(binary, dashes), angle, dashes


def ink_of(gray: np.ndarray, dpi: float, config: LayoutConfig) -> np.ndarray:
    """The page's ink and lines 255, its paper 0, the light evened out first."""
    return cv2.compare(normalise_background(gray, dpi), 255 * config.paper_share, cv2.CMP_LT)


def find_fields(binary: np.ndarray, dpi: float, config: LayoutConfig) -> list[Field]:
    px = lambda inches: inches * dpi  # noqa: E731
    h_mask = line_mask(binary, (max(3, int(px(config.line_kernel))), 1), int(px(config.min_box)))
    v_kernel = max(3, int(px(config.vertical_kernel)))
    v_mask = line_mask(binary, (1, v_kernel))
    max_t = max(2.0, px(config.max_line))
    bold = px(config.bold_line)  # lines thicker than a box line, up to this, make closed boxes only (bold_bands)
    found = line_segments(h_mask, True, max_t, px(config.min_box) * 0.5, px(config.double_gap), bold, config.max_tilt, binary)
    pieces, bold_hs = [s for s in found if s.t <= max_t], [s for s in found if s.t > max_t]
    pieces = broken_rows_joined(bridge_jogs(pieces, binary, px(config.line_kernel)), binary, px, config)
    for s in bold_hs:
        # a long bold line as thick as a short divider is tall passes for vertical ink too: left
        # in, a bold comb's lines and ticks were one piece, in which the ticks were lost
        if s.t >= v_kernel - 1 and s.a1 - s.a0 >= 1.5 * px(config.max_box):
            reach = int(s.t) + 2  # and the corners, where the sides run into it
            v_mask[max(0, int(s.c - s.t / 2) - 1) : int(s.c + s.t / 2) + 2, max(0, int(s.a0) - reach) : int(s.a1) + reach + 1] = 0
    hs = [s for s in pieces if s.a1 - s.a0 >= px(config.min_box) * 0.8]
    # sides as thick as two double lines run together with the gap between two boxes
    all_vs = run_on(line_segments(v_mask, False, max_t, 0, px(config.double_gap), 2 * bold, config.max_tilt, binary), hs, binary, v_kernel - 1,
                    px(config.line_kernel))
    vs = [v for v in all_vs if v.t <= max_t]
    # the sides of two boxes a little apart, run together with the gap between them (small
    # boxes, a blurred scan): a bar half as thick again as the thickest box line, at most two
    # and a gap, stands between them (a bold digit's stroke is thinner)
    sides = vs + [v for v in all_vs if 1.5 * max_t < v.t <= 2 * max_t + px(config.double_gap)]
    # thinner such bars pass only where they run through a line at each end, top to bottom,
    # and are as thick as two of those lines at least, less the blur: two dashed sides at
    # 300 dpi a few pixels apart made a 9 px bar at 150 between 4 and 5 px lines, their
    # boxes were read as one string and the bar as sure 1s. A bold frame's side is as
    # thick as its lines; a digit's stroke mostly stops at the lines, or is thinner
    sides += [v for v in all_vs if max_t < v.t <= 1.5 * max_t and through_lines(v, hs, config.two_sides)]

    bands = find_bands(hs, sides, px, config, binary=binary)
    bands += find_bands(hs, sides, px, config, "broken", taken=bands, binary=binary)
    joined = find_bands(hs, sides, px, config, "joined", taken=bands, binary=binary)
    # a line just under the bold limit may close a bold box: double lines run together
    # unevenly, one side of the limit at the top and the other at the bottom
    thick = [s for s in hs if s.t >= max_t - 1]
    bold = bold_hs + thick + doubled(hs, px(config.double_gap))
    bands += bold_bands(bold, all_vs, bands + joined, px, config, binary)
    # bold boxes so close together that their top or bottom lines ran into one
    joined += bold_bands(bold, all_vs, bands + joined, px, config, binary, "joined")
    whole = len(bands)  # bands before this hold both their lines; joined ones only the shorter
    bands += joined
    tables = stacked(bands, hs, sides, px, config)
    fields = []
    used = set()
    for k, (top, bottom, xs, line) in enumerate(bands):
        # a joined band's longer line may still be a tick comb's baseline or an underline
        used.update((id(top), id(bottom)) if k < whole else (id(min(top, bottom, key=lambda s: s.a1 - s.a0)),))
        if k in tables:
            continue
        found = band_fields(top, bottom, xs, line, binary, config)
        if k >= whole:  # separate boxes whose lines ran together: each cell is a box of its own
            found = [Field("boxes", [c], f.line) for f in found if f.kind in ("boxes", "comb") for c in f.cells]
        fields += found
    free = [s for s in hs if id(s) not in used]
    faint = boxes_on_sides(free, pieces, vs, fields, px, config)
    used.update(id(s) for s, _ in faint)
    fields += [f for _, f in faint]
    fields += boxes_by_sides(vs, pieces, fields, px, config)
    fields += rest_of_row(fields, [s for s in hs if id(s) not in used], pieces, vs, config)
    box_rects = [f.rect for f in fields if f.kind == "boxes"]  # once: a field's rect is computed from its cells
    # how far boxes run along each line: their lines are used (see baselines_under_boxes)
    along_boxes = {id(s): sum(cover([s], s.c, r.x, r.x + r.w, 0) for r in box_rects if along(s, r)) for s in hs}
    used.update(k for k, run in along_boxes.items() if run > 0)
    fields += bold_frames(binary, fields, px, config)
    fields = frames_in_rows(binary, fields, config)
    fields = group_separate_boxes(fields, config, binary)
    lines = faint_lines(pieces, used, px, config)
    strings = new_only(faint_string_boxes(outside(lines, fields), pieces, vs, binary, px, config), fields)
    ticks = tick_combs(outside(lines, fields + strings), vs, binary, px, config)
    ticks += baselines_under_boxes(hs, along_boxes, pieces, used, fields + strings, vs, binary, px, config)
    fields += ticked(strings, ticks)
    fields = [f for f in fields if not any(held_by(t, f) for t in ticks)]
    fields += new_only(ticks, fields)
    fields += new_only(underlines(outside(lines, fields), vs, binary, px, config), fields)
    fields += free_handwriting(binary, fields, px, config)
    return reading_order(not_within_others(fields))


def not_within_others(fields: list[Field]) -> list[Field]:
    """The fields less any separate boxes that lie within another field, nine tenths of
    them at least: a bold digit's bars closed by a tick (a 3 in a tick comb, found as a box
    of its own), two such boxes side by side over an underline's digits (grouped as one
    row), or a 5's top bar and a tall tick making a box that reaches a little past the
    comb's first tick, are the other field's ink, not a field."""
    rects = [f.rect for f in fields]
    return [f for f, r in zip(fields, rects) if not (f.kind == "boxes" and any(o.w * o.h > r.w * r.h and inside(r, o) >= 0.9 for o in rects))]


def bold_bands(bold_hs, vs, taken, px, config, binary=None, mode="strict"):
    """Boxes whose lines are too thick for a box line (bold frames, double lines run
    together at a low resolution, or only one of them: a double frame's top ran together,
    its bottom did not), where no other band lies: closed boxes only, top and bottom both
    bold or double (or one just under the limit), no cell wider than a box (a bold
    printed letter's bars, or the outer lines of a row of double boxes, never pass as a
    string box, unless it is one box closed by bold or double sides too: a string box drawn
    with double lines), and room inside each for a digit (a bold handwritten 0 is no box)."""
    bands = []
    room = 0.6 * px(config.min_box)
    gap = px(config.double_gap)
    for top, bottom, xs, line in find_bands([s for s in bold_hs if s.a1 - s.a0 >= px(config.min_box) * 0.8], vs, px, config, mode, taken, binary):
        height = outside_height(top, bottom, px(config.min_box))  # (bold lines take much of a box's height)
        ends_bold = all(bold_side(vs, x, top, bottom, px(config.max_line) - 1, gap) for x in (xs[0], xs[-1]))
        if mode == "joined" or (ends_bold and np.diff(xs).max() > config.string_aspect * height):
            # separate bold boxes have bold sides: a thinner stroke between is a digit's (a 1); so
            # is one in a bold frame that leaves a cell wider than a box (a 9's tail run into a
            # short tick: the frame is one box), and one that stands on neither line (a dithered
            # fax's 1, blurred as bold as the frame, that the line mask joined to both lines)
            seen = xs
            xs = [x for k, x in enumerate(xs) if k in (0, len(xs) - 1)
                  or (bold_side(vs, x, top, bottom, px(config.max_line) - 1, gap) and (binary is None or on_a_line(top, bottom, binary, x)))]
            if mode != "joined" and binary is not None and len(xs) == 2 and len(seen) > 2:
                # unless thin lines run from line to line at every place of an even grid: a
                # bold frame's comb of thin dividers, one hidden by a digit touching it, is no
                # string box (third 1593 p15: its dividers were read as flagged 1s)
                xs = dividers_line_to_line(seen, top, bottom, binary) or xs

        def fits(xs) -> bool:
            widest = np.diff(xs).max()
            return (widest <= config.string_aspect * height or (len(xs) == 2 and ends_bold)) and min(widest, bottom.c - top.c) - line >= room

        if not fits(xs) and binary is not None:  # a bold comb read at half its step has no room for a digit
            xs = whole_cells(xs, top, bottom, binary)
            if not fits(xs):  # nor one of small cells, its digits' stems from line to line between hairline dividers
                grid = dividers_line_to_line(xs, top, bottom, binary)
                # (bold walls inside are separate boxes' sides run together: frames.py finds those)
                if grid and not any(bold_side(vs, x, top, bottom, px(config.max_line) - 1, gap) for x in grid[1:-1]):
                    xs = grid
        if not fits(xs):
            continue
        # a band wholly inside it is a bold digit's strokes closing a box of their own (a 2's
        # bar and loop): no reason to drop the frame round it (stacked drops the inner one)
        others = [b for b in taken if not (top.c < b[0].c and b[1].c < bottom.c and xs[0] <= b[2][0] and b[2][-1] <= xs[-1])]
        if not overlaps_band(top, bottom, xs[0], xs[-1], others):
            bands.append((top, bottom, xs, line))
    return bands


def bold_side(vs, x: float, top, bottom, thick: float, gap: float) -> bool:
    """Whether a side at least `thick` stands at x from the top line to the bottom one, or
    a double side (two such sides, each thinner, at most `gap` apart, x one of them)."""
    spans = [v for v in vs if line_to_line(v, top, bottom)]
    at = [v for v in spans if abs(v.c - x) <= v.t]
    return any(v.t >= thick or any(0 < abs(w.c - v.c) <= gap for w in spans) for v in at)


def through_lines(v, hs, two_lines: float) -> bool:
    """A vertical piece whose top is a line's top and whose bottom another line's bottom,
    `two_lines` times as thick as each of them at least. (Its ends within half a line and a
    pixel of those edges: two boxes' sides run together in a dithered fax's tint stood 3 px
    above a 4 px top line, and the boxes' 9 and 4 were lost, fax 1604 p18.)"""
    def capped(edge: float, side: int) -> bool:
        return any(s.a0 - 2 <= v.c <= s.a1 + 2 and abs(s.at(v.c) + side * s.t / 2 - edge) <= max(1.5, s.t / 2 + 1) and v.t >= two_lines * s.t for s in hs)
    return capped(v.a0, -1) and capped(v.a1, 1)


def doubled(hs, gap: float) -> list:
    """The lines that have a parallel line at most `gap` away along the same span, as a
    double line has when its two lines did not run together."""
    hs = sorted(hs, key=lambda s: s.c)
    out = []
    for i, a in enumerate(hs):
        for b in hs[i + 1 :]:
            if b.c - a.c > gap:
                break
            if b.c > a.c and min(a.a1, b.a1) - max(a.a0, b.a0) >= 0.8 * min(a.a1 - a.a0, b.a1 - b.a0):
                out += [a, b]
    return list({id(s): s for s in out}.values())


def ticked(strings: list[Field], ticks: list[Field]) -> list[Field]:
    """The faint string boxes, each one a tick comb stands in (on its bottom line, over
    four fifths of it) made a comb of the tick comb's cells, the box's height tall: a
    rounded frame's short ticks hidden under bold digits were not seen on the box's own
    grid (short_dividers) but were from the ticks' (tick_combs), and the comb was read
    as one string."""
    out = []
    for f in strings:
        r = f.rect
        within = [t for t in ticks if abs(t.rect.y + t.rect.h - r.y - r.h) <= max(3.0, f.line + 2) and overlap(t.rect, r) >= 0.8 * r.w * r.h]
        if f.kind == "string" and len(within) == 1:
            f = Field("comb", [Rect(c.x, r.y, c.w, r.h) for c in within[0].cells], f.line)
        out.append(f)
    return out


def inside(r: Rect, o: Rect) -> float:
    """The share of r's area within o."""
    return overlap(r, o) / (r.w * r.h) if r.w * r.h > 0 else 0.0


def baselines_under_boxes(hs, along_boxes, pieces, used, fields, vs, binary, px, config) -> list[Field]:
    """Tick combs on lines taken as the line of boxes that run along less than half of
    them, each kept where it holds such boxes (held_by), which it then replaces: a comb's
    digits, touching its ticks and baseline, closed boxes on it with their lower strokes
    (a 9's, a bold 3's), the baseline was marked as those boxes' line and never looked at
    as a comb, and eight digits were read as free handwriting. (Freed for every finder, the
    bottom line of a row of boxes found in part made an underline of the rest, its sides
    read as sure 1s.)"""
    scant = [s for s in hs if 0 < along_boxes[id(s)] < 0.5 * (s.a1 - s.a0)]
    if not scant:
        return []
    freed = faint_lines(pieces, used - {id(s) for s in scant}, px, config)
    lines = [line for line in freed if any(abs(line.c - s.c) <= 1.5 and line.a0 <= s.a0 and s.a1 <= line.a1 for s in scant)]
    boxes = [f for f in fields if f.kind == "boxes"]
    return [t for t in tick_combs(outside(lines, fields), vs, binary, px, config) if any(held_by(t, f) for f in boxes)]


def held_by(ticks: Field, f: Field) -> bool:
    """Whether `f` is separate boxes (fewer) wholly within a tick comb, its lines' width
    round it allowed: the comb's ink. A bold 3's lower bar and the baseline closed a box
    between two ticks, the row grew from it by the ticks into five boxes, every other
    cell, and the comb, found after them, was dropped for them: three digits lost."""
    if f.kind != "boxes" or len(f.cells) >= len(ticks.cells):
        return False
    t, margin = ticks.rect, 0.15 * ticks.rect.h
    grown = Rect(t.x - margin, t.y - margin, t.w + 2 * margin, t.h + 2 * margin)
    return all(inside(c, grown) >= 0.95 for c in f.cells)


def new_only(found: list[Field], fields: list[Field]) -> list[Field]:
    """The found fields, largest first, that lie mostly (half their area) outside the
    fields already there and each other: one line found twice, or in part, is one field."""
    kept: list[Field] = []
    for f in sorted(found, key=lambda f: -f.rect.w * f.rect.h):
        r = f.rect
        shared = (overlap(r, g.rect) for g in fields + kept)
        if all(area <= 0.5 * r.w * r.h for area in shared):
            kept.append(f)
    return kept


def reading_order(fields: list[Field]) -> list[Field]:
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
