"""Closing the loop: corrections applied to the results, and learnt by fine-tuning."""

import base64
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from formreader.corrections import FINAL_COLUMNS, training_examples
from formreader.recognizer import Recognizer
from formreader.results import FIELD_COLUMNS
from formreader.scoring import iou
from formreader.train import FineTuneConfig, fine_tune
from tests.conftest import ROOT


def cli(*args):
    return subprocess.run([sys.executable, "-m", "formreader.cli", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def scanned(shipped_model, tmp_path_factory):
    inputs = tmp_path_factory.mktemp("in")
    for name in ("form-01.jpg", "form-03.tif", "truth.csv"):
        shutil.copy(ROOT / "samples" / "forms" / name, inputs / name)
    out = tmp_path_factory.mktemp("out") / "results.csv"
    run = cli("scan", inputs, "--out", out, "--workers", 1, "--model", shipped_model, "--quiet")
    assert run.returncode == 0, run.stderr
    return inputs, out.parent


def reviewed(out, truth_csv, path):
    """corrections.csv as a careful reviewer would export it: every flagged digit set to its true value."""
    flagged, results, truth = read(out / "report_files" / "flagged.csv"), read(out / "results.csv"), read(truth_csv)
    rows = []
    for r in flagged.itertuples():
        box = results[(results.file == r.file) & (results.page == r.page) & (results.field == r.field) & (results.box == r.box)]
        rect = tuple(float(box[c].item()) for c in ("x", "y", "width", "height"))
        same_page = truth[(truth.file == r.file.split("/")[-1]) & (truth.page == r.page)]
        best = max(same_page.itertuples(), key=lambda t: iou(rect, tuple(float(v) for v in (t.x, t.y, t.width, t.height))))
        label = best.digit or "x"
        png = (out / "report_files" / r.image).read_bytes()
        rows.append([r.file, r.page, r.field, r.box, r.digit, label, "data:image/png;base64," + base64.b64encode(png).decode()])
    pd.DataFrame(rows, columns=["file", "page", "field", "box", "predicted", "corrected", "image"]).to_csv(path, index=False)
    return read(path)


def test_apply_marks_corrected_rows_and_refreshes_fields(scanned, tmp_path):
    _, out = scanned
    results = read(out / "results.csv")
    flagged = read(out / "report_files" / "flagged.csv").iloc[:3]
    assert len(flagged) == 3
    other = str((int(flagged.digit.iloc[1]) + 1) % 10)
    corrections = flagged[["file", "page", "field", "box"]].assign(predicted=flagged.digit, corrected=[flagged.digit.iloc[0], other, "x"])
    corrections.to_csv(tmp_path / "corrections.csv", index=False)
    run = cli("apply", out / "results.csv", tmp_path / "corrections.csv", "--out", tmp_path / "final.csv")
    assert run.returncode == 0, run.stderr
    assert "1 confirmed, 1 corrected, 1 illegible" in run.stderr
    final = read(tmp_path / "final.csv")
    assert list(final.columns) == FINAL_COLUMNS and len(final) == len(results)
    key = ["file", "page", "field", "box"]
    marked = final[final.reviewed != ""].set_index(key)
    for (_, row), expect in zip(flagged.iterrows(), [("confirmed", flagged.digit.iloc[0], "false"), ("corrected", other, "false"), ("illegible", "", "true")]):
        got = marked.loc[(row.file, row.page, row.field, row.box)]
        assert (got.reviewed, got.digit, got.needs_review) == expect
        assert got.original_digit == row.digit
    untouched = final[final.reviewed == ""]
    pd.testing.assert_frame_equal(
        untouched[results.columns].reset_index(drop=True),
        results.merge(marked.reset_index()[key], on=key, how="left", indicator=True).query("_merge == 'left_only'")[results.columns].reset_index(drop=True),
    )
    fields = read(tmp_path / "final_fields.csv")
    assert list(fields.columns) == FIELD_COLUMNS
    for (f, p, n), group in final.groupby(["file", "page", "field"]):
        group = group.assign(order=group.box.astype(int)).sort_values("order")
        value = "".join("?" if r == "illegible" else d for d, r in zip(group.digit, group.reviewed))
        assert fields[(fields.file == f) & (fields.page == p) & (fields.field == n)].value.item() == value


def test_apply_rejects_bad_corrections_in_one_line(scanned, tmp_path):
    _, out = scanned
    bad = tmp_path / "bad.csv"
    bad.write_text("file,page,field,box,predicted,corrected\na.png,1,1,1,3,12\n")
    run = cli("apply", out / "results.csv", bad, "--out", tmp_path / "final.csv")
    assert run.returncode == 3 and "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [f"formreader: {bad}: line 2: corrected must be a digit 0-9 or 'x', not '12'"]
    stranger = tmp_path / "stranger.csv"
    stranger.write_text("file,page,field,box,predicted,corrected\nnowhere.png,1,1,1,3,4\n")
    run = cli("apply", out / "results.csv", stranger, "--out", tmp_path / "final.csv")
    assert run.returncode == 3 and "1 corrections name no box" in run.stderr


def test_fine_tune_learns_the_corrections_and_keeps_mnist(scanned, mnist_dir, shipped_model, tmp_path):
    inputs, out = scanned
    corrections = reviewed(out, inputs / "truth.csv", tmp_path / "corrections.csv")
    assert (corrections.corrected != corrections.predicted).any()  # some flagged digits were wrong
    model = tmp_path / "tuned.keras"
    run = cli("train", "--extra", tmp_path / "corrections.csv", "--model", shipped_model, "--data", mnist_dir,
              "--out", model, "--limit", 4000, "--epochs", 1)
    assert run.returncode == 0, run.stdout + run.stderr
    line = next(x for x in run.stdout.splitlines() if x.startswith("fine-tuned"))
    before, after = (float(v) for v in line.split("MNIST test accuracy ")[1].split(",")[0].split(" -> "))
    assert after >= before - 0.0005, line
    x, y = training_examples(tmp_path / "corrections.csv")
    tuned, shipped = Recognizer.load(model), Recognizer.load(shipped_model)
    assert (tuned.read(x).digit == y).mean() >= (shipped.read(x).digit == y).mean()


def test_fine_tune_that_forgets_mnist_is_not_saved(scanned, mnist, shipped_model, tmp_path):
    inputs, out = scanned
    reviewed(out, inputs / "truth.csv", tmp_path / "corrections.csv")
    x, y = training_examples(tmp_path / "corrections.csv")
    # a learning rate a hundred times too high wrecks the head: the guard must refuse it
    figures = fine_tune(mnist, x, y, shipped_model, tmp_path / "bad.keras", FineTuneConfig(epochs=1, mnist_digits=2000, learning_rate=0.05), verbose=0)
    assert figures["accuracy_after"] < figures["accuracy_before"] - 0.0005
    assert not figures["saved"] and not (tmp_path / "bad.keras").exists()
