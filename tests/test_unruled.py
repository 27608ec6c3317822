"""Tables printed without ruling lines (a Word table with its borders off, printed to PDF) are
read from the positions of their text (extract/unruled.py).

Each unruled document of the development set gives what the ruled PDF of the same table gives,
header fields and indicators compared whole; a ruled page never goes through the unruled path.
The column and row inference is shown on small pages of characters built here.
"""

import dataclasses
import json
from types import SimpleNamespace

import pytest
from conftest import DATA

import perftab.extract.unruled
from perftab.extract.stitch import parts_to_grids
from perftab.extract.unruled import (
    EXTRACTOR,
    Columns,
    Wrapping,
    chars_to_segments,
    segments_to_blocks,
    unruled_parts,
)
from perftab.pipeline import extract_file

REALWORLD = DATA / "realworld"
MANIFEST = json.loads((REALWORLD / "manifest.json").read_text(encoding="utf-8"))
UNRULED = sorted(name for name, info in MANIFEST.items() if info["layout"] == "unruled")
# where each was read from, and how many pages the print took: not what was printed
PROVENANCE = {
    "table_id",
    "source_path",
    "extractor",
    "locator",
    "page_first",
    "page_last",
    "confidence",
    "page",
    "x0",
    "top",
    "x1",
    "bottom",
    "repairs",
    "warnings",
    "indicators",
    "fields",
    "checks",  # found from the rest, and naming the table and the cell they are about
}


def _printed(result) -> list[dict]:
    """Each table's header values and indicators; lists of other records beside them (fields,
    checks) name their table by its id and cells by their place, so they are left out."""
    out = []
    for table in result.tables:
        record = {
            k: v
            for k, v in dataclasses.asdict(table).items()
            if k not in PROVENANCE and not isinstance(v, list)
        }
        record["indicators"] = [
            {k: v for k, v in dataclasses.asdict(i).items() if k not in PROVENANCE}
            for i in table.indicators
        ]
        out.append(record)
    return out


@pytest.mark.parametrize("name", UNRULED)
def test_unruled_reads_as_the_ruled_print(name, monkeypatch):
    unruled = extract_file(REALWORLD / "docs" / name)
    assert unruled.status == "ok", unruled.error
    assert {t.extractor for t in unruled.tables} == {EXTRACTOR}

    calls = []
    monkeypatch.setattr(perftab.extract.unruled, "unruled_parts", lambda *a: calls.append(a))
    ruled = extract_file(REALWORLD / "docs" / name.replace(".unruled.pdf", ".pdf"))
    assert calls == []  # every page of the ruled print has its table from the rules
    assert {t.extractor for t in ruled.tables} == {"pdf-text"}

    assert _printed(unruled) == _printed(ruled)


# -- small pages built from characters ---------------------------------------------------------

SIZE = 10.0
WRAP = 13.0  # a wrapped cell's lines, 1.3 font sizes apart


def _chars(text: str, x: float, top: float, size: float = SIZE) -> list[dict]:
    out = []
    for ch in text:
        width = size if not ch.isascii() else size * 0.55
        out.append(
            {
                "text": ch,
                "x0": x,
                "x1": x + width,
                "top": top,
                "bottom": top + size,
                "size": size,
                "upright": True,
                "doctop": top,
            }
        )
        x += width
    return out


def _page(lines: list[tuple[float, list[tuple[float, str]]]], number: int = 1):
    """A page from (top, [(x, text), ...]) lines."""
    chars = [c for top, cells in lines for x, text in cells for c in _chars(text, x, top)]
    return SimpleNamespace(chars=chars, page_number=number)


def _grid(*pages):
    parts, pending, columns = [], [], None
    for page in pages:
        found, pending, columns = unruled_parts(page, pending, columns)
        parts.extend(found)
    (grid,) = parts_to_grids(parts, "synthetic")
    return grid


def _rows(grid) -> list[list[str]]:
    return [grid.row_texts(r) for r in range(len(grid.rows))]


def _spans(grid, col: int) -> list[tuple[int, int, str]]:
    """(first row, rowspan, text) of each cell of a column."""
    seen = {}
    for row in grid.rows:
        cell = row[col]
        if cell is not None and cell.text:
            seen.setdefault(id(cell), (cell.row, cell.rowspan, cell.text))
    return sorted(seen.values())


HEADER = (100, [(50, "类别"), (150, "名称"), (300, "数值")])


def test_wrapped_lines_of_a_cell_are_one_cell():
    grid = _grid(
        _page(
            [
                HEADER,
                (130, [(50, "甲"), (150, "很长的名称第一行"), (300, "95")]),
                (130 + WRAP, [(150, "第二行")]),
                (170, [(50, "乙"), (150, "短名称"), (300, "12")]),
            ]
        )
    )
    assert _rows(grid) == [
        ["类别", "名称", "数值"],
        ["甲", "很长的名称第一行第二行", "95"],
        ["乙", "短名称", "12"],
    ]
    assert grid.extractor == EXTRACTOR


def test_a_new_row_set_as_close_as_wrapped_lines():
    """No space between rows: the line where a column filled in most rows starts new text
    starts a row, and the text beside it is a new cell, not a wrapped line."""
    grid = _grid(
        _page(
            [
                HEADER,
                (130, [(50, "甲"), (150, "第一行"), (300, "1")]),
                (130 + WRAP, [(150, "续行")]),
                (130 + 2 * WRAP, [(50, "乙"), (150, "另一项"), (300, "2")]),
                (130 + 3 * WRAP, [(50, "丙"), (150, "又一项"), (300, "3")]),
            ]
        )
    )
    assert _rows(grid)[1:] == [
        ["甲", "第一行续行", "1"],
        ["乙", "另一项", "2"],
        ["丙", "又一项", "3"],
    ]


def test_merged_cell_printed_at_the_top_covers_the_rows_down_to_the_next():
    grid = _grid(
        _page(
            [
                (100, [(50, "大类"), (150, "小类"), (250, "名称"), (400, "数值")]),
                (130, [(50, "甲类"), (150, "子一"), (250, "项一"), (400, "1")]),
                (160, [(250, "项二"), (400, "2")]),
                (190, [(150, "子二"), (250, "项三"), (400, "3")]),
                (220, [(50, "乙类"), (150, "子三"), (250, "项四"), (400, "4")]),
                (250, [(250, "项五"), (400, "5")]),
            ]
        )
    )
    assert _spans(grid, 0)[1:] == [(1, 3, "甲类"), (4, 2, "乙类")]
    assert _spans(grid, 1)[1:] == [(1, 2, "子一"), (3, 1, "子二"), (4, 2, "子三")]
    assert grid.row_texts(5) == ["乙类", "子三", "项五", "5"]


def test_a_level_with_nothing_beside_it_in_the_merged_column_after_it_is_in_doubt():
    # 乙类 may be printed across both level columns or leave its 小类 blank
    grid = _grid(
        _page(
            [
                (100, [(50, "大类"), (150, "小类"), (250, "名称"), (400, "数值")]),
                (130, [(50, "甲类"), (150, "子一"), (250, "项一"), (400, "1")]),
                (160, [(250, "项二"), (400, "2")]),
                (190, [(150, "子二"), (250, "项三"), (400, "3")]),
                (220, [(50, "乙类"), (250, "项四"), (400, "4")]),
                (250, [(250, "项五"), (400, "5")]),
            ]
        )
    )
    doubt = ("a label of a merged column with nothing beside it in the next one: it may be "
             "printed across both or leave the next blank; check against the page")
    assert grid.warnings == {4: [doubt], 5: [doubt]}


def test_merged_cell_printed_vertically_centred_covers_the_rows_it_is_centred_on():
    """Four rows 30 points apart; 甲类 centred on all four, 子一 and 子二 on two each (their
    text between two rows' lines); the column is empty in every row's own line."""
    rows = [(130 + 30 * k, [(250, f"项{k}"), (400, str(k))]) for k in range(5)]
    grid = _grid(
        _page(
            [
                (100, [(50, "大类"), (150, "小类"), (250, "名称"), (400, "数值")]),
                *rows,
                (175, [(50, "甲类")]),  # the middle of rows 0-3: (130 + 230) / 2 - 5
                (145, [(150, "子一")]),  # rows 0-1
                (205, [(150, "子二")]),  # rows 2-3
                (250, [(50, "乙类"), (150, "子三")]),  # row 4, its own line
            ]
        )
    )
    assert _spans(grid, 0)[1:] == [(1, 4, "甲类"), (5, 1, "乙类")]
    assert _spans(grid, 1)[1:] == [(1, 2, "子一"), (3, 2, "子二"), (5, 1, "子三")]


def test_centred_label_over_a_column_of_left_aligned_text_is_one_column():
    grid = _grid(
        _page(
            [
                (100, [(120, "名称"), (300, "数值"), (400, "备注")]),
                (130, [(50, "短的"), (300, "1")]),
                (160, [(50, "长一些的名称"), (300, "2")]),
            ]
        )
    )
    assert _rows(grid) == [["名称", "数值", "备注"], ["短的", "1", ""], ["长一些的名称", "2", ""]]


def test_a_level_name_set_with_wide_spaces_parts_no_column():
    # 效 益 指 标 typed with spaces reads as 效益 | 指标, a gap wider than between two cells
    # that no other line opens: the header row over it labels the column, and the name is one
    grid = _grid(_page([
        (96, [(50, "一级指标"), (150, "二级指标"), (250, "三级指标"), (350, "指标值")]),
        (109, [(50, "效益"), (80.5, "指标"), (150, "社会效益"), (250, "名称一"), (350, "1")]),
        (122, [(150, "经济效益"), (250, "名称二"), (350, "2")]),
        (135, [(250, "名称三"), (350, "3")]),
    ]))
    assert _rows(grid) == [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["效益指标", "社会效益", "名称一", "1"],
        ["效益指标", "经济效益", "名称二", "2"],
        ["效益指标", "经济效益", "名称三", "3"],
    ]
    assert list(grid.warnings) == []


def test_header_block_rows_above_the_header_span_its_columns():
    grid = _grid(
        _page(
            [
                (70, [(60, "项目名称"), (170, "一个跨过两列的很长很长的项目名称")]),
                HEADER,
                (130, [(50, "甲"), (150, "名称一"), (300, "1")]),
                (160, [(50, "乙"), (150, "名称二"), (300, "2")]),
            ]
        )
    )
    (label, value) = {id(c): c for c in grid.rows[0] if c.text}.values()
    assert (label.text, label.col) == ("项目名称", 0)
    assert (value.text, value.col, value.col + value.colspan) == (
        "一个跨过两列的很长很长的项目名称",
        1,
        3,
    )


def test_header_block_labels_in_a_column_of_their_own_end_the_columns():
    # the block's labels stand in the white space between the names and the values, as the
    # centred 名称 label does: only the header row may, so the columns are read from it down
    grid = _grid(
        _page(
            [
                (40, [(40, "负责人："), (130, "单位")]),
                (70, [(200, "项目名称"), (400, "一个示例项目")]),
                (100, [(200, "主管部门"), (400, "某某局")]),
                (130, [(120, "名称"), (300, "数值"), (400, "备注")]),
                (160, [(50, "短的"), (300, "1"), (400, "甲")]),
                (190, [(50, "长一些的名称"), (300, "2"), (400, "乙")]),
            ]
        )
    )
    assert _rows(grid)[-3:] == [
        ["名称", "数值", "备注"],
        ["短的", "1", "甲"],
        ["长一些的名称", "2", "乙"],
    ]


def test_header_block_value_wrapped_across_the_columns_ends_at_the_header_row():
    # rows set as close as wrapped lines, and label | value rows above the header that fill
    # every column: how the rows are set is told from the header row down
    grid = _grid(
        _page(
            [
                (20, [(50, "项目名称"), (110, "示例"), (200, "项目期"), (300, "一年")]),
                (45, [(50, "资金来源"), (110, "本级"), (200, "金额"), (300, "5.00")]),
                (70, [(50, "年度目标"), (110, "一段很长的目标文字跨过了表格的后几列")]),
                (83, [(110, "再换一行写完。")]),
                (96, [(50, "类别"), (110, "小类"), (150, "名称"), (300, "数值")]),
                (109, [(50, "甲类"), (110, "子一"), (150, "名称一"), (300, "1")]),
                (122, [(150, "第二个名称较长"), (300, "20")]),
                (135, [(150, "名称三"), (300, "3")]),
                (148, [(150, "四"), (300, "400")]),
            ]
        )
    )
    goal = "一段很长的目标文字跨过了表格的后几列再换一行写完。"
    assert _rows(grid)[2:] == [
        ["年度目标", goal, goal, goal],
        ["类别", "小类", "名称", "数值"],
        ["甲类", "子一", "名称一", "1"],
        ["甲类", "子一", "第二个名称较长", "20"],
        ["甲类", "子一", "名称三", "3"],
        ["甲类", "子一", "四", "400"],
    ]


# a body set as close as wrapped lines, under the heading of the tight header blocks below;
# their values run on into the 数值 column, as a header block's values do, and the body's
# rows leave the first column empty, as a merged 一级 does
TIGHT_BODY = [
    (96, [(50, "类别"), (110, "小类"), (170, "名称"), (260, "数值")]),
    (109, [(50, "甲类"), (110, "子一"), (170, "名称一"), (260, "1")]),
    (122, [(170, "第二个名称较长"), (260, "20")]),
    *((135 + 13 * k, [(170, f"名称{k + 3}"), (260, str(k + 3))]) for k in range(6)),
]


def _header_texts(grid, rows: int) -> list[list[str]]:
    return [list(dict.fromkeys(t for t in row if t)) for row in _rows(grid)[:rows]]


def test_header_block_rows_set_as_close_as_wrapped_lines_start_at_each_label():
    # the first value is its columns' widest line, so the next one would read as its wrapped
    # tail: the label starting the next row says it is not
    grid = _grid(
        _page(
            [
                (57, [(50, "项目名称"), (170, "一个示例的项目写满了它的格子")]),
                (70, [(50, "主管部门及代码"), (170, "某某市某某区某某局")]),
                (83, [(50, "实施单位"), (170, "某某市某某服务中心")]),
                *TIGHT_BODY,
            ]
        )
    )
    assert _header_texts(grid, 3) == [
        ["项目名称", "一个示例的项目写满了它的格子"],
        ["主管部门及代码", "某某市某某区某某局"],
        ["实施单位", "某某市某某服务中心"],
    ]


def test_label_and_value_rows_in_one_cell_wrap_only_at_the_table_s_right_edge():
    # 项目名称：… is the widest line of its columns, but the next label would have fitted
    # beside it: a line of the header block starting in the first column wraps where the
    # table ends, as the goal's does
    grid = _grid(
        _page(
            [
                (44, [(50, "项目名称：一个示例的项目")]),
                (57, [(50, "主管部门：某某局")]),
                (70, [(50, "年度目标：一段目标文字从第一列写到了表格右边的")]),
                (83, [(50, "边上。")]),
                *TIGHT_BODY,
            ]
        )
    )
    assert _header_texts(grid, 3) == [
        ["项目名称：一个示例的项目"],
        ["主管部门：某某局"],
        ["年度目标：一段目标文字从第一列写到了表格右边的边上。"],
    ]


def test_a_label_and_its_value_set_in_the_table_s_columns_are_not_its_header_row():
    # 其中：财政 | 20 stand in the columns the rows under them use, but two texts label at
    # most half of the table's four columns: the header row is the one that labels them all
    grid = _grid(
        _page(
            [
                (44, [(50, "项目名称"), (170, "一个示例的项目")]),
                (57, [(170, "其中：财政"), (260, "20")]),
                *TIGHT_BODY,
            ]
        )
    )
    assert _rows(grid)[1][2:] == ["其中：财政", "20"]
    assert _rows(grid)[2] == ["类别", "小类", "名称", "数值"]


def test_a_title_printed_alone_in_the_table_ends_where_a_label_and_its_value_start():
    grid = _grid(
        _page(
            [
                (57, [(50, "项目支出绩效目标")]),
                (70, [(50, "项目名称"), (170, "一个示例的项目写满了它的格子")]),
                (83, [(50, "主管部门及代码"), (170, "某某市某某区某某局")]),
                *TIGHT_BODY,
            ]
        )
    )
    assert _header_texts(grid, 3) == [
        ["项目支出绩效目标"],
        ["项目名称", "一个示例的项目写满了它的格子"],
        ["主管部门及代码", "某某市某某区某某局"],
    ]


def test_a_title_in_the_table_ends_where_a_label_and_its_value_could_both_go_on_with_it():
    # both stand under the title's line, within its columns: one cell's wrapped line is one
    # run of text, so two are a label and its value
    grid = _grid(
        _page(
            [
                (44, [(50, "示例项目支出绩效目标表")]),
                (57, [(50, "项目名称"), (115, "示例项目")]),
                (70, [(50, "主管部门及代码"), (170, "某某市某某区某某局")]),
                *TIGHT_BODY,
            ]
        )
    )
    assert _header_texts(grid, 3) == [
        ["示例项目支出绩效目标表"],
        ["项目名称", "示例项目"],
        ["主管部门及代码", "某某市某某区某某局"],
    ]


def test_a_label_wider_than_its_column_leaves_the_next_column_to_the_text_beside_it():
    # 项目资金（万元） reaches into the sub-label's column: printed apart on one line, the two
    # are two cells, not one
    grid = _grid(
        _page(
            [
                (57, [(50, "项目名称"), (170, "一个示例的项目写满了它的格子")]),
                (70, [(50, "资金（万元）"), (120, "年度总额"), (175, "5.00")]),
                *TIGHT_BODY,
            ]
        )
    )
    cells = {id(c): c for c in grid.rows[1] if c is not None and c.text}.values()
    assert [(c.text, c.col, c.colspan) for c in cells] == [
        ("资金（万元）", 0, 1),
        ("年度总额", 1, 1),
        ("5.00", 2, 1),
    ]


def test_a_goal_printed_a_paragraph_a_row_is_covered_by_its_label():
    # the goal's aims a line each, rows set tight: each aim after the first is a row with no
    # label, set where the goal starts; the label 年度目标 covers them all
    grid = _grid(
        _page(
            [
                (44, [(50, "项目名称"), (170, "一个示例的项目写满了它的格子")]),
                (57, [(50, "年度目标"), (170, "目标一：完成第一件事情。")]),
                (70, [(170, "目标二：完成第二件事。")]),
                (83, [(170, "目标三：完成。")]),
                *TIGHT_BODY,
            ]
        )
    )
    assert _spans(grid, 0)[:2] == [(0, 1, "项目名称"), (1, 3, "年度目标")]
    assert [grid.text(r, 2) for r in (1, 2, 3)] == [
        "目标一：完成第一件事情。", "目标二：完成第二件事。", "目标三：完成。"]


def _tight(*rows: list[tuple[float, str]]) -> list:
    """Lines 13 points apart (as close as a cell's wrapped lines) from the header row down,
    under the heading 类别 | 小类 | 名称 | 数值, and plain rows after them: 小类 merged over
    some of them, and names as wide as the column once."""
    plain = [[(110, f"子{k}")] * (k % 3 == 0) + [(170, "名称" + "长" * (6 if k == 2 else k)),
                                                (260, str(k))] for k in range(6)]
    heading = [(50, "类别"), (110, "小类"), (170, "名称"), (260, "数值")]
    return [(96 + 13 * k, cells) for k, cells in enumerate([heading, *rows, *plain])]


def test_a_unit_wraps_whole_at_its_slashes():
    # 780元/生/年 breaks after 780, never at a slash: the unit is one word, too wide for the
    # line 780 ends, so its line goes on with the cell, as the name beside it does
    grid = _grid(_page(_tight(
        [(50, "甲类"), (110, "子一"), (170, "名称一"), (260, "1")],
        [(170, "第二个名称较长的"), (260, "780")],
        [(170, "续"), (260, "元/生/年")],
    )))
    assert _rows(grid)[2] == ["甲类", "子一", "第二个名称较长的续", "780元/生/年"]


def test_signs_set_with_latin_text_wrap_with_it():
    # (≥**%) is one word: the line above left room for its bracket, not for all of it
    grid = _grid(_page(_tight(
        [(50, "甲类"), (110, "子一"), (170, "旅游行业经营"), (260, "1")],
        [(170, "(≥**%)")],
    )))
    assert _rows(grid)[1] == ["甲类", "子一", "旅游行业经营(≥**%)", "1"]


def test_a_mark_and_the_number_after_it_wrap_together():
    # 储备某某某 left room for 谷、 beside it but not for 谷、500: a line is not broken between
    # a mark no line starts with and the digits after it
    grid = _grid(_page(_tight(
        [(50, "甲类"), (110, "子一"), (170, "储备某某某"), (260, "1")],
        [(170, "谷、500吨")],
    )))
    assert _rows(grid)[1] == ["甲类", "子一", "储备某某某谷、500吨", "1"]


def test_a_straight_quote_keeps_the_characters_beside_it_on_its_line():
    # "某某某某某 left room for 项 beside it, not for 项"按: no line breaks before or after a
    # straight quote, so the name wrapped there
    grid = _grid(_page(_tight(
        [(50, "甲类"), (110, "子一"), (170, "名称一"), (260, "1")],
        [(170, '"某某某某某'), (260, "2")],
        [(170, '项"按期完成')],
    )))
    assert _rows(grid)[2] == ["甲类", "子一", '"某某某某某项"按期完成', "2"]


def test_a_number_keeps_the_character_counting_it_on_its_line():
    # 12月 left room for 31 beside it, not for 31日: the date wrapped, its row goes on
    grid = _grid(_page(_tight(
        [(50, "甲类"), (110, "子一"), (170, "完成时间"), (260, "2021年")],
        [(260, "12月")],
        [(260, "31日")],
    )))
    assert _rows(grid)[1] == ["甲类", "子一", "完成时间", "2021年12月31日"]


def test_the_first_row_under_a_heading_of_whole_level_headings_starts_there():
    # the label printed down the side (年度绩效指标) wraps onto the first row's line, and each
    # heading fills its column, but 一级指标 and 二级指标 are whole: that line starts the
    # first row
    grid = _grid(_page([
        (96, [(50, "年度绩效"), (110, "一级指标"), (170, "二级指标"), (230, "名称写满一格"),
              (300, "数值")]),
        (109, [(50, "指标"), (110, "产出指标"), (170, "数量指标"), (230, "名称一"), (300, "1")]),
        *((122 + 13 * k, [(230, "名称" + "长" * (3 if k == 2 else k)), (300, str(k + 2))])
          for k in range(5)),
    ]))
    assert _rows(grid)[:2] == [
        ["年度绩效指标", "一级指标", "二级指标", "名称写满一格", "数值"],
        ["年度绩效指标", "产出指标", "数量指标", "名称一", "1"],
    ]
    assert list(grid.warnings) == []


def test_a_value_with_its_comparison_under_another_starts_a_row():
    # both columns full, as if both wrapped onto the next line; but two values each starting
    # with its comparison sign are two rows' targets
    grid = _grid(_page(_tight(
        [(50, "甲类"), (110, "子一"), (170, "某某建设成本写满"), (260, "<=2875元/个")],
        [(170, "另一个建设成本写"), (260, "<=3000元/平")],
        [(170, "某某"), (260, "方米")],
    )))
    assert _rows(grid)[1:3] == [
        ["甲类", "子一", "某某建设成本写满", "<=2875元/个"],
        ["甲类", "子一", "另一个建设成本写某某", "<=3000元/平方米"],
    ]


def test_headings_typed_over_two_lines_are_whole_over_rows_set_tight():
    # 一级 | 指标 and 计量 | 单位 end their lines short of the column's width, as the first row
    # under them would; but the value column they leave empty is filled on the next line,
    # where every column starts a text: the line is the heading's
    grid = _grid(_page([(96 + 13 * k, cells) for k, cells in enumerate([
        [(50, "一级"), (110, "计量"), (170, "名称"), (260, "数值")],
        [(50, "指标"), (110, "单位")],
        [(50, "效益指标"), (110, "个"), (170, "名称一"), (260, "1")],
        [(110, "次"), (170, "名称二"), (260, "2")],
        [(110, "台"), (170, "名称三"), (260, "3")],
    ])]))
    assert _rows(grid) == [
        ["一级指标", "计量单位", "名称", "数值"],
        ["效益指标", "个", "名称一", "1"],
        ["效益指标", "次", "名称二", "2"],
        ["效益指标", "台", "名称三", "3"],
    ]


def test_a_bracket_closed_on_the_next_row_s_line_is_the_label_s():
    # 甲类（5 wraps its 分） onto the line the next row starts on, in a column most rows start
    # a text in: the bracket left open says it goes on
    grid = _grid(_page([(96 + 13 * k, cells) for k, cells in enumerate([
        [(50, "类别"), (110, "小类"), (170, "名称"), (260, "数值")],
        [(50, "甲类（5"), (110, "子一"), (170, "名称一"), (260, "1")],
        [(50, "分）"), (110, "子五"), (170, "名称二"), (260, "2")],
        [(50, "乙类"), (110, "子二"), (170, "名称三"), (260, "3")],
        [(50, "丙类"), (110, "子三"), (170, "名称四"), (260, "4")],
        [(50, "丁类"), (110, "子四"), (170, "名称五"), (260, "5")],
    ])]))
    assert _rows(grid)[1:3] == [
        ["甲类（5分）", "子一", "名称一", "1"],
        ["甲类（5分）", "子五", "名称二", "2"],
    ]


def test_an_amount_with_its_unit_under_another_starts_a_row():
    # the name and the amount both fill their columns, as if both wrapped; but two amounts each
    # with its unit alone on its line are two rows' targets, while a date's parts are one
    grid = _grid(_page(_tight(
        [(50, "甲类"), (110, "子一"), (170, "修建某某道路写满"), (260, "350米")],
        [(170, "栽种某某果树苗木"), (260, "1200株")],
        [(170, "种")],
    )))
    assert _rows(grid)[1:3] == [
        ["甲类", "子一", "修建某某道路写满", "350米"],
        ["甲类", "子一", "栽种某某果树苗木种", "1200株"],
    ]
    assert list(grid.warnings) == []


def test_a_latin_word_after_chinese_needs_the_space_set_between_them():
    # (必 would just fit beside 数量指标 in a column as wide as (必填硬性指, but Word and
    # LibreOffice set a quarter em between Chinese and Latin text: the line wrapped there
    segments = chars_to_segments(_page([
        (100, [(110, "数量指标")]), (113, [(110, "(必填硬性指")]), (126, [(110, "标)")]),
    ]).chars)
    wraps = Wrapping(segments, Columns((100.0, 180.0, 300.0), size=SIZE))
    wraps.tight = True  # rows set as close as wrapped lines: width tells a wrap
    assert wraps.continues(segments[0], segments[1], (0, 0))


def test_a_number_broken_at_the_end_of_a_line_is_read_whole():
    # its last digit stands alone on a line, as a page number would, but under the number
    grid = _grid(_page(_tight(
        [(50, "甲类"), (110, "子一"), (170, "期限"), (260, "2020.1.1-2020.12.3")],
        [(260, "1")],
    )))
    assert _rows(grid)[1] == ["甲类", "子一", "期限", "2020.1.1-2020.12.31"]


def test_the_end_of_a_level_name_on_the_next_row_s_line_is_the_name_s():
    # 示例影响指 fills its column and its 标 stands on the line the next row starts on
    grid = _grid(_page(_tight(
        [(50, "效益指标"), (110, "社会效益"), (170, "名称一"), (260, "1")],
        [(110, "示例影响指"), (170, "名称二"), (260, "2")],
        [(110, "标"), (170, "名称三"), (260, "3")],
    )))
    assert _spans(grid, 1)[1:3] == [(1, 1, "社会效益"), (2, 2, "示例影响指标")]


def test_the_end_of_a_level_name_joins_no_rows_where_the_column_has_a_name_a_row():
    # a 小类 in every row: the name's last line stands in the next row's line, which is still
    # a row of its own
    rows = [
        [(50, "类别"), (110, "小类"), (170, "名称"), (260, "数值")],
        [(50, "效益指标"), (110, "社会效益"), (170, "名称一"), (260, "1")],
        [(110, "示例影响指"), (170, "名称二"), (260, "2")],
        [(110, "标"), (170, "名称三"), (260, "3")],
        *([(110, f"子{k}"), (170, "名称" + "长" * k), (260, str(k))] for k in range(6)),
    ]
    grid = _grid(_page([(96 + 13 * k, cells) for k, cells in enumerate(rows)]))
    assert _rows(grid)[2:4] == [
        ["效益指标", "示例影响指标", "名称二", "2"],
        ["效益指标", "示例影响指标", "名称三", "3"],
    ]


def test_a_second_text_in_a_column_of_the_row_starts_the_next_row():
    # 尾 goes on under a full line, as a wrapped name would, but beside it 定性 opens a second
    # cell in a column where this row has one: a row holds one cell a column
    rows = [
        [(50, "类别"), (110, "名称"), (220, "性质"), (280, "数值")],
        [(50, "甲类"), (110, "名称长长长长长"), (220, "定性"), (280, "好")],
        [(110, "续长长长长长长")],
        [(110, "尾"), (220, "定性")],
        *([(110, "名称" + "长" * (k % 4)), (280, str(k))] for k in range(8)),
    ]
    grid = _grid(_page([(96 + 13 * k, cells) for k, cells in enumerate(rows)]))
    assert _rows(grid)[1:3] == [
        ["甲类", "名称长长长长长续长长长长长长", "定性", "好"],
        ["甲类", "尾", "定性", ""],
    ]


def test_three_columns_going_on_together_start_a_row_though_the_first_is_merged_above():
    # 社会成本 | 对当地的影响 | 长远 each stand under a full line: three columns wrapping at
    # once is rarer than a row set tight, whatever the merged 大类 left of them does
    rows = [
        [(50, "大类"), (110, "小类"), (170, "名称"), (260, "数值")],
        [(50, "甲类"), (110, "经济成本"), (170, "资金使用效率高"), (260, "值一二三")],
        [(110, "社会成本"), (170, "对当地的影响"), (260, "长远")],
        *([(50, "乙丙丁戊"[k]), (110, "子"), (170, "名称" + "长" * k), (260, str(k))]
          for k in range(4)),
    ]
    grid = _grid(_page([(96 + 13 * k, cells) for k, cells in enumerate(rows)]))
    assert _rows(grid)[1:3] == [
        ["甲类", "经济成本", "资金使用效率高", "值一二三"],
        ["甲类", "社会成本", "对当地的影响", "长远"],
    ]


def test_texts_read_as_wrapping_beside_a_name_s_last_word_warn_on_their_row():
    # the name and the value fill their lines and go on under them beside 标: wrapped lines
    # of this row, or the next row's first? Read as wrapping, with the doubt on the row
    grid = _grid(_page(_tight(
        [(50, "效益指标"), (110, "社会效益"), (170, "名称一"), (260, "1")],
        [(110, "示例影响指"), (170, "名称较长一些的第"), (260, "值较长的第二")],
        [(110, "标"), (170, "二个"), (260, "个值")],
    )))
    assert _rows(grid)[2] == [
        "效益指标", "示例影响指标", "名称较长一些的第二个", "值较长的第二个值"]
    assert grid.warnings == {2: [
        "rows set as close as wrapped lines: texts read as wrapping on, beside a cell that goes "
        "on for certain, may start the next row; check against the page"]}


def test_a_range_broken_at_its_hyphen_goes_on_and_the_row_says_what_was_doubted():
    # three columns fill their lines and go on under them: a row set tight would start so,
    # but a line ending with a hyphen goes on for certain
    grid = _grid(_page(_tight(
        [(50, "效益指标"), (110, "社会"), (170, "名称一"), (260, "1")],
        [(110, "示例影响"), (170, "名称较长一些的第"), (260, "2019年1月-")],
        [(110, "类"), (170, "二个"), (260, "2019年2月")],
    )))
    assert _rows(grid)[2] == [
        "效益指标", "示例影响类", "名称较长一些的第二个", "2019年1月-2019年2月"]
    assert list(grid.warnings) == [2]


def test_amounts_under_their_labels_in_the_header_block_are_cells_of_their_own():
    # each label leaves room beside it, but an amount as long as 2279.048 would not have
    # fitted there: under a label, starting where it starts, it is the label's value
    lines = [
        (44, [(10, "项目资金"), (110, "年度总金额"), (210, "其中财政资金")]),
        (57, [(110, "2279.048万元"), (210, "2279.048万元")]),
        (70, [(10, "类别"), (110, "名称"), (210, "数值")]),
        *((83 + 13 * k, [(10, "甲乙丙丁"[k]), (110, "名" * (k + 1)), (210, str(k))])
          for k in range(4)),
    ]
    segments = chars_to_segments(_page(lines).chars)
    blocks = segments_to_blocks(segments, Columns((0.0, 100.0, 200.0, 300.0), size=10.0), 2)
    texts = ["".join(ch["text"] for s in b.segments for ch in s.chars) for b in blocks]
    assert [(t, b.c0) for t, b in zip(texts, blocks, strict=True)][:5] == [
        ("项目资金", 0), ("年度总金额", 1), ("其中财政资金", 2), ("2279.048万元", 1),
        ("2279.048万元", 2)]


def test_a_label_filling_its_cell_beside_its_value_ends_where_the_next_label_starts():
    # 主管部门及所属单位代码 fills its cell, so 项目期 could be its wrapped tail; but the
    # period beside it starts a cell of its own, and a label's value starts on the label's
    # first line
    grid = _grid(
        _page(
            [
                (44, [(50, "项目名称"), (170, "一个示例的项目写满了它的格子")]),
                (57, [(50, "主管部门及所属单位代码"), (170, "某某市某某区某某局")]),
                (70, [(50, "项目期"), (170, "2025年1月-2026年12月")]),
                *TIGHT_BODY,
            ]
        )
    )
    assert _header_texts(grid, 3) == [
        ["项目名称", "一个示例的项目写满了它的格子"],
        ["主管部门及所属单位代码", "某某市某某区某某局"],
        ["项目期", "2025年1月-2026年12月"],
    ]


def test_a_label_wrapped_beside_a_sub_label_and_its_amount_on_each_line_covers_both_rows():
    # the amount under the amount, with the table's width free beside it, is the next row's,
    # not its wrapped tail; the label wrapped over both lines covers the two rows, as a ruled
    # table merges it
    heading = (96, [(50, "类别"), (110, "小类"), (170, "名称"), (260, "数值"), (300, "分值")])
    body = [(96 + 13 * k, [(50, "甲类"), (110, "子一")] * (k == 1)
             + [(170, f"名称{k}"), (260, str(k)), (300, "5")]) for k in range(1, 11)]
    grid = _grid(
        _page(
            [
                (44, [(50, "项目名称"), (170, "一个示例的项目写满了它的格子")]),
                (57, [(50, "资金（万"), (170, "年度资金总额合计"), (283, "5.000")]),
                (70, [(50, "元）"), (170, "其中：财政"), (283, "5.000")]),
                heading,
                *body,
            ]
        )
    )
    assert _rows(grid)[1:3] == [
        ["资金（万元）", "", "年度资金总额合计", "5.000", "5.000"],
        ["资金（万元）", "", "其中：财政", "5.000", "5.000"],
    ]


def test_table_continued_on_the_next_page_keeps_its_columns():
    first = _page(
        [
            (100, [(50, "大类"), (150, "名称"), (300, "数值")]),
            (130, [(50, "甲类"), (150, "项一"), (300, "1")]),
            (160, [(150, "项二"), (300, "2")]),
        ]
    )
    second = _page([(60, [(150, "项三"), (300, "3")]), (90, [(150, "项四"), (300, "4")])], 2)
    grid = _grid(first, second)
    assert [r[1:] for r in _rows(grid)] == [
        ["名称", "数值"],
        ["项一", "1"],
        ["项二", "2"],
        ["项三", "3"],
        ["项四", "4"],
    ]
    assert grid.seams == [3]
    assert grid.text(3, 0) == grid.text(4, 0) == "甲类"  # the merged cell the break cut


def test_a_continuation_with_a_text_wider_than_its_column_on_the_page_before_goes_on():
    # 一个比前页都长的名称 reaches into the 数值 column, where 4 starts on its line: the gutter
    # between them moves, and the table goes on to its last row
    first = _page(
        [
            (100, [(50, "大类"), (150, "名称"), (300, "数值")]),
            (130, [(50, "甲类"), (150, "项一"), (300, "1")]),
            (160, [(150, "项二"), (300, "2")]),
        ]
    )
    second = _page(
        [
            (60, [(150, "项三"), (300, "3")]),
            (90, [(150, "一个比前页都长的名称"), (300, "4")]),
            (120, [(150, "项五"), (300, "5")]),
        ],
        2,
    )
    grid = _grid(first, second)
    assert [r[1:] for r in _rows(grid)[3:]] == [
        ["项三", "3"],
        ["一个比前页都长的名称", "4"],
        ["项五", "5"],
    ]


def test_a_continuation_too_short_to_tell_how_its_rows_are_set_reads_them_as_the_page_before():
    # on the second page a name wraps onto a line of its own and the next rows' lines hold two
    # texts only, fewer than the first: too few to see the rows set tight there, but the page
    # before was, and the lines after a wrapped name's short end start rows
    second = _page([
        (60, [(50, "丙类"), (110, "子九"), (170, "名称长长长长长长"), (260, "7")]),
        (73, [(170, "尾")]),
        (86, [(170, "另一个名称"), (260, "8")]),
        (99, [(170, "第三个"), (260, "9")]),
    ], number=2)
    grid = _grid(_page(_tight()), second)
    assert _rows(grid)[-3:] == [
        ["丙类", "子九", "名称长长长长长长尾", "7"],
        ["丙类", "子九", "另一个名称", "8"],
        ["丙类", "子九", "第三个", "9"],
    ]


def test_header_row_printed_again_on_the_next_page_is_dropped():
    header = (100, [(50, "大类"), (150, "名称"), (300, "数值")])
    first = _page([header, (130, [(50, "甲类"), (150, "项一"), (300, "1")])])
    first.chars += _chars("乙类", 50, 160) + _chars("项二", 150, 160) + _chars("2", 300, 160)
    rest = [(90, [(150, "项三"), (300, "3")]), (120, [(150, "项四"), (300, "4")])]
    grid = _grid(first, _page([(60, header[1]), *rest], 2))
    assert _rows(grid) == [
        ["大类", "名称", "数值"],
        ["甲类", "项一", "1"],
        ["乙类", "项二", "2"],
        ["乙类", "项三", "3"],
        ["乙类", "项四", "4"],
    ]
    assert grid.repairs[3] == [
        "repeated header row dropped: 大类 | 名称 | 数值",
        "merged cell carried over page break: 乙类",
    ]


def test_a_header_row_printed_again_ends_where_the_rows_set_tight_under_it_start():
    # rows as close as wrapped lines, and 甲类完成 as wide as 一级指标, the widest text of its
    # column: it could be the repeated heading's wrapped tail, but the heading is whole there
    def page(lines, number):
        chars = [c for top, cells in lines for x, text in cells for c in _chars(text, x, top, 11)]
        return SimpleNamespace(chars=chars, page_number=number)

    heading = [(90, "一级指标"), (198, "二级指标"), (306, "三级指标"), (414, "指标值")]
    first = page([(198, heading),
                  (211, [(90, "甲类完成"), (198, "数量指标"), (306, "某某设备购置数量"),
                         (414, "12台")]),
                  (224, [(306, "合计")]),
                  (237, [(306, "某某设施建设面积"), (414, "≥95%")]),
                  (250, [(306, "某某率")])], 1)
    second = page([(71, heading),
                   (84, [(90, "甲类完成"), (198, "数量指标"), (306, "另一设备购置数量"),
                         (414, "5套")]),
                   (97, [(306, "完成时限"), (414, "年底")]),
                   (110, [(306, "验收时限"), (414, "次年")])], 2)
    grid = _grid(first, second)
    assert _rows(grid)[3:] == [
        ["甲类完成", "数量指标", "另一设备购置数量", "5套"],
        ["甲类完成", "数量指标", "完成时限", "年底"],
        ["甲类完成", "数量指标", "验收时限", "次年"],
    ]
    assert grid.repairs[3] == [
        "repeated header row dropped: 一级指标 | 二级指标 | 三级指标 | 指标值"]


def test_two_tables_on_one_page_under_their_titles():
    table = [
        (0, HEADER[1]),
        (30, [(50, "甲"), (150, "名称一"), (300, "1")]),
        (60, [(50, "乙"), (150, "名称二"), (300, "2")]),
    ]
    lines = [(top + 100, cells) for top, cells in table]
    lines += [(top + 250, cells) for top, cells in table]
    page = _page(lines)
    page.chars += _chars("第一张表", 150, 60, 16.0) + _chars("第二张表", 150, 210, 16.0)
    parts, pending, _ = unruled_parts(page, [])
    assert [[line.text for line in p.lines_before] for p in parts] == [["第一张表"], ["第二张表"]]
    assert [len(g.rows) for g in parts_to_grids(parts, "synthetic")] == [3, 3]
    assert pending == []


PROSE = [
    "本部门坚持以人民为中心的发展思想，全面落实各项工作任务，取得了较好成效。",
    "一是加强组织领导，明确责任分工，建立健全工作机制，确保各项任务落到实处。",
    "二是强化资金管理，严格执行预算，提高资金使用效益，做到专款专用。",
    "三是注重绩效评价，",
]


def test_a_page_of_prose_gives_no_table():
    lines = [(100 + 16 * k, [(50, text)]) for k, text in enumerate(PROSE)]
    lines.append((200, [(50, "附件："), (120, "1.")]))  # a short list item: two runs, no table
    parts, pending, columns = unruled_parts(_page(lines), [])
    assert parts == []
    assert columns is None
    assert [line.text for line in pending][:1] == [PROSE[0]]
