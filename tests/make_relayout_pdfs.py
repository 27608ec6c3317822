"""Build tests/data/relayout-pdf: relaid tables (tests/relayout.py) printed to PDF, ruled and
borderless, with the rows each must give.

Run from the repository root; needs LibreOffice (`soffice` on PATH)::

    .venv/bin/python tests/make_relayout_pdfs.py [NAME ...]

(NAMEs, e.g. `16-footnote-row-unruled`: only those cases, the others' files left as they are.)
For each case of `CASES` (a truth of the development set, a variation, and whether the Word
table keeps its borders: `ruled`, `unruled`, or `nil-borders`, ruled and then every border set
to nil, which LibreOffice lays out a little otherwise) it writes the relaid form as DOCX with
python-docx (`write_docx`, `ruled=False` turning every border off), converts it to PDF with
LibreOffice, and writes `expected.json`: for each PDF the header fields of the truth and the
rows `Form.expected_rows` gives, never what perftab reads. tests/test_relayout_pdf.py reads the
PDFs back; it does not need LibreOffice. The PDFs carry LibreOffice's creation date, so a
rebuild differs in bytes, not in what is printed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import relayout  # noqa: E402

OUT = HERE / "data" / "relayout-pdf"

# (truth number, variation, kinds): one case per variation whose print differs in a way a PDF
# reader sees (rows set tight, a heading on two rows, a table continued on the next page, a
# label column, header rows apart or as lines), spread over truths of each kind of form
CASES: list[tuple[str, str, tuple[str, ...]]] = [
    ("02", "as-generic", ("ruled", "unruled")),
    ("06", "blank-row", ("ruled", "unruled")),
    ("56", "compound-a", ("ruled", "unruled")),
    ("42", "compound-b", ("ruled", "unruled")),
    ("30", "compound-c", ("ruled", "unruled")),
    ("56", "empty-column", ("ruled", "unruled")),
    ("02", "extra-header-rows", ("ruled", "unruled")),
    ("06", "filler-rows", ("ruled", "unruled")),
    ("06", "footnote-row", ("ruled", "unruled")),
    ("02", "full-width-digits", ("ruled", "unruled")),
    ("02", "header-apart", ("ruled", "unruled")),
    ("06", "header-as-lines", ("ruled", "unruled")),
    ("56", "header-label-in-cell", ("ruled", "unruled")),
    ("06", "header-pairs", ("ruled", "unruled")),
    ("06", "lead-label-column", ("ruled", "unruled")),
    ("42", "levels-once-unmerged", ("ruled", "unruled")),
    ("02", "levels-repeated", ("ruled", "unruled")),
    ("02", "midterm-column-after", ("ruled", "unruled")),
    ("30", "serial-column", ("ruled", "unruled")),
    ("42", "spaced-levels", ("ruled", "unruled")),
    ("02", "split-table-bare", ("ruled", "unruled")),
    ("02", "split-table-cutting-merges", ("ruled", "unruled")),
    ("06", "split-table-heading-repeated", ("ruled", "unruled")),
    ("06", "target-joined", ("ruled", "unruled")),
    ("42", "target-split", ("ruled", "unruled")),
    ("02", "target-split-unit-first", ("ruled",)),
    ("36", "target-split-unit-first", ("unruled",)),
    ("06", "title-in-table", ("ruled", "unruled")),
    ("16", "traditional", ("ruled", "unruled")),
    ("16", "footnote-row", ("unruled",)),
    ("24", "note-column", ("ruled",)),
    ("36", "as-generic", ("unruled",)),
    ("56", "weight-before-target", ("ruled", "unruled")),
    ("42", "wrapped-headings", ("ruled", "unruled")),
    ("42", "compound-d", ("ruled",)),
    ("42", "funds-by-column", ("ruled",)),
    ("02", "goal-rows", ("ruled",)),
    ("16", "spread-heading", ("ruled", "unruled")),
    ("56", "target-split-under-heading", ("ruled", "unruled")),
    ("54", "compound-d", ("unruled",)),
    ("36", "spaced-levels", ("unruled",)),
    ("24", "split-table-heading-repeated", ("nil-borders",)),
    ("04", "full-width-digits", ("nil-borders",)),
    ("50", "target-split", ("nil-borders",)),
    ("54", "wrapped-headings", ("nil-borders",)),
    ("48", "footnote-row", ("unruled",)),  # eleven narrow columns: every cell wraps
    # layouts measured as new ones (relayout.MORE_VARIATIONS), each teaching a rule
    ("06", "numbers-row", ("ruled", "unruled")),
    ("02", "goal-long-and-annual", ("ruled", "unruled")),
    ("02", "levels-centred", ("unruled",)),
    ("22", "value-unit-columns", ("unruled",)),
    ("62", "numbered-names", ("unruled",)),
    ("34", "compound-e", ("ruled",)),
    ("32", "compound-e", ("unruled",)),
    ("54", "levels-centred", ("unruled",)),
    ("44", "compound-e", ("ruled",)),  # a row cut by the page break, every cell in two
    ("36", "levels-centred", ("unruled",)),
]


def borders_nil(path: Path) -> None:
    """The ruled document with the borders of every table and cell set to nil in its XML, as a
    form whose borders were turned off cell by cell: no line printed, the rows laid out (and
    the pages broken) a little otherwise than `write_docx(ruled=False)` lays them out."""
    with zipfile.ZipFile(path) as z:
        items = {n: z.read(n) for n in z.namelist()}
    xml = items["word/document.xml"].decode("utf-8")
    xml = re.sub(r"<w:tblBorders>.*?</w:tblBorders>", "", xml, flags=re.S)
    xml = re.sub(r"<w:tcBorders>.*?</w:tcBorders>", "", xml, flags=re.S)
    table_nil = "".join(f'<w:{s} w:val="nil"/>' for s in
                        ("top", "left", "bottom", "right", "insideH", "insideV"))
    xml = xml.replace("<w:tblPr>", f"<w:tblPr><w:tblBorders>{table_nil}</w:tblBorders>")
    cell_nil = "".join(f'<w:{s} w:val="nil"/>' for s in ("top", "left", "bottom", "right"))
    xml = xml.replace("<w:tcPr>", f"<w:tcPr><w:tcBorders>{cell_nil}</w:tcBorders>")
    xml = xml.replace("<w:tc>", f"<w:tc><w:tcPr><w:tcBorders>{cell_nil}</w:tcBorders></w:tcPr>")
    items["word/document.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items.items():
            z.writestr(name, data)


def case_name(number: str, variation: str, kind: str) -> str:
    return f"{number}-{variation}-{kind}"


def build(out: Path = OUT, only: set[str] | None = None) -> None:
    truths = {p.name[:2]: (k, p) for k, p in enumerate(relayout.truths())}
    out.mkdir(parents=True, exist_ok=True)
    expected: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for number, variation, kinds in CASES:
            k, path = truths[number]
            form = relayout.relaid(path, k, variation)
            if form is None:
                raise SystemExit(f"{variation} does not apply to truth {number}")
            meta = json.loads(path.read_text(encoding="utf-8"))["meta"]
            for kind in kinds:
                name = case_name(number, variation, kind)
                if only is not None and name not in only:
                    continue
                relayout.write_docx(form, work / f"{name}.docx", ruled=kind != "unruled")
                if kind == "nil-borders":
                    borders_nil(work / f"{name}.docx")
                expected[f"{name}.pdf"] = {
                    "truth": path.name,
                    "variation": variation,
                    "kind": kind,
                    "meta": {f: meta.get(f) for f in relayout.FIELDS},
                    "rows": [list(row) for row in form.expected_rows()],
                }
        docs = sorted(str(p) for p in work.glob("*.docx"))
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, *docs],
                       check=True, capture_output=True)
        for name in expected:
            shutil.copyfile(work / name, out / name)
    if only is not None:  # the other cases as they were
        kept = json.loads((out / "expected.json").read_text(encoding="utf-8"))
        expected = {**kept, **expected}
    (out / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        encoding="utf-8")


if __name__ == "__main__":
    build(only=set(sys.argv[1:]) or None)
