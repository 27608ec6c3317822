"""The records a grid passes from stage to stage on its way through normalize/ (the stages
are listed in order in normalize/table.py):

    Grid -> Layout -> HeaderBlock, then BlockRows -> Rows -> Levels -> TableRecords
                                   or (a tree table) Branches ------> TableRecords

Each stage takes the record the stage before it made and returns the next; GridReading keeps
them all. The canonical records they end in are in records.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from perftab.extract.grid import BBox, Cell, Grid, TextLine

from .records import TableRecord

# --- the column layout (columns.py) -----------------------------------------------------------


@dataclass
class ColumnGroup:
    """The columns of one horizon (中期/长期 and 年度 halves are printed side by side)."""

    horizon: str
    roles: dict[int, str]
    places: dict[int, str] = field(default_factory=dict)  # column -> printed place name


@dataclass
class IndicatorLayout:
    header_row: int
    groups: list[ColumnGroup]
    warnings: list[str] = field(default_factory=list)  # guesses made to read the block
    # a heading printed on two rows (指标值 over 上年实际值 | 本年预期值): its last row
    heading_last: int | None = None
    # a column -> the columns beside it under the same merged heading, read on a row where
    # its own cell is empty (a value printed under the other sub-heading), with a warning
    alternates: dict[int, list[int]] = field(default_factory=dict)
    headings: dict[int, str] = field(default_factory=dict)  # the sub-heading of such a column

    @property
    def body_row(self) -> int:
        """The first row under the headings."""
        return (self.header_row if self.heading_last is None else self.heading_last) + 1


@dataclass
class TreeLayout:
    header_row: int
    name_col: int
    roles: dict[int, str]  # the other columns, by header words (target, unit, 指标性质 …)
    depths: list[float]  # the indents of the depths, shallowest first

    def depth_of(self, indent: float) -> int:
        return min(range(len(self.depths)), key=lambda k: abs(self.depths[k] - indent))


@dataclass
class Layout:
    """How a grid is laid out: an indicator block under a row of column headings (`columns`),
    a tree in one name column (`tree`), or neither; the rows above the headings are the header
    block (all rows when there are no headings)."""

    grid: Grid
    columns: IndicatorLayout | None = None
    tree: TreeLayout | None = None
    problem: str | None = None  # headed by level words, but no column holds the indicators
    headless: str | None = None  # rows that look like indicator rows under no heading row

    @property
    def header_row(self) -> int:
        found = self.columns or self.tree
        return found.header_row if found is not None else len(self.grid.rows)


# --- the header block (header.py) -------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    """Where a header value was read: its cell's text as printed (before any folding or
    parsing), the label it was read under, and the cell's place."""

    raw: str
    label_raw: str | None
    locator: str
    page: int | None = None
    bbox: BBox | None = None
    confidence: float | None = None  # OCR'd cells: the lowest score of their text

    @classmethod
    def of(cls, cell: Cell, label_raw: str | None) -> Printed:
        return cls(cell.text.strip(), label_raw, cell.locator, cell.page, cell.bbox,
                   cell.confidence)


@dataclass
class HeaderBlock:
    """The rows above the indicator block as read: each field's value, where each was printed,
    doubts, and the lines printed alone in a row of it (a title inside the table)."""

    rows: range
    values: dict = field(default_factory=dict)
    printed: dict[str, Printed] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    single_texts: list[TextLine] = field(default_factory=list)


# --- the indicator rows (rows.py, loose.py, joins.py) ------------------------------------------

ROLES = (
    "level1", "level2", "level3", "target", "nature", "direction", "unit", "weight", "actual",
    "score", "deviation", "note",
)
LEVEL_ROLES = ("level1", "level2", "level3")
CORE_ROLES = (*LEVEL_ROLES, "target")
EXTRA_ROLES = tuple(r for r in ROLES if r not in CORE_ROLES)


def cells_by_role(row: list[Cell | None], roles: dict[int, str]) -> dict[str, list[Cell]]:
    """A grid row's cells under each role (every role a list, empty where no column holds it;
    a merged cell once)."""
    cells: dict[str, list[Cell]] = {role: [] for role in ROLES}
    for c, role in roles.items():
        cell = row[c] if c < len(row) else None
        if cell is not None and cell not in cells[role]:
            cells[role].append(cell)
    return cells


@dataclass
class BlockRow:
    """One grid row of the indicator block, by column role."""

    index: int
    cells: dict[str, list[Cell]]
    texts: dict[str, str]
    repairs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    realigned: bool = False  # loose grids: its cells stood outside the header's columns

    @classmethod
    def of(cls, index: int, cells: dict[str, list[Cell]], repairs: list[str],
           warnings: list[str], realigned: bool = False) -> BlockRow:
        """A row of these cells (a list for every role), its texts read from them."""
        texts = {role: "".join(c.text for c in cells[role]).strip() for role in ROLES}
        return cls(index, cells, texts, repairs, warnings, realigned)

    def copy(self) -> BlockRow:
        """A copy a later stage may join and rename in without changing this one."""
        cells = {role: list(found) for role, found in self.cells.items()}
        return BlockRow(self.index, cells, dict(self.texts), list(self.repairs),
                        list(self.warnings), self.realigned)

    def has(self, role: str) -> bool:
        return bool(self.texts[role])

    @property
    def is_indicator(self) -> bool:
        return self.has("level3") or self.has("target")


@dataclass
class Block:
    """The rows of one column group, or of one place's value column in a per-place group."""

    group: int  # the column group's index in the layout
    horizon: str
    place: str | None
    roles: dict[int, str]
    rows: list[BlockRow]


@dataclass
class BlockRows:
    """Every grid row under the heading row, block by block, its cells by column role."""

    grid: Grid
    blocks: list[Block]


class Rows(BlockRows):
    """The indicator rows: lines that hold no indicator dropped, rows and labels split by a page
    break (and, in loose grids, names split over two rows) joined."""


# --- the levels (levels.py, tree.py) ----------------------------------------------------------


@dataclass
class Entry:
    """A resolved indicator: levels as printed, their vocabulary names, and its cells."""

    level1: str
    level2: str
    level3: str
    level1_std: str | None
    level2_std: str | None
    level3_clean: str
    target_raw: str
    target_cell: Cell | None
    row: int
    repairs: list[str]
    warnings: list[str]
    extra: dict[str, str] = field(default_factory=dict)  # nature, unit, actual … as printed
    cells: list[Cell] = field(default_factory=list)  # every cell the entry was read from


@dataclass
class Levels:
    """The table's indicators in reading order, each with its horizon and place."""

    entries: list[tuple[str, str | None, Entry]]


@dataclass
class Branch:
    """The indicators under one project of a tree table."""

    unit: str | None
    project: str | None
    unit_cell: Cell | None
    project_cell: Cell | None
    entries: list[Entry] = field(default_factory=list)


# --- one grid, every stage kept (normalize/table.py) ------------------------------------------


@dataclass
class GridReading:
    """What each stage made of one grid, for `perftab inspect` and tests to look at."""

    layout: Layout
    header: HeaderBlock
    block_rows: BlockRows | None = None  # a loose grid's as realigned
    rows: Rows | None = None
    levels: Levels | None = None
    branches: list[Branch] | None = None
    tables: list[TableRecord] = field(default_factory=list)

    @property
    def grid(self) -> Grid:
        return self.layout.grid
