"""Records -> OUTDIR/{tables,indicators,files}.{parquet,csv}, each written atomically: a
temporary file in the same folder, then an os.replace, so a reader never sees half a file."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from normalize.records import IndicatorRecord, TableRecord

if TYPE_CHECKING:
    from .pipeline import FileResult

_ARROW_TYPES = {
    "str": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "list[str]": pa.list_(pa.string()),
}
_SKIP = {"tables", "indicators"}


def record_schema(cls) -> pa.Schema:
    """The Arrow schema of a record dataclass, from its annotations (`str | None` -> string)."""
    fields = []
    for f in dataclasses.fields(cls):
        if f.name in _SKIP:
            continue
        base = str(f.type).replace(" | None", "")
        fields.append(pa.field(f.name, _ARROW_TYPES[base], nullable=True))
    return pa.schema(fields)


def records_table(records: list, cls, flat: bool = False) -> pa.Table:
    """Records as an Arrow table; `flat` joins list columns with "; " for CSV."""
    schema = record_schema(cls)
    rows = [{name: getattr(r, name) for name in schema.names} for r in records]
    if flat:
        schema = pa.schema(
            [pa.field(f.name, pa.string()) if pa.types.is_list(f.type) else f for f in schema]
        )
        for row in rows:
            for key, value in row.items():
                if isinstance(value, list):
                    row[key] = "; ".join(value)
    return pa.Table.from_pylist(rows, schema=schema)


def write_outputs(results: list[FileResult], outdir: Path, fmt: str) -> dict[str, Path]:
    from .pipeline import FileResult

    tables = [t for r in results for t in r.tables]
    frames = {
        "tables": (tables, TableRecord),
        "indicators": ([i for t in tables for i in t.indicators], IndicatorRecord),
        "files": (results, FileResult),
    }
    outdir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, (records, cls) in frames.items():
        path = outdir / f"{name}.{fmt}"
        write_atomic(records, cls, path, fmt)
        written[name] = path
    return written


def write_atomic(records: list, cls, path: Path, fmt: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        if fmt == "parquet":
            pq.write_table(records_table(records, cls), tmp)
        else:
            pacsv.write_csv(records_table(records, cls, flat=True), tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
