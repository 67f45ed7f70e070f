"""The shipped model: load once, classify 28x28 digits in large batches, flag doubts."""

from __future__ import annotations

import os
import sys
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import ModelError
from .shipped import shipped_model
from .negatives import NOT_A_DIGIT

DEFAULT_MODEL = shipped_model("digits.keras")
DEFAULT_BATCH = 1024

LOW_CONFIDENCE = "low confidence"
NOT_DIGIT = "not a digit"
OUTSIDE_BOXES = "outside any box"  # free handwriting: read, never accepted unseen
PIECE = "short for its string"  # a 1 far shorter than the string's other digits: a piece of a digit
SPLIT = "two 1s in one digit's room"  # two 1s cut from one shape no wider than a digit: a digit cut in two
COUNT = "digit count in doubt"  # the string reader read one digit fewer than the cut, the one left out read surely
AMONG_LETTERS = "among letters"  # a digit in boxes half of whose marks are no digit: an O or I of a written word
BLANK = "blank"  # no ink: not a digit to read, nothing to review


@dataclass
class Reads:
    """What the recognizer says of a batch of digit images (arrays of equal length)."""

    probs: np.ndarray  # (n, 11) calibrated probabilities, the last is "not a digit"
    digit: np.ndarray  # most likely digit 0-9, even when flagged
    confidence: np.ndarray  # its probability
    alt_digit: np.ndarray  # second most likely digit
    alt_confidence: np.ndarray
    needs_review: np.ndarray  # bool
    reason: list[str]  # "", LOW_CONFIDENCE, NOT_DIGIT, OUTSIDE_BOXES, PIECE, SPLIT, COUNT, AMONG_LETTERS, or a FieldCut/BoxCut.doubt (digits.py)

    def _arrays(self):
        return (self.probs, self.digit, self.confidence, self.alt_digit, self.alt_confidence, self.needs_review)

    def take(self, rows: list[int]) -> "Reads":
        """These rows, in this order."""
        k = np.asarray(rows, dtype=int)
        return Reads(*(a[k] for a in self._arrays()), [self.reason[i] for i in rows])

    @staticmethod
    def concat(parts: list["Reads"]) -> "Reads":
        if len(parts) == 1:
            return parts[0]
        arrays = [np.concatenate(group) for group in zip(*(p._arrays() for p in parts))]
        return Reads(*arrays, [r for p in parts for r in p.reason])


def string_reads_rows(read, review_below: float) -> Reads:
    """The symbols of one StringRead as Reads rows. A digit is no surer than its string:
    its confidence is the lower of its own column's and the whole string's; every digit
    of a string below `review_below` is flagged, and so is a mark that is no digit."""
    n = len(read.digits)
    digit = np.array(read.digits, dtype=int)
    confidence = np.minimum(np.array(read.digit_confidence, np.float32), read.confidence)
    probs = np.zeros((n, NOT_A_DIGIT + 1), np.float32)
    probs[np.arange(n), digit] = confidence
    probs[np.asarray(read.not_digit, bool), NOT_A_DIGIT] = 1.0
    low = read.confidence < review_below
    reason = [NOT_DIGIT if mark else LOW_CONFIDENCE if low else "" for mark in read.not_digit]
    return Reads(probs, digit, confidence, np.array(read.alt_digits, dtype=int), np.array(read.alt_confidence, np.float32),
                 np.array([bool(r) for r in reason]), reason)


@contextmanager
def native_stderr_silenced():
    """Hide what C++ writes to stderr meanwhile: TensorFlow's start-up notes (oneDNN,
    CUDA probing) ignore TF_CPP_MIN_LOG_LEVEL and would bury our one-line messages.
    Python exceptions still reach the user."""
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def start_keras():
    """Import Keras (and its backend) quietly; every command that needs it calls this first."""
    with native_stderr_silenced():
        import keras

        keras.ops.convert_to_tensor([0.0])  # the backend probes its devices on first use
    return keras


def model_path(path: str | os.PathLike | None = None) -> Path:
    """The model file to use; ModelError when there is none."""
    path = Path(path or os.environ.get("FORMREADER_MODEL") or DEFAULT_MODEL)
    if not path.is_file():
        raise ModelError(f"{path}: no such model file (train one with `formreader train`)")
    return path


def load_calibrated(path: Path, what: str):
    """A formreader .keras model and its Calibration head; ModelError when it is none."""
    keras = start_keras()
    from . import network  # registers the Calibration layer

    try:
        model = keras.saving.load_model(path, compile=False)
    except (OSError, ValueError, TypeError, KeyError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{path}: not a formreader {what} ({str(exc).splitlines()[0][:200]})") from None
    head = model.layers[-1]
    if not isinstance(head, network.Calibration):
        raise ModelError(f"{path}: the {what} has no calibration layer; train it with `formreader train`")
    return model, head


def predict_batches(model, x: np.ndarray, batch_size: int) -> np.ndarray:
    """The model's outputs for `x`, `batch_size` inputs a call."""
    return np.concatenate([np.asarray(model.predict_on_batch(x[i : i + batch_size])) for i in range(0, len(x), batch_size)])


class Recognizer:
    """A loaded model and its review threshold.

    >>> rec = Recognizer.load()  # doctest: +SKIP
    >>> rec.read(images).digit  # doctest: +SKIP
    """

    def __init__(self, model, temperature: float, review_below: float, path: Path | None = None, strings=None):
        self.model = model
        self.temperature = temperature
        self.review_below = review_below
        self.path = path
        self.strings = strings  # a StringReader for digit strings, or None: strings are cut into digits

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, strings: str | os.PathLike | None = None) -> "Recognizer":
        """The digit model at `path` and, with `strings` (for the scan: strings.string_model_path()),
        the string model there too."""
        from .runtime import load_model
        from .strings import StringReader

        path = model_path(path)
        model, temperature, review_below = load_model(path, "model")
        return cls(model, temperature, review_below, path, StringReader.load(strings) if strings else None)

    def probabilities(self, images: np.ndarray, batch_size: int = DEFAULT_BATCH) -> np.ndarray:
        """(n, 28, 28) uint8 MNIST-style images -> (n, 11) calibrated probabilities."""
        if len(images) == 0:
            return np.zeros((0, 11), np.float32)
        return predict_batches(self.model, np.asarray(images, np.float32).reshape(-1, 28, 28, 1), batch_size)

    def read(self, images: np.ndarray, review_below: float | None = None, batch_size: int = DEFAULT_BATCH) -> Reads:
        return reads_from(self.probabilities(images, batch_size), self.review_below if review_below is None else review_below)


def reads_from(probs: np.ndarray, review_below: float) -> Reads:
    """Turn probabilities into digits, second choices and review flags."""
    digit_probs = probs[:, :NOT_A_DIGIT]
    order = np.argsort(-digit_probs, axis=1)
    rows = np.arange(len(probs))
    digit, alt = order[:, 0], order[:, 1]
    confidence, alt_confidence = digit_probs[rows, digit], digit_probs[rows, alt]
    not_digit = probs.argmax(axis=1) == NOT_A_DIGIT
    low = confidence < review_below
    reason = [NOT_DIGIT if n else LOW_CONFIDENCE if l else "" for n, l in zip(not_digit, low)]
    return Reads(probs, digit, confidence, alt, alt_confidence, not_digit | low, reason)
