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


def test_training_sets_hold_out_every_source_and_enough_of_a_small_one(mnist):
    from formreader.train import DigitSet, TrainConfig, training_sets

    big = DigitSet("big", mnist.x_test[:9000], mnist.y_test[:9000].astype(np.int64))
    small = DigitSet("small", mnist.x_test[:1200], mnist.y_test[:1200].astype(np.int64))
    x_fit, y_fit, x_val, y_val, source = training_sets(mnist, TrainConfig(limit=6000), [big, small])
    assert len(x_val) == len(y_val) == len(source) and set(source) == {"mnist", "big", "small"}
    assert (source == "big").sum() == 1500  # MNIST's share: 1,000 of its 6,000, one in six
    assert (source == "small").sum() == 400  # one in six would be 200: at least 1,000, a third at most
    assert len(x_fit) == len(y_fit) == 5000 + 500 + 7500 + 800  # MNIST, generated non-digits, the two sets


def test_threshold_is_set_by_the_worst_source():
    from formreader.calibration import review_threshold, worst_source_threshold

    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, 4000)
    conf = rng.uniform(0.5, 1.0, 4000)
    probs = np.full((4000, 11), 0.0)
    sources = np.where(np.arange(4000) < 2000, "clean", "messy")
    # the clean source is always right; the messy one is wrong a third of the time, even when sure
    wrong = (sources == "messy") & (rng.random(4000) < 0.33)
    probs[np.arange(4000), np.where(wrong, (labels + 1) % 10, labels)] = conf
    probs[np.arange(4000), 10] = 1 - conf
    messy = review_threshold(probs[sources == "messy"], labels[sources == "messy"])
    assert worst_source_threshold(probs, labels, sources) == messy > review_threshold(probs, labels)


def test_label_issues_need_every_member_sure_of_one_other_digit_in_every_copy():
    from formreader.calibration import label_issues

    labels = np.array([8, 8, 3, 5, 8, 8, 3, 5])  # four digits, as they are and distorted
    def probs(reads, sure):
        out = np.full((len(reads), 11), (1 - sure) / 10)
        out[np.arange(len(reads)), reads] = sure
        return out

    # digit 0: both members read 1 surely in both copies (a mislabelled 8);
    # digit 1: the second member reads 7; digit 2: read right; digit 3: one copy unsure
    first = probs(np.array([1, 1, 3, 6, 1, 1, 3, 6]), 0.999)
    second = probs(np.array([1, 7, 3, 6, 1, 7, 3, 6]), 0.999)
    second[7] = probs(np.array([6]), 0.9)[0]
    assert label_issues([first, second], labels, copies=2).tolist() == [True, False, False, False]
    assert not label_issues([first], labels, copies=2).any()  # one model doubting a label is no evidence
