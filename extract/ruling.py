"""Ruled tables on a page, with the cells a page break left open closed again.

A word processor closes every cell at a page break with a rule along the page's last row and
opens the next page with one. A spreadsheet print-out (LibreOffice Calc, Excel) draws only the
borders the sheet has: a merged cell that runs over the break keeps its vertical rules down to
the end of the printed area, but gets no rule there, nor at the top of the next page. Such a
cell has no closed rectangle, so the table finder drops it (an empty slot where 一级/二级 were).

The rule put back: where the first table on a page starts, or the last one ends, and vertical
rules of the table run exactly to that edge with no horizontal rule along them, the page cut a
cell there, and a rule is added along the edge between those verticals.
"""

from __future__ import annotations

from itertools import pairwise

from .grid import BBox

TOLERANCE = 1.5  # points: a rule drawn to an edge ends within a line width of it


def find_ruled_tables(page, settings: dict) -> list:
    """pdfplumber's tables of `page`, top to bottom, with page-cut cells closed."""
    tables = sorted(page.find_tables(settings), key=lambda t: t.bbox[1])
    if not tables:
        return tables
    cuts = cut_rules(page.edges, tables[0].bbox, at_top=True)
    cuts += cut_rules(page.edges, tables[-1].bbox, at_top=False)
    if not cuts:
        return tables
    closed = {**settings, "explicit_horizontal_lines": cuts}
    return sorted(page.find_tables(closed), key=lambda t: t.bbox[1])


def cut_rules(edges: list[dict], bbox: BBox, at_top: bool) -> list[dict]:
    """Horizontal rules along the table's top (or bottom) where vertical rules end at it
    without one."""
    x0, top, x1, bottom = bbox
    y = top if at_top else bottom
    ends = sorted(
        e["x0"]
        for e in edges
        if e["orientation"] == "v"
        and x0 - TOLERANCE <= e["x0"] <= x1 + TOLERANCE
        and abs((e["top"] if at_top else e["bottom"]) - y) <= TOLERANCE
    )
    rules = [e for e in edges if e["orientation"] == "h" and abs(e["top"] - y) <= TOLERANCE]
    out = []
    for left, right in pairwise(ends):
        if right - left > TOLERANCE and not _covered(rules, left, right):
            out.append(_rule(left, right, y))
    return out


def _covered(rules: list[dict], left: float, right: float) -> bool:
    middle = (left + right) / 2
    return any(r["x0"] - TOLERANCE <= middle <= r["x1"] + TOLERANCE for r in rules)


def _rule(left: float, right: float, y: float) -> dict:
    return {
        "object_type": "line_edge",
        "orientation": "h",
        "x0": left,
        "x1": right,
        "width": right - left,
        "top": y,
        "bottom": y,
        "height": 0.0,
    }
