"""The fields output: every header value of a table with the text printed in its cell, its label
and where the cell is, so an auditor can get from a cleaned value back to what was printed.

tests/data/fields/<sample>-tNN.csv is one table's expected rows, written by hand from the
printed document: the value as the tables column holds it, the cell text and label as printed,
the DOCX cell, and the PDF page. The PDF boxes are checked against the page with pdfplumber.
"""

import csv
import json
import re

import docx
import pdfplumber
import pytest
from conftest import DATA, SAMPLES, assert_fields_cover_header

from perftab.cli import main
from perftab.normalize.header import label_field, split_department
from perftab.pipeline import extract_file
from perftab.writers import read_output

# (expected rows, DOCX, PDF, table index): the PDF is the DOCX exported by LibreOffice
WHOLE = [
    ("huoshan-2023-t02.csv", "docx/huoshan-2023.docx", "pdf/huoshan-2023.pdf", 2),
    ("self-evaluation-t01.csv", "layouts/self-evaluation.docx", "layouts/self-evaluation.pdf", 1),
    ("traditional-t01.csv", "layouts/traditional.docx", "layouts/traditional.pdf", 1),
]
DOCX_LOCATOR = re.compile(r"docx table (\d+) row (\d+) cell (\d+)")
PDF_LOCATOR = re.compile(r"p(\d+) \(([\d.]+),([\d.]+),([\d.]+),([\d.]+)\)")


def expected_rows(name: str) -> list[dict]:
    with open(DATA / "fields" / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def squeezed(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def printed_in(pdf_path, page: int, box: tuple) -> str:
    """The text pdfplumber reads in a box of a page, without spaces. A character belongs to the
    box its centre is in: in several of the real-world PDFs text touches the ruling lines, so a
    crop would take the first line of the next row too."""
    x0, top, x1, bottom = box

    def inside(obj) -> bool:
        return (obj.get("object_type") == "char"
                and x0 <= (obj["x0"] + obj["x1"]) / 2 <= x1
                and top <= (obj["top"] + obj["bottom"]) / 2 <= bottom)

    with pdfplumber.open(pdf_path) as pdf:
        return squeezed(pdf.pages[page - 1].filter(inside).extract_text())


@pytest.fixture(scope="module", params=["parquet", "csv"])
def written(request, tmp_path_factory):
    """The WHOLE samples extracted by the CLI, read back: (tables, fields) as lists of dicts."""
    out = tmp_path_factory.mktemp(f"out-{request.param}")
    inputs = sorted({str(SAMPLES / path) for _, d, p, _ in WHOLE for path in (d, p)})
    assert main(["extract", *inputs, "-o", str(out), "--format", request.param,
                 "--jobs", "1", "--quiet"]) == 0
    return read_output(out, "tables").to_pylist(), read_output(out, "fields").to_pylist()


def table_fields(written, source: str, index: int) -> list[dict]:
    tables, fields = written
    (table,) = [t for t in tables
                if t["source_path"] == str(SAMPLES / source) and t["table_index"] == index]
    rows = [f for f in fields if f["table_id"] == table["table_id"]]
    assert {f["year"] for f in rows} == {table["year"]}
    return rows


@pytest.mark.parametrize(("expected", "docx_path", "_pdf", "index"), WHOLE,
                         ids=[w[0] for w in WHOLE])
def test_docx_table_fields_whole(written, expected, docx_path, _pdf, index):
    got = [
        {"field": f["field"], "value": f["value"], "raw": f["raw"], "label_raw": f["label_raw"],
         "docx_locator": f["locator"], "page": f["page"]}
        for f in table_fields(written, docx_path, index)
    ]
    want = [{**{k: v for k, v in row.items() if k != "pdf_page"}, "page": None}
            for row in expected_rows(expected)]
    assert got == want


@pytest.mark.parametrize(("expected", "_docx", "pdf_path", "index"), WHOLE,
                         ids=[w[0] for w in WHOLE])
def test_pdf_table_fields_whole(written, expected, _docx, pdf_path, index):
    rows = table_fields(written, pdf_path, index)
    got = [(f["field"], f["value"], f["raw"], f["label_raw"], f["page"]) for f in rows]
    want = [(r["field"], r["value"], r["raw"], r["label_raw"], int(r["pdf_page"]))
            for r in expected_rows(expected)]
    assert got == want
    for f in rows:
        box = (f["x0"], f["top"], f["x1"], f["bottom"])
        assert printed_in(SAMPLES / pdf_path, f["page"], box) == squeezed(f["raw"]), f
        page, *corners = PDF_LOCATOR.fullmatch(f["locator"]).groups()
        assert int(page) == f["page"]
        assert [float(c) for c in corners] == pytest.approx(box, abs=0.051)


@pytest.mark.parametrize(("expected", "docx_path", "_pdf", "_index"), WHOLE,
                         ids=[w[0] for w in WHOLE])
def test_expected_docx_cells_print_the_raw_text(expected, docx_path, _pdf, _index):
    """The expected files themselves, against the document read by python-docx."""
    document = docx.Document(SAMPLES / docx_path)
    for row in expected_rows(expected):
        t, r, c = map(int, DOCX_LOCATOR.fullmatch(row["docx_locator"]).groups())
        assert document.tables[t - 1].cell(r - 1, c - 1).text.strip() == row["raw"], row


# --- every sample -------------------------------------------------------------------------------

REALWORLD = DATA / "realworld" / "docs"
DOCUMENT_SUFFIXES = {".docx", ".pdf", ".html", ".md", ".xlsx", ".txt"}
ALL_SAMPLES = sorted(  # scans in test_scans.py; the real tables' .docx and born-digital .pdf
    [p for p in SAMPLES.rglob("*") if p.suffix in DOCUMENT_SUFFIXES
     and "scans" not in p.parts and not p.name.startswith("README")]
    + [p for p in REALWORLD.glob("*") if p.suffix == ".docx" or p.name.count(".") == 1]
)


# Text drawn under a clip: the text layer holds a cut-off cell's other lines over the rows above
# and below, so what is read by position in a box is not what the cell holds
# (samples/README.md).
CLIPPED = {"huoshan-2023-fixed-rows.pdf"}


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: p.name)
def test_every_header_value_has_its_printed_text(path):
    result = extract_file(path)
    for table in result.tables:
        assert_fields_cover_header(table)
        if table.extractor == "pdf-text" and path.name not in CLIPPED:
            assert_boxes_print_the_raw_text(path, table)


def assert_boxes_print_the_raw_text(path, table) -> None:
    for f in table.fields:
        if f.field != "annual_tasks":  # many cells: test_task_list_keeps_the_printed_rows_…
            assert printed_in(path, f.page, (f.x0, f.top, f.x1, f.bottom)) == squeezed(f.raw), f


def test_task_list_keeps_the_printed_rows_and_their_box():
    path = SAMPLES / "layouts/department-overall.pdf"
    (table,) = extract_file(path).tables
    (tasks,) = [f for f in table.fields if f.field == "annual_tasks"]
    assert json.loads(tasks.value) == json.loads(table.annual_tasks)
    assert tasks.label_raw == "年度主要任务"
    lines = tasks.raw.split("\n")
    assert lines[0] == "任务名称 | 主要内容 | 预算金额（万元）"
    assert len(lines) == 1 + len(json.loads(table.annual_tasks))
    assert lines[1].startswith("食品安全监管 | ") and lines[1].endswith(" | 85.00")
    box = (tasks.x0, tasks.top, tasks.x1, tasks.bottom)
    # the box holds the task table's characters and no others (read in another order: the
    # wrapped 主要内容 lines interleave with their row's other cells)
    printed = printed_in(path, tasks.page, box)
    assert sorted(printed) == sorted(squeezed(tasks.raw.replace(" | ", "")))


# --- values that are not read -------------------------------------------------------------------


def form(tmp_path, *tables: list[tuple[str, ...]]):
    """A DOCX of a title and the given tables, each a list of rows of cell texts."""
    document = docx.Document()
    document.add_paragraph("2023年度项目支出绩效目标表")
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, texts in enumerate(rows):
            for c, text in enumerate(texts):
                table.cell(r, c).text = text
    path = tmp_path / "form.docx"
    document.save(path)
    return path


HEADER = [
    ("项目名称", "乡村道路养护", "", ""),
    ("年度资金总额", "详见附件", "", ""),
    ("其中：财政拨款", "一般公共预算安排77300万元", "", ""),
]
INDICATORS = [
    ("一级指标", "二级指标", "三级指标", "指标值"),
    ("产出指标", "数量指标", "养护里程", "≥120公里"),
]


def test_a_value_that_is_not_a_number_keeps_its_printed_text(tmp_path):
    (table,) = extract_file(form(tmp_path, HEADER + INDICATORS)).tables
    assert (table.funds_total_wan, table.funds_fiscal_wan) == (None, 77300.0)
    rows = [(f.field, f.value, f.raw, f.label_raw, f.locator) for f in table.fields]
    assert rows == [
        ("project_name", "乡村道路养护", "乡村道路养护", "项目名称", "docx table 1 row 1 cell 2"),
        ("funds_total_wan", None, "详见附件", "年度资金总额", "docx table 1 row 2 cell 2"),
        ("funds_fiscal_wan", "77300", "一般公共预算安排77300万元", "其中：财政拨款",
         "docx table 1 row 3 cell 2"),
    ]
    assert "funds_total_wan: not a number: '详见附件' (docx table 1 row 2 cell 2)" in table.warnings


def test_a_header_printed_as_a_table_of_its_own_lends_its_fields_and_their_cells(tmp_path):
    (table,) = extract_file(form(tmp_path, HEADER, INDICATORS)).tables
    assert (table.project_name, table.funds_fiscal_wan, table.n_indicators) == (
        "乡村道路养护", 77300.0, 1)
    rows = [(f.field, f.value, f.raw, f.locator, f.year) for f in table.fields]
    assert rows == [
        ("project_name", "乡村道路养护", "乡村道路养护", "docx table 1 row 1 cell 2", 2023),
        ("funds_total_wan", None, "详见附件", "docx table 1 row 2 cell 2", 2023),
        ("funds_fiscal_wan", "77300", "一般公共预算安排77300万元", "docx table 1 row 3 cell 2",
         2023),
    ]


def test_fields_printed_as_lines_above_the_table_are_read_with_their_lines(tmp_path):
    """A form typed as paragraphs over a table of indicators: each label's value runs to the
    next label; a goal goes on over the next line; the table's own cells win."""
    document = docx.Document()
    for text in ("2023年度项目支出绩效目标表", "项目名称：乡村道路养护",
                 "主管部门：某县交通运输局　　实施单位：某县公路站",
                 "项目资金（万元）：年度资金总额 150，其中：财政拨款 120，其他资金 30",
                 "年度目标：完成道路养护120公里，", "修复桥涵8座。"):
        document.add_paragraph(text)
    rows = [("项目名称", "乡村公路养护"), *INDICATORS]
    table = document.add_table(rows=len(rows), cols=4)
    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            table.cell(r, c).text = text
    document.save(tmp_path / "paragraphs.docx")
    (table,) = extract_file(tmp_path / "paragraphs.docx").tables
    assert [(f.field, f.value, f.raw, f.label_raw, f.locator) for f in table.fields] == [
        ("project_name", "乡村公路养护", "乡村公路养护", "项目名称", "docx table 1 row 1 cell 2"),
        ("department", "某县交通运输局", "某县交通运输局", "主管部门", "docx paragraph 3"),
        ("implementing_unit", "某县公路站", "某县公路站", "实施单位", "docx paragraph 3"),
        ("funds_total_wan", "150", "150", "年度资金总额", "docx paragraph 4"),
        ("funds_fiscal_wan", "120", "120", "其中：财政拨款", "docx paragraph 4"),
        ("funds_other_wan", "30", "30", "其他资金", "docx paragraph 4"),
        ("annual_goal", "完成道路养护120公里，修复桥涵8座。", "完成道路养护120公里，修复桥涵8座。",
         "年度目标", "docx paragraph 5; docx paragraph 6"),
    ]


# --- header values read wrong carry a warning ------------------------------------------------
# A borderless header block read with two rows or two cells joined: each row as the table's
# reading leaves it, the warning the table must carry, naming what was printed and where.

MISREAD_HEADERS = {
    "two labels run together in one cell, their values in the next": (
        [("项目名称主管部门及代码", "乡村道路养护某县交通运输局", "", "")],
        "header labels run together in one cell: 项目名称 + 主管部门及代码"
        " (docx table 1 row 1 cell 1)"),
    "a title and labels run together": (
        [("项目支出绩效目标表项目名称实施单位", "乡村道路养护某县公路站", "", "")],
        "header labels run together in one cell: 项目名称 + 实施单位 (docx table 1 row 1 cell 1)"),
    "a value holding the next cell's label and value": (
        [("项目名称", "乡村道路养护 主管部门及代码 某县交通运输局", "", "")],
        "project_name: the value read holds the label 主管部门及代码:"
        " '乡村道路养护 主管部门及代码 某县交通运输局' (docx table 1 row 1 cell 2)"),
    "a value that is a label": (
        [("项目名称", "实施单位", "", "")],
        "header label 项目名称 printed but no project_name read beside it"
        " (docx table 1 row 1 cell 1)"),
    "a label whose value went elsewhere": (
        [("项目资金（万元）", "年度资金总额", "其中：财政拨款", ""),
         ("项目名称", "乡村道路养护", "", "")],
        "header label 年度资金总额 printed but no funds_total_wan read beside it"
        " (docx table 1 row 1 cell 2)"),
}


@pytest.mark.parametrize("case", MISREAD_HEADERS)
def test_a_header_field_read_wrong_is_a_warning(tmp_path, case):
    rows, warning = MISREAD_HEADERS[case]
    (table,) = extract_file(form(tmp_path, rows + INDICATORS)).tables
    assert warning in table.warnings


def test_a_label_beside_a_blank_and_a_goal_naming_labels_are_no_warning(tmp_path):
    """A form leaves a field blank beside its label; a goal may name a label in its words."""
    rows = [("项目名称", "乡村道路养护", "", ""), ("实施单位", "", "", ""),
            ("年度资金总额", "150", "", ""),
            ("年度目标", "按年度资金总额完成养护，其他资金用于修复桥涵", "", "")]
    (table,) = extract_file(form(tmp_path, rows + INDICATORS)).tables
    assert (table.project_name, table.implementing_unit, table.funds_total_wan) == (
        "乡村道路养护", None, 150.0)
    assert table.warnings == []


def test_two_rows_reading_one_name_with_different_targets_warn_on_both(tmp_path):
    """A borderless row read as the wrapped start of the next gives both rows the joined name."""
    rows = [("项目名称", "乡村道路养护", "", ""), INDICATORS[0],
            ("效益指标", "社会效益指标", "群众出行便利程度道路通畅率", "明显改善"),
            ("效益指标", "社会效益指标", "群众出行便利程度道路通畅率", "≥95%"),
            ("效益指标", "社会效益指标", "养护里程", "≥120公里"),
            ("满意度指标", "服务对象满意度指标", "养护里程", "≥90%")]
    (table,) = extract_file(form(tmp_path, rows)).tables
    assert [ind.warnings for ind in table.indicators] == [
        ["the same 三级 name read on the row beside it (seq 2) with another target: rows may be"
         " joined; check against the page"],
        ["the same 三级 name read on the row beside it (seq 1) with another target: rows may be"
         " joined; check against the page"],
        [], [],
    ]


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("[010]某县数据资源管理局", ("010", "某县数据资源管理局")),
        ("【205】某县农业农村局", ("205", "某县农业农村局")),
        ("（012）某县财政局", ("012", "某县财政局")),
        ("219-某镇人民政府", ("219", "某镇人民政府")),  # the hyphen parts code from name
        ("219001-某镇人民政府", ("219001", "某镇人民政府")),
        ("101.01 某局", ("101.01", "某局")),  # a dotted code keeps its dot
        ("某县教育局", (None, "某县教育局")),
    ],
)
def test_department_code_is_split_from_the_name(printed, expected):
    assert split_department(printed) == expected


@pytest.mark.parametrize(("label", "field"), [
    ("年度资金总额：", "funds_total_wan"),  # the labels of the common form
    ("项目金额（万元）", "funds_total_wan"),  # and others of the same meaning
    ("项目总金额", "funds_total_wan"),
    ("资金总额", "funds_total_wan"),
    ("其中：当年区级财政资金", "funds_fiscal_wan"),
    ("其中:本级财政拨款", "funds_fiscal_wan"),
    ("其中：自筹资金", "funds_other_wan"),
    ("单位自筹资金", "funds_other_wan"),
    ("财政资金项目", None),  # a value, not a label
    ("预算金额", None),  # a column of a task list
    ("其中：一般债券", None),
])
def test_money_labels_are_told_by_their_shape(label, field):
    assert label_field(label) == field
