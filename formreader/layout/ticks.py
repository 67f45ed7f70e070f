"""Tick combs: a baseline with short, evenly spaced ticks running into it, and no top
line. A line of printed text is refused, as its letters sit on the line (or hang from
it, where the top of bold small letters passed for a line, or their stems run on
through it, where a line was found through the middle of small letters)."""

from __future__ import annotations

import cv2
import numpy as np

from .bands import merge_close
from .grids import grids
from .lines import reaches, runs_of
from .model import Field, Rect, Segment


def tick_combs(hs, vs, binary: np.ndarray, px, config) -> list[Field]:
    """Baselines with short, evenly spaced ticks rising from them (not printed text)."""
    fields = []
    for base in hs:
        if base.a1 - base.a0 < px(config.min_tick_baseline):
            continue
        tol = base.t + 3
        highest = px(config.max_box) * config.max_tick
        base = run_to_end_ticks(base, vs, px(config.max_box), highest)
        rising = [v for v in vs if base.a0 - tol <= v.c <= base.a1 + tol and reaches(v, base) and v.a1 - v.a0 <= highest]
        hidden = hidden_ticks(binary, base, [v.c for v in rising], int(px(config.vertical_kernel)), max(2.0, px(config.max_line)))
        rising += [v for v in hidden if v.a1 - v.a0 <= highest]
        # the strokes of digits written low, standing on the line among the ticks, rise twice as
        # high as the ticks printed alike (the stems of a line of type rise alike: they stay).
        # The ticks' rise: the median of the pieces not twice as high as the lowest quarter
        # (eight strokes of digits standing among eight ticks put the median of all between)
        rises = np.array([v.a1 - v.a0 for v in rising], float)
        usual = float(np.median(rises[rises <= 2 * np.percentile(rises, 25)])) if len(rises) else 0.0
        stems = [v for v in rising if v.a1 - v.a0 <= 1.6 * usual]
        # a tick rises above the line: a piece hardly taller than the line is the line's own (a
        # turned double line's steps), no tick, though a short stem of type still counts against
        top = base.c - base.t / 2  # the line's upper edge
        lowest = top - px(config.vertical_kernel) / 2
        standing = [v for v in stems if v.a0 <= lowest]
        candidates = merge_close(sorted(v.c for v in standing), tol)
        strokes = merge_close(sorted(v.c for v in stems), px(0.025))  # the pieces of one stroke (a 7's, an 8's) are one
        # where no grid fits, the pieces that rise above the line half as far as most do at
        # least: a dithered fax's dots sitting on the line passed for two ticks between the
        # first three, the grid came out at two-thirds of the step and uneven, and a comb's
        # four digits were read as free handwriting (fax 1644 p10)
        rise = float(np.median([top - v.a0 for v in standing])) if standing else 0.0
        taller = merge_close(sorted(v.c for v in standing if top - v.a0 >= 0.5 * rise), tol)
        for tried in [candidates] + ([taller] if taller != candidates else []):
            ticks = fitted_ticks(tried, base, strokes, binary, highest, px(config.min_box) * 0.9)
            if ticks:
                longer = on_along_row(ticks, base, hs, vs, highest, lowest)
                if not type_line(binary, longer, base):
                    ticks = longer
                cells = []
                for x0, x1 in zip(ticks[:-1], ticks[1:]):
                    height = (x1 - x0) * config.tick_cell_aspect
                    cells.append(Rect(x0, base.at((x0 + x1) / 2) - height, x1 - x0, height))
                if px(config.min_box) <= cells[0].h <= px(config.max_box) * 1.2:
                    fields.append(Field("ticks", cells, base.t))
                break
    return fields


def fitted_ticks(candidates: list[float], base: Segment, strokes: list[float], binary: np.ndarray, highest: float,
                 min_step: float) -> list[float]:
    """The ticks of the first grid fitted to `candidates` that makes a tick comb on this
    baseline (ticks_on_baseline), no line of type and even; else empty."""
    for grid in grids(candidates, min_step):
        ticks = ticks_on_baseline(grid, candidates, base, strokes, binary, highest)
        if ticks and not type_line(binary, ticks, base) and not uneven(ticks):
            return ticks
    return []


def run_to_end_ticks(base: Segment, vs, reach: float, highest: float) -> Segment:
    """The baseline run on to the nearest tick that stands beyond either end of it, at most
    `reach` (a box) away, rising from its row: a faint line's ends break off, and a comb's
    line ends at its end ticks (what ticks_on_baseline asks)."""
    beyond = [v for v in vs if base.a0 - reach <= v.c < base.a0 or base.a1 < v.c <= base.a1 + reach]  # (cheap first)
    ticks = [v.c for v in beyond if reaches(v, base) and v.a1 - v.a0 <= highest]
    before = [c for c in ticks if c < base.a0]
    after = [c for c in ticks if c > base.a1]
    if not before and not after:
        return base
    return Segment(max(before, default=base.a0), min(after, default=base.a1), base.c, base.t, base.slope, base.pivot)


def on_along_row(ticks: list[float], base: Segment, hs, vs, highest: float, lowest: float) -> list[float]:
    """The comb's ticks, run on cell by cell along its row where a tick rises at the grid's
    next place and pieces of line on the row run along a third of that cell at least: a
    light comb's line left dotted by the scan breaks into pieces further apart than a faint
    line's gaps (LayoutConfig.line_gap), and only the longest, on the right, made a comb: the
    left half's four digits were read as free handwriting (a 300 dpi page turned 3 degrees).
    Printed text has no stems at a comb's step, each reaching into the line."""
    step = (ticks[-1] - ticks[0]) / (len(ticks) - 1)
    near = 0.15 * step
    row = [base] + [s for s in hs if abs(s.c - base.c) <= 1.5]

    def more(x: float, end: float) -> bool:
        x0, x1 = min(x, end), max(x, end)
        lined = union_length([(max(s.a0, x0), min(s.a1, x1)) for s in row if s.a0 < x1 and x0 < s.a1]) >= (x1 - x0) / 3
        return lined and any(abs(v.c - x) <= near and v.a0 <= lowest and v.a1 - v.a0 <= highest and reaches(v, base) for v in vs)

    ticks = list(ticks)
    while more(ticks[0] - step, ticks[0]):
        ticks.insert(0, ticks[0] - step)
    while more(ticks[-1] + step, ticks[-1]):
        ticks.append(ticks[-1] + step)
    return ticks


def union_length(spans: list[tuple[float, float]]) -> float:
    """How long the spans are together, counting overlaps once (the base overlaps its pieces)."""
    total, end = 0.0, -np.inf
    for a, b in sorted(spans):
        total += max(0.0, b - max(a, end))
        end = max(end, b)
    return total


def hidden_ticks(binary: np.ndarray, base: Segment, seen: list[float], probe: int, max_t: float) -> list[Segment]:
    """Ticks fused with a digit's ink (a bold 5's tail run into one): in the line mask the
    digit and tick are one blob, no line. Just above the line the tick stands alone: a
    column run at most a line thick, inked all through `probe` rows, that no piece in
    `seen` (their x) already gives. It rises as far as its middle column's ink runs on."""
    top = int(base.c - base.t / 2) - 2  # clear of the line, if a little aslant
    x0, x1 = max(0, int(base.a0)), int(base.a1) + 1
    band = binary[max(0, top - probe) : top, x0:x1]
    if band.shape[0] < probe:
        return []
    found = []
    full = np.flatnonzero(band.all(axis=0))
    for run in runs_of(full) if len(full) else []:
        c = x0 + (run[0] + run[-1]) / 2 + 0.5
        if len(run) > max_t or any(abs(c - s) <= base.t + 3 for s in seen):
            continue
        column = binary[:top, x0 + run[len(run) // 2]][::-1]
        paper = np.flatnonzero(column == 0)
        rise = int(paper[0]) if len(paper) else top
        found.append(Segment(float(top - rise), float(base.c + base.t / 2), float(c), float(len(run))))
    return found


def uneven(ticks: list[float]) -> bool:
    """Whether the ticks stand off one even grid, two in five of them (three at least) by
    over 2 px: printed ticks keep to it within a pixel (at most 1.1 px on 195 tick combs of
    tuning pages), or, on a dithered fax where digits' strokes stand in for ticks, two of
    eight by 3 px (fax 1514 p0); the stems of bold type do not. A page's note in bold type,
    its letters' feet run together into a "baseline", stood as a tick comb of eleven cells,
    six of its twelve stems over 2 px off (variants 1525 p4: eleven marks read, flagged as
    no digits)."""
    k = np.arange(len(ticks))
    off = np.abs(np.asarray(ticks) - np.polyval(np.polyfit(k, ticks, 1), k))
    return int((off > 2.0).sum()) >= max(3, 0.4 * len(ticks))


def type_line(binary: np.ndarray, ticks: list[float], base: Segment) -> bool:
    """Whether the "baseline" and its ticks are a line of type: its letters sit on it, hang
    from it, or their stems run through it (a line found through the middle of the small
    letters of a note in serif type, its P, t and d for ticks)."""
    return sits_on(binary, ticks, base) >= 0.25 or hangs_below(binary, ticks, base) >= 0.35 or runs_through(binary, ticks, base) > 0.5


def sits_on(binary: np.ndarray, ticks: list[float], base: Segment) -> float:
    """How much of the line between the ticks has ink sitting right on it: the letters of
    a line of text do (its "baseline" is their feet), handwriting in a comb seldom does.
    The three rows just above the line where it runs (a line aslant: its own pixels are
    no ink sitting on it). Ink running along a row for half a cell or more is the line's
    own: a blurred line drifting a pixel or two less than lines.drift sees lay flat, and
    at one end its edge lay in those rows (a tick comb of a page photographed at a slant
    refused, its nine boxes read as free handwriting); letters' feet are short."""
    xs = on_page(binary, ticks)
    if len(xs) == 0 or base.c - base.t / 2 - 1 < 1:
        return 0.0
    lowest = (base.at(xs) - base.t / 2 - 1).astype(int)  # the row just above the line, column by column
    rows = np.clip(lowest[None, :] - np.arange(3, 0, -1)[:, None], 0, binary.shape[0] - 1)
    above = binary[rows, xs]
    along = max(3, int((ticks[-1] - ticks[0]) / (len(ticks) - 1) / 2))  # half a cell
    inked = cv2.subtract(above, cv2.morphologyEx(above, cv2.MORPH_OPEN, np.ones((1, along), np.uint8))).any(axis=0)
    reach = int(base.t) + 3
    for t in ticks:  # the ticks themselves stand on it
        a = int(t - ticks[0]) - (int(xs[0]) - int(ticks[0]))  # (its column in xs)
        inked[max(0, a - reach) : max(0, a + reach)] = False
    return float(inked.mean())


def on_page(binary: np.ndarray, ticks: list[float]) -> np.ndarray:
    """The columns from the first tick to the last that lie on the page: a grid carried on
    by whole cells over ink at a comb's ends may run past the page's edge (a turned page's
    comb at its edge: the page failed with an IndexError, its 78 boxes lost)."""
    return np.arange(max(0, int(ticks[0])), min(binary.shape[1], int(ticks[-1])))


def hangs_below(binary: np.ndarray, ticks: list[float], base: Segment) -> float:
    """How much of the line between the ticks has ink hanging from it all through the
    three rows below: the top of a line of bold type's small letters passes for a line (a
    form's note read as a tick comb of three cells, a printed 4 accepted), its letters'
    lower halves below it. Below a comb's line is paper, but for a digit's stroke crossing
    it or a tint's speckles, which seldom fill three rows."""
    xs = on_page(binary, ticks)
    if len(xs) == 0:
        return 0.0
    rows = first_row_below(base, xs)[None, :] + np.arange(3)[:, None]
    if rows.max() >= binary.shape[0]:
        return 0.0
    return float(binary[rows, xs].all(axis=0).mean())


def first_row_below(base: Segment, xs) -> np.ndarray:
    """The first row under the line at each of `xs`, clear of its own blurred edge
    (hangs_below, runs_through)."""
    return (base.at(np.asarray(xs, float)) + base.t / 2 + 2).astype(int)


def runs_through(binary: np.ndarray, ticks: list[float], base: Segment) -> float:
    """The share of the ticks whose stroke runs on through the line, inked all through the
    three rows below it (see hangs_below): a comb's ticks end on its line; the stems of
    type's tall letters, a line found through its small letters, run on to their feet (a
    turned 300 dpi page's note under its bold title: P, t and d for the ticks of two cells
    and the title's letters for digits written low in them, read as a field)."""
    inside = [t for t in ticks if 1 <= t < binary.shape[1] - 2]
    if not inside:
        return 0.0
    through = 0
    for t in inside:
        below = int(first_row_below(base, t))
        column = binary[below : below + 3, int(t) - 1 : int(t) + 2]
        through += column.shape[0] == 3 and bool(column.any(axis=1).all())
    return through / len(ticks)


def ticks_on_baseline(ticks: list[float], candidates: list[float], base: Segment, strokes: list[float],
                      binary: np.ndarray | None = None, highest: float = 0.0) -> list[float]:
    """The tick comb's ticks when `ticks`, a grid fitted to the `candidates` (what rises
    from the baseline, merged within the line's thickness), makes one on this baseline;
    else empty. `strokes`: the same, only the pieces of one stroke merged. With `binary`,
    the pieces off the grid count mark by mark (see marks)."""
    step = (ticks[-1] - ticks[0]) / (len(ticks) - 1)
    near = 0.15 * step
    off_candidates = [c for c in candidates if min(abs(c - t) for t in ticks) > near]
    on_grid = len(candidates) - len(off_candidates)
    # letters standing on a line of text: many stems off any grid. Counted stroke by stroke:
    # the stems of bold type stand so close that merged as candidates they passed for ticks
    off_strokes = [c for c in strokes if ticks[0] - near <= c <= ticks[-1] + near and min(abs(c - t) for t in ticks) > near]
    if len(off_candidates) > 0.5 * on_grid or len(off_strokes) > 0.5 * on_grid:
        if binary is None:
            return []
        # digits written low stand on the line one to a cell (a 1, an 8 and a 7 in a comb of
        # four outvoted its five ticks: read as free handwriting); letters stand several to one
        found = marks(binary, base, off_candidates + off_strokes, highest, step)
        if len(found) > 0.5 * on_grid and not one_to_a_cell(found, ticks):
            return []
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


def marks(binary: np.ndarray, base: Segment, xs: list[float], highest: float, step: float) -> dict[int, list[float]]:
    """The marks above the baseline the pieces at `xs` belong to, each with its pieces' xs: pieces joined by ink
    up to `highest` above the line, within a cell's width (`step`), are one mark (a 6
    written low across a tick comb's line crossed it in three pieces, which outvoted the
    comb's five ticks, and the comb was read at half its step, a 1 accepted in a cell of
    no digit). Letters of type stand apart, and a word written joined up or a signature
    is wider than a cell: their pieces count one by one."""
    top, y1 = max(0, int(base.c - base.t / 2 - highest)), max(0, int(base.c - base.t / 2) - 1)
    x0 = max(0, int(min(xs) - step))  # a cell on either side: room to see a mark wider than one
    band = np.ascontiguousarray(binary[top:y1, x0 : int(max(xs) + step) + 1])
    if band.size == 0:
        return {-1 - k: [x] for k, x in enumerate(xs)}
    _, labels, stats, _ = cv2.connectedComponentsWithStats(band, connectivity=8)
    found: dict[int, list[float]] = {}
    for k, x in enumerate(xs):
        column = labels[:, max(0, int(round(x)) - x0 - 1) : int(round(x)) - x0 + 2]
        own = [int(i) for i in np.unique(column[column > 0]) if stats[i, cv2.CC_STAT_WIDTH] <= step]
        # the piece's own mark is the largest there (a dithered fax's specks beside it are none);
        # a piece with no digit-wide ink above the line is a mark of its own
        mark = max(own, key=lambda i: stats[i, cv2.CC_STAT_AREA]) if own else -1 - k
        found.setdefault(mark, []).append(x)
    return found


def one_to_a_cell(found: dict[int, list[float]], ticks: list[float]) -> bool:
    """Whether no cell between the ticks holds pieces of two marks of `found` (marks)."""
    cells = [cell for xs in found.values() for cell in set(np.searchsorted(ticks, xs).tolist())]
    return len(cells) == len(set(cells))
