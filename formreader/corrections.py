"""Corrections from the review report: applied to the results, and learnt from.

corrections.csv, as the report exports it, has one row per reviewed digit:
file, page, field, box, predicted, corrected (a digit, or "x" for "not a
digit / illegible"), image (the 28x28 input the model read, as a PNG data URI,
so the file alone is enough to fine-tune on).
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

import cv2
import numpy as np
import pandas as pd

from .errors import InputFileError
from .results import FIELD_COLUMNS, RESULT_COLUMNS

CORRECTION_COLUMNS = ["file", "page", "field", "box", "predicted", "corrected"]
ILLEGIBLE = "x"
KEY = ["file", "page", "field", "box"]
FINAL_COLUMNS = RESULT_COLUMNS + ["reviewed", "original_digit"]
PNG_PREFIX = "data:image/png;base64,"


def _read_csv(path: Path, columns: list[str], what: str) -> pd.DataFrame:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputFileError(f"{path}: not a readable CSV ({str(exc).splitlines()[0][:120]})") from None
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputFileError(f"{path}: not {what}: no column {', '.join(missing)}")
    return table


def read_corrections(path: Path) -> pd.DataFrame:
    table = _read_csv(path, CORRECTION_COLUMNS, "a corrections file")
    valid = table.corrected.str.fullmatch(r"[0-9]|" + ILLEGIBLE)
    if not valid.all():
        row = int(np.flatnonzero(~valid.to_numpy())[0]) + 2
        raise InputFileError(f"{path}: line {row}: corrected must be a digit 0-9 or '{ILLEGIBLE}', not {table.corrected[row - 2]!r}")
    return table


def apply_corrections(results_path: Path, corrections_path: Path, out: Path, fields_path: Path, fields_out: Path) -> dict:
    """Write the results with the corrections applied, and the fields' values refreshed.

    Returns counts: confirmed, corrected, illegible, and unmatched (corrections naming a box
    that is not in the results, e.g. from another scan)."""
    results = _read_csv(results_path, RESULT_COLUMNS, "a formreader results file")
    fixes = read_corrections(corrections_path).drop_duplicates(KEY, keep="last")
    merged = results.merge(fixes[KEY + ["corrected"]], on=KEY, how="left", indicator=True)
    unmatched = len(fixes) - int((merged._merge == "both").sum())
    corrected = merged.corrected.fillna("")
    merged["original_digit"] = np.where(corrected != "", merged.digit, "")
    merged["reviewed"] = np.select(
        [corrected == ILLEGIBLE, (corrected != "") & (corrected == merged.digit), corrected != ""],
        ["illegible", "confirmed", "corrected"],
        "",
    )
    took = merged.reviewed.isin(["confirmed", "corrected"])
    merged.loc[took, "digit"] = corrected[took]
    merged.loc[took, "needs_review"] = "false"
    illegible = merged.reviewed == "illegible"
    merged.loc[illegible, "digit"] = ""
    merged.loc[illegible, "reason"] = "illegible"  # still needs a person: the value is unknown
    final = merged[FINAL_COLUMNS]
    out.parent.mkdir(parents=True, exist_ok=True)
    final.to_csv(out, index=False)
    _refresh_fields(_read_csv(fields_path, FIELD_COLUMNS, "a formreader fields file"), final).to_csv(fields_out, index=False)
    counts = final.reviewed.value_counts()
    return {k: int(counts.get(k, 0)) for k in ("confirmed", "corrected", "illegible")} | {"unmatched": unmatched}


def _refresh_fields(fields: pd.DataFrame, final: pd.DataFrame) -> pd.DataFrame:
    """Field values from the corrected boxes: digits in box order, '?' for an illegible one."""
    boxes = final.copy()
    boxes["order"] = pd.to_numeric(boxes.box)
    boxes["char"] = np.where(boxes.reviewed == "illegible", "?", boxes.digit)
    boxes["review"] = boxes.needs_review == "true"
    boxes = boxes.sort_values(["file", "page", "field", "order"])
    per_field = boxes.groupby(["file", "page", "field"], sort=False).agg(value=("char", "".join), review=("review", "any"))
    fields = fields.merge(per_field, left_on=["file", "page", "field"], right_index=True, how="left", suffixes=("_old", ""))
    fields["value"] = fields.value.fillna(fields.value_old)
    fields["needs_review"] = np.where(fields.review.isna(), fields.needs_review, fields.review.map({True: "true", False: "false"}))
    return fields[FIELD_COLUMNS]


def training_examples(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(images, labels) to fine-tune on: the reviewed digits' inputs with their right digit.

    Rows marked illegible are left out: a digit nobody can read teaches nothing."""
    table = read_corrections(path)
    if "image" not in table.columns:
        raise InputFileError(f"{path}: no image column; export the corrections from the review report")
    table = table[table.corrected != ILLEGIBLE]
    images = []
    for line, uri in zip(table.index + 2, table.image):
        images.append(_decode_png(uri, f"{path}: line {line}"))
    x = np.stack(images) if images else np.zeros((0, 28, 28), np.uint8)
    return x, table.corrected.astype(int).to_numpy()


def _decode_png(uri: str, where: str) -> np.ndarray:
    if not uri.startswith(PNG_PREFIX):
        raise InputFileError(f"{where}: image is not a PNG data URI")
    try:
        data = np.frombuffer(base64.b64decode(uri[len(PNG_PREFIX):], validate=True), np.uint8)
    except (binascii.Error, ValueError):
        raise InputFileError(f"{where}: image is not valid base64") from None
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE) if len(data) else None
    if image is None or image.shape != (28, 28):
        raise InputFileError(f"{where}: image is not a 28x28 PNG")
    return image
