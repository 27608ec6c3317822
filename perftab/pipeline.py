"""The orchestrator: files -> grids -> canonical records -> output files. Reads like a table of
contents; the work happens in extract/ and normalize/."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from extract import DocumentError, detect_kind, document_to_grids
from extract.camelot_check import cross_check as camelot_cross_check
from normalize.records import TableRecord
from normalize.table import grids_to_tables

from .options import ExtractOptions
from .writers import write_outputs

INPUT_SUFFIXES = {".pdf", ".docx", ".xlsx", ".txt", ".tsv", ".md", ".markdown", ".html", ".htm"}
INPUT_SUFFIXES |= {".png", ".jpg", ".jpeg", ".tif", ".tiff"}  # page images, read by OCR
NO_TABLE = "no performance target table found (no table with 三级指标 and 指标值 columns)"


@dataclass
class FileResult:
    source_path: str
    sha256: str | None
    kind: str | None
    pages: int | None
    status: str  # ok | no_table | duplicate | error
    error: str | None
    n_tables: int
    seconds: float
    tables: list[TableRecord] = field(default_factory=list, repr=False)


@dataclass
class RunSummary:
    files: list[FileResult]
    outputs: dict[str, Path]

    @property
    def tables(self) -> list[TableRecord]:
        return [t for f in self.files for t in f.tables]

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def n_indicators(self) -> int:
        return sum(t.n_indicators for t in self.tables)

    @property
    def n_warnings(self) -> int:
        table_warnings = sum(len(t.warnings) for t in self.tables)
        return table_warnings + sum(len(i.warnings) for t in self.tables for i in t.indicators)


def run_extract(options: ExtractOptions) -> RunSummary:
    seen: dict[str, str] = {}
    results = [
        extract_file(path, seen, options.cross_check) for path in discover_inputs(options.inputs)
    ]
    outputs = write_outputs(results, options.outdir, options.format)
    return RunSummary(results, outputs)


def discover_inputs(inputs: list[Path]) -> list[Path]:
    """Files as given, and inside folders (recursively) every .pdf/.docx, in a stable order."""
    found: list[Path] = []
    for item in inputs:
        if item.is_dir():
            inside = (
                p
                for p in item.rglob("*")
                if p.suffix.lower() in INPUT_SUFFIXES and not p.name.upper().startswith("README")
            )
            found.extend(sorted(p for p in inside if p.is_file()))
        else:
            found.append(item)
    return found


def extract_file(
    path: Path, seen: dict[str, str] | None = None, cross_check: bool = False
) -> FileResult:
    """One file, never raising for the file's own faults. `seen` maps sha256 -> first path, so the
    same content at a second path is recorded as a duplicate and not extracted again."""
    start = time.perf_counter()
    seen = {} if seen is None else seen
    sha = kind = None
    try:
        kind = detect_kind(path)
        sha = sha256_of(path)
        if sha in seen:
            return FileResult(str(path), sha, kind, None, "duplicate", seen[sha], 0, 0.0)
        seen[sha] = str(path)
        extraction = document_to_grids(path, kind)
        if cross_check and kind == "pdf":
            cross_check_with_camelot(extraction.grids, path)
        tables = grids_to_tables(extraction.grids, sha)
    except DocumentError as exc:
        return _failed(path, str(exc), start, sha, kind)
    except OSError as exc:
        message = f"{path}: cannot read the file ({exc.strerror or exc})"
        return _failed(path, message, start, sha, kind)
    status = "ok" if tables else "no_table"
    error = None if tables else f"{path}: {NO_TABLE}"
    return FileResult(
        str(path), sha, extraction.kind, extraction.pages, status, error, len(tables),
        time.perf_counter() - start, tables,
    )


def _failed(path: Path, message: str, start: float, sha, kind) -> FileResult:
    return FileResult(str(path), sha, kind, None, "error", message, 0, time.perf_counter() - start)


def cross_check_with_camelot(grids: list, path: Path) -> None:
    for grid in grids:
        for r, notes in camelot_cross_check(grid, path).items():
            grid.warnings.setdefault(r, []).extend(notes)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
