"""camelot is pinned to 1.0.9: 2.0.0 sizes characters from the font's bounding box and drops
Chinese text into the row above. These fail if an upgrade brings that back."""

import pytest
from conftest import SAMPLES

from perftab.extract import document_to_grids
from perftab.extract.camelot_check import camelot_rows, cross_check
from perftab.pipeline import extract_file

PDF = SAMPLES / "pdf" / "huoshan-2023.pdf"


@pytest.mark.parametrize(
    ("level3", "target"),
    [
        ("云中心各类视频共享路数", "≥3000件"),
        ("政务服务大厅便民、便企单位应进则进率", "100%"),
        ("政务服务大厅工作人员服务", "便民、高效、快捷、规范"),
    ],
)
def test_camelot_keeps_chinese_text_in_its_row(level3, target):
    rows = camelot_rows(PDF, 1)
    assert [row[-2:] for row in rows if level3 in row] == [[level3, target]]


def test_camelot_and_pdfplumber_agree_on_every_row_of_the_sample():
    grids = document_to_grids(PDF).grids
    assert [cross_check(grid, PDF) for grid in grids] == [{}] * 5


def test_cross_check_adds_no_warning_where_both_agree():
    result = extract_file(SAMPLES / "pdf" / "huoshan-2023-narrow.pdf", cross_check=True)
    assert [w for t in result.tables for i in t.indicators for w in i.warnings] == []
