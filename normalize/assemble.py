"""Stage 7, Levels (or Branches) -> TableRecords: the canonical records of one grid: the table
with its header fields, its indicators with their targets parsed, and the fields' records."""

from __future__ import annotations

import dataclasses
import itertools
import re
from decimal import Decimal

from perftab.extract.grid import Grid, TextLine

from .records import FieldRecord, IndicatorRecord, TableRecord
from .stage_records import (
    Branch,
    Entry,
    GridReading,
    HeaderBlock,
    IndicatorLayout,
    Printed,
    TreeLayout,
)
from .targets import UNITS, parse_target
from .text import parse_number, to_simplified
from .vocabulary import names_a_form

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_SYMBOL = re.compile(r"[≥≤><=＝＞＜≧≦]|定性|定量")
LOW_CONFIDENCE = 0.8  # the lowest OCR score of a row's cells below which it is flagged
_BRACKETED_UNIT = re.compile(r"[（(]([^（）()]{1,6})[）)]$")
_COLUMN_ORDER = [f.name for f in dataclasses.fields(TableRecord)]


def levels_to_tables(
    reading: GridReading, sha256: str, before: int, lender: GridReading | None = None
) -> list[TableRecord]:
    """The tables of one grid, numbered after the `before` tables of the document ahead of it:
    one per project of a tree, one for an indicator block (the `lender`'s header fields filling
    those its own header block lacks), one telling why for a block no column could be read."""
    layout, header = reading.layout, reading.header
    index = before + 1
    table_id = f"{sha256[:16]}-t{index:02d}"
    if reading.branches is not None and layout.tree is not None:
        return tree_tables(reading.grid, header, layout.tree, reading.branches, sha256, before)
    if reading.levels is not None and layout.columns is not None:
        table = _table_record(reading.grid, header, table_id, index)
        _add_indicators(table, layout.columns, reading.levels.entries)
        if lender is not None:
            _lend_header(table, lender.grid, lender.header)
        return [table]
    if layout.problem:
        table = _table_record(reading.grid, header, table_id, index)
        table.warnings.append(layout.problem)
        return [table]
    return []


def _add_indicators(
    table: TableRecord, columns: IndicatorLayout, entries: list[tuple[str, str | None, Entry]]
) -> None:
    table.warnings.extend(columns.warnings)
    if table.table_kind == "project_target" and _has_role(columns, "actual"):
        table.table_kind = "self_evaluation"
    table.indicators = [
        _indicator(entry, table, seq, horizon, place)
        for seq, (horizon, place, entry) in enumerate(entries, start=1)
    ]
    table.n_indicators = len(table.indicators)
    if not table.indicators:
        table.warnings.append("indicator block found but no indicator rows read under it")
    _warn_rows_read_alike(table.indicators)


def _warn_rows_read_alike(indicators: list[IndicatorRecord]) -> None:
    """Two rows in a row under the same levels and the same 三级 name with different targets:
    the name of one row was joined to the other's (a borderless row read as the wrapped start
    of the next), or the form printed one indicator twice; either way the rows need a look."""
    for a, b in itertools.pairwise(indicators):
        same = (a.horizon, a.place, a.level1, a.level2, a.level3_clean) == (
            b.horizon, b.place, b.level1, b.level2, b.level3_clean)
        if same and a.level3_clean and a.target_raw != b.target_raw:
            for ind, other in ((a, b), (b, a)):
                ind.warnings.append(
                    f"the same 三级 name read on the row beside it (seq {other.seq}) with another"
                    " target: rows may be joined; check against the page")


def tree_tables(grid: Grid, header: HeaderBlock, tree: TreeLayout, branches: list[Branch],
                sha256: str, before: int) -> list[TableRecord]:
    """One table per project of a tree table, each with the header block printed above it."""
    tables = []
    for k, branch in enumerate(branches, start=before + 1):
        table = _table_record(grid, header, f"{sha256[:16]}-t{k:02d}", k)
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


def _table_record(grid: Grid, header: HeaderBlock, table_id: str, index: int) -> TableRecord:
    title_line = _title_line(grid.context) or _title_line(header.single_texts)
    year, year_source = _year(grid.context + header.single_texts)
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
        warnings=list(header.warnings),
        **header.values,
    )
    table.fields = field_records(table, header.printed)
    return table


def _has_role(columns: IndicatorLayout, role: str) -> bool:
    return any(role in group.roles.values() for group in columns.groups)


def _lend_header(table: TableRecord, grid: Grid, header: HeaderBlock) -> None:
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
        ocr_score=min(scores) if scores else None,
        confidence=min(scores) if scores else None,  # lowered by checks.weigh_doubts
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
    return next((ln for ln in lines if names_a_form(ln.text)), None)


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


def field_records(table: TableRecord, printed: dict[str, Printed]) -> list[FieldRecord]:
    """The table's field records with one for each of `printed` added (in place of one of the
    same field), all carrying the table's id, year and current value, in its column order."""
    records = {r.field: r for r in table.fields}
    for name, where in printed.items():
        x0, top, x1, bottom = where.bbox or (None, None, None, None)
        records[name] = FieldRecord(
            table_id=table.table_id, year=table.year, field=name, value=None, raw=where.raw,
            label_raw=where.label_raw, page=where.page, x0=x0, top=top, x1=x1, bottom=bottom,
            locator=where.locator, confidence=where.confidence,
        )
    return [
        dataclasses.replace(records[name], year=table.year, value=value_text(getattr(table, name)))
        for name in _COLUMN_ORDER
        if name in records
    ]


def value_text(value) -> str | None:
    """A header value as the fields output's text: numbers as plain decimals without trailing
    zeros (86.0 -> "86", 74.4 -> "74.4", 1100.0 -> "1100"), so float(text) gives it back."""
    if value is None:
        return None
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)
