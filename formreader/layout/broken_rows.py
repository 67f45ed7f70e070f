"""A row of boxes drawn with faint lines that both broke, each where the other runs on
(broken_rows_joined): a pale comb's hairlines, a pixel thick, come through the page's
threshold in dashes, and the line mask keeps them in pieces, broken at different places
at the top and at the bottom. No band pairs such lines (find_bands' "broken" mode wants
one of them whole), so their pieces are joined first, before bands are looked for.
Separate boxes a little apart break both lines at the same places: they stay apart."""

from __future__ import annotations

import numpy as np

from .lines import rows_of_both
from .model import LayoutConfig, Segment


def broken_rows_joined(pieces: list[Segment], binary: np.ndarray, px, config: LayoutConfig) -> list[Segment]:
    """`pieces` (horizontal lines) with each faint line that broke in pieces made one, where
    another so broken lies a box's height above or below it, the two starting and ending
    together, and each running on across every gap of the other (variants 1581 p13: a pale
    rounded comb, its top broken in three pieces and its bottom in four, was found as four
    boxes and two lone ones, its other four digits read as free handwriting)."""
    rows = [row for row in collinear_runs(pieces, binary, px(config.line_kernel), px(config.double_gap)) if len(row) >= 2]
    ends = px(config.line_end)
    joined: dict[int, list[Segment]] = {}
    for top in rows:
        for bottom in rows:
            if px(config.min_box) <= bottom[0].c - top[0].c <= px(config.max_box) \
                    and abs(top[0].a0 - bottom[0].a0) <= ends and abs(top[-1].a1 - bottom[-1].a1) <= ends \
                    and runs_across_gaps(top, bottom) and runs_across_gaps(bottom, top):
                joined[id(top[0])], joined[id(bottom[0])] = top, bottom
    if not joined:
        return pieces
    used = {id(p) for row in joined.values() for p in row}
    return [p for p in pieces if id(p) not in used] + [one_line(row) for row in joined.values()]


def collinear_runs(pieces: list[Segment], binary: np.ndarray, max_gap: float, max_paper: float) -> list[list[Segment]]:
    """The pieces in runs along one row, each gap at most `max_gap` long and holding at most
    `max_paper` columns with no ink at all in the line's rows (a faint line's gap holds its
    dashes, a step or two off the row; the gap between two boxes is paper)."""
    runs: list[list[Segment]] = []
    by_row: dict[int, list[list[Segment]]] = {}  # runs by the row their first piece lies on
    for s in sorted(pieces, key=lambda s: s.a0):
        near = (run for r in range(int(s.c) - 2, int(s.c) + 3) for run in by_row.get(r, ()))
        for run in near:
            last = run[-1]
            if abs(last.c - s.c) <= 1.5 and 0 < s.a0 - last.a1 <= max_gap:
                y0, y1 = rows_of_both(last, s)
                if (~binary[max(0, y0) : y1, int(last.a1) : int(s.a0) + 1].any(axis=0)).sum() <= max_paper:
                    run.append(s)
                    break
        else:
            runs.append([s])
            by_row.setdefault(int(s.c), []).append(runs[-1])
    return runs


def runs_across_gaps(row: list[Segment], other: list[Segment]) -> bool:
    """Each gap between `row`'s pieces lies along one piece of `other` (a pixel's slack)."""
    return all(any(p.a0 <= a.a1 + 1 and p.a1 >= b.a0 - 1 for p in other) for a, b in zip(row, row[1:]))


def one_line(row: list[Segment]) -> Segment:
    """The pieces of a row as one line, lying as its longest piece does."""
    longest = max(row, key=lambda p: p.a1 - p.a0)
    return Segment(row[0].a0, max(p.a1 for p in row), longest.c, max(p.t for p in row), longest.slope, longest.pivot)
