"""Documents -> cell grids with geometry. Knows documents, not indicators."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .docx_reader import read_docx
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
from .grid import Cell, Grid, TextLine
from .html_reader import read_html
from .limits import check_image, check_package, check_page_sizes, check_sheet_cells
from .markdown_reader import read_markdown
from .pdf_reader import read_pdf_parts
from .scan_reader import read_image_parts
from .stitch import parts_to_grids
from .text_reader import bom_encoding, read_text
from .xlsx_reader import read_xlsx

__all__ = [
    "Cell",
    "DocumentError",
    "DocumentTooLarge",
    "EmptyDocument",
    "EncryptedDocument",
    "Grid",
    "PasswordProtected",
    "ResourceLimit",
    "TextLine",
    "UnreadableDocument",
    "UnsupportedFileType",
    "check_limits",
    "detect_kind",
    "document_to_grids",
]

SUFFIX_KINDS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx"}
TEXT_SUFFIXES = {".txt", ".tsv"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
EXCEL_SUFFIXES = {".xls", ".xlsx", ".et"}
# How an HTML file starts, after a BOM and blank space: some exporters write a bare <table>.
HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<table")
# A pipe table's delimiter row, | --- | :---: |, as the sign of Markdown whatever the name.
MARKDOWN_RULE = re.compile(rb"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*\|[ \t:|-]*$", re.MULTILINE)
HEAD_BYTES = 64 * 1024
# PNG, JPEG, TIFF (little- and big-endian): page images, read by OCR (scan_reader.py)
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
READERS = {
    "text": read_text,
    "markdown": read_markdown,
    "html": read_html,
    "xlsx": read_xlsx,
    "docx": read_docx,
}


@dataclass
class Extraction:
    kind: str
    pages: int | None
    grids: list[Grid]


def detect_kind(path: Path) -> str:
    """The document kind by content, falling back to the name only to word the error."""
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    if not head:
        raise EmptyDocument(path, "the file is empty (0 bytes)")
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(IMAGE_MAGIC):
        return "image"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _compound_file_error(path)
    kind = _text_kind(head, path.suffix.lower())
    if kind:
        return kind
    expected = SUFFIX_KINDS.get(path.suffix.lower())
    if expected:
        raise UnreadableDocument(path, f"named {path.suffix} but is not a {expected.upper()} file")
    raise UnsupportedFileType(path, f"unsupported file type {path.suffix or '(no extension)'}")


def _zip_kind(path: Path) -> str:
    """DOCX and XLSX are both ZIP packages; their main part tells them apart."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        # A damaged package: let the reader its name promises say what is wrong with it.
        return "xlsx" if path.suffix.lower() == ".xlsx" else "docx"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    expected = SUFFIX_KINDS.get(path.suffix.lower())
    if expected in ("docx", "xlsx"):
        raise UnreadableDocument(path, f"named {path.suffix} but is not a {expected.upper()} file")
    raise UnsupportedFileType(
        path, "a ZIP archive that is neither a Word (.docx) nor an Excel (.xlsx) document"
    )


def _compound_file_error(path: Path) -> DocumentError:
    """OLE compound files: password-protected DOCX/XLSX, legacy Word/WPS and Excel."""
    if _has_encrypted_package(path):
        return PasswordProtected(path, "the file is password-protected (an encrypted Office file)")
    return _legacy_office(path)


def _has_encrypted_package(path: Path) -> bool:
    """Word, Excel and WPS save a password-protected .docx/.xlsx as a compound file whose
    EncryptedPackage stream holds the encrypted package (MS-OFFCRYPTO); a legacy .doc has none."""
    import olefile

    try:
        with olefile.OleFileIO(path) as ole:
            return ole.exists("EncryptedPackage")
    except Exception:  # a damaged compound file: the legacy-format message still fits it
        return False


def _legacy_office(path: Path) -> UnsupportedFileType:
    """OLE compound files: legacy Word/WPS and Excel, and password-protected OOXML."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return UnsupportedFileType(
            path,
            "a legacy or password-protected Excel (.xls/.et) workbook; save it as .xlsx "
            f"without a password first: soffice --headless --convert-to xlsx '{path}'",
        )
    return UnsupportedFileType(
        path,
        "a legacy Word/WPS (.doc/.wps) file; convert it to .docx first: "
        f"soffice --headless --convert-to docx '{path}'",
    )


def _text_kind(head: bytes, suffix: str) -> str | None:
    """Text inputs by what they start with or hold. A .md name wins over HTML content: MinerU's
    Markdown may open with a table written as HTML, and the Markdown reader reads those too."""
    if bom_encoding(head) != "utf-8-sig":  # UTF-16/32: sniffed as the UTF-8 it would be
        head = head.decode(bom_encoding(head), "ignore").encode("utf-8")
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if start.startswith(HTML_STARTS) or suffix in HTML_SUFFIXES:
        return "html"
    if MARKDOWN_RULE.search(head):
        return "markdown"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


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
    if kind == "pdf":
        _check_pdf_pages(path, max_pages)
    elif kind == "image":
        _check_page_count(path, check_image(path, max_pages), max_pages)
    elif kind in ("docx", "xlsx"):
        check_package(path)
        if kind == "xlsx":
            check_sheet_cells(path)


def _size(n: int) -> str:
    return f"{n / 2**20:,.1f} MB" if n >= 2**20 else f"{n:,} bytes"


def _check_page_count(path: Path, frames: int, max_pages: int | None) -> None:
    if max_pages is not None and frames > max_pages:
        raise DocumentTooLarge(
            path, f"{frames} pages, over the limit of {max_pages} pages (--max-pages)"
        )


def _check_pdf_pages(path: Path, max_pages: int | None) -> None:
    """The page count and every page's size from the page tree, without reading a page; nothing
    when pdfium cannot open the file (damaged, encrypted): the PDF reader then says what is
    wrong with it."""
    import pypdfium2 as pdfium

    with open(path, "rb") as fh:  # a file object: pdfium cannot open a name that is not UTF-8
        try:
            pdf = pdfium.PdfDocument(fh)
        except pdfium.PdfiumError:
            return
        try:
            pages = len(pdf)
            _check_page_count(path, pages, max_pages)
            check_page_sizes(path, [pdf.get_page_size(i) for i in range(pages)])
        finally:
            pdf.close()


def document_to_grids(path: Path, kind: str | None = None) -> Extraction:
    kind = kind or detect_kind(path)
    if kind in ("pdf", "image"):
        read = read_pdf_parts if kind == "pdf" else read_image_parts
        parts, pages = read(path)
        return Extraction(kind, pages, parts_to_grids(parts, str(path)))
    return Extraction(kind, None, READERS[kind](path))
