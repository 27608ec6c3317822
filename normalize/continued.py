"""A table continued in a grid of its own -> one grid: the rows of a Word (or HTML) table split
in two at a page (the second part repeating the heading row or not), which the reader hands on
as two tables, are read as the one table they are. Only in flowing documents (Word, HTML)
whose reader kept a table's cells whole: PDF pages are stitched by their geometry in extract/, a
text dump's reader starts a new table where a heading row is printed again, and a workbook's
tables stand apart.

Between the layout and the rows: the first grid's layout and header block are known, and the
next grid's. The next grid continues the first when it has as many columns, no header block of
its own, no text before it but a continuation mark (续表) or a page number, and either opens
with a copy of the first grid's heading rows or has no heading at all while its rows look like
indicator rows (`Layout.headless`). Its rows then join the first grid's below a seam, as a page
break's continuation does, and the first row after the seam says where it came from.
"""

from __future__ import annotations

import dataclasses
import re

from perftab.extract.grid import Cell, Grid

from .stage_records import GridReading, Layout
from .text import to_simplified

# what may stand between a table and its continuation: 续表, （续）, a page number
_CONTINUATION_MARK = re.compile(r"^(续表.*|[（(]续[表上]?[)）]|[-—\s第页共/\d]*)$")


def join_continuation(first: GridReading, next_: GridReading) -> GridReading | None:
    """`first` with `next_`'s rows below its own when `next_` continues it, else None."""
    body = continuation_body(first, next_)
    if body is None:
        return None
    grid = join_grids(first.grid, next_.grid, body)
    layout = Layout(grid, columns=first.layout.columns)
    return GridReading(layout, first.header)


def continuation_body(first: GridReading, next_: GridReading) -> int | None:
    """The row of `next_` its continued rows start at, or None when it is not a continuation."""
    columns = first.layout.columns
    if columns is None or next_.header.values or next_.grid.n_cols != first.grid.n_cols:
        return None
    if not _paged_apart(first.grid) or not _paged_apart(next_.grid):
        return None
    if any(not _CONTINUATION_MARK.match(to_simplified(line.text).strip())
           for line in next_.grid.context):
        return None  # text between them (a title, a note): a table of its own
    layout = next_.layout
    if layout.columns is None:
        return 0 if layout.headless and layout.tree is None and not layout.problem else None
    if layout.columns.header_row != 0:
        return None
    heading = _row_texts(first.grid, columns.header_row, columns.body_row)
    body = layout.columns.body_row
    return body if _row_texts(next_.grid, 0, body) == heading else None


FLOWING = ("docx", "html")  # documents whose text flows over pages the reader does not see


def _paged_apart(grid: Grid) -> bool:
    """A table of a flowing document (Word, HTML) whose cells the reader kept whole: a PDF's
    continuations were joined, or left apart for their columns, by their geometry; a text
    dump's reader starts a new table where a heading row is printed again; a workbook's tables
    stand apart where their author put them."""
    return grid.extractor in FLOWING and not grid.pages and not grid.loose


def _row_texts(grid: Grid, start: int, end: int) -> list[list[str]]:
    return [[t.strip() for t in grid.row_texts(r)] for r in range(start, end)]


def join_grids(first: Grid, second: Grid, body: int) -> Grid:
    """`first` with the rows of `second` from `body` on below a seam; a merged cell stays one."""
    seam = len(first.rows)
    offset = seam - body
    moved: dict[int, Cell] = {}

    def move(cell: Cell | None) -> Cell | None:
        if cell is None:
            return None
        if id(cell) not in moved:
            moved[id(cell)] = dataclasses.replace(cell, row=max(cell.row - body, 0) + seam)
        return moved[id(cell)]

    rows = [[move(cell) for cell in row] for row in second.rows[body:]]

    def shifted(notes: dict[int, list[str]]) -> dict[int, list[str]]:
        return {r + offset: list(v) for r, v in notes.items() if r >= body}

    grid = dataclasses.replace(
        first,
        rows=first.rows + rows,
        seams=[*first.seams, seam, *(s + offset for s in second.seams if s > body)],
        repairs={**{r: list(v) for r, v in first.repairs.items()}, **shifted(second.repairs)},
        warnings={**{r: list(v) for r, v in first.warnings.items()}, **shifted(second.warnings)},
    )
    start = next((c.locator for c in rows[0] if c is not None), "") if rows else ""
    how = "its heading repeated" if body else "no heading"
    grid.add_repair(seam, f"table continued in another table ({how}), from {start}")
    return grid
