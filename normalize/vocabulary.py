"""The form's vocabulary: canonical 一级/二级 indicator names and the header-block labels.

Names follow the national guidance for 项目支出绩效目标表 (财预〔2018〕), with the 2021
cost 二级 names. Matching is on a cleaned form of the printed text; the printed text is kept
elsewhere.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from .text import to_simplified

LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")

# canonical 二级 -> its 一级
LEVEL2_PARENT = {
    "数量指标": "产出指标",
    "质量指标": "产出指标",
    "时效指标": "产出指标",
    "成本指标": "产出指标",
    "经济效益指标": "效益指标",
    "社会效益指标": "效益指标",
    "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标",
    "服务对象满意度指标": "满意度指标",
    "经济成本指标": "成本指标",
    "社会成本指标": "成本指标",
    "生态环境成本指标": "成本指标",
}

# printed forms that mean a canonical name; 满意度指标 printed as its own 二级 is the usual case
LEVEL2_ALIASES = {
    "满意度指标": "服务对象满意度指标",
    "满意度": "服务对象满意度指标",
    "环境效益指标": "生态效益指标",
    "可持续发展指标": "可持续影响指标",
}
LEVEL1_ALIASES = {
    "项目完成指标": "产出指标",
    "项目效益指标": "效益指标",
}

_SCORE = re.compile(r"[（(]\s*\d+(\.\d+)?\s*分?\s*[)）]")
# "指标1:", "1、", "一." before a name; "860.5平方米" is a number, not an enumerator
_ENUMERATOR = re.compile(r"^(指标)?\s*[0-9一二三四五六七八九十]+\s*[:：、.．](?![0-9])")
_STAR = re.compile(r"[★☆*＊]+")
# a hint the form's template left in a name: "(≥**人)", "（填写…）"
_HINT = re.compile(r"[（(][^（）()]*(\*|填写|≥|≤)[^（）()]*[)）]")
_SPACE = re.compile(r"\s+")
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")

FUZZY_MIN = 0.8


def clean_label(text: str, keep_spaces: bool = False) -> str:
    """The text of a level cell with spaces, scores and enumerators removed; `keep_spaces`
    keeps a space between words that are not Chinese ("COVID 19")."""
    text = _CJK_SPACE.sub("", text or "").strip() if keep_spaces else _SPACE.sub("", text or "")
    text = _SCORE.sub("", text)
    return _ENUMERATOR.sub("", text).strip()


def unwrap(text: str) -> str:
    """A cell's printed text without the breaks and spaces wrapping put between Chinese
    characters ("产出 指标"); spaces between words that are not Chinese stay."""
    return _CJK_SPACE.sub("", text or "").strip()


def clean_name(text: str) -> str:
    """A 三级 name cleaned for matching across years: score notes, enumerators, star marks and
    template hints removed, NFKC-folded. The printed name is kept elsewhere."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _STAR.sub("", _HINT.sub("", text))
    return clean_label(text, keep_spaces=True)


def _with_suffix(name: str) -> str:
    return name if name.endswith("指标") else name + "指标"


def _lookup(name: str, canon: tuple[str, ...] | list[str], aliases: dict[str, str]) -> str | None:
    if not name:
        return None
    for candidate in (name, _with_suffix(name)):
        if candidate in canon:
            return candidate
        if candidate in aliases:
            return aliases[candidate]
    return None


@lru_cache(maxsize=8192)  # a long document's level cells say the same few names page after page
def _key(text: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", clean_label(text)))


def level1_std(text: str) -> str | None:
    return _lookup(_key(text), LEVEL1, LEVEL1_ALIASES)


def level2_std(text: str) -> str | None:
    return _lookup(_key(text), list(LEVEL2_PARENT), LEVEL2_ALIASES)


def is_level_name(text: str) -> bool:
    return level1_std(text) is not None or level2_std(text) is not None


_FORM_TITLE = re.compile(r"绩效(目标|自评)表?|绩效目标申报表|绩效自评")


def names_a_form(text: str) -> bool:
    """Whether a line is a form's title: 项目支出绩效目标表, 绩效自评表, 绩效目标申报表 …"""
    return _FORM_TITLE.search(to_simplified(text)) is not None


def one_slip(text: str, names) -> str | None:
    """The name `text` differs from by one misread character (数是指标 -> 数量指标); only for
    names of four characters or more, where one character cannot make another word."""
    for name in names:
        same_length = len(name) == len(text) >= 4
        if same_length and sum(a != b for a, b in zip(name, text, strict=True)) == 1:
            return name
    return None


def closest(text: str, names) -> tuple[str | None, float]:
    """The vocabulary name most like `text`, with its similarity (0..1)."""
    best, score = None, 0.0
    cleaned = clean_label(text)
    for name in names:
        s = SequenceMatcher(None, cleaned, name).ratio()
        if s > score:
            best, score = name, s
    return best, score


# header-block labels -> field; matched on the cleaned label's start
HEADER_LABELS = (
    ("项目名称", "project_name"),
    ("主管部门及代码", "department"),
    ("主管部门", "department"),
    ("实施单位", "implementing_unit"),
    ("项目来源", "project_source"),
    ("项目属性", "project_source"),
    ("项目期", "period"),
    ("起止时间", "period"),
    ("年度资金总额", "funds_total_wan"),
    ("其中：财政拨款", "funds_fiscal_wan"),
    ("其中:财政拨款", "funds_fiscal_wan"),
    ("财政拨款", "funds_fiscal_wan"),
    ("其他资金", "funds_other_wan"),
    ("中期资金总额", "funds_midterm_wan"),
    ("项目资金", "funds"),
    ("年度目标", "annual_goal"),
    ("年度", "annual_goal"),
    ("年度总体目标", "annual_goal"),
    ("年度绩效目标", "annual_goal"),
    ("总体目标", "annual_goal"),
    ("中期目标", "midterm_goal"),
    ("部门名称", "department"),
    ("单位名称", "department"),
    ("部门编码", "department_code"),
    ("部门代码", "department_code"),
    ("单位编码", "department_code"),
    ("职能职责概述", "duties"),
    ("部门职能职责概述", "duties"),
    ("职能职责", "duties"),
    ("年度主要任务", "annual_tasks"),
)

# header-block labels whose wording varies, told by their shape (the whole cleaned label):
# 其中：当年市级财政资金, 其中：自筹资金, 项目总金额, 预算单位名称, 项目执行单位, 项目类别,
# 项目实施期限, 本年度绩效目标
HEADER_LABEL_PATTERNS = (
    (r"其中.{0,8}(财政.{0,4}(资金|拨款)|一般公共预算.{0,2}(资金|拨款)?)", "funds_fiscal_wan"),
    (r"(其中)?(其他|自筹|单位自筹|自有|单位自有)资金", "funds_other_wan"),
    (r"(年度|本年度?|当年)?(项目)?(资金|预算)?(总额|总金额)|项目(总)?金额", "funds_total_wan"),
    (r"(项目)?资金(情况)?", "funds"),
    (r"(主管|预算)(部门|单位)(名称)?(及?(代码|编码))?", "department"),
    (r"(项目)?(实施|执行|承担|承办)(单位|机构)(名称)?|项目单位", "implementing_unit"),
    (r"项目(来源|属性|类型|类别|性质)", "project_source"),
    (r"(项目)?(实施)?(期限|周期|起止(时间|日期|年限)?)|项目(实施)?期", "period"),
    (r"(年度|本年度?|当年)(项目)?(总体|整体)?(绩效)?目标|(总体|整体)?绩效目标", "annual_goal"),
)

# Column-labelled blocks above the indicators (a self-evaluation's budget and goal blocks):
# a row of column labels, then rows of values under them.
BLOCK_COLUMN_LABELS = {
    "年初预算数": "initial",
    "全年预算数": "full_year",
    "全年执行数": "executed",
    "执行率": "execution_rate",
    "得分": "score",
    "分值": "points",
    "预期目标": "goal",
    "实际完成情况": "goal_actual",
    "中期目标": "midterm_goal",
    "年度目标": "goal",
}

# Column roles of the indicator block: the first rule whose pattern is found in the cleaned,
# Simplified header wins. Order matters where words overlap: 指标值说明 is a note and 指标值类型
# an operator before either is a target; 实际完成指标值 is an actual; 指标值及单位 a target.
HEADER_ROLE_RULES = (
    ("level1", r"^[一1]级"),
    ("level2", r"^[二2]级"),
    ("level3", r"^[三3]级"),
    ("deviation", r"偏差|原因|改进措施"),
    ("note", r"值(说明|内容)|说明|解释|备注|依据"),
    ("score", r"得分"),
    ("weight", r"分值|权重"),
    ("actual", r"实际|完成值|完成情况|完成数|实现值"),
    ("nature", r"性质|符号|类型"),
    ("direction", r"方向"),
    ("target", r"指标值|目标值|数值|预期值|计划值|标准值"),
    ("unit", r"单位"),
    ("level3", r"指标名称|指标内容|具体指标|^指标$"),
)
# words that name a column group's horizon, in a header ("指标值(长期)") or above a half
HORIZON_WORDS = (
    ("长期", "longterm"),
    ("中期", "midterm"),
    ("实施周期", "midterm"),
    ("实施期", "midterm"),
    ("年度", "annual"),
)
TOTAL_ROW_WORDS = ("总分", "合计", "总计")
# words of a sub-heading under 指标值 that name the value planned, not one reached
FORWARD_WORDS = re.compile(r"预期|预计|计划|目标|拟")

_HORIZON_NOTE = re.compile(r"[(（]?(长期|中期|年度|实施周期|实施期)[)）]?")
_ROLE_RULES = [(role, re.compile(pattern)) for role, pattern in HEADER_ROLE_RULES]


@lru_cache(maxsize=8192)  # every table of a document repeats its headings
def header_key(text: str) -> str:
    """A column heading cleaned for the role rules (and the total-row words)."""
    return unicodedata.normalize("NFKC", to_simplified(clean_label(text)))


@lru_cache(maxsize=8192)
def header_role(text: str) -> str | None:
    """The role a header cell names, or None; the horizon note "(长期)" does not count."""
    key = _HORIZON_NOTE.sub("", header_key(text)) or header_key(text)
    return next((role for role, pattern in _ROLE_RULES if pattern.search(key)), None)


def header_horizon(text: str) -> str | None:
    key = header_key(text)
    return next((h for word, h in HORIZON_WORDS if word in key), None)
