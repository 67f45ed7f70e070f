"""Training: fit, calibrate on the validation split, evaluate, write model + metrics + plots."""

from __future__ import annotations

import json
import math
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import keras
import numpy as np

from .augment import AugmentConfig, ScanAugmenter
from .calibration import expected_calibration_error, fit_temperature, label_issues, softmax, worst_source_threshold
from .data import DigitSet, Mnist, split_validation
from .evaluate import distorted, evaluate, review_figures
from .negatives import NOT_A_DIGIT, make_negatives
from .modelcard import write_card
from .network import ARCHITECTURES, calibrated, uncalibrated
from .recognizer import Recognizer, load_calibrated, model_path
from .runtime import save_model


@dataclass
class TrainConfig:
    arch: str = "cnn"
    augment: bool = True
    epochs: int = 30
    batch_size: int = 128
    seed: int = 1
    learning_rate: float = 2e-3
    val_size: int = 5000
    negatives: int = 6000  # "not a digit" examples, about one class's worth
    limit: int | None = None  # use only this many training digits (tests, quick tries)
    patience: int = 8
    source_val: int = 1000  # at least this many validation digits from each extra set (a third at most)
    augmentation: AugmentConfig = field(default_factory=AugmentConfig)


def batch_workers() -> dict:
    """How training batches are made: in two threads on a small machine, in processes on
    one with more than four cores (making a batch is partly Python, which threads share
    one core for: a GPU would wait on them)."""
    workers = max(2, (os.cpu_count() or 2) - 2)
    return {"workers": workers, "use_multiprocessing": workers > 2, "max_queue_size": 2 * workers}


class AugmentedBatches(keras.utils.PyDataset):
    """Shuffled batches, freshly augmented every epoch (batch_workers). A batch depends
    only on the seed, the epoch and its index, however many workers make it."""

    def __init__(self, x, y, batch_size: int, augmenter: ScanAugmenter | None, seed: int):
        super().__init__(**batch_workers())
        self.x, self.y, self.batch_size = x, y, batch_size
        self.augmenter, self.seed, self.epoch = augmenter, seed, 0
        self.order = np.random.default_rng([seed, 0]).permutation(len(x))

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = self.order[index * self.batch_size : (index + 1) * self.batch_size]
        images = self.x[rows]
        if self.augmenter is not None:
            images = self.augmenter.augment(images, np.random.default_rng([self.seed, self.epoch, index]), self.y[rows])
        return images[..., None].astype(np.float32), self.y[rows]

    def on_epoch_end(self):
        self.epoch += 1
        self.order = np.random.default_rng([self.seed, self.epoch]).permutation(len(self.x))


def training_sets(mnist: Mnist, config: TrainConfig, extra: list[DigitSet] = ()):
    """(x_fit, y_fit, x_val, y_val, val_source): MNIST's training digits, every extra set's,
    and generated negatives, each split into fit and validation parts; val_source names
    each validation image's set ("mnist" for MNIST's and the negatives)."""
    x, y = mnist.x_train, mnist.y_train.astype(np.int64)
    if config.limit:
        x, y = x[: config.limit], y[: config.limit]
    val_size = min(config.val_size, len(x) // 6)
    x_fit, y_fit, x_val, y_val = split_validation(x, y, val_size, config.seed)
    share = len(x_fit) / 60000
    n_fit, n_val = int(config.negatives * share) or 1, max(1, int(config.negatives * share / 10))
    neg_fit = make_negatives(n_fit, seed=1000 + config.seed)
    neg_val = make_negatives(n_val, seed=2000 + config.seed)
    fits, vals = [(x_fit, y_fit), (neg_fit, np.full(len(neg_fit), NOT_A_DIGIT))], [(x_val, y_val), (neg_val, np.full(len(neg_val), NOT_A_DIGIT))]
    sources = ["mnist"] * (len(x_val) + len(neg_val))
    for digits in extra:  # every set's own validation part, so the threshold can be set per set
        # MNIST's share, but never so few that one error decides a small set's threshold
        size = max(1, int(len(digits.x) * val_size / max(1, len(x))), min(config.source_val, len(digits.x) // 3))
        ex_fit, ey_fit, ex_val, ey_val = split_validation(digits.x, digits.y.astype(np.int64), size, config.seed)
        fits.append((ex_fit, ey_fit))
        vals.append((ex_val, ey_val))
        sources += [digits.name] * len(ex_val)
    return (
        np.concatenate([a for a, _ in fits]),
        np.concatenate([b for _, b in fits]),
        np.concatenate([a for a, _ in vals]),
        np.concatenate([b for _, b in vals]),
        np.array(sources),
    )


def calibrate(model: keras.Model, x_val: np.ndarray, y_val: np.ndarray, seed: int, sources: np.ndarray | None = None,
              members: list[keras.Model] = ()):
    """Temperature and review threshold, fitted on validation digits as they are and as a
    scanner would distort them. The threshold is the strictest that any one source needs
    (accepted digits wrong at most 1 in 1000 on the worst source, not on average); for an
    ensemble, not counting the digits its `members` all find mislabelled (label_issues).
    Returns (temperature, review_below, logits, labels, issues: a mask over x_val)."""
    x_cal = np.concatenate([x_val, distorted(x_val, seed=3000 + seed)])[..., None].astype(np.float32)
    y_cal = np.concatenate([y_val, y_val])
    sources = np.tile(sources if sources is not None else np.array(["mnist"] * len(x_val)), 2)
    logits = model.predict(x_cal, batch_size=1024, verbose=0)
    temperature = fit_temperature(logits, y_cal)
    issues = label_issues([member.predict(x_cal, batch_size=1024, verbose=0) for member in members], y_cal, copies=2)
    kept = ~np.tile(issues, 2)
    review_below = worst_source_threshold(softmax(logits, temperature)[kept], y_cal[kept], sources[kept])
    return temperature, review_below, logits, y_cal, issues


def best_epoch(val_accuracy: list[float], watched_from: int) -> int:
    """The epoch (from 1) whose weights early stopping kept: the best it watched, else the last."""
    if len(val_accuracy) <= watched_from:
        return len(val_accuracy)
    return watched_from + int(np.argmax(val_accuracy[watched_from:])) + 1


def source_figures(recognizer: Recognizer, x: np.ndarray, y: np.ndarray) -> dict:
    """Accuracy, flagged and wrong among accepted on one digit set."""
    probs = recognizer.probabilities(x)
    return {"digits": int(len(y)), "accuracy": round(float((probs.argmax(axis=1) == y).mean()), 5),
            **review_figures(probs, y, recognizer.review_below)}


def train(mnist: Mnist, config: TrainConfig, out: Path, verbose: int = 2, extra: list[DigitSet] = (), held_out: list[DigitSet] = ()) -> dict:
    """Train (on MNIST and the `extra` sets), calibrate, evaluate and save; the `held_out`
    sets are only judged on. Returns the metrics written beside the model."""
    started = time.time()
    keras.utils.set_random_seed(config.seed)
    x_fit, y_fit, x_val, y_val, val_source = training_sets(mnist, config, extra)
    model = ARCHITECTURES[config.arch]()
    steps = math.ceil(len(x_fit) / config.batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=config.learning_rate / 10,
        warmup_target=config.learning_rate,
        warmup_steps=steps,
        decay_steps=max(1, steps * (config.epochs - 1)),
        alpha=0.01,
    )
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    batches = AugmentedBatches(x_fit, y_fit, config.batch_size, ScanAugmenter(config.augmentation) if config.augment else None, config.seed)
    watched_from = config.epochs * 2 // 3  # the cosine schedule's best epochs are its last: early stopping watches its last third
    history = model.fit(
        batches,
        epochs=config.epochs,
        validation_data=(x_val[..., None].astype(np.float32), y_val),
        callbacks=[keras.callbacks.EarlyStopping("val_accuracy", patience=config.patience, restore_best_weights=True,
                                                 start_from_epoch=watched_from)],
        verbose=verbose,
    )
    fit_seconds = time.time() - started
    about = {"config": asdict(config), "epochs_run": len(history.history["loss"]),
             "best_epoch": best_epoch(history.history["val_accuracy"], watched_from), "train_seconds": round(fit_seconds, 1),
             "train_images": int(len(x_fit)), "history": {k: [round(float(v), 5) for v in vals] for k, vals in history.history.items()}}
    return finish(model, mnist, (x_val, y_val, val_source), out, about, started, extra, held_out)


def finish(model: keras.Model, mnist: Mnist, validation, out: Path, about: dict, started: float,
           extra: list[DigitSet] = (), held_out: list[DigitSet] = (), members: list[keras.Model] = ()) -> dict:
    """Calibrate a model that outputs logits (trained, or an ensemble of trained ones), save
    it, evaluate it by source and write its metrics, plots and card. `about` says how it
    was made (config, epochs, history...). Returns the metrics."""
    x_val, y_val, val_source = validation
    seed = about["config"]["seed"]
    temperature, review_below, logits, y_cal, issues = calibrate(model, x_val, y_val, seed, val_source, members)
    shipped = calibrated(model, temperature, review_below)
    save_model(shipped, out, temperature, review_below)

    recognizer = Recognizer(shipped, temperature, review_below, out)
    figures = evaluate(recognizer, mnist)
    test_logits = model.predict(mnist.x_test[..., None].astype(np.float32), batch_size=1024, verbose=0)
    metrics = {
        "model": out.name,
        **figures,
        "ece_before_calibration": round(expected_calibration_error(softmax(test_logits), mnist.y_test), 5),
        "ece_validation_before": round(expected_calibration_error(softmax(logits), y_cal), 5),
        "ece_validation_after": round(expected_calibration_error(softmax(logits, temperature), y_cal), 5),
        "temperature": round(temperature, 4),
        **about,
        "total_seconds": round(time.time() - started, 1),
        "validation_images": int(len(x_val)),
        "label_issues": [{"source": str(val_source[i]), "label": int(y_val[i])} for i in np.flatnonzero(issues)],
        "parameters": int(model.count_params()),
        "data": {"source": mnist.source, "sha1": mnist.checksums, "extra": {d.name: {"digits": len(d.y), "sha1": d.sha1} for d in extra},
                 "held_out": {d.name: {"digits": len(d.y), "sha1": d.sha1} for d in held_out}},
        # each source's own validation part (digits only), and the sets never trained on
        "sources": {name: source_figures(recognizer, x_val[(val_source == name) & (y_val != NOT_A_DIGIT)],
                                         y_val[(val_source == name) & (y_val != NOT_A_DIGIT)]) for name in np.unique(val_source)},
        "held_out": {d.name: source_figures(recognizer, d.x, d.y) for d in held_out},
        "backend": keras.backend.backend(),
        "command": " ".join(["formreader", *sys.argv[1:]]) if sys.argv else "",
    }
    metrics_path = out.with_suffix(".metrics.json")
    metrics_path.write_text(json.dumps(metrics, indent=1))
    from .plots import write_plots  # matplotlib only when training

    write_plots(out, model, metrics, mnist, recognizer)
    write_card(out, metrics)
    return metrics


# --- Fine-tuning the shipped model on reviewed digits -------------------------------

MAX_ACCURACY_DROP = 0.0005  # 0.05 points of MNIST test accuracy: more and the model is not saved


@dataclass
class FineTuneConfig:
    epochs: int = 2
    batch_size: int = 128
    seed: int = 1
    learning_rate: float = 1e-4
    mnist_digits: int = 20000  # MNIST training digits mixed in, so the model keeps what it knew
    extra_share: float = 0.02  # the reviewed digits' share of each epoch (repeated, augmented afresh)


def plain_layers(model: keras.Model):
    """The model's layers, an ensemble's members' own layers in place of the members."""
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from plain_layers(layer)
        else:
            yield layer


def fine_tune(mnist: Mnist, extra_x: np.ndarray, extra_y: np.ndarray, base: Path, out: Path, config: FineTuneConfig, verbose: int = 2) -> dict:
    """Go on training the model at `base` on reviewed digits mixed with MNIST, recalibrate,
    and save it to `out` unless MNIST test accuracy fell by more than MAX_ACCURACY_DROP.
    Returns before/after figures and whether it was saved."""
    from .errors import ModelError

    if len(extra_x) == 0:
        raise ModelError("no reviewed digits to learn from (all rows illegible or none)")
    started = time.time()
    keras.utils.set_random_seed(config.seed)
    base_model, head = load_calibrated(model_path(base), "model")  # Keras itself: it is trained further
    before = Recognizer(base_model, head.temperature, head.review_below, base)
    extra_before = float((before.read(extra_x).digit == extra_y).mean())
    accuracy_before = evaluate(before, mnist)["accuracy"]

    model = uncalibrated(before.model)
    for layer in plain_layers(model):  # adjust only the dense heads: the learnt strokes and shapes stay
        layer.trainable = isinstance(layer, keras.layers.Dense)
    # the shipped model's own validation split (same seed), so its calibration is refitted like-for-like
    x_fit, y_fit, x_val, y_val, _ = training_sets(mnist, TrainConfig(seed=config.seed))
    keep = np.random.default_rng(config.seed).choice(len(x_fit), min(config.mnist_digits, len(x_fit)), replace=False)
    x_fit, y_fit = x_fit[keep], y_fit[keep]
    repeats = max(1, math.ceil(config.extra_share * len(x_fit) / len(extra_x)))
    x_fit = np.concatenate([x_fit, np.repeat(extra_x, repeats, axis=0)])
    y_fit = np.concatenate([y_fit, np.repeat(extra_y, repeats)])
    model.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    model.fit(AugmentedBatches(x_fit, y_fit, config.batch_size, ScanAugmenter(), config.seed), epochs=config.epochs, verbose=verbose)

    temperature, review_below, _, _, _ = calibrate(model, x_val, y_val, config.seed)
    after = Recognizer(calibrated(model, temperature, review_below), temperature, review_below, out)
    accuracy_after = evaluate(after, mnist)["accuracy"]
    figures = {
        "accuracy_before": accuracy_before,
        "accuracy_after": accuracy_after,
        "extra_digits": int(len(extra_x)),
        "extra_accuracy_before": round(extra_before, 5),
        "extra_accuracy_after": round(float((after.read(extra_x).digit == extra_y).mean()), 5),
        "temperature": round(temperature, 4),
        "review_below": round(review_below, 4),
        "seconds": round(time.time() - started, 1),
        "saved": round(accuracy_before - accuracy_after, 5) <= MAX_ACCURACY_DROP,
    }
    if figures["saved"]:
        save_model(after.model, out, temperature, review_below)
    return figures
