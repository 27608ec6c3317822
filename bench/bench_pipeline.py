"""The whole pipeline beside the bare library a user would call instead, on the same input.

1. A 100-page born-digital PDF (the sample's pages repeated): `perftab extract` on it (reading,
   repairing, normalizing, writing Parquet) against bare pdfplumber `extract_tables()` on every
   page; the ratio is the median of 3 alternating pairs (target: at most 0.5x), and pages/s.
2. perftab's peak memory on the 100-page PDF and on a 1,000-page one (target: under 300 MB, and
   at most 1.2x the 100-page peak: memory does not grow with the page count).
3. A folder of 200 DOCX files (the DOCX samples copied, each copy distinct): `perftab extract`
   against bare python-docx reading every cell of every table.

Every run is a fresh process, so each pays its own start-up and reports its own peak memory
and processor time; on a machine shared with other work the processor-time ratio is the steadier
of the two.

    .venv/bin/python -m bench.bench_pipeline
"""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from bench.fresh import in_fresh_process

ROOT = Path(__file__).resolve().parent.parent
SOURCE_PDF = ROOT / "samples" / "pdf" / "huoshan-2023.pdf"
SOURCE_DOCX = sorted((ROOT / "samples" / "docx").glob("*.docx"))
PAGES = 100
LONG_PAGES = 1000
DOCX_FILES = 200
PAIRS = 3


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


def make_docx_folder(root: Path, n: int = DOCX_FILES) -> Path:
    """`n` distinct DOCX files: the samples copied, each copy with its own ZIP comment."""
    import zipfile

    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        source = SOURCE_DOCX[i % len(SOURCE_DOCX)]
        target = root / f"{i:04d}-{source.name}"
        with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
            for item in src.infolist():
                dst.writestr(item, src.read(item.filename))
            dst.comment = f"perftab-bench {i}".encode()
    return root


def bare_pdfplumber(path: Path) -> int:
    import pdfplumber

    n = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            n += len(page.extract_tables())
    return n


def bare_python_docx(folder: Path) -> int:
    import docx

    n = 0
    for path in sorted(folder.glob("*.docx")):
        for table in docx.Document(str(path)).tables:
            n += sum(len(cell.text) > 0 for row in table.rows for cell in row.cells)
    return n


def perftab_extract(path: Path) -> int:
    """`perftab extract PATH -o TMP --jobs 1 --quiet`: the number of indicators written."""
    from perftab.batch import run_extract
    from perftab.options import ExtractOptions

    with tempfile.TemporaryDirectory() as out:
        summary = run_extract(ExtractOptions([path], Path(out), jobs=1, quiet=True))
    return summary.n_indicators


RUNS = {"perftab": perftab_extract, "pdfplumber": bare_pdfplumber, "python-docx": bare_python_docx}


def _timed_child(name: str, path: str, queue) -> None:
    func = RUNS[name]
    start = time.perf_counter()
    count = func(Path(path))
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    queue.put((seconds, usage.ru_maxrss / 1024, count, usage.ru_utime + usage.ru_stime))


def measure(name: str, path: Path) -> tuple[float, float, int, float]:
    """(seconds, peak MB, count, processor seconds) of one run in a fresh process."""
    return in_fresh_process(_timed_child, name, str(path))


def pairs(ours: str, theirs: str, path: Path, n: int = PAIRS) -> dict:
    """`n` alternating runs of each; the median of the pairs' ratios."""
    runs: dict[str, list] = {ours: [], theirs: []}
    for k in range(n):
        for name in (theirs, ours) if k % 2 == 0 else (ours, theirs):
            runs[name].append(measure(name, path))
    ratios = [a[0] / b[0] for a, b in zip(runs[ours], runs[theirs], strict=True)]
    cpu_ratios = [a[3] / b[3] for a, b in zip(runs[ours], runs[theirs], strict=True)]
    return {
        "ratio": statistics.median(ratios),
        "ratios": ratios,
        "cpu_ratio": statistics.median(cpu_ratios),
        "ours_s": statistics.median(r[0] for r in runs[ours]),
        "theirs_s": statistics.median(r[0] for r in runs[theirs]),
        "ours_mb": max(r[1] for r in runs[ours]),
        "theirs_mb": max(r[1] for r in runs[theirs]),
        "ours_count": runs[ours][0][2],
        "theirs_count": runs[theirs][0][2],
    }


def bench_pipeline() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pdf = make_long_pdf(Path(tmp) / "long.pdf")
        r = pairs("perftab", "pdfplumber", pdf)
        long_pdf = make_long_pdf(Path(tmp) / "longer.pdf", LONG_PAGES)
        long_s, long_mb, _, _ = measure("perftab", long_pdf)
        d = pairs("perftab", "python-docx", make_docx_folder(Path(tmp) / "docx"))
    print(f"PDF: {PAGES} pages ({SOURCE_PDF.name} repeated), median of {PAIRS} alternating pairs")
    print(f"  bare pdfplumber extract_tables: {r['theirs_s'] / PAGES * 1000:7.1f} ms/page "
          f"({r['theirs_count']} tables, peak {r['theirs_mb']:.0f} MB)")
    print(f"  perftab extract:                {r['ours_s'] / PAGES * 1000:7.1f} ms/page "
          f"({PAGES / r['ours_s']:.0f} pages/s, {r['ours_count']} indicators)")
    print(f"  ratio perftab/pdfplumber: {r['ratio']:.2f}x "
          f"(pairs {', '.join(f'{x:.2f}' for x in r['ratios'])}; target <= 0.5x); "
          f"processor time {r['cpu_ratio']:.2f}x")
    print(f"  peak memory: {r['ours_mb']:.0f} MB on {PAGES} pages, {long_mb:.0f} MB on "
          f"{LONG_PAGES} pages ({long_mb / r['ours_mb']:.2f}x; target <= 300 MB and <= 1.2x); "
          f"{LONG_PAGES} pages in {long_s:.1f} s ({LONG_PAGES / long_s:.0f} pages/s)")
    print(f"DOCX: a folder of {DOCX_FILES} files, median of {PAIRS} alternating pairs")
    print(f"  bare python-docx, every cell:   {d['theirs_s'] / DOCX_FILES * 1000:7.1f} ms/file "
          f"(peak {d['theirs_mb']:.0f} MB)")
    print(f"  perftab extract:                {d['ours_s'] / DOCX_FILES * 1000:7.1f} ms/file "
          f"({DOCX_FILES / d['ours_s']:.0f} files/s, {d['ours_count']} indicators, "
          f"peak {d['ours_mb']:.0f} MB)")
    print(f"  ratio perftab/python-docx: {d['ratio']:.2f}x "
          f"(pairs {', '.join(f'{x:.2f}' for x in d['ratios'])}); "
          f"processor time {d['cpu_ratio']:.2f}x")


if __name__ == "__main__":
    import warnings

    warnings.simplefilter("ignore")
    bench_pipeline()
