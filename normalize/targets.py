"""Parse one 指标值 (target value) cell of a 绩效目标表 into a canonical ``Target``.

The grammar, in the order it is tried on the normalized text:

1. dates and periods ("2023年12月前", "2024年3月-9月")  -> qualitative, kind 'date'/'period'
2. one number: [operator] [verb] number [magnitude] [unit] [suffix operator]
   ("≥4.6万", "不低于90%", "3天（含）以内", "最多等待2天")    -> kind 'number'
3. a range: number [unit] separator number [unit]         -> op 'between', kind 'range'
   After an Arabic number, a short word units.txt does not list is still read as the unit
   printed ("≥35村", "650元/户/年"), with a warning (see ``_guess_unit``).
4. if none matched, OCR repairs ("二100%", "≥9O%") and the grammar again, with a warning
5. anything else is a qualitative judgement (kind 'text'); it carries a warning only when
   it looked like a number ("≥", "≥9.5.1%") and could not be read.

Values are computed with Decimal and converted to float once at the end, so magnitude
words fold exactly ("0.57万" -> 5700.0). Everything is precompiled at import: the
benchmark (bench/bench_targets.py) parses 100k distinct targets in well under 2 s.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from .text import to_simplified_uncached

__all__ = ["UNITS", "UNITS_FILE", "Target", "parse_target", "read_units"]


@dataclass(frozen=True, slots=True)
class Target:
    """One parsed target; qualitative targets have op, value and unit None."""

    raw: str                 # the text exactly as given
    op: str | None           # '>=', '<=', '>', '<', '=', 'between'; None when qualitative
    value: float | None      # None when qualitative
    value_max: float | None  # only for 'between'
    unit: str | None         # None when there is no unit
    qualitative: bool
    kind: str                # 'number' | 'range' | 'text' | 'date' | 'period'
    warning: str | None      # text looked numeric but was not read cleanly, or OCR was repaired


# --------------------------------------------------------------------------- normalization

# NFKC already folds full-width forms (＞＝ -> >=, ９５ -> 95, ％ -> %, （含） -> (含));
# these are the variants it leaves alone.
_VARIANTS = str.maketrans({
    "≧": "≥", "⩾": "≥", "≮": "≥",   # ≮ "not less than"
    "≦": "≤", "⩽": "≤", "≯": "≤",   # ≯ "not greater than"
    "≒": "≈",
    "〜": "~", "–": "-", "−": "-", "‐": "-",
    # a range's dash comes in every width: 18‒54, 18―54, 18⸺54, 18─54 (box drawing, from OCR)
    "‒": "-", "―": "-", "⸺": "-", "⸻": "-", "─": "-",
    "﹪": "%",
})


_VARIANT = re.compile("[" + re.escape("".join(map(chr, _VARIANTS))) + "]")
# OpenCC changes no character below the CJK blocks: most targets need no conversion
_FIRST_CJK = "\u3400"


def _normalize(text: str) -> str:
    """Full-width and variant forms folded, Traditional to Simplified (≥8場 -> ≥8场), all
    whitespace removed ("=2 个" -> "=2个")."""
    text = unicodedata.normalize("NFKC", text)
    if text and max(text) >= _FIRST_CJK:
        text = to_simplified_uncached(text)
    if _VARIANT.search(text):
        text = text.translate(_VARIANTS)
    return "".join(text.split())


# --------------------------------------------------------------------------- operators

_SYMBOL_OPS = {
    "≥": ">=", ">=": ">=", "≥=": ">=", "=>": ">=",
    "≤": "<=", "<=": "<=", "≤=": "<=", "=<": "<=",
    ">": ">", "<": "<", "=": "=", "==": "=", "≈": "=",
}
_WORD_OPS = {
    **dict.fromkeys(
        ["不低于", "不少于", "不小于", "大于等于", "大于或等于", "高于或等于", "至少", "最少",
         "达到", "不得低于", "不得少于"], ">="),
    **dict.fromkeys(
        ["不高于", "不超过", "不多于", "不大于", "小于等于", "小于或等于", "低于或等于", "最多",
         "至多", "控制在", "不得超过", "不得高于"], "<="),
    **dict.fromkeys(["大于", "高于", "超过", "多于", "超出"], ">"),
    **dict.fromkeys(["小于", "低于", "少于"], "<"),
    # approximations are read as equality
    **dict.fromkeys(["等于", "为", "约", "约为", "大约"], "="),
}
_PREFIX_OPS = {**_SYMBOL_OPS, **_WORD_OPS}
# after a number: 以上 / 以下 include the bound itself (Chinese legal usage); 内 = within
_SUFFIX_OPS = {"以上": ">=", "以下": "<=", "以内": "<=", "之内": "<=", "内": "<="}
# a verb between operator and number carries no meaning of its own: 最多等待2天, 完成100%
_VERBS = ["跑", "完成", "实现", "开展", "举办", "组织", "召开"]
_DIRECTION = {">=": 1, ">": 1, "<=": -1, "<": -1, "=": 0}


def _alternation(words) -> str:
    # longest first, so that 大于等于 wins over 大于 and 个工作日 over 个
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# --------------------------------------------------------------------------- units

UNITS_FILE = Path(__file__).with_name("units.txt")

# Magnitude words fold into the value. Only these fold when they start a listed unit
# (万元 -> 元); 千 does not, because 千米, 千克, 千瓦 are units of their own.
_FOLDING = {"万亿": Decimal(10) ** 12, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6,
            "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4}
_MAGNITUDES = sorted({**_FOLDING, "千": Decimal(1000)}.items(), key=lambda kv: -len(kv[0]))
_UNIT_ALIASES = {"百分比": "%", "百分率": "%"}
# what a 度量单位 cell holds when there is no unit
_NO_UNIT = {"", "-", "--", "—", "/", "无", "空"}


def read_units(path: Path = UNITS_FILE) -> list[str]:
    """The entries of a units file, in file order, without comments."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split(" #", 1)[0].strip()
        if entry and not entry.startswith("#"):
            entries.append(_normalize(entry))
    return entries


def _fold_units(entries: list[str]) -> frozenset[str]:
    units = set()
    for entry in entries:
        magnitude = next((m for m in _FOLDING if entry.startswith(m) and entry != m), "")
        units.add(entry[len(magnitude):])
    return frozenset(units)


UNITS = _fold_units(read_units())


_COMPOUND = re.compile(r"[/·]")


def _is_unit(text: str) -> bool:
    if text in UNITS:
        return True
    # compounds of listed units: 件/年, 元/人/月, 元/人·年
    parts = _COMPOUND.split(text)
    return len(parts) > 1 and all(part in UNITS for part in parts)


def is_unit_cell(text: str) -> bool:
    """A cell holding a unit of measure alone: 人次, 万元, %, 元/人."""
    return _is_unit(_normalize(text))


def is_operator_cell(text: str) -> bool:
    """A cell holding an operator alone (≥, 不低于) or a 指标性质 word (定性, 正向)."""
    text = _normalize(text)
    return text in _PREFIX_OPS or text.startswith(("定性", "定量", "正向", "反向"))


def _split_unit(body: str) -> tuple[Decimal | None, str | None] | None:
    """Text after a number -> (magnitude factor, unit); None when it is not a unit."""
    if not body:
        return None, None
    body = _UNIT_ALIASES.get(body, body)
    if _is_unit(body):
        return None, body
    for word, factor in _MAGNITUDES:
        if body.startswith(word):
            rest = _UNIT_ALIASES.get(body[len(word):], body[len(word):])
            if not rest or _is_unit(rest):
                return factor, rest or None
    return None


# A unit units.txt does not list is still a unit when it is shaped like one: parts joined by
# / · * ×, each a listed unit, a word of at most two CJK characters (村, 周岁) or a few ASCII
# letters (mg/L), or a listed one-character measure word before such a word (个乡镇, 名学员);
# and no function word that makes it a phrase ("3天后", "3000多人", "90%的企业"). Longer
# words ("24小时值守", "5个行政村") are read as prose. Only Arabic numbers take such a unit:
# Chinese numerals also start ordinary words (一般, 百姓满意).
_UNIT_PARTS = re.compile(r"[/·*×]")
_UNIT_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{1,2}|[A-Za-z]{1,4}")
_PHRASE_CHARS = frozenset("的前后内外余多约以及或至到和与之")
# listed one-character units that measure time or a grade rather than count things: after
# them a word is a phrase ("3年有效", "90分合格")
_NOT_COUNTING = frozenset("天日月周年时秒分级星倍度")
_FOLDING_FIRST = sorted(_FOLDING.items(), key=lambda kv: -len(kv[0]))


def _unit_shaped(text: str) -> bool:
    if not text or _PHRASE_CHARS.intersection(text):
        return False
    return all(_is_unit_part(part) for part in _UNIT_PARTS.split(text))


def _is_unit_part(part: str) -> bool:
    if part in UNITS or _UNIT_WORD.fullmatch(part):
        return True
    measure, word = part[:1], part[1:]
    return (measure in UNITS and measure not in _NOT_COUNTING and bool(_CJK.fullmatch(measure))
            and 1 <= len(word) <= 2 and bool(_CJK.fullmatch(word[0])) and word.isalpha())


def _guess_unit(body: str) -> tuple[Decimal | None, str] | None:
    """(magnitude factor, unit) of an unlisted unit word; None when the text is not one.

    A magnitude folds as it does before a listed unit (550万粒 -> 5500000 粒); one with no unit
    after it stays in the printed unit (620万/月 -> 620 万/月), as 千 does (5千卡)."""
    for word, factor in _FOLDING_FIRST:
        if body.startswith(word) and _unit_shaped(body[len(word):]):
            return factor, body[len(word):]
    return (None, body) if _unit_shaped(body) else None


# --------------------------------------------------------------------------- numbers

_ARABIC = r"\d+(?:,\d{3})+(?:\.\d+)?|\d*\.\d+|\d+"
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
              "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7,
              "八": 8, "捌": 8, "九": 9, "玖": 9}
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_CN_CHARS = "".join([*_CN_DIGITS, *_CN_SMALL])
# a Chinese numeral never starts with 万/亿 (万元 alone is not a number)
_CN = f"[{_CN_CHARS}][{_CN_CHARS}万亿]*"
_MAX_DIGITS = 24  # longer numbers are not targets, and would outgrow Decimal's precision
_MAX_LENGTH = 64  # the longest real targets ("2023年1月1日至2023年12月31日前完成") are ~25


def _cn_value(text: str) -> int | None:
    """两 -> 2, 十二 -> 12, 一万二千 -> 12000; None for a bare digit run such as 三五."""
    if len(text) > _MAX_DIGITS or (len(text) > 1 and all(c in _CN_DIGITS for c in text)):
        return None
    total = section = digit = 0
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_SMALL:
            section += (digit or 1) * _CN_SMALL[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * _CN_BIG[char]
            section = digit = 0
        else:  # 亿 scales everything before it
            total = (total + section + digit) * _CN_BIG[char]
            section = digit = 0
    return total + section + digit


def _float(number: Decimal, factor: Decimal | None) -> float:
    # the only conversion to float: exact decimal scaling first ("0.57万" -> 5700.0)
    return float(number * factor if factor else number)


def _decimal(token: str) -> Decimal | None:
    if _is_arabic(token):
        digits = token.replace(",", "")
        return Decimal(digits) if len(digits) <= _MAX_DIGITS else None
    value = _cn_value(token)
    return None if value is None else Decimal(value)


# --------------------------------------------------------------------------- grammar

_PRE = rf"(?P<pre>{_alternation(_PREFIX_OPS)})?(?:{_alternation(_VERBS)})?"
_INCL = r"(?:\(含[^()]*\))?"  # (含), (含本数), (含90%)
_SUFFIX = (rf"{_INCL}(?:(?:及其?|或)?(?P<post>{_alternation(_SUFFIX_OPS)}))?{_INCL}"
           r"(?:完成|左右)?")
_SEP = r"-{1,2}|~|—{1,2}|至|到"

_SINGLE = re.compile(
    rf"{_PRE}(?P<pct>百分之|千分之)?(?P<num>[-+]?(?:{_ARABIC})|{_CN})(?P<unit>.*?){_SUFFIX}")
_RANGE = re.compile(
    rf"(?:控制在|在)?(?P<lo>{_ARABIC}|{_CN})(?P<lo_unit>.*?)(?:{_SEP})"
    rf"(?P<hi>{_ARABIC}|{_CN})(?P<unit>.*?)(?:之间|不等)?{_SUFFIX}")

_YEAR = r"(?:19|20)\d{2}"
_QUARTER = r"第?[一二三四1-4]季度"
_FULL_DATE = (rf"{_YEAR}(?:年(?:\d{{1,2}}月(?:\d{{1,2}}日)?|{_QUARTER}|上半年|下半年)?"
              r"|[./-]\d{1,2}(?:[./-]\d{1,2})?)")
_MONTH_DAY = r"\d{1,2}月(?:\d{1,2}日|份|底|末|初|上旬|中旬|下旬)"
_DATE_MARK = (r"(?:底|末|初|中|上旬|中旬|下旬|份)?"
              r"(?:前|之前|以前|前后|止|为止|起|以后|后|内)?(?:完成|完工|结束|实施)?")
_DATE = re.compile(
    rf"(?:截至|截止到|截止|于|在)?(?:{_FULL_DATE}|{_MONTH_DAY}|{_QUARTER}){_DATE_MARK}")
_PERIOD = re.compile(
    rf"(?:{_FULL_DATE}|{_MONTH_DAY})(?:{_SEP})(?:{_FULL_DATE}|\d{{1,2}}月(?:\d{{1,2}}日)?"
    rf"|\d{{1,2}}日){_DATE_MARK}"
    rf"|{_YEAR}年?(?:{_SEP}){_YEAR}年?度?"
    rf"|{_YEAR}年\d{{1,2}}(?:{_SEP})\d{{1,2}}月份?"
    rf"|\d{{1,2}}月?(?:{_SEP})\d{{1,2}}月份?"
    rf"|{_YEAR}年度|{_YEAR}年全年")
_DATEISH = re.compile(r"(?:19|20)\d\d|\d月|季度")  # cheap gate before the date grammar

_OCR_EQUALS = re.compile(r"二(?=\d)")  # "=" printed as 二 before a number: 二100%
_OCR_ZERO = re.compile(r"(?<=\d)[Oo]|[Oo](?=\.?\d)")
_OCR_ONE = re.compile(r"(?<=\d)[lI](?=\d)")

_LEADING_OP = re.compile(_alternation(_PREFIX_OPS))
_AFTER_EVENT = re.compile(r"(?P<event>[\u4e00-\u9fff]{2,12}?)(?:后|之后|起)(?P<limit>.+)")
_TIME_UNITS = frozenset(
    {"天", "日", "个工作日", "工作日", "小时", "分钟", "个月", "月", "周", "个星期", "年"}
)
# round-the-clock service (N*M hours) is a judgement, not a number
_ROUND_THE_CLOCK = re.compile(r"\d+[*×xX]\d+(?:小时|h|天)?")
_CJK = re.compile(r"[\u3400-\u9fff]")
_DIGIT = re.compile(r"\d")


# --------------------------------------------------------------------------- parsing

class _Cells(NamedTuple):
    """What split layouts put in other columns: 指标性质 (nature) and 度量单位 (unit)."""

    op: str | None
    qualitative: bool
    factor: Decimal | None
    unit: str | None


def _read_cells(nature: str | None, unit: str | None) -> _Cells:
    if not nature and not unit:
        return _NO_CELLS  # the common case: the target's own cell says it all
    qualitative, op = False, None
    if nature:
        nature = _normalize(nature)
        qualitative = nature.startswith("定性")
        if nature.startswith("正向"):
            op = ">="
        elif nature.startswith("反向"):
            op = "<="
        else:
            op = _PREFIX_OPS.get(nature)
    factor, cell_unit = None, None
    unit = _normalize(unit) if unit else ""
    if unit not in _NO_UNIT:
        # a dedicated unit cell is trusted even when its unit is not listed
        factor, cell_unit = _split_unit(unit) or (None, unit)
    return _Cells(op, qualitative, factor, cell_unit)


_NO_CELLS = _Cells(None, False, None, None)


def _qualitative(raw: str, kind: str = "text", warning: str | None = None) -> Target:
    return Target(raw, None, None, None, None, True, kind, warning)


def _combine_ops(pre: str | None, post: str | None,
                 default: str | None) -> tuple[str, str | None]:
    """Operator from the prefix and the suffix ("达到90%以上"); returns (op, warning)."""
    pre_op, post_op = _PREFIX_OPS.get(pre or ""), _SUFFIX_OPS.get(post or "")
    if post_op is None or pre_op == post_op:
        return pre_op or default or "=", None
    if pre_op is None or pre_op == "=":
        return post_op, None
    if _DIRECTION[pre_op] != _DIRECTION[post_op]:
        return pre_op, f"conflicting operators {pre!r} and {post!r}"
    return pre_op, None


_Sized = tuple[Decimal | None, str | None]  # (magnitude factor, unit)


def _sized(unit_text: str, cells: _Cells) -> _Sized | None:
    """(magnitude factor, unit) of the text after a number; None when it is not a unit.

    The 度量单位 cell fills in only when the text has no unit of its own."""
    split = _split_unit(unit_text)
    if split is None or split[1] is not None:
        return split
    # "3.8万" with a 万元 cell is 3.8万 元, not 3.8亿
    return split[0] or cells.factor, cells.unit


def _is_arabic(number: str) -> bool:
    return number[0] in "0123456789.+-"


def _sized_or_guessed(number: str, unit_text: str,
                      cells: _Cells) -> tuple[_Sized | None, str | None]:
    """``_sized``, else an unlisted unit word after an Arabic number, with a warning unless
    the 度量单位 cell prints the same unit; returns ((factor, unit) or None, warning)."""
    sized = _sized(unit_text, cells)
    if sized is not None or not _is_arabic(number):
        return sized, None
    guessed = _guess_unit(unit_text)
    if guessed is None:
        return None, None
    if cells.unit in (guessed[1], unit_text):
        return guessed, None
    return guessed, f"unit not in the units list: {guessed[1]!r}"


def _percent(word: str, unit_text: str) -> _Sized | None:
    """百分之九十 -> 90 %, 千分之五 -> 5 ‰ (a trailing % is tolerated, any other unit is not)."""
    percent = "%" if word == "百分之" else "‰"
    return (None, percent) if unit_text in ("", percent) else None


def _read_single(raw: str, text: str, cells: _Cells) -> Target | None:
    match = _SINGLE.fullmatch(text)
    if match is None:
        return None
    number, pct, unit_text = _decimal(match["num"]), match["pct"], match["unit"]
    if pct:
        sized, unit_warning = _percent(pct, unit_text), None
    else:
        sized, unit_warning = _sized_or_guessed(match["num"], unit_text, cells)
    if number is None or sized is None:
        return None
    factor, unit = sized
    op, warning = _combine_ops(match["pre"], match["post"], cells.op)
    warning = "; ".join(filter(None, [unit_warning, warning])) or None
    return Target(raw, op, _float(number, factor), None, unit, False, "number", warning)


def _read_range(raw: str, text: str, cells: _Cells) -> Target | None:
    match = _RANGE.fullmatch(text)
    if match is None:
        return None
    lo, hi = _decimal(match["lo"]), _decimal(match["hi"])
    lo_sized = _split_unit(match["lo_unit"])
    if lo_sized is None and _is_arabic(match["lo"]):
        lo_sized = _guess_unit(match["lo_unit"])
    hi_sized, warning = _sized_or_guessed(match["hi"], match["unit"], cells)
    if lo is None or hi is None or lo_sized is None or hi_sized is None:
        return None
    (lo_factor, lo_unit), (hi_factor, unit) = lo_sized, hi_sized
    if lo_unit not in (None, unit):
        return None
    if not match["lo_unit"] and lo <= hi:
        lo_factor = hi_factor  # "3-5万" is 3万-5万, but "5000-1万" is 5000-10000
    low, high = _float(lo, lo_factor), _float(hi, hi_factor)
    if low > high:
        low, high = high, low
        warning = "; ".join(filter(None, [warning, "range bounds were reversed"]))
    return Target(raw, "between", low, high, unit, False, "range", warning)


def _date_kind(text: str) -> str | None:
    if _DATEISH.search(text) is None:
        return None
    if _PERIOD.fullmatch(text):
        return "period"
    if _DATE.fullmatch(text):
        return "date"
    return None


def _classify(raw: str, text: str, cells: _Cells) -> Target | None:
    kind = _date_kind(text)
    if kind:
        return _qualitative(raw, kind)
    if cells.qualitative:
        return _qualitative(raw)
    return (
        _read_single(raw, text, cells)
        or _read_range(raw, text, cells)
        or _read_deadline(raw, text, cells)
    )


def _read_deadline(raw: str, text: str, cells: _Cells) -> Target | None:
    """A time limit counted from an event: "验收合格后17个工作日内" is (<=, 17, 个工作日).
    Only a limit (内/以内) in a unit of time counts; other text after 后 stays a judgement."""
    match = _AFTER_EVENT.fullmatch(text)
    if match is None:
        return None
    target = _read_single(raw, match.group("limit"), cells)
    if target is None or target.op != "<=" or target.unit not in _TIME_UNITS:
        return None
    return target


def _ocr_repair(text: str) -> tuple[str, list[str]]:
    notes = []
    if _OCR_EQUALS.match(text):
        text = "=" + text[1:]
        notes.append("OCR repair: leading '二' read as '='")
    for pattern, digit, letters in ((_OCR_ZERO, "0", "O"), (_OCR_ONE, "1", "l/I")):
        repaired = pattern.sub(digit, text)
        if repaired != text:
            text = repaired
            notes.append(f"OCR repair: letter {letters} read as {digit}")
    return text, notes


def _looks_numeric(text: str) -> bool:
    """Whether unreadable text was meant as a number (and so deserves a warning).

    "≥" or "不低于" alone, "≥%", "≥9.5.1%", "1.2.3" were; "≤预算数" (a comparison with words),
    round-the-clock service ("5*8小时") and prose that mentions a number ("一次发放5套资料,…")
    were not."""
    if _ROUND_THE_CLOCK.fullmatch(text):
        return False
    op = _LEADING_OP.match(text)
    rest = text[op.end():] if op else text
    if op and not rest:
        return True
    has_digit, has_words = bool(_DIGIT.search(rest)), bool(_CJK.search(rest))
    if op and op.group() in _SYMBOL_OPS:
        return has_digit or not has_words
    return has_digit and not has_words


def _read_target(raw: str, text: str, cells: _Cells) -> Target | None:
    """The grammar on the text, then once more after OCR repairs; None if neither reads."""
    target = _classify(raw, text, cells)
    if target is not None:
        return target
    repaired, notes = _ocr_repair(text)
    target = _classify(raw, repaired, cells) if notes else None
    if target is None:
        return None
    return replace(target, warning="; ".join([*notes, *filter(None, [target.warning])]))


def parse_target(text: str, nature: str | None = None, unit: str | None = None) -> Target:
    """Parse a 指标值 cell; ``nature`` and ``unit`` are the 指标性质 / 度量单位 cells of
    split layouts (used only where the value text itself has no operator / unit)."""
    text_n = _normalize(text)
    # over-long cells are prose; the cap also bounds the regexes' backtracking
    if 0 < len(text_n) <= _MAX_LENGTH:
        target = _read_target(text, text_n, _read_cells(nature, unit))
        if target is not None:
            return target
    if text_n and _looks_numeric(text_n):
        shown = text_n if len(text_n) <= 40 else text_n[:40] + "…"
        return _qualitative(text, warning=f"looks numeric but could not be read: {shown!r}")
    return _qualitative(text)
