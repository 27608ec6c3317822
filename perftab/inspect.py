"""What the readers found on one page, kept and drawn: the first thing to open when a table comes
out wrong.

    inspect_page(path, page) -> PageFindings    the intermediates, as the readers made them
    draw_findings(findings)  -> PIL image       the page with them drawn on it

`PageFindings` keeps what pdfplumber's `TableFinder` keeps for its edges and cells, one stage
further: the page's ruling lines (born-digital PDF pages), the table parts the page reader cut
(cells with their boxes), the grids stitched from them (cells with their spans), what each of
normalize's stages made of each grid (`GridReading`: the layout with its column roles, the
header block, the block rows, the joined rows, the levels), and the records read, each
indicator with its row's box and the repairs made to it. Boxes are in PDF points, top-left
origin, in the frame the reader used: for a scan, the picture turned upright and deskewed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from perftab.extract import detect_kind
from perftab.extract.formats import format_named
from perftab.extract.grid import BBox, Cell, Grid
from perftab.extract.pdf_reader import open_text_layer
from perftab.extract.records import TablePart
from perftab.extract.stitch import parts_to_grids
from perftab.normalize.records import IndicatorRecord, TableRecord
from perftab.normalize.stage_records import GridReading, IndicatorLayout, Layout
from perftab.normalize.table import read_grids

LABEL_POINTS = 6  # the labels' size on the page
if TYPE_CHECKING:
    import numpy as np

RENDER_DPI = 144.0  # a born-digital page drawn at twice its size in points: text stays legible
OCR_EXTRACTORS = ("ocr", "ocr-unruled")
# what is drawn, in what colour (RGB)
EDGE, CELL, SPAN = (70, 110, 230), (150, 150, 150), (240, 140, 0)
HEADER, ROLE, ROW, REPAIRED = (150, 60, 200), (0, 150, 70), (220, 30, 30), (230, 0, 200)


@dataclass
class PageFindings:
    path: Path
    kind: str
    page: int  # 1-based
    pages: int
    parts: list[TablePart]  # the page reader's tables on this page
    edges: list[dict] = field(default_factory=list)  # ruling lines (born-digital PDF pages)
    grids: list[Grid] = field(default_factory=list)  # stitched grids with a cell on this page
    readings: list[GridReading] = field(default_factory=list)  # normalize's stages, per grid
    tables: list[TableRecord] = field(default_factory=list)  # read from those grids

    @property
    def layouts(self) -> list[IndicatorLayout | None]:
        """The indicator block's column layout of each grid (None: no block found)."""
        return [reading.layout.columns for reading in self.readings]

    @property
    def scanned(self) -> bool:
        return any(p.extractor in OCR_EXTRACTORS for p in self.parts) or self.kind == "image"

    def indicators(self) -> list[IndicatorRecord]:
        """The indicators whose row is on this page."""
        return [i for t in self.tables for i in t.indicators if i.page == self.page]

    def row_box(self, ind: IndicatorRecord) -> BBox | None:
        """The box of the row an indicator was read from: across the row's cells, as high as
        its target cell (a merged 一级 cell beside it spans many rows)."""
        if ind.x0 is None or ind.top is None or ind.x1 is None or ind.bottom is None:
            return None
        target = (ind.x0, ind.top, ind.x1, ind.bottom)
        for grid in self.grids:
            for row in grid.rows:
                cells = [c for c in row if c is not None and c.bbox and c.page == self.page]
                if any(c.bbox == target for c in cells):
                    boxes = [c.bbox for c in cells if c.bbox]
                    return (min(b[0] for b in boxes), ind.top, max(b[2] for b in boxes), ind.bottom)
        return target


class NotAPage(ValueError):
    """The file has no page to draw (a DOCX, a workbook, text), or not the page asked for."""


def inspect_page(path: Path, page: int = 1) -> PageFindings:
    """Everything the readers found on page `page` of a PDF or page image."""
    kind = detect_kind(path)
    fmt = format_named(kind)
    if fmt.read_parts is None:
        raise NotAPage(f"{path}: a {kind} file has no pages to draw; inspect reads PDFs and "
                       "page images")
    parts, pages = fmt.read_parts(path)
    if not 1 <= page <= pages:
        raise NotAPage(f"{path}: no page {page} (the file has {pages})")
    grids = parts_to_grids(parts, str(path))
    on_page = [g for g in grids if page in g.pages]
    readings = read_grids(on_page, "inspect")
    findings = PageFindings(
        path, kind, page, pages, [p for p in parts if p.page == page], grids=on_page,
        readings=readings, tables=[table for reading in readings for table in reading.tables],
    )
    if kind == "pdf" and not findings.scanned:
        findings.edges = ruling_lines(path, page)
    return findings


def ruling_lines(path: Path, page: int) -> list[dict]:
    """The page's edges as pdfplumber's table finder takes them (x0, top, x1, bottom)."""
    with open_text_layer(path) as pdf:
        for number, found in enumerate(pdf.pages(), start=1):
            if number == page:
                return [
                    {k: float(e[k]) for k in ("x0", "top", "x1", "bottom")} for e in found.edges
                ]
    return []


# --- drawing -----------------------------------------------------------------------------------


def page_picture(findings: PageFindings):
    """The page as a PIL image, and its pixels per point: a born-digital page rendered by
    pypdfium2, a scanned page or image as the reader saw it (upright, deskewed)."""
    from PIL import Image

    if findings.scanned:
        from perftab.extract.scan_reader import PageJob, load_picture, straighten

        dpi = _scan_dpi(findings)
        frame = findings.page - 1 if findings.kind == "image" else None
        job = PageJob(str(findings.path), findings.page, dpi, "inspect", frame)
        gray: np.ndarray = straighten(load_picture(job), dpi).gray  # type: ignore[assignment]
        return Image.fromarray(gray).convert("RGB"), dpi / 72
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(findings.path))
    try:
        bitmap = pdf[findings.page - 1].render(scale=RENDER_DPI / 72)
        return bitmap.to_pil().convert("RGB"), RENDER_DPI / 72
    finally:
        pdf.close()


def _scan_dpi(findings: PageFindings) -> float:
    """The resolution the scan reader read the page at."""
    from perftab.extract import scan_reader

    if findings.kind == "image":
        from PIL import Image

        with Image.open(findings.path) as image:
            return scan_reader._image_dpi(image)
    with open_text_layer(findings.path) as pdf:
        for number, page in enumerate(pdf.pages(), start=1):
            if number == findings.page:
                return scan_reader.page_job(findings.path, page, "inspect").dpi
    return scan_reader.DEFAULT_DPI


def draw_findings(findings: PageFindings):
    """The page with the findings drawn: ruling lines blue, the reader's cells grey, merged
    cells orange with their span, the header block violet, each column's role green above its
    header cell, each indicator row red (magenta when repaired) with its number."""
    from PIL import ImageDraw, ImageFont

    picture, scale = page_picture(findings)
    pen = ImageDraw.Draw(picture)
    font = ImageFont.load_default(size=round(LABEL_POINTS * scale))

    def box(b: BBox, colour, width: int = 1, label: str = "", above: bool = False) -> None:
        x0, top, x1, bottom = (v * scale for v in b)
        pen.rectangle((x0, top, x1, bottom), outline=colour, width=width)
        if label:
            lift = (LABEL_POINTS + 1) * scale if above else -scale
            pen.text((x0 + 2, top - lift), label, fill=colour, font=font)

    for e in findings.edges:
        pen.line([(e["x0"] * scale, e["top"] * scale), (e["x1"] * scale, e["bottom"] * scale)],
                 fill=EDGE, width=1)
    for part in findings.parts:
        for cell in part.cells:
            box(cell.bbox, CELL)
    for reading in findings.readings:
        _draw_grid(reading, findings.page, box)
    for ind in findings.indicators():
        if (row := findings.row_box(ind)) is None:
            continue
        colour = REPAIRED if ind.repairs else ROW
        label = f"{ind.seq}" + (f" repaired ({len(ind.repairs)})" if ind.repairs else "")
        box(row, colour, 2, label)
    return picture


def _draw_grid(reading: GridReading, page: int, box) -> None:
    grid, layout = reading.grid, reading.layout
    cells = {id(c): c for row in grid.rows for c in row if c is not None and c.page == page}
    for cell in cells.values():
        if cell.bbox and (cell.rowspan > 1 or cell.colspan > 1):
            box(cell.bbox, SPAN, 2, f"{cell.rowspan}x{cell.colspan}")
    if layout.columns is None and layout.tree is None:
        return
    header = [box_on(c, page) for r in reading.header.rows for c in grid.rows[r]]
    if drawn := [b for b in header if b is not None]:
        box(_enclosing(drawn), HEADER, 3, "header block", True)
    for col, role in _roles(layout):
        if (heading := box_on(grid.rows[layout.header_row][col], page)) is not None:
            box(heading, ROLE, 2, role)


def _roles(layout: Layout) -> list[tuple[int, str]]:
    """Each heading's column and the role normalize gave it; a tree's name column is "tree"."""
    if layout.tree is not None:
        return [(layout.tree.name_col, "tree"), *layout.tree.roles.items()]
    groups = layout.columns.groups if layout.columns is not None else []
    return [(col, role) for group in groups for col, role in group.roles.items()]


def box_on(cell: Cell | None, page: int) -> BBox | None:
    """A cell's box, if it is on `page`."""
    return cell.bbox if cell is not None and cell.page == page else None


def _enclosing(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))  # fmt: skip
