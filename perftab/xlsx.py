"""`--format xlsx`: the five outputs as the sheets of one workbook, OUTDIR/perftab.xlsx, for an
auditor who opens the result in Excel, WPS or LibreOffice.

Every cell is typed as its column is (docs/schema.md): text columns are text cells with the Text
number format, so a code such as 010 keeps its zero and a target such as 100% stays as printed;
number columns are numbers. No cell is ever a formula: text that begins with = is stored as a
text cell (a spreadsheet shows it, never runs it), with nothing added to it. Each sheet has its
header row frozen and filters on its columns. List columns (repairs, warnings) are text joined
with "; ", as in the CSV; an empty text and a missing value are both an empty cell.

The workbook is rewritten whole, like the CSV files, by perftab/writers.py's XlsxStore (a
CsvStore): the rows already in it kept, those of files done again replaced, at least every
CSV_EVERY input files and at the end, each time atomically.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa

from .options import OptionError
from .schema_version import SCHEMA_VERSION, XLSX_PROPERTY

WORKBOOK = "perftab.xlsx"
MAX_ROWS = 1_048_576  # rows of a sheet in Excel, the header's included
MAX_CELL = 32_767  # characters of a cell in Excel
# characters XML 1.0, and so XLSX, cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): written as
# \xNN escapes, as printable() writes the bytes of a file name that are not UTF-8
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def workbook_path(outdir: Path) -> Path:
    return Path(outdir) / WORKBOOK


def write_workbook(tables: dict[str, pa.Table], path: str) -> None:
    """One sheet per table, in the order given; the schema version a custom document property
    (File > Properties > Custom in Excel)."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    workbook = Workbook(write_only=True)
    workbook.custom_doc_props.append(StringProperty(name=XLSX_PROPERTY, value=str(SCHEMA_VERSION)))
    for name, table in tables.items():
        if table.num_rows >= MAX_ROWS:
            raise OptionError(
                f"format: {table.num_rows} rows of {name} do not fit in a sheet (at most "
                f"{MAX_ROWS - 1}); write this output as --format parquet or csv"
            )
        _write_sheet(workbook.create_sheet(name), table)
    workbook.save(path)


def _write_sheet(sheet, table: pa.Table) -> None:
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"  # before the rows: the sheet view is written first
    text = [pa.types.is_string(t) for t in table.schema.types]
    sheet.append([_cell(sheet, name, True) for name in table.column_names])
    for row in table.to_pylist():
        sheet.append([_cell(sheet, v, t) for v, t in zip(row.values(), text, strict=True)])
    last = get_column_letter(max(table.num_columns, 1))
    sheet.auto_filter.ref = f"A1:{last}{table.num_rows + 1}"


def _cell(sheet, value, text: bool):
    """A cell of a text column is a text cell whatever the text (openpyxl would make one that
    begins with = a formula); a number is a number."""
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        return None
    if not text:
        return WriteOnlyCell(sheet, value)
    value = _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    if len(value) > MAX_CELL:
        raise OptionError(
            f"format: a text of {len(value)} characters does not fit in a spreadsheet cell (at "
            f"most {MAX_CELL}): {value[:40]}…; write this output as --format parquet or csv"
        )
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    cell.number_format = "@"
    return cell


def read_sheet(path: Path, name: str, schema: pa.Schema) -> pa.Table:
    """A sheet this module wrote back with `schema` (list columns as "; "-joined text)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True)
    except (OSError, KeyError, ValueError, InvalidFileException) as exc:
        raise OptionError(f"outdir: {path} cannot be read back to add to it ({exc})") from exc
    try:
        if name not in workbook.sheetnames:
            raise OptionError(f"outdir: {path} has no sheet {name!r}; it is not perftab's")
        rows = workbook[name].iter_rows(values_only=True)
        header = list(next(rows, ()))
        if header != schema.names:
            raise OptionError(
                f"outdir: the sheet {name!r} of {path} does not have perftab's columns; "
                "move the workbook away or write to another folder"
            )
        width = len(schema)  # a row's empty cells at its end are not stored
        columns = list(zip(*(r + (None,) * (width - len(r)) for r in rows), strict=True))
        columns = columns or [()] * width
    finally:
        workbook.close()
    try:
        return pa.table([pa.array(c, f.type) for c, f in zip(columns, schema, strict=True)],
                        schema=schema)
    except (pa.ArrowException, TypeError) as exc:
        raise OptionError(
            f"outdir: the sheet {name!r} of {path} cannot be read back to add to it ({exc})"
        ) from exc
