"""Making confidence mean what it says: temperature scaling, ECE, review threshold."""

from __future__ import annotations

import numpy as np

from .negatives import NOT_A_DIGIT


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Over the last axis: (n, classes) for digits, (n, columns, classes) for strings."""
    z = logits / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def nll(logits: np.ndarray, labels: np.ndarray, temperature: float) -> float:
    p = softmax(logits, temperature)[np.arange(len(labels)), labels]
    return float(-np.log(np.clip(p, 1e-12, None)).mean())


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The temperature that minimises validation NLL (Guo et al. 2017).

    A golden-section search over log T in [1/20, 20]: NLL is unimodal in T.
    """
    lo, hi = np.log(0.05), np.log(20.0)
    golden = (np.sqrt(5) - 1) / 2
    a, b = hi - golden * (hi - lo), lo + golden * (hi - lo)
    fa, fb = nll(logits, labels, np.exp(a)), nll(logits, labels, np.exp(b))
    for _ in range(60):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - golden * (hi - lo)
            fa = nll(logits, labels, np.exp(a))
        else:
            lo, a, fa = a, b, fb
            b = lo + golden * (hi - lo)
            fb = nll(logits, labels, np.exp(b))
    return float(np.exp((lo + hi) / 2))


def expected_calibration_error(probs: np.ndarray, labels: np.ndarray, bins: int = 15) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by bin size."""
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == labels
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.sum() * abs(correct[mask].mean() - confidence[mask].mean())
    return float(total / len(labels))


def review_threshold(probs: np.ndarray, labels: np.ndarray, max_error: float = 0.001) -> float:
    """The lowest confidence to accept so that accepted digits are wrong at most `max_error`.

    A read is accepted when the top class is a digit and its probability is at
    least the threshold; every other read is flagged for review.
    """
    predicted = probs.argmax(axis=1)
    confidence = probs.max(axis=1)
    as_digit = predicted != NOT_A_DIGIT
    return float(np.clip(accept_above(confidence[as_digit], (predicted != labels)[as_digit], max_error, 0.9999), 0.5, 0.9999))


def accept_above(confidence: np.ndarray, wrong: np.ndarray, max_error: float, none: float) -> float:
    """The lowest confidence such that reads at least this sure are wrong at most `max_error`
    of the time; `none` when no such confidence exists."""
    order = np.argsort(-confidence, kind="stable")
    errors = np.cumsum(wrong[order]) / np.arange(1, len(order) + 1)
    ok = np.flatnonzero(errors <= max_error)
    return none if len(ok) == 0 else float(confidence[order][ok[-1]])


def worst_source_threshold(probs: np.ndarray, labels: np.ndarray, sources: np.ndarray, max_error: float = 0.001) -> float:
    """The review threshold that keeps accepted digits wrong at most `max_error` on every
    source (writers, scanners) at once: the strictest of the sources' own thresholds."""
    return max(review_threshold(probs[sources == name], labels[sources == name], max_error) for name in np.unique(sources))


LABEL_ISSUE_SURE = 0.99


def label_issues(member_probs: list[np.ndarray], labels: np.ndarray, copies: int = 1) -> np.ndarray:
    """Validation digits whose label is likelier wrong than the read (confident learning,
    Northcutt et al. 2021): every member of an ensemble, each trained on other digits,
    reads the same other digit at LABEL_ISSUE_SURE or more, in each of the `copies`
    (the digit as it is and scan-distorted, stacked). With 1,000 digits of a source, one
    mislabelled digit read surely would alone set the worst-source threshold. Needs two
    members or more (one model's own doubt about a label is no evidence). Returns a mask
    over one copy."""
    n = len(labels) // copies
    if len(member_probs) < 2:
        return np.zeros(n, bool)
    read = member_probs[0].argmax(axis=1)
    agreed = (read != labels) & (read != NOT_A_DIGIT)
    for probs in member_probs:
        agreed &= (probs.argmax(axis=1) == read) & (probs.max(axis=1) >= LABEL_ISSUE_SURE)
    return agreed.reshape(copies, n).all(axis=0)
