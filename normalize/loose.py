"""Stage 4, BlockRows -> BlockRows: the rows of loose grids (tables another tool printed as text:
HTML whose merges were lost, Markdown, tab-separated OCR) put back under the header's columns,
their cells slid out of their columns or a level lost. Other grids pass as they are.

The header's columns are trusted first. A row short of cells lost the merged level cells that
only the first row of a block printed, and its own cells slid left: they are slid back under
the header, right-aligned, whatever the layout (split 指标性质 / 度量单位 / 权重 columns too).
A full row whose cells stand in their columns is read as printed, with or without a target.
Only a full row whose texts stand in the wrong columns (OCR) is read by what its cells say:
level names by the vocabulary, and the last two free texts as the 三级 and its target.
"""

from __future__ import annotations

import re
from dataclasses import replace

from perftab.extract.grid import Cell

from .stage_records import CORE_ROLES, ROLES, Block, BlockRow, BlockRows, cells_by_role
from .vocabulary import (
    LEVEL1,
    LEVEL1_ALIASES,
    LEVEL2_ALIASES,
    LEVEL2_PARENT,
    clean_label,
    level1_std,
    level2_std,
)

BLOCK_LABEL = "绩效指标"  # the merged cell left of the indicator block, not a level
LEVEL_NAMES = {*LEVEL1, *LEVEL1_ALIASES, *LEVEL2_PARENT, *LEVEL2_ALIASES}
_LEVEL_NOTE = re.compile(r"[(（][^()（）]*[)）]$")  # 数量指标(必填)


def realign_loose_rows(rows: BlockRows) -> BlockRows:
    if not rows.grid.loose:
        return rows
    grid = rows.grid
    return replace(rows, blocks=[
        replace(block, rows=[_realigned(grid.rows[row.index], block, row) for row in block.rows])
        for block in rows.blocks
    ])


def _realigned(row: list[Cell | None], block: Block, read: BlockRow) -> BlockRow:
    moved, note = realign_row(row, block.roles, read.cells)
    cells = {role: moved.get(role, []) for role in ROLES}
    repairs = [*read.repairs, *([note] if note else [])]
    return BlockRow.of(read.index, cells, repairs, list(read.warnings), note is not None)


def realign_row(row: list[Cell | None], roles: dict[int, str], positional: dict) -> tuple:
    """Cells by role for one loose row, and a repair note when they had to be moved."""
    slid = _slide_back(row)
    if slid is not row:
        moved, note = _realign_full_row(slid, roles, cells_by_role(slid, roles))
        texts = " | ".join(c.text for c in _distinct(row) if c.text.strip())
        slid_note = f"cells slid back under the header: {texts}"
        return moved, f"{slid_note}; {note}" if note else slid_note
    return _realign_full_row(row, roles, positional)


def _realign_full_row(row: list[Cell | None], roles: dict[int, str], positional: dict) -> tuple:
    strays = _strays(row, roles)
    level3, target = _text(positional["level3"]), _text(positional["target"])
    if not strays and level3 and not _is_name(level3) and (target or _levels_fit(positional)):
        # its 三级 in the 三级 column: read as printed, a missing target is not printed
        return _level2_in_level1_column(positional)
    if not strays and target and _is_name(level3):
        # one column too far right: the 三级 column holds the 二级, the target column the 三级
        moved = _assign_levels(positional["level1"] + positional["level2"] + positional["level3"],
                               {"level3": positional["target"], "target": []})
        return {**positional, **moved}, f"cells shifted one column left: {level3}"
    cells = [c for c in _core_cells(row, roles) if c.text.strip() and not _is_block_label(c)]
    if not cells:
        return positional, None
    if _is_name(cells[-1].text):
        moved = _assign_levels(cells, {"level3": [], "target": []})
    else:
        free = [] if len(cells) < 2 or _is_name(cells[-2].text) else [cells[-2]]
        moved = _assign_levels(
            cells[: len(cells) - 1 - len(free)], {"level3": free, "target": [cells[-1]]}
        )
        if not free and _column_of(row, cells[-1]) < _first_target_column(roles):
            moved["level3"], moved["target"] = moved["target"], []
    note = "cells realigned: " + " | ".join(c.text for c in cells)
    return {**positional, **moved}, note


def _slide_back(row: list[Cell | None]) -> list[Cell | None]:
    """A row that ends in empty slots while a cell of its own stands left of them: the cells
    merged from the rows above were not printed on it, so its own cells slid left (an HTML
    rowspan lost on the way). They are put back right-aligned in the slots not covered from
    above; a row with no empty slot at its end is returned as it is."""
    own_row = max((c.row for c in row if c is not None), default=None)
    own = [c for c in _distinct(row) if c.row == own_row]
    if not row or row[-1] is not None or len(own) < 2:
        return row  # one cell alone (a line of text in a dump) says nothing of its column
    free = [i for i, c in enumerate(row) if c is None or c.row == own_row]
    slid: list[Cell | None] = [c if c is not None and c.row != own_row else None for c in row]
    for i, cell in zip(free[len(free) - len(own):], own, strict=True):
        slid[i] = cell
    return slid


def _levels_fit(positional: dict) -> bool:
    """The level columns hold nothing or level names as printed in full (a name the vocabulary
    does not know still ends in 指标, before a note such as "(必填)"): no 三级 slid into them
    ("参训学员满意度" is a 三级)."""
    for role in ("level1", "level2"):
        text = _LEVEL_NOTE.sub("", clean_label(_text(positional.get(role, []))))
        if text and not (_is_name(text) or text.endswith("指标")):
            return False
    return True


def _core_cells(row: list[Cell | None], roles: dict[int, str]) -> list[Cell]:
    """The row's cells in the level and target columns and in columns no header names; a split
    layout's 指标性质 / 度量单位 / 权重 cells keep their columns."""
    keep = {c for c, role in roles.items() if role not in CORE_ROLES}
    return [cell for i, cell in enumerate(row) if i not in keep and cell is not None
            and cell not in row[:i]]


def _strays(row: list[Cell | None], roles: dict[int, str]) -> list[Cell]:
    """Texts standing outside every role column."""
    return [
        c
        for i, c in enumerate(row)
        if c and c.text.strip() and i not in roles and not _is_block_label(c)
    ]


def _is_block_label(cell: Cell) -> bool:
    return clean_label(cell.text) == BLOCK_LABEL


def _level2_in_level1_column(positional: dict) -> tuple:
    level1 = _text(positional["level1"])
    if level1 and not _text(positional["level2"]) and level2_std(level1) and not level1_std(level1):
        moved = dict(positional, level1=[], level2=positional["level1"])
        return moved, f"level2 name moved out of the level1 column: {level1}"
    return positional, None


def _assign_levels(leading: list[Cell], rest: dict) -> dict:
    """Level cells right to left: the nearest to the 三级 is the 二级 unless only a 一级 name."""
    out = {"level1": [], "level2": [], **rest}
    for cell in reversed(leading):
        only_level1 = level1_std(cell.text) and not level2_std(cell.text)
        role = "level1" if only_level1 or out["level2"] else "level2"
        if not out[role]:
            out[role] = [cell]
    return out


def _text(cells: list[Cell]) -> str:
    return "".join(c.text for c in cells).strip()


def _is_name(text: str) -> bool:
    """A level name as printed in full: "参训学员满意度" is a 三级, "满意度指标" a level."""
    cleaned = clean_label(text)
    return cleaned in LEVEL_NAMES


def _distinct(row: list[Cell | None]) -> list[Cell]:
    out: list[Cell] = []
    for cell in row:
        if cell is not None and cell not in out:
            out.append(cell)
    return out


def _column_of(row: list[Cell | None], cell: Cell) -> int:
    return next(i for i, c in enumerate(row) if c is cell)


def _first_target_column(roles: dict[int, str]) -> int:
    return min((c for c, r in roles.items() if r == "target"), default=0)
