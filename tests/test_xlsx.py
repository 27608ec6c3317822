"""--format xlsx: one workbook, a sheet per output, every cell typed as its column, no cell a
formula, rewritten like the CSV when a run adds to it."""

import os
import shutil
import stat

import pandas as pd
import pytest
from conftest import SAMPLES
from openpyxl import load_workbook

import perftab
from perftab.cli import main
from perftab.options import OptionError
from perftab.writers import NAMES, flat_schema, record_classes, record_schema

MARKDOWN = SAMPLES / "markdown" / "huoshan-2023.md"
INDICATORS = 86  # in the sample
FORMULAS = ["=1+2", '=HYPERLINK("http://example.invalid","open")', "+5", "-3%", "@SUM(A1)"]


def _text_with_formulas(tmp_path):
    """The sample with its first targets replaced by text a spreadsheet would compute."""
    text = MARKDOWN.read_text(encoding="utf-8")
    targets = perftab.extract(MARKDOWN).indicators["target_raw"].tolist()
    for target, formula in zip(targets, FORMULAS, strict=False):
        text = text.replace(f"| {target} |", f"| {formula} |", 1)
    path = tmp_path / "formulas.md"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    root = tmp_path_factory.mktemp("xlsx")
    source = _text_with_formulas(root)
    old = os.umask(0o022)
    try:
        assert main(["extract", str(source), "-o", str(root / "out"), "--format", "xlsx",
                     "-q", "-j", "1"]) == 0
    finally:
        os.umask(old)
    return root / "out" / "perftab.xlsx"


def test_one_workbook_with_a_sheet_per_output_and_the_mode_of_any_file(workbook):
    assert sorted(p.name for p in workbook.parent.iterdir()) == ["perftab.xlsx"]
    assert oct(stat.S_IMODE(workbook.stat().st_mode)) == "0o644"
    book = load_workbook(workbook)
    assert book.sheetnames == list(NAMES)
    for name in NAMES:
        header = [c.value for c in book[name][1]]
        assert header == flat_schema(record_classes()[name]).names


def test_codes_stay_text_and_numbers_are_numbers(workbook):
    sheet = load_workbook(workbook)["tables"]
    header = [c.value for c in sheet[1]]
    code = sheet.cell(2, header.index("department_code") + 1)
    funds = sheet.cell(2, header.index("funds_total_wan") + 1)
    year = sheet.cell(2, header.index("year") + 1)
    assert (code.value, code.data_type, code.number_format) == ("010", "s", "@")
    assert (funds.value, funds.data_type) == (86.0, "n")
    assert (year.value, year.data_type) == (2023, "n")


def test_no_cell_is_a_formula(workbook):
    book = load_workbook(workbook)
    kinds = {c.data_type for name in NAMES for row in book[name].iter_rows() for c in row}
    assert "f" not in kinds
    sheet = book["indicators"]
    column = [c.value for c in sheet[1]].index("target_raw")
    targets = [row[column].value for row in sheet.iter_rows(min_row=2, max_row=6)]
    assert targets == FORMULAS


def test_each_sheet_has_its_header_frozen_and_filters(workbook):
    book = load_workbook(workbook)
    for name in NAMES:
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions, name


def test_read_gives_the_rows_as_parquet_does(workbook, tmp_path):
    parquet = perftab.extract(workbook.parent.parent / "formulas.md")
    for name in ("tables", "indicators", "fields", "checks"):
        pd.testing.assert_frame_equal(perftab.read(workbook.parent, name),
                                      getattr(parquet, name))


def test_a_run_adds_to_the_workbook_and_a_file_redone_replaces_its_rows(tmp_path):
    out = tmp_path / "out"
    edited = tmp_path / "edited.md"
    edited.write_text(MARKDOWN.read_text(encoding="utf-8"), encoding="utf-8")
    args = ["-o", str(out), "--format", "xlsx", "-q", "-j", "1"]
    assert main(["extract", str(MARKDOWN), str(edited), *args]) == 0
    assert main(["extract", str(MARKDOWN), *args, "--force"]) == 0
    text = edited.read_text(encoding="utf-8")
    first = perftab.read(out, "indicators")["target_raw"].iloc[0]
    edited.write_text(text.replace(f"| {first} |", "| ≥1234件 |", 1), encoding="utf-8")
    assert main(["extract", str(MARKDOWN), str(edited), *args]) == 0
    files = perftab.read(out, "files")
    assert sorted(files["source_path"]) == sorted([str(MARKDOWN), str(edited)])
    indicators = perftab.read(out, "indicators")
    assert len(indicators) == 2 * INDICATORS
    assert (indicators["target_raw"] == "≥1234件").sum() == 1
    assert set(indicators["table_id"].str[:16]) == {s[:16] for s in files["sha256"]}
    columns = record_schema(record_classes()["files"]).names
    assert list(perftab.read(out, "files").columns) == columns


def test_the_workbook_carries_its_schema_version_and_a_newer_one_is_refused(workbook, tmp_path):
    from openpyxl.packaging.custom import StringProperty

    book = load_workbook(workbook)
    assert [(p.name, p.value) for p in book.custom_doc_props.props] == [
        ("perftab.schema_version", "3")]
    book.custom_doc_props = type(book.custom_doc_props)()
    book.custom_doc_props.append(StringProperty(name="perftab.schema_version", value="99"))
    (tmp_path / "out").mkdir()
    newer = tmp_path / "out" / "perftab.xlsx"
    book.save(newer)
    with pytest.raises(OptionError) as error:
        perftab.read(newer.parent, "indicators")
    assert str(error.value) == (
        f"outdir: {newer} was written by a newer perftab (output schema version 99; this one "
        "reads up to version 3): upgrade perftab to read it")


def test_check_and_diff_read_a_workbook_output(workbook, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(workbook, out / workbook.name)
    assert main(["check", str(out)]) == 0
    assert main(["diff", str(out), str(out), "-o", str(tmp_path / "diff"), "--format", "csv"]) == 0
    diff = pd.read_csv(tmp_path / "diff" / "diff.csv")
    assert diff["change"].value_counts().to_dict() == {"unchanged": INDICATORS,
                                                       "project_matched": 5}
    checks = perftab.read(out, "checks")  # rewritten by check, as in the workbook before
    pd.testing.assert_frame_equal(checks, perftab.read(workbook.parent, "checks"))
