"""A reviewer's corrections (perftab/corrections.py): stored one per row and field, applied to
the records of the content they were made on, the printed text kept, a lost row reported.
Records are built here as the pipeline makes them; the end-to-end cases use the DOCX sample."""

from __future__ import annotations

import contextlib
import copy
import threading
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import SAMPLES

from perftab.check import run_check
from perftab.cli import main
from perftab.corrections import (
    CorrectionError,
    CorrectionRecord,
    apply_corrections,
    lost_files,
    read_corrections,
    save_correction,
)
from perftab.normalize.records import FieldRecord, IndicatorRecord, TableRecord
from perftab.normalize.targets import parse_target
from perftab.pipeline import sha256_of
from perftab.writers import read_output

SHA = "ab" * 32
TABLE_ID = f"{SHA[:16]}-t01"
WHEN = "2024-05-06T08:00:00+00:00"


def row(seq: int, level3: str, target: str) -> IndicatorRecord:
    parsed = parse_target(target)
    return IndicatorRecord(
        table_id=TABLE_ID, year=2024, seq=seq, horizon="annual", place=None,
        level1="产出指标", level2="数量指标", level3=level3, level1_std="产出指标",
        level2_std="数量指标", level3_clean=level3, target_raw=target, op=parsed.op,
        value=parsed.value, value_max=parsed.value_max, unit=parsed.unit,
        qualitative=parsed.qualitative, target_kind=parsed.kind, nature_raw=None,
        direction_raw=None, unit_raw=None, weight=None, actual_raw=None, actual_op=None,
        actual_value=None, actual_unit=None, score=None, deviation_reason=None,
        ocr_score=0.61, confidence=0.61, page=1, x0=400.0, top=100.0 + 20 * seq, x1=500.0,
        bottom=118.0 + 20 * seq, locator=f"p1 (400.0,{100 + 20 * seq}.0,500.0,{118 + 20 * seq}.0)",
        repairs=["page 1 deskewed -0.8°"],
    )


def table() -> TableRecord:
    record = TableRecord(
        table_id=TABLE_ID, source_path="scan.pdf", table_index=1, extractor="ocr",
        page_first=1, page_last=1, table_kind="project_target", year=2024, year_source=None,
        title="项目支出绩效目标表", project_name="道路养护", funds_total_wan=12.5,
        locator="p1 (50.0,40.0,545.0,60.0)",
    )
    record.indicators = [row(1, "养护里程", "≥12O公里"), row(2, "巡查次数", "≥4次")]
    record.n_indicators = 2
    record.fields = [
        FieldRecord(TABLE_ID, 2024, "funds_total_wan", "12.5", "12.50", "年度资金总额：", 1,
                    200.0, 70.0, 300.0, 85.0, "p1 (200.0,70.0,300.0,85.0)"),
    ]
    return record


def correction(field: str, after: str | None, seq: int | None = 1, **key) -> CorrectionRecord:
    locator = row(seq, "", "").locator if seq else table().locator
    values = dict(sha256=SHA, source_path="scan.pdf", table_id=TABLE_ID, seq=seq,
                  locator=locator, level3="养护里程" if seq else None, field=field, before=None,
                  after=after, who="王芳", when=WHEN)
    return CorrectionRecord(**{**values, **key})


def test_a_target_correction_parses_the_new_text_and_keeps_the_printed_one():
    tables = [table()]
    assert apply_corrections(tables, [correction("target", "≥120公里")]) == []
    corrected = tables[0].indicators[0]
    assert (corrected.target_raw, corrected.op, corrected.value, corrected.unit,
            corrected.qualitative, corrected.target_kind) == (
        "≥12O公里", ">=", 120.0, "公里", False, "number")
    assert corrected.repairs == [
        "page 1 deskewed -0.8°",
        "review correction of target: printed '≥12O公里', corrected to '≥120公里' by 王芳 on "
        "2024-05-06T08:00:00+00:00",
    ]
    assert tables[0].indicators[1] == table().indicators[1]


def test_applying_twice_changes_nothing_more():
    once = [table()]
    corrections = [correction("target", "≥120公里"), correction("level3", "养护总里程")]
    apply_corrections(once, corrections)
    twice = copy.deepcopy(once)
    apply_corrections(twice, corrections)
    assert twice == once


@pytest.mark.parametrize(("field", "after", "column", "expected"), [
    ("level1", "效益指标", "level1_std", "效益指标"),
    ("level2", "质量指标", "level2_std", "质量指标"),
    ("level3", "养护里程（公里）★", "level3_clean", "养护里程(公里)"),
])
def test_a_level_correction_goes_to_its_canonical_column(field, after, column, expected):
    tables = [table()]
    apply_corrections(tables, [correction(field, after)])
    corrected = tables[0].indicators[0]
    assert getattr(corrected, column) == expected
    assert getattr(corrected, field) == getattr(table().indicators[0], field)  # as printed


def test_a_header_correction_sets_the_column_and_the_field_value_and_says_so():
    tables = [table()]
    found = apply_corrections(tables, [correction("funds_total_wan", "125", seq=None)])
    assert tables[0].funds_total_wan == 125.0
    assert [(f.value, f.raw) for f in tables[0].fields] == [("125", "12.50")]
    assert [(c.rule, c.severity, c.seq, c.message, c.evidence) for c in found] == [(
        "review_correction", "info", None,
        "表头字段已由审核人更正 | a header field corrected by the reviewer",
        "funds_total_wan: printed '12.50', corrected to '125' by 王芳 on 2024-05-06T08:00:00+00:00",
    )]


def test_a_row_marked_not_an_indicator_leaves_the_output_with_a_check_row():
    tables = [table()]
    marked = correction("not_indicator", None, seq=2, level3="巡查次数", before="≥4次")
    found = apply_corrections(tables, [marked])
    assert [i.seq for i in tables[0].indicators] == [1]
    assert tables[0].n_indicators == 1
    expected = [("review_not_indicator", "info", 2,
                 "巡查次数: ≥4次 (by 王芳 on 2024-05-06T08:00:00+00:00)")]
    assert [(c.rule, c.severity, c.seq, c.evidence) for c in found] == expected
    # applied again to the output (perftab check): the same report, nothing else taken out
    again = apply_corrections(tables, [marked])
    assert [(c.rule, c.severity, c.seq, c.evidence) for c in again] == expected
    assert [i.seq for i in tables[0].indicators] == [1]


def test_a_correction_whose_row_is_gone_is_reported():
    tables = [table()]
    lost = correction("target", "≥5次", seq=7, level3="巡查次数", before="≥4次")
    found = apply_corrections(tables, [lost])
    assert [(c.table_id, c.rule, c.severity, c.message, c.evidence, c.locator) for c in found] == [(
        TABLE_ID, "review_correction_lost", "warning",
        "审核人的更正找不到对应的行，未应用 | a reviewer's correction whose row is no longer "
        "found; not applied",
        "巡查次数: target '≥4次' -> '≥5次' at p1 (400.0,240.0,500.0,258.0) by 王芳 on "
        "2024-05-06T08:00:00+00:00",
        "p1 (400.0,240.0,500.0,258.0)",
    )]
    assert tables == [table()]


def test_a_correction_of_other_content_is_not_applied_here():
    other = correction("target", "≥1次", sha256="cd" * 32)
    tables = [table()]
    assert apply_corrections(tables, [other]) == []
    assert tables == [table()]


def test_corrections_of_content_no_longer_in_the_output_are_named_in_the_summary():
    corrections = [correction("target", "≥1次"), correction("level3", "x"),
                   correction("target", "≥2次", sha256="cd" * 32, source_path="b.pdf")]
    assert lost_files(corrections, {"cd" * 32}) == [
        "scan.pdf: 2 review corrections of content no longer in the output (the file "
        "changed?); not applied"
    ]


@pytest.mark.parametrize("layout", ["parquet", "csv"])
def test_a_second_correction_of_a_row_and_field_replaces_the_first(tmp_path, layout):
    if layout == "csv":
        (tmp_path / "tables.csv").write_text("table_id\n", encoding="utf-8")
    first = correction("target", "≥100公里", when="2024-05-06T08:00:00+00:00")
    level = correction("level3", "养护总里程")
    second = correction("target", "≥120公里", who="李明", when="2024-05-07T09:00:00+00:00")
    for c in (first, level, second):
        save_correction(tmp_path, c)
    assert read_corrections(tmp_path) == [level, second]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["corrections.parquet"] if layout == "parquet"
        else ["tables.csv", "corrections.csv", "corrections.csv-metadata.json"])


def test_corrections_saved_at_once_each_keep_the_others(tmp_path, monkeypatch):
    """Two reviewers save at the same moment: each saving reads the file, then writes it with
    its correction added; the second must read what the first wrote."""
    import perftab.corrections as corrections

    read = corrections.read_corrections
    both_read = threading.Barrier(2, timeout=2)

    def slow_read(outdir):
        found = read(outdir)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()  # without a lock both read the empty file here
        return found

    monkeypatch.setattr(corrections, "read_corrections", slow_read)
    saved = [correction("target", "≥100公里", seq=1), correction("target", "≥5次", seq=2)]
    threads = [threading.Thread(target=save_correction, args=(tmp_path, c)) for c in saved]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(read(tmp_path), key=lambda c: c.seq) == saved
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrections.parquet"]  # no lock left


@pytest.mark.parametrize(("field", "after", "message"), [
    ("weight", "10", "field: 'weight' cannot be corrected"),
    ("target", "  ", "target: the corrected value is empty"),
    ("funds_total_wan", "十二万", "funds_total_wan: '十二万' is not a number"),
])
def test_a_correction_that_cannot_be_stored_says_why(tmp_path, field, after, message):
    with pytest.raises(CorrectionError, match=f"^{message}$"):
        save_correction(tmp_path, correction(field, after))
    assert not (tmp_path / "corrections.parquet").exists()


# --------------------------------------------------------------------------- end to end

DOCX = SAMPLES / "docx" / "huoshan-2023.docx"


@pytest.fixture()
def extracted(tmp_path) -> Path:
    outdir = tmp_path / "out"
    assert main(["extract", str(DOCX), "-o", str(outdir), "-q", "-j", "1"]) == 0
    return outdir


def stored(outdir: Path, seq: int, field: str, after: str | None) -> dict:
    rows = read_output(outdir, "indicators").to_pylist()
    target = next(r for r in rows if r["seq"] == seq and r["table_id"].endswith("-t01"))
    save_correction(outdir, CorrectionRecord(
        sha256=sha256_of(DOCX), source_path=str(DOCX), table_id=target["table_id"], seq=seq,
        locator=target["locator"], level3=target["level3"], field=field,
        before=target["target_raw"], after=after, who="王芳", when=WHEN))
    return target


def plain_row(outdir: Path) -> int:
    """The seq of a row of the first table that is no 时效 row and no rate."""
    rows = read_output(outdir, "indicators").to_pylist()
    return next(r["seq"] for r in rows if r["table_id"].endswith("-t01")
                and r["level2_std"] != "时效指标" and not r["level3"].endswith("率"))


def test_extract_force_applies_the_corrections_and_check_uses_them(extracted):
    printed = stored(extracted, 2, "target", "≥12345件")
    removed = stored(extracted, 3, "not_indicator", None)
    assert main(["extract", str(DOCX), "-o", str(extracted), "-q", "-j", "1", "--force"]) == 0
    rows = {(r["table_id"], r["seq"]): r for r in read_output(extracted, "indicators").to_pylist()}
    corrected = rows[(printed["table_id"], 2)]
    assert (corrected["target_raw"], corrected["op"], corrected["value"], corrected["unit"]) == (
        printed["target_raw"], ">=", 12345.0, "件")
    assert corrected["repairs"][-1].startswith("review correction of target: printed ")
    assert (removed["table_id"], 3) not in rows
    checks = read_output(extracted, "checks").to_pylist()
    assert [(c["rule"], c["seq"]) for c in checks if c["rule"].startswith("review")] == [
        ("review_not_indicator", 3)]
    result = run_check(extracted)
    assert [(c.rule, c.seq) for c in result.checks if c.rule.startswith("review")] == [
        ("review_not_indicator", 3)]


def test_check_and_diff_read_a_correction_saved_after_the_extract(extracted, tmp_path):
    seq = plain_row(extracted)
    assert not any(c.seq == seq and c.rule == "timeliness_not_time"
                   for c in run_check(extracted).checks if c.table_id.endswith("-t01"))
    stored(extracted, seq, "level2", "时效指标")
    stored(extracted, seq, "target", "按要求完成")
    stored(extracted, seq, "level3", "全新名称")
    found = [(c.seq, c.evidence) for c in run_check(extracted).checks
             if c.rule == "timeliness_not_time" and c.table_id.endswith("-t01")]
    assert (seq, next(e for s, e in found if s == seq)) in found
    assert main(["diff", str(extracted), str(extracted), "-o", str(tmp_path / "diff")]) == 0
    diff = pq.read_table(tmp_path / "diff" / "diff.parquet").to_pylist()
    indicators = [r for r in diff if r["row_kind"] == "indicator"]
    assert "全新名称" in {r["level3"] for r in indicators}
    assert {r["change"] for r in indicators} == {"unchanged"}
