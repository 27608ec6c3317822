"""Each repair is recorded on the row it produced, with what was printed before."""

import pytest
from conftest import SAMPLES

from perftab.extract.grid import Cell, Grid, fill_spans
from perftab.extract.stitch import carry_merged_cells, drop_repeated_headers
from perftab.normalize.table import grids_to_tables
from perftab.pipeline import extract_file


@pytest.fixture(scope="module")
def regular():
    return extract_file(SAMPLES / "pdf" / "huoshan-2023.pdf")


@pytest.fixture(scope="module")
def narrow():
    return extract_file(SAMPLES / "pdf" / "huoshan-2023-narrow.pdf")


def _find(result, table: int, level3: str):
    return next(i for i in result.tables[table - 1].indicators if i.level3 == level3)


def test_row_split_by_page_break_is_joined(regular):
    ind = _find(regular, 1, "对强化各部门业务协同、转变工作方式、优化发展环境影响程度")
    assert ind.target_raw == "效果显著"
    assert ind.repairs[0].startswith("row joined across page break: grid rows ")
    assert regular.tables[0].page_first == 1 and regular.tables[0].page_last == 2


def test_merged_block_is_carried_over_page_break(regular):
    ind = _find(regular, 2, "工作人员积极性")
    assert (ind.level1, ind.level2, ind.page) == ("效益指标", "社会效益指标", 3)
    assert "merged cell carried over page break: 效益指标" in ind.repairs


def test_label_split_by_page_break_is_joined(narrow):
    first, second = _find(narrow, 2, "考核次数"), _find(narrow, 2, "考勤考核奖金额")
    assert (first.level1, second.level1) == ("产出指标", "产出指标")
    assert "level1 joined across page break: 产" in first.repairs
    assert "level1 joined across page break: 出指标" in second.repairs


def test_docx_rows_need_no_repair():
    result = extract_file(SAMPLES / "docx" / "huoshan-2023.docx")
    assert [i.repairs for t in result.tables for i in t.indicators if i.repairs] == []


def _grid(cells: list[Cell], n_rows: int, n_cols: int, seams: list[int]) -> Grid:
    return Grid("x.pdf", "pdf-text", fill_spans(cells, n_rows, n_cols), seams=seams)


def test_repeated_header_row_at_a_continuation_is_dropped():
    header = [Cell("一级指标", 0, 0), Cell("三级指标", 0, 1)]
    cells = [*header, Cell("产出指标", 1, 0), Cell("a", 1, 1)]
    cells += [Cell("一级指标", 2, 0), Cell("三级指标", 2, 1), Cell("", 3, 0), Cell("b", 3, 1)]
    grid = _grid(cells, 4, 2, seams=[2])
    drop_repeated_headers(grid)
    assert [grid.row_texts(r) for r in range(len(grid.rows))] == [
        ["一级指标", "三级指标"], ["产出指标", "a"], ["", "b"],
    ]
    assert grid.seams == [2]
    assert grid.repairs == {2: ["repeated header row dropped: 一级指标 | 三级指标"]}


def test_merged_cell_cut_by_a_page_break_carries_its_text():
    cells = [Cell("产出指标", 0, 0, rowspan=2), Cell("a", 0, 1), Cell("b", 1, 1)]
    cells += [Cell("", 2, 0, rowspan=2), Cell("c", 2, 1), Cell("d", 3, 1)]
    grid = _grid(cells, 4, 2, seams=[2])
    carry_merged_cells(grid)
    assert [grid.text(r, 0) for r in range(4)] == ["产出指标"] * 4
    assert grid.repairs == {2: ["merged cell carried over page break: 产出指标"]}


def test_distinct_single_row_cells_at_a_break_are_not_merged():
    cells = [Cell("时效指标", 0, 0), Cell("a", 0, 1), Cell("成本指标", 1, 0), Cell("b", 1, 1)]
    grid = _grid(cells, 2, 2, seams=[1])
    carry_merged_cells(grid)
    assert [grid.text(r, 0) for r in range(2)] == ["时效指标", "成本指标"]
    assert grid.repairs == {}


def test_rows_under_no_header_that_could_not_be_joined_are_told_on_the_table_before():
    """A continuation whose columns did not match its start's is a grid of its own with no
    header row: its rows are not read, and the table before says so."""
    head = ["一级指标", "二级指标", "三级指标", "指标值"]
    first = [Cell(t, 0, c, page=1, locator=f"p1 cell {c}") for c, t in enumerate(head)]
    row = ["产出指标", "数量指标", "培训人次", "≥200人次"]
    first += [Cell(t, 1, c, page=1) for c, t in enumerate(row)]
    row = ["效益指标", "社会效益指标", "知晓率", "≥90%"]
    orphan = [Cell(t, 0, c, page=2, locator=f"p2 cell {c}") for c, t in enumerate(row)]
    orphan += [Cell(t, 1, c, page=2) for c, t in enumerate(["", "", "覆盖率", "100%"])]
    tables = grids_to_tables([_grid(first, 2, 4, []), _grid(orphan, 2, 4, [])], "0" * 64)
    assert len(tables) == 1
    assert [i.level3 for i in tables[0].indicators] == ["培训人次"]
    assert tables[0].warnings[-1] == (
        "2 rows under no header row not read, from p2 cell 0: a continuation whose columns do "
        "not match this table's (check them against the page)"
    )


def test_indicator_rows_under_a_header_block_with_no_heading_row_are_told():
    """A page whose heading row was lost (a scan's row read as something else) leaves its
    header block's fields and indicator rows in one grid: the fields are lent on, and the rows,
    which nothing reads, are told from the first one naming a level on."""
    head = ["一级指标", "二级指标", "三级指标", "指标值"]
    first = [Cell(t, 0, c, page=1) for c, t in enumerate(head)]
    first += [Cell(t, 1, c, page=1) for c, t in enumerate(["产出指标", "数量指标", "培训人次",
                                                           "≥200人次"])]
    second = [Cell(t, 0, c, page=2, locator=f"p2 r0 cell {c}")
              for c, t in enumerate(["项目名称", "示例项目", "实施单位", "示例单位"])]
    for r, row in enumerate([["效益指标", "社会效益指标", "知晓率", "≥90%"],
                             ["", "", "覆盖率", "100%"]], start=1):
        second += [Cell(t, r, c, page=2, locator=f"p2 r{r} cell {c}") for c, t in enumerate(row)]
    (table,) = grids_to_tables([_grid(first, 2, 4, []), _grid(second, 3, 4, [])], "0" * 64)
    assert [i.level3 for i in table.indicators] == ["培训人次"]
    assert table.warnings[-1] == (
        "2 rows under no header row not read, from p2 r1 cell 0: a continuation whose columns "
        "do not match this table's (check them against the page)"
    )


def test_a_header_block_alone_in_its_grid_tells_of_no_rows():
    block = [["项目名称", "示例项目", "实施单位", "示例单位"], ["项目期", "1年", "资金", "12"]]
    cells = [Cell(t, r, c) for r, row in enumerate(block) for c, t in enumerate(row)]
    head = ["一级指标", "二级指标", "三级指标", "指标值"]
    table = [Cell(t, 0, c) for c, t in enumerate(head)]
    table += [Cell(t, 1, c) for c, t in enumerate(["产出指标", "数量指标", "巡查次数", "12次"])]
    (read,) = grids_to_tables([_grid(cells, 2, 4, []), _grid(table, 2, 4, [])], "0" * 64)
    assert read.project_name == "示例项目"
    assert not any("under no header row" in w for w in read.warnings)


def test_rows_under_no_header_before_any_table_are_told_on_the_first_table():
    head = ["一级指标", "二级指标", "三级指标", "指标值"]
    orphan = [Cell(t, 0, c, page=1, locator=f"p1 cell {c}")
              for c, t in enumerate(["产出指标", "质量指标", "验收合格率", "100%"])]
    table = [Cell(t, 0, c, page=2) for c, t in enumerate(head)]
    row = ["产出指标", "数量指标", "巡查次数", "12次"]
    table += [Cell(t, 1, c, page=2) for c, t in enumerate(row)]
    first, second = grids_to_tables(
        [_grid(orphan, 1, 4, []), _grid(table, 2, 4, []), _grid(table, 2, 4, [])], "0" * 64
    )
    assert first.warnings[-1] == (
        "1 row under no header row not read, from p1 cell 0: a continuation whose columns do "
        "not match this table's (check them against the page)"
    )
    assert not any("under no header row" in w for w in second.warnings)


def test_a_target_with_no_name_beside_it_warns():
    head = ["一级指标", "二级指标", "三级指标", "指标值"]
    cells = [Cell(t, 0, c) for c, t in enumerate(head)]
    cells += [Cell(t, 1, c) for c, t in enumerate(["产出指标", "数量指标", "培训人次", "≥200人次"])]
    cells += [Cell(t, 2, c) for c, t in enumerate(["", "", "", "100%"])]
    (table,) = grids_to_tables([_grid(cells, 3, 4, [])], "0" * 64)
    assert [i.warnings for i in table.indicators] == [
        [], ["no 三级 name read beside the target: check the row against the page"]
    ]



def _rows_around_a_break(after_break: list[list[str]]) -> Grid:
    """A 二级 the break cut, 时效指 | 标, beside the last row before the break and the rows after
    it (二级, 三级, target, 分值)."""
    head = ["一级指标", "二级指标", "三级指标", "指标值", "分值"]
    rows = [head, ["产出指标", "数量指标", "培训人次", "≥200人次", "10"],
            ["产出指标", "时效指", "指标一：完成", "2020年", "5"],
            *(["产出指标", *cells] for cells in after_break),
            ["效益指标", "社会效益指标", "知晓率", "≥90%", "10"]]
    cells = [Cell(t, r, c) for r, row in enumerate(rows) for c, t in enumerate(row)]
    return _grid(cells, len(rows), 5, seams=[3])


def test_a_row_the_break_cut_through_every_cell_is_joined():
    # the label the break cut stands beside this row only, and after the break the row holds
    # the rest of its name and target but not its 分值, a one-line cell the break left whole
    (table,) = grids_to_tables([_rows_around_a_break([["标", "某项工作的时间", "6月30日", ""]])],
                               "0" * 64)
    assert [(i.level2, i.level3, i.target_raw) for i in table.indicators] == [
        ("数量指标", "培训人次", "≥200人次"),
        ("时效指标", "指标一：完成某项工作的时间", "2020年6月30日"),
        ("社会效益指标", "知晓率", "≥90%")]
    assert "row joined across page break: grid rows 2+3" in table.indicators[1].repairs


@pytest.mark.parametrize("after_break", [
    [["标", "某项工作的时间", "6月30日", "5"]],  # a row of its own: its 分值 printed
    [["标", "某项工作的时间", "6月30日", ""], ["标", "其他", "100%", "5"]],  # the label goes on
], ids=["score-printed", "label-goes-on"])
def test_rows_beside_a_label_the_break_cut_stay_apart(after_break):
    (table,) = grids_to_tables([_rows_around_a_break(after_break)], "0" * 64)
    assert [i.level3 for i in table.indicators][1:3] == ["指标一：完成", "某项工作的时间"]
    assert table.indicators[2].level2 == "时效指标"
