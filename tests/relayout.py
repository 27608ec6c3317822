"""Re-layout: the development set's truths typeset again in layouts their publishers did not use.

Each truth (tests/data/realworld/truth) becomes a `Form` — header fields, indicator columns and
rows — as a generic publisher would print it; each variation is a named transformation of a
Form the way other publishers print the same form (other heading words, other header labels,
levels repeated, the target split into operator | value | unit columns, a two-row heading …).
`write_docx` typesets a Form with python-docx, and `Form.expected_rows` gives the rows an
extraction must return: a variation that moves the target's text (splitting or joining it)
changes the expected target with it, so the expectation never comes from perftab's own rules.

The words used are those real forms print, gathered from published tables of many provinces,
not from perftab's vocabulary: where perftab does not know one, the test says so.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Callable
from pathlib import Path

import docx
import opencc
import openpyxl
import pytest
import test_realworld as realworld
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl.worksheet.pagebreak import Break

REALWORLD = Path(__file__).resolve().parent / "data" / "realworld"

# Truths whose published layout a generic form cannot hold: side-by-side 长期/年度 halves, nested
# value headings, one value column per place.
NOT_RELAID = ("08_", "10_", "40_")
# extra keys of a truth that are a transcriber's notes, not printed columns
NOT_COLUMNS = ("column_assignment", "ocr_note", "split_uncertain")

TITLES = {
    "project_target": "项目支出绩效目标表",
    "self_evaluation": "项目支出绩效自评表",
    "department_overall": "部门整体支出绩效目标表",
}
FIELDS = ("project_name", "department", "implementing_unit", "project_source", "period",
          "funds_total_wan", "funds_fiscal_wan", "funds_other_wan", "annual_goal")
FUNDS = ("funds_total_wan", "funds_fiscal_wan", "funds_other_wan")
BASE_LABELS = {
    "project_name": "项目名称",
    "department": "主管部门及代码",
    "implementing_unit": "实施单位",
    "project_source": "项目属性",
    "period": "项目期",
    "funds_total_wan": "年度资金总额",
    "funds_fiscal_wan": "其中：财政拨款",
    "funds_other_wan": "其他资金",
    "annual_goal": "年度目标",
}
FUNDS_LABEL = "项目资金（万元）"

# label variants printed by publishers for the same header field
LABEL_VARIANTS = {
    "project_name": ("项目名称",),
    "department": ("主管部门", "部门名称", "预算部门", "主管单位", "主管部门名称",
                   "主管部门（单位）"),
    "implementing_unit": ("项目实施单位", "执行单位", "项目单位", "实施单位名称", "项目承担单位"),
    "project_source": ("项目来源", "项目类型", "项目类别", "项目性质"),
    "period": ("起止时间", "实施期限", "项目起止时间", "实施周期", "项目周期", "项目实施期"),
    "funds_total_wan": ("资金总额", "年度预算总额", "当年资金总额", "项目总金额", "年度资金总额"),
    "funds_fiscal_wan": ("其中：财政资金", "其中：当年财政拨款", "财政拨款", "其中：财政性资金",
                         "其中：一般公共预算资金"),
    "funds_other_wan": ("其中：其他资金", "其他资金", "自筹资金", "其中：自筹资金",
                        "其中：单位自有资金"),
    "annual_goal": ("年度绩效目标", "年度总体目标", "总体目标", "年度目标", "绩效目标"),
}
FUNDS_LABEL_VARIANTS = ("项目资金（万元）", "资金情况（万元）", "项目资金", "项目资金情况（万元）")

TARGET_HEADINGS = ("指标值", "目标值", "年度指标值", "指标目标值", "年度目标值", "预期目标值",
                   "绩效指标值", "年度绩效指标值")
LEVEL3_HEADINGS = ("三级指标", "指标名称", "具体指标", "三级指标名称", "指标内容", "绩效指标名称")
LEVEL_HEADINGS = {  # 一级, 二级 printed short or in other words
    "short": ("一级", "二级", "三级"),
    "named": ("一级指标名称", "二级指标名称", "三级指标名称"),
}
NATURE_HEADINGS = ("指标性质", "计算符号", "符号", "指标方向", "指标值类型")
UNIT_HEADINGS = ("度量单位", "计量单位", "单位", "指标单位")
WEIGHT_HEADINGS = ("权重", "分值", "指标权重", "权重（%）", "指标分值")
NOTE_HEADINGS = ("备注", "指标值说明", "指标解释")

# a target printed whole, as an operator, a number and a unit: "≥100公里", "95%", "<=3天"
_WHOLE = re.compile(r"^(≥|≤|>=|<=|>|<|=|＞|＜|大于等于|小于等于|不低于|不高于|不少于)?"
                    r"\s*(\d+(?:\.\d+)?)\s*([^\d\s]{0,6})$")
_LEVEL_KINDS = ("level1", "level2", "level3")
T2S = opencc.OpenCC("s2t")


@dataclasses.dataclass
class Column:
    heading: str
    kind: str  # level1 level2 level3 target nature unit weight note extra
    sub: str | None = None  # the sub-heading under a heading printed over several columns


@dataclasses.dataclass
class Form:
    name: str
    kind: str
    meta: dict
    labels: dict  # field -> label printed
    funds_label: str
    columns: list[Column]
    rows: list[list[str]]  # one text per column
    merge_levels: bool = True
    lead_label: str | None = None  # a label column down the left of the indicator block
    header_apart: bool = False  # the header block printed as a table of its own
    header_style: str = "rows"  # rows: a field a row; pairs: two fields a row; lines: above
    funds_by_column: bool = False  # the funds' labels in a row, their amounts in the row below
    title_in_table: bool = False  # the form's title printed in the table's first row
    cut_merges: bool = False  # a level cell cut by the split prints its text before it only
    footnote: str | None = None  # a note printed in a row across the table's foot
    goal_rows: bool = False  # the annual goal's parts a row each under one merged label
    extra_labels: tuple[tuple[str, str], ...] = ()  # header rows of fields not compared
    merge_same_levels: bool = False  # 一级 and 二级 of one name printed in one cell across both
    printed_rows: list[list[str]] | None = None  # the rows as printed, where not `rows`
    split_at: int | None = None  # the indicator rows continue in a second table from this row
    repeat_heading: bool = True  # the continuation repeats the heading row
    spread_heading: str | None = None  # a heading printed over the levels (two-row heading)
    text: Callable[[str], str] = str  # how every printed text is written
    centre_levels: bool = False  # merged level cells print their text vertically centred
    numbers_row: bool = False  # a row numbering the columns (1 2 3 …) under the heading
    long_goal: str | None = None  # a 长期目标 row above the year's goal under one label
    funds_pairs: bool = False  # the funds' labels and amounts two pairs a row

    def column(self, kind: str) -> int | None:
        return next((c for c, col in enumerate(self.columns) if col.kind == kind), None)

    def expected_rows(self) -> list[tuple[str, str, str, str]]:
        """(一级, 二级, 三级, target) of each row with a target, as printed."""
        out = []
        where = [self.column(k) for k in (*_LEVEL_KINDS, "target")]
        for row in self.rows:
            l1, l2, l3, target = (row[c] if c is not None else "" for c in where)
            if target.strip():
                out.append((l1, l2, l3, target))
        return out


def truths() -> list[Path]:
    return [p for p in sorted((REALWORLD / "truth").glob("*.json"))
            if not p.name.startswith(NOT_RELAID)]


def _extra_kind(key: str) -> str:
    if re.search(r"性质|符号|类型|方向", key):
        return "nature"
    if "单位" in key:
        return "unit"
    if re.search(r"权重|分值", key) and "得分" not in key:
        return "weight"
    return "extra"


def _layout_order(layout: str, extras: list[str]) -> list[str]:
    """The truth's extra columns in the order its layout line prints them, the target's place
    marked "@target"."""
    order: list[str] = []
    for part in (p.strip() for p in layout.split("(")[0].split("|")):
        key = part.replace(" ", "")
        if key in extras:
            order.append(key)
        elif not re.search(r"级|^指标$", key) and "@target" not in order:
            order.append("@target")
    order += [k for k in extras if k not in order]
    return order if "@target" in order else ["@target", *order]


def truth_form(path: Path) -> Form:
    """A truth as a generic form prints it: levels merged, the header block above, the truth's
    extra columns in its own order."""
    truth = json.loads(path.read_text(encoding="utf-8"))
    inds = truth["indicators"]
    extras = list(dict.fromkeys(k for i in inds for k in (i.get("extra") or {})
                                if k not in NOT_COLUMNS))
    columns = [Column(h, k) for h, k in zip(("一级指标", "二级指标", "三级指标"), _LEVEL_KINDS,
                                            strict=True)
               if k == "level3" or any(i.get(k) for i in inds)]
    for key in _layout_order(truth["layout"], extras):
        columns.append(Column("指标值", "target") if key == "@target"
                       else Column(key, _extra_kind(key)))
    rows = []
    for ind in inds:
        extra = ind.get("extra") or {}
        cells = {"level1": ind.get("level1"), "level2": ind.get("level2"),
                 "level3": ind.get("level3"), "target": ind.get("target_raw")}
        rows.append([str((cells[c.kind] if c.kind in cells else extra.get(c.heading)) or "")
                     for c in columns])
    meta = {f: truth["meta"].get(f) for f in FIELDS}
    return Form(path.stem, truth["table_kind"], meta, dict(BASE_LABELS), FUNDS_LABEL,
                columns, rows)


# --- variations --------------------------------------------------------------------------------
# Each takes a form and the truth's index (to cycle through the variants of a word) and returns
# a new form, or None where the variation does not apply to that truth.

Variation = Callable[[Form, int], "Form | None"]


def _with_heading(form: Form, kind: str, heading: str) -> Form | None:
    c = form.column(kind)
    if c is None or form.columns[c].heading == heading:
        return None
    columns = list(form.columns)
    columns[c] = dataclasses.replace(columns[c], heading=heading)
    return dataclasses.replace(form, columns=columns)


def target_heading(form: Form, k: int) -> Form | None:
    return _with_heading(form, "target", TARGET_HEADINGS[1 + k % (len(TARGET_HEADINGS) - 1)])


def level3_heading(form: Form, k: int) -> Form | None:
    return _with_heading(form, "level3", LEVEL3_HEADINGS[1 + k % (len(LEVEL3_HEADINGS) - 1)])


def level_headings(style: str) -> Variation:
    def vary(form: Form, k: int) -> Form | None:
        if form.column("level1") is None:
            return None
        out: Form | None = form
        for kind, heading in zip(_LEVEL_KINDS, LEVEL_HEADINGS[style], strict=True):
            out = _with_heading(out, kind, heading) or out
        return out
    return vary


def header_labels(shift: int) -> Variation:
    """Every header label in another of its printed wordings."""
    def vary(form: Form, k: int) -> Form:
        labels = {f: words[(k + shift) % len(words)] for f, words in LABEL_VARIANTS.items()}
        funds = FUNDS_LABEL_VARIANTS[(k + shift) % len(FUNDS_LABEL_VARIANTS)]
        return dataclasses.replace(form, labels=labels, funds_label=funds)
    return vary


def levels_repeated(form: Form, k: int) -> Form | None:
    if form.column("level1") is None and form.column("level2") is None:
        return None
    return dataclasses.replace(form, merge_levels=False)


def _split_cell(text: str) -> tuple[str, str, str]:
    """(operator, value, unit) of a target printed whole; a qualitative one is 定性 and its text."""
    match = _WHOLE.match(text.strip())
    if match is None:
        return ("定性" if text.strip() else "", text, "")
    op, value, unit = match.groups()
    return (op or "=", value, unit)


def target_split(order: tuple[str, ...], sub: str | None = None) -> Variation:
    """The target printed in operator | value | unit columns (in `order`), for a form printing it
    whole; `sub`: the three printed under one heading `sub` (a heading on two rows)."""
    def vary(form: Form, k: int) -> Form | None:
        t = form.column("target")
        if form.column("nature") is not None or form.column("unit") is not None or t is None:
            return None
        heads = {"nature": NATURE_HEADINGS[k % len(NATURE_HEADINGS)],
                 "target": form.columns[t].heading, "unit": UNIT_HEADINGS[k % len(UNIT_HEADINGS)]}
        if sub:
            heads = {"nature": "符号", "target": "数值", "unit": "单位"}
        new = [Column(heads[kind], kind, sub) for kind in order]
        columns = form.columns[:t] + new + form.columns[t + 1:]
        rows = []
        for row in form.rows:
            op, value, unit = _split_cell(row[t])
            cells = {"nature": op, "target": value, "unit": unit}
            rows.append(row[:t] + [cells[kind] for kind in order] + row[t + 1:])
        return dataclasses.replace(form, columns=columns, rows=rows)
    return vary


def target_joined(form: Form, k: int) -> Form | None:
    """Operator, value and unit columns printed as one target: "≥" "95" "%" -> "≥95%"."""
    n, t, u = (form.column(kind) for kind in ("nature", "target", "unit"))
    if t is None or (n is None and u is None):
        return None
    rows = []
    for row in form.rows:
        op = row[n].strip() if n is not None else ""
        op = "" if op in ("=", "定性", "定量") else op
        value = row[t].strip()
        unit = row[u].strip() if u is not None and value else ""
        joined = f"{op}{value}{unit}" if value else ""
        rows.append([joined if c == t else cell for c, cell in enumerate(row)
                     if c not in (n, u)])
    columns = [col for c, col in enumerate(form.columns) if c not in (n, u)]
    return dataclasses.replace(form, columns=columns, rows=rows)


def extra_column(kind: str, after_target: bool) -> Variation:
    """A 权重 (or 备注) column the truth did not print, before or after the target."""
    def vary(form: Form, k: int) -> Form | None:
        t = form.column("target")
        if t is None or form.column(kind) is not None:
            return None
        words = WEIGHT_HEADINGS if kind == "weight" else NOTE_HEADINGS
        at = len(form.columns) if kind == "note" else t + 1 if after_target else t
        if kind == "weight" and not after_target:  # before the operator of a split target
            at = min(c for c in (t, form.column("nature"), form.column("unit")) if c is not None)
        columns = [*form.columns[:at], Column(words[k % len(words)], kind), *form.columns[at:]]
        n = sum(1 for row in form.rows if row[t].strip()) or 1
        rows = []
        for row in form.rows:
            cell = "" if kind == "note" or not row[t].strip() else str(round(100 / n, 1))
            rows.append([*row[:at], cell, *row[at:]])
        return dataclasses.replace(form, columns=columns, rows=rows)
    return vary


def lead_label(form: Form, k: int) -> Form:
    return dataclasses.replace(form, lead_label="绩效指标" if k % 2 == 0 else "年度绩效指标")


def spread_heading(form: Form, k: int) -> Form | None:
    """"绩效指标" printed over the level headings, the other headings over both rows."""
    if form.column("level1") is None:
        return None
    return dataclasses.replace(form, spread_heading="绩效指标")


def header_apart(form: Form, k: int) -> Form:
    return dataclasses.replace(form, header_apart=True)


def split_table(repeat: bool) -> Variation:
    def vary(form: Form, k: int) -> Form | None:
        if len(form.rows) < 4:
            return None
        return dataclasses.replace(form, split_at=len(form.rows) // 2, repeat_heading=repeat)
    return vary


def header_style(style: str) -> Variation:
    def vary(form: Form, k: int) -> Form | None:
        if style == "pairs" and len(form.columns) < 4:
            return None
        return dataclasses.replace(form, header_style=style)
    return vary


def funds_by_column(form: Form, k: int) -> Form | None:
    funds = [f for f in FUNDS if form.meta.get(f) not in (None, "")]
    if len(funds) < 2 or len(form.columns) < 2 + len(funds):
        return None
    return dataclasses.replace(form, funds_by_column=True)


def serial_column(form: Form, k: int) -> Form:
    """A 序号 column left of the levels numbering the indicators."""
    l3 = form.column("level3")
    numbers, n = [], 0
    for row in form.rows:
        n += bool(row[l3].strip())
        numbers.append(str(n) if row[l3].strip() else "")
    return dataclasses.replace(form, columns=[Column("序号", "extra"), *form.columns],
                               rows=[[number, *row] for number, row in zip(numbers, form.rows,
                                                                           strict=True)])


def blank_row(form: Form, k: int) -> Form:
    return dataclasses.replace(form, rows=[*form.rows, [""] * len(form.columns)])


def spaced_headings(form: Form, k: int) -> Form:
    columns = [dataclasses.replace(c, heading=" ".join(c.heading)) for c in form.columns]
    return dataclasses.replace(form, columns=columns)


def levels_once(form: Form, k: int) -> Form | None:
    """一级/二级 printed on the first row of their run, the cells below left blank, unmerged (a
    sheet whose merges were undone)."""
    out = levels_repeated(form, k)
    if out is None:
        return None
    printed = [list(row) for row in form.rows]
    for kind in ("level1", "level2"):
        c = form.column(kind)
        if c is None:
            continue
        path = [x for x in (form.column("level1"), c) if x is not None]
        for i in range(len(form.rows) - 1, 0, -1):
            if all(form.rows[i][x] == form.rows[i - 1][x] for x in path):
                printed[i][c] = ""
    out.printed_rows = printed
    return out


def footnote(form: Form, k: int) -> Form:
    return dataclasses.replace(form, footnote="注：指标值为年度目标，定性指标以文字描述。")


def label_in_cell(form: Form, k: int) -> Form:
    """Each header field printed as "label：value" in one cell across the table."""
    return dataclasses.replace(form, header_style="in-cell")


_GOAL_PARTS = re.compile(r"(?<=[；;\n])")


def goal_rows(form: Form, k: int) -> Form | None:
    goal = form.meta.get("annual_goal") or ""
    if len([p for p in _GOAL_PARTS.split(goal) if p.strip()]) < 2:
        return None
    return dataclasses.replace(form, goal_rows=True)


def extra_header_rows(form: Form, k: int) -> Form:
    """Rows of the header block no field is read from: a contact, the money's use."""
    rows = (("项目负责人", "张某某"), ("联系电话", "0000-1234567"),
            ("资金用途", "用于项目实施的各项支出"))
    return dataclasses.replace(form, extra_labels=rows)


def wrapped_headings(form: Form, k: int) -> Form:
    """Headings broken over two lines in their cells ("三级\n指标")."""
    columns = [dataclasses.replace(c, heading=c.heading[:len(c.heading) // 2] + "\n"
                                   + c.heading[len(c.heading) // 2:])
               if len(c.heading) >= 4 else c for c in form.columns]
    return dataclasses.replace(form, columns=columns)


def spaced_levels(form: Form, k: int) -> Form | None:
    """Level names spread with spaces, as distributed alignment is typed ("产 出 指 标")."""
    cols = [c for c in (form.column("level1"), form.column("level2")) if c is not None]
    if not cols:
        return None
    rows = [[" ".join(cell) if c in cols else cell for c, cell in enumerate(row)]
            for row in form.rows]
    return dataclasses.replace(form, printed_rows=rows)


def same_levels_merged(form: Form, k: int) -> Form | None:
    l1, l2 = form.column("level1"), form.column("level2")
    if l1 is None or l2 is None or l2 != l1 + 1:
        return None
    if not any(row[l1] and row[l1] == row[l2] for row in form.rows):
        return None
    return dataclasses.replace(form, merge_same_levels=True)


def header_lines_relabelled(form: Form, k: int) -> Form:
    return header_style("lines")(header_labels(1)(form, k), k) or form


MIDTERM_HEADINGS = ("中期指标值", "实施期指标值", "实施周期目标值", "中期目标值", "实施期目标值")


def midterm_column(before: bool) -> Variation:
    """A 中期 / 实施期 target column beside the year's (its values the year's, as forms whose
    period is one year print them)."""
    def vary(form: Form, k: int) -> Form | None:
        t = form.column("target")
        if t is None or any(c.kind in ("nature", "unit") for c in form.columns):
            return None
        at = t if before else t + 1
        heading = MIDTERM_HEADINGS[k % len(MIDTERM_HEADINGS)]
        columns = [*form.columns[:at], Column(heading, "midterm"), *form.columns[at:]]
        rows = [[*row[:at], row[t], *row[at:]] for row in form.rows]
        return dataclasses.replace(form, columns=columns, rows=rows)
    return vary


def empty_column(form: Form, k: int) -> Form:
    """A column with no heading and nothing in it at the table's right (a converted sheet's)."""
    return dataclasses.replace(form, columns=[*form.columns, Column("", "extra")],
                               rows=[[*row, ""] for row in form.rows])


def filler_row(form: Form, k: int) -> Form:
    """A 填报单位 / 填报日期 row at the top of the table, above the header block."""
    return dataclasses.replace(form, extra_labels=(("填报单位（盖章）", "某某单位"),
                                                   ("填报日期", "2024年1月10日")))


def flag(name: str) -> Variation:
    def vary(form: Form, k: int) -> Form:
        return dataclasses.replace(form, **{name: True})
    return vary


def split_cutting_merges(form: Form, k: int) -> Form | None:
    """The table continued in a second table, the level cells the split cuts printed in the
    first part only."""
    l1, l2 = form.column("level1"), form.column("level2")
    at = len(form.rows) // 2
    if len(form.rows) < 4 or (l1 is None and l2 is None) or not form.merge_levels:
        return None
    if all(form.rows[at][c] != form.rows[at - 1][c] for c in (l1, l2) if c is not None):
        return None  # no merged cell crosses the split
    return dataclasses.replace(form, split_at=at, repeat_heading=True, cut_merges=True)


FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；", "%": "％",
                            "<": "＜", ">": "＞", "=": "＝"})


def full_width(form: Form, k: int) -> Form:
    return dataclasses.replace(form, text=lambda s: s.translate(FULL_WIDTH))


FULL_DIGITS = str.maketrans({**{str(d): chr(0xFF10 + d) for d in range(10)}, ".": "．"})


def full_width_digits(form: Form, k: int) -> Form:
    return dataclasses.replace(form, text=lambda s: s.translate(FULL_WIDTH).translate(FULL_DIGITS))


def traditional(form: Form, k: int) -> Form:
    return dataclasses.replace(form, text=T2S.convert)


VARIATIONS: dict[str, Variation] = {
    "as-generic": lambda form, k: form,
    "target-heading": target_heading,
    "level3-heading": level3_heading,
    "level-headings-short": level_headings("short"),
    "level-headings-named": level_headings("named"),
    "header-labels-1": header_labels(0),
    "header-labels-2": header_labels(1),
    "header-labels-3": header_labels(2),
    "levels-repeated": levels_repeated,
    "target-split": target_split(("nature", "target", "unit")),
    "target-split-unit-first": target_split(("unit", "nature", "target")),
    "target-split-under-heading": target_split(("nature", "target", "unit"), sub="指标值"),
    "target-joined": target_joined,
    "weight-before-target": extra_column("weight", after_target=False),
    "weight-after-target": extra_column("weight", after_target=True),
    "note-column": extra_column("note", after_target=True),
    "lead-label-column": lead_label,
    "spread-heading": spread_heading,
    "header-apart": header_apart,
    "header-pairs": header_style("pairs"),
    "header-as-lines": header_style("lines"),
    "funds-by-column": funds_by_column,
    "title-in-table": flag("title_in_table"),
    "serial-column": serial_column,
    "blank-row": blank_row,
    "spaced-headings": spaced_headings,
    "split-table-cutting-merges": split_cutting_merges,
    "levels-once-unmerged": levels_once,
    "footnote-row": footnote,
    "header-label-in-cell": label_in_cell,
    "split-table-heading-repeated": split_table(repeat=True),
    "split-table-bare": split_table(repeat=False),
    "goal-rows": goal_rows,
    "empty-column": empty_column,
    "filler-rows": filler_row,
    "midterm-column-after": midterm_column(before=False),
    "midterm-column-before": midterm_column(before=True),
    "extra-header-rows": extra_header_rows,
    "wrapped-headings": wrapped_headings,
    "spaced-levels": spaced_levels,
    "same-levels-merged": same_levels_merged,
    "header-as-lines-relabelled": header_lines_relabelled,
    "full-width": full_width,
    "full-width-digits": full_width_digits,
    "traditional": traditional,
}


def compound(*names: str) -> Variation:
    """Several variations at once, as a real form combines them (one not applying is skipped)."""
    def vary(form: Form, k: int) -> Form:
        for name in names:
            form = VARIATIONS[name](form, k) or form
        return form
    return vary


VARIATIONS.update({
    "compound-a": compound("header-labels-2", "target-heading", "levels-repeated",
                           "weight-after-target", "full-width"),
    "compound-b": compound("target-split-unit-first", "spread-heading", "header-pairs",
                           "split-table-bare", "traditional"),
    "compound-c": compound("header-as-lines-relabelled", "level3-heading", "serial-column",
                           "note-column", "footnote-row", "levels-once-unmerged"),
    "compound-d": compound("header-labels-3", "funds-by-column", "lead-label-column",
                           "target-joined", "level-headings-short", "split-table-heading-repeated"),
})

# --- layouts measured as new ones --------------------------------------------------------------
# Kinds of print other publishers use that the variations above do not: each was typeset for
# every truth and read before perftab learnt anything from it.

_NUMBERINGS = ("{n}.", "（{n}）", "{circled}", "{n}、")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def value_unit_columns(form: Form, k: int) -> Form | None:
    """The names headed 指标内容, the target headed 指标值 with its operator and number, its unit
    in a column of its own to the right headed 单位."""
    t, l3 = form.column("target"), form.column("level3")
    if t is None or form.column("nature") is not None or form.column("unit") is not None:
        return None
    rows = []
    for row in form.rows:
        match = _WHOLE.match(row[t].strip())
        value, unit = (row[t], "") if match is None else (
            (match.group(1) or "") + match.group(2), match.group(3))
        rows.append([*row[:t], value, unit, *row[t + 1:]])
    columns = list(form.columns)
    columns[l3] = dataclasses.replace(columns[l3], heading="指标内容")
    columns[t] = dataclasses.replace(columns[t], heading="指标值")
    columns.insert(t + 1, Column("单位", "unit"))
    return dataclasses.replace(form, columns=columns, rows=rows)


def levels_centred(form: Form, k: int) -> Form | None:
    """Merged level cells with their names vertically centred (borderless, a name floats in the
    middle of its rows, blank lines above and below it)."""
    if form.column("level1") is None and form.column("level2") is None:
        return None
    return dataclasses.replace(form, centre_levels=True)


def goal_long_and_annual(form: Form, k: int) -> Form | None:
    """A 绩效目标 label over a 长期目标 row and a 年度目标 row."""
    if form.meta.get("annual_goal") in (None, "") or form.header_style != "rows":
        return None
    return dataclasses.replace(form, long_goal="项目实施期内持续发挥效益，全面完成建设任务。")


def funds_pairs(form: Form, k: int) -> Form | None:
    funds = [f for f in FUNDS if form.meta.get(f) not in (None, "")]
    if len(funds) < 2 or _width(form) < 5:
        return None
    return dataclasses.replace(form, funds_pairs=True)


def numbers_row(form: Form, k: int) -> Form:
    return dataclasses.replace(form, numbers_row=True)


def _numbered(names: list[str], style: str) -> list[str]:
    out, n, last = [], 0, None
    for name in names:
        if not name.strip():
            out.append(name)
            continue
        n = n + 1 if name != last else n
        last = name
        mark = style.format(n=n, circled=_CIRCLED[(n - 1) % len(_CIRCLED)])
        out.append(mark + name)
    return out


def numbered_names(form: Form, k: int) -> Form:
    """Each 三级 name numbered within its 二级 (1. （1） ① 1、), or, one truth in four, ended by
    a colon."""
    l3, l2 = form.column("level3"), form.column("level2")
    style = _NUMBERINGS[k % len(_NUMBERINGS)] if k % 5 != 4 else None
    rows = [list(row) for row in form.rows]
    if style is None:
        for row in rows:
            row[l3] = row[l3] + "：" if row[l3].strip() else row[l3]
        return dataclasses.replace(form, rows=rows)
    keys = [row[l2] if l2 is not None else "" for row in form.rows]
    for start, end in _runs(keys):
        names = _numbered([form.rows[i][l3] for i in range(start, end)], style)
        for i, name in zip(range(start, end), names, strict=True):
            rows[i][l3] = name
    return dataclasses.replace(form, rows=rows)


def levels_numbered(form: Form, k: int) -> Form | None:
    """一级 names numbered 一、二、 and 二级 names （一）（二） or 1. 2. within their 一级."""
    l1, l2 = form.column("level1"), form.column("level2")
    if l1 is None:
        return None
    rows = [list(row) for row in form.rows]
    firsts = list(dict.fromkeys(row[l1] for row in form.rows if row[l1].strip()))
    seconds: dict[str, list[str]] = {}
    for row in form.rows:
        if l2 is not None and row[l2].strip():
            seconds.setdefault(row[l1], [])
            if row[l2] not in seconds[row[l1]]:
                seconds[row[l1]].append(row[l2])
    tens = "一二三四五六七八九十"
    for row, new in zip(form.rows, rows, strict=True):
        if row[l1].strip():
            new[l1] = tens[firsts.index(row[l1]) % 10] + "、" + row[l1]
        if l2 is not None and row[l2].strip():
            n = seconds[row[l1]].index(row[l2])
            new[l2] = (f"（{tens[n % 10]}）" if k % 2 else f"{n + 1}.") + row[l2]
    return dataclasses.replace(form, rows=rows)


def spaced_targets(form: Form, k: int) -> Form | None:
    """Targets typed with spaces between operator, number and unit ("≥ 95 %", "3 天")."""
    t = form.column("target")
    if t is None:
        return None
    rows, changed = [], False
    for row in form.rows:
        match = _WHOLE.match(row[t].strip())
        cell = row[t]
        if match is not None and (match.group(1) or match.group(3)):
            cell = " ".join(x for x in match.groups() if x)
            changed = True
        rows.append([*row[:t], cell, *row[t + 1:]])
    return dataclasses.replace(form, rows=rows) if changed else None


MORE_VARIATIONS: dict[str, Variation] = {
    "value-unit-columns": value_unit_columns,
    "levels-centred": levels_centred,
    "goal-long-and-annual": goal_long_and_annual,
    "funds-pairs": funds_pairs,
    "numbers-row": numbers_row,
    "numbered-names": numbered_names,
    "levels-numbered": levels_numbered,
    "spaced-targets": spaced_targets,
}
VARIATIONS.update(MORE_VARIATIONS)
MORE_VARIATIONS["compound-e"] = compound("value-unit-columns", "levels-centred", "numbers-row",
                                         "numbered-names", "funds-pairs", "goal-long-and-annual")
VARIATIONS["compound-e"] = MORE_VARIATIONS["compound-e"]


# --- typesetting -------------------------------------------------------------------------------


@dataclasses.dataclass
class _Place:
    row: int
    col: int
    text: str
    rows: int = 1
    cols: int = 1
    centre: bool = False  # its text vertically centred in the cell


def _header_places(form: Form, width: int) -> list[_Place]:
    """The header block: a label over two columns, its value over the rest (or, `pairs`, two
    fields a row where short); the funds' lines under one label merged down, or their labels
    in a row and their amounts under them."""
    places: list[_Place] = []
    label_cols = 2 if width >= 5 else 1
    row = 0
    if form.title_in_table:
        places.append(_Place(0, 0, TITLES[form.kind], cols=width))
        row = 1
    funds = [f for f in FUNDS if form.meta.get(f) not in (None, "")]
    shown = [f for f in FIELDS if f not in FUNDS and form.meta.get(f) not in (None, "")]
    for label, value in form.extra_labels:
        places.append(_Place(row, 0, label, cols=label_cols))
        places.append(_Place(row, label_cols, value, cols=width - label_cols))
        row += 1
    for field in FIELDS:
        if field in FUNDS:
            if funds and field == funds[0]:
                row = _funds_places(form, funds, places, row, width, label_cols)
            continue
        if field not in shown:
            continue
        if form.header_style == "pairs" and field in PAIRED:
            partner = next((f for f in PAIRED if f in shown and f != field
                            and PAIRED.index(f) // 2 == PAIRED.index(field) // 2), None)
            if partner is not None and PAIRED.index(partner) < PAIRED.index(field):
                continue  # printed beside its partner
            if partner is not None:
                half = width // 2
                places += [_Place(row, 0, form.labels[field]),
                           _Place(row, 1, str(form.meta[field]), cols=half - 1),
                           _Place(row, half, form.labels[partner]),
                           _Place(row, half + 1, str(form.meta[partner]), cols=width - half - 1)]
                row += 1
                continue
        if form.header_style == "in-cell":
            places.append(_Place(row, 0, f"{form.labels[field]}：{form.meta[field]}", cols=width))
            row += 1
            continue
        if field == "annual_goal" and (form.long_goal or form.goal_rows):
            goal = _goal_places(form, row, width, label_cols)
            places += goal
            row = max(p.row + p.rows for p in goal)
            continue
        places.append(_Place(row, 0, form.labels[field], cols=label_cols))
        places.append(_Place(row, label_cols, str(form.meta[field]), cols=width - label_cols))
        row += 1
    return places


def _goal_places(form: Form, row: int, width: int, label_cols: int) -> list[_Place]:
    """The goal's parts a row each under its label, or 绩效目标 down the left of a 长期目标 row
    and a 年度目标 row."""
    if not form.long_goal:
        parts = [p for p in _GOAL_PARTS.split(str(form.meta["annual_goal"])) if p.strip()]
        return [_Place(row, 0, form.labels["annual_goal"], rows=len(parts), cols=label_cols),
                *(_Place(row + i, label_cols, part.strip(), cols=width - label_cols)
                  for i, part in enumerate(parts))]
    sub = label_cols + 1
    return [_Place(row, 0, "绩效目标", rows=2, cols=label_cols),
            _Place(row, label_cols, "长期目标"),
            _Place(row, sub, str(form.long_goal), cols=width - sub),
            _Place(row + 1, label_cols, "年度目标"),
            _Place(row + 1, sub, str(form.meta["annual_goal"]), cols=width - sub)]


PAIRED = ("department", "implementing_unit", "project_source", "period")  # two a row


def _funds_places(form: Form, funds: list[str], places: list[_Place], row: int, width: int,
                  label_cols: int) -> int:
    if form.header_style == "in-cell":
        for i, f in enumerate(funds):
            places.append(_Place(row + i, 0, f"{form.labels[f]}：{form.meta[f]}", cols=width))
        return row + len(funds)
    if form.funds_pairs:
        return _funds_pairs(form, funds, places, row, width)
    if not form.funds_by_column:
        sub = label_cols + 1
        places.append(_Place(row, 0, form.funds_label, rows=len(funds), cols=label_cols))
        for i, f in enumerate(funds):
            places.append(_Place(row + i, label_cols, form.labels[f]))
            places.append(_Place(row + i, sub, str(form.meta[f]), cols=width - sub))
        return row + len(funds)
    places.append(_Place(row, 0, form.funds_label, rows=2, cols=label_cols))
    spare = width - label_cols
    col = label_cols
    for i, f in enumerate(funds):
        span = spare // len(funds) + (spare % len(funds) if i == len(funds) - 1 else 0)
        places.append(_Place(row, col, form.labels[f], cols=span))
        places.append(_Place(row + 1, col, str(form.meta[f]), cols=span))
        col += span
    return row + 2


def _funds_pairs(form: Form, funds: list[str], places: list[_Place], row: int,
                 width: int) -> int:
    """The funds' label down the left, then a label and its amount, two pairs a row."""
    label_cols = 1 if width < 6 else 2
    lines = (len(funds) + 1) // 2
    places.append(_Place(row, 0, form.funds_label, rows=lines, cols=label_cols))
    half = label_cols + (width - label_cols) // 2
    for i, f in enumerate(funds):
        left = label_cols if i % 2 == 0 else half
        end = half if i % 2 == 0 and i + 1 < len(funds) else width
        places.append(_Place(row + i // 2, left, form.labels[f]))
        places.append(_Place(row + i // 2, left + 1, str(form.meta[f]), cols=end - left - 1))
    return row + lines


def _header_lines(form: Form) -> list[str]:
    """The header block printed as lines above the table: "label：value"."""
    return [f"{form.labels[f]}：{form.meta[f]}" for f in FIELDS
            if form.meta.get(f) not in (None, "")]


def _runs(keys: list) -> list[tuple[int, int]]:
    runs, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            runs.append((start, i))
            start = i
    return runs


def _heading_places(form: Form, top: int, left: int) -> tuple[list[_Place], int]:
    """The heading row(s) and how many rows they take."""
    subs = any(c.sub for c in form.columns)
    two = subs or form.spread_heading is not None
    places = []
    c = 0
    while c < len(form.columns):
        col = form.columns[c]
        if col.sub:
            span = 1
            while c + span < len(form.columns) and form.columns[c + span].sub == col.sub:
                span += 1
            places.append(_Place(top, left + c, col.sub, cols=span))
            places += [_Place(top + 1, left + c + i, form.columns[c + i].heading)
                       for i in range(span)]
            c += span
            continue
        if form.spread_heading and col.kind in _LEVEL_KINDS:
            levels = [i for i, x in enumerate(form.columns) if x.kind in _LEVEL_KINDS]
            if c == levels[0]:
                places.append(_Place(top, left + c, form.spread_heading, cols=len(levels)))
            places.append(_Place(top + 1, left + c, col.heading))
        else:
            places.append(_Place(top, left + c, col.heading, rows=2 if two else 1))
        c += 1
    return places, 2 if two else 1


def _body_places(form: Form, rows: list[list[str]], top: int, left: int) -> list[_Place]:
    places = []
    l1 = form.column("level1")
    l2 = form.column("level2")
    across = {i for i, r in enumerate(rows) if form.merge_same_levels and r[l1] and r[l1] == r[l2]}
    for c, col in enumerate(form.columns):
        if across and col.kind in ("level1", "level2"):
            places += _across_places(rows, across, top, left, l1, l2, col.kind)
            continue
        if form.merge_levels and col.kind in ("level1", "level2"):
            keys = [(r[l1] if l1 is not None else "", r[c]) for r in rows]
            for start, end in _runs(keys):
                places.append(_Place(top + start, left + c, rows[start][c], rows=end - start,
                                     centre=form.centre_levels))
            continue
        places += [_Place(top + i, left + c, r[c]) for i, r in enumerate(rows)]
    return places


def _across_places(rows: list[list[str]], across: set[int], top: int, left: int, l1: int,
                   l2: int, kind: str) -> list[_Place]:
    """Level cells where a name printed as both 一级 and 二级 is one cell across both columns,
    merged down its run; the other rows' cells merged down theirs."""
    places = []
    c = l1 if kind == "level1" else l2
    keys = [(r[l1], r[l2], i in across) for i, r in enumerate(rows)]
    for start, end in _runs(keys if kind == "level2" else [(r[l1], i in across)
                                                             for i, r in enumerate(rows)]):
        if start in across:
            if kind == "level1":
                places.append(_Place(top + start, left + l1, rows[start][l1], rows=end - start,
                                     cols=2))
            continue
        places.append(_Place(top + start, left + c, rows[start][c], rows=end - start))
    return places


def _block_places(form: Form, rows: list[list[str]], top: int,
                  heading: bool) -> tuple[list[_Place], int]:
    left = 1 if form.lead_label else 0
    places: list[_Place] = []
    height = 0
    if heading:
        places, height = _heading_places(form, top, left)
        if form.numbers_row:
            places += [_Place(top + height, left + c, str(c + 1))
                       for c in range(len(form.columns))]
            height += 1
    places += _body_places(form, rows, top + height, left)
    if form.lead_label:
        places.append(_Place(top, 0, form.lead_label, rows=height + len(rows)))
    return places, height + len(rows)


def _add_table(document, places: list[_Place], width: int, text: Callable[[str], str]) -> None:
    n_rows = max(p.row + p.rows for p in places)
    table = document.add_table(rows=n_rows, cols=width)
    table.style = "Table Grid"
    for p in places:
        cell = table.cell(p.row, p.col)
        if p.rows > 1 or p.cols > 1:
            cell = cell.merge(table.cell(p.row + p.rows - 1, p.col + p.cols - 1))
        cell.text = text(p.text)
        if p.centre:
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER


def write_docx(form: Form, path: Path, ruled: bool = True) -> None:
    """Typeset `form` as a Word document: the title, the header block and the indicator block
    (in one table, or as the form says, several); `ruled=False`: the same tables with every
    border off, as a borderless form prints."""
    document = docx.Document()
    if not form.title_in_table:
        document.add_paragraph(form.text(TITLES[form.kind]))
    width = len(form.columns) + (1 if form.lead_label else 0)
    if form.header_style == "lines":
        for line in _header_lines(form):
            document.add_paragraph(form.text(line))
        header = [_Place(0, 0, TITLES[form.kind], cols=width)] if form.title_in_table else []
    else:
        header = _header_places(form, width)
    top = 0 if form.header_apart else max((p.row + p.rows for p in header), default=0)
    printed = form.printed_rows or form.rows
    rows = printed if form.split_at is None else printed[:form.split_at]
    block, height = _block_places(form, rows, top, heading=True)
    if form.footnote:
        block.append(_Place(top + height, 0, form.footnote, cols=width))
    if form.header_apart and header:
        _add_table(document, header, width, form.text)
        document.add_paragraph("")
        _add_table(document, block, width, form.text)
    else:
        _add_table(document, header + block, width, form.text)
    if form.split_at is not None:
        document.add_paragraph("").add_run().add_break(WD_BREAK.PAGE)
        if not form.repeat_heading:  # a continuation printed without its heading says so
            document.add_paragraph(form.text("续表"))
        rest = form.rows[form.split_at:]
        if form.cut_merges:
            rest = _cut(form, form.rows[form.split_at - 1], rest)
        places, _ = _block_places(form, rest, 0, heading=form.repeat_heading)
        _add_table(document, places, width, form.text)
    if not ruled:
        for table in document.tables:
            _borders_off(table)
    document.save(str(path))


def _borders_off(table) -> None:
    """Every border of the table and its cells set to nil (the style's grid included)."""
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    table._tbl.tblPr.append(borders)


def _cut(form: Form, before: list[str], rows: list[list[str]]) -> list[list[str]]:
    """The rows after a split with the level cells of a merge it cut left blank: those whose
    levels down to theirs are the last printed row's."""
    out = [list(row) for row in rows]
    path: list[int] = []
    for c in (form.column("level1"), form.column("level2")):
        if c is None:
            continue
        path.append(c)
        for row, printed in zip(rows, out, strict=True):
            if any(row[k] != before[k] for k in path):
                break
            printed[c] = ""
    return out


# --- the same form as a workbook and as a web page ---------------------------------------------


@dataclasses.dataclass
class _Part:
    """A piece of the printed form in reading order: a line of text, a table, a page break."""

    kind: str  # title line table page
    text: str = ""
    places: list[_Place] = dataclasses.field(default_factory=list)


def _parts(form: Form, title_table: bool = False) -> list[_Part]:
    """What write_docx prints, in its order, every text written as the form writes it;
    `title_table`: the title and a line of the filer and the unit under it laid out in a table
    of their own."""
    width = _width(form)
    parts = [] if form.title_in_table else [_Part("title", TITLES[form.kind])]
    if parts and title_table:
        parts = [_Part("table", places=[_Place(0, 0, TITLES[form.kind], cols=2),
                                        _Place(1, 0, "填报单位：某某单位"),
                                        _Place(1, 1, "金额单位：万元")])]
    if form.header_style == "lines":
        parts += [_Part("line", line) for line in _header_lines(form)]
        header = [_Place(0, 0, TITLES[form.kind], cols=width)] if form.title_in_table else []
    else:
        header = _header_places(form, width)
    top = 0 if form.header_apart else max((p.row + p.rows for p in header), default=0)
    printed = form.printed_rows or form.rows
    block, height = _block_places(form, printed[:form.split_at], top, heading=True)
    if form.footnote:
        block.append(_Place(top + height, 0, form.footnote, cols=width))
    if form.header_apart and header:
        parts += [_Part("table", places=header), _Part("line"), _Part("table", places=block)]
    else:
        parts.append(_Part("table", places=header + block))
    if form.split_at is not None:
        parts.append(_Part("page"))
        if not form.repeat_heading:
            parts.append(_Part("line", "续表"))
        rest = form.rows[form.split_at:]
        if form.cut_merges:
            rest = _cut(form, form.rows[form.split_at - 1], rest)
        parts.append(_Part("table", places=_block_places(form, rest, 0, form.repeat_heading)[0]))
    return [dataclasses.replace(p, text=form.text(p.text),
                                places=[dataclasses.replace(x, text=form.text(x.text))
                                        for x in p.places]) for p in parts]


def _width(form: Form) -> int:
    return len(form.columns) + (1 if form.lead_label else 0)


# (operator)(number)(its decimals)(percent)(unit): a number alone, or with what is printed around it
_NUMBER = re.compile(r"^()(-?\d+(?:\.(\d+))?)(%?)()$")
_NUMBER_PRINTED = re.compile(r"^([≥≤><=＞＜]*)(-?\d+(?:\.(\d+))?)(%?)([^\d\s%\".]{0,6})$")


def _typed(text: str, units: bool = False) -> tuple[object, str]:
    """A cell's value as a sheet's author types it, and the number format showing it as
    printed: "12.50" a number shown with two decimals, "95%" the number 0.95 shown as a percent;
    a code with a leading zero ("010") and everything else text. `units`: a number printed with
    an operator or a unit typed as the number, its format printing them ("≥95%": 0.95 in
    "≥"0%, "300天": 300 in 0"天")."""
    match = (_NUMBER_PRINTED if units else _NUMBER).match(text)
    if match is None or re.match(r"^-?0\d", match.group(2)):
        return text, "General"
    operator, number, decimals, percent, unit = (group or "" for group in match.groups())
    number_format = (_quoted(operator) + ("0." + "0" * len(decimals) if decimals else "0")
                     + percent + _quoted(unit))
    value = float(number) / (100 if percent else 1)
    return (int(value) if not percent and not decimals else value), number_format


def _quoted(text: str) -> str:
    return f'"{text}"' if text else ""


def write_xlsx(form: Form, path: Path, then: tuple[Form, ...] = (), gap: int = 0,
               page_header: bool = False, units_in_format: bool = False) -> None:
    """Typeset `form` as a workbook the way a sheet copies the paper form: a line of text a row
    (the title merged across the table), an empty line an empty row, each table's cells where
    the Word table has them, merged where it merges them, numbers typed as numbers. A sheet has
    no pages: a table continued on the next page goes on in the next row, past a page break.
    `then`: forms printed under it, `gap` empty rows apart (a sheet listing a department's
    projects); `page_header`: the title printed in the sheet's page header, not in a row;
    `units_in_format`: numbers printed with an operator or a unit typed as numbers, their cells'
    formats printing the rest (_typed)."""
    workbook = openpyxl.Workbook()
    row = 1  # the next row to write
    for each in (form, *then):
        row = _sheet_form(each, workbook.active, row, page_header, units_in_format) + gap
    workbook.save(path)


def _sheet_form(form: Form, sheet, row: int, page_header: bool = False,
                units_in_format: bool = False) -> int:
    """Typeset `form` from `row` of `sheet` on; the row after it."""
    width = _width(form)
    for part in _parts(form):
        if part.kind == "title" and page_header:
            sheet.oddHeader.center.text = part.text
        elif part.kind == "page":
            sheet.row_breaks.append(Break(id=row - 1))
        elif part.kind in ("title", "line"):
            sheet.cell(row, 1, part.text or None)
            if part.kind == "title":
                sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            row += 1
        else:
            for p in part.places:
                cell = sheet.cell(row + p.row, 1 + p.col)
                cell.value, cell.number_format = _typed(p.text, units_in_format)
                if cell.data_type == "f":  # "=300天" typed as text, as Excel's ' prefix keeps it
                    cell.data_type = "s"
                if p.rows > 1 or p.cols > 1:
                    sheet.merge_cells(start_row=row + p.row, start_column=1 + p.col,
                                      end_row=row + p.row + p.rows - 1,
                                      end_column=p.col + p.cols)
            row += max(p.row + p.rows for p in part.places)
    return row


def write_html(form: Form, path: Path, in_site: bool = False, title_table: bool = False) -> None:
    """Typeset `form` as Word's "save as web page" prints it: in the system's code page (GB2312,
    a character beyond it as a reference), a paragraph a line, each table a <table> whose
    merged cells span rows and columns, a cell's lines a paragraph each, a row of empty cells
    closing each table, the page break a <br> styled to break the page. `in_site`: as the
    article of a site's page (in UTF-8), in the cell of the table laying the page out, under a
    breadcrumb and above the site's footer; `title_table`: the title laid out in a table of its
    own (_parts)."""
    encoding = "utf-8" if in_site else "gb2312"
    body = ["<table width='100%' border=0><tr><td>首页 &gt; 信息公开 &gt; 预算公开</td></tr>"
            "<tr><td>"] if in_site else []
    body.append("<div class=WordSection1>")
    for part in _parts(form, title_table):
        if part.kind == "page":
            body.append("<span lang=EN-US><br clear=all style='page-break-before:always'></span>")
        elif part.kind in ("title", "line"):
            body.append(_word_paragraph(part.text))
        else:
            body.append(_html_table(part.places, _width(form)))
    body.append("</div>")
    if in_site:
        body.append("</td></tr><tr><td>主办单位：某某市财政局　联系电话：0000-1234567</td></tr>"
                    "</table>")
    page = ("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>"
            f"<meta http-equiv=Content-Type content=\"text/html; charset={encoding}\"></head>"
            "<body lang=ZH-CN>\n" + "\n".join(body) + "\n</body></html>\n")
    path.write_bytes(page.encode(encoding, errors="xmlcharrefreplace"))


def _word_paragraph(text: str) -> str:
    if not text:
        return "<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>"
    return (f"<p class=MsoNormal align=center style='text-align:center'><span "
            f"style='font-family:宋体'>{html.escape(text)}<o:p></o:p></span></p>")


def _html_table(places: list[_Place], width: int) -> str:
    at = {(p.row, p.col): p for p in places}
    covered = {(p.row + r, p.col + c) for p in places for r in range(p.rows)
               for c in range(p.cols)}
    lines = ["<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 "
             "style='border-collapse:collapse'>"]
    for r in range(max(p.row + p.rows for p in places)):
        cells = []
        for c in range(width):
            p = at.get((r, c))
            if p is None and (r, c) not in covered:
                p = _Place(r, c, "")  # a slot no place prints: an empty cell, as Word writes
            if p is None:
                continue
            spans = (f" rowspan={p.rows}" if p.rows > 1 else "") + (
                f" colspan={p.cols}" if p.cols > 1 else "")
            paragraphs = "".join(_word_paragraph(line) for line in p.text.split("\n"))
            cells.append(f"<td{spans} valign=top>{paragraphs}</td>")
        lines.append(" <tr>" + "".join(cells) + "</tr>")
    # Word closes a table whose cells it could not align with a row of the columns' widths
    lines += ["<![if !supportMisalignedColumns]>",
              " <tr height=0>" + "<td width=80 style='border:none'></td>" * width + "</tr>",
              "<![endif]>", "</table>"]
    return "\n".join(lines)


def relaid(path: Path, index: int, variation: str) -> Form | None:
    """The truth at `path` typeset by `variation` (None where it does not apply)."""
    return VARIATIONS[variation](truth_form(path), index)


def known_failure(reason: str | None) -> list:
    """A case's pytest marks: a strict xfail saying why, where the case still fails."""
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def document_cases(names, known_failures: dict[str, str]) -> list:
    """A case per document name, its id the name without .pdf, a strict xfail where
    `known_failures` says why it does not come out whole yet."""
    return [pytest.param(name, id=name.removesuffix(".pdf"),
                         marks=known_failure(known_failures.get(name)))
            for name in sorted(names)]


def fields_read_wrong(table, meta: dict) -> dict:
    """field -> (read, truth) for each header field `table` reads otherwise than `meta` has it
    (a field the truth leaves blank is not compared)."""
    return {
        field: (getattr(table, field), meta[field])
        for field in realworld.META
        if meta.get(field) not in (None, "")
        and not realworld.same_field(field, getattr(table, field), meta[field])
    }


def normed_rows(rows) -> list[tuple]:
    """Rows of (一级, 二级, 三级, target) as tests/test_realworld.py compares them, sorted."""
    return sorted(tuple(realworld.norm(text) for text in row) for row in rows)
