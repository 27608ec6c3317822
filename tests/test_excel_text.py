"""Text bound for a spreadsheet (--excel) never reads as a formula; plain CSV and Parquet keep
the data exact, and perftab reads its own Excel CSV back exactly."""

import zipfile

import pyarrow as pa
import pytest
from conftest import SAMPLES

from perftab.cli import main
from perftab.excel import for_excel, from_excel
from perftab.writers import read_output

CASES = [
    # (as extracted, as written for Excel)
    ("=HYPERLINK(\"http://x\",\"点击\")", "'=HYPERLINK(\"http://x\",\"点击\")"),
    ("+86", "'+86"),
    ("-5%", "'-5%"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    # already starting with a quote: one more only where removing one on reading would be wrong
    ("'=1+1", "''=1+1"),
    ("''", "'''"),
    ("'本级", "'本级"),
    ("≥90%", "≥90%"),
    ("100%", "100%"),
    ("", ""),
    (None, None),
]


@pytest.mark.parametrize(("text", "written"), CASES, ids=[repr(c[0]) for c in CASES])
def test_formula_like_text_is_quoted_for_excel_and_read_back_exactly(text, written):
    table = pa.table({"text": pa.array([text], pa.string()), "number": [-1.0]})
    quoted = for_excel(table)
    assert quoted.to_pylist() == [{"text": written, "number": -1.0}]
    assert from_excel(quoted).equals(table)


def test_a_formula_in_a_document_is_text_only_in_the_excel_csv(tmp_path):
    docx = tmp_path / "formula.docx"
    with zipfile.ZipFile(SAMPLES / "docx" / "huoshan-2023.docx") as old, \
            zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "word/document.xml":
                data = data.replace("≥3000件".encode(), b"=1+2")
            new.writestr(info, data)
    for args, first_target in [
        (["--format", "csv", "--excel"], "'=1+2"),
        (["--format", "csv"], "=1+2"),
    ]:
        out = tmp_path / args[-1].strip("-")
        assert main(["extract", str(docx), "-o", str(out), "-q", "-j", "1", *args]) == 0
        assert f",\"{first_target}\"," in (out / "indicators.csv").read_text("utf-8-sig")
        assert "=1+2" in read_output(out, "indicators")["target_raw"].to_pylist()
    # a second run on the Excel output reads its rows back and writes them again, quoted once
    excel = tmp_path / "excel"
    assert main(["extract", str(docx), "-o", str(excel), "-q", "-j", "1", "--format", "csv",
                 "--excel"]) == 0
    assert ",\"'=1+2\"," in (excel / "indicators.csv").read_text("utf-8-sig")
