"""Header blocks read the way a borderless page leaves them: a label and its value run together in
one cell, two label-and-value pairs in one cell, a label wrapped over two rows, labels run
together in a cell merged over their rows. Each block below is invented; each names what the
page printed and what must be read from it."""

import docx
import pytest

from perftab.pipeline import extract_file

INDICATORS = [
    ("一级指标", "二级指标", "三级指标", "指标值"),
    ("产出指标", "数量指标", "养护里程", "≥120公里"),
]
FIELDS = ("project_name", "department", "implementing_unit", "funds_total_wan",
          "funds_fiscal_wan", "funds_other_wan", "annual_goal")


def form(tmp_path, rows: list[tuple[str, ...]], merged: tuple = ()):
    """A DOCX of a title and one table of `rows` (cell texts) over the indicators; `merged`
    holds (row, col, rows) cells merged down, the text of their first row kept."""
    document = docx.Document()
    document.add_paragraph("2023年度项目支出绩效目标表")
    rows = rows + INDICATORS
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            table.cell(r, c).text = text
    for r, c, n in merged:
        top = table.cell(r, c)
        top.merge(table.cell(r + n - 1, c))
        top.text = rows[r][c]
    path = tmp_path / "form.docx"
    document.save(path)
    return path


def read(tmp_path, rows, merged=()):
    (table,) = extract_file(form(tmp_path, rows, merged)).tables
    return {name: value for name in FIELDS if (value := getattr(table, name)) is not None}, table


# (rows, cells merged down, the fields read)
READ_RIGHT = {
    "two label-and-value pairs in one cell": (
        [("项目名称：乡村道路养护主管部门及代码：某县交通运输局", "", "", ""),
         ("实施单位：某县公路站年度资金总额：150", "", "", "")],
        (),
        {"project_name": "乡村道路养护", "department": "某县交通运输局",
         "implementing_unit": "某县公路站", "funds_total_wan": 150.0}),
    "a value holding the next label and its value": (
        [("项目名称", "乡村道路养护实施单位：某县公路站", "", ""),
         ("主管部门", "某县交通运输局其中：财政拨款：120", "", "")],
        (),
        {"project_name": "乡村道路养护", "department": "某县交通运输局",
         "implementing_unit": "某县公路站", "funds_fiscal_wan": 120.0}),
    "money labels with their amounts run on": (
        [("项目名称", "乡村道路养护", "", ""),
         ("项目资金（万元）", "年度资金总额150", "其中：财政拨款120", "其他资金30")],
        (),
        {"project_name": "乡村道路养护", "funds_total_wan": 150.0, "funds_fiscal_wan": 120.0,
         "funds_other_wan": 30.0}),
    "a label wrapped onto the row below, its value on its first row": (
        [("项目名称", "乡村道路养护", "", ""),
         ("主管部门及代", "某县交通运输局", "", ""),
         ("码", "", "", ""),
         ("年度资", "150", "", ""),
         ("金总额", "", "", "")],
        (),
        {"project_name": "乡村道路养护", "department": "某县交通运输局",
         "funds_total_wan": 150.0}),
    "a label wrapped over three rows": (
        [("项目名称", "乡村道路养护", "", ""),
         ("其中：", "120", "", ""),
         ("财政拨", "", "", ""),
         ("款", "", "", "")],
        (),
        {"project_name": "乡村道路养护", "funds_fiscal_wan": 120.0}),
    "a label wrapped round its amount": (
        [("项目名称", "乡村道路养护", "", ""),
         ("年度资金 150", "", "", ""),
         ("总额", "", "", "")],
        (),
        {"project_name": "乡村道路养护", "funds_total_wan": 150.0}),
    "a row of labels whose first wrapped onto the row of amounts": (
        [("项目名称", "乡村道路养护", "", ""),
         ("项目资金（万", "年度资金总额", "其中：财政拨款", ""),
         ("元）", "150", "120", "")],
        (),
        {"project_name": "乡村道路养护", "funds_total_wan": 150.0, "funds_fiscal_wan": 120.0}),
    "labels run together in a cell merged over their rows": (
        [("项目名称", "乡村道路养护", "", ""),
         ("年度资金总额其中：财政拨款", "150", "", ""),
         ("", "120", "", "")],
        ((1, 0, 2),),
        {"project_name": "乡村道路养护", "funds_total_wan": 150.0, "funds_fiscal_wan": 120.0}),
    "labels run together beside their amounts run together, each with its unit": (
        [("项目名称", "乡村道路养护", "", ""),
         ("项目资金（万元）", "年度资金总额其中：财政拨款", "150万元120 万元", "")],
        (),
        {"project_name": "乡村道路养护", "funds_total_wan": 150.0, "funds_fiscal_wan": 120.0}),
    "a goal going on on the row under it": (
        [("项目名称：乡村道路养护", "", "", ""),
         ("年度目标：目标1:完成道路养护120公里。", "", "", ""),
         ("目标2:修复桥涵8座。", "", "", "")],
        (),
        {"project_name": "乡村道路养护",
         "annual_goal": "目标1:完成道路养护120公里。\n目标2:修复桥涵8座。"}),
}


# two rows read as one still read right: the warning that they were joined stays
JOINED_ROWS = ("labels run together beside their amounts run together, each with its unit",)


@pytest.mark.parametrize("case", READ_RIGHT)
def test_a_borderless_header_block_is_read_as_printed(tmp_path, case):
    rows, merged, expected = READ_RIGHT[case]
    fields, table = read(tmp_path, rows, merged)
    assert fields == expected
    assert table.warnings == ([] if case not in JOINED_ROWS else [
        "header labels run together in one cell: 年度资金总额 + 其中财政拨款"
        " (docx table 1 row 2 cell 2)"])


def test_amounts_run_together_are_paired_only_when_each_has_its_unit(tmp_path):
    """150120 may be 150 | 120 or 15 | 0120: no amount is read from it."""
    rows = [("项目资金（万元）", "年度资金总额其中：财政拨款", "150120", "")]
    fields, table = read(tmp_path, rows)
    assert fields == {}
    assert ("header labels run together in one cell: 年度资金总额 + 其中财政拨款"
            " (docx table 1 row 1 cell 2)") in table.warnings


def test_a_label_run_on_keeps_its_printed_text_and_cell(tmp_path):
    rows = [("项目资金（万元）", "年度资金总额150", "其中：财政拨款120", "")]
    _, table = read(tmp_path, rows)
    assert [(f.field, f.value, f.raw, f.label_raw, f.locator) for f in table.fields] == [
        ("funds_total_wan", "150", "150", "年度资金总额", "docx table 1 row 1 cell 2"),
        ("funds_fiscal_wan", "120", "120", "其中：财政拨款", "docx table 1 row 1 cell 3"),
    ]


# (rows, the warning the table must carry)
STILL_WARNED = {
    "labels in brackets run together": (
        [("主管部门（单位）项目实施单位", "某县交通运输局某县公路站", "", "")],
        "header labels run together in one cell: 主管部门(单位) + 项目实施单位"
        " (docx table 1 row 1 cell 1)"),
    "a label inside a title line": (
        [("项目支出绩效目标表项目名称乡村道路养护", "", "", ""),
         ("实施单位", "某县公路站", "", "")],
        "header label 项目名称 printed inside a text but no project_name read beside it:"
        " '项目支出绩效目标表项目名称乡村道路养护' (docx table 1 row 1 cell 1)"),
}


@pytest.mark.parametrize("case", STILL_WARNED)
def test_a_header_block_read_doubtfully_is_warned(tmp_path, case):
    rows, warning = STILL_WARNED[case]
    _, table = read(tmp_path, rows)
    assert warning in table.warnings


def test_a_value_naming_a_field_without_a_colon_is_kept_whole(tmp_path):
    """Only a label before a colon parts a value: a name may hold a label's words."""
    rows = [("项目名称", "项目资金管理平台建设", "", ""), ("实施单位", "某县财政拨款中心", "", "")]
    fields, table = read(tmp_path, rows)
    assert fields == {"project_name": "项目资金管理平台建设",
                      "implementing_unit": "某县财政拨款中心"}
    assert table.warnings == []
