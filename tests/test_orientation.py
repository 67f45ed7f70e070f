"""Pages fed upside down or sideways (orientation.py): read the way up their digits read,
every rectangle given in the pixels of the page as it lies."""

import numpy as np
import pytest

from formreader.formgen import generate_page
from formreader.layout import Rect, quarter_turn, rect_moved
from formreader.orientation import checker, upright_fields
from formreader.review import field_view


@pytest.fixture(scope="module")
def upright(mnist):
    if checker() is None:
        pytest.skip("the orientation check needs LiteRT (ai-edge-litert) and models/digits.tflite")
    page = generate_page(np.random.default_rng(1020), mnist.x_test, mnist.y_test, 200)
    fields, turns = upright_fields(page.image, 200)
    assert turns == 0  # an upright page is taken as it lies
    return page.image, fields


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_a_page_lying_any_way_is_cut_as_if_upright(upright, turns):
    """The page turned clockwise by `turns` quarters: it is found to need as many quarters
    anticlockwise, and cut into the same digit images as the upright page, in the same
    order, each box where it lies on the turned page."""
    image, want = upright
    lying = np.ascontiguousarray(np.rot90(image, -turns))
    fields, found = upright_fields(lying, 200)
    assert found == turns
    to_lying = quarter_turn(image.shape, -turns)  # the upright page's pixels -> the lying one's
    assert [f.kind for f in fields] == [f.kind for f in want]
    for got, expected in zip(fields, want):
        assert np.abs(np.subtract(got.rect, rect_moved(to_lying, Rect(*expected.rect)))).max() <= 2
        assert len(got.boxes) == len(expected.boxes)
        for a, b in zip(got.boxes, expected.boxes):
            assert (a.image is None) == (b.image is None)
            if a.image is not None:
                assert np.array_equal(a.image, b.image)  # the same digit, cut just as from the upright page


def test_a_page_without_digits_is_taken_as_it_lies(mnist):
    if checker() is None:
        pytest.skip("the orientation check needs LiteRT (ai-edge-litert) and models/digits.tflite")
    page = generate_page(np.random.default_rng(1021), mnist.x_test, mnist.y_test, 200, decoys_only=True)
    assert upright_fields(np.ascontiguousarray(np.rot90(page.image, 2)), 200)[1] == 0


def test_the_view_of_a_field_on_a_turned_page_is_upright_and_marks_its_boxes():
    """The review report shows a field upright, and a box given in the lying page's pixels
    lands on the same spot of the view as it does for the page upright."""
    page = np.full((300, 400), 255, np.uint8)
    page[100:140, 50:90] = 0  # a dark square inside the field (50..250, 90..150)
    field, square = (50, 90, 200, 60), (50, 100, 40, 40)
    upright = field_view(page, field)
    lying = np.ascontiguousarray(np.rot90(page, 2))
    to_lying = quarter_turn(page.shape, 2)
    turned = field_view(lying, rect_moved(to_lying, Rect(*field)), turns=2)
    assert turned.box(rect_moved(to_lying, Rect(*square))) == pytest.approx(upright.box(square), abs=1)
    assert turned.jpeg[:2] == b"\xff\xd8"


def test_digits_that_read_better_on_their_side_than_as_they_lie_say_which_side(mnist):
    """A skewed form lying on its side (the other maker's, seed 855): its sideways boxes,
    cut as they lay, read 0.57 surely, and turned a quarter 0.75, under the 0.8 that a page
    on its side is taken at; the votes of its lying digits kept it as it lay, every field
    read wrong. Digits that read better by a margin turned one quarter say that quarter
    (the page is then cut again turned and must read best as it then lies); digits that read
    best as they lie say none."""
    from formreader.orientation import on_its_side

    model = checker()
    if model is None:
        pytest.skip("the orientation check needs LiteRT (ai-edge-litert) and models/digits.tflite")
    digits = mnist.x_test[:16]
    assert on_its_side(np.ascontiguousarray(np.rot90(digits, 1, axes=(1, 2))), model) == 3
    assert on_its_side(np.ascontiguousarray(np.rot90(digits, 3, axes=(1, 2))), model) == 1
    assert on_its_side(digits, model) is None


def test_a_form_on_its_side_whose_table_reads_surely_as_it_lies_is_turned(mnist):
    """The other maker's page 5 of seed 865, fed on its side (top to the left): as it lay,
    only a table's lines and a few sideways boxes were found, 18 digits, and they read
    surely enough as they lay (the table's lines as 1s, some accepted) to keep the page as
    it lay: 56 of its 71 boxes unfound. A landscape page whose digits do not read upright at
    once is cut turned as well, and kept turned where that finds far more digits that read
    best as they then lie."""
    lying, boxes = other_page_on_its_side(mnist, 865, 5)
    fields, turns = upright_fields(lying, 300)
    assert turns == 3
    assert len(boxes) == 71
    assert sum(len(f.boxes) for f in fields if f.kind != "free") >= 68  # as it lay: 15


def test_a_form_on_its_side_read_no_way_up_a_quarter_turned_is_tried_the_other_quarter(mnist):
    """The other maker's page 11 of seed 1245, fed on its side (top to the left): as it lay
    two digits were found, too few to tell a way up; turned the wrong quarter, a table's and
    the labels' worth of digits read no way up surely (0.76 so, 0.81 upside down), and the
    page was read as it lay: 64 boxes lost, their digits read as free marks. The other
    quarter turn is tried too: there its digits read upright at once."""
    lying, boxes = other_page_on_its_side(mnist, 1245, 11)
    fields, turns = upright_fields(lying, 300)
    assert turns == 3
    assert sum(len(f.boxes) for f in fields if f.kind != "free") >= 0.95 * len(boxes)


def other_page_on_its_side(mnist, seed: int, page: int):
    """The other maker's page `page` (300 dpi, a JPEG) of `seed` as the bench makes it, its
    rng drawn alike for the pages before it, fed on its side (top to the left): (the grey
    page, its boxes' truth). Skips where the orientation check cannot run."""
    import importlib.util
    import io
    from pathlib import Path

    from PIL import Image

    if checker() is None:
        pytest.skip("the orientation check needs LiteRT (ai-edge-litert) and models/digits.tflite")
    spec = importlib.util.spec_from_file_location("other_pages", Path(__file__).parents[1] / "bench" / "other_pages.py")
    other_pages = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(other_pages)
    rng = np.random.default_rng(seed)
    for k in range(page + 1):  # the bench's pages in turn at 150, 200 and 300 dpi
        image, boxes = other_pages.other_page(rng, mnist.x_test, mnist.y_test, (150, 200, 300)[k % 3])
    saved = io.BytesIO()
    image.save(saved, "JPEG", quality=80)
    gray = np.asarray(Image.open(saved).convert("L"))
    return np.ascontiguousarray(np.rot90(gray, -3)), boxes
