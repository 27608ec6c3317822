"""Checks an auditor runs on one table: table -> CheckRecords, pure.

Each rule is a small function over a TableRecord yielding Findings; RULES registers it with its
id, severity and bilingual message (docs/checks.md gives each rule's source). Evidence quotes
what was printed: the header values' cell text (the table's `fields`), targets as printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby

from .assemble import LOW_CONFIDENCE
from .records import CheckRecord, IndicatorRecord, TableRecord
from .targets import UNITS
from .vocabulary import LEVEL1, LEVEL2_ALIASES, LEVEL2_PARENT, clean_label, is_level_name

__all__ = ["DOUBTED_READING", "REPORTS", "RULES", "SEVERITIES", "SURE_READING", "Finding", "Rule",
           "achievement", "check_table", "doubts_reading", "weigh_doubts"]

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)

CENT_WAN = 1e-6  # one cent in 万元
FORM_TOTAL = 100.0
# a self-evaluation prints the budget execution line with 10 of the 100 points
SELF_EVALUATION_TOTALS = (FORM_TOTAL, FORM_TOTAL - 10)
REQUIRED_LEVEL1 = {"产出指标": "output", "效益指标": "outcome", "满意度指标": "satisfaction"}
COST_LEVEL2 = {"成本指标", "经济成本指标"}  # 社会/生态环境成本 need not be money
TIME_UNITS = ("秒", "分钟", "小时", "天", "日", "工作日", "周", "星期", "月", "季度", "年")
# a rate of growth or change may pass 100%; a share of a whole may not
GROWTH_WORDS = ("增", "提高", "提升", "上升", "同比", "环比", "变化", "比上年", "超")
NUMERIC_NAME_ENDINGS = ("率", "数", "数量", "人次", "次数", "金额", "面积", "占比", "比例")
MET_WORDS = ("已完成", "完成", "达成预期", "达到预期", "已达到", "已达成", "达标")
NOT_MET_WORDS = ("未完成", "未达", "没有完成", "未按期")

_RATE_NAME = re.compile(r"率\s*(?:[(（]?%[)）]?)?$")  # 及时率, 及时率%, 及时率（%）
_LEVEL1_SCORE = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_FUNDS_LABELS = {
    "funds_total_wan": "年度资金总额",
    "funds_fiscal_wan": "财政拨款",
    "funds_other_wan": "其他资金",
    "funds_midterm_wan": "中期资金总额",
    "budget_full_year_wan": "全年预算数",
    "budget_executed_wan": "全年执行数",
    "execution_rate": "执行率",
}


@dataclass
class Finding:
    """What a rule found: the row (None for the table) and the printed values it compared;
    `params` fill the rule's message."""

    seq: int | None
    evidence: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    rule: str
    severity: str
    zh: str
    en: str
    find: Callable[[TableRecord], Iterable[Finding]]

    def message(self, params: dict[str, str]) -> str:
        return f"{self.zh.format(**params)} | {self.en.format(**params)}"


def check_table(table: TableRecord) -> list[CheckRecord]:
    """Every rule on one table; table-level rows first, then by indicator, rules in RULES order."""
    locators = {i.seq: i.locator for i in table.indicators}
    records = [
        CheckRecord(
            table_id=table.table_id, year=table.year, seq=found.seq, rule=rule.rule,
            severity=rule.severity, message=rule.message(found.params), evidence=found.evidence,
            locator=locators.get(found.seq, table.locator) if found.seq else table.locator,
        )
        for rule in RULES
        for found in rule.find(table)
    ]
    return sorted(records, key=lambda r: (r.seq is not None, r.seq or 0))


# --------------------------------------------------------------------------- evidence


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def printed(table: TableRecord, name: str) -> str:
    """A header value as printed in its cell, else the value read, else — (not printed)."""
    for f in table.fields:
        if f.field == name:
            return f.raw
    return _num(getattr(table, name))


def _funds_evidence(table: TableRecord, *names: str) -> str:
    return "; ".join(f"{_FUNDS_LABELS[n]}: {printed(table, n)}" for n in names)


def _target_evidence(ind: IndicatorRecord) -> str:
    return f"{ind.level3}: {ind.target_raw or '—'}"


def _cents(wan: float) -> int:
    return round(wan / CENT_WAN)


# --------------------------------------------------------------------------- funds


def funds_sum(table: TableRecord) -> Iterator[Finding]:
    total, fiscal, other = table.funds_total_wan, table.funds_fiscal_wan, table.funds_other_wan
    if total is None or fiscal is None:  # a form that prints no 其他资金 line has none
        return
    if _cents(total) != _cents(fiscal or 0.0) + _cents(other or 0.0):
        names = ("funds_total_wan", "funds_fiscal_wan", "funds_other_wan")
        yield Finding(None, _funds_evidence(table, *names))


def midterm_below_annual(table: TableRecord) -> Iterator[Finding]:
    total, midterm = table.funds_total_wan, table.funds_midterm_wan
    if total is not None and midterm is not None and _cents(midterm) < _cents(total):
        yield Finding(None, _funds_evidence(table, "funds_midterm_wan", "funds_total_wan"))


def execution_rate(table: TableRecord) -> Iterator[Finding]:
    budget, executed, rate = (
        table.budget_full_year_wan, table.budget_executed_wan, table.execution_rate
    )
    if not budget or executed is None or rate is None:
        return
    # the rate as printed is rounded: half a unit of its last printed digit is no difference
    tolerance = 0.5 * 10 ** -_decimals(printed(table, "execution_rate"))
    if abs(100 * executed / budget - rate) > tolerance:
        names = ("budget_executed_wan", "budget_full_year_wan", "execution_rate")
        yield Finding(None, _funds_evidence(table, *names))


def _decimals(text: str) -> int:
    match = re.search(r"\d+(?:\.(\d+))?", text)
    return len(match.group(1) or "") if match else 0


def score_within_weight(table: TableRecord) -> Iterator[Finding]:
    for ind in table.indicators:
        if ind.score is None or ind.weight is None:
            continue
        if ind.score < 0 or ind.score > ind.weight + 1e-9:
            yield Finding(ind.seq, f"{ind.level3}: 分值 {_num(ind.weight)}; 得分 {_num(ind.score)}")


# --------------------------------------------------------------------------- scores and weights


def _one_place(table: TableRecord) -> list[IndicatorRecord]:
    """The annual rows, each once: a per-place table repeats its rows for every place."""
    places = [i.place for i in table.indicators]
    first = places[0] if places else None
    return [i for i in table.indicators if i.horizon == "annual" and i.place == first]


def weights_total(table: TableRecord) -> Iterator[Finding]:
    weights = [i.weight for i in _one_place(table) if i.weight is not None]
    if not weights:
        return
    totals = SELF_EVALUATION_TOTALS if table.table_kind == "self_evaluation" else (FORM_TOTAL,)
    total = sum(weights)
    if all(abs(total - t) > 1e-6 for t in totals):
        expected = " / ".join(_num(t) for t in totals)
        evidence = f"分值 {' + '.join(_num(w) for w in weights)} = {_num(total)}"
        yield Finding(None, evidence, {"total": _num(total), "expected": expected})


def level1_score_sum(table: TableRecord) -> Iterator[Finding]:
    for level1, rows in groupby(_one_place(table), key=lambda i: i.level1):
        match = _LEVEL1_SCORE.search(level1 or "")
        weights = [i.weight for i in rows if i.weight is not None]
        if not match or not weights:
            continue
        total = sum(weights)
        if abs(total - float(match.group(1))) > 1e-6:
            evidence = f"{level1}: {' + '.join(_num(w) for w in weights)} = {_num(total)}"
            yield Finding(None, evidence, {"level1": level1 or ""})


# --------------------------------------------------------------------------- completeness


def level1_missing(table: TableRecord) -> Iterator[Finding]:
    present = {i.level1_std for i in table.indicators if i.level1_std}
    if not present:  # a flat list prints no levels: nothing to tell
        return
    for name, english in REQUIRED_LEVEL1.items():
        if name not in present:
            evidence = "一级: " + ", ".join(sorted(present))
            yield Finding(None, evidence, {"level1": name, "level1_en": english})


# the header fields each kind of form prints (财预〔2015〕88号, 财预〔2020〕10号): a table read
# without one lost its header block, or its value was read as something else
REQUIRED_FIELDS = {
    "project_target": (("project_name", "项目名称"), ("annual_goal", "年度目标")),
    "self_evaluation": (("project_name", "项目名称"),),
    "department_overall": (("department", "部门名称"),),
}


def header_field_missing(table: TableRecord) -> Iterator[Finding]:
    for name, label in REQUIRED_FIELDS.get(table.table_kind, ()):
        if getattr(table, name) in (None, ""):
            yield Finding(None, f"{label}: —", {"label": label, "field": name})


def level2_misplaced(table: TableRecord) -> Iterator[Finding]:
    seen = set()
    for ind in table.indicators:
        parent = LEVEL2_PARENT.get(ind.level2_std or "")
        pair = (ind.level1, ind.level2)
        if ind.level1_std is None or parent is None or pair in seen:
            continue
        cost_block = ind.level1_std == "成本指标" and ind.level2_std == "成本指标"
        if parent != ind.level1_std and not cost_block:
            seen.add(pair)
            yield Finding(ind.seq, f"一级: {ind.level1 or '—'}; 二级: {ind.level2}",
                          {"level2": ind.level2_std or "", "parent": parent})


def no_target(table: TableRecord) -> Iterator[Finding]:
    for ind in table.indicators:
        if ind.place is None and not (ind.target_raw or "").strip():
            yield Finding(ind.seq, _target_evidence(ind))


def duplicate_level3(table: TableRecord) -> Iterator[Finding]:
    first: dict[tuple, int] = {}
    for ind in table.indicators:
        key = (ind.horizon, ind.place, ind.level3_clean)
        if not ind.level3_clean:
            continue
        if key in first:
            yield Finding(ind.seq, f"{ind.level3}: seq {first[key]}, {ind.seq}")
        else:
            first[key] = ind.seq


# --------------------------------------------------------------------------- plausibility


def _is_rate(ind: IndicatorRecord) -> bool:
    return _RATE_NAME.search(ind.level3_clean) is not None


def _is_percent(unit: str | None) -> bool:
    """A percent sign, also as a unit column prints it: %(百分比)."""
    return unit is not None and (unit.startswith("%") or "百分" in unit)


def rate_unit(table: TableRecord) -> Iterator[Finding]:
    for ind in table.indicators:
        if _is_rate(ind) and not ind.qualitative and ind.unit and not _is_percent(ind.unit):
            yield Finding(ind.seq, _target_evidence(ind))


def rate_above_100(table: TableRecord) -> Iterator[Finding]:
    for ind in table.indicators:
        share = _is_rate(ind) or "满意度" in ind.level3_clean
        growth = any(word in ind.level3_clean for word in GROWTH_WORDS)
        high = max(ind.value or 0.0, ind.value_max or 0.0) > FORM_TOTAL
        if share and not growth and _is_percent(ind.unit) and high:
            yield Finding(ind.seq, _target_evidence(ind))


def _is_time(ind: IndicatorRecord) -> bool:
    if ind.target_kind in ("date", "period"):
        return True
    return ind.unit is not None and ind.unit.split("/")[0].endswith(TIME_UNITS)


def timeliness_not_time(table: TableRecord) -> Iterator[Finding]:
    # the guidance words 时效指标 as 完成时间 or as 及时率: a rate is a proper target too
    for ind in table.indicators:
        rate = _is_rate(ind) and (not ind.unit or _is_percent(ind.unit))
        if ind.level2_std == "时效指标" and ind.target_raw and not (_is_time(ind) or rate):
            yield Finding(ind.seq, _target_evidence(ind))


def cost_not_money(table: TableRecord) -> Iterator[Finding]:
    for ind in table.indicators:
        money = ind.unit is not None and "元" in ind.unit
        if ind.level2_std in COST_LEVEL2 and ind.target_raw and not money:
            yield Finding(ind.seq, _target_evidence(ind))


def satisfaction_not_percent(table: TableRecord) -> Iterator[Finding]:
    for ind in table.indicators:
        satisfaction = "满意度指标" in (ind.level1_std, LEVEL2_PARENT.get(ind.level2_std or ""))
        bare_number = ind.value is not None and not ind.unit  # the % left to the header
        if satisfaction and ind.target_raw and not (_is_percent(ind.unit) or bare_number):
            yield Finding(ind.seq, _target_evidence(ind))


def qualitative_numeric_name(table: TableRecord) -> Iterator[Finding]:
    for ind in table.indicators:
        numeric_name = ind.level3_clean.endswith(NUMERIC_NAME_ENDINGS)
        if numeric_name and ind.target_kind == "text" and (ind.target_raw or "").strip():
            yield Finding(ind.seq, _target_evidence(ind))


# --------------------------------------------------------------------------- self-evaluation


def achievement(ind: IndicatorRecord) -> tuple[str, str]:
    """(met | exceeded | not_met | not_comparable, why) of a self-evaluation's row."""
    actual = (ind.actual_raw or "").strip()
    if not actual:
        return "not_comparable", "no actual value printed"
    if actual == (ind.target_raw or "").strip():
        return "met", "actual printed as the target"
    if ind.qualitative or ind.value is None:
        return _judged(actual)
    if ind.actual_value is None:
        return _judged(actual)
    if ind.unit and ind.actual_unit and ind.unit != ind.actual_unit:
        return "not_comparable", f"units differ: {ind.unit}, {ind.actual_unit}"
    return _compared(ind.op, ind.value, ind.value_max, ind.actual_value)


def _judged(actual: str) -> tuple[str, str]:
    if any(word in actual for word in NOT_MET_WORDS):
        return "not_met", "actual says not done"
    if any(word in actual for word in MET_WORDS):
        return "met", "actual says done"
    return "not_comparable", "qualitative target or actual"


def _compared(op: str | None, value: float, value_max: float | None, actual: float):
    if op == "between" and value_max is not None:
        ok = value <= actual <= value_max
        return ("met", "within the range") if ok else ("not_met", "outside the range")
    if op in ("<=", "<"):
        ok = actual <= value if op == "<=" else actual < value
        return ("met", f"actual {_num(actual)} {op} {_num(value)}") if ok else (
            "not_met", f"actual {_num(actual)} above {_num(value)}")
    if actual < value or (op == ">" and actual == value):
        return "not_met", f"actual {_num(actual)} below {_num(value)}"
    if actual > value and op != ">":
        return "exceeded", f"actual {_num(actual)} above {_num(value)}"
    return "met", f"actual {_num(actual)} {op or '='} {_num(value)}"


def _evaluated(table: TableRecord) -> Iterator[tuple[IndicatorRecord, str, str]]:
    if table.table_kind != "self_evaluation":
        return
    for ind in table.indicators:
        yield (ind, *achievement(ind))


def _achievement_rule(outcome: str) -> Callable[[TableRecord], Iterator[Finding]]:
    def find(table: TableRecord) -> Iterator[Finding]:
        for ind, found, why in _evaluated(table):
            if found == outcome:
                yield Finding(ind.seq, _actual_evidence(ind), {"why": why})

    find.__name__ = f"achievement_{outcome}"
    return find


def _actual_evidence(ind: IndicatorRecord) -> str:
    return f"{ind.level3}: 目标 {ind.target_raw or '—'}; 实际 {ind.actual_raw or '—'}"


def achievement_share(table: TableRecord) -> Iterator[Finding]:
    outcomes = [found for _, found, _ in _evaluated(table)]
    comparable = [o for o in outcomes if o != "not_comparable"]
    if not comparable:
        return
    met = sum(o in ("met", "exceeded") for o in comparable)
    evidence = ", ".join(f"{o} {outcomes.count(o)}" for o in sorted(set(outcomes)))
    share = f"{100 * met / len(comparable):.0f}"
    params = {"met": str(met), "of": str(len(comparable)), "pct": share}
    yield Finding(None, evidence, params)


def full_score_not_met(table: TableRecord) -> Iterator[Finding]:
    for ind, found, _ in _evaluated(table):
        full = ind.score is not None and ind.weight is not None and ind.score >= ind.weight
        if found == "not_met" and full:
            evidence = f"{_actual_evidence(ind)}; 分值 {_num(ind.weight)}; 得分 {_num(ind.score)}"
            yield Finding(ind.seq, evidence)


def deviation_reason_missing(table: TableRecord) -> Iterator[Finding]:
    for ind, found, _ in _evaluated(table):
        if found == "not_met" and not (ind.deviation_reason or "").strip():
            yield Finding(ind.seq, _actual_evidence(ind))


# --------------------------------------------------------------------------- reading

# An OCR score is about the chance a character was read right: below this, more than one
# character in twenty may be wrong, which the review is there to catch.
SURE_READING = 0.95
# what a phrase cannot end with: a pause that goes on, an opening bracket or quote, an operator
# still waiting for its number
_OPEN_END = re.compile(r"[、，,;；:：(（\[【《“‘≥≤<>=＜＞＝]$")
_BRACKETS = (("(", ")"), ("（", "）"), ("【", "】"), ("《", "》"), ("[", "]"))
# marks no table prints as text but OCR reads from a tick box, a seal's rim or a speck: shapes,
# symbols and dingbats (★ and ☆ mark section rows and stay), and private-use code points
_STRAY = re.compile(r"[\u25a0-\u2604\u2607-\u27bf\ue000-\uf8ff]")
# dashes a name begins with: no name starts with a dash, but OCR reads the stroke of 一 as one
# (一次性 as --次性)
_LEAD_DASHES = re.compile(r"^[-‐‑–—―－_~～]+(?=\S)")
_LEVEL_NAMES = (*LEVEL1, *LEVEL2_PARENT, *LEVEL2_ALIASES)


def _is_ocr(ind: IndicatorRecord) -> bool:
    return ind.confidence is not None


def _cut(text: str) -> bool:
    text = text.strip()
    unclosed = any(text.count(a) > text.count(b) for a, b in _BRACKETS)
    return bool(_OPEN_END.search(text)) or unclosed


def text_cut(table: TableRecord) -> Iterator[Finding]:
    for ind in table.indicators:
        if _cut(ind.target_raw or "") or _cut(ind.level3 or ""):
            yield Finding(ind.seq, _target_evidence(ind))


@lru_cache(maxsize=4096)  # a table's level cells repeat the same few names
def _truncated_level(text: str | None) -> bool:
    """A printed level that is no vocabulary name but one cut short at either end
    (经济效 of 经济效益指标, 意度指标 of 满意度指标): a cell split or half read."""
    name = clean_label(text or "")
    if not name.removesuffix("指标") or is_level_name(name):
        return False
    return any(n != name and (n.startswith(name) or n.endswith(name)) for n in _LEVEL_NAMES)


def level_truncated(table: TableRecord) -> Iterator[Finding]:
    for ind in table.indicators:
        cut = [t for t in (ind.level1, ind.level2) if t and _truncated_level(t)]
        if cut:
            yield Finding(ind.seq, f"{ind.level3}: " + ", ".join(cut))


def _names_run_together(text: str | None, names: frozenset[str]) -> bool:
    """A printed level that is no vocabulary name but two or more names run together
    (经济效益指标社会效益指标): the cells of two levels read as one. `names` are the vocabulary's
    and the table's own levels: a form naming its levels 产出类, 效益类 prints no 产出类效益类."""
    name = clean_label(text or "")
    if not name or is_level_name(name):
        return False
    ends = {0}  # where a run of whole names can end
    for k in range(1, len(name) + 1):
        if any(name[j:k] in names for j in ends if 0 < k - j < len(name)):
            ends.add(k)
    return len(name) in ends


def levels_run_together(table: TableRecord) -> Iterator[Finding]:
    printed = {clean_label(t) for ind in table.indicators for t in (ind.level1, ind.level2) if t}
    names = frozenset(_LEVEL_NAMES) | printed
    for ind in table.indicators:
        joined = [t for t in (ind.level1, ind.level2) if t and _names_run_together(t, names)]
        if joined:
            yield Finding(ind.seq, f"{ind.level3}: " + ", ".join(joined))


def level_not_read(table: TableRecord) -> Iterator[Finding]:
    """A row with no 一级 (or 二级) where other rows of its table have one: a level cell
    printed centred over its rows, read with the rows under its text only, or a table cut."""
    rows = _one_place(table)
    for role, label in (("level1", "一级"), ("level2", "二级")):
        if not any(getattr(ind, role) for ind in rows):
            continue
        for ind in rows:
            if not getattr(ind, role):
                yield Finding(ind.seq, f"{ind.level3}: {label}", {"level": label})


def level1_not_read_anywhere(table: TableRecord) -> Iterator[Finding]:
    """A scanned table whose rows name their 二级 from the vocabulary (数量指标, 社会效益指标 ...)
    but none its 一级: a form prints the 一级 beside them, in a cell merged down its rows that a
    seal, a faint ruling or a cut grid can keep from being read."""
    rows = [ind for ind in _one_place(table) if _is_ocr(ind)]
    if not rows or any(ind.level1 for ind in rows):
        return
    if not any(LEVEL2_PARENT.get(ind.level2_std or "") for ind in rows):
        return
    for ind in rows:
        yield Finding(ind.seq, f"{ind.level3}: {ind.level2}")


# a number, bare or with a note in brackets after it (95%（上年水平）)
_NUMBER_ONLY = re.compile(r"[0-9.,%．，％\s]+(?:[(（][^()（）]*[)）])?")


def name_is_number(table: TableRecord) -> Iterator[Finding]:
    """A 三级 name that is a number (20, 9.31, 95%（上年水平）): a weight, a score or a target
    read into the names' column, the row's cells shifted across a column."""
    for ind in table.indicators:
        if _NUMBER_ONLY.fullmatch(ind.level3 or ""):
            yield Finding(ind.seq, _target_evidence(ind))


def place_not_a_name(table: TableRecord) -> Iterator[Finding]:
    """A table read as one column of values per place (township, village ...) where a place
    heading is a single character or none: no place is named so, and the headings are the
    pieces of a header cell cut into columns, its rows read once per piece."""
    places = {ind.place for ind in table.indicators if ind.place is not None}
    odd = sorted(p for p in places if len(clean_label(p)) < 2)
    if len(places) < 2 or not odd:
        return
    for ind in table.indicators:
        yield Finding(ind.seq, f"{ind.level3}: {ind.place or '—'}", {"places": " | ".join(odd)})


def _slash_lost(unit: str | None) -> str | None:
    """人/月 for an OCR'd 人月: a listed unit run into a unit of time, where the slash of a rate
    is the thinnest mark on the line; None for anything else. 个 before a unit of time counts
    it (5个工作日) and a unit of time before one names a span (5周年): neither is a rate."""
    if not unit or "/" in unit or "·" in unit:
        return None
    for k in range(1, len(unit)):
        counted, per = unit[:k], unit[k:]
        if counted in UNITS and counted != "个" and counted not in TIME_UNITS and per in TIME_UNITS:
            return f"{unit[:k]}/{unit[k:]}"
    return None


def unit_run_together(table: TableRecord) -> Iterator[Finding]:
    for ind in table.indicators:
        slashed = _slash_lost(ind.unit) if _is_ocr(ind) else None
        if slashed:
            yield Finding(ind.seq, _target_evidence(ind), {"unit": ind.unit or "", "rate": slashed})


def stray_mark(table: TableRecord) -> Iterator[Finding]:
    for ind in table.indicators:
        if not _is_ocr(ind):
            continue
        marks = _LEAD_DASHES.findall(ind.level3) + _STRAY.findall(
            f"{ind.level3}{ind.target_raw or ''}")
        if marks:
            yield Finding(ind.seq, _target_evidence(ind), {"marks": "".join(marks)})


def _merged_level_score(ind: IndicatorRecord, table: TableRecord) -> bool:
    """Whether the row's score is its merged level cell's: another row under the same printed
    一级 or 二级 has exactly that score (two cells of their own rarely do), and that level reads
    as a vocabulary name, so the uncertain reading changed nothing."""
    for name, std in ((ind.level1, ind.level1_std), (ind.level2, ind.level2_std)):
        if name and std and any(o is not ind and _ocr_score(o) == _ocr_score(ind)
                                and name in (o.level1, o.level2) for o in table.indicators):
            return True
    return False


def rate_digits_run_together(table: TableRecord) -> Iterator[Finding]:
    # a share printed as a bare number cannot pass 100: its digits ran together, or a percent
    # sign was read as digits (OCR reads % as 96 or 9/6), as in 9596 for 95%
    for ind in table.indicators:
        share = _is_rate(ind) or "满意度" in ind.level3_clean
        growth = any(word in ind.level3_clean for word in GROWTH_WORDS)
        bare = not ind.unit and not ind.qualitative
        if share and not growth and bare and max(ind.value or 0.0, ind.value_max or 0.0) > 100:
            yield Finding(ind.seq, _target_evidence(ind))


def _ocr_score(ind: IndicatorRecord) -> float | None:
    """The recogniser's lowest score on the row (an output written before `ocr_score` was
    kept has its `confidence`)."""
    return ind.ocr_score if ind.ocr_score is not None else ind.confidence


def ocr_uncertain(table: TableRecord) -> Iterator[Finding]:
    for ind in table.indicators:
        score = _ocr_score(ind)
        if score is None or not LOW_CONFIDENCE <= score < SURE_READING:
            continue
        if not _merged_level_score(ind, table):
            yield Finding(ind.seq, f"{ind.level3}: {score:.2f}", {"confidence": f"{score:.2f}"})


def field_ocr_uncertain(table: TableRecord) -> Iterator[Finding]:
    """A header value OCR read with a score below SURE_READING: a name or an amount misread
    still reads as one."""
    for f in table.fields:
        if f.confidence is not None and f.confidence < SURE_READING:
            yield Finding(None, f"{f.field}: {f.raw} ({f.confidence:.2f})",
                          {"field": f.field, "confidence": f"{f.confidence:.2f}"})


# --------------------------------------------------------------------------- OCR and repairs

SNAPPED = "snapped to vocabulary"


def low_confidence(table: TableRecord) -> Iterator[Finding]:
    for ind in table.indicators:
        score = _ocr_score(ind)
        if score is not None and score < LOW_CONFIDENCE:
            yield Finding(ind.seq, f"{ind.level3}: {score:.2f}", {"confidence": f"{score:.2f}"})


def snapped_label(table: TableRecord) -> Iterator[Finding]:
    for ind in table.indicators:
        snaps = [r for r in ind.repairs if SNAPPED in r]
        if snaps:
            yield Finding(ind.seq, "; ".join(snaps))


def repaired(table: TableRecord) -> Iterator[Finding]:
    for ind in table.indicators:
        repairs = [r for r in ind.repairs if SNAPPED not in r]
        if repairs:
            yield Finding(ind.seq, "; ".join(repairs))


# --------------------------------------------------------------------------- the rules

# Findings that report on the project, not a doubt about the reading: each self-evaluation row's
# achievement and the share met (a row not met whose reason is missing, or whose score is full
# all the same, has a warning of its own). The review queue leaves them out.
REPORTS = frozenset({"achievement_met", "achievement_exceeded", "achievement_not_met",
                     "achievement_not_comparable", "achievement_share"})

RULES: list[Rule] = [
    Rule("funds_sum", ERROR, "年度资金总额不等于财政拨款与其他资金之和",
         "the annual funds total is not fiscal funds plus other funds", funds_sum),
    Rule("midterm_below_annual", ERROR, "中期资金总额低于年度资金总额",
         "the mid-term funds total is below the annual total", midterm_below_annual),
    Rule("execution_rate", ERROR, "执行率不等于全年执行数除以全年预算数",
         "the execution rate is not executed over full-year budget", execution_rate),
    Rule("score_within_weight", ERROR, "得分不在0与分值之间",
         "the score is not between 0 and the weight", score_within_weight),
    Rule("weights_total", ERROR, "分值合计{total}，不等于{expected}",
         "the weights add up to {total}, not {expected}", weights_total),
    Rule("level1_score_sum", ERROR, "{level1}的分值不等于其下指标分值之和",
         "the score printed with {level1} is not the sum of its rows", level1_score_sum),
    Rule("level1_missing", ERROR, "缺少{level1}", "no {level1_en} indicators ({level1})",
         level1_missing),
    Rule("header_field_missing", WARNING, "表头没有读到{label}",
         "no {field} read in the header block ({label})", header_field_missing),
    Rule("level2_misplaced", ERROR, "{level2}不在{parent}下",
         "{level2} is not under {parent}", level2_misplaced),
    Rule("no_target", ERROR, "三级指标没有指标值", "the indicator has no target", no_target),
    Rule("duplicate_level3", WARNING, "同一三级指标在表中出现两次",
         "the same indicator appears twice in the table", duplicate_level3),
    Rule("rate_unit", WARNING, "比率指标的单位不是百分比",
         "a rate whose unit is not a percentage", rate_unit),
    Rule("rate_above_100", WARNING, "比率指标值超过100%",
         "a rate above 100%", rate_above_100),
    Rule("timeliness_not_time", WARNING, "时效指标的指标值不是时间或日期",
         "a timeliness target that is not a time or a date", timeliness_not_time),
    Rule("cost_not_money", WARNING, "成本指标的指标值不是金额",
         "a cost target that is not an amount of money", cost_not_money),
    Rule("satisfaction_not_percent", WARNING, "满意度指标的指标值不是百分比",
         "a satisfaction target that is not a percentage", satisfaction_not_percent),
    Rule("qualitative_numeric_name", WARNING, "指标名称要求数值，指标值却是定性的",
         "the name asks for a number, the target is qualitative", qualitative_numeric_name),
    Rule("achievement_met", INFO, "已达成目标", "met ({why})", _achievement_rule("met")),
    Rule("achievement_exceeded", INFO, "超额完成目标", "exceeded ({why})",
         _achievement_rule("exceeded")),
    Rule("achievement_not_met", WARNING, "未达成目标", "not met ({why})",
         _achievement_rule("not_met")),
    Rule("achievement_not_comparable", INFO, "实际完成值无法与目标比较",
         "not comparable ({why})", _achievement_rule("not_comparable")),
    Rule("achievement_share", INFO, "可比较的{of}项指标中{met}项达成（{pct}%）",
         "{met} of {of} comparable indicators met ({pct}%)", achievement_share),
    Rule("full_score_not_met", WARNING, "目标未达成却得满分",
         "full score though the target was not met", full_score_not_met),
    Rule("deviation_reason_missing", WARNING, "目标未达成却没有偏差原因",
         "the target was not met and no reason is given", deviation_reason_missing),
    Rule("text_cut", WARNING, "指标值或名称在词句中间断开",
         "the target or name breaks off mid-phrase", text_cut),
    Rule("level_truncated", WARNING, "指标级别名称不完整", "a level name cut short",
         level_truncated),
    Rule("levels_run_together", WARNING, "指标级别名称是两个名称连在一起",
         "two level names run together", levels_run_together),
    Rule("level_not_read", WARNING, "该行没有读到{level}指标，表中其他行有",
         "no {level} level read on this row, as other rows of the table have",
         level_not_read),
    Rule("level1_not_read_anywhere", WARNING, "扫描件各行都没有读到一级指标",
         "no row of the scanned table has its 一级 read", level1_not_read_anywhere),
    Rule("name_is_number", WARNING, "三级指标名称是一个数字，单元格可能错列",
         "the 三级 name is a number: the row's cells may be shifted", name_is_number),
    Rule("place_not_a_name", WARNING, "按地区分列的表头不是地名：{places}",
         "the table is read per place, but a place heading is no name: {places}",
         place_not_a_name),
    Rule("unit_run_together", WARNING, "单位{unit}可能是{rate}（斜线未识别）",
         "the unit {unit} may be {rate} (the slash not read)", unit_run_together),
    Rule("stray_mark", WARNING, "OCR读出表格不印的符号{marks}",
         "OCR read a mark tables do not print: {marks}", stray_mark),
    Rule("rate_digits_run_together", WARNING, "比率指标的数值超过100，数字可能连在一起",
         "a rate printed as a number above 100: digits run together?", rate_digits_run_together),
    Rule("ocr_uncertain", INFO, "OCR识别置信度不足0.95（{confidence}）",
         "OCR confidence below 0.95 ({confidence})", ocr_uncertain),
    Rule("field_ocr_uncertain", INFO, "表头{field}的OCR识别置信度不足0.95（{confidence}）",
         "header field {field} read by OCR with a score below 0.95 ({confidence})",
         field_ocr_uncertain),
    Rule("low_confidence", INFO, "OCR识别置信度低（{confidence}）",
         "low OCR confidence ({confidence})", low_confidence),
    Rule("snapped_label", INFO, "指标名称已按词表纠正",
         "a level name was snapped to the vocabulary", snapped_label),
    Rule("repaired", INFO, "该行经过修复", "the row was repaired", repaired),
]


# --------------------------------------------------------------------------- doubt

# repairs that only restate what the table prints elsewhere, no doubt about the row: a page
# turned or straightened, a unit printed in the 三级 name, a 一级 implied by its 二级, a merged
# cell's text carried to the rows it spans, a heading row repeated on the next page
_RESTATED = re.compile(r"page \d+ |unit taken from the 三级 name|level1_std inferred from "
                       r"|merged cell carried |\w+ carried from the row above|repeated header row")
# a 一级 or 二级 whose halves a page break parted: settled when the joined name is a vocabulary name
_JOINED_LEVEL = re.compile(r"(level[12]) joined across page break: ")
# the finding that restates the recogniser's own score when it is low (the row's `ocr_score`,
# already under LOW_CONFIDENCE); a score under SURE_READING (`ocr_uncertain`: more than one
# character in twenty may be misread) is a doubt like any other
_SCORE_RULES = frozenset({"low_confidence"})
# An OCR'd row something doubts (a warning of its own, a check's finding on its reading) is
# read with at most this confidence, under LOW_CONFIDENCE as a cell under a seal is: a
# confidence of SURE_READING or more says the recogniser was sure and nothing else doubts it.
DOUBTED_READING = 0.75


def doubts_reading(check: CheckRecord, row: IndicatorRecord | None) -> bool:
    """Whether a finding asks for a look at what was read: not a report on the project (a
    self-evaluation row's achievement), nor a repair that only restates what the table prints
    (生态效 + 益指标 joined across a page break is a vocabulary name: the join is right)."""
    if check.rule in REPORTS:
        return False
    return check.rule != "repaired" or not all(
        _settled(note.strip(), row) for note in check.evidence.split("; "))


def _settled(note: str, row: IndicatorRecord | None) -> bool:
    if _RESTATED.match(note):
        return True
    joined = _JOINED_LEVEL.match(note)
    return bool(joined and row and is_level_name(getattr(row, joined.group(1)) or ""))


def weigh_doubts(table: TableRecord) -> None:
    """Lower to DOUBTED_READING the confidence of each OCR'd row that carries a warning or a
    finding of `table.checks` doubting its reading, the recogniser's own doubt among them (a
    score under SURE_READING, but for a merged level cell's score `ocr_uncertain` lets pass):
    a row's confidence is SURE_READING or more, or under LOW_CONFIDENCE. `ocr_score` keeps what
    the recogniser said; the checks read it, so they find the same after as before."""
    rows = {ind.seq: ind for ind in table.indicators}
    doubted = {c.seq for c in table.checks if c.seq in rows and c.rule not in _SCORE_RULES
               and doubts_reading(c, rows[c.seq])}
    for ind in table.indicators:
        if ind.confidence is not None and (ind.warnings or ind.seq in doubted):
            ind.confidence = min(ind.confidence, DOUBTED_READING)
