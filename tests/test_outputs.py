"""The outputs as other tools take them: file modes, the year read by every engine,
CSV with its schema, the library from a notebook."""

import json
import os
import shutil
import stat
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from conftest import SAMPLES

from perftab.cli import main
from perftab.writers import read_output

MARKDOWN = SAMPLES / "markdown" / "huoshan-2023.md"
INDICATORS = 86  # in the sample


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _modes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode)
        for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_outputs_get_the_mode_of_any_new_file(fmt, tmp_path, umask_022):
    out = tmp_path / "out"
    assert main(["extract", str(MARKDOWN), "-o", str(out), "--format", fmt, "-q", "-j", "1"]) == 0
    assert main(["diff", str(out), str(out), "-o", str(tmp_path / "diff"), "--format", fmt]) == 0
    modes = {**_modes(out), **{f"diff/{k}": v for k, v in _modes(tmp_path / "diff").items()}}
    assert f"diff/diff.{fmt}" in modes and "diff/diff.html" in modes
    assert {name: oct(mode) for name, mode in modes.items()} == {
        name: "0o644" for name in modes
    }


# --- the year ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mixed_years(tmp_path_factory) -> Path:
    """An output of one file whose tables give a year (2023) and one whose tables give none."""
    root = tmp_path_factory.mktemp("years")
    text = MARKDOWN.read_text(encoding="utf-8")
    (root / "有年份.md").write_text(text, encoding="utf-8")
    (root / "无年份.md").write_text(text.replace("(2023年度)", ""), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)  # relative names: no year in the path (pytest-2023/…) either
        assert main(["extract", "有年份.md", "无年份.md", "-o", "out", "-q", "-j", "1"]) == 0
    return root / "out"


def test_the_year_is_a_column_of_every_part_not_a_folder(mixed_years):
    root = mixed_years / "indicators.parquet"
    assert all(p.is_file() and p.name.startswith("part-") for p in root.iterdir())
    assert len(list(root.iterdir())) == 2


def test_pyarrow_reads_the_year_as_an_integer_with_nulls(mixed_years):
    dataset = ds.dataset(mixed_years / "indicators.parquet")
    assert dataset.schema.field("year").type == pa.int64()
    assert dataset.to_table(filter=pc.field("year") == 2023).num_rows == INDICATORS
    assert dataset.to_table(filter=pc.field("year").is_null()).num_rows == INDICATORS


def test_the_year_is_an_integer_whether_or_not_a_table_lacks_one(mixed_years, tmp_path):
    only_dated = tmp_path / "out"
    assert main(["extract", str(MARKDOWN), "-o", str(only_dated), "-q", "-j", "1"]) == 0
    types = [ds.dataset(folder / "indicators.parquet").schema.field("year").type
             for folder in (mixed_years, only_dated)]
    assert types == [pa.int64(), pa.int64()]


def test_pandas_reads_the_year_as_numbers_with_no_help(mixed_years):
    frame = pd.read_parquet(mixed_years / "indicators.parquet")
    assert (frame["year"] == 2023).sum() == INDICATORS
    assert frame["year"].isna().sum() == INDICATORS
    typed = pd.read_parquet(mixed_years / "indicators.parquet", dtype_backend="numpy_nullable")
    assert typed["year"].dtype == "Int64"


def test_duckdb_filters_on_the_year_as_an_integer(mixed_years):
    parts = str(mixed_years / "indicators.parquet" / "*.parquet")
    source = f"FROM read_parquet('{parts}')"
    with duckdb.connect() as db:
        [(kind,)] = db.execute(f"SELECT typeof(year) {source} LIMIT 1").fetchall()
        counts = db.execute("SELECT count(*) FILTER (WHERE year = 2023), "
                            f"count(*) FILTER (WHERE year IS NULL) {source}").fetchall()
    assert (kind, counts) == ("BIGINT", [(INDICATORS, INDICATORS)])


def test_polars_filters_on_the_year_as_an_integer(mixed_years):
    frame = pl.read_parquet(str(mixed_years / "indicators.parquet" / "*.parquet"))
    assert frame.schema["year"] == pl.Int64
    assert frame.filter(pl.col("year") == 2023).height == INDICATORS
    assert frame.filter(pl.col("year").is_null()).height == INDICATORS


def test_read_output_gives_the_year_as_int64_with_nulls(mixed_years):
    year = read_output(mixed_years, "indicators").column("year")
    assert year.type == pa.int64() and year.null_count == INDICATORS
    assert pc.sum(pc.equal(year, 2023)).as_py() == INDICATORS


def test_an_output_without_rows_is_read_with_a_typed_year(tmp_path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    out = tmp_path / "out"
    assert main(["extract", str(tmp_path / "empty.pdf"), "-o", str(out), "-q"]) == 3  # all failed
    root = tmp_path / "out" / "indicators.parquet"
    assert [p.name for p in root.iterdir()] == ["part-empty.parquet"]
    assert pd.read_parquet(root).dtypes["year"] == "int64"
    assert read_output(tmp_path / "out", "indicators").schema.field("year").type == pa.int64()


@pytest.mark.parametrize("no_year", ["__HIVE_DEFAULT_PARTITION__", "__unknown__"])
def test_year_folders_of_older_versions_are_read_and_then_flattened(mixed_years, tmp_path,
                                                                     no_year):
    out = tmp_path / "out"
    shutil.copytree(mixed_years, out)
    for name in ("tables", "indicators", "fields"):  # as older versions wrote them
        root = out / f"{name}.parquet"
        for part in root.glob("part-*.parquet"):
            table = pq.read_table(part)
            year = table.column("year")[0].as_py()
            folder = root / f"year={no_year if year is None else year}"
            folder.mkdir()
            pq.write_table(table.drop_columns(["year"]), folder / part.name)
            part.unlink()
    assert read_output(out, "indicators").column("year").null_count == INDICATORS
    assert main(["extract", str(MARKDOWN), "-o", str(out), "-q", "-j", "1"]) == 0
    assert not list((out / "indicators.parquet").glob("year=*"))
    year = read_output(out, "indicators").column("year")
    assert (year.null_count, pc.sum(pc.equal(year, 2023)).as_py()) == (INDICATORS, INDICATORS)


# --- from a notebook ----------------------------------------------------------------------------


def test_read_output_takes_a_str_path(mixed_years):
    assert read_output(str(mixed_years), "indicators").num_rows == 2 * INDICATORS


def test_the_package_lists_its_api():
    import perftab

    assert {"read_output", "extract_file", "parse_target", "__version__"} <= set(dir(perftab))
    assert perftab.__version__ == metadata.version("perftab")
    assert perftab.parse_target("≥3000件").value == 3000.0
    assert perftab.read_output is read_output


def test_importing_the_package_loads_no_heavy_library():
    heavy = "{'pandas', 'pyarrow', 'pdfplumber'}"
    code = f"import sys, perftab; print(sorted({heavy} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "[]\n"


# --- what a folder holds ------------------------------------------------------------------------


def test_a_document_without_its_extension_in_a_folder_is_read(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(SAMPLES / "pdf" / "huoshan-2023.pdf", folder / "download")  # saved unnamed
    shutil.copy(SAMPLES / "docx" / "huoshan-2023.docx", folder / "附件1")
    (folder / "notes").write_text("项目清单\n", encoding="utf-8")
    (folder / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    (folder / "old.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    out = tmp_path / "out"
    assert main(["extract", str(folder), "-o", str(out), "-q", "-j", "1"]) == 0
    files = read_output(out, "files").to_pylist()
    assert sorted((f["source_path"], f["kind"], f["status"]) for f in files) == [
        (str(folder / "Thumbs.db"), None, "skipped"),  # the other files: named, not read
        (str(folder / "download"), "pdf", "ok"),
        (str(folder / "notes"), None, "skipped"),
        (str(folder / "old.zip"), None, "skipped"),
        (str(folder / "附件1"), "docx", "ok"),
    ]


# --- CSV for spreadsheets -----------------------------------------------------------------------

PANDAS_DTYPES = {"string": "string", "integer": "Int64", "double": "Float64", "boolean": "boolean"}


@pytest.fixture(scope="module")
def csv_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("csv") / "out"
    assert main(["extract", str(MARKDOWN), "-o", str(out), "--format", "csv", "-q", "-j", "1"]) == 0
    return out


def _metadata(csv: Path) -> dict:
    return json.loads(csv.with_name(csv.name + "-metadata.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["tables", "indicators", "fields", "files"])
def test_each_csv_has_its_columns_and_types_beside_it(csv_out, name):
    meta = _metadata(csv_out / f"{name}.csv")
    assert meta["@context"] == "http://www.w3.org/ns/csvw" and meta["url"] == f"{name}.csv"
    columns = meta["tableSchema"]["columns"]
    header = (csv_out / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
    assert [c["name"] for c in columns] == [h.strip('"') for h in header.split(",")]
    expected = {f.name: f.type for f in read_output(csv_out, name).schema}
    arrow = {"string": pa.string(), "integer": pa.int64(), "double": pa.float64(),
             "boolean": pa.bool_()}
    assert {c["name"]: arrow[c["datatype"]] for c in columns} == expected


def test_the_csv_metadata_keeps_codes_and_targets_as_text(csv_out):
    tables = _metadata(csv_out / "tables.csv")["tableSchema"]["columns"]
    indicators = _metadata(csv_out / "indicators.csv")["tableSchema"]["columns"]
    kinds = {c["name"]: c for c in tables + indicators}
    assert kinds["department_code"] == {"name": "department_code", "datatype": "string"}
    assert kinds["target_raw"] == {"name": "target_raw", "datatype": "string"}
    assert kinds["year"] == {"name": "year", "datatype": "integer"}
    assert kinds["warnings"] == {"name": "warnings", "datatype": "string", "separator": "; "}


def test_pandas_reads_the_csv_with_its_metadata_as_printed(csv_out):
    """The recipe of docs/schema.md."""
    def read(name: str) -> pd.DataFrame:
        columns = _metadata(csv_out / f"{name}.csv")["tableSchema"]["columns"]
        dtype = {c["name"]: PANDAS_DTYPES[c["datatype"]] for c in columns}
        return pd.read_csv(csv_out / f"{name}.csv", dtype=dtype)

    tables, indicators = read("tables"), read("indicators")
    assert set(tables["department_code"]) == {"010"}
    assert "100%" in set(indicators["target_raw"])
    assert indicators["year"].dtype == "Int64"


def test_read_output_takes_the_types_from_the_metadata(csv_out, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(csv_out, out)
    meta = _metadata(out / "indicators.csv")
    for column in meta["tableSchema"]["columns"]:
        if column["name"] == "seq":
            column["datatype"] = "string"
    (out / "indicators.csv-metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    assert read_output(out, "indicators").schema.field("seq").type == pa.string()


def test_the_diff_csv_has_its_metadata(csv_out, tmp_path):
    assert main(["diff", str(csv_out), str(csv_out), "-o", str(tmp_path), "--format", "csv"]) == 0
    columns = _metadata(tmp_path / "diff.csv")["tableSchema"]["columns"]
    assert columns[:2] == [{"name": "row_kind", "datatype": "string"},
                           {"name": "change", "datatype": "string"}]
