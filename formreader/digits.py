"""Digit images -> MNIST-style 28x28 inputs.

MNIST was made by fitting each digit's ink into a 20x20 box, keeping its
aspect ratio, with anti-aliasing, then centring it by its centre of mass in a
28x28 frame; ink is white (255) on black (0). Every digit formreader reads goes
through the same steps so the recognizer sees what it was trained on.
"""

from __future__ import annotations

import cv2
import numpy as np

MNIST_SIZE = 28
MNIST_BOX = 20


def ink_map(gray: np.ndarray) -> np.ndarray:
    """Any grey image of one digit -> float32 ink map, white on black, paper at 0.

    The polarity is detected from the border: paper is what surrounds the digit.
    """
    img = gray.astype(np.float32)
    border = np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]])
    if np.median(border) > 127:  # dark ink on light paper
        img, border = 255.0 - img, 255.0 - border
    img -= np.median(border)
    np.clip(img, 0, None, out=img)
    # Stretch faint ink to full strength, but never paper noise: the gain is capped.
    img *= 255.0 / max(np.percentile(img, 99.5), 64.0)
    return np.clip(img, 0, 255)


def has_ink(ink: np.ndarray, min_pixels: int = 3, level: float = 128.0) -> bool:
    """True when at least a few pixels are clearly ink."""
    return int((ink >= level).sum()) >= min_pixels


def to_mnist(ink: np.ndarray, threshold: float = 40.0) -> np.ndarray:
    """Fit the ink into 20x20 keeping its aspect, centre by mass in 28x28 (uint8).

    >>> import numpy as np
    >>> ink = np.zeros((90, 60), np.float32); ink[10:80, 25:35] = 255
    >>> out = to_mnist(ink)
    >>> out.shape, int(out.max()), (out > 0).any(axis=1).sum()
    ((28, 28), 255, 20)
    """
    ink = np.asarray(ink, dtype=np.float32)
    rows = np.flatnonzero((ink > threshold).any(axis=1))
    cols = np.flatnonzero((ink > threshold).any(axis=0))
    frame = np.zeros((MNIST_SIZE, MNIST_SIZE), np.float32)
    if len(rows) == 0:
        return frame.astype(np.uint8)
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    h, w = crop.shape
    scale = MNIST_BOX / max(h, w)
    new_w, new_h = max(1, round(w * scale)), max(1, round(h * scale))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    small = cv2.resize(crop, (new_w, new_h), interpolation=interp)
    if small.max() > 0:
        small *= 255.0 / small.max()
    mass = small.sum()
    cy = (small.sum(axis=1) @ np.arange(new_h)) / mass
    cx = (small.sum(axis=0) @ np.arange(new_w)) / mass
    top = int(np.clip(round(MNIST_SIZE / 2 - cy), 0, MNIST_SIZE - new_h))
    left = int(np.clip(round(MNIST_SIZE / 2 - cx), 0, MNIST_SIZE - new_w))
    frame[top : top + new_h, left : left + new_w] = small
    return np.clip(frame, 0, 255).astype(np.uint8)
