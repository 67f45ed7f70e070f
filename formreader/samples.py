"""Generated sample inputs for the demo and the tests (never MNIST training digits)."""

from __future__ import annotations

import csv
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from .data import Mnist


def write_digit_samples(mnist: Mnist, out: Path, seed: int = 0) -> list[Path]:
    """Single-digit images as a user would have them: scans, photos, any size.

    One MNIST *test* digit of each class, drawn dark on light paper or light on
    dark, enlarged to 40-200 px, some as JPEG; plus a letter and a blank box.
    """
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for digit in range(10):
        index = int(np.flatnonzero(mnist.y_test == digit)[rng.integers(50)])
        img = mnist.x_test[index]
        size = int(rng.integers(40, 200))
        img = cv2.resize(img, (size, size), interpolation=cv2.INTER_CUBIC)
        if digit % 3 != 0:  # most people scan dark ink on white paper
            img = 255 - img
        suffix = ".jpg" if digit % 4 == 1 else ".png"
        path = out / f"test{index:05d}_digit{digit}{suffix}"
        Image.fromarray(img).save(path)
        written.append(path)
    letter = np.full((64, 64), 255, np.uint8)
    cv2.putText(letter, "H", (12, 52), cv2.FONT_HERSHEY_SIMPLEX, 1.7, 0, 5, cv2.LINE_AA)
    blank = np.full((64, 64), 250, np.uint8)
    for name, img in (("letter_H.png", letter), ("blank.png", blank)):
        Image.fromarray(img).save(out / name)
        written.append(out / name)
    return written


TRUTH_COLUMNS = ["file", "page", "field", "box", "kind", "x", "y", "width", "height", "digit"]


def write_form_samples(mnist: Mnist, out: Path, seed: int = 0) -> list[Path]:
    """The bundled samples: scanned form pages made from MNIST test digits, and truth.csv.

    form-01.jpg (200 dpi), form-02.pdf (150 dpi scan in a PDF, read at 300 dpi),
    form-03.tif (two JPEG-compressed pages: a form and a page of digit strings).
    """
    specs = [("form-01.jpg", [(200, False)]), ("form-02.pdf", [(150, False)]), ("form-03.tif", [(150, False), (150, True)])]
    return write_form_pages(mnist, out, specs, seed)


def write_form_pages(mnist: Mnist, out: Path, specs: list[tuple[str, list[tuple[int, bool]]]], seed: int, **family) -> list[Path]:
    """Generated pages into files (name, [(dpi, strings_only) per page]) plus truth.csv;
    `family` as formgen.generate_page takes it (dropout=True, variants=True, letters=True;
    the letters family's letter boxes go to letters.csv).

    The format follows the name: .jpg, .png, .pdf (read back at 300 dpi), .tif (multi-page).
    """
    from .formgen import generate_page
    from .pages import PDF_DPI

    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    truth: list[list] = []
    letters: list[list] = []  # boxes holding letters (the letters family), apart from the digits' truth
    written = []
    for name, pages in specs:
        generated = [generate_page(rng, mnist.x_test, mnist.y_test, dpi, strings_only=strings, **family) for dpi, strings in pages]
        images = [Image.fromarray(p.image) for p in generated]
        dpi = generated[0].dpi
        path = out / name
        if path.suffix == ".pdf":
            images[0].save(path, resolution=dpi, save_all=True, append_images=images[1:])
        elif path.suffix == ".tif":
            images[0].save(path, compression="jpeg", quality=80, dpi=(dpi, dpi), save_all=True, append_images=images[1:])
        else:
            images[0].save(path, quality=85, dpi=(dpi, dpi))
        scale = PDF_DPI / dpi if path.suffix == ".pdf" else 1.0
        for number, page in enumerate(generated, start=1):
            for rows, boxes in ((truth, page.boxes), (letters, page.letters)):
                for b in boxes:
                    rect = [round(v * scale) for v in (b.x, b.y, b.width, b.height)]
                    rows.append([name, number, b.field, b.box, b.kind, *rect, "" if b.digit is None else b.digit])
        written.append(path)
    tables = [(out / "truth.csv", truth)] + ([(out / "letters.csv", letters)] if letters else [])
    for path, rows in tables:
        with open(path, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(TRUTH_COLUMNS)
            writer.writerows(rows)
    return [*written, *(path for path, _ in tables)]
