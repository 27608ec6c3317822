"""Born-digital PDF -> table parts (one per table per page) with cell geometry and text.

A page's characters, ruling lines and rectangles are read by PDFium (pdfium_page.py) or, with
`reader="pdfplumber"`, by pdfplumber's own parser, which gives the same objects several times
slower; either way pdfplumber's table finder finds the ruled cells. A merged cell comes out as
one rectangle, which `parts_to_grids` (stitch.py) turns into row/column spans over the table's
ruling lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from .chars import chars_to_text, text_indent
from .clipped_text import ClippedText, drawn_for, is_hidden
from .errors import EncryptedDocument, UnreadableDocument
from .grid import FORM_WORDS, BBox, TextLine
from .pdf_damage import PageContents, describe, pdf_damage
from .pdfium_page import PdfiumPdf
from .records import CellBox, TablePart, cell_locator
from .ruling import find_ruled_tables

READERS = ("pdfium", "pdfplumber")  # who reads a born-digital page's text layer
DEFAULT_READER = "pdfium"
# Every performance table prints one of these in its title or header row (指标 in 一级指标, 指标值;
# a form that drops it still heads its level columns 一级 … 三级): a page without ruling lines
# that prints none of them, and continues no table from the page before, is not searched for an
# unruled table. The Traditional forms too (指標, 績效, 一級, 三級).
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
# a gap the text extractor read as a space beside a Chinese character ("2023 年度…")
_CJK_SIDE_GAP = re.compile(r"(?<=[^\x00-\x7f]) +| +(?=[^\x00-\x7f])")


def read_pdf_parts(path: Path, reader: str = DEFAULT_READER) -> tuple[list[TablePart], int]:
    """All table parts in reading order, and the page count."""
    parts = PdfParts(path, reader)
    return list(parts), parts.pages


class PdfParts:
    """A PDF's table parts in reading order, read as they are iterated. Each page is read and
    let go once its parts are cut, and each part handed on once the lines printed before it are
    known, so memory does not grow with the page count: stitching keeps only the parts of the
    table it is joining. The pages whose text layer is missing or broken are read by OCR
    together once every page is read, and only those: a page with usable text is never
    rendered; the parts from the first such page on wait for them."""

    def __init__(self, path: Path, reader: str = DEFAULT_READER) -> None:
        self.path, self.reader = path, reader
        with pdf_damage(path):  # a file that cannot be opened says so here
            pdf = open_pdf(path, reader)
            try:
                self.pages = len(pdf)
            except BaseException:
                pdf.close()
                raise
        # kept for the first reading: pdfplumber parses the whole page tree to open a file
        self._opened: PdfiumPdf | PlumberPdf | None = pdf

    def _document(self) -> PdfiumPdf | PlumberPdf:
        """The document opened to count the pages, the first time; after that a new one."""
        pdf, self._opened = self._opened, None
        return pdf if pdf is not None else open_pdf(self.path, self.reader)

    def close(self) -> None:
        """Let go of the document opened to count the pages, if it was never read."""
        pdf, self._opened = self._opened, None
        if pdf is not None:
            pdf.close()

    def __iter__(self) -> Iterator[TablePart]:
        from .scan_reader import page_job, scan_pages, text_layer_problem

        order = _ReadingOrder()
        waiting: list[int | tuple[list[TablePart], list[TextLine]]] = []  # from the first scan
        jobs = []
        with (
            pdf_damage(self.path),
            closing(self._document()) as pdf,
            PageContents(self.path) as contents,
        ):
            columns = None  # an unruled table's columns, for its continuation on the next page
            for page in pdf.pages():
                if why := text_layer_problem(page):
                    if not any(page.objects.values()):  # blank, or its content stream is broken
                        contents.check(page.page_number)
                    jobs.append(page_job(self.path, page, why))
                    waiting.append(page.page_number)
                    columns = None
                else:
                    page_parts, trailing, columns = _page_parts(page, [], columns)
                    if waiting:
                        waiting.append((page_parts, trailing))
                    else:
                        yield from order.page(page_parts, trailing)
                page.close()
        scanned = scan_pages(jobs) if jobs else {}
        columns = None
        for page in waiting:
            if isinstance(page, int):
                read = scanned[page].continuing(columns)
                columns = read.columns
                yield from order.scanned(read)
            else:
                columns = None
                yield from order.page(*page)


class _ReadingOrder:
    """Each page's first part given the lines printed since the previous page's last part."""

    def __init__(self) -> None:
        self.pending: list[TextLine] = []

    def page(self, parts: list[TablePart], trailing: list[TextLine]) -> list[TablePart]:
        if parts:
            parts[0].lines_before = self.pending + parts[0].lines_before
            self.pending = trailing
        else:
            self.pending = self.pending + trailing
        return parts

    def scanned(self, page) -> list[TablePart]:
        """A page read by OCR (scan_reader.ScannedPage)."""
        parts, self.pending = page.parts_after(self.pending)
        return parts


@contextmanager
def open_text_layer(path: Path, reader: str = DEFAULT_READER):
    """The PDF's pages as pdfplumber pages, read by PDFium (`pdfium`) or by pdfplumber itself
    (`pdfplumber`). A file PDFium cannot open is handed to pdfplumber, which reads it or says
    what is wrong with it."""
    pdf = open_pdf(path, reader)
    try:
        yield pdf
    finally:
        pdf.close()


def open_pdf(path: Path, reader: str = DEFAULT_READER) -> PdfiumPdf | PlumberPdf:
    """The PDF opened as `open_text_layer` opens it; the caller closes it."""
    if reader not in READERS:
        raise ValueError(f"pdf_reader: {reader!r} is not one of {', '.join(READERS)}")
    if reader == "pdfium":
        try:
            return PdfiumPdf(path)
        except EncryptedDocument:
            raise
        except UnreadableDocument:
            pass
    return PlumberPdf(path)


class PlumberPdf:
    """A PDF read by pdfplumber (pdfminer), its pages marked with their clips by PDFium."""

    def __init__(self, path: Path) -> None:
        self._pdf = _open_pdf(path)
        self._clipped = ClippedText(path)

    def __len__(self) -> int:
        return len(self._pdf.pages)

    def pages(self):
        for page in self._pdf.pages:
            self._clipped.mark(page)
            yield page

    def close(self) -> None:
        self._clipped.close()
        self._pdf.close()


def _open_pdf(path: Path):
    try:
        pdf = pdfplumber.open(path)
        _ = pdf.pages  # parses the page tree: damage shows here, not later
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise EncryptedDocument(path, "the PDF is encrypted with a password") from exc
        raise UnreadableDocument(path, f"not a readable PDF ({_describe(cause)})") from exc
    except (PDFSyntaxError, ValueError, TypeError, KeyError) as exc:
        raise UnreadableDocument(path, f"not a readable PDF ({_describe(exc)})") from exc
    return pdf


def _describe(exc: object) -> str:
    return describe(exc)


def _page_parts(page, pending: list[TextLine], columns=None):
    """Tables on one page, each with the lines printed before it; lines after the last table
    carry over to the next page. A page with too few ruling lines to make a table is read from
    its text positions (unruled.py), continuing the previous page's unruled `columns`; unless
    it continues no table and prints none of the form's words: then it is prose (most pages of
    a budget volume), and only its lines are read."""
    page_no = page.page_number
    tables = find_ruled_tables(page, TABLE_SETTINGS) if page.edges else []
    if not tables:
        from .unruled import page_lines, unruled_parts

        if columns is None and not prints_form_words(page.chars):
            return [], pending + page_lines(page), None
        return unruled_parts(page, pending, columns)
    chars = page.chars
    lines = _lines_outside(page, [t.bbox for t in tables], page_no)
    parts = []
    for table in tables:
        before = [ln for ln in lines if ln[0] < table.bbox[1]]
        lines = [ln for ln in lines if ln[0] >= table.bbox[1]]
        cells = _cell_texts(table.cells, chars)
        parts.append(TablePart(page_no, table.bbox, cells, pending + [ln[1] for ln in before]))
        pending = []
    return parts, pending + [ln[1] for ln in lines], None


def prints_form_words(chars: list[dict]) -> bool:
    """Whether a page prints a word of a performance table's heading or header row."""
    text = "".join(ch["text"] for ch in chars)
    return any(word in text for word in FORM_WORDS)


def _lines_outside(page, boxes: list[BBox], page_no: int) -> list[tuple[float, TextLine]]:
    def outside(obj) -> bool:
        if is_hidden(obj):
            return False
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        # asked of every character of the page: a loop, not a generator made for each
        for x0, top, x1, bottom in boxes:  # noqa: SIM110
            if x0 <= cx <= x1 and top <= cy <= bottom:
                return False
        return True

    lines = page.filter(outside).extract_text_lines(return_chars=False)
    return [
        (ln["top"], TextLine(_CJK_SIDE_GAP.sub("", text), cell_locator(page_no, _box(ln)), page_no))
        for ln in lines
        if (text := ln["text"].strip())
    ]


def _box(obj) -> BBox:
    return (obj["x0"], obj["top"], obj["x1"], obj["bottom"])


def _cell_texts(boxes: list[BBox], chars: list[dict]) -> list[CellBox]:
    """Assign each character to the cell holding its centre, then join each cell's lines."""
    buckets: list[list[dict]] = [[] for _ in boxes]
    find = _BoxFinder(boxes)
    for ch in chars:
        if (i := drawn_for(ch, boxes)) is not None:  # clipped to its cell, wherever it landed
            buckets[i].append(ch)
            continue
        if is_hidden(ch):
            continue
        i = find((ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2)
        if i is not None:
            buckets[i].append(ch)
    pairs = zip(boxes, buckets, strict=True)
    return [
        CellBox((box[0], box[1], box[2], box[3]), chars_to_text(bucket),
                indent=text_indent(box, bucket))
        for box, bucket in pairs
    ]


class _BoxFinder:
    """The first of `boxes` holding a point, looking only at the boxes across the point's
    band of the page (a page's characters times its cells is too many pairs to try)."""

    BAND = 8.0  # points

    def __init__(self, boxes: list[BBox]) -> None:
        self._boxes = boxes
        self._bands: dict[int, list[int]] = {}
        for i, (_, top, _, bottom) in enumerate(boxes):
            for band in range(int(top // self.BAND), int(bottom // self.BAND) + 1):
                self._bands.setdefault(band, []).append(i)

    def __call__(self, x: float, y: float) -> int | None:
        for i in self._bands.get(int(y // self.BAND), ()):
            x0, top, x1, bottom = self._boxes[i]
            if x0 <= x <= x1 and top <= y <= bottom:
                return i
        return None
