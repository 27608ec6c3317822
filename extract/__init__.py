"""Documents -> cell grids with geometry. Knows documents, not indicators.

Installed as `perftab.extract`, which is also the Python API's entry point: called,
`perftab.extract(paths, **options)` runs `perftab extract` and returns its DataFrames
(perftab/api.py, docs/api.md). The package and the call share one name, so the package is
a module that can be called (`_CallablePackage` below).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
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
from .stitch import grids_of_parts

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
    "stream_grids",
]


@dataclass
class Extraction:
    kind: str
    pages: int | None
    grids: list[Grid]


@dataclass
class GridStream:
    """A document's grids, made as they are asked for (`stream_grids`)."""

    kind: str
    pages: int | None
    grids: Iterator[Grid]


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
    """Every grid of the document. `pdf_reader` reads a born-digital PDF's text layer: pdfium,
    or pdfplumber (slower, the same grids: tests/test_pdf_readers.py)."""
    stream = stream_grids(path, kind, pdf_reader)
    return Extraction(stream.kind, stream.pages, list(stream.grids))


def stream_grids(
    path: Path, kind: str | None = None, pdf_reader: str = "pdfium"
) -> GridStream:
    """The document's grids as `document_to_grids` gives them, each made when it is asked for:
    a PDF's pages are read and stitched as its grids are taken, so that a long document's
    grids are let go one by one rather than all held. The file is opened here, so a document
    that cannot be read says so before the first grid is asked for."""
    kind = kind or detect_kind(path)
    fmt = format_named(kind)
    if fmt.read_parts:
        if kind == "pdf":  # read as stitched, never all held
            from .pdf_reader import PdfParts

            pdf = PdfParts(path, pdf_reader)
            return GridStream(kind, pdf.pages, grids_of_parts(pdf, str(path)))
        parts, pages = fmt.read_parts(path)
        return GridStream(kind, pages, grids_of_parts(parts, str(path)))
    if fmt.read is None:  # recognised to be refused: detect_kind raises for such a file
        raise UnsupportedFileType(path, f"perftab cannot read {fmt.description} files")
    return GridStream(kind, None, iter(fmt.read(path)))


class _CallablePackage(types.ModuleType):
    """This package, callable as the extraction the API promises under its name. Importing a
    package's submodule binds the package to the parent's attribute, so a plain function named
    `perftab.extract` would be replaced by this package on the first reader imported."""

    def __call__(self, paths, /, **options):
        from perftab.api import extract  # the API over the pipeline, which reads with this package

        return extract(paths, **options)


sys.modules[__name__].__class__ = _CallablePackage
