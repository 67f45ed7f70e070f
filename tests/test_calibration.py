import numpy as np

from formreader.calibration import expected_calibration_error, fit_temperature, review_threshold, softmax


def _synthetic(temperature, n=20000, seed=0):
    """Labels drawn from softmax(logits / T): calibrated exactly at temperature T."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(0, 3, (n, 11))
    probs = softmax(logits, temperature)
    labels = np.array([rng.choice(11, p=p) for p in probs])
    return logits, labels


def test_temperature_is_recovered():
    logits, labels = _synthetic(2.5)
    assert abs(fit_temperature(logits, labels) - 2.5) < 0.25


def test_calibration_lowers_ece():
    logits, labels = _synthetic(3.0, seed=1)
    before = expected_calibration_error(softmax(logits), labels)
    after = expected_calibration_error(softmax(logits, fit_temperature(logits, labels)), labels)
    assert after < before / 3 and after < 0.02


def test_review_threshold_bounds_the_accepted_error():
    logits, labels = _synthetic(1.0, seed=2)
    probs = softmax(logits)
    t = review_threshold(probs, labels, max_error=0.01)
    accepted = (probs.max(axis=1) >= t) & (probs.argmax(axis=1) != 10)
    wrong = accepted & (probs.argmax(axis=1) != labels)
    assert wrong.sum() <= 0.01 * accepted.sum()
    assert accepted.sum() > 0
