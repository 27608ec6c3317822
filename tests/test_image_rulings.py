"""Ruling lines found in a page's picture stand where they are drawn, and no row is thinner
than a line of text."""

import numpy as np

from perftab.extract.image_grid import Ruling, drop_loose_segments, merge_close, ruling_segments


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
