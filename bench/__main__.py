"""make bench: speed and memory as ratios against a reference run on the same input.

1. `perftab extract` on a 100-page PDF beside bare pdfplumber `extract_tables()` (median of 3
   alternating pairs, pages/s), its peak memory on 100 and 1,000 pages, and on a folder of 200
   DOCX beside bare python-docx (bench_pipeline.py).
2. Target parsing throughput on 100,000 distinct targets beside pandas reading them from CSV.
3. Batch throughput: files per second over a 200-file archive on 1 and 2 worker processes.
4. The review queue: the share of wrong rows it holds and its share of all rows, on the
   development set's DOCX and PDF (the scans take OCR minutes: `python -m bench.queue_recall`).
"""

from __future__ import annotations

import warnings

from bench import bench_batch, bench_ocr, bench_pipeline, bench_targets, queue_recall


def report_targets() -> None:
    r = bench_targets.run()
    print(f"parse_target on {r['n']:,} distinct targets")
    print(f"  pandas.read_csv of the strings: {r['read_csv_seconds']:.3f} s")
    print(f"  parse_target:                   {r['parse_seconds']:.3f} s "
          f"({r['per_second']:,.0f}/s; target < 2 s)")
    print(f"  ratio parse/read_csv: {r['ratio']:.1f}x")


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    bench_pipeline.bench_pipeline()
    report_targets()
    bench_batch.report(bench_batch.run())
    bench_ocr.main()
    print("review queue, development set DOCX and PDF (scans: python -m bench.queue_recall)")
    print("\n".join(queue_recall.report(queue_recall.measure(("docx", "pdf"), None), False)))
