"""The record every reader produces: a rectangular grid of cells that keeps where each came from.

A merged cell is one `Cell` object placed in every slot it covers, so a reader of the grid sees
its text in every row of a vertically merged 一级 block, and can still tell the origin slot
(`cell.row`, `cell.col`) from a covered one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]
# words a performance form's tables print (its headings, its title), Simplified and Traditional:
# a table holding none is no such form
FORM_WORDS = ("指标", "绩效", "一级", "三级", "指標", "績效", "一級", "三級")
# Spaces between two Chinese characters: a text layer's or OCR's gap, never a printed space
CJK_GAP = re.compile(r"(?<=[^\x00-\x7f]) +(?=[^\x00-\x7f])")


@dataclass(frozen=True)
class Cell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    page: int | None = None  # 1-based; None for inputs without pages
    bbox: BBox | None = None  # PDF points, top-left origin (pdfplumber's convention)
    locator: str = ""  # human-readable provenance, e.g. "p3 (56.7,80.1,120.0,95.3)"
    confidence: float | None = None  # OCR'd cells: the lowest score of their text; else None
    carried_from: str | None = None  # text printed in another cell (a merge cut by a page break)
    # points from the cell's left edge to where its text starts (PDF: the first line's first
    # character; DOCX: paragraph indent and leading spaces); None where the input has no layout
    indent: float | None = None
    doubt: str | None = None  # why the reader may have read it wrong (records.CellBox.doubt)


@dataclass(frozen=True)
class TextLine:
    """A line printed outside any table (title, year line, signatures)."""

    text: str
    locator: str
    page: int | None = None


@dataclass
class Grid:
    """One logical table, stitched over page breaks, with merged cells filled into every slot."""

    source_path: str
    extractor: str  # "pdf-text" | "docx"
    rows: list[list[Cell | None]]
    context: list[TextLine] = field(default_factory=list)  # lines printed before the table
    seams: list[int] = field(default_factory=list)  # row indices that start a new page
    repairs: dict[int, list[str]] = field(default_factory=dict)  # row index -> repairs done here
    warnings: dict[int, list[str]] = field(default_factory=dict)  # row index -> doubts about it
    # True for grids printed by some other tool as text: no spans, no geometry, cells may be
    # shifted or split; normalize may realign and join their rows.
    loose: bool = False

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    @property
    def pages(self) -> list[int]:
        return sorted({c.page for r in self.rows for c in r if c is not None and c.page})

    def text(self, r: int, c: int) -> str:
        cell = self.rows[r][c] if c < len(self.rows[r]) else None
        return cell.text if cell is not None else ""

    def row_texts(self, r: int) -> list[str]:
        return [self.text(r, c) for c in range(len(self.rows[r]))]

    def add_repair(self, r: int, note: str) -> None:
        self.repairs.setdefault(r, []).append(note)


def join_wrapped(lines: list[str]) -> str:
    """Join the lines of a wrapped cell: no space between CJK text, one space between words."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and _is_word_char(out[-1]) and _is_word_char(line[0]):
            out += " "
        out += line
    return out


def cell_lines_text(lines: list[str]) -> str:
    """A cell's lines as its text, as every reader gives it (a text layer's or OCR's): joined
    (join_wrapped), and no space left between two Chinese characters."""
    return CJK_GAP.sub("", join_wrapped(lines))


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def fill_spans(cells: list[Cell], n_rows: int, n_cols: int) -> list[list[Cell | None]]:
    """Place each cell in every slot it covers."""
    rows: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for cell in cells:
        for r in range(cell.row, min(cell.row + cell.rowspan, n_rows)):
            for c in range(cell.col, min(cell.col + cell.colspan, n_cols)):
                rows[r][c] = cell
    return rows
