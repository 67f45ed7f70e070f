"""The review report: one self-contained HTML page of the digits that need review.

Built after a scan from what the scan left on disk (results.csv, errors.csv and
the review folder, see review.py), so a resumed scan gets a report of the whole
run. Everything is embedded: images as data: URIs, the script and styles
inline. Text reaches the page only through Jinja2's autoescaping or the
script's textContent, never as markup.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markupsafe
import numpy as np

HISTOGRAM_BINS = 20
REPORT_ITEMS = 5000  # flagged digits per report page; more go to report-2.html, ...


@dataclass
class ReportFigures:
    pages: int
    files: int
    failed_files: int
    boxes: int
    digits: int
    blanks: int
    flagged: int
    review_below: float


def _read(path: Path) -> list[dict[str, str]]:
    """A CSV the scan wrote, as rows of text (the csv module: pandas would add half a
    second of start-up to every scan)."""
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _figures(results: list[dict], errors: list[dict], review_below: float) -> ReportFigures:
    pages = {(r["file"], r["page"]) for r in results}
    pages |= {(e["file"], e["page"]) for e in errors if e["page"]}  # pages without boxes
    failed = {e["file"] for e in errors if not e["page"]}
    digits = [r for r in results if r["digit"] != ""]
    return ReportFigures(
        pages=len(pages),
        files=len({f for f, _ in pages} | failed),
        failed_files=len(failed),
        boxes=len(results),
        digits=len(digits),
        blanks=len(results) - len(digits),
        flagged=sum(r["needs_review"] == "true" for r in digits),
        review_below=review_below,
    )


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


def _histogram(digits: list[dict], review_below: float) -> dict:
    """Counts of digit confidences in equal bins, and bar heights on a log scale
    (nearly every digit is sure; the doubtful few would not show on a linear one)."""
    confidence = np.array([_number(r["confidence"]) for r in digits], float)
    counts, edges = np.histogram(confidence[~np.isnan(confidence)], bins=HISTOGRAM_BINS, range=(0.0, 1.0))
    top = np.log10(1 + counts.max()) if counts.max() else 1.0
    bars = [
        {"x": float(edges[i]), "count": int(c), "height": float(np.log10(1 + c) / top), "below": bool(edges[i + 1] <= review_below)}
        for i, c in enumerate(counts)
    ]
    return {"bars": bars, "threshold": review_below}


def _data_uri(path: Path, mime: str) -> str:
    if not path.is_file():
        return ""
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _items(review_dir: Path, flagged: list[dict]) -> tuple[list[dict], dict]:
    """The flagged digits, and the field pictures they point at (each embedded once)."""
    items, views = [], {}
    for row in flagged:
        if row["field_image"] and row["field_image"] not in views:
            views[row["field_image"]] = _data_uri(review_dir / row["field_image"], "image/jpeg")
        items.append({
            "file": row["file"], "page": int(row["page"]), "field": int(row["field"]), "box": int(row["box"]),
            "digit": row["digit"], "confidence": float(row["confidence"]),
            "alt": row["alt_digit"], "alt_confidence": float(row["alt_confidence"]), "reason": row["reason"],
            "image": _data_uri(review_dir / row["image"], "image/png"),
            "view": row["field_image"],
            "mark": [int(row[k]) for k in ("box_x", "box_y", "box_w", "box_h")] if row["box_x"] else None,
        })
    return items, views


def _script_json(value) -> str:
    """JSON that is safe inside <script>: no '<', '>' or '&' can end the element early."""
    text = json.dumps(value, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def part_names(out: Path, parts: int) -> list[str]:
    """report.html, report-2.html, ... for a review too big for one page."""
    return [out.name] + [f"{out.stem}-{k}{out.suffix}" for k in range(2, parts + 1)]


def write_report(results: Path, errors: Path, review_dir: Path, out: Path, review_below: float) -> ReportFigures:
    """Write the report to `out` (and `out`-2.html, ... past REPORT_ITEMS flagged digits,
    in scan order); returns the figures at its top."""
    rows, failures = _read(results), _read(errors)
    figures = _figures(rows, failures, review_below)
    histogram = _histogram([r for r in rows if r["digit"] != ""], review_below)
    flagged = _read(review_dir / "flagged.csv")
    parts = part_names(out, max(1, math.ceil(len(flagged) / REPORT_ITEMS)))
    env = jinja2.Environment(loader=jinja2.PackageLoader("formreader", "templates"), autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.get_template("report.html.j2")
    out.parent.mkdir(parents=True, exist_ok=True)
    for k, name in enumerate(parts):
        items, views = _items(review_dir, flagged[k * REPORT_ITEMS : (k + 1) * REPORT_ITEMS])
        # Decisions are kept in the browser under this id: the same items keep them across reloads.
        report_id = hashlib.sha1(json.dumps([[i["file"], i["page"], i["field"], i["box"], i["digit"]] for i in items]).encode()).hexdigest()[:16]
        html = template.render(
            figures=figures,
            histogram=histogram,
            failures=failures,
            results_name=results.name,
            parts=parts,
            part=k,
            first_item=k * REPORT_ITEMS + 1,
            last_item=min((k + 1) * REPORT_ITEMS, len(flagged)),
            data=markupsafe.Markup(_script_json({"id": report_id, "items": items, "views": views})),
        )
        (out.parent / name).write_text(html, encoding="utf-8")
    return figures
