"""Column roles by header words: rules over the form's vocabulary, so headers no sample printed
still find their role; a horizon note in a header names its half."""

import pytest

from perftab.normalize.vocabulary import header_horizon, header_role

ROLES = {
    "headers the development set printed": [
        ("指标目标值", "target"), ("指标值及单位", "target"), ("三级指标内容", "level3"),
        ("年度数值", "target"), ("一级", "level1"), ("二级", "level2"), ("三级", "level3"),
        ("指 标 解 释", "note"), ("指标值类型", "nature"), ("指标值内容", "note"),
        ("单位(文字描述)", "unit"), ("指标分值", "weight"), ("权重占比(%)", "weight"),
        ("单项指标实际完成值", "actual"), ("单项指标折算得分", "score"),
        ("未完成原因及拟采取的改进措施", "deviation"), ("指标标准或依据", "note"),
        ("实施周期目标值", "target"), ("指标", "level3"),
    ],
    "headers of the same kind, not in any sample": [
        ("指标内容", "level3"), ("指标名称", "level3"), ("绩效指标名称", "level3"),
        ("目标值", "target"), ("绩效目标值", "target"), ("2024年目标值", "target"),
        ("计划指标值", "target"), ("标准值", "target"), ("全年完成值", "actual"),
        ("完成情况", "actual"), ("指标值说明", "note"), ("评分依据", "note"),
        ("運算符號", "nature"), ("指標值", "target"),
    ],
    "words that are not indicator columns": [
        ("绩效指标", None), ("项目名称", None), ("年度目标", None), ("评分标准", None),
        ("级指标", None),  # a level by its neighbours only (columns._resolve_bare_levels)
    ],
}


@pytest.mark.parametrize(
    ("header", "role"),
    [pytest.param(h, r, id=f"{group}: {h}") for group, cases in ROLES.items() for h, r in cases],
)
def test_header_role(header, role):
    assert header_role(header) == role


@pytest.mark.parametrize(
    ("header", "horizon"),
    [("指标值(长期)", "longterm"), ("二级指标（年度）", "annual"), ("实施周期目标值", "midterm"),
     ("中期指标值", "midterm"), ("指标值", None)],
)
def test_header_horizon(header, horizon):
    assert header_horizon(header) == horizon
