"""A reviewer's corrections (`perftab review`): stored in OUTDIR, applied to a file's records
each time that content is extracted, and when `perftab check` and `perftab diff` read OUTDIR.

    review page --save_correction--> OUTDIR/corrections (.parquet or .csv, one row per row+field)
    extract_file / load_projects --apply_corrections--> corrected records + check rows

A correction finds its row again by the file's sha256 and the row's locator (the target cell's
for an indicator, the title's for a header field), never by position. What was printed stays
where the outputs keep it (`target_raw`, `level1`…`level3`, `fields.raw`); the correction goes
to the columns read downstream (the parsed target, `level1_std`, `level2_std`, `level3_clean`,
the `tables` header column and `fields.value`), and the row's `repairs` (a header field: a
`review_correction` check row) says what was printed and what the reviewer made of it.
docs/review.md describes it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from perftab.normalize.checks import check_table, weigh_doubts
from perftab.normalize.records import CheckRecord, IndicatorRecord, TableRecord
from perftab.normalize.targets import parse_target
from perftab.normalize.text import to_simplified
from perftab.normalize.vocabulary import clean_name, level1_std, level2_std

from .excel import from_excel, written_for_excel
from .writers import csv_schema, flat_schema, outdir_locked, write_atomic

__all__ = [
    "HEADER_FIELDS", "INDICATOR_FIELDS", "CorrectionRecord", "apply_corrections",
    "check_corrected", "compared_as_corrected", "corrections_by_file", "read_corrections",
    "reviewer", "save_correction",
]

# what a reviewer can set on an indicator row; `accepted` and `not_indicator` carry no value
INDICATOR_FIELDS = ("target", "level1", "level2", "level3", "accepted", "not_indicator")
HEADER_NUMBERS = (
    "funds_total_wan", "funds_fiscal_wan", "funds_other_wan", "funds_midterm_wan",
    "budget_initial_wan", "budget_full_year_wan", "budget_executed_wan", "execution_rate",
    "budget_score",
)
HEADER_FIELDS = (
    "project_name", "department", "department_code", "implementing_unit", "project_source",
    "period", *HEADER_NUMBERS[:4], "annual_goal", "midterm_goal", "duties",
    *HEADER_NUMBERS[4:], "goal_actual",
)
REVIEW_NOTE = "review correction"
LOST_RULE, HEADER_RULE, NOT_INDICATOR_RULE = (
    "review_correction_lost", "review_correction", "review_not_indicator",
)


@dataclass
class CorrectionRecord:
    """One reviewer's decision on one row and field. Column order of the `corrections` output."""

    sha256: str  # of the file the row was read from
    source_path: str
    table_id: str
    seq: int | None  # the indicator's seq when it was corrected; null for a header field
    locator: str  # the indicator's target cell, or the table's title for a header field
    level3: str | None  # the row's 三级 as printed, to tell a person which row it was
    field: str  # one of INDICATOR_FIELDS or HEADER_FIELDS
    before: str | None  # the value downstream read before (as text)
    after: str | None  # the reviewer's value; null for accepted / not_indicator
    who: str
    when: str  # ISO 8601, UTC

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.sha256, self.locator, self.field)


class CorrectionError(ValueError):
    """A correction that cannot be stored: the message says which value and why."""


def reviewer(name: str | None = None) -> str:
    """Who corrects: the name given, else the login of the OS user running the page."""
    if name:
        return name
    try:
        return os.getlogin()
    except OSError:
        import getpass

        return getpass.getuser()


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- storing


# held while a correction is added: a run's OUTDIR lock is not taken, extraction may go on
SAVING_LOCK = ".perftab-corrections.lock"


def corrections_path(outdir: Path) -> Path:
    """OUTDIR/corrections.parquet, or .csv beside the other outputs of a CSV OUTDIR."""
    parquet = outdir / "corrections.parquet"
    if parquet.exists() or not (outdir / "tables.csv").exists():
        return parquet
    return outdir / "corrections.csv"


def read_corrections(outdir: Path) -> list[CorrectionRecord]:
    """OUTDIR's corrections, oldest first; none when the reviewer has saved nothing yet."""
    path = corrections_path(outdir)
    if not path.exists():
        return []
    if path.suffix == ".parquet":
        table = pq.read_table(path)
    else:
        schema = csv_schema(path, flat_schema(CorrectionRecord))
        options = pacsv.ConvertOptions(column_types={f.name: f.type for f in schema},
                                       strings_can_be_null=True, quoted_strings_can_be_null=False)
        table = pacsv.read_csv(path, convert_options=options)
        table = from_excel(table) if written_for_excel(path) else table
    names = [f.name for f in fields(CorrectionRecord)]
    return [CorrectionRecord(**{n: row.get(n) for n in names}) for row in table.to_pylist()]


def save_correction(outdir: Path, correction: CorrectionRecord) -> list[CorrectionRecord]:
    """Add a correction to OUTDIR's, replacing an earlier one of the same row and field; the
    file is rewritten atomically, one saving at a time (two reviewers, or two tabs, saving at
    once each keep the other's). Returns them all."""
    check_value(correction)
    with outdir_locked(outdir, SAVING_LOCK, wait=True):
        kept = [c for c in read_corrections(outdir) if c.key != correction.key]
        stored = [*kept, correction]
        path = corrections_path(outdir)
        fmt = path.suffix.removeprefix(".")
        write_atomic(stored, CorrectionRecord, path, fmt, excel=_has_bom(outdir / "tables.csv"))
    return stored


def _has_bom(csv: Path) -> bool:
    return csv.exists() and written_for_excel(csv)


def check_value(correction: CorrectionRecord) -> None:
    name, after = correction.field, correction.after
    if name not in INDICATOR_FIELDS and name not in HEADER_FIELDS:
        raise CorrectionError(f"field: {name!r} cannot be corrected")
    needs_value = name not in ("accepted", "not_indicator")
    if needs_value and not (after or "").strip():
        raise CorrectionError(f"{name}: the corrected value is empty")
    if name in HEADER_NUMBERS and header_number(after) is None:
        raise CorrectionError(f"{name}: {after!r} is not a number")


def header_number(text: str | None) -> float | None:
    try:
        return float((text or "").strip().replace(",", "").removesuffix("%"))
    except ValueError:
        return None


def corrections_by_file(corrections: Iterable[CorrectionRecord]) -> dict[str, tuple]:
    """sha256 -> that content's corrections, to hand each file's to the worker reading it."""
    grouped: dict[str, list[CorrectionRecord]] = {}
    for c in corrections:
        grouped.setdefault(c.sha256, []).append(c)
    return {sha: tuple(group) for sha, group in grouped.items()}


# --------------------------------------------------------------------------- applying


def check_corrected(tables: list[TableRecord], corrections: Iterable[CorrectionRecord]) -> None:
    """A file's tables corrected, then checked: each table's checks are those of the corrected
    values, followed by what the corrections report (normalize/checks.py, docs/checks.md); an
    OCR'd row a warning or a check doubts is then read with a lowered confidence."""
    found = apply_corrections(tables, corrections)
    for table in tables:
        table.checks = check_table(table) + [c for c in found if c.table_id == table.table_id]
        weigh_doubts(table)


def apply_corrections(
    tables: list[TableRecord], corrections: Iterable[CorrectionRecord]
) -> list[CheckRecord]:
    """Apply each correction to the row it names among these tables (those of its file, told
    by the table_id's sha prefix), in place. Applying twice changes nothing more. Returns the
    check rows to add: header fields corrected, rows taken out, corrections whose row is gone."""
    found: list[CheckRecord] = []
    for c in corrections:
        mine = [t for t in tables if t.table_id[:16] == c.sha256[:16]]
        if not mine:
            continue  # not this run's file
        if c.field in HEADER_FIELDS:
            found += _apply_to_header(mine, c)
        else:
            found += _apply_to_indicator(mine, c)
    return found


def _apply_to_indicator(tables: list[TableRecord], c: CorrectionRecord) -> list[CheckRecord]:
    candidates = [(t, i) for t in tables for i in t.indicators if i.locator == c.locator]
    candidates.sort(key=lambda ti: (ti[0].table_id != c.table_id, ti[1].seq != c.seq))
    if c.field == "not_indicator":
        return [_take_out(tables, c, candidates[0] if candidates else None)]
    if not candidates:
        return [_lost(tables, c)]
    row = candidates[0][1]
    if c.field != "accepted":
        _correct_indicator(row, c)
    return []


def _take_out(tables: list[TableRecord], c: CorrectionRecord, found: tuple | None) -> CheckRecord:
    """A row marked as no indicator leaves `indicators`; one gone already (taken out when the
    file was extracted) is reported the same, so `perftab check` keeps saying so."""
    if found is not None:
        table, row = found
        table.indicators.remove(row)
        table.n_indicators = len(table.indicators)
    else:
        table = next((t for t in tables if t.table_id == c.table_id), tables[0])
    return _check(table, c, NOT_INDICATOR_RULE, "info", c.seq,
                  "审核人标记为非绩效指标，已从指标表中移除",
                  "marked by the reviewer as not an indicator; left out of indicators",
                  f"{c.level3}: {c.before} (by {c.who} on {c.when})")


def _correct_indicator(row: IndicatorRecord, c: CorrectionRecord) -> None:
    after = c.after or ""
    printed: str | None
    if c.field == "target":
        target = parse_target(after, row.nature_raw, row.unit_raw)
        row.op, row.value, row.value_max = target.op, target.value, target.value_max
        row.unit, row.qualitative, row.target_kind = target.unit, target.qualitative, target.kind
        printed = row.target_raw
    elif c.field == "level1":
        row.level1_std, printed = level1_std(after), row.level1
    elif c.field == "level2":
        row.level2_std, printed = level2_std(after), row.level2
    else:
        row.level3_clean, printed = to_simplified(clean_name(after)), row.level3
    note = correction_note(c, printed)
    if note not in row.repairs:
        row.repairs.append(note)


def correction_note(c: CorrectionRecord, printed: str | None) -> str:
    """The `repairs` entry of a corrected row, e.g. `review correction of target: printed
    '≥9O%', corrected to '≥90%' by 李明 on 2024-05-06T08:00:00+00:00`."""
    return (f"{REVIEW_NOTE} of {c.field}: printed {printed or ''!r}, corrected to "
            f"{c.after!r} by {c.who} on {c.when}")


def _apply_to_header(tables: list[TableRecord], c: CorrectionRecord) -> list[CheckRecord]:
    matches = [t for t in tables if t.locator == c.locator]
    matches.sort(key=lambda t: t.table_id != c.table_id)
    if not matches:
        return [_lost(tables, c)]
    table = matches[0]
    value = header_number(c.after) if c.field in HEADER_NUMBERS else c.after
    setattr(table, c.field, value)
    printed = None
    for f in table.fields:
        if f.field == c.field:
            printed = f.raw
            f.value = c.after if value is None else _as_text(value)
    return [_check(table, c, HEADER_RULE, "info", None, "表头字段已由审核人更正",
                   "a header field corrected by the reviewer",
                   f"{c.field}: printed {printed or ''!r}, corrected to {c.after!r} by {c.who} "
                   f"on {c.when}")]


def _as_text(value: float | str) -> str:
    """As `fields.value` holds numbers: plain decimals, no trailing zeros."""
    return value if isinstance(value, str) else f"{value:f}".rstrip("0").rstrip(".")


def _lost(tables: list[TableRecord], c: CorrectionRecord) -> CheckRecord:
    table = next((t for t in tables if t.table_id == c.table_id), tables[0])
    what = f"{c.level3}: " if c.level3 else ""
    return _check(table, c, LOST_RULE, "warning", None,
                  "审核人的更正找不到对应的行，未应用",
                  "a reviewer's correction whose row is no longer found; not applied",
                  f"{what}{c.field} {c.before!r} -> {c.after!r} at {c.locator} by {c.who} "
                  f"on {c.when}")


def _check(table: TableRecord, c: CorrectionRecord, rule: str, severity: str, seq: int | None,
           zh: str, en: str, evidence: str) -> CheckRecord:
    return CheckRecord(table_id=table.table_id, year=table.year, seq=seq, rule=rule,
                       severity=severity, message=f"{zh} | {en}", evidence=evidence,
                       locator=c.locator)


def lost_files(corrections: Iterable[CorrectionRecord], shas: Iterable[str | None]) -> list[str]:
    """The paths of corrections made on content no `files` row names any more (the file was
    edited or removed since): one line each, for the run summary."""
    known = set(shas)
    lost: dict[str, int] = {}
    for c in corrections:
        if c.sha256 not in known:
            lost[c.source_path] = lost.get(c.source_path, 0) + 1
    return [f"{path}: {n} review correction{'s' if n > 1 else ''} of content no longer in the "
            "output (the file changed?); not applied" for path, n in sorted(lost.items())]


def compared_as_corrected(tables: list[TableRecord], outdir: Path) -> list[TableRecord]:
    """For a comparison (`perftab diff`): OUTDIR's corrected text in the printed columns too,
    so a corrected target or 三级 is compared and shown as corrected."""
    corrections = read_corrections(outdir)
    columns = {"target": "target_raw", "level1": "level1", "level2": "level2", "level3": "level3"}
    by_key = {(c.sha256[:16], c.locator, c.field): c for c in corrections if c.field in columns}
    for table in tables:
        for i, row in enumerate(table.indicators):
            for name, column in columns.items():
                c = by_key.get((table.table_id[:16], row.locator, name))
                if c is not None:
                    corrected: dict[str, Any] = {column: c.after}
                    row = replace(row, **corrected)
            table.indicators[i] = row
    return tables

