"""Print the seed's tables from a spreadsheet to PDF, as a county office does.

Run from the repository root (``make samples`` does the same)::

    .venv/bin/python samples/make_xlsx_prints.py

It lays the five 项目支出绩效目标表 of ``tests/data/huoshan-2023.json`` out in one sheet, in the
5-column form of ``make_text_samples.py`` (the same ``form_cells``), with columns narrow enough
that long 三级 names and targets wrap, Noto Serif CJK SC 10 pt, A4 portrait scaled to one page
wide, and prints it with LibreOffice Calc (``calc_print.py``, run by the system ``python3``,
which has LibreOffice's ``uno``). It writes

* ``samples/xlsx-print/huoshan-2023.pdf``: every row at Calc's optimal height (wrapped text
  fits its row);
* ``samples/xlsx-print/huoshan-2023-fixed-rows.pdf``: every row at 15 pt, too low for wrapped
  text, as a sheet whose heights were set by hand prints: Calc draws a cell's whole text and
  clips it to the cell, so the text layer holds lines over the neighbouring rows that nobody
  sees on paper;
* ``samples/xlsx-print/huoshan-2023-split-rows.pdf``: a 三级 name too long for its row is
  continued in the next sheet row (`…优化发展环境影响程` / `度`), with no border between the two
  三级 cells, while the 指标值 cells keep theirs: the continuation prints as a row of its own
  holding nothing but the rest of the name, under one ruled 三级 cell.

Calc's print-outs differ from Word's: borders are drawn as separate segments, merged cells'
text sits centred in the whole merged area, and a merged cell cut by a page break gets no rule
at the break and is drawn again on the next page, clipped to that page. The script checks the
printed text against the truth and that a page break falls inside a merged block. Reruns give
identical bytes (the PDF date and /ID are pinned as in make_samples.py).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pdfplumber
from make_samples import load_tables, pinned_pdf
from make_text_samples import N_COLS, SIGNATURE, TITLE, FormCell, form_cells, write_cell
from openpyxl import Workbook
from openpyxl.styles import Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "samples" / "xlsx-print"
CALC_PRINT = Path(__file__).resolve().parent / "calc_print.py"

FONT = Font(name="Noto Serif CJK SC", size=10)
# Characters of the default font: 三级 wraps after about ten Chinese characters, 指标值 after six.
WIDTHS = (5, 9, 12, 20, 12)
FIXED_ROW_PT = 15  # one line of 10 pt text
# The split sheet: a 三级 column that holds SPLIT_AT characters on one line, the rest of a
# longer name typed into the row below.
SPLIT_WIDTHS = (5, 9, 12, 28, 12)
SPLIT_AT = 13
NO_SIDE = Side(style=None)
LEVEL3_HEADER = "三级指标"


@dataclasses.dataclass(frozen=True)
class Variant:
    name: str
    widths: tuple[int, ...]
    autofit: bool
    row_height: float | None = None
    split_at: int | None = None


VARIANTS = (
    Variant("huoshan-2023", WIDTHS, autofit=True),
    Variant("huoshan-2023-fixed-rows", WIDTHS, autofit=False, row_height=FIXED_ROW_PT),
    Variant("huoshan-2023-split-rows", SPLIT_WIDTHS, autofit=True, split_at=SPLIT_AT),
)


# ---------------------------------------------------------------- the workbook


def build_workbook(tables: list[dict], variant: Variant, path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "全部"
    for col, width in enumerate(variant.widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    row = 1
    for data in tables:
        cells = form_cells(data)
        if variant.split_at:
            cells = split_long_level3(cells, variant.split_at)
        end = write_form_cells(sheet, data, cells, row)
        if variant.split_at:
            open_continuations(sheet, cells, row + 3)
        row = end + 1  # one empty row between tables
    for line in sheet.iter_rows():
        for cell in line:
            cell.font = FONT
    if variant.row_height:
        for r in range(1, row):
            sheet.row_dimensions[r].height = variant.row_height
    set_print_layout(sheet)
    workbook.save(path)


def write_form_cells(sheet, data: dict, cells: list[FormCell], top: int) -> int:
    """write_form's layout (title lines, then the bordered form) for the cells given; returns
    the next free row."""
    for offset, text in enumerate((TITLE, f"({data['year']}年度)", SIGNATURE)):
        write_cell(sheet, FormCell(offset, 0, text, colspan=N_COLS), top, border=False)
    first = top + 3
    for cell in cells:
        write_cell(sheet, cell, first, border=True)
    return first + max(c.row + c.rowspan for c in cells)


def split_long_level3(cells: list[FormCell], split_at: int) -> list[FormCell]:
    """Each 三级 longer than `split_at` characters continued in a new row below it: the rows
    under it move down one, and merged cells running over it grow by one."""
    head = next(c.row for c in cells if c.text == LEVEL3_HEADER)
    long_rows = sorted(
        c.row for c in cells if c.col == 3 and c.row > head and len(c.text) > split_at
    )
    for r in reversed(long_rows):
        cells = [_moved(c, r) for c in cells]
        cut = next(c for c in cells if c.row == r and c.col == 3)
        cells.remove(cut)
        cells += [
            dataclasses.replace(cut, text=cut.text[:split_at]),
            FormCell(r + 1, 3, cut.text[split_at:]),
            FormCell(r + 1, 4, ""),
        ]
    return sorted(cells, key=lambda c: (c.row, c.col))


def _moved(cell: FormCell, r: int) -> FormCell:
    """A cell once a row is inserted below row r."""
    if cell.row > r:
        return dataclasses.replace(cell, row=cell.row + 1)
    if cell.row + cell.rowspan - 1 >= r and cell.rowspan > 1:
        return dataclasses.replace(cell, rowspan=cell.rowspan + 1)
    return cell


def open_continuations(sheet, cells: list[FormCell], first: int) -> None:
    """No border between a 三级 cell and the continuation of its name in the row below."""
    for cell in cells:
        if cell.col == 3 and cell.text and _continues(cells, cell):
            above = sheet.cell(row=first + cell.row - 1, column=4)
            below = sheet.cell(row=first + cell.row, column=4)
            above.border = _without(above.border, "bottom")
            below.border = _without(below.border, "top")


def _continues(cells: list[FormCell], cell: FormCell) -> bool:
    """A 三级 cell whose row has no target of its own and follows a 三级 cell."""
    target = next((c for c in cells if c.row == cell.row and c.col == 4), None)
    above = next((c for c in cells if c.row == cell.row - 1 and c.col == 3), None)
    return target is not None and target.text == "" and above is not None and bool(above.text)


def _without(border: Border, side: str) -> Border:
    sides = {s: getattr(border, s) for s in ("left", "right", "top", "bottom")}
    return Border(**(sides | {side: NO_SIDE}))


def set_print_layout(sheet) -> None:
    """A4 portrait, scaled to one page wide; Calc breaks the pages where they fall."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


# ---------------------------------------------------------------- printing


def print_with_calc(jobs: list[tuple[Path, Path, bool]]) -> None:
    python = os.environ.get("UNO_PYTHON", "/usr/bin/python3")
    with tempfile.TemporaryDirectory() as tmp:
        profile = (Path(tmp) / "profile").as_uri()
        args = [a for src, dst, fit in jobs for a in (str(src), str(dst), "1" if fit else "0")]
        subprocess.run([python, str(CALC_PRINT), profile, *args], check=True, timeout=600)


# ---------------------------------------------------------------- checking the PDF


def check_pdf(path: Path, tables: list[dict], variant: Variant) -> None:
    """Every 三级 and target of the truth is in the text layer (a split name in two pieces
    is not), and a page break falls inside a merged block (a page whose table opens under
    vertical rules with no rule across them)."""
    with pdfplumber.open(path) as pdf:
        text = "".join(ch["text"] for page in pdf.pages for ch in page.chars)
        cut = any(_opens_under_a_cut(page) for page in pdf.pages[1:])
    missing = [
        s
        for t in tables
        for i in t["indicators"]
        for s in (i["level3"], i["target_raw"])
        if s not in text.replace("\n", "")
    ]
    if missing and not variant.split_at:
        sys.exit(f"{path.name}: not printed: {missing[:5]}")
    if not cut:
        sys.exit(f"{path.name}: no page break inside a merged cell: change WIDTHS or the font")


def _opens_under_a_cut(page) -> bool:
    rules = [e for e in page.edges if e["orientation"] == "h"]
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    if not rules or not verticals:
        return False
    top = min(e["top"] for e in verticals)
    covered = [e for e in rules if abs(e["top"] - top) <= 1.5]
    starts = [e["x0"] for e in verticals if abs(e["top"] - top) <= 1.5]
    return bool(starts) and not any(r["x0"] - 1.5 <= min(starts) <= r["x1"] for r in covered)


# ---------------------------------------------------------------- main


def main() -> None:
    if shutil.which("soffice") is None:
        sys.exit("soffice not found: apt-get install libreoffice-calc fonts-noto-cjk")
    tables = load_tables()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        jobs = []
        for variant in VARIANTS:
            book = Path(tmp) / f"{variant.name}.xlsx"
            build_workbook(tables, variant, book)
            jobs.append((book, Path(tmp) / f"{variant.name}.pdf", variant.autofit))
        print_with_calc(jobs)
        for variant, (_, printed, _) in zip(VARIANTS, jobs, strict=True):
            out = OUT_DIR / printed.name
            out.write_bytes(pinned_pdf(printed.read_bytes()))
            check_pdf(out, tables, variant)
            with pdfplumber.open(out) as pdf:
                print(f"{out.relative_to(ROOT)}: {len(pdf.pages)} pages")


if __name__ == "__main__":
    main()
