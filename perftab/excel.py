"""Text written for a spreadsheet (`--excel`) so that no cell is taken for a formula.

A cell whose text begins with = + - @, a tab or a carriage return is a formula to Excel, WPS and
LibreOffice when they open a CSV: a document's cell printed "=HYPERLINK(…)" or "-2+3" would run
or be computed, not shown. As OWASP advises for CSV injection, such text is written with a
single quote before it, which the spreadsheet shows as text. Only the Excel-bound files get it;
plain CSV and Parquet keep the data exact, and perftab reads its own Excel CSV back exactly: text
that itself begins with a quote before one of those characters (or before another quote) gets
one more, so removing one quote on reading is always right.
"""

from __future__ import annotations

import codecs
from pathlib import Path

# pyarrow.compute (a tenth of a second to import) is imported in the functions that use it:
# a run writing Parquet calls none of them
import pyarrow as pa

# RE2 patterns (pyarrow): text that gets a quote (a formula, or text that would read back as a
# quoted one); text that has one
_NEEDS_QUOTE = r"^[=+\-@\t\r]|^'[=+\-@\t\r']"
_QUOTED = r"^'[=+\-@\t\r']"


def for_excel(table: pa.Table) -> pa.Table:
    """Every text column's formula-like cells quoted."""
    return _map_text(table, _quote)


def from_excel(table: pa.Table) -> pa.Table:
    """What for_excel did, undone: the text as the document printed it."""
    return _map_text(table, _unquote)


def written_for_excel(path: Path) -> bool:
    """A CSV perftab wrote for Excel starts with a UTF-8 BOM."""
    with open(path, "rb") as fh:
        return fh.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8


def _map_text(table: pa.Table, change) -> pa.Table:
    for i, column in enumerate(table.columns):
        if pa.types.is_string(column.type):
            table = table.set_column(i, table.field(i), change(column))
    return table


def _quote(column):
    import pyarrow.compute as pc

    needs = pc.fill_null(pc.match_substring_regex(column, _NEEDS_QUOTE), False)
    return pc.if_else(needs, pc.binary_join_element_wise("'", column, ""), column)


def _unquote(column):
    import pyarrow.compute as pc

    quoted = pc.fill_null(pc.match_substring_regex(column, _QUOTED), False)
    return pc.if_else(quoted, pc.utf8_slice_codeunits(column, 1), column)
