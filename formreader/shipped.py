"""Where the shipped models lie: formreader/models in an installed wheel (pyproject maps
models/ there), models/ at the top of a checkout or an editable install."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_model(name: str) -> Path:
    installed = _PACKAGE / "models" / name
    return installed if installed.is_file() else _PACKAGE.parent / "models" / name
