"""MNIST loading: IDX files or mnist.npz from a folder, else Keras's own cache.

Where the data comes from, in order: the --data option, the FORMREADER_DATA
environment variable, then Keras's cache and downloader (~/.keras/datasets).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import DataError

IDX_NAMES = {
    "x_train": ("train-images-idx3-ubyte", "train-images.idx3-ubyte"),
    "y_train": ("train-labels-idx1-ubyte", "train-labels.idx1-ubyte"),
    "x_test": ("t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"),
    "y_test": ("t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"),
}
EXPECTED_COUNTS = {"x_train": 60000, "y_train": 60000, "x_test": 10000, "y_test": 10000}


@dataclass
class Mnist:
    x_train: np.ndarray  # (60000, 28, 28) uint8, white ink on black
    y_train: np.ndarray  # (60000,) uint8
    x_test: np.ndarray
    y_test: np.ndarray
    source: str  # where it was read from, for the model card
    checksums: dict[str, str]  # file name -> sha1


def load_mnist(data_dir: str | os.PathLike | None = None) -> Mnist:
    """Load MNIST, or raise DataError with a one-line reason.

    >>> mnist = load_mnist("../shared/data/mnist")  # doctest: +SKIP
    >>> mnist.x_train.shape
    (60000, 28, 28)
    """
    data_dir = data_dir or os.environ.get("FORMREADER_DATA")
    if data_dir:
        return _load_dir(Path(data_dir))
    return _load_keras()


def _load_dir(folder: Path) -> Mnist:
    if not folder.exists():
        raise DataError(f"{folder}: no such data folder")
    if folder.is_file() and folder.suffix == ".npz":
        return _load_npz(folder)
    if (folder / "mnist.npz").is_file():
        return _load_npz(folder / "mnist.npz")
    arrays, sums = {}, {}
    for key, names in IDX_NAMES.items():
        path = _find_idx(folder, names)
        if path is None:
            raise DataError(f"{folder}: no {names[0]}[.gz] and no mnist.npz in this folder")
        arrays[key] = _parse_idx(_read_bytes(path), path)
        sums[path.name] = file_sha1(path)
    return _checked(arrays, str(folder), sums)


def _find_idx(folder: Path, names: tuple[str, ...]) -> Path | None:
    for name in names:
        for candidate in (folder / f"{name}.gz", folder / name):
            if candidate.is_file():
                return candidate
    return None


def file_sha1(path: Path) -> str:
    """Of the file as stored, so it can be compared with the published checksums."""
    return hashlib.sha1(path.read_bytes()).hexdigest()


def _read_bytes(path: Path) -> bytes:
    """The file's content, gunzipped when it is a .gz; DataError when damaged."""
    try:
        raw = path.read_bytes()
        return gzip.decompress(raw) if path.suffix == ".gz" else raw
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise DataError(f"{path}: cannot be read ({exc})") from None


def _parse_idx(raw: bytes, path: Path) -> np.ndarray:
    # IDX: 2 zero bytes, a type byte (0x08 = uint8), a dimension count, then big-endian sizes.
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08 or raw[3] not in (1, 3):
        raise DataError(f"{path}: not an MNIST IDX file (bad header)")
    ndim = raw[3]
    header = 4 + 4 * ndim
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    if len(raw) != header + int(np.prod(shape)):
        raise DataError(f"{path}: truncated or damaged (size does not match its header)")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def _load_npz(path: Path) -> Mnist:
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: np.asarray(npz[key]) for key in IDX_NAMES}
    except (OSError, ValueError, KeyError, zlib.error, EOFError) as exc:
        raise DataError(f"{path}: not a usable mnist.npz ({exc})") from None
    return _checked(arrays, str(path), {path.name: file_sha1(path)})


def _load_keras() -> Mnist:
    import keras

    cache = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "datasets" / "mnist.npz"
    if cache.is_file():
        return _load_npz(cache)
    try:
        keras.datasets.mnist.load_data()
    except Exception as exc:  # network errors come in many types
        raise DataError(
            f"MNIST not found: pass --data DIR or set FORMREADER_DATA (download failed: {exc})"
        ) from None
    return _load_npz(cache)


def _checked(arrays: dict[str, np.ndarray], source: str, sums: dict[str, str]) -> Mnist:
    for key, count in EXPECTED_COUNTS.items():
        array = arrays[key]
        if array.dtype != np.uint8 or len(array) != count:
            raise DataError(f"{source}: {key} has {len(array)} items of {array.dtype}, expected {count} uint8")
        if key.startswith("x") and array.shape[1:] != (28, 28):
            raise DataError(f"{source}: {key} images are {array.shape[1:]}, expected 28x28")
        if key.startswith("y") and array.max() > 9:
            raise DataError(f"{source}: {key} has labels above 9")
    return Mnist(source=source, checksums=sums, **arrays)


def split_validation(x: np.ndarray, y: np.ndarray, size: int, seed: int):
    """A fixed random hold-out: (x_fit, y_fit, x_val, y_val)."""
    order = np.random.default_rng(seed).permutation(len(x))
    val, fit = order[:size], order[size:]
    return x[fit], y[fit], x[val], y[val]


@dataclass
class DigitSet:
    """A labelled digit set beside MNIST (`--extra-data`), already MNIST-style."""

    name: str
    x: np.ndarray
    y: np.ndarray
    sha1: str = ""  # of the file it came from


def load_digit_set(path: str | os.PathLike) -> DigitSet:
    """load_extra_digits, named after its file."""
    return DigitSet(Path(path).stem, *load_extra_digits(path), file_sha1(Path(path)))


def load_extra_digits(path: str | os.PathLike) -> tuple[np.ndarray, np.ndarray]:
    """A labelled digit set (.npz with `images` and `labels`; any size, either polarity)
    -> (n, 28, 28) uint8 MNIST-style images and their labels; DataError when unusable."""
    from .digits import ink_map, to_mnist

    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as npz:
            images, labels = np.asarray(npz["images"]), np.asarray(npz["labels"]).astype(np.int64).ravel()
    except (OSError, ValueError, KeyError, zlib.error, EOFError) as exc:
        raise DataError(f"{path}: not a digit set with `images` and `labels` ({exc})") from None
    if images.ndim != 3 or len(images) != len(labels) or len(labels) == 0:
        raise DataError(f"{path}: `images` must be (n, height, width) with one label each")
    if labels.min() < 0 or labels.max() > 9:
        raise DataError(f"{path}: labels must be digits 0-9")
    if images.dtype != np.uint8:
        top = float(images.max()) or 1.0
        images = (images.astype(np.float32) * (255.0 / top)).astype(np.uint8)
    return np.stack([to_mnist(ink_map(image)) for image in images]), labels
