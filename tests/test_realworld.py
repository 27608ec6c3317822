"""Every real published table of the development set (tests/data/realworld) comes out whole:
header fields and every indicator's 一级/二级/三级 and target, compared with the truth the
publishers' pages give, from the DOCX and from the PDF.

Strings are compared as the truth's README says: after NFKC, Traditional -> Simplified and with
white space removed. Only annual rows count (the truth holds the 年度 targets), and in per-place
tables the first place's rows (the truth's target is the first place's value).
"""

import importlib.util
import json
import re

import pytest
from conftest import DATA

from perftab.pipeline import extract_file

REALWORLD = DATA / "realworld"
MANIFEST = json.loads((REALWORLD / "manifest.json").read_text(encoding="utf-8"))
META = ("project_name", "department", "implementing_unit", "project_source", "period",
        "funds_total_wan", "funds_fiscal_wan", "funds_other_wan", "annual_goal")
FIRST_NUMBER = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")


def _scorer():
    """The development set's own scorer: its `norm` (NFKC, Traditional -> Simplified, no white
    space) and `uncode` (no budget code before a unit's name) are how its truth is compared."""
    spec = importlib.util.spec_from_file_location("realworld_score", REALWORLD / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCORE = _scorer()
norm = SCORE.norm


def amount(value) -> float | None:
    """The first number printed ("10000万元", "一般公共预算安排77300万元"), in 万元 as printed."""
    match = FIRST_NUMBER.search(norm(value))
    return float(match.group(0).replace(",", "")) if match else None


def same_field(name: str, got, want) -> bool:
    if name.startswith("funds"):
        return amount(got) is not None and amount(got) == amount(want)
    if name in ("department", "implementing_unit"):
        return SCORE.uncode(got) == SCORE.uncode(want)
    return norm(got) == norm(want)


def truth_rows(table: dict) -> list[tuple]:
    return sorted(
        (norm(i["level1"]), norm(i["level2"]), norm(i["level3"]), norm(i["target_raw"]))
        for i in table["indicators"]
        if norm(i["target_raw"])
    )


def extracted_rows(table) -> list[tuple]:
    places = [i.place for i in table.indicators if i.place]
    first_place = places[0] if places else None
    return sorted(
        (norm(i.level1), norm(i.level2), norm(i.level3), norm(i.target_raw))
        for i in table.indicators
        if i.horizon == "annual" and i.place in (None, first_place) and norm(i.target_raw)
    )


def documents(layout: str) -> list:
    out = []
    for name, info in sorted(MANIFEST.items()):
        if info["layout"] != layout:
            continue
        out.append(pytest.param(name, info["truth"], id=name))
    return out


def compare(result, truth_path: str) -> tuple[dict, list, list]:
    """A file's one table against its truth: the header fields that differ (got, truth), and
    the rows extracted and the truth's rows."""
    truth = json.loads((REALWORLD / truth_path).read_text(encoding="utf-8"))
    assert (result.status, result.n_tables) == ("ok", 1), result.error
    (table,) = result.tables
    wrong = {
        field: (getattr(table, field), truth["meta"][field])
        for field in META
        if truth["meta"].get(field) not in (None, "")
        and not same_field(field, getattr(table, field), truth["meta"][field])
    }
    return wrong, extracted_rows(table), truth_rows(truth)


@pytest.mark.parametrize(("name", "truth_path"), documents("docx") + documents("pdf"))
def test_real_table_comes_out_whole(name, truth_path):
    wrong, got, want = compare(extract_file(REALWORLD / "docs" / name), truth_path)
    assert wrong == {}
    assert got == want


@pytest.mark.parametrize(("name", "truth_path"), documents("docx") + documents("pdf"))
def test_every_real_row_keeps_its_provenance(name, truth_path):
    result = extract_file(REALWORLD / "docs" / name)
    for table in result.tables:
        assert table.indicators, table.warnings
        for ind in table.indicators:
            assert ind.locator
            assert ind.level3_clean or not ind.level3
