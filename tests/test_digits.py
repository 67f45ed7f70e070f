import numpy as np

from formreader.digits import has_ink, ink_map, to_mnist


def test_to_mnist_fits_20x20_and_centres_by_mass():
    ink = np.zeros((200, 120), np.float32)
    ink[20:180, 30:90] = 255  # a tall block, far off centre
    out = to_mnist(ink)
    rows = np.flatnonzero(out.any(axis=1))
    cols = np.flatnonzero(out.any(axis=0))
    assert rows[-1] - rows[0] + 1 == 20  # the long side fills 20 px
    assert 7 <= cols[-1] - cols[0] + 1 <= 9  # aspect kept: 60/160*20 = 7.5
    weights = out.astype(float)
    cy = (weights.sum(axis=1) @ np.arange(28)) / weights.sum()
    cx = (weights.sum(axis=0) @ np.arange(28)) / weights.sum()
    assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1


def test_mnist_digits_survive_renormalisation(mnist):
    # MNIST digits are already normalised: doing it again changes little
    for image in mnist.x_test[:50]:
        again = to_mnist(ink_map(image))
        assert np.abs(again.astype(int) - image.astype(int)).mean() < 30


def test_polarity_is_detected():
    dark_on_light = np.full((60, 60), 240, np.uint8)
    dark_on_light[10:50, 28:33] = 20
    ink = ink_map(dark_on_light)
    assert ink[30, 30] > 200 and ink[5, 5] < 10
    assert np.array_equal(ink_map(255 - dark_on_light) > 128, ink > 128)


def test_blank_has_no_ink():
    paper = np.random.default_rng(0).normal(235, 4, (50, 50)).clip(0, 255).astype(np.uint8)
    assert not has_ink(ink_map(paper))
    assert to_mnist(np.zeros((30, 30))).max() == 0
