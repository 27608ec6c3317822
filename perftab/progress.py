"""The progress of a batch on stderr: files per second, pages per second and the time left.

On a terminal, a tqdm bar. Elsewhere (a log file, a pipe, a scheduler's job output), where a bar
would only be noise, a line every LOG_EVERY seconds, so that a run of many minutes does not
look stuck. Nothing with --quiet. With -v, a line per file with its time, status and path.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator, Sized
from typing import TypeVar

T = TypeVar("T")
LOG_EVERY = 10.0  # seconds between two progress lines when stderr is not a terminal


def _now() -> float:
    return time.monotonic()


def _on_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False


class ProgressLog:
    """Progress lines for a log: `perftab: extracting 120/2000 files (6%), ...`, at most one
    every LOG_EVERY seconds, and none for a run done sooner."""

    def __init__(self, task: str, total: int | None):
        self.task, self.total = task, total
        self.done = self.pages = 0
        self._start = self._last = _now()

    def advance(self, pages: int = 0) -> None:
        self.done += 1
        self.pages += pages
        now = _now()
        if now - self._last >= LOG_EVERY:
            self._last = now
            print(f"perftab: {self.line(now - self._start)}", file=sys.stderr, flush=True)

    def line(self, elapsed: float) -> str:
        rate = self.done / max(elapsed, 1e-9)
        done = f"{self.done}/{self.total}" if self.total else f"{self.done}"
        parts = [f"{self.task} {done} files"]
        if self.total:
            parts[0] += f" ({100 * self.done // self.total}%)"
        parts.append(f"{rate:.1f} files/s")
        if self.pages:
            parts.append(f"{self.pages / max(elapsed, 1e-9):.1f} pages/s")
        if self.total and self.done < self.total and rate > 0:
            parts.append(f"about {_duration((self.total - self.done) / rate)} left")
        return ", ".join(parts)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def hashing(paths: Iterable[T], quiet: bool) -> Iterator[T]:
    """Files as they are hashed (a large archive takes a while), then the bar goes away."""
    if quiet:
        yield from paths
    elif _on_terminal():
        from tqdm import tqdm  # only for a bar: a quiet run does without it

        yield from tqdm(paths, desc="hashing", unit="file", leave=False)
    else:
        log = ProgressLog("hashing", len(paths) if isinstance(paths, Sized) else None)
        for path in paths:
            yield path
            log.advance()


class FilesBar:
    """Files done of `total`, with pages per second beside files per second and the time
    left; `timings` (-v): a line for each file."""

    def __init__(self, total: int, quiet: bool = False, timings: bool = False):
        terminal = _on_terminal()
        self._bar = _files_bar(total) if terminal and not quiet else _NoBar()
        self._log = ProgressLog("extracting", total) if not (quiet or terminal) else None
        self._timings = timings
        self._pages = 0
        self._start = time.perf_counter()

    def advance(self, result) -> None:
        if self._timings:
            self._write(file_timing(result))
        if self._log:
            self._log.advance(result.pages or 0)
        self._pages += result.pages or 0
        elapsed = max(time.perf_counter() - self._start, 1e-9)
        self._bar.set_postfix_str(f"{self._pages / elapsed:.1f} pages/s", refresh=False)
        self._bar.update()

    def _write(self, line: str) -> None:
        if self._bar.disable:
            print(line, file=sys.stderr, flush=True)
        else:  # above the bar, which is drawn again below it
            self._bar.write(line, file=sys.stderr)

    def __enter__(self) -> FilesBar:
        return self

    def __exit__(self, *exc) -> None:
        self._bar.close()


def _files_bar(total: int):
    from tqdm import tqdm  # only for a bar: a quiet run, or one logging to a file, does without

    return tqdm(total=total, desc="extracting", unit="file", smoothing=0.1)


class _NoBar:
    """What FilesBar asks of a bar, when none is drawn."""

    disable = True

    def set_postfix_str(self, text: str, refresh: bool = True) -> None:
        pass

    def update(self) -> None:
        pass

    def write(self, line: str, file=None) -> None:
        print(line, file=file, flush=True)

    def close(self) -> None:
        pass


def file_timing(result) -> str:
    """`perftab: 1.25 s  ok, 3 tables, 6 pages  a/b.pdf` (-v)."""
    what = [result.status]
    if result.n_tables:
        what.append(f"{result.n_tables} table{'s' if result.n_tables != 1 else ''}")
    if result.pages:
        what.append(f"{result.pages} page{'s' if result.pages != 1 else ''}")
    return f"perftab: {result.seconds:7.2f} s  {', '.join(what)}  {result.source_path}"
