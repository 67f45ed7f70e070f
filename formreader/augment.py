"""Augmentation that imitates what a pen, a form box and a scanner do to a digit.

Works on batches of 28x28 uint8 images in MNIST polarity (white ink on black).
Every step is a cheap OpenCV or NumPy call so that two cores can augment
faster than they can train (bench/bench_recognizer.py measures both).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .digits import to_mnist

SIZE = 28
CENTRE = (SIZE - 1) / 2.0


@dataclass(frozen=True)
class AugmentConfig:
    p_clean: float = 0.15  # share of images left as they are, so clean accuracy stays high
    rotation_deg: float = 12.0
    shear: float = 0.25
    scale: tuple[float, float] = (0.85, 1.12)
    aspect: float = 0.12  # extra x-vs-y scale jitter: narrow and wide hands
    shift_px: float = 2.5
    p_elastic: float = 0.5
    elastic_alpha: float = 34.0  # Simard et al. 2003: alpha 34, sigma 4
    elastic_sigma: float = 4.0
    p_cut: float = 0.08  # pushed 3-6 px over an edge: a digit slightly cut off by the box
    p_bold: float = 0.25
    p_thin: float = 0.15
    p_border: float = 0.15  # remnants of box borders along the edges
    p_blur: float = 0.2
    blur_sigma: tuple[float, float] = (0.4, 1.0)
    p_contrast: float = 0.35
    ink: tuple[float, float] = (0.45, 1.0)  # faint pens and light scans
    background: tuple[float, float] = (0.0, 50.0)  # grey paper after inversion
    p_noise: float = 0.35
    noise_sigma: tuple[float, float] = (2.0, 18.0)
    p_specks: float = 0.1
    p_coarse: float = 0.12  # drawn at 12-20 px and scaled up: USPS, Semeion, low-dpi scans
    coarse_px: tuple[int, int] = (12, 20)
    p_bitonal: float = 0.12  # thresholded to pure black and white: fax, optdigits, Semeion
    p_continental: float = 0.2  # 1s given a flag, 7s a bar (needs the labels): Europe's and Latin America's hands
    p_proportions: float = 0.3  # drawn wider, narrower or more slanted, then normalised again the way MNIST was
    stretch: tuple[float, float] = (0.6, 1.9)  # x scale, log-uniform: a flat wide 0 after normalisation stays flat
    slant: float = 0.5  # shear of a hard-slanting hand, beyond what `shear` does inside the 28x28 frame
    p_neighbour: float = 0.06  # the edge of the next digit in a string, caught by a cut


class ScanAugmenter:
    """Random scan-and-pen distortions of digit images.

    >>> import numpy as np
    >>> out = ScanAugmenter().augment(np.zeros((4, 28, 28), np.uint8), np.random.default_rng(0))
    >>> out.shape, out.dtype
    ((4, 28, 28), dtype('uint8'))
    """

    def __init__(self, config: AugmentConfig | None = None):
        self.config = config or AugmentConfig()
        grid = np.indices((SIZE, SIZE), dtype=np.float32)
        self._ys, self._xs = grid[0] - CENTRE, grid[1] - CENTRE
        cv2.setNumThreads(1)  # many tiny images: threads cost more than they give

    def augment(self, images: np.ndarray, rng: np.random.Generator, labels: np.ndarray | None = None) -> np.ndarray:
        """With `labels`, 1s and 7s are now and then redrawn the continental way first."""
        c = self.config
        out = images.astype(np.float32)
        n = len(out)
        touched = rng.random(n) >= c.p_clean
        for i in np.flatnonzero(touched):
            img = out[i]
            if labels is not None and labels[i] in (1, 7) and rng.random() < c.p_continental:
                img = continental(img, int(labels[i]), rng)
            if rng.random() < c.p_proportions:
                img = proportions(img, float(np.exp(rng.uniform(*np.log(c.stretch)))), rng.uniform(-c.slant, c.slant))
            if n > 1 and rng.random() < c.p_neighbour:
                img = neighbour_edge(img, out[(i + 1 + rng.integers(n - 1)) % n], rng)
            img = self._warp(img, rng)
            img = self._stroke(img, rng)
            if rng.random() < c.p_border:
                img = self._border_remnant(img, rng)
            if rng.random() < c.p_coarse:
                img = self._coarse(img, rng)
            if rng.random() < c.p_blur:
                img = cv2.GaussianBlur(img, (0, 0), rng.uniform(*c.blur_sigma))
            if rng.random() < c.p_bitonal:  # after the blur, as a bilevel scanner sees the blurred pen
                img = np.where(img >= rng.uniform(60, 160), 255.0, 0.0).astype(np.float32)
            out[i] = img
        self._photometric(out, touched, rng)
        return np.clip(out, 0, 255).astype(np.uint8)

    def _warp(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Affine and elastic distortion in one remap."""
        c = self.config
        angle = np.deg2rad(rng.uniform(-c.rotation_deg, c.rotation_deg))
        scale = rng.uniform(*c.scale)
        sx = scale * (1 + rng.uniform(-c.aspect, c.aspect))
        forward = (
            np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
            @ np.array([[1.0, rng.uniform(-c.shear, c.shear)], [0.0, 1.0]])
            @ np.diag([sx, scale])
        )
        back = np.linalg.inv(forward)  # remap asks, for each output pixel, where to read
        shift = rng.uniform(-c.shift_px, c.shift_px, 2)
        if rng.random() < c.p_cut:
            axis = rng.integers(2)
            shift[axis] = rng.choice([-1, 1]) * rng.uniform(3, 6)
        xs, ys = self._xs - shift[0], self._ys - shift[1]
        if rng.random() < c.p_elastic:
            alpha = rng.uniform(0, c.elastic_alpha)
            for field in (xs, ys):
                noise = rng.uniform(-1, 1, (SIZE, SIZE)).astype(np.float32)
                field += alpha * cv2.GaussianBlur(noise, (0, 0), c.elastic_sigma)
        map_x = (back[0, 0] * xs + back[0, 1] * ys + CENTRE).astype(np.float32)
        map_y = (back[1, 0] * xs + back[1, 1] * ys + CENTRE).astype(np.float32)
        return cv2.remap(img, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)

    def _stroke(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Bolder or thinner pens: a partial 2x2 dilation or erosion."""
        c = self.config
        roll = rng.random()
        kernel = np.ones((2, 2), np.uint8)
        if roll < c.p_bold:
            return np.maximum(img, rng.uniform(0.6, 1.0) * cv2.dilate(img, kernel))
        if roll < c.p_bold + c.p_thin:
            weight = rng.uniform(0.5, 1.0)
            return (1 - weight) * img + weight * cv2.erode(img, kernel)
        return img

    def _coarse(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Down to a coarse grid and back, with blocky or smooth upscaling."""
        side = int(rng.integers(self.config.coarse_px[0], self.config.coarse_px[1] + 1))
        small = cv2.resize(img, (side, side), interpolation=cv2.INTER_AREA)
        up = cv2.INTER_NEAREST if rng.random() < 0.5 else cv2.INTER_LINEAR
        return cv2.resize(small, (SIZE, SIZE), interpolation=up)

    def _border_remnant(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A line along one or two edges, as left when a box border is cut badly."""
        img = img.copy()
        for _ in range(rng.integers(1, 3)):
            edge = rng.integers(4)
            offset, thickness = rng.integers(0, 3), rng.integers(1, 3)
            length = rng.integers(SIZE // 2, SIZE + 1)
            start = rng.integers(0, SIZE - length + 1)
            level = rng.uniform(100, 255)
            band = slice(offset, offset + thickness) if edge < 2 else slice(SIZE - offset - thickness, SIZE - offset)
            span = slice(start, start + length)
            if edge % 2 == 0:
                img[band, span] = np.maximum(img[band, span], level)
            else:
                img[span, band] = np.maximum(img[span, band], level)
        return img

    def _photometric(self, out: np.ndarray, touched: np.ndarray, rng: np.random.Generator) -> None:
        """Contrast, paper grey, sensor noise and specks, for a whole batch at once (in place)."""
        c = self.config
        n = len(out)
        contrast = touched & (rng.random(n) < c.p_contrast)
        ink = np.where(contrast, rng.uniform(*c.ink, n), 1.0).astype(np.float32)
        paper = np.where(contrast, rng.uniform(*c.background, n), 0.0).astype(np.float32)
        out *= (ink * (255 - paper) / 255)[:, None, None]
        out += paper[:, None, None]
        noisy = touched & (rng.random(n) < c.p_noise)
        if noisy.any():
            sigma = rng.uniform(*c.noise_sigma, noisy.sum()).astype(np.float32)
            out[noisy] += rng.standard_normal((noisy.sum(), SIZE, SIZE), dtype=np.float32) * sigma[:, None, None]
        specks = touched & (rng.random(n) < c.p_specks)
        for i in np.flatnonzero(specks):
            k = rng.integers(1, 4)
            out[i, rng.integers(0, SIZE, k), rng.integers(0, SIZE, k)] = rng.uniform(120, 255, k)


def continental(image: np.ndarray, label: int, rng: np.random.Generator, longest_flag: float = 0.5) -> np.ndarray:
    """A 1 with a flag (now and then a foot), a 7 with a bar across its stem: how much of
    Europe and Latin America writes them, and MNIST's American writers rarely do.
    `image` is a 28x28 digit, white on black; other digits come back as they are. Flags
    run from a quarter of the 1's height to `longest_flag` of it (Latin American cheques:
    nearly all of it); the longer the flag, the steeper, or it would be a 7's bar."""
    ink = image > 60
    rows = np.flatnonzero(ink.any(axis=1))
    if label not in (1, 7) or len(rows) < 8:
        return image
    top, bottom = int(rows[0]), int(rows[-1])
    height = bottom - top + 1
    thickness = int(rng.integers(1, 4))
    out = image.copy()
    if label == 1:
        x0 = float(np.flatnonzero(ink[top]).mean())
        share = rng.uniform(0.25, longest_flag)
        length, angle = height * share, np.deg2rad(rng.uniform(20, 60) + 25 * max(0.0, share - 0.4))
        draw_stroke(out, [(x0, top), (x0 - length * np.cos(angle), top + length * np.sin(angle))], thickness, 255)
        if rng.random() < 0.25:
            xb = float(np.flatnonzero(ink[bottom]).mean())
            half = height * rng.uniform(0.15, 0.3)
            draw_stroke(out, [(xb - half, bottom), (xb + half, bottom)], thickness, 255)
    else:
        y = int(top + height * rng.uniform(0.45, 0.65))
        stem = np.flatnonzero(ink[y])
        if len(stem) == 0:
            return image
        xc, half, tilt = float(stem.mean()), height * rng.uniform(0.18, 0.32), rng.normal(0, 1.5)
        draw_stroke(out, [(xc - half, y + tilt), (xc + half, y - tilt)], thickness, 255)
    return out


def proportions(image: np.ndarray, stretch: float, slant: float) -> np.ndarray:
    """The digit `stretch` times as wide and sheared by `slant`, then fitted into MNIST's
    20x20 box again. Inside a fixed 28x28 frame a wide hand cannot be imitated: once
    normalised, a wide 0 is a flat ellipse and a hard-slanting 9 a long thin loop, shapes
    that MNIST's writers seldom made and that cheque and form writers often do."""
    up = 2.0  # warped at twice the size, so thin strokes survive the second resize
    h = w = SIZE * up
    out_w = int(np.ceil(w * stretch + h * abs(slant))) + 4
    forward = np.array([[up * stretch, up * slant, 2 + (h * abs(slant) - h * slant) / 2],
                        [0.0, up, 0.0]], np.float32)
    big = cv2.warpAffine(image.astype(np.float32), forward, (out_w, int(h)), flags=cv2.INTER_LINEAR, borderValue=0)
    return to_mnist(big).astype(np.float32)


def neighbour_edge(image: np.ndarray, other: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """2-6 columns of another digit's near side along the left or right edge."""
    cols = np.flatnonzero((other > 60).any(axis=0))
    if len(cols) == 0:
        return image
    keep = min(int(rng.integers(2, 7)), len(cols))
    piece = np.zeros_like(image)
    if rng.random() < 0.5:  # the right side of a digit to the left
        piece[:, :keep] = other[:, cols[-1] - keep + 1 : cols[-1] + 1]
    else:
        piece[:, SIZE - keep :] = other[:, cols[0] : cols[0] + keep]
    return np.maximum(image, piece)


def draw_stroke(canvas: np.ndarray, points, thickness: int, level: float) -> None:
    points = np.round(np.asarray(points, np.float64)).astype(np.int32)
    cv2.polylines(canvas, [points.reshape(-1, 1, 2)], False, float(level), int(thickness), cv2.LINE_AA)
