"""Whether a rendered page holds anything worth reading, judged before the costly steps (seal
removal, deskew, table finding, the recogniser: about 0.4 s a page) run on it.

A scanned archive has blank pages (the backs of single-sided sheets, separators), and a PDF
bomb can declare thousands of empty ones; each would otherwise go through OCR.
"""

from __future__ import annotations

# Ink pixels per pixel of the page under which it is blank: 0.05% of an A4 page at 200 dpi is
# about 1,900 pixels, a page number or a few scanner specks; a single line of a title (about
# 7,500) or a table's rulings (tens of thousands) is far above it.
BLANK_INK = 0.0005
# Ink is this much darker than the paper (the page's median grey, in its darkest channel): a
# faded scan's text is grey, 140-200 on paper at 248 (samples/scans/huoshan-2023-150dpi.pdf),
# so a fixed mid-grey threshold would take its pages for blank.
INK_CONTRAST = 48
# Under BLANK_INK, a page holding this many blobs of ink a character high is not blank: a page
# number is one or two, and the last characters of a cell the page break carried over (a name
# ending on the next page, 续性影响) are more, with less ink than a line.
MIN_CHARACTERS = 3
CHARACTER_HEIGHT = 0.008  # x the page's height: a character of 9 points or more on A4


def is_blank(picture) -> bool:
    """`picture`: a page as a numpy array of uint8, greyscale or BGR (scan_reader.load_picture)."""
    import numpy as np

    if picture.size == 0:
        return True
    darkest = picture if picture.ndim == 2 else picture.min(axis=2)
    counts = np.bincount(darkest.ravel(), minlength=256).cumsum()
    paper = int(np.searchsorted(counts, darkest.size / 2))  # the median grey
    threshold = paper - INK_CONTRAST
    ink = int(counts[threshold - 1]) if threshold > 0 else 0  # pixels darker than it
    if ink >= BLANK_INK * darkest.size:
        return False
    return ink == 0 or _characters(darkest < threshold) < MIN_CHARACTERS


def _characters(ink) -> int:
    """The blobs of ink (a boolean mask) about a character high: no speck, no ruling."""
    import cv2
    import numpy as np

    _, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    heights, widths = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    low, high = CHARACTER_HEIGHT * ink.shape[0], 5 * CHARACTER_HEIGHT * ink.shape[0]
    return int(np.count_nonzero((heights >= low) & (heights <= high) & (widths <= 3 * heights)))
