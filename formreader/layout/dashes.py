"""Dashed lines: boxes drawn with dashes, a dash and a gap of about the same length,
are made solid lines before the skew is measured and the line finder looks (it closes
only gaps of a few pixels, so a dashed box broke up: blank rows were lost, written ones
read as free handwriting, and a page with no solid line was not deskewed), and on the
page the cut reads (left dashed, the dashes stayed in the boxes as marks).

A dash is a short straight piece of ink, thin as a box line and one and a half times as
long as thick at least; a dashed line is three dashes or more in a row along one line,
each about as long as the last and the gaps between them shorter than two dashes. Dots
are no dashes (a dotted leader stays as it is), nor are a digit's strokes, which do not
fall into a row of like pieces. Boxes less than about 0.04 in apart stay a limit: their
two sides, drawn solid, run together as solid ones do."""

from __future__ import annotations

import cv2
import numpy as np

from .lines import shape_bounds
from .model import LayoutConfig

MIN_DASHES = 3  # a dashed box's side is three or four dashes long
TURN = 0.1  # a row of dashes may climb this much per pixel along it (a page turned up to about 5 degrees)
REACH = 8  # pixels either side of a dashed line in which its thickness is measured on the grey page


def dashed_lines(binary: np.ndarray, dpi: float, config: LayoutConfig) -> list[tuple[float, float, float, float, int]]:
    """(x0, y0, x1, y1, thickness): the middle line of each dashed line on a binary page,
    both ways (a box's sides too), all at the page's one tilt (up to about 5 degrees):
    a row of three or four dashes, their middles a pixel apart at best, says little of
    its own tilt, and a line drawn a degree or two off lost its box after deskewing."""
    bounds = shape_bounds(binary)
    if not len(bounds):
        return []
    rows = []  # (horizontal, start, end, middle along, middle across, thickness)
    spread = lean = 0.0  # the rows' tilt, fitted jointly: each row its own line, all of one slope
    for horizontal in (True, False):
        x, y, w, h = (bounds if horizontal else bounds[:, [1, 0, 3, 2]]).T.astype(np.float64)
        # along the line: w; across it: h (for vertical dashes the roles swap)
        thin = (h <= max(2, config.max_line * dpi)) & (2 * w >= 3 * h) & (w >= config.dash_min * dpi) & (w <= config.dash_max * dpi)
        x, c, w, h = x[thin], y[thin] + (h[thin] - 1) / 2, w[thin], h[thin]  # c: through the middle pixels
        for row in chains(x, c, w):
            mid = x[row] + (w[row] - 1) / 2
            along, across = mid - mid.mean(), c[row] - c[row].mean()
            spread += float(along @ along)
            lean += float(along @ across) * (1 if horizontal else -1)  # a vertical line leans the other way
            gaps = x[row[1:]] - (x[row[:-1]] + w[row[:-1]])
            rows.append((horizontal, float(x[row[0]]), float(max(x[row] + w[row] - 1)), float(mid.mean()), float(c[row].mean()),
                         int(np.median(h[row])), float(np.median(w[row])), float(np.median(gaps))))
    if not rows:
        return []
    tilt = lean / spread if spread else 0.0
    out = []
    for horizontal, a0, a1, mid, c, t in run_on_to_sides(rows, tilt):
        s = tilt if horizontal else -tilt
        c0, c1 = c + s * (a0 - mid), c + s * (a1 - mid)
        out.append((a0, c0, a1, c1, t) if horizontal else (c0, a0, c1, a1, t))
    return out


def run_on_to_sides(rows: list[tuple], tilt: float) -> list[tuple]:
    """Each dashed line's ends run on to the dashed line across them (the box's side, or its
    top or bottom line) that crosses it beyond an end, a gap and a dash away at most, where
    none crosses at the end already: at a box's corner the first dash of its side and of
    its top or bottom line make one L-shaped piece, no dash, so both lines stopped short
    of the corner, the sides short of the lines, and the boxes of a turned page went
    unfound. A line that reaches its own side is not run on to the next box's. `rows`:
    (horizontal, a0, a1, middle along, middle across, thickness, dash, gap), all of one
    `tilt` (dashed_lines)."""
    out = []
    flat, b0, b1, bmid, bc, bt = (np.array([r[k] for r in rows], float) for k in range(6))  # (flat: 1 for a horizontal line)
    for horizontal, a0, a1, mid, c, t, dash, gap in rows:
        reach, at = gap + dash + t + 1, max(2.0, dash / 2)  # (the corner: a gap, an L-shaped dash, the line)
        s = tilt if horizontal else -tilt
        sb = -s  # the lines across lean the other way
        x = (bc + sb * (c - bmid) - s * sb * mid) / (1 - s * sb)  # where each line crosses this one's, along it
        # the lines across that come near this one (short of the corner too, as far)
        near = (flat != horizontal) & (b0 - 2 * reach <= c + s * (x - mid)) & (c + s * (x - mid) <= b1 + 2 * reach)
        crossings, widths = x[near], bt[near]
        ends = []
        for end, way in ((a0, -1), (a1, 1)):
            beyond = np.flatnonzero((way * (crossings - end) > at) & (way * (crossings - end) <= reach))
            if (np.abs(crossings - end) <= at).any() or not len(beyond):
                ends.append(end)
                continue
            k = beyond[np.argmin(np.abs(crossings[beyond] - end))]
            ends.append(float(crossings[k] - way * widths[k] / 2))  # to its near edge: run on to its middle, lines of boxes a little apart met
        out.append((horizontal, ends[0], ends[1], mid, c, t))
    return out


def chains(x, c, w) -> list[list[int]]:
    """The rows of MIN_DASHES dashes or more along one straight line (dashes at x to
    x + w along it, their middles at c across it): each next dash within a pixel and a
    half of where the last one's line goes on, about as long (a factor of 1.6), after a
    gap shorter than twice the dashes' length."""
    rows: dict[int, list[list[int]]] = {}  # rows being built, by their last dash's centre row
    for i in np.argsort(x, kind="stable").tolist():
        found = None
        for key in range(int(c[i]) - 4, int(c[i]) + 5):
            for row in rows.get(key, ()):
                j = row[-1]
                gap = x[i] - (x[j] + w[j])
                if 0 <= gap <= 2 * max(w[i], w[j]) and max(w[i], w[j]) <= 1.6 * min(w[i], w[j]) \
                        and abs(c[i] - c[j]) <= 1.5 + TURN * (x[i] - x[j]):
                    found = key, row
                    break
            if found:
                break
        if found:
            key, row = found
            rows[key].remove(row)
        else:
            row = []
        row.append(i)
        rows.setdefault(int(c[i]), []).append(row)
    return [r for rs in rows.values() for r in rs if len(r) >= MIN_DASHES]


def dash_angles(lines) -> list[tuple[float, float]]:
    """(degrees to rotate by to make it level or upright, length) of each dashed line, for
    find_skew: the skew of a page whose only lines are dashed."""
    out = []
    for x0, y0, x1, y1, _ in lines:
        dx, dy = x1 - x0, y1 - y0
        horizontal = abs(dx) >= abs(dy)
        out.append((float(np.degrees(np.arctan(dy / dx if horizontal else -dx / dy))), float(max(abs(dx), abs(dy)))))
    return out


def draw_solid(binary: np.ndarray, lines) -> np.ndarray:
    """The binary page with each dashed line drawn solid (a copy; as it is when none)."""
    if not lines:
        return binary
    out = binary.copy()
    for x0, y0, x1, y1, t in lines:
        cv2.line(out, (round(x0), round(y0)), (round(x1), round(y1)), 255, max(1, t - 1))
    return out


def draw_on_gray(gray: np.ndarray, lines) -> np.ndarray:
    """The grey page with each dashed line (x0, y0, x1, y1 in its pixels: Layout.dashes)
    drawn solid, as dark and as thick as its dashes are there, so that the cut removes it
    as a box line: left dashed, its dashes stayed in the cut as marks (a blank box read as
    "not a digit"). A copy; the page as it is when there are none."""
    if not lines:
        return gray
    out = gray.copy()
    h, w = gray.shape
    for x0, y0, x1, y1 in lines:
        level_line = abs(x1 - x0) >= abs(y1 - y0)
        n = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
        along, at = (np.linspace(x0, x1, n), np.linspace(y0, y1, n)) if level_line else (np.linspace(y0, y1, n), np.linspace(x0, x1, n))
        base = at.round()
        rows = np.clip(base + np.arange(-REACH, REACH + 1)[:, None], 0, (h if level_line else w) - 1).astype(int)
        cols = np.clip(along.round(), 0, (w if level_line else h) - 1).astype(int)
        profile = (gray[rows, cols] if level_line else gray[cols, rows]).astype(np.float32)  # (across, along)
        darkest, paper = profile.min(axis=0), float(np.percentile(profile, 90))
        on_dash = darkest < (float(np.median(darkest)) + paper) / 2  # where a dash crosses, not a gap
        if not on_dash.any():
            continue
        level = float(np.median(darkest[on_dash]))
        widths, middles = [], []
        for k in np.flatnonzero(on_dash):
            a, b = nearest_run(profile[:, k] < (level + paper) / 2, REACH)
            if b > a:
                weight = paper - profile[a:b, k]
                widths.append(b - a)
                middles.append(base[k] - REACH + float(weight @ np.arange(a, b)) / float(weight.sum()) - at[k])
        if not widths:
            continue
        thick = max(1, int(np.median(widths)) - 2)  # drawn soft (anti-aliased), as wide as the dashes
        off = float(np.median(middles))  # where the dashes lie across it (it was found on a shrunk page)
        dx, dy = (0.0, off) if level_line else (off, 0.0)
        ends = [(round((x + dx) * 16), round((y + dy) * 16)) for x, y in ((x0, y0), (x1, y1))]  # to 1/16 px
        cv2.line(out, *ends, int(level), thick, cv2.LINE_AA, 4)
    return out


def nearest_run(dark: np.ndarray, at: int) -> tuple[int, int]:
    """(start, end) of the run of True in `dark` nearest index `at`: the line across,
    not a parallel line close by (the side of the next box); (at, at) when none."""
    ks = np.flatnonzero(dark)
    if not len(ks):
        return at, at
    a = b = int(ks[np.argmin(np.abs(ks - at))])
    while a > 0 and dark[a - 1]:
        a -= 1
    while b + 1 < len(dark) and dark[b + 1]:
        b += 1
    return a, b + 1
