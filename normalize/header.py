"""The header block above the indicators: 项目名称, 主管部门及代码, 项目资金 …, 年度目标.

Labels are found by their words wherever they stand in a row; a label's value is the next cell
to its right that is not itself a label. Column-labelled blocks (a self-evaluation's
年初预算数 | 全年预算数 | 全年执行数 … and 预期目标 | 实际完成情况) are read first, by column.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from extract.grid import Cell, Grid

from .text import to_simplified
from .vocabulary import BLOCK_COLUMN_LABELS, HEADER_LABELS

_LABEL_NOISE = re.compile(r"[\s:：]+|[（(]\s*万元\s*[)）]")
_DEPARTMENT = re.compile(r"^[\[【［(（]?\s*(\d[\d\-.]*)\s*[\]】］)）]?\s*[-－—]?\s*(.+)$")
_MONEY = re.compile(r"-?\d[\d,]*(\.\d+)?")

MONEY_FIELDS = ("funds_total_wan", "funds_fiscal_wan", "funds_other_wan", "funds_midterm_wan")

# (row label field, column label) -> field, for the self-evaluation budget and goal blocks
BLOCK_FIELDS = {
    ("funds_total_wan", "initial"): "budget_initial_wan",
    ("funds_total_wan", "full_year"): "budget_full_year_wan",
    ("funds_total_wan", "executed"): "budget_executed_wan",
    ("funds_total_wan", "execution_rate"): "execution_rate",
    ("funds_total_wan", "score"): "budget_score",
    ("funds_fiscal_wan", "full_year"): "funds_fiscal_wan",
    ("funds_other_wan", "full_year"): "funds_other_wan",
    (None, "goal"): "annual_goal",
    (None, "goal_actual"): "goal_actual",
}
NUMBER_FIELDS = {
    "budget_initial_wan", "budget_full_year_wan", "budget_executed_wan", "execution_rate",
    "budget_score", *MONEY_FIELDS,
}


def _key(text: str) -> str:
    return _LABEL_NOISE.sub("", unicodedata.normalize("NFKC", to_simplified(text)))


_LABELS = [(_key(label), name) for label, name in HEADER_LABELS]
_COLUMN_LABELS = {_key(label): name for label, name in BLOCK_COLUMN_LABELS.items()}


def label_field(text: str) -> str | None:
    cleaned = _key(text)
    for label, name in _LABELS:
        if cleaned == label:
            return name
    return None


def distinct_cells(row: list[Cell | None]) -> list[Cell]:
    out: list[Cell] = []
    for cell in row:
        if cell is not None and (not out or cell is not out[-1]):
            out.append(cell)
    return out


def header_fields(grid: Grid, rows: range) -> tuple[dict, list[str]]:
    """Field values from the header rows, and warnings for values that could not be read."""
    fields: dict = {}
    warnings: list[str] = []
    column_block_fields(grid, rows, fields, warnings)
    for r in rows:
        cells = distinct_cells(grid.rows[r])
        for i, cell in enumerate(cells):
            cell, cells = _split_joined_label(cell, cells, i)
            name = label_field(cell.text)
            if name is None or name == "funds" or fields.get(name) is not None:
                continue
            value = _value_after(cells, i)
            if value is not None:
                fields.update(_field_values(name, value, warnings))
    return fields, warnings


def column_block_fields(grid: Grid, rows: range, fields: dict, warnings: list[str]) -> None:
    """Values under a row of column labels, keyed by the row's own label and the column's."""
    columns: dict[int, str] = {}
    for r in rows:
        labels = {c: _COLUMN_LABELS.get(_key(t)) for c, t in enumerate(grid.row_texts(r))}
        labels = {c: name for c, name in labels.items() if name}
        if len(set(labels.values())) >= 2:
            columns = labels
            continue
        if not columns:
            continue
        row_labels = [label_field(c.text) for c in distinct_cells(grid.rows[r])]
        row_field = next((f for f in row_labels if f in MONEY_FIELDS), None)
        for c, col_label in columns.items():
            name = BLOCK_FIELDS.get((row_field, col_label))
            cell = grid.rows[r][c] if c < len(grid.rows[r]) else None
            if name and name not in fields and cell is not None and cell.text.strip():
                fields.update(_field_values(name, cell, warnings))


def _split_joined_label(cell: Cell, cells: list[Cell], i: int) -> tuple[Cell, list[Cell]]:
    """'年度 完成安康码…': an OCR line that joined a label to its value with a space."""
    head, _, rest = cell.text.strip().partition(" ")
    if not rest or label_field(cell.text) or label_field(head) is None:
        return cell, cells
    label = dataclasses.replace(cell, text=head)
    value = dataclasses.replace(cell, text=rest.strip())
    return label, [*cells[:i], label, value, *cells[i + 1 :]]


def _value_after(cells: list[Cell], i: int) -> Cell | None:
    for cell in cells[i + 1 :]:
        if label_field(cell.text) is not None:
            return None
        if cell.text.strip():
            return cell
    return None


def _field_values(name: str, cell: Cell, warnings: list[str]) -> dict:
    text = to_simplified(cell.text.strip())
    if name in NUMBER_FIELDS:
        amount = parse_number(text)
        if amount is None:
            warnings.append(f"{name}: not a number: {text!r} ({cell.locator})")
        return {name: amount}
    if name == "department":
        code, department = split_department(text)
        return {"department": department, **({"department_code": code} if code else {})}
    return {name: text}


def parse_number(text: str | None) -> float | None:
    """The first number printed in a cell ("86.00", "1,200", "10分", "98%"), else None."""
    if not text:
        return None
    match = _MONEY.search(unicodedata.normalize("NFKC", text))
    if match is None:
        return None
    try:
        return float(Decimal(match.group(0).replace(",", "")))
    except InvalidOperation:
        return None


def split_department(text: str) -> tuple[str | None, str]:
    """'[010]霍山县数据资源管理局' -> ('010', '霍山县数据资源管理局')."""
    match = _DEPARTMENT.match(text)
    if match is None:
        return None, text
    return match.group(1), match.group(2).strip()
