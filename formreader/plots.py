"""Training plots as PNG beside the model: curves, confusion, errors, feature maps."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .evaluate import CLASS_NAMES  # noqa: E402

LABELS = [str(d) for d in range(10)] + ["X"]  # X: not a digit


def write_plots(out: Path, model: keras.Model, metrics: dict, mnist, recognizer) -> list[Path]:
    paths = [
        _confusion(out.with_suffix(".confusion.png"), np.array(metrics["confusion"])),
        _errors(out.with_suffix(".errors.png"), mnist.x_test, metrics["misclassified"]),
    ]
    if metrics["history"]:  # an ensemble (ensemble.py) was joined, not trained: no curves
        paths.append(_curves(out.with_suffix(".curves.png"), metrics["history"]))
    model = next((layer for layer in model.layers if isinstance(layer, keras.Model)), model)  # an ensemble: its first member
    conv = next((layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)), None)
    if conv is not None:  # the MLP baseline has no feature maps
        paths.append(_feature_maps(out.with_suffix(".features.png"), model, conv, mnist.x_test[:4]))
    return paths


def _curves(path: Path, history: dict) -> Path:
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, key in zip(axes, ("loss", "accuracy")):
        ax.plot(range(1, len(history[key]) + 1), history[key], label="training (augmented)")
        ax.plot(range(1, len(history["val_" + key]) + 1), history["val_" + key], label="validation")
        ax.set_xlabel("epoch")
        ax.set_title(key)
        ax.legend()
    return _save(fig, path)


def _confusion(path: Path, matrix: np.ndarray) -> Path:
    fig, ax = plt.subplots(figsize=(7, 6))
    shown = np.log10(matrix + 1)  # log scale so that the few errors are visible at all
    ax.imshow(shown, cmap="viridis")
    for (i, j), count in np.ndenumerate(matrix):
        if count:
            ax.text(j, i, str(count), ha="center", va="center", fontsize=7, color="white" if shown[i, j] < shown.max() / 2 else "black")
    ax.set_xticks(range(len(LABELS)), LABELS)
    ax.set_yticks(range(len(LABELS)), LABELS)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title("MNIST test + generated non-digits (X = " + CLASS_NAMES[-1] + ")")
    return _save(fig, path)


def _errors(path: Path, images: np.ndarray, misclassified: list) -> Path:
    cols = 8
    rows = max(1, int(np.ceil(len(misclassified) / cols)))
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.2, rows * 1.4), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, (index, true, predicted) in zip(axes.flat, misclassified):
        ax.imshow(images[index], cmap="gray_r")
        ax.set_title(f"{LABELS[predicted]} (true {true})", fontsize=8)
    fig.suptitle("Misclassified MNIST test digits: predicted (true)")
    return _save(fig, path)


def _feature_maps(path: Path, model: keras.Model, conv, samples: np.ndarray) -> Path:
    maps = keras.Model(model.input, conv.output).predict(samples[..., None].astype(np.float32), verbose=0)
    shown = min(16, maps.shape[-1])
    fig, axes = plt.subplots(len(samples), shown + 1, figsize=(shown + 1, len(samples) * 1.1))
    for row, sample in enumerate(samples):
        axes[row, 0].imshow(sample, cmap="gray_r")
        for k in range(shown):
            axes[row, k + 1].imshow(maps[row, :, :, k], cmap="magma")
    for ax in axes.flat:
        ax.axis("off")
    fig.suptitle(f"First convolution layer ({conv.name}): {shown} of {maps.shape[-1]} feature maps")
    return _save(fig, path)


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path
