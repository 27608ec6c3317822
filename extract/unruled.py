"""A page that prints its tables without ruling lines -> table parts, from text positions alone.

A Word table with its borders turned off prints as text set in columns. Its grid is read back
from geometry, in the order of the functions below:
- `chars_to_segments`: characters -> runs on one printed line with no wide gap in them;
- `find_tables` / `find_columns`: the columns are the white gutters shared by every line from
  the header row down (the header row is where the most gutters open, labelling most of its
  columns; rows above it, label | value, may span them); the table runs up and down from
  there while its lines keep its font size and stay close; neighbouring columns never filled
  in the same row are one; the rest of the page is searched again for more tables; a page
  that opens with lines fitting the previous page's columns continues its table;
- `segments_to_blocks`: a cell's wrapped lines joined: a line set at wrapping distance under
  text of the same column continues it; where rows are set as close as wrapped lines, only
  under a line too full for its next character, and not on a line that starts a row;
- `blocks_to_bands`: the rows, from the vertical extent of the cells of the columns filled in
  every row; a cell elsewhere is a row of its own only where there is room for one; in the
  header block, a row holding two cells of one column one under the other is two rows;
- `place_blocks` and `extend_merged`: each cell's rows and columns; in the leading columns that
  are empty in some rows (merged 一级/二级), a cell covers the rows down to the next one, or the
  rows it is centred on when it is printed vertically centred;
- `cells_to_boxes`: rectangles on the inferred grid, which `parts_to_grids` (stitch.py) turns
  into spans as it does ruled cells.

Every threshold is relative to the font size, so nothing depends on one document's measures.
Knows geometry only; nothing of indicators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import pairwise
from statistics import median

from .chars import chars_to_text, text_indent
from .grid import BBox, TextLine, cell_lines_text
from .records import CellBox, TablePart, cell_locator
from .stitch import _CONTINUATION_MARK, _PAGE_FURNITURE

EXTRACTOR = "pdf-text-unruled"
SEGMENT_GAP = 0.8  # x font size: a wider gap between two characters of a line separates cells
LINE_TOLERANCE = 0.35  # x font size: characters whose middles differ less share a line
MIN_GUTTER = 0.5  # x font size: the narrowest white space between two columns
WRAP_PITCH = 1.6  # x font size: the wrapped lines of one cell are set closer than this
SIZE_CHANGE = 0.05  # a line printed this much larger or smaller is not the table's (a caption)
TABLE_GAP = 3.0  # x font size: white space this tall between two lines ends the table
MAIN_SHARE = 0.8  # a column starting text this often, next to the most, is filled in every row
MIN_COLUMNS = 3  # fewer is prose or a list, not a form
MIN_ROWS = 2  # rows under the header with text in two columns or more


@dataclass(frozen=True)
class Segment:
    """Characters printed on one line with no gap wide enough to separate two cells."""

    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    line: int  # index of its printed line on the page, top to bottom
    chars: tuple = field(repr=False, default=())


@dataclass
class Block:
    """One cell's text: its segments (wrapped lines) and the columns and rows it covers."""

    segments: list[Segment]
    c0: int
    c1: int
    r0: int = -1
    r1: int = -1
    doubt: str | None = None  # why it may be wrong: its row's warning
    tail: bool = False  # its last line ends a word on the line the next row starts on

    @property
    def extent(self) -> tuple[float, float]:
        """Its top and bottom as a row's: without a last line that only ends a word."""
        lines = self.segments[:-1] if self.tail and len(self.segments) > 1 else self.segments
        return self.top, max(s.bottom for s in lines)

    @property
    def top(self) -> float:
        return self.segments[0].top

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.segments)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Columns:
    """Column boundaries, left to right (n columns have n + 1 edges)."""

    edges: tuple[float, ...]
    header: tuple[str, ...] = ()  # the header row's texts, to know it again on the next page
    size: float = 0.0  # the table's font size
    tight: bool = False  # rows set as close as wrapped lines (Wrapping.tight), for the next page

    def span(self, seg: Segment) -> tuple[int, int]:
        """The columns a segment's ink overlaps by more than a sliver (half a character: a
        line may hang a closing mark into its cell's margin)."""
        sliver = 0.5 * seg.size
        right = _ink_right(seg)
        hit = [
            i
            for i in range(len(self.edges) - 1)
            if min(right, self.edges[i + 1]) - max(seg.x0, self.edges[i]) > sliver
        ]
        if not hit:  # narrower than a sliver: the column holding its middle
            mid = (seg.x0 + seg.x1) / 2
            hit = [max(0, min(len(self.edges) - 2, sum(e < mid for e in self.edges) - 1))]
        return hit[0], hit[-1]

    def crossed_by(self, seg: Segment) -> bool:
        c0, c1 = self.span(seg)
        return c1 > c0


# full-width punctuation inked on its left half, which a line may hang into the cell's margin
_HANGING = set("）》」』】〕，。、；：！？")


def _ink_right(seg: Segment) -> float:
    """Where a segment's ink ends: a full-width closing mark at its end prints on the left half
    of its box."""
    last = seg.chars[-1] if seg.chars else None
    if last is not None and last["text"] in _HANGING:
        return min(seg.x1, last["x0"] + 0.5 * (last["x1"] - last["x0"]))
    return seg.x1


def unruled_parts(
    page, pending: list[TextLine], previous: Columns | None = None, read=None
) -> tuple[list[TablePart], list[TextLine], Columns | None]:
    """The tables of a page with no ruling lines, each with the lines printed before it, the
    lines after the last, and its columns (for a continuation on the next page). No table on a
    page of prose. `read` reads a table's grid in place of `read_grid` (a scan's reader)."""
    page_no = page.page_number
    segments = chars_to_segments(page.chars)
    tables = find_tables([s for s in segments if not _furniture(s, segments)], previous)
    parts = []
    done = -1  # the last line of the previous table
    columns = None
    for columns, header_line, inside in tables:
        blocks, bands, columns = (read or read_grid)(inside, columns, header_line)
        if header_line is None and previous is not None:
            # a continuation's boxes stand on the columns it continues, however its gutters
            # were moved to read it
            columns = replace(columns, edges=previous.edges)
        row_edges = _row_edges(bands, inside)
        cells = cells_to_boxes(blocks, columns, row_edges, len(bands))
        before = [s for s in segments if done < s.line < inside[0].line]
        bbox = (columns.edges[0], row_edges[0], columns.edges[-1], row_edges[-1])
        lines_before = pending + _text_lines(before, page_no)
        parts.append(TablePart(page_no, bbox, cells, lines_before, extractor=EXTRACTOR))
        pending, done = [], inside[-1].line
    after = [s for s in segments if s.line > done]
    return parts, pending + _text_lines(after, page_no), (None if after else columns)


def page_lines(page) -> list[TextLine]:
    """A page's printed lines, as `unruled_parts` gives those of a page with no table."""
    return _text_lines(chars_to_segments(page.chars), page.page_number)


def read_grid(
    inside: list[Segment], columns: Columns, header_line: int | None
) -> tuple[list[Block], list[tuple[float, float]], Columns]:
    """The table's cells placed on rows and columns, the rows, and the columns with the header
    row's texts. A page continuing a table may open with its header row printed again: it is
    a header there too, not the start of merged cells."""
    blocks = segments_to_blocks(inside, columns, header_line)
    bands = blocks_to_bands(blocks, columns, header_line)
    place_blocks(blocks, bands)
    n_cols = len(columns.edges) - 1
    header = _header_band(blocks, header_line, n_cols)
    if header_line is None and columns.header and _row_texts(blocks, 0, n_cols) == columns.header:
        header = 0
    header = _two_row_heading(blocks, header_line, header, len(bands))
    # a row numbering the columns under the heading is the heading's, not the first row
    top = header + 1 if header >= 0 and _numbers_row(blocks, header + 1) else header
    extend_merged(blocks, bands, n_cols, top, continued=header_line is None)
    extend_labels(blocks, header)
    doubt_lone_levels(blocks, top, len(bands))
    if header_line is not None and header >= 0:
        body = [s for s in inside if s.line >= header_line]
        columns = replace(columns, header=_row_texts(blocks, header, n_cols),
                          tight=_set_tight(body, columns, header_line))
    return blocks, bands, columns


def _numbers_row(blocks: list[Block], row: int) -> bool:
    """Row `row` numbers the columns (1 | 2 | 3 | 4): three texts or more, one a column, each a
    number one more than the one left of it."""
    cells = sorted((b for b in blocks if b.r0 == row and b.segments), key=lambda b: b.c0)
    texts = [_text(b).strip() for b in cells]
    if len(cells) < 3 or any(b.c0 != b.c1 or b.r1 != row or not t.isdigit()
                             for b, t in zip(cells, texts, strict=True)):
        return False
    return all(int(b) == int(a) + 1 for a, b in pairwise(texts))


def _row_texts(blocks: list[Block], row: int, n_cols: int) -> tuple[str, ...]:
    texts = [""] * n_cols
    for b in blocks:
        if b.r0 == row and b.c0 == b.c1:
            texts[b.c0] = _text(b)
    return tuple(texts)


def _furniture(seg: Segment, segments: list[Segment]) -> bool:
    """A page number or a continuation mark (续表) standing alone on its line: neither is a row
    of the table it stands over. A number set at wrapping distance under text above it is
    that text's wrapped end (2020.12.3 | 1), not a page number."""
    alone = sum(s.line == seg.line for s in segments) == 1
    text = chars_to_text(list(seg.chars))
    furniture = _PAGE_FURNITURE.match(text) or _CONTINUATION_MARK.match(text)
    return alone and bool(furniture) and not any(_wraps_onto(above, seg) for above in segments)


def _wraps_onto(above: Segment, seg: Segment) -> bool:
    """`seg` stands under `above`, within its width, at wrapping distance."""
    return (above.line < seg.line and above.x0 <= seg.x0 and seg.x1 <= above.x1 + seg.size
            and 0 < seg.top - above.top <= WRAP_PITCH * seg.size)


# -- characters -> segments ------------------------------------------------------------------


def chars_to_segments(chars: list[dict]) -> list[Segment]:
    """Printed lines split where the gap between two characters is wide enough to be the space
    between two cells."""
    visible = sorted((c for c in chars if c["text"].strip()), key=lambda c: (c["top"], c["x0"]))
    lines: list[list[dict]] = []
    for ch in visible:
        if lines and abs(_middle(ch) - _middle(lines[-1][0])) <= LINE_TOLERANCE * ch["size"]:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    segments = []
    for number, line in enumerate(lines):
        line.sort(key=lambda c: c["x0"])
        run = [line[0]]
        for ch in line[1:]:
            if ch["x0"] - run[-1]["x1"] > SEGMENT_GAP * run[-1]["size"]:
                segments.append(_segment(run, number))
                run = []
            run.append(ch)
        segments.append(_segment(run, number))
    return segments


def _middle(ch: dict) -> float:
    return (ch["top"] + ch["bottom"]) / 2


def _segment(chars: list[dict], line: int) -> Segment:
    return Segment(
        x0=min(c["x0"] for c in chars),
        x1=max(c["x1"] for c in chars),
        top=min(c["top"] for c in chars),
        bottom=max(c["bottom"] for c in chars),
        size=median(c["size"] for c in chars),
        line=line,
        chars=tuple(chars),
    )


# -- segments -> columns and the table's lines ------------------------------------------------


def find_tables(
    segments: list[Segment], previous: Columns | None
) -> list[tuple[Columns, int | None, list[Segment]]]:
    """Every table of the page, top to bottom: one found, then those above and below it."""
    table = find_table(segments, previous)
    if table is None:
        return []
    first, last = table[2][0].line, table[2][-1].line
    above = [s for s in segments if s.line < first]
    below = [s for s in segments if s.line > last]
    return [*find_tables(above, previous), table, *find_tables(below, None)]


def find_table(
    segments: list[Segment], previous: Columns | None
) -> tuple[Columns, int | None, list[Segment]] | None:
    """The columns, the line of the header row (None on a page continuing the previous page's
    table, read with its columns) and the table's segments; None when the page holds no table."""
    if not segments:
        return None
    if previous is not None:
        previous, inside = _continuation(segments, previous)
        if inside:
            return previous, None, inside
    found = find_columns(segments)
    if found is None:
        return None
    gutters, header_line = found
    inside = _table_lines(segments, header_line)
    gutters = _join_label_columns(gutters, [s for s in inside if s.line >= header_line])
    if not _enough_rows(inside, gutters, header_line):
        return None
    return _columns(inside, gutters), header_line, inside


def find_columns(segments: list[Segment]) -> tuple[list[tuple[float, float]], int] | None:
    """Gutters (x ranges no text crosses) of the lines from the header row down, and that row's
    line. Going up line by line, gutters open as columns get text and close when a line spans
    them: the header row is the topmost line where the most are open. A line holding a single
    segment (a wrapped cell's tail, a title) is left out: it tells nothing of columns.

    A line standing in white space no line under it fills opens a column of its own. A header
    row does so when a label is centred over a column of short texts; another line doing so
    above it, or one filling at most half the gutters that is not the wrapped tail of the
    line above (a header block's label | value set where the table has no column), is where
    the table's columns end."""
    by_line: dict[int, list[Segment]] = {}
    for seg in segments:
        by_line.setdefault(seg.line, []).append(seg)
    paired = sorted((ln for ln, segs in by_line.items() if len(segs) > 1), reverse=True)
    size = median(s.size for s in segments)
    best: tuple[list[tuple[float, float]], int] | None = None
    best_in_gutter = False
    below: list[Segment] = []
    opened: dict[int, int] = {}  # line -> the gutters open from it down
    for line in paired:
        in_gutter = bool(below) and _stands_in_gutter(by_line[line], below, MIN_GUTTER * size)
        below.extend(by_line[line])
        gutters = _gutters(below, MIN_GUTTER * size)
        few = 2 * len(by_line[line]) <= len(gutters) and not _wrapped_tail(line, by_line, size)
        if in_gutter and (best_in_gutter or few):
            break
        if best is None or len(gutters) >= len(best[0]):
            best, best_in_gutter = (gutters, line), in_gutter
        opened[line] = len(gutters)
    if best is None or len(best[0]) < MIN_COLUMNS - 1:
        return None
    best = _header_over_spaced_text(best, by_line, paired, MIN_GUTTER * size)
    opened.setdefault(best[1], len(best[0]))
    return best[0], _labelling_row(best, opened, by_line)


def _header_over_spaced_text(
    best: tuple[list[tuple[float, float]], int], by_line: dict[int, list[Segment]],
    paired: list[int], min_width: float,
) -> tuple[list[tuple[float, float]], int]:
    """The line right above the one found to open the most gutters is the header row when it
    labels every column but across gutters that one line alone opens: the white space of a
    word set with spaces between its characters (产 出 指 标 printed on one line in the
    merged 一级 column), which parts no column. Its gutters then."""
    gutters, line = best
    above = max((ln for ln in by_line if ln < line), default=None)
    if above is None or above not in paired:
        return best
    lower = [s for ln in paired if ln >= line for s in by_line[ln]]
    heading = by_line[above]
    crossed = [k for k, (a, b) in enumerate(gutters)
               if any(s.x0 < a and b < s.x1 for s in heading)]
    kept = _gutters(lower + heading, min_width)
    if not crossed or len(heading) != len(kept) + 1:
        return best
    for k in crossed:
        left = gutters[k - 1][1] if k > 0 else float("-inf")
        right = gutters[k + 1][0] if k + 1 < len(gutters) else float("inf")
        if len({s.line for s in lower if left <= s.x0 and s.x1 <= right}) != 1:
            return best
    return kept, above


def _labelling_row(
    best: tuple[list[tuple[float, float]], int], opened: dict[int, int],
    by_line: dict[int, list[Segment]],
) -> int:
    """A header row labels most of its columns: a line of a label and its value above it, set
    in the table's columns (其中： | 12.5), opens no more of them. Such a line gives the
    header row's place to the first line under it that labels half its columns or more and
    sees as many open, if that one labels the columns it does (a heading's first row over the
    columns its second row leaves empty keeps it: 绩效指标 | 指标值 over 一级 | 二级 | 三级)."""
    gutters, line = best
    columns = Columns((float("-inf"), *((a + b) / 2 for a, b in gutters), float("inf")))

    def sparse(ln: int) -> bool:
        return 2 * len(by_line[ln]) <= opened[ln] + 1

    def labelled(ln: int) -> set[int]:
        return {c for seg in by_line[ln] for c in range(columns.span(seg)[0],
                                                          columns.span(seg)[1] + 1)}

    if not sparse(line):
        return line
    below = sorted(ln for ln in opened if ln > line and opened[ln] == opened[line])
    under = next((ln for ln in below if not sparse(ln)), line)
    return under if labelled(line) <= labelled(under) else line


def _wrapped_tail(line: int, by_line: dict[int, list[Segment]], size: float) -> bool:
    """Every text of the line sits under one of the line above, at wrapping distance."""
    above = by_line.get(max((ln for ln in by_line if ln < line), default=-1), [])
    return bool(above) and all(
        any(min(s.x1, a.x1) > max(s.x0, a.x0) and 0 < s.top - a.top <= WRAP_PITCH * size
            for a in above)
        for s in by_line[line]
    )


def _stands_in_gutter(line: list[Segment], below: list[Segment], min_width: float) -> bool:
    """Some segment of the line lies wholly inside a gutter of the lines below it."""
    gutters = _gutters(below, min_width)
    return any(a <= s.x0 and s.x1 <= b for s in line for a, b in gutters)


def _gutters(segments: list[Segment], min_width: float) -> list[tuple[float, float]]:
    spans = sorted((s.x0, s.x1) for s in segments)
    gutters = []
    right = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - right >= min_width:
            gutters.append((right, x0))
        right = max(right, x1)
    return gutters


def _join_label_columns(
    gutters: list[tuple[float, float]], inside: list[Segment]
) -> list[tuple[float, float]]:
    """Neighbouring columns never filled in the same row are one column: a centred label over
    a wide column of short left-aligned texts stands clear of them. Only the lines from the
    header row down tell it: the label | value rows of a header block above span the columns
    as they please. (Rows here are runs of lines at wrapping distance: in a table set
    with no space between rows that is the whole table, and nothing is joined.)"""
    columns = Columns((float("-inf"), *((a + b) / 2 for a, b in gutters), float("inf")))
    rows = _line_runs(inside)
    filled: dict[int, set[int]] = {}
    for seg in inside:
        c0, c1 = columns.span(seg)
        if c0 == c1:
            filled.setdefault(c0, set()).add(rows[seg.line])
    kept = []
    group = filled.get(0, set())
    for i, gutter in enumerate(gutters):
        right = filled.get(i + 1, set())
        if group & right or not group or not right:
            kept.append(gutter)
            group = set(right)
        else:
            group |= right
    return kept


def _line_runs(segments: list[Segment]) -> dict[int, int]:
    """Each line's run: lines follow in one run while each stands at wrapping distance below
    the one before."""
    tops: dict[int, float] = {}
    for seg in segments:
        tops[seg.line] = min(tops.get(seg.line, seg.top), seg.top)
    size = median(s.size for s in segments)
    runs: dict[int, int] = {}
    run, last = 0, None
    for line in sorted(tops):
        if last is not None and tops[line] - last > WRAP_PITCH * size:
            run += 1
        runs[line], last = run, tops[line]
    return runs


def _table_lines(segments: list[Segment], header_line: int) -> list[Segment]:
    """The lines of the table: from the header row up and down while the lines are set in the
    table's font size and close together."""
    by_line: dict[int, list[Segment]] = {}
    for seg in segments:
        by_line.setdefault(seg.line, []).append(seg)
    lines = sorted(by_line)
    size = median(s.size for s in by_line[header_line])
    at = lines.index(header_line)
    first = last = at
    while first > 0 and _same_table(by_line[lines[first - 1]], by_line[lines[first]], size):
        first -= 1
    while last + 1 < len(lines) and _same_table(
        by_line[lines[last]], by_line[lines[last + 1]], size
    ):
        last += 1
    return [s for ln in lines[first : last + 1] for s in by_line[ln]]


def _same_table(upper: list[Segment], lower: list[Segment], size: float) -> bool:
    gap = min(s.top for s in lower) - max(s.bottom for s in upper)
    sizes_match = all(abs(s.size - size) <= SIZE_CHANGE * size for s in upper + lower)
    return sizes_match and gap <= TABLE_GAP * size


def _enough_rows(inside: list[Segment], gutters: list[tuple[float, float]], header: int) -> bool:
    lines = {s.line for s in inside if s.line > header}
    columns = Columns((float("-inf"), *((a + b) / 2 for a, b in gutters), float("inf")))
    filled = 0
    for line in lines:
        spans = {columns.span(s) for s in inside if s.line == line}
        filled += len(spans) >= 2
    return filled >= MIN_ROWS


def _columns(inside: list[Segment], gutters: list[tuple[float, float]]) -> Columns:
    size = median(s.size for s in inside)
    left = min(s.x0 for s in inside) - 0.5 * size
    right = max(s.x1 for s in inside) + 0.5 * size
    return Columns((left, *((a + b) / 2 for a, b in gutters), right), size=size)


def _continuation(segments: list[Segment], previous: Columns) -> tuple[Columns, list[Segment]]:
    """The lines at the top of a page that fit the previous page's columns, and the columns:
    no segment crosses a gutter and none stands outside the table (none taken when the page
    starts anything else). A text wider than its column was on the page before, reaching into
    the column the next text of its line starts in, moves the gutter between them."""
    by_line: dict[int, list[Segment]] = {}
    for seg in segments:
        by_line.setdefault(seg.line, []).append(seg)
    taken: list[Segment] = []
    columns = previous
    for line in sorted(by_line):
        segs = by_line[line]
        if any(abs(s.size - previous.size) > SIZE_CHANGE * previous.size for s in segs):
            break  # a title: another table starts
        moved = _widened(columns, segs, taken)
        outside = any(s.x0 < moved.edges[0] or s.x1 > moved.edges[-1] for s in segs)
        if outside or any(moved.crossed_by(s) for s in segs):
            break
        if taken and not _same_table(taken, segs, segs[0].size):
            break
        taken.extend(segs)
        columns = moved
    return columns, taken


def _widened(columns: Columns, line: list[Segment], taken: list[Segment]) -> Columns:
    """The columns with each gutter a text of the line crosses moved to between it and the
    next text of the line, when that one starts in the column it reaches into and no text
    taken so far crosses the new place."""
    edges = list(columns.edges)
    ordered = sorted(line, key=lambda s: s.x0)
    for seg, nxt in pairwise(ordered):
        c0, c1 = columns.span(seg)
        if c1 == c0 + 1 and columns.span(nxt)[0] == c1:
            edge = (_ink_right(seg) + nxt.x0) / 2
            if not any(s.x0 < edge < _ink_right(s) for s in taken):
                edges[c1] = edge
    return replace(columns, edges=tuple(edges))


# -- segments -> cell blocks ------------------------------------------------------------------


def segments_to_blocks(
    segments: list[Segment], columns: Columns, header_line: int | None = None
) -> list[Block]:
    """Each segment starts a cell or continues the one above it in the same columns. It
    continues it when set at wrapping distance below it, and (in a table set with no space
    between rows) its line does not start a row: a line starts a row when a column filled in
    most rows starts new text on it (the text under a wrapped cell's neighbour), or when it
    fills every such column. Above the header row, a label in the first column starts a row.
    The header row starts a row in every column: a header block's value wrapped across the
    columns above it ends there; how the rows are set is told from the header row down."""
    body = [s for s in segments if header_line is None or s.line >= header_line] or segments
    wraps = Wrapping(body, columns, header_line, segments)
    dense = _dense_columns(segments, columns, wraps=wraps)
    lines: dict[int, list[Segment]] = {}
    for seg in segments:
        lines.setdefault(seg.line, []).append(seg)
    centred_cols = _centred_columns(lines, columns, wraps, header_line) if wraps.tight else set()
    blocks: list[Block] = []
    open_blocks: dict[tuple[int, int], Block] = {}
    heading: set[int] | None = None  # the header row's columns, on the line after it
    # the lines a heading row starts on: the header row, or on a page continuing a table the
    # header row printed again
    heading_lines = {header_line if header_line is not None
                     else _repeated_header(lines, columns)}
    label_line = -1  # the last line a header block's label started on
    row_cols: set[int] = set()  # the columns a cell started in, in the row being read
    centred: dict[int, int] = {}  # id of a value printed centred beside its label -> its line
    for line in sorted(lines):
        if line == header_line:
            open_blocks.clear()
        ordered = sorted(lines[line], key=lambda s: s.x0)
        placed = _one_per_column(_apart([(seg, columns.span(seg)) for seg in ordered]))
        tail = heading is not None and _heading_tail(placed, heading, lines, line, columns)
        carries = {id(seg): _heading_cell(span, open_blocks, header_line) if tail
                   else _carried(seg, span, open_blocks, wraps)
                   or _centred_tail(seg, span, open_blocks, centred) for seg, span in placed}
        cut = _second_heading_cuts(placed, carries, heading)
        if cut is not None:
            heading_lines.add(line)
        elif header_line is not None and line < header_line and _starts_label(
            placed, carries, lines
        ):
            block_lines = {k: segs for k, segs in lines.items() if k < header_line}
            for seg, near in _centred_values(placed, carries, open_blocks, label_line,
                                             block_lines, columns):
                centred[id(near)] = line
                carries[id(seg)] = near
            cut = {id(seg) for seg, _ in placed if id(carries[id(seg)]) not in centred}
            label_line = line
        elif header_line is not None and line < header_line and _under_labels(
            placed, carries, lines
        ):
            cut = {id(seg) for seg, (c0, _) in placed if c0 > 0}
        elif wraps.tight and not _beside_wrapping(placed, carries, centred_cols) and (
            _starts_row(placed, carries, dense, heading_lines)
            or _starts_again(placed, carries, row_cols)
        ):
            cut = _row_cuts(placed, carries, dense, heading_lines)
            row_cols = set()
            _mark_tails(placed, carries, cut, heading_lines)
        else:
            cut = set()
        heading = _filled(placed) if line == header_line else None
        for seg, span in placed:
            block = carries[id(seg)]
            if block is not None and id(seg) not in cut:
                block.segments.append(seg)
                continue
            row_cols |= set(range(span[0], span[1] + 1))
            block = Block([seg], *span)
            blocks.append(block)
            for key in [k for k in open_blocks if _overlap(k, span)]:
                del open_blocks[key]
            open_blocks[span] = block
    return blocks


def _centred_columns(lines: dict[int, list[Segment]], columns: Columns, wraps: Wrapping,
                     header_line: int | None) -> set[int]:
    """The leading columns of a table set tight whose texts stand vertically centred on the rows
    they group (merged cells printed centred): most of their texts stand on a line where
    every text right of them wraps on from the line above and none starts, or alone between
    two such lines."""
    if header_line is None:
        return set()
    last: dict[int, Segment] = {}
    beside: dict[int, int] = {}
    texts: dict[int, int] = {}
    alone: list[int] = []  # the columns of the line above's texts that stood alone on it
    for line in sorted(k for k in lines if k > header_line):
        flags = []  # (column, whether the text starts a cell)
        for seg in sorted(lines[line], key=lambda s: s.x0):
            c0, c1 = columns.span(seg)
            above = last.get(c0)
            flags.append((c0, c0 == c1 and (above is None
                                           or not wraps.continues(above, seg, (c0, c1)))))
            for c in range(c0, c1 + 1):
                last[c] = seg
        for c in alone:  # set between two lines of the texts right of it, which wrap on
            right = [n for k, n in flags if k > c]
            beside[c] = beside.get(c, 0) + (bool(right) and not any(right))
        alone = []
        for c, new in flags:
            if not new:
                continue
            texts[c] = texts.get(c, 0) + 1
            right = [n for k, n in flags if k > c]
            if not right and len(flags) == 1:
                alone.append(c)
            beside[c] = beside.get(c, 0) + (bool(right) and not any(right))
    return {c for c, n in texts.items() if beside.get(c, 0) * 2 > n}


def _beside_wrapping(placed: list, carries: dict, centred: set[int]) -> bool:
    """The line's new texts are all in columns printed centred, left of texts that each wrap
    on: a merged cell's name beside its rows' wrapped lines, which starts no row."""
    new = [span for seg, span in placed if carries[id(seg)] is None]
    going_on = [span for seg, span in placed if carries[id(seg)] is not None]
    return bool(new) and all(c0 == c1 and c0 in centred for c0, c1 in new) and all(
        c0 > max(c1 for _, c1 in new) for c0, _ in going_on)


def _heading_tail(placed: list, heading: set[int], lines: dict[int, list[Segment]], line: int,
                  columns: Columns) -> bool:
    """Right under the header row, a line of the heading's wrapped ends (一级 | 指标, 计量 | 单位
    broken where the heading was typed over two lines): each text stands under a heading in
    its column, one is the word 指标 alone, and it leaves empty a column the heading labels
    that the line under it fills, as that line fills every column the heading labels."""
    spans = [span for _, span in placed]
    if not spans or any(c0 != c1 or c0 not in heading for c0, c1 in spans):
        return False
    if not any(chars_to_text(list(seg.chars)) in _WORDS for seg, _ in placed):
        return False
    after = [ln for ln in lines if ln > line]
    if not after:
        return False
    below = {c for s in lines[min(after)] for c in range(columns.span(s)[0],
                                                        columns.span(s)[1] + 1)}
    return bool(heading - {c0 for c0, _ in spans}) and heading <= below


def _heading_cell(span: tuple[int, int], open_blocks: dict, header_line: int | None
                  ) -> Block | None:
    block = open_blocks.get(span)
    return block if block is not None and block.segments[0].line == header_line else None


def _repeated_header(lines: dict[int, list[Segment]], columns: Columns) -> int | None:
    """The first line, when it prints the table's header row again, text for text in its
    columns (a page continuing a table may repeat it)."""
    if not lines or not any(columns.header):
        return None
    first = min(lines)
    texts = [""] * len(columns.header)
    for seg, (c0, c1) in _one_per_column([(s, columns.span(s)) for s in
                                          sorted(lines[first], key=lambda s: s.x0)]):
        if c0 != c1 or c0 >= len(texts):
            return None
        texts[c0] = chars_to_text(list(seg.chars))
    return first if tuple(texts) == columns.header else None


def _one_per_column(placed: list) -> list:
    """Texts of one line standing in the same columns are one text: a word set with wide spaces
    between its characters (产 出 指 标), parted where its spaces are wider than a cell's gap."""
    out: list = []
    for seg, span in placed:
        if out and out[-1][1] == span:
            left = out[-1][0]
            seg = replace(left, x1=max(left.x1, seg.x1), top=min(left.top, seg.top),
                          bottom=max(left.bottom, seg.bottom), chars=left.chars + seg.chars)
            out[-1] = (seg, span)
        else:
            out.append((seg, span))
    return out


def _apart(placed: list) -> list:
    """Two texts of one line printed apart are two cells: where a text reaches into the column
    its right neighbour starts in (a label wider than its column, beside a sub-label), it
    gives that column up to the neighbour."""
    out = list(placed)
    for k in range(1, len(out)):
        (left, (a0, a1)), (_, (b0, _)) = out[k - 1], out[k]
        if a0 < b0 <= a1:
            out[k - 1] = (left, (a0, b0 - 1))
    return out


class Wrapping:
    """Whether a line continues the text above it in its column: set at wrapping distance; and,
    in a table set with no space between rows (where the next row is at wrapping distance too),
    only under a line that the next one's first character would not have fitted beside."""

    def __init__(
        self,
        segments: list[Segment],
        columns: Columns,
        header_line: int | None = None,
        everything: list[Segment] | None = None,
    ) -> None:
        # a page continuing a table may hold too few rows to tell: the page before tells
        self.tight = _set_tight(segments, columns, header_line) or (
            header_line is None and columns.tight)
        # the widest line of each span from the header row down, and above it for the spans
        # only a header block's labels and values take
        self.widths = _widths(segments, columns)
        for span, width in _widths(everything or [], columns).items():
            self.widths.setdefault(span, width)
        self.header_line = header_line
        self.starts: dict[int, list[float]] = {}  # line -> where its texts start
        for seg in everything or segments:
            self.starts.setdefault(seg.line, []).append(seg.x0)
        self.right = max((s.x1 for s in everything or segments), default=0.0)  # the table's
        # where the header block's texts start (above the header row)
        self.block_starts = [s.x0 for s in everything or segments
                             if header_line is not None and s.line < header_line]

    def continues(self, above: Segment, seg: Segment, span: tuple[int, int]) -> bool:
        if not 0 < seg.top - above.top <= WRAP_PITCH * seg.size:
            return False
        if _unclosed(above):
            return True  # a cell's text ends with its brackets closed: 指标（50 over 分）
        if _compares(above) and _compares(seg):
            return False  # two values each with its comparison: ≤20元/个 over ≤30元/平方米
        if self.tight and _quantity(above) and _quantity(seg):
            return False  # two amounts each with its unit: 350米 over 1200株
        # a line wraps where its text and the next word would not fit: wider than any line of
        # the column; above the header row, where a header block's few short labels and values
        # leave their columns' width unused, wider than the room up to the text beside it
        # less a character (the cells' margins)
        room = self.widths.get(span, 0.0)
        if self.header_line is not None and seg.line < self.header_line:
            # with nothing beside it, up to where a text of the block starts right of it on
            # another line, or the table's right edge (an amount under an amount, 5.00 |
            # 5.00, is two rows' values, not one wrapped); a label and its value printed in
            # one cell (the line starting in the first column), up to the table's right edge
            beside = [x0 for x0 in self.starts.get(above.line, []) if x0 > above.x1]
            further = [x0 for x0 in self.block_starts if x0 > above.x1 and span[0] > 0]
            edge = min(beside or further, default=self.right + seg.size)
            room = max(room, edge - above.x0 - seg.size)
        return not self.tight or above.x1 - above.x0 + _first_word(above, seg) > room + (
            0.02 * seg.size)  # rounding


_COMPARISONS = set("<>=≤≥＜＞＝≦≧")


def _compares(seg: Segment) -> bool:
    """The line starts with a comparison sign followed by a digit (≥95%, <=3000)."""
    text = "".join(ch["text"] for ch in seg.chars).lstrip()
    signs = len(text) - len(text.lstrip("".join(_COMPARISONS)))
    return 0 < signs < len(text) and text[signs].isdigit()


# a number and its unit, alone on a line (350米, 12.5万元, 100%); a date's parts (2024年 | 12月)
# are one value however they wrap
_QUANTITY = re.compile(r"\d[\d.,]*[^\d\s.,]{1,3}")
_DATE_UNITS = set("年月日")


def _quantity(seg: Segment) -> bool:
    """The line holds one number with its unit and nothing else, no date's part."""
    text = "".join(ch["text"] for ch in seg.chars).strip()
    return bool(_QUANTITY.fullmatch(text)) and not _DATE_UNITS & set(text)


def _unclosed(seg: Segment) -> bool:
    """A line holding an opening bracket it does not close: its text goes on under it (a
    full-width （５０ is as wide as CJK text but may be read, from a scan, half as wide)."""
    text = "".join(ch["text"] for ch in seg.chars)
    return sum(text.count(c) for c in "(（") > sum(text.count(c) for c in ")）")


def _widths(segments: list[Segment], columns: Columns) -> dict[tuple[int, int], float]:
    widths: dict[tuple[int, int], float] = {}
    for seg in segments:
        span = columns.span(seg)
        widths[span] = max(widths.get(span, 0.0), seg.x1 - seg.x0)
    return widths


# characters a line may not start with, and those it may not end with: a word is carried to
# the next line with them
_NO_LINE_START = set("、，。：；！？）》」』】〕”’,.:;!?)]}%％")
_NO_LINE_END = set("（《「『【〔“‘([{")
_UNIT_SLASH = set("/／")
# a straight quote, which may open or close, sticks to the characters on both sides of it (the
# Unicode line breaking rules break neither before nor after one)
_QUOTES = set("\"'")


def _first_word(above: Segment, seg: Segment) -> float:
    """The width of what a line starts with that could not have been set at the end of the
    line above: a Chinese character with the punctuation that sticks to it (no line starts
    with "、" or ends with "（"), or a run of Latin letters, digits and signs ("1250KVA",
    "(≥**%)", "<=3000"), with what a slash joins to it ("元/生/年"); a single character where
    the line above ends inside such a run (a word longer than the line is broken where the
    line is full)."""
    chars = seg.chars
    if not chars:
        return 0.0
    if above.chars and _latin(above.chars[-1]) and _latin(chars[0]):
        return chars[0]["x1"] - chars[0]["x0"]
    end = 0
    while end < len(chars) - 1 and chars[end]["text"] in _NO_LINE_END | _QUOTES:
        end += 1
    end += 1
    if _latin(chars[end - 1]) or _sign(chars[end - 1]):
        while end < len(chars) and (_latin(chars[end]) or _sign(chars[end])):
            end += 1
        if end < len(chars) and chars[end - 1]["text"].isdigit() and _ideograph(chars[end]):
            end += 1  # a number keeps the character counting it (31日, 80台) on its line
    while end < len(chars) and chars[end]["text"] in _NO_LINE_START:
        end += 1
    if chars[end - 1]["text"] in _NO_LINE_START:
        while end < len(chars) and _latin(chars[end]):
            end += 1  # 麦、300 is not broken after the mark either
    while end < len(chars) and chars[end]["text"] in _QUOTES:
        end = min(end + 2, len(chars))  # 项"按: no line breaks before or after a straight quote
    while end + 1 < len(chars) and chars[end]["text"] in _UNIT_SLASH:
        end += 2  # 元/生/年: a unit's parts are not set apart at its slashes
    # a Latin word (or its bracket) after a Chinese character is set apart by a quarter em (the
    # space Word and LibreOffice put between Asian and Latin text)
    autospace = 0.25 * seg.size if above.chars and _ideograph(above.chars[-1]) and (
        _latin(chars[0]) or chars[0]["text"] in "([{") else 0.0
    return chars[end - 1]["x1"] - chars[0]["x0"] + autospace


def _ideograph(ch: dict) -> bool:
    return "\u4e00" <= ch["text"] <= "\u9fff"


def _latin(ch: dict) -> bool:
    return ch["text"].isascii() and ch["text"].isalnum()


def _sign(ch: dict) -> bool:
    """A sign set with Latin text, not with Chinese (<, ≥, *, %, a bracket, a point)."""
    text = ch["text"]
    return bool(text.strip()) and not text.isalnum() and ord(text[0]) < 0x2E80


def _set_tight(segments: list[Segment], columns: Columns, header_line: int | None) -> bool:
    """Rows follow each other at wrapping distance: the lines that fill (nearly) the most
    columns, which start rows, stand no further below the text above them in their columns
    than a wrapped line does below the line it continues."""
    above: dict[int, Segment] = {}
    steps: dict[int, list[float]] = {}  # line -> its segments' distances to the text above
    for seg in sorted(segments, key=lambda s: (s.line, s.x0)):
        span = columns.span(seg)
        for c in range(span[0], span[1] + 1):
            if c in above:
                steps.setdefault(seg.line, []).append(seg.top - above[c].top)
            above[c] = seg
    if not steps:
        return False
    pitch = min(min(found) for found in steps.values())
    counts: dict[int, int] = {}
    for seg in segments:
        counts[seg.line] = counts.get(seg.line, 0) + 1
    # the header row labels every column, the rows under it may leave merged ones empty
    most = max((n for line, n in counts.items() if line != header_line), default=0)
    full = [min(found) for line, found in steps.items() if counts[line] >= 0.75 * most]
    size = median(s.size for s in segments)
    return pitch <= WRAP_PITCH * size and bool(full) and median(full) <= 1.2 * pitch


def _dense_columns(
    segments: list[Segment], columns: Columns, share: float = 0.5, wraps: Wrapping | None = None
) -> set[int]:
    """The columns filled in most rows: those starting new text at least `share` as often as
    the column that starts it most."""
    wraps = wraps or Wrapping(segments, columns)
    starts: dict[int, int] = {}
    last: dict[int, Segment] = {}
    for seg in sorted(segments, key=lambda s: (s.line, s.x0)):
        c0, c1 = columns.span(seg)
        if c0 != c1:
            continue
        before = last.get(c0)
        if before is None or not wraps.continues(before, seg, (c0, c1)):
            starts[c0] = starts.get(c0, 0) + 1
        last[c0] = seg
    most = max(starts.values(), default=0)
    return {c for c, n in starts.items() if n >= share * most}


def _centred_values(
    placed: list, carries: dict, open_blocks: dict, label_line: int,
    lines: dict[int, list[Segment]], columns: Columns,
) -> list[tuple[Segment, Block]]:
    """The texts beside a label's line that go on with a value printed centred on it, with
    that value's cell. The value's first line, above the label, need not be full: it is set
    so the value stands centred, not where the column ran out of room; but then it stands
    alone on its lines above the label's (an amount beside another, over the next label's
    line, is a value of its own)."""
    out = []
    for seg, span in placed[1:]:
        near = carries[id(seg)] or _just_above(seg, span, open_blocks)
        if near is None or (carries[id(seg)] is None and any(
                len(lines[s.line]) > 1 for s in near.segments)):
            continue
        if _centred_beside(seg, near, label_line, lines, columns):
            out.append((seg, near))
    return out


def _just_above(seg: Segment, span: tuple[int, int], open_blocks: dict) -> Block | None:
    """The cell of this segment's columns whose last line stands at wrapping distance above
    it, full or not."""
    return _open_block(span, open_blocks,
                       lambda last, _: 0 < seg.top - last.top <= WRAP_PITCH * seg.size)


def _carried(
    seg: Segment, span: tuple[int, int], open_blocks: dict, wraps: Wrapping
) -> Block | None:
    """The cell this segment would continue: the last one of its columns, its last line
    wrapping onto this one, unless the segment begins an item of its own (under a heading
    cell, a sub-heading is told elsewhere)."""
    block = _open_block(span, open_blocks, lambda last, cols: wraps.continues(last, seg, cols))
    heading = wraps.header_line is not None and block is not None and (
        block.segments[0].line <= wraps.header_line)
    return None if block is not None and not heading and _next_item(block, seg) else block


# a list's number at a text's start: 1、 1. 1． (1) （1） ① …
_ITEM_NUMBER = re.compile(r"^\s*(?:(\d{1,2})([、.．])(?!\d)|[(（](\d{1,2})[)）]|([①-⑳]))")


def _item_number(text: str) -> tuple[int, str] | None:
    """A list item's number and the style it is written in, at the start of `text`."""
    m = _ITEM_NUMBER.match(text)
    if m is None:
        return None
    if m.group(4):
        return ord(m.group(4)) - ord("①") + 1, "circled"
    if m.group(3):
        return int(m.group(3)), "bracketed"
    return int(m.group(1)), m.group(2)


def _next_item(block: Block, seg: Segment) -> bool:
    """`seg` begins the next item of a list the cell began (1、… over 2、…, ① over ②), or
    names a level of its own under a cell that ended with one (数量指标 over 质量指标:
    a level's name ends with the word 指标, and so does the next level's): a new cell, though
    it stands where the cell's text would wrap on, in rows set tight."""
    text = chars_to_text(list(seg.chars)).strip()
    above = chars_to_text(list(block.segments[-1].chars)).strip()
    if text.endswith(_WORDS) and above.endswith(_WORDS) and len(text) > max(map(len, _WORDS)):
        return True
    first = _item_number(chars_to_text(list(block.segments[0].chars)))
    this = _item_number(text)
    return first is not None and this is not None and this[1] == first[1] and this[0] > first[0]


def _open_block(span: tuple[int, int], open_blocks: dict, follows) -> Block | None:
    """The first open cell over `span`'s columns whose last line `follows(last, columns)`
    holds of."""
    for (c0, c1), block in open_blocks.items():
        if c0 <= span[0] and span[1] <= c1 and follows(block.segments[-1], (c0, c1)):
            return block
    return None


def _starts_row(placed: list, carries: dict, dense: set[int], heading: set) -> bool:
    in_dense = [(seg, span) for seg, span in placed if _touches(span, dense)]
    done = [seg for seg, _ in placed
            if carries[id(seg)] is not None and _heading_done(carries[id(seg)], seg, heading)]
    if any(carries[id(seg)] is None for seg, _ in in_dense) or len(done) >= 2:
        return True
    # three columns or more all wrapping onto one more line is rarer than a row set tight;
    # but a column where the line ends a word the line above broke wraps for certain, and the
    # body's texts beside it are read as wrapping too, in doubt
    filled = {c0 for _, (c0, c1) in in_dense if c0 == c1}
    # the columns left of the line's first text hold merged levels, empty on a row's lines; a
    # column printing what another does (a midterm target beside the year's) counts once
    wanted = {c for c in dense if c >= min(filled, default=0)}
    texts = {chars_to_text(list(seg.chars)) for seg, _ in in_dense}
    if not (len(wanted) >= MIN_COLUMNS and wanted <= filled and len(texts) >= MIN_COLUMNS):
        return False
    tails = [seg for seg, _ in in_dense if _ends_word(carries[id(seg)], seg)]
    for seg, _ in in_dense if tails else ():
        block = carries[id(seg)]
        if all(seg is not tail for tail in tails) and block.segments[0].line not in heading:
            block.doubt = _TIGHT_DOUBT
    return not tails


def _heading_done(block: Block, seg: Segment, heading: set) -> bool:
    """Under a heading, a text ending with the word every level's name ends with (产出指标) is
    a name of its own, not the heading's wrapped tail, which is the word alone (一级 | 指标)
    or no level's name (一级指标 | 名称). Two such under the header row say its line starts
    the first row, though a label printed down the side wraps onto it."""
    text = chars_to_text(list(seg.chars))
    return (block.segments[0].line in heading and text.endswith(_WORDS)
            and len(text) > max(map(len, _WORDS)))


def _starts_label(placed: list, carries: dict, lines: dict[int, list[Segment]]) -> bool:
    """Above the header row, a line whose first text starts a new cell in the first column
    starts a row of the header block: a label, beside which nothing continues a value of the
    row above (a value may fill its cell's width, so it would read as wrapping onto the
    next row's value where the rows are set as close as wrapped lines). So does a first text
    that could continue a line printed alone (a title) when a new cell opens beside it, or
    the text beside it could continue the same line: a label's value starts on the label's
    first line, never on its wrapped tail."""
    seg, span = placed[0]
    if span[0] != 0:
        return False
    block = carries[id(seg)]
    if block is None:
        return True
    alone = len(lines[block.segments[-1].line]) == 1
    # a cell's wrapped line is one run of text: two beside each other are two cells
    beside = [carries[id(s)] for s, _ in placed[1:]]
    if alone:
        return any(b is None or b is block for b in beside)
    # a label on one line with its value beside it, filling its cell: what stands under it
    # with new cells only beside it is the next label (a label's value starts on its first
    # line); a label beside a sub-label and its amount may wrap beside the next ones
    return (len(block.segments) == 1 and len(lines[block.segments[0].line]) == 2
            and not _unclosed(block.segments[0]) and bool(beside)
            and all(b is None for b in beside))


def _centred_beside(
    seg: Segment, block: Block | None, label_line: int, lines: dict[int, list[Segment]],
    columns: Columns,
) -> bool:
    """A value beside a label, printed centred on the label's line: `seg` goes on with a value
    begun below the label above, on a line with nothing in the first column, and the value
    goes on under the label's line, within the header block (`lines`), for about as many
    lines as it began above it (a value wrapped over three lines starts a line above its
    label and ends a line below it). The label's line does not cut such a value."""
    if block is None or block.c0 == 0:
        return False
    first = block.segments[0].line
    if first <= label_line or any(columns.span(s)[0] == 0 for s in lines[first]):
        return False
    above = len({s.line for s in block.segments})
    below, last = 0, seg
    for line in sorted(k for k in lines if k > seg.line):
        under = [s for s in lines[line] if block.c0 <= columns.span(s)[0] <= block.c1
                 and 0 < s.top - last.top <= WRAP_PITCH * s.size]
        if not under or below >= above:
            break
        below, last = below + 1, under[0]
    return below >= above - 1


def _centred_tail(
    seg: Segment, span: tuple[int, int], open_blocks: dict, centred: dict[int, int]
) -> Block | None:
    """The value printed centred beside its label (`centred`: its label's line) this segment
    goes on with: set at wrapping distance under it, while the value has fewer lines below its
    label's line than above it. Its last line may be as short as one character, which would
    have fitted on the line above: where a value is centred, that tells it from a new cell."""
    for (c0, c1), block in open_blocks.items():
        middle = centred.get(id(block))
        if middle is None or not (c0 <= span[0] and span[1] <= c1):
            continue
        above = sum(s.line < middle for s in block.segments)
        below = sum(s.line > middle for s in block.segments)
        if below < above and 0 < seg.top - block.segments[-1].top <= WRAP_PITCH * seg.size:
            return block
    return None


def _mark_tails(placed: list, carries: dict, cut: set[int], heading: set) -> None:
    """On a line starting a row, the cells going on with the end of a word only (Block.tail)."""
    for seg, _ in placed:
        if id(seg) not in cut and (going_on := carries[id(seg)]) is not None:
            going_on.tail = _ends_word(going_on, seg, heading) or _closes(going_on, seg, heading)


def _under_labels(placed: list, carries: dict, lines: dict[int, list[Segment]]) -> bool:
    """Above the header row, a line of two texts or more right of the first column, each
    starting where a one-line text of the line above starts that left room beside it for
    more: amounts under their labels (项目总金额 | 其中：财政资金 over 20 | 20), a row of their
    own, not the labels' wrapped ends (a value wrapped fills its line up to the next label)."""
    values = [(seg, carries[id(seg)]) for seg, (c0, _) in placed if c0 > 0]
    return len(values) >= 2 and all(
        block is not None and len(block.segments) == 1
        and abs(block.segments[0].x0 - seg.x0) < 0.5 * seg.size
        and _room_beside(block.segments[0], lines) >= 2 * seg.size
        for seg, block in values
    )


def _room_beside(seg: Segment, lines: dict[int, list[Segment]]) -> float:
    """The white space between a text and the next one on its line (none: unbounded)."""
    right = [s.x0 for s in lines[seg.line] if s.x0 > seg.x1]
    return min(right) - seg.x1 if right else float("inf")


def _starts_again(placed: list, carries: dict, row_cols: set[int]) -> bool:
    """A line starting new text in a column where the row being read has started a cell
    already starts a row: one row holds one cell a column (a short 定性 | ≧85% under the
    same of the row above, beside a name that wraps on, is the next row's)."""
    return any(carries[id(seg)] is None and not row_cols.isdisjoint(range(c0, c1 + 1))
               for seg, (c0, c1) in placed)


def _filled(placed: list) -> set[int]:
    return {c for _, (c0, c1) in placed for c in range(c0, c1 + 1)}


def _second_heading_cuts(placed: list, carries: dict, heading: set[int] | None) -> set[int] | None:
    """Right under the header row, a line whose new texts all stand in columns the header row
    left empty is the heading's second row (一级指标 | 二级指标 under a 绩效指标 printed over
    them, 符号 | 数值 | 单位 under 指标值): the header row's texts wrapped onto it go on, but a
    text under a heading printed over the empty columns right of it is a sub-heading. The
    segments starting a cell there though they could continue one (by id); None for another
    line."""
    if heading is None:
        return None
    new = _filled([(seg, span) for seg, span in placed if carries[id(seg)] is None])
    if not new or new & heading:
        return None
    return {id(seg) for seg, (_, c1) in placed if c1 + 1 in new}


def _row_cuts(placed: list, carries: dict, dense: set[int], heading: set) -> set[int]:
    """The segments of a line starting a row that start a cell though they could continue one
    (by id); never the end of the word 指标 the line above broke (可持续影响指 | 标), nor the
    end of a bracket the line above left open (效益指标（20 | 分）)."""
    return {id(seg) for seg, span in placed
            if carries[id(seg)] is not None
            and not _ends_word(carries[id(seg)], seg)
            and not _closes(carries[id(seg)], seg, heading)
            and _cut_by_row(carries[id(seg)], span, dense, heading)}


def _closes(block: Block, seg: Segment, heading: set) -> bool:
    """`seg` closes the bracket the cell's last line left open (not in the heading's cells)."""
    text = chars_to_text(list(seg.chars))
    return (block.segments[0].line not in heading and _unclosed(block.segments[-1])
            and any(c in text for c in ")）"))


# the word every level name and heading ends with: its second half, or the word itself, is
# never a cell of its own
_WORD_BREAKS = (("指", "标"), ("指", "標"))
_WORDS = ("指标", "指標")
_HYPHENS = set("-‐–—~～")
_TIGHT_DOUBT = ("rows set as close as wrapped lines: texts read as wrapping on, beside a cell "
                "that goes on for certain, may start the next row; check against the page")


def _ends_word(block: Block, seg: Segment, heading: frozenset | set = frozenset()) -> bool:
    """`seg` begins with the rest of a word the cell's last line ends with, or is that word
    alone, or the cell's last line ends with a hyphen (2019年1月- | 2019年12月: a range or a
    word broken at its hyphen); if the cell is one of the heading's (`heading`: the lines they
    start on), not on the line the first row starts on, only ever in the heading."""
    if block.segments[0].line in heading:
        return False
    first = chars_to_text(list(seg.chars))
    above = block.segments[-1]
    last = above.chars[-1]["text"] if above.chars else ""
    return (first in _WORDS or last in _HYPHENS
            or any(last == a and first.startswith(b) for a, b in _WORD_BREAKS))


def _cut_by_row(block: Block, span: tuple[int, int], dense: set[int], heading: set) -> bool:
    """Whether a line starting a row starts a new cell in `span` rather than continuing
    `block`: in the columns filled in most rows, and in every column right of the first of
    them (a merged cell of a hierarchy stands left of the rows it groups; a short value under
    a short heading looks like that heading's wrapped tail); and under the heading's rows
    (their lines: `heading`), whose cells end where the first row starts."""
    first = min(dense, default=span[0])
    return _touches(span, dense) or span[0] > first or block.segments[0].line in heading


def _touches(span: tuple[int, int], columns: set[int]) -> bool:
    return any(span[0] <= c <= span[1] for c in columns)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


# -- blocks -> rows ---------------------------------------------------------------------------


def blocks_to_bands(
    blocks: list[Block], columns: Columns, header_line: int | None = None
) -> list[tuple[float, float]]:
    """Rows as vertical bands: the extents of the cells in the columns filled in (nearly) every
    row, overlapping ones merged; a header row's cell counts its first line only (a heading
    wrapped onto the line below may stand beside a heading's second row). A cell elsewhere
    that overlaps no band is a row of its own when it stands above or below them all, or in a
    space between two bands that has room for a row; in a space no wider than between two rows
    it is a merged cell centred over both."""
    dense = _dense_columns([s for b in blocks for s in b.segments], columns, MAIN_SHARE)
    main = [b for b in blocks if _touches((b.c0, b.c1), dense)] or blocks
    bands = _merge_extents([
        (b.top, b.segments[0].bottom) if b.segments[0].line == header_line else b.extent
        for b in main
    ])
    gaps = [b[0] - a[1] for a, b in pairwise(bands)]
    least = min(gaps, default=0.0)
    lone = [
        (b.top, b.bottom)
        for b in blocks
        if b not in main and _own_row(b, bands, 1.5 * least + b.bottom - b.top)
    ]
    bands = _merge_extents(bands + lone) if lone else bands
    if header_line is None:
        return bands
    return _split_stacked(bands, [b for b in blocks if b.segments[-1].line < header_line])


def _split_stacked(
    bands: list[tuple[float, float]], blocks: list[Block]
) -> list[tuple[float, float]]:
    """Bands of the header block parted where two columns or more each hold two cells stacked
    at the same height: one row holds one cell a column (a label wrapped over two lines beside
    a sub-label and its amount on each, 年度总额 | 5 over 其中：财政 | 5, covers two rows, as a
    ruled table merges it). Two cells stacked in one column alone may be one value read in two
    pieces (a value wrapped round the label centred beside it), and do not part the band."""
    out = []
    for top, bottom in bands:
        by_span: dict[tuple[int, int], list[Block]] = {}
        for b in sorted(blocks, key=lambda b: b.top):
            if top <= b.top and b.bottom <= bottom:
                by_span.setdefault((b.c0, b.c1), []).append(b)
        stacked = {span: [(a.bottom, b.top) for a, b in pairwise(stack) if a.bottom <= b.top]
                   for span, stack in by_span.items()}
        gaps = sorted(
            (max(lo, other_lo), min(hi, other_hi))
            for span, own in stacked.items() for lo, hi in own
            for other, theirs in stacked.items() if other != span
            for other_lo, other_hi in theirs
            if max(lo, other_lo) <= min(hi, other_hi)
        )
        for lo, hi in gaps:
            if top < lo:
                out.append((top, lo))
                top = hi
        out.append((top, bottom))
    return out


def _own_row(block: Block, bands: list[tuple[float, float]], room: float) -> bool:
    if any(block.top < bottom and block.bottom > top for top, bottom in bands):
        return False
    above = [bottom for _, bottom in bands if bottom <= block.top]
    below = [top for top, _ in bands if top >= block.bottom]
    return not above or not below or min(below) - max(above) >= room


def _merge_extents(extents: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[list[float]] = []
    for top, bottom in sorted(extents):
        if merged and top < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], bottom)
        else:
            merged.append([top, bottom])
    return [(t, b) for t, b in merged]


def place_blocks(blocks: list[Block], bands: list[tuple[float, float]]) -> None:
    """Each cell's rows: the bands its text overlaps; a cell in the space between two bands
    covers both."""
    for block in blocks:
        hit = [i for i, (t, b) in enumerate(bands) if block.top < b and block.bottom > t]
        if not hit:
            below = [i for i, (t, _) in enumerate(bands) if t >= block.bottom]
            after = below[0] if below else len(bands) - 1
            hit = [max(0, after - 1), after]
        block.r0, block.r1 = hit[0], hit[-1]


def _header_band(blocks: list[Block], header_line: int | None, n_cols: int) -> int:
    """The header row: from the row the columns were found under, the first with a cell of its
    own in every column (-1 on a continuation page, which has none)."""
    if header_line is None:
        return -1
    start = next(b.r0 for b in blocks if any(s.line == header_line for s in b.segments))
    rows: dict[int, set[int]] = {}
    for b in blocks:
        if b.c0 == b.c1 and b.r0 >= start:
            rows.setdefault(b.r0, set()).add(b.c0)
    return next((r for r in sorted(rows) if len(rows[r]) == n_cols), start)


def _two_row_heading(blocks: list[Block], header_line: int | None, header: int,
                     n_rows: int) -> int:
    """The heading's last row: the header row, or the row under it where the heading is
    printed on two rows. A heading on two rows fills no row in every column, so its rows are
    sought from the header line's row down to the first full row."""
    if header_line is None or header < 0:
        return header
    start = next(b.r0 for b in blocks if any(s.line == header_line for s in b.segments))
    for top in range(start, header + 1):
        if extend_heading(blocks, top, n_rows):
            return top + 1
    return header


def extend_heading(blocks: list[Block], header: int, n_rows: int) -> bool:
    """A heading printed on two rows, as the ruled reader sees it: the row under the header row
    is its second row when each of its texts stands in a column the header row leaves empty,
    or just left of such a column (under a heading printed over the columns right of it). A
    heading with nothing under it then covers both rows, and one with sub-headings under the
    empty columns right of it covers those columns. Whether it was one."""
    if header + 1 >= n_rows:
        return False
    top = {b.c0: b for b in blocks if b.r0 == header and b.c0 == b.c1}
    second = {b.c0: b for b in blocks if b.r0 == b.r1 == header + 1 and b.c0 == b.c1}
    if len(second) != sum(b.r0 == header + 1 for b in blocks):
        return False
    opened = {c for c in second if c not in top}
    if not opened or any(c not in opened and c + 1 not in opened for c in second):
        return False
    for c, block in top.items():
        if c not in second:
            block.r1 = max(block.r1, header + 1)
            continue
        while block.c1 + 1 in opened:
            block.c1 += 1
    return True


def extend_merged(
    blocks: list[Block], bands: list, n_cols: int, header: int, continued: bool = False
) -> None:
    """Merged cells of the leading columns that some rows leave empty (a hierarchy: each new
    cell of such a column starts a new cell in the next one). A cell printed at the top of its
    first row covers the rows down to the next cell of its column; one printed vertically
    centred covers the rows it is centred on. None reaches into a row printed across the
    table from its left edge (a note at its foot, as wide as its words: three columns or
    more, where a level's name over its 一级 and 二级 takes two)."""
    across = [b.r0 for b in blocks
              if b.c0 == 0 and b.c1 + 1 >= min(MIN_COLUMNS, n_cols) and b.r0 > header]
    body = range(header + 1, min(across, default=len(bands)))
    above: set[int] = set()
    centred = _some_centred(blocks, bands, n_cols, body)
    for col in range(n_cols - 1):
        cells = _column_cells(blocks, col, body)
        starts = {b.r0 for b in cells}
        covered = {r for b in blocks if b.c0 <= col <= b.c1 for r in range(b.r0, b.r1 + 1)}
        if all(r in covered for r in body) or not above <= starts:
            return
        if continued:
            blocks.extend(_cut_by_break(cells, col, body))
        elif not cells:
            continue  # a column that holds a heading only (a label printed down the side)
        elif cells[0].r0 > body.start:  # the first rows left blank: doubted, as they are read
            blocks.append(Block([], col, col, body.start, cells[0].r0 - 1, _BLANK_HEAD_DOUBT))
        # a column left blank above its first text, where another prints its texts centred,
        # is centred too: that text stands on its middle row's first line by chance
        if _top_aligned(cells, bands) and not (centred and cells and cells[0].r0 > body.start):
            _extend_down(cells, body.stop)
            above = starts
        else:  # centred texts of nested cells start in different rows
            _extend_centred(cells, bands, body)
            above = set()


_BLANK_HEAD_DOUBT = ("a merged column left blank on the first rows under the heading: a name "
                     "printed vertically centred below them may cover them too; check against "
                     "the page")


def doubt_lone_levels(blocks: list[Block], header: int, n_rows: int) -> None:
    """In a hierarchy of merged columns (the next column starts a cell on every row this one
    does, and leaves some rows to merged cells), a cell of this one with nothing starting
    beside it may be printed across both (满意度指标 as its 一级 and 二级 at once) or leave
    the next one blank: with no rules drawn the two read the same, so it is in doubt."""
    starts: dict[int, set[int]] = {}
    for b in blocks:
        if b.c0 == b.c1 and b.r0 > header and b.segments:
            starts.setdefault(b.c0, set()).add(b.r0)
    body = set(range(header + 1, n_rows))
    for b in blocks:
        if b.c0 != b.c1 or b.r0 <= header or not b.segments:
            continue
        beside = starts.get(b.c0 + 1, set())
        others = starts[b.c0] - {b.r0}
        # the next column is merged: it leaves two rows or more besides this one to cells
        # above them
        merged = len(body - beside - {b.r0}) >= 2
        if merged and others and others <= beside and b.r0 not in beside:
            b.doubt = b.doubt or _LONE_LEVEL_DOUBT


_LONE_LEVEL_DOUBT = ("a label of a merged column with nothing beside it in the next one: it may "
                     "be printed across both or leave the next blank; check against the page")


def extend_labels(blocks: list[Block], header: int) -> None:
    """Above the header row, a row holding one text, set where the value of the row above
    starts, with no label of its own, is that value's next paragraph (年度目标 over its aims, a
    line each, where rows are set as close as wrapped lines): the label beside the value
    covers it too, as a label merged down over its value's rows."""
    for r in range(1, max(header, 0)):
        row = [b for b in blocks if b.r0 == r]
        if len(row) != 1 or row[0].c0 == 0 or not row[0].segments:
            continue
        text = row[0].segments[0]
        label = next((b for b in blocks if b.c0 == 0 and b.r1 == r - 1), None)
        value = next((b for b in blocks if b.r1 == r - 1 and b.c0 == row[0].c0
                      and b.segments and abs(b.segments[0].x0 - text.x0) < 0.5 * text.size), None)
        if label is not None and value is not None and label is not value:
            label.r1 = r


def _cut_by_break(cells: list[Block], col: int, body: range) -> list[Block]:
    """On a page continuing a table, the rows above a merged column's first text are the rest
    of a cell the page break cut: one empty cell, which stitching fills from the other side."""
    end = cells[0].r0 if cells else body.stop
    return [Block([], col, col, body.start, end - 1)] if end > body.start else []


def _column_cells(blocks: list[Block], col: int, body: range) -> list[Block]:
    return sorted((b for b in blocks if b.c0 == col == b.c1 and b.r0 in body and b.segments),
                  key=lambda b: b.r0)


def _some_centred(blocks: list[Block], bands: list, n_cols: int, body: range) -> bool:
    """A merged column, or the first with a text on every row right of them, holds a text
    printed vertically centred: one that does not start where its row does."""
    for col in range(n_cols - 1):
        cells = _column_cells(blocks, col, body)
        if cells and not _top_aligned(cells, bands):
            return True
        if {b.r0 for b in cells} >= set(body):
            return False
    return False


def _top_aligned(cells: list[Block], bands: list) -> bool:
    """Every text starts where its row does (rows above the first stay empty: a table printed
    from part of a form leaves them so)."""
    return all(abs(b.top - bands[b.r0][0]) <= 0.3 * b.segments[0].size for b in cells)


def _extend_down(cells: list[Block], n_rows: int) -> None:
    for block, nxt in zip(cells, [*cells[1:], None], strict=False):
        block.r1 = max(block.r1, (nxt.r0 if nxt else n_rows) - 1)


def _extend_centred(cells: list[Block], bands: list, body: range) -> None:
    start = body.start
    for k, block in enumerate(cells):
        limit = cells[k + 1].r0 - 1 if k + 1 < len(cells) else body.stop - 1
        first = min(start, block.r0)
        best = min(
            range(block.r1, max(block.r1, limit) + 1),
            key=lambda end: abs((bands[first][0] + bands[end][1]) / 2 - block.middle),
        )
        block.r0, block.r1 = first, best
        start = best + 1


# -- blocks -> cell boxes ---------------------------------------------------------------------


def _row_edges(bands: list[tuple[float, float]], inside: list[Segment]) -> list[float]:
    pad = 0.5 * median(s.size for s in inside)
    middles = [(a[1] + b[0]) / 2 for a, b in pairwise(bands)]
    return [bands[0][0] - pad, *middles, bands[-1][1] + pad]


def cells_to_boxes(
    blocks: list[Block], columns: Columns, row_edges: list[float], n_rows: int
) -> list[CellBox]:
    """A rectangle per cell on the inferred grid, and an empty one for every slot no text
    covers, as the ruled reader gives them. Two texts that land in one slot are one cell."""
    owner: dict[tuple[int, int], Block] = {}
    cells: list[Block] = []
    for block in blocks:
        slots = _slots(block)
        taken = next((owner[s] for s in slots if s in owner), None)
        if taken is not None:
            if taken.segments and block.segments:
                taken.doubt = taken.doubt or _ONE_SLOT_DOUBT
            taken.segments.extend(block.segments)
            taken.r1, taken.c1 = max(taken.r1, block.r1), max(taken.c1, block.c1)
            block = taken
        else:
            cells.append(block)
        for s in _slots(block):
            owner.setdefault(s, block)
    n_cols = len(columns.edges) - 1
    boxes = [_box(b, columns, row_edges) for b in cells]
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) not in owner:
                empty = Block([], c, c, r, r)
                boxes.append(CellBox(_rect(empty, columns, row_edges), ""))
    return boxes


_ONE_SLOT_DOUBT = ("two texts of one column read as one cell (each placed on the same row): rows "
                   "may be joined; check against the page")


def _box(block: Block, columns: Columns, row_edges: list[float]) -> CellBox:
    """The cell's rectangle and text, and how far in from the column's edge its text starts
    (tree tables tell a row's depth by it)."""
    rect = _rect(block, columns, row_edges)
    chars = [ch for s in block.segments for ch in s.chars]
    return CellBox(rect, _text(block), indent=text_indent(rect, chars), doubt=block.doubt)


def _slots(block: Block) -> list[tuple[int, int]]:
    return [(r, c) for r in range(block.r0, block.r1 + 1) for c in range(block.c0, block.c1 + 1)]


def _rect(block: Block, columns: Columns, row_edges: list[float]) -> BBox:
    return (
        columns.edges[block.c0],
        row_edges[block.r0],
        columns.edges[block.c1 + 1],
        row_edges[block.r1 + 1],
    )


def _text(block: Block) -> str:
    """The cell's lines joined as a wrapped cell's are, but a number the line broke in
    (2020.12.3 | 1: a line starting with a digit under a line ending with one) joined whole."""
    by_line: dict[int, list[dict]] = {}
    for seg in sorted(block.segments, key=lambda s: (s.line, s.x0)):
        by_line.setdefault(seg.line, []).extend(seg.chars)
    lines: list[str] = []
    for chars in by_line.values():
        line = chars_to_text(chars)
        if lines and lines[-1][-1:].isdigit() and line[:1].isdigit():
            lines[-1] += line
        else:
            lines.append(line)
    return cell_lines_text(lines)


def _text_lines(segments: list[Segment], page_no: int) -> list[TextLine]:
    lines: dict[int, list[Segment]] = {}
    for seg in segments:
        lines.setdefault(seg.line, []).append(seg)
    out = []
    for line in sorted(lines):
        segs = sorted(lines[line], key=lambda s: s.x0)
        text = " ".join(chars_to_text(list(s.chars)) for s in segs)
        box = (segs[0].x0, min(s.top for s in segs), segs[-1].x1, max(s.bottom for s in segs))
        out.append(TextLine(text, cell_locator(page_no, box), page_no))
    return out
