import cv2
import numpy as np

from formreader.digits import BoxCut, FieldCut, has_ink, ink_map, to_mnist
from formreader.string_marks import ruled, split_string
from formreader.pipeline import FileCut, PageCut, choose_cuts


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


def _box(x):
    return BoxCut((x, 0, 10, 10), np.zeros((28, 28), np.uint8))


def test_the_surer_cut_of_a_string_wins():
    # a string cut first into boxes a, b, c; b..c (boxes 1-2) may instead be one digit d
    field = FieldCut("string", (0, 0, 40, 10), [_box(0), _box(10), _box(20)], options=[(1, 3, [_box(15)])])
    file = FileCut("f.png", [PageCut("f.png", 1, [field])])
    # confidences: a, b, c, then the option's d; b and c are unsure, d is sure
    rows = choose_cuts([file], np.array([0.99, 0.6, 0.7, 0.98]))
    assert rows == [0, 3] and [b.rect[0] for b in field.boxes] == [0, 15] and field.options == []
    # when the first cut reads surely, it stands
    field = FieldCut("string", (0, 0, 40, 10), [_box(0), _box(10), _box(20)], options=[(1, 3, [_box(15)])])
    assert choose_cuts([FileCut("f.png", [PageCut("f.png", 1, [field])])], np.array([0.99, 0.99, 0.99, 0.85])) == [0, 1, 2]
    # a cut into more digits must read more surely per digit: a 9 read at 0.914 is not a 5 and a 2
    # read at 0.9998 and 0.98 (a case from the bench pages)
    field = FieldCut("string", (0, 0, 40, 10), [_box(0)], options=[(0, 1, [_box(0), _box(20)])])
    assert choose_cuts([FileCut("f.png", [PageCut("f.png", 1, [field])])], np.array([0.914, 0.9998, 0.98])) == [0]


def test_a_wide_group_has_other_cuts():
    ink = np.zeros((40, 120), np.uint8)
    ink[5:35, 60:64] = 255  # a stroke 30 px tall: a digit is about 21 px wide
    ink[5:35, 10:14] = ink[5:35, 34:38] = ink[5:8, 10:38] = 255  # a shape 28 px wide: one digit or two
    wide, narrow = sorted(split_string(ink), key=lambda g: -len(g))
    assert narrow == [[(60, 64)]]
    one, two = wide
    assert one == [(10, 38)] and len(two) == 2 and two[0][0] == 10 and two[1][1] == 38


def test_percentile_of_uint8_images_equals_numpys():
    from formreader.box_ink import percentile_u8

    rng = np.random.default_rng(0)
    for n in (1, 2, 3, 57, 3600):
        image = rng.integers(0, 256, n).astype(np.uint8)
        for q in (0, 10, 90, 99.5, 100):
            assert abs(percentile_u8(image, q) - float(np.percentile(image, q))) <= 1e-9


def _double_box(digit=None):
    """A 300 dpi double box (outer and inner line 7 px apart) in a grey window, dark on light."""
    import cv2

    window = np.full((140, 140), 235, np.uint8)
    cv2.rectangle(window, (15, 15), (125, 125), 30, 3)  # the outer line: where the layout put the box
    cv2.rectangle(window, (22, 22), (118, 118), 30, 3)  # the inner one
    if digit == "inside":  # a handwritten 0, not touching the lines
        cv2.ellipse(window, (70, 70), (22, 32), 10, 0, 360, 40, 5)
    elif digit == "touching":  # a 1 whose foot runs into the inner line
        cv2.line(window, (72, 40), (68, 117), 40, 5)
    return window


def test_the_inner_line_of_a_double_box_is_no_digit():
    from formreader.box_ink import cell_ink

    cell = (15, 15, 125, 125)
    assert (cell_ink(_double_box(), cell, 3) > 90).sum() == 0  # read blank, not as a 0
    kept = cell_ink(_double_box("inside"), cell, 3) > 90
    assert kept[40:100, 40:100].sum() > 200 and kept[20:26, 30:110].sum() == 0  # the digit, not the ring
    touching = cell_ink(_double_box("touching"), cell, 3) > 90
    assert touching[45:100, 62:78].sum() > 200  # a digit joined to the ring is kept, ring and all


def test_a_small_digit_beside_a_bold_frame_s_side_is_no_remnant_of_it():
    """A comb in a bold frame, 8 px lines at 150 dpi (third 1343 p3): a small 3 written close
    to the frame's left side, 12 px wide, its middle within the side's reach, was taken for
    a remnant of the side and the box read blank, accepted. A remnant wider than the line
    is solid; a digit's strokes are not."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((42, 39), 240, np.uint8)
    window[0:7, :] = window[34:, :] = 20  # the frame's top and bottom
    window[:, 0:5] = 20  # its left side
    window[:, 31:33] = 60  # a hairline divider
    three = np.array([[7, 12], [11, 9], [15, 12], [14, 17], [10, 19], [15, 22], [16, 27], [11, 30], [7, 28]], np.int32)
    cv2.polylines(window, [three], False, 30, 2)
    assert (cell_ink(window, (5, 5, 31, 35), 8.0, ticks=True) > 90).sum() > 100
    window[7:34, 5:31] = 240
    window[9:31, 6:18] = 20  # a solid bar there, as wide, is the side's
    assert (cell_ink(window, (5, 5, 31, 35), 8.0, ticks=True) > 90).sum() == 0


def test_a_1_bending_beside_a_bold_boxs_side_clear_of_it_is_no_remnant_of_the_side():
    """A 1 written close beside a bold rounded box's left side (letters family, seed 1061,
    200 dpi; a double box's in variants 1041): thin, tall and near the side, it was dropped
    as the side's remnant and the box read blank, accepted. The side was found and taken
    off, paper stands between them, and the 1 bends: a side's remnant is straight. A
    straight upright bar there is still taken for the remnant of a side."""
    import cv2

    from formreader.box_ink import cell_ink

    def box(stroke) -> np.ndarray:
        window = np.full((78, 77), 235, np.uint8)
        cv2.rectangle(window, (6, 6), (70, 71), 30, 7)
        cv2.polylines(window, [np.array(stroke, np.int32)], False, 40, 4)
        return window

    cell = (11, 11, 66, 67)
    bending = cell_ink(box([(22, 17), (20, 30), (19, 45), (20, 58)]), cell, 7.33) > 90
    assert bending[15:60, 15:27].sum() > 120
    straight = cell_ink(box([(20, 17), (20, 58)]), cell, 7.33) > 90
    assert straight.sum() == 0
    # beside a side not found (the right one too faint), the far side found is no warrant
    window = box([(57, 17), (55, 30), (54, 45), (55, 58)])
    window[:, 66:] = 235
    assert (cell_ink(window, cell, 7.33) > 90).sum() == 0


def test_the_inner_line_of_a_double_box_a_digit_touches_is_removed_the_digit_kept():
    """A digit that runs into the inner line of a double box is one shape with it, so the
    ring was kept whole, and the digit read inside a frame: a 6 as a 4, a 1 as a 0, a 7 as
    "not a digit" (formgen's variants, seeds 141-161: most of their misreads). Lines
    straight and thin along 0.7 of three sides at least are the frame's; where the
    digit crosses one, ink on both sides, its pixels stay."""
    from formreader.box_ink import cell_ink

    cell = (15, 15, 125, 125)
    kept = cell_ink(_double_box("touching"), cell, 3) > 90
    assert kept[45:100, 62:78].sum() > 200  # the 1
    assert kept[20:26, 30:110].sum() == 0 and kept[30:110, 20:26].sum() == 0 and kept[30:110, 115:121].sum() == 0  # no ring
    assert kept[110:117, 62:78].sum() > 0  # the 1 down to the line


def test_a_digit_drawn_over_a_double_line_keeps_its_strokes_within_it():
    """Double boxes whose two lines lie a grey pixel apart, taken by the layout as one bold
    line (variants 1181 p16, 1191 p9 and p17): a 9's loop drawn over the top line and a 3's
    lower bowl over the bottom one were cut away with the line and read as a sure 7 and a
    sure 2, accepted. Where a stroke lies over the paper between the two lines, it runs on
    through the inner line to the digit: those pixels stay. A blank box keeps nothing."""
    import cv2

    from formreader.box_ink import cell_ink

    def window(digit: bool) -> np.ndarray:
        w = np.full((150, 150), 235, np.uint8)
        for outer, gap, inner in ((slice(12, 15), 15, slice(16, 19)), (slice(135, 138), 134, slice(131, 134))):
            w[outer, 12:138] = w[inner, 12:138] = 30
            w[gap, 12:138] = 160  # the paper between them, a pixel, grey in the scan
            w[12:138, outer] = w[12:138, inner] = 30
            w[12:138, gap] = 160
        if digit:  # a 9 whose loop lies over the double top line
            cv2.ellipse(w, (70, 22), (16, 12), 0, 0, 360, 40, 5)
            cv2.line(w, (85, 24), (78, 110), 40, 5)
        return w

    cell = (12, 12, 138, 138)
    kept = cell_ink(window(True), cell, 7) > 90
    assert kept[15:19, 50:64].sum() >= 20 and kept[15:19, 76:90].sum() >= 20  # both sides of the loop, into the line
    assert kept[12:15].sum() == 0  # not the outer line
    assert kept[19:40, 50:92].sum() > 300  # the rest of the 9
    assert (cell_ink(window(False), cell, 7) > 90).sum() == 0


def test_a_digit_s_upright_stroke_inside_a_double_box_is_no_second_inner_line():
    """A double box at 300 dpi whose two lines the layout took as one bold line (line 12
    px): a 6's stem standing upright inside the inner line, as straight and as long as
    one, was cut away as a second inner line and the loop left read surely as a 0
    (variants, seed 991 page 14). Beyond the inner line (the fullest), only what fills
    nearly as much is a line."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((150, 150), 235, np.uint8)
    cv2.rectangle(window, (15, 15), (135, 135), 30, 4)  # the outer line: where the layout put the box
    cv2.rectangle(window, (24, 24), (126, 126), 30, 3)  # the inner one
    cv2.line(window, (42, 40), (40, 112), 50, 9)  # a 6's stem, upright beside the inner line
    cv2.ellipse(window, (66, 100), (24, 18), 0, 0, 360, 50, 8)  # its loop
    kept = cell_ink(window, (15, 15, 135, 135), 12) > 90
    assert kept[40:80, 34:48].sum() > 300  # the stem
    assert kept[90:110, 60:90].sum() > 100  # the loop
    assert kept[40:110, 22:28].sum() == 0 and kept[22:28, 50:120].sum() <= 2  # no inner line


def _comb_with_a_zero_on_a_divider(full: bool) -> tuple[np.ndarray, object]:
    """A page with one comb of 8 cells, its dividers from line to line (`full`) or rising
    28 of its 70 px from the bottom line; a 0 with straight sides in the fourth cell, its
    left side touching the divider and rising far above it, down across the bottom line."""
    import cv2

    from formreader.layout import Field, Layout, Rect

    page = np.full((200, 460), 235, np.uint8)
    x0, x1, y0, y1, n = 30, 430, 60, 130, 8
    step = (x1 - x0) / n
    cv2.rectangle(page, (x0, y0), (x1, y1), 30, 3)
    for k in range(1, n):
        x = int(round(x0 + k * step))
        cv2.line(page, (x, y0 if full else y1 - 28), (x, y1), 30, 3)
    x = int(round(x0 + 3 * step)) + 4
    for side in (x, x + 26):
        cv2.line(page, (side, 86), (side, 126), 20, 3)
    cv2.ellipse(page, (x + 13, 86), (13, 12), 0, 180, 360, 20, 3)
    cv2.ellipse(page, (x + 13, 126), (13, 12), 0, 0, 180, 20, 3)
    comb = Field("comb", [Rect(x0 + k * step, y0, step, y1 - y0) for k in range(n)], 3.0)
    return page, Layout(0.0, np.eye(2, 3), [comb])


def test_a_digit_s_side_beside_a_short_comb_divider_is_no_side_of_its_box():
    """A comb of half-height dividers (variants, seeds 951 page 18 and 991 page 10): a 0's
    (a 6's) left side rising beside a short divider filled, with it, most of the box's
    height, was taken for a full side and cut away: the rest read surely as a 7 (a 0).
    Where paper lies above the comb's dividers, its cells' inner sides are sought only
    rising from the bottom line, and cut away up to its middle at most; a comb of full
    dividers keeps them from line to line."""
    from formreader import digits
    from formreader.digits import cut_fields

    page, layout = _comb_with_a_zero_on_a_divider(full=False)
    assert digits.short_divided(page, layout, layout.fields[0])
    inks = []
    cell_ink = digits.cell_ink
    digits.cell_ink = lambda *a, **k: inks.append(cell_ink(*a, **k)) or inks[-1]
    try:
        cut = cut_fields(page, layout)[0]
    finally:
        digits.cell_ink = cell_ink
    zero = inks[3] > 90  # its window starts 10 px before the cell, at page (170, 50)
    # the 0's left side above the middle of the box (where it meets the divider below, the
    # two are cut away together)
    assert zero[36:45, 182 - 170 : 186 - 170].any(axis=1).all()
    assert [b.image is not None for b in cut.boxes] == [False, False, False, True, False, False, False, False]  # no divider read

    page, layout = _comb_with_a_zero_on_a_divider(full=True)
    assert not digits.short_divided(page, layout, layout.fields[0])
    assert [b.image is not None for b in cut_fields(page, layout)[0].boxes] == [False, False, False, True, False, False, False, False]


def test_a_stroke_s_faint_stretch_running_on_from_it_is_kept():
    """A 3 whose lower bowl was drawn lightly (other maker, seed 1002, page 12): the dark
    top was kept and the faint tail, lighter than the strong-ink mark, left out, and the
    rest read as a 2 at 0.99, accepted. A faint stretch that runs on from a kept stroke
    within the box is the stroke's; a faint mark standing alone is not kept."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((90, 90), 235, np.uint8)
    cv2.rectangle(window, (10, 10), (80, 80), 30, 2)
    cv2.polylines(window, [np.array([[32, 25], [50, 24], [56, 34], [44, 44]])], False, 40, 4)  # the 3's top, dark
    cv2.polylines(window, [np.array([[44, 44], [57, 54], [52, 66], [33, 68]])], False, 185, 4)  # its lower bowl, faint
    cv2.circle(window, (25, 60), 3, 185, -1)  # a faint speck alone
    kept = cell_ink(window, (10, 10, 80, 80), 2)
    assert (kept[24:46, 30:60] > 90).sum() > 60  # the top
    assert (kept[50:70, 32:60] > 0).sum() > 40  # the bowl
    assert (kept[56:65, 21:30] > 0).sum() == 0  # not the speck


def test_a_top_line_drifting_out_of_its_rows_across_a_cell_is_taken_whole():
    """A comb cell on a page photographed at a slant (slant 1289 p8): its top line drifts
    five rows across the cell, and at the cell's right end stood half out of the rows the
    line was found in. What stood out was left above the 2 as a bar, and the 2 read as a
    sure 5. The line's run of ink in each column, no thicker than the line, is the line's;
    a 7's bar written touching the line, thicker than it together with the line, stays."""
    import cv2

    from formreader.box_ink import cell_ink

    def cell_with(strokes, bar=None):
        window = np.full((124, 124), 235, np.uint8)
        cv2.line(window, (0, 18), (123, 23), 30, 5, cv2.LINE_AA)  # the top line, aslant
        cv2.line(window, (0, 104), (123, 104), 30, 5, cv2.LINE_AA)
        cv2.line(window, (18, 0), (18, 123), 30, 5, cv2.LINE_AA)
        cv2.line(window, (104, 0), (104, 123), 30, 5, cv2.LINE_AA)
        cv2.polylines(window, [np.array(strokes)], False, 40, 6, cv2.LINE_AA)
        return cell_ink(window, (18, 20, 104, 104), 6) > 90

    two = cell_with([[45, 40], [60, 31], [80, 33], [84, 50], [45, 90], [88, 90]])
    assert two[:27, 20:102].sum() == 0  # no bar above it
    assert two[28:95, 40:95].sum() > 1000
    seven = cell_with([[40, 29], [85, 29], [55, 92]])  # its bar against the line
    assert seven[25:33, 45:80].sum() > 150


def test_the_inner_line_of_a_double_comb_line_is_no_stroke():
    """A comb cell under a double top line (300 dpi, the lines 8 px apart; the layout went
    by the outer one): the inner line runs across the cell from divider to divider and is
    cut away with the box, not left above the digit as a bar (a 4 then read as a 9).
    A 7's bar, as wide as a digit and joined to its stem, stays."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((140, 140), 235, np.uint8)
    cv2.line(window, (0, 15), (139, 15), 30, 3)  # the outer top line: the cell's top
    cv2.line(window, (0, 23), (139, 23), 30, 3)  # the inner one
    cv2.line(window, (0, 125), (139, 125), 30, 3)
    cv2.line(window, (15, 15), (15, 125), 30, 3)
    cv2.line(window, (125, 15), (125, 125), 30, 3)
    seven = window.copy()
    cv2.polylines(seven, [np.array([[45, 45], [95, 45], [62, 110]])], False, 40, 5)
    cell = (15, 15, 125, 125)
    assert (cell_ink(window, cell, 3) > 90).sum() == 0  # blank, no bar
    kept = cell_ink(seven, cell, 3) > 90
    assert kept[20:27, 30:110].sum() == 0 and kept[42:49, 50:90].sum() > 150 and kept[60:110, 60:90].sum() > 100


def test_the_inner_lines_of_a_comb_drawn_with_double_lines_a_digit_touches_are_no_strokes():
    """A comb of short ticks between double top and bottom lines (300 dpi; formgen's
    variants, seed 141 page 17): a bold 0 touching the inner top line was one shape with
    it and kept it, a bar over the 0 (read 6), as over a 4 (read 9) and a 7 (read 5). A
    comb's cell has no sides: its top and bottom inner lines are enough."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((150, 150), 235, np.uint8)
    for y in (15, 23, 117, 125):  # the double top and bottom lines; the cell is at the outer ones
        cv2.line(window, (0, y), (149, y), 30, 3)
    for x in (15, 125):  # short ticks
        cv2.line(window, (x, 80), (x, 117), 30, 3)
    cv2.ellipse(window, (70, 62), (25, 38), 20, 0, 360, 20, 9)  # a bold 0 up to the inner top line
    kept = cell_ink(window, (15, 15, 125, 125), 3, ticks=True) > 90
    assert kept[21:26, 25:45].sum() == 0 and kept[21:26, 95:115].sum() == 0  # no bar beside the 0's top
    assert kept[30:100, 40:100].sum() > 800  # the 0


def test_a_straight_1_beside_a_double_comb_s_single_divider_is_no_inner_line():
    """A comb drawn with double top and bottom lines and single dividers (variants 1141
    page 17, 300 dpi; the layout took the double lines as one bold line, 12 px): a straight
    1 standing a sixth of the cell inside a divider was taken for a double side's inner
    line and cut away with the top and bottom lines' inner ones, the cell read blank,
    accepted; a 4's stem near the other divider likewise ("not a digit"). A double line's
    two lines lie as far apart on every side: the 1 lies three times deeper in."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((136, 125), 235, np.uint8)
    for y in (18, 23, 113, 118):  # the double top and bottom lines; the cell is at the outer ones
        cv2.line(window, (0, y), (124, y), 30, 2)
    for x in (18, 107):  # single dividers
        cv2.line(window, (x, 18), (x, 118), 30, 3)
    cell = (18, 18, 107, 118)
    assert (cell_ink(window, cell, 12, ticks=True) > 90).sum() == 0  # blank: no bars left
    one = window.copy()
    cv2.line(one, (37, 36), (36, 100), 40, 6)
    kept = cell_ink(one, cell, 12, ticks=True) > 90
    assert kept[40:95, 32:42].sum() > 250  # the 1
    assert kept[20:26, 50:100].sum() == 0  # the inner top line still cut away


def test_the_short_dividers_of_a_comb_read_as_a_string_box_are_no_1s():
    """A comb whose short dividers stand on the bottom line, inside a rounded frame the
    layout took for one string box: the dividers are cut away, not read as 1s, surely,
    between the digits. A 1 as tall as the digits stays; so does one short stroke
    alone on the line (a row of dividers has two at least)."""
    import cv2

    from formreader.box_ink import cell_ink

    def box(ticks: list[int]) -> np.ndarray:
        window = np.full((110, 380), 235, np.uint8)
        cv2.rectangle(window, (10, 10), (370, 100), 30, 2)
        for x in ticks:
            cv2.line(window, (x, 100), (x, 80), 30, 2)
        cv2.line(window, (60, 25), (56, 90), 40, 4)  # a 1, a digit's height
        cv2.ellipse(window, (140, 57), (18, 30), 0, 0, 360, 40, 4)  # a 0
        return window

    cell = (10, 10, 370, 100)
    kept = cell_ink(box([100, 190, 280]), cell, 2) > 90
    assert kept[75:98, 95:106].sum() == kept[75:98, 185:196].sum() == kept[75:98, 275:286].sum() == 0
    assert kept[25:90, 50:66].sum() > 150 and kept[25:90, 115:165].sum() > 200
    alone = cell_ink(box([280]), cell, 2) > 90
    assert alone[75:98, 275:286].sum() > 10


def test_the_lines_of_a_string_box_photographed_aslant_are_no_strokes():
    """A wide string box a degree and a half aslant of the page's rows (a page photographed
    at a slant): no one row holds its top or bottom line, which drift across by twice their
    width; both are cut away (they were left in as strokes, and the string read unsure, its
    digits' boxes a place off). The digits stay, and so do a 7's flat bar and a 2's flat foot
    near the edges of the same box unlined."""
    import cv2

    from formreader.box_ink import cell_ink

    def box(lined: bool) -> np.ndarray:
        window = np.full((120, 820), 235, np.uint8)
        if lined:  # top from (10, 10) to (810, 31), bottom 90 px lower: 1.5 degrees
            cv2.line(window, (10, 10), (810, 31), 30, 2)
            cv2.line(window, (10, 100), (810, 121 - 2), 30, 2)
        cv2.line(window, (60, 30), (56, 90), 40, 4)  # a 1
        cv2.ellipse(window, (200, 62), (18, 28), 0, 0, 360, 40, 4)  # a 0
        cv2.line(window, (330, 26), (380, 26), 40, 4)  # a 7 with its bar near the top
        cv2.line(window, (380, 26), (350, 90), 40, 4)
        cv2.line(window, (500, 94), (550, 94), 40, 4)  # a 2's foot near the bottom
        cv2.line(window, (500, 94), (545, 40), 40, 4)
        return window

    cell = (10, 20, 810, 110)
    kept = cell_ink(box(True), cell, 2) > 90
    assert kept[:, 600:].sum() == 0  # no line left where no digit is
    assert kept[30:90, 50:66].sum() > 150 and kept[35:90, 180:220].sum() > 200
    assert kept[22:30, 330:380].sum() > 100 and kept[90:98, 500:550].sum() > 100
    unlined = cell_ink(box(False), cell, 2) > 90
    assert unlined[22:30, 330:380].sum() > 100 and unlined[90:98, 500:550].sum() > 100


def test_a_side_line_broken_in_pieces_is_no_1():
    """A blank box whose faint inner right side (the layout went by the outer line) a
    coarse JPEG broke in two pieces: together they run along the box like one side, and
    are cut away with it, not read as a 1. A 1 written in the middle stays."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((100, 100), 235, np.uint8)
    cv2.rectangle(window, (12, 12), (85, 82), 40, 3)  # where the layout put the box
    cv2.line(window, (79, 14), (79, 47), 150, 1)  # the inner side, in two pieces
    cv2.line(window, (79, 52), (79, 80), 150, 1)
    cell = (12, 12, 85, 82)
    assert (cell_ink(window, cell, 3) > 90).sum() == 0
    cv2.line(window, (48, 25), (46, 72), 40, 4)  # a 1
    kept = cell_ink(window, cell, 3) > 90
    assert kept[25:72, 42:52].sum() > 100 and kept[:, 75:84].sum() == 0


def test_the_rounded_corners_of_a_box_are_no_ink():
    """A box with well-rounded corners (300 dpi, radius a fifth of the box): removing its
    straight lines leaves the four arcs, which are cut away, so that the blank box reads
    blank, not as a mark that is no digit. A digit whose stroke runs into a corner stays."""
    import cv2

    from formreader.box_ink import cell_ink
    from formreader.formgen import _rounded

    mask = np.zeros((150, 150), np.uint8)
    _rounded(mask, 15, 15, 120, 120, 24, 3)
    window = (235 - mask.astype(np.float32) * (200 / 255)).astype(np.uint8)
    cell = (15, 15, 135, 135)
    assert (cell_ink(window, cell, 3) > 90).sum() == 0
    cv2.polylines(window, [np.array([[40, 35], [110, 35], [60, 122]])], False, 40, 5)  # a 7, its bar from corner to corner
    kept = cell_ink(window, cell, 3) > 90
    assert kept[32:39, 45:105].sum() > 200 and kept[60:115, 60:95].sum() > 150


def test_the_edge_of_a_side_left_by_its_removal_is_no_1():
    """A string box's thick right side (300 dpi, a real NIST form) a little aslant: its
    inner edge column is inked along two thirds of the box only, too little to count as
    the side's, and stayed when the side was removed: a 1 px sliver, read as a fourth
    digit (169 read 1691, accepted). It runs along the removed side and goes with it; a 1
    written near the side stays."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((110, 205), 235, np.uint8)
    cv2.rectangle(window, (9, 9), (197, 99), 30, -1)
    window[16:93, 14:185] = 235  # the box: lines about 5 px thick, its right side 13 px (185..197)
    window[19:80, 184] = 120  # the side's inner edge, inked along 61 of 90 rows
    cell = (9, 9, 194, 99)  # the layout puts the side at 194, the side's middle 3 px off
    assert (cell_ink(window, cell, 11) > 90).sum() == 0
    cv2.line(window, (160, 30), (160, 85), 40, 4)  # a 1 written 25 px from the side
    kept = cell_ink(window, cell, 11) > 90
    assert kept[30:85, 156:165].sum() > 150 and kept[:, 180:190].sum() == 0


def test_the_edge_of_a_side_left_in_pieces_is_no_1():
    """A dithered fax's box (1-bit, blurred back to grey): the side's inner edge, too little
    inked to count as the side's, was left in pieces when the side was removed, each under
    half the box tall: read as a 1 at 0.99 in a blank box, accepted (three fax pages of
    seeds 1050-1070). Thin pieces along the removed side together half the box tall go
    with it; beside a broad line (12 px) a sliver may be 3 px wide."""
    from formreader.box_ink import cell_ink

    window = np.full((110, 205), 235, np.uint8)
    cv2.rectangle(window, (9, 9), (197, 99), 30, -1)
    window[16:93, 14:185] = 235  # the box's lines about 5 px, its right side 13 px
    window[19:46, 183:185] = 120  # the side's inner edge, 2 px: two pieces, 27 and 22 of 90 rows
    window[55:77, 183:185] = 120
    cell = (9, 9, 194, 99)
    assert (cell_ink(window, cell, 11) > 90).sum() == 0
    # a box's blurred 3 px lines (12 px wide in all), the next box 19 px on: the layout's
    # cell runs to that box's side, this side is taken off as an inner line, and its
    # flank is left: 3 px wide, the cell's height
    pair = np.full((96, 112), 235, np.uint8)
    cv2.rectangle(pair, (13, 13), (78, 80), 0, 3)
    cv2.rectangle(pair, (97, 13), (160, 80), 0, 3)
    pair = cv2.GaussianBlur(pair, (0, 0), 3.0)
    assert (cell_ink(pair, (14, 14, 99, 82), 12, ticks=True) > 90).sum() == 0
    # pieces counted together stand in one column on one hand of the removed line: the two
    # edges of a 6's stem taken for a side (one each side of it) are no sliver, the 6 stays
    from formreader.box_ink import side_slivers
    from formreader.layout import components

    lines = np.zeros((110, 60), bool)
    lines[5:100, 13:22] = True
    pieces = np.zeros((110, 60), np.uint8)
    pieces[27:52, 22:24] = pieces[48:69, 12] = 1  # 25 and 21 rows of 89
    assert side_slivers(components(pieces)[2], lines, 89, 5, pieces * 255.0) == set()
    pieces[60:85, 22:24] = 1  # one more on the first's hand and column: 50 rows together
    assert len(side_slivers(components(pieces)[2], lines, 89, 5, pieces * 255.0)) == 2


def test_the_inner_line_of_a_double_string_box_broken_at_its_corners_is_no_digit():
    """A string box drawn with double lines at 300 dpi, its cell at the outer line (the
    lines ran together at the layout's resolution): the inner ring is left, its bottom
    line broken off at the corners, so it is no one ring. The rest (top and both sides) is
    no digit either: straight, filled end to end, nothing inside. The string box's
    string is read from its digits alone (before, the ring's sides were cut as digits,
    every digit cut out at the wrong place). A 7 whose bar runs under the ring stays."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((160, 420), 235, np.uint8)
    cv2.rectangle(window, (13, 13), (399, 141), 30, 5)  # the outer line: the cell
    cv2.line(window, (22, 22), (390, 22), 30, 3)  # the inner ring: top and sides in one piece
    cv2.line(window, (22, 22), (22, 130), 30, 3)
    cv2.line(window, (390, 22), (390, 130), 30, 3)
    cv2.line(window, (28, 132), (384, 132), 30, 3)  # and its bottom, a piece of its own
    cell = (13, 13, 399, 141)
    assert (cell_ink(window, cell, 5) > 90).sum() == 0  # blank, no 1s at the sides
    cv2.polylines(window, [np.array([[120, 40], [190, 40], [140, 115]])], False, 40, 6)  # a 7
    kept = cell_ink(window, cell, 5) > 90
    assert kept[36:45, 125:185].sum() > 250 and kept[:, 15:30].sum() == kept[:, 383:398].sum() == 0


def test_the_inner_line_of_a_double_box_broken_in_pieces_is_no_digit():
    """A string box of hairlines doubled 3 px inside (150 dpi), its cell at the outer
    line: the inner line broke into an L (left side and the start of the top) and a
    hook (the rest of the top and the right side), no ring and no side alone. Every
    pixel of each lies close along the cell's edges: no ink (the L was read as a 1,
    and every digit of the string was cut at the wrong place). A 1 near the side stays."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((85, 335), 235, np.uint8)
    cv2.rectangle(window, (7, 7), (328, 78), 60, 1)  # the outer line: the cell
    cv2.line(window, (10, 10), (10, 75), 60, 1)  # the inner line's L
    cv2.line(window, (10, 10), (70, 10), 60, 1)
    cv2.line(window, (92, 10), (325, 10), 60, 1)  # and its hook
    cv2.line(window, (325, 10), (325, 75), 60, 1)
    cell = (7, 7, 328, 78)
    assert (cell_ink(window, cell, 1) > 90).sum() == 0
    cv2.line(window, (30, 25), (26, 65), 40, 3)  # a 1, 16 px from the side
    kept = cell_ink(window, cell, 1) > 90
    assert kept[25:66, 23:34].sum() > 80 and kept[:, 8:13].sum() == kept[8:13, :].sum() == 0
    # a 7 in a small box of bold lines (a box found on a page whose other lines dropped
    # out): its bar runs along the top and its stem down the side, close to the edges all
    # over, as any digit in so small a box is; it stays
    small = np.full((60, 50), 235, np.uint8)
    cv2.rectangle(small, (10, 10), (39, 48), 30, 5)
    cv2.polylines(small, [np.array([[15, 15], [33, 15], [33, 43]])], False, 40, 3)
    assert (cell_ink(small, (10, 10, 39, 48), 5.5) > 90)[15:45, 13:36].sum() > 40


def test_a_short_divider_a_little_aslant_inside_a_comb_cell_is_no_1():
    """A blank cell of a comb with short dividers (a bitonal 300 dpi scan, turned and
    deskewed): the divider at its right edge, crisp and a little aslant, stands 3 px inside
    the cell and is wider than the line's stroke (10 px by its bounds, 4 by its mean width),
    so it passed for no remnant and was read as a 1, accepted. In a comb's cell such a
    short stroke standing on the bottom line by a side is a divider; a 1 in the cell stays."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((112, 102), 255, np.uint8)
    cv2.line(window, (0, 15), (101, 15), 0, 3)
    cv2.line(window, (0, 97), (101, 97), 0, 3)
    cv2.line(window, (87, 96), (80, 54), 0, 4)
    cell = (15, 15, 87, 97)
    assert not (cell_ink(window, cell, 3.9, ticks=True) > 0).any()
    cv2.line(window, (50, 25), (46, 90), 0, 4)  # a 1 written in the cell
    assert (cell_ink(window, cell, 3.9, ticks=True)[20:95, 40:56] > 0).sum() > 100


def test_a_small_1_written_low_beside_a_full_divider_is_no_tick():
    """A comb of full dividers (formgen's usual pages, seed 840): a small 1 written low in a
    cell, close to its left divider and across the bottom line, is thin, short, stands on
    the line by a side: it was taken for a tick left over by a comb of short dividers, and
    the cell read blank, the 1 lost without a word. Beside a side removed from line to
    line no tick stands; beside a short one (the test above) the same stroke is one."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((112, 102), 255, np.uint8)
    cv2.line(window, (0, 15), (101, 15), 0, 3)
    cv2.line(window, (0, 97), (101, 97), 0, 3)
    for x in (15, 87):  # full dividers
        cv2.line(window, (x, 0), (x, 111), 0, 3)
    cv2.line(window, (25, 78), (23, 104), 0, 3)  # the 1
    cell = (15, 15, 87, 97)
    assert (cell_ink(window, cell, 3, ticks=True)[70:96, 18:32] > 90).sum() > 30
    window[17:96, 12:19] = 255  # its divider short: a tick from the line up
    cv2.line(window, (15, 97), (15, 75), 0, 3)
    assert (cell_ink(window, cell, 3, ticks=True)[70:96, 18:32] > 90).sum() == 0


def test_a_bold_upright_1_beside_a_hairline_side_is_no_side_remnant():
    """A bold 1, straight and upright, written beside the left side of a box drawn in 2 px
    lines, the cell placed 4 px in from that side (variants 1631 p13, a rounded box): thin
    enough for twice a line's reach, most of the box's height, near the side, straight, it
    was taken for a faint side the line finder missed, and the box read blank: the 1 lost
    without a word. A stroke broader on average than a line and its blur is no side; a
    remnant as thin as the lines still is."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((85, 85), 255, np.uint8)
    cv2.rectangle(window, (8, 10), (70, 71), 0, 2)
    cell = (12, 12, 70, 73)
    window[16:59, 19:27] = 0  # the 1, 8 px broad
    assert (cell_ink(window, cell, 2.0)[16:59, 19:27] > 90).sum() > 200
    window[16:59, 19:27] = 255
    window[14:68, 14:16] = 90  # a faint side's remnant, as thin as the lines
    assert (cell_ink(window, cell, 2.0) > 90).sum() == 0


def test_a_1_written_high_in_a_string_box_and_a_speck_are_no_comb_ticks():
    """A bold string box on a slanted page (slant 1579 p8, "013"): the 1 came within a line's
    reach of the box's top edge, and a corner's sliver 1 px wide stood on the bottom line;
    the two passed for the short dividers of a comb taken for a string box, and the 1 was
    taken off with the sliver: "03", accepted. A speck is no tick; two ticks still are."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((110, 820), 255, np.uint8)
    cv2.rectangle(window, (5, 5), (808, 101), 0, 8)
    cell = (9, 9, 804, 97)
    cv2.line(window, (112, 20), (112, 58), 0, 9)  # the 1
    window[87:97, 796] = 0  # the sliver
    assert (cell_ink(window, cell, 8)[12:66, 100:125] > 90).sum() > 200
    window[12:66, 100:125] = 255
    for x in (300, 500):  # two ticks on the bottom line
        cv2.line(window, (x, 60), (x, 97), 0, 3)
    assert (cell_ink(window, cell, 8)[55:97, 290:510] > 90).sum() == 0


def test_a_short_divider_with_a_stub_of_a_stepped_baseline_at_its_foot_is_no_1():
    """A blank cell of a comb of short dividers on a turned fax: its baseline, deskewed, is
    two rows of steps, and the row that is not the line's own is left where it runs into
    the divider standing a little inside the cell. The divider is thin (its own width 6
    px), but with the stub at its foot it spans 17 px, more than a fifth of the cell: it
    was kept and read as a 1, surely (accepted). Measured above the baseline, it is a
    divider. A 1 written in the middle of the cell stays."""
    from formreader.box_ink import cell_ink

    window = np.full((124, 112), 255, np.uint8)
    window[10:16, :] = 0  # the top line
    window[104:111, :] = 0  # the baseline
    window[101:104, 97:109] = 0  # a step of it, joined to the divider's foot
    window[59:104, 91:97] = 0  # the short divider, a little inside the cell
    cell = (16, 13, 96, 107)
    assert (cell_ink(window, cell, 7, ticks=True) > 90).sum() == 0
    one = window.copy()
    one[30:100, 52:58] = 0
    assert (cell_ink(one, cell, 7, ticks=True) > 90)[30:100, 52:58].sum() > 300


def test_a_side_the_search_reaches_only_the_edge_of_is_taken_whole():
    """Boxes a little apart whose sides the layout merged with the next box's: the cell's
    edge lies in the gap, 4 px off the middle of a 4 px side (200 dpi, another maker's
    page). The search for the side reached only 3 of its 4 columns, and the fourth stayed
    along a 0 written against the side, one shape with it: read as a 9, accepted. The
    side goes whole, the 0 stays."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((77, 69), 235, np.uint8)
    window[7:12, 7:58] = window[62:67, 7:58] = window[7:67, 7:12] = 60  # the box, its lines 5 px thick
    window[7:67, 53:57] = 60  # its right side, columns 53..56
    window[7:67, 57] = 235
    cv2.ellipse(window, (38, 38), (14, 19), 0, 0, 360, 40, 3)  # a 0 touching the side
    cell = (10, 10, 59, 67)  # the layout put the right edge at 59
    kept = cell_ink(window, cell, 4.5) > 90
    assert kept[20:56, 20:30].sum() > 40  # the 0's left side
    assert kept[12:17, 50:56].sum() == 0 and kept[60:62, 50:56].sum() == 0  # no side left above or below it


def test_a_half_height_divider_a_digit_touches_is_no_stroke():
    """A comb whose dividers rise from the bottom line to half its height (200 dpi, another
    maker's page), a 0 written against the right one: one shape with it, so not known as
    a divider by its shape, and too short to be found as a side along the box's height.
    Its stub stayed beside the 0, read as a 9, accepted. A comb's side is looked for
    rising from the bottom line too; the 0 stays."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((100, 90), 235, np.uint8)
    window[10:13, :] = window[86:89, :] = 50  # top and bottom lines
    window[50:89, 10:13] = window[50:89, 76:79] = 50  # the half-height dividers
    cv2.ellipse(window, (57, 55), (18, 24), 0, 0, 360, 40, 3)  # a 0 touching the right one
    kept = cell_ink(window, (11, 11, 77, 87), 3, ticks=True) > 90
    assert kept[35:75, 37:42].sum() > 40  # the 0's left side
    assert kept[80:85, 72:80].sum() == 0  # no divider left under it


def test_a_soft_edged_divider_on_a_bold_bottom_line_a_0_touches_is_no_stroke():
    """The same at 600 dpi (another maker's page): a bold bottom line (an eighth of the rows
    the divider is sought along) and dividers with soft edges on a noisy paper. The column
    beside the divider (its faint edge, the line under it) filled 0.38 of those rows, so it
    was taken for a divider aslant and left: the 0 beside it, one shape with it, was read
    as a 9, accepted. Beside it, only what the line does not fill everywhere counts."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((242, 218), 245, np.float32)
    window[20:32, :] = window[203:217, :] = 70  # top and bottom lines
    for x in (20, 180):  # the half-height dividers: a 10 px core, soft edges
        window[117:217, x : x + 10] = 70
        window[117:217, [x - 1, x + 10]] = 160
        window[117:217, [x - 2, x + 11]] = 230
    cv2.ellipse(window, (120, 128), (52, 40), 0, 0, 360, 40, 12)  # a 0 touching the right one
    window = np.clip(window + np.random.default_rng(0).normal(0, 4, window.shape), 0, 255).astype(np.uint8)
    kept = cell_ink(window, (31, 31, 187, 211), 16, ticks=True) > 90
    assert kept[100:160, 64:76].sum() > 300  # the 0's left side
    assert kept[170:200, 176:194].sum() == 0  # no divider left under it


def test_a_broken_inner_line_s_remnant_is_a_side_whatever_lies_beyond_the_box():
    """A blank grey double box at 150 dpi (variants, seed 1031 page 6): box_lines left one
    column of the inner right line, in two pieces, and beyond the box's edge stood the next
    box's side. Taken with the pieces, that side stood them too far apart to be one broken
    side, and the remnant read as a 1 at 0.992, accepted. Beyond the box nothing counts."""
    from formreader.box_ink import broken_sides

    stats = np.array([[0, 0, 82, 77, 5000],  # the background
                      [76, 7, 6, 57, 300],  # the next box's side, beyond the edge (x1 = 72)
                      [64, 15, 1, 16, 16], [64, 32, 1, 32, 32]])  # the inner line's remnant
    assert broken_sides(stats, (11, 11, 72, 66), 6.0) == {2, 3}


def test_a_bold_box_set_close_to_its_neighbour_loses_its_own_side_not_a_sevens_bar():
    """Separate boxes with bold (10 px) sides a pixel apart, 200 dpi (formgen's variants,
    seed 481): to the layout the two sides are one line, and it put the cell's left edge in
    the gap. The neighbour's side was taken for the box's, the box's own left side was left
    standing, and with a 7's bar just under the top line it passed for a double box's inner
    frame: the bar was removed with it and the stem read as a 1 at 0.9998, accepted. The
    box's own side runs straight on into the top and bottom lines, so it goes too."""
    from formreader.box_ink import cell_ink

    window = np.full((89, 102), 230, np.uint8)
    window[7:17, :] = window[71:81, :] = 130  # the top and bottom lines of both boxes
    window[7:81, 0:11] = 130  # the neighbour's right side
    window[7:81, 11:14] = 230  # the gap
    window[7:81, 14:24] = 130  # the box's own left side
    window[7:81, 78:88] = window[7:81, 91:] = 130  # its right side, and the next box's left
    window[20:28, 27:71] = window[18:65, 63:71] = 130  # the 7's soft edges
    window[22:26, 29:69] = 30  # its bar, 5 px under the top line
    window[19:63, 65:69] = 30  # its stem
    ink = cell_ink(window, (13, 13, 89, 76), 10) > 90
    assert ink[22:26, 30:60].sum() >= 0.9 * 4 * 30  # the bar stays
    assert ink[30:60, 13:24].sum() == 0  # and no side is left


def test_the_inner_line_of_a_double_box_whose_cell_edge_lies_between_its_lines_is_no_digit():
    """The same rule leaves double boxes as they were: a double box's inner line meets an
    inner top line, with paper between it and the outer one."""
    from formreader.box_ink import cell_ink

    kept = cell_ink(_double_box("inside"), (19, 15, 121, 125), 3) > 90
    assert kept[40:100, 40:100].sum() > 200 and kept[30:110, 20:26].sum() == 0 and kept[20:26, 30:110].sum() == 0


def test_a_sevens_bar_across_the_top_of_a_tick_combs_cell_is_no_inner_line():
    """A tick comb's cell (no top line) holding a 7 whose bar runs across most of the
    cell near its top, over a baseline with a thin line under it (drawn double, or the
    soft edge of a blurred one the line's removal left). The bar and that line passed for
    the inner lines of a comb drawn with double lines: the bar was removed and the stem
    read as a sure 1. A tick comb has no top line, so no inner one."""
    import cv2

    from formreader.box_ink import cell_ink

    window = np.full((97, 82), 235, np.uint8)
    window[81:86, :] = 10  # the baseline
    window[88:90, :] = 10  # and a thin line under it
    window[56:82, 10:14] = 10  # the ticks at the cell's sides
    window[56:82, 69:73] = 10
    window[20:25, 20:62] = 10  # the 7's bar, 8 px under the cell's top
    cv2.line(window, (56, 22), (42, 68), 10, 6)  # and its stem
    ink = cell_ink(window, (12, 12, 70, 85), 8, open_top=True, ticks=True)
    assert (ink[20:25, 23:50] > 90).sum() >= 0.9 * 5 * 27


def test_box_sides_in_a_string_field_are_told_from_handwritten_ones(mnist):
    """A row of boxes taken for a string (a tinted row at JPEG quality 25, on a page turned
    3 degrees): its sides are thin bars of one height with their tops in line, and both
    readers read each as a sure 1. Handwritten 1s lean and differ: of 200 strings of four
    MNIST 1s, at most a few look so."""
    ink = np.zeros((55, 320), np.uint8)
    for k, x in enumerate(range(10, 300, 43)):  # seven boxes' sides, the gap between two boxes 7 px
        top = 4 + k // 3  # the row a little aslant
        ink[top : top + 46, x : x + 4] = 255
        ink[top + 1 : top + 47, x + 36 : x + 40] = 255
    ink[16:45, 103:122] = 255  # a digit in one box
    assert ruled(ink)

    ones = mnist.x_test[mnist.y_test == 1]
    rng = np.random.default_rng(0)
    looks_ruled = 0
    for _ in range(200):
        string = np.zeros((50, 160), np.uint8)
        for k, i in enumerate(rng.choice(len(ones), 4, replace=False)):
            string[4:46, 5 + 25 * k : 47 + 25 * k] = np.maximum(string[4:46, 5 + 25 * k : 47 + 25 * k], cv2.resize(ones[i], (42, 42)))
        looks_ruled += ruled(string)
    assert looks_ruled <= 4


def test_every_digit_of_a_doubtful_string_field_is_flagged():
    from formreader.pipeline import settle_free
    from formreader.digits import BOX_SIDES, LEFT_OUT
    from formreader.recognizer import Reads

    def field(doubt: str) -> FieldCut:
        return FieldCut("underline", (0, 0, 300, 50), [_box(x) for x in range(0, 300, 50)], doubt=doubt)

    n = 18
    sure_ones = Reads(np.eye(11)[[1] * n], np.ones(n, int), np.full(n, 0.9998), np.full(n, 7), np.full(n, 0.0001), np.zeros(n, bool), [""] * n)
    cuts = [FileCut("f.png", [PageCut("f.png", 1, [field(BOX_SIDES), field(""), field(LEFT_OUT)])])]
    reads = settle_free(cuts, sure_ones)
    assert reads.needs_review.tolist() == [True] * 6 + [False] * 6 + [True] * 6
    assert reads.reason == [BOX_SIDES] * 6 + [""] * 6 + [LEFT_OUT] * 6


def test_a_faint_digit_broken_into_dots_in_a_string_is_ink_left_out():
    """A pale scan's faint 1 between an 8 and a 7 came out as three dots, each dropped as a
    piece of a stroke: the underline read `871073` for `8171073`, every digit sure. The
    dots stand as tall as the digits; a speck or two of noise does not."""
    from formreader.string_marks import left_out

    ink = np.zeros((80, 300), np.float32)
    for x0 in (10, 100, 160, 220):  # four digits, 60 px tall
        ink[10:70, x0 : x0 + 35] = 255
    taken = [(10, 45), (100, 135), (160, 195), (220, 255)]
    assert not left_out(ink, taken)
    ink[30:33, 70:74] = ink[50:52, 200:204] = 255  # specks of noise
    assert not left_out(ink, taken)
    for y, x in ((12, 74), (34, 70), (58, 66)):  # a slanted 1 in three dots, in the gap
        ink[y : y + 10, x : x + 5] = 255
    assert left_out(ink, taken)
    assert not left_out(ink, taken + [(60, 85)])  # cut as a digit of its own: taken
    ink[75:78, 0:300] = 255  # a line's remnant along the bottom, far wider than a digit: no mark
    assert not left_out(ink, taken + [(60, 85)])


def test_a_small_flat_digit_dropped_from_a_string_is_ink_left_out():
    """A 2 written small and flat in a string box, 17 px high and 27 wide among digits 37
    px tall, was dropped as a piece of a broken stroke: `175928` read for `1275928`, every
    digit sure, accepted (other 1702 p1). A mark half a digit wide and a third as tall is a
    digit left out; a hyphen (as wide, a few pixels high) and a speck are not."""
    import cv2

    from formreader.string_marks import left_out, split_string

    ink = np.zeros((60, 330), np.float32)
    for x in (30, 150, 210):  # three 0s, 39 px tall
        cv2.ellipse(ink, (x, 30), (10, 18), 0, 0, 360, 255, 3)
    taken = [first[0] for first, *_ in split_string(ink)]
    two = ink.copy()
    cv2.polylines(two, [np.array([[80, 36], [90, 31], [98, 35], [82, 44], [104, 44]], np.int32)], False, 255, 3)  # a flat 2
    assert len(taken) == 3 and [first[0] for first, *_ in split_string(two)] == taken  # dropped as a piece of a stroke
    assert left_out(two, taken)
    ink[28:32, 250:274] = 255  # a hyphen after them
    ink[44:46, 300:303] = 255  # a speck
    assert not left_out(ink, taken)


def test_a_1_in_dots_each_smaller_than_a_speck_of_a_wide_box_is_ink_left_out():
    """A faint 1 at the end of a wide string box, broken into dots each smaller than what
    cell_ink drops as a speck of a box that size (other 1232 p5: `29285` read for `292851`,
    every digit sure, accepted). The dots lie wholly within the box; a stroke running in
    from outside it, the box's lines and the pieces of a comb's hairline divider within it
    are no dots."""
    import cv2

    from formreader.box_ink import cell_ink
    from formreader.string_marks import left_out, marks_within

    window = np.full((110, 420), 235, np.uint8)
    cv2.rectangle(window, (10, 10), (410, 100), 30, 2)
    for x in (40, 110, 180):  # three digits, 0s 50 px tall
        cv2.ellipse(window, (x, 55), (14, 25), 0, 0, 360, 40, 4)
    for y in (32, 46, 60, 74):  # the 1, four dots in a column
        window[y : y + 6, 262:266] = 60
    cv2.line(window, (330, 0), (333, 18), 40, 3)  # a prompt's stroke running in across the top line
    for y in range(45, 88, 12):  # a comb's hairline divider within the outer frame taken for the box, broken
        window[y : y + 9, 300] = 120
    cell = (10, 10, 410, 100)
    ink = cell_ink(window, cell, 2)
    taken = [(24, 56), (94, 126), (164, 196)]
    assert (ink[30:82, 258:270] > 90).sum() == 0  # every dot dropped as a speck
    assert not left_out(ink, taken)
    marks = marks_within(window, cell, 2)
    assert (marks[30:82, 258:270] > 90).sum() >= 80
    assert (marks[:, 320:345] > 60).sum() == 0 and (marks[:, :12] > 60).sum() == 0 and (marks[95:, :] > 60).sum() == 0
    assert (marks[:, 295:306] > 60).sum() == 0  # a hairline's pieces: no dots
    assert left_out(np.maximum(ink, marks), taken)


def test_a_pale_digit_strong_only_along_a_few_pixels_is_ink_left_out():
    """A dithered fax made grey again: a pale 6 at the end of `3106` is strong ink (over 90)
    along a third of a digit's height only, its faint ink the whole height. The string was
    cut and read `310`, accepted as two readers agreeing; the mark's fainter ink counts."""
    from formreader.string_marks import left_out

    ink = np.zeros((60, 200), np.float32)
    for x0 in (10, 50, 90):  # three digits, 30 px tall
        ink[15:45, x0 : x0 + 20] = 230
    taken = [(10, 30), (50, 70), (90, 110)]
    ink[15:45, 140:146] = 75  # the pale 6: faint all the way up ...
    ink[33:43, 141:145] = 130  # ... strong along its loop only
    assert left_out(ink, taken)
    ink[15:45, 140:146] = 40  # paper's noise and a blur's halo are fainter
    assert not left_out(ink, taken)


def test_a_side_thicker_than_the_boxs_lines_leaves_no_sliver():
    """A string box on a page fed sideways (300 dpi): its right side, drawn along the
    scanner's slower direction, came out 7 px thick against lines of 6, and the layout put
    the cell's edge 10 px beyond its middle. The side's search took the 6 columns nearest
    that edge and left the seventh, a sliver as tall as a third of the box, which was read
    as a sure 1 after the string's last digit. A column inked from end to end is the line's,
    however thick the line."""
    from formreader.box_ink import cell_ink

    window = np.full((91, 394), 230, np.uint8)
    window[5:11, 5:386] = window[81:87, 5:386] = 30  # top and bottom lines
    window[5:87, 5:11] = 30  # left side
    window[5:87, 380:386] = 30  # right side, 7 px: its inner edge softer, dark along a third of it
    window[5:87, 379] = 170
    window[17:44, 379] = 140
    window[30:70, 100:106] = 30  # a 1
    ink = cell_ink(window, (8, 8, 387, 84), 6.0)
    assert ink[:, 100:106].max() > 90 and ink[:, 300:].max() <= 90, np.flatnonzero((ink > 90).any(axis=0))


def test_the_fading_edge_of_a_side_a_pixel_aslant_is_no_1():
    """A string box on a fax page (fax 1359 p19), its right side a pixel aslant after
    deskewing: the side's 2 px core was taken off, and beside it the soft edge, dark along
    less than half the box and fainter below, was read as a sure 1 after the string's
    digits (`0011` for `001`, accepted). The edge counts as tall as it runs on beside the
    side, faint too."""
    from formreader.box_ink import cell_ink

    window = np.full((95, 308), 230, np.uint8)
    window[6:8, 6:298] = window[86:88, 6:298] = 30  # top and bottom lines, 2 px
    window[6:88, 6:8] = 30  # left side
    window[6:88, 295:297] = 30  # right side's core
    window[38:86, 294] = np.linspace(110, 175, 48).astype(np.uint8)  # its inner edge, fading down
    window[25:65, 100:104] = 30  # a 1
    ink = cell_ink(window, (8, 8, 300, 87), 3.33)
    assert np.flatnonzero((ink > 90).any(axis=0)).tolist() == [100, 101, 102, 103]


def test_the_inner_side_of_a_double_box_placed_a_few_pixels_off_is_no_1():
    """A double-lined checkbox taken for a digit box (variants 1361 p13, 200 dpi): the
    layout's cell ran 4 px past its outer right side, so the inner right side lay 9 px in
    from the cell's edge, deeper than the fifth of the box where an inner line is looked
    for; the other three inner lines were taken off, this one read as a sure 1. The inner
    line is looked for from the outer line found, not from the cell's edge."""
    from formreader.box_ink import cell_ink

    window = np.full((59, 63), 235, np.uint8)
    window[8:12, 6:52] = window[50:54, 6:52] = 30  # the outer frame, 4 px
    window[8:54, 6:10] = window[8:54, 48:52] = 30
    window[13:17, 11:47] = window[45:49, 11:47] = 30  # the inner frame, a pixel of paper inside it
    window[13:49, 11:15] = window[13:49, 43:47] = 30
    assert (cell_ink(window, (8, 8, 55, 50), 8.0) > 90).sum() == 0


def test_a_narrow_9_against_a_bold_frame_is_read_and_a_line_remnant_there_is_not():
    """A comb cell inside a bold frame (lines 6 px thick at 150 dpi; the field's line 8): a
    9 written narrow, 2 px off the frame's left side, lay within the reach of that edge and
    was dropped as what was left of the side, the box read blank and its digit lost
    without a word (third maker, seed 913). A piece that encloses paper (the 9's loop) is
    never a line's remnant; a straight stroke as near the side still is."""
    import cv2

    from formreader.box_ink import cell_ink

    def cell(mark) -> int:
        window = np.full((41, 41), 245, np.uint8)
        window[0:6, :] = window[35:41, :] = window[:, 0:6] = 20  # the frame: top, bottom, left
        window[6:35, 35:37] = 20  # a thin divider on the right
        mark(window)
        return int((cell_ink(window, (6, 6, 36, 35), 8.0, ticks=True) > 90).sum())

    def nine(w):
        cv2.circle(w, (12, 14), 3, 20, 2)
        cv2.line(w, (15, 14), (14, 29), 20, 2)

    assert cell(nine) > 60
    assert cell(lambda w: cv2.line(w, (9, 10), (9, 22), 20, 2)) == 0


def _boxed_window() -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A 54 px box with dark 3 px lines in a padded grey window, and the box within it."""
    window = np.full((76, 76), 240, np.uint8)
    cv2.rectangle(window, (10, 10), (64, 64), 40, 3)
    return window, (11, 11, 63, 63)


def test_a_pale_dotted_digit_in_a_blank_looking_box_is_a_faint_mark():
    """A dotted 1 in a tinted box (third maker, seed 1163 p21): one dark dot, the stroke
    below it light, dark only in specks: cell_ink kept the dot alone, too little ink, and
    the box was read blank, an empty box accepted where a 1 was written. A blank box, one
    with specks of noise, or one with a light inner line along an edge holds no mark."""
    from formreader.box_ink import cell_ink, faint_mark, is_blank

    def mark(window, cell):
        ink = cell_ink(window, cell, 3.0)
        assert is_blank(ink, 52 * 52)
        return faint_mark(window, cell, 3.0, ink)

    window, cell = _boxed_window()
    assert mark(window, cell) is None
    rng = np.random.default_rng(1)
    noisy = window.copy()
    for y, x in rng.integers(18, 58, (12, 2)):  # specks of dust, dark and light
        noisy[y : y + 2, x : x + 2] = rng.choice([100, 180])
    assert mark(noisy, cell) is None
    lined = window.copy()
    lined[18:20, 18:58] = 185  # a light inner line near the top edge
    assert mark(lined, cell) is None

    dotted = window.copy()
    cv2.circle(dotted, (37, 24), 2, 60, -1)  # the dark dot
    cv2.line(dotted, (37, 32), (34, 58), 185, 3)  # the light stroke ...
    for y in range(34, 58, 6):  # ... dark only in specks
        x = 37 - (y - 32) * 3 // 26
        dotted[y : y + 2, x : x + 2] = 100
    ink = cell_ink(dotted, cell, 3.0)
    assert is_blank(ink, 52 * 52) and (ink > 90).any()  # the dot alone kept: read blank before
    found = mark(dotted, cell)
    assert found is not None and (found[32:58] > 0).any(axis=1).mean() > 0.8  # the whole stroke


def test_a_box_whose_cut_doubts_it_is_flagged_whatever_the_read():
    from formreader.digits import FAINT_MARK
    from formreader.pipeline import settle_free
    from formreader.recognizer import Reads

    boxes = [_box(0), BoxCut((50, 0, 50, 50), None), BoxCut((100, 0, 50, 50), np.zeros((28, 28), np.uint8), FAINT_MARK), _box(150)]
    n = 3
    sure = Reads(np.eye(11)[[1] * n], np.ones(n, int), np.full(n, 0.9998), np.full(n, 7), np.full(n, 0.0001), np.zeros(n, bool), [""] * n)
    reads = settle_free([FileCut("f.png", [PageCut("f.png", 1, [FieldCut("boxes", (0, 0, 200, 50), boxes)])])], sure)
    assert reads.needs_review.tolist() == [False, True, False]
    assert reads.reason == ["", FAINT_MARK, ""]


def test_an_o_among_letters_in_boxes_is_flagged():
    """A word written in a row of letter boxes (letters 1200 p1: `?0?` with the O read as a
    sure 0, accepted): where half the written boxes, two at least, read as no digit, the
    row's digits are flagged too. One unreadable mark among digits flags nothing more."""
    from formreader.pipeline import settle_free
    from formreader.recognizer import AMONG_LETTERS, NOT_DIGIT, Reads

    def reads(classes):
        n = len(classes)
        probs = np.eye(11)[classes]
        return Reads(probs, np.array([min(c, 9) for c in classes]), np.full(n, 0.9999), np.full(n, 2), np.zeros(n), np.zeros(n, bool), [""] * n)

    def settled(classes):
        r = reads(classes)
        for k, c in enumerate(classes):
            if c == 10:
                r.needs_review[k], r.reason[k] = True, NOT_DIGIT
        boxes = [_box(50 * k) for k in range(len(classes))]
        return settle_free([FileCut("f.png", [PageCut("f.png", 1, [FieldCut("boxes", (0, 0, 50 * len(classes), 50), boxes)])])], r)

    word = settled([10, 0, 10])
    assert word.needs_review.tolist() == [True] * 3 and word.reason == [NOT_DIGIT, AMONG_LETTERS, NOT_DIGIT]
    number = settled([4, 10, 0, 7])
    assert number.needs_review.tolist() == [False, True, False, False]


def test_two_ones_cut_from_one_digit_s_room_are_flagged():
    """A thin 4 with an open top on a fax page (seed 1154 page 11): cut in two, its
    uprights read as 1s, the second at 0.997 and accepted. Two 1s that together are no
    wider along the string than its median digit are one digit's pieces (so is a 1 drawn
    in two strokes a few pixels apart); two 1s a digit's pitch apart are not, nor a 1
    beside a 7."""
    from formreader.pipeline import split_ones

    rects = [(1083, 1291, 36, 53), (1134, 1286, 35, 56), (1183, 1279, 35, 53), (1239, 1284, 17, 37), (1254, 1286, 12, 48)]
    assert split_ones(np.array([2, 8, 6, 1, 1]), rects) == [3, 4]
    assert split_ones(np.array([2, 8, 6, 7, 1]), rects) == []
    strokes = rects[:3] + [(1239, 1284, 10, 48), (1255, 1286, 2, 30)]  # a 1 in two strokes, 6 px apart
    assert split_ones(np.array([2, 8, 6, 1, 1]), strokes) == [3, 4]
    apart = rects[:3] + [(1239, 1284, 12, 48), (1275, 1286, 12, 48)]
    assert split_ones(np.array([2, 8, 6, 1, 1]), apart) == []
    turned = [(y, x, h, w) for x, y, w, h in rects]  # a page read on its side: the string runs down
    assert split_ones(np.array([2, 8, 6, 1, 1]), turned) == [3, 4]


def test_a_string_with_1s_far_taller_than_its_digits_is_flagged_whole():
    """A printed table's last row read as one string box (slant, seed 1039 page 2): its
    column lines, from the row's top line to its bottom, read as sure 1s among printed
    numbers a third as tall; 23 digits accepted. A handwritten 1 about as tall as its
    neighbours, or a string of three, raises nothing."""
    from formreader.pipeline import tall_ones

    number = [(175 + 25 * k, 3361, 23, 29) for k in range(5)]
    row = number + [(524, 3353, 18, 81)] + [(562 + 25 * k, 3385, 24, 30) for k in range(5)]
    assert tall_ones(np.array([9, 5, 5, 5, 0, 1, 4, 0, 2, 0, 1]), row)
    written = number + [(300, 3355, 12, 40)] + number
    assert not tall_ones(np.array([9, 5, 5, 5, 0, 1, 4, 0, 2, 0, 1]), written)
    assert not tall_ones(np.array([9, 1, 5]), [number[0], (524, 3353, 18, 81), number[1]])


def test_a_dithered_blank_box_holds_no_faint_mark():
    """A blank box on a dithered fax page: light dots all over it, nothing dark kept. Read
    as faint marks, 29 blank boxes over the kept fax pages became flagged digits."""
    from formreader.box_ink import cell_ink, faint_mark

    window, cell = _boxed_window()
    for y, x in np.random.default_rng(2).integers(18, 56, (40, 2)):  # the dither's light dots, made grey again
        window[y : y + 4, x : x + 4] = 175
    ink = cell_ink(window, cell, 3.0)
    assert not (ink > 90).any() and faint_mark(window, cell, 3.0, ink) is None


def test_a_digit_touching_a_bold_side_leaves_the_side_s_edge_behind(mnist):
    """The other maker's page 2 of seed 1206 (300 dpi, turned 3.5 degrees; on a dark lid in
    the bench): a bold comb's 0 touching its right side. The side's inner edge, 3-4 px the
    side's removal left on the turned page, was one piece with the 0, kept from the cell's
    top to its bottom: `0|`, read as a sure 9. Where it touches, the stroke keeps what
    it has; above and below, the edge goes."""
    import importlib.util
    import io
    from pathlib import Path

    from PIL import Image

    from formreader.orientation import cut_page

    spec = importlib.util.spec_from_file_location("other_pages", Path(__file__).parents[1] / "bench" / "other_pages.py")
    other_pages = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(other_pages)
    rng = np.random.default_rng(1206)
    for dpi in (150, 200, 300):  # the bench's pages in turn, its rng drawn alike
        image, rows = other_pages.other_page(rng, mnist.x_test, mnist.y_test, dpi)
    saved = io.BytesIO()
    image.save(saved, "PNG")
    gray = np.asarray(Image.open(saved).convert("L"))
    (_, _, _, x, y, _, _, digit), = [r for r in rows if r[:2] == [10, 4]]
    assert digit == 0
    cut = min((b for f in cut_page(gray, 300) for b in f.boxes), key=lambda b: abs(b.rect[0] - x) + abs(b.rect[1] - y))
    inked = cut.image > 128
    height = inked.any(axis=1).sum()
    assert inked.sum(axis=0).max() < 0.9 * height  # no column of ink from its top to its bottom


def test_free_handwriting_is_cut_without_the_lines_of_a_frame_round_it(mnist, shipped_model):
    """Eight digits in a string box on a dithered fax (fax 1264 p12, 150 dpi), its lines
    made 6-7 px thick by the undithering: no finder took the box, the digits were free
    handwriting, and its cell, a margin round them, held the box's top and bottom lines.
    Cut with them, most read as no digit, and the row was dropped as words: eight digits
    lost without a word. A level line much longer than the row is tall is no digit's."""
    from formreader.digits import cut_fields
    from formreader.layout import Field, Layout, Rect
    from formreader.recognizer import Recognizer

    page = np.full((200, 520), 255, np.uint8)
    x0, top, size, step = 40, 70, 40, 52
    digits = [3, 2, 1, 18, 4, 8]  # MNIST test digits 0 to 5
    for k, i in enumerate(digits):
        digit = cv2.resize(255 - mnist.x_test[i], (size, size), interpolation=cv2.INTER_LINEAR)
        x = x0 + k * step
        page[top : top + size, x : x + size] = np.minimum(page[top : top + size, x : x + size], digit)
    cv2.line(page, (20, top - 8), (500, top - 8), 40, 6)  # the box's top and bottom lines, across the row
    cv2.line(page, (20, top + size + 8), (500, top + size + 8), 40, 6)
    # the row's marks: the digits and the box's sides between its lines, a margin round them
    y0, y1 = top - 11, top + size + 11
    pad = 0.25 * (y1 - y0)
    free = Field("free", [Rect(x0 - pad, y0 - pad, len(digits) * step + 2 * pad, y1 - y0 + 2 * pad)])
    cut = cut_fields(page, Layout(0.0, np.eye(2, 3), [free]))[0]
    images = np.stack([b.image for b in cut.boxes if b.image is not None])
    reads = Recognizer.load(shipped_model).read(images, None, 64)
    assert "".join(map(str, reads.digit)) == "".join(str(mnist.y_test[i]) for i in digits)


def test_only_dark_level_lines_are_taken_off_free_handwriting():
    """A pale page's free row (pale 1208 p7): the faint ink cell_ink keeps running on from
    the strokes lay over the paper in a broad patch, whose every row passed for a level
    line: taken off, the 5 and 9 under it went with it, lost without a word. A line is
    dark ink."""
    from formreader.string_marks import lines_across

    ink = np.zeros((120, 400), np.float32)
    ink[20:100, 200:400] = 60  # faint ink over the paper
    ink[40:90, 260:264] = 220  # a stroke in it
    ink[104:108, :] = 200  # a dark line across
    taken = lines_across(ink, 180)
    assert taken[104:108].all() and not taken[20:100].any()


def _row_with_a_double_cell(mnist, digits_in_wide: int) -> tuple[np.ndarray, object]:
    """A comb of four cells 60 px wide and a fifth 120 px wide (a divider unseen), a digit
    in each narrow cell and `digits_in_wide` side by side in the wide one."""
    from formreader.layout import Field, Layout, Rect

    page = np.full((200, 560), 240, np.uint8)
    cells = [Rect(30 + 60 * k, 60, 60, 70) for k in range(4)] + [Rect(270, 60, 120, 70)]
    for c in cells:
        cv2.rectangle(page, (int(c.x), int(c.y)), (int(c.x + c.w), int(c.y + c.h)), 30, 3)

    def write(x, y, k):
        digit = cv2.resize(mnist.x_test[k], (48, 48))
        page[y : y + 48, x : x + 48] = np.minimum(page[y : y + 48, x : x + 48], 240 - digit * (210 / 255)).astype(np.uint8)

    for k, c in enumerate(cells[:4]):
        write(int(c.x) + 6, 72, k)
    for k in range(digits_in_wide):
        write(276 + 56 * k if digits_in_wide == 2 else 306, 72, 10 + k)
    return page, Layout(0.0, np.eye(2, 3), [Field("comb", cells, 3.0)])


def test_two_digits_in_a_box_twice_as_wide_as_its_row_s_others_are_doubted(mnist):
    """A pale comb whose dividers went unseen in places (pale 1318 p11) was cut into cells
    two wide: a 4 and a 3 written in one, squeezed into one digit, read as a sure 3. A cell
    half as wide again as the row's narrowest, holding two marks side by side, is doubted
    (flagged); holding one digit, it is not."""
    from formreader.digits import TWO_MARKS, cut_fields

    page, layout = _row_with_a_double_cell(mnist, 2)
    assert [b.doubt for b in cut_fields(page, layout)[0].boxes] == ["", "", "", "", TWO_MARKS]
    page, layout = _row_with_a_double_cell(mnist, 1)
    assert [b.doubt for b in cut_fields(page, layout)[0].boxes] == ["", "", "", "", ""]


def test_a_7s_bar_drawn_on_the_box_top_line_is_seen():
    """A 7 written high (letters 1511 p7): its bar lay on the box's top line and went with
    it, and the stem left read as a 1 at 1.000, accepted. Ink on the top line beyond the
    line's own height, over a tenth of the box, with no stroke running on below it, is a
    stroke on the line; a 1 whose stem crosses the line, a 7 whose bar is inside, and a 1 clear
    of the line under a neighbour's stroke on it (variants 1371 p18, 1391 p18), are not."""
    from formreader.box_ink import bar_on_top_line, cell_ink

    def box(draw) -> np.ndarray:
        window = np.full((90, 90), 250, np.uint8)
        window[7:13, 7:80], window[70:76, 7:80] = 20, 20  # the top and bottom lines, 6 px
        window[7:76, 7:13], window[7:76, 74:80] = 20, 20  # the sides
        draw(window)
        return window

    cell = (12, 12, 74, 70)

    def on_line(window) -> bool:
        return bar_on_top_line(window, cell, 6.0, cell_ink(window, cell, 6.0))

    def stem(window, top=13):
        cv2.line(window, (48, top), (38, 62), 30, 6)

    def bar_on_the_line(window):
        stem(window)
        window[3:13, 20:48] = 30

    def bar_inside(window):
        stem(window)
        window[14:20, 20:48] = 30

    assert on_line(box(bar_on_the_line))
    assert not on_line(box(lambda w: stem(w, top=2)))  # a 1 crossing the line: its stem runs on below
    assert not on_line(box(bar_inside))
    assert not on_line(box(stem))

    def below_a_neighbours_stroke(window):  # a 1 clear of the line; a neighbour's 2 on it near the corner
        stem(window, top=25)
        window[3:13, 14:28] = 30

    assert not on_line(box(below_a_neighbours_stroke))


def test_a_box_read_as_a_1_with_a_stroke_on_its_top_line_is_flagged():
    """A box whose cut saw a stroke on its top line (a 7's bar gone with the line) is flagged
    where it reads as a 1; read as anything else, it stands."""
    from formreader.digits import BAR_ON_LINE
    from formreader.pipeline import settle_free
    from formreader.recognizer import Reads

    def settled(digit):
        boxes = [_box(0), BoxCut((50, 0, 50, 50), np.zeros((28, 28), np.uint8), BAR_ON_LINE)]
        sure = Reads(np.eye(11)[[1, digit]], np.array([1, digit]), np.full(2, 0.9998), np.full(2, 7), np.full(2, 0.0001), np.zeros(2, bool), [""] * 2)
        return settle_free([FileCut("f.png", [PageCut("f.png", 1, [FieldCut("boxes", (0, 0, 100, 50), boxes)])])], sure)

    assert settled(1).needs_review.tolist() == [False, True] and settled(1).reason == ["", BAR_ON_LINE]
    assert settled(7).needs_review.tolist() == [False, False]


def test_a_dark_stroke_over_a_grey_box_line_is_the_digit_s():
    """A 9 whose loop was drawn over a grey box's bold top line in darker ink (variants
    1711 p19, 300 dpi): taken with the line, the loop was cut away and the 9 read as a
    sure 7. Ink darker than the line's own grey is the stroke's; a black line has none."""
    import cv2

    from formreader.box_ink import cell_ink

    def box(line_grey: int) -> np.ndarray:
        window = np.full((100, 100), 235, np.uint8)
        cv2.rectangle(window, (10, 10), (89, 89), line_grey, 7)
        cv2.ellipse(window, (38, 14), (10, 9), 0, 0, 360, 20, 4)  # the loop, over the top line
        cv2.line(window, (47, 16), (44, 60), 20, 4)  # the stem, within the box
        return window

    cell = (14, 14, 86, 86)
    grey = cell_ink(box(130), cell, 7.0) > 90
    assert grey[7:14, 26:50].sum() >= 30  # the loop's strokes over the line are kept
    assert grey[7:14, 60:86].sum() == 0  # the line itself is not
    black = cell_ink(box(20), cell, 7.0) > 90
    assert black[7:14, 60:86].sum() == 0
