"""Tab-separated text (what OCR tools print for a scanned table) -> loose grids.

A Markdown heading starts a table; lines without a tab before its first row are its context
(title, year line); a line without a tab after the first row is a row of one cell. Such grids
carry no spans and no geometry: cells may be shifted or split, so normalize treats them as
`loose` and repairs them from structure and vocabulary.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import UnreadableDocument
from .grid import Cell, Grid, TextLine

_HEADING = re.compile(r"^\s*#{1,6}\s+")
_RULE_CELL = re.compile(r"^[\s\-:|=]+$")


def read_text(path: Path) -> list[Grid]:
    lines = _decode(path).splitlines()
    grids: list[Grid] = []
    context: list[TextLine] = []
    rows: list[list[Cell]] = []
    for number, line in enumerate(lines, start=1):
        if _HEADING.match(line):
            _flush(grids, rows, context, str(path))
            rows, context = [], []
            line = _HEADING.sub("", line)
        if not line.strip() or _is_rule(line):
            continue
        if "\t" in line or rows:
            rows.append(_row_cells(line, number, len(rows)))
        else:
            context.append(TextLine(line.strip(), f"line {number}"))
    _flush(grids, rows, context, str(path))
    return grids


def _decode(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument(path, "text in an unknown encoding (neither UTF-8 nor GB18030)")


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


def _flush(grids: list[Grid], rows: list[list[Cell]], context: list[TextLine], src: str) -> None:
    if not rows:
        return
    width = max(len(r) for r in rows)
    padded: list[list[Cell | None]] = [list(r) + [None] * (width - len(r)) for r in rows]
    grids.append(Grid(src, "text", padded, context=context, loose=True))
