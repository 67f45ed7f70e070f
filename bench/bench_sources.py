"""The digit model on handwriting from several sources: right, flagged, wrong among accepted.

    .venv/bin/python bench/bench_sources.py [--shared ../shared] [--model models/digits.keras]
                                            [--write-cheque-digits runs/cheque_digits.npz]

Sources: MNIST's test set; USPS and optdigits from ../shared/data/more_digits (marked
"trained on" where the model's metrics name them among its --extra-data: then their rows
say how well it learnt them, not how it generalises);
and the digits of the 600 real cheque amounts in ../shared/data/real/orand_car_a, cut out at
their labelled boxes and normalised the way the scan normalises a cut digit. The cheques are
never trained on: they are the held-out source (rows "even" and "odd" of labels.csv are
printed apart, as bench_strings.py splits them). --write-cheque-digits saves the cut cheque
digits as an .npz that `formreader train --held-out-data` takes.

A proxy for Semeion (not here): MNIST's test digits made the way Semeion's were, each
stretched to fill a 16x16 square, aspect lost, and thresholded to black and white, then
read through `formreader predict`'s normalisation. Its writers are MNIST's; only the
making is Semeion's.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import cv2
import numpy as np
import pandas as pd

from formreader.data import load_extra_digits, load_mnist
from formreader.digits import ink_map, to_mnist
from formreader.predict import digit_image
from formreader.recognizer import Recognizer, model_path
from formreader.train import source_figures

ROOT = Path(__file__).resolve().parent.parent


def cheque_digits(folder: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(images, labels, row parity) of every labelled digit box on the cheques."""
    table = pd.read_csv(folder / "labels.csv")
    images, labels, odd = [], [], []
    for row_number, row in enumerate(table.itertuples()):
        gray = cv2.imread(str(folder / "images" / row.file), cv2.IMREAD_GRAYSCALE)
        if gray is None:
            continue
        for part in str(row.digit_boxes).split(";"):
            box, label = part.split(":")
            x, y, w, h = map(int, box.split(","))
            crop = gray[max(0, y - 2) : y + h + 2, max(0, x - 2) : x + w + 2]
            if crop.size == 0:
                continue
            ink = ink_map(crop)
            # the cheque's printed background is fainter than the pen: drop what is under half
            # the crop's Otsu level, as predict --fields does for a whole field
            level, _ = cv2.threshold(ink.astype(np.uint8), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
            ink[ink < 0.5 * level] = 0
            images.append(to_mnist(ink))
            labels.append(int(label))
            odd.append(row_number % 2 == 1)
    return np.stack(images), np.array(labels), np.array(odd)


def semeion_style(images: np.ndarray) -> np.ndarray:
    """MNIST digits stretched to fill 16x16 and thresholded, as Semeion's were made, then
    normalised as `predict` normalises a digit image."""
    out = []
    for image in images:
        rows, cols = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
        square = cv2.resize(image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1], (16, 16), interpolation=cv2.INTER_AREA)
        out.append(digit_image(np.pad(np.where(square >= 100, 0, 255).astype(np.uint8), 2, constant_values=255)))
    return np.stack(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--model", type=Path, default=None, help="digit model (default: the shipped one)")
    parser.add_argument("--write-cheque-digits", type=Path, default=None)
    args = parser.parse_args()

    data = args.shared / "data"
    recognizer = Recognizer.load(args.model)
    rows: dict[str, dict] = {}
    mnist = load_mnist(data / "mnist")
    rows["MNIST test"] = source_figures(recognizer, mnist.x_test, mnist.y_test)
    rows["MNIST test made Semeion's way (a proxy)"] = source_figures(recognizer, semeion_style(mnist.x_test), mnist.y_test)
    metrics = model_path(args.model).with_suffix(".metrics.json")
    trained_on = json.loads(metrics.read_text()).get("data", {}).get("extra", {}) if metrics.is_file() else {}
    for name in ("usps_train", "optdigits_train"):
        path = data / "more_digits" / f"{name}.npz"
        if path.exists():
            rows[f"{name}{' (trained on)' if name in trained_on else ''}"] = source_figures(recognizer, *load_extra_digits(path))
        else:
            print(f"skipped {name}: {path} not found")
    cheques = data / "real" / "orand_car_a"
    if (cheques / "labels.csv").exists():
        x, y, odd = cheque_digits(cheques)
        if args.write_cheque_digits:
            np.savez_compressed(args.write_cheque_digits, images=x, labels=y)
        rows["cheque digits, even rows"] = source_figures(recognizer, x[~odd], y[~odd])
        rows["cheque digits, odd rows"] = source_figures(recognizer, x[odd], y[odd])
        rows["cheque digits, all"] = source_figures(recognizer, x, y)
    else:
        print(f"skipped cheque digits: {cheques}/labels.csv not found")

    print(f"# digit model by source, {time.strftime('%Y-%m-%d')}, {platform.machine()}, model {args.model or 'shipped'}")
    print("| source | digits | right | flagged | wrong among accepted |")
    print("| --- | --- | --- | --- | --- |")
    for name, f in rows.items():
        print(f"| {name} | {f['digits']:,} | {f['accuracy']:.2%} | {f['flagged']:.1%} | {f['accepted_error']:.2%} |")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
