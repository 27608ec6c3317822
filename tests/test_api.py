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
        "cross_check, max_pages, max_bytes, file_timeout, max_memory, scheduler, quiet"
    )


def test_read_names_an_unknown_output(tmp_path):
    with pytest.raises(perftab.options.OptionError) as exc:
        perftab.read(tmp_path, "indicator")
    assert str(exc.value) == (
        "name: 'indicator' is not one of tables, indicators, fields, checks, files"
    )
