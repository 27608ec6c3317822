"""Whole pipeline per page on a 100-page PDF beside bare pdfplumber `extract_tables()` on the
same pages (target: within 1.5x), and the pipeline's peak memory (target: under 400 MB).
Each runs in a fresh process so each gets its own peak-memory figure."""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

import pdfplumber
from pypdf import PdfReader, PdfWriter

from bench.fresh import in_fresh_process

ROOT = Path(__file__).resolve().parent.parent
SOURCE_PDF = ROOT / "samples" / "pdf" / "huoshan-2023.pdf"
PAGES = 100


def make_long_pdf(target: Path, pages: int = PAGES) -> Path:
    """The sample's pages repeated until the document has `pages` pages."""
    reader = PdfReader(SOURCE_PDF)
    writer = PdfWriter()
    while len(writer.pages) < pages:
        for page in reader.pages[: pages - len(writer.pages)]:
            writer.add_page(page)
    with open(target, "wb") as fh:
        writer.write(fh)
    return target


def bare_pdfplumber(path: Path) -> int:
    n = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            n += len(page.extract_tables())
    return n


def pipeline(path: Path) -> int:
    from perftab.pipeline import extract_file

    result = extract_file(path)
    return sum(t.n_indicators for t in result.tables)


def _timed_child(name: str, path: str, queue) -> None:
    func = {"pipeline": pipeline, "pdfplumber": bare_pdfplumber}[name]
    start = time.perf_counter()
    count = func(Path(path))
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, peak_mb, count))


def measure(name: str, path: Path) -> tuple[float, float, int]:
    """Run in a fresh process so each gets its own peak-memory figure."""
    return in_fresh_process(_timed_child, name, str(path))


def bench_pipeline() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pdf = make_long_pdf(Path(tmp) / "long.pdf")
        ref_s, ref_mb, n_tables = measure("pdfplumber", pdf)
        run_s, run_mb, n_ind = measure("pipeline", pdf)
    print(f"pipeline on a {PAGES}-page PDF ({SOURCE_PDF.name} repeated)")
    print(f"  bare pdfplumber extract_tables: {ref_s / PAGES * 1000:7.1f} ms/page "
          f"({n_tables} tables, peak {ref_mb:.0f} MB)")
    print(f"  perftab pipeline:               {run_s / PAGES * 1000:7.1f} ms/page "
          f"({n_ind} indicators, peak {run_mb:.0f} MB)")
    print(f"  ratio pipeline/pdfplumber: {run_s / ref_s:.2f}x (target <= 1.5x); "
          f"peak memory {run_mb:.0f} MB (target < 400 MB)")
