"""Recognizer speed: training images/s, augmentation images/s, prediction digits/s.

    .venv/bin/python bench/bench_recognizer.py [--model models/digits.keras]

Prints one line per figure and a JSON line at the end. A benchmark, not a test:
run it on an otherwise idle machine and copy the figures into the README.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from formreader.augment import ScanAugmenter  # noqa: E402
from formreader.network import build_cnn  # noqa: E402
from formreader.recognizer import Recognizer  # noqa: E402


def images(n: int, seed: int = 0) -> np.ndarray:
    """Digit-like inputs; speed does not depend on what the pixels show."""
    return np.random.default_rng(seed).integers(0, 256, (n, 28, 28), dtype=np.uint8)


def bench_augment(n: int = 20000) -> float:
    aug, x, rng = ScanAugmenter(), images(n), np.random.default_rng(1)
    start = time.perf_counter()
    for i in range(0, n, 128):
        aug.augment(x[i : i + 128], rng)
    return n / (time.perf_counter() - start)


def bench_training(steps: int = 60, batch: int = 128) -> float:
    model = build_cnn()
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    x = images(steps * batch)[..., None].astype(np.float32)
    y = np.random.default_rng(2).integers(0, 11, len(x))
    model.fit(x[: 5 * batch], y[: 5 * batch], batch_size=batch, epochs=1, verbose=0)  # compile, warm up
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    return len(x) / (time.perf_counter() - start)


def bench_predict(recognizer: Recognizer, batch: int, total: int) -> float:
    x = images(total, seed=3)
    recognizer.probabilities(x[:batch], batch_size=batch)  # warm up this batch shape
    start = time.perf_counter()
    recognizer.probabilities(x, batch_size=batch)
    return total / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    recognizer = Recognizer.load(args.model)
    figures = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "backend": keras.backend.backend(),
        "augment_images_per_s": bench_augment(),
        "train_images_per_s": bench_training(),
    }
    for batch, total in ((1, 500), (64, 10240), (1024, 30720)):
        figures[f"predict_digits_per_s_batch_{batch}"] = bench_predict(recognizer, batch, total)
    for key, value in figures.items():
        print(f"{key:32} {value:,.0f}" if isinstance(value, float) else f"{key:32} {value}")
    print(json.dumps({k: round(v) if isinstance(v, float) else v for k, v in figures.items()}))


if __name__ == "__main__":
    main()
