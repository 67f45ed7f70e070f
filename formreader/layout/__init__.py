"""Page image -> digit fields and their boxes (OpenCV).

The page is normalised for uneven light, deskewed from its long horizontal
lines, and reduced to horizontal and vertical line segments; then each finder
looks for one kind of evidence, on what the finders before it left:

| module | finds | field kinds |
| --- | --- | --- |
| light.py | the page's resolution, its light evened (a pale scan's ink darkened), its skew | - |
| lines.py | line segments; questions about lines | - |
| broken_rows.py | a row's two faint lines, each broken where the other runs on, joined | - |
| bands.py | pairs of lines with sides between them (a row of boxes' top and bottom) | - |
| tables.py | bands that are rows of a table, left out | - |
| boxes.py | a band's cells: a separate box, a comb or a string box; faint string boxes | boxes, comb, string |
| box_rows.py | separate boxes grouped in rows; a string box that is some of a row's boxes, split; boxes each halved by a faint line, a comb | boxes, comb |
| combs.py | a comb's dividers: strays dropped, hidden ones put back | comb |
| short_dividers.py | a comb's dividers that rise only part way from its bottom line (half-height, short ticks) | comb |
| faint_boxes.py | separate boxes whose lines are faint or uneven | boxes |
| frames.py | bold boxes a few pixels apart, by the paper they wall in (the line finder lost them); the rest of a row of boxes, by their closed frames | boxes |
| ticks.py | baselines with short regular ticks (not printed text) | ticks |
| underlines.py | a line with handwriting standing on it | underline |
| grids.py | even grids fitted to dividers or ticks | - |
| free.py | rows of digit-sized handwriting no field took (dropout forms) | free |
| tint.py | white boxes in a tinted band: outlined, the tint made paper (before the rest) | - |
| tint_holes.py | the white boxes in a tint: holes of a box's shape, a box a row lacks put back | - |
| dashes.py | dashed lines made solid (before the skew and the line finder; the cut too) | - |
| page.py | find_layout: runs them in order, reading order; boxes of bold or run-together double lines | all |
| model.py | LayoutConfig (every tunable, in inches), Rect, Field, Layout | - |

>>> import numpy as np
>>> find_layout(np.full((1100, 850), 255, np.uint8)).fields
[]
"""

from .dashes import draw_on_gray
from .light import deepened_pale_ink, estimate_dpi
from .lines import components
from .model import TICK_CELL_ASPECT, Field, Layout, LayoutConfig, Rect, quarter_turn, rect_moved
from .page import find_layout
from .tint import outline_tinted_boxes

__all__ = ["find_layout", "outline_tinted_boxes", "Layout", "Field", "Rect", "LayoutConfig", "TICK_CELL_ASPECT", "components", "deepened_pale_ink", "draw_on_gray", "estimate_dpi", "quarter_turn", "rect_moved"]
