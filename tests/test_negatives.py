import numpy as np

from formreader.negatives import make_negatives


def test_negatives_are_reproducible_varied_and_inked():
    a, b = make_negatives(300, seed=5), make_negatives(300, seed=5)
    assert a.shape == (300, 28, 28) and a.dtype == np.uint8
    assert np.array_equal(a, b)
    assert not np.array_equal(a, make_negatives(300, seed=6))
    assert ((a > 60).sum(axis=(1, 2)) >= 5).all()  # none is blank
    assert len({img.tobytes() for img in a}) > 290


def test_pen_letters_are_every_letter_drawn_differently():
    from formreader.negatives import PEN_LETTERS, make_pen_letters

    a = make_pen_letters(200, seed=1)
    assert a.shape == (200, 28, 28) and np.array_equal(a, make_pen_letters(200, seed=1))
    assert ((a > 60).sum(axis=(1, 2)) >= 20).all()  # strokes, not specks
    assert len({img.tobytes() for img in a}) == 200 and len(PEN_LETTERS) >= 25
