"""Synthetic scanned form pages with known truth, for samples, tests and benchmarks.

A page is an A4 form: a frame, a title, printed labels, digit fields of every
kind (separate boxes, comb fields, tick combs, string boxes) filled with MNIST
*test* digits, blank boxes, and decoys (checkboxes, a table, a signature box,
printed text). It is then scanned: uneven light, skew, blur, noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from .layout import TICK_CELL_ASPECT  # the generator draws tick combs the way the layout reads them

A4 = (8.27, 11.69)  # inches
FONT = cv2.FONT_HERSHEY_SIMPLEX
LABELS = ["Account number", "Date of birth", "Amount", "Meter reading", "Policy no.", "Postcode", "Phone", "Reference", "Customer ID"]


@dataclass
class TruthBox:
    field: int  # 1-based in reading order
    box: int  # 1-based within the field
    kind: str  # boxes, comb, ticks, string, underline
    x: int
    y: int
    width: int
    height: int
    digit: int | str | None  # None: blank; in FormPage.letters, the letter written


@dataclass
class FormPage:
    image: np.ndarray  # uint8 grey, as scanned
    dpi: int
    skew_deg: float
    boxes: list[TruthBox] = field(default_factory=list)
    letters: list[TruthBox] = field(default_factory=list)  # boxes holding a handwritten letter (kind "letters")


class _Drawer:
    """Draws on a float page (1 = white paper) in page pixels, and records truth."""

    def __init__(self, rng: np.random.Generator, digits: np.ndarray, labels: np.ndarray, dpi: int, dropout: bool = False, variants: bool = False):
        self.rng, self.digits, self.labels, self.dpi = rng, digits, labels, dpi
        self.dropout = dropout  # the fields' lines printed in dropout ink the scanner did not see
        self.variants = variants  # boxes drawn other ways: rounded, double, hairline; combs with short dividers
        self.shape = "plain"  # how rect() draws the current field's boxes
        self.page = np.ones((round(A4[1] * dpi), round(A4[0] * dpi)), np.float32)
        self.boxes: list[TruthBox] = []
        self.letters: list[TruthBox] = []
        self.field = 0

    def px(self, inches: float) -> int:
        return int(round(inches * self.dpi))

    def line_style(self) -> tuple[float, int]:
        """Line darkness (0 black .. 1 paper) and thickness: black or light dropout, thin or thick."""
        level = self.rng.uniform(0.0, 0.25) if self.rng.random() < 0.7 else self.rng.uniform(0.55, 0.75)
        thinnest = 0.004
        if self.variants:  # a new field: its boxes' shape, and lines down to a hairline
            self.shape, thinnest = str(self.rng.choice(["plain", "rounded", "double"])), 0.003
        return 1.0 if self.dropout else level, max(1, round(self.rng.uniform(thinnest, 0.016) * self.dpi))

    def stroke(self, draw, level: float) -> None:
        mask = np.zeros(self.page.shape, np.uint8)
        draw(mask)
        alpha = mask.astype(np.float32) / 255
        self.page = self.page * (1 - alpha) + level * alpha

    def text(self, s: str, x: int, y: int, height_in: float = 0.12, thickness: int | None = None) -> None:
        scale = height_in * self.dpi / 22.0
        t = thickness or max(1, round(scale * 1.6))
        self.stroke(lambda m: cv2.putText(m, s, (x, y), FONT, scale, 255, t, cv2.LINE_AA), 0.1)

    def rect(self, x: int, y: int, w: int, h: int, level: float, t: int) -> None:
        if self.shape == "rounded":
            r = int(min(w, h) * self.rng.uniform(0.12, 0.25))
            self.stroke(lambda m: _rounded(m, x, y, w, h, r, t), level)
        elif self.shape == "double":  # an outer and an inner line, a little apart
            k = max(t + 2, self.px(0.025))
            self.stroke(lambda m: (cv2.rectangle(m, (x - k, y - k), (x + w + k, y + h + k), 255, t), cv2.rectangle(m, (x, y), (x + w, y + h), 255, t)), level)
        else:
            self.stroke(lambda m: cv2.rectangle(m, (x, y), (x + w, y + h), 255, t), level)

    def hline(self, x0: int, x1: int, y: int, level: float, t: int) -> None:
        self.stroke(lambda m: cv2.line(m, (x0, y), (x1, y), 255, t), level)

    def vline(self, x: int, y0: int, y1: int, level: float, t: int) -> None:
        self.stroke(lambda m: cv2.line(m, (x, y0), (x, y1), 255, t), level)

    def digit(self, x: int, y: int, w: int, h: int, touch: bool = False) -> tuple[int, tuple[int, int, int, int]]:
        """An MNIST test digit written into the box (x, y, w, h); returns it and its ink box."""
        index = self.rng.integers(len(self.digits))
        img = self.digits[index]
        rows, cols = np.flatnonzero(img.any(axis=1)), np.flatnonzero(img.any(axis=0))
        img = img[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
        dh = max(8, int(h * self.rng.uniform(0.55, 0.8)))
        dw = max(3, min(int(w * 0.9), int(dh * img.shape[1] / img.shape[0])))
        ink = cv2.resize(img, (dw, dh), interpolation=cv2.INTER_CUBIC).astype(np.float32) / 255
        ink = np.clip(ink * self.rng.uniform(1.0, 1.4), 0, 1)
        if touch:  # crosses the top or bottom border by a few pixels
            dy = -int(dh * 0.2) if self.rng.random() < 0.5 else h - dh + int(dh * 0.2)
        else:
            dy = int((h - dh) / 2 + self.rng.uniform(-0.12, 0.12) * (h - dh))
        dx = int((w - dw) / 2 + self.rng.uniform(-0.3, 0.3) * max(w - dw, 0))
        x0, y0 = x + dx, y + dy
        region = self.page[y0 : y0 + dh, x0 : x0 + dw]
        level = self.rng.uniform(0.02, 0.3)
        region[:] = region * (1 - ink) + level * ink
        return int(self.labels[index]), (x0, y0, dw, dh)

    def new_field(self) -> int:
        self.field += 1
        return self.field

    def fill(self, kind: str, cells: list[tuple[int, int, int, int]], p_blank: float) -> None:
        f = self.new_field()
        for k, (x, y, w, h) in enumerate(cells, start=1):
            digit = None
            if self.rng.random() >= p_blank:
                digit, _ = self.digit(x, y, w, h, touch=self.rng.random() < 0.08)
            self.boxes.append(TruthBox(f, k, kind, x, y, w, h, digit))


# Capital letters as people print them into boxes (strokes in a unit box, x right, y down),
# for the letters family: names and towns are written in boxes like digits. Drawn here,
# apart from the "not a digit" shapes the model trains on (negatives.py), so that the
# family judges them. O, I, S and Z are left out: written in a box they are 0, 1, 5, 2.
BOX_LETTERS = {
    "A": [[(0, 1), (0.45, 0), (0.55, 0), (1, 1)], [(0.2, 0.62), (0.8, 0.62)]],
    "B": [[(0, 0), (0, 1), (0.75, 1), (0.95, 0.78), (0.7, 0.5), (0, 0.5)], [(0, 0), (0.65, 0), (0.85, 0.22), (0.65, 0.5)]],
    "C": [[(0.95, 0.2), (0.6, 0), (0.2, 0.1), (0, 0.5), (0.2, 0.9), (0.6, 1), (0.95, 0.8)]],
    "D": [[(0, 0), (0, 1), (0.55, 1), (0.95, 0.6), (0.9, 0.25), (0.55, 0), (0, 0)]],
    "E": [[(1, 0), (0, 0), (0, 1), (1, 1)], [(0, 0.48), (0.75, 0.48)]],
    "F": [[(1, 0), (0, 0), (0, 1)], [(0, 0.45), (0.7, 0.45)]],
    "G": [[(0.95, 0.2), (0.6, 0), (0.15, 0.15), (0, 0.55), (0.25, 0.95), (0.7, 1), (0.95, 0.75), (0.95, 0.55), (0.55, 0.55)]],
    "H": [[(0, 0), (0, 1)], [(1, 0), (1, 1)], [(0, 0.5), (1, 0.5)]],
    "J": [[(0.3, 0), (1, 0)], [(0.7, 0), (0.7, 0.8), (0.5, 1), (0.15, 0.95), (0, 0.75)]],
    "K": [[(0, 0), (0, 1)], [(1, 0), (0.05, 0.6)], [(0.35, 0.4), (1, 1)]],
    "L": [[(0, 0), (0, 1), (0.9, 1)]],
    "M": [[(0, 1), (0, 0), (0.5, 0.7), (1, 0), (1, 1)]],
    "N": [[(0, 1), (0, 0), (1, 1), (1, 0)]],
    "P": [[(0, 1), (0, 0), (0.75, 0), (1, 0.22), (0.75, 0.48), (0, 0.48)]],
    "R": [[(0, 1), (0, 0), (0.75, 0), (1, 0.22), (0.75, 0.48), (0, 0.48), (1, 1)]],
    "T": [[(0, 0), (1, 0)], [(0.5, 0), (0.5, 1)]],
    "U": [[(0, 0), (0, 0.7), (0.3, 1), (0.7, 1), (1, 0.7), (1, 0)]],
    "V": [[(0, 0), (0.5, 1), (1, 0)]],
    "W": [[(0, 0), (0.2, 1), (0.5, 0.3), (0.8, 1), (1, 0)]],
    "X": [[(0, 0), (1, 1)], [(1, 0), (0, 1)]],
    "Y": [[(0, 0), (0.5, 0.5), (1, 0)], [(0.5, 0.5), (0.5, 1)]],
}
LETTER_LABELS = ["Surname", "First name", "Town", "Street", "Initials"]


def _letter(d: "_Drawer", x: int, y: int, w: int, h: int) -> str:
    """A capital letter printed by hand into the box (x, y, w, h): wobble, slant, a pen."""
    letter = list(BOX_LETTERS)[d.rng.integers(len(BOX_LETTERS))]
    strokes = BOX_LETTERS[letter]
    lh = h * d.rng.uniform(0.55, 0.8)
    lw = lh * d.rng.uniform(0.55, 0.9)
    x0, y0 = x + (w - lw) / 2 + d.rng.normal(0, 0.05 * w), y + (h - lh) / 2 + d.rng.normal(0, 0.05 * h)
    slant = d.rng.uniform(-0.25, 0.1)
    pen = max(1, round(d.dpi * d.rng.uniform(0.006, 0.012)))
    paths = []
    for stroke in strokes:
        pts = np.asarray(stroke, np.float64) + d.rng.normal(0, 0.04, (len(stroke), 2))
        paths.append(np.stack([x0 + (pts[:, 0] + slant * (1 - pts[:, 1])) * lw, y0 + pts[:, 1] * lh], 1).astype(np.int32))
    d.stroke(lambda m: cv2.polylines(m, paths, False, 255, pen, cv2.LINE_AA), d.rng.uniform(0.02, 0.3))
    return letter


def _letter_boxes(d: "_Drawer", x: int, y: int) -> int:
    """Separate boxes or a comb holding a word in capitals: no digit field, nothing to accept."""
    n, w, h = int(d.rng.integers(5, 12)), d.px(d.rng.uniform(0.26, 0.36)), d.px(d.rng.uniform(0.3, 0.4))
    level, t = d.line_style()
    gap = d.px(d.rng.uniform(0.06, 0.14)) if d.rng.random() < 0.5 else 0
    cells = [(x + i * (w + gap), y, w, h) for i in range(n)]
    if gap:
        for c in cells:
            d.rect(*c, level, t)
    else:
        d.rect(x, y, n * w, h, level, t)
        for i in range(1, n):
            d.vline(x + i * w, y, y + h, level, t)
    f = d.new_field()
    written = int(d.rng.integers(3, n + 1))  # a word, then the boxes left over stay blank
    for k, cell in enumerate(cells, start=1):
        d.letters.append(TruthBox(f, k, "letters", *cell, _letter(d, *cell) if k <= written else None))
    return h


def _rounded(mask: np.ndarray, x: int, y: int, w: int, h: int, r: int, t: int) -> None:
    for (x0, y0, x1, y1) in ((x + r, y, x + w - r, y), (x + r, y + h, x + w - r, y + h), (x, y + r, x, y + h - r), (x + w, y + r, x + w, y + h - r)):
        cv2.line(mask, (x0, y0), (x1, y1), 255, t)
    for cx, cy, start in ((x + r, y + r, 180), (x + w - r, y + r, 270), (x + w - r, y + h - r, 0), (x + r, y + h - r, 90)):
        cv2.ellipse(mask, (cx, cy), (r, r), 0, start, start + 90, 255, t)


def _separate_boxes(d: _Drawer, x: int, y: int) -> int:
    n, side = int(d.rng.integers(4, 11)), d.px(d.rng.uniform(0.28, 0.4))
    gap = d.px(d.rng.uniform(0.06, 0.16))
    level, t = d.line_style()
    cells = [(x + i * (side + gap), y, side, side) for i in range(n)]
    for c in cells:
        d.rect(*c, level, t)
    d.fill("boxes", cells, p_blank=0.12)
    return side


def _comb(d: _Drawer, x: int, y: int) -> int:
    n, w, h = int(d.rng.integers(4, 13)), d.px(d.rng.uniform(0.25, 0.35)), d.px(d.rng.uniform(0.3, 0.4))
    level, t = d.line_style()
    d.rect(x, y, n * w, h, level, t)
    # dividers from line to line; in the variants also from the bottom to mid-height, or short ticks under a full top
    rise = h if not d.variants else int(h * float(d.rng.choice([1.0, 0.5, d.rng.uniform(0.25, 0.4)])))
    for i in range(1, n):
        d.vline(x + i * w, y + h - rise, y + h, level, t)
    d.fill("comb", [(x + i * w, y, w, h) for i in range(n)], p_blank=0.12)
    return h


def _tick_comb(d: _Drawer, x: int, y: int) -> int:
    n, w = int(d.rng.integers(4, 11)), d.px(d.rng.uniform(0.28, 0.36))
    h = round(w * TICK_CELL_ASPECT)
    level, t = d.line_style()
    base = y + h
    d.hline(x, x + n * w, base, level, t)
    tick = int(h * d.rng.uniform(0.25, 0.4))
    for i in range(n + 1):
        d.vline(x + i * w, base - tick, base, level, t)
    d.fill("ticks", [(x + i * w, y, w, h) for i in range(n)], p_blank=0.12)
    return h


def _string_box(d: _Drawer, x: int, y: int, count: int | None = None) -> int:
    """One box holding a string of digits, as on the NIST handwriting sample forms."""
    count = count or int(d.rng.integers(3, 9))
    h = d.px(d.rng.uniform(0.4, 0.5))
    pitch = int(h * d.rng.uniform(0.55, 0.75))
    w = pitch * count + d.px(0.3)
    level, t = d.line_style()
    d.rect(x, y, w, h, level, t)
    f = d.new_field()
    cx = x + d.px(0.15)
    for k in range(1, count + 1):
        digit, (ix, iy, iw, ih) = d.digit(cx, y + t, pitch, h - 2 * t)
        d.boxes.append(TruthBox(f, k, "string", ix, iy, iw, ih, digit))
        cx += pitch - (int(pitch * 0.15) if d.rng.random() < 0.15 else 0)  # now and then two digits touch
    return h


def _underline(d: _Drawer, x: int, y: int) -> int:
    """Digits written on a printed line, with no box (as on cheques and some NIST forms)."""
    count = int(d.rng.integers(3, 9))
    h = d.px(d.rng.uniform(0.4, 0.5))
    pitch = int(h * d.rng.uniform(0.55, 0.75))
    level, t = d.line_style()
    d.hline(x, x + pitch * count + d.px(0.3), y + h, level, t)
    f = d.new_field()
    cx = x + d.px(0.15)
    for k in range(1, count + 1):
        digit, (ix, iy, iw, ih) = d.digit(cx, y, pitch, h - t)
        d.boxes.append(TruthBox(f, k, "underline", ix, iy, iw, ih, digit))
        cx += pitch
    return h


def _checkboxes(d: _Drawer, x: int, y: int) -> int:
    side = d.px(d.rng.uniform(0.12, 0.16))
    for i in range(4):
        bx = x + i * d.px(1.2)
        d.rect(bx, y, side, side, 0.1, max(1, d.px(0.008)))
        d.text(["Yes", "No", "Other", "N/A"][i], bx + side + d.px(0.08), y + side, 0.1)
        if d.rng.random() < 0.5:  # ticked
            pts = np.array([[bx + side // 5, y + side // 2], [bx + side // 2, y + side - 2], [bx + side + side // 3, y - side // 3]])
            d.stroke(lambda m: cv2.polylines(m, [pts.astype(np.int32)], False, 255, max(2, d.px(0.012))), 0.15)
    return side


def _table(d: _Drawer, x: int, y: int) -> int:
    """A printed table: rows as tall as digit boxes, holding printed text and numbers."""
    rows, widths, h = 3, [d.px(1.3), d.px(1.0), d.px(1.0), d.px(0.9)], d.px(0.3)
    t = max(1, d.px(0.008))
    total = sum(widths)
    for r in range(rows + 1):
        d.hline(x, x + total, y + r * h, 0.1, t)
    cx = x
    for w in [0, *widths]:
        cx += w
        d.vline(cx, y, y + rows * h, 0.1, t)
    d.vline(x, y, y + rows * h, 0.1, t)
    for r, row in enumerate([["Item", "Qty", "Price", "Total"], ["Paper", "12", "3.50", "42.00"], ["Ink", "2", "8.10", "16.20"]]):
        cx = x
        for w, s in zip(widths, row):
            d.text(s, cx + d.px(0.06), y + r * h + int(h * 0.72), 0.11)
            cx += w
    return rows * h


def _paragraph(d: _Drawer, x: int, y: int) -> int:
    """Printed notes: lines of small text, some with numbers in them."""
    lines = ["Please return this form by 31 March 2026 to the office at 14 High Street.",
             "Fields marked with a star are required. Call 0800 123 456 for help.",
             "We keep your details for 7 years as the law requires (section 12, part 3)."]
    step = d.px(0.22)
    for k, line in enumerate(lines[: int(d.rng.integers(2, 4))]):
        d.text(line, x - d.px(1.9), y + d.px(0.15) + k * step, float(d.rng.uniform(0.1, 0.13)))
    return d.px(0.15) + 3 * step


def _signature(d: _Drawer, x: int, y: int) -> int:
    w, h = d.px(3.2), d.px(0.85)
    d.rect(x, y, w, h, 0.1, max(1, d.px(0.01)))
    pts = np.stack([np.linspace(x + d.px(0.3), x + w - d.px(0.5), 40), y + h / 2 + d.rng.normal(0, h / 8, 40)], 1)
    d.stroke(lambda m: cv2.polylines(m, [pts.astype(np.int32)], False, 255, max(2, d.px(0.012))), 0.15)
    return h


FIELD_KINDS = [_separate_boxes, _comb, _tick_comb, _string_box, _underline]


def generate_page(
    rng: np.random.Generator, digits: np.ndarray, labels: np.ndarray, dpi: int = 200, strings_only: bool = False, decoys_only: bool = False,
    dropout: bool = False, variants: bool = False, letters: bool = False,
) -> FormPage:
    """One scanned form page; `digits`/`labels` should be MNIST test images and labels.

    strings_only: nine digit-string boxes (NIST style); decoys_only: no digit field at all;
    dropout: the boxes' lines vanished in the scan (dropout ink), only the digits are left;
    variants: boxes rounded, double or hairline, combs with half-height or short dividers,
    and a printed paragraph; letters: fields of capital letters written in boxes among the
    digit fields (their boxes go to FormPage.letters, not to the digit truth), a paragraph.
    """
    d = _Drawer(rng, digits, labels, dpi, dropout, variants)
    margin = d.px(0.35)
    d.rect(margin, margin, d.page.shape[1] - 2 * margin, d.page.shape[0] - 2 * margin, 0.1, max(2, d.px(0.012)))
    d.text("HANDWRITING SAMPLE FORM" if strings_only else "CUSTOMER DETAILS FORM", d.px(0.7), d.px(0.9), 0.22)
    y = d.px(1.3)
    blocks = [_string_box] * 9 if strings_only else [_checkboxes, _table, _signature] if decoys_only else _mixed_blocks(rng)
    if variants or letters:
        blocks.insert(int(rng.integers(len(blocks))), _paragraph)
    if letters:  # in place of two digit fields, so that the page still fits
        for k in sorted((i for i, b in enumerate(blocks) if b in FIELD_KINDS), key=lambda _: rng.random())[:2]:
            blocks[k] = _letter_boxes
    for block in blocks:
        label_x, field_x = d.px(0.7), d.px(2.6)
        if block in FIELD_KINDS:
            d.text(LABELS[rng.integers(len(LABELS))], label_x, y + d.px(0.25), 0.12)
        elif block is _letter_boxes:
            d.text(LETTER_LABELS[rng.integers(len(LETTER_LABELS))], label_x, y + d.px(0.25), 0.12)
        elif block is _signature:
            d.text("Signature", label_x, y + d.px(0.25), 0.12)
        elif block is _checkboxes:
            d.text("Tick one", label_x, y + d.px(0.12), 0.12)
        height = block(d, field_x, y)
        y += height + d.px(rng.uniform(0.3, 0.45))
        if y > d.page.shape[0] - d.px(1.4):
            break
    d.text("Please write one digit per box, in black or blue ink.", d.px(0.7), d.page.shape[0] - d.px(0.6), 0.11)
    return _scan(d, rng)


def _mixed_blocks(rng: np.random.Generator) -> list:
    fields = [FIELD_KINDS[k] for k in rng.integers(0, len(FIELD_KINDS), 7)]
    fields[:3] = [_separate_boxes, _comb, _tick_comb]  # every kind on every page
    rng.shuffle(fields)
    blocks = fields + [_checkboxes, _table, _signature]
    order = rng.permutation(len(blocks))
    return [blocks[i] for i in order]


def _scan(d: _Drawer, rng: np.random.Generator) -> FormPage:
    """Uneven light, skew, blur and noise; truth boxes follow the skew."""
    h, w = d.page.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    gx, gy = rng.uniform(-1, 1, 2)
    light = 1 - rng.uniform(0.05, 0.18) * (0.5 + 0.5 * (gx * xx / w + gy * yy / h))
    page = d.page * light * rng.uniform(0.9, 1.0)
    skew = float(rng.uniform(-4, 4))
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
    page = cv2.warpAffine(page, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    if rng.random() < 0.6:
        page = cv2.GaussianBlur(page, (0, 0), rng.uniform(0.3, 0.8))
    page = page * 255 + rng.normal(0, rng.uniform(2, 6), page.shape)
    moved = [[_turned(b, matrix) for b in boxes] for boxes in (d.boxes, d.letters)]
    return FormPage(np.clip(page, 0, 255).astype(np.uint8), d.dpi, skew, *moved)


def _turned(b: TruthBox, matrix: np.ndarray) -> TruthBox:
    """The truth box around where `matrix` (the scan's skew) took the box."""
    corners = np.array([[b.x, b.y, 1], [b.x + b.width, b.y, 1], [b.x, b.y + b.height, 1], [b.x + b.width, b.y + b.height, 1]], np.float64)
    moved = corners @ matrix.T
    x0, y0 = moved.min(axis=0)
    x1, y1 = moved.max(axis=0)
    return TruthBox(b.field, b.box, b.kind, int(round(x0)), int(round(y0)), int(round(x1 - x0)), int(round(y1 - y0)), b.digit)
