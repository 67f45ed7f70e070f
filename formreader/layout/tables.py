"""Rows of a table, not digit fields: bands (bands.py) that share a line with another
band, overlap one, or have a long line inside them (stacked); and the double lines
whose inner line may be drawn within an outer one."""

from __future__ import annotations


def stacked(bands, hs, sides, px, config) -> set[int]:
    """Bands that are rows of a table, not digit fields: they share a line with
    another band, overlap another band, have columns that run on through a line
    (columns_through), or (when wide) have a long line inside (not the inner line of a
    double top or bottom line, `config.double_gap` from it)."""
    tops = {id(b[0]): k for k, b in enumerate(bands)}
    gap = px(config.double_gap)
    out = set()
    for k, (top, bottom, xs, _) in enumerate(bands):
        if id(bottom) in tops:
            out.update((k, tops[id(bottom)]))
        if columns_through(bands[k], sides):
            out.add(k)
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


def columns_through(band, sides) -> bool:
    """Whether the band's sides at both ends and one between them at least run on past its
    top line, or past its bottom line, by half its height: a table's columns. A digit
    box's sides stop at its lines, and a comb's dividers stop at its top line where a label
    box round it runs on up. (The last row of a printed table on a page photographed at a
    slant: the lines between its rows, bold, made no band, and the row was read as a
    string of its numbers and its cells' sides, 23 marks flagged.)"""
    top, bottom, xs, _ = band
    half = 0.5 * (bottom.c - top.c)
    mine = [v for v in sides if v.a0 <= top.c + half and v.a1 >= bottom.c - half]

    def all_run_on(past) -> bool:
        at = [any(past(v) and abs(v.at(top.c) - x) <= max(3, v.t) for v in mine) for x in xs]
        return at[0] and at[-1] and any(at[1:-1])

    return all_run_on(lambda v: v.a0 < top.c - half) or all_run_on(lambda v: v.a1 > bottom.c + half)


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


