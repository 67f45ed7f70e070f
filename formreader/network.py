"""The recognizer's networks, in plain backend-neutral Keras 3.

Inputs are 28x28x1 images with values 0..255 (white ink on black, as MNIST);
training models output 11 logits: the digits 0-9 and "not a digit". The
shipped model ends in a Calibration layer that turns logits into calibrated
probabilities and carries the review threshold, so one .keras file holds all.
"""

from __future__ import annotations

import keras
from keras import layers, ops

NUM_CLASSES = 11  # 0-9 and NOT_A_DIGIT


def _conv_bn(x, filters: int, kernel: int, padding: str = "same"):
    x = layers.Conv2D(filters, kernel, padding=padding, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    return layers.ReLU()(x)


def build_cnn() -> keras.Model:
    """About 430k weights; about 1,300 training images/s on two CPU cores."""
    inputs = keras.Input((28, 28, 1), name="digit")
    x = layers.Rescaling(1 / 255.0)(inputs)
    x = layers.Conv2D(32, 5, padding="same", activation="relu", name="conv1")(x)
    x = layers.MaxPooling2D()(x)  # 14x14
    x = _conv_bn(x, 64, 3)
    x = _conv_bn(x, 64, 3)
    x = layers.MaxPooling2D()(x)  # 7x7
    x = _conv_bn(x, 128, 3, padding="valid")  # 5x5
    x = _conv_bn(x, 128, 3, padding="valid")  # 3x3
    x = layers.Flatten()(x)
    x = layers.Dropout(0.4)(x)
    x = layers.Dense(128, activation="relu")(x)
    x = layers.Dropout(0.3)(x)
    outputs = layers.Dense(NUM_CLASSES, name="logits")(x)
    return keras.Model(inputs, outputs, name="digits_cnn")


def build_mlp() -> keras.Model:
    """The baseline users compare against: two dense layers, no convolutions."""
    inputs = keras.Input((28, 28, 1), name="digit")
    x = layers.Rescaling(1 / 255.0)(inputs)
    x = layers.Flatten()(x)
    x = layers.Dense(512, activation="relu")(x)
    x = layers.Dropout(0.3)(x)
    x = layers.Dense(256, activation="relu")(x)
    x = layers.Dropout(0.3)(x)
    outputs = layers.Dense(NUM_CLASSES, name="logits")(x)
    return keras.Model(inputs, outputs, name="digits_mlp")


ARCHITECTURES = {"cnn": build_cnn, "mlp": build_mlp}


@keras.saving.register_keras_serializable(package="formreader")
class Calibration(layers.Layer):
    """softmax(logits / temperature), with the review threshold kept beside it."""

    def __init__(self, temperature: float = 1.0, review_below: float = 0.5, **kwargs):
        super().__init__(**kwargs)
        self.temperature = float(temperature)
        self.review_below = float(review_below)

    def call(self, logits):
        return ops.softmax(logits / self.temperature, axis=-1)

    def get_config(self):
        return {**super().get_config(), "temperature": self.temperature, "review_below": self.review_below}


def calibrated(model: keras.Model, temperature: float, review_below: float) -> keras.Model:
    """The training model with a Calibration head: what gets shipped."""
    probs = Calibration(temperature, review_below, name="calibration")(model.output)
    return keras.Model(model.input, probs, name=model.name)


def uncalibrated(model: keras.Model, name: str | None = None) -> keras.Model:
    """A shipped model's logits, under its Calibration head: to train further, or to join."""
    return keras.Model(model.input, model.layers[-1].input, name=name or model.name)


# --- The string reader (see strings.py) ----------------------------------------------


def build_string_cnn(height: int = 28, width: int = 224, classes: int = NUM_CLASSES) -> keras.Model:
    """Strip (height x width) -> one row of logits per 4 columns: the digits 0-9 and
    CTC's blank. Convolutions see about one digit; the 1-D convolutions on top see its
    neighbours, so a stroke shared by two touching digits is read in context.
    About 290k weights; sized to train on two CPU cores in about an hour."""
    inputs = keras.Input((height, width, 1), name="strip")
    x = layers.Rescaling(1 / 255.0)(inputs)
    x = _conv_bn(x, 16, 3)
    x = layers.MaxPooling2D()(x)  # 14 x 112
    x = _conv_bn(x, 32, 3)
    x = layers.MaxPooling2D()(x)  # 7 x 56
    x = _conv_bn(x, 64, 3)
    x = _conv_bn(x, 64, 3)
    x = layers.MaxPooling2D((2, 1))(x)  # 3 x 56
    x = _conv_bn(x, 96, 3)
    x = layers.Permute((2, 1, 3))(x)  # columns first
    x = layers.Reshape((width // 4, (height // 8) * 96))(x)
    x = layers.Dense(128, activation="relu")(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Conv1D(128, 5, padding="same", activation="relu")(x)
    x = layers.Conv1D(128, 5, padding="same", dilation_rate=2, activation="relu")(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(classes, name="logits")(x)
    return keras.Model(inputs, outputs, name="strings_cnn")
