"""Pages fed upside down or sideways: which way up a page's digits read.

A feeder takes pages as they come. Upside down, most of a page's boxes are found all the
same, but its digits read as nonsense that is at times sure of itself, a 6 as a 9 and a 9
as a 6 (seed 281's generated pages turned half round: 36-40% of the digits accepted were
wrong). The digits cut from a page as it lies, turned by a quarter, a half and three
quarters, tell which way is up: upright digits read surely, turned ones do not (on those
pages, the mean confidence of the most likely digit was 0.98-1.00 upright and at most 0.79
turned any other way).

A worker reads a few digits of each page with the shipped digit model's LiteRT copy (one
thread, a few milliseconds) and, where another way up reads far better, lays out and cuts
the page again turned that way, just as an upright page is cut, and gives every rectangle
back in the pixels of the page as it lies.
"""

from __future__ import annotations

from functools import cache

import cv2
import numpy as np

from .digits import FieldCut, cut_fields
from .layout import deepened_pale_ink, find_layout, outline_tinted_boxes, quarter_turn
from .pages import bitonal, undithered, without_dark_surround
from .recognizer import NOT_A_DIGIT
from .shipped import shipped_model

CHUNK = 16  # digits read at a time (spread over the page), turned each way looked at
MOST = 256  # digits read at most to tell which way is up
MIN_DIGITS = 4  # fewer tell nothing
UPRIGHT = 0.97  # the first digits read this surely as they lie (mean top probability): upright
SURE, UNSURE = 0.9, 0.8  # a digit read this surely one way up and less than this the other votes for the first
VOTES, ODDS = 3, 2  # a way up wins with this many votes more than ODDS times the other's
TURNED_SURE = 0.8  # a page on its side: its digits read this surely turned a quarter ...
MARGIN = 0.05  # ... and this much more surely than as they lie or upside down
FAR_MORE = 2  # a landscape page read unsurely is kept turned where that finds this many times the digits


@cache
def checker():
    """The shipped digit model's LiteRT copy on one thread (a worker has one core);
    None where LiteRT or the copy is missing: pages are then taken as they lie."""
    from .runtime import LiteModel

    try:
        return LiteModel(shipped_model("digits.tflite"), threads=1)
    except (ImportError, OSError, ValueError, RuntimeError):
        return None


def box_digits(fields: list[FieldCut]) -> np.ndarray:
    """The digits cut from boxes (not free handwriting), in an order spread over the page."""
    images = [b.image for f in fields if f.kind != "free" for b in f.boxes if b.image is not None]
    return np.array(images)[np.random.default_rng(0).permutation(len(images))] if images else np.zeros((0, 28, 28), np.uint8)


def tops(model, images: np.ndarray, turns: int) -> np.ndarray:
    """Each image's most likely digit's probability, turned by `turns` quarters."""
    probs = model.predict_on_batch(np.rot90(images, turns, axes=(1, 2))[..., None].astype(np.float32))
    return probs[:, :NOT_A_DIGIT].max(axis=1)


def best_turn(images: np.ndarray, model) -> int | None:
    """Quarter turns (anticlockwise) under which the digit images read best: 0 as they lie;
    None when too few are given or no way up wins.

    Clean pages upright read surely at once. Otherwise the page as it lies and upside down
    are weighed digit by digit: a digit read surely one way and unsurely the other is a
    vote, and digits are read CHUNK at a time until one way wins (a messy hand upright reads
    only 0.5-0.85 surely on average, about as surely as upside down: the votes still tell).
    A page on its side reads badly both ways; quarter turns are tried then."""
    if len(images) < MIN_DIGITS:
        return None
    first = tops(model, images[:CHUNK], 0)
    if first.mean() >= UPRIGHT:
        return 0
    lies = turned = 0
    for at in range(0, min(len(images), MOST), CHUNK):
        as_lies = first if at == 0 else tops(model, images[at : at + CHUNK], 0)
        upside_down = tops(model, images[at : at + CHUNK], 2)
        if at == 0 and max(as_lies.mean(), upside_down.mean()) < TURNED_SURE and (side := on_its_side(images, model, TURNED_SURE)):
            return side
        lies += int(((as_lies >= SURE) & (upside_down < UNSURE)).sum())
        turned += int(((upside_down >= SURE) & (as_lies < UNSURE)).sum())
        if turned >= ODDS * lies + VOTES:
            return 2
        if lies >= ODDS * turned + VOTES:
            return 0
    return None


def turned_means(images: np.ndarray, model) -> dict[int, float]:
    """How surely the first digits read (their mean top probability) turned by 0-3 quarters."""
    return {k: float(tops(model, images[:CHUNK], k).mean()) for k in range(4)}


def on_its_side(images: np.ndarray, model, least: float = 0.0, means: dict[int, float] | None = None) -> int | None:
    """The quarter turn (1 or 3) under which the first digits read more surely, by MARGIN,
    than as they lie and upside down, and `least` surely at least; None where none does or
    too few are given. `means`: turned_means of the images, where already read. A skewed
    form on its side, its sideways boxes cut as they lay, read 0.57 surely as it lay, 0.75
    turned: under TURNED_SURE, and its lying digits' votes kept it as it lay, every field
    read wrong."""
    if len(images) < MIN_DIGITS:
        return None
    means = means or turned_means(images, model)
    side = likelier_side(means)
    return side if means[side] >= max(least, means[0] + MARGIN, means[2] + MARGIN) else None


def likelier_side(means: dict[int, float]) -> int:
    """The quarter turn (1 or 3) under which the digits of turned_means read more surely."""
    return max((1, 3), key=means.get)


def cut_page(gray: np.ndarray, dpi: float) -> list[FieldCut]:
    """The page's fields as it lies: a dithered page made grey again, a dark surround painted
    as the sheet's paper, a pale page's ink darkened, white boxes in a tint outlined; laid
    out and cut."""
    one_bit = bitonal(gray)
    image = without_dark_surround(undithered(gray, dpi))
    if not one_bit:  # a 1-bit page's ink is black; undithered, its blurred dots are no pale ink
        image = deepened_pale_ink(image, dpi)
    image = outline_tinted_boxes(image, dpi, dithered=one_bit)
    return cut_fields(image, find_layout(image, dpi))


def cut_turned(gray: np.ndarray, dpi: float, turns: int) -> list[FieldCut]:
    """The fields of the page turned by `turns` quarters, cut just as an upright page is,
    every rectangle given in the pixels of the page as it lies."""
    back = cv2.invertAffineTransform(quarter_turn(gray.shape, turns))
    return [f.moved(back) for f in cut_page(np.ascontiguousarray(np.rot90(gray, turns)), dpi)]


def upright_fields(gray: np.ndarray, dpi: float, model=None) -> tuple[list[FieldCut], int]:
    """The page's fields cut the way up its digits read, and the quarter turns that took.

    A turn stands only where the page cut anew reads best as it then lies. A landscape
    page whose digits read no way up (or that has hardly any) may be a portrait form
    lying on its side, its boxes unseen: it is laid out a quarter turned to see; so is one
    whose digits read better turned a quarter than as it lies, however unsurely; and one
    whose digits do not read upright at once, kept turned only where that finds FAR_MORE
    times the digits."""
    fields = cut_page(gray, dpi)
    model = model if model is not None else checker()
    if model is None:
        return fields, 0
    digits = box_digits(fields)
    turns = best_turn(digits, model)
    doubted = False
    if not turns and gray.shape[1] > gray.shape[0]:
        means = turned_means(digits, model) if len(digits) >= MIN_DIGITS else {}  # read once, asked thrice
        side = on_its_side(digits, model, means=means)
        # what was found as it lies may be a table's lines and a few sideways boxes that read
        # surely (1s) while the form's fields stand on their side unseen: unless its digits
        # read upright at once, it is looked at turned, and kept turned only where far more is found
        doubted = not side and turns == 0 and means[0] < UPRIGHT
        turns = side or (likelier_side(means) if doubted else 1 if turns is None else 0)
    # a quarter turn may be the wrong one of the two: cut that way, the page reads upside down,
    # or no way up (turned 1245 p11, its top to the left: a quarter turn the wrong way found a
    # table's and labels' worth of unsure digits, and the page was read as it lay, 64 boxes lost)
    for k in ([turns, turns + 2] if turns in (1, 3) else [turns] if turns else []):
        turned = cut_turned(gray, dpi, k % 4)
        seen = box_digits(turned)
        if doubted and len(seen) < FAR_MORE * len(digits):
            break
        check = best_turn(seen, model)
        if check == 0:
            return turned, k % 4
        if check not in (2, None):
            break
    return fields, 0
