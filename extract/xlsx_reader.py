"""Excel workbooks (.xlsx) -> grids with spans, several tables per sheet, every sheet.

A sheet is split into blocks at fully empty rows, and a block at a fully empty column where
both sides print the same form headings (two forms set side by side); in a block, the leading
rows that hold a single text (the title, the year line, usually merged across the sheet) are
context, the rest is the table. A merged range (`ws.merged_cells.ranges`) becomes one `Cell`
with its spans, placed in every slot it covers, as in a DOCX; the grid is not loose.

A title printed in the sheet's page header (Page Layout > Header) rather than in a cell is a
line of the first table's context, as a title row above it would be.

Hidden sheets, rows and columns are read like the rest (a form kept on a hidden sheet is still
the form), but a row holding text a reader of the workbook does not see carries a warning saying
which sheet, row or column hides it.

Values are shown as Excel shows them: a number in its cell format's decimals ("0.00" -> 86.00,
"0%" -> 100%) with the text the format prints around it (0"天" -> 300天), so what normalize
reads is what a reader of the sheet sees.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .errors import UnreadableDocument
from .grid import FORM_WORDS, Cell, Grid, TextLine, fill_spans, join_wrapped
from .limits import check_table_size

_DECIMALS = re.compile(r"0\.(0+)")
_NEEDS_QUOTES = re.compile(r"[^\w.]")  # Excel quotes a sheet name with spaces or punctuation
# a page header's fields: page number, pages, date, time, file, sheet, path, picture
_HEADER_FIELD = re.compile(r"&[PNDTFAZG]")


@dataclass(frozen=True)
class Merge:
    top: int  # 1-based sheet rows and columns, inclusive
    left: int
    bottom: int
    right: int


@dataclass
class Sheet:
    """What the block and grid stages need of a worksheet: texts by slot and merged ranges."""

    title: str
    texts: dict[tuple[int, int], str]  # (row, col) -> shown text, non-empty slots only
    merges: dict[tuple[int, int], Merge]  # origin slot -> its range
    max_row: int
    by_row: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # row -> (col, text)
    tall: set[int] = field(default_factory=set)  # rows a merged range spans down from or into
    page_header: list[str] = field(default_factory=list)  # lines printed in the page header
    merges_at: dict[int, list[Merge]] = field(default_factory=dict)  # top row -> its ranges
    hidden: bool = False  # the sheet is hidden in the workbook
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    # slots inside a merged range other than its origin
    covered: set[tuple[int, int]] = field(default_factory=set, init=False)

    def __post_init__(self) -> None:
        # Indexed once: every block looks up its rows, and a sheet can have tens of thousands
        # of blocks (one-cell rows between empty ones); scanning all texts per block is quadratic.
        for (r, c), text in sorted(self.texts.items()):
            self.by_row.setdefault(r, []).append((c, text))
        for m in self.merges.values():
            self.merges_at.setdefault(m.top, []).append(m)
            if m.bottom > m.top:
                self.tall.update(range(m.top, m.bottom + 1))
            self.covered.update(_merged_slots(m) - {(m.top, m.left)})

    def ref(self, row: int, col: int) -> str:
        return f"{self.name()}!{get_column_letter(col)}{row}"

    def name(self) -> str:
        name = self.title.replace("'", "''")
        return f"'{name}'" if _NEEDS_QUOTES.search(self.title) else name


def read_xlsx(path: Path) -> list[Grid]:
    workbook = _open(path)
    grids: list[Grid] = []
    for ws in workbook.worksheets:  # chart sheets hold no cells
        grids += sheet_to_grids(_read_sheet(ws), str(path))
    return grids


def _open(path: Path):
    try:
        # A file object, not the name: openpyxl refuses names not ending in .xlsx, but the kind
        # was decided by content (an .xlsx saved under another name is still read).
        with open(path, "rb") as fh:
            return openpyxl.load_workbook(fh, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, InvalidFileException,
            ParseError) as exc:  # fmt: skip
        raise UnreadableDocument(path, f"not a readable XLSX file ({exc})") from exc


def _read_sheet(ws) -> Sheet:
    texts: dict[tuple[int, int], str] = {}
    # The cells the sheet holds, not iter_rows(): that makes every slot of the rectangle from
    # A1 to the farthest cell, 17 billion when one cell stands at XFD1048576.
    for (r, c), cell in ws._cells.items():
        text = shown_text(cell.value, cell.number_format)
        if text:
            texts[(r, c)] = text
    merges = {(r.min_row, r.min_col): Merge(r.min_row, r.min_col, r.max_row, r.max_col)
              for r in ws.merged_cells.ranges}
    hidden_rows = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
    hidden_cols = {c for dim in ws.column_dimensions.values() if dim.hidden
                   for c in range(dim.min or 0, (dim.max or 0) + 1) if c}
    return Sheet(ws.title, texts, merges, ws.max_row, page_header=_page_header(ws),
                  hidden=ws.sheet_state != "visible", hidden_rows=hidden_rows,
                  hidden_cols=hidden_cols)


def _page_header(ws) -> list[str]:
    """The lines of the first page's header, left, centre, right; a part holding a field (a
    page number, the date) is no title and is left out."""
    header = ws.firstHeader if ws.HeaderFooter.differentFirst else ws.oddHeader
    lines = []
    for part in (header.left, header.center, header.right):
        text = (part.text or "").replace("&&", "\0")
        if _HEADER_FIELD.search(text):
            continue
        lines += [ln.strip().replace("\0", "&") for ln in text.splitlines() if ln.strip()]
    return lines


def _merged_slots(m: Merge) -> set[tuple[int, int]]:
    return {(r, c) for r in range(m.top, m.bottom + 1) for c in range(m.left, m.right + 1)}


# ---------------------------------------------------------------- sheet -> blocks -> grids


def sheet_to_grids(sheet: Sheet, source: str) -> list[Grid]:
    grids: list[Grid] = []
    context = [TextLine(line, f"{sheet.name()} page header") for line in sheet.page_header]
    for block, left, right in _regions(sheet):
        lead = _context_rows(sheet, block, left, right)
        context += [_context_line(sheet, r, left, right) for r in block[:lead]]
        body = block[lead:]
        if body:  # a title standing alone above an empty row is the next table's context
            grids.append(_block_to_grid(sheet, body, source, context, left, right))
            context = []
    return grids


def _regions(sheet: Sheet) -> list[tuple[list[int], int, int]]:
    """The sheet's tables as (rows, first column, last column): runs of rows, and in a run,
    forms set side by side (an empty column between them) apart, left before right."""
    regions = []
    for block in _blocks(sheet, range(1, sheet.max_row + 1)):
        bands = _side_by_side(sheet, block)
        if len(bands) == 1:
            regions.append((block, *bands[0]))
            continue
        for left, right in bands:
            regions += [(rows, left, right) for rows in _blocks(sheet, block, left, right)]
    return regions


def _blocks(sheet: Sheet, rows, left: int = 1, right: int | None = None) -> list[list[int]]:
    """Runs of `rows` that hold text in columns `left`..`right` or lie inside a merged range
    reaching down from above."""
    occupied = {r for r in rows if _row_texts(sheet, r, left, right)}
    for m in sheet.merges.values():
        if m.right >= left and (right is None or m.left <= right):
            occupied.update(range(m.top, m.bottom + 1))
    blocks: list[list[int]] = []
    for r in rows:
        if r not in occupied:
            continue
        if blocks and blocks[-1][-1] == r - 1:
            blocks[-1].append(r)
        else:
            blocks.append([r])
    return blocks


def _side_by_side(sheet: Sheet, block: list[int]) -> list[tuple[int, int]]:
    """The block's column bands, one per form: the block is cut at columns empty on all its
    rows (no text, no merged range across), and kept whole across such a gap unless both sides
    print the same heading (三级指标 on each side is two forms; an empty spacer column between a
    form's levels and its targets is not)."""
    used = {c for r in block for c, _ in _row_texts(sheet, r)}
    for r in block:
        for m in sheet.merges_at.get(r, []):
            used.update(range(m.left, m.right + 1))
    cols = sorted(used)
    bands = [[cols[0], cols[0]]]
    for c in cols[1:]:
        if c == bands[-1][1] + 1:
            bands[-1][1] = c
        else:
            bands.append([c, c])
    forms = [bands[0]]
    for band in bands[1:]:
        if _headings(sheet, block, *forms[-1]) & _headings(sheet, block, *band):
            forms.append(band)
        else:
            forms[-1][1] = band[1]
    return [(left, right) for left, right in forms]


def _headings(sheet: Sheet, block: list[int], left: int, right: int) -> set[str]:
    return {text for r in block for _, text in _row_texts(sheet, r, left, right)
            if any(word in text for word in FORM_WORDS)}


def _context_rows(sheet: Sheet, block: list[int], left: int, right: int) -> int:
    """How many leading rows of the block are single texts (title, year line). A row a merged
    range spans down from or into belongs to the table, whatever it holds."""
    count = 0
    for r in block:
        if r in sheet.tall or len(_row_texts(sheet, r, left, right)) != 1:
            break
        count += 1
    return count


def _row_texts(
    sheet: Sheet, r: int, left: int = 1, right: int | None = None
) -> list[tuple[int, str]]:
    texts = sheet.by_row.get(r, [])
    if left == 1 and right is None:
        return texts
    return [(c, t) for c, t in texts if left <= c and (right is None or c <= right)]


def _context_line(sheet: Sheet, r: int, left: int, right: int) -> TextLine:
    ((c, text),) = _row_texts(sheet, r, left, right)
    return TextLine(text, sheet.ref(r, c))


def _block_to_grid(
    sheet: Sheet, rows: list[int], source: str, context: list, first: int, last: int
) -> Grid:
    top, bottom = rows[0], rows[-1]
    left, right = _column_range(sheet, top, bottom, first, last)
    # before a Cell is made for each slot: one text at A1 and one at XFD1 make 16,384 columns
    check_table_size(source, f"the table at {sheet.ref(top, left)}", bottom - top + 1,
                     right - left + 1)  # fmt: skip
    cells: list[Cell] = []
    for r in rows:
        for c in range(left, right + 1):
            if (r, c) in sheet.covered:
                continue  # fill_spans puts the merged range's origin cell here
            m = sheet.merges.get((r, c), Merge(r, c, r, c))
            cells.append(
                Cell(
                    text=sheet.texts.get((r, c), ""),
                    row=r - top,
                    col=c - left,
                    rowspan=min(m.bottom, bottom) - r + 1,
                    colspan=min(m.right, right) - c + 1,
                    locator=sheet.ref(r, c),
                )
            )
    grid_rows = fill_spans(cells, bottom - top + 1, right - left + 1)
    notes = _hidden_notes(sheet, rows, left, right)
    return Grid(source, "xlsx", grid_rows, context=context, warnings=notes)


def _hidden_notes(sheet: Sheet, rows: list[int], left: int, right: int) -> dict[int, list[str]]:
    """Row index -> why text on it is not seen by a reader of the workbook."""
    notes: dict[int, list[str]] = {}
    for i, r in enumerate(rows):
        texts = _row_texts(sheet, r, left, right)
        if not texts:
            continue
        why = []
        if sheet.hidden:
            why.append(f"sheet {sheet.name()} is hidden in the workbook")
        if r in sheet.hidden_rows:
            why.append(f"row {r} of sheet {sheet.name()} is hidden")
        cols = sorted({c for c, _ in texts} & sheet.hidden_cols)
        if cols:
            letters = ", ".join(get_column_letter(c) for c in cols)
            which = "column" if len(cols) == 1 else "columns"
            are = "is" if len(cols) == 1 else "are"
            why.append(f"{which} {letters} of sheet {sheet.name()} {are} hidden")
        if why:
            notes[i] = [f"read from text a reader of the workbook does not see: {'; '.join(why)}"]
    return notes


def _column_range(sheet: Sheet, top: int, bottom: int, first: int, last: int) -> tuple[int, int]:
    cols = [c for r in range(top, bottom + 1) for c, _ in _row_texts(sheet, r, first, last)]
    for r in range(top, bottom + 1):
        cols += [c for m in sheet.merges_at.get(r, []) for c in (m.left, m.right)
                 if first <= c <= last]
    return min(cols), max(cols)


# ---------------------------------------------------------------- values as shown


def shown_text(value: object, number_format: str = "General") -> str:
    """A cell's value as Excel shows it (enough of Excel's number formats for these forms)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return join_wrapped(value.splitlines())  # Alt+Enter line breaks inside a cell
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return _shown_number(value, number_format)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _shown_number(value: float, number_format: str) -> str:
    before, section, after = _format_parts(number_format.split(";")[0])  # positive numbers
    percent = "%" in section
    # From the shortest repr, as Excel rounds what it shows: half up (0.125 -> 0.13), where
    # float formatting would round the binary value half to even.
    number = Decimal(repr(value)) * (100 if percent else 1)
    decimals = _DECIMALS.search(section)
    if decimals:
        text = _rounded(number, len(decimals.group(1)))
    elif "0" in section or "#" in section:  # "0", "#,##0": whole numbers
        text = _rounded(number, 0)
    else:  # General: the number without trailing zeros
        text = format(number.normalize(), "f")
    return (before + text + ("%" if percent else "") + after).strip()


# a format's parts: "text" or \x (shown as is), [Red] or [$-804] (colour, locale), _x and *x
# (padding, fill), the number's placeholders, and any other character (shown as is)
_FORMAT_PART = re.compile(r'"([^"]*)"|\\(.)|\[[^\]]*\]|[_*].|(General|G/通用格式|@|[0#?.,%]+)|(.)',
                          re.DOTALL)


def _format_parts(section: str) -> tuple[str, str, str]:
    """The text a number format shows before the number, its placeholders, the text after:
    0"天" is 300天, "≥"0% is ≥95%, #,##0.00"万元" is 86.50万元."""
    before: list[str] = []
    after: list[str] = []
    placeholders: list[str] = []
    for match in _FORMAT_PART.finditer(section):
        quoted, escaped, number, other = match.groups()
        if number is not None:
            placeholders.append(number)
            continue
        literal = next((p for p in (quoted, escaped, other) if p is not None), "")
        (after if placeholders else before).append(literal)
    section = "".join(placeholders).replace("@", "General")  # @: the value as it is
    return "".join(before), section or "General", "".join(after)


def _rounded(number: Decimal, decimals: int) -> str:
    return str(number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
