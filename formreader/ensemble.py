"""Joining trained digit models into one: their logits averaged, calibrated again.

Two models trained on other digits (MNIST alone; MNIST with more writers) are seldom sure
of the same wrong digit: averaged, a digit one of them misreads surely comes out unsure,
so fewer digits need flagging for the same accepted error (issue 12 names an ensemble's
averaged probabilities as a way to honest confidence). Each member's logits are divided by
its own temperature first, so that no member weighs more for being sharper; the average is
then calibrated like a trained model's logits (train.finish) and saved as one .keras file
with one Calibration head, which every part of formreader reads as it reads one model.

The members must share the training seed and --limit: they set the validation split,
which the joined model is calibrated and judged on, and which no member may have trained on.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

import keras
from keras import layers

from .data import DigitSet, Mnist, file_sha1
from .errors import ModelError
from .network import uncalibrated
from .recognizer import load_calibrated
from .train import TrainConfig, finish, training_sets


def member_metrics(path: Path) -> dict:
    """The metrics written beside a trained model; {} when they are not there, ModelError
    when they cannot be read (they say which seed it was trained with)."""
    metrics = path.with_suffix(".metrics.json")
    if not metrics.is_file():
        return {}
    try:
        return json.loads(metrics.read_text())
    except (OSError, ValueError) as exc:
        raise ModelError(f"{metrics}: not readable metrics ({exc})") from None


def join(paths: list[Path]) -> tuple[keras.Model, list[keras.Model]]:
    """(a model outputting the members' averaged logits, each over its temperature;
    the members themselves, calibrated, for finding label issues)."""
    digit = keras.Input((28, 28, 1), name="digit")
    scaled, members = [], []
    for i, path in enumerate(paths):
        member, head = load_calibrated(path, "model")
        logits = uncalibrated(member, f"member{i}")
        scaled.append(layers.Rescaling(1.0 / head.temperature, name=f"member{i}_temperature")(logits(digit)))
        members.append(member)
    return keras.Model(digit, layers.Average(name="average")(scaled), name="digits_ensemble"), members


def train_ensemble(mnist: Mnist, paths: list[Path], config: TrainConfig, out: Path,
                   extra: list[DigitSet] = (), held_out: list[DigitSet] = ()) -> dict:
    """Join the models at `paths`, calibrate on the validation split of `config.seed`
    (with `extra`'s parts), evaluate and save to `out`. Returns the metrics."""
    started = time.time()
    if len(paths) < 2:
        raise ModelError("an ensemble needs two models or more")
    made = [member_metrics(path) for path in paths]
    for path, metrics in zip(paths, made):
        for option in ("seed", "limit"):  # the two that set the validation split
            theirs, ours = metrics.get("config", {}).get(option, getattr(config, option)), getattr(config, option)
            if theirs != ours:
                raise ModelError(f"{path}: trained with --{option} {theirs}, not {ours}: its validation split differs, "
                                 "so the ensemble would be calibrated on digits it was trained on")
    model, members = join(paths)
    _, _, x_val, y_val, val_source = training_sets(mnist, config, extra)
    about = {"config": {**asdict(config), "epochs": 0, "augmentation": None}, "epochs_run": 0, "best_epoch": 0,
             "train_seconds": 0.0, "train_images": 0, "history": {},
             "members": [{"file": str(path), "sha1": file_sha1(path), "command": metrics.get("command", ""),
                          "accuracy": metrics.get("accuracy")} for path, metrics in zip(paths, made)]}
    return finish(model, mnist, (x_val, y_val, val_source), out, about, started, extra, held_out, members)
