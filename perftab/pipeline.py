"""One file: document -> grids -> canonical records, as a FileResult that never raises for the
file's own faults. The work happens in extract/ and normalize/; perftab/batch.py runs this over
many files."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePath

from perftab.extract import DocumentError, Grid, check_limits, detect_kind, stream_grids
from perftab.extract.camelot_check import cross_check as camelot_cross_check
from perftab.extract.errors import ErrorKind
from perftab.extract.limits import Limits, limits_set
from perftab.normalize.records import FieldRecord, IndicatorRecord, TableRecord
from perftab.normalize.table import stream_tables

from .corrections import check_corrected
from .discovery import find_inputs, printable
from .discovery import is_input_name as is_input_name  # public: which names a folder search reads
from .records import FileResult as FileResult  # public: perftab.extract_file's result
from .records import error_result, passed_result
from .rows import FileRows

NO_TABLE = "no performance target table found (no table with 三级指标 and 指标值 columns)"
CHANGED = "the file changed while perftab read it; run perftab again to read it as it is now"
# A year in a file or folder name (预算/2023/…, 2023年项目.pdf), not inside a longer number.
_PATH_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def discover_inputs(inputs: list[Path]) -> tuple[list[Path], list[FileResult]]:
    """Files as given, and inside folders every file of a kind perftab reads (discovery.py), in
    a stable order; and a row for every entry passed over, with its cause."""
    found, passed = find_inputs(inputs)
    return found, [passed_result(p) for p in passed]


def extract_file(
    path: Path,
    cross_check: bool = False,
    *,
    sha: str | None = None,
    max_pages: int | None = None,
    max_bytes: int | None = None,
    source: str | None = None,
    corrections: tuple = (),
    limits: Limits | None = None,
    pdf_reader: str = "pdfium",
    rows: FileRows | None = None,
) -> FileResult:
    """One file, never raising for the file's own faults. `sha` is the file's sha256 when the
    caller has it already; the file is hashed again once read, and rows of a file that is no
    longer that content are not kept. The limits are checked before any parser opens the file.
    `source` is the name to record when `path` is a local copy (of a URL, perftab/remote.py): the
    rows, the messages and the year from the path are then the source's. `corrections` are a
    reviewer's for this content (perftab/corrections.py), applied before the checks run.
    `limits` are those a file is refused past (extract/limits.py; default LIMITS). Given
    `rows`, the tables go there as they are read, made Arrow (or written to its spool), and come
    back as `FileResult.rows` rather than as records: how a batch keeps a long document's rows
    (perftab/rows.py); a file that gives no rows leaves `rows` empty, its spool removed."""
    with limits_set(limits):
        result = _extract_file(path, cross_check, sha, max_pages, max_bytes, source,
                               corrections, pdf_reader, rows)
    if rows is not None and result.rows is None:
        rows.discard()
    return result


def _extract_file(path, cross_check, sha, max_pages, max_bytes, source, corrections,
                  pdf_reader="pdfium", rows=None):
    start = time.perf_counter()
    kind = None
    name = source or printable(str(path))
    try:
        kind = detect_kind(path)
        sha = sha or sha256_of(path)
        check_limits(path, kind, max_pages, max_bytes)
        extraction = stream_grids(path, kind, pdf_reader)
        grids = extraction.grids
        if cross_check and kind == "pdf":
            grids = cross_check_with_camelot(grids, path)
        tables = finished_tables(stream_tables(grids, sha), name, corrections)
        kept = [] if rows is not None else list(tables)
        for table in tables if rows is not None else ():
            rows.add(table)
    except DocumentError as exc:
        message = _renamed(str(exc), path, source)
        return error_result(name, exc.kind, message, sha, kind, time.perf_counter() - start)
    except OSError as exc:
        message = _renamed(cannot_read(path, exc), path, source)
        return error_result(name, ErrorKind.IO_ERROR, message, sha, kind,
                            time.perf_counter() - start)
    if changed := _changed_since_hashed(path, sha):
        # the rows are of content no sha256 names; with none recorded, the next run reads it
        error_kind, message = changed
        return error_result(name, error_kind, _renamed(message, path, source), None, kind,
                            time.perf_counter() - start)
    seconds = time.perf_counter() - start
    n_tables = rows.n_tables if rows is not None else len(kept)
    if not n_tables:
        return error_result(name, ErrorKind.NO_TABLE, f"{name}: {NO_TABLE}", sha,
                            extraction.kind, seconds, pages=extraction.pages, status="no_table")
    return FileResult(name, sha, extraction.kind, extraction.pages, "ok", None, n_tables,
                      seconds, tables=kept, rows=rows.finish() if rows is not None else None)


def finished_tables(
    tables: Iterable[TableRecord], name: str, corrections: tuple
) -> Iterator[TableRecord]:
    """Each table as the outputs hold it, handed on as it comes: named by its file, given the
    year of its path when its title gives none, corrected and checked. A reviewer's correction
    may find its row in any table of the file, so a file with corrections is finished whole."""
    if corrections:
        yield from _finished(list(tables), name, corrections)
        return
    for table in tables:
        yield from _finished([table], name, ())


def _finished(tables: list[TableRecord], name: str, corrections: tuple) -> list[TableRecord]:
    for table in tables:
        table.source_path = name
    year_from_path(tables, name)
    check_corrected(tables, corrections)
    return tables


def _changed_since_hashed(path: Path, sha: str) -> tuple[ErrorKind, str] | None:
    """Why the rows just read cannot be recorded under `sha`, and its kind: the file is no
    longer the content hashed (replaced between the hashing and the reading, or while it was
    read)."""
    try:
        if sha256_of(path) == sha:
            return None
    except OSError as exc:
        return ErrorKind.IO_ERROR, cannot_read(path, exc)
    return ErrorKind.CHANGED, f"{path}: {CHANGED}"


def _renamed(message: str, path: Path, source: str | None) -> str:
    """A reader's message about a local copy, naming the source instead (every mention: the
    legacy-format message quotes the path in the command to convert it)."""
    return message.replace(str(path), source) if source else message


def cannot_read(path: Path | str, exc: OSError) -> str:
    return printable(f"{path}: cannot read the file ({exc.strerror or exc})")


def cross_check_with_camelot(grids: Iterable[Grid], path: Path) -> Iterator[Grid]:
    for grid in grids:
        for r, notes in camelot_cross_check(grid, path).items():
            grid.warnings.setdefault(r, []).extend(notes)
        yield grid


def year_from_path(tables: list[TableRecord], source_path: str) -> None:
    """A table whose title gives no year takes one from its file name, else from the nearest
    folder name (archives are filed as 2023/…); copied to the table's indicators and fields."""
    found = _year_in_path(source_path)
    if found is None:
        return
    year, part = found
    for table in tables:
        if table.year is None:
            table.year, table.year_source = year, f"path: {part}"
            records: list[IndicatorRecord | FieldRecord] = [*table.indicators, *table.fields]
            for record in records:
                record.year = year


def _year_in_path(source_path: str) -> tuple[int, str] | None:
    for part in reversed(PurePath(source_path).parts):
        match = _PATH_YEAR.search(part)
        if match:
            return int(match.group(1)), part
    return None


def sha256_of(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
