"""Form pages of another maker than formreader/formgen.py, to judge the layout on pages it was
not tuned on: drawn with Pillow (not OpenCV), labels and notes in TrueType type (matplotlib's
DejaVu fonts), lines in black, grey, blue, green or light colours, square or rounded boxes set
a tenth to half a box apart, combs with full, half-height or short dividers, tick combs, date
fields with printed slashes, string boxes, blank fields, a table of printed numbers, the page
turned up to 5 degrees by Pillow, noise and blur; MNIST test digits in a pen's colour.

    write_other_pages(mnist, folder, pages=30, seed=9) -> {file name: dpi}, truth.csv beside the pages

truth.csv has the columns of formreader.samples.TRUTH_COLUMNS, so formreader.scoring scores
it. Written apart from formgen on purpose: its own choices of sizes, gaps and drawing.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import matplotlib
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from formreader.samples import TRUTH_COLUMNS

FONTS = Path(matplotlib.get_data_path(), "fonts", "ttf")
A4 = (8.27, 11.69)  # inches
LINE_COLOURS = [(0, 0, 0), (20, 60, 170), (90, 90, 90), (0, 110, 60), (150, 150, 150), (110, 150, 225)]
PENS = [(10, 10, 40), (20, 30, 120), (30, 30, 30)]
LABELS = ["Account no.", "Meter", "Amount", "Phone", "Postcode", "Policy"]
KINDS = ["boxes", "comb", "half", "ticks", "string", "date"]  # half: dividers rise half way


def write_other_pages(mnist, folder: Path, pages: int, seed: int, dpis=(150, 200, 300), formats=("png", "jpg")) -> dict[str, int]:
    """`pages` pages (in `formats` in turn, at `dpis` in turn) and their truth.csv; each
    page's dpi by its file's name."""
    return write_pages(lambda rng, k, dpi: other_page(rng, mnist.x_test, mnist.y_test, dpi), "other", folder, pages, seed, dpis, formats)


def write_pages(make_page, prefix: str, folder: Path, pages: int, seed: int, dpis, formats) -> dict[str, int]:
    """`pages` pages from make_page(rng, k, dpi) -> (image, truth rows), saved as
    prefix-k.format, and their truth.csv; each page's dpi by its file's name."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rows, written = [], {}
    for k in range(pages):
        dpi = dpis[k % len(dpis)]
        image, boxes = make_page(rng, k, dpi)
        path = folder / f"{prefix}-{k:03d}.{formats[k % len(formats)]}"
        image.save(path, dpi=(dpi, dpi), quality=80)
        rows += [[path.name, 1, *box] for box in boxes]
        written[path.name] = dpi
    with open(folder / "truth.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TRUTH_COLUMNS)
        writer.writerows(rows)
    return written


def other_page(rng: np.random.Generator, digits: np.ndarray, labels: np.ndarray, dpi: int):
    """(the page as scanned, its truth rows: field, box, kind, x, y, width, height, digit)."""
    width, height = int(A4[0] * dpi), int(A4[1] * dpi)
    colour = LINE_COLOURS[rng.integers(len(LINE_COLOURS))]
    pen = PENS[rng.integers(len(PENS))]
    rounded = rng.random() < 0.3
    page = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONTS / ["DejaVuSans.ttf", "DejaVuSerif.ttf", "DejaVuSans-Bold.ttf"][rng.integers(3)]), int(0.12 * dpi))
    title = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), int(0.25 * dpi))
    px = lambda inches: int(round(inches * dpi))  # noqa: E731
    draw.text((px(0.8), px(0.5)), "CUSTOMER INFORMATION FORM 2026", fill=colour, font=title)
    draw.text((px(0.8), px(0.95)), "Please write one digit in each box, using black or blue ink.", fill=colour, font=font)
    t = int(rng.integers(1, 4)) * max(1, dpi // 150)  # line thickness, pixels
    truth, written = [], []  # truth in inches; digits to paste: (x, y, w, h, index)
    y, field = 1.4, 0
    while y < A4[1] - 1.2:
        kind = KINDS[rng.integers(len(KINDS))]
        n = int(rng.integers(4, 11))
        bw = rng.uniform(0.22, 0.34)
        bh = bw * rng.uniform(1.0, 1.3)
        x0 = 2.6
        draw.text((px(0.8), px(y + bh / 2 - 0.07)), LABELS[rng.integers(len(LABELS))], fill=colour, font=font)
        blank = rng.random() < 0.12
        field += 1
        cells = []
        if kind in ("boxes", "date"):
            gap, x = bw * rng.uniform(0.1, 0.5), x0
            for i in range(n if kind == "boxes" else 8):
                if kind == "date" and i in (2, 4):
                    draw.text((px(x + gap * 0.1), px(y + bh * 0.2)), "/", fill=colour, font=font)
                    x += gap * 1.5
                box = [px(x), px(y), px(x + bw), px(y + bh)]
                if rounded:
                    draw.rounded_rectangle(box, radius=px(bw * 0.15), outline=colour, width=t)
                else:
                    draw.rectangle(box, outline=colour, width=t)
                cells.append((x, y, bw, bh))
                x += bw + gap
        elif kind in ("comb", "half", "ticks"):
            rise = {"comb": 1.0, "half": 0.5, "ticks": 0.3}[kind]
            if kind == "ticks":
                draw.line([px(x0), px(y + bh), px(x0 + n * bw), px(y + bh)], fill=colour, width=t)
            else:
                draw.rectangle([px(x0), px(y), px(x0 + n * bw), px(y + bh)], outline=colour, width=t)
            for i in range(n + 1):
                top = y if i in (0, n) and kind != "ticks" else y + bh * (1 - rise)
                draw.line([px(x0 + i * bw), px(top), px(x0 + i * bw), px(y + bh)], fill=colour, width=t)
            cells = [(x0 + i * bw, y, bw, bh) for i in range(n)]
        else:  # one box holding a string
            draw.rectangle([px(x0), px(y), px(x0 + n * bw * 0.9), px(y + bh)], outline=colour, width=t)
            x = x0 + 0.08
            for i in range(0 if blank else int(rng.integers(3, n + 1))):
                j = int(rng.integers(len(digits)))
                size = bh * rng.uniform(0.65, 0.8)
                w, top = size * 0.8, y + (bh - size) / 2
                written.append((x, top, w, size, j))
                ys, xs = np.nonzero(digits[j] > 60)  # a string's digit is scored by its ink's box
                truth.append([field, i + 1, "string", x + xs.min() / 28 * w, top + ys.min() / 28 * size,
                              (xs.max() + 1 - xs.min()) / 28 * w, (ys.max() + 1 - ys.min()) / 28 * size, int(labels[j])])
                x += w * rng.uniform(0.8, 1.05)
                if x + w > x0 + n * bw * 0.9 - 0.05:
                    break
        scored = {"half": "comb", "date": "boxes"}.get(kind, kind)
        for i, (cx, cy, cw, ch) in enumerate(cells):
            j = int(rng.integers(len(digits)))
            write = not blank and rng.random() < 0.85
            truth.append([field, i + 1, scored, cx, cy, cw, ch, int(labels[j]) if write else None])
            if write:
                size = ch * rng.uniform(0.75, 0.95)
                written.append((cx + (cw - size) / 2 + rng.uniform(-0.1, 0.1) * cw, cy + (ch - size) / 2 + rng.uniform(-0.08, 0.08) * ch, size, size, j))
        y += bh + rng.uniform(0.35, 0.7)
    for x, top, w, h, j in written:
        ink = Image.fromarray(digits[j]).resize((max(2, px(w)), max(2, px(h))), Image.BILINEAR)
        page.paste(Image.new("RGB", ink.size, pen), (px(x), px(top)), ink)
    if y < A4[1] - 1.0:  # a table of printed numbers: no digit field
        for r in range(4):
            for c in range(4):
                draw.rectangle([px(0.8 + c * 1.3), px(y + 0.1 + r * 0.25), px(0.8 + (c + 1) * 1.3), px(y + 0.1 + (r + 1) * 0.25)], outline=colour, width=t)
                draw.text((px(0.9 + c * 1.3), px(y + 0.15 + r * 0.25)), str(int(rng.integers(100, 99999))), fill=(0, 0, 0), font=font)
    return scanned_look(rng, page, truth, dpi, max_turn=5, noise=6, blur=(0.3, 0.9))


def scanned_look(rng: np.random.Generator, page: Image.Image, truth: list, dpi: int, max_turn: float, noise: float, blur: tuple):
    """The page turned by up to `max_turn` degrees either way, dimmed, noisy and blurred as a
    scanner leaves it, and its truth rows (in inches) in the pixels of the turned page."""
    width, height = page.size
    angle = float(rng.uniform(0, max_turn) * rng.choice([-1, 1]))
    turned = page.rotate(angle, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    noisy = np.asarray(turned).astype(np.float32) * rng.uniform(0.9, 1.0) + rng.normal(0, noise, (height, width, 3))
    scanned = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(rng.uniform(*blur)))
    return scanned, [turned_box(row, angle, dpi, width, height) for row in truth]


def turned_box(row: list, angle: float, dpi: int, width: int, height: int) -> list:
    """A truth row in inches -> in the pixels of the turned page: the box keeps its size, its
    middle goes where Pillow's rotate (counter-clockwise about the page's middle) takes it."""
    field, box, kind, x, y, w, h, digit = row
    a = math.radians(-angle)
    mx, my = (x + w / 2) * dpi - width / 2, (y + h / 2) * dpi - height / 2
    cx = width / 2 + mx * math.cos(a) - my * math.sin(a)
    cy = height / 2 + mx * math.sin(a) + my * math.cos(a)
    return [field, box, kind, round(cx - w * dpi / 2), round(cy - h * dpi / 2), round(w * dpi), round(h * dpi), "" if digit is None else digit]
