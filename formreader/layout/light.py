"""The page as the finders see it: its resolution (estimate_dpi), shrunk keeping thin
lines dark, its light evened out and a pale scan's ink darkened, and its skew measured
from the straight runs of ink its lines leave (find_skew; a page with no long line, by
the spread of its rows: profile_skew)."""

from __future__ import annotations

import cv2
import numpy as np

from .lines import pieces
from .model import LayoutConfig


def estimate_dpi(gray: np.ndarray, dpi: float | None) -> float:
    """The file's dpi when it is plausible, else from the page's shorter side (A4 or Letter,
    upright, lying on its side or printed landscape)."""
    if dpi and 70 <= dpi <= 1200:
        return float(dpi)
    return min(gray.shape[:2]) / 8.4


def shrink_keeping_lines(gray: np.ndarray, scale: float) -> np.ndarray:
    """Downscale with a min filter first, so thin light lines stay as dark as they were."""
    if scale >= 1:
        return gray
    k = int(np.ceil(1 / scale))
    darkest = cv2.erode(gray, np.ones((k, k), np.uint8))
    return cv2.resize(darkest, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)


def local_paper(gray: np.ndarray, dpi: float) -> np.ndarray:
    """The paper's brightness around each pixel (a max filter wider than any stroke, blurred)."""
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    k = max(3, int(dpi * 0.25 * 0.12) | 1)
    paper = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    paper = cv2.GaussianBlur(paper, (0, 0), k)
    return cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)


def normalise_background(gray: np.ndarray, dpi: float) -> np.ndarray:
    """Divide by the local paper brightness."""
    return cv2.divide(gray, np.maximum(local_paper(gray, dpi), 1), scale=255)


def deepened_pale_ink(gray: np.ndarray, dpi: float, config: LayoutConfig | None = None) -> np.ndarray:
    """A pale scan (its darkest ink lighter than config.pale_ink of its paper: a scanner
    set too light, a faded carbon copy, pencil) with its ink darkened, each pixel's step
    below its local paper stretched so the darkest ink lies at config.deep_ink of it; any
    other page as it is. On a pale page light box lines lay above the layout's ink level
    (paper_share) and rows of boxes and tick combs were lost (formgen pages 92.6% recall).
    The darkest ink is the 0.2th percentile of every fourth pixel each way: 0.00-0.24 of
    the paper's median on scans of three makers (lit unevenly, blurred, JPEG, 1-bit and the
    NIST pages too), 0.61-0.70 on pale ones.

    >>> page = np.full((400, 400), 250, np.uint8); page[100:300, 100:110] = 160
    >>> int(deepened_pale_ink(page, 100)[200, 105]) < 80, int(deepened_pale_ink(page, 100)[50, 50])
    (True, 250)
    """
    config = config or LayoutConfig()
    sample = np.ascontiguousarray(gray[::4, ::4])
    counts = np.cumsum(cv2.calcHist([sample], [0], None, [256], [0, 256]).ravel())
    darkest = int(np.searchsorted(counts, 0.002 * sample.size))
    paper = int(np.searchsorted(counts, 0.5 * sample.size))
    # a pale page only: not one of dark ink, nor one with no ink but faint marks (a blank
    # form in light lines), whose paper's grain would be stretched into marks as well
    if not config.pale_ink * paper < darkest <= config.pale_most * paper:
        return gray
    gain = (1 - config.deep_ink) / (1 - darkest / paper)
    around = local_paper(gray, dpi).astype(np.float32)
    return np.clip(around - (around - gray) * gain, 0, 255).astype(np.uint8)


def straight_runs(binary: np.ndarray, dpi: float):
    """(x, y, w, h, own) for each straight horizontal run of ink a quarter inch long at
    least and five times as long as thick: the pieces of lines the skew is measured on."""
    runs = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(5, int(dpi * 0.06)), 1)))
    return pieces(runs, lambda w, h: w >= dpi / 4 and w >= 5 * h)


def find_skew(binary: np.ndarray, dpi: float, config: LayoutConfig, more: list = ()) -> float:
    """Degrees to rotate by so that long lines become horizontal (0 when none are found,
    LayoutConfig.max_skew_deg at most).
    A page without lines an inch long (rows of boxes and printed text only) is measured
    on the top and bottom lines of its boxes, a quarter inch long at least, when there
    are a few rows of them (a handful of pieces could be bars of digits). `more`: (angle,
    length) of lines found otherwise (dashed lines, their tilt fitted on all of them at
    once), taken first when they run an inch in all and further than the solid lines an
    inch long and no thicker than a bold line (a dashed line drawn solid is bent by its
    dashes and corners; and a fax's speckled dark corner holds a few rows of specks that
    pass for dashes, whose tilt turned a page of solid lines the wrong way; a light tint
    band is no line, though a piece of it may pass for a long one)."""
    long, short = [], []  # (angle, length)
    solid = 0.0
    for x, y, w, h, own in straight_runs(binary, dpi):
        m = cv2.moments(own, binaryImage=True)
        slope = m["mu11"] / m["mu20"]  # the least-squares line through the piece's pixels
        (long if w >= dpi and w >= 8 * h else short).append((np.degrees(np.arctan(slope)), w))
        if w >= dpi and m["m00"] <= config.bold_line * dpi * w:  # its mean thickness: a line's, turned or not
            solid += w
    found = (list(more) if sum(length for _, length in more) >= max(dpi, solid) else []) or long or (short if len(short) >= 8 else [])
    if not found:
        return 0.0
    angles, weights = np.array(found).T
    order = np.argsort(angles)
    cumulative = np.cumsum(weights[order])
    median = float(angles[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
    # turned further than the most a page is turned (a keystone's far rows past it): by
    # that most, which leaves its rows off by less than not turning it at all would
    return float(np.clip(median, -config.max_skew_deg, config.max_skew_deg))


def profile_skew(binary: np.ndarray, max_deg: float, step: float = 0.1) -> float:
    """Degrees to rotate by so that the page's ink lines up in rows: the turn whose row
    sums vary most (the classic projection profile), on a quarter of the page. For pages
    whose lines are too broken to measure one by one (a fax's dotted hairlines)."""
    small = cv2.resize(binary, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA).astype(np.float32)
    h, w = small.shape

    def spread(angle: float) -> float:
        turned = cv2.warpAffine(small, cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0), (w, h), flags=cv2.INTER_LINEAR)
        return float(np.var(turned.sum(axis=1)))

    return float(max(np.arange(-max_deg, max_deg + step / 2, step), key=spread))


def thin_lines(binary: np.ndarray, dpi: float, thin: float) -> bool:
    """Whether the page's lines are thin (the median of its straight runs a quarter inch
    long is at most `thin` pixels thick, by their mean thickness), or broken into steps too
    short to measure: none is so long."""
    thickness = [own.sum() / w for _, _, w, h, own in straight_runs(binary, dpi)]
    return not thickness or float(np.median(thickness)) <= thin
