"""DOCX -> grids. Merges are read from the table XML (w:gridSpan, w:vMerge), not from python-docx's
cell objects: a merged cell is the same underlying element in several places, and object ids
get reused, so identity tells nothing reliable about spans.

Text is read as Word shows it with changes accepted: runs inside tracked insertions (w:ins),
content controls (w:sdt), smart tags and simple fields count; tracked deletions do not. Tables,
rows, cells and paragraphs wrapped in a content control or custom XML are read as if bare. A
table laying out the page (the form inside one of its cells) is read through to the tables in
it; a small table inside a form's cell is that cell's text."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from .errors import UnreadableDocument
from .grid import Cell, Grid, TextLine, fill_spans, join_wrapped
from .limits import check_nesting, check_table_size, xml_refusal


@dataclass
class _OpenCell:
    text: str
    row: int
    col: int
    colspan: int
    rowspan: int = 1
    indent: float | None = None


def read_docx(path: Path) -> list[Grid]:
    body = _open_body(path)
    grids: list[Grid] = []
    context: list[TextLine] = []
    n_par = 0
    p_tag, text_tag = qn("w:p"), qn("w:t")
    for child in _paragraphs_and_tables(body, str(path)):
        if child.tag == p_tag:
            n_par += 1
            # text is only ever in a w:t: a paragraph without one is skipped at C speed, without
            # python-docx's per-paragraph objects (a body of millions of empty paragraphs)
            if next(child.iter(text_tag), None) is None:
                continue
            text = paragraph_text(child).strip()
            if text:
                context.append(TextLine(text, f"docx paragraph {n_par}"))
        else:
            grid = _table_to_grid(child, len(grids) + 1, str(path))
            grid.context = context
            grids.append(grid)
            context = []
    return grids


def _paragraphs_and_tables(body, source: str):
    """The paragraphs and tables to read, in document order. A table whose cells hold tables
    of their own lays out the page (the title in one cell, the form in another, a frame of one
    cell around it all) and is read through: its cells' paragraphs and tables in their place.
    How deep tables nest is checked on each table of the body, before any is read."""
    n_tables = 0
    for child in _children(body, _P, _TBL):
        if child.tag == _TBL:
            n_tables += 1
            check_nesting(source, f"table {n_tables}", _nesting(child))
        yield from _read_through(child)


def _read_through(child):
    if child.tag == _TBL and _lays_out_tables(child):
        for tr in _children(child, qn("w:tr")):
            for tc in _children(tr, qn("w:tc")):
                for inner in _children(tc, _P, _TBL):
                    yield from _read_through(inner)
    else:
        yield child


def _lays_out_tables(tbl) -> bool:
    """Whether the table lays out others: a cell of it holds a table of more than one cell, and
    its own cells print no indicator heading. A table of one cell inside a cell only boxes its
    text, and a form whose cell holds a small table (funds by source) is still the form: both
    are read as the cell's text."""
    if not any(sum(1 for _ in inner.iter(qn("w:tc"))) > 1 for inner in tbl.iterdescendants(_TBL)):
        return False
    own = "".join(paragraph_text(p) for tr in _children(tbl, qn("w:tr"))
                  for tc in _children(tr, qn("w:tc")) for p in _children(tc, _P))
    return not any(word in own for word in _HEADING_WORDS)


# words only an indicator table's headings print (一级指标, 三级指标, 指标值)
_HEADING_WORDS = ("指标", "指標")


def _open_body(path: Path):
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocument(path, f"not a readable DOCX file ({exc})") from exc
    except etree.XMLSyntaxError as exc:
        refusal = xml_refusal(path, "the document's XML", exc)
        if refusal is not None:
            raise refusal from exc
        raise UnreadableDocument(path, f"not a readable DOCX file ({exc})") from exc
    return document.element.body


def _table_to_grid(tbl, table_no: int, source: str) -> Grid:
    cells = _table_cells(tbl, f"table {table_no}", source)
    n_rows = max((c.row + c.rowspan for c in cells), default=0)
    n_cols = max((c.col + c.colspan for c in cells), default=0)
    frozen = [
        Cell(
            text=c.text,
            row=c.row,
            col=c.col,
            rowspan=c.rowspan,
            colspan=c.colspan,
            locator=f"docx table {table_no} row {c.row + 1} cell {c.col + 1}",
            indent=c.indent,
        )
        for c in cells
    ]
    return Grid(source_path=source, extractor="docx", rows=fill_spans(frozen, n_rows, n_cols))


def _nesting(tbl) -> int:
    """How many tables deep the deepest table in this one's cells stands (1: none inside)."""
    depth = {tbl: 1}
    for inner in tbl.iterdescendants(qn("w:tbl")):
        outer = next(inner.iterancestors(qn("w:tbl")))
        depth[inner] = depth[outer] + 1
    return max(depth.values())


def _table_cells(tbl, table: str, source: str) -> list[_OpenCell]:
    cells: list[_OpenCell] = []
    open_at: dict[int, _OpenCell] = {}  # grid column -> the cell a w:vMerge continue extends
    rows = list(_children(tbl, qn("w:tr")))
    for r, tr in enumerate(rows):
        col = _grid_before(tr)
        for tc in _children(tr, qn("w:tc")):
            span, vmerge = _tc_span(tc)
            check_table_size(source, table, len(rows), col + span)  # before a slot is filled
            above = open_at.get(col)
            if vmerge == "continue" and above is not None and above.col == col:
                above.rowspan = r - above.row + 1
            else:
                text, paragraphs = _tc_read(tc)
                cell = _OpenCell(text, r, col, span, indent=_tc_indent(paragraphs))
                cells.append(cell)
                for c in range(col, col + span):
                    open_at[c] = cell
            col += span
    return cells


def _grid_before(tr) -> int:
    trpr = tr.find(qn("w:trPr"))
    el = trpr.find(qn("w:gridBefore")) if trpr is not None else None
    return int(el.get(qn("w:val"), "0")) if el is not None else 0


def _tc_span(tc) -> tuple[int, str | None]:
    tcpr = tc.find(qn("w:tcPr"))
    if tcpr is None:
        return 1, None
    span_el = tcpr.find(qn("w:gridSpan"))
    span = int(span_el.get(qn("w:val"), "1")) if span_el is not None else 1
    vm_el = tcpr.find(qn("w:vMerge"))
    vmerge = None if vm_el is None else (vm_el.get(qn("w:val")) or "continue")
    return span, vmerge


def _tc_read(tc) -> tuple[str, list]:
    """The cell's text (its paragraphs; a table inside it a line per row, its cells apart by a
    space) and its own paragraphs with their texts, read once for the text and the indent."""
    lines, paragraphs = [], []
    for child in _children(tc, _P, _TBL):
        if child.tag == _P:
            text = paragraph_text(child)
            paragraphs.append((child, text))
            lines.append(text)
            continue
        for tr in _children(child, qn("w:tr")):
            cells = (_tc_read(inner)[0] for inner in _children(tr, qn("w:tc")))
            lines.append(" ".join(text for text in cells if text))
    return join_wrapped(lines), paragraphs


_P, _TBL = qn("w:p"), qn("w:tbl")
_SDT, _SDT_CONTENT, _CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_RUN = qn("w:r")
# what a paragraph holds that Word does not show as its text: deleted or moved-away runs, and
# the fallback copy of content given twice (mc:AlternateContent)
_NOT_SHOWN = {qn("w:del"), qn("w:moveFrom"), qn("w:pPr"),
              "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}


def _children(el, *tags: str):
    """`el`'s children with one of `tags`, looking through content controls and custom XML."""
    for child in el.iterchildren():
        if child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content, *tags)
        elif child.tag == _CUSTOM_XML:
            yield from _children(child, *tags)
        elif child.tag in tags:
            yield child


def paragraph_text(p) -> str:
    """A paragraph's text with tracked changes accepted: every run in it, however wrapped
    (insertion, content control, hyperlink, smart tag, field), but none deleted or moved away."""
    parts: list[str] = []

    def walk(el) -> None:
        for child in el.iterchildren():
            if child.tag == _RUN:
                parts.append(child.text)  # python-docx's CT_R: w:t, tabs, breaks, hyphens
            elif child.tag not in _NOT_SHOWN:
                walk(child)

    walk(p)
    return "".join(parts)


_EM = {"\u3000": 1.0, " ": 0.5, "\t": 2.0}  # leading blanks, in ems, that push text right
DEFAULT_FONT_PT = 10.5  # 五号, the usual size of a form's cells


def _tc_indent(paragraphs: list) -> float | None:
    """Points from the cell's edge to its first paragraph's text: the paragraph's left and
    first-line indents plus the blanks typed before the text. Tree tables tell depth by it.
    `paragraphs`: the cell's paragraphs with their texts."""
    for p, text in paragraphs:
        if not text.strip():
            continue
        if _centred(p):
            return None  # where centred text starts tells its length, not its depth
        blanks = len(text) - len(text.lstrip())
        ems = sum(_EM.get(ch, 0.5) for ch in text[:blanks])
        return round(_paragraph_indent(p) + ems * _font_pt(p), 1)
    return None


def _centred(p) -> bool:
    jc = p.find(f"{qn('w:pPr')}/{qn('w:jc')}")
    return jc is not None and jc.get(qn("w:val")) in ("center", "right", "end")


def _paragraph_indent(p) -> float:
    ind = p.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    if ind is None:
        return 0.0
    left = _twips(ind.get(qn("w:left")) or ind.get(qn("w:start")))
    return left + _twips(ind.get(qn("w:firstLine"))) - _twips(ind.get(qn("w:hanging")))


def _twips(value: str | None) -> float:
    """A twips attribute in points; what does not read as a number counts as none."""
    try:
        return float(value) / 20 if value else 0.0
    except ValueError:
        return 0.0


def _font_pt(p) -> float:
    size = p.find(f"{qn('w:r')}/{qn('w:rPr')}/{qn('w:sz')}")
    return int(size.get(qn("w:val"))) / 2 if size is not None else DEFAULT_FONT_PT
