"""Input files -> pages: grey uint8 images, paper light and ink dark.

Every reader returns the same Page, so later stages never ask where a page
came from. Bad files raise InputFileError with a one-line reason.
"""

from __future__ import annotations

import glob
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import cv2
import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from .errors import InputFileError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp"}
SCAN_SUFFIXES = IMAGE_SUFFIXES | {".pdf"}
PDF_DPI = 300
MAX_PIXELS = 120_000_000  # an A3 page at 600 dpi is 70 Mpx; more is a decompression bomb
MIN_SIDE = 8
EXIF_ORIENTATION = 0x0112
DITHERED = 0.003  # a 1-bit page whose lone black dots cover this share of it was dithered (a clean fax: under 0.0005)
UNDITHER_BLUR = 0.75  # the blur that turns the dots back into grey: its sigma in pixels per 100 dpi ...
UNDITHER_MIN = 1.5  # ... and in pixels at least: how far apart the dots stand is set by the grey they make, not the dpi
DARK_EDGE = 0.4  # a page with this share of its edge at or below Otsu's level may lie on a dark lid or backing
SURROUND_STEP = 4  # the surround is found on every 4th pixel: its edge only needs to fall in the paper margin
SURROUND_FLOW = 12  # grey levels between neighbours within a lid (its grain and shading, on every 4th pixel, median-filtered)
SHEET_LEAST = 0.2  # a sheet on a lid is this share of the image at least
SHARP_EDGE = 0.5  # across a sheet's edge the grey steps from the lid's at least half way to the paper's (a lid: 0.92-1.0,
                  # a shadow or a lamp's fall-off: 0.05-0.17, on pages of three makers, 1-bit, JPEG and NIST's)


@dataclass
class Page:
    file: Path
    number: int  # 1-based within the file
    image: np.ndarray  # (h, w) uint8 grey
    dpi: float | None


def find_inputs(paths: Iterable[str | Path], suffixes: set[str] = IMAGE_SUFFIXES) -> list[Path]:
    """Files as named, folders searched recursively for known suffixes, globs expanded.

    A named file that does not exist is kept, so that reading it reports it.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
        elif not path.exists() and any(ch in str(raw) for ch in "*?["):
            found += sorted(Path(p) for p in glob.glob(str(raw), recursive=True) if Path(p).is_file())
        else:
            found.append(path)
    return list(dict.fromkeys(found))  # once each, in order


def read_pages(path: Path) -> Iterator[Page]:
    """Every page of an image or PDF file (multi-page TIFFs and PDFs give several)."""
    if _is_pdf(path):
        yield from _read_pdf(path)
        return
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                dpi = _dpi(img)
                whole = _opencv_gray(path, img)
                frames = [whole] if whole is not None else (to_gray(_upright(frame)) for frame in ImageSequence.Iterator(img))
                for number, gray in enumerate(frames, start=1):
                    if min(gray.shape) < MIN_SIDE:
                        raise InputFileError(f"{path}: image too small ({gray.shape[1]}x{gray.shape[0]} px)")
                    yield Page(path, number, gray, dpi)
    except InputFileError:
        raise
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputFileError(f"{path}: is a folder") from None
    except UnidentifiedImageError:
        raise InputFileError(f"{path}: not an image file") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputFileError(f"{path}: image too large (over {MAX_PIXELS // 1_000_000} Mpx, a decompression bomb?)") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise InputFileError(f"{path}: damaged or truncated image ({exc})") from None


def bitonal(gray: np.ndarray) -> bool:
    """Whether the page holds only black and white (a fax, a scan made 1-bit). A sample of
    every seventh pixel each way tells most grey pages at once."""
    return not cv2.countNonZero(cv2.inRange(gray[::7, ::7], 1, 254)) and not cv2.countNonZero(cv2.inRange(gray, 1, 254))


def undithered(gray: np.ndarray, dpi: float) -> np.ndarray:
    """A 1-bit page made by dithering a grey one (Pillow's convert("1"), a fax's halftone)
    turned back into grey by blurring the dots together; any other page as it is. Dithered,
    grey paper is a field of scattered black dots and a light line a dotted one: the layout
    took the dots for marks and lost the lines (a fifth of the boxes found, a third of the
    digits read wrong and accepted). Told by its lone dots (black pixels with no black
    neighbour); a heavily speckled fax has as many, and is cleaned by the same blur."""
    if not bitonal(gray):
        return gray
    ink = cv2.compare(gray, 128, cv2.CMP_LT) // 255
    around = cv2.boxFilter(ink, cv2.CV_8U, (3, 3), normalize=False, borderType=cv2.BORDER_CONSTANT)  # itself and its 8 neighbours
    lone = cv2.countNonZero(cv2.bitwise_and(ink, cv2.compare(around, 1, cv2.CMP_EQ)))
    if lone < DITHERED * gray.size:
        return gray
    return cv2.GaussianBlur(gray, (0, 0), max(UNDITHER_MIN, UNDITHER_BLUR * dpi / 100))


def without_dark_surround(gray: np.ndarray) -> np.ndarray:
    """A page scanned on a dark lid or backing (a sheet smaller than the glass, a feeder's
    black roller) with what lies around the sheet painted as the sheet's paper; any other
    page as it is. A sheet enclosed in dark lost all its boxes (recall 28-81% on such pages,
    the rest read as free handwriting). Told by its edge, mostly darker than Otsu's level (a
    normal page's edge is paper), and by the sheet's edge: paper meets the dark in one step.
    A page lit unevenly (a shadow, a lamp's fall-off) darkens by degrees and is left alone
    (painted, such pages lost two thirds of their boxes). The surround is the dark grown
    from the edge (grown_from_edge), so the sheet's own lines and ink, inside its paper
    margin, are kept."""
    small = np.ascontiguousarray(gray[::SURROUND_STEP, ::SURROUND_STEP])
    level, _ = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    edge = np.concatenate([small[0], small[-1], small[:, 0], small[:, -1]])
    if (edge <= level).mean() < DARK_EDGE:  # Otsu's classes: dark is at or below its level (a 1-bit page's level is 0)
        return gray
    dark = grown_from_edge(small, level)
    ring = np.ones((5, 5), np.uint8)
    surround = cv2.dilate(dark, ring)  # and the shadow along the sheet's edge
    if surround.mean() > 1 - SHEET_LEAST:
        return gray  # a dark page, or a pale one lit unevenly: its paper flowed into the "lid" to its ink
    inside, outside = small[(dark > 0) & (cv2.erode(dark, ring) == 0)], small[(surround > 0) & (dark == 0)]
    paper, lid = float(np.percentile(small[surround == 0], 90)), float(np.median(inside))
    if paper <= lid or np.median(outside) - lid < SHARP_EDGE * (paper - lid):
        return gray
    # painted with the sheet's own paper carried on, not one grey (a shaded sheet's edge
    # against bright paint became a line of ink, read as 1s), its lines and ink filtered out
    # first (carried on, a table's lines made a box of printed digits)
    fill = cv2.inpaint(cv2.dilate(small, np.ones((5, 5), np.uint8)), surround, 3, cv2.INPAINT_TELEA)
    out = gray.copy()
    where = cv2.resize(surround, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST) > 0
    out[where] = cv2.resize(fill, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)[where]
    return out


def grown_from_edge(small: np.ndarray, level: float) -> np.ndarray:
    """What lies around a sheet (1, else 0): grown from the image's edge where it is at or
    below Otsu's level, from pixel to neighbour while the grey changes by SURROUND_FLOW at
    most, so that it stops at the sheet's edge (a step) but not at the lid's own shading,
    and never above that level. By Otsu's level alone, a sheet lit unevenly had its shaded
    side taken with the lid; by the steps alone, a sheet whose printing runs to within a
    few pixels of its edge (a table's bottom line a little aslant, fading along each row it
    crosses) was taken whole: shrunk and smoothed, line and shadow ramped up to the paper
    in small steps."""
    smooth = cv2.medianBlur(small, 5)  # the lid's grain
    h, w = smooth.shape
    mask = np.zeros((h + 2, w + 2), np.uint8)
    mask[1:-1, 1:-1][smooth > level] = 2  # the fill stops at the mask's marks
    flags = 8 | cv2.FLOODFILL_MASK_ONLY | (1 << 8)
    edge = [(x, 0) for x in range(w)] + [(x, h - 1) for x in range(w)] + [(0, y) for y in range(h)] + [(w - 1, y) for y in range(h)]
    for x, y in edge:
        if smooth[y, x] <= level and not mask[y + 1, x + 1]:
            cv2.floodFill(smooth, mask, (x, y), 0, SURROUND_FLOW, SURROUND_FLOW, flags)
    return (mask[1:-1, 1:-1] == 1).astype(np.uint8)


def _is_pdf(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return path.suffix.lower() == ".pdf"  # let the reader say what is wrong


def _read_pdf(path: Path) -> Iterator[Page]:
    """Each page rendered in grey at PDF_DPI with PDFium."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        reason = "encrypted PDF (password needed)" if "password" in str(exc).lower() else f"damaged PDF ({exc})"
        raise InputFileError(f"{path}: {reason}") from None
    try:
        for number in range(len(pdf)):
            page = pdf[number]
            width, height = page.get_size()
            if width * height * (PDF_DPI / 72) ** 2 > MAX_PIXELS:
                raise InputFileError(f"{path}: page {number + 1} too large to render ({width / 72:.0f}x{height / 72:.0f} in)")
            try:
                gray = page.render(scale=PDF_DPI / 72, grayscale=True).to_numpy()
            except pdfium.PdfiumError as exc:
                raise InputFileError(f"{path}: page {number + 1} cannot be rendered ({exc})") from None
            yield Page(path, number + 1, np.ascontiguousarray(gray.reshape(gray.shape[0], gray.shape[1])), float(PDF_DPI))
    finally:
        pdf.close()


def _dpi(img: Image.Image) -> float | None:
    """The file's dpi; a whole number where it is within 0.02 of one. A PNG keeps pixels
    per metre, a whole number: 300 dpi is read back as 299.9994, 150 as 150.0124, and a
    box line's 0.04 in came to 5.99998 px at the layout's 150 dpi, so that lines 6 px
    thick were too thick for box lines on such pages alone."""
    dpi = img.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi and float(dpi[0]) > 1 else None
    except (TypeError, ValueError):
        return None
    return float(round(value)) if value is not None and abs(value - round(value)) <= 0.02 else value


def _opencv_gray(path: Path, img: Image.Image) -> np.ndarray | None:
    """A one-page JPEG or PNG in grey or RGB decoded by OpenCV, as the decode floor does it
    (a quarter faster than Pillow here, the same pixels; EXIF orientation applied too).
    None where Pillow must read it: other formats and modes, transparency, several
    frames, or a file whose end is missing (OpenCV would fill a truncated page with grey
    and say nothing; Pillow says it is truncated)."""
    if img.format not in ("JPEG", "PNG") or img.mode not in ("L", "RGB") or "transparency" in img.info or getattr(img, "n_frames", 1) != 1:
        return None
    with open(path, "rb") as handle:
        handle.seek(max(0, path.stat().st_size - 16))
        tail = handle.read()
    if (b"\xff\xd9" if img.format == "JPEG" else b"IEND") not in tail:
        return None
    return cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)


def _upright(frame: Image.Image) -> Image.Image:
    """The frame turned as its EXIF orientation says; as it is (no copy) when upright."""
    return ImageOps.exif_transpose(frame) if frame.getexif().get(EXIF_ORIENTATION, 1) != 1 else frame


def to_gray(img: Image.Image) -> np.ndarray:
    """Any Pillow mode -> uint8 grey; transparency over white paper, 16-bit scaled down."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(img, dtype=np.float64)
        top = 65535.0 if img.mode.startswith("I;16") or values.max() > 255 else 255.0
        return np.clip(values * (255.0 / top), 0, 255).astype(np.uint8)
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(paper, rgba)
    return np.asarray(img if img.mode == "L" else img.convert("L"), dtype=np.uint8)
