"""A table continued on the next scanned page is joined to its start though the page lies
shifted on the scanner's glass, or a photographed sheet was made rectangular at a scale of its
own; a born-digital page is held to its exact columns."""

import pytest

from perftab.extract.records import CellBox, TablePart
from perftab.extract.stitch import parts_to_grids

EDGES = [50.0, 120.0, 200.0, 420.0, 540.0]  # a five-column indicator table, in points


def part(page: int, edges: list[float], texts: list[list[str]], extractor: str = "ocr",
         top: float = 100.0, notes: tuple[str, ...] = ()) -> TablePart:
    cells = []
    for r, row in enumerate(texts):
        y0, y1 = top + 20 * r, top + 20 * (r + 1)
        for c, text in enumerate(row):
            cells.append(CellBox((edges[c], y0, edges[c + 1], y1), text, 0.99))
    bbox = (edges[0], top, edges[-1], top + 20 * len(texts))
    return TablePart(page, bbox, cells, extractor=extractor, notes=list(notes))


HEAD = [
    ["一级指标", "二级指标", "三级指标", "指标值"],
    ["产出指标", "数量指标", "培训人次", "≥200人次"],
]
TAIL = [["效益指标", "社会效益指标", "群众知晓率", "≥90%"]]


def moved(edges: list[float], shift: float, scale: float) -> list[float]:
    return [edges[0] + shift + (x - edges[0]) * scale for x in edges]


@pytest.mark.parametrize(("shift", "scale"), [(0.0, 1.0), (7.5, 1.0), (-6.0, 1.0), (3.0, 1.03)])
def test_scanned_continuation_is_joined_to_its_start(shift, scale):
    grids = parts_to_grids(
        [part(1, EDGES, HEAD), part(2, moved(EDGES, shift, scale), TAIL)], "x.pdf"
    )
    assert len(grids) == 1
    assert [grids[0].row_texts(r) for r in range(3)] == [list(row) for row in HEAD + TAIL]
    # the continued part's cells keep the boxes of their own page
    assert grids[0].rows[2][0].bbox[0] == pytest.approx(EDGES[0] + shift)


PHOTO = ("page 2 perspective corrected, light evened",)


@pytest.mark.parametrize("scale", [0.9, 1.12])
def test_photographed_continuation_at_a_scale_of_its_own_is_joined(scale):
    tail = part(2, moved(EDGES, 4.0, scale), TAIL, notes=PHOTO)
    (grid,) = parts_to_grids([part(1, EDGES, HEAD), tail], "x.pdf")
    assert [grid.row_texts(r) for r in range(len(grid.rows))] == HEAD + TAIL


def test_scanned_continuation_at_another_scale_is_no_continuation_unless_photographed():
    parts = [part(1, EDGES, HEAD), part(2, moved(EDGES, 4.0, 0.9), TAIL)]
    assert len(parts_to_grids(parts, "x.pdf")) == 2


def test_photographed_page_with_other_columns_starts_a_table():
    other = moved([50.0, 150.0, 300.0, 420.0, 540.0], 0.0, 0.9)  # scaled, its columns elsewhere
    parts = [part(1, EDGES, HEAD), part(2, other, TAIL, notes=PHOTO)]
    assert len(parts_to_grids(parts, "x.pdf")) == 2


def test_born_digital_continuation_keeps_to_its_columns():
    parts = [part(1, EDGES, HEAD, "pdf-text"), part(2, moved(EDGES, 7.5, 1.0), TAIL, "pdf-text")]
    assert len(parts_to_grids(parts, "x.pdf")) == 2


def test_scanned_page_with_other_columns_starts_a_table():
    other = [50.0, 150.0, 300.0, 420.0, 540.0]  # the same frame, its inner columns elsewhere
    assert len(parts_to_grids([part(1, EDGES, HEAD), part(2, other, TAIL)], "x.pdf")) == 2
