"""How forms stand among a document's grids: a grid holding several forms one under another ->
a grid per form; a grid that only lays out lines -> the lines above the next table.

A sheet that lists a department's projects often prints their forms one after the other with
no empty row between them, so the reader hands on one grid: the first form's header block,
its indicators, then the next form's title, header block and indicators under the first
form's headings. One of the grid's own header labels (项目名称 after the last indicator) or a
form's title under the indicator block, with indicator headings further down, starts the next
form; the single texts just above it (its title, a year line) go with it. The driver reads
each part as a grid of its own.

A small table with no indicator block, no header field and nothing like an indicator row (the
title in one cell, the unit line under it beside the filer's name, as a borderless table lays
them out) prints lines: they are read as lines printed above the table that follows, where the
form's title names it.
"""

from __future__ import annotations

import dataclasses
import re

from perftab.extract.grid import Cell, Grid, TextLine

from .stage_records import GridReading
from .vocabulary import header_role, names_a_form

_COLON = re.compile(r"[:：]")


def next_form(reading: GridReading) -> int | None:
    """The row of a started grid where a second form starts (its title's, or its first
    label's): one of the grid's own header labels, or a form's title, under the indicator
    block, past at least one of its rows, with indicator headings below."""
    layout = reading.layout
    if layout.columns is None:
        return None
    grid, body = layout.grid, layout.columns.body_row
    labels = {p.label_raw.strip() for p in reading.header.printed.values() if p.label_raw}
    start = next((r for r in range(body + 1, len(grid.rows))
                  if _first_label(grid, r, labels) or _title(grid, r)), None)
    if start is None or not any(_names_headings(grid, r) for r in range(start, len(grid.rows))):
        return None
    while start - 1 > body and len(_distinct(grid, start - 1)) == 1:
        start -= 1  # the next form's title, year line
    return start


def _distinct(grid: Grid, r: int) -> list[Cell]:
    """The row's cells holding text, a merged one once."""
    cells = {id(cell): cell for cell in grid.rows[r] if cell is not None and cell.text.strip()}
    return list(cells.values())


def _first_label(grid: Grid, r: int, labels: set[str]) -> bool:
    """Whether the row's first cell is one of `labels`, alone or before its value
    ("项目名称：…" in one cell)."""
    cells = _distinct(grid, r)
    text = cells[0].text.strip() if cells else ""
    return bool(text) and (text in labels or _COLON.split(text, maxsplit=1)[0] in labels)


def _title(grid: Grid, r: int) -> bool:
    cells = _distinct(grid, r)
    return len(cells) == 1 and names_a_form(cells[0].text)


def _names_headings(grid: Grid, r: int) -> bool:
    """Whether the row heads an indicator block: a 三级 heading, or 一级 and 二级."""
    roles = {header_role(cell.text) for cell in _distinct(grid, r)}
    return "level3" in roles or {"level1", "level2"} <= roles


def rows_of(grid: Grid, start: int, end: int, context: bool = True) -> Grid:
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


def prints_lines_only(reading: GridReading) -> bool:
    """Whether a started grid holds nothing but lines: no indicator block or tree, no header
    field, no row like an indicator row."""
    layout = reading.layout
    return (layout.columns is None and layout.tree is None and not layout.problem
            and not layout.headless and not reading.header.values)


def lines_of(grid: Grid) -> list[TextLine]:
    """The grid's texts as lines, row by row and left to right, a merged cell once."""
    seen: set[int] = set()
    lines = []
    for cell in (cell for row in grid.rows for cell in row if cell is not None):
        if id(cell) not in seen and cell.text.strip():
            seen.add(id(cell))
            lines.append(TextLine(cell.text.strip(), cell.locator, cell.page))
    return lines
