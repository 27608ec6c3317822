"""Batch throughput: `perftab extract` over a 200-file archive on 1 and on 2 worker processes.

The archive is the born-digital samples (two PDFs, two DOCX) copied 50 times each, every copy
with other bytes so none is skipped as a duplicate: a PDF comment line appended to the PDFs, a
different ZIP comment on the DOCX. Each run is a fresh process writing a fresh OUTDIR (Parquet),
so each has its own peak-memory figures: the process itself (with --jobs 1 it does the
extraction) and, with --jobs 2, its largest worker (RUSAGE_CHILDREN: the workers have exited).

    .venv/bin/python -m bench.bench_batch
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import zipfile
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    ROOT / "samples" / "pdf" / "huoshan-2023.pdf",
    ROOT / "samples" / "pdf" / "huoshan-2023-narrow.pdf",
    ROOT / "samples" / "docx" / "huoshan-2023.docx",
    ROOT / "samples" / "docx" / "huoshan-2023-narrow.docx",
]
FILES = 200
JOBS = (1, 2)


def make_archive(root: Path, n: int = FILES) -> Path:
    """`n` distinct files, in year folders as an archive would be."""
    for i in range(n):
        source = SOURCES[i % len(SOURCES)]
        target = root / str(2015 + i % 10) / f"{i:04d}-{source.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".pdf":
            target.write_bytes(source.read_bytes() + f"%perftab-bench {i}\n".encode())
        else:
            _docx_copy(source, target, f"perftab-bench {i}")
    return root


def _docx_copy(source: Path, target: Path, comment: str) -> None:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.comment = comment.encode()


def _child(archive: str, outdir: str, jobs: int, queue) -> None:
    from perftab.batch import run_extract
    from perftab.options import ExtractOptions

    start = time.perf_counter()
    options = ExtractOptions([Path(archive)], Path(outdir), jobs=jobs, quiet=True)
    summary = run_extract(options)
    seconds = time.perf_counter() - start
    kb_to_mb = 1 / 1024 if sys.platform != "darwin" else 1 / 2**20  # ru_maxrss unit
    queue.put({
        "seconds": seconds,
        "ok": summary.count("ok"),
        "indicators": summary.n_indicators,
        "pages": sum(f.pages or 0 for f in summary.files),
        "peak_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * kb_to_mb,
        "peak_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * kb_to_mb,
    })


def measure(archive: Path, outdir: Path, jobs: int) -> dict:
    ctx = get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(str(archive), str(outdir), jobs, queue))
    proc.start()
    result = queue.get()
    proc.join()
    result["files_per_second"] = FILES / result["seconds"]
    if jobs == 1:  # the extraction ran in the process itself
        result["peak_worker_mb"] = result["peak_self_mb"]
    return result


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        archive = make_archive(Path(tmp) / "archive")
        runs = {jobs: measure(archive, Path(tmp) / f"out-{jobs}", jobs) for jobs in JOBS}
    return {
        "files": FILES,
        "runs": runs,
        "ratio": runs[2]["files_per_second"] / runs[1]["files_per_second"],
    }


def report(r: dict) -> None:
    print(f"perftab extract on a {r['files']}-file archive (4 samples, distinct copies)")
    for jobs, m in r["runs"].items():
        pages_per_second = m["pages"] / m["seconds"]
        print(f"  --jobs {jobs}: {m['seconds']:6.1f} s, {m['files_per_second']:5.1f} files/s, "
              f"{pages_per_second:5.1f} pages/s ({m['ok']} ok, {m['indicators']:,} indicators); "
              f"peak per worker {m['peak_worker_mb']:.0f} MB, parent {m['peak_self_mb']:.0f} MB")
    print(f"  ratio --jobs 2 / --jobs 1: {r['ratio']:.2f}x files/s")


if __name__ == "__main__":
    report(run())
