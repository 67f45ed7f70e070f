"""The scan end to end: real pages, the real model, the CSV files, bad input, resume."""

import csv
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from formreader.pipeline import ScanOptions, run_scan, scan_inputs
from formreader.results import FIELD_COLUMNS, RESULT_COLUMNS, ResultWriter
from formreader.samples import write_form_pages
from formreader.scoring import score, score_letters, score_unboxed
from tests.conftest import ROOT
from tests.test_pages import ENCRYPTED_PDF


def scan_cli(*args):
    return subprocess.run([sys.executable, "-m", "formreader.cli", "scan", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def read(path):
    return pd.read_csv(path, dtype={"digit": "string", "value": "string", "page": "string"}, keep_default_na=False)


@pytest.fixture(scope="module")
def fresh_pages(mnist, tmp_path_factory):
    """Pages generated afresh with a seed the code was not tuned on, in every format."""
    folder = tmp_path_factory.mktemp("pages")
    specs = [("a.jpg", [(200, False)]), ("b.pdf", [(150, False)]), ("c.tif", [(300, False), (200, True)]), ("d.png", [(150, False)])]
    write_form_pages(mnist, folder, specs, seed=2024)
    return folder


def test_accuracy_on_fresh_pages(fresh_pages, shipped_model, tmp_path):
    files, _ = scan_inputs([fresh_pages])
    writer = ResultWriter(tmp_path / "results.csv", tmp_path / "fields.csv", tmp_path / "errors.csv")
    summary = run_scan(files, shipped_model, writer, ScanOptions(workers=1))
    writer.close()
    assert summary.pages == 5 and summary.failed_files == 0
    results = read(tmp_path / "results.csv")
    results["file"] = results.file.map(lambda f: f.split("/")[-1])
    figures = score(read(fresh_pages / "truth.csv"), results)
    print(figures)
    # floors that catch a broken stage; the targets are measured by bench/bench_scan.py
    # measured on these five pages (2026-11-21): recall 94.5%, precision 99.2%, digits 93.6%, blanks 100%, accepted wrong 0%
    assert figures["box_recall"] >= 0.9 and figures["box_precision"] >= 0.98
    assert figures["digit_accuracy"] >= 0.88
    assert figures["blanks_right"] >= 0.9  # about 20 blank boxes on these pages
    assert figures["accepted_error"] <= 0.015


def test_a_page_fed_upside_down_reads_as_the_page_upright(fresh_pages, shipped_model, tmp_path):
    """The same page upright and upside down (lossless): the same digits and confidences,
    each box where it lies on its own file, the turned page named on stderr, exit 0."""
    from PIL import Image

    page = Image.open(fresh_pages / "a.jpg")
    page.save(tmp_path / "upright.png")
    page.transpose(Image.ROTATE_180).save(tmp_path / "turned.png")
    upright = scan_cli(tmp_path / "upright.png", "--out", tmp_path / "upright.csv", "--no-report")
    turned = scan_cli(tmp_path / "turned.png", "--out", tmp_path / "turned.csv", "--no-report")
    assert upright.returncode == turned.returncode == 0, turned.stderr
    assert "lies" not in upright.stderr and "turned.png page 1: the page lies upside down" in turned.stderr
    a, b = read(tmp_path / "upright.csv"), read(tmp_path / "turned.csv")
    assert len(a) > 20 and list(a.digit) == list(b.digit) and list(a.confidence) == list(b.confidence)
    width, height = page.size  # a box's far corner upright is its near corner upside down
    assert (b.x - (width - 1 - a.x - a.width)).abs().max() <= 1 and (b.y - (height - 1 - a.y - a.height)).abs().max() <= 1


def test_cli_writes_all_three_files_and_survives_bad_input(shipped_model, tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(ROOT / "samples" / "forms", inputs)
    (inputs / "truth.csv").unlink()
    (inputs / "cut.png").write_bytes((ROOT / "samples" / "digits" / "letter_H.png").read_bytes()[:60])
    (inputs / "letter.jpg").write_text("Dear Sir, this is not a scan.")
    (inputs / "locked.pdf").write_bytes(ENCRYPTED_PDF)
    shutil.copy(ROOT / "samples" / "digits" / "blank.png", inputs / "empty-page.png")
    out = tmp_path / "out" / "results.csv"
    run = scan_cli(inputs, "--out", out, "--workers", 2, "--model", shipped_model)
    assert run.returncode == 3, run.stderr
    assert "Traceback" not in run.stderr
    for name in ("cut.png", "letter.jpg", "locked.pdf", "empty-page.png"):
        lines = [line for line in run.stderr.splitlines() if name in line]
        assert len(lines) == 1 and lines[0].startswith("formreader: "), (name, run.stderr)
    errors = read(out.with_name("errors.csv"))
    assert set(errors.file.map(lambda f: f.split("/")[-1])) == {"cut.png", "letter.jpg", "locked.pdf", "empty-page.png"}
    results, fields = read(out), read(out.with_name("fields.csv"))
    assert list(results.columns) == RESULT_COLUMNS and list(fields.columns) == FIELD_COLUMNS
    assert set(results.file.map(lambda f: f.split("/")[-1])) == {"form-01.jpg", "form-02.pdf", "form-03.tif"}
    assert set(results.page) == {"1", "2"}
    blanks = results[results.digit == ""]
    assert len(blanks) > 0 and (blanks.reason == "blank").all() and (blanks.needs_review == False).all()  # noqa: E712
    flagged = results[results.needs_review == True]  # noqa: E712
    assert (flagged.reason.isin(["low confidence", "not a digit"])).all()
    # fields.csv values are the field's digits in box order, blanks dropped
    for (f, p, n), group in results.groupby(["file", "page", "field"]):
        row = fields[(fields.file == f) & (fields.page == p) & (fields.field == n)]
        assert row.value.item() == "".join(group.sort_values("box").digit)


def test_resume_skips_done_files_and_drops_half_written_ones(shipped_model, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("form-01.jpg", "form-02.pdf"):
        shutil.copy(ROOT / "samples" / "forms" / name, inputs / name)
    out = tmp_path / "results.csv"
    assert scan_cli(inputs / "form-01.jpg", inputs / "form-02.pdf", "--out", out, "--workers", 1, "--model", shipped_model, "--quiet").returncode == 0
    complete = read(out)
    # as if killed while writing form-02.pdf: its rows half there, and not marked done
    done = out.with_name("results.csv.done")
    done.write_text(str(inputs / "form-01.jpg") + "\n")
    with open(out) as handle:
        rows = list(csv.reader(handle))
    keep = [r for r in rows if not r[0].endswith("form-02.pdf")] + [r for r in rows if r[0].endswith("form-02.pdf")][:5]
    with open(out, "w", newline="") as handle:
        csv.writer(handle).writerows(keep)
    run = scan_cli(inputs, "--out", out, "--workers", 1, "--model", shipped_model, "--resume")
    assert run.returncode == 0, run.stderr
    assert "1 already done" in run.stderr
    again = read(out)
    key = ["file", "page", "field", "box"]
    assert not again.duplicated(key).any()
    pd.testing.assert_frame_equal(
        again.sort_values(key).reset_index(drop=True), complete.sort_values(key).reset_index(drop=True)
    )


def test_no_inputs_is_an_error(shipped_model, tmp_path):
    run = scan_cli(tmp_path, "--out", tmp_path / "r.csv", "--model", shipped_model)
    assert run.returncode == 3 and "no input files found" in run.stderr


def test_a_fault_on_one_page_is_reported_and_the_pages_before_kept(monkeypatch):
    """A bug of ours on some page (simulated: the layout fails on page 2) becomes the file's
    one-line error; page 1 stays read, and the run is not ended by a traceback."""
    from formreader import orientation, pipeline

    real = orientation.find_layout
    calls = []

    def failing_on_second(image, dpi):
        calls.append(1)
        if len(calls) == 2:
            raise ValueError("min() arg is an empty sequence")
        return real(image, dpi)

    monkeypatch.setattr(orientation, "find_layout", failing_on_second)
    cut = pipeline.cut_file(str(ROOT / "samples" / "forms" / "form-03.tif"))
    assert len(cut.pages) == 1 and cut.pages[0].fields
    assert cut.error.endswith("page 2 could not be processed (ValueError: min() arg is an empty sequence); please report it")


def test_digits_whose_boxes_vanished_are_read_flagged_and_reported(mnist, shipped_model, tmp_path):
    """A form printed in dropout ink (its box lines gone in the scan) and a page of decoys
    (checkboxes, a table, a signature, printed text): the first page's digits are read as
    free fields, every one flagged, and the page reported; the second gives no field."""
    import numpy as np
    from PIL import Image

    from formreader.formgen import generate_page

    rng = np.random.default_rng(3031)  # a seed the free-handwriting finder was not tuned on
    dropout = generate_page(rng, mnist.x_test, mnist.y_test, 200, dropout=True)
    decoys = generate_page(rng, mnist.x_test, mnist.y_test, 200, decoys_only=True)
    Image.fromarray(dropout.image).save(tmp_path / "dropout.png", dpi=(200, 200))
    Image.fromarray(decoys.image).save(tmp_path / "decoys.png", dpi=(200, 200))
    out = tmp_path / "out" / "results.csv"
    run = scan_cli(tmp_path / "dropout.png", tmp_path / "decoys.png", "--out", out, "--workers", 1, "--model", shipped_model, "--no-report")
    assert run.returncode == 3 and "Traceback" not in run.stderr
    fields, results, errors = read(out.with_name("fields.csv")), read(out), read(out.with_name("errors.csv"))
    assert not fields.file.str.endswith("decoys.png").any()
    assert set(fields.kind) == {"free"}
    assert "outside any box" in errors[errors.file.str.endswith("dropout.png")].error.item()
    read_digits = results[results.digit != ""]
    assert (read_digits.needs_review.astype(str).str.lower() == "true").all() and read_digits.reason.isin(["outside any box", "low confidence", "not a digit"]).all()
    truth = pd.DataFrame([(str(tmp_path / "dropout.png"), 1, b.x, b.y, b.width, b.height, "" if b.digit is None else str(b.digit)) for b in dropout.boxes],
                         columns=["file", "page", "x", "y", "width", "height", "digit"])
    figures = score_unboxed(truth, results)
    # measured on this page (2026-11-22): every digit found, all read right
    assert figures["found"] >= 0.9 and figures["read_right"] >= 0.85


def test_a_row_of_free_digits_the_string_reader_read_unsurely_is_kept(mnist, shipped_model, tmp_path):
    """A dropout form (seed 1001, its fourth page, 150 dpi): a row of nine digits, read by the
    string reader, whose confidence (the string's, given to each digit) was 0.137. Under a
    median of 0.2 a free row was dropped as words, and the nine digits were lost without a
    word; rows of words and printed text read 0.0000."""
    specs = [(f"page-{k:03d}.png", [(dpi, False)]) for k, dpi in enumerate([150, 200, 300, 150])]
    write_form_pages(mnist, tmp_path / "pages", specs, 1001, dropout=True)
    out = tmp_path / "out" / "results.csv"
    run = scan_cli(tmp_path / "pages" / "page-003.png", "--out", out, "--workers", 1, "--model", shipped_model, "--no-report")
    assert run.returncode == 3 and "Traceback" not in run.stderr
    fields = read(out.with_name("fields.csv"))
    row = fields[(fields.y - 1169).abs() < 30]  # the row, written at y 1200-1274
    assert len(row) == 1 and row.kind.item() == "free" and row.needs_review.astype(str).str.lower().item() == "true"
    assert str(row.value.item()).startswith("787579"), row  # truth 787579329


def test_breakdown_scores_each_dpi_apart_and_each_kind_by_its_truth():
    import pandas as pd

    from formreader.scoring import breakdown

    truth = pd.DataFrame({"file": ["a.png", "a.png", "b.png", "b.png"], "page": 1, "field": [1, 1, 1, 2], "box": [1, 2, 1, 1],
                          "kind": ["comb", "comb", "boxes", "string"], "x": [0, 50, 0, 200], "y": 0, "width": 40, "height": 40,
                          "digit": ["1", "2", "3", "4"]})
    results = truth.drop(columns="kind").assign(needs_review="false")
    results.loc[3, "digit"] = "9"  # b.png's string read wrong
    results = pd.concat([results, results.iloc[[0]].assign(x=500, field=9)], ignore_index=True)  # an invented box on a.png
    parts = {p["part"]: p for p in breakdown(truth, results, {"a.png": 150, "b.png": 300})}
    assert parts["150 dpi"]["box_recall"] == 1 and parts["150 dpi"]["box_precision"] == 2 / 3
    assert parts["300 dpi"]["digit_accuracy"] == 0.5 and parts["300 dpi"]["box_precision"] == 1
    assert parts["string"]["digit_accuracy"] == 0 and parts["comb"]["fields_exact"] == 1
    assert "box_precision" not in parts["comb"]


def test_letters_written_in_boxes_are_not_accepted_as_digits(mnist, shipped_model, tmp_path):
    """A page of the letters family (a seed never tuned on): its letter fields' boxes are
    found like any, and the letters in them are flagged, not passed on as digits; its digit
    fields read as usual."""
    write_form_pages(mnist, tmp_path / "pages", [("letters.png", [(200, False)])], seed=4047, letters=True)
    out = tmp_path / "out" / "results.csv"
    run = scan_cli(tmp_path / "pages", "--out", out, "--workers", 1, "--model", shipped_model, "--no-report")
    assert run.returncode == 0, run.stderr
    results = pd.read_csv(out, dtype={"digit": "string"})
    results["file"] = results.file.map(lambda f: f.rsplit("/", 1)[-1])
    letters = pd.read_csv(tmp_path / "pages" / "letters.csv", dtype={"digit": "string"})
    figures, digit_rows = score_letters(letters, results)
    assert figures["letters_written"] >= 6
    assert figures["letters_flagged"] >= 0.85  # measured 0.97 on tuning pages; the target is 0.90 over many pages
    digits = score(pd.read_csv(tmp_path / "pages" / "truth.csv", dtype={"digit": "string"}), digit_rows)
    assert digits["box_recall"] >= 0.95 and digits["digit_accuracy"] >= 0.95


def test_score_letters_counts_a_letter_passed_as_a_digit():
    letters = pd.DataFrame({"file": "a.png", "page": 1, "field": 1, "box": [1, 2, 3], "kind": "letters", "x": [0, 50, 100], "y": 0,
                            "width": 40, "height": 40, "digit": pd.array(["K", "R", pd.NA], dtype="string")})
    results = pd.DataFrame({"file": "a.png", "page": 1, "x": [5, 55, 105, 300], "y": 5, "width": 30, "height": 30,
                            "digit": pd.array(["4", "2", pd.NA, "7"], dtype="string"), "needs_review": ["false", "true", "true", "false"],
                            "reason": ["", "not a digit", "blank", ""]})
    figures, rest = score_letters(letters, results)
    assert figures == {"letters_written": 2, "letters_flagged": 0.5, "letters_not_a_digit": 0.5, "letters_accepted_as_digits": 0.5}
    assert list(rest.x) == [300]  # the blank letter box's row goes too: it is no digit box


def test_printed_titles_in_frames_raise_nothing_and_a_number_in_a_box_is_read(mnist, shipped_model, tmp_path):
    """Printed titles in frames of a digit box's height (thin lines, and double lines that
    run together at the layout's resolution) look like string boxes: what they hold reads
    as marks that are no digits, so they give no field (printed text is never read as
    digits). A handwritten number in a box of the same shape is read."""
    import cv2
    import numpy as np

    page = np.full((3300, 2550), 255, np.uint8)
    for y, title, double in [(500, "SECTION A", False), (900, "APPLICANT DETAILS", True), (1300, "Date of birth", False)]:
        cv2.rectangle(page, (300, y), (1400, y + 130), 0, 4)
        if double:
            cv2.rectangle(page, (307, y + 7), (1393, y + 123), 0, 4)
        cv2.putText(page, title, (340, y + 95), cv2.FONT_HERSHEY_SIMPLEX, 2.2, 0, 5, cv2.LINE_AA)
    cv2.rectangle(page, (300, 1700), (900, 1830), 0, 4)
    picks = [int(np.flatnonzero(mnist.y_test == d)[0]) for d in (3, 5, 0, 7)]
    for k, i in enumerate(picks):  # MNIST test digits, 3x, dark on light
        digit = cv2.resize(255 - mnist.x_test[i], (84, 84), interpolation=cv2.INTER_LINEAR)
        page[1722:1806, 360 + 110 * k : 444 + 110 * k] = np.minimum(page[1722:1806, 360 + 110 * k : 444 + 110 * k], digit)
    cv2.imwrite(str(tmp_path / "titles.png"), page)
    out = tmp_path / "out" / "results.csv"
    run = scan_cli(tmp_path / "titles.png", "--out", out, "--workers", 1, "--model", shipped_model, "--no-report")
    assert run.returncode == 0, run.stderr
    fields = read(out.with_name("fields.csv"))
    assert fields.value.tolist() == ["3507"], fields[["kind", "y", "value"]]
