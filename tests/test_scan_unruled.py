"""Unruled scans (extract/scan_unruled.py): which pieces of a printed line are read as one, and
which rows are read with doubt, on made-up geometry (no recogniser)."""

import numpy as np

from perftab.extract.image_grid import TextBox
from perftab.extract.records import CellBox
from perftab.extract.scan_unruled import (
    CUT_CONFIDENCE,
    LONE_LINE_DOUBT,
    OPEN_END_DOUBT,
    READ_TOGETHER,
    _join_close,
    doubt_rows_over_a_lone_line,
    doubt_rows_under_an_open_end,
    in_size_of,
    page_chars,
)

EM = 30.0  # text height in pixels


def _ink(*spans: tuple[int, int, int, int]) -> np.ndarray:
    """A page's ink: a filled box for each (x0, top, x1, bottom)."""
    ink = np.zeros((400, 900), dtype=np.uint8)
    for x0, top, x1, bottom in spans:
        ink[top:bottom, x0:x1] = 255
    return ink


def test_two_cells_an_em_apart_are_not_joined_by_their_boxes_margins():
    """A name and the value beside it, their ink 1.1 em apart, each boxed with a margin of a
    fifth of an em: the boxes stand under READ_TOGETHER apart, the ink does not."""
    name_ink, value_ink = (100, 100, 300, 130), (333, 100, 400, 130)
    name, value = (94, 95, 306, 135), (327, 95, 406, 135)
    assert _join_close([name, value], READ_TOGETHER * EM) == [(94, 95, 406, 135)]
    ink = _ink(name_ink, value_ink)
    assert _join_close([name, value], READ_TOGETHER * EM, ink) == [name, value]
    # a colon 0.4 em after its label is still read with it
    label, colon = (100, 100, 200, 130), (212, 100, 220, 130)
    ink = _ink(label, colon)
    assert _join_close([label, colon], READ_TOGETHER * EM, ink) == [(100, 100, 220, 130)]


def test_nothing_is_joined_to_a_box_some_lines_high():
    """A box four lines high (a photographed desk's ink run into a column of labels) shares
    the line of any piece beside it; a piece half an em from it stays apart."""
    tall, piece = (0, 0, 100, 120), (115, 40, 200, 70)
    assert _join_close([tall, piece], READ_TOGETHER * EM) == [tall, piece]


def _cell(x0: float, top: float, x1: float, bottom: float, text: str) -> CellBox:
    return CellBox((x0, top, x1, bottom), text, 0.99 if text else None)


def _line(x0: float, top: float, text: str, read: int) -> list[dict]:
    """A recognised line of CJK characters 10 points wide, 10 high."""
    return [{"text": ch, "x0": x0 + 10 * k, "x1": x0 + 10 * k + 10, "top": top,
             "bottom": top + 10, "size": 10.0, "score": 0.99, "read": read}
            for k, ch in enumerate(text)]


def _table(lines: list[tuple[float, str, str, str]]) -> tuple[list, list]:
    """Cells and characters of rows 12 high, columns level (0-50), name (50-120, room for
    six characters), value (120-170), from (top, level, name, value)."""
    cells, chars = [], []
    for top, *texts in lines:
        for (x0, x1), text in zip(((0, 50), (50, 120), (120, 170)), texts, strict=True):
            cells.append(_cell(x0, top - 1, x1, top + 11, text))
            if text:
                chars += _line(x0 + 2, top, text, len(chars))
    return cells, chars


def test_a_row_over_a_lone_line_its_full_name_may_wrap_onto_is_doubtful():
    """甲乙丙丁戊己 fills its column; the row under it holds only 庚辛 in the names' column:
    the name may go on there, so the row above reads short but looks right. Its cells are
    doubted; the other rows are not."""
    cells, chars = _table([
        (0, "类一", "名称一", "1"),
        (12, "", "甲乙丙丁戊己", "2"),
        (24, "", "庚辛", ""),
        (36, "类二", "名称三", "3"),
    ])
    out = doubt_rows_over_a_lone_line(cells, chars)
    doubted = [(c.text, c.confidence) for c in out if c.doubt == LONE_LINE_DOUBT]
    assert doubted == [("甲乙丙丁戊己", CUT_CONFIDENCE), ("2", CUT_CONFIDENCE)]
    assert [c.confidence for c in out if c.doubt is None and c.text] == [0.99] * 7


def test_a_short_label_over_a_lone_label_is_not_doubted():
    """A text alone in its row under a line with room left for it is no name's end, and a
    lone text in a column holding fewer texts than the names' (a level's label alone in its
    row, a 二级 with no 三级) is no name."""
    cells, chars = _table([
        (0, "类一", "名称一较长的", "1"),
        (12, "", "名称二", "2"),
        (24, "", "名称三", ""),
        (36, "类二", "名称四", "4"),
    ])
    assert all(c.doubt is None for c in doubt_rows_over_a_lone_line(cells, chars))
    cells, chars = _table([
        (0, "类一甲乙", "名称一", "1"),
        (12, "类二", "", ""),
        (24, "", "名称三", "3"),
        (36, "", "名称四", "4"),
    ])
    assert all(c.doubt is None for c in doubt_rows_over_a_lone_line(cells, chars))


def test_a_page_continuing_a_table_is_read_in_the_table_s_size():
    """Three lines carried over the page break, their size measured 9 % under the table's on
    the page before, are in its size; a title half as large again is not."""
    carried = _line(190, 70, "实的持", 0) + _line(190, 83, "续性", 1)
    for ch in carried:
        ch["size"] = 10.7
    title = _line(100, 200, "某某表", 2)
    for ch in title:
        ch["size"] = 17.6
    out = in_size_of(carried + title, 11.75)
    assert [ch["size"] for ch in out] == [11.75] * 5 + [17.6] * 3
    assert [(ch["text"], ch["x0"], ch["top"]) for ch in out] == [
        (ch["text"], ch["x0"], ch["top"]) for ch in carried + title]


def test_a_line_s_marks_do_not_make_it_larger_print():
    """Lines 20 px a character: a wrapped name's end holding one CJK character among marks
    (its box taller, the ≥ and bracket reaching below the em) and one whose single CJK pair
    the recogniser placed a quarter em apart beside a bracket, and a lone character whose box
    was read a quarter taller, are the page's size; a title of CJK characters set larger
    (taller and wider pitched) is not."""
    body = TextBox("甲乙丙丁", 0.99, (0, 40, 80, 65), (10.0, 30.0, 50.0, 70.0))
    marks = TextBox("≥**吨)", 0.99, (0, 70, 90, 102), (8.0, 26.0, 40.0, 62.0, 84.0))
    pair = TextBox("甲乙(≥**", 0.99, (0, 105, 110, 137), (10.0, 35.0, 55.0, 70.0, 85.0, 100.0))
    lone = TextBox("值", 0.99, (0, 140, 22, 171), (11.0,))
    title = TextBox("某某某表", 0.99, (0, 0, 120, 36), (15.0, 45.0, 75.0, 105.0))
    chars = page_chars([body, body, body, marks, pair, lone, title], 1.0)
    sizes = [{ch["size"] for ch in chars if ch["read"] == k} for k in range(7)]
    assert sizes == [{20.0}] * 6 + [{30.0}]


def test_a_row_of_cells_ends_under_full_lines_is_doubtful_with_the_row_above():
    """In narrow columns every cell wraps: the row under 甲乙丙丁戊己 (full) holds 庚辛 under it
    and 个 under the unit's 万元 but nothing under 2, so it may be the cells' ends; both rows
    are doubted. A row filling every column the row above fills is a row of its own, and so
    is one whose name alone stands under a full line (名称七, its unit blank: the value 7 under
    6 is in a column whose cells never wrap)."""
    # over the table, a value of two lines in the units' column (the column's cells wrap)
    cells = [_cell(170, -25, 220, -1, "5 3")]
    chars = _line(172, -24, "5", 0) + _line(172, -12, "3", 1)
    columns = ((0, 50), (50, 120), (120, 170), (170, 220))
    for top, *texts in [(0, "类一", "名称一", "1", "个"), (12, "", "甲乙丙丁戊己", "2", "万元"),
                        (24, "", "庚辛", "", "个"), (36, "类二", "甲乙丙丁戊己", "3", "个"),
                        (48, "", "名称五", "5", "个"), (60, "", "甲乙丙丁戊己", "6", "个"),
                        (72, "", "名称七", "7", "")]:
        for (x0, x1), text in zip(columns, texts, strict=True):
            cells.append(_cell(x0, top - 1, x1, top + 11, text))
            if text:
                chars += _line(x0 + 2, top, text, len(chars))
    out = doubt_rows_over_a_lone_line(cells, chars)
    assert [c.text for c in out if c.doubt == LONE_LINE_DOUBT] == [
        "甲乙丙丁戊己", "2", "万元", "庚辛", "个"]


def _spaced_table(gap: float) -> tuple[list, list]:
    """Rows set 20 points apart, the two lines of a wrapped name 11; 庚辛 alone `gap` under the
    full line 甲乙丙丁戊己."""
    rows = [(0, "类一", ["甲乙丙丁戊己", "子丑"], "1"), (31, "", ["甲乙丙丁戊己"], "2"),
            (31 + gap, "", ["庚辛"], ""), (51 + gap, "类二", ["名称四"], "4")]
    cells, chars = [], []
    for k, (top, level, name, value) in enumerate(rows):
        bottom = rows[k + 1][0] - 1 if k + 1 < len(rows) else top + 19
        for (x0, x1), lines in zip(((0, 50), (50, 120), (120, 170)), ([level], name, [value]),
                                   strict=True):
            cells.append(_cell(x0, top - 1, x1, bottom, "".join(lines)))
            for n, text in enumerate(t for t in lines if t):
                chars += _line(x0 + 2, top + 11 * n, text, len(chars))
    return cells, chars


def test_a_lone_line_a_row_s_space_under_a_full_line_stands_in_a_row_of_its_own():
    """庚辛 20 points under the full 甲乙丙丁戊己 stands where a row does, further than the
    table's wrapped lines stand (11 apart): a row of its own, nothing doubted; 11 under it, it
    may be the name's next line, and the row above it is doubted."""
    cells, chars = _spaced_table(20)
    assert all(c.doubt is None for c in doubt_rows_over_a_lone_line(cells, chars))
    cells, chars = _spaced_table(11)
    out = doubt_rows_over_a_lone_line(cells, chars)
    assert [(c.text, c.confidence) for c in out if c.doubt == LONE_LINE_DOUBT] == [
        ("甲乙丙丁戊己", CUT_CONFIDENCE), ("2", CUT_CONFIDENCE)]


def test_the_row_under_a_text_ending_in_a_mark_no_text_ends_with_is_doubtful():
    """甲乙丙、 goes on under itself: the row under it, read as 丁戊己庚 | 3, may begin with
    its end, and is doubted; under a text ending in a character nothing is."""
    cells, _ = _table([
        (0, "类一", "名称一", "1"),
        (12, "", "甲乙丙、", "2"),
        (24, "", "丁戊己庚", "3"),
        (36, "类二", "名称四", "4"),
    ])
    out = doubt_rows_under_an_open_end(cells)
    assert [(c.text, c.confidence) for c in out if c.doubt == OPEN_END_DOUBT] == [
        ("丁戊己庚", CUT_CONFIDENCE), ("3", CUT_CONFIDENCE)]
    assert [c.confidence for c in out if c.doubt is None and c.text] == [0.99] * 8
    cells, _ = _table([(0, "类一", "甲乙丙", "1"), (12, "", "丁戊己庚", "2")])
    assert doubt_rows_under_an_open_end(cells) == cells
