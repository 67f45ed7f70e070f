"""The LiteRT copy of a model: made at every save with 8-bit weights, the same digits as
Keras and nearly the same probabilities, and never used when it was not made from the
.keras file beside it."""

import json
import shutil

import numpy as np
import pytest

from formreader.errors import ModelError
from formreader.recognizer import Recognizer
from formreader.runtime import LiteModel, lite_meta_path, lite_path, model_files
from tests.conftest import ROOT


def _load(path, runtime, monkeypatch):
    monkeypatch.setenv("FORMREADER_RUNTIME", runtime)
    return Recognizer.load(path)


def test_litert_and_keras_read_alike(tiny_model, mnist, monkeypatch):
    assert [p.name for p in model_files(tiny_model)] == ["digits.keras", "digits.tflite", "digits.tflite.json"]
    lite, keras_model = _load(tiny_model, "litert", monkeypatch), _load(tiny_model, "keras", monkeypatch)
    assert isinstance(lite.model, LiteModel) and not isinstance(keras_model.model, LiteModel)
    assert lite.review_below == pytest.approx(keras_model.review_below)
    assert lite_path(tiny_model).stat().st_size < 0.5 * tiny_model.stat().st_size  # 8-bit weights, not 32
    images = mnist.x_test[:300]
    for batch in (300, 64):  # the interpreter is resized between batch sizes
        # the LiteRT copy's weights are 8-bit: the same digits, probabilities a little apart
        lite_p, keras_p = lite.probabilities(images, batch), keras_model.probabilities(images, batch)
        assert np.abs(lite_p - keras_p).max() <= 0.05
        assert (lite_p.argmax(1) == keras_p.argmax(1)).mean() >= 0.99


def test_a_stale_or_broken_copy_is_not_used(tiny_model, tmp_path, monkeypatch):
    for p in model_files(tiny_model):
        shutil.copy(p, tmp_path / p.name)
    model = tmp_path / tiny_model.name
    meta = json.loads(lite_meta_path(model).read_text())
    lite_meta_path(model).write_text(json.dumps({**meta, "keras_sha1": "0" * 40}))  # as if the .keras was retrained since
    assert not isinstance(_load(model, "auto", monkeypatch).model, LiteModel)
    with pytest.raises(ModelError, match="no LiteRT copy made from this file"):
        _load(model, "litert", monkeypatch)
    lite_meta_path(model).write_text(json.dumps(meta))
    lite_path(model).write_bytes(b"not a flatbuffer")
    with pytest.raises(ModelError, match="not a LiteRT model"):
        _load(model, "litert", monkeypatch)


@pytest.mark.parametrize("name", ["digits", "strings"])
def test_shipped_models_have_their_litert_copy(name):
    model = ROOT / "models" / f"{name}.keras"
    if not model.is_file():
        pytest.skip(f"no shipped model at {model}")
    from formreader.runtime import matching_lite_copy

    assert matching_lite_copy(model) is not None, f"{lite_path(model).name} was not exported from this {model.name}"
    assert sum(p.stat().st_size for p in (ROOT / "models").glob("*.*") if p.suffix in (".keras", ".tflite")) < 10 * 1024 * 1024
