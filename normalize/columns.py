"""Stage 1, grid -> Layout: where the indicator block's column headings are and the role of each
column under them (which holds the 一级/二级/三级, the target, the operator, the unit, a
self-evaluation's actual value, or one place's value), or the tree of a table whose one name
column holds unit > project > 一级 > 二级 > 三级 by indentation.

Header words are matched by rules over the form's vocabulary, not a closed list: any header
naming 指标值 / 目标值 / 数值 is a target, any naming 三级 / 指标名称 / 指标内容 the indicator.
Where the words fail (a header that lost a character, an unfamiliar word) the column's content
decides, and the table carries a warning that names the guess.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from perftab.extract.grid import Cell, Grid

from .stage_records import (
    CORE_ROLES,
    LEVEL_ROLES,
    ColumnGroup,
    IndicatorLayout,
    Layout,
    TreeLayout,
)
from .targets import is_operator_cell, is_unit_cell, parse_target
from .vocabulary import (
    FORWARD_WORDS,
    HORIZON_WORDS,
    header_horizon,
    header_key,
    header_role,
    is_level_name,
)

# a cleaned header made only of a level word that lost its digit ("级指标", "级")
_BARE_LEVEL = re.compile(r"^级(指标)?$")
_YEARS = re.compile(r"(?:19|20)\d{2}")  # a year a sub-heading names (2023年实际完成值)
CONTENT_MIN = 0.6  # share of a column's cells that must look like targets for it to be one
HEADLESS_CELLS = 3  # a row of a headless grid filling this many cells is an indicator row
MIN_DEPTHS = 3  # a unit, a project and one level above the 三级 at least: fewer is a flat list
# points: indents closer than this are one depth; well under the half character by which the
# shallowest printed tree steps in
INDENT_TOLERANCE = 2.0


def grid_to_layout(grid: Grid) -> Layout:
    """The grid's layout: a tree table first (its name column would pass for a 三级 column),
    else an indicator block under a heading row; for a grid with neither, why not."""
    if (tree := find_tree_layout(grid)) is not None:
        return Layout(grid, tree=tree)
    if (columns := find_indicator_layout(grid)) is not None:
        return Layout(grid, columns=columns)
    if problem := unknown_layout(grid):
        return Layout(grid, problem=problem)
    return Layout(grid, headless=headless_rows(grid))


def find_indicator_layout(grid: Grid) -> IndicatorLayout | None:
    """The header row of the indicator block and the role of each column under it: the first
    row naming both the indicator and its target, else the first naming part of the block
    (levels, or levels and a target) whose missing column can be told from content or place."""
    fallback = None
    for r in range(len(grid.rows)):
        roles = _row_roles(grid, r)
        found = set(roles.values())
        if {"level3", "target"} <= found:
            return _layout(grid, r, roles)
        if fallback is None and _names_indicator_block(found):
            fallback = (r, roles)
    if fallback is None:
        return None
    r, roles = fallback
    if "target" in roles.values():
        return _layout(grid, r, roles)
    return _layout_by_content(grid, r, roles)


def _names_indicator_block(found: set[str]) -> bool:
    has_level = "level1" in found or "level2" in found
    return "level3" in found or {"level1", "level2"} <= found or ("target" in found and has_level)


def _row_roles(grid: Grid, r: int) -> dict[int, str]:
    roles: dict[int, str] = {}
    row = grid.rows[r]
    for c, text in enumerate(grid.row_texts(r)):
        if c and row[c] is row[c - 1]:
            continue  # a header merged over two columns
        role = header_role(text)
        if role is None and _BARE_LEVEL.match(header_key(text)):
            role = "level?"
        if role:
            roles[c] = role
    return _resolve_bare_levels(roles)


def _resolve_bare_levels(roles: dict[int, str]) -> dict[int, str]:
    """A level header that lost its digit takes the level its neighbours leave free: left of
    the 二级 it is the 一级, right of it the 三级."""
    for c in [c for c, role in roles.items() if role == "level?"]:
        taken = set(roles.values())
        left_of_level2 = any(role == "level2" and k > c for k, role in roles.items())
        role = "level1" if left_of_level2 else "level3"
        if role in taken:
            del roles[c]
        else:
            roles[c] = role
    return roles


def restore_heading_merges(grid: Grid, r: int) -> None:
    """A heading printed on two rows in a loose grid, its merges lost: the row under header row
    `r` is the heading's second row when each of its texts stands in a column the header row
    leaves empty, or just left of such a column (指标值 | '' | '' over 符号 | 数值 | 单位).
    The merges come back as a ruled table prints them: a heading with nothing under it
    covers both rows, one with sub-headings under the empty columns right of it covers those
    columns."""
    if not grid.loose or r + 1 >= len(grid.rows):
        return
    top = [grid.text(r, c).strip() for c in range(grid.n_cols)]
    under = [grid.text(r + 1, c).strip() for c in range(grid.n_cols)]
    opened = {c for c in range(grid.n_cols) if under[c] and not top[c]}
    if not opened or any(text and c not in opened and c + 1 not in opened
                         for c, text in enumerate(under)):
        return
    heading, second = _padded(grid.rows[r], grid.n_cols), _padded(grid.rows[r + 1], grid.n_cols)
    for c, text in enumerate(top):
        if not text:
            continue
        if not under[c]:
            second[c] = heading[c]
        k = c + 1
        while under[c] and k in opened:
            heading[k] = heading[c]
            k += 1
    grid.rows[r], grid.rows[r + 1] = heading, second
    grid.add_repair(r, "a heading printed on two rows, its merged cells restored")


def _padded(row: list[Cell | None], width: int) -> list[Cell | None]:
    return [*row, *[None] * (width - len(row))]


def _layout(grid: Grid, r: int, roles: dict[int, str]) -> IndicatorLayout:
    """The layout of a header row (and of the sub-headings under it, on a heading printed on
    two rows); a block that names its target but not the indicator takes the unnamed column
    left of the target, with a warning."""
    warnings: list[str] = []
    restore_heading_merges(grid, r)
    last, subs = _sub_headings(grid, r)
    roles, alternates = _under_merged_target(grid, r, roles, subs, warnings)
    if "level3" not in roles.values() and (guess := _level3_by_position(grid, r, roles)):
        roles = {**roles, guess: "level3"}
        warnings.append(f"indicator column guessed from its position: {grid.text(r, guess)}")
    groups = _horizon_groups(grid, r, roles, subs)
    horizons = [g.horizon for g in groups]
    if len(set(horizons)) < len(horizons):  # two groups of targets read as one horizon
        heads = " | ".join(grid.text(r, c).strip() for g in groups for c, role in g.roles.items()
                           if role == "target")
        warnings.append(f"column groups of one horizon ({', '.join(horizons)}): {heads}")
    heading_last = last if subs else None
    if column_numbers((r if heading_last is None else heading_last) + 1, grid):
        heading_last = (r if heading_last is None else heading_last) + 1
    return IndicatorLayout(r, groups, warnings, heading_last, alternates, subs)


_COLUMN_NUMBER = re.compile(r"[(（]?(\d{1,2})[)）]?")


def column_numbers(r: int, grid: Grid) -> bool:
    """Whether row `r` numbers the columns over it (1 | 2 | 3 | 4 under the heading, as forms
    print a row to cite columns by): three or more cells, each a number one more than the one
    left of it, and no other text."""
    if r >= len(grid.rows):
        return False
    row = grid.rows[r]
    texts = [unicodedata.normalize("NFKC", cell.text).strip() for c, cell in enumerate(row)
             if cell is not None and cell.text.strip() and (c == 0 or cell is not row[c - 1])]
    numbers = [m.group(1) for t in texts if (m := _COLUMN_NUMBER.fullmatch(t))]
    if len(texts) < 3 or len(numbers) < len(texts):
        return False
    values = [int(n) for n in numbers]
    return all(b == a + 1 for a, b in itertools.pairwise(values))


def _sub_headings(grid: Grid, r: int) -> tuple[int, dict[int, str]]:
    """A heading printed on two rows: the row under the heading row in which every cell either
    continues a heading cell down (one cell over both rows) or stands under a heading merged
    over several columns (指标值 over 上年实际值 | 本年预期值). Its index and the sub-heading of
    each column under a merged heading; (r, {}) for a heading on one row."""
    heading = grid.rows[r]
    wide = {c for c in range(len(heading)) if _merged_across(heading, c)}
    if not wide or r + 1 >= len(grid.rows):
        return r, {}
    row = grid.rows[r + 1]
    continued = [c for c in range(min(len(row), len(heading)))
                 if row[c] is not None and row[c] is heading[c]]
    under = {c: grid.text(r + 1, c).strip() for c in sorted(wide)
             if c < len(row) and (row[c] is None or row[c] is not heading[c])}
    stray = [c for c in range(len(row)) if c not in wide and c not in continued
             and grid.text(r + 1, c).strip()]  # text under a one-column heading: a body row
    if not continued or not any(under.values()) or stray:
        return r, {}
    return r + 1, under


def _under_merged_target(
    grid: Grid, r: int, roles: dict[int, str], subs: dict[int, str], warnings: list[str]
) -> tuple[dict[int, str], dict[int, list[int]]]:
    """The columns under a target heading merged over sub-headings: one per horizon where the
    sub-headings name horizons (年度 | 中期); a unit or operator column where one names that;
    else one target column, the sub-heading that looks forward (预期, 计划 … or the later
    year printed), the others read on a row whose target cell is empty — or, a sub-heading
    naming the actual value of the same year, the self-evaluation's actual column."""
    roles = dict(roles)
    alternates: dict[int, list[int]] = {}
    heading = grid.rows[r]
    for c0, role in list(roles.items()):
        span = [c for c in range(len(heading)) if heading[c] is heading[c0]]
        if role != "target" or len(span) < 2:
            continue
        if not any(c in subs for c in span):  # no sub-headings: the cells tell the columns
            roles.update(_split_by_content(grid, r + 1, span, roles))
            continue
        span = [c for c in span if c in subs]
        del roles[c0]
        values = []
        for c in span:
            sub_role = header_role(subs[c])
            if sub_role in (None, "target", "actual"):
                values.append(c)
            else:
                roles[c] = sub_role
        horizons = [header_horizon(subs[c]) for c in values]
        if len(values) > 1 and all(horizons) and len(set(horizons)) == len(values):
            roles.update(dict.fromkeys(values, "target"))  # one target per horizon
            continue
        if not values:
            continue
        target = _forward_sub_heading(values, subs)
        if target is None:
            target = values[0]
            warnings.append(f"target column guessed: the first under {grid.text(r, c0)!r}")
        roles[target] = "target"
        for c in values:
            if c == target:
                continue
            if header_role(subs[c]) == "actual" and not _earlier(subs[c], subs[target]):
                roles[c] = "actual"
            else:
                alternates.setdefault(target, []).append(c)
    return roles, alternates


def _split_by_content(grid: Grid, body: int, span: list[int],
                      roles: dict[int, str]) -> dict[int, str]:
    """The columns under a target heading merged over several with nothing under it: a column
    of units alone is the unit's, one of operators alone (≥, 定性) the operator's, the first
    other one the target's."""
    found: dict[int, str] = {}
    for c in span:
        texts = [grid.text(k, c).strip() for k in range(body, len(grid.rows))
                 if not _merged_across(grid.rows[k], c)]
        texts = [t for t in texts if t]
        for role, test in (("unit", is_unit_cell), ("nature", is_operator_cell)):
            share = sum(map(test, texts)) / len(texts) if texts else 0.0
            if share >= CONTENT_MIN and role not in {*roles.values(), *found.values()}:
                found[c] = role
    target = next((c for c in span if c not in found), span[0])
    return {**found, target: "target"}


def _merged_across(row: list[Cell | None], c: int) -> bool:
    """The cell at `c` is merged with a neighbour in its row."""
    cell = row[c] if c < len(row) else None
    return cell is not None and any(
        0 <= k < len(row) and row[k] is cell for k in (c - 1, c + 1))


def _forward_sub_heading(columns: list[int], subs: dict[int, str]) -> int | None:
    """The sub-heading naming the value planned: a target's word or a forward one, else the
    latest year printed; None when nothing tells."""
    for c in columns:
        key = header_key(subs[c])
        if header_role(subs[c]) == "target" or FORWARD_WORDS.search(key):
            return c
    years = {c: _year_named(subs[c]) for c in columns}
    latest = max(years.values())
    if latest and list(years.values()).count(latest) == 1:
        return next(c for c, year in years.items() if year == latest)
    return None


def _earlier(text: str, than: str) -> bool:
    """`text` names a year before the one `than` names."""
    year, other = _year_named(text), _year_named(than)
    return bool(year and other and year < other)


def _year_named(text: str) -> int:
    """The latest year a sub-heading names (2023年实际完成值), 0 for none."""
    return max(map(int, _YEARS.findall(header_key(text))), default=0)


def _layout_by_content(grid: Grid, r: int, roles: dict[int, str]) -> IndicatorLayout | None:
    """A block whose header names the indicator but no target: one column of values per place
    (township, village …), else the column whose cells read as targets."""
    free = _free_columns(grid, r, roles)
    valued = [c for c in free if _target_share(grid, r, c) >= CONTENT_MIN]
    if len(valued) >= 2 and _contiguous(valued):
        places = {c: grid.text(r, c).strip() for c in valued}
        group = ColumnGroup("annual", {**roles, valued[0]: "target"}, places)
        names = " | ".join(places.values())
        return IndicatorLayout(r, [group], [f"one value column per place: {names}"])
    how = "content"
    if not valued:  # qualitative targets only: the first column with text right of the name
        valued = [c for c in free if _target_share(grid, r, c, numbers=False) > 0]
        how = "position"
    if not valued:
        return None
    c = valued[0]
    layout = _layout(grid, r, {**roles, c: "target"})
    header = grid.text(r, c).strip() or f"column {c + 1}"
    layout.warnings.insert(0, f"target column guessed from its {how}: {header}")
    return layout


def unknown_layout(grid: Grid) -> str | None:
    """A block headed by level words whose indicators no column can be found for."""
    for r in range(len(grid.rows)):
        texts = [t for t in grid.row_texts(r) if t]
        if _names_indicator_block(set(_row_roles(grid, r).values())):
            unknown = [t for t in dict.fromkeys(texts) if header_role(t) is None]
            words = " | ".join(unknown) or "(none)"
            return f"unknown layout: no target column among the header words {words}"
    return None


def _free_columns(grid: Grid, r: int, roles: dict[int, str]) -> list[int]:
    """Columns right of the indicator's name that no header word claims."""
    name_col = max((c for c, role in roles.items() if role in LEVEL_ROLES), default=-1)
    row = grid.rows[r]
    return [
        c for c in range(name_col + 1, len(row))
        if c not in roles and row[c] is not None and not (c and row[c] is row[c - 1])
    ]


def _target_share(grid: Grid, header: int, c: int, numbers: bool = True) -> float:
    """The share of a column's non-empty cells below the header that parse as numbers (or,
    `numbers` False, that hold any text at all)."""
    texts = [grid.text(r, c).strip() for r in range(header + 1, len(grid.rows))]
    texts = [t for t in texts if t]
    if not texts or not numbers:
        return float(bool(texts))
    return sum(not parse_target(t).qualitative for t in texts) / len(texts)


def _contiguous(columns: list[int]) -> bool:
    return columns == list(range(columns[0], columns[0] + len(columns)))


def _level3_by_position(grid: Grid, r: int, roles: dict[int, str]) -> int | None:
    """The column left of the target that no word names and whose cells are not level names."""
    target = min(c for c, role in roles.items() if role == "target")
    for c in range(target - 1, -1, -1):
        if c in roles:
            return None
        texts = [grid.text(k, c) for k in range(r + 1, len(grid.rows)) if grid.text(k, c)]
        if texts and not all(is_level_name(t) for t in texts):
            return c
    return None


def _horizon_groups(
    grid: Grid, header: int, roles: dict[int, str], subs: dict[int, str]
) -> list[ColumnGroup]:
    """Columns split where a level or target role repeats; a half that prints no 一级 (or no
    三级) shares the first half's. A repeated extra column (a second 得分) is left out. `subs`:
    the sub-headings of a heading printed on two rows, which may name a column's horizon."""
    groups: list[dict[int, str]] = [{}]
    for c in sorted(roles):
        role = roles[c]
        if role in groups[-1].values():
            if role not in CORE_ROLES:
                continue
            groups.append({})
        groups[-1][c] = role
    if len(groups) == 1:  # one group: annual unless its own headers say otherwise
        return [ColumnGroup(_own_horizon(grid, header, roles, subs) or "annual", roles)]
    first = groups[0]
    named = [_own_horizon(grid, header, group, subs) for group in groups]
    out = []
    for k, group in enumerate(groups):
        shared = {c: role for c, role in first.items()
                  if role in LEVEL_ROLES and role not in group.values()}
        horizon = named[k] or _unnamed_horizon(grid, header, group, k, named)
        out.append(ColumnGroup(horizon, {**shared, **group}))
    return out


def _unnamed_horizon(grid: Grid, header: int, group: dict[int, str], k: int,
                     named: list[str | None]) -> str:
    """The horizon of a group whose headers name none: the annual one when every other group
    names its own and none is annual ("指标值 | 实施周期目标值"), else the label printed above
    its first column (a merged "中期目标" / "年度目标" over the half), else 中期 beside a group
    named annual, else annual for the last group and 中期 for the others."""
    others = [h for i, h in enumerate(named) if i != k]
    if all(others) and "annual" not in others:
        return "annual"
    if horizon := _label_above(grid, header, group):
        return horizon
    if "annual" in others:  # a year has one target: beside the annual one, the 中期
        return "midterm"
    return "annual" if k == len(named) - 1 else "midterm"


def _own_horizon(grid: Grid, header: int, group: dict[int, str],
                 subs: dict[int, str]) -> str | None:
    return next((h for c in sorted(group)
                 if (h := header_horizon(subs.get(c) or grid.text(header, c)))), None)


def _label_above(grid: Grid, header: int, group: dict[int, str]) -> str | None:
    for r in range(header - 1, max(header - 3, -1), -1):
        text = header_key(grid.text(r, min(group)))
        for word, horizon in HORIZON_WORDS:
            if word in text:
                return horizon
    return None


def headless_rows(grid: Grid, names_only: bool = False) -> str | None:
    """Why a grid that holds no header row of its own is not read, when a row of it looks like
    an indicator row (a level name, or HEADLESS_CELLS cells filled): a table's continuation that
    could not be joined to its start (its columns differ). With `names_only`, for a grid that
    holds a header block (whose rows fill as many cells), only a level name tells such a row,
    and the rows from it on are told."""
    texts = [
        [t for t in dict.fromkeys(grid.row_texts(r)) if t.strip()] for r in range(len(grid.rows))
    ]
    looks = [any(map(is_level_name, row)) or (not names_only and len(row) >= HEADLESS_CELLS)
             for row in texts]
    if not any(looks):
        return None
    start = looks.index(True) if names_only else 0
    rows = [r for r, row in enumerate(texts) if row and r >= start]
    first = next(c for c in grid.rows[rows[0]] if c is not None and c.text.strip())
    noun = "row" if len(rows) == 1 else "rows"
    return (f"{len(rows)} {noun} under no header row not read, from {first.locator}: a "
            "continuation whose columns do not match this table's (check them against the page)")


# --- tree tables ------------------------------------------------------------------------------


def find_tree_layout(grid: Grid) -> TreeLayout | None:
    """A header row naming a target but no 一级/二级 column, over a name column whose texts
    stand at MIN_DEPTHS or more indents (the indents the reader measured, `Cell.indent`)."""
    for r in range(len(grid.rows)):
        roles = _tree_roles(grid, r)
        found = set(roles.values())
        if "target" not in found or {"level1", "level2"} & found:
            continue
        target = min(c for c, role in roles.items() if role == "target")
        for c in range(target - 1, -1, -1):
            if roles.get(c) not in (None, "level3"):
                continue
            depths = _depths([grid.rows[k][c] for k in range(r + 1, len(grid.rows))])
            layout = TreeLayout(r, c, {k: v for k, v in roles.items() if k != c}, depths)
            if len(depths) >= MIN_DEPTHS and _targets_only_on_leaves(grid, layout, target):
                return layout
    return None


def _targets_only_on_leaves(grid: Grid, layout: TreeLayout, target: int) -> bool:
    """In a tree only the deepest names carry targets and the names above them carry none; a
    list whose names merely start at different places (centred text) has targets everywhere."""
    with_target: set[int] = set()
    without: set[int] = set()
    for r in range(layout.header_row + 1, len(grid.rows)):
        cell = grid.rows[r][layout.name_col]
        if cell is None or not cell.text.strip() or cell.indent is None:
            continue
        depth = layout.depth_of(cell.indent)
        (with_target if grid.text(r, target).strip() else without).add(depth)
    return with_target == {len(layout.depths) - 1} and bool(without)


def _tree_roles(grid: Grid, r: int) -> dict[int, str]:
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
