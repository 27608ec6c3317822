"""Every output carries its schema version; an older output is read, a newer or damaged one is
refused with its version and what to do, never a traceback."""

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import SAMPLES

from perftab.cli import main
from perftab.options import OptionError
from perftab.schema_version import METADATA_KEY, SCHEMA_VERSION
from perftab.writers import read_output

SEED = SAMPLES / "seed" / "huoshan-2023-performance-targets.txt"


@pytest.fixture
def parquet_out(tmp_path):
    out = tmp_path / "out"
    assert main(["extract", str(SEED), "-o", str(out), "-q"]) == 0
    return out


def _rewrite_parts(folder, change):
    for part in folder.glob("*.parquet"):
        pq.write_table(change(pq.read_table(part)), part)


def test_parquet_parts_and_csv_metadata_carry_the_version(parquet_out, tmp_path):
    for name in ("tables", "indicators", "fields", "checks", "files"):
        for part in (parquet_out / f"{name}.parquet").glob("*.parquet"):
            assert pq.read_schema(part).metadata[METADATA_KEY] == str(SCHEMA_VERSION).encode()
    out = tmp_path / "csv"
    assert main(["extract", str(SEED), "-o", str(out), "--format", "csv", "-q"]) == 0
    meta = json.loads((out / "indicators.csv-metadata.json").read_text(encoding="utf-8"))
    assert meta["schema:version"] == str(SCHEMA_VERSION)


def test_an_older_output_is_read_with_the_new_columns_null(parquet_out):
    # as written before versions were kept: no stamp, no level3_clean column
    _rewrite_parts(parquet_out / "indicators.parquet",
                   lambda t: t.drop_columns(["level3_clean"]).replace_schema_metadata(None))
    table = read_output(parquet_out, "indicators")
    assert table.num_rows == 86
    assert table.column("level3_clean").null_count == 86


def test_a_newer_output_is_refused_by_version(parquet_out, capsys):
    folder = parquet_out / "indicators.parquet"
    _rewrite_parts(folder, lambda t: t.replace_schema_metadata({METADATA_KEY: b"99"}))
    message = (
        f"outdir: {folder} was written by a newer perftab (output schema version 99; this "
        f"one reads up to version {SCHEMA_VERSION}): upgrade perftab to read it"
    )
    with pytest.raises(OptionError) as refused:
        read_output(parquet_out, "indicators")
    assert str(refused.value) == message
    assert main(["check", str(parquet_out)]) == 2
    assert capsys.readouterr().err == f"perftab: {message}\n"


def test_a_current_output_missing_a_column_is_called_damaged(tmp_path):
    out = tmp_path / "out"
    folder = out / "checks.parquet"
    folder.mkdir(parents=True)
    table = pa.table({"table_id": ["t1"]}).replace_schema_metadata(
        {METADATA_KEY: str(SCHEMA_VERSION).encode()}
    )
    pq.write_table(table, folder / "part-0000000000000000.parquet")
    with pytest.raises(OptionError) as refused:
        read_output(out, "checks")
    assert str(refused.value) == (
        f"outdir: {folder} lacks the column(s) year, seq, rule, severity, message, evidence, "
        f"locator of output schema version {SCHEMA_VERSION}: it is damaged or was not "
        "written by perftab"
    )
