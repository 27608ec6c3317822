"""Stage 3-6 for tree tables, Layout -> Branches: one name column holds unit > project > 一级 >
二级 > 三级, told apart only by how far each name is indented (columns.find_tree_layout found the
depths), with the targets in a column beside it.

Which depth is the 一级 comes from the vocabulary where a name on the path is a vocabulary name,
else from the bottom of the path up (二级 above the 三级, 一级 above that, then project and
unit), with a warning.
"""

from __future__ import annotations

from typing import Any

from perftab.extract.grid import Cell, Grid

from .stage_records import EXTRA_ROLES, Branch, Entry, Layout, TreeLayout
from .text import to_simplified
from .vocabulary import LEVEL2_PARENT, clean_name, level1_std, level2_std, unwrap


def layout_to_branches(layout: Layout) -> list[Branch]:
    """The tree's leaves (rows with a target, or at the deepest depth) under their paths, one
    branch per project."""
    if layout.tree is None:
        return []
    return read_tree(layout.grid, layout.tree)


def read_tree(grid: Grid, layout: TreeLayout) -> list[Branch]:
    branches: list[Branch] = []
    path: list[tuple[int, Cell]] = []
    deepest = len(layout.depths) - 1
    target_col = min(c for c, role in layout.roles.items() if role == "target")
    for r in range(layout.header_row + 1, len(grid.rows)):
        cell = grid.rows[r][layout.name_col]
        if cell is None or not cell.text.strip() or cell.indent is None:
            continue
        depth = layout.depth_of(cell.indent)
        while path and path[-1][0] >= depth:
            path.pop()
        if grid.text(r, target_col).strip() or depth == deepest:
            _add_leaf(branches, grid, layout, r, cell, [c for _, c in path])
        else:
            path.append((depth, cell))
    return branches


def _add_leaf(branches, grid: Grid, layout: TreeLayout, r: int, cell: Cell, above: list[Cell]):
    names, warnings = assign_path([unwrap(c.text) for c in above])
    project_index = len(above) - len(names["rest"]) - 1
    if not branches or (branches[-1].unit, branches[-1].project) != (names["unit"],
                                                                      names["project"]):
        project_cell = above[project_index] if names["project"] else None
        unit_cell = above[project_index - 1] if names["unit"] else None
        branches.append(Branch(names["unit"], names["project"], unit_cell, project_cell))
    texts = {role: grid.text(r, c).strip() for c, role in layout.roles.items()}
    target_cell = next(grid.rows[r][c] for c, role in layout.roles.items() if role == "target")
    level3 = unwrap(cell.text)
    std2 = level2_std(names["level2"] or "")
    branches[-1].entries.append(Entry(
        level1=names["level1"] or "",
        level2=names["level2"] or "",
        level3=level3,
        level1_std=level1_std(names["level1"] or "") or LEVEL2_PARENT.get(std2 or ""),
        level2_std=std2,
        level3_clean=to_simplified(clean_name(level3)),
        target_raw=texts.get("target", ""),
        target_cell=target_cell,
        row=r,
        repairs=[],
        warnings=warnings,
        extra={role: t for role, t in texts.items() if role in EXTRA_ROLES and t},
        cells=[cell, *[c for c in grid.rows[r] if c is not None and c is not cell]],
    ))


def assign_path(names: list[str]) -> tuple[dict, list[str]]:
    """The names above a 三级, root first -> unit, project, 一级, 二级. The vocabulary anchors
    the levels where it knows a name on the path; else they are counted from the bottom."""
    out: dict[str, Any] = {"unit": None, "project": None, "level1": None, "level2": None,
                           "rest": []}
    warnings: list[str] = []
    i2 = _last(names, level2_std)
    i1 = _last(names[: i2 if i2 is not None else len(names)], level1_std)
    if i2 is None and i1 is None:
        i2 = len(names) - 1 if names else None
        i1 = i2 - 1 if i2 else None
        warnings.append("tree levels assigned by depth: no name on the path is a vocabulary name")
    elif i1 is None and i2:
        i1 = i2 - 1
    elif i2 is None and i1 is not None and i1 + 1 < len(names):
        i2 = i1 + 1
    out["level2"] = names[i2] if i2 is not None else None
    out["level1"] = names[i1] if i1 is not None else None
    top = i1 if i1 is not None else i2 if i2 is not None else len(names)
    above = names[:top]
    out["project"] = above[-1] if above else None
    out["unit"] = above[-2] if len(above) >= 2 else None
    out["rest"] = names[top:]
    return out, warnings


def _last(names: list[str], known) -> int | None:
    return next((k for k in range(len(names) - 1, -1, -1) if known(names[k])), None)
