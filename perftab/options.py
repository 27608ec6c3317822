"""Run options, validated once where they are made."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("parquet", "csv")
MAX_PAGES = 2000
MAX_BYTES = 500 * 2**20
_SIZE = re.compile(r"(\d+)\s*([kmg]?)b?", re.IGNORECASE)
_UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30}


class OptionError(ValueError):
    """A bad option value; the message names the option."""


def cpu_count() -> int:
    """The cores this process may run on (a container's share, not the host's)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def parse_size(text: str) -> int:
    """`524288000`, `500M`, `500MB`, `2G` -> bytes (K, M, G are powers of 1024)."""
    match = _SIZE.fullmatch(text.strip())
    if not match:
        raise OptionError(f"max_bytes: {text!r} is not a size such as 500M or 524288000")
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


@dataclass(frozen=True)
class ExtractOptions:
    inputs: list[Path]
    outdir: Path = Path("output")
    format: str = "parquet"
    cross_check: bool = False
    jobs: int = field(default_factory=cpu_count)  # worker processes; 1 = in this process
    quiet: bool = False  # no progress bar
    force: bool = False  # redo files already recorded in OUTDIR
    excel: bool = False  # CSV with a UTF-8 BOM, so Excel opens Chinese text correctly
    max_pages: int = MAX_PAGES
    max_bytes: int = MAX_BYTES

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise OptionError(f"format: {self.format!r} is not one of {', '.join(FORMATS)}")
        if self.excel and self.format != "csv":
            raise OptionError("excel: --excel marks CSV files for Excel; add --format csv")
        for name in ("jobs", "max_pages", "max_bytes"):
            if getattr(self, name) < 1:
                raise OptionError(f"{name}: {getattr(self, name)} is not a positive number")
        if not self.inputs:
            raise OptionError("inputs: give at least one file or folder")
        missing = [str(p) for p in self.inputs if not p.exists()]
        if missing:
            raise OptionError(f"inputs: no such file or folder: {', '.join(missing)}")
