"""perftab compact: many small parts merged into a few files per year with the same rows, and
OUTDIR added to afterwards as before: a file redone replaces exactly its rows."""

import copy
import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from conftest import SAMPLES

from perftab import compact
from perftab.cli import main
from perftab.pipeline import FileResult, extract_file
from perftab.writers import (
    _CSV_ORDER,
    CONTENT,
    NAMES,
    ParquetStore,
    path_key,
    read_output,
    retired_folder,
)

MARKDOWN = SAMPLES / "markdown" / "huoshan-2023.md"
PARTS = 2000
YEARS = (2023, 2024, None)


def _sorted(table: pa.Table, name: str) -> pa.Table:
    keys = [*_CSV_ORDER[name], "table_id", "seq", "field", "rule"]
    return table.sort_by([(k, "ascending") for k in keys if k in table.column_names])


def _rows(outdir: Path) -> dict[str, pa.Table]:
    return {name: _sorted(read_output(outdir, name), name) for name in NAMES}


@pytest.fixture(scope="module")
def one_table():
    return extract_file(MARKDOWN).tables[0]


def _file(one_table, n: int, content: str, year: int | None, target: str | None = None):
    """A file's result as a worker gives it: one table, its content named by `content`."""
    sha = hashlib.sha256(content.encode()).hexdigest()
    table = copy.deepcopy(one_table)
    table.table_id = sha[:16] + table.table_id[16:]
    table.source_path, table.year = f"archive/{n}.md", year
    for row in [*table.indicators, *table.fields, *table.checks]:
        row.table_id, row.year = table.table_id, year
    if target:
        table.indicators[0].target_raw = target
    return FileResult(source_path=table.source_path, sha256=sha, kind="markdown", pages=None,
                      status="ok", error=None, n_tables=1, seconds=0.01, tables=[table])


@pytest.fixture(scope="module")
def archive(tmp_path_factory, one_table):
    """PARTS files' parts as a store writes them, the Arrow rows of one file written under
    each file's own sha and path (a store's add per file takes minutes on a busy machine)."""
    root = tmp_path_factory.mktemp("compact")
    with ParquetStore(root / "one") as store:
        store.add(_file(one_table, 0, "content 0", 2023))
    rows = {name: read_output(root / "one", name) for name in NAMES}
    out = root / "out"
    with ParquetStore(out) as store:  # the datasets' folders, locked as a run holds them
        for n in range(PARTS):
            result = _file(one_table, n, f"content {n}", YEARS[n % 3])
            for name in CONTENT:
                part = out / f"{name}.parquet" / f"part-{result.sha256[:16]}.parquet"
                pq.write_table(_retagged(rows[name], result, YEARS[n % 3]), part)
            files = rows["files"].set_column(0, "source_path", pa.array([result.source_path]))
            files = files.set_column(1, "sha256", pa.array([result.sha256]))
            key = path_key(result.source_path)
            pq.write_table(files, out / "files.parquet" / f"part-{key}.parquet")
            store.shas[result.source_path] = result.sha256
    return out


def _retagged(table: pa.Table, result, year: int | None) -> pa.Table:
    sha = result.sha256
    if "source_path" in table.column_names:
        paths = pa.array([result.source_path] * table.num_rows)
        table = table.set_column(table.schema.get_field_index("source_path"), "source_path", paths)
    ids = pc.binary_join_element_wise(sha[:16], pc.utf8_slice_codeunits(table["table_id"], 16), "")
    table = table.set_column(table.schema.get_field_index("table_id"), "table_id", ids)
    years = pa.array([year] * table.num_rows, pa.int64())
    return table.set_column(table.schema.get_field_index("year"), "year", years)


def test_two_thousand_parts_become_a_file_per_year_with_the_same_rows(archive):
    before = _rows(archive)
    assert len(list((archive / "indicators.parquet").glob("part-*.parquet"))) == PARTS
    assert main(["compact", str(archive)]) == 0
    for name in CONTENT:
        files = sorted(p.name for p in (archive / f"{name}.parquet").iterdir())
        assert files == ["compact-2023-000.parquet", "compact-2024-000.parquet",
                         "compact-none-000.parquet"], name
    assert sorted(p.name for p in (archive / "files.parquet").iterdir()) == [
        "compact-all-000.parquet"
    ]
    after = _rows(archive)
    for name in NAMES:
        assert after[name].equals(before[name]), name
    assert not list(archive.parent.glob(".*"))  # no staging folder left


def test_after_compaction_a_changed_file_replaces_exactly_its_rows(archive, one_table):
    # runs after the test above: OUTDIR is compacted
    assert list((archive / "indicators.parquet").glob("compact-*"))
    before = _rows(archive)
    with ParquetStore(archive) as store:
        assert len(store.recorded()) == PARTS  # resume: every file known as done
        changed = _file(one_table, 7, "content 7, edited", 2024, target="≥1234件")
        redone = _file(one_table, 8, "content 8", YEARS[8 % 3], target="≤9天")  # --force
        store.add(changed)
        store.add(redone)
    after = _rows(archive)
    old7, new7 = _file(one_table, 7, "content 7", None).sha256[:16], changed.sha256[:16]
    sha8 = redone.sha256[:16]
    indicators = after["indicators"]
    prefixes = [t[:16] for t in indicators["table_id"].to_pylist()]
    assert old7 not in prefixes
    mine = [r for r in indicators.to_pylist() if r["table_id"][:16] in (new7, sha8)]
    assert [(r["table_id"][:16], r["target_raw"]) for r in mine if r["seq"] == 1] == sorted(
        [(new7, "≥1234件"), (sha8, "≤9天")]
    )
    assert len(mine) == 2 * len(one_table.indicators)
    for name in NAMES:
        assert after[name].num_rows == before[name].num_rows, name
    files = after["files"].to_pylist()
    assert [f["sha256"] for f in files if f["source_path"] == "archive/7.md"] == [changed.sha256]


def test_a_compaction_killed_between_its_renames_is_finished_by_the_next_open(
    tmp_path, one_table, monkeypatch
):
    out = tmp_path / "out"
    with ParquetStore(out) as store:
        for n in range(6):
            store.add(_file(one_table, n, f"content {n}", YEARS[n % 3]))
    before = _rows(out)

    def killed(root, staging):  # as by kill -9 between the two renames
        root.rename(retired_folder(root))
        raise SystemExit

    monkeypatch.setattr(compact, "_swap", killed)
    with pytest.raises(SystemExit):
        compact.compact_dataset(out / "tables.parquet", "tables")
    assert not (out / "tables.parquet").exists()
    with ParquetStore(out):
        pass
    assert sorted(p.name for p in (out / "tables.parquet").iterdir()) == [
        "compact-2023-000.parquet", "compact-2024-000.parquet", "compact-none-000.parquet"
    ]
    after = _rows(out)
    for name in NAMES:
        assert after[name].equals(before[name]), name


def test_compact_interrupted_leaves_the_datasets_whole(tmp_path, one_table, monkeypatch):
    out = tmp_path / "out"
    with ParquetStore(out) as store:
        for n in range(6):
            store.add(_file(one_table, n, f"content {n}", YEARS[n % 3]))
    before = _rows(out)
    real = compact._swap

    def interrupted(root, staging):
        if root.name == "fields.parquet":
            raise KeyboardInterrupt
        real(root, staging)

    monkeypatch.setattr(compact, "_swap", interrupted)
    with pytest.raises(KeyboardInterrupt):
        compact.run_compact(out)
    assert sorted(p.name for p in out.iterdir()) == [f"{name}.parquet" for name in sorted(NAMES)]
    after = _rows(out)
    for name in NAMES:
        assert after[name].equals(before[name]), name


def test_extract_after_compact_gives_what_a_fresh_extract_gives(tmp_path):
    edited = tmp_path / "copy.md"
    edited.write_text(MARKDOWN.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    args = ["extract", str(MARKDOWN), str(edited), "-q", "-j", "1"]
    assert main([*args, "-o", str(out)]) == 0
    assert main(["compact", str(out)]) == 0
    first = read_output(out, "indicators")["target_raw"][0].as_py()
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace(f"| {first} |", "| ≥1234件 |", 1), encoding="utf-8")
    assert main([*args, "-o", str(out)]) == 0
    assert main([*args, "-o", str(fresh)]) == 0
    for name in CONTENT:
        assert _sorted(read_output(out, name), name).equals(
            _sorted(read_output(fresh, name), name)
        ), name


def test_compact_needs_a_parquet_output(tmp_path, capsys):
    assert main(["compact", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"perftab: outdir: {tmp_path} holds no Parquet output of perftab extract (a CSV or XLSX "
        "output is one file per output already)\n"
    )
