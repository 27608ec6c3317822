"""Scanned PDFs and page images come out as the born-digital file's rows, through OCR.

The scans (samples/scans/, made by samples/make_scans.py) are image-only copies of
samples/pdf/huoshan-2023.pdf; the truth is the same as for the born-digital sample. OCR is not
exact, so each scan has a floor for the share of indicators that match the truth exactly, and
the misses are printed (pytest -s, or shown when the assertion fails).
"""

from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pytest
from conftest import (
    META_FIELDS,
    SAMPLES,
    assert_fields_cover_header,
    table_as_truth,
    truth_tables,
)

import perftab.extract.scan_reader as scan_reader
import perftab.pipeline as pipeline
from perftab.extract.scan_reader import text_layer_problem
from perftab.pipeline import extract_file

N_INDICATORS = 86
SCANS = [
    # (file, least share of indicators exactly right, every header field right)
    ("scans/huoshan-2023-200dpi.pdf", 0.98, True),
    ("scans/huoshan-2023-150dpi.pdf", 0.95, False),
]


@dataclass
class Scanned:
    result: object  # FileResult
    grids: list  # the document's grids, caught on the way through extract_file


def extract_with_grids(path, monkeypatch) -> Scanned:
    caught = []

    def kept(grids):
        for grid in grids:
            caught.append(grid)
            yield grid

    def spy(*args, **kwargs):
        stream = real(*args, **kwargs)
        stream.grids = kept(stream.grids)
        return stream

    real = pipeline.stream_grids
    monkeypatch.setattr(pipeline, "stream_grids", spy)
    result = extract_file(path)
    monkeypatch.undo()
    return Scanned(result, caught)


@pytest.fixture(scope="module", params=SCANS, ids=[s[0] for s in SCANS])
def scan(request):
    with pytest.MonkeyPatch.context() as mp:
        return request.param, extract_with_grids(SAMPLES / request.param[0], mp)


def indicator_misses(tables) -> tuple[int, list[str]]:
    """Exact indicator matches against the truth, and a line for each miss."""
    truth = truth_tables()
    exact, misses = 0, []
    for t, want in enumerate(truth):
        got = table_as_truth(tables[t])["indicators"] if t < len(tables) else []
        for k, expected in enumerate(want["indicators"]):
            actual = got[k] if k < len(got) else {}
            if actual == expected:
                exact += 1
                continue
            diff = {f: actual.get(f) for f in expected if actual.get(f) != expected[f]}
            misses.append(f"table {t + 1} row {k + 1} {expected['level3']}: got {diff}")
    return exact, misses


def header_misses(tables) -> list[str]:
    misses = []
    for t, want in enumerate(truth_tables()):
        got = table_as_truth(tables[t])
        for name in ("year", "table_kind", "title"):
            if got[name] != want[name]:
                misses.append(f"table {t + 1} {name}: {got[name]!r} != {want[name]!r}")
        for name in META_FIELDS:
            value, expected = got["meta"][name], want["meta"][name]
            if value != expected:
                misses.append(f"table {t + 1} {name}: {value!r} != {expected!r}")
    return misses


def test_scan_is_read_as_five_tables(scan):
    _, scanned = scan
    result = scanned.result
    assert (result.status, result.error, result.kind, result.n_tables) == ("ok", None, "pdf", 5)
    assert [t.extractor for t in result.tables] == ["ocr"] * 5


def test_scan_indicators_match_the_truth(scan):
    (name, floor, _), scanned = scan
    exact, misses = indicator_misses(scanned.result.tables)
    print(f"\n{name}: {exact}/{N_INDICATORS} indicators exact", *misses, sep="\n  ")
    assert exact >= floor * N_INDICATORS, "\n".join(misses)


def test_scan_header_fields_match_the_truth(scan):
    (name, _, all_headers), scanned = scan
    misses = header_misses(scanned.result.tables)
    print(f"\n{name}: {len(misses)} header fields differ", *misses, sep="\n  ")
    if all_headers:
        assert misses == []
    else:
        assert len(misses) <= 2


def test_scan_header_values_keep_their_printed_text(scan):
    for table in scan[1].result.tables:
        assert_fields_cover_header(table)


def test_ocr_cells_carry_their_lowest_score(scan):
    """Every cell that printed text has the lowest OCR score of that text; an empty cell, or one
    given the text of a merged cell cut by a page break, has none."""
    _, scanned = scan
    cells = {id(c): c for g in scanned.grids for row in g.rows for c in row if c is not None}
    printed = [c for c in cells.values() if c.text and not getattr(c, "carried_from", None)]
    assert printed and all(c.confidence is not None and 0 < c.confidence <= 1 for c in printed)
    assert all(c.confidence is None for c in cells.values() if not c.text)


def test_scan_provenance_is_in_page_points(scan):
    _, scanned = scan
    for table in scanned.result.tables:
        for ind in table.indicators:
            assert ind.page in range(1, 7)
            assert 0 <= ind.x0 < ind.x1 <= 596 and 0 <= ind.top < ind.bottom <= 842


# --- pages with a text layer are never OCR'd ---------------------------------------------------


def test_born_digital_pages_are_never_ocrd(monkeypatch):
    calls = []
    for name in ("scan_pages", "scan_page", "ocr_boxes"):
        monkeypatch.setattr(scan_reader, name, lambda *a, _n=name, **k: calls.append(_n))
    scanned = extract_with_grids(SAMPLES / "pdf" / "huoshan-2023.pdf", monkeypatch)
    assert calls == []
    assert scanned.result.n_tables == 5
    assert {g.extractor for g in scanned.grids} == {"pdf-text"}
    assert all(c.confidence is None for g in scanned.grids for row in g.rows for c in row if c)


@dataclass
class FakePage:
    chars: list
    images: list
    width: float = 595.0
    height: float = 842.0
    lines: list = field(default_factory=list)
    rects: list = field(default_factory=list)


def _chars(text: str) -> list[dict]:
    return [{"text": ch} for ch in text]


FULL_PAGE_IMAGE = [{"width": 595.0, "height": 842.0, "srcsize": (1654, 2339)}]
TEXT_LAYERS = [
    # (case, page, why OCR or None)
    ("chinese text", FakePage(_chars("项目支出绩效目标表" * 3), []), None),
    # an OCR tool's invisible text over a scan: the ruling lines exist only in the picture
    ("text over a scan (OCR'd PDF)", FakePage(_chars("项目名称业务费" * 3), FULL_PAGE_IMAGE),
     "a scanned image under a text layer, with no ruling lines outside the picture"),
    ("text and ruling lines over a background image",
     FakePage(_chars("项目名称业务费" * 3), FULL_PAGE_IMAGE, lines=[{"x0": 0.0}]), None),
    ("numbers only, no image", FakePage(_chars("86.00 0.00 100%"), []), None),
    ("no text", FakePage([], FULL_PAGE_IMAGE), "no text layer"),
    ("blank page", FakePage(_chars("   "), []), "no text layer"),
    ("unmapped glyphs", FakePage([{"text": "(cid:1234)"}] * 30 + _chars("项目"), []),
     "text layer broken (30 of 32 glyphs have no Unicode)"),
    ("replacement characters", FakePage(_chars("\ufffd" * 10 + "项目名称"), []),
     "text layer broken (10 of 14 glyphs have no Unicode)"),
    ("latin garbage for chinese", FakePage(_chars("ÏîÄ¿Ö§³ö¼¨Ð§Ä¿±ê±í" * 3), []),
     "text layer garbled (only 0 of 27 letters are Chinese)"),
    ("scan with a page number", FakePage(_chars("- 3 -"), FULL_PAGE_IMAGE),
     "a scanned image with almost no text"),
]


@pytest.mark.parametrize(("case", "page", "why"), TEXT_LAYERS, ids=[c[0] for c in TEXT_LAYERS])
def test_text_layer_decision(case, page, why):
    assert text_layer_problem(page) == why


# --- page images -------------------------------------------------------------------------------


def test_png_page_image_reads_like_the_pdf_page(tmp_path):
    """Page 5 of the 200 dpi scan (table 4, alone on its page) saved as a PNG."""
    pdf = pdfium.PdfDocument(SAMPLES / "scans" / "huoshan-2023-200dpi.pdf")
    image = pdf[4].render(scale=200 / 72, grayscale=True).to_pil()
    pdf.close()
    path = tmp_path / "page5.png"
    image.save(path, dpi=(200, 200))
    result = extract_file(path)
    assert (result.status, result.kind, result.pages, result.n_tables) == ("ok", "image", 1, 1)
    assert result.tables[0].extractor == "ocr"
    assert table_as_truth(result.tables[0]) == truth_tables()[3]


def test_ocr_slips_in_labels_snap_to_the_vocabulary():
    """A header label or 二级 one OCR slip away from the form's words is read as them, with a
    note; a low-confidence row is flagged, its text kept."""
    from perftab.extract.grid import Cell, Grid, fill_spans
    from perftab.normalize.table import grids_to_tables

    texts = [
        ["项目名秤", "安康码建设", "安康码建设", "安康码建设"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数是指标", "搭建应用场景数", "≥2个"],
    ]
    scores = {(2, 3): 0.55}
    cells = [
        Cell(t, r, c, page=1, bbox=(c * 10, r * 10, c * 10 + 9, r * 10 + 9), locator=f"r{r}c{c}",
             confidence=scores.get((r, c), 0.99))
        for r, row in enumerate(texts) for c, t in enumerate(row)
    ]
    grid = Grid("scan.pdf", "ocr", fill_spans(cells, 3, 4))
    (table,) = grids_to_tables([grid], "0" * 64)
    assert table.project_name == "安康码建设"
    assert table.warnings == ["header label read as project_name: 项目名秤 (r0c0)"]
    (ind,) = table.indicators
    assert (ind.level2, ind.level2_std, ind.target_raw, ind.confidence) == (
        "数量指标", "数量指标", "≥2个", 0.55
    )
    assert "level2 snapped to vocabulary: 数是指标" in ind.repairs
    assert ind.warnings == ["low OCR confidence 0.55: check against the page"]



@dataclass
class _LineWords:
    """The recogniser's characters of a line and their scores (rapidocr's WordInfo)."""

    words: list = field(default_factory=list)
    confs: list = field(default_factory=list)


@pytest.mark.parametrize(
    ("words", "confs", "weakest"),
    [
        ([["示", "例"], ["指", "标"]], [1.0, 0.98, 0.62, 1.0], 0.62),
        ([["示", "例"], ["，"], ["指", "标"]], [1.0, 0.99, 0.51, 0.97, 1.0], 0.97),
        ([["示", "例"]], [0.9], 0.9),  # the characters and scores do not pair up: every score
        ([], [], 1.0),
    ],
    ids=["a weak character", "a weak comma", "unpaired", "none"],
)
def test_a_line_is_as_sure_as_its_weakest_character(words, confs, weakest):
    assert scan_reader._weakest_letter(_LineWords(words, confs)) == weakest
