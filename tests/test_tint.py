"""Boxes printed as white holes in a tinted band (layout/tint.py), drawn here with OpenCV,
not by either page maker the layout was tuned on."""

import cv2
import numpy as np
import pytest

from formreader.layout import find_layout, outline_tinted_boxes
from formreader.scoring import iou

TINTS = {"pink": (222, 222, 255), "blue": (255, 236, 222), "grey": (228, 228, 228), "deep blue": (245, 222, 205)}  # BGR


def tinted_row(rng, digits, dpi: int, tint, lines: bool, turn: float, gap: float = 0.07, line: int = 0, box=(0.28, 0.34), margin: float = 0.08,
               noise: float = 4.0):
    """A page holding one row of eight white boxes (`box` inches wide and high) in a tinted
    band (with or without lines of their own; `margin` inches of it round the boxes),
    digits in six of them, turned by `turn` degrees and scanned with `noise`: (the grey
    page, the boxes' truth rectangles in its pixels)."""
    px = lambda inches: int(round(inches * dpi))  # noqa: E731
    page = np.full((px(4), px(6), 3), 250, np.uint8)
    (bw, bh), x0, y0 = box, 1.2, 1.5
    cv2.rectangle(page, (px(x0 - margin), px(y0 - margin)), (px(x0 + 8 * (bw + gap) - gap + margin), px(y0 + bh + margin)), tint, -1)
    boxes = []
    for i in range(8):
        x = x0 + i * (bw + gap)
        box = (px(x), px(y0), px(x + bw), px(y0 + bh))
        cv2.rectangle(page, box[:2], box[2:], (250, 250, 250), -1)
        if lines:
            cv2.rectangle(page, box[:2], box[2:], (90, 60, 200), line or max(1, dpi // 150))
        if i not in (2, 5):
            ink = cv2.resize(digits[int(rng.integers(len(digits)))], (px(bw * 0.8), px(bh * 0.8)))
            x1, y1 = px(x + bw * 0.1), px(y0 + bh * 0.1)
            cell = page[y1 : y1 + ink.shape[0], x1 : x1 + ink.shape[1]]
            cell[:] = (cell * (1 - ink[..., None] / 255.0) + np.array([60, 20, 20]) * (ink[..., None] / 255.0)).astype(np.uint8)
        boxes.append(box)
    h, w = page.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), turn, 1.0)
    page = cv2.warpAffine(page, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=(250, 250, 250))
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY).astype(np.float32) + rng.normal(0, noise, (h, w))
    gray = cv2.GaussianBlur(np.clip(gray, 0, 255).astype(np.uint8), (0, 0), 0.6)
    truth = []
    for x0_, y0_, x1_, y1_ in boxes:  # the box keeps its size; its middle turns with the page
        cx, cy = m @ np.array([(x0_ + x1_) / 2, (y0_ + y1_) / 2, 1.0])
        truth.append((cx - (x1_ - x0_) / 2, cy - (y1_ - y0_) / 2, x1_ - x0_, y1_ - y0_))
    return gray, truth


def boxes_found(gray, dpi, truth) -> int:
    layout = find_layout(gray, dpi)
    cells = [layout.to_original(c) for f in layout.fields if f.kind in ("boxes", "comb") for c in f.cells]
    return sum(any(iou(t, c) >= 0.5 for c in cells) for t in truth)


# turned 1-2 degrees, a box 0.3 in wide is turned less than two pixels across: each white box
# alone measured 0, and the outlines drawn straight on the turned page were no boxes to the layout
@pytest.mark.parametrize("dpi,tint,lines,turn", [(150, "pink", False, 2.5), (200, "blue", False, -3.5), (300, "grey", False, 1.0),
                                                 (200, "grey", True, -2.0), (300, "pink", True, 3.0),
                                                 (150, "pink", False, 1.5), (200, "grey", False, 1.2)])
def test_white_boxes_in_a_tinted_band_are_found(mnist, dpi, tint, lines, turn):
    rng = np.random.default_rng(dpi + int(10 * turn))
    gray, truth = tinted_row(rng, mnist.x_test, dpi, TINTS[tint], lines, turn)
    outlined = outline_tinted_boxes(gray, dpi)
    assert outlined is not gray
    assert boxes_found(outlined, dpi, truth) == 8
    if not lines:  # the tint's boxes, with no lines of their own, are what the layout could not see
        assert boxes_found(gray, dpi, truth) < 8


# boxes with printed lines of their own, 2 px, a thirtieth of an inch or less apart: the tint
# between two boxes' lines was lost with the ink beside it, so no box was a hole in the tint
# and the tint was left as it was, running close lines together; and where boxes were found,
# a shared side drawn between two printed ones made one bar of the three
@pytest.mark.parametrize("dpi,tint,gap,turn", [(200, "deep blue", 0.035, 1.5), (200, "blue", 0.03, 0.0),
                                               (150, "blue", 0.03, -1.5), (200, "grey", 0.04, 2.5)])
def test_close_boxes_with_printed_lines_in_a_tint_are_found(mnist, dpi, tint, gap, turn):
    rng = np.random.default_rng(dpi + int(10 * turn))
    gray, truth = tinted_row(rng, mnist.x_test, dpi, TINTS[tint], True, turn, gap=gap, line=2)
    assert boxes_found(outline_tinted_boxes(gray, dpi), dpi, truth) == 8


@pytest.mark.parametrize("dpi,turn", [(150, -2.0), (200, 1.5)])
def test_a_digit_written_out_of_its_box_across_the_tint(mnist, dpi, turn):
    """A 9 whose loop stands above its box, across the tint's edge: its strokes part the
    tint round the box, whose white then runs out to the paper, so it was no hole in the
    tint and got no outline, while the tint round it was made paper: the box was lost (on
    formgen's variant pages, light double lines read as a tint, the 9 read as free
    handwriting). Where ink crosses the tint, the tint is taken as whole."""
    rng = np.random.default_rng(dpi)
    gray, truth = tinted_row(rng, mnist.x_test, dpi, TINTS["grey"], False, turn)
    x, y, w, h = truth[2]  # the third box, left blank by tinted_row
    r = 0.04 * dpi
    middle = (int(x + w / 2), int(y - 0.05 * dpi))  # the loop across the tint's top edge, 0.08 in above the box
    cv2.circle(gray, middle, int(r), 40, max(2, dpi // 60))
    cv2.line(gray, (int(middle[0] + r), middle[1]), (int(middle[0] + r - 2), int(y + 0.6 * h)), 40, max(2, dpi // 60))
    assert boxes_found(outline_tinted_boxes(gray, dpi), dpi, truth) == 8


@pytest.mark.parametrize("dpi,turn,tint", [(150, 0.0, "grey"), (200, 1.5, "blue"), (150, -2.0, "pink")])
def test_a_pale_digit_whose_soft_edge_bites_into_its_box(mnist, dpi, turn, tint):
    """A pale digit (ink at 150 on paper at 250) written against its box's left side: its
    soft edge, as light as the tint, ran into the tint round the box and bit into its
    white, which was then no box's shape: no outline, and the box was lost with the tint
    made paper (a dithered fax made grey again, fax 1174 p0: a 7 and a 5 lost without a
    word). Beside boxes found whole, a box whose strokes fill the bite is a box."""
    rng = np.random.default_rng(dpi)
    gray, truth = tinted_row(rng, mnist.x_test, dpi, TINTS[tint], False, turn)
    for i in (2, 5):  # the blank boxes
        x, y, w, h = truth[i]
        digit = mnist.x_test[7 + i]
        ys, xs = np.nonzero(digit > 30)
        digit = cv2.resize(digit[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1], (int(0.5 * w), int(0.75 * h)))
        x1, y1 = int(x) + 1, int(y + 0.12 * h)
        cell = gray[y1 : y1 + digit.shape[0], x1 : x1 + digit.shape[1]]
        cell[:] = np.minimum(cell, 250 - digit * (100 / 255)).astype(np.uint8)
    gray = cv2.GaussianBlur(gray, (0, 0), 1.0)
    assert boxes_found(outline_tinted_boxes(gray, dpi), dpi, truth) == 8


def test_ordinary_boxes_beside_a_tint_are_left_as_printed(mnist):
    """Boxes on white paper are walled by their lines alone: not the tint's, not outlined anew."""
    rng = np.random.default_rng(5)
    gray, _ = tinted_row(rng, mnist.x_test, 200, TINTS["blue"], True, 0.0)
    plain, _ = tinted_row(np.random.default_rng(6), mnist.x_test, 200, (250, 250, 250), True, 0.0)
    page = np.vstack([gray, plain])
    out = outline_tinted_boxes(page, 200)
    assert out is not page and np.array_equal(out[gray.shape[0]:], plain)


def test_the_tint_becomes_paper_and_the_ink_stays(mnist):
    gray, truth = tinted_row(np.random.default_rng(5), mnist.x_test, 200, TINTS["grey"], False, 0.0)
    out = outline_tinted_boxes(gray, 200)
    x, y, w, h = (int(v) for v in truth[0])
    band = out[y - 12 : y - 6, x : x + w]  # the tint just above the first box
    assert band.mean() > 240
    assert (out[y : y + h, x : x + w] < 100).sum() >= 0.8 * (gray[y : y + h, x : x + w] < 100).sum()  # the digit's ink


def test_pages_without_a_tint_are_left_as_they_are(mnist):
    """Light-coloured box lines, a light pen and a page darker at one side are no tint."""
    rng = np.random.default_rng(9)
    page = np.full((800, 1200), 245, np.uint8)
    page = (page * np.linspace(0.85, 1.0, 1200)[None, :]).astype(np.uint8)  # uneven light
    for i in range(6):
        cv2.rectangle(page, (200 + 60 * i, 300), (250 + 60 * i, 360), 200, 3)  # light-grey boxes, 3 px lines
        cv2.putText(page, str(i), (210 + 60 * i, 350), cv2.FONT_HERSHEY_SIMPLEX, 1.5, 205, 3)  # a light pen
    page = np.clip(page + rng.normal(0, 4, page.shape), 0, 255).astype(np.uint8)
    assert outline_tinted_boxes(page, 150) is page
    real = np.full((1100, 850), 240, np.uint8)
    assert outline_tinted_boxes(real, 100) is real


def test_white_letters_in_a_tinted_header_are_no_boxes():
    """Bold white capitals printed in a light band (a section header) are white holes in a
    tint of a box's size, some of them nearly rectangles (D, B, O): their counters hold the
    tint, as no box's inside does, so they get no lines and give no box."""
    rng = np.random.default_rng(3)
    page = np.full((1650, 1275), 250, np.uint8)
    cv2.rectangle(page, (100, 200), (1100, 300), 215, -1)
    cv2.putText(page, "DOBPQRADMIN", (130, 285), cv2.FONT_HERSHEY_SIMPLEX, 2.6, 250, 9)
    page = np.clip(page + rng.normal(0, 3, page.shape), 0, 255).astype(np.uint8)
    fields = find_layout(outline_tinted_boxes(page, 150), 150).fields
    assert [f for f in fields if f.kind != "free"] == []  # (free handwriting is the recognizer's to settle)


def test_light_double_lines_on_a_page_with_a_tint_stay_lines(mnist):
    """A comb framed in light grey double lines (3 px each, a pixel apart: formgen's variant
    pages at 150 dpi) on a page that also holds a tinted band of white boxes: softened, the
    double lines are a shade broad enough for a tint, and they became paper with the band's
    tint, so the comb was lost. Only a tint that holds a white box becomes paper."""
    gray, truth = tinted_row(np.random.default_rng(7), mnist.x_test, 150, TINTS["grey"], False, 0.0)
    for y in (450, 454):  # the frame's top, double
        cv2.rectangle(gray, (150, y), (750, y + 2), 180, -1)
    for y in (510, 514):  # and its bottom
        cv2.rectangle(gray, (150, y), (750, y + 2), 180, -1)
    out = outline_tinted_boxes(gray, 150)
    assert boxes_found(out, 150, truth) == 8  # the band's boxes as before
    assert (out[450:453, 160:740] < 215).mean() > 0.95 and (out[510:513, 160:740] < 215).mean() > 0.95


@pytest.mark.parametrize("seed, dpi", [(1041, 200), (1042, 300), (1043, 150)])
def test_a_page_lit_unevenly_is_no_tint_and_a_tint_on_it_still_is(mnist, seed, dpi):
    """Light falling off across a page and a soft shadow darken its paper by degrees, into
    a tint's greys: taken for a tint, the shade became paper with the light box lines in it
    (a fifth to a half of such a page's boxes lost). A tinted band under light falling off
    by 40% across its row is still outlined."""
    from formreader.formgen import generate_page

    page = generate_page(np.random.default_rng(seed), mnist.x_test, mnist.y_test, dpi)
    h, w = page.image.shape
    yy, xx = np.mgrid[0:h, 0:w]
    shadow = 1 - 0.35 * np.exp(-(((xx - 0.6 * w) / (0.25 * w)) ** 2 + ((yy - 0.4 * h) / (0.2 * h)) ** 2))
    lit = (page.image * (1.0 - 0.45 * xx / w) * shadow).astype(np.uint8)
    assert outline_tinted_boxes(lit, dpi) is lit

    gray, truth = tinted_row(np.random.default_rng(seed), mnist.x_test, dpi, TINTS["grey"], False, 1.0)
    rows, cols = gray.shape
    lit_row = (gray * np.linspace(1.0, 0.6, cols)[None, :]).astype(np.uint8)
    assert boxes_found(outline_tinted_boxes(lit_row, dpi), dpi, truth) == 8


@pytest.mark.parametrize("dpi,tint,lines", [(150, "grey", True), (150, "pink", False), (200, "pink", True), (200, "blue", False), (300, "grey", True)])
def test_white_boxes_in_a_tint_on_a_dithered_fax_are_found(mnist, dpi, tint, lines):
    """A tinted form sent as a dithered 1-bit fax, made grey again by blurring its dots
    (pages.undithered): each digit's strokes, blurred broad, covered up to 70% of its box,
    which was then not taken for a white box for too little white in it, and lost with
    the tint made paper round it (dithered third-maker pages: 95.2% of the boxes found)."""
    from PIL import Image

    from formreader.pages import undithered

    rng = np.random.default_rng(dpi + 7)
    gray, truth = tinted_row(rng, mnist.x_test, dpi, TINTS[tint], lines, 1.5, box=(0.22, 0.26))
    grey = undithered(np.asarray(Image.fromarray(gray).convert("1").convert("L")), dpi)
    assert boxes_found(outline_tinted_boxes(grey, dpi), dpi, truth) == 8


def test_boxes_inside_thin_printed_lines_the_tint_bites_into_are_found(mnist, monkeypatch, tmp_path):
    """The third maker's page 0 of seed 1213 (150 dpi, turned 1.7 degrees): a row of eight
    white boxes, each inside a thin printed line whose soft edge is as light as the tint,
    in a band a sixteenth of an inch wider than the boxes. The tint bit into each box's
    hole along its line and the hole ran out into the band's margin: no box's shape, so
    no box was found; the row went to free handwriting, each mark a box's outline round
    its digit, too few of them read as digits, and its six digits were dropped without a
    word. The white inside the lines is a box's shape."""
    import sys
    from pathlib import Path

    bench = str(Path(__file__).parents[1] / "bench")
    monkeypatch.syspath_prepend(bench)  # third_pages imports other_pages from beside it
    sys.modules.pop("third_pages", None)
    import third_pages

    from formreader.pages import read_pages

    image, rows = third_pages.third_page(np.random.default_rng(1213), mnist.x_test, mnist.y_test, 150, "tinted")
    image.save(tmp_path / "third-000.png")
    gray = next(iter(read_pages(tmp_path / "third-000.png"))).image  # grey as the scan makes it
    truth = [(x, y, w, h) for field, _, kind, x, y, w, h, _ in rows if field == 4]
    assert len(truth) == 8
    assert boxes_found(outline_tinted_boxes(gray, 150), 150, truth) == 8


# a pale tint (0.94 of the paper) lit by a lamp off to one side: the band's parts nearest the
# light were as light as tint_lightest, so boxes' white ran into one another and out to the
# paper (lit 1227 p9: three boxes lost, their digits read as free handwriting)
@pytest.mark.parametrize("dpi,turn,light_x", [(150, 1.0, 0.3), (200, 1.0, 0.5), (200, -2.0, 0.3), (300, -2.0, 0.5)])
def test_a_pale_tint_lit_unevenly_keeps_every_box(mnist, dpi, turn, light_x):
    rng = np.random.default_rng(dpi + 236)
    gray, truth = tinted_row(rng, mnist.x_test, dpi, (236, 236, 236), False, turn)
    h, w = gray.shape
    y, x = np.mgrid[0:h, 0:w].astype(np.float32) / np.float32([[[h]], [[w]]])
    far = np.hypot(x - light_x, y - 0.45)
    lit = np.clip(gray * (1 - 0.4 * far / far.max()), 0, 255).astype(np.uint8)
    assert boxes_found(outline_tinted_boxes(lit, dpi), dpi, truth) == 8


# a tint 0.95 of the paper in a shadow along the page's left side (lit 1327 p5, the light
# falling to 0.6 at the edge): the band's tint near its left end rose past tint_lightest, the
# band was taken to end at the first box's right side, and each row's first box was lost
# (its digit read as free handwriting). The faint look runs on past a band's ends.
@pytest.mark.parametrize("dpi,turn", [(150, 0.0), (200, 1.5), (300, -2.0)])
def test_a_tint_paling_into_a_shadow_keeps_its_first_box(mnist, dpi, turn):
    rng = np.random.default_rng(dpi + 5)
    gray, truth = tinted_row(rng, mnist.x_test, dpi, (238, 238, 238), False, turn)
    x = np.arange(gray.shape[1], dtype=np.float32) / gray.shape[1]
    shadow = 1 - 0.4 * np.clip((0.3 - x) / 0.3, 0, 1) ** 1.5  # to 0.6 at the left edge
    assert boxes_found(outline_tinted_boxes((gray * shadow).astype(np.uint8), dpi), dpi, truth) == 8


def test_a_boxs_white_made_faint_in_bits_by_the_light_keeps_its_box():
    """Eight white boxes in a band tinted 0.91 of the paper (150 dpi); in the last two the
    light falling off made the white faint (0.96) along a cross, so the fainter look broke
    each into four bits a box's third wide (lit 1467 p9: a row of blank boxes lost its last
    two). Holes a fainter look finds part a hole only where each is about as broad as it:
    boxes whose white ran into one; bits leave the box as it was."""
    from formreader.layout.model import LayoutConfig
    from formreader.layout.tint_holes import holes_in, shades_up_to, with_faint_holes

    config, dpi = LayoutConfig(), 150
    ratio = np.full((300, 700), 255, np.uint8)
    ratio[100:180, 50:650] = 232
    boxes = [(80 + i * 65, 116, 44, 48) for i in range(8)]
    for x, y, w, h in boxes:
        ratio[y : y + h, x : x + w] = 255
    for x, y, w, h in boxes[-2:]:
        ratio[y : y + h, x + w // 2 - 2 : x + w // 2 + 2] = 245
        ratio[y + h // 2 - 2 : y + h // 2 + 2, x : x + w] = 245
    tint = shades_up_to(ratio, config.tint_lightest, config)
    holes = [(hole, False) for hole in holes_in(tint)]
    assert len(holes) == 8
    kept, _, _ = with_faint_holes(holes, ratio, tint, config.tint_box_min * dpi, config.tint_box_max * dpi, config)
    assert sorted(cv2.boundingRect(hole)[0] for hole, _ in kept) == [x for x, _, _, _ in boxes]


def test_a_bold_digits_straight_strokes_do_not_part_its_box():
    """A bold 7 against its box's bottom (lit 1207 p0): its bar and stem, straight and a
    box's side long, cut the hole's lower left corner off, and the box was taken for two
    pieces of boxes, neither a box: its 7 read as free handwriting. A line between two boxes
    parts the hole; a digit's strokes leave one piece as wide and tall as the hole."""
    from formreader.layout.tint_holes import parted_by_lines

    def parts(ink, right=59):  # of a hole in the tint from x 20 to `right`, y 20 to 69 (the ink in it is no tint)
        outline = np.array([[[20, 20]], [[20, 69]], [[right, 69]], [[right, 20]]], np.int32)
        return parted_by_lines(outline, ink, 18)

    seven = np.zeros((100, 100), np.uint8)
    cv2.line(seven, (20, 30), (48, 30), 255, 4)  # the bar, from the left side
    cv2.line(seven, (48, 30), (48, 70), 255, 4)  # the stem, down to the bottom
    assert len(parts(seven)) == 1
    side = np.zeros((100, 100), np.uint8)
    cv2.line(side, (50, 20), (50, 70), 255, 2)  # a printed side between two boxes
    assert len(parts(side, right=79)) == 2


# boxes parted by thin strips of tint (0.022 in): blurred and turned, the strips come out
# lighter than the band, 0.97-0.975 of the paper in places (third 1263 p21: two boxes' white
# ran into one hole through such a strip, the row's grid was taken from it and six boxes were
# lost, two digits accepted in the wrong boxes). tint_faintest looks that far.
@pytest.mark.parametrize("grey", [228, 231])
def test_boxes_parted_by_thin_strips_of_tint_are_found(mnist, grey):
    rng = np.random.default_rng(207)
    gray, truth = tinted_row(rng, mnist.x_test, 200, (grey, grey, grey), False, -1.5, gap=0.022)
    assert boxes_found(outline_tinted_boxes(gray, 200), 200, truth) == 8


# a tinted row whose strips of tint, between its boxes and round them, are barely as broad
# as a tint (0.045 in), on a page turned 3-3.4 degrees (third 1283 p21: three rows of boxes
# lost, their digits read as free handwriting): the places a square that broad fits step a
# row every few pixels, and no one row held them along a length. Looked at across the rows
# the turn drifts, the band is a tint: one flat shade (a dithered fax's blurred light lines
# are no flat shade, and stay lines: test_white_boxes_in_a_tint_on_a_dithered_fax_are_found)
@pytest.mark.parametrize("grey,turn,dpi", [(228, 3.4, 150), (234, -3.0, 150), (228, -3.0, 200)])
def test_narrow_strips_of_tint_on_a_turned_page_are_a_tint(mnist, grey, turn, dpi):
    rng = np.random.default_rng(dpi + 3)
    gray, truth = tinted_row(rng, mnist.x_test, dpi, (grey, grey, grey), False, turn, gap=0.045, box=(0.34, 0.4), margin=0.045)
    assert boxes_found(outline_tinted_boxes(gray, dpi), dpi, truth) == 8


# a comb in a tinted frame whose dividers are strips of tint 4 px wide at 150 dpi: after the
# blur they are 0.96-0.97 of the paper (third 1303 p9, turned 1.5 degrees: the frame's inside
# was one hole too long for a box, the faint holes parting it were like no box found whole,
# and nine boxes' digits were read as free handwriting). Three or more alike side by side
# in a frame are its boxes.
@pytest.mark.parametrize("grey,turn", [(236, 1.5), (236, -2.5), (238, 1.0)])
def test_a_comb_in_a_tinted_frame_with_faint_dividers(mnist, grey, turn):
    rng = np.random.default_rng(159)
    gray, truth = tinted_row(rng, mnist.x_test, 150, (grey, grey, grey), False, turn, gap=0.027, box=(0.26, 0.29), margin=0.1, noise=2.0)
    assert boxes_found(outline_tinted_boxes(gray, 150), 150, truth) == 8


@pytest.mark.parametrize("faint", [242, 243])
def test_the_last_boxes_of_a_row_beyond_a_tinted_frames_boxes_are_found(faint):
    """A row of ten white boxes in a light tint, the strips between them fainter still but
    for one, as dark as the band, before the last two (third 1593 p21): the first eight
    boxes' white was one hole, a frame's inside parted into boxes by the fainter look, and
    the last two boxes' white another hole, parted so too, but found before the frame's
    boxes, so like no box found: the row's last two digits were lost without a word."""
    page = np.full((1650, 1275), 250, np.uint8)
    x0, y0, w, h, n, step = 400, 300, 36, 40, 10, 40
    page[y0 - 12 : y0 + h + 12, x0 - 12 : x0 + n * step + 8] = 236  # the band
    page[y0 : y0 + h, x0 : x0 + n * step - 4] = faint  # the faint strips between the boxes
    for i in range(n):
        page[y0 : y0 + h, x0 + i * step : x0 + i * step + w] = 250
    page[y0 : y0 + h, x0 + 8 * step - 4 : x0 + 8 * step] = 236  # the strip before the last two, as the band
    page = np.clip(page + np.random.default_rng(1).normal(0, 1.5, page.shape), 0, 255).astype(np.uint8)
    fields = find_layout(outline_tinted_boxes(page, 150), 150).fields
    assert len(fields) == 1
    assert [c.x for c in fields[0].cells] == pytest.approx([x0 + i * step for i in range(n)], abs=2)


def test_light_short_dividers_inside_a_white_box_in_a_tint_stay():
    """A comb of short dividers on a dithered fax (fax 1564 p12, fax 1564 p16): its paper's dots,
    made grey again, were a tint round the comb's white, and its light dividers, a third of
    its height and as broad as the tint, were taken in with it and made paper: the comb was
    read as a string box, a 2 cut in two, a 1 accepted where none was written. On a dithered
    page, what stands inside a white box darker than the tint is the box's."""
    rng = np.random.default_rng(0)
    page = np.full((500, 900), 250.0)
    page[100:200, 100:340] = 226  # the tint
    page[125:175, 120:320] = 250  # a comb's white inside
    for x in (170, 220, 270):
        page[158:175, x - 2 : x + 2] = 200  # its dividers, a third of its height
    page = np.clip(page + rng.normal(0, 3, page.shape), 0, 255).astype(np.uint8)
    out = outline_tinted_boxes(page, 150, dithered=True)
    assert out[110, 300] == 250 and out[150, 119] < 128  # the tint made paper, the box outlined
    assert (out[160:175, [170, 220, 270]] < 215).all()
    assert [(f.kind, [round(c.x) for c in f.cells]) for f in find_layout(out, 150).fields] == [("comb", [120, 170, 220, 270])]


def test_a_long_comb_of_light_short_dividers_in_a_dithered_tint_is_found():
    """A comb of eight cells, 2 in long, on a dithered fax (fax 1634 p12, 1594 p0, 1434 p6,
    1544 p0): its white inside the paper's dots, made grey again, was too long for a box's,
    so it was no hole, and its light short dividers and lines went with the tint: the digits
    were read as free handwriting or a string. On a dithered page a white a box's height
    and up to tint_field_max long is a field's inside, outlined; its dividers stay."""
    rng = np.random.default_rng(1)
    page = np.full((500, 900), 250.0)
    page[100:200, 80:480] = 226  # the paper's dots made grey again, round the comb
    page[130:172, 100:396] = 250  # the comb's white: 8 cells of 37 px at 150 dpi
    for k in range(1, 8):
        page[158:172, 100 + 37 * k - 1 : 100 + 37 * k + 2] = 200  # short dividers, a third of its height
    page = np.clip(page + rng.normal(0, 3, page.shape), 0, 255).astype(np.uint8)
    out = outline_tinted_boxes(page, 150, dithered=True)
    assert out[110, 300] == 250 and out[150, 99] < 128  # the tint made paper, the comb outlined
    fields = find_layout(out, 150).fields
    assert [(f.kind, len(f.cells)) for f in fields] == [("comb", 8)]
    assert [c.x for c in fields[0].cells] == pytest.approx([100 + 37 * k for k in range(8)], abs=2)


def test_two_boxes_blotted_by_bold_digits_beside_boxes_found_whole_are_boxes():
    """A row of eight white boxes in a dithered fax's paper dots (fax 1654 p6): a bold 5
    blotted over the third box left white on a fifth of it, less than the quarter a box's
    white must show, and a 6's soft edge bit the fourth's corner. Both holes were no boxes,
    their lines were made paper with the tint, and with two side by side missing no row put
    them back: the 5 was lost without a word, the 6 read as free handwriting. Beside a box
    found whole, a box whose strokes fill its bites may be a little less white."""
    rng = np.random.default_rng(3)
    page = np.full((500, 900), 250.0)
    page[150:260, 80:620] = 226
    xs = [100 + 55 * k for k in range(8)]
    for x in xs:
        page[188:222, x : x + 34] = 250
    for x in xs[2:4]:  # the bold digits: ink, its soft edge as grey as the tint
        cv2.ellipse(page, (x + 17, 205), (16, 15), 0, 0, 360, 200, -1)
        cv2.ellipse(page, (x + 17, 205), (14, 13), 0, 0, 360, 40, -1)
    page = np.clip(page + rng.normal(0, 3, page.shape), 0, 255).astype(np.uint8)
    fields = find_layout(outline_tinted_boxes(page, 150, dithered=True), 150).fields
    assert [(f.kind, len(f.cells)) for f in fields] == [("boxes", 8)]


@pytest.mark.parametrize("turn", [0.4, -0.4])
def test_a_long_field_in_a_dithered_tint_is_outlined_at_its_own_tilt(turn):
    """A string box 2.3 in long and a row of boxes in a dithered fax's paper dots, the page
    turned 0.4 degrees (fax 1474 p12): the boxes' whites, whole pixels, read no tilt, and all
    outlines were drawn level; the long box's, the page's longest lines, turned the layout's
    skew to 0, and a pale 6 was lost from the string. A field's long inside is outlined at
    its own tilt."""
    rng = np.random.default_rng(2)
    page = np.full((900, 1200), 250, np.uint8)

    def rect(cx, cy, w, h, shade):
        corners = cv2.boxPoints(((cx, cy), (w, h), turn))
        cv2.fillPoly(page, [np.round(corners * 16).astype(np.int32)], shade, cv2.LINE_AA, shift=4)

    rect(600, 300, 900, 420, 226)  # the paper's dots made grey again
    rect(420, 200, 340, 45, 250)  # the string box's white
    for k in range(5):
        rect(360 + 60 * k, 360, 42, 45, 250)  # the boxes'
    page = np.clip(page + rng.normal(0, 3, page.shape), 0, 255).astype(np.uint8)
    layout = find_layout(outline_tinted_boxes(page, 150, dithered=True), 150)
    assert [(f.kind, len(f.cells)) for f in layout.fields] == [("string", 1), ("boxes", 5)]
    assert layout.angle == pytest.approx(turn, abs=0.15)


@pytest.mark.parametrize("shade", [239, 242])
def test_a_light_patch_in_shaded_paper_beside_a_bands_end_is_no_box(shade):
    """Paper that uneven light shaded to 0.96-0.97 of its brightness, beside the left end of
    a tinted row and above and below it, with a lighter patch of a box's size in it (lit
    1384 p4, 1389 p9): the faint look, which runs on past a band's ends, found the patch a
    hole in a tint, and a blank box was invented before the row's first. A band's tint
    stands darker than the page above and below it; shaded paper does not."""
    page = np.full((1650, 1275), 250, np.uint8)
    page[150:530, 150:400] = shade  # the shaded paper, left of the band and above and below it
    page[300:380, 400:1000] = 230  # the tinted band, nine white boxes in it
    for i in range(9):
        page[310:370, 412 + i * 64 : 466 + i * 64] = 250
    page[310:370, 340:394] = 250  # the lighter patch
    cv2.line(page, (100, 700), (1100, 700), 60, 2)
    fields = find_layout(outline_tinted_boxes(page, 150), 150).fields
    cells = sorted(round(c.x) for f in fields for c in f.cells if 290 < c.y < 400)
    assert len(cells) == 9 and cells[0] >= 405, cells


def test_a_box_a_row_of_white_boxes_lacks_is_put_back():
    """A box whose white ran out through the tint (a 5 written low, its bowl along the box's
    bottom line and out across it: variants 1491 p12, light double lines read as a tint),
    or whose hole was missed in a dithered fax's textured paper (fax 1504 p0): the tint
    round it was made paper with its printed lines, and the box and its digit were lost.
    Two steps between boxes found, one step from their other neighbours, with white or
    strokes there and hardly any shade, is a box; a gap in a band holds its shade."""
    from formreader.layout.model import LayoutConfig
    from formreader.layout.tint_holes import missing_from_rows

    def inside(x):
        return np.array([[x, 100], [x + 30, 100], [x + 30, 130], [x, 130]], float)

    shade, clear = np.zeros((300, 500), np.uint8), np.full((300, 500), 255, np.uint8)
    row = [inside(x) for x in (100, 140, 180, 260, 300)]  # the box at 220 lost
    found = missing_from_rows(row, shade, clear, LayoutConfig())
    assert len(found) == 1 and np.allclose(found[0].mean(axis=0), [235, 115])
    shade[95:135, 215:255] = 255  # the band's shade between two fields
    assert missing_from_rows(row, shade, clear, LayoutConfig()) == []
    # two and a half steps apart: no box of the row's step stands between
    assert missing_from_rows([inside(x) for x in (100, 140, 180, 280)], np.zeros_like(shade), clear, LayoutConfig()) == []


def test_a_turned_rows_boxes_found_faint_are_like_the_boxes_beside_them():
    """A turned row's boxes parted by the fainter look (third 1753 p9, turned 1.5 degrees:
    its strips of tint too faint, the white of three boxes, then of two and two, ran into
    one hole each; the only box found whole stood last): a box is like a box found whole
    beside it, or like one so taken. Before, each had to be level with a box found whole,
    and the first three, 9-18 px off the last box's level 330 px on, were lost, their digits
    read as free handwriting. A hull off the row's level, or twice as wide, is none of it."""
    from formreader.layout.tint_holes import like_a_row

    def hull(x: float, y: float, w: float = 44, h: float = 50) -> np.ndarray:
        return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], np.float64)

    row = [hull(404 + 47 * i, 1412 - 2.6 * i) for i in range(8)]
    whole, faint = row[-1], row[:-1]
    taken = like_a_row(faint + [hull(404, 1480), hull(600, 1400, w=90)], [whole])
    assert len(taken) == 7 and all(any(h is t for t in taken) for h in faint)
