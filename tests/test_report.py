"""The review report: built from a real scan, used in a real headless Chromium."""

import base64
import csv
import json
import re
import shutil
import subprocess
import sys

import cv2
import numpy as np
import pandas as pd
import pytest

from formreader.report import write_report
from formreader.review import FLAGGED_COLUMNS
from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
EVIL_NAME = "<script>alert(1)</script>.png"  # a folder "<script>alert(1)<" holding "script>.png"


def scan_cli(*args):
    return subprocess.run([sys.executable, "-m", "formreader.cli", "scan", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def scanned(shipped_model, tmp_path_factory):
    """The bundled sample forms, one of them under a hostile name, plus a bad file with one."""
    inputs = tmp_path_factory.mktemp("in")
    for name in ("form-01.jpg", "form-03.tif"):
        shutil.copy(ROOT / "samples" / "forms" / name, inputs / name)
    evil = inputs / EVIL_NAME
    evil.parent.mkdir(parents=True)
    shutil.copy(ROOT / "samples" / "forms" / "form-01.jpg", evil)
    (inputs / "<img src=x onerror=alert(2)>.png").write_text("not an image")
    out = tmp_path_factory.mktemp("out") / "results.csv"
    run = scan_cli(inputs, "--out", out, "--workers", 2, "--model", shipped_model, "--quiet")
    assert run.returncode == 3, run.stderr  # the bad file
    return out.parent


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e '.[test]')")
    if not shutil.which(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does this)")
    with playwright.sync_playwright() as p:
        # as root in a container Chromium needs --no-sandbox; the rest keeps it off the (closed) network
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.errors = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def test_report_is_written_with_the_flagged_inputs(scanned):
    results = read(scanned / "results.csv")
    flagged = read(scanned / "report_files" / "flagged.csv")
    assert list(flagged.columns) == FLAGGED_COLUMNS
    expect = results[results.needs_review == "true"]
    assert len(flagged) == len(expect) > 0
    assert set(zip(flagged.file, flagged.field, flagged.box)) == set(zip(expect.file, expect.field, expect.box))
    for row in flagged.itertuples():  # the kept input is exactly what the model read: 28x28, white on black
        image = cv2.imread(str(scanned / "report_files" / row.image), cv2.IMREAD_GRAYSCALE)
        assert image.shape == (28, 28) and image.max() >= 250 and image[0].max() == 0
        assert (scanned / "report_files" / row.field_image).stat().st_size > 500


def test_report_is_offline_and_escaped(scanned):
    html = (scanned / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:)?//""", html, re.I), "fetches something"
    assert "<link" not in html and not re.search(r"<script[^>]+src", html) and "@import" not in html
    assert "<script>alert(1)" not in html and "<img src=x onerror" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;.png" in html  # the failed file, shown as text


def test_review_in_the_browser(scanned, page, tmp_path):
    flagged = read(scanned / "report_files" / "flagged.csv")
    page.goto((scanned / "report.html").as_uri())
    items = page.locator("article.item")
    assert items.count() == len(flagged)
    assert page.dialogs == [] and page.errors == []
    # the hostile file name is on the page as text
    assert page.get_by_text(EVIL_NAME, exact=False).count() >= 1
    assert page.get_by_text("onerror=alert(2)", exact=False).count() == 1

    # lowest confidence first; the focus starts on the first item
    shown = [float(t.split()[-1]) for t in page.locator(".item .conf").all_text_contents() if t.startswith("confidence")]
    assert shown == sorted(shown)
    first = page.locator("article.item").nth(0)
    predicted = [first.locator(".pred").text_content()] + [items.nth(i).locator(".pred").text_content() for i in (1, 2)]
    other = str((int(predicted[1]) + 1) % 10)
    page.keyboard.press("Enter")  # confirm item 1
    page.keyboard.press(other)  # correct item 2
    page.keyboard.press("x")  # item 3: not a digit
    counter = page.locator("#counter")
    assert counter.text_content().startswith("3 of %d reviewed (2 changed)" % len(flagged))
    page.screenshot(path=str(tmp_path / "report.png"))

    # the decisions survive a reload (local storage). The page stores them at once, but Chromium
    # hands them on to the browser's own store after: a reload on a busy machine (two CI runs at
    # once) read that store first and found none. So the reload waits until another page of the
    # same browser sees them (a state, not a time)
    seen = page.context.new_page()
    for _ in range(100):
        seen.goto((scanned / "report.html").as_uri())
        if seen.locator("#counter").text_content().startswith("3 of %d reviewed" % len(flagged)):
            break
    seen.close()
    page.reload()
    assert page.locator("#counter").text_content().startswith("3 of %d reviewed" % len(flagged))
    assert page.locator("article.item.confirmed").count() == 1
    assert page.locator("article.item.corrected").count() == 1
    assert page.locator("article.item.illegible").count() == 1

    page.click("#view-digit")  # grouped by predicted digit, every item still there
    groups = page.locator("h2.group").all_text_contents()
    assert len(groups) == len(set(flagged.digit)) and page.locator("article.item").count() == len(flagged)
    assert [g.split()[2] for g in groups] == sorted(set(flagged.digit))

    with page.expect_download() as download:
        page.click("#export")
    path = tmp_path / "corrections.csv"
    download.value.save_as(path)
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_decision = sorted((r["predicted"], r["corrected"]) for r in rows)
    assert by_decision == sorted([(predicted[0], predicted[0]), (predicted[1], other), (predicted[2], "x")])
    for r in rows:  # the image column carries the model's input itself
        png = base64.b64decode(r["image"].removeprefix("data:image/png;base64,"))
        image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
        match = flagged[(flagged.file == r["file"]) & (flagged.field == r["field"]) & (flagged.box == r["box"]) & (flagged.page == r["page"])]
        kept = cv2.imread(str(scanned / "report_files" / match.image.item()), cv2.IMREAD_GRAYSCALE)
        assert np.array_equal(image, kept)


def test_five_thousand_items_render_lazily(scanned, page, tmp_path):
    """A big review: the page shows the first items at once and the rest as one moves on."""
    folder = tmp_path / "report_files"
    shutil.copytree(scanned / "report_files", folder)
    one = read(folder / "flagged.csv").iloc[0]
    rows = [[f"page-{i // 20}.png", 1, i % 20 + 1, 1, *one.iloc[4:].tolist()] for i in range(5000)]
    rows = [r[:5] + [f"{0.5 + i / 20000:.4f}"] + r[6:] for i, r in enumerate(rows)]
    pd.DataFrame(rows, columns=FLAGGED_COLUMNS).to_csv(folder / "flagged.csv", index=False)
    write_report(scanned / "results.csv", scanned / "errors.csv", folder, tmp_path / "report.html", 0.9665)
    page.goto((tmp_path / "report.html").as_uri())
    assert page.locator("article.item").count() <= 200  # not all 5,000 at once
    page.keyboard.press("End")
    assert page.locator("article.item:focus .where").text_content().startswith("page-249.png")
    assert page.locator("#counter").text_content().endswith("item 5000")
    page.keyboard.press("5")  # a decision on the last item works like any other
    assert page.locator("#counter").text_content().startswith("1 of 5000 reviewed")
    assert page.errors == []


def test_a_big_review_is_split_into_linked_parts(scanned, tmp_path, monkeypatch):
    from formreader import report

    monkeypatch.setattr(report, "REPORT_ITEMS", 4)
    flagged = read(scanned / "report_files" / "flagged.csv")
    write_report(scanned / "results.csv", scanned / "errors.csv", scanned / "report_files", tmp_path / "report.html", 0.9665)
    parts = -(-len(flagged) // 4)
    names = ["report.html"] + [f"report-{k}.html" for k in range(2, parts + 1)]
    assert sorted(p.name for p in tmp_path.glob("report*.html")) == sorted(names)
    seen = 0
    for name in names:
        html = (tmp_path / name).read_text(encoding="utf-8")
        data = json.loads(re.search(r'<script type="application/json" id="data">(.*?)</script>', html, re.S).group(1))
        assert 1 <= len(data["items"]) <= 4
        seen += len(data["items"])
        assert all(f'href="{other}"' in html for other in names if other != name)
    assert seen == len(flagged)
