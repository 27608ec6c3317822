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

from collections import Counter
from dataclasses import replace
from functools import partial
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
# blobs a character high a page must hold to be read: a page may hold no more than the last
# characters of a cell the page break carried over (blank.MIN_CHARACTERS)
MIN_GLYPHS = 3
MIN_GLYPH_PX = 4  # ink blobs lower than this are dots and strokes, not a character's height
FULL_HEIGHT = 75  # percentile of blob heights that is a whole character (radicals are lower)
EM_SIZE = 0.8  # a line's box (its ink and a margin) is about 1.25 font sizes high
SAME_SIZE = 0.2  # sizes this close to the page's usual one are the same font size
# a cell one of whose printed lines was read in two pieces: what stood at the cut may be lost,
# so the row asks to be checked (below normalize's warning threshold, 0.8)
CUT_CONFIDENCE = 0.75
# a row read_centred_grid placed with doubt, or whose level it did: as a cell read in pieces
PLACED_CONFIDENCE = 0.75
# x font size: a text further under the line above it than the table's lines of one cell are
# from each other by this much stands in a row of its own (a scan's line middles are a tenth
# of a size out)
SET_APART = 0.3
# x the rows' pitch: a block one row longer or shorter has its middle half a pitch away, so a
# level label further than this from its block's middle stands as near another reading
DOUBTFUL_OFF_CENTRE = 0.25
FULL_PITCH = 0.9  # x font size: a digit or mark set full width stands an em from its neighbours
LINE_HEIGHTS = 3.0  # x text height: a box this high holds more than one line of text
READ_TOGETHER = 0.8  # x text height: pieces of a line closer than this are read as one (as
# unruled.SEGMENT_GAP makes them one cell's text)


def em_px(ink: np.ndarray) -> float | None:
    """The height of a whole character in pixels: blobs of ink that are a character or part of
    one, at their upper quartile (a radical or a stroke is lower than a character)."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    glyphs = heights[(heights >= MIN_GLYPH_PX) & (widths <= 3 * heights)]
    if len(glyphs) < MIN_GLYPHS:
        return None
    return float(np.percentile(glyphs, FULL_HEIGHT))


def _closed_blocks(
    ink: np.ndarray, em: float
) -> tuple[tuple[int, int], int, np.ndarray, np.ndarray]:
    """The ink closed within BLOCK_CLOSE_X/Y text heights, as the closing kernel's size and
    cv2.connectedComponentsWithStats' count, labels and stats of the closed blocks."""
    kx = max(3, round(BLOCK_CLOSE_X * em))
    ky = max(3, round(BLOCK_CLOSE_Y * em))
    closed = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (kx, ky)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    return (kx, ky), n, labels, stats


def text_blocks(ink: np.ndarray, em: float) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, top, x1, bottom) of ink closed within BLOCK_CLOSE_X/Y text heights: a cell's
    text, or a column's run of cells; two columns stay apart."""
    (kx, ky), n, _, stats = _closed_blocks(ink, em)
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
    regions: list[tuple[float, float, float, float]] = []
    for (c0, y0), own in block_inks(ink, em):
        for line in line_boxes(own, (0, 0, own.shape[1], own.shape[0]), dpi, True):
            regions.extend(
                (x0 + c0, top + y0, x1 + c0, bottom + y0)
                for x0, top, x1, bottom in _split_at_gaps(own, line, READ_TOGETHER * em))
    return _join_close(regions, READ_TOGETHER * em, ink)


def block_inks(ink: np.ndarray, em: float) -> list[tuple[tuple[int, int], np.ndarray]]:
    """Each text block (as `text_blocks` closes them) as its top-left corner and the ink of
    that block alone within its box: in a table set with no space between rows a block may
    wrap round another (a cell's last line touching the header row beside it), and lines
    found across its box would take in the other block's lines, each then read twice."""
    _, n, labels, stats = _closed_blocks(ink, em)
    out = []
    for k in range(1, n):
        x, y, w, h, _ = stats[k]
        own = np.where(labels[y : y + h, x : x + w] == k, ink[y : y + h, x : x + w], 0)
        if own.any():
            out.append(((int(x), int(y)), own.astype(ink.dtype)))
    return sorted(out, key=lambda b: (b[0][1], b[0][0]))


def _split_at_gaps(ink: np.ndarray, line, gap: float) -> list:
    """A printed line cut where its ink stands `gap` or more apart: the texts of two cells
    side by side in one block (columns set closer than a word gap apart) read apart."""
    x0, top, x1, bottom = (round(v) for v in line)
    filled = np.count_nonzero(ink[top:bottom, x0:x1], axis=0) > 0
    edges = np.flatnonzero(np.diff(np.concatenate(([0], filled.astype(np.int8), [0]))))
    runs = list(zip(edges[::2], edges[1::2], strict=True))
    cuts = [(end, nxt) for (_, end), (nxt, _) in pairwise(runs) if nxt - end >= gap]
    if not cuts:
        return [line]
    margin = gap / 4
    starts = [x0 + runs[0][0]] + [x0 + nxt for _, nxt in cuts]
    ends = [x0 + end for end, _ in cuts] + [x0 + runs[-1][1]]
    return [(max(line[0], a - margin), line[1], min(line[2], b + margin), line[3])
            for a, b in zip(starts, ends, strict=True)]


def _join_close(regions: list, gap: float, ink: np.ndarray | None = None) -> list:
    """Pieces of one printed line closer than `gap` read as one: the blocks keep apart ink half
    an em apart (columns may stand that close), but text that close is one cell's to the
    inference, and a piece read alone loses what stood at its cut (the colon of 指标1:). With
    the page's `ink`, the gap is the one between the pieces' ink, not their boxes: a box keeps
    a margin round its ink, and two cells' texts `_split_at_gaps` parted (a name and the value
    beside it an em apart) would be read as one line again."""
    # a box some lines high is no piece of a line (the ink of a photographed desk run into a
    # column of labels): what stands beside it is not joined to it
    tall = LINE_HEIGHTS * gap / READ_TOGETHER
    out: list = []
    for region in regions:
        near = next((k for k, kept in enumerate(out) if _same_line(kept, region)
                     and max(kept[3] - kept[1], region[3] - region[1]) <= tall
                     and 0 <= _gap(kept, region, ink) < gap), None)
        if near is None:
            out.append(region)
            continue
        kept = out[near]
        out[near] = (min(kept[0], region[0]), min(kept[1], region[1]),
                     max(kept[2], region[2]), max(kept[3], region[3]))
    return out


def _gap(a, b, ink: np.ndarray | None) -> float:
    """The width of the space between two pieces of a line, their ink's where `ink` is given
    (negative where they overlap)."""
    if ink is not None:
        a, b = _ink_span(a, ink), _ink_span(b, ink)
    return max(b[0] - a[2], a[0] - b[2])


def _ink_span(region, ink: np.ndarray):
    """A region narrowed to the columns of pixels holding its ink (as it is, if none do)."""
    x0, top, x1, bottom = (round(v) for v in region)
    filled = np.flatnonzero(np.count_nonzero(ink[max(0, top):bottom, max(0, x0):x1], axis=0))
    if not len(filled):
        return region
    start = max(0, x0)
    return (start + filled[0], region[1], start + filled[-1] + 1, region[3])


def _same_line(a, b) -> bool:
    return min(a[3], b[3]) - max(a[1], b[1]) > 0.5 * min(a[3] - a[1], b[3] - b[1])


def page_chars(boxes: list, scale: float) -> list[dict]:
    """Recognised lines (image_grid.TextBox) as characters with boxes in points, the way a PDF's
    text layer gives them: each character centred where the recogniser placed it, one em wide,
    one font size high about its line's middle; `score` is its line's recognition score,
    `read` the number of the recognised line it came from.

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
        # as high as the font size, as a text layer's characters are: the line's box keeps a
        # margin round its ink, and in a table set with no space between rows the boxes of
        # one line and the next overlap, which reads the rows as one
        middle = (top + bottom) / 2
        top, bottom = middle - size / 2, middle + size / 2
        text = box.text
        centres = list(box.char_x) if len(box.char_x) == len(text) else _spread(text, x0, x1)
        line: list[dict] = []
        for ch, cx, half in zip(text, centres, _half_widths(text, centres, size), strict=True):
            line.append({
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
        chars.extend(_close_gaps(line, READ_TOGETHER * size * scale))
    return chars


def _half_widths(text: str, centres: list[float], size: float) -> list[float]:
    """Half of each character's width: half an em for a CJK character, and for a digit, letter
    or mark set as wide (full-width ５０ and （）, its centre FULL_PITCH em or more from its
    nearest neighbour's); a quarter of an em for the others. Read half as wide, a line of
    full-width marks (（５０ over 分）) looks short enough to have taken the next word, and
    its next line is read as a cell of its own."""
    out = []
    for k, ch in enumerate(text):
        gaps = [abs(centres[j] - centres[k]) for j in (k - 1, k + 1)
                if 0 <= j < len(text) and not text[j].isspace()]
        full = _wide(ch) or (not ch.isspace() and gaps and min(gaps) >= FULL_PITCH * size)
        out.append(size / 2 if full else size / 4)
    return out


def _close_gaps(line: list[dict], gap: float) -> list[dict]:
    """The characters of one recognised line, each reaching to the next where the recogniser
    read no space between them and they stand less than `gap` apart: a sign or a digit is
    narrower than the em its centre is given (≥ before 90%), and the gap left would read as a
    space between words. Farther apart, they stay apart (two cells' text read as one line)."""
    for a, b in pairwise(line):
        if not a["text"].isspace() and not b["text"].isspace() and 0 < b["x0"] - a["x1"] < gap:
            a["x1"] = b["x0"]
    return line


def _line_size(pitch: float | None, height: float, usual: float) -> float:
    """A line is set in another size than the page's usual one only where its height and its
    pitch both say so: a header cell spreads two characters across its width (a wide pitch
    at the usual height), and digits are lower than CJK characters. A line with no pitch (a
    lone character, or marks among them) is the usual size: its height is its tallest mark's
    or its box's, not an em (a bracket or a ≥ reaches below the line, a lone character's box
    is read a few pixels taller: (50 read over a wrapped (50分), ≥**吨) under a name and a
    header cell's wrapped last character were each taken for larger print, and the table
    ended there)."""
    lo, hi = (1 - SAME_SIZE) * usual, (1 + SAME_SIZE) * usual
    if pitch is None:
        return usual
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
    """The distance between neighbouring CJK characters' centres: one em. One such pair in a
    line holding other marks tells nothing: the recogniser places a character beside a
    bracket or a sign a fifth of an em out (产量(≥ measured 1.25 em, larger print)."""
    centres, text = list(box.char_x), box.text
    if len(centres) != len(text):
        return None
    steps = [
        b - a
        for (a, ca), (b, cb) in pairwise(zip(centres, text, strict=True))
        if _wide(ca) and _wide(cb)
    ]
    if len(steps) < 2 and not all(_wide(ch) for ch in text.strip()):
        return None
    return median(steps) if steps else None


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def unruled_scan_parts(
    page_no: int, chars: list[dict], note: str | None, previous=None
) -> tuple[list[TablePart], list[TextLine], object]:
    """The tables unruled.py finds in the recognised characters, each cell's confidence the
    lowest score of the lines its characters came from (at most CUT_CONFIDENCE where one
    printed line of the cell was read in pieces or ends in a mark it wraps after, at most
    PLACED_CONFIDENCE in a row `read_centred_grid` placed with doubt); the lines after the last
    table; and the columns of a table the page's end may cut (unruled.Columns), which the next
    page, read with them as `previous`, may continue."""
    from .unruled import unruled_parts

    if previous is not None:
        chars = in_size_of(chars, previous.size)
    page = SimpleNamespace(page_number=page_no, chars=chars)
    doubtful: list[tuple[float, float]] = []
    read = partial(read_centred_grid, doubtful=doubtful)
    parts, after, columns = unruled_parts(page, [], previous, read)
    notes = [note] if note else []
    out = []
    for part in parts:
        cells = [
            replace(cell, confidence=_confidence(cell.bbox, chars, doubtful))
            for cell in part.cells
        ]
        cells = doubt_rows_under_an_open_end(doubt_rows_over_a_lone_line(cells, chars))
        out.append(replace(part, cells=cells, extractor=EXTRACTOR, notes=notes))
    return out, after, columns


LONE_LINE_DOUBT = ("the row under it holds only texts under this row's, one under a full line: "
                   "they may be its cells' ends")


def doubt_rows_over_a_lone_line(cells: list, chars: list[dict]) -> list:
    """The cells of a row with a row under it whose only text stands under a cell of this row
    whose last line is too full for the lower text's first character (as the widest line of
    the column measures it), each at most CUT_CONFIDENCE and with a doubt: a wrapped name
    whose last lines were read as a row of their own (a row with a name and nothing else)
    leaves the row above it with the name's first lines and the value, which reads right but
    is not. (A level's label alone in its row, under a shorter label, is no such end.)
    So too where the row under holds fewer texts than this one, each under one of its texts,
    its first and another under such full lines: in a table of narrow columns every cell
    wraps, and the cells' ends read as a row of their own (both rows are doubted: the lower
    one may hold a value that is the upper one's). A name under a full name alone is no such
    sign: the next row's name often stands so, its unit or value left blank. Nor is a text set
    a row's space under the full line (`_set_apart`): a wrapped text's next line is not."""
    edges = sorted({cell.bbox[1] for cell in cells} | {cell.bbox[3] for cell in cells})
    rows: dict[tuple[float, float], list] = {}
    for cell in cells:  # the cells of one row each, not those merged over rows
        top, bottom = cell.bbox[1], cell.bbox[3]
        if not any(top + 0.5 < e < bottom - 0.5 for e in edges):
            rows.setdefault((top, bottom), []).append(cell)
    # texts of one row each by column: the row names' column holds as many as any column
    # right of it (more where wrapped names are read as rows), a level's (a label alone in
    # its row, a 二级 with no 三级) fewer than the names' beside it
    counts = Counter(c.bbox[0] for row in rows.values() for c in row if c.text.strip())
    doubted: set[tuple[float, float]] = set()
    for (top, bottom), row in rows.items():
        filled = sorted((c for c in row if c.text.strip()), key=lambda c: c.bbox[0])
        if not filled:
            continue
        right = [n for x0, n in counts.items() if x0 > filled[0].bbox[0]]
        if len(filled) == 1 and counts[filled[0].bbox[0]] < max(right, default=0):
            continue  # a level's label alone in its row
        for above in (band for band in rows if abs(band[1] - top) < 0.5):
            texts = [c for c in rows[above] if c.text.strip()]
            # the upper row's texts from the lower one's first column on (not its level's)
            beside = [c for c in texts if c.bbox[0] >= filled[0].bbox[0] - 0.5]
            # the lower texts under a full line: a row's own name under a full name is common,
            # a second column's text under a full line too is the cells' ends
            ends = [f for f in filled if any(
                _same_column(c, f) and _wraps_onto(c, f, cells, chars)
                and not _set_apart(c, f, cells, chars)
                and (f is filled[0] or _column_wraps(c, cells, chars)) for c in texts)]
            if (len(texts) >= 2 and len(beside) > len(filled) and _all_under(filled, texts)
                    and filled[0] in ends and len(ends) >= min(2, len(filled))):
                doubted.add(above)
                if len(filled) > 1:  # its texts may be the cells' ends, or a row's own
                    doubted.add((top, bottom))
    return [
        replace(cell, confidence=min(cell.confidence, CUT_CONFIDENCE), doubt=LONE_LINE_DOUBT)
        if (cell.bbox[1], cell.bbox[3]) in doubted and cell.text.strip()
        and cell.confidence is not None else cell
        for cell in cells
    ]


# marks no printed text ends with: a cell's text ending in one goes on further down
OPEN_ENDS = frozenset("、，,：:；;（(")
OPEN_END_DOUBT = ("the cell above it in its column ends in a mark no text ends with: "
                  "the rest of that text may have been read as this row's")


def doubt_rows_under_an_open_end(cells: list) -> list:
    """The cells of each row under a cell whose text ends in a mark (、，：（) with at most
    CUT_CONFIDENCE and a doubt: the text went on under it, and what was read as the next row's
    text in that column may begin with its end (甲乙丙、 over 丁戊己庚辛: the name's end 丁戊
    run into the next row's name, read sure). The row above is short, and other checks doubt it."""
    open_cells = [c for c in cells if c.text.strip() and c.text.strip()[-1] in OPEN_ENDS]
    doubted = {(c.bbox[1], c.bbox[3]) for c in cells if c.text.strip() and any(
        _same_column(above, c) and abs(above.bbox[3] - c.bbox[1]) < 0.5 for above in open_cells)}
    return [
        replace(cell, confidence=min(cell.confidence, CUT_CONFIDENCE), doubt=OPEN_END_DOUBT)
        if (cell.bbox[1], cell.bbox[3]) in doubted and cell.text.strip()
        and cell.confidence is not None and cell.doubt is None else cell
        for cell in cells
    ]


def _column_wraps(cell, cells: list, chars: list[dict]) -> bool:
    """A cell of the column holds more than one line (a column whose texts never wrap, one
    amount each, has every line as wide as its widest)."""
    return any(len(_lines_of(c.bbox, chars)) > 1 for c in cells if _same_column(c, cell))


def _all_under(lower: list, upper: list) -> bool:
    """Every text of `lower` stands in the column of a text of `upper`."""
    return all(any(_same_column(a, b) for b in upper) for a in lower)


def _same_column(a, b) -> bool:
    return abs(a.bbox[0] - b.bbox[0]) < 0.5 and abs(a.bbox[2] - b.bbox[2]) < 0.5


def _wraps_onto(upper, lower, cells: list, chars: list[dict]) -> bool:
    """The last line of `upper` and a character are about as wide as the widest line of their
    column or wider (a scan's widths are a quarter of a character out): the line was full,
    its text may go on under it."""
    lines = [_lines_of(c.bbox, chars) for c in cells if _same_column(c, upper)]
    up, low = _lines_of(upper.bbox, chars), _lines_of(lower.bbox, chars)
    if not (up and low and any(lines)):
        return False
    # the width a full line takes: the middle one of the lines a cell's text wraps after (a
    # line or two reach wider, a name printed over its column's margin or read with a mark
    # beside it); with none, the widest line
    wrapped = [x1 - x0 for cell_lines in lines for x0, x1, _ in cell_lines[:-1]]
    full = median(wrapped) if wrapped else max(x1 - x0 for ls in lines for x0, x1, _ in ls)
    x0, x1, size = up[-1]
    return x1 - x0 + size > full - 0.25 * size


def _set_apart(upper, lower, cells: list, chars: list[dict]) -> bool:
    """`lower`'s first line stands further under `upper`'s last than any line of a cell of the
    table under the line before it, by SET_APART of a line's size: the space between rows,
    which a text wrapped onto its next line is not given. (In a table set tight, its rows as
    close as its lines, nothing tells the two apart.)"""
    up, low = _printed_lines(upper.bbox, chars), _printed_lines(lower.bbox, chars)
    if not (up and low):
        return False
    steps = [_middle_of_line(b) - _middle_of_line(a) for cell in cells
             for a, b in pairwise(_printed_lines(cell.bbox, chars))]
    if not steps:
        return False
    size = up[-1][0]["size"]
    return _middle_of_line(low[0]) - _middle_of_line(up[-1]) > max(steps) + SET_APART * size


def _middle_of_line(line: list[dict]) -> float:
    return (line[0]["top"] + line[0]["bottom"]) / 2


def _lines_of(bbox, chars: list[dict]) -> list[tuple[float, float, float]]:
    """The recognised lines (x0, x1, size) of the characters centred in a box, top to bottom."""
    return [(min(c["x0"] for c in line), max(c["x1"] for c in line), line[0]["size"])
            for line in _printed_lines(bbox, chars)]


def _printed_lines(bbox, chars: list[dict]) -> list[list[dict]]:
    """The characters centred in a box, by printed line, top to bottom."""
    x0, top, x1, bottom = bbox
    lines: dict[int, list[dict]] = {}
    for ch in chars:
        middle = ((ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2)
        if x0 <= middle[0] <= x1 and top <= middle[1] <= bottom:
            lines.setdefault(ch["read"], []).append(ch)
    printed: list[list[dict]] = []  # the pieces of one printed line read apart, together
    for line in sorted(lines.values(), key=lambda line: line[0]["top"]):
        if printed and abs(line[0]["top"] - printed[-1][0]["top"]) < 0.5 * line[0]["size"]:
            printed[-1] += line
        else:
            printed.append(line)
    return printed


def in_size_of(chars: list[dict], size: float) -> list[dict]:
    """The characters of a page continuing a table, those within SAME_SIZE of the table's
    size on the page before in that size: a page's size is measured from its own lines, and a
    page holding a few (the end of a name the page break carried over), or photographed apart
    from the one before, measures it a few per cent out, which would read as another table's
    print (as page_chars holds one page's lines to its usual size)."""
    return [{**ch, "size": size} if abs(ch["size"] - size) <= SAME_SIZE * size else ch
            for ch in chars]


def _confidence(bbox, chars: list[dict], doubtful: list | tuple = ()) -> float | None:
    x0, top, x1, bottom = bbox
    inside = [
        ch
        for ch in chars
        if x0 <= (ch["x0"] + ch["x1"]) / 2 <= x1 and top <= (ch["top"] + ch["bottom"]) / 2 <= bottom
    ]
    if not inside:
        return None
    lowest = min(ch["score"] for ch in inside)
    if _read_in_pieces(inside) or _mark_at_wrap(inside):
        lowest = min(lowest, CUT_CONFIDENCE)
    # a cell within a doubted row (not a block of rows merged over it)
    if any(a - 0.5 <= top and bottom <= b + 0.5 for a, b in doubtful):
        lowest = min(lowest, PLACED_CONFIDENCE)
    return lowest


def _mark_at_wrap(chars: list[dict]) -> bool:
    """A comma, colon... ends a recognised line the cell's text goes on under: with nothing
    after it on its line, the width it was printed in (，or ,) could not be measured
    (image_grid.punctuation_by_width), and the form read may not be the one printed."""
    from .image_grid import FULL_WIDTH, HALF_WIDTH

    lines: dict[int, list[dict]] = {}
    for ch in chars:
        lines.setdefault(ch["read"], []).append(ch)
    lowest = max(ch["top"] for ch in chars)
    return any(
        max(line, key=lambda ch: ch["x1"])["text"] in FULL_WIDTH.keys() | HALF_WIDTH.keys()
        for line in lines.values()
        if line[0]["top"] < lowest
    )


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


# -- a table set with no space between rows, its level labels centred over their rows ----------


def read_centred_grid(
    inside: list, columns, header_line: int | None, doubtful: list | None = None
) -> tuple[list, list, object]:
    """unruled.read_grid, with the rows under the header row read again where the table is set
    with no space between rows (or continues a table): there a level label (一级, 二级) printed
    vertically centred over its rows stands on any line of them, often between two, and
    joining it to the line it stands on moves the rows it covers.

    The rows are the cells of the first column filled in most rows (the row names): a line of
    it continues the name above where it wraps onto it and no column beside it starts another
    cell on that line. The other columns' lines go to the row they stand on, a line standing
    between two rows to the one it leaves best centred (`lines_to_rows`). The labels of each
    column left of the names take blocks of rows in order, each standing at its block's middle
    (`label_blocks`), within the blocks of the column to its left; an innermost label with no
    row name beside it is a row of its own, and on a page continuing a table the rows before
    the first label are the rest of a block the page break cut. Where none of this applies
    (rows set apart, labels heading their blocks), read_grid's reading stands. The spaces of
    the rows read with doubt (`_cells_of`, `_place_labels`) are added to `doubtful`."""
    from .unruled import Wrapping, read_grid

    doubtful = [] if doubtful is None else doubtful
    blocks, bands, columns = read_grid(inside, columns, header_line)
    header = _header_row(blocks, bands, header_line, columns)
    if _read_top_aligned(blocks, len(bands), header):
        return blocks, bands, columns
    below = bands[header][1] if header >= 0 else float("-inf")
    segments = [s for b in blocks for s in b.segments if s.top > below]
    if not segments:
        return blocks, bands, columns
    wraps = Wrapping(segments, columns)
    if not (wraps.tight or header_line is None):
        return blocks, bands, columns
    doubted: set[int] = set()
    read = _read_body(segments, columns, wraps, header_line is None, doubted)
    if read is None:
        return blocks, bands, columns
    rows, cells = read
    head = [_above(b, below, header) for b in blocks if b.r0 <= header]
    if any(_cut_at_header(b, below) for b in blocks if b.r0 <= header):
        doubted.add(0)
        doubtful.append(_row_band(bands[: header + 1] + rows, header))
    doubtful.extend(_row_band(rows, r) for r in sorted(doubted))
    for cell in cells:
        cell.r0, cell.r1 = cell.r0 + header + 1, cell.r1 + header + 1
    return [b for b in head if b.segments] + cells, bands[: header + 1] + rows, columns


def _read_top_aligned(blocks: list, n_rows: int, header: int) -> bool:
    """read_grid's rows under the header row each start cells in two columns or more, all on
    one line, and the first of them with a text in the last column holds every level's label
    the others do (the columns left of the first filled in each such row): the cells are
    printed from the top of their rows (a one-line value beside a wrapped name's first line,
    a level's label beside its first row), as read_grid reads them. Where cells are centred
    in their rows, read_grid cuts a row at each line a cell starts on: rows holding a wrapped
    cell's first line alone, the cells of one row starting on different lines, or a level's
    label standing lower than the rows it covers. (A heading wrapped onto a line under the
    header row has no text in the last column.)"""
    rows = [{b.c0: b.segments[0].line for b in blocks if b.r0 == r and b.c0 == b.c1 and b.segments}
            for r in range(header + 1, n_rows)]
    if len(rows) < 2 or any(len(row) < 2 or len(set(row.values())) > 1 for row in rows):
        return False
    last = max(c for row in rows for c in row)
    filled = [set(row) for row in rows if last in row]
    common = set.intersection(*filled)
    levels = {c for cols in filled for c in cols if c < min(common, default=0)}
    return bool(common) and levels <= filled[0]


def _header_row(blocks: list, bands: list, header_line: int | None, columns) -> int:
    """The table's header row: from the row of the line the columns were found under, the
    first whose texts each stand in one column and, with the texts standing in one column in
    the rows above it down to that line, fill all columns but one (a label printed down the
    side, 绩效指标, may start under it; a heading spread over two lines, 一级指标 under
    绩效指标 beside 指标值, fills the columns in both together, and the row under it is the
    first of the body); -1 on a page continuing a table."""
    if header_line is None:
        return -1
    start = min(b.r0 for b in blocks for s in b.segments if s.line == header_line)
    segments = [s for b in blocks for s in b.segments]
    n_cols = len(columns.edges) - 1
    filled: set[int] = set()
    for r in range(start, len(bands)):
        spans = [columns.span(s) for s in segments if _overlap((s.top, s.bottom), bands[r])]
        filled |= {c0 for c0, c1 in spans if c0 == c1}
        if all(c0 == c1 for c0, c1 in spans) and len(filled) >= n_cols - 1:
            return r
    return start


def _cut_at_header(block, below: float) -> bool:
    """A cell of one column read_grid read as one text (a line wrapping onto the next) whose
    lines the header row's lower edge parts: either the header row ends within a cell of the
    body (a name's first lines taken for a heading) or a heading's tail is read as a row."""
    return (block.c0 == block.c1 and any(s.top <= below for s in block.segments)
            and any(s.top > below for s in block.segments))


def _above(block, below: float, header: int):
    """A block of the rows down to the header row, without its lines under that row (they are
    read again with the body)."""
    from .unruled import Block

    kept = [s for s in block.segments if s.top <= below]
    return Block(kept, block.c0, block.c1, block.r0, min(block.r1, header))


def _read_body(
    segments: list, columns, wraps, continued: bool, doubtful: set[int]
) -> tuple[list, list] | None:
    """The body's rows as (top, bottom) and its cells (unruled.Block, rows counted from 0);
    None when it has no column of row names with label columns left of it. The rows read
    with doubt are added to `doubtful`."""
    from .unruled import MAIN_SHARE

    by_col: dict[int, list] = {}
    for seg in sorted(segments, key=lambda s: (s.line, s.x0)):
        by_col.setdefault(_column_of(seg, columns), []).append(seg)
    starts = {c: len(_cells_of(c, segs, {}, columns, wraps)) for c, segs in by_col.items()}
    most = max(starts.values())
    name_col = min(c for c, n in starts.items() if n >= MAIN_SHARE * most)
    if name_col == 0:
        return None
    lines = [_extent([s]) for s in by_col[name_col]]
    labels = {c: _labels(c, by_col.get(c, []), lines, wraps) for c in range(name_col)}
    if not wraps.tight and _top_aligned(labels, lines):
        return None  # a continued table whose labels head their blocks: read_grid reads it
    rows, cells = _body_rows(by_col, name_col, labels[name_col - 1], columns, wraps, doubtful)
    placed = _place_labels(labels, rows, continued, doubtful)
    return None if placed is None else (rows, cells + placed)


def _body_rows(by_col: dict, name_col: int, inner: list, columns, wraps, doubtful: set[int]):
    """The rows: the row names' cells, and an innermost label beside no row name (a 二级 with no
    三级); the cells of the names and of the columns right of them placed on the rows."""
    from .unruled import Block

    beside = {c: segs for c, segs in by_col.items() if c > name_col}
    joined: set[int] = set()
    named = _cells_of(name_col, by_col[name_col], beside, columns, wraps, joined)
    alone = [
        _extent(g) for g in inner if not any(_overlap(_extent(g), _extent(n)) for n in named)
    ]
    named_rows = sorted({_extent(g) for g in named})
    rows = sorted(set(named_rows) | set(alone))
    at = [rows.index(_extent(g)) for g in named]
    cells = [Block(g, name_col, name_col, r, r) for g, r in zip(named, at, strict=True)]
    for c, segs in beside.items():
        for r, group in lines_to_rows([_extent([s]) for s in segs], named_rows):
            row = rows.index(named_rows[r])
            cells.append(Block([segs[k] for k in group], c, c, row, row))
    # a row reaches as far as any of its cells' text (a value wrapped round a one-line name),
    # and a label over it alone (a two-line 二级 beside a one-line 三级)
    under = [(g, _rows_under(g, rows)) for g in inner]
    over = [Block(g, 0, 0, hit[0], hit[0]) for g, hit in under if len(hit) == 1]
    for cell in cells + over:
        top, bottom = rows[cell.r0]
        rows[cell.r0] = (min(top, cell.top), max(bottom, cell.bottom))
    doubtful.update(cell.r0 for k, cell in enumerate(cells[: len(named)]) if k in joined)
    return rows, cells


def _top_aligned(labels: dict, lines: list) -> bool:
    """Every label starts on a line of the row names."""
    return all(
        any(abs(g[0].top - top) <= 0.3 * g[0].size for top, _ in lines)
        for groups in labels.values()
        for g in groups
    )


def _row_band(rows: list, r: int) -> tuple[float, float]:
    """The space a row's cells take: to the middle of the white space to the rows either side
    (as unruled's row edges), half a row's pitch beyond the first and the last."""
    top, bottom = rows[r]
    pitch = bottom - top
    above = (rows[r - 1][1] + top) / 2 if r > 0 else top - pitch / 2
    below = (bottom + rows[r + 1][0]) / 2 if r + 1 < len(rows) else bottom + pitch / 2
    return above, below


def _rows_under(label: list, rows: list) -> list[int]:
    return [r for r, row in enumerate(rows) if _overlap(_extent(label), row)]


def _place_labels(labels: dict, rows: list, continued: bool, doubtful: set[int]) -> list | None:
    """Each level column's labels on the blocks of rows they are centred on, the outer columns
    first (an inner block never crosses an outer one); a block whose label stands as near a
    block one row longer or shorter puts the rows on either side of its edges in doubt."""
    from .unruled import Block

    tops = [top for top, _ in rows]
    pitch = median(b - a for a, b in pairwise(tops)) if len(tops) > 1 else 0.0
    cells = []
    parents: set[int] = {0}
    for c, groups in sorted(labels.items()):
        if not groups and not continued:
            continue
        middles = [_middle(g) for g in groups]
        placed = label_blocks(middles, rows, parents, continued)
        if placed is None:
            return None
        first = placed[0][0] if placed else len(rows)
        if first > 0:  # the rest of a block the page break cut: stitching fills it
            cells.append(Block([], c, c, 0, first - 1))
        for k, (g, (a, b)) in enumerate(zip(groups, placed, strict=True)):
            cells.append(Block(g, c, c, a, b))
            off = _off_centre(middles[k], rows[a][0], rows[b][1], last=k == len(groups) - 1)
            if off > DOUBTFUL_OFF_CENTRE * pitch:
                # the rows on either side of an edge that could have moved (the table's first
                # row on a page it opens, and its last, are no such edge)
                edges = [e for e in (a, b + 1) if 0 < e < len(rows) or (e == 0 and continued)]
                doubtful.update(r for e in edges for r in (e - 1, e) if 0 <= r < len(rows))
        parents |= {a for a, _ in placed}
    return cells


def _column_of(seg, columns) -> int:
    """The column holding the middle of a segment (a long line may reach over a gutter)."""
    middle = (seg.x0 + seg.x1) / 2
    return max(0, min(len(columns.edges) - 2, sum(e < middle for e in columns.edges) - 1))


def _cells_of(
    col: int, segs: list, beside: dict[int, list], columns, wraps, doubtful: set | None = None
) -> list[list]:
    """A column's cells: a line continues the cell above where the line above wraps onto it and
    no column beside it starts another cell on that line. A cell so joined while a column
    beside it has text on both lines (two values, or one wrapped) is added to `doubtful` by
    its number: its second line may start a row."""

    def joins(upper, lower) -> bool:
        return not any(_new_cell(other, upper, lower, columns, wraps) for other in beside.values())

    groups = _grouped(segs, col, wraps, joins)
    if doubtful is not None:
        doubtful.update(
            k for k, group in enumerate(groups)
            if any(_on_both(other, upper, lower)
                   for upper, lower in pairwise(group) for other in beside.values()))
    return groups


def _grouped(segs: list, col: int, wraps, joins) -> list[list]:
    """A column's lines, top to bottom, in groups: a line continues the group above where the
    line above wraps onto it and `joins(upper, lower)` holds."""
    groups: list[list] = []
    for seg in segs:
        last = groups[-1][-1] if groups else None
        if last is not None and wraps.continues(last, seg, (col, col)) and joins(last, seg):
            groups[-1].append(seg)
        else:
            groups.append([seg])
    return groups


def _on_both(segs: list, upper, lower) -> bool:
    lines = {s.line for s in segs}
    return upper.line in lines and lower.line in lines


def _new_cell(segs: list, upper, lower, columns, wraps) -> bool:
    """The column has a line beside both, and the upper one had room left for the lower one's
    first character: the lower one starts a cell of its own. (Told by width alone, as in a
    table set with no space between rows: a page continuing a table has too few rows to tell
    how they are set.)"""
    a = next((s for s in segs if s.line == upper.line), None)
    b = next((s for s in segs if s.line == lower.line), None)
    if a is None or b is None:
        return False
    first = b.chars[0]["x1"] - b.chars[0]["x0"] if b.chars else 0.0
    widest = wraps.widths.get(columns.span(a), 0.0)
    return a.x1 - a.x0 + first <= widest + 0.1 * b.size


def _labels(col: int, segs: list, names: list, wraps) -> list[list]:
    """A level column's labels: a line continues the label above where the line above wraps
    onto it, and it is the shorter or both stand beside a row name or neither does. Two labels
    that each fill the column, one of a row with no name (a 二级 with no 三级), are two."""

    def joins(upper, lower) -> bool:
        shorter = lower.x1 - lower.x0 < upper.x1 - upper.x0 - 0.5 * lower.size
        return shorter or _beside(upper, names) == _beside(lower, names)

    return _grouped(segs, col, wraps, joins)


def _beside(seg, lines: list) -> bool:
    return any(_overlap(_extent([seg]), line) for line in lines)


def _extent(segs: list) -> tuple[float, float]:
    return min(s.top for s in segs), max(s.bottom for s in segs)


def _middle(segs: list) -> float:
    top, bottom = _extent(segs)
    return (top + bottom) / 2


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def lines_to_rows(lines: list, rows: list) -> list[tuple[int, list[int]]]:
    """A column's lines (top, bottom), top to bottom, as runs given to rows in order: a line on
    a row belongs to it; one between two rows to either, so that each row's lines are as well
    centred on it as can be (a cell's text is printed vertically centred in its row). Pairs
    (row, the run's line numbers)."""
    allowed = [_rows_for(line, rows) for line in lines]
    inf = float("inf")
    n, m = len(rows), len(lines)
    # cost[i][r]: the first i lines given to rows before r
    cost = [[inf] * (n + 1) for _ in range(m + 1)]
    back: dict[tuple[int, int], int] = {}
    cost[0] = [0.0] * (n + 1)
    for r in range(n):
        for i in range(m + 1):
            if cost[i][r] == inf:
                continue
            for j in range(i, m + 1):  # row r takes lines i..j-1
                if j > i and r not in allowed[j - 1]:
                    break
                step = abs(_middle_of(lines[i:j]) - sum(rows[r]) / 2) if j > i else 0.0
                if cost[i][r] + step < cost[j][r + 1]:
                    cost[j][r + 1], back[(j, r + 1)] = cost[i][r] + step, i
    if cost[m][n] == inf:  # lines out of the rows' order: each to a row it stands by
        return [(min(allowed[k]), [k]) for k in range(m)]
    out, j = [], m
    for r in range(n, 0, -1):
        i = back.get((j, r), j)
        if j > i:
            out.append((r - 1, list(range(i, j))))
        j = i
    return out[::-1]


def _middle_of(lines: list) -> float:
    return (min(top for top, _ in lines) + max(bottom for _, bottom in lines)) / 2


def _rows_for(line: tuple[float, float], rows: list) -> set[int]:
    on = {r for r, row in enumerate(rows) if _overlap(line, row)}
    if on:
        return on
    below = next((r for r, row in enumerate(rows) if row[0] >= line[1]), len(rows))
    return {r for r in (below - 1, below) if 0 <= r < len(rows)}


def label_blocks(
    middles: list[float], rows: list, parents: set[int], continued: bool
) -> list[tuple[int, int]] | None:
    """The rows (first, last) each label covers: blocks in order, covering the rows from the
    first (on a page continuing a table, from the first label's block: the rows before it are a
    block the page break cut) to the last, none across a block of the column to the left (one
    starting at a row of `parents`), each holding its label's middle. A label is printed
    vertically centred in its block: the blocks are those whose middles differ least from their
    labels', all told; the last block may run on over the page break, so its label need only
    stand in the upper half of it. None when no such blocks exist."""
    inf = float("inf")
    n, m = len(rows), len(middles)
    # cost[k][i]: the first k labels placed on the rows before i
    cost = [[inf] * (n + 1) for _ in range(m + 1)]
    back: dict[tuple[int, int], int] = {}
    for i in range(n + 1):
        if i == 0 or (continued and not any(0 < p < i for p in parents)):
            cost[0][i] = 0.0
    for k, middle in enumerate(middles):
        for i in range(n):
            if cost[k][i] == inf:
                continue
            for j in range(i, n):  # label k covers rows i..j
                if j > i and j in parents:
                    break
                step = _off_centre(middle, rows[i][0], rows[j][1], last=k == m - 1)
                if cost[k][i] + step < cost[k + 1][j + 1]:
                    cost[k + 1][j + 1], back[(k + 1, j + 1)] = cost[k][i] + step, i
    if m and cost[m][n] == inf:
        return None
    out, j = [], n
    for k in range(m, 0, -1):
        i = back[(k, j)]
        out.append((i, j - 1))
        j = i
    return out[::-1]


def _off_centre(middle: float, top: float, bottom: float, last: bool) -> float:
    """How far a label stands from the middle of the rows top..bottom (infinite outside them).
    The last block may be cut by the page break, its label printed in the part before it: only
    a label below its middle counts."""
    if not top <= middle <= bottom:
        return float("inf")
    off = middle - (top + bottom) / 2
    return max(0.0, off) if last else abs(off)
