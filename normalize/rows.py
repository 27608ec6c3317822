"""Stage 3, Layout -> BlockRows: every grid row under the indicator block's headings, its cells
by the role of their column; one block per column group (one per place's value column in a
per-place group), each row with the repairs and doubts the reader noted on it."""

from __future__ import annotations

from .stage_records import Block, BlockRow, BlockRows, ColumnGroup, Layout, cells_by_role


def layout_to_block_rows(layout: Layout) -> BlockRows:
    grid, columns = layout.grid, layout.columns
    if columns is None:  # no headings: no block
        return BlockRows(grid, [])
    blocks = [
        Block(k, group.horizon, place, roles, [
            BlockRow.of(r, cells_by_role(grid.rows[r], roles), list(grid.repairs.get(r, [])),
                        list(grid.warnings.get(r, [])))
            for r in range(columns.header_row + 1, len(grid.rows))
        ])
        for k, group in enumerate(columns.groups)
        for place, roles in _block_roles(group)
    ]
    return BlockRows(grid, blocks)


def _block_roles(group: ColumnGroup) -> list[tuple[str | None, dict[int, str]]]:
    """The group's roles; a per-place group's once per place, its value column the target."""
    if not group.places:
        return [(None, group.roles)]
    levels = {c: role for c, role in group.roles.items() if role != "target"}
    return [(name, {**levels, c: "target"}) for c, name in group.places.items()]
