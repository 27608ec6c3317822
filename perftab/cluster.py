"""`perftab extract --scheduler ADDRESS`: the per-file work on a Dask distributed cluster.

perftab/batch.py's run_extract orchestrates as for a local run, with ClusterRunner as its runner:

    hash: inputs named by URL hashed on the workers (client.map), local files here
    run:  one task per file to extract (client.map), results taken as they complete
          (as_completed) and written here by the same store as a local run's

so skipping, resuming, duplicates and the output's layout are the local run's. A worker reads a
URL through fsspec into a local copy (perftab/remote.py); a local path it reads where it is, so
a cluster on other machines needs the same path mounted on every worker. See docs/cluster.md.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from distributed import Client, Future, KilledWorker, as_completed
from distributed.comm import resolve_address

from perftab.extract.errors import ErrorKind
from perftab.extract.scan_reader import WORKERS_ENV

from .jobs import WORKER_DIED, hash_file, job_failed, kind_of, run_job
from .options import OptionError, is_url
from .pipeline import cannot_read
from .progress import hashing
from .records import FileJob, FileResult, Hashed, error_result
from .remote import local_copy


@contextmanager
def cluster_runner(address: str) -> Iterator[ClusterRunner]:
    """A client of the scheduler at `address`, closed afterwards (which cancels what is left
    of this run on the cluster). How long to try connecting is Dask's setting,
    distributed.comm.timeouts.connect (DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT)."""
    try:
        # an address checked first: a Client made of a malformed one hangs a minute on exit
        client = Client(resolve_address(address), set_as_default=False)
    except (OSError, ValueError) as exc:  # not an address, no such host; timed out
        raise OptionError(f"scheduler: cannot connect to {address} ({exc})") from exc
    with client:
        yield ClusterRunner(client)


class ClusterRunner:
    def __init__(self, client: Client):
        self.client = client

    def hash(self, found: list[Path | str], quiet: bool) -> Iterator[Hashed]:
        """In the order found: URLs hashed on the workers, all at once; local files here."""
        urls = [item for item in found if is_url(item)]
        futures = dict(zip(urls, self.client.map(hash_on_worker, urls, pure=False), strict=True))
        for item in hashing(found, quiet):
            yield _hashed(futures.pop(item), item) if item in futures else hash_file(item)

    def run(
        self, jobs: list[FileJob], work: Callable[[FileJob, Path | str], FileResult] | None = None
    ) -> Iterator[FileResult]:
        """Results in the order they finish, each let go on the cluster once taken."""
        if not jobs:
            return
        locations = [_location(job) for job in jobs]
        tasks = self.client.map(work or extract_on_worker, jobs, locations, pure=False)
        pending = dict(zip(tasks, jobs, strict=True))
        del tasks  # a result is let go once taken: only `pending` holds the futures
        for future in as_completed(pending, loop=self.client.loop):
            yield _result(future, pending.pop(future))


def _location(job: FileJob) -> Path | str:
    """Where a worker reads the file: a worker runs in a folder of its own, so a path relative
    to this one is made absolute (the rows keep the path as given)."""
    return job.path if is_url(job.path) else Path(job.path).absolute()


def _hashed(future: Future, url: Path | str) -> Hashed:
    try:
        return future.result()
    except Exception as exc:  # a file system's own error type, a worker lost on the way
        return Hashed(url, None, f"{url}: cannot read the file ({exc})")


def _result(future: Future, job: FileJob) -> FileResult:
    try:
        return future.result()
    except KilledWorker:  # every worker that tried it died (distributed.scheduler.allowed-failures)
        return job_failed(job, WORKER_DIED, ErrorKind.WORKER_DIED)
    except Exception as exc:  # e.g. a result that could not be sent back
        return job_failed(job, f"perftab failed on it ({type(exc).__name__}: {exc})",
                          ErrorKind.INTERNAL)


# --- on a worker --------------------------------------------------------------------------------


def hash_on_worker(url: str) -> Hashed:
    """A URL's sha256, and its kind (a duplicate's files row names it)."""
    try:
        with local_copy(url) as (copy, sha):
            return Hashed(url, sha, kind=kind_of(copy))
    except OSError as exc:
        return Hashed(url, None, cannot_read(url, exc))


def extract_on_worker(job: FileJob, location: Path | str) -> FileResult:
    """One file: a local path read where it is, a URL from a local copy of its bytes."""
    _ocr_in_this_process()
    if isinstance(location, Path):
        return run_job(job, location)
    try:
        with local_copy(location) as (copy, _):
            return run_job(job, copy)
    except OSError as exc:
        return error_result(str(job.path), ErrorKind.IO_ERROR, cannot_read(job.path, exc),
                            job.sha256)


def _ocr_in_this_process() -> None:
    """Dask's worker processes are daemons, and a daemon may not start processes of its own:
    scanned pages are read by OCR in the worker itself (extract/scan_reader.py). Scale with
    more worker processes instead."""
    if multiprocessing.current_process().daemon:
        os.environ[WORKERS_ENV] = "1"
