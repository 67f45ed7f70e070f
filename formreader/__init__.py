"""formreader: read handwritten digits in the boxes of scanned paper forms."""

__version__ = "0.1.0"
