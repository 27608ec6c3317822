"""The header block above the indicators: 项目名称, 主管部门及代码, 项目资金 …, 年度目标.

Labels are found by their words wherever they stand in a row; a label's value is the next cell
to its right that is not itself a label. Column-labelled blocks (a self-evaluation's
年初预算数 | 全年预算数 | 全年执行数 … and 预期目标 | 实际完成情况) are read first, by column.
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from extract.grid import Cell, Grid

from .text import to_simplified
from .vocabulary import BLOCK_COLUMN_LABELS, HEADER_LABELS, one_slip

_LABEL_NOISE = re.compile(r"[\s:：]+|[（(]\s*万元\s*[)）]")
_DEPARTMENT = re.compile(r"^[\[【［(（]?\s*(\d[\d\-.]*)\s*[\]】］)）]?\s*[-－—]?\s*(.+)$")
_MONEY = re.compile(r"-?\d[\d,]*(\.\d+)?")

MONEY_FIELDS = ("funds_total_wan", "funds_fiscal_wan", "funds_other_wan", "funds_midterm_wan")

# (row label field, column label) -> fields, for the self-evaluation budget and goal blocks;
# a self-evaluation's funds are its 全年预算数 (the budget as adjusted during the year)
BLOCK_FIELDS = {
    ("funds_total_wan", "initial"): ("budget_initial_wan",),
    ("funds_total_wan", "full_year"): ("budget_full_year_wan", "funds_total_wan"),
    ("funds_total_wan", "executed"): ("budget_executed_wan",),
    ("funds_total_wan", "execution_rate"): ("execution_rate",),
    ("funds_total_wan", "score"): ("budget_score",),
    ("funds_fiscal_wan", "full_year"): ("funds_fiscal_wan",),
    ("funds_other_wan", "full_year"): ("funds_other_wan",),
    (None, "goal"): ("annual_goal",),
    (None, "goal_actual"): ("goal_actual",),
    (None, "midterm_goal"): ("midterm_goal",),
}
SPLIT_FIELDS = ("funds_fiscal_wan", "funds_other_wan")
NUMBER_FIELDS = {
    "budget_initial_wan", "budget_full_year_wan", "budget_executed_wan", "execution_rate",
    "budget_score", *MONEY_FIELDS,
}


def _key(text: str) -> str:
    return _LABEL_NOISE.sub("", unicodedata.normalize("NFKC", to_simplified(text)))


_BRACKETED = re.compile(r"[(（][^)）]*[)）]")
_LABELS = [(_key(label), name) for label, name in HEADER_LABELS]
_LABEL_FIELDS = dict(_LABELS)
_COLUMN_LABELS = {_key(label): name for label, name in BLOCK_COLUMN_LABELS.items()}


def _column_label(text: str) -> str | None:
    """A block's column label; "中期目标（2023—2025年）" is 中期目标."""
    return _COLUMN_LABELS.get(_BRACKETED.sub("", _key(text)))


def label_field(text: str, fuzzy: bool = False) -> str | None:
    """The field a header label names; `fuzzy` also takes a label one OCR slip away
    ("项目名秤" for 项目名称), never a short one where one character is a different word."""
    cleaned = _key(text)
    for label, name in _LABELS:
        if cleaned == label:
            return name
    slip = one_slip(cleaned, _LABEL_FIELDS) if fuzzy else None
    return _LABEL_FIELDS[slip] if slip else None


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
    # where 中期资金总额 stands beside 年度资金总额, the sub-rows of each follow its column
    midterm = _label_column(grid, rows, "funds_midterm_wan") is not None
    total_col = _label_column(grid, rows, "funds_total_wan") if midterm else None
    ocr = "ocr" in grid.extractor
    for r in rows:
        cells = distinct_cells(grid.rows[r])
        for i, cell in enumerate(cells):
            cell, cells = _split_joined_label(cell, cells, i)
            name = label_field(cell.text, fuzzy=ocr)
            if name is None or name == "funds" or fields.get(name) is not None:
                continue
            if label_field(cell.text) is None:
                warnings.append(f"header label read as {name}: {cell.text} ({cell.locator})")
            if total_col is not None and name in SPLIT_FIELDS and cell.col != total_col:
                continue  # the 中期 column's 其中：财政拨款 beside the annual one
            if name == "annual_tasks" and (tasks := task_list(grid, r, cell)):
                fields[name] = tasks
                continue
            value = _value_after(cells, i)
            if value is not None:
                fields.update(_field_values(name, value, warnings))
    return fields, warnings


def _label_column(grid: Grid, rows: range, name: str) -> int | None:
    for r in rows:
        for cell in distinct_cells(grid.rows[r]):
            if label_field(cell.text) == name:
                return cell.col
    return None


TASK_COLUMNS = {"任务名称": "name", "主要内容": "content", "预算金额": "funds_wan"}


def task_list(grid: Grid, r: int, label: Cell) -> str | None:
    """年度主要任务 printed as a small table beside its label (任务名称 | 主要内容 | 预算金额):
    a JSON list of {name, content, funds_wan}; None when it is plain text."""
    below = [k for k in range(r, len(grid.rows)) if label in grid.rows[k]]
    heading = {
        c: TASK_COLUMNS[key]
        for c, cell in enumerate(grid.rows[r])
        if cell is not label and (key := _key(cell.text if cell else "")) in TASK_COLUMNS
    }
    if len(set(heading.values())) < 2:
        return None
    tasks = []
    for k in below[1:]:
        task: dict = {}
        for c, field in heading.items():
            text = to_simplified(grid.text(k, c).strip())
            task.setdefault(field, parse_number(text) if field == "funds_wan" else text)
        tasks.append(task)
    return json.dumps(tasks, ensure_ascii=False)


def column_block_fields(grid: Grid, rows: range, fields: dict, warnings: list[str]) -> None:
    """Values under a row of column labels, keyed by the row's own label and the column's."""
    columns: dict[int, str] = {}
    for r in rows:
        labels = {c: _column_label(t) for c, t in enumerate(grid.row_texts(r))}
        labels = {c: name for c, name in labels.items() if name}
        if len(set(labels.values())) >= 2:
            columns = labels
            continue
        if not columns:
            continue
        row_labels = [label_field(c.text) for c in distinct_cells(grid.rows[r])]
        row_field = next((f for f in row_labels if f in MONEY_FIELDS), None)
        for c, col_label in columns.items():
            cell = grid.rows[r][c] if c < len(grid.rows[r]) else None
            if cell is None or not cell.text.strip():
                continue
            for name in BLOCK_FIELDS.get((row_field, col_label), ()):
                if name not in fields:
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
