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
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import TypeVar

# pyarrow.compute (a tenth of a second to import) is imported in the functions that use it:
# a run writing Parquet calls none of them
import pyarrow as pa
import pyarrow.parquet as pq

from perftab.normalize.records import CheckRecord, FieldRecord, IndicatorRecord, TableRecord

from .arrays import to_array
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
T = TypeVar("T")
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
    schema = flat_schema(cls) if flat else record_schema(cls)
    chunks = [
        _records_batch(records[i : i + ROWS_AT_ONCE], schema, flat)
        for i in range(0, len(records), ROWS_AT_ONCE)
    ]
    return pa.concat_tables(chunks) if chunks else schema.empty_table()


def _records_batch(records: list, schema: pa.Schema, flat: bool) -> pa.Table:
    columns = []
    for f in schema:
        values = [getattr(r, f.name) for r in records]
        if flat:
            values = [LIST_SEPARATOR.join(v) if isinstance(v, list) else v for v in values]
        columns.append(to_array(values, f.type))
    return pa.Table.from_arrays(columns, schema=schema)


def flat_table(table: pa.Table, cls) -> pa.Table:
    """Rows of `record_schema(cls)` with their list columns joined with "; " (flat_schema), as
    `records_table(..., flat=True)` makes them from the records."""
    import pyarrow.compute as pc

    columns = [
        pc.binary_join(column, LIST_SEPARATOR) if pa.types.is_list(column.type) else column
        for column in table.columns
    ]
    return pa.Table.from_arrays(columns, schema=flat_schema(cls))


def content_records(tables: list[TableRecord], name: str) -> list:
    """The rows of one of the CONTENT outputs for these tables."""
    return tables if name == "tables" else [r for t in tables for r in getattr(t, name)]


class FileRows:
    """The rows one file's tables give in each CONTENT output. Tables are added as they are
    read and made Arrow once ROWS_AT_ONCE rows (of all outputs) wait, so that the records of a
    long document are never all held as Python objects. With `spool` (output name -> a
    temporary file beside its part: perftab/writers.py spool_paths) each such batch is written
    there at once, a row group of the output's Parquet part, and the file's rows are never all
    in memory at all; the store then only puts the parts in place. A fault writing the spool
    is kept (`fault`) for the store to raise, where a fault of the output is told; the rows are
    then not written."""

    def __init__(self, spool: dict[str, Path] | None = None) -> None:
        self.spool = spool
        self.fault: OSError | None = None
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._batches: dict[str, list[pa.Table]] = {name: [] for name in CONTENT}
        self._waiting: list[TableRecord] = []
        self._waiting_rows = 0
        self.n_tables = 0
        self.n_indicators = 0
        self.n_warnings = 0  # on tables and on indicators
        self.n_checks: dict[str, int] = {}  # severity -> checks

    @classmethod
    def of(cls, tables: Iterable[TableRecord]) -> FileRows:
        rows = cls()
        for table in tables:
            rows.add(table)
        return rows.finish()

    def add(self, table: TableRecord) -> None:
        self._waiting.append(table)
        self._waiting_rows += 1 + len(table.indicators) + len(table.fields) + len(table.checks)
        self.n_tables += 1
        self.n_indicators += table.n_indicators
        self.n_warnings += len(table.warnings) + sum(len(i.warnings) for i in table.indicators)
        for check in table.checks:
            self.n_checks[check.severity] = self.n_checks.get(check.severity, 0) + 1
        if self._waiting_rows >= ROWS_AT_ONCE:
            self._make_arrow()

    def finish(self) -> FileRows:
        """Every table added made Arrow, and the spool closed: ready to be sent on or
        written."""
        self._make_arrow()
        if self.spool is not None and self.n_tables:
            for name in CONTENT:  # an output with no rows gets a part with its columns
                self._spooled(name, None)
        writers, self._writers = self._writers, {}
        for writer in writers.values():
            self._spooling(writer.close)
        return self

    def discard(self) -> None:
        """The spool removed: the file's rows are not to be written."""
        writers, self._writers = self._writers, {}
        for writer in writers.values():
            with suppress(OSError):
                writer.close()
        for path in (self.spool or {}).values():
            with suppress(OSError):
                path.unlink(missing_ok=True)

    def _make_arrow(self) -> None:
        for name in CONTENT if self._waiting else ():
            batch = records_table(content_records(self._waiting, name), CONTENT_CLASSES[name])
            if self.spool is None:
                self._batches[name].append(batch)
            else:
                self._spooled(name, batch)
        self._waiting, self._waiting_rows = [], 0

    def _spooled(self, name: str, batch: pa.Table | None) -> None:
        if self.fault is not None or self.spool is None:
            return
        if name not in self._writers:
            path, schema = self.spool[name], record_schema(CONTENT_CLASSES[name])
            writer = self._spooling(lambda: pq.ParquetWriter(path, schema))
            if writer is None:
                return
            self._writers[name] = writer
        if batch is not None and batch.num_rows:
            self._spooling(lambda: self._writers[name].write_table(batch))

    def _spooling(self, write: Callable[[], T]) -> T | None:
        """write(), or None once it failed: the fault kept, the spool removed."""
        try:
            return write()
        except OSError as exc:
            self.fault = exc
            self.discard()
            return None

    def table(self, name: str) -> pa.Table:
        """Every row of one CONTENT output, in the order the tables were added."""
        self._make_arrow()
        schema = record_schema(CONTENT_CLASSES[name])
        if self.spool is not None:
            path = self.spool[name]
            return pq.read_table(path, schema=schema) if path.exists() else schema.empty_table()
        batches = self._batches[name]
        return pa.concat_tables(batches) if batches else schema.empty_table()
