"""A CSV file appended to row by row and flushed to disk on demand (page by page)."""

from __future__ import annotations

import csv
import os
from pathlib import Path


class Table:
    """Opens `path` afresh with its header; with `keep_files`, first keeps the rows
    already there whose first column (the file) is in that set (--resume)."""

    def __init__(self, path: Path, columns: list[str], keep_files: set[str] | None):
        self.path, self.columns = path, columns
        kept = rows_of(path, keep_files) if keep_files is not None else []
        path.parent.mkdir(parents=True, exist_ok=True)
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


def rows_of(path: Path, files: set[str]) -> list[list[str]]:
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return [row for row in rows[1:] if row and row[0] in files]
