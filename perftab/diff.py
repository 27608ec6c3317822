"""The auditor's diff: one year's targets against the next, from two `perftab extract` outputs or
two years of one -> one row per project and per indicator saying what was dropped, added,
tightened or loosened.

    OLD, NEW folders (or one folder and two years) --load_side--> each side's tables with their
        indicators, and warnings on its years
    --pair_departments--> departments paired by mapping, code, name, similar name
    --match_keys--> project pairs --indicator_rows--> indicator pairs, each classified
        --write_diff--> OUT/diff.{parquet,csv}
        --write_report--> OUT/diff.html (perftab.diff_report)

docs/diff.md describes every column and every rule.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import unicodedata
from collections import defaultdict, deque
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, TypeVar

import pyarrow as pa
from rapidfuzz import fuzz

from perftab.normalize.records import IndicatorRecord, TableRecord

from .corrections import apply_corrections, compared_as_corrected, read_corrections
from .diff_report import write_report
from .options import FORMATS, OptionError, UsageError
from .records import DiffRow
from .writers import read_output, write_atomic
from .xlsx import workbook_path

__all__ = [
    "DIRECTIONS", "FUZZY_CUTOFF", "INDICATOR_CHANGES", "LANGUAGES", "PROJECT_CHANGES",
    "DatasetError", "DiffOptions", "DiffResult", "DiffRow", "Mapping", "Side", "compare_targets",
    "diff_projects", "load_mapping", "load_projects", "load_side", "match_keys", "normalize_name",
    "pair_departments", "run_diff", "side_warnings",
]

# Below 85 unrelated names of one department start to pair up (热线平台建设 / 热线平台推广 is
# 67); a renamed project (夜间值班补助 -> 夜间值班补助经费) scores 85.7.
FUZZY_CUTOFF = 85.0
LANGUAGES = ("zh", "en")  # of the HTML report

PROJECT_CHANGES = ("project_matched", "project_added", "project_removed")
INDICATOR_CHANGES = ("unchanged", "changed", "added", "removed")
DIRECTIONS = ("tightened", "loosened", "changed", "incomparable")  # of changed indicators


class DatasetError(UsageError):
    """OLD or NEW is not an output folder of `perftab extract`; the message names the folder."""


class MappingError(UsageError):
    """The --mapping file cannot be read; the message names the file and the line."""


@dataclass(frozen=True)
class DiffOptions:
    old: Path
    new: Path | None  # None: OLD holds both years, told apart by old_year and new_year
    outdir: Path
    format: str = "parquet"
    excel: bool = False  # CSV with a UTF-8 BOM, so Excel opens Chinese text correctly
    old_year: int | None = None  # only OLD's tables of this year (all when None)
    new_year: int | None = None
    mapping: Path | None = None  # renamed departments and projects (load_mapping)
    lang: str = "zh"  # of the HTML report

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise OptionError(f"format: {self.format!r} is not one of {', '.join(FORMATS)}")
        if self.excel and self.format != "csv":
            raise OptionError("excel: only CSV files are written for Excel; add --format csv")
        if self.lang not in LANGUAGES:
            raise OptionError(f"lang: {self.lang!r} is not one of {', '.join(LANGUAGES)}")
        if self.new is None and (self.old_year is None or self.new_year is None):
            missing = "old_year" if self.old_year is None else "new_year"
            raise OptionError(
                f"{missing}: one folder is compared with itself year against year; give both "
                "--old-year and --new-year (or a second folder NEW)"
            )


@dataclass
class DiffResult:
    rows: list[DiffRow]
    output: Path   # OUT/diff.parquet or OUT/diff.csv
    report: Path   # OUT/diff.html
    warnings: list[str] = dataclasses.field(default_factory=list)

    def count(self, row_kind: str, field: str, value: str) -> int:
        return sum(1 for r in self.rows if r.row_kind == row_kind and getattr(r, field) == value)

    @property
    def fuzzy_projects(self) -> list[DiffRow]:
        return [
            r for r in self.rows
            if r.row_kind == "project" and r.match_score is not None and r.match_score < 100
        ]


def run_diff(options: DiffOptions) -> DiffResult:
    mapping = load_mapping(options.mapping) if options.mapping else Mapping()
    old_tables = compared_as_corrected(load_projects(options.old), options.old)
    new_tables = old_tables if options.new is None else compared_as_corrected(
        load_projects(options.new), options.new)
    old = load_side("OLD", options.old, old_tables, options.old_year, "--old-year")
    new = load_side("NEW", options.new or options.old, new_tables, options.new_year, "--new-year")
    warnings = [*old.warnings, *new.warnings, *side_warnings(old, new)]
    rows = diff_projects(old.tables, new.tables, mapping)
    warnings += mapping.unused_warnings(options.mapping, old.tables, new.tables)
    output = write_diff(rows, options.outdir, options.format, options.excel)
    report = write_report(rows, options.outdir / "diff.html", old.where, new.where,
                          warnings=warnings, lang=options.lang)
    return DiffResult(rows, output, report, warnings)


# --------------------------------------------------------------------------- loading


@dataclass
class Side:
    """OLD or NEW: the tables compared, the years among them, what the reader is warned of."""

    label: str               # OLD | NEW
    where: str               # the folder, and the year chosen from it
    tables: list[TableRecord]
    years: list[int | None]  # the distinct years of `tables`, None (no year) last
    warnings: list[str]


def load_side(
    label: str, folder: Path, tables: list[TableRecord], year: int | None, option: str
) -> Side:
    """The tables of one side: those of `year` when it is given (an output folder holds every
    year it was given), else all, with a warning when they span several years."""
    warnings = []
    where = str(folder)
    if year is not None:
        chosen = [t for t in tables if t.year == year]
        if not chosen:
            raise DatasetError(
                f"{folder}: no tables of the year {year} ({option}); "
                f"the years in it: {_years_text(_distinct_years(tables))}"
            )
        no_year = sum(1 for t in tables if t.year is None)
        if no_year:
            warnings.append(
                f"{label} {folder}: {no_year} table(s) without a year are left out "
                f"({option} {year} picks tables by their year column)"
            )
        tables, where = chosen, f"{folder} ({year})"
    years = _distinct_years(tables)
    if len(years) > 1:
        warnings.append(
            f"{label} {folder} holds tables of several years ({_years_text(years)}): a project "
            f"of one year may be paired with, or reported missing from, another; "
            f"choose one with {option}"
        )
    return Side(label, where, tables, years, warnings)


def side_warnings(old: Side, new: Side) -> list[str]:
    """A warning when OLD is not earlier than NEW: tightened and loosened are read from OLD to
    NEW, so swapped sides would flip them without a word."""
    old_years = [y for y in old.years if y is not None]
    new_years = [y for y in new.years if y is not None]
    if old_years and new_years and max(old_years) >= min(new_years):
        return [
            f"OLD ({_years_text(old.years)}) is not earlier than NEW ({_years_text(new.years)}): "
            "tightened and loosened are read from OLD to NEW; if the sides are swapped, swap "
            "them back (OLD is the earlier year)"
        ]
    return []


def _distinct_years(tables: list[TableRecord]) -> list[int | None]:
    years = {t.year for t in tables}
    return sorted(y for y in years if y is not None) + ([None] if None in years else [])


def _years_text(years: list[int | None]) -> str:
    return ", ".join("no year" if y is None else str(y) for y in years) or "none"


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
    apply_corrections(tables, read_corrections(folder))  # a reviewer's (perftab review)
    return tables


def read_dataset(folder: Path, name: str, cls) -> list[dict]:
    """FOLDER's output `name` (a Parquet dataset, a CSV or a sheet of perftab.xlsx, as
    read_output reads it) as rows; errors name the folder or file."""
    written = [folder / f"{name}.{fmt}" for fmt in FORMATS] + [workbook_path(folder)]
    path = next((p for p in written if p.exists()), None)
    if path is None:
        raise DatasetError(f"{folder}: no {name}.parquet, {name}.csv or {written[-1].name} in "
                           "it; give a folder written by perftab extract")
    try:
        table = read_output(folder, name)
    except (pa.ArrowException, OSError) as exc:
        raise DatasetError(f"{path}: cannot be read ({exc})") from exc
    _check_columns(path, table.column_names, cls)
    return table.to_pylist()


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
            # CSV and XLSX join list columns with "; " (perftab.writers); none is ""
            value = (value.split("; ") if value else []) if isinstance(value, str) \
                else list(value or [])
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
    exact: tuple   # one key per exact stage, tried in order; None: not paired at that stage
    group: tuple   # fuzzy matching only within one group
    name: str      # what the fuzzy score compares


class Pair(NamedTuple):
    old: int | None   # index into the OLD list; None: added
    new: int | None   # index into the NEW list; None: removed
    score: float | None
    how: str | None = None  # the stage that paired them, or "similar"


def project_key(table: TableRecord, group, mapping: Mapping | None = None, old: bool = False):
    """Exact stages: the mapping file (a mapped OLD name against NEW's name, in any
    department), then the name within the paired departments."""
    name = normalize_name(table.project_name)
    mapped = (mapping or Mapping()).projects.get(name) if old else name
    group = (table.table_kind, group)
    return MatchKey(
        ((table.table_kind, mapped) if mapped else None, (*group, name)), group, name
    )


PROJECT_STAGES = ("mapping", "name")


def indicator_key(indicator: IndicatorRecord) -> MatchKey:
    """Level path and name, within one horizon and place: a 中期 target never pairs with an
    annual one, one village's with another's. The name is the 三级 cleaned of what changes
    between years without changing the indicator (score notes, enumerators, ★, hints)."""
    name = normalize_name(indicator.level3_clean or indicator.level3)
    scope = (indicator.horizon, indicator.place)
    return MatchKey(
        ((*scope, indicator.level1_std, indicator.level2_std, name),),
        (*scope, indicator.level2_std),
        name,
    )


def match_keys(
    old: list[MatchKey], new: list[MatchKey], stages: tuple[str, ...] = ("name",)
) -> list[Pair]:
    """One-to-one pairs of OLD and NEW items: equal exact keys, stage by stage, then the best
    fuzzy names within a group, then the rest unpaired. Ordered as written: NEW order, removed
    items last."""
    pairs: list[Pair] = []
    for stage, how in enumerate(stages):
        pairs += _exact_pairs(old, new, stage, how, pairs)
    pairs += _fuzzy_pairs(old, new, pairs)
    paired_old = {p.old for p in pairs}
    paired_new = {p.new for p in pairs}
    pairs += [Pair(None, j, None) for j in range(len(new)) if j not in paired_new]
    pairs += [Pair(i, None, None) for i in range(len(old)) if i not in paired_old]
    return sorted(pairs, key=lambda p: (p.new is None, p.old if p.new is None else p.new))


def _exact_pairs(
    old: list[MatchKey], new: list[MatchKey], stage: int, how: str, taken: list[Pair]
) -> list[Pair]:
    # the k-th OLD item with a key pairs with the k-th NEW one (a key can repeat in a table)
    taken_old, taken_new = {p.old for p in taken}, {p.new for p in taken}
    waiting: dict[tuple, deque[int]] = defaultdict(deque)
    for i, key in enumerate(old):
        if i not in taken_old and key.exact[stage] is not None:
            waiting[key.exact[stage]].append(i)
    pairs = []
    for j, key in enumerate(new):
        if j not in taken_new and key.exact[stage] is not None and waiting[key.exact[stage]]:
            pairs.append(Pair(waiting[key.exact[stage]].popleft(), j, 100.0, how))
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
            pairs.append(Pair(i, j, round(-negative_score, 1), "similar"))
            used_old.add(i)
            used_new.add(j)
    return pairs


# --------------------------------------------------------------------------- departments


class Department(NamedTuple):
    code: str | None   # as printed beside the name ([010] -> "010")
    name: str | None


DEPARTMENT_STAGES = ("mapping", "code", "name")


def department_of(table: TableRecord) -> Department:
    return Department(table.department_code or None, table.department)


def department_key(department: Department, mapping: Mapping, old: bool) -> MatchKey:
    """Exact stages: the mapping file (OLD's name mapped to NEW's), the code, the name."""
    name = normalize_name(department.name)
    mapped = mapping.departments.get(name) if old else name
    return MatchKey((mapped or None, department.code, name or None), (), name)


class DepartmentPairs(NamedTuple):
    group_of_old: dict[Department, tuple]  # the same group as its NEW department when paired
    group_of_new: dict[Department, tuple]
    how: dict[Department, tuple[Department, str | None]]  # NEW department -> (OLD one, how)


def pair_departments(
    old: list[TableRecord], new: list[TableRecord], mapping: Mapping
) -> DepartmentPairs:
    """The departments of OLD and NEW paired one to one: by the mapping file, then by code
    (a renamed department keeps its code), then by name, then by a similar name. Projects are
    paired within paired departments."""
    old_departments = list(dict.fromkeys(department_of(t) for t in old))
    new_departments = list(dict.fromkeys(department_of(t) for t in new))
    pairs = match_keys(
        [department_key(d, mapping, old=True) for d in old_departments],
        [department_key(d, mapping, old=False) for d in new_departments],
        DEPARTMENT_STAGES,
    )
    group_of_old, group_of_new, how = {}, {}, {}
    for pair in pairs:
        if pair.new is not None:
            group_of_new[new_departments[pair.new]] = ("new", pair.new)
        if pair.old is not None:
            group = ("new", pair.new) if pair.new is not None else ("old", pair.old)
            group_of_old[old_departments[pair.old]] = group
        if pair.old is not None and pair.new is not None:
            how[new_departments[pair.new]] = (old_departments[pair.old], pair.how)
    return DepartmentPairs(group_of_old, group_of_new, how)


# --------------------------------------------------------------------------- the mapping file


@dataclass
class Mapping:
    """Renamed departments and projects, OLD name -> NEW name, both normalized
    (normalize_name), so a mapping written from the printed names matches."""

    departments: dict[str, str] = dataclasses.field(default_factory=dict)
    projects: dict[str, str] = dataclasses.field(default_factory=dict)
    printed: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)  # kind, old, new

    def unused_warnings(
        self, path: Path | None, old: list[TableRecord], new: list[TableRecord]
    ) -> list[str]:
        """A warning for each entry naming no OLD or no NEW department or project."""
        names = {
            ("department", side): {normalize_name(t.department) for t in tables}
            for side, tables in (("old", old), ("new", new))
        } | {
            ("project", side): {normalize_name(t.project_name) for t in tables}
            for side, tables in (("old", old), ("new", new))
        }
        warnings = []
        for kind, old_name, new_name in self.printed:
            missing = [side.upper() for side, name in (("old", old_name), ("new", new_name))
                       if normalize_name(name) not in names[kind, side]]
            if missing:
                warnings.append(
                    f"{path}: {kind} {old_name!r} -> {new_name!r} is not used: no such {kind} "
                    f"in {' or '.join(missing)}"
                )
        return warnings


MAPPING_KINDS = ("department", "project")


def load_mapping(path: Path) -> Mapping:
    """A CSV file with the columns kind,old,new (kind: department or project) or a JSON file
    {"departments": {old: new}, "projects": {old: new}}; docs/diff.md shows both."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM, as Excel saves "CSV UTF-8"
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"{path}: cannot be read as a mapping file ({exc})") from exc
    entries = _json_entries(path, text) if path.suffix.lower() == ".json" else (
        _csv_entries(path, text)
    )
    mapping = Mapping()
    for kind, old, new in entries:
        names = mapping.departments if kind == "department" else mapping.projects
        names[normalize_name(old)] = normalize_name(new)
        mapping.printed.append((kind, old, new))
    return mapping


def _csv_entries(path: Path, text: str) -> list[tuple[str, str, str]]:
    rows = list(csv.reader(text.splitlines()))
    if not rows or [c.strip() for c in rows[0]] != ["kind", "old", "new"]:
        raise MappingError(f"{path}: the first line must be the header kind,old,new")
    entries = []
    for line, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            raise MappingError(f"{path}: line {line}: {len(row)} cells, not 3 (kind,old,new)")
        entries.append(_entry(path, f"line {line}", *(cell.strip() for cell in row)))
    return entries


def _json_entries(path: Path, text: str) -> list[tuple[str, str, str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MappingError(f"{path}: not JSON ({exc})") from exc
    if not isinstance(data, dict) or set(data) - {"departments", "projects"}:
        raise MappingError(f'{path}: expected {{"departments": {{…}}, "projects": {{…}}}}')
    entries = []
    for key, names in data.items():
        if not isinstance(names, dict):
            raise MappingError(f"{path}: {key}: expected an object of OLD name: NEW name")
        entries += [_entry(path, key, key.removesuffix("s"), old, new)
                    for old, new in names.items()]
    return entries


def _entry(path: Path, where: str, kind: str, old, new) -> tuple[str, str, str]:
    if kind not in MAPPING_KINDS:
        raise MappingError(f"{path}: {where}: kind {kind!r} is not department or project")
    if not isinstance(old, str) or not isinstance(new, str) or not old or not new:
        raise MappingError(f"{path}: {where}: an old and a new name are needed")
    return kind, old, new


# --------------------------------------------------------------------------- diff rows


def diff_projects(
    old: list[TableRecord], new: list[TableRecord], mapping: Mapping | None = None
) -> list[DiffRow]:
    """Each project (matched, added, removed) as its project row followed by its indicators."""
    mapping = mapping or Mapping()
    departments = pair_departments(old, new, mapping)
    old_keys = [project_key(t, departments.group_of_old[department_of(t)], mapping, old=True)
                for t in old]
    new_keys = [project_key(t, departments.group_of_new[department_of(t)]) for t in new]
    rows = []
    for pair in match_keys(old_keys, new_keys, PROJECT_STAGES):
        old_table = None if pair.old is None else old[pair.old]
        new_table = None if pair.new is None else new[pair.new]
        context = _project_context(old_table, new_table, pair, departments)
        rows.append(project_row(old_table, new_table, context))
        rows += indicator_rows(old_table, new_table, context)
    return rows


def _project_context(
    old: TableRecord | None, new: TableRecord | None, pair: Pair, departments: DepartmentPairs
) -> dict:
    """The project's columns, repeated on each of its indicator rows for filtering."""
    shown = shown_side(old, new)
    department_match = None
    if old and new:
        paired = departments.how.get(department_of(new))
        if paired and paired[0] == department_of(old):
            department_match = paired[1]
    return {
        "department": shown.department,
        "project_name": shown.project_name,
        "project_name_old": old.project_name if old else None,
        "match_score": pair.score,
        "match_by": pair.how,
        "department_code": shown.department_code,
        "department_old": old.department if old else None,
        "department_code_old": old.department_code if old else None,
        "department_match": department_match,
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


_Side = TypeVar("_Side", TableRecord, IndicatorRecord)
_TARGET_FIELDS = ("target_raw", "op", "value", "value_max", "unit", "seq", "page", "locator")


def indicator_row(
    old: IndicatorRecord | None, new: IndicatorRecord | None, score, context: dict
) -> DiffRow:
    kind, direction = compare_targets(old, new)
    shown = shown_side(old, new)
    delta = delta_pct = None
    if old is not None and new is not None and comparable(old, new):
        delta, delta_pct = value_delta(old.value, new.value)
    return DiffRow(
        "indicator", kind, direction, **context,
        level1_std=shown.level1_std, level2_std=shown.level2_std, level3=shown.level3,
        level3_old=old.level3 if old else None, level3_score=score,
        **_sides(old, new, _TARGET_FIELDS), delta=delta, delta_pct=delta_pct,
    )


def shown_side(old: _Side | None, new: _Side | None) -> _Side:
    """What a row shows: NEW's side, or OLD's for what was removed."""
    if new is not None:
        return new
    if old is None:
        raise ValueError("a pair of neither an OLD nor a NEW record")
    return old


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
    if not comparable(old, new) or old.value is None or new.value is None:
        return "incomparable"
    sign = _STRICTER.get(old.op or "")
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
