"""`perftab compact OUTDIR`: each Parquet dataset's parts, one per input file, merged into a few
large files per year, which engines read far faster than thousands of small ones.

    OUTDIR/indicators.parquet/compact-2023-000.parquet   up to ROWS_PER_FILE rows of 2023
    OUTDIR/indicators.parquet/compact-none-000.parquet   the rows of tables without a year
    OUTDIR/files.parquet/compact-all-000.parquet         the files rows

Rows are sorted by the CSV's order (table_id, seq …), in row groups of ROW_GROUP_ROWS rows.

A dataset is swapped whole: the compacted files are written into `.NAME.parquet.compacted/`
beside it, then the two folders are renamed; a run killed at any point leaves either the old
dataset or the new one, which recover_compaction (perftab/writers.py, called by every store that
opens OUTDIR) puts back.

After compaction OUTDIR is added to as before, a part per input file. A compacted file holds
many inputs' rows, so the rule that a path's rows are those of the content its `files` row names
holds through the stores' sweep (perftab/writers.py): a compacted file's rows of a content that
no `files` row names any more, or that a part of its own holds again (the file redone), and its
`files` rows of a path that has a part of its own, are removed by rewriting that compacted file,
when a store opens OUTDIR and when it closes.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.dataset as ds

from .writers import (
    _CSV_ORDER,
    CONTENT,
    NAMES,
    ParquetStore,
    record_classes,
    record_schema,
    recover_compaction,
    retired_folder,
    staging_folder,
    write_compacted,
)

ROWS_PER_FILE = 1_000_000


@dataclass
class CompactResult:
    """Per dataset: the files it was made of and the files it is now, and its rows."""

    before: dict[str, int] = field(default_factory=dict)
    after: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)


def run_compact(outdir: Path) -> CompactResult:
    """Every dataset of OUTDIR compacted, OUTDIR locked meanwhile (as by `perftab extract`)."""
    result = CompactResult()
    with ParquetStore(Path(outdir)) as store:
        try:
            for name in NAMES:
                root = store.outputs[name]
                result.before[name] = len(_data_files(root))
                result.rows[name] = compact_dataset(root, name)
                result.after[name] = len(_data_files(root))
        except BaseException:  # Ctrl-C: each dataset whole again before the store closes
            recover_compaction(Path(outdir))
            raise
        result.outputs = store.outputs
    return result


def _data_files(root: Path) -> list[Path]:
    return [p for p in root.glob("*.parquet") if not p.name.startswith((".", "_"))]


def compact_dataset(root: Path, name: str) -> int:
    """The dataset at `root` rewritten as compacted files; its row count."""
    schema = record_schema(record_classes()[name])
    files = _data_files(root)
    if not files:
        return 0
    dataset = ds.dataset(files, format="parquet", schema=schema)
    staging = staging_folder(root)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    rows = 0
    for key, condition in _groups(dataset, name):
        table = dataset.to_table(filter=condition)
        table = table.sort_by([(k, "ascending") for k in _CSV_ORDER[name]])
        rows += table.num_rows
        for n, start in enumerate(range(0, table.num_rows, ROWS_PER_FILE)):
            write_compacted(staging / f"compact-{key}-{n:03d}.parquet",
                            table.slice(start, ROWS_PER_FILE))
    _swap(root, staging)
    return rows


def _groups(dataset: ds.Dataset, name: str):
    """(file name key, filter) per year of the dataset; one group for `files`."""
    if name not in CONTENT:
        yield "all", None
        return
    years = pc.unique(dataset.to_table(columns=["year"])["year"]).to_pylist()
    for year in sorted(years, key=lambda y: (y is None, y)):
        if year is None:
            yield "none", ds.field("year").is_null()
        else:
            yield str(year), ds.field("year") == year


def _swap(root: Path, staging: Path) -> None:
    """The staging folder in the dataset's place; between the two renames recover_compaction
    knows the staging folder is complete, as the old one is moved away only once it is."""
    old = retired_folder(root)
    root.rename(old)
    staging.rename(root)
    shutil.rmtree(old)
