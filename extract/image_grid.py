"""A page picture -> ruled tables: deskew, ruling lines, cells with spans, OCR text in the cells.

Pure image geometry on greyscale numpy arrays (0 = ink, 255 = paper), in pixels. It knows
neither PDFs nor OCR engines: `scan_reader` renders the page, runs the OCR and converts the
result to points. The steps follow pdfplumber's table finder (edges -> rulings -> cells), with
the edges read from the picture:

    deskew -> ink_mask -> ruling_segments -> find_tables -> table_cells -> place_text
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from dataclasses import dataclass, field

import cv2
import numpy as np

from .disjoint import DisjointSets
from .grid import cell_lines_text

PxBox = tuple[float, float, float, float]  # x0, top, x1, bottom in pixels

MAX_SKEW_DEG = 5.0  # a page fed crooked; more than this is a photo, not a scan
LINE_MIN_INCH = 0.2  # a ruling is at least this long: a one-line row, more than a 10.5 pt glyph
RULING_TOL_INCH = 0.03  # ends of two rulings that meet are this close (a scanned line is ~1 pt)
# a line run thicker than this is a line and a band of text beside it (a heading's strokes run
# together: a line of text is at least twice this high; a comma or a descender is less)
THICK_RUN_INCH = 0.05
FULL_RUN = 0.9  # ...stands where it is drawn along this share of its length
MIN_ROW_INCH = 0.07  # no row or column of a form is thinner than this (a 5 pt line of text)
GAP_INCH = 0.08  # a break this short in a line is a faint stretch; narrower than any column
BRIDGE_INCH = 0.02  # a gap this short in a ruling is closed in the picture itself
# A light ruling (faded print read at 150 dpi, a photo) between lines of dense text is lost by
# ink_mask: the text darkens the local mean it is judged against. Grey this much darker than the
# paper around it (0-255 levels), in a run this long, is a ruling all the same: longer than any
# run of glyph strokes along a line of text, or (columns) down rows set one line high
FAINT_DEPTH = 35
FAINT_SIDE_DEPTH = 28  # a row line asked for between two cells (table_cells' drawn) may be
# lighter: worn to this, some of its pixels fall under FAINT_DEPTH and it holds no long run
FAINT_LINE_INCH = 0.5
FAINT_COLUMN_INCH = 1.0
PAPER_INCH = 0.06  # wider than any glyph stroke: the lightest grey this close is the paper
LINE_HALF_INCH = 0.015  # half the width of a scanned ruling, with the deskew's slack
FLANK_INCH = 0.025  # blank a ruling keeps beside it, within any cell's padding
# a ruled line's ink stands on one x along a cell's side within this (a scan's noise; the
# strokes of a bracket bow by three times as much at 200 dpi)
STRAIGHT_INCH = 0.008
SPECK_GAP_INCH = 0.01  # a blank across a drawn line no longer than this is noise
DRAWN_SHARE = 0.5  # ink along at least this share of a side missed by the rulings: drawn, faintly
BLANK_BESIDE = 0.15  # ...if no more than this share has ink just beside it on one side
NEAR_TEXT = 0.35  # and no more than this on the other (text printed close to the line)
ANCHORED_INCH = 1.0  # a line this long that meets the table at one end is a ruling (its other
# end may stop short of the corner: a gap there leaves a stub too short to pass as a line)
COVERED = 0.6  # share of a cell side a ruling must draw for the side to count as a border
# A line printed dashed, or worn into pieces each shorter than LINE_MIN_INCH: thin pieces on one
# line, alike in length, with gaps no longer than the pieces, running from one crossing line to
# another. A column of text has strokes on one x too, but they sit in glyphs (not thin pieces
# alone), vary, and leave a row's blank between them.
DASH_MIN_INCH = 0.02  # a piece is at least this long (a dot is a speck of noise)
DASH_THICK_INCH = 0.03  # and no thicker than a scanned ruling
DASHES = 4  # a dashed line has at least this many pieces
DASH_GAP = 1.2  # its gaps are at most this many times its pieces' median length
DASH_ALIKE = 0.75  # this share of its pieces is within half to twice that length


@dataclass(frozen=True)
class TextBox:
    """One OCR text line, as an axis-aligned box in the deskewed page's pixels."""

    text: str
    score: float
    box: PxBox
    char_x: tuple[float, ...] = ()  # x centre of each character, as the recogniser places them

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2)


@dataclass
class Ruling:
    """One table line: its position across (y of a horizontal line) and the spans it draws."""

    pos: float
    spans: list[tuple[float, float]]

    def covers(self, start: float, end: float) -> bool:
        margin = (end - start) * 0.15  # the corners of a cell are where lines meet and blur
        a, b = start + margin, end - margin
        drawn = sum(max(0.0, min(b, s1) - max(a, s0)) for s0, s1 in self.spans)
        return drawn >= COVERED * (b - a)


@dataclass
class ImageTable:
    bbox: PxBox
    cells: list[PxBox]
    texts: list[list[TextBox]] = field(default_factory=list)  # per cell, filled by place_text


# --- deskew ------------------------------------------------------------------------------------


def estimate_skew(gray: np.ndarray) -> float:
    """The page's rotation in degrees (counter-clockwise positive, as cv2 and Pillow rotate).

    Projection profiles: rows of text and table lines give the sharpest row histogram when
    sheared back by the page's angle. Coarse-to-fine over ±MAX_SKEW_DEG."""
    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    ys, xs = np.nonzero(ink_mask(small))
    if len(xs) < 100:
        return 0.0
    xs = xs.astype(np.float64) - small.shape[1] / 2
    best, step, reach = 0.0, 0.25, round(MAX_SKEW_DEG / 0.25)
    for _ in range(3):
        candidates = best + step * np.arange(-reach, reach + 1)
        candidates = candidates[np.abs(candidates) <= MAX_SKEW_DEG]
        reach = 10
        best = max(candidates, key=lambda a: _profile_sharpness(xs, ys, a))
        step /= 10
    return float(best)


def _profile_sharpness(xs: np.ndarray, ys: np.ndarray, angle: float) -> float:
    # a point at (x, y) of a page turned by `angle` lies at y + x*tan(angle) on the straight page
    # (image y points down, so a counter-clockwise turn lifts the right-hand side)
    rows = np.round(ys + xs * math.tan(math.radians(angle))).astype(np.int64)
    counts = np.bincount(rows - rows.min())
    return float(np.dot(counts, counts))


def deskew(gray: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < 0.02:
        return gray
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


# --- ruling lines ------------------------------------------------------------------------------


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """255 where there is ink. Adaptive, so faded print and an uneven background both pass."""
    smooth = cv2.GaussianBlur(gray, (3, 3), 0)
    block = max(15, (min(gray.shape) // 60) | 1)
    return cv2.adaptiveThreshold(
        smooth, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 12
    )


def faint_ink(gray: np.ndarray, dpi: float, depth: int = FAINT_DEPTH) -> np.ndarray:
    """255 where the picture is FAINT_DEPTH darker than the paper around it: a light ruling
    beside dense text, which `ink_mask` (judged against the local mean) drops."""
    smooth = cv2.GaussianBlur(gray, (3, 3), 0)
    k = max(3, round(PAPER_INCH * dpi)) | 1
    paper = cv2.blur(cv2.dilate(smooth, cv2.getStructuringElement(0, (k, k))), (k, k))
    return np.where(paper.astype(np.int16) - smooth > depth, 255, 0).astype(np.uint8)


def line_masks(
    ink: np.ndarray, dpi: float, least_inch: float = LINE_MIN_INCH
) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical line pixels: ink runs longer than any glyph stroke.

    A faint 0.5 pt line, after deskewing, is dark in one pixel row here and the next one there
    (layouts/traditional.pdf scanned at 150 dpi, faded): thickened by a pixel each side first,
    it holds one unbroken row for the long opening to keep."""
    length = max(15, round(least_inch * dpi))
    # noise and JPEG break a faint line into dashes, a worn print leaves gaps: closed along the
    # line, narrower than the blank between two characters of a line of text
    bridge = max(3, round(BRIDGE_INCH * dpi))
    masks = []
    for horizontal in (True, False):
        def shape(n: int, horizontal=horizontal) -> tuple[int, int]:
            return (n, 1) if horizontal else (1, n)  # (width, height) along the line

        across = (1, 3) if horizontal else (3, 1)
        mask = cv2.dilate(ink, cv2.getStructuringElement(0, across))
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(0, shape(bridge)))
        masks.append(
            cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(0, shape(length)))
        )
    return masks[0], masks[1]


def ruling_segments(
    mask: np.ndarray, horizontal: bool, thick: float = float("inf")
) -> list[tuple[float, float, float]]:
    """(position across, start, end) of each straight run in a line mask.

    A horizontal run thicker than `thick` is a line with something the mask kept beside it
    (the strokes of a bold heading set close under it): it stands where the run is drawn all
    along, not at the middle of the blob. (Vertical runs are not joined so: no heading
    sets its strokes in a column along a line.)"""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    segments = []
    for k, (x, y, w, h, _area) in enumerate(stats[1:n], start=1):
        if horizontal:
            across = y + _drawn_along(labels[y : y + h, x : x + w] == k, w, axis=1)
            segments.append((across if h > thick else y + h / 2, float(x), float(x + w)))
        else:
            segments.append((x + w / 2, float(y), float(y + h)))
    return segments


def _drawn_along(blob: np.ndarray, length: int, axis: int) -> float:
    """The middle of the rows of a blob filled along nearly all of its length, around the
    fullest one; the blob's middle when none is."""
    filled = blob.sum(axis=axis)
    best = int(np.argmax(filled))
    if filled[best] < FULL_RUN * length:
        return blob.shape[0] / 2
    lo = hi = best
    while lo > 0 and filled[lo - 1] >= FULL_RUN * length:
        lo -= 1
    while hi + 1 < len(filled) and filled[hi + 1] >= FULL_RUN * length:
        hi += 1
    return (lo + hi + 1) / 2


def group_rulings(segments: list[tuple[float, float, float]], tol: float) -> list[Ruling]:
    """Collinear segments (position within `tol`) are one ruling."""
    rulings: list[Ruling] = []
    for pos, start, end in sorted(segments):
        if rulings and pos - rulings[-1].pos <= tol:
            last = rulings[-1]
            n = len(last.spans)
            last.pos = (last.pos * n + pos) / (n + 1)
            last.spans.append((start, end))
        else:
            rulings.append(Ruling(pos, [(start, end)]))
    for ruling in rulings:
        ruling.spans = _merge_spans(ruling.spans)
    return rulings


def merge_close(rulings: list[Ruling], least: float) -> list[Ruling]:
    """Rulings nearer each other than `least` are one, at the place of the one drawn longer: no
    row or column is thinner than a line of text, so the pair is a double border, or a line and
    the aligned strokes of a bold heading beside it (一, 二 and the tops of their neighbours,
    blurred into a run by a turned page's resampling)."""
    out: list[Ruling] = []
    for ruling in rulings:
        if out and ruling.pos - out[-1].pos < least:
            last = out[-1]
            keep = last if _drawn(last) >= _drawn(ruling) else ruling
            out[-1] = Ruling(keep.pos, _merge_spans(last.spans + ruling.spans))
        else:
            out.append(ruling)
    return out


def _drawn(ruling: Ruling) -> float:
    return sum(end - start for start, end in ruling.spans)


def _merge_spans(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for s0, s1 in sorted(spans):
        if out and s0 <= out[-1][1] + 2:
            out[-1] = (out[-1][0], max(out[-1][1], s1))
        else:
            out.append((s0, s1))
    return out


def join_collinear(
    segments: list[tuple[float, float, float]], tol: float, gap: float
) -> list[tuple[float, float, float]]:
    """Pieces of one line broken by a faint stretch (or a glyph touching it) become one segment
    again, so that each piece is not judged loose on its own."""
    out: list[list[float]] = []
    for pos, start, end in sorted(segments, key=lambda s: s[1]):
        near = [o for o in out if abs(pos - o[0]) <= tol and o[1] - gap <= start <= o[2] + gap]
        if not near:
            out.append([pos, start, end])
            continue
        seg = near[0]
        length, extra = seg[2] - seg[1], end - start  # the longer piece says where the line is
        seg[0] = (seg[0] * length + pos * extra) / (length + extra)
        seg[1], seg[2] = min(seg[1], start), max(seg[2], end)
    return [(p, a, b) for p, a, b in out]


def drop_loose_segments(
    h_segs: list[tuple[float, float, float]],
    v_segs: list[tuple[float, float, float]],
    tol: float,
    long: float = math.inf,
    worn: float = 0.0,
) -> tuple[list, list]:
    """A table line ends on another table line. A dash or an underline in the text does not, so
    it cannot cut a cell in two. A line at least `long` needs to meet one only at one end; or,
    with both its ends faded off, to be the line two others end on (a table's outer border
    whose corners did not print); or to be a row line column lines run on through, worn
    through short of its ends (a text's strokes stop short of a column line, they never run on
    through it): two column lines, or one where each of its ends stands within `worn` of a
    column line (a gap and the piece left by the corner, too short to be found as a line)."""

    def anchored(seg, others, horizontal: bool) -> bool:
        pos, start, end = seg

        def meets(p: float, near: float = tol) -> bool:
            return any(abs(o[0] - p) <= near and o[1] - tol <= pos <= o[2] + tol for o in others)

        if end - start < long:
            return meets(start) and meets(end)
        if meets(start) or meets(end) or _ended_on(seg, others, tol) >= 2:
            return True
        crossed = _crossed_by(seg, others, tol) if horizontal else 0
        return crossed >= 2 or (crossed == 1 and meets(start, worn) and meets(end, worn))

    return (
        [s for s in h_segs if anchored(s, v_segs, True)],
        [s for s in v_segs if anchored(s, h_segs, False)],
    )


def drawn_column_lines(
    v_segs: list[tuple[float, float, float]],
    h_segs: list[tuple[float, float, float]],
    ink: np.ndarray,
    dpi: float,
) -> list[tuple[float, float, float]]:
    """Column lines kept where they are drawn as lines: a stretch between two row lines,
    shorter than `long`, with no blank beside it or whose ink bows (`_straight`) is dropped,
    the line going on above and below it as a line of its own. In a row one line high, a
    glyph's upright stroke is as long as the row, and the strokes of glyphs standing on one x
    in two such rows (a character's right side in each), or one standing where a column line
    of the rows below stops, or where the line passes through a row that spans it (a goal
    printed across the columns of the rows below), run together across the row lines into a
    run as long as a ruling; it would cut the rows' cells through their text. Each stretch is
    looked at where its own ink stands (a line straightened from a photo's frame drifts a pixel
    or two along the page)."""
    tol, long = max(2.0, RULING_TOL_INCH * dpi), ANCHORED_INCH * dpi
    half = max(2, round(LINE_HALF_INCH * dpi))
    drawn = _drawn_in_picture(ink, max(2.0, LINE_HALF_INCH * dpi), max(2, round(FLANK_INCH * dpi)))

    def centre(pos: float, a: float, b: float) -> float:
        x0 = max(0, round(pos) - half)
        counts = ink[round(a) : round(b), x0 : round(pos) + half + 1].astype(bool).sum(axis=0)
        if counts.sum() == 0:
            return pos
        return x0 + float(np.average(np.arange(len(counts)), weights=counts))

    kept = []
    for pos, start, end in v_segs:
        rows = sorted(h[0] for h in h_segs if h[1] - tol <= pos <= h[2] + tol)
        start, end = _worn_ends(ink, (start, end), rows, dpi, lambda a, b, p=pos: centre(p, a, b))
        cuts = sorted({start, end} | {r for r in rows if start + tol < r < end - tol})
        pieces = list(itertools.pairwise(cuts))

        def undrawn(piece: tuple[float, float], pos: float = pos) -> bool:
            if piece[1] - piece[0] >= long:
                return False
            x = centre(pos, *piece)
            return not drawn(True, x, *piece) or not _straight(ink, x, *piece, dpi)

        def stub(a: float, b: float, pos: float = pos, rows: list = rows) -> bool:
            """A line standing in a row or two alone is drawn from the row line above to the
            one below; the upright strokes of two glyphs side by side in a row one line high,
            run together with the row lines, stop short of them by the cell's padding."""
            return b - a < long and not _pieces_reach(ink, centre(pos, a, b), a, b, dpi, rows)

        run: list[tuple[float, float]] = []
        for piece in [*pieces, None]:
            if piece is not None and not undrawn(piece):
                run.append(piece)
            elif run:
                if not stub(run[0][0], run[-1][1]):
                    kept.append((pos, run[0][0], run[-1][1]))
                run = []
    return kept


def _worn_ends(
    ink: np.ndarray, ends: tuple[float, float], rows: list[float], dpi: float, centre
) -> tuple[float, float]:
    """A column line's ends, each carried on to the row line just past it when the line, worn
    through short of that row line, goes on to it in a piece too short to be found as a line
    (`_pieces_reach`); an end on a row line stays. `centre(a, b)`: where the line's ink
    stands along a..b."""
    start, end = ends
    tol, gap = max(2.0, RULING_TOL_INCH * dpi), GAP_INCH * dpi
    on_row = [any(abs(r - e) <= tol for r in rows) for e in ends]
    above = [r for r in rows if r < start - tol][-1:]
    below = [r for r in rows if r > end + tol][:1]
    if not on_row[0] and above and _pieces_reach(
        ink, centre(start, start + gap), above[0], start, dpi, above
    ):
        start = above[0]
    if not on_row[1] and below and _pieces_reach(
        ink, centre(end - gap, end), end, below[0], dpi, below
    ):
        end = below[0]
    return start, end


def _pieces_reach(
    ink: np.ndarray, x: float, start: float, end: float, dpi: float, rows: list[float]
) -> bool:
    """Whether ink stands at x (within a pixel) along start..end, reaching each row line in
    `rows` there: no blank next to one longer than a speck of JPEG noise (a glyph's stroke
    stops short of the lines by its cell's padding), and none elsewhere longer than GAP_INCH
    (a line worn through is one line, its pieces on one x)."""
    p, top = round(x), round(start)
    inked = ink[top : round(end), max(0, p - 1) : p + 2].any(axis=1)
    speck, tol = max(1, round(SPECK_GAP_INCH * dpi)), max(2.0, RULING_TOL_INCH * dpi)
    for a, b in _ink_runs(np.asarray(~inked)):
        beside_row = any(top + a - tol <= r <= top + b + tol for r in rows)
        if b - a > (speck if beside_row else GAP_INCH * dpi):
            return False
    return True


def _straight(ink: np.ndarray, x: float, start: float, end: float, dpi: float) -> bool:
    """Whether the ink along a stretch of a column line stands on one x, as a ruled line does,
    within STRAIGHT_INCH. A closing bracket set close to its cell's top and
    bottom (资金（万元）in a row one line high) is a stroke as long as the row, blank on both
    sides, but it bows: its middle stands a bracket's depth right of its ends."""
    margin = (end - start) * 0.15
    a, b, p = round(start + margin), round(end - margin), round(x)
    reach = 3 * max(2, round(LINE_HALF_INCH * dpi))
    x0 = max(0, p - reach)
    view = ink[a:b, x0 : p + reach + 1].astype(bool)
    centres = []
    for row in view:
        runs = _ink_runs(row)
        if runs:
            s, e = min(runs, key=lambda r: abs((r[0] + r[1] - 1) / 2 - (p - x0)))
            centres.append((s + e - 1) / 2)
    if len(centres) < 3:
        return True
    low, high = np.percentile(centres, [10, 90])
    return bool(high - low <= max(1.0, STRAIGHT_INCH * dpi))


def _crossed_by(seg: tuple[float, float, float], others: list, tol: float) -> int:
    """How many of the crossing lines run on through `seg`, past it on both sides."""
    pos, start, end = seg
    return sum(
        1
        for o in others
        if start + tol < o[0] < end - tol and o[1] < pos - tol and o[2] > pos + tol
    )


def _ended_on(seg: tuple[float, float, float], others: list, tol: float) -> int:
    """How many of the crossing lines end on `seg`: start or stop at its position, along it."""
    pos, start, end = seg
    return sum(
        1
        for o in others
        if start - tol <= o[0] <= end + tol and (abs(o[1] - pos) <= tol or abs(o[2] - pos) <= tol)
    )


# --- tables and cells --------------------------------------------------------------------------


def find_tables(gray: np.ndarray, dpi: float) -> tuple[list[ImageTable], np.ndarray]:
    """Ruled tables on a deskewed page, top to bottom, and the mask of their lines."""
    ink = ink_mask(gray)
    faint = cv2.bitwise_or(ink, faint_ink(gray, dpi))
    h_mask, v_mask = line_masks(ink, dpi)
    # only where ink_mask found no line: a line it found stays where it found it
    found = cv2.dilate(cv2.bitwise_or(h_mask, v_mask), np.ones((5, 5), np.uint8))
    h_faint = cv2.bitwise_or(h_mask, _apart(line_masks(faint, dpi, FAINT_LINE_INCH)[0], found))
    v_faint = cv2.bitwise_or(v_mask, _apart(line_masks(faint, dpi, FAINT_COLUMN_INCH)[1], found))
    side_ink = cv2.bitwise_or(ink, faint_ink(gray, dpi, FAINT_SIDE_DEPTH))
    tol = max(2.0, RULING_TOL_INCH * dpi)
    gap = GAP_INCH * dpi
    h_segs = join_collinear(ruling_segments(h_faint, True, THICK_RUN_INCH * dpi), tol, gap)
    v_segs = join_collinear(ruling_segments(v_faint, False), tol, gap)
    # the lines found are taken out of the ink first, so that a piece crossing one stays a
    # piece of its own
    lines = cv2.bitwise_or(h_mask, v_mask)
    _, _, blots, _ = cv2.connectedComponentsWithStats(cv2.bitwise_and(ink, cv2.bitwise_not(lines)))
    lines = cv2.bitwise_or(h_faint, v_faint)
    dashed_h = dashed_segments(ink, blots[1:], dpi, True, v_segs)
    dashed_v = dashed_segments(ink, blots[1:], dpi, False, h_segs)
    v_segs = drawn_column_lines(v_segs, h_segs, ink, dpi)
    h_segs, v_segs = h_segs + dashed_h, v_segs + dashed_v
    for _ in range(2):  # dropping a dash can leave another segment loose
        h_segs, v_segs = drop_loose_segments(
            h_segs, v_segs, tol, ANCHORED_INCH * dpi, (LINE_MIN_INCH + GAP_INCH) * dpi
        )
    tables = []
    drawn = _drawn_in_picture(
        ink, max(2.0, LINE_HALF_INCH * dpi), max(2, round(FLANK_INCH * dpi)), side_ink, dpi
    )
    for h_group, v_group in _connected_groups(h_segs, v_segs, tol):
        rows = merge_close(group_rulings(h_group, tol), MIN_ROW_INCH * dpi)
        cols = merge_close(group_rulings(v_group, tol), MIN_ROW_INCH * dpi)
        table = table_cells(rows, cols, drawn)
        if table is not None:
            tables.append(table)
    _draw_segments(lines, dashed_h, True, dpi)
    _draw_segments(lines, dashed_v, False, dpi)
    return sorted(tables, key=lambda t: t.bbox[1]), lines


def _apart(mask: np.ndarray, found: np.ndarray) -> np.ndarray:
    return cv2.bitwise_and(mask, cv2.bitwise_not(found))


def dashed_segments(
    ink: np.ndarray, blots: np.ndarray, dpi: float, horizontal: bool, crossing: list
) -> list[tuple[float, float, float]]:
    """Lines printed dashed or worn into short pieces, as (position across, start, end), each
    running from one of the `crossing` segments to another. `blots` are the boxes (x, y, width,
    height, as cv2's component stats) of the ink outside the lines already found."""
    pieces = _thin_pieces(blots, dpi, horizontal)
    tol = max(2.0, RULING_TOL_INCH * dpi)
    slack = 2 * LINE_HALF_INCH * dpi  # a crossing line taken out widens the gap it crosses
    out = []
    for chain in _chains(pieces, tol, slack):
        pos = chain[0][0]
        crossed = [o[0] for o in crossing if o[1] - tol <= pos <= o[2] + tol]
        if not _dashed(chain, slack, crossed) or not _blank_beside(ink, chain, horizontal, dpi):
            continue
        seg = _snapped(chain, crossed, tol)
        if seg is None:
            continue
        within = [p for p in chain if seg[1] - tol <= (p[1] + p[2]) / 2 <= seg[2] + tol]
        if len(within) >= DASHES and _through_rows(within, seg, crossing):
            out.append(seg)
    return out


def _thin_pieces(blots: np.ndarray, dpi: float, horizontal: bool) -> list[tuple[float, ...]]:
    """Each blot thin across and longer along than across, shorter than a ruling."""
    x, y, w, h = (blots[:, k].astype(np.float64) for k in range(4))
    along, across = (w, h) if horizontal else (h, w)
    keep = (
        (along >= DASH_MIN_INCH * dpi)
        & (along < LINE_MIN_INCH * dpi)
        & (across <= DASH_THICK_INCH * dpi)
        & (along >= 2 * across)
    )
    pos, start = (y + h / 2, x) if horizontal else (x + w / 2, y)
    return list(zip(pos[keep].tolist(), start[keep].tolist(), (start + along)[keep].tolist(),
                    strict=True))


def _chains(pieces: list, tol: float, slack: float) -> list[list[tuple[float, float, float]]]:
    """Pieces on one line (position within `tol`), in runs broken where a gap is longer than
    DASH_GAP times the longer of the two pieces beside it."""
    chains = []
    for ruling in group_rulings(pieces, tol):
        line = sorted((p for p in pieces if abs(p[0] - ruling.pos) <= tol), key=lambda p: p[1])
        run = [line[0]]
        for piece in line[1:]:
            longer = max(piece[2] - piece[1], run[-1][2] - run[-1][1])
            if piece[1] - run[-1][2] <= DASH_GAP * longer + slack:
                run.append(piece)
            else:
                chains.append(run)
                run = [piece]
        chains.append(run)
    return [c for c in chains if len(c) >= DASHES]


def _dashed(chain: list[tuple[float, float, float]], slack: float, crossed: list[float]) -> bool:
    """Pieces alike in length, with gaps no longer than DASH_GAP times it; where a crossing
    line stands in a gap, it may hide one piece more."""
    lengths = np.array([end - start for _, start, end in chain])
    median = float(np.median(lengths))
    alike = np.mean((lengths >= median / 2) & (lengths <= median * 2))

    def short(a: tuple, b: tuple) -> bool:
        hidden = median if any(a[2] <= c <= b[1] for c in crossed) else 0.0
        return b[1] - a[2] <= DASH_GAP * median + slack + hidden

    return bool(alike >= DASH_ALIKE) and all(short(a, b) for a, b in itertools.pairwise(chain))


def _blank_beside(ink: np.ndarray, chain: list, horizontal: bool, dpi: float) -> bool:
    """Blank on both sides of the pieces: a rule stands in the cells' padding, a stroke of a
    digit or a letter has the rest of its word beside it."""
    view = ink.T if horizontal else ink  # the pieces run down the view's rows
    half = round(LINE_HALF_INCH * dpi) + 1
    flank = max(2, round(FLANK_INCH * dpi))
    pos = round(float(np.median([p[0] for p in chain])))
    if pos - half - flank < 0 or pos + half + flank + 1 > view.shape[1]:
        return False
    rows = np.concatenate([np.arange(round(a), round(b)) for _, a, b in chain])
    before = view[rows, pos - half - flank : pos - half].any(axis=1).mean()
    after = view[rows, pos + half + 1 : pos + half + flank + 1].any(axis=1).mean()
    return bool(max(before, after) <= NEAR_TEXT)


def _snapped(chain: list, crossed: list[float], tol: float) -> tuple[float, float, float] | None:
    """The chain as one segment from the first crossing line it reaches to the last, or None
    when it reaches fewer than two. It reaches a line a gap and a piece short of it (a dash
    pattern stops where it will, and the crossing line may hide a piece); pieces past the last
    line it reaches are not of it (the strokes of a text printed where the line stops)."""
    pos = float(np.median([p[0] for p in chain]))
    lengths = [end - start for _, start, end in chain]
    gaps = [b[1] - a[2] for a, b in itertools.pairwise(chain)]
    reach = max(gaps) + float(np.median(lengths)) + tol
    inside = sorted(c for c in crossed if chain[0][1] - reach <= c <= chain[-1][2] + reach)
    if len(inside) < 2:
        return None
    return (pos, inside[0], inside[-1])


def _through_rows(chain: list, seg: tuple, crossing: list) -> bool:
    """Whether the pieces run through the rows as a line does, not as the same stroke printed
    in each row's text (丨 down one column, a glyph per row): more pieces than rows."""
    pos, start, end = seg
    inner = [o for o in crossing if o[1] <= pos <= o[2] and start < o[0] < end]
    return len(chain) > len(inner) + 1


def _draw_segments(mask: np.ndarray, segments: list, horizontal: bool, dpi: float) -> None:
    width = max(1, round(2 * LINE_HALF_INCH * dpi))
    for pos, start, end in segments:
        a, b = (round(start), round(pos)), (round(end), round(pos))
        cv2.line(mask, a if horizontal else a[::-1], b if horizontal else b[::-1], 255, width)


def _connected_groups(h_segs: list, v_segs: list, tol: float) -> list[tuple[list, list]]:
    """Segments that touch, transitively: each group is one table (a page may hold two)."""
    segs = [(True, s) for s in h_segs] + [(False, s) for s in v_segs]
    touching = DisjointSets(len(segs))
    for i, (hi, (hp, h0, h1)) in enumerate(segs):
        if not hi:
            continue
        for j, (vj, (vp, v0, v1)) in enumerate(segs):
            if not vj and h0 - tol <= vp <= h1 + tol and v0 - tol <= hp <= v1 + tol:
                touching.join(i, j)
    return [
        ([segs[i][1] for i in group if segs[i][0]], [segs[i][1] for i in group if not segs[i][0]])
        for group in touching.groups()
    ]


def _drawn_in_picture(ink: np.ndarray, tol: float, flank: int, side_ink=None, dpi: float = 0.0):
    """Whether a cell side the found rulings miss is drawn all the same: a line broken into
    stubs too short to pass as rulings (a worn print). Ink along the side, within `tol` of the
    column's (row's) ruling, and blank beside it on one side at least, where a character
    crossing the spot would have ink on both. Or a line drawn whole, end to end, a pixel or two
    off the ruling's place (a long line the deskew left a little crooked). Or, for a row line,
    a light one between lines of text set close to it: the row line mask of `side_ink` (ink
    and `faint_ink`) draws nearly all the side; or, worn, nearly all its middle, its ink going
    on from corner to corner with no gap longer than GAP_INCH (`_corner_to_corner`: a worn
    stretch left a piece by a corner too short for the mask)."""
    t = round(tol)
    faint_rows = None if side_ink is None else line_masks(side_ink, dpi)[0]

    def drawn_at(view: np.ndarray, p: int, a: int, b: int) -> bool:
        line = view[a:b, p - t : p + t + 1].any(axis=1)
        before = view[a:b, p - t - flank : p - t].any(axis=1).mean()
        after = view[a:b, p + t + 1 : p + t + flank + 1].any(axis=1).mean()
        # text may come close to a line on one side; a stroke crossing the spot has ink on both,
        # and one on the edge of a glyph has the glyph's body beside it
        beside = sorted((before, after))
        return line.mean() >= DRAWN_SHARE and beside[0] <= BLANK_BESIDE and beside[1] <= NEAR_TEXT

    def drawn(vertical: bool, pos: float, start: float, end: float) -> bool:
        margin = (end - start) * 0.15
        a, b, p = round(start + margin), round(end - margin), round(pos)
        view = ink if vertical else ink.T
        if b - a < 3 or p - 2 * t - flank < 0 or p + 2 * t + flank + 1 > view.shape[1]:
            return False
        if drawn_at(view, p, a, b):
            return True
        # a glyph's strokes stop short of the lines around its cell, a ruling runs from corner
        # to corner
        if not vertical and faint_rows is not None:
            band = np.asarray(faint_rows.T[round(start) : round(end), p - t : p + t + 1].any(1))
            if band.mean() >= FULL_RUN:
                return True
            middle = band[a - round(start) : b - round(start)]
            if middle.mean() >= FULL_RUN and _corner_to_corner(side_ink.T, p, t, start, end, dpi):
                return True
        whole = view[round(start) : round(end), p - t : p + t + 1].astype(bool)
        x = p - t + _fullest_middle(whole.sum(axis=0))
        along = view[round(start) : round(end), x - 1 : x + 2].any(axis=1).mean()
        return x != p and along >= FULL_RUN and drawn_at(view, x, a, b)

    return drawn


def _corner_to_corner(
    view: np.ndarray, p: int, t: int, start: float, end: float, dpi: float
) -> bool:
    """Whether ink stands along start..end within `t` of `p` (view's rows run along the line),
    with no blank by either end longer than a speck (a glyph's strokes stop short of the lines
    around its cell by its padding) and none elsewhere longer than GAP_INCH."""
    inked = np.asarray(view[round(start) : round(end), p - t : p + t + 1].any(axis=1))
    speck, near = max(1, round(SPECK_GAP_INCH * dpi)), max(2.0, RULING_TOL_INCH * dpi)
    for s, e in _ink_runs(~inked):
        at_corner = s <= near or e >= len(inked) - near
        if e - s > (speck if at_corner else GAP_INCH * dpi):
            return False
    return True


def _fullest_middle(counts: np.ndarray) -> int:
    """The middle of the run of columns around the fullest one that are nearly as full."""
    lo = hi = int(np.argmax(counts))
    while lo > 0 and counts[lo - 1] >= FULL_RUN * counts.max():
        lo -= 1
    while hi + 1 < len(counts) and counts[hi + 1] >= FULL_RUN * counts.max():
        hi += 1
    return (lo + hi) // 2


def table_cells(rows: list[Ruling], cols: list[Ruling], drawn=None) -> ImageTable | None:
    """Cells from the rulings: neighbouring grid slots with no line drawn between them are one
    merged cell (one rectangle, as pdfplumber reports a merged cell). `drawn(vertical, pos,
    start, end)` may still find a side the rulings miss drawn in the picture."""
    if len(rows) < 2 or len(cols) < 2:
        return None
    ys, xs = [r.pos for r in rows], [c.pos for c in cols]
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    merged = DisjointSets(n_rows * n_cols)

    def side(vertical: bool, ruling: Ruling, start: float, end: float) -> bool:
        if ruling.covers(start, end):
            return True
        return drawn is not None and drawn(vertical, ruling.pos, start, end)

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not side(True, cols[c + 1], ys[r], ys[r + 1]):
                merged.join(r * n_cols + c + 1, r * n_cols + c)
            if r + 1 < n_rows and not side(False, rows[r + 1], xs[c], xs[c + 1]):
                merged.join((r + 1) * n_cols + c, r * n_cols + c)
    slots = [[divmod(i, n_cols) for i in group] for group in merged.groups()]
    cells = [_slots_box(group, xs, ys) for group in slots]
    return ImageTable((xs[0], ys[0], xs[-1], ys[-1]), sorted(cells, key=lambda b: (b[1], b[0])))


def _slots_box(slots: list[tuple[int, int]], xs: list[float], ys: list[float]) -> PxBox:
    rows = [r for r, _ in slots]
    cols = [c for _, c in slots]
    return (xs[min(cols)], ys[min(rows)], xs[max(cols) + 1], ys[max(rows) + 1])


# --- text into cells ---------------------------------------------------------------------------


def place_text(tables: list[ImageTable], boxes: list[TextBox]) -> list[TextBox]:
    """Each OCR box goes to the cell holding its centre; the boxes outside every table are
    returned (title, year line, signatures)."""
    outside = []
    for table in tables:
        table.texts = [[] for _ in table.cells]
    for box in boxes:
        slot = _cell_at(tables, *box.centre)
        if slot is None:
            outside.append(box)
        else:
            tables[slot[0]].texts[slot[1]].append(box)
    return outside


def _cell_at(tables: list[ImageTable], x: float, y: float) -> tuple[int, int] | None:
    for t, table in enumerate(tables):
        for c, (x0, top, x1, bottom) in enumerate(table.cells):
            if x0 <= x <= x1 and top <= y <= bottom:
                return t, c
    return None


def text_lines(boxes: list[TextBox]) -> list[list[TextBox]]:
    """Boxes grouped into printed lines (a box joins a line it overlaps by half its height),
    top to bottom, each left to right."""
    lines: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: b.centre[1]):
        cy = box.centre[1]
        line = next((ln for ln in lines if _same_line(ln, cy)), None)
        if line is None:
            lines.append([box])
        else:
            line.append(box)
    return [sorted(line, key=lambda b: b.box[0]) for line in lines]


def _same_line(line: list[TextBox], cy: float) -> bool:
    top = sum(b.box[1] for b in line) / len(line)
    bottom = sum(b.box[3] for b in line) / len(line)
    return top + (bottom - top) * 0.25 <= cy <= bottom - (bottom - top) * 0.25


def line_text(line: list[TextBox]) -> str:
    """One printed line: boxes left to right, a space only between two Latin words or numbers."""
    return cell_lines_text([b.text for b in line])


def cell_text(boxes: list[TextBox]) -> tuple[str, float | None]:
    """A cell's text (wrapped lines joined as in the born-digital path) and its lowest score."""
    if not boxes:
        return "", None
    return cell_lines_text([line_text(ln) for ln in text_lines(boxes)]), min(b.score for b in boxes)


# --- text cut by a column line ----------------------------------------------------------------

# A line of text runs on across a column line where, in its rows, ink stands close on both
# sides of the line (within CUT_REACH_INCH past the blank text_ink leaves around a ruling) in at
# least CUT_SHARE of them: the strokes of a glyph the line cuts, or a text printed on past a
# line drawn through it. Print keeps a cell's padding from its rulings on at least one side.
CUT_REACH_INCH = 0.025
CUT_SHARE = 0.2


def cut_cells(table: ImageTable, text_ink: np.ndarray, dpi: float) -> list[bool]:
    """For each cell of `table` (after place_text): whether a line of its text runs on across one
    of its column lines inside the table: what it reads is part of a printed text, clipped at
    a ruling that may be no line at all (a stroke, a column line run on too far)."""
    reach = max(2, round(CUT_REACH_INCH * dpi))
    clear = round(LINE_HALF_INCH * dpi) + 3  # text_ink's blank around a ruling
    left, right = table.bbox[0], table.bbox[2]
    out = []
    for (x0, _, x1, _), boxes in zip(table.cells, table.texts, strict=True):
        sides = [x for x in (x0, x1) if left + clear < x < right - clear]
        out.append(any(
            _runs_across(text_ink, round(x), box.box, clear, reach) for box in boxes
            for x in sides
        ))
    return out


def lone_splits(table: ImageTable, tol: float) -> list[bool]:
    """For each cell of `table` (after place_text): whether it holds text and is parted from a
    cell with text above or below it by a row line drawn under its column alone, the cells on
    both sides running on across it. Strokes at the foot of a line of text (支, 经, 费 end on
    one long stroke each) can run together into such a line and cut a name in two (经费支 |
    出合规性); a form parts a row's cells across all the columns of its values."""
    cells = table.cells
    out = [False] * len(cells)
    for a, upper in enumerate(cells):
        for b, lower in enumerate(cells):
            if not (abs(upper[3] - lower[1]) <= tol and abs(upper[0] - lower[0]) <= tol
                    and abs(upper[2] - lower[2]) <= tol and table.texts[a] and table.texts[b]):
                continue
            y = upper[3]
            beside = [c for c in cells if c[1] + tol < y < c[3] - tol
                      and (abs(c[2] - upper[0]) <= tol or abs(c[0] - upper[2]) <= tol)]
            if len(beside) >= 2 and {abs(c[2] - upper[0]) <= tol for c in beside} == {True, False}:
                out[a] = out[b] = True
    return out


def _runs_across(text_ink: np.ndarray, x: int, box: PxBox, clear: int, reach: int) -> bool:
    top, bottom = round(box[1]), round(box[3])
    if x - clear - reach < 0 or x + clear + reach > text_ink.shape[1] or bottom - top < 2:
        return False
    before = text_ink[top:bottom, x - clear - reach : x - clear].any(axis=1)
    after = text_ink[top:bottom, x + clear : x + clear + reach].any(axis=1)
    return float((before & after).mean()) >= CUT_SHARE


# --- punctuation width -------------------------------------------------------------------------

# Punctuation with a narrow ASCII form and a full-width form. The recogniser reads both as one
# shape; the blank printed around the mark tells them apart (one form may print "提升效率,改善"
# with an ASCII comma in one table and "服务；保障" full-width in another).
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
HALF_WIDTH = {full: half for half, full in FULL_WIDTH.items()}
# blank around the mark, in em: a full-width mark sits in a whole em (~0.85 blank), an ASCII
# one in about a quarter (~0.25); the recogniser's character centres are too coarse for this
FULL_BLANK_EM = 0.55
# a blank this close to FULL_BLANK_EM tells neither form: the line's confidence is lowered to
# DOUBTFUL_CONFIDENCE (below normalize.table.LOW_CONFIDENCE), so its row asks to be checked
WIDTH_DOUBT_EM = 0.12
DOUBTFUL_CONFIDENCE = 0.75


def text_ink(gray: np.ndarray, rulings: np.ndarray) -> np.ndarray:
    """Ink that is not a table line: a line through a text box would leave no blank to measure."""
    lines = cv2.dilate(rulings, np.ones((5, 5), np.uint8))
    return cv2.bitwise_and(ink_mask(gray), cv2.bitwise_not(lines))


# A full-width decimal point (２．３８) comes out of the recogniser as a middle dot, 2·38: between
# two digits a dot is the decimal point (a middle dot parts names, 甲·乙, never digits)
DOT_BETWEEN_DIGITS = re.compile(r"(?<=\d)[·・](?=\d)")


def punctuation_by_width(boxes: list[TextBox], text_ink: np.ndarray) -> list[TextBox]:
    return [_punctuation_by_width(_decimal_point(box), text_ink) for box in boxes]


def _decimal_point(box: TextBox) -> TextBox:
    text = DOT_BETWEEN_DIGITS.sub(".", box.text)
    return box if text == box.text else dataclasses.replace(box, text=text)


def _punctuation_by_width(box: TextBox, text_ink: np.ndarray) -> TextBox:
    """Each comma, semicolon... between two Chinese characters set to the form whose width was
    printed. Others stay as read."""
    text, centres = box.text, box.char_x
    if len(centres) != len(text) or not any(ch in FULL_WIDTH or ch in HALF_WIDTH for ch in text):
        return box
    em = _em(text, centres)
    x0 = int(box.box[0])
    rows = text_ink[int(box.box[1]) : int(box.box[3]) + 1, x0 : int(box.box[2]) + 1]
    runs = _ink_runs(np.count_nonzero(rows, axis=0) >= 2)
    if em is None or len(runs) < 3:
        return box
    out = list(text)
    score = box.score
    for i in range(1, len(text) - 1):
        if text[i] not in FULL_WIDTH and text[i] not in HALF_WIDTH:
            continue
        if not (_is_ideograph(text[i - 1]) and _is_ideograph(text[i + 1])):
            continue
        blank = _blank_around(runs, centres[i] - x0)
        if blank is not None:
            table = FULL_WIDTH if blank >= FULL_BLANK_EM * em else HALF_WIDTH
            out[i] = table.get(text[i], text[i])
            if abs(blank - FULL_BLANK_EM * em) <= WIDTH_DOUBT_EM * em:
                score = min(score, DOUBTFUL_CONFIDENCE)
    return dataclasses.replace(box, text="".join(out), score=score)


# Two neighbouring characters read this many ems apart, with ink between them, leave a mark
# between them unread: the recogniser drops a small one (、 between two words) and reads on.
UNREAD_STEP_EM = 1.6
# Two ideographs are set an em apart: this far apart, with ink between them, a narrow mark (人/次
# read 人次) was left unread. Where a line holds too few ideographs to measure its em by, the
# height of its ink is taken for it.
IDEOGRAPH_STEP_EM = 1.3


def unread_marks(boxes: list[TextBox], text_ink: np.ndarray) -> list[TextBox]:
    """`boxes`, each line in which a mark printed between two characters, or after the last
    one inside the line's box, was not read (see UNREAD_STEP_EM) lowered to
    DOUBTFUL_CONFIDENCE: its text lacks a character."""
    return [
        dataclasses.replace(box, score=min(box.score, DOUBTFUL_CONFIDENCE))
        if _skips_ink(box, text_ink) else box
        for box in boxes
    ]


def _skips_ink(box: TextBox, text_ink: np.ndarray) -> bool:
    text, centres = box.text, box.char_x
    if len(centres) != len(text):
        return False
    top, bottom = int(box.box[1]), int(box.box[3]) + 1
    em = _em(text, centres) or _ink_height(box, text_ink)
    if em is None:
        return False
    # a mark after the last character read, inside the line's box (甲乙、 read 甲乙)
    ends = [*itertools.pairwise(centres), (centres[-1], box.box[2] + 0.6 * em)]
    pairs = [*itertools.pairwise(text), (text[-1], "")]
    for (a, b), (first, second) in zip(ends, pairs, strict=True):
        both = _is_ideograph(first) and _is_ideograph(second)
        if b - a < (IDEOGRAPH_STEP_EM if both else UNREAD_STEP_EM) * em:
            continue
        gap = text_ink[top:bottom, round(a + 0.6 * em) : round(b - 0.6 * em)]
        if gap.size and np.count_nonzero(gap.any(axis=0)) >= 2:
            return True
    return False


def _ink_height(box: TextBox, text_ink: np.ndarray) -> float | None:
    """The height of a line's ink, an ideograph's: its em where it has one; else None."""
    if not any(_is_ideograph(ch) for ch in box.text):
        return None
    x0, top, x1, bottom = (round(v) for v in box.box)
    rows = np.flatnonzero(text_ink[top:bottom, x0:x1].any(axis=1))
    return float(rows[-1] - rows[0] + 1) if len(rows) else None


def _ink_runs(columns: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each stretch of inked columns."""
    padded = np.concatenate(([0], columns.astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _blank_around(runs: list[tuple[int, int]], x: float) -> float | None:
    """Blank columns before and after the ink run nearest `x` (the mark)."""
    k = min(range(len(runs)), key=lambda i: abs((runs[i][0] + runs[i][1]) / 2 - x))
    if k == 0 or k == len(runs) - 1:
        return None
    return float(runs[k][0] - runs[k - 1][1] + runs[k + 1][0] - runs[k][1])


def _em(text: str, centres: tuple[float, ...]) -> float | None:
    """The line's character pitch: the median distance between neighbouring ideographs."""
    steps = [
        centres[k + 1] - centres[k]
        for k in range(min(len(text), len(centres)) - 1)
        if _is_ideograph(text[k]) and _is_ideograph(text[k + 1])
    ]
    if len(steps) < 2:
        return None
    return float(np.median(steps))


def _is_ideograph(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


# --- text lines without a detector -------------------------------------------------------------

LINE_GAP_INCH = 0.012  # blank rows inside one printed line (between the strokes of 三, 二...)
MIN_LINE_INCH = 0.05  # a band of ink lower than this is a stroke or a speck, not a line
WORD_GAP_INCH = 0.25  # outside the tables, a blank this wide parts two texts on one line
LINE_MARGIN_INCH = 0.03  # blank kept around a line's ink, as the detector's boxes keep it
EDGE_LINE_INCH = 0.02  # a cell's side: the edge of its ruling may reach this far into it (a
# photo's line drawn thick or bowed)


SPECK_INCH = 0.022  # an ink blot smaller than this square is scanner noise, not print


def without_specks(ink: np.ndarray, dpi: float) -> np.ndarray:
    """The ink mask without the scanner's noise, which would join every row of a projection."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] >= (SPECK_INCH * dpi) ** 2
    keep[0] = False
    return np.where(keep[labels], np.uint8(255), np.uint8(0))


def line_boxes(
    ink: np.ndarray, region: PxBox, dpi: float, split_words: bool = False
) -> list[PxBox]:
    """Printed lines inside `region` (a cell), by the horizontal projection of its ink: one box
    per line, around its ink plus a small margin, clipped to the region. With `split_words`,
    texts on one line far apart (a title's left and right parts) are boxes of their own."""
    x0, top, x1, bottom = (round(v) for v in region)
    x0, top = max(0, x0), max(0, top)
    x1, bottom = min(ink.shape[1], x1), min(ink.shape[0], bottom)
    if x1 - x0 < 2 or bottom - top < 2:
        return []
    area = ink[top:bottom, x0:x1]
    lines = area if split_words else area[:, ~_edge_of_ruling(area, dpi)]
    rows = _bands(np.count_nonzero(lines, axis=1) > 0, LINE_GAP_INCH * dpi)
    rows = _merge_thin(rows, MIN_LINE_INCH * dpi)
    margin = LINE_MARGIN_INCH * dpi
    out = []
    for r0, r1 in rows:
        band = area[r0:r1]
        cols = np.count_nonzero(band, axis=0) > 0
        gap = WORD_GAP_INCH * dpi if split_words else float(band.shape[1])
        for c0, c1 in _bands(cols, gap):
            if r1 - r0 < MIN_LINE_INCH * dpi and c1 - c0 < MIN_LINE_INCH * dpi:
                continue
            out.append((
                max(float(x0), x0 + c0 - margin),
                max(float(top), top + r0 - margin),
                min(float(x1), x0 + c1 + margin),
                min(float(bottom), top + r1 + margin),
            ))
    return out


def _edge_of_ruling(area: np.ndarray, dpi: float) -> np.ndarray:
    """The columns at a cell's sides, within EDGE_LINE_INCH: where a photo drew a line thick or
    bowed, the edge of the ruling stands there, inked down the cell or along stretches of it.
    Counted in the lines' projection, it joined every line of the cell into one (read as blank),
    or two lines into one by a thread of a pixel's width between them (指标 over 值 read 指值标).
    No line of text has all its ink so close to the ruling (a cell's padding keeps it off)."""
    edge = min(area.shape[1] // 2, max(1, round(EDGE_LINE_INCH * dpi)))
    out = np.zeros(area.shape[1], dtype=bool)
    out[:edge] = True
    out[area.shape[1] - edge :] = True
    return out


def _bands(filled: np.ndarray, gap: float) -> list[tuple[int, int]]:
    """[start, end) of the runs of `filled`, runs apart by at most `gap` joined."""
    out: list[tuple[int, int]] = []
    for s, e in _ink_runs(filled):
        if out and s - out[-1][1] <= gap:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _merge_thin(bands: list[tuple[int, int]], least: float) -> list[tuple[int, int]]:
    """A band lower than `least` is a stroke cut off its character (the top stroke of 二) and
    joins its neighbour when that is near; far from any, it is a scrap of a line and goes."""
    bands = list(bands)
    while True:
        thin = [k for k, (s, e) in enumerate(bands) if e - s < least]
        if not thin:
            return bands
        k = thin[0]
        gaps = []
        if k > 0:
            gaps.append((bands[k][0] - bands[k - 1][1], k - 1))
        if k + 1 < len(bands):
            gaps.append((bands[k + 1][0] - bands[k][1], k + 1))
        gap, j = min(gaps, default=(least + 1, k))
        if gap > least:
            del bands[k]
            continue
        a, b = sorted((k, j))
        bands[a : b + 1] = [(bands[a][0], bands[b][1])]
