"""Scans as archives hold them: red seals over the form, pages fed in sideways or upside down,
pages skewed by 2.5-3.5 degrees with faded ink and broken ruling lines, pages photographed with
a phone, and tables printed without ruling lines.

The scans (samples/scans/huoshan-2023-{sealed,rotated,skewed,photo}.pdf, made by
samples/make_scans.py) are compared whole with the seed's truth, as tests/test_scans.py does for
the plain scans. The orientation, skew and seal steps are also tested alone, on a page rendered
from the born-digital sample and turned, tilted or stamped here.
"""

import functools
import math
from itertools import pairwise

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from conftest import SAMPLES
from test_scans import header_misses, indicator_misses

from perftab.extract import scan_reader
from perftab.extract.chars import chars_to_text
from perftab.extract.image_grid import (
    ImageTable,
    TextBox,
    deskew,
    estimate_skew,
    find_tables,
    ink_mask,
)
from perftab.extract.perspective import frame_quad
from perftab.extract.scan_reader import ScannedPage, ocr_boxes, read_again, straighten
from perftab.extract.scan_unruled import (
    CUT_CONFIDENCE,
    READ_TOGETHER,
    _confidence,
    _join_close,
    label_blocks,
    lines_to_rows,
    page_chars,
    unruled_scan_parts,
)
from perftab.extract.stitch import parts_to_grids
from perftab.extract.upright import Correction, seal_free_gray, text_direction, turn
from perftab.pipeline import extract_file

N_INDICATORS = 86
ARCHIVE_SCANS = [
    # (file, least share of indicators exactly right, most header fields wrong)
    ("scans/huoshan-2023-sealed.pdf", 0.95, 1),
    ("scans/huoshan-2023-rotated.pdf", 0.95, 0),
    ("scans/huoshan-2023-skewed.pdf", 0.95, 1),
    # the sheet seen at an angle on a desk, at 170 dpi: cut out and made rectangular
    ("scans/huoshan-2023-photo.pdf", 0.95, 1),
]


@functools.cache
def extracted(name: str):
    return extract_file(SAMPLES / name)


@pytest.fixture(scope="module", params=ARCHIVE_SCANS, ids=[s[0] for s in ARCHIVE_SCANS])
def archive_scan(request):
    return request.param, extracted(request.param[0])


def test_archive_scan_is_read_as_five_tables(archive_scan):
    _, result = archive_scan
    assert (result.status, result.error, result.n_tables) == ("ok", None, 5)
    assert [t.extractor for t in result.tables] == ["ocr"] * 5


def test_archive_scan_indicators_match_the_truth(archive_scan):
    (name, floor, _), result = archive_scan
    exact, misses = indicator_misses(result.tables)
    print(f"\n{name}: {exact}/{N_INDICATORS} indicators exact", *misses, sep="\n  ")
    assert exact >= floor * N_INDICATORS, "\n".join(misses)


def test_archive_scan_header_fields_match_the_truth(archive_scan):
    (name, _, most_wrong), result = archive_scan
    misses = header_misses(result.tables)
    print(f"\n{name}: {len(misses)} header fields differ", *misses, sep="\n  ")
    assert len(misses) <= most_wrong, "\n".join(misses)


def test_archive_scan_boxes_are_in_the_upright_page(archive_scan):
    """Boxes are in the corrected page's frame: a sideways page's rows still fit an upright A4."""
    _, result = archive_scan
    for table in result.tables:
        for ind in table.indicators:
            assert 0 <= ind.x0 < ind.x1 <= 596 and 0 <= ind.top < ind.bottom <= 842


def test_photographed_pages_say_so_on_every_row():
    result = extracted("scans/huoshan-2023-photo.pdf")
    rows = [ind for table in result.tables for ind in table.indicators]
    assert rows
    assert all(any("perspective corrected" in r for r in ind.repairs) for ind in rows)


def test_unruled_scan_indicators_match_the_truth():
    """Printed without ruling lines, the tables are found from where the recognised text
    stands (scan_unruled.py); the development set's unruled tables are read so in
    tests/test_realworld_scans.py. The tables are set with no space between rows, their level
    cells printed vertically centred over their rows: a 二级 with no row of its own, blocks and
    a 三级 running over the page break."""
    result = extracted("scans/huoshan-2023-unruled.pdf")
    assert result.status == "ok"
    assert {t.extractor for t in result.tables} == {"ocr-unruled"}
    exact, misses = indicator_misses(result.tables)
    print(f"\nunruled scan: {exact}/{N_INDICATORS} indicators exact", *misses, sep="\n  ")
    assert exact >= 0.9 * N_INDICATORS, "\n".join(misses)


def test_turned_pages_say_so_on_every_row():
    """samples/make_scans.py turns page 1 a quarter clockwise, page 3 half round and page 5 a
    quarter anticlockwise: their rows carry the turn that undid it."""
    result = extracted("scans/huoshan-2023-rotated.pdf")
    turned = {1: "turned 90° anticlockwise", 3: "turned 180°", 5: "turned 90° clockwise"}
    for table in result.tables:
        for ind in table.indicators:
            notes = [r for r in ind.repairs if r.startswith(f"page {ind.page} ")]
            if ind.page in turned:
                assert len(notes) == 1 and turned[ind.page] in notes[0], ind.repairs
            else:
                assert not any("turned" in n for n in notes), ind.repairs


# --- each step alone, on a rendered page -------------------------------------------------------

DPI = 150.0


@pytest.fixture(scope="module")
def page4() -> np.ndarray:
    """Page 4 of the born-digital sample (table 3, 66 cells), greyscale at 150 dpi."""
    pdf = pdfium.PdfDocument(SAMPLES / "pdf" / "huoshan-2023.pdf")
    try:
        pixels = pdf[3].render(scale=DPI / 72, grayscale=True).to_numpy()
    finally:
        pdf.close()
    return np.ascontiguousarray(pixels if pixels.ndim == 2 else pixels[..., 0])


def tilted(gray: np.ndarray, angle: float) -> np.ndarray:
    """The page turned by `angle` degrees counter-clockwise, as a crooked scan."""
    return deskew(gray, -angle)


@pytest.mark.parametrize("turns", [0, 1, 2, 3])
def test_quarter_turns_are_undone(page4, turns):
    page = straighten(turn(page4, turns), DPI)
    assert page.correction.turns == (4 - turns) % 4
    assert [len(t.cells) for t in page.tables] == [66]


def test_sideways_is_told_by_the_direction_of_the_text(page4):
    assert text_direction(page4, DPI)[0] == 0
    assert text_direction(turn(page4, 1), DPI)[0] == 1
    assert text_direction(turn(page4, 3), DPI)[0] == 1


@pytest.mark.parametrize("angle", [-3.5, -2.5, -0.8, 1.2, 2.5, 3.3])
def test_skew_is_found(page4, angle):
    assert estimate_skew(tilted(page4, angle)) == pytest.approx(angle, abs=0.1)


def test_skewed_sideways_page_is_turned_and_deskewed(page4):
    page = straighten(turn(tilted(page4, 2.8), 1), DPI)
    assert page.correction.turns == 3
    assert page.correction.skew_deg == pytest.approx(2.8, abs=0.1)
    assert [len(t.cells) for t in page.tables] == [66]


def red_seal(gray: np.ndarray, centre: tuple[int, int], radius: int) -> np.ndarray:
    """A red ring and disc multiplied into the page, as stamp ink lies over print."""
    bgr = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR).astype(np.float32)
    alpha = np.zeros(gray.shape, np.float32)
    cv2.circle(alpha, centre, radius, 0.8, thickness=max(3, radius // 12))
    cv2.circle(alpha, centre, radius // 3, 0.7, thickness=-1)
    tint = np.array([45, 35, 215], np.float32) / 255  # BGR
    bgr *= 1 - alpha[..., None] * (1 - tint)
    return bgr.clip(0, 255).astype(np.uint8)


def test_seal_is_removed_and_print_under_it_kept(page4):
    centre, radius = (page4.shape[1] // 2, page4.shape[0] // 5), round(0.8 * DPI)
    stamped = red_seal(page4, centre, radius)
    assert_seal_removed(page4, stamped, centre, radius, kept=0.95)


def assert_seal_removed(page, stamped, centre, radius: int, kept: float) -> None:
    """One seal found; no seal ink left (print under the seal may come out a pixel bolder: the
    tint darkened it), and at least `kept` of the print under the seal read as it is on the
    clean page."""
    gray, seals = seal_free_gray(stamped, DPI)
    assert seals.found == 1
    inside = np.zeros(page.shape, bool)
    cv2.circle(inside.view(np.uint8), centre, radius + 10, 1, thickness=-1)
    clean, got = ink_mask(page) > 0, ink_mask(gray) > 0
    near_print = cv2.dilate(clean.view(np.uint8), np.ones((3, 3), np.uint8)) > 0
    assert np.count_nonzero(got & ~near_print & inside) < 0.002 * np.count_nonzero(inside)
    assert np.count_nonzero(clean & got & inside) > kept * np.count_nonzero(clean & inside)


def test_seal_on_a_greyscale_copy_is_removed_and_print_under_it_kept(page4):
    """Copied in grey, the seal is a mid grey between print and paper, told by its round
    outline; the print under it is darker still and stays."""
    centre, radius = (page4.shape[1] // 2, page4.shape[0] // 5), round(0.8 * DPI)
    grey = cv2.cvtColor(red_seal(page4, centre, radius), cv2.COLOR_BGR2GRAY)
    assert_seal_removed(page4, grey, centre, radius, kept=0.9)


def test_a_faint_ruling_under_a_seal_is_kept_and_the_seal_goes():
    """A faded, blurred ruling (grey 190 on paper 250) crossing a seal is lighter than the print
    the brightest channel keeps, yet darker than the seal's ink in it: it runs on straight
    through the seal, and the seal's ring beside it goes."""
    page = np.full((600, 600), 250, np.uint8)
    page[298:301, 40:560] = 190
    page[40:560, 420:422] = 190
    centre, radius = (300, 300), round(0.8 * DPI)
    gray, seals = seal_free_gray(red_seal(page, centre, radius), DPI)
    assert seals.found == 1
    assert np.count_nonzero(gray[299, 200:400] < 230) >= 0.95 * 200
    assert np.count_nonzero(gray[200:400, 421] < 230) >= 0.95 * 200
    ring = np.zeros(page.shape, np.uint8)
    cv2.circle(ring, centre, radius, 1, thickness=max(3, radius // 12))
    ring[290:310, :] = 0
    ring[:, 412:432] = 0
    assert np.count_nonzero(gray[ring > 0] < 230) < 0.01 * np.count_nonzero(ring)


def test_a_greyscale_copy_of_a_sealed_scan_has_the_seals_the_colour_scan_has():
    """Copied in grey, a seal's ring is crossed by darker print (cell rulings, the text it is
    stamped over) and falls apart into pieces none of which is seal-sized: the ring is found by
    its circle. The same seals come out of each page's grey copy as out of its colour scan."""
    pdf = pdfium.PdfDocument(SAMPLES / "scans/huoshan-2023-sealed.pdf")
    try:
        colour = [page.render(scale=DPI / 72).to_numpy()[..., :3] for page in pdf]
    finally:
        pdf.close()
    in_colour = [seal_free_gray(np.ascontiguousarray(p), DPI)[1].found for p in colour]
    grey = [cv2.cvtColor(p, cv2.COLOR_BGR2GRAY) for p in colour]
    assert sum(in_colour) >= 4
    assert [seal_free_gray(p, DPI)[1].found for p in grey] == in_colour


@pytest.mark.parametrize("name", ["scans/huoshan-2023-150dpi.pdf", "scans/huoshan-2023-skewed.pdf"])
def test_faded_print_in_grey_is_not_a_seal(name):
    """On a faded copy the text itself is mid grey: no part of it is taken for a seal."""
    pdf = pdfium.PdfDocument(SAMPLES / name)
    try:
        pages = [page.render(scale=DPI / 72, grayscale=True).to_numpy() for page in pdf]
    finally:
        pdf.close()
    assert [seal_free_gray(np.ascontiguousarray(p), DPI)[1].found for p in pages] == [0] * 6


def test_red_text_is_not_a_seal(page4):
    """Only seal-sized coloured blobs go: a line of red print (a heading) stays."""
    bgr = cv2.cvtColor(page4, cv2.COLOR_GRAY2BGR)
    cv2.putText(bgr, "RED HEADING LINE", (40, 60), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (40, 30, 200), 3)
    gray, seals = seal_free_gray(bgr, DPI)
    assert seals.found == 0
    assert np.array_equal(gray, cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY))


@pytest.mark.parametrize(
    ("correction", "note"),
    [
        (Correction(), None),
        (Correction(1, 2.4, 0), "page 2 turned 90° clockwise, deskewed +2.4°"),
        (Correction(2, 0.0, 1), "page 2 turned 180°, 1 seal removed"),
        (Correction(0, -0.31, 2), "page 2 deskewed -0.3°, 2 seals removed"),
    ],
)
def test_correction_note(correction, note):
    assert correction.note(2) == note


def test_deskew_turns_about_the_centre():
    """The frame boxes are given in: the page turned about its centre, same size."""
    gray = np.full((200, 100), 255, np.uint8)
    gray[95:105, 45:55] = 0
    out = deskew(gray, 3.0)
    assert out.shape == gray.shape
    ys, xs = np.nonzero(out < 128)
    assert math.isclose(ys.mean(), 99.5, abs_tol=1) and math.isclose(xs.mean(), 49.5, abs_tol=1)


# -- unruled scans: what the recogniser reads together, and a cell read in pieces -------------

EM = 30.0  # text height in pixels


def test_pieces_of_a_line_closer_than_a_cell_gap_are_read_as_one():
    """Ink a little apart on one line (a colon after a digit) is one cell's text to the
    inference; read as two pieces the recogniser may drop the mark at the cut. Columns stand
    further apart and stay apart; so do lines above each other."""
    label, rest = (100, 500, 180, 530), (193, 500, 480, 530)  # 13 px apart: 0.43 em
    column = (520, 500, 600, 530)  # 40 px: 1.3 em
    below = (100, 540, 180, 570)
    joined = _join_close([label, rest, column, below], READ_TOGETHER * EM)
    assert joined == [(100, 500, 480, 530), column, below]
    assert _join_close([rest, label], READ_TOGETHER * EM) == [(100, 500, 480, 530)]


def _char(text: str, x: float, top: float, read: int, score: float = 0.99) -> dict:
    return {"text": text, "x0": x, "x1": x + 10, "top": top, "bottom": top + 10,
            "score": score, "read": read}


def test_a_cell_read_in_pieces_on_one_line_is_doubtful():
    whole = [_char("甲", 0, 0, 1), _char("乙", 10, 0, 1), _char("丙", 0, 13, 2, 0.97)]
    assert _confidence((0, 0, 40, 30), whole) == 0.97  # two lines, each read whole
    pieces = [_char("甲", 0, 0, 1), _char("乙", 25, 1, 2)]
    assert _confidence((0, 0, 40, 30), pieces) == CUT_CONFIDENCE
    assert _confidence((100, 0, 140, 30), pieces) is None  # nothing read there


def test_a_cell_wrapped_after_a_comma_is_doubtful():
    """Nothing follows a mark that ends a line: the width it was printed in (，or ,) is not
    measured, so the form read may be the wrong one. A mark inside a line, or ending the
    cell's last line, is measured or stands as printed."""
    wrapped = [_char("甲", 0, 0, 1), _char("，", 10, 0, 1), _char("乙", 0, 13, 2)]
    assert _confidence((0, 0, 40, 30), wrapped) == CUT_CONFIDENCE
    inside = [_char("甲", 0, 0, 1), _char("，", 10, 0, 1), _char("乙", 20, 0, 1),
              _char("丙", 0, 13, 2), _char("，", 10, 13, 2)]
    assert _confidence((0, 0, 40, 30), inside) == 0.99


LEVELS = ["一级指标", "二级指标", "三级指标", "指标值"]


def _scanned_chars(lines: list) -> list[dict]:
    """Recognised characters as scan_unruled.page_chars gives them, from (top, [(x, text)])."""
    out = []
    for top, cells in lines:
        for x, text in cells:
            for k, ch in enumerate(text):
                out.append({"text": ch, "x0": x + 10 * k, "x1": x + 10 * k + 10, "top": top,
                            "bottom": top + 10, "doctop": top, "upright": True, "size": 10.0,
                            "score": 0.99, "read": len(out)})
    return out


def _levels_page(lines: list) -> list[dict]:
    """A page of an unruled table headed 一级指标 二级指标 三级指标 指标值, its lines under the
    heading as (top, [(x, text)])."""
    return _scanned_chars([(100, list(zip((50, 120, 200, 330), LEVELS, strict=True))), *lines])


def _rows_read(parts: list) -> list[list[str]]:
    """The texts of each row of the one table the page parts make."""
    (grid,) = parts_to_grids(parts, "scan.pdf")
    return [grid.row_texts(r) for r in range(len(grid.rows))]


def test_unruled_scanned_page_continues_the_table_of_the_page_before():
    """Pages are recognised apart; a page opening with lines that fit the previous page's
    unruled columns is read again with them, its rows joined to that table."""
    first = _scanned_chars([(100, [(50, "类别"), (150, "名称"), (300, "数值")]),
                            (130, [(50, "甲类"), (150, "名称一"), (300, "1")]),
                            (160, [(150, "名称二"), (300, "2")])])
    second = _scanned_chars([(60, [(150, "名称三较长"), (300, "3")]),
                             (90, [(50, "乙类"), (150, "名称四"), (300, "40")])])
    parts, _, columns = unruled_scan_parts(1, first, None)
    page = ScannedPage(2, [], [], "no text layer", chars=second)
    assert page.continuing(None) is page
    assert _rows_read(parts + page.continuing(columns).parts) == [
        ["类别", "名称", "数值"],
        ["甲类", "名称一", "1"],
        ["甲类", "名称二", "2"],
        ["甲类", "名称三较长", "3"],
        ["乙类", "名称四", "40"],
    ]


# rows 10 high set with no space between them (a line every 15), as (top, bottom)
TIGHT_ROWS = [(0, 10), (15, 25), (30, 40), (45, 55), (60, 70)]


@pytest.mark.parametrize(
    ("middles", "parents", "continued", "blocks"),
    [
        # centred over two rows, then over three: the second label stands on no row's line
        ([12.5, 50.0], {0}, False, [(0, 1), (2, 4)]),
        # the same labels, the column to the left starting a block at row 3: none crosses it
        ([12.5, 50.0], {0, 3}, False, [(0, 2), (3, 4)]),
        # one label centred over the last two rows of a page continuing a table: the rows above
        # it are the rest of a block the page break cut
        ([57.5], {0}, True, [(3, 4)]),
        # the last label, printed at the top of a block the page break cuts, takes the rows to
        # the page's end; the one before is centred over its own
        ([20.0, 50.0], {0}, False, [(0, 2), (3, 4)]),
    ],
)
def test_level_labels_take_the_rows_they_are_centred_on(middles, parents, continued, blocks):
    assert label_blocks(middles, TIGHT_ROWS, parents, continued) == blocks


def test_a_value_wrapped_round_its_row_is_given_to_it_whole():
    """A value printed over three lines, centred on a one-line row name: the lines above and
    below it stand between two rows and go to the one they leave centred."""
    rows = [(0, 10), (30, 40), (60, 70)]
    lines = [(0, 10), (15, 25), (30, 40), (45, 55), (60, 70)]
    assert lines_to_rows(lines, rows) == [(0, [0]), (1, [1, 2, 3]), (2, [4])]
    # lines out of the rows' order (a value printed a row up) are kept, each by its row
    assert lines_to_rows([(30, 40), (0, 10)], rows) == [(1, [0]), (0, [1])]


# the lines of an unruled table set with no space between rows, under its heading: each 一级
# and 二级 printed vertically centred over its rows, a 二级 standing on a line with no 三级
TIGHT_LEVEL_LINES = [
    (115, [(200, "甲一"), (330, "1")]),
    (121, [(120, "乙类名")]),
    (127, [(50, "甲类"), (200, "名称甲二"), (330, "2")]),
    (139, [(120, "丙类名"), (200, "甲三名"), (330, "3")]),
    (151, [(120, "丁类名")]),
    (163, [(50, "乙类"), (200, "名称乙一"), (330, "4")]),
    (169, [(120, "戊类名")]),
    (175, [(200, "名称乙二较长"), (330, "5")]),
]


def test_unruled_level_labels_centred_over_rows_set_tight():
    """Rows set with no space between them, each 一级 and 二级 printed vertically centred over
    its rows (on a row's line or between two), a 二级 standing on a line with no 三级."""
    chars = _levels_page(TIGHT_LEVEL_LINES)
    parts, _, _ = unruled_scan_parts(1, chars, None)
    assert _rows_read(parts) == [
        LEVELS,
        ["甲类", "乙类名", "甲一", "1"],
        ["甲类", "乙类名", "名称甲二", "2"],
        ["甲类", "丙类名", "甲三名", "3"],
        ["乙类", "丁类名", "", ""],
        ["乙类", "戊类名", "名称乙一", "4"],
        ["乙类", "戊类名", "名称乙二较长", "5"],
    ]


def test_header_value_wrapped_round_its_centred_label_is_read_whole():
    """Rows set with no space between them, a header block's label printed vertically centred
    beside its value wrapped over three lines: the value starts a line above the label and
    ends a line below it with one character, short enough to have fitted on the line above;
    it is one value. The value of the next label, on its line, ends there: the text under it
    is a cell of its own."""
    chars = _read_per_cell(_scanned_chars([
        (28, [(10, "项目名称"), (200, "某某工作经费")]),
        (40, [(120, "[1]某")]),
        (52, [(10, "主管部门代码"), (120, "数据中心"), (200, "实施单位"), (330, "某中心")]),
        (64, [(135, "局")]),
        (76, [(10, "项目来源"), (120, "本级项目"), (200, "项目期"), (330, "1年")]),
        (88, [(130, "资金总额"), (330, "10")]),
        (100, list(zip((10, 50, 120, 200, 330), ["绩效", *LEVELS], strict=True))),
        *TIGHT_LEVEL_LINES,
    ]))
    parts, _, _ = unruled_scan_parts(1, chars, None)
    assert _rows_read(parts)[:5] == [
        ["项目名称", "项目名称", "", "某某工作经费", ""],
        ["主管部门代码", "主管部门代码", "[1]某数据中心局", "实施单位", "某中心"],
        ["项目来源", "项目来源", "本级项目", "项目期", "1年"],
        ["", "", "资金总额", "", "10"],
        ["绩效", *LEVELS],
    ]


def test_tight_table_printed_from_the_top_of_its_rows_is_read_as_printed():
    """Rows set with no space between them, each cell printed from the top of its row: a name
    wraps onto lines with nothing beside them, a level's label stands beside its first row.
    Read as cells centred in their rows, the wrapped name's end was taken for the next row's
    name, and the labels moved a row down."""
    chars = _read_per_cell(_levels_page([
        (115, [(50, "甲类"), (120, "乙类名"), (200, "名称甲一"), (330, "10")]),
        (127, [(200, "较长名称")]),
        (139, [(120, "丙类名"), (200, "名称甲二"), (330, "20")]),
        (151, [(200, "较长名称")]),
        (163, [(50, "乙类"), (120, "丁类名"), (200, "名称乙一"), (330, "30")]),
        (175, [(200, "名称乙二"), (330, "40")]),
    ]))
    parts, _, _ = unruled_scan_parts(1, chars, None)
    assert _rows_read(parts) == [
        LEVELS,
        ["甲类", "乙类名", "名称甲一较长名称", "10"],
        ["甲类", "丙类名", "名称甲二较长名称", "20"],
        ["乙类", "丁类名", "名称乙一", "30"],
        ["乙类", "丁类名", "名称乙二", "40"],
    ]


def test_digits_and_brackets_set_full_width_are_an_em_wide_and_the_usual_size():
    """A line of full-width （５０ stands an em apart like CJK text and is as wide; its box
    is taller than a CJK line's (the bracket reaches below it), yet it is in the page's size.
    Half-width digits stand half an em apart and are half as wide."""
    body = TextBox("丙丁戊", 0.99, (0, 40, 60, 60), (10.0, 30.0, 50.0))  # 20 px a character
    full = TextBox("(50", 0.99, (100, 0, 160, 32), (110.0, 130.0, 150.0))
    half = TextBox("50", 0.99, (200, 0, 220, 20), (205.0, 215.0))
    chars = page_chars([body, body, full, half], 1.0)
    read = [[ch for ch in chars if ch["read"] == k] for k in (2, 3)]
    assert [(ch["x0"], ch["x1"], ch["size"]) for ch in read[0]] == [
        (100.0, 120.0, 20.0), (120.0, 140.0, 20.0), (140.0, 160.0, 20.0)]
    assert [(ch["x0"], ch["x1"]) for ch in read[1]] == [(200.0, 210.0), (210.0, 220.0)]


# Lines read a second time from a wider crop: (text, score) read from the first crop, from the
# wider one, and the score the line keeps
REREADS = [
    pytest.param(("万亩", 0.82), ("万亩", 0.99), ("万亩", 0.99), id="same-text-is-sure"),
    pytest.param(("万亩", 0.82), ("万面", 0.99), ("万亩", 0.82), id="other-text-stays-doubtful"),
    pytest.param(("万亩", 0.82), ("万亩", 0.7), ("万亩", 0.82), id="worse-read-changes-nothing"),
    pytest.param(("万亩", 0.82), None, ("万亩", 0.82), id="blank-read-changes-nothing"),
]


@pytest.mark.parametrize(("first", "second", "kept"), REREADS)
def test_a_doubtful_line_is_read_again_with_more_page_around_it(monkeypatch, first, second, kept):
    asked = []

    def recognise(gray, regions):
        asked.extend(regions)
        return [TextBox(*second, r) for r in regions] if second else [], {}

    monkeypatch.setattr(scan_reader, "recognise", recognise)
    sure = TextBox("产出指标", 0.99, (10.0, 40.0, 90.0, 60.0))
    doubtful = TextBox(*first, (100.0, 40.0, 140.0, 60.0), char_x=(110.0, 130.0))
    out = read_again(np.full((200, 300), 255, np.uint8), [sure, doubtful], 200.0)
    assert asked == [(97.0, 37.0, 143.0, 63.0)]  # only the doubtful line, 0.015 in wider
    assert out == [sure, TextBox(*kept, doubtful.box, char_x=doubtful.char_x)]


def test_signs_and_digits_read_as_one_word_keep_no_space():
    """A sign is narrower than the em its centre is given: the gap left beside it is no space
    the recogniser read. A space it read, and text standing a cell's gap apart, stay."""
    sign = TextBox("≥85%", 0.99, (100, 0, 140, 20), (103.0, 117.0, 127.0, 137.0))
    spaced = TextBox("12 天", 0.99, (200, 0, 260, 20), (203.0, 213.0, 230.0, 250.0))
    apart = TextBox("34", 0.99, (300, 0, 400, 20), (310.0, 390.0))
    body = TextBox("丙丁戊", 0.99, (0, 40, 60, 60), (10.0, 30.0, 50.0))  # the page's text size
    chars = page_chars([sign, spaced, apart, body, body], 1.0)
    texts = [chars_to_text([ch for ch in chars if ch["read"] == k]) for k in range(3)]
    assert texts == ["≥85%", "12 天", "3 4"]


def _read_per_cell(chars: list[dict]) -> list[dict]:
    """Each cell's characters as one recognised line (_scanned_chars reads each alone)."""
    for before, ch in pairwise([None, *chars]):
        if before is not None and (before["top"], before["x1"]) == (ch["top"], ch["x0"]):
            ch["read"] = before["read"]
    return chars


def test_a_level_label_standing_off_its_block_s_middle_puts_the_rows_at_its_edge_in_doubt():
    """乙类 stands half a row below the middle of the two rows it is read over, as near the
    middle of three: the rows either side of the block's lower edge may belong to the other
    side of it, and read below the warning threshold; the rest stand as read."""
    chars = _levels_page([
        (115, [(200, "甲一"), (330, "1")]),
        (127, [(50, "甲类"), (120, "乙类"), (200, "名称甲二"), (330, "2")]),
        (139, [(120, "丙类名称"), (200, "甲三名"), (330, "3")]),
        (151, [(200, "名称甲四较长"), (330, "4")]),
    ])
    parts, _, _ = unruled_scan_parts(1, _read_per_cell(chars), None)
    doubted = {cell.text for part in parts for cell in part.cells if cell.confidence == 0.75}
    assert doubted == {"名称甲二", "2", "甲三名", "3"}


def test_a_name_joined_to_the_line_under_it_beside_a_value_on_each_is_doubtful():
    """A full line of a row name and a line under it, each with a value beside it that the
    width also lets wrap: read as one wrapped name, but the second line may start a row."""
    chars = _levels_page([
        (115, [(200, "名称甲一较长"), (330, "10")]),
        (127, [(50, "甲类"), (120, "乙类"), (200, "甲二"), (330, "2")]),
        (139, [(200, "甲三名"), (330, "30")]),
        (151, [(120, "丙类名称"), (200, "名称甲四"), (330, "4")]),
    ])
    parts, _, _ = unruled_scan_parts(1, _read_per_cell(chars), None)
    doubted = {cell.text for part in parts for cell in part.cells if cell.confidence == 0.75}
    # the values joined as the name is: one number broken over two lines reads whole
    assert doubted == {"名称甲一较长甲二", "102"}


def test_a_border_bowed_past_the_table_is_no_line_of_text(monkeypatch):
    page = np.full((600, 800), 255, np.uint8)
    for y in (100, 200, 300, 400):
        page[y - 1 : y + 2, 100:701] = 0
    for x in (100, 400, 700):
        page[99:402, x - 1 : x + 2] = 0
    page[400:418, 100:300] = 0  # the bottom border, thick where a photo bowed it down
    (table,), rulings = find_tables(page, 200)
    asked = []
    monkeypatch.setattr(scan_reader, "recognise", lambda gray, regions: (asked.extend(regions)
                                                                         or [], {"cut": 0.0}))
    ocr_boxes(page, [table], 200.0, None, rulings)
    assert asked == []  # nothing printed in the cells, nothing outside the table
    ocr_boxes(page, [table], 200.0)  # the border's edge below the table's box, as it was read
    assert [round(r[1]) for r in asked] == [400]


def test_tight_unruled_table_cut_by_the_page_break_keeps_its_blocks():
    """Rows set with no space between them run over the page break: the next page's rows above
    its first label are the rest of the blocks the break cut (their labels printed before it),
    and the label under them covers the rows it is centred on."""
    first = _read_per_cell(_levels_page([
        (115, [(200, "甲一"), (330, "1")]),
        (127, [(200, "名称甲二"), (330, "2")]),
        (139, [(50, "甲类"), (120, "乙类名"), (200, "甲三"), (330, "3")]),
        (151, [(200, "名称甲四较长"), (330, "4")]),
    ]))
    second = _read_per_cell(_scanned_chars([
        (60, [(200, "甲五名"), (330, "5")]),
        (72, [(200, "名称乙一"), (330, "6")]),
        (78, [(50, "丙类"), (120, "丁类名")]),
        (84, [(200, "乙二名称较长"), (330, "7")]),
    ]))
    parts, _, columns = unruled_scan_parts(1, first, None)
    page = ScannedPage(2, [], [], "no text layer", chars=second)
    assert _rows_read(parts + page.continuing(columns).parts) == [
        LEVELS,
        ["甲类", "乙类名", "甲一", "1"],
        ["甲类", "乙类名", "名称甲二", "2"],
        ["甲类", "乙类名", "甲三", "3"],
        ["甲类", "乙类名", "名称甲四较长", "4"],
        ["甲类", "乙类名", "甲五名", "5"],
        ["丙类", "丁类名", "名称乙一", "6"],
        ["丙类", "丁类名", "乙二名称较长", "7"],
    ]


def test_a_last_row_carried_alone_onto_a_page_is_read_upright_and_unwarped():
    """A table's last row run over the page break: one row of cells at the top of a blank page,
    its right side a pixel off square. Its short column lines are no lines of text
    running down the page, and a frame this low tells no perspective to undo."""
    page = np.full((1650, 1275), 255, np.uint8)  # 8.5 x 11 in at 150 dpi
    xs, top, bottom = [176, 326, 476, 626, 776, 926, 1076], 150, 178  # a row 0.19 in high
    for y in (top, bottom):
        page[y - 1 : y + 1, xs[0] : xs[-1] + 1] = 0
    for x in xs[:-1]:
        page[top : bottom + 1, x - 1 : x + 1] = 0
    cv2.line(page, (xs[-1], top), (xs[-1] + 1, bottom), 0, 2)
    assert text_direction(page, DPI)[0] == 0
    assert frame_quad(ink_mask(page)) is None
    straight = straighten(page, DPI)
    assert straight.correction.turns == 0
    (table,) = straight.tables
    assert [round(c[0]) for c in table.cells] == pytest.approx(xs[:-1], abs=3)


def test_a_level_heading_run_into_the_cell_under_it_is_read_with_doubt():
    """The row line under the header row lost in one column (faded, skewed): the heading's cell
    and the first 一级 under it are one cell, which must not pass as a sure reading."""
    heading = TextBox("一级指标", 0.999, (10, 5, 90, 25), ())
    name = TextBox("甲乙指标", 0.999, (10, 30, 90, 50), ())
    table = ImageTable((0, 0, 200, 60), [(0, 0, 100, 60), (100, 0, 200, 60)],
                       [[heading, name], [heading]])
    part = scan_reader._table_part(1, table, 1.0)
    assert [(c.text, c.confidence) for c in part.cells] == [
        ("一级指标甲乙指标", scan_reader.CUT_TEXT_CONFIDENCE), ("一级指标", 0.999)]
