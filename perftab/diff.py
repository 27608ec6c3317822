"""The auditor's diff: two `perftab extract` outputs (one year's targets, the next year's) ->
one row per project and per indicator saying what was dropped, added, tightened or loosened.

    OLD, NEW folders --load_projects--> tables with their indicators
        --match_keys--> project pairs --indicator_rows--> indicator pairs, each classified
        --write_diff--> OUT/diff.{parquet,csv}
        --write_report--> OUT/diff.html (perftab.diff_report)

docs/diff.md describes every column and every rule.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import defaultdict, deque
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from rapidfuzz import fuzz

from normalize.records import IndicatorRecord, TableRecord

from .diff_report import write_report
from .excel import from_excel, written_for_excel
from .options import FORMATS, OptionError, UsageError
from .writers import read_output, record_schema, write_atomic

__all__ = [
    "DIRECTIONS", "FUZZY_CUTOFF", "INDICATOR_CHANGES", "PROJECT_CHANGES", "DatasetError",
    "DiffOptions", "DiffResult", "DiffRow", "compare_targets", "diff_projects", "load_projects",
    "match_keys", "normalize_name", "run_diff",
]

# Below 85 unrelated names of one department start to pair up (安康码建设 / 安康码推广 is 60);
# a renamed project (…考勤考核奖 -> …考勤考核奖励) scores about 96.
FUZZY_CUTOFF = 85.0

PROJECT_CHANGES = ("project_matched", "project_added", "project_removed")
INDICATOR_CHANGES = ("unchanged", "changed", "added", "removed")
DIRECTIONS = ("tightened", "loosened", "changed", "incomparable")  # of changed indicators


class DatasetError(UsageError):
    """OLD or NEW is not an output folder of `perftab extract`; the message names the folder."""


@dataclass(frozen=True)
class DiffOptions:
    old: Path
    new: Path
    outdir: Path
    format: str = "parquet"
    excel: bool = False  # CSV with a UTF-8 BOM, so Excel opens Chinese text correctly

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise OptionError(f"format: {self.format!r} is not one of {', '.join(FORMATS)}")
        if self.excel and self.format != "csv":
            raise OptionError("excel: only CSV files are written for Excel; add --format csv")


@dataclass
class DiffRow:
    """One row of the diff. Field order is the column order of the output (docs/diff.md)."""

    row_kind: str                 # project | indicator
    change: str
    direction: str | None
    department: str | None
    project_name: str | None      # as named in NEW (in OLD for a removed project)
    project_name_old: str | None
    match_score: float | None     # of the project names: 100 exact, lower fuzzy
    level1_std: str | None = None
    level2_std: str | None = None
    level3: str | None = None     # as named in NEW (in OLD for a removed indicator)
    level3_old: str | None = None
    level3_score: float | None = None
    old_target_raw: str | None = None
    new_target_raw: str | None = None
    old_op: str | None = None
    new_op: str | None = None
    old_value: float | None = None
    new_value: float | None = None
    old_value_max: float | None = None
    new_value_max: float | None = None
    old_unit: str | None = None
    new_unit: str | None = None
    old_funds_total_wan: float | None = None
    new_funds_total_wan: float | None = None
    delta: float | None = None       # of value (indicator rows) or funds_total_wan (project rows)
    delta_pct: float | None = None   # 100 * delta / |old|
    old_year: int | None = None
    new_year: int | None = None
    old_table_id: str | None = None
    new_table_id: str | None = None
    old_seq: int | None = None
    new_seq: int | None = None
    old_source_path: str | None = None
    old_page: int | None = None
    new_source_path: str | None = None
    new_page: int | None = None
    old_locator: str | None = None
    new_locator: str | None = None


@dataclass
class DiffResult:
    rows: list[DiffRow]
    output: Path   # OUT/diff.parquet or OUT/diff.csv
    report: Path   # OUT/diff.html

    def count(self, row_kind: str, field: str, value: str) -> int:
        return sum(1 for r in self.rows if r.row_kind == row_kind and getattr(r, field) == value)

    @property
    def fuzzy_projects(self) -> list[DiffRow]:
        return [
            r for r in self.rows
            if r.row_kind == "project" and r.match_score is not None and r.match_score < 100
        ]


def run_diff(options: DiffOptions) -> DiffResult:
    old = load_projects(options.old)
    new = load_projects(options.new)
    rows = diff_projects(old, new)
    output = write_diff(rows, options.outdir, options.format, options.excel)
    report = write_report(rows, options.outdir / "diff.html", options.old, options.new)
    return DiffResult(rows, output, report)


# --------------------------------------------------------------------------- loading


def load_projects(folder: Path) -> list[TableRecord]:
    """An extract output folder -> its tables, each carrying its indicators in seq order."""
    if not folder.is_dir():
        raise DatasetError(f"{folder}: no such folder; give a folder written by perftab extract")
    tables = [_record(TableRecord, row) for row in read_dataset(folder, "tables", TableRecord)]
    by_table = defaultdict(list)
    for row in read_dataset(folder, "indicators", IndicatorRecord):
        by_table[row["table_id"]].append(_record(IndicatorRecord, row))
    # an indicator whose table is not listed would fall out of the diff unseen
    orphans = sorted(by_table.keys() - {t.table_id for t in tables})
    if orphans:
        raise DatasetError(
            f"{folder}: indicators of tables not in its tables file ({', '.join(orphans)}); "
            "were the files written by different runs?"
        )
    for table in tables:
        table.indicators = sorted(by_table[table.table_id], key=lambda i: i.seq)
    return tables


def read_dataset(folder: Path, name: str, cls) -> list[dict]:
    """FOLDER/name.parquet, else FOLDER/name.csv, as rows; errors name the folder or file."""
    for fmt in FORMATS:
        path = folder / f"{name}.{fmt}"
        if path.exists():  # a Parquet output is a dataset folder (perftab/writers.py)
            table = _read_table(path, fmt, cls)
            _check_columns(path, table.column_names, cls)
            return table.to_pylist()
    raise DatasetError(
        f"{folder}: no {name}.parquet or {name}.csv in it; give a folder written by perftab extract"
    )


def _read_table(path: Path, fmt: str, cls) -> pa.Table:
    try:
        if fmt == "parquet":
            return read_output(path.parent, path.stem) if path.is_dir() else pq.read_table(path)
        # the writer's schema, so CSV reads back with the types Parquet has ("010" stays text)
        types = {f.name: pa.string() if pa.types.is_list(f.type) else f.type
                 for f in record_schema(cls)}
        options = pacsv.ConvertOptions(column_types=types, strings_can_be_null=True)
        table = pacsv.read_csv(path, convert_options=options)
        return from_excel(table) if written_for_excel(path) else table  # written with --excel
    except (pa.ArrowException, OSError) as exc:
        raise DatasetError(f"{path}: cannot be read as {fmt} ({exc})") from exc


def _check_columns(path: Path, columns: list[str], cls) -> None:
    required = [
        f.name for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    missing = [name for name in required if name not in columns]
    if missing:
        raise DatasetError(f"{path}: missing columns {', '.join(missing)}")


def _record(cls, row: dict):
    values = {}
    for f in dataclasses.fields(cls):
        if f.name not in row:
            continue
        value = row[f.name]
        if str(f.type).startswith("list"):
            # CSV joins list columns with "; " (perftab.writers)
            value = value.split("; ") if isinstance(value, str) else list(value or [])
        values[f.name] = value
    return cls(**values)


# --------------------------------------------------------------------------- matching

_YEAR = re.compile(r"(?:19|20)\d{2}年度?")
_NOT_WORD = re.compile(r"[\W_]+")


def normalize_name(text: str | None) -> str:
    """The name a project or indicator is matched by: full-width folded to half-width, year
    tokens ("2023年", "2024年度") and all spaces and punctuation removed."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return _NOT_WORD.sub("", _YEAR.sub("", folded))


class MatchKey(NamedTuple):
    exact: tuple   # equal keys match first
    group: tuple   # fuzzy matching only within one group
    name: str      # what the fuzzy score compares


class Pair(NamedTuple):
    old: int | None   # index into the OLD list; None: added
    new: int | None   # index into the NEW list; None: removed
    score: float | None


def project_key(table: TableRecord) -> MatchKey:
    group = (table.table_kind, normalize_name(table.department))
    name = normalize_name(table.project_name)
    return MatchKey((*group, name), group, name)


def indicator_key(indicator: IndicatorRecord) -> MatchKey:
    """Level path and name, within one horizon and place: a 中期 target never pairs with an
    annual one, one village's with another's. The name is the 三级 cleaned of what changes
    between years without changing the indicator (score notes, enumerators, ★, hints)."""
    name = normalize_name(indicator.level3_clean or indicator.level3)
    scope = (indicator.horizon, indicator.place)
    return MatchKey(
        (*scope, indicator.level1_std, indicator.level2_std, name),
        (*scope, indicator.level2_std),
        name,
    )


def match_keys(old: list[MatchKey], new: list[MatchKey]) -> list[Pair]:
    """One-to-one pairs of OLD and NEW items: equal exact keys, then the best fuzzy names within
    a group, then the rest unpaired. Ordered as written: NEW order, removed items last."""
    pairs = _exact_pairs(old, new)
    pairs += _fuzzy_pairs(old, new, pairs)
    paired_old = {p.old for p in pairs}
    paired_new = {p.new for p in pairs}
    pairs += [Pair(None, j, None) for j in range(len(new)) if j not in paired_new]
    pairs += [Pair(i, None, None) for i in range(len(old)) if i not in paired_old]
    return sorted(pairs, key=lambda p: (p.new is None, p.old if p.new is None else p.new))


def _exact_pairs(old: list[MatchKey], new: list[MatchKey]) -> list[Pair]:
    # the k-th OLD item with a key pairs with the k-th NEW one (a key can repeat in a table)
    waiting: dict[tuple, deque[int]] = defaultdict(deque)
    for i, key in enumerate(old):
        waiting[key.exact].append(i)
    pairs = []
    for j, key in enumerate(new):
        if waiting[key.exact]:
            pairs.append(Pair(waiting[key.exact].popleft(), j, 100.0))
    return pairs


def _fuzzy_pairs(old: list[MatchKey], new: list[MatchKey], taken: list[Pair]) -> list[Pair]:
    # Every candidate pair is scored and the best taken first, rather than extractOne per NEW
    # item in turn: that way an earlier NEW name cannot take an OLD name a later one fits better,
    # and the result does not depend on row order.
    taken_old, taken_new = {p.old for p in taken}, {p.new for p in taken}
    free_old = [i for i in range(len(old)) if i not in taken_old]
    free_new = [j for j in range(len(new)) if j not in taken_new]
    candidates = []
    for j in free_new:
        for i in free_old:
            if old[i].group == new[j].group and old[i].name and new[j].name:
                score = fuzz.ratio(old[i].name, new[j].name, score_cutoff=FUZZY_CUTOFF)
                if score:
                    candidates.append((-score, j, i))
    pairs, used_old, used_new = [], set(), set()
    for negative_score, j, i in sorted(candidates):
        if i not in used_old and j not in used_new:
            pairs.append(Pair(i, j, round(-negative_score, 1)))
            used_old.add(i)
            used_new.add(j)
    return pairs


# --------------------------------------------------------------------------- diff rows


def diff_projects(old: list[TableRecord], new: list[TableRecord]) -> list[DiffRow]:
    """Each project (matched, added, removed) as its project row followed by its indicators."""
    rows = []
    for pair in match_keys([project_key(t) for t in old], [project_key(t) for t in new]):
        old_table = None if pair.old is None else old[pair.old]
        new_table = None if pair.new is None else new[pair.new]
        context = _project_context(old_table, new_table, pair.score)
        rows.append(project_row(old_table, new_table, context))
        rows += indicator_rows(old_table, new_table, context)
    return rows


def _project_context(old: TableRecord | None, new: TableRecord | None, score) -> dict:
    """The project's columns, repeated on each of its indicator rows for filtering."""
    shown = new or old
    return {
        "department": shown.department,
        "project_name": shown.project_name,
        "project_name_old": old.project_name if old else None,
        "match_score": score,
        **_sides(old, new, ("year", "table_id", "source_path")),
    }


def project_row(old: TableRecord | None, new: TableRecord | None, context: dict) -> DiffRow:
    kind = "project_matched" if old and new else "project_added" if new else "project_removed"
    # the page a table starts on is where its title (the project row's locator) is printed
    sides = _sides(old, new, ("funds_total_wan", "locator"), page="page_first")
    delta, delta_pct = value_delta(sides["old_funds_total_wan"], sides["new_funds_total_wan"])
    return DiffRow("project", kind, None, **context, **sides, delta=delta, delta_pct=delta_pct)


def indicator_rows(
    old: TableRecord | None, new: TableRecord | None, context: dict
) -> list[DiffRow]:
    old_items = old.indicators if old else []
    new_items = new.indicators if new else []
    pairs = match_keys([indicator_key(i) for i in old_items], [indicator_key(i) for i in new_items])
    return [
        indicator_row(
            None if p.old is None else old_items[p.old],
            None if p.new is None else new_items[p.new],
            p.score,
            context,
        )
        for p in pairs
    ]


_TARGET_FIELDS = ("target_raw", "op", "value", "value_max", "unit", "seq", "page", "locator")


def indicator_row(
    old: IndicatorRecord | None, new: IndicatorRecord | None, score, context: dict
) -> DiffRow:
    kind, direction = compare_targets(old, new)
    shown = new or old
    delta = delta_pct = None
    if comparable(old, new):
        delta, delta_pct = value_delta(old.value, new.value)
    return DiffRow(
        "indicator", kind, direction, **context,
        level1_std=shown.level1_std, level2_std=shown.level2_std, level3=shown.level3,
        level3_old=old.level3 if old else None, level3_score=score,
        **_sides(old, new, _TARGET_FIELDS), delta=delta, delta_pct=delta_pct,
    )


def _sides(old, new, names: tuple[str, ...], **renamed: str) -> dict:
    """old_<name> and new_<name> from each side's attribute <name>; `renamed` maps more column
    names to the attribute they are read from."""
    values = {}
    for column, attribute in [*((name, name) for name in names), *renamed.items()]:
        values[f"old_{column}"] = getattr(old, attribute) if old is not None else None
        values[f"new_{column}"] = getattr(new, attribute) if new is not None else None
    return values


# --------------------------------------------------------------------------- classification

# +1: a higher value is a stricter target (≥95% asks more than ≥90%); -1: a lower one is
_STRICTER = {">=": 1, ">": 1, "<=": -1, "<": -1}


def compare_targets(
    old: IndicatorRecord | None, new: IndicatorRecord | None
) -> tuple[str, str | None]:
    """(change, direction) of one indicator pair."""
    if old is None:
        return "added", None
    if new is None:
        return "removed", None
    if same_target(old, new):
        return "unchanged", None
    return "changed", change_direction(old, new)


def same_target(old: IndicatorRecord, new: IndicatorRecord) -> bool:
    # by meaning, so "不低于90%" and "≥90%" are the same target; text only when there is no number
    if old.qualitative and new.qualitative:
        return _plain(old.target_raw) == _plain(new.target_raw)
    fields = ("qualitative", "op", "value", "value_max", "unit")
    return all(getattr(old, f) == getattr(new, f) for f in fields)


def change_direction(old: IndicatorRecord, new: IndicatorRecord) -> str:
    """tightened / loosened when one bound moved; changed / incomparable otherwise."""
    if old.qualitative and new.qualitative:
        return "changed"
    if not comparable(old, new):
        return "incomparable"
    sign = _STRICTER.get(old.op)
    # `=` targets, ranges and a changed operator have no single stricter side
    if sign is None or old.op != new.op or old.value == new.value:
        return "changed"
    return "tightened" if (new.value - old.value) * sign > 0 else "loosened"


def comparable(old: IndicatorRecord | None, new: IndicatorRecord | None) -> bool:
    """Both numbers in the same unit: only then is a change a number."""
    if old is None or new is None or old.qualitative or new.qualitative:
        return False
    return old.unit == new.unit and old.value is not None and new.value is not None


def value_delta(old: float | None, new: float | None) -> tuple[float | None, float | None]:
    """(new - old, 100 * (new - old) / |old|); the percentage is None when old is 0."""
    if old is None or new is None:
        return None, None
    # in Decimal of the printed values, so 1.22 -> 1.0 is -0.22, not -0.21999999999999997
    before, after = Decimal(repr(old)), Decimal(repr(new))
    delta = after - before
    return float(delta), float(100 * delta / abs(before)) if before else None


def _plain(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


# --------------------------------------------------------------------------- writing


def write_diff(rows: list[DiffRow], outdir: Path, fmt: str, excel: bool = False) -> Path:
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / f"diff.{fmt}"
    write_atomic(rows, DiffRow, path, fmt, excel)
    return path
