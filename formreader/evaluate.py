"""Figures for a model: MNIST test accuracy, per class, calibration, a scan-distorted copy."""

from __future__ import annotations

import numpy as np

from .augment import AugmentConfig, ScanAugmenter
from .calibration import expected_calibration_error
from .data import Mnist
from .negatives import NOT_A_DIGIT, make_negatives, make_pen_letters
from .recognizer import Recognizer, reads_from

DISTORT_SEED = 20260  # the fixed seed of the scan-distorted test copy
NEGATIVES_SEED = 7  # test negatives; training uses other seeds
CLASS_NAMES = [str(d) for d in range(10)] + ["not_a_digit"]


# what a scanner and a pen do to a digit, not another writer's shapes (those are judged on
# held-out sources): the distorted test copy and the calibration's distorted validation digits
SCAN_DISTORTION = AugmentConfig(p_proportions=0.0, p_neighbour=0.0)


def distorted(images: np.ndarray, seed: int = DISTORT_SEED) -> np.ndarray:
    """The same images through the training augmentation's scan and pen distortions, with a fixed seed."""
    return ScanAugmenter(SCAN_DISTORTION).augment(images, np.random.default_rng(seed))


def confusion(labels: np.ndarray, predicted: np.ndarray, classes: int = 11) -> np.ndarray:
    matrix = np.zeros((classes, classes), np.int64)
    np.add.at(matrix, (labels, predicted), 1)
    return matrix


def per_class(matrix: np.ndarray) -> dict[str, dict[str, float]]:
    hits = np.diag(matrix)
    predicted, actual = matrix.sum(axis=0), matrix.sum(axis=1)
    return {
        name: {
            "precision": round(float(hits[k] / predicted[k]), 5) if predicted[k] else None,
            "recall": round(float(hits[k] / actual[k]), 5) if actual[k] else None,
            "support": int(actual[k]),
        }
        for k, name in enumerate(CLASS_NAMES)
    }


def review_figures(probs: np.ndarray, labels: np.ndarray, review_below: float) -> dict[str, float]:
    """Share of reads flagged, and how often the accepted ones are wrong."""
    reads = reads_from(probs, review_below)
    accepted = ~reads.needs_review
    wrong = accepted & (reads.digit != labels)
    return {
        "flagged": round(float(reads.needs_review.mean()), 5),
        "accepted_error": round(float(wrong.sum() / max(accepted.sum(), 1)), 6),
    }


def evaluate(recognizer: Recognizer, mnist: Mnist) -> dict:
    x, y = mnist.x_test, mnist.y_test.astype(np.int64)
    negatives = make_negatives(1000, NEGATIVES_SEED)
    probs = recognizer.probabilities(np.concatenate([x, negatives]))
    clean, neg = probs[: len(x)], probs[len(x) :]
    probs_distorted = recognizer.probabilities(distorted(x))
    labels_all = np.concatenate([y, np.full(len(neg), NOT_A_DIGIT)])
    matrix = confusion(labels_all, probs.argmax(axis=1))
    neg_reads = reads_from(neg, recognizer.review_below)
    letter_reads = recognizer.read(make_pen_letters(1000, NEGATIVES_SEED))
    return {
        "accuracy": round(float((clean.argmax(axis=1) == y).mean()), 5),
        "digit_accuracy": round(float((clean[:, :NOT_A_DIGIT].argmax(axis=1) == y).mean()), 5),
        "distorted_accuracy": round(float((probs_distorted.argmax(axis=1) == y).mean()), 5),
        "test_images": int(len(x)),
        "ece": round(expected_calibration_error(clean, y), 5),
        "ece_distorted": round(expected_calibration_error(probs_distorted, y), 5),
        "review_below": recognizer.review_below,
        "review": review_figures(clean, y, recognizer.review_below),
        "review_distorted": review_figures(probs_distorted, y, recognizer.review_below),
        "negatives_flagged": round(float(neg_reads.needs_review.mean()), 5),
        "negatives_as_not_a_digit": round(float((neg.argmax(axis=1) == NOT_A_DIGIT).mean()), 5),
        "pen_letters_flagged": round(float(letter_reads.needs_review.mean()), 5),
        "per_class": per_class(matrix),
        "confusion": matrix.tolist(),
        # (test index, true, predicted) of the first 64 errors, for the error grid
        "misclassified": [[int(i), int(y[i]), int(clean[i].argmax())] for i in np.flatnonzero(clean.argmax(axis=1) != y)[:64]],
    }
