"""A scanned page with no ruling lines -> table parts, by the text positions OCR gives.

An unruled table (a Word table with its borders off, printed and scanned, or a photo whose
lines blurred away) has no grid to find in the picture. Its columns are in the positions of its
text, as on an unruled born-digital page, so the same inference reads it (unruled.py): the
recognised lines are turned into characters with boxes, in points, and handed to
`unruled_parts` as if they were a PDF's text layer.

    text_blocks (ink closed within a column, never across a gutter)
    -> line_boxes per block -> recognised (scan_reader) -> page_chars -> unruled_parts

Every threshold is relative to the page's text height (`em_px`), measured from its ink.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from statistics import median
from types import SimpleNamespace

import cv2
import numpy as np

from .grid import TextLine
from .records import TablePart

EXTRACTOR = "ocr-unruled"
BLOCK_CLOSE_X = 0.5  # x text height: characters and words of one cell join, columns never do
BLOCK_CLOSE_Y = 0.35  # x text height: the wrapped lines of one cell join into a block
MIN_GLYPH_PX = 4  # ink blobs lower than this are dots and strokes, not a character's height
FULL_HEIGHT = 75  # percentile of blob heights that is a whole character (radicals are lower)
EM_SIZE = 0.8  # a line's box (its ink and a margin) is about 1.25 font sizes high
SAME_SIZE = 0.2  # sizes this close to the page's usual one are the same font size
# a cell one of whose printed lines was read in two pieces: what stood at the cut may be lost,
# so the row asks to be checked (below normalize's warning threshold, 0.8)
CUT_CONFIDENCE = 0.75
READ_TOGETHER = 0.8  # x text height: pieces of a line closer than this are read as one (as
# unruled.SEGMENT_GAP makes them one cell's text)


def em_px(ink: np.ndarray) -> float | None:
    """The height of a whole character in pixels: blobs of ink that are a character or part of
    one, at their upper quartile (a radical or a stroke is lower than a character)."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n < 10:
        return None
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    glyphs = heights[(heights >= MIN_GLYPH_PX) & (widths <= 3 * heights)]
    if len(glyphs) < 10:
        return None
    return float(np.percentile(glyphs, FULL_HEIGHT))


def text_blocks(ink: np.ndarray, em: float) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, top, x1, bottom) of ink closed within BLOCK_CLOSE_X/Y text heights: a cell's
    text, or a column's run of cells; two columns stay apart."""
    kx = max(3, round(BLOCK_CLOSE_X * em))
    ky = max(3, round(BLOCK_CLOSE_Y * em))
    closed = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (kx, ky)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    out = []
    for k in range(1, n):
        x, y, w, h, _ = stats[k]
        # the dilation grows each side by half the kernel: shrink back to the ink
        out.append((x + kx // 2, y + ky // 2, x + w - (kx - kx // 2), y + h - (ky - ky // 2)))
    return sorted(out, key=lambda b: (b[1], b[0]))


def line_regions(ink: np.ndarray, dpi: float) -> list[tuple[float, float, float, float]]:
    """The printed lines of a page without rulings, each within its column: line_boxes inside
    every text block."""
    from .image_grid import line_boxes

    em = em_px(ink)
    if em is None:
        return []
    regions = []
    for x0, top, x1, bottom in text_blocks(ink, em):
        regions.extend(line_boxes(ink, (x0 - 1, top - 1, x1 + 2, bottom + 2), dpi, True))
    return _join_close(regions, READ_TOGETHER * em)


def _join_close(regions: list, gap: float) -> list:
    """Pieces of one printed line closer than `gap` read as one: the blocks keep apart ink half
    an em apart (columns may stand that close), but text that close is one cell's to the
    inference, and a piece read alone loses what stood at its cut (the colon of 指标1:)."""
    out: list = []
    for region in regions:
        near = next((k for k, kept in enumerate(out) if _same_line(kept, region)
                     and 0 <= max(region[0] - kept[2], kept[0] - region[2]) < gap), None)
        if near is None:
            out.append(region)
            continue
        kept = out[near]
        out[near] = (min(kept[0], region[0]), min(kept[1], region[1]),
                     max(kept[2], region[2]), max(kept[3], region[3]))
    return out


def _same_line(a, b) -> bool:
    return min(a[3], b[3]) - max(a[1], b[1]) > 0.5 * min(a[3] - a[1], b[3] - b[1])


def page_chars(boxes: list, scale: float) -> list[dict]:
    """Recognised lines (image_grid.TextBox) as characters with boxes in points, the way a PDF's
    text layer gives them: each character centred where the recogniser placed it, one em wide,
    as high as its line's ink; `score` is its line's recognition score, `read` the number of the
    recognised line it came from.

    A line's font size is read from its characters' pitch or its height, which a pixel of
    blur changes by a few per cent; the table finder takes a size change for the end of a
    table, so sizes within SAME_SIZE of the page's usual size are that size."""
    pitches = [_pitch(box) for box in boxes]
    heights = [(box.box[3] - box.box[1]) * EM_SIZE for box in boxes]
    known = [p for p in pitches if p]
    usual = median(known or heights or [0.0])
    chars = []
    for read, (box, pitch, height) in enumerate(zip(boxes, pitches, heights, strict=True)):
        size = _line_size(pitch, height, usual)
        x0, top, x1, bottom = box.box
        text = box.text
        centres = list(box.char_x) if len(box.char_x) == len(text) else _spread(text, x0, x1)
        for ch, cx in zip(text, centres, strict=True):
            half = size / 2 if _wide(ch) else size / 4
            chars.append({
                "text": ch,
                "x0": (cx - half) * scale,
                "x1": (cx + half) * scale,
                "top": top * scale,
                "bottom": bottom * scale,
                "doctop": top * scale,
                "upright": True,
                "fontname": "",
                "size": size * scale,
                "score": box.score,
                "read": read,
            })
    return chars


def _line_size(pitch: float | None, height: float, usual: float) -> float:
    """A line is set in another size than the page's usual one only where its height says so,
    and its pitch too where it has one: a header cell spreads two characters across its
    width (a wide pitch at the usual height), and digits are lower than CJK characters."""
    lo, hi = (1 - SAME_SIZE) * usual, (1 + SAME_SIZE) * usual
    if pitch is None:
        return height if height > hi else usual
    if (pitch > hi and height > hi) or (pitch < lo and height < lo):
        return pitch
    return usual


def _spread(text: str, x0: float, x1: float) -> list[float]:
    """Character centres spread over the box by width (a CJK character two Latin ones)."""
    weights = [2.0 if _wide(ch) else 1.0 for ch in text]
    total = sum(weights) or 1.0
    out, at = [], x0
    for w in weights:
        step = (x1 - x0) * w / total
        out.append(at + step / 2)
        at += step
    return out


def _pitch(box) -> float | None:
    """The distance between neighbouring CJK characters' centres: one em."""
    centres, text = list(box.char_x), box.text
    if len(centres) != len(text):
        return None
    steps = [
        b - a
        for (a, ca), (b, cb) in pairwise(zip(centres, text, strict=True))
        if _wide(ca) and _wide(cb)
    ]
    return median(steps) if steps else None


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def unruled_scan_parts(
    page_no: int, chars: list[dict], note: str | None, previous=None
) -> tuple[list[TablePart], list[TextLine], object]:
    """The tables unruled.py finds in the recognised characters, each cell's confidence the
    lowest score of the lines its characters came from (at most CUT_CONFIDENCE where one
    printed line of the cell was read in pieces); the lines after the last table; and the
    columns of a table the page's end may cut (unruled.Columns), which the next page, read
    with them as `previous`, may continue."""
    from .unruled import unruled_parts

    page = SimpleNamespace(page_number=page_no, chars=chars)
    parts, after, columns = unruled_parts(page, [], previous)
    notes = [note] if note else []
    out = []
    for part in parts:
        cells = [replace(cell, confidence=_confidence(cell.bbox, chars)) for cell in part.cells]
        out.append(replace(part, cells=cells, extractor=EXTRACTOR, notes=notes))
    return out, after, columns


def _confidence(bbox, chars: list[dict]) -> float | None:
    x0, top, x1, bottom = bbox
    inside = [
        ch
        for ch in chars
        if x0 <= (ch["x0"] + ch["x1"]) / 2 <= x1 and top <= (ch["top"] + ch["bottom"]) / 2 <= bottom
    ]
    if not inside:
        return None
    lowest = min(ch["score"] for ch in inside)
    return min(lowest, CUT_CONFIDENCE) if _read_in_pieces(inside) else lowest


def _read_in_pieces(chars: list[dict]) -> bool:
    """Two recognised lines of one cell side by side on one printed line: the text was cut
    where its ink stood a little apart (a colon, a bracket, a space before a digit), and the
    recogniser, reading each piece alone, may have dropped a mark at the cut."""
    pieces: dict[int, tuple[float, float]] = {}
    for ch in chars:
        pieces.setdefault(ch["read"], (ch["top"], ch["bottom"]))
    spans = list(pieces.values())
    return any(
        min(b1, b2) - max(t1, t2) > 0.5 * min(b1 - t1, b2 - t2)
        for k, (t1, b1) in enumerate(spans)
        for t2, b2 in spans[k + 1 :]
    )
