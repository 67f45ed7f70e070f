"""A CSV file appended to row by row and flushed to disk on demand (page by page)."""

from __future__ import annotations

import csv
import os
from itertools import chain
from pathlib import Path
from typing import Callable, Iterator


class Table:
    """Opens `path` afresh with its header; with `keep_files`, first keeps the rows
    already there whose first column (the file) is in that set (--resume)."""

    def __init__(self, path: Path, columns: list[str], keep_files: set[str] | None):
        self.path, self.columns = path, columns
        path.parent.mkdir(parents=True, exist_ok=True)
        kept = rows_of(path, keep_files) if keep_files is not None else []
        replace_file(path, lambda handle: csv.writer(handle).writerows(chain([columns], kept)))  # streamed
        self.handle = open(path, "a", newline="", encoding="utf-8")
        self.writer = csv.writer(self.handle)

    def write(self, row: list) -> None:
        self.writer.writerow(row)

    def flush(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())

    def close(self) -> None:
        self.handle.close()


def replace_file(path: Path, write: Callable) -> None:
    """Write a file anew through `write(handle)` into a copy that then replaces it in one
    step: killed at any moment, the file is either the old one or the new one."""
    fresh = path.with_name(path.name + ".new")
    with open(fresh, "w", newline="", encoding="utf-8") as handle:
        write(handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(fresh, path)


def rows_of(path: Path, files: set[str]) -> Iterator[list[str]]:
    """The rows of `path` (after its header) whose file is in `files`, streamed."""
    if not path.is_file():
        return
    with open(path, newline="", encoding="utf-8") as handle:
        rows = csv.reader(handle)
        next(rows, None)
        yield from (row for row in rows if row and row[0] in files)
