"""Tables that arrive as HTML, Markdown or Excel come out as the seed's truth, whole; each reader
keeps (or, for Markdown, honestly lacks) the spans; the kind is told by content, not by name."""

import re
import shutil
import sys
import zipfile

import pytest
from conftest import DATA, SAMPLES, table_as_truth

from perftab.extract import detect_kind, document_to_grids
from perftab.extract.html_reader import html_to_grids
from perftab.extract.limits import Limits
from perftab.extract.xlsx_reader import shown_text
from perftab.pipeline import extract_file

DAMAGED = "the file is damaged or is not what its name says; open it to check, or fetch it again"
READS = (
    "perftab reads .pdf, .docx, .xlsx, .xls, .html/.htm, Markdown .md, tab-separated .txt/.tsv "
    "and page images .png/.jpg/.tif"
)

# sample -> (kind, loose grids, locator of an indicator's target cell)
SAMPLE_FILES = {
    "html/huoshan-2023.html": ("html", False, r"html table [1-5] row \d+ cell 5"),
    # spans dropped, cells slid left: the target is the last cell of its row
    "html/huoshan-2023-spans-lost.html": ("html", True, r"html table [1-5] row \d+ cell [2-5]"),
    "markdown/huoshan-2023.md": ("markdown", True, r"line \d+ cell 5"),
    "xlsx/huoshan-2023.xlsx": ("xlsx", False, r"全部!E\d+"),
    "xlsx/huoshan-2023-sheets.xlsx": ("xlsx", False, r"表[1-5]!E\d+"),
    # the same workbooks saved as Excel 97-2003 by LibreOffice (samples/make_xls_samples.py)
    "xls/huoshan-2023.xls": ("xls", False, r"全部!E\d+"),
    "xls/huoshan-2023-sheets.xls": ("xls", False, r"表[1-5]!E\d+"),
}


@pytest.fixture(scope="module", params=list(SAMPLE_FILES))
def sample(request):
    return request.param, extract_file(SAMPLES / request.param)


def test_file_status(sample):
    name, result = sample
    assert (result.kind, result.status, result.error, result.n_tables) == (
        SAMPLE_FILES[name][0], "ok", None, 5,
    )  # fmt: skip


@pytest.mark.parametrize("index", range(5))
def test_table_matches_truth(sample, truth, index):
    _, result = sample
    assert table_as_truth(result.tables[index]) == truth[index]


def test_every_indicator_points_at_its_target_cell(sample):
    name, result = sample
    pattern = SAMPLE_FILES[name][2]
    for table in result.tables:
        for ind in table.indicators:
            assert re.fullmatch(pattern, ind.locator), ind
            assert (ind.page, ind.x0) == (None, None)


@pytest.mark.parametrize(
    ("name", "title", "year_source", "first_target"),
    [
        ("html/huoshan-2023.html", "html paragraph 1", "title: html paragraph 2",
         "html table 1 row 9 cell 5"),
        ("markdown/huoshan-2023.md", "line 1", "title: line 3", "line 16 cell 5"),
        ("xlsx/huoshan-2023.xlsx", "全部!A1", "title: 全部!A2", "全部!E12"),
        ("xlsx/huoshan-2023-sheets.xlsx", "表1!A1", "title: 表1!A2", "表1!E12"),
        ("xls/huoshan-2023.xls", "全部!A1", "title: 全部!A2", "全部!E12"),
        ("xls/huoshan-2023-sheets.xls", "表1!A1", "title: 表1!A2", "表1!E12"),
    ],
)  # fmt: skip
def test_locators_of_the_first_table(name, title, year_source, first_target):
    table = extract_file(SAMPLES / name).tables[0]
    assert (table.locator, table.year_source, table.indicators[0].locator) == (
        title, year_source, first_target,
    )  # fmt: skip


@pytest.mark.parametrize("name", list(SAMPLE_FILES))
def test_grids_are_loose_only_without_spans(name):
    grids = document_to_grids(SAMPLES / name).grids
    assert [g.loose for g in grids] == [SAMPLE_FILES[name][1]] * 5


@pytest.mark.parametrize(
    "name",
    ["html/huoshan-2023.html", "xlsx/huoshan-2023.xlsx", "xlsx/huoshan-2023-sheets.xlsx",
     "xls/huoshan-2023.xls"],
)
def test_a_merged_cell_is_one_cell_in_every_slot_it_covers(name):
    grid = document_to_grids(SAMPLES / name).grids[0]
    # table 1: 绩效指标 at grid row 8 over 33 rows, 产出指标 under it over 21 rows
    block, output = grid.rows[7][0], grid.rows[8][1]
    assert (block.text, block.rowspan) == ("绩效指标", 33)
    assert (output.text, output.rowspan) == ("产出指标", 21)
    assert all(grid.rows[r][0] is block for r in range(7, 40))
    assert all(grid.rows[r][1] is output for r in range(8, 29))
    funds = grid.rows[3][0]
    assert (funds.text, funds.rowspan, funds.colspan) == ("项目资金 (万元)", 3, 2)
    assert {grid.rows[r][c] for r in (3, 4, 5) for c in (0, 1)} == {funds}


def test_samples_are_what_the_script_builds():
    sys.path.insert(0, str(SAMPLES))
    try:
        import make_text_samples as make
    finally:
        sys.path.remove(str(SAMPLES))
    tables = make.load_tables()
    assert make.HTML_PATH.read_text(encoding="utf-8") == make.build_html(tables)
    spans_lost = make.build_html(tables, keep_spans=False)
    assert make.HTML_SPANS_LOST_PATH.read_text(encoding="utf-8") == spans_lost
    assert make.MARKDOWN_PATH.read_text(encoding="utf-8") == make.build_markdown(tables)
    assert make.XLSX_PATH.read_bytes() == make.build_xlsx(tables, one_sheet=True)
    assert make.XLSX_SHEETS_PATH.read_bytes() == make.build_xlsx(tables, one_sheet=False)


# ---------------------------------------------------------------- kind by content, not by name


@pytest.mark.parametrize(
    ("sample", "renamed", "kind"),
    [
        ("html/huoshan-2023.html", "表.txt", "html"),
        ("html/huoshan-2023.html", "表", "html"),
        ("markdown/huoshan-2023.md", "表.txt", "markdown"),
        # a workbook saved under a Word name is read as the workbook it is
        ("xlsx/huoshan-2023.xlsx", "表.docx", "xlsx"),
        ("docx/huoshan-2023.docx", "表.xlsx", "docx"),
        ("seed/huoshan-2023-performance-targets.txt", "表.txt", "text"),
    ],
)
def test_kind_is_told_by_content(tmp_path, truth, sample, renamed, kind):
    path = tmp_path / renamed
    shutil.copy(SAMPLES / sample, path)
    result = extract_file(path)
    assert (detect_kind(path), result.kind, result.status, result.n_tables) == (kind, kind, "ok", 5)
    assert [table_as_truth(t) for t in result.tables] == truth


def _zip(path, members: dict[str, str]):
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def _with_filepass(data: bytes) -> bytes:
    """A BIFF8 workbook whose record after the globals' BOF is made a FILEPASS record, the mark
    Excel writes into a workbook it encrypts."""
    bof = data.index(b"\x09\x08\x10\x00\x00\x06\x05\x00")  # BOF: BIFF8 workbook globals
    after = bof + 4 + 16
    return data[:after] + b"\x2f\x00" + data[after + 2:]


def _overwritten(data: bytes) -> bytes:
    """The workbook with its first records after the globals' BOF overwritten with 0xFF: the
    compound file is whole, its workbook stream is not."""
    bof = data.index(b"\x09\x08\x10\x00\x00\x06\x05\x00")
    return data[:bof + 20] + b"\xff" * 400 + data[bof + 420:]


BAD_CASES = [
    (
        "archive.zip",
        lambda p: _zip(p, {"readme.txt": "hello"}),
        "a ZIP archive that is neither a Word (.docx) nor an Excel (.xlsx) document; " + READS,
    ),
    (
        "not-a-workbook.xlsx",
        lambda p: _zip(p, {"readme.txt": "hello"}),
        f"named .xlsx but is not a XLSX file; {DAMAGED}",
    ),
    (
        "not-a-workbook.xlsx",
        lambda p: p.write_text("a plain text file renamed to .xlsx\n", encoding="utf-8"),
        f"named .xlsx but is not a XLSX file; {DAMAGED}",
    ),
    (
        "truncated.xlsx",
        lambda p: p.write_bytes((SAMPLES / "xlsx/huoshan-2023.xlsx").read_bytes()[:3000]),
        f"not a readable XLSX file (File is not a zip file); {DAMAGED}",
    ),
    (
        "no-workbook-part.xlsx",
        lambda p: _zip(p, {"xl/workbook.xml": "<workbook/>"}),
        "not a readable XLSX file (\"There is no item named '[Content_Types].xml' in the "
        f'archive"); {DAMAGED}',
    ),
    (
        "legacy.xls",
        lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
        "named .xls but the compound file holds no Excel workbook (damaged, or another "
        f"program's file); {DAMAGED}",
    ),
    (
        "truncated.xls",
        lambda p: p.write_bytes((SAMPLES / "xls/huoshan-2023.xls").read_bytes()[:9000]),
        "named .xls but the compound file holds no Excel workbook (damaged, or another "
        f"program's file); {DAMAGED}",
    ),
    (
        "records-overwritten.xls",
        lambda p: p.write_bytes(_overwritten((SAMPLES / "xls/huoshan-2023.xls").read_bytes())),
        f"not a readable XLS file (struct.error: unpack requires a buffer of 4 bytes); {DAMAGED}",
    ),
    (
        "password.xls",
        lambda p: p.write_bytes(_with_filepass((SAMPLES / "xls/huoshan-2023.xls").read_bytes())),
        "the workbook is password-protected; remove the password in Word/WPS (Excel/WPS for a "
        "workbook): open the file with its password, clear the password, save it, and retry",
    ),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_workbooks_and_archives_say_what_is_wrong(tmp_path, name, make, message):
    path = tmp_path / name
    make(path)
    result = extract_file(path)
    assert (result.status, result.n_tables) == ("error", 0)
    assert result.error == f"{path}: " + message.replace("{path}", str(path))


# ---------------------------------------------------------------- the readers, case by case


def _texts(grid) -> list[list[str]]:
    return [grid.row_texts(r) for r in range(len(grid.rows))]


HTML_CASES = {
    "thead-tbody-th": (
        "<table><thead><tr><th>一级</th><th>三级</th></tr></thead>"
        "<tbody><tr><td>产出</td><td>x</td></tr></tbody></table>",
        [["一级", "三级"], ["产出", "x"]],
    ),
    "rowspan-then-colspan": (
        '<table><tr><td rowspan="2">a</td><td colspan="2">b</td></tr>'
        "<tr><td>c</td><td>d</td></tr></table>",
        [["a", "b", "b"], ["a", "c", "d"]],
    ),
    "rowspan-0-runs-to-the-end": (
        '<table><tr><td rowspan="0">a</td><td>b</td></tr><tr><td>c</td></tr>'
        "<tr><td>d</td></tr></table>",
        [["a", "b"], ["a", "c"], ["a", "d"]],
    ),
    "rowspan-past-the-end-is-clipped": (
        '<table><tr><td rowspan="9">a</td><td>b</td></tr><tr><td>c</td></tr></table>',
        [["a", "b"], ["a", "c"]],
    ),
    "span-written-loosely": (
        '<table><tr><td colspan="2;">a</td></tr><tr><td>b</td><td colspan="x">c</td></tr></table>',
        [["a", "a"], ["b", "c"]],
    ),
    "br-and-p-in-a-cell-join-like-wrapped-lines": (
        "<table><tr><td>对强化各部门业务协同、<br>转变工作方式</td><td><p>Wi</p><p>Fi</p></td>"
        "</tr></table>",
        [["对强化各部门业务协同、转变工作方式", "Wi Fi"]],
    ),
    "nested-table-stays-in-its-cell": (
        "<table><tr><td>a</td><td><table><tr><td>x</td></tr></table></td></tr>"
        "<tr><td>b</td><td>c</td></tr></table>",
        [["a", "x"], ["b", "c"]],
    ),
    "unclosed-tags-as-exporters-write-them": (
        "<table><tr><td>a<td>b<tr><td>c<td>d</table>",
        [["a", "b"], ["c", "d"]],
    ),
}


@pytest.mark.parametrize(("markup", "texts"), HTML_CASES.values(), ids=list(HTML_CASES))
def test_html_table_model(markup, texts):
    grids, n_tables = html_to_grids(markup, "case.html")
    assert (n_tables, _texts(grids[0]), grids[0].loose) == (1, texts, False)


def test_html_grid_is_loose_when_its_spans_do_not_add_up():
    # the 一级 cell's rowspan was lost: the second row's cells slid left and its last slot is empty
    markup = "<table><tr><td>产出指标</td><td>a</td><td>1</td></tr><tr><td>b</td><td>2</td></tr>"
    grids, _ = html_to_grids(markup, "case.html")
    assert (_texts(grids[0]), grids[0].loose) == ([["产出指标", "a", "1"], ["b", "2", ""]], True)


def test_html_context_is_the_text_before_each_table():
    markup = (
        "<html><head><title>不是标题</title><style>p{}</style></head><body>"
        "<h2>项目支出<b>绩效目标表</b></h2><div><p>(2023年度)</p>单位：万元</div>"
        "<table><tr><td>a</td></tr></table><p>第二张</p>"
        "<table><caption>项目支出绩效目标表</caption><tr><td>b</td></tr></table></body></html>"
    )
    grids, _ = html_to_grids(markup, "case.html")
    assert [[(ln.text, ln.locator) for ln in g.context] for g in grids] == [
        [
            ("项目支出绩效目标表", "html paragraph 1"),
            ("(2023年度)", "html paragraph 2"),
            ("单位：万元", "html paragraph 3"),
        ],
        [("第二张", "html paragraph 4"), ("项目支出绩效目标表", "html table 2 caption")],
    ]


def test_html_table_laying_out_a_page_is_read_through_to_the_tables_in_its_cells():
    # a site's frame: a breadcrumb row, the article's cell (its title, the form), a footer row
    markup = (
        "<table><tr><td>首页 &gt; 信息公开</td></tr><tr><td><p>项目支出绩效目标表</p>"
        "<table><tr><td>三级指标</td><td>指标值</td></tr><tr><td>培训人次</td><td>≥200人次</td>"
        "</tr></table></td></tr><tr><td>主办单位：某某局</td></tr></table>"
        "<table><tr><td>注</td><td>另一张</td></tr></table>"
    )
    grids, n_tables = html_to_grids(markup, "case.html")
    assert (n_tables, [_texts(g) for g in grids]) == (
        2, [[["三级指标", "指标值"], ["培训人次", "≥200人次"]], [["注", "另一张"]]])
    assert [[(ln.text, ln.locator) for ln in g.context] for g in grids] == [
        [("首页 > 信息公开", "html paragraph 1"), ("项目支出绩效目标表", "html paragraph 2")],
        [("主办单位：某某局", "html paragraph 3")],
    ]
    assert [g.rows[1][1].locator for g in grids[:1]] == ["html table 1 row 2 cell 2"]


def test_html_in_gb18030_declared_by_meta(tmp_path):
    path = tmp_path / "gb.htm"
    markup = '<html><head><meta charset="gb2312"></head><body><table><tr><td>产出指标</td>'
    path.write_bytes(markup.encode("gb18030"))
    grid = document_to_grids(path).grids[0]
    assert _texts(grid) == [["产出指标"]]


MARKDOWN_CASES = {
    "outer-pipes-left-off": ("a | b\n--- | ---\nc | d\n", [["a", "b"], ["c", "d"]]),
    "escaped-pipe-and-star": ("| a\\|b | 7\\*24小时 |\n|---|---|\n| c | d |\n", [
        ["a|b", "7*24小时"], ["c", "d"]]),
    "br-in-a-cell": ("| 对强化<br>各部门 | x<br/>y |\n| :-: | --: |\n", [["对强化各部门", "x y"]]),
    "short-row-padded": ("| a | b | c |\n|---|---|---|\n| d |\n", [["a", "b", "c"], ["d", "", ""]]),
}  # fmt: skip


@pytest.mark.parametrize(("text", "texts"), MARKDOWN_CASES.values(), ids=list(MARKDOWN_CASES))
def test_markdown_pipe_tables(tmp_path, text, texts):
    path = tmp_path / "case.md"
    path.write_text(text, encoding="utf-8")
    grid = document_to_grids(path).grids[0]
    assert (_texts(grid), grid.loose) == (texts, True)


def test_markdown_context_and_tables_in_sections(tmp_path):
    path = tmp_path / "case.md"
    path.write_text(
        "前言，不属于任何表\n\n# 项目支出绩效目标表 #\n\n(2023年度)\n\n| a | b |\n|---|---|\n"
        "表后的签字\n\n## 第二张\n\n| c | d |\n|---|---|\n",
        encoding="utf-8",
    )
    grids = document_to_grids(path).grids
    assert [[(ln.text, ln.locator) for ln in g.context] for g in grids] == [
        [("项目支出绩效目标表", "line 3"), ("(2023年度)", "line 5")],
        [("第二张", "line 11")],
    ]
    assert [_texts(g) for g in grids] == [[["a", "b"]], [["c", "d"]]]
    assert grids[0].rows[0][1].locator == "line 7 cell 2"


def test_markdown_with_html_tables_as_mineru_writes_them(tmp_path):
    path = tmp_path / "mineru.md"
    path.write_text(
        "# 项目支出绩效目标表\n\n(2023年度)\n\n"
        '<html><body><table><tr><td rowspan="2">产出指标</td><td>x</td></tr>'
        "<tr><td>y</td></tr></table></body></html>\n\n# 第二张\n\n"
        "<table><tr><td>a</td>\n<td>b</td></tr>\n</table>\n",
        encoding="utf-8",
    )
    grids = document_to_grids(path).grids
    assert [_texts(g) for g in grids] == [[["产出指标", "x"], ["产出指标", "y"]], [["a", "b"]]]
    assert [g.loose for g in grids] == [False, False]
    assert grids[0].rows[1][0] is grids[0].rows[0][0]
    assert [ln.text for ln in grids[0].context] == ["项目支出绩效目标表", "(2023年度)"]
    assert grids[1].rows[0][1].locator == "html table 2 row 1 cell 2"


SHOWN = [
    # (value, cell format) -> text, as Excel shows it
    ((86.0, "0.00"), "86.00"),
    ((0, "0.00"), "0.00"),
    ((36.18, "0.00"), "36.18"),
    ((0.125, "0.00"), "0.13"),  # half up, as Excel; float formatting would give 0.12
    ((1, "0%"), "100%"),
    ((0.955, "0.0%"), "95.5%"),
    ((1234.5, "#,##0"), "1235"),
    ((74.4, "General"), "74.4"),
    ((3000.0, "General"), "3000"),
    ((None, "General"), ""),
    (("≥3000件", "General"), "≥3000件"),
    (("对强化各部门业务协同、\n转变工作方式", "General"), "对强化各部门业务协同、转变工作方式"),
    ((True, "General"), "TRUE"),
    # the text a format prints around the number: a unit, an operator
    ((300, '0"天"'), "300天"),
    ((0.95, '"≥"0%'), "≥95%"),
    ((86.5, '#,##0.00"万元"'), "86.50万元"),
    ((3, '[$-804]G/通用格式"个"'), "3个"),
    ((5, "\\≤0"), "≤5"),
    ((7, '0"%"'), "7%"),  # a % in quotes is text: 7 is not multiplied
    ((5, "#,##0.00_);[Red]\\(#,##0.00\\)"), "5.00"),
    ((12, "@"), "12"),
]


@pytest.mark.parametrize(("case", "text"), SHOWN, ids=[repr(c[0]) for c in SHOWN])
def test_xlsx_values_as_excel_shows_them(case, text):
    assert shown_text(*case) == text


def test_xlsx_blocks_context_and_spans(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "My Sheet"
    cells = {
        "B1": "项目支出绩效目标表",  # a title with an empty row under it
        "B3": "一级", "C3": "三级", "D3": "指标值",
        "A4": "产出指标", "C4": "a", "D4": 1,
        "C5": "b", "D5": 2,
        "A7": "(2024年度)",  # a second table after an empty row
        "A8": "c", "B8": "d",
    }  # fmt: skip
    for ref, value in cells.items():
        sheet[ref] = value
    sheet.merge_cells("B1:D1")
    sheet.merge_cells("A4:A5")
    path = tmp_path / "case.xlsx"
    workbook.save(path)
    first, second = document_to_grids(path).grids
    assert [(ln.text, ln.locator) for ln in first.context] == [
        ("项目支出绩效目标表", "'My Sheet'!B1")
    ]
    assert _texts(first) == [
        ["", "一级", "三级", "指标值"],
        ["产出指标", "", "a", "1"],
        ["产出指标", "", "b", "2"],
    ]
    merged = first.rows[1][0]
    assert (merged.rowspan, merged.locator) == (2, "'My Sheet'!A4")
    assert first.rows[2][0] is merged
    assert [(ln.text, ln.locator) for ln in second.context] == [("(2024年度)", "'My Sheet'!A7")]
    assert _texts(second) == [["c", "d"]]


def test_xlsx_page_header_lines_are_the_first_tables_context(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "表 1"
    sheet.oddHeader.left.text = "单位：万元"
    sheet.oddHeader.center.text = "项目支出绩效目标表\n（R&&D 项目）"
    sheet.oddHeader.right.text = "第&P页 共&N页"  # a page number: no title
    sheet["A1"], sheet["B1"], sheet["A3"], sheet["B3"] = "三级", "指标值", "a", "b"
    path = tmp_path / "case.xlsx"
    workbook.save(path)
    first, second = document_to_grids(path).grids
    assert [(ln.text, ln.locator) for ln in first.context] == [
        ("单位：万元", "'表 1' page header"),
        ("项目支出绩效目标表", "'表 1' page header"),
        ("（R&D 项目）", "'表 1' page header"),
    ]
    assert second.context == []


# Excel's and Notepad's "Unicode text" is UTF-16 with a byte order mark
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
@pytest.mark.parametrize(
    ("sample", "name", "kind"),
    [
        ("seed/huoshan-2023-performance-targets.txt", "unicode.txt", "text"),
        ("markdown/huoshan-2023.md", "unicode.md", "markdown"),
        ("markdown/huoshan-2023.md", "unicode-no-extension", "markdown"),
        ("html/huoshan-2023.html", "unicode.html", "html"),
    ],
)
def test_unicode_text_with_a_byte_order_mark_is_read(sample, name, kind, encoding, tmp_path):
    text = (SAMPLES / sample).read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_bytes("\ufeff".encode(encoding) + text.encode(encoding))
    result = extract_file(path)
    assert (result.status, result.kind, result.error) == ("ok", kind, None)
    assert sum(len(t.indicators) for t in result.tables) == 86


def _hidden_xlsx(tmp_path):
    """A small form with a hidden row, hidden columns and a hidden sheet, built by openpyxl as
    samples/make_xls_samples.py builds it before saving it as .xls."""
    sys.path.insert(0, str(SAMPLES))
    try:
        import make_xls_samples
    finally:
        sys.path.remove(str(SAMPLES))
    path = tmp_path / "case.xlsx"
    make_xls_samples.hidden_workbook(path)
    return path


@pytest.mark.parametrize(
    "workbook",
    # the .xls: that workbook saved by LibreOffice (committed: no LibreOffice in the tests)
    [_hidden_xlsx, lambda _: DATA / "xls/hidden.xls"],
    ids=["xlsx", "xls"],
)
def test_workbook_text_hidden_from_a_reader_is_read_with_a_warning_naming_where(
    tmp_path, workbook
):
    first, second = document_to_grids(workbook(tmp_path)).grids
    unseen = "read from text a reader of the workbook does not see: "
    assert [[c.text for c in row] for row in first.rows] == [
        ["三级", "指标值", "备注"], ["a", "1", ""], ["b", "2", "x"], ["c", "3", ""]]
    assert first.warnings == {
        0: [unseen + "column C of sheet Sheet1 is hidden"],
        2: [unseen + "row 3 of sheet Sheet1 is hidden; column C of sheet Sheet1 is hidden"],
    }
    assert second.warnings == {
        0: [unseen + "sheet 'old copy' is hidden in the workbook"],
        1: [unseen + "sheet 'old copy' is hidden in the workbook"],
    }


def test_xls_merged_ranges_over_the_table_limit_are_refused_before_their_slots_are_made():
    from openpyxl import load_workbook

    # the merged area as openpyxl counts it in the .xlsx the .xls was saved from
    ranges = load_workbook(SAMPLES / "xlsx/huoshan-2023.xlsx")["全部"].merged_cells.ranges
    area = sum(r.size["rows"] * r.size["columns"] for r in ranges)
    path = SAMPLES / "xls/huoshan-2023.xls"
    result = extract_file(path, limits=Limits(table_cells=area - 1))
    assert (result.status, result.n_tables) == ("error", 0)
    assert result.error.startswith(
        f"{path}: refused: sheet 全部's merged ranges ({area:,} cells) exceeds the limit of "
        f"{area - 1:,} cells per table (--max-table-cells)"
    )
    assert extract_file(path, limits=Limits(table_cells=area)).n_tables == 5


def test_an_indicator_on_a_hidden_row_carries_the_warning_to_the_output(tmp_path):
    from openpyxl import load_workbook

    sample = SAMPLES / "xlsx/huoshan-2023.xlsx"
    chosen = extract_file(sample).tables[0].indicators[4]
    sheet_name, ref = chosen.locator.split("!")
    row = int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    workbook = load_workbook(sample)
    workbook[sheet_name].row_dimensions[row].hidden = True
    path = tmp_path / "hidden-row.xlsx"
    workbook.save(path)
    result = extract_file(path)
    warned = [(i.level3, i.locator, i.warnings) for t in result.tables for i in t.indicators
              if i.warnings]
    assert warned == [(chosen.level3, chosen.locator, [
        f"read from text a reader of the workbook does not see: row {row} of sheet "
        f"{sheet_name} is hidden"])]


def _copy_form(source, sheet, offset: int, spacer: int | None = None) -> None:
    """Copies a worksheet's values and merged ranges into `sheet`, `offset` columns to the
    right, leaving an empty column before column `spacer` of the source when one is named."""

    def col(c: int) -> int:
        return c + offset + (1 if spacer is not None and c >= spacer else 0)

    for row in source.iter_rows():
        for cell in row:
            if cell.value is not None:
                sheet.cell(cell.row, col(cell.column), cell.value)
    for rng in source.merged_cells.ranges:
        sheet.merge_cells(start_row=rng.min_row, start_column=col(rng.min_col),
                          end_row=rng.max_row, end_column=col(rng.max_col))


FORM_FIELDS = ("project_name", "department", "implementing_unit", "period", "funds_total_wan",
               "annual_goal")


def _forms(path):
    return [({f: getattr(t, f) for f in FORM_FIELDS},
             [(i.level1, i.level2, i.level3, i.target_raw) for i in t.indicators])
            for t in extract_file(path).tables]


def test_two_xlsx_forms_side_by_side_on_one_sheet_are_two_tables(tmp_path):
    from openpyxl import Workbook, load_workbook

    sample = SAMPLES / "xlsx/huoshan-2023-sheets.xlsx"
    book = load_workbook(sample)
    left, right = book.worksheets[:2]
    workbook = Workbook()
    sheet = workbook.active
    _copy_form(left, sheet, 0)
    _copy_form(right, sheet, left.max_column + 1)  # one empty column between the forms
    path = tmp_path / "side-by-side.xlsx"
    workbook.save(path)
    alone = _forms(sample)[:2]
    assert len(alone) == 2 and all(rows for _, rows in alone)
    assert _forms(path) == alone
    right_form = extract_file(path).tables[1]
    first_column = {i.locator.rstrip("0123456789") for i in right_form.indicators}
    assert first_column == {f"Sheet!{chr(ord('A') + left.max_column + right.max_column)}"}


def test_an_empty_spacer_column_inside_one_xlsx_form_keeps_it_whole(tmp_path):
    from openpyxl import Workbook, load_workbook

    sample = SAMPLES / "xlsx/huoshan-2023-sheets.xlsx"
    source = load_workbook(sample).worksheets[0]
    workbook = Workbook()
    _copy_form(source, workbook.active, 0, spacer=source.max_column)  # before the targets
    path = tmp_path / "spacer.xlsx"
    workbook.save(path)
    assert _forms(path) == _forms(sample)[:1]
