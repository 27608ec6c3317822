"""The two text-layer readers, PDFium (the default) and pdfplumber, give the same grids.

Every born-digital PDF among the samples and the real-world set is read by both and its grids
compared whole: every cell's text, span, locator and indent, the lines before each table, the
page seams and every repair and warning stitching made. For scanned PDFs both must send the
same pages to OCR for the same reason (the OCR itself is the same code either way and is not
run here).

Known differences, none of which changes a grid of these documents: PDFium drops a space that
repeats another within one text object (pdfplumber's text joins runs of spaces into one anyway),
and it boxes characters of a simple, non-composite font on their baseline where pdfminer sets
them lower by the font's descent (pdfium_page.py); no document here prints in such a font.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from perftab.extract import pdf_reader
from perftab.extract.pdf_reader import open_text_layer, read_pdf_parts
from perftab.extract.scan_reader import text_layer_problem
from perftab.extract.stitch import parts_to_grids
from perftab.options import PDF_READERS, ExtractOptions, OptionError
from perftab.pipeline import extract_file

ROOT = Path(__file__).resolve().parent.parent
REALWORLD = ROOT / "tests" / "data" / "realworld" / "docs"
SAMPLE_DIRS = ["pdf", "layouts", "tree", "xlsx-print"]
SAMPLES = sorted(p for d in SAMPLE_DIRS for p in (ROOT / "samples" / d).glob("*.pdf"))
BORN_DIGITAL = SAMPLES + sorted(
    p for p in REALWORLD.glob("*.pdf") if not p.name.endswith(".scan.pdf")
)
SCANNED = sorted((ROOT / "samples" / "scans").glob("*.pdf")) + sorted(REALWORLD.glob("*.scan.pdf"))


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def grids_read_by(path: Path, reader: str) -> list:
    parts, pages = read_pdf_parts(path, reader)
    out: list = [pages]
    for grid in parts_to_grids(parts, str(path)):
        rows = [[_cell(c) for c in row] for row in grid.rows]
        context = [(line.text, line.locator) for line in grid.context]
        out.append((grid.extractor, context, grid.seams, grid.repairs, grid.warnings, rows))
    return out


def _cell(c):
    if c is None:
        return None
    return (c.text, c.row, c.col, c.rowspan, c.colspan, c.locator, c.indent, c.carried_from)


def test_every_sample_kind_is_compared():
    assert len(BORN_DIGITAL) >= 70 and len(SCANNED) >= 30


@pytest.mark.parametrize("path", BORN_DIGITAL, ids=_name)
def test_pdfium_gives_pdfplumbers_grids(path):
    by_pdfium = grids_read_by(path, "pdfium")
    assert len(by_pdfium) > 1, "no table read"
    assert by_pdfium == grids_read_by(path, "pdfplumber")


@pytest.mark.parametrize("path", SCANNED, ids=_name)
def test_both_readers_send_the_same_pages_to_ocr(path):
    def problems(reader: str) -> list[str | None]:
        with open_text_layer(path, reader) as pdf:
            return [text_layer_problem(page) for page in pdf.pages()]

    by_pdfium = problems("pdfium")
    assert all(by_pdfium), by_pdfium
    assert by_pdfium == problems("pdfplumber")


def test_an_unknown_reader_is_named():
    with pytest.raises(ValueError, match="pdf_reader: 'mupdf' is not one of pdfium, pdfplumber"):
        read_pdf_parts(BORN_DIGITAL[0], "mupdf")


def test_the_option_offers_the_readers_there_are():
    assert PDF_READERS == pdf_reader.READERS and PDF_READERS[0] == pdf_reader.DEFAULT_READER
    with pytest.raises(OptionError, match="pdf_reader: 'mupdf' is not one of pdfium, pdfplumber"):
        ExtractOptions([SAMPLES[0]], pdf_reader="mupdf")


def test_a_file_is_read_by_the_reader_asked_for(monkeypatch):
    opened = []
    plumber = pdf_reader.PlumberPdf
    monkeypatch.setattr(pdf_reader, "PlumberPdf", lambda path: opened.append(path) or plumber(path))
    path = ROOT / "samples" / "pdf" / "huoshan-2023.pdf"
    by_pdfium = extract_file(path)
    assert opened == []
    by_pdfplumber = extract_file(path, pdf_reader="pdfplumber")
    assert opened == [path]  # opened once: its pages counted from the document then read
    rows = [[(i.level3, i.target_raw, i.locator) for i in t.indicators] for t in by_pdfium.tables]
    assert len(rows) == 5 and all(rows)
    assert rows == [
        [(i.level3, i.target_raw, i.locator) for i in t.indicators] for t in by_pdfplumber.tables
    ]
