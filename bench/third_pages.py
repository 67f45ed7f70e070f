"""Form pages of a third maker, in designs neither formgen nor the other maker draws, one
design a page (STYLES, in turn):

- tinted: a row of white boxes in a light-coloured band (pink, blue, grey, yellow, green),
  each box outlined in a darker shade of the tint;
- tinted_open: the same with no lines at all, the boxes only white holes in the tint (forms
  printed in a dropout colour are often made so);
- dashed: separate boxes drawn with dashed black lines;
- bold_comb: a comb whose frame is three times as thick as its hairline dividers, some with
  a printed decimal comma.

    write_third_pages(mnist, folder, pages=12, seed=5) -> {file name: dpi}, truth.csv beside the pages

The pages are PNG at 150, 200 and 300 dpi in turn, turned up to 4 degrees, with noise and
blur; MNIST test digits in a pen's colour, 85% of the boxes written, a tenth of the fields
blank. style_of(file name) says a page's design, for scoring each apart.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from other_pages import A4, FONTS, scanned_look, write_pages  # noqa: E402  (beside this file)

STYLES = ["tinted", "tinted_open", "dashed", "bold_comb"]
TINTS = [(255, 222, 222), (222, 236, 255), (228, 228, 228), (255, 244, 200), (220, 245, 220)]
SHADES = [(200, 60, 60), (40, 90, 190), (110, 110, 110), (170, 130, 20), (40, 140, 60)]  # each tint's darker line
PENS = [(10, 10, 40), (20, 30, 120)]
LABELS = ["Account", "Amount", "Reference", "Customer no."]


def write_third_pages(mnist, folder: Path, pages: int, seed: int, dpis=(150, 200, 300)) -> dict[str, int]:
    """`pages` PNG pages (designs and dpis in turn) and their truth.csv."""
    make = lambda rng, k, dpi: third_page(rng, mnist.x_test, mnist.y_test, dpi, STYLES[k % len(STYLES)])  # noqa: E731
    return write_pages(make, "third", folder, pages, seed, dpis, ("png",))


def style_of(name: str) -> str:
    """The design of the page written under this file name."""
    return STYLES[int(Path(name).stem.split("-")[1]) % len(STYLES)]


def third_page(rng: np.random.Generator, digits: np.ndarray, labels: np.ndarray, dpi: int, style: str):
    """(the page as scanned, its truth rows: field, box, kind, x, y, width, height, digit)."""
    width, height = int(A4[0] * dpi), int(A4[1] * dpi)
    page = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), int(0.11 * dpi))
    px = lambda inches: int(round(inches * dpi))  # noqa: E731
    shade = int(rng.integers(len(TINTS)))
    tint, edge = TINTS[shade], SHADES[shade]
    draw.text((px(0.8), px(0.5)), "APPLICATION FOR SERVICE", fill=edge, font=ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), int(0.22 * dpi)))
    t = max(1, dpi // 150) * int(rng.integers(1, 3))  # line thickness, pixels
    truth, written = [], []
    y, field = 1.3, 0
    while y < A4[1] - 1.2:
        n, bw = int(rng.integers(4, 11)), rng.uniform(0.22, 0.32)
        bh, x0 = bw * rng.uniform(1.0, 1.25), 2.5
        field += 1
        blank = rng.random() < 0.1
        draw.text((px(0.8), px(y + bh / 2 - 0.07)), LABELS[rng.integers(len(LABELS))], fill=(0, 0, 0), font=font)
        if style == "bold_comb":
            cells = bold_comb(draw, px, x0, y, n, bw, bh, t, font, comma=rng.random() < 0.5)
        else:
            cells = separate_boxes(draw, px, rng, style, x0, y, n, bw, bh, t, tint, edge)
        for i, (cx, cy, cw, ch) in enumerate(cells):
            j = int(rng.integers(len(digits)))
            write = not blank and rng.random() < 0.85
            truth.append([field, i + 1, "comb" if style == "bold_comb" else "boxes", cx, cy, cw, ch, int(labels[j]) if write else None])
            if write:
                size = ch * rng.uniform(0.75, 0.92)
                written.append((cx + (cw - size) / 2 + rng.uniform(-0.08, 0.08) * cw, cy + (ch - size) / 2 + rng.uniform(-0.06, 0.06) * ch, size, j))
        y += bh + rng.uniform(0.4, 0.7)
    pen = PENS[rng.integers(len(PENS))]
    for x, top, size, j in written:
        ink = Image.fromarray(digits[j]).resize((max(2, px(size)), max(2, px(size))), Image.BILINEAR)
        page.paste(Image.new("RGB", ink.size, pen), (px(x), px(top)), ink)
    return scanned_look(rng, page, truth, dpi, max_turn=4, noise=5, blur=(0.3, 0.8))


def separate_boxes(draw, px, rng, style: str, x0: float, y: float, n: int, bw: float, bh: float, t: int, tint, edge) -> list:
    """A row of `n` separate boxes a tenth to a third of a box apart: in a tinted band, or dashed."""
    gap = bw * rng.uniform(0.12, 0.35)
    if style != "dashed":
        pad = 0.06
        draw.rectangle([px(x0 - pad), px(y - pad), px(x0 + n * (bw + gap) - gap + pad), px(y + bh + pad)], fill=tint)
    cells = []
    for i in range(n):
        x = x0 + i * (bw + gap)
        left, top, right, bottom = px(x), px(y), px(x + bw), px(y + bh)
        if style == "dashed":
            dash = max(2, px(bw / 8))
            for a in range(left, right, 2 * dash):
                for yy in (top, bottom):
                    draw.line([a, yy, min(a + dash, right), yy], fill=(0, 0, 0), width=t)
            for a in range(top, bottom, 2 * dash):
                for xx in (left, right):
                    draw.line([xx, a, xx, min(a + dash, bottom)], fill=(0, 0, 0), width=t)
        else:
            draw.rectangle([left, top, right, bottom], fill=(255, 255, 255), outline=edge if style == "tinted" else None, width=t)
        cells.append((x, y, bw, bh))
    return cells


def bold_comb(draw, px, x0: float, y: float, n: int, bw: float, bh: float, t: int, font, comma: bool) -> list:
    """A comb of `n` cells: a frame three lines thick, hairline dividers, maybe a decimal comma
    printed under the divider before the last two cells."""
    draw.rectangle([px(x0), px(y), px(x0 + n * bw), px(y + bh)], outline=(0, 0, 0), width=3 * t)
    for i in range(1, n):
        draw.line([px(x0 + i * bw), px(y), px(x0 + i * bw), px(y + bh)], fill=(0, 0, 0), width=max(1, t // 2))
    if comma:
        draw.text((px(x0 + (n - 2) * bw - 0.03), px(y + bh - 0.05)), ",", fill=(0, 0, 0), font=font)
    return [(x0 + i * bw, y, bw, bh) for i in range(n)]
