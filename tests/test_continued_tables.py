"""A table a Word document continues in a second table (split at a page, its heading repeated
or not) is read as one table; a second table of its own (its own header block, or other
columns) is not joined to it. Header labels in the wordings other publishers print are read
by their shape. Invented forms, typeset by tests/relayout.py."""

import dataclasses

import docx
import pytest
from relayout import Column, Form, write_docx

from perftab.normalize.header import label_field
from perftab.pipeline import extract_file

META = {"project_name": "城区路灯维护", "department": "某某区城市管理局", "implementing_unit": None,
        "project_source": None, "period": None, "funds_total_wan": "42", "funds_fiscal_wan": None,
        "funds_other_wan": None, "annual_goal": "保障城区路灯完好运行"}
COLUMNS = [Column("一级指标", "level1"), Column("二级指标", "level2"), Column("三级指标", "level3"),
           Column("指标值", "target")]
ROWS = [
    ["产出指标", "数量指标", "维护路灯数量", "≥1200盏"],
    ["产出指标", "质量指标", "路灯亮灯率", "≥98%"],
    ["产出指标", "时效指标", "故障修复时限", "≤48小时"],
    ["效益指标", "社会效益指标", "夜间出行安全", "明显改善"],
    ["效益指标", "可持续影响指标", "设施使用年限", "≥5年"],
    ["满意度指标", "服务对象满意度指标", "市民满意度", "≥90%"],
]
FORM = Form("invented", "project_target", META, {
    "project_name": "项目名称", "department": "主管部门", "funds_total_wan": "年度资金总额",
    "annual_goal": "年度目标"}, "项目资金（万元）", COLUMNS, ROWS)


def _read(tmp_path, form: Form):
    path = tmp_path / "form.docx"
    write_docx(form, path)
    result = extract_file(path)
    assert result.status == "ok", result.error
    return result.tables


def _rows(table) -> list[list[str]]:
    return [[i.level1, i.level2, i.level3, i.target_raw] for i in table.indicators]


@pytest.mark.parametrize(("repeat", "how"), [(True, "its heading repeated"), (False, "no heading")])
def test_a_table_continued_in_a_second_table_is_one_table(tmp_path, repeat, how):
    (table,) = _read(tmp_path, dataclasses.replace(FORM, split_at=4, repeat_heading=repeat))
    assert _rows(table) == ROWS
    assert table.project_name == "城区路灯维护"
    assert table.warnings == []
    first_continued = table.indicators[4]
    assert first_continued.repairs == [
        f"table continued in another table ({how}), from docx table 2 row {2 if repeat else 1} "
        "cell 1"]
    assert all(not i.repairs for i in table.indicators[:4])


def test_a_second_table_with_its_own_header_block_stays_apart(tmp_path):
    first = dataclasses.replace(FORM, rows=ROWS[:3])
    second = dataclasses.replace(FORM, rows=ROWS[3:], meta={**META, "project_name": "公园照明"})
    path = tmp_path / "two.docx"
    write_docx(first, path)
    other = tmp_path / "other.docx"
    write_docx(second, other)
    document = docx.Document(str(path))  # the second form's table after the first
    document.element.body.append(docx.Document(str(other)).tables[0]._tbl)
    document.save(str(path))
    result = extract_file(path)
    assert [t.project_name for t in result.tables] == ["城区路灯维护", "公园照明"]
    assert [_rows(t) for t in result.tables] == [ROWS[:3], ROWS[3:]]


def test_a_second_table_under_a_title_of_its_own_stays_apart(tmp_path):
    form = dataclasses.replace(FORM, split_at=4, repeat_heading=True)
    path = tmp_path / "form.docx"
    write_docx(form, path)
    document = docx.Document(str(path))  # a title printed between the two tables
    title = document.add_paragraph("公园照明项目绩效指标")
    document.tables[-1]._tbl.addprevious(title._p)
    document.save(str(path))
    tables = extract_file(path).tables
    assert [_rows(t) for t in tables] == [ROWS[:4], ROWS[4:]]


def test_a_continuation_of_other_columns_is_not_joined_but_told(tmp_path):
    form = dataclasses.replace(FORM, split_at=4, repeat_heading=False)
    path = tmp_path / "form.docx"
    write_docx(form, path)
    document = docx.Document(str(path))  # a column more: not this table's rows
    document.tables[-1].add_column(docx.shared.Cm(2))
    document.save(str(path))
    (table,) = extract_file(path).tables
    assert _rows(table) == ROWS[:4]
    assert table.warnings == [
        "2 rows under no header row not read, from docx table 2 row 1 cell 1: a continuation "
        "whose columns do not match this table's (check them against the page)"]


LABELS = [
    # (label as printed, field)
    ("预算单位名称", "department"),
    ("主管部门及编码", "department"),
    ("主管部门（单位）", "department"),
    ("项目执行单位", "implementing_unit"),
    ("实施机构", "implementing_unit"),
    ("项目承担单位", "implementing_unit"),
    ("项目类别", "project_source"),
    ("项目性质", "project_source"),
    ("项目实施期限", "period"),
    ("项目周期", "period"),
    ("起止日期", "period"),
    ("本年度绩效目标", "annual_goal"),
    ("整体绩效目标", "annual_goal"),
    ("其中：一般公共预算资金", "funds_fiscal_wan"),
    ("其中：单位自有资金", "funds_other_wan"),
    ("资金情况（万元）", "funds"),
    # not labels: values and other fields
    ("某某区城市管理局", None),
    ("2025年1月-12月", None),
    ("项目单位负责人", None),
    ("长期目标", None),
    ("中期目标", "midterm_goal"),
]


@pytest.mark.parametrize(("label", "field"), LABELS, ids=[label for label, _ in LABELS])
def test_header_labels_read_by_their_shape(label, field):
    assert label_field(label) == field
