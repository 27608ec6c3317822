"""Rows of loose grids (tables another tool printed as text): cells shifted out of their columns,
a level lost, a name split over two rows. Positions cannot be trusted there, so a row is read
by what its cells say: level names by the vocabulary, and the last two free texts as the
三级 and its target.
"""

from __future__ import annotations

from extract.grid import Cell

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


def realign_row(row: list[Cell | None], roles: dict[int, str], positional: dict) -> tuple:
    """Cells by role for one loose row, and a repair note when they had to be moved."""
    strays = _strays(row, roles)
    level3, target = _text(positional["level3"]), _text(positional["target"])
    if not strays and target and level3 and not _is_name(level3):
        return _level2_in_level1_column(positional)
    if not strays and target and _is_name(level3):
        # one column too far right: the 三级 column holds the 二级, the target column the 三级
        moved = _assign_levels(positional["level1"] + positional["level2"] + positional["level3"],
                               {"level3": positional["target"], "target": []})
        return moved, f"cells shifted one column left: {level3}"
    cells = [c for c in _distinct(row) if c.text.strip() and clean_label(c.text) != BLOCK_LABEL]
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
    return moved, note


def _strays(row: list[Cell | None], roles: dict[int, str]) -> list[Cell]:
    """Texts standing outside every role column."""
    return [
        c
        for i, c in enumerate(row)
        if c and c.text.strip() and i not in roles and clean_label(c.text) != BLOCK_LABEL
    ]


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
    """A level name as printed in full: "服务对象满意度" is a 三级, "服务对象满意度指标" a 二级."""
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


def is_fragment_of_next(row_texts: dict, next_texts: dict) -> bool:
    """A 三级 printed over two rows: the first has no target, the second no level of its own."""
    return (
        bool(row_texts["level3"])
        and not row_texts["target"]
        and bool(next_texts["level3"])
        and bool(next_texts["target"])
        and not next_texts["level1"]
        and not next_texts["level2"]
    )


