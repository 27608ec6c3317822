"""The records the page readers hand to stitching: a table as found on one page (`TablePart`)
and its cells with their boxes (`CellBox`). The PDF text-layer reader (pdf_reader.py), the
unruled-page reader (unruled.py) and the scan readers (scan_reader.py, scan_unruled.py) make
them; stitch.py turns them into grids (grid.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .grid import BBox, TextLine


@dataclass
class CellBox:
    bbox: BBox
    text: str
    confidence: float | None = None  # OCR only: the lowest score of the cell's text lines
    indent: float | None = None  # points from the cell's left edge to its first line's text
    doubt: str | None = None  # why the reader may have read the cell wrong, for its row's warnings


# the repair note of a photographed page made rectangular (perspective.Flattening): its picture
# is at a scale of its own, set by how near the camera stood
PERSPECTIVE_NOTE = "perspective corrected"


@dataclass
class TablePart:
    """One table as found on one page, before stitching."""

    page: int
    bbox: BBox
    cells: list[CellBox]
    lines_before: list[TextLine] = field(default_factory=list)  # printed since the previous part
    extractor: str = "pdf-text"  # "ocr" for a part read from the page's picture (scan_reader.py)
    # what was done to the page's picture before it was read, e.g. "page 2 turned 90° clockwise,
    # deskewed +2.4°" (scan_reader.py); every row read from the part carries it as a repair
    notes: list[str] = field(default_factory=list)
    # (offset, scale): where this part's x stands in the frame of the table it continues,
    # offset + x * scale (stitch.scanned_continuation); its boxes stay in its page's frame
    x_to_table: tuple[float, float] = (0.0, 1.0)

    @property
    def photographed(self) -> bool:
        return any(PERSPECTIVE_NOTE in note for note in self.notes)

    def table_x(self, x: float) -> float:
        offset, scale = self.x_to_table
        return offset + x * scale


def cell_locator(page: int, bbox: BBox) -> str:
    return f"p{page} ({bbox[0]:.1f},{bbox[1]:.1f},{bbox[2]:.1f},{bbox[3]:.1f})"
