"""Which engine runs a trained model: LiteRT on CPUs, Keras on GPUs and for training.

Every model is saved twice by `save_model`: `name.keras` (Keras 3: training goes on from
it, GPUs run it) and `name.tflite`, the same network exported by Keras to LiteRT with its
weights stored as 8-bit integers (dynamic-range quantization), with `name.tflite.json`
beside it holding the .keras file's SHA-1 and its calibration. On a CPU LiteRT starts in
about 0.2 s where importing TensorFlow takes 5-8 s (a scan of a hundred pages is mostly
start-up otherwise), and the 8-bit weights read digits 2.7 times faster than float ones
on two cores: the probabilities differ by 0.03 at most, the digits read and flagged are
the same (MNIST's test set: the same 99.70%, 2 of 10,000 flags changed).

`load_model` picks: $FORMREADER_RUNTIME `keras` or `litert` when set; else Keras when
an NVIDIA GPU is present or when no LiteRT copy matches the .keras file (one trained
before this, or by hand), LiteRT otherwise.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import numpy as np

from .data import file_sha1
from .errors import ModelError


def lite_path(path: Path) -> Path:
    return path.with_suffix(".tflite")


def lite_meta_path(path: Path) -> Path:
    return path.with_suffix(".tflite.json")


def model_files(path: Path) -> list[Path]:
    """The model's files: the .keras and, where there, its LiteRT copy and that copy's notes."""
    return [p for p in (path, lite_path(path), lite_meta_path(path)) if p.is_file()]


def save_model(model, out: Path, temperature: float, review_below: float) -> None:
    """Save a calibrated Keras model as .keras and, with the TensorFlow backend (the
    LiteRT converter's), as its LiteRT copy; without one, Keras runs the model."""
    import keras

    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    if keras.backend.backend() == "tensorflow":
        export_lite(model, out, temperature, review_below)


def export_lite(model, out: Path, temperature: float, review_below: float) -> None:
    """The LiteRT copy of the model saved at `out` (weights in 8 bits), and its notes."""
    import tensorflow as tf

    from .recognizer import native_stderr_silenced

    with native_stderr_silenced():  # the converter's C++ notes would bury ours
        model.export(str(lite_path(out)), format="litert", verbose=False, optimizations=[tf.lite.Optimize.DEFAULT])
    meta = {"keras_sha1": file_sha1(out), "temperature": temperature, "review_below": review_below}
    lite_meta_path(out).write_text(json.dumps(meta, indent=1))


class LiteModel:
    """A LiteRT interpreter behind Keras's `predict_on_batch`, safe to share between threads."""

    def __init__(self, path: Path, threads: int | None = None):
        from ai_edge_litert.interpreter import Interpreter

        from .recognizer import native_stderr_silenced

        with native_stderr_silenced():  # "Created TensorFlow Lite XNNPACK delegate for CPU."
            self.interpreter = Interpreter(model_path=str(path), num_threads=threads or os.cpu_count() or 1)
            given = self.interpreter.get_input_details()[0]
            self._input, self._output = given["index"], self.interpreter.get_output_details()[0]["index"]
            self._shape: tuple | None = None
            self._lock = threading.Lock()
            self.predict_on_batch(np.zeros((1, *given["shape"][1:]), np.float32))

    def predict_on_batch(self, x: np.ndarray) -> np.ndarray:
        x = np.ascontiguousarray(x, np.float32)
        with self._lock:
            if x.shape != self._shape:  # a new batch size: the tensors are sized anew
                self.interpreter.resize_tensor_input(self._input, x.shape)
                self.interpreter.allocate_tensors()
                self._shape = x.shape
            self.interpreter.set_tensor(self._input, x)
            self.interpreter.invoke()
            return self.interpreter.get_tensor(self._output).copy()


def _gpu_present() -> bool:
    return Path("/dev/nvidia0").exists()


def matching_lite_copy(path: Path) -> dict | None:
    """The LiteRT copy's notes when it was exported from this very .keras file, else None."""
    meta_path = lite_meta_path(path)
    if not (meta_path.is_file() and lite_path(path).is_file()):
        return None
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError):
        return None
    return meta if meta.get("keras_sha1") == file_sha1(path) else None


def load_model(path: Path, what: str):
    """(model with predict_on_batch, temperature, review_below) for the .keras file at `path`."""
    choice = os.environ.get("FORMREADER_RUNTIME", "auto").lower()
    if choice not in ("auto", "keras", "litert"):
        raise ModelError(f"FORMREADER_RUNTIME={choice}: use keras, litert or leave it unset")
    meta = matching_lite_copy(path) if choice != "keras" else None
    if choice == "litert" and meta is None:
        raise ModelError(f"{path}: no LiteRT copy made from this file ({lite_path(path).name} and its .json); save it with `formreader train`")
    if meta is not None and (choice == "litert" or not _gpu_present()):
        try:
            return LiteModel(lite_path(path)), float(meta["temperature"]), float(meta["review_below"])
        except ImportError:
            if choice == "litert":
                raise ModelError("FORMREADER_RUNTIME=litert, but ai-edge-litert is not installed") from None
        except (ValueError, RuntimeError, KeyError) as exc:
            raise ModelError(f"{lite_path(path)}: not a LiteRT model ({str(exc).splitlines()[0][:200]})") from None
    from .recognizer import load_calibrated

    model, head = load_calibrated(path, what)
    return model, head.temperature, head.review_below
