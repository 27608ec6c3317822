"""A second reading of ruled PDF pages by camelot's lattice flavour, to cross-check pdfplumber.

camelot finds the ruling lines in a rendered image of the page and places each character by
its box; pdfplumber reads the vector lines. Where both agree on a cell's text, the extraction
did not depend on one library's geometry. It renders every page it checks, so it runs only when
asked (`perftab extract --cross-check`).

Pinned to camelot-py 1.0.9: 2.0.0 sizes characters from the font's bounding box and drops
Chinese text into the row above (tests/test_camelot.py fails if that comes back).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from .grid import Grid

_SPACE = re.compile(r"\s+")


def camelot_rows(path: Path, page: int) -> list[list[str]]:
    """Every table row camelot's lattice finds on one page, cell texts with whitespace removed."""
    import camelot  # heavy (OpenCV, rendering); only a cross-check pays for it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = camelot.read_pdf(str(path), pages=str(page), flavor="lattice")
    return [
        [_SPACE.sub("", text) for text in row]
        for table in tables
        for row in table.df.values.tolist()
    ]


def cross_check(grid: Grid, path: Path) -> dict[int, list[str]]:
    """Warnings by grid row for cells whose text camelot did not find in any one row of the page
    beside the row's other texts."""
    by_page = {page: camelot_rows(path, page) for page in grid.pages}
    warnings_by_row: dict[int, list[str]] = {}
    for r, row in enumerate(grid.rows):
        own = [
            c
            for c in dict.fromkeys(row)
            if c is not None and c.text and c.rowspan == 1 and c.carried_from is None
        ]
        if len(own) < 2 or own[0].page is None:
            continue
        texts = [_SPACE.sub("", c.text) for c in own]
        if not any(all(t in cells for t in texts) for cells in by_page[own[0].page]):
            warnings_by_row[r] = [f"camelot reads this row differently: {' | '.join(texts)}"]
    return warnings_by_row
