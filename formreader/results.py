"""The scan's CSV files, written and flushed page by page.

results.csv has one row per box, fields.csv one row per field, errors.csv one
row per file or page that could not be read. A file's name goes into
`<results>.done` only once all its rows are on disk, so `--resume` can drop
the rows of a file that was cut off half way and read it again.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from .recognizer import BLANK

RESULT_COLUMNS = [
    "file", "page", "field", "box", "x", "y", "width", "height",
    "digit", "confidence", "alt_digit", "alt_confidence", "needs_review", "reason",
]
FIELD_COLUMNS = ["file", "page", "field", "kind", "x", "y", "width", "height", "value", "min_confidence", "needs_review"]
ERROR_COLUMNS = ["file", "page", "error"]
NO_BOXES = "no digit boxes found on this page"


class _Table:
    """One CSV file that is appended to and flushed to disk on demand."""

    def __init__(self, path: Path, columns: list[str], keep_files: set[str] | None):
        self.path, self.columns = path, columns
        kept = _rows_of(path, keep_files) if keep_files is not None else []
        self.handle = open(path, "w", newline="", encoding="utf-8")
        self.writer = csv.writer(self.handle)
        self.writer.writerow(columns)
        self.writer.writerows(kept)

    def write(self, row: list) -> None:
        self.writer.writerow(row)

    def flush(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())

    def close(self) -> None:
        self.handle.close()


def _rows_of(path: Path, files: set[str]) -> list[list[str]]:
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return [row for row in rows[1:] if row and row[0] in files]


class ResultWriter:
    def __init__(self, results: Path, fields: Path, errors: Path, resume: bool = False):
        self.done_path = results.with_name(results.name + ".done")
        self.done: set[str] = set()
        if resume and self.done_path.is_file():
            self.done = set(self.done_path.read_text(encoding="utf-8").splitlines())
        keep = self.done if resume else None
        for path in (results, fields, errors):
            path.parent.mkdir(parents=True, exist_ok=True)
        self.results = _Table(results, RESULT_COLUMNS, keep)
        self.fields = _Table(fields, FIELD_COLUMNS, keep)
        self.errors = _Table(errors, ERROR_COLUMNS, keep)
        if not resume:
            self.done_path.write_text("", encoding="utf-8")
        self.done_handle = open(self.done_path, "a", encoding="utf-8")

    def flush(self) -> None:
        for table in (self.results, self.fields, self.errors):
            table.flush()

    def file_done(self, name: str) -> None:
        """Called after the file's rows are flushed: from now on --resume skips it."""
        self.done.add(name)
        self.done_handle.write(name + "\n")
        self.done_handle.flush()
        os.fsync(self.done_handle.fileno())

    def close(self) -> None:
        for table in (self.results, self.fields, self.errors):
            table.close()
        self.done_handle.close()

    def write_file(self, cut, reads, offset: int, summary, on_page, on_error) -> int:
        """Rows of one file's pages; `reads[offset:]` holds its digits in order. Returns the new offset."""
        for page in cut.pages:
            offset = self._write_page(page, reads, offset, summary)
            if not page.fields:
                summary.pages_without_boxes += 1
                self.errors.write([page.file, page.page, NO_BOXES])
                on_error(f"{page.file} page {page.page}: {NO_BOXES}")
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
                self.results.write(head + [digit, f"{confidence:.4f}", int(reads.alt_digit[k]), f"{reads.alt_confidence[k]:.4f}", str(flagged).lower(), reads.reason[k]])
            low = "" if lowest is None else f"{lowest:.4f}"
            self.fields.write([page.file, page.page, number, f.kind, *f.rect, value, low, str(review).lower()])
        return offset
