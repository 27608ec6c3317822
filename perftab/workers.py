"""Worker processes for a local run that the batch outlives.

    run_each: start workers -> hand each one job -> result | the worker died | time is up
              -> a dead or stopped worker replaced -> ... -> workers stopped

Each worker holds one job at a time, so when one dies (the OOM killer's SIGKILL, a segfault in a
C library) or runs past the time limit, the job it held is the one lost, by name, and the others
go on in the workers left and in the one started in its place. concurrent.futures'
ProcessPoolExecutor cannot do this: one dead worker breaks the whole pool, a submit() after it
raises, and which of the jobs in flight killed it cannot be told.

A worker caps its own address space (RLIMIT_AS) so that a file that would exhaust the machine
ends in a MemoryError inside it, and it dies with its parent: a perftab killed with kill -9
leaves no workers behind.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from typing import Any

# One file per worker, each single-threaded: OpenMP, and OCR in the worker itself rather than
# in a pool of its own (extract/scan_reader.py), or N workers would each start N threads.
WORKER_ENV = {"OMP_NUM_THREADS": "1", "PERFTAB_OCR_WORKERS": "1"}
PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT_POLL_SECONDS = 1.0
STOP_SECONDS = 5.0  # how long a worker told to stop may take before it is killed


@dataclass(frozen=True)
class WorkerLimits:
    """What one file may cost its worker: seconds of wall time, bytes of address space."""

    file_timeout: float | None = None
    max_memory: int | None = None


@dataclass(frozen=True)
class Lost:
    """A job whose worker died or was stopped before it answered; `cause` says which, for the
    job's error row."""

    cause: str
    died: bool = field(default=True, compare=False)  # not stopped by us: worth a second try

    @property
    def kind(self) -> str:
        """The files row's error_kind (extract.errors.ErrorKind)."""
        return "worker_died" if self.died else "timeout"


@dataclass
class _Task:
    job: Any
    deaths: int = 0  # of the workers that held it


@dataclass(frozen=True)
class Failed:
    """A job whose work raised in the worker (or whose result could not be sent back)."""

    cause: str
    kind: str = "internal"  # the files row's error_kind: internal | out_of_memory


def run_each(
    jobs: Iterable[Any], workers: int, work: Callable[[Any], Any], limits: WorkerLimits
) -> Iterator[tuple[Any, Any]]:
    """(job, work(job) | Failed | Lost) for every job, in the order they finish, on up to
    `workers` processes. `work` must be picklable (a module-level function).

    A job whose worker dies is tried once more in a new worker before it is Lost: the OOM
    killer picks the biggest process, which may be another file's worker, or one idle since
    a big file, that the next job was handed to."""
    queue = deque(_Task(job) for job in jobs)
    pool: list[_Worker] = []
    try:
        while queue or any(w.task is not None for w in pool):
            _hand_out(queue, pool, workers, work, limits)
            yield from _answers(queue, pool, limits)
    finally:
        _stop_all(pool)


def _hand_out(queue: deque, pool: list[_Worker], workers: int, work, limits) -> None:
    pool[:] = [w for w in pool if w.usable()]
    while queue and len(pool) < workers:
        pool.append(_Worker.start(work, limits))
    for worker in pool:
        if worker.task is None and queue:
            worker.give(queue.popleft())


def _answers(queue: deque, pool: list[_Worker], limits: WorkerLimits) -> Iterator[tuple]:
    """Waits until a busy worker answers, dies or runs out of time; each such job's outcome."""
    busy = [w for w in pool if w.task is not None]
    waits = [c for w in busy for c in (w.conn, w.process.sentinel)]
    wait(waits, timeout=_time_left(busy, limits.file_timeout))
    for worker in busy:
        outcome = worker.outcome(limits.file_timeout)
        if outcome is None:
            continue
        task, worker.task = worker.task, None
        assert task is not None  # a worker with an outcome was busy with a task
        if isinstance(outcome, Lost) and outcome.died and task.deaths == 0:
            task.deaths += 1
            queue.appendleft(task)
        else:
            yield task.job, outcome


def _time_left(busy: list[_Worker], file_timeout: float | None) -> float | None:
    if file_timeout is None:
        return None
    oldest = min(w.started for w in busy)
    return max(0.0, oldest + file_timeout - time.monotonic())


def _stop_all(pool: list[_Worker]) -> None:
    for worker in pool:
        worker.conn.close()  # an idle worker waiting for a job ends at this
    deadline = time.monotonic() + STOP_SECONDS
    for worker in pool:
        if worker.task is not None:  # the run ended early (an error, Ctrl-C): no one waits for it
            worker.process.kill()
        worker.process.join(max(0.0, deadline - time.monotonic()))
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()


class _Worker:
    """One worker process, the job it holds and since when."""

    def __init__(self, process, conn: Connection):
        self.process = process
        self.conn = conn
        self.task: _Task | None = None
        self.started = 0.0
        self.alive = True

    def usable(self) -> bool:
        """Alive, or idle and found dead (an OOM kill between files): let go."""
        if self.alive and self.task is None and not self.process.is_alive():
            self._lost("")
        return self.alive

    @classmethod
    def start(cls, work: Callable, limits: WorkerLimits) -> _Worker:
        """Started by spawn, not fork (onnxruntime's thread pool does not survive a fork)."""
        context = get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(
            target=serve, args=(theirs, os.getpid(), limits.max_memory),
            name="perftab-worker", daemon=True,
        )
        with worker_env():
            process.start()
        theirs.close()
        # sent, not given as an argument: unpickled, it imports the readers, which the worker
        # does once it is bound to its parent and under its memory ceiling
        with suppress(OSError):  # it died at once: found dead when it is given a job
            ours.send(work)
        return cls(process, ours)

    def give(self, task: _Task) -> None:
        self.task, self.started = task, time.monotonic()
        with suppress(OSError):  # it died idle: outcome() finds it dead
            self.conn.send(task.job)

    def outcome(self, file_timeout: float | None) -> Any | None:
        """The job's result, Failed or Lost; None while it is still at work."""
        if self.conn.poll():
            try:
                return _answer(self.conn.recv())
            except (EOFError, OSError):
                return self._lost(died(self.process))
            except Exception as exc:  # read whole, but not unpicklable here: the pipe is clean
                return Failed(f"perftab failed on it ({type(exc).__name__}: {exc})")
        if not self.process.is_alive():
            return self._lost(died(self.process))
        if file_timeout is not None and time.monotonic() - self.started > file_timeout:
            self.process.kill()
            return self._lost(f"timed out after {file_timeout:g} s (--file-timeout); "
                              "its worker was stopped", died=False)
        return None

    def _lost(self, cause: str, died: bool = True) -> Lost:
        self.process.kill()  # a worker that closed its end but lingers
        self.process.join()
        self.conn.close()
        self.alive = False
        return Lost(cause, died)


def _answer(message: tuple[str, Any]) -> Any:
    kind, value = message
    if kind == "ok":
        return value
    return Failed(value, "out_of_memory" if kind == "out_of_memory" else "internal")


def died(process) -> str:
    """How a worker ended, for the error row of the file it held."""
    process.join(STOP_SECONDS)  # its end of the pipe closed: it is on its way out
    if process.is_alive():
        process.kill()
        process.join()
    code = process.exitcode
    if code is not None and code < 0:
        name = _signal_name(-code)
        why = "out of memory?" if -code == signal.SIGKILL else "a crash in a library reading it?"
        return f"the worker reading it was killed ({name}; {why}); open it to check it"
    return (f"the worker reading it died (exit status {code}; a crash in a library reading "
            "it?); open it to check it")


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


@contextmanager
def worker_env() -> Iterator[None]:
    """WORKER_ENV set while a worker starts: it inherits it before importing numpy or
    onnxruntime, which read it once, at import. The parent's environment is given back."""
    saved = {key: os.environ.get(key) for key in WORKER_ENV}
    os.environ.update(WORKER_ENV)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# --- in a worker --------------------------------------------------------------------------------


def serve(conn: Connection, parent: int, max_memory: int | None) -> None:
    """A worker's life: the work to do, then jobs in, answers out, until the parent closes the
    pipe or dies."""
    die_with_parent(parent)
    cap_memory(max_memory)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops us
    try:
        work = conn.recv()
    except (EOFError, OSError):
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(_attempt(work, job))
        except OSError:  # the parent is gone
            return
        except Exception as exc:  # pickled whole before a byte is sent: the pipe is still clean
            conn.send(("error", f"perftab failed on it ({type(exc).__name__}: {exc})"))


def _attempt(work: Callable, job: Any) -> tuple[str, Any]:
    try:
        return ("ok", work(job))
    except MemoryError:
        return ("out_of_memory", out_of_memory())
    except Exception as exc:  # whatever it is, the file's row says so and the worker goes on
        return ("error", f"perftab failed on it ({type(exc).__name__}: {exc})")


def out_of_memory() -> str:
    """The error of a file that ran out of memory, naming this process's ceiling if it has one."""
    ceiling = memory_ceiling()
    if ceiling is None:
        return "perftab ran out of memory reading it"
    return (f"perftab ran out of memory reading it (a worker's ceiling, --max-memory, is "
            f"{ceiling / 2**30:g} GB)")


def memory_ceiling() -> int | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft


def cap_memory(max_memory: int | None) -> None:
    """RLIMIT_AS: an allocation past it fails (MemoryError) instead of waking the OOM killer,
    which would pick the biggest process, perhaps another worker's, and give no reason."""
    if max_memory is None:
        return
    try:
        import resource
    except ImportError:  # Windows
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        max_memory = min(max_memory, hard)
    with suppress(ValueError, OSError):  # a system that will not set it (macOS): no ceiling
        resource.setrlimit(resource.RLIMIT_AS, (max_memory, hard))


def die_with_parent(parent: int) -> None:
    """Ends this process when `parent` dies, however it dies (kill -9 runs no cleanup of its
    own): the kernel's parent-death signal on Linux, and a thread watching the parent's pid
    wherever else, or should the signal be missed."""
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)
