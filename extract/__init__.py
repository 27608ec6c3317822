"""Documents -> cell grids with geometry. Knows documents, not indicators.

Installed as `perftab.extract`, which is also the Python API's entry point: called,
`perftab.extract(paths, **options)` runs `perftab extract` and returns its DataFrames
(perftab/api.py, docs/api.md). The package and the call share one name, so the package is
a module that can be called (`_CallablePackage` below).
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from pathlib import Path

from .errors import (
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    PasswordProtected,
    ResourceLimit,
    UnreadableDocument,
    UnsupportedFileType,
)
from .formats import FORMATS, InputFormat, detect_kind, format_named
from .grid import Cell, Grid, TextLine
from .stitch import parts_to_grids

__all__ = [
    "FORMATS",
    "Cell",
    "DocumentError",
    "DocumentTooLarge",
    "EmptyDocument",
    "EncryptedDocument",
    "Grid",
    "InputFormat",
    "PasswordProtected",
    "ResourceLimit",
    "TextLine",
    "UnreadableDocument",
    "UnsupportedFileType",
    "check_limits",
    "detect_kind",
    "document_to_grids",
]


@dataclass
class Extraction:
    kind: str
    pages: int | None
    grids: list[Grid]


def check_limits(
    path: Path, kind: str, max_pages: int | None = None, max_bytes: int | None = None
) -> None:
    """Refuse a file over the size or page limit, or whose parts, pages or picture are beyond
    `limits.LIMITS`, before a parser opens it: a PDF bomb declares thousands of pages, a DOCX
    bomb inflates to gigabytes, and either would hold a worker for hours or exhaust its memory."""
    if max_bytes is not None and (size := path.stat().st_size) > max_bytes:
        raise DocumentTooLarge(
            path, f"{_size(size)}, over the limit of {_size(max_bytes)} (--max-bytes)"
        )
    check = format_named(kind).check
    if check:
        check(path, max_pages)


def _size(n: int) -> str:
    return f"{n / 2**20:,.1f} MB" if n >= 2**20 else f"{n:,} bytes"


def document_to_grids(
    path: Path, kind: str | None = None, pdf_reader: str = "pdfium"
) -> Extraction:
    """`pdf_reader` reads a born-digital PDF's text layer: pdfium, or pdfplumber (slower, the
    same grids: tests/test_pdf_readers.py)."""
    kind = kind or detect_kind(path)
    fmt = format_named(kind)
    if fmt.read_parts:
        if kind == "pdf":  # read as stitched, never all held
            from .pdf_reader import PdfParts

            pdf = PdfParts(path, pdf_reader)
            return Extraction(kind, pdf.pages, parts_to_grids(pdf, str(path)))
        parts, pages = fmt.read_parts(path)
        return Extraction(kind, pages, parts_to_grids(parts, str(path)))
    if fmt.read is None:  # recognised to be refused: detect_kind raises for such a file
        raise UnsupportedFileType(path, f"perftab cannot read {fmt.description} files")
    return Extraction(kind, None, fmt.read(path))


class _CallablePackage(types.ModuleType):
    """This package, callable as the extraction the API promises under its name. Importing a
    package's submodule binds the package to the parent's attribute, so a plain function named
    `perftab.extract` would be replaced by this package on the first reader imported."""

    def __call__(self, paths, /, **options):
        from perftab.api import extract  # the API over the pipeline, which reads with this package

        return extract(paths, **options)


sys.modules[__name__].__class__ = _CallablePackage
