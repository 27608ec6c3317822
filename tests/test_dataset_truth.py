"""The output stays true to the files as they are now: a file edited and extracted again (a
rerun, --force) leaves exactly its new rows, a files row's sha256 is the content its rows came
from, parts no files row names are removed, and a second run on the same OUTDIR is refused while
the first holds its lock."""

import fcntl
import hashlib
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLES

from perftab import batch, pipeline
from perftab.cli import main
from perftab.writers import LOCK_NAME, read_output

DOCX = SAMPLES / "docx" / "huoshan-2023.docx"
INDICATORS_PER_SAMPLE, TABLES_PER_SAMPLE = 86, 5
OLD_TARGET, NEW_TARGET = "≥3000件", "≥4000件"  # printed once in the sample


def edited_docx(source: Path, target: Path) -> Path:
    """The sample with one target changed, written over `target`."""
    with zipfile.ZipFile(source) as src:
        items = [(item, src.read(item.filename)) for item in src.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item, data in items:
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert text.count(OLD_TARGET) == 1
                data = text.replace(OLD_TARGET, NEW_TARGET).encode("utf-8")
            dst.writestr(item, data)
    return target


def extract(inputs: Path, out: Path, *extra: str) -> int:
    return main(["extract", str(inputs), "-o", str(out), "--quiet", "--jobs", "1", *extra])


def sha16(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def targets(out: Path) -> list[str]:
    return read_output(out, "indicators").column("target_raw").to_pylist()


def content_of(out: Path, name: str) -> set[str]:
    """The sha16 of every content with rows in OUTDIR/name."""
    return {table_id[:16] for table_id in read_output(out, name).column("table_id").to_pylist()}


@pytest.fixture
def archive(tmp_path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(DOCX, folder / "a.docx")
    return folder


# --- a file edited and extracted again ----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
@pytest.mark.parametrize("extra", [[], ["--force"]], ids=["rerun", "force"])
def test_an_edited_file_leaves_exactly_its_new_rows(archive, tmp_path, fmt, extra):
    out = tmp_path / "out"
    assert extract(archive, out, "--format", fmt) == 0
    edited_docx(DOCX, archive / "a.docx")
    assert extract(archive, out, "--format", fmt, *extra) == 0

    new = sha16(archive / "a.docx")
    assert len(read_output(out, "tables")) == TABLES_PER_SAMPLE
    assert len(read_output(out, "indicators")) == INDICATORS_PER_SAMPLE
    assert NEW_TARGET in targets(out) and OLD_TARGET not in targets(out)
    for name in ("tables", "indicators", "fields", "checks"):
        assert content_of(out, name) == {new}, name
    [row] = read_output(out, "files").to_pylist()
    assert row["sha256"][:16] == new
    if fmt == "parquet":
        parts = {p.name for p in (out / "indicators.parquet").glob("part-*.parquet")}
        assert parts == {f"part-{new}.parquet"}


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_content_another_path_shares_stays_when_one_is_edited(archive, tmp_path, fmt):
    shutil.copy(DOCX, archive / "b.docx")  # a duplicate of a.docx
    out = tmp_path / "out"
    assert extract(archive, out, "--format", fmt) == 0
    old = sha16(DOCX)
    edited_docx(DOCX, archive / "a.docx")
    assert extract(archive, out, "--format", fmt) == 0

    new = sha16(archive / "a.docx")
    files = {Path(r["source_path"]).name: r for r in read_output(out, "files").to_pylist()}
    assert files["a.docx"]["sha256"][:16] == new
    assert files["b.docx"]["sha256"][:16] == old
    assert content_of(out, "indicators") == {old, new}
    assert len(read_output(out, "indicators")) == 2 * INDICATORS_PER_SAMPLE


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_a_duplicate_whose_original_is_edited_gets_the_old_rows(archive, tmp_path, fmt):
    shutil.copy(DOCX, archive / "b.docx")  # read as a.docx's duplicate
    out = tmp_path / "out"
    assert extract(archive, out, "--format", fmt) == 0
    edited_docx(DOCX, archive / "a.docx")
    assert extract(archive, out, "--format", fmt) == 0

    old, new = sha16(DOCX), sha16(archive / "a.docx")
    files = {Path(r["source_path"]).name: r for r in read_output(out, "files").to_pylist()}
    assert [files[n]["status"] for n in ("a.docx", "b.docx")] == ["ok", "ok"]
    assert files["b.docx"]["duplicate_of"] is None
    tables = read_output(out, "tables").to_pylist()
    paths = {(r["table_id"][:16], Path(r["source_path"]).name) for r in tables}
    assert paths == {(new, "a.docx"), (old, "b.docx")}  # no row names a.docx for its old content
    assert len(tables) == 2 * TABLES_PER_SAMPLE
    assert len(read_output(out, "indicators")) == 2 * INDICATORS_PER_SAMPLE


def test_a_file_that_became_unreadable_leaves_no_rows(archive, tmp_path):
    out = tmp_path / "out"
    assert extract(archive, out) == 0
    (archive / "a.docx").write_bytes(b"")
    assert extract(archive, out) == 3  # every file failed
    assert len(read_output(out, "indicators")) == 0
    parts = {p.name for p in (out / "indicators.parquet").glob("part-*.parquet")}
    assert parts == {"part-empty.parquet"}


# --- repaired when OUTDIR is opened -------------------------------------------------------------


def test_a_part_no_files_row_names_is_removed_by_the_next_run(archive, tmp_path):
    out = tmp_path / "out"
    assert extract(archive, out) == 0
    part = out / "indicators.parquet" / f"part-{sha16(DOCX)}.parquet"
    stale = part.with_name("part-0123456789abcdef.parquet")  # left by a run killed before its row
    shutil.copy(part, stale)
    assert len(read_output(out, "indicators")) == 2 * INDICATORS_PER_SAMPLE

    assert extract(archive, out) == 0
    assert not stale.exists()
    assert len(read_output(out, "indicators")) == INDICATORS_PER_SAMPLE


def test_csv_rows_no_files_row_names_are_removed_by_the_next_run(archive, tmp_path):
    out = tmp_path / "out"
    assert extract(archive, out, "--format", "csv") == 0
    csv = out / "indicators.csv"
    header, *rows = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    stale = [row.replace(sha16(DOCX), "0123456789abcdef") for row in rows]
    csv.write_text(header + "".join(rows + stale), encoding="utf-8")
    assert len(read_output(out, "indicators")) == 2 * INDICATORS_PER_SAMPLE

    assert extract(archive, out, "--format", "csv") == 0
    assert content_of(out, "indicators") == {sha16(DOCX)}


# --- two runs on one OUTDIR ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_a_second_run_is_refused_while_the_first_holds_the_lock(archive, tmp_path, fmt, capsys):
    out = tmp_path / "out"
    assert extract(archive, out, "--format", fmt) == 0
    before = read_output(out, "indicators")
    others = out / "indicators.parquet" if fmt == "parquet" else out
    in_progress = others / ".part-1234.parquet.abcd.part"  # the first run's, being written
    in_progress.write_bytes(b"")
    capsys.readouterr()

    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert extract(archive, out, "--format", fmt, "--force") == 2
    finally:
        os.close(fd)
    assert capsys.readouterr().err == (
        f"perftab: -o: {out} is being written by another perftab run; "
        "wait for it to end or write to another folder\n"
    )
    assert in_progress.exists()
    assert read_output(out, "indicators").equals(before)

    assert extract(archive, out, "--format", fmt) == 0  # the lock is free again
    assert not in_progress.exists()  # a killed run's leftover, once the lock is held


# --- a file replaced while the run goes on ------------------------------------------------------


def test_a_file_replaced_after_it_was_hashed_is_read_again_by_the_next_run(
    archive, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    assert extract(archive, out) == 0
    edited_docx(DOCX, tmp_path / "new.docx")
    real_plan = batch.plan_batch

    def replaced_once_hashed(*args):
        plan = real_plan(*args)
        os.replace(tmp_path / "new.docx", archive / "a.docx")
        return plan

    monkeypatch.setattr(batch, "plan_batch", replaced_once_hashed)
    assert extract(archive, out, "--force") == 3
    monkeypatch.undo()
    [row] = read_output(out, "files").to_pylist()
    assert (row["status"], row["sha256"]) == ("error", None)
    assert row["error"] == (
        f"{archive}/a.docx: the file changed while perftab read it; "
        "run perftab again to read it as it is now"
    )
    assert len(read_output(out, "indicators")) == 0  # neither the old content's nor unnamed rows

    assert extract(archive, out) == 0
    assert NEW_TARGET in targets(out) and OLD_TARGET not in targets(out)
    assert content_of(out, "indicators") == {sha16(archive / "a.docx")}


def test_a_file_replaced_while_it_is_read_gets_no_rows(archive, tmp_path, monkeypatch):
    out = tmp_path / "out"
    real_read = pipeline.stream_grids

    def replaced_while_read(path, kind, *args):  # and the PDF reader asked for
        grids = real_read(path, kind, *args)
        edited_docx(DOCX, archive / "a.docx")
        return grids

    monkeypatch.setattr(pipeline, "stream_grids", replaced_while_read)
    assert extract(archive, out, "--in-process") == 3
    [row] = read_output(out, "files").to_pylist()
    assert (row["status"], row["sha256"]) == ("error", None)
    assert len(read_output(out, "indicators")) == 0
