"""Ruling lines found in a page's picture stand where they are drawn, and no row is thinner
than a line of text."""

import itertools
import math

import numpy as np
import pytest

from perftab.extract.image_grid import (
    ImageTable,
    Ruling,
    TextBox,
    cut_cells,
    drop_loose_segments,
    find_tables,
    line_boxes,
    lone_splits,
    merge_close,
    punctuation_by_width,
    ruling_segments,
    text_ink,
    unread_marks,
)


def test_a_line_joined_by_bold_strokes_under_it_stands_where_it_is_drawn():
    mask = np.zeros((60, 300), np.uint8)
    mask[20:23, 10:290] = 255  # the ruling, 3 px as the line mask makes it
    for x in range(12, 288, 9):  # a bold heading's strokes set close under it, touching it
        mask[23:40, x : x + 5] = 255
    (segment,) = ruling_segments(mask, horizontal=True, thick=10)
    assert segment == (21.5, 10.0, 290.0)


def test_a_lone_line_stands_at_its_middle():
    mask = np.zeros((60, 300), np.uint8)
    mask[30:33, 10:290] = 255
    assert ruling_segments(mask, horizontal=True) == [(31.5, 10.0, 290.0)]
    assert ruling_segments(mask.T.copy(), horizontal=False) == [(31.5, 10.0, 290.0)]


def test_rulings_closer_than_a_line_of_text_are_one_at_the_longer():
    rulings = [Ruling(100.0, [(0.0, 500.0)]), Ruling(108.0, [(0.0, 200.0), (300.0, 400.0)]),
               Ruling(160.0, [(0.0, 500.0)])]
    merged = merge_close(rulings, 14.0)
    assert [(r.pos, r.spans) for r in merged] == [(100.0, [(0.0, 500.0)]), (160.0, [(0.0, 500.0)])]


# (position across, start, end) in pixels; a ruling's ends meet others within TOL
TOL, LONG = 6.0, 200.0
WORN = 56.0  # a gap and a piece of a line too short to be found as a line, at 200 dpi


def test_a_border_whose_corners_faded_off_is_kept_where_the_rows_end_on_it():
    rows = [(150.0, 50.0, 600.0), (300.0, 50.0, 600.0), (450.0, 50.0, 600.0)]
    right = (600.0, 150.0, 450.0)  # meets the top and bottom rows: a ruling as before
    border = (50.0, 120.0, 480.0)  # its ends faded: neither reaches a row, three rows end on it
    _, kept = drop_loose_segments(rows, [right, border], TOL, LONG)
    assert kept == [right, border]


def test_a_long_stroke_no_line_ends_on_is_dropped():
    rows = [(100.0, 50.0, 600.0), (300.0, 50.0, 600.0), (500.0, 50.0, 600.0)]
    crossed = (320.0, 130.0, 470.0)  # rows cross it, none ends on it, its ends meet nothing
    _, kept = drop_loose_segments(rows, [crossed], TOL, LONG)
    assert kept == []


# A ruled table drawn at 200 dpi: 6 rows of 0.32 in, columns at these x; lines 3 px wide
DPI, XS, YS = 200, [160, 360, 600, 1040, 1240], [100 + 64 * k for k in range(7)]


def _grid(dashed_col=None, dashed_row=None, dash=12, gap=8):
    page = np.full((600, 1400), 255, np.uint8)
    for k, y in enumerate(YS):
        _line(page, y, XS[0], XS[-1], True, (dash, gap) if k == dashed_row else None)
    for k, x in enumerate(XS):
        _line(page, x, YS[0], YS[-1], False, (dash, gap) if k == dashed_col else None)
    return page


def _line(page, pos, start, end, horizontal, pattern):
    on, off = pattern or (end - start + 2, 0)
    for a in range(start, end + 2, on + off):
        b = min(a + on, end + 2)
        if horizontal:
            page[pos - 1 : pos + 2, a:b] = 0
        else:
            page[a:b, pos - 1 : pos + 2] = 0


def _edges(page):
    (table,) = find_tables(page, DPI)[0]
    xs = sorted({round(c[0]) for c in table.cells} | {round(c[2]) for c in table.cells})
    ys = sorted({round(c[1]) for c in table.cells} | {round(c[3]) for c in table.cells})
    return xs, ys


def _near(found, want):
    return len(found) == len(want) and all(
        abs(f - w) <= 1 for f, w in zip(found, want, strict=True)
    )


@pytest.mark.parametrize(("dash", "gap"), [(12, 8), (30, 10), (8, 8)], ids=["dash", "worn", "dots"])
def test_a_column_divider_printed_dashed_is_a_ruling(dash, gap):
    xs, ys = _edges(_grid(dashed_col=3, dash=dash, gap=gap))
    assert _near(xs, XS) and _near(ys, YS), (xs, ys)


def test_a_row_line_printed_dashed_is_a_ruling():
    xs, ys = _edges(_grid(dashed_row=3))
    assert _near(xs, XS) and _near(ys, YS), (xs, ys)


def test_a_stroke_printed_in_every_row_is_no_ruling():
    page = _grid()
    for y in YS[:-1]:  # a lone upright stroke (丨, 1) at one x in each row, half the row high
        page[y + 16 : y + 48, 480:483] = 0
    xs, ys = _edges(page)
    assert _near(xs, XS) and _near(ys, YS), (xs, ys)


def test_specks_further_apart_than_they_are_long_are_no_ruling():
    xs, ys = _edges(_grid(dashed_col=3, dash=6, gap=20))
    assert _near(xs, XS[:3] + XS[4:]) and _near(ys, YS), (xs, ys)


def test_a_dashed_divider_ends_at_the_last_line_it_reaches():
    page = _grid()
    page[YS[0] + 2 : YS[-1] - 1, XS[3] - 1 : XS[3] + 2] = 255
    _line(page, XS[3], YS[0], YS[3], False, (12, 8))  # dashed over the first three rows only
    for top in (YS[3] + 4, YS[3] + 20):  # under it, two strokes of a glyph on the same x
        page[top : top + 10, XS[3] - 1 : XS[3] + 1] = 0
    (table,) = find_tables(page, DPI)[0]
    xs, ys = _edges(page)
    assert _near(xs, XS) and _near(ys, YS), (xs, ys)

    def column(x):  # the column line nearest x
        return min(range(len(XS)), key=lambda k: abs(XS[k] - x))

    lower = {(column(c[0]), column(c[2])) for c in table.cells if c[1] >= YS[3] - 1}
    assert lower == {(0, 1), (1, 2), (2, 4)}  # no line under the dashes, the strokes' row whole


def _dense_glyph(page, top, x):
    """An upright stroke a row high at x, in a character dense with cross strokes on both
    sides of it (as 畫 or 贏 are): the glyph's body has ink beside the stroke nearly all along."""
    page[top : top + 34, x - 1 : x + 2] = 0
    for y in range(top + 3, top + 32, 6):
        page[y : y + 3, x - 14 : x + 15] = 0


def _tight_header():
    """A ruled table whose first two rows are one line high (0.19 in), columns at 160/360/1240,
    and below them rows 0.32 in high with a column line at 800 from the third row line down."""
    ys = [100, 138, 176] + [176 + 64 * k for k in range(1, 4)]
    page = np.full((500, 1400), 255, np.uint8)
    for y in ys:
        _line(page, y, 160, 1240, True, None)
    for x in (160, 360, 1240):
        _line(page, x, ys[0], ys[-1], False, None)
    _line(page, 800, ys[2], ys[-1], False, None)
    return page, ys


def test_strokes_of_glyphs_on_one_x_in_two_one_line_rows_are_no_column_line():
    page, ys = _tight_header()
    for y in ys[:2]:  # a character's right side on the same x in each row, touching its lines
        _dense_glyph(page, y + 2, 560)
    xs, found_ys = _edges(page)
    assert _near(xs, [160, 360, 800, 1240]) and _near(found_ys, ys), (xs, found_ys)
    (table,) = find_tables(page, DPI)[0]
    top = sorted((round(c[1]), round(c[0]), round(c[2])) for c in table.cells if c[3] <= ys[2] + 1)
    want = [(ys[0], 160, 360), (ys[0], 360, 1240), (ys[1], 160, 360), (ys[1], 360, 1240)]
    assert _near([v for cell in top for v in cell], [v for cell in want for v in cell]), top


def test_a_column_line_does_not_run_on_up_a_glyph_stroke_standing_on_it():
    page, ys = _tight_header()
    _dense_glyph(page, ys[1] + 2, 800)  # in the row above where the line at 800 starts
    (table,) = find_tables(page, DPI)[0]
    second_row = sorted((round(c[0]), round(c[2])) for c in table.cells
                        if abs(c[1] - ys[1]) <= 1 and abs(c[3] - ys[2]) <= 1)
    assert _near([x for cell in second_row for x in cell], [160, 360, 360, 1240]), second_row


def test_a_column_line_does_not_run_through_a_row_that_spans_it():
    """A goal printed across the columns of the rows below: a glyph's stroke standing where the
    column line passes (it ends on the goal row's lines above and below) is no line there."""
    page, ys = _tight_header()
    _line(page, 800, ys[0], ys[1], False, None)  # the first row is split at 800, the second not
    _dense_glyph(page, ys[1] + 2, 800)
    (table,) = find_tables(page, DPI)[0]
    second_row = sorted((round(c[0]), round(c[2])) for c in table.cells
                        if abs(c[1] - ys[1]) <= 1 and abs(c[3] - ys[2]) <= 1)
    assert _near([x for cell in second_row for x in cell], [160, 360, 360, 1240]), second_row


def _bracket(page, top, bottom, x, depth=5):
    """A closing bracket's stroke from top to bottom at x, bowing `depth` px to the right."""
    for y in range(top, bottom):
        bow = round(depth * math.sin(math.pi * (y - top) / (bottom - top)))
        page[y, x + bow - 1 : x + bow + 2] = 0


def test_a_closing_bracket_as_high_as_its_one_line_row_is_no_column_line():
    page, ys = _tight_header()
    for y in ys[:2]:  # set close to the row lines, touching the one above
        _bracket(page, y + 1, y + 36, 560)
    (table,) = find_tables(page, DPI)[0]
    top = sorted((round(c[1]), round(c[0]), round(c[2])) for c in table.cells if c[3] <= ys[2] + 1)
    want = [(ys[0], 160, 360), (ys[0], 360, 1240), (ys[1], 160, 360), (ys[1], 360, 1240)]
    assert _near([v for cell in top for v in cell], [v for cell in want for v in cell]), top


def _cell_with_text(run_on: bool):
    """A table of two tall cells side by side (line at x=400) whose left cell holds one line of
    text (a TextBox at 200..396); with `run_on` the text's strokes go on past the line."""
    page = np.full((500, 800), 255, np.uint8)
    for y in (100, 400):
        _line(page, y, 100, 700, True, None)
    for x in (100, 400, 700):
        _line(page, x, 100, 400, False, None)
    for x in range(200, 380 if not run_on else 440, 20):  # glyphs of a line of text
        page[115:145, x : x + 14] = np.where(np.arange(30)[:, None] % 6 < 3, 0, 255)
    tables, rulings = find_tables(page, DPI)
    (table,) = tables
    table.texts = [[] for _ in table.cells]
    left = min(range(len(table.cells)), key=lambda k: table.cells[k][0])
    table.texts[left] = [TextBox("甲乙丙", 0.99, (200.0, 112.0, 396.0, 148.0))]
    return table, text_ink(page, rulings), left


def test_a_text_that_runs_on_across_its_column_line_is_a_cut_cell():
    table, ink, left = _cell_with_text(run_on=True)
    assert cut_cells(table, ink, DPI) == [k == left for k in range(len(table.cells))]


def test_a_text_kept_clear_of_its_column_line_is_no_cut_cell():
    table, ink, _ = _cell_with_text(run_on=False)
    assert cut_cells(table, ink, DPI) == [False] * len(table.cells)


@pytest.mark.parametrize(("inked", "score"), [(True, 0.75), (False, 0.99)])
def test_a_mark_left_unread_between_two_characters_lowers_the_line(inked, score):
    ink = np.zeros((60, 300), np.uint8)
    box = TextBox("甲乙丙丁", 0.99, (0.0, 10.0, 200.0, 50.0), (20.0, 78.0, 106.0, 134.0))
    if inked:  # a small mark (、) printed in the em between 甲 and 乙, which were read 2 em apart
        ink[38:44, 44:50] = 255
    (read,) = unread_marks([box], ink)
    assert read.score == score


def _table(cells, with_text):
    table = ImageTable((0.0, 0.0, 300.0, 200.0), cells)
    table.texts = [[TextBox("甲", 0.99, cell)] if k in with_text else []
                   for k, cell in enumerate(cells)]
    return table


def test_a_row_line_under_one_column_between_two_texts_puts_both_in_doubt():
    """A name cut in two by a line drawn under its column alone, the cells either side whole."""
    cells = [(0.0, 0.0, 100.0, 200.0), (100.0, 0.0, 200.0, 80.0), (100.0, 80.0, 200.0, 200.0),
             (200.0, 0.0, 300.0, 200.0)]
    assert lone_splits(_table(cells, {0, 1, 2, 3}), 3.0) == [False, True, True, False]
    assert lone_splits(_table(cells, {0, 1, 3}), 3.0) == [False] * 4  # nothing under the line


def test_a_row_line_parting_a_row_across_its_values_is_no_doubt():
    cells = [(0.0, 0.0, 100.0, 200.0), (100.0, 0.0, 200.0, 80.0), (200.0, 0.0, 300.0, 80.0),
             (100.0, 80.0, 200.0, 200.0), (200.0, 80.0, 300.0, 200.0)]
    assert lone_splits(_table(cells, {0, 1, 2, 3, 4}), 3.0) == [False] * 5


def test_strokes_of_two_glyphs_side_by_side_in_a_one_line_row_are_no_column_line():
    """Two glyphs side by side in a row one line high (a 十 then a 亻): their upright strokes,
    10 px apart, each reaching the row line above and stopping 4 px short of the one below, run
    together into a line of the row alone. A line drawn there runs on to the row line below."""
    page, ys = _tight_header()
    for x in (555, 565):
        page[ys[1] + 2 : ys[2] - 4, x - 1 : x + 2] = 0
        page[ys[1] + 14 : ys[1] + 17, x - 8 : x + 8] = 0  # a stroke across each
    (table,) = find_tables(page, DPI)[0]
    second_row = sorted((round(c[0]), round(c[2])) for c in table.cells
                        if abs(c[1] - ys[1]) <= 1 and abs(c[3] - ys[2]) <= 1)
    assert _near([x for cell in second_row for x in cell], [160, 360, 360, 1240]), second_row


def test_a_column_line_drawn_in_one_one_line_row_alone_parts_it():
    page, ys = _tight_header()
    _line(page, 560, ys[1], ys[2], False, None)
    (table,) = find_tables(page, DPI)[0]
    second_row = sorted((round(c[0]), round(c[2])) for c in table.cells
                        if abs(c[1] - ys[1]) <= 1 and abs(c[3] - ys[2]) <= 1)
    want = [160, 360, 360, 560, 560, 1240]
    assert _near([x for cell in second_row for x in cell], want), second_row


@pytest.mark.parametrize(("inked", "score"), [(True, 0.75), (False, 0.99)])
def test_a_mark_left_unread_after_the_last_character_lowers_the_line(inked, score):
    ink = np.zeros((60, 300), np.uint8)
    # 甲乙丙 read a character pitch (28 px) apart, the line's box going on a pitch past 丙
    box = TextBox("甲乙丙", 0.99, (0.0, 10.0, 110.0, 50.0), (20.0, 48.0, 76.0))
    if inked:  # a 、 printed after 丙
        ink[38:44, 96:102] = 255
    (read,) = unread_marks([box], ink)
    assert read.score == score


def test_a_column_line_worn_through_in_a_row_still_parts_the_rows_it_stands_in():
    """Its two pieces stand on one x and together run from the row line above to the one
    below: one line worn through inside a row, where no glyph's strokes leave a blank."""
    page, ys = _tight_header()
    _line(page, 560, ys[2], ys[4], False, None)
    page[ys[3] + 12 : ys[3] + 17, 558:563] = 255
    (table,) = find_tables(page, DPI)[0]
    for top, bottom in itertools.pairwise(ys[2:5]):
        row = sorted((round(c[0]), round(c[2])) for c in table.cells
                     if abs(c[1] - top) <= 1 and abs(c[3] - bottom) <= 1)
        want = [160, 360, 360, 560, 560, 800, 800, 1240]
        assert _near([x for cell in row for x in cell], want), (top, row)


def test_column_lines_worn_through_just_above_the_bottom_line_still_reach_it():
    """Each column line breaks 10 px above the table's last row line and goes on to it in a
    piece too short to be a line of its own: the last row is kept all the same."""
    ys, xs = [100, 164, 228, 292], [160, 600, 1240]
    page = np.full((400, 1400), 255, np.uint8)
    for y in ys:
        _line(page, y, xs[0], xs[-1], True, None)
    for x in xs:
        _line(page, x, ys[0], ys[-1], False, None)
        page[ys[-1] - 24 : ys[-1] - 14, x - 1 : x + 2] = 255
    xs_found, ys_found = _edges(page)
    assert _near(xs_found, xs) and _near(ys_found, ys), (xs_found, ys_found)


def test_a_cell_holding_its_ruling_s_edge_down_one_side_is_still_read_line_by_line():
    """A photo draws a column line thick or bowed: its edge stands inside the cell's inset, inked
    down most of the cell. The cell's three printed lines are three lines all the same."""
    ink = np.zeros((100, 160), np.uint8)
    for top in (10, 40, 70):  # three lines of characters, 18 px high, 2 px apart
        for x in range(20, 140, 20):
            ink[top : top + 18, x : x + 18] = 255
    ink[3:97, 0:2] = 255  # the ruling's edge at the cell's left side
    boxes = line_boxes(ink, (0, 0, 160, 100), 170.0)
    assert [(round(b[1]), round(b[3])) for b in boxes] == [(5, 33), (35, 63), (65, 93)]


@pytest.mark.parametrize(("inked", "score"), [(True, 0.75), (False, 0.99)])
def test_a_narrow_mark_left_unread_between_two_ideographs_lowers_the_line(inked, score):
    """≥8件/套 read ≥8件套: the two ideographs 1.45 em apart, where they are set an em apart;
    the line's one pair of ideographs gives no pitch, its ink's height (20 px) stands for it."""
    ink = np.zeros((60, 300), np.uint8)
    for x0 in (30, 50, 75):  # ≥ and 8 and 件, inked 20 px high
        ink[20:40, x0 : x0 + 14] = 255
    box = TextBox("≥8件套", 0.99, (20.0, 15.0, 130.0, 45.0), (37.0, 57.0, 82.0, 111.0))
    ink[20:40, 104:118] = 255  # 套
    if inked:  # the slash, narrow, in the blank between 件 and 套
        ink[20:40, 94:97] = 255
    (read,) = unread_marks([box], ink)
    assert read.score == score


def test_a_row_line_worn_off_by_both_sides_of_the_table_is_kept_where_column_lines_cross_it():
    """Worn through a little short of the table's left and right borders, the line meets no
    column line at its ends; two column lines run on through it, as no text's strokes do."""
    columns = [(50.0, 100.0, 500.0), (250.0, 100.0, 500.0), (400.0, 100.0, 500.0),
               (600.0, 100.0, 500.0)]
    worn = (300.0, 80.0, 575.0)  # crossed by the column lines at 250 and 400
    once = (200.0, 280.0, 480.0)  # as long, crossed by one column line only: a stroke's run
    kept, _ = drop_loose_segments([worn, once], columns, TOL, LONG, WORN)
    assert kept == [worn]


def test_a_row_line_under_two_columns_worn_off_by_both_corners_is_kept():
    """The row line of the last two columns (the first ones' cells spanning it), worn through
    by both its corners: one column line runs on through it, and each end stands a piece too
    short to be a line away from a column line."""
    columns = [(50.0, 100.0, 500.0), (250.0, 100.0, 500.0), (400.0, 100.0, 500.0),
               (600.0, 100.0, 500.0)]
    worn = (300.0, 298.0, 570.0)  # 48 and 30 px short of the lines at 250 and 600, crossed at 400
    short = (200.0, 330.0, 570.0)  # one end 80 px short of any: no worn corner
    kept, _ = drop_loose_segments([worn, short], columns, TOL, LONG, WORN)
    assert kept == [worn]


def test_a_light_row_line_worn_by_a_corner_between_close_text_parts_the_cells():
    """A row line under one column printed light (lost to the ink mask between lines of dense
    text set close above and below it) and worn through 30 px from the column's left line:
    the piece left by the corner is too short for the line mask. Its ink goes on from corner to
    corner but for that gap, so the two cells are two."""
    page = np.full((600, 1400), 255, np.uint8)
    y, (x0, x1) = YS[3], (XS[1], XS[2])
    for k, row in enumerate(YS):  # the first column's cell spans the rows over and under y
        _line(page, row, XS[0] if k != 3 else x1, XS[-1], True, None)
    for x in XS:
        _line(page, x, YS[0], YS[-1], False, None)
    page[y - 1 : y + 2, x0 + 2 : x1] = 222  # light: 33 levels under the paper
    page[y - 1 : y + 2, x0 + 30 : x0 + 34] = 255  # worn through by the corner
    for top in (y - 25, y + 5):  # lines of dense characters 20 px high, 3 px from the line
        for gx in range(x0 + 12, x0 + 200, 24):
            page[top : top + 20, gx : gx + 20] = 0
            page[top + 3 : top + 17 : 4, gx + 2 : gx + 18] = 255
    (table,) = find_tables(page, DPI)[0]
    column = sorted((round(c[1]), round(c[3])) for c in table.cells if abs(c[0] - x0) <= 1)
    assert _near([v for cell in column for v in cell], [YS[0], YS[1], YS[1], YS[2], YS[2], y,
                                                         y, YS[4], YS[4], YS[5], YS[5], YS[6]])


def test_two_lines_joined_by_a_thread_of_the_ruling_s_edge_are_two_lines():
    """A photo's column line bows a pixel into the cell along stretches of it: a thread at the
    cell's side, a fifth of its height, running down the blank between two lines of text."""
    ink = np.zeros((150, 90), np.uint8)
    for x in range(10, 60, 25):  # 指标, 20 px high
        ink[5:25, x : x + 20] = 255
    ink[32:52, 10:30] = 255  # 值 under it, 7 px apart
    ink[22:55, 89] = 255  # the thread at the right side, from line to line
    boxes = line_boxes(ink, (0, 0, 90, 150), 170.0)
    assert [(round(b[1]), round(b[3])) for b in boxes] == [(0, 30), (27, 57)]


@pytest.mark.parametrize(("read", "meant"), [
    ("2·38万元", "2.38万元"),  # a full-width decimal point read as a middle dot
    ("１・５", "１.５"),
    ("甲·乙", "甲·乙"),  # a middle dot between names stays
    ("第3·", "第3·"),
])
def test_a_dot_between_two_digits_is_a_decimal_point(read, meant):
    box = TextBox(read, 0.99, (0.0, 0.0, 120.0, 30.0))
    (fixed,) = punctuation_by_width([box], np.zeros((40, 140), np.uint8))
    assert (fixed.text, fixed.score) == (meant, 0.99)
