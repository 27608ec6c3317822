"""The input formats perftab reads: one registry entry each, with its name (the `kind` in the
files manifest), its file name suffixes, how it is told by its content, the checks made before
it is opened, and its reader. Detection (`detect_kind`), folder discovery (`content_kind`),
the "perftab reads …" hint and the README's list all come from `FORMATS`.

Adding a format is one `InputFormat` here and one reader module that turns a file into grids
(extract/grid.py). A format told by its first bytes (`by_content`) is read whatever the file's
name; one told only by its suffix is read when named so.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from importlib import import_module
from pathlib import Path
from typing import IO

from .encoding import as_utf8_head
from .errors import (
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    PasswordProtected,
    UnreadableDocument,
    UnsupportedFileType,
)
from .grid import Grid
from .limits import check_image, check_package, check_page_sizes, check_sheet_cells
from .pdf_damage import check_reference_loops, damaged
from .records import TablePart
from .scan_reader import read_image_parts

HEAD_BYTES = 64 * 1024
CONTENT_HEAD_BYTES = 8 * 1024  # what the formats told by their first bytes need of a file's start
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # compound files: legacy Office, password-protected OOXML
# PNG, JPEG, TIFF (little- and big-endian): page images, read by OCR (scan_reader.py)
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
# How an HTML file starts, after a BOM and blank space: some exporters write a bare <table>.
HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<table")
# A pipe table's delimiter row, | --- | :---: |, as the sign of Markdown whatever the name.
MARKDOWN_RULE = re.compile(rb"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*\|[ \t:|-]*$", re.MULTILINE)


class Head:
    """The first bytes of a file, and what sniffing needs from them, worked out once. `fh`, when
    given, is the file open for reading (a URL's, through fsspec): a ZIP package's part names are
    read through it rather than from `path`."""

    def __init__(self, path: Path, data: bytes, fh: IO[bytes] | None = None):
        self.path = path
        self.data = data
        self.suffix = path.suffix.lower()
        self.fh = fh

    @cached_property
    def text(self) -> bytes:
        """The head as UTF-8 (a UTF-16/32 text re-encoded), without a BOM."""
        return as_utf8_head(self.data)

    @cached_property
    def zip_names(self) -> set[str] | None:
        """The part names of a ZIP package; None when it is damaged."""
        try:
            with zipfile.ZipFile(self.fh if self.fh is not None else self.path) as archive:
                return set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None

    @cached_property
    def ole_streams(self) -> set[str]:
        """The top-level stream names of a compound file (legacy Office), lower-cased; empty
        when it is not one or is damaged."""
        import olefile

        if not self.data.startswith(OLE_MAGIC):
            return set()
        source = self.fh if self.fh is not None else self.path
        try:
            if self.fh is not None:
                self.fh.seek(0)
            with olefile.OleFileIO(source) as ole:
                return {entry[0].lower() for entry in ole.listdir() if len(entry) == 1}
        except Exception:  # a damaged compound file: the legacy-format message still fits it
            return set()


def _on_first_use(module: str, name: str) -> Callable:
    """The reader `module.name`, imported when a file of its format is first read: a run over
    PDFs does not import openpyxl, python-docx or lxml, nor one over DOCX pdfplumber (each a
    fair part of a short run's time)."""

    def reader(*args):
        return getattr(import_module(module, __package__), name)(*args)

    reader.__name__ = name
    return reader


read_docx = _on_first_use(".docx_reader", "read_docx")
read_xlsx = _on_first_use(".xlsx_reader", "read_xlsx")
read_xls = _on_first_use(".xls_reader", "read_xls")
read_pdf_parts = _on_first_use(".pdf_reader", "read_pdf_parts")
read_html = _on_first_use(".html_reader", "read_html")
read_markdown = _on_first_use(".markdown_reader", "read_markdown")
read_text = _on_first_use(".text_reader", "read_text")


@dataclass(frozen=True)
class InputFormat:
    """One input format. `sniff` says from a file's head whether it is one; `read` turns it
    into grids, or `read_parts` into table parts and a page count (paged formats, whose tables
    are stitched across pages). `check` refuses a file over the limits before any reader opens
    it. A format with no reader is one perftab recognises to refuse with advice (legacy Office),
    so that a folder's such files get a row in `files` rather than nothing."""

    name: str
    suffixes: tuple[str, ...]
    description: str  # how the hint and the README name it
    sniff: Callable[[Head], bool]
    by_content: bool = False  # told by its first bytes, never by a guess: read whatever its name
    read: Callable[[Path], list[Grid]] | None = None
    read_parts: Callable[[Path], tuple[list[TablePart], int]] | None = None
    check: Callable[[Path, int | None], None] | None = None  # (path, max_pages)


def _is_pdf(head: Head) -> bool:
    return head.data.startswith(b"%PDF")


def _is_image(head: Head) -> bool:
    return head.data.startswith(IMAGE_MAGIC)


def _is_docx(head: Head) -> bool:
    """DOCX and XLSX are both ZIP packages; their main part tells them apart. A damaged package
    goes to the reader its name promises, which says what is wrong with it."""
    if not head.data.startswith(ZIP_MAGIC):
        return False
    names = head.zip_names
    return "word/document.xml" in names if names is not None else head.suffix != ".xlsx"


def _is_xlsx(head: Head) -> bool:
    if not head.data.startswith(ZIP_MAGIC):
        return False
    names = head.zip_names
    return "xl/workbook.xml" in names if names is not None else head.suffix == ".xlsx"


def _is_xls(head: Head) -> bool:
    """A compound file holding a workbook stream: BIFF8 ("Workbook") or BIFF5 ("Book"). A
    password-protected .xlsx is a compound file too, with an EncryptedPackage stream instead."""
    return bool(head.ole_streams & {"workbook", "book"})


def _looks_html(head: Head) -> bool:
    return head.text.lstrip().lower().startswith(HTML_STARTS)


def _is_markdown(head: Head) -> bool:
    """A .md name wins over HTML content: MinerU's Markdown may open with a table written as
    HTML, and the Markdown reader reads those too."""
    if head.suffix in MARKDOWN.suffixes:
        return True
    is_html = _looks_html(head) or head.suffix in HTML.suffixes
    return not is_html and bool(MARKDOWN_RULE.search(head.text))


def _is_html(head: Head) -> bool:
    if head.suffix in MARKDOWN.suffixes:
        return False
    return _looks_html(head) or head.suffix in HTML.suffixes


def _named_so(head: Head) -> bool:
    return head.suffix in TEXT.suffixes


def _never(head: Head) -> bool:
    return False


def _check_pdf(path: Path, max_pages: int | None) -> None:
    """The page count and every page's size from the page tree, without reading a page; nothing
    when pdfium cannot open the file (damaged, encrypted): the PDF reader then says what is
    wrong with it. A page the tree counts but does not lead to (a tree that points at itself)
    makes the file damaged, and so does a loop of references pdfminer would follow for ever."""
    import pypdfium2 as pdfium

    check_reference_loops(path)
    with open(path, "rb") as fh:  # a file object: pdfium cannot open a name that is not UTF-8
        try:
            pdf = pdfium.PdfDocument(fh)
        except pdfium.PdfiumError:
            return
        try:
            pages = len(pdf)
            check_page_count(path, pages, max_pages)
            check_page_sizes(path, [_page_size(path, pdf, i) for i in range(pages)])
        finally:
            pdf.close()


def _page_size(path: Path, pdf, index: int) -> tuple[float, float]:
    import pypdfium2 as pdfium

    try:
        return pdf.get_page_size(index)
    except pdfium.PdfiumError as exc:
        raise damaged(path, f"its page tree does not lead to page {index + 1} of {len(pdf)}: "
                            f"{exc}") from None


def _check_image(path: Path, max_pages: int | None) -> None:
    check_page_count(path, check_image(path, max_pages), max_pages)


def _check_docx(path: Path, max_pages: int | None) -> None:
    check_package(path)


def _check_xlsx(path: Path, max_pages: int | None) -> None:
    check_package(path)
    check_sheet_cells(path)


def check_page_count(path: Path, frames: int, max_pages: int | None) -> None:
    if max_pages is not None and frames > max_pages:
        raise DocumentTooLarge(
            path, f"{frames} pages, over the limit of {max_pages} pages (--max-pages)"
        )


PDF = InputFormat(
    "pdf", (".pdf",), ".pdf", _is_pdf, by_content=True,
    read_parts=read_pdf_parts, check=_check_pdf,
)
IMAGE = InputFormat(
    "image", (".png", ".jpg", ".jpeg", ".tif", ".tiff"), "page images .png/.jpg/.tif",
    _is_image, by_content=True, read_parts=read_image_parts, check=_check_image,
)
DOCX = InputFormat(
    "docx", (".docx",), ".docx", _is_docx, by_content=True, read=read_docx,
    check=_check_docx,
)
XLSX = InputFormat(
    "xlsx", (".xlsx",), ".xlsx", _is_xlsx, by_content=True, read=read_xlsx,
    check=_check_xlsx,
)
XLS = InputFormat("xls", (".xls", ".et"), ".xls", _is_xls, by_content=True, read=read_xls)
MARKDOWN = InputFormat(
    "markdown", (".md", ".markdown"), "Markdown .md", _is_markdown, read=read_markdown
)
HTML = InputFormat("html", (".html", ".htm"), ".html/.htm", _is_html, read=read_html)
TEXT = InputFormat("text", (".txt", ".tsv"), "tab-separated .txt/.tsv", _named_so, read=read_text)
# Legacy Word files cannot be read, but an archive holds them beside the rest: each gets a row
# in `files` that says how to convert it (detect_kind words it from the compound file).
LEGACY_OFFICE = InputFormat("legacy_office", (".doc", ".wps"), "legacy Word/WPS", _never)

# The formats told by their first bytes are tried before those told by name (detect_kind).
FORMATS: list[InputFormat] = [PDF, DOCX, XLSX, XLS, HTML, MARKDOWN, TEXT, IMAGE, LEGACY_OFFICE]


def format_named(kind: str) -> InputFormat:
    return next(f for f in FORMATS if f.name == kind)


def format_for_suffix(suffix: str) -> InputFormat | None:
    """The format a file name's suffix promises, if any."""
    return next((f for f in FORMATS if suffix.lower() in f.suffixes), None)


def input_suffixes() -> set[str]:
    """Every suffix a file inside a folder is taken for an input by."""
    return {suffix for f in FORMATS for suffix in f.suffixes}


def content_kinds() -> set[str]:
    """The kinds a file is read as whatever its name."""
    return {f.name for f in FORMATS if f.by_content}


def readable_formats_hint() -> str:
    names = [f.description for f in FORMATS if f.read or f.read_parts]
    return f"perftab reads {', '.join(names[:-1])} and {names[-1]}"


def content_kind(fh: IO[bytes], name: str) -> str | None:
    """The kind of a file read whatever its name (`content_kinds`: a PDF, a page image, DOCX or
    XLSX), told by its first bytes, or None. `fh` is the file open for reading in binary, from
    its start, and seekable (a ZIP package's part names are at its end); `name` is its file
    name. How folder discovery tells a download saved without its extension, local or a URL."""
    head = Head(Path(name), fh.read(CONTENT_HEAD_BYTES), fh)
    return next((f.name for f in FORMATS if f.by_content and f.sniff(head)), None)


def detect_kind(path: Path) -> str:
    """The document kind by content, falling back to the name only to word the error."""
    with open(path, "rb") as fh:
        data = fh.read(HEAD_BYTES)
    if not data:
        raise EmptyDocument(path, "the file is empty (0 bytes)")
    head = Head(path, data)
    for by_content in (True, False):
        if by_content is False:
            _refuse_container(head)
        for fmt in FORMATS:
            if fmt.by_content == by_content and fmt.sniff(head):
                return fmt.name
    expected = format_for_suffix(head.suffix)
    if expected and expected.by_content:
        raise UnreadableDocument(
            path, f"named {path.suffix} but is not a {expected.name.upper()} file"
        )
    raise unsupported(path, f"unsupported file type {path.suffix or '(no extension)'}")


def unsupported(path: Path, cause: str) -> UnsupportedFileType:
    return UnsupportedFileType(path, cause, hint=readable_formats_hint())


def _refuse_container(head: Head) -> None:
    """A ZIP package or compound file no format claimed: say what it is and what to do."""
    path = head.path
    if head.data.startswith(ZIP_MAGIC):
        expected = format_for_suffix(head.suffix)
        if expected in (DOCX, XLSX):
            raise UnreadableDocument(
                path, f"named {path.suffix} but is not a {expected.name.upper()} file"
            )
        raise unsupported(
            path, "a ZIP archive that is neither a Word (.docx) nor an Excel (.xlsx) document"
        )
    if head.data.startswith(OLE_MAGIC):
        raise _compound_file_error(head)


def _compound_file_error(head: Head) -> DocumentError:
    """OLE compound files no format claimed: password-protected DOCX/XLSX (Word, Excel and WPS
    save one with an EncryptedPackage stream, MS-OFFCRYPTO), legacy Word/WPS, and files named
    as workbooks that hold none."""
    path = head.path
    if "encryptedpackage" in head.ole_streams:
        return PasswordProtected(path, "the file is password-protected (an encrypted Office file)")
    if head.suffix in (".xls", ".xlsx", ".et"):
        return UnreadableDocument(
            path,
            f"named {path.suffix} but the compound file holds no Excel workbook (damaged, or "
            "another program's file)",
        )
    return unsupported(
        path,
        "a legacy Word/WPS (.doc/.wps) file; convert it to .docx first: "
        f"soffice --headless --convert-to docx '{path}'",
    )


def formats_table() -> str:
    """The README's table of input formats (tests/test_formats.py keeps the two equal)."""
    lines = ["| kind | file names | taken from a folder by |", "|---|---|---|"]
    for fmt in FORMATS:
        names = ", ".join(f"`{suffix}`" for suffix in fmt.suffixes)
        found = "its name or its first bytes" if fmt.by_content else "its name"
        if not (fmt.read or fmt.read_parts):
            found = "its name; refused with how to convert it"
        lines.append(f"| `{fmt.name}` | {names} | {found} |")
    return "\n".join(lines) + "\n"
