"""Build the layout samples: real-world variants of the 绩效目标表, each with its expected output.

Run from the repository root (``make samples`` does the same)::

    .venv/bin/python samples/make_layout_samples.py

For every layout in ``SAMPLES`` it writes

* ``samples/layouts/<name>.docx``: the tables built with python-docx the way such forms are made
  in Word (real ``w:vMerge`` / ``w:gridSpan`` merges, single borders on every cell, CJK font);
* ``samples/layouts/<name>.pdf``: that DOCX exported by LibreOffice (``soffice`` must be on PATH);
* ``tests/data/layouts/<name>.json``: what a reader must make of either file (format in
  ``tests/data/layouts/README.md``).

Everything printed and everything expected comes from the data below: the printed texts (levels
with their scores and stray spaces, the raw target, nature and unit cells) and, per indicator, the
parse a finance officer reads in it (``ge(95, "%")`` is ``op >=, value 95, unit %``; ``None`` is
a qualitative target). The expected parses are written by hand, never computed by perftab.

The script reads every PDF back with pdfplumber and stops if a table is missing, split over a
page break, or prints other text than intended. Reruns give identical bytes (zip times, document
properties, PDF date and /ID pinned, as in make_samples.py, whose helpers it reuses).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import opencc
import pdfplumber
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from make_samples import (
    TITLE_PT,
    merged,
    money,
    new_document,
    new_table,
    pinned_zip,
    runs_of,
    to_pdf,
)

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "samples" / "layouts"
TRUTH_DIR = ROOT / "tests" / "data" / "layouts"

TABLE_PT = 9  # 小五: the size these forms use inside wide tables
TRADITIONAL_FONT = "Noto Serif CJK TC"
SIGNATURE = "项目责任人：          单位（盖章）："

_S2T = opencc.OpenCC("s2t")
_T2S = opencc.OpenCC("t2s")
# s2t reads 资金发放 as 资 + 金发 (blond hair): 資金髮放; a Traditional form prints 發放
S2T_FIXES = (("髮放", "發放"),)


# ---------------------------------------------------------------- expected parses


@dataclass(frozen=True)
class P:
    """The parse a reader must give: op, value (magnitude words folded), unit."""

    op: str
    value: float
    unit: str | None = None
    value_max: float | None = None


def ge(value: float, unit: str | None = None) -> P:
    return P(">=", value, unit)


def le(value: float, unit: str | None = None) -> P:
    return P("<=", value, unit)


def gt(value: float, unit: str | None = None) -> P:
    return P(">", value, unit)


def eq(value: float, unit: str | None = None) -> P:
    return P("=", value, unit)


def between(low: float, high: float, unit: str | None = None) -> P:
    return P("between", low, unit, high)


# ---------------------------------------------------------------- indicator rows


@dataclass(frozen=True)
class Ind:
    """One printed indicator row (texts as printed, Simplified) and its expected parse.

    An empty level means "same as the row above": the rows of a merged block print the label once.
    """

    level1: str
    level2: str
    level3: str
    target: str
    expect: P | None  # None: qualitative
    nature: str = ""  # 指标性质 / 计算符号 cell
    direction: str = ""  # 指标方向 / 指标方向性 cell
    unit: str = ""  # 度量单位 / 计量单位 cell
    weight: str = ""  # 权重 / 分值 cell
    note: str = ""  # 指标值说明 cell (not part of the expected output)
    beside: str = ""  # a second value under the same 指标值 heading (上年实际值, 中期)
    actual: str = ""  # self-evaluation: 实际完成值
    actual_expect: P | None = None
    score: str = ""  # self-evaluation: 得分
    reason: str = ""  # self-evaluation: 偏差原因分析


def carried(rows: list[Ind]) -> list[Ind]:
    """Fill empty 一级/二级 from the row above; a new 一级 starts with its own 二级."""
    out: list[Ind] = []
    for row in rows:
        if out and not row.level1:
            above = out[-1]
            level2 = row.level2 or above.level2
            row = Ind(**{**row.__dict__, "level1": above.level1, "level2": level2})
        out.append(row)
    return out


def plain(data: list[tuple]) -> list[Ind]:
    """Rows given as (一级, 二级, 三级, 指标值, expected)."""
    return carried([Ind(*t) for t in data])


# ---------------------------------------------------------------- the printed grid


@dataclass(frozen=True)
class Place:
    """One cell of the printed table at its top-left grid slot, with its spans."""

    row: int
    col: int
    text: str  # "\n" separates paragraphs
    rows: int = 1
    cols: int = 1
    left: bool = False  # left-aligned (long texts, 三级)
    top: bool = False  # top-aligned: the text is placed by the empty paragraphs before it


class Sheet:
    """A table being laid out row by row; `line` places cells left to right."""

    def __init__(self, widths: tuple[float, ...]):
        self.widths = widths
        self.places: list[Place] = []
        self.row = 0

    def put(self, row: int, col: int, text: str, rows: int = 1, cols: int = 1,
            left: bool | None = None) -> None:
        if left is None:
            left = len(text) > 16
        top = text.startswith("\n")
        self.places.append(Place(row, col, text, rows, cols, left, top))

    def line(self, *items: str | tuple[str, int], start: int = 0) -> None:
        col = start
        for item in items:
            text, span = (item, 1) if isinstance(item, str) else item
            self.put(self.row, col, text, cols=span)
            col += span
        if col != len(self.widths):
            raise ValueError(f"row {self.row} fills {col} of {len(self.widths)} columns")
        self.row += 1

    @property
    def n_rows(self) -> int:
        return max(p.row + p.rows for p in self.places)

    def texts(self) -> list[str]:
        """Non-empty cell texts in reading order (row, then column)."""
        order = sorted(self.places, key=lambda p: (p.row, p.col))
        return [p.text for p in order if squash(p.text)]


# an indicator column: (header, Ind attribute, grid columns it spans)
Column = tuple[str, str, int]
LEVELS: list[Column] = [("一级指标", "level1", 1), ("二级指标", "level2", 1),
                        ("三级指标", "level3", 1)]


def put_indicators(sheet: Sheet, columns: list[Column], rows: list[Ind], col: int = 0,
                   lead: str = "", top: int | None = None, heads: bool = True) -> None:
    """The indicator grid: a header row (`heads` False: the row `top` is headed already), then
    one row per indicator, 一级/二级 runs merged."""
    top = sheet.row if top is None else top
    if lead:  # a 绩效指标 label down the left of the whole grid
        sheet.put(top, col, lead, rows=len(rows) + 1)
        col += 1
    for head, attr, span in columns:
        if heads:
            sheet.put(top, col, head, cols=span)
        if attr == "level1":
            keys = [r.level1 for r in rows]
        elif attr == "level2":
            keys = [(r.level1, r.level2) for r in rows]
        else:
            keys = list(range(len(rows)))  # every row its own cell
        for start, end in runs_of(keys):
            text = getattr(rows[start], attr)
            sheet.put(top + 1 + start, col, text, rows=end - start, cols=span,
                      left=True if attr == "level3" else None)
        col += span
    sheet.row = max(sheet.row, top + 1 + len(rows))


# ---------------------------------------------------------------- header blocks

LABELS = {
    "project_name": "项目名称",
    "department": "主管部门及代码",
    "implementing_unit": "实施单位",
    "project_source": "项目来源",
    "period": "项目期",
    "funds": "项目资金（万元）",
    "funds_total_wan": "年度资金总额",
    "funds_fiscal_wan": "其中：财政拨款",
    "funds_other_wan": "其他资金",
    "annual_goal": "年度目标",
}
FUND_KEYS = ("funds_total_wan", "funds_fiscal_wan", "funds_other_wan")


def department_text(meta: dict) -> str:
    code = meta.get("department_code")
    return f"[{code}]{meta['department']}" if code else meta["department"]


def project_header(sheet: Sheet, meta: dict, label_cols: int, **relabel: str) -> None:
    """The usual block: 项目名称, 主管部门及代码 | 实施单位, 项目来源 | 项目期, 项目资金 over
    three money rows, 年度目标. `relabel` swaps label texts (项目属性 for 项目来源 …)."""
    labels = {**LABELS, **relabel}
    rest = len(sheet.widths) - label_cols
    value1 = (rest - 1) // 2
    value2 = rest - 1 - value1
    sheet.line((labels["project_name"], label_cols), (meta["project_name"], rest))
    pairs = (("department", department_text(meta), "implementing_unit"),
             ("project_source", meta["project_source"], "period"))
    for label, value, label2 in pairs:
        sheet.line((labels[label], label_cols), (value, value1), labels[label2],
                   (meta[label2], value2))
    sheet.put(sheet.row, 0, labels["funds"], rows=3, cols=label_cols)
    for key in FUND_KEYS:
        sheet.line(labels[key], (money(meta[key]), rest - 1), start=label_cols)
    sheet.line((labels["annual_goal"], label_cols), (meta["annual_goal"], rest))


# ---------------------------------------------------------------- documents


@dataclass
class Form:
    """One printed table with the lines above it, and the expected table record."""

    kind: str  # table_kind
    title: str | None  # the title line as printed (Simplified), None when there is none
    year: int | None
    sheet: Sheet
    meta: dict  # expected meta: only what the table prints
    groups: list[tuple[str, list[Ind]]]  # (horizon, indicators) in expected order
    year_line: str | None = None
    signature: str | None = None
    new_page: bool = True  # False: runs on below the previous table


@dataclass
class Sample:
    name: str
    layout: str  # one line: what it exercises
    forms: list[Form]
    landscape: bool = False
    traditional: bool = False  # printed in Traditional characters (OpenCC s2t)
    mid_labels: tuple[str, ...] = ()  # merged labels that must print mid-block in the PDF
    pages: int = 0  # set by the build

    def shown(self, text: str) -> str:
        return to_traditional(text) if self.traditional and text else text


def to_traditional(text: str) -> str:
    text = _S2T.convert(text)
    for wrong, right in S2T_FIXES:
        text = text.replace(wrong, right)
    return text


def set_landscape(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.left_margin = section.right_margin = Cm(2.0)


def use_font(doc, name: str) -> None:
    """Name another CJK face in the document defaults and the Normal style."""
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    for rpr in (defaults.find(qn("w:rPr")), doc.styles["Normal"].element.get_or_add_rPr()):
        fonts = rpr.find(qn("w:rFonts"))
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{attr}"), name)


def paragraph(doc, text: str, page_break: bool = False, title: bool = False) -> None:
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if page_break:  # what Ctrl+Enter leaves: a page-break run at the head of the paragraph
        para.add_run().add_break(WD_BREAK.PAGE)
    run = para.add_run(text)
    if title:
        run.bold = True
        run.font.size = Pt(TITLE_PT)
        para.paragraph_format.space_after = Pt(6)


def add_heading(doc, form: Form, sample: Sample, index: int) -> None:
    if index and not form.new_page:
        doc.add_paragraph()  # a gap, and Word would join two tables with nothing between
    page_break = index > 0 and form.new_page
    lines = [(t, t is form.title) for t in (form.title, form.year_line, form.signature) if t]
    if not lines:
        lines = [("", False)]
    for k, (text, is_title) in enumerate(lines):
        paragraph(doc, sample.shown(text), page_break and k == 0, is_title)


def fill(cell, place: Place, text: str) -> None:
    cell.vertical_alignment = (
        WD_CELL_VERTICAL_ALIGNMENT.TOP if place.top else WD_CELL_VERTICAL_ALIGNMENT.CENTER
    )
    for k, part in enumerate(text.split("\n")):
        para = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.LEFT if place.left else WD_ALIGN_PARAGRAPH.CENTER
        if part:
            para.add_run(part).font.size = Pt(TABLE_PT)


def add_sheet(doc, sheet: Sheet, sample: Sample) -> None:
    table = new_table(doc, sheet.n_rows, sheet.widths)
    for place in sheet.places:
        last_row, last_col = place.row + place.rows - 1, place.col + place.cols - 1
        cell = merged(table, place.row, place.col, last_row, last_col)
        fill(cell, place, sample.shown(place.text))


def build_docx(sample: Sample, path: Path) -> None:
    doc = new_document()
    if sample.landscape:
        set_landscape(doc)
    if sample.traditional:
        use_font(doc, TRADITIONAL_FONT)
    for index, form in enumerate(sample.forms):
        add_heading(doc, form, sample, index)
        add_sheet(doc, form.sheet, sample)
    buf = io.BytesIO()
    doc.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pinned_zip(buf.getvalue()))


# ---------------------------------------------------------------- expected output

LEVEL1_STD = {"产出指标": "产出指标", "效益指标": "效益指标", "满意度指标": "满意度指标",
              "成本指标": "成本指标", "项目完成指标": "产出指标", "项目效益指标": "效益指标"}
LEVEL2_CANON = ("数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标",
                "生态效益指标", "可持续影响指标", "服务对象满意度指标", "经济成本指标",
                "社会成本指标", "生态环境成本指标")
LEVEL2_STD = {**{name: name for name in LEVEL2_CANON},
              "满意度指标": "服务对象满意度指标", "环境效益指标": "生态效益指标"}
_SCORE = re.compile(r"[（(]\d+(?:\.\d+)?分[)）]")
_ENUMERATOR = re.compile(r"^指标\d+[:：]")


def clean_level(text: str) -> str:
    """A printed 一级/二级 label as the output keeps it: no spaces, score or enumerator."""
    return _ENUMERATOR.sub("", _SCORE.sub("", "".join(text.split())))


def number(text: str) -> float | int | None:
    if not text:
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


def parse_fields(parse: P | None, prefix: str, with_max: bool = True) -> dict:
    fields = {
        f"{prefix}op": parse.op if parse else None,
        f"{prefix}value": parse.value if parse else None,
        f"{prefix}value_max": parse.value_max if parse else None,
        f"{prefix}unit": parse.unit if parse else None,
    }
    if not with_max:
        del fields[f"{prefix}value_max"]
    return fields


def expected_indicator(ind: Ind, horizon: str, shown: Callable[[str], str]) -> dict:
    """Levels as printed (without the spaces wrapping put in); their vocabulary names from the
    label cleaned of its score and enumerator."""
    level1, level2 = clean_level(ind.level1), clean_level(ind.level2)
    return {
        "horizon": horizon,
        "level1": shown("".join(ind.level1.split())) or None,
        "level2": shown("".join(ind.level2.split())) or None,
        "level3": shown(ind.level3),
        "level1_std": LEVEL1_STD.get(level1),
        "level2_std": LEVEL2_STD.get(level2),
        "target_raw": shown(ind.target),
        "nature_raw": shown(ind.nature) or None,
        "direction_raw": shown(ind.direction) or None,
        "unit_raw": shown(ind.unit) or None,
        **parse_fields(ind.expect, ""),
        "weight": number(ind.weight),
        "actual_raw": shown(ind.actual) or None,
        **parse_fields(ind.actual_expect, "actual_", with_max=False),
        "score": number(ind.score),
        "deviation_reason": ind.reason or None,
    }


def expected(sample: Sample) -> dict:
    tables = [
        {
            "table_kind": form.kind,
            "title": form.title,
            "year": form.year,
            "meta": form.meta,
            "indicators": [
                expected_indicator(ind, horizon, sample.shown)
                for horizon, rows in form.groups
                for ind in rows
            ],
        }
        for form in sample.forms
    ]
    rel = OUT_DIR.relative_to(ROOT)
    return {
        "source": f"{rel}/{sample.name}.pdf",
        "docx": f"{rel}/{sample.name}.docx",
        "layout": sample.layout,
        "tables": tables,
    }


# ---------------------------------------------------------------- checks


def squash(text: str | None) -> str:
    return "".join((text or "").split())


def check_traditional(sample: Sample) -> None:
    """OpenCC t2s of every printed text must give back the Simplified source (the truth)."""
    texts = [t for f in sample.forms for t in (f.title, f.year_line, f.signature) if t]
    texts += [p.text for f in sample.forms for p in f.sheet.places]
    for text in texts:
        if _T2S.convert(to_traditional(text)) != text:
            sys.exit(f"{sample.name}: t2s does not give back {text!r}")


def check_docx(path: Path, sample: Sample) -> None:
    xml = zipfile.ZipFile(path).read("word/document.xml")
    needs_vmerge = any(p.rows > 1 for f in sample.forms for p in f.sheet.places)
    if b"<w:gridSpan" not in xml or (needs_vmerge and b"<w:vMerge" not in xml):
        sys.exit(f"{path}: w:gridSpan / w:vMerge missing, merges did not happen")


def check_pdf(path: Path, sample: Sample) -> None:
    """Every form is one pdfplumber table, on the page intended, with the text intended."""
    with pdfplumber.open(path) as pdf:
        sample.pages = len(pdf.pages)
        found = [
            (page_no, page, table)
            for page_no, page in enumerate(pdf.pages, start=1)
            for table in sorted(page.find_tables(), key=lambda t: t.bbox[1])
        ]
        if len(found) != len(sample.forms):
            sys.exit(f"{path}: {len(found)} tables found, {len(sample.forms)} built "
                     "(a table split over a page break, or was lost)")
        wanted_page = 0
        mid_found = set()
        for index, (form, (page_no, page, table)) in enumerate(
            zip(sample.forms, found, strict=True)
        ):
            wanted_page += 1 if index == 0 or form.new_page else 0
            if page_no != wanted_page:
                sys.exit(f"{path}: table {index + 1} on page {page_no}, wanted {wanted_page}")
            compare_text(path, index, form, table.extract(), sample.shown)
            mid_found |= {m for m in sample.mid_labels if mid_label_at(path, page, table, m)}
        missing = set(sample.mid_labels) - mid_found
        if missing:
            sys.exit(f"{path}: merged label {missing} not found")


def compare_text(path: Path, index: int, form: Form, extracted, shown) -> None:
    got = [squash(c) for row in extracted for c in row if squash(c)]
    want = [squash(shown(t)) for t in form.sheet.texts()]
    if got == want:
        return
    pairs = zip(got, want, strict=False)
    k = next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(got), len(want)))
    sys.exit(f"{path}: table {index + 1}, cell {k}: pdf {got[k:k + 3]} != built {want[k:k + 3]}")


def mid_label_at(path: Path, page, table, label: str) -> bool:
    """A merged label typed after empty paragraphs must print near the middle of its cell."""
    for bbox in table.cells:
        crop = page.crop(bbox)
        if squash(crop.extract_text()) != label:
            continue
        top = min(c["top"] for c in crop.chars)
        bottom = max(c["bottom"] for c in crop.chars)
        where = ((top + bottom) / 2 - bbox[1]) / (bbox[3] - bbox[1])
        if not 0.3 < where < 0.7:
            sys.exit(f"{path}: {label} prints at {where:.0%} of its merged cell, not mid-block")
        print(f"  {label} prints at {where:.0%} of the height of its merged cell")
        return True
    return False


# ---------------------------------------------------------------- 1. split-nature-unit


def split_nature_unit() -> Sample:
    nature_cols: list[Column] = [*LEVELS, ("指标性质", "nature", 1), ("指标值", "target", 1),
                                 ("度量单位", "unit", 1), ("权重", "weight", 1)]
    # 一级, 二级, 三级, 指标性质, 指标值, 度量单位, 权重, expected
    rows1 = [
        ("产出指标", "数量指标", "管护高标准农田面积", "≥", "2.6万", "亩", "10", ge(26000, "亩")),
        ("", "", "修复损毁沟渠长度", "≥", "15", "公里", "10", ge(15, "公里")),
        ("", "", "维修机耕路桥涵", "≥", "40", "座", "5", ge(40, "座")),
        ("", "质量指标", "工程设施完好率", "≥", "90", "%", "10", ge(90, "%")),
        ("", "", "管护工程验收合格率", "=", "100", "%", "10", eq(100, "%")),
        ("", "时效指标", "损毁设施修复时限", "≤", "15", "个工作日", "5", le(15, "个工作日")),
        # the value's own operator wins over the nature cell
        ("", "", "管护资金拨付及时率", "=", "≥98%", "%", "5", ge(98, "%")),
        ("", "成本指标", "管护经费总额", "≤", "180", "万元", "5", le(1800000, "元")),
        ("", "", "亩均管护成本", "≤", "69", "元/亩", "5", le(69, "元/亩")),
        ("效益指标", "经济效益指标", "亩均粮食增产", "≥", "50", "公斤", "10", ge(50, "公斤")),
        ("", "社会效益指标", "农田灌溉保证能力", "定性", "明显提升", "", "10", None),
        ("", "可持续影响指标", "农田设施长效管护机制", "定性", "持续完善", "", "5", None),
        ("满意度指标", "服务对象满意度指标", "受益农户满意度", "≥", "≥95", "%", "10",
         ge(95, "%")),
    ]
    # 一级, 二级, 三级, 指标方向性, 指标值, 度量单位, 权重, expected
    rows2 = [
        ("产出指标", "数量指标", "改造农村户用卫生厕所", "正向", "1200", "户", "15",
         ge(1200, "户")),
        ("", "", "新建村级污水处理设施", "正向", "8", "座", "10", ge(8, "座")),
        ("", "质量指标", "改厕质量验收合格率", "正向", "90", "%", "10", ge(90, "%")),
        ("", "", "问题厕所整改率", "正向", "100", "%", "5", ge(100, "%")),
        ("", "时效指标", "项目完工时间", "反向", "2024年11月底前", "", "5", None),
        ("", "成本指标", "户厕改造补助标准", "反向", "1500", "元/户", "10", le(1500, "元/户")),
        ("效益指标", "社会效益指标", "农村卫生厕所普及率", "正向", "85", "%", "10", ge(85, "%")),
        ("", "", "群众投诉率", "反向", "3", "%", "5", le(3, "%")),
        ("", "生态效益指标", "农村生活污水治理率", "正向", "30", "%", "10", ge(30, "%")),
        ("", "可持续影响指标", "设施运维管护机制", "正向", "长效运行", "", "10", None),
        ("满意度指标", "服务对象满意度指标", "改厕农户满意度", "正向", "90", "%", "10",
         ge(90, "%")),
    ]
    meta1 = {
        "project_name": "高标准农田建设后期管护经费",
        "department": "岳西县农业农村局",
        "department_code": "127",
        "implementing_unit": "岳西县农田建设服务中心",
        "project_source": "本级申报项目",
        "period": "1年",
        "funds_total_wan": 180.0,
        "funds_fiscal_wan": 180.0,
        "funds_other_wan": 0.0,
        "annual_goal": "对全县已建成的2.6万亩高标准农田开展日常管护，及时修复损毁的沟渠、"
        "机耕路和桥涵等设施，工程设施完好率保持在90%以上，保障农田灌溉排涝能力。",
    }
    meta2 = {
        **meta1,
        "project_name": "农村人居环境整治专项资金",
        "implementing_unit": "岳西县农业农村局",
        "project_source": "上级转移支付项目",
        "funds_total_wan": 260.0,
        "funds_fiscal_wan": 200.0,
        "funds_other_wan": 60.0,
        "annual_goal": "完成1200户农村户用卫生厕所改造和8座村级污水处理设施建设，推进问题厕所"
        "整改，农村卫生厕所普及率达到85%以上，持续改善农村人居环境。",
    }
    widths = (1.8, 2.2, 4.3, 1.6, 2.2, 1.8, 1.3)
    forms = []
    for meta, data, role, head in ((meta1, rows1, "nature", "指标性质"),
                                   (meta2, rows2, "direction", "指标方向性")):
        rows = carried([
            Ind(l1, l2, l3, value, exp, unit=unit, weight=weight, **{role: nat})
            for l1, l2, l3, nat, value, unit, weight, exp in data
        ])
        columns = [(head, role, 1) if attr == "nature" else (h, attr, s)
                   for h, attr, s in nature_cols]
        sheet = Sheet(widths)
        project_header(sheet, meta, label_cols=2)
        put_indicators(sheet, columns, rows)
        forms.append(Form("project_target", "项目支出绩效目标表", 2024, sheet, meta,
                          [("annual", rows)], "（2024年度）", SIGNATURE))
    return Sample(
        "split-nature-unit",
        "指标性质 (≥ ≤ = 定性) and 度量单位 in their own columns, 权重; the second table has "
        "指标方向性 (正向/反向) instead; 万元 and 2.6万 亩 fold into the value",
        forms,
    )


# ---------------------------------------------------------------- 2. split-calc-symbol


def split_calc_symbol() -> Sample:
    # 一级, 二级, 三级, 计算符号, 目标值, 度量单位, 指标值说明, expected
    data = [
        ("产出指标", "数量指标", "居民电子健康档案建档率", "≥", "90", "%",
         "辖区常住居民中建立电子健康档案的人数占比", ge(90, "%")),
        ("", "", "65岁及以上老年人健康管理人数", "≥", "2.1", "万人",
         "年内接受健康体检和健康指导的65岁及以上老年人数", ge(21000, "人")),
        ("", "", "高血压患者规范管理率", "≥", "65", "%",
         "按规范要求管理的高血压患者占登记管理患者的比例", ge(65, "%")),
        ("", "", "健康知识讲座", "≥", "12", "次/年", "每个乡镇卫生院每年举办健康知识讲座次数",
         ge(12, "次/年")),
        ("", "质量指标", "孕产妇系统管理率", "＞", "90", "%",
         "按系统管理程序要求接受产前检查和产后访视的产妇比例", gt(90, "%")),
        ("", "", "传染病报告及时率", "=", "100", "%", "法定传染病在规定时限内网络直报的比例",
         eq(100, "%")),
        ("", "时效指标", "补助资金拨付时限", "≤", "30", "天",
         "上级资金到位后拨付至基层医疗卫生机构的天数", le(30, "天")),
        ("", "成本指标", "人均基本公共卫生服务经费补助标准", "=", "89", "元/人",
         "2023年人均财政补助标准", eq(89, "元/人")),
        ("效益指标", "社会效益指标", "居民健康素养水平", "≥", "28", "%",
         "具备基本健康素养的居民占调查人数的比例", ge(28, "%")),
        ("", "", "城乡居民公共卫生服务差距", "定性", "逐步缩小", "", "—", None),
        ("", "可持续影响指标", "基本公共卫生服务均等化水平", "定性", "持续提升", "", "—", None),
        ("满意度指标", "满意度指标", "居民对基本公共卫生服务满意度", "≥", "85", "%",
         "抽样调查中表示满意和基本满意的居民比例", ge(85, "%")),
    ]
    rows = carried([
        Ind(l1, l2, l3, value, exp, nature=sym, unit=unit, note=note)
        for l1, l2, l3, sym, value, unit, note, exp in data
    ])
    meta = {
        "project_name": "基本公共卫生服务项目",
        "department": "太湖县卫生健康委员会",
        "department_code": "043",
        "implementing_unit": "太湖县卫生健康委员会",
        "project_source": "上级转移支付项目",
        "period": "长期",
        "funds_total_wan": 2860.5,
        "funds_fiscal_wan": 2860.5,
        "funds_other_wan": 0.0,
        "annual_goal": "按人均89元标准落实基本公共卫生服务经费，为辖区常住居民免费提供健康档案"
        "管理、健康教育、预防接种、慢性病患者健康管理等服务，提高居民健康素养水平。",
    }
    columns: list[Column] = [*LEVELS, ("计算符号", "nature", 1), ("目标值", "target", 1),
                             ("度量单位", "unit", 1), ("指标值说明", "note", 1)]
    sheet = Sheet((2.2, 2.8, 5.4, 1.8, 2.0, 2.0, 8.4))
    project_header(sheet, meta, label_cols=2)
    put_indicators(sheet, columns, rows)
    form = Form("project_target", "2023年度项目支出绩效目标表", 2023, sheet, meta,
                [("annual", rows)], signature=SIGNATURE)
    return Sample(
        "split-calc-symbol",
        "计算符号 (≥ ＞ = ≤ 定性) / 目标值 / 度量单位 (万人 folds) / 指标值说明 columns; year in "
        "the title line; 二级 printed 满意度指标",
        [form],
        landscape=True,
    )


# ---------------------------------------------------------------- 3. swapped-nature


def swapped_nature() -> Sample:
    # 一级, 二级, 三级, 指标性质 (direction words), 指标方向 (symbols), 指标值, 度量单位, expected
    data = [
        ("产出指标", "数量指标", "资助学前教育幼儿人次", "正向", "≥", "1800", "人次",
         ge(1800, "人次")),
        ("", "", "资助普通高中学生人次", "正向", "≥", "3200", "人次", ge(3200, "人次")),
        ("", "", "义务教育阶段寄宿生生活补助人数", "正向", "=", "6500", "人", eq(6500, "人")),
        ("", "质量指标", "资助对象认定准确率", "正向", "=", "100", "%", eq(100, "%")),
        ("", "", "资助资金发放差错率", "反向", "≤", "0.5", "%", le(0.5, "%")),
        ("", "时效指标", "资助资金发放时限", "反向", "≤", "10", "个工作日", le(10, "个工作日")),
        ("", "成本指标", "普通高中国家助学金平均资助标准", "正向", "=", "2000", "元/人·年",
         eq(2000, "元/人·年")),
        ("效益指标", "社会效益指标", "家庭经济困难学生因贫失学辍学人数", "反向", "=", "0", "人",
         eq(0, "人")),
        ("", "", "受助学生学习生活条件", "正向", "", "明显改善", "", None),
        ("", "可持续影响指标", "学生资助政策知晓率", "正向", "≥", "95", "%", ge(95, "%")),
        ("满意度指标", "服务对象满意度指标", "受助学生及家长满意度", "正向", "≥", "90", "%",
         ge(90, "%")),
    ]
    rows = carried([
        Ind(l1, l2, l3, value, exp, nature=nature, direction=symbol, unit=unit)
        for l1, l2, l3, nature, symbol, value, unit, exp in data
    ])
    meta = {
        "project_name": "家庭经济困难学生资助资金",
        "department": "宿松县教育局",
        "department_code": "083",
        "implementing_unit": "宿松县学生资助管理中心",
        "project_source": "上级转移支付项目",
        "period": "1年",
        "funds_total_wan": 1520.0,
        "funds_fiscal_wan": 1320.0,
        "funds_other_wan": 200.0,
        "annual_goal": "落实学前教育、义务教育和普通高中家庭经济困难学生资助政策，做到应助尽助，"
        "资助资金按时足额发放，确保不让一个学生因家庭经济困难而失学。",
    }
    columns: list[Column] = [*LEVELS, ("指标性质", "nature", 1), ("指标方向", "direction", 1),
                             ("指标值", "target", 1), ("度量单位", "unit", 1)]
    sheet = Sheet((1.8, 2.2, 4.6, 1.5, 1.5, 2.2, 1.9))
    project_header(sheet, meta, label_cols=2)
    put_indicators(sheet, columns, rows)
    form = Form("project_target", "项目支出绩效目标表", 2022, sheet, meta, [("annual", rows)],
                "（2022年度）", SIGNATURE)
    return Sample(
        "swapped-nature",
        "the region that swaps the words: 指标性质 holds 正向/反向, 指标方向 holds = ≥ ≤; the "
        "symbol decides the operator (正向 with = is =)",
        [form],
    )


# ---------------------------------------------------------------- 4. self-evaluation


@dataclass(frozen=True)
class Budget:
    """The 项目资金 block of a 自评表, 万元; 分值 10, 得分 = 分值 x 执行率."""

    initial: float
    full_year: float
    executed: float
    other: float = 0.0
    points: int = 10

    @property
    def rate(self) -> float:
        return round(self.executed / self.full_year * 100, 2)

    @property
    def score(self) -> float:
        return round(self.points * self.rate / 100, 2)

    def meta(self) -> dict:
        return {
            "budget_initial_wan": float(self.initial),
            "budget_full_year_wan": float(self.full_year),
            "budget_executed_wan": float(self.executed),
            "execution_rate": self.rate,
            "budget_score": self.score,
            "funds_total_wan": float(self.full_year),
            "funds_fiscal_wan": float(self.full_year - self.other),
            "funds_other_wan": float(self.other),
        }

    def printed_rows(self) -> list[tuple[str, ...]]:
        share = self.executed / self.full_year
        other = (self.other, self.other, round(self.other * share, 2))
        total = (self.initial, self.full_year, self.executed)
        fiscal = tuple(round(t - o, 2) for t, o in zip(total, other, strict=True))
        dash = ("—", "—", "—")
        return [
            ("年度资金总额", *map(money, total), str(self.points), f"{self.rate:.2f}%",
             f"{self.score:g}"),
            ("其中：财政拨款", *map(money, fiscal), *dash),
            ("其他资金", *map(money, other), *dash),
        ]


def self_evaluation_form(meta: dict, budget: Budget, heads: tuple[str, str, str, str],
                         data: list[tuple]) -> Form:
    """A 项目支出绩效自评表: header, 项目资金 block, 年度总体目标, indicators, 总分 row.

    `heads` names the 指标值 / 实际值 / 得分 / 偏差原因 columns; `data` rows are
    (一级, 二级, 三级, 指标值, expected, 实际值, actual expected, 分值, 得分, 原因)."""
    rows = carried([
        Ind(l1, l2, l3, target, exp, weight=weight, actual=actual, actual_expect=act,
            score=score, reason=reason)
        for l1, l2, l3, target, exp, actual, act, weight, score, reason in data
    ])
    weights = sum(float(r.weight) for r in rows) + budget.points
    total = round(sum(float(r.score) for r in rows) + budget.score, 2)
    if weights != 100:
        raise ValueError(f"{meta['project_name']}: 分值 add up to {weights}, not 100")
    sheet = Sheet((2.2, 2.8, 4.8, 2.8, 2.8, 1.5, 1.5, 6.6))
    sheet.line(("项目名称", 2), (meta["project_name"], 6))
    sheet.line(("主管部门", 2), (meta["department"], 2), ("实施单位", 2),
               (meta["implementing_unit"], 2))
    sheet.put(sheet.row, 0, "项目资金（万元）", rows=4)
    sheet.line("", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", start=1)
    for printed in budget.printed_rows():
        sheet.line(*printed, start=1)
    sheet.put(sheet.row, 0, "年度总体目标", rows=2)
    sheet.line(("预期目标", 4), ("实际完成情况", 3), start=1)
    sheet.line((meta["annual_goal"], 4), (meta["goal_actual"], 3), start=1)
    target, actual, score, reason = heads
    columns = [*LEVELS, (target, "target", 1), (actual, "actual", 1), ("分值", "weight", 1),
               (score, "score", 1), (reason, "reason", 1)]
    put_indicators(sheet, columns, rows)
    sheet.line(("总分", 5), "100", f"{total:g}", "")
    return Form("self_evaluation", "项目支出绩效自评表", 2023, sheet,
                {**meta, **budget.meta()}, [("annual", rows)], "（2023年度）")


def self_evaluation() -> Sample:
    road = {
        "project_name": "农村公路日常养护经费",
        "department": "望江县交通运输局",
        "implementing_unit": "望江县农村公路管理服务中心",
        "annual_goal": "完成1260公里农村公路日常养护，实施危桥改造3座、安全生命防护工程45公里，"
        "养护路段优良中等路率达到85%以上，保障农村群众安全便捷出行。",
        "goal_actual": "完成1268公里农村公路日常养护、危桥改造3座、安全生命防护工程41.5公里，"
        "优良中等路率87.3%，农村公路通行条件明显改善。",
    }
    road_rows = [
        ("产出指标", "数量指标", "农村公路日常养护里程", "≥1260公里", ge(1260, "公里"),
         "1268公里", eq(1268, "公里"), "10", "10", ""),
        ("", "", "危桥改造数量", "3座", eq(3, "座"), "3座", eq(3, "座"), "10", "10", ""),
        ("", "", "安全生命防护工程实施里程", "≥45公里", ge(45, "公里"), "41.5公里",
         eq(41.5, "公里"), "10", "9.2",
         "受汛期影响2处路段顺延至2024年实施，已列入下年度计划并加快推进。"),
        ("", "质量指标", "养护路段优良中等路率", "≥85%", ge(85, "%"), "87.3%", eq(87.3, "%"),
         "10", "10", ""),
        ("", "", "工程验收合格率", "100%", eq(100, "%"), "100%", eq(100, "%"), "5", "5", ""),
        ("", "时效指标", "路面病害处置时限", "≤7个工作日", le(7, "个工作日"), "6个工作日",
         eq(6, "个工作日"), "5", "5", ""),
        ("", "成本指标", "每公里年养护成本", "≤2400元/公里", le(2400, "元/公里"), "2271元/公里",
         eq(2271, "元/公里"), "5", "5", "无"),
        ("效益指标", "经济效益指标", "沿线农产品运输成本", "有所降低", None, "有所降低", None,
         "5", "4.5", "缺少量化统计数据，下年度设置可量化的经济效益指标。"),
        ("", "社会效益指标", "农村公路通畅率", "100%", eq(100, "%"), "100%", eq(100, "%"), "10",
         "10", ""),
        ("", "", "道路交通安全事故发生数", "0起", eq(0, "起"), "1起", eq(1, "起"), "5", "3",
         "发生1起单车事故，已在事故路段增设警示标志和减速带。"),
        ("", "可持续影响指标", "农村公路管养长效机制", "持续完善", None, "基本建立", None, "5",
         "4.2", "县乡村三级路长制刚起步，下一步完善考核办法。"),
        ("满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%", ge(90, "%"), "92.6%",
         eq(92.6, "%"), "10", "10", ""),
    ]
    culture = {
        "project_name": "乡镇综合文化站免费开放补助",
        "department": "望江县文化旅游体育局",
        "implementing_unit": "望江县文化馆",
        "annual_goal": "保障全县15个乡镇综合文化站免费开放，全年组织文化活动180场以上、公益培训"
        "30期以上，丰富基层群众文化生活。",
        "goal_actual": "15个乡镇综合文化站全部免费开放，全年组织文化活动196场、公益培训26期，"
        "服务群众8.6万人次。",
    }
    culture_rows = [
        ("产出指标", "数量指标", "免费开放乡镇综合文化站数量", "15个", eq(15, "个"), "15个",
         eq(15, "个"), "15", "15", ""),
        ("", "", "组织开展文化活动场次", "≥180场", ge(180, "场"), "196场", eq(196, "场"), "15",
         "15", ""),
        ("", "", "举办公益培训班", "≥30期", ge(30, "期"), "26期", eq(26, "期"), "10", "8.7",
         "2个文化站场地改造暂停培训，已调整至2024年一季度补办。"),
        ("", "质量指标", "每站每周开放时间", "≥42小时", ge(42, "小时"), "42小时",
         eq(42, "小时"), "10", "10", ""),
        ("", "时效指标", "补助资金拨付时间", "2023年6月底前", None, "2023年6月20日", None, "5",
         "5", ""),
        ("效益指标", "社会效益指标", "年服务群众人次", "≥8万人次", ge(80000, "人次"),
         "8.6万人次", eq(86000, "人次"), "15", "15", ""),
        ("", "", "基层群众文化生活", "不断丰富", None, "有效丰富", None, "10", "9.1",
         "活动形式较为单一，下一步结合群众需求增加特色活动。"),
        ("满意度指标", "满意度指标", "群众满意度", "≥90%", ge(90, "%"), "93.5%", eq(93.5, "%"),
         "10", "10", ""),
    ]
    bus = {
        "project_name": "城乡公交运营补贴",
        "department": "望江县交通运输局",
        "implementing_unit": "望江县交通运输局",
        "annual_goal": "对12条城乡公交线路给予运营补贴，保障城乡公交稳定运行，建制村通公交率"
        "保持100%。",
        "goal_actual": "12条城乡公交线路稳定运行，日均发车248班次，建制村通公交率100%。",
    }
    bus_rows = [
        ("产出指标", "数量指标", "城乡公交运营线路", "≥12条", ge(12, "条"), "12条",
         eq(12, "条"), "20", "20", ""),
        ("", "", "日均发车班次", "≥260班次", ge(260, "班次"), "248班次", eq(248, "班次"), "15",
         "14.3", "春节前后客流下降，部分线路减班运行。"),
        ("", "质量指标", "公交车辆安全检测合格率", "100%", eq(100, "%"), "100%", eq(100, "%"),
         "15", "15", ""),
        ("", "成本指标", "每公里运营补贴", "≤3.2元", le(3.2, "元"), "3.1元", eq(3.1, "元"),
         "10", "10", ""),
        ("效益指标", "社会效益指标", "建制村通公交率", "100%", eq(100, "%"), "100%",
         eq(100, "%"), "20", "20", ""),
        ("满意度指标", "服务对象满意度指标", "乘客满意度", "≥85%", ge(85, "%"), "88%",
         eq(88, "%"), "10", "10", ""),
    ]
    forms = [
        self_evaluation_form(road, Budget(320, 300, 288), ("年度指标值", "实际完成值", "得分",
                             "偏差原因分析及改进措施"), road_rows),
        self_evaluation_form(culture, Budget(45, 45, 43.2), ("年度指标值", "全年实际值",
                             "得分", "未完成原因分析"), culture_rows),
        self_evaluation_form(bus, Budget(600, 650, 637), ("指标值", "完成值", "得分",
                             "偏差原因分析及改进措施"), bus_rows),
    ]
    return Sample(
        "self-evaluation",
        "项目支出绩效自评表: 项目资金 block (年初预算数/全年预算数/全年执行数/分值/执行率/得分), "
        "预期目标 beside 实际完成情况, 实际值/分值/得分/偏差原因 columns under three header "
        "spellings, a 总分 row that is not an indicator",
        forms,
        landscape=True,
    )


# ---------------------------------------------------------------- 5. department-overall


def department_overall() -> Sample:
    data = [
        ("产出指标", "数量指标", "食品安全监督抽检批次", "≥1600批次", ge(1600, "批次")),
        ("", "", "特种设备定期检验率", "≥99%", ge(99, "%")),
        ("", "", "新登记市场主体户数", "≥4500户", ge(4500, "户")),
        ("", "质量指标", "抽检不合格食品核查处置率", "100%", eq(100, "%")),
        ("", "", "投诉举报按时办结率", "≥98%", ge(98, "%")),
        ("", "时效指标", "企业开办时间", "≤1个工作日", le(1, "个工作日")),
        ("", "", "投诉举报处理时限", "7个工作日以内", le(7, "个工作日")),
        ("", "成本指标", "“三公”经费支出", "较上年只减不增", None),
        ("效益指标", "经济效益指标", "市场主体总量增长率", "5%-8%", between(5, 8, "%")),
        ("", "社会效益指标", "辖区内重大食品安全事故", "0起", eq(0, "起")),
        ("", "", "营商环境", "持续优化", None),
        ("", "可持续影响指标", "市场监管长效机制", "健全完善", None),
        ("满意度指标", "服务对象满意度指标", "市场主体和群众满意度", "≥90%", ge(90, "%")),
    ]
    rows = plain(data)
    meta = {
        "department": "怀宁县市场监督管理局",
        "department_code": "219-006",
        "funds_total_wan": 1365.8,
        "funds_fiscal_wan": 1320.8,
        "funds_other_wan": 45.0,
        "duties": "负责全县市场综合监督管理，统一登记市场主体，组织实施质量强县战略，负责食品"
        "安全、特种设备安全、药品和医疗器械安全监督管理，负责知识产权保护和价格监督检查。",
        "annual_tasks": [
            {"name": "食品安全监管", "content": "开展食品生产经营主体日常监督检查和监督抽检",
             "funds_wan": 85.0},
            {"name": "特种设备安全监管", "content": "开展电梯、锅炉、压力容器等特种设备安全检查",
             "funds_wan": 32.0},
            {"name": "市场主体登记服务", "content": "推进企业开办“一网通办”，优化登记服务",
             "funds_wan": 18.5},
            {"name": "知识产权保护", "content": "开展商标专利侵权执法和知识产权宣传",
             "funds_wan": 12.0},
        ],
        "annual_goal": "全面完成食品安全、特种设备安全监管和市场主体登记服务等年度任务，守住不发生"
        "重大食品安全事故底线，持续优化营商环境，市场主体和群众满意度达到90%以上。",
    }
    sheet = Sheet((2.4, 2.6, 3.0, 3.2, 2.4, 2.4))
    sheet.line("部门名称", (meta["department"], 2), "部门编码", (meta["department_code"], 2))
    sheet.put(sheet.row, 0, "年度预算资金（万元）", rows=3)
    for key in FUND_KEYS:
        sheet.line((LABELS[key], 2), (money(meta[key]), 3), start=1)
    sheet.line("职能职责概述", (meta["duties"], 5))
    tasks = meta["annual_tasks"]
    sheet.put(sheet.row, 0, "年度主要任务", rows=len(tasks) + 1)
    sheet.line("任务名称", ("主要内容", 2), ("预算金额（万元）", 2), start=1)
    for task in tasks:
        sheet.line(task["name"], (task["content"], 2), (money(task["funds_wan"]), 2), start=1)
    sheet.line("年度总体目标", (meta["annual_goal"], 5))
    columns: list[Column] = [*LEVELS[:2], ("三级指标", "level3", 2), ("指标值", "target", 2)]
    put_indicators(sheet, columns, rows)
    form = Form("department_overall", "部门整体支出绩效目标表", 2024, sheet, meta,
                [("annual", rows)], "（2024年度）")
    return Sample(
        "department-overall",
        "部门整体支出绩效目标表: 部门名称 / 部门编码 219-006 side by side, 职能职责概述, 年度主要"
        "任务 as rows of a sub-table (任务名称 | 主要内容 | 预算金额), 年度总体目标, then the grid",
        [form],
    )


# ---------------------------------------------------------------- 6. midterm-annual


def midterm_annual() -> Sample:
    # 一级, 二级, 三级, 中期指标值, expected, 年度指标值, expected
    data = [
        ("产出指标", "数量指标", "完成除险加固小型水库", "36座", eq(36, "座"), "12座",
         eq(12, "座")),
        ("", "", "新建大坝安全监测设施", "≥36套", ge(36, "套"), "≥12套", ge(12, "套")),
        ("", "质量指标", "工程质量验收合格率", "100%", eq(100, "%"), "100%", eq(100, "%")),
        ("", "", "大坝安全鉴定问题整改率", "100%", eq(100, "%"), "≥95%", ge(95, "%")),
        ("", "时效指标", "项目完工时间", "2025年底前", None, "2023年12月底前", None),
        ("", "成本指标", "单座水库平均加固投资", "≤135万元", le(1350000, "元"), "≤135万元",
         le(1350000, "元")),
        ("效益指标", "社会效益指标", "水库下游受保护人口", "≥4.2万人", ge(42000, "人"),
         "≥1.5万人", ge(15000, "人")),
        ("", "", "水库病险隐患", "全面消除", None, "有效消除", None),
        ("", "可持续影响指标", "工程设计使用年限", "≥30年", ge(30, "年"), "≥30年", ge(30, "年")),
        ("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%", ge(90, "%"), "≥90%",
         ge(90, "%")),
    ]
    midterm = plain([t[:5] for t in data])
    annual = plain([(*t[:3], *t[5:]) for t in data])
    meta = {
        "project_name": "小型水库除险加固工程",
        "department": "枞阳县水利局",
        "department_code": "071",
        "implementing_unit": "枞阳县水利建设服务中心",
        "project_source": "上级转移支付项目",
        "period": "3年（2023—2025年）",
        "funds_midterm_wan": 4860.0,
        "funds_total_wan": 1620.0,
        "funds_fiscal_wan": 1620.0,
        "funds_other_wan": 0.0,
        "midterm_goal": "2023—2025年完成36座病险小型水库除险加固，配套建设大坝安全监测设施，"
        "全面消除水库病险隐患，保障下游4.2万群众生命财产安全。",
        "annual_goal": "2023年完成12座小型水库除险加固和安全监测设施建设，工程质量验收合格率"
        "100%，保障下游1.5万群众生命财产安全。",
    }
    sheet = Sheet((1.9, 2.4, 5.0, 3.3, 1.9, 2.4, 5.0, 3.3))
    sheet.line(("项目名称", 2), (meta["project_name"], 6))
    sheet.line(("主管部门及代码", 2), (department_text(meta), 2), ("实施单位", 2),
               (meta["implementing_unit"], 2))
    sheet.line(("项目来源", 2), (meta["project_source"], 2), ("项目期", 2), (meta["period"], 2))
    sheet.put(sheet.row, 0, "项目资金（万元）", rows=3, cols=2)
    midterm_funds = (meta["funds_midterm_wan"], meta["funds_midterm_wan"], 0.0)
    labels = ("中期资金总额", LABELS["funds_fiscal_wan"], LABELS["funds_other_wan"])
    annual_labels = [LABELS[k] for k in FUND_KEYS]
    for label, wan, label2, key in zip(labels, midterm_funds, annual_labels, FUND_KEYS,
                                       strict=True):
        sheet.line(label, money(wan), (label2, 2), (money(meta[key]), 2), start=2)
    sheet.put(sheet.row, 0, "总体目标", rows=2, cols=2)
    sheet.line(("中期目标（2023—2025年）", 3), ("年度目标", 3), start=2)
    sheet.line((meta["midterm_goal"], 3), (meta["annual_goal"], 3), start=2)
    sheet.line(("中期指标", 4), ("年度指标", 4))
    columns: list[Column] = [*LEVELS, ("指标值", "target", 1)]
    top = sheet.row
    put_indicators(sheet, columns, midterm, col=0, top=top)
    put_indicators(sheet, columns, annual, col=4, top=top)
    form = Form("project_target", "项目支出绩效目标表", 2023, sheet, meta,
                [("midterm", midterm), ("annual", annual)], "（2023年度）", SIGNATURE)
    return Sample(
        "midterm-annual",
        "中期 and 年度 side by side: 中期资金总额 beside 年度资金总额, 中期目标 beside 年度目标, "
        "a 中期指标 | 年度指标 row over two 一级/二级/三级/指标值 grids; every indicator twice",
        [form],
        landscape=True,
    )


# ---------------------------------------------------------------- 7. flat-list


def flat_list() -> Sample:
    # 指标, 指标权重, 计量单位, 指标性质, 指标值, expected
    data = [
        ("城乡低保对象保障人数", "15", "人", "≥", "6800", ge(6800, "人")),
        ("特困人员救助供养人数", "10", "人", "≥", "1500", ge(1500, "人")),
        ("城市低保月保障标准", "10", "元/人·月", "≥", "830", ge(830, "元/人·月")),
        ("农村低保年保障标准", "10", "元/人·年", "≥", "9960", ge(9960, "元/人·年")),
        ("临时救助平均救助水平", "5", "元/人次", "≥", "1200", ge(1200, "元/人次")),
        ("救助资金发放及时率", "10", "%", "=", "100", eq(100, "%")),
        ("低保对象动态管理", "10", "", "定性", "应保尽保、应退尽退", None),
        ("困难群众基本生活", "10", "", "定性", "得到有效保障", None),
        ("救助对象认定错保率", "10", "%", "≤", "1", le(1, "%")),
        ("救助对象满意度", "10", "%", "≥", "90", ge(90, "%")),
    ]
    rows = [
        Ind("", "", name, value, exp, nature=nature, unit=unit, weight=weight)
        for name, weight, unit, nature, value, exp in data
    ]
    meta = {
        "project_name": "困难群众救助补助资金",
        "department": "泾县民政局",
        "implementing_unit": "泾县民政局",
        "funds_total_wan": 2450.0,
        "funds_fiscal_wan": 2450.0,
        "annual_goal": "保障全县城乡低保对象、特困人员和临时救助对象基本生活，按时足额发放"
        "救助资金，做到应保尽保、应退尽退。",
    }
    sheet = Sheet((5.4, 1.9, 2.4, 1.9, 4.2))
    sheet.line("项目名称", (meta["project_name"], 4))
    sheet.line("主管部门", (meta["department"], 2), "实施单位", meta["implementing_unit"])
    sheet.line("年度资金总额（万元）", (money(meta["funds_total_wan"]), 2), "其中：财政拨款",
               money(meta["funds_fiscal_wan"]))
    sheet.line("年度目标", (meta["annual_goal"], 4))
    columns: list[Column] = [("指标", "level3", 1), ("指标权重", "weight", 1),
                             ("计量单位", "unit", 1), ("指标性质", "nature", 1),
                             ("指标值", "target", 1)]
    put_indicators(sheet, columns, rows)
    form = Form("project_target", "项目支出绩效目标表", 2024, sheet, meta, [("annual", rows)],
                "（2024年度）")
    return Sample(
        "flat-list",
        "no 一级/二级 columns: 指标 | 指标权重 | 计量单位 | 指标性质 | 指标值, levels null",
        [form],
    )


# ---------------------------------------------------------------- 8. vocabulary-drift

# a 一级 label typed after empty paragraphs in a top-aligned merged cell: it prints mid-block
MID_LABEL = "项目完成指标"


def vocabulary_drift() -> Sample:
    old_names = [
        ("\n\n\n" + MID_LABEL, "数量指标", "指标1：培训人数（人次）", "≥1200人次",
         ge(1200, "人次")),
        ("", "", "指标2：开展培训工种", "≥8个", ge(8, "个")),
        ("", "质量指标", "指标1：培训合格率", "≥90%", ge(90, "%")),
        # the unit is printed only in the 三级's brackets
        ("", "", "指标2：取得职业资格证书人数（人）", "≥800", ge(800, "人")),
        ("", "时效指标", "指标1：培训补贴资金拨付时限", "培训结束后30个工作日内",
         le(30, "个工作日")),
        ("", "成本指标", "指标1：人均培训补贴标准", "≤1500元/人", le(1500, "元/人")),
        ("项目效益指标", "社会效益指标", "指标1：参训人员培训后就业率", "≥60%", ge(60, "%")),
        ("", "", "指标2：劳动者职业技能水平", "明显提升", None),
        ("", "环境效益指标", "指标1：线上培训替代纸质教材", "有效减少纸张消耗", None),
        ("", "可持续影响指标", "指标1：职业技能培训长效机制", "逐步完善", None),
        ("满意度指标", "满意度指标", "指标1：参训人员满意度", "≥90%", ge(90, "%")),
    ]
    scored = [
        ("产出指标（40分）", "数量指标（20分）", "公益性岗位开发数量", "≥260个", ge(260, "个")),
        ("", "", "安置就业困难人员人数", "≥240人", ge(240, "人")),
        ("", "质量指标", "岗位人员在岗率", "≥95%", ge(95, "%")),
        ("", "时效指标", "岗位补贴按月发放率", "100%", eq(100, "%")),
        ("成本指标（20分）", "经济成本指标", "岗位补贴标准", "1650元/人·月",
         eq(1650, "元/人·月")),
        ("", "", "项目总成本", "≤520万元", le(5200000, "元")),
        ("", "社会成本指标", "对周边群众生产生活的不利影响", "无", None),
        ("", "生态环境成本指标", "对生态环境的负面影响", "无明显影响", None),
        ("效益指标（30分）", "经济效益 指标", "安置人员家庭月均增收", "≥1500元", ge(1500, "元")),
        ("", "社会效益指标", "就业困难人员就业兜底保障", "有效保障", None),
        ("满意度指标（10分）", "服务对象满意度指标", "公益性岗位人员满意度", "≥90%",
         ge(90, "%")),
    ]
    training = {
        "project_name": "职业技能提升培训补贴",
        "department": "旌德县人力资源和社会保障局",
        "department_code": "066",
        "implementing_unit": "旌德县公共就业和人才服务中心",
        "project_source": "延续",
        "period": "2022年1月-2022年12月",
        "funds_total_wan": 210.0,
        "funds_fiscal_wan": 210.0,
        "funds_other_wan": 0.0,
        "annual_goal": "围绕县域主导产业开展职业技能提升培训1200人次，培训合格率90%以上，提升"
        "劳动者就业创业能力。",
    }
    posts = {
        **training,
        "project_name": "乡村公益性岗位补贴",
        "project_source": "新增",
        "period": "2022年1月-12月",
        "funds_total_wan": 520.0,
        "funds_fiscal_wan": 480.0,
        "funds_other_wan": 40.0,
        "annual_goal": "开发乡村公益性岗位260个，托底安置就业困难人员240人以上，按月足额发放"
        "岗位补贴。",
    }
    columns: list[Column] = [*LEVELS, ("指标值", "target", 1)]
    forms = []
    for meta, data in ((training, old_names), (posts, scored)):
        rows = plain(data)
        sheet = Sheet((1.2, 2.2, 2.7, 6.4, 3.5))
        project_header(sheet, meta, label_cols=2, project_source="项目属性", period="起止时间")
        put_indicators(sheet, columns, rows, lead="绩效指标")
        forms.append(Form("project_target", "项目支出绩效目标表", 2022, sheet, meta,
                          [("annual", rows)], "（2022年度）", SIGNATURE))
    return Sample(
        "vocabulary-drift",
        "older and drifting names: 项目完成指标/项目效益指标, 环境效益指标, 成本指标 as 一级 over "
        "经济/社会/生态环境成本指标, scores in labels, 指标1： enumerators, '经济效益 指标', "
        "a 一级 printed mid-block, 项目属性/起止时间 labels, units only in a 三级's brackets",
        forms,
        mid_labels=(MID_LABEL,),
    )


# ---------------------------------------------------------------- 9. traditional


def traditional() -> Sample:
    # written in Simplified (the expected text); printed through OpenCC s2t
    data = [
        ("产出指标", "数量指标", "非遗代表性传承人补助人数", "≥45人", ge(45, "人")),
        ("", "", "开展非遗展演展示活动", "≥12场", ge(12, "场")),
        ("", "", "非遗进校园活动", "≥20次", ge(20, "次")),
        ("", "质量指标", "补助资金发放准确率", "100%", eq(100, "%")),
        ("", "时效指标", "补助资金发放时限", "≤5个工作日", le(5, "个工作日")),
        ("", "成本指标", "传承人年均补助标准", "3000元/人", eq(3000, "元/人")),
        ("效益指标", "社会效益指标", "非遗保护传承氛围", "持续提升", None),
        ("", "可持续影响指标", "非遗项目传承体系", "逐步健全", None),
        ("满意度指标", "服务对象满意度指标", "传承人满意度", "≥90%", ge(90, "%")),
    ]
    rows = plain(data)
    meta = {
        "project_name": "非物质文化遗产保护传承补助",
        "department": "绩溪县文化和旅游局",
        "department_code": "102",
        "implementing_unit": "绩溪县文化馆",
        "project_source": "本级申报项目",
        "period": "1年",
        "funds_total_wan": 28.5,
        "funds_fiscal_wan": 28.5,
        "funds_other_wan": 0.0,
        "annual_goal": "对45名非遗代表性传承人给予传习补助，开展非遗展演展示和进校园活动，推动"
        "徽墨、徽菜等非遗项目活态传承。",
    }
    sheet = Sheet((1.2, 2.2, 2.7, 6.4, 3.5))
    project_header(sheet, meta, label_cols=2)
    put_indicators(sheet, [*LEVELS, ("指标值", "target", 1)], rows, lead="绩效指标")
    form = Form("project_target", "项目支出绩效目标表", 2023, sheet, meta, [("annual", rows)],
                "（2023年度）", SIGNATURE)
    return Sample(
        "traditional",
        "the whole form in Traditional characters (績效目標表, 產出指標, ≥12場, ≤5個工作日); "
        "expected text in Simplified, raw cells as printed",
        [form],
        traditional=True,
    )


# ---------------------------------------------------------------- 10. several-per-page


def several_per_page() -> Sample:
    villages = plain([
        ("产出指标", "数量指标", "传统村落民居保护修缮户数", "≥30户", ge(30, "户")),
        ("", "", "古建筑消防设施配备", "≥120处", ge(120, "处")),
        ("", "质量指标", "修缮工程验收合格率", "100%", eq(100, "%")),
        ("", "时效指标", "修缮完工时间", "2024年10月底前", None),
        ("效益指标", "社会效益指标", "传统村落风貌", "有效保护", None),
        ("满意度指标", "满意度指标", "村民满意度", "≥90%", ge(90, "%")),
    ])
    cleaning = plain([
        ("产出指标", "数量指标", "城区道路保洁面积", "≥185万平方米", ge(1850000, "平方米")),
        ("", "", "生活垃圾日清运量", "≥120吨", ge(120, "吨")),
        ("", "质量指标", "道路保洁达标率", "≥95%", ge(95, "%")),
        ("", "时效指标", "生活垃圾清运及时率", "100%", eq(100, "%")),
        ("", "成本指标", "每平方米年保洁成本", "≤3.7元/平方米", le(3.7, "元/平方米")),
        ("效益指标", "生态效益指标", "城区生活垃圾无害化处理率", "100%", eq(100, "%")),
        ("满意度指标", "服务对象满意度指标", "市民满意度", "≥85%", ge(85, "%")),
    ])
    meta = {
        "project_name": "城区道路环卫保洁服务经费",
        "department": "歙县城市管理局",
        "department_code": "105",
        "implementing_unit": "歙县环境卫生管理所",
        "project_source": "本级申报项目",
        "period": "1年",
        "funds_total_wan": 680.0,
        "funds_fiscal_wan": 680.0,
        "funds_other_wan": 0.0,
        "annual_goal": "做好城区185万平方米道路清扫保洁和生活垃圾日产日清，道路保洁达标率95%以上。",
    }
    widths = (2.6, 3.0, 6.6, 3.6)
    columns: list[Column] = [*LEVELS, ("指标值", "target", 1)]
    grid_only = Sheet(widths)
    put_indicators(grid_only, columns, villages)
    untitled = Sheet(widths)
    project_header(untitled, meta, label_cols=1)
    put_indicators(untitled, columns, cleaning)
    forms = [
        Form("project_target", "项目支出绩效目标表", 2024, grid_only, {},
             [("annual", villages)], "（2024年度）"),
        Form("project_target", None, None, untitled, meta, [("annual", cleaning)],
             new_page=False),
    ]
    return Sample(
        "several-per-page",
        "two small tables on one page: title + year + indicator grid with no header block, then "
        "a header block and grid with no title or year of its own",
        forms,
    )


# ---------------------------------------------------------------- main

# ---------------------------------------------------------------- 11. two-row-heading


def put_two_row_heading(sheet: Sheet, merged: str, subs: tuple[Column, Column],
                        after: list[Column], rows: list[Ind]) -> None:
    """一级/二级/三级 and the columns `after` headed over two rows; `merged` over the two
    sub-headings `subs`, each its own column of values."""
    top = sheet.row
    for col, (head, _, _) in enumerate(LEVELS):
        sheet.put(top, col, head, rows=2)
    sheet.put(top, 3, merged, cols=2)
    for k, (head, _, _) in enumerate(subs):
        sheet.put(top + 1, 3 + k, head)
    for k, (head, _, _) in enumerate(after):
        sheet.put(top, 5 + k, head, rows=2)
    put_indicators(sheet, [*LEVELS, *subs, *after], rows, top=top + 1, heads=False)


def two_row_heading() -> Sample:
    # 一级, 二级, 三级, the value beside the target, 指标值, expected, 依据
    data = [
        ("产出指标", "数量指标", "新建社区阅读点", "12个", "15个", eq(15, "个"), "建设方案"),
        ("", "", "新增馆藏图书", "6000册", "≥8000册", ge(8000, "册"), "采购计划"),
        ("", "质量指标", "图书验收合格率", "100%", "100%", eq(100, "%"), "验收办法"),
        ("", "时效指标", "阅读点开放时间", "2023年9月", "2024年6月底前", None, "实施方案"),
        ("", "成本指标", "单个阅读点建设成本", "≤3.2万元", "≤3万元", le(30000, "元"), "预算"),
        ("效益指标", "社会效益指标", "年接待读者人次", "3.5万人次", "≥4万人次",
         ge(40000, "人次"), "统计报表"),
        ("满意度指标", "服务对象满意度指标", "读者满意度", "92%", "≥90%", ge(90, "%"),
         "问卷调查"),
    ]
    both = carried([Ind(l1, l2, l3, value, exp, beside=prior, note=basis)
                    for l1, l2, l3, prior, value, exp, basis in data])
    # the other form prints one value a row, under the earlier year's sub-heading
    under_first = carried([Ind(l1, l2, l3, value, exp, note=basis)
                           for l1, l2, l3, _, value, exp, basis in data[:5]])
    meta = {
        "project_name": "社区阅读点建设",
        "department": "临川区文化旅游体育局",
        "department_code": "208",
        "implementing_unit": "临川区图书馆",
        "project_source": "本级申报项目",
        "period": "1年",
        "funds_total_wan": 48.0,
        "funds_fiscal_wan": 48.0,
        "funds_other_wan": 0.0,
        "annual_goal": "新建社区阅读点15个，新增馆藏图书8000册以上，年接待读者4万人次以上。",
    }
    widths = (1.8, 2.2, 4.2, 2.4, 2.4, 2.4)
    basis: list[Column] = [("指标标准或依据", "note", 1)]
    forms = []
    for rows, subs in (
        (both, (("2023年实际完成值", "beside", 1), ("预期2024年实现值", "target", 1))),
        (under_first, (("2023年实际完成值", "target", 1), ("预期2024年实现值", "beside", 1))),
    ):
        sheet = Sheet(widths)
        project_header(sheet, meta, label_cols=2)
        put_two_row_heading(sheet, "指标值", subs, basis, rows)
        forms.append(Form("project_target", "项目支出绩效目标表", 2024, sheet, meta,
                          [("annual", rows)], "（2024年度）", SIGNATURE))
    # 中期 and 年度 as the two sub-headings of one 指标值
    horizons = carried([Ind(l1, l2, l3, value, exp, beside=mid)
                        for l1, l2, l3, mid, value, exp, _ in data[:5]])
    midterm = [Ind(**{**ind.__dict__, "target": ind.beside,
                      "expect": MIDTERM[ind.level3], "beside": ""}) for ind in horizons]
    sheet = Sheet(widths[:5])
    project_header(sheet, meta, label_cols=2)
    put_two_row_heading(sheet, "指标值", (("中期", "beside", 1), ("年度", "target", 1)), [],
                        horizons)
    forms.append(Form("project_target", "项目支出绩效目标表", 2024, sheet, meta,
                      [("midterm", midterm), ("annual", horizons)], "（2024年度）", SIGNATURE))
    return Sample(
        "two-row-heading",
        "指标值 printed over two sub-headings (上年实际值 | 本年预期值, 中期 | 年度), the other "
        "headings merged over both rows; in the second table each value stands under the "
        "earlier year's sub-heading",
        forms,
    )


# the parses of the 中期 values two_row_heading prints beside its 年度 ones
MIDTERM = {
    "新建社区阅读点": eq(12, "个"),
    "新增馆藏图书": eq(6000, "册"),
    "图书验收合格率": eq(100, "%"),
    "阅读点开放时间": None,
    "单个阅读点建设成本": le(32000, "元"),
}


SAMPLES = (split_nature_unit, split_calc_symbol, swapped_nature, self_evaluation,
           department_overall, midterm_annual, flat_list, vocabulary_drift, traditional,
           several_per_page, two_row_heading)


def write_expected(sample: Sample) -> dict:
    truth = expected(sample)
    TRUTH_DIR.mkdir(parents=True, exist_ok=True)
    truth_path = TRUTH_DIR / f"{sample.name}.json"
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
    return truth


def build(sample: Sample) -> None:
    docx_path = OUT_DIR / f"{sample.name}.docx"
    pdf_path = OUT_DIR / f"{sample.name}.pdf"
    if sample.traditional:
        check_traditional(sample)
    build_docx(sample, docx_path)
    check_docx(docx_path, sample)
    to_pdf(docx_path, pdf_path)
    check_pdf(pdf_path, sample)
    truth = write_expected(sample)
    n_ind = sum(len(t["indicators"]) for t in truth["tables"])
    print(f"{pdf_path.relative_to(ROOT)}: {sample.pages} pages, {len(sample.forms)} tables, "
          f"{n_ind} indicators; text as built")


def main() -> None:
    if "--expected-only" in sys.argv:  # the expected JSON alone, documents left as committed
        for make in SAMPLES:
            write_expected(make())
        return
    if shutil.which("soffice") is None:
        sys.exit("soffice not found: apt-get install libreoffice-writer fonts-noto-cjk")
    for make in SAMPLES:
        build(make())


if __name__ == "__main__":
    main()
