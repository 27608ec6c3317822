"""Tree tables (samples/tree): one 项目 column holds unit > project > 一级 > 二级 > 三级, told apart
by indentation only. Each project comes out as a table of its own, whole."""

import pytest
from conftest import SAMPLES

from perftab.normalize.tree import assign_path
from perftab.pipeline import extract_file

UNIT = "某县教育局"
EXPECTED = [
    ("学生资助补助经费", [
        ("产出指标", "数量指标", "资助学生人数", "≥1200人", ">=", 1200.0, "人"),
        ("产出指标", "数量指标", "发放补助批次", "2次", "=", 2.0, "次"),
        ("产出指标", "质量指标", "资助对象识别精准率", "100%", "=", 100.0, "%"),
        ("效益指标", "社会效益指标", "家庭经济困难学生辍学率", "0", "=", 0.0, None),
        ("满意度指标", "服务对象满意度指标", "受助学生满意度", "≥95%", ">=", 95.0, "%"),
    ]),
    ("校园安全设施维护", [
        ("产出指标", "时效指标", "维修完成时限", "2024年12月底前", None, None, None),
        ("产出指标", "成本指标", "设施维护成本", "≤35万元", "<=", 350000.0, "元"),
        ("效益指标", "可持续影响指标", "校园安全保障能力", "持续提升", None, None, None),
    ]),
]


@pytest.mark.parametrize("name", ["tree-indent.docx", "tree-spaces.docx", "tree-indent.pdf"])
def test_tree_table_comes_out_whole(name):
    result = extract_file(SAMPLES / "tree" / name)
    assert (result.status, result.n_tables) == ("ok", 2)
    got = [
        (t.department, t.project_name,
         [(i.level1, i.level2, i.level3, i.target_raw, i.op) for i in t.indicators])
        for t in result.tables
    ]
    want = [(UNIT, project, [row[:5] for row in rows]) for project, rows in EXPECTED]
    assert got == want
    for table in result.tables:
        assert table.year == 2024
        assert table.warnings == [
            "tree table: unit, project and levels read from the indentation of 项目"]
        for ind in table.indicators:
            assert ind.level1_std == ind.level1 and ind.level2_std == ind.level2
            assert ind.locator


def test_tree_targets_parse():
    tables = extract_file(SAMPLES / "tree" / "tree-indent.docx").tables
    parsed = [(i.op, i.value, i.unit) for t in tables for i in t.indicators]
    assert parsed == [row[4:] for _, rows in EXPECTED for row in rows]


@pytest.mark.parametrize(
    ("names", "expected", "warned"),
    [
        (["局", "项目甲", "产出指标", "数量指标"], ("局", "项目甲", "产出指标", "数量指标"), False),
        (["项目甲", "产出指标", "数量指标"], (None, "项目甲", "产出指标", "数量指标"), False),
        (["局", "项目甲", "产出", "数量"], ("局", "项目甲", "产出", "数量"), False),
        # no vocabulary name on the path: counted from the bottom, with a warning
        (["局", "项目甲", "履职效能", "工作质量"], ("局", "项目甲", "履职效能", "工作质量"), True),
    ],
)
def test_path_names_are_assigned_by_the_vocabulary_then_by_depth(names, expected, warned):
    out, warnings = assign_path(names)
    assert (out["unit"], out["project"], out["level1"], out["level2"]) == expected
    assert bool(warnings) == warned
