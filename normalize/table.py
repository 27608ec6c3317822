"""A grid -> a canonical table record with its indicators. The table of contents of normalize."""

from __future__ import annotations

import re

from perftab.extract.grid import Grid, TextLine

from .columns import ColumnGroup, IndicatorLayout, find_indicator_layout, unknown_layout
from .header import Header, Printed, field_records, parse_number, read_header
from .indicators import (
    Entry,
    block_rows,
    join_labels_split_by_break,
    join_rows_split_by_break,
    join_split_names,
    resolve_levels,
)
from .records import IndicatorRecord, TableRecord
from .targets import UNITS, parse_target
from .text import to_simplified
from .tree import TreeLayout, find_tree_layout, read_tree
from .vocabulary import is_level_name

_TITLE = re.compile(r"绩效(目标|自评)表?|绩效目标申报表|绩效自评")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_SYMBOL = re.compile(r"[≥≤><=＝＞＜≧≦]|定性|定量")
LOW_CONFIDENCE = 0.8  # the lowest OCR score of a row's cells below which it is flagged
HEADLESS_CELLS = 3  # a row of a headless grid filling this many cells is an indicator row
_BRACKETED_UNIT = re.compile(r"[（(]([^（）()]{1,6})[）)]$")


def grids_to_tables(grids: list[Grid], sha256: str) -> list[TableRecord]:
    """Target tables in document order; a grid holding only a header block (some forms print it
    as a table of its own) lends its fields to the indicator table that follows."""
    tables: list[TableRecord] = []
    pending_header: tuple[Grid, Header] | None = None
    orphans: list[tuple[int, str]] = []  # rows of a grid with no header: where, and what
    for grid in grids:
        table_id = f"{sha256[:16]}-t{len(tables) + 1:02d}"
        if (tree := find_tree_layout(grid)) is not None:
            tables.extend(tree_tables(grid, tree, sha256, len(tables)))
            continue
        layout = find_indicator_layout(grid)
        if layout is None:
            problem = unknown_layout(grid)
            if problem:
                tables.append(_unread_table(grid, table_id, len(tables) + 1, problem))
                continue
            header = read_header(grid, range(len(grid.rows)))
            pending_header = (grid, header) if header.values else pending_header
            if not header.values and (note := _headless_rows(grid)):
                orphans.append((len(tables), note))
            continue
        table = grid_to_table(grid, layout, table_id, len(tables) + 1)
        if pending_header is not None:
            _lend_header(table, *pending_header)
            pending_header = None
        tables.append(table)
    for after, note in orphans:  # told on the table before them, else the one after
        if tables:
            tables[max(0, after - 1)].warnings.append(note)
    return tables


def _headless_rows(grid: Grid) -> str | None:
    """Why a grid that holds no header row of its own and no header block is not read, when a
    row of it looks like an indicator row (a level name, or HEADLESS_CELLS cells filled): a
    table's continuation that could not be joined to its start (its columns differ)."""
    texts = [
        [t for t in dict.fromkeys(grid.row_texts(r)) if t.strip()] for r in range(len(grid.rows))
    ]
    if not any(len(row) >= HEADLESS_CELLS or any(map(is_level_name, row)) for row in texts):
        return None
    rows = [r for r, row in enumerate(texts) if row]
    first = next(c for c in grid.rows[rows[0]] if c is not None and c.text.strip())
    noun = "row" if len(rows) == 1 else "rows"
    return (f"{len(rows)} {noun} under no header row not read, from {first.locator}: a "
            "continuation whose columns do not match this table's (check them against the page)")


def grid_to_table(grid: Grid, layout: IndicatorLayout, table_id: str, index: int) -> TableRecord:
    table = _table_record(grid, table_id, index, range(layout.header_row))
    table.warnings.extend(layout.warnings)
    if table.table_kind == "project_target" and _has_role(layout, "actual"):
        table.table_kind = "self_evaluation"
    entries = [
        (group.horizon, place, entry)
        for group in layout.groups
        for place, entry in _group_entries(grid, layout.header_row, group)
    ]
    table.indicators = [
        _indicator(entry, table, seq, horizon, place)
        for seq, (horizon, place, entry) in enumerate(entries, start=1)
    ]
    table.n_indicators = len(table.indicators)
    if not table.indicators:
        table.warnings.append("indicator block found but no indicator rows read under it")
    return table


def tree_tables(grid: Grid, tree: TreeLayout, sha256: str, before: int) -> list[TableRecord]:
    """One table per project of a tree table, each with the header block printed above it."""
    tables = []
    for k, branch in enumerate(read_tree(grid, tree), start=before + 1):
        table = _table_record(grid, f"{sha256[:16]}-t{k:02d}", k, range(tree.header_row))
        label = grid.text(tree.header_row, tree.name_col).strip()
        table.project_name = branch.project or table.project_name
        table.department = branch.unit or table.department
        cells = {"project_name": branch.project_cell, "department": branch.unit_cell}
        printed = {name: Printed.of(cell, label) for name, cell in cells.items() if cell}
        table.fields = field_records(table, printed)
        table.warnings.append(
            f"tree table: unit, project and levels read from the indentation of {label or '…'}"
        )
        table.indicators = [
            _indicator(entry, table, seq, "annual", None)
            for seq, entry in enumerate(branch.entries, start=1)
        ]
        table.n_indicators = len(table.indicators)
        tables.append(table)
    return tables


def _group_entries(grid: Grid, header: int, group: ColumnGroup) -> list[tuple[str | None, Entry]]:
    """The group's entries; a per-place group gives one entry per place column, row by row."""
    if not group.places:
        return [(None, entry) for entry in _entries(grid, header, group.roles)]
    levels = {c: role for c, role in group.roles.items() if role != "target"}
    per_place = [
        [(name, entry) for entry in _entries(grid, header, {**levels, c: "target"})]
        for c, name in group.places.items()
    ]
    return sorted((pair for entries in per_place for pair in entries), key=lambda p: p[1].row)


def _entries(grid: Grid, header_row: int, roles: dict[int, str]) -> list[Entry]:
    rows = block_rows(grid, header_row, roles)
    join_labels_split_by_break(rows, grid.seams)
    rows = join_rows_split_by_break(rows, grid.seams)
    if grid.loose:
        rows = join_split_names(rows)
    return resolve_levels(rows, grid.loose, ocr="ocr" in grid.extractor, seams=tuple(grid.seams))


def _table_record(grid: Grid, table_id: str, index: int, header_rows: range) -> TableRecord:
    header = read_header(grid, header_rows)
    title_line = _title_line(grid.context) or _title_line(_single_text_rows(grid, header_rows))
    year, year_source = _year(grid.context + _single_text_rows(grid, header_rows))
    pages = grid.pages
    kind = _table_kind(title_line.text if title_line else "", header.values)
    table = TableRecord(
        table_id=table_id,
        source_path=grid.source_path,
        table_index=index,
        extractor=grid.extractor,
        page_first=pages[0] if pages else None,
        page_last=pages[-1] if pages else None,
        table_kind=kind,
        year=year,
        year_source=year_source,
        title=to_simplified(title_line.text) if title_line else None,
        locator=title_line.locator if title_line else "",
        warnings=header.warnings,
        **header.values,
    )
    table.fields = field_records(table, header.printed)
    return table


def _unread_table(grid: Grid, table_id: str, index: int, problem: str) -> TableRecord:
    table = _table_record(grid, table_id, index, range(len(grid.rows)))
    table.warnings.append(problem)
    return table


def _single_text_rows(grid: Grid, rows: range) -> list[TextLine]:
    """Rows of the grid holding one text only (a title printed inside the table)."""
    out = []
    for r in rows:
        cells = list(dict.fromkeys(c for c in grid.rows[r] if c is not None and c.text.strip()))
        if len(cells) == 1:
            out.append(TextLine(cells[0].text, cells[0].locator, cells[0].page))
    return out


def _has_role(layout: IndicatorLayout, role: str) -> bool:
    return any(role in group.roles.values() for group in layout.groups)


def _lend_header(table: TableRecord, grid: Grid, header: Header) -> None:
    lent = [name for name in header.values if getattr(table, name) is None]
    for name in lent:
        setattr(table, name, header.values[name])
    if table.title is None and (line := _title_line(grid.context)):
        table.title = to_simplified(line.text)
        table.table_kind = _table_kind(line.text, header.values)
    if table.year is None:
        table.year, table.year_source = _year(grid.context)
    table.fields = field_records(table, {name: header.printed[name] for name in lent})


def _indicator(
    entry: Entry, table: TableRecord, seq: int, horizon: str, place: str | None
) -> IndicatorRecord:
    extra = entry.extra
    nature = _operator_cell(extra.get("nature"), extra.get("direction"))
    unit_cell = extra.get("unit") or _unit_in_name(entry.level3)
    target = parse_target(entry.target_raw, nature=nature, unit=unit_cell)
    if unit_cell and not extra.get("unit") and target.unit == unit_cell:
        entry.repairs.append(f"unit taken from the 三级 name: {unit_cell}")
    actual = parse_target(extra["actual"], unit=extra.get("unit")) if "actual" in extra else None
    cell = entry.target_cell
    box = cell.bbox if cell is not None and cell.bbox else (None, None, None, None)
    warnings = [*entry.warnings, *([target.warning] if target.warning else [])]
    if not entry.target_raw:
        warnings.append("no target printed")
    if not entry.level3.strip():
        warnings.append("no 三级 name read beside the target: check the row against the page")
    scores = [c.confidence for c in entry.cells if c.confidence is not None]
    if scores and min(scores) < LOW_CONFIDENCE:
        warnings.append(f"low OCR confidence {min(scores):.2f}: check against the page")
    return IndicatorRecord(
        table_id=table.table_id,
        year=table.year,
        seq=seq,
        horizon=horizon,
        place=place,
        level1=entry.level1 or None,  # a flat list prints no levels: null, not guessed
        level2=entry.level2 or None,
        level3=entry.level3,
        level1_std=entry.level1_std,
        level2_std=entry.level2_std,
        level3_clean=entry.level3_clean,
        target_raw=entry.target_raw,
        op=target.op,
        value=target.value,
        value_max=target.value_max,
        unit=target.unit,
        qualitative=target.qualitative,
        target_kind=target.kind,
        nature_raw=extra.get("nature"),
        direction_raw=extra.get("direction"),
        unit_raw=extra.get("unit"),
        weight=parse_number(extra.get("weight")),
        actual_raw=extra.get("actual"),
        actual_op=actual.op if actual else None,
        actual_value=actual.value if actual else None,
        actual_unit=actual.unit if actual else None,
        score=parse_number(extra.get("score")),
        deviation_reason=extra.get("deviation"),
        confidence=min(scores) if scores else None,
        page=cell.page if cell is not None else None,
        x0=box[0],
        top=box[1],
        x1=box[2],
        bottom=box[3],
        locator=cell.locator if cell is not None else "",
        repairs=entry.repairs,
        warnings=warnings,
    )


def _unit_in_name(level3: str) -> str | None:
    """A 三级 that names its unit in brackets, "培训人数（人次）", for a target printed bare."""
    match = _BRACKETED_UNIT.search(level3)
    return match.group(1) if match and match.group(1) in UNITS else None


def _operator_cell(nature: str | None, direction: str | None) -> str | None:
    """The cell that carries the operator: regions differ on which column holds the symbol and
    which holds 正向/反向, so the one with a symbol (or 定性) wins."""
    for text in (nature, direction):
        if text and _SYMBOL.search(text):
            return text
    return nature or direction


def _title_line(lines: list[TextLine]) -> TextLine | None:
    return next((ln for ln in lines if _TITLE.search(to_simplified(ln.text))), None)


def _year(lines: list[TextLine]) -> tuple[int | None, str | None]:
    for line in lines:
        match = _YEAR.search(line.text)
        if match:
            return int(match.group(1)), f"title: {line.locator}"
    return None, None


def _table_kind(title: str, fields: dict) -> str:
    title = to_simplified(title)
    if "自评" in title:
        return "self_evaluation"
    if "部门整体" in title or "整体支出" in title or fields.get("duties"):
        return "department_overall"
    return "project_target"
