"""Relaid tables (tests/relayout.py) printed to PDF by LibreOffice, with their borders and
without (a borderless Word table, read from the positions of its text), come out whole: header
fields, and every row's 一级/二级/三级 and target, as tests/test_relayout.py compares the DOCX.

The PDFs and what each must give (tests/data/relayout-pdf/expected.json, the truth's fields
and `Form.expected_rows`) are made by tests/make_relayout_pdfs.py, which needs LibreOffice;
this test does not.
"""

import json

import pytest
import relayout
import test_realworld as realworld
from conftest import DATA

from perftab.pipeline import extract_file

HERE = DATA / "relayout-pdf"
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))

# PDF name -> why it does not come out whole yet (each still carries a warning: see below)
KNOWN_FAILURES: dict[str, str] = {
    "44-compound-e-ruled.pdf": "a row cut by the page break, its name and target both in two, "
                               "is read as two rows",
}


@pytest.mark.parametrize("name", relayout.document_cases(EXPECTED, KNOWN_FAILURES))
def test_relaid_pdf_comes_out_whole(name):
    want = EXPECTED[name]
    result = extract_file(HERE / name)
    assert (result.status, result.n_tables) == ("ok", 1), (result.error, result.n_tables)
    (table,) = result.tables
    assert relayout.fields_read_wrong(table, want["meta"]) == {}
    assert realworld.extracted_rows(table) == relayout.normed_rows(want["rows"])


@pytest.mark.parametrize("name", sorted(KNOWN_FAILURES))
def test_a_relaid_pdf_that_does_not_come_out_whole_says_so(name):
    result = extract_file(HERE / name)
    assert result.status != "ok" or any(
        t.warnings or any(i.warnings for i in t.indicators) for t in result.tables)


def test_every_case_is_a_pdf_here():
    assert sorted(EXPECTED) == sorted(p.name for p in HERE.glob("*.pdf"))
