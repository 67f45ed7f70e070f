"""Training the string reader: synthetic strings of training digits, CTC loss,
temperature and review threshold fitted on strings of digits never trained on."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import keras
import numpy as np
from keras import ops

from .calibration import accept_above
from .data import DigitSet, Mnist
from .modelcard import write_string_card
from .network import build_string_cnn, calibrated, uncalibrated
from .runtime import save_model
from .string_synth import synth_batch
from .train import batch_workers
from .strings import BLANK, CLASSES, FRAMES, StringReader, as_text


@dataclass
class StringTrainConfig:
    epochs: int = 16  # about 50 minutes on two cores
    steps: int = 400  # batches an epoch; every batch is freshly made
    batch_size: int = 64
    seed: int = 1
    learning_rate: float = 2e-3
    val_strings: int = 9000  # enough that the review threshold rests on a dozen errors, not a handful (3,000 moved it with the seed)
    # review threshold: at most this share of accepted validation strings wrong
    max_accepted_error: float = 0.003
    start_from: str | None = None  # a string model to go on training (new strings, same network)


def targets(labels: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The padded digits and, last, each string's length, as one array for Keras's y."""
    return np.concatenate([labels, lengths[:, None]], axis=1).astype(np.float32)


def ctc_loss(y_true, y_pred):
    """y_true packs the padded digits and, last, the string's length."""
    labels = ops.cast(y_true[:, :-1], "int32")
    lengths = ops.cast(y_true[:, -1], "int32")
    frames = ops.full((ops.shape(y_pred)[0],), FRAMES, dtype="int32")
    return ops.ctc_loss(labels, y_pred, lengths, frames, mask_index=BLANK)


class StringBatches(keras.utils.PyDataset):
    """Batches of strings made afresh every time (train.batch_workers). Each batch's
    strings depend only on the seed, the epoch and its index, so they are the same however
    many workers make them."""

    def __init__(self, pool_x, pool_y, config: StringTrainConfig):
        super().__init__(**batch_workers())
        self.pool_x, self.pool_y, self.config, self.epoch = pool_x, pool_y, config, 0

    def __len__(self):
        return self.config.steps

    def __getitem__(self, index):
        rng = np.random.default_rng([self.config.seed, self.epoch, index])
        strips, labels, lengths = synth_batch(self.pool_x, self.pool_y, self.config.batch_size, rng)
        return strips[..., None].astype(np.float32), targets(labels, lengths)

    def on_epoch_end(self):
        self.epoch += 1


def digit_pool(mnist: Mnist, extra: list[DigitSet]):
    """Training digits: MNIST's training set and every extra set (already MNIST-style)."""
    xs = [mnist.x_train] + [d.x for d in extra]
    ys = [mnist.y_train.astype(np.int64)] + [d.y.astype(np.int64) for d in extra]
    return np.concatenate(xs), np.concatenate(ys)


def _strings_nll(logits: np.ndarray, labels: np.ndarray, lengths: np.ndarray, temperature: float) -> float:
    y = targets(labels, lengths)
    return float(np.mean(ops.convert_to_numpy(ctc_loss(ops.convert_to_tensor(y), ops.convert_to_tensor(logits / temperature)))))


def fit_string_temperature(logits, labels, lengths) -> float:
    """The temperature that makes the true strings likeliest (a grid search is enough)."""
    grid = np.exp(np.linspace(np.log(0.5), np.log(4.0), 25))
    return float(min(grid, key=lambda t: _strings_nll(logits, labels, lengths, t)))


def train_strings(mnist: Mnist, extra: list[DigitSet], config: StringTrainConfig, out: Path, verbose: int = 2) -> dict:
    """Train, calibrate and save the string reader; returns its metrics (also written beside it)."""
    started = time.time()
    keras.utils.set_random_seed(config.seed)
    pool_x, pool_y = digit_pool(mnist, extra)
    model = starting_model(config.start_from)
    total = config.epochs * config.steps
    peak = config.learning_rate / (2 if config.start_from else 1)  # going on: smaller steps keep what it learnt
    schedule = keras.optimizers.schedules.CosineDecay(
        peak / 10, decay_steps=max(1, total - config.steps), warmup_target=peak,
        warmup_steps=config.steps, alpha=0.02,
    )
    model.compile(optimizer=keras.optimizers.Adam(schedule, clipnorm=5.0), loss=ctc_loss)
    x_val, l_val, n_val = validation_strings(mnist, config)
    y_val = targets(l_val, n_val)
    history = {}  # no epochs: the model as it was, calibrated afresh (after a change in how strings are read)
    if config.epochs:
        history = model.fit(
            StringBatches(pool_x, pool_y, config), epochs=config.epochs,
            validation_data=(x_val[..., None].astype(np.float32), y_val), verbose=verbose,
        ).history
    fit_seconds = time.time() - started
    metrics = save_calibrated(model, x_val, l_val, n_val, config, out)
    metrics.update({
        "train_seconds": round(fit_seconds, 1),
        "total_seconds": round(time.time() - started, 1),
        "training_digits": int(len(pool_x)),
        "parameters": int(model.count_params()),
        "config": asdict(config),
        "backend": keras.backend.backend(),
        "command": " ".join(["formreader", *sys.argv[1:]]) if sys.argv else "",
        "history": {k: [round(float(v), 4) for v in vals] for k, vals in history.items()},
        "started_from": earlier_training(config.start_from),
    })
    out.with_suffix(".metrics.json").write_text(json.dumps(metrics, indent=1))
    write_string_card(out, metrics)
    return metrics


def starting_model(path: str | None) -> keras.Model:
    """A new string network, or the logits of a trained one (its calibration head dropped:
    it is fitted afresh after training)."""
    if path is None:
        return build_string_cnn(classes=CLASSES)
    from .recognizer import load_calibrated

    trained, _ = load_calibrated(Path(path), "string model")
    return uncalibrated(trained)


def earlier_training(path: str | None) -> list[dict]:
    """How the model training went on from was made, from its metrics JSON (and so on
    back): each step's command, epochs and time, so the card can tell the whole recipe."""
    if path is None:
        return []
    try:
        m = json.loads(Path(path).with_suffix(".metrics.json").read_text())
    except (OSError, ValueError):
        return [{"model": str(path), "command": "(unknown: no metrics JSON beside it)"}]
    step = {"model": str(path), "command": m.get("command", "?"), "epochs": m.get("config", {}).get("epochs"),
            "train_seconds": m.get("train_seconds")}
    return m.get("started_from", []) + [step]


def validation_strings(mnist: Mnist, config: StringTrainConfig):
    """(strips, labels, lengths): strings of MNIST *test* digits, never trained on, fixed by the seed."""
    return synth_batch(mnist.x_test, mnist.y_test, config.val_strings, np.random.default_rng([config.seed, 99]))


def save_calibrated(model: keras.Model, x_val, l_val, n_val, config: StringTrainConfig, out: Path) -> dict:
    """Fit the temperature and the review threshold on the validation strings, save the
    model with its Calibration head; returns the validation figures."""
    logits = model.predict(x_val[..., None].astype(np.float32), batch_size=256, verbose=0)
    temperature = fit_string_temperature(logits, l_val, n_val)
    truth = [as_text(l_val[k, : n_val[k]]) for k in range(len(n_val))]
    # the threshold is fitted to the readings the scan makes: every view, averaged
    reads = StringReader(calibrated(model, temperature, 1.0), temperature, 1.0).read(x_val)
    confidence = np.array([r.confidence for r in reads])
    right = np.array([r.value == t for r, t in zip(reads, truth)])
    review_below = accept_above(confidence, ~right, config.max_accepted_error, none=1.0)
    save_model(calibrated(model, temperature, review_below), out, temperature, review_below)
    accepted = confidence >= review_below
    return {
        "model": out.name,
        "validation": "synthetic strings of MNIST test digits",
        "validation_exact": round(float(right.mean()), 5),
        "validation_flagged": round(float(1 - accepted.mean()), 5),
        "validation_accepted_wrong": round(float((~right & accepted).sum() / max(1, accepted.sum())), 5),
        "temperature": round(temperature, 4),
        "review_below": round(review_below, 5),
    }

