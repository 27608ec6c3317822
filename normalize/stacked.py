"""A grid holding several forms one under another -> a grid per form.

A sheet that lists a department's projects often prints their forms one after the other with
no empty row between them, so the reader hands on one grid: the first form's header block,
its indicators, then the next form's title, header block and indicators under the first
form's headings. A header label (项目名称 after the last indicator) or a form's title under the
indicator block, with indicator headings of its own further down, starts the next form; the
single texts just above it (its title, a year line) go with it. Each part is then read as a
grid of its own.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from perftab.extract.grid import Cell, Grid

from .columns import find_indicator_layout
from .header import distinct_cells, label_field
from .vocabulary import names_a_form

_COLON = re.compile(r"[:：]")


def grid_to_forms(grid: Grid) -> Iterator[Grid]:
    """The grid cut where a form printed under it starts, each part cut again likewise."""
    while (cut := _next_form(grid)) is not None:
        yield _rows_of(grid, 0, cut)
        grid = _rows_of(grid, cut, len(grid.rows), context=False)
    yield grid


def _next_form(grid: Grid) -> int | None:
    """The row where a second form starts (its title's, or its first label's): a header label
    or a form's title under the indicator block, past at least one of its rows, with indicator
    headings below."""
    layout = find_indicator_layout(grid)
    if layout is None:
        return None
    start = next((r for r in range(layout.body_row + 1, len(grid.rows))
                  if _first_label(grid, r) or _title(grid, r)), None)
    if start is None or find_indicator_layout(_rows_of(grid, start, len(grid.rows))) is None:
        return None
    while start - 1 > layout.body_row and len(distinct_cells(grid.rows[start - 1])) == 1:
        start -= 1  # the next form's title, year line
    return start


def _title(grid: Grid, r: int) -> bool:
    cells = distinct_cells(grid.rows[r])
    return len(cells) == 1 and names_a_form(cells[0].text)


def _first_label(grid: Grid, r: int) -> str | None:
    """The header field the row's first cell names: "项目名称" or "项目名称：…" in one cell."""
    cells = distinct_cells(grid.rows[r])
    if not cells:
        return None
    text = cells[0].text.strip()
    return label_field(text) or label_field(_COLON.split(text, maxsplit=1)[0])


def _rows_of(grid: Grid, start: int, end: int, context: bool = True) -> Grid:
    """Rows start..end of the grid as a grid of their own, a merged cell cut at its edge."""
    moved: dict[int, Cell] = {}

    def move(cell: Cell | None) -> Cell | None:
        if cell is None:
            return None
        if id(cell) not in moved:
            top = max(cell.row, start)
            bottom = min(cell.row + cell.rowspan, end)
            moved[id(cell)] = dataclasses.replace(cell, row=top - start, rowspan=bottom - top)
        return moved[id(cell)]

    def shifted(notes: dict[int, list[str]]) -> dict[int, list[str]]:
        return {r - start: list(v) for r, v in notes.items() if start <= r < end}

    return dataclasses.replace(
        grid,
        rows=[[move(cell) for cell in row] for row in grid.rows[start:end]],
        context=list(grid.context) if context else [],
        seams=[s - start for s in grid.seams if start < s < end],
        repairs=shifted(grid.repairs),
        warnings=shifted(grid.warnings),
    )
