"""A text layer's characters (pdfplumber's char dicts, PDFium's alike) as a cell's text."""

from __future__ import annotations

import pdfplumber

from .grid import CJK_GAP, BBox, join_wrapped


def chars_to_text(chars: list[dict]) -> str:
    if not chars:
        return ""
    text = pdfplumber.utils.extract_text(chars, x_tolerance=3, y_tolerance=3)
    return CJK_GAP.sub("", join_wrapped(text.split("\n")))


def text_indent(box: BBox, chars: list[dict]) -> float | None:
    """How far the first line's text starts from the cell's left edge: tree tables tell a row's
    depth by it."""
    printed = [ch for ch in chars if ch["text"].strip()]
    if not printed:
        return None
    first_top = min(ch["top"] for ch in printed)
    height = max(ch["bottom"] - ch["top"] for ch in printed)
    first_line = [ch for ch in printed if ch["top"] < first_top + height / 2]
    return round(min(ch["x0"] for ch in first_line) - box[0], 1)
