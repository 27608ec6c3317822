"""Tab-separated text (what OCR tools print for a scanned table) -> loose grids.

A Markdown heading starts a table; lines without a tab before its first row are its context
(title, year line); a line without a tab after the first row is a row of one cell. Such grids
carry no spans and no geometry: cells may be shifted or split, so normalize treats them as
`loose` and repairs them from structure and vocabulary.

A dump of several forms often has no headings. The form's own structure then starts the next
table: its title printed again, the first line of its header block (项目名称), or its heading
row printed again. The lines of one cell just before such a start are the new table's context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .encoding import decode_file, mark_damaged
from .grid import Cell, Grid, TextLine
from .limits import check_table_size

# A Markdown heading line (## 标题), in tab-separated dumps and in Markdown alike
HEADING = re.compile(r"^\s*#{1,6}\s+")
_RULE_CELL = re.compile(r"^[\s\-:|=]+$")
# The markers of a form's start, the only words of the form this reader knows: a title
# ("项目支出绩效目标表", "2023年度部门整体支出绩效自评表", not a "（续表）" of the same
# table) and the label that opens every form's header block.
_FORM_TITLE = re.compile(r"[绩績]效[^续續]{0,12}表(?:[(（][^()（）续續]*[)）])?$")
_FIRST_FIELD = re.compile(r"^(?:项目名称|項目名稱)[:：]?$")
_SPACE = re.compile(r"\s+")
_MIN_HEADING_CELLS = 3  # a repeated row this full is a heading row, not a repeated value


@dataclass
class _Reading:
    """The grids read so far and the table being read: its context lines, its rows, and the
    line number of each row."""

    source: str
    grids: list[Grid] = field(default_factory=list)
    context: list[TextLine] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)

    def end_table(self) -> None:
        if self.rows:
            width = max(len(r) for r in self.rows)
            start = f"the table at line {self.numbers[0]}"
            check_table_size(self.source, start, len(self.rows), width)  # before padding
            padded: list[list[Cell | None]] = [r + [None] * (width - len(r)) for r in self.rows]
            self.grids.append(Grid(self.source, "text", padded, context=self.context, loose=True))
        self.context, self.rows, self.numbers = [], [], []

    def start_next_table(self) -> None:
        """The one-cell lines at the end of the table are the next one's title and year."""
        keep = len(self.rows)
        while keep and len(self.rows[keep - 1]) == 1:
            keep -= 1
        moved = zip(self.rows[keep:], self.numbers[keep:], strict=True)
        lines = [TextLine(row[0].text, f"line {number}") for row, number in moved]
        del self.rows[keep:], self.numbers[keep:]
        self.end_table()
        self.context = lines

    def add_row(self, line: str, number: int) -> None:
        self.rows.append(_row_cells(line, number, len(self.rows)))
        self.numbers.append(number)


def read_text(path: Path) -> list[Grid]:
    reading = _Reading(str(path))
    decoded = decode_file(path)
    for number, line in enumerate(decoded.text.splitlines(), start=1):
        if HEADING.match(line):
            reading.end_table()
            line = HEADING.sub("", line)
        if not line.strip() or _is_rule(line):
            continue
        if reading.rows and _starts_a_form(line, reading.rows):
            reading.start_next_table()
        if "\t" in line or reading.rows:
            reading.add_row(line, number)
        else:
            reading.context.append(TextLine(line.strip(), f"line {number}"))
    reading.end_table()
    mark_damaged(reading.grids, decoded)
    return reading.grids


def _starts_a_form(line: str, rows: list[list[Cell]]) -> bool:
    """A line that opens another form: its title, its 项目名称 line, or a heading row (three
    texts or more) the table printed before, cell for cell."""
    cells = _nonblank([(c, text) for c, text in enumerate(line.split("\t"))])
    texts = [text for _, text in cells]
    if len(texts) == 1 and _FORM_TITLE.search(texts[0]):
        return True
    if texts and _FIRST_FIELD.match(texts[0]):
        return True
    return len(cells) >= _MIN_HEADING_CELLS and any(
        _nonblank([(c.col, c.text) for c in row]) == cells for row in rows
    )


def _nonblank(cells: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """(column, text without spaces) of the cells that print something."""
    return [(c, _SPACE.sub("", text)) for c, text in cells if text.strip()]


def _is_rule(line: str) -> bool:
    """A Markdown table rule (----  ----) between a heading row and the body."""
    cells = [c for c in line.split("\t") if c.strip()]
    return bool(cells) and all(_RULE_CELL.match(c) and "-" in c for c in cells)


def _row_cells(line: str, number: int, r: int) -> list[Cell]:
    texts = line.split("\t") if "\t" in line else [line]
    return [
        Cell(text.strip(), r, c, locator=f"line {number} cell {c + 1}")
        for c, text in enumerate(texts)
    ]
