"""Underlined fields: a line of field length with no lines running into it and
handwriting of digit height standing on it."""

from __future__ import annotations

import numpy as np

from .lines import components, reaches
from .model import Field, Rect


def underlines(hs, vs, binary: np.ndarray, px, config) -> list[Field]:
    """A line with handwriting standing on it and no box: a field holding a digit string.

    Only lines of field length (not a page frame) that no straight line rises from
    (box sides, dividers, ticks: a box the layout missed is no underline), with at
    least two ink shapes of digit height (not printed text) whose feet are near it."""
    fields = []
    for base in hs:
        if not (px(config.min_underline) <= base.a1 - base.a0 <= px(config.max_underline)):
            continue
        tol = base.t + 3
        rising = sum(base.a0 - tol <= v.c <= base.a1 + tol and reaches(v, base) and v.t <= base.t + 2 for v in vs)
        if rising >= 2:  # box sides come in pairs; one digit's stroke may touch the line
            continue
        top = int(max(0, base.c - px(config.max_box)))
        above = binary[top : int(base.c - base.t / 2 - 1), int(base.a0) : int(base.a1)]
        count, _, stats, _ = components(above)
        height, width = above.shape
        standing = [
            s for s in stats[1:count]
            if s[3] >= px(config.printed_least)
            and height - (s[1] + s[3]) <= px(0.2)  # its foot near the line
            and s[1] > 0 and s[0] > 0 and s[0] + s[2] < width  # not the side of something taller or wider
        ]
        tall = [s for s in standing if s[3] >= px(config.min_digit_height)]
        # printed text on a line (a table's row) with a few tall marks among it (a stain, a
        # stroke) is no field: handwriting of digit height is most of what stands on the line
        if len(tall) < 2 or len(tall) < 0.5 * len(standing):
            continue
        y0 = top + min(s[1] for s in tall) - px(0.04)
        fields.append(Field("underline", [Rect(base.a0, y0, base.a1 - base.a0, base.c - y0)], base.t))
    return fields
