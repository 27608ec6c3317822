"""HTML tables (what MinerU, PP-Structure or Docling export, or a web page) -> grids with spans.

lxml.html parses the page (it repairs the unclosed tags such exports are full of). The page is
read in document order as lines of text and tables: the lines before a table (headings,
paragraphs) are its context. A table whose cells hold tables lays out the page (a site's
frame around the article) and is read through: its cells' text as lines, the tables in them as
tables. `rowspan`/`colspan` place each cell by the HTML table model, so a
merged 一级 cell is one `Cell` in every slot it covers, as in a DOCX, and the grid is not loose,
unless its spans do not add up (some slot left uncovered): then they were lost on the way, and
the grid is marked loose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import lxml.etree
import lxml.html

from .encoding import Decoded, decode_bytes, mark_damaged
from .errors import UnreadableDocument
from .grid import Cell, Grid, TextLine, fill_spans, join_wrapped
from .limits import check_nesting, check_table_size, xml_log_refusal

# Elements that end a line of text; anything else (span, b, font…) runs on within the line.
_BLOCKS = {
    "address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "td", "th", "tr", "ul",
}  # fmt: skip
_SKIPPED = {"head", "script", "style", "template", "noscript"}  # no printed text in them
_BREAK = object()  # marks the end of a line in the walk
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
# The HTML standard's limits; a larger value is clipped like a browser does.
_MAX_COLSPAN, _MAX_ROWSPAN = 1000, 65534


def read_html(path: Path) -> list[Grid]:
    decoded = _decode(path, path.read_bytes())
    grids, _ = html_to_grids(decoded.text, str(path))
    mark_damaged(grids, decoded)
    return grids


def html_to_grids(text: str, source: str, first_table_no: int = 1) -> tuple[list[Grid], int]:
    """The grids of an HTML document or fragment, and how many tables were numbered (the
    Markdown reader numbers the HTML tables of a file on from there)."""
    grids: list[Grid] = []
    context: list[TextLine] = []
    table_no, n_lines = first_table_no - 1, 0
    for item in _lines_and_tables(_parse(text, source), source):
        if isinstance(item, str):
            n_lines += 1
            context.append(TextLine(item, f"html paragraph {n_lines}"))
            continue
        table_no += 1
        grid = _table_to_grid(item, table_no, source)
        if grid.rows:
            grid.context = context + _caption_lines(item, table_no)
            grids.append(grid)
            context = []
    return grids, table_no - first_table_no + 1


def _lines_and_tables(el, source: str) -> Iterator[object]:
    """Lines of text and the tables to read as grids, in document order. A table laying out a
    page (a site's frame: a breadcrumb row, the article's cell, a footer) is read through, its
    cells' text as lines and the tables in them in their place: the form's title is a line in
    the article's cell above its table, and the form's cells are those of the table inside."""
    for item in _walk_lines(el, stop_at_tables=True):
        if isinstance(item, str) or not _lays_out_tables(item):
            yield item
            continue
        check_nesting(source, "html page layout table", _nesting(item))
        for td in (td for tr in _own_rows(item) for td in _own_cells(tr)):
            yield from _lines_and_tables(td, source)


def _lays_out_tables(table) -> bool:
    """Whether a cell of the table holds a table of its own rows and columns. A table of one
    cell inside a cell only boxes its text (some exporters print one) and stays in its cell."""
    return any(len(inner.xpath(".//td|.//th")) > 1 for inner in table.iterdescendants("table"))


def _caption_lines(table, table_no: int) -> list[TextLine]:
    """A <caption> is printed above its table and often holds the title."""
    caption = table.find("caption")
    if caption is None:
        return []
    lines = [item for item in _walk_lines(caption, stop_at_tables=False) if isinstance(item, str)]
    return [TextLine(line, f"html table {table_no} caption") for line in lines]


def _parse(text: str, source: str):
    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        # Bytes with a stated encoding: lxml refuses str that carries an XML declaration.
        document = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise UnreadableDocument(source, f"not a readable HTML file ({exc})") from exc
    # past one of its limits (elements 256 deep, a text of 10 MB) the parser drops the rest of
    # the page and only logs why: the page would be read without its table
    refusal = xml_log_refusal(source, "the page", parser.error_log)
    if refusal is not None:
        raise refusal
    return document


def _decode(path: Path, data: bytes) -> Decoded:
    """The page's text: by its BOM, as UTF-8, by the charset it declares, else as judged from
    its bytes (extract/encoding.py)."""
    declared = _CHARSET.search(data[:4096])
    return decode_bytes(path, data, declared.group(1).decode("ascii") if declared else "")


# ---------------------------------------------------------------- text in document order


def _walk_lines(el, stop_at_tables: bool) -> Iterator[object]:
    """Lines of text (str) in document order, and, when stop_at_tables, each outermost <table>
    element in its place instead of its text."""
    pieces: list[str] = []
    for item in _walk(el, stop_at_tables):
        if isinstance(item, str):
            pieces.append(item)
            continue
        line = _SPACE.sub(" ", "".join(pieces)).strip()
        pieces = []
        if line:
            yield line
        if item is not _BREAK:
            yield item
    line = _SPACE.sub(" ", "".join(pieces)).strip()
    if line:
        yield line


def _walk(el, stop_at_tables: bool) -> Iterator[object]:
    """Text pieces, _BREAK at block boundaries and <br>, and (when asked) table elements."""
    tag = el.tag if isinstance(el.tag, str) else ""  # comments and processing instructions
    if tag in _SKIPPED or not tag:
        return
    if tag == "table" and stop_at_tables:
        yield el
        return
    if tag in _BLOCKS or tag == "br":
        yield _BREAK
    if el.text:
        yield el.text
    for child in el:
        yield from _walk(child, stop_at_tables)
        if child.tail:
            yield child.tail
    if tag in _BLOCKS:
        yield _BREAK


def _cell_text(td) -> str:
    """A cell's lines (<br>, <p> inside it) joined like a wrapped DOCX cell."""
    lines = [item for item in _walk_lines(td, stop_at_tables=False) if isinstance(item, str)]
    return join_wrapped(lines)


# ---------------------------------------------------------------- the table model


def _table_to_grid(table, table_no: int, source: str) -> Grid:
    check_nesting(source, f"html table {table_no}", _nesting(table))
    rows = _own_rows(table)
    cells: list[Cell] = []
    taken: set[tuple[int, int]] = set()  # slots already filled, by this row or a rowspan above
    for r, tr in enumerate(rows):
        col = 0
        for td in _own_cells(tr):
            while (r, col) in taken:
                col += 1
            rowspan = min(_span(td, "rowspan", _MAX_ROWSPAN) or len(rows), len(rows) - r)
            colspan = _span(td, "colspan", _MAX_COLSPAN) or 1
            # before its slots are taken: a few rows of colspan=1000 are millions
            check_table_size(source, f"html table {table_no}", len(rows), col + colspan)
            locator = f"html table {table_no} row {r + 1} cell {col + 1}"
            cells.append(Cell(_cell_text(td), r, col, rowspan, colspan, locator=locator))
            taken.update((r + dr, col + dc) for dr in range(rowspan) for dc in range(colspan))
            col += colspan
    n_cols = max((c + 1 for _, c in taken), default=0)
    grid_rows = fill_spans(cells, len(rows), n_cols)
    # A slot no cell covers means the spans do not add up: a layout model dropped them and the
    # cells of the rows below slid left (samples/html/huoshan-2023-spans-lost.html). Such a grid
    # is read like a text grid: positions cannot be trusted, normalize realigns by content.
    loose = any(slot is None for row in grid_rows for slot in row)
    return Grid(source, "html", grid_rows, loose=loose)


def _nesting(table) -> int:
    """How many tables deep the deepest table in this one's cells stands (1: none inside)."""
    depth = {table: 1}
    for inner in table.iterdescendants("table"):
        depth[inner] = depth[next(inner.iterancestors("table"))] + 1
    return max(depth.values())


def _own_rows(table) -> list:
    """<tr> of this table (in thead/tbody/tfoot or bare), not of a table nested in a cell."""
    return [tr for tr in table.iter("tr") if _owner_table(tr) is table]


def _own_cells(tr) -> list:
    return [child for child in tr if child.tag in ("td", "th")]


def _owner_table(el):
    parent = el.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _span(td, name: str, limit: int) -> int:
    """The attribute as browsers read it: leading digits ("2;" is 2); 0 for rowspan means "to
    the end of the table" (returned as 0 for the caller); missing or unreadable is 1."""
    match = re.match(r"\s*(\d+)", td.get(name, ""))
    if match is None:
        return 1
    return min(int(match.group(1)), limit)
