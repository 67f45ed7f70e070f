"""The model in models/: its size, its accuracy on the real MNIST test set, its doubts."""

import csv
import json

import pytest

from formreader.evaluate import evaluate
from formreader.negatives import make_negatives
from formreader.predict import predict_files
from formreader.recognizer import Recognizer
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def shipped(shipped_model):
    return Recognizer.load(shipped_model)


def test_size_and_card(shipped_model):
    assert shipped_model.stat().st_size < 10 * 1024 * 1024
    card = (ROOT / "models" / "README.md").read_text()
    metrics = json.loads(shipped_model.with_suffix(".metrics.json").read_text())
    assert f"{metrics['accuracy'] * 100:.2f}%" in card  # the card states the measured figure


def test_accuracy_on_mnist_test_set(shipped, mnist):
    figures = evaluate(shipped, mnist)
    assert figures["accuracy"] >= 0.996
    assert figures["distorted_accuracy"] >= 0.98
    assert figures["ece"] < 0.01
    # what the scan relies on: accepted digits are rarely wrong, few are flagged
    assert figures["review"]["accepted_error"] <= 0.001
    assert figures["review"]["flagged"] <= 0.03


def test_non_digits_are_flagged(shipped):
    reads = shipped.read(make_negatives(500, seed=99))
    assert reads.needs_review.mean() > 0.9


def test_predict_samples(shipped_model, tmp_path):
    out = tmp_path / "preds.csv"
    assert predict_files([ROOT / "samples" / "digits"], out, shipped_model) == 0
    rows = {r["file"].split("/")[-1]: r for r in csv.DictReader(out.open())}
    for name, row in rows.items():
        if "_digit" in name:
            assert row["digit"] == name.split("_digit")[1][0], name
    assert rows["letter_H.png"]["needs_review"] == "true"


@pytest.mark.parametrize("backend", ["torch", "jax"])
def test_model_runs_on_other_keras_backends(backend, shipped_model, mnist_dir):
    import importlib.util
    import os
    import subprocess
    import sys

    if importlib.util.find_spec(backend) is None:
        pytest.skip(f"{backend} is not installed in this environment (the model code is backend-neutral Keras)")
    code = (
        "import numpy as np; from formreader.recognizer import Recognizer; from formreader.data import load_mnist; "
        f"m = load_mnist({str(mnist_dir)!r}); p = Recognizer.load({str(shipped_model)!r}).probabilities(m.x_test[:2000]); "
        "print((p.argmax(1) == m.y_test[:2000]).mean())"
    )
    env = {**os.environ, "KERAS_BACKEND": backend}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    assert float(run.stdout.strip().splitlines()[-1]) >= 0.99
