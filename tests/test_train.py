"""Training end to end, on a tiny model (never a full one in tests)."""

import json

import numpy as np

from formreader.network import Calibration, build_mlp
from formreader.recognizer import Recognizer


def test_tiny_training_writes_model_metrics_and_plots(tiny_model):
    metrics = json.loads(tiny_model.with_suffix(".metrics.json").read_text())
    for key in ("accuracy", "per_class", "ece", "ece_before_calibration", "epochs_run", "train_seconds", "config", "data", "command"):
        assert key in metrics
    assert metrics["epochs_run"] == 3 and metrics["config"]["seed"] == 3
    assert set(metrics["per_class"]) == {*map(str, range(10)), "not_a_digit"}
    assert metrics["accuracy"] > 0.5  # 3 epochs on 8,000 digits: far from good, far from chance
    assert metrics["temperature"] > 0
    for plot in ("curves", "confusion", "errors", "features"):
        png = tiny_model.with_suffix(f".{plot}.png")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_saved_model_reloads_with_its_calibration(tiny_model, mnist, monkeypatch):
    monkeypatch.setenv("FORMREADER_RUNTIME", "keras")  # the Keras model itself (tests/test_runtime.py: its LiteRT copy)
    rec = Recognizer.load(tiny_model)
    assert isinstance(rec.model.layers[-1], Calibration)
    probs = rec.probabilities(mnist.x_test[:100])
    assert probs.shape == (100, 11)
    assert np.allclose(probs.sum(axis=1), 1, atol=1e-4)
    reads = rec.read(mnist.x_test[:100])
    assert reads.needs_review.dtype == bool and len(reads.reason) == 100
    assert (reads.confidence >= reads.alt_confidence).all()


def test_mlp_baseline_builds_and_runs():
    model = build_mlp()
    out = model.predict(np.zeros((2, 28, 28, 1), np.float32), verbose=0)
    assert out.shape == (2, 11)


def test_card_names_every_digit_set_with_its_checksum(tiny_model):
    from formreader.modelcard import render_card

    metrics = json.loads(tiny_model.with_suffix(".metrics.json").read_text())
    metrics["data"]["extra"] = {"usps_train": {"digits": 7291, "sha1": "a" * 40}}
    metrics["data"]["held_out"] = {"cheque_digits": {"digits": 2779, "sha1": "b" * 40}}
    card = render_card(metrics)
    assert "`usps_train`: 7,291 more training digits" in card and "a" * 40 in card
    assert "`cheque_digits`: 2,779 digits never trained on" in card and "b" * 40 in card
