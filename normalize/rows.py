"""Stage 3, Layout -> BlockRows: every grid row under the indicator block's headings, its cells
by the role of their column; one block per column group (one per place's value column in a
per-place group), each row with the repairs and doubts the reader noted on it."""

from __future__ import annotations

from perftab.extract.grid import Grid

from .stage_records import (
    Block,
    BlockRow,
    BlockRows,
    ColumnGroup,
    IndicatorLayout,
    Layout,
    cells_by_role,
)


def layout_to_block_rows(layout: Layout) -> BlockRows:
    grid, columns = layout.grid, layout.columns
    if columns is None:  # no headings: no block
        return BlockRows(grid, [])
    blocks = [
        Block(k, group.horizon, place, roles, [
            _block_row(grid, r, roles, columns) for r in range(columns.body_row, len(grid.rows))
        ])
        for k, group in enumerate(columns.groups)
        for place, roles in _block_roles(group)
    ]
    return BlockRows(grid, blocks)


def _block_row(grid: Grid, r: int, roles: dict[int, str], columns: IndicatorLayout) -> BlockRow:
    """A grid row by role; where a column's cell is empty and a column beside it under the same
    merged heading holds a value, that value, with a warning naming both sub-headings."""
    cells = cells_by_role(grid.rows[r], roles)
    warnings = list(grid.warnings.get(r, []))
    row = grid.rows[r]
    for c, others in columns.alternates.items():
        role = roles.get(c)
        if role is None or "".join(cell.text for cell in cells[role]).strip():
            continue
        found = next(((a, cell) for a in others if a < len(row)
                      and (cell := row[a]) is not None and cell.text.strip()), None)
        if found is not None:
            cells[role] = [found[1]]
            warnings.append(f"{role} read from the column {columns.headings[found[0]]!r}: the "
                            f"column {columns.headings[c]!r} is empty on this row")
    return BlockRow.of(r, cells, list(grid.repairs.get(r, [])), warnings)


def _block_roles(group: ColumnGroup) -> list[tuple[str | None, dict[int, str]]]:
    """The group's roles; a per-place group's once per place, its value column the target."""
    if not group.places:
        return [(None, group.roles)]
    levels = {c: role for c, role in group.roles.items() if role != "target"}
    return [(name, {**levels, c: "target"}) for c, name in group.places.items()]
