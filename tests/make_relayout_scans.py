"""Build tests/data/relayout-scan: a few relaid tables (tests/data/relayout-pdf) scanned at
200 dpi the way samples/make_scans.py degrades a page (a slight rotation, blur, sensor noise,
lossy JPEG), a few read at 150 dpi with the print faded, photographed, or fed in skewed with
its lines worn, with the rows each must give.

Run from the repository root (no LibreOffice needed)::

    .venv/bin/python tests/make_relayout_scans.py

Each case names a relaid PDF and the seed of its degradation; `expected.json` takes that PDF's
entry of tests/data/relayout-pdf/expected.json (the truth's fields and rows, never what
perftab reads), with `relaid` naming the PDF. tests/test_relayout_scan.py reads them back.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "samples"))

import make_scans  # noqa: E402

RELAID = HERE / "data" / "relayout-pdf"
OUT = HERE / "data" / "relayout-scan"

# relaid PDF -> seed of its scan; each taught a rule of reading scans in layouts not developed on
CASES = {
    "02-as-generic-unruled.pdf": 102,  # set with no space between rows, no rulings
    "06-header-pairs-ruled.pdf": 104,  # header fields in pairs, indicator rows in few columns
    "06-title-in-table-unruled.pdf": 106,
    "16-traditional-ruled.pdf": 108,  # one 一级 cell merged down every row
    # rows one line high: a closing bracket set close to the row lines is a stroke as long as
    # the row, and must not be read as a column line cutting the name before it
    "56-compound-a-ruled.pdf": 220,
    # set tight, each cell printed from the top of its row: a wrapped name's end is not the
    # next row's name (read as cells centred in their rows, it was)
    "02-split-table-bare-unruled.pdf": 128,
    # digits and brackets set full width, read half as wide: (５０ over 分) wraps, and the
    # line is in the table's text size (read as larger print, it ended the table)
    "02-full-width-digits-unruled.pdf": 110,
    # set tight from the top of its rows, its heading wrapped onto a line under the header row
    "42-wrapped-headings-unruled.pdf": 218,
    # a form set small and tight: its lines of text, at the low resolution the page's direction
    # is judged at, run into its row lines and do not tell it; its cells (wider than tall) must
    "06-title-in-table-ruled.pdf": 168,
    # the recogniser drops the 、 of 改善、办学: the row reads short, with a mark left unread
    "42-spaced-levels-ruled.pdf": 208,
    # the foot strokes of one line of a name run together into a row line under its column
    # alone, cutting the name in two: both rows must be in the review queue
    "02-target-split-unit-first-ruled.pdf": 134,
    # a heading spread over two lines (一级指标 under 绩效指标, beside 指标值): the row under it
    # is the body's first, not part of the heading (read so, its name was cut at its wrap)
    "16-spread-heading-unruled.pdf": 176,
    # a name and the value beside it an em apart: parted, the line is not joined again by the
    # margins of their boxes (joined, the column's widest line hid every wrap under it)
    "56-target-split-under-heading-unruled.pdf": 234,
    # eleven narrow columns, every cell wrapped: a lone character of a wrapped heading, its box
    # read a little tall, is no larger print (taken for one, no table was found), and a row of
    # the cells' ends under a row of full lines puts both in doubt
    "48-footnote-row-unruled.pdf": 951,
}


# (relaid PDF, kind of scan) -> seed, for scans other than an office scanner's at 200 dpi: read at
# 150 dpi with the print faded ("150dpi"), or photographed ("photo"); each taught a rule too
OTHER_SCANS = {
    # light row lines between lines of text set close to them: taken for no line (the text
    # darkens the mean the page's ink is judged against), the rows ran together
    ("42-levels-once-unmerged-ruled.pdf", "150dpi"): 302,
    ("06-header-pairs-ruled.pdf", "photo"): 301,
    ("16-traditional-ruled.pdf", "photo"): 305,
    # the header block's row lines worn through short of both its borders: each meets no column
    # line at its ends, yet column lines run on through it (taken for no line, the header's rows
    # ran together and four fields were lost)
    ("56-weight-before-target-ruled.pdf", "150dpi"): 312,
    # fed in skewed 2-3.5 degrees, its lines worn ("skewed"): row lines worn through by the
    # table's borders (taken for no lines, two rows of levels, names and targets ran together)
    ("42-compound-d-ruled.pdf", "skewed"): 403,
}


def scan_of(relaid: str, seed: int, kind: str = "200dpi") -> make_scans.Scan:
    name = f"{relaid.removesuffix('.pdf')}--{kind}"
    if kind == "150dpi":
        return make_scans.Scan(name, 150, 1.7, 0.8, 14.0, 50, ink=0.6, seed=seed)
    if kind == "photo":
        return make_scans.Scan(name, 170, 0.0, 0.8, 6.0, 50, seed=seed, photo=True)
    if kind == "skewed":
        return make_scans.Scan(name, 200, 3.5, 0.6, 10.0, 50, ink=0.6, seed=seed,
                               min_rotation=2.0, line_gaps=True)
    return make_scans.Scan(name, 200, 1.2, 0.6, 10.0, 55, seed=seed)


def main() -> int:
    expected = json.loads((RELAID / "expected.json").read_text(encoding="utf-8"))
    out = {}
    scans = [(relaid, seed, "200dpi") for relaid, seed in CASES.items()]
    scans += [(relaid, seed, kind) for (relaid, kind), seed in OTHER_SCANS.items()]
    for relaid, seed, kind in scans:
        path = make_scans.make_scan(scan_of(relaid, seed, kind), RELAID / relaid, OUT)
        out[path.name] = {**expected[relaid], "relaid": relaid}
        print(f"{path.relative_to(HERE.parent)}: {path.stat().st_size:,} bytes")
    text = json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (OUT / "expected.json").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
