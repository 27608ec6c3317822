import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLES = ROOT / "samples"
TRUTH_FILE = DATA / "huoshan-2023.json"

META_FIELDS = (
    "project_name", "department", "department_code", "implementing_unit", "project_source",
    "period", "funds_total_wan", "funds_fiscal_wan", "funds_other_wan", "annual_goal",
)


def truth_tables() -> list[dict]:
    """The truth file's tables in the shape `table_as_truth` produces."""
    tables = json.loads(TRUTH_FILE.read_text(encoding="utf-8"))["tables"]
    return [
        {
            "year": t["year"],
            "table_kind": t["table_kind"],
            "title": t["title"],
            "meta": t["meta"],
            "indicators": [_truth_indicator(i) for i in t["indicators"]],
        }
        for t in tables
    ]


def _truth_indicator(ind: dict) -> dict:
    parsed = ind["parsed"] or {}
    return {
        "level1": ind["level1"],
        "level2": ind["level2"],
        "level3": ind["level3"],
        "target_raw": ind["target_raw"],
        "op": parsed.get("op"),
        "value": float(parsed["value"]) if parsed else None,
        "unit": parsed.get("unit") or None,
    }


def table_as_truth(table) -> dict:
    """One extracted TableRecord in the truth file's shape, for whole-table comparison."""
    return {
        "year": table.year,
        "table_kind": table.table_kind,
        "title": table.title,
        "meta": {name: getattr(table, name) for name in META_FIELDS},
        "indicators": [
            {
                "level1": i.level1,
                "level2": i.level2,
                "level3": i.level3,
                "target_raw": i.target_raw,
                "op": i.op,
                "value": i.value,
                "unit": i.unit,
            }
            for i in table.indicators
        ],
    }


@pytest.fixture(scope="session")
def truth() -> list[dict]:
    return truth_tables()


HEADER_COLUMNS = (
    "project_name", "department", "department_code", "implementing_unit", "project_source",
    "period", "funds_total_wan", "funds_fiscal_wan", "funds_other_wan", "funds_midterm_wan",
    "annual_goal", "midterm_goal", "duties", "annual_tasks", "budget_initial_wan",
    "budget_full_year_wan", "budget_executed_wan", "execution_rate", "budget_score", "goal_actual",
)


def assert_fields_cover_header(table) -> None:
    """One fields row per header column the table fills, with the printed text it came from;
    a value that could not be read is null in both."""
    by_field = {f.field: f for f in table.fields}
    assert len(by_field) == len(table.fields), "one row per field"
    for name in HEADER_COLUMNS:
        value = getattr(table, name)
        if value is None:
            assert name not in by_field or by_field[name].value is None, name
            continue
        record = by_field[name]
        assert record.raw.strip() and record.locator, record
        assert (record.table_id, record.year) == (table.table_id, table.year)
        if isinstance(value, float):
            assert float(record.value) == value, record
        else:
            assert record.value == value, record
    assert set(by_field) <= set(HEADER_COLUMNS)
