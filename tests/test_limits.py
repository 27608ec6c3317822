"""Hostile files: each is built small in tmp_path, refused by a limit (extract/limits.py) before
the costly step allocates anything, with a `refused: …` message in its files row that tells it
from a fault in perftab; and the batch goes on to the next file."""

import shutil
import struct
import time
import zipfile
import zlib

import pandas as pd
import pytest
from conftest import SAMPLES

from perftab.cli import main
from perftab.extract.docx_reader import read_docx
from perftab.extract.xlsx_reader import read_xlsx
from perftab.pipeline import extract_file

GOOD_DOCX = SAMPLES / "docx" / "huoshan-2023.docx"
GOOD_XLSX = SAMPLES / "xlsx" / "huoshan-2023.xlsx"
HINT = "if the file is genuine, run it on its own with that limit raised"
XML_HINT = ("the limit is the XML parser's own and no option raises it; if the file is genuine, "
            "report it with the file")
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


# ---------------------------------------------------------------- builders


def repackaged(source, target, replace=None, add=None):
    """A copy of a DOCX/XLSX with parts replaced ({name: bytes}) or added ({name: chunks})."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = replace.get(info.filename, old.read(info))
            new.writestr(info.filename, data, zipfile.ZIP_DEFLATED)
        for name, chunks in add.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with new.open(info, "w", force_zip64=True) as fh:
                for chunk in chunks:
                    fh.write(chunk)
    return target


def zeros(megabytes):
    block = bytes(2**20)
    return (block for _ in range(megabytes))


def docx_with_body(tmp_path, body: str, name="hostile.docx", prolog=""):
    xml = f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document {W}><w:body>{body}'
    xml += "</w:body></w:document>"
    return repackaged(GOOD_DOCX, tmp_path / name, {"word/document.xml": xml.encode()})


def table_xml(inner: str, span: int | None = None) -> str:
    props = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span else ""
    cell = f"<w:tc>{props}<w:p><w:r><w:t>x</w:t></w:r></w:p>{inner}</w:tc>"
    return f"<w:tbl><w:tr>{cell}</w:tr></w:tbl>"


def xlsx_with_sheet_tail(tmp_path, tail: str, name="hostile.xlsx"):
    """The sample workbook with `tail` written after the first sheet's cells (merged ranges)."""
    with zipfile.ZipFile(GOOD_XLSX) as old:
        sheet = old.read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace("<mergeCells", "<ignored").replace("</mergeCells>", "</ignored>")
    head, _, rest = sheet.partition("</sheetData>")
    rest = rest.replace("<ignored", "<!--").replace("</ignored>", "-->")
    sheet = head + "</sheetData>" + tail + rest
    return repackaged(GOOD_XLSX, tmp_path / name, {"xl/worksheets/sheet1.xml": sheet.encode()})


def png_header(width, height):
    """A PNG that claims width x height pixels: signature, IHDR, one tiny IDAT, IEND."""

    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0")) + \
        chunk(b"IEND", b"")


def pdf_page(tmp_path, width_pt, height_pt, name="hostile.pdf"):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(width_pt, height_pt)
    path = tmp_path / name
    pdf.save(path)
    pdf.close()
    return path


# ---------------------------------------------------------------- the refusals


def hostile_cases(tmp_path):
    """(file, the cause its files row gives) for each hostile file."""
    gridspan = docx_with_body(tmp_path, table_xml("", span=20_000_000), "gridspan.docx")
    nested = table_xml("")
    for _ in range(11):
        nested = table_xml(nested)
    laughs = '<!DOCTYPE w:document [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    colspans = "".join("<tr><td colspan=1000>x</td></tr>" for _ in range(1_001))
    html = tmp_path / "colspan.html"
    html.write_text(f"<html><body><table>{colspans}</table></body></html>")
    image = tmp_path / "huge.png"
    image.write_bytes(png_header(100_000, 100_000))
    return [
        (
            repackaged(GOOD_DOCX, tmp_path / "bomb.docx", add={"word/media/x.bin": zeros(20)}),
            "refused: part word/media/x.bin inflates 1,029 times, from 19.9 KB to 20.0 MB, over "
            "the limit of 200 times (--max-inflation; looks like a decompression bomb)",
        ),
        (
            gridspan,
            "refused: table 1 (1 row x 20,000,000 columns with its spans) exceeds the limit of "
            "1,000,000 cells per table (--max-table-cells)",
        ),
        (
            docx_with_body(tmp_path, nested, "nested.docx"),
            "refused: table 1, nested 12 tables deep, exceeds the limit of 10 tables in tables "
            "(--max-nesting)",
        ),
        (
            docx_with_body(tmp_path, "<w:p>&b;</w:p>", "laughs.docx", prolog=laughs),
            "refused: part word/document.xml declares a DTD, which Office documents never do "
            "(looks like an XML entity bomb)",
        ),
        (
            xlsx_with_sheet_tail(
                tmp_path, '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
            ),
            "refused: part xl/worksheets/sheet1.xml's merged ranges (17,179,869,184 cells) "
            "exceeds the limit of 1,000,000 cells per table (--max-table-cells)",
        ),
        (
            html,
            "refused: html table 1 (1,001 rows x 1,000 columns with its spans) exceeds the limit "
            "of 1,000,000 cells per table (--max-table-cells)",
        ),
        (
            image,
            "refused: the image (100,000 x 100,000 = 10,000,000,000 pixels) exceeds the limit of "
            "150,000,000 pixels (--max-image-pixels)",
        ),
        (
            pdf_page(tmp_path, 14_400, 14_400),
            "refused: page 1 (14,400 x 14,400 pt) rendered at 300 dpi (3,600,000,000 pixels) "
            "exceeds the limit of 150,000,000 pixels per page (--max-page-pixels)",
        ),
    ]


def test_each_hostile_file_is_refused_by_name(tmp_path):
    for path, cause in hostile_cases(tmp_path):
        result = extract_file(path)
        assert (result.status, result.error) == ("error", f"{path}: {cause}; {HINT}"), path.name


def test_a_batch_goes_on_past_hostile_files(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    cases = hostile_cases(batch)
    shutil.copy(GOOD_DOCX, batch / "zz-good.docx")
    out = tmp_path / "out"
    assert main(["extract", str(batch), "-o", str(out), "--format", "csv", "-j", "1", "-q"]) == 1
    files = pd.read_csv(out / "files.csv")
    errors = dict(zip(files.source_path, files.error.fillna(""), strict=True))
    for path, cause in cases:
        assert errors[str(path)] == f"{path}: {cause}; {HINT}"
    assert errors[str(batch / "zz-good.docx")] == ""


def claiming_size(path, name, size):
    """The package with its part `name` declaring `size` bytes inflated in the ZIP directory:
    a part past the limit without writing one (zipfile never inflates past the declared size,
    so the declared size is what a reader can be made to hold)."""
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the central directory's first entry
    while True:
        length = struct.unpack_from("<H", data, entry + 28)[0]
        extra, comment = struct.unpack_from("<HH", data, entry + 30)
        if data[entry + 46 : entry + 46 + length] == name.encode():
            struct.pack_into("<I", data, entry + 24, size)
            break
        entry += 46 + length + extra + comment
    path.write_bytes(bytes(data))
    return path


def test_a_part_inflating_past_the_limit(tmp_path):
    path = repackaged(GOOD_DOCX, tmp_path / "big.docx", add={"customXml/big.xml": zeros(1)})
    path = claiming_size(path, "customXml/big.xml", 257 * 2**20)
    assert extract_file(path).error == (
        f"{path}: refused: part customXml/big.xml (257.0 MB inflated) exceeds the limit of "
        f"256.0 MB (--max-part-size); {HINT}"
    )


def test_a_wide_first_row_over_many_rows(tmp_path):
    rows = "".join("<w:tr><w:tc><w:p/></w:tc></w:tr>" for _ in range(9))
    wide = table_xml("", span=200_000).replace("</w:tbl>", rows + "</w:tbl>")
    path = docx_with_body(tmp_path, wide, "wide.docx")
    assert extract_file(path).error == (
        f"{path}: refused: table 1 (10 rows x 200,000 columns with its spans) exceeds the limit "
        f"of 1,000,000 cells per table (--max-table-cells); {HINT}"
    )


def test_a_table_nested_past_the_parser_depth(tmp_path):
    nested = table_xml("")
    for _ in range(99):
        nested = table_xml(nested)
    path = docx_with_body(tmp_path, nested, "deep.docx")
    assert extract_file(path).error == (
        f"{path}: refused: the nesting of elements in the document's XML exceeds the limit of "
        f"256 levels; {XML_HINT}"
    )


def test_a_cell_at_the_far_corner_of_a_sheet(tmp_path):
    cells = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    path = xlsx_with_sheet_tail(tmp_path, "")
    with zipfile.ZipFile(path) as old:
        sheet = old.read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace("</sheetData>", cells + "</sheetData>")
    far = repackaged(path, tmp_path / "far.xlsx", {"xl/worksheets/sheet1.xml": sheet.encode()})
    start = time.perf_counter()
    result = extract_file(far)
    assert (result.status, result.n_tables) == ("ok", extract_file(GOOD_XLSX).n_tables)
    assert time.perf_counter() - start < 10


# ---------------------------------------------------------------- linear readers


def one_cell_rows_xlsx(tmp_path, n):
    rows = "".join(
        f'<row r="{2 * k + 1}"><c r="A{2 * k + 1}"><v>{k}</v></c></row>'
        for k in range(n)
    )
    path = xlsx_with_sheet_tail(tmp_path, "", f"rows-{n}.xlsx")
    with zipfile.ZipFile(path) as old:
        sheet = old.read("xl/worksheets/sheet1.xml").decode()
    head, _, rest = sheet.partition("<sheetData>")
    _, _, rest = rest.partition("</sheetData>")
    sheet = f"{head}<sheetData>{rows}</sheetData>{rest}"
    parts = {"xl/worksheets/sheet1.xml": sheet.encode()}
    return repackaged(path, tmp_path / f"one-cell-{n}.xlsx", parts)


def test_one_cell_rows_between_empty_rows_read_in_linear_time(tmp_path):
    path = one_cell_rows_xlsx(tmp_path, 100_000)
    start = time.perf_counter()
    grids = read_xlsx(path)
    assert time.perf_counter() - start < 30  # was quadratic: 20,000 rows took a minute
    assert grids == []  # every block is a single text: context for a table that never comes


def test_empty_paragraphs_are_skipped_cheaply(tmp_path):
    body = "<w:p/>" * 300_000 + table_xml("")
    path = docx_with_body(tmp_path, body, "empty-paragraphs.docx")
    start = time.perf_counter()
    grids = read_docx(path)
    assert time.perf_counter() - start < 10
    assert [g.rows[0][0].text for g in grids] == ["x"]


@pytest.mark.parametrize("size", [(2000, 2000)])
def test_a_genuine_image_size_is_not_refused(tmp_path, size):
    from perftab.extract.limits import check_image

    path = tmp_path / "page.png"
    path.write_bytes(png_header(*size))
    check_image(path)  # no exception


# ---------------------------------------------------------------- blank scanned pages


def test_blank_page_judged_by_its_ink():
    import numpy as np

    from perftab.extract.blank import is_blank

    page = np.full((2339, 1654), 255, np.uint8)  # A4 at 200 dpi
    assert is_blank(page)
    page[2200:2230, 820:840] = 0  # a page number
    assert is_blank(page)
    carried = page.copy()
    for x in range(200, 320, 30):  # four characters of a cell the page break carried over
        carried[100:128, x : x + 4] = 0
        carried[100:104, x : x + 26] = 0
    assert not is_blank(carried)
    colour = np.repeat(page[..., None], 3, axis=2)
    colour[100:130, 200:700, 2] = 0  # a line of red text: dark in one channel
    assert not is_blank(colour)
    for y in range(300, 1800, 60):  # a table's rulings
        page[y : y + 2, 100:1550] = 0
    assert not is_blank(page)
    paper = np.random.default_rng(0).integers(230, 250, (2339, 1654), dtype=np.uint8)
    assert is_blank(paper)  # a scan of an empty sheet: grey paper with its grain
    paper[100:130, 200:700] = 180  # a line of faded text, grey on the grey paper
    assert not is_blank(paper)


def test_blank_scanned_pages_are_not_ocred(tmp_path, monkeypatch):
    import perftab.extract.scan_reader as scan_reader

    def fail(*args):
        raise AssertionError("a blank page went to OCR")

    monkeypatch.setenv(scan_reader.WORKERS_ENV, "1")
    monkeypatch.setattr(scan_reader, "straighten", fail)
    path = pdf_page(tmp_path, 595, 842, "blank.pdf")  # no text layer: a page for OCR
    start = time.perf_counter()
    result = extract_file(path)
    assert (result.status, result.pages) == ("no_table", 1)
    assert time.perf_counter() - start < 5
    job = scan_reader.PageJob(str(path), 1, 200.0, "no text layer")
    assert scan_reader.scan_page(job).reason == "no text layer; blank, not read"


def test_a_dtd_behind_a_long_comment_is_found(tmp_path):
    laughs = '<!-- ' + "x" * 100_000 + ' --><!DOCTYPE w:document [<!ENTITY a "ha">]>'
    path = docx_with_body(tmp_path, "<w:p>&a;</w:p>", "late-dtd.docx", prolog=laughs)
    assert extract_file(path).error == (
        f"{path}: refused: part word/document.xml declares a DTD, which Office documents never "
        f"do (looks like an XML entity bomb); {HINT}"
    )


def test_a_tiff_over_the_page_limit_is_refused_before_a_frame_is_read(tmp_path):
    from PIL import Image

    path = tmp_path / "pages.tif"
    frames = [Image.new("L", (8, 8), 255) for _ in range(3)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    assert extract_file(path, max_pages=2).error == (
        f"{path}: 3 pages, over the limit of 2 pages (--max-pages); "
        "if the file is genuine, run it on its own with a higher limit"
    )


@pytest.mark.parametrize(("name", "pipes"), [("wide.md", "|"), ("wide.txt", "\t")])
def test_a_text_table_padded_to_a_million_cells(tmp_path, name, pipes):
    path = tmp_path / name
    # 200 short rows padded to one row's 5,001 cells: a million slots from a 20 KB file
    rows = [pipes.join(["项目", "指标值"])] * 200 + [pipes.join(["x"] * 5_001)]
    if name.endswith(".md"):
        rows = [f"|{row}|" for row in rows]
        rows.insert(1, "|---|---|")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    start = time.perf_counter()
    error = extract_file(path).error
    assert error == (
        f"{path}: refused: the table at line 1 (201 rows x 5,001 "
        f"columns with its spans) exceeds the limit of 1,000,000 cells per table "
        f"(--max-table-cells); {HINT}"
    )
    assert time.perf_counter() - start < 5


def test_a_sheet_over_the_cell_limit(tmp_path):
    from perftab.extract.errors import ResourceLimit
    from perftab.extract.limits import Limits, check_sheet_cells

    with pytest.raises(ResourceLimit) as refused:
        check_sheet_cells(GOOD_XLSX, Limits(sheet_cells=10))
    assert refused.value.cause == (
        "refused: part xl/worksheets/sheet1.xml (over 10 cells) exceeds the limit of 10 cells "
        "per sheet (--max-sheet-cells)"
    )


# ---------------------------------------------------------------- each limit's option


def _padded_docx(tmp_path, name, data: bytes):
    """The sample DOCX with a part customXml/pad.bin holding `data`."""
    return repackaged(GOOD_DOCX, tmp_path / name, add={"customXml/pad.bin": [data]})


def _kb(n: int) -> str:
    return f"{n / 1024:,.1f} KB"


def _over_page_pixels(tmp_path):
    # 595 x 842 pt at 300 dpi: 2,479 x 3,508 pixels
    return (pdf_page(tmp_path, 595, 842, "a4.pdf"), "8696331", "no_table",
            "refused: page 1 (595 x 842 pt) rendered at 300 dpi (8,696,332 pixels) exceeds the "
            "limit of 8,696,331 pixels per page (--max-page-pixels)")


def _over_image_pixels(tmp_path):
    from PIL import Image

    path = tmp_path / "page.png"
    Image.new("L", (100, 100), 255).save(path)
    return (path, "9999", "no_table",
            "refused: the image (100 x 100 = 10,000 pixels) exceeds the limit of 9,999 pixels "
            "(--max-image-pixels)")


def _over_part_size(tmp_path):
    # every part of the sample is under 512 KB; the pad part is 530,000 bytes
    path = _padded_docx(tmp_path, "padded.docx", bytes(530_000))
    return (path, "512K", "ok",
            "refused: part customXml/pad.bin (517.6 KB inflated) exceeds the limit of 512.0 KB "
            "(--max-part-size)")


def _over_package_size(tmp_path):
    with zipfile.ZipFile(GOOD_DOCX) as archive:
        total = sum(info.file_size for info in archive.infolist())
    return (GOOD_DOCX, str(total - 1), "ok",
            f"refused: the package's parts ({_kb(total)} inflated) exceeds the limit of "
            f"{_kb(total - 1)} (--max-package-size)")


def _over_package_parts(tmp_path):
    with zipfile.ZipFile(GOOD_DOCX) as archive:
        parts = len(archive.infolist())
    return (GOOD_DOCX, str(parts - 1), "ok",
            f"refused: a package of {parts} parts exceeds the limit of {parts - 1} parts "
            "(--max-package-parts)")


def _over_inflation(tmp_path):
    # 1.5 MB of numbers as a sheet holds them: inflates some tens of times, under the default
    numbers = b"".join(b"<v>%d</v>" % (k * 7919 % 1000) for k in range(150_000))
    path = _padded_docx(tmp_path, "inflating.docx", numbers)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("customXml/pad.bin")
    ratio = info.file_size / info.compress_size
    limit = int(ratio)
    assert 1 < limit < ratio < 200  # over the lowered limit, under the default
    return (path, str(limit), "ok",
            f"refused: part customXml/pad.bin inflates {ratio:,.0f} times, from "
            f"{_kb(info.compress_size)} to {info.file_size / 2**20:,.1f} MB, over the limit of "
            f"{limit} times (--max-inflation; looks like a decompression bomb)")


def _over_table_cells(tmp_path):
    row = "<w:tr>" + "<w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>" * 3 + "</w:tr>"
    path = docx_with_body(tmp_path, f"<w:tbl>{row}{row}</w:tbl>", "table.docx")
    return (path, "5", "no_table",
            "refused: table 1 (2 rows x 3 columns with its spans) exceeds the limit of 5 cells "
            "per table (--max-table-cells)")


def _over_sheet_cells(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in (["项目", "指标值"], ["示例", "1"]):
        workbook.active.append(row)
    path = tmp_path / "four-cells.xlsx"
    workbook.save(path)
    return (path, "3", "no_table",
            "refused: part xl/worksheets/sheet1.xml (over 3 cells) exceeds the limit of 3 cells "
            "per sheet (--max-sheet-cells)")


def _over_nesting(tmp_path):
    nested = table_xml(table_xml(table_xml("")))  # 3 tables deep
    return (docx_with_body(tmp_path, nested, "nested.docx"), "2", "no_table",
            "refused: table 1, nested 3 tables deep, exceeds the limit of 2 tables in tables "
            "(--max-nesting)")


JUST_OVER = {
    "--max-page-pixels": _over_page_pixels,
    "--max-image-pixels": _over_image_pixels,
    "--max-part-size": _over_part_size,
    "--max-package-size": _over_package_size,
    "--max-package-parts": _over_package_parts,
    "--max-inflation": _over_inflation,
    "--max-table-cells": _over_table_cells,
    "--max-sheet-cells": _over_sheet_cells,
    "--max-nesting": _over_nesting,
}


def test_every_limit_option_is_tested():
    from perftab.options import LIMIT_OPTIONS

    assert sorted(JUST_OVER) == sorted(option for option, _, _ in LIMIT_OPTIONS.values())


def _files_row(out) -> dict:
    from perftab.writers import read_output

    (row,) = read_output(out, "files").to_pylist()
    return row


@pytest.mark.parametrize("option", JUST_OVER)
def test_a_lowered_limit_reaches_the_reader(tmp_path, option):
    """A file just over the limit given on the command line is refused naming the option; the
    same file under the default limit is read."""
    path, value, status, cause = JUST_OVER[option](tmp_path)
    lowered, default = tmp_path / "lowered", tmp_path / "default"
    assert main(["extract", str(path), "-o", str(lowered), "-q", "--in-process",
                 option, value]) == 3  # its only file failed
    row = _files_row(lowered)
    assert (row["status"], row["error_kind"], row["error"]) == (
        "error", "refused", f"{path}: {cause}; {HINT}"
    )
    assert main(["extract", str(path), "-o", str(default), "-q", "--in-process"]) == 0
    row = _files_row(default)
    assert (row["status"], row["error_kind"]) == (status, None if status == "ok" else "no_table")


def test_limits_reach_a_worker_process(tmp_path):
    """The same through a worker process (-j 1), where the options travel with each file's job."""
    path, value, _, cause = _over_table_cells(tmp_path)
    out = tmp_path / "out"
    assert main(["extract", str(path), "-o", str(out), "-q", "-j", "1",
                 "--max-table-cells", value]) == 3
    assert _files_row(out)["error"] == f"{path}: {cause}; {HINT}"


# ---------------------------------------------------------------- the XML parser's own limits

LAUGHS = "".join(  # each entity ten of the one before: h is 10**7 times "haha"
    f'<!ENTITY {name} "{("&" + prev + ";") * 10}">'
    for prev, name in zip("abcdefg", "bcdefgh", strict=True)
)
XML_CASES = [
    # (what, XML, the refusal's cause after "refused: ", or None: merely damaged)
    ("300 levels deep", "<a>" * 300 + "</a>" * 300,
     "the nesting of elements in X exceeds the limit of 256 levels"),
    ("a text of 11 MB", "<a>" + "x" * 11_000_000 + "</a>",
     "a text or attribute in X exceeds the limit of 10,000,000 bytes"),
    ("an attribute of 11 MB", '<a b="' + "x" * 11_000_000 + '"/>',
     "a text or attribute in X exceeds the limit of 10,000,000 bytes"),
    ("a name of 60,000 characters", "<a" + "x" * 60_000 + "/>",
     "an element or attribute name in X exceeds the limit of 50,000 characters"),
    ("billion laughs", f'<!DOCTYPE a [<!ENTITY a "haha">{LAUGHS}]><a>&h;</a>',
     "X expands entities (looks like an XML entity bomb)"),
    ("an entity through itself", '<!DOCTYPE a [<!ENTITY a "&b;"><!ENTITY b "&a;">]><a>&a;</a>',
     "X expands entities (looks like an XML entity bomb)"),
    ("cut short", "<a><b>text", None),
    ("tags crossed", "<a><b></a>", None),
    ("a control character", "<a>\x01</a>", None),
]


@pytest.mark.parametrize(("what", "xml", "cause"), XML_CASES, ids=[c[0] for c in XML_CASES])
def test_xml_parser_limits_are_refusals_and_other_errors_damage(what, xml, cause):
    from lxml import etree

    from perftab.extract.limits import xml_refusal

    with pytest.raises(etree.XMLSyntaxError) as error:
        etree.fromstring(xml.encode())
    refusal = xml_refusal("f.xml", "X", error.value)
    if cause is None:
        assert refusal is None
    else:
        assert str(refusal) == f"f.xml: refused: {cause}; {XML_HINT}"


def test_a_text_past_the_xml_parsers_limit_in_a_docx(tmp_path):
    from perftab.extract.limits import Limits

    huge = "<w:p><w:r><w:t>" + "x" * 11_000_000 + "</w:t></w:r></w:p>"
    path = docx_with_body(tmp_path, huge, "huge-text.docx")
    # the part inflates a thousand times: let it past that limit to reach the parser's
    result = extract_file(path, limits=Limits(inflation_ratio=10**6))
    assert (result.error_kind, result.error) == ("refused", (
        f"{path}: refused: a text or attribute in the document's XML exceeds the limit of "
        f"10,000,000 bytes; {XML_HINT}"
    ))


def test_a_text_past_the_xml_parsers_limit_in_a_sheet(tmp_path):
    from perftab.extract.limits import Limits

    text = "x" * 11_000_000
    cells = f'<row r="99"><c r="A99" t="inlineStr"><is><t>{text}</t></is></c></row>'
    path = xlsx_with_sheet_tail(tmp_path, "")
    with zipfile.ZipFile(path) as old:
        sheet = old.read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace("</sheetData>", cells + "</sheetData>")
    huge = repackaged(path, tmp_path / "huge.xlsx", {"xl/worksheets/sheet1.xml": sheet.encode()})
    result = extract_file(huge, limits=Limits(inflation_ratio=10**6))
    assert (result.error_kind, result.error) == ("refused", (
        f"{huge}: refused: a text or attribute in part xl/worksheets/sheet1.xml exceeds the "
        f"limit of 10,000,000 bytes; {XML_HINT}"
    ))


@pytest.mark.parametrize(("what", "body", "cause"), [
    ("300 levels deep", "<div>" * 300 + "x" + "</div>" * 300,
     "the nesting of elements in the page exceeds the limit of 256 levels"),
    ("a cell of 11 MB", "<table><tr><td>" + "x" * 11_000_000 + "</td></tr></table>",
     "a text or attribute in the page exceeds the limit of 10,000,000 bytes"),
])
def test_html_past_the_parsers_limit_is_refused_not_read_without_its_rest(tmp_path, what, body,
                                                                          cause):
    path = tmp_path / "page.html"
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    result = extract_file(path)
    assert (result.error_kind, result.error) == ("refused", f"{path}: refused: {cause}; {XML_HINT}")
