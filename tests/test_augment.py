import numpy as np

from formreader.augment import AugmentConfig, ScanAugmenter


def test_shapes_types_and_reproducible(mnist):
    images = mnist.x_train[:256]
    a = ScanAugmenter().augment(images, np.random.default_rng(1))
    b = ScanAugmenter().augment(images, np.random.default_rng(1))
    assert a.shape == images.shape and a.dtype == np.uint8
    assert np.array_equal(a, b)
    changed = (a != images).any(axis=(1, 2)).mean()
    assert 0.7 < changed < 0.95  # about 15% are left clean on purpose


def test_border_remnants_lie_along_the_edges():
    config = AugmentConfig(p_clean=0, p_border=1, p_contrast=0, p_noise=0, p_specks=0, p_blur=0, p_elastic=0, p_cut=0, p_coarse=0, p_bitonal=0)
    blank = np.zeros((64, 28, 28), np.uint8)
    out = ScanAugmenter(config).augment(blank, np.random.default_rng(2))
    assert (out > 0).any(axis=(1, 2)).all()
    inner = out[:, 5:23, 5:23]
    assert inner.max() == 0  # remnants stay within 3 px of an edge


def test_cut_off_digits_touch_an_edge(mnist):
    config = AugmentConfig(p_clean=0, p_cut=1, p_border=0, p_elastic=0, p_noise=0, p_specks=0, p_contrast=0)
    def touching(cfg):
        out = ScanAugmenter(cfg).augment(mnist.x_train[:200], np.random.default_rng(3))
        edges = np.concatenate([out[:, 0], out[:, -1], out[:, :, 0], out[:, :, -1]], axis=1)
        return ((edges > 100).any(axis=1)).mean()

    cut, uncut = touching(config), touching(AugmentConfig(**{**config.__dict__, "p_cut": 0}))
    assert cut > 0.4 and cut > 2 * uncut


def test_keeps_the_digit_recognisable_on_average(mnist):
    # the augmented ink stays near the original: mean overlap of ink masks
    images = mnist.x_train[:300]
    out = ScanAugmenter().augment(images, np.random.default_rng(4))
    overlap = ((out > 100) & (images > 100)).sum(axis=(1, 2)) / np.maximum((images > 100).sum(axis=(1, 2)), 1)
    assert np.median(overlap) > 0.4


def test_ones_and_sevens_are_drawn_the_continental_way_only_when_labelled(mnist):
    # a flag on 1s, a bar on 7s: more ink; other digits, and unlabelled batches, untouched by it
    plain = AugmentConfig(p_clean=0, p_continental=0, p_elastic=0, p_cut=0, p_bold=0, p_thin=0, p_border=0, p_blur=0,
                          p_contrast=0, p_noise=0, p_specks=0, p_coarse=0, p_bitonal=0, rotation_deg=0, shear=0,
                          scale=(1, 1), aspect=0, shift_px=0)
    styled = AugmentConfig(**{**plain.__dict__, "p_continental": 1.0})
    for label in (1, 7, 3):
        images = mnist.x_train[mnist.y_train == label][:50]
        labels = np.full(len(images), label)
        ink = lambda cfg, lab: (ScanAugmenter(cfg).augment(images, np.random.default_rng(5), lab) > 100).sum(axis=(1, 2))  # noqa: E731
        base = ink(plain, labels)
        assert np.array_equal(ink(styled, None), base)
        gained = (ink(styled, labels) > base).mean()
        assert gained > 0.9 if label in (1, 7) else gained == 0
