"""Build the sample documents of perftab from the truth file.

Run from the repository root (``make samples`` does the same)::

    .venv/bin/python samples/make_samples.py

It writes

* ``samples/docx/huoshan-2023.docx`` and ``samples/docx/huoshan-2023-narrow.docx``: the five
  项目支出绩效目标表 of ``tests/data/huoshan-2023.json`` laid out the way such forms are made in
  Word (one 5-column table per project, real vMerge/gridSpan merges, empty category rows);
* ``samples/pdf/huoshan-2023.pdf`` and ``samples/pdf/huoshan-2023-narrow.pdf``: those DOCX files
  exported to PDF by LibreOffice (``soffice`` must be on PATH; it is a dev-time tool only);
* ``tests/data/bad/*``: small broken or table-less inputs for error handling.

The layout is tuned so that LibreOffice breaks pages inside a merged 一级/二级 block and in the
middle of one row's wrapped 三级 text; the script checks that on the produced PDF and fails if
a different LibreOffice or font set moved the breaks. Output is byte-for-byte repeatable: zip
timestamps, document properties and the PDF date and /ID are pinned.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import pdfplumber
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "tests" / "data" / "huoshan-2023.json"
DOCX_DIR = ROOT / "samples" / "docx"
PDF_DIR = ROOT / "samples" / "pdf"
BAD_DIR = ROOT / "tests" / "data" / "bad"

FONT = "Noto Serif CJK SC"  # ships with fonts-noto-cjk; the serif face stands in for 宋体
BODY_PT = 10.5  # 五号
TITLE_PT = 16  # 三号
FIXED_TIME = dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc)
ZIP_TIME = (2023, 1, 1, 0, 0, 0)

# Under 效益指标 the printed form always lists these four categories, in this order, even
# when a project has no indicator in one of them (the row is then left blank).
BENEFIT_L1 = "效益指标"
BENEFIT_L2 = ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")

# Body of tests/data/bad/no-table.pdf: budget prose that names no form and holds no table.
NO_TABLE_TEXT = (
    "霍山县数据资源管理局2023年度部门预算说明：本文件仅含文字说明，不含表格。"
    "绩效目标以批复的预算为准，具体指标见各项目申报材料。"
)

INDICATOR_HEADER = ("绩效指标", "一级指标", "二级指标", "三级指标", "指标值")
LABEL_COLS = 2  # header-block labels span the 绩效指标 and 一级 grid columns


@dataclass(frozen=True)
class Layout:
    """How one sample is laid out: column widths and where tables start."""

    name: str
    widths_cm: tuple[float, float, float, float, float]
    # Tables (0-based) that a page break puts on a new page; the others run on after the
    # previous table.
    new_page: frozenset[int]
    # Space (pt) above each title and empty paragraphs typed before a table's title (keyed by
    # table index) are the tuning knobs: they move tables down, and with them the page breaks
    # inside the tables. The values below put the breaks where samples/README.md says.
    title_space_pt: float = 16
    blank_lines: tuple[tuple[int, int], ...] = ()


REGULAR = Layout(
    name="huoshan-2023",
    # 2.7 cm is the narrowest 二级 column that keeps 社会效益指标 on one line.
    widths_cm=(1.2, 2.2, 2.7, 6.4, 3.5),
    # Table 2 runs on after table 1, so page 2 holds the end of one table and most of the next.
    new_page=frozenset({2, 3, 4}),
    # Five empty lines push table 2 down until its page break falls inside 社会效益指标.
    blank_lines=((1, 5),),
)
# The same document with a 0.8 cm 一级 column: ~12 pt inside the cell margins leaves room for
# one 10.5 pt character per line, so 产出指标 prints as four stacked characters.
NARROW = replace(REGULAR, name="huoshan-2023-narrow", widths_cm=(1.2, 0.8, 2.7, 6.4, 3.5))


@dataclass(frozen=True)
class FormRow:
    """One printed indicator row; level3/target are empty for a blank category row."""

    level1: str
    level2: str
    level3: str
    target: str


# ---------------------------------------------------------------- truth -> printed rows


def load_tables() -> list[dict]:
    return json.loads(TRUTH.read_text(encoding="utf-8"))["tables"]


def form_rows(indicators: list[dict]) -> list[FormRow]:
    """The indicator rows as the form prints them: truth order plus blank 效益 categories."""
    rows: list[FormRow] = []
    for ind in indicators:
        if ind["level1"] == BENEFIT_L1:
            if not rows or rows[-1].level1 != BENEFIT_L1:
                rows.extend(benefit_rows(indicators))
            continue
        rows.append(FormRow(ind["level1"], ind["level2"], ind["level3"], ind["target_raw"]))
    return rows


def benefit_rows(indicators: list[dict]) -> list[FormRow]:
    benefit = [i for i in indicators if i["level1"] == BENEFIT_L1]
    # The fixed category order must not reorder the truth, or the DOCX would disagree with it.
    order = [BENEFIT_L2.index(i["level2"]) for i in benefit]
    assert order == sorted(order), "truth lists 效益 categories out of form order"
    rows = []
    for level2 in BENEFIT_L2:
        mine = [i for i in benefit if i["level2"] == level2]
        rows += [FormRow(BENEFIT_L1, level2, i["level3"], i["target_raw"]) for i in mine]
        if not mine:
            rows.append(FormRow(BENEFIT_L1, level2, "", ""))
    return rows


def runs_of(values: list[str]) -> list[tuple[int, int]]:
    """(start, end) index pairs, end exclusive, of consecutive equal values."""
    runs, start = [], 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            runs.append((start, i))
            start = i
    return runs


def money(wan: float) -> str:
    return f"{wan:.2f}"


# ---------------------------------------------------------------- DOCX building blocks


def set_fonts(rpr) -> None:
    """Name the CJK font explicitly; theme font attributes would override w:eastAsia."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def new_document() -> Document:
    doc = Document()
    styles = doc.styles.element
    set_fonts(styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    # Word's default widow control would keep a two-line cell paragraph together and so
    # forbid the split row we want to show.
    fmt.widow_control = False

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(2.5)

    props = doc.core_properties
    props.author = props.last_modified_by = "perftab samples"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    return doc


def add_heading(doc, year: int, page_break: bool, space_before_pt: float, blanks: int) -> None:
    for _ in range(blanks):
        doc.add_paragraph()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(space_before_pt)
    if page_break:
        # What Ctrl+Enter leaves in a real file: a page-break run at the head of the title.
        title.add_run().add_break(WD_BREAK.PAGE)
    run = title.add_run("项目支出绩效目标表")
    run.bold = True
    run.font.size = Pt(TITLE_PT)
    doc.add_paragraph(f"({year}年度)").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("项目责任人：          单位（盖章）：")


def set_borders(table) -> None:
    """Single lines round and between all cells, so the PDF carries ruling lines."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        for key, val in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            el.set(qn(f"w:{key}"), val)
        borders.append(el)
    tbl_pr.append(borders)


def new_table(doc, n_rows: int, widths_cm) -> object:
    table = doc.add_table(rows=n_rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # fixed layout: LibreOffice keeps the grid widths
    set_borders(table)
    for col, width in zip(table.columns, widths_cm, strict=True):
        col.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    return table


def fill(cell, text: str, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    """Write text into a (possibly merged) cell, vertically centred like the paper form."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    para = cell.paragraphs[0]
    para.alignment = align
    if text:
        para.add_run(text)


def merged(table, top: int, left: int, bottom: int, right: int):
    """Merge the inclusive grid rectangle and return the resulting cell."""
    first = table.cell(top, left)
    if (top, left) == (bottom, right):
        return first
    return first.merge(table.cell(bottom, right))


# ---------------------------------------------------------------- the form table

HEADER_ROWS = 7  # 项目名称, 主管部门, 项目来源, 3 x 项目资金, 年度目标


def add_header_block(table, meta: dict) -> None:
    last = len(table.columns) - 1
    fill(merged(table, 0, 0, 0, LABEL_COLS - 1), "项目名称")
    fill(merged(table, 0, LABEL_COLS, 0, last), meta["project_name"])

    pairs = (
        (
            "主管部门及代码",
            f"[{meta['department_code']}]{meta['department']}",
            "实施单位",
            meta["implementing_unit"],
        ),
        ("项目来源", meta["project_source"], "项目期", meta["period"]),
    )
    for row, (label, value, label2, value2) in enumerate(pairs, start=1):
        fill(merged(table, row, 0, row, LABEL_COLS - 1), label)
        fill(table.cell(row, 2), value)
        fill(table.cell(row, 3), label2)
        fill(table.cell(row, 4), value2)

    fill(merged(table, 3, 0, 5, LABEL_COLS - 1), "项目资金 (万元)")
    funds = (
        ("年度资金总额：", meta["funds_total_wan"]),
        ("其中：财政拨款", meta["funds_fiscal_wan"]),
        ("其他资金", meta["funds_other_wan"]),
    )
    for row, (label, wan) in enumerate(funds, start=3):
        fill(table.cell(row, 2), label)
        fill(merged(table, row, 3, row, last), money(wan))

    fill(merged(table, 6, 0, 6, LABEL_COLS - 1), "年度目标")
    fill(merged(table, 6, LABEL_COLS, 6, last), meta["annual_goal"], WD_ALIGN_PARAGRAPH.LEFT)


def add_indicator_block(table, rows: list[FormRow]) -> None:
    head = HEADER_ROWS
    first, last = head + 1, head + len(rows)
    fill(merged(table, head, 0, last, 0), INDICATOR_HEADER[0])
    for col, text in enumerate(INDICATOR_HEADER[1:], start=1):
        fill(table.cell(head, col), text)

    for start, end in runs_of([r.level1 for r in rows]):
        fill(merged(table, first + start, 1, first + end - 1, 1), rows[start].level1)
    for start, end in runs_of([(r.level1, r.level2) for r in rows]):
        fill(merged(table, first + start, 2, first + end - 1, 2), rows[start].level2)
    for i, row in enumerate(rows):
        fill(table.cell(first + i, 3), row.level3, WD_ALIGN_PARAGRAPH.LEFT)
        fill(table.cell(first + i, 4), row.target)


def build_docx(tables: list[dict], layout: Layout, path: Path) -> None:
    doc = new_document()
    for index, data in enumerate(tables):
        add_heading(
            doc,
            data.get("year", 2023),
            page_break=index in layout.new_page,
            space_before_pt=layout.title_space_pt,
            blanks=dict(layout.blank_lines).get(index, 0),
        )
        rows = form_rows(data["indicators"])
        table = new_table(doc, HEADER_ROWS + 1 + len(rows), layout.widths_cm)
        add_header_block(table, data["meta"])
        add_indicator_block(table, rows)
    buf = io.BytesIO()
    doc.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pinned_zip(buf.getvalue()))


def pinned_zip(data: bytes, rewrite=None) -> bytes:
    """Rewrite a zip with fixed member timestamps so reruns give identical bytes; `rewrite`
    (name, body) -> body may pin what a member stamps inside itself."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            body = src.read(info)
            if rewrite is not None:
                body = rewrite(info.filename, body)
            dst.writestr(zipfile.ZipInfo(info.filename, ZIP_TIME), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


# ---------------------------------------------------------------- PDF export


def to_pdf(docx_path: Path, pdf_path: Path) -> None:
    """Export with LibreOffice, using a throw-away profile so a running soffice is not hit."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        cmd = [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx_path),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)
        produced = tmp_path / (docx_path.stem + ".pdf")
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        pdf_path.write_bytes(pinned_pdf(produced.read_bytes()))


def pinned_pdf(data: bytes) -> bytes:
    """Pin what LibreOffice varies from run to run: the creation date, /ID and /DocChecksum.

    Each is replaced by a value of the same length, so every xref offset stays valid. The new
    /ID is a hash of the rest of the file: still unique per content, as the PDF spec wants.
    """
    data = re.sub(rb"(/CreationDate\(D:)\d{14}", rb"\g<1>20230101000000", data)
    body, sep, trailer = data.rpartition(b"trailer")
    volatile = rb"(/ID \[ <|>\s*<|/DocChecksum /)[0-9A-F]{32}"
    digest = hashlib.md5(body + re.sub(volatile, rb"\1", trailer)).hexdigest().upper().encode()
    return body + sep + re.sub(volatile, lambda m: m.group(1) + digest, trailer)


# ---------------------------------------------------------------- bad inputs


def make_bad_inputs(sample_pdf: Path) -> None:
    BAD_DIR.mkdir(parents=True, exist_ok=True)
    for name, kind in (("not-a-pdf.pdf", "PDF"), ("not-a-docx.docx", "DOCX")):
        text = f"A plain text file renamed to {name}; it is not a {kind}.\n"
        (BAD_DIR / name).write_text(text, encoding="utf-8")
    (BAD_DIR / "empty.pdf").write_bytes(b"")
    (BAD_DIR / "empty.docx").write_bytes(b"")

    data = sample_pdf.read_bytes()
    (BAD_DIR / "truncated.pdf").write_bytes(data[: len(data) * 40 // 100])

    writer = PdfWriter(clone_from=PdfReader(sample_pdf))
    # pypdf's default, RC4-128, is deterministic; its AES modes draw random IVs.
    writer.encrypt(user_password="perftab", owner_password="perftab-owner")
    with (BAD_DIR / "encrypted.pdf").open("wb") as out:
        writer.write(out)

    with tempfile.TemporaryDirectory() as tmp:
        doc = new_document()
        doc.add_paragraph(NO_TABLE_TEXT)
        docx_path = Path(tmp) / "no-table.docx"
        doc.save(docx_path)
        to_pdf(docx_path, BAD_DIR / "no-table.pdf")


# ---------------------------------------------------------------- checking the PDF


@dataclass(frozen=True)
class Fragment:
    """One indicator row, or the part of it, that pdfplumber finds on one page."""

    page: int  # 1-based
    table: int  # 0-based form table
    cells: tuple[str, ...]  # five cell texts as printed, line breaks kept


@dataclass(frozen=True)
class PageBreak:
    table: int  # 0-based form table
    page: int  # the page the table continues on
    before: str  # 三级 text at the bottom of page - 1
    after: str  # 三级 text at the top of page
    split_row: bool  # one row's text runs across the break
    level1: str  # the 一级 block the break falls inside, or ""
    level2: str  # the 二级 block the break falls inside, or ""
    split_labels: tuple[str, ...] = ()  # merged labels printed in two parts, as "产|出指标"


def flat(text: str) -> str:
    return text.replace("\n", "")


def read_pdf(pdf_path: Path) -> tuple[list[Fragment], list[str], int]:
    """Indicator-row fragments, the header-block text of each table, and the page count."""
    fragments: list[Fragment] = []
    headers: list[str] = []
    in_indicators = False
    with pdfplumber.open(pdf_path) as pdf:
        for page_no, page in enumerate(pdf.pages, start=1):
            for found in sorted(page.find_tables(), key=lambda t: t.bbox[1]):
                for row in found.extract():
                    cells = tuple(cell or "" for cell in row)
                    if flat(cells[0]) == "项目名称":  # a new form table starts
                        headers.append("")
                        in_indicators = False
                    if flat(cells[1]) == INDICATOR_HEADER[1]:
                        in_indicators = True
                    elif in_indicators:
                        fragments.append(Fragment(page_no, len(headers) - 1, cells))
                    else:
                        headers[-1] += "".join(flat(c) for c in cells)
        return fragments, headers, len(pdf.pages)


def check_headers(headers: list[str], tables: list[dict]) -> None:
    for index, (text, data) in enumerate(zip(headers, tables, strict=True)):
        meta = data["meta"]
        wanted = [
            meta["project_name"],
            f"[{meta['department_code']}]{meta['department']}",
            meta["implementing_unit"],
            meta["project_source"],
            meta["period"],
            money(meta["funds_total_wan"]),
            meta["annual_goal"],
        ]
        missing = [w for w in wanted if w not in text]
        if missing:
            sys.exit(f"table {index + 1}: header block lacks {missing}")


def continues(fragments: list[Fragment], i: int) -> bool:
    """True if fragment i heads a page and its table began on an earlier page."""
    if i == 0 or i >= len(fragments):
        return False
    before, here = fragments[i - 1], fragments[i]
    return before.page != here.page and before.table == here.table


def rejoin_labels(fragments: list[Fragment], tables: list[dict]):
    """Put back merged 一级/二级 labels that LibreOffice ran on over a page break.

    A tall merged cell that starts near a page bottom prints what fits of its label there and
    the rest at the top of the next page ('产' | '出指标'). Only the known labels tell such a
    tail from a new block that happens to start the page. Returns the repaired fragments and,
    per fragment index, the labels that were split just above it.
    """
    rows = [r for data in tables for r in form_rows(data["indicators"])]
    known = {1: {r.level1 for r in rows}, 2: {r.level2 for r in rows}}
    cells = [list(f.cells) for f in fragments]
    holder = {1: 0, 2: 0}  # fragment that printed the latest label, per column
    notes: dict[int, tuple[str, ...]] = {}
    for i in range(len(fragments)):
        for col in (1, 2):
            head, tail = flat(cells[holder[col]][col]), flat(cells[i][col])
            if continues(fragments, i) and head not in known[col] and head + tail in known[col]:
                cells[holder[col]][col], cells[i][col] = head + tail, ""
                notes[i] = (*notes.get(i, ()), f"{head}|{tail}")
            elif tail:
                holder[col] = i
    return [replace(f, cells=tuple(c)) for f, c in zip(fragments, cells, strict=True)], notes


def match_rows(fragments: list[Fragment], tables: list[dict]) -> list[PageBreak]:
    """Join the fragments back into rows, demand they equal the truth, list the breaks."""
    fragments, notes = rejoin_labels(fragments, tables)
    breaks: list[PageBreak] = []
    pos, prev = 0, FormRow("", "", "", "")
    for index, data in enumerate(tables):
        for want in form_rows(data["indicators"]):
            # A merged cell prints its text once; below it pdfplumber sees blank cells.
            frag = fragments[pos]
            got = FormRow(
                flat(frag.cells[1]) or prev.level1,
                flat(frag.cells[2]) or prev.level2,
                flat(frag.cells[3]),
                flat(frag.cells[4]),
            )
            if continues(fragments, pos):  # the page breaks between the previous row and this
                same1 = prev.level1 == got.level1
                same2 = same1 and prev.level2 == got.level2
                breaks.append(
                    PageBreak(
                        table=index,
                        page=frag.page,
                        before=prev.level3,
                        after=got.level3,
                        split_row=False,
                        level1=got.level1 if same1 else "",
                        level2=got.level2 if same2 else "",
                        split_labels=notes.get(pos, ()),
                    )
                )
            pos += 1
            if got.level3 != want.level3 and continues(fragments, pos):  # the row runs on
                rest = fragments[pos]
                breaks.append(
                    PageBreak(
                        table=index,
                        page=rest.page,
                        before=got.level3,
                        after=flat(rest.cells[3]),
                        split_row=True,
                        level1=got.level1,
                        level2=got.level2,
                        split_labels=notes.get(pos, ()),
                    )
                )
                got = replace(
                    got,
                    level3=got.level3 + flat(rest.cells[3]),
                    target=got.target + flat(rest.cells[4]),
                )
                pos += 1
            if got != want:
                sys.exit(f"table {index + 1}: PDF row {got} differs from truth {want}")
            prev = got
    if pos != len(fragments):
        sys.exit(f"{len(fragments) - pos} indicator rows in the PDF beyond the truth")
    return breaks


def one_char_per_line(fragments: list[Fragment]) -> bool:
    """True if every printed 一级 cell holds a single character per line."""
    lines = [line for f in fragments for line in f.cells[1].splitlines()]
    return bool(lines) and all(len(line) == 1 for line in lines)


def describe(pb: PageBreak) -> str:
    kind = "splits the row" if pb.split_row else "falls between rows"
    inside = " / ".join(x for x in (pb.level1, pb.level2) if x) or "no merged block"
    text = (
        f"page {pb.page - 1}->{pb.page}, table {pb.table + 1}: {kind} "
        f"'{pb.before}' | '{pb.after}' (inside {inside})"
    )
    if pb.split_labels:
        text += "; merged label printed in two parts: " + ", ".join(pb.split_labels)
    return text


def check_docx(path: Path) -> None:
    xml = zipfile.ZipFile(path).read("word/document.xml")
    if b"<w:vMerge" not in xml or b"<w:gridSpan" not in xml:
        sys.exit(f"{path}: no w:vMerge / w:gridSpan, merges did not happen")


# ---------------------------------------------------------------- main


def build_sample(tables: list[dict], layout: Layout) -> tuple[list[PageBreak], list[Fragment]]:
    docx_path = DOCX_DIR / f"{layout.name}.docx"
    pdf_path = PDF_DIR / f"{layout.name}.pdf"
    build_docx(tables, layout, docx_path)
    check_docx(docx_path)
    to_pdf(docx_path, pdf_path)
    fragments, headers, pages = read_pdf(pdf_path)
    check_headers(headers, tables)
    breaks = match_rows(fragments, tables)
    print(f"{pdf_path.relative_to(ROOT)}: {pages} pages, text matches truth")
    for pb in breaks:
        print("  " + describe(pb))
    return breaks, fragments


def main() -> None:
    if shutil.which("soffice") is None:
        sys.exit("soffice not found: apt-get install libreoffice-writer fonts-noto-cjk")
    tables = load_tables()
    breaks, _ = build_sample(tables, REGULAR)
    # The layout exists to show these two cases; fail loudly if LibreOffice moved them.
    if not any(pb.split_row for pb in breaks):
        sys.exit("no page break splits a row: retune REGULAR.title_space_pt")
    if not any(pb.level1 and not pb.split_row for pb in breaks):
        sys.exit("no page break between rows of a merged block: retune REGULAR.blank_lines")
    _, fragments = build_sample(tables, NARROW)
    if not one_char_per_line(fragments):
        sys.exit("narrow sample: 一级 cells do not print one character per line")
    make_bad_inputs(PDF_DIR / f"{REGULAR.name}.pdf")
    print(f"bad inputs in {BAD_DIR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
