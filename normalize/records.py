"""The canonical records a table becomes. Field order here is the column order of the outputs;
docs/schema.md describes every field."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class IndicatorRecord:
    table_id: str
    year: int | None
    seq: int
    horizon: str  # annual | midterm | longterm
    place: str | None  # per-place tables: the printed name of the value's column
    level1: str | None
    level2: str | None
    level3: str
    level1_std: str | None
    level2_std: str | None
    level3_clean: str
    target_raw: str
    op: str | None
    value: float | None
    value_max: float | None
    unit: str | None
    qualitative: bool
    target_kind: str
    nature_raw: str | None
    direction_raw: str | None
    unit_raw: str | None
    weight: float | None
    actual_raw: str | None
    actual_op: str | None
    actual_value: float | None
    actual_unit: str | None
    score: float | None
    deviation_reason: str | None
    ocr_score: float | None
    confidence: float | None
    page: int | None
    x0: float | None
    top: float | None
    x1: float | None
    bottom: float | None
    locator: str
    repairs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class FieldRecord:
    """One header field as printed and as read: `raw` is the value cell's text exactly as
    printed, `value` the table column's value as text (docs/schema.md)."""

    table_id: str
    year: int | None
    field: str
    value: str | None
    raw: str
    label_raw: str | None
    page: int | None
    x0: float | None
    top: float | None
    x1: float | None
    bottom: float | None
    locator: str
    confidence: float | None = None  # OCR only: the lowest recognition score of its cells


@dataclass
class CheckRecord:
    """One finding of a check on a table (normalize/checks.py, docs/checks.md): `seq` is the
    indicator's, null for the table; `evidence` quotes the printed values compared."""

    table_id: str
    year: int | None
    seq: int | None
    rule: str
    severity: str  # error | warning | info
    message: str  # Chinese | English
    evidence: str
    locator: str


@dataclass
class TableRecord:
    table_id: str
    source_path: str
    table_index: int
    extractor: str
    page_first: int | None
    page_last: int | None
    table_kind: str
    year: int | None
    year_source: str | None
    title: str | None
    project_name: str | None = None
    department: str | None = None
    department_code: str | None = None
    implementing_unit: str | None = None
    project_source: str | None = None
    period: str | None = None
    funds_total_wan: float | None = None
    funds_fiscal_wan: float | None = None
    funds_other_wan: float | None = None
    funds_midterm_wan: float | None = None
    annual_goal: str | None = None
    midterm_goal: str | None = None
    duties: str | None = None
    annual_tasks: str | None = None
    budget_initial_wan: float | None = None
    budget_full_year_wan: float | None = None
    budget_executed_wan: float | None = None
    execution_rate: float | None = None
    budget_score: float | None = None
    goal_actual: str | None = None
    n_indicators: int = 0
    locator: str = ""
    warnings: list[str] = field(default_factory=list)
    indicators: list[IndicatorRecord] = field(default_factory=list, repr=False)
    fields: list[FieldRecord] = field(default_factory=list, repr=False)
    checks: list[CheckRecord] = field(default_factory=list, repr=False)
