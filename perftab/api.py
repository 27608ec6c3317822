"""perftab from Python: files to pandas DataFrames (`extract`), an output folder back to pandas
(`read`), each with the columns and dtypes of docs/schema.md and docs/api.md.

    extract(paths, **options)  files and folders -> Extraction(tables, indicators, fields, ...)
    read(outdir, name)         OUTDIR/name as written by `perftab extract` -> a DataFrame

`extract` is `perftab extract` itself, writing to a temporary folder (or `outdir=`) and reading
the result back: the rows, the skipping of duplicates and the error rows are the CLI's.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pyarrow as pa

from .options import ExtractOptions, OptionError
from .writers import LIST_SEPARATOR, NAMES, read_output, record_classes, record_schema

# the options of `perftab extract` a caller may give, as ExtractOptions names them
OPTIONS = ("outdir", "format", "jobs", "force", "cross_check", "pdf_reader", "max_pages",
           "max_bytes", "file_timeout", "max_memory", "scheduler", "quiet", "retry_failed",
           "limits", "in_process")
# Arrow type -> pandas dtype: nullable dtypes, so that a missing year stays an integer column
# and a code such as 010 stays text
_PANDAS_DTYPES = {
    pa.int64(): pd.Int64Dtype(),
    pa.float64(): pd.Float64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
    pa.string(): pd.StringDtype(),
}


class Extraction(NamedTuple):
    """The five outputs of one extraction, each a DataFrame (docs/schema.md)."""

    tables: pd.DataFrame
    indicators: pd.DataFrame
    fields: pd.DataFrame
    checks: pd.DataFrame
    files: pd.DataFrame


def extract(
    paths: str | os.PathLike | Iterable[str | os.PathLike], **options
) -> Extraction:
    """Files and folders (searched recursively, as `perftab extract` does) to DataFrames.

    Options are those of `perftab extract` with `_` for `-`: `jobs` (default 1: in this
    process), `in_process` (False: read even one job in a worker process, under
    `file_timeout` and `max_memory`), `cross_check`, `pdf_reader` ("pdfium" or "pdfplumber"),
    `max_pages`, `max_bytes` and `max_memory`
    (bytes), `file_timeout` (seconds), `force`, `retry_failed`, `scheduler`, `quiet` (default
    True: no progress bar), and `limits`: {name: value} for the limits of extract/limits.py,
    named as the `Limits` fields (`{"table_cells": 2_000_000}` is `--max-table-cells 2000000`).
    With `outdir` the output is kept there (and added to, as by the CLI; `format` as there);
    without it, it goes to a temporary folder removed before returning. A file that cannot be
    read is a row of `files` with its error, never an exception."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise OptionError(f"{unknown[0]}: not an option of perftab.extract; it takes "
                          f"{', '.join(OPTIONS)}")
    inputs = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    options = {"jobs": 1, "quiet": True, **options}
    if "outdir" in options:
        return _extract_into(inputs, options)
    with tempfile.TemporaryDirectory(prefix="perftab-") as tmp:
        return _extract_into(inputs, {**options, "outdir": tmp})


def _extract_into(inputs: list, options: dict) -> Extraction:
    from .batch import run_extract

    outdir = Path(options.pop("outdir"))
    run_extract(ExtractOptions(inputs=[str(i) for i in inputs], outdir=outdir, **options))
    return Extraction(*(read(outdir, name) for name in NAMES))


def read(outdir: str | os.PathLike, name: str) -> pd.DataFrame:
    """OUTDIR/name (`tables`, `indicators`, `fields`, `checks` or `files`) as a DataFrame with
    the documented columns in their order: integers as Int64 (`year` with <NA> where a table
    has none), numbers as Float64, text as string (codes keep their leading zeros), flags as
    boolean, list columns (`repairs`, `warnings`) as Python lists, whatever the format."""
    if name not in NAMES:
        raise OptionError(f"name: {name!r} is not one of {', '.join(NAMES)}")
    table = read_output(outdir, name)
    lists = [f.name for f in record_schema(record_classes()[name]) if pa.types.is_list(f.type)]
    frame = table.drop_columns(lists).to_pandas(types_mapper=_PANDAS_DTYPES.get)
    for column in lists:
        frame[column] = pd.Series(_as_lists(table.column(column)), dtype=object)
    return frame[table.column_names]


def _as_lists(column: pa.ChunkedArray) -> list[list[str] | None]:
    """A list column as Python lists; from a CSV or a workbook, its `; `-joined text split
    again (an empty list is an empty cell there)."""
    if pa.types.is_list(column.type):
        return column.to_pylist()
    return [v.split(LIST_SEPARATOR) if v else [] for v in column.to_pylist()]
