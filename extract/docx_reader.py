"""DOCX -> grids. Merges are read from the table XML (w:gridSpan, w:vMerge), not from python-docx's
cell objects: a merged cell is the same underlying element in several places, and object ids
get reused, so identity tells nothing reliable about spans."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from .errors import UnreadableDocument
from .grid import Cell, Grid, TextLine, fill_spans, join_wrapped


@dataclass
class _OpenCell:
    text: str
    row: int
    col: int
    colspan: int
    rowspan: int = 1


def read_docx(path: Path) -> list[Grid]:
    body = _open_body(path)
    grids: list[Grid] = []
    context: list[TextLine] = []
    n_par = 0
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            n_par += 1
            text = Paragraph(child, None).text.strip()
            if text:
                context.append(TextLine(text, f"docx paragraph {n_par}"))
        elif child.tag == qn("w:tbl"):
            grid = _table_to_grid(child, len(grids) + 1, str(path))
            grid.context = context
            grids.append(grid)
            context = []
    return grids


def _open_body(path: Path):
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocument(path, f"not a readable DOCX file ({exc})") from exc
    return document.element.body


def _table_to_grid(tbl, table_no: int, source: str) -> Grid:
    cells = _table_cells(tbl)
    n_rows = max((c.row + c.rowspan for c in cells), default=0)
    n_cols = max((c.col + c.colspan for c in cells), default=0)
    frozen = [
        Cell(
            text=c.text,
            row=c.row,
            col=c.col,
            rowspan=c.rowspan,
            colspan=c.colspan,
            locator=f"docx table {table_no} row {c.row + 1} cell {c.col + 1}",
        )
        for c in cells
    ]
    return Grid(source_path=source, extractor="docx", rows=fill_spans(frozen, n_rows, n_cols))


def _table_cells(tbl) -> list[_OpenCell]:
    cells: list[_OpenCell] = []
    open_at: dict[int, _OpenCell] = {}  # grid column -> the cell a w:vMerge continue extends
    for r, tr in enumerate(tbl.iterchildren(qn("w:tr"))):
        col = _grid_before(tr)
        for tc in tr.iterchildren(qn("w:tc")):
            span, vmerge = _tc_span(tc)
            above = open_at.get(col)
            if vmerge == "continue" and above is not None and above.col == col:
                above.rowspan = r - above.row + 1
            else:
                cell = _OpenCell(_tc_text(tc), r, col, span)
                cells.append(cell)
                for c in range(col, col + span):
                    open_at[c] = cell
            col += span
    return cells


def _grid_before(tr) -> int:
    trpr = tr.find(qn("w:trPr"))
    el = trpr.find(qn("w:gridBefore")) if trpr is not None else None
    return int(el.get(qn("w:val"), "0")) if el is not None else 0


def _tc_span(tc) -> tuple[int, str | None]:
    tcpr = tc.find(qn("w:tcPr"))
    if tcpr is None:
        return 1, None
    span_el = tcpr.find(qn("w:gridSpan"))
    span = int(span_el.get(qn("w:val"), "1")) if span_el is not None else 1
    vm_el = tcpr.find(qn("w:vMerge"))
    vmerge = None if vm_el is None else (vm_el.get(qn("w:val")) or "continue")
    return span, vmerge


def _tc_text(tc) -> str:
    return join_wrapped([Paragraph(p, None).text for p in tc.iterchildren(qn("w:p"))])
