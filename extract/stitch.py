"""Table parts -> logical tables: a table continued on the next page is stitched to its start.

Stitching works from geometry alone (column edges, page order, what is printed between parts);
it knows nothing of indicators. What it repairs is recorded on the grid:
- a repeated header row at the top of a continuation is dropped;
- a vertically merged cell cut by the page break carries its text into the part on the other side;
- a printed row that only continues a cell of the row above (no ruling line between them, no
  text of its own) is joined to it (wrapped_rows.py).
A single row whose wrapped text the break splits is left as two rows marked by a seam; joining
them needs the form's vocabulary and happens in normalize.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator

from .grid import Cell, Grid, fill_spans
from .records import TablePart, cell_locator
from .wrapped_rows import join_wrapped_rows

EDGE_TOLERANCE = 2.5  # points: ruling lines of one column drawn on two pages differ by rounding
# a scanned page: its table may stand shifted, and a photographed one scaled, against the page
# before; its column edges fall on the previous page's within this share of the table's width
SCAN_EDGE_SHARE = 0.01
SCAN_SCALE_SLACK = 0.05  # a scanned page: a scanner or a copier's zoom
# a photographed sheet made rectangular at the photo's scale: the camera held nearer or further
# than for the page before, by up to a quarter
PHOTO_SCALE_SLACK = 0.25
_PAGE_FURNITURE = re.compile(r"^[\s\-—–第页共/]*\d+[\s\-—–第页共/\d]*$")
# a mark printed over a table's continuation: 续表, （续）, in Traditional characters too
_CONTINUATION_MARK = re.compile(r"^\s*([续續]表.{0,12}|[（(][续續][表上]?[)）])\s*$")


def parts_to_grids(parts: Iterable[TablePart], source: str) -> list[Grid]:
    """The grids of parts in reading order."""
    return list(grids_of_parts(parts, source))


def grids_of_parts(parts: Iterable[TablePart], source: str) -> Iterator[Grid]:
    """The grids of parts in reading order, each made once the next part starts another
    table: parts read as they come (pdf_reader.PdfParts) are let go table by table."""
    return (group_to_grid(group, source) for group in group_continuations(parts))


def group_continuations(parts: Iterable[TablePart]) -> Iterator[list[TablePart]]:
    """The parts of each table, handed on once the next part starts another table."""
    group: list[TablePart] = []
    for part in parts:
        if group and continues(group, part):
            group.append(part)
            continue
        if group and (moved := scanned_continuation(group, part)) is not None:
            group.append(moved)
            continue
        if group:
            yield group
        group = [part]
    if group:
        yield group


def continues(group: list[TablePart], part: TablePart) -> bool:
    """A part continues the group when it opens the next page, nothing but page furniture was
    printed in between, and its column edges are the group's."""
    if not _opens_next_page(group[-1], part):
        return False
    edges = _table_edges(group)
    own = _cluster([x for c in part.cells for x in (c.bbox[0], c.bbox[2])])
    return all(min(abs(x - e) for e in edges) <= EDGE_TOLERANCE for x in own)


def _opens_next_page(last: TablePart, part: TablePart) -> bool:
    """The part opens the page after `last`'s, with nothing but page furniture or a
    continuation mark printed before it."""
    return part.page == last.page + 1 and all(
        _PAGE_FURNITURE.match(line.text) or _CONTINUATION_MARK.match(line.text)
        for line in part.lines_before
    )


def scanned_continuation(group: list[TablePart], part: TablePart) -> TablePart | None:
    """A part read from a page's picture that continues the group once its columns are moved
    and scaled onto the group's: a page lies shifted on the scanner's glass, a photographed
    sheet is made rectangular at a scale of its own. The outer edges of the two tables are
    paired and every column edge between them must then fall on one of the group's, within
    SCAN_EDGE_SHARE of the table's width. The part comes back with the move (`x_to_table`);
    its boxes and locators stay in its own page's frame."""
    last = group[-1]
    if "ocr" not in part.extractor or "ocr" not in last.extractor:
        return None
    if not _opens_next_page(last, part):
        return None
    edges = _table_edges(group)
    own = _cluster([x for c in part.cells for x in (c.bbox[0], c.bbox[2])])
    if len(own) < 2 or len(edges) < 2:
        return None
    scale = (edges[-1] - edges[0]) / (own[-1] - own[0])
    photo = part.photographed or any(p.photographed for p in group)
    if abs(scale - 1.0) > (PHOTO_SCALE_SLACK if photo else SCAN_SCALE_SLACK):
        return None
    moved = [edges[0] + (x - own[0]) * scale for x in own]
    tolerance = max(EDGE_TOLERANCE, SCAN_EDGE_SHARE * (edges[-1] - edges[0]))
    if any(min(abs(x - e) for e in edges) > tolerance for x in moved):
        return None

    offset = edges[0] - own[0] * scale
    return dataclasses.replace(part, x_to_table=(offset, scale))


def _table_edges(group: list[TablePart]) -> list[float]:
    """The column edges of a table's parts, in its first part's frame."""
    return _cluster([p.table_x(x) for p in group for c in p.cells for x in (c.bbox[0], c.bbox[2])])


def group_to_grid(group: list[TablePart], source: str) -> Grid:
    xs = _table_edges(group)
    cells: list[Cell] = []
    seams: list[int] = []
    offset = 0
    for k, part in enumerate(group):
        ys = _cluster([y for c in part.cells for y in (c.bbox[1], c.bbox[3])])
        if k:
            seams.append(offset)
        cells.extend(_part_cells(part, xs, ys, offset))
        offset += len(ys) - 1
    grid = Grid(
        source_path=source,
        extractor=_extractor(group),
        rows=fill_spans(cells, offset, len(xs) - 1),
        context=list(group[0].lines_before),
        seams=seams,
    )
    note_doubts(grid)
    drop_repeated_headers(grid)
    carry_merged_cells(grid)
    join_wrapped_rows(grid)
    note_page_corrections(grid, group)
    return grid


def note_doubts(grid: Grid) -> None:
    """A cell its reader doubts (CellBox.doubt) warns on each row it covers, once."""
    for r, row in enumerate(grid.rows):
        for doubt in dict.fromkeys(c.doubt for c in row if c is not None and c.doubt):
            if doubt not in grid.warnings.get(r, []):
                grid.warnings.setdefault(r, []).append(doubt)


def note_page_corrections(grid: Grid, group: list[TablePart]) -> None:
    """A row read from a turned or deskewed scan says so (the page's note, once per row)."""
    notes = {part.page: part.notes for part in group if part.notes}
    for r, row in enumerate(grid.rows if notes else []):
        for page in sorted({c.page for c in row if c is not None and c.page in notes}):
            for note in notes[page]:
                grid.add_repair(r, note)


EXTRACTORS = ["pdf-text", "pdf-text-unruled", "ocr", "ocr-unruled"]  # in the order they are named


def _extractor(group: list[TablePart]) -> str:
    """pdf-text, pdf-text-unruled, ocr, ocr-unruled, or pdf-text+ocr for a table continued from a
    born-digital page onto a scanned one."""
    kinds = sorted({p.extractor for p in group}, key=EXTRACTORS.index)
    return "+".join(kinds)


def _part_cells(part: TablePart, xs: list[float], ys: list[float], offset: int) -> list[Cell]:
    out = []
    for box in part.cells:
        x0, top, x1, bottom = box.bbox
        r0, r1 = _nearest(ys, top), _nearest(ys, bottom)
        c0, c1 = _nearest(xs, part.table_x(x0)), _nearest(xs, part.table_x(x1))
        out.append(
            Cell(
                text=box.text,
                row=offset + r0,
                col=c0,
                rowspan=max(1, r1 - r0),
                colspan=max(1, c1 - c0),
                page=part.page,
                bbox=box.bbox,
                locator=cell_locator(part.page, box.bbox),
                confidence=box.confidence,
                indent=box.indent,
                doubt=box.doubt,
            )
        )
    return out


def drop_repeated_headers(grid: Grid) -> None:
    """A continuation that opens with a copy of a row already seen (a repeated heading row)."""
    for i in range(len(grid.seams)):
        seam = grid.seams[i]
        texts = grid.row_texts(seam) if seam < len(grid.rows) else []
        if sum(1 for t in texts if t) < 2:
            continue
        if any(grid.row_texts(r) == texts for r in range(seam)):
            del grid.rows[seam]
            grid.seams[i + 1 :] = [s - 1 for s in grid.seams[i + 1 :]]
            grid.add_repair(seam, f"repeated header row dropped: {' | '.join(texts)}")


def carry_merged_cells(grid: Grid) -> None:
    """A merged cell cut by a page break prints its text on one side only: give it to both."""
    for seam in grid.seams:
        if seam == 0 or seam >= len(grid.rows):
            continue
        above, below = grid.rows[seam - 1], grid.rows[seam]
        for c in range(min(len(above), len(below))):
            a, b = above[c], below[c]
            if a is None or b is None or a is b or not _is_cut_merge(a, b):
                continue
            if a.text and not b.text:
                _replace(grid, b, dataclasses.replace(b, text=a.text, carried_from=a.locator))
                grid.add_repair(seam, f"merged cell carried over page break: {a.text}")
            elif b.text and not a.text:
                _replace(grid, a, dataclasses.replace(a, text=b.text, carried_from=b.locator))
                grid.add_repair(seam - 1, f"merged cell carried back over page break: {b.text}")


def _is_cut_merge(a: Cell, b: Cell) -> bool:
    same_columns = a.col == b.col and a.colspan == b.colspan
    return same_columns and (a.rowspan > 1 or b.rowspan > 1)


def _replace(grid: Grid, old: Cell, new: Cell) -> None:
    for row in grid.rows:
        for c, cell in enumerate(row):
            if cell is old:
                row[c] = new


def _cluster(values: list[float]) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= EDGE_TOLERANCE:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _nearest(edges: list[float], value: float) -> int:
    """The index of the edge nearest `value` (the first of two as near); `edges` ascending."""
    k = bisect_left(edges, value)
    if k == len(edges) or (k and abs(edges[k - 1] - value) <= abs(edges[k] - value)):
        k -= 1
    return bisect_left(edges, edges[k])  # the first of equal edges
