"""Stage 2, Layout -> HeaderBlock: the header block above the indicators: 项目名称, 主管部门及代码,
项目资金 …, 年度目标.

Labels are found by their words wherever they stand in a row; a label's value is the next cell
to its right that is not itself a label. Column-labelled blocks (a self-evaluation's
年初预算数 | 全年预算数 | 全年执行数 … and 预期目标 | 实际完成情况) are read first, by column.
Every value read keeps the text printed in its cell, its label and the cell's place
(`Printed`), which become the `fields` output (assemble.field_records).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import unicodedata

from perftab.extract.grid import BBox, Cell, Grid, TextLine

from .stage_records import HeaderBlock, Layout, Printed
from .text import parse_number, to_simplified
from .vocabulary import BLOCK_COLUMN_LABELS, HEADER_LABEL_PATTERNS, HEADER_LABELS, one_slip

_LABEL_NOISE = re.compile(r"[\s:：]+|[（(]\s*万元\s*[)）]")
_DEPARTMENT = re.compile(r"^[\[【［(（]?\s*(\d+(?:[-.]\d+)*)\s*[\]】］)）]?\s*[-－—]?\s*(.+)$")

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


def layout_to_header_block(layout: Layout) -> HeaderBlock:
    """The fields of the rows above the indicator block's headings (all rows of a grid with
    none), each with where it was printed, and the lines printed alone in a row of them."""
    rows = range(layout.header_row)
    grid = labels_rejoined(layout.grid, rows)
    header = HeaderBlock(rows, single_texts=_single_text_rows(grid, rows))
    column_block_fields(grid, rows, header)
    labels = row_label_fields(grid, rows, header)
    line_fields(grid.context, header)
    labels_left_empty(labels, header)
    values_run_together(header)
    return header


# a label where a line of text may print one: at the line's start or after a space or a
# separator, followed by a colon, a space or the line's end
_LINE_LABEL = re.compile(
    r"(?:^|(?<=[\s，,；;。:：]))(?P<label>"
    + "|".join([*sorted({re.escape(label) for label, _ in HEADER_LABELS}, key=len, reverse=True),
                *(f"(?:{pattern})" for pattern, _ in HEADER_LABEL_PATTERNS)])
    + r")(?:[（(][^（）()]{1,6}[)）])?(?:[:：]|\s|$)"  # a note after it: （万元）, （单位）
)
_GOALS = ("annual_goal", "midterm_goal")
_LABEL_COLON = re.compile(
    "(?P<label>" + "|".join(sorted({re.escape(label) for label, _ in HEADER_LABELS}, key=len,
                                   reverse=True)) + ")[:：]")


def line_fields(lines: list[TextLine], header: HeaderBlock) -> None:
    """The fields printed as lines above the table rather than in it ("项目名称：道路养护",
    "主管部门 某局 实施单位 某中心" — a Word form typed as paragraphs, a borderless header
    block): each label's value is the text up to the next label; a goal goes on over the lines
    under it that name no field. Only fields the table itself does not give."""
    goal: str | None = None
    for line in lines:
        folded = unicodedata.normalize("NFKC", to_simplified(line.text))
        # values are taken from the line as printed where folding kept every character's place
        printed = line.text if len(folded) == len(line.text) else folded
        found = list(_LINE_LABEL.finditer(folded))
        if not found:
            if goal is not None and printed.strip():
                _extend(header, goal, printed.strip(), line)
            continue
        goal = None
        for k, match in enumerate(found):
            end = found[k + 1].start() if k + 1 < len(found) else len(folded)
            name = _value_field(match.group("label"))
            value = printed[match.end():end].strip().lstrip(":：").strip()
            value = value if name in _GOALS else value.rstrip("，,；;")
            if not value or name in (None, "annual_tasks") or header.values.get(name) is not None:
                continue
            for key, read in _field_values(name, value, line.locator, header.warnings).items():
                label = printed[match.start("label"):match.end("label")]
                _set(header, key, read, Printed(value, label, line.locator, line.page))
            goal = name if name in _GOALS else None


def _extend(header: HeaderBlock, name: str, text: str, line: TextLine) -> None:
    """A goal wrapped onto the next line: the line's text joined to it."""
    printed = header.printed[name]
    header.values[name] += text
    header.printed[name] = Printed(printed.raw + text, printed.label_raw,
                                   f"{printed.locator}; {line.locator}", printed.page,
                                   confidence=printed.confidence)


def _read(header: HeaderBlock, name: str, cell: Cell, label_raw: str | None) -> None:
    """The value(s) of `name` in `cell`: a 主管部门 cell gives department and its code."""
    for key, value in _field_values(name, cell.text, cell.locator, header.warnings).items():
        _set(header, key, value, Printed.of(cell, label_raw))


def _set(header: HeaderBlock, name: str, value, printed: Printed) -> None:
    header.values[name] = value
    header.printed[name] = printed


def labels_rejoined(grid: Grid, rows: range) -> Grid:
    """The grid with the header rows' labels whole again where a borderless page's reading
    broke them: a label wrapped onto the rows under it (项目资金（万 over 元）, each line read
    as a row) joined on its first row, its amount too where it stood between the label's lines
    (年度资金 150 over 总额); labels run together in a cell over as many rows (年度资金总额其中：
    财政拨款 beside 150 over 120) given a row each. The layout's own grid is left as read."""
    mended = [list(row) for row in grid.rows]
    for r in rows:
        _labels_a_row_each(mended, rows, r)
        _wrapped_label_joined(mended, rows, r)
    if all(a is b for new, old in zip(mended, grid.rows, strict=True)
           for a, b in zip(new, old, strict=True)):
        return grid
    return dataclasses.replace(grid, rows=mended)


def _labels_a_row_each(mended: list[list[Cell | None]], rows: range, r: int) -> None:
    for cell in distinct_cells(mended[r]):
        if r > rows.start and any(c is cell for c in mended[r - 1]):
            continue  # read on its first row
        labels = labels_run_together(cell.text)
        spanned = [k for k in rows if any(c is cell for c in mended[k])]
        if len(labels) < 2 or len(spanned) != len(labels) or "".join(labels) != _key(cell.text):
            continue
        for k, text in zip(spanned, _labels_as_printed(cell.text, labels), strict=True):
            _put(mended, k, cell, dataclasses.replace(cell, text=text, row=k, rowspan=1))


def _labels_as_printed(text: str, keys: tuple[str, ...]) -> list[str]:
    """Each label of `keys` as `text` prints it, with the note and colon after it
    (项目资金（万元）)."""
    out, start = [], 0
    for key in keys:
        end = max(j for j in range(start + 1, len(text) + 1) if _key(text[start:j]) == key)
        out.append(text[start:end].strip())
        start = end
    return out


# a text and the amount printed after it on its line: 年度资金 150
_AMOUNT_AFTER = re.compile(
    r"(?P<text>.*?[^\s0-9０-９.．])\s*(?P<amount>[0-9０-９][0-9０-９.．,，]*)")
_WRAPPED_LINES = 3  # the most lines a label of the block is seen wrapped over


def _wrapped_label_joined(mended: list[list[Cell | None]], rows: range, r: int) -> None:
    """A text that is no label, with the texts under it starting in its column on the next
    rows, which end a label read together: the label on row `r`, those cells left blank."""
    for cell in distinct_cells(mended[r]):
        text = cell.text.strip()
        if not _key(text) or label_field(text) or _label_and_value(text):
            continue
        amount = _AMOUNT_AFTER.fullmatch(text)
        joined, under = (amount.group("text"), []) if amount else (text, [])
        for k in range(r + 1, min(r + 1 + _WRAPPED_LINES, rows.stop)):
            below = mended[k][cell.col] if cell.col < len(mended[k]) else None
            if below is None or below is cell or below.col != cell.col or not below.text.strip():
                break
            joined += below.text.strip()
            under.append((k, below))
            # a label's last line may be a label of the same field (年度资金 over 总额), never
            # one of another (a note over the next row's label: （万元） over 年度目标)
            if label_field(below.text) not in (None, label_field(joined)):
                break
            if label_field(joined):
                value = f"{joined} {amount.group('amount')}" if amount else joined
                _put(mended, r, cell, dataclasses.replace(cell, text=value))
                for k, below in under:
                    _put(mended, k, below, dataclasses.replace(below, text=""))
                break


def _put(mended: list[list[Cell | None]], r: int, old: Cell, new: Cell) -> None:
    mended[r] = [new if c is old else c for c in mended[r]]


def _single_text_rows(grid: Grid, rows: range) -> list[TextLine]:
    """Rows of the grid holding one text only (a title printed inside the table)."""
    out = []
    for r in rows:
        cells = list(dict.fromkeys(c for c in grid.rows[r] if c is not None and c.text.strip()))
        if len(cells) == 1:
            out.append(TextLine(cells[0].text, cells[0].locator, cells[0].page))
    return out


@functools.lru_cache(maxsize=8192)  # every pass over the header block asks of the same cells
def _key(text: str) -> str:
    return _LABEL_NOISE.sub("", unicodedata.normalize("NFKC", to_simplified(text)))


_BRACKETED = re.compile(r"[(（][^)）]*[)）]")
_LABELS = [(_key(label), name) for label, name in HEADER_LABELS]
_LABEL_FIELDS = dict(_LABELS)
_FIRST_FIELDS = dict(reversed(_LABELS))  # a label's key -> the field of its first entry
_LABEL_SHAPES = [(re.compile(pattern), name) for pattern, name in HEADER_LABEL_PATTERNS]
_COLUMN_LABELS = {_key(label): name for label, name in BLOCK_COLUMN_LABELS.items()}


def _column_label(text: str) -> str | None:
    """A block's column label; "中期目标（2023—2025年）" is 中期目标."""
    return _COLUMN_LABELS.get(_BRACKETED.sub("", _key(text)))


@functools.lru_cache(maxsize=8192)
def label_field(text: str, fuzzy: bool = False) -> str | None:
    """The field a header label names; `fuzzy` also takes a label one OCR slip away
    ("项目名秤" for 项目名称), never a short one where one character is a different word."""
    cleaned = _key(text)
    if name := _label_named(cleaned):
        return name
    if (unbracketed := _BRACKETED.sub("", cleaned)) and (name := _label_named(unbracketed)):
        return name  # a note in brackets after the label: 主管部门（单位）, 实施单位（机构）
    slip = one_slip(cleaned, _LABEL_FIELDS) if fuzzy else None
    return _LABEL_FIELDS[slip] if slip else None


def _value_field(text: str, fuzzy: bool = False) -> str | None:
    """The field a label's value fills: 项目资金 (over 年度资金总额 …, or beside the one amount
    it has) the year's total."""
    name = label_field(text, fuzzy)
    return "funds_total_wan" if name == "funds" else name


def _label_named(cleaned: str) -> str | None:
    if name := _FIRST_FIELDS.get(cleaned):
        return name
    for pattern, name in _LABEL_SHAPES:
        if pattern.fullmatch(cleaned):
            return name
    return None


def distinct_cells(row: list[Cell | None]) -> list[Cell]:
    out: list[Cell] = []
    for cell in row:
        if cell is not None and (not out or cell is not out[-1]):
            out.append(cell)
    return out


def row_label_fields(grid: Grid, rows: range, header: HeaderBlock) -> list[LabelPrinted]:
    """Values beside their labels, row by row, for the fields not read by column; the labels
    printed in the rows, for labels_left_empty to warn of once every field is read."""
    # where 中期资金总额 stands beside 年度资金总额, the sub-rows of each follow its column
    midterm = _label_column(grid, rows, "funds_midterm_wan") is not None
    total_col = _label_column(grid, rows, "funds_total_wan") if midterm else None
    ocr = "ocr" in grid.extractor
    printed: list[LabelPrinted] = []
    for r in rows:
        row = distinct_cells(grid.rows[r])
        printed += [label for i in range(len(row)) if (label := _label_printed(row, i))]
        cells = labels_paired([part for cell in row for part in labels_and_values(cell)])
        for i, cell in enumerate(cells):
            name = _value_field(cell.text, fuzzy=ocr)
            if name is None or header.values.get(name) is not None:
                continue
            if label_field(cell.text) is None:
                header.warnings.append(f"header label read as {name}: {cell.text} ({cell.locator})")
            if total_col is not None and name in SPLIT_FIELDS and cell.col != total_col:
                continue  # the 中期 column's 其中：财政拨款 beside the annual one
            if name == "annual_tasks" and (tasks := task_list(grid, r, cell)):
                _set(header, name, tasks, _task_list_printed(grid, r, cell))
                continue
            if (value := _value_read(grid, rows, r, cells, i, name)) is not None:
                _read(header, name, value, cell.text.strip())
    return printed


# amounts printed one after another, each with its unit: 180万元95万元
_AMOUNT = r"[0-9０-９][0-9０-９.,，．]*\s*万?元"
_AMOUNTS = re.compile(rf"(?:{_AMOUNT}\s*)+")


def labels_paired(cells: list[Cell]) -> list[Cell]:
    """Labels run together in one cell beside as many amounts run together, each printed with
    its unit (年度资金总额其中：财政拨款 | 180万元95万元: two rows of a borderless block read
    as one): each label, then its amount, in order."""
    for i, cell in enumerate(cells[:-1]):
        labels, value = labels_run_together(cell.text), cells[i + 1]
        if len(labels) < 2 or "".join(labels) != _key(cell.text):
            continue
        amounts = re.findall(_AMOUNT, value.text) if _AMOUNTS.fullmatch(value.text.strip()) else []
        if len(amounts) != len(labels):
            continue
        printed = _labels_as_printed(cell.text.strip(), labels)
        pairs = [dataclasses.replace(source, text=text.strip())
                 for label, amount in zip(printed, amounts, strict=True)
                 for source, text in ((cell, label), (value, amount))]
        return cells[:i] + pairs + labels_paired(cells[i + 2 :])
    return cells


def _value_read(grid: Grid, rows: range, r: int, cells: list[Cell], i: int,
                name: str) -> Cell | None:
    """The value of the label `cells[i]` of row `r`: the next cell right of it, else the one
    under it in a row of labels; a text goes on over the rows below that carry on with it."""
    label = cells[i]
    value = _value_after(cells, i) or _value_below(grid, rows, r, label)
    if value is None or name in NUMBER_FIELDS:
        return value
    joined = _joined_down(grid, rows, r, label, value)
    return _goal_rows_below(grid, rows, value) if joined is value and name in _GOALS else joined


def _goal_rows_below(grid: Grid, rows: range, value: Cell) -> Cell:
    """A goal whose lines go on as rows of their own under it (a borderless block read line by
    line): each row below holding one text, where the goal's text starts, naming no field."""
    parts = [value]
    for k in range(value.row + value.rowspan, rows.stop):
        texts = [c for c in distinct_cells(grid.rows[k]) if c.text.strip()]
        if len(texts) != 1 or texts[0].col != value.col or _names_a_field(texts[0].text):
            break
        parts.append(texts[0])
    if len(parts) == 1:
        return value
    text = "\n".join(c.text.strip() for c in parts)
    return dataclasses.replace(value, text=text, locator=f"{value.locator} – {parts[-1].locator}")


def _names_a_field(text: str) -> bool:
    return (label_field(text) is not None or _label_and_value(text.strip()) is not None
            or _label_inside(text, None) is not None)


def _joined_down(grid: Grid, rows: range, r: int, label: Cell, value: Cell) -> Cell:
    """A label merged down over rows that name no label of their own (年度目标 over 目标1 |
    目标2 | 目标3 a row each): its value is their values, a line each."""
    parts = [value]
    for k in range(r + 1, rows.stop):
        cells = distinct_cells(grid.rows[k])
        if label not in cells:
            break
        others = [c for c in cells if c is not label and c not in parts and c.text.strip()]
        if any(label_field(c.text) for c in others):
            break
        parts += others
    if len(parts) == 1:
        return value
    text = "\n".join(c.text.strip() for c in parts)
    return dataclasses.replace(value, text=text, locator=f"{value.locator} – {parts[-1].locator}")


def _value_below(grid: Grid, rows: range, r: int, label: Cell) -> Cell | None:
    """The value under a label in a row of labels only (年度资金总额 | 其中：财政拨款 | 其他资金
    over their amounts): the cell below it, starting in its column."""
    texts = [c.text for c in distinct_cells(grid.rows[r]) if c.text.strip()]
    if len(texts) < 2 or any(label_field(t) is None for t in texts) or r + 1 not in rows:
        return None
    below = grid.rows[r + 1][label.col] if label.col < len(grid.rows[r + 1]) else None
    if below is None or below is label or below.col != label.col or not below.text.strip():
        return None
    return None if label_field(below.text) else below


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
    below = _rows_beside(grid, r, label)
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


def _rows_beside(grid: Grid, r: int, label: Cell) -> list[int]:
    return [k for k in range(r, len(grid.rows)) if label in grid.rows[k]]


def _task_list_printed(grid: Grid, r: int, label: Cell) -> Printed:
    """The task table as printed, heading included: a line per row, cells joined with " | ";
    its place runs from its first cell to its last (one box when they share a page)."""
    rows = [[c for c in distinct_cells(grid.rows[k]) if c is not label]
            for k in _rows_beside(grid, r, label)]
    raw = "\n".join(" | ".join(c.text.strip() for c in row) for row in rows if row)
    cells = [c for row in rows for c in row]
    first, last = cells[0], cells[-1]
    locator = first.locator if first is last else f"{first.locator} – {last.locator}"
    boxes = [c.bbox for c in cells]
    same_page = len({c.page for c in cells}) == 1 and None not in boxes
    bbox = _union(boxes) if same_page else first.bbox
    scores = [c.confidence for c in cells if c.confidence is not None]
    return Printed(raw, label.text.strip(), locator, first.page, bbox,
                   min(scores) if scores else None)


def _union(boxes: list) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def column_block_fields(grid: Grid, rows: range, header: HeaderBlock) -> None:
    """Values under a row of column labels, keyed by the row's own label and the column's."""
    columns: dict[int, tuple[str, str]] = {}  # column -> (label's name, label as printed)
    for r in rows:
        found = {c: (_column_label(t), t.strip()) for c, t in enumerate(grid.row_texts(r))}
        labels = {c: (name, text) for c, (name, text) in found.items() if name}
        if len({name for name, _ in labels.values()}) >= 2:
            columns = labels
            continue
        if not columns:
            continue
        row_field, row_label = _block_row_label(distinct_cells(grid.rows[r]))
        for c, (col_label, col_text) in columns.items():
            cell = grid.rows[r][c] if c < len(grid.rows[r]) else None
            if cell is None or not cell.text.strip():
                continue
            label_raw = " / ".join(t for t in (row_label, col_text) if t)
            for name in BLOCK_FIELDS.get((row_field, col_label), ()):
                if name not in header.values:
                    _read(header, name, cell, label_raw)


def _block_row_label(cells: list[Cell]) -> tuple[str | None, str | None]:
    """A block row's money line (年度资金总额, 其中：财政拨款 …) and its label as printed; for a
    row of no money line, no field and whatever label stands in it (年度总体目标)."""
    named = [(name, c.text.strip()) for c in cells if (name := label_field(c.text))]
    money = next(((name, text) for name, text in named if name in MONEY_FIELDS), None)
    if money:
        return money
    return None, named[0][1] if named else None


def labels_and_values(cell: Cell) -> list[Cell]:
    """A cell as the labels and values printed in it, each a cell of its own: a label and its
    value ('项目名称：某某工程'; '年度 完成安康码…', an OCR line joining them with a space;
    '年度资金总额150', an amount run on where a borderless page's label and amount were read as
    one), and a value holding another field's label before a colon and that label's value
    ('某局实施单位：某中心', two cells of a borderless block read as one)."""
    text = cell.text.strip()
    if not text or label_field(text):
        return [cell]
    joined = _label_and_value(text)
    parts = [joined[0], *_values_parted(joined[1])] if joined else _values_parted(text)
    if len(parts) == 1:
        return [cell]
    return [dataclasses.replace(cell, text=part) for part in parts]


def _values_parted(text: str) -> list[str]:
    """A value, then each label inside it standing before a colon and that label's value. A
    label of two characters (年度) is words of a value as often as a label."""
    folded = unicodedata.normalize("NFKC", to_simplified(text))
    printed = text if len(folded) == len(text) else folded
    for match in _LABEL_COLON.finditer(folded):
        label = match.group("label")
        if match.start() == 0 or len(label) < 3 or _value_field(label) in (None, "annual_tasks"):
            continue
        before = printed[: match.start()].strip()
        after = printed[match.end() :].strip()
        label_printed = printed[match.start("label") : match.end("label")]
        return [*([before] if before else []), label_printed,
                *(_values_parted(after) if after else [])]
    return [text]


_COLON = re.compile(r"[:：]")
_DIGIT = re.compile(r"[0-9０-９]")


def _label_and_value(text: str) -> tuple[str, str] | None:
    """A label and the value after it, parted by a space or a colon (the first colon a label
    stands before: 其中：财政拨款：90), or an amount right after its label."""
    head, _, rest = text.partition(" ")
    if rest.strip() and label_field(head):
        return head, rest.strip()
    for colon in _COLON.finditer(text):
        head, rest = text[: colon.start()], text[colon.end() :].strip()
        if rest and label_field(head):
            return head, rest
    if (digit := _DIGIT.search(text)) is None:
        return None
    head = text[: digit.start()].strip()
    if head and _value_field(head) in NUMBER_FIELDS:
        return head, text[digit.start() :]  # 年度资金总额150
    return None


# a goal's part labelled under a goal's label (绩效目标 | 长期目标 | … over 年度目标 | …)
_GOAL_PART = re.compile(r"(中长期|长期|中期|实施期|年度)(绩效)?目标")


def _value_after(cells: list[Cell], i: int) -> Cell | None:
    for cell in cells[i + 1 :]:
        if label_field(cell.text) is not None or _GOAL_PART.fullmatch(_key(cell.text)):
            return None
        if cell.text.strip():
            return cell
    return None


def _field_values(name: str, printed: str, locator: str, warnings: list[str]) -> dict:
    text = to_simplified(printed.strip())
    if name in NUMBER_FIELDS:
        amount = parse_number(text)
        if amount is None:
            warnings.append(f"{name}: not a number: {text!r} ({locator})")
        return {name: amount}
    if name == "department":
        code, department = split_department(text)
        return {"department": department, **({"department_code": code} if code else {})}
    return {name: text}


def split_department(text: str) -> tuple[str | None, str]:
    """'[207]某县交通运输局' -> ('207', '某县交通运输局')."""
    match = _DEPARTMENT.match(text)
    if match is None:
        return None, text
    return match.group(1), match.group(2).strip()


# fields whose label may stand over other labels that carry its values (项目资金 over
# 年度资金总额 | 财政拨款), or that perftab reads only as a list beside its label
_LABELS_OVER_OTHERS = ("funds", "annual_tasks")


@dataclasses.dataclass(frozen=True)
class LabelPrinted:
    """A header label printed in the block's rows: the label's name and the field its value
    fills, and the warning to give when that field is still empty once the block is read
    (name None: a cell of labels run together, always warned)."""

    name: str | None
    field: str | None
    warning: str


def _label_printed(cells: list[Cell], i: int) -> LabelPrinted | None:
    """The label cell `i` prints, alone or before its value, or the labels run together in it;
    None for no label, a label over others, or a label beside a blank (the form left the field
    empty)."""
    cell = cells[i]
    text = cell.text.strip()
    if len(labels := labels_run_together(text)) >= 2:
        return LabelPrinted(None, None, f"header labels run together in one cell: "
                                        f"{' + '.join(labels)} ({cell.locator})")
    joined = _label_and_value(text)
    label = text if label_field(text) else joined[0] if joined else ""
    name = label_field(label)
    if name is None and (inside := _label_in_a_line(cells, i)) is not None:
        return inside
    if name is None or name in _LABELS_OVER_OTHERS or (joined is None and _blank_after(cells, i)):
        return None
    field = _value_field(label)
    return LabelPrinted(name, field, f"header label {label} printed but no {field} read beside "
                                     f"it ({cell.locator})")


# the form's labels of four characters or more: inside a text they are a label's words
_LABEL_WORDS = re.compile("|".join(sorted(
    {re.escape(key) for key, name in _LABELS if len(key) >= 4 and name not in _LABELS_OVER_OTHERS},
    key=len, reverse=True)))


def _label_in_a_line(cells: list[Cell], i: int) -> LabelPrinted | None:
    """A label inside a text printed alone in its row (a title and the first label and value
    read as one line: 某某表项目名称某某工程), for a warning should its field stay empty."""
    cell = cells[i]
    if any(c.text.strip() for c in cells if c is not cell):
        return None
    if (found := _LABEL_WORDS.search(_key(cell.text))) is None:
        return None
    name, field = label_field(found.group()), _value_field(found.group())
    return LabelPrinted(name, field, f"header label {found.group()} printed inside a text but"
                                     f" no {field} read beside it: {cell.text.strip()!r}"
                                     f" ({cell.locator})")


def labels_left_empty(labels: list[LabelPrinted], header: HeaderBlock) -> None:
    """Header labels the block's reading may have missed: a label printed whose field was read
    empty (its value stood where perftab did not look: in the label's own cell, under a title,
    in a column of labels), once a label, and a cell of labels run together (项目名称主管部门及代码:
    two rows of a label column read as one), whose values are then missing or run together too.
    `labels` are those row_label_fields saw, read after every field is."""
    seen: set[str] = set()
    for label in labels:
        if label.name is None:
            header.warnings.append(label.warning)
        elif label.name not in seen and header.values.get(label.field) is None:
            seen.add(label.name)
            header.warnings.append(label.warning)


def _blank_after(cells: list[Cell], i: int) -> bool:
    return i + 1 < len(cells) and not cells[i + 1].text.strip()


_LABEL_KEYS = sorted({key for key, _ in _LABELS}, key=len, reverse=True)
_LABEL_ENDS = tuple(_LABEL_KEYS)


_RUN_TOGETHER = 40  # the most characters labels run together in one cell take


@functools.lru_cache(maxsize=8192)  # every form prints the same label cells
def labels_run_together(text: str) -> tuple[str, ...]:
    """The header labels a cell's text ends with when it ends with two or more of them and
    nothing else after the first ("某表项目名称主管部门及代码" -> 项目名称, 主管部门及代码;
    "主管部门（单位）项目实施单位" -> 主管部门(单位), 项目实施单位); () otherwise."""
    key = _key(text)
    if not (key.endswith(_LABEL_ENDS) or _ends_with_label(key)):
        return ()  # labels run together end with one: most cells are values, and end otherwise
    for start in range(max(0, len(key) - _RUN_TOGETHER), len(key)):
        if _label_named(key[start:]):
            continue  # one label whose words hold two (年度总体目标)
        labels = _as_labels(key[start:])
        if labels is not None and len(labels) >= 2:
            return labels
    return ()


def _ends_with_label(key: str) -> bool:
    return any(_label_piece(key[-n:]) for n in range(_SHAPED_LABEL, min(len(key), 24) + 1))


_LABEL_KEY_SET = frozenset(_LABEL_KEYS)
# the fewest characters of a label told by its shape among labels run together: 资金 or 总额
# alone are words of a value as often
_SHAPED_LABEL = 4


@functools.lru_cache(maxsize=8192)
def _label_piece(piece: str) -> bool:
    """A label as one of several run together: one of the form's labels, or one of four
    characters or more told by its shape or with a note in brackets after it."""
    if piece in _LABEL_KEY_SET:
        return True
    return len(_BRACKETED.sub("", piece)) >= _SHAPED_LABEL and label_field(piece) is not None


@functools.lru_cache(maxsize=8192)
def _as_labels(key: str) -> tuple[str, ...] | None:
    if not key:
        return ()
    for end in range(len(key), 1, -1):
        if _label_piece(key[:end]) and (rest := _as_labels(key[end:])) is not None:
            return (key[:end], *rest)
    return None


def values_run_together(header: HeaderBlock) -> None:
    """A field whose value is itself a label, or holds another field's label followed by a
    colon or a space: two header cells read as one, or a label read as a value."""
    for name, printed in list(header.printed.items()):
        raw = printed.raw.strip()
        if name in _LABELS_OVER_OTHERS or not raw:
            continue
        if label_field(raw) is not None:
            header.warnings.append(
                f"{name}: the value read is a label: {raw!r} ({printed.locator})")
            continue
        if (other := _label_inside(raw, name)) is not None:
            header.warnings.append(
                f"{name}: the value read holds the label {other}: {raw!r} ({printed.locator})")


def _label_inside(raw: str, name: str | None) -> str | None:
    """Another field's label inside a value: standing as a line's label does (after a space or
    a separator, before a value), or anywhere right before a colon (某局实施单位：某中心)."""
    folded = unicodedata.normalize("NFKC", to_simplified(raw))
    found = [m.group("label") for m in _LINE_LABEL.finditer(folded) if m.end() < len(folded)]
    found += [m.group("label") for m in _LABEL_COLON.finditer(folded)]
    return next((label for label in found if _value_field(label) not in (None, name)), None)

