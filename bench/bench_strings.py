"""Digit strings on real handwriting: NIST HSF form pages and cheque amounts.

    .venv/bin/python bench/bench_strings.py [--shared ../shared] [--model models/strings.keras]

HSF pages (../shared/data/real/hsf_pages): a real `formreader scan` of the pages,
each truth field scored by the result boxes whose centres lie in it (as
../shared/tools/score_fields.py does). Cheque amounts (../shared/data/real/orand_car_a):
a real `formreader predict --fields` of the images. For each set: strings exact,
digits right (1 - edit distance / digits), flagged, and wrong among the strings not
flagged; printed for the part used while developing and for the part held out
(HSF: pages f0000-f0002 / f0003-f0004; cheques: even / odd rows of labels.csv).
Neither set is ever trained on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
FORMREADER = [sys.executable, "-m", "formreader.cli"]


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def figures(read: list[str], truth: list[str], flagged: list[bool]) -> dict:
    n = len(truth)
    right = [r == t for r, t in zip(read, truth)]
    accepted = [not f for f in flagged]
    wrong_accepted = sum(a and not r for a, r in zip(accepted, right))
    return {
        "strings": n,
        "exact": round(sum(right) / max(n, 1), 4),
        "digits_right": round(1 - sum(edit_distance(r, t) for r, t in zip(read, truth)) / max(1, sum(map(len, truth))), 4),
        "flagged": round(sum(flagged) / max(n, 1), 4),
        "wrong_among_accepted": round(wrong_accepted / max(1, sum(accepted)), 4),
    }


SHOW: list[str] = []  # with --show, every string read wrong


def hsf(folder: Path, model: str | None) -> dict:
    truth = pd.read_csv(folder / "fields_truth.csv", dtype={"value": str}).fillna({"value": ""})
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "results.csv"
        env = {**os.environ, "FORMREADER_STRING_MODEL": model} if model else None
        started = time.time()
        subprocess.run([*FORMREADER, "scan", str(folder), "--out", str(out), "--no-report", "--quiet"],
                       cwd=ROOT, check=False, capture_output=True, env=env)
        seconds = time.time() - started
        r = pd.read_csv(out, dtype=str, keep_default_na=False)
        fields = pd.read_csv(out.with_name("fields.csv"), dtype=str, keep_default_na=False)
    for table in (r, fields):
        table["name"] = table.file.map(lambda s: Path(s).name)
        table["cx"] = table.x.astype(float) + table.width.astype(float) / 2
        table["cy"] = table.y.astype(float) + table.height.astype(float) / 2
    parts: dict[str, tuple[list, list, list]] = {"tuned": ([], [], []), "held_out": ([], [], [])}
    for _, f in truth.iterrows():
        inside = r[(r.name == f.file) & r.cx.between(f.x0, f.x1) & r.cy.between(f.y0, f.y1) & (r.digit != "")]
        read = "".join(inside.sort_values("cx").digit)
        part = parts["tuned" if f.file < "f0003" else "held_out"]
        part[0].append(read)
        part[1].append(f.value)
        part[2].append(bool((inside.needs_review.str.lower() == "true").any()) or len(inside) == 0)
        if read != f.value:
            SHOW.append(f"HSF {f.file} {f.field}: want {f.value} read {read}{' (flagged)' if part[2][-1] else ''}")
    result = {name: figures(*p) for name, p in parts.items()}
    result["all"] = figures(*(sum((p[i] for p in parts.values()), []) for i in range(3)))
    result["scan_seconds"] = round(seconds, 1)
    result["layout"] = field_finding(truth, fields[fields.value != ""])
    return result


def field_finding(truth: pd.DataFrame, fields: pd.DataFrame) -> dict:
    """Each truth field found as one field (one result field's centre in it), and the
    fields with digits invented where no truth field is (printed text read as digits)."""
    homes = [fields[(fields.name == f.file) & fields.cx.between(f.x0, f.x1) & fields.cy.between(f.y0, f.y1)] for f in truth.itertuples()]
    inside = set().union(*(set(h.index) for h in homes))
    invented = fields[~fields.index.isin(inside)]
    return {"fields": len(truth), "found_once": sum(len(h) == 1 for h in homes), "missed": sum(len(h) == 0 for h in homes),
            "split": sum(len(h) > 1 for h in homes), "invented": len(invented),
            "invented_unflagged": int((invented.needs_review.str.lower() != "true").sum())}


def cheques(folder: Path, model: str | None) -> dict:
    labels = pd.read_csv(folder / "labels.csv", dtype={"value": str})
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "fields.csv"
        extra = ["--model", model] if model else []
        started = time.time()
        subprocess.run([*FORMREADER, "predict", "--fields", str(folder / "images"), "--out", str(out), *extra],
                       cwd=ROOT, check=False, capture_output=True)
        seconds = time.time() - started
        r = pd.read_csv(out, dtype=str, keep_default_na=False)
    r["name"] = r.file.map(lambda s: Path(s).name)
    reads = dict(zip(r.name, zip(r.value, r.needs_review.str.lower() == "true")))
    for f, value in zip(labels.file, labels.value):
        got = reads.get(f, ("", True))
        if got[0] != value:
            SHOW.append(f"cheque {f}: want {value} read {got[0]}{' (flagged)' if got[1] else ''}")
    result = {}
    for name, rows in (("tuned", labels.iloc[0::2]), ("held_out", labels.iloc[1::2]), ("all", labels)):
        got = [reads.get(f, ("", True)) for f in rows.file]
        result[name] = figures([g[0] for g in got], list(rows.value), [g[1] for g in got])
    result["predict_seconds"] = round(seconds, 1)
    return result


def show(title: str, result: dict, target_exact: float) -> None:
    print(f"\n{title}")
    print("| part | strings | exact | digits right | flagged | wrong among accepted |")
    print("| --- | --- | --- | --- | --- | --- |")
    for part in ("tuned", "held_out", "all"):
        f = result[part]
        print(f"| {part} | {f['strings']} | {f['exact']:.1%} | {f['digits_right']:.1%} | {f['flagged']:.1%} | {f['wrong_among_accepted']:.2%} |")
    print(f"targets: exact >= {target_exact:.0%}; flagged <= 15% with at most 1% wrong among accepted")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--model", help="the string model to judge (default: the shipped one)")
    ap.add_argument("--show", action="store_true", help="list every string read wrong")
    args = ap.parse_args()
    real = args.shared / "data" / "real"
    if not (real / "hsf_pages" / "fields_truth.csv").is_file() or not (real / "orand_car_a" / "labels.csv").is_file():
        sys.exit(f"bench_strings: needs {real}/hsf_pages and {real}/orand_car_a (see ../shared/data/README.md)")
    print(f"bench_strings {time.strftime('%Y-%m-%d')} on {platform.machine()}, {platform.node()}")
    h = hsf(real / "hsf_pages", args.model)
    show(f"HSF pages (scan, {h['scan_seconds']} s)", h, 0.95)
    lay = h["layout"]
    print(f"fields found once {lay['found_once']}/{lay['fields']}, missed {lay['missed']}, in pieces {lay['split']}; "
          f"fields with digits where no truth field is: {lay['invented']} ({lay['invented_unflagged']} not flagged)")
    c = cheques(real / "orand_car_a", args.model)
    show(f"Cheque amounts (predict --fields, {c['predict_seconds']} s)", c, 0.90)
    if args.show:
        print("\n".join(SHOW))
    print(json.dumps({"hsf": h, "cheques": c}))


if __name__ == "__main__":
    main()
