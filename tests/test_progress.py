"""Progress where there is no terminal (a log, a pipe): a line every few seconds; -v: a line
per file with its time."""

import re

import pytest
from conftest import SAMPLES

from perftab import progress
from perftab.cli import main

MARKDOWN = SAMPLES / "markdown" / "huoshan-2023.md"
DOCX = SAMPLES / "docx" / "huoshan-2023.docx"


def _clock(monkeypatch, times):
    ticks = iter(times)
    monkeypatch.setattr(progress, "_now", lambda: next(ticks))


def test_a_line_at_most_every_log_every_seconds(monkeypatch, capsys):
    _clock(monkeypatch, [0, 5, 10, 12, 25])
    log = progress.ProgressLog("extracting", 4)
    for pages in (60, 60, 0, 30):
        log.advance(pages)
    assert capsys.readouterr().err == (
        "perftab: extracting 2/4 files (50%), 0.2 files/s, 12.0 pages/s, about 10 s left\n"
        "perftab: extracting 4/4 files (100%), 0.2 files/s, 6.0 pages/s\n"
    )


def test_a_long_wait_is_told_in_minutes_and_hours(monkeypatch, capsys):
    _clock(monkeypatch, [0, 60, 0, 120])
    progress.ProgressLog("hashing", 10).advance()
    progress.ProgressLog("hashing", 1000).advance()
    assert capsys.readouterr().err == (
        "perftab: hashing 1/10 files (10%), 0.0 files/s, about 9 min left\n"
        "perftab: hashing 1/1000 files (0%), 0.0 files/s, about 33.3 h left\n"
    )


HASHING = r"perftab: hashing (\d)/2 files \(\d+%\), [\d.]+ files/s(, about \d+ s left)?"
EXTRACTING = (r"perftab: extracting (\d)/2 files \(\d+%\), [\d.]+ files/s(, [\d.]+ pages/s)?"
              r"(, about \d+ s left)?")


def test_without_a_terminal_a_run_prints_progress_lines(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(progress, "LOG_EVERY", 0.0)  # a line for every file
    assert main(["extract", str(MARKDOWN), str(DOCX), "-o", str(tmp_path), "-j", "1"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 4
    assert [re.fullmatch(HASHING, line).group(1) for line in lines[:2]] == ["1", "2"]
    assert [re.fullmatch(EXTRACTING, line).group(1) for line in lines[2:]] == ["1", "2"]


def test_quiet_prints_no_progress(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(progress, "LOG_EVERY", 0.0)
    assert main(["extract", str(MARKDOWN), "-o", str(tmp_path), "-j", "1", "-q"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_prints_each_files_time(where, tmp_path, capsys):
    args = ["extract", str(MARKDOWN), str(DOCX), "-o", str(tmp_path), "-j", "1", "-q"]
    args = ["-v", *args] if where == "before" else [*args, "-v"]
    assert main(args) == 0
    lines = capsys.readouterr().err.splitlines()
    assert [re.sub(r"^perftab: +\d+\.\d\d s  ", "", line) for line in lines] == [
        f"ok, 5 tables  {MARKDOWN}",
        f"ok, 5 tables  {DOCX}",
    ]
