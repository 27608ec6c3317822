"""Markdown pipe tables (what MinerU, PaddleOCR PP-Structure or Docling export) -> loose grids.

A table is a run of pipe lines; lines that are not part of a table are the context of the next
one (title, year line), and a heading starts a new section, as in the tab-separated reader.
Markdown cannot say that a cell is merged: layout models print a merged cell's text once and
leave the slots it covered blank (or repeat it), so the grids are `loose` and carry no spans;
normalize carries blank levels down. A table written as HTML inside the Markdown (MinerU does
that) keeps its spans: the HTML reader reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .encoding import decode_file, mark_damaged
from .grid import Cell, Grid, TextLine, join_wrapped
from .html_reader import html_to_grids
from .limits import check_table_size
from .text_reader import HEADING

_CLOSING_HASHES = re.compile(r"\s+#+\s*$")  # "# 标题 #": the optional closing sequence
_DELIMITER_CELL = re.compile(r"^\s*:?-+:?\s*$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash before ASCII punctuation
_HTML_TABLE_START = re.compile(r"<table[\s>]", re.IGNORECASE)
_HTML_TABLE_END = re.compile(r"</table\s*>", re.IGNORECASE)
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)  # how exporters write a line break in a cell


@dataclass
class _Reading:
    """The grids read so far and the section being read: its context lines, its pipe rows."""

    source: str
    grids: list[Grid] = field(default_factory=list)
    context: list[TextLine] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    n_html_tables: int = 0

    def end_pipe_table(self) -> None:
        if not self.rows:
            return
        width = max(len(r) for r in self.rows)
        # before the short rows are padded with a cell per slot: one line of a million pipes
        start = self.rows[0][0].locator.rsplit(" cell ", 1)[0]
        check_table_size(self.source, f"the table at {start}", len(self.rows), width)
        padded: list[list[Cell | None]] = [_padded(r, width) for r in self.rows]
        self.add([Grid(self.source, "markdown", padded, loose=True)])
        self.rows = []

    def add(self, grids: list[Grid]) -> None:
        if grids:
            grids[0].context = self.context + grids[0].context
            self.grids += grids
            self.context = []


def read_markdown(path: Path) -> list[Grid]:
    decoded = decode_file(path)
    lines = decoded.text.splitlines()
    reading = _Reading(str(path))
    index = 0
    while index < len(lines):
        if _HTML_TABLE_START.search(lines[index]):
            index = _read_html_table(lines, index, reading)
            continue
        _read_line(lines, index, reading)
        index += 1
    reading.end_pipe_table()
    mark_damaged(reading.grids, decoded)
    return reading.grids


def _read_line(lines: list[str], index: int, reading: _Reading) -> None:
    line, number = lines[index], index + 1
    if _is_table_line(lines, index, in_table=bool(reading.rows)):
        if not _is_delimiter_row(line):
            reading.rows.append(_row_cells(line, number, len(reading.rows)))
        return
    reading.end_pipe_table()  # any other line ends a pipe table
    if HEADING.match(line):
        reading.context = []  # a heading starts a new section; what stood before is not context
        line = _CLOSING_HASHES.sub("", HEADING.sub("", line))
    if line.strip():
        reading.context.append(TextLine(line.strip(), f"line {number}"))


def _read_html_table(lines: list[str], index: int, reading: _Reading) -> int:
    """MinerU writes each table into its Markdown as one line of HTML, with real spans: read it
    as HTML. Returns the index of the line after the table."""
    end = index
    while end < len(lines) - 1 and not _HTML_TABLE_END.search(lines[end]):
        end += 1
    reading.end_pipe_table()
    markup = "\n".join(lines[index : end + 1])
    grids, n_tables = html_to_grids(markup, reading.source, reading.n_html_tables + 1)
    reading.n_html_tables += n_tables
    reading.add(grids)
    return end + 1


def _is_table_line(lines: list[str], index: int, in_table: bool) -> bool:
    """A pipe line inside a table, or the first line of one: it starts with a pipe, or (GFM
    allows the outer pipes to be left off) a delimiter row follows it."""
    line = lines[index]
    if not line.strip() or not _UNESCAPED_PIPE.search(line):
        return False
    if in_table or line.lstrip().startswith("|"):
        return True
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return _is_delimiter_row(following)


def _split_row(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return _UNESCAPED_PIPE.split(inner)


def _is_delimiter_row(line: str) -> bool:
    """The rule under a pipe table's first row: | --- | :---: |."""
    if "-" not in line or not _UNESCAPED_PIPE.search(line):
        return False
    return all(_DELIMITER_CELL.match(cell) for cell in _split_row(line))


def _cell_text(raw: str) -> str:
    text = _ESCAPE.sub(r"\1", raw)
    return join_wrapped(_BREAK_TAG.split(text))


def _padded(row: list[Cell], width: int) -> list[Cell | None]:
    """A row with fewer cells than the table has its last cells empty (GFM inserts them): they
    did not slide, unlike an HTML row whose merged cells were lost, so the slots are cells."""
    line = row[0].locator.rsplit(" cell ", 1)[0]
    blanks = [Cell("", row[0].row, c, locator=f"{line} cell {c + 1}")
              for c in range(len(row), width)]
    return [*row, *blanks]


def _row_cells(line: str, number: int, r: int) -> list[Cell]:
    return [
        Cell(_cell_text(raw), r, c, locator=f"line {number} cell {c + 1}")
        for c, raw in enumerate(_split_row(line))
    ]
