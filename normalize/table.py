"""Grids -> canonical table records: the table of contents of normalize/.

One grid goes through the stages below in order, each a function over the record the stage
before it made (the records are in stage_records.py), each module entered once:

    grid_to_layout            columns.py    Grid        -> Layout       heading row, column roles
    layout_to_header_block    header.py     Layout      -> HeaderBlock  the fields above it
    next_form                 stacked.py    GridReading -> row          a second form under it
    join_continuation         continued.py  two grids   -> one          a table continued apart
    layout_to_block_rows      rows.py       Layout      -> BlockRows    rows by column role
    realign_loose_rows        loose.py      BlockRows   -> BlockRows    loose grids' cells put back
    block_rows_to_rows        joins.py      BlockRows   -> Rows         rows split apart joined
    rows_to_levels            levels.py     Rows        -> Levels       一级/二级 read and repaired
    levels_to_tables          assemble.py   Levels      -> TableRecords targets parsed

The layout comes before the header block because its heading row is where the header block
ends. A grid is held until the next one's layout and header block are known: a next grid that
only continues its table (a Word table split in two at a page) joins it before its rows are
read. A grid holding forms one under another is cut where the next one starts, each part
started again; a grid printing only lines (a title beside its unit) is read as lines above the
next grid. A tree table (one indented name column) goes from its Layout to layout_to_branches
(tree.py) instead of rows, joins and levels. The stages share leaves that call nothing else of
normalize/: vocabulary.py (the form's names and heading words), text.py (folding, numbers),
targets.parse_target, and the records' own methods (records.py, stage_records.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from perftab.extract.grid import Grid, TextLine

from .assemble import levels_to_tables
from .columns import grid_to_layout, headless_rows
from .continued import join_continuation
from .header import layout_to_header_block
from .joins import block_rows_to_rows
from .levels import rows_to_levels
from .loose import realign_loose_rows
from .records import TableRecord
from .rows import layout_to_block_rows
from .stacked import lines_of, next_form, prints_lines_only, rows_of
from .stage_records import GridReading
from .tree import layout_to_branches


def read_grid(grid: Grid) -> GridReading:
    """One grid through the stages, every stage's record kept."""
    return finish_reading(start_reading(grid))


def start_reading(grid: Grid) -> GridReading:
    """A grid's layout and header block: enough to tell whether it continues the grid before."""
    layout = grid_to_layout(grid)
    return GridReading(layout, layout_to_header_block(layout))


def finish_reading(reading: GridReading) -> GridReading:
    """The stages after the header block."""
    layout = reading.layout
    if layout.tree is not None:
        reading.branches = layout_to_branches(layout)
    elif layout.columns is not None:
        reading.block_rows = realign_loose_rows(layout_to_block_rows(layout))
        reading.rows = block_rows_to_rows(reading.block_rows)
        reading.levels = rows_to_levels(reading.rows)
    return reading


def joined_readings(grids: Iterable[Grid]) -> Iterator[GridReading]:
    """Each grid started (layout and header block), a grid that continues the one before it
    joined to it, a grid printing only lines read as lines above the next; each handed on once
    the grid after it is known not to continue it."""
    held: GridReading | None = None
    lines: list[TextLine] = []  # a grid's printing only lines, for the next grid's context
    for reading in _form_readings(grids):
        grid = reading.layout.grid
        if lines:
            grid.context, lines = lines + grid.context, []
        if held is not None and (joined := join_continuation(held, reading)) is not None:
            held = joined
            continue
        if prints_lines_only(reading):
            lines = grid.context + lines_of(grid)
            continue
        if held is not None:
            yield held
        held = reading
    if held is not None:
        yield held


def _form_readings(grids: Iterable[Grid]) -> Iterator[GridReading]:
    """Each grid started; one holding forms one under another, each form's rows started as a
    grid of their own."""
    for grid in grids:
        reading = start_reading(grid)
        while (cut := next_form(reading)) is not None:
            yield start_reading(rows_of(grid, 0, cut))
            grid = rows_of(grid, cut, len(grid.rows), context=False)
            reading = start_reading(grid)
        yield reading


def read_grids(grids: Iterable[Grid], sha256: str) -> list[GridReading]:
    """Each grid read, its tables numbered in document order (each_reading)."""
    return list(each_reading(grids, sha256))


def each_reading(grids: Iterable[Grid], sha256: str) -> Iterator[GridReading]:
    """Each grid read as it comes, its tables numbered in document order. A grid holding only a
    header block (some forms print it as a table of its own) lends its fields to the indicator
    table that follows; rows under no header row are told on the table before them, else the
    one after: the last table read may still be told of such rows until another is read."""
    made = 0
    lender: GridReading | None = None
    last: TableRecord | None = None
    early: list[str] = []  # rows under no header row before any table: told on the first
    for reading in map(finish_reading, joined_readings(grids)):
        layout = reading.layout
        reading.tables = levels_to_tables(reading, sha256, made,
                                          lender if layout.columns else None)
        if layout.columns is not None:
            lender = None
        elif layout.tree is None and not layout.problem:
            lost = layout.headless
            if reading.header.values:
                # a header block lends its fields; indicator rows under it, with no heading
                # row read, are lost with it unless told
                lender = reading
                lost = headless_rows(layout.grid, names_only=True)
            if lost:
                (last.warnings if last is not None else early).append(lost)
        if reading.tables:
            reading.tables[0].warnings.extend(early)
            early = []
            made += len(reading.tables)
            last = reading.tables[-1]
        yield reading


def stream_tables(grids: Iterable[Grid], sha256: str) -> Iterator[TableRecord]:
    """Target tables in document order, each handed on once no later grid can change it
    (another table is read, or the grids end): a long document's grids and tables are let go
    as they are read, not all held."""
    held: list[TableRecord] = []
    for reading in each_reading(grids, sha256):
        if reading.tables:
            yield from held
            held = reading.tables
    yield from held


def grids_to_tables(grids: Iterable[Grid], sha256: str) -> list[TableRecord]:
    """Target tables in document order."""
    return list(stream_tables(grids, sha256))
