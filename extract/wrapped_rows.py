"""Printed rows that only continue the cell above them, joined to the row above.

A spreadsheet author continues a name too long for its row in the row below and leaves out the
border between the two cells, while the other columns keep theirs; on paper the pair reads as
one cell, and the ruling lines of the other columns cut the table into one printed row more:

    | 对提升窗口服务质量、缩短       | 明显提升 |
    | 群众办事等候时间的促进作用     |          |

The table finder makes the unbroken pair one cell over both printed rows, so the lower row has
that cell's text again and nothing of its own. Such a row is joined to the row above it: a row
whose own cells (the ones not running on from the row above) are all empty, and where a cell
with text starts in the row above and ends in it (a merged block that runs on further down is
no wrapped cell). The decision is geometry alone,
never the words: a row with any text of its own, or whose text sits in a cell of its own (a
ruling line between it and the row above), is a row.
"""

from __future__ import annotations

import dataclasses

from .grid import Cell, Grid


def join_wrapped_rows(grid: Grid) -> None:
    r = 1
    while r < len(grid.rows):
        continued = _continued_cells(grid, r)
        if not continued:
            r += 1
            continue
        _join_into_row_above(grid, r)
        texts = " / ".join(c.text for c in continued)
        grid.add_repair(r - 1, f"printed row below joined, it only continued: {texts}")


def _continued_cells(grid: Grid, r: int) -> list[Cell]:
    """The cells with text that start in row r - 1 and end in row r (a pair with no ruling
    line between), when row r holds no text of its own; else none."""
    above = _ids(grid.rows[r - 1])
    two_above = _ids(grid.rows[r - 2]) if r >= 2 else set()
    below = _ids(grid.rows[r + 1]) if r + 1 < len(grid.rows) else set()
    found = []
    for cell in _distinct(grid.rows[r]):
        if id(cell) not in above:
            if cell.text.strip():
                return []  # text of its own: a row
        elif id(cell) not in two_above and id(cell) not in below and cell.text.strip():
            found.append(cell)
    return found


def _join_into_row_above(grid: Grid, r: int) -> None:
    above = _ids(grid.rows[r - 1])
    for cell in _distinct(grid.rows[r]):
        if id(cell) in above:
            _replace(grid, cell, dataclasses.replace(cell, rowspan=max(1, cell.rowspan - 1)))
    del grid.rows[r]
    grid.seams = [s - 1 if s > r else s for s in grid.seams]
    grid.repairs = _shift(grid.repairs, r)
    grid.warnings = _shift(grid.warnings, r)


def _shift(notes: dict[int, list[str]], r: int) -> dict[int, list[str]]:
    """Notes keyed by row, once row r is gone (its own notes go to the row above)."""
    out: dict[int, list[str]] = {}
    for row, items in sorted(notes.items()):
        out.setdefault(row - 1 if row >= r else row, []).extend(items)
    return out


def _ids(row: list[Cell | None]) -> set[int]:
    return {id(c) for c in row if c is not None}


def _distinct(row: list[Cell | None]) -> list[Cell]:
    seen: dict[int, Cell] = {}
    for cell in row:
        if cell is not None:
            seen.setdefault(id(cell), cell)
    return list(seen.values())


def _replace(grid: Grid, old: Cell, new: Cell) -> None:
    for row in grid.rows:
        for c, cell in enumerate(row):
            if cell is old:
                row[c] = new
