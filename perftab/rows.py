"""Records -> Arrow: the columns of every output, and a file's rows made Arrow as its tables are
read (`FileRows`).

A long document's records as Python objects take several times the memory of the same rows as
Arrow columns (a 1,000-page PDF's 14,000 indicators: about 30 MB of dataclasses against 8 MB),
so a file read for a batch keeps its tables as records only until ROWS_AT_ONCE rows of them
wait, then as Arrow; the stores write those (perftab/writers.py) and the run summary counts
them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

from perftab.normalize.records import CheckRecord, FieldRecord, IndicatorRecord, TableRecord

from .schema_version import stamped

_ARROW_TYPES = {
    "str": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "list[str]": pa.list_(pa.string()),
}
# fields of a record that are not its columns: a table's own rows, a file's rows
_SKIP = {"tables", "indicators", "fields", "checks", "rows"}
# the rows of a file's tables
CONTENT = ("tables", "indicators", "fields", "checks")
CONTENT_CLASSES = {
    "tables": TableRecord, "indicators": IndicatorRecord, "fields": FieldRecord,
    "checks": CheckRecord,
}
LIST_SEPARATOR = "; "  # how a CSV cell holds a list column (repairs, warnings)
# records made Arrow rows at a time: a long file's records as dicts all at once took more memory
# than reading the file (a 1,000-page PDF's 14,000 indicators)
ROWS_AT_ONCE = 2000


def record_schema(cls) -> pa.Schema:
    """The Arrow schema of a record dataclass, from its annotations (`str | None` -> string)."""
    fields = []
    for f in dataclasses.fields(cls):
        if f.name in _SKIP:
            continue
        base = str(f.type).replace(" | None", "")
        fields.append(pa.field(f.name, _ARROW_TYPES[base], nullable=True))
    return stamped(pa.schema(fields))


def flat_schema(cls) -> pa.Schema:
    """The CSV schema: list columns as text joined with "; "."""
    schema = record_schema(cls)
    return pa.schema(
        [pa.field(f.name, pa.string()) if pa.types.is_list(f.type) else f for f in schema]
    )


def records_table(records: list, cls, flat: bool = False) -> pa.Table:
    """Records as an Arrow table; `flat` joins list columns with "; " for CSV."""
    names = record_schema(cls).names
    schema = flat_schema(cls) if flat else record_schema(cls)
    chunks = [
        pa.Table.from_pylist(_rows(records[i : i + ROWS_AT_ONCE], names, flat), schema=schema)
        for i in range(0, len(records), ROWS_AT_ONCE)
    ]
    return pa.concat_tables(chunks) if chunks else schema.empty_table()


def _rows(records: list, names: list[str], flat: bool) -> list[dict]:
    rows = [{name: getattr(r, name) for name in names} for r in records]
    if flat:
        for row in rows:
            for key, value in row.items():
                if isinstance(value, list):
                    row[key] = LIST_SEPARATOR.join(value)
    return rows


def flat_table(table: pa.Table, cls) -> pa.Table:
    """Rows of `record_schema(cls)` with their list columns joined with "; " (flat_schema), as
    `records_table(..., flat=True)` makes them from the records."""
    columns = [
        pc.binary_join(column, LIST_SEPARATOR) if pa.types.is_list(column.type) else column
        for column in table.columns
    ]
    return pa.Table.from_arrays(columns, schema=flat_schema(cls))


def content_records(tables: list[TableRecord], name: str) -> list:
    """The rows of one of the CONTENT outputs for these tables."""
    return tables if name == "tables" else [r for t in tables for r in getattr(t, name)]


class FileRows:
    """The rows one file's tables give in each CONTENT output, as Arrow tables. Tables are
    added as they are read and made Arrow once ROWS_AT_ONCE rows (of all outputs) wait, so that
    the records of a long document are never all held as Python objects."""

    def __init__(self) -> None:
        self._batches: dict[str, list[pa.Table]] = {name: [] for name in CONTENT}
        self._waiting: list[TableRecord] = []
        self._waiting_rows = 0
        self.n_tables = 0

    @classmethod
    def of(cls, tables: Iterable[TableRecord]) -> FileRows:
        rows = cls()
        for table in tables:
            rows.add(table)
        return rows

    def add(self, table: TableRecord) -> None:
        self._waiting.append(table)
        self._waiting_rows += 1 + len(table.indicators) + len(table.fields) + len(table.checks)
        self.n_tables += 1
        if self._waiting_rows >= ROWS_AT_ONCE:
            self._make_arrow()

    def finish(self) -> FileRows:
        """Every table added made Arrow (to be sent on or written)."""
        self._make_arrow()
        return self

    def _make_arrow(self) -> None:
        for name in CONTENT if self._waiting else ():
            records = content_records(self._waiting, name)
            self._batches[name].append(records_table(records, CONTENT_CLASSES[name]))
        self._waiting, self._waiting_rows = [], 0

    def table(self, name: str) -> pa.Table:
        """Every row of one CONTENT output, in the order the tables were added."""
        self._make_arrow()
        batches = self._batches[name]
        schema = record_schema(CONTENT_CLASSES[name])
        return pa.concat_tables(batches) if batches else schema.empty_table()

    def counts(self) -> tuple[int, int, dict[str, int]]:
        """(indicators, warnings, severity -> checks), as the run's summary counts them: the
        tables' n_indicators, the warnings on tables and on indicators."""
        tables, indicators = self.table("tables"), self.table("indicators")
        n_indicators = pc.sum(tables["n_indicators"]).as_py() or 0
        n_warnings = sum(
            pc.sum(pc.list_value_length(t["warnings"])).as_py() or 0 for t in (tables, indicators)
        )
        checks: dict[str, int] = {}
        for severity in self.table("checks")["severity"].to_pylist():
            checks[severity] = checks.get(severity, 0) + 1
        return n_indicators, n_warnings, checks
