"""Boxes drawn with dashed lines (layout/dashes.py): made solid before the layout and the cut."""

import cv2
import numpy as np
import pytest

from formreader.digits import cut_fields
from formreader.layout import find_layout
from formreader.layout.dashes import dashed_lines, draw_on_gray
from formreader.layout.model import LayoutConfig


def dashed_rect(page: np.ndarray, x: int, y: int, w: int, h: int, dash: int, thick: int, level: int = 20, space: int = 0) -> None:
    """A box of dashes `dash` px long with gaps as long (or `space`), as a form printer draws it."""
    period = dash + (space or dash)
    for a in range(x, x + w, period):
        for yy in (y, y + h):
            page[yy : yy + thick, a : min(a + dash, x + w + thick)] = level
    for a in range(y, y + h, period):
        for xx in (x, x + w):
            page[a : min(a + dash, y + h + thick), xx : xx + thick] = level


def dashed_page(dpi: int, angle: float, marks: bool) -> np.ndarray:
    """Three rows of six dashed boxes a quarter inch wide, a sixth of a box apart; with
    `marks`, a written 1 (a slanted stroke) in every other box; turned by `angle`."""
    k = dpi / 150
    page = np.full((int(1650 * k), int(1275 * k)), 245, np.uint8)
    side, gap = int(38 * k), int(7 * k)
    for row in range(3):
        for i in range(6):
            x, y = int(300 * k) + i * (side + gap), int((400 + 200 * row) * k)
            dashed_rect(page, x, y, side, int(side * 1.15), max(2, int(5 * k)), max(1, int(2 * k)))
            if marks and i % 2:
                cv2.line(page, (x + side // 2 + int(3 * k), y + int(8 * k)), (x + side // 2 - int(2 * k), y + int(side * 1.15) - int(8 * k)), 30, max(2, int(3 * k)))
    h, w = page.shape
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    page = cv2.warpAffine(page, turn, (w, h), flags=cv2.INTER_LINEAR, borderValue=245)
    return cv2.GaussianBlur(page, (3, 3), 0.6)


@pytest.mark.parametrize("dpi,angle", [(150, 0.0), (200, -3.0), (300, 2.0)])
def test_a_turned_page_of_dashed_boxes_is_found_and_its_blanks_cut_blank(dpi, angle):
    """Without the dash finder, the line finder (which closes gaps of a few pixels) broke
    these boxes up: rows were lost, and with no line an inch long the page's turn was not
    seen either. Every box is found, and the dashes stay out of the cut: a blank box is
    blank, a box with a stroke holds ink."""
    page = dashed_page(dpi, angle, marks=True)
    layout = find_layout(page, dpi)
    assert abs(layout.angle + angle) <= 0.5, layout.angle
    boxes = [c for f in layout.fields if f.kind in ("boxes", "comb") for c in f.cells]
    assert len(boxes) == 18, [(f.kind, len(f.cells)) for f in layout.fields]
    cut = [b for f in cut_fields(page, layout) for b in f.boxes]
    inked = sorted(round(b.rect[0] / (dpi / 150)) for b in cut if b.image is not None)
    assert len(inked) == 9, inked  # the three rows' boxes 2, 4 and 6


def test_dots_and_handwriting_make_no_dashed_line():
    """A dotted leader (round dots), a row of printed hyphens' worth of round blobs and
    handwritten strokes of all slants are no dashed line: dots are not twice as long as
    thick, and a digit's strokes do not fall into a row of like pieces."""
    page = np.full((600, 900), 0, np.uint8)
    for x in range(100, 700, 8):
        cv2.circle(page, (x, 100), 2, 255, -1)
    rng = np.random.default_rng(3)
    for _ in range(40):
        x, y = rng.integers(50, 800), rng.integers(200, 550)
        dx, dy = rng.integers(-20, 21), rng.integers(-30, 31)
        cv2.line(page, (int(x), int(y)), (int(x + dx), int(y + dy)), 255, 3)
    assert dashed_lines(page, 150, LayoutConfig()) == []


def test_a_dashed_line_is_drawn_as_dark_and_as_thick_as_its_dashes():
    """On the grey page the line is drawn where its dashes lie across (found on a page
    shrunk to 150 dpi, it may lie a pixel or two off), about as dark and as thick as they
    are: drawn thicker, what stood beside it in the box read as a 1."""
    page = np.full((300, 600), 235, np.uint8)
    for a in range(100, 500, 20):
        page[148:152, a : a + 10] = 10
    [line] = dashed_lines(np.where(page < 128, 255, 0).astype(np.uint8), 300, LayoutConfig())
    moved = (line[0], line[1] + 2, line[2], line[3] + 2)  # as found off by two pixels
    solid = draw_on_gray(page, [moved])
    across = solid[140:161, 102:488]
    assert (across.min(axis=0) <= 40).all()  # the gaps are closed
    assert np.abs((across < 120).sum(axis=0) - (page[140:161, 102] < 120).sum()).max() <= 1


def test_dashed_lines_run_on_to_the_lines_across_them_at_l_shaped_corners():
    """Dashed boxes turned 3.3 degrees (300 dpi, laid out at 150; rows as dashed_lines
    traced them on a generated page): each side's first dash and its top line's are one
    L-shaped piece at the corner, no dash, so the first box's top line stopped 10 px short
    of its left side and that side 13 px short of the top line, and the row's boxes were
    lost. Each line runs on to the near edge of the line across it, there where the page's
    tilt puts it; a line that reaches its own side (the right one) is not run on to the
    next box's, 7 px beyond."""
    from formreader.layout.dashes import run_on_to_sides

    tilt = -0.057
    rows = [(True, 368.0, 399.0, 383.5, 550.0, 2, 8.0, 4.0), (True, 422.0, 452.0, 437.0, 547.0, 2, 7.0, 5.0),  # tops
            (True, 359.0, 617.0, 488.0, 593.0, 2, 7.0, 5.0),  # the row's bottom line
            (False, 563.0, 593.0, 578.0, 358.0, 2, 7.0, 5.0), (False, 548.0, 591.0, 569.5, 405.4, 2, 8.0, 4.0),  # box 1's sides
            (False, 560.0, 590.0, 575.0, 412.0, 2, 7.0, 5.0)]  # box 2's left side
    top1, top2, bottom, left1, right1, left2 = [r[1:3] for r in run_on_to_sides(rows, tilt)]
    assert top1 == pytest.approx((357.0, 403.3), abs=1.0)  # its sides near edges, where the tilt puts them; not 412
    assert top2[0] == pytest.approx(411.0, abs=1.0)
    assert bottom == (359.0, 617.0)  # as far as the lines across it reach
    assert left1[0] == pytest.approx(550.0 + tilt * (358 - 383.5) + 1, abs=1.0)  # down from the top line
    assert right1[0] == 548.0  # it reaches the top line already


def test_a_few_rows_of_specks_do_not_turn_a_page_of_solid_lines():
    """A bitonal page of boxes and long solid lines turned 0.7 degrees, with a speckled
    corner (a fax's dark corner) holding a few short rows of specks that pass for dashed
    lines, lying the other way: the solid lines, far longer, tell the skew (the specks'
    tilt, taken first, left this page 2.6 degrees askew; a fax of a formgen page 1.4
    degrees, and its combs were lost)."""
    page = np.full((1650, 1275), 255, np.uint8)
    for y in (300, 700, 1100):
        cv2.line(page, (150, y), (1100, y), 0, 2)
    for k in range(6):
        cv2.rectangle(page, (300 + k * 60, 900), (350 + k * 60, 950), 0, 2)
    for r in range(10):  # rows of four specks 5 px long, the last two a pixel higher
        x0, y0 = 900 + (r % 2) * 120, 1300 + r * 30
        for d in range(4):
            y = y0 - (d >= 2)
            page[y : y + 2, x0 + d * 9 : x0 + d * 9 + 5] = 0
    page = cv2.warpAffine(page, cv2.getRotationMatrix2D((637, 825), -0.7, 1.0), (1275, 1650), flags=cv2.INTER_NEAREST, borderValue=255)
    assert len(dashed_lines(255 - page, 150, LayoutConfig())) >= 5  # the specks pass for dashed lines
    layout = find_layout(page, 150)
    assert abs(layout.angle - 0.7) < 0.15, layout.angle
    assert [(f.kind, len(f.cells)) for f in layout.fields if f.kind != "free"] == [("boxes", 6)]
