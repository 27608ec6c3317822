"""Build the text-born samples of perftab from the truth file.

Run from the repository root (``make samples`` does the same)::

    .venv/bin/python samples/make_text_samples.py

It writes the five 项目支出绩效目标表 of ``tests/data/huoshan-2023.json`` the way tables reach
us when no PDF or DOCX does:

* ``samples/html/huoshan-2023.html``: one ``<table>`` per form with real ``rowspan``/``colspan``
  (what MinerU, PP-Structure and Docling export, and what a disclosure web page holds);
* ``samples/html/huoshan-2023-spans-lost.html``: the same with every ``rowspan``/``colspan``
  dropped, the cells of the rows below a merge slid left (what PP-Structure and other layout
  models print when they miss a merge);
* ``samples/markdown/huoshan-2023.md``: a heading, the year line, then one pipe table per form,
  merged cells written once and the slots they covered left blank (as layout models do);
* ``samples/xlsx/huoshan-2023.xlsx``: sheet 全部 with the five tables one below the other,
  an empty row between them, merged ranges for the merged cells;
* ``samples/xlsx/huoshan-2023-sheets.xlsx``: the same tables, one sheet each.

All four share one layout, the DOCX sample's 5-column form (``make_samples.py``): the header
block, then the indicator block with the empty 经济效益指标/生态效益指标 rows the form prints.
No LibreOffice needed. Reruns give identical bytes (the workbook's zip times and its
modification date are pinned).
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from make_samples import INDICATOR_HEADER, LABEL_COLS, form_rows, load_tables, pinned_zip, runs_of
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parent.parent
HTML_PATH = ROOT / "samples" / "html" / "huoshan-2023.html"
HTML_SPANS_LOST_PATH = ROOT / "samples" / "html" / "huoshan-2023-spans-lost.html"
MARKDOWN_PATH = ROOT / "samples" / "markdown" / "huoshan-2023.md"
XLSX_PATH = ROOT / "samples" / "xlsx" / "huoshan-2023.xlsx"
XLSX_SHEETS_PATH = ROOT / "samples" / "xlsx" / "huoshan-2023-sheets.xlsx"

N_COLS = 5
TITLE = "项目支出绩效目标表"
SIGNATURE = "项目责任人：          单位（盖章）："
FIXED_TIME = "2023-01-01T00:00:00Z"


@dataclass(frozen=True)
class FormCell:
    """One cell of the printed form, at its origin slot (0-based), with its spans."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    money: float | None = None  # the 万元 amount a money cell shows as text


# ---------------------------------------------------------------- truth -> form cells


def form_cells(data: dict) -> list[FormCell]:
    """The whole form as cells in row order: header block, then indicator block."""
    header = header_cells(data["meta"])
    first = max(c.row + c.rowspan for c in header)
    return header + indicator_cells(data["indicators"], first)


def header_cells(meta: dict) -> list[FormCell]:
    value_span = N_COLS - LABEL_COLS
    department = f"[{meta['department_code']}]{meta['department']}"
    cells = [
        FormCell(0, 0, "项目名称", colspan=LABEL_COLS),
        FormCell(0, 2, meta["project_name"], colspan=value_span),
        *_pair_row(1, "主管部门及代码", department, "实施单位", meta["implementing_unit"]),
        *_pair_row(2, "项目来源", meta["project_source"], "项目期", meta["period"]),
        FormCell(3, 0, "项目资金 (万元)", rowspan=3, colspan=LABEL_COLS),
    ]
    funds = (
        ("年度资金总额：", meta["funds_total_wan"]),
        ("其中：财政拨款", meta["funds_fiscal_wan"]),
        ("其他资金", meta["funds_other_wan"]),
    )
    for row, (label, wan) in enumerate(funds, start=3):
        cells += [FormCell(row, 2, label), FormCell(row, 3, f"{wan:.2f}", colspan=2, money=wan)]
    cells += [
        FormCell(6, 0, "年度目标", colspan=LABEL_COLS),
        FormCell(6, 2, meta["annual_goal"], colspan=value_span),
    ]
    return cells


def _pair_row(row: int, label: str, value: str, label2: str, value2: str) -> list[FormCell]:
    return [
        FormCell(row, 0, label, colspan=LABEL_COLS),
        FormCell(row, 2, value),
        FormCell(row, 3, label2),
        FormCell(row, 4, value2),
    ]


def indicator_cells(indicators: list[dict], head: int) -> list[FormCell]:
    """绩效指标 merged down the whole block, each 一级 and 二级 run merged, as in the DOCX."""
    rows = form_rows(indicators)
    first = head + 1
    cells = [FormCell(head, 0, INDICATOR_HEADER[0], rowspan=len(rows) + 1)]
    cells += [FormCell(head, col, text) for col, text in enumerate(INDICATOR_HEADER[1:], 1)]
    for start, end in runs_of([r.level1 for r in rows]):
        cells.append(FormCell(first + start, 1, rows[start].level1, rowspan=end - start))
    for start, end in runs_of([(r.level1, r.level2) for r in rows]):
        cells.append(FormCell(first + start, 2, rows[start].level2, rowspan=end - start))
    for i, row in enumerate(rows):
        cells += [FormCell(first + i, 3, row.level3), FormCell(first + i, 4, row.target)]
    return sorted(cells, key=lambda c: (c.row, c.col))


def grid_rows(cells: list[FormCell]) -> list[list[FormCell | None]]:
    """The cells by row; a slot covered by a merged cell (not its origin) is None."""
    n_rows = max(c.row + c.rowspan for c in cells)
    rows: list[list[FormCell | None]] = [[None] * N_COLS for _ in range(n_rows)]
    for cell in cells:
        rows[cell.row][cell.col] = cell
    return rows


# ---------------------------------------------------------------- HTML


def build_html(tables: list[dict], keep_spans: bool = True) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        '<head><meta charset="utf-8"><title>霍山县数据资源管理局 项目支出绩效目标表</title></head>',
        "<body>",
    ]
    for data in tables:
        parts += [
            f"<h1>{TITLE}</h1>",
            f"<p>({data['year']}年度)</p>",
            f"<p>{html.escape(SIGNATURE)}</p>",
            '<table border="1">',
            *html_rows(form_cells(data), keep_spans),
            "</table>",
        ]
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def html_rows(cells: list[FormCell], keep_spans: bool) -> Iterator[str]:
    for row in grid_rows(cells):
        tds = "".join(html_cell(c, keep_spans) for c in row if c is not None)
        yield f"<tr>{tds}</tr>"


def html_cell(cell: FormCell, keep_spans: bool) -> str:
    attrs = ""
    if cell.rowspan > 1 and keep_spans:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1 and keep_spans:
        attrs += f' colspan="{cell.colspan}"'
    return f"<td{attrs}>{html.escape(cell.text)}</td>"


# ---------------------------------------------------------------- Markdown


def build_markdown(tables: list[dict]) -> str:
    parts: list[str] = []
    for data in tables:
        parts += [f"# {TITLE}", "", f"({data['year']}年度)", "", SIGNATURE, ""]
        rows = grid_rows(form_cells(data))
        parts.append(markdown_row(rows[0]))
        parts.append("|" + " --- |" * N_COLS)
        parts += [markdown_row(row) for row in rows[1:]]
        parts.append("")
    return "\n".join(parts)


def markdown_row(row: list[FormCell | None]) -> str:
    """A merged cell's text once, in its origin slot; the slots it covers blank."""
    texts = [markdown_escape(c.text) if c is not None else "" for c in row]
    return "| " + " | ".join(texts) + " |"


def markdown_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


# ---------------------------------------------------------------- XLSX

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WIDTHS = (6, 12, 14, 36, 18)  # characters; like the DOCX grid's 1.2 / 2.2 / 2.7 / 6.4 / 3.5 cm


def build_xlsx(tables: list[dict], one_sheet: bool) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    if one_sheet:
        sheet = new_sheet(workbook, "全部")
        row = 1
        for data in tables:
            row = write_form(sheet, data, row) + 1  # one empty row between tables
    else:
        for n, data in enumerate(tables, start=1):
            write_form(new_sheet(workbook, f"表{n}"), data, 1)
    workbook.properties.creator = "perftab samples"
    buf = io.BytesIO()
    workbook.save(buf)
    return pinned_xlsx(buf.getvalue())


def new_sheet(workbook: Workbook, title: str):
    sheet = workbook.create_sheet(title)
    for col, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    return sheet


def write_form(sheet, data: dict, top: int) -> int:
    """Title lines merged across the form, then the bordered form; returns the next free row."""
    for offset, text in enumerate((TITLE, f"({data['year']}年度)", SIGNATURE)):
        write_cell(sheet, FormCell(offset, 0, text, colspan=N_COLS), top, border=False)
    first = top + 3
    cells = form_cells(data)
    for cell in cells:
        write_cell(sheet, cell, first, border=True)
    return first + max(c.row + c.rowspan for c in cells)


def write_cell(sheet, cell: FormCell, top: int, border: bool) -> None:
    row, col = top + cell.row, cell.col + 1
    target = sheet.cell(row=row, column=col)
    if cell.money is not None:
        # Money as a number formatted like the form prints it; every other text stays a string
        # (a target such as 100% must not turn into the number 1).
        target.value, target.number_format = cell.money, "0.00"
    else:
        target.value = cell.text
        target.data_type = "s"  # even a text starting with "=" is not a formula
    target.alignment = Alignment(wrap_text=True, vertical="center")
    if border:
        for r in range(row, row + cell.rowspan):
            for c in range(col, col + cell.colspan):
                sheet.cell(row=r, column=c).border = BOX
    if cell.rowspan > 1 or cell.colspan > 1:
        sheet.merge_cells(
            start_row=row,
            start_column=col,
            end_row=row + cell.rowspan - 1,
            end_column=col + cell.colspan - 1,
        )


def pinned_xlsx(data: bytes) -> bytes:
    """Fixed member times and a fixed modification date (openpyxl stamps the time of saving)."""
    return pinned_zip(data, _pin_core_dates)


def _pin_core_dates(name: str, body: bytes) -> bytes:
    if name != "docProps/core.xml":
        return body
    stamp = rb"(<dcterms:(created|modified)[^>]*>)[^<]*"
    return re.sub(stamp, rb"\g<1>" + FIXED_TIME.encode(), body)


# ---------------------------------------------------------------- main


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="\n")
    else:
        path.write_bytes(data)
    print(path.relative_to(ROOT))


def main() -> None:
    tables = load_tables()
    write(HTML_PATH, build_html(tables))
    write(HTML_SPANS_LOST_PATH, build_html(tables, keep_spans=False))
    write(MARKDOWN_PATH, build_markdown(tables))
    write(XLSX_PATH, build_xlsx(tables, one_sheet=True))
    write(XLSX_SHEETS_PATH, build_xlsx(tables, one_sheet=False))


if __name__ == "__main__":
    main()
