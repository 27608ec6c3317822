"""Tree tables: one name column holds unit > project > 一级 > 二级 > 三级, told apart only by how
far each name is indented, with the targets in a column beside it.

Depths come from the indents the reader measured (`Cell.indent`); which depth is the 一级 comes
from the vocabulary where a name on the path is a vocabulary name, else from the bottom of the
path up (二级 above the 三级, 一级 above that, then project and unit), with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from perftab.extract.grid import Cell, Grid

from .columns import header_role
from .indicators import EXTRA_ROLES, Entry
from .text import to_simplified
from .vocabulary import LEVEL2_PARENT, clean_name, level1_std, level2_std, unwrap

MIN_DEPTHS = 3  # a unit, a project and one level above the 三级 at least: fewer is a flat list
# points: indents closer than this are one depth; well under the half character by which the
# shallowest printed tree steps in
INDENT_TOLERANCE = 2.0


@dataclass
class TreeLayout:
    header_row: int
    name_col: int
    roles: dict[int, str]  # the other columns, by header words (target, unit, 指标性质 …)
    depths: list[float]  # the indents of the depths, shallowest first


@dataclass
class Branch:
    """The indicators under one project of the tree."""

    unit: str | None
    project: str | None
    unit_cell: Cell | None
    project_cell: Cell | None
    entries: list[Entry] = field(default_factory=list)


def find_tree_layout(grid: Grid) -> TreeLayout | None:
    """A header row naming a target but no 一级/二级 column, over a name column whose texts
    stand at MIN_DEPTHS or more indents."""
    for r in range(len(grid.rows)):
        roles = _roles(grid, r)
        found = set(roles.values())
        if "target" not in found or {"level1", "level2"} & found:
            continue
        target = min(c for c, role in roles.items() if role == "target")
        for c in range(target - 1, -1, -1):
            if roles.get(c) not in (None, "level3"):
                continue
            depths = _depths([grid.rows[k][c] for k in range(r + 1, len(grid.rows))])
            if len(depths) >= MIN_DEPTHS and _targets_only_on_leaves(grid, r, c, target, depths):
                return TreeLayout(r, c, {k: v for k, v in roles.items() if k != c}, depths)
    return None


def _targets_only_on_leaves(grid: Grid, header: int, c: int, target: int, depths) -> bool:
    """In a tree only the deepest names carry targets and the names above them carry none; a
    list whose names merely start at different places (centred text) has targets everywhere."""
    with_target: set[int] = set()
    without: set[int] = set()
    for r in range(header + 1, len(grid.rows)):
        cell = grid.rows[r][c]
        if cell is None or not cell.text.strip() or cell.indent is None:
            continue
        depth = _depth_of(cell.indent, depths)
        (with_target if grid.text(r, target).strip() else without).add(depth)
    return with_target == {len(depths) - 1} and bool(without)


def _roles(grid: Grid, r: int) -> dict[int, str]:
    roles: dict[int, str] = {}
    for c, text in enumerate(grid.row_texts(r)):
        role = header_role(text)
        if role and role not in roles.values():
            roles[c] = role
    return roles


def _depths(cells: list[Cell | None]) -> list[float]:
    indents = sorted({c.indent for c in cells if c and c.text.strip() and c.indent is not None})
    depths: list[float] = []
    for indent in indents:
        if not depths or indent - depths[-1] > INDENT_TOLERANCE:
            depths.append(indent)
    return depths


def read_tree(grid: Grid, layout: TreeLayout) -> list[Branch]:
    """The tree's leaves (rows with a target, or at the deepest depth) under their paths."""
    branches: list[Branch] = []
    path: list[tuple[int, Cell]] = []
    deepest = len(layout.depths) - 1
    target_col = min(c for c, role in layout.roles.items() if role == "target")
    for r in range(layout.header_row + 1, len(grid.rows)):
        cell = grid.rows[r][layout.name_col]
        if cell is None or not cell.text.strip() or cell.indent is None:
            continue
        depth = _depth_of(cell.indent, layout.depths)
        while path and path[-1][0] >= depth:
            path.pop()
        if grid.text(r, target_col).strip() or depth == deepest:
            _add_leaf(branches, grid, layout, r, cell, [c for _, c in path])
        else:
            path.append((depth, cell))
    return branches


def _depth_of(indent: float, depths: list[float]) -> int:
    return min(range(len(depths)), key=lambda k: abs(depths[k] - indent))


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
