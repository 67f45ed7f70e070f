"""Digits drawn in fonts for training: a real font file through FreeType, the digit set
it makes read back as `train --extra-data` reads it, and bad folders and files."""

import shutil

import numpy as np
import pytest

from formreader.data import load_extra_digits
from formreader.errors import ExitCode
from formreader.font_digits import SIZE, font_files, render_font_digits
from formreader.negatives import _font_files
from tests.test_cli import formreader as run


@pytest.fixture(scope="module")
def a_font():
    fonts = _font_files()
    if not fonts:
        pytest.skip("no font file at hand (matplotlib's DejaVu fonts are missing)")
    return fonts[0]


def test_every_digit_is_drawn_dark_on_light_in_varied_shapes(a_font):
    images, labels = render_font_digits([a_font], per_digit=3, seed=0)
    assert images.shape == (30, SIZE, SIZE) and images.dtype == np.uint8
    assert sorted(labels.tolist()) == sorted(list(range(10)) * 3)
    assert (images[:, :3] == 255).all() and (images[:, :, -3:] == 255).all()  # light paper round the digit
    assert (images.reshape(30, -1).min(axis=1) < 60).all()  # dark ink on every one
    assert not np.array_equal(images[0], images[1])  # variants of one digit differ


def test_font_digits_command_writes_a_digit_set_train_can_read(a_font, tmp_path):
    fonts = tmp_path / "fonts" / "family"
    fonts.mkdir(parents=True)
    shutil.copy(a_font, fonts / a_font.name)
    (fonts / "LICENSE.txt").write_text("not a font")
    out = tmp_path / "font_digits.npz"
    done = run("font-digits", tmp_path / "fonts", "--out", out, "--per-digit", "2")
    assert done.returncode == 0, done.stderr
    assert "20 digits from 1 font files" in done.stdout
    x, y = load_extra_digits(out)
    assert x.shape == (20, 28, 28) and sorted(set(y.tolist())) == list(range(10))
    assert font_files(tmp_path / "fonts") == [fonts / a_font.name]


def test_a_folder_without_fonts_or_a_broken_font_is_one_line_and_an_exit_code(tmp_path):
    (tmp_path / "empty").mkdir()
    done = run("font-digits", tmp_path / "empty", "--out", tmp_path / "x.npz")
    assert done.returncode == ExitCode.data and "no font files" in done.stderr and "Traceback" not in done.stderr
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "hand.ttf").write_bytes(b"\x00\x01\x00\x00 truncated")
    done = run("font-digits", tmp_path / "broken", "--out", tmp_path / "x.npz")
    assert done.returncode == ExitCode.data and "hand.ttf" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not (tmp_path / "x.npz").exists()
