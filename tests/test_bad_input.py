"""Bad input gets its own status and a message naming the file and the cause; the run goes on."""

import shutil

import pandas as pd
import pytest
from conftest import DATA, SAMPLES

from perftab.cli import main
from perftab.pipeline import extract_file

BAD = DATA / "bad"
GOOD_DOCX = SAMPLES / "docx" / "huoshan-2023.docx"

DAMAGED = "the file is damaged or is not what its name says; open it to check, or fetch it again"
CASES = [
    ("empty.pdf", "error", "the file is empty (0 bytes); fetch or copy it again"),
    ("empty.docx", "error", "the file is empty (0 bytes); fetch or copy it again"),
    ("not-a-pdf.pdf", "error", f"named .pdf but is not a PDF file; {DAMAGED}"),
    ("not-a-docx.docx", "error", f"named .docx but is not a DOCX file; {DAMAGED}"),
    ("truncated.pdf", "error", f"not a readable PDF (Unexpected EOF); {DAMAGED}"),
    (
        "encrypted.pdf",
        "error",
        "the PDF is encrypted with a password; remove the password "
        "(for example qpdf --decrypt --password=PW in.pdf out.pdf) and retry",
    ),
    (
        "no-table.pdf",
        "no_table",
        "no performance target table found (no table with 三级指标 and 指标值 columns)",
    ),
]


@pytest.mark.parametrize(("name", "status", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_status_and_message(name, status, message):
    result = extract_file(BAD / name)
    assert (result.status, result.error, result.n_tables) == (status, f"{BAD / name}: {message}", 0)


def test_legacy_word_file_says_how_to_convert(tmp_path):
    path = tmp_path / "旧表.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    result = extract_file(path)
    assert result.error == (
        f"{path}: a legacy Word/WPS (.doc/.wps) file; convert it to .docx first: "
        f"soffice --headless --convert-to docx '{path}'; "
        "perftab reads .pdf, .docx, .xlsx, .xls, .html/.htm, Markdown .md, tab-separated .txt/.tsv "
        "and page images .png/.jpg/.tif"
    )


def test_same_content_twice_is_extracted_once(tmp_path):
    first, second = tmp_path / "a.docx", tmp_path / "b" / "copy.docx"
    second.parent.mkdir()
    shutil.copy(GOOD_DOCX, first)
    shutil.copy(GOOD_DOCX, second)
    assert main(["extract", str(tmp_path), "-o", str(tmp_path / "out")]) == 0
    # a dataset folder, one part per input file: pandas reads it whole, in no given order
    files = pd.read_parquet(tmp_path / "out" / "files.parquet").sort_values("source_path")
    files = files.astype(object).where(files.notna(), None)
    assert files[["status", "error_kind", "duplicate_of", "n_tables"]].values.tolist() == [
        ["ok", None, None, 5],
        ["duplicate", "duplicate", str(first), 0],
    ]
    assert files.error.tolist()[1] == (
        f"{second}: the same content as {first}, which is read for both"
    )
    assert pd.read_parquet(tmp_path / "out" / "tables.parquet").shape[0] == 5


def test_a_batch_goes_on_past_bad_files(tmp_path, capsys):
    batch = tmp_path / "batch"
    shutil.copytree(BAD, batch)
    shutil.copy(GOOD_DOCX, batch / "zz-good.docx")
    code = main(["extract", str(batch), "-o", str(tmp_path / "out"), "--format", "csv"])
    assert code == 1  # some files failed
    files = pd.read_csv(tmp_path / "out" / "files.csv")
    names = files.source_path.map(lambda p: p.rsplit("/", 1)[1])
    by_name = dict(zip(names, files.status, strict=True))
    assert by_name == {
        "empty.docx": "error",
        "empty.pdf": "error",
        "encrypted.pdf": "error",
        "no-table.pdf": "no_table",
        "not-a-docx.docx": "error",
        "not-a-pdf.pdf": "error",
        "truncated.pdf": "error",
        "zz-good.docx": "ok",
    }
    indicators = pd.read_csv(tmp_path / "out" / "indicators.csv")
    assert len(indicators) == 86
    out = capsys.readouterr().out
    assert "files: 8 (ok 1, no table 1, duplicate 0, failed 6, not documents 0)" in out
    assert "indicators: 86" in out
