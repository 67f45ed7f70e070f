"""Joining trained digit models (formreader/ensemble.py), on tiny models only."""

import json

import numpy as np
import pytest

from formreader.errors import ModelError
from formreader.recognizer import Recognizer
from formreader.train import TrainConfig, plain_layers


@pytest.fixture(scope="module")
def joined(tiny_model, mnist, tmp_path_factory, monkeypatch_module):
    from formreader.ensemble import train_ensemble

    monkeypatch_module.setenv("FORMREADER_RUNTIME", "keras")
    out = tmp_path_factory.mktemp("joined") / "digits.keras"
    train_ensemble(mnist, [tiny_model, tiny_model], TrainConfig(seed=3, limit=8000), out)
    return out


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_a_model_joined_with_itself_reads_as_it_does(joined, tiny_model, mnist):
    alone, both = Recognizer.load(tiny_model), Recognizer.load(joined)
    images = mnist.x_test[:300]
    assert (both.read(images).digit == alone.read(images).digit).all()  # the average of one logit twice is that logit
    metrics = json.loads(joined.with_suffix(".metrics.json").read_text())
    assert [m["file"] for m in metrics["members"]] == [str(tiny_model)] * 2 and metrics["epochs_run"] == 0
    card = (joined.parent / "README.md").read_text()
    assert "an ensemble: the 2 models" in card and f"{metrics['accuracy'] * 100:.2f}%" in card


def test_members_trained_on_another_validation_split_are_refused(tiny_model, mnist, tmp_path):
    from formreader.ensemble import train_ensemble

    with pytest.raises(ModelError, match="trained with --seed 3, not 1"):
        train_ensemble(mnist, [tiny_model, tiny_model], TrainConfig(seed=1, limit=8000), tmp_path / "digits.keras")
    assert not (tmp_path / "digits.keras").exists()


def test_fine_tuning_an_ensemble_reaches_its_members_dense_layers(joined, monkeypatch):
    monkeypatch.setenv("FORMREADER_RUNTIME", "keras")
    import keras

    model = Recognizer.load(joined).model
    dense = [layer for layer in plain_layers(model) if isinstance(layer, keras.layers.Dense)]
    assert len(dense) == 4  # two members, each with its hidden and its logits layer


def test_a_member_whose_metrics_are_damaged_is_refused_in_one_line(tiny_model, mnist, tmp_path):
    import shutil

    from formreader.ensemble import train_ensemble

    member = tmp_path / "member.keras"
    shutil.copy(tiny_model, member)
    member.with_suffix(".metrics.json").write_text('{"config": {"seed"')  # cut short
    with pytest.raises(ModelError, match="member.metrics.json: not readable metrics"):
        train_ensemble(mnist, [member, tiny_model], TrainConfig(seed=3, limit=8000), tmp_path / "digits.keras")
