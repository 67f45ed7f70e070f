import gzip

import numpy as np
import pytest

from formreader.data import load_mnist, split_validation
from formreader.errors import DataError

PUBLISHED_SHA1 = {  # of the original .gz files, as distributed
    "t10k-labels-idx1-ubyte.gz": "763e7fa3757d93b0cdec073cef058b2004252c17",
}


def test_loads_idx_folder(mnist):
    assert mnist.x_train.shape == (60000, 28, 28) and mnist.x_test.shape == (10000, 28, 28)
    assert mnist.x_train.dtype == np.uint8
    assert sorted(np.unique(mnist.y_test)) == list(range(10))
    assert mnist.checksums["t10k-labels-idx1-ubyte.gz"] == PUBLISHED_SHA1["t10k-labels-idx1-ubyte.gz"]
    # the first test digit of MNIST is a 7, the first training digit a 5
    assert mnist.y_test[0] == 7 and mnist.y_train[0] == 5


def test_loads_npz_and_env_variable(mnist, tmp_path, monkeypatch):
    np.savez_compressed(tmp_path / "mnist.npz", x_train=mnist.x_train, y_train=mnist.y_train, x_test=mnist.x_test, y_test=mnist.y_test)
    monkeypatch.setenv("FORMREADER_DATA", str(tmp_path))
    again = load_mnist()
    assert np.array_equal(again.x_test, mnist.x_test)
    assert again.source.endswith("mnist.npz")


def _copy_with(mnist_dir, tmp_path, name, content: bytes):
    for f in mnist_dir.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / name).write_bytes(content)
    return tmp_path


def test_truncated_file_is_a_clear_error(mnist_dir, tmp_path):
    raw = gzip.decompress((mnist_dir / "t10k-images-idx3-ubyte.gz").read_bytes())
    folder = _copy_with(mnist_dir, tmp_path, "t10k-images-idx3-ubyte.gz", gzip.compress(raw[:-1000]))
    with pytest.raises(DataError, match="truncated"):
        load_mnist(folder)


def test_damaged_gzip_and_foreign_file(mnist_dir, tmp_path):
    folder = _copy_with(mnist_dir, tmp_path, "t10k-labels-idx1-ubyte.gz", b"\x1f\x8b not really gzip")
    with pytest.raises(DataError, match="cannot be read"):
        load_mnist(folder)
    folder = _copy_with(mnist_dir, tmp_path, "t10k-labels-idx1-ubyte.gz", gzip.compress(b"<html>oops</html>"))
    with pytest.raises(DataError, match="not an MNIST IDX file"):
        load_mnist(folder)


def test_missing_folder_and_files(tmp_path):
    with pytest.raises(DataError, match="no such data folder"):
        load_mnist(tmp_path / "nope")
    with pytest.raises(DataError, match="no train-images"):
        load_mnist(tmp_path)


def test_validation_split_is_disjoint_and_fixed():
    x = np.arange(100)[:, None]
    y = np.arange(100)
    a = split_validation(x, y, 10, seed=4)
    b = split_validation(x, y, 10, seed=4)
    assert np.array_equal(a[2], b[2])
    assert len(a[0]) == 90 and len(a[2]) == 10
    assert not set(a[1]) & set(a[3])


def test_extra_digits_of_any_size_and_polarity_become_mnist_style(mnist, tmp_path):
    from formreader.data import load_extra_digits

    big = np.stack([255 - np.kron(mnist.x_test[k], np.ones((2, 2), np.uint8)) for k in range(20)])  # 56x56, dark on light
    np.savez(tmp_path / "dark.npz", images=big, labels=mnist.y_test[:20])
    x, y = load_extra_digits(tmp_path / "dark.npz")
    assert x.shape == (20, 28, 28) and x.dtype == np.uint8 and list(y) == list(mnist.y_test[:20])
    assert x[:, 0, :].max() == 0 and (x.reshape(20, -1).max(axis=1) == 255).all()  # white ink on black, paper at 0
    np.savez(tmp_path / "bad.npz", pictures=big)
    with pytest.raises(DataError, match="bad.npz"):
        load_extra_digits(tmp_path / "bad.npz")
    np.savez(tmp_path / "labels.npz", images=big, labels=np.full(20, 12))
    with pytest.raises(DataError, match="0-9"):
        load_extra_digits(tmp_path / "labels.npz")
