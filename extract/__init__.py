"""Documents -> cell grids with geometry. Knows documents, not indicators."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .docx_reader import read_docx
from .errors import (
    DocumentError,
    EmptyDocument,
    EncryptedDocument,
    UnreadableDocument,
    UnsupportedFileType,
)
from .grid import Cell, Grid, TextLine
from .pdf_reader import read_pdf_parts
from .stitch import parts_to_grids
from .text_reader import read_text

__all__ = [
    "Cell",
    "DocumentError",
    "EmptyDocument",
    "EncryptedDocument",
    "Grid",
    "TextLine",
    "UnreadableDocument",
    "UnsupportedFileType",
    "detect_kind",
    "document_to_grids",
]

SUFFIX_KINDS = {".pdf": "pdf", ".docx": "docx"}
TEXT_SUFFIXES = {".txt", ".tsv"}


@dataclass
class Extraction:
    kind: str
    pages: int | None
    grids: list[Grid]


def detect_kind(path: Path) -> str:
    """The document kind by content, falling back to the name only to word the error."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not head:
        raise EmptyDocument(path, "the file is empty (0 bytes)")
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if path.suffix.lower() in TEXT_SUFFIXES:
        return "text"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFileType(
            path,
            "a legacy Word/WPS (.doc/.wps) file; convert it to .docx first: "
            f"soffice --headless --convert-to docx '{path}'",
        )
    expected = SUFFIX_KINDS.get(path.suffix.lower())
    if expected:
        raise UnreadableDocument(path, f"named {path.suffix} but is not a {expected.upper()} file")
    raise UnsupportedFileType(path, f"unsupported file type {path.suffix or '(no extension)'}")


def document_to_grids(path: Path, kind: str | None = None) -> Extraction:
    kind = kind or detect_kind(path)
    if kind == "pdf":
        parts, pages = read_pdf_parts(path)
        return Extraction("pdf", pages, parts_to_grids(parts, str(path)))
    if kind == "text":
        return Extraction("text", None, read_text(path))
    return Extraction("docx", None, read_docx(path))
