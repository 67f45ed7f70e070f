"""The layout on 600 dpi pages, which it reads shrunk to 150 dpi: thin lines, bold digits."""

import cv2
import numpy as np
import pytest

from formreader.layout import find_layout


def half_height_comb(n=4, dpi=600):
    """A page at `dpi` holding one comb of `n` cells 0.25 in wide and 0.3 in tall, its frame
    0.02 in thick, its dividers half as thick rising half way from the bottom line."""
    page = np.full((2400, 3000), 255, np.uint8)
    x, y, w, h = 600, 900, 150, 180
    cv2.rectangle(page, (x, y), (x + n * w, y + h), 0, 12)
    for i in range(1, n):
        cv2.line(page, (x + i * w, y + h // 2), (x + i * w, y + h), 0, 5)
    return page, x, y, w, h


@pytest.mark.parametrize("angle", [0, 3.5])
def test_a_half_height_divider_fused_at_its_foot_with_a_longer_stroke_beside_it(angle):
    """A comb of 4 cells at 600 dpi whose half-height dividers are thinner than its frame;
    a bold 3 touches the first divider's foot, its long upright stroke beside it. Shrunk
    to the layout's 150 dpi, divider and stroke were one upright piece, the stroke the line
    in it (it runs along all the piece), the divider (0.7 of it) lost; two dividers were too
    few, the comb was read as one string box and its dividers as 1s, accepted. The divider
    is a line of its own: a comb of 4."""
    page, x, y, w, h = half_height_comb()
    d = x + w
    cv2.line(page, (d + 45, y + 50), (d + 45, y + h - 14), 0, 22)  # the 3's upright stroke...
    cv2.line(page, (d, y + h - 14), (d + 45, y + h - 14), 0, 22)  # ...its foot run into the divider's
    if angle:
        turn = cv2.getRotationMatrix2D((1500, 1200), angle, 1.0)
        page = cv2.warpAffine(page, turn, (3000, 2400), flags=cv2.INTER_LINEAR, borderValue=255)
    fields = [f for f in find_layout(page, 600).fields if f.kind != "free"]
    assert [(f.kind, len(f.cells)) for f in fields] == [("comb", 4)], [(f.kind, f.rect) for f in fields]


def test_a_half_height_divider_run_on_into_a_digits_stroke_up_to_the_top_line():
    """A comb of 4 cells at 600 dpi whose third divider runs on, upright, into the side of
    a 0 that touches the top line: a piece from line to line. It is no tick by its rise; two
    ticks were too few, and the comb was read as one string box. Standing on the grid of
    the two printed alike, where its foot stands: a comb of 4."""
    page, x, y, w, h = half_height_comb()
    d = x + 3 * w
    cv2.ellipse(page, (d - 60, y + 95), (60, 75), 0, 0, 360, 0, 20)  # the 0, its right side on the divider
    cv2.line(page, (d, y + 10), (d, y + h // 2), 0, 5)
    fields = [f for f in find_layout(page, 600).fields if f.kind != "free"]
    assert [(f.kind, len(f.cells)) for f in fields] == [("comb", 4)], [(f.kind, f.rect) for f in fields]


def test_two_rows_of_a_printed_table_whose_middle_line_came_out_bolder_are_no_string_box():
    """Two rows of a table of printed numbers at 600 dpi, ruled without column lines, its
    middle line a little bolder than the others (as turning a page can leave it): the outer
    lines alone, thin, passed for a faint string box (its numbers read as a field of
    digits). A line running between them along the box is a table's: no field."""
    page = np.full((2400, 3000), 255, np.uint8)
    for y, t in [(1000, 2), (1150, 9), (1300, 2)]:
        cv2.line(page, (300, y), (2700, y), 0, t)
    for r in range(2):
        for c in range(4):
            cv2.putText(page, str(10007 * (r * 4 + c + 1) % 99999), (340 + 600 * c, 1110 + 150 * r), cv2.FONT_HERSHEY_SIMPLEX, 2.6, 0, 6, cv2.LINE_AA)
    assert [(f.kind, f.rect) for f in find_layout(page, 600).fields] == []
