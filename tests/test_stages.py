"""normalize/ as a chain of stages: a grid enters each stage module once, from the driver
(normalize/table.py), and each stage's record stays as that stage made it."""

import sys
from collections import Counter

import pytest
from conftest import SAMPLES

from perftab.extract import document_to_grids
from perftab.normalize.rows import layout_to_block_rows
from perftab.normalize.table import read_grids

PACKAGE = "perftab.normalize."
DRIVER = PACKAGE + "table"
# the leaves (vocabulary, text, targets, records, stage_records) may be called from anywhere
STAGES = ("columns", "header", "rows", "loose", "joins", "levels", "tree", "assemble")


def _grids(path):
    return document_to_grids(path).grids


def _entries(grids) -> tuple[Counter, set[str], list]:
    """How often each stage module was entered from outside it, who entered the stages, and
    the readings made."""
    entered: Counter = Counter()
    callers: set[str] = set()

    def profile(frame, event, arg):
        callee = frame.f_globals.get("__name__", "")
        if event != "call" or not callee.startswith(PACKAGE) or frame.f_code.co_name[0] == "<":
            return
        caller = frame.f_back.f_globals.get("__name__", "") if frame.f_back else ""
        module = callee.removeprefix(PACKAGE)
        if caller != callee and module in STAGES:
            entered[module] += 1
            callers.add(caller)

    sys.setprofile(profile)
    try:
        readings = read_grids(grids, "0" * 64)
    finally:
        sys.setprofile(None)
    return entered, callers, readings


@pytest.mark.parametrize("path", [
    SAMPLES / "pdf" / "huoshan-2023.pdf",  # ruled, rows split by page breaks
    SAMPLES / "html" / "huoshan-2023-spans-lost.html",  # loose: cells slid out of columns
    SAMPLES / "tree" / "tree-indent.pdf",  # one grid, two tables
])
def test_each_stage_module_is_entered_once_per_grid_by_the_driver(path):
    grids = _grids(path)
    entered, callers, readings = _entries(grids)
    blocks = sum(r.layout.columns is not None for r in readings)
    trees = sum(r.layout.tree is not None for r in readings)
    assert callers == {DRIVER}
    expected = {"columns": len(grids), "header": len(grids), "assemble": len(grids),
                "rows": blocks, "loose": blocks, "joins": blocks, "levels": blocks,
                "tree": trees}
    assert dict(entered) == {module: n for module, n in expected.items() if n}


@pytest.fixture(scope="module")
def readings():
    return read_grids(_grids(SAMPLES / "pdf" / "huoshan-2023.pdf"), "0" * 64)


def test_every_stage_record_is_kept(readings):
    first = readings[0]
    assert first.layout.columns is not None and first.layout.columns.header_row == 7
    assert first.header.rows == range(7)
    assert first.header.values["project_name"] == first.tables[0].project_name
    assert first.block_rows is not None and first.rows is not None and first.levels is not None
    kept = {row.index for block in first.rows.blocks for row in block.rows}
    read = {row.index for block in first.block_rows.blocks for row in block.rows}
    assert kept < read  # lines holding no indicator dropped, split rows joined


def test_the_levels_are_the_indicators_in_order(readings):
    for reading in readings:
        assert reading.levels is not None
        (table,) = reading.tables
        assert [(i.horizon, i.place, i.level3) for i in table.indicators] == [
            (horizon, place, entry.level3) for horizon, place, entry in reading.levels.entries
        ]


def test_a_later_stage_does_not_change_an_earlier_stage_record(readings):
    """The joins copy the rows they join: a row split by a page break is still two rows in the
    block rows, as the grid printed them."""
    for reading in readings:
        again = layout_to_block_rows(reading.layout)
        assert reading.block_rows == again
    joined = [r for reading in readings for b in reading.rows.blocks for r in b.rows
              if any(note.startswith("row joined across page break") for note in r.repairs)]
    assert joined  # the sample has such a row: the test above compared a joined block
