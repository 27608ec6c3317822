"""Run options, validated once where they are made."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("parquet", "csv")
EXTRACT_FORMATS = (*FORMATS, "xlsx")  # one workbook for a spreadsheet (perftab/xlsx.py)
MAX_PAGES = 2000
MAX_BYTES = 500 * 2**20
# A file's worker is stopped past this: minutes, the time a long scanned file takes, not hours.
FILE_TIMEOUT = 15 * 60
MAX_MEMORY = 4 * 2**30  # a worker's address space: far above any sample's, below a server's RAM
# who reads a born-digital PDF's text layer (extract/pdf_reader.py READERS); the first is the
# default, pdfplumber the slower second reader the tests compare it with
PDF_READERS = ("pdfium", "pdfplumber")
# The limits of extract/limits.py a user may set, by the Limits field each sets: the option,
# whether it takes a size (500M) rather than a count, and what it counts. Their defaults are
# Limits' own (shown in --help); a refusal names the option that would raise it.
LIMIT_OPTIONS = {
    "page_pixels": ("--max-page-pixels", False, "pixels of a PDF page rendered at 300 dpi"),
    "image_pixels": ("--max-image-pixels", False, "pixels of a page image"),
    "part_bytes": ("--max-part-size", True, "size of one DOCX/XLSX part, inflated"),
    "package_bytes": ("--max-package-size", True, "size of a DOCX/XLSX's parts together, inflated"),
    "package_parts": ("--max-package-parts", False, "parts of a DOCX/XLSX"),
    "inflation_ratio": ("--max-inflation", False, "times a DOCX/XLSX part over 1 MB may inflate"),
    "table_cells": ("--max-table-cells", False, "cells of a table, its spans included"),
    "sheet_cells": ("--max-sheet-cells", False, "cells of a worksheet"),
    "table_nesting": ("--max-nesting", False, "tables nested in table cells"),
}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smh]?)", re.IGNORECASE)
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600}
_SIZE = re.compile(r"(\d+)\s*([kmg]?)b?", re.IGNORECASE)
_UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30}
_URL = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)  # s3://, gs://, memory://, file://


class UsageError(Exception):
    """The command was given something it cannot take (exit status 2); the message starts with
    the option or input at fault, `name: ...`."""


class OutputError(Exception):
    """OUTDIR cannot be written: a full disk, a read-only or vanished folder. The message names
    the path and what to do; the files written before are kept (exit status 4)."""


class OptionError(UsageError, ValueError):
    """A bad option value; the message names the option."""


def cpu_count() -> int:
    """The cores this process may run on (a container's share, not the host's)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def parse_size(text: str, option: str = "max_bytes") -> int:
    """`524288000`, `500M`, `500MB`, `2G` -> bytes (K, M, G are powers of 1024)."""
    match = _SIZE.fullmatch(text.strip())
    if not match:
        raise OptionError(f"{option}: {text!r} is not a size such as 500M or 524288000")
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


def parse_count(text: str, option: str) -> int:
    """`150000000`, `150_000_000` -> 150000000."""
    try:
        return int(text.strip())
    except ValueError:
        raise OptionError(f"{option}: {text!r} is not a whole number such as 1000000") from None


def parse_duration(text: str) -> float:
    """`90`, `90s`, `15m`, `1h` -> seconds."""
    match = _DURATION.fullmatch(text.strip())
    if not match:
        raise OptionError(f"file_timeout: {text!r} is not a time such as 15m, 90s or 600")
    return float(match.group(1)) * _SECONDS[match.group(2).lower()]


def is_url(text: str | Path) -> bool:
    return isinstance(text, str) and _URL.match(text) is not None


def input_location(text: str) -> Path | str:
    """An INPUT of `perftab extract`: a URL (s3://bucket/archive/) is kept as written, for
    fsspec; anything else is a local path."""
    return text if is_url(text) else Path(text)


@dataclass(frozen=True)
class ExtractOptions:
    inputs: list[Path | str]  # local paths, and URLs read through fsspec (with a scheduler)
    outdir: Path = Path("output")
    format: str = "parquet"
    cross_check: bool = False
    pdf_reader: str = "pdfium"  # who reads a born-digital PDF's text layer (PDF_READERS)
    jobs: int = field(default_factory=cpu_count)  # worker processes
    # read in this process, without file_timeout and max_memory; None: when jobs is 1 (the
    # Python API's way), the CLI always in workers unless --in-process
    in_process: bool | None = None
    quiet: bool = False  # no progress bar
    force: bool = False  # redo files already recorded in OUTDIR
    excel: bool = False  # CSV with a UTF-8 BOM, so Excel opens Chinese text correctly
    max_pages: int = MAX_PAGES
    max_bytes: int = MAX_BYTES
    file_timeout: float = FILE_TIMEOUT  # seconds a worker may spend on one file
    max_memory: int = MAX_MEMORY  # bytes of address space per worker (RLIMIT_AS)
    scheduler: str | None = None  # a Dask scheduler's address: extract on its cluster
    tracebacks: bool = False  # print the traceback of a file perftab failed on (-v)
    limits: dict[str, int] = field(default_factory=dict)  # LIMIT_OPTIONS field -> value
    retry_failed: bool = False  # redo the files whose files row is an error

    def __post_init__(self) -> None:
        if self.format not in EXTRACT_FORMATS:
            raise OptionError(
                f"format: {self.format!r} is not one of {', '.join(EXTRACT_FORMATS)}"
            )
        if self.excel and self.format != "csv":
            raise OptionError("excel: only CSV files are written for Excel; add --format csv")
        if self.pdf_reader not in PDF_READERS:
            raise OptionError(
                f"pdf_reader: {self.pdf_reader!r} is not one of {', '.join(PDF_READERS)}"
            )
        for name in ("jobs", "max_pages", "max_bytes", "file_timeout", "max_memory"):
            if getattr(self, name) < 1:
                raise OptionError(f"{name}: {getattr(self, name)} is not a positive number")
        for name, value in self.limits.items():
            if name not in LIMIT_OPTIONS:
                raise OptionError(f"limits: {name!r} is not one of {', '.join(LIMIT_OPTIONS)}")
            if value < 1:
                raise OptionError(f"{name}: {value} is not a positive number")
        if not self.inputs:
            raise OptionError("inputs: give at least one file or folder")
        locations = [input_location(i) if isinstance(i, str) else i for i in self.inputs]
        object.__setattr__(self, "inputs", locations)  # frozen: set once, here
        urls = [str(i) for i in self.inputs if is_url(i)]
        if urls and not self.scheduler:
            raise OptionError(
                f"inputs: {urls[0]} is a URL; URLs are read on a Dask cluster: add --scheduler "
                "ADDRESS (see docs/cluster.md)"
            )
        missing = [str(i) for i in self.inputs if not _exists(i)]
        if missing:
            raise OptionError(f"inputs: no such file or folder: {', '.join(missing)}")


def _exists(location: Path | str) -> bool:
    if isinstance(location, Path):
        return location.exists()
    import fsspec  # only for URLs: it costs a local run's start a tenth of a second

    try:
        fs, path = fsspec.core.url_to_fs(location)
        return fs.exists(path)
    # "Install s3fs to access S3", "Protocol not known", a storage library's own errors
    # (no credentials): whatever stops the URL from being opened is a usage error naming it
    except Exception as exc:
        raise OptionError(f"inputs: cannot open {location} ({exc})") from exc
