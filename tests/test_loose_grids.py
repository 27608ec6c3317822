"""Grids that arrive as text (HTML whose merges were lost, Markdown, tab-separated OCR) follow
their own header: each case is a small document written here, read whole, and compared with
the indicators (and tables) written by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from perftab.pipeline import extract_file

HEADER_BLOCK_TSV = (
    "项目名称\t\t{name}\t\t\n"
    "项目资金 (万元)\t年度资金总额：\t\t\t{funds}\n"
)


def _extract(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = extract_file(path)
    assert (result.status, result.error) == ("ok", None)
    return result


def _indicators(table) -> list[tuple]:
    return [
        (i.level1, i.level2, i.level3, i.target_raw, i.nature_raw, i.unit_raw, i.weight,
         i.op, i.value, i.unit, i.warnings)
        for i in table.indicators
    ]


# --------------------------------------------------------------- split layout, merges lost

SPLIT_LAYOUT_SPANS_LOST = """<p>项目支出绩效目标表</p><p>(2023年度)</p>
<table>
<tr><td>项目名称</td><td>农业技术推广</td><td>项目期</td><td>1年</td><td></td><td></td><td></td></tr>
<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标性质</th><th>指标值</th>
<th>度量单位</th><th>权重</th></tr>
<tr><td>产出指标</td><td>数量指标</td><td>培训场次</td><td>≥</td><td>12</td><td>场</td><td>10</td></tr>
<tr><td>培训人次</td><td>≥</td><td>500</td><td>人次</td><td>10</td></tr>
<tr><td>质量指标</td><td>培训合格率</td><td>≥</td><td>95</td><td>%</td><td>20</td></tr>
<tr><td>效益指标</td><td>社会效益指标</td><td>农户增收</td><td>定性</td><td>明显</td><td></td>
<td>30</td></tr>
<tr><td>满意度指标</td><td>服务对象满意度指标</td><td>农户满意度</td><td>≥</td><td>90</td>
<td>%</td><td>30</td></tr>
</table>
"""


def test_split_layout_with_merges_lost_follows_the_header(tmp_path):
    result = _extract(tmp_path, "split.html", SPLIT_LAYOUT_SPANS_LOST)
    assert result.n_tables == 1
    assert _indicators(result.tables[0]) == [
        ("产出指标", "数量指标", "培训场次", "12", "≥", "场", 10.0, ">=", 12.0, "场", []),
        ("产出指标", "数量指标", "培训人次", "500", "≥", "人次", 10.0, ">=", 500.0, "人次", []),
        ("产出指标", "质量指标", "培训合格率", "95", "≥", "%", 20.0, ">=", 95.0, "%", []),
        ("效益指标", "社会效益指标", "农户增收", "明显", "定性", None, 30.0, None, None, None, []),
        ("满意度指标", "服务对象满意度指标", "农户满意度", "90", "≥", "%", 30.0, ">=", 90.0, "%",
         []),
    ]
    # only the rows short of cells were moved
    slid = [[r for r in i.repairs if r.startswith("cells")] for i in result.tables[0].indicators]
    assert slid == [
        [],
        ["cells slid back under the header: 培训人次 | ≥ | 500 | 人次 | 10"],
        ["cells slid back under the header: 质量指标 | 培训合格率 | ≥ | 95 | % | 20"],
        [],
        [],
    ]


# --------------------------------------------------------------- a 三级 with no target

MARKDOWN_NO_TARGET = """# 项目支出绩效目标表

(2023年度)

| 项目名称 | 农业技术推广 | 项目期 | 1年 |
|---|---|---|---|
| 一级指标 | 二级指标 | 三级指标 | 指标值 |
| 产出指标 | 数量指标 | 培训期数 | ≥4期 |
| | | 培训场次 | |
| | | 培训人次 | ≥500人次 |
| | 质量指标 | 培训合格率 | ≥95% |
| 满意度指标 | 服务对象满意度指标 | 农户满意度 | ≥90% |
"""


def _levels_and_targets(table) -> list[tuple]:
    return [(i.level1, i.level2, i.level3, i.target_raw, i.warnings) for i in table.indicators]


@pytest.mark.parametrize("row", ["| | | 培训场次 | |", "| | | 培训场次 |"],
                         ids=["empty-cell", "cell-left-off"])
def test_markdown_row_with_no_target_is_not_joined_to_the_next(tmp_path, row):
    # a Markdown row with fewer cells has its last cells empty: nothing slid
    text = MARKDOWN_NO_TARGET.replace("| | | 培训场次 | |", row)
    result = _extract(tmp_path, "no-target.md", text)
    assert _levels_and_targets(result.tables[0]) == [
        ("产出指标", "数量指标", "培训期数", "≥4期", []),
        ("产出指标", "数量指标", "培训场次", "", ["no target printed"]),
        ("产出指标", "数量指标", "培训人次", "≥500人次", []),
        ("产出指标", "质量指标", "培训合格率", "≥95%", []),
        ("满意度指标", "服务对象满意度指标", "农户满意度", "≥90%", []),
    ]


def test_markdown_first_row_of_a_block_with_no_target_is_not_joined(tmp_path):
    text = MARKDOWN_NO_TARGET.replace("| | 质量指标 | 培训合格率 | ≥95% |",
                                      "| | 质量指标 | 培训课时 | |\n| | | 培训合格率 | ≥95% |")
    result = _extract(tmp_path, "no-target.md", text)
    assert _levels_and_targets(result.tables[0])[3:5] == [
        ("产出指标", "质量指标", "培训课时", "", ["no target printed"]),
        ("产出指标", "质量指标", "培训合格率", "≥95%", []),
    ]


# --------------------------------------------------------------- several forms in one text dump

def _form(title: str | None, year_line: str | None, name: str | None, funds: str,
          indicators: list[str]) -> str:
    lines = [title, year_line]
    if name is not None:
        lines += [f"项目名称\t\t{name}\t\t", f"项目资金 (万元)\t年度资金总额：\t\t\t{funds}"]
    lines += ["\t一级指标\t二级指标\t三级指标\t指标值", *indicators]
    return "\n".join(line for line in lines if line is not None) + "\n"


FORMS_WITHOUT_HEADINGS = (
    _form("项目支出绩效目标表", "(2023年度)", "业务费", "86.00", [
        "\t产出指标\t数量指标\t培训场次\t≥12场",
        "\t\t\t培训人次\t≥500人次",
        "\t满意度指标\t服务对象满意度指标\t学员满意度\t≥90%",
    ])
    # the title printed again starts the next form
    + _form("项目支出绩效目标表", "(2023年度)", "考勤考核奖", "74.40", [
        "\t产出指标\t数量指标\t考核次数\t4次",
    ])
    # no title: the 项目名称 line starts it, the year line above it is its context
    + _form(None, "(2023年度)", "专线费用", "36.18", [
        "\t产出指标\t质量指标\t网络运行正常率\t100%",
    ])
    # no header block: the heading row printed again starts it
    + _form(None, None, None, "", [
        "\t效益指标\t社会效益指标\t办事便利度\t明显提升",
    ])
)


def test_forms_in_a_text_dump_without_headings_are_tables_of_their_own(tmp_path):
    result = _extract(tmp_path, "forms.txt", FORMS_WITHOUT_HEADINGS)
    tables = [
        (t.title, t.year, t.project_name, t.funds_total_wan, _levels_and_targets(t), t.warnings)
        for t in result.tables
    ]
    assert tables == [
        ("项目支出绩效目标表", 2023, "业务费", 86.0, [
            ("产出指标", "数量指标", "培训场次", "≥12场", []),
            ("产出指标", "数量指标", "培训人次", "≥500人次", []),
            ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", []),
        ], []),
        ("项目支出绩效目标表", 2023, "考勤考核奖", 74.4, [
            ("产出指标", "数量指标", "考核次数", "4次", []),
        ], []),
        (None, 2023, "专线费用", 36.18, [
            ("产出指标", "质量指标", "网络运行正常率", "100%", []),
        ], []),
        (None, None, None, None, [
            ("效益指标", "社会效益指标", "办事便利度", "明显提升", []),
        ], []),
    ]


# --------------------------------------------------------------- a heading on two rows, merges lost

TWO_ROW_HEADING_MARKDOWN = """# 项目支出绩效目标表

| 项目名称 | 示例道路养护项目 | | | | |
|---|---|---|---|---|---|
| 一级指标 | 二级指标 | 三级指标 | 指标值 | | |
| | | | 符号 | 数值 | 单位 |
| 产出指标 | 数量指标 | 养护道路里程 | ≥ | 120 | 公里 |
| | 质量指标 | 路面合格率 | ≥ | 95 | % |
| 效益指标 | 社会效益指标 | 群众出行满意度 | ≥ | 90 | % |
"""


@pytest.mark.parametrize("name", ["two-row.md", "two-row.txt"])
def test_a_heading_on_two_rows_whose_merges_were_lost_is_the_heading(tmp_path, name):
    # 指标值 printed over 符号 | 数值 | 单位, the levels' headings over both rows: the second
    # row is the heading's, not an indicator, and the levels stay in their columns
    text = TWO_ROW_HEADING_MARKDOWN
    if name.endswith(".txt"):  # the same form as a tab-separated dump
        text = "\n".join("\t".join(cell.strip() for cell in line.strip("|").split("|"))
                         for line in text.splitlines() if not line.startswith("|---")) + "\n"
    result = _extract(tmp_path, name, text)
    (table,) = result.tables
    assert [(i.level1, i.level2, i.level3, i.nature_raw, i.target_raw, i.unit_raw, i.warnings)
            for i in table.indicators] == [
        ("产出指标", "数量指标", "养护道路里程", "≥", "120", "公里", []),
        ("产出指标", "质量指标", "路面合格率", "≥", "95", "%", []),
        ("效益指标", "社会效益指标", "群众出行满意度", "≥", "90", "%", []),
    ]
