"""Generated sample inputs for the demo and the tests (never MNIST training digits)."""

from __future__ import annotations

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
