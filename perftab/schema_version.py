"""The version of the output columns (docs/schema.md), stamped on every output and checked
when one is read back, so that an output written by another perftab is read or refused with
words, never a traceback.

Where it is kept: in the Arrow schema metadata of every Parquet file (key
`perftab.schema_version`), as `schema:version` in the CSVW metadata beside every CSV, and as
the custom document property `perftab.schema_version` of perftab.xlsx.
An output without it was written before versions were kept: version 1.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .options import OptionError

# Raised when a column is added, removed or changes its type or meaning; docs/schema.md lists
# what each version changed.
SCHEMA_VERSION = 3
METADATA_KEY = b"perftab.schema_version"
CSVW_KEY = "schema:version"
XLSX_PROPERTY = METADATA_KEY.decode()
UNVERSIONED = 1  # outputs written before versions were kept


def stamped(schema: pa.Schema) -> pa.Schema:
    return schema.with_metadata({**(schema.metadata or {}), METADATA_KEY: str(SCHEMA_VERSION)})


def version_in(metadata: dict | None) -> int:
    value = (metadata or {}).get(METADATA_KEY)
    return int(value) if value and value.isdigit() else UNVERSIONED


@dataclass(frozen=True)
class Written:
    """An output as written: its path, schema version, and columns (None when not known)."""

    path: Path
    version: int
    columns: frozenset[str] | None = None


def output_version(path: Path) -> int:
    return written(path).version


def written(path: Path) -> Written:
    """The schema version and columns of an output as written: a Parquet dataset folder (its
    parts: the newest version and every column found), a Parquet file, a CSV (the version in its
    CSVW metadata) or the workbook (its document property)."""
    if path.is_dir() or path.suffix == ".parquet":
        parts = sorted(path.rglob("*.parquet")) if path.is_dir() else [path]
        schemas = [s for s in map(_part_schema, parts) if s is not None]
        if not schemas:
            return Written(path, SCHEMA_VERSION)
        columns = frozenset(name for s in schemas for name in s.names)
        if any(p.parent.name.startswith("year=") for p in parts):  # the year in folder names
            columns |= {"year"}
        return Written(path, max(version_in(s.metadata) for s in schemas), columns)
    if path.suffix == ".xlsx":
        return Written(path, _xlsx_version(path))
    return Written(path, _csv_version(path))


def _xlsx_version(path: Path) -> int:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True)
    except (OSError, KeyError, ValueError, BadZipFile, InvalidFileException):
        return UNVERSIONED  # a damaged workbook: reading its sheets says what is wrong
    try:
        value = next((str(p.value) for p in workbook.custom_doc_props.props
                      if p.name == XLSX_PROPERTY), "")
    finally:
        workbook.close()
    return int(value) if str(value).isdigit() else UNVERSIONED


def _csv_version(path: Path) -> int:
    meta = path.with_name(f"{path.name}-metadata.json")
    try:
        value = json.loads(meta.read_text(encoding="utf-8")).get(CSVW_KEY)
    except (OSError, ValueError, AttributeError):
        return UNVERSIONED
    return int(value) if str(value).isdigit() else UNVERSIONED


def _part_schema(path: Path) -> pa.Schema | None:
    try:
        return pq.read_schema(path)
    except (OSError, pa.ArrowException):  # a damaged part: the reading says what is wrong
        return None


def check_readable(path: Path) -> Written:
    """The output as written, if this perftab can read it; else an error saying what to do."""
    found = written(path)
    version = found.version
    if version > SCHEMA_VERSION:
        raise OptionError(
            f"outdir: {path} was written by a newer perftab (output schema version {version}; "
            f"this one reads up to version {SCHEMA_VERSION}): upgrade perftab to read it"
        )
    return found


def conformed(table: pa.Table, schema: pa.Schema, output: Written) -> pa.Table:
    """An output read back with the current columns in their order: a column added since an
    older version wrote it is null; one that cannot be had or cast is an error naming the
    version and what to do."""
    path, version = output.path, output.version
    columns = output.columns if output.columns is not None else set(table.column_names)
    lacking = [f for f in schema if f.name not in columns]
    if lacking and version >= SCHEMA_VERSION:
        raise OptionError(
            f"outdir: {path} lacks the column(s) {', '.join(f.name for f in lacking)} of output "
            f"schema version {version}: it is damaged or was not written by perftab"
        )
    for f in (f for f in schema if f.name not in table.column_names):
        table = table.append_column(f, pa.nulls(len(table), f.type))
    try:
        return table.select(schema.names).cast(schema)
    except (pa.ArrowException, ValueError) as exc:
        raise OptionError(
            f"outdir: {path} was written with output schema version {version} and cannot be "
            f"read as version {SCHEMA_VERSION} ({exc}); run perftab extract again into a new "
            "OUTDIR to rewrite it"
        ) from exc
