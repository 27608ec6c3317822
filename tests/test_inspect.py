"""perftab inspect: the intermediates of one page, and the page drawn with them where they are."""

import re

import pdfplumber
import pytest
from conftest import SAMPLES
from PIL import Image

from perftab.cli import main
from perftab.inspect import REPAIRED, ROLE, ROW, draw_findings, inspect_page

PDF = SAMPLES / "pdf" / "huoshan-2023.pdf"


@pytest.fixture(scope="module")
def findings():
    return inspect_page(PDF, 1)


def test_the_intermediates_of_the_page(findings):
    assert (findings.kind, findings.page, findings.pages, findings.scanned) == ("pdf", 1, 6, False)
    assert [p.page for p in findings.parts] == [1]
    assert len(findings.edges) > 0
    (layout,) = findings.layouts
    # the header block: 项目名称, 主管部门, 项目来源, three funds rows, 年度目标; then headings
    assert layout.header_row == 7
    assert set(layout.groups[0].roles.values()) >= {"level1", "level2", "level3", "target"}
    assert len(findings.indicators()) == 22  # the rows of page 1 holding a 三级 and its target


def test_each_indicator_row_is_drawn_where_its_text_is(findings, tmp_path):
    picture = draw_findings(findings)
    with pdfplumber.open(PDF) as pdf:
        page = pdf.pages[0]
        width, height = page.width, page.height
        scale = 2.0  # rendered at 144 dpi
        assert picture.size == (round(width * scale), round(height * scale))
        for ind in findings.indicators():
            x0, top, x1, bottom = findings.row_box(ind)
            # the 三级 text, found on the page by pdfplumber, lies inside the row's box
            found = page.search(ind.level3[:4])
            assert any(top <= m["top"] and m["bottom"] <= bottom and x0 <= m["x0"] < x1
                       for m in found), ind.level3
            # and the box is drawn: its left edge in the row's colour, halfway down the row
            pixel = picture.getpixel((round(x0 * scale), round((top + bottom) / 2 * scale)))
            assert pixel in (ROW, REPAIRED), (ind.seq, pixel)
    out = tmp_path / "p1.png"
    picture.save(out)
    with Image.open(out) as saved:
        assert saved.size == picture.size


def test_the_command_writes_the_png(tmp_path, capsys):
    out = tmp_path / "page.png"
    assert main(["inspect", str(PDF), "--page", "2", "--png", str(out)]) == 0
    with Image.open(out) as saved:
        assert saved.size == (1191, 1684)  # A4, 595.3 × 841.9 points at 2 pixels a point
    printed = capsys.readouterr().out.splitlines()
    assert re.fullmatch(
        r"page 2 of 6: 2 table parts, \d+ ruling lines, 2 grids, \d+ indicator rows "
        r"\(\d+ repaired\)", printed[0]
    )  # the first table ends on page 2 and the second starts there
    assert printed[1] == f"wrote: {out}"


def test_a_tree_tables_columns_are_drawn_as_read():
    """The layout drawn is the one normalize read the grid by: for a tree table, its name
    column and its target column, each heading outlined in the role colour."""
    findings = inspect_page(SAMPLES / "tree" / "tree-indent.pdf", 1)
    (reading,) = findings.readings
    tree = reading.layout.tree
    assert tree is not None and reading.layout.columns is None
    assert len(reading.tables) == 2  # one per project
    picture = draw_findings(findings)
    heading = findings.grids[0].rows[tree.header_row]
    for col in (tree.name_col, *tree.roles):
        x0, top, _, bottom = heading[col].bbox
        assert picture.getpixel((round(x0 * 2), round((top + bottom) / 2 * 2))) == ROLE, col


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["docx/huoshan-2023.docx"],
         "{}: a docx file has no pages to draw; inspect reads PDFs and page images"),
        (["pdf/huoshan-2023.pdf", "--page", "9"], "{}: no page 9 (the file has 6)"),
    ],
)  # fmt: skip
def test_what_cannot_be_drawn_is_said(args, message, capsys):
    path = SAMPLES / args[0]
    assert main(["inspect", str(path), *args[1:]]) == 2
    assert capsys.readouterr().err == f"perftab: {message.format(path)}\n"
