"""Levels as printed: the printed 一级/二级 are kept, the vocabulary's names go beside them, and
nothing printed is overwritten by an inference."""

import pytest

from perftab.pipeline import extract_file

HEAD = "<html><body><p>项目支出绩效目标表</p><table border='1'>"
HEADER_ROW = "<tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>指标值</td></tr>"


def _html(tmp_path, rows: list[str]):
    path = tmp_path / "table.html"
    path.write_text(HEAD + HEADER_ROW + "".join(rows) + "</table></body></html>", "utf-8")
    result = extract_file(path)
    assert (result.status, result.n_tables) == ("ok", 1), result.error
    return result.tables[0]


def _cells(*texts: str) -> str:
    return "<tr>" + "".join(f"<td>{t}</td>" for t in texts) + "</tr>"


def test_a_second_level_name_the_vocabulary_does_not_know_is_kept_in_a_loose_grid(tmp_path):
    # merges lost: later rows of a block print only their 三级 and target
    table = _html(tmp_path, [
        _cells("过程指标", "资金管理指标", "资金到位率", "100%"),
        _cells("资金使用合规性", "合规"),
        _cells("过程指标", "项目管理指标", "项目开工率", "≥95%"),
        _cells("管理制度健全性", "健全"),
    ])
    assert [(i.level1, i.level2, i.level3) for i in table.indicators] == [
        ("过程指标", "资金管理指标", "资金到位率"),
        ("过程指标", "资金管理指标", "资金使用合规性"),
        ("过程指标", "项目管理指标", "项目开工率"),
        ("过程指标", "项目管理指标", "管理制度健全性"),
    ]
    assert [i.level2_std for i in table.indicators] == [None] * 4


def test_a_printed_first_level_is_kept_when_it_disagrees_with_its_second(tmp_path):
    table = _html(tmp_path, [
        _cells("项目决策", "数量指标", "培训人次", "≥500人次"),
        _cells("产出指标(50分)", "质量指标", "培训合格率", "≥90%"),
    ])
    first, second = table.indicators
    assert (first.level1, first.level1_std) == ("项目决策", "产出指标")
    assert first.warnings == ["level1 项目决策 is printed over level2 数量指标, a 产出指标 name"]
    assert (second.level1, second.level1_std, second.warnings) == ("产出指标(50分)", "产出指标", [])


@pytest.mark.parametrize(
    ("printed", "clean"),
    [
        ("1290.3平方米冷库仓储建设", "1290.3平方米冷库仓储建设"),  # a number, not "1."
        ("指标1：培训人数", "培训人数"),
        ("2、培训人数（≥**人）", "培训人数"),
        ("★群众满意度", "群众满意度"),
        ("培訓人數", "培训人数"),
    ],
)
def test_the_printed_name_is_kept_and_cleaned_beside_it(tmp_path, printed, clean):
    table = _html(tmp_path, [_cells("产出指标", "数量指标", printed, "≥500人次")])
    (ind,) = table.indicators
    assert (ind.level3, ind.level3_clean) == (printed, clean)


def test_a_blank_level_in_a_table_with_its_merges_is_not_printed(tmp_path):
    path = tmp_path / "table.html"
    path.write_text(HEAD + HEADER_ROW + "".join([
        "<tr><td rowspan='2'>产出指标</td><td></td><td>安全标志设置及时率</td><td>100%</td></tr>",
        "<tr><td>成本指标</td><td>清理成本</td><td>≤4万元</td></tr>",
    ]) + "</table></body></html>", "utf-8")
    (table,) = extract_file(path).tables
    assert [(i.level1, i.level2, i.level2_std) for i in table.indicators] == [
        ("产出指标", None, None), ("产出指标", "成本指标", "成本指标")]


def test_regional_level_names_are_kept_in_a_loose_grid(tmp_path):
    table = _html(tmp_path, [
        _cells("产出值", "数量值", "小学就读人数", "≤6962人"),
        _cells("教学条件改善", "=100%"),
        _cells("产出值", "质量值", "办学水平提高", "=100%"),
        _cells("效益指标", "效益指标", "经费有效使用情况", "=100%"),
    ])
    assert [(i.level1, i.level2) for i in table.indicators] == [
        ("产出值", "数量值"), ("产出值", "数量值"), ("产出值", "质量值"), ("效益指标", "效益指标")]
