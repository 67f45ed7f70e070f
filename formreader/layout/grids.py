"""Evenly spaced positions fitted to candidates (comb dividers, tick-comb ticks), when
some are hidden under ink and some strokes stand off the grid."""

from __future__ import annotations

import numpy as np


def grids(xs: list[float], min_step: float):
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
        grid = best_grid(xs_arr, steps)
        if grid:
            yield grid


def best_grid(xs: np.ndarray, steps: list[float]) -> list[float]:
    """The grid of one of `steps` with the most of `xs` on it (60% of its positions
    seen at least), seen positions kept (the nearest to the fitted grid, where two are
    seen at one) and hidden ones fitted."""
    best: tuple[int, list[float]] = (0, [])
    for step in steps:
        for origin in xs:
            k = np.round((xs - origin) / step)
            on_grid = np.abs(xs - origin - k * step) <= 0.15 * step
            ks = k[on_grid].astype(int)
            if len(ks) <= best[0] or len(ks) < 3 or ks.min() == ks.max() or len(set(ks)) < 0.6 * (ks.max() - ks.min() + 1):
                continue
            fit_step, fit_origin = np.polyfit(ks, xs[on_grid], 1)  # the step the seen ones give
            # where two stand at one place (a tick and a 6's stem beside it), the one nearer the fit
            snapped: dict[int, float] = {}
            for kk, x in sorted(zip(ks.tolist(), xs[on_grid].tolist()), key=lambda p: -abs(p[1] - fit_origin - p[0] * fit_step)):
                snapped[kk] = x
            best = (len(ks), [snapped.get(kk, fit_origin + kk * fit_step) for kk in range(ks.min(), ks.max() + 1)])
    return best[1]
