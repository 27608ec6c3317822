"""`perftab extract` over many files: the orchestrator.

    discover -> runner.hash -> plan_batch -> runner.run -> store.add, file by file -> RunSummary

Every file is hashed first: a file already recorded in OUTDIR is skipped (unless --force), and
the same content under a second path is a `duplicate` row, never extracted twice. The runner
extracts the rest: LocalRunner in worker processes on this machine (run_jobs), or with
--scheduler a Dask cluster (perftab/cluster.py), which also hashes the inputs named by URL.
Either way each file's rows are written here as soon as it is done, by the same store, so a run
killed halfway is resumed by running it again.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Protocol

from extract import DocumentError, detect_kind

from .corrections import corrections_by_file, lost_files, read_corrections
from .options import ExtractOptions, is_url
from .pipeline import FileResult, cannot_read, discover_inputs, extract_file, printable, sha256_of
from .progress import FilesBar, hashing
from .remote import discover_urls
from .workers import Failed, Lost, WorkerLimits, out_of_memory, run_each
from .writers import open_store

FINAL = ("ok", "no_table", "error")  # a file recorded so is not extracted again without --force
EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # of b""
WORKER_DIED = (  # a Dask worker's (perftab/cluster.py); a local one's says how it died (workers.py)
    "the process reading it died (out of memory, or a crash in a library reading it); "
    "open it to check it"
)


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
    pdf_reader: str = "pdfium"  # who reads a born-digital PDF's text layer (PDF_READERS)


@dataclass
class Plan:
    jobs: list[FileJob] = field(default_factory=list)
    settled: list[FileResult] = field(default_factory=list)  # decided here: duplicates, unread
    skipped: list[str] = field(default_factory=list)  # recorded statuses of the files skipped


@dataclass
class RunSummary:
    files: list[FileResult] = field(default_factory=list)  # this run's, without their tables
    skipped: list[str] = field(default_factory=list)
    n_tables: int = 0
    n_indicators: int = 0
    n_warnings: int = 0
    n_checks: dict[str, int] = field(default_factory=dict)  # severity -> checks found
    lost_corrections: list[str] = field(default_factory=list)  # review corrections not applied
    seconds: float = 0.0
    outputs: dict[str, Path] = field(default_factory=dict)

    def add(self, result: FileResult) -> None:
        tables = result.tables
        self.n_tables += len(tables)
        self.n_indicators += sum(t.n_indicators for t in tables)
        self.n_warnings += sum(len(t.warnings) for t in tables)
        self.n_warnings += sum(len(i.warnings) for t in tables for i in t.indicators)
        for check in (c for t in tables for c in t.checks):
            self.n_checks[check.severity] = self.n_checks.get(check.severity, 0) + 1
        self.files.append(replace(result, tables=[]))  # written already; a batch can be large

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def failed(self) -> bool:
        """A file failed, in this run or in the run that recorded a file skipped now."""
        return self.count("error") > 0 or "error" in self.skipped

    def slowest(self, n: int = 5) -> list[FileResult]:
        return sorted(self.files, key=lambda f: f.seconds, reverse=True)[:n]


class Runner(Protocol):
    """Where the files are hashed and extracted: LocalRunner, or cluster.ClusterRunner."""

    def hash(self, found: list[Path | str], quiet: bool) -> Iterator[Hashed]: ...

    def run(self, jobs: list[FileJob]) -> Iterator[FileResult]: ...


def run_extract(options: ExtractOptions) -> RunSummary:
    start = time.perf_counter()
    found, unlisted = discover(options.inputs)
    with (
        open_runner(options) as runner,
        open_store(options.outdir, options.format, options.excel) as store,
    ):
        recorded = store.recorded()
        corrections = read_corrections(options.outdir)
        plan = plan_batch(runner.hash(found, options.quiet), recorded, options,
                          corrections_by_file(corrections))
        summary = RunSummary(skipped=plan.skipped)
        settled = [*unlisted, *plan.settled]
        with FilesBar(len(settled) + len(plan.jobs), options.quiet, options.tracebacks) as bar:
            for result in chain(settled, runner.run(plan.jobs)):
                store.add(result)
                summary.add(result)
                bar.advance(result)
    summary.lost_corrections = lost_files(corrections, read_shas(recorded, summary.files))
    summary.outputs = store.outputs
    summary.seconds = time.perf_counter() - start
    return summary


def discover(inputs: list[Path | str]) -> tuple[list[Path | str], list[FileResult]]:
    """The files to read, in the order given: local files and folders (discover_inputs) and
    URLs (discover_urls); and an error row for each folder that could not be listed."""
    found: list[Path | str] = []
    unlisted: list[FileResult] = []
    for item in inputs:
        files, errors = discover_urls([item]) if is_url(item) else discover_inputs([item])
        found += files
        unlisted += errors
    return list(dict.fromkeys(found)), unlisted


@contextmanager
def open_runner(options: ExtractOptions) -> Iterator[Runner]:
    if options.scheduler is None:
        yield LocalRunner(options.jobs, WorkerLimits(options.file_timeout, options.max_memory))
        return
    from .cluster import cluster_runner  # imports Dask, which a local run does without

    with cluster_runner(options.scheduler) as runner:
        yield runner


class LocalRunner:
    """Hashes in this process; extracts in worker processes, or in this one (jobs=1)."""

    def __init__(self, workers: int, limits: WorkerLimits | None = None):
        self.workers = workers
        self.limits = limits or WorkerLimits()

    def hash(self, found: list[Path], quiet: bool) -> Iterator[Hashed]:
        return (hash_file(path) for path in hashing(found, quiet))

    def run(self, jobs: list[FileJob]) -> Iterator[FileResult]:
        return run_jobs(jobs, self.workers, limits=self.limits)


def hash_file(path: Path) -> Hashed:
    try:
        return Hashed(path, sha256_of(path))
    except OSError as exc:
        return Hashed(path, None, cannot_read(path, exc))


def plan_batch(
    hashed: Iterable[Hashed], recorded: dict[str, tuple[str | None, str]], options: ExtractOptions,
    corrections: dict[str, tuple] | None = None,
) -> Plan:
    """Skip what OUTDIR already has, settle duplicates and unreadable files, and make a job of
    the rest, with the reviewer's `corrections` of its content (sha256 -> corrections). Empty
    files are never duplicates: each gets its own error row."""
    done = {} if options.force else {
        sha: path for path, (sha, status) in recorded.items() if sha and status in FINAL
    }
    first: dict[str, str] = {}  # sha256 -> the first path with that content in this run
    plan = Plan()
    for item in hashed:
        name, sha = printable(str(item.path)), item.sha256
        if sha is None:
            plan.settled.append(FileResult(name, None, None, None, "error", item.error, 0, 0.0))
        elif sha in done and recorded.get(name, (None,))[0] == sha:
            plan.skipped.append(recorded[name][1])
        elif (original := done.get(sha) or first.get(sha)) and sha != EMPTY_SHA:
            plan.settled.append(
                FileResult(name, sha, _kind(item), None, "duplicate", original, 0, 0.0)
            )
        else:
            first.setdefault(sha, name)
            plan.jobs.append(FileJob(item.path, sha, options.cross_check, options.max_pages,
                                     options.max_bytes, options.tracebacks,
                                     (corrections or {}).get(sha, ()),
                                     pdf_reader=options.pdf_reader))
    return plan


def read_shas(recorded: dict[str, tuple[str | None, str]], files: list[FileResult]) -> set:
    """The contents OUTDIR holds rows of after this run: each path's last `ok` files row."""
    statuses = {**recorded, **{f.source_path: (f.sha256, f.status) for f in files}}
    return {sha for sha, status in statuses.values() if status == "ok"}


def _kind(item: Hashed) -> str | None:
    return item.kind if is_url(item.path) else kind_of(item.path)


def kind_of(path: Path) -> str | None:
    """The kind of a file by its content; None when it cannot be told."""
    try:
        return detect_kind(path)
    except (DocumentError, OSError):
        return None


def run_job(job: FileJob, read_from: Path | None = None) -> FileResult:
    """One file, in a worker process or in this one. `read_from` is where the bytes are when
    not at job.path (a URL's local copy, a relative path made absolute on a cluster worker);
    the rows still name job.path."""
    source = printable(str(job.path)) if read_from else None
    try:
        return extract_file(read_from or job.path, job.cross_check, sha=job.sha256,
                            max_pages=job.max_pages, max_bytes=job.max_bytes, source=source,
                            corrections=job.corrections, pdf_reader=job.pdf_reader)
    except MemoryError:  # past a worker's ceiling (workers.cap_memory)
        return job_failed(job, out_of_memory())
    except Exception as exc:  # a reader's bug on one odd file must not stop the batch
        if job.tracebacks:  # printed where it happened: a worker's stderr is the terminal's
            print(f"perftab: {printable(str(job.path))}: traceback of the failure:",
                  file=sys.stderr)
            traceback.print_exc()
        return job_failed(job, f"perftab failed on it ({type(exc).__name__}: {exc}); "
                               "please report it with the file")


def job_failed(job: FileJob, cause: str) -> FileResult:
    name = printable(str(job.path))
    return FileResult(name, job.sha256, None, None, "error", printable(f"{name}: {cause}"), 0, 0.0)


def run_jobs(
    jobs: list[FileJob],
    workers: int,
    work: Callable[[FileJob], FileResult] | None = None,
    limits: WorkerLimits | None = None,
) -> Iterator[FileResult]:
    """Results in the order they finish. One worker (or one job) runs in this process, without
    the limits; else a worker that dies or runs out of time costs the file it held, an error
    row, and the others go on (perftab/workers.py)."""
    work = work or run_job
    if min(workers, len(jobs)) <= 1:
        yield from (work(job) for job in jobs)
        return
    for job, outcome in run_each(jobs, workers, work, limits or WorkerLimits()):
        yield job_failed(job, outcome.cause) if isinstance(outcome, Failed | Lost) else outcome
