import numpy as np

from formreader.negatives import make_negatives


def test_negatives_are_reproducible_varied_and_inked():
    a, b = make_negatives(300, seed=5), make_negatives(300, seed=5)
    assert a.shape == (300, 28, 28) and a.dtype == np.uint8
    assert np.array_equal(a, b)
    assert not np.array_equal(a, make_negatives(300, seed=6))
    assert ((a > 60).sum(axis=(1, 2)) >= 5).all()  # none is blank
    assert len({img.tobytes() for img in a}) > 290
