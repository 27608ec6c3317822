"""DOCX markup Word shows through: tracked insertions, deletions and content controls.

A form saved with its changes tracked, or filled in through a template's content controls,
holds its text inside w:ins and w:sdt elements that a reader taking only a paragraph's bare runs
never sees. The sample form is rewritten with that markup around every run and table; what
perftab reads must not change.
"""

from __future__ import annotations

import re
import zipfile

import docx
from conftest import SAMPLES

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


def _read(path):
    return [([getattr(t, f) for f in ("project_name", "department", "implementing_unit",
                                       "funds_total_wan", "annual_goal")],
             [(i.level1, i.level2, i.level3, i.target_raw, i.locator) for i in t.indicators])
            for t in extract_file(path).tables]


def test_tracked_changes_and_content_controls_read_as_word_shows_them(tmp_path):
    path = tmp_path / "tracked.docx"
    with zipfile.ZipFile(SAMPLE) as source, zipfile.ZipFile(path, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = _rewritten(data.decode("utf-8")).encode("utf-8")
            out.writestr(item, data)
    # the markup really hides the text from a reader of bare runs
    assert not any(p.text for p in docx.Document(str(path)).paragraphs)
    assert docx.Document(str(path)).tables == []
    expected = _read(SAMPLE)
    assert expected and all(rows for _, rows in expected)
    assert _read(path) == expected
