"""Shared fixtures: the MNIST files beside the checkout, a tiny trained model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parent.parent
MNIST_DIR = Path(os.environ.get("FORMREADER_TEST_DATA", ROOT.parent / "shared" / "data" / "mnist"))
SHIPPED_MODEL = ROOT / "models" / "digits.keras"


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    if not (MNIST_DIR / "t10k-images-idx3-ubyte.gz").is_file():
        pytest.skip(f"MNIST IDX files not found in {MNIST_DIR} (set FORMREADER_TEST_DATA)")
    return MNIST_DIR


@pytest.fixture(scope="session")
def mnist(mnist_dir):
    from formreader.data import load_mnist

    return load_mnist(mnist_dir)


@pytest.fixture(scope="session")
def tiny_model(mnist, tmp_path_factory) -> Path:
    """A real but tiny CNN: 8,000 digits, 3 epochs, about 30 s on two cores."""
    from formreader.train import TrainConfig, train

    out = tmp_path_factory.mktemp("tiny") / "digits.keras"
    train(mnist, TrainConfig(epochs=3, limit=8000, seed=3), out, verbose=0)
    return out


@pytest.fixture(scope="session")
def shipped_model() -> Path:
    if not SHIPPED_MODEL.is_file():
        pytest.skip(f"no shipped model at {SHIPPED_MODEL}")
    return SHIPPED_MODEL


def link_samples(folder: Path, count: int) -> Path:
    """`count` files in `folder`: the sample forms again and again under other names (hard links)."""
    names = ["form-01.jpg", "form-02.pdf", "form-03.tif"]  # 1, 1 and 2 pages
    for k in range(count):
        os.link(ROOT / "samples" / "forms" / names[k % 3], folder / f"{k:02d}-{names[k % 3]}")
    return folder
