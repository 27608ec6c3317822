"""One file's job, the same wherever it runs: in this process, in a local worker process
(perftab/workers.py, through batch.run_jobs) or on a Dask worker (perftab/cluster.py).

    hash_file -> Hashed;  run_job(FileJob) -> FileResult, never raising for the file's faults
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

from perftab.extract import DocumentError, detect_kind
from perftab.extract.errors import ErrorKind

from .discovery import bytes_at, printable
from .pipeline import cannot_read, extract_file, sha256_of
from .records import FileJob, FileResult, Hashed, error_result
from .rows import FileRows
from .workers import out_of_memory
from .writers import spool_paths

WORKER_DIED = (  # a Dask worker's (perftab/cluster.py); a local one's says how it died (workers.py)
    "the process reading it died (out of memory, or a crash in a library reading it); "
    "open it to check it"
)


def hash_file(path: Path | str) -> Hashed:
    try:
        return Hashed(path, sha256_of(bytes_at(path)))
    except OSError as exc:
        return Hashed(path, None, cannot_read(path, exc))


def kind_of(path: Path) -> str | None:
    """The kind of a file by its content; None when it cannot be told."""
    try:
        return detect_kind(Path(bytes_at(path)))
    except (DocumentError, OSError):
        return None


def run_job(job: FileJob, read_from: Path | None = None) -> FileResult:
    """One file, in a worker process or in this one, its tables as Arrow rows (the stores
    write them; with job.spool, written already into OUTDIR for the store to put in place:
    perftab/rows.py). `read_from` is where the bytes are when not at job.path (a URL's local copy,
    a relative path made absolute on a cluster worker); the rows still name job.path."""
    read_from = read_from or (Path(job.copy) if job.copy else None)
    source = printable(str(job.path)) if read_from else None
    rows = FileRows(spool_paths(job.spool, job.sha256) if job.spool else None)
    try:
        return extract_file(Path(read_from or job.path), job.cross_check, sha=job.sha256,
                            max_pages=job.max_pages, max_bytes=job.max_bytes, source=source,
                            corrections=job.corrections, limits=job.limits,
                            pdf_reader=job.pdf_reader, rows=rows)
    except MemoryError:  # past a worker's ceiling (workers.cap_memory)
        rows.discard()
        return job_failed(job, out_of_memory(), ErrorKind.OUT_OF_MEMORY)
    except Exception as exc:  # a reader's bug on one odd file must not stop the batch
        rows.discard()
        if job.tracebacks:  # printed where it happened: a worker's stderr is the terminal's
            print(f"perftab: {printable(str(job.path))}: traceback of the failure:",
                  file=sys.stderr)
            traceback.print_exc()
        return job_failed(job, f"perftab failed on it ({type(exc).__name__}: {exc}); "
                               "please report it with the file", ErrorKind.INTERNAL)


def job_failed(job: FileJob, cause: str, error_kind: ErrorKind | str) -> FileResult:
    name = printable(str(job.path))
    return error_result(name, error_kind, f"{name}: {cause}", job.sha256)
