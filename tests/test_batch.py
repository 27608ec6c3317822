"""`perftab extract` over an archive: worker processes, partitioned Parquet datasets written file
by file, resuming, --force, CSV for Excel, bad input of every kind, the year from the path."""

import os
import shutil
import struct
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLES

from perftab import batch, jobs, writers
from perftab.cli import main
from perftab.pipeline import _year_in_path, extract_file
from perftab.writers import read_output

DOCX = SAMPLES / "docx" / "huoshan-2023.docx"
NARROW_DOCX = SAMPLES / "docx" / "huoshan-2023-narrow.docx"
PDF = SAMPLES / "pdf" / "huoshan-2023.pdf"
NARROW_PDF = SAMPLES / "pdf" / "huoshan-2023-narrow.pdf"
MARKDOWN = SAMPLES / "markdown" / "huoshan-2023.md"
BAD_NAME = os.fsdecode(b"bad\xff.docx")  # not UTF-8: Python holds the byte as a lone surrogate
INDICATORS_PER_SAMPLE = 86
PASSWORD = (
    "the file is password-protected (an encrypted Office file); remove the password in "
    "Word/WPS (Excel/WPS for a workbook): open the file with its password, clear the password, "
    "save it, and retry"
)
SUPPORTED = (
    "perftab reads .pdf, .docx, .xlsx, .xls, .html/.htm, Markdown .md, tab-separated .txt/.tsv "
    "and page images .png/.jpg/.tif"
)
LIMIT_HINT = "if the file is genuine, run it on its own with a higher limit"


# --- building an archive ------------------------------------------------------------------------


def distinct_docx(source: Path, target: Path, tag: str) -> Path:
    """The same document with other bytes (a ZIP comment), so it is not a duplicate."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.comment = tag.encode()
    return target


def year_removed(source: Path, target: Path) -> Path:
    """The Markdown sample with the year taken out of its titles: the year must come from the
    path."""
    text = source.read_text(encoding="utf-8").replace("(2023年度)", "")
    target.write_text(text, encoding="utf-8")
    return target


def compound_file(stream: str, data: bytes) -> bytes:
    """A minimal version-3 OLE compound file (MS-CFB) holding one stream: header, one FAT
    sector, one directory sector, then the stream (at least 4096 bytes, so no mini stream).
    Word saves a password-protected .docx as such a file with an EncryptedPackage stream."""
    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    data = data.ljust(4096, b"\0")
    n = -(-len(data) // 512)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("d0cf11e0a1b11ae1"), b"\0" * 16,
        0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, 1, 1, 0, 4096, end, 0, end, 0,
    ) + struct.pack("<109I", 0, *[free] * 108)
    fat = [fat_sector, end, *range(3, 2 + n), end]
    fat_bytes = struct.pack("<128I", *fat, *[free] * (128 - len(fat)))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return struct.pack(
            "<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1,
            no_stream, no_stream, child, b"\0" * 16, 0, 0, 0, start, size,
        )

    directory = entry("Root Entry", 5, 1, end, 0) + entry(stream, 2, no_stream, 2, len(data))
    return header + fat_bytes + directory.ljust(512, b"\0") + data.ljust(n * 512, b"\0")


def build_archive(root: Path) -> Path:
    """Two year folders of samples under other names, one copy twice, and broken files."""
    for folder in ("2022", "2023", "broken"):
        (root / folder).mkdir(parents=True)
    shutil.copy(DOCX, root / "2022" / "项目A.docx")
    shutil.copy(PDF, root / "2022" / "项目B.pdf")
    year_removed(MARKDOWN, root / "2022" / "无年份.md")
    shutil.copy(DOCX, root / "2023" / "项目A-副本.docx")  # the same bytes as 2022/项目A.docx
    shutil.copy(NARROW_DOCX, root / "2023" / "narrow.docx")
    shutil.copy(NARROW_PDF, root / "2023" / "narrow.pdf")
    distinct_docx(DOCX, root / BAD_NAME, "not a UTF-8 name")
    (root / "broken" / "empty.docx").write_bytes(b"")
    (root / "broken" / "truncated.pdf").write_bytes(PDF.read_bytes()[:20000])
    (root / "broken" / "加密.docx").write_bytes(compound_file("EncryptedPackage", b"\x10" * 5000))
    (root / "broken" / "旧.wps").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    return root


EXPECTED_STATUS = {
    "2022/无年份.md": "ok",
    "2022/项目A.docx": "ok",
    "2022/项目B.pdf": "ok",
    "2023/narrow.docx": "ok",
    "2023/narrow.pdf": "ok",
    "2023/项目A-副本.docx": "duplicate",
    "bad\\xff.docx": "ok",
    "broken/empty.docx": "error",
    "broken/truncated.pdf": "error",
    "broken/加密.docx": "error",
    "broken/旧.wps": "error",
}
N_OK = 6


def extract(archive: Path, out: Path, *extra: str) -> int:
    return main(["extract", str(archive), "-o", str(out), "--quiet", *extra])


def files_rows(out: Path, archive: Path) -> dict[str, dict]:
    """files rows by path relative to the archive."""
    rows = read_output(out, "files").to_pylist()
    return {r["source_path"].removeprefix(f"{archive}/"): r for r in rows}


def snapshot(out: Path) -> dict[str, int]:
    """Every file under OUTDIR with its modification time."""
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("batch")
    archive = build_archive(base / "archive")
    out = base / "out"
    code = extract(archive, out, "--jobs", "2")
    return archive, out, code


# --- one run over the archive -------------------------------------------------------------------


def test_every_input_is_a_files_row_with_its_status(first_run):
    archive, out, code = first_run
    assert code == 1  # some files failed
    rows = files_rows(out, archive)
    assert {name: r["status"] for name, r in rows.items()} == EXPECTED_STATUS
    copy = rows["2023/项目A-副本.docx"]
    assert (copy["error_kind"], copy["duplicate_of"]) == ("duplicate", f"{archive}/2022/项目A.docx")


@pytest.mark.parametrize(
    ("name", "cause"),
    [
        ("broken/empty.docx", "the file is empty (0 bytes); fetch or copy it again"),
        ("broken/加密.docx", PASSWORD),
        (
            "broken/旧.wps",
            "a legacy Word/WPS (.doc/.wps) file; convert it to .docx first: "
            "soffice --headless --convert-to docx '{path}'; " + SUPPORTED,
        ),
        (
            "broken/truncated.pdf",
            "not a readable PDF (Unexpected EOF); the file is damaged or is not what its name "
            "says; open it to check, or fetch it again",
        ),
    ],
)
def test_bad_input_has_a_clear_cause(first_run, name, cause):
    archive, out, _ = first_run
    path = f"{archive}/{name}"
    assert files_rows(out, archive)[name]["error"] == f"{path}: {cause.format(path=path)}"


def test_a_name_that_is_not_utf8_is_kept_with_backslash_escapes(first_run):
    archive, out, _ = first_run
    escaped = f"{archive}/bad\\xff.docx"
    assert files_rows(out, archive)["bad\\xff.docx"]["n_tables"] == 5
    tables = read_output(out, "tables").to_pylist()
    assert sum(t["source_path"] == escaped for t in tables) == 5


def test_datasets_have_one_part_per_file(first_run):
    archive, out, _ = first_run
    rows = files_rows(out, archive)
    sha16 = {name: r["sha256"][:16] for name, r in rows.items() if r["status"] == "ok"}
    for name in ("tables", "indicators", "fields"):
        root = out / f"{name}.parquet"
        parts = {str(p.relative_to(root)) for p in root.rglob("*.parquet")}
        assert parts == {f"part-{sha16[n]}.parquet" for n in sha16}
    assert len(list((out / "files.parquet").glob("part-*.parquet"))) == len(EXPECTED_STATUS)
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]  # no temporary files left


def test_pandas_reads_each_dataset_whole(first_run):
    _, out, _ = first_run
    indicators = pd.read_parquet(out / "indicators.parquet")
    tables = pd.read_parquet(out / "tables.parquet")
    assert len(indicators) == N_OK * INDICATORS_PER_SAMPLE
    assert len(tables) == N_OK * 5
    assert len(pd.read_parquet(out / "files.parquet")) == len(EXPECTED_STATUS)
    assert sorted(indicators["year"].unique()) == [2022, 2023]
    assert indicators["value"].dtype == "float64" and indicators["seq"].dtype == "int64"
    assert indicators["year"].dtype == "int64"


def test_year_from_the_path_when_the_title_has_none(first_run):
    _, out, _ = first_run
    tables = read_output(out, "tables").to_pylist()
    from_path = [t for t in tables if t["source_path"].endswith("无年份.md")]
    assert [(t["year"], t["year_source"]) for t in from_path] == [(2022, "path: 2022")] * 5
    ids = {t["table_id"] for t in from_path}
    indicators = read_output(out, "indicators").to_pylist()
    assert {i["year"] for i in indicators if i["table_id"] in ids} == {2022}
    titled = [t for t in tables if t["source_path"].endswith("项目B.pdf")]
    assert {t["year_source"].split(":")[0] for t in titled} == {"title"}  # the title wins


# --- running again ------------------------------------------------------------------------------


def test_a_second_run_skips_every_file_and_writes_nothing(first_run, capsys):
    archive, out, _ = first_run
    before = snapshot(out)
    capsys.readouterr()
    assert extract(archive, out, "--jobs", "2") == 1  # the failed files are still failed
    summary = capsys.readouterr().out
    assert "files: 0 (ok 0, no table 0, duplicate 0, failed 0, not documents 0)" in summary
    skipped = f"skipped: {len(EXPECTED_STATUS)} already in the output (4 of them failed then)"
    assert skipped in summary
    assert snapshot(out) == before


def test_force_redoes_every_file_without_adding_rows(first_run, tmp_path, capsys):
    archive, first_out, _ = first_run
    out = tmp_path / "out"
    shutil.copytree(first_out, out)
    before = snapshot(out)
    capsys.readouterr()
    assert extract(archive, out, "--jobs", "2", "--force") == 1
    summary = capsys.readouterr().out
    assert "files: 11 (ok 6, no table 0, duplicate 1, failed 4, not documents 0)" in summary
    after = snapshot(out)
    assert after.keys() == before.keys()
    assert all(after[name] > before[name] for name in after if name.endswith(".parquet"))
    assert len(pd.read_parquet(out / "indicators.parquet")) == N_OK * INDICATORS_PER_SAMPLE


def test_a_killed_run_resumes_where_it_stopped(tmp_path, monkeypatch):
    archive = build_archive(tmp_path / "archive")
    out = tmp_path / "out"
    real_run_job, done = batch.run_job, []

    def killed_after_three(job):
        if len(done) == 3:
            raise RuntimeError("killed")
        done.append(job.path)
        return real_run_job(job)

    monkeypatch.setattr(batch, "run_job", killed_after_three)
    with pytest.raises(RuntimeError, match="killed"):
        extract(archive, out, "--in-process")
    monkeypatch.undo()
    written = files_rows(out, archive)
    assert {f"{archive}/{name}" for name in written} >= {str(p) for p in done}
    assert len(written) < len(EXPECTED_STATUS)

    assert extract(archive, out, "--jobs", "2") == 1
    rows = files_rows(out, archive)
    assert {name: r["status"] for name, r in rows.items()} == EXPECTED_STATUS
    indicators = read_output(out, "indicators").to_pandas()
    assert len(indicators) == N_OK * INDICATORS_PER_SAMPLE
    assert not indicators.duplicated(["table_id", "seq"]).any()


def test_new_files_are_added_to_an_output(tmp_path, capsys):
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(DOCX, archive / "a.docx")
    out = tmp_path / "out"
    assert extract(archive, out, "--jobs", "1") == 0
    shutil.copy(PDF, archive / "b.pdf")
    capsys.readouterr()
    assert extract(archive, out, "--jobs", "1") == 0
    summary = capsys.readouterr().out
    assert "files: 1 (ok 1, no table 0, duplicate 0, failed 0, not documents 0)" in summary
    assert "skipped: 1 already in the output (0 of them failed then)" in summary
    assert len(read_output(out, "indicators")) == 2 * INDICATORS_PER_SAMPLE


def test_a_table_without_any_year_reads_back_as_null(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # relative names: no year anywhere in the path
    year_removed(MARKDOWN, Path("无年份.md"))
    shutil.copy(DOCX, "有年份.docx")
    assert main(["extract", "无年份.md", "有年份.docx", "-o", "out", "--quiet"]) == 0
    typed = pd.read_parquet("out/indicators.parquet", dtype_backend="numpy_nullable")
    assert typed["year"].dtype == "Int64" and typed["year"].isna().sum() == 86
    assert read_output(Path("out"), "indicators").column("year").null_count == 86


def test_an_output_without_rows_is_still_readable_with_its_columns(tmp_path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert extract(tmp_path / "empty.pdf", tmp_path / "out") == 3  # its one file failed
    indicators = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    assert len(indicators) == 0 and "target_raw" in indicators.columns


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_for_excel_starts_with_a_bom_and_merges_on_rerun(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(DOCX, archive / "a.docx")
    out = tmp_path / "out"
    assert extract(archive, out, "--format", "csv", "--excel", "--jobs", "1") == 0
    for name in ("tables", "indicators", "fields", "files"):
        assert (out / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf\"")
    first = pd.read_csv(out / "indicators.csv", encoding="utf-8-sig")
    assert first.columns[0] == "table_id" and len(first) == INDICATORS_PER_SAMPLE

    shutil.copy(NARROW_PDF, archive / "b.pdf")
    assert extract(archive, out, "--format", "csv", "--excel", "--jobs", "1") == 0
    merged = pd.read_csv(out / "indicators.csv", encoding="utf-8-sig")
    assert len(merged) == 2 * INDICATORS_PER_SAMPLE
    assert merged.table_id.nunique() == 10
    assert len(pd.read_csv(out / "files.csv", encoding="utf-8-sig")) == 2

    assert extract(archive, out, "--format", "csv", "--jobs", "1", "--force") == 0
    redone = pd.read_csv(out / "indicators.csv")
    assert len(redone) == 2 * INDICATORS_PER_SAMPLE
    assert not (out / "files.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_csv_files_are_rewritten_during_the_run(tmp_path, monkeypatch):
    archive = tmp_path / "archive"
    archive.mkdir()
    for n in range(5):
        distinct_docx(DOCX, archive / f"{n}.docx", str(n))
    out = tmp_path / "out"
    monkeypatch.setattr(writers, "CSV_EVERY", 2)
    real_run_job, rows_seen = batch.run_job, []

    def watching(job):
        files = out / "files.csv"
        rows_seen.append(len(pd.read_csv(files)) if files.exists() else 0)
        return real_run_job(job)

    monkeypatch.setattr(batch, "run_job", watching)
    assert extract(archive, out, "--format", "csv", "--in-process") == 0
    assert rows_seen == [0, 0, 2, 2, 4]  # rewritten after every second file
    assert len(pd.read_csv(out / "files.csv")) == 5


def test_an_interrupted_run_keeps_what_is_done_and_says_so(tmp_path, monkeypatch, capsys):
    archive = tmp_path / "archive"
    archive.mkdir()
    for n in range(4):
        distinct_docx(DOCX, archive / f"{n}.docx", str(n))
    real_run_job, calls = batch.run_job, []

    def interrupted_at_the_third(job):
        calls.append(job)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_run_job(job)

    monkeypatch.setattr(batch, "run_job", interrupted_at_the_third)
    out = tmp_path / "out"
    assert extract(archive, out, "--format", "csv", "--in-process") == 130
    assert capsys.readouterr().err == (
        f"perftab: interrupted; the files done are in {out}: run the same command again to go on\n"
    )
    assert len(pd.read_csv(out / "files.csv")) == 2  # below CSV_EVERY, written on the way out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--jobs", "0"], "--jobs: 0 is not a positive number"),
        (["-j0"], "-j: 0 is not a positive number"),
        (["--max-pages", "0"], "--max-pages: 0 is not a positive number"),
        (["--excel"], "--excel: only CSV files are written for Excel; add --format csv"),
    ],
)
def test_bad_batch_options_are_usage_errors(tmp_path, capsys, args, message):
    assert extract(DOCX, tmp_path / "out", *args) == 2
    assert capsys.readouterr().err == f"perftab: {message}\n"


def test_a_file_named_twice_is_read_once(tmp_path):
    assert main(["extract", str(DOCX), str(DOCX), "-o", str(tmp_path), "--quiet"]) == 0
    assert [r["status"] for r in read_output(tmp_path, "files").to_pylist()] == ["ok"]


# --- bad input and limits -----------------------------------------------------------------------


def test_over_the_page_limit_is_an_error_naming_the_limit(tmp_path):
    result = extract_file(PDF, max_pages=3)
    assert (result.status, result.error) == (
        "error", f"{PDF}: 6 pages, over the limit of 3 pages (--max-pages); {LIMIT_HINT}"
    )


def test_over_the_size_limit_is_an_error_naming_the_limit(tmp_path, capsys):
    assert extract(DOCX, tmp_path / "out", "--max-bytes", "1K") == 3
    size = DOCX.stat().st_size
    row = read_output(tmp_path / "out", "files").to_pylist()[0]
    assert row["error"] == (
        f"{DOCX}: {size:,} bytes, over the limit of 1,024 bytes (--max-bytes); {LIMIT_HINT}"
    )


def test_a_bad_size_is_a_usage_error(tmp_path, capsys):
    assert extract(DOCX, tmp_path / "out", "--max-bytes", "lots") == 2
    assert capsys.readouterr().err == (
        "perftab: --max-bytes: 'lots' is not a size such as 500M or 524288000\n"
    )


def test_an_unreadable_file_is_a_row_and_the_batch_goes_on(tmp_path, monkeypatch):
    shutil.copy(DOCX, tmp_path / "a.docx")
    (tmp_path / "locked.pdf").write_bytes(b"%PDF-1.4")
    real_sha256_of = jobs.sha256_of  # where every input is hashed (jobs.hash_file)

    def denied(path):
        if path.name == "locked.pdf":
            raise PermissionError(13, "Permission denied", str(path))
        return real_sha256_of(path)

    monkeypatch.setattr(jobs, "sha256_of", denied)
    assert extract(tmp_path, tmp_path / "out", "--jobs", "1") == 1
    rows = files_rows(tmp_path / "out", tmp_path)
    assert rows["locked.pdf"]["error"] == (
        f"{tmp_path}/locked.pdf: cannot read the file (Permission denied)"
    )
    assert rows["a.docx"]["status"] == "ok"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_read_permission(tmp_path):
    locked = tmp_path / "locked.docx"
    shutil.copy(DOCX, locked)
    locked.chmod(0)
    assert extract(tmp_path, tmp_path / "out") == 3  # its one file failed
    row = files_rows(tmp_path / "out", tmp_path)["locked.docx"]
    assert row["error"] == f"{locked}: cannot read the file (Permission denied)"


# --- worker processes: tests/test_workers.py -----------------------------------------------------


@pytest.mark.parametrize(
    ("path", "found"),
    [
        ("archive/2022/项目.docx", (2022, "2022")),
        ("archive/2021年项目支出.pdf", (2021, "2021年项目支出.pdf")),
        ("2019/2020-补充/表.pdf", (2020, "2020-补充")),
        ("archive/20230115/表.pdf", None),  # a date, not a year
        ("archive/项目.docx", None),
    ],
)
def test_year_in_path(path, found):
    assert _year_in_path(path) == found
