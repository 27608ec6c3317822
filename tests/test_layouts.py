"""Each real-world layout sample comes out as its expected JSON, whole, from the PDF and the DOCX.

The JSON files are written by samples/make_layout_samples.py from hand-written expectations;
tests/data/layouts/README.md describes them.
"""

import json

import docx
import pytest
from conftest import DATA, ROOT

from perftab.normalize.records import TableRecord
from perftab.normalize.vocabulary import LEVEL1, LEVEL2_PARENT
from perftab.pipeline import extract_file

LAYOUTS = sorted((DATA / "layouts").glob("*.json"))
META = (
    "project_name", "department", "department_code", "implementing_unit", "project_source",
    "period", "funds_total_wan", "funds_fiscal_wan", "funds_other_wan", "funds_midterm_wan",
    "annual_goal", "midterm_goal", "duties", "annual_tasks", "budget_initial_wan",
    "budget_full_year_wan", "budget_executed_wan", "execution_rate", "budget_score", "goal_actual",
)
FIELDS = (
    "horizon", "level1", "level2", "level3", "level1_std", "level2_std", "target_raw",
    "nature_raw", "direction_raw", "unit_raw", "op", "value", "value_max", "unit", "weight",
    "actual_raw", "actual_op", "actual_value", "actual_unit", "score", "deviation_reason",
)


def _expected(table: dict) -> dict:
    meta = {k: table["meta"].get(k) for k in META}
    if meta["annual_tasks"] is not None:
        meta["annual_tasks"] = json.dumps(meta["annual_tasks"], ensure_ascii=False)
    return {
        "table_kind": table["table_kind"],
        "title": table["title"],
        "year": table["year"],
        "meta": meta,
        "indicators": [
            {k: (float(i[k]) if isinstance(i[k], int) and not isinstance(i[k], bool) else i[k])
             for k in FIELDS}
            for i in table["indicators"]
        ],
    }


def _actual(table: TableRecord) -> dict:
    return {
        "table_kind": table.table_kind,
        "title": table.title,
        "year": table.year,
        "meta": {k: getattr(table, k) for k in META},
        "indicators": [{k: getattr(i, k) for k in FIELDS} for i in table.indicators],
    }


CASES = [
    pytest.param(path, kind, id=f"{path.stem}.{kind}")
    for path in LAYOUTS
    for kind in ("pdf", "docx")
]


@pytest.fixture(scope="module")
def extracted():
    cache = {}

    def get(path, kind):
        if (path, kind) not in cache:
            expected = json.loads(path.read_text(encoding="utf-8"))
            cache[path, kind] = extract_file(ROOT / expected["source" if kind == "pdf" else kind])
        return cache[path, kind]

    return get


@pytest.mark.parametrize(("path", "kind"), CASES)
def test_layout_matches_expected(path, kind, extracted):
    expected = json.loads(path.read_text(encoding="utf-8"))
    result = extracted(path, kind)
    assert result.status == "ok", result.error
    assert [_actual(t) for t in result.tables] == [_expected(t) for t in expected["tables"]]


@pytest.mark.parametrize(("path", "kind"), CASES)
def test_layout_invariants(path, kind, extracted):
    for table in extracted(path, kind).tables:
        parts = (table.funds_total_wan, table.funds_fiscal_wan, table.funds_other_wan)
        if None not in parts:
            assert parts[0] == pytest.approx(parts[1] + parts[2])
        for ind in table.indicators:
            assert ind.level1_std in (*LEVEL1, None)
            assert ind.level2_std in (*LEVEL2_PARENT, None)
            assert ind.locator


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_a_value_read_from_beside_its_sub_heading_says_so_on_its_row(kind, extracted):
    """two-row-heading: the second table prints each value under 2023年实际完成值 and none under
    预期2024年实现值, the sub-heading that names the target; the others print where they say."""
    tables = extracted(DATA / "layouts" / "two-row-heading.json", kind).tables
    warned = [[i.warnings for i in t.indicators] for t in tables]
    note = ("target read from the column '2023年实际完成值': the column '预期2024年实现值' is "
            "empty on this row")
    assert warned == [[[]] * 7, [[note]] * 5, [[]] * 10]


def _fill(table, rows: list[tuple[str, ...]], start: int = 0) -> None:
    for r, texts in enumerate(rows, start=start):
        for c, text in enumerate(texts):
            table.cell(r, c).text = text


def _only_table(document, tmp_path):
    """The one table perftab reads in `document`."""
    path = tmp_path / "table.docx"
    document.save(path)
    result = extract_file(path)
    assert (result.status, result.n_tables) == ("ok", 1)
    return result.tables[0]


def _docx_table(tmp_path, rows: list[tuple[str, ...]]):
    document = docx.Document()
    document.add_paragraph("项目支出绩效目标表")
    _fill(document.add_table(rows=len(rows), cols=len(rows[0])), rows)
    return _only_table(document, tmp_path)


def _two_row_heading_docx(tmp_path, subs: tuple[str, str], rows: list[tuple[str, ...]]):
    """一级/二级/三级 headed over two rows, 指标值 over the two sub-headings `subs`."""
    document = docx.Document()
    document.add_paragraph("项目支出绩效自评表")
    table = document.add_table(rows=2 + len(rows), cols=5)
    _fill(table, [("一级指标", "二级指标", "三级指标", "指标值"), ("", "", "", *subs), *rows])
    for c in range(3):
        table.cell(0, c).merge(table.cell(1, c))
    table.cell(0, 3).merge(table.cell(0, 4))
    return _only_table(document, tmp_path)


@pytest.mark.parametrize(("subs", "read"), [
    (("年度指标值", "实际完成值"), [("≥500人次", "520人次", None), ("90%", "93%", None)]),
    (("数值", "计量单位"), [("≥500", None, "人次"), ("90", None, "%")]),
])
def test_sub_headings_under_the_target_heading_name_their_columns(tmp_path, subs, read):
    table = _two_row_heading_docx(tmp_path, subs, [
        ("产出指标", "数量指标", "培训人次", *(t for t in read[0] if t)),
        ("产出指标", "质量指标", "培训合格率", *(t for t in read[1] if t)),
    ])
    assert [(i.level3, i.target_raw, i.actual_raw, i.unit_raw) for i in table.indicators] == [
        ("培训人次", *read[0]), ("培训合格率", *read[1])]
    assert (table.warnings, [i.warnings for i in table.indicators]) == ([], [[], []])


@pytest.mark.parametrize("split", [("≥500", "人次"), ("≥", "500", "人次"), ("≥", "500")])
def test_cells_under_one_target_heading_are_told_apart_by_what_they_hold(tmp_path, split):
    """指标值 merged over the value's cells with nothing under it: a column of units is the
    unit, one of operators the operator, the other the target."""
    width = 3 + len(split)
    document = docx.Document()
    table = document.add_table(rows=3, cols=width)
    rows = [("一级指标", "二级指标", "三级指标", "指标值"),
            ("产出指标", "数量指标", "培训人次", *split),
            ("产出指标", "质量指标", "培训合格率", *(t.replace("500", "90").replace("人次", "%")
                                                   for t in split))]
    _fill(table, rows)
    table.cell(0, 3).merge(table.cell(0, width - 1))
    table = _only_table(document, tmp_path)
    unit = "人次" if "人次" in split else None
    nature = "≥" if "≥" in split else None
    target = "500" if nature else "≥500"
    assert [(i.target_raw, i.nature_raw, i.unit_raw, i.op, i.value, i.unit)
            for i in table.indicators] == [
        (target, nature, unit, ">=", 500.0, unit),
        (target.replace("500", "90"), nature, unit and "%", ">=", 90.0, unit and "%")]


def test_target_column_unnamed_is_found_by_its_numbers(tmp_path):
    table = _docx_table(tmp_path, [
        ("一级指标", "二级指标", "三级指标", "考核标准"),
        ("产出指标", "数量指标", "培训人次", "≥500人次"),
        ("产出指标", "质量指标", "培训合格率", "90%"),
    ])
    assert [(i.level3, i.target_raw, i.op, i.value) for i in table.indicators] == [
        ("培训人次", "≥500人次", ">=", 500.0), ("培训合格率", "90%", "=", 90.0)]
    assert table.warnings == ["target column guessed from its content: 考核标准"]


def test_target_column_unnamed_and_qualitative_is_taken_by_position(tmp_path):
    table = _docx_table(tmp_path, [
        ("一级指标", "二级指标", "三级指标", "考核标准"),
        ("效益指标", "社会效益指标", "群众获得感", "明显增强"),
    ])
    assert [(i.level3, i.target_raw) for i in table.indicators] == [("群众获得感", "明显增强")]
    assert table.warnings == ["target column guessed from its position: 考核标准"]


def test_block_with_no_column_for_targets_is_reported(tmp_path):
    table = _docx_table(tmp_path, [
        ("一级指标", "二级指标", "三级指标"),
        ("产出指标", "数量指标", "培训人次"),
    ])
    assert table.indicators == []
    assert table.warnings == ["unknown layout: no target column among the header words (none)"]


def test_indicator_column_unnamed_is_taken_by_position(tmp_path):
    table = _docx_table(tmp_path, [
        ("一级指标", "二级指标", "考核内容", "指标值"),
        ("产出指标", "数量指标", "培训人次", "≥500人次"),
    ])
    assert [(i.level2, i.level3, i.target_raw) for i in table.indicators] == [
        ("数量指标", "培训人次", "≥500人次")]
    assert table.warnings == ["indicator column guessed from its position: 考核内容"]
