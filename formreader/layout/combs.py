"""Comb dividers: a stroke of a 1 between dividers is dropped, a divider hidden by ink
or faded is put back, a comb whose bold digits swallowed most dividers is fitted
to an even grid where ink runs from the top line to the bottom one, one read at half
its step (digits' middle strokes taken for dividers) is read at its step, one whose cells
came out uneven or too wide gets the even grid of the thin lines that run from line to
line (bold digits as tall as the cells between thin dividers). Dividers that rise from
the bottom line only part way: short_dividers.py."""

from __future__ import annotations

from itertools import islice

import numpy as np

from .grids import grids
from .model import Segment


def box_cell_counts(span: float, height: float, least: int = 2) -> range:
    """How many cells of box proportions (0.45 to 1.7 times as wide as tall) may make up
    `span`, at least `least`: the grids an even-grid search tries, coarse to fine."""
    return range(max(least, int(np.ceil(span / (1.7 * height)))), int(span / (0.45 * height)) + 1)


def ink_through(top: Segment, bottom: Segment, binary: np.ndarray, x: float, reach: int | None = None) -> float:
    """The share of the rows between the lines that hold ink within `reach` of x (by default
    as far as the lines are thick): all of them where a divider stands (seen, or hidden
    under a digit's ink)."""
    reach = int(max(top.t, bottom.t)) + 1 if reach is None else reach
    rows = binary[int(top.c + top.t / 2 + 1) : int(bottom.c - bottom.t / 2), max(0, int(x) - reach) : int(x) + reach + 1]
    return float(rows.any(axis=1).mean()) if rows.size else 0.0


def on_a_line(top: Segment, bottom: Segment, binary: np.ndarray, x: float, rows: int = 3) -> bool:
    """Whether ink at x runs on from the top line or the bottom one without a break: the
    `rows` rows just inside that line inked within a pixel of x. A divider, a tick, a
    half-height divider do; a digit's stroke that only comes near a line (the line mask
    closing the gap) leaves paper between."""
    y0, y1, x0 = int(top.c + top.t / 2), int(bottom.c - bottom.t / 2), max(0, int(round(x)) - 1)
    if y1 - y0 < 2 * rows:
        return True
    near = binary[y0 : y1, x0 : int(round(x)) + 2] > 0
    return bool(near[:rows].any(axis=1).all() or near[-rows:].any(axis=1).all())


def dividers_under_ink(xs: list[float], top: Segment, bottom: Segment, binary: np.ndarray) -> list[float]:
    """A comb most of whose dividers are fused with bold digits (too thick to pass for
    lines): the dividers seen lie on a grid of cells of box proportions, and at each of
    the grid's other places ink runs from the top line to the bottom one, as a divider
    does under the ink that hides it. The grid's dividers, or empty when none fits."""
    height = bottom.c - top.c
    span = xs[-1] - xs[0]
    for n in range(max(2, int(span / (1.2 * height))), int(span / (0.5 * height)) + 1):
        step = span / n
        k = np.round((np.asarray(xs) - xs[0]) / step)
        if np.any(np.abs(np.asarray(xs) - xs[0] - k * step) > 0.08 * step):
            continue  # a divider seen off this grid
        seen = set(k.astype(int))
        hidden = [xs[0] + j * step for j in range(1, n) if j not in seen]
        if all(ink_through(top, bottom, binary, x) >= 0.97 for x in hidden):
            return [xs[0] + j * step for j in range(n + 1)]
    return []


def whole_cells(xs: list[float], top: Segment, bottom: Segment, binary: np.ndarray) -> list[float]:
    """A comb read at half its step (cells half a box wide: the digits' upright strokes in
    the middle of each cell, a 1 or a 4, stood in for dividers; hairline dividers are no
    thicker) is read at its step when the cells so made have box proportions and at most of
    the places between them ink does not run from line to line within two pixels, as it does
    at each of the dividers kept: a blank cell's middle, a slanting 1. `xs` as it was otherwise
    (a narrow comb's dividers run through at every place; a faint comb of four cells whose
    hairline divider ran through at one of the two places between, 0.95 of the rows at the
    other, was read as two cells of two digits each)."""
    height = bottom.c - top.c
    if len(xs) < 5 or (len(xs) - 1) % 2 or not 0.6 <= (xs[2] - xs[0]) / height <= 1.7:
        return xs
    through = [ink_through(top, bottom, binary, x, reach=2) >= 0.95 for x in xs[1:-1]]
    kept, between = through[1::2], through[::2]  # (a divider that rises half way never runs through)
    if not all(kept):
        return xs
    # a bold digit's stroke touching both lines runs through too, but is no divider as thin
    # as the others (a bold-framed comb's 9 and 8, their strokes 8-9 px where the hairline
    # dividers were 4: read at half its step, each digit cut in two halves, read as blanks,
    # lit 1347 p3: 0987 lost without a word)
    thin = 1.5 * float(np.median([ink_width(binary, x, top, bottom) for x in xs[2:-1:2]]))
    between = [t and ink_width(binary, x, top, bottom) <= thin for t, x in zip(between, xs[1:-1:2])]
    return xs[::2] if sum(between) < len(between) / 2 else xs


def ink_width(binary: np.ndarray, x: float, top: Segment, bottom: Segment) -> float:
    """The median width of the ink run at x (within 2 px) on the rows between the lines."""
    widths = []
    for y in range(int(top.c + top.t / 2 + 2), int(bottom.c - bottom.t / 2 - 1)):
        row = binary[y]
        near = np.flatnonzero(row[max(0, int(round(x)) - 2) : int(round(x)) + 3])
        if not len(near):
            continue
        at = max(0, int(round(x)) - 2) + int(near[0])
        run = np.flatnonzero(row == 0)
        left, right = run[run < at], run[run > at]
        widths.append((right[0] if len(right) else len(row)) - (left[-1] + 1 if len(left) else 0))
    return float(np.median(widths)) if widths else 0.0


def dividers_line_to_line(xs: list[float], top: Segment, bottom: Segment, binary: np.ndarray) -> list[float]:
    """A comb whose cells came out uneven (two more than an eighth off their median width)
    because its digits, bold and as tall as the cells, stand as upright strokes between thin
    dividers, so many that no grid of the strokes seen is the comb's (a 10-cell comb read
    as 17 strokes, then as 9 cells of any width; a 7-cell comb as 6 cells 44-59 px wide):
    the finest even grid from the first side to the last, cells of box proportions, with
    a thin line from the top line to the bottom one within a tenth of a step of each of its
    places (a bold frame's sides put the grid a little off), as a divider has everywhere
    and a digit only here and there. So too where the cells are even but wider than 1.2
    times their height (every other divider fitted, a bold 0's strokes standing in for the
    side; two hairline dividers of four too faint for the line mask). Where no grid fits, a
    bold side lost (a 0's stroke beside it taken for it) is looked for where the lines end.
    Even cells too, where a thin line runs from line to line at some of their dividers and
    at others hardly any ink does: the comb's dividers run so, and the others were put where
    digits' strokes stand or none is (a 300 dpi comb's hairline divider run together with a
    6's stem beside it in the line mask was seen half way between, on neither, and a 3's
    stroke made a grid of 5 cells for 4, a 6 read as a sure 0); the grid found must keep
    each divider that runs through nearly everywhere (a faint one broken here and there).
    The sides and dividers, or empty when no grid has them all."""
    widths, height = np.diff(xs), bottom.c - top.c
    if len(widths) < 2:
        return []
    uneven = np.sum(np.abs(widths - np.median(widths)) > 0.12 * np.median(widths)) >= 2  # (one cell off: a double frame's end)
    kept: list[float] = []
    if not uneven and widths.max() <= 1.2 * height:  # even, and cells no wider than a comb's usually are
        shares = [ink_through(top, bottom, binary, x, reach=1) for x in xs[1:-1]]
        if max(shares) < 0.97 or min(shares) >= 0.6:
            return []
        kept = [x for x, share in zip(xs[1:-1], shares) if share >= 0.9]
    start, end = max(top.a0, bottom.a0) + 1, min(top.a1, bottom.a1) - 1  # where the lines end
    through = lines_through(binary, top.c + top.t / 2 + 1, bottom.c - bottom.t / 2, min(xs[0], start), max(xs[-1], end))
    for ends in dict.fromkeys([(xs[0], xs[-1]), (xs[0], end), (start, xs[-1]), (start, end)]):
        found = even_lines_through(through, *ends, height)
        if found and all(min(abs(f - x) for f in found) <= 2 for x in kept):
            return found
    return []


def lines_through(binary: np.ndarray, y0: float, y1: float, x0: float, x1: float, share: float = 0.97) -> np.ndarray:
    """The columns from x0 to x1 where ink runs through every row from y0 to y1 (between a
    box's lines; `share` of them for a faint line broken in places), within a pixel either
    way (a line a little aslant): where a divider or a side stands."""
    rows = binary[int(y0) : int(y1), max(0, int(x0)) : int(x1) + 1] > 0
    if rows.size == 0:
        return np.zeros(0, np.int64)
    rows[:, 1:-1] |= rows[:, :-2] | rows[:, 2:]
    return np.flatnonzero(rows.mean(axis=0) >= share) + max(0, int(x0))


def even_lines_through(through: np.ndarray, x0: float, x1: float, height: float) -> list[float]:
    """The finest even grid from x0 to x1 (cells of box proportions) with a column of
    `through` within a tenth of a step of each inner place: [x0, the middle of each such
    run of columns, x1], or empty."""
    span = x1 - x0
    found: list[float] = []
    for n in box_cell_counts(span, height):
        step = span / n
        lines = []
        for k in range(1, n):
            near = through[np.abs(through - (x0 + k * step)) <= 0.1 * step]
            if len(near) == 0:
                break
            at = int(np.searchsorted(through, near[np.argmin(np.abs(near - (x0 + k * step)))]))
            a, b = at, at  # the middle of the run of such columns: the line's own
            while a > 0 and through[a - 1] == through[a] - 1:
                a -= 1
            while b + 1 < len(through) and through[b + 1] == through[b] + 1:
                b += 1
            lines.append((through[a] + through[b]) / 2)
        else:
            found = [x0, *lines, x1]
    return found


def drop_stray_dividers(xs: list[float], height: float) -> list[float]:
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


def fill_missing_dividers(xs: list[float]) -> list[float]:
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


def comb_dividers(xs: list[float], height: float) -> list[float]:
    """A comb's dividers from the sides and strokes seen between its lines: the likeliest
    even grid of them; else with the strokes that cut a cell too narrow dropped and
    hidden dividers put back, as an even grid; else the likeliest grid that runs from the
    first side to the last (where strokes fused with bold digits stand between hidden
    dividers, the likeliest of all has their step, not the comb's); else as mended."""
    grid = even_comb(xs, height)
    if grid is not None and grid is not xs:
        # a grid with a stroke at every place beats one that puts dividers where none was
        # seen: at 150 dpi, boxes 3 px apart whose sides ran together and whose digits touch
        # both lines (slant 1319 p0) had half their cells' strokes gap apart, the likeliest
        # grid put three dividers between the sides seen, and a side read as a sure 1
        seen = every_place_seen(xs, height)
        return seen if seen and not all_seen(grid, xs) else grid
    if grid is None and (seen := every_place_seen(xs, height)):
        return seen
    mended = fill_missing_dividers(drop_stray_dividers(xs, height))
    return even_comb(mended, height) or even_comb(xs, height, likeliest_only=False) or mended


def all_seen(grid: list[float], xs: list[float]) -> bool:
    """Whether a stroke was seen at every divider of the grid (within a tenth of its step)."""
    step = (grid[-1] - grid[0]) / max(1, len(grid) - 1)
    return all(min(abs(x - g) for x in xs) <= 0.1 * step for g in grid)


def every_place_seen(xs: list[float], height: float) -> list[float]:
    """The dividers of the even grid from the first side to the last, four cells at least
    of box proportions, a stroke seen at every place of it (within a tenth of its step),
    the finest such (it puts the most strokes on it), fewer strokes off it than half those
    on it: the digits' strokes between are off it. Bold digits' upright strokes in a third
    of a comb's cells (a 2's, a 6's, a 1) made its median gap half its step, and dropping
    strokes that cut a cell too narrow, left to right, dropped dividers in their place.
    Empty when none is so."""
    span = xs[-1] - xs[0]
    best: list[float] = []
    for n in box_cell_counts(span, height, least=4):  # coarse to fine
        step = span / n
        places = [xs[0] + k * step for k in range(n + 1)]
        if all_seen(places, xs):
            best = [min(xs, key=lambda x: abs(x - p)) for p in places]
    # fewer strokes off it than half those on it: else a finer comb, a few of its dividers
    # hidden, whose every other divider made a coarser grid (1s from line to line between)
    return best if len(xs) - len(best) < len(best) / 2 else []


def even_comb(xs: list[float], height: float, likeliest_only: bool = True) -> list[float] | None:
    """A comb's cells are one width: when a stroke stands in for a divider and the
    dividers beside it are hidden, put the dividers back on the comb's grid (the
    likeliest one, or with `likeliest_only` False the likeliest of those that do), only
    when the grid runs from the first side to the last. `xs` itself when its cells are
    one width already (or fewer than four), None when no grid fits."""
    widths = np.diff(xs)
    if len(widths) < 4:
        return xs
    typical = float(np.median(widths))
    if np.all(np.abs(widths - typical) <= 0.12 * typical):
        return xs
    # every divider seen, on the grid from side to side whose step is nearest the median gap:
    # the other strokes are digits' (a 9's stem at each cell's middle; the median gap is then
    # a few per cent off the step, and a grid of it drifts off the far cells)
    n = round((xs[-1] - xs[0]) / typical)
    whole = np.linspace(xs[0], xs[-1], n + 1) if n >= 2 else np.array([])
    step = (xs[-1] - xs[0]) / max(n, 1)
    snapped = [min(xs, key=lambda x: abs(x - g)) for g in whole]
    if len(whole) and 0.45 <= step / height <= 1.7 and all(abs(x - g) <= 0.1 * step for x, g in zip(snapped, whole)):
        return snapped
    for grid in islice(grids(xs, min_step=0.45 * height), 1 if likeliest_only else None):
        if len(grid) > 2 and abs(grid[0] - xs[0]) <= 0.15 * typical and abs(grid[-1] - xs[-1]) <= 0.15 * typical:
            return grid
    return None
