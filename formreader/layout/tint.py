"""Tinted fields: boxes printed as white holes in a light-coloured band, with or without
lines of their own (a common design of bank and census forms, the tint a dropout colour).

The layout and the cut look for box lines; a tint has none, and it is too dark for paper
and too light for ink, so it broke into specks and rings. outline_tinted_boxes hands them
a page they know: every white box in a tint gets a thin line along its edge (where the
form printed one, the new line goes along it), and the tint itself becomes paper. A page
without a tint comes back as it was (a look at every few pixels tells).
"""

from __future__ import annotations

import cv2
import numpy as np

from .model import LayoutConfig
from .tint_holes import shades_up_to, tinted_holes


def outline_tinted_boxes(gray: np.ndarray, dpi: float, config: LayoutConfig | None = None, dithered: bool = False) -> np.ndarray:
    """The page with each white box in a tinted band outlined and the tint made paper
    (a new array), or `gray` itself where there is no tint. `dithered`: a 1-bit page made
    grey again, whose tint may be its paper's dots.

    >>> page = np.full((600, 800), 250, np.uint8)
    >>> page[100:200, 100:600] = 225                      # a tinted band
    >>> for x in (120, 220, 320): page[115:185, x:x + 60] = 250   # three white boxes in it
    >>> out = outline_tinted_boxes(page, 150)
    >>> bool(out[150, 119] < 128), int(out[150, 150]), int(out[105, 110])   # a box's side, inside, the tint
    (True, 250, 250)
    """
    config = config or LayoutConfig()
    # first a look at every few pixels (about 75 dpi), cheap: most pages have no tint and must
    # not pay for the search at the layout's resolution
    step = max(1, round(dpi / 75))
    if not tint_layers(np.ascontiguousarray(gray[::step, ::step]), dpi / step, config):
        return gray
    scale = min(1.0, config.work_dpi / dpi)  # found at the layout's resolution, changed at the page's
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    layers = tint_layers(small, dpi * scale, config)
    if not layers:
        return gray
    paper, ratio, shade, tint = layers
    white = cv2.compare(ratio, 255 * config.tint_lightest, cv2.CMP_GT)
    # the lines the form printed, from the page as it is (the layers' median blur wipes them out)
    ink = cv2.compare(cv2.divide(small, paper, scale=255), 255 * config.tint_darkest, cv2.CMP_LT)
    holes, between = tinted_holes(tint, shade, white, ink, ratio, dpi * scale, config, dithered)
    if not holes:
        return gray
    tint = around_holes(tint, holes)

    out = gray.copy()
    paper_full = cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    tint_full = cv2.resize(cv2.dilate(tint, np.ones((5, 5), np.uint8)), (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST)
    light = cv2.compare(gray, cv2.multiply(paper_full, config.tint_darkest, dtype=cv2.CV_8U), cv2.CMP_GT)
    flat = cv2.bitwise_and(tint_full, light)
    # between two boxes that share a side, all is paper but that side: the lines the form
    # printed there, with the shared side between them, ran into one bar too thick for a
    # box's side and too thin for two, and both boxes were lost
    for strip in between:  # one at a time: fillPoly leaves where polygons overlap unfilled
        cv2.fillPoly(flat, [on_page(strip, scale)], 255, cv2.LINE_8, shift=4)
    if dithered:
        # what stands inside a white box darker than the tint of the paper's dots is the box's:
        # a fax's comb lost its light short dividers, as grey as the dots, with them (fax 1564
        # p12: read as a string box, a 2 cut in two, a 1 accepted where none was written). (The
        # paler edge of the box's white is still the tint's. A printed tint is left as it was:
        # where light falls off it is darker than its median in places, and a box's edge kept
        # so was read as a mark, lit 1507 p4.)
        inside = np.zeros_like(flat)
        for hole in holes:
            cv2.fillPoly(inside, [on_page(hole, scale)], 255, cv2.LINE_8, shift=4)
        level = float(np.median(ratio[tint > 0])) / 255
        darker = cv2.compare(gray, cv2.multiply(paper_full, level, dtype=cv2.CV_8U), cv2.CMP_LT)
        flat = cv2.bitwise_and(flat, cv2.bitwise_not(cv2.bitwise_and(cv2.erode(inside, np.ones((5, 5), np.uint8)), darker)))
    cv2.copyTo(paper_full, flat, out)
    # a thin printed line, about 2 px at the layout's resolution (whose min filter thickens a
    # shrunk page's lines by a pixel); drawn soft, as a scan's are, so that it stays whole when
    # the layout turns the page straight (a hard 1 px stair breaks apart)
    thick = 2 if config.work_dpi / dpi > 0.9 else max(1, round(dpi / config.work_dpi))
    cv2.polylines(out, [on_page(hole, scale) for hole in holes], True, 0, thick, cv2.LINE_AA, shift=4)
    return out


def on_page(rect, scale: float) -> np.ndarray:
    """The corners of a rotated rectangle found at the layout's resolution, on the page
    (`scale` its size to the page's), in sixteenths of a pixel (OpenCV's `shift=4`)."""
    (cx, cy), (w, h), angle = rect
    return np.round(cv2.boxPoints(((cx / scale, cy / scale), (w / scale, h / scale), angle)) * 16).astype(np.int32)


def around_holes(tint: np.ndarray, holes: list) -> np.ndarray:
    """The parts of the tint that hold a white box: only those become paper. A shade with
    none in it stays as it is: light double lines that ran together (a comb drawn so read
    as a tint lost its lines), a shaded heading."""
    rims = np.zeros_like(tint)
    for (cx, cy), (w, h), angle in holes:
        cv2.polylines(rims, [np.round(cv2.boxPoints(((cx, cy), (w + 4, h + 4), angle))).astype(np.int32)], True, 255, 3)
    return parts_touching(tint, rims)


def parts_touching(mask: np.ndarray, marks: np.ndarray) -> np.ndarray:
    """The 8-connected parts of the mask that a mark touches (255), the rest 0."""
    n, parts = cv2.connectedComponents(mask, connectivity=8)
    keep = np.zeros(n, np.uint8)
    keep[parts[(marks > 0) & (mask > 0)]] = 255
    keep[0] = 0
    return keep[parts]


def tint_layers(small: np.ndarray, dpi: float, config: LayoutConfig):
    """(the paper's brightness, the page as a share of it, every shade between paper and
    ink but a stroke's soft edge, the tint) at this resolution, or None where the tint is too
    little to matter. Tint is a shade that is broad along a length (not a light-coloured
    line)."""
    small = cv2.medianBlur(small, 5)  # scanner noise would spread a tint into paper and back
    paper = paper_around_tints(small, dpi)
    ratio = cv2.divide(small, paper, scale=255)  # (0 where the paper is black: ink)
    tint = shades_up_to(ratio, config.tint_lightest, config)
    least = config.tint_min_area * dpi * dpi
    if cv2.countNonZero(tint) < least:
        return None
    broad = broad_tint(tint, dpi, config, ratio)
    return (paper, ratio, tint, broad) if cv2.countNonZero(broad) >= least else None


def paper_around_tints(small: np.ndarray, dpi: float) -> np.ndarray:
    """The paper's brightness around each pixel, from a max filter wider than any tinted
    band: halfway between it and its closing (the max filter, then a min filter). Where
    the light falls off (a shadow, a lamp's fall-off, a phone's photo) the max filter runs
    ahead of the darkening paper, which passed for a tint and was made paper with the light
    box lines in it (a fifth to a half of such a page's boxes lost); the closing follows
    such paper exactly but sinks into a tinted band that reaches into the shade (its boxes
    lost). Halfway, neither happened on the pages measured."""
    shrink = 1 / max(1, round(dpi / 20))  # about 20 dpi, ample for the paper's slow changes (a whole
    # fraction: OpenCV's fast path)
    tiny = cv2.resize(small, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
    k = max(3, int(dpi * shrink * 1.2) | 1)  # 1.2 in: a band of boxes is narrower
    square = np.ones((k, k), np.uint8)
    brightest = cv2.dilate(tiny, square)
    paper = cv2.blur(cv2.addWeighted(brightest, 0.5, cv2.erode(brightest, square), 0.5, 0), (k, k))
    return cv2.resize(paper, (small.shape[1], small.shape[0]), interpolation=cv2.INTER_LINEAR)


def broad_tint(tint: np.ndarray, dpi: float, config: LayoutConfig, ratio: np.ndarray) -> np.ndarray:
    """The parts of the tint mask that are broad (tint_min_width) along a straight length
    (tint_min_length): a band of colour, not a light-coloured line, which must stay a line,
    nor a light pen's stroke or a corner of light lines. `ratio`: the page as a share of
    its paper."""
    k = max(2, round(config.tint_min_width * dpi))
    seeds = cv2.erode(tint, np.ones((k, k), np.uint8))  # where a square that broad fits
    if not cv2.countNonZero(seeds):
        return seeds
    length = max(3, round(config.tint_min_length * dpi))
    count, parts, stats, _ = cv2.connectedComponentsWithStats(tint, connectivity=8)  # (8-connected, as parts_touching)
    touched = lambda marks: set(np.unique(parts[marks > 0]).tolist()) - {0}  # noqa: E731  (the parts the marks touch)
    broad = touched(runs_along(seeds, length))
    # a band barely that broad on a page turned a few degrees: the places such a square fits
    # step across a row every few pixels, and no row held them along the length (a tinted
    # row's boxes lost, third 1283 p21). Looked at as many rows across as the turn drifts, a
    # part so found is a tint where it is one flat shade: a light line a dithered fax's
    # undithering blurred that broad is dark in its middle and pale at its edges
    across = 2 * int(np.ceil(length * np.tan(np.radians(config.max_skew_deg)) / 2)) + 1
    for part in touched(runs_along(seeds, length, across)) - broad:
        x, y, w, h = stats[part, :4]
        shades = ratio[y : y + h, x : x + w][parts[y : y + h, x : x + w] == part]
        if np.percentile(shades, 75) - np.percentile(shades, 25) <= 255 * config.tint_flat:
            broad.add(part)
    keep = np.zeros(count, np.uint8)
    keep[list(broad)] = 255
    return keep[parts]


def runs_along(seeds: np.ndarray, length: int, across: int = 1) -> np.ndarray:
    """Where the mask runs `length` along a row or a column, `across` rows (columns) looked
    at as one."""
    rows = cv2.morphologyEx(cv2.dilate(seeds, np.ones((across, 1), np.uint8)), cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    cols = cv2.morphologyEx(cv2.dilate(seeds, np.ones((1, across), np.uint8)), cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    return cv2.bitwise_or(rows, cols)

