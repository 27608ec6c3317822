"""The header block above the indicators: 项目名称, 主管部门及代码, 项目资金 …, 年度目标.

Labels are found by their words wherever they stand in a row; a label's value is the next cell
to its right that is not itself a label.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal, InvalidOperation

from extract.grid import Cell, Grid

from .text import to_simplified
from .vocabulary import HEADER_LABELS

_LABEL_NOISE = re.compile(r"[\s:：]+|[（(]\s*万元\s*[)）]")
_DEPARTMENT = re.compile(r"^[\[【［(（]?\s*(\d[\d\-.]*)\s*[\]】］)）]?\s*[-－—]?\s*(.+)$")
_MONEY = re.compile(r"-?\d[\d,]*(\.\d+)?")

MONEY_FIELDS = ("funds_total_wan", "funds_fiscal_wan", "funds_other_wan")


def label_field(text: str) -> str | None:
    cleaned = _LABEL_NOISE.sub("", text)
    for label, name in HEADER_LABELS:
        if cleaned == _LABEL_NOISE.sub("", label):
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
    for r in rows:
        cells = distinct_cells(grid.rows[r])
        for i, cell in enumerate(cells):
            cell, cells = _split_joined_label(cell, cells, i)
            name = label_field(cell.text)
            if name is None or name == "funds" or name in fields:
                continue
            value = _value_after(cells, i)
            if value is not None:
                fields.update(_field_values(name, value, warnings))
    return fields, warnings


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
    if name in MONEY_FIELDS:
        amount = parse_money(text)
        if amount is None:
            warnings.append(f"{name}: not a number: {text!r} ({cell.locator})")
        return {name: amount}
    if name == "department":
        code, department = split_department(text)
        return {"department": department, "department_code": code}
    return {name: text}


def parse_money(text: str) -> float | None:
    match = _MONEY.search(text.replace("，", ","))
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
