"""The progress of a batch on stderr (tqdm): files per second, pages per second and the time
left. Quiet with --quiet, and when stderr is not a terminal (a log gets the summary only)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def _disable(quiet: bool) -> bool | None:
    return True if quiet else None  # None: tqdm stays quiet when its stream is not a terminal


def hashing(paths: Iterable[T], quiet: bool) -> Iterator[T]:
    """Files as they are hashed (a large archive takes a while), then the bar goes away."""
    yield from tqdm(paths, desc="hashing", unit="file", leave=False, disable=_disable(quiet))


class FilesBar:
    """Files done of `total`, with pages per second beside tqdm's files per second and ETA."""

    def __init__(self, total: int, quiet: bool = False):
        self._bar = tqdm(total=total, desc="extracting", unit="file", smoothing=0.1,
                         disable=_disable(quiet))
        self._pages = 0
        self._start = time.perf_counter()

    def advance(self, result) -> None:
        self._pages += result.pages or 0
        elapsed = max(time.perf_counter() - self._start, 1e-9)
        self._bar.set_postfix_str(f"{self._pages / elapsed:.1f} pages/s", refresh=False)
        self._bar.update()

    def __enter__(self) -> FilesBar:
        return self

    def __exit__(self, *exc) -> None:
        self._bar.close()
