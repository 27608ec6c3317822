"""The planted next year shared by the diff tests: OLD is the DOCX sample as extracted; NEW is
the same data edited the way a next year's tables differ (targets raised and lowered, a unit
changed, an indicator dropped and one added, a project renamed, one removed and one added),
written back as an extract output. PROJECTS and CHANGES are what `perftab diff` must find."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from conftest import SAMPLES

from perftab.cli import main
from perftab.normalize.targets import parse_target
from perftab.writers import read_output

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
        "table_id": table_id, "year": 2024, "seq": seq, "horizon": "annual", "level1": levels[0],
        "level2": levels[1], "level3": levels[2], "level1_std": levels[0], "level2_std": levels[1],
        "level3_clean": levels[2], "place": None,
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
            row = {**row, "level3": RENAMED_INDICATOR[2], "level3_clean": RENAMED_INDICATOR[2]}
        edited.append(row)
        if key == ADDED_INDICATOR[0]:
            edited.append(indicator(row["table_id"], 0, *ADDED_INDICATOR[1]))
    return edited


def write_next_year(old: Path, new: Path) -> None:
    tables = read_output(old, "tables").to_pylist()
    indicators = read_output(old, "indicators").to_pylist()
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
        schema = read_output(old, name).schema
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), new / f"{name}.parquet")



def make_years(base: Path) -> tuple[Path, Path]:
    """BASE/2023 (the sample extracted) and BASE/2024 (its planted next year)."""
    old, new = base / "2023", base / "2024"
    assert main(["extract", str(DOCX), "-o", str(old)]) == 0
    write_next_year(old, new)
    return old, new


# --------------------------------------------------------------------------- what diff finds

# project_name, project_name_old, change, match_score, funds old -> new, delta, delta_pct
PROJECTS = [
    ("2024年度业务费", "业务费", "project_matched", 100.0, 86.0, 86.0, 0.0, 0.0),
    ("大厅工作人员考勤考核奖励", "大厅工作人员考勤考核奖", "project_matched", 95.7,
     74.4, 80.0, 5.6, 7.5269),
    ("新办企业服务费", "新办企业服务费", "project_matched", 100.0, 61.0, 61.0, 0.0, 0.0),
    ("安康码建设", "安康码建设", "project_matched", 100.0, 80.0, 80.0, 0.0, 0.0),
    ("政务服务好差评系统运维", None, "project_added", None, None, 20.0, None, None),
    ("全县电子政务外网专线费用", "全县电子政务外网专线费用", "project_removed", None,
     36.18, None, None, None),
]

# every indicator row that is not an exact unchanged match, outside the removed project:
# project_name, level3, level3_old, level3_score, change, direction, target old -> new, delta,
# delta_pct
CHANGES = [
    ("2024年度业务费", "云中心各类视频共享路数", "云中心各类视频共享路数", 100.0,
     "changed", "tightened", "≥3000件", "≥3500件", 500.0, 16.6667),
    ("2024年度业务费", "政务外网运行覆盖率", "政务网运行覆盖率", 94.1,
     "unchanged", None, "100%", "100%", 0.0, 0.0),
    ("大厅工作人员考勤考核奖励", "奖补准确率", "奖补准确率", 100.0,
     "changed", "changed", "100%", "95%", -5.0, -5.0),
    ("新办企业服务费", "邮递速度", "邮递速度", 100.0,
     "changed", "incomparable", "当天出件,当天邮递", "≤1天", None, None),
    ("新办企业服务费", "公章刻制及邮件费", "公章刻制及邮件费", 100.0,
     "changed", "loosened", "≤61万元", "≤70万元", 90000.0, 14.7541),
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



# --------------------------------------------------------------------------- other folders


def one_folder(old: Path, new: Path, folder: Path) -> Path:
    """OLD's and NEW's rows in one output folder, as an archive of both years extracted into
    one OUTDIR holds them: a part per year in each dataset."""
    for name in ("tables", "indicators"):
        dataset = folder / f"{name}.parquet"
        dataset.mkdir(parents=True)
        for side in (old, new):
            pq.write_table(read_output(side, name), dataset / f"part-{side.name}.parquet")
    return folder


def edited_tables(source: Path, folder: Path, edit) -> Path:
    """A copy of the output `source` with each row of its tables passed through `edit`."""
    folder.mkdir(parents=True)
    tables = read_output(source, "tables")
    rows = [edit(dict(row)) for row in tables.to_pylist()]
    pq.write_table(pa.Table.from_pylist(rows, schema=tables.schema), folder / "tables.parquet")
    pq.write_table(read_output(source, "indicators"), folder / "indicators.parquet")
    return folder
