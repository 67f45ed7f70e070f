"""What the review report needs of each flagged digit, kept on disk during the scan.

A worker cuts a small picture of every field (`FieldView`) while it has the
page; the main process keeps the ones that hold a flagged digit, with the
digit's 28x28 model input, in a folder beside the report:

    report_files/flagged.csv        one row per flagged digit
    report_files/digits/<key>.png   the 28x28 input the model read (lossless)
    report_files/fields/<key>.jpg   the field around it, as scanned

The report embeds them; `train --extra` learns from the corrected inputs.
Names are derived from (file, page, field), so --resume rewrites the same ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from .layout import Rect, quarter_turn, rect_moved
from .table import Table

VIEW_HEIGHT = 72  # pixels: the field is shown at this height, enough to see the digits
VIEW_MAX_WIDTH = 960
VIEW_MARGIN = 0.3  # of the field's height, around it: digits cross the border
VIEW_JPEG_QUALITY = 80

FLAGGED_COLUMNS = [
    "file", "page", "field", "box", "digit", "confidence", "alt_digit", "alt_confidence", "reason",
    "image", "field_image", "box_x", "box_y", "box_w", "box_h",
]


@dataclass
class FieldView:
    """A field as scanned, upright, shrunk to VIEW_HEIGHT: JPEG bytes and where it lies on the page."""

    jpeg: bytes
    to_view: np.ndarray  # 2x3: page pixels -> view pixels

    def box(self, rect) -> tuple[int, int, int, int]:
        """A box given in page pixels, in the view's pixels."""
        return rect_moved(self.to_view, Rect(*rect))


def field_view(gray: np.ndarray, rect, turns: int = 0) -> FieldView:
    """The field at `rect` (page pixels, as read) with a margin, shrunk for the report and
    turned by `turns` quarters (anticlockwise), as the page reads upright."""
    x, y, w, h = rect
    m = VIEW_MARGIN * (w if turns % 2 else h)  # of the field's height as it reads: on a page lying sideways, its width
    x0, y0 = max(0, int(x - m)), max(0, int(y - m))
    x1, y1 = min(gray.shape[1], int(x + w + m) + 1), min(gray.shape[0], int(y + h + m) + 1)
    crop = np.rot90(gray[y0:y1, x0:x1], turns)
    scale = min(1.0, VIEW_HEIGHT / max(1, crop.shape[0]), VIEW_MAX_WIDTH / max(1, crop.shape[1]))
    size = (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale)))
    small = cv2.resize(crop, size, interpolation=cv2.INTER_AREA) if scale < 1 else np.ascontiguousarray(crop)
    ok, jpeg = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, VIEW_JPEG_QUALITY])
    to_crop = np.vstack([quarter_turn((y1 - y0, x1 - x0), turns), [0, 0, 1]]) @ np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]])
    return FieldView(jpeg.tobytes() if ok else b"", (np.diag([scale, scale, 1]) @ to_crop)[:2])


def review_folder(report: Path) -> Path:
    """report.html -> report_files/, as browsers name a saved page's folder."""
    return report.with_name(report.stem + "_files")


def _key(file: str, page: int, field: int) -> str:
    return hashlib.sha1(f"{file}\0{page}\0{field}".encode()).hexdigest()[:16]


class ReviewStore:
    """Writes the flagged digits' inputs and field views into the review folder."""

    def __init__(self, folder: Path, keep_files: set[str] | None):
        self.folder = folder
        for sub in ("digits", "fields"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        self.table = Table(folder / "flagged.csv", FLAGGED_COLUMNS, keep_files)
        self.last_field = None

    def add(self, file: str, page: int, field: int, box: int, field_cut, box_cut, read: list) -> None:
        """`read` is [digit, confidence, alt_digit, alt_confidence, reason] as written to results.csv."""
        key = _key(file, page, field)
        image, view_name = f"digits/{key}-{box}.png", f"fields/{key}.jpg"
        cv2.imwrite(str(self.folder / image), box_cut.image)
        view = field_cut.view
        if (file, page, field) != self.last_field and view is not None:
            (self.folder / view_name).write_bytes(view.jpeg)
            self.last_field = (file, page, field)
        where = view.box(box_cut.rect) if view is not None else ("", "", "", "")
        self.table.write([file, page, field, box, *read, image, view_name if view is not None else "", *where])
