"""Legacy Excel workbooks (.xls, BIFF5 and BIFF8, as Excel 97-2003 and WPS save them) -> grids.

xlrd reads the workbook; each worksheet becomes the sheet model the XLSX reader splits into
tables (extract/xlsx_reader.py), so blocks, forms side by side, merged ranges, hidden rows and
the shown text of numbers follow the same rules as an .xlsx. Locators are the same `Sheet!B3`.

One thing an .xlsx gives that an .xls does not: a title printed in the page header is not read
(xlrd does not keep the sheet's header record).
"""

from __future__ import annotations

from pathlib import Path

from .errors import DocumentError, PasswordProtected, UnreadableDocument
from .grid import Grid
from .limits import limits_in_force, refuse
from .xlsx_reader import Merge, Sheet, sheet_to_grids, shown_text


def read_xls(path: Path) -> list[Grid]:
    import xlrd

    # The bytes, not the name: a name that is not UTF-8 or not ending in .xls is still read.
    data = path.read_bytes()
    grids: list[Grid] = []
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True,
                                  logfile=_Quiet())
        try:
            for index in range(book.nsheets):
                sheet = _read_sheet(path, book, book.sheet_by_index(index))
                grids += sheet_to_grids(sheet, str(path))
        finally:
            book.release_resources()
    except DocumentError:
        raise
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise PasswordProtected(path, "the workbook is password-protected") from exc
        raise UnreadableDocument(path, f"not a readable XLS file ({exc})") from exc
    except Exception as exc:
        # xlrd reads a damaged record with bare unpacking, indexing and asserts: whatever it
        # raises while parsing is the file's fault
        kind = type(exc).__name__
        if kind == "error":  # struct.error, zlib.error: the module says what failed
            kind = f"{type(exc).__module__}.{kind}"
        detail = f"{kind}: {exc}" if str(exc) else kind
        raise UnreadableDocument(path, f"not a readable XLS file ({detail})") from exc
    return grids


class _Quiet:
    """xlrd's log: it writes warnings about odd records to stdout unless given a file."""

    def write(self, text: str) -> None:
        pass


def _read_sheet(path: Path, book, ws) -> Sheet:
    limits = limits_in_force()
    area = sum((bottom - top) * (right - left) for top, bottom, left, right in ws.merged_cells)
    if area > limits.table_cells:  # before a slot of them is made
        raise refuse(path, f"sheet {ws.name}'s merged ranges ({area:,} cells)",
                     f"{limits.table_cells:,} cells per table", "--max-table-cells")
    # 0-based, bottom and right exclusive
    merges = {(top + 1, left + 1): Merge(top + 1, left + 1, bottom, right)
              for top, bottom, left, right in ws.merged_cells}
    if ws.nrows * ws.ncols > limits.sheet_cells:
        raise refuse(path, f"sheet {ws.name} ({ws.nrows:,} rows by {ws.ncols:,} columns)",
                     f"{limits.sheet_cells:,} cells per sheet", "--max-sheet-cells")
    texts: dict[tuple[int, int], str] = {}
    for r in range(ws.nrows):
        for c, cell in enumerate(ws.row(r)):
            text = shown_text(_value(book, cell), _number_format(book, cell))
            if text:
                texts[(r + 1, c + 1)] = text
    hidden_rows = {r + 1 for r, info in ws.rowinfo_map.items() if info.hidden}
    hidden_cols = {c + 1 for c, info in ws.colinfo_map.items() if info.hidden}
    return Sheet(ws.name, texts, merges, ws.nrows, hidden=ws.visibility != 0,
                  hidden_rows=hidden_rows, hidden_cols=hidden_cols)


def _value(book, cell) -> object:
    """The cell's value as the XLSX reader gets it from openpyxl: text, a number, a bool, a
    datetime, an error's text, or None."""
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#N/A")
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, book.datemode)
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            return cell.value  # a serial no calendar date has: shown as the number
    return cell.value


def _number_format(book, cell) -> str:
    try:
        return book.format_map[book.xf_list[cell.xf_index].format_key].format_str
    except (IndexError, KeyError, TypeError):  # no formatting read (BIFF5 and older) or damaged
        return "General"
