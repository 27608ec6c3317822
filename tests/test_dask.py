"""`perftab extract --scheduler`: the per-file work on a Dask cluster (a LocalCluster here), from
a local folder and from URLs read through fsspec, writes what the local run writes."""

import io
import os
import shutil
import uuid
import zipfile
from pathlib import Path

import dask
import fsspec
import pytest
from conftest import SAMPLES
from distributed import Client, LocalCluster

from perftab import cluster as perftab_cluster
from perftab.batch import FileJob, hash_file
from perftab.cli import main
from perftab.pipeline import discover_inputs
from perftab.remote import discover_urls
from perftab.writers import CONTENT, NAMES, read_output

SEED = next((SAMPLES / "seed").glob("*.txt"))
LEGACY_WPS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
ARCHIVE = {
    "2023/项目.docx": (SAMPLES / "docx" / "huoshan-2023.docx").read_bytes(),
    # the same bytes: a duplicate of the file above, which comes first in a local run (a folder
    # sorts before a longer name, 2023/ before 2023-补充/, where text order has - before /)
    "2023-补充/项目.docx": (SAMPLES / "docx" / "huoshan-2023.docx").read_bytes(),
    "pdf/huoshan-2023.pdf": (SAMPLES / "pdf" / "huoshan-2023.pdf").read_bytes(),
    f"seed/{SEED.name}": SEED.read_bytes(),
    # no year in the titles: the year comes from the folder name, 2022
    "2022/无年份.md": (SAMPLES / "markdown" / "huoshan-2023.md")
    .read_text(encoding="utf-8").replace("(2023年度)", "").encode("utf-8"),
    "broken/empty.docx": b"",
    "broken/旧.wps": LEGACY_WPS,  # its message quotes the path twice
    "notes.csv": b"not an input\n",  # not a kind perftab reads: a skipped row
}
EXPECTED_STATUS = {
    "2022/无年份.md": "ok",
    "2023/项目.docx": "ok",
    "2023-补充/项目.docx": "duplicate",
    "broken/empty.docx": "error",
    "broken/旧.wps": "error",
    "pdf/huoshan-2023.pdf": "ok",
    f"seed/{SEED.name}": "ok",
    "notes.csv": "skipped",
}


def extract(*args: str) -> int:
    return main(["extract", *args, "--quiet"])


def read_back(out: Path, archive: str) -> dict[str, list[dict]]:
    """The three datasets, each sorted, without the time spent per file, the archive's location
    written ARCHIVE/ in paths and messages."""
    datasets = {}
    for name in NAMES:
        rows = read_output(out, name).to_pylist()
        for row in rows:
            row.pop("seconds", None)
            for key in ("source_path", "error", "duplicate_of"):
                if row.get(key):
                    row[key] = row[key].replace(archive, "ARCHIVE/")
        datasets[name] = sorted(rows, key=repr)
    return datasets


def parts(out: Path, name: str) -> list[str]:
    root = out / f"{name}.parquet"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.parquet"))


def same_parts(out: Path, other: Path) -> bool:
    """The same table, indicator and field parts (named by content), and as
    many files parts (named by a hash of the path, which differs)."""
    return [parts(out, name) for name in CONTENT] == [
        parts(other, name) for name in CONTENT
    ] and len(parts(out, "files")) == len(parts(other, "files")) == len(EXPECTED_STATUS)


def snapshot(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes, as `dask worker --nthreads 1` starts them."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local_cluster:
        yield local_cluster


@pytest.fixture(scope="module")
def threads_cluster():
    """Workers as threads of this process: they see its memory:// file system, which a worker
    process would not (each process has its own)."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as local_cluster:
        yield local_cluster


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    """The archive as a folder, and what the local run (in this process) writes from it."""
    base = tmp_path_factory.mktemp("dask")
    archive = base / "archive"
    for name, data in ARCHIVE.items():
        (archive / name).parent.mkdir(parents=True, exist_ok=True)
        (archive / name).write_bytes(data)
    assert extract(str(archive), "-o", str(base / "local"), "--jobs", "1") == 1
    return archive, base / "local"


@pytest.fixture
def memory_archive():
    """The archive in fsspec's memory file system, under a name of its own."""
    fs = fsspec.filesystem("memory")
    root = f"/perftab-{uuid.uuid4().hex[:8]}"
    for name, data in ARCHIVE.items():
        fs.pipe(f"{root}/{name}", data)
    yield f"memory://{root.lstrip('/')}/"
    fs.rm(root, recursive=True)


def test_the_local_run_reads_the_archive(local_run):
    archive, out = local_run
    rows = read_back(out, f"{archive}/")["files"]
    assert {r["source_path"].removeprefix("ARCHIVE/"): r["status"] for r in rows} == (
        EXPECTED_STATUS
    )


def test_a_cluster_run_writes_what_a_local_run_writes(local_run, cluster, tmp_path, monkeypatch):
    archive, local_out = local_run
    out = tmp_path / "out"
    # the archive named relative to a folder the workers (started before) do not run in
    monkeypatch.chdir(archive.parent)
    assert extract("archive", "-o", str(out), "--scheduler", cluster.scheduler_address) == 1
    assert read_back(out, "archive/") == read_back(local_out, f"{archive}/")
    assert same_parts(out, local_out)
    assert "extract_on_worker" in cluster.scheduler.task_prefixes  # the work ran there


def test_a_memory_archive_gives_the_rows_of_the_local_files(
    local_run, threads_cluster, memory_archive, tmp_path
):
    archive, local_out = local_run
    out = tmp_path / "out"
    assert extract(memory_archive, "-o", str(out), "--scheduler",
                   threads_cluster.scheduler_address) == 1
    from_memory = read_back(out, memory_archive)
    assert from_memory == read_back(local_out, f"{archive}/")
    wps = next(r for r in read_output(out, "files").to_pylist() if r["kind"] is None
               and r["source_path"].endswith(".wps"))
    assert wps["error"].count(f"{memory_archive}broken/旧.wps") == 2  # the copy is never named
    assert same_parts(out, local_out)


def test_a_second_run_on_urls_skips_every_file(threads_cluster, memory_archive, tmp_path, capsys):
    """As in a local run (docs/schema.md): the files recorded ok, no_table or error are skipped,
    and what is not a document (notes.csv) gets its skipped row again, in place of the old."""
    out = tmp_path / "out"
    address = threads_cluster.scheduler_address
    assert extract(memory_archive, "-o", str(out), "--scheduler", address) == 1
    before = snapshot(out)
    capsys.readouterr()
    assert extract(memory_archive, "-o", str(out), "--scheduler", address) == 1
    summary = capsys.readouterr().out
    assert "files: 1 (ok 0, no table 0, duplicate 0, failed 0, not documents 1)" in summary
    documents = sum(status != "skipped" for status in EXPECTED_STATUS.values())
    assert f"skipped: {documents} already in the output (2 of them failed then)" in summary
    after = snapshot(out)
    assert after.keys() == before.keys()
    rewritten = [name for name in after if after[name] != before[name]]
    assert len(rewritten) == 1 and rewritten[0].startswith("files.parquet/")
    assert [r["source_path"] for r in read_output(out, "files").to_pylist()
            if r["status"] == "skipped"] == [f"{memory_archive}notes.csv"]


def test_a_url_folder_is_searched_as_a_local_folder(memory_archive, tmp_path):
    """The same files in the same order, by name or by content (a download saved without its
    extension), and the same rows for the rest, from a URL as from a local folder."""
    fs = fsspec.filesystem("memory")
    root = memory_archive.removeprefix("memory://")
    extra = {
        "downloads/report": ARCHIVE["pdf/huoshan-2023.pdf"],  # a PDF without its extension
        "downloads/form": ARCHIVE["2023/项目.docx"],  # a DOCX without its extension
        "downloads/README": b"what is here\n",
        "downloads/README.md": b"| a | b |\n|---|---|\n",
        "downloads/data": zip_archive({"a.csv": b"1,2\n"}),  # a ZIP neither Word nor Excel
        "downloads/script.sh": b"#!/bin/sh\n",
    }
    local = tmp_path / "archive"
    for name, data in {**ARCHIVE, **extra}.items():
        fs.pipe(f"/{root}{name}", data)
        (local / name).parent.mkdir(parents=True, exist_ok=True)
        (local / name).write_bytes(data)
    urls, url_rows = discover_urls([memory_archive])
    paths, path_rows = discover_inputs([local])
    assert [u.removeprefix(memory_archive) for u in urls] == [
        str(p.relative_to(local)) for p in paths
    ]
    assert {"downloads/report", "downloads/form"} <= {u.removeprefix(memory_archive) for u in urls}
    assert [(r.source_path.replace(memory_archive, "ARCHIVE/"), r.status, r.error_kind,
             r.error.replace(memory_archive, "ARCHIVE/")) for r in url_rows] == [
        (r.source_path.replace(f"{local}/", "ARCHIVE/"), r.status, r.error_kind,
         r.error.replace(f"{local}/", "ARCHIVE/")) for r in path_rows
    ]
    assert [r.source_path.removeprefix(memory_archive) for r in url_rows] == [
        "downloads/README", "downloads/README.md", "downloads/data", "downloads/script.sh",
        "notes.csv",
    ]


def zip_archive(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- usage errors -------------------------------------------------------------------------------


def test_a_url_without_a_scheduler_is_a_usage_error(memory_archive, tmp_path, capsys):
    assert extract(memory_archive, "-o", str(tmp_path)) == 2
    assert capsys.readouterr().err == (
        f"perftab: inputs: {memory_archive} is a URL; URLs are read on a Dask cluster: add "
        "--scheduler ADDRESS (see docs/cluster.md)\n"
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("memory://no-such-archive/", "no such file or folder: memory://no-such-archive/"),
        ("nosuch://bucket/archive/", "cannot open nosuch://bucket/archive/ "
                                     "(Protocol not known: nosuch)"),
    ],
)
def test_a_url_that_cannot_be_read_is_a_usage_error(url, message, tmp_path, capsys):
    assert extract(url, "-o", str(tmp_path), "--scheduler", "tcp://127.0.0.1:8786") == 2
    assert capsys.readouterr().err == f"perftab: inputs: {message}\n"


def test_a_scheduler_that_does_not_answer_is_a_usage_error(tmp_path, capsys):
    address = "tcp://127.0.0.1:9"  # discard: nothing listens there
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        assert extract(str(SAMPLES / "seed"), "-o", str(tmp_path / "out"), "--scheduler",
                       address) == 2
    assert capsys.readouterr().err.startswith(
        f"perftab: --scheduler: cannot connect to {address} (Timed out trying to connect"
    )
    assert not (tmp_path / "out").exists()


# --- a file that kills its worker ---------------------------------------------------------------


def dies_on_crash(job: FileJob, location):
    """A worker that dies the way a segfault or the OOM killer ends it."""
    if Path(job.path).name.startswith("crash"):
        os._exit(70)
    return perftab_cluster.extract_on_worker(job, location)


def test_a_file_that_kills_every_worker_is_an_error_and_the_others_are_done(cluster, tmp_path):
    paths = [tmp_path / "a.txt", tmp_path / "crash.txt", tmp_path / "b.txt"]
    for path in paths:
        shutil.copy(SEED, path)
    jobs = [FileJob(path, hash_file(path).sha256) for path in paths]
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        runner = perftab_cluster.ClusterRunner(client)
        results = {Path(r.source_path).name: r for r in runner.run(jobs, work=dies_on_crash)}
    assert {name: r.status for name, r in results.items()} == {
        "a.txt": "ok", "crash.txt": "error", "b.txt": "ok"
    }
    assert results["crash.txt"].error == (
        f"{tmp_path}/crash.txt: the process reading it died (out of memory, or a crash in a "
        "library reading it); open it to check it"
    )
