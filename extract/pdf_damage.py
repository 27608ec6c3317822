"""A damaged PDF told from a PDF without tables: the errors PDFium and pdfminer raise on a broken
file worded as what is wrong with it, and the checks for the damage both libraries pass over in
silence (a content stream that does not decompress, a loop of references).

PDFium repairs what it can and reads nothing where it cannot: a page whose content stream is
broken comes out blank, and a blank page would end as "no table found". pdfminer follows a
reference to a reference without end when two point at each other. So a PDF is searched for such
loops before either reads it (`check_reference_loops`), and a page PDFium found empty has its
content streams decoded once more (`PageContents.check`); what fails is `UnreadableDocument`,
error_kind `damaged`, with the cause.
"""

from __future__ import annotations

import mmap
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import DocumentError, UnreadableDocument

# an object that is only a reference to another: `5 0 obj 7 0 R endobj`, found from its
# literal `obj` (a pattern that starts with digits is tried at every byte: ten times slower)
_BARE_REFERENCE = re.compile(rb"obj\s*(\d+)\s+\d+\s+R\s*endobj")
_OBJECT_NUMBER = re.compile(rb"(\d+)\s+\d+\s+$")
LOOP = "its objects refer to each other in a loop"


def damaged(path: Path | str, cause: str) -> UnreadableDocument:
    return UnreadableDocument(path, f"not a readable PDF ({cause})")


@contextmanager
def pdf_damage(path: Path) -> Iterator[None]:
    """What PDFium and pdfminer raise on a broken file, as `UnreadableDocument` with its cause;
    perftab's own errors pass through."""
    import pypdfium2 as pdfium
    from pdfminer.pdfexceptions import PDFException
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        yield
    except DocumentError:
        raise
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        raise damaged(path, describe(cause)) from exc
    except (pdfium.PdfiumError, PDFException, PSException, RecursionError) as exc:
        raise damaged(path, describe(exc)) from exc


def describe(exc: object) -> str:
    """A reader's error in a few words: a RecursionError is a loop among the objects."""
    if isinstance(exc, RecursionError):
        return LOOP
    text = str(exc) or type(exc).__name__
    return text if len(text) < 120 else text[:117] + "..."


def check_reference_loops(path: Path) -> None:
    """Refuse a PDF in which objects that are only references point at each other in a ring:
    pdfminer would follow them for ever. Read from the file's bytes as written (objects packed
    in object streams are not seen; pdfminer's own recursion limit stops most loops there)."""
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        points_to = {}
        for match in _BARE_REFERENCE.finditer(data):
            number = _OBJECT_NUMBER.search(data[max(match.start() - 24, 0) : match.start()])
            if number:
                points_to[int(number[1])] = int(match[1])
    for start in points_to:
        seen = [start]
        target = points_to[start]
        while target in points_to and target not in seen:
            seen.append(target)
            target = points_to[target]
        if target in seen:
            ring = seen[seen.index(target):]
            names = " -> ".join(f"{n} 0 R" for n in [*ring, target])
            raise damaged(path, f"{LOOP}: {names}")


class PageContents:
    """A PDF's pages as pdfminer reads them, for checking the content streams of the pages
    PDFium found empty (`check`). The file is opened at the first page checked and its page
    tree walked once, in page order, however many of its pages are checked."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: BinaryIO | None = None
        self._pages: Iterator[tuple[int, object]] = iter(())
        self._last = 0  # the number of the page the walk stands at

    def __enter__(self) -> PageContents:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def check(self, page_number: int) -> None:
        """The page's content streams decoded again: one that cannot be decompressed, or
        cannot be reached, makes the file damaged (otherwise the page would pass for blank). A
        page without content, or whose content decodes, is left as it is."""
        with pdf_damage(self.path):
            page = self._page(page_number)
            for stream in page.contents if page is not None else []:
                _check_stream(self.path, page_number, stream)

    def _page(self, number: int):
        if self._file is None or number <= self._last:
            self._open()
        for at, page in self._pages:
            self._last = at
            if at == number:
                return page
        return None

    def _open(self) -> None:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser

        self.close()
        self._file = open(self.path, "rb")  # noqa: SIM115 -- held while pages are checked
        document = PDFDocument(PDFParser(self._file))
        self._pages, self._last = enumerate(PDFPage.create_pages(document), 1), 0

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def _check_stream(path: Path, page_number: int, stream) -> None:
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, decompress_corrupted

    if not isinstance(stream, PDFStream):
        raise damaged(path, f"page {page_number}'s content is not a stream")
    data: bytes = stream.rawdata if stream.rawdata is not None else (stream.data or b"")
    if stream.decipher and stream.rawdata is not None and stream.objid is not None:
        # encrypted without a user password
        data = stream.decipher(stream.objid, stream.genno or 0, data, stream.attrs)
    for name, _ in stream.get_filters():
        if name not in LITERALS_FLATE_DECODE:
            return  # other filters: pdfminer and PDFium agree on them, or both fail loudly
        try:
            data = zlib.decompress(data)
        except zlib.error as exc:
            try:
                data = decompress_corrupted(data)
            except zlib.error:
                raise damaged(
                    path, f"page {page_number}'s content stream does not decompress ({exc})"
                ) from None
