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

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Protocol

from perftab.extract.errors import ErrorKind
from perftab.extract.limits import LIMITS

from .corrections import corrections_by_file, lost_files, read_corrections
from .discovery import bytes_at, printable
from .jobs import hash_file as hash_file  # batch.FileJob, hash_file, sha256_of: for tests
from .jobs import job_failed, kind_of, run_job
from .options import ExtractOptions, is_url
from .pipeline import discover_inputs
from .pipeline import sha256_of as sha256_of
from .progress import FilesBar, hashing
from .records import FileJob as FileJob
from .records import FileResult, Hashed, duplicate_result, error_result
from .remote import discover_urls
from .workers import Failed, Lost, WorkerLimits, run_each
from .writers import open_store, output_faults

FINAL = ("ok", "no_table", "error")  # a file recorded so is not extracted again without --force
EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # of b""


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
        content = result.content()
        self.n_tables += content.n_tables
        self.n_indicators += content.n_indicators
        self.n_warnings += content.n_warnings
        for severity, n in content.n_checks.items():
            self.n_checks[severity] = self.n_checks.get(severity, 0) + n
        # written already; a batch can be large
        self.files.append(replace(result, tables=[], rows=None))

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def failed(self) -> bool:
        """A file failed, in this run or in the run that recorded a file skipped now."""
        return self.count("error") > 0 or "error" in self.skipped

    @property
    def all_failed(self) -> bool:
        """Every file failed, in this run or in the run that recorded a file skipped now."""
        statuses = [f.status for f in self.files if f.status != "skipped"] + self.skipped
        return bool(statuses) and all(status == "error" for status in statuses)

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
                with output_faults(options.outdir):
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
        if isinstance(item, str) and is_url(item):
            urls, errors = discover_urls([item])
            found += urls
        else:
            paths, errors = discover_inputs([Path(item)])
            found += paths
        unlisted += errors
    return list(dict.fromkeys(found)), unlisted


@contextmanager
def open_runner(options: ExtractOptions) -> Iterator[Runner]:
    if options.scheduler is None:
        limits = WorkerLimits(options.file_timeout, options.max_memory)
        in_process = options.jobs == 1 if options.in_process is None else options.in_process
        yield LocalRunner(options.jobs, None if in_process else limits)
        return
    from .cluster import cluster_runner  # imports Dask, which a local run does without

    with cluster_runner(options.scheduler) as runner:
        yield runner


class LocalRunner:
    """Hashes in this process; extracts in worker processes, each file under `limits`, or
    without them (None) in this process."""

    def __init__(self, workers: int, limits: WorkerLimits | None = None):
        self.workers = workers
        self.limits = limits

    def hash(self, found: list[Path | str], quiet: bool) -> Iterator[Hashed]:
        return (hash_file(path) for path in hashing(found, quiet))

    def run(self, jobs: list[FileJob]) -> Iterator[FileResult]:
        return run_jobs(jobs, self.workers, limits=self.limits)


def plan_batch(
    hashed: Iterable[Hashed], recorded: dict[str, tuple[str | None, str]], options: ExtractOptions,
    corrections: dict[str, tuple] | None = None,
) -> Plan:
    """Skip what OUTDIR already has, settle duplicates and unreadable files, and make a job of
    the rest, with the reviewer's `corrections` of its content (sha256 -> corrections). Empty
    files are never duplicates: each gets its own error row."""
    hashed = list(hashed)
    done = recorded_contents(recorded, hashed, options)
    first: dict[str, str] = {}  # sha256 -> the first path with that content in this run
    limits = replace(LIMITS, **options.limits)
    # a local worker writes a file's Parquet parts as it reads it (perftab/rows.py)
    local_parquet = options.format == "parquet" and options.scheduler is None
    spool = str(options.outdir) if local_parquet else None
    plan = Plan()
    for item in hashed:
        name, sha = printable(str(item.path)), item.sha256
        if sha is None:
            plan.settled.append(error_result(name, ErrorKind.IO_ERROR, item.error or name))
        elif sha in done and recorded.get(name, (None,))[0] == sha:
            plan.skipped.append(recorded[name][1])
        elif (original := done.get(sha) or first.get(sha)) and sha != EMPTY_SHA:
            plan.settled.append(duplicate_result(name, sha, _kind(item), original))
        else:
            first.setdefault(sha, name)
            plan.jobs.append(FileJob(item.path, sha, options.cross_check, options.max_pages,
                                     options.max_bytes, options.tracebacks,
                                     (corrections or {}).get(sha, ()), limits,
                                     pdf_reader=options.pdf_reader, spool=spool,
                                     copy=_copy_of(item.path)))
    return plan


def _copy_of(path: Path | str) -> str | None:
    """Where a pipe's bytes were saved, for the worker to read; None for a file."""
    at = bytes_at(path)
    return None if at == path else str(at)


def recorded_contents(
    recorded: dict[str, tuple[str | None, str]], hashed: list[Hashed], options: ExtractOptions
) -> dict[str, str]:
    """sha256 -> the recorded path whose rows hold it, for the contents this run need not read
    again: none with --force; no failed one with --retry-failed; and none whose path holds
    other content now (its rows would name a file that no longer has them: a copy of it, once
    a duplicate, is read in its place)."""
    redo = FINAL if options.force else ("error",) if options.retry_failed else ()
    now = {printable(str(item.path)): item.sha256 for item in hashed}
    return {
        sha: path for path, (sha, status) in recorded.items()
        if sha and status in FINAL and status not in redo and now.get(path, sha) == sha
    }


def read_shas(recorded: dict[str, tuple[str | None, str]], files: list[FileResult]) -> set:
    """The contents OUTDIR holds rows of after this run: each path's last `ok` files row."""
    statuses = {**recorded, **{f.source_path: (f.sha256, f.status) for f in files}}
    return {sha for sha, status in statuses.values() if status == "ok"}


def _kind(item: Hashed) -> str | None:
    return item.kind if is_url(item.path) else kind_of(Path(item.path))


def run_jobs(
    jobs: list[FileJob],
    workers: int,
    work: Callable[[FileJob], FileResult] | None = None,
    limits: WorkerLimits | None = None,
) -> Iterator[FileResult]:
    """Results in the order they finish. With `limits`, in worker processes (one for a single
    job): a worker that dies or runs out of time costs the file it held, an error row, and the
    others go on (perftab/workers.py); without, one after another in this process."""
    work = work or run_job
    if limits is None:
        yield from (work(job) for job in jobs)
        return
    for job, outcome in run_each(jobs, workers, work, limits):
        if isinstance(outcome, Failed | Lost):
            yield job_failed(job, outcome.cause, outcome.kind)
        else:
            yield outcome
