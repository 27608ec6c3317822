"""A printed row that only continues a cell of the row above is joined to it, by geometry alone;
and the spreadsheet print-outs that need it (samples/xlsx-print/) keep their levels."""

import pytest
from conftest import SAMPLES

from perftab.extract import document_to_grids
from perftab.extract.grid import Cell, Grid, fill_spans
from perftab.extract.wrapped_rows import join_wrapped_rows
from perftab.pipeline import extract_file

HEAD = "对强化各部门业务协同、转变工作方式、优化发展环境影响程度"


def grid_of(cells: list[Cell], n_rows: int) -> Grid:
    return Grid(source_path="t.pdf", extractor="pdf-text", rows=fill_spans(cells, n_rows, 4))


def block(second_row: list[Cell], level3_rowspan: int) -> Grid:
    """一级 and 二级 merged over three printed rows; the 三级 of the first row runs over
    `level3_rowspan` of them; `second_row` are the other cells of printed row 2."""
    cells = [
        Cell("效益指标", 0, 0, rowspan=3),
        Cell("社会效益指标", 0, 1, rowspan=3),
        Cell(HEAD, 0, 2, rowspan=level3_rowspan),
        Cell("效果显著", 0, 3),
        *second_row,
        Cell("方便企业群众", 2, 2),
        Cell("效果显著", 2, 3),
    ]
    return grid_of(cells, 3)


def test_continuation_with_no_text_of_its_own_is_joined():
    grid = block([Cell("", 1, 3)], level3_rowspan=2)
    join_wrapped_rows(grid)
    assert [grid.row_texts(r) for r in range(len(grid.rows))] == [
        ["效益指标", "社会效益指标", HEAD, "效果显著"],
        ["效益指标", "社会效益指标", "方便企业群众", "效果显著"],
    ]
    assert grid.repairs == {0: [f"printed row below joined, it only continued: {HEAD}"]}
    assert grid.rows[0][2].rowspan == 1


def own_level_block() -> Grid:
    """The same rows with 二级 printed in each row: printed row 2 has a level of its own."""
    cells = [
        Cell("效益指标", 0, 0, rowspan=3),
        Cell("社会效益指标", 0, 1),
        Cell(HEAD, 0, 2, rowspan=2),
        Cell("效果显著", 0, 3),
        Cell("可持续影响指标", 1, 1),
        Cell("", 1, 3),
        Cell("可持续影响指标", 2, 1),
        Cell("方便企业群众", 2, 2),
        Cell("效果显著", 2, 3),
    ]
    return grid_of(cells, 3)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: block([Cell("100%", 1, 3)], level3_rowspan=2), id="own target"),
        pytest.param(own_level_block, id="own level"),
        pytest.param(
            lambda: block([Cell("度", 1, 2), Cell("", 1, 3)], level3_rowspan=1),
            id="ruling line between",
        ),
    ],
)
def test_row_with_its_own_text_or_cell_is_not_joined(make):
    grid = make()
    join_wrapped_rows(grid)
    assert len(grid.rows) == 3 and grid.repairs == {}


def test_a_merged_block_running_on_is_no_wrapped_cell():
    """A row whose own cells are empty under a 二级 that starts above it and runs further down
    is not a continuation: the 二级 does not end in it."""
    grid = block([Cell("", 1, 2), Cell("", 1, 3)], level3_rowspan=1)
    grid.rows[0][1] = grid.rows[1][1] = grid.rows[2][1]  # 二级 starts in row 0, ends in row 2
    grid.rows[0][0] = grid.rows[1][0] = grid.rows[2][0]
    join_wrapped_rows(grid)
    assert len(grid.rows) == 3 and grid.repairs == {}


@pytest.fixture(scope="module")
def split_rows():
    return extract_file(SAMPLES / "xlsx-print" / "huoshan-2023-split-rows.pdf")


def test_split_rows_sample_records_each_join(split_rows):
    ind = next(i for i in split_rows.tables[0].indicators if i.level3 == HEAD)
    assert (ind.level1, ind.level2, ind.target_raw) == ("效益指标", "社会效益指标", "效果显著")
    assert f"printed row below joined, it only continued: {HEAD}" in ind.repairs
    joined = [
        i
        for t in split_rows.tables
        for i in t.indicators
        if any(r.startswith("printed row below joined") for r in i.repairs)
    ]
    assert len(joined) == 9


def test_calc_page_break_closes_the_merged_cells_it_cut():
    """Calc draws no rule where a page cuts a merged cell; the cell is closed again, so the
    rows on both sides keep their 一级/二级 (table 1 runs from page 1 onto page 2)."""
    grid = document_to_grids(SAMPLES / "xlsx-print" / "huoshan-2023.pdf").grids[0]
    seam = grid.seams[0]
    assert [grid.text(seam - 1, c) for c in (1, 2)] == ["效益指标", "社会效益指标"]
    assert [grid.text(seam, c) for c in (1, 2)] == ["效益指标", "社会效益指标"]
