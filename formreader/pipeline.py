"""The scan: files -> pages -> layout -> digit images -> batches -> CSV rows.

Worker processes read and cut pages (OpenCV, no model); the main process
loads the model once, classifies the digits of many pages in one batch, and
writes the rows in input order, flushing page by page. At most a few files
are in flight at once, so memory stays flat however many pages there are.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections import deque
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

import cv2
import numpy as np

from .digits import BAR_ON_LINE, BOX_SIDES, FieldCut
from .errors import InputFileError
from .layout import estimate_dpi
from .orientation import upright_fields
from .pages import SCAN_SUFFIXES, find_inputs, read_pages
from .recognizer import AMONG_LETTERS, COUNT, LOW_CONFIDENCE, NOT_DIGIT, OUTSIDE_BOXES, PIECE, SPLIT, Reads, Recognizer, string_reads_rows
from .strings import StringReader, string_model_path
from .review import field_view


@dataclass
class PageCut:
    file: str
    page: int
    fields: list[FieldCut]
    turns: int = 0  # quarter turns (anticlockwise) that set the page upright (orientation.py)


@dataclass
class FileCut:
    file: str
    pages: list[PageCut] = field(default_factory=list)
    error: str | None = None  # the file could not be read (pages read before stay)


@dataclass
class ScanOptions:
    workers: int = os.cpu_count() or 1
    batch_size: int = 1024
    review_below: float | None = None  # None: the threshold stored with the model
    views: bool = False  # cut a picture of each field for the review report
    dask: str | None = None  # a Dask scheduler's address, or "local"; None: this machine only


@dataclass
class ScanSummary:
    files: int = 0
    pages: int = 0
    boxes: int = 0
    digits: int = 0
    flagged: int = 0
    failed_files: int = 0
    pages_without_boxes: int = 0
    free_digits: int = 0  # read outside any box (free handwriting), all flagged
    turned_pages: int = 0  # read turned (fed upside down or sideways)
    review_below: float = 0.0


def cut_file(path: str, views: bool = False) -> FileCut:
    """Worker: every page of one file, laid out and cut the way up its digits read; with `views`, a picture of
    each field for the review report. Never raises for bad input."""
    out = FileCut(path)
    try:
        for page in read_pages(Path(path)):
            dpi = estimate_dpi(page.image, page.dpi)
            fields, turns = upright_fields(page.image, dpi)
            if views:
                for f in fields:
                    f.view = field_view(page.image, f.rect, turns)
            out.pages.append(PageCut(path, page.number, fields, turns))
    except InputFileError as exc:
        out.error = str(exc)
    except Exception as exc:  # a fault of ours on one page must not end the whole run
        out.error = f"{path}: page {len(out.pages) + 1} could not be processed ({type(exc).__name__}: {exc}); please report it"
    return out


def _init_worker() -> None:
    cv2.setNumThreads(1)  # one page per process: threads inside would only compete
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    keep_freed_memory()


def keep_freed_memory() -> None:
    """Let glibc's malloc reuse freed page-sized arrays instead of returning them to the
    system: every page allocates dozens of them (masks, crops), and each one mapped
    afresh cost page faults, a tenth of the cutting's time. Elsewhere (no glibc) nothing."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 256 << 20)  # M_MMAP_THRESHOLD: blocks under 256 MB come from the heap
        libc.mallopt(-1, 512 << 20)  # M_TRIM_THRESHOLD: and the heap is not trimmed after each page
    except (OSError, AttributeError):
        pass


def cut_files(files: list[str], workers: int, views: bool = False) -> Iterator[FileCut]:
    """FileCuts in input order; with workers > 1, cut in that many processes."""
    cut = partial(cut_file, views=views)
    if workers <= 1:
        keep_freed_memory()
        yield from map(cut, files)
        return
    # spawn: the parent holds the model's threads, which a fork would copy half-way
    with multiprocessing.get_context("spawn").Pool(workers, initializer=_init_worker) as pool:
        # enough files in flight that workers keep cutting while the model reads a batch
        yield from in_order(lambda f: pool.apply_async(cut, (f,)), files, 2 * workers + 32, lambda job: job.get())


def in_order(submit: Callable, items: Iterable, window: int, collect: Callable) -> Iterator:
    """collect(submit(item)) for each item, in input order, with at most `window` items
    submitted and not yet collected (bounded memory). Like pool.imap, for any executor."""
    todo = iter(items)
    pending = deque(submit(item) for item in islice(todo, window))
    while pending:
        result = collect(pending.popleft())
        nxt = next(todo, None)
        if nxt is not None:
            pending.append(submit(nxt))
        yield result


def digit_images(cut: FileCut) -> list[np.ndarray]:
    """The file's 28x28 digit images in row order (blank boxes have none)."""
    return [b.image for p in cut.pages for f in p.fields for b in f.boxes if b.image is not None]


def batches(cuts: Iterable[FileCut], batch_size: int) -> Iterator[list[FileCut]]:
    """Groups of whole files holding at least `batch_size` digits (the last may hold fewer)."""
    group, digits = [], 0
    for cut in cuts:
        group.append(cut)
        digits += len(digit_images(cut))
        if digits >= batch_size:
            yield group
            group, digits = [], 0
    if group:
        yield group


def scan_inputs(inputs: Iterable[str | Path], done: set[str] = frozenset()) -> tuple[list[str], int]:
    """The files to scan, in order, and how many were left out as already done."""
    files = [str(p) for p in find_inputs(inputs, SCAN_SUFFIXES)]
    todo = [f for f in files if f not in done]
    return todo, len(files) - len(todo)


def local_batches(files: list[str], model: Path, options: ScanOptions) -> Iterator[tuple[list[FileCut], Reads, float]]:
    """(cuts, reads, threshold) for groups of files: cut in worker processes, read here.

    The model is loaded once, when the first pages are cut, so that the workers
    cut pages while it loads."""
    recognizer = None
    for group in batches(cut_files(files, options.workers, options.views), options.batch_size):
        if recognizer is None:
            recognizer = Recognizer.load(model, string_model_path())
        yield group, *read_digits(recognizer, group, options.review_below, options.batch_size)


def read_digits(recognizer: Recognizer, cuts: list[FileCut], review_below: float | None, batch_size: int) -> tuple[Reads, float]:
    """All the digits of `cuts` read in one go, in row order; and the review threshold used
    (`review_below`, or the model's own when None). The other ways to cut digit strings
    are read in the same batch, and the cuts are settled (see choose_cuts)."""
    threshold = recognizer.review_below if review_below is None else review_below
    images = [image for cut in cuts for image in digit_images(cut)]
    images += [b.image for f in _fields(cuts) for _, _, boxes in f.options for b in boxes]
    reads = recognizer.read(np.stack(images) if images else np.zeros((0, 28, 28), np.uint8), threshold, batch_size)
    rows = choose_cuts(cuts, reads.confidence)
    if recognizer.strings is not None:
        reads, rows, cut_anew = read_strings(recognizer.strings, list(_fields(cuts)), reads, rows, review_below)
        confirm_strings(recognizer, reads, cut_anew, threshold, batch_size)
    for f in _fields(cuts):
        f.string = None  # read: the rows need it no more
    return settle_free(cuts, reads.take(rows)), threshold


FREE_DIGIT_SHARE = 0.75  # a row of free marks is digits when this share of them reads as digits
# and their median confidence is at least this. Rows of printed text and handwritten words
# read 0.0000 (median, to four places) on every family page of seeds 950-1010, and at most
# 0.0018 on the real HSF pages' paragraph; rows of digits that the string reader read (it
# gives each digit the string's confidence, lower the longer the string) as low as 0.137.
# At 0.2 two such rows were lost without a word
FREE_CONFIDENCE = 0.02
WORDS_SHARE = 0.5  # a string box is words when this share of what it holds reads as no digit
LONE_STRING = 0.5  # a lone box is a string when the string reader reads two digits or more in it this surely


def settle_free(cuts: list[FileCut], reads: Reads) -> Reads:
    """Free handwriting (layout/free.py) that reads as digits stays, every digit flagged
    for review (no box vouches for it); a row that reads as something else, or as digits
    only unsurely (words, a printed title), is dropped, with its rows of `reads`. So is a
    string box (or underline) that holds words, half its marks or more no digit: a
    printed title in a frame, a name written in a box (words raise nothing; a number
    with a mark or two that is no digit stays, flagged). A string field whose ink holds
    box sides (a row of boxes the layout missed: its sides read as sure 1s to both
    readers) or a mark no digit took (FieldCut.doubt) has every digit flagged; a box
    whose own cut doubts it (BoxCut.doubt: a faint mark; a stroke on its top line, where
    read as a 1: a 7 whose bar went with the line) has its digit flagged. Boxes
    (a row, a comb) half of whose written marks, two at least, read as no digit hold a
    word: its O read as a sure 0, its I as a 1, are flagged with the rest."""
    keep, at = [], 0
    for cut in cuts:
        for page in cut.pages:
            fields = []
            for f in page.fields:
                rows = list(range(at, at + f.digits))
                at += len(rows)
                as_digits = [k for k in rows if reads.reason[k] != NOT_DIGIT]
                if f.kind in ("string", "underline") and len(rows) > 1 and len(as_digits) <= (1 - WORDS_SHARE) * len(rows):
                    continue
                if f.kind == "free":
                    if len(as_digits) < max(1, FREE_DIGIT_SHARE * len(rows)) or np.median(reads.confidence[rows]) < FREE_CONFIDENCE:
                        continue
                    flag(reads, rows, OUTSIDE_BOXES)
                elif len(rows) - len(as_digits) >= max(2, WORDS_SHARE * len(rows)):
                    flag(reads, rows, AMONG_LETTERS)
                if f.doubt:
                    flag(reads, rows, f.doubt)
                for k, box in zip(rows, [b for b in f.boxes if b.image is not None]):
                    if box.doubt and (box.doubt != BAR_ON_LINE or reads.digit[k] == 1):
                        flag(reads, [k], box.doubt)
                fields.append(f)
                keep += rows
            page.fields = fields
    return reads if len(keep) == at else reads.take(keep)


def flag(reads: Reads, rows: list[int], reason: str) -> None:
    """The rows flagged for review, for `reason` where they have none yet."""
    reads.needs_review[rows] = True
    for k in rows:
        reads.reason[k] = reads.reason[k] or reason


def read_strings(reader: StringReader, fields: list[FieldCut], reads: Reads, rows: list[int], review_below: float | None):
    """Read every field that holds a string with the string reader too, in one batch, and
    settle each field between the two readings:
    - the digits cut from the string and the string reader agree: the cut reading stands
      (two readers agreeing; the digit model's calibrated confidences), and a digit only
      the digit model doubts is accepted where the string reader is sure of it (its
      confidence at its own threshold or above, as it would be accepted alone);
    - as many digits, others among them: the string reader's digits in the cut boxes,
      those where the readers differ flagged;
    - another count of digits (a thin 1 lost, a digit cut in two, touching digits): the
      string reader's symbols, in boxes cut where it read them, where it is surer of its
      string than the digit model of the cut's digits together; but where it is unsure
      and read the cut's digits bar one the digit model is sure of, the cut's digits, all
      flagged (sure_digit_dropped);
    - a lone box becomes a string field when the reader finds two digits or more in it,
      at least LONE_STRING surely or surer of them than the digit model is of one.
    Where the cut boxes stand, a 1 far shorter than the string's other digits is flagged
    (short_ones), and so are two 1s in one digit's room (split_ones); a string with 1s far
    taller than its digits (tall_ones) has every digit flagged. Returns the reads with the new rows appended, the row order updated, and the rows (and
    digit images) of the strings cut where the string reader read them (confirm_strings)."""
    threshold = reader.review_below if review_below is None else review_below
    counts = [f.digits for f in fields]
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(int)
    per_field = [rows[starts[k] : starts[k + 1]] for k in range(len(fields))]
    wanted = [k for k, f in enumerate(fields) if f.string is not None]
    # a field whose digits the digit model read surely is read as written first: where the
    # string reader reads the same, the two agree and its other views are not needed
    sure = [tuple(reads.digit[per_field[k]]) if per_field[k] and not any(reads.reason[i] for i in per_field[k]) else None for k in wanted]
    string_reads = reader.read([fields[k].string.strip.image for k in wanted], expected=sure)
    added: list[Reads] = []
    cut_anew: list[tuple[list[int], list[np.ndarray]]] = []
    recut = set()  # the fields whose boxes the string reader placed
    at = len(reads.confidence)
    for k, read in zip(wanted, string_reads):
        f, cut = fields[k], per_field[k]
        if not read.digits:
            continue  # the reader saw nothing: the cut digits stand
        lone = f.kind == "boxes"
        if lone:  # the digit model reads a two-digit box as one digit, at times surely (HSF's 14 as 4 at 0.9995)
            if read.not_digit.count(False) < 2 or (read.confidence < LONE_STRING and read.confidence <= max(reads.confidence[cut], default=0)):
                continue
            f.kind = "string"
        new = string_reads_rows(read, threshold)
        if len(cut) == len(read.digits) and not any(read.not_digit):  # the cut boxes hold its digits
            differ = reads.digit[cut] != new.digit
            if not differ.any():
                # the readers agree: a digit only the digit model doubts, the string reader is sure of
                for i, sure in zip(cut, new.confidence):
                    if sure >= threshold and reads.reason[i] == LOW_CONFIDENCE:
                        reads.confidence[i], reads.needs_review[i], reads.reason[i] = sure, False, ""
                continue
            flag(new, np.flatnonzero(differ), LOW_CONFIDENCE)
        elif not lone and read.confidence <= float(np.prod(reads.confidence[cut])):
            continue  # the cut reading is the surer one
        elif not lone and read.confidence < threshold and not any(read.not_digit) and sure_digit_dropped(reads, cut, read.digits):
            flag(reads, cut, COUNT)  # the cut digits stand, but the readers differ on the count
            continue
        else:
            f.boxes = f.string.boxes(read)
            recut.add(k)
            if not any(read.not_digit):
                cut_anew.append((list(range(at, at + len(read.digits))), [b.image for b in f.boxes]))
        added.append(new)
        per_field[k] = list(range(at, at + len(read.digits)))
        at += len(read.digits)
    reads = Reads.concat([reads, *added])
    for k in (k for k in wanted if k not in recut):  # the fields whose cut boxes stand
        rows = per_field[k]
        rects = [b.rect for b in fields[k].boxes if b.image is not None]
        flag(reads, [rows[i] for i in short_ones(reads.digit[rows], rects)], PIECE)
        flag(reads, [rows[i] for i in split_ones(reads.digit[rows], rects)], SPLIT)
        if tall_ones(reads.digit[rows], rects):
            flag(reads, rows, BOX_SIDES)
    return reads, [k for field_rows in per_field for k in field_rows], cut_anew


def sure_digit_dropped(reads: Reads, cut: list[int], digits: list[int]) -> bool:
    """Whether the string reader's `digits` are the cut's with one digit left out that the
    digit model read surely (unflagged): the string reader passing over a digit standing
    apart (a thin 1 a wide gap before the rest of a string: turned 1475 p10, 135328011 read
    35328011), where the cut had each digit right. Not where a cut piece read as no digit
    (the dot of a 1 drawn as a stroke and a dot, bench seed 7 p103)."""
    if len(cut) != len(digits) + 1 or NOT_DIGIT in [reads.reason[i] for i in cut]:
        return False  # a mark the digit model took for none: a digit's piece the string reader may have been right to join
    cut_digits = reads.digit[cut].tolist()
    return any(not reads.needs_review[cut[i]] and cut_digits[:i] + cut_digits[i + 1 :] == list(digits) for i in range(len(cut)))


SHORT_ONE = 0.55  # a 1 shorter than this share of its string's other digits is a piece of one


def short_ones(digits: np.ndarray, rects: list[tuple[int, int, int, int]]) -> list[int]:
    """Where among a string's cut digits (three or more) a 1 is under SHORT_ONE as long as
    the string's median digit: a piece of a digit cut off (the tail of a 4 written in two
    strokes, read as a sure 1 by both readers). On every generated page of seeds 720-900
    the three such 1s were all pieces; a real 1 is as tall as its neighbours. The longer
    side of each box, not its height: a page read on its side holds its boxes turned."""
    if len(rects) < 3:
        return []
    longer, median = _lengths(rects)
    return [i for i, d in enumerate(digits) if d == 1 and longer[i] < SHORT_ONE * median]


def _lengths(rects: list[tuple[int, int, int, int]]) -> tuple[np.ndarray, float]:
    """Each box's longer side, and their median (short_ones, tall_ones)."""
    longer = np.array([max(w, h) for _, _, w, h in rects], np.float32)
    return longer, float(np.median(longer))


def split_ones(digits: np.ndarray, rects: list[tuple[int, int, int, int]]) -> list[int]:
    """Where among a string's cut digits (three or more) two 1s side by side together are
    no wider along the string than its median digit: one digit cut in two (a 4 with an
    open top drawn thin, its two uprights read as 1s, the second at 0.997, accepted; a 1
    drawn in two strokes, read as two). Over the kept pages every such pair held a wrong
    digit. Two 1s written as two digits stand a digit's pitch apart."""
    if len(rects) < 3:
        return []
    r = np.array(rects, np.float32)
    centres = r[:, :2] + r[:, 2:] / 2
    axis = int(np.ptp(centres[:, 1]) > np.ptp(centres[:, 0]))  # along the string (a page read on its side: y)
    lo, hi = r[:, axis], r[:, axis] + r[:, axis + 2]
    typical = float(np.median(r[:, axis + 2]))
    out: list[int] = []
    for i in range(len(rects) - 1):
        j = i + 1
        if digits[i] == 1 and digits[j] == 1 and max(hi[i], hi[j]) - min(lo[i], lo[j]) <= typical:
            out += [k for k in (i, j) if k not in out]
    return out


TALL_ONE = 1.8  # a 1 this many times as long as its string's median digit is a line, not a digit


def tall_ones(digits: np.ndarray, rects: list[tuple[int, int, int, int]]) -> bool:
    """Whether among a string's cut digits (four or more) a 1 is TALL_ONE times as long as
    its median digit or more: an upright line from the field's top line to its bottom, the
    digits beside it far smaller. A printed table's last row taken as one string box (its
    other lines, turned in perspective, unseen; slant 1039 p2) had its column lines read as
    sure 1s among its printed numbers, 23 digits accepted; a handwritten 1 stands about as
    tall as its neighbours."""
    if len(rects) < 4:
        return False
    longer, median = _lengths(rects)
    return bool(((digits == 1) & (longer >= TALL_ONE * median)).any())


AGREE_FLOOR = 0.9  # a string the string reader doubts more than this is not settled by the digit model


def confirm_strings(recognizer: Recognizer, reads: Reads, cut_anew: list[tuple[list[int], list[np.ndarray]]], threshold: float, batch_size: int) -> None:
    """The strings read by the string reader alone (another count of digits than the cut
    found), their digits cut where it read them: where the digit model reads every one of
    those digits the same and is sure of each (at its threshold or above), and the string
    reader was fairly sure too (AGREE_FLOOR), two readers agree and the digits are
    accepted with the digit model's confidences. A digit either doubts or reads otherwise
    leaves the whole string as the string reader flagged it: the count is its claim."""
    if not cut_anew:
        return
    second = recognizer.read(np.stack([image for _, images in cut_anew for image in images]), threshold, batch_size)
    at = 0
    for rows, images in cut_anew:
        mine = slice(at, at + len(rows))
        at += len(rows)
        if all(reads.reason[k] == LOW_CONFIDENCE for k in rows) and (reads.digit[rows] == second.digit[mine]).all() \
                and (second.confidence[mine] >= threshold).all() and reads.confidence[rows].min() >= AGREE_FLOOR:
            reads.confidence[rows], reads.needs_review[rows] = second.confidence[mine], False
            for k in rows:
                reads.reason[k] = ""


def _fields(cuts: list[FileCut]) -> Iterator[FieldCut]:
    return (f for cut in cuts for p in cut.pages for f in p.fields)


PER_DIGIT = 0.9  # a cut into more digits must read that much more surely per digit: one 9 is no 5 and 2


def choose_cuts(cuts: list[FileCut], confidence: np.ndarray) -> list[int]:
    """Settle each digit string's cut: where another way to cut a stretch reads more surely
    (the product of its digits' confidences, each times PER_DIGIT, is higher), its boxes
    replace the first choice's. `confidence` holds the first choices' digits in row order,
    then every option's. Returns, for each digit now in the rows, its index in `confidence`."""
    surety = lambda ks: float(np.sum(np.log(np.maximum(confidence[[k for k in ks if k is not None]], 1e-9) * PER_DIGIT)))  # noqa: E731
    first = 0
    extra = sum(f.digits for f in _fields(cuts))
    rows = []
    for f in _fields(cuts):
        index = []  # each box's digit in `confidence`; None for a blank box
        for b in f.boxes:
            index.append(first if b.image is not None else None)
            first += b.image is not None
        stretches: dict[tuple[int, int], list] = {}
        for start, stop, option in f.options:
            stretches.setdefault((start, stop), []).append((option, list(range(extra, extra + len(option)))))
            extra += len(option)
        boxes, chosen, at = [], [], 0
        for (start, stop), others in sorted(stretches.items()):
            best = max([(f.boxes[start:stop], index[start:stop]), *others], key=lambda option: surety(option[1]))
            boxes += f.boxes[at:start] + best[0]
            chosen += index[at:start] + best[1]
            at = stop
        f.boxes, f.options = boxes + f.boxes[at:], []
        rows += [k for k in chosen + index[at:] if k is not None]
    return rows


def run_scan(
    files: list[str],
    model: Path,
    writer,
    options: ScanOptions,
    on_page: Callable[[ScanSummary], None] = lambda s: None,
    on_error: Callable[[str], None] = lambda msg: None,
) -> ScanSummary:
    """Scan `files` with the model at `model`, write every row through `writer`; returns the counts.

    On this machine (worker processes cut, this process reads) or, with
    `options.dask`, on a Dask cluster (see cluster.py); the rows are the same."""
    summary = ScanSummary()
    if options.dask:
        from .cluster import cluster_batches, connect

        with connect(options.dask, options.workers) as client:
            _write(cluster_batches(client, files, model, options), writer, summary, on_page, on_error)
    else:
        _write(local_batches(files, model, options), writer, summary, on_page, on_error)
    return summary


def _write(source, writer, summary: ScanSummary, on_page, on_error) -> None:
    for group, reads, threshold in source:
        summary.review_below = threshold
        offset = 0
        for cut in group:
            offset = writer.write_file(cut, reads, offset, summary, on_page, on_error)
