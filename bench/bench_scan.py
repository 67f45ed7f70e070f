"""Scan accuracy and speed on generated form pages, against the issue's targets.

    .venv/bin/python bench/bench_scan.py [--pages 120] [--dpi 200] [--seed 7] [--workers 2]

Generates pages from MNIST test digits (needs the MNIST files: --data or
FORMREADER_DATA), runs a real `formreader scan` subprocess over them (start-up
included), measures pages/s and peak memory of the whole process tree, and
scores results.csv against the truth. Prints a table and a JSON line. With --maker other,
those pages are the other page maker's (below) instead of formgen's: scanned-looking
colour pages, noisy, slow to decode as a scanner's PNG files are (formgen's clean pages
decode several times faster, which raises the floor the scan is measured against).

Then, apart (so that the speed figure stays that of the usual pages), two other page
families (seed + 1): --variant-pages pages whose boxes are drawn other ways (rounded,
double, hairline; combs with half-height or short dividers; a printed paragraph),
scored like the usual ones; and --dropout-pages pages whose box lines vanished in the
scan, where every digit must still be read (as free handwriting, flagged): found, read
right, flagged; --letter-pages pages with fields of capital letters written in boxes
(formgen's own letters, not the recognizer's training negatives), where a letter must never
be accepted as a digit, and whose digit fields are scored as usual. The families' pages are at 150, 200 and 300 dpi in turn; the usual pages
and the variants are also scored by dpi and by field kind (markdown tables).

Last, --other-pages pages of another page maker than formgen (bench/other_pages.py: drawn
with Pillow, TrueType type, colours, boxes set apart by other gaps; seed + 2), scored like
the usual ones by dpi and by field kind: the family the layout was not written against;
and --third-pages pages of a third maker (bench/third_pages.py; seed + 3) in designs the
other two do not draw (white boxes in a tinted band, with lines or without; dashed boxes;
combs with a bold frame and hairline dividers), scored by design and by dpi; and --fax-pages
pages of the other maker (seed + 4) made 1-bit, dithered as Pillow's convert("1") does and
cut at Otsu's level in turn (group 4 TIFF), scored by how they were made and by dpi; and
--turned-pages pages of the other maker (seed + 5) fed turned: on their side, its top to
the right, upside down and on their side, its top to the left, in turn (lossless PNG),
scored by how they lie and against the upright pages' scan; and --lid-pages pages of the
other maker (seed + 6) scanned on a dark lid, the sheet smaller than the glass, scored by lid;
and --lit-pages pages of the third maker (seed + 7) lit unevenly four ways, scored by lighting;
and --pale-pages formgen pages (seed + 8) scanned too light four ways, scored by how;
and --slant-pages pages of the other maker (seed + 9) photographed at a slant (rows or
columns converging), scored by how.
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

import cv2
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from formreader.data import load_mnist  # noqa: E402
from formreader.layout import Rect, quarter_turn, rect_moved  # noqa: E402
from formreader.samples import write_form_pages  # noqa: E402
from formreader.scoring import breakdown, score, score_letters, score_unboxed, scored_by, dpi_labels  # noqa: E402
from other_pages import write_other_pages  # noqa: E402  (beside this file)
from third_pages import style_of, write_third_pages  # noqa: E402

TARGETS = {
    "box_recall": (">=", 0.995),
    "box_precision": (">=", 0.99),
    "digit_accuracy": (">=", 0.99),
    "blanks_right": (">=", 0.995),
    "fields_exact": (">=", 0.93),
    "accepted_error": ("<=", 0.001),
    "flagged": ("<=", 0.05),
}


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    return sum(tree_processes_rss(pid))


def tree_processes_rss(pid: int) -> list[int]:
    """Resident memory of a process and of each of its descendants, in bytes (Linux /proc)."""
    sizes, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as handle:
                sizes.append(int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE"))
            for task in os.listdir(f"/proc/{p}/task"):  # children of every thread (Dask starts them off the main one)
                with open(f"/proc/{p}/task/{task}/children") as handle:
                    todo += [int(c) for c in handle.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return sizes


def _decode(path: str) -> int:
    """One file's pages decoded as the floor does it: OpenCV for images, PDFium for PDFs."""
    import cv2

    cv2.setNumThreads(1)
    if path.endswith(".pdf"):
        from formreader.pages import read_pages

        return sum(1 for _ in read_pages(Path(path)))
    ok, pages = cv2.imreadmulti(path, flags=cv2.IMREAD_GRAYSCALE)
    return len(pages) if ok else 0


def decode_floor(files: list[Path], workers: int) -> float:
    """Pages/s of only decoding the same files, on `workers` processes: what no scan can beat.
    The scan's speed is given as a share of it, measured in the same run, because this
    machine's speed drifts by 2x from day to day."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pool.map(_decode, [str(f) for f in files[: 2 * workers]])  # the workers started and warm
        start = time.perf_counter()
        pages = sum(pool.map(_decode, [str(f) for f in files], chunksize=4))
        return pages / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--dpi", type=int, nargs="+", default=[200])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--data", default=None)
    parser.add_argument("--format", default="jpg", choices=["jpg", "png", "pdf", "tif"])
    parser.add_argument("--maker", default="formgen", choices=["formgen", "other"],
                        help="who makes the measured pages: formgen, or the other page maker (bench/other_pages.py; jpg or png only)")
    parser.add_argument("--keep", type=Path, help="keep the pages and results in this folder")
    parser.add_argument("--variant-pages", type=int, default=20, help="pages with boxes drawn other ways, scored apart")
    parser.add_argument("--letter-pages", type=int, default=12, help="pages with fields of letters written in boxes, scored apart")
    parser.add_argument("--dropout-pages", type=int, default=10, help="pages whose box lines vanished, scored apart")
    parser.add_argument("--other-pages", type=int, default=30, help="pages of another page maker than formgen, scored apart")
    parser.add_argument("--third-pages", type=int, default=24, help="pages of a third maker's designs (tints, dashes, bold combs), scored apart")
    parser.add_argument("--fax-pages", type=int, default=20,
                        help="the other maker's pages made 1-bit, dithered and thresholded in turn (seed + 4), scored apart")
    parser.add_argument("--turned-pages", type=int, default=18,
                        help="the other maker's pages fed turned a quarter, a half and three quarters (seed + 5), scored apart")
    parser.add_argument("--lid-pages", type=int, default=12,
                        help="the other maker's pages scanned on a dark lid, black, dark and mid grey in turn (seed + 6), scored apart")
    parser.add_argument("--lit-pages", type=int, default=12,
                        help="the third maker's pages lit unevenly, four ways in turn (seed + 7), scored apart")
    parser.add_argument("--pale-pages", type=int, default=12,
                        help="formgen's pages scanned too light, four ways in turn (seed + 8), scored apart")
    parser.add_argument("--slant-pages", type=int, default=12,
                        help="the other maker's pages photographed at a slant, four ways in turn (seed + 9), scored apart")
    args = parser.parse_args()
    if args.maker == "other" and args.format not in ("jpg", "png"):
        parser.error("--maker other writes jpg or png pages")

    folder = args.keep or Path(tempfile.mkdtemp(prefix="formreader-bench-"))
    pages = folder / "pages"
    if args.maker == "other":
        file_dpi = write_other_pages(load_mnist(args.data), pages, args.pages, args.seed, tuple(args.dpi), (args.format,))
    else:
        specs = [(f"page-{k:04d}.{args.format}", [(args.dpi[k % len(args.dpi)], k % 5 == 4)]) for k in range(args.pages)]
        file_dpi = {name: each[0][0] for name, each in specs}
        write_form_pages(load_mnist(args.data), pages, specs, args.seed)
    out = folder / "results.csv"
    command = scan_command(pages, out, args.workers)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    tree_peak = largest = 0
    while process.poll() is None:  # the scan and its workers, sampled 20 times a second
        sizes = tree_processes_rss(process.pid)
        tree_peak, largest = max(tree_peak, sum(sizes)), max(largest, max(sizes, default=0))
        time.sleep(0.05)
    stdout, stderr = process.communicate()
    run = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    seconds = time.perf_counter() - start
    floor = decode_floor(sorted(p for p in pages.iterdir() if p.name != "truth.csv"), args.workers)
    # (not getrusage's ru_maxrss of the children: Linux keeps a forked child's high-water mark
    # across exec, so it reported this benchmark's own memory at the fork as the scan's)
    peak_mb = largest / 2**20
    if run.returncode not in (0, 3):
        sys.exit(f"scan failed ({run.returncode}):\n{run.stderr[-2000:]}")
    truth, results = truth_and_results(pages, out)
    figures = score(truth, results)
    figures.update(
        pages=args.pages, dpi=args.dpi, seconds=round(seconds, 1), pages_per_s=round(args.pages / seconds, 2),
        decode_floor_pages_per_s=round(floor, 1), share_of_floor=round(args.pages / seconds / floor, 3),
        peak_rss_mb_largest_process=round(peak_mb), peak_rss_mb_all_processes=round(tree_peak / 2**20), workers=args.workers,
        machine=f"{platform.machine()}, {os.cpu_count()} cores", exit_code=run.returncode,
    )
    for key, (op, target) in TARGETS.items():
        value = figures[key]
        ok = value >= target if op == ">=" else value <= target
        print(f"{key:16} {value:8.4f}  target {op} {target}  {'ok' if ok else 'BELOW TARGET'}")
    print(f"{'speed':16} {figures['pages_per_s']:8.2f} pages/s over {args.pages} pages at {args.dpi} dpi, {seconds:.1f} s with start-up")
    print(f"{'share of floor':16} {figures['share_of_floor']:8.3f}  target >= 0.25 (OpenCV only decoding the same pages on "
          f"{args.workers} processes: {floor:.1f} pages/s, same run)")
    print(f"{'peak memory':16} {figures['peak_rss_mb_all_processes']:8d} MB (scan and workers together; largest single process {figures['peak_rss_mb_largest_process']} MB)")
    print()
    print_breakdown(f"{'usual' if args.maker == 'formgen' else 'other maker'} pages, {'/'.join(map(str, args.dpi))} dpi", breakdown(truth, results, file_dpi))
    if args.variant_pages:
        truth, results, dpi = family(args, folder / "variants", args.variant_pages, variants=True)
        v = figures["variants"] = score(truth, results)
        figures["variants_parts"] = parts = breakdown(truth, results, dpi)
        kinds = ", ".join(f"{k.removeprefix('box_recall_')} {v[k]:.1%}" for k in v if k.startswith("box_recall_"))
        print(f"\n{'variants family':16} {args.variant_pages} pages, boxes drawn other ways: box recall {v['box_recall']:.2%} ({kinds}), "
              f"precision {v['box_precision']:.2%}, digits {v['digit_accuracy']:.2%}, fields exact {v['fields_exact']:.1%}, "
              f"flagged {v['flagged']:.1%}, accepted wrong {v['accepted_error']:.2%}")
        print_breakdown("variant pages", parts)
    if args.letter_pages:
        truth, results, dpi = family(args, folder / "letters", args.letter_pages, letters=True)
        lf, digit_rows = score_letters(pd.read_csv(folder / "letters" / "letters.csv", dtype={"digit": "string"}), results)
        figures["letters"] = {**lf, **score(truth, digit_rows)}
        print(f"\n{'letters family':16} {lf['letters_written']} capital letters written in boxes on {args.letter_pages} pages: "
              f"{lf['letters_flagged']:.1%} flagged or left blank (target >= 90%; {lf['letters_not_a_digit']:.1%} as 'not a digit'), "
              f"{lf['letters_accepted_as_digits']:.1%} accepted as digits")
        print_breakdown("letter pages, digit fields", breakdown(truth, digit_rows, dpi))
    if args.dropout_pages:
        d = figures["dropout"] = score_unboxed(*family(args, folder / "dropout", args.dropout_pages, dropout=True)[:2])
        print(f"{'dropout family':16} {d['digits_written']} digits on {args.dropout_pages} pages whose box lines vanished: "
              f"{d['found']:.1%} found, {d['read_right']:.1%} read right, {d['flagged']:.1%} flagged")
    if args.other_pages:
        dpi = write_other_pages(load_mnist(args.data), folder / "other", args.other_pages, args.seed + 2, FAMILY_DPI)
        truth, results = scanned(folder / "other", args.workers)
        o = figures["other_maker"] = score(truth, results)
        figures["other_maker_parts"] = parts = breakdown(truth, results, dpi)
        print_summary("other page maker", args.other_pages, o)
        print_breakdown("other maker's pages", parts)
    if args.third_pages:
        dpi = write_third_pages(load_mnist(args.data), folder / "third", args.third_pages, args.seed + 3, FAMILY_DPI)
        truth, results = scanned(folder / "third", args.workers)
        o = figures["third_maker"] = score(truth, results)
        figures["third_maker_parts"] = parts = (scored_by(truth, results, {name: style_of(name) for name in dpi})
                                                + scored_by(truth, results, dpi_labels(dpi)))
        print_summary("third page maker", args.third_pages, o)
        print_breakdown("third maker's pages", parts)
    if args.fax_pages:
        dpi = write_other_pages(load_mnist(args.data), folder / "fax", args.fax_pages, args.seed + 4, FAMILY_DPI)
        how = made_bitonal(folder / "fax")
        truth, results = scanned(folder / "fax", args.workers)
        o = figures["fax"] = score(truth, results)
        figures["fax_parts"] = parts = scored_by(truth, results, how) + scored_by(truth, results, dpi_labels({f"{Path(n).stem}.tif": d for n, d in dpi.items()}))
        print_summary("1-bit (fax)", args.fax_pages, o)
        print_breakdown("1-bit pages", parts)
    if args.turned_pages:
        write_other_pages(load_mnist(args.data), folder / "turned", args.turned_pages, args.seed + 5, FAMILY_DPI)
        upright = figures["turned_upright"] = score(*scanned(folder / "turned", args.workers))
        how = made_turned(folder / "turned")
        truth, results = scanned(folder / "turned", args.workers)
        o = figures["turned"] = score(truth, results)
        figures["turned_parts"] = parts = scored_by(truth, results, how)
        print_summary("turned pages", args.turned_pages, o)
        print(f"{'':16} the same pages upright: box recall {upright['box_recall']:.2%}, digits {upright['digit_accuracy']:.2%}, "
              f"fields exact {upright['fields_exact']:.1%}, flagged {upright['flagged']:.1%}, accepted wrong {upright['accepted_error']:.2%}")
        print_breakdown("turned pages", parts)
    if args.lid_pages:
        write_other_pages(load_mnist(args.data), folder / "lid", args.lid_pages, args.seed + 6, FAMILY_DPI)
        scored_by_how(figures, "lid", "on a dark lid", folder / "lid", made_on_lid(folder / "lid", args.seed + 6), args.workers)
    if args.lit_pages:
        write_third_pages(load_mnist(args.data), folder / "lit", args.lit_pages, args.seed + 7, FAMILY_DPI)
        scored_by_how(figures, "lit", "lit unevenly", folder / "lit", made_lit(folder / "lit", args.seed + 7), args.workers)
    if args.pale_pages:
        write_family_pages(args.data, folder / "pale", args.pale_pages, args.seed + 8)
        scored_by_how(figures, "pale", "scanned too light", folder / "pale", made_pale(folder / "pale"), args.workers)
    if args.slant_pages:
        write_other_pages(load_mnist(args.data), folder / "slant", args.slant_pages, args.seed + 9, FAMILY_DPI)
        scored_by_how(figures, "slant", "at a slant", folder / "slant", made_slanted(folder / "slant"), args.workers)
    print(json.dumps(figures))


def scored_by_how(figures: dict, key: str, name: str, folder: Path, how: dict[str, str], workers: int) -> None:
    """A family's pages scanned and scored, in all and by how each page was made."""
    truth, results = scanned(folder, workers)
    o = figures[key] = score(truth, results)
    figures[f"{key}_parts"] = parts = scored_by(truth, results, how)
    print_summary(name, len(how), o)
    print_breakdown(f"pages {name}", parts)


def remade(folder: Path, make, suffix: str, **save) -> dict[str, str]:
    """Each page in `folder` (and its truth.csv) made anew, in the order of their names:
    make(k, gray) -> (the new PIL image, how it was made, the 2x3 affine or 3x3 perspective
    matrix from the old page's pixels to the new one's); saved as name + suffix (with Pillow's `save` options
    and the page's dpi) in place of the old file. Returns how each file was made, by its name."""
    from PIL import Image

    truth = pd.read_csv(folder / "truth.csv", dtype={"digit": "string"})
    how, moved = {}, []
    for k, name in enumerate(sorted(truth.file.unique())):
        with Image.open(folder / name) as image:
            dpi, gray = image.info.get("dpi", (200, 200)), np.asarray(image.convert("L"))
        page, made, to_new = make(k, gray)
        out = f"{Path(name).stem}{suffix}"
        (folder / name).unlink()
        page.save(folder / out, dpi=dpi, **save)
        rows = truth[truth.file == name].copy()
        rows[["x", "y", "width", "height"]] = [rect_made_anew(to_new, Rect(*r)) for r in rows[["x", "y", "width", "height"]].to_numpy()]
        rows["file"], how[out] = out, made
        moved.append(rows)
    pd.concat(moved).to_csv(folder / "truth.csv", index=False)
    return how


def rect_made_anew(to_new: np.ndarray, rect: Rect) -> tuple[int, int, int, int]:
    """The bounding (x, y, w, h) of `rect` moved by a 2x3 affine or a 3x3 perspective matrix."""
    if to_new.shape == (2, 3):
        return rect_moved(to_new, rect)
    corners = np.float32([[[rect.x, rect.y], [rect.x + rect.w, rect.y], [rect.x, rect.y + rect.h], [rect.x + rect.w, rect.y + rect.h]]])
    x, y, w, h = cv2.boundingRect(cv2.perspectiveTransform(corners, to_new)[0])
    return x, y, w, h


SAME_PIXELS = np.array([[1.0, 0, 0], [0, 1, 0]])


def made_bitonal(folder: Path) -> dict[str, str]:
    """Each page in `folder` made a 1-bit group 4 TIFF, in turn dithered as Pillow's
    convert("1") does (Floyd-Steinberg: grey paper becomes scattered dots) and cut at
    Otsu's level (light lines may vanish)."""
    from PIL import Image

    def make(k, gray):
        if k % 2:
            return Image.fromarray(cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]).convert("1"), "Otsu's level", SAME_PIXELS
        return Image.fromarray(gray).convert("1"), "dithered", SAME_PIXELS

    return remade(folder, make, ".tif", compression="group4")


LIES = {1: "on its side, top to the right", 2: "upside down", 3: "on its side, top to the left"}


def made_turned(folder: Path) -> dict[str, str]:
    """Each page in `folder` turned clockwise by one, two and three quarters in turn (PNG)."""
    from PIL import Image

    def make(k, gray):
        quarters = k % 3 + 1
        return Image.fromarray(np.rot90(gray, -quarters)), LIES[quarters], quarter_turn(gray.shape, -quarters)

    return remade(folder, make, "-turned.png")


LIDS = {12: "black lid", 60: "dark grey lid", 105: "mid grey lid"}


def made_on_lid(folder: Path, seed: int) -> dict[str, str]:
    """Each page in `folder` put on a dark lid, as a sheet smaller than the scanner's glass
    lies: the lids of LIDS in turn, a little noisy, margins of 1-12% of the sheet on each
    side (every fourth sheet touches the top edge), a shadow along its lower and right
    edges (PNG)."""
    from PIL import Image

    rng = np.random.default_rng(seed)

    def make(k, gray):
        shade, lid_name = list(LIDS.items())[k % len(LIDS)]
        h, w = gray.shape
        top, bottom, left, right = (rng.uniform(0.01, 0.12, 4) * min(h, w)).astype(int)
        top *= k % 4 != 3
        lid = np.clip(rng.normal(shade, 6, (top + h + bottom, left + w + right)), 0, 255).astype(np.uint8)
        shadow = max(2, min(h, w) // 300)
        lid[top + shadow:top + h + shadow, left + shadow:left + w + shadow] //= 2
        lid[top:top + h, left:left + w] = gray
        return Image.fromarray(lid), lid_name, np.array([[1.0, 0, left], [0, 1, top]])

    return remade(folder, make, "-lid.png")


def made_lit(folder: Path, seed: int) -> dict[str, str]:
    """Each page in `folder` lit unevenly, as a lamp, a lid left open or a phone lights a
    page, in turn (each of the third maker's designs three ways): light falling to 0.6
    across it, a vignette to 0.6 in its corners, a shadow along one side to 0.6, a hotspot
    falling off 40% to the far corner (PNG)."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    ways = ["falling off across", "vignette", "shadow along a side", "hotspot"]

    def make(k, gray):
        h, w = gray.shape
        y, x = np.mgrid[0:h, 0:w].astype(np.float32) / np.float32([[[h]], [[w]]])
        way = ways[(k + k // len(ways)) % len(ways)]  # (the third maker's designs also go in fours)
        if way == "falling off across":
            light = 1 - 0.4 * (x if k % 2 else y)
        elif way == "vignette":
            light = 1 - 0.4 * ((2 * x - 1) ** 2 + (2 * y - 1) ** 2) / 2
        elif way == "shadow along a side":
            edge = rng.uniform(0.25, 0.4)
            light = 1 - 0.4 * np.clip((edge - x) / edge, 0, 1) ** 1.5
        else:
            cx, cy = rng.uniform(0.3, 0.7, 2)
            far = np.hypot(x - cx, y - cy)
            light = 1 - 0.4 * far / far.max()
        return Image.fromarray(np.clip(gray.astype(np.float32) * light, 0, 255).astype(np.uint8)), way, SAME_PIXELS

    return remade(folder, make, "-lit.png")


PALE = {  # how: (the darkest ink's grey, the paper's grey, the light falling off across the page to)
    "light, ink at 150": (150, 255, 1.0),
    "faded, ink at 180": (180, 255, 1.0),
    "light on grey paper, ink at 140 on 220": (140, 220, 1.0),
    "light and lit unevenly, falling to 0.65": (150, 255, 0.65),
}


def made_pale(folder: Path) -> dict[str, str]:
    """Each page in `folder` scanned too light (a scanner set too bright, a faded copy),
    the ways of PALE in turn: its greys squeezed between the darkest ink's and the paper's (PNG)."""
    from PIL import Image

    def make(k, gray):
        way = list(PALE)[k % len(PALE)]
        ink, paper, fall = PALE[way]
        light = np.linspace(1.0, fall, gray.shape[1], dtype=np.float32)[None, :]
        pale = (ink + gray.astype(np.float32) * ((paper - ink) / 255)) * light
        return Image.fromarray(np.clip(pale, 0, 255).astype(np.uint8)), way, SAME_PIXELS

    return remade(folder, make, "-pale.png")


SLANTS = ["rows converging to the right", "rows converging to the left", "columns converging upward", "columns converging downward"]


def made_slanted(folder: Path) -> dict[str, str]:
    """Each page in `folder` as a phone held at a slant photographs it, the ways of SLANTS in
    turn: one edge 3% of the page's width shorter at each end (a keystone; its rows, or its
    columns, 1.7 degrees aslant at the page's edges, the other way at the far one) (PNG)."""
    from PIL import Image

    def make(k, gray):
        h, w = gray.shape
        d = np.float32(0.03 * w)
        way = SLANTS[k % len(SLANTS)]
        to = {SLANTS[0]: [[0, 0], [w, d], [w, h - d], [0, h]], SLANTS[1]: [[0, d], [w, 0], [w, h], [0, h - d]],
              SLANTS[2]: [[d, 0], [w - d, 0], [w, h], [0, h]], SLANTS[3]: [[0, 0], [w, 0], [w - d, h], [d, h]]}[way]
        slant = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), np.float32(to))
        return Image.fromarray(cv2.warpPerspective(gray, slant, (w, h), borderValue=255, flags=cv2.INTER_LINEAR)), way, slant

    return remade(folder, make, "-slant.png")


FAMILY_DPI = (150, 200, 300)


def family(args, folder: Path, pages: int, **kind) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Pages of one family (seed + 1, PNG, at 150, 200 and 300 dpi in turn) scanned:
    (truth, results, each file's dpi)."""
    dpi = write_family_pages(args.data, folder, pages, args.seed + 1, **kind)
    return *scanned(folder, args.workers), dpi


def write_family_pages(data, folder: Path, pages: int, seed: int, **kind) -> dict[str, int]:
    """formgen's pages of one family (PNG, at FAMILY_DPI in turn) written: each file's dpi."""
    specs = [(f"page-{k:03d}.png", [(FAMILY_DPI[k % len(FAMILY_DPI)], False)]) for k in range(pages)]
    write_form_pages(load_mnist(data), folder, specs, seed, **kind)
    return {name: each[0][0] for name, each in specs}


def scanned(folder: Path, workers: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pages in `folder` scanned (no report): (truth, results)."""
    out = folder / "results.csv"
    subprocess.run(scan_command(folder, out, workers, "--no-report"), capture_output=True, check=False)
    return truth_and_results(folder, out)


def print_summary(name: str, pages: int, o: dict) -> None:
    """One line of a page family's figures."""
    print(f"\n{name:16} {pages} pages: box recall {o['box_recall']:.2%}, precision {o['box_precision']:.2%}, "
          f"digits {o['digit_accuracy']:.2%}, blanks {o['blanks_right']:.2%}, fields exact {o['fields_exact']:.1%}, "
          f"flagged {o['flagged']:.1%}, accepted wrong {o['accepted_error']:.2%}")


def print_breakdown(name: str, parts: list[dict]) -> None:
    """One markdown table row per part (dpi, field kind); '-' where a figure has no meaning."""
    columns = [("box_recall", "box recall"), ("box_precision", "precision"), ("digit_accuracy", "digits right"),
               ("fields_exact", "fields exact"), ("flagged", "flagged"), ("accepted_error", "accepted wrong")]
    print(f"| {name} | boxes | " + " | ".join(title for _, title in columns) + " |")
    print("| --- " * (len(columns) + 2) + "|")
    for part in parts:
        cells = [f"{part[key]:.1%}" if key in part else "-" for key, _ in columns]
        print(f"| {part['part']} | {part['truth_boxes']} | " + " | ".join(cells) + " |")


def scan_command(pages: Path, out: Path, workers: int, *more: str) -> list[str]:
    return [str(ROOT / ".venv" / "bin" / "formreader"), "scan", str(pages), "--out", str(out), "--workers", str(workers), "--quiet", *more]


def truth_and_results(pages: Path, out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pages' truth.csv and the scan's results.csv, files named alike (by their names)."""
    results = pd.read_csv(out, dtype={"digit": "string"})
    results["file"] = results.file.map(lambda f: Path(f).name)
    return pd.read_csv(pages / "truth.csv", dtype={"digit": "string"}), results


if __name__ == "__main__":
    main()
