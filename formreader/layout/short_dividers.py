"""Comb dividers that rise from the bottom line only part way (half-height dividers, short
ticks under a full top line): taken when they are printed alike on an even grid (two,
where ink rises as high at the grid's other places); digits' strokes standing on the line,
and pieces of them the line mask joined, are not (bands.find_bands asks, boxes.py too)."""

from __future__ import annotations

import numpy as np

from .combs import box_cell_counts
from .grids import grids
from .lines import runs_of
from .model import Segment


def short_dividers(vs, top: Segment, bottom: Segment, x0: float, x1: float, tol: float, double_gap: float = 0.0,
                   binary: np.ndarray | None = None) -> list[float]:
    """Dividers standing on the bottom line that stop short of the top one: straight
    pieces no thicker than the line, whose feet run into it, rising a sixth to three
    fifths of the box, three at least, all of one rise to a pixel or two (printed; failing
    that, two printed and others fused with a digit's stroke, every one of them on the
    grid: higher, or, with `binary`, up to the top line or cut short where ink still runs
    up as high), seven in ten of the pieces rising (or four at least, at every place of
    the grid), that with the box's sides make an even grid of cells of box proportions,
    four in five of its places seen; or half of them, with `binary`, where at every other
    place ink rises from the line as high as they do (a tick fused with a digit that
    touches it). Failing all that, with `binary`: two printed alike, or one and the feet of
    pieces run on up into digits' strokes, on an even grid with ink rising as high at its
    other places (ticks_and_hidden).
    (The strokes of digits written into a string box and touching its line pass some of
    these tests, never all: tuned so on the HSF pages.) Their positions, or empty."""
    height = bottom.c - top.c
    # feet in the line; under a double line they may run on to its outer line, `double_gap` below
    feet = [v for v in vs if x0 + tol < v.c < x1 - tol and -(bottom.t / 2 + 2) <= v.a1 - bottom.at(v.c) <= max(tol, double_gap) + 2
            and v.t <= bottom.t + 2]  # drawn with the box's pen, not a digit's
    # (a piece of its own a tenth of the box long at least: a thick line's edge, turned
    # straight by nearest pixels, steps a pixel every so often, and the steps rose as far)
    rising = one_per_place([v for v in feet if 0.15 * height <= bottom.at(v.c) - v.a0 <= 0.6 * height and v.a1 - v.a0 >= 0.1 * height], tol)
    if binary is not None:  # ticks are printed alike: where most are solid ink, a broken piece is no tick
        solid = [v for v in rising if unbroken(binary, v, bottom)]
        rising = solid if len(solid) > len(rising) / 2 else rising
    # a tick run on into a digit's upright stroke above it (a 0's side), as high as the box:
    # where it stands is where its foot does (the stroke above may lean off it)
    tall = [v for v in feet if bottom.at(v.c) - v.a0 > 0.6 * height] if binary is not None else []
    if len(rising) + bool(tall) < 2 or (len(rising) + len(tall) < 3 and binary is None):
        return []
    rise = np.array([bottom.at(v.c) - v.a0 for v in rising])
    alike_tol = 0.03 * height + 1.5  # of one rise, to a pixel or two
    # the rise most pieces share (the median of all fell between the ticks' and the feet of
    # three digits on the line beside them, and let a digit's stroke pass for a tick)
    rising_to = float(np.median(max((rise[np.abs(rise - r) <= alike_tol] for r in rise), key=len)))
    printed = np.abs(rise - rising_to) <= alike_tol
    # ink as high as the lowest of them: printed ticks deskewed to the nearest pixel differ by two or three (variants 1501 p17)
    lowest = float(rise[printed].min())
    ink_rises = lambda x: binary is not None and _ink_rises(binary, x, bottom, lowest, tol)  # noqa: E731
    tall_feet = [x for x in (_foot(binary, v.c, bottom, rising_to, tol) for v in tall) if x is not None]
    # a digit's stroke touches the tick: higher, or cut off lower where the digit's ink
    # joins it (the ink still runs up as high as the ticks rise)
    fused = np.array([not p and (r > rising_to or ink_rises(v.c)) for v, p, r in zip(rising, printed, rise)], bool)
    ticks = [v.c for v, p in zip(rising, printed) if p]
    # the printed ticks alone; else with those fused with digits, every one of them on the grid
    tries = [(ticks, False)] + ([(sorted(ticks + [v.c for v, f in zip(rising, fused) if f] + tall_feet), True)]
                                if len(ticks) >= 2 and (fused.any() or tall_feet) else [])
    for alike, all_on_grid in tries:
        # most pieces alike; fewer (digits' feet on the line beside them), at every place of the grid
        every_place = len(alike) < 0.7 * len(rising)
        if len(alike) < 3:  # four cells at least
            continue
        # the likeliest grid; then one where many ticks are hidden, which every tick seen must be on
        likeliest = None
        for k, grid in enumerate(grids(sorted([x0, *alike, x1]), 0.45 * height)):
            grid = to_the_sides(grid, alike, x0, x1)
            strict = k > 0 or all_on_grid or every_place
            if on_tick_grid(grid, alike, x0, x1, height, tol, ink_rises, every_seen=strict, every_place=every_place):
                if strict or on_tick_grid(grid, alike, x0, x1, height, tol, ink_rises, every_seen=True, every_place=every_place):
                    return [float(x) for x in grid[1:-1]]
                # a tick printed alike off it: a finer grid, its other ticks hidden under
                # digits, may take them all (a dithered comb read at twice its step, fax 1164 p18)
                likeliest = grid
        if likeliest is not None:
            return [float(x) for x in likeliest[1:-1]]
    if len(ticks) == 1:  # one printed alike; where others run on up into digits' strokes, their feet
        ticks = sorted(ticks + tall_feet)
    return ticks_and_hidden(ticks, x0, x1, height, ink_rises) if binary is not None else []


def to_the_sides(grid: list[float], seen: list[float], x0: float, x1: float) -> list[float]:
    """The grid run on to the box's sides where they lie about one step beyond its ends: a
    rounded frame's side is found inside its arc, a few pixels in from where the cells
    end, so its end cells came out a fifth narrower than the rest, off the ticks' grid, and
    the comb was read as one string box (formgen's variants, seed 571). Only a grid of four
    places or more, a tick `seen` at every one: the strokes of digits standing on a string
    box's line may fall on a grid of two or three."""
    if len(grid) < 4:
        return grid
    step = float(np.diff(grid).mean())
    if any(min(abs(np.asarray(seen) - x)) > 0.1 * step for x in grid):
        return grid
    if abs(grid[0] - x0) > 0.1 * step and abs(grid[0] - step - x0) <= 0.25 * step:
        grid = [x0, *grid]
    if abs(grid[-1] - x1) > 0.1 * step and abs(grid[-1] + step - x1) <= 0.25 * step:
        grid = [*grid, x1]
    return grid


def ticks_and_hidden(ticks: list[float], x0: float, x1: float, height: float, ink_rises) -> list[float]:
    """A comb of four cells or more whose short dividers are all hidden under its digits'
    strokes but two (a 2 written against its third tick), or but one and the feet of
    others run on up into digits' strokes (a 0's side leaning on one, a bold 0 over
    another): these on the even grid from side to side, each at a place of its own, and
    at each of its other places ink rising from the line as high as the ticks do. Two
    strokes of a digit string standing on the line are not so placed, nor is ink at every
    other place. The grid's inner places, or empty."""
    if len(ticks) < 2:
        return []
    for n in box_cell_counts(x1 - x0, height, least=4):
        step = (x1 - x0) / n
        places = [x0 + k * step for k in range(1, n)]
        on = [min(range(n - 1), key=lambda k: abs(places[k] - t)) for t in ticks]
        if len(set(on)) == len(ticks) and all(abs(places[k] - t) <= 0.1 * step for k, t in zip(on, ticks)) \
                and all(ink_rises(x) for k, x in enumerate(places) if k not in on):
            return [ticks[on.index(k)] if k in on else x for k, x in enumerate(places)]
    return []


def one_per_place(pieces: list[Segment], tol: float) -> list[Segment]:
    """The highest of the pieces standing within `tol` of each other: the round foot of a
    0 or a 6 on the line gives several short pieces side by side, which, one vote each,
    outvoted the ticks' rise."""
    groups: list[list[Segment]] = []
    for v in sorted(pieces, key=lambda v: v.c):
        if groups and v.c - groups[-1][-1].c <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [min(g, key=lambda v: v.a0) for g in groups]


def on_tick_grid(grid: list[float], seen: list[float], x0: float, x1: float, height: float, tol: float, ink_rises,
                 every_seen: bool = False, every_place: bool = False) -> bool:
    """Whether the grid runs from side to side in cells of box proportions, four in five of
    its inner places seen (two in three when six or more), or half of them and ink rising
    at every other (and, with `every_seen`, no stroke seen off it, as a digit's is in a real
    NIST string box `505`, but a digit's foot beside one of four ticks or more; with
    `every_place`, a stroke seen at each of its places)."""
    if len(grid) < 3 or abs(grid[0] - x0) > tol + 3 or abs(grid[-1] - x1) > tol + 3:
        return False
    step = float(np.diff(grid).mean())
    places = np.asarray(grid)
    on = [x for x in seen if min(abs(places - x)) <= 0.1 * step]
    # where four ticks or more stand on the grid, a stroke off it beside one of them, nearer
    # than any cell is narrow, is a digit's foot by the tick (an 8 written against it), no
    # divider of another grid (two or three strokes on a grid may be a string's digits)
    by_tick = lambda x: len(on) >= 4 and min(abs(np.asarray(on) - x)) < 0.45 * height  # noqa: E731
    if every_seen and any(min(abs(places - x)) > 0.1 * step and not by_tick(x) for x in seen):
        return False
    hidden = [x for x in grid[1:-1] if min(abs(np.asarray(seen) - x)) > 0.1 * step]
    inner = len(grid) - 2
    if not (0.45 <= step / height <= 1.7) or inner - len(hidden) < 0.5 * inner or (every_place and hidden):
        return False
    seen_places = inner - len(hidden)
    # six ticks printed alike on one grid are no chance strokes: two in three places suffice
    # (digits written low, across the line, hide the ticks they cross and leave gaps in the ink)
    many = seen_places >= 6 and seen_places >= 2 / 3 * inner
    return seen_places >= 0.8 * inner or many or all(ink_rises(x) for x in hidden)


def unbroken(binary: np.ndarray, v: Segment, bottom: Segment, most_gap: int = 2) -> bool:
    """Whether ink runs from the piece's top down to the bottom line, within its width and a
    pixel, broken nowhere for more than `most_gap` rows. The line mask mends gaps of a few
    rows: a 5's stem and the foot of its bowl on the line, joined so, rose as high as the
    comb's short ticks and put the comb on a grid of half its step (turned 1495 p3)."""
    reach = int(v.t / 2) + 1
    rows = binary[int(v.a0) : int(bottom.at(v.c) - bottom.t / 2), max(0, int(v.c) - reach) : int(v.c) + reach + 1]
    empty = np.flatnonzero(~rows.any(axis=1)) if rows.size else np.zeros(0, int)
    return not len(empty) or max(len(run) for run in runs_of(empty)) <= most_gap


def _ink_rises(binary: np.ndarray, x: float, bottom: Segment, rise: float, reach: float) -> bool:
    """Whether ink runs up from the bottom line at `x` as high as a tick rises."""
    line = bottom.at(x)  # (where the line runs, to the pixel: a sloping line's middle lay 2 px off at a long comb's end, slant 1519 p9)
    rows = binary[int(line - rise) + 1 : int(line - bottom.t / 2), max(0, int(x - reach)) : int(x + reach) + 1]  # a tick's tip, to a pixel
    return rows.size > 0 and rows.any(axis=1).mean() >= 0.97


def _foot(binary: np.ndarray, x: float, bottom: Segment, rise: float, reach: float) -> float | None:
    """The middle of the columns within `reach` of x filled all the way up the lower half of
    a tick's rise above the bottom line, or None where there are none."""
    left = max(0, int(x - reach))
    line = bottom.at(x)
    rows = binary[int(line - rise / 2) : int(line - bottom.t / 2), left : int(x + reach) + 1]
    full = np.flatnonzero(rows.all(axis=0)) if rows.size else []
    return left + (full[0] + full[-1]) / 2 + 0.5 if len(full) else None
