"""DOCX markup Word shows through: tracked changes, content controls, tables inside tables.

A form saved with its changes tracked, or filled in through a template's content controls,
holds its text inside w:ins and w:sdt elements that a reader taking only a paragraph's bare runs
never sees; a page laid out by a table puts the form inside one of its cells. The sample form is
rewritten with that markup; what perftab reads must not change.
"""

from __future__ import annotations

import re
import zipfile

import docx
from conftest import SAMPLES

from perftab.extract.docx_reader import read_docx
from perftab.pipeline import extract_file

SAMPLE = SAMPLES / "docx/huoshan-2023.docx"
RUN = re.compile(r"<w:r(?=[ >]).*?</w:r>", re.DOTALL)
TABLE = re.compile(r"<w:tbl>.*?</w:tbl>", re.DOTALL)
CELL = re.compile(r"<w:tc>.*?</w:tc>", re.DOTALL)
DELETED = ('<w:del w:id="0" w:author="reviewer"><w:r><w:delText>（删去的字）</w:delText></w:r>'
           "</w:del></w:p>")


def _content_control(xml: str) -> str:
    return f"<w:sdt><w:sdtPr><w:alias w:val=\"field\"/></w:sdtPr><w:sdtContent>{xml}" \
        "</w:sdtContent></w:sdt>"


def _rewritten(xml: str) -> str:
    """Every run a tracked insertion, a tracked deletion in every paragraph, each table and each
    cell of it inside a content control."""
    xml = RUN.sub(lambda m: f'<w:ins w:id="0" w:author="reviewer">{m.group(0)}</w:ins>', xml)
    xml = xml.replace("</w:p>", DELETED)
    return TABLE.sub(lambda t: _content_control(CELL.sub(
        lambda c: _content_control(c.group(0)), t.group(0))), xml)


def _rewrite(tmp_path, name, change):
    path = tmp_path / name
    with zipfile.ZipFile(SAMPLE) as source, zipfile.ZipFile(path, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            out.writestr(item, data)
    return path


def _read(path):
    return [([getattr(t, f) for f in ("project_name", "department", "implementing_unit",
                                       "funds_total_wan", "annual_goal")],
             [(i.level1, i.level2, i.level3, i.target_raw, i.locator) for i in t.indicators])
            for t in extract_file(path).tables]


def test_tracked_changes_and_content_controls_read_as_word_shows_them(tmp_path):
    path = _rewrite(tmp_path, "tracked.docx", _rewritten)
    # the markup really hides the text from a reader of bare runs
    assert not any(p.text for p in docx.Document(str(path)).paragraphs)
    assert docx.Document(str(path)).tables == []
    expected = _read(SAMPLE)
    assert expected and all(rows for _, rows in expected)
    assert _read(path) == expected


def _framed(xml: str) -> str:
    """The body's paragraphs and tables set in the right cell of a one-row layout table, an
    empty margin cell on its left."""
    start = xml.index("<w:body>") + len("<w:body>")
    end = xml.index("<w:sectPr")
    cell = "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>"
    frame = ("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid>"
             "<w:gridCol w:w=\"600\"/><w:gridCol w:w=\"9000\"/></w:tblGrid><w:tr>"
             + cell.format(600, "<w:p/>") + cell.format(9000, xml[start:end] + "<w:p/>")
             + "</w:tr></w:tbl>")
    return xml[:start] + frame + xml[end:]


def test_a_form_inside_a_page_layout_table_is_read_as_the_form(tmp_path):
    path = _rewrite(tmp_path, "framed.docx", _framed)
    assert len(docx.Document(str(path)).tables) == 1
    assert _read(path) == _read(SAMPLE)


def test_a_small_table_inside_a_form_cell_is_that_cells_text(tmp_path):
    document = docx.Document()
    form = document.add_table(rows=2, cols=2)
    form.cell(0, 0).text, form.cell(0, 1).text = "三级指标", "指标值"
    form.cell(1, 0).text = "资金来源"
    inner = form.cell(1, 1).add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "财政拨款", (0, 1): "10", (1, 0): "其他资金", (1, 1): "0"}.items():
        inner.cell(r, c).text = text
    path = tmp_path / "inner.docx"
    document.save(str(path))
    (grid,) = read_docx(path)
    assert [[cell.text for cell in row] for row in grid.rows] == [
        ["三级指标", "指标值"], ["资金来源", "财政拨款 10其他资金 0"]]
