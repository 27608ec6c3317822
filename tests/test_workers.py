"""A batch that survives its workers (perftab/workers.py): a worker killed by a signal, as the OOM
killer kills, or stopped past --file-timeout, or out of memory under --max-memory, costs only
the file it held; workers end when their parent dies."""

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLES
from worker_jobs import environment, read_or_die

from perftab import batch
from perftab.cli import main
from perftab.options import MAX_MEMORY
from perftab.pipeline import FileResult, extract_file
from perftab.workers import Failed, Lost, WorkerLimits, run_each

DOCX = SAMPLES / "docx" / "huoshan-2023.docx"
SCAN = SAMPLES / "scans" / "huoshan-2023-150dpi.pdf"
TESTS = Path(__file__).resolve().parent
KILLED = Lost("the worker reading it was killed (SIGKILL; out of memory?); open it to check it")


def jobs_named(names: list[str]) -> list[batch.FileJob]:
    return [batch.FileJob(Path("/archive") / name, f"{n:064x}") for n, name in enumerate(names)]


def batch_or_die(job: batch.FileJob) -> FileResult:
    """A real extraction of the .docx; a job named as in worker_jobs.read_or_die otherwise."""
    if Path(job.path).suffix == ".docx":
        return batch.run_job(job)
    read_or_die(Path(job.path).name)
    return FileResult(str(job.path), job.sha256, "text", None, "ok", None, 1, 0.0)


def statuses(results) -> dict[str, str]:
    return {Path(r.source_path).name: r.status for r in results}


def errors(results) -> dict[str, str]:
    return {Path(r.source_path).name: r.error for r in results if r.error}


def outcomes(names: list[str], workers: int = 2, **limits) -> dict[str, object]:
    return dict(run_each(names, workers, read_or_die, WorkerLimits(**limits)))


# --- a worker killed ----------------------------------------------------------------------------


@pytest.mark.parametrize("position", range(10))
def test_a_worker_killed_costs_only_the_file_it_held(position):
    names = [f"{n}.txt" for n in range(8)]
    names.insert(position % 9, "kill.txt")
    if position == 9:  # two killers, one after the other
        names.insert(1, "kill-again.txt")
    assert outcomes(names) == {
        name: KILLED if name.startswith("kill") else name for name in names
    }


@pytest.mark.parametrize("after", range(1, 7))
def test_a_worker_killed_from_outside_costs_nothing(after):
    """The OOM killer's choice is not always the file's fault: a file whose worker is killed
    once is read again in a new one."""
    names = [f"nap-{n}" for n in range(10)]
    seen = {}
    for name, outcome in run_each(names, 2, read_or_die, WorkerLimits()):
        seen[name] = outcome
        if len(seen) == after:
            time.sleep(random.uniform(0, 0.2))
            os.kill(random.choice(_workers(os.getpid())), signal.SIGKILL)
    assert seen == {name: name for name in names}


def test_a_worker_killed_is_the_error_row_of_its_file(tmp_path):
    """Real extraction around the killer: the worker started in its place reads on."""
    kept = shutil.copy(DOCX, tmp_path / "kept.docx")
    jobs = [batch.FileJob(Path(kept), batch.sha256_of(Path(kept))),
            *jobs_named(["kill.txt", "0.txt", "1.txt"])]
    # in worker processes: without limits run_jobs reads in this process (--in-process)
    results = list(batch.run_jobs(jobs, 2, work=batch_or_die, limits=WorkerLimits()))
    assert statuses(results) == {"kept.docx": "ok", "kill.txt": "error", "0.txt": "ok",
                                 "1.txt": "ok"}
    assert errors(results)["kill.txt"] == (
        "/archive/kill.txt: the worker reading it was killed (SIGKILL; out of memory?); open it "
        "to check it"
    )
    docx = next(r for r in results if r.kind == "docx")
    assert docx.n_tables == extract_file(DOCX).n_tables


def test_a_worker_that_exits_is_named_by_its_exit_status():
    assert outcomes(["a", "exit", "b"]) == {"a": "a", "b": "b", "exit": Lost(
        "the worker reading it died (exit status 70; a crash in a library reading it?); open "
        "it to check it"
    )}


# --- limits -------------------------------------------------------------------------------------


def test_a_file_past_the_time_limit_is_an_error_and_the_batch_goes_on():
    start = time.monotonic()
    assert outcomes(["slow", "0", "1", "2"], file_timeout=1) == {
        "slow": Lost("timed out after 1 s (--file-timeout); its worker was stopped"),
        "0": "0", "1": "1", "2": "2",
    }
    assert time.monotonic() - start < 10


def test_a_file_past_the_memory_ceiling_is_an_error_and_its_worker_goes_on():
    assert outcomes(["hungry", "0", "1"], workers=1, max_memory=2**30) == {
        "hungry": Failed(
            "perftab ran out of memory reading it (a worker's ceiling, --max-memory, is 1 GB)",
            "out_of_memory",
        ),
        "0": "0", "1": "1",
    }


def test_a_scan_is_read_under_the_default_ceiling(tmp_path):
    """OCR (onnxruntime, numpy) reserves address space it does not use: 4 GB is room enough."""
    page = first_page(SCAN, tmp_path / "page.pdf")
    job = batch.FileJob(page, batch.sha256_of(page))
    limits = WorkerLimits(file_timeout=300, max_memory=MAX_MEMORY)
    [(_, result)] = run_each([job], 1, batch.run_job, limits)
    assert (result.status, result.error, result.kind) == ("ok", None, "pdf")


def first_page(pdf: Path, target: Path, number: int = 0) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(pdf).pages[number])
    writer.write(target)
    return target


def test_workers_run_single_threaded(monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    [(_, seen)] = run_each(["a"], 1, environment, WorkerLimits())
    assert seen == "OMP_NUM_THREADS=1 PERFTAB_OCR_WORKERS=1"
    assert "OMP_NUM_THREADS" not in os.environ  # the parent's environment is given back


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--file-timeout", "soon",
         "perftab: --file-timeout: 'soon' is not a time such as 15m, 90s or 600"),
        ("--file-timeout", "0", "perftab: --file-timeout: 0.0 is not a positive number"),
        ("--max-memory", "lots",
         "perftab: --max-memory: 'lots' is not a size such as 500M or 524288000"),
    ],
)
def test_a_bad_limit_is_named_as_typed(option, value, message, tmp_path, capsys):
    assert main(["extract", str(DOCX), "-o", str(tmp_path), option, value]) == 2
    assert capsys.readouterr().err.strip() == message


# --- the parent killed --------------------------------------------------------------------------


BUSY_PARENT = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from worker_jobs import read_or_die
from perftab.workers import WorkerLimits, run_each
for _ in run_each(["slow-0", "slow-1", "slow-2"], 2, read_or_die, WorkerLimits()):
    pass
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_their_parent_is_killed():
    _kill_when_busy(subprocess.Popen([sys.executable, "-c", BUSY_PARENT.format(tests=str(TESTS))]))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_perftab_extract_is_killed(tmp_path):
    """Scanned pages: OCR keeps both workers busy for seconds."""
    (tmp_path / "in").mkdir()
    pages = [first_page(SCAN, tmp_path / "in" / f"{n}.pdf", n) for n in range(2)]
    command = [sys.executable, "-m", "perftab", "extract", *map(str, pages), "-o",
               str(tmp_path / "out"), "-q", "-j", "2"]
    _kill_when_busy(subprocess.Popen(command, stderr=subprocess.DEVNULL))


def _kill_when_busy(parent: subprocess.Popen) -> None:
    """kill -9 of `parent` once it has two workers: they, and multiprocessing's resource
    tracker, are gone within seconds."""
    try:
        _wait_for(lambda: len(_workers(parent.pid)) == 2 or None)
        children = _children(parent.pid)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        assert _wait_for(lambda: not any(_running(pid) for pid in children) or None, 5.0)
    finally:
        parent.kill()
        parent.wait()


def _wait_for(found, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (value := found()) is not None:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s")


def _children(pid: int) -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir()
            if p.name.isdigit() and (_stat(int(p.name)) or [None, ""])[1] == str(pid)]


def _workers(pid: int) -> list[int]:
    return [c for c in _children(pid) if b"spawn_main" in _cmdline(c)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return b""


def _running(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z"


def _stat(pid: int) -> list[str] | None:
    """State and parent pid, from /proc/PID/stat."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[:2]
    except (FileNotFoundError, ProcessLookupError):
        return None
