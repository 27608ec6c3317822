"""OCR speed: the pipeline on a scanned PDF beside bare RapidOCR on the same page images.

- pipeline: `extract_file` on samples/scans/huoshan-2023-200dpi.pdf in a fresh process, so the
  figure includes starting the OCR workers and loading the models, as a first file pays (and a
  second run of the same file, with the workers already running).
- bare: RapidOCR with its default configuration (onnxruntime picks its threads) in one fresh
  process, over the same pages rendered at the scan's resolution beforehand.
- stages: where the pipeline's time goes, summed over the pages in the workers (render, grid,
  OCR split into detection / classification / recognition as rapidocr reports it, placing).
- kinds: s/page of each kind of archive page (samples/scans: sealed, sideways, skewed with
  broken lines, 150 dpi, phone photo, unruled), the workers already running, beside bare
  RapidOCR on the first BARE_PAGES pages of the same file.

    .venv/bin/python -m bench.bench_ocr
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bench import fresh

ROOT = Path(__file__).resolve().parent.parent
SCAN = ROOT / "samples" / "scans" / "huoshan-2023-200dpi.pdf"
DPI = 200
KINDS = ["sealed", "rotated", "skewed", "150dpi", "photo", "unruled"]
BARE_PAGES = 2  # bare RapidOCR takes seconds a page: two pages of each kind tell its rate


def page_images(path: Path = SCAN, dpi: int = DPI) -> list:
    import numpy as np
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return [np.asarray(p.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
                for p in pdf]
    finally:
        pdf.close()


def _pipeline(path: str) -> dict:
    """The first file pays for starting the workers; the second shows the steady state."""
    from perftab.pipeline import extract_file

    start = time.perf_counter()
    result = extract_file(Path(path))
    first = time.perf_counter()
    extract_file(Path(path))
    second = time.perf_counter()
    return {"seconds": first - start, "warm_seconds": second - first, "pages": result.pages,
            "indicators": sum(t.n_indicators for t in result.tables)}


def _kinds(path: str) -> dict:
    """Warm s/page of each kind of archive scan, after one file has started the workers."""
    from perftab.pipeline import extract_file

    extract_file(Path(path))
    out = {}
    for kind in KINDS:
        scan = SCAN.with_name(f"huoshan-2023-{kind}.pdf")
        start = time.perf_counter()
        result = extract_file(scan)
        out[kind] = {"seconds_per_page": (time.perf_counter() - start) / result.pages,
                     "indicators": sum(t.n_indicators for t in result.tables)}
    return out


def _bare_kinds(path: str) -> dict:
    out = {}
    for kind in KINDS:
        scan = SCAN.with_name(f"huoshan-2023-{kind}.pdf")
        bare = _bare(str(scan), BARE_PAGES)
        out[kind] = bare["seconds"] / bare["pages"]
    return out


def _bare(path: str, pages: int | None = None) -> dict:
    from rapidocr import RapidOCR

    images = page_images(Path(path))[:pages]
    start = time.perf_counter()
    engine = RapidOCR(params={"Global.log_level": "warning"})
    stages = [0.0, 0.0, 0.0]
    for image in images:
        result = engine(image)
        for k, v in enumerate(result.elapse_list):
            stages[k] += v or 0.0
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "pages": len(images), "det": stages[0], "cls": stages[1],
            "rec": stages[2]}


def _stages(path: str) -> dict:
    """The pipeline's own split, from the workers' per-page timings."""
    import pdfplumber

    from perftab.extract.scan_reader import page_job, scan_pages, text_layer_problem

    with pdfplumber.open(path) as pdf:
        jobs = [page_job(Path(path), p, text_layer_problem(p) or "") for p in pdf.pages]
    pages = scan_pages(jobs).values()
    totals: dict[str, float] = {}
    for page in pages:
        for name, seconds in page.timings.items():
            totals[name] = totals.get(name, 0.0) + seconds
    return totals


def _child(name: str, path: str, queue) -> None:
    jobs = {"pipeline": _pipeline, "bare": _bare, "stages": _stages, "kinds": _kinds,
            "bare_kinds": _bare_kinds}
    queue.put(jobs[name](path))


def in_fresh_process(name: str, path: Path = SCAN) -> dict:
    return fresh.in_fresh_process(_child, name, str(path))


def run() -> dict:
    pipeline = in_fresh_process("pipeline")
    bare = in_fresh_process("bare")
    stages = in_fresh_process("stages")
    pages = pipeline["pages"]
    ocr_total = sum(stages.get(k, 0.0) for k in ("det", "cls", "rec"))
    work = sum(v for k, v in stages.items() if k not in ("det", "cls", "rec"))
    kinds = in_fresh_process("kinds")
    bare_kinds = in_fresh_process("bare_kinds")
    return {
        "kinds": {k: {**v, "bare_seconds_per_page": bare_kinds[k],
                      "ratio": v["seconds_per_page"] / bare_kinds[k]} for k, v in kinds.items()},
        "scan": SCAN.name,
        "pages": pages,
        "indicators": pipeline["indicators"],
        "pipeline_seconds_per_page": pipeline["seconds"] / pages,
        "pipeline_warm_seconds_per_page": pipeline["warm_seconds"] / pages,
        "bare_seconds_per_page": bare["seconds"] / bare["pages"],
        "ratio": (pipeline["seconds"] / pages) / (bare["seconds"] / bare["pages"]),
        # shares of the workers' summed time (CPU-seconds of one thread each)
        "share_det": stages.get("det", 0.0) / work,
        "share_cls": stages.get("cls", 0.0) / work,
        "share_rec": stages.get("rec", 0.0) / work,
        "share_outside_ocr": (work - ocr_total) / work,
        "bare_share_det": bare["det"] / bare["seconds"],
        "bare_share_rec": bare["rec"] / bare["seconds"],
    }


def main() -> None:
    r = run()
    print(f"OCR of {r['scan']} ({r['pages']} pages, {r['indicators']} indicators)")
    print(f"  bare RapidOCR, one process:  {r['bare_seconds_per_page']:5.2f} s/page "
          f"(det {r['bare_share_det']:.0%}, rec {r['bare_share_rec']:.0%})")
    print(f"  perftab pipeline:            {r['pipeline_seconds_per_page']:5.2f} s/page "
          f"(first file, workers starting); {r['pipeline_warm_seconds_per_page']:.2f} s/page "
          "once they run")
    print(f"  ratio pipeline/bare: {r['ratio']:.2f}x")
    print(f"  pipeline worker time: det {r['share_det']:.0%}, cls {r['share_cls']:.0%}, "
          f"rec {r['share_rec']:.0%}, other {r['share_outside_ocr']:.0%} "
          "(render, deskew, grid, placing, rapidocr's cropping)")
    print("  by kind of page (workers running; bare RapidOCR on the first pages of each):")
    for kind, k in r["kinds"].items():
        print(f"    {kind:8s} {k['seconds_per_page']:5.2f} s/page, "
              f"bare {k['bare_seconds_per_page']:5.2f} s/page, ratio {k['ratio']:.2f}x "
              f"({k['indicators']} indicators)")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
