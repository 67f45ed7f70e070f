import numpy as np

from formreader.augment import AugmentConfig, ScanAugmenter, neighbour_edge, proportions


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
                          scale=(1, 1), aspect=0, shift_px=0, p_proportions=0, p_neighbour=0)
    styled = AugmentConfig(**{**plain.__dict__, "p_continental": 1.0})
    for label in (1, 7, 3):
        images = mnist.x_train[mnist.y_train == label][:50]
        labels = np.full(len(images), label)
        ink = lambda cfg, lab: (ScanAugmenter(cfg).augment(images, np.random.default_rng(5), lab) > 100).sum(axis=(1, 2))  # noqa: E731
        base = ink(plain, labels)
        assert np.array_equal(ink(styled, None), base)
        gained = (ink(styled, labels) > base).mean()
        assert gained > 0.9 if label in (1, 7) else gained == 0


def _ink_box(image):
    rows, cols = np.flatnonzero((image > 60).any(axis=1)), np.flatnonzero((image > 60).any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def test_wider_hands_stay_wider_after_normalisation(mnist):
    # stretched and fitted into MNIST's 20x20 box again: flatter than before, never bigger than the box
    for image in mnist.x_train[mnist.y_train == 0][:20]:
        h, w = _ink_box(image)
        wide = proportions(image.astype(np.float32), 1.8, 0.0)
        wh, ww = _ink_box(wide)
        assert max(wh, ww) <= 21 and ww / wh > 1.3 * w / h
        narrow = proportions(image.astype(np.float32), 0.6, 0.0)
        nh, nw = _ink_box(narrow)
        assert nw / nh < 0.8 * w / h


def test_a_neighbours_edge_lands_only_along_the_left_or_right_side(mnist):
    images = mnist.x_train[:40].astype(np.float32)
    rng = np.random.default_rng(6)
    for i in range(len(images)):
        out = neighbour_edge(images[i], images[(i + 1) % len(images)], rng)
        added = out > images[i]
        assert added.any()
        cols = np.flatnonzero(added.any(axis=0))
        assert cols.max() < 6 or cols.min() >= 22
