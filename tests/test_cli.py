"""The command line as a user meets it: real subprocesses, exit codes, no tracebacks."""

import csv
import json
import subprocess
import sys


from tests.conftest import ROOT


def formreader(*args, env=None):
    return subprocess.run([sys.executable, "-m", "formreader.cli", *map(str, args)], capture_output=True, text=True, cwd=ROOT, env=env)


def test_missing_data_is_one_line_and_exit_4(tmp_path):
    result = formreader("train", "--data", tmp_path / "nowhere", "--epochs", "1")
    assert result.returncode == 4
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"formreader: {tmp_path / 'nowhere'}: no such data folder"


def test_missing_and_damaged_model_exit_5(tmp_path):
    result = formreader("predict", ROOT / "samples" / "digits", "--model", tmp_path / "none.keras")
    assert result.returncode == 5 and "no such model file" in result.stderr and "Traceback" not in result.stderr
    bad = tmp_path / "bad.keras"
    bad.write_bytes(b"PK\x03\x04 this is no zip")
    result = formreader("evaluate", "--model", bad)
    assert result.returncode == 5 and "not a formreader model" in result.stderr and "Traceback" not in result.stderr


def test_evaluate_json_last_line(tiny_model, mnist_dir):
    result = formreader("evaluate", "--model", tiny_model, "--data", mnist_dir, "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert 0.5 < figures["accuracy"] <= 1 and "distorted_accuracy" in figures and len(figures["confusion"]) == 11


def test_predict_reads_files_and_folders_and_survives_bad_files(tiny_model, tmp_path):
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    (tmp_path / "notes.txt").write_text("not an image")
    out = tmp_path / "preds.csv"
    result = formreader("predict", ROOT / "samples" / "digits", tmp_path / "broken.png", tmp_path / "notes.txt",
                        "--model", tiny_model, "--out", out)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    assert any("broken.png" in line for line in errors) and any("notes.txt: not an image file" in line for line in errors)
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["file", "digit", "confidence", "needs_review", "reason"]
    assert len(rows) == 12  # every sample, none of the bad files
    blank = next(r for r in rows if r["file"].endswith("blank.png"))
    assert blank["digit"] == "" and blank["needs_review"] == "true" and blank["reason"] == "blank"


def test_a_plain_install_carries_every_subpackage_and_the_templates(tmp_path):
    """`pip install .` (not editable) must bring formreader/layout/ and the report's template."""
    import zipfile

    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
                           capture_output=True, text=True, cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    names = zipfile.ZipFile(next(tmp_path.glob("formreader-*.whl"))).namelist()
    for module in ("layout/__init__.py", "layout/page.py", "layout/boxes.py", "strings.py", "templates/report.html.j2"):
        assert f"formreader/{module}" in names
