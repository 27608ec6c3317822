"""`perftab check OUTDIR`: the checks of normalize/checks.py run again on an extract output.

    OUTDIR --load_tables--> tables with their indicators and fields
        --check_table--> checks --replace_output--> OUTDIR/checks (.parquet or .csv)

`perftab extract` writes the same rows as it reads each file; this redoes them on an output
written by an older version, or after the rules changed. docs/checks.md describes every rule.
A reviewer's corrections (perftab/corrections.py) are applied first, as extract applies them.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from perftab.normalize.checks import SEVERITIES
from perftab.normalize.records import CheckRecord, FieldRecord, TableRecord

from .corrections import check_corrected, read_corrections
from .diff import DatasetError, load_projects, read_dataset
from .writers import replace_output

__all__ = ["CheckResult", "load_tables", "run_check"]


@dataclass
class CheckResult:
    checks: list[CheckRecord]
    n_tables: int
    output: Path

    def count(self, severity: str) -> int:
        return sum(1 for c in self.checks if c.severity == severity)

    def by_rule(self) -> list[tuple[str, str, int]]:
        """(severity, rule, rows) in order of severity, then of the most rows."""
        counts = Counter((c.severity, c.rule) for c in self.checks)
        order = {s: i for i, s in enumerate(SEVERITIES)}
        ranked = sorted(counts.items(), key=lambda kv: (order[kv[0][0]], -kv[1], kv[0][1]))
        return [(severity, rule, n) for (severity, rule), n in ranked]


def run_check(outdir: Path) -> CheckResult:
    tables = load_tables(outdir)
    check_corrected(tables, read_corrections(outdir))
    output = replace_output(outdir, "checks", tables)
    checks = [c for t in tables for c in t.checks]
    return CheckResult(checks, len(tables), output)


def load_tables(outdir: Path) -> list[TableRecord]:
    """OUTDIR's tables, each with its indicators and the fields that quote its header values
    (an output written before fields were has none: the evidence then gives the values read)."""
    tables = load_projects(outdir)
    try:
        rows = read_dataset(outdir, "fields", FieldRecord)
    except DatasetError:
        return tables
    names = [f.name for f in dataclasses.fields(FieldRecord)]
    by_table = defaultdict(list)
    for row in rows:
        values: dict[str, Any] = {n: row.get(n) for n in names}
        by_table[row["table_id"]].append(FieldRecord(**values))
    for table in tables:
        table.fields = by_table[table.table_id]
    return tables
