"""`perftab extract` over many files: the orchestrator.

    discover_inputs -> plan_batch -> run_jobs -> store.add, file by file -> RunSummary

plan_batch hashes every file in this process first: a file already recorded in OUTDIR is
skipped (unless --force), and the same content under a second path is a `duplicate` row, never
extracted twice. run_jobs extracts the rest in worker processes; each file's rows are written as
soon as it is done, so a run killed halfway is resumed by running it again.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from multiprocessing import get_context
from pathlib import Path

from extract import DocumentError, detect_kind

from .options import ExtractOptions
from .pipeline import FileResult, cannot_read, discover_inputs, extract_file, printable, sha256_of
from .progress import FilesBar, hashing
from .writers import open_store

FINAL = ("ok", "no_table", "error")  # a file recorded so is not extracted again without --force
EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # of b""
# One file per worker, each single-threaded: OpenMP, and OCR in the worker itself rather than
# in a pool of its own (extract/scan_reader.py), or N workers would each start N threads.
WORKER_ENV = {"OMP_NUM_THREADS": "1", "PERFTAB_OCR_WORKERS": "1"}
QUEUED_PER_WORKER = 2  # jobs handed to the pool ahead, per worker


@dataclass(frozen=True)
class FileJob:
    """One file to extract; small and picklable, for a worker process."""

    path: Path
    sha256: str
    cross_check: bool = False
    max_pages: int | None = None
    max_bytes: int | None = None


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
    seconds: float = 0.0
    outputs: dict[str, Path] = field(default_factory=dict)

    def add(self, result: FileResult) -> None:
        tables = result.tables
        self.n_tables += len(tables)
        self.n_indicators += sum(t.n_indicators for t in tables)
        self.n_warnings += sum(len(t.warnings) for t in tables)
        self.n_warnings += sum(len(i.warnings) for t in tables for i in t.indicators)
        self.files.append(replace(result, tables=[]))  # written already; a batch can be large

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def failed(self) -> bool:
        """A file failed, in this run or in the run that recorded a file skipped now."""
        return self.count("error") > 0 or "error" in self.skipped

    def slowest(self, n: int = 5) -> list[FileResult]:
        return sorted(self.files, key=lambda f: f.seconds, reverse=True)[:n]


def run_extract(options: ExtractOptions) -> RunSummary:
    start = time.perf_counter()
    paths, unlisted = discover_inputs(options.inputs)
    with open_store(options.outdir, options.format, options.excel) as store:
        plan = plan_batch(paths, store.recorded(), options)
        summary = RunSummary(skipped=plan.skipped)
        settled = [*unlisted, *plan.settled]
        with FilesBar(len(settled) + len(plan.jobs), options.quiet) as bar:
            for result in chain(settled, run_jobs(plan.jobs, options.jobs)):
                store.add(result)
                summary.add(result)
                bar.advance(result)
    summary.outputs = store.outputs
    summary.seconds = time.perf_counter() - start
    return summary


def plan_batch(
    paths: list[Path], recorded: dict[str, tuple[str | None, str]], options: ExtractOptions
) -> Plan:
    """Hash each file; skip what OUTDIR already has, settle duplicates and unreadable files, and
    make a job of the rest. Empty files are never duplicates: each gets its own error row."""
    done = {} if options.force else {
        sha: path for path, (sha, status) in recorded.items() if sha and status in FINAL
    }
    first: dict[str, str] = {}  # sha256 -> the first path with that content in this run
    plan = Plan()
    for path in hashing(paths, options.quiet):
        name = printable(str(path))
        try:
            sha = sha256_of(path)
        except OSError as exc:
            plan.settled.append(FileResult(name, None, None, None, "error",
                                           cannot_read(path, exc), 0, 0.0))
            continue
        if sha in done and recorded.get(name, (None,))[0] == sha:
            plan.skipped.append(recorded[name][1])
        elif (original := done.get(sha) or first.get(sha)) and sha != EMPTY_SHA:
            plan.settled.append(
                FileResult(name, sha, _kind(path), None, "duplicate", original, 0, 0.0)
            )
        else:
            first.setdefault(sha, name)
            plan.jobs.append(FileJob(path, sha, options.cross_check, options.max_pages,
                                     options.max_bytes))
    return plan


def _kind(path: Path) -> str | None:
    try:
        return detect_kind(path)
    except (DocumentError, OSError):
        return None


def run_job(job: FileJob) -> FileResult:
    """One file, in a worker process or in this one."""
    try:
        return extract_file(job.path, job.cross_check, sha=job.sha256,
                            max_pages=job.max_pages, max_bytes=job.max_bytes)
    except Exception as exc:  # a reader's bug on one odd file must not stop the batch
        return _failed(job, f"perftab failed on it ({type(exc).__name__}: {exc}); "
                            "please report it with the file")


def _failed(job: FileJob, cause: str) -> FileResult:
    name = printable(str(job.path))
    return FileResult(name, job.sha256, None, None, "error", printable(f"{name}: {cause}"), 0, 0.0)


def run_jobs(
    jobs: list[FileJob], workers: int, work: Callable[[FileJob], FileResult] | None = None
) -> Iterator[FileResult]:
    """Results in the order they finish. One worker (or one job) runs in this process."""
    work = work or run_job
    if min(workers, len(jobs)) <= 1:
        yield from (work(job) for job in jobs)
        return
    queue = iter(jobs)
    while True:
        in_flight_at_crash = yield from _until_a_worker_dies(queue, workers, work)
        if not in_flight_at_crash:
            return
        for job in in_flight_at_crash:
            yield _alone(job, work)


def _until_a_worker_dies(
    queue: Iterator[FileJob], workers: int, work: Callable
) -> Generator[FileResult, None, list[FileJob]]:
    """Results as they come, a few jobs queued ahead per worker. If a worker process dies (out of
    memory, a crash in a C library) the pool is broken: stop, and return the jobs in flight."""
    in_flight: dict[Future, FileJob] = {}
    with worker_pool(workers) as pool:
        while True:
            for job in islice(queue, QUEUED_PER_WORKER * workers - len(in_flight)):
                in_flight[pool.submit(work, job)] = job
            if not in_flight:
                return []
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            broken = []
            for future in done:
                job = in_flight.pop(future)
                if isinstance(future.exception(), BrokenProcessPool):
                    broken.append(job)
                else:
                    yield _result(future, job)
            if broken:
                return [*broken, *in_flight.values()]


def _alone(job: FileJob, work: Callable) -> FileResult:
    """A job in flight when a worker died, run in a pool of its own: if its worker dies too, this
    is the file that kills them."""
    with worker_pool(1) as pool:
        future = pool.submit(work, job)
        if isinstance(future.exception(), BrokenProcessPool):
            return _failed(job, "the process reading it died (out of memory, or a crash in a "
                                "library reading it); open it to check it")
        return _result(future, job)


def _result(future: Future, job: FileJob) -> FileResult:
    exc = future.exception()
    if exc is not None:  # e.g. a result that could not be sent back
        return _failed(job, f"perftab failed on it ({type(exc).__name__}: {exc})")
    return future.result()


@contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """Worker processes started by spawn, not fork (onnxruntime's thread pool does not survive a
    fork), with WORKER_ENV set while they start: they inherit it before importing numpy or
    onnxruntime, which read it once, at import."""
    saved = {key: os.environ.get(key) for key in WORKER_ENV}
    os.environ.update(WORKER_ENV)
    pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
