"""A string field's ink split into marks (split_string: cut where the ink is thinnest,
fragments absorbed into their neighbours), and the questions the string cut asks of it:
lines across a free row (lines_across), marks wholly within the box (marks_within), a
mark no digit took (left_out), the upright bars of a row of boxes read as a string
(ruled)."""

from __future__ import annotations

import cv2
import numpy as np

from .box_ink import window_ink
from .layout import components

FLAT_TALL = 0.35  # of a string's digits' height: a mark half a digit wide and this tall is a flat digit
RULED_BARS = 4  # upright bars of one height with their tops in line: the sides of boxes in a string field


def lines_across(ink: np.ndarray, length: int) -> np.ndarray:
    """Mask of the straight level lines at least `length` long in `ink` (a window's),
    with their soft edges. Dark ink only: a pale page's faint ink that cell_ink keeps runs
    on from the strokes over the paper in broad patches, whose every row passed for a line."""
    inked = (ink > 90).astype(np.uint8)
    lines = cv2.morphologyEx(inked, cv2.MORPH_OPEN, np.ones((1, max(3, length)), np.uint8))
    return cv2.dilate(lines, np.ones((3, 1), np.uint8)) > 0


def marks_within(window: np.ndarray, inner: tuple[int, int, int, int], line: float) -> np.ndarray:
    """The window's ink (window_ink) of the marks that lie wholly within the box, clear of
    its lines (`line` thick): none that runs in from outside or along a side, none a pixel
    wide (a hairline's pieces: a comb's dividers within a frame taken for the box)."""
    x0, y0, x1, y1 = inner
    edge = int(line / 2 + 3)
    ink = window_ink(window[y0 + edge : y1 - edge, x0 + edge : x1 - edge])
    out = np.zeros(window.shape, np.float32)
    if ink.size == 0:
        return out
    count, labels, stats, _ = components((ink > 60).astype(np.uint8))
    h, w = ink.shape
    x, y, bw, bh = (stats[:, k] for k in range(4))
    inside = (x > 0) & (y > 0) & (x + bw < w) & (y + bh < h) & (bw >= 2)
    inside[0] = False
    out[y0 + edge : y1 - edge, x0 + edge : x1 - edge] = np.where(inside[labels], ink, 0)
    return out


def left_out(ink: np.ndarray, taken: list[tuple[int, int]]) -> bool:
    """Whether the string's ink holds a mark as tall as half its digits that none of the
    column ranges `taken` holds: a faint digit broken into dots, each dropped as a piece of
    a stroke (split_string), so the string reads a digit short, every digit sure (a pale
    1 between an 8 and a 7: `871073` for `8171073`, accepted). The dots of one mark lie
    within a digit's width; dust and noise seldom stand half a digit tall in a column. A
    mark half as wide as the digits are tall (up to as wide) and a third as tall
    (FLAT_TALL) is a digit too: a 2 written small and flat, 17 px high among digits of 37,
    dropped as a piece of a stroke (`175928` for `1275928`, accepted: other 1702 p1); a
    hyphen is thinner."""
    strong = (ink > 90).astype(np.uint8)
    # a mark's fainter ink too: a pale digit on a dithered page made grey again is strong
    # only along a few pixels (a 6 a third as tall as its neighbours, `310` for `3106`)
    count, _, stats, _ = components((ink > 60).astype(np.uint8))
    rows = [np.flatnonzero(strong[:, x0:x1].any(axis=1)) for x0, x1 in taken]
    heights = [r[-1] - r[0] + 1 for r in rows if len(r)]
    if not heights:
        return False
    height = float(np.median(heights))
    stray = sorted((x, y, x + w, y + h) for x, y, w, h, area in stats[1:count].tolist()
                   if area >= 6 and not any(x0 <= x + w / 2 < x1 for x0, x1 in taken))
    for k, (x0, _, _, _) in enumerate(stray):
        mark = [s for s in stray[k:] if s[2] - x0 <= 0.7 * height]  # (a digit is at most about 0.7 times as wide as tall)
        if mark and max(s[3] for s in mark) - min(s[1] for s in mark) >= 0.5 * height:
            return True
        _, y0, x1, y1 = stray[k]
        if y1 - y0 >= FLAT_TALL * height and 0.5 * height <= x1 - x0 <= height:
            return True
    return False


def ruled(ink: np.ndarray) -> bool:
    """Whether a string's ink holds the sides of boxes: four or more thin upright bars
    (five times as tall as wide or more) of one height, their tops on one line. A row of
    boxes the layout missed (a tinted row at JPEG quality 25) came to the string reader
    so, and both readers read every side as a sure 1; handwritten 1s lean, wave and
    differ in height."""
    count, _, stats, _ = components((ink > 90).astype(np.uint8))
    bars = [s for s in stats[1:count] if s[3] >= 5 * s[2] and s[3] >= 0.5 * ink.shape[0]]
    for _, top, _, height, _ in bars:
        alike = [s for s in bars if abs(s[1] - top) <= max(2, 0.06 * height) and abs(s[3] - height) <= max(2, 0.08 * height)]
        if len(alike) >= RULED_BARS:
            return True
    return False


def split_string(ink: np.ndarray) -> list[list[list[tuple[int, int]]]]:
    """The digits of a string, as groups of ink left to right; for each group the ways
    to cut it into column ranges, the likeliest first. Connected pieces are joined when
    they overlap in x (broken strokes); a group much wider than a digit is cut at its
    thinnest columns (touching digits), into one piece more or fewer as well when its
    width leaves that open."""
    strong = (ink > 90).astype(np.uint8)
    count, _, stats, _ = components(strong)
    pieces = sorted((int(s[0]), int(s[0] + s[2]), int(s[3])) for s in stats[1:count] if s[4] >= 6)
    groups: list[list[int]] = []
    for x0, x1, h in pieces:
        if groups:
            g0, g1 = groups[-1][0], groups[-1][1]
            overlap = min(x1, g1) - max(x0, g0)
            if overlap >= 0.4 * min(x1 - x0, g1 - g0):
                groups[-1] = [min(g0, x0), max(g1, x1), max(groups[-1][2], h)]
                continue
        groups.append([x0, x1, h])
    if not groups:
        return []
    height = float(np.median([g[2] for g in groups]))
    groups = _absorb_fragments(groups, height)
    typical = 0.7 * height  # handwritten digits are about 0.5-0.8 times as wide as tall
    profile = strong.sum(axis=0)
    out = []
    for x0, x1, _ in groups:
        r = (x1 - x0) / typical
        n = int(round(r)) if r > 1.45 else 1
        counts = [n] + [m for m in (n - 1, n + 1) if m >= 1 and 0.6 <= r / m <= 1.8]
        out.append([_cut_at_thinnest(profile, x0, x1, m, typical) for m in counts])
    return out


def _cut_at_thinnest(profile: np.ndarray, x0: int, x1: int, n: int, typical: float) -> list[tuple[int, int]]:
    """x0..x1 cut into n column ranges, each cut at the thinnest column near its even share."""
    cuts = [x0]
    for k in range(1, n):
        nominal = x0 + (x1 - x0) * k / n
        lo, hi = int(nominal - 0.25 * typical), int(nominal + 0.25 * typical) + 1
        cuts.append(lo + int(np.argmin(profile[lo:hi])))
    cuts.append(x1)
    return list(zip(cuts[:-1], cuts[1:]))


def _absorb_fragments(groups: list[list[int]], height: float) -> list[list[int]]:
    """Pieces much shorter than the string's digits are bits of a broken stroke: joined to
    the neighbour they almost touch, else dropped (read alone, they come out as a sure 1)."""
    out = [list(g) for g in groups]
    k = 0
    while k < len(out):
        x0, x1, h = out[k]
        if h >= 0.45 * height or len(out) == 1:
            k += 1
            continue
        gaps = [(x0 - out[j][1], j) for j in (k - 1,) if j >= 0] + [(out[j][0] - x1, j) for j in (k + 1,) if j < len(out)]
        gap, j = min(gaps)
        if gap <= 0.25 * height:
            out[j] = [min(out[j][0], x0), max(out[j][1], x1), out[j][2]]
        del out[k]
        k = 0
    return out
