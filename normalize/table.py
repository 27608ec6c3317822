"""A grid -> a canonical table record with its indicators. The table of contents of normalize."""

from __future__ import annotations

import re

from extract.grid import Grid, TextLine

from .header import header_fields
from .indicators import (
    Entry,
    block_rows,
    find_indicator_header,
    join_labels_split_by_break,
    join_rows_split_by_break,
    join_split_names,
    resolve_levels,
)
from .records import IndicatorRecord, TableRecord
from .targets import parse_target
from .text import to_simplified
from .vocabulary import level1_std, level2_std

_TITLE = re.compile(r"绩效(目标|自评)表?|绩效目标申报表|绩效自评")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def grids_to_tables(grids: list[Grid], sha256: str) -> list[TableRecord]:
    """Target tables in document order; a grid holding only a header block (some forms print it
    as a table of its own) lends its fields to the indicator table that follows."""
    tables: list[TableRecord] = []
    pending_header: tuple[Grid, dict] | None = None
    for grid in grids:
        found = find_indicator_header(grid)
        if found is None:
            fields, _ = header_fields(grid, range(len(grid.rows)))
            pending_header = (grid, fields) if fields else pending_header
            continue
        table = grid_to_table(grid, found, f"{sha256[:16]}-t{len(tables) + 1:02d}", len(tables) + 1)
        if pending_header is not None:
            _lend_header(table, *pending_header)
            pending_header = None
        tables.append(table)
    return tables


def grid_to_table(grid: Grid, found: tuple, table_id: str, index: int) -> TableRecord:
    header_row, roles = found
    fields, warnings = header_fields(grid, range(header_row))
    title_line = _title_line(grid.context)
    year, year_source = _year(grid.context)
    pages = grid.pages
    table = TableRecord(
        table_id=table_id,
        source_path=grid.source_path,
        table_index=index,
        extractor=grid.extractor,
        page_first=pages[0] if pages else None,
        page_last=pages[-1] if pages else None,
        table_kind=_table_kind(title_line.text if title_line else ""),
        year=year,
        year_source=year_source,
        title=to_simplified(title_line.text) if title_line else None,
        locator=title_line.locator if title_line else "",
        warnings=warnings,
        **fields,
    )
    rows = block_rows(grid, header_row, roles)
    join_labels_split_by_break(rows, grid.seams)
    rows = join_rows_split_by_break(rows, grid.seams)
    if grid.loose:
        rows = join_split_names(rows)
    table.indicators = [
        _indicator(entry, table, seq)
        for seq, entry in enumerate(resolve_levels(rows, grid.loose), start=1)
    ]
    table.n_indicators = len(table.indicators)
    return table


def _lend_header(table: TableRecord, grid: Grid, fields: dict) -> None:
    for name, value in fields.items():
        if getattr(table, name) is None:
            setattr(table, name, value)
    if table.title is None and (line := _title_line(grid.context)):
        table.title = to_simplified(line.text)
        table.table_kind = _table_kind(line.text)
    if table.year is None:
        table.year, table.year_source = _year(grid.context)


def _indicator(entry: Entry, table: TableRecord, seq: int) -> IndicatorRecord:
    target = parse_target(entry.target_raw)
    cell = entry.target_cell
    box = cell.bbox if cell is not None and cell.bbox else (None, None, None, None)
    warnings = [*entry.warnings, *([target.warning] if target.warning else [])]
    if not entry.target_raw:
        warnings.append("no target printed")
    return IndicatorRecord(
        table_id=table.table_id,
        year=table.year,
        seq=seq,
        level1=entry.level1,
        level2=entry.level2,
        level3=entry.level3,
        level1_std=level1_std(entry.level1),
        level2_std=level2_std(entry.level2),
        target_raw=entry.target_raw,
        op=target.op,
        value=target.value,
        value_max=target.value_max,
        unit=target.unit,
        qualitative=target.qualitative,
        target_kind=target.kind,
        page=cell.page if cell is not None else None,
        x0=box[0],
        top=box[1],
        x1=box[2],
        bottom=box[3],
        locator=cell.locator if cell is not None else "",
        repairs=entry.repairs,
        warnings=warnings,
    )


def _title_line(lines: list[TextLine]) -> TextLine | None:
    return next((ln for ln in lines if _TITLE.search(to_simplified(ln.text))), None)


def _year(lines: list[TextLine]) -> tuple[int | None, str | None]:
    for line in lines:
        match = _YEAR.search(line.text)
        if match:
            return int(match.group(1)), f"title: {line.locator}"
    return None, None


def _table_kind(title: str) -> str:
    title = to_simplified(title)
    if "自评" in title:
        return "self_evaluation"
    if "部门整体" in title:
        return "department_overall"
    return "project_target"
