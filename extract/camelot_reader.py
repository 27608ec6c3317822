"""Tables printed without ruling lines, through camelot's stream flavour.

pdfplumber's lattice finds nothing on such a page; camelot groups the words into rows and
columns by their alignment. It runs only on pages that have text but no ruled table, so a
ruled document never pays for it. Pinned to camelot-py 1.0.9: 2.0.0 sizes characters from the
font's bounding box and drops Chinese text into the row above (tests/test_camelot.py).
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

from .pdf_reader import CellBox, TablePart

log = logging.getLogger(__name__)


def stream_parts(path: Path, page_no: int, page_height: float) -> list[TablePart]:
    """Table parts camelot finds on one page, in perftab's top-left coordinates."""
    import camelot  # heavy import (OpenCV); only pages that need it pay for it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tables = camelot.read_pdf(str(path), pages=str(page_no), flavor="stream")
    except Exception as exc:  # camelot raises bare Exceptions for pages it cannot lay out
        log.info("camelot stream found no table on %s p%d: %s", path, page_no, exc)
        return []
    parts = []
    for table in sorted(tables, key=lambda t: -t._bbox[3]):
        cells = [
            CellBox(
                (c.x1, page_height - c.y2, c.x2, page_height - c.y1),
                "".join(line.strip() for line in c.text.split("\n")),
            )
            for row in table.cells
            for c in row
        ]
        x1, y1, x2, y2 = table._bbox
        bbox = (x1, page_height - y2, x2, page_height - y1)
        parts.append(TablePart(page_no, bbox, cells))
    return parts
