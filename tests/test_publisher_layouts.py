"""Layouts other publishers print the same form in, each read whole: the funds' labels in a row
with their amounts under them, a header label and its value in one cell, 一级/二级 printed once
over unmerged blank cells, a note printed across the table's foot. Invented forms, typeset by
tests/relayout.py."""

import dataclasses

from relayout import Column, Form, write_docx

from perftab.pipeline import extract_file

META = {"project_name": "乡村道路养护", "department": "某某县交通运输局",
        "implementing_unit": "某某县公路中心", "project_source": None, "period": None,
        "funds_total_wan": "120", "funds_fiscal_wan": "100", "funds_other_wan": "20",
        "annual_goal": "完成农村公路日常养护"}
LABELS = {"project_name": "项目名称", "department": "主管部门", "implementing_unit": "实施单位",
          "funds_total_wan": "年度资金总额", "funds_fiscal_wan": "其中：财政拨款",
          "funds_other_wan": "其他资金", "annual_goal": "年度目标"}
COLUMNS = [Column("一级指标", "level1"), Column("二级指标", "level2"), Column("三级指标", "level3"),
           Column("指标值", "target"), Column("备注", "note")]
ROWS = [
    ["产出指标", "数量指标", "养护里程", "≥350公里", ""],
    ["产出指标", "数量指标", "修补路面", "≥2万平方米", ""],
    ["产出指标", "质量指标", "优良路率", "≥80%", ""],
    ["效益指标", "社会效益指标", "群众出行条件", "持续改善", ""],
    ["效益指标", "社会效益指标", "道路安全隐患", "明显减少", ""],
    ["满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%", ""],
]
FORM = Form("invented", "project_target", META, LABELS, "项目资金（万元）", COLUMNS, ROWS)
HEADER = ("乡村道路养护", "某某县交通运输局", "某某县公路中心", 120.0, 100.0, 20.0,
          "完成农村公路日常养护")


def _table(tmp_path, form: Form):
    path = tmp_path / "form.docx"
    write_docx(form, path)
    result = extract_file(path)
    assert (result.status, result.n_tables) == ("ok", 1), result.error
    return result.tables[0]


def _header(table) -> tuple:
    return (table.project_name, table.department, table.implementing_unit, table.funds_total_wan,
            table.funds_fiscal_wan, table.funds_other_wan, table.annual_goal)


def _rows(table) -> list[list[str]]:
    return [[i.level1, i.level2, i.level3, i.target_raw] for i in table.indicators]


def test_funds_labels_in_a_row_with_their_amounts_under_them(tmp_path):
    table = _table(tmp_path, dataclasses.replace(FORM, funds_by_column=True))
    assert _header(table) == HEADER
    fields = {f.field: (f.label_raw, f.raw, f.locator) for f in table.fields}
    assert fields["funds_fiscal_wan"] == ("其中：财政拨款", "100", "docx table 1 row 5 cell 4")
    assert fields["funds_other_wan"] == ("其他资金", "20", "docx table 1 row 5 cell 5")


def test_a_header_label_and_its_value_in_one_cell(tmp_path):
    table = _table(tmp_path, dataclasses.replace(FORM, header_style="in-cell"))
    assert _header(table) == HEADER
    fields = {f.field: (f.label_raw, f.raw) for f in table.fields}
    assert fields["project_name"] == ("项目名称", "乡村道路养护")
    assert fields["funds_fiscal_wan"] == ("其中：财政拨款", "100")


def test_levels_printed_once_over_unmerged_blank_cells_are_carried_down(tmp_path):
    printed = [list(row) for row in ROWS]
    for r, c in ((1, 0), (1, 1), (2, 0), (4, 0), (4, 1)):
        printed[r][c] = ""
    table = _table(tmp_path, dataclasses.replace(FORM, merge_levels=False, printed_rows=printed))
    assert _rows(table) == [row[:4] for row in ROWS]
    assert [i.repairs for i in table.indicators] == [
        [],
        ["level2 carried from the row above: 数量指标",
         "level1 carried from the row above: 产出指标"],
        ["level1 carried from the row above: 产出指标"],
        [],
        ["level2 carried from the row above: 社会效益指标",
         "level1 carried from the row above: 效益指标"],
        [],
    ]


def test_a_blank_level_is_not_carried_across_a_new_level1_nor_before_any_is_printed(tmp_path):
    printed = [list(row) for row in ROWS]
    printed[0][0] = printed[0][1] = ""  # no level printed yet: none
    printed[5][1] = ""  # a new 一级 with its 二级 left blank: not the 二级 above
    table = _table(tmp_path, dataclasses.replace(FORM, merge_levels=False, printed_rows=printed))
    assert [(i.level1, i.level2) for i in table.indicators] == [
        (None, None), ("产出指标", "数量指标"), ("产出指标", "质量指标"),
        ("效益指标", "社会效益指标"), ("效益指标", "社会效益指标"), ("满意度指标", None)]


def test_a_note_printed_across_the_foot_of_the_table_is_no_indicator(tmp_path):
    table = _table(tmp_path, dataclasses.replace(FORM, footnote="注：定性指标以文字描述。"))
    assert _rows(table) == [row[:4] for row in ROWS]


def test_a_goal_label_merged_over_a_row_per_part_takes_every_part(tmp_path):
    meta = {**META, "annual_goal": "目标1：修补坑槽；目标2：清理边沟；目标3：补植行道树。"}
    table = _table(tmp_path, dataclasses.replace(FORM, meta=meta, goal_rows=True))
    assert table.annual_goal == "目标1：修补坑槽；\n目标2：清理边沟；\n目标3：补植行道树。"
    (goal,) = [f for f in table.fields if f.field == "annual_goal"]
    assert (goal.label_raw, goal.locator) == ("年度目标", "docx table 1 row 7 cell 3 – docx "
                                               "table 1 row 9 cell 3")


def test_a_goal_label_over_a_long_term_row_and_a_years_row_takes_the_years(tmp_path):
    table = _table(tmp_path, dataclasses.replace(FORM, long_goal="三年内完成全县公路提档升级"))
    assert _header(table) == HEADER
    (goal,) = [f for f in table.fields if f.field == "annual_goal"]
    assert (goal.label_raw, goal.raw) == ("年度目标", "完成农村公路日常养护")


def test_a_row_numbering_the_columns_under_the_heading_is_no_indicator(tmp_path):
    table = _table(tmp_path, dataclasses.replace(FORM, numbers_row=True))
    assert _rows(table) == [row[:4] for row in ROWS]


def test_header_lines_above_the_table_in_other_wordings(tmp_path):
    labels = {**LABELS, "department": "主管部门（单位）", "implementing_unit": "项目执行单位",
              "funds_fiscal_wan": "其中：一般公共预算资金", "annual_goal": "本年度绩效目标"}
    table = _table(tmp_path, dataclasses.replace(FORM, labels=labels, header_style="lines"))
    assert _header(table) == HEADER


def _two_targets(tmp_path, first: str, second: str):
    columns = [*COLUMNS[:3], Column(first, "target"), Column(second, "midterm")]
    rows = [[*row[:4], f"{row[3]}（三年）"] for row in ROWS]
    return _table(tmp_path, dataclasses.replace(FORM, columns=columns, rows=rows))


def test_a_target_column_beside_an_implementation_period_one_is_the_years(tmp_path):
    table = _two_targets(tmp_path, "指标值", "实施期指标值")
    assert [(i.horizon, i.target_raw) for i in table.indicators if i.level3 == "养护里程"] == [
        ("annual", "≥350公里"), ("midterm", "≥350公里（三年）")]
    assert table.warnings == []


def test_an_unnamed_target_column_beside_the_years_is_the_midterm_one(tmp_path):
    table = _two_targets(tmp_path, "年度指标值", "指标值")
    assert [(i.horizon, i.target_raw) for i in table.indicators if i.level3 == "养护里程"] == [
        ("annual", "≥350公里"), ("midterm", "≥350公里（三年）")]


def test_two_target_columns_of_one_horizon_are_told(tmp_path):
    table = _two_targets(tmp_path, "年度指标值", "年度目标值")
    assert table.warnings == [
        "column groups of one horizon (annual, annual): 年度指标值 | 年度目标值"]
