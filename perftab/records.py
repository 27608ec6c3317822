"""The records perftab's own modules hand each other, in one place so that none of them has to
import another's internals to get at them:

    FileJob    a file to extract, as sent to a worker process or a cluster (perftab/jobs.py)
    Hashed     an input with its sha256, or why it could not be read
    FileResult one input's outcome: its files row, and the tables read from it (as records,
               or as Arrow rows: perftab/rows.py)
    DiffRow    one row of `perftab diff`'s output (perftab/diff.py, perftab/diff_report.py)

A FileResult of a file that gave no rows is made by `error_result` (or `duplicate_result`), so
every such row carries its status, its error kind and a printable message alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from perftab.extract.errors import ErrorKind
from perftab.extract.limits import LIMITS, Limits
from perftab.normalize.records import TableRecord

from .discovery import Passed, printable
from .rows import FileRows


@dataclass(frozen=True)
class Hashed:
    """An input with the sha256 of its content, or why it could not be read."""

    path: Path | str  # a local path, or a URL (perftab/remote.py)
    sha256: str | None
    error: str | None = None  # the files row's message when there is no sha256
    kind: str | None = None  # a URL's, found where it was hashed; a local file's is looked up


@dataclass(frozen=True)
class FileJob:
    """One file to extract; small and picklable, for a worker process or a cluster."""

    path: Path | str  # a local path, or a URL read through fsspec (perftab/remote.py)
    sha256: str
    cross_check: bool = False
    max_pages: int | None = None
    max_bytes: int | None = None
    tracebacks: bool = False  # print the traceback when perftab fails on it (-v)
    corrections: tuple = ()  # a reviewer's for this content, applied as it is read
    limits: Limits = LIMITS  # what it is refused past (--max-table-cells …)
    pdf_reader: str = "pdfium"  # who reads a born-digital PDF's text layer (PDF_READERS)
    # OUTDIR, when the Parquet parts are written where the file is read (rows.FileRows spool)
    spool: str | None = None
    copy: str | None = None  # where a pipe's bytes were saved (discovery.bytes_at), read for it


@dataclass
class FileResult:
    source_path: str
    sha256: str | None
    kind: str | None
    pages: int | None
    status: str  # ok | no_table | duplicate | skipped | error
    error: str | None  # the message: the file, the cause, what to do
    n_tables: int
    seconds: float
    error_kind: str | None = None  # an ErrorKind's value; None for a file read
    duplicate_of: str | None = None  # status duplicate: the path read for this content
    tables: list[TableRecord] = field(default_factory=list, repr=False)
    # the tables' rows as Arrow, instead of `tables`, from a file read for a batch (rows.py)
    rows: FileRows | None = field(default=None, repr=False, compare=False)

    def content(self) -> FileRows:
        """The rows of the file's tables, whichever way they were kept."""
        return self.rows if self.rows is not None else FileRows.of(self.tables)


def error_result(
    name: str,
    error_kind: ErrorKind | str,
    message: str,
    sha: str | None = None,
    kind: str | None = None,
    seconds: float = 0.0,
    *,
    pages: int | None = None,
    status: str = "error",
    duplicate_of: str | None = None,
) -> FileResult:
    """The files row of a file that gave no rows, with its kind and its message: an `error`,
    or with `status` an entry passed over (`skipped`), a `duplicate` or a document with no
    table (`no_table`)."""
    return FileResult(name, sha, kind, pages, status, printable(message), 0, seconds,
                      ErrorKind(error_kind).value, duplicate_of)


def passed_result(passed: Passed) -> FileResult:
    """The files row of an entry discovery passed over (perftab/discovery.py)."""
    return error_result(passed.name, passed.error_kind, passed.message, status=passed.status)


def duplicate_result(name: str, sha: str, kind: str | None, original: str) -> FileResult:
    """The files row of a file whose content `original` holds too, and is read for both."""
    message = f"{name}: the same content as {original}, which is read for both"
    return error_result(name, ErrorKind.DUPLICATE, message, sha, kind, status="duplicate",
                        duplicate_of=original)


@dataclass
class DiffRow:
    """One row of the diff. Field order is the column order of the output (docs/diff.md)."""

    row_kind: str                 # project | indicator
    change: str
    direction: str | None
    department: str | None
    project_name: str | None      # as named in NEW (in OLD for a removed project)
    project_name_old: str | None
    match_score: float | None     # of the project names: 100 exact, lower fuzzy
    match_by: str | None = None   # how the projects paired: mapping | name | similar
    department_code: str | None = None      # NEW's (OLD's for a removed project)
    department_old: str | None = None       # OLD's department; null for an added project
    department_code_old: str | None = None
    department_match: str | None = None     # how the departments paired: mapping | code | name
    #                                          | similar; null when a side has no project
    level1_std: str | None = None
    level2_std: str | None = None
    level3: str | None = None     # as named in NEW (in OLD for a removed indicator)
    level3_old: str | None = None
    level3_score: float | None = None
    old_target_raw: str | None = None
    new_target_raw: str | None = None
    old_op: str | None = None
    new_op: str | None = None
    old_value: float | None = None
    new_value: float | None = None
    old_value_max: float | None = None
    new_value_max: float | None = None
    old_unit: str | None = None
    new_unit: str | None = None
    old_funds_total_wan: float | None = None
    new_funds_total_wan: float | None = None
    delta: float | None = None       # of value (indicator rows) or funds_total_wan (project rows)
    delta_pct: float | None = None   # 100 * delta / |old|
    old_year: int | None = None
    new_year: int | None = None
    old_table_id: str | None = None
    new_table_id: str | None = None
    old_seq: int | None = None
    new_seq: int | None = None
    old_source_path: str | None = None
    old_page: int | None = None
    new_source_path: str | None = None
    new_page: int | None = None
    old_locator: str | None = None
    new_locator: str | None = None
