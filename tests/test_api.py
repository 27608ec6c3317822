"""The Python API: every example of docs/api.md runs, and the DataFrames have the documented
dtypes whatever the output's format."""

import re

import pandas as pd
import pytest
from conftest import ROOT, SAMPLES

import perftab

MARKDOWN = SAMPLES / "markdown" / "huoshan-2023.md"
INDICATORS = 86  # in the sample


def _examples() -> list[str]:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.DOTALL | re.MULTILINE)


def test_every_example_of_the_api_doc_runs(tmp_path, monkeypatch):
    (tmp_path / "samples").symlink_to(SAMPLES)
    monkeypatch.chdir(tmp_path)
    examples = _examples()
    assert len(examples) == 8
    for n, code in enumerate(examples, 1):
        try:
            exec(compile(code, f"docs/api.md example {n}", "exec"), {})
        except Exception as exc:
            raise AssertionError(f"docs/api.md example {n} failed: {exc!r}\n{code}") from exc


@pytest.fixture(scope="module")
def extraction():
    return perftab.extract(MARKDOWN)


def test_extract_gives_the_five_outputs_with_their_documented_columns(extraction):
    from perftab.writers import NAMES, record_classes, record_schema

    assert extraction._fields == NAMES
    for name, frame in zip(NAMES, extraction, strict=True):
        assert list(frame.columns) == record_schema(record_classes()[name]).names, name
    assert len(extraction.indicators) == INDICATORS
    assert extraction.files[["source_path", "status"]].values.tolist() == [[str(MARKDOWN), "ok"]]


def test_extract_gives_nullable_dtypes(extraction):
    dtypes = {str(t) for t in extraction.indicators.dtypes}
    assert dtypes == {"string", "Int64", "Float64", "boolean", "object"}
    assert extraction.tables["department_code"].tolist() == ["010"] * len(extraction.tables)
    assert (extraction.indicators["year"] == 2023).all()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_read_gives_the_same_frames_whatever_the_format(fmt, extraction, tmp_path):
    perftab.extract(MARKDOWN, outdir=tmp_path, format=fmt)
    for name in ("tables", "indicators", "fields", "checks"):
        pd.testing.assert_frame_equal(perftab.read(str(tmp_path), name), getattr(extraction, name))


def test_a_year_missing_is_na_in_an_integer_column(tmp_path):
    undated = tmp_path / "undated.md"
    undated.write_text(MARKDOWN.read_text(encoding="utf-8").replace("(2023年度)", ""), "utf-8")
    dated = tmp_path / "2024" / "dated.md"
    dated.parent.mkdir()
    dated.write_text(undated.read_text(encoding="utf-8") + "\n", "utf-8")  # not a duplicate
    year = perftab.extract([str(undated), dated]).indicators["year"]
    assert str(year.dtype) == "Int64"
    assert (year.isna().sum(), (year == 2024).sum()) == (INDICATORS, INDICATORS)


def test_an_unknown_option_is_named():
    with pytest.raises(perftab.options.OptionError) as exc:
        perftab.extract(MARKDOWN, jobz=2)
    assert str(exc.value) == (
        "jobz: not an option of perftab.extract; it takes outdir, format, jobs, force, "
        "cross_check, pdf_reader, max_pages, max_bytes, file_timeout, max_memory, scheduler, "
        "quiet, retry_failed, limits, in_process"
    )


def test_the_pdf_reader_is_an_option(monkeypatch):
    from perftab.extract import pdf_reader

    opened = []
    plumber = pdf_reader.PlumberPdf
    monkeypatch.setattr(pdf_reader, "PlumberPdf", lambda path: opened.append(path) or plumber(path))
    pdf = SAMPLES / "pdf" / "huoshan-2023.pdf"
    by_pdfium = perftab.extract(pdf).indicators
    assert opened == []
    by_pdfplumber = perftab.extract(pdf, pdf_reader="pdfplumber").indicators
    assert opened == [pdf]
    assert len(by_pdfium) == INDICATORS
    columns = ["level3", "target_raw", "locator"]
    pd.testing.assert_frame_equal(by_pdfplumber[columns], by_pdfium[columns])
    with pytest.raises(perftab.options.OptionError) as exc:
        perftab.extract(pdf, pdf_reader="pdfminer")
    assert str(exc.value) == "pdf_reader: 'pdfminer' is not one of pdfium, pdfplumber"


def test_read_names_an_unknown_output(tmp_path):
    with pytest.raises(perftab.options.OptionError) as exc:
        perftab.read(tmp_path, "indicator")
    assert str(exc.value) == (
        "name: 'indicator' is not one of tables, indicators, fields, checks, files"
    )


# ---------------------------------------------------------------- limits, retry_failed, in_process

REFUSED_HINT = "if the file is genuine, run it on its own with that limit raised"


def _four_tables_deep(tmp_path):
    from test_limits import docx_with_body, table_xml

    nested = table_xml("")
    for _ in range(3):
        nested = table_xml(nested)
    return docx_with_body(tmp_path, nested, "deep.docx")


def _row(result) -> tuple:
    (row,) = result.files[["status", "error_kind", "error"]].to_dict("records")
    return tuple(None if pd.isna(v) else v for v in row.values())


def test_limits_are_given_by_their_names(tmp_path):
    deep = _four_tables_deep(tmp_path)
    assert _row(perftab.extract(deep, limits={"table_nesting": 3})) == (
        "error", "refused",
        f"{deep}: refused: table 1, nested 4 tables deep, exceeds the limit of 3 tables in "
        f"tables (--max-nesting); {REFUSED_HINT}",
    )
    assert _row(perftab.extract(deep)) == ("no_table", "no_table", (
        f"{deep}: no performance target table found (no table with 三级指标 and 指标值 columns)"
    ))


def test_an_unknown_limit_is_named(tmp_path):
    from perftab.options import OptionError

    with pytest.raises(OptionError) as error:
        perftab.extract(MARKDOWN, limits={"cells": 10})
    assert str(error.value) == (
        "limits: 'cells' is not one of page_pixels, image_pixels, part_bytes, package_bytes, "
        "package_parts, inflation_ratio, table_cells, sheet_cells, table_nesting"
    )


def test_retry_failed_reads_again_only_the_files_that_failed(tmp_path):
    import shutil

    deep, good = _four_tables_deep(tmp_path), tmp_path / "good.md"
    shutil.copy(MARKDOWN, good)
    out = tmp_path / "out"
    perftab.extract([deep, good], outdir=out, limits={"table_nesting": 3})
    again = perftab.extract([deep, good], outdir=out)  # recorded: neither is read again
    assert again.files.set_index("source_path").loc[str(deep), "error_kind"] == "refused"
    before = again.files.set_index("source_path").loc[str(good)]
    files = perftab.extract([deep, good], outdir=out, retry_failed=True).files
    files = files.set_index("source_path")
    assert (files.loc[str(deep), "status"], files.loc[str(deep), "error_kind"]) == (
        "no_table", "no_table"
    )
    assert files.loc[str(good)].equals(before)  # not read again: the same row, its timing too
    assert len(perftab.read(out, "indicators")) == INDICATORS


def test_in_process_false_reads_in_a_worker_under_max_memory():
    """One job is read in this process unless in_process=False; then in a worker process whose
    address space is max_memory: 60 MB is too little for it to start, and that is its row."""
    small = 60 * 2**20
    assert _row(perftab.extract(MARKDOWN, max_memory=small)) == ("ok", None, None)
    status, kind, _ = _row(perftab.extract(MARKDOWN, max_memory=small, in_process=False))
    assert (status, kind) == ("error", "worker_died")
