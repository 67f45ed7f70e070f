"""The scan's CSV files, written and flushed page by page.

results.csv has one row per box, fields.csv one row per field, errors.csv one
row per file or page that could not be read. A file's name goes into
`<results>.done` only once all its rows are on disk, so `--resume` can drop
the rows of a file that was cut off half way and read it again.
"""

from __future__ import annotations

import os
from pathlib import Path

from .recognizer import BLANK
from .review import ReviewStore
from .table import Table, replace_file

RESULT_COLUMNS = [
    "file", "page", "field", "box", "x", "y", "width", "height",
    "digit", "confidence", "alt_digit", "alt_confidence", "needs_review", "reason",
]
FIELD_COLUMNS = ["file", "page", "field", "kind", "x", "y", "width", "height", "value", "min_confidence", "needs_review"]
ERROR_COLUMNS = ["file", "page", "error"]
NO_BOXES = "no digit boxes found on this page"
LIES = {1: "the page lies on its side, its top to the right", 2: "the page lies upside down", 3: "the page lies on its side, its top to the left"}


def _done_files(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    text = path.read_text(encoding="utf-8")
    return set(text.split("\n")[:-1])  # the last piece has no newline: empty, or cut off


class ResultWriter:
    """The scan's output files. With `review` (the report's folder), the flagged digits'
    inputs and field views are kept there too (see review.py)."""

    def __init__(self, results: Path, fields: Path, errors: Path, resume: bool = False, review: Path | None = None):
        self.done_path = results.with_name(results.name + ".done")
        self.done = _done_files(self.done_path) if resume else set()
        keep = self.done if resume else None
        self.results = Table(results, RESULT_COLUMNS, keep)
        self.fields = Table(fields, FIELD_COLUMNS, keep)
        self.errors = Table(errors, ERROR_COLUMNS, keep)
        self.tables = [self.results, self.fields, self.errors]
        self.review = ReviewStore(review, keep) if review is not None else None
        if self.review:
            self.tables.append(self.review.table)
        # rewritten with whole lines only: a name cut off by a kill is not a file done
        replace_file(self.done_path, lambda handle: handle.writelines(name + "\n" for name in sorted(self.done)))
        self.done_handle = open(self.done_path, "a", encoding="utf-8")

    def flush(self) -> None:
        for table in self.tables:
            table.flush()

    def file_done(self, name: str) -> None:
        """Called after the file's rows are flushed: from now on --resume skips it."""
        self.done.add(name)
        self.done_handle.write(name + "\n")
        self.done_handle.flush()
        os.fsync(self.done_handle.fileno())

    def close(self) -> None:
        for table in self.tables:
            table.close()
        self.done_handle.close()

    def write_file(self, cut, reads, offset: int, summary, on_page, on_error) -> int:
        """Rows of one file's pages; `reads[offset:]` holds its digits in order. Returns the new offset."""
        for page in cut.pages:
            offset = self._write_page(page, reads, offset, summary)
            free = sum(f.digits for f in page.fields if f.kind == "free")
            summary.free_digits += free
            if all(f.kind == "free" for f in page.fields):  # no box found: say so, even if digits were read
                summary.pages_without_boxes += 1
                message = NO_BOXES + (f"; {free} handwritten digits outside any box read as free fields, flagged for review" if free else "")
                self.errors.write([page.file, page.page, message])
                on_error(f"{page.file} page {page.page}: {message}")
            if page.turns:  # a notice, not a failure: the page was read
                summary.turned_pages += 1
                on_error(f"{page.file} page {page.page}: {LIES[page.turns]}; read turned upright (its boxes are given in the file's pixels)")
            self.flush()
            on_page(summary)
        if cut.error:
            summary.failed_files += 1
            self.errors.write([cut.file, "", cut.error.removeprefix(cut.file + ": ")])
            on_error(cut.error)
            self.flush()
        summary.files += 1
        self.file_done(cut.file)
        return offset

    def _write_page(self, page, reads, offset: int, summary) -> int:
        summary.pages += 1
        for number, f in enumerate(page.fields, start=1):
            value, lowest, review = "", None, False
            for box_number, box in enumerate(f.boxes, start=1):
                summary.boxes += 1
                head = [page.file, page.page, number, box_number, *box.rect]
                if box.image is None:
                    self.results.write(head + ["", "", "", "", "false", BLANK])
                    continue
                k = offset
                offset += 1
                summary.digits += 1
                digit, confidence = int(reads.digit[k]), float(reads.confidence[k])
                flagged = bool(reads.needs_review[k])
                summary.flagged += flagged
                value += str(digit)
                lowest = confidence if lowest is None else min(lowest, confidence)
                review |= flagged
                read = [digit, f"{confidence:.4f}", int(reads.alt_digit[k]), f"{reads.alt_confidence[k]:.4f}", reads.reason[k]]
                self.results.write(head + read[:4] + [str(flagged).lower(), read[4]])
                if flagged and self.review:
                    self.review.add(page.file, page.page, number, box_number, f, box, read)
            low = "" if lowest is None else f"{lowest:.4f}"
            self.fields.write([page.file, page.page, number, f.kind, *f.rect, value, low, str(review).lower()])
        return offset
