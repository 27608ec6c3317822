"""Records -> OUTDIR. Every file is written atomically: a temporary file in the same folder
(named `.*.part`, which Parquet readers skip), then os.replace, so a reader never sees half a
file and a run killed halfway loses nothing already written.

Parquet (`ParquetStore`): four datasets, each input file's parts written as soon as it is done:

    OUTDIR/tables.parquet/part-<sha16>.parquet       one part per input file's content
    OUTDIR/indicators.parquet/part-<sha16>.parquet
    OUTDIR/fields.parquet/part-<sha16>.parquet
    OUTDIR/checks.parquet/part-<sha16>.parquet
    OUTDIR/files.parquet/part-<path16>.parquet       one row, one part per input path

Table, indicator and field parts are named by the first 16 hex digits of the file's sha256,
files parts by a hash of its path, so a rerun overwrites parts and never adds rows twice. A file
read by a local worker has its parts written by the worker while it reads, a row group at a
time, under temporary names beside them (`spool_paths`, perftab/rows.py): the store puts them in
place once the file is done, so a long document's rows are never all in memory. `year`
is a column inside every part (int64, null where a table has none), not a folder: a partition
folder for the tables with no year is one that pandas cannot read without being told its type
and that DuckDB and polars refuse beside the others, while a column is read as an integer with
nulls by pandas, pyarrow, DuckDB, polars and Spark alike. Folders `year=…/` written by older
versions are moved into the dataset's root, their year made a column, when the output is added
to.

CSV (`CsvStore`): OUTDIR/{tables,indicators,fields,files}.csv, each rewritten whole, the rows
already there merged in, every CSV_EVERY files and at the end. XLSX (`XlsxStore`, a CsvStore):
the same rows as the sheets of one workbook, OUTDIR/perftab.xlsx (written by perftab/xlsx.py).

Either store holds an exclusive lock on OUTDIR/.perftab.lock while it is open: a second run on
the same OUTDIR is refused rather than deleting the first's temporary files or rewriting its CSV
rows away. A path extracted again (its content changed, --force) replaces what it gave before:
the parts of the content it had are removed once no files row names that content, and parts
that no files row names (a run killed between the two writes) are removed when OUTDIR is opened.
`perftab compact` merges the parts into compact-*.parquet files (perftab/compact.py), whose rows
the same rule removes when a store opens and closes.
"""

from __future__ import annotations

import codecs
import errno
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from itertools import groupby
from pathlib import Path

# pyarrow.compute (a tenth of a second to import) is imported in the functions that use it:
# a run writing Parquet calls none of them
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from perftab.normalize.records import CheckRecord, FieldRecord, IndicatorRecord, TableRecord

from .excel import for_excel, from_excel, written_for_excel
from .options import OptionError, OutputError
from .records import FileResult
from .rows import (
    CONTENT,
    LIST_SEPARATOR,
    FileRows,
    content_records,
    flat_schema,
    flat_table,
    record_schema,
    records_table,
)
from .schema_version import CSVW_KEY, SCHEMA_VERSION, check_readable, conformed
from .xlsx import read_sheet, workbook_path, write_workbook

NAMES = ("tables", "indicators", "fields", "checks", "files")
# the year folders older versions wrote: year=2023, and for no year one of these
LEGACY_NO_YEAR = ("__HIVE_DEFAULT_PARTITION__", "__unknown__")
# Columns an output written by an older version lacks, read as null
NEWER_COLUMNS = {"files": ("error_kind", "duplicate_of")}
CSV_EVERY = 50  # CSV files are rewritten at least this often (in input files done)
# the row groups of a part: a long file's part is encoded a row group at a time, not whole (a
# 1,000-page PDF's indicators in one row group took 20 MB more memory to write)
PART_ROWS = 2000
# Keeps a dataset with no rows readable, with its columns
_EMPTY_PART = "part-empty.parquet"
_CONTENT_PART = re.compile(r"part-([0-9a-f]{16})\.parquet")
LOCK_NAME = ".perftab.lock"
_CSV_ORDER = {
    "files": ["source_path"],
    "tables": ["source_path", "table_index"],
    "indicators": ["table_id", "seq"],
    "fields": ["table_id"],  # a stable sort: each table's fields stay in column order
    "checks": ["table_id"],  # each table's checks stay in their order (normalize/checks.py)
}


def record_classes() -> dict[str, type]:
    return {
        "tables": TableRecord, "indicators": IndicatorRecord, "fields": FieldRecord,
        "checks": CheckRecord, "files": FileResult,
    }


def write_atomic(records: list, cls, path: Path, fmt: str, excel: bool = False) -> None:
    """`excel`: a CSV starts with a UTF-8 BOM (without it Excel reads the local code page)."""
    if fmt == "parquet":
        replace_atomic(path, lambda tmp: pq.write_table(records_table(records, cls), tmp))
        return

    def write_csv(tmp: str) -> None:
        with open(tmp, "wb") as fh:
            fh.write(codecs.BOM_UTF8 if excel else b"")
            table = records_table(records, cls, True)
            pacsv.write_csv(for_excel(table) if excel else table, fh)

    replace_atomic(path, write_csv)
    write_csv_metadata(path, record_schema(cls))


# A CSV says nothing of its columns' types: a spreadsheet reads department_code 010 as 10 and a
# target_raw 100% as 1. Beside each CSV its CSVW metadata (W3C "Metadata Vocabulary for Tabular
# Data", found by the name NAME.csv-metadata.json) gives every column its name and type.
_CSVW_TYPES = {"string": "string", "int64": "integer", "double": "double", "bool": "boolean"}
_ARROW_OF_CSVW = {"string": pa.string(), "integer": pa.int64(), "double": pa.float64(),
                  "boolean": pa.bool_()}


def csv_metadata_path(csv: Path) -> Path:
    return csv.with_name(f"{csv.name}-metadata.json")


def csv_metadata(csv: Path, schema: pa.Schema) -> dict:
    """The CSVW description of a CSV written from records of `schema`."""
    columns = []
    for f in schema:
        if pa.types.is_list(f.type):
            columns.append({"name": f.name, "datatype": "string", "separator": LIST_SEPARATOR})
        else:
            columns.append({"name": f.name, "datatype": _CSVW_TYPES[str(f.type)]})
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": csv.name,
        "dialect": {"encoding": "utf-8", "header": True},
        CSVW_KEY: str(SCHEMA_VERSION),
        "tableSchema": {"columns": columns},
    }


def write_csv_metadata(csv: Path, schema: pa.Schema) -> None:
    text = json.dumps(csv_metadata(csv, schema), ensure_ascii=False, indent=2) + "\n"
    replace_atomic(csv_metadata_path(csv), lambda tmp: Path(tmp).write_text(text, "utf-8"))


def csv_schema(csv: Path, default: pa.Schema) -> pa.Schema:
    """The columns of a CSV as its metadata gives them (list columns as text), else `default`
    (a CSV written before the metadata was)."""
    meta = csv_metadata_path(csv)
    if not meta.is_file():
        return default
    try:
        columns = json.loads(meta.read_text(encoding="utf-8"))["tableSchema"]["columns"]
        return pa.schema([(c["name"], _ARROW_OF_CSVW[c["datatype"]]) for c in columns])
    except (ValueError, KeyError, TypeError) as exc:
        message = f"outdir: {meta} is not the CSVW metadata perftab writes ({exc})"
        raise OptionError(message) from exc


def replace_atomic(path: Path, write: Callable[[str], object]) -> None:
    """`write(tmp)` into a temporary file beside `path`, then rename it over `path`."""
    tmp = _new_temporary(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _new_temporary(path: Path) -> str:
    """An empty file beside `path`, created with the mode any new file gets here (0666 less the
    umask: 0644 under the usual 022) so that the output, once renamed, is readable by whoever
    may read the folder; tempfile.mkstemp would make it 0600."""
    for _ in range(100):
        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(4)}.part")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return tmp
    raise FileExistsError(f"{path.parent}: no free temporary name for {path.name}")


def spool_paths(outdir: Path | str, sha256: str) -> dict[str, Path]:
    """Where a worker writes the content parts of a file as it reads it (rows.FileRows), for
    the store to put in place: beside each part, under a temporary file's name, which Parquet
    readers skip and which the next run's open removes should a run be killed meanwhile."""
    part = f"part-{sha256[:16]}.parquet"
    return {name: Path(outdir) / f"{name}.parquet" / f".{part}.spool.part" for name in CONTENT}


def lock_outdir(outdir: Path, name: str = LOCK_NAME, wait: bool = False) -> int:
    """An exclusive lock on OUTDIR (its file `name`), held until unlock_outdir (or the process's
    end: the system lets go of it then). A run's lock is refused at once, not waited for: a
    second run would only redo the first's files; `wait` waits for it (a short update)."""
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / name
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OptionError(
                f"outdir: {outdir} is being written by another perftab run; wait for it to end "
                "or write to another folder"
            ) from None
        # the lock file is removed when a run ends: a lock taken on a file removed meanwhile
        # is no lock, try the one at the path now
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


def unlock_outdir(outdir: Path, fd: int, name: str = LOCK_NAME) -> None:
    """Remove the lock file while still holding it, so an output holds no file of perftab's
    own; a run that opened it meanwhile finds it gone and takes a new one (lock_outdir)."""
    try:
        (outdir / name).unlink(missing_ok=True)
    finally:
        os.close(fd)


@contextmanager
def outdir_locked(outdir: Path, name: str = LOCK_NAME, wait: bool = False) -> Iterator[None]:
    fd = lock_outdir(outdir, name, wait)
    try:
        yield
    finally:
        unlock_outdir(outdir, fd, name)


def remove_leftovers(folder: Path) -> None:
    """Temporary files of a run killed while writing; only ever called with OUTDIR locked, as
    another run's are its files being written."""
    for leftover in folder.glob(".*.part"):
        leftover.unlink(missing_ok=True)


def open_store(outdir: Path, fmt: str, excel: bool = False) -> ParquetStore | CsvStore:
    with output_faults(outdir):
        if fmt == "xlsx":
            return XlsxStore(outdir)
        return ParquetStore(outdir) if fmt == "parquet" else CsvStore(outdir, excel)


# What to do about a fault of the machine writing OUTDIR, by its errno.
_OUTPUT_ADVICE: dict[int | None, str] = {
    errno.ENOSPC: "no space left on the device; free some space and run the same command "
    "again: the files done are kept",
    errno.EDQUOT: "over the disk quota; free some space and run the same command again: the "
    "files done are kept",
    errno.EROFS: "the file system is read-only; give a folder you can write to with -o",
    errno.EACCES: "permission denied; give a folder you can write to with -o",
    errno.EPERM: "permission denied; give a folder you can write to with -o",
    errno.ENOTDIR: "a part of the path is a file, not a folder; give another folder with -o",
    errno.EEXIST: "a file of that name is in the way; give another folder with -o",
    # the folder gone while a run wrote to it: removed, or its disk or network share lost
    errno.ENOENT: "the folder vanished while perftab wrote to it (removed, or its disk or "
    "network drive gone); bring it back, or give another folder with -o, and run the same "
    "command again",
    errno.EIO: "the disk or network drive failed to write (input/output error); check it and "
    "run the same command again: the files done are kept",
    errno.ESTALE: "the network folder is no longer reachable; mount it again and run the same "
    "command again: the files done are kept",
    errno.ENOTCONN: "the network folder is no longer reachable; mount it again and run the same "
    "command again: the files done are kept",
}
# faults of the whole folder, named by it rather than by the temporary file being written
_FOLDER_FAULTS = (errno.ENOSPC, errno.EDQUOT, errno.ENOENT, errno.EIO, errno.ESTALE,
                  errno.ENOTCONN)


@contextmanager
def output_faults(outdir: Path) -> Iterator[None]:
    """An OSError writing OUTDIR as an OutputError naming the path and what to do."""
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(output_fault(outdir, exc)) from exc


def output_fault(outdir: Path, exc: OSError) -> str:
    code = exc.errno
    if code is None and "no space left on device" in str(exc).lower():  # pyarrow's own wording
        code = errno.ENOSPC
    where = exc.filename if isinstance(exc.filename, str) else str(outdir)
    if code in _FOLDER_FAULTS:
        where = str(outdir)
    advice = _OUTPUT_ADVICE.get(code) or (
        f"cannot write ({exc.strerror or exc}); check the folder (a network drive gone?) and "
        "run the same command again"
    )
    return f"{where}: {advice}"


def replace_output(outdir: Path, name: str, tables: list[TableRecord]) -> Path:
    """One CONTENT output of OUTDIR rewritten whole from these tables, in the format OUTDIR
    holds (`perftab check` redoes the checks of an output)."""
    with output_faults(outdir):
        return _replace_output(outdir, name, tables)


def _replace_output(outdir: Path, name: str, tables: list[TableRecord]) -> Path:
    if (outdir / "tables.parquet").exists():
        with ParquetStore(outdir) as store:
            store.replace_dataset(name, tables)
        return store.outputs[name]
    rows = records_table(content_records(tables, name), record_classes()[name], flat=True)
    rows = rows.sort_by([(key, "ascending") for key in _CSV_ORDER[name]])
    if workbook_path(outdir).is_file() and not (outdir / "tables.csv").exists():
        return _replace_sheet(outdir, name, rows)
    path = outdir / f"{name}.csv"
    with open(outdir / "tables.csv", "rb") as fh:  # written with --excel: keep its BOM
        bom = fh.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8
    with outdir_locked(outdir):
        replace_atomic(path, lambda tmp: _write_csv(rows, tmp, bom))
    return path


def _replace_sheet(outdir: Path, name: str, rows: pa.Table) -> Path:
    with XlsxStore(outdir) as store:
        store.rows[name] = rows  # written when it closes
    return store.outputs[name]


def _write_csv(table: pa.Table, tmp: str, bom: bool) -> None:
    with open(tmp, "wb") as fh:
        if bom:
            fh.write(codecs.BOM_UTF8)
        pacsv.write_csv(for_excel(table) if bom else table, fh)


def read_output(outdir: str | os.PathLike, name: str) -> pa.Table:
    """OUTDIR/name as written by `perftab extract` with the documented columns in their order:
    the Parquet dataset (its year partition read back as int64, null where the table has none),
    a single name.parquet file (older versions), name.csv, else the sheet of perftab.xlsx
    (list columns as "; "-joined text in these two)."""
    cls = record_classes()[name]
    parquet = Path(outdir) / f"{name}.parquet"
    csv = Path(outdir) / f"{name}.csv"
    if parquet.exists():
        output = check_readable(parquet)
        table = _read_dataset(parquet, cls) if parquet.is_dir() else pq.read_table(parquet)
    elif csv.is_file() or not (Path(outdir) / "perftab.xlsx").is_file():
        check_readable(csv)
        return _read_csv(csv, csv_schema(csv, flat_schema(cls)))
    else:
        check_readable(workbook_path(Path(outdir)))
        return read_sheet(workbook_path(Path(outdir)), name, flat_schema(cls))
    return conformed(table, record_schema(cls), output)


def path_key(source_path: str) -> str:
    return hashlib.sha256(source_path.encode("utf-8")).hexdigest()[:16]


def _read_dataset(root: Path, cls) -> pa.Table:
    """A dataset folder: the parts at its root, and those an older version left in year=…/
    folders (their year taken from the folder name)."""
    import pyarrow.dataset as ds  # it imports pandas (a third of a second): only when read

    schema = record_schema(cls)
    tables = [ds.dataset(root, format="parquet", schema=schema, exclude_invalid_files=False,
                         ignore_prefixes=[".", "_", "year="]).to_table()]
    for folder in sorted(root.glob("year=*")):
        tables += [_with_folder_year(pq.read_table(part), folder, schema)
                   for part in sorted(folder.glob("part-*.parquet"))]
    return pa.concat_tables(tables)


def _holds_files(root: Path) -> bool:
    """Whether a dataset folder holds a file pyarrow.dataset reads (its default
    ignore_prefixes pass over a name starting with "." or "_", and the folders so named)."""
    for _, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith((".", "_"))]
        if any(not f.startswith((".", "_")) for f in files):
            return True
    return False


def _with_folder_year(table: pa.Table, folder: Path, schema: pa.Schema) -> pa.Table:
    value = folder.name.removeprefix("year=")
    year = None if value in LEGACY_NO_YEAR else int(value)
    if "year" in table.column_names:
        table = table.drop_columns(["year"])
    table = table.append_column("year", pa.array([year] * len(table), pa.int64()))
    return table.select(schema.names).cast(schema)


def _flatten_year_folders(root: Path, schema: pa.Schema) -> None:
    """Move the parts an older version wrote into year=…/ folders to the root, the year a
    column, so the dataset has one layout."""
    for folder in sorted(root.glob("year=*")):
        for part in sorted(folder.glob("part-*.parquet")):
            table = _with_folder_year(pq.read_table(part), folder, schema)
            ParquetStore._write_part(root / part.name, table)
            part.unlink()
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()


class _Store:
    outdir: Path
    outputs: dict[str, Path]
    shas: dict[str, str | None]  # source_path -> the sha256 its files row names
    _lock: int | None = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc) -> None:
        try:
            # a full disk or a folder gone: nothing more is written, what was done is kept
            if exc_type is None or not issubclass(exc_type, OutputError):
                with output_faults(self.outdir):
                    self.close()
        finally:
            self._unlock()

    def _unlock(self) -> None:
        if self._lock is not None:
            unlock_outdir(self.outdir, self._lock)
            self._lock = None

    def _replaced_content(self, result: FileResult) -> str | None:
        """The sha256 of the content a path had before this result, when no files row names it
        any more (another path with the same content keeps it); this result's files row is
        recorded."""
        old = self.shas.get(result.source_path)
        self.shas[result.source_path] = result.sha256
        if old is None or old == result.sha256 or old in self.shas.values():
            return None
        return old

    def _referenced(self) -> set[str]:
        """The sha16 of every content a files row names."""
        return {sha[:16] for sha in self.shas.values() if sha}

    def recorded(self) -> dict[str, tuple[str | None, str]]:
        """source_path -> (sha256, status) of every file already in OUTDIR."""
        rows = self._files_rows()
        return {r["source_path"]: (r["sha256"], r["status"]) for r in rows}

    def _files_rows(self) -> list[dict]:
        raise NotImplementedError

    def add(self, result: FileResult) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class ParquetStore(_Store):
    def __init__(self, outdir: Path):
        self.outdir = outdir
        self.outputs = {name: outdir / f"{name}.parquet" for name in NAMES}
        self.schemas = {name: _part_schema(name) for name in NAMES}
        self._lock = lock_outdir(outdir)
        try:
            self._open()
        except BaseException:
            self._unlock()
            raise

    def _open(self) -> None:
        recover_compaction(self.outdir)  # a `perftab compact` killed midway
        for path in self.outputs.values():
            if path.is_file():
                raise OptionError(
                    f"outdir: {path} is a single file written by an older perftab; "
                    "move it away or write to another folder"
                )
            path.mkdir(parents=True, exist_ok=True)
            for folder in [path, *path.glob("year=*")]:
                remove_leftovers(folder)
        for name in CONTENT:
            _flatten_year_folders(self.outputs[name], self.schemas[name])
        sweep_files(self.outputs["files"])  # a run killed before it closed: its parts win
        self.shas = {r["source_path"]: r["sha256"] for r in self._files_rows()}
        referenced = self._referenced()
        for name in CONTENT:
            for part in self.outputs[name].glob("part-*.parquet"):
                match = _CONTENT_PART.fullmatch(part.name)
                if match and match.group(1) not in referenced:
                    part.unlink()
        self._sweep_compacted()

    def _sweep_compacted(self) -> None:
        """The rows of compacted files (perftab/compact.py) that parts written since replace,
        or whose content no files row names any more, removed."""
        sweep_files(self.outputs["files"])
        referenced = self._referenced()
        for name in CONTENT:
            sweep_content(self.outputs[name], referenced)

    def _files_rows(self) -> list[dict]:
        if not _holds_files(self.outputs["files"]):  # a new OUTDIR: nothing to read
            return []
        import pyarrow.dataset as ds  # it imports pandas (a third of a second): only when read

        files = ds.dataset(self.outputs["files"], format="parquet", schema=self.schemas["files"])
        return files.to_table(columns=["source_path", "sha256", "status"]).to_pylist()

    def add(self, result: FileResult) -> None:
        """The file's table, indicator and field parts, then its files row, which marks it
        done."""
        if result.rows is not None and result.rows.fault is not None:
            raise result.rows.fault  # writing its spool (rows.py): a fault of OUTDIR
        if result.sha256 and result.status != "duplicate":
            if result.status != "ok":  # a worker lost on it may have left its spool
                for path in spool_paths(self.outdir, result.sha256).values():
                    path.unlink(missing_ok=True)
            self._write_content(result.sha256[:16], result.content())
        files = records_table([result], record_classes()["files"])
        self._write_part(self.outputs["files"] / f"part-{path_key(result.source_path)}.parquet",
                         files)
        # after the files row: a run killed between the two leaves parts no row names, which
        # the next run's open removes
        if replaced := self._replaced_content(result):
            for name in CONTENT:
                (self.outputs[name] / f"part-{replaced[:16]}.parquet").unlink(missing_ok=True)

    def _write_content(self, sha16: str, rows: FileRows) -> None:
        part = f"part-{sha16}.parquet"
        for name in CONTENT:
            if not rows.n_tables:  # nothing to add; what it gave before is gone (--force)
                (self.outputs[name] / part).unlink(missing_ok=True)
                continue
            (self.outputs[name] / _EMPTY_PART).unlink(missing_ok=True)
            if rows.spool is not None:  # written by the worker: put in place
                os.replace(rows.spool[name], self.outputs[name] / part)
            else:
                self._write_rows(name, rows.table(name), Path(part))

    def _write_rows(self, name: str, rows: pa.Table, relative: Path) -> None:
        table = rows.select(self.schemas[name].names)
        path = self.outputs[name] / relative
        path.parent.mkdir(exist_ok=True)
        self._write_part(path, table)

    def replace_dataset(self, name: str, tables: list[TableRecord]) -> None:
        """One CONTENT dataset rewritten from these tables, a part per input file; the parts of
        any other file are removed."""
        written = set()
        for sha16, group in groupby(sorted(tables, key=_file_of), key=_file_of):
            relative = Path(f"part-{sha16}.parquet")
            records = content_records(list(group), name)
            self._write_rows(name, records_table(records, record_classes()[name]), relative)
            written.add(self.outputs[name] / relative)
        root = self.outputs[name]
        for part in [*root.rglob("part-*.parquet"), *root.glob("compact-*.parquet")]:
            if part not in written:
                part.unlink()

    @staticmethod
    def _write_part(path: Path, table: pa.Table) -> None:
        replace_atomic(path, lambda tmp: pq.write_table(table, tmp, row_group_size=PART_ROWS))

    def close(self) -> None:
        """The rows compacted files lost to this run's parts removed; each dataset kept readable
        with its columns even when it has no rows yet."""
        self._sweep_compacted()
        for name, root in self.outputs.items():
            empty = root / _EMPTY_PART
            parts = [p for p in root.rglob("part-*.parquet") if p.name != _EMPTY_PART]
            if parts or any(root.glob("compact-*.parquet")):
                empty.unlink(missing_ok=True)
            elif not empty.exists():
                self._write_part(empty, record_schema(record_classes()[name]).empty_table())


class CsvStore(_Store):
    def __init__(self, outdir: Path, excel: bool = False):
        self.outdir = outdir
        self._lock = lock_outdir(outdir)
        try:
            self._open(outdir, excel)
        except BaseException:
            self._unlock()
            raise

    def _open(self, outdir: Path, excel: bool) -> None:
        remove_leftovers(outdir)
        self.outdir, self.excel = outdir, excel
        self.outputs = self._output_paths()
        self.schemas = {name: flat_schema(cls) for name, cls in record_classes().items()}
        self.rows = self._read_rows()
        self.pending: dict[str, list] = {name: [] for name in NAMES}
        self.redone_paths: set[str] = set()
        self.since_written = 0
        self.shas = {r["source_path"]: r["sha256"] for r in self._files_rows()}
        # rows of content no files row names (a run killed mid-rewrite) go at the next rewrite
        self.redone_shas: set[str] = self._unreferenced()

    def _output_paths(self) -> dict[str, Path]:
        return {name: self.outdir / f"{name}.csv" for name in NAMES}

    def _read_rows(self) -> dict[str, pa.Table]:
        """The rows already in OUTDIR, each output with its flat schema."""
        return {
            name: _read_csv(path, self.schemas[name]) if path.is_file()
            else self.schemas[name].empty_table()
            for name, path in self.outputs.items()
        }

    def _unreferenced(self) -> set[str]:
        import pyarrow.compute as pc

        table_ids = pa.concat_arrays([self.rows[name]["table_id"].combine_chunks()
                                      for name in CONTENT])
        written = pc.unique(pc.utf8_slice_codeunits(table_ids, 0, 16)).drop_null().to_pylist()
        return set(written) - self._referenced()

    def _files_rows(self) -> list[dict]:
        return self.rows["files"].select(["source_path", "sha256", "status"]).to_pylist()

    def add(self, result: FileResult) -> None:
        self.redone_paths.add(result.source_path)
        if result.sha256 and result.status != "duplicate":
            self.redone_shas.add(result.sha256[:16])
        if replaced := self._replaced_content(result):
            self.redone_shas.add(replaced[:16])
        self.pending["files"].append(result)
        content = result.content()
        for name in CONTENT:
            self.pending[name].append(flat_table(content.table(name), record_classes()[name]))
        self.since_written += 1
        if self.since_written >= CSV_EVERY:
            self.flush()

    def close(self) -> None:
        self.flush()

    def flush(self) -> None:
        """Rewrite the outputs: the rows kept from before and the new ones, sorted."""
        classes = record_classes()
        merged = {}
        for name in NAMES:
            if name == "files":
                new = [records_table(self.pending[name], classes[name], flat=True)]
            else:
                new = self.pending[name]  # flat already
            rows = pa.concat_tables([self._kept(name), *new])
            merged[name] = rows.sort_by([(key, "ascending") for key in _CSV_ORDER[name]])
        self._write_all(merged)
        self.rows = merged
        self.pending = {name: [] for name in NAMES}
        self.redone_paths, self.redone_shas, self.since_written = set(), set(), 0

    def _write_all(self, tables: dict[str, pa.Table]) -> None:
        classes = record_classes()
        for name, table in tables.items():
            path = self.outputs[name]
            replace_atomic(path, partial(self._write_csv, table))
            write_csv_metadata(path, record_schema(classes[name]))

    def _kept(self, name: str) -> pa.Table:
        """The rows from before, less those of the files done again in this run."""
        import pyarrow.compute as pc

        rows = self.rows[name]
        if name == "files":
            redone = pc.is_in(rows["source_path"], pa.array(sorted(self.redone_paths), pa.string()))
        else:
            sha16 = pc.utf8_slice_codeunits(rows["table_id"], 0, 16)
            redone = pc.is_in(sha16, pa.array(sorted(self.redone_shas), pa.string()))
        return rows.filter(pc.invert(pc.fill_null(redone, False)))

    def _write_csv(self, table: pa.Table, tmp: str) -> None:
        with open(tmp, "wb") as fh:
            if self.excel:  # Excel reads a CSV as the local code page unless it starts so
                fh.write(codecs.BOM_UTF8)
            pacsv.write_csv(for_excel(table) if self.excel else table, fh)


class XlsxStore(CsvStore):
    """A CsvStore whose five tables are the sheets of one workbook (perftab/xlsx.py)."""

    def __init__(self, outdir: Path):
        super().__init__(outdir, excel=False)

    def _output_paths(self) -> dict[str, Path]:
        return dict.fromkeys(NAMES, workbook_path(self.outdir))

    def _read_rows(self) -> dict[str, pa.Table]:
        path = workbook_path(self.outdir)
        if not path.is_file():
            return {name: self.schemas[name].empty_table() for name in NAMES}
        return {name: read_sheet(path, name, self.schemas[name]) for name in NAMES}

    def _write_all(self, tables: dict[str, pa.Table]) -> None:
        replace_atomic(workbook_path(self.outdir), lambda tmp: write_workbook(tables, tmp))


def _read_csv(path: Path, schema: pa.Schema) -> pa.Table:
    """A CSV this module wrote (with or without a BOM) back with its schema: empty quoted
    strings stay empty, unquoted empty cells are null."""
    options = pacsv.ConvertOptions(
        column_types={f.name: f.type for f in schema},
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
    )
    try:
        table = pacsv.read_csv(path, convert_options=options)
        table = from_excel(table) if written_for_excel(path) else table
        for name in NEWER_COLUMNS.get(path.stem, ()):  # written before the column was
            if name not in table.column_names and name in schema.names:
                table = table.append_column(name, pa.nulls(len(table), schema.field(name).type))
        return table.select(schema.names)
    except (pa.ArrowException, KeyError) as exc:
        raise OptionError(f"outdir: {path} cannot be read back to add to it ({exc})") from exc


def _part_schema(name: str) -> pa.Schema:
    return record_schema(record_classes()[name])


def _file_of(table: TableRecord) -> str:
    return table.table_id[:16]


# --- compacted files (perftab compact, perftab/compact.py) ----------------------------------------

COMPACTED = "compact-*.parquet"  # many input files' rows, sorted, per year
ROW_GROUP_ROWS = 100_000  # the row groups of a compacted file
_LOOSE_PART = re.compile(r"part-([0-9a-f]{16})\.parquet")


def staging_folder(root: Path) -> Path:
    return root.with_name(f".{root.name}.compacted")


def retired_folder(root: Path) -> Path:
    return root.with_name(f".{root.name}.old")


def write_compacted(path: Path, table: pa.Table) -> None:
    replace_atomic(path, lambda tmp: pq.write_table(table, tmp, row_group_size=ROW_GROUP_ROWS))


def recover_compaction(outdir: Path) -> None:
    """Finish or undo a compaction killed midway (OUTDIR locked): the dataset moved away only
    once its compacted folder was complete, so that folder takes its place."""
    for name in NAMES:
        root = Path(outdir) / f"{name}.parquet"
        staging, old = staging_folder(root), retired_folder(root)
        if old.is_dir() and not root.exists():
            (staging if staging.is_dir() else old).rename(root)
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)


def sweep_files(root: Path) -> None:
    """Compacted `files` rows of a path that has a part of its own (written since) removed."""
    compacted = sorted(root.glob(COMPACTED))
    if not compacted:
        return
    import pyarrow.compute as pc

    loose = _loose_keys(root)
    for path in compacted:
        paths = pq.read_table(path, columns=["source_path"]).column("source_path").to_pylist()
        keys = pa.array([path_key(p) for p in paths], pa.string())
        _drop_rows(path, pc.is_in(keys, pa.array(sorted(loose), pa.string())))


def sweep_content(root: Path, referenced: set[str]) -> None:
    """Compacted rows of a content no files row names (`referenced`: their sha16s), or that a
    part of its own holds now (the file read again), removed."""
    compacted = sorted(root.glob(COMPACTED))
    if not compacted:
        return
    import pyarrow.compute as pc

    loose = _loose_keys(root)
    for path in compacted:
        table_ids = pq.read_table(path, columns=["table_id"])["table_id"]
        sha16 = pc.utf8_slice_codeunits(table_ids, 0, 16)
        shas = set(pc.unique(sha16).drop_null().to_pylist())
        gone = sorted(s for s in shas if s not in referenced or s in loose)
        if gone:
            _drop_rows(path, pc.is_in(sha16, pa.array(gone, pa.string())))


def _loose_keys(root: Path) -> set[str]:
    return {m.group(1) for p in root.glob("part-*.parquet") if (m := _LOOSE_PART.fullmatch(p.name))}


def _drop_rows(path: Path, drop: pa.ChunkedArray) -> None:
    import pyarrow.compute as pc

    drop = pc.fill_null(drop, False)
    if not pc.any(drop).as_py():
        return
    table = pq.read_table(path).filter(pc.invert(drop))
    if table.num_rows:
        write_compacted(path, table)
    else:
        path.unlink()
