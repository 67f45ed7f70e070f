"""The OpenCV stage on generated pages (seeds the code was not tuned on)."""

import cv2
import numpy as np
import pytest

from formreader.formgen import generate_page
from formreader.layout import find_layout
from formreader.scoring import iou

UNTUNED_SEEDS = [1001, 1002, 1003, 1004, 1005, 1006]


def test_deskew_and_boxes(mnist):
    found = truth_count = detected = 0
    for k, seed in enumerate(UNTUNED_SEEDS):
        dpi = [150, 200, 300][k % 3]
        page = generate_page(np.random.default_rng(seed), mnist.x_test, mnist.y_test, dpi)
        layout = find_layout(page.image, dpi)
        assert abs(layout.angle + page.skew_deg) < 0.3, (seed, layout.angle, page.skew_deg)
        # free handwriting is a proposal the recognizer settles (pipeline.settle_free): not a box
        boxes = [layout.to_original(c) for f in layout.fields if f.kind not in ("string", "underline", "free") for c in f.cells]
        truth = [(b.x, b.y, b.width, b.height) for b in page.boxes if b.kind not in ("string", "underline")]
        found += sum(any(iou(t, b) >= 0.5 for b in boxes) for t in truth)
        detected += len(boxes)
        truth_count += len(truth)
        kinds = {f.kind for f in layout.fields}
        assert {"boxes", "comb", "ticks"} <= kinds  # every page has each kind
    # floors, not the issue's targets: bench/bench_scan.py measures those (see README)
    assert found / truth_count >= 0.9  # 91.5% measured on these six pages
    assert found / detected >= 0.98


def test_string_boxes_are_one_field_each(mnist):
    page = generate_page(np.random.default_rng(1010), mnist.x_test, mnist.y_test, 200, strings_only=True)
    fields = find_layout(page.image, 200).fields
    assert [f.kind for f in fields].count("string") >= 8
    assert all(len(f.cells) == 1 for f in fields if f.kind == "string")


def test_reading_order_is_top_to_bottom(mnist):
    page = generate_page(np.random.default_rng(1011), mnist.x_test, mnist.y_test, 150)
    rects = [f.rect for f in find_layout(page.image, 150).fields]
    for a, b in zip(rects, rects[1:]):  # the next field is lower, or in the same row and to the right
        same_row = abs((a.y + a.h / 2) - (b.y + b.h / 2)) < 0.5 * max(a.h, b.h)
        assert (same_row and b.x > a.x) or (not same_row and b.y + b.h / 2 > a.y + a.h / 2), (a, b)


@pytest.mark.parametrize("dpi", [150, 300])
def test_decoys_and_empty_pages_have_no_fields(mnist, dpi):
    page = generate_page(np.random.default_rng(1012), mnist.x_test, mnist.y_test, dpi, decoys_only=True)
    fields = find_layout(page.image, dpi).fields
    assert [f for f in fields if f.kind != "free"] == []  # a table, checkboxes, a signature box, text
    assert find_layout(np.full((1754, 1240), 240, np.uint8), 150).fields == []


def test_grid_of_dividers_and_ticks():
    from formreader.layout.grids import grids as _grids

    # a comb of 8 cells (step 45) with three strokes standing between its dividers
    comb = [390, 436, 462, 481, 526, 571, 598, 616, 661, 706, 732, 752]
    assert np.allclose(next(_grids(comb, 21)), np.arange(390, 753, 45.25), atol=2)
    # a tick comb whose ticks under four bold digits are hidden, one stroke off the grid:
    # the median gap (67.5) gives a grid of four that is no tick comb; the next proposal is right
    ticks = [391, 436, 495, 571, 661, 706, 796.5]
    assert np.allclose(list(_grids(ticks, 27))[1], np.arange(391, 797, 45.05), atol=2)


def test_a_tick_comb_is_not_lost_to_boxes_its_own_ink_closed(mnist):
    """A tick comb of nine cells (variants, seed 1041 page 6, 150 dpi) whose bold 3's lower
    bar, over the baseline between two ticks, closed a box: the row grew from it by the
    ticks into five boxes, every other cell, and the comb, found after them, was dropped
    for them (three digits lost, two misread). Separate boxes, fewer, wholly within a tick
    comb are its ink."""
    from formreader.layout.model import Field, Rect
    from formreader.layout.page import held_by

    rng = np.random.default_rng(1041)
    for _ in range(7):  # the family's pages in turn, at 150, 200 and 300 dpi
        page = generate_page(rng, mnist.x_test, mnist.y_test, [150, 200, 300][_ % 3], variants=True)
    truth = [b for b in page.boxes if b.kind == "ticks" and 930 <= b.y <= 970]
    assert len(truth) == 9
    layout = find_layout(page.image, 150)
    cells = [layout.to_original(c) for f in layout.fields if f.kind == "ticks" for c in f.cells]
    assert sum(any(iou((t.x, t.y, t.width, t.height), c) >= 0.5 for c in cells) for t in truth) == 9
    assert not [f for f in layout.fields if f.kind == "boxes" and 930 <= layout.to_original(f.rect)[1] <= 1000]

    ticks = Field("ticks", [Rect(390 + 50 * k, 954, 50, 62) for k in range(9)], 3.0)
    boxes = Field("boxes", [Rect(390 + 100 * k, 984, 48, 38) for k in range(5)], 3.0)
    assert held_by(ticks, boxes)
    assert not held_by(ticks, Field("boxes", [Rect(390 + 100 * k, 1084, 48, 38) for k in range(5)], 3.0))  # a row below


def test_a_tick_comb_whose_digits_closed_two_boxes_on_its_baseline_is_found(mnist):
    """A tick comb of nine cells (letters, seed 1121 page 0, 150 dpi) whose 9's and bold 3's
    lower strokes, each touching a tick and the baseline, made two short lines that closed
    boxes with the baseline: the baseline, marked as those boxes' line, was never offered
    to the tick finder, and eight digits were read as free handwriting and a stray pair
    (flagged). A line is a box row's only where its boxes run along half of it at least;
    the comb found on it drops the boxes it holds (held_by)."""
    rng = np.random.default_rng(1121)
    page = generate_page(rng, mnist.x_test, mnist.y_test, 150, letters=True)
    truth = [b for b in page.boxes if b.kind == "ticks" and 420 <= b.y <= 480]
    assert len(truth) == 9
    layout = find_layout(page.image, 150)
    cells = [layout.to_original(c) for f in layout.fields if f.kind == "ticks" for c in f.cells]
    assert sum(any(iou((t.x, t.y, t.width, t.height), c) >= 0.5 for c in cells) for t in truth) == 9
    assert not [f for f in layout.fields if f.kind in ("boxes", "free") and 420 <= layout.to_original(f.rect)[1] <= 520]


def test_a_grid_keeps_the_candidate_nearest_its_place_where_two_stand_at_one():
    """A tick comb (letters, seed 1001, page 1) where a 6 written low stands its stem 8 px
    beside a tick: both were on the grid within its tolerance, and the later one, the
    stem, was kept as the tick; the 6's cell began at its stem, cut it off, and the 6 read
    as a 0 at 0.9999, accepted. The one nearer the fitted grid is the tick."""
    from formreader.layout.grids import grids as _grids

    candidates = [391, 440, 448, 456, 490, 540, 590, 639, 688, 738, 788, 836]
    assert [round(x) for x in next(_grids(candidates, 27))] == [391, 440, 490, 540, 590, 639, 688, 738, 788, 836]


def test_comb_dividers_hidden_under_bold_digits_fused_with_strokes_between_them():
    """Dividers seen in an 8-cell hairline comb (200 dpi, laid out at 150; measured on a
    generated page) whose bold digits hide four dividers and add three full-height strokes
    off the grid: the likeliest grid has the strokes' step and stops a cell short of the
    last side; the comb's own grid runs from side to side (was: 6 cells, 2 of them double).
    A comb whose strokes only cut cells too narrow is still mended by dropping them."""
    from formreader.layout.combs import comb_dividers

    fused = comb_dividers([391.2, 433.0, 485.0, 535.5, 598.0, 647.5, 680.0, 722.0], 59.5)
    assert len(fused) == 9 and fused[0] == 391.2 and fused[-1] == 722.0, fused
    assert np.allclose(fused[:6], 391.2 + 41.35 * np.arange(6), atol=2), fused
    ones = comb_dividers([398.0, 410.5, 468.0, 508.0, 547.0, 586.0, 624.5, 672.0, 702.5, 741.5, 780.0, 857.0], 60.0)
    assert len(ones) == 13 and all(34 <= w <= 41 for w in np.diff(ones)), ones


@pytest.mark.parametrize("style", ["double", "half-height", "short ticks", "short ticks, a 1 from line to line", "double, short ticks",
                                   "short ticks, three under digits"])
def test_combs_drawn_other_ways(style):
    """A comb of 8 cells drawn with double lines (5 px apart), or with dividers that rise
    from the bottom line only to mid-height or a third of it under a full top line, at
    200 dpi; also with a 1 written from the top line to the bottom one (a straight stroke
    like a divider, but off the ticks' grid), and short ticks inside a double frame (its
    outer line's ends stand off the ticks' step), and short ticks three of which digits
    written low touch, fused with them (half the ticks are seen; where they are not, ink
    rises from the line as high as a tick). (Double lines 7 px apart or more are found
    as separate boxes, some of them only: see lines.line_segments.)"""
    import cv2

    page = np.full((1100, 1700), 255, np.uint8)
    x, y, w, h, n = 300, 400, 60, 70, 8
    if style.startswith("double"):
        cv2.rectangle(page, (x - 5, y - 5), (x + n * w + 5, y + h + 5), 0, 2)
    cv2.rectangle(page, (x, y), (x + n * w, y + h), 0, 2)
    rise = {"double": h, "half-height": h // 2}.get(style, h // 3)
    for i in range(1, n):
        cv2.line(page, (x + i * w, y + h - rise), (x + i * w, y + h), 0, 2)
    if "a 1" in style:
        cv2.line(page, (x + 5 * w // 2 + 2, y), (x + 5 * w // 2 - 2, y + h), 0, 3)
    if "under digits" in style:  # 1s written down the ticks, from above them into the line
        for i in (1, 3, 5):
            cv2.line(page, (x + i * w + 2, y + 15), (x + i * w + 2, y + h), 0, 3)
    combs = [f for f in find_layout(page, 200).fields if f.kind == "comb"]
    assert len(combs) == 1 and len(combs[0].cells) == n
    assert abs(np.median([c.w for c in combs[0].cells]) - w) <= 3


def test_a_long_comb_of_short_ticks_three_hidden_by_zeros_written_low():
    """A comb of 12 cells with short ticks under a full top line (150 dpi), three ticks
    hidden by 0s written low across the bottom line: the ring leaves the place of the
    tick it crosses without ink (no tick fused with a stroke rises there). Eight ticks of
    eleven printed alike on one grid are the comb's (it was one string box, blanks lost)."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x, y, w, h, n = 200, 600, 39, 60, 12
    cv2.rectangle(page, (x, y), (x + n * w, y + h), 0, 2)
    hidden = (2, 5, 9)
    for i in range(1, n):
        if i not in hidden:
            cv2.line(page, (x + i * w, y + h - 22), (x + i * w, y + h), 0, 2)
    for i in hidden:
        cv2.ellipse(page, (x + i * w, y + h - 4), (13, 17), 0, 0, 360, 0, 4)
    fields = [f for f in find_layout(page, 150).fields if f.kind != "free"]
    assert [(f.kind, len(f.cells)) for f in fields] == [("comb", n)], [(f.kind, f.rect) for f in fields]


@pytest.mark.parametrize("fused", [0, 1, 2])
def test_a_comb_of_four_short_ticks_one_fused_with_a_digit(fused):
    """A comb of 4 cells (3 short ticks, 200 dpi) whose `fused` tick a digit's stroke
    touches, so that it rises higher than the others: the two printed alike and the
    fused one lie on the comb's grid, and it is a comb of 4 (it was read as one string
    box, its blank cells lost)."""
    import cv2

    page = np.full((1100, 1700), 255, np.uint8)
    x, y, w, h, n = 300, 400, 60, 75, 4
    cv2.rectangle(page, (x, y), (x + n * w, y + h), 0, 3)
    for i in range(1, n):
        cv2.line(page, (x + i * w, y + h - h // 3), (x + i * w, y + h), 0, 3)
    tick = x + (fused + 1) * w
    cv2.line(page, (tick, y + h // 2 + 6), (tick, y + h - h // 3), 0, 3)  # a digit's stroke running down into the tick
    cv2.line(page, (tick, y + h // 2 + 6), (tick - 25, y + 20), 0, 3)
    combs = [f for f in find_layout(page, 200).fields if f.kind == "comb"]
    assert len(combs) == 1 and len(combs[0].cells) == n, [(f.kind, len(f.cells)) for f in find_layout(page, 200).fields]


def test_a_half_height_comb_with_one_divider_seen_one_run_into_a_digit_and_one_under_a_bold_digit():
    """A comb of 4 cells whose dividers rise half way (300 dpi), a digit written against
    every divider but the last: the first runs on up into a 0's side (higher than a short
    divider may rise), the second stands under a bold 0's stroke. One divider is seen
    printed, the feet of the others are on its grid and ink rises as high at every place:
    a comb of 4 (it was one string box and its dividers were read as digits: `0020` read
    `09210`, accepted; the other maker's seed 1062)."""
    import cv2

    page = np.full((1400, 2000), 250, np.uint8)
    x, y, w, h, n = 600, 500, 79, 102, 4
    cv2.rectangle(page, (x, y), (x + n * w, y + h), 0, 5)
    for i in range(1, n):
        cv2.line(page, (x + i * w, y + h // 2), (x + i * w, y + h), 0, 4)
    cv2.ellipse(page, (x + 35, y + 50), (26, 28), 0, 0, 360, 0, 5)  # a 0 clear of the dividers
    cv2.line(page, (x + w, y + h // 2), (x + w + 12, y + 20), 0, 5)  # a 0's side run into the first
    cv2.ellipse(page, (x + w + 40, y + 45), (26, 30), 0, 0, 360, 0, 5)
    cv2.ellipse(page, (x + 2 * w - 22, y + 70), (24, 30), 0, 0, 360, 0, 14)  # a bold 0 over the second
    cv2.ellipse(page, (x + 3 * w + 40, y + 55), (22, 30), 0, 0, 360, 0, 5)
    fields = [f for f in find_layout(page, 300).fields if f.kind != "free"]
    assert [(f.kind, len(f.cells)) for f in fields] == [("comb", n)], [(f.kind, len(f.cells)) for f in fields]


def test_a_bold_framed_comb_of_small_cells_a_7_s_stem_from_line_to_line_in_each():
    """A comb of 4 small cells (150 dpi) in a bold frame with hairline dividers, a 7 in
    each whose bar touches the top line and stem the bottom one: stems and dividers made
    8 cells too narrow for a digit and the comb was dropped, its four digits lost (a page
    lit unevenly, seed 1117). The thin lines from line to line on an even grid are its
    dividers, as in a comb of thin lines (dividers_line_to_line)."""
    import cv2

    page = np.full((1100, 850), 235, np.uint8)
    x, y, w, h, n = 300, 500, 34, 34, 4
    cv2.rectangle(page, (x, y), (x + n * w, y + h), 0, 7)
    for i in range(1, n):
        cv2.line(page, (x + i * w, y), (x + i * w, y + h), 0, 1)
    for i, stem in enumerate((15, 19, 15, 19)):  # 7s, each stem where the hand put it, leaning a little
        left = x + i * w
        cv2.line(page, (left + stem - 8, y + 5), (left + stem + 2, y + 5), 40, 2)
        cv2.line(page, (left + stem + 2, y + 5), (left + stem - 2, y + h - 3), 40, 3)
    fields = [f for f in find_layout(page, 150).fields if f.kind != "free"]
    assert [(f.kind, len(f.cells)) for f in fields] == [("comb", n)], [(f.kind, len(f.cells)) for f in fields]


@pytest.mark.parametrize("line, tick", [(2, 6), (3, 7)])
def test_a_comb_of_short_ticks_a_little_bolder_than_its_lines(line, tick):
    """A comb of 10 cells at 200 dpi whose short ticks (a third of the box) come out
    bolder than its lines (a blurred scan, a JPEG: at the layout's 150 dpi, two pixels
    more): they are still the comb's, drawn with its pen (before, only one pixel more
    passed: with 2 px lines the comb was read as one string box, its blank cells lost)."""
    import cv2

    page = np.full((2200, 1700), 255, np.uint8)
    x, y, w, h, n = 300, 600, 60, 74, 10
    cv2.rectangle(page, (x, y), (x + n * w, y + h), 0, line)
    for i in range(1, n):
        cv2.rectangle(page, (x + i * w - tick // 2, y + h - 28), (x + i * w - tick // 2 + tick - 1, y + h), 0, -1)
    combs = [f for f in find_layout(page, 200).fields if f.kind == "comb"]
    assert len(combs) == 1 and len(combs[0].cells) == n, [(f.kind, len(f.cells)) for f in find_layout(page, 200).fields]


@pytest.mark.parametrize("line", [10, 12])
def test_a_bold_comb_of_short_ticks(line):
    """A comb of 7 cells at 200 dpi whose lines are bold (10-12 px: at the layout's 150
    dpi as thick as a short divider is tall) and whose dividers are short thin ticks: the
    lines passed for vertical ink too, lines and ticks were one piece, the ticks were lost
    in it and the comb was read as one string box. Long bold lines are now no vertical
    ink, and the comb is found."""
    import cv2

    page = np.full((2200, 1700), 255, np.uint8)
    x, y, w, h, n = 300, 600, 70, 85, 7
    cv2.rectangle(page, (x, y), (x + n * w, y + h), 0, line)
    for i in range(1, n):
        cv2.line(page, (x + i * w, y + h - h // 3), (x + i * w, y + h), 0, 3)
    combs = [f for f in find_layout(page, 200).fields if f.kind == "comb"]
    assert len(combs) == 1 and len(combs[0].cells) == n, [(f.kind, len(f.cells)) for f in find_layout(page, 200).fields]
    assert abs(np.median([c.w for c in combs[0].cells]) - w) <= 3


def test_ticks_down_to_the_outer_line_of_a_double_frame():
    """A comb of 6 cells at 150 dpi inside a double frame of hairlines 4 px apart, whose
    short ticks rise from the inner bottom line and run on down to the outer one (their
    feet lie a double line's gap below the band's bottom line, not in it)."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x, y, w, h, n = 390, 380, 42, 46, 6
    cv2.rectangle(page, (x - 4, y - 4), (x + n * w + 4, y + h + 4), 0, 1)
    cv2.rectangle(page, (x, y), (x + n * w, y + h), 0, 1)
    for i in range(1, n):
        cv2.line(page, (x + i * w, y + h - h // 2), (x + i * w, y + h + 4), 0, 1)
    combs = [f for f in find_layout(page, 150).fields if f.kind == "comb"]
    assert len(combs) == 1 and len(combs[0].cells) == n


@pytest.mark.parametrize("thickness, gap, dividers", [(3, 8, "full"), (3, 8, "ticks"), (6, 14, "full")])
def test_a_comb_inside_a_double_frame_whose_lines_meet_at_the_corners(thickness, gap, dividers):
    """A comb of 6 cells on a 300 dpi page turned by 2 degrees, inside a second frame
    `gap` px outside it, with the comb's top and bottom lines and sides run on to the
    frame (so neither line of the double line is shorter than the other, and the outer
    one is not dropped as such). The cells are the comb's own: as tall as the inner box.
    Read from the outer top line the cells were too tall for their width, and every
    other divider was dropped as a 1's stroke; with thick lines far apart the sides' feet
    in the outer bottom line did not count as ending at the inner one."""
    import cv2

    page = np.full((3300, 2550), 255, np.uint8)
    x, y, w, h, n, grey = 800, 1200, 72, 118, 6, 150
    cv2.rectangle(page, (x - gap, y - gap), (x + n * w + gap, y + h + gap), grey, thickness)
    for at in (y, y + h):
        cv2.line(page, (x - gap, at), (x + n * w + gap, at), grey, thickness)
    for side in (x, x + n * w):
        cv2.line(page, (side, y - gap), (side, y + h + gap), grey, thickness)
    for i in range(1, n):
        cv2.line(page, (x + i * w, y if dividers == "full" else y + h // 2), (x + i * w, y + h + gap), grey, thickness)
    cv2.line(page, (300, 600), (2200, 600), 0, 3)  # a rule to measure the turn on
    page = cv2.warpAffine(page, cv2.getRotationMatrix2D((1275, 1650), 2.0, 1.0), (2550, 3300), borderValue=255)
    fields = [f for f in find_layout(page, 300).fields if f.kind != "free"]
    assert [(f.kind, len(f.cells)) for f in fields] == [("comb", n)], [(f.kind, f.rect) for f in fields]
    assert all(abs(c.h - h) <= 4 for c in fields[0].cells), [c.h for c in fields[0].cells]


@pytest.mark.parametrize("style", ["bold", "double run together"])
def test_boxes_with_lines_too_thick_for_a_box_line(style):
    """Six separate boxes whose lines are too thick for a box line once the page is laid
    out at 150 dpi: bold frames 9 px thick on a 150 dpi page, or double lines 5 px thick
    and 7 px apart on a 300 dpi page, which shrinking it to 150 dpi runs into one bar.
    Each is found as a box; a bold handwritten 0 beside them (a closed shape of thick
    strokes) is no box (it is free handwriting)."""
    import cv2

    k = 1 if style == "bold" else 2  # page pixels per 150 dpi pixel
    page = np.full((1650 * k, 1275 * k), 255, np.uint8)
    x, y, side, gap = 200 * k, 500 * k, 54 * k, 16 * k
    for i in range(6):
        x0 = x + i * (side + gap)
        if style == "bold":
            cv2.rectangle(page, (x0, y), (x0 + side, y + side), 0, 9)
        else:
            cv2.rectangle(page, (x0 - 7, y - 7), (x0 + side + 7, y + side + 7), 0, 5)
            cv2.rectangle(page, (x0, y), (x0 + side, y + side), 0, 5)
    cv2.ellipse(page, (900 * k, 800 * k), (14 * k, 20 * k), 0, 0, 360, 0, 9 * k)  # the 0, 0.27 in tall
    fields = find_layout(page, 150 * k).fields
    assert [f.kind for f in fields] == ["boxes", "free"]
    middles = [(c.x + c.w / 2, c.y + c.h / 2) for c in fields[0].cells]
    assert np.allclose(middles, [(x + i * (side + gap) + side / 2, y + side / 2) for i in range(6)], atol=4 * k)


@pytest.mark.parametrize("text_on_top", [False, True])
def test_faint_string_box_needs_paper_outside_its_lines(text_on_top):
    """Two faint thin lines a box's height apart that end together are a string box; when
    a row of printed letters stands on the upper one, the two are the baselines of two
    lines of text (as in a printed paragraph), and no field."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x0, x1, top, bottom = 300, 800, 600, 645
    for y in (top, bottom):
        cv2.line(page, (x0, y), (x1, y), 170, 1)
    for i, x in enumerate(range(x0 + 30, x1 - 60, 60)):  # handwriting inside
        cv2.putText(page, str(i % 10), (x, bottom - 8), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 1.0, 40, 2, cv2.LINE_AA)
    if text_on_top:
        cv2.putText(page, "Fields marked with a star are required", (x0, top - 1), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 0, 2, cv2.LINE_AA)
    strings = [f for f in find_layout(page, 150).fields if f.kind == "string"]
    if text_on_top:
        assert strings == []
    else:
        assert len(strings) == 1 and abs(strings[0].rect.w - (x1 - x0)) <= 6


def test_faint_hairline_comb_with_short_dividers():
    """A comb of six cells drawn in light grey hairlines (one pixel at 150 dpi), its
    dividers rising from the bottom line to half the height: the lines are too faint
    for the band finder, the faint box finder finds it, and its dividers make it a comb."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x0, y0, w, h, n = 300, 600, 42, 48, 6
    for y in (y0, y0 + h):
        for a in range(x0, x0 + n * w, 16):  # broken, as a faint line is
            cv2.line(page, (a, y), (min(a + 12, x0 + n * w), y), 170, 1)
    for i in range(1, n):
        cv2.line(page, (x0 + i * w, y0 + h // 2), (x0 + i * w, y0 + h), 170, 1)
    combs = [f for f in find_layout(page, 150).fields if f.kind == "comb"]
    assert len(combs) == 1 and len(combs[0].cells) == n
    assert np.allclose([c.x for c in combs[0].cells], [x0 + i * w for i in range(n)], atol=3)


@pytest.mark.parametrize("top_holes", [(150, 260), (150, 260, 400)])
def test_a_faint_rounded_comb_whose_lines_broke_at_different_places(top_holes):
    """A rounded comb of ten cells in grey hairlines (variants 1581 p13, a pale comb: its
    lines came through the threshold in dashes), its top line broken in pieces at some
    places and its bottom at others: no band paired them (one of two lines had to be
    whole), its inner cells were found as separate boxes, and its rounded ends were lost,
    their corners read as free handwriting. Each line runs on where the other broke: they
    are joined, and the comb is found whole."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x0, y0, w, h, n, r = 300, 600, 47, 52, 10, 8
    x1 = x0 + n * w
    for y in (y0, y0 + h):
        cv2.line(page, (x0 + r, y), (x1 - r, y), 150, 1)
    for x in (x0, x1):
        cv2.line(page, (x, y0 + r), (x, y0 + h - r), 150, 1)
    for cx, cy, angle in ((x0 + r, y0 + r, 180), (x1 - r, y0 + r, 270), (x1 - r, y0 + h - r, 0), (x0 + r, y0 + h - r, 90)):
        cv2.ellipse(page, (cx, cy), (r, r), angle, 0, 90, 150, 1)
    for i in range(1, n):
        cv2.line(page, (x0 + i * w, y0), (x0 + i * w, y0 + h), 150, 1)
    for y, holes in ((y0, top_holes), (y0 + h, (60, 210, 330))):
        for a in holes:
            page[y, x0 + a : x0 + a + 6] = 255
    fields = find_layout(page, 150).fields
    assert [(f.kind, len(f.cells)) for f in fields] == [("comb", n)]
    assert np.allclose([c.x for c in fields[0].cells], [x0 + i * w for i in range(n)], atol=3)


def test_separate_boxes_whose_lines_broke_at_the_same_places_stay_apart():
    """Two rows of faint pieces broken at the same places are boxes a little apart, not one
    comb's broken lines (broken_rows_joined joins only gaps the other line runs across)."""
    from formreader.layout.broken_rows import broken_rows_joined
    from formreader.layout.model import LayoutConfig, Segment

    binary = np.zeros((200, 400), np.uint8)
    pieces = [Segment(a, a + 50, c, 1) for c in (50.0, 100.0) for a in (20, 76, 132)]  # 6 px of paper between
    for p in pieces:
        binary[int(p.c), int(p.a0) : int(p.a1)] = 255
    assert broken_rows_joined(pieces, binary, lambda inches: inches * 150, LayoutConfig()) == pieces
    staggered = pieces[:3] + [Segment(20, 100, 100.0, 1), Segment(106, 182, 100.0, 1)]  # the bottom broken elsewhere
    binary[100, 100:106] = 0
    joined = broken_rows_joined(staggered, binary, lambda inches: inches * 150, LayoutConfig())
    assert sorted((s.c, s.a0, s.a1) for s in joined) == [(50.0, 20, 182), (100.0, 20, 182)]


def test_digits_whose_bars_line_up_do_not_make_a_string_box_a_table():
    """A string box (as on the NIST forms) holding 4s whose bars stand at one height and
    run, with small gaps, into its right side: the bars join into a "line" across most of
    the box, yet the box is one field, not a row of a table (a table's lines run from side
    to side; this was a real HSF field the scan lost)."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x0, x1, top, bottom = 300, 620, 600, 690
    cv2.rectangle(page, (x0, top), (x1, bottom), 0, 4)
    for a, b in ((400, 470), (473, 560), (563, x1)):  # the bars, parted by the pen's small gaps
        cv2.line(page, (a, 655), (b, 655), 0, 4)
    for x in (330, 420, 500, 590):  # the digits' stems, reaching the bottom line
        cv2.line(page, (x, 615), (x - 8, bottom), 0, 4)
    fields = find_layout(page, 300).fields
    assert len(fields) == 1 and fields[0].kind == "string"
    assert abs(fields[0].rect.w - (x1 - x0)) <= 12


def test_digits_among_remnants_of_a_faint_comb_are_free_handwriting(mnist):
    """Eight digits in a light comb that a coarse JPEG broke into bits: the bits are no
    box, but the digits are still read (as free handwriting) rather than lost. Bits of
    dividers (thin, shorter than the digits) and of the top and bottom lines (flat) made
    the row look like text of two heights, and it was dropped without a word."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x0, top, step, h = 300, 600, 60, 70
    for i in range(8):
        digit = cv2.resize(255 - mnist.x_test[i], (60, 60), interpolation=cv2.INTER_LINEAR)
        x = x0 + i * step
        page[top + 5 : top + 65, x : x + 60] = np.minimum(page[top + 5 : top + 65, x : x + 60], digit)
    for a in range(x0 + 8, x0 + 8 * step, 30):  # what is left of the top and bottom lines
        for y in (top, top + h):
            cv2.line(page, (a, y), (a + 14, y), 150, 2)
    for i in range(1, 8):  # and of the dividers
        cv2.line(page, (x0 + i * step, top + h - 28), (x0 + i * step, top + h - 6), 150, 2)
    fields = find_layout(page, 150).fields
    assert [f.kind for f in fields] == ["free"]
    r = fields[0].rect
    assert r.x <= x0 + 8 and r.x + r.w >= x0 + 8 * step - 8  # every digit in it


def test_digits_among_the_corners_of_faint_rounded_boxes_are_free_handwriting(mnist):
    """Nine digits in a row of hairline rounded boxes drawn so faintly that only a short
    bit low on each side is left (where the side bends into the corner): stubs a few
    pixels wide and a third of a digit tall, no digits. Counted as shapes of the row,
    they made it look like text of two heights, and its digits were lost without a word."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x0, top, step = 300, 600, 80
    for i in range(9):
        x = x0 + i * step
        digit = cv2.resize(255 - mnist.x_test[i], (60, 60), interpolation=cv2.INTER_LINEAR)
        page[top + 6 : top + 66, x + 8 : x + 68] = np.minimum(page[top + 6 : top + 66, x + 8 : x + 68], digit)
        for side in (x, x + 74):  # what is left of the box's sides: a short bit low on each
            cv2.line(page, (side, top + 38), (side, top + 48), 150, 3)
    fields = find_layout(page, 150).fields
    assert [f.kind for f in fields] == ["free"]
    r = fields[0].rect
    assert r.x <= x0 + 8 and r.x + r.w >= x0 + 8 * step + 60  # every digit in it


def test_a_digit_just_beside_a_comb_whose_cell_was_lost_is_free_handwriting(mnist):
    """A dithered fax's comb whose first cell's lines the undithering lost (150 dpi): its
    6 stands 6 px from the cells found, within the margin a field keeps round it, so it
    was taken for that field's ink, read by none and lost without a word. A mark that lies
    mostly off every field (a quarter of it on one at most) is free handwriting."""
    page, (left, right) = _a_comb_and_a_digit_left_of_it(mnist, 430, 39, 46, (30, 8), 11, 34, 6, 6)  # a 6, its ink 6 px from the comb
    fields = find_layout(page, 150).fields
    free = [f.rect for f in fields if f.kind == "free"]
    assert len(free) == 1 and free[0].x < left and free[0].x + free[0].w > right, [(f.kind, f.rect) for f in fields]
    assert sorted(f.kind for f in fields) == ["comb", "free"]


def test_a_free_rows_margin_stops_short_of_a_comb_beside_it(mnist):
    """A big 2 written out of a comb's first cell, whose lines were lost (variants 1266
    p6, 150 dpi), a few pixels from the first cell found: free handwriting, but the margin of paper
    its cell keeps took in the comb's side, which read as a mark that is no digit, and
    the row (one digit of two) was dropped as words: the 2 lost without a word. The
    margin stops a line's width short of a field wholly beyond the row's marks."""
    page, (left, right) = _a_comb_and_a_digit_left_of_it(mnist, 440, 46, 56, (36, 10), 1, 40, 4, 10)  # a 2, its ink 4 px from the comb
    fields = find_layout(page, 150).fields
    free = [f.rect for f in fields if f.kind == "free"]
    assert len(free) == 1 and free[0].x < left, [(f.kind, f.rect) for f in fields]
    assert right <= free[0].x + free[0].w < 440 - 1  # the 2 in it, the comb's side not


def _a_comb_and_a_digit_left_of_it(mnist, x0: int, step: int, height: int, inner: tuple[int, int], index: int, size: int, gap: int,
                                   dy: int) -> tuple[np.ndarray, tuple[int, int]]:
    """A 150 dpi page holding a comb of three cells (`step` wide, `height` tall, its top at
    y 446, its left side at `x0`) with digits `inner` (size, px down) in two, and MNIST's
    test digit `index`, `size` px, its ink `gap` px left of the comb, `dy` px down: (the
    page, the digit's leftmost and rightmost ink columns)."""
    import cv2

    page = np.full((1754, 1240), 255, np.uint8)
    top, (side, down) = 446, inner
    for i in range(3):  # the cells found
        cv2.rectangle(page, (x0 + i * step, top), (x0 + (i + 1) * step, top + height), 0, 2)
    for i in (1, 2):  # digits in two of them
        digit = cv2.resize(255 - mnist.x_test[i], (side, side), interpolation=cv2.INTER_LINEAR)
        x = x0 + i * step + 5
        page[top + down : top + down + side, x : x + side] = np.minimum(page[top + down : top + down + side, x : x + side], digit)
    beside = cv2.resize(255 - mnist.x_test[index], (size, size), interpolation=cv2.INTER_LINEAR)
    ink = np.flatnonzero((beside < 128).any(axis=0))
    at = x0 - gap - ink[-1]
    page[top + dy : top + dy + size, at : at + size] = np.minimum(page[top + dy : top + dy + size, at : at + size], beside)
    return page, (int(at + ink[0]), int(at + ink[-1]))


def _box_sides(page: np.ndarray, x: int, y: int, side: int, step: int, n: int, level: int) -> None:
    """Draw the two sides (1 px, grey `level`) of n boxes in a row, `step` apart."""
    import cv2

    for i in range(n):
        x0 = x + i * step
        cv2.line(page, (x0, y), (x0, y + side), level, 1)
        cv2.line(page, (x0 + side, y), (x0 + side, y + side), level, 1)


def test_a_digit_bar_in_a_box_whose_top_faded_is_no_top_line():
    """Separate boxes whose top lines faded out of the scan, their sides and bottoms
    still there; in one, a 5 whose bar runs half the box wide. The bar is no broken top
    line: the box's sides run on far above it. Taken as one, it cut the box at the bar
    and the digits in two, read wrongly and surely."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x0, top, side, step = 300, 600, 60, 80
    _box_sides(page, x0, top, side, step, 4, 60)
    for i in range(4):
        x = x0 + i * step
        cv2.line(page, (x, top + side), (x + side, top + side), 60, 1)
    bar = top + 24
    cv2.line(page, (x0 + step + 16, bar), (x0 + step + 46, bar), 30, 4)  # the 5's bar
    cv2.ellipse(page, (x0 + step + 30, bar + 18), (12, 12), 0, 180, 450, 30, 4)  # and its belly
    for f in find_layout(page, 150).fields:
        if f.kind == "free":  # the 5 read as free handwriting (the boxes' hairline remnants are no marks): whole
            assert all(c.y <= bar - 2 and c.y + c.h >= bar + 32 for c in f.cells), f.cells
        else:
            assert all(abs(c.y - bar) > 6 for c in f.cells), (f.kind, f.cells)


@pytest.mark.parametrize("top_line", [5, 3])
def test_double_boxes_so_close_that_their_sides_run_into_one_bar(top_line):
    """Six separate boxes drawn with double lines, on a 300 dpi page, 4 px apart: laid
    out at 150 dpi, each box's double lines run into one bold line, and the sides of two
    neighbours with the gap between them into one bar, too thick for any box line. Each
    box is still found, centred where it is drawn; so it is when the top lines ran
    together more thinly than the bottom ones (just under the bold limit there)."""
    import cv2

    page = np.full((3300, 2550), 255, np.uint8)
    x, y, side, inner = 400, 1000, 100, 6
    step = side + 2 * inner + 4
    for i in range(6):
        x0 = x + i * step
        cv2.rectangle(page, (x0 - inner, y - inner), (x0 + side + inner, y + side + inner), 0, 5)
        cv2.rectangle(page, (x0, y), (x0 + side, y + side), 0, 5)
        if top_line == 3:  # thinner top lines: the pair runs together into a thinner bold line
            cv2.line(page, (x0 - inner, y - inner), (x0 + side + inner, y - inner), 255, 2)
    cells = [c for f in find_layout(page, 300).fields for c in f.cells if f.kind in ("boxes", "comb")]
    middles = sorted((c.x + c.w / 2, c.y + c.h / 2) for c in cells)
    assert len(cells) == 6 and np.allclose(middles, [(x + i * step + side / 2, y + side / 2) for i in range(6)], atol=8), middles


def test_a_box_whose_side_stops_short_beside_the_next_box_is_no_double_line():
    """Five boxes 7 px apart on a 150 dpi page, the second one's right side stopping 6 px
    short of its top and bottom lines (a dashed box's side, whose jogged ends the line
    mask lost): beside the next box's full side it looked like the inner and outer line
    of a double box line, the next box's side was dropped as the outer one, and the
    second box was lost, its digit unread (third maker, seed 873). Paper, not a double
    box's corner, lies between their ends: every box is found where it is drawn."""
    import cv2

    page = np.full((1100, 850), 255, np.uint8)
    x, y, w, h, gap = 200, 300, 48, 55, 7
    for k in range(5):
        x0 = x + k * (w + gap)
        short = 6 if k == 1 else 0
        for a, b in (((x0, y), (x0 + w, y)), ((x0, y + h), (x0 + w, y + h)), ((x0, y), (x0, y + h)), ((x0 + w, y + short), (x0 + w, y + h - short))):
            cv2.line(page, a, b, 0, 1)
        cv2.putText(page, str(k + 3), (x0 + 12, y + 42), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
    cells = sorted((c for f in find_layout(page, 150).fields for c in f.cells), key=lambda c: c.x)
    assert len(cells) == 5, cells
    assert all(abs(c.x - x - k * (w + gap)) <= 2 and abs(c.w - w) <= 2 for k, c in enumerate(cells)), cells


@pytest.mark.parametrize("gap", [6, 8])
def test_boxes_in_pairs_whose_near_sides_run_into_one_bar(gap):
    """Three pairs of boxes on a 300 dpi page, lines 5 px thick, the boxes of a pair `gap`
    px apart (the third maker's dashed boxes, seed 903): laid out at 150 dpi, a pair's near
    sides run into one bar 8 or 9 px thick, thicker than any box line and too thin for the
    bars of double lines run together, so it was no side: each pair was read as one
    string box and its bar as sure 1s. It runs through the top and bottom lines and is
    twice as thick as they are: every box is found, centred where it is drawn."""
    import cv2

    page = np.full((3300, 2550), 255, np.uint8)
    y, w, h = 1200, 76, 84
    xs = [600 + k * (w + gap) + 30 * (k // 2) for k in range(6)]
    for k, x0 in enumerate(xs):
        cv2.rectangle(page, (x0, y), (x0 + w, y + h), 0, 5)
        cv2.putText(page, str(k + 2), (x0 + 18, y + 66), cv2.FONT_HERSHEY_SIMPLEX, 1.8, 0, 5)
    fields = find_layout(page, 300).fields
    cells = sorted((c for f in fields for c in f.cells), key=lambda c: c.x)
    assert [f.kind for f in fields if f.kind == "string"] == [] and len(cells) == 6, [(f.kind, f.cells) for f in fields]
    assert np.allclose([c.x + c.w / 2 for c in cells], [x0 + w / 2 for x0 in xs], atol=6), cells


@pytest.mark.parametrize("radius", [8, 14])
def test_separate_boxes_with_well_rounded_corners(radius):
    """Ten faint hairline boxes whose corners are rounded by a fifth to a quarter of the
    box (150 dpi, page turned 3.5 degrees): their top and bottom lines end that far short
    of the sides, and the sides as far short of the lines. Each box is found whole, from
    side to side, not as free handwriting (blank boxes lost) nor between the lines' ends."""
    import cv2

    from formreader.formgen import _rounded

    mask = np.zeros((1650, 1275), np.uint8)
    x, y, side, step = 300, 700, 60, 78
    for i in range(10):
        _rounded(mask, x + i * step, y, side, side, radius, 1)
    cv2.line(mask, (150, 500), (1100, 500), 255, 2)  # a rule across the form: the skew is measured on it
    for i in (0, 3, 6):  # digits in some: a 1 and a 0
        cv2.line(mask, (x + i * step + 30, y + 12), (x + i * step + 28, y + 48), 255, 4)
        cv2.ellipse(mask, (x + (i + 1) * step + 30, y + 30), (12, 18), 0, 0, 360, 255, 4)
    turn = cv2.getRotationMatrix2D((637, 825), 3.5, 1.0)
    mask = cv2.warpAffine(mask, turn, (1275, 1650), flags=cv2.INTER_LINEAR)
    page = (255 - mask.astype(np.float32) * (120 / 255)).astype(np.uint8)  # lines and digits light grey
    layout = find_layout(page, 150)
    cells = [c for f in layout.fields if f.kind in ("boxes", "comb") for c in f.cells]
    back = cv2.invertAffineTransform(turn)
    middles = sorted(tuple(back @ [r[0] + r[2] / 2, r[1] + r[3] / 2, 1]) for r in map(layout.to_original, cells))
    assert len(cells) == 10, [(f.kind, len(f.cells)) for f in layout.fields]
    assert np.allclose(middles, [(x + i * step + side / 2, y + side / 2) for i in range(10)], atol=5), middles
    assert all(abs(c.w - side) <= 4 for c in cells), [c.w for c in cells]


@pytest.mark.parametrize("step", [10, 14, 18])
def test_a_rounded_comb_whose_hairlines_step_near_its_corners(step):
    """A comb of nine cells with half-height dividers in a rounded box of hairlines (150
    dpi), each line stepping a row off and back near both corners, as a thin line deskewed
    by nearest pixels does: the stretches shorter than the line mask's kernel are lost,
    and the lines end 20-40 px short of the sides, beyond a rounded corner's reach. The
    comb is found from side to side, its end cells with it (variants 1481 p11: a 6 in the
    first cell was left out of a string box found between the lines' ends, unflagged)."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x0, x1, top, bottom, r, n = 390, 756, 771, 822, 12, 9
    for cx, cy, start in ((x0 + r, top + r, 180), (x1 - r, top + r, 270), (x1 - r, bottom - r, 0), (x0 + r, bottom - r, 90)):
        cv2.ellipse(page, (cx, cy), (r, r), 0, start, start + 90, 0, 1)
    for x in (x0, x1):
        cv2.line(page, (x, top + r), (x, bottom - r), 0, 1)
    for y, off in ((top, 1), (bottom, -1)):
        a, b = x0 + r, x1 - r
        for u, v, row in ((a, a + step, y), (a + step, a + step + 8, y + off), (a + step + 8, b - step - 8, y), (b - step - 8, b - step, y + off), (b - step, b, y)):
            cv2.line(page, (u, row), (v, row), 0, 1)
    w = (x1 - x0) / n
    for i in range(1, n):
        cv2.line(page, (round(x0 + i * w), (top + bottom) // 2), (round(x0 + i * w), bottom), 0, 1)
    cv2.ellipse(page, (x0 + 17, 797), (7, 14), 0, 0, 360, 0, 3)  # a 0 in the first cell, near the corner
    cv2.line(page, (150, 500), (1100, 500), 0, 2)  # a rule across the form
    layout = find_layout(page, 150)
    combs = [f for f in layout.fields if f.kind == "comb"]
    assert len(combs) == 1 and len(combs[0].cells) == n, [(f.kind, f.cells) for f in layout.fields]
    cells = sorted(map(layout.to_original, combs[0].cells))
    assert abs(cells[0][0] - x0) <= 3 and abs(cells[-1][0] + cells[-1][2] - x1) <= 3, cells


def test_a_string_box_drawn_with_double_lines_on_a_300_dpi_page():
    """A string box drawn with double lines 7 px apart at 300 dpi, the page turned by a
    degree: at the layout's 150 dpi its lines run into lines too thick for a box line all
    round. One wide box closed by such sides is a string box (it was read as an underline,
    or dropped with its digits, as no cell of a bold band could be wider than a box)."""
    import cv2

    page = np.full((3300, 2550), 255, np.uint8)
    x0, y0, x1, y1 = 800, 1000, 1200, 1150
    cv2.rectangle(page, (x0, y0), (x1, y1), 0, 4)
    cv2.rectangle(page, (x0 + 7, y0 + 7), (x1 - 7, y1 - 7), 0, 4)
    cv2.line(page, (300, 600), (2200, 600), 0, 3)  # a rule: the page is turned by 1 degree
    page = cv2.warpAffine(page, cv2.getRotationMatrix2D((1275, 1650), 1.0, 1.0), (2550, 3300), borderValue=255)
    cv2.line(page, (880, 1040), (868, 1110), 30, 8)  # a 1
    cv2.ellipse(page, (980, 1060), (22, 22), 0, 0, 360, 30, 8)  # a 9
    cv2.line(page, (1002, 1060), (995, 1115), 30, 8)
    cv2.ellipse(page, (1100, 1075), (25, 35), 0, 0, 360, 30, 8)  # a 0
    fields = [f for f in find_layout(page, 300).fields if f.kind != "free"]
    assert [f.kind for f in fields] == ["string"], [(f.kind, f.rect) for f in fields]
    r = fields[0].rect
    assert abs(r.x - x0) <= 12 and abs(r.x + r.w - x1) <= 12 and abs(r.y - y0) <= 12 and abs(r.y + r.h - y1) <= 12, r



def test_a_double_framed_string_box_whose_top_ran_together_and_bottom_did_not():
    """A string box at 300 dpi framed by double lines: the two top lines, 6 px thick and a
    pixel apart, run together at the layout's 150 dpi into one line too thick for a box line;
    the bottom's and the sides', 5 px thick and 6 px apart, stay two. A bold top with a
    double bottom and double sides is one box (it was read as an underline; on a generated
    page, the field was not found and its digits were read as unsure free handwriting)."""
    import cv2

    page = np.full((3300, 2550), 255, np.uint8)
    x0, y0, x1, y1 = 800, 1000, 1240, 1130
    page[y0 : y0 + 6, x0:x1] = page[y0 + 7 : y0 + 13, x0:x1] = 0
    page[y1 : y1 + 5, x0:x1] = page[y1 + 11 : y1 + 16, x0:x1] = 0
    page[y0 : y1 + 16, x0 : x0 + 5] = page[y0 : y1 + 16, x0 + 11 : x0 + 16] = 0
    page[y0 : y1 + 16, x1 - 16 : x1 - 11] = page[y0 : y1 + 16, x1 - 5 : x1] = 0
    for k, x in enumerate((880, 980, 1080)):  # a 1, a 7 and a 1
        cv2.line(page, (x + 10, 1035), (x, 1110), 30, 9)
        if k == 1:
            cv2.line(page, (x - 20, 1035), (x + 10, 1035), 30, 9)
    fields = [f for f in find_layout(page, 300).fields if f.kind != "free"]
    assert [f.kind for f in fields] == ["string"], [(f.kind, f.rect) for f in fields]
    r = fields[0].rect
    assert abs(r.x - x0) <= 20 and abs(r.x + r.w - x1) <= 20 and abs(r.y - y0) <= 12 and abs(r.y + r.h - y1) <= 20, r

@pytest.mark.parametrize("angle", [3.5, 5.0])
def test_a_page_of_boxes_without_long_lines_is_deskewed(angle):
    """A 300 dpi page that holds only rows of separate boxes (no rule or frame an inch
    long to measure the skew on), turned by up to 5 degrees: the skew is measured on the
    boxes' own top and bottom lines, and every box is found (at 5 degrees, one was)."""
    import cv2

    mask = np.zeros((3300, 2550), np.uint8)
    for row in range(4):
        for i in range(8):
            x, y = 400 + i * 130, 800 + 500 * row
            cv2.rectangle(mask, (x, y), (x + 100, y + 100), 255, 4)
    mask = cv2.warpAffine(mask, cv2.getRotationMatrix2D((1275, 1650), angle, 1.0), (2550, 3300), flags=cv2.INTER_LINEAR)
    layout = find_layout((255 - mask.astype(np.float32) * 0.85).astype(np.uint8), 300)
    assert abs(layout.angle + angle) <= 0.7, layout.angle
    assert sum(len(f.cells) for f in layout.fields if f.kind in ("boxes", "comb")) == 32



@pytest.mark.parametrize("angle", [6.5, -7.0])
def test_a_page_turned_past_the_most_is_turned_by_the_most(angle):
    """A 300 dpi page of rules and rows of boxes turned a little past LayoutConfig.max_skew_deg
    (6 degrees; a phone's keystone turns a turned page's far rows so): it is deskewed by
    those 6 degrees, and every box is found half a degree or a degree off level. Before,
    a skew past the most was taken for none, and half the boxes were lost (slant 1699 p5:
    a comb 6 degrees off, its seven digits lost without a word)."""
    mask = np.zeros((3300, 2550), np.uint8)
    for row in range(4):
        y = 800 + 500 * row
        cv2.line(mask, (300, y - 60), (2250, y - 60), 255, 3)
        for i in range(8):
            x = 400 + i * 130
            cv2.rectangle(mask, (x, y), (x + 100, y + 100), 255, 4)
    mask = cv2.warpAffine(mask, cv2.getRotationMatrix2D((1275, 1650), angle, 1.0), (2550, 3300), flags=cv2.INTER_LINEAR)
    layout = find_layout((255 - mask.astype(np.float32) * 0.85).astype(np.uint8), 300)
    assert layout.angle == -np.sign(angle) * 6.0, layout.angle
    assert sum(len(f.cells) for f in layout.fields if f.kind in ("boxes", "comb")) == 32

def test_a_row_of_rounded_boxes_whose_end_boxes_lost_a_line():
    """Six light rounded boxes in a row (150 dpi); the scan lost the first box's bottom
    line and the last box's top line, and a digit stands in each. They are grown from
    their neighbours: a line level with the neighbours' tops (or bottoms), with a side
    running from it most of the way to the other edge (a rounded corner takes a quarter
    of the box off the side's end). Before, both were lost, with their digits (alone,
    in a box's broken frame, they were no free handwriting either)."""
    import cv2

    from formreader.formgen import _rounded

    mask = np.zeros((1650, 1275), np.uint8)
    x, y, side, step = 300, 700, 60, 80
    for i in range(6):
        _rounded(mask, x + i * step, y, side, side, 12, 1)
    mask[y + side - 1 : y + side + 2, x + 12 : x + side - 11] = 0  # the first box's bottom line, lost
    mask[y - 1 : y + 2, x + 5 * step + 12 : x + 5 * step + side - 11] = 0  # the last box's top line
    cv2.line(mask, (x + 30, y + 12), (x + 28, y + 48), 255, 4)  # a 1 in the first
    cv2.ellipse(mask, (x + 5 * step + 30, y + 30), (12, 18), 0, 0, 360, 255, 4)  # a 0 in the last
    cv2.line(mask, (100, 500), (1100, 500), 255, 2)
    page = (255 - mask.astype(np.float32) * (140 / 255)).astype(np.uint8)
    cells = sorted(c.x for f in find_layout(page, 150).fields if f.kind == "boxes" for c in f.cells)
    assert len(cells) == 6 and np.allclose(cells, [x + i * step for i in range(6)], atol=6), cells


def test_a_faint_box_whose_lines_broke_next_to_its_neighbour():
    """Faint hairline boxes in a row (150 dpi) whose lines broke up in the scan: in the
    first box the top line is left only from its left side to 60% across (broken next to
    its neighbour) and the bottom line is gone; in the second only the top line and the
    sides are left. Each box is found where its sides stand, not a box's width back from
    where its line broke off (which cut the first box's digit away: read blank)."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x, y, side, step = 300, 700, 60, 84
    _box_sides(page, x, y, side, step, 6, 150)
    for i in range(2, 6):
        cv2.rectangle(page, (x + i * step, y), (x + i * step + side, y + side), 150, 1)
    cv2.line(page, (x, y), (x + 36, y), 150, 1)  # the first box: what is left of its top line
    cv2.line(page, (x + step, y), (x + step + side, y), 150, 1)  # the second: its top line
    cv2.line(page, (x + 30, y + 12), (x + 28, y + 48), 40, 4)  # a 1 in the first box
    cv2.line(page, (100, 500), (1100, 500), 60, 2)
    cells = sorted(c.x for f in find_layout(page, 150).fields if f.kind == "boxes" for c in f.cells)
    assert len(cells) == 6 and np.allclose(cells, [x + i * step for i in range(6)], atol=5), cells


def test_a_bold_1_where_a_pale_boxs_lines_broke_off_is_no_side():
    """Pale hairline boxes in a row (150 dpi). In the third, the top and bottom lines run a
    row off for 15 px from the left side, too short a piece for the line mask (and no
    straight frame), so both lines start where a bold 1 (6 px) stands, touching the
    bottom line. Taken for the box's side, the 1 made the box a quarter too narrow and,
    taken off as its side, read blank, unflagged (pale 1330 p2). The box runs on to its
    own thin side, the 1 inside it."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x, y, side, step = 300, 700, 60, 84
    for i in range(5):
        cv2.rectangle(page, (x + i * step, y), (x + i * step + side, y + side), 150, 1)
    third = x + 2 * step
    page[y, third + 1 : third + 15] = page[y + side, third + 1 : third + 15] = 255
    page[y - 1, third : third + 16] = page[y + side + 1, third : third + 16] = 150  # a row off
    cv2.rectangle(page, (third + 15, y + 8), (third + 20, y + side - 1), 40, -1)  # the 1
    cv2.line(page, (100, 500), (1100, 500), 60, 2)
    fields = find_layout(page, 150).fields
    cells = sorted((round(c.x), round(c.w)) for f in fields if f.kind == "boxes" for c in f.cells)
    assert len(cells) == 5 and np.allclose(cells, [(x + i * step, side) for i in range(5)], atol=4), cells


def test_two_boxes_of_a_row_apart_whose_gap_went_unseen_are_two_boxes_of_its_width():
    """A row of boxes 6 px apart (150 dpi); the fourth box's right side went unseen (a
    dashed side, a bold 0 against it: third 1302 p22), a bold stroke stands against both
    lines 10 px inside it and another in the fifth box. The pair of boxes between the
    gaps seen is as wide as two of the row's boxes and a gap, and the fifth box's left
    side stands where the row's step puts it: two boxes of the row's width, the strokes
    in them digits' (they were cut there: three cells for two, or the fourth box a third
    too narrow)."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x0, y, w, g, h = 300, 700, 34, 6, 38
    for i in range(8):
        x = x0 + i * (w + g)
        cv2.line(page, (x, y), (x + w, y), 0, 2)
        cv2.line(page, (x, y + h), (x + w, y + h), 0, 2)
        cv2.line(page, (x, y), (x, y + h), 0, 2)
        if i != 3:
            cv2.line(page, (x + w, y), (x + w, y + h), 0, 2)
    fourth, fifth = x0 + 3 * (w + g), x0 + 4 * (w + g)
    cv2.line(page, (fourth + w - 10, y + 1), (fourth + w - 10, y + h - 1), 0, 4)  # a bold 0's side
    cv2.line(page, (fifth + 12, y + 1), (fifth + 12, y + h - 1), 0, 3)  # a 4's stem
    cv2.line(page, (100, 500), (1100, 500), 0, 2)
    cells = sorted((round(c.x), round(c.w)) for f in find_layout(page, 150).fields for c in f.cells)
    assert len(cells) == 8 and np.allclose(cells, [(x0 + i * (w + g), w) for i in range(8)], atol=2), cells


def test_a_grown_box_goes_where_both_its_sides_stand():
    """Faint boxes 15 px apart (150 dpi); the third box kept only the right three quarters
    of its top line and its sides, the fourth only its sides and bottom. Placed from where
    its line starts, the third box would end on the fourth box's side, a side at one edge
    as for the right place: it goes where sides stand at both its edges."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x, y, side, step = 300, 700, 60, 75
    _box_sides(page, x, y, side, step, 4, 150)
    for i in range(2):
        cv2.rectangle(page, (x + i * step, y), (x + i * step + side, y + side), 150, 1)
    cv2.line(page, (x + 2 * step + 15, y), (x + 2 * step + side, y), 150, 1)
    cv2.line(page, (x + 3 * step, y + side), (x + 3 * step + side, y + side), 150, 1)
    cv2.line(page, (100, 500), (1100, 500), 60, 2)
    cells = sorted(c.x for f in find_layout(page, 150).fields if f.kind == "boxes" for c in f.cells)
    assert len(cells) == 4 and np.allclose(cells, [x + i * step for i in range(4)], atol=4), cells


def _double_lined_checkboxes_and_digit_boxes(shape, checkbox: int, digit_box: int, inset: int, scale: float) -> np.ndarray:
    """A page with four labelled checkboxes and a row of five digit boxes, all drawn with
    double lines 3 px thick, the inner line `inset` px inside the outer one."""
    import cv2

    page = np.full(shape, 255, np.uint8)
    at = lambda v: int(round(v * scale))  # noqa: E731
    for i, label in enumerate(["Yes", "No", "Other", "N/A"]):
        x, y = at(400 + 360 * i), at(1000)
        cv2.rectangle(page, (x, y), (x + checkbox, y + checkbox), 0, 3)
        cv2.rectangle(page, (x + inset, y + inset), (x + checkbox - inset, y + checkbox - inset), 0, 3)
        cv2.putText(page, label, (x + at(90), y + checkbox - inset), cv2.FONT_HERSHEY_SIMPLEX, 1.6 * scale, 0, max(2, at(4)), cv2.LINE_AA)
    for i in range(5):
        x, y = at(400 + 130 * i), at(1500)
        cv2.rectangle(page, (x, y), (x + digit_box, y + digit_box), 0, 3)
        cv2.rectangle(page, (x + inset, y + inset), (x + digit_box - inset, y + digit_box - inset), 0, 3)
    return page


def test_checkboxes_drawn_with_double_lines_are_no_digit_boxes():
    """Four checkboxes with labels, drawn with double lines at 300 dpi: the outer line
    makes a box of 0.21 in (a digit box's least side is 0.2 in), the inner one of 0.15 in.
    What matters is the room inside: they are no digit boxes. A row of double-lined digit
    boxes of 0.3 in is still found."""
    page = _double_lined_checkboxes_and_digit_boxes((3300, 2550), 63, 90, 8, 1.0)
    fields = [f for f in find_layout(page, 300).fields if f.kind != "free"]
    assert [(f.kind, len(f.cells)) for f in fields] == [("boxes", 5)], [(f.kind, f.rect) for f in fields]


def test_real_nist_string_boxes_stay_string_boxes():
    """The NIST handwriting sample forms (../shared): each digit field is found once, and
    the digits' strokes that stand on a box's line never make a string box a comb, but
    for one (`459` on f0004, a 4's stem on a grid with the sides: flagged, see README).
    A real field, `505`, became a comb when a second kind of tick grid came in."""
    from pathlib import Path

    import pandas as pd

    from formreader.pages import read_pages

    folder = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "real" / "hsf_pages"
    if not (folder / "fields_truth.csv").exists():
        pytest.skip(f"the NIST pages are not here: {folder}")
    truth = pd.read_csv(folder / "fields_truth.csv")
    kinds = []
    for name, fields in truth.groupby("file"):
        page = next(iter(read_pages(folder / name)))
        layout = find_layout(page.image, page.dpi)
        found = [(f.kind, [layout.to_original(c) for c in f.cells]) for f in layout.fields]
        for t in fields.itertuples():
            over = [k for k, cells in found if any(x < t.x1 and x + w > t.x0 and y < t.y1 and y + h > t.y0 for x, y, w, h in cells)]
            assert len(over) == 1, (name, t.field, over)
            kinds.append((len(str(t.value)), over[0]))
    long_kinds = [k for n, k in kinds if n >= 3]
    assert long_kinds.count("comb") <= 1 and long_kinds.count("string") >= len(long_kinds) - 1


def test_separate_boxes_within_another_field_are_that_fields_ink():
    """A bold 3 in a tick comb: its bars, closed by a tick, were found as a box of its own
    inside the comb (a blank box, accepted, where no box is). A lone box wholly within
    another field is dropped, and so is a row of two such boxes over the bold digits on an
    underline (grouped as one field: a 3's bars and a 0); lone boxes elsewhere, rows of
    boxes, and a box that holds another box (both found: the outer one stays) are not."""
    from formreader.layout.model import Field, Rect
    from formreader.layout.page import not_within_others

    comb = Field("ticks", [Rect(390 + 55 * k, 784, 55, 76) for k in range(7)])
    inside = Field("boxes", [Rect(621, 804, 20, 34)])
    elsewhere = Field("boxes", [Rect(900, 784, 60, 76)])
    row = Field("boxes", [Rect(400 + 70 * k, 1000, 60, 76) for k in range(3)])
    within_row = Field("boxes", [Rect(472, 1005, 50, 60)])
    twin, twin_again = Field("boxes", [Rect(100, 100, 60, 76)]), Field("boxes", [Rect(100, 100, 60, 76)])
    underline = Field("underline", [Rect(393, 697, 177, 68)])
    over_its_digits = Field("boxes", [Rect(469, 705, 35, 40), Rect(506, 705, 35, 40)])
    kept = not_within_others([comb, inside, elsewhere, row, within_row, twin, twin_again, underline, over_its_digits])
    assert kept == [comb, elsewhere, row, twin, twin_again, underline]


def test_boxes_nine_tenths_within_a_tick_comb_are_its_ink():
    """A tick comb with tall ticks: a 5's top bar and the first tick made a row of two boxes
    over its first two digits that reached a few pixels left of the comb (the 5 read twice,
    once accepted where no box is). Boxes nine tenths within another field are its ink;
    boxes half out of it (a row of boxes beside it) stay."""
    from formreader.layout.model import Field, Rect
    from formreader.layout.page import not_within_others

    comb = Field("ticks", [Rect(390 + 55 * k, 784, 55, 76) for k in range(7)])
    past_the_first_tick = Field("boxes", [Rect(380, 800, 48, 49), Rect(452, 800, 48, 49)])
    half_out = Field("boxes", [Rect(350, 800, 60, 40)])
    assert not_within_others([comb, past_the_first_tick, half_out]) == [comb, half_out]


def test_boxes_found_by_their_sides_are_no_double_lined_checkboxes():
    """Checkboxes drawn with double lines (300 dpi, read at 150): where their lines are
    too uneven to pair, the boxes are found from their sides (boxes_by_sides), which
    measured the outer line: 0.21 in, over a digit box's least side. The room inside the
    inner line (0.15 in) tells a checkbox; double-lined digit boxes of 0.3 in still come."""
    from formreader.layout.faint_boxes import boxes_by_sides
    from formreader.layout.model import LayoutConfig, Segment

    px = lambda inches: inches * 150  # noqa: E731

    def double_boxes(side: float, y: float, xs: list[float]):
        vs, hs = [], []
        for x in xs:
            for k in (0.0, 5.0):  # the outer line, and the inner one 5 px inside
                vs += [Segment(y + k, y + side - k, x + k, 1.0), Segment(y + k, y + side - k, x + side - k, 1.0)]
                hs += [Segment(x + k, x + side - k, y + k, 1.0), Segment(x + k, x + side - k, y + side - k, 1.0)]
        return vs, hs

    vs, hs = double_boxes(32, 600, [560, 740, 930])
    assert boxes_by_sides(vs, hs, [], px, LayoutConfig()) == []
    vs, hs = double_boxes(45, 800, [560, 620, 680])
    assert len(boxes_by_sides(vs, hs, [], px, LayoutConfig())) == 3


def test_a_side_short_of_its_corner_parts_two_boxes_found_by_their_sides():
    """The line pieces of a row of six blank dashed boxes 5 px apart (lit 1607 p6, 150 dpi):
    the right sides of four lost their dash at the top corner (the corner's L is no dash)
    and stop 12 px short of the top line. Two boxes' left sides made one box by their
    sides, the first box's right side inside it, 8 px from its edge: read as a 1 and
    accepted in a blank box. A side that runs to one line and along most of the height
    parts two boxes as a whole one does."""
    from formreader.layout.faint_boxes import boxes_by_sides
    from formreader.layout.model import Field, LayoutConfig, Rect, Segment

    hs = [Segment(375, 677, 1104.5, 1.0)] + [Segment(a0, a1, 1057.5, 1.0) for a0, a1 in ((375, 421), (427, 473), (478, 524), (530, 576), (581, 628), (633, 679))]
    whole = [Segment(1057, 1106, c, 1.0) for c in (375.5, 427.5, 478.5, 530.5, 581.5, 633.5)]
    short = [Segment(1069, 1105, c, 1.0) for c in (419.5, 471.5, 522.5, 677.5)]
    found = [Field("boxes", [Rect(530.2, 1057.5, 45, 47)], 1.0), Field("boxes", [Rect(581.2, 1057.5, 46, 47)], 1.0)]
    boxes = boxes_by_sides(whole + short, hs, found, lambda inches: inches * 150, LayoutConfig())
    assert not any(r.x + 2 < s.c < r.x + r.w - 2 for f in boxes for r in f.cells for s in short), [f.rect for f in boxes]


def test_boxes_found_by_their_sides_take_their_own_sides():
    """Two boxes a sixth of a box apart (200 dpi, read at 150) whose tops ran into one line
    and whose bottoms did not: found from their sides, the squarest pair was the first
    box's left side with the second's (45 px apart, the boxes 39 px wide and 44 tall), the
    first box's own right side just inside it. The cell took in the gap and that side,
    read as a sure 1 in a blank box. A side like the box's own standing just inside a
    pair makes it no box; a 1 written from line to line in the middle of a box does not."""
    from formreader.layout.faint_boxes import boxes_by_sides
    from formreader.layout.model import LayoutConfig, Segment

    px = lambda inches: inches * 150  # noqa: E731
    sides = [Segment(978.0, 1022.5, x, 3.0) for x in (437.5, 476.5, 482.5, 521.5)]
    lines = [Segment(437.0, 523.0, 978.0, 3.0), Segment(438.0, 478.0, 1022.5, 3.0), Segment(483.0, 523.0, 1022.5, 3.0)]
    found = sorted((f.cells[0].x, f.cells[0].w) for f in boxes_by_sides(sides, lines, [], px, LayoutConfig()))
    assert found == [(437.5, 39.0), (482.5, 39.0)]
    one = Segment(979.0, 1021.5, 457.0, 3.0)  # a 1 in the first box
    found = sorted((f.cells[0].x, f.cells[0].w) for f in boxes_by_sides([*sides, one], lines, [], px, LayoutConfig()))
    assert found == [(437.5, 39.0), (482.5, 39.0)]


def test_a_band_ends_at_its_own_side_not_at_its_neighbours():
    """Boxes a seventh of a box apart (200 dpi, read at 150; another maker's page), a 3 in
    the first whose top bar runs from its middle to its right side: the bar and the bottom
    line end together, a band inside the box's own. A band inside another is a digit's
    strokes, and goes; but the bar's band took in the next box's side, 6 px beyond its
    end, merged with its own: no longer inside, it overlapped the box's, and both went.
    The box was found later, worse, and its 3 read as a sure 5. A band's end that has a
    side of its own takes no side beyond it."""
    from formreader.layout.bands import find_bands
    from formreader.layout.tables import stacked
    from formreader.layout.model import LayoutConfig, Segment

    px = lambda inches: inches * 150  # noqa: E731
    top, bar, bottom = Segment(392.0, 428.0, 362.0, 4.0), Segment(399.0, 428.0, 369.5, 4.0), Segment(392.0, 427.0, 405.5, 4.0)
    lines = [top, bar, bottom, Segment(433.0, 470.0, 362.0, 4.0), Segment(433.0, 469.0, 405.5, 4.0)]
    sides = [Segment(360.0, 407.5, x, 4.0) for x in (391.5, 425.5, 433.0, 467.5)]
    bands = find_bands(lines, sides, px, LayoutConfig())
    kept = [(t.c, round(xs[0]), round(xs[-1])) for k, (t, _, xs, _) in enumerate(bands) if k not in stacked(bands, lines, [], px, LayoutConfig())]
    assert sorted(kept) == [(362.0, 392, 426), (362.0, 433, 468)]


def test_double_boxes_whose_inner_lines_met_across_the_gap_are_each_found():
    """Two boxes drawn with double lines a little apart (300 dpi, read at 150; turned 4
    degrees): the outer lines end at the gap (5 px), the inner lines, deskewed into stairs
    run on to the outer sides, met across it in the line mask, so one inner band holds
    both boxes and overlaps each outer band in part. Both were left out as a table's rows,
    and the row's first two boxes went unfound. The inner band is kept, the outer ones go."""
    from formreader.layout.bands import find_bands
    from formreader.layout.tables import stacked
    from formreader.layout.model import LayoutConfig, Segment

    px = lambda inches: inches * 150  # noqa: E731
    outer = [Segment(386.0, 456.0, 1080.5, 3.0), Segment(461.0, 532.0, 1080.5, 3.0),
             Segment(386.0, 457.0, 1147.5, 3.0), Segment(462.0, 532.0, 1147.5, 3.0)]
    inner = [Segment(386.0, 532.0, 1084.5, 3.0), Segment(386.0, 532.0, 1143.5, 3.0)]
    sides = [Segment(1079.0, 1149.0, x, 3.0) for x in (388.0, 454.0, 463.0, 530.0)]
    sides += [Segment(1083.0, 1145.0, x, 3.0) for x in (392.0, 452.0, 464.0, 526.0)]
    lines = outer + inner
    bands = find_bands(lines, sides, px, LayoutConfig())
    table = stacked(bands, lines, [], px, LayoutConfig())
    kept = [(t.c, b.c) for k, (t, b, _, _) in enumerate(bands) if k not in table]
    assert kept and all(t == 1084.5 and b == 1143.5 for t, b in kept), [(t.c, b.c, xs) for t, b, xs, _ in bands]


def test_a_bold_fives_bar_just_above_the_bottom_line_is_no_inner_line_of_a_double_line():
    """A date's rounded boxes (another maker's page at a slant, 300 dpi read at 150), a bold
    5 filling the third: its bottom bar runs 7 px above the box's bottom line, as a double
    bottom line's inner line would, and on past the box's end. Its top closed there, the
    band (top to bar) overlapped the 5's other band (top bar to bottom) and both were left
    out; the 5 was never read, nor reported. A double line's inner line is drawn within its
    outer one; a bar run on past the line's end is a digit's. These are the lines found there."""
    from formreader.layout.bands import find_bands
    from formreader.layout.tables import stacked
    from formreader.layout.model import LayoutConfig, Segment

    px, config = (lambda inches: inches * 150), LayoutConfig()
    hs = [Segment(382.0, 455.0, 974.5, 3.0), Segment(381.0, 455.0, 1015.5, 3.0),  # two boxes whose lines ran into one
          Segment(466.0, 501.0, 974.5, 3.0), Segment(467.0, 501.0, 1015.5, 3.0),  # the 5's box
          Segment(476.0, 508.0, 983.0, 4.0), Segment(460.0, 509.0, 992.0, 6.0), Segment(466.0, 508.0, 1008.5, 3.0),  # its bars
          Segment(506.0, 540.0, 974.5, 3.0), Segment(506.0, 541.0, 1015.5, 3.0)]
    vs = [Segment(974.0, 1017.0, x, 3.0) for x in (382.5, 414.5, 420.5, 452.5, 505.5, 538.5)]
    vs += [Segment(973.0, 1018.0, 480.5, 5.0), Segment(990.0, 1018.0, 471.5, 1.0)]  # the 5's stem; its box's rounded side, in part
    binary = np.zeros((1100, 700), np.uint8)
    for s in hs:
        binary[int(s.c - s.t / 2) : int(s.c + s.t / 2) + 1, int(s.a0) : int(s.a1)] = 255
    for v in vs:
        binary[int(v.a0) : int(v.a1), int(v.c - v.t / 2) : int(v.c + v.t / 2) + 1] = 255
    bands = find_bands(hs, vs, px, config, binary=binary)
    table = stacked(bands, hs, [], px, config)
    kept = [(t.c, b.c, round(xs[0]), round(xs[-1])) for k, (t, b, xs, _) in enumerate(bands) if k not in table]
    assert (974.5, 1015.5, 467, 503) in kept, kept


def test_the_stems_of_bold_printed_text_are_no_tick_comb():
    """A form's note in bold type (0.12 in, a 300 dpi page of another page maker than
    formgen, turned about 3.7 degrees): at the layout's 150 dpi its letters' feet ran into one
    line 6 px thick, and merged within that thickness, its stems passed for four ticks
    on a grid (a tick comb in the note, a 1 read there and accepted). These are the
    stems and the grid seen there: counted one by one, most stems lie off the grid."""
    from formreader.layout.model import Segment
    from formreader.layout.ticks import ticks_on_baseline

    base = Segment(123.0, 246.0, 153.0, 6.0)
    stems = [124.0, 137.0, 156.0, 160.5, 181.0, 196.5, 203.0, 206.5, 213.0, 222.0, 228.5]
    candidates = [124.0, 137.0, 158.25, 181.0, 211.58]
    assert ticks_on_baseline([124.0, 158.25, 181.0, 211.58], candidates, base, stems) == []
    # a tick comb's ticks, with a digit's stroke running into the line beside one, stay one
    ticks = [130.0, 160.0, 190.0, 220.0]
    comb = Segment(129.0, 221.0, 153.0, 2.0)
    assert ticks_on_baseline(ticks, ticks, comb, sorted(ticks + [170.0])) == ticks
    # a 6-cell tick comb (bitonal, 300 dpi, laid out at 150) holding 1, 1, 7 and 8: the 1's foot
    # and the 7's and 8's strokes run into the line off the grid, the 7's in two pieces 3 px
    # apart, which count as one stroke
    from formreader.layout import LayoutConfig
    from formreader.layout.ticks import tick_combs

    base = Segment(398.0, 679.0, 664.5, 1.0)
    ticks = [398.0, 444.0, 490.0, 537.0, 583.0, 630.0, 677.0]
    strokes = [Segment(630.0, 665.0, x, 2.0) for x in (515.0, 655.0, 658.0, 665.0)]
    found = tick_combs([base], [Segment(645.0, 665.0, x, 2.0) for x in ticks] + strokes, np.zeros((800, 800), np.uint8),
                       lambda inches: inches * 150, LayoutConfig())
    assert [round(c.x) for f in found for c in f.cells] == [round(x) for x in ticks[:-1]], found


def test_the_round_feet_of_digits_on_a_combs_line_do_not_outvote_its_ticks():
    """A comb whose dividers rise half way from its bottom line (150 dpi, cells 38 px, 50 px
    tall): the round foot of a 0 standing on the line leaves several short upright pieces
    side by side. One vote each, they were three of seven pieces rising from the line, so
    the four ticks seen, printed alike, were too few of them, and the comb was read as
    one string box (a tick read as a 1, accepted). One place, one vote: the ticks are
    found."""
    from formreader.layout.short_dividers import short_dividers
    from formreader.layout.model import Segment

    top, bottom = Segment(392.0, 622.0, 1283.5, 3.0), Segment(392.0, 622.0, 1333.0, 4.0)
    ticks = [430.0, 468.5, 506.5, 582.5]  # the one at 545 hidden under a digit
    feet = [404.5, 410.0, 414.0]
    vs = [Segment(1307.0, 1335.0, x, 3.0) for x in ticks] + [Segment(1319.0, 1335.0, x, 2.0) for x in feet]
    found = short_dividers(vs, top, bottom, 392.0, 622.0, 6.0)
    assert np.allclose(found, [392 + k * 230 / 6 for k in range(1, 6)], atol=3), found


def test_a_comb_of_short_dividers_is_not_read_at_twice_its_step():
    """An 8-cell comb of half-height dividers on a dithered fax (150 dpi, turned 4 degrees;
    fax 1164 p18) whose dividers at 426, 496 and 637 were hidden under digits: the three seen
    at 460, 530 and 601 made the likeliest grid one of four cells twice as wide, leaving the
    tick at 565, printed alike, off it; a right 1 was accepted in a box two cells wide. A
    grid that leaves a printed tick off gives way to a finer one that takes every tick
    seen, where ink rises at its hidden places."""
    from formreader.layout.short_dividers import short_dividers
    from formreader.layout.model import Segment

    top, bottom = Segment(390.0, 674.0, 351.0, 4.0), Segment(389.0, 674.0, 395.0, 4.0)
    feet = [(443.0, 349), (460.0, 373), (495.0, 358), (530.0, 372), (565.0, 372), (601.0, 372)]  # 443, 495: digits' strokes
    vs = [Segment(float(a0), 398.0, x, 4.0) for x, a0 in feet]
    binary = np.zeros((500, 800), np.uint8)
    for x in (426, 496, 637):  # the digits over the hidden dividers, standing on the line
        binary[360:394, x - 2 : x + 3] = 255
    found = short_dividers(vs, top, bottom, 390.25, 672.5, 6.0, binary=binary)
    assert len(found) == 7 and np.allclose(found, [390.25 + k * 282.25 / 8 for k in range(1, 8)], atol=3), found


def test_the_ticks_of_a_comb_in_a_rounded_frame_reach_its_sides():
    """Twelve cells, ticks rising half way (300 dpi laid out at 150: cells 42 px, 60 px tall),
    in a frame with well-rounded corners, found a few pixels in from where its cells end:
    the end cells came out 34 and 35 px, off the ticks' grid, and the comb was read as one
    string box (formgen's variants, seed 571: nine digits lost). The ticks' grid runs on
    to sides about one step beyond it; three ticks do not (a string's digits' feet)."""
    from formreader.layout.short_dividers import short_dividers
    from formreader.layout.model import Segment

    top, bottom = Segment(399.0, 888.0, 1070.0, 2.0), Segment(399.0, 888.0, 1130.0, 2.0)
    ticks = [433.0 + 42 * k for k in range(11)]
    vs = [Segment(1098.0, 1131.0, x, 2.0) for x in ticks]
    assert np.allclose(short_dividers(vs, top, bottom, 399.0, 888.0, 4.0), ticks)
    few = [Segment(1098.0, 1131.0, x, 2.0) for x in (433.0, 475.0, 517.0)]
    assert short_dividers(few, top, bottom, 399.0, 559.0, 4.0) == []


def test_the_feet_of_digits_beside_ticks_at_every_place_do_not_outvote_them():
    """A comb of five cells (150 dpi, cells 39 px, 47 px tall) whose four short ticks, printed
    alike, stand at every place of its grid, while two 3s written low leave pieces of their
    feet on the line beside the first tick: six pieces rising, four of them alike, were too
    few alike, and the comb was read as one string box (its cells lost). Ticks at every
    place of an even grid are no chance strokes: found."""
    from formreader.layout.short_dividers import short_dividers
    from formreader.layout.model import Segment

    top, bottom = Segment(390.8, 584.8, 335.5, 3.0), Segment(390.8, 584.8, 382.5, 3.0)
    ticks = [430.0, 468.0, 506.5, 545.0]
    vs = [Segment(357.0, 384.0, x, 2.0) for x in ticks] + [Segment(366.0, 384.0, 437.5, 1.0), Segment(371.0, 384.0, 447.5, 1.0)]
    assert np.allclose(short_dividers(vs, top, bottom, 390.8, 584.8, 5.0), ticks)
    # three ticks alike among six pieces, one place without: still no comb (a string box's strokes)
    assert short_dividers(vs[:3] + vs[4:], top, bottom, 390.8, 584.8, 5.0) == []


def test_ticks_cut_short_by_digits_touching_their_tips_are_ticks():
    """A comb of ten cells (150 dpi, 45 px tall) whose ticks rise 24 px, four of them cut
    off at 17 px where a digit written low touches the tick's tip (the upright piece ends
    where the ink widens): five alike of nine were too few, and the comb was read as one
    string box. Where ink still runs up from the line as high as the ticks rise, a shorter
    piece is a tick a digit touches: found, every place on the grid."""
    from formreader.layout.short_dividers import short_dividers
    from formreader.layout.model import Segment

    top, bottom = Segment(391.0, 775.8, 211.0, 2.0), Segment(391.0, 775.8, 256.0, 2.0)
    places = [391.0 + k * 38.48 for k in range(1, 10)]
    touched = {1, 2, 6, 7}
    vs = [Segment(239.0 if k in touched else 232.0, 257.0, x, 2.0) for k, x in enumerate(places)]
    binary = np.zeros((400, 900), np.uint8)
    for k, x in enumerate(places):
        binary[232:256, round(x) - 1 : round(x) + 2] = 1  # each tick's ink up to its full rise
        if k in touched:
            binary[225:240, round(x) - 8 : round(x) + 8] = 1  # a digit's stroke across its tip
    assert short_dividers(vs, top, bottom, 391.0, 775.8, 4.0) == []  # without the ink, too few alike
    assert np.allclose(short_dividers(vs, top, bottom, 391.0, 775.8, 4.0, binary=binary), places, atol=1)


def test_a_digits_stem_joined_to_the_line_across_gaps_is_no_tick():
    """A comb of four cells under a full top line (150 dpi, cells 40 px, 42 px tall; turned
    1495 p3), three ticks rising 22 px: a 5's stem and the foot of its bowl, joined down to
    the line across the gaps the line mask mends, rose as high, and with a 2's stroke on
    the line put the comb on a grid of half its step, which failed: read as one string
    box. Where most pieces are solid ink, a broken one is no tick: the comb's three."""
    from formreader.layout.short_dividers import short_dividers
    from formreader.layout.model import Segment

    top, bottom = Segment(391.0, 550.0, 721.0, 2.0), Segment(391.0, 550.0, 763.5, 3.0)
    ticks = [431.0, 470.0, 510.5]
    vs = [Segment(741.0, 766.0, x, 2.0) for x in ticks] + [Segment(740.0, 766.0, 445.5, 3.0), Segment(742.0, 766.0, 530.5, 3.0)]
    binary = np.zeros((800, 600), np.uint8)
    for x in ticks:
        binary[741:763, round(x) - 1 : round(x) + 2] = 1
    binary[740:746, 444:448] = 1  # the 5's stem ...
    binary[750:759, 441:448] = 1  # ... the foot of its bowl: paper between, and under it
    binary[742:761, 529:533] = 1  # the 2's stroke, run on to the line
    assert short_dividers(vs, top, bottom, 391.0, 550.0, 4.0, binary=binary) == ticks


def test_a_tick_a_little_lower_than_the_others_is_seen_under_a_digit():
    """A comb of four cells (300 dpi laid out at 150: cells 38 px, 58 px tall; variants 1501
    p17), two ticks seen rising 15.5 and 18.5 px (printed alike, deskewed to the nearest
    pixel), the third fused with a 2 written against its tip and rising 14.5 px. Ink was
    asked to rise at the hidden place as high as the median tick: a pixel short, the
    comb was read as one string box. As high as the lowest tick seen: found."""
    from formreader.layout.short_dividers import short_dividers
    from formreader.layout.model import Segment

    top, bottom = Segment(391.0, 544.0, 801.5, 2.0), Segment(391.0, 544.0, 859.5, 2.0)
    vs = [Segment(844.0, 861.0, 429.0, 2.0), Segment(841.0, 861.0, 467.0, 2.0)]
    binary = np.zeros((900, 600), np.uint8)
    for x, a0 in ((429, 844), (467, 841), (505, 845)):
        binary[a0:859, x - 1 : x + 1] = 1
    binary[833:844, 493:501] = 1  # the 2's tail, beside the hidden tick's tip
    assert np.allclose(short_dividers(vs, top, bottom, 391.0, 543.5, 4.0, binary=binary), [429.0, 467.0, 505.25], atol=1)


def test_ticks_hidden_under_digits_by_a_sloping_line_are_seen():
    """A comb of eight cells (150 dpi, 38 px, 44 px tall; slant 1519 p9) whose bottom line
    slopes 3 px along the comb: four ticks seen rising 22 px, three hidden under digits. Ink
    rising at the hidden places was looked for up from the line's middle, 2-3 px above where
    it runs at the comb's right end: a tick's foot seemed short, and the comb was read as one
    string box. Looked for up from the line where it runs: found."""
    from formreader.layout.short_dividers import short_dividers
    from formreader.layout.model import Segment

    top = Segment(378.0, 681.0, 995.5, 3.0)
    bottom = Segment(378.0, 681.0, 1039.5, 3.0, slope=0.01, pivot=378.0)
    places = [377.5 + k * 37.97 for k in range(1, 8)]
    binary = np.zeros((1100, 800), np.uint8)
    for x in places:  # a tick, seen or under a digit's stroke, up from the line where it runs
        binary[round(bottom.at(x) - 22) : round(bottom.at(x)), round(x) - 1 : round(x) + 2] = 1
    vs = [Segment(bottom.at(x) - 22, bottom.at(x) + 1, x, 2.0) for x in places if places.index(x) in (0, 1, 2, 4)]
    assert np.allclose(short_dividers(vs, top, bottom, 378.0, 681.0, 5.0, binary=binary), places, atol=1.5)


def test_a_tick_hidden_under_a_digit_is_seen_to_a_pixel_of_its_tip():
    """A comb of five cells (150 dpi, 45 px tall), three ticks seen rising 24 px, the fourth
    fused with a 3 that touches it: ink rises there from the line to a pixel under the
    others' tips. Asked to reach their very tip row, it did not, and the comb was read as
    one string box: the tip is known to a pixel."""
    from formreader.layout.short_dividers import short_dividers
    from formreader.layout.model import Segment

    top, bottom = Segment(391.2, 601.0, 567.5, 3.0), Segment(391.2, 601.0, 613.0, 2.0)
    places = [433.5, 475.0, 517.0, 559.0]
    binary = np.zeros((700, 700), np.uint8)
    binary[590:613, 556:563] = 1  # the hidden tick and the 3's ink on it, from a pixel under the tips down
    vs = [Segment(589.0, 615.0, x, 2.0) for x in places[:3]]
    assert np.allclose(short_dividers(vs, top, bottom, 391.2, 601.0, 5.0, binary=binary), places, atol=1)


def test_separate_boxes_a_fifth_of_a_box_apart_are_no_comb():
    """A row of eight separate boxes, 34 px at 150 dpi, 6-9 px apart: the line mask closes
    the gaps in their top and bottom lines, and each pair of sides across a gap merged into
    one divider, so the row was read as a comb whose cells straddled the gaps (a box's blank
    read as a 1 from its neighbour's side, accepted). Paper between two sides across both
    lines parts them: eight boxes, each where it is drawn."""
    import cv2

    for gap in (6, 7, 9):
        page = np.full((1754, 1240), 255, np.uint8)
        for i in range(8):
            x = 300 + i * (34 + gap)
            cv2.rectangle(page, (x, 600), (x + 34, 634), 0, 2)
        page = cv2.GaussianBlur(page, (3, 3), 0.8)
        fields = find_layout(page, 150).fields
        assert [f.kind for f in fields] == ["boxes"], (gap, [(f.kind, f.rect) for f in fields])
        assert np.allclose([c.x for c in fields[0].cells], [300 + i * (34 + gap) for i in range(8)], atol=2.5), gap
    # one gap closed in both lines (ink run across it): the row is still eight separate boxes
    page = np.full((1754, 1240), 255, np.uint8)
    for i in range(8):
        cv2.rectangle(page, (300 + i * 41, 600), (334 + i * 41, 634), 0, 2)
    cv2.line(page, (334 + 3 * 41, 600), (341 + 3 * 41, 600), 0, 2)
    cv2.line(page, (334 + 3 * 41, 634), (341 + 3 * 41, 634), 0, 2)
    fields = find_layout(cv2.GaussianBlur(page, (3, 3), 0.8), 150).fields
    assert [(f.kind, len(f.cells)) for f in fields] == [("boxes", 8)], [(f.kind, f.rect) for f in fields]


@pytest.mark.parametrize("mark", ["slash", "dash", None, "digit spilt from its box"])
def test_a_dates_groups_of_boxes_with_a_slash_between_are_one_field(mark):
    """A date written into separate boxes, DD / MM / YYYY (150 dpi, boxes 33 px, 15 px apart
    within a group, 55 px between groups, where a slash or a dash is printed): it was read
    as three fields. A printed mark alone in the gap joins the groups; with paper alone
    there, or a digit's stroke that runs out of its box into the gap, they stay three."""
    import cv2

    page = np.full((1754, 1240), 255, np.uint8)
    x, xs = 300, []
    for i in range(8):
        if i in (2, 4):
            mid = x + 20
            if mark == "slash":
                cv2.line(page, (mid - 5, 628), (mid + 5, 606), 0, 2)
            elif mark == "dash":
                cv2.line(page, (mid - 6, 617), (mid + 6, 617), 0, 2)
            elif mark:
                cv2.line(page, (x - 25, 610), (x + 8, 622), 0, 3)  # out of the box before, into the gap
            x += 40
        xs.append(x)
        cv2.rectangle(page, (x, 600), (x + 33, 633), 0, 2)
        x += 48
    fields = find_layout(page, 150).fields
    expected = [("boxes", 8)] if mark in ("slash", "dash") else [("boxes", 2), ("boxes", 2), ("boxes", 4)]
    assert [(f.kind, len(f.cells)) for f in fields] == expected, [(f.kind, f.rect) for f in fields]
    assert np.allclose([c.x for f in fields for c in f.cells], xs, atol=2.5)


def test_a_faint_table_of_printed_numbers_gives_no_string_box():
    """A table of printed numbers ruled in thin grey lines (200 dpi): its lower rows were
    found as boxes sharing lines and left out as a table, but its first row, whose lines
    alone were left, was read as a faint string box, its numbers accepted as digits. A
    line a row's height beyond either of its lines, ending with it, makes it a table row."""
    import cv2

    for level in (120, 170):
        page = np.full((2339, 1654), 255, np.uint8)
        for r in range(5):
            cv2.line(page, (160, 1500 + 50 * r), (1200, 1500 + 50 * r), level, 1)
        for c in range(5):
            cv2.line(page, (160 + 260 * c, 1500), (160 + 260 * c, 1700), level, 1)
        for r in range(4):
            for c in range(4):
                cv2.putText(page, str(10007 * (r * 4 + c + 1) % 99999), (180 + 260 * c, 1537 + 50 * r), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 0, 2, cv2.LINE_AA)
        page = cv2.GaussianBlur(page, (3, 3), 0.6)
        assert [(f.kind, f.rect) for f in find_layout(page, 200).fields] == [], level
    # made bitonal, grey lines break up: the top line in pieces, the fourth starting later, no
    # column line seen; the next row's line is there all the same, along most of the row
    page = np.full((2339, 1654), 255, np.uint8)
    for r in range(5):
        for a, b in [(160, 400), (420, 700), (720, 1200)] if r == 0 else [(220 if r == 3 else 160, 1200)]:
            cv2.line(page, (a, 1500 + 50 * r), (b, 1500 + 50 * r), 0, 1)
    for r in range(4):
        for c in range(4):
            cv2.putText(page, str(10007 * (r * 4 + c + 1) % 99999), (180 + 260 * c, 1537 + 50 * r), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 0, 2, cv2.LINE_AA)
    assert [(f.kind, f.rect) for f in find_layout(page, 200).fields] == []


def test_the_last_row_of_a_bold_table_is_no_string_box():
    """A printed table on a fax (fax seed 1154, page 10, 200 dpi): four rows of numbers,
    bold lines, its column lines drawn unbroken from its top to its bottom. Its upper rows
    are no bands (their sides run on through their bottom lines), but the last one was: a
    string box whose printed numbers were read as five flagged "digits". Sides that run
    on up past a band's top to a line a row above make it a table's row."""
    import cv2

    page = np.full((2339, 1654), 255, np.uint8)
    for r in range(5):
        cv2.line(page, (160, 1500 + 98 * r), (1207, 1500 + 98 * r), 0, 6)
    for c in range(5):
        cv2.line(page, (160 + 261 * c, 1500), (160 + 261 * c, 1892), 0, 6)
    for r in range(4):
        for c in range(4):
            cv2.putText(page, str(10007 * (r * 4 + c + 1) % 99999), (180 + 261 * c, 1560 + 98 * r), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 0, 2, cv2.LINE_AA)
    assert [(f.kind, f.rect) for f in find_layout(page, 200).fields] == []
    # a box with a printed label over a comb in it: its sides run on up, the dividers do not
    page = np.full((2339, 1654), 255, np.uint8)
    cv2.rectangle(page, (160, 1500), (760, 1660), 0, 4)
    cv2.line(page, (160, 1580), (760, 1580), 0, 4)
    for c in range(1, 10):
        cv2.line(page, (160 + 60 * c, 1580), (160 + 60 * c, 1660), 0, 4)
    cv2.putText(page, "ACCOUNT NUMBER", (180, 1550), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 0, 2, cv2.LINE_AA)
    assert [(f.kind, len(f.cells)) for f in find_layout(page, 200).fields] == [("comb", 10)]


def test_a_comb_with_a_stroke_in_the_middle_of_some_cells_keeps_its_step():
    """Dividers and strokes seen in a 10-cell comb (a 200 dpi page of another page maker,
    laid out at 150): the stems of three 9s and a 4 stand at their cells' middles, so the
    median gap is a few per cent short of the step, a grid of it drifted off the far cells,
    and the half-step grid won (20 cells, read as 18 digits and blanks). Every divider is
    seen on the grid from side to side whose step is nearest the median gap: it is kept."""
    from formreader.layout.combs import comb_dividers

    xs = [391.2, 426.5, 444.5, 462.0, 496.0, 531.5, 550.5, 567.0, 602.0, 636.5, 672.0, 707.0, 725.5, 744.0]
    found = comb_dividers(xs, 35.5)
    assert len(found) == 11 and np.allclose(found, np.linspace(391.2, 744.0, 11), atol=2), found


def test_a_tick_comb_whose_digits_stand_on_its_line_among_the_ticks():
    """A 6-cell tick comb (300 dpi, laid out at 150; another page maker's page) whose bold
    digits 9, 9, 3, 3, 4 and 5 were written low: their strokes stand on the line between the
    ticks, five of them off the grid, more than half as many as the ticks seen, so the comb
    was refused as a line of type, and the digits, read with its ticks as free handwriting,
    too unsurely, were dropped. They rise twice as high as the ticks printed alike: they are
    digits' strokes, and the comb is found."""
    from formreader.layout import LayoutConfig
    from formreader.layout.model import Segment
    from formreader.layout.ticks import tick_combs

    base = Segment(390.0, 644.0, 1407.0, 4.0)
    ticks = [391.0, 428.0, 463.0, 534.0, 570.0, 606.0, 642.0]  # the one at 499 hidden under a 3
    vs = [Segment(1391.0, 1409.0, x, 3.0) for x in ticks] + [Segment(1396.0, 1409.0, 552.0, 1.0)]
    vs += [Segment(a0, 1409.0, x, 5.0) for x, a0 in ((444.0, 1373.0), (482.0, 1376.0), (556.0, 1372.0), (586.0, 1372.0), (632.0, 1370.0))]
    found = tick_combs([base], vs, np.zeros((1500, 800), np.uint8), lambda inches: inches * 150, LayoutConfig())
    assert len(found) == 1 and len(found[0].cells) == 7, [f.rect for f in found]
    assert np.allclose([c.x for c in found[0].cells], [391 + 35.9 * k for k in range(7)], atol=3)


def test_dots_sitting_on_a_tick_combs_line_are_no_ticks():
    """A 4-cell tick comb on a dithered fax (fax 1644 p10, 200 dpi laid out at 150; the pieces
    as the line finder gave them): two of the paper's dots sat on the line between the first
    three ticks and, with it, passed for two ticks. The grid of the median gap came out at
    two-thirds of the step and uneven, no other was tried, and the four digits were read as
    free handwriting. Where no grid fits, pieces rising above the line less than half as
    far as most are left out."""
    from formreader.layout import LayoutConfig
    from formreader.layout.model import Segment
    from formreader.layout.ticks import tick_combs

    base = Segment(390.0, 585.0, 1006.0, 4.0)
    vs = [Segment(a0, 1008.0, x, 4.0) for x, a0 in ((391.0, 988.0), (439.0, 988.0), (486.0, 984.0), (534.0, 988.0), (582.0, 989.0))]
    vs += [Segment(998.0, 1009.0, 416.0, 1.0), Segment(999.0, 1008.0, 472.0, 3.0)]  # the dots on the line
    vs += [Segment(986.0, 1008.0, 514.0, 2.0)]  # a 0's foot on the line
    binary = np.zeros((1100, 800), np.uint8)
    binary[1004:1009, 390:586] = 255  # the line
    cv2.ellipse(binary, (518, 983), (14, 20), 0, 0, 360, 255, 4)  # the 0 standing on it
    binary[998:1004, 416] = binary[999:1004, 471:474] = 255  # the dots
    found = tick_combs([base], vs, binary, lambda inches: inches * 150, LayoutConfig())
    assert len(found) == 1 and [round(c.x) for c in found[0].cells] == [391, 439, 486, 534], [f.rect for f in found]


def test_a_tick_comb_runs_on_along_its_row_where_its_dotted_line_broke_into_pieces():
    """A light grey 8-cell tick comb at 300 dpi (letters family, seed 1051, laid out at 150)
    whose line the scan left dotted: its pieces lay 25 px apart, further than a faint line's
    gaps, and only the right half's piece was long enough for a baseline, so its left half's
    digits 1, 3, 6 and 8 were read as free handwriting. Every tick of the left half rises at
    the comb's step: the comb runs on cell by cell while a tick stands at the next place and
    pieces of its line run along a third of the cell. No tick at the step, no cell more."""
    from formreader.layout import LayoutConfig
    from formreader.layout.model import Segment
    from formreader.layout.ticks import tick_combs

    row = [Segment(391.0, 410.0, 838.5, 1.0), Segment(435.0, 491.0, 838.5, 1.0), Segment(516.0, 592.0, 838.5, 1.0)]
    base = Segment(617.0, 772.0, 838.5, 1.0)
    places = [390.5 + 47.5 * k for k in range(9)]
    vs = [Segment(815.0, 839.0, x, 1.0) for x in places]
    px, config = (lambda inches: inches * 150), LayoutConfig()
    found = tick_combs([base, *row], vs, np.zeros((1000, 900), np.uint8), px, config)
    assert len(found) == 1 and np.allclose([c.x for c in found[0].cells], places[:-1], atol=1), [f.rect for f in found]
    found = tick_combs([base, *row], vs[:3] + vs[4:], np.zeros((1000, 900), np.uint8), px, config)
    assert len(found) == 1 and np.allclose([c.x for c in found[0].cells], places[4:-1], atol=1), [f.rect for f in found]
    found = tick_combs([base], vs, np.zeros((1000, 900), np.uint8), px, config)  # no line beyond the base: as before
    assert len(found) == 1 and np.allclose([c.x for c in found[0].cells], places[4:-1], atol=1), [f.rect for f in found]


def test_ticks_fused_with_bold_digits_beside_them_are_seen_standing_on_the_line():
    """A 7-cell tick comb (200 dpi, laid out at 150; formgen's pages, seeds 71 and 81) whose
    bold digits run into every other tick: in the line mask each such tick and its digit are
    one blob, no line, so only the ticks two cells apart were seen, the grid fitted to them
    left the line's last cell over, and the comb was read as free handwriting (five digits
    lost, two misread). Just above the line each tick stands alone, a line's width of ink
    rising from it: found there, the comb is whole. A digit's stroke as wide does not pass:
    it rises far higher than the ticks."""
    from formreader.layout import LayoutConfig
    from formreader.layout.model import Segment
    from formreader.layout.ticks import tick_combs

    base = Segment(389.0, 694.0, 1131.0, 4.0)
    places = [391.5 + 42.75 * k for k in range(8)]
    binary = np.zeros((1300, 800), np.uint8)
    binary[1129:1134, 389:694] = 1
    for k, x in enumerate(places):
        binary[1110:1129, round(x) - 2 : round(x) + 3] = 1
        if k % 2:
            binary[1096:1117, round(x) - 16 : round(x) - 1] = 1  # a bold digit's tail run into the tick's top
    binary[1060:1129, 621:625] = 1  # a thin digit's stem standing on the line, off the grid
    vs = [Segment(1109.0, 1133.0, x, 5.0) for x in places[::2]] + [Segment(1060.0, 1133.0, 623.0, 4.0)]
    px, config = (lambda inches: inches * 150), LayoutConfig()
    assert tick_combs([base], vs, binary * 0, px, config) == []  # the fused ticks unseen: refused
    found = tick_combs([base], vs, binary, px, config)
    assert len(found) == 1 and np.allclose([c.x for c in found[0].cells], places[:-1], atol=1), [f.rect for f in found]


def test_a_faint_tick_comb_whose_line_broke_off_before_its_end_ticks():
    """A tick comb drawn in a light grey hairline at 300 dpi (formgen, seed 101), laid out
    at 150: the line's ends broke off half a cell short of its end ticks, and a comb's line
    ends at its end ticks, so it was refused and its digits read as free handwriting (three
    lost, a blank lost). The line runs on to the nearest tick beyond each end, a box away at
    most, that rises from its row."""
    from formreader.layout import LayoutConfig
    from formreader.layout.model import Segment
    from formreader.layout.ticks import tick_combs

    base = Segment(410.0, 604.0, 668.5, 1.0)
    places = [390.5 + 45.0 * k for k in range(6)]
    vs = [Segment(647.0, 669.0, x, 1.0) for x in places]
    found = tick_combs([base], vs, np.zeros((800, 800), np.uint8), lambda inches: inches * 150, LayoutConfig())
    assert len(found) == 1 and np.allclose([c.x for c in found[0].cells], places[:-1], atol=1), [f.rect for f in found]


def test_the_steps_of_a_turned_double_line_are_no_ticks():
    """A signature box drawn with double lines, turned 3 degrees (200 dpi, laid out at 150;
    formgen's variant pages, seed 61): straightened by nearest pixels, its bottom line's two
    lines step a row every so often, and each step is a piece of vertical ink as tall as the
    line, about evenly spaced. Taken for ticks, the box was read as a tick comb of seven
    cells, its signature as six digits. A tick rises above the line; those pieces do not."""
    from formreader.layout import LayoutConfig
    from formreader.layout.model import Segment
    from formreader.layout.ticks import tick_combs

    base = Segment(386.0, 878.0, 954.0, 6.0)
    steps = [Segment(949.0, 959.0, x, 2.0) for x in (449.0, 519.0, 586.0, 654.0, 724.0, 864.0)]
    px, config = (lambda inches: inches * 150), LayoutConfig()
    assert tick_combs([base], steps, np.zeros((1100, 1000), np.uint8), px, config) == []
    ticks = [Segment(935.0, 959.0, v.c, 2.0) for v in steps]  # the same, rising 16 px above the line: a tick comb
    assert len(tick_combs([base], ticks, np.zeros((1100, 1000), np.uint8), px, config)) == 1


def test_a_row_of_boxes_whose_lines_are_too_faint_grows_by_their_sides():
    """Five separate boxes drawn in light grey 1 px lines at 300 dpi, a little turned (formgen,
    seed 91), laid out at 150 dpi: their sides are found, their tops and bottoms, broken into
    specks, are not, so only the two boxes whose lines held were read and three digits were
    lost. A box of the found one's size beside it, whose two sides stand from its top to its
    bottom as far apart as it is wide, is a box; the gap between two boxes, a box wide (a
    date's printed slash in it), is none: its sides are theirs."""
    from formreader.layout import LayoutConfig
    from formreader.layout.faint_boxes import rest_of_row
    from formreader.layout.model import Field, Rect, Segment

    found = [Field("boxes", [Rect(454.75, 1016.5, 43.0, 43.0)], 1.0)]
    sides = [Segment(1015.5, 1060.0, x, 1.0) for x in (454.5, 497.5, 517.5, 560.5, 581.5, 624.5, 644.5, 687.5)]
    strokes = [Segment(1015.0, 1047.0, 484.5, 5.0), Segment(1015.0, 1041.0, 546.0, 2.0), Segment(1022.0, 1050.0, 598.0, 2.0)]
    grown = rest_of_row(found, [], [], sides + strokes, LayoutConfig())
    assert sorted(f.cells[0].x for f in grown) == [517.5, 581.5, 644.5]
    # a date: two boxes found, a box's width apart (their sides found a pixel off their edges):
    # their facing sides close no box between them
    date = [Field("boxes", [Rect(x, 1016.5, 43.0, 43.0)], 1.0) for x in (454.5, 542.5)]
    assert rest_of_row(date, [], [], [Segment(1015.5, 1060.0, x, 1.0) for x in (454.5, 498.5, 542.5, 585.5)], LayoutConfig()) == []


@pytest.mark.parametrize("down", [0.6, 0.65])
def test_a_digits_foot_against_both_sides_low_in_its_box(down):
    """A row of eight boxes (150 dpi); in the last a bold 3 whose foot runs from side to
    side 0.6-0.65 of the way down, its strokes from the top line to the foot: top line and
    foot end together, two strokes stop on it, and it closed a box a third too short (third
    1453 p16: the 3 read as two flagged marks of free handwriting). The sides run on past
    the foot, 0.6-0.7 of that short band's height, to the box's bottom line: the box is
    found whole."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x, y, w, h, gap, n = 376, 1100, 43, 52, 10, 8
    for i in range(n):
        cv2.rectangle(page, (x + i * (w + gap), y), (x + i * (w + gap) + w, y + h), 0, 3)
    x0 = x + (n - 1) * (w + gap)
    foot = y + round(down * h)
    cv2.ellipse(page, (x0 + 22, y + 16), (12, 9), 0, 200, 450, 0, 5)  # a 3's upper bowl
    cv2.ellipse(page, (x0 + 22, foot - 10), (14, 10), 0, 270, 450, 0, 5)  # its lower bowl, down to
    cv2.line(page, (x0, foot), (x0 + w, foot), 0, 4)  # its foot, from side to side
    for dx in (18, 28):  # and its strokes, top to foot
        cv2.line(page, (x0 + dx, y + 4), (x0 + dx + 2, foot), 0, 4)
    cv2.line(page, (150, 500), (1100, 500), 0, 2)
    layout = find_layout(page, 150)
    cells = sorted((c for f in layout.fields if f.kind in ("boxes", "comb") for c in f.cells), key=lambda c: c.x)
    assert len(cells) == n and all(abs(c.h - h) <= 4 for c in cells), [(f.kind, f.cells) for f in layout.fields]


def test_a_dithered_row_whose_parts_hold_no_single_box_is_cut_at_the_rows_step():
    """Eight rounded boxes of a dithered fax (fax 1394 p0, 150 dpi, 32 px tall between
    their lines): paper was seen in two of their seven gaps only, so the row came in parts
    of four, two and two boxes, digits' strokes among their sides. With no part a single
    box, the first part was cut as a comb at a third less than the boxes' step, and a
    blank box's side read as a sure 1. The box width that makes every part a whole number
    of boxes, with the gaps between parts, cuts each part into its boxes; a width of two
    boxes is no box's proportion."""
    from formreader.layout.boxes import row_boxes_in_part

    parts = [np.array(p, float) for p in ([390, 423, 434, 465, 476, 488, 506, 517, 546], [559, 575, 589, 600, 630], [642, 658, 672, 682, 693, 716])]
    boxes = row_boxes_in_part(parts[0], parts, 5.5, 32.0)
    assert boxes == [(390.0, 423.0), (434.0, 465.0), (476.0, 506.0), (517.0, 546.0)], boxes
    assert row_boxes_in_part(parts[1], parts, 5.5, 32.0) == [(559.0, 589.0), (600.0, 630.0)]
    # parts of no whole number of boxes at any width of box proportions: not cut so
    odd = [parts[0], np.array([559.0, 575.0, 589.0, 612.0]), parts[2]]
    assert row_boxes_in_part(parts[0], odd, 5.5, 32.0) == []


def test_a_digits_bold_foot_above_its_boxs_bottom_is_no_line_of_the_row():
    """A date's separate boxes (turned 1485 p14, set upright, laid out at 150 dpi): the box
    after 9 holds a bold 0 against its sides, so no line finder closed it; its free lines
    are its top and bottom, and the 0's flat foot, 6 px thick, 7 px above the bottom, level
    with the row within its thickness. Grown from the foot, with the 0's strokes for sides,
    the box stood a third of a box aside and the 0, cut in two, read as a 6. The box's own
    bottom, nearer the row's level along the same stretch, is the line it grows from."""
    from formreader.layout import LayoutConfig
    from formreader.layout.faint_boxes import rest_of_row
    from formreader.layout.model import Field, Rect, Segment

    found = [Field("boxes", [Rect(x, 1480.0, 35.75, 45.5)], 3.5) for x in (521.0, 649.25)]
    foot, top, bottom = Segment(573.0, 601.0, 1519.0, 6.0), Segment(573.0, 611.0, 1480.0, 4.0), Segment(574.0, 611.0, 1525.5, 3.0)
    lines = [Segment(519.0, 548.0, 1502.5, 5.0), foot, Segment(573.0, 612.0, 1496.5, 3.0), top, bottom]
    pieces = lines + [Segment(520.0, 558.0, 1480.0, 4.0), Segment(521.0, 558.0, 1525.5, 3.0), Segment(594.0, 612.0, 1513.5, 1.0),
                      Segment(649.0, 686.0, 1525.5, 3.0), Segment(649.0, 686.0, 1480.0, 4.0)]
    vs = [Segment(1478.0, 1528.0, 591.0, 5.0), Segment(1478.0, 1518.0, 543.0, 6.0), Segment(1478.0, 1528.0, 521.0, 4.0),
          Segment(1479.0, 1527.0, 684.0, 4.0), Segment(1479.0, 1527.0, 649.5, 3.0), Segment(1479.0, 1527.0, 555.5, 3.0),
          Segment(1488.0, 1507.0, 530.5, 5.0), Segment(1493.0, 1503.0, 630.5, 1.0)]
    grown = [f.cells[0] for f in rest_of_row(found, lines, pieces, vs, LayoutConfig())]
    assert len(grown) == 1 and abs(grown[0].x - 573.0) <= 2 and grown[0].y == 1480.0, grown


def test_a_row_of_faded_boxes_grows_over_sides_broken_into_dots():
    """Seven boxes of a faded scan (ink at 180 of 255, 300 dpi, read at 150): their lines
    broke into dots. The first two went unfound and their digits were read as free
    handwriting: the second box's right side stopped 6 px short of its bottom, the first's
    left side broke in two. A side whose pieces in one column run along 85% of the box's
    height stands as well as one whole (these are the pieces the layout found there)."""
    from formreader.layout import LayoutConfig
    from formreader.layout.faint_boxes import rest_of_row
    from formreader.layout.model import Field, Rect, Segment

    found = [Field("boxes", [Rect(x, 814.0, 54.0, 53.0)], 1.0) for x in (532.0, 603.0)]
    sides = [Segment(814.0, 868.0, 461.5, 1.0), Segment(815.0, 861.0, 513.5, 1.0), Segment(818.0, 864.0, 443.0, 2.0),
             Segment(814.0, 840.0, 390.5, 1.0), Segment(845.0, 867.0, 390.5, 1.0)]
    strokes = [Segment(821.0, 855.0, 488.5, 3.0), Segment(824.0, 857.0, 405.0, 4.0)]  # a 7's and a 4's
    grown = rest_of_row(found, [], [], sides + strokes, LayoutConfig())
    assert sorted(f.cells[0].x for f in grown) == [390.5, 461.5]
    # a digit's strokes in one column (a 1 broken where the pen skipped) are no side: the
    # pieces must run along 85% of the box's height
    assert rest_of_row(found, [], [], [Segment(814.0, 868.0, 461.5, 1.0), Segment(820.0, 845.0, 513.5, 1.0),
                                       Segment(850.0, 860.0, 513.5, 1.0)], LayoutConfig()) == []


def test_a_row_of_light_rounded_boxes_grows_by_sides_stopped_short_at_the_corners():
    """Light grey boxes with well-rounded corners (300 dpi, read at 150), the row's 7th and
    8th not found by their lines: both lines of the 7th broke off at both ends (a 4
    written across the top's corner), those of the 8th to a third of a box. The 7th was
    grown half a box off from its bottom line's start, over the gap, and the 8th, whose
    sides stop 8-10 px short of its top and bottom, not at all: its 1 was read nowhere. A
    side at each edge places a cell that a line broken at both ends does not; two sides
    stopped short alike at rounded corners close a box. (The lines and sides found there.)"""
    from formreader.layout import LayoutConfig
    from formreader.layout.faint_boxes import rest_of_row
    from formreader.layout.model import Field, Rect, Segment

    found = [Field("boxes", [Rect(x, 980.0, 58.0, 59.0)], 1.0) for x in (748.0, 962.0)]
    lines = [Segment(841.0, 872.0, 1039.5, 1.0), Segment(903.0, 921.0, 1039.5, 1.0), Segment(842.0, 874.0, 980.5, 1.0), Segment(901.0, 920.0, 980.5, 1.0)]
    sides = [Segment(988.0, 1032.0, 806.5, 1.0), Segment(988.0, 1029.0, 819.5, 1.0), Segment(987.0, 1034.0, 878.5, 1.0),
             Segment(988.0, 1030.0, 891.5, 1.0), Segment(988.0, 1032.0, 950.5, 1.0), Segment(988.0, 1032.0, 962.5, 1.0)]
    strokes = [Segment(992.0, 1030.0, 856.5, 3.0), Segment(993.0, 1027.0, 924.0, 6.0), Segment(999.0, 1015.0, 846.0, 6.0)]  # the 4, the 1
    grown = rest_of_row(found, lines, lines, sides + strokes, LayoutConfig())
    assert sorted(f.cells[0].x for f in grown) == [819.5, 891.5]
    # two strokes stopped short unlike (a 1 and a 7's stem, a box apart) close no box
    assert rest_of_row(found[:1], [], [], [Segment(988.0, 1026.0, 819.5, 3.0), Segment(993.0, 1036.0, 878.5, 3.0)], LayoutConfig()) == []


def test_bold_separate_boxes_whose_top_lines_ran_into_one():
    """A row of separate boxes drawn in lines 9 px thick (150 dpi; formgen's variant pages,
    seed 81), so close that the top lines of three ran into one while their bottoms stayed
    apart. A top line with its band found never looked at the other bottoms as high, so one
    box was found per long line, fewer than the two a joined line needs: eight of ten boxes
    were lost. Every bottom under it is a box; a 1 from line to line in one, thinner than
    a bold box's sides, is no side."""
    from formreader.layout import LayoutConfig
    from formreader.layout.model import Segment
    from formreader.layout.page import bold_bands

    top = Segment(386.0, 590.0, 1539.0, 8.0)
    bottoms = [Segment(a, a + 65.0, 1594.5, 9.0) for a in (385.0, 455.0, 525.0)]
    sides = [Segment(1545.0, 1600.0, x, 9.0) for x in (389.0, 445.0, 459.0, 515.0, 529.0, 585.0)]
    one = [Segment(1545.0, 1600.0, 483.0, 2.0), Segment(1545.0, 1600.0, 495.0, 4.0)]  # a 1's two edges
    bands = bold_bands([top, *bottoms], sides + one, [], lambda inches: inches * 150, LayoutConfig(), mode="joined")
    assert [(b.a0, len(xs)) for _, b, xs, _ in bands] == [(385.0, 2), (455.0, 2), (525.0, 2)], bands


@pytest.mark.parametrize("angle", [1.5, 2.0, 3.0])
def test_a_turned_fax_of_hairline_boxes(angle):
    """A 300 dpi page of six boxes drawn with 1 px lines, turned and made bitonal (a fax):
    each line is a stair of pure black steps, which the layout's shrinking to 150 dpi
    breaks apart (a grey scan's steps overlap in grey). Softened first, the lines are
    found and so are the boxes (none was found at 2 degrees). Bold lines are not softened
    (the NIST pages, bitonal too, read as before)."""
    import cv2

    page = np.full((3300, 2550), 255, np.uint8)
    for k in range(6):
        cv2.rectangle(page, (600 + k * 150, 1000), (710 + k * 150, 1110), 0, 1)
    cv2.line(page, (300, 600), (2200, 600), 0, 1)
    for x in (640, 790, 940):  # three 1s
        cv2.line(page, (x + 8, 1020), (x, 1090), 0, 7)
    page = cv2.warpAffine(page, cv2.getRotationMatrix2D((1275, 1650), angle, 1.0), (2550, 3300), borderValue=255)
    fax = cv2.threshold(page, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]
    fields = [f for f in find_layout(fax, 300).fields if f.kind != "free"]
    assert [(f.kind, len(f.cells)) for f in fields] == [("boxes", 6)], [(f.kind, f.rect) for f in fields]


def test_small_boxes_whose_neighbouring_sides_blurred_into_one_bar():
    """Six boxes a quarter inch tall at 150 dpi, 4 px apart, the page blurred (a soft
    scan): each pair of neighbouring sides runs together with the gap into one bar too
    thick for a box line, and pairs of boxes stand a little higher or lower. Such a bar
    still parts two boxes (no box was found: what was left read as one string box, or
    nothing). A bold digit's stroke is thinner than such a bar."""
    import cv2

    page = np.full((1650, 1275), 235, np.uint8)
    x, y, side, gap = 400, 700, 38, 4
    for i in range(6):
        x0 = x + i * (side + gap)
        y0 = y + (5 if (i // 2) % 2 else 0)
        cv2.rectangle(page, (x0, y0), (x0 + side, y0 + side), 60, 4)
    cv2.line(page, (100, 300), (1100, 300), 60, 2)
    for i in (0, 3):  # 1s in two boxes
        cv2.line(page, (x + i * (side + gap) + 20, y + 13), (x + i * (side + gap) + 16, y + 29), 20, 3)
    page = cv2.GaussianBlur(page, (5, 5), 1.5)
    cells = [c for f in find_layout(page, 150).fields for c in f.cells]
    assert np.allclose(sorted(c.x + c.w / 2 for c in cells), [x + i * (side + gap) + side / 2 for i in range(6)], atol=4), cells


@pytest.mark.parametrize("angle", [1.0, 2.5, 3.5])
def test_a_turned_150_dpi_fax_of_hairline_boxes(angle):
    """Eight rows of eight boxes drawn with crisp 1 px lines on a page turned a little, at
    150 dpi (a fax): each line is a stair of flat steps, so the skew was not seen in them,
    and deskewed by nearest pixels the steps broke apart: 6 to 36 of the 64 boxes were
    found. Softened first, every box is."""
    import math

    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))

    def turned(x, y):
        return int(round(637 + (x - 637) * c - (y - 825) * s)), int(round(825 + (x - 637) * s + (y - 825) * c))

    for row in range(8):
        for k in range(8):
            x0, y0 = 300 + k * 75, 300 + row * 120
            corners = [turned(x0, y0), turned(x0 + 55, y0), turned(x0 + 55, y0 + 55), turned(x0, y0 + 55)]
            cv2.polylines(page, [np.array(corners)], True, 0, 1, cv2.LINE_8)
    layout = find_layout(page, 150)
    assert sum(len(f.cells) for f in layout.fields if f.kind in ("boxes", "comb")) == 64, [(f.kind, len(f.cells)) for f in layout.fields]


@pytest.mark.parametrize("angle", [1.0, 2.25, 3.5])
def test_the_skew_of_a_fax_whose_lines_broke_into_dots(angle):
    """Six rows of eight boxes at 150 dpi whose 2 px lines broke into dashes (a grey line
    at Otsu's level: gaps of 3-5 px every 10-20 px), the page turned and made bitonal: no
    piece is long enough to measure the skew on, even softened, so the page was read
    unturned (33-35 of 48 boxes found). The turn whose rows line the ink up best (the
    projection profile) is its skew, and every box is found."""
    import cv2

    rng = np.random.default_rng(0)
    page = np.full((1650, 1275), 255, np.uint8)
    for row in range(6):
        for k in range(8):
            cv2.rectangle(page, (300 + k * 75, 300 + row * 150), (355 + k * 75, 355 + row * 150), 0, 2)
        for y in (300 + row * 150, 355 + row * 150):
            x = 290
            while x < 900:
                x += int(rng.integers(10, 20))
                page[y - 1 : y + 2, x : x + int(rng.integers(3, 6))] = 255
    page = cv2.warpAffine(page, cv2.getRotationMatrix2D((637, 825), angle, 1.0), (1275, 1650), flags=cv2.INTER_NEAREST, borderValue=255)
    layout = find_layout(page, 150)
    assert abs(layout.angle + angle) <= 0.15, layout.angle
    assert sum(len(f.cells) for f in layout.fields if f.kind in ("boxes", "comb")) == 48, [(f.kind, len(f.cells)) for f in layout.fields]


def test_boxes_a_fifth_apart_whose_lines_ran_together_in_pairs():
    """A row of separate boxes a fifth of a box apart (200 dpi, read at 150), where the
    scan ran the top lines of two boxes together across their gap, and the bottom lines
    of two others. At 150 dpi every gap closes up in the line masks: one band, whose
    sides close together are merged into one divider unless paper stands between them.
    Paper was asked of both lines, so the gaps where one line ran on were merged, and
    the cells reached into the gaps and took the next box's side. A gap clear across one
    line is a gap too: each box is found as drawn. (Turned 2.7 degrees, the gaps blur in
    the deskewed lines and those boxes still take in their gaps.)"""
    import cv2

    page = np.full((500, 900), 240, np.uint8)
    xs = [100 + 61 * k for k in range(6)]
    for x in xs:
        cv2.rectangle(page, (x, 200), (x + 50, 259), 50, 3)
    cv2.line(page, (xs[1], 200), (xs[2] + 50, 200), 50, 3)  # tops of boxes 2 and 3 run together
    cv2.line(page, (xs[2], 259), (xs[3] + 50, 259), 50, 3)  # bottoms of boxes 3 and 4
    cv2.line(page, (xs[4], 259), (xs[5] + 50, 259), 50, 3)  # bottoms of boxes 5 and 6
    layout = find_layout(page, 200)
    cells = sorted((c for f in layout.fields for c in f.cells), key=lambda c: c.x)
    assert len(cells) == 6 and all(45 <= c.w <= 56 for c in cells), [(round(c.x), round(c.w)) for c in cells]


@pytest.mark.parametrize("blanks", [1, 2, 3])
def test_a_bold_comb_of_hairline_dividers_with_a_1_in_most_cells(blanks):
    """A comb of eight cells on a 150 dpi page (a third page maker's design): a frame 6 px
    thick, dividers 1 px, an upright 1 nearly from line to line in the middle of each cell
    but the first few (blank). The 1s pass for dividers, so the grid of half the step fitted
    best (16 cells half a box wide). At the 1s' places ink does not run from line to line,
    as it does at a divider: the comb is read at its step."""
    import cv2

    page = np.full((1650, 1275), 250, np.uint8)
    x, y, step, height = 300, 600, 45, 48
    cv2.rectangle(page, (x, y), (x + 8 * step, y + height), 0, 6)
    for i in range(1, 8):
        cv2.line(page, (x + i * step, y), (x + i * step, y + height), 0, 1)
    for i in range(blanks, 8):
        middle = x + i * step + step // 2
        cv2.line(page, (middle + 1, y + 9), (middle, y + height - 7), 0, 2)
    fields = [f for f in find_layout(page, 150).fields if f.kind == "comb"]
    assert len(fields) == 1 and len(fields[0].cells) == 8, [(f.kind, len(f.cells)) for f in find_layout(page, 150).fields]


def test_a_bold_comb_whose_digits_strokes_run_along_its_lines():
    """A comb of eight cells on a 150 dpi page (the third page maker's design): a frame 5 px
    thick, dividers 1 px, and in four cells digits' flat strokes (a 5's and a 3's tops, a
    2's foot) a few pixels inside the top or the bottom line. Those strokes passed for the
    inner lines of a double-lined box, too little room inside for a digit: the comb was
    taken for a checkbox (here its lines were then read as a tick comb's; on the third
    maker's page of seed 444 it was lost). A double line's other line runs along half the
    line or more; a digit's stroke does not."""
    import cv2

    page = np.full((1650, 1275), 250, np.uint8)
    x, y, step, height = 300, 600, 35, 35
    cv2.rectangle(page, (x, y), (x + 8 * step, y + height), 0, 4)
    for i in range(1, 8):
        cv2.line(page, (x + i * step, y), (x + i * step, y + height), 0, 1)
    for i, top in [(0, True), (4, True), (5, False), (7, True)]:
        row = y + 7 if top else y + height - 7
        cv2.line(page, (x + i * step + 6, row), (x + i * step + step - 8, row), 0, 3)
        cv2.line(page, (x + i * step + step // 2, y + 8), (x + i * step + step // 2 - 3, y + height - 9), 0, 2)
    fields = [f for f in find_layout(page, 150).fields if f.kind == "comb"]
    assert len(fields) == 1 and len(fields[0].cells) == 8, [(f.kind, len(f.cells)) for f in find_layout(page, 150).fields]


def test_a_bold_combs_dividers_among_digits_strokes_at_a_third_of_its_cells():
    """A bold comb of six cells with hairline dividers (300 dpi, 32 px tall at the layout's
    150 dpi): a 2's, a 6's and a 1's upright strokes stand between dividers, so the median
    gap is half the step, and dropping the strokes that cut a cell too narrow, left to right,
    dropped the first divider in the 2's place: read as four cells a cell and a half wide.
    The grid with a stroke at every place that puts the most on it is the comb's."""
    from formreader.layout.combs import comb_dividers

    dividers = [376.5, 410.0, 445.0, 480.0, 515.0, 549.0, 584.0]
    strokes = [427.0, 497.5, 530.5]
    assert comb_dividers(sorted(dividers + strokes), 32.5) == dividers
    # a comb with every divider seen and no strokes between keeps them all
    assert comb_dividers(dividers, 32.5) == dividers


def test_a_grid_on_every_side_seen_beats_one_that_invents_dividers():
    """Separate boxes 3 px apart at 150 dpi, photographed at a slant (measured on slant 1319
    p0, a band 33 px tall): their sides ran together into one bar each, and bold digits
    touching both lines stood between them (606.5, 658, 668.5, 680). The likeliest grid had
    seven cells through three of the strokes and put three dividers where nothing was seen:
    boxes straddled the sides, one read as a sure 1. The six-cell grid with a side or stroke
    at every place is the row's."""
    from formreader.layout.combs import comb_dividers

    sides = [483.5, 517.5, 555.2, 592.0, 629.0, 668.5, 701.2]
    found = comb_dividers([483.5, 517.5, 555.2, 592.0, 606.5, 629.0, 658.0, 668.5, 680.0, 701.2], 32.9)
    assert found == sides, found


def test_a_thin_line_that_steps_a_row_for_less_than_the_kernel_is_one_line():
    """A faint comb's 1 px bottom line, deskewed by nearest pixels, steps a row down for 16 px
    and back (150 dpi): the step, shorter than the line mask's 18 px kernel, was lost, the
    line came in two pieces 16 px apart, and the cell over the gap, its bottom line covering
    79.5% of it where 80% is asked, went unfound. Ink runs unbroken across the gap a row
    off: one line. Two lines with paper between them (boxes a little apart) stay two."""
    from formreader.layout.lines import bridge_jogs, line_mask, line_segments

    binary = np.zeros((60, 300), np.uint8)
    binary[30, 20:120] = binary[30, 136:280] = 255
    binary[31, 120:136] = 255  # the step, a row down
    pieces = line_segments(line_mask(binary, (18, 1)), True, 6.0, 15)
    assert len(pieces) == 2  # the step is lost from the mask
    joined = bridge_jogs(pieces, binary, 18)
    first, last = sorted(pieces, key=lambda s: s.a0)
    assert [(s.a0, s.a1) for s in joined] == [(first.a0, last.a1)] and last.a1 - first.a0 >= 255
    binary[31, 120:136] = 0  # paper between them
    assert len(bridge_jogs(pieces, binary, 18)) == 2


@pytest.mark.parametrize("turn", [0.0, 1.5])
def test_a_bold_comb_of_thin_dividers_full_of_tall_bold_digits(turn):
    """A comb of ten cells with a bold frame and thin dividers (a third page maker's design,
    300 dpi), each cell holding a bold digit as tall as the cell: upright strokes from line
    to line, one or two a cell, 17 strokes in all. No grid of the strokes seen was the
    comb's: it was read as nine cells of any width, digits cut across two. Only at the
    dividers does a thin line run from line to line at every place of an even grid."""
    import cv2

    page = np.full((1400, 2000), 250, np.uint8)
    x, y, step, height = 500, 600, 69, 67
    cv2.rectangle(page, (x, y), (x + 10 * step, y + height), 0, 13)
    for i in range(1, 10):
        cv2.line(page, (x + i * step, y), (x + i * step, y + height), 0, 4)
    for i, strokes in enumerate([(0.3,), (0.25, 0.7), (0.5,), (0.35, 0.75), (0.6,), (0.3, 0.7), (0.45,), (0.25, 0.65), (0.55,), (0.3, 0.72)]):
        for at in strokes:
            cx = x + i * step + int(at * step)
            cv2.line(page, (cx, y + 4), (cx + 2, y + height - 4), 0, 8)
    page = cv2.warpAffine(page, cv2.getRotationMatrix2D((1000, 700), turn, 1.0), (2000, 1400), borderValue=250)
    fields = [f for f in find_layout(page, 300).fields if f.kind == "comb"]
    assert len(fields) == 1 and len(fields[0].cells) == 10, [(f.kind, [round(c.w) for c in f.cells]) for f in find_layout(page, 300).fields]
    assert all(60 <= c.w <= 78 for c in fields[0].cells), [round(c.w) for c in fields[0].cells]


@pytest.mark.parametrize("gap", [5, 7])
def test_two_boxes_whose_sides_ran_into_one_bar_in_a_row_of_boxes(gap):
    """A row of separate boxes (200 dpi), the last two a few pixels apart with the gap dark (a
    tint's sliver between them, blurred): their sides and the gap make one bar 7-8 px thick
    at the layout's 150 dpi, thicker than a box line and thinner than two sides run together,
    so it was no side, the two were one string box and the bar was read as 1s. A string box
    as wide as two of the row's boxes, with a straight bar from line to line where they
    would part, is two boxes."""
    import cv2

    page = np.full((800, 1200), 250, np.uint8)
    xs = [100, 166, 232, 298, 364, 364 + 46 + gap]
    for x in xs:
        cv2.rectangle(page, (x, 400), (x + 46, 446), 0, 2)
    page[400:447, 411 : xs[-1]] = 90  # the gap between the last two, dark
    cv2.line(page, (320, 408), (325, 438), 0, 4)  # a digit in one of them
    fields = find_layout(page, 200).fields
    cells = [c for f in fields for c in f.cells]
    assert [f.kind for f in fields] == ["boxes"] and len(cells) == 6 and all(44 <= c.w <= 54 for c in cells), \
        [(f.kind, [round(c.w) for c in f.cells]) for f in fields]


def test_two_boxes_sides_run_together_may_stand_out_past_a_line_by_half_its_thickness():
    """The line pieces of two boxes 5 px apart in a dithered fax's tint (fax 1604 p18, 150
    dpi): their near sides and the gap made a bar 8 px thick that stood 3 px above the top
    line's top (the outline drawn round the white, blurred with the dots), and was taken
    for no bar through the lines: the two boxes were one cell too wide for a box, and
    their 9 and 4 were lost without a word. Half the line's thickness and a pixel more is
    still the line's edge; a stroke crossing the line runs on further."""
    from formreader.layout.model import Segment
    from formreader.layout.page import through_lines

    hs = [Segment(472, 549, 347.0, 4.0), Segment(473, 549, 389.0, 4.0)]
    assert through_lines(Segment(342, 391, 510.0, 8.0), hs, 1.6)
    assert not through_lines(Segment(338, 391, 510.0, 8.0), hs, 1.6)  # crossing the line
    assert not through_lines(Segment(342, 391, 510.0, 5.0), hs, 1.6)  # no thicker than a side


def test_a_comb_read_at_twice_its_step_is_read_at_its_step_where_its_dividers_run_through():
    """A bold-framed comb of five cells with thin dividers, a bold 0 against its left side
    (150 dpi, third maker, page turned 2 degrees): the 0's strokes stood in for the left
    side and the grid fitted every other divider, three cells 1.6-1.8 times as wide as
    tall, too wide for a comb's, and the comb was dropped, its digits lost. Cells too wide
    for box proportions are looked at like uneven ones: the even grid out to where the
    lines end has a thin line from line to line at each of its places."""
    from formreader.layout.combs import dividers_line_to_line
    from formreader.layout.model import Segment

    binary = np.zeros((80, 700), np.uint8)
    top, bottom = Segment(374, 572, 20.0, 8.0), Segment(374, 572, 57.0, 8.0)
    binary[16:25, 374:573] = binary[53:62, 374:573] = 255  # the bold lines
    binary[16:62, 374:383] = binary[16:62, 564:573] = 255  # the bold sides
    for x in (414, 452, 491, 529):
        binary[16:62, x : x + 2] = 255  # thin dividers, from line to line
    binary[27:50, 386:390] = binary[27:50, 397:401] = 255  # the 0's strokes
    binary[27:50, 509:511] = 255  # a 1
    grid = dividers_line_to_line([387.0, 452.0, 510.0, 568.0], top, bottom, binary)
    assert len(grid) == 6 and all(abs(g - x) <= 1.5 for g, x in zip(grid[1:-1], (414.5, 452.5, 491.5, 529.5))), grid


def test_a_comb_of_short_dividers_with_one_hidden_under_a_digit_and_a_9_standing_on_its_line():
    """A comb of four cells in a double frame (200 dpi), its dividers rising from the bottom
    line to mid-height: the third is hidden under a 2's stroke run down along it (thicker
    than the line), and a 9's stem stands on the line beside the first. Two dividers seen
    were too few for a comb, and it was read as one string box, digits matched to the wrong
    cells. Two printed alike on the even grid from side to side, with ink rising from the
    line as high as they do at the grid's other place, make the comb."""
    import cv2

    page = np.full((1000, 1400), 250, np.uint8)
    x, y, step, h = 400, 400, 75, 76
    cv2.rectangle(page, (x, y), (x + 4 * step, y + h), 40, 2)
    cv2.rectangle(page, (x - 6, y - 6), (x + 4 * step + 6, y + h + 6), 40, 2)  # the outer line of a double frame
    for i in (1, 2, 3):
        cv2.line(page, (x + i * step, y + h // 2), (x + i * step, y + h + 6), 40, 2)
    cv2.circle(page, (x + step + 38, y + 25), 12, 0, 4)  # a 9
    cv2.line(page, (x + step + 50, y + 25), (x + step + 44, y + 66), 0, 4)
    cv2.ellipse(page, (x + 3 * step + 35, y + 28), (16, 14), 0, 180, 360, 0, 4)  # a 2
    cv2.line(page, (x + 3 * step + 51, y + 28), (x + 3 * step + 3, y + 45), 0, 4)
    cv2.line(page, (x + 3 * step + 3, y + 45), (x + 3 * step + 2, y + 68), 0, 7)  # down along the divider
    cv2.line(page, (x + 3 * step + 2, y + 68), (x + 3 * step + 55, y + 68), 0, 4)
    fields = find_layout(page, 200).fields
    assert [f.kind for f in fields] == ["comb"] and len(fields[0].cells) == 4, [(f.kind, [round(c.w) for c in f.cells]) for f in fields]
    assert all(68 <= c.w <= 84 for c in fields[0].cells), [round(c.w) for c in fields[0].cells]


def test_a_bold_framed_comb_whose_lines_middles_are_closer_than_a_box():
    """A comb 0.23 in tall drawn with a bold frame (0.045 in, 300 dpi): its lines' middles
    are 0.19 in apart, under the smallest digit box (0.2 in), so it was taken for a
    checkbox's lines and the comb and its digits were lost. Where the lines run two boxes
    long, a box is measured by its outside. A bold digit's loop, as tall, is not so long."""
    import cv2

    page = np.full((1400, 2000), 250, np.uint8)
    x, y, step = 500, 600, 67
    cv2.rectangle(page, (x + 6, y + 6), (x + 8 * step - 6, y + 69 - 6), 0, 13)  # outside 0.23 in tall
    for i in range(1, 8):
        cv2.line(page, (x + i * step, y), (x + i * step, y + 69), 0, 4)
    cv2.ellipse(page, (x + 3 * step + 34, y + 35), (12, 16), 0, 0, 360, 0, 6)  # a 0
    page = cv2.warpAffine(page, cv2.getRotationMatrix2D((1000, 700), -3.5, 1.0), (2000, 1400), borderValue=250)
    fields = [f for f in find_layout(page, 300).fields if f.kind == "comb"]
    assert len(fields) == 1 and len(fields[0].cells) == 8, [(f.kind, [round(c.w) for c in f.cells]) for f in find_layout(page, 300).fields]


def test_a_string_box_as_wide_as_two_of_its_rows_boxes_and_their_gap_is_those_boxes():
    """Red boxes in a pink tint (300 dpi, third maker, read at 150): two of them, a gap
    apart like the rest of the row, were found as one string box, their inner sides read
    as 1s and accepted. The row's boxes say how wide a box and a gap are; where a straight
    line runs from line to line at each side they would have, they are the row's boxes.
    Where no line runs there, a string box stays one."""
    from formreader.layout.box_rows import boxes_in_string
    from formreader.layout.model import Rect

    binary = np.zeros((100, 300), np.uint8)
    row = [Rect(10, 20, 32, 40), Rect(48.5, 20, 32, 40)]
    cell = Rect(87, 20, 70.5, 40)
    binary[19:22, 5:170] = binary[59:62, 5:170] = 255  # the row's lines
    for x in (87, 118, 125, 156):
        binary[19:62, x : x + 2] = 255  # the two boxes' sides
    boxes = boxes_in_string(cell, 2.0, row, binary)
    assert [(round(b.x), round(b.w)) for b in boxes] == [(87, 32), (126, 32)], boxes
    binary[22:59, 118:127] = 0  # no sides between: one string box
    assert boxes_in_string(cell, 2.0, row, binary) == []


def test_a_combs_cells_a_seventh_uneven_get_the_grid_of_its_dividers():
    """A bold-framed comb of seven cells with thin dividers (third maker, 200 dpi read at
    150): a 2's and an L-shaped 1's strokes stood in for two dividers, and it came out as
    six cells 44-59 px wide, within a quarter of their median, so it passed for even, and
    two digits were cut across cells. Cells more than an eighth off their median are
    looked at: the thin lines from line to line lie on an even grid of seven."""
    from formreader.layout.combs import dividers_line_to_line
    from formreader.layout.model import Segment

    binary = np.zeros((80, 700), np.uint8)
    top, bottom = Segment(374, 611, 20.0, 6.0), Segment(374, 611, 54.0, 6.0)
    binary[17:24, 374:612] = binary[51:58, 374:612] = 255
    binary[17:58, 374:380] = binary[17:58, 605:612] = 255  # the bold sides
    dividers = [377 + k * 33.43 for k in range(1, 7)]
    for x in dividers:
        binary[17:58, int(x) : int(x) + 2] = 255
    binary[26:50, 420:423] = binary[48:51, 420:440] = 255  # an L-shaped 1, its stroke short of the lines
    xs = [377.0, 421.0, 456.0, 492.0, 534.0, 576.0, 608.0]  # as the strokes made them: 44, 35, 36, 42, 42, 32
    grid = dividers_line_to_line(xs, top, bottom, binary)
    assert len(grid) == 8 and all(abs(g - x) <= 1.5 for g, x in zip(grid[1:-1], dividers)), grid


def test_a_comb_read_as_two_wide_cells_gets_the_dividers_that_run_through():
    """A hairline comb of four cells (variants, 300 dpi read at 150): two dividers too
    faint for the line mask left two cells 1.66 times as wide as tall, within a comb's
    proportions, so it was read as two cells of two digits each. Cells wider than 1.2
    times their height are looked at: faint as they are, the dividers run from line to
    line on an even grid of four. Two cells as wide with no lines between stay two."""
    from formreader.layout.combs import dividers_line_to_line
    from formreader.layout.model import Segment

    binary = np.zeros((80, 600), np.uint8)
    top, bottom = Segment(390, 558, 12.0, 1.0), Segment(390, 558, 62.0, 1.0)
    binary[12, 390:559] = binary[62, 390:559] = 255
    for x in (391, 432, 474, 515, 557):
        binary[12:63, x] = 255
    grid = dividers_line_to_line([391.0, 474.0, 557.0], top, bottom, binary)
    assert len(grid) == 5 and abs(grid[1] - 432) <= 1.5 and abs(grid[3] - 515) <= 1.5, grid
    binary[13:62, 432] = binary[13:62, 515] = 0
    assert [round(x) for x in dividers_line_to_line([391.0, 474.0, 557.0], top, bottom, binary)] in ([], [391, 474, 557])


def test_a_comb_even_but_for_its_first_cell_keeps_its_dividers():
    """A comb of eight cells drawn in light hairlines (variants, 300 dpi read at 150), its
    first cell narrower (a double frame's end), and every other divider broken at one
    place: counted as uneven by that one cell, it was given the grid of the dividers that
    ran through everywhere, four cells of two digits. One cell off is no uneven comb."""
    from formreader.layout.combs import dividers_line_to_line
    from formreader.layout.model import Segment

    xs = [399.0, 431.5, 471.5, 512.5, 552.5, 593.5, 633.5, 674.5, 717.5]  # 32.5 wide, then about 40
    binary = np.zeros((100, 800), np.uint8)
    top, bottom = Segment(398, 719, 20.0, 1.0), Segment(398, 719, 80.0, 1.0)
    binary[20, 398:720] = binary[80, 398:720] = 255
    for k, x in enumerate(xs):
        binary[20:81, int(x)] = 255
        if k % 2:
            binary[50:53, int(x)] = 0  # broken at one place
    assert dividers_line_to_line(xs, top, bottom, binary) == []


def test_an_even_comb_whose_dividers_stand_where_none_runs_through_is_put_on_its_own():
    """A 4-cell comb with a bold frame and hairline dividers (the third page maker, 300 dpi
    read at 150, seed 1023 page 23): its last divider ran together with a 6's stem in the
    line mask and was seen half way between, on neither; a 3's stroke touching the bottom
    line stood in, and the grid came out even, 5 cells for 4: the 6 was cut at its stem
    and read as a sure 0. Where thin lines run from line to line at some of an even grid's
    dividers and hardly any ink at others, the grid is the one of those lines. A comb whose
    every divider runs through but for a break here and there keeps its own."""
    from formreader.layout.combs import dividers_line_to_line
    from formreader.layout.model import Segment

    binary = np.zeros((60, 560), np.uint8)
    top, bottom = Segment(376, 522, 12.0, 7.0), Segment(376, 521, 46.0, 6.0)
    binary[9:16, 376:522] = binary[43:50, 376:522] = 255
    binary[9:50, 374:381] = binary[9:50, 516:522] = 255  # the frame's ends
    for x in (412, 448, 483):
        binary[9:50, x] = 255  # the hairline dividers
    binary[36:43, 463:467] = binary[22:36, 466] = 255  # a 3's stroke, from the bottom line
    binary[20:40, 488:491] = 255  # the 6's stem beside the last divider
    xs = [377.2, 412.0, 436.4, 465.5, 492.4, 519.0]
    assert [round(x) for x in dividers_line_to_line(xs, top, bottom, binary)] == [377, 412, 448, 483, 519]
    for x in (412, 448, 483):
        binary[30:33, x] = 0  # each broken at one place: hardly a gap
    assert dividers_line_to_line([377.2, 412.0, 448.0, 483.0, 519.0], top, bottom, binary) == []


@pytest.mark.parametrize("gaps, angle, line", [((4, 5), 2.0, 10), ((4, 4), 0.0, 11)])
def test_bold_boxes_a_few_pixels_apart_are_found_by_the_paper_they_enclose(gaps, angle, line):
    """Nine separate boxes drawn with bold lines, 4-5 px apart (150 dpi; a row of double
    boxes whose lines ran together, formgen's variants, seed 161): the line mask's closing
    joined their sides two by two into bars as long as a line, so tops, sides and bottoms
    became one piece with no clean line in it, and all nine boxes were lost (read as free
    handwriting, flagged). Each box still walls in a rectangle of paper (frames.py)."""
    import cv2

    page = np.full((700, 1000), 250, np.uint8)
    x, y = 100, 300
    for k in range(9):
        cv2.rectangle(page, (x + line // 2, y + line // 2), (x + 60 - line // 2, y + 60 - line // 2), 0, line)  # outside 60 x 60
        cv2.ellipse(page, (x + 30, y + 30), (9, 14), 0, 0, 360, 0, 4)  # a 0
        x += 60 + gaps[k % 2]
    page = cv2.warpAffine(page, cv2.getRotationMatrix2D((500, 350), angle, 1.0), (1000, 700), borderValue=250)
    fields = find_layout(page, 150).fields
    assert [(f.kind, len(f.cells)) for f in fields] == [("boxes", 9)], [(f.kind, len(f.cells)) for f in fields]
    assert all(45 <= c.w <= 56 and 45 <= c.h <= 56 for c in fields[0].cells), fields[0].cells  # line middle to line middle


def test_a_bold_printed_o_and_a_thin_lined_table_cell_are_no_bold_frames():
    """What the paper finder must leave alone: a bold letter O's counter (round), and the
    cells of a table drawn in thin lines (no bold walls)."""
    import cv2

    page = np.full((700, 1000), 250, np.uint8)
    cv2.ellipse(page, (200, 200), (40, 50), 0, 0, 360, 0, 12)  # a bold O, 0.6 in tall
    for k in range(5):  # a table's row of cells, 2 px lines
        cv2.rectangle(page, (400 + 70 * k, 300), (470 + 70 * k, 370), 0, 2)
    from formreader.layout.frames import bold_frames
    from formreader.layout import LayoutConfig
    binary = (page < 128).astype(np.uint8) * 255
    assert bold_frames(binary, [], lambda inches: inches * 150, LayoutConfig()) == []


def test_the_boxes_of_a_row_the_line_finders_missed_are_found_by_their_frames():
    """A dithered fax's row of ten light rounded boxes, blurred back to grey: the line
    finders found two, and the digits in the rest, touching their frames, were dropped as
    ticked checkboxes, read by no one (fax 984 p6). Each closed frame of the row's box
    size, level with it and within its gap of one of its boxes, is a box of the row; a
    box of the row found at another size over two frames (the second box's 3 lost, fax
    1094 p18) gives way to them; a checkbox of another size beside the row, and a frame of
    the row's size on another row, are no boxes of it."""
    import cv2

    from formreader.layout import LayoutConfig
    from formreader.layout.frames import frames_in_rows
    from formreader.layout.model import Field, Rect

    page = np.zeros((300, 700), np.uint8)  # (the layout's binary page: ink 255)
    for k in range(10):  # frames of 4 px lines, 40 px from line to line, 56 px apart
        x = 40 + 56 * k
        cv2.rectangle(page, (x, 100), (x + 43, 143), 255, 4)
        cv2.line(page, (x + 22, 104), (x + 18, 130), 255, 3)  # a 1 touching the top line
    cv2.rectangle(page, (40 + 56 * 10 + 10, 110), (40 + 56 * 10 + 34, 134), 255, 3)  # a checkbox, smaller
    cv2.rectangle(page, (40, 200), (83, 243), 255, 4)  # a frame of the size on another row
    found = [Field("boxes", [Rect(40 + 56 * k + 2, 102, 40, 40)], 4.0) for k in (3, 4)]
    misfit = Field("boxes", [Rect(40 + 56 * 6 + 20, 106, 56, 34)], 4.0)  # from box 6's middle to box 7's
    fields = frames_in_rows(page, found + [misfit], LayoutConfig())
    assert misfit not in fields and found[0] in fields and found[1] in fields
    assert sorted(round(f.cells[0].x) for f in fields) == [40 + 56 * k + 2 for k in range(10)]
    assert all(abs(f.cells[0].y - 102) <= 1 and abs(f.cells[0].w - 40) <= 1 for f in fields)
    assert frames_in_rows(page, [], LayoutConfig()) == []  # no row found, nothing to grow


def test_a_box_whose_frame_runs_into_its_neighbours_is_found_by_its_end_of_the_two():
    """Rounded boxes a few pixels apart (the other maker's, 200 dpi read at 150; other 1172
    p4): the seventh box's frame ran into the eighth's, one shape two boxes wide, while the
    4 touching its left side kept the line finder from its box: it was no frame of the
    row's size, and its digit was lost without a word. Each end of a shape two frames wide
    or more is looked at as a frame of the row; a frame found so must still be closed."""
    import cv2

    from formreader.layout import LayoutConfig
    from formreader.layout.frames import frames_in_rows
    from formreader.layout.model import Field, Rect

    page = np.zeros((200, 700), np.uint8)  # (the layout's binary page: ink 255)
    for k in range(8):  # frames of 5 px lines, 36 px from line to line, 44 px apart
        x = 40 + 44 * k
        cv2.rectangle(page, (x, 60), (x + 36, 96), 255, 3)
    cv2.line(page, (40 + 44 * 6 + 36, 64), (40 + 44 * 7, 64), 255, 2)  # the seventh frame runs into the eighth
    cv2.line(page, (40 + 44 * 6 + 4, 70), (40 + 44 * 6 + 20, 90), 255, 3)  # a stroke touching its left side
    found = [Field("boxes", [Rect(40 + 44 * k + 1, 61, 34, 34)], 3.0) for k in (0, 1, 2, 3, 4, 5, 7)]
    fields = frames_in_rows(page, found, LayoutConfig())
    xs = sorted(f.cells[0].x for f in fields)
    assert len(xs) == 8 and all(abs(x - (40 + 44 * k + 1)) <= 1.5 for k, x in enumerate(xs))
    page[66:92, 40 + 44 * 6 - 2 : 40 + 44 * 6 + 3] = 0  # the seventh's left side gone: an open shape, no box
    assert len(frames_in_rows(page, found, LayoutConfig())) == 7


def test_a_box_found_smaller_both_ways_than_its_row_gives_way_to_its_frame():
    """A hairline box holding a 7 (letters 1171 p9, 150 dpi, turned 3 degrees): the 7's
    bar was taken for the box's top line, and the box found 46 px square in a row of
    54: the cut left the bar out and the 7 was read as a sure 1, accepted. Less than
    15% off the row's size, it was no misfit. A box smaller by a tenth both ways within a
    closed frame of the row's size gives way to it, in the row or in a row of its own."""
    import cv2

    from formreader.layout import LayoutConfig
    from formreader.layout.frames import frames_in_rows
    from formreader.layout.model import Field, Rect

    page = np.zeros((200, 700), np.uint8)  # (the layout's binary page: ink 255)
    for k in range(8):  # hairline frames, 36 px from line to line, 50 px apart
        cv2.rectangle(page, (40 + 50 * k, 60), (40 + 50 * k + 36, 96), 255, 1)
    cv2.line(page, (40 + 150 + 8, 68), (40 + 150 + 28, 68), 255, 3)  # the fourth box's 7: its bar
    cv2.line(page, (40 + 150 + 28, 68), (40 + 150 + 18, 92), 255, 3)
    found = [Field("boxes", [Rect(40 + 50 * k + 1, 61, 35, 35)], 1.0) for k in range(8) if k != 3]
    small = Field("boxes", [Rect(40 + 150 + 3, 69, 31, 27)], 1.0)  # from the bar down
    fields = frames_in_rows(page, found + [small], LayoutConfig())
    assert small not in fields and len(fields) == 8
    fourth = [f.cells[0] for f in fields if 180 < f.cells[0].x < 200]
    assert len(fourth) == 1 and abs(fourth[0].y - 61) <= 1.5 and abs(fourth[0].w - 35) <= 1.5, fourth
    # a box found far smaller, low in its frame, stands in a row of its own (a 9's loop in the
    # second of a date's rounded boxes, slant 1169 p2): the first two boxes are the row's still
    first = [f for f in found if f.cells[0].x > 100]
    low = Field("boxes", [Rect(40 + 50 + 6, 78, 24, 18)], 1.0)
    fields = frames_in_rows(page, first + [low], LayoutConfig())
    assert low not in fields and sorted(round(f.cells[0].x) for f in fields)[:2] == [41, 91], [f.rect for f in fields]


def test_a_comb_as_wide_as_one_box_of_its_row_whose_divider_is_no_line_is_that_box():
    """A slanted 1 in the middle of a double box (formgen's variants, seed 171 page 18) was
    taken for a divider: the box became a comb of two cells beside its row of separate
    boxes, and each cell read as a 1, surely (two wrong digits accepted). A comb as wide
    as one of its row's boxes, a divider of which is no straight line from line to line,
    is that box; a comb whose dividers all run from line to line stays a comb."""
    import cv2

    from formreader.layout import Field, LayoutConfig, Rect
    from formreader.layout.box_rows import group_separate_boxes

    binary = np.zeros((400, 900), np.uint8)
    row = [Rect(100 + 78 * k, 100, 64, 64) for k in range(7)]
    for r in row:
        cv2.rectangle(binary, (int(r.x), int(r.y)), (int(r.x + r.w), int(r.y + r.h)), 255, 2)
    five = row[4]
    cv2.line(binary, (int(five.x) + 38, 110), (int(five.x) + 24, 150), 255, 4)  # the 1, slanted, in no line's way
    comb = Field("comb", [Rect(five.x, five.y, 30, 64), Rect(five.x + 30, five.y, 34, 64)], 2.0)
    fields = [Field("boxes", [r], 2.0) for k, r in enumerate(row) if k != 4] + [comb]
    grouped = group_separate_boxes(fields, LayoutConfig(), binary)
    assert [(f.kind, len(f.cells)) for f in grouped] == [("boxes", 7)], [(f.kind, len(f.cells)) for f in grouped]

    cv2.line(binary, (int(five.x) + 30, 100), (int(five.x) + 30, 164), 255, 2)  # a printed divider after all
    grouped = group_separate_boxes(fields, LayoutConfig(), binary)
    assert sorted((f.kind, len(f.cells)) for f in grouped) == [("boxes", 2), ("boxes", 4), ("comb", 2)]


def test_a_digits_foot_beside_a_tick_does_not_hide_a_comb_of_half_height_ticks():
    """A comb of nine cells (300 dpi, laid out at 150: cells 37.5 px, 46 px tall) whose
    ticks rise half way, three of them fused with the digits written against them (a 5,
    a 3 and a 4 rise higher there), and an 8's foot standing on the line 13 px beside the
    seventh tick, as high as the ticks: one stroke off the grid, and the comb was read as
    one string box (its blank cell lost, its digits taken as ink boxes). Beside a tick,
    nearer than any cell is narrow, a stroke is a digit's foot where four ticks or more
    stand on the grid; with fewer it may be a string's digits (`505`), and stays no comb."""
    from formreader.layout.short_dividers import short_dividers
    from formreader.layout.model import Segment

    top, bottom = Segment(390.0, 731.0, 1179.0, 2.0), Segment(390.0, 731.0, 1225.0, 2.0)
    places = [390.5 + k * 37.67 for k in range(1, 9)]
    rises = {0: 39.0, 3: 33.0, 7: 30.0}  # the ticks the digits touch
    vs = [Segment(1225.0 - rises.get(k, 24.0), 1227.0, x, 2.0) for k, x in enumerate(places)]
    vs += [Segment(1203.0, 1227.0, 667.0, 2.0), Segment(1191.0, 1227.0, 403.0, 3.0)]  # the 8's foot; the 0's side
    binary = np.zeros((1300, 800), np.uint8)
    for k, x in enumerate(places):
        binary[int(1225 - rises.get(k, 24.0)) : 1225, round(x) - 1 : round(x) + 2] = 1
    binary[1203:1225, 666:669] = 1
    assert np.allclose(short_dividers(vs, top, bottom, 390.5, 729.5, 4.0, binary=binary), places, atol=1.5)
    # a real NIST string box `505` (f0001, 150 dpi, 45 px tall): the feet of its 0 and 5
    # stand on two places of a grid, a stroke of the 5 beside one: no comb
    top, bottom = Segment(765.0, 859.0, 657.5, 5.0), Segment(765.0, 859.0, 702.5, 5.0)
    feet = [(779.5, 10.5, 5.0), (783.5, 5.5, 1.0), (794.5, 19.5, 5.0), (810.0, 20.5, 4.0), (828.0, 22.5, 6.0)]
    vs = [Segment(702.5 - rise, 705.5, x, t) for x, rise, t in feet]
    assert short_dividers(vs, top, bottom, 765.75, 857.25, 7.0, binary=np.zeros((800, 900), np.uint8)) == []


@pytest.mark.parametrize("past_side", [True, False])
def test_a_sevens_bold_bar_just_under_the_top_line_is_no_inner_line_of_a_double_line(past_side):
    """A row of five boxes at 150 dpi; in the last, a 7 whose bar, a bold pen stroke, runs
    a double line's gap under the top line, across most of the box (and on over its
    side, or not). The bar and the bottom line make a band inside the box's own, as the
    inner line of a double top line does, and the box was measured from the bar: the
    7's bar cut away, the stem read as a sure 1."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x0, top, side, step = 300, 600, 58, 72
    for i in range(5):
        cv2.rectangle(page, (x0 + i * step, top), (x0 + i * step + side, top + side), 40, 2)
    x = x0 + 4 * step
    bar = top + 6
    cv2.line(page, (x + 6, bar), (x + side + 3 if past_side else x + side - 3, bar), 30, 4)  # the 7's bar
    cv2.line(page, (x + side - 8, bar), (x + 24, top + side - 8), 30, 5)  # and its stem
    fields = [f for f in find_layout(page, 150).fields if f.kind != "free"]
    assert [(f.kind, len(f.cells)) for f in fields] == [("boxes", 5)], [(f.kind, f.rect) for f in fields]
    assert all(abs(c.y - top) <= 3 and abs(c.h - side) <= 4 for c in fields[0].cells), fields[0].cells


@pytest.mark.parametrize("angle", [-3.3, 2.0])
def test_turned_checkboxes_drawn_with_double_lines_are_no_digit_boxes(angle):
    """The double-lined checkboxes and digit boxes above, the page turned: deskewed, a
    checkbox's lines no longer end together, and it was found from its outer sides' ends
    and its inner bottom line (boxes_on_sides), a pair no double line's test looked at:
    its room is still that inside its inner lines."""
    import cv2

    page = _double_lined_checkboxes_and_digit_boxes((3300, 2550), 63, 90, 8, 1.0)
    cv2.line(page, (300, 800), (2200, 800), 0, 4)  # a rule across the form
    turn = cv2.getRotationMatrix2D((1275, 1650), angle, 1.0)
    page = cv2.warpAffine(page, turn, (2550, 3300), flags=cv2.INTER_LINEAR, borderValue=255)
    fields = [f for f in find_layout(page, 300).fields if f.kind != "free"]
    assert [(f.kind, len(f.cells)) for f in fields] == [("boxes", 5)], [(f.kind, f.rect) for f in fields]


def test_a_double_checkbox_taken_from_its_outer_sides_and_inner_bottom_line_is_a_checkbox():
    """A double-lined checkbox on a turned 300 dpi page (seen so at 150 dpi): 0.21 in
    outside, 0.16 in between its inner lines; boxes_on_sides found it from its outer
    sides' ends (the top) and its inner bottom line. There is room for no digit in it. A
    digit box drawn so, 0.27 in between its inner lines, is one."""
    from formreader.layout.bands import double_checkbox
    from formreader.layout.model import LayoutConfig, Segment

    px = lambda inches: inches * 150  # noqa: E731
    for outer, inner, checkbox in ((32, 24, True), (48, 40, False)):
        y = 1105
        hs = [Segment(567, 601 + outer, c, 2.0) for c in (y, y + (outer - inner) / 2, y + outer - (outer - inner) / 2, y + outer)]
        top = Segment(567, 601 + outer, y - 2, 2.0)  # where the outer sides end
        assert double_checkbox(hs, top, hs[2], px, LayoutConfig(), [s.c for s in hs]) is checkbox, outer


def test_checkboxes_whose_double_lines_run_together_are_no_bold_digit_boxes():
    """Double-lined checkboxes on a 200 dpi page, 0.21 in outside: shrunk to 150 dpi their
    two lines run into one bold wall, and the paper finder (frames.py) took each for a
    bold digit box, 0.17 in from wall to wall. Double-lined digit boxes of 0.3 in are
    still found."""
    page = _double_lined_checkboxes_and_digit_boxes((2200, 1700), 42, 60, 6, 2 / 3)
    fields = [f for f in find_layout(page, 200).fields if f.kind != "free"]
    assert [(f.kind, len(f.cells)) for f in fields] == [("boxes", 5)], [(f.kind, f.rect) for f in fields]


def test_a_bold_frames_ticks_with_a_digits_stroke_from_line_to_line_run_into_one():
    """A bold frame (8 px at 150 dpi; formgen's variant pages, seed 232) holding four digits
    over short ticks, the 9's tail run into the first tick and the two from the top line to
    the bottom one: that stroke passed for a divider, leaving a cell wider than a box, so
    the bold band was dropped and its four digits were lost without a word. A stroke
    thinner than the frame's sides is no divider of it: the frame is one box."""
    from formreader.layout import LayoutConfig
    from formreader.layout.model import Segment
    from formreader.layout.page import bold_bands

    top, bottom = Segment(386.0, 558.0, 1081.0, 8.0), Segment(386.0, 558.0, 1139.0, 8.0)
    sides = [Segment(1087.0, 1134.0, x, 8.0) for x in (389.0, 552.0)]
    tail = Segment(1087.0, 1134.0, 422.5, 3.0)
    ticks = [Segment(1121.0, 1134.0, x, 3.0) for x in (465.0, 505.0)]
    px = lambda inches: inches * 150  # noqa: E731
    bands = bold_bands([top, bottom], sides + [tail] + ticks, [], px, LayoutConfig())
    assert [len(xs) for _, _, xs, _ in bands] == [2], bands
    # a bold divider stays one: two cells wider than a box, as before, are no bold band
    wide = [Segment(386.0, 720.0, c, 8.0) for c in (1081.0, 1139.0)]
    sides = [Segment(1087.0, 1134.0, x, 8.0) for x in (389.0, 552.0, 716.0)]
    assert bold_bands(wide, sides + [tail], [], px, LayoutConfig()) == []


def test_a_bold_frames_comb_of_thin_dividers_one_hidden_by_a_digit_is_a_comb():
    """The line pieces of a bold-framed comb of four cells with thin dividers (third 1593
    p15, 150 dpi): a bold 6 touching the first divider hid it from the line finder, the
    two seen were thinner than the frame and dropped as digits' strokes, and the frame was
    read as one string box, its dividers as flagged 1s. Thin lines from line to line at
    every place of an even grid are its dividers."""
    from formreader.layout.model import LayoutConfig, Segment
    from formreader.layout.page import bold_bands

    binary = np.zeros((600, 700), np.uint8)
    binary[476:485, 375:555] = binary[516:525, 375:555] = 255  # the frame's bold lines
    binary[476:525, 374:383] = binary[476:525, 546:555] = 255  # and sides
    for x in (420, 463, 507):
        binary[484:517, x : x + 2] = 255  # the thin dividers
    strokes = [(523.0, 486, 515, 6), (394.0, 486, 511, 6), (427.0, 491, 509, 6), (433.5, 486, 496, 3), (445.5, 496, 515, 9)]
    for c, a0, a1, t in strokes:
        binary[a0:a1, int(c - t / 2) : int(c + t / 2) + 1] = 255
    hs = [Segment(375, 554, 480.0, 8.0), Segment(375, 554, 520.0, 8.0)]
    sides = [(549.0, 486, 515, 8), (378.0, 486, 515, 8), (507.5, 486, 515, 3), (463.5, 486, 515, 3)]
    vs = [Segment(a0, a1, c, t) for c, a0, a1, t in sides + strokes]
    bands = bold_bands(hs, vs, [], lambda inches: inches * 150, LayoutConfig(), binary)
    assert [[round(x) for x in xs] for _, _, xs, _ in bands] == [[376, 420, 464, 508, 552]]
    binary[484:517, 420:422] = 0  # without the first divider: one string box
    bands = bold_bands(hs, vs, [], lambda inches: inches * 150, LayoutConfig(), binary)
    assert [[round(x) for x in xs] for _, _, xs, _ in bands] == [[376, 552]]


@pytest.mark.parametrize("ink_to_side", [True, False])
def test_thin_lines_whose_last_step_was_lost_end_at_the_side_their_ink_runs_on_to(ink_to_side):
    """A faint comb of 1 px lines (200 dpi, turned 1.2 degrees, read at 150; formgen's
    pages, seed 231): deskewed by nearest pixels, its lines step a row every 49 px, and the
    last step before its first side, 12 px, was shorter than the line mask's kernel. The
    lines began 12 px past the side, the first divider came too near their end to make a
    cell, and the first cell, twice as wide, took the 8 written in it into the next box.
    Where the page's ink runs on along both lines to a side from line to line, that side
    is the band's end; across paper it is not."""
    from formreader.layout.bands import find_bands
    from formreader.layout.model import LayoutConfig, Segment

    binary = np.zeros((700, 900), np.uint8)
    binary[526, 403:792] = binary[580, 402:791] = 255  # the lines the mask kept
    if ink_to_side:
        binary[525, 391:403] = binary[581, 391:402] = 255  # their last steps, a row off
    px = lambda inches: inches * 150  # noqa: E731
    lines = [Segment(403.0, 791.0, 526.0, 2.0), Segment(402.0, 790.0, 580.0, 2.0)]
    dividers = [Segment(525.0, 581.0, x, 1.0) for x in (391.5, 431.0, 470.5, 510.5, 550.5, 590.0, 629.5, 669.5, 709.5, 749.0, 789.0)]
    bands = find_bands(lines, dividers, px, LayoutConfig(), binary=binary)
    assert len(bands) == 1
    xs = bands[0][2]
    assert (round(xs[0]), len(xs)) == ((392, 11) if ink_to_side else (403, 11)), xs


def test_a_faint_box_grown_from_its_broken_bottom_goes_under_its_whole_top():
    """A row of faint separate boxes (200 dpi, read at 150; formgen's pages, seed 231) whose
    fourth and fifth boxes' sides broke: they grow from the boxes found beside them. The
    fifth's bottom broke off halfway, so a box of the row's size fits three ways along it,
    each as well closed (line runs along its top); the first way, over the gap between
    the fourth and fifth, took the fourth's 8 out of every box. Between boxes as well
    closed, the one whose top line runs along more of it is the box."""
    from formreader.layout.faint_boxes import rest_of_row
    from formreader.layout.model import Field, LayoutConfig, Rect, Segment

    found = [Field("boxes", [Rect(740.0, 1090.0, 60.0, 60.0)], 2.0)]
    tops = [Segment(601.0, 662.0, 1091.0, 2.0), Segment(671.0, 731.0, 1091.0, 2.0)]
    bottoms = [Segment(600.0, 661.0, 1150.0, 2.0), Segment(670.0, 705.0, 1150.0, 2.0)]
    sides = [Segment(1090.0, 1116.0, 670.5, 1.0), Segment(1121.0, 1151.0, 670.5, 1.0), Segment(1090.0, 1129.0, 660.0, 2.0)]
    grown = rest_of_row(found, bottoms, tops + bottoms, sides, LayoutConfig())
    assert sorted(round(f.cells[0].x) for f in grown) == [600, 670], [f.cells for f in grown]


def test_a_small_bold_comb_read_at_half_its_step_is_read_at_its_step():
    """A bold-framed comb of hairline dividers at 150 dpi, cells 0.24 in (the third page
    maker's, seed 244): each digit's upright stroke, in the middle of its cell, nearly
    meets both lines, so the band was read at half its step, and its cells, half a box
    wide, left no room for a digit: the bold band was dropped and its four digits were
    lost without a word. A bold band that leaves no room is read at its step (whole_cells)
    and measured again."""
    import cv2

    page = np.full((1753, 1240), 245, np.uint8)
    cv2.rectangle(page, (379, 706), (519, 741), 20, 8)
    for x in (412, 448, 484):
        cv2.line(page, (x, 706), (x, 741), 60, 1)
    for x in (394, 430, 466, 502):  # the digits' strokes, two rows short of each line
        page[714:735, x - 2 : x + 2] = 30
    fields = find_layout(page, 150).fields
    assert [(f.kind, [round(c.x) for c in f.cells]) for f in fields] == [("comb", [378, 412, 448, 484])]


def test_a_thin_line_a_little_aslant_of_the_deskewed_page_is_a_line():
    """A tick comb's 1 px baseline 0.5 degrees off the page's skew (formgen's variant pages,
    seed 252): deskewed with the rest, it steps down a row every 94 px, one 8-connected
    piece five rows deep, none of them running along 60% of it, so it was no line, the
    comb was not found and its digits were read as free handwriting. A thin piece with ink
    all along it that drifts across by 0.035 of its length at most is a line through its
    middle; a digit's thin bar, far more aslant, is not."""
    from formreader.layout.lines import line_mask, line_segments

    binary = np.zeros((60, 700), np.uint8)
    for k in range(5):  # the staircase: five steps of 94 px, each a row lower
        binary[20 + k, 100 + 94 * k : 100 + 94 * (k + 1) + 1] = 255
    (line,) = line_segments(line_mask(binary, (18, 1)), True, 6.0, 15)
    assert abs(line.a0 - 100) <= 1 and abs(line.a1 - 571) <= 1 and abs(line.c - 22.5) <= 0.5 and line.t <= 2
    bar = np.zeros((60, 700), np.uint8)
    for k in range(4):  # a thin bar 40 px long, slanting a row down every 10 px
        bar[20 + k, 100 + 10 * k : 100 + 10 * (k + 1) + 1] = 255
    assert line_segments(line_mask(bar, (18, 1)), True, 6.0, 15) == []


def test_a_faint_string_box_a_tick_comb_stands_in_is_a_comb():
    """A faint rounded frame whose short ticks are hidden under bold digits (formgen's variant
    pages, seed 252): the string box finder saw no dividers on the box's own grid and read
    the comb as one string (its digits right, its cells lost); the tick comb finder saw
    the ticks, too late to count. A string box a tick comb stands in, on its bottom line,
    is a comb of the ticks' cells as tall as the box; one with no tick comb in it stays."""
    from formreader.layout.model import Field, Rect
    from formreader.layout.page import ticked

    string = Field("string", [Rect(402.0, 670.0, 170.0, 57.0)], 2.0)
    ticks = Field("ticks", [Rect(391.0 + 38 * k, 679.0, 38.0, 48.0) for k in range(5)], 2.0)
    (comb,) = ticked([string], [ticks])
    assert comb.kind == "comb" and [(c.x, c.y, c.h) for c in comb.cells] == [(391.0 + 38 * k, 670.0, 57.0) for k in range(5)]
    elsewhere = Field("ticks", [Rect(391.0 + 38 * k, 879.0, 38.0, 48.0) for k in range(5)], 2.0)
    assert ticked([string], [elsewhere]) == [string]


@pytest.mark.parametrize("hidden", [True, False])
def test_a_faint_string_box_with_two_ticks_seen_and_one_under_a_digit_is_a_comb(hidden):
    """A rounded comb of four cells (formgen's variants, seed 991 page 2, 300 dpi read at
    150) whose frame's sides the line finder missed, its first short tick under a bold
    5's stroke: the faint string box finder saw two ticks, too few for a comb, and read
    one string box, its blank third cell lost (`75 2` read `752`, accepted). It now looks
    at the page as the band finder does: where ink rises from the line as high as the
    ticks at the grid's other place, a tick lies under it. Where paper lies there, the
    two strokes are no comb's."""
    from formreader.layout.boxes import faint_string_boxes
    from formreader.layout.model import LayoutConfig, Segment

    binary = np.zeros((600, 800), np.uint8)
    top, bottom = Segment(396, 569, 407, 2), Segment(396, 569, 456, 2)
    binary[406:409, 396:570] = binary[455:458, 396:570] = 255
    vs = [Segment(438, 457, 481, 2), Segment(438, 457, 526, 2)]  # the two ticks seen
    for v in vs:
        binary[438:457, int(v.c) - 1 : int(v.c) + 1] = 255
    if hidden:  # the 5's stroke down onto the first tick's place, a third of the way along
        binary[415:457, 436:448] = 255
        vs.append(Segment(415, 457, 442, 12))
    fields = faint_string_boxes([top, bottom], [top, bottom], vs, binary, lambda inches: inches * 150, LayoutConfig())
    assert [(f.kind, len(f.cells)) for f in fields] == ([("comb", 4)] if hidden else [("string", 1)])


def test_a_bold_8_s_lower_bowl_from_side_to_side_is_no_bottom_line():
    """The line pieces of two boxes at 300 dpi read at 150 (turned, seed 995, page 11): a
    bold 8's lower bowl touches both sides of its box and made a line ending nearly with
    the top one, the 8's strokes ending on it as sides would, while the box's own bottom
    line ran on into the next box's. Taken as the bottom, it made the box a third too short:
    out of line, the row was cut in two there and the 8 read as free handwriting. The
    box's sides run on past it to a line below that runs its length: that is the bottom,
    found with the next box's ("joined")."""
    from formreader.layout.bands import find_bands
    from formreader.layout.model import LayoutConfig, Segment

    sides = [(789.0, 1407, 1454, 4), (828.5, 1407, 1455, 3), (838.0, 1407, 1455, 4), (880.0, 1407, 1455, 4), (858.0, 1421, 1454, 4)]
    eight = [(811.5, 1407, 1445, 1), (815.0, 1407, 1445, 4), (804.5, 1407, 1445, 11), (846.5, 1421, 1437, 5)]  # (and the 4's)
    vs = [Segment(a0, a1, c, t) for c, a0, a1, t in sides + eight]
    lines = [(1409.5, 787, 831, 3), (1409.5, 837, 882, 3), (1452.5, 787, 881, 3)]
    bowl = [(1440.5, 787, 822, 5), (1432.0, 787, 832, 2), (1419.0, 787, 820, 4), (1433.5, 837, 864, 3)]
    hs = [Segment(a0, a1, c, t) for c, a0, a1, t in lines + bowl]
    px, config = (lambda inches: inches * 150), LayoutConfig()
    strict = find_bands(hs, vs, px, config, "strict")
    assert strict == []
    joined = find_bands(hs, vs, px, config, "joined", strict)
    assert [(t.c, b.c, round(xs[0]), round(xs[-1])) for t, b, xs, _ in joined] == [(1409.5, 1452.5, 788, 830), (1409.5, 1452.5, 838, 880)]


def test_a_bold_digits_foot_ending_with_the_top_line_is_no_bottom_line():
    """The line pieces of a light box at 200 dpi read at 150 (turned 1565 p16, the page upside
    down): a bold 0's foot, 6 px thick, ended with the box's 2 px top line, its strokes standing
    on it as sides would, and closed a box half as wide as the real one, which was lost with
    its bottom line, looked at no more: the 0 was read as a flagged 6. Below the foot, the box's
    own bottom line, printed as the top is, ends with it too: that is the bottom."""
    from formreader.layout.bands import find_bands
    from formreader.layout.model import LayoutConfig, Segment

    lines = [(1417.0, 495, 538, 2), (1471.0, 498, 538, 2)]
    zero = [(1452.0, 502, 529, 6), (1432.0, 511, 545, 2)]
    hs = [Segment(a0, a1, c, t) for c, a0, a1, t in lines + zero]
    sides = [(492.0, 1420, 1470, 2), (539.0, 1419, 1469, 2)]
    strokes = [(510.5, 1415, 1457, 1), (530.0, 1423, 1454, 6), (520.0, 1446, 1455, 2)]
    vs = [Segment(a0, a1, c, t) for c, a0, a1, t in sides + strokes]
    bands = find_bands(hs, vs, lambda inches: inches * 150, LayoutConfig(), "strict")
    assert [(b.c, round(xs[0]), round(xs[-1])) for _, b, xs, _ in bands] == [(1471.0, 492, 538)]


def test_a_bold_0s_foot_inside_a_rounded_box_is_no_bottom_line():
    """The line pieces of a rounded box at 200 dpi read at 150 (variants 1649 p19): a bold 0
    touching the top line, its foot 5 px thick ending with the 3 px top line within
    line_end (3 px in at the left, 9 px at the right), its strokes standing between as
    sides would, closed a box inside the real one, whose sides, beyond the top line's
    ends, were too far out to be looked at: the box was lost, the 0 read as a flagged 2.
    Sides at the top line's ends run on past the foot to the box's own bottom line: that
    is the bottom."""
    from formreader.layout.bands import find_bands
    from formreader.layout.model import LayoutConfig, Segment

    lines = [(720.5, 474, 515, 3), (772.0, 474, 515, 2)]
    zero = [(760.5, 477, 506, 5), (731.0, 480, 506, 6)]
    hs = [Segment(a0, a1, c, t) for c, a0, a1, t in lines + zero]
    sides = [(467.5, 726, 767, 3), (519.0, 722, 771, 2)]
    strokes = [(479.0, 728, 762, 4), (503.5, 728, 763, 5), (497.0, 719, 734, 2), (497.5, 755, 764, 1)]
    vs = [Segment(a0, a1, c, t) for c, a0, a1, t in sides + strokes]
    bands = find_bands(hs, vs, lambda inches: inches * 150, LayoutConfig(), "strict")
    assert [(t.c, b.c, round(xs[0]), round(xs[-1])) for t, b, xs, _ in bands] == [(720.5, 772.0, 468, 517)]


def test_a_box_a_bold_digits_bar_and_foot_closed_inside_is_still_found():
    """The line pieces of a row of four dashed boxes drawn solid (lit 1567 p6, 150 dpi): a bold
    2's straight top stroke and foot ended together and, its strokes between them, made a box
    of their own inside the last box (strict mode). The last box's top piece pairs with the
    row's long bottom line only as a joined band, which stopped at the 2's box as at any band
    found: the box was lost and the 2 read as a flagged 1. A band wholly inside the pair's box,
    clear of its lines and no wider than a box, does not stop it."""
    from formreader.layout.bands import find_bands
    from formreader.layout.model import LayoutConfig, Segment

    lines = [(853.5, 375, 424, 1), (911.5, 376, 592, 1), (853.5, 431, 480, 1), (853.5, 488, 536, 1), (854.0, 544, 593, 2)]
    strokes = [(883.0, 489, 526, 2), (871.0, 555, 586, 4), (896.5, 559, 594, 1), (901.0, 559, 594, 6)]  # the digits'
    hs = [Segment(a0, a1, c, t) for c, a0, a1, t in lines + strokes]
    sides = [(375.5, 853, 913, 1), (422.5, 852, 912, 1), (431.5, 852, 912, 1), (478.5, 853, 912, 1), (488.5, 853, 913, 1),
             (534.5, 852, 912, 1), (544.5, 852, 912, 1), (591.5, 853, 909, 1)]
    digits = [(514.0, 863, 897, 5), (460.0, 865, 901, 2), (577.0, 866, 906, 4), (563.5, 866, 875, 1), (559.0, 866, 876, 6),
              (394.0, 866, 900, 2), (444.0, 868, 887, 6), (411.0, 868, 895, 4)]
    vs = [Segment(a0, a1, c, t) for c, a0, a1, t in sides + digits]
    px, config = (lambda inches: inches * 150), LayoutConfig()
    bands = find_bands(hs, vs, px, config, "strict")
    assert [(t.c, b.c) for t, b, _, _ in bands] == [(871.0, 901.0)]  # the 2's
    bands += find_bands(hs, vs, px, config, "broken", taken=bands)
    joined = find_bands(hs, vs, px, config, "joined", taken=bands)
    assert [(round(xs[0]), round(xs[-1])) for _, b, xs, _ in joined if b.c == 911.5][-1] == (544, 592)


def test_the_last_boxes_of_a_row_whose_lines_broke_at_different_boxes_are_found():
    """The line pieces of a row of eight rounded boxes 4 px apart (turned 1555 p11, 300 dpi
    read at 150): the top line broke after the sixth box, the bottom after the fifth. The
    first six boxes made a band; the last two, their top piece over them alone and their
    bottom piece running on into the sixth box, made a joined band that shared no line with
    another joined band, and were dropped: the 8 in the seventh box was read as free
    handwriting. A line running a box's width into a band found already is that row's."""
    from formreader.layout.bands import find_bands
    from formreader.layout.model import LayoutConfig, Segment

    lines = [(496.5, 392, 426, 3), (453.5, 392, 619, 3), (496.5, 431, 580, 3), (496.5, 585, 696, 3), (453.5, 624, 697, 3)]
    strokes = [(486.0, 463, 494, 4), (466.0, 481, 505, 4)]  # a digit's
    hs = [Segment(a0, a1, c, t) for c, a0, a1, t in lines + strokes]
    sides = [(391.5, 453, 497, 3), (425.5, 453, 496, 3), (429.5, 453, 496, 3), (466.5, 453, 497, 5), (502.5, 454, 496, 3),
             (507.0, 453, 497, 2), (543.5, 452, 497, 5), (579.5, 453, 496, 3), (583.5, 454, 497, 3), (620.5, 454, 497, 5),
             (656.5, 453, 497, 3), (660.5, 453, 496, 3), (695.0, 453, 496, 2)]
    digits = [(643.0, 452, 490, 2), (681.0, 460, 486, 4), (486.5, 461, 498, 1), (525.0, 464, 489, 4), (518.5, 467, 483, 5)]
    vs = [Segment(a0, a1, c, t) for c, a0, a1, t in sides + digits]
    px, config = (lambda inches: inches * 150), LayoutConfig()
    bands = find_bands(hs, vs, px, config, "strict")
    bands += find_bands(hs, vs, px, config, "broken", taken=bands)
    assert [(round(xs[0]), round(xs[-1])) for _, _, xs, _ in bands] == [(392, 620)]
    joined = find_bands(hs, vs, px, config, "joined", taken=bands)
    assert [(round(xs[0]), round(xs[-1])) for _, _, xs, _ in joined] == [(622, 696)]


@pytest.mark.parametrize("n", [2, 5])
def test_boxes_a_little_apart_whose_lines_run_across_the_gaps_end_at_their_own_sides(n):
    """Boxes a sixth of a box apart, their top and bottom lines drawn on across the gaps
    (as one comb with every divider drawn double): each box is a cell from its own left
    side to its own right side. Cut at the next box's side, a blank box held its own right
    side, and read it as a sure 1."""
    import cv2

    page = np.full((2200, 1700), 255, np.uint8)
    x0, top, side, step = 300, 600, 66, 80
    cv2.line(page, (x0, top), (x0 + (n - 1) * step + side, top), 0, 2)
    cv2.line(page, (x0, top + side), (x0 + (n - 1) * step + side, top + side), 0, 2)
    for i in range(n):
        for x in (x0 + i * step, x0 + i * step + side):
            cv2.line(page, (x, top), (x, top + side), 0, 2)
    cells = [c for f in find_layout(page, 200).fields for c in f.cells]
    assert len(cells) == n
    for i, c in enumerate(sorted(cells, key=lambda c: c.x)):
        assert abs(c.x - (x0 + i * step)) <= 4 and abs(c.x + c.w - (x0 + i * step + side)) <= 4, (i, c)


def test_a_page_without_a_dpi_is_estimated_the_same_either_way_up():
    """Letter at 200 dpi, upright and lying on its side (a sideways scan, a landscape form)."""
    from formreader.layout import estimate_dpi

    page = np.full((2200, 1700), 255, np.uint8)
    assert estimate_dpi(page, None) == estimate_dpi(page.T, None) == pytest.approx(1700 / 8.4)
    assert estimate_dpi(page.T, 300) == 300


@pytest.mark.parametrize("seed, dpi", [(1063, 200), (1070, 300), (1071, 150)])
def test_a_page_photographed_at_a_slant_keeps_its_rows_of_boxes(mnist, seed, dpi):
    """A page whose rows converge (a keystone of 3% of its width, a phone held at a slant):
    deskewed by one angle, the rows at its top and bottom stay 1.7 degrees aslant, and a
    1 px line stepping a row every 34 px was no line (a fiftieth of its length was the most
    it could drift): combs and tick combs were lost (61-81% of these pages' boxes found).
    A thin line may now drift by 0.035 of its length (2 degrees)."""
    import cv2

    page = generate_page(np.random.default_rng(seed), mnist.x_test, mnist.y_test, dpi)
    h, w = page.image.shape
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    slant = cv2.getPerspectiveTransform(corners, np.float32([[0, 0], [w, 0.03 * w], [w, h - 0.03 * w], [0, h]]))
    image = cv2.warpPerspective(page.image, slant, (w, h), borderValue=255, flags=cv2.INTER_LINEAR)
    truth = []
    for b in page.boxes:
        if b.kind not in ("string", "underline"):
            x, y = cv2.perspectiveTransform(np.float32([[[b.x + b.width / 2, b.y + b.height / 2]]]), slant)[0, 0]
            truth.append((x - b.width / 2, y - b.height / 2, b.width, b.height))
    layout = find_layout(image, dpi)
    boxes = [layout.to_original(c) for f in layout.fields if f.kind not in ("string", "underline", "free") for c in f.cells]
    assert all(any(iou(t, b) >= 0.5 for b in boxes) for t in truth)


def _comb_aslant(deg: float, kind: str) -> tuple[np.ndarray, float]:
    """A 200 dpi page whose long straight lines set its skew at none, and a comb of ten
    70 px cells (`kind`: dividers "full", "short" from the bottom line, or "ticks" under
    no top line) drawn `deg` degrees aslant; and the slope."""
    import cv2

    page = np.full((2200, 1700), 255, np.uint8)
    cv2.line(page, (150, 150), (1550, 150), 0, 2)
    cv2.line(page, (150, 2050), (1550, 2050), 0, 2)
    slope, x0, y0, height = float(np.tan(np.radians(deg))), 400, 900, 80
    at = lambda x, y: int(round(y + (x - x0) * slope))  # noqa: E731
    if kind != "ticks":
        cv2.line(page, (x0, y0), (x0 + 700, at(x0 + 700, y0)), 0, 2)
    cv2.line(page, (x0, y0 + height), (x0 + 700, at(x0 + 700, y0 + height)), 0, 2)
    for k in range(11):
        x = x0 + 70 * k
        if kind == "full" or (kind == "short" and k in (0, 10)):
            cv2.line(page, (x, at(x, y0)), (x, at(x, y0 + height)), 0, 2)
        else:
            cv2.line(page, (x, at(x, y0 + height)), (x, at(x, y0 + height) - (height // 3 if kind == "ticks" else height // 2)), 0, 2)
    return page, slope


@pytest.mark.parametrize("kind", ["full", "short", "ticks"])
@pytest.mark.parametrize("deg", [1.7, 2.5])
def test_a_comb_aslant_of_the_page_is_found_and_its_cells_follow_its_lines(kind, deg):
    """A comb 1.7 or 2.5 degrees aslant of the rest of its page (a page photographed at a
    slant: its rows converge, so one skew leaves some of them aslant): its lines drift
    across by 21-31 px, their dividers' feet and ends lie off the lines' middle rows, and
    every comb was lost at 2.5 degrees (a short-divider one at 1.7 read as a tick comb).
    A line aslant keeps its slope: dividers, ticks and sides are measured against where it
    is at them, and each cell lies where the lines run through its middle."""
    page, slope = _comb_aslant(deg, kind)
    (field,) = find_layout(page, 200).fields
    assert field.kind == ("ticks" if kind == "ticks" else "comb") and len(field.cells) == 10
    for k, cell in enumerate(field.cells):
        middle = 400 + 70 * k + 35
        bottom = 980 + (middle - 400) * slope
        assert abs(cell.x - (400 + 70 * k)) <= 3 and abs(cell.y + cell.h - bottom) <= 3, (k, cell)


def test_a_tick_grid_running_past_the_page_s_edge_is_measured_on_the_page():
    """A tick comb at a turned page's edge (turned 1155 p17, 300 dpi): its grid, carried on by
    whole cells over the ink at its ends, ran past the page's last column, and the page
    failed with an IndexError, its 78 boxes lost. What lies between the ticks is looked at
    where it lies on the page."""
    from formreader.layout.model import Segment
    from formreader.layout.ticks import hangs_below, sits_on

    binary = np.zeros((120, 400), np.uint8)
    binary[60:63, :] = 255  # the baseline, to the page's edge
    base = Segment(0.0, 400.0, 61.0, 3.0)
    for ticks in ([250.0 + 50 * k for k in range(5)], [-100.0 + 50 * k for k in range(5)]):
        assert sits_on(binary, ticks, base) == 0.0 and hangs_below(binary, ticks, base) == 0.0
    for x in range(256, 400, 6):  # the feet of a line of type standing on it, up to the edge
        binary[48:58, x : x + 3] = 255
    assert sits_on(binary, [250.0 + 50 * k for k in range(5)], base) >= 0.25


def test_a_tick_combs_baseline_aslant_has_no_ink_sitting_on_it_but_its_own():
    """A blank tick comb's 3 px baseline 0.8 degrees aslant of its page (seed 381, a page
    turned and photographed at a slant): the rows just above its middle row held the line
    itself along a quarter of it, read as letters standing on a line of text, and the comb
    was refused. The rows above it are taken where it runs; type standing on it still counts."""
    import cv2

    from formreader.layout.model import Segment
    from formreader.layout.ticks import sits_on

    binary = np.zeros((120, 520), np.uint8)
    cv2.line(binary, (10, 56), (510, 49), 255, 3)  # 7 px up across 500 px
    base = Segment(10.0, 510.0, 53.0, 3.0, -7 / 500, 260.0)
    ticks = [10.0 + 50 * k for k in range(11)]
    assert sits_on(binary, ticks, base) == 0.0
    for x in range(40, 480, 6):  # the feet of a line of type standing on it
        y = round(base.at(x) - 2)
        binary[y - 12 : y, x : x + 3] = 255
    assert sits_on(binary, ticks, base) >= 0.25


def test_a_tick_combs_blurred_line_drifting_a_little_is_no_ink_sitting_on_it():
    """A tick comb's blurred line on a page photographed at a slant (slant 1259 p0, 150 dpi)
    drifted two rows from one end to the other, too little for lines.drift to give it a
    slope: taken flat where its right end lies, its left end's edge lay in the rows looked
    at just above it, 29% of the line had "ink sitting on it" and the comb was refused as
    a line of text (nine boxes read as free handwriting, flagged). Ink running along a row
    for half a cell is the line's own; the feet of type standing on it still count."""
    from formreader.layout.model import Segment
    from formreader.layout.ticks import sits_on

    binary = np.zeros((120, 420), np.uint8)
    binary[57:59, 10:200] = 255  # its left half two rows higher than its right
    binary[59:61, 200:410] = 255
    base = Segment(10.0, 410.0, 60.0, 2.0)  # flat, through the right half
    ticks = [10.0 + 40 * k for k in range(11)]
    assert sits_on(binary, ticks, base) == 0.0
    for x in range(30, 390, 6):  # the feet of a line of type standing on it
        binary[45:59, x : x + 3] = 255
    assert sits_on(binary, ticks, base) >= 0.25


def test_printed_numbers_on_a_line_with_a_few_tall_marks_are_no_underlined_field(mnist):
    """A table's row of printed numbers stands on its line; a stain left two marks of digit
    height among them and hid the table's sides: the line was taken for an underlined field
    and its printed digits read surely as handwriting (4.5% of the accepted digits wrong on
    such pages). Handwriting of digit height must be most of what stands on the line; the
    same line with handwritten digits on it is still a field."""
    import cv2

    page = np.full((600, 900), 245, np.uint8)
    cv2.line(page, (100, 300), (700, 300), 30, 2)
    for x in (120, 300, 480):  # printed numbers 0.1 in tall
        cv2.putText(page, "30209", (x, 293), cv2.FONT_HERSHEY_SIMPLEX, 0.5, 30, 1, cv2.LINE_AA)
    for x in (240, 420):  # two tall blotches
        cv2.ellipse(page, (x, 280), (6, 16), 0, 0, 360, 90, -1)
    assert [f.kind for f in find_layout(page, 150).fields if f.kind == "underline"] == []

    written = np.full((600, 900), 245, np.uint8)
    cv2.line(written, (100, 300), (700, 300), 30, 2)
    for k, i in enumerate((0, 1, 2, 3, 4)):
        digit = cv2.resize(255 - mnist.x_test[i], (34, 34), interpolation=cv2.INTER_LINEAR)
        written[254:288, 140 + 60 * k : 174 + 60 * k] = np.minimum(written[254:288, 140 + 60 * k : 174 + 60 * k], digit)
    assert [f.kind for f in find_layout(written, 150).fields] == ["underline"]


def test_a_row_of_boxes_each_halved_by_a_faint_line_is_a_comb():
    """A light comb of ten cells drawn with hairlines in a double frame (300 dpi read at
    150, formgen's variants, seed 531 page 5): only every other divider came out whole in
    the line mask, and the comb was found as five boxes, each two cells wide, each read as
    one digit. Boxes sharing their sides, each as wide as two, each with a line broken in
    places from top to bottom through its middle, are a comb's cells two by two; a row of
    wide boxes with a 1 in some of them stays as it is."""
    from formreader.layout import Field, LayoutConfig, Rect
    from formreader.layout.box_rows import group_separate_boxes

    rng = np.random.default_rng(5)
    binary = np.zeros((200, 600), np.uint8)
    row = [Rect(50 + 87 * k, 60, 87, 56) for k in range(5)]
    binary[60, 50:486] = binary[116, 50:486] = 255  # the top and bottom lines
    for r in row:
        binary[60:117, int(r.x)] = 255  # the sides the mask kept
        broken = rng.random(57) < 0.8  # a faint divider: a fifth of its pixels lost
        binary[60:117, int(r.x + 43)] = np.where(broken, 255, 0)
    binary[60:117, 485] = 255
    fields = [Field("boxes", [r], 1.0) for r in row]
    grouped = group_separate_boxes(fields, LayoutConfig(), binary)
    assert [(f.kind, len(f.cells)) for f in grouped] == [("comb", 10)], [(f.kind, len(f.cells)) for f in grouped]
    assert [round(c.x) for c in grouped[0].cells[:4]] == [50, 93, 137, 180]

    binary[60:117, int(row[2].x + 43)] = 0  # one box with no line at its middle: no comb
    binary[70:110, int(row[2].x + 40) : int(row[2].x + 44)] = 255  # but a 1
    grouped = group_separate_boxes(fields, LayoutConfig(), binary)
    assert [(f.kind, len(f.cells)) for f in grouped] == [("boxes", 5)]


def test_a_closed_box_whose_strokes_make_no_comb_is_read_as_one_string():
    """A light comb of six cells in a double frame (variants, 150 dpi): its short ticks broke
    into dots, and bold digits touching both lines stood in for dividers at 435, 475 and 555,
    cells 0.9 to 1.8 times as wide as tall: no comb, no string box, and the band was dropped
    with the two digits touching its lines, which no other finder took: lost without a word.
    A closed box wider than a string box's proportions is read as one string instead."""
    from formreader.layout import LayoutConfig
    from formreader.layout.boxes import band_fields
    from formreader.layout.model import Segment

    binary = np.zeros((1120, 700), np.uint8)
    top, bottom = Segment(390, 618, 1050.5, 3.0), Segment(390, 618, 1095.5, 3.0)
    binary[1049:1052, 390:619] = binary[1094:1097, 390:619] = 255
    xs = [390.0, 435.0, 475.0, 555.0, 618.0]
    for x in xs:
        binary[1049:1097, int(x) - 1 : int(x) + 2] = 255
    found = band_fields(top, bottom, xs, 3.0, binary, LayoutConfig())
    assert [f.kind for f in found] == ["string"] and abs(found[0].cells[0].x - 390) <= 1 and abs(found[0].cells[0].w - 228) <= 1, found


def test_a_part_of_a_band_split_at_gaps_gets_no_cells_over_the_next_boxes():
    """A row of separate boxes on a slanted page (seed 1129 page 11, 300 dpi) whose bottom line ran
    on across the gaps and whose top line broke off over the first boxes: the band, split at
    its gaps, left a part of two boxes with a printed slash between them; the even grid
    sought for that part ran to the band's end, where its lines end, and made four cells
    over the boxes after it, a box's side read as a sure 1 in a blank box. A part's lines
    are its own: no cell of it lies beyond its first and last side."""
    import cv2
    from formreader.layout import LayoutConfig
    from formreader.layout.boxes import band_fields
    from formreader.layout.model import Segment

    binary = np.zeros((1100, 800), np.uint8)
    top, bottom = Segment(570, 720, 991.0, 4.0), Segment(485, 720, 1023.0, 4.0)
    for x0, x1 in [(486, 516), (525, 555), (571, 602), (610, 640), (648, 678), (686, 718)]:  # boxes a little apart
        binary[989:993, x0 - 1 : x1 + 2] = binary[1021:1025, x0 - 1 : x1 + 2] = 255
        binary[989:1025, x0 - 1 : x0 + 2] = binary[989:1025, x1 - 1 : x1 + 2] = 255
    cv2.line(binary, (560, 1012), (566, 998), 255, 2)  # the date's printed slash in the gap
    binary[995:1020, 541:544] = 255  # a 3's stroke in the box before it
    binary[995:1018, 698:701] = 255  # a 6's stem in the last box
    xs = [486.0, 516.0, 525.0, 542.0, 555.0, 571.0, 602.0, 610.0, 640.0, 648.0, 678.0, 686.0, 699.0, 718.0]
    found = band_fields(top, bottom, xs, 4.0, binary, LayoutConfig())
    cells = sorted((c.x, c.x + c.w) for f in found for c in f.cells)
    assert all(b <= c + 1 for (_, b), (c, _) in zip(cells, cells[1:])), cells  # none over another


def test_small_printed_numbers_beside_the_side_of_a_table_row_are_no_free_handwriting():
    """A printed table's last row whose top and bottom lines were lost (a scan on a dark lid,
    seed 1106): its side, a line's remnant as tall as handwriting, and its bold type, too
    small for handwriting and run together in places (`2`, `649`, `1`), made a row tall
    enough to pass, and `126491` was read as free handwriting. A sliver makes no row tall."""
    import cv2

    page = np.full((1100, 850), 250, np.uint8)
    cv2.line(page, (200, 599), (200, 619), 0, 4)  # the row's side
    for ch, x in zip("26491", (214, 228, 239, 250, 267)):  # 0.09 in tall; 6, 4 and 9 touch
        cv2.putText(page, ch, (x, 615), cv2.FONT_HERSHEY_DUPLEX, 0.72, 0, 2)
    assert find_layout(page, 150).fields == []
    page = np.full((1100, 850), 250, np.uint8)  # a thin 1 and two 0s as tall as handwriting stay
    cv2.line(page, (214, 590), (216, 620), 0, 2)
    for x in (240, 270):
        cv2.ellipse(page, (x, 605), (9, 15), 0, 0, 360, 0, 3)
    assert [f.kind for f in find_layout(page, 150).fields] == ["free"]


def test_a_row_of_handwritten_digits_of_two_sizes_is_free_handwriting(mnist):
    """A comb printed in dropout ink (its lines gone in the scan, seed 1121 page 8, 300 dpi) holding
    `01338`: a bold 0 and 1 as tall as the cells, the 3s and the 8 a quarter smaller. Two
    of five marks under three quarters of the tallest made the row look like a line of
    text (x-height letters beside ascenders), and five digits were lost without a word.
    Letters of a line's x-height are smaller than handwriting; these are not."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x = 540
    for label, height in zip((0, 1, 3, 3, 8), (41, 40, 30, 30, 39)):
        image = mnist.x_test[np.flatnonzero(mnist.y_test == label)[0]]
        rows, cols = np.flatnonzero(image.max(axis=1) > 40), np.flatnonzero(image.max(axis=0) > 40)
        ink = image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
        width = max(4, round(ink.shape[1] * height / ink.shape[0]))
        digit = 255 - cv2.resize(ink, (width, height), interpolation=cv2.INTER_LINEAR)
        bottom = 540
        page[bottom - height : bottom, x : x + width] = np.minimum(page[bottom - height : bottom, x : x + width], digit)
        x += width + 14
    fields = find_layout(page, 150).fields
    assert [f.kind for f in fields] == ["free"], [(f.kind, f.rect) for f in fields]
    assert fields[0].rect.x <= 540 and fields[0].rect.x + fields[0].rect.w >= x - 14


def test_the_paper_between_two_boxes_double_sides_is_no_line():
    """Two separate boxes drawn with double lines a few pixels apart (variants 1141 page 1,
    200 dpi, light grey): closing the gaps along the rows (to mend dotted lines) filled the
    paper between their four sides, a block as wide as a line piece is long, which the
    horizontal line mask kept. It joined the row's top and bottom lines into one piece, the
    bottom line lost in it, and the row was not found: five digits read as free handwriting,
    a sixth lost. What the closing fills across so long a stretch is paper between
    parallel lines; the gaps of a dotted line are short across it."""
    import cv2

    from formreader.layout.lines import line_mask

    binary = np.zeros((120, 200), np.uint8)
    for x0 in (14, 83):  # the outer squares 64 px wide, 5 px apart; the inner ones 5 px in
        for inset in (0, 5):
            cv2.rectangle(binary, (x0 + inset, 20 + inset), (x0 + 63 - inset, 90 - inset), 255, 3)
    mask = line_mask(binary, (18, 1), 30)
    assert not mask[35:75, 60:95].any()  # no block between the boxes
    assert mask[20, 20:70].all() and mask[90, 90:130].all()  # their lines
    dotted = np.zeros((40, 200), np.uint8)
    dotted[20:22, 10:190:5] = 255  # a dotted line: 1 px dots 4 px apart
    assert line_mask(dotted, (18, 1), 30)[20, 12:185].all()


def test_handwritten_digits_on_one_line_to_the_pixel_spaced_by_boxes_are_free_handwriting(mnist):
    """A row of separate boxes printed in dropout ink (dropout 1141 page 1, 200 dpi) holding
    `3091`, each digit as tall as the others (MNIST's are all scaled alike) and standing on
    one line to the pixel: taken for a printed line (one baseline, one cap height), four
    digits were lost without a word. Type's characters stand close; these stand apart by
    their boxes, most gaps more than half their height. The same digits set close stay
    type."""
    import cv2

    def row(gap: int) -> np.ndarray:
        page = np.full((1650, 1275), 255, np.uint8)
        x = 460
        for label in (3, 0, 9, 1):
            image = mnist.x_test[np.flatnonzero(mnist.y_test == label)[0]]
            rows, cols = np.flatnonzero(image.max(axis=1) > 40), np.flatnonzero(image.max(axis=0) > 40)
            ink = image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
            width = max(4, round(ink.shape[1] * 35 / ink.shape[0]))
            page[505:540, x : x + width] = 255 - cv2.resize(ink, (width, 35), interpolation=cv2.INTER_LINEAR)
            x += width + gap
        return page

    fields = find_layout(row(26), 150).fields
    assert [f.kind for f in fields] == ["free"], [(f.kind, f.rect) for f in fields]
    assert fields[0].rect.x <= 460 and fields[0].rect.w >= 150
    assert find_layout(row(6), 150).fields == []  # set close: a line of type
    # written closer, two fifths of their height apart: still a hand (fax 1524 p19, `14216` on
    # a page whose lines were lost: five digits lost without a word, its gaps 0.19-0.54)
    assert [f.kind for f in find_layout(row(14), 150).fields] == ["free"]


def test_handwritten_digits_set_close_on_two_lines_by_chance_are_free_handwriting():
    """A tick comb printed in dropout ink (dropout 1191 p3, 150 dpi) holding `81453`, set
    close (gaps under half their height): four of the five reached one top to the pixel and
    four one bottom, but not the same four (40 to 45 px tall). Taken for a line of type, five
    digits were lost without a word. Type's characters stand on the baseline and reach the
    cap height each at once; set so at a type's height (0.2 in) and as close as type (gaps
    a quarter of their height), the same marks stay type."""
    import cv2

    def row(tops_and_heights, gap: int = 12) -> np.ndarray:
        page = np.full((1754, 1240), 250, np.uint8)
        x = 407
        for (top, height), width in zip(tops_and_heights, (26, 12, 30, 28, 26)):  # loops, a narrow one as a 1
            cv2.ellipse(page, (x + width // 2, top + height // 2), (width // 2 - 2, height // 2 - 2), 0, 0, 360, 40, 4)
            x += width + gap
        return page

    fields = find_layout(row([(200, 40), (202, 41), (201, 41), (199, 45), (199, 45)]), 150).fields
    assert [f.kind for f in fields] == ["free"], [(f.kind, f.rect) for f in fields]
    assert fields[0].rect.x <= 407 and fields[0].rect.x + fields[0].rect.w >= 580
    assert find_layout(row([(200, 30), (201, 30), (200, 30), (199, 31), (200, 30)], gap=8), 150).fields == []
    # as tall as digits written in boxes (0.27 in), a row so set is handwriting: no form's type
    # is that tall, and MNIST's digits scaled to one box height stand on one baseline and cap
    # height to the pixel (dropout 1311 p1: `90485` lost without a word)
    tall = find_layout(row([(200, 41), (201, 41), (200, 41), (199, 42), (200, 41)]), 150).fields
    assert [f.kind for f in tall] == ["free"], [(f.kind, f.rect) for f in tall]


def test_a_small_digit_broken_in_two_does_not_make_a_row_of_digits_text():
    """Digits written where dropout boxes were (dropout 1291 p4, 200 dpi laid out at 150): an
    8, a 3, a 7 and a small 3 whose pen skipped, its two pieces 9 and 18 px tall one above
    the other. Two short marks of five made the row's heights two, as a line of text's
    x-height and ascenders are, and four digits were lost without a word. Pieces one above
    the other are one character."""
    import cv2

    page = np.full((1754, 1240), 250, np.uint8)
    for x in (412, 462, 516):  # 8, 3, 7: 35 px tall
        cv2.ellipse(page, (x + 11, 220), (9, 15), 0, 0, 360, 40, 4)
    cv2.ellipse(page, (584, 213), (5, 7), 0, 180, 360, 40, 3)  # the small 3's top, 12 px
    cv2.ellipse(page, (584, 226), (9, 8), 0, -90, 180, 40, 3)  # and its body below, 21 px
    fields = find_layout(page, 150).fields
    assert [f.kind for f in fields] == ["free"], [(f.kind, f.rect) for f in fields]
    assert fields[0].rect.x <= 412 and fields[0].rect.x + fields[0].rect.w >= 593


def test_a_digit_over_a_line_s_piece_is_not_one_character_with_it():
    """A faint tick comb on a pale page (pale 1348 p6, 150 dpi): its baseline and two ticks
    were left as one wide mark beside the 9 written above its end, and a speck after. Taken
    as one character with the 9 (it shares all the 9's width), the row had a tall mark and a
    speck, two heights, and the 9 was lost as text without a word. Pieces of one character
    share half the wider one's width."""
    import cv2

    from formreader.layout import LayoutConfig
    from formreader.layout.free import free_handwriting

    binary = np.zeros((1100, 1000), np.uint8)
    cv2.polylines(binary, [np.array([[506, 835], [560, 830], [600, 836], [657, 831]])], False, 255, 2)
    for x in (530, 580):
        cv2.line(binary, (x, 833), (x + 3, 813), 255, 2)
    cv2.ellipse(binary, (642, 798), (10, 9), 0, 0, 360, 255, 3)  # a 9
    cv2.line(binary, (651, 798), (648, 824), 255, 3)
    cv2.ellipse(binary, (665, 831), (4, 4), 0, 0, 360, 255, -1)
    found = free_handwriting(binary, [], lambda inches: inches * 150, LayoutConfig())
    assert len(found) == 1 and found[0].rect.x < 630 < 655 < found[0].rect.x + found[0].rect.w, [f.rect for f in found]


def test_bits_of_a_faint_comb_s_lines_beside_its_digits_make_no_line_of_text():
    """A faint comb on a pale page (pale 1349 p9, 150 dpi) whose end cells' lines were lost
    but for two bits, 20 and 11 px tall, floating above the baseline beside a 6 and a 3:
    two short marks of four, the row's heights were two, and the 6 and 3 were lost as a
    line of text without a word. A line of text's short letters stand on its baseline,
    nearer the tall marks' bottom than their top; these bits hang from the top."""
    import cv2

    from formreader.layout import LayoutConfig
    from formreader.layout.free import free_handwriting

    binary = np.zeros((1100, 1000), np.uint8)
    cv2.ellipse(binary, (738, 508), (7, 9), 0, 0, 360, 255, -1)  # a bit of a line, 20 px
    cv2.ellipse(binary, (764, 508), (13, 18), 0, 0, 360, 255, 4)  # a 6's loop, 41 px
    cv2.ellipse(binary, (809, 526), (12, 19), 0, 0, 360, 255, 4)  # a 3, 43 px, lower
    cv2.ellipse(binary, (837, 502), (3, 5), 0, 0, 360, 255, -1)  # a bit of the side, 11 px
    found = free_handwriting(binary, [], lambda inches: inches * 150, LayoutConfig())
    assert len(found) == 1 and found[0].rect.x < 749 and found[0].rect.x + found[0].rect.w > 824, [f.rect for f in found]


def test_bold_handwritten_0s_and_8s_are_free_handwriting_not_checkboxes():
    """Separate boxes printed in dropout ink (dropout 1141 pages 2 and 5, 300 dpi): a bold 0,
    squarish, its strokes a quarter of its width, and a bold 8 whose loops the layout's ink
    ran into one blob, each alone in its box, filled their bounds' outer quarters as a
    checkbox's lines do: taken for checkboxes, they were lost without a word. A checkbox's
    sides are box lines, and its middle is paper but for a tick; a ticked one stays none."""
    import cv2

    page = np.full((1754, 1240), 250, np.uint8)
    t = np.linspace(0, 2 * np.pi, 100)
    squarish = np.stack([322 + 20 * np.sign(np.cos(t)) * np.abs(np.cos(t)) ** 0.5, 518 + 13 * np.sign(np.sin(t)) * np.abs(np.sin(t)) ** 0.5], 1)
    cv2.polylines(page, [squarish.astype(np.int32)], True, 30, 12)  # a bold 0, squarish (53 x 38 px at 150 dpi)
    cv2.rectangle(page, (600, 500), (628, 536), 30, -1)  # a bold 8, its loops run together
    cv2.circle(page, (609, 510), 2, 250, -1)
    cv2.circle(page, (617, 526), 2, 250, -1)
    checkboxes = np.full((1754, 1240), 250, np.uint8)
    for x in (300, 600):
        cv2.rectangle(checkboxes, (x, 500), (x + 22, 522), 30, 2)  # 0.15 in
    cv2.polylines(checkboxes, [np.array([[604, 511], [610, 518], [619, 504]])], False, 30, 2)  # one ticked
    fields = find_layout(page, 150).fields
    assert [f.kind for f in fields] == ["free", "free"], [(f.kind, f.rect) for f in fields]
    assert find_layout(checkboxes, 150).fields == []


def test_the_end_of_a_printed_title_set_apart_by_a_space_is_no_free_handwriting():
    """A form's bold title `FORM 2026` (a page on a dark lid, seed 1116): its last two figures
    stood a row's gap from the rest, a row of two marks too few to tell type from a hand,
    and were read as free handwriting. A short row on the baseline and cap height, to the
    pixel, of a printed row of four characters or more, within three heights of it, ends
    that line. (Single digits written in separate boxes line up so with each other on a
    generated page, and stay: the dropout pages lost digits to a looser rule.)"""
    import cv2

    page = np.full((1100, 850), 250, np.uint8)
    (w, _), _ = cv2.getTextSize("FORM 20", cv2.FONT_HERSHEY_DUPLEX, 1.2, 3)
    cv2.putText(page, "FORM 20", (100, 130), cv2.FONT_HERSHEY_DUPLEX, 1.2, 0, 3)
    cv2.putText(page, "26", (100 + w + 38, 130), cv2.FONT_HERSHEY_DUPLEX, 1.2, 0, 3)
    assert find_layout(page, 150).fields == []


def test_a_digit_in_the_gap_between_separate_boxes_is_free_handwriting(mnist):
    """A dithered fax's comb of seven cells, read as pieces: one of them two separate boxes a
    box apart (the cell between lost its lines), whose 4 lay in the gap, on the field's
    bounds. It was taken for that field's ink, read by none and lost without a word.
    Separate boxes take what is written in them, not what lies between them; but for one
    straight stroke there, a date's printed slash (a 1 there is taken for one too)."""
    import cv2

    from formreader.layout import LayoutConfig
    from formreader.layout.free import free_handwriting
    from formreader.layout.model import Field, Rect

    binary = np.zeros((700, 800), np.uint8)
    four = cv2.resize(mnist.x_test[4], (34, 34), interpolation=cv2.INTER_LINEAR)  # a 4 (ink light on dark, as the binary)
    binary[448:482, 568:602] = np.where(four > 128, 255, 0)
    boxes = Field("boxes", [Rect(524, 446, 41, 48), Rect(603, 446, 41, 48)], 2.0)
    free = free_handwriting(binary, [boxes], lambda inches: inches * 150, LayoutConfig())
    assert len(free) == 1 and 560 <= free[0].rect.x < 572 and free[0].rect.x + free[0].rect.w > 598, [f.rect for f in free]
    binary[:] = 0
    cv2.line(binary, (578, 480), (590, 452), 255, 2)  # a slash
    assert free_handwriting(binary, [boxes], lambda inches: inches * 150, LayoutConfig()) == []


def test_a_string_box_whose_digits_came_near_both_lines_is_no_comb():
    """A dithered fax's string box (300 dpi read at 150) holding 06040183 in small bold
    digits: undithered, they came within 2 px of both lines, the line mask closed those
    gaps, and six of their strokes stood as dividers. Mended as a comb, its cells were 18 to
    55 px wide, and two cells of two digits each were read as sure 0s. A printed comb's
    cells are one width: cells that far apart make no comb, and the box is one string."""
    from formreader.layout import LayoutConfig
    from formreader.layout.boxes import band_fields
    from formreader.layout.model import Segment

    binary = np.zeros((800, 700), np.uint8)
    top, bottom = Segment(389, 637, 725.5, 5.0), Segment(389, 637, 761.5, 5.0)
    binary[723:728, 389:638] = binary[759:764, 389:638] = 255
    xs = [391.5, 416.5, 434.0, 456.0, 476.0, 531.0, 549.0, 633.0]
    for x in (391.5, 633.0):  # the sides
        binary[723:764, int(x) - 2 : int(x) + 3] = 255
    for x in xs[1:-1]:  # the digits' strokes, 2 px short of each line
        binary[730:757, int(x) - 1 : int(x) + 2] = 255
    found = band_fields(top, bottom, xs, 5.0, binary, LayoutConfig())
    assert [f.kind for f in found] == ["string"] and len(found[0].cells) == 1, [(f.kind, f.cells) for f in found]


def test_a_tick_comb_with_nearly_as_many_digits_standing_on_its_line_as_ticks():
    """An 8-cell tick comb (a scanner-lid page, 300 dpi read at 150) whose seven digits were
    written low, each standing on the line: eight strokes rising 33-37 px among eight ticks
    rising 14-15 (a ninth hidden under a 0). The median rise of all sixteen lay between the
    two (24 px), so the digits' strokes counted as stems of type and the comb was refused as
    a line of text; its digits were read as free handwriting, all flagged. The ticks' rise
    is now the median of the pieces not twice as high as the lowest quarter of them."""
    from formreader.layout import LayoutConfig
    from formreader.layout.model import Segment
    from formreader.layout.ticks import tick_combs

    base = Segment(528.0, 803.0, 813.0, 2.0)
    ticks = [(528.0, 800), (562.5, 799), (596.5, 799), (630.0, 800), (699.0, 800), (733.0, 799), (767.0, 799), (800.5, 800)]
    strokes = [(617.0, 780), (642.0, 777), (647.5, 777), (677.5, 779), (717.0, 781), (755.0, 781), (778.5, 778), (783.5, 778)]
    vs = [Segment(float(a0), 814.0, x, 2.0) for x, a0 in ticks + strokes]
    found = tick_combs([base], vs, np.zeros((900, 900), np.uint8), lambda inches: inches * 150, LayoutConfig())
    assert len(found) == 1 and len(found[0].cells) == 8, [f.rect for f in found]
    assert np.allclose([c.x for c in found[0].cells], [528 + 34.06 * k for k in range(8)], atol=3)


def test_a_tick_comb_with_a_digit_standing_on_its_line_in_most_cells():
    """A 4-cell tick comb on a dithered fax (200 dpi read at 150; fax 1174 p10) holding 1, 8
    and 7, each written low, standing on the line off the grid: three marks against five
    ticks, so the comb was refused as a line of type and its digits read as free
    handwriting, flagged. One mark to a cell is handwriting in a comb (letters of type
    stand several to a cell); a dithered speck beside a stroke is no mark of its own."""
    import cv2

    from formreader.layout import LayoutConfig
    from formreader.layout.model import Segment
    from formreader.layout.ticks import tick_combs

    binary = np.zeros((1300, 700), np.uint8)
    base = Segment(388.0, 586.0, 1179.0, 4.0)
    binary[1177:1182, 388:587] = 255
    ticks = [(391.0, 1159), (438.5, 1160), (486.5, 1160), (535.0, 1160), (583.0, 1159)]
    strokes = [(417.5, 1170), (464.5, 1149), (504.5, 1173)]  # the 1's foot, the 8's lower bowl, the 7's stem
    for x, a0 in ticks:
        binary[a0:1178, int(x) - 1 : int(x) + 2] = 255
    for k, (x, _) in enumerate(strokes):  # each digit above the line, its stroke running into it (the 1's thin)
        cv2.line(binary, (int(x), 1130), (int(x), 1177), 255, 1 if k == 0 else 3)
        cv2.line(binary, (int(x) - 8, 1132), (int(x), 1130), 255, 3)
    binary[1165:1167, 419:421] = 255  # a speck a pixel from the 1's foot
    vs = [Segment(float(a0), 1182.0, x, 3.0) for x, a0 in ticks + strokes]
    found = tick_combs([base], vs, binary, lambda inches: inches * 150, LayoutConfig())
    assert len(found) == 1 and [round(c.x) for c in found[0].cells] == [391, 438, 486, 535], [f.rect for f in found]
    # two marks in one cell (letters of type standing on the line): no comb
    cv2.line(binary, (452, 1150), (452, 1177), 255, 2)
    vs.append(Segment(1150.0, 1182.0, 452.0, 2.0))
    assert tick_combs([base], vs, binary, lambda inches: inches * 150, LayoutConfig()) == []


def test_a_signature_crossing_one_row_again_and_again_at_its_start_keeps_its_tip():
    """A signature's scribble (variants 1551 p12): at its start, its strokes crossed one row
    every few pixels for half a box's width, which the bridge closed into one run. OpenCV's
    opening takes the border for ink by default, so that run, at the shape's left edge,
    passed for a line longer than a box and was taken off: the tip left in two pieces, two
    free fields of flagged 1s. The scribble has no line: it stays one wide shape."""
    import cv2

    from formreader.layout.free import _split_lines_off
    from formreader.layout.lines import shape_bounds

    binary = np.zeros((200, 600), np.uint8)
    tip = [(100 + x, 100 if k % 2 else 136) for k, x in enumerate(range(0, 56, 5))]
    rest = [(160 + x, 90 if k % 2 else 150) for k, x in enumerate(range(0, 300, 20))]
    cv2.polylines(binary, [np.array(tip + rest, np.int32)], False, 255, 3)
    bounds = shape_bounds(binary)
    assert len(bounds) == 1
    assert _split_lines_off(binary, bounds, [], 7.5, 22.5, 93.0).T.tolist() == bounds.tolist()


def test_digits_touching_the_line_of_a_comb_no_finder_took_are_free_handwriting(mnist):
    """A dithered fax's tick comb (200 dpi read at 150) that no finder took, holding 08500:
    the 8 and the last 0 touched its line, so line, ticks and those two digits were one
    shape, wider than any box; in the row with the other three digits it made them look
    like a line of text (marks of two heights), and all five were lost without a word. A
    shape wider than any box, off every field, is looked at without its long lines: the
    digits touching them are read, and the ticks, shorter than a digit, are no marks."""
    import cv2

    from formreader.layout import LayoutConfig
    from formreader.layout.free import free_handwriting

    binary = np.zeros((500, 800), np.uint8)
    binary[378:383, 388:640] = 255  # the line, and a tick at each cell's side
    for k in range(6):
        binary[366:378, 388 + 50 * k : 393 + 50 * k] = 255
    for k, (i, size) in enumerate(((3, 36), (61, 54), (23, 36), (10, 52), (13, 50))):  # 0 8 5 0 0 (MNIST test digits)
        digit = cv2.resize(mnist.x_test[i], (size, size), interpolation=cv2.INTER_LINEAR) > 100
        rows = np.flatnonzero(digit.any(axis=1))
        bottom = 381 if k in (1, 4) else 370  # the 8 and the last 0 stand on the line
        top, left = bottom - rows[-1], 413 + 50 * k - size // 2
        binary[top : top + size, left : left + size] |= (digit * 255).astype(np.uint8)
    free = free_handwriting(binary, [], lambda inches: inches * 150, LayoutConfig())
    assert len(free) == 1 and free[0].rect.x < 400 and free[0].rect.x + free[0].rect.w > 620, [f.rect for f in free]


@pytest.mark.parametrize("how", ["line broken", "page framed"])
def test_digits_touching_a_broken_line_or_inside_a_page_frame_are_free_handwriting(mnist, how):
    """A tick comb of seven cells like the one above, wider than a mark may be, two ways
    it was still lost without a word (variants 1351 p11, a light double-framed comb at 300
    dpi on a page with a frame round it): its line 2 px thick, each row of it broken by
    gaps of 4 px every 30 px, so that no row of it ran as long as a box is wide; or the
    comb and its digits within a frame round the whole page, a shape in that frame's
    hole, never looked at. A line broken by a few pixels is still a line, and every shape
    is looked at, wherever it lies."""
    import cv2

    from formreader.layout import LayoutConfig
    from formreader.layout.free import free_handwriting

    binary = np.zeros((500, 800), np.uint8)
    binary[378:383, 388:740] = 255  # the line, and a tick at each cell's side
    for k in range(8):
        binary[366:378, 388 + 50 * k : 393 + 50 * k] = 255
    for k, (i, size) in enumerate(((3, 36), (61, 54), (23, 36), (10, 52), (13, 50), (3, 36), (61, 54))):  # 0850008 (MNIST test digits)
        digit = cv2.resize(mnist.x_test[i], (size, size), interpolation=cv2.INTER_LINEAR) > 100
        rows = np.flatnonzero(digit.any(axis=1))
        bottom = 381 if k in (1, 4, 6) else 370  # the 8s and a 0 stand on the line
        top, left = bottom - rows[-1], 413 + 50 * k - size // 2
        binary[top : top + size, left : left + size] |= (digit * 255).astype(np.uint8)
    if how == "line broken":
        binary[380:383, 388:740] = 0
        for x in range(400, 740, 30):
            binary[378, x : x + 4] = 0
            binary[379, x + 15 : x + 19] = 0
    else:
        cv2.rectangle(binary, (10, 10), (789, 489), 255, 2)
    free = free_handwriting(binary, [], lambda inches: inches * 150, LayoutConfig())
    assert len(free) == 1 and free[0].rect.x < 400 and free[0].rect.x + free[0].rect.w > 730, [f.rect for f in free]


def test_a_stub_left_on_a_tables_line_does_not_make_its_printed_number_handwriting():
    """A dithered fax's printed table (fax 1374 p13): the free look took a row's bottom line
    off its wide shape, and left a stub of a column's line standing on it, with the line's
    rough edge beside the stub: 9 px wide, taller than the small printed number beside it,
    it made that number's row as tall as handwriting, and the number was read as free
    handwriting (flagged). The line goes with its rough edges, a row each side; the stub
    left is as thin as a line, and type stays too small to be a digit."""
    from formreader.layout import LayoutConfig
    from formreader.layout.free import free_handwriting

    binary = np.zeros((500, 800), np.uint8)
    binary[300:303, 100:700] = 255  # the table's bottom line, 3 px
    for x in range(110, 690, 23):
        binary[299, x : x + 9] = binary[303, x + 5 : x + 12] = 255  # its rough edges
    binary[276:300, 300:303] = 255  # the stub of a column's line, 24 px tall
    binary[299, 296:306] = 255
    binary[281:298, 330:368] = binary[281:298, 371:384] = 255  # a printed number, two pieces 17 px tall
    free = free_handwriting(binary, [], lambda inches: inches * 150, LayoutConfig())
    assert not any(f.rect.x < 384 and f.rect.x + f.rect.w > 330 for f in free), [f.rect for f in free]


@pytest.mark.parametrize("gap", [1, 3])
def test_a_string_box_whose_small_digits_never_touch_its_lines_is_no_comb(gap):
    """A dithered fax's string box holding 030717389 in small digits (fax seed 774, page 0):
    undithered, their upright strokes came within 1-3 px of both lines, the line mask
    closed the gaps, and four strokes stood as sides. Mended, they made a comb of 7 cells
    22-56 px wide (near enough one width) read as 3739, its digits cut across. A comb's
    dividers, ticks and half-height dividers run on from a line; these strokes have paper
    between them and both lines, so the box is one string. The same strokes run on from
    the bottom line (a comb's half-height dividers) still make a comb, its other dividers
    hidden under digits' ink (a divider hidden under paper is none: a string box's blank)."""
    from formreader.layout import LayoutConfig
    from formreader.layout.boxes import band_fields
    from formreader.layout.model import Segment

    top, bottom = Segment(389, 688, 607.0, 6.0), Segment(389, 688, 641.0, 6.0)
    xs = [390.0, 412.0, 453.0, 490.0, 546.0, 686.0]

    def box(strokes_from: int, strokes_to: int, digits_over: tuple[int, ...] = ()) -> np.ndarray:
        binary = np.zeros((800, 800), np.uint8)
        binary[604:610, 389:689] = binary[638:644, 389:689] = 255
        for x in (390, 686):  # the sides
            binary[604:644, x - 2 : x + 3] = 255
        for x in xs[1:-1]:  # the digits' strokes
            binary[strokes_from:strokes_to, int(x) - 1 : int(x) + 2] = 255
        for x in digits_over:  # a bold digit's ink over a divider, from line to line
            binary[610:638, x - 8 : x + 8] = 255
        return binary

    found = band_fields(top, bottom, xs, 6.0, box(610 + gap, 638 - gap), LayoutConfig())
    assert [f.kind for f in found] == ["string"] and len(found[0].cells) == 1, [(f.kind, f.cells) for f in found]
    found = band_fields(top, bottom, xs, 6.0, box(625, 638, (593, 639)), LayoutConfig())
    assert [f.kind for f in found] == ["comb"], [(f.kind, f.cells) for f in found]


def test_the_steps_of_a_thick_line_turned_straight_are_no_ticks():
    """A printed table's row (a dithered fax at 300 dpi, turned 2 degrees; fax seed 784):
    turned straight by nearest pixels, its thick bottom line's edge stepped up a pixel or
    two every 28 px, and the first two steps, seen as pieces 1 px long rising 6 px from the
    line's middle, made a tick comb of 28 cells with the hidden ticks at every other step.
    The row's printed digits were read as handwriting, seven of them accepted. A tick is a
    piece of its own a tenth of the box long at least."""
    from formreader.layout.short_dividers import short_dividers
    from formreader.layout.model import Segment

    top, bottom = Segment(119, 904, 1650.0, 8.0), Segment(120, 903, 1688.0, 8.0)
    binary = np.zeros((1800, 1000), np.uint8)
    binary[1646:1655, 119:905] = binary[1684:1693, 120:904] = 255
    for x in range(151, 900, 28):  # the steps
        binary[1682:1684, x : x + 14] = 255
    columns = [Segment(1656, 1683, x, 6.0) for x in (122, 316, 510, 706, 899)]  # the table's columns, line to line
    steps = [Segment(1682, 1683, 179, 2.0), Segment(1682, 1683, 372, 1.0)]
    assert short_dividers(sorted(columns + steps, key=lambda v: v.c), top, bottom, 121, 901, 10.0, 3.0, binary) == []


def test_a_stroke_on_neither_line_of_a_bold_string_box_is_no_side():
    """A dithered fax's string box holding 10288216 (fax seed 784, page 12): undithered at
    150 dpi its sides came out 7 px thick, bolder than a box line, and its 1, blurred 6 px
    thick, stood from line to line in the line mask, which closed the gaps of 3 px between
    it and both lines. Taken for a bold side, it split the box into two cells too wide for
    boxes, and the box was dropped: its eight digits were lost. A side stands on a line."""
    from formreader.layout import LayoutConfig
    from formreader.layout.model import Segment
    from formreader.layout.page import bold_bands

    top, bottom = Segment(389, 734, 1130.0, 6.0), Segment(389, 734, 1175.0, 6.0)
    binary = np.zeros((1300, 800), np.uint8)
    binary[1127:1134, 389:735] = binary[1172:1179, 389:735] = 255
    binary[1126:1180, 388:395] = binary[1126:1180, 726:733] = 255
    binary[1137:1169, 601:607] = 255  # the 1, 3 px short of each line
    vs = [Segment(1126, 1179, 391.5, 7.0), Segment(1127, 1179, 603.5, 6.0), Segment(1126, 1179, 729.5, 7.0)]
    bands = bold_bands([top, bottom], vs, [], lambda inches: inches * 150, LayoutConfig(), binary)
    assert [len(xs) for _, _, xs, _ in bands] == [2], bands


def test_a_four_cell_comb_of_half_dividers_with_digits_on_its_line():
    """A comb of four cells under half-height dividers on a 1-bit page at 300 dpi (fax
    seed 804, page 17), holding 3 2 8 5 whose strokes stand on its bottom line: of six
    pieces rising from the line, the median rise fell between the dividers' (25-27 px) and
    a 5's stroke (22), which passed for a divider off the grid, and with three dividers a
    comb needed four: read as one string, 32815, a divider taken for a sure 1. The
    dividers' rise is the one most pieces share; three at every place of a four-cell grid
    make the comb."""
    from formreader.layout.short_dividers import short_dividers
    from formreader.layout.model import Segment

    top, bottom = Segment(391, 584, 579.5, 3.0), Segment(391, 584, 629.5, 3.0)
    pieces = [(392, 578, 630, 3.0), (416, 616, 630, 2.0), (438, 603, 630, 3.0), (486, 604, 631, 3.0), (504, 592, 631, 2.0),
              (534, 604, 631, 3.0), (546, 618, 631, 2.0), (564, 608, 631, 2.0), (581, 578, 631, 4.0)]
    vs = [Segment(a0, a1, c, t) for c, a0, a1, t in pieces]
    assert short_dividers(vs, top, bottom, 391.0, 582.0, 5.0, 7.5) == [438.0, 486.0, 534.0]


def test_a_bold_comb_round_a_digit_that_closes_a_box_of_its_own():
    """A comb in a bold frame with hairline dividers (variants seed 801, page 1) whose last
    cell holds a bold 2: its top stroke and bar, between two strokes, closed a small box of
    their own, found before the bold frame; the frame overlapped it and was dropped, and of
    7 7 4 1 6 2 only the 4 was read (as free handwriting, flagged), the 7s and the 1 lost
    without a word. A band wholly inside the frame is a digit's, and the frame stands
    (stacked then drops the inner band as a box inside a box)."""
    from formreader.layout import LayoutConfig
    from formreader.layout.model import Segment
    from formreader.layout.page import bold_bands

    top, bottom = Segment(386, 673, 194.0, 8.0), Segment(385, 673, 247.0, 8.0)
    vs = [Segment(190, 251, x, 8.0 if x in (388, 670) else 2.0) for x in (388, 436, 482, 528, 574, 620, 670)]
    digit = (Segment(629, 656, 203.0, 6.0), Segment(619, 659, 233.0, 4.0), [619.0, 654.0], 5.0)
    bands = bold_bands([top, bottom], vs, [digit], lambda inches: inches * 150, LayoutConfig())
    assert [(t.c, b.c) for t, b, _, _ in bands] == [(194.0, 247.0)], bands


def test_strokes_on_neither_line_are_no_dividers_of_a_comb():
    """A comb of seven cells in a bold frame (third maker, seed 803, page 15): a 1 and a
    9's stem stood between its hairline dividers, close to both lines, and the comb was
    read as nine cells 24 px wide, the 9 and the 6 read as sure 1s. A divider stands on a
    line; where two strokes do, those on neither are a digit's."""
    from formreader.layout import LayoutConfig
    from formreader.layout.boxes import band_fields
    from formreader.layout.model import Segment

    top, bottom = Segment(375, 612, 1450.0, 6.0), Segment(375, 612, 1480.0, 6.0)
    binary = np.zeros((1600, 700), np.uint8)
    binary[1447:1454, 375:613] = binary[1477:1484, 375:613] = 255
    binary[1447:1484, 375:382] = binary[1447:1484, 604:611] = 255  # the bold frame's sides
    dividers = [408, 442, 475, 509, 542, 575]
    for x in dividers:
        binary[1447:1484, x - 1 : x + 1] = 255
    for x in (424, 458):  # a 1 and a 9's stem, 3 px short of each line
        binary[1457:1474, x - 1 : x + 2] = 255
    xs = [384.0, 408.0, 424.0, 442.0, 458.0, 475.0, 504.0, 542.0, 575.0, 601.0]  # as found: the frame's inner edges
    found = band_fields(top, bottom, xs, 6.0, binary, LayoutConfig())
    assert [f.kind for f in found] == ["comb"] and len(found[0].cells) == 7, [(f.kind, f.cells) for f in found]


def test_a_digit_beside_a_bold_box_is_no_rounded_side():
    """A row of bold grey boxes (lines 8 px at 150 dpi; formgen's variant pages, seed 811)
    whose lines ran on from box to box unevenly: two boxes, holding a 1 and an 8, were found
    by no pair of lines. A 1's stroke and the 8's left side, stopped short alike, passed for
    the rounded sides of a box beside the next box found, over the gap between the two; that
    box was read blank, the two boxes were never found, and the 1 and the 8 were lost without
    a word. One pen drew a row: sides beside a box are as thick as its lines, within 2 px
    (the bold boxes' own sides, too thick for a side, are not among these)."""
    from formreader.layout import LayoutConfig
    from formreader.layout.faint_boxes import rest_of_row
    from formreader.layout.model import Field, Rect, Segment

    strokes = [Segment(1062.0, 1102.0, 690.5, 3.0), Segment(1063.0, 1097.0, 750.0, 2.0)]
    found = [Field("boxes", [Rect(802.0, 1052.0, 60.0, 55.0)], 8.0)]
    assert rest_of_row(found, [], [], strokes, LayoutConfig()) == []
    # drawn with a pen as thin as the strokes, such a pair still closes a rounded box
    thin = [Field("boxes", [Rect(802.0, 1052.0, 60.0, 55.0)], 2.0)]
    assert [f.cells[0].x for f in rest_of_row(thin, [], [], strokes, LayoutConfig())] == [690.5]


def test_a_rounded_boxs_side_whose_corner_arc_reaches_its_top_line():
    """A row of hairline rounded boxes on a JPEG turned 3 degrees (other 1262 p21, 150 dpi):
    one box's left side, its corner's arc with it, ran in the line mask right up to the top
    line's edge, so it stopped short of the top by nothing, and it was no rounded side; the
    box went unfound and its bold 8 was read as free handwriting, a 5 (flagged). A side
    stopped short of one line by nothing, of the other by a little, stands as far beyond
    the lines' end as the arc allows. A neighbour's side, from line to line, still does
    not pass. These are the lines and sides found there."""
    from formreader.layout.bands import find_bands, rounded_side
    from formreader.layout.model import LayoutConfig, Segment

    top, bottom = Segment(637.0, 678.0, 859.5, 1.0), Segment(638.0, 678.0, 917.5, 1.0)
    left, right = Segment(860.0, 916.0, 633.5, 1.0), Segment(863.0, 914.0, 680.5, 1.0)
    assert rounded_side([left], top, bottom, 638.0, -1, 3.0) is left
    assert rounded_side([Segment(859.0, 918.0, 633.5, 1.0)], top, bottom, 638.0, -1, 3.0) is None  # a neighbour's side
    bands = find_bands([top, bottom], [left, right], lambda inches: inches * 150, LayoutConfig())
    assert len(bands) == 1 and bands[0][2][0] == 633.5 and len(bands[0][2]) == 2  # the box, from its left side


def test_digits_from_line_to_line_hide_no_comb_of_half_dividers():
    """A four-cell comb of dividers rising a third of its height (a 300 dpi page of another
    maker than formgen, at a slant, read at 150): its 0's left side and its 8's came within a
    pixel of both lines, so the band's strokes made cells too narrow to look for short
    dividers; the strokes, standing on neither line, were then dropped and the comb read as
    one string, its third divider a 1 accepted (`20815` for 2085). Strokes on neither line
    hide no wide cell. These are the lines and strokes found there."""
    from formreader.layout.bands import find_bands
    from formreader.layout.model import LayoutConfig, Segment

    top, bottom = Segment(405.0, 559.0, 1418.0, 3.0), Segment(405.0, 559.0, 1455.0, 3.0)
    vs = [Segment(1419.0, 1459.0, 406.0, 4.0), Segment(1414.0, 1456.0, 556.0, 4.0)]  # the box's sides
    ticks = [Segment(1437.0, 1458.0, 443.5, 3.0), Segment(1436.0, 1457.0, 481.5, 3.0), Segment(1435.0, 1456.0, 518.5, 3.0)]
    strokes = [Segment(1417.0, 1458.0, 457.0, 6.0), Segment(1415.0, 1456.0, 502.0, 2.0)]  # the 0's, the 8's
    binary = np.zeros((1600, 700), np.uint8)
    for s in (top, bottom):
        binary[int(s.c - s.t / 2) : int(s.c + s.t / 2) + 1, int(s.a0) : int(s.a1)] = 255
    for v in vs + ticks:
        binary[int(v.a0) : int(v.a1), int(v.c - v.t / 2) : int(v.c + v.t / 2) + 1] = 255
    for v in strokes:  # paper between them and the lines on the page
        binary[1422:1451, int(v.c - v.t / 2) : int(v.c + v.t / 2) + 1] = 255
    bands = find_bands([top, bottom], vs + ticks + strokes, lambda inches: inches * 150, LayoutConfig(), binary=binary)
    assert [[round(x) for x in xs] for _, _, xs, _ in bands] == [[406, 444, 482, 518, 558]]


def test_a_1_written_near_a_box_side_is_no_part_of_the_side():
    """A rounded box (formgen's variant pages, seed 811, 200 dpi read at 150) holding a 1
    written 12 px in from its left side: the side, the band's end a pixel or two on and the
    1's stroke were merged, one after the next, into one side 4 px in. The box was cut from
    there, its 1 taken for the side, and the box read blank: the 1 lost without a word.
    A band's end joins the side beside it but carries the merging no farther. These are
    the lines and strokes found there."""
    from formreader.layout.bands import find_bands
    from formreader.layout.boxes import band_fields
    from formreader.layout.model import LayoutConfig, Segment

    top, bottom = Segment(717.0, 759.0, 587.0, 6.0), Segment(716.0, 761.0, 630.5, 5.0)
    vs = [Segment(586.0, 630.0, 715.5, 5.0), Segment(587.0, 632.0, 758.5, 5.0), Segment(584.0, 634.0, 728.0, 6.0)]  # sides, the 1
    binary = np.zeros((700, 900), np.uint8)
    for s in (top, bottom):
        binary[int(s.c - s.t / 2) : int(s.c + s.t / 2) + 1, int(s.a0) : int(s.a1)] = 255
    for v in vs:
        binary[int(v.a0) : int(v.a1), int(v.c - v.t / 2) : int(v.c + v.t / 2) + 1] = 255
    config = LayoutConfig()
    [(t, b, xs, line)] = find_bands([top, bottom], vs, lambda inches: inches * 150, config, binary=binary)
    [field] = band_fields(t, b, xs, line, binary, config)
    assert field.kind == "boxes" and abs(field.cells[0].x - 716) <= 1.5, field


def test_a_digit_written_across_a_tick_combs_line_is_one_mark():
    """A tick comb of four cells (formgen's variant pages, seed 831, 400 dpi read at 150)
    whose third digit, a 6, was written low across the line: its loop crossed it in three
    pieces off the ticks' grid, which outvoted the five ticks (more than half as many off
    the grid as on it: a line of text), and the comb was read at half its step, eight
    cells, a 1 accepted in a cell of no digit. Pieces joined by ink above the line are one
    mark; letters of type stand apart and still count one by one, and a mark wider than a
    cell is no digit's."""
    from formreader.layout.model import Segment
    from formreader.layout.ticks import ticks_on_baseline

    base = Segment(390.0, 608.0, 376.0, 3.0)
    ticks = [390.0, 444.0, 498.0, 552.0, 604.0]
    seen = sorted(ticks + [510.0, 521.0, 528.0])
    binary = np.zeros((500, 700), np.uint8)
    binary[375:378, 390:608] = 255  # the line
    for x in ticks:
        binary[362:378, int(x) - 1 : int(x) + 1] = 255
    binary[330:374, 507:531] = 255  # the 6's ink above the line, the three pieces in it
    assert ticks_on_baseline(ticks, seen, base, seen, binary, 60.0) == ticks
    # three letters apart, each standing on the line off the grid, still make no comb
    letters = np.zeros_like(binary)
    letters[375:378, 390:608] = 255
    for x in ticks:
        letters[362:378, int(x) - 1 : int(x) + 1] = 255
    for x in (510, 521, 528):
        letters[350:374, x - 1 : x + 2] = 255
    assert ticks_on_baseline(ticks, seen, base, seen, letters, 60.0) == []
    # nor does a word written joined up, or a signature, along the line: wider than a cell
    letters[330:350, 440:560] = 255
    assert ticks_on_baseline(ticks, seen, base, seen, letters, 60.0) == []


def test_stems_of_bold_type_off_an_even_grid_are_no_tick_comb():
    """A page's note in bold type (variants 1525 p4, 200 dpi laid out at 150): its letters'
    feet ran together into a "baseline", and its stems, one to a letter or two, stood as a
    tick comb of eleven cells, every mark read and flagged as no digit. Printed ticks keep
    to an even grid within a pixel (195 tick combs of tuning pages: 1.1 px at most); six of
    these twelve stood over 2 px off it. The same stems on an even grid are a comb."""
    from formreader.layout import LayoutConfig
    from formreader.layout.model import Segment
    from formreader.layout.ticks import tick_combs, uneven

    stems = [206.0, 234.0, 258.0, 292.0, 321.0, 349.0, 372.0, 400.0, 432.0, 456.0, 486.0, 516.0]
    assert uneven(stems)
    even = [206.0 + 28.2 * k + (0.8 if k % 3 == 0 else 0.0) for k in range(12)]  # a pixel off here and there
    assert not uneven(even)
    # a dithered fax's comb, two of its eight ticks digits' strokes standing in for them (fax 1514 p0)
    assert not uneven([393.0 + 38.5 * k + d for k, d in enumerate((2.9, -1.8, -1.8, -1.7, -0.2, 3.6, -0.6, -0.5))])

    def found(xs):
        base = Segment(xs[0], xs[-1], 1661.5, 4.0)
        vs = [Segment(1630.0, 1663.0, x, 3.0) for x in xs]
        return tick_combs([base], vs, np.zeros((1800, 700), np.uint8), lambda inches: inches * 150, LayoutConfig())

    assert found(stems) == []
    assert len(found(even)) == 1 and len(found(even)[0].cells) == 11


def test_the_top_of_a_line_of_bold_type_is_no_tick_combs_line():
    """A form's note in bold type under a comb (formgen's variant pages, seed 861, 200 dpi
    read at 150): the top of its small letters passed for a line 6 px thick, and the 'f',
    't' and '1' rising from it for the ticks of a comb of three cells, which read a 4 of
    the note, printed, as a sure digit. Its letters sit on no line, but hang from it: the
    three rows below the line are inked through over more than a third of it. Below a
    comb's line is paper, but for a digit's stroke crossing it or a tint's speckles."""
    from formreader.layout.model import Segment
    from formreader.layout.ticks import hangs_below

    rows = [  # the page's ink there (every other column), rows 894-912; the line is 901-907
        ".................................#............................................................",
        "...##..###.....................###..#####.......................##...........................#",
        "...##..###.....................##########.......................###......###.....###....###..#",
        "...##..###.....................##########.......................###.....####.....###....###..#",
        "...##..###....................####.######.......................##......####....####....###..#",
        "..###..##.##..............##.###########...###....##.......##..####....#####....####....##...#",
        ".############..####.....####.############..####..####.....##########...#####...#####....##...#",
        ".############.#####.....#################.############...###########...#####...#####....##..##",
        ".############.######...##################.############...###########...#####..######....######",
        ".############.##..##...###.##.###########.############...######.##.......###..######....######",
        "...##..##..##.######...##..##.###..##..##.##.#########...######.##.......###..######....######",
        "...##..##..##.######...##..##.###..##..##.##....######....#####.##.......###..#######...######",
        "...##..##..##.######...##..##.###..##..##.##....######...######.##.......###..#######...####.#",
        "...##..##..##.######...##..##.###..##..#####.#########...######.##.......###..#######...##...#",
        "...##..##..##.##..##...##.###.###..##..##.############...##.###.###......############...##...#",
        "...######..##.######...######.###.###..##.############...######.####...#######...####...##...#",
        "...######..##.######...######.###.###..##.#####.######...######.####...#######...###....##...#",
        "...######..##..####....#####..###..##..##..####..#####...######.####...#######...###....##...#",
        "...######.......##......##.........##..##...##...####....##............#####......##....##....",
    ]
    binary = np.zeros((940, 800), np.uint8)
    binary[894:913, 587:775] = np.repeat(np.array([[c == "#" for c in r] for r in rows], np.uint8) * 255, 2, axis=1)
    base = Segment(590.0, 774.0, 904.0, 6.0)
    ticks = [587.0, 650.0, 717.0, 774.0]
    assert hangs_below(binary, ticks, base) > 0.5
    # a comb's line: below it paper, a digit's stroke written across it, a tint's speckles
    comb = np.zeros_like(binary)
    comb[901:908, 587:775] = 255
    comb[880:925, 700:706] = 255
    comb[909:916, 587:775] = (np.random.default_rng(0).random((7, 188)) < 0.4) * 255
    assert hangs_below(comb, ticks, base) < 0.1


def test_a_row_of_double_boxes_whose_lines_ran_on_unevenly_is_found():
    """Seven double-line boxes a few pixels apart at 150 dpi, the page turned 4 degrees
    (formgen's variant pages, seed 871): each double line ran together into one bold line
    (7 px), and the lines ran on across the gaps into the next box's, at the top over boxes
    2-4 and 5-6, at the bottom over 1-3 and 6-7. No top line ended with a bottom line, none
    lay within another that closed two boxes: no box was found, the row read as free
    handwriting. Lines that overlap by a box or two, with sides at both ends of the overlap,
    close those boxes (these are the lines and sides found there)."""
    from formreader.layout import LayoutConfig
    from formreader.layout.model import Segment
    from formreader.layout.page import bold_bands

    hs = [Segment(float(a0), float(a1), c, 7.0) for c, pieces in ((698.5, [(385, 454), (459, 677), (682, 824), (829, 898)]),
                                                                 (759.5, [(385, 603), (608, 677), (682, 750), (755, 899)]))
          for a0, a1 in pieces]
    vs = [Segment(694.0, 764.0, x + 74 * k, 7.0) for k in range(7) for x in (388.5, 449.5)]
    binary = np.zeros((900, 1000), np.uint8)
    for s in hs:
        binary[int(s.c - 3.5) : int(s.c + 3.5), int(s.a0) : int(s.a1)] = 255
    for v in vs:
        binary[694:765, int(v.c - 3.5) : int(v.c + 3.5)] = 255
    px, config = (lambda inches: inches * 150), LayoutConfig()
    assert bold_bands(hs, vs, [], px, config, binary) == []  # none whose lines end together
    joined = bold_bands(hs, vs, [], px, config, binary, "joined")
    cells = [(a, b) for _, _, xs, _ in joined for a, b in zip(xs, xs[1:]) if b - a > 30]
    assert [round(a) for a, _ in cells] == [387, 461, 536, 609, 683, 757, 831], joined


def test_a_bold_0_whose_strokes_close_a_box_with_a_broken_line_is_no_box():
    """A tick comb at 150 dpi (variants seed 921, page 3) holding 4 _ 4 8 0: the bold 0's
    top stroke (24 px, 4 thick) over its bottom (38 px, 5 thick), its sides between, passed
    for a box whose top line broke off. Taken as a separate box, it lent the row to boxes
    grown through the 8's and the 4's bars, the comb's line was theirs, and the 4 read 1
    and the 0 read 5, both accepted. A box found with a broken line has a digit's room
    between its lines' inner edges (LayoutConfig.min_box); a real one with a thin broken
    line, 48 px tall, is still found."""
    from formreader.layout import LayoutConfig
    from formreader.layout.bands import find_bands
    from formreader.layout.model import Segment

    px = lambda inches: inches * 150  # noqa: E731
    hs = [Segment(593, 617, 771.0, 4.0), Segment(579, 617, 801.5, 5.0), Segment(390, 628, 815.5, 1.0)]
    vs = [Segment(765, 805, 587.0, 2.0), Segment(771, 801, 617.0, 6.0), Segment(800, 816, 579.0, 2.0), Segment(800, 816, 626.0, 2.0)]
    assert find_bands(hs, vs, px, LayoutConfig(), "broken") == []
    # the same shape drawn as a box with thin lines, the top broken off at its left end
    hs = [Segment(412, 460, 200.0, 1.0), Segment(400, 460, 248.0, 1.0)]
    vs = [Segment(199, 249, 400.0, 1.0), Segment(199, 249, 460.0, 1.0)]
    bands = find_bands(hs, vs, px, LayoutConfig(), "broken")
    assert [[round(x) for x in xs] for _, _, xs, _ in bands] == [[400, 460]]


def test_a_side_whose_last_step_was_lost_runs_on_to_its_line():
    """A row of rounded boxes on a turned variants page (seed 931, page 4, 200 dpi read at
    150): deskewed, each right side stepped a column over 8 px above the bottom line, a
    step shorter than the line mask's kernel, and was lost from the mask there; the sides
    stopped short of the bottom, no longer a box's. The last two boxes went unfound (a 7
    read 1 from a box made of its stem, accepted, and **a 2 lost without a word**). A side
    now runs on while the ink goes on within a column either side of it (lines.run_on)."""
    from formreader.layout import LayoutConfig
    from formreader.layout.bands import find_bands
    from formreader.layout.lines import run_on
    from formreader.layout.model import Segment

    binary = np.zeros((820, 1000), np.uint8)
    binary[742:744, 930:970] = binary[788:791, 928:968] = 255  # top and bottom lines
    binary[746:788, 924:926] = 255  # the left side, whole
    binary[746:780, 970:972] = binary[780:787, 969:971] = 255  # the right side, a column over at its foot
    hs = [Segment(930, 969, 743.0, 2.0), Segment(928, 968, 789.5, 3.0)]
    vs = [Segment(746, 788, 925.0, 2.0), Segment(746, 780, 971.0, 2.0)]
    px = lambda inches: inches * 150  # noqa: E731
    assert find_bands(hs, vs, px, LayoutConfig(), binary=binary) == []
    ran_on = run_on(vs, hs, binary, 8)
    assert ran_on[1].a1 == 788 and ran_on[0] is vs[0]  # (the whole side reached its line: as it was)
    bands = find_bands(hs, ran_on, px, LayoutConfig(), binary=binary)
    assert [[round(x) for x in xs] for _, _, xs, _ in bands] == [[928, 970]]  # (the lines' ends)
    # paper under a short stroke: it stays as it is
    binary[780:787, 969:971] = 0
    assert run_on(vs, hs, binary, 8)[1].a1 == 780


def test_a_faint_tilted_combs_dividers_and_sides_run_on_to_its_lines():
    """A pale comb of twelve hairline cells on a 300 dpi page (pale seed 1148, page 5, read
    at 150), tilted a little against the page: every divider stepped a column over 7 px
    above the bottom line, the step lost from the mask. They reached into the top line, so
    run_on did not take them (it looked for ends short of both lines), and the lines
    themselves had lost their first and last steps: they ended 11 px and 6 px short of the
    comb's sides. The comb was read at twice its step from the few dividers that held, ten
    digits in cells of two, and a blank cell read as a sure 1. An end within its line
    counts as reaching it, and a side may stand a line kernel past the lines' ends (where
    find_bands' stepped_end takes it)."""
    from formreader.layout.lines import run_on
    from formreader.layout.model import Segment

    binary = np.zeros((200, 420), np.uint8)
    binary[100, 50:62] = binary[101, 62:400] = 255  # the top line, its first step lost from the mask
    binary[151, 50:60] = binary[152, 60:400] = 255  # the bottom line likewise
    binary[100:145, 50] = binary[144:152, 51] = 255  # the left side, a column over at its foot
    binary[101:145, 94] = binary[144:153, 95] = 255  # a divider likewise
    hs = [Segment(62, 400, 101.0, 1.0), Segment(60, 400, 152.0, 1.0)]
    vs = [Segment(100, 144, 50.5, 1.0), Segment(101, 144, 94.5, 1.0)]  # (a column x is centred at x + 0.5)
    side, divider = run_on(vs, hs, binary, 8, 18)
    assert divider.a0 == 101 and divider.a1 == 151.5  # from the top line on to the bottom's edge
    assert side.a1 == 151.5
    assert run_on(vs, hs, binary, 8)[0].a1 == 144  # (no reach past the lines' ends: the side as it was)
    # the lines' ink not running on to the side (a rounded corner's arc turns away): as it was
    rounded = binary.copy()
    rounded[100, 50:62] = rounded[151, 50:60] = 0
    assert run_on(vs, hs, rounded, 8, 18)[0].a1 == 144
    # paper under the divider's stroke: it stays as it is
    binary[144:153, 95] = 0
    assert run_on(vs, hs, binary, 8, 18)[1].a1 == 144


def test_a_faint_comb_of_four_cells_is_not_read_at_twice_its_step():
    """A pale comb of four hairline cells (pale seed 1148, page 7, 200 dpi read at 150),
    `9065`: ink ran from line to line at its middle divider and at one of the two between,
    at 0.95 of the rows at the other (the thin line broken). Half of the places between
    seemed not to run through, and whole_cells read the comb as two cells of two digits
    each: 9065 read as two flagged reads. A comb is read at twice its step where most of
    the places between do not run through."""
    from formreader.layout.combs import whole_cells
    from formreader.layout.model import Segment

    binary = np.zeros((300, 700), np.uint8)
    top, bottom = Segment(391, 561, 196.5, 1.0), Segment(391, 561, 255.5, 1.0)
    binary[196, 391:561] = binary[255, 391:561] = 255
    xs = [391.0, 433.0, 475.0, 518.0, 560.0]
    for x in xs:
        binary[196:256, int(x)] = 255
    binary[220:223, 518] = 0  # three rows of 57 lost
    assert whole_cells(xs, top, bottom, binary) == xs
    binary[205:250, 518] = binary[205:250, 433] = 0  # the places between are digits' strokes: a comb read at half its step
    assert whole_cells(xs, top, bottom, binary) == xs[::2]


def test_a_bold_framed_comb_whose_bold_digits_touch_both_lines_is_read_at_its_step():
    """A comb of four cells in a bold frame with hairline dividers (lit 1347 p3, 150 dpi,
    `0987`): the 9's stem and the 8's waist, bold, touched both lines and stood as strokes
    at the middle of two cells; with the 0's side and the 7's stem the band was eight cells
    half a box wide, half of the places between running through. Each digit was cut in
    two, its halves read as blanks: four digits lost without a word. The strokes between
    are twice a divider's width: no dividers, and the comb is read at its step."""
    from formreader.layout.combs import whole_cells
    from formreader.layout.model import Segment

    binary = np.zeros((300, 700), np.uint8)
    top, bottom = Segment(376, 524, 668.0 - 500, 8.0), Segment(376, 524, 701.0 - 500, 8.0)
    binary[164:172, 376:524] = binary[197:205, 376:524] = 255
    xs = [376.5, 395.5, 412.5, 431.0, 449.5, 467.0, 486.5, 504.5, 523.5]
    for x in xs[::2]:  # the frame's sides and the hairline dividers, 4 px
        binary[164:205, int(x) - 2 : int(x) + 2] = 255
    for x in (431, 467):  # the 9's stem and the 8's waist, 9 px, from line to line
        binary[172:197, x - 4 : x + 5] = 255
    for x in (395, 504):  # the 0's side and the 7's stem, half way
        binary[178:190, x - 5 : x + 6] = 255
    assert whole_cells(xs, top, bottom, binary) == xs[::2]
    for x in (431, 467):  # as thin as the dividers, they are dividers: a comb of eight cells
        binary[172:197, x - 4 : x + 5] = 0
        binary[164:205, x - 2 : x + 2] = 255
    assert whole_cells(xs, top, bottom, binary) == xs


def test_two_dashed_boxes_whose_lines_ran_together_are_two_boxes():
    """The first two dashed boxes of a row (the third maker's page 22 of seed 953, turned 3.6
    degrees, 200 dpi read at 150), their lines drawn solid across the gap between them:
    the near sides 6 px apart merged into one divider, and at its middle, on paper between
    them, nothing stood on a line, so the two cells made a string box of two digits. The
    string reader read the sides between them as a sure 1: 59 read 519, accepted. Ink from
    line to line within the merge's reach is the two sides: two boxes."""
    from formreader.layout import LayoutConfig
    from formreader.layout.boxes import band_fields
    from formreader.layout.model import Segment

    binary = np.zeros((900, 520), np.uint8)
    binary[812:815, 376:453] = binary[851:855, 376:453] = 255  # top and bottom lines
    for x in (376, 417, 451):
        binary[812:855, x : x + 2] = 255  # the outer sides and the second box's left side
    binary[812:855:6, 410:412] = 255  # the first box's right side, its dashes broken up
    top, bottom = Segment(376, 453, 813.0, 2.0), Segment(376, 453, 852.5, 3.0)
    fields = band_fields(top, bottom, [376.2, 414.2, 451.5], 2.5, binary, LayoutConfig())
    assert [(f.kind, len(f.cells)) for f in fields] == [("comb", 2)]
    binary[812:855, 405:424] = 0
    binary[820:850, 413:415] = 255  # a digit's stroke there instead, short of both lines: one string box
    fields = band_fields(top, bottom, [376.2, 451.5], 2.5, binary, LayoutConfig())
    assert [(f.kind, len(f.cells)) for f in fields] == [("string", 1)]


def test_a_bold_bar_ending_with_a_boxs_bottom_line_is_no_top_line():
    """A row of boxes in a tint (the third maker's page 16 of seed 963, 200 dpi read at 150): a
    bold 7's bar (6 px thick) from its box's left side to near its right ended with the
    box's bottom line (2 px) as a box's lines do, so strict mode found a box half as tall
    under it. It took the box's place in the row, the 7 was cut away as its top line, and
    the box was reported blank: **a 7 lost without a word**. Where one line is far bolder
    than the other, the sides must stop at the lines (they run on to the box's top line
    above the bar); two printed lines alike still make a box however far its sides run on
    (a table's row: `stacked` decides)."""
    from formreader.layout import LayoutConfig
    from formreader.layout.bands import find_bands
    from formreader.layout.model import Segment

    px = lambda inches: inches * 150  # noqa: E731
    bar = Segment(577, 614, 485.0, 6.0)
    hs = [Segment(376, 672, 463.0, 2.0), Segment(577, 622, 516.0, 2.0)]
    vs = [Segment(461, 518, 577.0, 2.0), Segment(462, 517, 620.0, 2.0), Segment(482, 518, 604.5, 5.0)]  # sides, the 7's stem
    assert find_bands([*hs, bar], vs, px, LayoutConfig()) == []
    printed = Segment(577, 622, 485.0, 2.0)  # a thin line there: a box (of a table, say)
    bands = find_bands([*hs, printed], vs[:2], px, LayoutConfig())
    assert [(t.c, b.c, [round(x) for x in xs]) for t, b, xs, _ in bands] == [(485.0, 516.0, [577, 621])]  # (to the lines' end)


def test_digits_strokes_run_together_out_of_a_band_are_no_tables_line():
    """A date in rounded boxes on a dithered 1-bit page made grey again (the other maker's
    page 6 of seed 954, 150 dpi): its slashes and the bars of a 3 and a 4 ran together into
    a "line" 131 px long through the middle of the boxes of 4 and 9, and as a table's inner
    line it dropped them: **a 4 and a 9 lost without a word**. A table's inner line ends
    where its lines end; this one ran on out of the band through the gap before it."""
    from formreader.layout import LayoutConfig
    from formreader.layout.tables import stacked
    from formreader.layout.model import Segment

    px = lambda inches: inches * 150  # noqa: E731
    top, bottom = Segment(482, 565, 1086.0, 6.0), Segment(482, 564, 1120.0, 6.0)
    bands = [(top, bottom, [484.0, 518.0, 527.5, 562.0], 6.0)]
    strokes = Segment(421, 552, 1105.5, 5.0)
    assert stacked(bands, [top, bottom, strokes], [], px, LayoutConfig()) == set()
    ruled = Segment(482, 564, 1103.0, 6.0)  # a line from side to side: a table's rows
    assert stacked(bands, [top, bottom, ruled], [], px, LayoutConfig()) == {0}


def test_a_table_s_last_row_whose_columns_run_on_up_is_no_field():
    """A printed table on a page photographed at a slant (slant 1309 p2, laid out at 150
    dpi): the bold lines between its rows made no band, so its last row was a band alone,
    with no line a row above it, and was read as a string of its printed numbers and its
    cells' sides (23 marks flagged). Its columns run on up from its top line to the table's
    top, three rows above: a table's row. A comb in a box with a label over it has sides
    that run on up, and dividers that stop at its top line: a field."""
    from formreader.layout import LayoutConfig
    from formreader.layout.tables import stacked
    from formreader.layout.model import Segment

    px = lambda inches: inches * 150  # noqa: E731
    top, bottom = Segment(123, 904, 1699.0, 6.0), Segment(123, 905, 1737.5, 5.0)
    bands = [(top, bottom, [124.0, 318.0, 707.0, 902.0], 6.0)]
    columns = [Segment(1579, 1740, x, t) for x, t in ((125, 4.0), (318, 6.0), (707, 6.0), (900, 4.0))]  # (upright: along is y)
    assert stacked(bands, [top, bottom], columns, px, LayoutConfig()) == {0}
    labelled = columns[:1] + [Segment(1697, 1740, x, 6.0) for x in (318, 707)] + columns[3:]  # the dividers stop at the top line
    assert stacked(bands, [top, bottom], labelled, px, LayoutConfig()) == set()
    assert stacked(bands, [top, bottom], [Segment(1697, 1740, v.c, v.t) for v in columns], px, LayoutConfig()) == set()


def test_digits_among_hairline_frames_no_finder_took_are_free_handwriting(mnist):
    """A row of hairline boxes (variants, seed 971, page 5: light grey, 300 dpi, turned 1.9
    degrees): shrunk and deskewed, every 1 px line jogs a row every few pixels, so the line
    finder took no box. The free-handwriting net then counted the empty frames, their
    broken halves and the frames round the digits as marks of the row, which looked like
    text of two heights: **five digits lost without a word**. A hairline frame or piece
    of one (straight along two edges or more, nothing inside) is no mark; a pen's
    stroke along an edge is thicker."""
    import cv2

    page = np.full((1650, 1275), 255, np.uint8)
    x0, top, step, size = 300, 600, 62, 45

    def jogged(a, b, at, horizontal):  # a 1 px line stepping a pixel across every 12 px
        for k, s in enumerate(range(a, b, 12)):
            e = min(b, s + 12)
            if horizontal:
                page[at + k % 2, s:e] = 0
            else:
                page[s:e, at + k % 2] = 0

    for i in range(7):
        x = x0 + i * step
        jogged(x, x + size, top, True)
        jogged(x, x + size, top + size, True)
        empty = i in (2, 3)
        for side in (x, x + size):  # an empty box's frame broken in two halves, as seen
            jogged(top, top + 18 if empty else top + size, side, False)
            if empty:
                jogged(top + 24, top + size, side, False)
        if not empty:
            digit = cv2.resize(255 - mnist.x_test[i], (34, 34), interpolation=cv2.INTER_LINEAR)
            page[top + 6 : top + 40, x + 6 : x + 40] = np.minimum(page[top + 6 : top + 40, x + 6 : x + 40], digit)
    fields = find_layout(page, 150).fields
    assert {f.kind for f in fields} == {"free"}
    middles = [(x0 + i * step + 23, top + 23) for i in range(7) if i not in (2, 3)]
    held = [any(f.rect.x <= x <= f.rect.x + f.rect.w and f.rect.y <= y <= f.rect.y + f.rect.h for f in fields) for x, y in middles]
    assert all(held), held  # every digit read (flagged, as free handwriting is)


def test_digits_between_the_sides_of_a_frame_no_finder_took_are_free_handwriting(mnist):
    """A light comb on a dithered fax, blurred back to grey (fax 1084 p12): no finder took
    its lines, and its two sides, blurred wider than a box line, stood at the ends of the
    row of its digits, half as tall again as they, with the stubs of its short dividers:
    the sides raised the row's usual height and the row looked like text of two heights:
    **six digits lost without a word**. Two upright marks at a row's ends, level, alike
    and a third taller than the marks between, are a frame's sides; short marks standing
    on its bottom in its lower half are its dividers' stubs: no digits."""
    import cv2

    page = np.full((1100, 1000), 255, np.uint8)
    x0, top, step = 300, 500, 52
    page[top - 10 : top + 52, x0 - 14 : x0 - 4] = 0  # the frame's left side, 10 px wide, 62 tall
    for i in range(4):
        digit = cv2.resize(255 - mnist.x_test[i], (40, 40), interpolation=cv2.INTER_LINEAR)
        x = x0 + i * step
        page[top : top + 40, x : x + 40] = np.minimum(page[top : top + 40, x : x + 40], digit)
        if i:
            page[top + 34 : top + 52, x - 8 : x - 1] = 0  # a divider's stub, 18 px
    right = x0 + 4 * step
    page[top - 10 : top + 52, right : right + 10] = 0
    fields = find_layout(page, 150).fields
    assert [f.kind for f in fields] == ["free"]
    r = fields[0].rect
    assert all(r.x <= x0 + i * step + 20 <= r.x + r.w for i in range(4)) and r.y <= top + 20 <= r.y + r.h  # every digit read (flagged)



def test_a_line_broken_in_two_pieces_pairs_with_the_whole_line_once():
    """A date in eight separate boxes on a 200 dpi fax (fax seed 1154, page 10), boxes in
    pairs 5 px apart, thick lines: read at 150 dpi, the row's top line broke in two between
    the fourth and fifth box (157 px and 152 px), the bottom ran whole under all eight (the
    date's slashes joined it, 315 px). Neither top piece covered half the bottom, no band
    was found, and five boxes went unfound: **four digits lost without a word**. The pieces
    of a line broken in several cover the longer together; the band is found once."""
    from formreader.layout import LayoutConfig
    from formreader.layout.bands import find_bands
    from formreader.layout.model import Segment

    px = lambda inches: inches * 150  # noqa: E731
    hs = [Segment(390, 547, 1464.5, 5.0), Segment(552, 704, 1464.0, 5.0), Segment(389, 704, 1500.0, 5.0)]
    sides = [392.0, 426.5, 462.0, 472.0, 508.0, 543.0, 553.5, 589.0, 626.5, 664.5, 699.5]
    vs = [Segment(1461, 1504, x, 5.0) for x in sides]
    bands = find_bands(hs, vs, px, LayoutConfig(), "broken")
    assert len(bands) == 1
    top, bottom, xs, _ = bands[0]
    assert (bottom.a0, bottom.a1) == (389, 704) and xs[0] < 393 and xs[-1] > 699 and 426.5 in xs and 664.5 in xs
    # one piece alone, with nothing beside it along the whole line, is still no band
    assert find_bands(hs[:1] + hs[2:], vs, px, LayoutConfig(), "broken") == []


def test_a_faint_table_cell_whose_top_line_runs_on_past_it_is_no_string_box():
    """A faint printed table turned in perspective (slant, seed 1169 page 4, read at 150
    dpi): only its top right cell's two lines paired, the next row's line too broken to be
    seen beside them; the cell's printed `39698` was read as a sure digit string. Its top
    line runs on to the left past the column line, after a gap where the line steps: a
    table's row, no string box. A faint string box whose lines end with paper beyond stays."""
    from formreader.layout.boxes import faint_string_boxes
    from formreader.layout.model import LayoutConfig, Segment

    binary = np.zeros((1800, 1000), np.uint8)
    top, bottom = Segment(716, 900, 1595, 2), Segment(724, 891, 1632, 2)
    binary[1594:1597, 716:901] = binary[1631:1634, 724:892] = 255
    config, px = LayoutConfig(), (lambda inches: inches * 150)
    assert [f.kind for f in faint_string_boxes([top, bottom], [top, bottom], [], binary, px, config)] == ["string"]
    row_line = Segment(322, 699, 1597, 2)  # the same row's line under the other columns
    binary[1596:1599, 322:700] = 255
    assert faint_string_boxes([top, bottom], [top, bottom, row_line], [], binary, px, config) == []


def test_a_string_box_on_a_dithered_fax_is_no_comb_fitted_to_its_digits(mnist):
    """The other maker's page 0 of seed 1314 (150 dpi), dithered as the bench's fax family
    makes it: a string box holding 73067 whose 3 and 6, made grey again, touch both lines.
    An even grid was fitted to those two strokes with a third divider in the blank after
    the digits, and the box read as a comb of four: 707 and a blank, accepted, two digits
    lost. No printed divider hides under paper: the box is a string."""
    import importlib.util
    from pathlib import Path

    from PIL import Image

    from formreader.pages import undithered

    spec = importlib.util.spec_from_file_location("other_pages", Path(__file__).parents[1] / "bench" / "other_pages.py")
    other_pages = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(other_pages)
    image, rows = other_pages.other_page(np.random.default_rng(1314), mnist.x_test, mnist.y_test, 150)
    fax = np.asarray(Image.fromarray(np.asarray(image.convert("L"))).convert("1").convert("L"))
    digits = [r for r in rows if r[0] == 2]
    assert "".join(str(r[-1]) for r in digits) == "73067"
    layout = find_layout(undithered(fax, 150), 150)
    x, y = digits[2][3] + digits[2][5] / 2, digits[2][4] + digits[2][6] / 2  # the 0's middle
    (field,) = [f for f in layout.fields if iou(layout.to_original(f.rect), (x - 1, y - 1, 2, 2)) > 0]
    assert field.kind == "string", [(f.kind, layout.to_original(f.rect)) for f in layout.fields]


def test_the_stems_of_type_running_through_a_line_are_no_ticks():
    """A turned 300 dpi page's note in serif type under its bold title (turned 1425 p8, read
    upright at 150 dpi): a line was found through the middle of the note's small letters,
    its P, t and d rose from it like a comb's ticks, and the title's letters above stood one
    to a cell like digits written low: a field of two cells read (flagged) on the title. A
    comb's ticks end on its line; the stems of type run on through it to their feet."""
    from formreader.layout import LayoutConfig
    from formreader.layout.model import Segment
    from formreader.layout.ticks import runs_through, tick_combs

    base = Segment(123.0, 290.0, 153.0, 4.0)
    places = [127.0, 207.0, 287.0]
    vs = [Segment(128.0, 155.0, x, 3.0) for x in places]
    px, config = (lambda inches: inches * 150), LayoutConfig()
    comb = np.zeros((300, 400), np.uint8)
    comb[151:156, 123:291] = 255
    for x in places:
        comb[128:151, int(x) - 1 : int(x) + 2] = 255
    note = comb.copy()
    for x in places:
        note[151:161, int(x) - 1 : int(x) + 2] = 255  # each stem runs on to the letters' feet
    assert runs_through(comb, places, base) == 0.0 and runs_through(note, places, base) == 1.0
    assert tick_combs([base], vs, note, px, config) == []
    found = tick_combs([base], vs, comb, px, config)
    assert len(found) == 1 and [round(c.x) for c in found[0].cells] == [127, 207], [f.rect for f in found]


def test_a_small_digit_standing_on_a_line_taken_off_keeps_its_foot():
    """A dithered fax's tick comb whose lines no finder took (fax 1424 p6, 150 dpi): its
    digits touching the line made one wide shape with it, and the line was taken off with
    its rough edges, a row each side. The last 7, written small, 23 rows tall with its foot
    on the line, kept 22: under a digit's height (22.5 px there), it was dropped, and the
    field read 727 for 7277 without a word of the fourth. The row taken off against a part
    may be its own: it counts to the part's height."""
    from formreader.layout.free import _split_lines_off

    binary = np.zeros((200, 400), np.uint8)
    binary[150:156, 50:300] = 255  # the comb's line, 6 px
    for x in range(50, 300, 33):
        binary[138:150, x : x + 6] = 255  # its ticks, shorter than a digit
    binary[127:131, 110:130] = 255  # a small 7 whose foot stands on the line: 23 rows
    binary[127:150, 126:130] = 255
    bounds = np.array([[50, 127, 250, 29]])
    parts = _split_lines_off(binary, bounds, [], 5.0, 22.5, 93.0).T
    assert any(x <= 110 and x + w >= 130 and h >= 22 for x, y, w, h in parts.tolist()), parts.tolist()


def test_a_digit_touching_a_fields_box_from_outside_is_free_handwriting(mnist):
    """A dithered fax's comb whose lines were found only over its last four cells, read as
    a string box (fax 1434 p6, 150 dpi): the 2 in the cell before touched the box's side,
    and made one shape with the box. On the field, the field took it; the field's cut left
    it out as a stroke crossing in from beyond: lost without a word, between the free
    digits before it and the string after. Its ink off the field is a mark of its own,
    unless as tall as the field (its frame's)."""
    import cv2

    from formreader.layout import LayoutConfig
    from formreader.layout.free import free_handwriting
    from formreader.layout.model import Field, Rect

    binary = np.zeros((300, 900), np.uint8)
    cv2.rectangle(binary, (400, 100), (650, 150), 255, 3)  # the string box found
    box = Field("string", [Rect(400.0, 100.0, 250.0, 50.0)], 3.0)
    for k, (i, left) in enumerate(((3, 250), (10, 305), (1, 362))):  # 0, 0 and the 2 touching the box's side
        digit = cv2.resize(mnist.x_test[i], (44, 44), interpolation=cv2.INTER_LINEAR) > 100
        cols = np.flatnonzero(digit.any(axis=0))
        right = 402 if k == 2 else left + cols[-1]  # (the 2's last column on the side)
        binary[104:148, right - cols[-1] : right - cols[-1] + 44] |= (digit * 255).astype(np.uint8)
    assert mnist.y_test[1] == 2
    free = free_handwriting(binary, [box], lambda inches: inches * 150, LayoutConfig())
    assert any(f.rect.x < 360 and f.rect.x + f.rect.w > 385 for f in free), [f.rect for f in free]
    # a rectangle found short of its frame (a rounded string box's, variants 1391 p8): the
    # frame's piece beyond it, as tall as the field, is no mark
    short = Field("string", [Rect(400.0, 100.0, 215.0, 50.0)], 3.0)
    free = free_handwriting(binary, [short], lambda inches: inches * 150, LayoutConfig())
    assert not any(f.rect.x + f.rect.w > 600 for f in free), [f.rect for f in free]
