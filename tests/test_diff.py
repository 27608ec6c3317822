"""perftab diff: OLD is the DOCX sample as extracted; NEW is the same data edited the way a next
year's tables differ (targets raised and lowered, a unit changed, an indicator dropped and one
added, a project renamed, one removed and one added), written back as an extract output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, SAMPLES

from normalize.records import IndicatorRecord
from normalize.targets import parse_target
from perftab.cli import main
from perftab.diff import compare_targets, normalize_name

DOCX = SAMPLES / "docx" / "huoshan-2023.docx"

# --------------------------------------------------------------------------- the next year

RENAMED = {  # OLD project name -> NEW
    "业务费": "2024年度业务费",  # a year token: still an exact match
    "大厅工作人员考勤考核奖": "大厅工作人员考勤考核奖励",  # a fuzzy match
}
DROPPED_PROJECT = "全县电子政务外网专线费用"
NEW_TARGETS = {  # (project as in OLD, level3) -> target printed in NEW
    ("业务费", "云中心各类视频共享路数"): "≥3500件",           # ≥ raised: tightened
    ("业务费", "各类数据归集率"): "不低于90%",                  # same target in words: unchanged
    ("大厅工作人员考勤考核奖", "奖补准确率"): "95%",             # = target: changed
    ("新办企业服务费", "公章刻制及邮件费"): "≤70万元",          # ≤ raised: loosened
    ("新办企业服务费", "营商环境"): "持续优化",                  # other text: changed
    ("新办企业服务费", "邮递速度"): "≤1天",                     # text -> number: incomparable
    ("安康码建设", "搭建应用场景数"): "≥2项",                    # other unit: incomparable
    ("安康码建设", "安康码热线接听时间"): "≤24小时",             # other operator: changed
}
RENAMED_INDICATOR = ("业务费", "政务网运行覆盖率", "政务外网运行覆盖率")
DROPPED_INDICATOR = ("安康码建设", "疫情防控安全性")
ADDED_INDICATOR = (  # after (project, level3): (levels, target)
    ("安康码建设", "搭建应用场景数"), (("产出指标", "数量指标", "安康码核验点位数"), "≥50个")
)
ADDED_PROJECT = ("政务服务好差评系统运维", 20.0, [
    (("产出指标", "数量指标", "好差评系统覆盖率"), "100%"),
    (("满意度指标", "服务对象满意度指标", "办事群众满意度"), "≥95%"),
])
FUNDS = {"大厅工作人员考勤考核奖": 80.0}  # OLD 74.4


def indicator(table_id: str, seq: int, levels: tuple[str, str, str], raw: str) -> dict:
    row = {
        "table_id": table_id, "year": 2024, "seq": seq, "level1": levels[0], "level2": levels[1],
        "level3": levels[2], "level1_std": levels[0], "level2_std": levels[1],
        "page": None, "x0": None, "top": None, "x1": None, "bottom": None,
        "locator": f"made by {Path(__file__).name}", "repairs": [], "warnings": [],
    }
    return retarget(row, raw)


def retarget(row: dict, raw: str) -> dict:
    target = parse_target(raw)
    return {
        **row, "target_raw": raw, "op": target.op, "value": target.value,
        "value_max": target.value_max, "unit": target.unit, "qualitative": target.qualitative,
        "target_kind": target.kind,
    }


def next_year_indicators(rows: list[dict], name_of: dict[str, str]) -> list[dict]:
    """The edits to the indicators, each named by (OLD project name, level3)."""
    edited = []
    for row in rows:
        key = (name_of[row["table_id"]], row["level3"])
        if key == DROPPED_INDICATOR:
            continue
        if key in NEW_TARGETS:
            row = retarget(row, NEW_TARGETS[key])
        if key == RENAMED_INDICATOR[:2]:
            row = {**row, "level3": RENAMED_INDICATOR[2]}
        edited.append(row)
        if key == ADDED_INDICATOR[0]:
            edited.append(indicator(row["table_id"], 0, *ADDED_INDICATOR[1]))
    return edited


def write_next_year(old: Path, new: Path) -> None:
    tables = pq.read_table(old / "tables.parquet").to_pylist()
    indicators = pq.read_table(old / "indicators.parquet").to_pylist()
    name_of = {t["table_id"]: t["project_name"] for t in tables}
    indicators = next_year_indicators(indicators, name_of)

    tables = [t for t in tables if t["project_name"] != DROPPED_PROJECT]
    template = tables[0]
    added_id = template["table_id"][:-3] + "t99"
    name, funds, added_rows = ADDED_PROJECT
    tables.append({**template, "table_id": added_id, "project_name": name,
                   "funds_total_wan": funds, "funds_fiscal_wan": funds})
    indicators += [indicator(added_id, 0, levels, raw) for levels, raw in added_rows]

    kept = {t["table_id"] for t in tables}
    indicators = [i for i in indicators if i["table_id"] in kept]
    for table in tables:
        old_name = table["project_name"]
        table.update(year=2024, project_name=RENAMED.get(old_name, old_name),
                     funds_total_wan=FUNDS.get(old_name, table["funds_total_wan"]))
        own = [i for i in indicators if i["table_id"] == table["table_id"]]
        for seq, row in enumerate(own, 1):
            row.update(seq=seq, year=2024)
        table["n_indicators"] = len(own)
    # NEW table ids differ from OLD ones, as another file's hash makes them
    for row in [*tables, *indicators]:
        row["table_id"] = "2024" + row["table_id"][4:]
    new.mkdir(parents=True)
    for name, rows in (("tables", tables), ("indicators", indicators)):
        schema = pq.read_schema(old / f"{name}.parquet")
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), new / f"{name}.parquet")


@pytest.fixture(scope="module")
def years(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("years")
    old, new = base / "2023", base / "2024"
    assert main(["extract", str(DOCX), "-o", str(old)]) == 0
    write_next_year(old, new)
    return old, new


def run_diff_rows(old: Path, new: Path, out: Path, *options: str) -> list[dict]:
    assert main(["diff", str(old), str(new), "-o", str(out), *options]) == 0
    return pq.read_table(out / "diff.parquet").to_pylist()


@pytest.fixture(scope="module")
def diff_rows(years, tmp_path_factory) -> list[dict]:
    return run_diff_rows(*years, tmp_path_factory.mktemp("diff"))


# --------------------------------------------------------------------------- expected rows

# project_name, project_name_old, status, match_score, funds old -> new, abs, rel change
PROJECTS = [
    ("2024年度业务费", "业务费", "project_matched", 100.0, 86.0, 86.0, 0.0, 0.0),
    ("大厅工作人员考勤考核奖励", "大厅工作人员考勤考核奖", "project_matched", 95.7,
     74.4, 80.0, 5.6, 0.0753),
    ("新办企业服务费", "新办企业服务费", "project_matched", 100.0, 61.0, 61.0, 0.0, 0.0),
    ("安康码建设", "安康码建设", "project_matched", 100.0, 80.0, 80.0, 0.0, 0.0),
    ("政务服务好差评系统运维", None, "project_added", None, None, 20.0, None, None),
    ("全县电子政务外网专线费用", "全县电子政务外网专线费用", "project_removed", None,
     36.18, None, None, None),
]

# every indicator row that is not an exact unchanged match, outside the removed project:
# project_name, level3, level3_old, level3_score, status, direction, target old -> new, abs, rel
CHANGES = [
    ("2024年度业务费", "云中心各类视频共享路数", "云中心各类视频共享路数", 100.0,
     "changed", "tightened", "≥3000件", "≥3500件", 500.0, 0.1667),
    ("2024年度业务费", "政务外网运行覆盖率", "政务网运行覆盖率", 94.1,
     "unchanged", None, "100%", "100%", 0.0, 0.0),
    ("大厅工作人员考勤考核奖励", "奖补准确率", "奖补准确率", 100.0,
     "changed", "changed", "100%", "95%", -5.0, -0.05),
    ("新办企业服务费", "邮递速度", "邮递速度", 100.0,
     "changed", "incomparable", "当天出件,当天邮递", "≤1天", None, None),
    ("新办企业服务费", "公章刻制及邮件费", "公章刻制及邮件费", 100.0,
     "changed", "loosened", "≤61万元", "≤70万元", 90000.0, 0.1475),
    ("新办企业服务费", "营商环境", "营商环境", 100.0,
     "changed", "changed", "优化", "持续优化", None, None),
    ("安康码建设", "搭建应用场景数", "搭建应用场景数", 100.0,
     "changed", "incomparable", "≥2个", "≥2项", None, None),
    ("安康码建设", "安康码核验点位数", None, None, "added", None, None, "≥50个", None, None),
    ("安康码建设", "安康码热线接听时间", "安康码热线接听时间", 100.0,
     "changed", "changed", "24小时", "≤24小时", 0.0, 0.0),
    ("安康码建设", "疫情防控安全性", "疫情防控安全性", None,
     "removed", None, "安全通行", None, None, None),
    ("政务服务好差评系统运维", "好差评系统覆盖率", None, None,
     "added", None, None, "100%", None, None),
    ("政务服务好差评系统运维", "办事群众满意度", None, None,
     "added", None, None, "≥95%", None, None),
]


def _rounded(value):
    return round(value, 4) if isinstance(value, float) else value


def _project(row: dict) -> tuple:
    names = ("project_name", "project_name_old", "status", "match_score",
             "funds_total_wan_old", "funds_total_wan_new", "abs_change", "rel_change")
    return tuple(_rounded(row[n]) for n in names)


def _change(row: dict) -> tuple:
    names = ("project_name", "level3", "level3_old", "level3_score", "status", "direction",
             "target_raw_old", "target_raw_new", "abs_change", "rel_change")
    return tuple(_rounded(row[n]) for n in names)


def test_project_rows_are_the_expected_ones(diff_rows):
    assert [_project(r) for r in diff_rows if r["row_kind"] == "project"] == PROJECTS


def test_indicator_changes_are_the_expected_ones(diff_rows):
    changes = [
        _change(r) for r in diff_rows
        if r["row_kind"] == "indicator" and r["project_name"] != DROPPED_PROJECT
        and (r["status"] != "unchanged" or r["level3_score"] != 100)
    ]
    assert changes == CHANGES


def test_removed_project_lists_every_old_indicator_as_removed(years, diff_rows):
    old_targets = [
        i["target_raw"] for i in pq.read_table(years[0] / "indicators.parquet").to_pylist()
        if i["table_id"].endswith("-t04")
    ]
    rows = [r for r in diff_rows
            if r["row_kind"] == "indicator" and r["project_name"] == DROPPED_PROJECT]
    assert [r["status"] for r in rows] == ["removed"] * 12
    assert [r["target_raw_old"] for r in rows] == old_targets


# --------------------------------------------------------------------------- invariants


def _indicator_ids(folder: Path) -> list[tuple[str, int]]:
    rows = pq.read_table(folder / "indicators.parquet").to_pylist()
    return [(r["table_id"], r["seq"]) for r in rows]


@pytest.mark.parametrize(
    ("side", "statuses"),
    [("old", {"unchanged", "changed", "removed"}), ("new", {"unchanged", "changed", "added"})],
)
def test_every_indicator_appears_exactly_once(years, diff_rows, side, statuses):
    folder = years[0] if side == "old" else years[1]
    seen = [
        (r[f"table_id_{side}"], r[f"seq_{side}"]) for r in diff_rows
        if r["row_kind"] == "indicator" and r[f"seq_{side}"] is not None
    ]
    assert sorted(seen) == sorted(_indicator_ids(folder))
    assert {r["status"] for r in diff_rows if r[f"seq_{side}"] is not None} <= statuses


def test_only_changed_indicators_have_a_direction(diff_rows):
    for row in diff_rows:
        if row["row_kind"] == "indicator" and row["status"] == "changed":
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
    assert text.startswith('"row_kind","status","direction","department","project_name"')
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
wrote: {out}
"""


def test_cli_writes_the_diff_and_prints_a_summary(years, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["diff", *map(str, years), "-o", str(out)]) == 0
    assert capsys.readouterr().out == SUMMARY.format(out=out / "diff.parquet")
    assert (out / "diff.parquet").is_file()


def test_old_folder_without_indicators_is_a_usage_error(years, tmp_path, capsys):
    old = tmp_path / "2023"
    old.mkdir()
    shutil.copy(years[0] / "tables.parquet", old)
    assert main(["diff", str(old), str(years[1]), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"perftab: {old}: no indicators.parquet or indicators.csv in it; "
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
    (old / "indicators.parquet").write_text("not parquet", encoding="utf-8")
    assert main(["diff", str(old), str(years[1]), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"perftab: {old / 'indicators.parquet'}: cannot be read as parquet (")


def test_diff_has_help_with_an_example(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["diff", "--help"])
    assert exc.value.code == 0
    assert "perftab diff" in capsys.readouterr().out.split("example:")[1]


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
    fields = retarget({}, raw)
    return IndicatorRecord(
        table_id="t", year=None, seq=1, level1="", level2="", level3="", level1_std=None,
        level2_std=None, **fields, page=None, x0=None, top=None, x1=None, bottom=None,
        locator="",
    )


@pytest.mark.parametrize(
    ("old", "new", "status", "direction"),
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
def test_compare_targets(old, new, status, direction):
    assert compare_targets(_record(old), _record(new)) == (status, direction)

