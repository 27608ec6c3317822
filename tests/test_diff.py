"""perftab diff on the planted next year of tests/diff_fixtures.py: the rows it writes, their
invariants, the CLI, and the rules that classify a changed target."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ROOT, SAMPLES
from diff_fixtures import (
    CHANGES,
    DOCX,
    DROPPED_PROJECT,
    PROJECTS,
    edited_tables,
    make_years,
    one_folder,
    retarget,
)

from perftab.cli import main
from perftab.diff import compare_targets, indicator_key, normalize_name
from perftab.normalize.records import IndicatorRecord


@pytest.fixture(scope="module")
def years(tmp_path_factory) -> tuple[Path, Path]:
    return make_years(tmp_path_factory.mktemp("years"))


def run_diff_rows(old: Path, new: Path, out: Path, *options: str) -> list[dict]:
    assert main(["diff", str(old), str(new), "-o", str(out), *options]) == 0
    return pq.read_table(out / "diff.parquet").to_pylist()


@pytest.fixture(scope="module")
def diff_rows(years, tmp_path_factory) -> list[dict]:
    return run_diff_rows(*years, tmp_path_factory.mktemp("diff"))


# --------------------------------------------------------------------------- expected rows
# PROJECTS and CHANGES (tests/diff_fixtures.py) list them in these columns


def _rounded(value):
    return round(value, 4) if isinstance(value, float) else value


def _project(row: dict) -> tuple:
    names = ("project_name", "project_name_old", "change", "match_score",
             "old_funds_total_wan", "new_funds_total_wan", "delta", "delta_pct")
    return tuple(_rounded(row[n]) for n in names)


def _change(row: dict) -> tuple:
    names = ("project_name", "level3", "level3_old", "level3_score", "change", "direction",
             "old_target_raw", "new_target_raw", "delta", "delta_pct")
    return tuple(_rounded(row[n]) for n in names)


def test_project_rows_are_the_expected_ones(diff_rows):
    assert [_project(r) for r in diff_rows if r["row_kind"] == "project"] == PROJECTS


def test_indicator_changes_are_the_expected_ones(diff_rows):
    changes = [
        _change(r) for r in diff_rows
        if r["row_kind"] == "indicator" and r["project_name"] != DROPPED_PROJECT
        and (r["change"] != "unchanged" or r["level3_score"] != 100)
    ]
    assert changes == CHANGES


def test_removed_project_lists_every_old_indicator_as_removed(years, diff_rows):
    old_targets = [
        i["target_raw"] for i in pq.read_table(years[0] / "indicators.parquet").to_pylist()
        if i["table_id"].endswith("-t04")
    ]
    rows = [r for r in diff_rows
            if r["row_kind"] == "indicator" and r["project_name"] == DROPPED_PROJECT]
    assert [r["change"] for r in rows] == ["removed"] * 12
    assert [r["old_target_raw"] for r in rows] == old_targets


# --------------------------------------------------------------------------- invariants


def _indicator_ids(folder: Path) -> list[tuple[str, int]]:
    rows = pq.read_table(folder / "indicators.parquet").to_pylist()
    return [(r["table_id"], r["seq"]) for r in rows]


@pytest.mark.parametrize(
    ("side", "changes"),
    [("old", {"unchanged", "changed", "removed"}), ("new", {"unchanged", "changed", "added"})],
)
def test_every_indicator_appears_exactly_once(years, diff_rows, side, changes):
    folder = years[0] if side == "old" else years[1]
    seen = [
        (r[f"{side}_table_id"], r[f"{side}_seq"]) for r in diff_rows
        if r["row_kind"] == "indicator" and r[f"{side}_seq"] is not None
    ]
    assert sorted(seen) == sorted(_indicator_ids(folder))
    assert {r["change"] for r in diff_rows if r[f"{side}_seq"] is not None} <= changes


def test_source_path_and_page_come_from_tables_and_indicators(tmp_path):
    # the PDF sample has pages; diffed against itself every row has both sides
    pdf = SAMPLES / "pdf" / "huoshan-2023.pdf"
    assert main(["extract", str(pdf), "-o", str(tmp_path / "x")]) == 0
    tables = {t["table_id"]: t for t in pq.read_table(tmp_path / "x/tables.parquet").to_pylist()}
    pages = {(i["table_id"], i["seq"]): i["page"]
             for i in pq.read_table(tmp_path / "x/indicators.parquet").to_pylist()}
    rows = run_diff_rows(tmp_path / "x", tmp_path / "x", tmp_path / "out")
    for row in rows:
        for side in ("old", "new"):
            table = tables[row[f"{side}_table_id"]]
            assert row[f"{side}_source_path"] == table["source_path"] == str(pdf)
            expected = (table["page_first"] if row["row_kind"] == "project"
                        else pages[row[f"{side}_table_id"], row[f"{side}_seq"]])
            assert row[f"{side}_page"] == expected
    assert {r["old_page"] for r in rows} > {1}


def test_only_changed_indicators_have_a_direction(diff_rows):
    for row in diff_rows:
        if row["row_kind"] == "indicator" and row["change"] == "changed":
            assert row["direction"] in {"tightened", "loosened", "changed", "incomparable"}
        else:
            assert row["direction"] is None, row


def test_the_diff_is_deterministic_and_ignores_row_order(years, diff_rows, tmp_path):
    assert run_diff_rows(*years, tmp_path / "again") == diff_rows
    shuffled = tmp_path / "shuffled"
    shutil.copytree(years[1], shuffled)
    indicators = pq.read_table(shuffled / "indicators.parquet")
    pq.write_table(indicators.take(list(range(len(indicators)))[::-1]),
                   shuffled / "indicators.parquet")
    assert run_diff_rows(years[0], shuffled, tmp_path / "reversed") == diff_rows


def test_csv_outputs_diff_the_same_as_parquet(years, diff_rows, tmp_path):
    old_csv = tmp_path / "2023-csv"
    assert main(["extract", str(DOCX), "-o", str(old_csv), "--format", "csv"]) == 0
    assert run_diff_rows(old_csv, years[1], tmp_path / "out") == diff_rows


def test_csv_format_writes_diff_csv(years, tmp_path, diff_rows):
    assert main(["diff", *map(str, years), "-o", str(tmp_path), "--format", "csv"]) == 0
    text = (tmp_path / "diff.csv").read_text(encoding="utf-8")
    assert text.startswith('"row_kind","change","direction","department","project_name"')
    assert len(text.splitlines()) == 1 + len(diff_rows)
    assert not list(tmp_path.glob(".*.part"))


def test_diff_has_exactly_the_documented_columns(diff_rows):
    doc = (ROOT / "docs" / "diff.md").read_text(encoding="utf-8")
    body = doc.split("## Columns")[1].split("\n## ")[0]
    cells = [line.split("|")[1].strip() for line in body.splitlines() if line.startswith("| ")]
    documented = [name for cell in cells[2:] for name in cell.split(", ")]
    assert list(diff_rows[0]) == documented


# --------------------------------------------------------------------------- the CLI

SUMMARY = """\
projects: 4 matched (1 by a similar name), 1 added, 1 removed
indicators: 66 unchanged, 7 changed, 3 added, 13 removed
directions: 1 tightened, 1 loosened, 3 changed, 2 incomparable
  similar name: 大厅工作人员考勤考核奖 -> 大厅工作人员考勤考核奖励 (95.7)
wrote: {out}, {report}
"""


def test_cli_writes_the_diff_and_prints_a_summary(years, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["diff", *map(str, years), "-o", str(out)]) == 0
    assert capsys.readouterr().out == SUMMARY.format(
        out=out / "diff.parquet", report=out / "diff.html"
    )
    assert (out / "diff.parquet").is_file()
    assert (out / "diff.html").is_file()


def test_old_folder_without_indicators_is_a_usage_error(years, tmp_path, capsys):
    old = tmp_path / "2023"
    old.mkdir()
    shutil.copytree(years[0] / "tables.parquet", old / "tables.parquet")
    assert main(["diff", str(old), str(years[1]), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"perftab: {old}: no indicators.parquet, indicators.csv or perftab.xlsx in it; "
        "give a folder written by perftab extract\n"
    )
    assert not (tmp_path / "out").exists()


def test_missing_new_folder_is_a_usage_error(years, tmp_path, capsys):
    new = tmp_path / "2024"
    assert main(["diff", str(years[0]), str(new), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"perftab: {new}: no such folder; give a folder written by perftab extract\n"
    )


def test_unreadable_indicators_file_is_a_usage_error_naming_it(years, tmp_path, capsys):
    old = tmp_path / "2023"
    shutil.copytree(years[0], old)
    shutil.rmtree(old / "indicators.parquet")
    (old / "indicators.parquet").write_text("not parquet", encoding="utf-8")
    assert main(["diff", str(old), str(years[1]), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"perftab: {old / 'indicators.parquet'}: cannot be read (")


def test_diff_has_help_with_an_example(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["diff", "--help"])
    assert exc.value.code == 0
    assert "perftab diff" in capsys.readouterr().out.split("example:")[1]


# --------------------------------------------------------------------------- years of one folder


@pytest.fixture(scope="module")
def warehouse(years, tmp_path_factory) -> Path:
    """Both years in one output folder."""
    return one_folder(*years, tmp_path_factory.mktemp("warehouse") / "out")


def test_one_folder_of_two_years_pairs_every_project(warehouse, diff_rows, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["diff", str(warehouse), "--old-year", "2023", "--new-year", "2024",
                 "-o", str(out)]) == 0
    printed = capsys.readouterr()
    assert printed.err == ""
    assert printed.out == SUMMARY.format(out=out / "diff.parquet", report=out / "diff.html")
    assert pq.read_table(out / "diff.parquet").to_pylist() == diff_rows


def test_diff_writes_to_diff_in_the_current_folder_by_default(warehouse, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["diff", str(warehouse), "--old-year", "2023", "--new-year", "2024"]) == 0
    assert sorted(p.name for p in (tmp_path / "diff").iterdir()) == ["diff.html", "diff.parquet"]


def test_a_folder_of_several_years_is_a_warning(warehouse, years, tmp_path, capsys):
    assert main(["diff", str(warehouse), str(years[1]), "-o", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().err == (
        f"perftab: warning: OLD {warehouse} holds tables of several years (2023, 2024): a "
        "project of one year may be paired with, or reported missing from, another; choose one "
        "with --old-year\n"
        "perftab: warning: OLD (2023, 2024) is not earlier than NEW (2024): tightened and "
        "loosened are read from OLD to NEW; if the sides are swapped, swap them back (OLD is the "
        "earlier year)\n"
    )


def test_several_years_on_the_new_side_too(warehouse, years, tmp_path, capsys):
    assert main(["diff", str(years[0]), str(warehouse), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert err.startswith(
        f"perftab: warning: NEW {warehouse} holds tables of several years (2023, 2024): "
    )
    assert err.endswith("choose one with --new-year\n" + (
        "perftab: warning: OLD (2023) is not earlier than NEW (2023, 2024): tightened and "
        "loosened are read from OLD to NEW; if the sides are swapped, swap them back (OLD is the "
        "earlier year)\n"))


def test_swapped_sides_are_a_warning(years, tmp_path, capsys):
    rows = run_diff_rows(years[1], years[0], tmp_path / "out")
    assert capsys.readouterr().err == (
        "perftab: warning: OLD (2024) is not earlier than NEW (2023): tightened and loosened "
        "are read from OLD to NEW; if the sides are swapped, swap them back (OLD is the earlier "
        "year)\n"
    )
    # what the warning is about: the same pair, read the other way, flips its direction
    flipped = [r["direction"] for r in rows if r["level3"] == "云中心各类视频共享路数"]
    assert flipped == ["loosened"]


def test_years_given_in_order_are_no_warning(years, tmp_path, capsys):
    run_diff_rows(*years, tmp_path / "out")
    assert capsys.readouterr().err == ""


def test_a_year_not_in_the_folder_is_a_usage_error(warehouse, tmp_path, capsys):
    code = main(["diff", str(warehouse), "--old-year", "2022", "--new-year", "2024",
                 "-o", str(tmp_path / "out")])
    assert code == 2
    assert capsys.readouterr().err == (
        f"perftab: {warehouse}: no tables of the year 2022 (--old-year); "
        "the years in it: 2023, 2024\n"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("years_given", "missing"),
    [(["--old-year", "2023"], "--new-year"), ([], "--old-year"), (["--new-year", "2024"],
                                                                    "--old-year")],
)
def test_one_folder_needs_both_years(warehouse, tmp_path, capsys, years_given, missing):
    assert main(["diff", str(warehouse), *years_given, "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"perftab: {missing}: one folder is compared with itself year against year; give both "
        "--old-year and --new-year (or a second folder NEW)\n"
    )


def test_tables_without_a_year_are_left_out_with_a_warning(years, tmp_path, capsys):
    no_year = edited_tables(years[0], tmp_path / "no-year", lambda t: {**t, "year": None})
    folder = one_folder(no_year, years[1], tmp_path / "both")
    rows = run_diff_rows(folder, years[1], tmp_path / "out", "--new-year", "2024")
    assert capsys.readouterr().err.startswith(
        f"perftab: warning: OLD {folder} holds tables of several years (2024, no year): "
    )
    assert main(["diff", str(folder), "--old-year", "2024", "--new-year", "2024",
                 "-o", str(tmp_path / "out2")]) == 0
    assert capsys.readouterr().err == (
        f"perftab: warning: OLD {folder}: 5 table(s) without a year are left out "
        "(--old-year 2024 picks tables by their year column)\n"
        f"perftab: warning: NEW {folder}: 5 table(s) without a year are left out "
        "(--new-year 2024 picks tables by their year column)\n"
        "perftab: warning: OLD (2024) is not earlier than NEW (2024): tightened and loosened "
        "are read from OLD to NEW; if the sides are swapped, swap them back (OLD is the earlier "
        "year)\n"
    )
    # what the first warning is about: NEW's projects pair with themselves, OLD's are "removed"
    assert {r["change"] for r in rows if r["row_kind"] == "project"} == {
        "project_matched", "project_removed"}


# --------------------------------------------------------------------------- departments


def _renamed_department(name: str | None, code: str | None):
    def edit(table: dict) -> dict:
        return {**table, "department": name, "department_code": code}
    return edit


def _projects(rows: list[dict]) -> list[tuple]:
    return [(r["project_name"], r["change"], r["match_by"], r["department_match"])
            for r in rows if r["row_kind"] == "project"]


PAIRED = [  # project_name, change, match_by, department_match
    ("2024年度业务费", "project_matched", "name", "{how}"),
    ("大厅工作人员考勤考核奖励", "project_matched", "similar", "{how}"),
    ("新办企业服务费", "project_matched", "name", "{how}"),
    ("安康码建设", "project_matched", "name", "{how}"),
    ("政务服务好差评系统运维", "project_added", None, None),
    ("全县电子政务外网专线费用", "project_removed", None, None),
]


def _paired(how: str) -> list[tuple]:
    return [(*row[:3], row[3] and row[3].format(how=how)) for row in PAIRED]


def test_departments_pair_by_code_first(diff_rows):
    assert _projects(diff_rows) == _paired("code")
    matched = [r for r in diff_rows if r["change"] == "project_matched"]
    assert {(r["department"], r["department_code"], r["department_old"],
             r["department_code_old"]) for r in matched} == {
        ("霍山县数据资源管理局", "010", "霍山县数据资源管理局", "010")}


def test_a_renamed_department_pairs_by_its_code(years, tmp_path):
    # an unlike name: only the code can pair it
    new = edited_tables(years[1], tmp_path / "2024", _renamed_department("县政务服务中心", "010"))
    rows = run_diff_rows(years[0], new, tmp_path / "out")
    assert _projects(rows) == _paired("code")
    row = next(r for r in rows if r["project_name"] == "安康码建设")
    assert (row["department"], row["department_old"], row["department_code"]) == (
        "县政务服务中心", "霍山县数据资源管理局", "010")


def test_departments_without_a_code_pair_by_name(years, tmp_path):
    no_code = _renamed_department("霍山县数据资源管理局", None)
    old = edited_tables(years[0], tmp_path / "2023", no_code)
    new = edited_tables(years[1], tmp_path / "2024", no_code)
    assert _projects(run_diff_rows(old, new, tmp_path / "out")) == _paired("name")


def test_a_department_with_a_similar_name_and_no_code_pairs_by_the_name(years, tmp_path):
    new = edited_tables(years[1], tmp_path / "2024", _renamed_department("霍山县数据资源局", None))
    assert _projects(run_diff_rows(years[0], new, tmp_path / "out")) == _paired("similar")


def test_another_code_is_another_department_even_with_the_name(years, tmp_path):
    # the code pairs first; a department whose code and name both differ pairs nothing
    new = edited_tables(years[1], tmp_path / "2024", _renamed_department("县政务服务中心", "011"))
    rows = run_diff_rows(years[0], new, tmp_path / "out")
    changes = [r["change"] for r in rows if r["row_kind"] == "project"]
    assert changes == ["project_added"] * 5 + ["project_removed"] * 5


# --------------------------------------------------------------------------- the mapping file

MAPPING_CSV = """kind,old,new
department,霍山县数据资源管理局,县政务服务中心
project,新办企业服务费,企业开办全程代办
"""


def _renamed_everything(table: dict) -> dict:
    name = {"新办企业服务费": "企业开办全程代办"}.get(table["project_name"], table["project_name"])
    return {**table, "department": "县政务服务中心", "department_code": "011", "project_name": name}


@pytest.fixture(scope="module")
def renamed(years, tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("renamed")
    return edited_tables(years[1], base / "2024", _renamed_everything)


def test_without_a_mapping_renamed_names_pair_nothing(years, renamed, tmp_path):
    rows = run_diff_rows(years[0], renamed, tmp_path / "out")
    assert {r["change"] for r in rows if r["row_kind"] == "project"} == {
        "project_added", "project_removed"}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("mapping.csv", MAPPING_CSV),
        ("mapping-excel.csv", "\ufeff" + MAPPING_CSV.replace("\n", "\r\n")),
        ("mapping.json", '{"departments": {"霍山县数据资源管理局": "县政务服务中心"}, '
                         '"projects": {"新办企业服务费": "企业开办全程代办"}}'),
    ],
)
def test_a_mapping_file_pairs_renamed_departments_and_projects(
    years, renamed, tmp_path, capsys, name, text
):
    mapping = tmp_path / name
    mapping.write_text(text, encoding="utf-8")
    rows = run_diff_rows(years[0], renamed, tmp_path / "out", "--mapping", str(mapping))
    assert capsys.readouterr().err == ""
    assert _projects(rows) == [
        ("2024年度业务费", "project_matched", "name", "mapping"),
        ("大厅工作人员考勤考核奖励", "project_matched", "similar", "mapping"),
        ("企业开办全程代办", "project_matched", "mapping", "mapping"),
        ("安康码建设", "project_matched", "name", "mapping"),
        ("政务服务好差评系统运维", "project_added", None, None),
        ("全县电子政务外网专线费用", "project_removed", None, None),
    ]
    mapped = next(r for r in rows if r["match_by"] == "mapping")
    assert (mapped["project_name_old"], mapped["match_score"]) == ("新办企业服务费", 100.0)


def test_a_mapping_entry_that_names_nothing_is_a_warning(years, tmp_path, capsys):
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("kind,old,new\nproject,夜间值班补助,夜间值班补助经费\n"
                       "project,业务费,2024年度业务费\n", encoding="utf-8")
    run_diff_rows(*years, tmp_path / "out", "--mapping", str(mapping))
    assert capsys.readouterr().err == (
        f"perftab: warning: {mapping}: project '夜间值班补助' -> '夜间值班补助经费' is not "
        "used: no such project in OLD or NEW\n"
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("m.csv", "old,new\na,b\n", "the first line must be the header kind,old,new"),
        ("m.csv", "kind,old,new\nunit,a,b\n", "line 2: kind 'unit' is not department or project"),
        ("m.csv", "kind,old,new\nproject,a\n", "line 2: 2 cells, not 3 (kind,old,new)"),
        ("m.csv", "kind,old,new\nproject,,b\n", "line 2: an old and a new name are needed"),
        ("m.json", '["a"]', 'expected {"departments": {…}, "projects": {…}}'),
        ("m.json", '{"projects": ["a"]}', "projects: expected an object of OLD name: NEW name"),
        ("m.json", "{", "not JSON (Expecting property name enclosed in double quotes: "
                        "line 1 column 2 (char 1))"),
    ],
)
def test_a_bad_mapping_file_is_a_usage_error_naming_it(years, tmp_path, capsys, name, text,
                                                        message):
    mapping = tmp_path / name
    mapping.write_text(text, encoding="utf-8")
    code = main(["diff", *map(str, years), "-o", str(tmp_path / "out"), "--mapping", str(mapping)])
    assert code == 2
    assert capsys.readouterr().err == f"perftab: {mapping}: {message}\n"


def test_a_missing_mapping_file_is_a_usage_error(years, tmp_path, capsys):
    mapping = tmp_path / "none.csv"
    code = main(["diff", *map(str, years), "-o", str(tmp_path / "out"), "--mapping", str(mapping)])
    assert code == 2
    assert capsys.readouterr().err.startswith(
        f"perftab: {mapping}: cannot be read as a mapping file ([Errno 2] No such file")


# --------------------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2024年度业务费", "业务费"),
        ("（２０２３年）安康码 建设", "安康码建设"),
        ("政务服务“好差评”系统", "政务服务好差评系统"),
        ("12345热线", "12345热线"),  # a number that is not a year stays
    ],
)
def test_normalize_name(name, expected):
    assert normalize_name(name) == expected


def _record(raw: str) -> IndicatorRecord:
    # every field empty but the target's, so a field added to the record does not break this
    empty = {f.name: None for f in dataclasses.fields(IndicatorRecord)
             if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    return IndicatorRecord(**{**empty, "table_id": "t", "seq": 1, **retarget({}, raw)})


@pytest.mark.parametrize(
    ("old", "new", "change", "direction"),
    [
        # a lower bound
        ("≥3000件", "≥3500件", "changed", "tightened"),
        ("≥90%", "≥85%", "changed", "loosened"),
        (">5次", ">6次", "changed", "tightened"),
        # an upper bound
        ("≤61万元", "≤70万元", "changed", "loosened"),
        ("≤2小时", "≤1小时", "changed", "tightened"),
        ("<3天", "<2天", "changed", "tightened"),
        # no single stricter side
        ("100%", "95%", "changed", "changed"),
        ("1-2天", "1-3天", "changed", "changed"),
        ("24小时", "≤24小时", "changed", "changed"),
        ("≥90%", ">90%", "changed", "changed"),
        ("优化", "持续优化", "changed", "changed"),
        # not comparable
        ("≥2个", "≥2项", "changed", "incomparable"),
        ("效果显著", "≥90%", "changed", "incomparable"),
        ("≥90%", "效果显著", "changed", "incomparable"),
        # the same target
        ("≥90%", "不低于90%", "unchanged", None),
        ("≤61万元", "≤610000元", "unchanged", None),
        ("效果显著", "效果 显著", "unchanged", None),
    ],
)
def test_compare_targets(old, new, change, direction):
    assert compare_targets(_record(old), _record(new)) == (change, direction)



def _printed(level3: str, place: str | None = None) -> IndicatorRecord:
    from perftab.normalize.vocabulary import clean_name

    return IndicatorRecord(
        table_id="t", year=2024, seq=1, horizon="annual", place=place, level1="产出指标(40分)",
        level2="数量指标", level3=level3, level1_std="产出指标", level2_std="数量指标",
        level3_clean=clean_name(level3), target_raw="≥10人", op=">=", value=10.0, value_max=None,
        unit="人", qualitative=False, target_kind="number", nature_raw=None, direction_raw=None,
        unit_raw=None, weight=None, actual_raw=None, actual_op=None, actual_value=None,
        actual_unit=None, score=None, deviation_reason=None, ocr_score=None, confidence=None,
        page=None, x0=None, top=None, x1=None, bottom=None, locator="",
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("培训人数", "指标1：培训人数"),
        ("培训人数（≥**人）", "培训人数"),
        ("★培训人数", "培训人数(10分)"),
    ],
)
def test_indicators_pair_by_the_cleaned_name(old, new):
    assert indicator_key(_printed(old)).exact == indicator_key(_printed(new)).exact


def test_one_places_indicator_never_pairs_with_anothers():
    one, other = _printed("培训人数", "甲村"), _printed("培训人数", "乙村")
    assert indicator_key(one) != indicator_key(other)
