"""A page without ruling lines is searched for an unruled table only when it prints one of the
form's words or continues an unruled table from the page before; any other page (prose, most of
a budget volume) has only its lines read, which are kept as the context of the next table."""

from __future__ import annotations

from perftab.extract.pdf_reader import _page_parts
from perftab.extract.pdfium_page import PdfiumPage

SIZE = 10.0
ROWS = [["甲项", "100", "个"], ["乙项", "200", "份"], ["丙项", "300", "台"]]
BODY = ["甲项", "100", "个", "乙项", "200", "份", "丙项", "300", "台"]
FORM_HEADER = ["三级指标", "指标值", "单位"]


def page_printing(rows: list[list[str]]) -> PdfiumPage:
    """A page with `rows` set in three columns 150 points apart, 20 points between lines."""
    chars = []
    for r, row in enumerate(rows):
        top = 100.0 + 20 * r
        for c, text in enumerate(row):
            for k, ch in enumerate(text):
                x0 = 60.0 + 150 * c + SIZE * k
                chars.append({
                    "object_type": "char", "text": ch, "x0": x0, "x1": x0 + SIZE, "top": top,
                    "doctop": top, "bottom": top + SIZE, "size": SIZE, "upright": True,
                })
    page = PdfiumPage(1, (0.0, 0.0, 595.0, 842.0), 0)
    page.set_objects({"char": chars})
    return page


def test_a_page_without_the_forms_words_has_only_its_lines_read():
    parts, lines, columns = _page_parts(page_printing([["名称", "数量", "单位"], *ROWS]), [], None)
    assert (parts, columns) == ([], None)
    texts = [line.text for line in lines]
    assert texts == ["名称 数量 单位", "甲项 100 个", "乙项 200 份", "丙项 300 台"]


def test_the_same_columns_under_a_header_of_the_form_are_a_table():
    parts, lines, columns = _page_parts(page_printing([FORM_HEADER, *ROWS]), [], None)
    assert lines == [] and len(parts) == 1
    assert [c.text for c in parts[0].cells] == FORM_HEADER + BODY
    assert columns.header == tuple(FORM_HEADER)


def test_a_page_continuing_an_unruled_table_is_read_without_the_forms_words():
    _, _, columns = _page_parts(page_printing([FORM_HEADER, *ROWS]), [], None)
    parts, _, _ = _page_parts(page_printing(ROWS), [], columns)
    assert [c.text for c in parts[0].cells] == BODY
